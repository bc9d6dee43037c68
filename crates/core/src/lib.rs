//! Riskroom's pure domain, shared by the browser app and the server.
//!
//! Everything that decides — who may do what, what a command changes, what a
//! participant may see — lives here, so the server and every browser fold the
//! same events into the same state. No IO, no async, nothing about Yew, axum or
//! the browser.

pub mod debrief;
pub mod export;
pub mod ids;
pub mod protocol;
#[cfg(feature = "records")]
pub mod record;
pub mod room;
pub mod scenario;
pub mod score;
pub mod session;
pub mod sim;
pub mod tagged;
pub mod talk;
pub mod text;

pub use ids::{CodeError, ParticipantId, RoomCode, SeatCode, Secret, SecretHash};
pub use protocol::{ClientMessage, CommandId, Credential, PROTOCOL_VERSION, ServerMessage};
pub use room::{Actor, Command, Event, Participant, Rejection, Room, Stamped};
