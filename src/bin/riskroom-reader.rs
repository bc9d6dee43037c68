//! The scenario reader's web worker: reads scenario files with the core's
//! parser for a page running a room without a server (see
//! `services::reader`), so the page's own module carries no TOML parser.

use riskroom::services::reader::{READY, Request, answer};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(request) = event
            .data()
            .as_string()
            .and_then(|text| serde_json::from_str::<Request>(&text).ok())
        else {
            return;
        };
        let reply = serde_json::to_string(&answer(&request)).expect("replies serialize");
        let _ = reply_to.post_message(&JsValue::from_str(&reply));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Listens for the page's whole life.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}
