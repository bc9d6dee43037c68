//! `Room::apply`: folds one event into the state. The same fold serves the
//! server's whole state and a learner's projected copy; the few places where
//! a projected event carries extra data (a revealed estimate, a catalogue
//! entry, the playbook) merge it without ever removing anything.

use super::{
    BoardResponse, Card, Comment, Event, Member, Note, Origin, Participant, PeerRating,
    PrivateEstimate, Rejection, Room, Stamped, Team, Timer, Vote,
};
use crate::ids::ParticipantId;
use crate::scenario::Phase;

impl Room {
    /// Folds one event in. Refuses an event out of sequence, so a replayed or
    /// relayed log can never be applied twice or with a gap.
    pub fn apply(&mut self, stamped: &Stamped) -> Result<(), Rejection> {
        if stamped.seq != self.seq + 1 {
            return Err(Rejection::OutOfOrder {
                expected: self.seq + 1,
                got: stamped.seq,
            });
        }
        let now = stamped.at_ms;
        match &stamped.event {
            Event::RoomOpened { .. } => {
                return Err(Rejection::OutOfOrder {
                    expected: self.seq + 1,
                    got: 1,
                });
            }
            Event::Withheld => {}
            Event::ParticipantJoined {
                id,
                name,
                seat,
                team,
            } => {
                self.participants.push(Participant {
                    id: *id,
                    name: name.clone(),
                    seat: seat.clone(),
                    active: true,
                });
                if let Some(team) = team.and_then(|t| self.team_mut(t)) {
                    team.members.push(Member {
                        id: *id,
                        role: None,
                    });
                }
            }
            Event::ParticipantRenamed { id, name } => {
                if let Some(p) = self.participant_mut(*id) {
                    p.name = name.clone();
                }
            }
            Event::ParticipantLeft { id } | Event::ParticipantRemoved { id, .. } => {
                if let Some(p) = self.participant_mut(*id) {
                    p.active = false;
                }
                if let Event::ParticipantRemoved { block: true, .. } = &stamped.event
                    && !self.blocked.contains(id)
                {
                    self.blocked.push(*id);
                }
                self.seat_codes.retain(|c| c.participant != *id);
                for team in &mut self.teams {
                    team.members.retain(|m| m.id != *id);
                }
                for team in &mut self.teams {
                    if team.role_model == Some(*id) {
                        team.role_model = None;
                    }
                }
            }
            Event::SeatCodeIssued {
                participant,
                code,
                expires_ms,
            } => {
                self.seat_codes.retain(|c| c.participant != *participant);
                self.seat_codes.push(super::SeatCodeIssue {
                    participant: *participant,
                    code: code.clone(),
                    expires_ms: *expires_ms,
                });
            }
            Event::ConsoleMoveOffered { code, expires_ms } => {
                self.console_move = Some(super::ConsoleMoveOffer {
                    code: code.clone(),
                    expires_ms: *expires_ms,
                });
            }
            Event::ConsoleKeyRenewed { facilitator } => {
                self.console_move = None;
                if let Some(hash) = facilitator {
                    self.facilitator = Some(hash.clone());
                }
            }
            Event::SeatMoved { participant, seat } => {
                self.seat_codes.retain(|c| c.participant != *participant);
                let mut moved = None;
                if let (Some(p), Some(seat)) = (self.participant_mut(*participant), seat) {
                    moved = p.seat.replace(seat.clone());
                }
                self.moved_seats.extend(moved);
            }
            Event::RoomEnded => self.ended = true,
            Event::ScenarioChosen { title, scenario } => {
                self.scenario_title = Some(title.clone());
                if let Some(s) = scenario {
                    self.budget = s.budget;
                }
                self.scenario = scenario.clone();
                for team in &mut self.teams {
                    for member in &mut team.members {
                        member.role = None;
                    }
                }
            }
            Event::TeamCreated { team, name } => self.teams.push(Team::new(*team, name.clone())),
            Event::TeamRenamed { team, name } => {
                if let Some(t) = self.team_mut(*team) {
                    t.name = name.clone();
                }
            }
            Event::MovedToTeam { participant, team } => {
                let mut role = None;
                for t in &mut self.teams {
                    if let Some(i) = t.members.iter().position(|m| m.id == *participant) {
                        role = t.members.remove(i).role;
                    }
                    // A role model moved away leaves their team without one.
                    if t.role_model == Some(*participant) {
                        t.role_model = None;
                    }
                }
                if let Some(t) = self.team_mut(*team) {
                    t.members.push(Member {
                        id: *participant,
                        role,
                    });
                }
            }
            Event::RoleModeSet { mode } => self.role_mode = *mode,
            Event::RoleSharingSet { shared } => self.roles_shared = *shared,
            Event::RoleAssigned { participant, role } => {
                if let Some(m) = self.member_mut(*participant) {
                    m.role = role.clone();
                }
            }
            Event::RoleModelMarked { participant, team } => {
                let team = team.or_else(|| participant.and_then(|p| self.team_of(p).map(|t| t.id)));
                for t in &mut self.teams {
                    if Some(t.id) == team {
                        t.role_model = *participant;
                    } else if team.is_none() || t.role_model == *participant {
                        // An old log's one role model, or a person who
                        // models one team only.
                        t.role_model = None;
                    }
                }
            }
            Event::AnonymitySet { anonymous } => self.anonymous = *anonymous,
            Event::PhaseChanged { phase, playbook } => {
                self.phase = *phase;
                // Back before the year: it will be played again from the start.
                if *phase < crate::scenario::Phase::PlayYear {
                    self.year_shown = 0;
                }
                if *phase < crate::scenario::Phase::Debrief {
                    self.scores_shown = false;
                }
                self.room_view_page = 0;
                if let (Some(playbook), Some(s)) = (playbook, self.scenario.as_mut()) {
                    s.playbook = playbook.clone();
                }
                if self.timer.as_ref().is_some_and(|t| t.phase != *phase) {
                    self.timer = None;
                }
            }
            Event::TimerStarted {
                seconds,
                close_input,
            } => {
                self.timer = Some(Timer {
                    phase: self.phase,
                    duration_ms: u64::from(*seconds) * 1000,
                    running_since_ms: Some(now),
                    used_ms: 0,
                    close_input: *close_input,
                });
            }
            Event::TimerPaused => {
                if let Some(t) = self.timer.as_mut()
                    && let Some(since) = t.running_since_ms.take()
                {
                    t.used_ms = t.used_ms.saturating_add(now.saturating_sub(since));
                }
            }
            Event::TimerResumed => {
                if let Some(t) = self.timer.as_mut() {
                    t.running_since_ms = Some(now);
                }
            }
            Event::TimerExtended { seconds } => {
                if let Some(t) = self.timer.as_mut() {
                    // Extending a timer that ran out starts the extra time now.
                    if t.remaining_ms(now) == 0 {
                        t.used_ms = t.duration_ms;
                        if t.running_since_ms.is_some() {
                            t.running_since_ms = Some(now);
                        }
                    }
                    t.duration_ms += u64::from(*seconds) * 1000;
                }
            }
            Event::TimerCleared => self.timer = None,
            Event::YearRevealed { shown } => self.year_shown = *shown,
            Event::ScoresRevealed { shown } => self.scores_shown = *shown,
            Event::RoleNudged { team, role } => {
                let seq = stamped.seq;
                if let Some(t) = self.team_mut(*team) {
                    t.nudges.retain(|n| &n.role != role);
                    t.nudges.push(super::RoleNudge {
                        role: role.clone(),
                        seq,
                    });
                }
            }
            Event::CoverageShown { coverage } => self.coverage_shown = coverage.clone(),
            Event::RoomViewPageShown { page } => self.room_view_page = *page,
            Event::RoomViewKeyRenewed { room_view } => {
                self.room_view = room_view.clone();
                self.room_view_generation += 1;
            }
            Event::InjectFired { inject, text } => {
                self.fired.push(inject.clone());
                if let Some(s) = self.scenario.as_mut() {
                    if let Some(text) = text
                        && !s.injects.iter().any(|i| i.id == text.id)
                    {
                        s.injects.push(text.clone());
                    }
                    let by: f64 = s
                        .injects
                        .iter()
                        .filter(|i| &i.id == inject)
                        .map(crate::scenario::Inject::budget_change)
                        .sum();
                    self.budget = (self.budget + by).max(0.0);
                }
            }
            Event::RiskRaised {
                team,
                card,
                author,
                title,
                description,
                risk,
                from_clue,
            } => {
                let phase = self.phase;
                if let Some(t) = self.team_mut(*team) {
                    t.cards.push(Card {
                        id: *card,
                        author: *author,
                        title: title.clone(),
                        description: description.clone(),
                        risk: risk.clone(),
                        from_clue: *from_clue,
                        hidden: false,
                        merged_into: None,
                        withdrawn: false,
                        consensus: None,
                        phase: Some(phase),
                    });
                }
            }
            Event::RiskEdited {
                team,
                card,
                title,
                description,
            } => {
                if let Some(c) = self.card_mut(*team, *card) {
                    c.title = title.clone();
                    c.description = description.clone();
                }
            }
            Event::RiskWithdrawn { team, card } => {
                if let Some(t) = self.team_mut(*team) {
                    let mut went = None;
                    if let Some(c) = t.cards.iter_mut().find(|c| c.id == *card) {
                        c.withdrawn = true;
                        c.title.clear();
                        c.description.clear();
                        c.risk = None;
                        c.consensus = None;
                        went = c.merged_into;
                    }
                    // Duplicates merged into it follow it, or come back.
                    for c in &mut t.cards {
                        if c.merged_into == Some(*card) {
                            c.merged_into = went;
                        }
                    }
                    t.estimates.retain(|e| e.card != *card);
                }
            }
            Event::CardsMerged { team, card, into } => {
                if let Some(c) = self.card_mut(*team, *card) {
                    c.merged_into = Some(*into);
                }
            }
            Event::CardHidden { team, card, hidden } => {
                if let Some(c) = self.card_mut(*team, *card) {
                    c.hidden = *hidden;
                }
            }
            Event::CardLinked { team, card, risk } => {
                if let Some(c) = self.card_mut(*team, *card) {
                    c.risk = risk.clone();
                }
            }
            Event::EstimateSubmitted {
                team,
                card,
                author,
                estimate,
            } => {
                let fired = self.fired.len();
                if let Some(t) = self.team_mut(*team) {
                    t.estimates
                        .retain(|e| !(e.card == *card && e.author == *author));
                    t.estimates.push(PrivateEstimate {
                        card: *card,
                        author: *author,
                        value: *estimate,
                        fired,
                    });
                }
            }
            Event::EstimatesRevealed { team, estimates } => {
                if let Some(t) = self.team_mut(*team) {
                    t.revealed = true;
                    if let Some(all) = estimates {
                        t.estimates.clone_from(all);
                    }
                }
            }
            Event::DiscussionStarted { team } => {
                if let Some(t) = self.team_mut(*team) {
                    t.discussion = true;
                }
            }
            Event::SecondRoundStarted { team } => {
                if let Some(t) = self.team_mut(*team) {
                    t.first_round = std::mem::take(&mut t.estimates);
                    t.revealed = false;
                    t.discussion = false;
                }
            }
            Event::ConsensusSet {
                team,
                card,
                estimate,
            } => {
                if let Some(c) = self.card_mut(*team, *card) {
                    c.consensus = Some(*estimate);
                }
            }
            Event::ResponseProposed {
                team,
                response,
                proposer,
                origin,
                catalogue,
            } => {
                if let (Some(entry), Some(s)) = (catalogue, self.scenario.as_mut())
                    && s.response(&entry.id).is_none()
                {
                    s.responses.push(entry.clone());
                }
                if let Some(t) = self.team_mut(*team) {
                    t.responses.push(BoardResponse {
                        id: *response,
                        proposer: *proposer,
                        origin: origin.clone(),
                        adopted: false,
                        withdrawn: false,
                    });
                }
            }
            Event::ResponseWithdrawn { team, response } => {
                if let Some(t) = self.team_mut(*team) {
                    if let Some(r) = t.responses.iter_mut().find(|r| r.id == *response) {
                        r.withdrawn = true;
                        r.adopted = false;
                    }
                    t.votes.retain(|v| v.response != *response);
                }
            }
            Event::ResponseAdopted {
                team,
                response,
                adopted,
            } => {
                if let Some(r) = self.response_mut(*team, *response) {
                    r.adopted = *adopted;
                }
            }
            Event::CustomResponseAccepted {
                team,
                response,
                effects,
            } => {
                if let Some(r) = self.response_mut(*team, *response)
                    && let Origin::Custom { accepted, .. } = &mut r.origin
                {
                    *accepted = Some(effects.clone());
                }
            }
            Event::Voted {
                team,
                voter,
                response,
            } => {
                if let Some(t) = self.team_mut(*team) {
                    t.votes.push(Vote {
                        voter: *voter,
                        response: *response,
                    });
                }
            }
            Event::Unvoted {
                team,
                voter,
                response,
            } => {
                if let Some(t) = self.team_mut(*team)
                    && let Some(i) = t
                        .votes
                        .iter()
                        .position(|v| v.voter == *voter && v.response == *response)
                {
                    t.votes.remove(i);
                }
            }
            Event::VoteBudgetSet { votes } => self.vote_budget = *votes,
            Event::AdoptionRuleSet { rule } => self.adoption = *rule,
            Event::RoomPaused { paused } => self.paused = *paused,
            Event::JoinScreenShown { shown } => self.join_shown = *shown,
            Event::Commented {
                team,
                author,
                on,
                text,
            } => {
                let phase = self.phase;
                if let Some(t) = self.team_mut(*team) {
                    t.comments.push(Comment {
                        author: *author,
                        on: *on,
                        text: text.clone(),
                        phase: Some(phase),
                    });
                }
            }
            Event::LessonAdded { team, author, text } => {
                if let Some(t) = self.team_mut(*team) {
                    t.lessons.push(Note {
                        author: *author,
                        text: text.clone(),
                        owner: None,
                    });
                }
            }
            Event::ActionItemAdded {
                team,
                author,
                text,
                owner,
            } => {
                if let Some(t) = self.team_mut(*team) {
                    t.actions.push(Note {
                        author: *author,
                        text: text.clone(),
                        owner: Some(owner.clone()),
                    });
                }
            }
            Event::PeerRated {
                team,
                from,
                to,
                score,
            } => {
                if let Some(t) = self.team_mut(*team) {
                    t.peer_rated = true;
                    t.peer_ratings.retain(|r| !(r.from == *from && r.to == *to));
                    t.peer_ratings.push(PeerRating {
                        from: *from,
                        to: *to,
                        score: *score,
                    });
                }
            }
            Event::TeammateRated { team } => {
                if let Some(t) = self.team_mut(*team) {
                    t.peer_rated = true;
                }
            }
            Event::RubricRated {
                team,
                dimension,
                level,
            } => {
                if let Some(t) = self.team_mut(*team) {
                    t.rubric.retain(|(d, _)| d != dimension);
                    t.rubric.push((dimension.clone(), *level));
                }
            }
        }
        self.seq = stamped.seq;
        Ok(())
    }

    pub(super) fn participant_mut(&mut self, id: ParticipantId) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| p.id == id)
    }

    pub(super) fn team_mut(&mut self, id: super::TeamId) -> Option<&mut Team> {
        self.teams.iter_mut().find(|t| t.id == id)
    }

    fn member_mut(&mut self, id: ParticipantId) -> Option<&mut Member> {
        self.teams
            .iter_mut()
            .flat_map(|t| t.members.iter_mut())
            .find(|m| m.id == id)
    }

    fn card_mut(&mut self, team: super::TeamId, card: super::CardId) -> Option<&mut Card> {
        self.team_mut(team)?.cards.iter_mut().find(|c| c.id == card)
    }

    fn response_mut(
        &mut self,
        team: super::TeamId,
        response: super::BoardResponseId,
    ) -> Option<&mut BoardResponse> {
        self.team_mut(team)?
            .responses
            .iter_mut()
            .find(|r| r.id == response)
    }

    /// Whether the exercise has reached `phase` or gone past it.
    pub fn reached(&self, phase: Phase) -> bool {
        self.phase >= phase
    }
}
