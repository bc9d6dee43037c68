//! What IT runs the server with: readiness, metrics, rooms let go from
//! memory when idle, and a backup taken while rooms are written, restored
//! as docs/deploy.md says.

mod common;

use std::time::Duration;

use common::{Server, participant};
use riskroom_core::{Command, Room, ServerMessage};

/// Renames the learner and waits for the acknowledgement; returns its seq.
async fn rename(client: &mut common::Client, name: &str) -> u64 {
    let id = client.command(Command::Rename { name: name.into() }).await;
    match client
        .until(|m| matches!(m, ServerMessage::Ack { id: acked, .. } if *acked == id))
        .await
    {
        ServerMessage::Ack { seq, .. } => seq,
        other => panic!("expected Ack, got {other:?}"),
    }
}

/// The value of one figure in the metrics text.
fn figure(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
}

/// The room as a fresh page of this learner sees it.
async fn room_of(server: &Server, code: &str, token: &str) -> Room {
    let mut client = server.client().await;
    match client.hello(code, participant(token)).await {
        ServerMessage::Welcome { room, .. } => room,
        other => panic!("expected Welcome, got {other:?}"),
    }
}

fn name_in(room: &Room) -> String {
    room.active_participants()
        .next()
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn ready_and_counted_and_idle_rooms_let_go() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(dir.path().join("rooms.sqlite3"), &["--room-idle-ms", "300"]);
    assert_eq!(
        server.http("GET", "/readyz", "").await,
        (200, "ready".into())
    );
    let (code, _) = server.create_room("Counted").await;
    let (mut ada, token) = server.join(&code, "Ada").await;
    for n in 1..=5 {
        rename(&mut ada, &format!("Ada {n}")).await;
    }
    let (status, text) = server.http("GET", "/metrics", "").await;
    assert_eq!(status, 200);
    assert_eq!(figure(&text, "riskroom_rooms_live"), 1.0);
    assert_eq!(figure(&text, "riskroom_connections_open"), 1.0);
    assert!(figure(&text, "riskroom_commands_total") >= 6.0, "{text}");
    // The join and five renames (the opening event is stored with the room).
    assert!(figure(&text, "riskroom_events_total") >= 6.0, "{text}");
    assert!(
        figure(&text, "riskroom_commit_seconds_count") >= 1.0,
        "{text}"
    );
    assert_eq!(figure(&text, "riskroom_store_failures_total"), 0.0);

    // Everyone gone: the room leaves memory after the idle time...
    ada.close().await;
    let mut live = 1.0;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let text = server.http("GET", "/metrics", "").await.1;
        live = figure(&text, "riskroom_rooms_live");
        if live == 0.0 && figure(&text, "riskroom_connections_open") == 0.0 {
            break;
        }
    }
    assert_eq!(live, 0.0, "the idle room is still in memory");
    // ...and comes back whole from the store when someone returns.
    let room = room_of(&server, &code, &token).await;
    assert_eq!(name_in(&room), "Ada 5");
    let text = server.http("GET", "/metrics", "").await.1;
    assert_eq!(figure(&text, "riskroom_rooms_live"), 1.0);
}

#[tokio::test]
async fn a_backup_taken_while_rooms_are_written_restores_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rooms.sqlite3");
    // Ada writes as fast as acknowledgements come: no rate limit.
    let server = Server::start_on(db.clone(), &["--max-messages-per-second", "100000"]);
    let (code, _) = server.create_room("Backed up").await;
    let (mut ada, token) = server.join(&code, "Ada").await;
    // Ada renames herself 300 times, one acknowledgement at a time; the
    // backup starts after the 50th.
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let writer = tokio::spawn(async move {
        let mut acked = Vec::new();
        let mut started_tx = Some(started_tx);
        for n in 1..=300 {
            let name = format!("Ada {n}");
            let seq = rename(&mut ada, &name).await;
            acked.push((seq, name));
            if n == 50 {
                let _ = started_tx.take().unwrap().send(seq);
            }
        }
        acked
    });
    let before = started_rx.await.unwrap();
    let copy = dir.path().join("copy.sqlite3");
    let backup = {
        let (db, copy) = (db.clone(), copy.clone());
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_riskroom-server"))
                .arg("--db")
                .arg(&db)
                .arg("backup")
                .arg(&copy)
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    };
    let out = String::from_utf8_lossy(&backup.stdout);
    assert!(
        backup.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(out.contains("Copied every room"), "{out}");
    let acked = writer.await.unwrap();
    let last = acked.last().unwrap().0;

    // A copy that exists is never overwritten.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_riskroom-server"))
        .arg("--db")
        .arg(&db)
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // Restored as docs/deploy.md says: the server stopped, the copy put
    // where --db points.
    drop(server);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&copy, &db).unwrap();
    let restored = Server::start_on(db.clone(), &[]);
    let room = room_of(&restored, &code, &token).await;
    // The copy is the room at one moment while it was being written: at
    // least what was acknowledged when the backup started, at most the
    // end, and the name it holds is the one of that moment.
    let seq = room.seq;
    assert!(
        (before..=last).contains(&seq),
        "restored at {seq}, outside {before}..={last}"
    );
    let expected = acked
        .iter()
        .rev()
        .find(|(acked_seq, _)| *acked_seq <= seq)
        .map(|(_, name)| name.clone())
        .unwrap();
    assert_eq!(name_in(&room), expected);
}
