//! The room view for the projector: large type, no controls, nothing
//! private — how to join, the phase and its countdown, the news, and each
//! team's board, revealed estimates, strategy and played year. It opens on
//! the facilitator's device (it needs the console's key) in another window.

use riskroom_core::RoomCode;
use riskroom_core::scenario::Phase;
use yew::prelude::*;

use crate::components::{
    Assess, Board, Countdown, InjectNews, PhaseSteps, QrCode, Respond, YearReveal,
};
use crate::hooks::{RoomProvider, use_room};
use crate::services::identity::{self, Hat};
use crate::services::{local, paths};
use crate::state::LinkStatus;

#[derive(Properties, PartialEq)]
pub struct WallProps {
    pub code: RoomCode,
}

#[function_component(Wall)]
pub fn wall(props: &WallProps) -> Html {
    if identity::facilitator_key(&props.code).is_none() {
        return html! {
            <main class="wall">
                <h1>{ format!("Room {}", props.code) }</h1>
                <p role="alert">{ "Open the room view from the facilitator's console, on the device that runs the room." }</p>
            </main>
        };
    }
    html! {
        <RoomProvider code={props.code.clone()} hat={Hat::Facilitator}>
            <WallBody />
        </RoomProvider>
    }
}

#[function_component(WallBody)]
fn wall_body() -> Html {
    let room = use_room();
    let state = &room.state;
    if let LinkStatus::Closed(reason) = &state.status {
        return html! { <main class="wall"><p role="alert">{ reason.clone() }</p></main> };
    }
    let Some(r) = state.room.as_ref() else {
        return html! { <main class="wall"><p class="hint">{ "Connecting to the room…" }</p></main> };
    };
    let join_url = paths::join_url(&room.code);
    let people = r.active_participants().count();
    let on_this_device = local::holds(&room.code);
    html! {
        <main class="wall">
            <header class="room-bar">
                <h1>{ r.title.clone() }</h1>
                <span class="room-code-small">{ format!("Room {}", room.code) }</span>
            </header>
            <PhaseSteps phase={r.phase} />
            <Countdown timer={r.timer.clone()} phase={r.phase} />
            if r.phase <= Phase::Briefing {
                <section class={classes!("wall-join", on_this_device.then_some("here"))} aria-labelledby="wall-join-heading">
                    if on_this_device {
                        // Phones cannot reach a room kept in this browser.
                        <h2 id="wall-join-heading">{ "Join in another tab of this browser" }</h2>
                    } else {
                        <h2 id="wall-join-heading">{ "Join on your phone" }</h2>
                        <QrCode text={join_url.clone()} label={format!("QR code of the join link {join_url}")} />
                    }
                    <div>
                        <p class="room-code-label">{ "Room code" }</p>
                        <p class="room-code" data-testid="wall-code">{ room.code.to_string() }</p>
                        <p class="join-link">{ join_url.clone() }</p>
                        <p class="wall-count" data-testid="wall-people">{ format!("{} joined", riskroom_core::text::count(people, "person has", "people have")) }</p>
                    </div>
                </section>
                if let Some(s) = r.scenario.as_deref() {
                    <section class="panel">
                        <h2>{ s.title.clone() }</h2>
                        <p>{ s.summary.clone() }</p>
                    </section>
                }
            }
            <InjectNews />
            <div class="wall-teams">
                { for r.teams.iter().filter(|t| !t.members.is_empty() || r.teams.len() == 1).map(|t| {
                    let team = t.id;
                    html! {
                        <div class="wall-team" key={team.0}>
                            { match r.phase {
                                Phase::Identify => html! { <Board {team} shared=true /> },
                                Phase::Assess => html! { <Assess {team} shared=true /> },
                                Phase::Respond => html! { <Respond {team} shared=true /> },
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
