//! Standard normal draws by the ziggurat method (Marsaglia and Tsang, 2000,
//! with Doornik's separate bits for the layer and the value): almost every
//! draw is one 64-bit number, a table look-up, a multiplication and a
//! comparison. The rare wedge and tail cases use this crate's portable `exp`
//! and `ln`, and the tables are computed once from the same functions, so
//! the draws are the same bits on every platform.

use std::sync::LazyLock;

use super::math;
use super::rng::{Stream, unit};

const LAYERS: usize = 256;
/// Where the tail begins, for 256 layers under e^(-x²/2).
const R: f64 = 3.654_152_885_361_009;
/// No draw is larger in magnitude: a tail draw is R − ln(u)/R, and the
/// smallest uniform is 2^-53 (checked by a test).
pub const MAX: f64 = 13.8;
/// The area of each layer (and of the base strip with the tail).
const V: f64 = 4.928_673_233_99e-3;

/// The layers' right edges and the density there.
#[derive(Debug)]
pub struct Ziggurat {
    /// x[0] = V / f(R) (the base strip's width as if it were a rectangle),
    /// x[1] = R, decreasing to x[256] = 0.
    x: [f64; LAYERS + 1],
    /// x[i + 1] / x[i]: below this share of its width a point of layer i is
    /// under the curve whatever its height.
    inner: [f64; LAYERS],
    /// f(x[i]) = e^(-x[i]²/2).
    f: [f64; LAYERS + 1],
}

fn density(x: f64) -> f64 {
    math::exp(-0.5 * x * x)
}

impl Ziggurat {
    fn new() -> Self {
        let mut x = [0.0; LAYERS + 1];
        x[0] = V / density(R);
        x[1] = R;
        for i in 1..LAYERS - 1 {
            x[i + 1] = (-2.0 * math::ln(V / x[i] + density(x[i]))).sqrt();
        }
        x[LAYERS] = 0.0;
        let inner = std::array::from_fn(|i| x[i + 1] / x[i]);
        let f = x.map(density);
        Self { x, inner, f }
    }
}

static TABLES: LazyLock<Ziggurat> = LazyLock::new(Ziggurat::new);

/// The tables (computed on first use).
pub fn tables() -> &'static Ziggurat {
    &TABLES
}

/// One standard normal draw.
#[inline]
pub fn normal(stream: &mut Stream, z: &Ziggurat) -> f64 {
    loop {
        let bits = stream.next_u64();
        let (x, inside) = first_try(bits, z);
        if inside {
            return x;
        }
        if let Some(x) = outer((bits & 0xff) as usize, unit(bits), stream, z) {
            return signed(x, bits);
        }
    }
}

/// What `normal` makes of its first 64 bits when they fall in a layer's
/// inner rectangle (the `bool`, true for 99% of draws) — the draw is then
/// the returned value. Without branches, for loops that try every event's
/// first draw at once and redo only the few that needed more.
#[inline]
pub fn first_try(bits: u64, z: &Ziggurat) -> (f64, bool) {
    // Bits 12..64 for the value, bit 11 for the sign, bits 0..8 for the
    // layer: independent of each other.
    let layer = (bits & 0xff) as usize;
    let u = unit(bits);
    (signed(u * z.x[layer], bits), u < z.inner[layer])
}

/// `x` with the sign bit taken from bit 11 — by bits, not a branch that
/// would be mispredicted every other draw.
#[inline]
fn signed(x: f64, bits: u64) -> f64 {
    f64::from_bits(x.to_bits() | (bits & 0x800) << 52)
}

/// A draw that fell outside a layer's inner rectangle: in the tail (base
/// strip) or in a wedge, where it is kept if it is under the curve.
#[cold]
#[inline(never)]
fn outer(layer: usize, u: f64, stream: &mut Stream, z: &Ziggurat) -> Option<f64> {
    if layer == 0 {
        // Marsaglia's tail method for x > R.
        loop {
            let a = -math::ln(stream.uniform()) / R;
            let b = -math::ln(stream.uniform());
            if b + b > a * a {
                return Some(R + a);
            }
        }
    }
    let x = u * z.x[layer];
    let y = z.f[layer] + (z.f[layer + 1] - z.f[layer]) * stream.uniform();
    (y < density(x)).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layers_fit_the_curve() {
        let z = tables();
        assert!(z.x.windows(2).all(|w| w[1] < w[0]), "edges decrease");
        assert!(z.x.iter().all(|x| x.is_finite()));
        // The top layer ends near the peak: its area is close to V.
        let top = z.x[LAYERS - 1] * (1.0 - z.f[LAYERS - 1]);
        assert!((top - V).abs() < 1e-6 * V, "{top} vs {V}");
    }

    #[test]
    fn no_draw_reaches_max() {
        let smallest = unit(0);
        assert_eq!(smallest, 2f64.powi(-53));
        assert!(R - math::ln(smallest) / R < MAX);
        // The wedges lie inside the base strip's edge.
        assert!(tables().x.iter().skip(1).all(|&x| x <= R));
    }

    #[test]
    fn draws_have_the_moments_and_tails_of_a_standard_normal() {
        let z = tables();
        let n = 400_000u64;
        let (mut sum, mut sq, mut beyond_2, mut beyond_r) = (0.0, 0.0, 0u32, 0u32);
        for t in 0..n {
            let x = normal(&mut Stream::new(99, t), z);
            sum += x;
            sq += x * x;
            beyond_2 += u32::from(x.abs() > 2.0);
            beyond_r += u32::from(x > R);
        }
        let n = n as f64;
        let mean = sum / n;
        let var = sq / n - mean * mean;
        assert!(mean.abs() < 4.0 / n.sqrt(), "mean {mean}");
        // SE of the sample variance of a normal: sqrt(2/n).
        assert!((var - 1.0).abs() < 4.0 * (2.0 / n).sqrt(), "variance {var}");
        let check = |count: u32, p: f64| {
            let se = (p * (1.0 - p) / n).sqrt();
            assert!(
                (f64::from(count) / n - p).abs() < 4.0 * se,
                "{count} vs {p}"
            );
        };
        check(beyond_2, 0.045_500_263_896_358_4);
        check(beyond_r, 1.290_162_438_269_506_5e-4);
    }
}
