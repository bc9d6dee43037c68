//! The discussion under a card or a response: teammates' comments, and a
//! box to add one while the phase allows it.

use riskroom_core::Command;
use riskroom_core::room::Action;
use riskroom_core::room::{Target, TeamId};
use web_sys::{HtmlDetailsElement, HtmlInputElement};
use yew::prelude::*;

use crate::format::display_name;
use crate::hooks::{Refusal, Sent, use_command, use_room};

#[derive(Properties, PartialEq)]
pub struct CommentsProps {
    pub team: TeamId,
    pub on: Target,
    /// What the comments are about, for labels ("Port strike").
    pub about: AttrValue,
    /// How many comments there are.
    pub count: usize,
    /// Whether this person may add one now.
    pub can_write: bool,
}

/// The comments' summary; the thread and the box to add one are drawn once
/// it has been opened (and kept, with what was typed, when it is closed), so
/// that a board of hundreds of cards follows the room only where someone
/// reads.
#[function_component(Comments)]
pub fn comments(props: &CommentsProps) -> Html {
    let open = use_state(|| false);
    let opened = use_state(|| false);
    if props.count == 0 && !props.can_write {
        return html! {};
    }
    let toggle = {
        let (open, opened) = (open.clone(), opened.clone());
        Callback::from(move |e: Event| {
            let now = e.target_unchecked_into::<HtmlDetailsElement>().open();
            if now && !*opened {
                opened.set(true);
            }
            open.set(now);
        })
    };
    html! {
        <details class="comments" open={*open} ontoggle={toggle}>
            <summary>{ format!("Comments ({})", props.count) }</summary>
            if *opened {
                <Thread team={props.team} on={props.on} about={props.about.clone()} />
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct ThreadProps {
    team: TeamId,
    on: Target,
    about: AttrValue,
}

/// The comments and the box to add one.
#[function_component(Thread)]
fn thread(props: &ThreadProps) -> Html {
    let room = use_room();
    let text = use_state(String::new);
    let emptied = {
        let text = text.clone();
        Callback::from(move |()| text.set(String::new()))
    };
    let line = use_command(Some(emptied));
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let thread: Vec<_> = team.comments.iter().filter(|c| c.on == props.on).collect();
    let can_write = may_comment(&room.state, team);
    let submit = {
        let line = line.clone();
        let text = text.clone();
        let on = props.on;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            line.send(Command::Comment {
                on,
                text: (*text).clone(),
            });
        })
    };
    let field_id = match props.on {
        Target::Card(id) => format!("comment-card-{}", id.0),
        Target::Response(id) => format!("comment-response-{}", id.0),
    };
    html! {
        <>
            <ul class="plain-list">
                { for thread.iter().map(|c| html! {
                    <li class="comment" data-testid="comment">
                        <strong>{ c.author.map_or_else(|| "Facilitator".to_owned(), |id| display_name(r, id)) }</strong>
                        { ": " }{ c.text.clone() }
                    </li>
                }) }
            </ul>
            if can_write {
                <form class="comment-form" onsubmit={submit}>
                    <label for={field_id.clone()}>{ format!("Your comment on “{}”", props.about) }</label>
                    <div class="inline-fields">
                        <input id={field_id} maxlength={r.limits.text_chars.to_string()} required=true value={(*text).clone()}
                            oninput={ let text = text.clone();
                                      move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlInputElement>().value()) } />
                        <button type="submit" class="secondary" disabled={line.sent == Sent::Waiting}>{ "Comment" }</button>
                    </div>
                    <Refusal sent={line.sent.clone()} />
                </form>
            }
        </>
    }
}

/// How many comments each card and response of `team` has.
pub fn comment_counts(
    team: &riskroom_core::room::Team,
) -> std::collections::HashMap<Target, usize> {
    let mut counts = std::collections::HashMap::new();
    for c in &team.comments {
        *counts.entry(c.on).or_insert(0) += 1;
    }
    counts
}

/// Whether this person may comment on `team`'s board now.
pub fn may_comment(state: &crate::state::ClientState, team: &riskroom_core::room::Team) -> bool {
    state.my_id().is_some_and(|id| team.member(id).is_some()) && state.may(Action::Comment)
}
