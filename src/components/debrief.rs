//! The debrief: every score with how it was reached, the team's strategy
//! beside the expert playbook, lessons and action items, ratings, and the
//! after-action report to print or export.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use riskroom_core::ParticipantId;
use riskroom_core::debrief::{DEBRIEF_TRIALS, MemberScores, Seen, TeamDebrief, debrief_for};
use riskroom_core::room::{Action, Command, Note, Room, Team, TeamId, label_title};
use riskroom_core::scenario::{Phase, Scenario};
use riskroom_core::score::Explained;
use riskroom_core::text::MAX_NAME_CHARS;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, HtmlTextAreaElement, Url,
};
use yew::prelude::*;

use super::year_reveal::{day_label, money};
use crate::hooks::use_room;
use crate::hooks::use_room::RoomHandle;
use crate::state::ClientAction;

#[derive(Properties, PartialEq)]
pub struct DebriefProps {
    pub team: TeamId,
}

/// What the debrief is computed from. Compared on every render, so the
/// simulations run again only when something that changes a score changed
/// (not when another team moves).
#[derive(Clone, PartialEq)]
struct Inputs {
    team: Option<Team>,
    fired: Vec<String>,
    budget: f64,
    seed: u64,
    /// Truth risks this copy of the room holds (none before the year).
    truth: usize,
    scenario: Option<String>,
    names: Vec<(ParticipantId, String)>,
}

impl Inputs {
    fn of(room: Option<&Room>, team: TeamId) -> Self {
        let team = room.and_then(|r| r.team(team)).cloned();
        let names = match (room, &team) {
            (Some(room), Some(team)) => team
                .members
                .iter()
                .map(|m| (m.id, name_of(room, m.id)))
                .collect(),
            _ => Vec::new(),
        };
        Self {
            fired: room.map(|r| r.fired.clone()).unwrap_or_default(),
            budget: room.map_or(0.0, |r| r.budget),
            seed: room.map_or(0, Room::seed),
            truth: room
                .and_then(|r| r.scenario.as_ref())
                .map_or(0, |s| s.risks.len()),
            scenario: room.and_then(|r| r.scenario.as_ref()).map(|s| s.id.clone()),
            team,
            names,
        }
    }
}

/// A debrief worked out from these inputs (None: the truth is not visible).
type Computed = Option<(Inputs, Option<Rc<TeamDebrief>>)>;

fn name_of(room: &Room, id: ParticipantId) -> String {
    room.participant(id)
        .map_or_else(|| "Someone who left".to_owned(), |p| p.name.clone())
}

fn role_name(scenario: &Scenario, role: Option<&str>) -> String {
    role.map_or_else(
        || "No role".to_owned(),
        |id| {
            scenario
                .role(id)
                .map_or_else(|| id.to_owned(), |r| r.name.clone())
        },
    )
}

fn author_name(room: &Room, author: Option<ParticipantId>) -> String {
    author.map_or_else(|| "Facilitator".to_owned(), |id| name_of(room, id))
}

/// A score as a whole number, or a dash while it is not given yet.
fn whole(score: Option<f64>) -> String {
    score.map_or_else(|| "—".to_owned(), |s| format!("{s:.0}"))
}

#[function_component(Debrief)]
pub fn debrief_view(props: &DebriefProps) -> Html {
    let room = use_room();
    let computed = use_state(|| None as Computed);
    let inputs = Inputs::of(room.state.room.as_ref(), props.team);

    // The simulations and the best-strategy search run after the page has
    // painted, and again only when the inputs change; a newer change cancels
    // a run that has not started.
    {
        let computed = computed.clone();
        let handle = room.clone();
        let team = props.team;
        use_effect_with(inputs.clone(), move |inputs| {
            let inputs = inputs.clone();
            let timeout = Timeout::new(0, move || {
                let actor = handle.state.actor();
                let result = handle
                    .state
                    .room
                    .as_ref()
                    .zip(actor)
                    .and_then(|(r, actor)| {
                        r.team(team)
                            .and_then(|t| debrief_for(r, t, &actor, DEBRIEF_TRIALS))
                            .map(Rc::new)
                    });
                computed.set(Some((inputs, result)));
            });
            move || drop(timeout)
        });
    }

    let heading_id = format!("debrief-heading-{}", props.team.0);
    let state = &room.state;
    let (Some(r), Some(team)) = (
        state.room.as_ref(),
        state.room.as_ref().and_then(|r| r.team(props.team)),
    ) else {
        return html! {
            <section class="debrief" aria-labelledby={heading_id.clone()}>
                <h2 id={heading_id}>{ "Debrief" }</h2>
                <p class="hint">{ if state.room.is_none() { "Connecting to the room…" } else { "This team is not in the room." } }</p>
            </section>
        };
    };
    let Some(scenario) = r.scenario.as_deref() else {
        return html! {
            <section class="debrief" aria-labelledby={heading_id.clone()}>
                <h2 id={heading_id}>{ format!("Debrief: {}", team.name) }</h2>
                <p class="hint">{ "No scenario has been chosen yet." }</p>
            </section>
        };
    };

    let (result, stale) = match &*computed {
        Some((key, result)) => (Some(result.clone()), *key != inputs),
        None => (None, true),
    };
    let status = match (&result, stale) {
        (None, _) => Some("Working out the scores…"),
        (Some(_), true) => Some("Updating the scores…"),
        _ => None,
    };

    let body = match result {
        None => html! {},
        Some(None) => html! {
            <p class="hint" data-testid="debrief-hint">{ "The scores appear once the year has been played: they compare your strategy with the scenario's true risks, which are revealed then." }</p>
        },
        Some(Some(d)) => report(&room, r, team, scenario, &d),
    };

    html! {
        <section class="debrief" aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id}>{ format!("Debrief: {}", team.name) }</h2>
            <p class="debrief-status" role="status">{ status.unwrap_or_default() }</p>
            { body }
        </section>
    }
}

/// What this page's person may do in the debrief (the core answers).
struct Viewer {
    me: Option<ParticipantId>,
    facilitator: bool,
    /// A learner of this team.
    member: bool,
    /// Notes and peer ratings are open to this person now.
    notes_open: bool,
    ratings_open: bool,
    rubric_open: bool,
}

impl Viewer {
    fn of(room: &RoomHandle, team: &Team) -> Self {
        let me = room.state.my_id();
        Self {
            me,
            facilitator: room.state.is_facilitator(),
            member: me.is_some_and(|id| team.member(id).is_some()),
            notes_open: room.state.may(Action::AddLesson),
            ratings_open: room.state.may(Action::RatePeer),
            rubric_open: room.state.may(Action::RateRubric),
        }
    }
}

fn report(
    room: &RoomHandle,
    r: &Room,
    team: &Team,
    scenario: &Scenario,
    d: &Rc<TeamDebrief>,
) -> Html {
    let viewer = Viewer::of(room, team);
    let id = |part: &str| format!("debrief-{}-{part}", team.id.0);
    html! {
        <>
            <section class="debrief-part">
                <h3 id={id("scores")}>{ "Team scores" }</h3>
                <div class="score-cards">
                    { score_card("Quantitative", "The team's strategy against the scenario's true risks, compared with the best the catalogue allows within the budget.", &d.quantitative, "score-quantitative") }
                    { score_card("Rubric", "The facilitator's rating of how the team worked.", &d.rubric, "score-rubric") }
                    { score_card("Participation balance", "How evenly the members contributed.", &d.participation, "score-participation") }
                </div>
            </section>
            { members_table(r, scenario, d, &viewer, &id("members")) }
            { contributions_table(r, scenario, d, &id("contributions")) }
            { belief_and_truth(d, &id("truth")) }
            { strategy_and_playbook(r, scenario, d, &id("strategy")) }
            { timeline(scenario, d, &id("timeline")) }
            { notes_part(r, team, &viewer, NoteKind::Lesson, &id("lessons")) }
            { notes_part(r, team, &viewer, NoteKind::Action, &id("actions")) }
            if viewer.member && viewer.ratings_open {
                { peer_ratings(room, r, team, scenario, &viewer, &id("peers")) }
            }
            if viewer.rubric_open {
                { rubric_form(room, team, scenario, &id("rubric")) }
            }
            { export(room, d, &id("export")) }
        </>
    }
}

fn how_list(how: &[String]) -> Html {
    html! {
        <ul class="how">
            { for how.iter().map(|line| html! { <li>{ line.clone() }</li> }) }
        </ul>
    }
}

fn score_card(title: &str, what: &str, score: &Explained, testid: &'static str) -> Html {
    html! {
        <article class="score-card" data-testid={testid}>
            <h4>{ title.to_owned() }</h4>
            if score.score.is_some() {
                <p class="score-big">
                    <span class="score-number">{ whole(score.score) }</span>
                    <span class="score-out-of">{ " out of 100" }</span>
                </p>
            } else {
                <p class="score-big score-pending">
                    <span class="score-number" aria-hidden="true">{ whole(None) }</span>
                    <span class="score-out-of">{ " not given yet" }</span>
                </p>
            }
            <p class="score-what">{ what.to_owned() }</p>
            { how_list(&score.how) }
        </article>
    }
}

fn score_cell(label: &'static str, seen: &Seen) -> Html {
    match seen {
        Seen::Shown(score) => html! {
            <td data-label={label}>
                if score.score.is_some() {
                    <span class="cell-score">{ whole(score.score) }</span>
                } else {
                    <span class="cell-score score-pending" aria-hidden="true">{ whole(None) }</span>
                    <span class="visually-hidden">{ "Not given yet." }</span>
                }
                { how_list(&score.how) }
            </td>
        },
        Seen::Private(why) => html! {
            <td data-label={label}>
                <span class="private">{ "private" }</span>
                <span class="private-why">{ why.clone() }</span>
            </td>
        },
    }
}

fn members_table(
    r: &Room,
    scenario: &Scenario,
    d: &TeamDebrief,
    viewer: &Viewer,
    id: &str,
) -> Html {
    let row = |m: &MemberScores| {
        let mine = viewer.me == Some(m.participant);
        html! {
            <tr key={m.participant.0} class={classes!(mine.then_some("you"))}>
                <th scope="row">
                    { name_of(r, m.participant) }
                    if mine { <span class="you-tag">{ " (you)" }</span> }
                </th>
                <td>{ role_name(scenario, m.role.as_deref()) }</td>
                { score_cell("Calibration", &m.calibration) }
                { score_cell("Peer rating", &m.peer) }
                { score_cell("Combined", &m.combined) }
            </tr>
        }
    };
    html! {
        <section class="debrief-part">
            <h3 id={id.to_owned()}>{ "Scores per member" }</h3>
            <p class="hint">{ format!(
                "Combined score: the scenario's weights applied to the team's scores and the member's own (quantitative {:.0}%, calibration {:.0}%, rubric {:.0}%, peer ratings {:.0}%, participation {:.0}%).",
                100.0 * scenario.scoring.quantitative,
                100.0 * scenario.scoring.calibration,
                100.0 * scenario.scoring.rubric,
                100.0 * scenario.scoring.peer,
                100.0 * scenario.scoring.participation,
            ) }</p>
            <div class="table-scroll" role="region" aria-labelledby={id.to_owned()} tabindex="0">
                <table class="debrief-table member-scores" data-testid="member-scores">
                    <thead>
                        <tr>
                            <th scope="col">{ "Member" }</th>
                            <th scope="col">{ "Role" }</th>
                            <th scope="col">{ "Calibration" }</th>
                            <th scope="col">{ "Peer rating" }</th>
                            <th scope="col">{ "Combined" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for d.members.iter().map(row) }
                    </tbody>
                </table>
            </div>
            if d.members.is_empty() {
                <p class="empty">{ "The team has no members." }</p>
            }
        </section>
    }
}

fn contributions_table(r: &Room, scenario: &Scenario, d: &TeamDebrief, id: &str) -> Html {
    html! {
        <section class="debrief-part">
            <h3 id={id.to_owned()}>{ "Who contributed what" }</h3>
            <div class="table-scroll" role="region" aria-labelledby={id.to_owned()} tabindex="0">
                <table class="debrief-table contributions" data-testid="contributions">
                    <thead>
                        <tr>
                            <th scope="col">{ "Member" }</th>
                            <th scope="col">{ "Role" }</th>
                            <th scope="col" class="num">{ "Risks raised" }</th>
                            <th scope="col" class="num">{ "Estimates" }</th>
                            <th scope="col" class="num">{ "Responses proposed" }</th>
                            <th scope="col" class="num">{ "Votes" }</th>
                            <th scope="col" class="num">{ "Comments and notes" }</th>
                            <th scope="col" class="num">{ "Total" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for d.contributions.iter().map(|c| html! {
                            <tr key={c.participant.0}>
                                <th scope="row">{ name_of(r, c.participant) }</th>
                                <td>{ role_name(scenario, c.role.as_deref()) }</td>
                                <td class="num" data-label="Risks raised">{ c.raised }</td>
                                <td class="num" data-label="Estimates">{ c.estimated }</td>
                                <td class="num" data-label="Responses proposed">{ c.responded }</td>
                                <td class="num" data-label="Votes">{ c.voted }</td>
                                <td class="num" data-label="Comments and notes">{ c.commented }</td>
                                <td class="num" data-label="Total">{ c.total() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Where the team over- or under-estimated the risks it agreed values for.
fn belief_and_truth(d: &TeamDebrief, id: &str) -> Html {
    html! {
        <section class="debrief-part">
            <h3 id={id.to_owned()}>{ "What you believed and what was true" }</h3>
            if d.comparisons.is_empty() {
                <p class="hint">{ "No agreed value is on a card linked to one of the scenario's risks." }</p>
            } else {
                <ul class="truth-list" data-testid="belief-vs-truth">
                    { for d.comparisons.iter().map(|c| html! { <li>{ c.verdict.clone() }</li> }) }
                </ul>
            }
        </section>
    }
}

fn strategy_and_playbook(r: &Room, scenario: &Scenario, d: &TeamDebrief, id: &str) -> Html {
    let chosen = &d.strategy.responses;
    let playbook = &scenario.playbook;
    let in_playbook = |label: &String| playbook.picks.iter().any(|p| &p.response == label);
    html! {
        <section class="debrief-part">
            <h3 id={id.to_owned()}>{ "Your strategy and the expert playbook" }</h3>
            <div class="side-by-side">
                <div class="strategy" data-testid="team-strategy">
                    <h4>{ "Your team's strategy" }</h4>
                    if chosen.is_empty() {
                        <p>{ "The team adopted no responses." }</p>
                    } else {
                        <ul>
                            { for chosen.iter().map(|label| html! {
                                <li>
                                    { label_title(scenario, label) }
                                    if in_playbook(label) {
                                        <span class="tag match">{ " also in the playbook" }</span>
                                    }
                                </li>
                            }) }
                        </ul>
                    }
                    <p>{ format!("Cost {} of a budget of {}.", money(scenario, d.strategy.cost), money(scenario, r.budget)) }</p>
                </div>
                <div class="playbook" data-testid="playbook">
                    <h4>{ "The expert playbook" }</h4>
                    if let Some(role) = scenario.role_model() {
                        <p class="hint">{ format!("What a seasoned {} would do.", role.name) }</p>
                    }
                    if playbook.summary.is_empty() && playbook.picks.is_empty() {
                        <p class="hint">{ "The playbook is shown in the debrief." }</p>
                    } else {
                        <p class="prose">{ playbook.summary.clone() }</p>
                        <ul class="picks">
                            { for playbook.picks.iter().map(|pick| html! {
                                <li>
                                    <strong>{ label_title(scenario, &pick.response) }</strong>
                                    if chosen.contains(&pick.response) {
                                        <span class="tag match">{ " your team chose this too" }</span>
                                    }
                                    <p class="prose">{ pick.why.clone() }</p>
                                </li>
                            }) }
                        </ul>
                    }
                </div>
            </div>
        </section>
    }
}

fn timeline(scenario: &Scenario, d: &TeamDebrief, id: &str) -> Html {
    let year = &d.year;
    html! {
        <section class="debrief-part">
            <h3 id={id.to_owned()}>{ "What happened in the year" }</h3>
            if year.events.is_empty() {
                <p>{ "A quiet year: none of the risks struck." }</p>
            } else {
                <div class="table-scroll" role="region" aria-labelledby={id.to_owned()} tabindex="0">
                    <table class="debrief-table timeline" data-testid="debrief-timeline">
                        <thead>
                            <tr>
                                <th scope="col">{ "When" }</th>
                                <th scope="col">{ "Risk" }</th>
                                <th scope="col" class="num">{ "Loss without responses" }</th>
                                <th scope="col" class="num">{ "Borne" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for year.events.iter().map(|e| html! {
                                <tr>
                                    <td>{ day_label(e.day) }</td>
                                    <th scope="row">{ e.title.clone() }</th>
                                    <td class="num" data-label="Loss without responses">{ money(scenario, e.gross) }</td>
                                    <td class="num" data-label="Borne">{ if e.prevented { "Prevented".to_owned() } else { money(scenario, e.retained) } }</td>
                                </tr>
                            }) }
                        </tbody>
                        <tfoot>
                            <tr>
                                <td class="empty"></td>
                                <th scope="row">{ "Total" }</th>
                                <td class="num" data-label="Loss without responses">{ money(scenario, year.gross) }</td>
                                <td class="num" data-label="Borne">{ money(scenario, year.retained) }</td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
            }
            <p>{ format!(
                "Loss borne {} plus the strategy's cost {}: {} in all, against {} with no responses.",
                money(scenario, year.retained),
                money(scenario, year.strategy_cost),
                money(scenario, year.retained + year.strategy_cost),
                money(scenario, year.gross),
            ) }</p>
            if !year.savings.is_empty() {
                <h4>{ "What each response saved this year" }</h4>
                <ul class="savings">
                    { for year.savings.iter().map(|saving| html! {
                        <li>
                            { label_title(scenario, &saving.response) }
                            { ": " }
                            <span class="amount">{ money(scenario, saving.saved) }</span>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum NoteKind {
    Lesson,
    Action,
}

fn notes_part(r: &Room, team: &Team, viewer: &Viewer, kind: NoteKind, id: &str) -> Html {
    let (title, notes, testid, empty) = match kind {
        NoteKind::Lesson => (
            "Lessons learned",
            &team.lessons,
            "lessons",
            "No lessons yet.",
        ),
        NoteKind::Action => (
            "Action items",
            &team.actions,
            "actions",
            "No action items yet.",
        ),
    };
    let item = |note: &Note| {
        html! {
            <li>
                <span class="prose">{ note.text.clone() }</span>
                <span class="note-meta">
                    if let Some(owner) = &note.owner {
                        { format!("Owner: {owner}. ") }
                    }
                    { format!("Added by {}.", author_name(r, note.author)) }
                </span>
            </li>
        }
    };
    html! {
        <section class="debrief-part notes">
            <h3 id={id.to_owned()}>{ title }</h3>
            <ul class="note-list" data-testid={testid}>
                { for notes.iter().map(item) }
            </ul>
            if notes.is_empty() {
                <p class="empty">{ empty }</p>
            }
            if viewer.member && viewer.notes_open {
                <NoteForm kind={kind} team={team.id} max_chars={r.limits.text_chars} />
            } else if viewer.facilitator && r.phase == Phase::Debrief {
                <p class="hint no-print">{ "Learners add these from their own devices." }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct NoteFormProps {
    kind: NoteKind,
    team: TeamId,
    max_chars: u32,
}

#[function_component(NoteForm)]
fn note_form(props: &NoteFormProps) -> Html {
    let room = use_room();
    let text = use_state(String::new);
    let owner = use_state(String::new);
    let kind = props.kind;
    let onsubmit = {
        let (text, owner) = (text.clone(), owner.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let command = match kind {
                NoteKind::Lesson => Command::AddLesson {
                    text: (*text).clone(),
                },
                NoteKind::Action => Command::AddActionItem {
                    text: (*text).clone(),
                    owner: (*owner).clone(),
                },
            };
            room.send(command);
            text.set(String::new());
            owner.set(String::new());
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let on_owner = {
        let owner = owner.clone();
        Callback::from(move |e: InputEvent| {
            owner.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let base = match kind {
        NoteKind::Lesson => "lesson",
        NoteKind::Action => "action",
    };
    let text_id = format!("{base}-text-{}", props.team.0);
    let owner_id = format!("{base}-owner-{}", props.team.0);
    html! {
        <form class="note-form no-print" {onsubmit} data-testid={format!("{base}-form")}>
            <label for={text_id.clone()}>{ match kind {
                NoteKind::Lesson => "A lesson the team learned",
                NoteKind::Action => "An action to take back to work",
            } }</label>
            <textarea id={text_id} rows="3" required=true maxlength={props.max_chars.to_string()}
                value={(*text).clone()} oninput={on_text} />
            if kind == NoteKind::Action {
                <label for={owner_id.clone()}>{ "Who owns it" }</label>
                <input id={owner_id} type="text" required=true maxlength={MAX_NAME_CHARS.to_string()}
                    autocomplete="off" value={(*owner).clone()} oninput={on_owner} />
            }
            <button type="submit" class="primary">{ match kind {
                NoteKind::Lesson => "Add lesson",
                NoteKind::Action => "Add action item",
            } }</button>
        </form>
    }
}

fn peer_ratings(
    room: &RoomHandle,
    r: &Room,
    team: &Team,
    scenario: &Scenario,
    viewer: &Viewer,
    id: &str,
) -> Html {
    let Some(me) = viewer.me else {
        return html! {};
    };
    let peers: Vec<_> = team.members.iter().filter(|m| m.id != me).collect();
    html! {
        <section class="debrief-part ratings no-print">
            <h3 id={id.to_owned()}>{ "Rate your teammates" }</h3>
            <p class="hint">{ "1: held the team back; 3: a solid teammate; 5: made a big difference. Teammates see only their average, never who gave what." }</p>
            if peers.is_empty() {
                <p class="empty">{ "You have no teammates to rate." }</p>
            }
            { for peers.into_iter().map(|m| {
                let given = team
                    .peer_ratings
                    .iter()
                    .find(|p| p.from == me && p.to == m.id)
                    .map(|p| p.score);
                let name = name_of(r, m.id);
                html! {
                    <fieldset class="level-picker" key={m.id.0} data-testid="peer-rating">
                        <legend>{ format!("{name} ({})", role_name(scenario, m.role.as_deref())) }</legend>
                        <div class="levels">
                            { for (1..=5u8).map(|score| {
                                let onclick = {
                                    let (room, peer) = (room.clone(), m.id);
                                    Callback::from(move |_| room.send(Command::RatePeer { peer, score }))
                                };
                                let pressed = given == Some(score);
                                html! {
                                    <button type="button" class={classes!("level", pressed.then_some("chosen"))}
                                        aria-pressed={if pressed { "true" } else { "false" }} {onclick}>
                                        { score }
                                    </button>
                                }
                            }) }
                        </div>
                        <p class="given">{ match given {
                            Some(score) => format!("You gave {name} {score} out of 5."),
                            None => format!("You have not rated {name} yet."),
                        } }</p>
                    </fieldset>
                }
            }) }
        </section>
    }
}

fn rubric_form(room: &RoomHandle, team: &Team, scenario: &Scenario, id: &str) -> Html {
    html! {
        <section class="debrief-part rubric no-print">
            <h3 id={id.to_owned()}>{ format!("Rate {} on the rubric", team.name) }</h3>
            <p class="hint">{ "Pick the level that best describes what you saw, for each dimension." }</p>
            { for scenario.rubric.dimensions.iter().map(|dimension| {
                let current = team
                    .rubric
                    .iter()
                    .find(|(d, _)| d == &dimension.id)
                    .map(|(_, level)| *level);
                html! {
                    <fieldset class="level-picker rubric-dimension" key={dimension.id.clone()} data-testid="rubric-dimension">
                        <legend>{ dimension.name.clone() }</legend>
                        <div class="rubric-levels">
                            { for dimension.levels.iter().zip(1..=4u8).map(|(description, level)| {
                                let onclick = {
                                    let (room, team, dimension) = (room.clone(), team.id, dimension.id.clone());
                                    Callback::from(move |_| room.send(Command::RateRubric {
                                        team,
                                        dimension: dimension.clone(),
                                        level,
                                    }))
                                };
                                let pressed = current == Some(level);
                                html! {
                                    <button type="button" class={classes!("rubric-level", pressed.then_some("chosen"))}
                                        aria-pressed={if pressed { "true" } else { "false" }} {onclick}>
                                        <span class="rubric-level-number">{ format!("Level {level}") }</span>
                                        <span class="rubric-level-text">{ description.clone() }</span>
                                    </button>
                                }
                            }) }
                        </div>
                    </fieldset>
                }
            }) }
        </section>
    }
}

fn export(room: &RoomHandle, d: &Rc<TeamDebrief>, id: &str) -> Html {
    let file = |kind: ExportKind| {
        let (room, d) = (room.clone(), Rc::clone(d));
        Callback::from(move |_| {
            // Made on demand from this device's copy of the room.
            let Some(r) = room.state.room.as_ref() else {
                return;
            };
            let (Some(team), Some(scenario)) = (r.team(d.team), r.scenario.as_deref()) else {
                return;
            };
            let base = file_base(r, team);
            let (name, mime, text) = match kind {
                ExportKind::Json => (
                    format!("{base}.json"),
                    "application/json",
                    report_json(r, team, scenario, &d),
                ),
                ExportKind::Csv => (
                    format!("{base}.csv"),
                    "text/csv;charset=utf-8",
                    // A byte-order mark, so spreadsheets read names as UTF-8.
                    format!("\u{feff}{}", to_csv(&report_rows(r, scenario, &d))),
                ),
            };
            offer_file(&room, &name, mime, &text);
        })
    };
    let print = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    html! {
        <section class="debrief-part debrief-export no-print">
            <h3 id={id.to_owned()}>{ "After-action report" }</h3>
            <p class="hint">{ "Print this page as the team's report, or take the numbers away as a file." }</p>
            <div class="export-buttons">
                <button type="button" class="primary" onclick={print} data-testid="print-report">{ "Print report" }</button>
                <button type="button" class="secondary" onclick={file(ExportKind::Json)} data-testid="export-json">{ "Download JSON" }</button>
                <button type="button" class="secondary" onclick={file(ExportKind::Csv)} data-testid="export-csv">{ "Download CSV" }</button>
            </div>
        </section>
    }
}

#[derive(Clone, Copy)]
enum ExportKind {
    Json,
    Csv,
}

/// "riskroom-K7WQ3M-team-1": the start of the exported files' names.
fn file_base(r: &Room, team: &Team) -> String {
    format!("riskroom-{}-team-{}", r.code, team.id.0)
}

/// The whole debrief and the team's board, as data: the debrief as the
/// core worked it out for this person (scores they may not see are marked
/// private, as on the page and in the CSV).
fn report_json(r: &Room, team: &Team, scenario: &Scenario, d: &TeamDebrief) -> String {
    let members: Vec<_> = team
        .members
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "name": name_of(r, m.id),
                "role": m.role,
                "role_name": m.role.as_deref().map(|id| role_name(scenario, Some(id))),
            })
        })
        .collect();
    let value = serde_json::json!({
        "room": r.code.as_str(),
        "title": r.title,
        "scenario": { "id": scenario.id, "title": scenario.title, "currency": scenario.currency },
        "team": { "id": team.id, "name": team.name, "members": members },
        "budget": r.budget,
        "fired_injects": r.fired,
        "debrief": d,
        "board": {
            "cards": team.cards,
            "responses": team.responses,
            "lessons": team.lessons,
            "actions": team.actions,
        },
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Text a spreadsheet would read as a formula is prefixed with an
/// apostrophe, so a name like "=SUM(..)" stays a name.
fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The report as rows: one per member, then one per team score.
fn report_rows(r: &Room, scenario: &Scenario, d: &TeamDebrief) -> Vec<Vec<String>> {
    let cell = |seen: &Seen| match seen {
        Seen::Shown(score) => whole(score.score),
        Seen::Private(_) => "private".to_owned(),
    };
    let mut rows = vec![vec![
        "Name".to_owned(),
        "Role".to_owned(),
        "Calibration".to_owned(),
        "Peer".to_owned(),
        "Combined".to_owned(),
    ]];
    for m in &d.members {
        rows.push(vec![
            csv_text(&name_of(r, m.participant)),
            csv_text(&role_name(scenario, m.role.as_deref())),
            cell(&m.calibration),
            cell(&m.peer),
            cell(&m.combined),
        ]);
    }
    rows.push(Vec::new());
    rows.push(vec![
        "Team score".to_owned(),
        "Score".to_owned(),
        "How".to_owned(),
    ]);
    for (name, score) in [
        ("Quantitative", &d.quantitative),
        ("Rubric", &d.rubric),
        ("Participation balance", &d.participation),
    ] {
        rows.push(vec![
            name.to_owned(),
            whole(score.score),
            csv_text(&score.how.join(" ")),
        ]);
    }
    rows
}

/// Rows as CSV (RFC 4180): fields with a comma, a double quote or a line
/// break are quoted, quotes doubled; lines end with CRLF.
pub fn to_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, field) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if field.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&field.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(field);
            }
        }
        out.push_str("\r\n");
    }
    out
}

/// Offers `text` as a file to save; a failure shows as a notice.
fn offer_file(room: &RoomHandle, name: &str, mime: &str, text: &str) {
    if download(name, mime, text).is_err() {
        room.state.dispatch(ClientAction::Notice(format!(
            "{name} could not be made in this browser. Try Print report instead."
        )));
    }
}

/// Saves `text` as a file through a Blob, an object URL and a temporary
/// link (the way a page can hand the browser a file it made itself).
fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    body.append_child(&link)?;
    link.click();
    link.remove();
    // Revoked a little later: some browsers read the URL after click returns.
    Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
