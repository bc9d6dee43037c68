//! Live rooms. Each room is one task that owns its state and serialises every
//! command: validate with the core → persist → acknowledge → broadcast.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::ws::Utf8Bytes;
use riskroom_core::protocol::{Presence, You};
use riskroom_core::room::{Actor, Limits};
use riskroom_core::{
    Command, CommandId, Credential, Event, PROTOCOL_VERSION, Room, RoomCode, Secret, ServerMessage,
    Stamped,
};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::error::Error;
use crate::store::{Store, StoreError};

/// What a room task sends a connection's writer.
#[derive(Debug, Clone)]
pub enum Outbound {
    Text(Utf8Bytes),
    /// Send this last message, then close the socket.
    Close(Utf8Bytes),
}

impl Outbound {
    pub fn message(msg: &ServerMessage) -> Self {
        Outbound::Text(encode(msg))
    }
}

pub fn encode(msg: &ServerMessage) -> Utf8Bytes {
    serde_json::to_string(msg)
        .expect("server messages always serialize")
        .into()
}

pub type ConnId = u64;

/// A request to a room task.
pub enum RoomMsg {
    Connect {
        credential: Option<Credential>,
        last_seq: Option<u64>,
        out: mpsc::UnboundedSender<Outbound>,
        reply: oneshot::Sender<Result<ConnId, String>>,
    },
    Command {
        conn: ConnId,
        id: CommandId,
        command: Command,
    },
    Disconnect {
        conn: ConnId,
    },
}

/// Where to send requests for one room.
#[derive(Clone)]
pub struct RoomHandle {
    tx: mpsc::UnboundedSender<RoomMsg>,
}

impl RoomHandle {
    /// Joins the room's stream; the Welcome (or Rejected) goes to `out`.
    pub async fn connect(
        &self,
        credential: Option<Credential>,
        last_seq: Option<u64>,
        out: mpsc::UnboundedSender<Outbound>,
    ) -> Result<ConnId, String> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(RoomMsg::Connect {
                credential,
                last_seq,
                out,
                reply,
            })
            .map_err(|_| "This room is closing.".to_owned())?;
        answer
            .await
            .unwrap_or_else(|_| Err("This room is closing.".to_owned()))
    }

    pub fn command(&self, conn: ConnId, id: CommandId, command: Command) {
        let _ = self.tx.send(RoomMsg::Command { conn, id, command });
    }

    pub fn disconnect(&self, conn: ConnId) {
        let _ = self.tx.send(RoomMsg::Disconnect { conn });
    }
}

/// Every room this server knows, loaded from the store on first use.
pub struct Rooms {
    store: Arc<Store>,
    live: Mutex<HashMap<RoomCode, RoomHandle>>,
    limits: Limits,
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl Rooms {
    pub fn new(store: Arc<Store>, limits: Limits) -> Self {
        Self {
            store,
            live: Mutex::new(HashMap::new()),
            limits,
        }
    }

    /// Codes of the rooms loaded now (kept by the retention sweep).
    pub async fn live_codes(&self) -> Vec<String> {
        self.live
            .lock()
            .await
            .keys()
            .map(ToString::to_string)
            .collect()
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Opens a new room; returns its code and the facilitator key (shown once).
    pub async fn create(&self, title: &str) -> Result<(RoomCode, Secret), Error> {
        let key = Secret::random(&mut rand::rng());
        for _ in 0..8 {
            let code = RoomCode::random(&mut rand::rng());
            let opening = Stamped {
                seq: 1,
                at_ms: now_ms(),
                event: Room::opening_with(code.clone(), title, key.hash(), self.limits)
                    .map_err(|e| Error::BadRequest(e.to_string()))?,
            };
            let store = Arc::clone(&self.store);
            let stored = {
                let code = code.clone();
                tokio::task::spawn_blocking(move || store.create_room(&code, &opening))
                    .await
                    .map_err(|e| Error::Internal(e.into()))?
            };
            match stored {
                Ok(()) => {
                    tracing::info!(room = %code, "room created");
                    return Ok((code, key));
                }
                Err(StoreError::CodeTaken(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::Internal(anyhow::anyhow!(
            "no free room code after 8 tries"
        )))
    }

    /// The live room for `code`, loading it from the store if needed.
    pub async fn get(&self, code: &RoomCode) -> Result<Option<RoomHandle>, Error> {
        let mut live = self.live.lock().await;
        if let Some(handle) = live.get(code) {
            return Ok(Some(handle.clone()));
        }
        let store = Arc::clone(&self.store);
        let log = {
            let code = code.clone();
            tokio::task::spawn_blocking(move || store.load(&code))
                .await
                .map_err(|e| Error::Internal(e.into()))??
        };
        let Some(log) = log else { return Ok(None) };
        let room = Room::replay(&log)
            .map_err(|e| Error::Internal(anyhow::anyhow!("room {code} does not replay: {e}")))?;
        let store = Arc::clone(&self.store);
        let done = {
            let code = code.clone();
            tokio::task::spawn_blocking(move || store.commands(&code))
                .await
                .map_err(|e| Error::Internal(e.into()))??
        };
        // Recent history lets a reconnecting page catch up event by event.
        let keep = log.len().saturating_sub(HISTORY).max(1);
        let base = Room::replay(&log[..keep])
            .map_err(|e| Error::Internal(anyhow::anyhow!("room {code} does not replay: {e}")))?;
        let (tx, rx) = mpsc::unbounded_channel();
        let handle = RoomHandle { tx };
        tokio::spawn(
            RoomTask {
                room,
                store: Arc::clone(&self.store),
                conns: HashMap::new(),
                next_conn: 1,
                presence: Presence::default(),
                done: done
                    .into_iter()
                    .map(|(actor, id, seq)| ((actor, id), seq))
                    .collect(),
                base,
                history: log[keep..].iter().cloned().collect(),
            }
            .run(rx),
        );
        live.insert(code.clone(), handle.clone());
        Ok(Some(handle))
    }
}

/// Events kept in memory for reconnecting pages.
const HISTORY: usize = 512;
/// Most commands decided and stored together.
const BATCH: usize = 64;

struct Conn {
    actor: Actor,
    /// The token this guest gets if it joins, when the server made it (only
    /// its hash is in `actor`).
    guest_token: Option<Secret>,
    out: mpsc::UnboundedSender<Outbound>,
    /// The last command id seen on this connection.
    last_command: Option<CommandId>,
}

struct RoomTask {
    room: Room,
    store: Arc<Store>,
    conns: HashMap<ConnId, Conn>,
    next_conn: ConnId,
    /// Last presence sent, so unchanged presence is not re-sent.
    presence: Presence,
    /// Commands applied: (sender key, command id) → last event's seq.
    done: HashMap<(String, u64), u64>,
    /// The room before `history`, and the events since.
    base: Room,
    history: std::collections::VecDeque<Stamped>,
}

impl RoomTask {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<RoomMsg>) {
        let mut waiting: Option<RoomMsg> = None;
        loop {
            let msg = match waiting.take() {
                Some(msg) => msg,
                None => match rx.recv().await {
                    Some(msg) => msg,
                    None => break,
                },
            };
            match msg {
                RoomMsg::Connect {
                    credential,
                    last_seq,
                    out,
                    reply,
                } => {
                    let result = self.connect(credential.as_ref(), last_seq, out);
                    if let Ok(conn) = result
                        && let Some(conn) = self.conns.get(&conn)
                    {
                        // The newcomer needs presence even when it did not change.
                        let _ = conn.out.send(Outbound::message(&ServerMessage::Presence(
                            self.presence.clone(),
                        )));
                    }
                    let _ = reply.send(result);
                }
                RoomMsg::Command { conn, id, command } => {
                    // Take every command already waiting: they are decided in
                    // order and stored in one write, so a slow disk delays a
                    // busy room once, not once per command.
                    let mut batch = vec![(conn, id, command)];
                    while batch.len() < BATCH {
                        match rx.try_recv() {
                            Ok(RoomMsg::Command { conn, id, command }) => {
                                batch.push((conn, id, command))
                            }
                            Ok(other) => {
                                waiting = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    // Only joining, leaving and removal change who is online.
                    let seats_change = batch.iter().any(|(_, _, c)| {
                        matches!(
                            c,
                            Command::Join { .. }
                                | Command::Leave
                                | Command::RemoveParticipant { .. }
                                | Command::EndRoom
                        )
                    });
                    self.commands(batch).await;
                    if !seats_change {
                        continue;
                    }
                }
                RoomMsg::Disconnect { conn } => {
                    self.conns.remove(&conn);
                }
            }
            self.share_presence();
        }
    }

    fn connect(
        &mut self,
        credential: Option<&Credential>,
        last_seq: Option<u64>,
        out: mpsc::UnboundedSender<Outbound>,
    ) -> Result<ConnId, String> {
        // The token a guest gets if it joins; kept only when no credential
        // brought a seat of its own.
        let token = Secret::random(&mut rand::rng());
        let actor = self
            .room
            .admit(credential, token.hash())
            .map_err(|e| e.to_string())?;
        let guest_token = credential.is_none().then_some(token);
        match last_seq.and_then(|seq| self.missed_since(seq, &actor)) {
            Some(missed) => {
                let _ = out.send(Outbound::message(&ServerMessage::Resumed {
                    you: You::from(&actor),
                }));
                if !missed.is_empty() {
                    let _ = out.send(Outbound::message(&ServerMessage::Events { events: missed }));
                }
            }
            None => {
                let welcome = ServerMessage::Welcome {
                    protocol: PROTOCOL_VERSION,
                    you: You::from(&actor),
                    room: self.room.view_for(&actor),
                };
                let _ = out.send(Outbound::message(&welcome));
            }
        }
        let id = self.next_conn;
        self.next_conn += 1;
        self.conns.insert(
            id,
            Conn {
                actor,
                guest_token,
                out,
                last_command: None,
            },
        );
        Ok(id)
    }

    /// The events after `seq`, projected for `actor`, if the page can catch
    /// up by folding them; None when it needs a fresh view instead (too far
    /// behind, or its view changed wholesale meanwhile).
    fn missed_since(&self, seq: u64, actor: &Actor) -> Option<Vec<Stamped>> {
        if seq == self.room.seq {
            return Some(Vec::new());
        }
        if seq < self.base.seq || seq > self.room.seq {
            return None;
        }
        let mut room = self.base.clone();
        let mut missed = Vec::new();
        for stamped in &self.history {
            room.apply(stamped).ok()?;
            if stamped.seq <= seq {
                continue;
            }
            let about_me = match (&stamped.event, actor) {
                (Event::ParticipantJoined { id, .. }, Actor::Participant(me))
                | (Event::ParticipantLeft { id }, Actor::Participant(me))
                | (Event::ParticipantRemoved { id }, Actor::Participant(me)) => id == me,
                _ => false,
            };
            if about_me || room.refreshes(&stamped.event, actor) {
                return None;
            }
            missed.push(stamped.redacted_for(actor, &room));
        }
        Some(missed)
    }

    /// The key under which a sender's commands are remembered: stable across
    /// reconnects (a seat hash for learners and guests).
    fn sender_key(&self, actor: &Actor) -> String {
        match actor {
            Actor::Facilitator => "facilitator".to_owned(),
            Actor::Participant(id) => self
                .room
                .participant(*id)
                .and_then(|p| p.seat.as_ref())
                .map_or_else(
                    || format!("participant-{}", id.0),
                    |s| s.as_str().to_owned(),
                ),
            Actor::Guest { seat } => seat.as_str().to_owned(),
        }
    }

    /// Decides a batch of commands in order against the live room, stores
    /// all their events in one write, then acknowledges and broadcasts. If
    /// the write fails, the room and the connections go back to how they
    /// were and every command that changed something is refused.
    async fn commands(&mut self, batch: Vec<(ConnId, CommandId, Command)>) {
        let before = self.room.clone();
        let before_conns: Vec<(ConnId, Actor, Option<Secret>, Option<CommandId>)> = self
            .conns
            .iter()
            .map(|(id, c)| (*id, c.actor.clone(), c.guest_token.clone(), c.last_command))
            .collect();
        let at_ms = now_ms();
        let mut answers: Vec<(ConnId, ServerMessage)> = Vec::new();
        let mut direct: Vec<(ConnId, ServerMessage)> = Vec::new();
        let mut stored: Vec<Stamped> = Vec::new();
        let mut records: Vec<(String, u64, u64)> = Vec::new();
        let mut outbox: HashMap<ConnId, Outbox> = HashMap::new();
        for (conn_id, id, command) in batch {
            let Some(conn) = self.conns.get(&conn_id) else {
                continue;
            };
            let actor = conn.actor.clone();
            let last_command = conn.last_command;
            let sender = self.sender_key(&actor);
            // A command sent again (after a reconnect) is acknowledged again.
            let key = (sender, id.0);
            let repeat = self.done.get(&key).copied().or_else(|| {
                records
                    .iter()
                    .find(|(a, i, _)| *a == key.0 && *i == key.1)
                    .map(|r| r.2)
            });
            if let Some(seq) = repeat {
                answers.push((conn_id, ServerMessage::Ack { id, seq }));
                continue;
            }
            if last_command.is_some_and(|last| id <= last) {
                answers.push((
                    conn_id,
                    ServerMessage::Rejected {
                        id: Some(id),
                        reason: format!(
                            "Command {} arrived after command {}: commands must be numbered in order. Reloading the page fixes this.",
                            id.0,
                            last_command.map_or(0, |c| c.0)
                        ),
                    },
                ));
                continue;
            }
            if let Some(conn) = self.conns.get_mut(&conn_id) {
                conn.last_command = Some(id);
            }
            let events = match self.room.handle(&actor, &command, at_ms) {
                Ok(events) => events,
                Err(rejection) => {
                    answers.push((
                        conn_id,
                        ServerMessage::Rejected {
                            id: Some(id),
                            reason: rejection.to_string(),
                        },
                    ));
                    continue;
                }
            };
            let changed = !events.is_empty();
            for event in events {
                let stamped = self
                    .room
                    .commit(event, at_ms)
                    .expect("events from handle apply in sequence");
                let (fresh, joined) = self.after_applied(conn_id, &stamped);
                direct.extend(joined);
                // Project right after the event, for everyone as they are now.
                for (cid, conn) in &self.conns {
                    let queue = outbox.entry(*cid).or_default();
                    if fresh == Some(*cid) || self.room.refreshes(&stamped.event, &conn.actor) {
                        queue.view(ServerMessage::Welcome {
                            protocol: PROTOCOL_VERSION,
                            you: You::from(&conn.actor),
                            room: self.room.view_for(&conn.actor),
                        });
                    } else {
                        queue.event(stamped.redacted_for(&conn.actor, &self.room));
                    }
                }
                stored.push(stamped);
            }
            if changed {
                records.push((key.0, key.1, self.room.seq));
            }
            answers.push((
                conn_id,
                ServerMessage::Ack {
                    id,
                    seq: self.room.seq,
                },
            ));
        }
        if !stored.is_empty() {
            let store = Arc::clone(&self.store);
            let code = self.room.code.clone();
            if let Err(e) = store
                .append_durably(&code, stored.clone(), records.clone())
                .await
            {
                tracing::error!(room = %self.room.code, error = %e, "could not store events");
                self.room = before;
                for (id, actor, token, last) in before_conns {
                    if let Some(conn) = self.conns.get_mut(&id) {
                        conn.actor = actor;
                        conn.guest_token = token;
                        conn.last_command = last;
                    }
                }
                for (conn_id, answer) in answers {
                    let answer = match answer {
                        ServerMessage::Ack { id, .. } => ServerMessage::Rejected {
                            id: Some(id),
                            reason: "The server could not save this change. Please try again."
                                .into(),
                        },
                        other => other,
                    };
                    if let Some(conn) = self.conns.get(&conn_id) {
                        let _ = conn.out.send(Outbound::message(&answer));
                    }
                }
                return;
            }
        }
        // On disk: remember, acknowledge, then broadcast.
        for (actor, id, seq) in records {
            self.done.insert((actor, id), seq);
        }
        for event in &stored {
            self.history.push_back(event.clone());
            while self.history.len() > HISTORY {
                if let Some(old) = self.history.pop_front() {
                    self.base.apply(&old).expect("history applies in sequence");
                }
            }
        }
        for (conn_id, message) in direct.into_iter().chain(answers) {
            if let Some(conn) = self.conns.get(&conn_id) {
                let _ = conn.out.send(Outbound::message(&message));
            }
        }
        // Most connections receive the same projection (everyone in a team
        // sees the same board): encode each distinct one once.
        let mut encoded: Vec<(Vec<ServerMessage>, Vec<Utf8Bytes>)> = Vec::new();
        for (cid, queue) in outbox {
            let Some(conn) = self.conns.get(&cid) else {
                continue;
            };
            let messages = queue.finish();
            let bytes = match encoded.iter().find(|(m, _)| *m == messages) {
                Some((_, bytes)) => bytes.clone(),
                None => {
                    let bytes: Vec<Utf8Bytes> = messages.iter().map(encode).collect();
                    encoded.push((messages, bytes.clone()));
                    bytes
                }
            };
            for text in bytes {
                let _ = conn.out.send(Outbound::Text(text));
            }
        }
        self.shut_out(&stored);
    }

    /// Connection-level consequences of an event: a guest that joined
    /// becomes that participant (its `Joined` message is returned, to send
    /// once the event is stored); one who left goes back to guest. Returns
    /// also the connection that needs a fresh view.
    fn after_applied(
        &mut self,
        conn_id: ConnId,
        stamped: &Stamped,
    ) -> (Option<ConnId>, Option<(ConnId, ServerMessage)>) {
        match &stamped.event {
            Event::ParticipantJoined { id, seat, .. } => {
                let Some(conn) = self.conns.get_mut(&conn_id) else {
                    return (None, None);
                };
                if matches!(&conn.actor, Actor::Guest { seat: mine } if Some(mine) == seat.as_ref())
                {
                    conn.actor = Actor::Participant(*id);
                    let token = conn.guest_token.take();
                    return (
                        Some(conn_id),
                        Some((conn_id, ServerMessage::Joined { id: *id, token })),
                    );
                }
                (None, None)
            }
            Event::ParticipantLeft { id } => {
                let mut fresh = None;
                for (cid, conn) in &mut self.conns {
                    if conn.actor == Actor::Participant(*id) {
                        let token = Secret::random(&mut rand::rng());
                        conn.actor = Actor::Guest { seat: token.hash() };
                        conn.guest_token = Some(token);
                        fresh = Some(*cid);
                    }
                }
                (fresh, None)
            }
            _ => (None, None),
        }
    }

    /// Closes the connections that the events shut out.
    fn shut_out(&mut self, events: &[Stamped]) {
        for stamped in events {
            match &stamped.event {
                Event::ParticipantRemoved { id } => {
                    self.close_where(
                        |actor| *actor == Actor::Participant(*id),
                        "The facilitator removed you from this room.",
                    );
                }
                Event::RoomEnded => self.close_where(|_| true, "The facilitator ended this room."),
                _ => {}
            }
        }
    }

    /// Tells everyone who is connected, when that changed.
    fn share_presence(&mut self) {
        let mut online: Vec<_> = self
            .conns
            .values()
            .filter_map(|c| match c.actor {
                Actor::Participant(id) => Some(id),
                _ => None,
            })
            .collect();
        online.sort_unstable();
        online.dedup();
        let presence = Presence {
            facilitator: self.conns.values().any(|c| c.actor == Actor::Facilitator),
            online,
        };
        if presence == self.presence {
            return;
        }
        self.presence = presence;
        let message = Outbound::message(&ServerMessage::Presence(self.presence.clone()));
        for conn in self.conns.values() {
            let _ = conn.out.send(message.clone());
        }
    }

    fn close_where(&mut self, shut: impl Fn(&Actor) -> bool, reason: &str) {
        let closing = encode(&ServerMessage::Closed {
            reason: reason.to_owned(),
        });
        self.conns.retain(|_, conn| {
            if shut(&conn.actor) {
                let _ = conn.out.send(Outbound::Close(closing.clone()));
                false
            } else {
                true
            }
        });
    }
}

/// What one connection is sent after a command: runs of events, and fresh
/// views where its view changed wholesale.
#[derive(Default)]
struct Outbox {
    messages: Vec<ServerMessage>,
    events: Vec<Stamped>,
}

impl Outbox {
    fn event(&mut self, event: Stamped) {
        self.events.push(event);
    }

    fn view(&mut self, welcome: ServerMessage) {
        // The fresh view includes every event before it.
        self.events.clear();
        self.messages.clear();
        self.messages.push(welcome);
    }

    fn finish(mut self) -> Vec<ServerMessage> {
        if !self.events.is_empty() {
            self.messages.push(ServerMessage::Events {
                events: self.events,
            });
        }
        self.messages
    }
}
