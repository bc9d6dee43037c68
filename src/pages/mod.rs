//! One module per page of the app.

pub mod console;
pub mod home;
pub mod learner;
pub mod lobby;
pub mod not_found;
pub mod room_view;
