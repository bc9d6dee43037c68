//! A strategy's report: the simulation under it beside the simulation with
//! no responses, and each response's benefit and return on cost.

use serde::{Deserialize, Serialize};

use super::engine::{Simulation, mean_loss};
use super::model::{Strategy, truth_model};
use super::summary::Summary;
use crate::scenario::Scenario;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseValue {
    pub response: String,
    pub cost: f64,
    /// Expected annual loss removed by this response, the others in place.
    pub benefit: f64,
    /// Benefit per unit of cost (None for a free response).
    pub return_on_cost: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub baseline: Summary,
    pub with_strategy: Summary,
    pub strategy: Strategy,
    pub responses: Vec<ResponseValue>,
}

/// Simulates the truth with and without `strategy` (same seed, so the two
/// differ only by what the strategy does).
pub fn report(
    scenario: &Scenario,
    fired: &[String],
    strategy: &Strategy,
    trials: usize,
    seed: u64,
    appetite: f64,
) -> Report {
    let baseline = Simulation::new(
        truth_model(scenario, fired, &Strategy::default()),
        trials,
        seed,
    )
    .run();
    let with = Simulation::new(truth_model(scenario, fired, strategy), trials, seed).run();
    let responses = strategy
        .responses
        .iter()
        .map(|id| {
            let mut without = strategy.clone();
            without.effects.retain(|(r, _)| r != id);
            let touched: Vec<&str> = strategy
                .effects
                .iter()
                .filter(|(r, _)| r == id)
                .map(|(_, e)| e.risk.as_str())
                .collect();
            // Only the risks this response touches change without it.
            let loss = |s: &Strategy| -> f64 {
                truth_model(scenario, fired, s)
                    .iter()
                    .filter(|m| touched.contains(&m.id.as_str()))
                    .map(|m| mean_loss(m, seed, trials))
                    .sum()
            };
            let benefit = loss(&without) - loss(strategy);
            let cost = scenario
                .response(id)
                .map_or(0.0, crate::scenario::Response::total_cost);
            ResponseValue {
                response: id.clone(),
                cost,
                benefit,
                return_on_cost: (cost > 0.0).then(|| benefit / cost),
            }
        })
        .collect();
    Report {
        baseline: baseline.summary(appetite),
        with_strategy: with.summary(appetite),
        strategy: strategy.clone(),
        responses,
    }
}
