//! One app handing over to a bigger one on the same page: it takes itself
//! off the page and starts the other in its place, and what it kept in
//! memory (all it has where the browser refuses it storage) goes with it.
//!
//! - A phone at a join link starts with the lobby app (joining and the
//!   lobby: the learner's first screen, a small download); once the learner
//!   has joined it fetches and compiles the learner's app, and hands over
//!   to it as the briefing starts. A tab that has handed over once goes
//!   straight to the learner's app on a reload.
//! - The start page is the start app; for a console of a room on the
//!   server (a room just created) it hands over to the console app, and
//!   for a room run in this browser to the whole app.
//! - The console app draws the lobby and the briefing; it fetches the
//!   whole app as it opens and hands over to it past the briefing.
//!
//! A page keeps off its first screen the styles its first app does not use
//! (the exercise's past the lobby, the debrief's): it names them
//! (`riskroom-later-styles`, written by `cargo xtask dist`), and the app
//! that needs them adds them to the page ([`load_later_styles`]) as it is
//! fetched or starts.

use std::cell::{Cell, RefCell};

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
/// The `<meta>`s naming the whole app's script and wasm (in the start page
/// and the console's) and the console app's (in the start page), written
/// by `cargo xtask dist`: their names carry their content's hash.
const WHOLE_APP_META: &str = "riskroom-whole-app";
const CONSOLE_APP_META: &str = "riskroom-console-app";
/// A page's `<meta>` naming the style sheets it leaves for a later app.
const LATER_STYLES_META: &str = "riskroom-later-styles";
/// Where the start app leaves a room to run in this browser for the whole
/// app, which runs it.
const RUN_HERE_SLOT: &str = "riskroom.run-here";

/// An app a page can hand over to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum App {
    /// The learner's pages in a room, from the lobby app.
    Learner(RoomCode),
    /// The console of a room on the server, from the start app.
    Console,
    /// Every page: a room run in this browser, from the start app; a
    /// console past the briefing, from the console app.
    Whole,
}

impl App {
    /// Its script and wasm, below the base URL.
    fn files(&self) -> Option<(String, String)> {
        match self {
            App::Learner(_) => Some((LEARNER_APP_JS.to_owned(), LEARNER_APP_WASM.to_owned())),
            App::Console => named_app(CONSOLE_APP_META),
            App::Whole => named_app(WHOLE_APP_META),
        }
    }
}

/// The script and wasm the page's `<meta name="{name}">` names.
fn named_app(name: &str) -> Option<(String, String)> {
    let content = meta(name)?.get_attribute("content")?;
    let (js, wasm) = content.split_once(' ')?;
    Some((js.to_owned(), wasm.to_owned()))
}

/// The page's `<meta name="{name}">`.
fn meta(name: &str) -> Option<web_sys::Element> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()?
}

/// Adds to the page the style sheets it left for a later app (the
/// exercise's past the lobby, the debrief's), in the order `index.html`
/// links them, once.
pub fn load_later_styles() {
    let (Some(named), Some(document)) = (
        meta(LATER_STYLES_META),
        web_sys::window().and_then(|w| w.document()),
    ) else {
        return;
    };
    let base = paths::base_url();
    for sheet in named
        .get_attribute("content")
        .unwrap_or_default()
        .split_whitespace()
    {
        if let (Ok(link), Some(head)) = (document.create_element("link"), document.head()) {
            let _ = link.set_attribute("rel", "stylesheet");
            let _ = link.set_attribute("href", &format!("{base}{sheet}"));
            let _ = head.append_child(&link);
        }
    }
    named.remove();
}

#[wasm_bindgen(inline_js = r#"
export function fetch_app(js, wasm) {
  const compiled = WebAssembly.compileStreaming(fetch(wasm)).catch(() =>
    fetch(wasm).then((r) => {
      if (!r.ok) throw new Error(`${wasm}: ${r.status}`);
      return r.arrayBuffer();
    }).then((bytes) => WebAssembly.compile(bytes)));
  return Promise.all([import(js), compiled])
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
    /// Fetches that failed: the next one asks for the script under a
    /// new query, as a browser may keep a failed module import for good.
    static FAILED: Cell<u32> = const { Cell::new(0) };
    /// Takes this app off the page (set as the app mounts).
    static UNMOUNT: RefCell<Option<Box<dyn FnOnce()>>> = RefCell::new(None);
    /// Set once this app has begun to leave the page: a second handover
    /// (two buttons pressed) does nothing.
    static LEAVING: Cell<bool> = const { Cell::new(false) };
    /// The room the start app left this app to run, kept only where the
    /// page is the start page (`keep_run_here`).
    static LEFT_TO_RUN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Where a tab notes that it has handed over in `code`'s room.
fn handed_over_slot(code: &RoomCode) -> String {
    format!("riskroom.{code}.learner-app")
}

/// Starts fetching `app` and the styles it needs, if not already on their
/// way.
pub fn prefetch(app: &App) {
    load_later_styles();
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
            Some((js, wasm)) => {
                let js = match FAILED.get() {
                    0 => format!("{base}{js}"),
                    n => format!("{base}{js}?try={n}"),
                };
                fetch_app(&js, &format!("{base}{wasm}")).unwrap_or_else(|e| Promise::reject(&e))
            }
            None => Promise::reject(&JsValue::from_str("this page does not name the app")),
        };
        // A fetch that fails is forgotten, so the next try fetches again.
        let failed = promise.clone();
        let forget = Closure::once(move |_: JsValue| {
            FAILED.set(FAILED.get() + 1);
            FETCHING.with(|f| {
                let mut f = f.borrow_mut();
                if f.as_ref()
                    .is_some_and(|(_, p)| js_sys::Object::is(p, &failed))
                {
                    *f = None;
                }
            });
        });
        let _ = promise.catch(&forget);
        // Called at most once, for this fetch: a few bytes a page.
        forget.forget();
        *f = Some((app.clone(), promise.clone()));
        promise
    })
}

/// Keeps what takes this app off the page.
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

/// Takes the room the start app left to run in this browser, keeping it
/// for the start page (`at_start_page`) and dropping it elsewhere: the
/// whole app calls this first thing.
pub fn keep_run_here(at_start_page: bool) {
    let title = store::get_text(Store::Tab, RUN_HERE_SLOT);
    store::delete(Store::Tab, RUN_HERE_SLOT);
    if at_start_page {
        LEFT_TO_RUN.with(|l| *l.borrow_mut() = title);
    }
}

/// The room the start app left to run in this browser, taken.
pub fn take_run_here() -> Option<String> {
    LEFT_TO_RUN.with(|l| l.borrow_mut().take())
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
        App::Console | App::Whole => None,
    };
    load_later_styles();
    let handed = start(&app).await;
    if let (Err(_) | Ok(false), Some(slot)) = (&handed, noted) {
        store::delete(Store::Tab, &slot);
    }
    handed.map(|_| ())
}

/// Fetches `app` and starts it in this app's place: whether it started.
async fn start(app: &App) -> Result<bool, String> {
    if app.files().is_none() {
        // A page built without the app's name: the server's page for this
        // address has it.
        paths::load_from_server();
        return Ok(true);
    }
    let start = match JsFuture::from(fetching(app)).await {
        Ok(start) => start.unchecked_into::<Function>(),
        Err(_) => {
            return Err(match app {
                App::Learner(_) => "The next part of the exercise did not load. Check the connection and try again.",
                App::Console | App::Whole => {
                    "The console did not load. Check the connection and try again."
                }
            }
            .into());
        }
    };
    if LEAVING.replace(true) {
        return Ok(true);
    }
    if let Some(unmount) = UNMOUNT.with(|u| u.borrow_mut().take()) {
        unmount();
    }
    store::hand_over();
    let started = match start.call0(&JsValue::NULL) {
        Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await.is_ok(),
        Err(_) => false,
    };
    if !started {
        could_not_start();
    }
    Ok(started)
}

/// The app handed over to did not start (this app is gone): what was left
/// for it is taken back, and the page says so with a way to load it again.
fn could_not_start() {
    store::take_back();
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    body.set_text_content(None);
    let document = body.owner_document();
    let main = document
        .as_ref()
        .and_then(|d| d.create_element("main").ok());
    let said = document.as_ref().and_then(|d| d.create_element("p").ok());
    let again = document.as_ref().and_then(|d| d.create_element("a").ok());
    if let (Some(main), Some(said), Some(again)) = (main, said, again) {
        let _ = said.set_attribute("role", "alert");
        said.set_text_content(Some(
            "This page could not start. Load it again to carry on.",
        ));
        let _ = again.set_attribute("href", &paths::current_href());
        again.set_text_content(Some("Load the page again"));
        let _ = main.append_child(&said);
        let _ = main.append_child(&again);
        let _ = body.append_child(&main);
    }
}
