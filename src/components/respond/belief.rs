//! The live board re-simulated by the team's own beliefs after each
//! change: expected annual loss, P90, the loss-exceedance curve against
//! the appetite, and each response's return on cost.

use std::rc::Rc;

use riskroom_core::room::{BeliefReport, TeamId};
use riskroom_core::scenario::group_thousands;
use yew::prelude::*;

use super::response_title;
use crate::format::room_money;
use crate::hooks::{use_belief, use_room};

#[derive(Properties, PartialEq)]
pub struct BeliefPictureProps {
    pub team: TeamId,
    /// Shown to a learner of the team ("your board"), not the console or
    /// the room view ("the team's board").
    #[prop_or_default]
    pub yours: bool,
}

/// The board re-simulated by the team's own beliefs whenever it changes.
#[function_component(BeliefPicture)]
pub fn belief_picture(props: &BeliefPictureProps) -> Html {
    let room = use_room();
    let report = use_belief(props.team);
    let Some(room_now) = room.state.room.as_ref() else {
        return html! {};
    };
    let Some(report) = report.as_ref() else {
        return html! { <p class="hint">{ "Simulating your board…" }</p> };
    };
    let team = room_now.team(props.team);
    let appetite = report.none.appetite;
    html! {
        <div class="belief" data-testid="belief">
            <h3>{ if props.yours { "Your board, simulated by your own estimates" } else { "The team's board, simulated by its own estimates" } }</h3>
            if report.unagreed > 0 {
                <p class="hint">{ if report.unagreed == 1 {
                    "1 risk has no agreed value yet and is left out.".to_owned()
                } else {
                    format!("{} risks have no agreed value yet and are left out.", report.unagreed)
                } }</p>
            }
            <table class="summary-table">
                <thead><tr><td></td><th scope="col">{ "No responses" }</th><th scope="col">{ if props.yours { "Your strategy" } else { "The team's strategy" } }</th></tr></thead>
                <tbody>
                    <tr><th scope="row">{ "Expected annual loss" }</th>
                        <td>{ room_money(room_now, report.none.mean) }</td>
                        <td data-testid="belief-mean">{ room_money(room_now, report.adopted.mean) }</td></tr>
                    <tr><th scope="row">{ "1 year in 10 is worse than (P90)" }</th>
                        <td>{ room_money(room_now, report.none.percentiles.p90) }</td>
                        <td>{ room_money(room_now, report.adopted.percentiles.p90) }</td></tr>
                    <tr><th scope="row">{ format!("Within the appetite (P90 at most {})?", room_money(room_now, appetite)) }</th>
                        <td>{ crate::format::appetite_verdict(&report.none, |x| room_money(room_now, x)) }</td>
                        <td data-testid="belief-appetite">{ crate::format::appetite_verdict(&report.adopted, |x| room_money(room_now, x)) }</td></tr>
                    <tr><th scope="row">{ format!("Chance of a year above the appetite ({})", room_money(room_now, appetite)) }</th>
                        <td>{ format!("{:.0}%", 100.0 * report.none.p_exceed_appetite) }</td>
                        <td>{ format!("{:.0}%", 100.0 * report.adopted.p_exceed_appetite) }</td></tr>
                </tbody>
            </table>
            <ExceedanceChart report={report.clone()} yours={props.yours} />
            if !report.responses.is_empty() {
                <table class="summary-table">
                    <thead><tr>
                        <th scope="col">{ "Response" }</th><th scope="col">{ "Cost" }</th>
                        <th scope="col">{ "Expected loss it removes" }</th><th scope="col">{ "Return on cost" }</th>
                    </tr></thead>
                    <tbody>
                        { for report.responses.iter().map(|v| {
                            let title = team.and_then(|t| t.response(v.response)).map(|x| response_title(room_now, x)).unwrap_or_default();
                            html! {
                                <tr>
                                    <th scope="row">{ title }</th>
                                    <td>{ room_money(room_now, v.cost) }</td>
                                    <td>{ room_money(room_now, v.benefit) }</td>
                                    <td>{ v.return_on_cost.map_or("free".into(), |x| format!("{x:.1}×")) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct ExceedanceProps {
    report: Rc<BeliefReport>,
    yours: bool,
}

/// The loss-exceedance curves, without and with the strategy, against the
/// appetite. Losses run across on a log scale over the three decades below
/// the largest amount shown, as a year's loss spreads over orders of
/// magnitude and the appetite often sits far out in the tail.
#[function_component(ExceedanceChart)]
pub(super) fn exceedance_chart(props: &ExceedanceProps) -> Html {
    let (w, h, pad) = (560.0, 260.0, 44.0);
    let curves = [&props.report.none, &props.report.adopted];
    let top = curves
        .iter()
        .flat_map(|s| s.exceedance.iter().map(|(x, _)| *x))
        .fold(props.report.none.appetite, f64::max)
        .max(10.0);
    let decades = top.log10();
    let low = 10f64.powf((decades.floor() - 3.0).max(0.0));
    let span = decades - low.log10();
    let px = |x: f64| {
        let at = if x <= low {
            0.0
        } else {
            (x.log10() - low.log10()) / span
        };
        pad + at.clamp(0.0, 1.0) * (w - 2.0 * pad)
    };
    let py = |p: f64| h - pad - p.clamp(0.0, 1.0) * (h - 2.0 * pad);
    let path = |s: &riskroom_core::sim::Summary| {
        s.exceedance
            .iter()
            .enumerate()
            .map(|(i, (x, p))| {
                format!(
                    "{}{:.1},{:.1}",
                    if i == 0 { "M" } else { "L" },
                    px(*x),
                    py(*p)
                )
            })
            .collect::<String>()
    };
    // A grid line and label at each power of ten.
    let grid: Vec<f64> = std::iter::successors(Some(low), |x| Some(x * 10.0))
        .take_while(|x| *x <= top * 1.0001)
        .collect();
    let a = px(props.report.none.appetite);
    html! {
        <figure class="lec">
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-label={format!("Loss-exceedance curves: chance that a year's loss is above each amount, without responses (dashed) and with {} strategy (solid), and the risk appetite (vertical line)", if props.yours { "your" } else { "the team's" })}>
                { for grid.iter().map(|x| {
                    let gx = px(*x);
                    html! {
                        <>
                            <line x1={gx.to_string()} y1={pad.to_string()} x2={gx.to_string()} y2={(h - pad).to_string()} class="grid-line" />
                            <text x={gx.to_string()} y={(h - pad + 20.0).to_string()} text-anchor="middle" class="tick amount">{ crate::format::short_amount(*x) }</text>
                        </>
                    }
                }) }
                <line x1={pad.to_string()} y1={(h - pad).to_string()} x2={(w - pad).to_string()} y2={(h - pad).to_string()} class="axis-line" />
                <line x1={pad.to_string()} y1={pad.to_string()} x2={pad.to_string()} y2={(h - pad).to_string()} class="axis-line" />
                <line x1={a.to_string()} y1={pad.to_string()} x2={a.to_string()} y2={(h - pad).to_string()} class="appetite-line" />
                <text x={(a - 4.0).to_string()} y={(pad + 12.0).to_string()} text-anchor="end" class="tick">{ "appetite" }</text>
                <path d={path(&props.report.none)} class="curve none" />
                <path d={path(&props.report.adopted)} class="curve with" />
                <text x={(w / 2.0).to_string()} y={(h - 6.0).to_string()} text-anchor="middle" class="axis">{ "Annual loss (log scale)" }</text>
                <text x={(pad - 6.0).to_string()} y={(pad + 4.0).to_string()} text-anchor="end" class="tick">{ "100%" }</text>
                <text x={(pad - 6.0).to_string()} y={(h - pad).to_string()} text-anchor="end" class="tick">{ "0%" }</text>
            </svg>
            <figcaption class="hint">{ format!(
                "Chance that a year's loss is above each amount: dashed without responses, solid with {} strategy, the red line the risk appetite ({}). Across: the year's loss from {} to {}, each grid line ten times the one before; up: the chance, from 0 to 100%.",
                if props.yours { "your" } else { "the team's" },
                group_thousands(props.report.none.appetite),
                group_thousands(low),
                group_thousands(top)
            ) }</figcaption>
            <details class="chart-table">
                <summary>{ "The curves as a table" }</summary>
                <table class="summary-table" data-testid="lec-table">
                    <thead><tr>
                        <th scope="col">{ "A year's loss above" }</th>
                        <th scope="col">{ "Without responses" }</th>
                        <th scope="col">{ if props.yours { "With your strategy" } else { "With the team's strategy" } }</th>
                    </tr></thead>
                    <tbody>
                        { for grid.iter().copied().chain(std::iter::once(props.report.none.appetite)).map(|x| html! {
                            <tr>
                                <th scope="row">{ if x == props.report.none.appetite { format!("{} (the appetite)", group_thousands(x)) } else { group_thousands(x) } }</th>
                                <td>{ format!("{:.0}%", 100.0 * exceeds(&props.report.none, x)) }</td>
                                <td>{ format!("{:.0}%", 100.0 * exceeds(&props.report.adopted, x)) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// The chance a year's loss is above `x`, read off the curve's points (the
/// first point at or past `x`; none past it: 0).
fn exceeds(summary: &riskroom_core::sim::Summary, x: f64) -> f64 {
    summary
        .exceedance
        .iter()
        .find(|(at, _)| *at >= x)
        .map_or(0.0, |(_, p)| *p)
}
