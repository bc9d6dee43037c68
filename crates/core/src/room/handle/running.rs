//! The rules for running the exercise: choosing the scenario, moving
//! between phases, timers, pausing, injects, revealing the played year, the
//! vote budget, the adoption rule and the room-view link.

use super::ReadScenario;
use crate::ids::SecretHash;
use crate::room::rules::{MAX_TIMER_SECONDS, VOTE_BUDGETS};
use crate::room::{AdoptionRule, Event, Rejection, RoleMode, Room, TeamId};

impl Room {
    pub(super) fn pause_room(&self, paused: bool) -> Vec<Event> {
        if self.paused == paused {
            return Vec::new();
        }
        vec![Event::RoomPaused { paused }]
    }

    pub(super) fn show_join_screen(&self, shown: bool) -> Vec<Event> {
        if self.join_shown == shown {
            return Vec::new();
        }
        vec![Event::JoinScreenShown { shown }]
    }

    pub(super) fn set_adoption_rule(&self, rule: AdoptionRule) -> Vec<Event> {
        if self.adoption == rule {
            return Vec::new();
        }
        vec![Event::AdoptionRuleSet { rule }]
    }

    /// A new room-view link: the hash of its key, which the console derived.
    pub(super) fn renew_room_view_key(
        &self,
        room_view: &SecretHash,
    ) -> Result<Vec<Event>, Rejection> {
        if !room_view.is_well_formed() {
            return Err(Rejection::BadRoomViewKey);
        }
        Ok(vec![Event::RoomViewKeyRenewed {
            room_view: Some(room_view.clone()),
        }])
    }

    /// Reveals the played year up to `shown` events: at most the longest of
    /// the teams' years (each team's year is drawn from the room's seed).
    pub(super) fn reveal_year(&self, shown: u32) -> Result<Vec<Event>, Rejection> {
        let longest = self
            .teams
            .iter()
            .filter_map(|t| crate::debrief::team_year(self, t))
            .map(|y| y.events.len())
            .max()
            .unwrap_or(0);
        if shown as usize > longest {
            return Err(Rejection::NoSuchYearEvent(longest));
        }
        if shown == self.year_shown {
            return Ok(Vec::new());
        }
        Ok(vec![Event::YearRevealed { shown }])
    }

    /// Reveals the debrief's scores to the room, or hides them again.
    pub(super) fn reveal_scores(&self, shown: bool) -> Result<Vec<Event>, Rejection> {
        if shown == self.scores_shown {
            return Ok(Vec::new());
        }
        Ok(vec![Event::ScoresRevealed { shown }])
    }

    /// A nudge to the players of `role` in `team`: a role of the scenario
    /// that someone in the team plays.
    pub(super) fn nudge_role(&self, team: TeamId, role: &str) -> Result<Vec<Event>, Rejection> {
        let t = self.team_or(team)?;
        let scenario = self.scenario()?;
        if scenario.role(role).is_none() {
            return Err(Rejection::UnknownRole(role.to_owned()));
        }
        if Room::players(t, role).is_empty() {
            return Err(Rejection::RoleNotPlayed(t.name.clone()));
        }
        Ok(vec![Event::RoleNudged {
            team,
            role: role.to_owned(),
        }])
    }

    /// Puts the perspectives' counts up on the room view as they stand now,
    /// or takes them down.
    pub(super) fn show_coverage(&self, shown: bool) -> Vec<Event> {
        if !shown && self.coverage_shown.is_none() {
            return Vec::new();
        }
        vec![Event::CoverageShown {
            coverage: shown.then(|| self.coverage()),
        }]
    }

    /// Turns the room view to one of the phase's pages.
    pub(super) fn show_room_view_page(&self, page: u32) -> Result<Vec<Event>, Rejection> {
        let pages = self.room_view_pages();
        if page >= pages {
            return Err(Rejection::NoSuchRoomViewPage(pages));
        }
        if page == self.screen().page {
            return Ok(Vec::new());
        }
        Ok(vec![Event::RoomViewPageShown { page }])
    }

    pub(super) fn choose_scenario(
        &self,
        file: &str,
        text: &str,
        read: ReadScenario<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        let scenario = read(file, text).map_err(Rejection::Scenario)?;
        let mut events = vec![Event::ScenarioChosen {
            title: scenario.title.clone(),
            scenario: Some(Box::new(scenario.clone())),
        }];
        if self.role_mode == RoleMode::AutoBalance {
            // A new scenario clears every role: deal them all afresh.
            events.extend(self.deal_roles(&scenario, true));
        }
        Ok(events)
    }

    /// Moves the room on. An inject due in the next phase does not fire
    /// by itself: the console marks it due and the facilitator fires it
    /// when the room is ready for it.
    pub(super) fn advance_phase(&self) -> Result<Vec<Event>, Rejection> {
        let next = self.phase.next().ok_or(Rejection::LastPhase)?;
        self.scenario().map_err(|_| Rejection::NoScenario)?;
        Ok(vec![Event::PhaseChanged {
            phase: next,
            playbook: None,
        }])
    }

    pub(super) fn go_back_phase(&self) -> Result<Vec<Event>, Rejection> {
        let previous = self.phase.previous().ok_or(Rejection::FirstPhase)?;
        Ok(vec![Event::PhaseChanged {
            phase: previous,
            playbook: None,
        }])
    }

    pub(super) fn start_timer(
        &self,
        seconds: u32,
        close_input: bool,
    ) -> Result<Vec<Event>, Rejection> {
        if seconds == 0 || seconds > MAX_TIMER_SECONDS {
            return Err(Rejection::BadDuration(seconds));
        }
        Ok(vec![Event::TimerStarted {
            seconds,
            close_input,
        }])
    }

    pub(super) fn pause_timer(&self) -> Result<Vec<Event>, Rejection> {
        match &self.timer {
            Some(t) if t.running_since_ms.is_some() => Ok(vec![Event::TimerPaused]),
            _ => Err(Rejection::NoTimer),
        }
    }

    pub(super) fn resume_timer(&self) -> Result<Vec<Event>, Rejection> {
        match &self.timer {
            Some(t) if t.running_since_ms.is_none() => Ok(vec![Event::TimerResumed]),
            _ => Err(Rejection::NoTimer),
        }
    }

    pub(super) fn extend_timer(&self, seconds: u32) -> Result<Vec<Event>, Rejection> {
        let timer = self.timer.as_ref().ok_or(Rejection::NoTimer)?;
        if seconds == 0
            || u64::from(seconds) * 1000 + timer.duration_ms > u64::from(MAX_TIMER_SECONDS) * 1000
        {
            return Err(Rejection::BadDuration(seconds));
        }
        Ok(vec![Event::TimerExtended { seconds }])
    }

    pub(super) fn clear_timer(&self) -> Result<Vec<Event>, Rejection> {
        self.timer.as_ref().ok_or(Rejection::NoTimer)?;
        Ok(vec![Event::TimerCleared])
    }

    pub(super) fn fire_inject(&self, inject: &str) -> Result<Vec<Event>, Rejection> {
        let scenario = self.scenario()?;
        if !scenario.injects.iter().any(|i| i.id == inject) {
            return Err(Rejection::UnknownInject(inject.to_owned()));
        }
        if self.fired.iter().any(|f| f == inject) {
            return Err(Rejection::AlreadyFired(inject.to_owned()));
        }
        // The checker bounds each change; the sum is checked too, so the
        // budget stays a number whatever a file holds.
        let budget = scenario
            .injects
            .iter()
            .find(|i| i.id == inject)
            .map_or(self.budget, |i| self.budget + i.budget_change());
        if !(budget.is_finite() && budget <= crate::scenario::MAX_AMOUNT) {
            return Err(Rejection::TooLarge("The budget after this inject"));
        }
        Ok(vec![Event::InjectFired {
            inject: inject.to_owned(),
            text: None,
        }])
    }

    pub(super) fn set_vote_budget(&self, votes: u32) -> Result<Vec<Event>, Rejection> {
        if !VOTE_BUDGETS.contains(&votes) {
            return Err(Rejection::BadVoteBudget);
        }
        if self.vote_budget == votes {
            return Ok(Vec::new());
        }
        Ok(vec![Event::VoteBudgetSet { votes }])
    }
}
