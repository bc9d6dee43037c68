//! Hooks: the room context every page of a room reads through.

pub mod use_room;

pub use use_room::{RoomContext, RoomProvider, use_room};
