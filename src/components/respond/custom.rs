//! The team's own response: what it would do, its cost, and the cut it
//! believes it makes in one risk's chance and loss.

use riskroom_core::Command;
use riskroom_core::room::{CustomEffect, TeamId};
use riskroom_core::scenario::ResponseKind;
use riskroom_core::text::MAX_SHORT_TEXT;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::hooks::{Refusal, Sent, use_command, use_room};

#[derive(Properties, PartialEq)]
pub(super) struct CustomResponseFormProps {
    pub(super) team: TeamId,
}

/// The team's own idea: a title, a kind, a cost and what it does to one risk.
#[function_component(CustomResponseForm)]
pub(super) fn custom_response_form(props: &CustomResponseFormProps) -> Html {
    let room = use_room();
    let title = use_state(String::new);
    let kind = use_state(|| "reduce".to_owned());
    let cost = use_state(String::new);
    let card = use_state(String::new);
    let chance_cut = use_state(|| "0".to_owned());
    let impact_cut = use_state(|| "0".to_owned());
    let cards: Vec<(u32, String)> = room
        .state
        .room
        .as_ref()
        .and_then(|r| r.team(props.team))
        .map(|t| {
            t.cards
                .iter()
                .filter(|c| c.live())
                .map(|c| (c.id.0, c.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    let emptied = {
        let (title, cost) = (title.clone(), cost.clone());
        Callback::from(move |()| {
            title.set(String::new());
            cost.set(String::new());
        })
    };
    let line = use_command(Some(emptied));
    let submit = {
        let line = line.clone();
        let (title, kind, cost, card, chance_cut, impact_cut) = (
            title.clone(),
            kind.clone(),
            cost.clone(),
            card.clone(),
            chance_cut.clone(),
            impact_cut.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let number = |s: &str| s.trim().replace([',', ' '], "").parse::<f64>().ok();
            let (Some(cost_value), Some(pc), Some(ic)) =
                (number(&cost), number(&chance_cut), number(&impact_cut))
            else {
                line.refuse("Give the cost and both cuts as numbers.");
                return;
            };
            let effects = match card.parse::<u32>() {
                Ok(id) => vec![CustomEffect {
                    card: riskroom_core::room::CardId(id),
                    probability: 1.0 - pc / 100.0,
                    impact: 1.0 - ic / 100.0,
                }],
                Err(_) => Vec::new(),
            };
            let kind = match kind.as_str() {
                "avoid" => ResponseKind::Avoid,
                "transfer" => ResponseKind::Transfer,
                "accept" => ResponseKind::Accept,
                _ => ResponseKind::Reduce,
            };
            line.send(Command::ProposeCustomResponse {
                title: (*title).clone(),
                kind,
                cost: cost_value,
                effects,
            });
        })
    };
    let field = |state: &UseStateHandle<String>| {
        let state = state.clone();
        move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let pick = |state: &UseStateHandle<String>| {
        let state = state.clone();
        move |e: Event| state.set(e.target_unchecked_into::<HtmlSelectElement>().value())
    };
    html! {
        <form class="custom-response" onsubmit={submit}>
            <fieldset>
                <legend>{ "Your own response" }</legend>
                <div class="inline-fields">
                    <div>
                        <label for="custom-title">{ "What you would do" }</label>
                        <input id="custom-title" maxlength={MAX_SHORT_TEXT.to_string()} required=true value={(*title).clone()} oninput={field(&title)} />
                    </div>
                    <div>
                        <label for="custom-kind">{ "Kind" }</label>
                        <select id="custom-kind" onchange={pick(&kind)}>
                            { for ["reduce", "transfer", "avoid", "accept"].iter().map(|k| html! {
                                <option value={*k} selected={*kind == *k}>{ *k }</option>
                            }) }
                        </select>
                    </div>
                    <div>
                        <label for="custom-cost">{ "Cost for the year" }</label>
                        <input id="custom-cost" inputmode="decimal" required=true value={(*cost).clone()} oninput={field(&cost)} />
                    </div>
                    <div>
                        <label for="custom-card">{ "Risk it works on" }</label>
                        <select id="custom-card" onchange={pick(&card)}>
                            <option value="" selected={card.is_empty()}>{ "None in particular" }</option>
                            { for cards.iter().map(|(id, t)| html! {
                                <option value={id.to_string()} selected={*card == id.to_string()}>{ t.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <div>
                        <label for="custom-chance">{ "Cuts its chance by (%)" }</label>
                        <input id="custom-chance" inputmode="decimal" value={(*chance_cut).clone()} oninput={field(&chance_cut)} />
                    </div>
                    <div>
                        <label for="custom-impact">{ "Cuts its loss by (%)" }</label>
                        <input id="custom-impact" inputmode="decimal" value={(*impact_cut).clone()} oninput={field(&impact_cut)} />
                    </div>
                </div>
                <button type="submit" class="secondary" disabled={line.sent == Sent::Waiting}>{ "Propose our response" }</button>
                <Refusal sent={line.sent.clone()} />
            </fieldset>
        </form>
    }
}
