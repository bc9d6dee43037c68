//! Small pieces used on several pages: the QR code, notices, the link's
//! status, the participant list, comment threads, the phase steps with
//! their countdown and controls, and the injects' news and controls.

pub mod comments;
pub mod injects;
pub mod link_status;
pub mod notice;
pub mod participant_list;
pub mod phase;
pub mod qr;

pub use comments::Comments;
pub use injects::{InjectControls, InjectNews};
pub use link_status::LinkStatusBadge;
pub use notice::Notice;
pub use participant_list::ParticipantList;
pub use phase::{Countdown, Paused, PhaseControls, PhaseSteps};
pub use qr::QrCode;
