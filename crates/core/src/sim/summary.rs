//! What a simulation tells people: the mean with its standard error,
//! percentiles (found by selection, not a full sort), a histogram, the
//! loss-exceedance curve, the chance of a year beyond the appetite, and
//! which risks drive the tail.

use serde::{Deserialize, Serialize};

use super::engine::Simulation;

/// Histogram bars and points on the exceedance curve.
pub const BINS: usize = 40;
pub const CURVE_POINTS: usize = 48;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Width of each bar; the last bar also holds everything beyond.
    pub bin_width: f64,
    pub counts: Vec<u32>,
}

/// One risk's part in the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskStat {
    pub id: String,
    pub title: String,
    /// Its mean annual loss.
    pub mean: f64,
    /// Its mean loss in the worst 10% of years (those at or above P90).
    pub tail_mean: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub trials: usize,
    pub seed: u64,
    pub mean: f64,
    /// Standard error of the mean.
    pub std_error: f64,
    pub percentiles: Percentiles,
    pub max: f64,
    pub histogram: Histogram,
    /// (loss, chance that a year's loss exceeds it).
    pub exceedance: Vec<(f64, f64)>,
    pub appetite: f64,
    /// Chance that a year's loss exceeds the appetite.
    pub p_exceed_appetite: f64,
    /// Risks, largest tail contribution first.
    pub risks: Vec<RiskStat>,
}

impl Summary {
    /// Whether the year's loss stays within the risk appetite: the scenario
    /// sets it as the most a 1-in-10 bad year (the P90) may cost.
    pub fn within_appetite(&self) -> bool {
        self.percentiles.p90 <= self.appetite
    }
}

/// The value at rank ⌈q·n⌉ (nearest rank), found by selection.
fn select(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
    let (_, v, _) = values.select_nth_unstable_by(rank - 1, f64::total_cmp);
    *v
}

/// Percentiles of a set of annual losses.
pub fn percentiles(totals: &[f64]) -> Percentiles {
    let mut work = totals.to_vec();
    // Select in increasing order on the shrinking upper part.
    let n = work.len();
    let p50 = select(&mut work, 0.5);
    let rank = |q: f64| ((q * n as f64).ceil() as usize).clamp(1, n.max(1));
    let upper = |work: &mut Vec<f64>, from: usize, q: f64| {
        let r = rank(q);
        let slice = &mut work[from..];
        let (_, v, _) = slice.select_nth_unstable_by(r - 1 - from, f64::total_cmp);
        *v
    };
    if n == 0 {
        return Percentiles {
            p50: 0.0,
            p90: 0.0,
            p95: 0.0,
            p99: 0.0,
        };
    }
    // Each selection leaves every value from the previous rank's index on
    // at or above it, so the next looks there only (ranks can coincide in
    // a small sample: the slice then starts at the value itself).
    let p90 = upper(&mut work, rank(0.5) - 1, 0.9);
    let p95 = upper(&mut work, rank(0.9) - 1, 0.95);
    let p99 = upper(&mut work, rank(0.95) - 1, 0.99);
    Percentiles { p50, p90, p95, p99 }
}

impl Simulation {
    /// Sums up a finished run against the risk appetite.
    pub fn summary(&self, appetite: f64) -> Summary {
        let totals = &self.totals;
        let n = totals.len().max(1) as f64;
        let mean = totals.iter().sum::<f64>() / n;
        let var = totals.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0).max(1.0);
        let percentiles = percentiles(totals);
        let max = totals.iter().copied().fold(0.0, f64::max);

        let top = percentiles.p99.max(appetite).max(1.0) * 1.25;
        let bin_width = top / BINS as f64;
        let mut counts = vec![0u32; BINS];
        // Fine bins for the exceedance curve: exact counts at their edges.
        let fine = CURVE_POINTS * 16;
        let fine_width = top / fine as f64;
        let mut fine_counts = vec![0u32; fine + 1];
        let mut over_appetite = 0u32;
        for &x in totals {
            let b = ((x / bin_width) as usize).min(BINS - 1);
            counts[b] += 1;
            if x > 0.0 {
                fine_counts[((x / fine_width) as usize).min(fine)] += 1;
            }
            if x > appetite {
                over_appetite += 1;
            }
        }
        // count(x > edge k) = everything in fine bins ≥ k (zeros excluded).
        let mut above = vec![0u32; fine + 2];
        for k in (0..=fine).rev() {
            above[k] = above[k + 1] + fine_counts[k];
        }
        let exceedance = (0..=CURVE_POINTS)
            .map(|i| {
                let k = i * 16;
                (k as f64 * fine_width, f64::from(above[k]) / n)
            })
            .collect();

        // Tail attribution: recompute each risk in the years at or above P90.
        let tail: Vec<usize> = (0..totals.len())
            .filter(|&t| totals[t] >= percentiles.p90)
            .collect();
        let mut risks: Vec<RiskStat> = self
            .risks
            .iter()
            .enumerate()
            .map(|(r, risk)| {
                let tail_sum: f64 = tail.iter().map(|&t| self.risk_loss(r, t)).sum();
                RiskStat {
                    id: risk.id.clone(),
                    title: risk.title.clone(),
                    mean: 0.0,
                    tail_mean: tail_sum / tail.len().max(1) as f64,
                }
            })
            .collect();
        for (stat, mean) in risks.iter_mut().zip(self.risk_means()) {
            stat.mean = mean;
        }
        risks.sort_by(|a, b| {
            b.tail_mean
                .total_cmp(&a.tail_mean)
                .then_with(|| a.id.cmp(&b.id))
        });

        Summary {
            trials: totals.len(),
            seed: self.seed,
            mean,
            std_error: (var / n).sqrt(),
            percentiles,
            max,
            histogram: Histogram { bin_width, counts },
            exceedance,
            appetite,
            p_exceed_appetite: f64::from(over_appetite) / n,
            risks,
        }
    }
}
