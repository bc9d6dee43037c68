//! The facilitator's choice of scenario: the built-in ones, the server's
//! folder of extra ones, or a file from this computer — checked here by the
//! core's own rules, so problems show in the same words `check-scenario`
//! prints, before anything is sent.

use riskroom_core::scenario::{self, BUILT_IN, Scenario};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::services::api::{self, LibraryScenario};

#[derive(Properties, PartialEq)]
pub struct ScenarioCheckProps {
    pub file: AttrValue,
    pub text: AttrValue,
    /// Called with (file, text) when the facilitator uses a valid file.
    pub on_use: Callback<(String, String)>,
}

/// The verdict on one scenario file: every problem, or a summary and a
/// button to use it.
#[function_component(ScenarioCheck)]
pub fn scenario_check(props: &ScenarioCheckProps) -> Html {
    let verdict = use_memo((props.file.clone(), props.text.clone()), |(file, text)| {
        scenario::parse(file, text)
    });
    match &*verdict {
        Ok(scenario) => {
            let on_use = {
                let (file, text) = (props.file.to_string(), props.text.to_string());
                props.on_use.reform(move |_| (file.clone(), text.clone()))
            };
            html! {
                <div class="scenario-check valid" data-testid="scenario-check">
                    <p><strong>{ format!("{} is valid.", props.file) }</strong></p>
                    <p class="summary-line">{ scenario.summary_line() }</p>
                    <button type="button" class="primary" onclick={on_use}>{ "Use this scenario" }</button>
                </div>
            }
        }
        Err(errors) => {
            let n = errors.0.len();
            html! {
                <div class="scenario-check invalid" role="alert" data-testid="scenario-check">
                    <p><strong>{ format!("{} has {n} problem{} to fix before it can be used:", props.file, if n == 1 { "" } else { "s" }) }</strong></p>
                    <ul class="problems">
                        { for errors.0.iter().map(|e| html! { <li>{ e.to_string() }</li> }) }
                    </ul>
                </div>
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    /// Title of the scenario chosen so far.
    pub current: Option<AttrValue>,
    /// Whether the choice can still change (only in the lobby).
    pub open: bool,
    pub on_use: Callback<(String, String)>,
}

struct Offer {
    scenario: Scenario,
    file: &'static str,
    text: &'static str,
}

#[function_component(ScenarioPicker)]
pub fn scenario_picker(props: &ScenarioPickerProps) -> Html {
    let built_in = use_memo((), |_| {
        BUILT_IN
            .iter()
            .filter_map(|b| {
                scenario::parse(b.file, b.text).ok().map(|scenario| Offer {
                    scenario,
                    file: b.file,
                    text: b.text,
                })
            })
            .collect::<Vec<_>>()
    });
    let library = use_state(Vec::<LibraryScenario>::new);
    let loaded = use_state(|| None::<(String, String)>);
    let problem = use_state(|| None::<String>);
    {
        let library = library.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(list) = api::library().await {
                    library.set(list);
                }
            });
        });
    }

    let on_file = {
        let loaded = loaded.clone();
        let problem = problem.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let loaded = loaded.clone();
            let problem = problem.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                if file.size() > scenario::MAX_FILE_BYTES as f64 {
                    problem.set(Some(format!(
                        "{name} is too large for a scenario file (at most {} KB).",
                        scenario::MAX_FILE_BYTES / 1024
                    )));
                    loaded.set(None);
                    return;
                }
                match JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                {
                    Some(text) => {
                        problem.set(None);
                        loaded.set(Some((name, text)));
                    }
                    None => problem.set(Some(format!("{name} could not be read as text."))),
                }
            });
        })
    };

    let use_library = |id: String| {
        let on_use = props.on_use.clone();
        let problem = problem.clone();
        Callback::from(move |_| {
            let (id, on_use, problem) = (id.clone(), on_use.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::library_file(&id).await {
                    Ok(text) => on_use.emit((format!("{id}.toml"), text)),
                    Err(e) => problem.set(Some(e.0)),
                }
            });
        })
    };

    html! {
        <section class="scenario-picker" aria-labelledby="scenario-heading">
            <h2 id="scenario-heading">{ "Scenario" }</h2>
            <p data-testid="current-scenario">
                { match &props.current {
                    Some(title) => html! { <>{ "Chosen: " }<strong>{ title.clone() }</strong></> },
                    None => html! { "No scenario chosen yet." },
                } }
            </p>
            if props.open {
                <ul class="offers">
                    { for built_in.iter().map(|offer| {
                        let on_use = { let (f, t) = (offer.file.to_owned(), offer.text.to_owned()); props.on_use.reform(move |_| (f.clone(), t.clone())) };
                        html! {
                            <li key={offer.scenario.id.clone()}>
                                <h3>{ offer.scenario.title.clone() }</h3>
                                <p>{ offer.scenario.summary.clone() }</p>
                                <button type="button" class="secondary" onclick={on_use}
                                    aria-label={format!("Use the scenario {}", offer.scenario.title)}>{ "Use this scenario" }</button>
                            </li>
                        }
                    }) }
                    { for library.iter().map(|entry| html! {
                        <li key={format!("library-{}", entry.id)}>
                            <h3>{ entry.title.clone() }<span class="tag">{ format!(" ({})", entry.file) }</span></h3>
                            <p>{ entry.summary.clone() }</p>
                            <button type="button" class="secondary" onclick={use_library(entry.id.clone())}
                                aria-label={format!("Use the scenario {}", entry.title)}>{ "Use this scenario" }</button>
                        </li>
                    }) }
                </ul>
                <div class="load-file">
                    <label for="scenario-file">{ "Or load a scenario file (.toml) from this computer" }</label>
                    <input id="scenario-file" type="file" accept=".toml,text/plain" onchange={on_file} />
                    if let Some(text) = &*problem {
                        <p class="notice" role="alert">{ text.clone() }</p>
                    }
                    if let Some((file, text)) = &*loaded {
                        <ScenarioCheck file={file.clone()} text={text.clone()} on_use={props.on_use.clone()} />
                    }
                </div>
            } else {
                <p class="hint">{ "The scenario is fixed once the exercise has started." }</p>
            }
        </section>
    }
}
