//! What the measuring drivers (load, attack, soak) share: opening a room
//! over plain HTTP, as the start page does, and a client's WebSocket.

use std::io::{Read, Write};
use std::net::TcpStream;

/// Creates a room titled `title` on the server at `addr`; returns its code
/// and facilitator key.
pub fn create_room(addr: &str, title: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let body = serde_json::json!({ "title": title }).to_string();
    write!(
        stream,
        "POST /api/rooms HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let json = response.split_once("\r\n\r\n").unwrap().1;
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    (
        value["code"].as_str().unwrap().to_owned(),
        value["key"].as_str().unwrap().to_owned(),
    )
}

/// A client's WebSocket to the server at `addr`, as a browser opens it:
/// without Nagle's delay. The library zeroes its whole read buffer before
/// every read: at its default of 128 KiB, hundreds of thousands of small
/// frames a second made the driver spend about 40% of its time clearing
/// memory, on the cores it shares with the server it measures, and still
/// 6% at 8 KiB. A room's messages are a few hundred bytes, so 2 KiB holds
/// most in one read. (The soak driver opens its own, with a time limit.)
#[allow(dead_code)]
pub async fn connect(
    addr: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(2 * 1024)
        .write_buffer_size(8 * 1024);
    tokio_tungstenite::connect_async_with_config(format!("ws://{addr}/ws"), Some(config), true)
        .await
        .expect("connect")
        .0
}
