//! A learner's role: its name and summary, the private brief only they
//! hold, the clues in it, and the prompts for the current phase.

use riskroom_core::scenario::Scenario;
use yew::prelude::*;

use crate::components::widgets::PagedText;
use crate::format::money;

use crate::hooks::use_room;

#[function_component(RoleCard)]
pub fn role_card() -> Html {
    let room = use_room();
    let state = &room.state;
    let (Some(r), Some(me)) = (state.room.as_ref(), state.my_id()) else {
        return html! {};
    };
    let Some(scenario) = r.scenario.as_deref() else {
        return html! {};
    };
    let Some(role) = r.role_of(me).and_then(|id| scenario.role(id)) else {
        return html! {
            <section class="panel role-card" aria-labelledby="role-heading">
                <h2 id="role-heading">{ "Your role" }</h2>
                <p class="hint" data-testid="no-role">{ "You have no role yet: the facilitator will give you one." }</p>
            </section>
        };
    };
    let prompts: Vec<String> = role
        .prompts
        .by_phase()
        .iter()
        .find(|(phase, _)| *phase == r.phase)
        .map(|(_, p)| p.to_vec())
        .unwrap_or_default();
    let spotlight = r.is_role_model(me);
    html! {
        <section class="panel role-card" aria-labelledby="role-heading">
            <h2 id="role-heading">{ "Your role: " }<span data-testid="my-role">{ role.name.clone() }</span></h2>
            if spotlight {
                <p class="badge role-model">{ "You are the group's role model: think aloud, share how you weigh things." }</p>
            }
            <p class="hint">{ role.summary.clone() }</p>
            if !prompts.is_empty() {
                <div class="prompts" aria-label="Prompts for this phase">
                    { for prompts.iter().map(|p| html! { <p class="prompt">{ p.clone() }</p> }) }
                </div>
            }
            <h3>{ "Your private brief " }<span class="hint">{ "· only you see it" }</span></h3>
            <PagedText text={role.brief.clone()} what="brief" class="brief" testid="private-brief" />
            if !role.clues.is_empty() {
                <h3>{ "What you know that others may not" }</h3>
                <ol class="clues">
                    { for role.clues.iter().map(|c| html! { <li>{ c.text.clone() }</li> }) }
                </ol>
            }
        </section>
    }
}

/// The shared narrative, the budget and the appetite.
#[derive(Properties, PartialEq)]
pub struct SituationProps {
    pub scenario: std::rc::Rc<Scenario>,
    pub budget: f64,
}

#[function_component(Situation)]
pub fn situation(props: &SituationProps) -> Html {
    let s = &props.scenario;
    let money = |x: f64| money(&s.currency, x);
    html! {
        <section class="panel situation" aria-labelledby="situation-heading">
            <h2 id="situation-heading">{ s.title.clone() }</h2>
            <PagedText text={s.narrative.clone()} what="story" class="narrative" testid="narrative" />
            <dl class="facts">
                <dt>{ "Budget for responses this year" }</dt><dd data-testid="budget">{ money(props.budget) }</dd>
                <dt>{ "Risk appetite" }</dt><dd>{ s.appetite.statement.clone() }</dd>
            </dl>
        </section>
    }
}
