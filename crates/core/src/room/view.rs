//! What each actor may see. [`Room::view_for`] projects the whole state;
//! [`Event::redacted_for`] projects one event so that folding the projected
//! log gives exactly the projected state; [`Room::refreshes`] names the few
//! events after which an actor gets a fresh view instead (their role or team
//! changed, names were hidden or shown). docs/visibility.md lists the rules.

use super::{Actor, Event, Room, Stamped, Team, TeamId};
use crate::ids::ParticipantId;
use crate::scenario::{Phase, Playbook, Prompts, Scenario};

impl Room {
    /// What `actor` may see of the room: no key or token hashes, ever; the
    /// truth model, other teams' boards and others' hidden estimates only
    /// for the facilitator. The room view sees every team's shared board,
    /// and nothing private: no brief, no estimate before its reveal, no
    /// peer rating, the rubric only in the debrief.
    pub fn view_for(&self, actor: &Actor) -> Room {
        let mut view = self.clone();
        view.facilitator = None;
        view.room_view = None;
        view.seat_codes.clear();
        view.console_move = None;
        view.moved_seats.clear();
        for p in &mut view.participants {
            p.seat = None;
        }
        if *actor == Actor::Facilitator {
            return view;
        }
        view.blocked.clear();
        let me = match actor {
            Actor::Participant(id) => Some(*id),
            _ => None,
        };
        let my_team = me.and_then(|id| self.team_of(id)).map(|t| t.id);
        let my_role = me.and_then(|id| self.role_of(id));
        let room_view = *actor == Actor::RoomView;
        let boards: Vec<TeamId> = if room_view {
            self.teams.iter().map(|t| t.id).collect()
        } else {
            my_team.into_iter().collect()
        };
        view.scenario = self
            .scenario
            .as_deref()
            .map(|s| Box::new(self.scenario_for(s, my_role, &boards, my_team.is_some())));
        for team in &mut view.teams {
            if !boards.contains(&team.id) {
                strip_board(team);
                continue;
            }
            if !team.revealed {
                for e in &mut team.estimates {
                    if Some(e.author) != me {
                        e.value = None;
                    }
                }
            }
            team.nudges.retain(|n| Some(n.role.as_str()) == my_role);
            if room_view {
                team.peer_ratings.clear();
                if self.phase != Phase::Debrief {
                    team.rubric.clear();
                }
                continue;
            }
            // Ratings given, and ratings received under a mask (so a
            // learner can see their own peer score but not who gave what).
            team.peer_ratings
                .retain(|r| Some(r.from) == me || Some(r.to) == me);
            for r in &mut team.peer_ratings {
                if Some(r.from) != me {
                    r.from = masked_rater(self, r.from, r.to);
                }
            }
        }
        if self.anonymous {
            for p in &mut view.participants {
                if Some(p.id) != me {
                    p.name = anonymous_name(p.id);
                }
            }
        }
        view
    }

    /// The scenario as a learner with `role` who sees the `boards` of these
    /// teams may see it (no role and every board for the room view).
    fn scenario_for(
        &self,
        s: &Scenario,
        role: Option<&str>,
        boards: &[TeamId],
        in_team: bool,
    ) -> Scenario {
        let on_board: Vec<&str> = boards
            .iter()
            .filter_map(|t| self.team(*t))
            .flat_map(|t| {
                t.responses.iter().filter_map(|r| match &r.origin {
                    super::Origin::Catalogue { response } => Some(response.as_str()),
                    super::Origin::Custom { .. } => None,
                })
            })
            .collect();
        let mut out = s.clone();
        // The truth is revealed when the year is played.
        if self.phase < Phase::PlayYear {
            out.risks.clear();
        }
        // In the debrief a learner in a team reads every brief: what each
        // role knew, and what stayed unsaid. The room view (and a page that
        // has not joined) learns which risks each role's facts pointed at,
        // never the facts' words.
        for r in &mut out.roles {
            if Some(r.id.as_str()) == role {
                continue;
            }
            let debrief = self.phase == Phase::Debrief;
            if !(debrief && in_team) {
                r.brief.clear();
                r.prompts = Prompts::default();
                if debrief {
                    for clue in &mut r.clues {
                        clue.text.clear();
                    }
                } else {
                    r.clues.clear();
                }
            }
        }
        // Known responses in catalogue order, then the ones learnt from the
        // board in the order they were proposed (as the fold adds them); the
        // whole catalogue once the year is played (the best strategy is
        // searched over all of it).
        let known = |r: &crate::scenario::Response| {
            self.phase >= Phase::PlayYear
                || r.known_by.is_empty()
                || role.is_some_and(|role| r.known_by.iter().any(|k| k == role))
        };
        let mut responses: Vec<_> = s.responses.iter().filter(|r| known(r)).cloned().collect();
        for id in on_board {
            if let Some(r) = s.response(id)
                && !responses.iter().any(|k| k.id == r.id)
            {
                responses.push(r.clone());
            }
        }
        out.responses = responses;
        // Fired injects, in the order they fired.
        out.injects = self
            .fired
            .iter()
            .filter_map(|id| s.injects.iter().find(|i| &i.id == id).cloned())
            .collect();
        if self.phase < Phase::Debrief {
            out.playbook = Playbook {
                summary: String::new(),
                picks: Vec::new(),
            };
        }
        out
    }

    /// Whether `actor` should get a fresh view after `event` (just applied)
    /// rather than the event itself.
    pub fn refreshes(&self, event: &Event, actor: &Actor) -> bool {
        let me = match actor {
            Actor::Facilitator => return false,
            // What the room may see changes with every phase.
            Actor::RoomView => {
                return matches!(
                    event,
                    Event::ScenarioChosen { .. }
                        | Event::AnonymitySet { .. }
                        | Event::PhaseChanged { .. }
                );
            }
            Actor::Participant(id) => Some(*id),
            Actor::Guest { .. } => None,
        };
        match event {
            Event::ScenarioChosen { .. } | Event::AnonymitySet { .. } => true,
            Event::RoleAssigned { participant, .. } | Event::MovedToTeam { participant, .. } => {
                Some(*participant) == me
            }
            // Playing the year reveals the truth; going back to Respond hides
            // it again, and leaving the debrief hides the playbook.
            // The debrief shows every brief.
            Event::PhaseChanged { phase, .. } => {
                matches!(phase, Phase::Respond | Phase::PlayYear | Phase::Debrief)
            }
            _ => false,
        }
    }
}

impl Event {
    /// The event as `actor` may receive it, given `room` right after it was
    /// applied. Events about another team become [`Event::Withheld`].
    pub fn redacted_for(&self, actor: &Actor, room: &Room) -> Event {
        let me = match actor {
            Actor::Participant(id) => Some(*id),
            _ => None,
        };
        // Everyone but the facilitator sees only what is shared with them.
        let learner = *actor != Actor::Facilitator;
        let room_view = *actor == Actor::RoomView;
        let name_for = |id: ParticipantId, name: &str| {
            if learner && room.anonymous && Some(id) != me {
                anonymous_name(id)
            } else {
                name.to_owned()
            }
        };
        if learner
            && !room_view
            && let Some(team) = self.team()
            // Looked up only for an event of a team: a search of every
            // member, for each of a big room's connections.
            && Some(team) != me.and_then(|id| room.team_of(id)).map(|t| t.id)
        {
            return Event::Withheld;
        }
        match self {
            Event::RoomOpened {
                code,
                title,
                limits,
                ..
            } => Event::RoomOpened {
                code: code.clone(),
                title: title.clone(),
                facilitator: None,
                room_view: None,
                limits: *limits,
            },
            Event::ParticipantJoined { id, name, team, .. } => Event::ParticipantJoined {
                id: *id,
                name: name_for(*id, name),
                seat: None,
                team: *team,
            },
            Event::ParticipantRenamed { id, name } => Event::ParticipantRenamed {
                id: *id,
                name: name_for(*id, name),
            },
            // A seat code's hash never leaves the server; the code itself
            // reaches only the one who asked for it.
            Event::SeatCodeIssued { .. } => Event::Withheld,
            Event::SeatMoved { participant, .. } => Event::SeatMoved {
                participant: *participant,
                seat: None,
            },
            Event::ParticipantRemoved { id, .. } if learner => Event::ParticipantRemoved {
                id: *id,
                block: false,
            },
            Event::ScenarioChosen { title, scenario } if learner => Event::ScenarioChosen {
                title: title.clone(),
                scenario: scenario
                    .as_ref()
                    .and_then(|_| room.view_for(actor).scenario),
            },
            Event::PhaseChanged { phase, .. } if learner => Event::PhaseChanged {
                phase: *phase,
                playbook: (*phase == Phase::Debrief)
                    .then(|| room.scenario.as_ref().map(|s| s.playbook.clone()))
                    .flatten(),
            },
            Event::InjectFired { inject, .. } if learner => Event::InjectFired {
                inject: inject.clone(),
                text: room
                    .scenario
                    .as_ref()
                    .and_then(|s| s.injects.iter().find(|i| &i.id == inject).cloned()),
            },
            Event::EstimateSubmitted {
                team,
                card,
                author,
                estimate,
            } if learner => Event::EstimateSubmitted {
                team: *team,
                card: *card,
                author: *author,
                estimate: if Some(*author) == me || room.team(*team).is_some_and(|t| t.revealed) {
                    *estimate
                } else {
                    None
                },
            },
            Event::EstimatesRevealed { team, .. } if learner => Event::EstimatesRevealed {
                team: *team,
                estimates: room.team(*team).map(|t| t.estimates.clone()),
            },
            Event::ResponseProposed {
                team,
                response,
                proposer,
                origin,
                ..
            } if learner => Event::ResponseProposed {
                team: *team,
                response: *response,
                proposer: *proposer,
                origin: origin.clone(),
                catalogue: match origin {
                    super::Origin::Catalogue { response } => room
                        .scenario
                        .as_ref()
                        .and_then(|s| s.response(response).cloned()),
                    super::Origin::Custom { .. } => None,
                },
            },
            Event::RoomViewKeyRenewed { .. } => Event::RoomViewKeyRenewed { room_view: None },
            Event::ConsoleMoveOffered { .. } => Event::Withheld,
            // A nudge reaches the role's players only.
            Event::RoleNudged { role, .. }
                if learner && me.and_then(|id| room.role_of(id)) != Some(role.as_str()) =>
            {
                Event::Withheld
            }
            Event::ConsoleKeyRenewed { .. } => Event::ConsoleKeyRenewed { facilitator: None },
            Event::PeerRated { team, .. } if room_view => Event::TeammateRated { team: *team },
            Event::RubricRated { .. } if room_view && room.phase != Phase::Debrief => {
                Event::Withheld
            }
            Event::PeerRated {
                team,
                from,
                to,
                score,
            } if learner && Some(*from) != me => {
                if Some(*to) == me {
                    Event::PeerRated {
                        team: *team,
                        from: masked_rater(room, *from, *to),
                        to: *to,
                        score: *score,
                    }
                } else {
                    Event::TeammateRated { team: *team }
                }
            }
            other => other.clone(),
        }
    }

    /// The team an event belongs to, if it is about one team's board.
    pub fn team(&self) -> Option<TeamId> {
        match self {
            Event::RiskRaised { team, .. }
            | Event::RiskEdited { team, .. }
            | Event::RiskWithdrawn { team, .. }
            | Event::CardsMerged { team, .. }
            | Event::CardHidden { team, .. }
            | Event::CardLinked { team, .. }
            | Event::EstimateSubmitted { team, .. }
            | Event::EstimatesRevealed { team, .. }
            | Event::SecondRoundStarted { team }
            | Event::DiscussionStarted { team }
            | Event::ConsensusSet { team, .. }
            | Event::ResponseProposed { team, .. }
            | Event::ResponseWithdrawn { team, .. }
            | Event::ResponseAdopted { team, .. }
            | Event::CustomResponseAccepted { team, .. }
            | Event::Voted { team, .. }
            | Event::Unvoted { team, .. }
            | Event::Commented { team, .. }
            | Event::LessonAdded { team, .. }
            | Event::ActionItemAdded { team, .. }
            | Event::PeerRated { team, .. }
            | Event::TeammateRated { team, .. }
            | Event::RubricRated { team, .. }
            | Event::RoleNudged { team, .. } => Some(*team),
            _ => None,
        }
    }
}

impl Stamped {
    pub fn redacted_for(&self, actor: &Actor, room: &Room) -> Stamped {
        Stamped {
            seq: self.seq,
            at_ms: self.at_ms,
            event: self.event.redacted_for(actor, room),
        }
    }
}

/// The rater of a peer rating as the rated learner sees them: a number that
/// stays the same for the pair (so a changed rating replaces the old one) but
/// does not tell who it is, keyed by the room's secret facilitator-key hash.
pub fn masked_rater(room: &Room, from: ParticipantId, to: ParticipantId) -> ParticipantId {
    use sha2::{Digest, Sha256};
    let secret = room.facilitator.as_ref().map_or("", |h| h.as_str());
    let digest = Sha256::digest(format!("{secret}/{}/{}", from.0, to.0).as_bytes());
    let n = u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]]);
    ParticipantId(0x8000_0000 | n)
}

/// How a learner appears to others while names are hidden.
pub fn anonymous_name(id: ParticipantId) -> String {
    format!("Participant {}", id.0)
}

/// A team as someone outside it sees it: its name, its members and its
/// role model, not its board.
fn strip_board(team: &mut Team) {
    let members = std::mem::take(&mut team.members);
    let role_model = team.role_model;
    *team = Team::new(team.id, std::mem::take(&mut team.name));
    team.members = members;
    team.role_model = role_model;
}
