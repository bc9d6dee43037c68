//! How to join, on the room view: the QR code of the join link, the room
//! code and the link in large type, and how many have joined.

use yew::prelude::*;

use crate::components::QrCode;
use crate::hooks::{use_join_link, use_room};
use crate::services::local;

#[derive(Properties, PartialEq)]
pub struct JoinScreenProps {
    /// Beside the briefing rather than the whole screen.
    #[prop_or_default]
    pub compact: bool,
}

#[function_component(JoinScreen)]
pub fn join_screen(props: &JoinScreenProps) -> Html {
    let room = use_room();
    let (join, _) = use_join_link(&room.code);
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let url = join.url;
    let people = r.active_participants().count();
    let on_this_device = local::holds(&room.code);
    html! {
        <section class={classes!("room-view-join", on_this_device.then_some("here"), props.compact.then_some("compact"))}
            aria-labelledby="room-view-join-heading">
            if on_this_device {
                // Phones cannot reach a room kept in this browser.
                <h2 id="room-view-join-heading">{ "Join in another tab of this browser" }</h2>
            } else {
                <h2 id="room-view-join-heading">{ "Join on your phone" }</h2>
                <QrCode text={url.clone()} label={format!("QR code of the join link {url}")} />
            }
            <div>
                <p class="room-code-label">{ "Room code" }</p>
                <p class="room-code" data-testid="room-view-code">{ room.code.to_string() }</p>
                <p class="join-link">{ url.clone() }</p>
                <p class="room-view-count" data-testid="room-view-people">{ format!("{} joined", riskroom_core::text::count(people, "person has", "people have")) }</p>
            </div>
        </section>
    }
}
