//! The lobby app's page once a learner has joined: the lobby, drawn as the
//! learner's app draws it. It starts fetching the learner's app as the
//! learner joins, and as the briefing starts hands over to it
//! (`services::handover`).

use riskroom_core::room::{Room, TeamId};
use riskroom_core::scenario::Phase;
use yew::prelude::*;

use crate::components::widgets::HandOver;
use crate::hooks::use_room;
use crate::pages::learner::{Alerts, PastTheLobby, Playing};
use crate::services::handover::{self, App};

/// Nothing past the lobby: the lobby app hands over before a phase needs
/// it, so no brief, no news and no team's tabs.
pub struct LobbyOnly;

impl PastTheLobby for LobbyOnly {
    fn panel(_tab: &str, _team: Option<TeamId>, _room: &Room) -> Option<Html> {
        None
    }

    fn news(_room: &Room) -> usize {
        0
    }

    fn alerts(_alerts: Alerts) -> Html {
        html! {}
    }
}

#[function_component(LobbyPlaying)]
pub fn lobby_playing() -> Html {
    let room = use_room();
    use_effect_with(room.code.clone(), |code| {
        handover::prefetch(&App::Learner(code.clone()));
    });
    let lobby = room
        .state
        .room
        .as_ref()
        .is_none_or(|r| r.phase == Phase::Lobby);
    if lobby {
        html! { <Playing<LobbyOnly> /> }
    } else {
        html! { <HandOver app={App::Learner(room.code)} /> }
    }
}
