//! The model a simulation runs: risks with their frequency and per-event
//! loss, each with the effects of a strategy folded in. Built from the
//! scenario's truth (with fired injects) or from a team's beliefs.

use serde::{Deserialize, Serialize};

use super::math;
use crate::scenario::{Effect, Frequency, Impact, InjectEffect, Scenario, Transfer};

/// z such that P(Z ≤ z) = 0.95: a 90% range spans ±z standard deviations.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// How often a risk strikes, strategy applied.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Occurrence {
    /// At most once, with this probability.
    Once { p: f64 },
    /// A Poisson number of times; `exp_neg` = e^-rate.
    Poisson { rate: f64, exp_neg: f64 },
}

/// The loss of one event before the strategy's impact factor and transfers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Severity {
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    /// PERT as a scaled Beta(alpha, beta) on [min, min + range].
    Pert {
        min: f64,
        range: f64,
        alpha: f64,
        beta: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Uniform {
        min: f64,
        width: f64,
    },
}

impl Severity {
    pub fn from_impact(impact: &Impact) -> Self {
        match *impact {
            Impact::Lognormal { low, high } => lognormal_from_range(low, high),
            Impact::Pert { min, mode, max } => {
                let range = max - min;
                let alpha = 1.0 + 4.0 * (mode - min) / range;
                let beta = 1.0 + 4.0 * (max - mode) / range;
                Severity::Pert {
                    min,
                    range,
                    alpha,
                    beta,
                }
            }
            Impact::Triangular { min, mode, max } => Severity::Triangular { min, mode, max },
            Impact::Uniform { min, max } => Severity::Uniform {
                min,
                width: max - min,
            },
        }
    }

    /// The mean loss of one event.
    pub fn mean(&self) -> f64 {
        match *self {
            Severity::Lognormal { mu, sigma } => math::exp(mu + sigma * sigma / 2.0),
            Severity::Pert {
                min,
                range,
                alpha,
                beta,
            } => min + range * alpha / (alpha + beta),
            Severity::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Severity::Uniform { min, width } => min + width / 2.0,
        }
    }
}

/// The lognormal whose 5th and 95th percentiles are `low` and `high`.
pub fn lognormal_from_range(low: f64, high: f64) -> Severity {
    let (a, b) = (math::ln(low), math::ln(high));
    Severity::Lognormal {
        mu: (a + b) / 2.0,
        sigma: (b - a) / (2.0 * Z95),
    }
}

/// One risk as simulated.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskModel {
    pub id: String,
    pub title: String,
    pub occurrence: Occurrence,
    pub severity: Severity,
    /// Product of the strategy's impact multipliers.
    pub impact_factor: f64,
    /// Applied in order to each event's loss.
    pub transfers: Vec<Transfer>,
}

impl RiskModel {
    /// Expected number of events a year.
    pub fn expected_events(&self) -> f64 {
        match self.occurrence {
            Occurrence::Once { p } => p,
            Occurrence::Poisson { rate, .. } => rate,
        }
    }
}

fn occurrence(frequency: Frequency, factor: f64) -> Occurrence {
    match frequency {
        Frequency::Probability(p) => Occurrence::Once {
            p: (p * factor).clamp(0.0, 1.0),
        },
        Frequency::Rate(rate) => {
            let rate = (rate * factor).max(0.0);
            Occurrence::Poisson {
                rate,
                exp_neg: math::exp(-rate),
            }
        }
    }
}

/// A set of effects on risks, with what it costs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    /// Catalogue response ids (or labels of custom ones), for reports.
    pub responses: Vec<String>,
    pub effects: Vec<(String, Effect)>,
    pub cost: f64,
}

impl Strategy {
    /// The strategy made of catalogue responses; unknown ids are ignored.
    pub fn from_catalogue(scenario: &Scenario, ids: &[&str]) -> Self {
        let mut strategy = Strategy::default();
        for id in ids {
            if let Some(r) = scenario.response(id) {
                strategy.responses.push(r.id.clone());
                strategy.cost += r.total_cost();
                for e in &r.effects {
                    strategy.effects.push((r.id.clone(), e.clone()));
                }
            }
        }
        strategy
    }

    /// The expert playbook's picks.
    pub fn playbook(scenario: &Scenario) -> Self {
        let ids: Vec<&str> = scenario
            .playbook
            .picks
            .iter()
            .map(|p| p.response.as_str())
            .collect();
        Self::from_catalogue(scenario, &ids)
    }
}

/// The risks in play under the scenario's truth, after the fired injects.
pub fn truth_risks(scenario: &Scenario, fired: &[String]) -> Vec<crate::scenario::Risk> {
    let mut risks: Vec<_> = scenario.risks.clone();
    let mut active: Vec<bool> = risks.iter().map(|r| !r.dormant).collect();
    for id in fired {
        let Some(inject) = scenario.injects.iter().find(|i| &i.id == id) else {
            continue;
        };
        for effect in &inject.effects {
            match effect {
                InjectEffect::ChangeRisk {
                    risk,
                    frequency,
                    impact,
                } => {
                    if let Some(r) = risks.iter_mut().find(|r| &r.id == risk) {
                        if let Some(f) = frequency {
                            r.frequency = *f;
                        }
                        if let Some(i) = impact {
                            r.impact = *i;
                        }
                    }
                }
                InjectEffect::AddRisk { risk } => {
                    if let Some(i) = risks.iter().position(|r| &r.id == risk) {
                        active[i] = true;
                    }
                }
                InjectEffect::ChangeBudget { .. } => {}
            }
        }
    }
    risks
        .into_iter()
        .zip(active)
        .filter_map(|(r, on)| on.then_some(r))
        .collect()
}

/// The model of the truth under a strategy (avoided risks left out).
pub fn truth_model(scenario: &Scenario, fired: &[String], strategy: &Strategy) -> Vec<RiskModel> {
    truth_risks(scenario, fired)
        .iter()
        .filter_map(|risk| {
            let effects: Vec<&Effect> = strategy
                .effects
                .iter()
                .filter(|(_, e)| e.risk == risk.id)
                .map(|(_, e)| e)
                .collect();
            if effects.iter().any(|e| e.avoid.is_some()) {
                return None;
            }
            let pf: f64 = effects.iter().filter_map(|e| e.probability).product();
            let imf: f64 = effects.iter().filter_map(|e| e.impact).product();
            Some(RiskModel {
                id: risk.id.clone(),
                title: risk.title.clone(),
                occurrence: occurrence(risk.frequency, pf),
                severity: Severity::from_impact(&risk.impact),
                impact_factor: imf,
                transfers: effects.iter().filter_map(|e| e.transfer).collect(),
            })
        })
        .collect()
}

/// A belief about one risk (a card's consensus) with the multipliers the
/// team expects from its responses.
#[derive(Clone, Debug, PartialEq)]
pub struct Belief {
    pub id: String,
    pub title: String,
    pub frequency: Frequency,
    pub low: f64,
    pub high: f64,
    pub probability_factor: f64,
    pub impact_factor: f64,
    pub transfers: Vec<Transfer>,
}

/// The model of a team's beliefs.
pub fn belief_model(beliefs: &[Belief]) -> Vec<RiskModel> {
    beliefs
        .iter()
        .map(|b| RiskModel {
            id: b.id.clone(),
            title: b.title.clone(),
            occurrence: occurrence(b.frequency, b.probability_factor),
            severity: lognormal_from_range(b.low, b.high),
            impact_factor: b.impact_factor,
            transfers: b.transfers.clone(),
        })
        .collect()
}
