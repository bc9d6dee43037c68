//! Builds the web app's files into the executable when `RISKROOM_EMBED_DIST`
//! names the built app's folder (`cargo xtask dist` sets it): one file to
//! deploy. Without it the executable carries no app and serves a folder.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=RISKROOM_EMBED_DIST");
    let mut table = String::from("&[\n");
    if let Some(dir) = std::env::var_os("RISKROOM_EMBED_DIST").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("index.html").is_file(),
            "RISKROOM_EMBED_DIST={} holds no index.html: build the app first (cargo xtask dist)",
            dir.display()
        );
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        walk(&dir, &mut files);
        files.sort();
        for path in files {
            println!("cargo:rerun-if-changed={}", path.display());
            let name = path
                .strip_prefix(&dir)
                .expect("below the folder")
                .to_string_lossy()
                .replace('\\', "/");
            let absolute = path.canonicalize().expect("a file just listed");
            writeln!(
                table,
                "    ({name:?}, include_bytes!({:?})),",
                absolute.to_string_lossy()
            )
            .expect("writing to a string");
        }
    }
    table.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("embedded_app.rs"), table).expect("writing the table");
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("reading the app's folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            walk(&path, files);
            println!("cargo:rerun-if-changed={}", path.display());
        } else {
            files.push(path);
        }
    }
}
