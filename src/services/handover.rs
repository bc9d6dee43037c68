//! The lobby app's handover to the learner's app. A phone at a join link
//! starts with the lobby app (joining, the lobby, the briefing: the
//! learner's first screen, a small download); once the learner has joined
//! it fetches and compiles the learner's app beside it, and when the room
//! moves past the briefing it takes itself off the page and starts the
//! learner's app in its place, on the same page: what the lobby app kept in
//! memory (all it has where the browser refuses it storage) goes with it.
//! A tab that has handed over once goes straight to the learner's app on a
//! reload.

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
    /// The learner's app on its way: one fetch, however often asked for.
    static FETCHING: RefCell<Option<Promise>> = const { RefCell::new(None) };
    /// Takes the lobby app off the page (set by `crate::start_lobby`).
    static UNMOUNT: RefCell<Option<Box<dyn FnOnce()>>> = RefCell::new(None);
}

/// Where a tab notes that it has handed over in `code`'s room.
fn handed_over_slot(code: &RoomCode) -> String {
    format!("riskroom.{code}.learner-app")
}

/// Starts fetching the learner's app, if not already on its way.
pub fn prefetch() {
    let _ = fetching();
}

/// The learner's app on its way, fetching it now if it is not yet.
fn fetching() -> Promise {
    FETCHING.with(|f| {
        let mut f = f.borrow_mut();
        if let Some(promise) = f.as_ref() {
            return promise.clone();
        }
        let base = paths::base_url();
        let promise = fetch_app(
            &format!("{base}{LEARNER_APP_JS}"),
            &format!("{base}{LEARNER_APP_WASM}"),
        )
        .unwrap_or_else(|e| Promise::reject(&e));
        *f = Some(promise.clone());
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

/// Hands over to the learner's app: once it is fetched and compiled, the
/// lobby app leaves the page (closing its connection to the room) and the
/// learner's app starts with what the lobby app kept. An error (the
/// network dropped) leaves the lobby app as it was, to try again.
pub async fn to_learner_app(code: &RoomCode) -> Result<(), String> {
    let start = match JsFuture::from(fetching()).await {
        Ok(start) => start.unchecked_into::<Function>(),
        Err(_) => {
            // The next try fetches again.
            FETCHING.with(|f| f.borrow_mut().take());
            return Err(
                "The next part of the exercise did not load. Check the connection and try again."
                    .into(),
            );
        }
    };
    store::set_text(Store::Tab, &handed_over_slot(code), "1");
    if let Some(unmount) = UNMOUNT.with(|u| u.borrow_mut().take()) {
        unmount();
    }
    store::hand_over();
    let _ = start.call0(&JsValue::NULL);
    Ok(())
}
