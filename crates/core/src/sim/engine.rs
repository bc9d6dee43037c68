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
//!
//! The same passes run over a list of trials instead of a run of them
//! (`run_listed`): the summary's tail — each risk's loss in the years from
//! P90 on — is recomputed that way, a block of years at a time
//! (`Simulation::tail_sums`), except where the run kept it: after its first
//! 4,096 trials a run keeps the years above a line drawn from them (about
//! the worst 14%), with the losses in them of the risks that can strike
//! more than once, which the loop adds up per trial anyway (`Kept`).

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
}

impl Scratch {
    fn new() -> Self {
        Self {
            trial: [0; BLOCK],
            loss: [0.0; BLOCK],
            again: [0; BLOCK],
            count: [0; BLOCK],
        }
    }
}

/// Adds one risk's losses in trials `start..start + block.len()` to
/// `block`; returns their sum. A risk that can strike more than once adds
/// up each trial's loss in `year` first, where it stays.
fn run_risk(
    risk: &Prepared,
    transfers: &[Transfer],
    start: u64,
    block: &mut [f64],
    year: &mut [f64; BLOCK],
    scratch: &mut Scratch,
    z: &Ziggurat,
) -> f64 {
    let n = block.len();
    let key = risk.key;
    let at = |i: u32| start + u64::from(i);
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
            sample_events(risk, transfers, at, m, 0, scratch, z);
            let Scratch { trial, loss, .. } = scratch;
            for (&t, &l) in trial[..m].iter().zip(&loss[..m]) {
                block[t as usize] += l;
            }
            sum(&loss[..m])
        }
        Count::Poisson { .. } => {
            let Scratch { trial, count, .. } = &mut *scratch;
            let mut stream = Stream::new(key, start);
            let mut m = 0;
            for (i, c) in count[..n].iter_mut().enumerate() {
                *c = risk.count.poisson(stream.uniform_at_start());
                stream = stream.next_trial();
                trial[slot(m)] = i as u32;
                m += usize::from(*c > 0);
            }
            poisson_years(risk, transfers, at, n, m, year, scratch, z);
            // Adding 0.0 for a year without events changes nothing.
            for (b, y) in block.iter_mut().zip(&year[..n]) {
                *b += y;
            }
            sum(&year[..n])
        }
    }
}

/// Each trial's loss from a yes/no risk, from its list of `m` events: 0.0,
/// plus the event's loss where it struck, as `trial_loss` adds.
#[inline]
fn once_years(trial: &[u32; BLOCK], loss: &[f64; BLOCK], m: usize, year: &mut [f64]) {
    year.fill(0.0);
    for (&t, &l) in trial[..m].iter().zip(&loss[..m]) {
        year[t as usize] += l;
    }
}

/// Fills `year[..n]` with each trial's loss from a risk that can strike
/// more than once, given each trial's count in `scratch.count[..n]` and the
/// `m` trials with one or more events listed in `scratch.trial`.
/// Event by event number: first event 0 of every striking trial, then
/// event 1 of those with two or more, … Within one pass the trials differ,
/// so the additions do not wait on each other, and each trial's events are
/// still added in order, from 0.0, as in `trial_loss`.
#[allow(clippy::too_many_arguments)]
#[inline]
fn poisson_years(
    risk: &Prepared,
    transfers: &[Transfer],
    at: impl Fn(u32) -> u64 + Copy,
    n: usize,
    mut m: usize,
    year: &mut [f64; BLOCK],
    scratch: &mut Scratch,
    z: &Ziggurat,
) {
    year[..n].fill(0.0);
    let mut event = 0;
    while m > 0 {
        sample_events(risk, transfers, at, m, event, scratch, z);
        let Scratch {
            trial, loss, count, ..
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
}

/// One risk's loss in each of `trials` (at most `BLOCK`, in any order),
/// written to `year`: the block loop's passes over a list of trials instead
/// of a run of them, so each loss is `trial_loss`'s, bit for bit.
fn run_listed(
    risk: &Prepared,
    transfers: &[Transfer],
    trials: &[u64],
    year: &mut [f64; BLOCK],
    scratch: &mut Scratch,
    z: &Ziggurat,
) {
    let n = trials.len();
    let key = risk.key;
    let at = |i: u32| trials[i as usize];
    match risk.count {
        Count::Once { .. } => {
            let mut m = 0;
            for (i, &t) in trials.iter().enumerate() {
                scratch.trial[slot(m)] = i as u32;
                m += risk.count.events(key, t) as usize;
            }
            sample_events(risk, transfers, at, m, 0, scratch, z);
            once_years(&scratch.trial, &scratch.loss, m, &mut year[..n]);
        }
        Count::Poisson { .. } => {
            let Scratch { trial, count, .. } = &mut *scratch;
            let mut m = 0;
            for (i, (c, &t)) in count[..n].iter_mut().zip(trials).enumerate() {
                *c = risk.count.poisson(Stream::new(key, t).uniform_at_start());
                trial[slot(m)] = i as u32;
                m += usize::from(*c > 0);
            }
            poisson_years(risk, transfers, at, n, m, year, scratch, z);
        }
    }
}

/// Fills `scratch.loss[..m]` with the retained loss of event number `event`
/// of each listed trial (`at` gives the trial of a slot in the list).
/// Lognormal and PERT events are first tried without branches on the
/// assumption that every rejection step accepts at once (true for about 99%
/// of lognormal and 98% of PERT events); the rest are listed and drawn
/// again in full, by the code `trial_loss` uses.
#[inline]
fn sample_events(
    risk: &Prepared,
    transfers: &[Transfer],
    at: impl Fn(u32) -> u64,
    m: usize,
    event: u32,
    scratch: &mut Scratch,
    z: &Ziggurat,
) {
    let Scratch {
        trial, loss, again, ..
    } = scratch;
    let key = risk.key;
    let stream = |e: usize| Stream::event(key, at(trial[e]), event);
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

/// Trials run before a simulation draws the line above which it keeps
/// years, and the share of those early years below it: the line then falls
/// below the final P90 (where the summary's tail begins) by about seven
/// standard deviations of the early years' quantile.
const EARLY: usize = 2 * BLOCK;
const BELOW_LINE: f64 = 0.86;

/// The years at or above a line drawn from the first `EARLY` trials, kept
/// as the trials run, with the losses in them of the risks that can strike
/// more than once. The summary's tail (the years from P90 on) is then found
/// among these, and those risks' losses in it read: the block loop holds
/// each trial's loss of such a risk anyway, while recomputing them would
/// cost as much as their share of the trials. A yes/no risk, which costs a
/// hash and its rare event, is recomputed. Which years are kept decides
/// only how fast the summary is: a year not kept is found and recomputed,
/// bit for bit the same.
#[derive(Clone, Debug, Default)]
struct Kept {
    /// Indices of the risks whose losses are kept, in order.
    risks: Vec<usize>,
    /// Years at or above the line are kept from trial `from` on, until
    /// (at `until`) the kept losses would outnumber the planned trials.
    line: Option<f64>,
    from: usize,
    until: Option<usize>,
    /// The kept years in increasing order, and the kept risks' losses in
    /// each, a row per year.
    trials: Vec<u32>,
    losses: Vec<f64>,
}

impl Kept {
    fn new(risks: &[RiskModel]) -> Self {
        Self {
            risks: (0..risks.len())
                .filter(|&r| matches!(risks[r].occurrence, Occurrence::Poisson { .. }))
                .collect(),
            ..Self::default()
        }
    }

    fn keeping(&self) -> bool {
        self.line.is_some() && self.until.is_none()
    }

    /// Draws the line from the first `EARLY` years' losses; keeps from
    /// trial `from` on.
    fn draw_line(&mut self, early: &[f64], from: usize, planned: usize) {
        let mut work = early.to_vec();
        let rank = (BELOW_LINE * work.len() as f64) as usize;
        let (_, line, _) = work.select_nth_unstable_by(rank, f64::total_cmp);
        self.line = Some(*line);
        self.from = from;
        // Room for the share of years expected above it, and a little.
        let expected = (planned.saturating_sub(from) as f64 * (1.01 - BELOW_LINE)) as usize;
        self.trials.reserve(expected);
        self.losses
            .reserve((expected * self.risks.len()).min(planned));
    }

    /// Keeps the years of a block (trials from `start`, their losses in
    /// `block`) at or above the line, with the kept risks' losses in them
    /// (`years`, one array per kept risk).
    fn add(&mut self, start: usize, block: &[f64], years: &[[f64; BLOCK]], planned: usize) {
        let Some(line) = self.line else { return };
        let mut high = [0u32; BLOCK];
        let mut h = 0;
        for (i, &x) in block.iter().enumerate() {
            high[slot(h)] = i as u32;
            h += usize::from(x >= line);
        }
        if self.losses.len() + h * years.len() > planned {
            self.until = Some(start);
            return;
        }
        let high = &high[..h];
        self.trials.extend(high.iter().map(|&i| start as u32 + i));
        match years {
            [] => {}
            [year] => self.losses.extend(high.iter().map(|&i| year[i as usize])),
            _ => {
                for &i in high {
                    self.losses
                        .extend(years.iter().map(|year| year[i as usize]));
                }
            }
        }
    }
}

/// A year not among the kept.
const NOT_KEPT: u32 = u32::MAX;

/// Working space for the tail's sums: a block of its years, each with its
/// row among the kept, each risk's losses in them, and the sums so far.
struct Tail {
    listed: [u64; BLOCK],
    row_of: [u32; BLOCK],
    rows: Vec<[f64; BLOCK]>,
    sums: Vec<f64>,
    scratch: Scratch,
}

impl Tail {
    fn new(risks: usize) -> Self {
        Self {
            listed: [0; BLOCK],
            row_of: [NOT_KEPT; BLOCK],
            rows: vec![[0.0; BLOCK]; risks],
            // `Iterator::sum` starts from -0.0.
            sums: vec![-0.0; risks],
            scratch: Scratch::new(),
        }
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
    kept: Kept,
}

impl Simulation {
    pub fn new(risks: Vec<RiskModel>, trials: usize, seed: u64) -> Self {
        let prepared = risks
            .iter()
            .map(|r| Prepared::new(r, risk_key(seed, &r.id)))
            .collect();
        Self {
            risk_sums: vec![0.0; risks.len()],
            kept: Kept::new(&risks),
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
        // Each kept risk's losses in the block, and room for a yes/no
        // risk's (which leaves it untouched).
        let kept_risks = self.kept.risks.len();
        let mut years = vec![[0.0; BLOCK]; kept_risks + 1];
        while self.totals.len() < end {
            let start = self.totals.len();
            let n = (end - start).min(BLOCK);
            // Each block's trials are added up in place, from 0.0.
            self.totals.resize(start + n, 0.0);
            let block = &mut self.totals[start..];
            let mut next_kept = 0;
            for (r, ((risk, prepared), sum)) in self
                .risks
                .iter()
                .zip(&self.prepared)
                .zip(&mut self.risk_sums)
                .enumerate()
            {
                let j = if self.kept.risks.get(next_kept) == Some(&r) {
                    next_kept += 1;
                    next_kept - 1
                } else {
                    kept_risks
                };
                *sum += run_risk(
                    prepared,
                    &risk.transfers,
                    start as u64,
                    block,
                    &mut years[j],
                    &mut scratch,
                    z,
                );
            }
            if self.kept.keeping() {
                self.kept
                    .add(start, block, &years[..kept_risks], self.trials);
            } else if self.kept.line.is_none()
                && self.totals.len() >= EARLY
                // Kept trial numbers take 32 bits.
                && u32::try_from(self.trials).is_ok()
            {
                let from = self.totals.len();
                self.kept
                    .draw_line(&self.totals[..EARLY], from, self.trials);
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

    /// The number of years whose loss is at least `floor`, and each risk's
    /// loss summed over them in trial order: bit for bit `risk_loss` over
    /// those years added up by `Iterator::sum`. Where the line lies below
    /// `floor`, the years are found among those kept as the trials ran and
    /// the kept losses read; the others are recomputed by the block loop's
    /// passes, a block of years at a time.
    pub fn tail_sums(&self, floor: f64) -> (usize, Vec<f64>) {
        let n = self.totals.len();
        let kept = &self.kept;
        // Every year at or above `floor` from `kept.from` to `until` was
        // kept: the others are looked for among all.
        let (searched, kept_years, rest) = match kept.line {
            Some(line) if line <= floor => {
                let until = kept.until.unwrap_or(n).min(n);
                (0..kept.from.min(until), &kept.trials[..], until..n)
            }
            _ => (0..n, &[][..], n..n),
        };
        // The candidates in trial order, each with its row among the kept.
        let (a, b) = (searched.len(), searched.len() + kept_years.len());
        let candidate = |j: usize| {
            if j < a {
                (searched.start + j, NOT_KEPT)
            } else if j < b {
                (kept_years[j - a] as usize, (j - a) as u32)
            } else {
                (rest.start + j - b, NOT_KEPT)
            }
        };
        let mut tail = Tail::new(self.risks.len());
        let mut count = 0;
        let mut i = 0;
        for j in 0..b + rest.len() {
            let (t, k) = candidate(j);
            // Without branches: whether a kept year is in the tail is a
            // coin toss a branch would often get wrong.
            tail.listed[i] = t as u64;
            tail.row_of[i] = k;
            i += usize::from(self.totals[t] >= floor);
            if i == BLOCK {
                self.add_tail(&mut tail, i);
                count += i;
                i = 0;
            }
        }
        self.add_tail(&mut tail, i);
        (count + i, tail.sums)
    }

    /// Adds each risk's losses in the first `n` of `tail.listed` to its sum.
    fn add_tail(&self, tail: &mut Tail, n: usize) {
        let kept = &self.kept;
        let width = kept.risks.len();
        let z = tables();
        let Tail {
            listed,
            row_of,
            rows,
            sums,
            scratch,
        } = tail;
        // The years not kept, and their places in the list.
        let mut missing = [0u64; BLOCK];
        let mut missing_at = [0u32; BLOCK];
        let mut m = 0;
        for (i, (&t, &k)) in listed[..n].iter().zip(&row_of[..n]).enumerate() {
            missing[m % BLOCK] = t;
            missing_at[m % BLOCK] = i as u32;
            m += usize::from(k == NOT_KEPT);
        }
        let mut next_kept = 0;
        for (r, ((risk, prepared), row)) in self
            .risks
            .iter()
            .zip(&self.prepared)
            .zip(rows.iter_mut())
            .enumerate()
        {
            if kept.risks.get(next_kept) != Some(&r) {
                run_listed(prepared, &risk.transfers, &listed[..n], row, scratch, z);
                continue;
            }
            for (loss, &k) in row[..n].iter_mut().zip(&row_of[..n]) {
                if k != NOT_KEPT {
                    *loss = kept.losses[k as usize * width + next_kept];
                }
            }
            if m > 0 {
                let mut recomputed = [0.0; BLOCK];
                run_listed(
                    prepared,
                    &risk.transfers,
                    &missing[..m],
                    &mut recomputed,
                    scratch,
                    z,
                );
                for (&i, &loss) in missing_at[..m].iter().zip(&recomputed) {
                    row[i as usize] = loss;
                }
            }
            next_kept += 1;
        }
        // Year by year across the risks: each risk's additions stay in
        // trial order, and the risks' chains do not wait on each other.
        for i in 0..n {
            for (sum, row) in sums.iter_mut().zip(rows.iter()) {
                *sum += row[i];
            }
        }
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
    let mut year = [0.0f64; BLOCK];
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
            &mut year,
            &mut scratch,
            z,
        );
        start += n;
    }
    total / trials.max(1) as f64
}
