//! The wire protocol between a browser and the server, split by direction.
//! JSON text frames, tagged by `type`. A connection opens with
//! [`ClientMessage::Hello`], whose `protocol` must equal [`PROTOCOL_VERSION`].

use serde::{Deserialize, Serialize};

pub use crate::ids::Credential;
use crate::ids::{ParticipantId, RoomCode, Secret};
use crate::room::{Actor, Command, Room, Stamped};

/// Bumped whenever a message changes shape.
pub const PROTOCOL_VERSION: u32 = 4;

/// The query that asks the server for the whole app at a join link or a
/// console, which otherwise get the learner's or the console's app: those
/// go there for a room their browser runs itself.
pub const WHOLE_APP_QUERY: &str = "app=whole";

/// A client's number for a command; echoed in the [`ServerMessage::Ack`] or
/// [`ServerMessage::Rejected`] that answers it. Unique for the sender and
/// increasing on a connection: a command sent again with the same id (after
/// a reconnect) is acknowledged again, never applied twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommandId(pub u64);

/// Browser → server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// First message on every connection.
    Hello {
        protocol: u32,
        room: RoomCode,
        /// None for someone who has not joined yet.
        #[serde(default)]
        credential: Option<Credential>,
        /// The last event this page folded in, when it reconnects.
        #[serde(default)]
        last_seq: Option<u64>,
    },
    Command {
        id: CommandId,
        command: Command,
    },
}

crate::tagged_serde!(ClientMessage, "type");

/// Who the server recognised the connection as (the public form of [`Actor`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum You {
    Facilitator,
    RoomView,
    Participant { id: ParticipantId },
    Guest,
}

crate::tagged_serde!(You, "as");

impl From<&Actor> for You {
    fn from(actor: &Actor) -> Self {
        match actor {
            Actor::Facilitator => You::Facilitator,
            Actor::RoomView => You::RoomView,
            Actor::Participant(id) => You::Participant { id: *id },
            Actor::Guest { .. } => You::Guest,
        }
    }
}

/// Server → browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The answer to a good `Hello`: who you are and the room as you may see it.
    Welcome { protocol: u32, you: You, room: Room },
    /// Sent only to the connection that joined. Carries the seat token when
    /// the server made it (the browser sent none).
    Joined {
        id: ParticipantId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<Secret>,
    },
    /// The answer to a `Hello` with `last_seq`: the page keeps its copy of
    /// the room; the events it missed follow.
    Resumed { you: You },
    /// The command was accepted; its last event has this sequence number.
    Ack { id: CommandId, seq: u64 },
    /// The message was refused and changed nothing.
    Rejected {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<CommandId>,
        reason: String,
    },
    /// New events, already projected for this connection.
    Events { events: Vec<Stamped> },
    /// Who has a page open on the room right now (not part of the event log).
    Presence(Presence),
    /// Sent only to the connection that asked for it (`HandOverSeat`): the
    /// seat code, as people read it ("K7WQ-3M9T"), to type on the other
    /// device before `expires_ms`. Nowhere else is it ever sent or kept.
    SeatCode {
        participant: ParticipantId,
        code: String,
        expires_ms: u64,
    },
    /// Sent only to the console that asked for it (`OfferConsoleMove`):
    /// the move code, for the link the other device opens before
    /// `expires_ms`. Nowhere else is it ever sent or kept.
    ConsoleMoveOffered { code: Secret, expires_ms: u64 },
    /// Sent only to the console that was issued it (`TakeOverConsole`,
    /// `RenewConsoleKey`): its new facilitator key, to keep in place of any
    /// key before it.
    ConsoleKey { key: Secret },
    /// The server is closing this connection for good (removed, the seat
    /// moved to another device, the room-view link replaced). `rejoin`:
    /// whether the person may join the room again under a name.
    Closed {
        reason: String,
        #[serde(default = "yes")]
        rejoin: bool,
    },
}

fn yes() -> bool {
    true
}

crate::tagged_serde!(ServerMessage, "type");

/// Who is connected to a room at this moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// Whether a facilitator console is open.
    pub facilitator: bool,
    /// Participants with at least one page open, in id order.
    pub online: Vec<ParticipantId>,
}

/// Why a client's protocol version is not the server's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionMismatch {
    #[error(
        "This page is older than the server (protocol {client}, server {server}). Reload the page to update Riskroom."
    )]
    ClientTooOld { client: u32, server: u32 },
    #[error(
        "The server runs an older Riskroom (protocol {server}) than this page (protocol {client}). Ask whoever runs the server to update it."
    )]
    ServerTooOld { client: u32, server: u32 },
}

/// Checks a client's `Hello.protocol` against ours.
pub fn check_protocol(client: u32) -> Result<(), VersionMismatch> {
    let server = PROTOCOL_VERSION;
    match client.cmp(&server) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Less => Err(VersionMismatch::ClientTooOld { client, server }),
        std::cmp::Ordering::Greater => Err(VersionMismatch::ServerTooOld { client, server }),
    }
}
