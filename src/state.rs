//! The client's copy of a room: the reducer that folds server messages into
//! what the page shows. Folding events is the core's `Room::apply`; this file
//! only tracks the connection around it.

use std::rc::Rc;

use riskroom_core::protocol::{Presence, You};
use riskroom_core::{Participant, ParticipantId, Room, ServerMessage};
use yew::Reducible;

/// How the page's link to the room is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkStatus {
    Connecting,
    /// Welcomed and live.
    Live,
    /// Lost; retrying (attempt number).
    Reconnecting(u32),
    /// Closed for good, with the reason to show.
    Closed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientState {
    pub status: LinkStatus,
    pub you: Option<You>,
    pub room: Option<Room>,
    /// Who has a page open on the room right now.
    pub presence: Presence,
    /// The latest refusal, shown until dismissed or replaced.
    pub notice: Option<String>,
    /// Set when an event arrived out of sequence: the link must resync.
    pub out_of_step: bool,
    /// Whether the person may join again after the link closed for good.
    pub rejoin: bool,
    /// The latest seat code the server gave this page, to move a seat.
    pub seat_code: Option<SeatCode>,
    /// The latest console move code the server gave this console.
    pub console_move: Option<ConsoleMove>,
    /// Which change of this page's copy this is: a new state has a new one.
    pub version: u64,
}

/// A console move code as the server gave it, and until when it works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleMove {
    pub code: String,
    pub expires_ms: u64,
}

/// A seat code as the server gave it: who it moves, and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatCode {
    pub participant: ParticipantId,
    pub code: String,
    pub expires_ms: u64,
}

impl Default for ClientState {
    fn default() -> Self {
        Self {
            status: LinkStatus::Connecting,
            you: None,
            room: None,
            presence: Presence::default(),
            notice: None,
            out_of_step: false,
            rejoin: true,
            seat_code: None,
            console_move: None,
            version: 0,
        }
    }
}

pub enum ClientAction {
    Status(LinkStatus),
    Server(ServerMessage),
    /// Show a local problem (e.g. not connected) the same way as a refusal.
    Notice(String),
    DismissNotice,
}

impl ClientState {
    /// The participant this page is, if it has joined.
    pub fn me(&self) -> Option<&Participant> {
        match (&self.you, &self.room) {
            (Some(You::Participant { id }), Some(room)) => room.participant(*id),
            _ => None,
        }
    }

    pub fn my_id(&self) -> Option<ParticipantId> {
        self.me().map(|p| p.id)
    }

    pub fn is_facilitator(&self) -> bool {
        self.you == Some(You::Facilitator)
    }

    /// Who this page is, as the core's rules know them (None until it has
    /// joined or been welcomed).
    pub fn actor(&self) -> Option<riskroom_core::Actor> {
        use riskroom_core::Actor;
        match self.you.as_ref()? {
            You::Facilitator => Some(Actor::Facilitator),
            You::RoomView => Some(Actor::RoomView),
            You::Participant { id } => Some(Actor::Participant(*id)),
            You::Guest => None,
        }
    }

    /// Whether the core allows this page's person to take `action` now:
    /// what a page asks before it offers a command.
    pub fn may(&self, action: riskroom_core::room::Action) -> bool {
        match (&self.room, self.actor()) {
            (Some(room), Some(actor)) => room.may(&actor, action, js_sys::Date::now() as u64),
            _ => false,
        }
    }

    /// Whether this page marks `id` as their team's role model (the core
    /// says when the mark would give a hidden name away).
    pub fn shows_role_model(&self, id: ParticipantId) -> bool {
        self.room
            .as_ref()
            .is_some_and(|room| room.shows_role_model(&self.viewer(), id))
    }

    /// Whether the team's role model proposed or backed `response`, as
    /// this page may show it.
    pub fn role_model_backing(
        &self,
        team: &riskroom_core::room::Team,
        response: &riskroom_core::room::BoardResponse,
    ) -> Option<riskroom_core::room::RoleModelBacking> {
        self.room
            .as_ref()?
            .role_model_backing(&self.viewer(), team, response)
    }

    /// Whether the role model of team `team` proposed or backed the
    /// response its strategy names `label`, as this page may show it.
    pub fn role_model_backing_of(
        &self,
        team: riskroom_core::room::TeamId,
        label: &str,
    ) -> Option<riskroom_core::room::RoleModelBacking> {
        let room = self.room.as_ref()?;
        room.role_model_backing_of(&self.viewer(), room.team(team)?, label)
    }

    /// Who looks at this page, for what it may show: someone not joined
    /// sees what the room view sees.
    pub fn viewer(&self) -> riskroom_core::Actor {
        self.actor().unwrap_or(riskroom_core::Actor::RoomView)
    }

    /// The room and one of its teams, as this page holds them.
    pub fn team(
        &self,
        id: riskroom_core::room::TeamId,
    ) -> Option<(&Room, &riskroom_core::room::Team)> {
        let room = self.room.as_ref()?;
        Some((room, room.team(id)?))
    }
}

impl ClientState {
    /// Whether `action` leaves this state as it is: a status it already has
    /// (or any once closed for good), an answer to a command (the control
    /// that sent it hears it from the room's hook), events already folded
    /// in (after a resync) or with no room yet, the same presence.
    fn unchanged_by(&self, action: &ClientAction) -> bool {
        match action {
            ClientAction::Status(status) => {
                matches!(self.status, LinkStatus::Closed(_)) || self.status == *status
            }
            ClientAction::Server(ServerMessage::Ack { .. }) => true,
            ClientAction::Server(ServerMessage::Events { events }) => {
                let known = self.room.as_ref().map(|r| r.seq);
                events.iter().all(|e| known.is_none_or(|seq| e.seq <= seq))
            }
            ClientAction::Server(ServerMessage::Presence(presence)) => *presence == self.presence,
            _ => false,
        }
    }
}

impl Reducible for ClientState {
    type Action = ClientAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        // Unchanged state is the same state: the page is not drawn again,
        // and the room is not copied.
        if self.unchanged_by(&action) {
            return self;
        }
        let mut next = (*self).clone();
        match action {
            ClientAction::Status(status) => next.status = status,
            ClientAction::Notice(text) => next.notice = Some(text),
            ClientAction::DismissNotice => next.notice = None,
            ClientAction::Server(message) => match message {
                ServerMessage::Welcome { you, room, .. } => {
                    next.you = Some(you);
                    next.room = Some(room);
                    next.status = LinkStatus::Live;
                    next.out_of_step = false;
                }
                ServerMessage::Resumed { you } => {
                    next.you = Some(you);
                    next.status = LinkStatus::Live;
                }
                ServerMessage::Joined { id, .. } => {
                    next.you = Some(You::Participant { id });
                    next.notice = None;
                }
                ServerMessage::Ack { .. } => {}
                ServerMessage::Rejected { reason, .. } => next.notice = Some(reason),
                ServerMessage::Events { events } => {
                    if let Some(room) = next.room.as_mut() {
                        for event in &events {
                            if event.seq <= room.seq {
                                continue; // already folded in (e.g. after a resync)
                            }
                            if room.apply(event).is_err() {
                                next.out_of_step = true;
                                break;
                            }
                        }
                    }
                    // Someone who left (or was removed) is a guest again.
                    if let (Some(You::Participant { id }), Some(room)) = (&next.you, &next.room)
                        && !room.participant(*id).is_some_and(|p| p.active)
                    {
                        next.you = Some(You::Guest);
                    }
                }
                ServerMessage::Presence(presence) => next.presence = presence,
                ServerMessage::Closed { reason, rejoin } => {
                    next.status = LinkStatus::Closed(reason);
                    next.rejoin = rejoin;
                }
                ServerMessage::ConsoleMoveOffered { code, expires_ms } => {
                    next.console_move = Some(ConsoleMove {
                        code: code.expose().to_owned(),
                        expires_ms,
                    });
                }
                // Kept by the room's hook before it gets here; any move
                // link made before it no longer works.
                ServerMessage::ConsoleKey { .. } => next.console_move = None,
                ServerMessage::SeatCode {
                    participant,
                    code,
                    expires_ms,
                } => {
                    next.seat_code = Some(SeatCode {
                        participant,
                        code,
                        expires_ms,
                    });
                }
            },
        }
        next.version = self.version.wrapping_add(1);
        Rc::new(next)
    }
}
