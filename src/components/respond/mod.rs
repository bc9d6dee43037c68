//! Respond: the team puts responses on its board (from the catalogue or its
//! own, with cost and effect), votes, adopts a strategy within the budget,
//! and sees the board re-simulated by its own beliefs as it changes.

mod belief;
mod custom;

use belief::BeliefPicture;
use custom::CustomResponseForm;

use riskroom_core::Command;
use riskroom_core::room::Action;
use riskroom_core::room::{BoardResponse, Origin, Room, Target};
use yew::prelude::*;

use crate::components::TeamProps;
use crate::components::widgets::Comments;
use crate::format::{display_name, kind_name, room_money};
use crate::hooks::use_room;

pub fn response_title(room: &Room, r: &BoardResponse) -> String {
    match &r.origin {
        Origin::Catalogue { response } => room
            .scenario
            .as_ref()
            .and_then(|s| s.response(response))
            .map_or_else(|| response.clone(), |x| x.title.clone()),
        Origin::Custom { title, .. } => title.clone(),
    }
}

#[function_component(Respond)]
pub fn respond(props: &TeamProps) -> Html {
    let room = use_room();
    let Some((r, team)) = room.state.team(props.team) else {
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
    let actor = room.state.actor();
    // Whether this person may adopt (or drop) a response now, or the
    // core's sentence saying why not.
    let adoption = |x: &BoardResponse| -> Result<(), String> {
        match &actor {
            Some(actor) if room.state.may(Action::AdoptResponse) => r
                .adoption_allows(actor, team, x, !x.adopted)
                .map_err(|e| e.to_string()),
            _ => Err(String::new()),
        }
    };
    let decides = room.state.may(Action::DecideResponse);
    html! {
        <section class="panel respond" aria-labelledby={format!("respond-heading-{}", team.id.0)}>
            <h2 id={format!("respond-heading-{}", team.id.0)}>{ format!("{}: the strategy", team.name) }</h2>
            <div class="budget">
                <p data-testid="budget-used">{ format!("Adopted: {} of {} budget", room_money(r, spent), room_money(r, r.budget)) }</p>
                <meter min="0" max={r.budget.max(1.0).to_string()} value={spent.to_string()}
                    high={(r.budget * 0.9).to_string()} aria-label="Budget used" />
                if over { <p class="warning">{ "Over budget: drop a response." }</p> }
                if me.is_some() {
                    <p class="hint">{ format!("You have used {my_votes} of your {} votes.", r.vote_budget) }</p>
                }
            </div>
            <p class="hint" data-testid="adoption-rule">{ format!("What goes into the strategy is decided by {}.", r.adoption.describe()) }</p>
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
                                { format!("{} · proposed by {} · {}", room_money(r, r.response_cost(&x.origin)), display_name(r, x.proposer), riskroom_core::text::count(votes, "vote", "votes")) }
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
                                    if adoption(x).is_ok() {
                                        <button type="button" class="secondary" aria-pressed={x.adopted.to_string()}
                                            aria-label={if x.adopted { format!("Drop “{title}” from the strategy") } else { format!("Adopt “{title}”") }}
                                            onclick={send(Command::AdoptResponse { response: x.id, adopted: !x.adopted })}>
                                            { if x.adopted { "Drop" } else { "Adopt" } }
                                        </button>
                                    }
                                    if voted {
                                        <button type="button" class="secondary" aria-label={format!("Take back my vote for “{title}”")} onclick={send(Command::Unvote { response: x.id })}>{ "Take back my vote" }</button>
                                    } else {
                                        <button type="button" class="secondary" aria-label={format!("Vote for “{title}”")} onclick={send(Command::Vote { response: x.id })}>{ "Vote" }</button>
                                    }
                                    if me.is_some_and(|me| x.withdrawable_by(me)) {
                                        <button type="button" class="link-button" aria-label={format!("Withdraw “{title}”")} onclick={send(Command::WithdrawResponse { response: x.id })}>{ "Withdraw" }</button>
                                    }
                                </div>
                                if let Some(why) = adoption(x).err().filter(|why| !why.is_empty()) {
                                    <p class="hint" data-testid="adoption-why">{ why }</p>
                                }
                            }
                            if decides {
                                <div class="button-row">
                                    <button type="button" class="secondary" aria-pressed={x.adopted.to_string()}
                                        aria-label={if x.adopted { format!("Drop for the team: “{title}”") } else { format!("Adopt for the team: “{title}”") }}
                                        onclick={send(Command::DecideResponse { team: team.id, response: x.id, adopted: !x.adopted })}>
                                        { if x.adopted { "Drop for the team" } else { "Adopt for the team" } }
                                    </button>
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
                            <p class="card-meta">{ format!("{} · {}", kind_name(c.kind), room_money(r, c.total_cost())) }</p>
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
