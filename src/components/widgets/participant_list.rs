//! Everyone in the room — the facilitator first, then the learners in join
//! order — with who has a page open right now, and on the console the
//! facilitator's tools for each learner. Names are user text and render as
//! text.

use riskroom_core::protocol::Presence;
use riskroom_core::{Participant, ParticipantId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::MoveSeat;
use crate::hooks::use_room;

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
    /// When set, each learner row offers to remove them (the facilitator's
    /// console) and to move their seat to another device.
    #[prop_or_default]
    pub on_remove: Option<Callback<Removal>>,
}

/// The facilitator's removal of a learner, and what goes with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removal {
    pub id: ParticipantId,
    /// Their cards leave the board too.
    pub cards: bool,
    /// They cannot join this room again under that name.
    pub block: bool,
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
    let room = use_room();
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
                            if room.state.shows_role_model(p.id) {
                                <span class="badge role-model" data-testid="role-model-badge">{ "role model" }</span>
                            }
                            { online_badge(online) }
                            if let Some(on_remove) = &props.on_remove {
                                <LearnerTools id={p.id} name={p.name.clone()} on_remove={on_remove.clone()} />
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

#[derive(Properties, PartialEq)]
struct LearnerToolsProps {
    id: ParticipantId,
    name: AttrValue,
    on_remove: Callback<Removal>,
}

/// The facilitator's tools for one learner: move their seat to another
/// device, or remove them (asking whether their cards go too and whether
/// they may join again).
#[function_component(LearnerTools)]
fn learner_tools(props: &LearnerToolsProps) -> Html {
    let asking = use_state(|| false);
    let cards = use_state(|| false);
    let block = use_state(|| false);
    let toggle = |state: &UseStateHandle<bool>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let remove = {
        let (asking, cards, block) = (asking.clone(), cards.clone(), block.clone());
        let on_remove = props.on_remove.clone();
        let id = props.id;
        Callback::from(move |_| {
            on_remove.emit(Removal {
                id,
                cards: *cards,
                block: *block,
            });
            asking.set(false);
        })
    };
    let slug = format!("learner-{}", props.id.0);
    html! {
        <div class="learner-tools">
            <details>
                <summary aria-label={format!("Move {}'s seat", props.name)}>{ "Move seat" }</summary>
                <MoveSeat participant={props.id} whose={format!("{}'s", props.name)} />
            </details>
            if *asking {
                <div class="confirm" role="group" aria-label={format!("Remove {}", props.name)}>
                    <p><label><input type="checkbox" id={format!("{slug}-cards")} checked={*cards} onchange={toggle(&cards)} />
                        { " Take their cards off the board too" }</label></p>
                    <p><label><input type="checkbox" id={format!("{slug}-block")} checked={*block} onchange={toggle(&block)} />
                        { " Do not let them join again" }</label></p>
                    <div class="button-row">
                        <button type="button" class="secondary danger" onclick={remove}
                            data-testid="confirm-remove">{ format!("Remove {}", props.name) }</button>
                        <button type="button" class="secondary" onclick={ let asking = asking.clone(); move |_| asking.set(false) }>{ "Keep" }</button>
                    </div>
                </div>
            } else {
                <button type="button" class="link-button"
                    aria-label={format!("Remove {}", props.name)}
                    onclick={ let asking = asking.clone(); move |_| asking.set(true) }>
                    { "Remove" }
                </button>
            }
        </div>
    }
}
