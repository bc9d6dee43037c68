//! Rules for text people type: names and titles are trimmed, bounded, free
//! of control characters, hold something visible and nothing that turns
//! the text around, before they reach room state.

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// Longest room title, in characters.
pub const MAX_TITLE_CHARS: usize = 80;

/// Why a piece of text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("Please enter {what}.")]
    Empty { what: &'static str },
    #[error("{what} cannot hold characters that reverse the direction of text.", what = capitalise(what))]
    Reversing { what: &'static str },
    #[error("{what} can be at most {max} characters long ({len} given).", what = capitalise(what))]
    TooLong {
        what: &'static str,
        max: usize,
        len: usize,
    },
}

fn capitalise(what: &str) -> String {
    let mut chars = what.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Characters that embed, override or isolate the direction of text: they
/// can make a name or title read as something else.
fn reverses(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room on screen: zero-width spaces and joiners,
/// the word joiner, the byte-order mark, the soft hyphen, direction marks,
/// variation selectors. Text made only of these (and spaces) is empty.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
        )
}

/// Refuses text that reverses direction or shows nothing.
fn check_seen(cleaned: &str, what: &'static str) -> Result<(), TextError> {
    if cleaned.chars().any(reverses) {
        return Err(TextError::Reversing { what });
    }
    if !cleaned.is_empty() && cleaned.chars().all(invisible) {
        return Err(TextError::Empty { what });
    }
    Ok(())
}

/// Trims, collapses runs of whitespace (including newlines and control
/// characters) into single spaces, and checks the length, that something
/// visible is there and nothing reverses the text.
pub fn clean_line(raw: &str, what: &'static str, max: usize) -> Result<String, TextError> {
    let cleaned = raw
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    check_seen(&cleaned, what)?;
    let len = cleaned.chars().count();
    if len == 0 {
        Err(TextError::Empty { what })
    } else if len > max {
        Err(TextError::TooLong { what, max, len })
    } else {
        Ok(cleaned)
    }
}

/// Longest card or response title, in characters.
pub const MAX_SHORT_TEXT: usize = 120;
/// Longest description, comment or note, in characters.
pub const MAX_LONG_TEXT: usize = 2_000;

/// Like [`clean_line`] but keeps line breaks (at most two in a row) and may
/// allow empty text.
pub fn clean_block(
    raw: &str,
    what: &'static str,
    max: usize,
    allow_empty: bool,
) -> Result<String, TextError> {
    let lines: Vec<String> = raw
        .lines()
        .map(|line| {
            line.split(|c: char| c.is_whitespace() || c.is_control())
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut cleaned = String::new();
    let mut blank_run = 0;
    for line in lines {
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || cleaned.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        if !cleaned.is_empty() {
            cleaned.push('\n');
        }
        cleaned.push_str(&line);
    }
    let cleaned = cleaned.trim_end().to_owned();
    check_seen(&cleaned, what)?;
    let len = cleaned.chars().count();
    if len == 0 && !allow_empty {
        Err(TextError::Empty { what })
    } else if len > max {
        Err(TextError::TooLong { what, max, len })
    } else {
        Ok(cleaned)
    }
}

/// "1 person", "3 people": a count with the word that goes with it.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_people_say_them() {
        assert_eq!(count(0, "person", "people"), "0 people");
        assert_eq!(count(1, "person", "people"), "1 person");
        assert_eq!(count(2, "person", "people"), "2 people");
    }

    #[test]
    fn lines_are_trimmed_and_collapsed() {
        assert_eq!(
            clean_line("  Ada \n\t Lovelace\u{7} ", "a name", 40),
            Ok("Ada Lovelace".to_owned())
        );
    }

    #[test]
    fn blocks_keep_paragraphs() {
        assert_eq!(
            clean_block("  one \n\n\n\n two\t three \n", "a note", 100, false),
            Ok("one\n\ntwo three".to_owned())
        );
        assert_eq!(clean_block(" \n ", "a note", 100, true), Ok(String::new()));
        assert!(clean_block(" \n ", "a note", 100, false).is_err());
    }

    #[test]
    fn empty_and_long_lines_are_refused_in_words() {
        assert_eq!(
            clean_line(" \n ", "a name", 40).unwrap_err().to_string(),
            "Please enter a name."
        );
        let long = "x".repeat(41);
        assert_eq!(
            clean_line(&long, "a name", 40).unwrap_err().to_string(),
            "A name can be at most 40 characters long (41 given)."
        );
        // Length is counted in characters, not bytes.
        assert!(clean_line(&"é".repeat(40), "a name", 40).is_ok());
    }

    #[test]
    fn text_shows_something_and_keeps_its_direction() {
        for blank in [
            "\u{200B}",
            "\u{200B} \u{2060}",
            "\u{FEFF}",
            "\u{00AD}\u{200D}",
        ] {
            assert_eq!(
                clean_line(blank, "a name", 40),
                Err(TextError::Empty { what: "a name" }),
                "{blank:?}"
            );
            assert_eq!(
                clean_block(blank, "a note", 100, true),
                Err(TextError::Empty { what: "a note" }),
                "{blank:?}"
            );
        }
        assert_eq!(
            clean_line("Joan\u{202E}gnp.exe", "a name", 40)
                .unwrap_err()
                .to_string(),
            "A name cannot hold characters that reverse the direction of text."
        );
        assert!(clean_block("a\u{2067}b", "a note", 100, true).is_err());
        // Visible text with a joiner inside, and right-to-left scripts, stay.
        assert_eq!(
            clean_line("Zoë\u{200D}", "a name", 40).as_deref(),
            Ok("Zoë\u{200D}")
        );
        assert_eq!(clean_line("مريم", "a name", 40).as_deref(), Ok("مريم"));
    }
}
