//! The room view's one screen for the projector: no scrolling, large type,
//! nothing private. A bar with the title, phases and countdown; in the
//! middle what the phase needs the whole room to see (how to join, the
//! story, each team's board, strategy, year or debrief side by side, paged
//! by the facilitator as the core's `Room::screen` says); at the foot the
//! latest news and the page.

mod coverage;
mod debrief;
mod join;
mod teams;

use riskroom_core::scenario::Phase;
use yew::prelude::*;

use crate::components::{Countdown, Paused, PhaseSteps};
use crate::format::room_money;
use crate::hooks::use_room;
use coverage::CoverageScreen;
use debrief::DebriefScreen;
use join::JoinScreen;
use teams::TeamPanel;

/// Everything the room view shows, fitted to its screen.
#[function_component(RoomViewScreen)]
pub fn room_view_screen() -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let screen = r.screen();
    // The briefing shows how to join beside the story; other phases give it
    // the whole screen when the core says the room view shows it.
    let body = if r.join_screen_shown() && r.phase != Phase::Briefing {
        html! { <JoinScreen /> }
    } else if r.coverage_screen().is_some() {
        html! { <CoverageScreen /> }
    } else {
        match r.phase {
            Phase::Briefing => briefing(r, screen.page as usize),
            Phase::Debrief => html! { <DebriefScreen /> },
            _ => html! {
                <div class={classes!("rv-teams", format!("rv-teams-{}", screen.teams.len().min(4)))}>
                    { for screen.teams.iter().map(|&team| html! { <TeamPanel key={team.0} {team} /> }) }
                </div>
            },
        }
    };
    let news = r.scenario.as_deref().and_then(|s| {
        let id = r.fired.last()?;
        s.injects
            .iter()
            .find(|i| &i.id == id)
            .map(|i| i.title.clone())
    });
    html! {
        <div class="rv-screen">
            <header class="rv-bar">
                <h1>{ r.title.clone() }</h1>
                <Countdown timer={r.timer.clone()} phase={r.phase} />
                <p class="rv-code">{ format!("Room {}", room.code) }</p>
            </header>
            <PhaseSteps phase={r.phase} />
            <Paused />
            <div class="rv-body">{ body }</div>
            <footer class="rv-foot">
                <p class="rv-news" aria-live="polite" data-testid="room-view-news">
                    if let Some(title) = news {
                        <strong>{ "News: " }</strong>{ title }
                    }
                </p>
                if let Some(legend) = r.room_view_legend() {
                    <p class="rv-legend" data-testid="room-view-legend">{ legend }</p>
                }
                if let Some(label) = screen.page_label() {
                    <p class="rv-page" data-testid="room-view-page">{ label }</p>
                }
            </footer>
        </div>
    }
}

/// The briefing: the story, a page at a time, beside the budget, the
/// appetite and the clock; how to join below them while the room fills.
fn briefing(r: &riskroom_core::room::Room, page: usize) -> Html {
    let Some(s) = r.scenario.as_deref() else {
        return html! { <JoinScreen /> };
    };
    let pages = r.narrative_pages();
    html! {
        <div class="rv-briefing">
            <section class="rv-story" aria-labelledby="rv-story-heading">
                <h2 id="rv-story-heading">{ s.title.clone() }</h2>
                { for pages.get(page).into_iter().flat_map(|p| p.split("\n\n")).map(|p| html! { <p>{ p.to_owned() }</p> }) }
            </section>
            <aside class="rv-facts" aria-label="What the team works with">
                <p><strong>{ "Budget: " }</strong><span data-testid="room-view-budget">{ room_money(r, r.budget) }</span></p>
                <p><strong>{ "Appetite: " }</strong>{ format!("a bad year, the kind that comes once in ten, costs less than {}.", room_money(r, s.appetite.p90_limit)) }</p>
                if r.join_screen_shown() {
                    <JoinScreen compact={true} />
                }
            </aside>
        </div>
    }
}
