//! URLs of the app's pages, relative to the document's `<base href>` so the
//! app works at the site root or under an intranet sub-path alike.

use riskroom_core::RoomCode;
use riskroom_core::protocol::WHOLE_APP_QUERY;

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

/// The app's base URL, always ending in `/` (e.g. `https://intranet/riskroom/`).
pub fn base_url() -> String {
    let base = window()
        .document()
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_else(|| "/".to_owned());
    // Drop any query or fragment and a trailing file name.
    let base = base.split(['?', '#']).next().unwrap_or_default();
    match base.rfind('/') {
        Some(i) => base[..=i].to_owned(),
        None => format!("{base}/"),
    }
}

/// The current page's path below the base, without leading `/`; a page
/// opened beside the base (the server reached directly, not through the
/// proxy whose path the base names) reads its path from the site's root.
pub fn current_route() -> String {
    let location = window().location();
    let href = location.href().unwrap_or_default();
    let href = href.split(['?', '#']).next().unwrap_or_default();
    let below = match href.strip_prefix(&base_url()) {
        Some(below) => below.to_owned(),
        None => location.pathname().unwrap_or_default(),
    };
    below.trim_matches('/').to_owned()
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned()
}

/// Removes the fragment from the address bar without reloading.
pub fn clear_fragment() {
    let url = window().location().href().unwrap_or_default();
    let clean = url.split('#').next().unwrap_or_default();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(clean));
    }
}

pub fn join_url(code: &RoomCode) -> String {
    format!("{}join/{code}", base_url())
}

pub fn console_url(code: &RoomCode) -> String {
    format!("{}host/{code}", base_url())
}

/// The room view for the projector at the app's `base` (the address other
/// machines reach), with its key in the fragment, which never reaches a
/// server or a log.
pub fn room_view_url(base: &str, code: &RoomCode, key: &riskroom_core::Secret) -> String {
    format!("{base}room-view/{code}#view={}", key.expose())
}

/// The link that moves the console to another device, at the app's `base`:
/// the one-time move code and the room-view root in the fragment, which
/// never reaches a server or a log.
pub fn console_move_url(base: &str, code: &RoomCode, move_code: &str, root: &str) -> String {
    format!("{base}host/{code}#move={move_code}&root={root}")
}

/// The server's health address: answers "ok" where a Riskroom server runs.
pub fn health_url() -> String {
    format!("{}healthz", base_url())
}

pub fn api_url(path: &str) -> String {
    format!("{}api/{path}", base_url())
}

/// `ws(s)://…/ws` beside the app.
pub fn socket_url() -> String {
    let base = base_url();
    if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}ws")
    } else if let Some(rest) = base.strip_prefix("http://") {
        format!("ws://{rest}ws")
    } else {
        format!("{base}ws")
    }
}

/// The event the app listens for after [`navigate`] changed the address.
pub const NAVIGATED: &str = "riskroom:navigate";

/// Goes to another of the app's pages without loading the document again
/// (what the page keeps in memory — all it has where the browser refuses
/// it storage — survives), or by loading it where the history cannot.
pub fn navigate(url: &str) {
    let w = window();
    let pushed = w.history().is_ok_and(|h| {
        h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            .is_ok()
    });
    if !pushed {
        let _ = w.location().assign(url);
        return;
    }
    w.scroll_to_with_x_and_y(0.0, 0.0);
    if let Ok(event) = web_sys::Event::new(NAVIGATED) {
        let _ = w.dispatch_event(&event);
    }
}

/// Loads the whole app at the current address: the lobby app and the
/// learner's app do so for a page that is not a learner's, or for a room
/// this browser runs itself. [`WHOLE_APP_QUERY`] in the query asks the
/// server for the whole app at a join link too.
pub fn load_whole_app() {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let _ = location.replace(&format!("{path}?{WHOLE_APP_QUERY}{hash}"));
}

/// The page's address as it stands.
pub fn current_href() -> String {
    window().location().href().unwrap_or_default()
}

/// Loads the current address from the server: the page it sends there
/// (the start app does so for a join link, whose page is the lobby app's).
pub fn load_from_server() {
    let _ = window().location().replace(&current_href());
}

/// Whether this page was loaded asking for the whole app (so that asking
/// again would go round in circles).
pub fn asked_for_whole_app() -> bool {
    let search = window().location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == WHOLE_APP_QUERY)
}
