//! Assess: each learner privately estimates each risk (how often, and the
//! 90% range of one event's loss); the facilitator reveals all estimates at
//! once; the spread shows on a likelihood × impact map; the team agrees a
//! value for each card.

mod estimate_form;
pub mod heat_map;
mod stepper;
mod talk;

use estimate_form::EstimateForm;
use heat_map::HeatMap;
pub use stepper::EstimateStepper;
pub use talk::Discussion;

use riskroom_core::Command;
use riskroom_core::room::Action;
use riskroom_core::room::{Card, CardId, Estimate, Team};
use riskroom_core::scenario::Frequency;
use yew::prelude::*;

use crate::components::TeamProps;
use crate::format::{display_name, estimate_text};
use crate::hooks::use_room;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The middle of the team's revealed estimates, a starting point to agree on.
pub(super) fn middle(team: &Team, card: CardId) -> Option<Estimate> {
    let values: Vec<Estimate> = team
        .estimates
        .iter()
        .filter(|e| e.card == card)
        .filter_map(|e| e.value)
        .collect();
    if values.is_empty() {
        return None;
    }
    let rates = values
        .iter()
        .all(|e| matches!(e.frequency, Frequency::Rate(_)));
    let frequency = if rates {
        Frequency::Rate(median(
            values
                .iter()
                .map(|e| match e.frequency {
                    Frequency::Rate(r) => r,
                    Frequency::Probability(p) => p,
                })
                .collect(),
        ))
    } else {
        Frequency::Probability(median(
            values.iter().map(|e| e.frequency.yearly_chance()).collect(),
        ))
    };
    Some(Estimate {
        frequency,
        low: median(values.iter().map(|e| e.low).collect()),
        high: median(values.iter().map(|e| e.high).collect()),
    })
}

#[function_component(Assess)]
pub fn assess(props: &TeamProps) -> Html {
    let room = use_room();
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let me = room.state.my_id().filter(|id| team.member(*id).is_some());
    let facilitator = room.state.is_facilitator();
    let currency = r
        .scenario
        .as_ref()
        .map(|s| s.currency.clone())
        .unwrap_or_default();
    let cards: Vec<&Card> = team.cards.iter().filter(|c| c.live()).collect();
    let reveal = {
        let room = room.clone();
        let team = team.id;
        Callback::from(move |_| room.send(Command::RevealEstimates { team }))
    };
    html! {
        <section class="panel assess" aria-labelledby={format!("assess-heading-{}", team.id.0)}>
            <h2 id={format!("assess-heading-{}", team.id.0)}>{ format!("{}: how likely, how bad", team.name) }</h2>
            // Announced when the facilitator reveals (the region is always there).
            <div aria-live="polite">
                if team.revealed {
                    <p class="hint" data-testid="revealed">{ "Estimates are revealed: see the spread, then agree a value for each risk." }</p>
                } else {
                    <p class="hint">{ "Estimates stay private until the facilitator reveals them all at once, so nobody anchors on anyone else." }</p>
                }
            </div>
            <Discussion team={team.id} />
            if team.revealed {
                <HeatMap team={team.id} />
            } else {
                if facilitator {
                    if let Some(names) = Some(r.yet_to_estimate(team)).filter(|m| !m.is_empty()) {
                        <p class="hint" data-testid="yet-to-estimate">{ format!("Yet to estimate every card: {}.",
                            names.iter().map(|&id| display_name(r, id)).collect::<Vec<_>>().join(", ")) }</p>
                    }
                }
                if facilitator && room.state.may(Action::RevealEstimates) {
                    <button type="button" class="primary" onclick={reveal} data-testid="reveal">
                        { format!("Reveal {}'s estimates", team.name) }
                    </button>
                }
            }
            if cards.is_empty() {
                <p class="hint">{ "No risks on the board to estimate." }</p>
            }
            <ul class="card-list">
                { for cards.iter().map(|card| {
                    let given = team.estimates.iter().filter(|e| e.card == card.id).count();
                    let mine = me.and_then(|id| team.estimates.iter().find(|e| e.card == card.id && e.author == id)).and_then(|e| e.value);
                    html! {
                        <li class="risk-card" key={card.id.0} data-testid="assess-card">
                            <h3 class="card-title">{ card.title.clone() }</h3>
                            <p class="card-meta">{ format!("{given} of {} estimated", team.members.len()) }</p>
                            if let Some(mine) = mine {
                                <p class="card-meta" data-testid="my-estimate">{ format!("Your estimate: {}", estimate_text(&mine, &currency)) }</p>
                            }
                            if team.revealed {
                                <ul class="spread">
                                    { for team.estimates.iter().filter(|e| e.card == card.id).filter_map(|e| e.value.map(|v| (e.author, v))).map(|(author, v)| html! {
                                        <li>
                                            { estimate_text(&v, &currency) }
                                            if room.state.shows_role_model(author) {
                                                <span class="badge role-model" data-testid="role-model-estimate">{ "role model" }</span>
                                            }
                                        </li>
                                    }) }
                                </ul>
                            }
                            if let Some(agreed) = &card.consensus {
                                <p class="consensus">{ format!("Agreed: {}", estimate_text(agreed, &currency)) }</p>
                            }
                            if me.is_some() && r.estimates_open(team) {
                                <EstimateForm card={card.id} title={card.title.clone()} start={mine} consensus=false />
                            }
                            if me.is_some() && r.consensus_open(team) {
                                <EstimateForm card={card.id} title={card.title.clone()}
                                    start={card.consensus.or_else(|| middle(team, card.id))} consensus=true />
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
