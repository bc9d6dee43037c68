//! A counter-based random stream: every (seed, risk, trial) has its own
//! SplitMix64 sequence, and every event of that trial its own stretch of it.
//! Draws do not depend on the order risks are simulated in, on other risks,
//! or on the platform — and the same trial of the same risk sees the same
//! numbers under every strategy (common random numbers), so strategies
//! compare without noise between them.

/// SplitMix64's increment (the golden ratio in 64 bits).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
/// Distance between the starting states of consecutive trials: an odd
/// constant unrelated to GAMMA, so trials' streams never meet in practice.
const TRIAL_STRIDE: u64 = 0xD1B5_4A32_D192_ED03;
/// Event j of a trial starts (j + 1)·2^32 draws along the trial's sequence,
/// so events draw independently of each other (a rejection loop in one
/// event does not shift the next) and can be sampled in any order.
const EVENT_JUMP: u64 = GAMMA << 32;

#[derive(Clone, Copy, Debug)]
pub struct Stream {
    state: u64,
}

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Stream {
    /// The stream of one trial of one risk: SplitMix64 started at a point
    /// far along from the risk's key (one multiply, no extra mixing).
    #[inline]
    pub fn new(risk_key: u64, trial: u64) -> Self {
        Self {
            state: risk_key.wrapping_add(trial.wrapping_mul(TRIAL_STRIDE)),
        }
    }

    /// The stream of the next trial, from the stream of a trial that has
    /// not drawn yet (an addition instead of `new`'s multiplication).
    #[inline]
    pub fn next_trial(self) -> Self {
        Self {
            state: self.state.wrapping_add(TRIAL_STRIDE),
        }
    }

    /// The first 64 bits of this stream, leaving it as it was.
    #[inline]
    pub fn first_bits(self) -> u64 {
        let mut s = self;
        s.next_u64()
    }

    /// The first uniform of this stream, leaving it as it was.
    #[inline]
    pub fn uniform_at_start(self) -> f64 {
        unit(self.first_bits())
    }

    /// The stream of event `event` (0, 1, …) of one trial of one risk.
    #[inline]
    pub fn event(risk_key: u64, trial: u64, event: u32) -> Self {
        Self {
            state: Self::new(risk_key, trial)
                .state
                .wrapping_add(u64::from(event).wrapping_add(1).wrapping_mul(EVENT_JUMP)),
        }
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// Uniform in (0, 1): never exactly 0 or 1, so logs and quantiles are finite.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        unit(self.next_u64())
    }
}

/// The top 52 bits of `bits`, m, as the uniform (m + ½)/2^52: exact, and
/// strictly inside (0, 1), so logarithms and quantiles are finite.
#[inline]
pub fn unit(bits: u64) -> f64 {
    // m − 2^51 as a signed integer (flip the top bit, shift in its copy):
    // processors convert signed 64-bit integers in one instruction, but an
    // integer known to be non-negative compiles, for WebAssembly, to the
    // unsigned conversion, which V8 emulates. m + ½ < 2^52 is exact.
    let centred = ((bits ^ 1 << 63) as i64 >> 12) as f64;
    (centred + ((1u64 << 51) as f64 + 0.5)) * (1.0 / (1u64 << 52) as f64)
}

/// A risk's key for a seed: FNV-1a of its id, mixed with the seed, so a risk
/// keeps its draws whatever else is in the model.
pub fn risk_key(seed: u64, risk_id: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in risk_id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(hash ^ mix(seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_is_the_top_52_bits_plus_a_half() {
        let mut stream = Stream::new(7, 0);
        for bits in (0..100_000).map(|_| stream.next_u64()).chain([
            0,
            1 << 12,
            u64::MAX,
            1 << 63,
            (1 << 63) - 1,
        ]) {
            let m = bits >> 12;
            let want = (m as f64 + 0.5) / (1u64 << 52) as f64;
            assert_eq!(unit(bits).to_bits(), want.to_bits(), "{bits:#x}");
        }
        assert_eq!(unit(0), 2f64.powi(-53));
        assert!(unit(u64::MAX) < 1.0);
    }
}
