//! Live rooms. Each room is one task that owns its [`Session`] and
//! serialises every command: the core decides → persist → acknowledge →
//! broadcast. The task only stores and delivers what the session returns.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::ws::Utf8Bytes;
use futures_util::FutureExt;
use riskroom_core::room::Limits;
use riskroom_core::session::{ConnId, Mail, Session};
use riskroom_core::{
    Command, CommandId, Credential, Room, RoomCode, Secret, ServerMessage, Stamped,
};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::error::Error;
use crate::outbox::Outbox;
use crate::store::{Store, StoreError};
use crate::work::Costly;

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

    /// Bytes this holds in a connection's queue.
    pub fn bytes(&self) -> usize {
        match self {
            Outbound::Text(text) | Outbound::Close(text) => text.len(),
        }
    }
}

pub fn encode(msg: &ServerMessage) -> Utf8Bytes {
    serde_json::to_string(msg)
        .expect("server messages always serialize")
        .into()
}

/// A request to a room task.
pub enum RoomMsg {
    Connect {
        credential: Option<Credential>,
        last_seq: Option<u64>,
        out: Outbox,
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

/// A connection's answer from a room task that has ended (idle, or after a
/// fault): the room is loaded again and asked once more.
pub const ROOM_CLOSING: &str = "This room is closing.";

/// Where to send requests for one room.
#[derive(Clone)]
pub struct RoomMailbox {
    tx: mpsc::UnboundedSender<RoomMsg>,
}

impl RoomMailbox {
    /// Joins the room's stream; the Welcome (or Rejected) goes to `out`.
    pub async fn connect(
        &self,
        credential: Option<Credential>,
        last_seq: Option<u64>,
        out: Outbox,
    ) -> Result<ConnId, String> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(RoomMsg::Connect {
                credential,
                last_seq,
                out,
                reply,
            })
            .map_err(|_| ROOM_CLOSING.to_owned())?;
        answer
            .await
            .unwrap_or_else(|_| Err(ROOM_CLOSING.to_owned()))
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
    live: Live,
    limits: Limits,
    /// Where scenario files sent to a room are read.
    costly: Arc<Costly>,
    /// How long a room nobody is connected to stays in memory.
    idle: Duration,
    /// Where learning records point, when they are kept for an LRS.
    records: Option<Arc<riskroom_core::record::Site>>,
}

/// The rooms in memory: each one's task removes itself when it goes idle.
type Live = Arc<Mutex<HashMap<RoomCode, RoomMailbox>>>;

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl Rooms {
    pub fn new(
        store: Arc<Store>,
        limits: Limits,
        costly: Arc<Costly>,
        idle: Duration,
        records: Option<riskroom_core::record::Site>,
    ) -> Self {
        Self {
            store,
            live: Arc::new(Mutex::new(HashMap::new())),
            limits,
            costly,
            idle,
            records: records.map(Arc::new),
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
                event: Room::opening_with(code.clone(), title, &key, self.limits)
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
    pub async fn get(&self, code: &RoomCode) -> Result<Option<RoomMailbox>, Error> {
        let mut live = self.live.lock().await;
        if let Some(handle) = live.get(code) {
            if !handle.tx.is_closed() {
                return Ok(Some(handle.clone()));
            }
            // The room's task has stopped: load the room afresh.
            tracing::error!(room = %code, "room task stopped; loading the room again");
            live.remove(code);
        }
        let store = Arc::clone(&self.store);
        let log = {
            let code = code.clone();
            tokio::task::spawn_blocking(move || store.load(&code))
                .await
                .map_err(|e| Error::Internal(e.into()))??
        };
        let Some(log) = log else { return Ok(None) };
        let store = Arc::clone(&self.store);
        let applied = {
            let code = code.clone();
            tokio::task::spawn_blocking(move || store.commands(&code))
                .await
                .map_err(|e| Error::Internal(e.into()))??
        };
        let session = Session::resume(&log, applied)
            .map_err(|e| Error::Internal(anyhow::anyhow!("room {code} does not replay: {e}")))?;
        let (tx, rx) = mpsc::unbounded_channel();
        let handle = RoomMailbox { tx };
        crate::metrics::METRICS.rooms.inc();
        tokio::spawn(
            RoomTask {
                code: code.clone(),
                session,
                store: Arc::clone(&self.store),
                costly: Arc::clone(&self.costly),
                outs: HashMap::new(),
                live: Arc::clone(&self.live),
                idle: self.idle,
                records: self.records.clone(),
                decided: None,
                alone: None,
            }
            .run(rx),
        );
        live.insert(code.clone(), handle.clone());
        Ok(Some(handle))
    }
}

/// Most commands decided and stored together.
const BATCH: usize = 64;

/// The shortest time between two decisions of one room. A room whose
/// people send faster than this decides what arrived meanwhile together:
/// one write to the store, and one message of events to each person
/// instead of one per command; a quiet room decides each command at once.
/// Every message costs the server a system call and both ends a trip
/// through TCP, whatever it holds, so a busy server spends its time on
/// them. At 300 rooms of 30 people renaming once a second, 25 ms already
/// took the messages from about two million in 20 s to 1.1 million; 40 ms
/// weighs the fan-out's p99 of those rooms against one room of 1,000
/// (BENCHMARKS.md, "Server load"). Waiting gathers several people's
/// commands, so a command from the one person whose commands alone made
/// the last batch (a console clicking through, a page sending what it
/// queued while offline) is decided at once.
const DECIDE_EVERY: Duration = Duration::from_millis(40);

/// One room's task: the room's [`Session`] and where each of its
/// connections' messages go.
struct RoomTask {
    code: RoomCode,
    session: Session,
    store: Arc<Store>,
    costly: Arc<Costly>,
    outs: HashMap<ConnId, Outbox>,
    /// The registry, to leave when idle.
    live: Live,
    idle: Duration,
    records: Option<Arc<riskroom_core::record::Site>>,
    /// When the room last took a batch of commands to decide.
    decided: Option<tokio::time::Instant>,
    /// The connection that sent every command of the last batch, if one did.
    alone: Option<ConnId>,
}

/// What a room's people are told when a fault on the server stopped it.
pub const ROOM_FAULT: &str = "This room stopped because of a fault on the server and is being \
     restarted. Reload the page in a moment to carry on: every change that was saved is kept.";

impl RoomTask {
    /// Handles the room's requests until every sender has gone, or until
    /// handling one panics: then the room's connections are closed with
    /// [`ROOM_FAULT`] and the task ends, so the next connection loads the
    /// room afresh from its stored log ([`Rooms::get`]) instead of going on
    /// with a session the panic may have left half-changed. Other rooms'
    /// tasks never see it.
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<RoomMsg>) {
        let mut waiting: Option<RoomMsg> = None;
        loop {
            let msg = match waiting.take() {
                Some(msg) => msg,
                None if self.outs.is_empty() => {
                    match tokio::time::timeout(self.idle, rx.recv()).await {
                        Ok(Some(msg)) => msg,
                        Ok(None) => break,
                        Err(_) if self.leave_if_idle(&rx).await => break,
                        Err(_) => continue,
                    }
                }
                None => match rx.recv().await {
                    Some(msg) => msg,
                    None => break,
                },
            };
            // Nothing of the session is used after a panic (the task ends),
            // so whatever state the panic left it in is never seen.
            let handled = AssertUnwindSafe(self.handle(msg, &mut rx, &mut waiting))
                .catch_unwind()
                .await;
            if let Err(panic) = handled {
                self.fault(&*panic);
                crate::metrics::METRICS.room_faults.inc();
                break;
            }
        }
        crate::metrics::METRICS.rooms.dec();
    }

    /// Nobody has been connected for the idle time: unless a request
    /// arrived meanwhile, the room leaves the registry (under its lock, so
    /// nobody is handed this task's mailbox after) and its task ends; the
    /// next person loads it again from the store. A request sent to a
    /// mailbox taken before is refused as closing, and asked again.
    async fn leave_if_idle(&self, rx: &mpsc::UnboundedReceiver<RoomMsg>) -> bool {
        let mut live = self.live.lock().await;
        if !rx.is_empty() {
            return false;
        }
        live.remove(&self.code);
        tracing::debug!(room = %self.code, "room idle: let go from memory");
        true
    }

    /// After a panic: logs it and closes every connection with the reason.
    fn fault(&mut self, panic: &(dyn std::any::Any + Send)) {
        let message = panic
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        tracing::error!(
            room = %self.code,
            connections = self.outs.len(),
            panic = message,
            "room task panicked; its connections are closed and the room will be loaded again from the store"
        );
        let last = encode(&ServerMessage::Closed {
            reason: ROOM_FAULT.to_owned(),
            rejoin: true,
        });
        for (_, out) in self.outs.drain() {
            out.send(Outbound::Close(last.clone()));
        }
    }

    /// One request; commands already waiting are taken with it as a batch.
    async fn handle(
        &mut self,
        msg: RoomMsg,
        rx: &mut mpsc::UnboundedReceiver<RoomMsg>,
        waiting: &mut Option<RoomMsg>,
    ) {
        match msg {
            RoomMsg::Connect {
                credential,
                last_seq,
                out,
                reply,
            } => {
                let fresh = Secret::random(&mut rand::rng());
                match self.session.connect(credential.as_ref(), last_seq, fresh) {
                    Ok((conn, mail)) => {
                        self.outs.insert(conn, out);
                        self.send(mail);
                        let _ = reply.send(Ok(conn));
                    }
                    Err(rejection) => {
                        let _ = reply.send(Err(rejection.to_string()));
                    }
                }
            }
            RoomMsg::Command { conn, id, command } => {
                if self.alone != Some(conn)
                    && let Some(next) = self.decided.map(|at| at + DECIDE_EVERY)
                    && tokio::time::Instant::now() < next
                {
                    tokio::time::sleep_until(next).await;
                }
                self.decided = Some(tokio::time::Instant::now());
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
                            *waiting = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                self.alone = batch
                    .iter()
                    .all(|(sender, _, _)| *sender == conn)
                    .then_some(conn);
                self.commands(batch).await;
            }
            RoomMsg::Disconnect { conn } => {
                self.outs.remove(&conn);
                let mail = self.session.disconnect(conn);
                self.send(mail);
            }
        }
    }

    /// Decides a batch with the core, stores what it decided, then sends
    /// what the core says: validate → persist → acknowledge → broadcast.
    async fn commands(&mut self, batch: Vec<(ConnId, CommandId, Command)>) {
        crate::metrics::METRICS.commands.inc_by(batch.len() as u64);
        // Scenario files are read first, on the blocking pool: a file's
        // size is the sender's choice, and this task runs on a worker
        // every other room shares.
        let mut read = Vec::new();
        for (_, _, command) in &batch {
            if let Command::ChooseScenario { file, text } = command {
                let outcome = self
                    .costly
                    .parse(file.clone(), text.clone())
                    .await
                    .unwrap_or_else(|_| {
                        Err(riskroom_core::scenario::ScenarioErrors(vec![
                            riskroom_core::scenario::ScenarioError {
                                file: file.clone(),
                                path: "(file)".into(),
                                line: None,
                                reason: "reading this file took too long; try a smaller file"
                                    .into(),
                            },
                        ]))
                    });
                read.push((file.clone(), text.clone(), outcome));
            }
        }
        let reader = |file: &str, text: &str| {
            read.iter()
                .find(|(f, t, _)| f == file && t == text)
                .map_or_else(
                    || riskroom_core::scenario::parse(file, text),
                    |(_, _, outcome)| outcome.clone(),
                )
        };
        #[cfg(all(feature = "fault-injection", debug_assertions))]
        fault_injection::strike(self.session.room(), &batch);
        let decision = self.session.decide(batch, now_ms(), &reader, &mut || {
            Secret::random(&mut rand::rng())
        });
        let delivery = if !decision.needs_storing() {
            self.session.stored(decision)
        } else {
            // The learning records these events make, kept with them.
            let statements = self.records.as_deref().map_or_else(Vec::new, |site| {
                riskroom_core::record::statements(self.session.room(), &decision.events, site)
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            });
            let written = self
                .store
                .append_durably(
                    &self.code,
                    decision.events.clone(),
                    decision.applied.clone(),
                    statements,
                )
                .await;
            match written {
                Ok(()) => self.session.stored(decision),
                Err(e) => {
                    tracing::error!(room = %self.code, error = %e, "could not store events");
                    self.session.unstored(
                        decision,
                        "The server could not save this change. Please try again.",
                    )
                }
            }
        };
        self.send(delivery.mail);
        for (conn, last) in delivery.close {
            if let Some(out) = self.outs.remove(&conn) {
                out.send(Outbound::Close(encode(&last)));
            }
        }
    }

    /// Sends mail, encoding each message once however many receive it.
    fn send(&self, mail: Vec<Mail>) {
        for Mail { to, messages } in mail {
            for message in &messages {
                let text = encode(message);
                for conn in &to {
                    if let Some(out) = self.outs.get(conn) {
                        // A connection that fell behind is closed by its
                        // writer and then disconnects from the room.
                        out.send(Outbound::Text(text.clone()));
                    }
                }
            }
        }
    }
}

/// A panic only a test build can set off, to prove that one room's fault
/// stays in that room (`tests/faults.rs`). Compiled only into debug builds
/// with the `fault-injection` feature (the server's own tests turn it on),
/// and armed only by `RISKROOM_FAULT_INJECTION`, the title of the room to
/// strike.
#[cfg(all(feature = "fault-injection", debug_assertions))]
mod fault_injection {
    use riskroom_core::session::ConnId;
    use riskroom_core::{Command, CommandId, Room};

    /// The name that, joining the armed room, panics its task.
    pub const TRIGGER: &str = "Trigger the fault";

    pub fn strike(room: &Room, batch: &[(ConnId, CommandId, Command)]) {
        let armed = std::env::var("RISKROOM_FAULT_INJECTION").ok();
        if armed.as_deref() != Some(room.title.as_str()) {
            return;
        }
        if batch
            .iter()
            .any(|(_, _, c)| matches!(c, Command::Join { name } if name == TRIGGER))
        {
            panic!("fault injected into room {}", room.code);
        }
    }
}
