//! The facilitator's choice of scenario: one the server offers (built-in or
//! from its scenario folder), or a file from this computer — checked by the
//! core's rules before anything is used (on the server, or in the page for a
//! room run without one), so problems show in the same words
//! `check-scenario` prints.

use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::use_room;
use crate::services::api::{LibraryScenario, Verdict};
use crate::services::library::Library;

/// Largest file the page reads: the core's limit, checked before reading
/// so a huge file is never loaded into the page.
const MAX_FILE_BYTES: usize = riskroom_core::scenario::MAX_FILE_BYTES;

#[derive(Properties, PartialEq)]
pub struct ScenarioCheckProps {
    pub file: AttrValue,
    pub text: AttrValue,
    pub verdict: Verdict,
    /// Called with (file, text) when the facilitator uses a valid file.
    pub on_use: Callback<(String, String)>,
}

/// The verdict on one scenario file: every problem, or a summary and a
/// button to use it.
#[function_component(ScenarioCheck)]
pub fn scenario_check(props: &ScenarioCheckProps) -> Html {
    match &props.verdict {
        Verdict::Valid { summary, .. } => {
            let on_use = {
                let (file, text) = (props.file.to_string(), props.text.to_string());
                props.on_use.reform(move |_| (file.clone(), text.clone()))
            };
            html! {
                <div class="scenario-check valid" data-testid="scenario-check">
                    <p><strong>{ format!("{} is valid.", props.file) }</strong></p>
                    <p class="summary-line">{ summary.clone() }</p>
                    <button type="button" class="primary" onclick={on_use}>{ "Use this scenario" }</button>
                </div>
            }
        }
        Verdict::Invalid { problems } => {
            let n = problems.len();
            html! {
                <div class="scenario-check invalid" role="alert" data-testid="scenario-check">
                    <p><strong>{ format!("{} has {n} problem{} to fix before it can be used:", props.file, if n == 1 { "" } else { "s" }) }</strong></p>
                    <ul class="problems">
                        { for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }
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

#[function_component(ScenarioPicker)]
pub fn scenario_picker(props: &ScenarioPickerProps) -> Html {
    let library = Library::for_room(&use_room().code);
    let offers = use_state(Vec::<LibraryScenario>::new);
    let checked = use_state(|| None::<(String, String, Verdict)>);
    let problem = use_state(|| None::<String>);
    {
        let offers = offers.clone();
        let problem = problem.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match library.offers().await {
                    Ok(list) => offers.set(list),
                    Err(e) => problem.set(Some(e.0)),
                }
            });
        });
    }

    let on_file = {
        let checked = checked.clone();
        let problem = problem.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let checked = checked.clone();
            let problem = problem.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                checked.set(None);
                if file.size() > MAX_FILE_BYTES as f64 {
                    problem.set(Some(format!(
                        "{name} is too large for a scenario file (at most {} KB).",
                        MAX_FILE_BYTES / 1024
                    )));
                    return;
                }
                let Some(text) = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                else {
                    problem.set(Some(format!("{name} could not be read as text.")));
                    return;
                };
                match library.check(&name, &text).await {
                    Ok(verdict) => {
                        problem.set(None);
                        checked.set(Some((name, text, verdict)));
                    }
                    Err(e) => problem.set(Some(e.0)),
                }
            });
        })
    };

    let use_offer = |offer: LibraryScenario| {
        let on_use = props.on_use.clone();
        let problem = problem.clone();
        Callback::from(move |_| {
            let (offer, on_use, problem) = (offer.clone(), on_use.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match library.file(&offer).await {
                    Ok(chosen) => on_use.emit(chosen),
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
                    { for offers.iter().map(|offer| html! {
                        <li key={offer.id.clone()} data-origin={offer.origin.clone()}>
                            <h3>{ offer.title.clone() }
                                if offer.origin != "built-in" {
                                    <span class="tag">{ format!(" ({})", offer.file) }</span>
                                }
                            </h3>
                            <p>{ offer.summary.clone() }</p>
                            <button type="button" class="secondary" onclick={use_offer(offer.clone())}
                                aria-label={format!("Use this scenario: {}", offer.title)}>{ "Use this scenario" }</button>
                        </li>
                    }) }
                </ul>
                <div class="load-file">
                    <label for="scenario-file">{ "Or load a scenario file (.toml) from this computer" }</label>
                    <input id="scenario-file" type="file" accept=".toml,text/plain" onchange={on_file} />
                    if let Some(text) = &*problem {
                        <p class="notice" role="alert">{ text.clone() }</p>
                    }
                    if let Some((file, text, verdict)) = &*checked {
                        <ScenarioCheck file={file.clone()} text={text.clone()} verdict={verdict.clone()} on_use={props.on_use.clone()} />
                    }
                </div>
            } else {
                <p class="hint">{ "The scenario is fixed once the exercise has started." }</p>
            }
        </section>
    }
}
