//! The host: the one window that decides for a room run in this browser.
//! It holds the core's `Session`, as the server's room task does: every
//! window's hello and commands reach it over the room's channel, it
//! decides them in order, writes the log, and only then sends each window
//! its mail — validate → persist → acknowledge → broadcast.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use riskroom_core::scenario::{Scenario, ScenarioError, ScenarioErrors};
use riskroom_core::session::{ConnId, Delivery, Session};
use riskroom_core::{ClientMessage, Command, CommandId, RoomCode, Secret, ServerMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BroadcastChannel, MessageEvent};

use super::storage::{self, BrowserRng, Kept};
use super::{Signal, channel_name, heard, post};
use crate::services::reader;

/// How long a host whose copy of the log is behind waits before reading it
/// again (another window's last write has not reached this one yet).
const STALE_RETRY_MS: u32 = 100;
/// Reads before a host stops waiting for a log that never arrives (a
/// window that says it saw more than was ever stored gets a fresh view).
const STALE_TRIES: u32 = 20;

struct Inner {
    code: RoomCode,
    session: Session,
    kept: Kept,
    /// Links by name, and names by connection.
    links: BTreeMap<String, ConnId>,
    names: BTreeMap<ConnId, String>,
    /// Commands waiting their turn: while a scenario file is read (in the
    /// reader's worker), the commands after it wait, so every command is
    /// decided in the order it arrived.
    queue: VecDeque<(ConnId, CommandId, Command)>,
    reading: bool,
    /// This window's copy of the log is older than what a window has seen:
    /// nothing is decided until it has caught up.
    behind: Option<Timeout>,
    tries: u32,
    /// Counts reloads: connection numbers from before one mean nothing.
    generation: u64,
    channel: BroadcastChannel,
    listener: Option<Closure<dyn FnMut(MessageEvent)>>,
    stopped: bool,
}

/// Hosting, for as long as it lives.
pub struct Host {
    inner: Rc<RefCell<Inner>>,
}

impl Drop for Host {
    fn drop(&mut self) {
        let mut inner = self.inner.borrow_mut();
        inner.stopped = true;
        inner.behind = None;
        inner.channel.set_onmessage(None);
        inner.channel.close();
        inner.listener = None;
    }
}

fn resume(code: &RoomCode) -> Result<(Session, Kept), String> {
    let kept = storage::load(code).ok_or_else(|| {
        "This room is no longer kept in this browser, so it cannot be opened here.".to_owned()
    })?;
    let session = Session::resume(&kept.log, kept.applied.iter().cloned())
        .map_err(|_| "The room saved in this browser cannot be read any more.".to_owned())?;
    Ok((session, kept))
}

impl Host {
    /// Reads the stored room and starts deciding for it; every window is
    /// asked to say hello again.
    pub fn start(code: RoomCode) -> Result<Self, String> {
        let (session, kept) = resume(&code)?;
        let channel = BroadcastChannel::new(&channel_name(&code))
            .map_err(|_| "This browser cannot share a room between its windows.".to_owned())?;
        let inner = Rc::new(RefCell::new(Inner {
            code,
            session,
            kept,
            links: BTreeMap::new(),
            names: BTreeMap::new(),
            queue: VecDeque::new(),
            reading: false,
            behind: None,
            tries: 0,
            generation: 0,
            channel,
            listener: None,
            stopped: false,
        }));
        let weak = Rc::downgrade(&inner);
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let (Some(rc), Some(signal)) = (weak.upgrade(), heard(&event)) else {
                return;
            };
            if rc.borrow().stopped {
                return;
            }
            match signal {
                Signal::Hello { link, hello } => hello_from(&rc, link, &hello),
                Signal::Command { link, id, command } => {
                    let conn = rc.borrow().links.get(&link).copied();
                    match conn {
                        Some(conn) => {
                            rc.borrow_mut().queue.push_back((conn, id, command));
                            pump(&rc);
                        }
                        // A link this host does not know (it said goodbye,
                        // then came back) says hello again, then sends
                        // whatever was not answered.
                        None => post(&rc.borrow().channel, &Signal::HelloAgain { link }),
                    }
                }
                Signal::Bye { link } => bye(&rc, &link),
                Signal::Mail { .. } | Signal::HostReady | Signal::HelloAgain { .. } => {}
            }
        });
        {
            let mut i = inner.borrow_mut();
            i.channel
                .set_onmessage(Some(listener.as_ref().unchecked_ref()));
            i.listener = Some(listener);
            post(&i.channel, &Signal::HostReady);
        }
        Ok(Self { inner })
    }
}

fn hello_from(rc: &Rc<RefCell<Inner>>, link: String, hello: &ClientMessage) {
    let ClientMessage::Hello {
        credential,
        last_seq,
        ..
    } = hello
    else {
        return;
    };
    let ahead = |rc: &Rc<RefCell<Inner>>| {
        let inner = rc.borrow();
        inner.tries < STALE_TRIES && last_seq.is_some_and(|seq| seq > inner.session.room().seq)
    };
    if ahead(rc) {
        // That window has seen events this one's copy does not hold yet.
        catch_up(rc);
        if ahead(rc) {
            return; // it says hello again shortly
        }
    }
    let mut delivery = Delivery::default();
    let mut inner = rc.borrow_mut();
    if let Some(old) = inner.links.remove(&link) {
        inner.names.remove(&old);
        delivery.mail.extend(inner.session.disconnect(old));
    }
    let fresh = Secret::random(&mut BrowserRng);
    match inner.session.connect(credential.as_ref(), *last_seq, fresh) {
        Ok((conn, mail)) => {
            inner.links.insert(link.clone(), conn);
            inner.names.insert(conn, link);
            delivery.mail.extend(mail);
            deliver(&mut inner, delivery);
        }
        Err(rejection) => {
            deliver(&mut inner, delivery);
            post(
                &inner.channel,
                &Signal::Mail {
                    to: vec![link],
                    messages: vec![ServerMessage::Rejected {
                        id: None,
                        reason: rejection.to_string(),
                    }],
                    close: true,
                },
            );
        }
    }
}

fn bye(rc: &Rc<RefCell<Inner>>, link: &str) {
    let mut inner = rc.borrow_mut();
    if let Some(conn) = inner.links.remove(link) {
        inner.names.remove(&conn);
        let mail = inner.session.disconnect(conn);
        deliver(
            &mut inner,
            Delivery {
                mail,
                close: Vec::new(),
            },
        );
    }
}

/// Reads the stored room again when it holds more than this window's copy
/// (possible just after this window took over, before the last host's
/// writes reached it: it is the only writer since), and asks every window
/// to say hello again. Returns whether it did.
fn reload(rc: &Rc<RefCell<Inner>>) -> bool {
    let code = rc.borrow().code.clone();
    let Ok((session, kept)) = resume(&code) else {
        return false;
    };
    let mut inner = rc.borrow_mut();
    if session.room().seq <= inner.session.room().seq {
        return false;
    }
    inner.tries = 0;
    inner.generation += 1;
    inner.session = session;
    inner.kept = kept;
    inner.links.clear();
    inner.names.clear();
    inner.queue.clear();
    inner.behind = None;
    post(&inner.channel, &Signal::HostReady);
    true
}

/// [`reload`] now, or again shortly (a bounded number of times) while
/// nothing is decided; the commands waiting meanwhile are decided after.
fn catch_up(rc: &Rc<RefCell<Inner>>) {
    if reload(rc) {
        return;
    }
    let mut inner = rc.borrow_mut();
    if inner.behind.is_none() && inner.tries < STALE_TRIES {
        inner.tries += 1;
        let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
        inner.behind = Some(Timeout::new(STALE_RETRY_MS, move || {
            if let Some(rc) = weak.upgrade() {
                rc.borrow_mut().behind = None;
                catch_up(&rc);
                pump(&rc);
            }
        }));
    }
}

/// Decides the waiting commands in order: runs of ordinary commands
/// together; a scenario file is read by the reader's worker first, and the
/// commands behind it wait for its verdict.
fn pump(rc: &Rc<RefCell<Inner>>) {
    loop {
        let mut inner = rc.borrow_mut();
        if inner.reading || inner.stopped || inner.behind.is_some() || inner.queue.is_empty() {
            return;
        }
        if matches!(
            inner.queue.front(),
            Some((_, _, Command::ChooseScenario { .. }))
        ) {
            let Some((conn, id, command)) = inner.queue.pop_front() else {
                return;
            };
            let Command::ChooseScenario { file, text } = &command else {
                return;
            };
            let (file, text) = (file.clone(), text.clone());
            inner.reading = true;
            let generation = inner.generation;
            drop(inner);
            let weak = Rc::downgrade(rc);
            wasm_bindgen_futures::spawn_local(async move {
                let verdict = reader::read(&file, &text).await;
                let Some(rc) = weak.upgrade() else { return };
                rc.borrow_mut().reading = false;
                // Connections are numbered afresh after a reload: this
                // command's page says hello again and sends it again.
                if rc.borrow().generation != generation {
                    pump(&rc);
                    return;
                }
                match verdict {
                    Ok(verdict) => decide(&rc, vec![(conn, id, command)], Some(&verdict)),
                    Err(trouble) => {
                        let inner = rc.borrow();
                        if let Some(name) = inner.names.get(&conn) {
                            post(
                                &inner.channel,
                                &Signal::Mail {
                                    to: vec![name.clone()],
                                    messages: vec![ServerMessage::Rejected {
                                        id: Some(id),
                                        reason: trouble.0,
                                    }],
                                    close: false,
                                },
                            );
                        }
                    }
                }
                pump(&rc);
            });
            return;
        }
        if inner.tries < STALE_TRIES && storage::stored_seq(&inner.code) > inner.session.room().seq
        {
            drop(inner);
            catch_up(rc);
            continue;
        }
        let mut batch = Vec::new();
        while let Some(next) = inner.queue.front() {
            if matches!(next.2, Command::ChooseScenario { .. }) {
                break;
            }
            batch.extend(inner.queue.pop_front());
        }
        drop(inner);
        decide(rc, batch, None);
    }
}

/// Decides a batch with the core, writes what it decided, then sends what
/// the core says. `read` is the reader's verdict on the scenario file of a
/// `ChooseScenario`.
fn decide(
    rc: &Rc<RefCell<Inner>>,
    batch: Vec<(ConnId, CommandId, Command)>,
    read: Option<&Result<Scenario, ScenarioErrors>>,
) {
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
    let mut guard = rc.borrow_mut();
    let inner = &mut *guard;
    let before = inner.session.room().seq;
    let decision = inner
        .session
        .decide(batch, storage::now_ms(), &read_file, &mut || {
            Secret::random(&mut BrowserRng)
        });
    if decision.needs_storing() && storage::stored_seq(&inner.code) > before {
        // Another window wrote after this one's copy was read: never write
        // over it. Take the stored room; every page says hello again and
        // sends again what was not answered.
        let refused = inner.session.unstored(
            decision,
            "This window's copy of the room was out of date. Please try again.",
        );
        drop(guard);
        if !reload(rc) {
            let mut inner = rc.borrow_mut();
            deliver(&mut inner, refused);
        }
        return;
    }
    let delivery = if !decision.needs_storing() {
        inner.session.stored(decision)
    } else {
        let (events, applied) = (inner.kept.log.len(), inner.kept.applied.len());
        inner.kept.log.extend(decision.events.iter().cloned());
        inner.kept.applied.extend(decision.applied.iter().cloned());
        match storage::save(&inner.code, &inner.kept) {
            Ok(()) => inner.session.stored(decision),
            Err(trouble) => {
                inner.kept.log.truncate(events);
                inner.kept.applied.truncate(applied);
                inner.session.unstored(decision, &trouble.0)
            }
        }
    };
    deliver(inner, delivery);
}

/// Posts a delivery to the windows it names: mail in order, then the last
/// message of each connection the core closed.
fn deliver(inner: &mut Inner, delivery: Delivery) {
    for mail in delivery.mail {
        let to: Vec<String> = mail
            .to
            .iter()
            .filter_map(|conn| inner.names.get(conn).cloned())
            .collect();
        if !to.is_empty() {
            post(
                &inner.channel,
                &Signal::Mail {
                    to,
                    messages: mail.messages,
                    close: false,
                },
            );
        }
    }
    for (conn, last) in delivery.close {
        if let Some(name) = inner.names.remove(&conn) {
            inner.links.remove(&name);
            post(
                &inner.channel,
                &Signal::Mail {
                    to: vec![name],
                    messages: vec![last],
                    close: true,
                },
            );
        }
    }
}
