//! The Monte Carlo loop. Trials run in blocks, risk by risk within a block
//! (the block's running totals stay in cache), with no allocation inside.
//! Every (risk, trial) draws from its own counter-based stream, so a run can
//! be cut into slices — for a responsive page, or because V8 optimises a
//! WebAssembly function only between calls — and give the same numbers.

use super::math;
use super::model::{Occurrence, RiskModel, Severity};
use super::rng::{Stream, risk_key};

/// Trials per block.
pub const BLOCK: usize = 2048;

/// The loss of one trial of one risk.
#[inline]
pub fn trial_loss(risk: &RiskModel, key: u64, trial: u64) -> f64 {
    let mut stream = Stream::new(key, trial);
    let u = stream.uniform();
    let events = match risk.occurrence {
        Occurrence::Once { p } => {
            if u >= p {
                return 0.0;
            }
            1
        }
        Occurrence::Poisson { rate, exp_neg } => poisson(u, rate, exp_neg),
    };
    let mut total = 0.0;
    for _ in 0..events {
        let gross = sample(&risk.severity, &mut stream) * risk.impact_factor;
        total += retained(gross, risk);
    }
    total
}

/// What the organisation still bears of one event's loss after transfers.
#[inline]
pub fn retained(mut loss: f64, risk: &RiskModel) -> f64 {
    for t in &risk.transfers {
        let paid = (loss - t.deductible).clamp(0.0, t.cap);
        loss -= paid;
    }
    loss
}

/// Poisson(rate) by inversion of one uniform (monotone in `u`, so a lower
/// rate never gives more events for the same draw).
#[inline]
pub fn poisson(u: f64, rate: f64, exp_neg: f64) -> u32 {
    let mut k = 0u32;
    let mut p = exp_neg;
    let mut cdf = p;
    while u > cdf && k < 10_000 {
        k += 1;
        p *= rate / f64::from(k);
        cdf += p;
        if p == 0.0 && cdf < u {
            break;
        }
    }
    k
}

/// One event's loss before impact factor and transfers.
#[inline]
pub fn sample(severity: &Severity, stream: &mut Stream) -> f64 {
    match *severity {
        Severity::Lognormal { mu, sigma } => {
            math::exp(mu + sigma * math::normal_quantile(stream.uniform()))
        }
        Severity::Pert {
            min,
            range,
            alpha,
            beta,
        } => {
            let x = gamma(alpha, stream);
            let y = gamma(beta, stream);
            min + range * x / (x + y)
        }
        Severity::Triangular { min, mode, max } => {
            let u = stream.uniform();
            let split = (mode - min) / (max - min);
            if u < split {
                min + (u * (max - min) * (mode - min)).sqrt()
            } else {
                max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
            }
        }
        Severity::Uniform { min, width } => min + width * stream.uniform(),
    }
}

/// Gamma(shape ≥ 1, 1) by Marsaglia and Tsang's method.
#[inline]
fn gamma(shape: f64, stream: &mut Stream) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = math::normal_quantile(stream.uniform());
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = stream.uniform();
        if u < 1.0 - 0.0331 * x * x * x * x
            || math::ln(u) < 0.5 * x * x + d * (1.0 - v + math::ln(v))
        {
            return d * v;
        }
    }
}

/// A simulation that can run in slices.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub risks: Vec<RiskModel>,
    keys: Vec<u64>,
    pub seed: u64,
    /// Annual loss of each trial run so far.
    pub totals: Vec<f64>,
    /// Each risk's loss summed over the trials run so far.
    pub risk_sums: Vec<f64>,
    pub trials: usize,
}

impl Simulation {
    pub fn new(risks: Vec<RiskModel>, trials: usize, seed: u64) -> Self {
        let keys = risks.iter().map(|r| risk_key(seed, &r.id)).collect();
        Self {
            risk_sums: vec![0.0; risks.len()],
            risks,
            keys,
            seed,
            totals: Vec::with_capacity(trials),
            trials,
        }
    }

    pub fn done(&self) -> bool {
        self.totals.len() >= self.trials
    }

    /// Runs up to `max_trials` more trials; returns how many are done.
    pub fn step(&mut self, max_trials: usize) -> usize {
        let end = (self.totals.len() + max_trials).min(self.trials);
        let mut block = [0.0f64; BLOCK];
        while self.totals.len() < end {
            let start = self.totals.len();
            let n = (end - start).min(BLOCK);
            let block = &mut block[..n];
            block.fill(0.0);
            for ((risk, &key), sum) in self.risks.iter().zip(&self.keys).zip(&mut self.risk_sums) {
                let mut risk_sum = 0.0;
                for (i, slot) in block.iter_mut().enumerate() {
                    let loss = trial_loss(risk, key, (start + i) as u64);
                    *slot += loss;
                    risk_sum += loss;
                }
                *sum += risk_sum;
            }
            self.totals.extend_from_slice(block);
        }
        self.totals.len()
    }

    /// Runs to the end.
    pub fn run(mut self) -> Self {
        self.step(self.trials);
        self
    }

    /// The loss of one risk in one trial (recomputed, bit for bit).
    pub fn risk_loss(&self, risk: usize, trial: usize) -> f64 {
        trial_loss(&self.risks[risk], self.keys[risk], trial as u64)
    }

    /// Mean annual loss of each risk over the trials run.
    pub fn risk_means(&self) -> Vec<f64> {
        let n = self.totals.len().max(1) as f64;
        self.risk_sums.iter().map(|s| s / n).collect()
    }
}

/// Mean annual loss of one risk model over `trials` (for strategy search).
pub fn mean_loss(risk: &RiskModel, seed: u64, trials: usize) -> f64 {
    let key = risk_key(seed, &risk.id);
    (0..trials as u64)
        .map(|t| trial_loss(risk, key, t))
        .sum::<f64>()
        / trials.max(1) as f64
}
