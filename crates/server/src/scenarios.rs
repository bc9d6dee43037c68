//! Scenario files on disk: the `check-scenario` command, and the folder of
//! extra scenarios the server offers beside the built-in ones.

use std::io::Write;
use std::path::Path;

use riskroom_core::scenario::{self, Scenario, ScenarioErrors};
use serde::Serialize;

/// Reads and validates one file; the file is named by its path in messages.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioErrors> {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => scenario::parse(&name, &text),
        Err(e) => Err(ScenarioErrors(vec![scenario::ScenarioError {
            file: name,
            path: "(file)".into(),
            line: None,
            reason: format!("cannot be read: {e}"),
        }])),
    }
}

/// Checks files, writing problems or summaries; true when all are valid.
pub fn check_files(files: &[impl AsRef<Path>], out: &mut impl Write) -> std::io::Result<bool> {
    let mut all_valid = true;
    for file in files {
        let file = file.as_ref();
        match load_file(file) {
            Ok(scenario) => writeln!(
                out,
                "{}: valid: {}",
                file.display(),
                scenario.summary_line()
            )?,
            Err(errors) => {
                all_valid = false;
                let n = errors.0.len();
                writeln!(out, "{errors}")?;
                writeln!(
                    out,
                    "{}: {n} problem{} found",
                    file.display(),
                    if n == 1 { "" } else { "s" }
                )?;
            }
        }
    }
    Ok(all_valid)
}

/// A scenario file the server offers from its scenario folder.
#[derive(Clone, Debug)]
pub struct LibraryEntry {
    pub scenario: Scenario,
    pub file: String,
    pub text: String,
    pub built_in: bool,
}

/// What the app lists for a scenario it can offer.
#[derive(Clone, Debug, Serialize)]
pub struct LibraryListing {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub file: String,
    /// "built-in" or "library" (the server's scenario folder).
    pub origin: &'static str,
}

/// The verdict on a scenario file, as the app shows it.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Check {
    Valid { title: String, summary: String },
    Invalid { problems: Vec<String> },
}

pub fn check_text(file: &str, text: &str) -> Check {
    match scenario::parse(file, text) {
        Ok(s) => Check::Valid {
            title: s.title.clone(),
            summary: s.summary_line(),
        },
        Err(errors) => Check::Invalid {
            problems: errors.0.iter().map(ToString::to_string).collect(),
        },
    }
}

/// The built-in scenarios as library entries (they are valid by test).
pub fn built_in_entries() -> Vec<LibraryEntry> {
    scenario::BUILT_IN
        .iter()
        .filter_map(|b| {
            scenario::parse(b.file, b.text)
                .ok()
                .map(|scenario| LibraryEntry {
                    scenario,
                    file: b.file.to_owned(),
                    text: b.text.to_owned(),
                    built_in: true,
                })
        })
        .collect()
}

/// The valid scenarios of a folder, in file-name order. Each invalid file is
/// logged with every problem and skipped, as is one whose id is taken.
pub fn load_dir(dir: &Path) -> std::io::Result<Vec<LibraryEntry>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut entries: Vec<LibraryEntry> = Vec::new();
    for path in paths {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                tracing::error!(file = %path.display(), "scenario file cannot be read, skipped: {e}");
                continue;
            }
        };
        match scenario::parse(&path.display().to_string(), &text) {
            Ok(scenario) => {
                let taken = scenario::built_in(&scenario.id).is_some()
                    || entries.iter().any(|e| e.scenario.id == scenario.id);
                if taken {
                    tracing::error!(
                        file = %path.display(),
                        "scenario id \"{}\" is already used by another scenario; file skipped",
                        scenario.id
                    );
                    continue;
                }
                tracing::info!(file = %path.display(), "scenario offered: {}", scenario.summary_line());
                entries.push(LibraryEntry {
                    scenario,
                    file,
                    text,
                    built_in: false,
                });
            }
            Err(errors) => {
                tracing::error!(
                    file = %path.display(),
                    "scenario file has {} problem(s) and is skipped:\n{errors}",
                    errors.0.len()
                );
            }
        }
    }
    Ok(entries)
}

impl LibraryEntry {
    pub fn listing(&self) -> LibraryListing {
        LibraryListing {
            id: self.scenario.id.clone(),
            title: self.scenario.title.clone(),
            summary: self.scenario.summary.clone(),
            file: self.file.clone(),
            origin: if self.built_in { "built-in" } else { "library" },
        }
    }
}
