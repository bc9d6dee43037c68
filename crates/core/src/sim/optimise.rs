//! The best strategy the catalogue allows within a budget — the yardstick
//! of the team's quantitative score. Objective: the largest net benefit
//! (expected annual loss removed minus the strategy's cost), with cost
//! within budget; ties go to the cheaper strategy.
//!
//! Method: expected loss is a sum over risks, and a risk's expected loss
//! depends only on the responses that touch it. So each risk is simulated
//! once per subset of its own responses (common random numbers), and then
//! every subset of the catalogue within budget is scored exactly from those
//! tables. Exhaustive up to `EXACT_LIMIT` responses; beyond, greedy by
//! marginal net benefit.

use serde::{Deserialize, Serialize};

use super::engine::mean_loss;
use super::model::{Strategy, truth_model, truth_risks};
use crate::scenario::Scenario;

/// Largest catalogue searched exhaustively (2^22 ≈ 4 million subsets).
pub const EXACT_LIMIT: usize = 22;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Best {
    pub responses: Vec<String>,
    pub cost: f64,
    /// Expected annual loss with no responses, and with this strategy.
    pub loss_without: f64,
    pub loss_with: f64,
    /// How it was found, in words.
    pub method: String,
}

impl Best {
    pub fn net_benefit(&self) -> f64 {
        self.loss_without - self.loss_with - self.cost
    }
}

/// Expected annual loss under a strategy, risk by risk.
pub fn expected_loss(
    scenario: &Scenario,
    fired: &[String],
    strategy: &Strategy,
    seed: u64,
    trials: usize,
) -> f64 {
    truth_model(scenario, fired, strategy)
        .iter()
        .map(|r| mean_loss(r, seed, trials))
        .sum()
}

/// The responses that change something.
fn catalogue(scenario: &Scenario) -> Vec<&crate::scenario::Response> {
    scenario
        .responses
        .iter()
        .filter(|r| !r.effects.is_empty())
        .collect()
}

/// The catalogue indices of the responses touching a risk.
fn touching(catalogue: &[&crate::scenario::Response], risk: &str) -> Vec<usize> {
    (0..catalogue.len())
        .filter(|&i| catalogue[i].effects.iter().any(|e| e.risk == risk))
        .collect()
}

/// How many risk-samples (one risk in one simulated year) `best_strategy`
/// simulates: each risk under every combination of its responses.
pub fn search_size(scenario: &Scenario, fired: &[String], trials: usize) -> usize {
    let catalogue = catalogue(scenario);
    truth_risks(scenario, fired)
        .iter()
        .map(|risk| 1usize << touching(&catalogue, &risk.id).len())
        .sum::<usize>()
        * trials
}

/// Finds the best strategy within `budget`.
pub fn best_strategy(
    scenario: &Scenario,
    fired: &[String],
    budget: f64,
    seed: u64,
    trials: usize,
) -> Best {
    let catalogue = catalogue(scenario);
    let cost_of = |i: usize| catalogue[i].total_cost();
    let risks = truth_risks(scenario, fired);
    // Per risk: the catalogue indices touching it, and its mean loss for each
    // subset of those (bit j of the subset = j-th touching response).
    let tables: Vec<(Vec<usize>, Vec<f64>)> = risks
        .iter()
        .map(|risk| {
            let touching = touching(&catalogue, &risk.id);
            let losses = (0..1usize << touching.len())
                .map(|mask| {
                    let ids: Vec<&str> = touching
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| mask >> j & 1 == 1)
                        .map(|(_, &i)| catalogue[i].id.as_str())
                        .collect();
                    let strategy = Strategy::from_catalogue(scenario, &ids);
                    truth_model(scenario, fired, &strategy)
                        .iter()
                        .find(|m| m.id == risk.id)
                        .map_or(0.0, |m| mean_loss(m, seed, trials))
                })
                .collect();
            (touching, losses)
        })
        .collect();
    let loss_of = |chosen: &dyn Fn(usize) -> bool| -> f64 {
        tables
            .iter()
            .map(|(touching, losses)| {
                let mask = touching
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| chosen(**i))
                    .fold(0usize, |m, (j, _)| m | 1 << j);
                losses[mask]
            })
            .sum()
    };
    let loss_without = loss_of(&|_| false);
    let n = catalogue.len();
    let (chosen, method): (Vec<usize>, String) = if n <= EXACT_LIMIT {
        let mut best: (f64, f64, u32) = (0.0, 0.0, 0); // (net, cost, mask)
        for mask in 0u32..(1u32 << n) {
            let cost: f64 = (0..n).filter(|i| mask >> i & 1 == 1).map(cost_of).sum();
            if cost > budget + 1e-9 {
                continue;
            }
            let net = loss_without - loss_of(&|i| mask >> i & 1 == 1) - cost;
            if net > best.0 + 1e-9 || ((net - best.0).abs() <= 1e-9 && cost < best.1) {
                best = (net, cost, mask);
            }
        }
        (
            (0..n).filter(|i| best.2 >> i & 1 == 1).collect(),
            format!(
                "exhaustive search of all {} combinations of the {n} catalogue responses",
                1u64 << n
            ),
        )
    } else {
        let mut chosen: Vec<usize> = Vec::new();
        loop {
            let spent: f64 = chosen.iter().map(|&i| cost_of(i)).sum();
            let current = loss_of(&|i| chosen.contains(&i));
            let next = (0..n)
                .filter(|i| !chosen.contains(i) && spent + cost_of(*i) <= budget + 1e-9)
                .map(|i| {
                    let with = loss_of(&|k| k == i || chosen.contains(&k));
                    (i, current - with - cost_of(i))
                })
                .filter(|(_, gain)| *gain > 0.0)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match next {
                Some((i, _)) => chosen.push(i),
                None => break,
            }
        }
        (
            chosen,
            format!("greedy search by net benefit over the {n} catalogue responses"),
        )
    };
    let cost = chosen.iter().map(|&i| cost_of(i)).sum();
    let loss_with = loss_of(&|i| chosen.contains(&i));
    Best {
        responses: chosen.iter().map(|&i| catalogue[i].id.clone()).collect(),
        cost,
        loss_without,
        loss_with,
        method,
    }
}
