//! Where the exercise is: the phases as steps (everyone), the countdown of
//! the phase's timer (everyone), and the facilitator's controls for both.

use gloo_timers::callback::Interval;
use riskroom_core::Command;
use riskroom_core::room::Action;
use riskroom_core::room::MAX_TIMER_SECONDS;
use riskroom_core::room::Timer;
use riskroom_core::scenario::Phase;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::use_room;

#[derive(Properties, PartialEq)]
pub struct PhaseStepsProps {
    pub phase: Phase,
}

/// The seven phases, the current one marked.
#[function_component(PhaseSteps)]
pub fn phase_steps(props: &PhaseStepsProps) -> Html {
    html! {
        <nav class="phase-steps" aria-label="Phases of the exercise">
            <ol>
                { for Phase::ALL.iter().map(|&phase| {
                    let state = match phase.cmp(&props.phase) {
                        std::cmp::Ordering::Less => "done",
                        std::cmp::Ordering::Equal => "current",
                        std::cmp::Ordering::Greater => "next",
                    };
                    html! {
                        <li class={classes!("phase-step", state)}
                            aria-current={(phase == props.phase).then_some("step")}>
                            { phase.name() }
                        </li>
                    }
                }) }
            </ol>
            <p class="visually-hidden" data-testid="phase">{ props.phase.name() }</p>
        </nav>
    }
}

/// Now, in the same milliseconds as the server's timestamps.
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn clock(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    format!("{}:{:02}", s / 60, s % 60)
}

#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    pub timer: Option<Timer>,
    pub phase: Phase,
}

/// The time left in this phase, ticking each second.
#[function_component(Countdown)]
pub fn countdown(props: &CountdownProps) -> Html {
    // Re-renders once a second.
    let tick = use_state(|| 0u32);
    use_effect_with((), move |_| {
        let interval = Interval::new(1000, move || tick.set((*tick).wrapping_add(1)));
        move || drop(interval)
    });
    // A live region that is always there, so the end of time is announced
    // to screen readers when it comes (the clock itself stays quiet).
    let up = props
        .timer
        .as_ref()
        .filter(|t| t.phase == props.phase)
        .is_some_and(|t| t.remaining_ms(now_ms()) == 0);
    let announce = html! {
        <p class="visually-hidden" role="status" aria-live="polite">
            { if up { "Time is up for this phase." } else { "" } }
        </p>
    };
    let Some(timer) = props.timer.as_ref().filter(|t| t.phase == props.phase) else {
        return announce;
    };
    let left = timer.remaining_ms(now_ms());
    let paused = timer.running_since_ms.is_none();
    let text = if left == 0 {
        if timer.close_input {
            "Time is up: input is closed".to_owned()
        } else {
            "Time is up".to_owned()
        }
    } else if paused {
        format!("{} left (paused)", clock(left))
    } else {
        format!("{} left", clock(left))
    };
    html! {
        <>
            <p class={classes!("countdown", (left == 0).then_some("up"))} data-testid="countdown"
                role="timer" aria-live="off">{ text }</p>
            { announce }
        </>
    }
}

/// The facilitator's controls: move between phases and run the timer.
#[function_component(PhaseControls)]
pub fn phase_controls() -> Html {
    let room = use_room();
    let minutes = use_state(|| "10".to_owned());
    let close_input = use_state(|| false);
    // Going back asks first, saying what it undoes.
    let confirming = use_state(|| false);
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let send = |command: Command| {
        let room = room.clone();
        Callback::from(move |_| room.send(command.clone()))
    };
    let next = r.phase.next();
    let back = r.phase.previous();
    let timer = r.timer.as_ref().filter(|t| t.phase == r.phase);
    let start = {
        let room = room.clone();
        let minutes = minutes.clone();
        let close_input = close_input.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match minutes.trim().parse::<f64>() {
                Ok(m) if m.is_finite() && m >= 0.0 => room.send(Command::StartTimer {
                    seconds: (m * 60.0).round().min(f64::from(u32::MAX)) as u32,
                    close_input: *close_input,
                }),
                _ => room.notice("Give the timer a number of minutes.".into()),
            }
        })
    };
    html! {
        <section class="phase-controls" aria-labelledby="phase-controls-heading">
            <h2 id="phase-controls-heading" class="visually-hidden">{ "Run the exercise" }</h2>
            <div class="button-row">
                if let (Some(back), false) = (back, *confirming) {
                    <button type="button" class="secondary"
                        onclick={ let confirming = confirming.clone(); move |_| confirming.set(true) }
                        data-testid="phase-back">{ format!("Back to {}", back.name()) }</button>
                }
                if let Some(next) = next {
                    <button type="button" class="primary" onclick={send(Command::AdvancePhase)}
                        data-testid="phase-next">{ format!("Start {}", next.name()) }</button>
                }
            </div>
            if let (Some(back), true) = (back, *confirming) {
                <div class="confirm" role="alertdialog" aria-labelledby="phase-back-question" aria-describedby="phase-back-undoes">
                    <p id="phase-back-question"><strong>{ format!("Go back to {}?", back.name()) }</strong></p>
                    <p id="phase-back-undoes">{ r.phase.going_back_undoes() }</p>
                    <div class="button-row">
                        <button type="button" class="primary" data-testid="phase-back-confirm"
                            onclick={ let room = room.clone(); let confirming = confirming.clone();
                                      move |_| { confirming.set(false); room.send(Command::GoBackPhase); } }>
                            { format!("Go back to {}", back.name()) }
                        </button>
                        <button type="button" class="secondary"
                            onclick={ let confirming = confirming.clone(); move |_| confirming.set(false) }>
                            { format!("Stay in {}", r.phase.name()) }
                        </button>
                    </div>
                </div>
            }
            <p class="button-row">
                if r.paused {
                    <button type="button" class="primary" data-testid="carry-on"
                        onclick={send(Command::PauseRoom { paused: false })}>{ "Carry on" }</button>
                } else {
                    <button type="button" class="secondary" data-testid="pause-room"
                        onclick={send(Command::PauseRoom { paused: true })}>{ "Pause everyone" }</button>
                    <span class="hint">{ " Every phone stops taking input and says why, until you carry on." }</span>
                }
                // Offered once the room view no longer shows it by itself.
                if r.join_shown || !r.join_screen_shown() {
                    <button type="button" class="secondary" data-testid="show-join"
                        aria-pressed={r.join_shown.to_string()}
                        onclick={send(Command::ShowJoinScreen { shown: !r.join_shown })}>
                        { if r.join_shown { "Hide how to join on the room view" } else { "Show how to join on the room view" } }
                    </button>
                }
            </p>
            <RoomViewControls />
            <form class="timer-form" onsubmit={start}>
                <label for="timer-minutes">{ "Timer for this phase (minutes)" }</label>
                <div class="inline-fields">
                    <input id="timer-minutes" type="number" min="1" max={(MAX_TIMER_SECONDS / 60).to_string()} step="1" inputmode="numeric"
                        value={(*minutes).clone()}
                        oninput={ let minutes = minutes.clone();
                                  move |e: InputEvent| minutes.set(e.target_unchecked_into::<HtmlInputElement>().value()) } />
                    <label class="check">
                        <input type="checkbox" checked={*close_input}
                            onchange={ let close_input = close_input.clone();
                                       move |e: Event| close_input.set(e.target_unchecked_into::<HtmlInputElement>().checked()) } />
                        { "Close input when time is up" }
                    </label>
                    <button type="submit" class="secondary">{ if timer.is_some() { "Restart timer" } else { "Start timer" } }</button>
                </div>
            </form>
            if let Some(timer) = timer {
                <div class="button-row">
                    if timer.running_since_ms.is_some() {
                        <button type="button" class="secondary" onclick={send(Command::PauseTimer)}>{ "Pause timer" }</button>
                    } else {
                        <button type="button" class="secondary" onclick={send(Command::ResumeTimer)}>{ "Resume timer" }</button>
                    }
                    <button type="button" class="secondary" onclick={send(Command::ExtendTimer { seconds: 120 })}>{ "Add 2 minutes" }</button>
                    <button type="button" class="secondary" onclick={send(Command::ClearTimer)}>{ "Clear timer" }</button>
                </div>
            }
        </section>
    }
}

/// The facilitator's hold on the room view: the page it shows when a list
/// is longer than one screen, and the debrief's scores.
#[function_component(RoomViewControls)]
fn room_view_controls() -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let screen = r.screen();
    let turn = |page: u32| {
        let room = room.clone();
        Callback::from(move |_| room.send(Command::ShowRoomViewPage { page }))
    };
    let reveal = |shown: bool| {
        let room = room.clone();
        Callback::from(move |_| room.send(Command::RevealScores { shown }))
    };
    html! {
        <>
            if let Some(label) = screen.page_label() {
                <div class="button-row" role="group" aria-labelledby="room-view-page-label">
                    <span id="room-view-page-label" data-testid="console-room-view-page">{ format!("Room view: {label}") }</span>
                    <button type="button" class="secondary" disabled={screen.page == 0}
                        onclick={turn(screen.page.saturating_sub(1))}>{ "Previous page" }</button>
                    <button type="button" class="secondary" disabled={screen.page + 1 >= screen.pages}
                        onclick={turn(screen.page + 1)} data-testid="room-view-next-page">{ "Next page" }</button>
                </div>
            }
            if room.state.may(Action::RevealScores) {
                <p class="button-row">
                    <button type="button" class={if r.scores_shown { "secondary" } else { "primary" }}
                        aria-pressed={r.scores_shown.to_string()} data-testid="reveal-scores"
                        onclick={reveal(!r.scores_shown)}>
                        { if r.scores_shown { "Hide the scores again" } else { "Reveal the scores to everyone" } }
                    </button>
                </p>
            }
        </>
    }
}

/// The room is paused, or has ended: every screen says so, in the same
/// words.
#[function_component(Paused)]
pub fn paused() -> Html {
    let room = use_room();
    if room.state.room.as_ref().is_some_and(|r| r.ended) {
        return html! {
            <p class="paused ended" role="status" data-testid="ended">
                { "This room has ended: nothing more can change. What it reached stays here to read and export." }
            </p>
        };
    }
    if !room.state.room.as_ref().is_some_and(|r| r.paused) {
        return html! {};
    }
    html! {
        <p class="paused" role="status" data-testid="paused">
            { "Paused by the facilitator: wait for them to carry on." }
        </p>
    }
}
