//! One WebSocket connection: a handshake (`Hello`), then a read loop that
//! forwards commands to the room task and a write loop that sends what the
//! room task produces, joined so either ending ends both. Every connection
//! is bounded: its queue of messages to write (`outbox`), each write's time,
//! and its silence (the writer pings; a client that answers nothing for a
//! ping's interval and timeout is closed).

use std::net::SocketAddr;
use std::time::Duration;

use crate::AppState;
use crate::outbox::{FELL_BEHIND, Next, Outbox, OutboxRx, outbox};
use crate::rooms::{Outbound, RoomMailbox, encode};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use riskroom_core::protocol::check_protocol;
use riskroom_core::session::ConnId;
use riskroom_core::{ClientMessage, ServerMessage};

/// How long a new connection has to say `Hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(15);
/// Frames up to this size are read to name the command a refusal is for.
const SMALL_FRAME_BYTES: usize = 4096;

pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if let Err(reason) = origin_allowed(
        &headers,
        &state.config.allowed_origins,
        state.config.public_origin().as_deref(),
    ) {
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    if !state.joins.allow(peer.ip()) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "Too many connection attempts from your network; wait a minute and try again.",
        )
            .into_response();
    }
    let max = state.config.max_frame_bytes;
    // Small buffers: a room's messages are small, and thousands of phones
    // at 128 KiB each would cost hundreds of megabytes.
    ws.max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(8 * 1024)
        .write_buffer_size(8 * 1024)
        .on_upgrade(move |socket| connection(socket, state, peer))
}

/// A browser's WebSocket must come from the server's own pages or an
/// allowed origin; clients that send no Origin (not browsers) may connect.
/// The server's own pages are those of the host the browser asked for: the
/// `Host` header, or behind a proxy that sets `Host` to its upstream (as
/// nginx does by default) the host it forwarded (`X-Forwarded-Host`,
/// `Forwarded: host=`), or the public URL's origin. A page cannot set
/// those headers on its WebSocket, so they cannot open it to other sites.
fn origin_allowed(
    headers: &HeaderMap,
    allowed: &[String],
    public_origin: Option<&str>,
) -> Result<(), String> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return Ok(());
    };
    let origin = origin.trim_end_matches('/');
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let text = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>()
    };
    let forwarded = text("forwarded")
        .into_iter()
        .flat_map(|element| element.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(key, _)| key.trim().eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim().trim_matches('"'))
        .collect::<Vec<_>>();
    let hosts = text("host")
        .into_iter()
        .chain(text("x-forwarded-host"))
        .chain(forwarded);
    let same_host = hosts
        .into_iter()
        .any(|host| !host.is_empty() && origin_host.eq_ignore_ascii_case(host));
    let listed = allowed
        .iter()
        .map(String::as_str)
        .chain(public_origin)
        .any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(origin));
    if same_host || listed {
        Ok(())
    } else {
        Err(format!(
            "Pages from {origin} may not connect to this Riskroom server."
        ))
    }
}

fn rejected(reason: impl Into<String>) -> Message {
    Message::Text(encode(&ServerMessage::Rejected {
        id: None,
        reason: reason.into(),
    }))
}

/// Reads and decodes one client message; Err carries the reason to send back.
fn decode(message: Message) -> Option<Result<ClientMessage, String>> {
    match message {
        Message::Text(text) => Some(
            serde_json::from_str(text.as_str())
                .map_err(|e| format!("This message could not be read: {e}.")),
        ),
        Message::Binary(_) => Some(Err("Messages must be JSON text.".into())),
        Message::Ping(_) | Message::Pong(_) => None,
        Message::Close(_) => Some(Err(String::new())),
    }
}

/// Whether a write finished within `limit`.
async fn written<E>(limit: Duration, write: impl Future<Output = Result<(), E>>) -> bool {
    matches!(tokio::time::timeout(limit, write).await, Ok(Ok(())))
}

async fn connection(mut socket: WebSocket, state: AppState, peer: SocketAddr) {
    let Some(Attached {
        room,
        conn,
        tx: reply_tx,
        rx,
    }) = handshake(&mut socket, &state).await
    else {
        let _ = socket.send(Message::Close(None)).await;
        return;
    };
    tracing::debug!(%peer, conn, "connected");
    let _open = crate::metrics::OpenConnection::count();
    let config = &state.config;
    let write_limit = Duration::from_millis(config.ws_write_timeout_ms.max(1));
    let ping_every = Duration::from_millis(config.ws_ping_ms.max(1));
    // A live client answers each ping, so it is never silent for longer
    // than a ping's interval and its timeout.
    let silence = ping_every + Duration::from_millis(config.ws_pong_timeout_ms);
    let (mut sink, mut stream) = socket.split();
    let mut writer = tokio::spawn(async move {
        let mut rx = rx;
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        'outer: loop {
            let first = tokio::select! {
                next = rx.recv() => match next {
                    Some(next) => next,
                    None => break,
                },
                _ = ping.tick() => {
                    if !written(write_limit, sink.send(Message::Ping(Default::default()))).await {
                        break;
                    }
                    continue;
                }
            };
            // Write everything already queued, then flush once: one system
            // call for a burst instead of one per message.
            let mut next = Some(first);
            while let Some(out) = next {
                match out {
                    Next::Write(Outbound::Text(text)) => {
                        if !written(write_limit, sink.feed(Message::Text(text))).await {
                            tracing::info!(%peer, "closed a connection whose writes stalled");
                            break 'outer;
                        }
                    }
                    Next::Write(Outbound::Close(text)) => {
                        let _ = written(write_limit, sink.feed(Message::Text(text))).await;
                        let _ = written(write_limit, sink.send(Message::Close(None))).await;
                        break 'outer;
                    }
                    Next::Behind => {
                        tracing::warn!(%peer, "closed a connection that fell too far behind");
                        rx.close();
                        let close = Message::Close(Some(CloseFrame {
                            code: close_code::AGAIN,
                            reason: FELL_BEHIND.into(),
                        }));
                        let _ = written(write_limit, sink.send(close)).await;
                        break 'outer;
                    }
                }
                next = rx.try_recv();
            }
            if !written(write_limit, sink.flush()).await {
                tracing::info!(%peer, "closed a connection whose writes stalled");
                break;
            }
        }
    });
    let reader_room = room.clone();
    let rate = f64::from(state.config.max_messages_per_second.max(1));
    let mut reader = tokio::spawn(async move {
        let mut bucket = crate::limits::Bucket::new(rate, 2.0 * rate);
        loop {
            let message = match tokio::time::timeout(silence, stream.next()).await {
                Ok(Some(Ok(message))) => message,
                Ok(_) => break,
                Err(_) => {
                    tracing::info!(%peer, "closed a connection that answered no ping");
                    break;
                }
            };
            if matches!(message, Message::Pong(_) | Message::Ping(_)) {
                continue;
            }
            if !bucket.take() {
                // The refusal names the command when it is cheap to read, so
                // the page stops waiting for it (and says so) instead of
                // sending it again later, out of order.
                let id = match &message {
                    Message::Text(text) if text.len() <= SMALL_FRAME_BYTES => {
                        match serde_json::from_str::<ClientMessage>(text) {
                            Ok(ClientMessage::Command { id, .. }) => Some(id),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                reply_tx.send(Outbound::message(&ServerMessage::Rejected {
                    id,
                    reason: "Too many messages at once: this one was dropped. Wait a moment and try again.".into(),
                }));
                continue;
            }
            match decode(message) {
                None => {}
                Some(Ok(ClientMessage::Command { id, command })) => {
                    reader_room.command(conn, id, command);
                }
                Some(Ok(ClientMessage::Hello { .. })) => {
                    reply_tx.send(Outbound::message(&ServerMessage::Rejected {
                        id: None,
                        reason: "This connection has already said hello.".into(),
                    }));
                }
                Some(Err(reason)) if reason.is_empty() => break,
                Some(Err(reason)) => {
                    reply_tx.send(Outbound::message(&ServerMessage::Rejected {
                        id: None,
                        reason,
                    }));
                }
            }
        }
    });
    tokio::select! {
        _ = &mut writer => reader.abort(),
        _ = &mut reader => writer.abort(),
    }
    room.disconnect(conn);
    tracing::debug!(%peer, conn, "disconnected");
}

/// A connection that passed the handshake.
struct Attached {
    room: RoomMailbox,
    conn: ConnId,
    /// For replies that do not go through the room (unreadable messages).
    tx: Outbox,
    rx: OutboxRx,
}

/// Waits for `Hello`, checks it, and attaches the connection to its room.
/// On refusal, the reason has been sent and None is returned.
async fn handshake(socket: &mut WebSocket, state: &AppState) -> Option<Attached> {
    let first = match tokio::time::timeout(HELLO_TIMEOUT, socket.recv()).await {
        Ok(Some(Ok(message))) => message,
        Ok(Some(Err(e))) => {
            // The frame was refused by the socket itself, e.g. too large.
            let _ = socket
                .send(rejected(format!("This message could not be read: {e}.")))
                .await;
            return None;
        }
        Ok(None) => return None,
        Err(_) => {
            let _ = socket
                .send(rejected(
                    "No hello arrived in time; reconnecting will fix this.",
                ))
                .await;
            return None;
        }
    };
    let hello = match decode(first) {
        Some(Ok(ClientMessage::Hello {
            protocol,
            room,
            credential,
            last_seq,
        })) => match check_protocol(protocol) {
            Ok(()) => Ok((room, credential, last_seq)),
            Err(mismatch) => Err(mismatch.to_string()),
        },
        Some(Ok(ClientMessage::Command { .. })) | None => {
            Err("Say hello first: the first message names the room.".to_owned())
        }
        Some(Err(reason)) if reason.is_empty() => return None,
        Some(Err(reason)) => Err(reason),
    };
    let (code, credential, last_seq) = match hello {
        Ok(hello) => hello,
        Err(reason) => {
            let _ = socket.send(rejected(reason)).await;
            return None;
        }
    };
    // Twice at most: a room that went idle just as it was handed out is
    // loaded again.
    for attempt in 0..2 {
        let room = match state.rooms.get(&code).await {
            Ok(Some(room)) => room,
            Ok(None) => {
                let _ = socket
                    .send(rejected(format!(
                        "There is no room {code}. Check the code on the screen."
                    )))
                    .await;
                return None;
            }
            Err(e) => {
                tracing::error!(error = ?e, room = %code, "loading room");
                let _ = socket
                    .send(rejected(
                        "The server could not open this room. Please try again.",
                    ))
                    .await;
                return None;
            }
        };
        let (tx, mut rx) = outbox(state.config.ws_queue_bytes);
        match room.connect(credential.clone(), last_seq, tx.clone()).await {
            Ok(conn) => return Some(Attached { room, conn, tx, rx }),
            Err(reason) if reason == crate::rooms::ROOM_CLOSING && attempt == 0 => {
                rx.close();
            }
            Err(reason) => {
                let _ = socket.send(rejected(reason)).await;
                // Nothing was queued for a refused connection, but drain to be sure.
                rx.close();
                return None;
            }
        }
    }
    None
}
