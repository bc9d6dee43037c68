//! A learner's page: enter a name to join (from the first moment: the form
//! the page showed before the app was ready hands over what was typed, and a
//! press of **Join** made while connecting is carried out once the room
//! answers); then play the exercise phase by
//! phase on tabs — first what the learner can do now (raise a risk, estimate
//! the next one, vote), with the brief, the board, the news and the people a
//! tap away. The seat token is kept by the browser, so a reload is the same
//! participant.

use riskroom_core::RoomCode;
use riskroom_core::protocol::You;
use riskroom_core::room::Action;
use riskroom_core::room::{Room, TeamId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use std::rc::Rc;

use riskroom_core::Command;
use riskroom_core::scenario::Phase;

use crate::components::assess::heat_map::HeatMap;
use crate::components::{
    Assess, Board, ClaimSeat, Countdown, Debrief, DebriefPart, Discussion, EstimateStepper,
    InjectNews, LinkStatusBadge, MoveSeat, MyCards, NewsAlert, Notice, NudgeAlert, ParticipantList,
    Paused, PhaseSteps, RaiseForm, Respond, RespondPart, RoleCard, RoleModelThinking, Situation,
    StorageNotice, Tab, Tabs, ThinkAloud, YearReveal, news_count,
};
use crate::hooks::{Refusal, RoomProvider, Sent, use_command, use_room};
use crate::services::identity::{self, PageKind};
use crate::services::{boot, paths};
use crate::state::LinkStatus;

#[derive(Properties, PartialEq)]
pub struct LearnerProps {
    pub code: RoomCode,
}

/// A learner's page, drawing `P` once they have joined: [`Playing`] with
/// [`EveryPhase`] in the learner's app, the lobby app's page
/// (`pages::lobby`) in the lobby app.
#[function_component(Learner)]
pub fn learner<P>(props: &LearnerProps) -> Html
where
    P: BaseComponent<Properties = ()>,
{
    html! {
        <RoomProvider code={props.code.clone()} page={PageKind::Learner}>
            <LearnerBody<P> />
        </RoomProvider>
    }
}

/// The name field as it stands (Enter can come before the page has drawn
/// the last key typed), or the name last drawn.
fn name_as_typed(field: &NodeRef, drawn: &str) -> String {
    field
        .cast::<HtmlInputElement>()
        .map_or_else(|| drawn.to_owned(), |input| input.value())
}

#[function_component(LearnerBody)]
fn learner_body<P>() -> Html
where
    P: BaseComponent<Properties = ()>,
{
    let room = use_room();
    let state = &room.state;
    let name_field = use_node_ref();
    let typed = boot::use_typed_ahead(name_field.clone());
    let name = use_state(|| typed.name.clone());
    let joining = use_command(None);
    // Join pressed before the room answered: sent once it has.
    let join_pending = use_state(|| typed.join);
    let answered = state.you.is_some();
    // Whether this browser came with a seat: decided before the first
    // connect, which makes a token for a newcomer too.
    let came_seated = *use_memo(room.code.clone(), identity::seat_held);
    {
        let joining = joining.clone();
        let join_pending = join_pending.clone();
        let name = name.clone();
        let field = name_field.clone();
        // Sent only while still a guest: a browser the room seats as it
        // answers (a seat kept where the page could not see it) has joined.
        let guest = matches!(state.you, Some(You::Guest));
        use_effect_with(
            (answered, guest, *join_pending),
            move |&(answered, guest, pending)| {
                if answered && pending {
                    join_pending.set(false);
                }
                if answered && guest && pending {
                    joining.send(Command::Join {
                        name: name_as_typed(&field, &name),
                    });
                }
            },
        );
    }

    if let LinkStatus::Closed(reason) = &state.status {
        let held_seat = identity::seat_held(&room.code);
        let rejoin_offered = held_seat && state.rejoin;
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
                if rejoin_offered {
                    <p><button type="button" class="primary" onclick={rejoin}>{ "Join again" }</button>
                        <span class="hint">{ " — with your name, or with a seat code from the facilitator to take your seat back." }</span></p>
                } else if held_seat {
                    // A seat moved away can come back here with a new code.
                    <p><button type="button" class="secondary" onclick={rejoin}>{ "Enter a seat code on this device" }</button></p>
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
        (Some(You::Participant { .. }), Some(_)) => html! { <P /> },
        // A seat held here: the room will seat this browser as it answers.
        (None, _) if came_seated => {
            html! { <p class="hint">{ "Connecting to the room…" }</p> }
        }
        _ => {
            let on_submit = {
                let joining = joining.clone();
                let join_pending = join_pending.clone();
                let name = name.clone();
                let field = name_field.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let typed = name_as_typed(&field, &name);
                    if answered {
                        joining.send(Command::Join { name: typed });
                    } else {
                        name.set(typed);
                        join_pending.set(true);
                    }
                })
            };
            let busy = joining.sent == Sent::Waiting || *join_pending;
            html! {
                <>
                <form class="card join-form" onsubmit={on_submit} aria-labelledby="name-heading">
                    <h2 id="name-heading">{ "Join with your name" }</h2>
                    <label for="display-name">{ "Your name, as the group will see it" }</label>
                    <input id="display-name" name="name" autocomplete="name" maxlength={riskroom_core::text::MAX_NAME_CHARS.to_string()}
                        ref={name_field.clone()}
                        value={(*name).clone()}
                        oninput={ let name = name.clone();
                                  move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()) } />
                    <button type="submit" class="primary" disabled={busy}>{ if busy { "Joining…" } else { "Join" } }</button>
                    <Refusal sent={joining.sent.clone()} />
                </form>
                if answered {
                    <ClaimSeat />
                }
                </>
            }
        }
    };

    html! {
        <main class="learner">
            <header class="room-bar">
                <h1>{ title }</h1>
                <span class="room-code-small">{ format!("Room {}", room.code) }</span>
            </header>
            <div class="where-now">
                if let Some(r) = state.room.as_ref() {
                    <PhaseSteps phase={r.phase} />
                }
                <LinkStatusBadge status={state.status.clone()} />
            </div>
            <StorageNotice loses="your seat" />
            if let Some(r) = state.room.as_ref() {
                <Countdown timer={r.timer.clone()} phase={r.phase} />
                <Paused />
            }
            { body }
            if state.me().is_none() {
                <ParticipantList participants={participants} presence={state.presence.clone()} me={state.my_id()} />
            }
            <Notice text={state.notice.clone().map(AttrValue::from)} on_dismiss={dismiss} />
        </main>
    }
}

/// The tabs of a phase, first the one for what this learner can do now.
fn tabs_of(
    phase: Phase,
    in_team: bool,
    revealed: bool,
    board: usize,
    news: usize,
    unseen: usize,
) -> Vec<Tab> {
    let now = match phase {
        Phase::Lobby => "Now",
        Phase::Briefing => "Your brief",
        Phase::Identify => "Raise",
        Phase::Assess if revealed => "Agree",
        Phase::Assess => "Estimate",
        Phase::Respond => "Strategy",
        Phase::PlayYear => "The year",
        Phase::Debrief => "Scores",
    };
    let mut tabs = vec![Tab::new("now", now)];
    if in_team {
        match phase {
            Phase::Identify | Phase::Assess => {
                tabs.push(Tab::new("board", "Board").badge(board.to_string()))
            }
            Phase::Respond => {
                tabs.push(Tab::new("propose", "Propose"));
                tabs.push(Tab::new("picture", "Picture"));
                tabs.push(Tab::new("board", "Risks"));
            }
            Phase::Debrief => {
                tabs.push(Tab::new("truth", "Truth"));
                tabs.push(Tab::new("strategy", "Strategy"));
                tabs.push(Tab::new("notes", "Notes"));
            }
            _ => {}
        }
    }
    match phase {
        Phase::Lobby => {}
        Phase::Briefing => tabs.push(Tab::new("story", "The story")),
        _ => tabs.push(Tab::new("brief", "Brief")),
    }
    if news > 0 {
        let tab = Tab::new("news", "News");
        tabs.push(if unseen > 0 {
            tab.badge(format!("{unseen} new"))
        } else {
            tab
        });
    }
    tabs.push(Tab::new("team", "People"));
    tabs
}

/// What a learner's page draws past the lobby, which only the learner's
/// app draws: [`EveryPhase`]. The lobby app (`pages::lobby`) draws the lobby
/// alone and hands over to the learner's app as the briefing starts.
pub trait PastTheLobby: 'static {
    /// Tab `tab` in the room's phase, for a learner in `team` (if any);
    /// `None` for the tab that shows the people.
    fn panel(tab: &str, team: Option<TeamId>, r: &Room) -> Option<Html>;
    /// How many pieces of news the room has fired, for the news tab.
    fn news(r: &Room) -> usize;
    /// The news and the nudge on top of the tabs.
    fn alerts(alerts: Alerts) -> Html;
}

/// What the alerts on top of a learner's tabs need: whether the news tab is
/// open, what was seen and dismissed, and what opening and dismissing do.
pub struct Alerts {
    pub reading_news: bool,
    pub news_seen: usize,
    pub on_read: Callback<()>,
    pub on_news_seen: Callback<()>,
    pub nudge_dismissed: u64,
    pub on_dismiss_nudge: Callback<u64>,
}

/// Every phase's panels: the learner's app.
pub struct EveryPhase;

impl PastTheLobby for EveryPhase {
    fn panel(tab: &str, team: Option<TeamId>, r: &Room) -> Option<Html> {
        match (tab, team) {
            ("now", _) if r.phase == Phase::Briefing => {
                Some(html! { <><PickRole /><RoleCard /></> })
            }
            ("story" | "brief", _) => {
                let scenario = r.scenario.as_deref().cloned().map(Rc::new);
                Some(html! {
                    <>
                        if tab == "brief" { <RoleCard /> }
                        if let Some(scenario) = scenario {
                            <Situation {scenario} budget={r.budget} />
                        }
                    </>
                })
            }
            ("news", _) => Some(html! { <InjectNews /> }),
            (tab, Some(team)) => team_panel(tab, team, r),
            _ => None,
        }
    }

    fn news(r: &Room) -> usize {
        news_count(r)
    }

    fn alerts(alerts: Alerts) -> Html {
        html! {
            <>
                if !alerts.reading_news {
                    <NewsAlert seen={alerts.news_seen} on_read={alerts.on_read} on_dismiss={alerts.on_news_seen} />
                }
                <NudgeAlert dismissed={alerts.nudge_dismissed} on_dismiss={alerts.on_dismiss_nudge} />
            </>
        }
    }
}

/// Tab `tab` of `team` past the briefing; `None` for the tab that shows the
/// people.
fn team_panel(tab: &str, team: TeamId, r: &Room) -> Option<Html> {
    let phase = r.phase;
    Some(match tab {
        "now" => match phase {
            Phase::Identify => html! {
                <>
                    <section class="panel" aria-labelledby="raise-heading">
                        <h2 id="raise-heading">{ "Raise the risks you see" }</h2>
                        <RaiseForm />
                        <MyCards {team} />
                    </section>
                    <ThinkAloud {team} />
                    <RoleModelThinking {team} />
                </>
            },
            Phase::Assess if r.team(team).is_some_and(|t| r.estimates_open(t)) => html! {
                <>
                <section class="panel" aria-labelledby="estimate-heading">
                    if r.team(team).is_some_and(|t| !t.first_round.is_empty()) {
                        <h2 id="estimate-heading" data-testid="second-round">{ "Your second estimates, after the talk" }</h2>
                        <p class="hint">{ "Each starts from your first. Change what the talk changed; they stay private until the facilitator reveals them all at once again." }</p>
                    } else {
                        <h2 id="estimate-heading">{ "Your private estimates" }</h2>
                        <p class="hint">{ "Nobody sees them until the facilitator reveals them all at once, so nobody anchors on anyone else." }</p>
                    }
                    <EstimateStepper key="estimate" {team} />
                </section>
                <ThinkAloud {team} />
                </>
            },
            Phase::Assess if r.team(team).is_some_and(|t| r.consensus_open(t)) => html! {
                <>
                    <Discussion {team} />
                    <ThinkAloud {team} />
                    <RoleModelThinking {team} />
                    <section class="panel" aria-labelledby="agree-heading">
                        <h2 id="agree-heading">{ "Agree the team's values" }</h2>
                        <details class="map-fold">
                            <summary>{ "Every risk's spread on the map" }</summary>
                            <HeatMap {team} />
                        </details>
                        <EstimateStepper key="agree" {team} consensus=true />
                    </section>
                </>
            },
            Phase::Assess => html! { <Assess {team} /> },
            Phase::Respond => html! { <Respond {team} part={RespondPart::Strategy} /> },
            Phase::PlayYear => html! { <YearReveal {team} /> },
            Phase::Debrief => html! { <Debrief {team} part={DebriefPart::Scores} /> },
            Phase::Lobby | Phase::Briefing => html! {},
        },
        "truth" => html! { <Debrief {team} part={DebriefPart::Truth} /> },
        "strategy" => html! { <Debrief {team} part={DebriefPart::Strategy} /> },
        "notes" => html! { <Debrief {team} part={DebriefPart::Notes} /> },
        "board" if phase == Phase::Respond => html! { <Assess {team} /> },
        "board" => html! { <Board {team} raise=false /> },
        "propose" => html! { <Respond {team} part={RespondPart::Propose} /> },
        "picture" => html! { <Respond {team} part={RespondPart::Picture} /> },
        _ => return None,
    })
}

/// A learner's page once they have joined: the phase's tabs, first what
/// they can do now; the open tab kept across a reload (per phase), and news
/// they have not seen as an alert on top.
#[function_component(Playing)]
pub fn playing<P: PastTheLobby>() -> Html {
    let room = use_room();
    let code = room.code.clone();
    // The open tab, as "phase/tab" so a new phase opens on its first tab.
    let open = use_state(|| identity::open_tab(&code).unwrap_or_default());
    let seen = use_state(|| identity::news_seen(&code));
    let nudged = use_state(|| identity::nudge_dismissed(&code));
    let dismiss_nudge = {
        let (nudged, code) = (nudged.clone(), code.clone());
        Callback::from(move |seq: u64| {
            identity::save_nudge_dismissed(&code, seq);
            nudged.set(seq);
        })
    };
    let news = room.state.room.as_ref().map_or(0, P::news);
    // News that arrives while the news tab is open is seen.
    {
        let (seen, code) = (seen.clone(), code.clone());
        use_effect_with((open.ends_with("/news"), news), move |&(reading, news)| {
            if reading && *seen < news {
                identity::save_news_seen(&code, news);
                seen.set(news);
            }
        });
    }
    let state = &room.state;
    let (Some(r), Some(me)) = (state.room.as_ref(), state.me()) else {
        return html! {};
    };
    let phase = r.phase;
    let team = r.team_of(me.id);
    let unseen = news.saturating_sub(*seen);
    let tabs = tabs_of(
        phase,
        team.is_some(),
        team.is_some_and(|t| t.revealed),
        team.map_or(0, |t| t.cards.iter().filter(|c| c.live()).count()),
        news,
        unseen,
    );
    let prefix = format!("{}/", phase.name());
    let tab = open
        .strip_prefix(&prefix)
        .filter(|t| tabs.iter().any(|x| x.id == *t))
        .unwrap_or("now")
        .to_owned();
    let mark_seen = {
        let seen = seen.clone();
        let code = code.clone();
        Callback::from(move |()| {
            identity::save_news_seen(&code, news);
            seen.set(news);
        })
    };
    let on_open = {
        let code = code.clone();
        let mark_seen = mark_seen.clone();
        Callback::from(move |id: &'static str| {
            let value = format!("{prefix}{id}");
            identity::save_open_tab(&code, &value);
            open.set(value);
            // The new tab starts at its top.
            if let Some(window) = web_sys::window() {
                window.scroll_to_with_x_and_y(0.0, 0.0);
            }
            if id == "news" {
                mark_seen.emit(());
            }
        })
    };
    let read = {
        let on_open = on_open.clone();
        Callback::from(move |()| on_open.emit("news"))
    };
    let team_id = team.map(|t| t.id);
    let participants = r.active_participants().cloned().collect::<Vec<_>>();
    let leave = {
        let room = room.clone();
        Callback::from(move |_| room.leave())
    };
    let people = html! {
        <>
            <section class="me" aria-labelledby="me-heading">
                <h2 id="me-heading">{ "You are in" }</h2>
                <p class="my-name" data-testid="my-name">{ me.name.clone() }</p>
                if let Some(team) = team {
                    <p>{ format!("Team: {}", team.name) }</p>
                }
                <MoveSeat participant={me.id} whose="your" />
                <button type="button" class="link-button" onclick={leave}>{ "Leave the room" }</button>
            </section>
            <ParticipantList participants={participants} presence={state.presence.clone()} me={Some(me.id)} />
        </>
    };
    let panel = match (tab.as_str(), team_id) {
        ("now", _) if phase == Phase::Lobby => html! {
            <>
                <section class="me" aria-labelledby="me-heading">
                    <h2 id="me-heading">{ "You are in" }</h2>
                    <p class="my-name" data-testid="my-name">{ me.name.clone() }</p>
                    if let Some(team) = team {
                        <p>{ format!("Team: {}", team.name) }</p>
                    }
                    if let Some(title) = r.scenario_title.clone() {
                        <p data-testid="learner-scenario">{ "Today's scenario: " }<strong>{ title }</strong></p>
                    }
                    <p class="hint">{ "Wait for the facilitator to start the briefing." }</p>
                </section>
                <PickRole />
            </>
        },
        // The briefing's brief is for everyone, in a team or not.
        ("now", None) if phase != Phase::Briefing => html! {
            <p class="hint" data-testid="no-team">{ "You are not in a team yet: the facilitator will put you in one." }</p>
        },
        (tab, team) => P::panel(tab, team, r).unwrap_or(people),
    };
    let alerts = P::alerts(Alerts {
        reading_news: tab == "news",
        news_seen: *seen,
        on_read: read,
        on_news_seen: mark_seen,
        nudge_dismissed: *nudged,
        on_dismiss_nudge: dismiss_nudge,
    });
    html! {
        <>
            { alerts }
            <Tabs {tabs} open={AttrValue::from(tab)} {on_open} label="Your part of the exercise">
                { panel }
            </Tabs>
        </>
    }
}

/// In self-select mode, before the exercise starts: pick a role. A role a
/// teammate plays is shown taken (unless the room shares roles), and a
/// refusal shows beside the choices.
#[function_component(PickRole)]
fn pick_role() -> Html {
    let room = use_room();
    let line = use_command(None);
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
    let display = |id| crate::format::display_name(r, id);
    html! {
        <section class="panel" aria-labelledby="pick-role-heading">
            <h2 id="pick-role-heading">{ "Pick your role" }</h2>
            if r.roles_shared {
                <p class="hint">{ "Teammates may play the same role." }</p>
            } else {
                <p class="hint">{ "One role each in a team: a role a teammate plays is taken." }</p>
            }
            <ul class="plain-list role-choices">
                { for scenario.roles.iter().map(|role| {
                    let pick = {
                        let line = line.clone();
                        let id = role.id.clone();
                        Callback::from(move |_| line.send(Command::PickRole { role: id.clone() }))
                    };
                    let taken = r.role_taken_by(me, &role.id);
                    let also: Vec<String> = r.team_of(me).map(|t| t.members.iter()
                        .filter(|m| m.id != me && m.role.as_deref() == Some(role.id.as_str()))
                        .map(|m| display(m.id)).collect()).unwrap_or_default();
                    html! {
                        <li key={role.id.clone()}>
                            <button type="button" class="secondary" aria-pressed={(mine == Some(role.id.as_str())).to_string()}
                                disabled={taken.is_some()} onclick={pick}>
                                { format!("Play {}", role.name) }
                            </button>
                            if let Some(by) = taken {
                                <span class="tag" data-testid="role-taken">{ format!(" Taken by {}", display(by)) }</span>
                            } else if !also.is_empty() {
                                <span class="tag">{ format!(" Also played by {}", also.join(", ")) }</span>
                            }
                            <span class="hint">{ format!(" {}", role.summary) }</span>
                        </li>
                    }
                }) }
            </ul>
            <Refusal sent={line.sent.clone()} />
        </section>
    }
}
