//! Identify: the team's board of risks, raised from a clue or in one's
//! own words, and moderated by the facilitator.

pub mod board;

pub use board::Board;
