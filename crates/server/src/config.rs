//! Command-line flags and environment variables (every flag has one).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "riskroom-server",
    version,
    about = "Runs Riskroom rooms for a training session."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Sub>,
    #[command(flatten)]
    pub serve: ServeConfig,
}

#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Serve the app and the rooms (the default).
    Serve,
    /// Check scenario files: prints every problem, or a summary of each valid
    /// file; exits with status 1 if any file has a problem.
    CheckScenario {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Simulate a scenario's true risks for one year, many times, and print
    /// the loss distribution with and without a strategy.
    Simulate(SimulateArgs),
    /// Copy every room into a new SQLite file while the server runs (a
    /// consistent copy: SQLite's online backup). To restore, stop the
    /// server and put the copy where --db points.
    Backup {
        /// The new file to write (it must not exist yet).
        file: PathBuf,
    },
}

#[derive(Clone, Debug, clap::Args)]
pub struct SimulateArgs {
    /// A scenario file, or the id of a built-in scenario.
    pub scenario: String,
    #[arg(long, default_value_t = 100_000)]
    pub trials: usize,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// none, playbook, best, or response ids separated by commas.
    #[arg(long, default_value = "playbook")]
    pub strategy: String,
    /// Ids of injects to treat as fired, separated by commas.
    #[arg(long, default_value = "")]
    pub injects: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// How the server runs.
#[derive(Clone, Debug, clap::Args)]
pub struct ServeConfig {
    /// Address to listen on. Port 0 picks a free port (printed at start).
    #[arg(long, env = "RISKROOM_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SQLite file that keeps every room. Created with its folder if missing.
    #[arg(long, env = "RISKROOM_DB", default_value = "data/riskroom.sqlite3")]
    pub db: PathBuf,
    /// Folder with the built web app (`index.html` and its assets), served
    /// instead of the app built into this executable. Without it: the app
    /// built in (`cargo xtask dist`), else the folder `dist`.
    #[arg(long, env = "RISKROOM_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// Largest WebSocket message accepted, in bytes (a scenario file is
    /// sent in one message).
    #[arg(long, env = "RISKROOM_MAX_FRAME_BYTES", default_value_t = 1024 * 1024)]
    pub max_frame_bytes: usize,
    /// Folder of extra scenario files (*.toml) offered beside the built-in
    /// ones. Invalid files are reported in the log and skipped.
    #[arg(long, env = "RISKROOM_SCENARIO_DIR")]
    pub scenario_dir: Option<PathBuf>,
    /// People who may join one room.
    #[arg(long, env = "RISKROOM_MAX_PARTICIPANTS", default_value_t = 500)]
    pub max_participants: u32,
    /// Cards on one team's board.
    #[arg(long, env = "RISKROOM_MAX_CARDS_PER_TEAM", default_value_t = 200)]
    pub max_cards_per_team: u32,
    /// Longest description, comment or note, in characters.
    #[arg(long, env = "RISKROOM_MAX_TEXT_CHARS", default_value_t = 2_000)]
    pub max_text_chars: u32,
    /// Messages one connection may send per second (bursts of twice that).
    #[arg(long, env = "RISKROOM_MAX_MESSAGES_PER_SECOND", default_value_t = 20)]
    pub max_messages_per_second: u32,
    /// Connection attempts and room creations per minute from one network
    /// address (a whole class may share one address behind a firewall).
    #[arg(long, env = "RISKROOM_JOINS_PER_MINUTE", default_value_t = 600)]
    pub joins_per_minute: u32,
    /// Scenario files one network address may have checked per minute.
    #[arg(long, env = "RISKROOM_CHECKS_PER_MINUTE", default_value_t = 60)]
    pub checks_per_minute: u32,
    /// Connections open at once from one network address (each phone,
    /// console and room view holds one); more are refused.
    #[arg(
        long,
        env = "RISKROOM_MAX_CONNECTIONS_PER_ADDRESS",
        default_value_t = 256
    )]
    pub max_connections_per_address: usize,
    /// Scenario files read at once, each on a thread of its own.
    #[arg(
        long,
        env = "RISKROOM_CHECKS_AT_ONCE",
        default_value_t = 2,
        hide = true
    )]
    pub checks_at_once: usize,
    /// Longest a scenario file may take to read, in milliseconds.
    #[arg(
        long,
        env = "RISKROOM_CHECK_BUDGET_MS",
        default_value_t = 10_000,
        hide = true
    )]
    pub check_budget_ms: u64,
    /// Time a client has to send a request's headers, in milliseconds.
    #[arg(
        long,
        env = "RISKROOM_HEADER_TIMEOUT_MS",
        default_value_t = 10_000,
        hide = true
    )]
    pub header_timeout_ms: u64,
    /// How often a WebSocket is pinged, in milliseconds.
    #[arg(
        long,
        env = "RISKROOM_WS_PING_MS",
        default_value_t = 20_000,
        hide = true
    )]
    pub ws_ping_ms: u64,
    /// How long after a ping a WebSocket that sent nothing is closed, in
    /// milliseconds.
    #[arg(
        long,
        env = "RISKROOM_WS_PONG_TIMEOUT_MS",
        default_value_t = 20_000,
        hide = true
    )]
    pub ws_pong_timeout_ms: u64,
    /// Longest one write to a WebSocket may wait, in milliseconds.
    #[arg(
        long,
        env = "RISKROOM_WS_WRITE_TIMEOUT_MS",
        default_value_t = 15_000,
        hide = true
    )]
    pub ws_write_timeout_ms: u64,
    /// Bytes waiting to be written to one WebSocket before it is closed as
    /// too far behind.
    #[arg(long, env = "RISKROOM_WS_QUEUE_BYTES", default_value_t = 2 * 1024 * 1024, hide = true)]
    pub ws_queue_bytes: usize,
    /// Web origins allowed to open a WebSocket besides the server's own,
    /// comma-separated (e.g. https://intranet.example.com).
    #[arg(long, env = "RISKROOM_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// Who may show the app in a frame (the CSP frame-ancestors value), e.g.
    /// "'self' https://intranet.example.com".
    #[arg(long, env = "RISKROOM_FRAME_ANCESTORS", default_value = "'self'",
        value_parser = frame_ancestors)]
    pub frame_ancestors: String,
    /// The address people reach this server at, e.g.
    /// "https://riskroom.example.com/" or "http://192.168.1.20:8080/": what
    /// the join link and its QR code carry. Without it, the console offers
    /// this machine's network addresses (when listening on them).
    /// Behind a proxy, its path is the base path the app is served under.
    #[arg(long, env = "RISKROOM_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// The path the app is reached under behind a proxy, e.g.
    /// "/tools/riskroom/", when no public URL gives it.
    #[arg(long, env = "RISKROOM_BASE_PATH", value_parser = base_path,
        conflicts_with = "public_url")]
    pub base_path: Option<String>,
    /// The xAPI endpoint of the learning record store that receives each
    /// learner's records, e.g. "https://lrs.example.com/xAPI/". Its user
    /// and password come from RISKROOM_LRS_USERNAME and RISKROOM_LRS_PASSWORD
    /// (the environment only).
    #[arg(long, env = "RISKROOM_LRS_ENDPOINT", value_parser = public_url)]
    pub lrs_endpoint: Option<String>,
    /// The homePage of learners' accounts in the records (default: the
    /// public URL), e.g. the identity provider the LRS knows people by.
    #[arg(long, env = "RISKROOM_LRS_HOME_PAGE", value_parser = public_url)]
    pub lrs_home_page: Option<String>,
    /// A room nobody is connected to is let go from memory after this many
    /// milliseconds (it is loaded again from the store when someone comes).
    #[arg(long, env = "RISKROOM_ROOM_IDLE_MS", default_value_t = 10 * 60 * 1000, hide = true)]
    pub room_idle_ms: u64,
    /// Delete rooms whose last change is older than this many days (0 keeps
    /// every room).
    #[arg(long, env = "RISKROOM_RETENTION_DAYS", default_value_t = 90)]
    pub retention_days: u32,
}

impl ServeConfig {
    /// The path the app is served under, `/` at the least, ending in `/`:
    /// the public URL's path, or `--base-path`.
    pub fn base_path(&self) -> String {
        if let Some(url) = &self.public_url {
            return url
                .parse::<axum::http::Uri>()
                .map_or_else(|_| "/".to_owned(), |uri| uri.path().to_owned());
        }
        self.base_path.clone().unwrap_or_else(|| "/".to_owned())
    }

    /// The origin (`scheme://host[:port]`) of the public URL.
    pub fn public_origin(&self) -> Option<String> {
        let uri = self.public_url.as_ref()?.parse::<axum::http::Uri>().ok()?;
        Some(format!("{}://{}", uri.scheme_str()?, uri.authority()?))
    }
}

/// A base path as it goes into the page: `/`-separated segments of
/// letters, digits and `-._~`, starting and ending with `/`.
fn base_path(text: &str) -> Result<String, String> {
    let path = format!("/{}/", text.trim().trim_matches('/'));
    let path = if path == "//" { "/".to_owned() } else { path };
    let fits = path.split('/').all(|segment| {
        segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
    });
    if path == "/" || (fits && !path.contains("//")) {
        Ok(path)
    } else {
        Err(format!(
            "the base path {text:?} is not a path like /tools/riskroom/: letters, digits, '-', '.', '_' and '~' between slashes"
        ))
    }
}

/// A public URL as people type it, checked and ending in `/`.
fn public_url(text: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "{why}: give the address people open, such as https://riskroom.example.com/ or http://192.168.1.20:8080/"
        ))
    };
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("the public URL has a space or a control character");
    }
    let Ok(uri) = text.parse::<axum::http::Uri>() else {
        return bad("the public URL is not a URL");
    };
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return bad("the public URL must start with http:// or https://");
    }
    if uri.host().is_none_or(str::is_empty) {
        return bad("the public URL has no host");
    }
    if uri.query().is_some() || text.contains('#') {
        return bad("the public URL must not have a query or a fragment");
    }
    let mut url = text.to_owned();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// A `frame-ancestors` value as it may go into the Content-Security-Policy
/// header: sources separated by spaces, in visible ASCII, with nothing that
/// would end the directive (`;`, `,`) or the header (a line break).
fn frame_ancestors(value: &str) -> Result<String, String> {
    let value = value.trim();
    let fits = !value.is_empty()
        && value
            .chars()
            .all(|c| (c == ' ' || c.is_ascii_graphic()) && c != ';' && c != ',');
    if fits {
        Ok(value.to_owned())
    } else {
        Err("give the sources allowed to frame the app separated by spaces, like \"'self' https://intranet.example.com\": visible ASCII, no line breaks, ';' or ','".to_owned())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn base_paths_are_checked_and_end_in_a_slash() {
        assert_eq!(
            super::base_path("/tools/riskroom/").as_deref(),
            Ok("/tools/riskroom/")
        );
        assert_eq!(
            super::base_path("tools/riskroom").as_deref(),
            Ok("/tools/riskroom/")
        );
        assert_eq!(super::base_path("/").as_deref(), Ok("/"));
        for bad in [
            "/a b/", "/a/../b/", "/a//b/", "/\"a/", "/a?b/", "/a#b/", "/<x>/",
        ] {
            assert!(super::base_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn public_urls_are_checked_and_end_in_a_slash() {
        assert_eq!(
            super::public_url("https://riskroom.example.com/intranet").as_deref(),
            Ok("https://riskroom.example.com/intranet/")
        );
        assert_eq!(
            super::public_url("http://192.168.1.20:8080/").as_deref(),
            Ok("http://192.168.1.20:8080/")
        );
        for bad in [
            "riskroom.example.com",
            "ftp://x/",
            "http:///",
            "http://x/?a=1",
            "http://x/\n",
            "http://x/#y",
        ] {
            assert!(super::public_url(bad).is_err(), "{bad}");
        }
    }
}
