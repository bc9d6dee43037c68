//! Play the year: one realised year under the scenario's truth, drawn from a
//! seed — which risks strike, on which day, what they cost, and what the
//! team's strategy saved. Deterministic: the same seed tells the same story
//! on every screen.

use serde::{Deserialize, Serialize};

use super::engine::{Sampler, poisson, retained};
use super::model::{Occurrence, RiskModel, Strategy, truth_model, truth_risks};
use super::rng::{Stream, risk_key};
use crate::scenario::Scenario;

/// Salt that keeps the year's draws apart from the simulation's trials.
const YEAR_TRIAL: u64 = u64::MAX;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearEvent {
    /// 1 to 365.
    pub day: u32,
    pub risk: String,
    pub title: String,
    /// The loss had nothing been done.
    pub gross: f64,
    /// What the organisation bore with the strategy (0 if prevented).
    pub retained: f64,
    /// The strategy stopped this event from happening at all.
    pub prevented: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseSaving {
    pub response: String,
    /// Loss of the year without this response minus with it.
    pub saved: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Year {
    pub seed: u64,
    /// In day order.
    pub events: Vec<YearEvent>,
    pub gross: f64,
    pub retained: f64,
    pub strategy_cost: f64,
    pub savings: Vec<ResponseSaving>,
}

/// Events of one risk in the year: (day, gross loss, retained loss), drawn
/// the same way whatever the strategy, so the two can be compared.
fn draw(base: &RiskModel, with: Option<&RiskModel>, key: u64) -> Vec<(u32, f64, f64, bool)> {
    let mut stream = Stream::new(key, YEAR_TRIAL);
    let u = stream.uniform();
    let count = |m: &RiskModel| match m.occurrence {
        Occurrence::Once { p } => u32::from(u < p),
        Occurrence::Poisson { rate, exp_neg } => poisson(u, rate, exp_neg),
    };
    let happen = count(base);
    let kept = with.map_or(0, count);
    let sampler = Sampler::new(&base.severity);
    (0..happen)
        .map(|i| {
            let gross = sampler.sample(&mut stream);
            let day = 1 + ((stream.uniform() * 365.0) as u32).min(364);
            match with {
                Some(m) if i < kept => (day, gross, retained(gross * m.impact_factor, m), false),
                _ => (day, gross, 0.0, true),
            }
        })
        .collect()
}

fn year_loss(
    scenario: &Scenario,
    fired: &[String],
    strategy: &Strategy,
    seed: u64,
) -> (Vec<YearEvent>, f64, f64) {
    let none = Strategy::default();
    let base = truth_model(scenario, fired, &none);
    let with = truth_model(scenario, fired, strategy);
    let mut events = Vec::new();
    for risk in truth_risks(scenario, fired) {
        let Some(b) = base.iter().find(|m| m.id == risk.id) else {
            continue;
        };
        let w = with.iter().find(|m| m.id == risk.id);
        for (day, gross, kept, prevented) in draw(b, w, risk_key(seed, &risk.id)) {
            events.push(YearEvent {
                day,
                risk: risk.id.clone(),
                title: risk.title.clone(),
                gross,
                retained: kept,
                prevented,
            });
        }
    }
    events.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.risk.cmp(&b.risk)));
    let gross = events.iter().map(|e| e.gross).sum();
    let retained = events.iter().map(|e| e.retained).sum();
    (events, gross, retained)
}

/// Plays the year under `strategy`.
pub fn play_year(scenario: &Scenario, fired: &[String], strategy: &Strategy, seed: u64) -> Year {
    let (events, gross, retained) = year_loss(scenario, fired, strategy, seed);
    let savings = strategy
        .responses
        .iter()
        .map(|id| {
            let mut without = strategy.clone();
            without.effects.retain(|(r, _)| r != id);
            let (_, _, retained_without) = year_loss(scenario, fired, &without, seed);
            ResponseSaving {
                response: id.clone(),
                saved: retained_without - retained,
            }
        })
        .collect();
    Year {
        seed,
        events,
        gross,
        retained,
        strategy_cost: strategy.cost,
        savings,
    }
}
