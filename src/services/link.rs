//! Which link a room's page opens: the room this browser runs itself, or
//! the server's WebSocket. The one place where that choice is made.

use std::rc::Rc;

use riskroom_core::{ClientMessage, RoomCode, ServerMessage};
use yew::Callback;

use super::local::LocalLink;
use super::transport::{SocketLink, Transport};
use crate::state::LinkStatus;

/// Opens the link to the room `code`: the room this browser runs itself
/// (it keeps the room's log) or, for any other code, the server's WebSocket.
/// The one place where that choice is made.
pub fn open_link(
    code: &RoomCode,
    hello: impl Fn() -> ClientMessage + 'static,
    on_message: Callback<ServerMessage>,
    on_status: Callback<LinkStatus>,
) -> Rc<dyn Transport> {
    if super::local::holds(code) {
        Rc::new(LocalLink::open(code.clone(), hello, on_message, on_status))
    } else {
        Rc::new(SocketLink::open(
            super::paths::socket_url(),
            hello,
            on_message,
            on_status,
        ))
    }
}
