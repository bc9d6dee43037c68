//! `cargo xtask …`: one place that installs what is missing and runs the
//! project — `run` (build the app, start the server), `test` (every check,
//! browsers included, and a short soak), `dist` (release build of the app
//! into dist/), and the measurements (`bench`, `load`, `attack`, `soak`).

mod bench;
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
    /// Install what is missing and build the app in release into dist/.
    Dist,
    /// Benchmark the simulation natively and as wasm in headless Chromium,
    /// and the facilitator's risk picture in the release app (how long the
    /// page's main thread is held); write the figures into BENCHMARKS.md.
    Bench,
    /// Load-test the server with real WebSocket clients on loopback (one room
    /// of 300 learners, and 100 rooms of 30), one edit per learner per
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
        Task::Dist => {
            tools::ensure_all(&root)?;
            dist()
        }
        Task::Run { server_args } => {
            tools::ensure_all(&root)?;
            dist()?;
            step("build the server", || {
                cargo(&["build", "--release", "-p", "riskroom-server"])
            })?;
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
        Task::Bench => {
            tools::ensure_all(&root)?;
            bench::run(&root)
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

fn dist() -> Result<()> {
    step("build the app (trunk, release)", || {
        run(tools::command("trunk").args(["build", "--release", "--offline", "--locked"]))
    })
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
    dist()?;
    step("build the server (release)", || {
        cargo(&["build", "--release", "-p", "riskroom-server", "--locked"])
    })?;
    step("end-to-end tests (Playwright, Chromium)", || {
        run(tools::command("node")
            .args(["--test", "--test-concurrency=1", "tests/e2e/"])
            .env(
                "RISKROOM_SERVER_BIN",
                root.join("target/release/riskroom-server"),
            )
            .env("RISKROOM_DIST", root.join("dist"))
            .env("CHROMIUM", tools::CHROMIUM))
    })?;
    println!(
        "All checks passed in {:.0}s: fmt, clippy, native tests, a short soak, wasm tests, end-to-end tests.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
