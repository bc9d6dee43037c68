//! The static bundle's last steps: its page's base path, and a brotli and
//! a gzip encoding beside each file worth compressing, which the server
//! (and any web server with precompressed files turned on) sends by the
//! browser's `Accept-Encoding`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// File kinds that compress (text and WebAssembly).
const COMPRESSIBLE: [&str; 7] = ["wasm", "js", "css", "html", "toml", "json", "svg"];

/// Sets `<base href>` in `dist/index.html` (Trunk writes `./`).
pub fn set_base_path(folder: &Path, base_path: &str) -> Result<()> {
    if !base_path.starts_with('/')
        || !base_path.ends_with('/')
        || base_path.contains(['"', '<', '>', ' '])
    {
        bail!("the base path must start and end with '/', like /tools/riskroom/");
    }
    let index = folder.join("index.html");
    let html =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    const OPEN: &str = "<base href=\"";
    let start = html.find(OPEN).context("index.html has no <base href>")? + OPEN.len();
    let len = html[start..]
        .find('"')
        .context("index.html's <base href> is not closed")?;
    let html = format!("{}{base_path}{}", &html[..start], &html[start + len..]);
    std::fs::write(&index, html).with_context(|| format!("writing {}", index.display()))
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
