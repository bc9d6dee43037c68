//! Reusable pieces of the room pages. They render and raise callbacks; they
//! decide no rules.

pub mod link_status;
pub mod notice;
pub mod participant_list;
pub mod qr;
pub mod risk_picture;
pub mod scenario_picker;

pub use link_status::LinkStatusBadge;
pub use notice::Notice;
pub use participant_list::ParticipantList;
pub use qr::QrCode;
pub use risk_picture::RiskPicture;
pub use scenario_picker::{ScenarioCheck, ScenarioPicker};
