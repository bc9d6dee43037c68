//! The discussion under a card or a response: teammates' comments, and a
//! box to add one while the phase allows it.

use riskroom_core::Command;
use riskroom_core::room::Action;
use riskroom_core::room::{Target, TeamId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::format::display_name;
use crate::hooks::{Refusal, Sent, use_command, use_room};

#[derive(Properties, PartialEq)]
pub struct CommentsProps {
    pub team: TeamId,
    pub on: Target,
    /// What the comments are about, for labels ("Port strike").
    pub about: AttrValue,
}

#[function_component(Comments)]
pub fn comments(props: &CommentsProps) -> Html {
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
    let can_write = room
        .state
        .my_id()
        .is_some_and(|id| team.member(id).is_some())
        && room.state.may(Action::Comment);
    if thread.is_empty() && !can_write {
        return html! {};
    }
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
        <details class="comments">
            <summary>{ format!("Comments ({})", thread.len()) }</summary>
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
        </details>
    }
}
