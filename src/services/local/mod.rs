//! A room run with no server: its log lives in this browser's
//! `localStorage`, and one window at a time decides — the **host**, chosen
//! with the Web Locks API. Every window that shows the room (the console,
//! the room view, learner tabs) is a [`LocalLink`]: it says hello and sends
//! its commands to the host over a `BroadcastChannel`, and receives the
//! host's mail, exactly as a page talks to the server. The host holds the
//! core's `Session`, as the server's room task does, and is the only
//! window that writes the log. When the host's window closes, the lock
//! passes to another window, which reads the stored log, becomes the host
//! and asks every window to say hello again; commands not yet answered are
//! sent again with the same ids, and the stored record of applied commands
//! answers a repeat without applying it twice.

mod host;
mod storage;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Interval;
use riskroom_core::{ClientMessage, Command, CommandId, RoomCode, ServerMessage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};
use yew::Callback;

pub use storage::{create_room, holds};

use super::transport::Transport;
use crate::error::UserError;
use crate::state::LinkStatus;

fn channel_name(code: &RoomCode) -> String {
    format!("riskroom.local.{code}")
}

fn lock_name(code: &RoomCode) -> String {
    format!("riskroom.local.host.{code}")
}

/// How often a window that has not been welcomed says hello again.
const HELLO_AGAIN_MS: u32 = 1_500;

/// What the windows of one room tell each other.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
enum Signal {
    /// A link to the host: its hello (at opening, and again after a new
    /// host took over).
    Hello { link: String, hello: ClientMessage },
    /// A link to the host: a command.
    Command {
        link: String,
        id: CommandId,
        command: Command,
    },
    /// A link to the host: this link is going away.
    Bye { link: String },
    /// The host to links: messages for them, in order; with `close`, the
    /// last they will get.
    Mail {
        to: Vec<String>,
        messages: Vec<ServerMessage>,
        close: bool,
    },
    /// A window has just become the host: every link says hello again.
    HostReady,
    /// The host to one link it does not know: say hello again.
    HelloAgain { link: String },
}

riskroom_core::tagged_serde!(Signal, "kind");

fn post(channel: &BroadcastChannel, signal: &Signal) {
    let text = serde_json::to_string(signal).expect("signals serialize");
    let _ = channel.post_message(&text.into());
}

fn heard(event: &MessageEvent) -> Option<Signal> {
    serde_json::from_str(&event.data().as_string()?).ok()
}

struct Inner {
    code: RoomCode,
    /// This link's name among the room's windows.
    link: String,
    hello: Box<dyn Fn() -> ClientMessage>,
    on_message: Callback<ServerMessage>,
    on_status: Callback<LinkStatus>,
    channel: Option<BroadcastChannel>,
    listener: Option<Closure<dyn FnMut(MessageEvent)>>,
    unload: Option<Closure<dyn FnMut()>>,
    /// Says hello again until welcomed.
    knocking: Option<Interval>,
    welcomed: bool,
    stopped: bool,
    /// The host, while this window is it.
    host: Option<host::Host>,
    /// Resolving it gives up the host's lock.
    release: Option<js_sys::Function>,
    on_granted: Option<Closure<dyn FnMut(JsValue) -> js_sys::Promise>>,
    /// Withdraws the request for the lock when the link closes first.
    abort: Option<web_sys::AbortController>,
    /// Says hello again when the page comes back from the back-forward
    /// cache (it said goodbye when it went).
    on_show: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

/// The [`Transport`] of a room this browser runs itself.
pub struct LocalLink {
    inner: Rc<RefCell<Inner>>,
}

impl LocalLink {
    /// Opens the room; `hello` gives the credential and the last event
    /// seen, read afresh at each hello.
    pub fn open(
        code: RoomCode,
        hello: impl Fn() -> ClientMessage + 'static,
        on_message: Callback<ServerMessage>,
        on_status: Callback<LinkStatus>,
    ) -> Self {
        let link = format!("{:x}", (js_sys::Math::random() * 9e15) as u64);
        let inner = Rc::new(RefCell::new(Inner {
            code,
            link,
            hello: Box::new(hello),
            on_message,
            on_status,
            channel: None,
            listener: None,
            unload: None,
            knocking: None,
            welcomed: false,
            stopped: false,
            host: None,
            release: None,
            on_granted: None,
            abort: None,
            on_show: None,
        }));
        listen(&inner);
        if let Err(reason) = ask_to_host(&inner) {
            stop(&inner, reason);
            return Self { inner };
        }
        say_hello(&inner);
        Self { inner }
    }
}

impl Transport for LocalLink {
    fn send(&self, message: &ClientMessage) -> Result<(), UserError> {
        let ClientMessage::Command { id, command } = message else {
            return Ok(());
        };
        let inner = self.inner.borrow();
        if inner.stopped {
            return Err(UserError("This room is closed on this device.".into()));
        }
        let channel = inner
            .channel
            .as_ref()
            .filter(|_| inner.welcomed)
            .ok_or_else(|| UserError("Connecting to the room…".into()))?;
        post(
            channel,
            &Signal::Command {
                link: inner.link.clone(),
                id: *id,
                command: command.clone(),
            },
        );
        Ok(())
    }

    fn resync(&self) {
        self.inner.borrow_mut().welcomed = false;
        say_hello(&self.inner);
    }

    fn close(&self) {
        let mut inner = self.inner.borrow_mut();
        if let Some(channel) = &inner.channel {
            post(
                channel,
                &Signal::Bye {
                    link: inner.link.clone(),
                },
            );
        }
        inner.stopped = true;
        inner.knocking = None;
        if let Some(channel) = inner.channel.take() {
            channel.set_onmessage(None);
            channel.close();
        }
        inner.listener = None;
        if let (Some(unload), Some(window)) = (inner.unload.take(), web_sys::window()) {
            let _ = window
                .remove_event_listener_with_callback("pagehide", unload.as_ref().unchecked_ref());
        }
        if let (Some(on_show), Some(window)) = (inner.on_show.take(), web_sys::window()) {
            let _ = window
                .remove_event_listener_with_callback("pageshow", on_show.as_ref().unchecked_ref());
        }
        // Stop hosting, then let another window take over.
        inner.host = None;
        if let Some(release) = inner.release.take() {
            let _ = release.call0(&JsValue::NULL);
        }
        if let Some(abort) = inner.abort.take() {
            abort.abort();
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
        let (Some(rc), Some(signal)) = (weak.upgrade(), heard(&event)) else {
            return;
        };
        match signal {
            Signal::Mail {
                to,
                messages,
                close,
            } => {
                let me = rc.borrow().link.clone();
                if to.contains(&me) {
                    receive(&rc, messages, close);
                }
            }
            Signal::HostReady => {
                rc.borrow_mut().welcomed = false;
                say_hello(&rc);
            }
            Signal::HelloAgain { link } => {
                if link == rc.borrow().link {
                    rc.borrow_mut().welcomed = false;
                    say_hello(&rc);
                }
            }
            Signal::Hello { .. } | Signal::Command { .. } | Signal::Bye { .. } => {}
        }
    });
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    // A closing page says goodbye, so the others stop showing it online.
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    let unload = Closure::<dyn FnMut()>::new(move || {
        if let Some(rc) = weak.upgrade() {
            let inner = rc.borrow();
            if let Some(channel) = &inner.channel {
                post(
                    channel,
                    &Signal::Bye {
                        link: inner.link.clone(),
                    },
                );
            }
        }
    });
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    let on_show = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let persisted = js_sys::Reflect::get(&event, &"persisted".into())
            .ok()
            .and_then(|p| p.as_bool())
            .unwrap_or(false);
        if let (true, Some(rc)) = (persisted, weak.upgrade()) {
            rc.borrow_mut().welcomed = false;
            say_hello(&rc);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("pagehide", unload.as_ref().unchecked_ref());
        let _ =
            window.add_event_listener_with_callback("pageshow", on_show.as_ref().unchecked_ref());
    }
    let mut inner = rc.borrow_mut();
    inner.channel = Some(channel);
    inner.listener = Some(listener);
    inner.unload = Some(unload);
    inner.on_show = Some(on_show);
}

/// Sends this link's hello to whichever window hosts, and again every so
/// often until it is welcomed (the host may be starting, or taking over).
fn say_hello(rc: &Rc<RefCell<Inner>>) {
    if rc.borrow().stopped {
        return;
    }
    let send = |rc: &Rc<RefCell<Inner>>| {
        let inner = rc.borrow();
        if inner.stopped || inner.welcomed {
            return;
        }
        if let Some(channel) = &inner.channel {
            post(
                channel,
                &Signal::Hello {
                    link: inner.link.clone(),
                    hello: (inner.hello)(),
                },
            );
        }
    };
    send(rc);
    let weak = Rc::downgrade(rc);
    let knocking = Interval::new(HELLO_AGAIN_MS, move || {
        if let Some(rc) = weak.upgrade() {
            send(&rc);
        }
    });
    rc.borrow_mut().knocking = Some(knocking);
}

/// The host's mail for this link.
fn receive(rc: &Rc<RefCell<Inner>>, messages: Vec<ServerMessage>, close: bool) {
    let (on_message, on_status) = {
        let inner = rc.borrow();
        if inner.stopped {
            return;
        }
        (inner.on_message.clone(), inner.on_status.clone())
    };
    for message in messages {
        match &message {
            ServerMessage::Welcome { .. } | ServerMessage::Resumed { .. } => {
                let mut inner = rc.borrow_mut();
                inner.welcomed = true;
                inner.knocking = None;
                drop(inner);
                on_status.emit(LinkStatus::Live);
            }
            ServerMessage::Rejected { id: None, reason } if close => {
                let reason = reason.clone();
                on_message.emit(message);
                stop(rc, reason);
                return;
            }
            _ => {}
        }
        on_message.emit(message);
    }
    if close {
        let mut inner = rc.borrow_mut();
        inner.stopped = true;
        inner.knocking = None;
    }
}

/// Stops for good, telling the page why.
fn stop(rc: &Rc<RefCell<Inner>>, reason: String) {
    let on_status = {
        let mut inner = rc.borrow_mut();
        inner.stopped = true;
        inner.knocking = None;
        inner.on_status.clone()
    };
    on_status.emit(LinkStatus::Closed(reason));
}

/// Asks for the room's host lock; when it is granted (at once, or when the
/// window holding it goes away) this window becomes the host and keeps the
/// lock until its link closes.
fn ask_to_host(rc: &Rc<RefCell<Inner>>) -> Result<(), String> {
    let unsupported = || {
        "This browser cannot run a room without a server: open Riskroom from https:// or \
         localhost in a current browser, or run it with its server."
            .to_owned()
    };
    let navigator = web_sys::window().ok_or_else(unsupported)?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).map_err(|_| unsupported())?;
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|r| r.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(unsupported)?;
    let weak = Rc::downgrade(rc);
    let on_granted = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |_lock| {
        let mut release = None;
        // Held until resolved: the lock stays this window's until then.
        let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
        match weak.upgrade() {
            Some(rc) if !rc.borrow().stopped => {
                rc.borrow_mut().release = release;
                become_host(&rc);
            }
            _ => {
                if let Some(release) = release {
                    let _ = release.call0(&JsValue::NULL);
                }
            }
        }
        held
    });
    let name = lock_name(&rc.borrow().code);
    let abort = web_sys::AbortController::new().map_err(|_| unsupported())?;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"signal".into(), &abort.signal()).map_err(|_| unsupported())?;
    let requested = request
        .call3(
            &locks,
            &name.into(),
            &options,
            on_granted.as_ref().unchecked_ref(),
        )
        .map_err(|_| unsupported())?;
    // A request withdrawn when the link closes ends in an abort error,
    // expected and nothing to report.
    if let Ok(requested) = requested.dyn_into::<js_sys::Promise>() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(requested).await;
        });
    }
    let mut inner = rc.borrow_mut();
    inner.on_granted = Some(on_granted);
    inner.abort = Some(abort);
    Ok(())
}

fn become_host(rc: &Rc<RefCell<Inner>>) {
    let code = rc.borrow().code.clone();
    match host::Host::start(code) {
        Ok(host) => rc.borrow_mut().host = Some(host),
        Err(reason) => {
            // Every other window will find the same, in turn.
            if let Some(release) = rc.borrow_mut().release.take() {
                let _ = release.call0(&JsValue::NULL);
            }
            stop(rc, reason);
        }
    }
}
