//! The live link to a room. Pages talk to a [`Transport`] and never know
//! what carries it (`link::open_link` chooses); [`SocketLink`] is the
//! WebSocket to the server, which says hello with the current credential,
//! and reconnects with backoff when the network or the server drops, until
//! the server closes the room for good.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use riskroom_core::{ClientMessage, ServerMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};
use yew::Callback;

use crate::error::UserError;
use crate::state::LinkStatus;

/// The seam between pages and whatever carries messages to the room.
pub trait Transport {
    fn send(&self, message: &ClientMessage) -> Result<(), UserError>;
    /// Drops the current view and fetches a fresh one.
    fn resync(&self);
    /// Stops for good (the page is going away).
    fn close(&self);
}

/// Longest wait between reconnect attempts.
const MAX_BACKOFF_MS: u32 = 8_000;

pub struct SocketLink {
    inner: Rc<RefCell<Inner>>,
}

struct Handlers {
    _open: Closure<dyn FnMut()>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _close: Closure<dyn FnMut(CloseEvent)>,
}

struct Inner {
    url: String,
    hello: Box<dyn Fn() -> ClientMessage>,
    on_message: Callback<ServerMessage>,
    on_status: Callback<LinkStatus>,
    socket: Option<WebSocket>,
    handlers: Option<Handlers>,
    attempt: u32,
    welcomed: bool,
    /// Whether it was ever welcomed, or found that no server is there.
    checked: bool,
    /// A refusal of our hello: the reason the link will not come back.
    refused: Option<String>,
    stopped: bool,
    retry: Option<Timeout>,
}

impl SocketLink {
    /// Opens the link; `hello` is called at every (re)connect.
    pub fn open(
        url: String,
        hello: impl Fn() -> ClientMessage + 'static,
        on_message: Callback<ServerMessage>,
        on_status: Callback<LinkStatus>,
    ) -> Self {
        let inner = Rc::new(RefCell::new(Inner {
            url,
            hello: Box::new(hello),
            on_message,
            on_status,
            socket: None,
            handlers: None,
            attempt: 0,
            welcomed: false,
            checked: false,
            refused: None,
            stopped: false,
            retry: None,
        }));
        connect(&inner);
        Self { inner }
    }
}

impl Transport for SocketLink {
    fn send(&self, message: &ClientMessage) -> Result<(), UserError> {
        let inner = self.inner.borrow();
        let socket = inner
            .socket
            .as_ref()
            .filter(|s| s.ready_state() == WebSocket::OPEN && inner.welcomed)
            .ok_or_else(|| {
                UserError("Not connected to the room right now; reconnecting…".into())
            })?;
        let text = serde_json::to_string(message).expect("client messages always serialize");
        socket
            .send_with_str(&text)
            .map_err(|_| UserError("The message could not be sent; reconnecting…".into()))
    }

    fn resync(&self) {
        let socket = self.inner.borrow().socket.clone();
        if let Some(socket) = socket {
            // Its close handler schedules the reconnect.
            let _ = socket.close();
        }
    }

    fn close(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.stopped = true;
        inner.retry = None;
        if let Some(socket) = inner.socket.take() {
            socket.set_onopen(None);
            socket.set_onmessage(None);
            socket.set_onclose(None);
            let _ = socket.close();
        }
        inner.handlers = None;
    }
}

impl Drop for SocketLink {
    fn drop(&mut self) {
        self.close();
    }
}

fn connect(rc: &Rc<RefCell<Inner>>) {
    let weak = Rc::downgrade(rc);
    let url = rc.borrow().url.clone();
    let socket = match WebSocket::new(&url) {
        Ok(socket) => socket,
        Err(_) => {
            schedule_retry(rc);
            return;
        }
    };
    let on_open = {
        let weak = weak.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(rc) = weak.upgrade() {
                let inner = rc.borrow();
                let hello = (inner.hello)();
                if let Some(socket) = &inner.socket {
                    let text = serde_json::to_string(&hello).expect("hello serializes");
                    let _ = socket.send_with_str(&text);
                }
            }
        })
    };
    let on_message = {
        let weak = weak.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(rc) = weak.upgrade() {
                receive(&rc, &event);
            }
        })
    };
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_event: CloseEvent| {
        if let Some(rc) = weak.upgrade() {
            closed(&rc);
        }
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut inner = rc.borrow_mut();
    inner.socket = Some(socket);
    inner.welcomed = false;
    inner.handlers = Some(Handlers {
        _open: on_open,
        _message: on_message,
        _close: on_close,
    });
}

fn receive(rc: &Rc<RefCell<Inner>>, event: &MessageEvent) {
    let Some(text) = event.data().as_string() else {
        return;
    };
    let Ok(message) = serde_json::from_str::<ServerMessage>(&text) else {
        return;
    };
    let (on_message, on_status, live) = {
        let mut inner = rc.borrow_mut();
        let mut live = false;
        match &message {
            ServerMessage::Welcome { .. } | ServerMessage::Resumed { .. } => {
                inner.welcomed = true;
                inner.checked = true;
                inner.attempt = 0;
                live = true;
            }
            ServerMessage::Rejected { id: None, reason } if !inner.welcomed => {
                inner.refused = Some(reason.clone());
            }
            ServerMessage::Closed { .. } => inner.stopped = true,
            _ => {}
        }
        (inner.on_message.clone(), inner.on_status.clone(), live)
    };
    if live {
        on_status.emit(LinkStatus::Live);
    }
    on_message.emit(message);
}

fn closed(rc: &Rc<RefCell<Inner>>) {
    let (on_status, status) = {
        let mut inner = rc.borrow_mut();
        inner.socket = None;
        inner.handlers = None;
        if let Some(reason) = inner.refused.take() {
            inner.stopped = true;
            (inner.on_status.clone(), Some(LinkStatus::Closed(reason)))
        } else if inner.stopped {
            (inner.on_status.clone(), None)
        } else {
            inner.attempt += 1;
            (
                inner.on_status.clone(),
                Some(LinkStatus::Reconnecting(inner.attempt)),
            )
        }
    };
    let retry = matches!(status, Some(LinkStatus::Reconnecting(_)));
    if let Some(status) = status {
        on_status.emit(status);
    }
    if retry {
        schedule_retry(rc);
        let first = !std::mem::replace(&mut rc.borrow_mut().checked, true);
        if first {
            check_for_server(rc);
        }
    }
}

/// After the first failed connection of a page never welcomed: is there a
/// Riskroom server beside the app at all? A static host answers its health
/// address with something else (the app's page, or "not found"); the room
/// then runs in one browser on another computer, and the page says so
/// instead of reconnecting forever. No answer at all proves nothing: the
/// network may be down, so the link keeps trying.
fn check_for_server(rc: &Rc<RefCell<Inner>>) {
    let weak = Rc::downgrade(rc);
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(response) = gloo_net::http::Request::get(&super::paths::health_url())
            .send()
            .await
        else {
            return;
        };
        let server = response.ok() && response.text().await.is_ok_and(|t| t.trim() == "ok");
        let Some(rc) = weak.upgrade() else { return };
        if server || rc.borrow().welcomed {
            return;
        }
        let on_status = {
            let mut inner = rc.borrow_mut();
            inner.stopped = true;
            inner.retry = None;
            inner.on_status.clone()
        };
        on_status.emit(LinkStatus::Closed(
            "This room runs in one browser on the computer that created it, with no server, \
             so it cannot be opened from another device. Join in another tab of that browser, \
             or ask the facilitator to run Riskroom with its server so phones can join."
                .into(),
        ));
    });
}

fn schedule_retry(rc: &Rc<RefCell<Inner>>) {
    let attempt = rc.borrow().attempt;
    let delay = (250u32 << attempt.min(6)).min(MAX_BACKOFF_MS);
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    let timeout = Timeout::new(delay, move || {
        if let Some(rc) = weak.upgrade()
            && !rc.borrow().stopped
        {
            connect(&rc);
        }
    });
    rc.borrow_mut().retry = Some(timeout);
}
