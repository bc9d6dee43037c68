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
pub const ROOM_VIEW_ROWS_TALL: usize = 10;
/// Rows of a team's list when three or four teams share the room view
/// (two by two, each half the screen's height).
pub const ROOM_VIEW_ROWS_SHORT: usize = 4;

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
        if self.phase == Phase::Debrief {
            return 1 + teams.len() as u32;
        }
        let rows = room_view_rows(teams.len());
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
            rows: room_view_rows(teams.len()),
            teams: teams.iter().map(|t| t.id).collect(),
            page,
            pages,
            focus,
        }
    }
}

fn room_view_rows(teams: usize) -> usize {
    if teams <= 2 {
        ROOM_VIEW_ROWS_TALL
    } else {
        ROOM_VIEW_ROWS_SHORT
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
    fn one_page_has_no_label() {
        assert_eq!(screen(0, 1, 10).page_label(), None);
        assert_eq!(
            screen(1, 3, 10).page_label().as_deref(),
            Some("Page 2 of 3")
        );
    }
}
