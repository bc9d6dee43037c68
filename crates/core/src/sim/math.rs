//! Elementary functions built from IEEE-754 additions, multiplications and
//! divisions only, so that native and WebAssembly builds give bit-identical
//! results (platform `exp`/`ln` may differ in the last bit).

// Coefficients are kept as published, digit for digit.
#![allow(clippy::excessive_precision)]

const LN2_HI: f64 = 6.931_471_803_691_238_164_9e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
const INV_LN2: f64 = std::f64::consts::LOG2_E;

/// Adding this (1.5·2^52) to a number of magnitude below 2^51 rounds it to
/// an integer, ties to even, and leaves that integer in the low bits.
const ROUND: f64 = 6_755_399_441_055_744.0;

/// 2^(j/32) for j = 0..32, correctly rounded.
static EXP2_32THS: [f64; 32] = [
    f64::from_bits(0x3ff0_0000_0000_0000),
    f64::from_bits(0x3ff0_59b0_d315_8574),
    f64::from_bits(0x3ff0_b558_6cf9_890f),
    f64::from_bits(0x3ff1_1301_d012_5b51),
    f64::from_bits(0x3ff1_72b8_3c7d_517b),
    f64::from_bits(0x3ff1_d487_3168_b9aa),
    f64::from_bits(0x3ff2_387a_6e75_6238),
    f64::from_bits(0x3ff2_9e9d_f51f_dee1),
    f64::from_bits(0x3ff3_06fe_0a31_b715),
    f64::from_bits(0x3ff3_71a7_373a_a9cb),
    f64::from_bits(0x3ff3_dea6_4c12_3422),
    f64::from_bits(0x3ff4_4e08_6061_892d),
    f64::from_bits(0x3ff4_bfda_d536_2a27),
    f64::from_bits(0x3ff5_342b_569d_4f82),
    f64::from_bits(0x3ff5_ab07_dd48_5429),
    f64::from_bits(0x3ff6_247e_b03a_5585),
    f64::from_bits(0x3ff6_a09e_667f_3bcd),
    f64::from_bits(0x3ff7_1f75_e8ec_5f74),
    f64::from_bits(0x3ff7_a114_73eb_0187),
    f64::from_bits(0x3ff8_2589_994c_ce13),
    f64::from_bits(0x3ff8_ace5_422a_a0db),
    f64::from_bits(0x3ff9_3737_b0cd_c5e5),
    f64::from_bits(0x3ff9_c491_82a3_f090),
    f64::from_bits(0x3ffa_5503_b23e_255d),
    f64::from_bits(0x3ffa_e89f_995a_d3ad),
    f64::from_bits(0x3ffb_7f76_f2fb_5e47),
    f64::from_bits(0x3ffc_199b_dd85_529c),
    f64::from_bits(0x3ffc_b720_dcef_9069),
    f64::from_bits(0x3ffd_5818_dcfb_a487),
    f64::from_bits(0x3ffd_fc97_337b_9b5f),
    f64::from_bits(0x3ffe_a4af_a2a4_90da),
    f64::from_bits(0x3fff_5076_5b6e_4540),
];

/// x = (32m + j)·ln2/32 + r with |r| ≤ ln2/64, so e^x = 2^m·2^(j/32)·e^r:
/// returns k = 32m + j (as an integer) and 2^(j/32)·e^r, for |x| < 2^45.
#[inline]
fn exp_parts(x: f64) -> (i64, f64) {
    let t = x * (32.0 * INV_LN2) + ROUND;
    let k = t - ROUND;
    // k as an integer: t's bits are ROUND's plus k (|k| < 2^51), with no
    // floating-point to integer conversion, which would not vectorise.
    let ki = t.to_bits().wrapping_sub(ROUND.to_bits()) as i64;
    let j = (ki & 31) as usize;
    // LN2_HI has 21 trailing zero bits: k·LN2_HI/32 is exact.
    let r = (x - k * (LN2_HI / 32.0)) - k * (LN2_LO / 32.0);
    // Taylor series to r^6 (error < 4e-18), in two halves side by side.
    let r2 = r * r;
    let low = 1.0 + r + r2 * (1.0 / 2.0 + r * (1.0 / 6.0));
    let high = r2 * r2 * ((1.0 / 24.0 + r * (1.0 / 120.0)) + r2 * (1.0 / 720.0));
    (ki, EXP2_32THS[j] * (low + high))
}

/// e^x, relative error about 2e-16. Written without branches (the special
/// cases are chosen at the end).
#[inline]
pub fn exp(x: f64) -> f64 {
    // Out-of-range arguments are computed on a clamped copy and replaced at
    // the end; a NaN passes through both comparisons and is replaced too.
    let (k, p) = exp_parts(x.clamp(-745.0, 709.0));
    // k fits in 32 bits here (a NaN's garbage does too, so no overflow).
    let m = (k as i32) >> 5;
    // m ≤ 1022 here; below -1022 the result is subnormal and the scaling
    // is done in two steps, so it rounds once at the end.
    let m1 = m.max(-1022);
    let y = p * power_of_two(m1) * power_of_two(m - m1);
    if x.is_nan() {
        x
    } else if x > 709.0 {
        f64::INFINITY
    } else if x < -745.0 {
        0.0
    } else {
        y
    }
}

/// e^x for x in [-700, 709], bit for bit `exp(x)`; outside that range the
/// result is meaningless (callers keep their arguments inside). No
/// comparisons and no special cases, so a loop of them vectorises, and V8,
/// which handles a floating-point choice slowly, has none to make: for the
/// losses of lognormal events, whose logarithms the engine keeps in range.
#[inline]
pub fn exp_in_range(x: f64) -> f64 {
    let (k, p) = exp_parts(x);
    // p is in [0.98, 2.03) and |m| ≤ 1022 with a normal result: scaling by
    // 2^m is an addition to the exponent field (m·2^52 = (k − j)·2^47).
    f64::from_bits(p.to_bits().wrapping_add(((k & !31) as u64) << 47))
}

/// 2^k for k in [-1022, 1023], built from its bits.
#[inline]
fn power_of_two(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// Natural logarithm of x > 0 (NaN for x < 0, -inf for 0).
#[inline]
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut m, mut e) = frexp(x);
    // m in [0.5, 1): move to [sqrt(1/2), sqrt(2)).
    if m < std::f64::consts::FRAC_1_SQRT_2 {
        m *= 2.0;
        e -= 1;
    }
    // ln(m) = 2·atanh(s), s = (m-1)/(m+1), |s| ≤ 0.1716.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut p = 1.0 / 23.0;
    p = p * s2 + 1.0 / 21.0;
    p = p * s2 + 1.0 / 19.0;
    p = p * s2 + 1.0 / 17.0;
    p = p * s2 + 1.0 / 15.0;
    p = p * s2 + 1.0 / 13.0;
    p = p * s2 + 1.0 / 11.0;
    p = p * s2 + 1.0 / 9.0;
    p = p * s2 + 1.0 / 7.0;
    p = p * s2 + 1.0 / 5.0;
    p = p * s2 + 1.0 / 3.0;
    p = p * s2 + 1.0;
    let e = f64::from(e);
    2.0 * s * p + e * LN2_LO + e * LN2_HI
}

/// x = m·2^e with m in [0.5, 1).
#[inline]
fn frexp(x: f64) -> (f64, i32) {
    let bits = x.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    if exp_bits == 0 {
        // Subnormal: scale up first.
        let (m, e) = frexp(x * f64::from_bits(0x4350_0000_0000_0000)); // 2^54
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp_bits - 1022)
}

/// x^y for x > 0.
#[inline]
pub fn powf(x: f64, y: f64) -> f64 {
    exp(y * ln(x))
}

/// The standard normal quantile (Wichura's AS241, relative error ~1e-16).
#[inline]
pub fn normal_quantile(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q
            * (((((((r * 2_509.080_928_730_122_7 + 33_430.575_583_588_128) * r
                + 67_265.770_927_008_7)
                * r
                + 45_921.953_931_549_87)
                * r
                + 13_731.693_765_509_461)
                * r
                + 1_971.590_950_306_551_3)
                * r
                + 133.141_667_891_784_38)
                * r
                + 3.387_132_872_796_366_5)
            / (((((((r * 5_226.495_278_852_545 + 28_729.085_735_721_943) * r
                + 39_307.895_800_092_71)
                * r
                + 21_213.794_301_586_597)
                * r
                + 5_394.196_021_424_751)
                * r
                + 687.187_007_492_057_9)
                * r
                + 42.313_330_701_600_91)
                * r
                + 1.0);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-ln(r)).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        (((((((r * 7.745_450_142_783_414e-4 + 0.022_723_844_989_269_184) * r
            + 0.241_780_725_177_450_6)
            * r
            + 1.270_458_252_452_368_4)
            * r
            + 3.647_848_324_763_204_5)
            * r
            + 5.769_497_221_460_691)
            * r
            + 4.630_337_846_156_546)
            * r
            + 1.423_437_110_749_683_5)
            / (((((((r * 1.050_750_071_644_416_9e-9 + 5.475_938_084_995_345e-4) * r
                + 0.015_198_666_563_616_457)
                * r
                + 0.148_103_976_427_480_08)
                * r
                + 0.689_767_334_985_1)
                * r
                + 1.676_384_830_183_803_8)
                * r
                + 2.053_191_626_637_759)
                * r
                + 1.0)
    } else {
        let r = r - 5.0;
        (((((((r * 2.010_334_399_292_288_1e-7 + 2.711_555_568_743_487_6e-5) * r
            + 0.001_242_660_947_388_078_4)
            * r
            + 0.026_532_189_526_576_124)
            * r
            + 0.296_560_571_828_504_9)
            * r
            + 1.784_826_539_917_291_3)
            * r
            + 5.463_784_911_164_114)
            * r
            + 6.657_904_643_501_103)
            / (((((((r * 2.044_263_103_389_939_7e-15 + 1.421_511_758_316_446e-7) * r
                + 1.846_318_317_510_054_8e-5)
                * r
                + 7.868_691_311_456_133e-4)
                * r
                + 0.014_875_361_290_850_615)
                * r
                + 0.136_929_880_922_735_8)
                * r
                + 0.599_832_206_555_888)
                * r
                + 1.0)
    };
    if q < 0.0 { -x } else { x }
}

/// The standard normal CDF, from an erfc approximation (W. J. Cody's
/// rational form; absolute error ~1e-15).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Complementary error function (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7
/// relative is too coarse, so a continued fraction is used in the tails).
pub fn erfc(x: f64) -> f64 {
    // Use the series for erf near 0 and the continued fraction beyond.
    let ax = x.abs();
    let value = if ax < 2.5 {
        // erf(x) = 2/sqrt(pi) Σ (-1)^n x^(2n+1) / (n! (2n+1))
        let mut sum = 0.0;
        let mut term = ax;
        let x2 = ax * ax;
        let mut n = 0.0;
        loop {
            let add = term / (2.0 * n + 1.0);
            sum += add;
            if add.abs() < 1e-17 * sum.abs() {
                break;
            }
            n += 1.0;
            term *= -x2 / n;
            if n > 200.0 {
                break;
            }
        }
        1.0 - sum * std::f64::consts::FRAC_2_SQRT_PI
    } else {
        // Lentz's continued fraction for erfc.
        let x2 = ax * ax;
        let mut f = ax;
        let mut c = ax;
        let mut d = 0.0;
        for k in 1..200 {
            let a = f64::from(k) * 0.5;
            d = ax + a * d;
            d = 1.0 / d;
            c = ax + a / c;
            let delta = c * d;
            f *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        exp(-x2) / (f * std::f64::consts::PI.sqrt())
    };
    if x < 0.0 { 2.0 - value } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_ln_match_the_platform_closely() {
        let mut x = -50.0;
        while x < 50.0 {
            let ours = exp(x);
            let theirs = x.exp();
            assert!(((ours - theirs) / theirs).abs() < 1e-14, "exp({x})");
            x += 0.0137;
        }
        for x in [
            1e-300, 1e-10, 0.001, 0.5, 0.999, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300,
        ] {
            let ours = ln(x);
            let theirs = x.ln();
            assert!(
                (ours - theirs).abs() <= 1e-15 * theirs.abs().max(1.0),
                "ln({x}): {ours} vs {theirs}"
            );
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        // The ends of the range: subnormal results, overflow, underflow, NaN.
        for x in [-700.0, -708.5, -720.0, -740.0, 700.0, 709.0] {
            let (ours, theirs) = (exp(x), f64::exp(x));
            // Subnormal results keep fewer bits: allow one unit of the last.
            assert!(
                (ours - theirs).abs() <= 1e-14 * theirs + 5e-324,
                "exp({x}): {ours} vs {theirs}"
            );
        }
        assert_eq!(exp(710.0), f64::INFINITY);
        // The version without special cases is the same function in its range.
        let mut x = -700.0;
        while x <= 709.0 {
            assert_eq!(
                exp_in_range(x).to_bits(),
                exp(x).to_bits(),
                "exp_in_range({x})"
            );
            x += 0.012_345;
        }
        for x in [-700.0, -0.0, 0.0, 1e-300, 709.0] {
            assert_eq!(
                exp_in_range(x).to_bits(),
                exp(x).to_bits(),
                "exp_in_range({x})"
            );
        }

        assert_eq!(exp(-746.0), 0.0);
        assert!(exp(f64::NAN).is_nan());
    }

    #[test]
    fn the_normal_quantile_inverts_the_cdf() {
        for p in [1e-10, 0.001, 0.05, 0.2, 0.5, 0.8, 0.95, 0.999, 1.0 - 1e-10] {
            let x = normal_quantile(p);
            assert!(
                (normal_cdf(x) - p).abs() < 1e-12 * p.min(1.0 - p).max(1e-3),
                "p={p}"
            );
        }
        assert!((normal_quantile(0.95) - 1.644_853_626_951_472_2).abs() < 1e-14);
        assert_eq!(normal_quantile(0.5), 0.0);
    }
}
