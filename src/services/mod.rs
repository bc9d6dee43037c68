//! The app's ties to the outside: URLs, the browser's storage, the HTTP API
//! and the live link to a room.

pub mod api;
pub mod identity;
pub mod paths;
pub mod transport;
