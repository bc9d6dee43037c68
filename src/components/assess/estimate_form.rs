//! The form for a private estimate, or for the value the team agrees:
//! how often, and the 90% range of one event's loss.

use riskroom_core::Command;
use riskroom_core::room::{CardId, Estimate};
use riskroom_core::scenario::Frequency;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::hooks::use_room;

#[derive(Properties, PartialEq)]
pub(super) struct EstimateFormProps {
    pub(super) card: CardId,
    pub(super) title: AttrValue,
    pub(super) start: Option<Estimate>,
    /// Agreeing the team's value rather than giving one's own.
    pub(super) consensus: bool,
}

/// How often and how bad: a private estimate, or the team's agreed value.
#[function_component(EstimateForm)]
pub(super) fn estimate_form(props: &EstimateFormProps) -> Html {
    let room = use_room();
    let (kind0, value0) = match props.start.map(|e| e.frequency) {
        Some(Frequency::Rate(r)) => ("rate", r.to_string()),
        Some(Frequency::Probability(p)) => {
            ("probability", format!("{}", (p * 1000.0).round() / 10.0))
        }
        None => ("probability", String::new()),
    };
    let kind = use_state(|| kind0.to_owned());
    let value = use_state(|| value0);
    let low = use_state(|| props.start.map(|e| e.low.to_string()).unwrap_or_default());
    let high = use_state(|| props.start.map(|e| e.high.to_string()).unwrap_or_default());
    let id = format!(
        "{}-{}",
        if props.consensus { "agree" } else { "est" },
        props.card.0
    );
    let submit = {
        let (kind, value, low, high) = (kind.clone(), value.clone(), low.clone(), high.clone());
        let card = props.card;
        let consensus = props.consensus;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let number = |s: &str| s.trim().replace([',', ' '], "").parse::<f64>().ok();
            let (Some(v), Some(low), Some(high)) = (number(&value), number(&low), number(&high))
            else {
                room.notice(
                    "Fill in how often and both ends of the loss range, as numbers.".into(),
                );
                return;
            };
            let frequency = if *kind == "rate" {
                Frequency::Rate(v)
            } else {
                Frequency::Probability(v / 100.0)
            };
            let estimate = Estimate {
                frequency,
                low,
                high,
            };
            room.send(if consensus {
                Command::SetConsensus { card, estimate }
            } else {
                Command::SubmitEstimate { card, estimate }
            });
        })
    };
    let field = |state: &UseStateHandle<String>| {
        let state = state.clone();
        move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let legend = if props.consensus {
        format!("The team's agreed value for “{}”", props.title)
    } else {
        format!("Your private estimate for “{}”", props.title)
    };
    html! {
        <form class={classes!("estimate-form", props.consensus.then_some("agree"))} onsubmit={submit}>
            <fieldset>
                <legend>{ legend }</legend>
                <div class="inline-fields">
                    <div>
                        <label for={format!("{id}-kind")}>{ "Measured as" }</label>
                        <select id={format!("{id}-kind")}
                            onchange={ let kind = kind.clone(); move |e: Event| kind.set(e.target_unchecked_into::<HtmlSelectElement>().value()) }>
                            <option value="probability" selected={*kind == "probability"}>{ "Chance in a year (%)" }</option>
                            <option value="rate" selected={*kind == "rate"}>{ "Times a year" }</option>
                        </select>
                    </div>
                    <div>
                        <label for={format!("{id}-value")}>{ if *kind == "rate" { "Times a year" } else { "Chance (%)" } }</label>
                        <input id={format!("{id}-value")} inputmode="decimal" value={(*value).clone()} oninput={field(&value)} />
                    </div>
                    <div>
                        <label for={format!("{id}-low")}>{ "Loss if it happens: low end (19 in 20 losses above it)" }</label>
                        <input id={format!("{id}-low")} inputmode="decimal" value={(*low).clone()} oninput={field(&low)} />
                    </div>
                    <div>
                        <label for={format!("{id}-high")}>{ "High end (19 in 20 below it)" }</label>
                        <input id={format!("{id}-high")} inputmode="decimal" value={(*high).clone()} oninput={field(&high)} />
                    </div>
                </div>
                <button type="submit" class="secondary">
                    { if props.consensus { "Agree this value" } else if props.start.is_some() { "Update my estimate" } else { "Submit my estimate" } }
                </button>
            </fieldset>
        </form>
    }
}
