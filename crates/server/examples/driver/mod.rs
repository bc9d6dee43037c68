//! What the measuring drivers (load, attack, soak) share: opening a room
//! over plain HTTP, as the start page does.

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
