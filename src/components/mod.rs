//! Reusable pieces of the room pages. They render and raise callbacks; they
//! decide no rules.

pub mod assess;
pub mod board;
pub mod comments;
pub mod debrief;
pub mod injects;
pub mod link_status;
pub mod notice;
pub mod participant_list;
pub mod phase;
pub mod qr;
pub mod respond;
pub mod risk_picture;
pub mod role_card;
pub mod scenario_picker;
pub mod team_setup;
pub mod year_reveal;

pub use assess::Assess;
pub use board::Board;
pub use debrief::Debrief;
pub use injects::{InjectControls, InjectNews};
pub use link_status::LinkStatusBadge;
pub use notice::Notice;
pub use participant_list::ParticipantList;
pub use phase::{Countdown, PhaseControls, PhaseSteps};
pub use qr::QrCode;
pub use respond::Respond;
pub use risk_picture::RiskPicture;
pub use role_card::{RoleCard, Situation};
pub use scenario_picker::{ScenarioCheck, ScenarioPicker};
pub use team_setup::TeamSetup;
pub use year_reveal::YearReveal;
