//! What a simulation tells people: the mean with its standard error,
//! percentiles (found by selection, not a full sort), a histogram, the
//! loss-exceedance curve, the chance of a year beyond the appetite, and
//! which risks drive the tail. Two passes over the annual losses: the
//! first adds them up and gathers the few near the percentiles' ranks; the
//! second, once those are known, gives the spread, and the histogram and
//! the exceedance curve from one count per loss. Each risk's part in the
//! tail comes from the years the run kept (`Simulation::tail_sums`).

use serde::{Deserialize, Serialize};

use super::engine::{BLOCK, Simulation};

/// Histogram bars and points on the exceedance curve.
pub const BINS: usize = 40;
pub const CURVE_POINTS: usize = 48;
/// The exceedance curve's points are the edges of every 16th of these fine
/// bins (as the division places a loss in them).
const FINE_PER_POINT: usize = 16;
const FINE: usize = CURVE_POINTS * FINE_PER_POINT;

/// Below this many values the percentiles are selected among all of them;
/// from it on, a sample first narrows where each rank lies.
const SMALL: usize = 1 << 16;
/// Values in that sample.
const SAMPLE: usize = 1 << 13;

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

/// The nearest rank ⌈q·n⌉ (1 to n).
fn rank(q: f64, n: usize) -> usize {
    ((q * n as f64).ceil() as usize).clamp(1, n.max(1))
}

/// Percentiles of a set of annual losses.
pub fn percentiles(totals: &[f64]) -> Percentiles {
    first_pass(totals).percentiles
}

/// Percentiles selected among all of `work` (which it reorders).
fn select_all(work: &mut [f64]) -> Percentiles {
    let n = work.len();
    if n == 0 {
        return Percentiles {
            p50: 0.0,
            p90: 0.0,
            p95: 0.0,
            p99: 0.0,
        };
    }
    let (_, p50, _) = work.select_nth_unstable_by(rank(0.5, n) - 1, f64::total_cmp);
    let p50 = *p50;
    let (p90, p95, p99) = select_upper(work, rank(0.5, n) - 1, 0);
    Percentiles { p50, p90, p95, p99 }
}

/// P90, P95 and P99 of `values.len() + offset` values, of which `values`
/// holds all but the `offset` lowest; from index `from` on it holds those
/// at or above a rank already selected there (0 where none was).
fn select_upper(values: &mut [f64], from: usize, offset: usize) -> (f64, f64, f64) {
    let n = values.len() + offset;
    // Each selection leaves every value from the previous rank's index on
    // at or above it, so the next looks there only (ranks can coincide in
    // a small sample: the slice then starts at the value itself).
    let mut from = from;
    let mut upper = |q: f64| {
        let at = rank(q, n) - 1 - offset;
        let (_, v, _) = values[from..].select_nth_unstable_by(at - from, f64::total_cmp);
        from = at;
        *v
    };
    (upper(0.9), upper(0.95), upper(0.99))
}

/// What the first pass over the annual losses finds.
struct FirstPass {
    /// In trial order, as `Iterator::sum` adds.
    sum: f64,
    percentiles: Percentiles,
    /// The largest loss, as `fold(0.0, f64::max)` finds it.
    max: f64,
}

/// The sum, percentiles and largest of `totals`. Many values are not
/// copied and selected among in full: an evenly spread sample of them
/// gives a range likely to hold the P50's rank and a bound likely below
/// the P90's, and the pass that adds them up keeps only the values in that
/// range and those from that bound on, and counts those below. Where
/// the sample misled (the counts show it), or a value is NaN, all are
/// selected among after all: the result is the same.
fn first_pass(totals: &[f64]) -> FirstPass {
    let n = totals.len();
    let fold_max = || totals.iter().copied().fold(0.0, f64::max);
    let everything = |sum: f64| FirstPass {
        sum,
        percentiles: select_all(&mut totals.to_vec()),
        max: fold_max(),
    };
    if n < SMALL {
        return everything(totals.iter().sum());
    }
    // Order statistics of the sample, four standard deviations of the
    // sample quantile either side of the rank.
    let stride = n / SAMPLE;
    let mut sample: Vec<f64> = (0..SAMPLE).map(|i| totals[i * stride]).collect();
    let spread = |q: f64| (4.0 * (SAMPLE as f64 * q * (1.0 - q)).sqrt()) as usize + 1;
    let centre = |q: f64| (q * SAMPLE as f64) as usize;
    let places = [
        centre(0.5) - spread(0.5),
        centre(0.5) + spread(0.5),
        centre(0.9) - spread(0.9),
    ];
    let mut bounds = [0.0; 3];
    let mut from = 0;
    for (bound, &at) in bounds.iter_mut().zip(&places) {
        let (_, v, _) = sample[from..].select_nth_unstable_by(at - from, f64::total_cmp);
        // Above zero, a comparison of numbers agrees with the total order
        // for every value but NaN (the sum shows those): a bound at or
        // below zero is raised to the least number above it.
        *bound = if *v > 0.0 { *v } else { f64::from_bits(1) };
        from = at;
    }
    let [low, top, high_from] = bounds;

    let mut near = Vec::with_capacity(n / 16);
    let mut high = Vec::with_capacity(n / 8);
    let mut below = 0;
    let mut sum = -0.0;
    let mut near_block = [0.0; BLOCK];
    let mut high_block = [0.0; BLOCK];
    for chunk in totals.chunks(BLOCK) {
        let (mut a, mut b) = (0, 0);
        for &x in chunk {
            sum += x;
            below += usize::from(x < low);
            near_block[a % BLOCK] = x;
            a += usize::from((x >= low) & (x <= top));
            high_block[b % BLOCK] = x;
            b += usize::from(x >= high_from);
        }
        near.extend_from_slice(&near_block[..a]);
        high.extend_from_slice(&high_block[..b]);
    }
    let r50 = rank(0.5, n);
    let offset = n - high.len();
    if sum.is_nan() || !(below < r50 && r50 <= below + near.len() && rank(0.9, n) > offset) {
        return everything(sum);
    }
    let (_, p50, _) = near.select_nth_unstable_by(r50 - 1 - below, f64::total_cmp);
    let p50 = *p50;
    // Every value not held is below every held one, so a largest held
    // value above zero is the largest of all.
    let max = high.iter().copied().fold(0.0, f64::max);
    let max = if max > 0.0 { max } else { fold_max() };
    let (p90, p95, p99) = select_upper(&mut high, 0, offset);
    FirstPass {
        sum,
        percentiles: Percentiles { p50, p90, p95, p99 },
        max,
    }
}

/// Cells of a grid on which both kinds of edge lie: a bar's every 6, a
/// curve point's every 5.
const CELLS: usize = 240;
const BAR_CELLS: usize = CELLS / BINS;
const POINT_CELLS: usize = CELLS / CURVE_POINTS;
const TABLE: usize = 256;
// Edges of each kind are at least two cells apart, so a cell's two ends
// hold at most one of each.
const _: () = assert!(CELLS.is_multiple_of(BINS) && CELLS.is_multiple_of(CURVE_POINTS));
const _: () = assert!(BAR_CELLS >= 2 && POINT_CELLS >= 2 && CELLS < TABLE);

/// The least loss x with fl(x / width) ≥ m: where bar (or curve point) m
/// begins, as the division places losses. The quotient never falls as x
/// rises, so a loss is in bar m or beyond exactly when it is at least this.
fn edge(m: usize, width: f64) -> f64 {
    let m = m as f64;
    let mut x = m * width;
    if x / width >= m {
        while x.next_down() / width >= m {
            x = x.next_down();
        }
    } else {
        while x / width < m {
            x = x.next_up();
        }
    }
    x
}

/// What a loss in one cell of the grid may be: at least `bar` (and one
/// more from `bar_edge` on), and past `point` curve points (one more from
/// `point_edge` on). A loss placed in the cell by `cell_of` lies in it or
/// within a few units in the last place of its ends, so only an edge at
/// either end needs comparing.
#[derive(Clone, Copy)]
struct Cell {
    bar: usize,
    bar_edge: f64,
    point: usize,
    point_edge: f64,
}

/// The grid's cells for bars of `bar_width` and curve points every
/// `FINE_PER_POINT` fine bins of `fine_width`, the last cell holding
/// everything beyond (and the table padded to a power of two); None where
/// the widths are not finite (the losses then go by division).
fn cells(bar_width: f64, fine_width: f64) -> Option<Box<[Cell; TABLE]>> {
    if !(bar_width.is_finite() && fine_width.is_finite() && bar_width > 0.0 && fine_width > 0.0) {
        return None;
    }
    // The edges below the cell's start, and the one at either end if any.
    let ends = |c: usize, every: usize, last: usize, edge: &dyn Fn(usize) -> f64| {
        let at = [c, c + 1]
            .into_iter()
            .find(|&b| b % every == 0 && b > 0 && b / every <= last);
        (
            (1..=last).filter(|m| m * every < c).count(),
            at.map_or(f64::INFINITY, |b| edge(b / every)),
        )
    };
    let mut cells = Box::new(
        [Cell {
            bar: 0,
            bar_edge: f64::INFINITY,
            point: 0,
            point_edge: f64::INFINITY,
        }; TABLE],
    );
    for (c, cell) in cells.iter_mut().enumerate().take(CELLS + 1) {
        let (bar, bar_edge) = ends(c, BAR_CELLS, BINS - 1, &|m| edge(m, bar_width));
        let (point, point_edge) = ends(c, POINT_CELLS, CURVE_POINTS, &|m| {
            edge(m * FINE_PER_POINT, fine_width)
        });
        *cell = Cell {
            bar,
            bar_edge,
            point,
            point_edge,
        };
    }
    Some(cells)
}

/// The cell of a loss: ⌊x / cell width⌋ from `x * to_cell` (one below
/// where that is a whole number), 0 for a loss at or below zero or NaN,
/// `CELLS` at most. Rounding to a whole number by adding 1.5·2^52 (whose
/// last place is 1) converts it in two instructions, where a saturating
/// conversion to an index takes several.
#[inline]
fn cell_of(x: f64, to_cell: f64) -> usize {
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let q = (x * to_cell).max(0.0).min(CELLS as f64);
    // q − ½ rounds to ⌊q⌋, or to the even neighbour at a tie (q whole).
    ((q - 0.5) + ROUND).to_bits() as u32 as usize
}

impl Simulation {
    /// Sums up a finished run against the risk appetite.
    pub fn summary(&self, appetite: f64) -> Summary {
        let totals = &self.totals;
        let n = totals.len().max(1) as f64;
        let FirstPass {
            sum,
            percentiles,
            max,
        } = first_pass(totals);
        let mean = sum / n;

        let top = percentiles.p99.max(appetite).max(1.0) * 1.25;
        let bin_width = top / BINS as f64;
        let fine_width = top / FINE as f64;
        // Bars, and losses above zero past each curve point.
        let mut counts = [0u32; BINS];
        let mut past = [0u32; CURVE_POINTS + 1];
        let mut over_appetite = 0u32;
        let mut squares = -0.0;
        match cells(bin_width, fine_width) {
            Some(cells) => {
                // Per cell, losses by whether they reach its bar edge, its
                // curve point edge, and zero: one count per loss, the bars
                // and points added up from them afterwards.
                let mut tally = vec![0u32; TABLE * 8];
                let to_cell = CELLS as f64 / top;
                for &x in totals {
                    squares += (x - mean) * (x - mean);
                    over_appetite += u32::from(x > appetite);
                    let c = cell_of(x, to_cell) % TABLE;
                    let cell = &cells[c];
                    let k = c * 8
                        + usize::from(x >= cell.bar_edge) * 4
                        + usize::from(x >= cell.point_edge) * 2
                        + usize::from(x > 0.0);
                    tally[k % (TABLE * 8)] += 1;
                }
                for (cell, tally) in cells.iter().zip(tally.chunks_exact(8)) {
                    // (Where a cell has no edge, nothing reaches it.)
                    for (k, &count) in tally.iter().enumerate().filter(|(_, c)| **c > 0) {
                        counts[cell.bar + (k >> 2)] += count;
                        if k & 1 == 1 {
                            past[cell.point + (k >> 1 & 1)] += count;
                        }
                    }
                }
            }
            None => {
                for &x in totals {
                    squares += (x - mean) * (x - mean);
                    over_appetite += u32::from(x > appetite);
                    counts[((x / bin_width) as usize).min(BINS - 1)] += 1;
                    if x > 0.0 {
                        past[((x / fine_width) as usize).min(FINE) / FINE_PER_POINT] += 1;
                    }
                }
            }
        }
        let var = squares / (n - 1.0).max(1.0);
        // count(x > 0 past point i) = everything past points ≥ i.
        let mut above = 0;
        let mut exceedance: Vec<(f64, f64)> = (0..=CURVE_POINTS)
            .rev()
            .map(|i| {
                above += past[i];
                (
                    (i * FINE_PER_POINT) as f64 * fine_width,
                    f64::from(above) / n,
                )
            })
            .collect();
        exceedance.reverse();

        // Each risk's part in the years at or above P90.
        let (tail, tail_sums) = self.tail_sums(percentiles.p90);
        let mut risks: Vec<RiskStat> = self
            .risks
            .iter()
            .zip(tail_sums)
            .zip(self.risk_means())
            .map(|((risk, tail_sum), mean)| RiskStat {
                id: risk.id.clone(),
                title: risk.title.clone(),
                mean,
                tail_mean: tail_sum / tail.max(1) as f64,
            })
            .collect();
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
            histogram: Histogram {
                bin_width,
                counts: counts.to_vec(),
            },
            exceedance,
            appetite,
            p_exceed_appetite: f64::from(over_appetite) / n,
            risks,
        }
    }
}
