//! Injects: the facilitator fires the scenario's events; everyone sees the
//! news of the ones fired so far, newest first, and a learner is alerted to
//! news they have not seen.

use riskroom_core::Command;
use riskroom_core::room::Room;
use riskroom_core::scenario::{Inject, Phase};
use yew::prelude::*;

use crate::hooks::use_room;

/// The fired injects this copy of the room knows, newest first.
fn fired(room: &Room) -> Vec<Inject> {
    let Some(s) = room.scenario.as_deref() else {
        return Vec::new();
    };
    room.fired
        .iter()
        .rev()
        .filter_map(|id| s.injects.iter().find(|i| &i.id == id).cloned())
        .collect()
}

/// What has happened so far, for everyone.
#[function_component(InjectNews)]
pub fn inject_news() -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let news = fired(r);
    if news.is_empty() {
        return html! {};
    }
    // The latest news is read in full while the team works; older news, and
    // all of it once the year is played, folds to its headline so the
    // phase's own content stays on the screen.
    let working = r.phase < Phase::PlayYear;
    html! {
        <section class="inject-news" aria-labelledby="inject-news-heading" aria-live="polite">
            <h2 id="inject-news-heading">{ if working { "Breaking news" } else { "The news this exercise" } }</h2>
            { for news.iter().enumerate().map(|(i, inject)| if working && i == 0 {
                html! {
                    <article class="inject latest" data-testid="inject-news">
                        <h3>{ inject.title.clone() }</h3>
                        <p>{ inject.text.clone() }</p>
                    </article>
                }
            } else {
                html! {
                    <details class="inject" data-testid="inject-news">
                        <summary>{ inject.title.clone() }</summary>
                        <p>{ inject.text.clone() }</p>
                    </details>
                }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct NewsAlertProps {
    /// How many pieces of news this learner has seen (opened or dismissed).
    pub seen: usize,
    pub on_read: Callback<()>,
    pub on_dismiss: Callback<()>,
}

/// Breaking news this learner has not seen yet: its headline at the top of
/// the screen, to open or dismiss. Announced as it arrives.
#[function_component(NewsAlert)]
pub fn news_alert(props: &NewsAlertProps) -> Html {
    let room = use_room();
    let news = room.state.room.as_ref().map(fired).unwrap_or_default();
    let unseen = news.len().saturating_sub(props.seen);
    html! {
        <div class="news-alert-slot" role="alert">
            if let Some(latest) = news.first().filter(|_| unseen > 0) {
                <div class="news-alert" data-testid="news-alert">
                    <p>
                        <strong>{ "Breaking news: " }</strong>{ latest.title.clone() }
                        if unseen > 1 { <span class="hint">{ format!(" (and {} more)", unseen - 1) }</span> }
                    </p>
                    <div class="button-row">
                        <button type="button" class="primary" onclick={props.on_read.reform(|_| ())}>{ "Read it" }</button>
                        <button type="button" class="secondary" onclick={props.on_dismiss.reform(|_| ())}>{ "Dismiss" }</button>
                    </div>
                </div>
            }
        </div>
    }
}

/// How many pieces of news have fired in this copy of the room.
pub fn news_count(room: &Room) -> usize {
    fired(room).len()
}

/// The facilitator's list of injects with a button to fire each.
#[function_component(InjectControls)]
pub fn inject_controls() -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let Some(s) = r.scenario.as_deref() else {
        return html! {};
    };
    if s.injects.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel inject-controls" aria-labelledby="inject-controls-heading">
            <h2 id="inject-controls-heading">{ "Injects" }</h2>
            <p class="hint">{ "Fire an event when the room is ready for it; it changes the situation for every team." }</p>
            <ul class="plain-list">
                { for s.injects.iter().map(|inject| {
                    let done = r.fired.contains(&inject.id);
                    let due = !done && r.injects_due().iter().any(|i| i.id == inject.id);
                    let fire = {
                        let room = room.clone();
                        let id = inject.id.clone();
                        Callback::from(move |_| room.send(Command::FireInject { inject: id.clone() }))
                    };
                    html! {
                        <li key={inject.id.clone()} class="inject-row">
                            <div>
                                <strong>{ inject.title.clone() }</strong>
                                if due {
                                    <span class="badge due" data-testid="inject-due">{ "Due now" }</span>
                                } else if let Some(phase) = inject.at_phase {
                                    <span class="hint">{ format!(" · planned for {}", phase.name()) }</span>
                                }
                                <p class="hint">{ inject.text.clone() }</p>
                            </div>
                            if done {
                                <span class="badge">{ "Fired" }</span>
                            } else {
                                <button type="button" class="secondary" aria-label={format!("Fire “{}”", inject.title)} onclick={fire}>
                                    { "Fire" }
                                </button>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
