//! Briefing: the shared situation, and each learner's role with its
//! private brief, clues and prompts.

pub mod role_card;

pub use role_card::{RoleCard, Situation};
