//! The scales a learner sets an estimate on, with a thumb rather than a
//! keyboard: the loss axis (whole decades around the room's budget, so no
//! scale hints at the truth) and the quick choices of how likely a risk is.

use super::Room;
use crate::scenario::Frequency;

/// How many decades of loss the axis spans below the budget.
const DECADES_BELOW: i32 = 3;
/// How many decades of loss the axis spans above the budget.
const DECADES_ABOVE: i32 = 2;

/// The quick choices of how likely a risk is, in words and as a frequency.
pub const LIKELIHOOD_CHOICES: [(&str, Frequency); 7] = [
    ("1 in 100 years", Frequency::Probability(0.01)),
    ("1 in 20 years", Frequency::Probability(0.05)),
    ("1 in 10 years", Frequency::Probability(0.1)),
    ("1 in 4 years", Frequency::Probability(0.25)),
    ("1 in 2 years", Frequency::Probability(0.5)),
    ("Most years", Frequency::Probability(0.8)),
    ("3 times a year", Frequency::Rate(3.0)),
];

/// The ends of the loss axis: whole powers of ten from three decades below
/// the budget to two above (1 to 10 when the budget is not set).
pub fn loss_scale(budget: f64) -> (f64, f64) {
    let decade = if budget.is_finite() && budget >= 1.0 {
        budget.log10().floor() as i32
    } else {
        0
    };
    let low = (decade - DECADES_BELOW).max(0);
    let high = (decade + DECADES_ABOVE).max(low + 1);
    (10f64.powi(low), 10f64.powi(high))
}

/// `amount` rounded to two significant figures: where a slider lands is a
/// round number a person would say.
pub fn round_amount(amount: f64) -> f64 {
    if !(amount.is_finite() && amount > 0.0) {
        return amount;
    }
    let unit = 10f64.powi(amount.log10().floor() as i32 - 1);
    (amount / unit).round() * unit
}

impl Room {
    /// The loss axis a learner's estimate is set on in this room.
    pub fn loss_scale(&self) -> (f64, f64) {
        loss_scale(self.budget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_spans_whole_decades_around_the_budget() {
        assert_eq!(loss_scale(500_000.0), (100.0, 10_000_000.0));
        assert_eq!(loss_scale(1_000_000.0), (1_000.0, 100_000_000.0));
        assert_eq!(loss_scale(0.0), (1.0, 100.0));
        assert_eq!(loss_scale(f64::NAN), (1.0, 100.0));
        assert_eq!(loss_scale(20.0), (1.0, 1_000.0));
    }

    #[test]
    fn amounts_round_to_two_figures() {
        assert_eq!(round_amount(123_456.0), 120_000.0);
        assert_eq!(round_amount(9_960.0), 10_000.0);
        assert_eq!(round_amount(47.0), 47.0);
        assert_eq!(round_amount(0.0), 0.0);
    }

    #[test]
    fn choices_are_valid_frequencies_in_rising_order() {
        let chances: Vec<f64> = LIKELIHOOD_CHOICES
            .iter()
            .map(|(_, f)| f.yearly_chance())
            .collect();
        assert!(chances.windows(2).all(|w| w[0] < w[1]), "{chances:?}");
    }
}
