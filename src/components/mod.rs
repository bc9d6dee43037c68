//! The pieces the room pages are made of: small widgets, the facilitator's
//! set-up, and one folder per phase of the exercise. They render the
//! client's copy of the room and send commands; what they offer, they ask
//! the core (`Room::allows`), and they decide no rule.

pub mod assess;
pub mod briefing;
pub mod debrief;
pub mod identify;
pub mod respond;
pub mod room_view;
pub mod setup;
pub mod widgets;
pub mod year;

pub use assess::{Assess, Discussion, EstimateStepper};
pub use briefing::{RoleCard, Situation};
pub use debrief::{Debrief, DebriefPart};
pub use identify::{Board, MyCards, NudgeAlert, Perspectives, RaiseForm, Voices};
pub use respond::{Respond, RespondPart};
pub use room_view::RoomViewScreen;
pub use setup::{RiskPicture, ScenarioCheck, ScenarioPicker, TeamSetup};
pub use widgets::{
    ClaimSeat, Comments, Countdown, InjectControls, InjectNews, LinkStatusBadge, MoveConsole,
    MoveSeat, NewsAlert, Notice, ParticipantList, Paused, PhaseControls, PhaseSteps, QrCode,
    RoleModelThinking, StorageNotice, Tab, Tabs, TakeOverConsole, ThinkAloud, news_count,
};
pub use year::YearReveal;

use riskroom_core::room::TeamId;
use yew::Properties;

/// The properties of a piece that shows one team.
#[derive(Properties, PartialEq)]
pub struct TeamProps {
    pub team: TeamId,
}
