//! The debrief on the room view: the teams compared on the first page,
//! then one page a team — its scores with how they were reached, what it
//! believed beside what was true, and its strategy beside the role model's
//! playbook. The scores appear when the facilitator reveals them.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use riskroom_core::debrief::{DEBRIEF_TRIALS, TeamDebrief, debrief_for};
use riskroom_core::room::{Actor, Room, Team, label_title};
use riskroom_core::scenario::Scenario;
use riskroom_core::score::Explained;
use yew::prelude::*;

use crate::format::{room_short, whole};
use crate::hooks::use_room;

/// Every shown team's debrief, worked out after the page has painted and
/// again when the room changes.
#[hook]
fn use_debriefs() -> Option<Rc<Vec<TeamDebrief>>> {
    let room = use_room();
    let debriefs = use_state(|| None::<Rc<Vec<TeamDebrief>>>);
    let seq = room.state.room.as_ref().map_or(0, |r| r.seq);
    {
        let debriefs = debriefs.clone();
        use_effect_with(seq, move |_| {
            let timeout = Timeout::new(0, move || {
                if let Some(r) = room.state.room.as_ref() {
                    let all = r
                        .room_view_teams()
                        .into_iter()
                        .filter_map(|t| debrief_for(r, t, &Actor::RoomView, DEBRIEF_TRIALS))
                        .collect();
                    debriefs.set(Some(Rc::new(all)));
                }
            });
            move || drop(timeout)
        });
    }
    (*debriefs).clone()
}

#[function_component(DebriefScreen)]
pub fn debrief_screen() -> Html {
    let room = use_room();
    let debriefs = use_debriefs();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let Some(scenario) = r.scenario.as_deref() else {
        return html! {};
    };
    let Some(debriefs) = debriefs else {
        return html! { <p class="rv-stat">{ "Working out the scores…" }</p> };
    };
    let scores = r.scores_seen_by(&Actor::RoomView);
    let screen = r.screen();
    match screen
        .focus
        .and_then(|id| Some((r.team(id)?, debriefs.iter().find(|d| d.team == id)?)))
    {
        Some((team, d)) => focus(r, scenario, team, d, scores),
        None => compared(r, &debriefs, scores),
    }
}

fn score(e: &Explained) -> String {
    whole(e.score)
}

/// The teams side by side: what each spent, what its year cost, and its
/// scores once revealed.
fn compared(r: &Room, debriefs: &[TeamDebrief], scores: bool) -> Html {
    let name = |d: &TeamDebrief| r.team(d.team).map(|t| t.name.clone()).unwrap_or_default();
    // Each team's role model by name, where the room shows names.
    let model = |d: &TeamDebrief| {
        r.team(d.team)
            .and_then(|t| t.role_model)
            .filter(|m| r.shows_role_model(&Actor::RoomView, *m))
            .and_then(|m| r.participant(m))
            .map_or_else(|| "—".to_owned(), |p| p.name.clone())
    };
    let models = r.teams.iter().any(|t| {
        t.role_model
            .is_some_and(|m| r.shows_role_model(&Actor::RoomView, m))
    });
    html! {
        <section class="rv-compared" aria-labelledby="rv-compared-heading">
            <h2 id="rv-compared-heading">{ "The teams compared" }</h2>
            <table class="rv-table" data-testid="room-view-compared">
                <thead><tr>
                    <th scope="col">{ "Team" }</th>
                    if models { <th scope="col">{ "Role model" }</th> }
                    <th scope="col">{ "Strategy cost" }</th>
                    <th scope="col">{ "The year's loss" }</th>
                    if scores {
                        <th scope="col">{ "Strategy score" }</th>
                        <th scope="col">{ "Rubric" }</th>
                        <th scope="col">{ "Balance" }</th>
                    }
                </tr></thead>
                <tbody>
                    { for debriefs.iter().map(|d| html! {
                        <tr key={d.team.0}>
                            <th scope="row">{ name(d) }</th>
                            if models { <td data-testid="room-view-team-role-model">{ model(d) }</td> }
                            <td>{ room_short(r, d.strategy.cost) }</td>
                            <td>{ room_short(r, d.year.retained) }</td>
                            if scores {
                                <td>{ score(&d.quantitative) }</td>
                                <td>{ score(&d.rubric) }</td>
                                <td>{ score(&d.participation) }</td>
                            }
                        </tr>
                    }) }
                </tbody>
            </table>
            if !scores {
                <p class="rv-stat">{ "The scores are revealed by the facilitator." }</p>
            }
        </section>
    }
}

/// One team's page.
fn focus(r: &Room, scenario: &Scenario, team: &Team, d: &TeamDebrief, scores: bool) -> Html {
    let chosen = &d.strategy.responses;
    let picks = &scenario.playbook.picks;
    let role_model = scenario
        .role_model()
        .map(|role| format!("The playbook: what a seasoned {} would do.", role.name));
    let first = |e: &Explained| e.how.first().cloned().unwrap_or_default();
    html! {
        <section class="rv-focus" aria-labelledby="rv-focus-heading" data-testid="room-view-focus">
            <h2 id="rv-focus-heading">{ team.name.clone() }</h2>
            <div class="rv-columns">
                <div>
                    <h3>{ "Scores" }</h3>
                    if scores {
                        <dl class="rv-scores">
                            <dt>{ format!("Strategy {}", score(&d.quantitative)) }</dt><dd>{ first(&d.quantitative) }</dd>
                            <dt>{ format!("Rubric {}", score(&d.rubric)) }</dt><dd>{ first(&d.rubric) }</dd>
                            <dt>{ format!("Balance {}", score(&d.participation)) }</dt><dd>{ first(&d.participation) }</dd>
                        </dl>
                    } else {
                        <p>{ "Revealed by the facilitator." }</p>
                    }
                    <p>{ format!("The year cost {} with a strategy of {}.", room_short(r, d.year.retained), room_short(r, d.strategy.cost)) }</p>
                </div>
                <div>
                    <h3>{ "Believed · true" }</h3>
                    if d.comparisons.is_empty() {
                        <p>{ "No agreed value on a card linked to a scenario risk." }</p>
                    } else {
                        <table class="rv-table" data-testid="room-view-truth">
                            <thead><tr><th scope="col">{ "Risk" }</th><th scope="col">{ "Agreed" }</th><th scope="col">{ "True" }</th></tr></thead>
                            <tbody>
                                { for d.comparisons.iter().map(|c| html! {
                                    <tr>
                                        <th scope="row">{ c.card.clone() }</th>
                                        <td>{ format!("{:.0}%", 100.0 * c.agreed.frequency.yearly_chance()) }</td>
                                        <td>{ format!("{:.0}%", 100.0 * c.true_chance) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    }
                </div>
                <div>
                    <h3>{ "Strategy · playbook" }</h3>
                    <table class="rv-table" data-testid="room-view-playbook">
                        <thead><tr><th scope="col">{ "Response" }</th><th scope="col">{ "Team" }</th><th scope="col">{ "Playbook" }</th></tr></thead>
                        <tbody>
                            { for picks.iter().map(|p| &p.response).chain(chosen.iter().filter(|c| !picks.iter().any(|p| &p.response == *c))).map(|label| html! {
                                <tr>
                                    <th scope="row">{ label_title(scenario, label) }</th>
                                    <td>{ if chosen.contains(label) { "yes" } else { "no" } }</td>
                                    <td>{ if picks.iter().any(|p| &p.response == label) { "yes" } else { "no" } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    if let Some(who) = role_model {
                        <p class="rv-stat">{ who }</p>
                    }
                </div>
            </div>
        </section>
    }
}
