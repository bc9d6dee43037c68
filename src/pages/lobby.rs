//! The lobby app's page once a learner has joined: the lobby and the
//! briefing, drawn as the learner's app draws them. It starts fetching the
//! learner's app as the learner joins, and past the briefing hands over to
//! it (`services::handover`).

use riskroom_core::room::{Room, TeamId};
use yew::prelude::*;

use crate::hooks::use_room;
use crate::pages::learner::{Playing, TeamPanels};
use crate::services::handover;

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
    use_effect_with((), |()| {
        handover::prefetch();
    });
    let opening = room
        .state
        .room
        .as_ref()
        .is_none_or(|r| r.phase.is_opening());
    if opening {
        html! { <Playing<OpeningOnly> /> }
    } else {
        html! { <Handover /> }
    }
}

/// Past the briefing: "Opening…" while the learner's app arrives, then the
/// handover; if it could not load, the reason and a button to try again.
#[function_component(Handover)]
fn handover_to_learner_app() -> Html {
    let room = use_room();
    let failed = use_state(|| None::<String>);
    let tries = use_state(|| 0u32);
    {
        let failed = failed.clone();
        let code = room.code.clone();
        use_effect_with(*tries, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(reason) = handover::to_learner_app(&code).await {
                    failed.set(Some(reason));
                }
            });
        });
    }
    let retry = {
        let (failed, tries) = (failed.clone(), tries.clone());
        Callback::from(move |_| {
            failed.set(None);
            tries.set(*tries + 1);
        })
    };
    match &*failed {
        None => html! { <p class="hint" aria-live="polite">{ "Opening the exercise…" }</p> },
        Some(reason) => html! {
            <section class="panel">
                <p role="alert">{ reason.clone() }</p>
                <button type="button" class="primary" onclick={retry}>{ "Try again" }</button>
            </section>
        },
    }
}
