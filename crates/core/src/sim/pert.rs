//! Beta(α, β) draws for PERT impacts (α, β ≥ 1), exact, by rejection from
//! a table of strips.
//!
//! [0, 1] is cut into 256 strips of equal width. On each the density is
//! monotone or rises to the mode and falls, so its largest and smallest
//! values are known exactly: the strip's *height* (an envelope) and its
//! *floor*. A draw picks a strip with probability proportional to its
//! height (Walker's alias method: one table look-up and one comparison),
//! a point uniformly inside it, and a height y uniformly under the
//! envelope; it is kept when y is under the density. Below the floor it is
//! kept without computing the density — for about 98% of draws, which then
//! cost two 64-bit hashes, a few look-ups and three arithmetic operations,
//! where Marsaglia and Tsang's two gamma draws cost four hashes, two tests
//! and a division. The rest compute the density and try again if they fall
//! above it, which makes the method exact up to the resolution of its
//! random bits: the floors and heights only decide how often the shortcut
//! applies, never what is drawn, and the alias table gives each strip its
//! share to within 2^-24 (a strip with less than that, at most 1e-10 of the
//! mass at an end of a steep shape, is never drawn), as fine as the 32-bit
//! heights.
//!
//! The table is built from this crate's portable `ln` and `exp` with
//! IEEE-754 arithmetic, so it is the same bits on every platform.

use super::math;
use super::rng::{Stream, unit};

/// Strips across [0, 1]; a draw's low 8 bits pick one.
const STRIPS: usize = 256;
/// Bits of the comparison that keeps an alias table entry's own strip.
const KEEP_BITS: u32 = 24;
const KEEP_MASK: u32 = (1 << KEEP_BITS) - 1;
/// Room for rounding in the density: heights are raised and floors lowered
/// by this share, far more than the error of `ln` and `exp`.
const SAFETY: f64 = 1e-9;

/// A Beta(α, β) sampler with its table.
#[derive(Clone, Debug)]
pub struct Strips {
    /// α − 1 and β − 1: the density is x^(α−1)·(1 − x)^(β−1) up to a factor.
    a: f64,
    b: f64,
    /// Entry j of the alias table: it keeps strip j when 24 bits of the
    /// draw fall below its low 24 bits, and takes the strip in its high 8
    /// bits otherwise (one load, then a choice between two registers).
    alias: [u32; STRIPS],
    /// Per strip: a draw whose 32-bit height is below this is under the
    /// density for certain (floor / height, rounded down).
    squeeze: [u32; STRIPS],
    /// Per strip: the envelope's height.
    height: [f64; STRIPS],
}

impl Strips {
    /// The table for Beta(α, β); both must be at least 1.
    pub fn new(alpha: f64, beta: f64) -> Self {
        debug_assert!(alpha >= 1.0 && beta >= 1.0, "Beta({alpha}, {beta})");
        let a = alpha - 1.0;
        let b = beta - 1.0;
        let density = |x: f64| density(a, b, x);
        // The density rises where a·(1 − x) > b·x and falls after: a strip
        // holds the mode when it rises at its left edge and falls at its
        // right one. Decided without the mode's value, which rounds to an
        // edge when one exponent is tiny beside the other.
        let rising = |x: f64| a * (1.0 - x) > b * x;
        let mut height = [0.0; STRIPS];
        let mut squeeze = [0; STRIPS];
        let mut left = density(0.0);
        for i in 0..STRIPS {
            let (x0, x1) = (edge(i), edge(i + 1));
            let right = density(x1);
            let mut top = left.max(right);
            if rising(x0) && !rising(x1) {
                top = top.max(peak(a, b));
            }
            let top = top * (1.0 + SAFETY);
            let floor = left.min(right) * (1.0 - SAFETY);
            height[i] = top;
            // y32 < s implies (y32 + ½)/2^32 < floor / top.
            let s = (floor / top * 4_294_967_296.0 - 0.5).floor();
            squeeze[i] = s.clamp(0.0, f64::from(u32::MAX)) as u32;
            left = right;
        }
        let alias = alias_table(&height);
        Self {
            a,
            b,
            alias,
            squeeze,
            height,
        }
    }

    /// The strip and the point in [0, 1] a try's two hashes give, and
    /// whether the squeeze keeps it (the `bool`); no branches.
    #[inline]
    pub fn first_try(&self, bits: u64, position_bits: u64) -> (f64, bool) {
        let (strip, y32) = self.strip(bits);
        let x = point(strip, position_bits);
        (x, y32 < self.squeeze[strip])
    }

    #[inline]
    fn strip(&self, bits: u64) -> (usize, u32) {
        let j = (bits & 0xff) as u32;
        let entry = self.alias[j as usize];
        let own = ((bits >> 8) as u32 & KEEP_MASK) < entry & KEEP_MASK;
        let strip = if own { j } else { entry >> KEEP_BITS };
        (strip as usize, (bits >> 32) as u32)
    }

    /// One draw in [0, 1]: tries until one is under the density.
    pub fn draw(&self, stream: &mut Stream) -> f64 {
        loop {
            let bits = stream.next_u64();
            let position_bits = stream.next_u64();
            let (x, squeezed) = self.first_try(bits, position_bits);
            if squeezed {
                return x;
            }
            let (strip, y32) = self.strip(bits);
            let y = (f64::from(y32) + 0.5) * (1.0 / 4_294_967_296.0);
            if y * self.height[strip] < density(self.a, self.b, x) {
                return x;
            }
        }
    }
}

/// The left edge of strip i (exact: a multiple of 1/256).
fn edge(i: usize) -> f64 {
    i as f64 / STRIPS as f64
}

/// A uniform point of strip `strip` from the top 52 bits.
#[inline]
fn point(strip: usize, bits: u64) -> f64 {
    (strip as f64 + unit(bits)) * (1.0 / STRIPS as f64)
}

/// The density's largest value, at the mode a / (a + b), from the shares
/// a / (a + b) and b / (a + b) (1 − mode would lose a tiny b).
fn peak(a: f64, b: f64) -> f64 {
    let total = a + b;
    let term = |e: f64| {
        if e > 0.0 {
            e * math::ln(e / total)
        } else {
            0.0
        }
    };
    math::exp(term(a) + term(b))
}

/// x^a·(1 − x)^b, with 0^0 = 1.
fn density(a: f64, b: f64, x: f64) -> f64 {
    let mut log = 0.0;
    if a > 0.0 {
        log += a * math::ln(x);
    }
    if b > 0.0 {
        log += b * math::ln(1.0 - x);
    }
    math::exp(log)
}

/// Walker's alias table (Vose's construction) for strips drawn with
/// probability proportional to `weight`, packed as `Strips::alias` is.
fn alias_table(weight: &[f64; STRIPS]) -> [u32; STRIPS] {
    let total: f64 = weight.iter().sum();
    let mut scaled = weight.map(|w| w / total * STRIPS as f64);
    // An entry whose alias is itself gives its own strip whatever the bits.
    let mut alias: [u32; STRIPS] = std::array::from_fn(|j| (j as u32) << KEEP_BITS);
    let (mut small, mut large): (Vec<usize>, Vec<usize>) =
        (0..STRIPS).partition(|&i| scaled[i] < 1.0);
    while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
        let keep = (scaled[s] * f64::from(1u32 << KEEP_BITS)) as u32;
        alias[s] = (l as u32) << KEEP_BITS | keep.min(KEEP_MASK);
        scaled[l] -= 1.0 - scaled[s];
        if scaled[l] < 1.0 {
            large.pop();
            small.push(l);
        }
    }
    // What is left is 1 up to rounding: those entries keep their own strip.
    alias
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPES: [(f64, f64); 8] = [
        (1.0, 5.0),
        (5.0, 1.0),
        // A mode a hair from the end: its value rounds to the edge.
        (5.0, 1.0 + 1.0 / (1u64 << 51) as f64),
        (1.0 + 1.0 / (1u64 << 51) as f64, 5.0),
        (2.371_428, 3.628_572),
        (1.3, 4.7),
        (3.0, 3.0),
        (1.0, 1.0),
    ];

    #[test]
    fn heights_cover_the_density_and_floors_stay_under_it() {
        for (alpha, beta) in SHAPES {
            let s = Strips::new(alpha, beta);
            for strip in 0..STRIPS {
                for k in 0..=64 {
                    let x = (strip as f64 + f64::from(k) / 64.0) / STRIPS as f64;
                    let g = density(s.a, s.b, x);
                    assert!(g <= s.height[strip], "Beta({alpha}, {beta}) at {x}");
                    // The highest draw the squeeze keeps: y32 = squeeze − 1.
                    let kept = (f64::from(s.squeeze[strip]) - 0.5) / 4_294_967_296.0;
                    assert!(kept * s.height[strip] <= g, "Beta({alpha}, {beta}) at {x}");
                }
            }
        }
    }

    #[test]
    fn the_alias_table_picks_strips_in_proportion_to_their_height() {
        for (alpha, beta) in SHAPES {
            let s = Strips::new(alpha, beta);
            let mut chance = [0.0; STRIPS];
            for (j, &entry) in s.alias.iter().enumerate() {
                let own = f64::from(entry & KEEP_MASK) / f64::from(1u32 << KEEP_BITS);
                chance[j] += own / STRIPS as f64;
                chance[(entry >> KEEP_BITS) as usize] += (1.0 - own) / STRIPS as f64;
            }
            let total: f64 = s.height.iter().sum();
            // The share of tries the squeeze keeps without the density.
            let shortcut: f64 = (0..STRIPS)
                .map(|i| chance[i] * f64::from(s.squeeze[i]) / 4_294_967_296.0)
                .sum();
            println!("Beta({alpha}, {beta}): the squeeze keeps {shortcut:.4}");
            // About 98%; 96% when the mode sits at an end with the density
            // falling to 0 there, so the tallest strip has no floor.
            assert!(shortcut > 0.96, "Beta({alpha}, {beta}): {shortcut}");
            for (i, (&got, height)) in chance.iter().zip(s.height).enumerate() {
                let want = height / total;
                assert!(
                    (got - want).abs() < 1e-6,
                    "Beta({alpha}, {beta}), strip {i}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn draws_follow_the_beta_distribution() {
        for (alpha, beta) in SHAPES {
            let s = Strips::new(alpha, beta);
            let n = 200_000;
            let mut xs: Vec<f64> = (0..n)
                .map(|t| s.draw(&mut Stream::new(0x5eed, t)))
                .collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let want = alpha / (alpha + beta);
            let var = alpha * beta / ((alpha + beta).powi(2) * (alpha + beta + 1.0));
            let se = (var / n as f64).sqrt();
            assert!(
                (mean - want).abs() < 4.5 * se,
                "Beta({alpha}, {beta}): mean {mean} vs {want}"
            );
            // Kolmogorov–Smirnov against the CDF by Simpson's rule.
            xs.sort_by(f64::total_cmp);
            let cdf = numeric_cdf(s.a, s.b);
            let d = xs
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    let f = cdf(x);
                    (f - i as f64 / n as f64)
                        .abs()
                        .max((f - (i + 1) as f64 / n as f64).abs())
                })
                .fold(0.0, f64::max);
            // 1.95/√n is the 0.1% critical value.
            assert!(
                d < 1.95 / (n as f64).sqrt(),
                "Beta({alpha}, {beta}): D = {d}"
            );
        }
    }

    /// The CDF of the normalised density, tabulated on a fine grid.
    fn numeric_cdf(a: f64, b: f64) -> impl Fn(f64) -> f64 {
        let cells = 1 << 16;
        let h = 1.0 / f64::from(cells);
        let g = |x: f64| density(a, b, x);
        let mut acc = vec![0.0; cells as usize + 1];
        for i in 0..cells as usize {
            let x = i as f64 * h;
            acc[i + 1] = acc[i] + h / 6.0 * (g(x) + 4.0 * g(x + h / 2.0) + g(x + h));
        }
        let total = acc[cells as usize];
        move |x: f64| {
            let i = ((x / h) as usize).min(cells as usize - 1);
            let frac = x / h - i as f64;
            (acc[i] + frac * (acc[i + 1] - acc[i])) / total
        }
    }
}
