//! One room's live session: the connections open on it and the one path
//! from their commands to what each of them is sent. The server's room task
//! and the window that runs a room in a browser both hold a [`Session`],
//! store the events it decides and deliver its mail; neither decides
//! anything itself.
//!
//! A batch is decided in two steps, so that nothing is sent before it is
//! stored: [`Session::decide`] decides every command in order against the
//! live room and returns a [`Decision`] (the events and applied commands to
//! store, then the mail); the holder stores them and calls
//! [`Session::stored`], or, when the write failed, [`Session::unstored`],
//! which puts the room and its connections back and refuses the commands.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::ids::{SeatCode, Secret};
use crate::protocol::{CommandId, Credential, PROTOCOL_VERSION, Presence, ServerMessage, You};
use crate::room::{
    Action, Actor, Command, Event, ReadScenario, Rejection, Room, SEAT_CLAIM_TRIES,
    SEAT_CLAIM_WINDOW_MS, Stamped,
};

/// A connection's number within its session.
pub type ConnId = u64;

/// Events kept for reconnecting pages, which catch up event by event.
pub const HISTORY: usize = 512;

/// Applied commands remembered per sender, the latest: a reconnecting page
/// sends again only what was not answered yet, far fewer than this, so the
/// memory of a long room stays bounded.
pub const REMEMBERED_PER_SENDER: usize = 256;

/// Applied commands remembered for a learner who has left the room: the
/// repeats their page may still send are its last few commands.
pub const REMEMBERED_AFTER_LEAVING: usize = 8;

/// One sender's latest applied commands, oldest first: (id, the seq of its
/// last event). A list searched from its end rather than a map: a server
/// with thousands of senders keeps under half the memory, and a repeat
/// is nearly always one of the last few.
#[derive(Default)]
struct Remembered {
    latest: VecDeque<(u64, u64)>,
}

impl Remembered {
    fn insert(&mut self, id: u64, seq: u64) {
        if let Some(known) = self.latest.iter_mut().rev().find(|(known, _)| *known == id) {
            known.1 = seq;
            return;
        }
        // Room made before the push, so the list never grows past the bound.
        if self.latest.len() >= REMEMBERED_PER_SENDER {
            self.latest.pop_front();
        }
        self.latest.push_back((id, seq));
    }

    /// The seq an applied command's events ended at, if it is remembered.
    fn seq_of(&self, id: u64) -> Option<u64> {
        self.latest
            .iter()
            .rev()
            .find(|(known, _)| *known == id)
            .map(|&(_, seq)| seq)
    }

    fn len(&self) -> usize {
        self.latest.len()
    }

    /// Forgets all but the latest `n`.
    fn keep_latest(&mut self, n: usize) {
        let surplus = self.latest.len().saturating_sub(n);
        self.latest.drain(..surplus);
        self.latest.shrink_to_fit();
    }
}

/// Why a removed learner's page closes (they may join again).
pub const REMOVED: &str = "The facilitator removed you from this room. You may join it again.";
/// Why a learner's page closes when the facilitator removed them for good.
pub const REMOVED_FOR_GOOD: &str =
    "The facilitator removed you from this room, and you cannot join it again.";
/// Why the old device's page closes when its seat moved to another one.
pub const SEAT_MOVED: &str = "Your seat moved to another device. Carry on there; to bring it back to this one, ask the facilitator for a seat code.";
/// Why a console closes when the console moved to another device, or the
/// facilitator shut out every other console.
pub const CONSOLE_MOVED: &str = "This console moved to another device, or the facilitator shut out the other consoles: it no longer runs the room. To run it here again, make a move link on the console in use and open it here.";
/// Why a room view closes when the facilitator replaced its link.
pub const ROOM_VIEW_REPLACED: &str =
    "The facilitator replaced this room-view link: open the new one from the console.";

/// A command that was applied, remembered (and stored with its events) so
/// that the same command sent again is acknowledged, never applied twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// Who sent it, stable across reconnects (see [`Session::sender_key`]).
    pub sender: String,
    pub id: u64,
    /// The sequence number of its last event.
    pub seq: u64,
}

/// Messages for some connections, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Mail {
    pub to: Vec<ConnId>,
    pub messages: Vec<ServerMessage>,
}

/// What a batch of commands came to.
#[derive(Debug, Default)]
#[must_use = "store the events, then call Session::stored or Session::unstored"]
pub struct Decision {
    /// The events to store, in order.
    pub events: Vec<Stamped>,
    /// The commands to remember as applied (those that changed nothing
    /// too), stored in the same write.
    pub applied: Vec<Applied>,
    /// Answers (and `Joined`) to each sender; true for the answers that
    /// stand only once the decision is stored.
    answers: Vec<(ConnId, ServerMessage, bool)>,
    /// The news, grouped by identical content.
    news: Vec<Mail>,
    /// The connections as they were, should the write fail.
    undo: Undo,
}

/// What [`Session::unstored`] needs to put the connections back. The room
/// is not copied: it is folded again from `base` and `history`, which only
/// a stored decision changes, so a batch copies nothing of the room on the
/// way that every command takes.
#[derive(Debug, Default)]
struct Undo {
    /// Every connection as it was before the first event that changed who
    /// one is or shut one out (most batches have none).
    conns: Option<BTreeMap<ConnId, Conn>>,
    /// Each sending connection's last command id before the batch.
    last_commands: Vec<(ConnId, Option<CommandId>)>,
}

impl Decision {
    /// Whether there is anything to store: events, or commands to remember.
    pub fn needs_storing(&self) -> bool {
        !self.events.is_empty() || !self.applied.is_empty()
    }
}

/// What to send once a decision is stored: answers first, then the news,
/// then the connections to close with their last message.
#[derive(Debug, Default, PartialEq)]
pub struct Delivery {
    pub mail: Vec<Mail>,
    pub close: Vec<(ConnId, ServerMessage)>,
}

#[derive(Clone, Debug)]
struct Conn {
    actor: Actor,
    /// The token this guest gets if it joins, when the session made it
    /// (only its hash is in `actor`).
    guest_token: Option<Secret>,
    /// The last command id seen on this connection.
    last_command: Option<CommandId>,
    /// Shut out (its seat or its console moved to another device), with
    /// the reason: it is closed once that is stored, and takes no command
    /// meanwhile.
    shut: Option<&'static str>,
}

/// A room with the connections open on it.
pub struct Session {
    room: Room,
    conns: BTreeMap<ConnId, Conn>,
    next_conn: ConnId,
    /// Commands applied, each sender's latest: sender → command id → last
    /// event's seq.
    applied: HashMap<String, Remembered>,
    /// Presence last shared, so unchanged presence is not sent again.
    presence: Presence,
    /// The room before `history`, and the events since.
    base: Room,
    history: VecDeque<Stamped>,
    /// When wrong seat codes were tried, within the last
    /// [`SEAT_CLAIM_WINDOW_MS`] (not stored: a restart forgets them).
    wrong_claims: VecDeque<u64>,
}

impl Session {
    /// The session of a stored room: its log and the commands it applied.
    pub fn resume(
        log: &[Stamped],
        applied: impl IntoIterator<Item = Applied>,
    ) -> Result<Self, Rejection> {
        let room = Room::replay(log)?;
        let keep = log.len().saturating_sub(HISTORY).max(1);
        let base = Room::replay(&log[..keep])?;
        let mut remembered: HashMap<String, Remembered> = HashMap::new();
        for a in applied {
            remembered.entry(a.sender).or_default().insert(a.id, a.seq);
        }
        let mut session = Self {
            room,
            conns: BTreeMap::new(),
            next_conn: 1,
            applied: remembered,
            presence: Presence::default(),
            base,
            history: log[keep..].iter().cloned().collect(),
            wrong_claims: VecDeque::new(),
        };
        let departed: Vec<crate::ids::ParticipantId> = session
            .room
            .participants
            .iter()
            .filter(|p| !p.active)
            .map(|p| p.id)
            .collect();
        for id in departed {
            session.forget_departed(id);
        }
        Ok(session)
    }

    /// A learner left or was removed: only their last few commands stay
    /// remembered, so a room many people pass through keeps little of each.
    fn forget_departed(&mut self, id: crate::ids::ParticipantId) {
        let key = self.sender_key(&Actor::Participant(id));
        if let Some(remembered) = self.applied.get_mut(&key) {
            remembered.keep_latest(REMEMBERED_AFTER_LEAVING);
        }
    }

    /// The whole room, as stored.
    pub fn room(&self) -> &Room {
        &self.room
    }

    /// How many applied commands the session remembers, over all senders
    /// (each sender's latest [`REMEMBERED_PER_SENDER`]).
    pub fn remembered(&self) -> usize {
        self.applied.values().map(Remembered::len).sum()
    }

    /// Who connection `conn` is now.
    pub fn actor(&self, conn: ConnId) -> Option<&Actor> {
        self.conns.get(&conn).map(|c| &c.actor)
    }

    /// Opens a connection for a `credential` (none for someone who has not
    /// joined yet, who is given `fresh` if they join). A page that already
    /// holds the room up to `last_seq` gets only what it missed, when it can
    /// catch up by folding it. The mail welcomes it and tells everyone when
    /// presence changed.
    pub fn connect(
        &mut self,
        credential: Option<&Credential>,
        last_seq: Option<u64>,
        fresh: Secret,
    ) -> Result<(ConnId, Vec<Mail>), Rejection> {
        let actor = self.room.admit(credential, fresh.hash())?;
        let id = self.next_conn;
        self.next_conn += 1;
        let mut messages = Vec::new();
        match last_seq.and_then(|seq| self.missed_since(seq, &actor)) {
            Some(missed) => {
                messages.push(ServerMessage::Resumed {
                    you: You::from(&actor),
                });
                if !missed.is_empty() {
                    messages.push(ServerMessage::Events { events: missed });
                }
            }
            None => messages.push(self.welcome(&actor)),
        }
        self.conns.insert(
            id,
            Conn {
                actor,
                guest_token: credential.is_none().then_some(fresh),
                last_command: None,
                shut: None,
            },
        );
        let mut mail = vec![Mail {
            to: vec![id],
            messages,
        }];
        match self.presence_changed() {
            Some(everyone) => mail.push(everyone),
            // The newcomer needs presence even when it did not change.
            None => mail.push(Mail {
                to: vec![id],
                messages: vec![ServerMessage::Presence(self.presence.clone())],
            }),
        }
        Ok((id, mail))
    }

    /// Closes a connection; the mail tells everyone when presence changed.
    pub fn disconnect(&mut self, conn: ConnId) -> Vec<Mail> {
        self.conns.remove(&conn);
        self.presence_changed().into_iter().collect()
    }

    /// Decides a batch of commands, in order, against the live room: each
    /// command from its connection's actor, at time `at_ms`, with scenario
    /// files read by `read`. `fresh` makes the guest token of a connection
    /// whose learner left, and the secret a seat code is drawn from (the
    /// plain code goes only to its sender, in [`ServerMessage::SeatCode`]).
    /// Wrong seat codes are counted: after [`SEAT_CLAIM_TRIES`] within
    /// [`SEAT_CLAIM_WINDOW_MS`] the room takes no seat code until the
    /// oldest of them is that old. The room and connections move on at
    /// once (later commands of the batch see earlier ones); store the
    /// decision's events and applied commands, then call
    /// [`Session::stored`] or [`Session::unstored`].
    pub fn decide(
        &mut self,
        batch: impl IntoIterator<Item = (ConnId, CommandId, Command)>,
        at_ms: u64,
        read: ReadScenario<'_>,
        fresh: &mut dyn FnMut() -> Secret,
    ) -> Decision {
        let mut decision = Decision::default();
        let mut outboxes = Outboxes::default();
        for (conn_id, id, command) in batch {
            let Some(conn) = self.conns.get(&conn_id) else {
                continue;
            };
            if let Some(reason) = conn.shut {
                decision.answers.push((
                    conn_id,
                    ServerMessage::Rejected {
                        id: Some(id),
                        reason: reason.to_owned(),
                    },
                    false,
                ));
                continue;
            }
            let actor = conn.actor.clone();
            let last_command = conn.last_command;
            let sender = self.sender_key(&actor);
            if let Some(seq) = self.applied.get(&sender).and_then(|r| r.seq_of(id.0)) {
                decision
                    .answers
                    .push((conn_id, ServerMessage::Ack { id, seq }, false));
                continue;
            }
            // Sent twice within this batch: the answer stands or falls with
            // the first.
            if let Some(seq) = decision
                .applied
                .iter()
                .find(|a| a.sender == sender && a.id == id.0)
                .map(|a| a.seq)
            {
                decision
                    .answers
                    .push((conn_id, ServerMessage::Ack { id, seq }, true));
                continue;
            }
            if let Some(last) = last_command.filter(|last| id <= *last) {
                decision.answers.push((
                    conn_id,
                    ServerMessage::Rejected {
                        id: Some(id),
                        reason: format!(
                            "Command {} arrived after command {}: commands must be numbered in order. Reloading the page fixes this.",
                            id.0, last.0
                        ),
                    },
                    false,
                ));
                continue;
            }
            if let Some(conn) = self.conns.get_mut(&conn_id) {
                let undo = &mut decision.undo.last_commands;
                if !undo.iter().any(|(c, _)| *c == conn_id) {
                    undo.push((conn_id, last_command));
                }
                conn.last_command = Some(id);
            }
            let paused = match command {
                Command::ClaimSeat { .. } => self.claims_paused(&actor, at_ms),
                _ => None,
            };
            let issued = command.issues_secret().then(&mut *fresh);
            let decided = match paused {
                Some(minutes) => Err(Rejection::SeatClaimsPaused(minutes)),
                None => self
                    .room
                    .handle_issuing(&actor, &command, at_ms, read, issued.as_ref()),
            };
            if matches!(decided, Err(Rejection::WrongSeatCode)) {
                self.wrong_claims.push_back(at_ms);
            }
            let events = match decided {
                Ok(events) => events,
                Err(rejection) => {
                    decision.answers.push((
                        conn_id,
                        ServerMessage::Rejected {
                            id: Some(id),
                            reason: rejection.to_string(),
                        },
                        false,
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
                if let Some(joined) = self.follow(
                    conn_id,
                    &stamped,
                    &mut outboxes.each,
                    &mut decision.undo.conns,
                    fresh,
                ) {
                    decision.answers.push((conn_id, joined, true));
                }
                if let Some(secret) = &issued
                    && let Some(message) = issued_message(&stamped.event, secret)
                {
                    decision.answers.push((conn_id, message, true));
                }
                self.project(&stamped, &mut outboxes);
                decision.events.push(stamped);
            }
            // Remembered even when it changed nothing, so that sent again
            // after later commands it is not decided again out of order.
            decision.applied.push(Applied {
                sender,
                id: id.0,
                seq: self.room.seq,
            });
            decision.answers.push((
                conn_id,
                ServerMessage::Ack {
                    id,
                    seq: self.room.seq,
                },
                changed,
            ));
        }
        decision.news = self.news(outboxes);
        decision
    }

    /// The decision is stored: remember its commands and events, and say
    /// what to send. Connections the events shut out (a learner removed, a
    /// seat or the console moved away, a room-view link replaced) are
    /// closed after their last message.
    pub fn stored(&mut self, decision: Decision) -> Delivery {
        for a in &decision.applied {
            self.applied
                .entry(a.sender.clone())
                .or_default()
                .insert(a.id, a.seq);
        }
        for stamped in &decision.events {
            if let Event::ParticipantLeft { id } | Event::ParticipantRemoved { id, .. } =
                stamped.event
            {
                self.forget_departed(id);
            }
        }
        for event in &decision.events {
            self.history.push_back(event.clone());
            while self.history.len() > HISTORY {
                if let Some(old) = self.history.pop_front() {
                    self.base.apply(&old).expect("history applies in sequence");
                }
            }
        }
        let mut mail: Vec<Mail> = decision
            .answers
            .into_iter()
            .map(|(conn, message, _)| Mail {
                to: vec![conn],
                messages: vec![message],
            })
            .collect();
        mail.extend(decision.news);
        let close = self.shut_out(&decision.events);
        let seats_changed = decision.events.iter().any(|e| {
            matches!(
                e.event,
                Event::ParticipantJoined { .. }
                    | Event::ParticipantLeft { .. }
                    | Event::ParticipantRemoved { .. }
                    | Event::SeatMoved { .. }
                    | Event::ConsoleKeyRenewed { .. }
            )
        });
        if seats_changed {
            mail.extend(self.presence_changed());
        }
        Delivery { mail, close }
    }

    /// The decision could not be stored: the room and its connections go
    /// back to how they were, and every command that was accepted is refused
    /// with `reason` (repeats and refusals are answered as they were).
    pub fn unstored(&mut self, decision: Decision, reason: &str) -> Delivery {
        if !decision.events.is_empty() {
            let mut room = self.base.clone();
            for stamped in &self.history {
                room.apply(stamped).expect("history applies in sequence");
            }
            self.room = room;
        }
        // Connections that closed meanwhile stay closed.
        for (id, conn) in decision.undo.conns.into_iter().flatten() {
            if let Some(now) = self.conns.get_mut(&id) {
                *now = conn;
            }
        }
        for (id, last) in decision.undo.last_commands {
            if let Some(now) = self.conns.get_mut(&id) {
                now.last_command = last;
            }
        }
        let mail = decision
            .answers
            .into_iter()
            .filter_map(|(conn, message, only_if_stored)| {
                let message = match message {
                    ServerMessage::Ack { id, .. } if only_if_stored => ServerMessage::Rejected {
                        id: Some(id),
                        reason: reason.to_owned(),
                    },
                    _ if only_if_stored => return None,
                    other => other,
                };
                Some(Mail {
                    to: vec![conn],
                    messages: vec![message],
                })
            })
            .collect();
        Delivery {
            mail,
            close: Vec::new(),
        }
    }

    /// The key under which a sender's commands are remembered: stable across
    /// reconnects (a seat hash for learners and guests).
    pub fn sender_key(&self, actor: &Actor) -> String {
        match actor {
            Actor::Facilitator => "facilitator".to_owned(),
            Actor::RoomView => "room-view".to_owned(),
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

    /// For how many more minutes the room takes no seat code, when too
    /// many wrong ones were tried lately (asked only for someone who may
    /// claim a seat at all, so other refusals keep their own words).
    fn claims_paused(&mut self, actor: &Actor, at_ms: u64) -> Option<u64> {
        while self
            .wrong_claims
            .front()
            .is_some_and(|t| t.saturating_add(SEAT_CLAIM_WINDOW_MS) <= at_ms)
        {
            self.wrong_claims.pop_front();
        }
        let tries = self.wrong_claims.len();
        if tries < SEAT_CLAIM_TRIES || !self.room.may(actor, Action::ClaimSeat, at_ms) {
            return None;
        }
        let until = self.wrong_claims[tries - SEAT_CLAIM_TRIES] + SEAT_CLAIM_WINDOW_MS;
        Some(until.saturating_sub(at_ms).div_ceil(60_000).max(1))
    }

    fn welcome(&self, actor: &Actor) -> ServerMessage {
        ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            you: You::from(actor),
            room: self.room.view_for(actor),
        }
    }

    /// What an event just committed means for the connections: a guest
    /// that joined becomes that participant (its `Joined` is returned, to
    /// send with the answer); one who left is a guest again. Either needs a
    /// fresh view.
    fn follow(
        &mut self,
        conn_id: ConnId,
        stamped: &Stamped,
        outboxes: &mut BTreeMap<ConnId, Outbox>,
        undo: &mut Option<BTreeMap<ConnId, Conn>>,
        fresh: &mut dyn FnMut() -> Secret,
    ) -> Option<ServerMessage> {
        // Each arm that changes a connection keeps them all as they were
        // first, should the write fail.
        match &stamped.event {
            Event::ParticipantJoined { id, seat, .. } => {
                undo.get_or_insert_with(|| self.conns.clone());
                // Every page on that seat (two tabs sharing a token) is now
                // that participant; the sender is told, with the token when
                // the session made it.
                let mut joined = None;
                for (cid, conn) in &mut self.conns {
                    if !matches!(&conn.actor, Actor::Guest { seat: mine } if Some(mine) == seat.as_ref())
                    {
                        continue;
                    }
                    conn.actor = Actor::Participant(*id);
                    outboxes.entry(*cid).or_default().fresh = true;
                    if *cid == conn_id {
                        let token = conn.guest_token.take();
                        joined = Some(ServerMessage::Joined { id: *id, token });
                    }
                }
                joined
            }
            Event::SeatMoved {
                participant,
                seat: Some(seat),
            } => {
                undo.get_or_insert_with(|| self.conns.clone());
                // The old device's pages close once this is stored; every
                // page on the guest's seat is now that participant.
                for conn in self.conns.values_mut() {
                    if conn.actor == Actor::Participant(*participant) {
                        conn.shut = Some(SEAT_MOVED);
                    }
                }
                let mut joined = None;
                for (cid, conn) in &mut self.conns {
                    if !matches!(&conn.actor, Actor::Guest { seat: mine } if mine == seat) {
                        continue;
                    }
                    conn.actor = Actor::Participant(*participant);
                    outboxes.entry(*cid).or_default().fresh = true;
                    if *cid == conn_id {
                        let token = conn.guest_token.take();
                        joined = Some(ServerMessage::Joined {
                            id: *participant,
                            token,
                        });
                    }
                }
                joined
            }
            Event::ConsoleKeyRenewed { .. } => {
                undo.get_or_insert_with(|| self.conns.clone());
                // The page that was issued the key runs the console; every
                // other console is shut out once this is stored.
                for (cid, conn) in &mut self.conns {
                    if *cid == conn_id {
                        if conn.actor != Actor::Facilitator {
                            conn.actor = Actor::Facilitator;
                            outboxes.entry(*cid).or_default().fresh = true;
                        }
                    } else if conn.actor == Actor::Facilitator {
                        conn.shut = Some(CONSOLE_MOVED);
                    }
                }
                None
            }
            Event::ParticipantLeft { id } => {
                undo.get_or_insert_with(|| self.conns.clone());
                for (cid, conn) in &mut self.conns {
                    if conn.actor == Actor::Participant(*id) {
                        let token = fresh();
                        conn.actor = Actor::Guest { seat: token.hash() };
                        conn.guest_token = Some(token);
                        outboxes.entry(*cid).or_default().fresh = true;
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// Queues an event just committed for every connection, as its person
    /// may see it, or marks that the person needs a fresh view.
    fn project(&self, stamped: &Stamped, outboxes: &mut Outboxes) {
        let Outboxes { events, each } = outboxes;
        let first = events.len();
        // The projection depends only on who one is: work it out once each,
        // and keep each distinct one once (most people see the same).
        let mut projected: HashMap<You, Option<usize>> = HashMap::with_capacity(self.conns.len());
        for (cid, conn) in &self.conns {
            if conn.shut.is_some() {
                continue;
            }
            let outbox = each.entry(*cid).or_default();
            if outbox.fresh {
                continue;
            }
            let event = *projected.entry(You::from(&conn.actor)).or_insert_with(|| {
                if self.room.refreshes(&stamped.event, &conn.actor) {
                    return None;
                }
                let event = stamped.redacted_for(&conn.actor, &self.room);
                let known = events[first..].iter().position(|e| *e == event);
                Some(known.map_or_else(
                    || {
                        events.push(event);
                        events.len() - 1
                    },
                    |at| first + at,
                ))
            });
            match event {
                Some(event) => outbox.events.push(event),
                None => {
                    outbox.fresh = true;
                    outbox.events.clear();
                }
            }
        }
    }

    /// Each connection's outbox as messages (a fresh view of the room as it
    /// is now covers every event before it), grouped by identical content.
    fn news(&self, outboxes: Outboxes) -> Vec<Mail> {
        /// What a group of connections is sent: a fresh view for who they
        /// are (a view depends on nothing else), or the same events.
        #[derive(PartialEq)]
        enum Content {
            Fresh(You),
            Events(Vec<usize>),
        }
        let mut groups: Vec<(Content, Vec<ConnId>)> = Vec::new();
        for (cid, outbox) in outboxes.each {
            let Some(conn) = self.conns.get(&cid).filter(|c| c.shut.is_none()) else {
                continue;
            };
            let content = if outbox.fresh {
                Content::Fresh(You::from(&conn.actor))
            } else if outbox.events.is_empty() {
                continue;
            } else {
                Content::Events(outbox.events)
            };
            match groups.iter_mut().find(|(same, _)| *same == content) {
                Some((_, to)) => to.push(cid),
                None => groups.push((content, vec![cid])),
            }
        }
        groups
            .into_iter()
            .map(|(content, to)| {
                let message = match content {
                    Content::Fresh(_) => {
                        let conn = &self.conns[&to[0]];
                        self.welcome(&conn.actor)
                    }
                    Content::Events(events) => ServerMessage::Events {
                        events: events.iter().map(|&i| outboxes.events[i].clone()).collect(),
                    },
                };
                Mail {
                    to,
                    messages: vec![message],
                }
            })
            .collect()
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
                | (Event::ParticipantRemoved { id, .. }, Actor::Participant(me))
                | (
                    Event::SeatMoved {
                        participant: id, ..
                    },
                    Actor::Participant(me),
                ) => id == me,
                _ => false,
            };
            if about_me || room.refreshes(&stamped.event, actor) {
                return None;
            }
            missed.push(stamped.redacted_for(actor, &room));
        }
        Some(missed)
    }

    /// Removes the connections that the events shut out, with the message
    /// each is closed with: a removed learner's pages (who may join again
    /// unless removed for good), the room views on a replaced link, and the
    /// pages marked shut (the old device's pages of a seat or a console that
    /// moved). Ending the room closes nothing: every screen keeps the
    /// debrief, read-only.
    fn shut_out(&mut self, events: &[Stamped]) -> Vec<(ConnId, ServerMessage)> {
        let mut closed = Vec::new();
        let mut close = |cid: ConnId, reason: &str, rejoin: bool| {
            closed.push((
                cid,
                ServerMessage::Closed {
                    reason: reason.to_owned(),
                    rejoin,
                },
            ));
        };
        for stamped in events {
            let (reason, rejoin) = match &stamped.event {
                Event::ParticipantRemoved { block: false, .. } => (REMOVED, true),
                Event::ParticipantRemoved { block: true, .. } => (REMOVED_FOR_GOOD, false),
                Event::RoomViewKeyRenewed { .. } => (ROOM_VIEW_REPLACED, false),
                _ => continue,
            };
            self.conns.retain(|cid, conn| {
                let out = match &stamped.event {
                    Event::ParticipantRemoved { id, .. } => conn.actor == Actor::Participant(*id),
                    _ => conn.actor == Actor::RoomView,
                };
                if out {
                    close(*cid, reason, rejoin);
                }
                !out
            });
        }
        self.conns.retain(|cid, conn| match conn.shut {
            Some(reason) => {
                close(*cid, reason, false);
                false
            }
            None => true,
        });
        closed
    }

    /// Presence for everyone, when it changed since it was last shared.
    fn presence_changed(&mut self) -> Option<Mail> {
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
            return None;
        }
        self.presence = presence;
        Some(Mail {
            to: self.conns.keys().copied().collect(),
            messages: vec![ServerMessage::Presence(self.presence.clone())],
        })
    }
}

/// The answer, to the sender only, that carries the plain secret a command
/// was issued (only its hash is in `event`).
fn issued_message(event: &Event, secret: &Secret) -> Option<ServerMessage> {
    match event {
        Event::SeatCodeIssued {
            participant,
            expires_ms,
            ..
        } => Some(ServerMessage::SeatCode {
            participant: *participant,
            code: SeatCode::from_secret(secret).grouped(),
            expires_ms: *expires_ms,
        }),
        Event::ConsoleMoveOffered { expires_ms, .. } => Some(ServerMessage::ConsoleMoveOffered {
            code: secret.clone(),
            expires_ms: *expires_ms,
        }),
        Event::ConsoleKeyRenewed { .. } => Some(ServerMessage::ConsoleKey {
            key: secret.clone(),
        }),
        _ => None,
    }
}

/// What the connections are sent after a batch.
#[derive(Default)]
struct Outboxes {
    /// Every distinct projection of the batch's events, once.
    events: Vec<Stamped>,
    each: BTreeMap<ConnId, Outbox>,
}

/// What one connection is sent after a batch: events (indices into
/// [`Outboxes::events`]), or a fresh view.
#[derive(Default)]
struct Outbox {
    fresh: bool,
    events: Vec<usize>,
}
