//! No one client can knock the server over: scenario checks limited per
//! address and kept off the async workers, clients that stop reading
//! closed with the server's memory flat, half-sent requests closed, and a
//! cap on connections per address — with other rooms and `/healthz`
//! answered throughout. Real server, real sockets.

mod common;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use common::{Server, facilitator};
use riskroom_core::{Command, ServerMessage};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};

const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
/// Another address on the same machine: loopback is all of 127/8.
const NEIGHBOUR: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

async fn connect_from(from: IpAddr, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from, 0)).unwrap();
    socket.connect(to).await.unwrap()
}

/// Sends a request as curl sends a large body: the headers with `Expect:
/// 100-continue`, the body only if the server asks for it. (status, body).
async fn request_from(
    to: SocketAddr,
    from: IpAddr,
    method: &str,
    path: &str,
    body: &[u8],
) -> (u16, String) {
    let mut stream = connect_from(from, to).await;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {to}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).await.unwrap();
    if status.starts_with("HTTP/1.1 100") {
        let mut blank = String::new();
        reader.read_line(&mut blank).await.unwrap();
        reader.get_mut().write_all(body).await.unwrap();
        status.clear();
        reader.read_line(&mut status).await.unwrap();
    }
    let mut rest = String::new();
    reader.read_to_string(&mut rest).await.unwrap();
    let code = status
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {status:?}"));
    let body = rest
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (code, body)
}

async fn healthz_from(server: &Server, from: IpAddr) -> (u16, String) {
    request_from(server.addr, from, "GET", "/healthz", b"").await
}

/// Whether the server closes `stream` (end of file or a reset) within
/// `wait`, reading and dropping whatever it sent before.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

fn error_of(body: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {body}");
    });
    value["error"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scenario_checks_are_bounded_and_another_room_is_answered_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &[
            "--checks-per-minute",
            "10",
            "--checks-at-once",
            "1",
            "--max-messages-per-second",
            "1000",
        ],
    );
    let (code, key) = server.create_room("Another room").await;
    let mut console = server.client().await;
    console.hello(&code, facilitator(&key)).await;

    // The file the audit found: 52,000 fields the format does not know.
    let text: String = (0..52_000).map(|i| format!("k{i}=1\n")).collect();
    let body = Arc::new(serde_json::to_vec(&json!({ "file": "keys.toml", "text": text })).unwrap());
    let addr = server.addr;
    let attack = tokio::spawn(async move {
        let requests: Vec<_> = (0..30)
            .map(|_| {
                let body = Arc::clone(&body);
                tokio::spawn(async move {
                    request_from(addr, HOME, "POST", "/api/scenarios/check", &body).await
                })
            })
            .collect();
        let mut answers = Vec::new();
        for r in requests {
            answers.push(r.await.unwrap());
        }
        answers
    });

    // Meanwhile the other room's console keeps working: every command is
    // acknowledged (`until` gives up after 5 s of silence).
    let mut acknowledged = 0;
    let mut votes = 3;
    while !attack.is_finished() || acknowledged < 20 {
        votes = if votes == 3 { 5 } else { 3 };
        let id = console.command(Command::SetVoteBudget { votes }).await;
        console
            .until(|m| matches!(m, ServerMessage::Ack { id: acked, .. } if *acked == id))
            .await;
        acknowledged += 1;
    }
    let answers = attack.await.unwrap();

    let mut checked = 0;
    let mut limited = 0;
    let mut busy = 0;
    for (status, body) in &answers {
        match status {
            200 => {
                checked += 1;
                let verdict: serde_json::Value = serde_json::from_str(body).unwrap();
                let problems = verdict["problems"].as_array().unwrap();
                assert!(problems.len() <= 22, "{} problems listed", problems.len());
                assert!(
                    problems.iter().any(|p| p.as_str().unwrap().ends_with(
                        "and 51980 more fields that mean nothing here (the first 20 are listed)"
                    )),
                    "{body:.2000}"
                );
            }
            429 => {
                limited += 1;
                assert_eq!(
                    error_of(body),
                    "Too many scenario files checked from your network; wait a minute and try again."
                );
            }
            503 => {
                busy += 1;
                assert_eq!(
                    error_of(body),
                    "The server is busy checking other scenario files; try again in a moment."
                );
            }
            other => panic!("unexpected {other}: {body:.500}"),
        }
    }
    // Ten a minute from one address (one more may have refilled meanwhile),
    // one at a time: the ten let through arrived together, so some found
    // the checker busy.
    assert!(checked + busy <= 11, "{checked} checked, {busy} busy");
    assert!(limited >= 19, "{limited} limited");
    assert!(busy >= 1, "{checked} checked, none found the checker busy");
    assert!(checked >= 1);

    // Another address has its own allowance; a body past any scenario
    // file's size, or one that is not a check, is refused in words.
    let huge = vec![b' '; 3 * 1024 * 1024];
    let (status, body) = request_from(addr, NEIGHBOUR, "POST", "/api/scenarios/check", &huge).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        error_of(&body),
        "This file is too large to check: a scenario file can be at most 512 KB."
    );
    let (status, body) = request_from(
        addr,
        NEIGHBOUR,
        "POST",
        "/api/scenarios/check",
        br#"{"file": "x"}"#,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(error_of(&body).contains("missing field `text`"), "{body}");
    let minimal = include_str!("../../core/tests/data/minimal.toml");
    let (status, body) = request_from(
        addr,
        NEIGHBOUR,
        "POST",
        "/api/scenarios/check",
        &serde_json::to_vec(&json!({ "file": "minimal.toml", "text": minimal })).unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""verdict":"valid""#), "{body}");
}

async fn choose_a_scenario(console: &mut common::Client) {
    let id = console
        .command(Command::ChooseScenario {
            file: "product-recall.toml".into(),
            text: include_str!("../../../scenarios/product-recall.toml").into(),
        })
        .await;
    console
        .until(|m| matches!(m, ServerMessage::Ack { id: acked, .. } if *acked == id))
        .await;
}

fn room_view(key: &str) -> Option<riskroom_core::Credential> {
    Some(riskroom_core::Credential::RoomView {
        key: riskroom_core::Secret::from_client(key).room_view_key(),
    })
}

/// Turns anonymity on or off; every room view is sent a fresh view (about
/// 11 KB with a scenario chosen), the event itself is tiny. Returns the
/// acknowledged seq.
async fn toggle(console: &mut common::Client, anonymous: bool) -> u64 {
    let id = console.command(Command::SetAnonymity { anonymous }).await;
    match console
        .until(|m| matches!(m, ServerMessage::Ack { id: acked, .. } if *acked == id))
        .await
    {
        ServerMessage::Ack { seq, .. } => seq,
        _ => unreachable!(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_that_never_read_are_closed_and_the_server_memory_stays_flat() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &[
            "--max-messages-per-second",
            "1000",
            "--ws-queue-bytes",
            "262144",
            // Only the queue's limit is at work here.
            "--ws-write-timeout-ms",
            "600000",
            "--ws-ping-ms",
            "600000",
        ],
    );
    let (code, key) = server.create_room("Slow readers").await;
    let mut console = server.client().await;
    console.hello(&code, facilitator(&key)).await;
    choose_a_scenario(&mut console).await;
    let room_view = || room_view(&key);

    // Twenty room views, which stop reading after hello.
    let mut sleepers = Vec::new();
    for _ in 0..20 {
        let mut sleeper = server.client_with_small_buffer().await;
        assert!(matches!(
            sleeper.hello(&code, room_view()).await,
            ServerMessage::Welcome { .. }
        ));
        sleepers.push(sleeper);
    }
    let mut anonymous = false;
    for _ in 0..20 {
        anonymous = !anonymous;
        toggle(&mut console, anonymous).await;
    }
    let before = server.rss_kb();
    // 3,000 changes send each sleeper about 32 MB; the kernel's buffers take
    // a few of them, the server's queues would take the rest (shared
    // between the sleepers: about 28 MB more memory).
    let mut seq = 0;
    for _ in 0..3000 {
        anonymous = !anonymous;
        seq = toggle(&mut console, anonymous).await;
    }
    let after = server.rss_kb();
    assert!(
        after < before + 8_000,
        "the server grew from {before} KB to {after} KB while clients did not read"
    );

    // Each sleeper finds what its buffers held, then the end: it was closed.
    for sleeper in &mut sleepers {
        assert!(sleeper.read_until_closed(Duration::from_secs(20)).await);
    }
    let fell_behind = server
        .log
        .lock()
        .unwrap()
        .matches("closed a connection that fell too far behind")
        .count();
    assert_eq!(fell_behind, 20, "{}", server.log.lock().unwrap());

    // The console that kept reading is still connected; a room view that
    // was closed reconnects and catches up.
    assert_eq!(toggle(&mut console, !anonymous).await, seq + 1);
    let mut back = server.client().await;
    match back.hello(&code, room_view()).await {
        ServerMessage::Welcome { room, .. } => assert_eq!(room.seq, seq + 1),
        other => panic!("expected a fresh view, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_whose_writes_stall_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &[
            "--max-messages-per-second",
            "1000",
            // Only the write timeout is at work here.
            "--ws-queue-bytes",
            "1000000000",
            "--ws-ping-ms",
            "600000",
            "--ws-write-timeout-ms",
            "300",
        ],
    );
    let (code, key) = server.create_room("Stalled").await;
    let mut console = server.client().await;
    console.hello(&code, facilitator(&key)).await;
    choose_a_scenario(&mut console).await;
    let mut sleeper = server.client_with_small_buffer().await;
    sleeper.hello(&code, room_view(&key)).await;
    // About 11 MB for the room view: more than the kernel's buffers take.
    let mut anonymous = false;
    for _ in 0..1000 {
        anonymous = !anonymous;
        toggle(&mut console, anonymous).await;
    }
    assert!(sleeper.read_until_closed(Duration::from_secs(20)).await);
}

#[tokio::test]
async fn a_client_that_answers_no_ping_is_closed_and_one_that_reads_stays() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &["--ws-ping-ms", "200", "--ws-pong-timeout-ms", "300"],
    );
    let (code, key) = server.create_room("Pings").await;
    let mut silent = server.client().await;
    silent.hello(&code, facilitator(&key)).await;
    let mut awake = server.client().await;
    awake.hello(&code, facilitator(&key)).await;
    // The awake client reads (and so answers pings) for several timeouts.
    assert!(!awake.read_until_closed(Duration::from_secs(2)).await);
    // The silent one read nothing meanwhile, so answered no ping.
    assert!(silent.read_until_closed(Duration::from_secs(10)).await);
    let id = awake.command(Command::SetVoteBudget { votes: 4 }).await;
    awake
        .until(|m| matches!(m, ServerMessage::Ack { id: acked, .. } if *acked == id))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_closed_and_health_answers_throughout() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &["--header-timeout-ms", "500"],
    );
    // 300 connections that start a request and never finish its headers,
    // and 50 that send nothing at all.
    let mut half_open = Vec::new();
    for i in 0..350 {
        let mut stream = connect_from(HOME, server.addr).await;
        if i < 300 {
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: riskroom\r\n")
                .await
                .unwrap();
        }
        half_open.push(stream);
    }
    // Another address is answered meanwhile.
    assert_eq!(healthz_from(&server, NEIGHBOUR).await, (200, "ok".into()));
    let (status, body) = request_from(
        server.addr,
        NEIGHBOUR,
        "POST",
        "/api/rooms",
        br#"{"title": "Meanwhile"}"#,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // The server closes every one of them.
    for stream in &mut half_open {
        assert!(closed_within(stream, Duration::from_secs(10)).await);
    }
    drop(half_open);
    assert_eq!(healthz_from(&server, HOME).await, (200, "ok".into()));
    server.create_room("Afterwards").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_cap_for_one_address_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &[
            "--max-connections-per-address",
            "40",
            "--header-timeout-ms",
            "600000",
        ],
    );
    let (code, key) = server.create_room("Capped").await;
    // Twenty WebSockets and twenty idle connections from one address.
    let mut sockets = Vec::new();
    for _ in 0..20 {
        let mut client = server.client().await;
        client.hello(&code, facilitator(&key)).await;
        sockets.push(client);
    }
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(connect_from(HOME, server.addr).await);
    }
    // The next one from that address is closed at once, unanswered.
    let mut refused = connect_from(HOME, server.addr).await;
    let _ = refused
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: riskroom\r\n\r\n")
        .await;
    let mut answer = Vec::new();
    let _ = refused.read_to_end(&mut answer).await;
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    // Another address is answered.
    assert_eq!(healthz_from(&server, NEIGHBOUR).await, (200, "ok".into()));
    // Once some close, that address is answered again.
    drop(idle);
    let mut answered = false;
    for _ in 0..100 {
        let mut stream = connect_from(HOME, server.addr).await;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: riskroom\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer).await;
        if answer.starts_with("HTTP/1.1 200") {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(answered);
    // The WebSockets stayed open throughout.
    let id = sockets[0]
        .command(Command::SetVoteBudget { votes: 4 })
        .await;
    sockets[0]
        .until(|m| matches!(m, ServerMessage::Ack { id: acked, .. } if *acked == id))
        .await;
}
