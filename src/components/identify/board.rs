//! A team's strategy board of risks: learners raise cards (from a clue in
//! their brief or as free text); the facilitator merges duplicates, hides
//! off-topic cards and links free-text cards to the scenario's risks.

use riskroom_core::Command;
use riskroom_core::room::Action;
use std::rc::Rc;

use riskroom_core::room::{Card, CardId, Target, TeamId};
use riskroom_core::scenario::Phase;
use riskroom_core::text::MAX_SHORT_TEXT;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::widgets::{Comments, comment_counts, may_comment};
use crate::format::{display_name, estimate_text};
use crate::hooks::{RoomSender, Sent, use_command, use_room};

#[derive(Properties, PartialEq)]
pub struct BoardProps {
    pub team: TeamId,
    /// Whether the form to raise a risk sits on the board (a learner's page
    /// shows it on its own tab instead).
    #[prop_or(true)]
    pub raise: bool,
}

#[function_component(Board)]
pub fn board(props: &BoardProps) -> Html {
    let room = use_room();
    // The scenario's risks a card can stand for, the same list while the
    // scenario is the same: each card is drawn again only when it changed.
    let risk_names: Vec<(String, String)> = room
        .state
        .room
        .as_ref()
        .and_then(|r| r.scenario.as_ref())
        .map(|s| {
            s.risks
                .iter()
                .map(|k| (k.id.clone(), k.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    let risks = use_memo(risk_names, |names| names.clone());
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let facilitator = room.state.is_facilitator();
    let me = room.state.my_id();
    let can_raise =
        me.is_some_and(|id| team.member(id).is_some()) && room.state.may(Action::RaiseRisk);
    let live: Vec<_> = team.cards.iter().filter(|c| c.live()).collect();
    let set_aside: Vec<_> = team.cards.iter().filter(|c| c.set_aside()).collect();
    let currency = r
        .scenario
        .as_ref()
        .map(|s| s.currency.clone())
        .unwrap_or_default();
    let counts = comment_counts(team);
    let can_comment = may_comment(&room.state, team);

    html! {
        <section class="panel board" aria-labelledby={format!("board-heading-{}", team.id.0)}>
            <h2 id={format!("board-heading-{}", team.id.0)}>
                { format!("{}: risks on the board ", team.name) }
                <span class="count" data-testid="card-count">{ live.len() }</span>
            </h2>
            if can_raise && props.raise {
                <RaiseForm />
            }
            if live.is_empty() {
                <p class="hint">{ "No risks on the board yet." }</p>
            }
            <ul class="card-list">
                { for live.iter().map(|card| {
                    let estimates = (r.phase >= Phase::Assess)
                        .then(|| team.estimates.iter().filter(|e| e.card == card.id).count());
                    html! {
                        <BoardCard key={card.id.0} team={team.id} card={(*card).clone()}
                            author={display_name(r, card.author)}
                            role_model={room.state.shows_role_model(card.author)}
                            {estimates}
                            consensus={card.consensus.as_ref().map(|agreed| AttrValue::from(estimate_text(agreed, &currency)))}
                            comments={counts.get(&Target::Card(card.id)).copied().unwrap_or(0)}
                            {can_comment}
                            moderation={facilitator.then(|| Moderation { risks: Rc::clone(&risks), can_merge: live.len() > 1, sender: room.sender() })} />
                    }
                }) }
            </ul>
            if facilitator && !set_aside.is_empty() {
                <details>
                    <summary>{ format!("{} set aside (hidden or merged)", riskroom_core::text::count(set_aside.len(), "card", "cards")) }</summary>
                    <ul class="plain-list">
                        { for set_aside.iter().map(|card| {
                            let show = {
                                let room = room.clone();
                                let (team, card) = (team.id, card.id);
                                Callback::from(move |_| room.send(Command::HideCard { team, card, hidden: false }))
                            };
                            html! {
                                <li key={card.id.0}>
                                    { card.title.clone() }
                                    if let Some(into) = card.merged_into {
                                        <span class="hint">{ format!(" · merged into “{}”", team.card(into).map(|c| c.title.clone()).unwrap_or_default()) }</span>
                                    } else {
                                        <button type="button" class="link-button" aria-label={format!("Show “{}” again", card.title)} onclick={show}>{ "Show" }</button>
                                    }
                                </li>
                            }
                        }) }
                    </ul>
                </details>
            }
        </section>
    }
}

/// Raise a risk: from a clue of your brief, or in your own words.
#[function_component(RaiseForm)]
pub fn raise_form() -> Html {
    let room = use_room();
    let title = use_state(String::new);
    let description = use_state(String::new);
    let clue = use_state(String::new);
    let text_chars = room.state.room.as_ref().map_or(0, |r| r.limits.text_chars);
    let clues: Vec<String> = room
        .state
        .room
        .as_ref()
        .zip(room.state.my_id())
        .and_then(|(r, me)| {
            let role = r.role_of(me)?;
            Some(
                r.scenario
                    .as_ref()?
                    .role(role)?
                    .clues
                    .iter()
                    .map(|c| c.text.clone())
                    .collect(),
            )
        })
        .unwrap_or_default();
    // The form empties as a card is sent, so the next can be typed at once;
    // a refused card comes back into the form when the learner has not
    // started another, and otherwise the refusal names it: nothing typed is
    // lost.
    let sent = use_mut_ref(|| (String::new(), String::new(), String::new()));
    let line = use_command(None);
    {
        let (title, description, clue) = (title.clone(), description.clone(), clue.clone());
        let sent = sent.clone();
        use_effect_with(line.sent.clone(), move |answer| {
            if answer.refusal().is_some() && title.is_empty() && description.is_empty() {
                let (t, d, c) = sent.borrow().clone();
                title.set(t);
                description.set(d);
                clue.set(c);
            }
        });
    }
    let title_field = use_node_ref();
    let submit = {
        let (title, description, clue) = (title.clone(), description.clone(), clue.clone());
        let line = line.clone();
        let sent = sent.clone();
        let title_field = title_field.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The title as it stands: Enter can come before the page has
            // drawn the last key typed.
            let typed = title_field
                .cast::<HtmlInputElement>()
                .map_or_else(|| (*title).clone(), |input| input.value());
            *sent.borrow_mut() = (typed.clone(), (*description).clone(), (*clue).clone());
            line.send(Command::RaiseRisk {
                title: typed,
                description: (*description).clone(),
                clue: clue.parse().ok(),
            });
            title.set(String::new());
            description.set(String::new());
            clue.set(String::new());
        })
    };
    let refused_title = sent.borrow().0.clone();
    // While raising is closed (time is up, paused) the form stays, with what
    // was typed, and says why.
    let closed = match room.state.actor() {
        Some(actor) => room.state.room.as_ref().and_then(|r| {
            r.allows(&actor, Action::RaiseRisk, js_sys::Date::now() as u64)
                .err()
                .map(|e| e.to_string())
        }),
        None => None,
    };
    html! {
        <form class="raise-form" onsubmit={submit} aria-label="Raise a risk">
            if let Some(why) = &closed {
                <p class="hint closed-why" id="raise-closed" data-testid="raise-closed">{ why.clone() }</p>
            }
            <fieldset class="plain" disabled={closed.is_some()} aria-describedby={closed.is_some().then_some("raise-closed")}>
            <label for="risk-title">{ "A risk you see" }</label>
            <input id="risk-title" ref={title_field.clone()} maxlength={MAX_SHORT_TEXT.to_string()} required=true value={(*title).clone()} placeholder="What could go wrong?"
                oninput={ let title = title.clone();
                          move |e: InputEvent| title.set(e.target_unchecked_into::<HtmlInputElement>().value()) } />
            <label for="risk-description">{ "Why it matters (optional)" }</label>
            <textarea id="risk-description" rows="2" maxlength={text_chars.to_string()} value={(*description).clone()}
                oninput={ let description = description.clone();
                          move |e: InputEvent| description.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()) } />
            if !clues.is_empty() {
                <label for="risk-clue">{ "Based on" }</label>
                <select id="risk-clue"
                    onchange={ let clue = clue.clone();
                               move |e: Event| clue.set(e.target_unchecked_into::<HtmlSelectElement>().value()) }>
                    <option value="" selected={clue.is_empty()}>{ "My own thinking" }</option>
                    { for clues.iter().enumerate().map(|(i, text)| html! {
                        <option value={i.to_string()} selected={*clue == i.to_string()}>
                            { format!("Clue {}: {}", i + 1, short(text)) }
                        </option>
                    }) }
                </select>
            }
            <button type="submit" class="primary" aria-describedby="raise-refusal">{ "Put it on the board" }</button>
            </fieldset>
            <div class="refusal-slot" role="alert">
                if let Some(why) = line.sent.refusal() {
                    <p class="refusal" id="raise-refusal" data-testid="refusal">
                        { format!("“{refused_title}” is not on the board: {why}") }
                    </p>
                }
            </div>
            if line.sent == Sent::Accepted {
                <p class="hint" role="status" data-testid="raised">{ "On the board. Raise another, or see the board." }</p>
            }
        </form>
    }
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The facilitator's tools on each card: the scenario's risks a card can
/// stand for (id, title), and what sends the commands.
#[derive(Clone, PartialEq)]
struct Moderation {
    risks: Rc<Vec<(String, String)>>,
    /// Whether the board holds another card to merge into.
    can_merge: bool,
    sender: RoomSender,
}

#[derive(Properties, PartialEq)]
struct BoardCardProps {
    team: TeamId,
    card: Card,
    author: AttrValue,
    role_model: bool,
    /// How many estimates it has, once estimating has begun.
    estimates: Option<usize>,
    consensus: Option<AttrValue>,
    comments: usize,
    can_comment: bool,
    /// The facilitator's tools, on the console.
    moderation: Option<Moderation>,
}

/// One card on the board, drawn again only when something of it changed.
#[function_component(BoardCard)]
fn board_card(props: &BoardCardProps) -> Html {
    let card = &props.card;
    html! {
        <li class={classes!("risk-card", card.from_clue.then_some("from-clue"))} data-testid="risk-card">
            <h3 class="card-title">{ card.title.clone() }</h3>
            if !card.description.is_empty() {
                <p class="card-text">{ card.description.clone() }</p>
            }
            <p class="card-meta">
                { format!("Raised by {}", props.author) }
                if card.from_clue { <span class="badge">{ "from a brief" }</span> }
                if props.role_model { <span class="badge role-model">{ "role model" }</span> }
                if let Some(estimates) = props.estimates {
                    <span class="badge">{ riskroom_core::text::count(estimates, "estimate", "estimates") }</span>
                }
            </p>
            if let Some(agreed) = &props.consensus {
                <p class="consensus" data-testid="consensus">{ format!("Agreed: {agreed}") }</p>
            }
            <Comments team={props.team} on={Target::Card(card.id)} about={card.title.clone()}
                count={props.comments} can_write={props.can_comment} />
            if let Some(moderation) = &props.moderation {
                <CardModeration team={props.team} card={card.id} title={card.title.clone()}
                    risk={card.risk.clone()} moderation={moderation.clone()} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct CardModerationProps {
    team: TeamId,
    card: CardId,
    title: AttrValue,
    risk: Option<String>,
    moderation: Moderation,
}

/// The facilitator's tools on one card.
#[function_component(CardModeration)]
fn card_moderation(props: &CardModerationProps) -> Html {
    let (team_id, card_id) = (props.team, props.card);
    // The list of cards to merge into is drawn for one card at a time, when
    // asked for: drawn on every card of a board of hundreds, it would be
    // hundreds of lists of hundreds.
    let merging = use_state(|| false);
    // Back on "Merge…" once the list closes (only after it was open).
    let merge_button = use_node_ref();
    let was_merging = use_mut_ref(|| false);
    {
        let merge_button = merge_button.clone();
        use_effect_with(*merging, move |&open| {
            if open {
                *was_merging.borrow_mut() = true;
            } else if std::mem::take(&mut *was_merging.borrow_mut())
                && let Some(button) = merge_button.cast::<web_sys::HtmlElement>()
            {
                let _ = button.focus();
            }
        });
    }
    let start_merge = {
        let merging = merging.clone();
        Callback::from(move |_| merging.set(true))
    };
    let done_merging = {
        let merging = merging.clone();
        Callback::from(move |()| merging.set(false))
    };
    let sender = &props.moderation.sender;
    let hide = {
        let sender = sender.clone();
        Callback::from(move |_| {
            sender.send(Command::HideCard {
                team: team_id,
                card: card_id,
                hidden: true,
            })
        })
    };
    let link = {
        let sender = sender.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            sender.send(Command::LinkCard {
                team: team_id,
                card: card_id,
                risk: (!v.is_empty()).then_some(v),
            });
        })
    };
    let title = &props.title;
    html! {
        <div class="moderation">
            <select aria-label={format!("Scenario risk that “{title}” stands for")} onchange={link}>
                <option value="" selected={props.risk.is_none()}>{ "Not linked to a scenario risk" }</option>
                { for props.moderation.risks.iter().map(|(id, name)| html! {
                    <option value={id.clone()} selected={props.risk.as_deref() == Some(id.as_str())}>
                        { format!("Stands for: {name}") }
                    </option>
                }) }
            </select>
            if *merging {
                <MergeList team={team_id} card={card_id} title={title.clone()}
                    sender={sender.clone()} done={done_merging} />
            } else if props.moderation.can_merge {
                <button type="button" class="link-button" ref={merge_button} aria-label={format!("Merge “{title}” into another card")} onclick={start_merge}>{ "Merge…" }</button>
            }
            <button type="button" class="link-button" aria-label={format!("Hide “{title}”")} onclick={hide}>{ "Hide" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MergeListProps {
    team: TeamId,
    card: CardId,
    title: AttrValue,
    sender: RoomSender,
    /// Called when the list closes: merged, or cancelled.
    done: Callback<()>,
}

/// The cards of the team one card can be merged into, while the facilitator
/// chooses: a merge is made by its button, never by moving through the
/// list; Cancel or Escape closes it.
#[function_component(MergeList)]
fn merge_list(props: &MergeListProps) -> Html {
    let room = use_room();
    let list = use_node_ref();
    let chosen = use_state(|| None::<CardId>);
    {
        let list = list.clone();
        use_effect_with((), move |()| {
            if let Some(list) = list.cast::<HtmlSelectElement>() {
                let _ = list.focus();
            }
        });
    }
    let Some((_, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let others: Vec<_> = team
        .cards
        .iter()
        .filter(|c| c.live() && c.id != props.card)
        .collect();
    let choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            chosen.set(value.parse().ok().map(CardId));
        })
    };
    let merge = {
        let (sender, done, chosen) = (props.sender.clone(), props.done.clone(), chosen.clone());
        let (team, card) = (props.team, props.card);
        Callback::from(move |_| {
            if let Some(into) = *chosen {
                sender.send(Command::MergeCards { team, card, into });
                done.emit(());
            }
        })
    };
    let cancel = {
        let done = props.done.clone();
        Callback::from(move |_| done.emit(()))
    };
    let escape = {
        let done = props.done.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                done.emit(());
            }
        })
    };
    let title = &props.title;
    html! {
        <span class="merge-list" onkeydown={escape}>
            <select ref={list} aria-label={format!("Merge “{title}” into another card")} onchange={choose}>
                <option value="" selected={chosen.is_none()}>{ "Merge into…" }</option>
                { for others.iter().map(|c| html! {
                    <option value={c.id.0.to_string()} selected={*chosen == Some(c.id)}>{ c.title.clone() }</option>
                }) }
            </select>
            <button type="button" class="secondary" disabled={chosen.is_none()}
                aria-label={format!("Merge “{title}” into the card chosen")} onclick={merge}>{ "Merge" }</button>
            <button type="button" class="link-button" onclick={cancel}>{ "Cancel" }</button>
        </span>
    }
}
