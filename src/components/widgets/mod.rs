//! Small pieces used on several pages: the QR code, notices, the link's
//! status, the participant list, comment threads, the phase steps with
//! their countdown and controls, the injects' news and controls, tabs, long
//! text a part at a time, moving a seat to another device, and "Opening…"
//! while the page hands over to a bigger app.

pub mod comments;
pub mod console_move;
pub mod handover;
pub mod injects;
pub mod link_status;
pub mod notice;
pub mod paged;
pub mod participant_list;
pub mod phase;
pub mod qr;
pub mod seat;
pub mod storage_notice;
pub mod tabs;
pub mod think_aloud;

pub use comments::{Comments, comment_counts, may_comment};
pub use console_move::{MoveConsole, TakeOverConsole};
pub use handover::HandOver;
pub use injects::{InjectControls, InjectNews, NewsAlert, news_count};
pub use link_status::LinkStatusBadge;
pub use notice::Notice;
pub use paged::PagedText;
pub use participant_list::ParticipantList;
pub use phase::{Countdown, Paused, PhaseControls, PhaseSteps};
pub use qr::QrCode;
pub use seat::{ClaimSeat, MoveSeat};
pub use storage_notice::StorageNotice;
pub use tabs::{Tab, Tabs};
pub use think_aloud::{RoleModelThinking, ThinkAloud};
