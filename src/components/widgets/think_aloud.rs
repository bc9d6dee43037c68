//! The role model thinking aloud: on the role model's phone, the
//! scenario's prompts ("Why this risk first?") and a way to answer one on a
//! card, as a comment the team reads; on teammates' screens and the
//! console, what the role model said (the core's `role_model_thinking`).

use riskroom_core::Command;
use riskroom_core::room::{CardId, Target};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::TeamProps;
use crate::format::display_name;
use crate::hooks::{Refusal, Sent, use_command, use_room};

/// The prompts and the answer form, on the team's role model's page only.
#[function_component(ThinkAloud)]
pub fn think_aloud(props: &TeamProps) -> Html {
    let room = use_room();
    let line = use_command(None);
    let card = use_state(String::new);
    let text = use_state(String::new);
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let me = room.state.my_id();
    let prompts = r
        .scenario
        .as_deref()
        .map(|s| s.think_aloud.clone())
        .unwrap_or_default();
    if !me.is_some_and(|m| r.is_role_model(m)) || prompts.is_empty() {
        return html! {};
    }
    let cards: Vec<_> = team.cards.iter().filter(|c| c.live()).collect();
    let chosen = card
        .parse::<u32>()
        .ok()
        .map(CardId)
        .or_else(|| cards.first().map(|c| c.id));
    let submit = {
        let (line, text) = (line.clone(), text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(card) = chosen {
                line.send(Command::Comment {
                    on: Target::Card(card),
                    text: (*text).clone(),
                });
                text.set(String::new());
            }
        })
    };
    html! {
        <section class="panel think-aloud" aria-labelledby="think-aloud-heading" data-testid="think-aloud">
            <h2 id="think-aloud-heading">{ "Think aloud for your team" }</h2>
            <p class="hint">{ "You are the one they learn from: say why, not only what. Your teammates read it on their phones." }</p>
            <ul class="prompts">{ for prompts.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
            if cards.is_empty() {
                <p class="hint">{ "Once a risk is on the board you can say why it matters." }</p>
            } else {
                <form onsubmit={submit}>
                    <label for="think-card">{ "About" }</label>
                    <select id="think-card" onchange={ let card = card.clone();
                        move |e: Event| card.set(e.target_unchecked_into::<HtmlSelectElement>().value()) }>
                        { for cards.iter().map(|c| html! {
                            <option value={c.id.0.to_string()} selected={Some(c.id) == chosen}>{ c.title.clone() }</option>
                        }) }
                    </select>
                    <label for="think-text">{ "Your thinking" }</label>
                    <textarea id="think-text" rows="3" value={(*text).clone()}
                        oninput={ let text = text.clone();
                            move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()) } />
                    <button type="submit" class="primary" disabled={line.sent == Sent::Waiting || text.trim().is_empty()}
                        data-testid="think-aloud-share">{ "Share with the team" }</button>
                    <Refusal sent={line.sent.clone()} />
                </form>
            }
        </section>
    }
}

/// What the team's role model said of their thinking, for teammates and
/// the console.
#[function_component(RoleModelThinking)]
pub fn role_model_thinking(props: &TeamProps) -> Html {
    let room = use_room();
    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let viewer = room.state.viewer();
    let said = r.role_model_thinking(&viewer, team);
    let (Some(model), false) = (team.role_model, said.is_empty()) else {
        return html! {};
    };
    let about = |on: &Target| match on {
        Target::Card(id) => team.card(*id).map(|c| c.title.clone()),
        Target::Response(id) => team.response(*id).map(riskroom_core::room::response_label),
    };
    html! {
        <section class="panel role-model-thinking" aria-labelledby={format!("thinking-{}", team.id.0)}
            data-testid="role-model-thinking">
            <h2 id={format!("thinking-{}", team.id.0)}>{ format!("How {}, the role model, thinks", display_name(r, model)) }</h2>
            <ul class="plain-list">
                { for said.iter().rev().take(5).map(|c| html! {
                    <li>
                        if let Some(title) = about(&c.on) { <strong>{ format!("{title}: ") }</strong> }
                        { c.text.clone() }
                    </li>
                }) }
            </ul>
        </section>
    }
}
