//! Riskroom's web app (Yew, compiled to WebAssembly). Pages render and raise
//! callbacks; every rule is decided by `riskroom-core`; the transport to the
//! room lives behind `services::transport`.

pub mod app;
pub mod components;
pub mod error;
pub mod format;
pub mod hooks;
pub mod pages;
pub mod services;
pub mod state;

/// Mounts the app on the page's `<body>`, in place of the "Loading…"
/// that `index.html` shows until the app is ready.
pub fn start() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    services::embed::report_height();
    yew::Renderer::<app::App>::new().render();
}
