//! Respond: the team puts responses on its board (from the catalogue or its
//! own, with cost and effect), votes, adopts a strategy within the budget,
//! and sees the board re-simulated by its own beliefs as it changes.

mod belief;
mod custom;

use belief::BeliefPicture;
use custom::CustomResponseForm;

use riskroom_core::Command;
use riskroom_core::room::Action;
use riskroom_core::room::{
    BoardResponse, BoardResponseId, Origin, RoleModelBacking, Room, Target, Team, TeamId,
};
use riskroom_core::scenario::{Effect, ResponseKind};
use yew::prelude::*;

use crate::components::widgets::{Comments, may_comment};
use crate::format::{display_name, kind_name, room_money};
use crate::hooks::{Refusal, RoomSender, Sent, use_command, use_command_via, use_room};
use crate::state::ClientState;

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

/// Which part of Respond to show: all of it (the console), or one part
/// (a learner's tab).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RespondPart {
    #[default]
    All,
    /// The budget and the responses on the board, to vote and adopt.
    Strategy,
    /// The catalogue and the team's own idea, to propose.
    Propose,
    /// The board re-simulated by the team's beliefs.
    Picture,
}

#[derive(Properties, PartialEq)]
pub struct RespondProps {
    pub team: TeamId,
    #[prop_or_default]
    pub part: RespondPart,
}

#[function_component(Respond)]
pub fn respond(props: &RespondProps) -> Html {
    let room = use_room();
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let me = room.state.my_id().filter(|id| team.member(*id).is_some());
    let open = room.state.may(Action::ProposeResponse);
    let spent = r.adopted_cost(team);
    let standing: Vec<&BoardResponse> = team.responses.iter().filter(|x| !x.withdrawn).collect();
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
    let over = r.budget_left(team) < 0.0;
    let sender = room.sender();
    let part = props.part;
    let shows = |p: RespondPart| part == RespondPart::All || part == p;
    // Why this learner cannot propose now, in the core's words.
    let closed_why = match (&room.state.actor(), me) {
        (Some(actor), Some(_)) if !open => r
            .allows(actor, Action::ProposeResponse, js_sys::Date::now() as u64)
            .err()
            .map(|e| e.to_string()),
        _ => None,
    };
    html! {
        <section class="panel respond" aria-labelledby={format!("respond-heading-{}", team.id.0)}>
            <h2 id={format!("respond-heading-{}", team.id.0)}>{ match part {
                RespondPart::Propose => format!("{}: propose a response", team.name),
                RespondPart::Picture => format!("{}: what the strategy does", team.name),
                RespondPart::All | RespondPart::Strategy => format!("{}: the strategy", team.name),
            } }</h2>
            if shows(RespondPart::Strategy) {
                <div class="budget">
                    <p data-testid="budget-used">{ format!("Adopted: {} of {} budget", room_money(r, spent), room_money(r, r.budget)) }</p>
                    <meter min="0" max={r.budget.max(1.0).to_string()} value={spent.to_string()}
                        high={(r.budget * 0.9).to_string()} aria-label="Budget used" />
                    if over { <p class="warning">{ "Over budget: drop a response." }</p> }
                    if let Some(me) = me {
                        <p class="hint" id="votes-left" data-testid="votes-left">{ match r.votes_left(team, me) {
                            0 => format!("No votes left: you have given all {}. Take one back to vote again.", r.vote_budget),
                            left => format!("{} of {} left to give.", riskroom_core::text::count(left, "vote", "votes"), r.vote_budget),
                        } }</p>
                    }
                </div>
                <p class="hint" data-testid="adoption-rule">{ format!("What goes into the strategy is decided by {}.", r.adoption.describe()) }</p>
                if let Some(why) = &closed_why {
                    <p class="hint" data-testid="closed-why">{ why.clone() }</p>
                }
                <h3>{ "On the board" }</h3>
                if standing.is_empty() {
                    <p class="hint">{ "No responses proposed yet." }</p>
                }
                <ul class="card-list">
                    { for standing.iter().map(|x| html! {
                        <ResponseCard key={x.id.0} team={team.id} response={x.id}
                            view={response_view(&room.state, r, team, x)} sender={sender.clone()} />
                    }) }
                </ul>
            }
            if shows(RespondPart::Picture) {
                <BeliefPicture team={team.id} yours={me.is_some()} />
            }
            if shows(RespondPart::Propose) && me.is_some() {
                if let Some(why) = closed_why.as_ref().filter(|_| part == RespondPart::Propose) {
                    <p class="hint">{ why.clone() }</p>
                }
                if open {
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
                                    <ProposeButton response={c.id.clone()} title={c.title.clone()} />
                                }
                            </li>
                        }) }
                    </ul>
                    <CustomResponseForm team={team.id} />
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ProposeButtonProps {
    response: String,
    title: AttrValue,
}

/// Proposes a catalogue response; a refusal shows beneath it.
#[function_component(ProposeButton)]
fn propose_button(props: &ProposeButtonProps) -> Html {
    let line = use_command(None);
    let onclick = {
        let line = line.clone();
        let response = props.response.clone();
        Callback::from(move |_| {
            line.send(Command::ProposeResponse {
                response: response.clone(),
            })
        })
    };
    html! {
        <>
            <button type="button" class="secondary" aria-label={format!("Propose “{}”", props.title)}
                disabled={line.sent == Sent::Waiting} {onclick}>
                { "Propose" }
            </button>
            <Refusal sent={line.sent} />
        </>
    }
}

/// What one response card shows and offers this person, worked out from the
/// room by the strategy it sits in.
#[derive(Clone, PartialEq)]
struct ResponseView {
    title: AttrValue,
    /// Cost, proposer and votes.
    meta: AttrValue,
    backing: Option<RoleModelBacking>,
    adopted: bool,
    /// Custom: whether its effect was accepted, and its kind.
    custom: Option<(bool, ResponseKind)>,
    /// This person is on the team.
    member: bool,
    voted: bool,
    votes_left: usize,
    open: bool,
    /// Whether this person may adopt (or drop) it now, or the core's
    /// sentence saying why not (empty: nothing to say).
    adoption: Result<(), String>,
    decides: bool,
    withdrawable: bool,
    comments: usize,
    can_comment: bool,
    /// The effects the facilitator would accept, on a custom response not
    /// yet accepted, on the console.
    to_accept: Option<Vec<Effect>>,
}

fn response_view(state: &ClientState, r: &Room, team: &Team, x: &BoardResponse) -> ResponseView {
    let me = state.my_id().filter(|id| team.member(*id).is_some());
    let adoption = match &state.actor() {
        Some(actor) if state.may(Action::AdoptResponse) => r
            .adoption_allows(actor, team, x, !x.adopted)
            .map_err(|e| e.to_string()),
        _ => Err(String::new()),
    };
    let votes = team.votes.iter().filter(|v| v.response == x.id).count();
    let custom = match &x.origin {
        Origin::Custom { accepted, kind, .. } => Some((accepted.is_some(), *kind)),
        Origin::Catalogue { .. } => None,
    };
    let open = state.may(Action::ProposeResponse);
    ResponseView {
        title: response_title(r, x).into(),
        meta: format!(
            "{} · proposed by {} · {}",
            room_money(r, r.response_cost(&x.origin)),
            display_name(r, x.proposer),
            riskroom_core::text::count(votes, "vote", "votes")
        )
        .into(),
        backing: state.role_model_backing(team, x),
        adopted: x.adopted,
        custom,
        member: me.is_some(),
        voted: me.is_some_and(|id| {
            team.votes
                .iter()
                .any(|v| v.voter == id && v.response == x.id)
        }),
        votes_left: me.map_or(0, |id| r.votes_left(team, id)),
        open,
        adoption,
        decides: state.may(Action::DecideResponse),
        withdrawable: open && me.is_some_and(|me| x.withdrawable_by(me)),
        comments: team
            .comments
            .iter()
            .filter(|c| c.on == Target::Response(x.id))
            .count(),
        can_comment: may_comment(state, team),
        to_accept: (state.is_facilitator() && custom.is_some_and(|(accepted, _)| !accepted))
            .then(|| r.proposed_effects(team, x)),
    }
}

#[derive(Properties, PartialEq)]
struct ResponseCardProps {
    team: TeamId,
    response: BoardResponseId,
    view: ResponseView,
    sender: RoomSender,
}

/// One response on the board: its cost, votes and badges, and what this
/// person may do with it; a refusal shows beneath the buttons. Drawn again
/// only when something of it changed.
#[function_component(ResponseCard)]
fn response_card(props: &ResponseCardProps) -> Html {
    let line = use_command_via(props.sender.clone(), None);
    let view = &props.view;
    let (team, response) = (props.team, props.response);
    let send = |command: Command| {
        let line = line.clone();
        Callback::from(move |_| line.send(command.clone()))
    };
    let title = &view.title;
    html! {
        <li class={classes!("response-card", view.adopted.then_some("adopted"))} data-testid="board-response">
            <h4 class="card-title">{ title.clone() }</h4>
            <p class="card-meta">
                { view.meta.clone() }
                { backing_badge(view.backing) }
                if view.adopted { <span class="badge ok">{ "In the strategy" }</span> }
                if let Some((accepted, kind)) = view.custom {
                    <span class="badge">{ format!("own idea ({})", kind_name(kind)) }</span>
                    if accepted {
                        <span class="badge ok">{ "effect accepted" }</span>
                    } else {
                        <span class="badge">{ "counts in your beliefs only until the facilitator accepts it" }</span>
                    }
                }
            </p>
            // While input is closed the buttons stay, disabled; the reason
            // is at the top of the strategy.
            if view.member {
                <div class="button-row">
                    if view.voted {
                        <button type="button" class="secondary" disabled={!view.open} aria-label={format!("Take back my vote for “{title}”")} onclick={send(Command::Unvote { response })}>{ "Take back my vote" }</button>
                    } else if view.votes_left == 0 {
                        // Cannot act: says why, on the button itself.
                        <button type="button" class="secondary" disabled=true aria-label={format!("Vote for “{title}”: no votes left")}
                            aria-describedby="votes-left" data-testid="vote-why">{ "No votes left" }</button>
                    } else {
                        <button type="button" class="secondary" disabled={!view.open} aria-label={format!("Vote for “{title}”")}
                            onclick={send(Command::Vote { response })}>{ "Vote" }</button>
                    }
                    if view.adoption.is_ok() {
                        <button type="button" class="secondary" aria-pressed={view.adopted.to_string()}
                            aria-label={if view.adopted { format!("Drop “{title}” from the strategy") } else { format!("Adopt “{title}”") }}
                            onclick={send(Command::AdoptResponse { response, adopted: !view.adopted })}>
                            { if view.adopted { "Drop" } else { "Adopt" } }
                        </button>
                    }
                </div>
            }
            if view.decides {
                <div class="button-row">
                    <button type="button" class="secondary" aria-pressed={view.adopted.to_string()}
                        aria-label={if view.adopted { format!("Drop for the team: “{title}”") } else { format!("Adopt for the team: “{title}”") }}
                        onclick={send(Command::DecideResponse { team, response, adopted: !view.adopted })}>
                        { if view.adopted { "Drop for the team" } else { "Adopt for the team" } }
                    </button>
                </div>
            }
            <Refusal sent={line.sent.clone()} />
            <details class="more">
                <summary>
                    { format!("More · {}", riskroom_core::text::count(view.comments, "comment", "comments")) }
                    <span class="visually-hidden">{ format!(" on “{title}”") }</span>
                </summary>
                if let Some(why) = view.adoption.as_ref().err().filter(|why| !why.is_empty()) {
                    <p class="hint" data-testid="adoption-why">{ why.clone() }</p>
                }
                if view.withdrawable {
                    <button type="button" class="link-button" aria-label={format!("Withdraw “{title}”")} onclick={send(Command::WithdrawResponse { response })}>{ "Withdraw" }</button>
                }
                <Comments {team} on={Target::Response(response)} about={title.clone()}
                    count={view.comments} can_write={view.can_comment} />
            </details>
            if let Some(effects) = &view.to_accept {
                <button type="button" class="secondary" onclick={
                    send(Command::AcceptCustomResponse { team, response, effects: effects.clone() })
                }>{ format!("Accept the effect of “{title}” as proposed") }</button>
            }
        </li>
    }
}

/// The badge of a response the team's role model proposed or backed.
pub fn backing_badge(backing: Option<RoleModelBacking>) -> Html {
    match backing {
        Some(RoleModelBacking::Proposed) => html! {
            <span class="badge role-model" data-testid="proposed-by-role-model">{ "proposed by the role model" }</span>
        },
        Some(RoleModelBacking::Backed) => html! {
            <span class="badge role-model" data-testid="backed-by-role-model">{ "backed by the role model" }</span>
        },
        None => html! {},
    }
}
