//! Everyone in the room — the facilitator first, then the learners in join
//! order — with who has a page open right now. Names are user text and
//! render as text.

use riskroom_core::protocol::Presence;
use riskroom_core::{Participant, ParticipantId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParticipantListProps {
    pub participants: Vec<Participant>,
    pub presence: Presence,
    /// Marks "(you)" beside this one.
    #[prop_or_default]
    pub me: Option<ParticipantId>,
    /// Marks "(you)" beside the facilitator.
    #[prop_or_default]
    pub me_facilitator: bool,
    /// When set, each learner row gets a Remove button (the facilitator's console).
    #[prop_or_default]
    pub on_remove: Option<Callback<ParticipantId>>,
}

fn online_badge(online: bool) -> Html {
    let (class, text) = if online {
        ("online", "online")
    } else {
        ("offline", "offline")
    };
    html! { <span class={classes!("presence", class)}>{ text }</span> }
}

#[function_component(ParticipantList)]
pub fn participant_list(props: &ParticipantListProps) -> Html {
    let count = props.participants.len() + 1;
    html! {
        <section class="participants" aria-labelledby="participants-heading">
            <h2 id="participants-heading">
                { "In the room " }
                <span class="count" data-testid="participant-count">{ count }</span>
            </h2>
            <ul data-testid="participant-list">
                <li key="facilitator" class={classes!("facilitator", props.me_facilitator.then_some("you"))}>
                    <span class="name">{ "Facilitator" }</span>
                    if props.me_facilitator { <span class="tag">{ " (you)" }</span> }
                    { online_badge(props.presence.facilitator) }
                </li>
                { for props.participants.iter().map(|p| {
                    let you = props.me == Some(p.id);
                    let online = props.presence.online.contains(&p.id);
                    html! {
                        <li key={p.id.0} class={classes!(you.then_some("you"))} data-testid="learner">
                            <span class="name">{ p.name.clone() }</span>
                            if you { <span class="tag">{ " (you)" }</span> }
                            { online_badge(online) }
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
            if props.participants.is_empty() {
                <p class="empty">{ "No learners have joined yet." }</p>
            }
        </section>
    }
}
