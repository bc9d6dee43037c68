//! Calibration as a picture: each estimate's 90% range drawn beside the
//! true range and typical loss on one log scale of loss, a mark saying
//! whether it held the truth, the chances given beside the true ones and
//! the played year — and the score's sentences folded under it. The
//! numbers (and whether a range held) come from the core's
//! `calibration_picture`; this file only places them.

use std::rc::Rc;

use riskroom_core::scenario::group_thousands;
use riskroom_core::score::{CalibrationPicture, Explained, RangeCheck};
use yew::prelude::*;

use super::scores::how_list;
use crate::format::{short_amount, whole};

/// Width of the picture's view box: about a phone's width in CSS pixels,
/// so its 17-unit text reads at 14 px or more on a 360 px phone (the
/// debrief leaves the picture some 286 px there, 271 beside a scrollbar).
pub const WIDTH: f64 = 320.0;
/// The loss axis runs between these two x positions.
pub const AXIS: (f64, f64) = (24.0, 296.0);
/// Height of one risk's row: its line of text, then its bars.
const ROW: f64 = 60.0;
/// Space above the first row.
const TOP: f64 = 6.0;
/// Below the rows: the axis, its amounts and its title.
const FOOT: f64 = 58.0;
/// Narrowest bar drawn, so a range of one amount still shows.
const MIN_BAR: f64 = 3.0;
/// Closest two labelled amounts on the axis may sit.
const TICK_GAP: f64 = 52.0;
/// Characters of a card's title the row has room for.
const TITLE_CHARS: usize = 21;

/// Where one risk's row is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct RowGeometry {
    /// Top of the row.
    pub y: f64,
    /// Left and right ends of the range given.
    pub yours: (f64, f64),
    /// Left and right ends of the true 90% range.
    pub truth: (f64, f64),
    /// Where the true typical loss sits.
    pub median: f64,
}

/// The whole picture's layout: size, axis, amounts marked on it, rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub height: f64,
    /// Powers of ten across the axis: (x, amount, labelled).
    pub ticks: Vec<(f64, f64, bool)>,
    pub rows: Vec<RowGeometry>,
    /// The axis's first and last amounts.
    pub from: f64,
    pub to: f64,
}

impl Geometry {
    /// Where the axis line is drawn.
    pub fn axis_y(&self) -> f64 {
        self.height - FOOT + 4.0
    }
}

/// Lays out the picture: a log scale from the power of ten at or below
/// the smallest amount shown to the one at or above the largest, so every
/// bar and marker falls on the axis.
pub fn geometry(picture: &CalibrationPicture) -> Geometry {
    let (small, large) = picture.span().unwrap_or((1.0, 10.0));
    let lo = small.max(1.0).log10().floor();
    let hi = large.max(1.0).log10().ceil().max(lo + 1.0);
    let x = |amount: f64| {
        let at = (amount.max(1.0).log10() - lo) / (hi - lo);
        AXIS.0 + at.clamp(0.0, 1.0) * (AXIS.1 - AXIS.0)
    };
    // A bar at least MIN_BAR wide, kept on the axis.
    let bar = |low: f64, high: f64| {
        let (a, b) = (x(low.min(high)), x(high.max(low)));
        if b - a >= MIN_BAR {
            return (a, b);
        }
        let start = ((a + b - MIN_BAR) / 2.0).clamp(AXIS.0, AXIS.1 - MIN_BAR);
        (start, start + MIN_BAR)
    };
    let decades = (hi - lo) as usize;
    let step = (TICK_GAP * decades as f64 / (AXIS.1 - AXIS.0))
        .ceil()
        .max(1.0) as usize;
    let ticks = (0..=decades)
        .map(|k| {
            let amount = 10f64.powf(lo + k as f64);
            (x(amount), amount, k % step == 0)
        })
        .collect();
    let rows = picture
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| RowGeometry {
            y: TOP + ROW * i as f64,
            yours: bar(r.low, r.high),
            truth: bar(r.true_low, r.true_high),
            median: x(r.true_median),
        })
        .collect();
    Geometry {
        height: TOP + ROW * picture.rows.len() as f64 + FOOT,
        ticks,
        rows,
        from: 10f64.powf(lo),
        to: 10f64.powf(hi),
    }
}

/// A card's title cut to the room its row has.
fn fit(title: &str) -> String {
    if title.chars().count() <= TITLE_CHARS {
        title.to_owned()
    } else {
        let cut: String = title.chars().take(TITLE_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// The mark of a row, in words: never colour alone.
fn mark(held: bool) -> &'static str {
    if held { "✓ held" } else { "✗ missed" }
}

fn struck_text(times: u32) -> String {
    match times {
        0 => "Did not strike".to_owned(),
        1 => "Struck".to_owned(),
        2 => "Struck twice".to_owned(),
        n => format!("Struck {n} times"),
    }
}

#[derive(Properties, PartialEq)]
pub struct CalibrationChartProps {
    pub picture: Rc<CalibrationPicture>,
    /// Whose estimates: "Your", or a name's possessive ("Ada's").
    pub whose: AttrValue,
    /// A heading naming the person, where the page shows several.
    #[prop_or_default]
    pub heading: Option<AttrValue>,
    pub currency: AttrValue,
    /// The calibration score and its sentences, folded under the picture.
    #[prop_or_default]
    pub score: Option<Explained>,
}

/// One learner's calibration: the headline, the ranges against the truth
/// (picture first, the same as a table after), the chances against what
/// happened, and how the score was reached.
#[function_component(CalibrationChart)]
pub fn calibration_chart(props: &CalibrationChartProps) -> Html {
    let picture = &props.picture;
    let currency = props.currency.as_str();
    let n = picture.rows.len();
    let heading = props
        .heading
        .as_ref()
        .map(|h| html! { <h4>{ h.to_string() }</h4> });
    let how = props.score.as_ref().map(|score| {
        html! {
            <details class="calibration-how" data-testid="calibration-how">
                <summary>{ "How this was scored" }</summary>
                <p class="calibration-score">{ match score.score {
                    Some(_) => format!("Calibration score: {} out of 100.", whole(score.score)),
                    None => "Calibration score: not given yet.".to_owned(),
                } }</p>
                { how_list(&score.how) }
            </details>
        }
    });
    if n == 0 {
        return html! {
            <article class="calibration" data-testid="calibration">
                { heading }
                <p class="hint" data-testid="calibration-headline">{ picture.headline(&props.whose) }</p>
                { how }
            </article>
        };
    }
    let g = geometry(picture);
    let held = picture.held();
    let label = format!(
        "{} 90% ranges of one event's loss beside the truth, on a log scale: {held} of {n} held the true typical loss.",
        props.whose
    );
    let axis_y = g.axis_y();
    // One level below the person's heading, or below the section's.
    let chances_heading = if props.heading.is_some() {
        html! { <h5>{ "Chances against what happened" }</h5> }
    } else {
        html! { <h4>{ "Chances against what happened" }</h4> }
    };
    html! {
        <article class="calibration" data-testid="calibration">
            { heading }
            <p class="calibration-headline" data-testid="calibration-headline">{ picture.headline(&props.whose) }</p>
            <figure class="calibration-figure">
                <svg viewBox={format!("0 0 {WIDTH} {}", g.height)} role="img" aria-label={label} data-testid="calibration-picture">
                    { for g.ticks.iter().map(|(x, _, _)| html! {
                        <line x1={x.to_string()} y1={TOP.to_string()} x2={x.to_string()} y2={axis_y.to_string()} class="grid-line" />
                    }) }
                    { for picture.rows.iter().zip(&g.rows).map(|(r, at)| range_row(r, at)) }
                    <line x1={AXIS.0.to_string()} y1={axis_y.to_string()} x2={AXIS.1.to_string()} y2={axis_y.to_string()} class="axis-line" data-testid="calibration-axis" />
                    { for g.ticks.iter().filter(|t| t.2).map(|(x, amount, _)| html! {
                        <text x={x.to_string()} y={(axis_y + 22.0).to_string()} text-anchor="middle" class="tick">{ short_amount(*amount) }</text>
                    }) }
                    <text x={(WIDTH / 2.0).to_string()} y={(axis_y + 46.0).to_string()} text-anchor="middle" class="axis">{ "Loss of one event, log scale" }</text>
                </svg>
                <figcaption class="hint">{ format!(
                    "Solid bar: the 90% range given. Pale dashed band: the true 90% range of one event's loss; diamond: the true typical loss (its median). A range held the truth when it reaches the diamond. Across: one event's loss in {currency}, from {} to {}, each grid line ten times the one before.",
                    group_thousands(g.from),
                    group_thousands(g.to)
                ) }</figcaption>
                <details class="chart-table">
                    <summary>{ "The ranges as a table" }</summary>
                    <table class="debrief-table range-table" data-testid="calibration-table">
                        <thead><tr>
                            <th scope="col">{ "Risk" }</th>
                            <th scope="col" class="num">{ "Range given" }</th>
                            <th scope="col" class="num">{ "True 90% range" }</th>
                            <th scope="col" class="num">{ "True typical loss" }</th>
                            <th scope="col">{ "Result" }</th>
                        </tr></thead>
                        <tbody>
                            { for picture.rows.iter().map(|r| html! {
                                <tr>
                                    <th scope="row">{ r.card.clone() }</th>
                                    <td class="num" data-label="Range given">{ format!("{}–{}", group_thousands(r.low), group_thousands(r.high)) }</td>
                                    <td class="num" data-label="True 90% range">{ format!("{}–{}", group_thousands(r.true_low), group_thousands(r.true_high)) }</td>
                                    <td class="num" data-label="True typical loss">{ group_thousands(r.true_median) }</td>
                                    <td data-label="Result">{ if r.held { "Held the truth" } else { "Missed the truth" } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </details>
            </figure>
            { chances_heading }
            <p data-testid="chances-sentence">{ picture.chances_sentence() }</p>
            <table class="debrief-table chance-table" data-testid="chance-table">
                <thead><tr>
                    <th scope="col">{ "Risk" }</th>
                    <th scope="col" class="num">{ "Chance given" }</th>
                    <th scope="col" class="num">{ "True chance" }</th>
                    <th scope="col">{ "Played year" }</th>
                </tr></thead>
                <tbody>
                    { for picture.rows.iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ r.card.clone() }</th>
                            <td class="num" data-label="Chance given">{ pct(r.chance) }</td>
                            <td class="num" data-label="True chance">
                                { pct(r.true_chance) }
                                if r.changed { <span class="changed">{ " as it was then" }</span> }
                            </td>
                            <td data-label="Played year">{ struck_text(r.struck) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            { how }
        </article>
    }
}

/// One risk's row: its mark and title, the true band and typical loss,
/// and the range given over them.
fn range_row(r: &RangeCheck, at: &RowGeometry) -> Html {
    let bar_y = at.y + 36.0;
    let (m, d) = (at.median, 8.0);
    html! {
        <g class={classes!("range-row", if r.held { "held" } else { "missed" })}>
            <text x="4" y={(at.y + 18.0).to_string()} class={classes!("held-mark", if r.held { "held" } else { "missed" })}>{ mark(r.held) }</text>
            <text x="104" y={(at.y + 18.0).to_string()} class="range-title">{ fit(&r.card) }</text>
            <rect x={at.truth.0.to_string()} y={(bar_y - 11.0).to_string()} width={(at.truth.1 - at.truth.0).to_string()} height="22" class="true-range" />
            <rect x={at.yours.0.to_string()} y={(bar_y - 5.0).to_string()} width={(at.yours.1 - at.yours.0).to_string()} height="10" class="your-range" />
            <path d={format!("M{m:.1} {:.1}l{d} {d}l-{d} {d}l-{d} -{d}z", bar_y - d)} class="true-median" />
        </g>
    }
}
