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
pub const LEARNER_PAGE: &str = "join.html";
/// The start page (served for the base path).
pub const START_PAGE: &str = "start.html";
/// The console's page (served for `host/{code}`).
pub const CONSOLE_PAGE: &str = "console.html";
/// The app's pages: the whole app, the learner's, the start page and the
/// console's.
pub const PAGES: [&str; 4] = ["index.html", LEARNER_PAGE, START_PAGE, CONSOLE_PAGE];
/// Style sheets of `index.html` that the learner's page and the start page
/// leave off their first screen and name instead, for the app that needs
/// them to add (`src/services/handover.rs`).
const LATER_STYLES: [&str; 2] = ["exercise", "debrief"];
/// The link to the whole app in `index.html`.
const WHOLE: &str = r#"data-bin="riskroom" "#;
const WEB_PROFILE: &str = r#"data-cargo-profile-release="web""#;

/// Writes `join.html`, the learner's page for Trunk, from `index.html`:
/// the same page (head, start-up script, "Loading…") with the lobby app
/// (the learner's first screen) instead of the whole app, and beside it
/// the learner's app it hands over to (built under its own name, which the
/// lobby app knows: `src/services/handover.rs`), both with their own Cargo
/// profile, `learner`.
pub fn write_learner_page(root: &Path) -> Result<()> {
    write_page(root, LEARNER_PAGE, Styles::FirstScreen, |link| {
        let lobby = app_link(link, "riskroom-lobby");
        let learner = lobby.replace(
            r#"data-bin="riskroom-lobby" "#,
            r#"data-bin="riskroom-learner" data-type="worker" data-bindgen-target="web" "#,
        );
        format!("{lobby}\n{learner}")
    })
}

/// Writes `start.html`, the start page for Trunk, from `index.html`: the
/// same page with the start app instead of the whole app (Cargo profile
/// `learner`). `cargo xtask dist` then names in it the apps it hands over
/// to ([`name_apps`]).
pub fn write_start_page(root: &Path) -> Result<()> {
    write_page(root, START_PAGE, Styles::FirstScreen, |link| {
        app_link(link, "riskroom-start")
    })
}

/// Writes `console.html`, the console's page for Trunk, from `index.html`:
/// the same page with the console app (the console of a room on the server
/// in the lobby and the briefing; Cargo profile `web`, as the whole app)
/// instead of the whole app, which it hands over to past the briefing.
pub fn write_console_page(root: &Path) -> Result<()> {
    write_page(root, CONSOLE_PAGE, Styles::All, |link| {
        link.replace(WHOLE, r#"data-bin="riskroom-console" "#)
    })
}

/// Which of `index.html`'s style sheets a page links.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Styles {
    All,
    /// Not the [`LATER_STYLES`].
    FirstScreen,
}

/// `index.html`'s link to the whole app, for the app `bin` instead.
fn app_link(link: &str, bin: &str) -> String {
    link.replace(WHOLE, &format!(r#"data-bin="{bin}" "#))
        .replace(WEB_PROFILE, r#"data-cargo-profile-release="learner""#)
}

/// Writes the page `name` from `index.html` with `apps(link)` in place of
/// the link to the whole app, without the scenario reader's worker and the
/// scenario files, so the pages cannot drift apart.
fn write_page(
    root: &Path,
    name: &str,
    styles: Styles,
    apps: impl Fn(&str) -> String,
) -> Result<()> {
    let index = root.join("index.html");
    let html =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    if !html
        .lines()
        .any(|l| l.contains(WHOLE) && l.contains(WEB_PROFILE))
    {
        bail!("index.html has no link to the whole app ({WHOLE} {WEB_PROFILE})");
    }
    let page: String = html
        .lines()
        .filter(|l| !l.contains("riskroom-reader") && !l.contains(r#"rel="copy-dir""#))
        .filter(|l| {
            styles == Styles::All
                || !LATER_STYLES
                    .iter()
                    .any(|sheet| l.contains(&format!(r#"href="styles/{sheet}.css""#)))
        })
        .map(|l| {
            let l = if l.contains(WHOLE) {
                apps(l)
            } else {
                l.to_owned()
            };
            format!("{l}\n")
        })
        .collect();
    let target = root.join(name);
    std::fs::write(&target, page).with_context(|| format!("writing {}", target.display()))
}

/// Names in the pages of the bundle `folder` the files Trunk wrote into
/// other pages (their names carry their content's hash): the script and
/// wasm of the apps a page hands over to — the whole app's in the start
/// page and the console's (`<meta name="riskroom-whole-app">`), the
/// console app's in the start page (`riskroom-console-app`) — and in the
/// start page and the learner's page the [`LATER_STYLES`]
/// (`riskroom-later-styles`).
pub fn name_apps(folder: &Path) -> Result<()> {
    let read = |page: &str| {
        std::fs::read_to_string(folder.join(page))
            .with_context(|| format!("reading {}", folder.join(page).display()))
    };
    let (index, console) = (read("index.html")?, read(CONSOLE_PAGE)?);
    let app = |page: &str, html: &str, stem: &str| -> Result<String> {
        Ok(format!(
            "{} {}",
            hashed_name(html, stem, ".js")
                .with_context(|| format!("{page} has no link to {stem}-<hash>.js"))?,
            hashed_name(html, stem, "_bg.wasm")
                .with_context(|| format!("{page} has no link to {stem}-<hash>_bg.wasm"))?,
        ))
    };
    let later = LATER_STYLES
        .iter()
        .map(|sheet| {
            hashed_name(&index, sheet, ".css")
                .with_context(|| format!("index.html has no stylesheet {sheet}-<hash>.css"))
        })
        .collect::<Result<Vec<_>>>()?
        .join(" ");
    let later = format!(r#"<meta name="riskroom-later-styles" content="{later}" />"#);
    let whole = format!(
        r#"<meta name="riskroom-whole-app" content="{}" />"#,
        app("index.html", &index, "riskroom")?
    );
    let start = format!(
        r#"{whole}<meta name="riskroom-console-app" content="{}" />{later}"#,
        app(CONSOLE_PAGE, &console, "riskroom-console")?,
    );
    for (page, metas) in [
        (START_PAGE, start),
        (LEARNER_PAGE, later),
        (CONSOLE_PAGE, whole),
    ] {
        let html = read(page)?.replacen("</head>", &format!("{metas}</head>"), 1);
        let path = folder.join(page);
        std::fs::write(&path, html).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The name `{stem}-<hash>{suffix}` that `html` links, as Trunk writes it
/// (`href="./{stem}-<hash>{suffix}"`, or `href=./…` once minified).
fn hashed_name(html: &str, stem: &str, suffix: &str) -> Option<String> {
    let open = format!("./{stem}-");
    html.match_indices(&open).find_map(|(at, _)| {
        let hash = &html[at + open.len()..];
        let digits = hash.bytes().take_while(u8::is_ascii_hexdigit).count();
        let end = hash[digits..].strip_prefix(suffix)?;
        (digits > 0 && end.starts_with(['"', ' ', '>', '\'']))
            .then(|| format!("{stem}-{}{suffix}", &hash[..digits]))
    })
}

/// Copies a page built by Trunk into `built` into the bundle `folder`: the
/// page as `page`, its files beside the whole app's (their names carry
/// their content's hash, so a file both use is one; so do wasm-bindgen's
/// `snippets/` folders).
pub fn merge_page(built: &Path, folder: &Path, page: &str) -> Result<()> {
    let mut files = Vec::new();
    walk(built, &mut files)?;
    for path in files {
        let Ok(name) = path.strip_prefix(built) else {
            continue;
        };
        let target = if name.extension().is_some_and(|e| e == "html") {
            folder.join(page)
        } else {
            folder.join(name)
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("making {}", parent.display()))?;
        }
        // A file both builds made under one name must be the same file: a
        // page's script may be checked against its hash (`integrity`).
        if target.is_file()
            && name.extension().is_none_or(|e| e != "html")
            && std::fs::read(&target)? != std::fs::read(&path)?
        {
            bail!(
                "{} differs between the whole app's build and {page}'s",
                name.display()
            );
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
/// where they are smaller; returns a line per file with its sizes. The
/// files are shared out over the machine's cores: brotli at its best is
/// the slow part of a build's last step.
pub fn compress_folder(folder: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    walk(folder, &mut files)?;
    files.retain(|path| {
        let extension = path.extension().and_then(|e| e.to_str());
        COMPRESSIBLE.contains(&extension.unwrap_or_default())
    });
    files.sort();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done: Vec<(usize, Result<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        done.push((i, compress_file(folder, path)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a compressing thread panicked"))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, line)| line).collect()
}

/// Writes `path.br` and `path.gz` where they are smaller than the file;
/// the line of its sizes.
fn compress_file(folder: &Path, path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let brotli = brotli(&bytes)?;
    let gzip = gzip(&bytes)?;
    for (encoded, suffix) in [(&brotli, "br"), (&gzip, "gz")] {
        let mut name = path.to_path_buf().into_os_string();
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
        .unwrap_or(path)
        .display()
        .to_string();
    Ok(format!(
        "{name}: {} KB, brotli {} KB, gzip {} KB",
        bytes.len() / 1024,
        brotli.len() / 1024,
        gzip.len() / 1024
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_name_the_apps_and_styles_as_the_other_pages_link_them() {
        let folder = std::env::temp_dir().join(format!("riskroom-pages-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        // As Trunk writes them: the snippet's module first, then the app's.
        let index = r#"<head><link rel="modulepreload" href="./snippets/riskroom-5479a77504e32e81/inline0.js"><link rel="modulepreload" href="./riskroom-528c78e0b15eba9.js" crossorigin="anonymous"><link rel="preload" href="./riskroom-528c78e0b15eba9_bg.wasm" as="fetch"><link rel="stylesheet" href="./exercise-0f1e2d3c4b5a6978.css" integrity="sha384-y"/><link rel="stylesheet" href="./debrief-a0c1d2e3f4b5c6d7.css" integrity="sha384-x"/></head>"#;
        std::fs::write(folder.join("index.html"), index).unwrap();
        std::fs::write(
            folder.join(CONSOLE_PAGE),
            // Minified: attributes sorted, values unquoted.
            r#"<head><link crossorigin href=./riskroom-console-0123456789abcdef.js rel=modulepreload><link as=fetch crossorigin href=./riskroom-console-0123456789abcdef_bg.wasm rel=preload type=application/wasm></head>"#,
        )
        .unwrap();
        for page in [START_PAGE, LEARNER_PAGE] {
            std::fs::write(folder.join(page), "<head><title>x</title></head>").unwrap();
        }
        name_apps(&folder).unwrap();
        let start = std::fs::read_to_string(folder.join(START_PAGE)).unwrap();
        for meta in [
            r#"<meta name="riskroom-whole-app" content="riskroom-528c78e0b15eba9.js riskroom-528c78e0b15eba9_bg.wasm" />"#,
            r#"<meta name="riskroom-console-app" content="riskroom-console-0123456789abcdef.js riskroom-console-0123456789abcdef_bg.wasm" />"#,
            r#"<meta name="riskroom-later-styles" content="exercise-0f1e2d3c4b5a6978.css debrief-a0c1d2e3f4b5c6d7.css" /></head>"#,
        ] {
            assert!(start.contains(meta), "{start}");
        }
        let console = std::fs::read_to_string(folder.join(CONSOLE_PAGE)).unwrap();
        assert!(
            console.ends_with(r#"<meta name="riskroom-whole-app" content="riskroom-528c78e0b15eba9.js riskroom-528c78e0b15eba9_bg.wasm" /></head>"#),
            "{console}"
        );
        let learner = std::fs::read_to_string(folder.join(LEARNER_PAGE)).unwrap();
        assert!(
            learner.ends_with(r#"<meta name="riskroom-later-styles" content="exercise-0f1e2d3c4b5a6978.css debrief-a0c1d2e3f4b5c6d7.css" /></head>"#),
            "{learner}"
        );
        assert!(!learner.contains("riskroom-whole-app"), "{learner}");
        // A page without the apps' links is an error, not a guess.
        std::fs::write(folder.join(CONSOLE_PAGE), "<head></head>").unwrap();
        assert!(name_apps(&folder).is_err());
        std::fs::write(folder.join(CONSOLE_PAGE), index).unwrap();
        std::fs::write(folder.join("index.html"), "<head></head>").unwrap();
        assert!(name_apps(&folder).is_err());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    /// Every compressible file, and only those, gets its encodings where
    /// they are smaller, each decoding to the file; one line a file, in
    /// the order of their names, however the cores shared them out.
    #[test]
    fn each_compressible_file_gets_its_encodings_and_a_line_in_order() {
        use std::io::Read;
        let folder = std::env::temp_dir().join(format!("riskroom-compress-{}", std::process::id()));
        std::fs::create_dir_all(folder.join("snippets")).unwrap();
        let text = |n: usize| "let room = 'riskroom';\n".repeat(n).into_bytes();
        let files = [
            ("app.js", text(400)),
            ("b.css", text(50)),
            ("snippets/c.js", text(90)),
            ("icon.png", text(400)),
            ("tiny.json", b"{}".to_vec()),
        ];
        for (name, bytes) in &files {
            std::fs::write(folder.join(name), bytes).unwrap();
        }
        let lines = compress_folder(&folder).unwrap();
        let named: Vec<&str> = lines.iter().map(|l| l.split(':').next().unwrap()).collect();
        assert_eq!(named, ["app.js", "b.css", "snippets/c.js", "tiny.json"]);
        for (name, bytes) in &files[..3] {
            let mut brotli = Vec::new();
            ::brotli::Decompressor::new(
                &std::fs::read(folder.join(format!("{name}.br"))).unwrap()[..],
                4096,
            )
            .read_to_end(&mut brotli)
            .unwrap();
            assert_eq!(&brotli, bytes, "{name}.br");
            let mut gzip = Vec::new();
            flate2::read::GzDecoder::new(
                &std::fs::read(folder.join(format!("{name}.gz"))).unwrap()[..],
            )
            .read_to_end(&mut gzip)
            .unwrap();
            assert_eq!(&gzip, bytes, "{name}.gz");
        }
        for left in ["icon.png.br", "icon.png.gz", "tiny.json.br", "tiny.json.gz"] {
            assert!(!folder.join(left).exists(), "{left}");
        }
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
