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

/// Mounts the whole app on the page's `<body>` (`index.html`, or handed
/// over to by the start app).
pub fn start() {
    services::store::take_over();
    let route = app::Route::parse(&services::paths::current_route());
    services::handover::keep_run_here(route == app::Route::Home);
    services::link::run_rooms_here();
    mount::<app::App>();
}

/// Mounts the learner's app (handed over to by the lobby app on
/// `join.html`): every phase of the learner's pages, without the console's,
/// the room view's or the scenario tools' code. A room this browser runs
/// itself needs the whole app, which this page loads in its place.
pub fn start_learner() {
    services::store::take_over();
    if !whole_app_needed() {
        mount::<app::LearnerApp<pages::learner::Playing<pages::learner::EveryPhase>>>();
    }
}

/// Mounts the console app (`console.html`): the console of a room on the
/// server in the lobby and the briefing, which hands over to the whole app
/// past them (`pages::console::OpeningOnly`). A room this browser runs
/// itself needs the whole app, which this page loads in its place.
pub fn start_console() {
    services::store::take_over();
    if !whole_app_needed() {
        mount::<app::ConsoleApp>();
    }
}

/// Mounts the lobby app (`join.html`): the join form and the lobby, which
/// hands over to the learner's app as the briefing starts
/// (`services::handover`); a tab that handed over before goes straight on.
pub fn start_lobby() {
    if whole_app_needed() {
        return;
    }
    let route = app::Route::parse(&services::paths::current_route());
    if let app::Route::Join(code) = route
        && services::handover::handed_over(&code)
    {
        wasm_bindgen_futures::spawn_local(async move {
            let app = services::handover::App::Learner(code);
            if services::handover::to(app).await.is_err() {
                mount_lobby();
            }
        });
        return;
    }
    mount_lobby();
}

fn mount_lobby() {
    let app = mount::<app::LearnerApp<pages::lobby::LobbyPlaying>>();
    services::handover::on_unmount(move || app.destroy());
}

/// Mounts the start app (`start.html`, the start page): the start page
/// alone, which hands over to the whole app for a console.
pub fn start_start_page() {
    let app = mount::<app::StartApp>();
    services::handover::on_unmount(move || app.destroy());
}

/// Whether the address needs the whole app, which this page then loads in
/// its place: a room this browser runs itself.
fn whole_app_needed() -> bool {
    if let app::Route::Join(code) | app::Route::Console(code) | app::Route::RoomView(code) =
        app::Route::parse(&services::paths::current_route())
        && !services::link::can_open(&code)
        && !services::paths::asked_for_whole_app()
    {
        services::paths::load_whole_app();
        return true;
    }
    false
}

/// Mounts `C` in place of what the page shows until the app is ready
/// ("Loading…", and at a join link the join form, whose name and press the
/// app takes over: `services::boot`).
fn mount<C: yew::BaseComponent<Properties = ()>>() -> yew::AppHandle<C> {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        services::boot::keep_from_page(&document);
        if let Some(boot) = document.get_element_by_id("boot") {
            boot.remove();
        }
    }
    services::embed::report_height();
    yew::Renderer::<C>::new().render()
}
