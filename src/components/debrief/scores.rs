//! The debrief's numbers: team score cards, each member's scores (or why
//! they are private), contributions, belief beside truth, the strategy
//! beside the playbook, and the timeline of the played year.

use riskroom_core::ParticipantId;
use riskroom_core::debrief::{MemberScores, Seen, TeamDebrief};
use riskroom_core::room::{Room, Team, label_title};
use riskroom_core::scenario::Scenario;
use riskroom_core::score::Explained;
use yew::prelude::*;

use super::Offers;
use crate::format::{day_label, display_name, money, role_name, whole};

pub(super) fn how_list(how: &[String]) -> Html {
    html! {
        <ul class="how">
            { for how.iter().map(|line| html! { <li>{ line.clone() }</li> }) }
        </ul>
    }
}

pub(super) fn score_card(title: &str, what: &str, score: &Explained, testid: &'static str) -> Html {
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
            <details class="card-how">
                <summary>{ "About this score" }</summary>
                <p class="score-what">{ what.to_owned() }</p>
                { how_list(&score.how) }
            </details>
        </article>
    }
}

/// A member's score in the table; `folded`, its sentences wait behind
/// "How this was scored" (the calibration's are drawn above the table).
pub(super) fn score_cell(label: &'static str, seen: &Seen, folded: bool) -> Html {
    match seen {
        Seen::Shown(score) => html! {
            <td data-label={label}>
                if score.score.is_some() {
                    <span class="cell-score">{ whole(score.score) }</span>
                } else {
                    <span class="cell-score score-pending" aria-hidden="true">{ whole(None) }</span>
                    <span class="visually-hidden">{ "Not given yet." }</span>
                }
                if folded && !score.how.is_empty() {
                    <details class="cell-how">
                        <summary>{ "How this was scored" }</summary>
                        { how_list(&score.how) }
                    </details>
                } else {
                    { how_list(&score.how) }
                }
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

pub(super) fn members_table(
    r: &Room,
    scenario: &Scenario,
    d: &TeamDebrief,
    offers: &Offers,
    id: &str,
    only: Option<ParticipantId>,
) -> Html {
    let row = |m: &MemberScores| {
        let mine = offers.me == Some(m.participant);
        html! {
            <tr key={m.participant.0} class={classes!(mine.then_some("you"))}>
                <th scope="row">
                    { display_name(r, m.participant) }
                    if mine { <span class="you-tag">{ " (you)" }</span> }
                    if offers.role_model == Some(m.participant) {
                        <span class="badge role-model">{ "role model" }</span>
                    }
                </th>
                <td>{ role_name(scenario, m.role.as_deref()) }</td>
                { score_cell("Calibration", &m.calibration, true) }
                { score_cell("Peer rating", &m.peer, true) }
                { score_cell("Combined", &m.combined, true) }
            </tr>
        }
    };
    html! {
        <section class="debrief-part">
            <h3 id={id.to_owned()}>{ if only.is_some() { "Your scores" } else { "Scores per member" } }</h3>
            if only.is_none() {
            <p class="hint">{ format!(
                "Combined score: the scenario's weights applied to the team's scores and the member's own (quantitative {:.0}%, calibration {:.0}%, rubric {:.0}%, peer ratings {:.0}%, participation {:.0}%).",
                100.0 * scenario.scoring.quantitative,
                100.0 * scenario.scoring.calibration,
                100.0 * scenario.scoring.rubric,
                100.0 * scenario.scoring.peer,
                100.0 * scenario.scoring.participation,
            ) }</p>
            }
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
                        { for d.members.iter().filter(|m| only.is_none_or(|me| me == m.participant)).map(row) }
                    </tbody>
                </table>
            </div>
            if d.members.is_empty() {
                <p class="empty">{ "The team has no members." }</p>
            }
        </section>
    }
}

pub(super) fn contributions_table(
    r: &Room,
    scenario: &Scenario,
    d: &TeamDebrief,
    id: &str,
) -> Html {
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
                                <th scope="row">{ display_name(r, c.participant) }</th>
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
pub(super) fn belief_and_truth(d: &TeamDebrief, id: &str) -> Html {
    html! {
        <section class="debrief-part">
            <h3 id={id.to_owned()}>{ "What the team believed and what was true" }</h3>
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

pub(super) fn strategy_and_playbook(
    r: &Room,
    team: &Team,
    scenario: &Scenario,
    d: &TeamDebrief,
    offers: &Offers,
    id: &str,
) -> Html {
    // The one the team was to learn from, by name where this screen shows it.
    let model = match (offers.role_model, team.role_model) {
        (Some(id), _) => {
            let plays = r
                .role_of(id)
                .and_then(|role| scenario.role(role))
                .map_or_else(String::new, |role| format!(", who played {}", role.name));
            Some(format!(
                "The team's role model: {}{plays}.",
                display_name(r, id)
            ))
        }
        (None, Some(_)) => Some("The team had a role model (names are hidden).".to_owned()),
        (None, None) => None,
    };
    let chosen = &d.strategy.responses;
    let playbook = &scenario.playbook;
    let in_playbook = |label: &String| playbook.picks.iter().any(|p| &p.response == label);
    html! {
        <section class="debrief-part">
            <h3 id={id.to_owned()}>{ if offers.member { "Your team's strategy and the expert playbook" } else { "The team's strategy and the expert playbook" } }</h3>
            <div class="side-by-side">
                <div class="strategy" data-testid="team-strategy">
                    <h4>{ if offers.member { "Your team's strategy".to_owned() } else { format!("{}'s strategy", team.name) } }</h4>
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
                    <p>{ format!("Cost {} of a budget of {}.", money(&scenario.currency, d.strategy.cost), money(&scenario.currency, r.budget)) }</p>
                </div>
                <div class="playbook" data-testid="playbook">
                    <h4>{ "The expert playbook" }</h4>
                    if let Some(role) = scenario.role_model() {
                        <p class="hint">{ format!("What a seasoned {} would do.", role.name) }</p>
                    }
                    if let Some(model) = model {
                        <p class="hint" data-testid="debrief-role-model">{ model }</p>
                    }
                    if let Some(share) = r.role_model_share(&offers.viewer, team) {
                        <p class="hint" data-testid="role-model-share">{ share }</p>
                    }
                    if let Some(id) = offers.role_model {
                        <p class="hint" data-testid="role-model-calibration">{
                            riskroom_core::score::calibration_picture(r, team, id, r.seed(), &d.year)
                                .headline(&format!("{}'s", display_name(r, id)))
                        }</p>
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
                                        <span class="tag match">{ if offers.member { " your team chose this too" } else { " the team chose this too" } }</span>
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

pub(super) fn timeline(scenario: &Scenario, d: &TeamDebrief, id: &str) -> Html {
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
                                    <td class="num" data-label="Loss without responses">{ money(&scenario.currency, e.gross) }</td>
                                    <td class="num" data-label="Borne">{ if e.prevented { "Prevented".to_owned() } else { money(&scenario.currency, e.retained) } }</td>
                                </tr>
                            }) }
                        </tbody>
                        <tfoot>
                            <tr>
                                <td class="empty"></td>
                                <th scope="row">{ "Total" }</th>
                                <td class="num" data-label="Loss without responses">{ money(&scenario.currency, year.gross) }</td>
                                <td class="num" data-label="Borne">{ money(&scenario.currency, year.retained) }</td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
            }
            <p>{ format!(
                "Loss borne {} plus the strategy's cost {}: {} in all, against {} with no responses.",
                money(&scenario.currency, year.retained),
                money(&scenario.currency, year.strategy_cost),
                money(&scenario.currency, year.retained + year.strategy_cost),
                money(&scenario.currency, year.gross),
            ) }</p>
            if !year.savings.is_empty() {
                <h4>{ "What each response saved this year" }</h4>
                <ul class="savings">
                    { for year.savings.iter().map(|saving| html! {
                        <li>
                            { label_title(scenario, &saving.response) }
                            { ": " }
                            <span class="amount">{ money(&scenario.currency, saving.saved) }</span>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
