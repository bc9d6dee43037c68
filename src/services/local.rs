//! A room run with no server: its event log lives in this browser's
//! `localStorage`, and every window of the browser that holds the room (the
//! console, the room view on the projector, learner tabs) decides commands
//! with the same core code the server runs, then tells the other windows
//! over a `BroadcastChannel` so each folds the new events as its own person
//! may see them. A scenario file is read by the core's parser in the
//! scenario reader's worker (`reader.rs`) before its command is decided.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::{Rc, Weak};

use gloo_storage::{LocalStorage, Storage};
use gloo_timers::callback::Timeout;
use riskroom_core::protocol::{Presence, You};
use riskroom_core::room::Limits;
use riskroom_core::scenario::{Scenario, ScenarioError, ScenarioErrors};
use riskroom_core::{
    Actor, ClientMessage, Command, CommandId, Event, PROTOCOL_VERSION, ParticipantId, Room,
    RoomCode, Secret, ServerMessage, Stamped,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BroadcastChannel, MessageEvent};
use yew::Callback;

use super::reader;
use super::transport::Transport;
use crate::error::UserError;
use crate::state::LinkStatus;

fn log_slot(code: &RoomCode) -> String {
    format!("riskroom.local.log.{code}")
}

fn channel_name(code: &RoomCode) -> String {
    format!("riskroom.local.{code}")
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Whether this browser runs the room `code` itself (it keeps its log).
pub fn holds(code: &RoomCode) -> bool {
    raw_log(code).is_some()
}

fn raw_log(code: &RoomCode) -> Option<String> {
    LocalStorage::raw().get_item(&log_slot(code)).ok().flatten()
}

fn load_log(code: &RoomCode) -> Option<Vec<Stamped>> {
    serde_json::from_str(&raw_log(code)?).ok()
}

fn save_log(code: &RoomCode, log: &[Stamped]) -> Result<(), UserError> {
    let text = serde_json::to_string(log).expect("events always serialize");
    LocalStorage::raw()
        .set_item(&log_slot(code), &text)
        .map_err(|_| {
            UserError(
                "This browser could not save the change: its storage for this site is full or turned off."
                    .into(),
            )
        })
}

/// Random numbers from the browser's cryptographic generator, for the
/// core's own code and key makers.
struct BrowserRng;

impl rand::RngCore for BrowserRng {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0u8; 4];
        self.fill_bytes(&mut bytes);
        u32::from_le_bytes(bytes)
    }

    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        self.fill_bytes(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let crypto = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .expect("the browser's cryptographic generator");
        // The browser gives at most 64 KiB per call.
        for chunk in dest.chunks_mut(65_536) {
            crypto
                .get_random_values_with_u8_array(chunk)
                .expect("random bytes from the browser");
        }
    }
}

/// Opens a new room kept in this browser; returns its code and the
/// facilitator key.
pub fn create_room(title: &str) -> Result<(RoomCode, Secret), UserError> {
    let mut rng = BrowserRng;
    let key = Secret::random(&mut rng);
    let code = loop {
        let code = RoomCode::random(&mut rng);
        if !holds(&code) {
            break code;
        }
    };
    let opening = Stamped {
        seq: 1,
        at_ms: now_ms(),
        event: Room::opening_with(code.clone(), title, key.hash(), Limits::default())?,
    };
    save_log(&code, &[opening])?;
    Ok((code, key))
}

/// What windows of one room tell each other.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
enum Signal {
    /// The log grew by these events. They travel with the news because
    /// another window's copy of `localStorage` may not show them yet.
    Changed { events: Vec<Stamped> },
    /// A window has the room open as this person.
    Here {
        window: String,
        facilitator: bool,
        participant: Option<ParticipantId>,
    },
    /// A window closed.
    Gone { window: String },
    /// A window just opened and asks who else is here.
    Who,
}

riskroom_core::tagged_serde!(Signal, "kind");

enum Out {
    Message(ServerMessage),
    Status(LinkStatus),
}

/// What this window is sent after some events: runs of events, or a fresh
/// view where its view changed wholesale (as the server's outbox does).
#[derive(Default)]
struct Outbox {
    view: bool,
    events: Vec<Stamped>,
    /// Sent before the events (a `Joined`), or after them (a `Closed`).
    before: Vec<ServerMessage>,
    after: Vec<ServerMessage>,
}

struct Inner {
    code: RoomCode,
    window: String,
    hello: Box<dyn Fn() -> ClientMessage>,
    on_message: Callback<ServerMessage>,
    on_status: Callback<LinkStatus>,
    /// The whole log and its fold, as of the last event this window took in.
    log: Vec<Stamped>,
    room: Option<Room>,
    /// Who this window is; None until welcomed and after it closed.
    actor: Option<Actor>,
    /// The seat a guest takes if it joins (it brought no token of its own).
    guest_token: Option<Secret>,
    /// Commands already applied, by id, with the seq of their last event.
    done: BTreeMap<u64, u64>,
    /// Other windows on the room, and who they are.
    peers: BTreeMap<String, (bool, Option<ParticipantId>)>,
    presence: Option<Presence>,
    queue: VecDeque<Out>,
    flush: Option<Timeout>,
    channel: Option<BroadcastChannel>,
    listener: Option<Closure<dyn FnMut(MessageEvent)>>,
    unload: Option<Closure<dyn FnMut()>>,
    stopped: bool,
    /// Commands waiting their turn: while a scenario file is read (in the
    /// reader's worker), the commands sent after it wait, so every command
    /// is decided in the order it was sent.
    pending: VecDeque<(CommandId, Command)>,
    reading: bool,
}

/// The [`Transport`] of a room this browser runs itself.
pub struct LocalLink {
    inner: Rc<RefCell<Inner>>,
}

impl LocalLink {
    /// Opens the room; `hello` gives the credential, read afresh at each welcome.
    pub fn open(
        code: RoomCode,
        hello: impl Fn() -> ClientMessage + 'static,
        on_message: Callback<ServerMessage>,
        on_status: Callback<LinkStatus>,
    ) -> Self {
        let window = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
        let inner = Rc::new(RefCell::new(Inner {
            code,
            window,
            hello: Box::new(hello),
            on_message,
            on_status,
            log: Vec::new(),
            room: None,
            actor: None,
            guest_token: None,
            done: BTreeMap::new(),
            peers: BTreeMap::new(),
            presence: None,
            queue: VecDeque::new(),
            flush: None,
            channel: None,
            listener: None,
            unload: None,
            stopped: false,
            pending: VecDeque::new(),
            reading: false,
        }));
        listen(&inner);
        welcome(&inner);
        post(&inner, &Signal::Who);
        announce(&inner);
        share_presence(&inner);
        schedule(&inner);
        Self { inner }
    }
}

impl Transport for LocalLink {
    fn send(&self, message: &ClientMessage) -> Result<(), UserError> {
        let ClientMessage::Command { id, command } = message else {
            return Ok(());
        };
        {
            let inner = self.inner.borrow();
            if inner.stopped || inner.actor.is_none() {
                return Err(UserError("This room is closed on this device.".into()));
            }
        }
        self.inner
            .borrow_mut()
            .pending
            .push_back((*id, command.clone()));
        pump(&self.inner);
        Ok(())
    }

    fn resync(&self) {
        welcome(&self.inner);
        announce(&self.inner);
        share_presence(&self.inner);
        schedule(&self.inner);
    }

    fn close(&self) {
        let window = self.inner.borrow().window.clone();
        post(&self.inner, &Signal::Gone { window });
        let mut inner = self.inner.borrow_mut();
        inner.stopped = true;
        inner.flush = None;
        inner.queue.clear();
        if let Some(channel) = inner.channel.take() {
            channel.set_onmessage(None);
            channel.close();
        }
        inner.listener = None;
        if let (Some(unload), Some(window)) = (inner.unload.take(), web_sys::window()) {
            let _ = window
                .remove_event_listener_with_callback("pagehide", unload.as_ref().unchecked_ref());
        }
    }
}

impl Drop for LocalLink {
    fn drop(&mut self) {
        self.close();
    }
}

fn listen(rc: &Rc<RefCell<Inner>>) {
    let name = channel_name(&rc.borrow().code);
    let Ok(channel) = BroadcastChannel::new(&name) else {
        return;
    };
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(rc) = weak.upgrade() else { return };
        let Some(signal) = event
            .data()
            .as_string()
            .and_then(|text| serde_json::from_str::<Signal>(&text).ok())
        else {
            return;
        };
        heard(&rc, signal);
    });
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    // A closing page says goodbye, so the others stop showing it online.
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    let unload = Closure::<dyn FnMut()>::new(move || {
        if let Some(rc) = weak.upgrade() {
            let window = rc.borrow().window.clone();
            post(&rc, &Signal::Gone { window });
        }
    });
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("pagehide", unload.as_ref().unchecked_ref());
    }
    let mut inner = rc.borrow_mut();
    inner.channel = Some(channel);
    inner.listener = Some(listener);
    inner.unload = Some(unload);
}

fn heard(rc: &Rc<RefCell<Inner>>, signal: Signal) {
    if rc.borrow().stopped {
        return;
    }
    match signal {
        Signal::Changed { events } => catch_up(rc, events),
        Signal::Here {
            window,
            facilitator,
            participant,
        } => {
            rc.borrow_mut()
                .peers
                .insert(window, (facilitator, participant));
        }
        Signal::Gone { window } => {
            rc.borrow_mut().peers.remove(&window);
        }
        Signal::Who => announce(rc),
    }
    share_presence(rc);
    schedule(rc);
}

fn post(rc: &Rc<RefCell<Inner>>, signal: &Signal) {
    let inner = rc.borrow();
    if let Some(channel) = &inner.channel {
        let text = serde_json::to_string(signal).expect("signals serialize");
        let _ = channel.post_message(&text.into());
    }
}

/// Tells the other windows who this one is.
fn announce(rc: &Rc<RefCell<Inner>>) {
    let signal = {
        let inner = rc.borrow();
        let (facilitator, participant) = who(inner.actor.as_ref());
        Signal::Here {
            window: inner.window.clone(),
            facilitator,
            participant,
        }
    };
    post(rc, &signal);
}

fn who(actor: Option<&Actor>) -> (bool, Option<ParticipantId>) {
    match actor {
        Some(Actor::Facilitator) => (true, None),
        Some(Actor::Participant(id)) => (false, Some(*id)),
        _ => (false, None),
    }
}

/// Queues the room's presence for this window when it changed.
fn share_presence(rc: &Rc<RefCell<Inner>>) {
    let mut inner = rc.borrow_mut();
    if inner.actor.is_none() {
        return;
    }
    let mine = who(inner.actor.as_ref());
    let mut facilitator = mine.0;
    let mut online: Vec<ParticipantId> = mine.1.into_iter().collect();
    for (f, p) in inner.peers.values() {
        facilitator |= f;
        online.extend(p);
    }
    online.sort_unstable();
    online.dedup();
    let presence = Presence {
        facilitator,
        online,
    };
    if inner.presence.as_ref() != Some(&presence) {
        inner.presence = Some(presence.clone());
        inner
            .queue
            .push_back(Out::Message(ServerMessage::Presence(presence)));
    }
}

/// Answers the hello: replays the stored log and admits this window's
/// credential, as the server does for a new connection.
fn welcome(rc: &Rc<RefCell<Inner>>) {
    let mut inner = rc.borrow_mut();
    let credential = match (inner.hello)() {
        ClientMessage::Hello { credential, .. } => credential,
        ClientMessage::Command { .. } => None,
    };
    let Some(log) = load_log(&inner.code) else {
        return refuse(
            &mut inner,
            "This room is no longer kept in this browser, so it cannot be opened here.".into(),
        );
    };
    let room = match Room::replay(&log) {
        Ok(room) => room,
        Err(_) => {
            return refuse(
                &mut inner,
                "The room saved in this browser cannot be read any more.".into(),
            );
        }
    };
    let token = Secret::random(&mut BrowserRng);
    let actor = match room.admit(credential.as_ref(), token.hash()) {
        Ok(actor) => actor,
        Err(rejection) => return refuse(&mut inner, rejection.to_string()),
    };
    inner.guest_token = credential.is_none().then_some(token);
    inner.queue.push_back(Out::Status(LinkStatus::Live));
    inner.queue.push_back(Out::Message(ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        you: You::from(&actor),
        room: room.view_for(&actor),
    }));
    inner.actor = Some(actor);
    inner.log = log;
    inner.room = Some(room);
}

fn refuse(inner: &mut Inner, reason: String) {
    inner.actor = None;
    inner.stopped = true;
    inner.queue.push_back(Out::Message(ServerMessage::Rejected {
        id: None,
        reason: reason.clone(),
    }));
    inner
        .queue
        .push_back(Out::Status(LinkStatus::Closed(reason)));
}

/// Folds what other windows added to the log since this one last looked
/// (the stored log, or `news` heard from them when this window's copy of the
/// storage lags behind), and queues it for this window's person.
fn catch_up(rc: &Rc<RefCell<Inner>>, news: Vec<Stamped>) {
    let mut inner = rc.borrow_mut();
    if inner.actor.is_none() {
        return;
    }
    let stored = load_log(&inner.code).unwrap_or_default();
    let seen = inner.log.len();
    let mut new: Vec<Stamped> = Vec::new();
    if stored.len() > seen {
        // The log only grows; a different event where ours ends means it was
        // replaced: start afresh.
        let same = |a: &Stamped, b: &Stamped| a.seq == b.seq && a.at_ms == b.at_ms;
        if seen > 0 && !same(&stored[seen - 1], &inner.log[seen - 1]) {
            drop(inner);
            return welcome(rc);
        }
        new.extend_from_slice(&stored[seen..]);
    }
    for stamped in news {
        if stamped.seq == (seen + new.len()) as u64 + 1 {
            new.push(stamped);
        }
    }
    if new.is_empty() {
        return;
    }
    let mut outbox = Outbox::default();
    for stamped in &new {
        let folded = match inner.room.as_mut() {
            Some(room) => room.apply(stamped).is_ok(),
            None => false,
        };
        if !folded {
            drop(inner);
            return welcome(rc);
        }
        project(&mut inner, stamped, false, &mut outbox);
        inner.log.push(stamped.clone());
    }
    deliver(&mut inner, outbox, None);
}

/// Decides the waiting commands in order. A scenario file is read by the
/// reader's worker first; the commands behind it wait for its verdict.
fn pump(rc: &Rc<RefCell<Inner>>) {
    loop {
        let next = {
            let mut inner = rc.borrow_mut();
            if inner.reading || inner.stopped {
                break;
            }
            inner.pending.pop_front()
        };
        let Some((id, command)) = next else { break };
        if let Command::ChooseScenario { file, text } = &command {
            rc.borrow_mut().reading = true;
            let weak = Rc::downgrade(rc);
            let (file, text) = (file.clone(), text.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let verdict = reader::read(&file, &text).await;
                let Some(rc) = weak.upgrade() else { return };
                rc.borrow_mut().reading = false;
                match verdict {
                    Ok(verdict) => decide(&rc, id, &command, Some(&verdict)),
                    Err(trouble) => {
                        rc.borrow_mut()
                            .queue
                            .push_back(Out::Message(ServerMessage::Rejected {
                                id: Some(id),
                                reason: trouble.0,
                            }))
                    }
                }
                pump(&rc);
            });
            break;
        }
        decide(rc, id, &command, None);
    }
    schedule(rc);
}

/// Decides one command of this window against the latest log, stores its
/// events, answers, and tells the other windows: validate → persist →
/// acknowledge → broadcast, as on the server. `read` is the reader's
/// verdict on the scenario file of a `ChooseScenario`.
fn decide(
    rc: &Rc<RefCell<Inner>>,
    id: CommandId,
    command: &Command,
    read: Option<&Result<Scenario, ScenarioErrors>>,
) {
    catch_up(rc, Vec::new());
    let mut inner = rc.borrow_mut();
    // A command sent again after a fresh view is acknowledged again.
    if let Some(seq) = inner.done.get(&id.0).copied() {
        inner
            .queue
            .push_back(Out::Message(ServerMessage::Ack { id, seq }));
        return;
    }
    let (Some(actor), Some(room)) = (inner.actor.clone(), inner.room.clone()) else {
        return;
    };
    let at_ms = now_ms();
    let read_file = |file: &str, _: &str| {
        read.cloned().unwrap_or_else(|| {
            Err(ScenarioErrors(vec![ScenarioError {
                file: file.to_owned(),
                path: String::new(),
                line: None,
                reason: "the file was not read".into(),
            }]))
        })
    };
    let events = match room.handle_reading(&actor, command, at_ms, &read_file) {
        Ok(events) => events,
        Err(rejection) => {
            inner.queue.push_back(Out::Message(ServerMessage::Rejected {
                id: Some(id),
                reason: rejection.to_string(),
            }));
            return;
        }
    };
    if events.is_empty() {
        inner
            .queue
            .push_back(Out::Message(ServerMessage::Ack { id, seq: room.seq }));
        return;
    }
    let (before_actor, before_token) = (inner.actor.clone(), inner.guest_token.clone());
    let mut room = room;
    let mut log = inner.log.clone();
    let mut outbox = Outbox::default();
    for event in events {
        let stamped = room
            .commit(event, at_ms)
            .expect("events from handle apply in sequence");
        inner.room = Some(room.clone());
        project(&mut inner, &stamped, true, &mut outbox);
        log.push(stamped);
    }
    if let Err(e) = save_log(&inner.code, &log) {
        inner.actor = before_actor;
        inner.guest_token = before_token;
        inner.room = Room::replay(&inner.log).ok();
        inner.queue.push_back(Out::Message(ServerMessage::Rejected {
            id: Some(id),
            reason: e.0,
        }));
        return;
    }
    inner.done.insert(id.0, room.seq);
    let events = log[inner.log.len()..].to_vec();
    inner.log = log;
    let ack = ServerMessage::Ack { id, seq: room.seq };
    deliver(&mut inner, outbox, Some(ack));
    drop(inner);
    post(rc, &Signal::Changed { events });
    announce(rc);
    share_presence(rc);
}

/// What one just-folded event means for this window: the server's
/// `after_applied` for its connection, then the event as this person may see
/// it, or a fresh view.
fn project(inner: &mut Inner, stamped: &Stamped, own: bool, outbox: &mut Outbox) {
    let Some(actor) = inner.actor.clone() else {
        return;
    };
    let mut fresh = false;
    match &stamped.event {
        Event::ParticipantJoined { id, seat, .. } if own => {
            if matches!(&actor, Actor::Guest { seat: mine } if Some(mine) == seat.as_ref()) {
                inner.actor = Some(Actor::Participant(*id));
                let token = inner.guest_token.take();
                outbox.before.push(ServerMessage::Joined { id: *id, token });
                fresh = true;
            }
        }
        Event::ParticipantLeft { id } if actor == Actor::Participant(*id) => {
            let token = Secret::random(&mut BrowserRng);
            inner.actor = Some(Actor::Guest { seat: token.hash() });
            inner.guest_token = Some(token);
            fresh = true;
        }
        Event::ParticipantRemoved { id } if actor == Actor::Participant(*id) => {
            outbox.after.push(ServerMessage::Closed {
                reason: "The facilitator removed you from this room.".into(),
            });
        }
        Event::RoomEnded => outbox.after.push(ServerMessage::Closed {
            reason: "The facilitator ended this room.".into(),
        }),
        _ => {}
    }
    let (Some(actor), Some(room)) = (inner.actor.as_ref(), inner.room.as_ref()) else {
        return;
    };
    if fresh || room.refreshes(&stamped.event, actor) {
        // The fresh view includes every event before it.
        outbox.view = true;
        outbox.events.clear();
    } else {
        outbox.events.push(stamped.redacted_for(actor, room));
    }
}

/// Queues an outbox: what goes first (a `Joined`), the answer, then the
/// room's news, and last a closing.
fn deliver(inner: &mut Inner, outbox: Outbox, answer: Option<ServerMessage>) {
    let Outbox {
        view,
        events,
        before,
        after,
    } = outbox;
    for message in before.into_iter().chain(answer) {
        inner.queue.push_back(Out::Message(message));
    }
    if let (true, Some(actor), Some(room)) = (view, inner.actor.as_ref(), inner.room.as_ref()) {
        let welcome = ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            you: You::from(actor),
            room: room.view_for(actor),
        };
        inner.queue.push_back(Out::Message(welcome));
    }
    if !events.is_empty() {
        inner
            .queue
            .push_back(Out::Message(ServerMessage::Events { events }));
    }
    if !after.is_empty() {
        inner.actor = None;
        inner.stopped = true;
        for message in after {
            inner.queue.push_back(Out::Message(message));
        }
    }
}

/// Delivers what is queued on a later turn of the event loop, so the page's
/// reducer is never entered from inside its own `send`.
fn schedule(rc: &Rc<RefCell<Inner>>) {
    let mut inner = rc.borrow_mut();
    if inner.flush.is_some() || inner.queue.is_empty() {
        return;
    }
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    inner.flush = Some(Timeout::new(0, move || {
        let Some(rc) = weak.upgrade() else { return };
        let (queue, on_message, on_status) = {
            let mut inner = rc.borrow_mut();
            inner.flush = None;
            (
                std::mem::take(&mut inner.queue),
                inner.on_message.clone(),
                inner.on_status.clone(),
            )
        };
        for out in queue {
            match out {
                Out::Message(message) => on_message.emit(message),
                Out::Status(status) => on_status.emit(status),
            }
        }
        schedule(&rc);
    }));
}
