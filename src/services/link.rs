//! Which link a room's page opens: the room this browser runs itself, or
//! the server's WebSocket. The one place where that choice is made.

use std::cell::Cell;
use std::rc::Rc;

use riskroom_core::{ClientMessage, RoomCode, ServerMessage};
use yew::Callback;

use super::local::LocalLink;
use super::transport::{SocketLink, Transport};
use crate::state::LinkStatus;

/// Opens the link to a room this browser runs itself.
type OpenLocal = fn(
    RoomCode,
    Box<dyn Fn() -> ClientMessage>,
    Callback<ServerMessage>,
    Callback<LinkStatus>,
) -> Rc<dyn Transport>;

thread_local! {
    /// Set by the whole app ([`run_rooms_here`]); the learner's app leaves
    /// it unset, so that a room's host (its rules, its log) is not in its
    /// download: it hands a room of this browser to the whole app instead.
    static OPEN_LOCAL: Cell<Option<OpenLocal>> = const { Cell::new(None) };
}

/// Lets this page run the rooms this browser keeps (the whole app).
pub fn run_rooms_here() {
    OPEN_LOCAL.with(|o| {
        o.set(Some(|code, hello, on_message, on_status| {
            Rc::new(LocalLink::open(code, hello, on_message, on_status))
        }));
    });
}

/// Whether this page can open the room `code`: a room this browser runs
/// needs the whole app.
pub fn can_open(code: &RoomCode) -> bool {
    !super::local::holds(code) || OPEN_LOCAL.with(Cell::get).is_some()
}

/// Opens the link to the room `code`: the room this browser runs itself
/// (it keeps the room's log) or, for any other code, the server's WebSocket.
/// The one place where that choice is made.
pub fn open_link(
    code: &RoomCode,
    hello: impl Fn() -> ClientMessage + 'static,
    on_message: Callback<ServerMessage>,
    on_status: Callback<LinkStatus>,
) -> Rc<dyn Transport> {
    match OPEN_LOCAL.with(Cell::get) {
        Some(open_local) if super::local::holds(code) => {
            open_local(code.clone(), Box::new(hello), on_message, on_status)
        }
        _ => Rc::new(SocketLink::open(
            super::paths::socket_url(),
            hello,
            on_message,
            on_status,
        )),
    }
}
