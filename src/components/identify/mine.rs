//! A learner's own cards in Identify: theirs to edit or withdraw until the
//! phase closes (the core says when), each change answered beside the card.

use riskroom_core::Command;
use riskroom_core::room::{Action, CardId, TeamId};
use riskroom_core::text::MAX_SHORT_TEXT;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::hooks::{Refusal, Sent, use_command, use_room};

#[derive(Properties, PartialEq)]
pub struct MyCardsProps {
    pub team: TeamId,
}

/// The cards this learner raised, newest first.
#[function_component(MyCards)]
pub fn my_cards(props: &MyCardsProps) -> Html {
    let room = use_room();
    let (Some((_, team)), Some(me)) = (room.state.team(props.team), room.state.my_id()) else {
        return html! {};
    };
    let mine: Vec<CardId> = team
        .cards
        .iter()
        .rev()
        .filter(|c| c.live() && c.author == me)
        .map(|c| c.id)
        .collect();
    let others = team.cards.iter().filter(|c| c.live()).count() - mine.len();
    html! {
        <section class="my-cards" aria-labelledby="my-cards-heading">
            <h3 id="my-cards-heading">{ format!("Your cards ({})", mine.len()) }</h3>
            <p class="hint" data-testid="others-cards">{ format!("{} from your teammates: see the Board tab.",
                riskroom_core::text::count(others, "card", "cards")) }</p>
            <ul class="card-list">
                { for mine.iter().map(|&card| html! { <MyCard key={card.0} team={props.team} {card} /> }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MyCardProps {
    team: TeamId,
    card: CardId,
}

#[function_component(MyCard)]
fn my_card(props: &MyCardProps) -> Html {
    let room = use_room();
    let editing = use_state(|| false);
    let title = use_state(String::new);
    let description = use_state(String::new);
    let done = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(false))
    };
    let line = use_command(Some(done));
    let Some((_, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let Some(card) = team.card(props.card) else {
        return html! {};
    };
    let may_edit = room.state.may(Action::EditRisk);
    let may_withdraw = room.state.may(Action::WithdrawRisk);
    let start = {
        let (editing, title, description) = (editing.clone(), title.clone(), description.clone());
        let (t, d) = (card.title.clone(), card.description.clone());
        let line = line.clone();
        Callback::from(move |_| {
            title.set(t.clone());
            description.set(d.clone());
            editing.set(true);
            line.clear();
        })
    };
    let withdraw = {
        let line = line.clone();
        let card = card.id;
        Callback::from(move |_| line.send(Command::WithdrawRisk { card }))
    };
    let save = {
        let (title, description) = (title.clone(), description.clone());
        let line = line.clone();
        let card = card.id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            line.send(Command::EditRisk {
                card,
                title: (*title).clone(),
                description: (*description).clone(),
            });
        })
    };
    let cancel = {
        let editing = editing.clone();
        let line = line.clone();
        Callback::from(move |_| {
            editing.set(false);
            line.clear();
        })
    };
    let text_chars = room.state.room.as_ref().map_or(0, |r| r.limits.text_chars);
    let id = format!("my-card-{}", card.id.0);
    html! {
        <li class="risk-card mine" data-testid="my-card">
            if *editing {
                <form class="edit-card" onsubmit={save} aria-label={format!("Edit “{}”", card.title)}>
                    <label for={format!("{id}-title")}>{ "The risk" }</label>
                    <input id={format!("{id}-title")} maxlength={MAX_SHORT_TEXT.to_string()} required=true value={(*title).clone()}
                        oninput={ let title = title.clone();
                                  move |e: InputEvent| title.set(e.target_unchecked_into::<HtmlInputElement>().value()) } />
                    <label for={format!("{id}-description")}>{ "Why it matters (optional)" }</label>
                    <textarea id={format!("{id}-description")} rows="2" maxlength={text_chars.to_string()} value={(*description).clone()}
                        oninput={ let description = description.clone();
                                  move |e: InputEvent| description.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()) } />
                    <div class="button-row">
                        <button type="submit" class="primary" disabled={line.sent == Sent::Waiting}>{ "Save" }</button>
                        <button type="button" class="secondary" onclick={cancel}>{ "Cancel" }</button>
                    </div>
                </form>
            } else {
                <h4 class="card-title">{ card.title.clone() }</h4>
                if !card.description.is_empty() {
                    <p class="card-text">{ card.description.clone() }</p>
                }
                if may_edit || may_withdraw {
                    <div class="button-row">
                        if may_edit {
                            <button type="button" class="secondary" aria-label={format!("Edit “{}”", card.title)} onclick={start}>{ "Edit" }</button>
                        }
                        if may_withdraw {
                            <button type="button" class="link-button" aria-label={format!("Withdraw “{}”", card.title)} onclick={withdraw}>{ "Withdraw" }</button>
                        }
                    </div>
                }
            }
            <Refusal sent={line.sent.clone()} />
        </li>
    }
}
