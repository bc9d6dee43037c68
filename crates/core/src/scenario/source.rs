//! Reading a scenario file: TOML syntax, then field types (serde), then the
//! rules in `validate`. Every problem becomes a [`ScenarioError`] naming the
//! file, the field path (lists counted from 1, as an admin counts blocks),
//! the line where the parser knows it, and the reason in plain words.

use std::fmt;

use toml::de::{DeTable, DeValue};

use super::Scenario;
use super::path::{FieldPath, Seg};
use super::validate::validate;

/// Largest scenario file accepted.
pub const MAX_FILE_BYTES: usize = 512 * 1024;

/// Problems of one kind (unknown fields, broken rules) listed one by one;
/// the rest are counted in one line. A file of fifty thousand misspelt
/// fields then costs no more to report than one of twenty, and the report
/// stays readable.
pub const MAX_LISTED: usize = 20;

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScenarioError {
    pub file: String,
    /// Where in the file's structure, e.g. `risk[3].impact.high`.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub reason: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}: {}", self.file, self.path, self.reason),
            None => write!(f, "{}: {}: {}", self.file, self.path, self.reason),
        }
    }
}

/// Every problem found in one file, in file order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// Parses and validates a scenario file. `file` names it in messages.
pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioErrors> {
    let error = |path: String, line: Option<usize>, reason: String| ScenarioError {
        file: file.to_owned(),
        path,
        line,
        reason,
    };
    if text.len() > MAX_FILE_BYTES {
        return Err(ScenarioErrors(vec![error(
            FieldPath::default().to_string(),
            None,
            format!(
                "the file is {} KB; a scenario file can be at most {} KB",
                text.len() / 1024,
                MAX_FILE_BYTES / 1024
            ),
        )]));
    }
    let lines = Lines::new(text);
    let document = match DeTable::parse(text) {
        Ok(document) => document,
        Err(e) => {
            return Err(ScenarioErrors(vec![error(
                FieldPath::default().to_string(),
                e.span().map(|s| lines.of(s.start)),
                format!("this is not valid TOML: {}", e.message().trim()),
            )]));
        }
    };
    let locate = |path: &FieldPath| span_of(document.get_ref(), &path.0).map(|at| lines.of(at));

    let mut unknown = Vec::new();
    let outcome = {
        let de = match toml::de::Deserializer::parse(text) {
            Ok(de) => de,
            Err(e) => {
                return Err(ScenarioErrors(vec![error(
                    FieldPath::default().to_string(),
                    e.span().map(|s| lines.of(s.start)),
                    format!("this is not valid TOML: {}", e.message().trim()),
                )]));
            }
        };
        let mut record = |path: serde_ignored::Path<'_>| unknown.push(ignored_path(&path));
        let de = serde_ignored::Deserializer::new(de, &mut record);
        serde_path_to_error::deserialize::<_, Scenario>(de)
    };

    let mut errors: Vec<ScenarioError> = unknown
        .iter()
        .take(MAX_LISTED)
        .map(|path| {
            let field = match path.0.last() {
                Some(Seg::Key(key)) => key.clone(),
                _ => String::new(),
            };
            error(
                path.to_string(),
                locate(path),
                format!(
                    "there is no field called `{field}` here (check its spelling and where it sits; docs/scenario-format.md lists every field)"
                ),
            )
        })
        .collect();
    if let Some(more) = unknown.len().checked_sub(MAX_LISTED).filter(|n| *n > 0) {
        errors.push(error(
            FieldPath::default().to_string(),
            None,
            format!(
                "and {more} more fields that mean nothing here (the first {MAX_LISTED} are listed)"
            ),
        ));
    }

    match outcome {
        Err(e) => {
            let path = typed_path(e.path());
            let inner = e.into_inner();
            // A missing field is best pointed at by its table; the top
            // level has no line worth naming.
            let line = if inner.message().starts_with("missing field") {
                locate(&path)
            } else {
                inner
                    .span()
                    .map(|s| lines.of(s.start))
                    .or_else(|| locate(&path))
            };
            errors.push(error(path.to_string(), line, plain(inner.message())));
        }
        Ok(scenario) => {
            let problems = validate(&scenario);
            for (path, reason) in problems.iter().take(MAX_LISTED) {
                errors.push(error(path.to_string(), locate(path), reason.clone()));
            }
            if let Some(more) = problems.len().checked_sub(MAX_LISTED).filter(|n| *n > 0) {
                errors.push(error(
                    FieldPath::default().to_string(),
                    None,
                    format!("and {more} more problems (the first {MAX_LISTED} are listed)"),
                ));
            }
            if errors.is_empty() {
                return Ok(scenario);
            }
        }
    }
    errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
    Err(ScenarioErrors(errors))
}

/// Where the file's lines break, so each problem's line is a binary search
/// rather than a count from the start (which made many problems cost the
/// square of the file's size).
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        Self(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(at, _)| at)
                .collect(),
        )
    }

    /// The 1-based line of a byte offset.
    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&at| at < offset) + 1
    }
}

/// Byte offset where the value at `path` starts (or its nearest parent).
fn span_of(table: &DeTable<'_>, path: &[Seg]) -> Option<usize> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(key) = first else { return None };
    let (k, value) = table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key.as_str())?;
    let here = if rest.is_empty() {
        k.span().start
    } else {
        value.span().start
    };
    Some(span_of_value(value.get_ref(), rest).unwrap_or(here))
}

fn span_of_value(value: &DeValue<'_>, path: &[Seg]) -> Option<usize> {
    let (first, rest) = path.split_first()?;
    match (value, first) {
        (DeValue::Table(table), Seg::Key(_)) => span_of(table, path),
        (DeValue::Array(items), Seg::Index(i)) => {
            let item = items.get(*i)?;
            Some(span_of_value(item.get_ref(), rest).unwrap_or(item.span().start))
        }
        _ => None,
    }
}

fn ignored_path(path: &serde_ignored::Path<'_>) -> FieldPath {
    use serde_ignored::Path;
    match path {
        Path::Root => FieldPath::default(),
        Path::Seq { parent, index } => ignored_path(parent).index(*index),
        Path::Map { parent, key } => ignored_path(parent).key(key),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

fn typed_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment;
    let mut out = FieldPath::default();
    for seg in path.iter() {
        out = match seg {
            Segment::Seq { index } => out.index(*index),
            Segment::Map { key } => out.key(key),
            Segment::Enum { .. } | Segment::Unknown => out,
        };
    }
    out
}

/// Rewrites serde's messages in words an admin reads easily.
fn plain(message: &str) -> String {
    let message = message.trim();
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return format!("the field `{field}` is missing here");
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((got, expected)) = rest.split_once("`, expected ")
    {
        let options = expected.trim_start_matches("one of ").replace('`', "\"");
        return format!("\"{got}\" is not allowed here; use one of {options}");
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((got, expected)) = rest.split_once("`, expected ")
    {
        let options = expected.trim_start_matches("one of ").replace('`', "\"");
        return format!("there is no field called `{got}` here; the fields are {options}");
    }
    let words = [
        ("expected f64", "expected a number"),
        ("expected u32", "expected a whole number"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected text in quotes"),
        ("expected a sequence", "expected a list [ … ]"),
        ("invalid type: ", ""),
        ("floating point", "decimal number"),
        ("string \"", "text \""),
        ("expected struct ", "expected a table "),
    ];
    let mut out = message.to_owned();
    for (from, to) in words {
        out = out.replace(from, to);
    }
    // "text \"lots\", expected a number" reads better the other way round.
    if message.starts_with("invalid type: ")
        && let Some((found, expected)) = out.rsplit_once(", expected ")
    {
        return format!("expected {expected}, found {found}");
    }
    out
}
