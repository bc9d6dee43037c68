//! The debrief's "what the talk taught": where the team ran the discussion
//! round, its two rounds of estimates against the truth, before and after
//! (the core's `talk_measure`), as a picture, a sentence and a row a
//! member; and, for the facilitator, the role model's influence on the
//! second round (`role_model_influence`).

use riskroom_core::debrief::TeamDebrief;
use riskroom_core::room::{Room, Team};
use riskroom_core::talk::{RoundMeasure, role_model_influence, talk_measure};
use yew::prelude::*;

use super::Offers;
use crate::format::display_name;

fn bar(label: &str, m: RoundMeasure, testid: &str) -> Html {
    let share = if m.ranges == 0 {
        0.0
    } else {
        100.0 * m.held as f64 / m.ranges as f64
    };
    html! {
        <div class="talk-bar" data-testid={testid.to_owned()}>
            <span class="talk-label">{ label }</span>
            <svg class="talk-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                <rect class="talk-fill" x="0" y="0" width={format!("{share:.1}")} height="10" />
            </svg>
            <span class="talk-value">{ format!("{} of {} ranges held", m.held, m.ranges) }</span>
        </div>
    }
}

fn points(m: RoundMeasure) -> String {
    m.chance_error
        .map_or_else(|| "–".to_owned(), |e| format!("{:.0} points", e.round()))
}

pub(super) fn talk_part(r: &Room, team: &Team, d: &TeamDebrief, offers: &Offers, id: &str) -> Html {
    let seed = r.seed();
    let Some(whole) = talk_measure(r, team, None, seed, &d.year) else {
        return html! {};
    };
    let rows: Vec<Html> = team
        .members
        .iter()
        .filter_map(|m| {
            let t = talk_measure(r, team, Some(m.id), seed, &d.year)?;
            (t.after.ranges > 0).then(|| {
                let mine = offers.me == Some(m.id);
                html! {
                    <tr class={classes!(mine.then_some("you"))}>
                        <th scope="row">{ display_name(r, m.id) }{ if mine { " (you)" } else { "" } }</th>
                        <td data-label="Ranges that held, before → after">{ format!("{} of {} → {} of {}", t.before.held, t.before.ranges, t.after.held, t.after.ranges) }</td>
                        <td data-label="Chance off by, before → after">{ format!("{} → {}", points(t.before), points(t.after)) }</td>
                    </tr>
                }
            })
        })
        .collect();
    let influence = offers
        .facilitator
        .then(|| role_model_influence(r, team, seed, &d.year))
        .flatten();
    html! {
        <section class="debrief-part" data-testid="debrief-talk">
            <h3 id={id.to_owned()}>{ "What the talk taught" }</h3>
            <p class="verdict" data-testid="talk-sentence">{ whole.sentence("the team's") }</p>
            <div class="talk-bars" role="img"
                aria-label={format!("Ranges that held the truth: {} of {} before the talk, {} of {} after.",
                    whole.before.held, whole.before.ranges, whole.after.held, whole.after.ranges)}>
                { bar("Before the talk", whole.before, "talk-before") }
                { bar("After the talk", whole.after, "talk-after") }
            </div>
            if !rows.is_empty() {
                <div class="table-scroll">
                    <table class="member-scores talk-table">
                        <thead><tr>
                            <th scope="col">{ "Member" }</th>
                            <th scope="col">{ "Ranges that held the truth, before → after" }</th>
                            <th scope="col">{ "Chance off by, before → after" }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            if let Some(influence) = influence {
                <p data-testid="talk-influence">
                    <strong>{ "The role model's pull (only you see this): " }</strong>{ influence.sentence() }
                </p>
            }
        </section>
    }
}
