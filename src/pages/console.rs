//! The facilitator's console: the room code, join link and QR code; the
//! scenario, teams and roles; then the exercise phase by phase — timers,
//! injects, moderation of each team's board, reveals, the played year and
//! the debrief. The console app draws the opening phases (the lobby and
//! the briefing) and hands over to the whole app past them
//! ([`OpeningOnly`]); the whole app draws every phase ([`EveryPhase`]).

use riskroom_core::Command;
use riskroom_core::RoomCode;
use yew::prelude::*;

use std::rc::Rc;

use riskroom_core::room::TeamId;
use riskroom_core::scenario::Phase;

use crate::components::widgets::HandOver;
use crate::components::{
    Assess, Board, Countdown, Debrief, InjectControls, InjectNews, LinkStatusBadge, MoveConsole,
    Notice, ParticipantList, Paused, Perspectives, PhaseControls, PhaseSteps, QrCode, Respond,
    RiskPicture, RoleModelThinking, ScenarioPicker, Situation, StorageNotice, TakeOverConsole,
    TeamSetup, Voices, YearReveal,
};
use crate::hooks::{RoomProvider, use_join_link, use_room};
use crate::services::handover::{self, App};
use crate::services::identity::{self, PageKind};
use crate::services::{local, paths};
use crate::state::LinkStatus;

/// What a console draws of the phases past the briefing: a team's panels.
pub trait ConsolePhases: 'static {
    /// Whether this console draws the room in `phase`; one that does not
    /// hands over to the whole app.
    fn draws(phase: Phase) -> bool;
    /// The panels of `team` in `phase`.
    fn team_panels(phase: Phase, team: TeamId) -> Html;
    /// Starts fetching, as the console opens, what draws the phases this
    /// console does not.
    fn fetch_the_rest() {}
}

/// Every phase: the whole app's console.
pub struct EveryPhase;

impl ConsolePhases for EveryPhase {
    fn draws(_: Phase) -> bool {
        true
    }

    fn team_panels(phase: Phase, team: TeamId) -> Html {
        match phase {
            Phase::Identify => {
                html! { <><Perspectives {team} /><Voices {team} /><RoleModelThinking {team} /><Board {team} /></> }
            }
            Phase::Assess => {
                html! { <><Assess {team} /><Perspectives {team} /><Voices {team} /><RoleModelThinking {team} /><Board {team} /></> }
            }
            Phase::Respond => {
                html! { <><Respond {team} /><Voices {team} /><RoleModelThinking {team} /><Board {team} /></> }
            }
            Phase::PlayYear => html! { <YearReveal {team} /> },
            Phase::Debrief => html! { <Debrief {team} /> },
            Phase::Lobby | Phase::Briefing => html! {},
        }
    }
}

/// The lobby and the briefing: the console app's console, which fetches
/// the whole app as it opens and hands over to it past the briefing.
pub struct OpeningOnly;

impl ConsolePhases for OpeningOnly {
    fn draws(phase: Phase) -> bool {
        phase.is_opening()
    }

    fn team_panels(_: Phase, _: TeamId) -> Html {
        html! {}
    }

    fn fetch_the_rest() {
        handover::prefetch(&App::Whole);
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub code: RoomCode,
}

/// Takes a move link's code (`#move=…&root=…`), then checks we hold a key
/// or are about to be issued one.
#[function_component(Console)]
pub fn console<P: ConsolePhases>(props: &ConsoleProps) -> Html {
    let arrival = use_memo(props.code.clone(), |code| {
        let fragment = paths::fragment();
        let moving = fragment.strip_prefix("move=").map(|rest| {
            let (move_code, root) = rest.split_once("&root=").unwrap_or((rest, ""));
            if !root.is_empty() {
                identity::save_room_view_root(code, root);
            }
            // A key this browser kept from before opens nothing now.
            identity::forget_facilitator_key(code);
            paths::clear_fragment();
            AttrValue::from(move_code.to_owned())
        });
        (identity::facilitator_key(code).is_some(), moving)
    });
    let (has_key, moving) = (*arrival).clone();
    if let Some(code) = moving {
        return html! {
            <RoomProvider code={props.code.clone()} page={PageKind::Console}>
                <ConsoleBody<P> take_over={Some(code)} />
            </RoomProvider>
        };
    }
    if !has_key {
        return html! {
            <main class="console">
                <h1>{ format!("Room {}", props.code) }</h1>
                <p role="alert">
                    { "This browser does not hold the facilitator key for this room. \
                       Open the console on the device that runs the room, \
                       and use “Move this console to another device” there to move it here." }
                </p>
                <p><a href={paths::join_url(&props.code)}>{ "Join this room as a learner instead" }</a></p>
            </main>
        };
    }
    html! {
        <RoomProvider code={props.code.clone()} page={PageKind::Console}>
            <ConsoleBody<P> take_over={None::<AttrValue>} />
        </RoomProvider>
    }
}

#[derive(Properties, PartialEq)]
struct ConsoleBodyProps {
    /// The move link's code, when this page came to take the console over.
    take_over: Option<AttrValue>,
}

#[function_component(ConsoleBody)]
fn console_body<P: ConsolePhases>(props: &ConsoleBodyProps) -> Html {
    let room = use_room();
    let state = &room.state;
    use_effect_with((), |()| P::fetch_the_rest());
    let (join, choose_address) = use_join_link(&room.code);
    let join_url = join.url.clone();
    // None until tried; then whether the browser let the page copy (a
    // frame without `allow="clipboard-write"` may not).
    let copied = use_state(|| None::<bool>);
    let chosen_team = use_state(|| TeamId(1));

    let copy = {
        let join_url = join_url.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            let Some(window) = web_sys::window() else {
                return;
            };
            // No clipboard at all outside a secure context.
            let has_clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into())
                .is_ok_and(|c| !c.is_undefined() && !c.is_null());
            if !has_clipboard {
                copied.set(Some(false));
                return;
            }
            let promise = window.navigator().clipboard().write_text(&join_url);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                copied.set(Some(done));
            });
        })
    };
    if let LinkStatus::Closed(reason) = &state.status {
        return html! {
            <main class="console">
                <h1>{ format!("Room {}", room.code) }</h1>
                <p role="alert">{ reason.clone() }</p>
                <p><a href={paths::base_url()}>{ "Go to the start page" }</a></p>
            </main>
        };
    }
    if let Some(code) = props.take_over.clone()
        && state.you != Some(riskroom_core::protocol::You::Facilitator)
    {
        return html! { <TakeOverConsole {code} /> };
    }
    let participants = state
        .room
        .as_ref()
        .map(|r| r.active_participants().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let title = state
        .room
        .as_ref()
        .map(|r| r.title.clone())
        .unwrap_or_default();
    let on_remove = {
        let room = room.clone();
        Callback::from(move |id| room.remove(id))
    };
    let dismiss = {
        let room = room.clone();
        Callback::from(move |()| room.dismiss_notice())
    };
    let choose = {
        let room = room.clone();
        Callback::from(move |(file, text)| room.choose_scenario(file, text))
    };
    let current = state
        .room
        .as_ref()
        .and_then(|r| r.scenario_title.clone())
        .map(AttrValue::from);
    let open = state
        .room
        .as_ref()
        .is_some_and(|r| r.phase == riskroom_core::scenario::Phase::Lobby);

    let r = state.room.as_ref();
    let phase = r.map_or(Phase::Lobby, |r| r.phase);
    if !P::draws(phase) {
        return html! {
            <main class="console">
                <header class="room-bar">
                    <h1>{ title }</h1>
                    <LinkStatusBadge status={state.status.clone()} />
                </header>
                <HandOver app={App::Whole} />
            </main>
        };
    }
    let has_scenario = r.is_some_and(|r| r.scenario.is_some());
    let teams: Vec<(TeamId, String)> = r
        .map(|r| r.teams.iter().map(|t| (t.id, t.name.clone())).collect())
        .unwrap_or_default();
    let team = teams
        .iter()
        .map(|(id, _)| *id)
        .find(|id| *id == *chosen_team)
        .or_else(|| teams.first().map(|(id, _)| *id));
    let scenario = r.and_then(|r| r.scenario.as_deref()).cloned().map(Rc::new);
    let budget = r.map_or(0.0, |r| r.budget);
    let join_panel = html! {
        <div class="console-grid">
            <section class="join-panel" aria-labelledby="join-panel-heading">
                <h2 id="join-panel-heading">{ "Join this room" }</h2>
                <p class="room-code-label">{ "Room code" }</p>
                <p class="room-code" data-testid="room-code">{ room.code.to_string() }</p>
                <QrCode text={join_url.clone()} label={format!("QR code of the join link {join_url}")} />
                <p class="join-link">
                    <a href={join_url.clone()} data-testid="join-link">{ join_url.clone() }</a>
                    <button type="button" class="link-button" onclick={copy} data-testid="copy-link">
                        { if *copied == Some(true) { "Copied" } else { "Copy link" } }
                    </button>
                    if *copied == Some(false) {
                        <span class="hint" role="status" data-testid="copy-failed">{ " This browser did not let the page copy: select the link and copy it." }</span>
                    }
                </p>
                if !join.choices.is_empty() {
                    <p class="join-address">
                        <label for="join-address">{ "Phones join at" }</label>
                        <select id="join-address" onchange={ let choose = choose_address.clone();
                            move |e: Event| choose.emit(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()) }>
                            { for join.choices.iter().map(|a| html! {
                                <option value={a.clone()} selected={join.chosen.as_deref() == Some(a.as_str())}>{ a.clone() }</option>
                            }) }
                        </select>
                        <span class="hint">{ " — this computer's addresses on its networks; pick the one the room's Wi-Fi reaches." }</span>
                    </p>
                }
                if join.this_computer_only && !local::holds(&room.code) {
                    <p class="warning" role="status" data-testid="join-warning">
                        { "Phones cannot open this link: it names this computer. Start Riskroom listening on the network (cargo xtask run --addr 0.0.0.0:8080), or with --public-url set to the address people open." }
                    </p>
                }
                if let Some(key) = r.and_then(|r| identity::room_view_key_at(&room.code, r.room_view_generation)) {
                    <RoomViewLink url={paths::room_view_url(&join.base, &room.code, &key)}
                        generation={r.map_or(0, |r| r.room_view_generation)} />
                }
            </section>
            <ParticipantList participants={participants} presence={state.presence.clone()}
                me_facilitator=true on_remove={on_remove} />
        </div>
    };

    html! {
        <main class="console">
            <header class="room-bar">
                <h1>{ title }</h1>
                <LinkStatusBadge status={state.status.clone()} />
            </header>
            <StorageNotice loses="this console (move it to a tab of its own with “Move this console to another device”)" />
            <PhaseSteps {phase} />
            <Countdown timer={r.and_then(|r| r.timer.clone())} {phase} />
            <Paused />
            <Notice text={state.notice.clone().map(AttrValue::from)} on_dismiss={dismiss} />
            if has_scenario {
                <PhaseControls />
            }
            if phase == Phase::Lobby {
                { join_panel }
            } else {
                <details class="panel">
                    <summary>{ format!("Join details and people ({})", room.code) }</summary>
                    { join_panel }
                </details>
            }
            if phase == Phase::Lobby {
                <ScenarioPicker current={current} open={open} on_use={choose} />
            }
            if phase <= Phase::Briefing && has_scenario {
                <TeamSetup />
            } else if has_scenario {
                // Who plays what can still be fixed until the estimates
                // begin; the role model, teams and settings at any time.
                <details class="panel">
                    <summary>{ "Teams and roles" }</summary>
                    <TeamSetup />
                </details>
            }
            if let Some(scenario) = scenario.clone().filter(|_| phase == Phase::Briefing) {
                <Situation {scenario} {budget} />
            }
            if phase > Phase::Lobby {
                if r.is_some_and(riskroom_core::Room::injects_open) {
                    <InjectControls />
                }
                <InjectNews />
            }
            if phase > Phase::Briefing && teams.len() > 1 {
                <div class="team-tabs" role="group" aria-label="Team to show">
                    { for teams.iter().map(|(id, name)| {
                        let pick = { let chosen_team = chosen_team.clone(); let id = *id; Callback::from(move |_| chosen_team.set(id)) };
                        html! { <button type="button" class="secondary" aria-pressed={(Some(*id) == team).to_string()} onclick={pick}>{ name.clone() }</button> }
                    }) }
                </div>
            }
            if let Some(team) = team {
                // Keyed by team, so switching teams builds every panel afresh
                // from the room: no form or list keeps the other team's state.
                <div class="team-view" key={format!("team-{}-{}", team.0, phase.name())} data-testid="team-view">
                    { P::team_panels(phase, team) }
                </div>
            }
            if let Some(scenario) = state.room.as_ref().and_then(|r| r.scenario.as_deref()) {
                <RiskPicture key={scenario.id.clone()} scenario={std::rc::Rc::new(scenario.clone())}
                    fired={state.room.as_ref().map(|r| r.fired.clone()).unwrap_or_default()}
                    seed={state.room.as_ref().map_or(0, riskroom_core::Room::seed)} />
            }
            if !r.is_some_and(|r| r.ended) {
            <details class="panel end-room">
                <summary>{ "End this room" }</summary>
                <p>{ "Ending the room stops every change. Every page, and every link to it, stays open to read the debrief and export it." }</p>
                <button type="button" class="secondary danger" onclick={
                    let room = room.clone();
                    Callback::from(move |_| {
                        let sure = web_sys::window()
                            .and_then(|w| w.confirm_with_message("End this room for everyone? This cannot be undone.").ok())
                            .unwrap_or(false);
                        if sure {
                            room.send(riskroom_core::Command::EndRoom);
                        }
                    })
                }>{ "End the room for everyone" }</button>
            </details>
            }
            if !local::holds(&room.code) {
                <MoveConsole base={join.base.clone()} />
            }
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct RoomViewLinkProps {
    url: AttrValue,
    /// How many times the link was replaced.
    generation: u32,
}

/// The room view's own link, to open on the projector's computer (it shows
/// the room and controls nothing), with its QR code; the facilitator can
/// replace it, which shuts out every room view opened from the old one.
#[function_component(RoomViewLink)]
fn room_view_link(props: &RoomViewLinkProps) -> Html {
    let room = use_room();
    let replace = {
        let next = props.generation + 1;
        Callback::from(move |_| {
            if let Some(key) = identity::room_view_key_at(&room.code, next) {
                room.send(Command::RenewRoomViewKey {
                    room_view: key.hash(),
                });
            }
        })
    };
    let url = props.url.to_string();
    html! {
        <div class="room-view-link">
            <p>
                <a href={url.clone()} target="_blank" data-testid="room-view-link">{ "Open the room view for the projector" }</a>
                <span class="hint">{ " — on this or any computer: it shows the room and controls nothing." }</span>
            </p>
            <details>
                <summary>{ "The room view's link and QR code, to open it on the projector's computer" }</summary>
                <QrCode text={url.clone()} label={"QR code of the room view's link".to_owned()} />
                <p class="join-link">{ url.clone() }</p>
                <p>
                    <button type="button" class="secondary" onclick={replace} data-testid="replace-room-view-link">
                        { "Replace this link" }
                    </button>
                    <span class="hint">{ " Every room view opened from it closes; open the new one." }</span>
                </p>
            </details>
        </div>
    }
}
