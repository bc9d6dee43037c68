//! Riskroom's server: serves the built app, runs each room as one task that
//! applies the core's rules, and keeps every accepted event in SQLite before
//! anyone hears of it.

pub mod assets;
pub mod config;
pub mod error;
pub mod http;
pub mod limits;
pub mod listen;
pub mod metrics;
pub mod outbox;
pub mod records;
pub mod rooms;
pub mod scenarios;
pub mod simulate;
pub mod site;
pub mod store;
pub mod work;
pub mod ws;

use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::config::{Cli, ServeConfig, Sub};
use crate::rooms::Rooms;
use crate::store::Store;

/// Shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    pub rooms: Arc<Rooms>,
    pub config: Arc<ServeConfig>,
    /// The built-in scenarios, then those from `--scenario-dir`.
    pub library: Arc<Vec<scenarios::LibraryEntry>>,
    /// Connection attempts and room creations per network address.
    pub joins: Arc<limits::AddressLimiter>,
    /// Scenario checks per network address.
    pub checks: Arc<limits::AddressLimiter>,
    /// Where scenario files are read, a few at a time.
    pub costly: Arc<work::Costly>,
    /// Where people reach this server.
    pub site: Arc<site::Site>,
    /// The web app's files.
    pub assets: Arc<assets::Assets>,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Sub::Serve) {
        Sub::Serve => serve(cli.serve, shutdown_signal()).await,
        Sub::Simulate(args) => simulate::run(&args, &mut std::io::stdout()),
        Sub::Backup { file } => {
            Store::backup(&cli.serve.db, &file).with_context(|| {
                format!(
                    "copying the room store {} into {}",
                    cli.serve.db.display(),
                    file.display()
                )
            })?;
            println!(
                "Copied every room of {} into {}.",
                cli.serve.db.display(),
                file.display()
            );
            Ok(())
        }
        Sub::CheckScenario { files } => {
            if scenarios::check_files(&files, &mut std::io::stdout())? {
                Ok(())
            } else {
                std::process::exit(1)
            }
        }
    }
}

/// Opens the store, binds, prints the URL to open, and serves until `shutdown`.
pub async fn serve(
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = Store::open(&config.db)
        .with_context(|| format!("opening the room store {}", config.db.display()))?;
    let base_path = config.base_path();
    let assets = assets::Assets::load(config.static_dir.as_deref(), &base_path)
        .context("reading the web app's files")?;
    match assets.source() {
        assets::Source::BuiltIn => {
            tracing::info!(%base_path, "serving the app built into this executable")
        }
        assets::Source::Folder(dir) => {
            tracing::info!(dir = %dir.display(), %base_path, "serving the app from a folder")
        }
        assets::Source::Nothing => tracing::warn!(
            dir = %config.static_dir.as_deref().unwrap_or(std::path::Path::new("dist")).display(),
            "no built app here; only the API and WebSocket will answer (build it with `cargo xtask dist`)"
        ),
    }
    let mut library = scenarios::built_in_entries();
    if let Some(dir) = &config.scenario_dir {
        library.extend(
            scenarios::load_dir(dir)
                .with_context(|| format!("reading the scenario folder {}", dir.display()))?,
        );
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("binding {}", config.addr))?;
    let addr = listener.local_addr()?;
    let config_joins = config.joins_per_minute;
    let limits = riskroom_core::room::Limits {
        participants: config.max_participants,
        cards_per_team: config.max_cards_per_team,
        text_chars: config.max_text_chars,
        ..riskroom_core::room::Limits::default()
    };
    let site = site::Site::new(config.public_url.clone(), addr);
    // Learning records, when an LRS is configured: kept with the events,
    // sent by a thread of their own.
    let records_site = match &config.lrs_endpoint {
        Some(endpoint) => {
            let public_url = config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{addr}/"));
            let lrs = records::Lrs::from_env(endpoint);
            records::spawn_sender(config.db.clone(), lrs, store.records_committed())
                .context("starting the learning record sender")?;
            tracing::info!(%endpoint, "learning records go to the LRS");
            Some(riskroom_core::record::Site {
                home_page: config
                    .lrs_home_page
                    .clone()
                    .unwrap_or_else(|| public_url.clone()),
                public_url,
            })
        }
        None => None,
    };
    let guidance = site.guidance(addr);
    let costly = Arc::new(work::Costly::new(
        config.checks_at_once,
        std::time::Duration::from_millis(config.check_budget_ms),
    ));
    let bounds = listen::Bounds {
        per_address: config.max_connections_per_address,
        header_timeout: std::time::Duration::from_millis(config.header_timeout_ms),
    };
    let state = AppState {
        site: Arc::new(site),
        rooms: Arc::new(Rooms::new(
            Arc::new(store),
            limits,
            Arc::clone(&costly),
            std::time::Duration::from_millis(config.room_idle_ms.max(1)),
            records_site,
        )),
        checks: Arc::new(limits::AddressLimiter::new(config.checks_per_minute)),
        costly,
        config: Arc::new(config),
        library: Arc::new(library),
        joins: Arc::new(limits::AddressLimiter::new(config_joins)),
        assets: Arc::new(assets),
    };
    spawn_retention(&state);
    let app = http::router(state);
    tracing::info!(%addr, "listening");
    // The one line scripts and people read to find the app.
    // Written, not printed: a closed standard output (a script that read
    // the first line and went away) must not stop the server.
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Riskroom is running at http://{addr}/");
        for line in guidance {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    }
    listen::serve(listener, app, bounds, shutdown)
        .await
        .context("serving")
}

/// Deletes rooms idle for longer than the retention setting, at start and
/// then every hour.
fn spawn_retention(state: &AppState) {
    let days = state.config.retention_days;
    if days == 0 {
        return;
    }
    let rooms = Arc::clone(&state.rooms);
    tokio::spawn(async move {
        loop {
            let keep = rooms.live_codes().await;
            let cutoff = rooms::now_ms().saturating_sub(u64::from(days) * 24 * 3600 * 1000);
            let store = Arc::clone(rooms.store());
            match tokio::task::spawn_blocking(move || store.delete_older_than(cutoff, &keep)).await
            {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => {
                    tracing::info!(rooms = n, days, "deleted rooms past the retention period")
                }
                Ok(Err(e)) => tracing::error!(error = %e, "retention sweep failed"),
                Err(e) => tracing::error!(error = %e, "retention sweep failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
