//! The facilitator's set-up in the lobby: choosing and checking a
//! scenario, the scenario's risk picture, teams and roles.

pub mod risk_picture;
pub mod scenario_picker;
pub mod team_setup;

pub use risk_picture::RiskPicture;
pub use scenario_picker::{ScenarioCheck, ScenarioPicker};
pub use team_setup::TeamSetup;
