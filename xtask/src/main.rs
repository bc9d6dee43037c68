//! `cargo xtask …`: one place that installs what is missing and runs the
//! project — `run` (build the app, start the server), `test` (every check,
//! browsers included, and a short soak), `dist` (release build of the app
//! into dist/), and the measurements (`bench`, `load`, `attack`, `soak`).

mod bench;
mod compress;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Riskroom's build, run and test automation"
)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install what is missing, build the app and the server in release, start the server.
    Run {
        /// Arguments passed to riskroom-server (e.g. --addr 0.0.0.0:8080).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        server_args: Vec<String>,
    },
    /// Install what is missing and run every check: fmt, clippy, native tests,
    /// wasm tests in headless Chromium, Playwright end-to-end tests.
    Test,
    /// Install what is missing, build the app in release into dist/ (the
    /// static bundle, compressed), and the release server with the app
    /// inside it (target/release/riskroom-server: one file to deploy).
    Dist {
        /// The path the static bundle is served under (the server sets its
        /// own from --public-url or --base-path).
        #[arg(long, default_value = "/")]
        base_path: String,
    },
    /// Benchmark the simulation natively and as wasm in headless Chromium,
    /// and the facilitator's risk picture in the release app (how long the
    /// page's main thread is held), and the first render of the start and
    /// join pages on an emulated phone, and one change on a big board; write
    /// the figures into BENCHMARKS.md.
    Bench {
        /// Only the first render (after building the app and the server).
        #[arg(long)]
        first_render: bool,
        /// Only the big board: one change on a board of 500 cards and 100
        /// responses (after building the app and the server).
        #[arg(long, conflicts_with = "first_render")]
        board: bool,
    },
    /// Load-test the server with real WebSocket clients on loopback (one room
    /// of 300 learners, 100 rooms of 30, one room of 1,000, and 300 rooms of
    /// 30), one edit per learner per
    /// second for 60 s; write the figures into BENCHMARKS.md.
    Load,
    /// Measure another room's acknowledgements while clients flood the
    /// scenario checker, for this build and a baseline server binary in the
    /// same run; write the figures into BENCHMARKS.md.
    Attack {
        /// A server binary to compare with (e.g. built from an older commit).
        #[arg(long)]
        baseline: Option<PathBuf>,
    },
    /// Soak the release server: rooms with learners joining, leaving and
    /// reconnecting, misbehaving clients, and a kill -9 and restart halfway;
    /// report memory and file descriptors over time and check that every
    /// acknowledged change is still there; write the figures into BENCHMARKS.md.
    Soak {
        /// How long to run, in minutes.
        #[arg(long, default_value_t = 5)]
        minutes: u64,
    },
    /// Install the tools only.
    Setup,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let root = project_root();
    std::env::set_current_dir(&root)?;
    tools::extend_path(&root)?;
    match cli.command {
        Task::Setup => tools::ensure_all(&root),
        Task::Dist { base_path } => {
            tools::ensure_all(&root)?;
            dist(&root, &base_path)
        }
        Task::Run { server_args } => {
            tools::ensure_all(&root)?;
            dist(&root, "/")?;
            println!(
                "Starting the server; open the URL it prints. Stop it with Ctrl-C.\n\
                 For phones in the room: cargo xtask run --addr 0.0.0.0:8080 \
                 (and --public-url with the address people open, behind a proxy)."
            );
            let status = tools::command(
                &root
                    .join("target/release/riskroom-server")
                    .to_string_lossy(),
            )
            .args(&server_args)
            .status()
            .context("starting riskroom-server")?;
            if !status.success() {
                bail!("riskroom-server exited with {status}");
            }
            Ok(())
        }
        Task::Test => {
            tools::ensure_all(&root)?;
            test(&root)
        }
        Task::Bench {
            first_render,
            board,
        } => {
            tools::ensure_all(&root)?;
            if first_render {
                dist(&root, "/")?;
                bench::first_render(&root)
            } else if board {
                dist(&root, "/")?;
                bench::board(&root)
            } else {
                bench::run(&root)
            }
        }
        Task::Load => bench::load(&root),
        Task::Attack { baseline } => bench::attack(&root, baseline.as_deref()),
        Task::Soak { minutes } => bench::soak(&root, minutes),
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Runs a named step, printing its duration.
pub fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    println!("==> {name}");
    let started = Instant::now();
    f().with_context(|| format!("step failed: {name}"))?;
    println!("<== {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        bail!("{shown} exited with {status}");
    }
    Ok(())
}

fn cargo(args: &[&str]) -> Result<()> {
    run(tools::command("cargo").args(args))
}

/// The app into `dist/` (the static bundle: its page's base path set, each
/// file beside its brotli and gzip encodings), then the release server
/// with that app inside it: one file to deploy.
fn dist(root: &Path, base_path: &str) -> Result<()> {
    step("build the app (trunk, release)", || {
        run(tools::command("trunk").args(["build", "--release", "--offline", "--locked"]))
    })?;
    let folder = root.join("dist");
    step(
        "build the learner's apps, the start app and the console app (trunk, release, join.html, start.html, console.html)",
        || {
            compress::write_learner_page(root)?;
            compress::write_start_page(root)?;
            compress::write_console_page(root)?;
            for page in [
                compress::LEARNER_PAGE,
                compress::START_PAGE,
                compress::CONSOLE_PAGE,
            ] {
                let built = root.join("target/trunk-pages").join(page);
                run(tools::command("trunk")
                    .args(["build", page, "--release", "--offline", "--locked"])
                    .arg("--dist")
                    .arg(&built))?;
                compress::merge_page(&built, &folder, page)?;
            }
            compress::name_apps(&folder)
        },
    )?;
    step("compress the app (brotli, gzip)", || {
        for page in compress::PAGES {
            compress::set_base_path(&folder.join(page), base_path)?;
        }
        let sizes = compress::compress_folder(&folder)?;
        for size in sizes {
            println!("    {size}");
        }
        Ok(())
    })?;
    step("build the server with the app inside (release)", || {
        build_server(root, &[])
    })?;
    let server = root.join("target/release/riskroom-server");
    let bytes = std::fs::metadata(&server).map(|m| m.len()).unwrap_or(0);
    println!(
        "One file to deploy: {} ({:.1} MB), the app inside. The static bundle: {}",
        server.display(),
        bytes as f64 / 1e6,
        folder.display()
    );
    Ok(())
}

/// `cargo build --release -p riskroom-server` and `extra` (examples), with
/// the app of `dist/` built in when there is one, so that every build of
/// the release server is the same one.
pub fn build_server(root: &Path, extra: &[&str]) -> Result<()> {
    let mut cmd = tools::command("cargo");
    cmd.args(["build", "--release", "-p", "riskroom-server", "--locked"])
        .args(extra);
    let folder = root.join("dist");
    if folder.join("index.html").is_file() {
        cmd.env("RISKROOM_EMBED_DIST", folder);
    } else {
        cmd.env_remove("RISKROOM_EMBED_DIST");
    }
    run(&mut cmd)
}

fn test(root: &Path) -> Result<()> {
    let started = Instant::now();
    step("format check", || cargo(&["fmt", "--all", "--check"]))?;
    step("clippy (native)", || {
        cargo(&[
            "clippy",
            "--workspace",
            "--exclude",
            "riskroom",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    step("clippy (web app, wasm32)", || {
        cargo(&[
            "clippy",
            "-p",
            "riskroom",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    step("native tests", || {
        cargo(&["test", "--workspace", "--exclude", "riskroom", "--locked"])
    })?;
    step("soak, short run (25 s, a restart halfway)", || {
        // The debug server the native tests built; its driver beside it.
        cargo(&[
            "build",
            "-p",
            "riskroom-server",
            "--bin",
            "riskroom-server",
            "--example",
            "soak",
            "--locked",
        ])?;
        run(Command::new(root.join("target/debug/examples/soak"))
            .arg(root.join("target/debug/riskroom-server"))
            .args(["25", "2", "4"]))
    })?;
    step("wasm tests in headless Chromium", || {
        run(&mut tools::wasm_tests(&["--locked"], 120))
    })?;
    dist(root, "/")?;
    step("end-to-end tests (Playwright, Chromium)", || {
        run(tools::command("node")
            .args(["--test", "--test-concurrency=1", "tests/e2e/"])
            .env(
                "RISKROOM_SERVER_BIN",
                root.join("target/release/riskroom-server"),
            )
            // The server serves the app built into it; the static bundle
            // (dist/) is what the no-server tests host.
            .env_remove("RISKROOM_DIST")
            .env("CHROMIUM", tools::CHROMIUM))
    })?;
    println!(
        "All checks passed in {:.0}s: fmt, clippy, native tests, a short soak, wasm tests, end-to-end tests.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
