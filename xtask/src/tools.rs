//! Installs what the build and the tests need when it is missing, at pinned
//! versions, from the registries this machine reaches: rustup's wasm32 target,
//! trunk and wasm-bindgen-cli from crates.io, wasm-opt and Playwright from
//! npm, Chromium and chromedriver from Debian.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{run, step};

pub const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen` pin in Cargo.toml exactly.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Puts npm's tools (wasm-opt from binaryen 132) first on PATH, ahead of any
/// older system wasm-opt, and cargo's bin folder after them.
pub fn extend_path(root: &Path) -> Result<()> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|home| home.join("bin"));
    let mut paths = vec![root.join("node_modules/.bin")];
    paths.extend(cargo_bin);
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    // Children get it explicitly (see `command`): editing our own environment
    // is unsafe in edition 2024.
    PATH_OVERRIDE.set(std::env::join_paths(paths)?).ok();
    Ok(())
}

static PATH_OVERRIDE: std::sync::OnceLock<std::ffi::OsString> = std::sync::OnceLock::new();

/// A command with the extended PATH.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(program);
    if let Some(path) = PATH_OVERRIDE.get() {
        cmd.env("PATH", path);
    }
    cmd
}

/// `cargo test` of the web app's crate as wasm in headless Chromium, with
/// `extra` arguments and a per-test timeout in seconds.
pub fn wasm_tests(extra: &[&str], timeout_secs: u32) -> Command {
    let mut cmd = command("cargo");
    cmd.args([
        "test",
        "-p",
        "riskroom",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .args(extra)
    .env("CHROMEDRIVER", CHROMEDRIVER)
    .env("WASM_BINDGEN_TEST_TIMEOUT", timeout_secs.to_string());
    cmd
}

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn ensure_all(root: &Path) -> Result<()> {
    step("tools: wasm32 target", ensure_wasm_target)?;
    step("tools: Chromium and chromedriver", ensure_chromium)?;
    step(
        "tools: nginx (the proxy of the deployment test)",
        ensure_nginx,
    )?;
    step(
        "tools: Ralph (the learning record store of the LRS test)",
        || ensure_lrs(root),
    )?;
    step("tools: npm packages (wasm-opt, Playwright)", || {
        ensure_npm(root)
    })?;
    step("tools: wasm-bindgen-cli", ensure_wasm_bindgen)?;
    step("tools: trunk", ensure_trunk)?;
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_chromium() -> Result<()> {
    ensure_debian(&[CHROMIUM, CHROMEDRIVER], &["chromium", "chromium-driver"])
}

/// nginx, the reverse proxy the deployment test runs in front of the server.
pub const NGINX: &str = "/usr/sbin/nginx";

fn ensure_nginx() -> Result<()> {
    ensure_debian(&[NGINX], &["nginx"])
}

/// Installs Ralph from PyPI into `target/lrs-venv`, pinned by
/// `crates/server/tests/lrs/requirements.txt`, unless that exact set is there.
fn ensure_lrs(root: &Path) -> Result<()> {
    // The LRS `crates/server/tests/lrs.rs` runs.
    let venv = root.join("target/lrs-venv");
    let requirements = root.join("crates/server/tests/lrs/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)?;
    let stamp = venv.join("riskroom-requirements.txt");
    if std::fs::read_to_string(&stamp).is_ok_and(|had| had == wanted) {
        return Ok(());
    }
    run(command("python3")
        .arg("-m")
        .arg("venv")
        .arg("--clear")
        .arg(&venv))?;
    run(command(&venv.join("bin/pip").to_string_lossy())
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    std::fs::write(stamp, wanted)?;
    Ok(())
}

/// Installs Debian's `packages` unless every one of `paths` is there.
fn ensure_debian(paths: &[&str], packages: &[&str]) -> Result<()> {
    if paths.iter().all(|p| Path::new(p).exists()) {
        return Ok(());
    }
    let root = output_of("id", &["-u"]).is_some_and(|uid| uid == "0");
    if !root {
        bail!(
            "{} missing; install with `sudo apt-get install -y {}` and run this again",
            paths.join(", "),
            packages.join(" ")
        );
    }
    run(command("apt-get").arg("update"))?;
    run(command("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn ensure_npm(root: &Path) -> Result<()> {
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    let playwright = root.join("node_modules/playwright-core/package.json");
    let axe = root.join("node_modules/axe-core/axe.min.js");
    // The QR code decoder the end-to-end tests read the screen with.
    let qr = ["jsqr", "pngjs"].map(|p| root.join(format!("node_modules/{p}/package.json")));
    if wasm_opt.exists() && playwright.exists() && axe.exists() && qr.iter().all(|p| p.exists()) {
        let version = output_of("wasm-opt", &["--version"]).unwrap_or_default();
        if version.contains("version 132") {
            return Ok(());
        }
    }
    run(command("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root))
    .context("npm ci (needs node and npm: `apt-get install -y nodejs npm`)")
}

fn ensure_wasm_bindgen() -> Result<()> {
    let want = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    if output_of("wasm-bindgen", &["--version"]).is_some_and(|v| v == want) {
        return Ok(());
    }
    // Not --locked: the crate's own lockfile names a version the registry lacks.
    run(command("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        WASM_BINDGEN_VERSION,
    ]))
}

fn ensure_trunk() -> Result<()> {
    let want = format!("trunk {TRUNK_VERSION}");
    if output_of("trunk", &["--version"]).is_some_and(|v| v == want) {
        return Ok(());
    }
    run(command("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
}
