//! Where the browser keeps what the app remembers: `localStorage` (kept
//! across reloads and tabs) or this tab's `sessionStorage`, read and
//! written so that a page that may not use them — a frame of another site
//! in a browser that blocks third-party storage, where merely asking for
//! them throws — never fails: what cannot be stored is kept in memory for
//! the page's lifetime, and [`lasting`] says so, so the page can tell the
//! person what a reload would lose. Values are JSON, as before.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Which of the browser's stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Store {
    /// Kept across reloads and tabs.
    Local,
    /// Kept for this tab, across reloads.
    Tab,
}

thread_local! {
    static MEMORY: RefCell<HashMap<(Store, String), String>> = RefCell::new(HashMap::new());
}

/// The browser's store, if this page may use it (asking can throw).
pub fn browser(store: Store) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match store {
        Store::Local => window.local_storage().ok().flatten(),
        Store::Tab => window.session_storage().ok().flatten(),
    }
}

/// The raw text kept under `key`.
pub fn get_text(store: Store, key: &str) -> Option<String> {
    if let Some(text) = browser(store).and_then(|s| s.get_item(key).ok().flatten()) {
        return Some(text);
    }
    MEMORY.with(|m| m.borrow().get(&(store, key.to_owned())).cloned())
}

/// Keeps `text` under `key`: in the browser's store where it may, else in
/// memory for the page's lifetime.
pub fn set_text(store: Store, key: &str, text: &str) {
    let stored = browser(store).is_some_and(|s| s.set_item(key, text).is_ok());
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        if stored {
            m.remove(&(store, key.to_owned()));
        } else {
            m.insert((store, key.to_owned()), text.to_owned());
        }
    });
}

pub fn delete(store: Store, key: &str) {
    if let Some(s) = browser(store) {
        let _ = s.remove_item(key);
    }
    MEMORY.with(|m| m.borrow_mut().remove(&(store, key.to_owned())));
}

/// The value kept under `key`, read as JSON.
pub fn get<T: DeserializeOwned>(store: Store, key: &str) -> Option<T> {
    serde_json::from_str(&get_text(store, key)?).ok()
}

/// Keeps `value` under `key` as JSON.
pub fn set<T: Serialize + ?Sized>(store: Store, key: &str, value: &T) {
    if let Ok(text) = serde_json::to_string(value) {
        set_text(store, key, &text);
    }
}

/// Every key kept in `store` (the browser's and the page's memory).
pub fn keys(store: Store) -> Vec<String> {
    let mut keys: Vec<String> = browser(store)
        .map(|s| {
            (0..s.length().unwrap_or(0))
                .filter_map(|i| s.key(i).ok().flatten())
                .collect()
        })
        .unwrap_or_default();
    MEMORY.with(|m| {
        keys.extend(
            m.borrow()
                .keys()
                .filter(|(kind, _)| *kind == store)
                .map(|(_, key)| key.clone()),
        );
    });
    keys.sort();
    keys.dedup();
    keys
}

/// The window property that carries the page's memory from one app to the
/// next on the same page (`services::handover`).
const HANDED_OVER: &str = "riskroomKept";

/// Leaves what this app keeps in memory for the next app on this page.
pub fn hand_over() {
    let kept: Vec<(bool, String, String)> = MEMORY.with(|m| {
        m.borrow()
            .iter()
            .map(|((store, key), text)| (*store == Store::Local, key.clone(), text.clone()))
            .collect()
    });
    if let (Some(window), Ok(text)) = (web_sys::window(), serde_json::to_string(&kept)) {
        let _ = js_sys::Reflect::set(&window, &HANDED_OVER.into(), &text.into());
    }
}

/// Takes back what [`hand_over`] left, for an app that did not start.
pub fn take_back() {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::delete_property(&window, &HANDED_OVER.into());
    }
}

/// Takes over what the app before this one on the page kept in memory:
/// the first thing an app does that another can hand over to.
pub fn take_over() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(text) = js_sys::Reflect::get(&window, &HANDED_OVER.into())
        .ok()
        .and_then(|v| v.as_string())
    else {
        return;
    };
    let _ = js_sys::Reflect::delete_property(&window, &HANDED_OVER.into());
    let kept: Vec<(bool, String, String)> = serde_json::from_str(&text).unwrap_or_default();
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        for (local, key, text) in kept {
            let store = if local { Store::Local } else { Store::Tab };
            m.insert((store, key), text);
        }
    });
}

/// Whether what this page keeps survives a reload: the browser lets it
/// write to its `localStorage` (a frame of another site may be refused).
pub fn lasting() -> bool {
    const PROBE: &str = "riskroom.probe";
    browser(Store::Local).is_some_and(|s| {
        let ok = s.set_item(PROBE, "1").is_ok();
        let _ = s.remove_item(PROBE);
        ok
    })
}
