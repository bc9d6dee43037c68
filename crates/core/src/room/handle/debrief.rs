//! The rules for the debrief: lessons, action items, peer ratings and the
//! facilitator's rubric; and the cap on a team's notes, which comments on
//! the board share.

use crate::ids::ParticipantId;
use crate::room::rules::{MAX_PEER_SCORE, MAX_RUBRIC_LEVEL};
use crate::room::{Actor, Event, Rejection, Room, Team, TeamId};
use crate::text::{self, MAX_NAME_CHARS};

impl Room {
    pub(super) fn add_lesson(&self, actor: &Actor, raw: &str) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        self.room_for_note(team)?;
        let text = text::clean_block(raw, "a lesson", self.limits.text_chars as usize, false)?;
        Ok(vec![Event::LessonAdded {
            team: team.id,
            author: Some(me),
            text,
        }])
    }

    pub(super) fn add_action_item(
        &self,
        actor: &Actor,
        raw: &str,
        owner: &str,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        self.room_for_note(team)?;
        let text = text::clean_block(
            raw,
            "an action item",
            self.limits.text_chars as usize,
            false,
        )?;
        let owner = text::clean_line(owner, "who owns the action", MAX_NAME_CHARS)?;
        Ok(vec![Event::ActionItemAdded {
            team: team.id,
            author: Some(me),
            text,
            owner,
        }])
    }

    pub(super) fn rate_peer(
        &self,
        actor: &Actor,
        peer: ParticipantId,
        score: u8,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        if !(1..=MAX_PEER_SCORE).contains(&score) {
            return Err(Rejection::BadScore);
        }
        if peer == me || team.member(peer).is_none() {
            return Err(Rejection::NotATeammate);
        }
        Ok(vec![Event::PeerRated {
            team: team.id,
            from: me,
            to: peer,
            score,
        }])
    }

    pub(super) fn rate_rubric(
        &self,
        team: TeamId,
        dimension: &str,
        level: u8,
    ) -> Result<Vec<Event>, Rejection> {
        self.team_or(team)?;
        let scenario = self.scenario()?;
        if !scenario.rubric.dimensions.iter().any(|d| d.id == dimension) {
            return Err(Rejection::UnknownDimension(dimension.to_owned()));
        }
        if !(1..=MAX_RUBRIC_LEVEL).contains(&level) {
            return Err(Rejection::BadLevel);
        }
        Ok(vec![Event::RubricRated {
            team,
            dimension: dimension.to_owned(),
            level,
        }])
    }

    /// Comments, lessons and action items share one cap per team.
    pub(super) fn room_for_note(&self, team: &Team) -> Result<(), Rejection> {
        let notes = team.comments.len() + team.lessons.len() + team.actions.len();
        if notes >= self.limits.notes_per_team as usize {
            return Err(Rejection::BoardFull(
                self.limits.notes_per_team,
                "comments and notes",
            ));
        }
        Ok(())
    }
}
