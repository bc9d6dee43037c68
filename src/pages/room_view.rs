//! The room view for the projector: large type, no controls, nothing
//! private — how to join, the phase and its countdown, the news, and each
//! team's board, revealed estimates, strategy and played year. It connects
//! with the room-view key (from its link, `#view=…`), which the core
//! projects what the whole room may see and lets change nothing, so the
//! projector's computer holds no key that controls the room.

use riskroom_core::RoomCode;
use riskroom_core::scenario::Phase;
use yew::prelude::*;

use crate::components::{
    Assess, Board, Countdown, InjectNews, Paused, PhaseSteps, QrCode, Respond, YearReveal,
};
use crate::hooks::{RoomProvider, use_join_link, use_room};
use crate::services::identity::{self, PageKind};
use crate::services::{local, paths};
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
    let Some(r) = state.room.as_ref() else {
        return html! { <main class="room-view"><p class="hint">{ "Connecting to the room…" }</p></main> };
    };
    let (join, _) = use_join_link(&room.code);
    let join_url = join.url;
    let people = r.active_participants().count();
    let on_this_device = local::holds(&room.code);
    html! {
        <main class="room-view">
            <header class="room-bar">
                <h1>{ r.title.clone() }</h1>
                <span class="room-code-small">{ format!("Room {}", room.code) }</span>
            </header>
            <PhaseSteps phase={r.phase} />
            <Countdown timer={r.timer.clone()} phase={r.phase} />
            <Paused />
            if r.join_screen_shown() {
                <section class={classes!("room-view-join", on_this_device.then_some("here"))} aria-labelledby="room-view-join-heading">
                    if on_this_device {
                        // Phones cannot reach a room kept in this browser.
                        <h2 id="room-view-join-heading">{ "Join in another tab of this browser" }</h2>
                    } else {
                        <h2 id="room-view-join-heading">{ "Join on your phone" }</h2>
                        <QrCode text={join_url.clone()} label={format!("QR code of the join link {join_url}")} />
                    }
                    <div>
                        <p class="room-code-label">{ "Room code" }</p>
                        <p class="room-code" data-testid="room-view-code">{ room.code.to_string() }</p>
                        <p class="join-link">{ join_url.clone() }</p>
                        <p class="room-view-count" data-testid="room-view-people">{ format!("{} joined", riskroom_core::text::count(people, "person has", "people have")) }</p>
                    </div>
                </section>
            }
            if r.phase <= Phase::Briefing {
                if let Some(s) = r.scenario.as_deref() {
                    <section class="panel">
                        <h2>{ s.title.clone() }</h2>
                        <p>{ s.summary.clone() }</p>
                    </section>
                }
            }
            <InjectNews />
            <div class="room-view-teams">
                { for r.teams.iter().filter(|t| !t.members.is_empty() || r.teams.len() == 1).map(|t| {
                    let team = t.id;
                    html! {
                        <div class="room-view-team" key={team.0}>
                            { match r.phase {
                                Phase::Identify => html! { <Board {team} /> },
                                Phase::Assess => html! { <Assess {team} /> },
                                Phase::Respond => html! { <Respond {team} /> },
                                Phase::PlayYear | Phase::Debrief => html! { <YearReveal {team} /> },
                                Phase::Lobby | Phase::Briefing => html! {},
                            } }
                        </div>
                    }
                }) }
            </div>
        </main>
    }
}
