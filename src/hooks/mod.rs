//! Hooks: the room context every page of a room reads through.

pub mod use_room;

pub use use_room::{RoomHandle, RoomProvider, use_room};
