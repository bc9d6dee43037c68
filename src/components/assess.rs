//! Assess: each learner privately estimates each risk (how often, and the
//! 90% range of one event's loss); the facilitator reveals all estimates at
//! once; the spread shows on a likelihood × impact map; the team agrees a
//! value for each card.

use riskroom_core::Command;
use riskroom_core::room::Action;
use riskroom_core::room::{Card, CardId, Estimate, Team, TeamId};
use riskroom_core::scenario::{Frequency, group_thousands};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::board::estimate_text;
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
fn middle(team: &Team, card: CardId) -> Option<Estimate> {
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

#[derive(Properties, PartialEq)]
pub struct AssessProps {
    pub team: TeamId,
}

#[function_component(Assess)]
pub fn assess(props: &AssessProps) -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let Some(team) = r.team(props.team) else {
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
            if team.revealed {
                <p class="hint" data-testid="revealed">{ "Estimates are revealed: see the spread, then agree a value for each risk." }</p>
                <HeatMap team={team.id} />
            } else {
                <p class="hint">{ "Estimates stay private until the facilitator reveals them all at once, so nobody anchors on anyone else." }</p>
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
                                    { for team.estimates.iter().filter(|e| e.card == card.id).filter_map(|e| e.value).map(|v| html! {
                                        <li>{ estimate_text(&v, &currency) }</li>
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

#[derive(Properties, PartialEq)]
struct EstimateFormProps {
    card: CardId,
    title: AttrValue,
    start: Option<Estimate>,
    /// Agreeing the team's value rather than giving one's own.
    consensus: bool,
}

/// How often and how bad: a private estimate, or the team's agreed value.
#[function_component(EstimateForm)]
fn estimate_form(props: &EstimateFormProps) -> Html {
    let room = use_room();
    let (kind0, value0) = match props.start.map(|e| e.frequency) {
        Some(Frequency::Rate(r)) => ("rate", r.to_string()),
        Some(Frequency::Probability(p)) => {
            ("probability", format!("{}", (p * 1000.0).round() / 10.0))
        }
        None => ("probability", String::new()),
    };
    let kind = use_state(|| kind0.to_owned());
    let value = use_state(|| value0);
    let low = use_state(|| props.start.map(|e| e.low.to_string()).unwrap_or_default());
    let high = use_state(|| props.start.map(|e| e.high.to_string()).unwrap_or_default());
    let id = format!(
        "{}-{}",
        if props.consensus { "agree" } else { "est" },
        props.card.0
    );
    let submit = {
        let (kind, value, low, high) = (kind.clone(), value.clone(), low.clone(), high.clone());
        let card = props.card;
        let consensus = props.consensus;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let number = |s: &str| s.trim().replace([',', ' '], "").parse::<f64>().ok();
            let (Some(v), Some(low), Some(high)) = (number(&value), number(&low), number(&high))
            else {
                room.notice(
                    "Fill in how often and both ends of the loss range, as numbers.".into(),
                );
                return;
            };
            let frequency = if *kind == "rate" {
                Frequency::Rate(v)
            } else {
                Frequency::Probability(v / 100.0)
            };
            let estimate = Estimate {
                frequency,
                low,
                high,
            };
            room.send(if consensus {
                Command::SetConsensus { card, estimate }
            } else {
                Command::SubmitEstimate { card, estimate }
            });
        })
    };
    let field = |state: &UseStateHandle<String>| {
        let state = state.clone();
        move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let legend = if props.consensus {
        format!("The team's agreed value for “{}”", props.title)
    } else {
        format!("Your private estimate for “{}”", props.title)
    };
    html! {
        <form class={classes!("estimate-form", props.consensus.then_some("agree"))} onsubmit={submit}>
            <fieldset>
                <legend>{ legend }</legend>
                <div class="inline-fields">
                    <div>
                        <label for={format!("{id}-kind")}>{ "Measured as" }</label>
                        <select id={format!("{id}-kind")}
                            onchange={ let kind = kind.clone(); move |e: Event| kind.set(e.target_unchecked_into::<HtmlSelectElement>().value()) }>
                            <option value="probability" selected={*kind == "probability"}>{ "Chance in a year (%)" }</option>
                            <option value="rate" selected={*kind == "rate"}>{ "Times a year" }</option>
                        </select>
                    </div>
                    <div>
                        <label for={format!("{id}-value")}>{ if *kind == "rate" { "Times a year" } else { "Chance (%)" } }</label>
                        <input id={format!("{id}-value")} inputmode="decimal" value={(*value).clone()} oninput={field(&value)} />
                    </div>
                    <div>
                        <label for={format!("{id}-low")}>{ "Loss if it happens: low end (19 in 20 losses above it)" }</label>
                        <input id={format!("{id}-low")} inputmode="decimal" value={(*low).clone()} oninput={field(&low)} />
                    </div>
                    <div>
                        <label for={format!("{id}-high")}>{ "High end (19 in 20 below it)" }</label>
                        <input id={format!("{id}-high")} inputmode="decimal" value={(*high).clone()} oninput={field(&high)} />
                    </div>
                </div>
                <button type="submit" class="secondary">
                    { if props.consensus { "Agree this value" } else if props.start.is_some() { "Update my estimate" } else { "Submit my estimate" } }
                </button>
            </fieldset>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct HeatMapProps {
    pub team: TeamId,
}

/// The revealed estimates on a likelihood × impact map: one dot per
/// estimate, a ring for the agreed value, numbered by card.
#[function_component(HeatMap)]
pub fn heat_map(props: &HeatMapProps) -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let Some(team) = r.team(props.team) else {
        return html! {};
    };
    let cards: Vec<&Card> = team.cards.iter().filter(|c| c.live()).collect();
    let points: Vec<(usize, Estimate, bool)> = cards
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            let spread = team
                .estimates
                .iter()
                .filter(move |e| e.card == c.id)
                .filter_map(|e| e.value)
                .map(move |v| (i, v, false));
            spread.chain(c.consensus.map(|v| (i, v, true)))
        })
        .collect();
    let impact = |e: &Estimate| (e.low * e.high).sqrt().max(1.0);
    let (lo, hi) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, e, _)| {
            (lo.min(impact(e)), hi.max(impact(e)))
        });
    let (lo, hi) = if points.is_empty() {
        (1.0, 10.0)
    } else {
        (
            lo.log10().floor(),
            hi.log10().ceil().max(lo.log10().floor() + 1.0),
        )
    };
    let (w, h, pad) = (560.0, 320.0, 72.0);
    let x = |e: &Estimate| pad + e.frequency.yearly_chance().clamp(0.0, 1.0) * (w - 2.0 * pad);
    let y = |e: &Estimate| {
        let t = (impact(e).log10() - lo) / (hi - lo);
        h - pad - t.clamp(0.0, 1.0) * (h - 2.0 * pad)
    };
    let colours = [
        "#0b5cad", "#a4161a", "#1e6b34", "#8a5300", "#6a1b9a", "#00695c", "#37474f",
    ];
    let currency = r
        .scenario
        .as_ref()
        .map(|s| s.currency.clone())
        .unwrap_or_default();
    html! {
        <figure class="heat-map">
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-labelledby={format!("heat-title-{}", team.id.0)} data-testid="heat-map">
                <title id={format!("heat-title-{}", team.id.0)}>{ "Estimates by likelihood (across) and impact (up)" }</title>
                <rect x={pad.to_string()} y={pad.to_string()} width={(w - 2.0 * pad).to_string()} height={(h - 2.0 * pad).to_string()} class="heat-bg" />
                <rect x={((w) / 2.0).to_string()} y={pad.to_string()} width={((w - 2.0 * pad) / 2.0).to_string()} height={((h - 2.0 * pad) / 2.0).to_string()} class="heat-hot" />
                <text x={(w / 2.0).to_string()} y={(h - 10.0).to_string()} text-anchor="middle" class="axis">{ "Chance in a year → 100%" }</text>
                <text x="14" y={(h / 2.0).to_string()} text-anchor="middle" class="axis" transform={format!("rotate(-90 14 {})", h / 2.0)}>
                    { format!("Impact ({currency}, log scale) →") }
                </text>
                <text x={(pad - 4.0).to_string()} y={(h - pad).to_string()} text-anchor="end" class="tick amount">{ super::respond::short_amount(10f64.powf(lo)) }</text>
                <text x={(pad - 4.0).to_string()} y={(pad + 4.0).to_string()} text-anchor="end" class="tick amount">{ super::respond::short_amount(10f64.powf(hi)) }</text>
                { for points.iter().map(|(i, e, agreed)| {
                    let colour = colours[i % colours.len()];
                    if *agreed {
                        html! { <circle cx={x(e).to_string()} cy={y(e).to_string()} r="11" fill="none" stroke={colour} stroke-width="3" /> }
                    } else {
                        html! { <circle cx={x(e).to_string()} cy={y(e).to_string()} r="6" fill={colour} fill-opacity="0.75" /> }
                    }
                }) }
                { for cards.iter().enumerate().filter_map(|(i, c)| {
                    let e = c.consensus.or_else(|| middle(team, c.id))?;
                    Some(html! { <text x={(x(&e) + 12.0).to_string()} y={(y(&e) - 8.0).to_string()} class="label">{ (i + 1).to_string() }</text> })
                }) }
            </svg>
            <figcaption>
                <ol class="legend">
                    { for cards.iter().enumerate().map(|(i, c)| html! {
                        <li class={format!("dot-{}", i % colours.len())}>{ c.title.clone() }</li>
                    }) }
                </ol>
                <span class="hint">{ "Dots are individual estimates; rings are agreed values." }</span>
                <span class="hint scale">{ format!(
                    " Across: the chance in a year, from 0 to 100%. Up: the impact of one event, from {currency} {} to {} (log scale).",
                    group_thousands(10f64.powf(lo)),
                    group_thousands(10f64.powf(hi))
                ) }</span>
            </figcaption>
        </figure>
    }
}
