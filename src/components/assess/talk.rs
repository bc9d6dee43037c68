//! The discussion round: after the first reveal the team talks, starting
//! with the pair furthest apart on each risk (the core's
//! `Room::furthest_apart`); the facilitator then starts the second round
//! of private estimates, revealed together like the first.

use riskroom_core::Command;
use riskroom_core::room::Action;
use yew::prelude::*;

use crate::components::TeamProps;
use crate::format::{display_name, estimate_text};
use crate::hooks::{Refusal, use_command, use_room};

#[function_component(Discussion)]
pub fn discussion(props: &TeamProps) -> Html {
    let room = use_room();
    let start = use_command(None);
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let currency = r
        .scenario
        .as_deref()
        .map(|s| s.currency.clone())
        .unwrap_or_default();
    if !team.first_round.is_empty() {
        return html! {
            <p class="hint" data-testid="second-round-note">{
                if team.revealed {
                    "Both rounds are kept: the debrief shows what the talk changed."
                } else {
                    "Second round: everyone estimates again in private, after the talk; the reveal shows them together."
                }
            }</p>
        };
    }
    let team_id = team.id;
    if r.discussion_open(team) {
        if !room.state.may(Action::StartDiscussion) {
            return html! {};
        }
        return html! {
            <section class="panel discussion" data-testid="discussion-offer">
                <p class="hint">{ "Before agreeing values, you can run a discussion round: every screen names the two furthest apart on each risk, they explain, then everyone estimates again in private. The debrief shows what the talk changed." }</p>
                <button type="button" class="secondary" data-testid="start-discussion"
                    onclick={ let start = start.clone(); Callback::from(move |_| start.send(Command::StartDiscussion { team: team_id })) }>
                    { format!("Open {}'s discussion round", team.name) }
                </button>
                <Refusal sent={start.sent.clone()} />
            </section>
        };
    }
    if !r.discussing(team) {
        return html! {};
    }
    let pairs = r.furthest_apart(team);
    let given = |card, who| {
        team.estimates
            .iter()
            .find(|e| e.card == card && e.author == who)
            .and_then(|e| e.value)
            .map(|v| estimate_text(&v, &currency))
            .unwrap_or_default()
    };
    html! {
        <section class="panel discussion" aria-labelledby={format!("talk-{}", team.id.0)} data-testid="discussion">
            <h2 id={format!("talk-{}", team.id.0)}>{ "Talk before estimating again" }</h2>
            <p class="hint">{ "Where the team is furthest apart, ask both to explain their thinking; then everyone estimates once more, in private." }</p>
            <ul class="plain-list">
                { for pairs.iter().map(|p| {
                    let title = team.card(p.card).map(|c| c.title.clone()).unwrap_or_default();
                    html! {
                        <li data-testid="far-apart">
                            <strong>{ title }</strong>
                            { format!(": ask {} ({}) and {} ({}) to explain.",
                                display_name(r, p.a), given(p.card, p.a), display_name(r, p.b), given(p.card, p.b)) }
                        </li>
                    }
                }) }
            </ul>
            if room.state.may(Action::StartSecondRound) {
                <button type="button" class="primary" data-testid="start-second-round"
                    onclick={ let start = start.clone(); Callback::from(move |_| start.send(Command::StartSecondRound { team: team_id })) }>
                    { format!("Start {}'s second round of estimates", team.name) }
                </button>
                <Refusal sent={start.sent.clone()} />
            }
        </section>
    }
}
