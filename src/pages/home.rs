//! The front door: open a new room as facilitator (on the server, or kept in
//! this browser when there is no server), or join one by its code (a code
//! typed into the page before the app was ready is kept: `services::boot`).
//! The start app draws it (`start.html`), and the whole app.

use riskroom_core::RoomCode;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::Notice;
use crate::services::{api, boot, handover, identity, local, paths};

/// How the start page runs a room in this browser (no server): the whole
/// app runs it itself ([`ThisApp`]); the start app hands over to the whole
/// app to run it ([`InTheWholeApp`]).
pub trait RunHere: 'static {
    /// Opens a room titled `title` in this browser, and its console; or
    /// says why it could not.
    fn run(title: String, refused: Callback<String>);
    /// A room an app before this one on the page left to run.
    fn left_to_run() -> Option<String> {
        None
    }
}

/// The whole app runs the room.
pub struct ThisApp;

impl RunHere for ThisApp {
    fn run(title: String, refused: Callback<String>) {
        match local::create_room(&title) {
            Ok((code, key)) => {
                identity::save_facilitator_key(&code, key.expose());
                paths::navigate(&paths::console_url(&code));
            }
            Err(e) => refused.emit(e.0),
        }
    }

    fn left_to_run() -> Option<String> {
        handover::take_run_here()
    }
}

/// The start app hands the room over to the whole app, which runs it.
pub struct InTheWholeApp;

impl RunHere for InTheWholeApp {
    fn run(title: String, refused: Callback<String>) {
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(reason) = handover::to_whole_app_running_here(&title).await {
                refused.emit(reason);
            }
        });
    }
}

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

#[function_component(Home)]
pub fn home<R: RunHere>() -> Html {
    let title = use_state(|| "Risk workshop".to_owned());
    let code_field = use_node_ref();
    let typed = boot::use_typed_ahead(code_field.clone());
    let code = use_state(|| typed.code.clone());
    let create_error = use_state(|| None::<String>);
    let join_error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let opening_here = use_state(|| false);
    let refused_here = {
        let (create_error, opening_here) = (create_error.clone(), opening_here.clone());
        Callback::from(move |reason: String| {
            create_error.set(Some(reason));
            opening_here.set(false);
        })
    };
    // A room the start app left for this app to run.
    {
        let refused = refused_here.clone();
        use_effect_with((), move |()| {
            if let Some(title) = R::left_to_run() {
                R::run(title, refused);
            }
        });
    }

    let on_create = {
        let title = title.clone();
        let create_error = create_error.clone();
        let busy = busy.clone();
        let opening_here = opening_here.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy || *opening_here {
                return;
            }
            busy.set(true);
            let title = (*title).clone();
            let create_error = create_error.clone();
            let busy = busy.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::create_room(&title).await {
                    Ok((code, key)) => {
                        identity::save_facilitator_key(&code, &key);
                        paths::navigate(&paths::console_url(&code));
                    }
                    Err(e) => {
                        create_error.set(Some(e.0));
                        busy.set(false);
                    }
                }
            });
        })
    };

    let on_local = {
        let title = title.clone();
        let opening_here = opening_here.clone();
        let busy = busy.clone();
        Callback::from(move |_: MouseEvent| {
            if *opening_here || *busy {
                return;
            }
            opening_here.set(true);
            R::run((*title).clone(), refused_here.clone());
        })
    };

    let on_join = {
        let code = code.clone();
        let join_error = join_error.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match RoomCode::parse(&code) {
                Ok(code) => paths::navigate(&paths::join_url(&code)),
                Err(e) => join_error.set(Some(e.to_string())),
            }
        })
    };

    let rooms_run = identity::rooms_run();
    html! {
        <main class="home">
            <header class="masthead">
                <h1>{ "Riskroom" }</h1>
                <p class="tagline">{ "Run a risk-management exercise with your group: roles, a shared board, and a live simulation." }</p>
            </header>
            <div class="cards">
                <form class="card" onsubmit={on_join} aria-labelledby="join-heading">
                    <h2 id="join-heading">{ "Join an exercise" }</h2>
                    <label for="join-code">{ "Room code" }</label>
                    <input id="join-code" ref={code_field} name="code" autocomplete="off" autocapitalize="characters"
                        spellcheck="false" placeholder="e.g. K7WQ3M" value={(*code).clone()}
                        oninput={ let code = code.clone(); let join_error = join_error.clone();
                                  move |e: InputEvent| { code.set(input_value(&e)); join_error.set(None); } } />
                    <Notice text={(*join_error).clone().map(AttrValue::from)} />
                    <button type="submit" class="primary">{ "Join" }</button>
                </form>
                <form class="card" onsubmit={on_create} aria-labelledby="create-heading">
                    <h2 id="create-heading">{ "Run an exercise" }</h2>
                    <label for="room-title">{ "Session title" }</label>
                    <input id="room-title" name="title" value={(*title).clone()} maxlength={riskroom_core::text::MAX_TITLE_CHARS.to_string()}
                        oninput={ let title = title.clone(); move |e: InputEvent| title.set(input_value(&e)) } />
                    <Notice text={(*create_error).clone().map(AttrValue::from)} />
                    <button type="submit" class="primary" disabled={*busy || *opening_here}>
                        { if *busy { "Creating…" } else { "Create room" } }
                    </button>
                    <p class="local-choice" id="local-hint">
                        { "No Riskroom server? Run the room in this browser: the console, the room view and learner tabs on this one computer stay in step, and the room survives a reload." }
                    </p>
                    <button type="button" class="secondary" onclick={on_local} aria-describedby="local-hint" disabled={*opening_here || *busy}>
                        { if *opening_here { "Opening…" } else { "Run on this device only (no server)" } }
                    </button>
                </form>
            </div>
            if !rooms_run.is_empty() {
                <section class="card rooms-run" aria-labelledby="rooms-run-heading" data-testid="rooms-run">
                    <h2 id="rooms-run-heading">{ "Rooms you run in this browser" }</h2>
                    <ul class="plain-list">
                        { for rooms_run.iter().map(|code| html! {
                            <li><a href={paths::console_url(code)}>{ format!("Back to the console of room {code}") }</a></li>
                        }) }
                    </ul>
                </section>
            }
        </main>
    }
}
