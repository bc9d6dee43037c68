//! One app handing over to a bigger one on the same page: it takes itself
//! off the page and starts the other in its place, and what it kept in
//! memory (all it has where the browser refuses it storage) goes with it.
//!
//! - A phone at a join link starts with the lobby app (joining, the lobby,
//!   the briefing: the learner's first screen, a small download); once the
//!   learner has joined it fetches and compiles the learner's app, and
//!   hands over to it when the room moves past the briefing. A tab that
//!   has handed over once goes straight to the learner's app on a reload.
//! - The start page is the start app; for a console (a room just created,
//!   or one run in this browser) it hands over to the whole app.

use std::cell::RefCell;

use js_sys::{Function, Promise};
use riskroom_core::RoomCode;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::services::paths;
use crate::services::store::{self, Store};

/// The learner's app as the lobby app's page loads it: Trunk builds it
/// beside the lobby app under these names (`join.html`).
const LEARNER_APP_JS: &str = "riskroom-learner.js";
const LEARNER_APP_WASM: &str = "riskroom-learner_bg.wasm";
/// The start page's `<meta>` naming the whole app's script and wasm
/// (written by `cargo xtask dist`: their names carry their content's hash).
const WHOLE_APP_META: &str = "riskroom-whole-app";
/// Where the start app leaves a room to run in this browser for the whole
/// app, which runs it.
const RUN_HERE_SLOT: &str = "riskroom.run-here";

/// An app a page can hand over to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum App {
    /// The learner's pages in a room, from the lobby app.
    Learner(RoomCode),
    /// Every page, from the start app.
    Whole,
}

impl App {
    /// Its script and wasm, below the base URL.
    fn files(&self) -> Option<(String, String)> {
        match self {
            App::Learner(_) => Some((LEARNER_APP_JS.to_owned(), LEARNER_APP_WASM.to_owned())),
            App::Whole => {
                let meta = web_sys::window()?
                    .document()?
                    .query_selector(&format!("meta[name=\"{WHOLE_APP_META}\"]"))
                    .ok()??;
                let content = meta.get_attribute("content")?;
                let (js, wasm) = content.split_once(' ')?;
                Some((js.to_owned(), wasm.to_owned()))
            }
        }
    }
}

#[wasm_bindgen(inline_js = r#"
export function fetch_app(js, wasm) {
  return Promise.all([import(js), WebAssembly.compileStreaming(fetch(wasm))])
    .then(([app, module]) => () => app.default({ module_or_path: module }));
}
"#)]
extern "C" {
    /// Fetches and compiles an app made by wasm-bindgen (`--target web`),
    /// resolving to the function that starts it.
    #[wasm_bindgen(catch)]
    fn fetch_app(js: &str, wasm: &str) -> Result<Promise, JsValue>;
}

thread_local! {
    /// The app on its way: one fetch, however often asked for.
    static FETCHING: RefCell<Option<(App, Promise)>> = const { RefCell::new(None) };
    /// Takes the lobby app off the page (set by `crate::start_lobby`).
    static UNMOUNT: RefCell<Option<Box<dyn FnOnce()>>> = RefCell::new(None);
}

/// Where a tab notes that it has handed over in `code`'s room.
fn handed_over_slot(code: &RoomCode) -> String {
    format!("riskroom.{code}.learner-app")
}

/// Starts fetching `app`, if not already on its way.
pub fn prefetch(app: &App) {
    let _ = fetching(app);
}

/// `app` on its way, fetching it now if it is not yet.
fn fetching(app: &App) -> Promise {
    FETCHING.with(|f| {
        let mut f = f.borrow_mut();
        if let Some((on_its_way, promise)) = f.as_ref()
            && on_its_way == app
        {
            return promise.clone();
        }
        let base = paths::base_url();
        let promise = match app.files() {
            Some((js, wasm)) => fetch_app(&format!("{base}{js}"), &format!("{base}{wasm}"))
                .unwrap_or_else(|e| Promise::reject(&e)),
            None => Promise::reject(&JsValue::from_str("this page does not name the app")),
        };
        *f = Some((app.clone(), promise.clone()));
        promise
    })
}

/// Keeps what takes the lobby app off the page.
pub fn on_unmount(unmount: impl FnOnce() + 'static) {
    UNMOUNT.with(|u| *u.borrow_mut() = Some(Box::new(unmount)));
}

/// Whether this tab handed over in `code`'s room before (a reload).
pub fn handed_over(code: &RoomCode) -> bool {
    store::get_text(Store::Tab, &handed_over_slot(code)).is_some()
}

/// Hands over to the whole app, which runs a room in this browser titled
/// `title` (the start app cannot).
pub async fn to_whole_app_running_here(title: &str) -> Result<(), String> {
    store::set_text(Store::Tab, RUN_HERE_SLOT, title);
    let handed = to(App::Whole).await;
    if handed.is_err() {
        store::delete(Store::Tab, RUN_HERE_SLOT);
    }
    handed
}

/// The room the start app left to run in this browser, taken.
pub fn take_run_here() -> Option<String> {
    let title = store::get_text(Store::Tab, RUN_HERE_SLOT)?;
    store::delete(Store::Tab, RUN_HERE_SLOT);
    Some(title)
}

/// Hands over to `app`: once it is fetched and compiled, this app leaves
/// the page (closing its connections) and `app` starts with what this one
/// kept. An error (the network dropped) leaves this app as it was, to try
/// again. A tab that hands over to the learner's app notes it, for a
/// reload.
pub async fn to(app: App) -> Result<(), String> {
    let noted = match &app {
        App::Learner(code) => {
            let slot = handed_over_slot(code);
            store::set_text(Store::Tab, &slot, "1");
            Some(slot)
        }
        App::Whole => None,
    };
    let handed = start(&app).await;
    if let (Err(_), Some(slot)) = (&handed, noted) {
        store::delete(Store::Tab, &slot);
    }
    handed
}

async fn start(app: &App) -> Result<(), String> {
    let start = match JsFuture::from(fetching(app)).await {
        Ok(start) => start.unchecked_into::<Function>(),
        Err(_) => {
            // The next try fetches again.
            FETCHING.with(|f| f.borrow_mut().take());
            return Err(match app {
                App::Learner(_) => "The next part of the exercise did not load. Check the connection and try again.",
                App::Whole => "The console did not load. Check the connection and try again.",
            }
            .into());
        }
    };
    if let Some(unmount) = UNMOUNT.with(|u| u.borrow_mut().take()) {
        unmount();
    }
    store::hand_over();
    let _ = start.call0(&JsValue::NULL);
    Ok(())
}
