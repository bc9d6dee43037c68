//! The app's ties to the outside: URLs, the browser's storage, the HTTP API,
//! the scenario library and the live link to a room (to the server, or kept
//! in this browser when there is none).

pub mod api;
pub mod boot;
pub mod embed;
pub mod handover;
pub mod identity;
pub mod library;
pub mod link;
pub mod local;
pub mod paths;
pub mod reader;
pub mod site;
pub mod store;
pub mod transport;
