//! "Opening…" while the page hands over to a bigger app
//! (`services::handover`); if it could not load, the reason and a button to
//! try again.

use yew::prelude::*;

use crate::services::handover::{self, App};

#[derive(Properties, PartialEq)]
pub struct HandOverProps {
    pub app: App,
}

#[function_component(HandOver)]
pub fn hand_over(props: &HandOverProps) -> Html {
    let failed = use_state(|| None::<String>);
    let tries = use_state(|| 0u32);
    {
        let failed = failed.clone();
        use_effect_with((props.app.clone(), *tries), move |(app, _)| {
            let app = app.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(reason) = handover::to(app).await {
                    failed.set(Some(reason));
                }
            });
        });
    }
    let retry = {
        let (failed, tries) = (failed.clone(), tries);
        Callback::from(move |_| {
            failed.set(None);
            tries.set(*tries + 1);
        })
    };
    let opening = match props.app {
        App::Learner(_) => "Opening the exercise…",
        App::Console | App::Whole => "Opening the console…",
    };
    match &*failed {
        None => html! { <p class="hint" aria-live="polite">{ opening }</p> },
        Some(reason) => html! {
            <section class="panel">
                <p role="alert">{ reason.clone() }</p>
                <button type="button" class="primary" onclick={retry}>{ "Try again" }</button>
            </section>
        },
    }
}
