//! The app's routes: the page for each address below the base URL.

use riskroom_core::RoomCode;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::widgets::HandOver;
use crate::pages::console::{self, Console};
use crate::pages::home::{Home, InTheWholeApp, ThisApp};
use crate::pages::learner::{EveryPhase, Learner, Playing};
use crate::pages::not_found::NotFound;
use crate::pages::room_view::RoomViewPage;
use crate::services::handover;
use crate::services::paths;

/// Where the browser is, in the app's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// `host/{code}`: the facilitator's console.
    Console(RoomCode),
    /// `join/{code}`: the link learners open.
    Join(RoomCode),
    /// `room-view/{code}`: the room view for the projector (its key in the
    /// fragment, `#view=…`).
    RoomView(RoomCode),
    NotFound(String),
}

impl Route {
    /// Reads a path below the base URL (no leading `/`).
    pub fn parse(path: &str) -> Route {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let room = |code: &str, page: fn(RoomCode) -> Route| match RoomCode::parse(code) {
            Ok(code) => page(code),
            Err(e) => Route::NotFound(format!("That link does not hold a valid room code. {e}")),
        };
        match parts.as_slice() {
            [] | ["index.html"] => Route::Home,
            ["host", code] => room(code, Route::Console),
            ["join", code] => room(code, Route::Join),
            ["room-view", code] => room(code, Route::RoomView),
            _ => Route::NotFound("There is no page at this address.".into()),
        }
    }
}

/// The route the address names, following it after [`paths::navigate`]
/// and the browser's back and forward buttons.
#[hook]
fn use_route() -> Route {
    let route = use_state(|| Route::parse(&paths::current_route()));
    {
        let route = route.clone();
        use_effect_with((), move |()| {
            let drawn = route.clone();
            let follow = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                route.set(Route::parse(&paths::current_route()));
            });
            let window = web_sys::window();
            for name in ["popstate", paths::NAVIGATED] {
                if let Some(w) = &window {
                    let _ =
                        w.add_event_listener_with_callback(name, follow.as_ref().unchecked_ref());
                }
            }
            // A page's own first effects run before this one: one that went
            // elsewhere (the whole app running a room the start app left
            // it) did so before anyone listened.
            let now = Route::parse(&paths::current_route());
            if *drawn != now {
                drawn.set(now);
            }
            move || {
                for name in ["popstate", paths::NAVIGATED] {
                    if let Some(w) = &window {
                        let _ = w.remove_event_listener_with_callback(
                            name,
                            follow.as_ref().unchecked_ref(),
                        );
                    }
                }
                drop(follow);
            }
        });
    }
    (*route).clone()
}

/// Every page: the app `index.html` loads.
#[function_component(App)]
pub fn app() -> Html {
    match use_route() {
        Route::Home => html! { <Home<ThisApp> /> },
        Route::Console(code) => html! { <Console<console::EveryPhase> {code} /> },
        Route::Join(code) => html! { <Learner<Playing<EveryPhase>> {code} /> },
        Route::RoomView(code) => html! { <RoomViewPage {code} /> },
        Route::NotFound(message) => html! { <NotFound {message} /> },
    }
}

/// A learner's app: the learner's page drawing `P` once they have joined,
/// on `join.html`, which the server sends for `join/{code}`, so that a
/// phone downloads no more than a learner needs. `LearnerApp<LobbyPlaying>`
/// is the lobby app (joining, the lobby), which hands over to
/// `LearnerApp<Playing<EveryPhase>>`, the learner's app, as the briefing
/// starts.
/// Any other page is the whole app's, loaded from the server.
#[function_component(LearnerApp)]
pub fn learner_app<P>() -> Html
where
    P: BaseComponent<Properties = ()>,
{
    match use_route() {
        Route::Join(code) => html! { <Learner<P> {code} /> },
        Route::NotFound(message) => html! { <NotFound {message} /> },
        Route::Home | Route::Console(_) | Route::RoomView(_) => {
            paths::load_whole_app();
            html! {}
        }
    }
}

/// The console app: the facilitator's console in the lobby and the
/// briefing (`console.html`, which the server sends for `host/{code}`),
/// which hands over to the whole app past them; any other page is loaded
/// from the server.
#[function_component(ConsoleApp)]
pub fn console_app() -> Html {
    match use_route() {
        Route::Console(code) => html! { <Console<console::OpeningOnly> {code} /> },
        Route::NotFound(message) => html! { <NotFound {message} /> },
        Route::RoomView(_) => {
            paths::load_whole_app();
            html! {}
        }
        Route::Home | Route::Join(_) => {
            paths::load_from_server();
            html! {}
        }
    }
}

/// The start app: the start page alone (`start.html`, which the server
/// sends for the base path), a small download; a console hands over to the
/// console app, and a join link loads the lobby app.
#[function_component(StartApp)]
pub fn start_app() -> Html {
    match use_route() {
        Route::Home => html! { <Home<InTheWholeApp> /> },
        Route::Console(code) => opening(&code, handover::App::Console),
        Route::RoomView(code) => opening(&code, handover::App::Whole),
        Route::Join(_) => {
            paths::load_from_server();
            html! {}
        }
        Route::NotFound(message) => html! { <NotFound {message} /> },
    }
}

/// A room's page while the start app hands over to `app`, which draws it.
fn opening(code: &RoomCode, app: handover::App) -> Html {
    html! {
        <main class="home">
            <h1>{ format!("Room {code}") }</h1>
            <HandOver {app} />
        </main>
    }
}
