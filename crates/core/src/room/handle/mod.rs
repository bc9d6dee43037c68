//! `Room::handle`, split by area of the exercise: this file asks
//! [`Room::allows`] who may act, in which phase and when, then sends each
//! command to its area's file (people, running, board, strategy, debrief),
//! which holds every other rule of it. Decides only; changes nothing. The
//! table in docs/permissions.md lists the same rules for people.

mod board;
mod debrief;
mod people;
mod running;
mod strategy;

use super::{Actor, BoardResponse, BoardResponseId, Card, CardId, Command, Event, Rejection};
use super::{Room, Team, TeamId};
use crate::ids::{ParticipantId, SeatCode, Secret};
use crate::scenario::{Scenario, ScenarioErrors};

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
        self.handle_issuing(actor, command, now_ms, read, None)
    }

    /// [`Room::handle_reading`] with a fresh secret for a command that
    /// issues one ([`Command::issues_secret`]): the seat code of a
    /// `HandOverSeat`, the move code of an `OfferConsoleMove`, the new
    /// facilitator key of a `TakeOverConsole` or `RenewConsoleKey` (only
    /// hashes join the log). Whoever holds the room draws it (the
    /// [`crate::session::Session`] does); without one such a command is
    /// refused, as the core draws no randomness itself.
    pub fn handle_issuing(
        &self,
        actor: &Actor,
        command: &Command,
        now_ms: u64,
        read: ReadScenario<'_>,
        issued: Option<&Secret>,
    ) -> Result<Vec<Event>, Rejection> {
        self.allows(actor, command.action(), now_ms)?;
        match command {
            // People (people.rs).
            Command::Join { name } => self.join(actor, name),
            Command::Rename { name } => self.rename(actor, name),
            Command::Leave => self.leave(actor),
            Command::RemoveParticipant { id, cards, block } => {
                self.remove_participant(*id, *cards, *block)
            }
            Command::HandOverSeat { id } => {
                let code = issued.map(SeatCode::from_secret);
                self.hand_over_seat(actor, *id, code.as_ref(), now_ms)
            }
            Command::ClaimSeat { code } => self.claim_seat(actor, code, now_ms),
            Command::OfferConsoleMove => self.offer_console_move(issued, now_ms),
            Command::TakeOverConsole { code } => {
                self.take_over_console(actor, code, issued, now_ms)
            }
            Command::RenewConsoleKey => self.renew_console_key(issued),
            Command::EndRoom => self.end_room(),
            Command::CreateTeam { name } => self.create_team(name),
            Command::RenameTeam { team, name } => self.rename_team(*team, name),
            Command::MoveToTeam { participant, team } => self.move_to_team(*participant, *team),
            Command::SetRoleMode { mode } => self.set_role_mode(*mode),
            Command::SetRoleSharing { shared } => self.set_role_sharing(*shared),
            Command::AssignRole { participant, role } => {
                self.assign_role(*participant, role.as_deref())
            }
            Command::PickRole { role } => self.pick_role(actor, role),
            Command::BalanceRoles => self.balance_roles(),
            Command::MarkRoleModel { team, participant } => {
                self.mark_role_model(*team, *participant)
            }
            Command::SetAnonymity { anonymous } => self.set_anonymity(*anonymous),

            // Running the exercise (running.rs).
            Command::ChooseScenario { file, text } => self.choose_scenario(file, text, read),
            Command::AdvancePhase => self.advance_phase(),
            Command::GoBackPhase => self.go_back_phase(),
            Command::StartTimer {
                seconds,
                close_input,
            } => self.start_timer(*seconds, *close_input),
            Command::PauseTimer => self.pause_timer(),
            Command::ResumeTimer => self.resume_timer(),
            Command::ExtendTimer { seconds } => self.extend_timer(*seconds),
            Command::ClearTimer => self.clear_timer(),
            Command::FireInject { inject } => self.fire_inject(inject),
            Command::RevealYear { shown } => self.reveal_year(*shown),
            Command::RevealScores { shown } => self.reveal_scores(*shown),
            Command::StartDiscussion { team } => self.start_discussion(*team),
            Command::StartSecondRound { team } => self.start_second_round(*team),
            Command::NudgeRole { team, role } => self.nudge_role(*team, role),
            Command::ShowCoverage { shown } => Ok(self.show_coverage(*shown)),
            Command::ShowRoomViewPage { page } => self.show_room_view_page(*page),
            Command::RenewRoomViewKey { room_view } => self.renew_room_view_key(room_view),
            Command::SetVoteBudget { votes } => self.set_vote_budget(*votes),
            Command::PauseRoom { paused } => Ok(self.pause_room(*paused)),
            Command::ShowJoinScreen { shown } => Ok(self.show_join_screen(*shown)),
            Command::SetAdoptionRule { rule } => Ok(self.set_adoption_rule(*rule)),
            Command::DecideResponse {
                team,
                response,
                adopted,
            } => self.decide_response(*team, *response, *adopted),

            // The board (board.rs).
            Command::RaiseRisk {
                title,
                description,
                clue,
            } => self.raise_risk(actor, title, description, *clue),
            Command::EditRisk {
                card,
                title,
                description,
            } => self.edit_risk(actor, *card, title, description),
            Command::WithdrawRisk { card } => self.withdraw_risk(actor, *card),
            Command::MergeCards { team, card, into } => self.merge_cards(*team, *card, *into),
            Command::HideCard { team, card, hidden } => self.hide_card(*team, *card, *hidden),
            Command::LinkCard { team, card, risk } => self.link_card(*team, *card, risk.as_deref()),
            Command::SubmitEstimate { card, estimate } => {
                self.submit_estimate(actor, *card, *estimate)
            }
            Command::RevealEstimates { team } => self.reveal_estimates(*team),
            Command::SetConsensus { card, estimate } => self.set_consensus(actor, *card, *estimate),
            Command::Comment { on, text } => self.comment(actor, *on, text),

            // The strategy (strategy.rs).
            Command::ProposeResponse { response } => self.propose_response(actor, response),
            Command::ProposeCustomResponse {
                title,
                kind,
                cost,
                effects,
            } => self.propose_custom_response(actor, title, *kind, *cost, effects),
            Command::WithdrawResponse { response } => self.withdraw_response(actor, *response),
            Command::AdoptResponse { response, adopted } => {
                self.adopt_response(actor, *response, *adopted)
            }
            Command::AcceptCustomResponse {
                team,
                response,
                effects,
            } => self.accept_custom_response(*team, *response, effects),
            Command::Vote { response } => self.vote(actor, *response),
            Command::Unvote { response } => self.unvote(actor, *response),

            // The debrief (debrief.rs).
            Command::AddLesson { text } => self.add_lesson(actor, text),
            Command::AddActionItem { text, owner } => self.add_action_item(actor, text, owner),
            Command::RatePeer { peer, score } => self.rate_peer(actor, *peer, *score),
            Command::RateRubric {
                team,
                dimension,
                level,
            } => self.rate_rubric(*team, dimension, *level),
        }
    }

    pub(in crate::room) fn joined(&self, actor: &Actor) -> Result<ParticipantId, Rejection> {
        match actor {
            Actor::Participant(id) if self.participant(*id).is_some_and(|p| p.active) => Ok(*id),
            _ => Err(Rejection::NotJoined),
        }
    }

    /// A learner (not the facilitator, not a guest) who is still in the room.
    pub(in crate::room) fn learner(
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
    pub(in crate::room) fn team_member(
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
}

fn live_card(team: &Team, card: CardId) -> Result<&Card, Rejection> {
    team.card(card)
        .filter(|c| c.live())
        .ok_or(Rejection::UnknownCard(card))
}

fn board_response(team: &Team, response: BoardResponseId) -> Result<&BoardResponse, Rejection> {
    let r = team
        .response(response)
        .ok_or(Rejection::UnknownResponse(response))?;
    if r.withdrawn {
        return Err(Rejection::Withdrawn);
    }
    Ok(r)
}
