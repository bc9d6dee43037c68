//! Play the year: the team's realised year, revealed event by event.

pub mod year_reveal;

pub use year_reveal::{YearReveal, use_team_year};
