//! What the room view shows on one screen: the teams it shows, how many
//! rows of each team's list fit beside the others, and the page the
//! facilitator turned to. The room view is one screen with no scrolling
//! (a projector has no one to scroll it); a list longer than its rows is
//! paged, and only the facilitator turns the page, so the room view and the
//! console agree on what the room is looking at.

use std::ops::Range;

use super::{Room, Team, TeamId};
use crate::scenario::Phase;

/// Rows of a team's list on the room view when one or two teams share it
/// (each has the screen's full height).
pub const ROOM_VIEW_ROWS_TALL: usize = 14;
/// Rows of a team's list when three or four teams share the room view
/// (two by two, each half the screen's height).
pub const ROOM_VIEW_ROWS_SHORT: usize = 6;
/// Rows a team's strategy gives up to its budget and live numbers.
const STRATEGY_SUMMARY_ROWS: usize = 2;

/// Characters of the briefing's narrative on one page of the room view.
pub const NARRATIVE_PAGE_CHARS: usize = 900;

/// Characters of a brief or a story a phone shows at a time: about a third
/// of a 360 px phone's screen of text.
pub const READING_PAGE_CHARS: usize = 400;

/// One screen of the room view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screen {
    /// The teams shown, in the room's order.
    pub teams: Vec<TeamId>,
    /// The page shown, counted from 0 (always below `pages`).
    pub page: u32,
    pub pages: u32,
    /// Rows of each team's list on one page.
    pub rows: usize,
    /// In the debrief, each page after the first is one team's: its id.
    pub focus: Option<TeamId>,
}

impl Screen {
    /// The rows of a list of `len` items shown on this page.
    pub fn rows_of(&self, len: usize) -> Range<usize> {
        let start = (self.page as usize * self.rows).min(len);
        start..(start + self.rows).min(len)
    }

    /// "Page 2 of 3", or None when everything fits on one.
    pub fn page_label(&self) -> Option<String> {
        (self.pages > 1).then(|| format!("Page {} of {}", self.page + 1, self.pages))
    }
}

impl Room {
    /// The teams the room view shows: those with members (the only team
    /// while nobody has joined).
    pub fn room_view_teams(&self) -> Vec<&Team> {
        let peopled: Vec<&Team> = self
            .teams
            .iter()
            .filter(|t| !t.members.is_empty())
            .collect();
        if peopled.is_empty() {
            self.teams.iter().take(1).collect()
        } else {
            peopled
        }
    }

    /// The briefing's narrative in the pages the room view shows.
    pub fn narrative_pages(&self) -> Vec<String> {
        self.scenario
            .as_deref()
            .map(|s| narrative_pages(&s.narrative))
            .unwrap_or_default()
    }

    /// The items of a team's list the room view pages through in this
    /// phase: the cards on its board (in Assess once revealed), the
    /// responses standing on it.
    pub fn room_view_items(&self, team: &Team) -> usize {
        match self.phase {
            Phase::Identify => team.cards.iter().filter(|c| c.live()).count(),
            Phase::Assess if team.revealed => team.cards.iter().filter(|c| c.live()).count(),
            Phase::Respond => team.responses.iter().filter(|r| !r.withdrawn).count(),
            _ => 0,
        }
    }

    /// Pages of the room view in this phase: enough for the longest team
    /// list; in the debrief, the teams compared and then one page a team.
    pub fn room_view_pages(&self) -> u32 {
        let teams = self.room_view_teams();
        match self.phase {
            Phase::Debrief => return 1 + teams.len() as u32,
            Phase::Briefing => return self.narrative_pages().len().max(1) as u32,
            _ => {}
        }
        let rows = room_view_rows(self.phase, teams.len());
        teams
            .iter()
            .map(|t| self.room_view_items(t).div_ceil(rows) as u32)
            .max()
            .unwrap_or(0)
            .max(1)
    }

    /// What the room view shows now.
    pub fn screen(&self) -> Screen {
        let teams = self.room_view_teams();
        let pages = self.room_view_pages();
        // A list can shrink under the page (a card merged away): the last
        // page stands in for pages that no longer exist.
        let page = self.room_view_page.min(pages - 1);
        let focus = (self.phase == Phase::Debrief && page > 0)
            .then(|| teams.get(page as usize - 1).map(|t| t.id))
            .flatten();
        Screen {
            rows: room_view_rows(self.phase, teams.len()),
            teams: teams.iter().map(|t| t.id).collect(),
            page,
            pages,
            focus,
        }
    }
}

/// `text` in pages of at most [`NARRATIVE_PAGE_CHARS`]: whole paragraphs
/// together while they fit, a longer one cut after a sentence (or a word).
pub fn narrative_pages(text: &str) -> Vec<String> {
    text_pages(text, NARRATIVE_PAGE_CHARS)
}

/// `text` in pages of at most `max` characters, cut as [`narrative_pages`]
/// cuts: what a phone shows of a brief or a story at a time
/// ([`READING_PAGE_CHARS`]).
pub fn text_pages(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut pages: Vec<String> = Vec::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        for piece in cut(paragraph, max) {
            match pages.last_mut() {
                Some(last) if last.chars().count() + 2 + piece.chars().count() <= max => {
                    last.push_str("\n\n");
                    last.push_str(piece);
                }
                _ => pages.push(piece.to_owned()),
            }
        }
    }
    pages
}

/// A paragraph in pieces that each fit a page of `max` characters.
fn cut(paragraph: &str, max: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = paragraph;
    while rest.chars().count() > max {
        let limit = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let head = &rest[..limit];
        let end = head
            .rfind(". ")
            .map(|i| i + 1)
            .or_else(|| head.rfind(' '))
            .filter(|&i| i > 0)
            .unwrap_or(limit);
        pieces.push(rest[..end].trim());
        rest = rest[end..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

/// Rows of each team's list in `phase` with this many teams shown.
fn room_view_rows(phase: Phase, teams: usize) -> usize {
    let rows = if teams <= 2 {
        ROOM_VIEW_ROWS_TALL
    } else {
        ROOM_VIEW_ROWS_SHORT
    };
    match phase {
        Phase::Respond | Phase::PlayYear => rows - STRATEGY_SUMMARY_ROWS,
        _ => rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(page: u32, pages: u32, rows: usize) -> Screen {
        Screen {
            teams: Vec::new(),
            page,
            pages,
            rows,
            focus: None,
        }
    }

    #[test]
    fn rows_of_a_page_cover_the_list_once() {
        let len = 23;
        let rows: Vec<usize> = (0..3).flat_map(|p| screen(p, 3, 10).rows_of(len)).collect();
        assert_eq!(rows, (0..len).collect::<Vec<_>>());
        assert_eq!(screen(2, 3, 10).rows_of(len), 20..23);
        assert_eq!(screen(3, 3, 10).rows_of(len), 23..23);
        assert_eq!(screen(0, 1, 10).rows_of(0), 0..0);
    }

    #[test]
    fn the_narrative_is_cut_into_pages_that_fit() {
        let sentence = "The payroll server is down and nobody knows why. ";
        let long = sentence.repeat(40);
        let text = format!("Short one.\n\nShort two.\n\n{long}\n\nLast.");
        let pages = narrative_pages(&text);
        assert_eq!(pages[0], "Short one.\n\nShort two.");
        assert!(
            pages
                .iter()
                .all(|p| p.chars().count() <= NARRATIVE_PAGE_CHARS)
        );
        assert!(
            pages[1..].iter().all(|p| p.ends_with('.')),
            "cut after a sentence"
        );
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            words(&pages.join(" ")),
            words(&text),
            "nothing lost or repeated"
        );
        // One word longer than a page is cut where it must be.
        let word = "x".repeat(NARRATIVE_PAGE_CHARS + 5);
        assert_eq!(narrative_pages(&word).len(), 2);
        assert!(narrative_pages("  \n\n ").is_empty());
        // A phone's pages are shorter, cut the same way.
        let phone = text_pages(&text, READING_PAGE_CHARS);
        assert!(phone.len() > pages.len());
        assert!(
            phone
                .iter()
                .all(|p| p.chars().count() <= READING_PAGE_CHARS)
        );
        assert_eq!(words(&phone.join(" ")), words(&text));
    }

    #[test]
    fn one_page_has_no_label() {
        assert_eq!(screen(0, 1, 10).page_label(), None);
        assert_eq!(
            screen(1, 3, 10).page_label().as_deref(),
            Some("Page 2 of 3")
        );
    }
}
