//! The Monte Carlo engine: annual losses of a scenario's risks, with and
//! without a strategy, identical on every device for the same seed.

pub mod engine;
pub mod golden;
pub mod math;
pub mod model;
pub mod normal;
pub mod optimise;
pub mod pert;
pub mod report;
pub mod rng;
pub mod summary;
pub mod year;

pub use engine::Simulation;
pub use model::{Strategy, truth_model};
pub use optimise::{Best, best_strategy};
pub use report::{Report, report};
pub use summary::Summary;
pub use year::{Year, YearEvent, play_year};

/// The most trials one simulation runs: the annual losses it keeps (with and
/// without a strategy), and the worst years' losses it keeps for the
/// summary (at most as much again), stay within a few hundred megabytes.
pub const MAX_TRIALS: usize = 10_000_000;
