//! The people in the room, live. Names are user text and render as text.

use riskroom_core::{Participant, ParticipantId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParticipantListProps {
    pub participants: Vec<Participant>,
    /// Marks "(you)" beside this one.
    #[prop_or_default]
    pub me: Option<ParticipantId>,
    /// When set, each row gets a Remove button (the facilitator's console).
    #[prop_or_default]
    pub on_remove: Option<Callback<ParticipantId>>,
}

#[function_component(ParticipantList)]
pub fn participant_list(props: &ParticipantListProps) -> Html {
    let count = props.participants.len();
    html! {
        <section class="participants" aria-labelledby="participants-heading">
            <h2 id="participants-heading">
                { "Participants " }
                <span class="count" data-testid="participant-count">{ count }</span>
            </h2>
            if count == 0 {
                <p class="empty">{ "Nobody has joined yet." }</p>
            } else {
                <ul data-testid="participant-list">
                    { for props.participants.iter().map(|p| {
                        let you = props.me == Some(p.id);
                        html! {
                            <li key={p.id.0} class={classes!(you.then_some("you"))}>
                                <span class="name">{ p.name.clone() }</span>
                                if you { <span class="tag">{ " (you)" }</span> }
                                if let Some(on_remove) = &props.on_remove {
                                    <button type="button" class="link-button"
                                        aria-label={format!("Remove {}", p.name)}
                                        onclick={ let id = p.id; on_remove.reform(move |_| id) }>
                                        { "Remove" }
                                    </button>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}
