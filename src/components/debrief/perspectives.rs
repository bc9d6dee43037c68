//! The debrief's perspectives: role by role, the facts of its brief the
//! team heard and those that stayed unsaid, and what the risks nobody
//! raised cost in the played year (the core's `Room::perspectives` and
//! `Room::unraised_sentence`).

use riskroom_core::debrief::TeamDebrief;
use riskroom_core::room::{Room, Team};
use riskroom_core::scenario::Scenario;
use yew::prelude::*;

use crate::format::display_name;

pub(super) fn perspectives_part(
    r: &Room,
    team: &Team,
    scenario: &Scenario,
    d: &TeamDebrief,
    id: &str,
) -> Html {
    let perspectives = r.perspectives(team);
    if perspectives.is_empty() {
        return html! {};
    }
    let title = |risk: &str| {
        scenario
            .risks
            .iter()
            .find(|k| k.id == risk)
            .map_or_else(|| risk.to_owned(), |k| k.title.clone())
    };
    html! {
        <section class="debrief-part" data-testid="debrief-perspectives">
            <h3 id={id.to_owned()}>{ "Every perspective: what each role brought" }</h3>
            <p class="verdict" data-testid="unraised-loss">{ r.unraised_sentence(team, &d.year, &scenario.currency) }</p>
            <ul class="plain-list">
                { for perspectives.iter().map(|p| {
                    let players: Vec<String> = p.players.iter().map(|id| display_name(r, *id)).collect();
                    let who = if players.is_empty() { "nobody in the team".to_owned() } else { players.join(", ") };
                    let brought: Vec<String> = p.facts.iter().filter(|f| f.card.is_some()).map(|f| title(&f.risk)).collect();
                    let unsaid: Vec<Html> = p.facts.iter().filter(|f| f.card.is_none()).map(|f| {
                        let clue = scenario.role(&p.role).and_then(|role| role.clues.get(f.clue)).map(|c| c.text.clone()).unwrap_or_default();
                        html! {
                            <li>
                                <strong>{ title(&f.risk) }</strong>
                                if f.decisive { <span class="badge">{ "decisive" }</span> }
                                if f.only_here { <span class="badge">{ format!("only {} knew it", p.role_name) }</span> }
                                if !clue.is_empty() { <span class="hint">{ format!(" — “{clue}”") }</span> }
                            </li>
                        }
                    }).collect();
                    let played = !p.players.is_empty();
                    let (brought_label, unsaid_label) = if played {
                        ("Brought to the board", "Stayed unsaid:")
                    } else {
                        ("On the board anyway", "Nobody brought:")
                    };
                    html! {
                        <li class="perspective" data-testid="debrief-perspective">
                            <p><strong>{ p.role_name.clone() }</strong>{ format!(" (played by {who})") }</p>
                            <p>{ if brought.is_empty() {
                                format!("{brought_label}: none of its facts.")
                            } else {
                                format!("{brought_label}: {}.", brought.join("; "))
                            } }</p>
                            if unsaid.is_empty() {
                                <p class="ok-line">{ if played { "Nothing of its brief stayed unsaid." } else { "Every fact of its brief reached the board." } }</p>
                            } else {
                                <p>{ unsaid_label }</p>
                                <ul class="unsaid">{ for unsaid }</ul>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
