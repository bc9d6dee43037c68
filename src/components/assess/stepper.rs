//! A learner's private estimates (or, after the reveal, the team's agreed
//! values), one risk at a time: how likely from quick
//! choices or a number, the 90% range of the loss on two log-scale sliders
//! (each with its number, editable), previous and next, and how many are
//! left. A draft stays as set when the core refuses it.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use riskroom_core::Command;
use riskroom_core::room::{Action, CardId, Estimate, LIKELIHOOD_CHOICES, TeamId, round_amount};
use riskroom_core::scenario::Frequency;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::format::{estimate_short, estimate_text, room_short};
use crate::hooks::{Refusal, Sent, use_command, use_room};

/// What the learner has set for one card, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct Draft {
    /// "probability" (a chance in %) or "rate" (times a year).
    kind: String,
    value: String,
    low: String,
    high: String,
}

impl Draft {
    fn from(estimate: Option<Estimate>) -> Self {
        match estimate {
            Some(e) => {
                let (kind, value) = frequency_fields(e.frequency);
                Self {
                    kind,
                    value,
                    low: plain(e.low),
                    high: plain(e.high),
                }
            }
            None => Self {
                kind: "probability".into(),
                ..Self::default()
            },
        }
    }

    /// The estimate these fields make, or what is missing.
    fn estimate(&self) -> Result<Estimate, &'static str> {
        let number = |s: &str| s.trim().replace([',', ' '], "").parse::<f64>().ok();
        let value = number(&self.value).ok_or("Choose how likely it is, or type a number.")?;
        let low = number(&self.low).ok_or("Set the low end of the loss.")?;
        let high = number(&self.high).ok_or("Set the high end of the loss.")?;
        let frequency = if self.kind == "rate" {
            Frequency::Rate(value)
        } else {
            Frequency::Probability(value / 100.0)
        };
        Ok(Estimate {
            frequency,
            low,
            high,
        })
    }
}

fn frequency_fields(f: Frequency) -> (String, String) {
    match f {
        Frequency::Rate(r) => ("rate".into(), plain(r)),
        Frequency::Probability(p) => ("probability".into(), plain((p * 1000.0).round() / 10.0)),
    }
}

/// A number as a person types it: no exponent, no trailing zeros.
fn plain(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[derive(Properties, PartialEq)]
pub struct EstimateStepperProps {
    pub team: TeamId,
    /// Agreeing the team's value after the reveal, rather than giving one's
    /// own estimate.
    #[prop_or_default]
    pub consensus: bool,
}

/// One card at a time, with how many are left.
#[function_component(EstimateStepper)]
pub fn estimate_stepper(props: &EstimateStepperProps) -> Html {
    let room = use_room();
    let drafts = use_state(BTreeMap::<CardId, Draft>::new);
    // Where the learner is: `None` until the first render picks the first
    // card they have not estimated.
    let at = use_state(|| None::<usize>);
    // The card a save was sent from, so its acceptance moves on from there.
    let sent_from = use_memo((), |_| Rc::new(Cell::new(0usize)));
    let advance = {
        let at = at.clone();
        let sent_from = Rc::clone(&sent_from);
        Callback::from(move |()| at.set(Some(sent_from.get() + 1)))
    };
    let line = use_command(Some(advance));

    let Some((r, team)) = room.state.team(props.team) else {
        return html! {};
    };
    let Some(me) = room.state.my_id() else {
        return html! {};
    };
    let cards: Vec<_> = team.cards.iter().filter(|c| c.live()).collect();
    if cards.is_empty() {
        return html! { <p class="hint">{ "No risks on the board to estimate." }</p> };
    }
    let consensus = props.consensus;
    // What is saved for a card: my estimate, or the team's agreed value.
    let mine = |card: CardId| {
        if consensus {
            team.card(card).and_then(|c| c.consensus)
        } else {
            team.estimates
                .iter()
                .find(|e| e.card == card && e.author == me)
                .and_then(|e| e.value)
        }
    };
    let left = cards.iter().filter(|c| mine(c.id).is_none()).count();
    let first_open = cards.iter().position(|c| mine(c.id).is_none()).unwrap_or(0);
    let index = at.unwrap_or(first_open);
    // The first card is pinned once chosen: a teammate agreeing it must not
    // move the learner off what they are setting.
    if at.is_none() {
        at.set(Some(first_open));
    }
    let currency = r
        .scenario
        .as_ref()
        .map(|s| s.currency.clone())
        .unwrap_or_default();

    // Past the last card: the summary, with a way back to any card.
    if index >= cards.len() {
        return html! {
            <section class="stepper done" aria-labelledby="stepper-heading" data-testid="estimates-done">
                <h3 id="stepper-heading">{ match (left, consensus) {
                    (0, false) => "Every risk estimated",
                    (0, true) => "A value agreed for every risk",
                    _ => "The end of the list",
                } }</h3>
                <p data-testid="estimates-left">{ match (left, consensus) {
                    (0, false) => "Your estimates stay private until the facilitator reveals them all at once. You can still change any of them.".to_owned(),
                    (0, true) => "You can still change any agreed value while the phase lasts.".to_owned(),
                    (n, false) => format!("{} still to estimate.", riskroom_core::text::count(n, "risk", "risks")),
                    (n, true) => format!("{} still to agree.", riskroom_core::text::count(n, "risk", "risks")),
                } }</p>
                <ol class="plain-list estimate-summary">
                    { for cards.iter().enumerate().map(|(i, card)| {
                        let at = at.clone();
                        let line = line.clone();
                        html! {
                            <li key={card.id.0}>
                                <button type="button" class="link-button" onclick={Callback::from(move |_| { line.clear(); at.set(Some(i)); })}>
                                    { card.title.clone() }
                                </button>
                                { match mine(card.id) {
                                    Some(e) => format!(" · {}", estimate_short(r, &e)),
                                    None if consensus => " · not agreed yet".to_owned(),
                                    None => " · not estimated yet".to_owned(),
                                } }
                            </li>
                        }
                    }) }
                </ol>
            </section>
        };
    }

    let card = cards[index];
    let draft = drafts.get(&card.id).cloned().unwrap_or_else(|| {
        Draft::from(if consensus {
            mine(card.id).or_else(|| super::middle(team, card.id))
        } else {
            // In the second round, one's first estimate is where to start.
            mine(card.id).or_else(|| {
                team.first_round
                    .iter()
                    .find(|e| e.card == card.id && e.author == me)
                    .and_then(|e| e.value)
            })
        })
    });
    let set = {
        let card = card.id;
        let draft = draft.clone();
        move |change: fn(&mut Draft, String)| {
            let drafts = drafts.clone();
            let draft = draft.clone();
            move |value: String| {
                let mut next = (*drafts).clone();
                let mut d = draft.clone();
                change(&mut d, value);
                next.insert(card, d);
                drafts.set(next);
            }
        }
    };
    let go = |to: usize| {
        let at = at.clone();
        let line = line.clone();
        Callback::from(move |_| {
            line.clear();
            at.set(Some(to));
        })
    };
    let submit = {
        let line = line.clone();
        let draft = draft.clone();
        let card = card.id;
        let sent_from = Rc::clone(&sent_from);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match draft.estimate() {
                Ok(estimate) => {
                    sent_from.set(index);
                    line.send(if consensus {
                        Command::SetConsensus { card, estimate }
                    } else {
                        Command::SubmitEstimate { card, estimate }
                    });
                }
                Err(missing) => line.refuse(missing),
            }
        })
    };
    // While input is closed (paused, time is up) the draft stays, Save is
    // disabled, and the core's reason shows.
    let action = if consensus {
        Action::SetConsensus
    } else {
        Action::SubmitEstimate
    };
    let closed = room.state.actor().and_then(|actor| {
        r.allows(&actor, action, js_sys::Date::now() as u64)
            .err()
            .map(|e| e.to_string())
    });
    let (scale_low, scale_high) = r.loss_scale();
    let id = format!("step-{}", card.id.0);
    let saved = mine(card.id);
    let choose = {
        let set_kind = set(|d, v| {
            let (kind, value) = v.split_once('|').unwrap_or(("probability", ""));
            d.kind = kind.to_owned();
            d.value = value.to_owned();
        });
        move |f: Frequency| {
            let set_kind = set_kind.clone();
            let (kind, value) = frequency_fields(f);
            Callback::from(move |_| set_kind(format!("{kind}|{value}")))
        }
    };
    let slider = |which: &'static str,
                  label: &'static str,
                  hint: &'static str,
                  value: &str,
                  change: fn(&mut Draft, String)| {
        let amount = value
            .trim()
            .replace([',', ' '], "")
            .parse::<f64>()
            .ok()
            .filter(|x| *x > 0.0);
        let position = amount.map_or((scale_low * scale_high).sqrt().log10(), |x| {
            x.clamp(scale_low, scale_high).log10()
        });
        let on_slide = {
            let set = set(change);
            move |e: InputEvent| {
                let v = e
                    .target_unchecked_into::<HtmlInputElement>()
                    .value_as_number();
                set(plain(round_amount(10f64.powf(v))))
            }
        };
        let on_type = {
            let set = set(change);
            move |e: InputEvent| set(e.target_unchecked_into::<HtmlInputElement>().value())
        };
        let field = format!("{id}-{which}");
        html! {
            <div class="slider-field">
                <label for={field.clone()}>{ label }</label>
                <div class="slider-row">
                    <input type="range" min={scale_low.log10().to_string()} max={scale_high.log10().to_string()} step="0.01"
                        value={position.to_string()} aria-label={format!("{label} on a scale")}
                        aria-valuetext={amount.map_or_else(|| "not set".to_owned(), |x| room_short(r, x))}
                        data-testid={format!("slider-{which}")}
                        oninput={on_slide} />
                    <input id={field} class="amount" inputmode="decimal" value={value.to_owned()}
                        data-testid={format!("amount-{which}")} oninput={on_type} />
                </div>
                <p class="hint">{ match amount {
                    Some(x) => format!("{} · {hint}", room_short(r, x)),
                    None => hint.to_owned(),
                } }</p>
            </div>
        }
    };
    let on_kind = {
        let set = set(|d, v| {
            d.kind = v;
            d.value = String::new();
        });
        move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value())
    };
    let on_value = {
        let set = set(|d, v| d.value = v);
        move |e: InputEvent| set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    html! {
        <section class="stepper" aria-labelledby="stepper-heading" data-testid="estimate-stepper">
            <p class="step-count" data-testid="estimates-left">
                { format!("Risk {} of {} · ", index + 1, cards.len()) }
                <strong>{ match (left, consensus) {
                    (0, false) => "all estimated".to_owned(),
                    (0, true) => "all agreed".to_owned(),
                    (n, false) => format!("{n} left to estimate"),
                    (n, true) => format!("{n} left to agree"),
                } }</strong>
            </p>
            <h3 id="stepper-heading" class="card-title" data-testid="step-title">{ card.title.clone() }</h3>
            if !card.description.is_empty() {
                <p class="card-text">{ card.description.clone() }</p>
            }
            if consensus {
                <p class="card-meta">{ "The team's estimates:" }</p>
                <ul class="spread" data-testid="step-spread">
                    { for team.estimates.iter().filter(|e| e.card == card.id).filter_map(|e| e.value.map(|v| (e.author, v))).map(|(author, v)| html! {
                        <li>
                            { estimate_short(r, &v) }
                            if room.state.shows_role_model(author) {
                                <span class="badge role-model" data-testid="role-model-estimate">{ "role model" }</span>
                            }
                        </li>
                    }) }
                </ul>
            }
            if let Some(saved) = saved {
                <p class="card-meta" data-testid="my-estimate">{ format!("{}: {}", if consensus { "Agreed" } else { "Saved" }, estimate_text(&saved, &currency)) }</p>
            }
            <form class="estimate-step" onsubmit={submit}>
                <fieldset>
                    <legend>{ "How likely in a year?" }</legend>
                    <div class="choices" role="group" aria-label="Quick choices">
                        { for LIKELIHOOD_CHOICES.iter().map(|(words, f)| {
                            let (kind, value) = frequency_fields(*f);
                            let on = draft.kind == kind && draft.value == value;
                            html! {
                                <button type="button" class="chip" aria-pressed={on.to_string()} onclick={choose(*f)}>{ *words }</button>
                            }
                        }) }
                    </div>
                    <div class="inline-fields pair">
                        <div>
                            <label for={format!("{id}-value")}>{ if draft.kind == "rate" { "Times a year" } else { "Chance in a year (%)" } }</label>
                            <input id={format!("{id}-value")} class="amount" inputmode="decimal" value={draft.value.clone()}
                                data-testid="likelihood" oninput={on_value} />
                        </div>
                        <div>
                            <label for={format!("{id}-kind")}>{ "Counted as" }</label>
                            <select id={format!("{id}-kind")} onchange={on_kind}>
                                <option value="probability" selected={draft.kind != "rate"}>{ "a chance" }</option>
                                <option value="rate" selected={draft.kind == "rate"}>{ "times a year" }</option>
                            </select>
                        </div>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ "If it happens, how much is lost?" }</legend>
                    <p class="hint">{ "Your 90% range: 9 losses in 10 fall between the two ends." }</p>
                    { slider("low", "Low end", "1 loss in 20 is smaller", &draft.low, |d, v| d.low = v) }
                    { slider("high", "High end", "1 loss in 20 is larger", &draft.high, |d, v| d.high = v) }
                </fieldset>
                <Refusal sent={line.sent.clone()} />
                if let Some(why) = &closed {
                    <p class="hint closed-why" id="estimate-closed" data-testid="estimate-closed">{ why.clone() }</p>
                }
                <div class="button-row step-buttons">
                    <button type="button" class="secondary" disabled={index == 0} onclick={go(index.saturating_sub(1))}>{ "Previous" }</button>
                    <button type="submit" class="primary" disabled={line.sent == Sent::Waiting || closed.is_some()}
                        aria-describedby={closed.is_some().then_some("estimate-closed")} data-testid="save-estimate">
                        { match (consensus, saved.is_some()) {
                            (true, _) => "Agree and next",
                            (false, true) => "Update and next",
                            (false, false) => "Save and next",
                        } }
                    </button>
                    <button type="button" class="link-button" onclick={go(index + 1)}>{ "Skip" }</button>
                </div>
            </form>
        </section>
    }
}
