//! `Room::handle`: every rule of the exercise — who may do what, in which
//! phase, within which limits. Decides only; changes nothing. The table in
//! docs/permissions.md lists the same rules for people.

use super::{
    Actor, BoardResponseId, CardId, Command, Estimate, Event, Origin, Rejection, RoleMode, Room,
    Target, Team, TeamId,
};
use crate::ids::ParticipantId;
use crate::scenario::{Effect, Frequency, Scenario, ScenarioErrors};
use crate::text::{self, MAX_NAME_CHARS, MAX_SHORT_TEXT};

use super::rules::{MAX_MULTIPLIER, MAX_PEER_SCORE, MAX_RATE, MAX_RUBRIC_LEVEL, VOTE_BUDGETS};
use super::rules::{MAX_TEAMS, MAX_TIMER_SECONDS};

/// Reads a scenario file (file name, text) into a checked [`Scenario`]:
/// the core's own parser, or its verdict obtained elsewhere beforehand.
pub type ReadScenario<'a> = &'a dyn Fn(&str, &str) -> Result<Scenario, ScenarioErrors>;

impl Room {
    /// Decides a command from `actor` at server time `now_ms`. Changes
    /// nothing: the caller stamps the events, stores them, then folds them in
    /// with [`Room::apply`].
    pub fn handle(
        &self,
        actor: &Actor,
        command: &Command,
        now_ms: u64,
    ) -> Result<Vec<Event>, Rejection> {
        self.handle_reading(actor, command, now_ms, &crate::scenario::parse)
    }

    /// [`Room::handle`] with the scenario file of a `ChooseScenario` read by
    /// `read`: a page running a room alone has the core's parser run in a
    /// worker (keeping it out of the page's own module) and hands over its
    /// verdict here. Every other rule is the same code.
    pub fn handle_reading(
        &self,
        actor: &Actor,
        command: &Command,
        now_ms: u64,
        read: ReadScenario<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        self.allows(actor, command.action(), now_ms)?;
        match command {
            Command::Join { name } => self.join(actor, name),
            Command::Rename { name } => {
                let id = self.joined(actor)?;
                let name = self.free_name(name, Some(id))?;
                if self.participant(id).is_some_and(|p| p.name == name) {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::ParticipantRenamed { id, name }])
            }
            Command::Leave => Ok(vec![Event::ParticipantLeft {
                id: self.joined(actor)?,
            }]),
            Command::RemoveParticipant { id } => {
                self.active(*id)?;
                Ok(vec![Event::ParticipantRemoved { id: *id }])
            }
            Command::EndRoom => Ok(vec![Event::RoomEnded]),
            Command::ChooseScenario { file, text } => {
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

            Command::CreateTeam { name } => {
                if self.teams.len() >= MAX_TEAMS {
                    return Err(Rejection::TooManyTeams(MAX_TEAMS));
                }
                let name = text::clean_line(name, "a team name", MAX_NAME_CHARS)?;
                let id = TeamId(self.teams.iter().map(|t| t.id.0).max().unwrap_or(0) + 1);
                Ok(vec![Event::TeamCreated { team: id, name }])
            }
            Command::RenameTeam { team, name } => {
                self.team_or(*team)?;
                let name = text::clean_line(name, "a team name", MAX_NAME_CHARS)?;
                Ok(vec![Event::TeamRenamed { team: *team, name }])
            }
            Command::MoveToTeam { participant, team } => {
                self.active(*participant)?;
                self.team_or(*team)?;
                if self.team_of(*participant).is_some_and(|t| t.id == *team) {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::MovedToTeam {
                    participant: *participant,
                    team: *team,
                }])
            }
            Command::SetRoleMode { mode } => {
                if self.role_mode == *mode {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::RoleModeSet { mode: *mode }])
            }
            Command::AssignRole { participant, role } => {
                let scenario = self.scenario()?;
                self.active(*participant)?;
                if self.team_of(*participant).is_none() {
                    return Err(Rejection::NoTeam);
                }
                if let Some(role) = role
                    && scenario.role(role).is_none()
                {
                    return Err(Rejection::UnknownRole(role.clone()));
                }
                if self.role_of(*participant) == role.as_deref() {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::RoleAssigned {
                    participant: *participant,
                    role: role.clone(),
                }])
            }
            Command::PickRole { role } => {
                let me = self.joined(actor)?;
                let scenario = self.scenario()?;
                self.team_of(me).ok_or(Rejection::NoTeam)?;
                if scenario.role(role).is_none() {
                    return Err(Rejection::UnknownRole(role.clone()));
                }
                if self.role_of(me) == Some(role.as_str()) {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::RoleAssigned {
                    participant: me,
                    role: Some(role.clone()),
                }])
            }
            Command::BalanceRoles => {
                let scenario = self.scenario()?;
                Ok(self.deal_roles(scenario, false))
            }
            Command::MarkRoleModel { participant } => {
                if let Some(id) = participant {
                    self.active(*id)?;
                }
                if self.role_model == *participant {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::RoleModelMarked {
                    participant: *participant,
                }])
            }
            Command::SetAnonymity { anonymous } => {
                if self.anonymous == *anonymous {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::AnonymitySet {
                    anonymous: *anonymous,
                }])
            }

            Command::AdvancePhase => {
                let next = self.phase.next().ok_or(Rejection::LastPhase)?;
                let scenario = self.scenario().map_err(|_| Rejection::NoScenario)?;
                let mut events = vec![Event::PhaseChanged {
                    phase: next,
                    playbook: None,
                }];
                for inject in &scenario.injects {
                    if inject.at_phase == Some(next) && !self.fired.contains(&inject.id) {
                        events.push(Event::InjectFired {
                            inject: inject.id.clone(),
                            text: None,
                        });
                    }
                }
                Ok(events)
            }
            Command::GoBackPhase => {
                let previous = self.phase.previous().ok_or(Rejection::FirstPhase)?;
                Ok(vec![Event::PhaseChanged {
                    phase: previous,
                    playbook: None,
                }])
            }
            Command::StartTimer {
                seconds,
                close_input,
            } => {
                if *seconds == 0 || *seconds > MAX_TIMER_SECONDS {
                    return Err(Rejection::BadDuration(*seconds));
                }
                Ok(vec![Event::TimerStarted {
                    seconds: *seconds,
                    close_input: *close_input,
                }])
            }
            Command::PauseTimer => match &self.timer {
                Some(t) if t.running_since_ms.is_some() => Ok(vec![Event::TimerPaused]),
                _ => Err(Rejection::NoTimer),
            },
            Command::ResumeTimer => match &self.timer {
                Some(t) if t.running_since_ms.is_none() => Ok(vec![Event::TimerResumed]),
                _ => Err(Rejection::NoTimer),
            },
            Command::ExtendTimer { seconds } => {
                let timer = self.timer.as_ref().ok_or(Rejection::NoTimer)?;
                if *seconds == 0
                    || u64::from(*seconds) * 1000 + timer.duration_ms
                        > u64::from(MAX_TIMER_SECONDS) * 1000
                {
                    return Err(Rejection::BadDuration(*seconds));
                }
                Ok(vec![Event::TimerExtended { seconds: *seconds }])
            }
            Command::ClearTimer => {
                self.timer.as_ref().ok_or(Rejection::NoTimer)?;
                Ok(vec![Event::TimerCleared])
            }
            Command::FireInject { inject } => {
                let scenario = self.scenario()?;
                if !scenario.injects.iter().any(|i| &i.id == inject) {
                    return Err(Rejection::UnknownInject(inject.clone()));
                }
                if self.fired.contains(inject) {
                    return Err(Rejection::AlreadyFired(inject.clone()));
                }
                Ok(vec![Event::InjectFired {
                    inject: inject.clone(),
                    text: None,
                }])
            }

            Command::RaiseRisk {
                title,
                description,
                clue,
            } => {
                let (me, team) = self.member(actor)?;
                if team.cards.len() >= self.limits.cards_per_team as usize {
                    return Err(Rejection::BoardFull(self.limits.cards_per_team, "cards"));
                }
                let title = text::clean_line(title, "a title for the risk", MAX_SHORT_TEXT)?;
                let description = text::clean_block(
                    description,
                    "a description",
                    self.limits.text_chars as usize,
                    true,
                )?;
                let risk = match clue {
                    Some(index) => {
                        let role = self
                            .role_of(me)
                            .and_then(|r| self.scenario.as_ref()?.role(r));
                        let clue = role
                            .and_then(|r| r.clues.get(*index))
                            .ok_or(Rejection::UnknownClue(*index + 1))?;
                        Some(clue.risk.clone())
                    }
                    None => None,
                };
                Ok(vec![Event::RiskRaised {
                    team: team.id,
                    card: CardId(team.cards.len() as u32 + 1),
                    author: me,
                    title,
                    description,
                    from_clue: risk.is_some(),
                    risk,
                }])
            }
            Command::EditRisk {
                card,
                title,
                description,
            } => {
                let (me, team) = self.member(actor)?;
                let existing = live_card(team, *card)?;
                if existing.author != me {
                    return Err(Rejection::NotAuthor);
                }
                let title = text::clean_line(title, "a title for the risk", MAX_SHORT_TEXT)?;
                let description = text::clean_block(
                    description,
                    "a description",
                    self.limits.text_chars as usize,
                    true,
                )?;
                if existing.title == title && existing.description == description {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::RiskEdited {
                    team: team.id,
                    card: *card,
                    title,
                    description,
                }])
            }
            Command::MergeCards { team, card, into } => {
                let t = self.team_or(*team)?;
                live_card(t, *card)?;
                live_card(t, *into)?;
                if card == into {
                    return Err(Rejection::BadMerge);
                }
                Ok(vec![Event::CardsMerged {
                    team: *team,
                    card: *card,
                    into: *into,
                }])
            }
            Command::HideCard { team, card, hidden } => {
                let c = self
                    .team_or(*team)?
                    .card(*card)
                    .ok_or(Rejection::UnknownCard(*card))?;
                if c.hidden == *hidden {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::CardHidden {
                    team: *team,
                    card: *card,
                    hidden: *hidden,
                }])
            }
            Command::LinkCard { team, card, risk } => {
                let scenario = self.scenario()?;
                let c = live_card(self.team_or(*team)?, *card)?;
                if let Some(risk) = risk
                    && scenario.risk(risk).is_none()
                {
                    return Err(Rejection::UnknownRisk(risk.clone()));
                }
                if c.risk == *risk {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::CardLinked {
                    team: *team,
                    card: *card,
                    risk: risk.clone(),
                }])
            }
            Command::SubmitEstimate { card, estimate } => {
                let (me, team) = self.member(actor)?;
                // After the reveal everyone has seen the spread: a new or
                // changed private estimate would only echo it.
                if team.revealed {
                    return Err(Rejection::AlreadyRevealed);
                }
                live_card(team, *card)?;
                check_estimate(estimate)?;
                Ok(vec![Event::EstimateSubmitted {
                    team: team.id,
                    card: *card,
                    author: me,
                    estimate: Some(*estimate),
                }])
            }
            Command::RevealEstimates { team } => {
                if self.team_or(*team)?.revealed {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::EstimatesRevealed {
                    team: *team,
                    estimates: None,
                }])
            }
            Command::SetConsensus { card, estimate } => {
                let (_, team) = self.member(actor)?;
                if !team.revealed {
                    return Err(Rejection::NotRevealed);
                }
                live_card(team, *card)?;
                check_estimate(estimate)?;
                Ok(vec![Event::ConsensusSet {
                    team: team.id,
                    card: *card,
                    estimate: *estimate,
                }])
            }
            Command::ProposeResponse { response } => {
                let (me, team) = self.member(actor)?;
                self.room_for_response(team)?;
                let scenario = self.scenario()?;
                let entry = scenario
                    .response(response)
                    .filter(|r| {
                        r.known_by.is_empty()
                            || self
                                .role_of(me)
                                .is_some_and(|role| r.known_by.iter().any(|k| k == role))
                    })
                    .ok_or_else(|| Rejection::UnknownCatalogueResponse(response.clone()))?;
                let on_board = team.responses.iter().any(|r| {
                    !r.withdrawn
                        && matches!(&r.origin, Origin::Catalogue { response } if *response == entry.id)
                });
                if on_board {
                    return Err(Rejection::AlreadyProposed);
                }
                Ok(vec![Event::ResponseProposed {
                    team: team.id,
                    response: BoardResponseId(team.responses.len() as u32 + 1),
                    proposer: me,
                    origin: Origin::Catalogue {
                        response: entry.id.clone(),
                    },
                    catalogue: None,
                }])
            }
            Command::ProposeCustomResponse {
                title,
                kind,
                cost,
                effects,
            } => {
                let (me, team) = self.member(actor)?;
                self.room_for_response(team)?;
                let title = text::clean_line(title, "a title for the response", MAX_SHORT_TEXT)?;
                if !cost.is_finite() || *cost < 0.0 {
                    return Err(Rejection::BadCost);
                }
                for effect in effects {
                    live_card(team, effect.card)?;
                    multiplier(effect.probability, "probability")?;
                    multiplier(effect.impact, "impact")?;
                }
                Ok(vec![Event::ResponseProposed {
                    team: team.id,
                    response: BoardResponseId(team.responses.len() as u32 + 1),
                    proposer: me,
                    origin: Origin::Custom {
                        title,
                        kind: *kind,
                        cost: *cost,
                        effects: effects.clone(),
                        accepted: None,
                    },
                    catalogue: None,
                }])
            }
            Command::WithdrawResponse { response } => {
                let (me, team) = self.member(actor)?;
                if !board_response(team, *response)?.withdrawable_by(me) {
                    return Err(Rejection::NotProposer);
                }
                Ok(vec![Event::ResponseWithdrawn {
                    team: team.id,
                    response: *response,
                }])
            }
            Command::AdoptResponse { response, adopted } => {
                let (_, team) = self.member(actor)?;
                let r = board_response(team, *response)?;
                if r.adopted == *adopted {
                    return Ok(Vec::new());
                }
                if *adopted {
                    let cost = self.response_cost(&r.origin);
                    if !self.fits_budget(team, cost) {
                        return Err(Rejection::OverBudget {
                            cost: money(cost),
                            budget: money(self.budget),
                            left: money(self.budget_left(team).max(0.0)),
                        });
                    }
                }
                Ok(vec![Event::ResponseAdopted {
                    team: team.id,
                    response: *response,
                    adopted: *adopted,
                }])
            }
            Command::AcceptCustomResponse {
                team,
                response,
                effects,
            } => {
                let scenario = self.scenario()?;
                let r = board_response(self.team_or(*team)?, *response)?;
                if !matches!(r.origin, Origin::Custom { .. }) {
                    return Err(Rejection::NotCustom);
                }
                for effect in effects {
                    check_truth_effect(scenario, effect)?;
                }
                Ok(vec![Event::CustomResponseAccepted {
                    team: *team,
                    response: *response,
                    effects: effects.clone(),
                }])
            }
            Command::Vote { response } => {
                let (me, team) = self.member(actor)?;
                board_response(team, *response)?;
                if team
                    .votes
                    .iter()
                    .any(|v| v.voter == me && v.response == *response)
                {
                    return Err(Rejection::AlreadyVoted);
                }
                if team.votes_of(me) >= self.vote_budget as usize {
                    return Err(Rejection::NoVotesLeft(self.vote_budget));
                }
                Ok(vec![Event::Voted {
                    team: team.id,
                    voter: me,
                    response: *response,
                }])
            }
            Command::Unvote { response } => {
                let (me, team) = self.member(actor)?;
                if !team
                    .votes
                    .iter()
                    .any(|v| v.voter == me && v.response == *response)
                {
                    return Err(Rejection::NotVoted);
                }
                Ok(vec![Event::Unvoted {
                    team: team.id,
                    voter: me,
                    response: *response,
                }])
            }
            Command::SetVoteBudget { votes } => {
                if !VOTE_BUDGETS.contains(votes) {
                    return Err(Rejection::BadVoteBudget);
                }
                if self.vote_budget == *votes {
                    return Ok(Vec::new());
                }
                Ok(vec![Event::VoteBudgetSet { votes: *votes }])
            }
            Command::Comment { on, text: raw } => {
                let (me, team) = self.member(actor)?;
                self.room_for_note(team)?;
                match on {
                    Target::Card(card) => {
                        team.card(*card).ok_or(Rejection::UnknownCard(*card))?;
                    }
                    Target::Response(response) => {
                        team.response(*response)
                            .ok_or(Rejection::UnknownResponse(*response))?;
                    }
                }
                let text =
                    text::clean_block(raw, "a comment", self.limits.text_chars as usize, false)?;
                Ok(vec![Event::Commented {
                    team: team.id,
                    author: Some(me),
                    on: *on,
                    text,
                }])
            }

            Command::AddLesson { text: raw } => {
                let (me, team) = self.member(actor)?;
                self.room_for_note(team)?;
                let text =
                    text::clean_block(raw, "a lesson", self.limits.text_chars as usize, false)?;
                Ok(vec![Event::LessonAdded {
                    team: team.id,
                    author: Some(me),
                    text,
                }])
            }
            Command::AddActionItem { text: raw, owner } => {
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
            Command::RatePeer { peer, score } => {
                let (me, team) = self.member(actor)?;
                if !(1..=MAX_PEER_SCORE).contains(score) {
                    return Err(Rejection::BadScore);
                }
                if *peer == me || team.member(*peer).is_none() {
                    return Err(Rejection::NotATeammate);
                }
                Ok(vec![Event::PeerRated {
                    team: team.id,
                    from: me,
                    to: *peer,
                    score: *score,
                }])
            }
            Command::RateRubric {
                team,
                dimension,
                level,
            } => {
                self.team_or(*team)?;
                let scenario = self.scenario()?;
                if !scenario
                    .rubric
                    .dimensions
                    .iter()
                    .any(|d| &d.id == dimension)
                {
                    return Err(Rejection::UnknownDimension(dimension.clone()));
                }
                if !(1..=MAX_RUBRIC_LEVEL).contains(level) {
                    return Err(Rejection::BadLevel);
                }
                Ok(vec![Event::RubricRated {
                    team: *team,
                    dimension: dimension.clone(),
                    level: *level,
                }])
            }
        }
    }

    fn join(&self, actor: &Actor, name: &str) -> Result<Vec<Event>, Rejection> {
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

    fn room_for_response(&self, team: &Team) -> Result<(), Rejection> {
        if team.responses.len() >= self.limits.responses_per_team as usize {
            return Err(Rejection::BoardFull(
                self.limits.responses_per_team,
                "responses",
            ));
        }
        Ok(())
    }

    fn room_for_note(&self, team: &Team) -> Result<(), Rejection> {
        let notes = team.comments.len() + team.lessons.len() + team.actions.len();
        if notes >= self.limits.notes_per_team as usize {
            return Err(Rejection::BoardFull(
                self.limits.notes_per_team,
                "comments and notes",
            ));
        }
        Ok(())
    }

    /// Roles for members without one (or, with `everyone`, for all), each
    /// the role its team has fewest of.
    fn deal_roles(&self, scenario: &Scenario, everyone: bool) -> Vec<Event> {
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

    pub(super) fn joined(&self, actor: &Actor) -> Result<ParticipantId, Rejection> {
        match actor {
            Actor::Participant(id) if self.participant(*id).is_some_and(|p| p.active) => Ok(*id),
            _ => Err(Rejection::NotJoined),
        }
    }

    /// A learner (not the facilitator, not a guest) who is still in the room.
    pub(super) fn learner(
        &self,
        actor: &Actor,
        action: &'static str,
    ) -> Result<ParticipantId, Rejection> {
        match actor {
            Actor::Facilitator => Err(Rejection::LearnersOnly(action)),
            _ => self.joined(actor),
        }
    }

    /// A learner and their team (whether they may act is `allows`'s
    /// answer; this finds them).
    fn member(&self, actor: &Actor) -> Result<(ParticipantId, &Team), Rejection> {
        let me = self.joined(actor)?;
        let team = self.team_of(me).ok_or(Rejection::NoTeam)?;
        Ok((me, team))
    }

    /// A learner and their team.
    pub(super) fn team_member(
        &self,
        actor: &Actor,
        action: &'static str,
    ) -> Result<(ParticipantId, &Team), Rejection> {
        let me = self.learner(actor, action)?;
        let team = self.team_of(me).ok_or(Rejection::NoTeam)?;
        Ok((me, team))
    }

    fn active(&self, id: ParticipantId) -> Result<(), Rejection> {
        match self.participant(id) {
            Some(p) if p.active => Ok(()),
            _ => Err(Rejection::UnknownParticipant(id)),
        }
    }

    fn team_or(&self, id: TeamId) -> Result<&Team, Rejection> {
        self.team(id).ok_or(Rejection::UnknownTeam(id))
    }

    fn scenario(&self) -> Result<&Scenario, Rejection> {
        self.scenario.as_deref().ok_or(Rejection::NoScenario)
    }

    /// A cleaned name no other active participant uses (case-insensitively).
    fn free_name(&self, raw: &str, me: Option<ParticipantId>) -> Result<String, Rejection> {
        let name = text::clean_line(raw, "a name", MAX_NAME_CHARS)?;
        let folded = name.to_lowercase();
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

fn live_card(team: &Team, card: CardId) -> Result<&super::Card, Rejection> {
    team.card(card)
        .filter(|c| c.live())
        .ok_or(Rejection::UnknownCard(card))
}

fn board_response(
    team: &Team,
    response: BoardResponseId,
) -> Result<&super::BoardResponse, Rejection> {
    let r = team
        .response(response)
        .ok_or(Rejection::UnknownResponse(response))?;
    if r.withdrawn {
        return Err(Rejection::Withdrawn);
    }
    Ok(r)
}

fn check_estimate(e: &Estimate) -> Result<(), Rejection> {
    let bad = |m: &str| Err(Rejection::BadEstimate(m.to_owned()));
    match e.frequency {
        Frequency::Probability(p) if !(0.0..=1.0).contains(&p) => {
            return bad("A yearly probability is between 0% and 100%.");
        }
        Frequency::Rate(r) if !(r.is_finite() && (0.0..=MAX_RATE).contains(&r)) => {
            return bad("A rate is between 0 and 365 events a year.");
        }
        _ => {}
    }
    if !(e.low.is_finite() && e.low > 0.0) {
        return bad("The low end of the loss range must be above 0.");
    }
    if !(e.high.is_finite() && e.high > e.low) {
        return bad("The high end of the loss range must be above the low end.");
    }
    Ok(())
}

fn multiplier(value: f64, what: &str) -> Result<(), Rejection> {
    if value.is_finite() && (0.0..=MAX_MULTIPLIER).contains(&value) {
        Ok(())
    } else {
        Err(Rejection::BadEffect(format!(
            "The {what} multiplier must be between 0 and {MAX_MULTIPLIER}; it is {value}."
        )))
    }
}

fn check_truth_effect(scenario: &Scenario, e: &Effect) -> Result<(), Rejection> {
    if scenario.risk(&e.risk).is_none() {
        return Err(Rejection::UnknownRisk(e.risk.clone()));
    }
    if let Some(p) = e.probability {
        multiplier(p, "probability")?;
    }
    if let Some(i) = e.impact {
        multiplier(i, "impact")?;
    }
    if let Some(t) = e.transfer
        && !(t.deductible.is_finite() && t.deductible >= 0.0 && t.cap.is_finite() && t.cap > 0.0)
    {
        return Err(Rejection::BadEffect(
            "A transfer needs a deductible of at least 0 and a cap above 0.".into(),
        ));
    }
    if let Some(a) = e.avoid
        && !(a.side_cost.is_finite() && a.side_cost >= 0.0)
    {
        return Err(Rejection::BadEffect(
            "A side cost must be at least 0.".into(),
        ));
    }
    Ok(())
}

/// 1234567.0 → "1,234,567".
fn money(amount: f64) -> String {
    crate::scenario::group_thousands(amount)
}
