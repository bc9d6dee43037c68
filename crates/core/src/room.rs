//! The room as a pure state machine: [`Room::handle`] decides whether a
//! command from an actor is allowed and which events it produces;
//! [`Room::apply`] folds an event into the state. The server, the browser and
//! every test run this same code.

use serde::{Deserialize, Serialize};

use crate::ids::{ParticipantId, RoomCode, SecretHash};
use crate::protocol::Credential;
use crate::scenario::{self, Phase, Scenario};
use crate::text::{self, MAX_NAME_CHARS, MAX_TITLE_CHARS, TextError};

/// Who is asking. Decided by the server from the connection's credential,
/// never taken from the message itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Holds the room's facilitator key.
    Facilitator,
    /// A learner who has joined (and holds that seat's token).
    Participant(ParticipantId),
    /// A connection that has not joined yet. `seat` is the hash of the token it
    /// will be given if it joins.
    Guest { seat: SecretHash },
}

/// A person in the room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub name: String,
    /// Hash of the seat token; only the server's copy of the state has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<SecretHash>,
    /// False once they left or were removed.
    pub active: bool,
}

/// One room's whole state: the fold of its events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Room {
    pub code: RoomCode,
    pub title: String,
    /// Hash of the facilitator key; only the server's copy of the state has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator: Option<SecretHash>,
    /// Everyone who ever joined, in join order (ids are 1-based positions).
    pub participants: Vec<Participant>,
    /// Sequence number of the last event folded in.
    pub seq: u64,
    pub ended: bool,
    pub phase: Phase,
    /// Title of the chosen scenario, for everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_title: Option<String>,
    /// The whole chosen scenario, truth model included: facilitator only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Box<Scenario>>,
}

/// What an actor asks the room to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// A guest takes a seat under a display name.
    Join { name: String },
    /// A participant changes their own display name.
    Rename { name: String },
    /// A participant leaves; their seat token stops working.
    Leave,
    /// The facilitator removes a participant.
    RemoveParticipant { id: ParticipantId },
    /// The facilitator ends the room; nothing more can change.
    EndRoom,
    /// The facilitator picks the scenario (a whole TOML file; `file` names it
    /// in messages). Checked by the same rules as `check-scenario`.
    ChooseScenario { file: String, text: String },
}

/// Something that happened to a room. Past tense; folded by [`Room::apply`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    RoomOpened {
        code: RoomCode,
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        facilitator: Option<SecretHash>,
    },
    ParticipantJoined {
        id: ParticipantId,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seat: Option<SecretHash>,
    },
    ParticipantRenamed {
        id: ParticipantId,
        name: String,
    },
    ParticipantLeft {
        id: ParticipantId,
    },
    ParticipantRemoved {
        id: ParticipantId,
    },
    RoomEnded,
    ScenarioChosen {
        title: String,
        /// Left out of what learners receive.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scenario: Option<Box<Scenario>>,
    },
}

/// An event with its place in the room's log and the server time it was accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stamped {
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    pub event: Event,
}

/// Why a command was refused, in words a facilitator or learner understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error(transparent)]
    Text(#[from] TextError),
    #[error("Someone in this room is already called “{0}”. Add an initial or a surname.")]
    NameTaken(String),
    #[error("You have already joined this room.")]
    AlreadyJoined,
    #[error("Join the room first.")]
    NotJoined,
    #[error("The facilitator runs the room and does not join it as a learner.")]
    FacilitatorCannotJoin,
    #[error("Only the facilitator can {0}.")]
    FacilitatorOnly(&'static str),
    #[error("There is no participant {0} in this room.")]
    UnknownParticipant(ParticipantId),
    #[error("This room has ended.")]
    RoomEnded,
    #[error("This facilitator key does not open room {0}.")]
    WrongFacilitatorKey(RoomCode),
    #[error("This seat in room {0} is no longer valid: join again with your name.")]
    UnknownSeat(RoomCode),
    #[error("The scenario file has problems:\n{0}")]
    Scenario(scenario::ScenarioErrors),
    #[error("The scenario can only be changed in the lobby, before the exercise starts.")]
    ScenarioLocked,
    #[error("A room's history must start with its opening.")]
    NotAnOpening,
    #[error("Event {got} arrived where event {expected} was due.")]
    OutOfOrder { expected: u64, got: u64 },
}

impl Room {
    /// The first event of a new room.
    pub fn opening(
        code: RoomCode,
        title: &str,
        facilitator: SecretHash,
    ) -> Result<Event, Rejection> {
        let title = text::clean_line(title, "a room title", MAX_TITLE_CHARS)?;
        Ok(Event::RoomOpened {
            code,
            title,
            facilitator: Some(facilitator),
        })
    }

    /// Builds a room from its opening event.
    pub fn open(first: &Stamped) -> Result<Self, Rejection> {
        match &first.event {
            Event::RoomOpened {
                code,
                title,
                facilitator,
            } if first.seq == 1 => Ok(Self {
                code: code.clone(),
                title: title.clone(),
                facilitator: facilitator.clone(),
                participants: Vec::new(),
                seq: 1,
                ended: false,
                phase: Phase::Lobby,
                scenario_title: None,
                scenario: None,
            }),
            Event::RoomOpened { .. } => Err(Rejection::OutOfOrder {
                expected: 1,
                got: first.seq,
            }),
            _ => Err(Rejection::NotAnOpening),
        }
    }

    /// Folds a whole log into a room.
    pub fn replay<'a>(log: impl IntoIterator<Item = &'a Stamped>) -> Result<Self, Rejection> {
        let mut log = log.into_iter();
        let mut room = Self::open(log.next().ok_or(Rejection::NotAnOpening)?)?;
        for stamped in log {
            room.apply(stamped)?;
        }
        Ok(room)
    }

    pub fn participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// Participants who are still in the room.
    pub fn active_participants(&self) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(|p| p.active)
    }

    /// Who a credential makes its holder, or why it does not.
    pub fn authenticate(&self, credential: &Credential) -> Result<Actor, Rejection> {
        match credential {
            Credential::Facilitator { key } => {
                if self.facilitator.as_ref() == Some(&key.hash()) {
                    Ok(Actor::Facilitator)
                } else {
                    Err(Rejection::WrongFacilitatorKey(self.code.clone()))
                }
            }
            Credential::Participant { token } => {
                let hash = token.hash();
                self.active_participants()
                    .find(|p| p.seat.as_ref() == Some(&hash))
                    .map(|p| Actor::Participant(p.id))
                    .ok_or_else(|| Rejection::UnknownSeat(self.code.clone()))
            }
        }
    }

    /// Decides a command. Changes nothing: the caller stamps the events,
    /// stores them, then folds them in with [`Room::apply`].
    pub fn handle(&self, actor: &Actor, command: &Command) -> Result<Vec<Event>, Rejection> {
        if self.ended {
            return Err(Rejection::RoomEnded);
        }
        match command {
            Command::Join { name } => {
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
                };
                let name = self.free_name(name, None)?;
                Ok(vec![Event::ParticipantJoined {
                    id: ParticipantId(self.next_participant_number()),
                    name,
                    seat: Some(seat),
                }])
            }
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
                self.facilitator_only(actor, "remove a participant")?;
                match self.participant(*id) {
                    Some(p) if p.active => Ok(vec![Event::ParticipantRemoved { id: *id }]),
                    _ => Err(Rejection::UnknownParticipant(*id)),
                }
            }
            Command::EndRoom => {
                self.facilitator_only(actor, "end the room")?;
                Ok(vec![Event::RoomEnded])
            }
            Command::ChooseScenario { file, text } => {
                self.facilitator_only(actor, "choose the scenario")?;
                if self.phase != Phase::Lobby {
                    return Err(Rejection::ScenarioLocked);
                }
                let scenario = scenario::parse(file, text).map_err(Rejection::Scenario)?;
                Ok(vec![Event::ScenarioChosen {
                    title: scenario.title.clone(),
                    scenario: Some(Box::new(scenario)),
                }])
            }
        }
    }

    /// Folds one event in. Refuses an event out of sequence, so a replayed or
    /// relayed log can never be applied twice or with a gap.
    pub fn apply(&mut self, stamped: &Stamped) -> Result<(), Rejection> {
        if stamped.seq != self.seq + 1 {
            return Err(Rejection::OutOfOrder {
                expected: self.seq + 1,
                got: stamped.seq,
            });
        }
        match &stamped.event {
            Event::RoomOpened { .. } => {
                return Err(Rejection::OutOfOrder {
                    expected: self.seq + 1,
                    got: 1,
                });
            }
            Event::ParticipantJoined { id, name, seat } => self.participants.push(Participant {
                id: *id,
                name: name.clone(),
                seat: seat.clone(),
                active: true,
            }),
            Event::ParticipantRenamed { id, name } => {
                if let Some(p) = self.participant_mut(*id) {
                    p.name = name.clone();
                }
            }
            Event::ParticipantLeft { id } | Event::ParticipantRemoved { id } => {
                if let Some(p) = self.participant_mut(*id) {
                    p.active = false;
                }
            }
            Event::RoomEnded => self.ended = true,
            Event::ScenarioChosen { title, scenario } => {
                self.scenario_title = Some(title.clone());
                self.scenario = scenario.clone();
            }
        }
        self.seq = stamped.seq;
        Ok(())
    }

    /// What `actor` may see of the room: no key or token hashes, ever; the
    /// scenario's truth model only for the facilitator.
    pub fn view_for(&self, actor: &Actor) -> Room {
        Room {
            facilitator: None,
            scenario: match actor {
                Actor::Facilitator => self.scenario.clone(),
                _ => None,
            },
            participants: self
                .participants
                .iter()
                .map(|p| Participant {
                    seat: None,
                    ..p.clone()
                })
                .collect(),
            ..self.clone()
        }
    }

    fn participant_mut(&mut self, id: ParticipantId) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| p.id == id)
    }

    fn next_participant_number(&self) -> u32 {
        self.participants.last().map_or(1, |p| p.id.0 + 1)
    }

    fn joined(&self, actor: &Actor) -> Result<ParticipantId, Rejection> {
        match actor {
            Actor::Participant(id) if self.participant(*id).is_some_and(|p| p.active) => Ok(*id),
            _ => Err(Rejection::NotJoined),
        }
    }

    fn facilitator_only(&self, actor: &Actor, action: &'static str) -> Result<(), Rejection> {
        match actor {
            Actor::Facilitator => Ok(()),
            _ => Err(Rejection::FacilitatorOnly(action)),
        }
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

impl Event {
    /// The event as `actor` may receive it: secrets stripped.
    pub fn redacted_for(&self, actor: &Actor) -> Event {
        match self {
            Event::ScenarioChosen { title, scenario } => Event::ScenarioChosen {
                title: title.clone(),
                scenario: match actor {
                    Actor::Facilitator => scenario.clone(),
                    _ => None,
                },
            },
            Event::RoomOpened { code, title, .. } => Event::RoomOpened {
                code: code.clone(),
                title: title.clone(),
                facilitator: None,
            },
            Event::ParticipantJoined { id, name, .. } => Event::ParticipantJoined {
                id: *id,
                name: name.clone(),
                seat: None,
            },
            other => other.clone(),
        }
    }
}

impl Stamped {
    pub fn redacted_for(&self, actor: &Actor) -> Stamped {
        Stamped {
            seq: self.seq,
            at_ms: self.at_ms,
            event: self.event.redacted_for(actor),
        }
    }
}
