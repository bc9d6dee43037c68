//! Hooks: the room context every page of a room reads through, and the
//! room's join link as phones should open it.

pub mod use_join_link;
pub mod use_room;

pub use use_join_link::use_join_link;
pub use use_room::{RoomContext, RoomProvider, use_room};
