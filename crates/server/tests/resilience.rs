//! What keeps a room whole when networks and servers misbehave: commands
//! sent twice are applied once, a page that reconnects catches up with what
//! it missed (even across `kill -9`), and the server's limits, origin check
//! and security headers hold — all over real sockets.

mod common;

use std::time::Duration;

use common::{Server, facilitator, participant};
use riskroom_core::protocol::You;
use riskroom_core::{Command, CommandId, ParticipantId, Room, ServerMessage};

fn room_of(msg: ServerMessage) -> Room {
    match msg {
        ServerMessage::Welcome { room, .. } => room,
        other => panic!("expected Welcome, got {other:?}"),
    }
}

/// Reads until the Ack of `id` and the events it acknowledges (they follow
/// the Ack), folding them into `room`.
async fn until_ack(client: &mut common::Client, room: &mut Room, id: u64) -> u64 {
    let mut acked = None;
    loop {
        if let Some(seq) = acked
            && room.seq >= seq
        {
            return seq;
        }
        match client.recv().await {
            ServerMessage::Ack { id: got, seq } if got == CommandId(id) => acked = Some(seq),
            ServerMessage::Events { events } => {
                for e in &events {
                    room.apply(e).unwrap();
                }
            }
            ServerMessage::Welcome { room: fresh, .. } => *room = fresh,
            _ => {}
        }
    }
}

#[tokio::test]
async fn a_join_cut_off_half_way_is_recognised_and_never_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (code, key) = server.create_room("Drill").await;
    // The browser makes its own seat token and presents it from the start.
    let token = "0123456789abcdef0123456789abcdef";
    let mut phone = server.client().await;
    let mut room = room_of(phone.hello(&code, participant(token)).await);
    phone
        .command_with_id(100, Command::Join { name: "Ada".into() })
        .await;
    let joined = phone.recv().await;
    assert_eq!(
        joined,
        ServerMessage::Joined {
            id: ParticipantId(1),
            token: None
        }
    );
    let seq = until_ack(&mut phone, &mut room, 100).await;
    // The connection drops before the page saw the Ack; it reconnects and
    // sends the same command again.
    phone.close().await;
    let mut phone = server.client().await;
    let welcome = phone.hello(&code, participant(token)).await;
    assert!(matches!(
        welcome,
        ServerMessage::Welcome {
            you: You::Participant {
                id: ParticipantId(1)
            },
            ..
        }
    ));
    phone
        .command_with_id(100, Command::Join { name: "Ada".into() })
        .await;
    assert_eq!(
        phone.recv().await,
        ServerMessage::Ack {
            id: CommandId(100),
            seq
        }
    );
    let mut console = server.client().await;
    let room = room_of(console.hello(&code, facilitator(&key)).await);
    assert_eq!(room.participants.len(), 1, "one Ada, not two");
}

#[tokio::test]
async fn repeated_and_out_of_order_command_ids() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rooms.sqlite3");
    let server = Server::start_on(db.clone(), &[]);
    let (code, key) = server.create_room("Drill").await;
    let mut console = server.client().await;
    let mut room = room_of(console.hello(&code, facilitator(&key)).await);
    console
        .command_with_id(
            10,
            Command::CreateTeam {
                name: "Blue".into(),
            },
        )
        .await;
    let seq = until_ack(&mut console, &mut room, 10).await;
    // The same id again: acknowledged with the same seq, nothing new.
    console
        .command_with_id(
            10,
            Command::CreateTeam {
                name: "Blue".into(),
            },
        )
        .await;
    assert_eq!(
        console.recv().await,
        ServerMessage::Ack {
            id: CommandId(10),
            seq
        }
    );
    // A lower id never seen before: refused, nothing changes.
    console
        .command_with_id(
            5,
            Command::CreateTeam {
                name: "Green".into(),
            },
        )
        .await;
    match console.recv().await {
        ServerMessage::Rejected {
            id: Some(CommandId(5)),
            reason,
        } => {
            assert_eq!(
                reason,
                "Command 5 arrived after command 10: commands must be numbered in order. Reloading the page fixes this."
            )
        }
        other => panic!("{other:?}"),
    }
    // The memory of applied commands survives a killed server.
    server.kill();
    let server = Server::start_on(db, &[]);
    let mut console = server.client().await;
    let room = room_of(console.hello(&code, facilitator(&key)).await);
    assert_eq!(room.teams.len(), 2);
    console
        .command_with_id(
            10,
            Command::CreateTeam {
                name: "Blue".into(),
            },
        )
        .await;
    assert_eq!(
        console.recv().await,
        ServerMessage::Ack {
            id: CommandId(10),
            seq
        }
    );
    let room = room_of({
        let mut again = server.client().await;
        again.hello(&code, facilitator(&key)).await
    });
    assert_eq!(room.teams.len(), 2, "still two teams");
}

#[tokio::test]
async fn a_page_that_reconnects_catches_up_even_after_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rooms.sqlite3");
    let server = Server::start_on(db.clone(), &[]);
    let (code, key) = server.create_room("Drill").await;
    let mut console = server.client().await;
    let mut watcher = room_of(console.hello(&code, facilitator(&key)).await);

    // A second facilitator page (the projector) folds along, then drops.
    let mut projector = server.client().await;
    let mut projected = room_of(projector.hello(&code, facilitator(&key)).await);
    projector.close().await;

    // Things happen while it is away; the console folds them as they come.
    let mut next = 1;
    for name in ["Blue", "Green", "Red"] {
        console
            .command_with_id(next, Command::CreateTeam { name: name.into() })
            .await;
        until_ack(&mut console, &mut watcher, next).await;
        next += 1;
    }
    // It comes back with the seq it holds: it gets just what it missed.
    let mut projector = server.client().await;
    let resumed = projector
        .hello_from(&code, facilitator(&key), Some(projected.seq))
        .await;
    assert_eq!(
        resumed,
        ServerMessage::Resumed {
            you: You::Facilitator
        }
    );
    match projector.recv().await {
        ServerMessage::Events { events } => {
            assert_eq!(events.len(), 3);
            for e in &events {
                projected.apply(e).unwrap();
            }
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(projected, watcher);

    // kill -9 in the middle of a stream of commands, then a restart.
    let seq_before = projected.seq;
    projector.close().await;
    for name in ["Cyan", "Teal"] {
        console
            .command_with_id(next, Command::CreateTeam { name: name.into() })
            .await;
        until_ack(&mut console, &mut watcher, next).await;
        next += 1;
    }
    console
        .command_with_id(
            next,
            Command::CreateTeam {
                name: "Lost?".into(),
            },
        )
        .await;
    server.kill();
    let server = Server::start_on(db, &[]);
    let mut projector = server.client().await;
    let resumed = projector
        .hello_from(&code, facilitator(&key), Some(seq_before))
        .await;
    assert_eq!(
        resumed,
        ServerMessage::Resumed {
            you: You::Facilitator
        }
    );
    if let Some(ServerMessage::Events { events }) = projector.try_recv(Duration::from_secs(2)).await
    {
        for e in &events {
            projected.apply(e).unwrap();
        }
    }
    let mut fresh = server.client().await;
    let truth = room_of(fresh.hello(&code, facilitator(&key)).await);
    assert_eq!(projected, truth, "the reconnected page equals a fresh view");
    // Every acknowledged command is there (the last one may or may not be:
    // it was never acknowledged).
    assert!(truth.teams.len() >= watcher.teams.len());
    for team in &watcher.teams {
        assert!(truth.team(team.id).is_some_and(|t| t.name == team.name));
    }
}

#[tokio::test]
async fn limits_and_floods_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &["--max-participants", "2", "--max-messages-per-second", "5"],
    );
    let (code, _) = server.create_room("Small").await;
    for name in ["Ada", "Grace"] {
        let mut c = server.client().await;
        c.hello(&code, None).await;
        c.command(Command::Join { name: name.into() }).await;
        c.until(|m| matches!(m, ServerMessage::Ack { .. })).await;
        std::mem::forget(c);
    }
    // The core refuses the third join; the page can still look in as a guest.
    let mut third = server.client().await;
    assert!(matches!(
        third.hello(&code, None).await,
        ServerMessage::Welcome {
            you: You::Guest,
            ..
        }
    ));
    let id = third
        .command(Command::Join {
            name: "Linus".into(),
        })
        .await;
    assert_eq!(
        third
            .until(|m| matches!(m, ServerMessage::Rejected { .. }))
            .await,
        ServerMessage::Rejected {
            id: Some(id),
            reason: "This room is full: it takes at most 2 people.".into()
        }
    );

    let (code, key) = server.create_room("Flood").await;
    let mut flood = server.client().await;
    flood.hello(&code, facilitator(&key)).await;
    for i in 0..40 {
        flood
            .command_with_id(i + 1, Command::SetVoteBudget { votes: 3 })
            .await;
    }
    // Each dropped command is refused by its id, so the page stops waiting
    // for it instead of sending it again later, out of order.
    let mut dropped = std::collections::BTreeSet::new();
    while let Some(msg) = flood.try_recv(Duration::from_millis(500)).await {
        if let ServerMessage::Rejected { id, reason } = msg
            && reason.starts_with("Too many messages")
        {
            assert_eq!(
                reason,
                "Too many messages at once: this one was dropped. Wait a moment and try again."
            );
            let id = id.expect("the refusal names the command");
            assert!((1..=40).contains(&id.0), "{id:?}");
            assert!(dropped.insert(id), "{id:?} refused twice");
        }
    }
    assert!(
        dropped.len() >= 20,
        "only {} of 40 were dropped",
        dropped.len()
    );
}

#[tokio::test]
async fn origins_are_checked_and_pages_carry_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<html><script type=\"module\">init()</script></html>",
    )
    .unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &[
            "--static-dir",
            dir.path().to_str().unwrap(),
            "--allowed-origins",
            "https://intranet.example",
            "--frame-ancestors",
            "'self' https://intranet.example",
        ],
    );
    let upgrade = |origin: &str| {
        format!(
            "GET /ws HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
            server.addr
        )
    };
    let raw = |request: String| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    let evil = raw(upgrade("https://evil.example")).await;
    assert!(evil.starts_with("HTTP/1.1 403"), "{evil}");
    assert!(
        evil.contains("Pages from https://evil.example may not connect"),
        "{evil}"
    );
    let intranet = raw(upgrade("https://intranet.example")).await;
    assert!(intranet.starts_with("HTTP/1.1 101"), "{intranet}");
    let own = raw(upgrade(&format!("http://{}", server.addr))).await;
    assert!(own.starts_with("HTTP/1.1 101"), "{own}");

    let page = raw(format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    ))
    .await
    .to_lowercase();
    assert!(page.contains("x-content-type-options: nosniff"), "{page}");
    assert!(page.contains("referrer-policy: no-referrer"));
    assert!(page.contains("content-security-policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{page}");
    assert!(
        page.contains("frame-ancestors 'self' https://intranet.example"),
        "{page}"
    );
}

#[tokio::test]
async fn old_rooms_are_deleted_by_the_retention_sweep() {
    use riskroom_core::{Room, RoomCode, Secret, Stamped};
    use riskroom_server::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("rooms.sqlite3")).unwrap();
    let room = |code: &str, at_ms: u64| {
        let code = RoomCode::parse(code).unwrap();
        let opening = Stamped {
            seq: 1,
            at_ms,
            event: Room::opening(code.clone(), "x", &Secret::from_client("k")).unwrap(),
        };
        store.create_room(&code, &opening).unwrap();
        code
    };
    let old = room("AAAAAA", 1_000);
    let live_old = room("BBBBBB", 1_000);
    let recent = room("CCCCCC", 9_000_000);
    assert_eq!(
        store
            .delete_older_than(5_000_000, &[live_old.to_string()])
            .unwrap(),
        1
    );
    assert!(store.load(&old).unwrap().is_none());
    assert!(
        store.load(&live_old).unwrap().is_some(),
        "a room in use is kept"
    );
    assert!(store.load(&recent).unwrap().is_some());
}

/// A script that reads the first line and goes away closes the server's
/// standard output; what the server writes to it after that must not stop
/// it. Here the output is closed before the server writes anything.
#[test]
fn a_closed_standard_output_does_not_stop_the_server() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_riskroom-server"))
        .args(["--addr", &addr, "--static-dir", "/nonexistent", "--db"])
        .arg(dir.path().join("rooms.sqlite3"))
        .env("RUST_LOG", "off")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut answer = String::new();
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(50));
        if let Ok(mut stream) = std::net::TcpStream::connect(&addr) {
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let _ = stream.read_to_string(&mut answer);
            break;
        }
    }
    assert!(answer.ends_with("ok"), "no answer: {answer:?}");
    assert!(child.try_wait().unwrap().is_none(), "the server stopped");
    child.kill().unwrap();
    let _ = child.wait();
}
