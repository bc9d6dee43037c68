//! The static bundle's last steps: its page's base path, and a brotli and
//! a gzip encoding beside each file worth compressing, which the server
//! (and any web server with precompressed files turned on) sends by the
//! browser's `Accept-Encoding`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// File kinds that compress (text and WebAssembly).
const COMPRESSIBLE: [&str; 7] = ["wasm", "js", "css", "html", "toml", "json", "svg"];

/// The learner's page (served for `join/{code}`).
const LEARNER_PAGE: &str = "join.html";
/// The app's pages: the whole app, and the learner's.
pub const PAGES: [&str; 2] = ["index.html", LEARNER_PAGE];

/// Writes `join.html`, the learner's page for Trunk, from `index.html`:
/// the same page (head, start-up script, "Loading…") with the lobby app
/// (the learner's first screen) instead of the whole app, and beside it
/// the learner's app it hands over to (built under its own name, which the
/// lobby app knows: `src/services/handover.rs`), both with their own Cargo
/// profile, `learner`; without the scenario reader's worker and the
/// scenario files, so the two pages cannot drift apart.
pub fn write_learner_page(root: &Path) -> Result<()> {
    let index = root.join("index.html");
    let html =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    const WHOLE: &str = r#"data-bin="riskroom" "#;
    const WEB_PROFILE: &str = r#"data-cargo-profile-release="web""#;
    if !html
        .lines()
        .any(|l| l.contains(WHOLE) && l.contains(WEB_PROFILE))
    {
        bail!("index.html has no link to the whole app ({WHOLE} {WEB_PROFILE})");
    }
    let page: String = html
        .lines()
        .filter(|l| !l.contains("riskroom-reader") && !l.contains(r#"rel="copy-dir""#))
        .map(|l| {
            let l = if l.contains(WHOLE) {
                let lobby = l
                    .replace(WHOLE, r#"data-bin="riskroom-lobby" "#)
                    .replace(WEB_PROFILE, r#"data-cargo-profile-release="learner""#);
                let learner = lobby.replace(
                    r#"data-bin="riskroom-lobby" "#,
                    r#"data-bin="riskroom-learner" data-type="worker" data-bindgen-target="web" "#,
                );
                format!("{lobby}\n{learner}")
            } else {
                l.to_owned()
            };
            format!("{l}\n")
        })
        .collect();
    let target = root.join(LEARNER_PAGE);
    std::fs::write(&target, page).with_context(|| format!("writing {}", target.display()))
}

/// Copies the learner's page, built by Trunk into `built`, into the bundle
/// `folder`: the page as [`LEARNER_PAGE`], its files beside the whole app's
/// (their names carry their content's hash, so a file both use is one; so
/// do wasm-bindgen's `snippets/` folders).
pub fn merge_learner_app(built: &Path, folder: &Path) -> Result<()> {
    let mut files = Vec::new();
    walk(built, &mut files)?;
    for path in files {
        let Ok(name) = path.strip_prefix(built) else {
            continue;
        };
        let target = if name.extension().is_some_and(|e| e == "html") {
            folder.join(LEARNER_PAGE)
        } else {
            folder.join(name)
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("making {}", parent.display()))?;
        }
        std::fs::copy(&path, &target)
            .with_context(|| format!("copying {} to {}", path.display(), target.display()))?;
    }
    Ok(())
}

/// Sets `<base href>` in the page `page` (Trunk writes `./`).
pub fn set_base_path(page: &Path, base_path: &str) -> Result<()> {
    if !base_path.starts_with('/')
        || !base_path.ends_with('/')
        || base_path.contains(['"', '<', '>', ' '])
    {
        bail!("the base path must start and end with '/', like /tools/riskroom/");
    }
    let html =
        std::fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
    const OPEN: &str = "<base href=\"";
    let start = html
        .find(OPEN)
        .with_context(|| format!("{} has no <base href>", page.display()))?
        + OPEN.len();
    let len = html[start..]
        .find('"')
        .with_context(|| format!("{}'s <base href> is not closed", page.display()))?;
    let html = format!("{}{base_path}{}", &html[..start], &html[start + len..]);
    std::fs::write(page, html).with_context(|| format!("writing {}", page.display()))
}

/// Writes `X.br` and `X.gz` beside each compressible file `X` of `folder`
/// where they are smaller; returns a line per file with its sizes.
pub fn compress_folder(folder: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    walk(folder, &mut files)?;
    files.sort();
    let mut lines = Vec::new();
    for path in files {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !COMPRESSIBLE.contains(&extension) {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let brotli = brotli(&bytes)?;
        let gzip = gzip(&bytes)?;
        for (encoded, suffix) in [(&brotli, "br"), (&gzip, "gz")] {
            let mut name = path.clone().into_os_string();
            name.push(format!(".{suffix}"));
            let target = PathBuf::from(name);
            if encoded.len() < bytes.len() {
                std::fs::write(&target, encoded)
                    .with_context(|| format!("writing {}", target.display()))?;
            } else if target.exists() {
                std::fs::remove_file(&target)?;
            }
        }
        let name = path
            .strip_prefix(folder)
            .unwrap_or(&path)
            .display()
            .to_string();
        lines.push(format!(
            "{name}: {} KB, brotli {} KB, gzip {} KB",
            bytes.len() / 1024,
            brotli.len() / 1024,
            gzip.len() / 1024
        ));
    }
    Ok(lines)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut input = bytes;
    ::brotli::BrotliCompress(&mut input, &mut out, &params).context("brotli")?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}
