//! The Monte Carlo loop. Trials run in blocks, risk by risk within a block,
//! in passes shaped for the processor rather than one trial at a time:
//!
//! 1. for every trial of the block, without branches, the draw that
//!    decides how often the risk strikes, and the striking trials written
//!    into a short list (most trials see no event, and cost no more than a
//!    hash — one for two trials of a yes/no risk — and a comparison);
//! 2. for the events on that list only, the severity draws, then `exp`,
//!    impact factor and transfers over the whole list in loops that LLVM
//!    vectorises;
//! 3. each striking trial's loss added to the block's totals.
//!
//! No allocation inside. Every (risk, trial) draws from its own
//! counter-based stream and each of its events from its own stretch of it,
//! so a run can be cut into slices — for a responsive page, or because V8
//! optimises a WebAssembly function only between calls — and give the same
//! numbers, and one (risk, trial) can be recomputed alone (`trial_loss`,
//! `Simulation::risk_loss`) by the same operations, bit for bit.

use super::math;
use super::model::{Occurrence, RiskModel, Severity};
use super::normal::{MAX, Ziggurat, first_try, normal, tables};
use super::pert::Strips;
use super::rng::{Stream, risk_key};
use crate::scenario::Transfer;

/// Trials per block.
pub const BLOCK: usize = 2048;
/// Poisson counts decided by table look-up (up to 14; larger ones by
/// `poisson`); the last entry stays +∞.
const TABLE: usize = 16;

/// Lognormal parameters are kept within these, so that every log-loss
/// mu + sigma·x, with |x| < `normal::MAX`, is inside the range of
/// `exp_in_range` (checked at compile time below). A 90% range beyond them
/// spans more than a factor of e^131, or centres on more than e^140: no
/// loss in money comes near.
const MU_MAX: f64 = 140.0;
const SIGMA_MAX: f64 = 40.0;
const _: () = assert!(MU_MAX + SIGMA_MAX * MAX < 700.0);

/// How often a risk strikes, with what the loop needs precomputed.
#[derive(Clone, Debug)]
enum Count {
    /// At most once: the risk strikes in trial t when 32 bits of the pair
    /// of trials' draw (t / 2; low half for even t) fall below `threshold`
    /// = p·2^32 — one hash for two trials, and an integer comparison.
    Once { threshold: u64 },
    Poisson {
        rate: f64,
        exp_neg: f64,
        /// The CDF at 0, 1, … as `poisson` accumulates it (+∞ past `len`).
        cdf: [f64; TABLE],
        len: u32,
    },
}

const LOW_HALF: u64 = 0xffff_ffff;

impl Count {
    fn new(occurrence: Occurrence) -> Self {
        match occurrence {
            Occurrence::Once { p } => Count::Once {
                // Saturating: p = 1 gives 2^32, above every 32-bit draw.
                threshold: (p * 4_294_967_296.0) as u64,
            },
            Occurrence::Poisson { rate, exp_neg } => {
                // The same additions as `poisson`, so a count read from the
                // table is the count `poisson` returns.
                let mut cdf = [f64::INFINITY; TABLE];
                let mut p = exp_neg;
                let mut c = p;
                let mut len = 0;
                while len < TABLE - 1 {
                    cdf[len] = c;
                    len += 1;
                    if c >= 1.0 - 1e-12 {
                        break;
                    }
                    p *= rate / len as f64;
                    c += p;
                }
                Count::Poisson {
                    rate,
                    exp_neg,
                    cdf,
                    len: len as u32,
                }
            }
        }
    }

    /// The number of events in one trial.
    #[inline]
    fn events(&self, key: u64, trial: u64) -> u32 {
        match *self {
            Count::Once { threshold } => {
                let bits = Stream::new(key, trial >> 1).first_bits();
                let half = if trial & 1 == 0 {
                    bits & LOW_HALF
                } else {
                    bits >> 32
                };
                u32::from(half < threshold)
            }
            Count::Poisson { .. } => self.poisson(Stream::new(key, trial).uniform_at_start()),
        }
    }

    /// A Poisson count from its uniform: the table when it covers `u`.
    #[inline]
    fn poisson(&self, u: f64) -> u32 {
        let Count::Poisson {
            rate,
            exp_neg,
            ref cdf,
            len,
        } = *self
        else {
            return 0;
        };
        // How many entries lie below u, by a binary search without
        // branches (the table is sorted, its last entry +∞).
        let mut k = 0;
        for half in [8, 4, 2, 1] {
            k += usize::from(u > cdf[k + half - 1]) * half;
        }
        let k = k as u32;
        if k < len {
            k
        } else {
            poisson(u, rate, exp_neg)
        }
    }
}

/// One event's loss before impact factor and transfers, in two steps: a
/// draw from the event's stream (`first`), then a transformation without
/// branches (`then`) that the loop applies to a whole list at once.
#[derive(Clone, Debug)]
enum Draw {
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Pert {
        min: f64,
        range: f64,
        strips: Box<Strips>,
    },
    Triangular {
        min: f64,
        max: f64,
        split: f64,
        below: f64,
        above: f64,
    },
    Uniform {
        min: f64,
        width: f64,
    },
}

impl Draw {
    fn new(severity: &Severity) -> Self {
        match *severity {
            Severity::Lognormal { mu, sigma } => Draw::Lognormal {
                mu: mu.clamp(-MU_MAX, MU_MAX),
                sigma: sigma.clamp(0.0, SIGMA_MAX),
            },
            Severity::Pert {
                min,
                range,
                alpha,
                beta,
            } => Draw::Pert {
                min,
                range,
                strips: Box::new(Strips::new(alpha, beta)),
            },
            Severity::Triangular { min, mode, max } => Draw::Triangular {
                min,
                max,
                split: (mode - min) / (max - min),
                below: (max - min) * (mode - min),
                above: (max - min) * (max - mode),
            },
            Severity::Uniform { min, width } => Draw::Uniform { min, width },
        }
    }

    /// Lognormal: the log of the loss; PERT: the loss; otherwise a uniform.
    #[inline]
    fn first(&self, stream: &mut Stream, z: &Ziggurat) -> f64 {
        match *self {
            Draw::Lognormal { mu, sigma } => mu + sigma * normal(stream, z),
            Draw::Pert {
                min,
                range,
                ref strips,
            } => min + range * strips.draw(stream),
            Draw::Triangular { .. } | Draw::Uniform { .. } => stream.uniform(),
        }
    }

    #[inline]
    fn then(&self, v: f64) -> f64 {
        match *self {
            Draw::Lognormal { .. } => math::exp_in_range(v),
            Draw::Pert { .. } => v,
            Draw::Triangular {
                min,
                max,
                split,
                below,
                above,
            } => triangular(v, min, max, split, below, above),
            Draw::Uniform { min, width } => min + width * v,
        }
    }

    /// `then` and the impact factor over a list, one loop per kind so each
    /// body is straight-line code.
    #[inline]
    fn then_all(&self, values: &mut [f64], impact: f64) {
        match *self {
            Draw::Lognormal { .. } => values
                .iter_mut()
                .for_each(|v| *v = math::exp_in_range(*v) * impact),
            Draw::Pert { .. } => values.iter_mut().for_each(|v| *v *= impact),
            Draw::Triangular {
                min,
                max,
                split,
                below,
                above,
            } => values
                .iter_mut()
                .for_each(|v| *v = triangular(*v, min, max, split, below, above) * impact),
            Draw::Uniform { min, width } => values
                .iter_mut()
                .for_each(|v| *v = (min + width * *v) * impact),
        }
    }
}

/// The triangular quantile of `u`, choosing before the one square root.
#[inline]
fn triangular(u: f64, min: f64, max: f64, split: f64, below: f64, above: f64) -> f64 {
    let left = u < split;
    let r = select(left, u * below, (1.0 - u) * above).sqrt();
    select(left, min + r, max - r)
}

/// `if c { a } else { b }` by bit masks: the choice is a coin toss, which a
/// branch would get wrong half the time.
#[inline]
fn select(c: bool, a: f64, b: f64) -> f64 {
    let mask = u64::from(c).wrapping_neg();
    f64::from_bits((a.to_bits() & mask) | (b.to_bits() & !mask))
}

/// A risk ready for the loop: its key and precomputed constants.
#[derive(Clone, Debug)]
struct Prepared {
    key: u64,
    count: Count,
    draw: Draw,
    impact: f64,
}

impl Prepared {
    fn new(risk: &RiskModel, key: u64) -> Self {
        Self {
            key,
            count: Count::new(risk.occurrence),
            draw: Draw::new(&risk.severity),
            impact: risk.impact_factor,
        }
    }

    /// The loss of one trial, alone: the reference the block loop matches.
    fn trial_loss(&self, transfers: &[Transfer], trial: u64, z: &Ziggurat) -> f64 {
        let events = self.count.events(self.key, trial);
        let mut total = 0.0;
        for event in 0..events {
            let v = self
                .draw
                .first(&mut Stream::event(self.key, trial, event), z);
            total += retained_by(transfers, self.draw.then(v) * self.impact);
        }
        total
    }
}

/// An index into a block's lists, which the loops keep below `BLOCK` (a
/// list never outgrows the trials or events already seen): masked, so
/// the compiler knows it too and leaves out the bounds check.
#[inline]
fn slot(i: usize) -> usize {
    i % BLOCK
}

/// Working space for one block (on the stack: nothing is allocated).
struct Scratch {
    /// Trials (within the block) of the events to sample, in order.
    trial: [u32; BLOCK],
    loss: [f64; BLOCK],
    /// Events whose first try was not the draw.
    again: [u32; BLOCK],
    count: [u32; BLOCK],
    /// Each trial's loss from a risk that can strike more than once.
    year: [f64; BLOCK],
}

impl Scratch {
    fn new() -> Self {
        Self {
            trial: [0; BLOCK],
            loss: [0.0; BLOCK],
            again: [0; BLOCK],
            count: [0; BLOCK],
            year: [0.0; BLOCK],
        }
    }
}

/// Adds one risk's losses in trials `start..start + block.len()` to
/// `block`; returns their sum.
fn run_risk(
    risk: &Prepared,
    transfers: &[Transfer],
    start: u64,
    block: &mut [f64],
    scratch: &mut Scratch,
    z: &Ziggurat,
) -> f64 {
    let n = block.len();
    let key = risk.key;
    match risk.count {
        Count::Once { threshold } => {
            // Trials in pairs, one hash each; an odd trial at either end of
            // the block alone.
            let mut m = 0;
            let mut i = 0;
            if start & 1 == 1 {
                scratch.trial[m] = 0;
                m += risk.count.events(key, start) as usize;
                i = 1;
            }
            let mut pair = Stream::new(key, (start + i as u64) >> 1);
            while i + 1 < n {
                let bits = pair.first_bits();
                pair = pair.next_trial();
                scratch.trial[slot(m)] = i as u32;
                m += usize::from(bits & LOW_HALF < threshold);
                scratch.trial[slot(m)] = i as u32 + 1;
                m += usize::from(bits >> 32 < threshold);
                i += 2;
            }
            if i < n {
                scratch.trial[slot(m)] = i as u32;
                m += risk.count.events(key, start + i as u64) as usize;
            }
            sample_events(risk, transfers, start, m, 0, scratch, z);
            let Scratch { trial, loss, .. } = scratch;
            for (&t, &l) in trial[..m].iter().zip(&loss[..m]) {
                block[t as usize] += l;
            }
            sum(&loss[..m])
        }
        Count::Poisson { .. } => {
            let Scratch {
                trial, count, year, ..
            } = &mut *scratch;
            let mut stream = Stream::new(key, start);
            let mut m = 0;
            for (i, c) in count[..n].iter_mut().enumerate() {
                *c = risk.count.poisson(stream.uniform_at_start());
                stream = stream.next_trial();
                trial[slot(m)] = i as u32;
                m += usize::from(*c > 0);
            }
            year[..n].fill(0.0);
            // Event by event number: first event 0 of every striking trial,
            // then event 1 of those with two or more, … Within one pass the
            // trials differ, so the additions do not wait on each other, and
            // each trial's events are still added in order, from 0.0, as in
            // `trial_loss`.
            let mut event = 0;
            while m > 0 {
                sample_events(risk, transfers, start, m, event, scratch, z);
                let Scratch {
                    trial,
                    loss,
                    count,
                    year,
                    ..
                } = &mut *scratch;
                for (&t, &l) in trial[..m].iter().zip(&loss[..m]) {
                    year[t as usize] += l;
                }
                event += 1;
                let mut kept = 0;
                for e in 0..m {
                    let t = trial[e];
                    trial[slot(kept)] = t;
                    kept += usize::from(count[t as usize] > event);
                }
                m = kept;
            }
            // Adding 0.0 for a year without events changes nothing.
            for (b, y) in block.iter_mut().zip(&scratch.year[..n]) {
                *b += y;
            }
            sum(&scratch.year[..n])
        }
    }
}

/// Fills `scratch.loss[..m]` with the retained loss of event number `event`
/// of each listed trial.
/// Lognormal and PERT events are first tried without branches on the
/// assumption that every rejection step accepts at once (true for about 99%
/// of lognormal and 98% of PERT events); the rest are listed and drawn
/// again in full, by the code `trial_loss` uses.
fn sample_events(
    risk: &Prepared,
    transfers: &[Transfer],
    start: u64,
    m: usize,
    event: u32,
    scratch: &mut Scratch,
    z: &Ziggurat,
) {
    let Scratch {
        trial, loss, again, ..
    } = scratch;
    let key = risk.key;
    let stream = |e: usize| Stream::event(key, start + u64::from(trial[e]), event);
    let mut redo = 0;
    match risk.draw {
        Draw::Lognormal { mu, sigma } => {
            for (e, l) in loss[..m].iter_mut().enumerate() {
                let (x, ok) = first_try(stream(e).next_u64(), z);
                *l = mu + sigma * x;
                again[slot(redo)] = e as u32;
                redo += usize::from(!ok);
            }
        }
        Draw::Pert {
            min,
            range,
            ref strips,
        } => {
            for (e, l) in loss[..m].iter_mut().enumerate() {
                let mut s = stream(e);
                let (x, ok) = strips.first_try(s.next_u64(), s.next_u64());
                *l = min + range * x;
                again[slot(redo)] = e as u32;
                redo += usize::from(!ok);
            }
        }
        Draw::Triangular { .. } | Draw::Uniform { .. } => {
            for (e, l) in loss[..m].iter_mut().enumerate() {
                *l = stream(e).uniform();
            }
        }
    }
    for &e in &again[..redo] {
        let e = e as usize;
        loss[e] = risk.draw.first(&mut stream(e), z);
    }
    let loss = &mut loss[..m];
    risk.draw.then_all(loss, risk.impact);
    for t in transfers {
        for l in loss.iter_mut() {
            *l -= (*l - t.deductible).clamp(0.0, t.cap);
        }
    }
}

/// A sum in a fixed order, four lanes wide so it does not wait on one chain.
fn sum(values: &[f64]) -> f64 {
    let mut lanes = [0.0; 4];
    let mut chunks = values.chunks_exact(4);
    for c in &mut chunks {
        lanes[0] += c[0];
        lanes[1] += c[1];
        lanes[2] += c[2];
        lanes[3] += c[3];
    }
    let rest: f64 = chunks.remainder().iter().sum();
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + rest
}

/// The loss of one trial of one risk.
pub fn trial_loss(risk: &RiskModel, key: u64, trial: u64) -> f64 {
    Prepared::new(risk, key).trial_loss(&risk.transfers, trial, tables())
}

/// What the organisation still bears of one event's loss after transfers.
#[inline]
pub fn retained(loss: f64, risk: &RiskModel) -> f64 {
    retained_by(&risk.transfers, loss)
}

#[inline]
fn retained_by(transfers: &[Transfer], mut loss: f64) -> f64 {
    for t in transfers {
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

/// Draws of one event's loss before impact factor and transfers, with the
/// severity's tables built once.
#[derive(Clone, Debug)]
pub struct Sampler(Draw);

impl Sampler {
    pub fn new(severity: &Severity) -> Self {
        Self(Draw::new(severity))
    }

    pub fn sample(&self, stream: &mut Stream) -> f64 {
        self.0.then(self.0.first(stream, tables()))
    }
}

/// A simulation that can run in slices.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub risks: Vec<RiskModel>,
    prepared: Vec<Prepared>,
    pub seed: u64,
    /// Annual loss of each trial run so far.
    pub totals: Vec<f64>,
    /// Each risk's loss summed over the trials run so far.
    pub risk_sums: Vec<f64>,
    pub trials: usize,
}

impl Simulation {
    pub fn new(risks: Vec<RiskModel>, trials: usize, seed: u64) -> Self {
        let prepared = risks
            .iter()
            .map(|r| Prepared::new(r, risk_key(seed, &r.id)))
            .collect();
        Self {
            risk_sums: vec![0.0; risks.len()],
            risks,
            prepared,
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
        let z = tables();
        let mut scratch = Scratch::new();
        while self.totals.len() < end {
            let start = self.totals.len();
            let n = (end - start).min(BLOCK);
            // Each block's trials are added up in place, from 0.0.
            self.totals.resize(start + n, 0.0);
            let block = &mut self.totals[start..];
            for ((risk, prepared), sum) in self
                .risks
                .iter()
                .zip(&self.prepared)
                .zip(&mut self.risk_sums)
            {
                *sum += run_risk(
                    prepared,
                    &risk.transfers,
                    start as u64,
                    block,
                    &mut scratch,
                    z,
                );
            }
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
        self.prepared[risk].trial_loss(&self.risks[risk].transfers, trial as u64, tables())
    }

    /// Mean annual loss of each risk over the trials run.
    pub fn risk_means(&self) -> Vec<f64> {
        let n = self.totals.len().max(1) as f64;
        self.risk_sums.iter().map(|s| s / n).collect()
    }
}

/// Mean annual loss of one risk model over `trials` (for strategy search).
pub fn mean_loss(risk: &RiskModel, seed: u64, trials: usize) -> f64 {
    let prepared = Prepared::new(risk, risk_key(seed, &risk.id));
    let z = tables();
    let mut block = [0.0f64; BLOCK];
    let mut scratch = Scratch::new();
    let mut total = 0.0;
    let mut start = 0;
    while start < trials {
        let n = (trials - start).min(BLOCK);
        total += run_risk(
            &prepared,
            &risk.transfers,
            start as u64,
            &mut block[..n],
            &mut scratch,
            z,
        );
        start += n;
    }
    total / trials.max(1) as f64
}
