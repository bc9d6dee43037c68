//! The debrief: every score with how it was reached (calibration drawn as
//! ranges against the truth), the team's strategy beside the expert
//! playbook, lessons and action items, ratings, and the after-action
//! report to print or export.

pub mod calibration;
pub mod export;
mod notes;
mod perspectives;
mod scores;
mod talk;

use calibration::CalibrationChart;
use notes::{NoteKind, notes_part, peer_ratings, rubric_form};
use perspectives::perspectives_part;
use scores::{
    belief_and_truth, contributions_table, members_table, score_card, strategy_and_playbook,
    timeline,
};
use talk::talk_part;

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use riskroom_core::ParticipantId;
use riskroom_core::debrief::{DEBRIEF_TRIALS, Seen, TeamDebrief, debrief_for, sees_calibration};
use riskroom_core::room::{Action, Actor, Room, Team, TeamId};
use riskroom_core::scenario::Scenario;
use riskroom_core::score::{CalibrationPicture, calibration_picture};
use yew::prelude::*;

use crate::format::display_name;
use crate::hooks::use_room;
use crate::hooks::use_room::RoomContext;

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
                .map(|m| (m.id, display_name(room, m.id)))
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

/// The calibration pictures this person may see: their own on a learner's
/// page, every member's whose calibration the core shows them elsewhere.
type Pictures = Rc<Vec<(ParticipantId, Rc<CalibrationPicture>)>>;

/// A debrief worked out from these inputs (None: the truth is not visible).
type Computed = Option<(Inputs, Option<(Rc<TeamDebrief>, Pictures)>)>;

fn pictures(room: &Room, team: &Team, actor: &Actor, d: &TeamDebrief) -> Pictures {
    let shown = |who: ParticipantId| match actor {
        Actor::Participant(me) => *me == who,
        _ => true,
    };
    Rc::new(
        team.members
            .iter()
            .filter(|m| shown(m.id) && sees_calibration(team, actor, m.id))
            .map(|m| {
                let picture = calibration_picture(room, team, m.id, room.seed(), &d.year);
                (m.id, Rc::new(picture))
            })
            .collect(),
    )
}

/// Which part of the debrief to show: all of it (the console, print), or
/// one part (a learner's tab).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DebriefPart {
    #[default]
    All,
    /// The scores and one's own calibration.
    Scores,
    /// Belief beside truth, and the played year.
    Truth,
    /// Who brought what, and the strategy beside the playbook.
    Strategy,
    /// Lessons, action items, ratings and the report to take away.
    Notes,
}

#[derive(Properties, PartialEq)]
pub struct DebriefProps {
    pub team: TeamId,
    #[prop_or_default]
    pub part: DebriefPart,
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
                        let t = r.team(team)?;
                        let d = debrief_for(r, t, &actor, DEBRIEF_TRIALS)?;
                        let p = pictures(r, t, &actor, &d);
                        Some((Rc::new(d), p))
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
        Some(Some((d, p))) => report(&room, r, team, scenario, &d, &p, props.part),
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
pub(super) struct Offers {
    me: Option<ParticipantId>,
    facilitator: bool,
    /// A learner of this team.
    member: bool,
    /// Notes and peer ratings are open to this person now.
    notes_open: bool,
    ratings_open: bool,
    rubric_open: bool,
    /// The scores are revealed to this person (the core answers).
    scores: bool,
    /// The team's role model, where this page may name them.
    role_model: Option<ParticipantId>,
    /// Who looks at this page, for what the core lets it show.
    viewer: Actor,
}

impl Offers {
    fn of(room: &RoomContext, team: &Team) -> Self {
        let me = room.state.my_id();
        Self {
            me,
            facilitator: room.state.is_facilitator(),
            member: me.is_some_and(|id| team.member(id).is_some()),
            role_model: team
                .role_model
                .filter(|id| room.state.shows_role_model(*id)),
            viewer: room.state.viewer(),
            notes_open: room.state.may(Action::AddLesson),
            ratings_open: room.state.may(Action::RatePeer),
            rubric_open: room.state.may(Action::RateRubric),
            scores: room
                .state
                .actor()
                .zip(room.state.room.as_ref())
                .is_some_and(|(a, r)| r.scores_seen_by(&a)),
        }
    }
}

fn report(
    room: &RoomContext,
    r: &Room,
    team: &Team,
    scenario: &Scenario,
    d: &Rc<TeamDebrief>,
    pictures: &Pictures,
    part: DebriefPart,
) -> Html {
    let offers = Offers::of(room, team);
    let id = |part: &str| format!("debrief-{}-{part}", team.id.0);
    let shows = |p: DebriefPart| part == DebriefPart::All || part == p;
    html! {
        <>
            if !shows(DebriefPart::Scores) {
            } else if offers.scores {
                <section class="debrief-part">
                    <h3 id={id("scores")}>{ "Team scores" }</h3>
                    <div class="score-cards">
                        { score_card("Quantitative", "The team's strategy against the scenario's true risks, compared with the best the catalogue allows within the budget.", &d.quantitative, "score-quantitative") }
                        { score_card("Rubric", "The facilitator's rating of how the team worked.", &d.rubric, "score-rubric") }
                        { score_card("Participation balance", "How evenly the members contributed.", &d.participation, "score-participation") }
                    </div>
                </section>
                { calibration_part(r, scenario, d, pictures, &offers, &id("calibration")) }
                { talk_part(r, team, d, &offers, &id("talk")) }
                // A learner's tab shows their own row; the whole table is the
                // console's and the printed report's.
                { members_table(r, scenario, d, &offers, &id("members"),
                    offers.me.filter(|_| part == DebriefPart::Scores)) }
            } else {
                <section class="debrief-part">
                    <h3 id={id("scores")}>{ "Team scores" }</h3>
                    <p class="hint" data-testid="scores-pending">{ "The facilitator reveals the scores to the whole room: they appear here then." }</p>
                </section>
            }
            if shows(DebriefPart::Strategy) {
                { contributions_table(r, scenario, d, &id("contributions")) }
            }
            if shows(DebriefPart::Truth) {
                { belief_and_truth(d, &id("truth")) }
                { perspectives_part(r, team, scenario, d, &id("perspectives")) }
            }
            if shows(DebriefPart::Strategy) {
                { strategy_and_playbook(r, team, scenario, d, &offers, &id("strategy")) }
            }
            if shows(DebriefPart::Truth) {
                { timeline(scenario, d, &id("timeline")) }
            }
            if shows(DebriefPart::Notes) {
                { notes_part(r, team, &offers, NoteKind::Lesson, &id("lessons")) }
                { notes_part(r, team, &offers, NoteKind::Action, &id("actions")) }
                if offers.member && offers.ratings_open {
                    { peer_ratings(room, r, team, scenario, &offers, &id("peers")) }
                }
                if offers.rubric_open {
                    { rubric_form(room, team, scenario, &id("rubric")) }
                }
                if offers.scores {
                    { export::export(room, d, &id("export")) }
                }
            }
        </>
    }
}

/// Calibration shown, not told: a picture per learner this person may see
/// (their own, on a learner's page), each with how it was scored.
fn calibration_part(
    r: &Room,
    scenario: &Scenario,
    d: &TeamDebrief,
    pictures: &Pictures,
    offers: &Offers,
    id: &str,
) -> Html {
    if pictures.is_empty() {
        return html! {};
    }
    let only_me = pictures.len() == 1 && offers.me == Some(pictures[0].0);
    html! {
        <section class="debrief-part" data-testid="calibration-part">
            <h3 id={id.to_owned()}>{ if only_me { "Your calibration" } else { "Calibration" } }</h3>
            <p class="hint">{ "Each 90% range given for the loss of one event, beside the truth it was held to." }</p>
            <div class="calibration-pictures">
                { for pictures.iter().map(|(who, picture)| {
                    let mine = offers.me == Some(*who);
                    let name = display_name(r, *who);
                    let score = d.members.iter().find(|m| m.participant == *who).and_then(|m| match &m.calibration {
                        Seen::Shown(score) => Some(score.clone()),
                        Seen::Private(_) => None,
                    });
                    html! {
                        <CalibrationChart
                            key={who.0}
                            picture={Rc::clone(picture)}
                            whose={if mine { "Your".to_owned() } else { format!("{name}'s") }}
                            heading={(!only_me).then(|| AttrValue::from(if mine { format!("{name} (you)") } else { name.clone() }))}
                            currency={scenario.currency.clone()}
                            {score}
                        />
                    }
                }) }
            </div>
        </section>
    }
}
