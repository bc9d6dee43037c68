//! Play the year: the team's realised year under the scenario's truth,
//! revealed event by event by the facilitator to the whole room (the room's
//! `year_shown`), so no screen is ahead of the wall; the numbers are the
//! same on every device because the year is drawn from the room's seed by
//! the core.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use riskroom_core::Command;
use riskroom_core::debrief::{DEBRIEF_TRIALS, team_year};
use riskroom_core::room::{Action, RoleModelBacking, label_title};
use riskroom_core::scenario::{Phase, Scenario, group_thousands};
use riskroom_core::sim::Year;
use yew::prelude::*;

use crate::components::TeamProps;
use crate::components::respond::backing_badge;
use crate::format::{day_label, money};
use crate::hooks::use_room;

/// Time between two events while playing the whole year.
const STEP_MS: u32 = 1_200;

/// The team's played year as this page's copy of the room draws it (None
/// until the truth is visible); drawn again only when the room changes.
#[hook]
pub fn use_team_year(team: riskroom_core::room::TeamId) -> Rc<Option<Year>> {
    let room = use_room();
    // The year only changes when the room does (an inject, a change of
    // strategy, the truth becoming visible).
    // A fresh view of the same moment can bring the truth: its size counts.
    let key = room.state.room.as_ref().map(|r| {
        (
            r.seq,
            r.scenario.as_ref().map_or(0, |s| s.risks.len()),
            r.code.clone(),
        )
    });
    use_memo((team, key), move |(team, _)| {
        room.state
            .room
            .as_ref()
            .and_then(|r| r.team(*team).and_then(|t| team_year(r, t)))
    })
}

#[function_component(YearReveal)]
pub fn year_reveal(props: &TeamProps) -> Html {
    let room = use_room();
    let state = &room.state;
    let playing = use_state(|| false);

    let year = use_team_year(props.team);
    let total = (*year).as_ref().map_or(0, |y| y.events.len());
    // The facilitator reveals the year to the whole room; in the debrief it
    // is all there.
    let shown = state.room.as_ref().map_or(0, |r| {
        if r.phase == Phase::Debrief {
            total
        } else {
            (r.year_shown as usize).min(total)
        }
    });
    let steers = state.may(Action::RevealYear);
    let reveal = {
        let room = room.clone();
        move |n: usize| room.send(Command::RevealYear { shown: n as u32 })
    };

    // Playing (on the console): the next event every STEP_MS, each once the
    // room has folded the last; stops at the end or when asked.
    {
        let reveal = reveal.clone();
        let playing = playing.clone();
        use_effect_with(
            (*playing, shown, total),
            move |&(is_playing, shown, total)| {
                let step = (is_playing && shown < total)
                    .then(|| Timeout::new(STEP_MS, move || reveal(shown + 1)));
                if is_playing && shown >= total {
                    playing.set(false);
                }
                move || drop(step)
            },
        );
    }

    let heading_id = format!("year-heading-{}", props.team.0);
    let team_name = state
        .room
        .as_ref()
        .and_then(|r| r.team(props.team))
        .map(|t| t.name.clone());
    let scenario = state.room.as_ref().and_then(|r| r.scenario.as_deref());

    let (Some(year), Some(scenario), Some(team_name)) = ((*year).as_ref(), scenario, team_name)
    else {
        let hint = match (&state.room, scenario) {
            (None, _) => "Connecting to the room…",
            (Some(_), None) => "No scenario has been chosen yet.",
            (Some(r), Some(_)) if r.team(props.team).is_none() => "This team is not in the room.",
            _ => {
                "The year is played once the facilitator moves the room to “Play the year”: then the true risks strike, and each team sees what its strategy did."
            }
        };
        return html! {
            <section class="year-reveal" aria-labelledby={heading_id.clone()}>
                <h2 id={heading_id}>{ "Play the year" }</h2>
                <p class="hint" data-testid="year-hint">{ hint }</p>
            </section>
        };
    };

    let count = shown;
    let next = {
        let reveal = reveal.clone();
        Callback::from(move |_| reveal(count + 1))
    };
    let play = {
        let reveal = reveal.clone();
        let playing = playing.clone();
        Callback::from(move |_| {
            if *playing {
                playing.set(false);
            } else {
                // The first event at once, then one every STEP_MS.
                reveal(count + 1);
                playing.set(true);
            }
        })
    };
    let restart = {
        let playing = playing.clone();
        Callback::from(move |_| {
            playing.set(false);
            reveal(0);
        })
    };

    // A learner of the team reads "your"; the console and the room view
    // speak of the team's strategy.
    let member = state
        .my_id()
        .zip(state.room.as_ref().and_then(|r| r.team(props.team)))
        .is_some_and(|(me, t)| t.member(me).is_some());
    let whose = if member { "your" } else { "the team's" };
    let mut borne = 0.0;
    let mut would_have = 0.0;
    let rows: Html = year
        .events
        .iter()
        .take(count)
        .enumerate()
        .map(|(i, event)| {
            borne += event.retained;
            would_have += event.gross;
            let outcome = if event.prevented {
                html! { <span class="outcome prevented">{ format!("Prevented by {whose} strategy") }</span> }
            } else if event.retained + 0.5 < event.gross {
                html! {
                    <span class="outcome reduced">
                        { format!("Borne: {}", money(&scenario.currency, event.retained)) }
                        <span class="saved">{ format!(" ({whose} strategy saved {})", money(&scenario.currency, event.gross - event.retained)) }</span>
                    </span>
                }
            } else if event.retained > event.gross + 0.5 {
                html! {
                    <span class="outcome borne">
                        { format!("Borne: {}", money(&scenario.currency, event.retained)) }
                        { format!(" ({whose} strategy made it {} worse)", money(&scenario.currency, event.retained - event.gross)) }
                    </span>
                }
            } else {
                html! { <span class="outcome borne">{ format!("Borne in full: {}", money(&scenario.currency, event.retained)) }</span> }
            };
            html! {
                <li key={i} class={classes!("year-event", event.prevented.then_some("prevented"))}
                    data-testid="year-event">
                    <span class="day">{ day_label(event.day) }</span>
                    <span class="risk">{ event.title.clone() }</span>
                    <span class="gross">{ format!("Loss without responses: {}", money(&scenario.currency, event.gross)) }</span>
                    { outcome }
                    <span class="running">{ format!("Borne so far: {} (without responses: {})", money(&scenario.currency, borne), money(&scenario.currency, would_have)) }</span>
                </li>
            }
        })
        .collect();

    let done = count >= total;
    let backings: Vec<_> = year
        .savings
        .iter()
        .map(|s| state.role_model_backing_of(props.team, &s.response))
        .collect();
    html! {
        <section class="year-reveal" aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id}>{ format!("The year {team_name} lived through") }</h2>
            if steers {
                <p class="hint">{ "One year drawn from the scenario's true risks. You reveal it to the whole room: every screen shows the same event at the same moment." }</p>
                <div class="year-controls">
                    <button type="button" class="primary" onclick={next} disabled={done}
                        data-testid="year-next">{ "Next event" }</button>
                    <button type="button" class="secondary" onclick={play} disabled={done}
                        data-testid="year-all">{ if *playing { "Pause" } else { "Play all" } }</button>
                    if count > 0 {
                        <button type="button" class="link-button" onclick={restart}>{ "Start again" }</button>
                    }
                    <span class="year-progress" data-testid="year-progress">{ format!("{count} of {}", riskroom_core::text::count(total, "event", "events")) }</span>
                </div>
            } else {
                <p class="hint">{ "One year drawn from the scenario's true risks. The facilitator reveals it event by event, on every screen at once." }</p>
                <p class="year-progress" data-testid="year-progress">{ format!("{count} of {}", riskroom_core::text::count(total, "event", "events")) }</p>
            }
            <ol class="year-events" aria-live="polite" aria-label="Events of the year so far">
                { rows }
            </ol>
            if total == 0 {
                <p>{ "A quiet year: none of the risks struck." }</p>
            }
            if done {
                { totals(scenario, year, whose, &backings) }
            }
        </section>
    }
}

/// The year's totals, and what each response saved.
fn totals(
    scenario: &Scenario,
    year: &Year,
    whose: &str,
    backings: &[Option<RoleModelBacking>],
) -> Html {
    let amount = |x: f64| money(&scenario.currency, x);
    let cost_of_risk = year.retained + year.strategy_cost;
    let net = year.gross - cost_of_risk;
    html! {
        <div class="year-total" data-testid="year-total">
            <h3>{ "The year in total" }</h3>
            <dl class="totals">
                <div><dt>{ "Loss with no responses" }</dt><dd>{ amount(year.gross) }</dd></div>
                <div><dt>{ format!("Loss borne with {whose} strategy") }</dt><dd>{ amount(year.retained) }</dd></div>
                <div><dt>{ format!("Cost of {whose} strategy") }</dt><dd>{ amount(year.strategy_cost) }</dd></div>
                <div><dt>{ "Loss borne plus cost" }</dt><dd>{ amount(cost_of_risk) }</dd></div>
            </dl>
            if year.savings.is_empty() {
                <p>{ "The team adopted no responses." }</p>
            } else {
                <p class="verdict">{
                    if net >= 0.0 {
                        format!("This year {whose} strategy saved {} more than it cost.", amount(net))
                    } else {
                        format!("This year {whose} strategy cost {} more than it saved.", amount(-net))
                    }
                }</p>
                <h4>{ "What each response saved this year" }</h4>
                <ul class="savings">
                    { for year.savings.iter().zip(backings).map(|(s, backing)| html! {
                        <li>
                            <span class="response">{ label_title(scenario, &s.response) }</span>
                            if s.saved < 0.0 {
                                { ": none; it made losses " }
                                <span class="amount">{ amount(-s.saved) }</span>
                                { " worse" }
                            } else {
                                { ": " }
                                <span class="amount">{ amount(s.saved) }</span>
                            }
                            { backing_badge(*backing) }
                        </li>
                    }) }
                </ul>
            }
            <p class="hint">{ format!(
                "One year is one draw of luck. The debrief's scores look at {} simulated years.",
                group_thousands(DEBRIEF_TRIALS as f64)
            ) }</p>
        </div>
    }
}
