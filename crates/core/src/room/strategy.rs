//! A team's board read as numbers: its strategy under the scenario's truth
//! (adopted catalogue responses and accepted custom ones), and its beliefs
//! (agreed estimates with the effects the team expects from its responses)
//! for the live board. The browser and any report read the board this way.

use super::{BoardResponse, BoardResponseId, Card, Origin, Room, Team};
use crate::scenario::{Effect, Scenario};
use crate::sim::engine::mean_loss;
use crate::sim::model::{Belief, belief_model};
use crate::sim::{Simulation, Strategy, Summary};

impl Room {
    /// The room's simulation seed: the same for every team and every device,
    /// so strategies differ only by what they do.
    pub fn seed(&self) -> u64 {
        // FNV-1a of the room code: stable across builds and targets.
        self.code
            .as_str()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
    }

    /// The team's strategy as the truth model scores it: adopted catalogue
    /// responses, and custom ones once the facilitator accepted their effect.
    pub fn team_strategy(&self, team: &Team) -> Strategy {
        let mut strategy = Strategy::default();
        let Some(scenario) = self.scenario.as_deref() else {
            return strategy;
        };
        for r in team.responses.iter().filter(|r| r.adopted && !r.withdrawn) {
            let label = response_label(r);
            strategy.cost += self.response_cost(&r.origin);
            let effects: &[Effect] = match &r.origin {
                Origin::Catalogue { response } => scenario
                    .response(response)
                    .map_or(&[][..], |x| x.effects.as_slice()),
                Origin::Custom { accepted, .. } => accepted.as_deref().unwrap_or_default(),
            };
            for e in effects {
                strategy.effects.push((label.clone(), e.clone()));
            }
            strategy.responses.push(label);
        }
        strategy
    }

    /// The team's beliefs: every live card with an agreed value, with the
    /// effects of `responses` (board responses the team counts on) applied.
    pub fn team_beliefs<'a>(&self, team: &'a Team, responses: &[&'a BoardResponse]) -> Vec<Belief> {
        team.cards
            .iter()
            .filter(|c| c.live())
            .filter_map(|card| {
                let agreed = card.consensus?;
                let mut belief = Belief {
                    id: format!("card-{}", card.id.0),
                    title: card.title.clone(),
                    frequency: agreed.frequency,
                    low: agreed.low,
                    high: agreed.high,
                    probability_factor: 1.0,
                    impact_factor: 1.0,
                    transfers: Vec::new(),
                };
                for r in responses {
                    self.believed_effect(card, r, &mut belief);
                }
                Some(belief)
            })
            .collect()
    }

    /// Beliefs under the team's adopted strategy.
    pub fn adopted_beliefs(&self, team: &Team) -> Vec<Belief> {
        let adopted: Vec<&BoardResponse> = team
            .responses
            .iter()
            .filter(|r| r.adopted && !r.withdrawn)
            .collect();
        self.team_beliefs(team, &adopted)
    }

    /// Folds what the team expects `response` to do to `card` into `belief`.
    fn believed_effect(&self, card: &Card, response: &BoardResponse, belief: &mut Belief) {
        match &response.origin {
            Origin::Catalogue { response } => {
                let (Some(risk), Some(r)) = (
                    card.risk.as_deref(),
                    self.scenario.as_deref().and_then(|s| s.response(response)),
                ) else {
                    return;
                };
                for e in r.effects.iter().filter(|e| e.risk == risk) {
                    if e.avoid.is_some() {
                        belief.probability_factor = 0.0;
                    }
                    belief.probability_factor *= e.probability.unwrap_or(1.0);
                    belief.impact_factor *= e.impact.unwrap_or(1.0);
                    belief.transfers.extend(e.transfer);
                }
            }
            Origin::Custom { effects, .. } => {
                for e in effects.iter().filter(|e| e.card == card.id) {
                    belief.probability_factor *= e.probability;
                    belief.impact_factor *= e.impact;
                }
            }
        }
    }
}

/// How a board response is named in a [`Strategy`]: its catalogue id (so
/// reports find its cost), or the team's own title.
impl Room {
    /// A custom response's effect on the truth model as the team proposed
    /// it: its multipliers on the scenario risks its cards are linked to
    /// (what the facilitator accepts, or adjusts first).
    pub fn proposed_effects(&self, team: &Team, response: &BoardResponse) -> Vec<Effect> {
        let Origin::Custom { effects, .. } = &response.origin else {
            return Vec::new();
        };
        effects
            .iter()
            .filter_map(|e| {
                let risk = team.card(e.card)?.risk.clone()?;
                Some(Effect {
                    risk,
                    probability: (e.probability != 1.0).then_some(e.probability),
                    impact: (e.impact != 1.0).then_some(e.impact),
                    transfer: None,
                    avoid: None,
                })
            })
            .collect()
    }
}

pub fn response_label(response: &BoardResponse) -> String {
    match &response.origin {
        Origin::Catalogue { response } => response.clone(),
        Origin::Custom { title, .. } => title.clone(),
    }
}

/// A strategy label as people read it: the catalogue title for an id.
pub fn label_title(scenario: &Scenario, label: &str) -> String {
    scenario
        .response(label)
        .map_or_else(|| label.to_owned(), |r| r.title.clone())
}

/// What the team's board is worth by its own beliefs: the simulated year
/// with no responses and with the adopted ones, and what each response on
/// the board adds (or, for an adopted one, what dropping it would lose).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BeliefReport {
    pub none: Summary,
    pub adopted: Summary,
    pub responses: Vec<BeliefValue>,
    /// Live cards with no agreed value yet (left out of the simulation).
    pub unagreed: usize,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BeliefValue {
    pub response: BoardResponseId,
    pub cost: f64,
    /// Expected annual loss it removes, the adopted strategy otherwise as is.
    pub benefit: f64,
    /// Benefit per unit of cost (None for a free response).
    pub return_on_cost: Option<f64>,
}

impl Room {
    /// Simulates the team's beliefs (same seed as everything in the room).
    pub fn belief_report(&self, team: &Team, trials: usize, appetite: f64) -> BeliefReport {
        let seed = self.seed();
        let standing = || team.responses.iter().filter(|r| !r.withdrawn);
        let adopted = |r: &&BoardResponse| r.adopted;
        let none_model = belief_model(&self.team_beliefs(team, &[]));
        let with_beliefs = self.team_beliefs(team, &standing().filter(adopted).collect::<Vec<_>>());
        let with_sim = Simulation::new(belief_model(&with_beliefs), trials, seed).run();
        let with_means = with_sim.risk_means();
        let responses = standing()
            .map(|r| {
                // The adopted set with this response switched.
                let switched_set: Vec<&BoardResponse> =
                    standing().filter(|x| x.adopted != (x.id == r.id)).collect();
                let switched = self.team_beliefs(team, &switched_set);
                let mut delta = 0.0;
                for (i, (b, base)) in switched.iter().zip(&with_beliefs).enumerate() {
                    if b != base {
                        let m = belief_model(std::slice::from_ref(b));
                        delta += mean_loss(&m[0], seed, trials) - with_means[i];
                    }
                }
                // Adopted: dropping it adds `delta`; not adopted: adding it
                // removes `-delta`.
                let benefit = if r.adopted { delta } else { -delta };
                let cost = self.response_cost(&r.origin);
                BeliefValue {
                    response: r.id,
                    cost,
                    benefit,
                    return_on_cost: (cost > 0.0).then(|| benefit / cost),
                }
            })
            .collect();
        BeliefReport {
            none: Simulation::new(none_model, trials, seed)
                .run()
                .summary(appetite),
            adopted: with_sim.summary(appetite),
            responses,
            unagreed: team
                .cards
                .iter()
                .filter(|c| c.live() && c.consensus.is_none())
                .count(),
        }
    }
}
