//! Respond: the team puts responses on its board (from the catalogue or its
//! own, with cost and effect), votes, adopts a strategy within the budget,
//! and sees the board re-simulated by its own beliefs as it changes.

use gloo_timers::callback::Timeout;
use riskroom_core::Command;
use riskroom_core::room::Action;
use riskroom_core::room::{
    BeliefReport, BoardResponse, CustomEffect, Origin, Room, Target, TeamId,
};
use riskroom_core::scenario::{ResponseKind, group_thousands};
use riskroom_core::text::MAX_SHORT_TEXT;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::board::display_name;
use super::comments::Comments;
use crate::hooks::use_room;

/// Years simulated for the live board.
pub const BELIEF_TRIALS: usize = 20_000;

fn kind_name(kind: ResponseKind) -> &'static str {
    match kind {
        ResponseKind::Avoid => "avoid",
        ResponseKind::Reduce => "reduce",
        ResponseKind::Transfer => "transfer",
        ResponseKind::Accept => "accept",
    }
}

fn money(room: &Room, x: f64) -> String {
    let currency = room.scenario.as_ref().map_or("", |s| s.currency.as_str());
    format!("{currency} {}", group_thousands(x))
}

fn response_title(room: &Room, r: &BoardResponse) -> String {
    match &r.origin {
        Origin::Catalogue { response } => room
            .scenario
            .as_ref()
            .and_then(|s| s.response(response))
            .map_or_else(|| response.clone(), |x| x.title.clone()),
        Origin::Custom { title, .. } => title.clone(),
    }
}

#[derive(Properties, PartialEq)]
pub struct RespondProps {
    pub team: TeamId,
}

#[function_component(Respond)]
pub fn respond(props: &RespondProps) -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let Some(team) = r.team(props.team) else {
        return html! {};
    };
    let me = room.state.my_id().filter(|id| team.member(*id).is_some());
    let facilitator = room.state.is_facilitator();
    let open = room.state.may(Action::ProposeResponse);
    let spent = r.adopted_cost(team);
    let standing: Vec<&BoardResponse> = team.responses.iter().filter(|x| !x.withdrawn).collect();
    let my_votes = me.map_or(0, |id| team.votes_of(id));
    let catalogue: Vec<_> = r
        .scenario
        .as_ref()
        .map(|s| s.responses.clone())
        .unwrap_or_default();
    let on_board = |id: &str| {
        standing
            .iter()
            .any(|x| matches!(&x.origin, Origin::Catalogue { response } if response == id))
    };
    let send = |command: Command| {
        let room = room.clone();
        Callback::from(move |_| room.send(command.clone()))
    };
    let over = r.budget_left(team) < 0.0;
    html! {
        <section class="panel respond" aria-labelledby={format!("respond-heading-{}", team.id.0)}>
            <h2 id={format!("respond-heading-{}", team.id.0)}>{ format!("{}: the strategy", team.name) }</h2>
            <div class="budget">
                <p data-testid="budget-used">{ format!("Adopted: {} of {} budget", money(r, spent), money(r, r.budget)) }</p>
                <meter min="0" max={r.budget.max(1.0).to_string()} value={spent.to_string()}
                    high={(r.budget * 0.9).to_string()} aria-label="Budget used" />
                if over { <p class="warning">{ "Over budget: drop a response." }</p> }
                if me.is_some() {
                    <p class="hint">{ format!("You have used {my_votes} of your {} votes.", r.vote_budget) }</p>
                }
            </div>
            <h3>{ "On the board" }</h3>
            if standing.is_empty() {
                <p class="hint">{ "No responses proposed yet." }</p>
            }
            <ul class="card-list">
                { for standing.iter().map(|x| {
                    let votes = team.votes.iter().filter(|v| v.response == x.id).count();
                    let voted = me.is_some_and(|id| team.votes.iter().any(|v| v.voter == id && v.response == x.id));
                    let title = response_title(r, x);
                    let custom = match &x.origin {
                        Origin::Custom { accepted, kind, .. } => Some((accepted.is_some(), *kind)),
                        Origin::Catalogue { .. } => None,
                    };
                    html! {
                        <li class={classes!("response-card", x.adopted.then_some("adopted"))} key={x.id.0} data-testid="board-response">
                            <h4 class="card-title">{ title.clone() }</h4>
                            <p class="card-meta">
                                { format!("{} · proposed by {} · {}", money(r, r.response_cost(&x.origin)), display_name(r, x.proposer), riskroom_core::text::count(votes, "vote", "votes")) }
                                if x.adopted { <span class="badge ok">{ "In the strategy" }</span> }
                                if let Some((accepted, kind)) = custom {
                                    <span class="badge">{ format!("own idea ({})", kind_name(kind)) }</span>
                                    if accepted {
                                        <span class="badge ok">{ "effect accepted" }</span>
                                    } else {
                                        <span class="badge">{ "counts in your beliefs only until the facilitator accepts it" }</span>
                                    }
                                }
                            </p>
                            if me.is_some() && open {
                                <div class="button-row">
                                    <button type="button" class="secondary" aria-pressed={x.adopted.to_string()}
                                        aria-label={if x.adopted { format!("Drop “{title}” from the strategy") } else { format!("Adopt “{title}”") }}
                                        onclick={send(Command::AdoptResponse { response: x.id, adopted: !x.adopted })}>
                                        { if x.adopted { "Drop" } else { "Adopt" } }
                                    </button>
                                    if voted {
                                        <button type="button" class="secondary" aria-label={format!("Take back my vote for “{title}”")} onclick={send(Command::Unvote { response: x.id })}>{ "Take back my vote" }</button>
                                    } else {
                                        <button type="button" class="secondary" aria-label={format!("Vote for “{title}”")} onclick={send(Command::Vote { response: x.id })}>{ "Vote" }</button>
                                    }
                                    if me.is_some_and(|me| x.withdrawable_by(me)) {
                                        <button type="button" class="link-button" aria-label={format!("Withdraw “{title}”")} onclick={send(Command::WithdrawResponse { response: x.id })}>{ "Withdraw" }</button>
                                    }
                                </div>
                            }
                            <Comments team={team.id} on={Target::Response(x.id)} about={title.clone()} />
                            if facilitator && custom.is_some_and(|(accepted, _)| !accepted) {
                                <button type="button" class="secondary" onclick={
                                    let room = room.clone();
                                    let effects = r.proposed_effects(team, x);
                                    let (team, response) = (team.id, x.id);
                                    Callback::from(move |_| room.send(Command::AcceptCustomResponse { team, response, effects: effects.clone() }))
                                }>{ format!("Accept the effect of “{title}” as proposed") }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
            <BeliefPicture team={team.id} yours={me.is_some()} />
            if me.is_some() && open {
                <h3>{ "Catalogue" }</h3>
                <ul class="card-list">
                    { for catalogue.iter().map(|c| html! {
                        <li class="response-card" key={c.id.clone()} data-testid="catalogue-response">
                            <h4 class="card-title">{ c.title.clone() }</h4>
                            <p class="card-meta">{ format!("{} · {}", kind_name(c.kind), money(r, c.total_cost())) }</p>
                            <p class="card-text">{ c.description.clone() }</p>
                            if on_board(&c.id) {
                                <span class="badge">{ "On the board" }</span>
                            } else {
                                <button type="button" class="secondary" aria-label={format!("Propose “{}”", c.title)}
                                    onclick={send(Command::ProposeResponse { response: c.id.clone() })}>
                                    { "Propose" }
                                </button>
                            }
                        </li>
                    }) }
                </ul>
                <CustomResponseForm team={team.id} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CustomResponseFormProps {
    team: TeamId,
}

/// The team's own idea: a title, a kind, a cost and what it does to one risk.
#[function_component(CustomResponseForm)]
fn custom_response_form(props: &CustomResponseFormProps) -> Html {
    let room = use_room();
    let title = use_state(String::new);
    let kind = use_state(|| "reduce".to_owned());
    let cost = use_state(String::new);
    let card = use_state(String::new);
    let chance_cut = use_state(|| "0".to_owned());
    let impact_cut = use_state(|| "0".to_owned());
    let cards: Vec<(u32, String)> = room
        .state
        .room
        .as_ref()
        .and_then(|r| r.team(props.team))
        .map(|t| {
            t.cards
                .iter()
                .filter(|c| c.live())
                .map(|c| (c.id.0, c.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    let submit = {
        let (title, kind, cost, card, chance_cut, impact_cut) = (
            title.clone(),
            kind.clone(),
            cost.clone(),
            card.clone(),
            chance_cut.clone(),
            impact_cut.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let number = |s: &str| s.trim().replace([',', ' '], "").parse::<f64>().ok();
            let (Some(cost_value), Some(pc), Some(ic)) =
                (number(&cost), number(&chance_cut), number(&impact_cut))
            else {
                room.notice("Give the cost and both cuts as numbers.".into());
                return;
            };
            let effects = match card.parse::<u32>() {
                Ok(id) => vec![CustomEffect {
                    card: riskroom_core::room::CardId(id),
                    probability: 1.0 - pc / 100.0,
                    impact: 1.0 - ic / 100.0,
                }],
                Err(_) => Vec::new(),
            };
            let kind = match kind.as_str() {
                "avoid" => ResponseKind::Avoid,
                "transfer" => ResponseKind::Transfer,
                "accept" => ResponseKind::Accept,
                _ => ResponseKind::Reduce,
            };
            room.send(Command::ProposeCustomResponse {
                title: (*title).clone(),
                kind,
                cost: cost_value,
                effects,
            });
            title.set(String::new());
            cost.set(String::new());
        })
    };
    let field = |state: &UseStateHandle<String>| {
        let state = state.clone();
        move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let pick = |state: &UseStateHandle<String>| {
        let state = state.clone();
        move |e: Event| state.set(e.target_unchecked_into::<HtmlSelectElement>().value())
    };
    html! {
        <form class="custom-response" onsubmit={submit}>
            <fieldset>
                <legend>{ "Your own response" }</legend>
                <div class="inline-fields">
                    <div>
                        <label for="custom-title">{ "What you would do" }</label>
                        <input id="custom-title" maxlength={MAX_SHORT_TEXT.to_string()} required=true value={(*title).clone()} oninput={field(&title)} />
                    </div>
                    <div>
                        <label for="custom-kind">{ "Kind" }</label>
                        <select id="custom-kind" onchange={pick(&kind)}>
                            { for ["reduce", "transfer", "avoid", "accept"].iter().map(|k| html! {
                                <option value={*k} selected={*kind == *k}>{ *k }</option>
                            }) }
                        </select>
                    </div>
                    <div>
                        <label for="custom-cost">{ "Cost for the year" }</label>
                        <input id="custom-cost" inputmode="decimal" required=true value={(*cost).clone()} oninput={field(&cost)} />
                    </div>
                    <div>
                        <label for="custom-card">{ "Risk it works on" }</label>
                        <select id="custom-card" onchange={pick(&card)}>
                            <option value="" selected={card.is_empty()}>{ "None in particular" }</option>
                            { for cards.iter().map(|(id, t)| html! {
                                <option value={id.to_string()} selected={*card == id.to_string()}>{ t.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <div>
                        <label for="custom-chance">{ "Cuts its chance by (%)" }</label>
                        <input id="custom-chance" inputmode="decimal" value={(*chance_cut).clone()} oninput={field(&chance_cut)} />
                    </div>
                    <div>
                        <label for="custom-impact">{ "Cuts its loss by (%)" }</label>
                        <input id="custom-impact" inputmode="decimal" value={(*impact_cut).clone()} oninput={field(&impact_cut)} />
                    </div>
                </div>
                <button type="submit" class="secondary">{ "Propose our response" }</button>
            </fieldset>
        </form>
    }
}

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
    let report = use_state(|| None::<BeliefReport>);
    let pending = use_mut_ref(|| None::<Timeout>);
    let r = room.state.room.clone();
    // What the simulation depends on: the cards, the responses, the room.
    let key = r.as_ref().and_then(|r| {
        let team = r.team(props.team)?;
        Some(
            serde_json::to_string(&(
                &team.cards,
                &team.responses,
                &r.scenario.as_ref().map(|s| &s.id),
            ))
            .unwrap_or_default(),
        )
    });
    {
        let report = report.clone();
        let team = props.team;
        use_effect_with(key, move |key| {
            if key.is_some() {
                // After the page has painted: the simulation takes a few
                // milliseconds and must not hold up typing.
                *pending.borrow_mut() = Some(Timeout::new(30, move || {
                    if let Some(room) = r.as_ref()
                        && let Some(t) = room.team(team)
                    {
                        let appetite = room.scenario.as_ref().map_or(0.0, |s| s.appetite.p90_limit);
                        report.set(Some(room.belief_report(t, BELIEF_TRIALS, appetite)));
                    }
                }));
            }
        });
    }
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
                        <td>{ money(room_now, report.none.mean) }</td>
                        <td data-testid="belief-mean">{ money(room_now, report.adopted.mean) }</td></tr>
                    <tr><th scope="row">{ "1 year in 10 is worse than (P90)" }</th>
                        <td>{ money(room_now, report.none.percentiles.p90) }</td>
                        <td>{ money(room_now, report.adopted.percentiles.p90) }</td></tr>
                    <tr><th scope="row">{ format!("Within the appetite (P90 at most {})?", money(room_now, appetite)) }</th>
                        <td>{ appetite_verdict(&report.none, |x| money(room_now, x)) }</td>
                        <td data-testid="belief-appetite">{ appetite_verdict(&report.adopted, |x| money(room_now, x)) }</td></tr>
                    <tr><th scope="row">{ format!("Chance of a year above the appetite ({})", money(room_now, appetite)) }</th>
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
                                    <td>{ money(room_now, v.cost) }</td>
                                    <td>{ money(room_now, v.benefit) }</td>
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
struct ExceedanceProps {
    report: BeliefReport,
    yours: bool,
}

/// The loss-exceedance curves, without and with the strategy, against the
/// appetite. Losses run across on a log scale over the three decades below
/// the largest amount shown, as a year's loss spreads over orders of
/// magnitude and the appetite often sits far out in the tail.
#[function_component(ExceedanceChart)]
fn exceedance_chart(props: &ExceedanceProps) -> Html {
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
                            <text x={gx.to_string()} y={(h - pad + 20.0).to_string()} text-anchor="middle" class="tick amount">{ short_amount(*x) }</text>
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
        </figure>
    }
}

/// Whether a simulated year stays within the appetite, in words: "Yes" or
/// "No: P90 EUR 400,000 over".
pub(crate) fn appetite_verdict(
    summary: &riskroom_core::sim::Summary,
    money: impl Fn(f64) -> String,
) -> String {
    if summary.within_appetite() {
        "Yes".to_owned()
    } else {
        format!(
            "No: P90 {} over",
            money(summary.percentiles.p90 - summary.appetite)
        )
    }
}

/// An amount as a chart label: 1k, 10k, 1M, 10M.
pub(crate) fn short_amount(x: f64) -> String {
    if x >= 1e9 {
        format!("{:.0}bn", x / 1e9)
    } else if x >= 1e6 {
        format!("{:.0}M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.0}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}
