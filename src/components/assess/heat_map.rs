//! The likelihood × impact map of a team's revealed estimates: each
//! card's spread, so the team sees where it disagrees before agreeing.

use riskroom_core::room::{Card, Estimate};
use riskroom_core::scenario::group_thousands;
use yew::prelude::*;

use super::middle;
use crate::components::TeamProps;
use crate::hooks::use_room;

/// The revealed estimates on a likelihood × impact map: one dot per
/// estimate, a ring for the agreed value, numbered by card.
#[function_component(HeatMap)]
pub fn heat_map(props: &TeamProps) -> Html {
    let room = use_room();
    let Some((r, team)) = room.state.team(props.team) else {
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
                <text x={(pad - 4.0).to_string()} y={(h - pad).to_string()} text-anchor="end" class="tick amount">{ crate::format::short_amount(10f64.powf(lo)) }</text>
                <text x={(pad - 4.0).to_string()} y={(pad + 4.0).to_string()} text-anchor="end" class="tick amount">{ crate::format::short_amount(10f64.powf(hi)) }</text>
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
