//! The rules for people: joining, names, leaving, removing, a seat moving
//! to another device, teams, roles, the role model and anonymity.

use crate::ids::{ParticipantId, SeatCode, Secret};
use crate::room::rules::{CONSOLE_MOVE_VALID_MS, MAX_TEAMS, SEAT_CODE_VALID_MS};
use crate::room::{Actor, Event, Rejection, RoleMode, Room, TeamId};
use crate::scenario::Scenario;
use crate::text::{self, MAX_NAME_CHARS};

impl Room {
    pub(super) fn join(&self, actor: &Actor, name: &str) -> Result<Vec<Event>, Rejection> {
        let seat = match actor {
            Actor::Guest { seat } => {
                if self
                    .active_participants()
                    .any(|p| p.seat.as_ref() == Some(seat))
                {
                    return Err(Rejection::AlreadyJoined);
                }
                seat.clone()
            }
            Actor::Participant(_) => return Err(Rejection::AlreadyJoined),
            Actor::Facilitator => return Err(Rejection::FacilitatorCannotJoin),
            Actor::RoomView => return Err(Rejection::RoomViewCannotAct),
        };
        if self.active_participants().count() >= self.limits.participants as usize {
            return Err(Rejection::RoomFull(self.limits.participants));
        }
        // Everyone who ever joined stays in the room (their cards, their
        // scores): a room people keep passing through is bounded too.
        let ever = self.limits.participants as usize * super::super::JOINS_PER_PLACE;
        if self.participants.len() >= ever {
            return Err(Rejection::TooManyJoins(ever));
        }
        let name = self.free_name(name, None)?;
        let id = ParticipantId(self.participants.last().map_or(1, |p| p.id.0 + 1));
        let team = self.teams.iter().min_by_key(|t| (t.members.len(), t.id));
        let mut events = vec![Event::ParticipantJoined {
            id,
            name,
            seat: Some(seat),
            team: team.map(|t| t.id),
        }];
        if let (RoleMode::AutoBalance, Some(scenario), Some(team)) =
            (self.role_mode, &self.scenario, team)
        {
            let held: Vec<String> = team.members.iter().filter_map(|m| m.role.clone()).collect();
            events.push(Event::RoleAssigned {
                participant: id,
                role: Some(least_held(scenario, &held)),
            });
        }
        Ok(events)
    }

    pub(super) fn rename(&self, actor: &Actor, name: &str) -> Result<Vec<Event>, Rejection> {
        let id = self.joined(actor)?;
        let name = self.free_name(name, Some(id))?;
        if self.participant(id).is_some_and(|p| p.name == name) {
            return Ok(Vec::new());
        }
        Ok(vec![Event::ParticipantRenamed { id, name }])
    }

    pub(super) fn leave(&self, actor: &Actor) -> Result<Vec<Event>, Rejection> {
        Ok(vec![Event::ParticipantLeft {
            id: self.joined(actor)?,
        }])
    }

    /// Removes a participant; with `cards`, hides every card they raised
    /// that is still shown; with `block`, their name may not join again.
    pub(super) fn remove_participant(
        &self,
        id: ParticipantId,
        cards: bool,
        block: bool,
    ) -> Result<Vec<Event>, Rejection> {
        self.active(id)?;
        let mut events = vec![Event::ParticipantRemoved { id, block }];
        if cards {
            for team in &self.teams {
                events.extend(
                    team.cards
                        .iter()
                        .filter(|c| c.author == id && !c.hidden && !c.withdrawn)
                        .map(|c| Event::CardHidden {
                            team: team.id,
                            card: c.id,
                            hidden: true,
                        }),
                );
            }
        }
        Ok(events)
    }

    /// A seat code for participant `id`'s seat, made by whoever holds the
    /// room; it replaces any code made for that seat before.
    pub(super) fn hand_over_seat(
        &self,
        actor: &Actor,
        id: ParticipantId,
        code: Option<&SeatCode>,
        now_ms: u64,
    ) -> Result<Vec<Event>, Rejection> {
        if let Actor::Participant(me) = actor
            && *me != id
        {
            return Err(Rejection::NotYourSeat);
        }
        self.active(id)?;
        let code = code.ok_or(Rejection::NotIssued)?;
        Ok(vec![Event::SeatCodeIssued {
            participant: id,
            code: code.hash(),
            expires_ms: now_ms.saturating_add(SEAT_CODE_VALID_MS),
        }])
    }

    /// A guest takes the seat a seat code was made for: the seat becomes
    /// the guest's (its token's hash), the code is used up.
    pub(super) fn claim_seat(
        &self,
        actor: &Actor,
        typed: &str,
        now_ms: u64,
    ) -> Result<Vec<Event>, Rejection> {
        let Actor::Guest { seat } = actor else {
            return Err(Rejection::AlreadyJoined);
        };
        let hash = SeatCode::parse(typed)?.hash();
        let issue = self
            .seat_codes
            .iter()
            .filter(|i| i.expires_ms > now_ms)
            .filter(|i| self.participant(i.participant).is_some_and(|p| p.active))
            .find(|i| i.code == hash)
            .ok_or(Rejection::WrongSeatCode)?;
        Ok(vec![Event::SeatMoved {
            participant: issue.participant,
            seat: Some(seat.clone()),
        }])
    }

    /// A one-time link that moves the console: the hash of its code, made
    /// by whoever holds the room; it replaces any link made before.
    pub(super) fn offer_console_move(
        &self,
        code: Option<&Secret>,
        now_ms: u64,
    ) -> Result<Vec<Event>, Rejection> {
        let code = code.ok_or(Rejection::NotIssued)?;
        Ok(vec![Event::ConsoleMoveOffered {
            code: code.hash(),
            expires_ms: now_ms.saturating_add(CONSOLE_MOVE_VALID_MS),
        }])
    }

    /// A page without a key takes the console over with a move link's
    /// code: the console gets the new key `key` (its hash joins the log),
    /// and the key before it stops working.
    pub(super) fn take_over_console(
        &self,
        actor: &Actor,
        typed: &str,
        key: Option<&Secret>,
        now_ms: u64,
    ) -> Result<Vec<Event>, Rejection> {
        if *actor == Actor::Facilitator {
            return Err(Rejection::AlreadyConsole);
        }
        self.console_move
            .as_ref()
            .filter(|o| o.expires_ms > now_ms)
            .filter(|o| o.code == Secret::from_client(typed.trim()).hash())
            .ok_or(Rejection::WrongConsoleMoveCode)?;
        self.renew_console_key(key)
    }

    /// A new facilitator key `key` for the console that asked (its hash
    /// joins the log): every other console, and any move link, stops
    /// working.
    pub(super) fn renew_console_key(&self, key: Option<&Secret>) -> Result<Vec<Event>, Rejection> {
        let key = key.ok_or(Rejection::NotIssued)?;
        Ok(vec![Event::ConsoleKeyRenewed {
            facilitator: Some(key.hash()),
        }])
    }

    pub(super) fn end_room(&self) -> Result<Vec<Event>, Rejection> {
        Ok(vec![Event::RoomEnded])
    }

    pub(super) fn create_team(&self, name: &str) -> Result<Vec<Event>, Rejection> {
        if self.teams.len() >= MAX_TEAMS {
            return Err(Rejection::TooManyTeams(MAX_TEAMS));
        }
        let name = text::clean_line(name, "a team name", MAX_NAME_CHARS)?;
        let id = TeamId(self.teams.iter().map(|t| t.id.0).max().unwrap_or(0) + 1);
        Ok(vec![Event::TeamCreated { team: id, name }])
    }

    pub(super) fn rename_team(&self, team: TeamId, name: &str) -> Result<Vec<Event>, Rejection> {
        self.team_or(team)?;
        let name = text::clean_line(name, "a team name", MAX_NAME_CHARS)?;
        Ok(vec![Event::TeamRenamed { team, name }])
    }

    pub(super) fn move_to_team(
        &self,
        participant: ParticipantId,
        team: TeamId,
    ) -> Result<Vec<Event>, Rejection> {
        self.active(participant)?;
        self.team_or(team)?;
        if self.team_of(participant).is_some_and(|t| t.id == team) {
            return Ok(Vec::new());
        }
        Ok(vec![Event::MovedToTeam { participant, team }])
    }

    pub(super) fn set_role_mode(&self, mode: RoleMode) -> Result<Vec<Event>, Rejection> {
        if self.role_mode == mode {
            return Ok(Vec::new());
        }
        Ok(vec![Event::RoleModeSet { mode }])
    }

    pub(super) fn set_role_sharing(&self, shared: bool) -> Result<Vec<Event>, Rejection> {
        if self.roles_shared == shared {
            return Ok(Vec::new());
        }
        Ok(vec![Event::RoleSharingSet { shared }])
    }

    pub(super) fn assign_role(
        &self,
        participant: ParticipantId,
        role: Option<&str>,
    ) -> Result<Vec<Event>, Rejection> {
        let scenario = self.scenario()?;
        self.active(participant)?;
        if self.team_of(participant).is_none() {
            return Err(Rejection::NoTeam);
        }
        if let Some(role) = role
            && scenario.role(role).is_none()
        {
            return Err(Rejection::UnknownRole(role.to_owned()));
        }
        if self.role_of(participant) == role {
            return Ok(Vec::new());
        }
        Ok(vec![Event::RoleAssigned {
            participant,
            role: role.map(str::to_owned),
        }])
    }

    pub(super) fn pick_role(&self, actor: &Actor, role: &str) -> Result<Vec<Event>, Rejection> {
        let me = self.joined(actor)?;
        let scenario = self.scenario()?;
        self.team_of(me).ok_or(Rejection::NoTeam)?;
        if scenario.role(role).is_none() {
            return Err(Rejection::UnknownRole(role.to_owned()));
        }
        if self.role_of(me) == Some(role) {
            return Ok(Vec::new());
        }
        if let Some(by) = self.role_taken_by(me, role) {
            return Err(Rejection::RoleTaken {
                role: scenario
                    .role(role)
                    .map_or_else(|| role.to_owned(), |r| r.name.clone()),
                by: self
                    .participant(by)
                    .map_or_else(|| format!("Learner {by}"), |p| p.name.clone()),
            });
        }
        Ok(vec![Event::RoleAssigned {
            participant: me,
            role: Some(role.to_owned()),
        }])
    }

    pub(super) fn balance_roles(&self) -> Result<Vec<Event>, Rejection> {
        let scenario = self.scenario()?;
        Ok(self.deal_roles(scenario, false))
    }

    pub(super) fn mark_role_model(
        &self,
        team: TeamId,
        participant: Option<ParticipantId>,
    ) -> Result<Vec<Event>, Rejection> {
        let t = self.team_or(team)?;
        if let Some(id) = participant {
            self.active(id)?;
            if t.member(id).is_none() {
                return Err(Rejection::RoleModelNotInTeam(t.name.clone()));
            }
        }
        if t.role_model == participant {
            return Ok(Vec::new());
        }
        Ok(vec![Event::RoleModelMarked {
            participant,
            team: Some(team),
        }])
    }

    pub(super) fn set_anonymity(&self, anonymous: bool) -> Result<Vec<Event>, Rejection> {
        if self.anonymous == anonymous {
            return Ok(Vec::new());
        }
        Ok(vec![Event::AnonymitySet { anonymous }])
    }

    /// Roles for members without one (or, with `everyone`, for all), each
    /// the role its team has fewest of.
    pub(super) fn deal_roles(&self, scenario: &Scenario, everyone: bool) -> Vec<Event> {
        let mut events = Vec::new();
        for team in &self.teams {
            let mut held: Vec<String> = if everyone {
                Vec::new()
            } else {
                team.members.iter().filter_map(|m| m.role.clone()).collect()
            };
            for member in team.members.iter().filter(|m| everyone || m.role.is_none()) {
                let role = least_held(scenario, &held);
                held.push(role.clone());
                events.push(Event::RoleAssigned {
                    participant: member.id,
                    role: Some(role),
                });
            }
        }
        events
    }

    /// A cleaned name no other active participant uses and the facilitator
    /// has not removed for good (both case-insensitively).
    fn free_name(&self, raw: &str, me: Option<ParticipantId>) -> Result<String, Rejection> {
        let name = text::clean_line(raw, "a name", MAX_NAME_CHARS)?;
        let folded = name.to_lowercase();
        if self
            .blocked
            .iter()
            .filter_map(|id| self.participant(*id))
            .any(|p| p.name.to_lowercase() == folded)
        {
            return Err(Rejection::NameBlocked(name));
        }
        if self
            .active_participants()
            .any(|p| Some(p.id) != me && p.name.to_lowercase() == folded)
        {
            return Err(Rejection::NameTaken(name));
        }
        Ok(name)
    }
}

/// The role its team has fewest of (first in scenario order on a tie).
fn least_held(scenario: &Scenario, held: &[String]) -> String {
    scenario
        .roles
        .iter()
        .min_by_key(|r| held.iter().filter(|h| **h == r.id).count())
        .map(|r| r.id.clone())
        .expect("a valid scenario has roles")
}
