//! Hooks: the room context every page of a room reads through, a control's
//! own line to the core (its refusals shown beside it), the room's join link
//! as phones should open it, and a team's live board.

pub mod use_belief;
pub mod use_command;
pub mod use_join_link;
pub mod use_room;

pub use use_belief::{BELIEF_TRIALS, use_belief};
pub use use_command::{CommandLine, Refusal, Sent, use_command, use_command_via};
pub use use_join_link::use_join_link;
pub use use_room::{RoomContext, RoomProvider, RoomSender, use_room};
