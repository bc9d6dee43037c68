//! The architecture invariants a test can check by reading the tree: the
//! core does no IO, the app takes its bounds and rules from the core, and
//! ARCHITECTURE.md's code map names every source file.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Every file under `dir` whose name ends with one of `exts`.
fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !matches!(name.as_str(), "artifacts" | "node_modules" | "target") {
                    stack.push(path);
                }
            } else if exts.iter().any(|e| name.ends_with(e)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Lines of `text` that contain `needle`, outside `//` comments.
fn code_lines<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .filter(|l| l.contains(needle))
        .collect()
}

#[test]
fn core_does_no_io() {
    let root = root();
    let mut found = Vec::new();
    for file in files(&root.join("crates/core/src"), &[".rs"]) {
        let text = read(&file);
        for needle in [
            "std::fs",
            "std::net",
            "std::process",
            "std::thread",
            "SystemTime",
            "Instant::now",
            "tokio",
            "axum",
            "yew",
            "web_sys",
            "js_sys",
        ] {
            for line in code_lines(&text, needle) {
                found.push(format!("{}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "IO in the core:\n{}", found.join("\n"));
    let manifest = read(&root.join("crates/core/Cargo.toml"));
    for crate_name in ["tokio", "axum", "yew", "web-sys", "js-sys", "rusqlite"] {
        assert!(
            !manifest.contains(crate_name),
            "the core depends on {crate_name}"
        );
    }
}

#[test]
fn the_app_takes_its_bounds_from_the_core() {
    let root = root();
    let mut found = Vec::new();
    for file in files(&root.join("src"), &[".rs"]) {
        let text = read(&file);
        // Bounds typed into a form, a rule's phase list, or a formula the
        // core owns (chances use the core's own exp, the same on every device).
        for needle in [
            "maxlength=\"",
            ".exp()",
            ".ln()",
            "matches!(r.phase",
            "> r.budget",
        ] {
            for line in code_lines(&text, needle) {
                found.push(format!("{}: {}", file.display(), line.trim()));
            }
        }
        // A number field's upper bound is the core's.
        for line in code_lines(&text, "<input") {
            if line.contains("max=\"") {
                found.push(format!("{}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "rules or bounds decided in the app:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_code_map_lists_every_file() {
    let root = root();
    let map = read(&root.join("ARCHITECTURE.md"));
    let mut missing = Vec::new();
    let mut sources = Vec::new();
    for dir in ["src", "crates/core/src", "crates/server/src", "xtask/src"] {
        sources.extend(files(&root.join(dir), &[".rs"]));
    }
    sources.extend(files(&root.join("tests/e2e"), &[".mjs"]));
    for file in sources {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let named = if name == "mod.rs" {
            // A folder's own module is named by its folder.
            let folder = file
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            map.contains(&format!("{folder}/")) || map.contains(&format!("`{name}`"))
        } else {
            // By its file name: a bare word ("board") would be found anywhere.
            map.contains(&name)
        };
        if !named {
            missing.push(
                file.strip_prefix(&root)
                    .unwrap_or(&file)
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map does not name:\n{}",
        missing.join("\n")
    );
}
