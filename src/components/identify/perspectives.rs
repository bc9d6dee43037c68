//! Perspectives while the board is built: on the console, each role's
//! facts and whether they reached the team's board (the core's
//! `Room::perspectives`), a nudge to the phones of a role whose facts are
//! missing, and the counts put up on the room view; on a learner's phone,
//! the nudge.

use riskroom_core::Command;
use riskroom_core::room::{Action, TeamId};
use yew::prelude::*;

use crate::components::TeamProps;
use crate::hooks::{Refusal, Sent, use_command, use_room};

/// The console's panel for one team.
#[function_component(Perspectives)]
pub fn perspectives(props: &TeamProps) -> Html {
    let room = use_room();
    let nudge = use_command(None);
    let show = use_command(None);
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let perspectives = r.perspectives(team);
    if perspectives.is_empty() {
        return html! {};
    }
    let scenario = r.scenario.as_deref();
    let risk_title = |id: &str| {
        scenario
            .and_then(|s| s.risks.iter().find(|k| k.id == id))
            .map_or_else(|| id.to_owned(), |k| k.title.clone())
    };
    let shown = r.coverage_shown.is_some();
    let may_nudge = room.state.may(Action::NudgeRole);
    let unheard: Vec<String> = perspectives
        .iter()
        .filter_map(|p| r.unheard_line(p))
        .collect();
    html! {
        <section class="panel perspectives" aria-labelledby={format!("perspectives-{}", team.id.0)}
            data-testid="perspectives">
            <h2 id={format!("perspectives-{}", team.id.0)}>{ format!("Perspectives in {}", team.name) }</h2>
            if unheard.is_empty() {
                <p class="ok-line" data-testid="perspectives-all-in">{ "Every fact of the briefs played in this team is on the board." }</p>
            }
            <ul class="plain-list">
                { for perspectives.iter().filter(|p| !p.players.is_empty()).filter_map(|p| {
                    let line = r.unheard_line(p)?;
                    let role = p.role.clone();
                    let team_id: TeamId = team.id;
                    let send = nudge.clone();
                    Some(html! {
                        <li class="perspective" data-testid="perspective">
                            <p class="warning" data-testid="unheard">{ line }</p>
                            if may_nudge {
                                <button type="button" class="secondary" data-testid="nudge-role"
                                    onclick={Callback::from(move |_| send.send(Command::NudgeRole { team: team_id, role: role.clone() }))}>
                                    { format!("Nudge {} on their phones", p.role_name) }
                                </button>
                            }
                        </li>
                    })
                }) }
            </ul>
            <div class="table-scroll">
                <table class="people-table">
                    <thead><tr>
                        <th scope="col">{ "Role" }</th>
                        <th scope="col">{ "Played by" }</th>
                        <th scope="col">{ "Its facts on the board" }</th>
                    </tr></thead>
                    <tbody>
                        { for perspectives.iter().map(|p| {
                            let players: Vec<String> = p.players.iter().map(|id| crate::format::display_name(r, *id)).collect();
                            html! {
                                <tr data-testid="perspective-row">
                                    <th scope="row">{ p.role_name.clone() }</th>
                                    <td>{ if players.is_empty() { "nobody".to_owned() } else { players.join(", ") } }</td>
                                    <td>
                                        <details class="more">
                                            <summary>{ format!("{} of {}", p.raised(), p.facts.len()) }</summary>
                                            <ul class="plain-list">
                                                { for p.facts.iter().map(|f| {
                                                    let clue = scenario
                                                        .and_then(|s| s.role(&p.role))
                                                        .and_then(|role| role.clues.get(f.clue))
                                                        .map(|c| c.text.clone())
                                                        .unwrap_or_default();
                                                    html! {
                                                        <li data-testid="fact">
                                                            <span class={classes!("badge", f.card.is_some().then_some("ok"))}>
                                                                { if f.card.is_some() { "on the board" } else { "not raised" } }
                                                            </span>
                                                            if f.decisive { <span class="badge">{ "decisive" }</span> }
                                                            if f.only_here { <span class="badge">{ "only this role knows" }</span> }
                                                            <span class="fact-text">{ clue }</span>
                                                            <span class="hint">{ format!(" (points at {})", risk_title(&f.risk)) }</span>
                                                        </li>
                                                    }
                                                }) }
                                            </ul>
                                        </details>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            <Refusal sent={nudge.sent.clone()} />
            if nudge.sent == Sent::Accepted {
                <p role="status" class="hint" data-testid="nudge-sent">{ "Nudge sent: their phones show it until the facts are on the board." }</p>
            }
            if room.state.may(Action::ShowCoverage) {
                <button type="button" class="secondary" data-testid="show-coverage"
                    onclick={ let show = show.clone(); Callback::from(move |_| show.send(Command::ShowCoverage { shown: !shown })) }>
                    { if shown { "Take the perspectives off the room view" } else { "Show the perspectives on the room view (counts, never the facts)" } }
                </button>
                <Refusal sent={show.sent.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct NudgeAlertProps {
    /// The latest nudge this learner dismissed (its sequence number).
    pub dismissed: u64,
    pub on_dismiss: Callback<u64>,
}

/// The facilitator's nudge on the phone of a role whose facts are missing
/// from the board, until dismissed or the facts are there.
#[function_component(NudgeAlert)]
pub fn nudge_alert(props: &NudgeAlertProps) -> Html {
    let room = use_room();
    let nudge = room
        .state
        .my_id()
        .zip(room.state.room.as_ref())
        .and_then(|(me, r)| r.nudge_for(me))
        .filter(|(seq, _)| *seq > props.dismissed);
    html! {
        <div class="news-alert-slot" role="alert">
            if let Some((seq, line)) = nudge {
                <div class="news-alert nudge" data-testid="nudge-alert">
                    <p>{ line }</p>
                    <div class="button-row">
                        <button type="button" class="secondary" onclick={props.on_dismiss.reform(move |_| seq)}>{ "Dismiss" }</button>
                    </div>
                </div>
            }
        </div>
    }
}

/// The console's balance of voices in a team, live: what each role's
/// players have added, and the quiet role to draw in (the core's
/// `Room::voices` and `quiet_line`).
#[function_component(Voices)]
pub fn voices(props: &TeamProps) -> Html {
    let room = use_room();
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let voices = r.voices(team);
    if voices.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel voices" aria-labelledby={format!("voices-{}", team.id.0)} data-testid="voices">
            <h2 id={format!("voices-{}", team.id.0)}>{ format!("Voices in {}", team.name) }</h2>
            if let Some(line) = r.quiet_line(team) {
                <p class="warning" data-testid="quiet-role">{ line }</p>
            }
            <div class="table-scroll">
                <table class="people-table">
                    <thead><tr>
                        <th scope="col">{ "Role" }</th>
                        <th scope="col">{ "Played by" }</th>
                        <th scope="col" class="num">{ "Raised" }</th>
                        <th scope="col" class="num">{ "Estimated" }</th>
                        <th scope="col" class="num">{ "Proposed" }</th>
                        <th scope="col" class="num">{ "Voted" }</th>
                        <th scope="col" class="num">{ "Commented" }</th>
                        <th scope="col" class="num">{ format!("In {}", r.phase.name()) }</th>
                    </tr></thead>
                    <tbody>
                        { for voices.iter().map(|v| html! {
                            <tr data-testid="voice">
                                <th scope="row">{ v.role_name.clone() }</th>
                                <td>{ v.players.iter().map(|id| crate::format::display_name(r, *id)).collect::<Vec<_>>().join(", ") }</td>
                                <td class="num">{ v.raised }</td>
                                <td class="num">{ v.estimated }</td>
                                <td class="num">{ v.proposed }</td>
                                <td class="num">{ v.voted }</td>
                                <td class="num">{ v.commented }</td>
                                <td class="num">{ v.this_phase }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
