//! A learner's page: enter a name to join; then play the exercise phase by
//! phase — role and private brief, the team's board, estimates, responses,
//! the played year and the debrief. The seat token is kept by the browser,
//! so a reload is the same participant.

use riskroom_core::RoomCode;
use riskroom_core::protocol::You;
use riskroom_core::room::Action;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use std::rc::Rc;

use riskroom_core::Command;
use riskroom_core::scenario::Phase;

use crate::components::{
    Assess, Board, Countdown, Debrief, InjectNews, LinkStatusBadge, Notice, ParticipantList,
    Paused, PhaseSteps, Respond, RoleCard, Situation, YearReveal,
};
use crate::hooks::{RoomProvider, use_room};
use crate::services::identity::{self, PageKind};
use crate::services::paths;
use crate::state::LinkStatus;

#[derive(Properties, PartialEq)]
pub struct LearnerProps {
    pub code: RoomCode,
}

#[function_component(Learner)]
pub fn learner(props: &LearnerProps) -> Html {
    html! {
        <RoomProvider code={props.code.clone()} page={PageKind::Learner}>
            <LearnerBody />
        </RoomProvider>
    }
}

#[function_component(LearnerBody)]
fn learner_body() -> Html {
    let room = use_room();
    let state = &room.state;
    let name = use_state(String::new);

    if let LinkStatus::Closed(reason) = &state.status {
        let held_seat = identity::seat(&room.code).is_some();
        let rejoin = {
            let code = room.code.clone();
            Callback::from(move |_| {
                identity::forget_seat(&code);
                paths::navigate(&paths::join_url(&code));
            })
        };
        return html! {
            <main class="learner">
                <h1>{ format!("Room {}", room.code) }</h1>
                <p role="alert" data-testid="closed-reason">{ reason.clone() }</p>
                if held_seat {
                    <p><button type="button" class="primary" onclick={rejoin}>{ "Join again" }</button></p>
                }
                <p><a href={paths::base_url()}>{ "Go to the start page" }</a></p>
            </main>
        };
    }

    let title = state
        .room
        .as_ref()
        .map(|r| r.title.clone())
        .unwrap_or_default();
    let participants = state
        .room
        .as_ref()
        .map(|r| r.active_participants().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let dismiss = {
        let room = room.clone();
        Callback::from(move |()| room.dismiss_notice())
    };

    let body = match (&state.you, state.me()) {
        (Some(You::Participant { .. }), Some(me)) => {
            let leave = {
                let room = room.clone();
                Callback::from(move |_| room.leave())
            };
            let r = state.room.as_ref();
            let phase = r.map_or(Phase::Lobby, |r| r.phase);
            let team = r.and_then(|r| r.team_of(me.id)).map(|t| t.id);
            let scenario = r.and_then(|r| r.scenario.as_deref()).cloned().map(Rc::new);
            let budget = r.map_or(0.0, |r| r.budget);
            html! {
                <>
                    <section class="me" aria-labelledby="me-heading">
                        <h2 id="me-heading">{ "You are in" }</h2>
                        <p class="my-name" data-testid="my-name">{ me.name.clone() }</p>
                        if let Some(team) = team.and_then(|t| r.and_then(|r| r.team(t))) {
                            <p>{ format!("Team: {}", team.name) }</p>
                        }
                        if let Some(title) = r.and_then(|r| r.scenario_title.clone()) {
                            <p data-testid="learner-scenario">{ "Today's scenario: " }<strong>{ title }</strong></p>
                        }
                        if phase == Phase::Lobby {
                            <p class="hint">{ "Wait for the facilitator to start the briefing." }</p>
                        }
                        <button type="button" class="link-button" onclick={leave}>{ "Leave the room" }</button>
                    </section>
                    <PickRole />
                    if phase >= Phase::Briefing {
                        <RoleCard />
                        if let Some(scenario) = scenario.filter(|_| phase <= Phase::Identify) {
                            <Situation {scenario} {budget} />
                        }
                    }
                    <InjectNews />
                    if let Some(team) = team {
                        { match phase {
                            Phase::Identify => html! { <Board {team} /> },
                            Phase::Assess => html! { <><Assess {team} /><Board {team} /></> },
                            Phase::Respond => html! { <><Respond {team} /><Assess {team} /></> },
                            Phase::PlayYear => html! { <YearReveal {team} /> },
                            Phase::Debrief => html! { <Debrief {team} /> },
                            Phase::Lobby | Phase::Briefing => html! {},
                        } }
                    }
                </>
            }
        }
        (Some(_), _) => {
            let on_submit = {
                let room = room.clone();
                let name = name.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    room.join((*name).clone());
                })
            };
            html! {
                <form class="card join-form" onsubmit={on_submit} aria-labelledby="name-heading">
                    <h2 id="name-heading">{ "Join with your name" }</h2>
                    <label for="display-name">{ "Your name, as the group will see it" }</label>
                    <input id="display-name" name="name" autocomplete="name" maxlength={riskroom_core::text::MAX_NAME_CHARS.to_string()}
                        value={(*name).clone()}
                        oninput={ let name = name.clone();
                                  move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()) } />
                    <button type="submit" class="primary">{ "Join" }</button>
                </form>
            }
        }
        (None, _) => html! { <p class="hint">{ "Connecting to the room…" }</p> },
    };

    html! {
        <main class="learner">
            <header class="room-bar">
                <h1>{ title }</h1>
                <span class="room-code-small">{ format!("Room {}", room.code) }</span>
                <LinkStatusBadge status={state.status.clone()} />
            </header>
            if let Some(r) = state.room.as_ref() {
                <PhaseSteps phase={r.phase} />
                <Countdown timer={r.timer.clone()} phase={r.phase} />
                <Paused />
            }
            <Notice text={state.notice.clone().map(AttrValue::from)} on_dismiss={dismiss} />
            { body }
            <ParticipantList participants={participants} presence={state.presence.clone()} me={state.my_id()} />
        </main>
    }
}

/// In self-select mode, before the exercise starts: pick a role.
#[function_component(PickRole)]
fn pick_role() -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let Some(me) = room.state.my_id() else {
        return html! {};
    };
    if !room.state.may(Action::PickRole) {
        return html! {};
    }
    let Some(scenario) = r.scenario.as_deref() else {
        return html! {};
    };
    let mine = r.role_of(me);
    html! {
        <section class="panel" aria-labelledby="pick-role-heading">
            <h2 id="pick-role-heading">{ "Pick your role" }</h2>
            <ul class="plain-list role-choices">
                { for scenario.roles.iter().map(|role| {
                    let pick = {
                        let room = room.clone();
                        let id = role.id.clone();
                        Callback::from(move |_| room.send(Command::PickRole { role: id.clone() }))
                    };
                    html! {
                        <li key={role.id.clone()}>
                            <button type="button" class="secondary" aria-pressed={(mine == Some(role.id.as_str())).to_string()} onclick={pick}>
                                { format!("Play {}", role.name) }
                            </button>
                            <span class="hint">{ format!(" {}", role.summary) }</span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
