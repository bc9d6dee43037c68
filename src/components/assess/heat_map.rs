//! The likelihood × impact map of a team's revealed estimates: each
//! card's spread, so the team sees where it disagrees before agreeing.

use riskroom_core::room::{Card, Estimate};
use riskroom_core::scenario::group_thousands;
use yew::prelude::*;

use super::middle;
use crate::components::TeamProps;
use crate::hooks::use_room;

/// Height of a card number's label on the map (its font is 26 units,
/// on every screen).
pub const LABEL_HEIGHT: f64 = 28.0;
/// Width of one character of a label.
const CHAR_WIDTH: f64 = 16.0;

/// A label on the map: its text and top-left corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub text: String,
    pub x: f64,
    pub y: f64,
}

impl Label {
    pub fn width(&self) -> f64 {
        CHAR_WIDTH * self.text.chars().count() as f64
    }

    /// Whether the two boxes share any area.
    pub fn overlaps(&self, other: &Label) -> bool {
        self.x < other.x + other.width()
            && other.x < self.x + self.width()
            && self.y < other.y + LABEL_HEIGHT
            && other.y < self.y + LABEL_HEIGHT
    }
}

/// Labels for numbered points (`(number, x, y)`) on a map of `size` that
/// never overlap: each label tries spots around its point; when none is
/// free it joins the nearest label ("1, 3"), and the placing starts again
/// with fewer labels, so it ends with every number written once.
pub fn place_labels(points: &[(usize, f64, f64)], size: (f64, f64)) -> Vec<Label> {
    // Groups of numbers with the point their label sits by.
    let mut groups: Vec<(Vec<usize>, f64, f64)> =
        points.iter().map(|&(n, x, y)| (vec![n], x, y)).collect();
    loop {
        let mut placed: Vec<Label> = Vec::new();
        let mut stuck = None;
        for (i, (numbers, x, y)) in groups.iter().enumerate() {
            let text = numbers
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let width = CHAR_WIDTH * text.chars().count() as f64;
            let spots = [
                (x + 10.0, y - LABEL_HEIGHT - 2.0),
                (x + 10.0, y + 2.0),
                (x - 10.0 - width, y - LABEL_HEIGHT - 2.0),
                (x - 10.0 - width, y + 2.0),
                (x - width / 2.0, y - LABEL_HEIGHT - 10.0),
                (x - width / 2.0, y + 10.0),
            ];
            let free = spots.iter().find_map(|&(lx, ly)| {
                let label = Label {
                    text: text.clone(),
                    x: lx.clamp(0.0, (size.0 - width).max(0.0)),
                    y: ly.clamp(0.0, size.1 - LABEL_HEIGHT),
                };
                (!placed.iter().any(|p| p.overlaps(&label))).then_some(label)
            });
            match free {
                Some(label) => placed.push(label),
                None => {
                    stuck = Some(i);
                    break;
                }
            }
        }
        let Some(i) = stuck else {
            return placed;
        };
        // Join the stuck group to the nearest group placed before it.
        let (x, y) = (groups[i].1, groups[i].2);
        let nearest = (0..i)
            .min_by(|&a, &b| {
                let d = |g: usize| (groups[g].1 - x).powi(2) + (groups[g].2 - y).powi(2);
                d(a).total_cmp(&d(b))
            })
            .unwrap_or(0);
        let (numbers, _, _) = groups.remove(i);
        let target = if nearest < i { nearest } else { 0 };
        groups[target].0.extend(numbers);
        groups[target].0.sort_unstable();
    }
}

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
                { for place_labels(
                    &cards.iter().enumerate().filter_map(|(i, c)| {
                        let e = c.consensus.or_else(|| middle(team, c.id))?;
                        Some((i + 1, x(&e), y(&e)))
                    }).collect::<Vec<_>>(),
                    (w, h),
                ).into_iter().map(|l| html! {
                    <text x={l.x.to_string()} y={(l.y + LABEL_HEIGHT - 3.0).to_string()} class="label">{ l.text }</text>
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
