//! Riskroom inside another site's page (an intranet's frame): the app
//! tells the host page how tall its content is, whenever that changes, as
//! a `postMessage` of `{ "type": "riskroom:height", "height": <px> }` to
//! the parent, so the host can size the frame to it (docs/embed.md gives
//! the snippet). The height is all it ever says.

use gloo_timers::callback::Interval;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// The message's `type`.
pub const HEIGHT_MESSAGE: &str = "riskroom:height";

/// Whether this page runs inside another page's frame.
pub fn framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    window
        .top()
        .ok()
        .flatten()
        .is_some_and(|top| !js_sys::Object::is(&top, &window))
}

/// Starts telling the parent the content's height (only when framed).
pub fn report_height() {
    if !framed() {
        return;
    }
    let last = Rc::new(Cell::new(-1.0f64));
    Interval::new(250, move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(root) = window.document().and_then(|d| d.document_element()) else {
            return;
        };
        let height = f64::from(root.scroll_height());
        if (height - last.get()).abs() < 1.0 {
            return;
        }
        last.set(height);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &HEIGHT_MESSAGE.into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from_f64(height));
        if let Ok(Some(parent)) = window.parent() {
            let _ = parent.post_message(&message, "*");
        }
    })
    .forget();
}
