//! The room view for the projector: one screen of large type, no
//! controls, nothing private (see `components::room_view`). It connects
//! with the room-view key (from its link, `#view=…`), which the core
//! projects what the whole room may see and lets change nothing, so the
//! projector's computer holds no key that controls the room.

use riskroom_core::RoomCode;
use yew::prelude::*;

use crate::components::RoomViewScreen;
use crate::hooks::{RoomProvider, use_room};
use crate::services::identity::{self, PageKind};
use crate::services::paths;
use crate::state::LinkStatus;

#[derive(Properties, PartialEq)]
pub struct RoomViewProps {
    pub code: RoomCode,
}

/// Takes the key its link brought (`#view=…`), then checks we hold one.
#[function_component(RoomViewPage)]
pub fn room_view_page(props: &RoomViewProps) -> Html {
    let has_key = use_memo(props.code.clone(), |code| {
        if let Some(key) = paths::fragment().strip_prefix("view=") {
            identity::save_room_view_key(code, key);
            paths::clear_fragment();
        }
        identity::room_view_key(code).is_some()
    });
    if !*has_key {
        return html! {
            <main class="room-view">
                <h1>{ format!("Room {}", props.code) }</h1>
                <p role="alert">{ "Open the room view with the link in the facilitator's console: it holds the room view's key." }</p>
            </main>
        };
    }
    html! {
        <RoomProvider code={props.code.clone()} page={PageKind::RoomView}>
            <RoomViewBody />
        </RoomProvider>
    }
}

#[function_component(RoomViewBody)]
fn room_view_body() -> Html {
    let room = use_room();
    let state = &room.state;
    if let LinkStatus::Closed(reason) = &state.status {
        return html! { <main class="room-view"><p role="alert">{ reason.clone() }</p></main> };
    }
    if state.room.is_none() {
        return html! { <main class="room-view"><p class="hint">{ "Connecting to the room…" }</p></main> };
    }
    html! {
        <main class="room-view">
            <RoomViewScreen />
        </main>
    }
}
