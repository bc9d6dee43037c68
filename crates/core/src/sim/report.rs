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
    let [baseline, with] = runs(scenario, fired, strategy, trials, seed);
    Report {
        baseline: baseline.summary(appetite),
        with_strategy: with.summary(appetite),
        strategy: strategy.clone(),
        responses: response_values(scenario, fired, strategy, trials, seed),
    }
}

/// The report's two runs: the truth with no responses, then with
/// `strategy`.
pub fn runs(
    scenario: &Scenario,
    fired: &[String],
    strategy: &Strategy,
    trials: usize,
    seed: u64,
) -> [Simulation; 2] {
    [&Strategy::default(), strategy]
        .map(|s| Simulation::new(truth_model(scenario, fired, s), trials, seed).run())
}

/// Each of the strategy's responses: its cost, and the expected annual loss
/// it removes with the others in place.
pub fn response_values(
    scenario: &Scenario,
    fired: &[String],
    strategy: &Strategy,
    trials: usize,
    seed: u64,
) -> Vec<ResponseValue> {
    strategy
        .responses
        .iter()
        .map(|id| {
            let (without, touched) = without_response(strategy, id);
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
        .collect()
}

/// How many risk-samples (one risk in one simulated year) `response_values`
/// simulates.
pub fn response_values_size(
    scenario: &Scenario,
    fired: &[String],
    strategy: &Strategy,
    trials: usize,
) -> usize {
    strategy
        .responses
        .iter()
        .map(|id| {
            let (without, touched) = without_response(strategy, id);
            [&without, strategy]
                .iter()
                .map(|s| {
                    truth_model(scenario, fired, s)
                        .iter()
                        .filter(|m| touched.contains(&m.id.as_str()))
                        .count()
                })
                .sum::<usize>()
        })
        .sum::<usize>()
        * trials
}

/// The strategy without response `id`, and the risks that response touches.
fn without_response<'a>(strategy: &'a Strategy, id: &str) -> (Strategy, Vec<&'a str>) {
    let mut without = strategy.clone();
    without.effects.retain(|(r, _)| r != id);
    let touched = strategy
        .effects
        .iter()
        .filter(|(r, _)| r == id)
        .map(|(_, e)| e.risk.as_str())
        .collect();
    (without, touched)
}
