//! The lobby app's page once a learner has joined: the lobby and the
//! briefing, drawn as the learner's app draws them. It starts fetching the
//! learner's app as the learner joins, and past the briefing hands over to
//! it (`services::handover`).

use riskroom_core::room::{Room, TeamId};
use yew::prelude::*;

use crate::components::widgets::HandOver;
use crate::hooks::use_room;
use crate::pages::learner::{Playing, TeamPanels};
use crate::services::handover::{self, App};

/// No team panels: the lobby app hands over before a phase needs one.
pub struct OpeningOnly;

impl TeamPanels for OpeningOnly {
    fn panel(_tab: &str, _team: TeamId, _room: &Room) -> Option<Html> {
        None
    }
}

#[function_component(LobbyPlaying)]
pub fn lobby_playing() -> Html {
    let room = use_room();
    use_effect_with(room.code.clone(), |code| {
        handover::prefetch(&App::Learner(code.clone()));
    });
    let opening = room
        .state
        .room
        .as_ref()
        .is_none_or(|r| r.phase.is_opening());
    if opening {
        html! { <Playing<OpeningOnly> /> }
    } else {
        html! { <HandOver app={App::Learner(room.code)} /> }
    }
}
