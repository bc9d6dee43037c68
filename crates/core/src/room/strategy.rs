//! A team's board read as numbers: its strategy under the scenario's truth
//! (adopted catalogue responses and accepted custom ones), and its beliefs
//! (agreed estimates with the effects the team expects from its responses)
//! for the live board. The browser and any report read the board this way.

use super::{BoardResponse, Card, Origin, Room, Team};
use crate::scenario::{Effect, Scenario};
use crate::sim::Strategy;
use crate::sim::model::Belief;

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
    pub fn team_beliefs<'a>(
        &self,
        team: &'a Team,
        responses: impl Iterator<Item = &'a BoardResponse> + Clone,
    ) -> Vec<Belief> {
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
                for r in responses.clone() {
                    self.believed_effect(card, r, &mut belief);
                }
                Some(belief)
            })
            .collect()
    }

    /// Beliefs under the team's adopted strategy.
    pub fn adopted_beliefs(&self, team: &Team) -> Vec<Belief> {
        self.team_beliefs(team, team.responses.iter().filter(|r| r.adopted && !r.withdrawn))
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
