//! Identify: the team's board of risks, raised from a clue or in one's
//! own words, and moderated by the facilitator; each learner's own cards,
//! theirs to edit or withdraw.

pub mod board;
pub mod mine;
pub mod perspectives;

pub use board::{Board, RaiseForm};
pub use mine::MyCards;
pub use perspectives::{NudgeAlert, Perspectives, Voices};
