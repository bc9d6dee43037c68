//! One team on the room view, as the phase needs the room to see it: the
//! cards raised; how many have estimated, then each card's spread; the
//! strategy with its budget and live numbers; the year as it is revealed.
//! Lists show the rows of the page the facilitator turned to.

use riskroom_core::room::{Actor, Card, Estimate, Room, Screen, Target, Team, TeamId};
use riskroom_core::scenario::Phase;
use riskroom_core::text::count;
use yew::prelude::*;

use crate::components::respond::response_title;
use crate::components::year::use_team_year;
use crate::format::{room_short, short_amount};
use crate::hooks::{use_belief, use_room};

#[derive(Properties, PartialEq)]
pub struct TeamPanelProps {
    pub team: TeamId,
}

#[function_component(TeamPanel)]
pub fn team_panel(props: &TeamPanelProps) -> Html {
    let room = use_room();
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let screen = r.screen();
    let heading = format!("rv-team-{}", team.id.0);
    let body = match r.phase {
        Phase::Identify => identify(r, team, &screen),
        Phase::Assess => assess(r, team, &screen),
        Phase::Respond => html! { <RespondPanel team={team.id} /> },
        Phase::PlayYear => html! { <YearPanel team={team.id} /> },
        _ => html! {},
    };
    html! {
        <section class="rv-team" aria-labelledby={heading.clone()} data-testid="room-view-team">
            <h2 id={heading}>{ team.name.clone() }</h2>
            { body }
        </section>
    }
}

fn live_cards(team: &Team) -> Vec<&Card> {
    team.cards.iter().filter(|c| c.live()).collect()
}

/// Rows numbered as on the page: "7." onwards on the second page.
/// The mark on a row the team's role model raised, proposed or backed: a
/// shape with words for screen readers, explained by the legend at the
/// foot of the screen.
fn role_model_mark() -> Html {
    html! {
        <span class="rv-mark" data-testid="room-view-role-model">
            <span aria-hidden="true">{ "★" }</span>
            <span class="visually-hidden">{ "The role model's: " }</span>
        </span>
    }
}

fn rows(start: usize, items: Html) -> Html {
    html! { <ol class="rv-rows" start={(start + 1).to_string()}>{ items }</ol> }
}

/// A row's number, written out so it stays beside a row laid out in
/// columns.
fn number(n: usize) -> Html {
    html! { <span class="rv-n" aria-hidden="true">{ format!("{n}.") }</span> }
}

fn identify(r: &Room, team: &Team, screen: &Screen) -> Html {
    let cards = live_cards(team);
    let shown = screen.rows_of(cards.len());
    let comments = |c: &Card| {
        team.comments
            .iter()
            .filter(|x| x.on == Target::Card(c.id))
            .count()
    };
    html! {
            <>
                <p class="rv-stat"><strong data-testid="card-count">{ cards.len() }</strong>{ if cards.len() == 1 { " risk raised" } else { " risks raised" } }
    </p>
                { rows(shown.start, html! {
                    { for cards[shown.clone()].iter().zip(shown).map(|(c, n)| html! {
                        <li class="rv-row" key={c.id.0} data-testid="room-view-card">
                            { number(n + 1) }
                            if r.shows_role_model(&Actor::RoomView, c.author) { { role_model_mark() } }
                            <span class="rv-title">{ c.title.clone() }</span>
                            if comments(c) > 0 {
                                <span class="rv-aside">{ count(comments(c), "comment", "comments") }</span>
                            }
                        </li>
                    }) }
                }) }
            </>
        }
}

/// From the lowest to the highest of the team's estimates of one card.
struct Spread {
    chance: (f64, f64),
    impact: (f64, f64),
}

fn spread(values: impl Iterator<Item = Estimate>) -> Option<Spread> {
    values.fold(None, |acc, e| {
        let c = e.frequency.yearly_chance();
        Some(match acc {
            None => Spread {
                chance: (c, c),
                impact: (e.low, e.high),
            },
            Some(s) => Spread {
                chance: (s.chance.0.min(c), s.chance.1.max(c)),
                impact: (s.impact.0.min(e.low), s.impact.1.max(e.high)),
            },
        })
    })
}

fn percent_range((low, high): (f64, f64)) -> String {
    let (low, high) = ((100.0 * low).round(), (100.0 * high).round());
    if low == high {
        format!("{low:.0}%")
    } else {
        format!("{low:.0}–{high:.0}%")
    }
}

fn assess(r: &Room, team: &Team, screen: &Screen) -> Html {
    let cards = live_cards(team);
    if !team.revealed {
        let members = team.members.len();
        let done = members - r.yet_to_estimate(team).len();
        return html! {
            <>
                <p class="rv-big" data-testid="room-view-estimated">{ format!("{done} of {members} have estimated") }</p>
                <p class="rv-stat">{ format!("{} to estimate, in private until the reveal.", count(cards.len(), "risk", "risks")) }</p>
            </>
        };
    }
    let shown = screen.rows_of(cards.len());
    // While the team talks: who is furthest apart on each risk.
    let pairs = r.furthest_apart(team);
    if r.discussing(team) {
        return html! {
            <>
                <p class="rv-stat">{ "Furthest apart: ask them to explain" }</p>
                { rows(shown.start, html! {
                    { for cards[shown.clone()].iter().zip(shown).map(|(c, n)| {
                        let pair = pairs.iter().find(|p| p.card == c.id).map(|p| {
                            format!("{} ↔ {}", crate::format::display_name(r, p.a), crate::format::display_name(r, p.b))
                        });
                        html! {
                            <li class="rv-row" key={c.id.0} data-testid="room-view-far-apart">
                                { number(n + 1) }
                                <span class="rv-title">{ c.title.clone() }</span>
                                <span class="rv-aside">{ pair.unwrap_or_else(|| "fewer than two estimates".to_owned()) }</span>
                            </li>
                        }
                    }) }
                }) }
            </>
        };
    }
    // The role model's own chance beside the team's spread, marked ★.
    let model = team
        .role_model
        .filter(|m| r.shows_role_model(&Actor::RoomView, *m));
    let models_chance = |card| {
        let m = model?;
        let e = team
            .estimates
            .iter()
            .find(|e| e.card == card && e.author == m)?;
        e.value.map(|v| v.frequency.yearly_chance())
    };
    html! {
        <>
            <p class="rv-stat">{ "Spread: chance a year · one event's cost" }</p>
            { rows(shown.start, html! {
                { for cards[shown.clone()].iter().zip(shown).map(|(c, n)| {
                    let values = team.estimates.iter().filter(|e| e.card == c.id).filter_map(|e| e.value);
                    let text = spread(values).map_or_else(
                        || "no estimates".to_owned(),
                        |s| format!("{} · {}–{}", percent_range(s.chance), room_short(r, s.impact.0), short_amount(s.impact.1)),
                    );
                    html! {
                        <li class="rv-row" key={c.id.0} data-testid="room-view-spread">
                            { number(n + 1) }
                            <span class="rv-title">{ c.title.clone() }</span>
                            <span class="rv-aside">{ text }</span>
                            if let Some(chance) = models_chance(c.id) {
                                <span class="rv-aside" data-testid="room-view-model-estimate">
                                    { role_model_mark() }{ percent_range((chance, chance)) }
                                </span>
                            }
                            if c.consensus.is_some() {
                                <span class="rv-tag">{ "agreed" }</span>
                            }
                        </li>
                    }
                }) }
            }) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct PanelProps {
    team: TeamId,
}

/// The strategy: the budget it uses, what the team's own estimates say it
/// does to the year's loss, and the responses on the board.
#[function_component(RespondPanel)]
fn respond_panel(props: &PanelProps) -> Html {
    let room = use_room();
    let report = use_belief(props.team);
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let screen = r.screen();
    let standing: Vec<_> = team.responses.iter().filter(|x| !x.withdrawn).collect();
    let shown = screen.rows_of(standing.len());
    let votes = |id| team.votes.iter().filter(|v| v.response == id).count();
    html! {
        <>
            <p class="rv-stat" data-testid="room-view-budget">{ format!("Adopted {} of {}", room_short(r, r.adopted_cost(team)), short_amount(r.budget)) }
                if let Some(n) = report.as_ref().map(|x| x.unagreed).filter(|&n| n > 0) {
                    { format!(" · {} unagreed", count(n, "risk", "risks")) }
                }

            </p>
            if report.as_ref().is_some_and(|x| x.unagreed > 0 && x.unagreed >= live_cards(team).len()) {
                <p class="rv-stat">{ "No value agreed yet: the numbers come" }</p>
                <p class="rv-stat">{ "once the team agrees values in Assess." }</p>
            } else if let Some(report) = report {
                <p class="rv-stat">{ format!("Loss a year {} → {} with the strategy", room_short(r, report.none.mean), short_amount(report.adopted.mean)) }</p>
                <p class="rv-stat" data-testid="room-view-appetite">{
                    format!("1 year in 10 worse than {}: {} the appetite",
                        short_amount(report.adopted.percentiles.p90),
                        if report.adopted.within_appetite() { "within" } else { "above" })
                }</p>
            } else {
                <p class="rv-stat">{ "Simulating the board…" }</p>
            }
            { rows(shown.start, html! {
                { for standing[shown.clone()].iter().zip(shown).map(|(x, n)| html! {
                    <li class={classes!("rv-row", x.adopted.then_some("adopted"))} key={x.id.0} data-testid="room-view-response">
                        { number(n + 1) }
                        if room.state.role_model_backing(team, x).is_some() { { role_model_mark() } }
                        <span class="rv-title">{ response_title(r, x) }</span>
                        if x.adopted {
                            <span class="rv-tag">{ "in the strategy" }</span>
                        } else {
                            <span class="rv-aside">{ count(votes(x.id), "vote", "votes") }</span>
                        }
                    </li>
                }) }
            }) }
        </>
    }
}

/// The year as the facilitator reveals it: the latest events and what
/// they cost so far.
#[function_component(YearPanel)]
fn year_panel(props: &PanelProps) -> Html {
    let room = use_room();
    let state = &room.state;
    let year = use_team_year(props.team);
    let Some((r, _)) = state.team(props.team) else {
        return html! {};
    };
    let Some(year) = (*year).as_ref() else {
        return html! { <p class="rv-stat">{ "The year is being drawn…" }</p> };
    };
    let screen = r.screen();
    let shown = (r.year_shown as usize).min(year.events.len());
    let revealed = &year.events[..shown];
    let borne: f64 = revealed.iter().map(|e| e.retained).sum();
    let gross: f64 = revealed.iter().map(|e| e.gross).sum();
    let from = shown.saturating_sub(screen.rows);
    html! {
        <>
            <p class="rv-stat" data-testid="room-view-year">{ format!("Event {shown} of {}", year.events.len()) }</p>
            <p class="rv-stat">{ format!("Lost so far {} (without the strategy {})", room_short(r, borne), room_short(r, gross)) }</p>
            { rows(from, html! {
                { for revealed[from..].iter().zip(from..).map(|(e, n)| html! {
                    <li class="rv-row">
                        { number(n + 1) }
                        <span class="rv-title">{ format!("Day {}: {}", e.day, e.title) }</span>
                        <span class="rv-aside">{ if e.prevented { "prevented".to_owned() } else { room_short(r, e.retained) } }</span>
                    </li>
                }) }
            }) }
        </>
    }
}
