//! A panic in one room's task stays in that room: its people are told why
//! and disconnected, every other room keeps running, and the room opens
//! again from its stored log with every acknowledged change in it. The
//! panic is the test build's own (`fault-injection`), set off by a learner
//! joining under a trigger name in the one room the server was told to
//! strike.

mod common;

use std::time::Duration;

use common::{Client, Server, facilitator, participant};
use riskroom_core::protocol::You;
use riskroom_core::{Command, CommandId, ServerMessage};

/// The title of the room the server strikes, and the name that sets it off
/// (`fault_injection::TRIGGER` in src/rooms.rs).
const STRUCK: &str = "Struck by a fault";
const TRIGGER: &str = "Trigger the fault";

/// Reads until the Ack of `id`; returns its seq. A Rejected for it fails.
async fn acked(client: &mut Client, id: CommandId) -> u64 {
    match client
        .until(|m| {
            matches!(m, ServerMessage::Ack { id: got, .. } | ServerMessage::Rejected { id: Some(got), .. } if *got == id)
        })
        .await
    {
        ServerMessage::Ack { seq, .. } => seq,
        other => panic!("expected an Ack, got {other:?}"),
    }
}

/// Joins as a new learner; returns (client, seat token, seq of the join).
async fn join(server: &Server, code: &str, name: &str) -> (Client, String, u64) {
    let mut client = server.client().await;
    assert!(matches!(
        client.hello(code, None).await,
        ServerMessage::Welcome {
            you: You::Guest,
            ..
        }
    ));
    let id = client.command(Command::Join { name: name.into() }).await;
    let ServerMessage::Joined { token, .. } = client.recv().await else {
        panic!("expected Joined")
    };
    let seq = acked(&mut client, id).await;
    let token = token
        .expect("the server made the token")
        .expose()
        .to_owned();
    (client, token, seq)
}

/// Reads until the server closes the connection; returns the reason of the
/// `Closed` it sent last, if any.
async fn closed_reason(client: &mut Client) -> Option<String> {
    let mut reason = None;
    while let Some(msg) = client.try_recv(Duration::from_secs(10)).await {
        if let ServerMessage::Closed { reason: r, .. } = msg {
            reason = Some(r);
        }
    }
    reason
}

#[tokio::test]
async fn a_panic_in_one_room_closes_that_room_only_and_it_opens_again_from_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(
        dir.path().join("rooms.sqlite3"),
        &[],
        &[("RISKROOM_FAULT_INJECTION", STRUCK)],
    );
    let (struck, struck_key) = server.create_room(STRUCK).await;
    let (calm, calm_key) = server.create_room("Calm room").await;

    // Both rooms in use: a console and a learner each, every change acknowledged.
    let mut struck_console = server.client().await;
    struck_console
        .hello(&struck, facilitator(&struck_key))
        .await;
    let (mut ada, ada_token, ada_seq) = join(&server, &struck, "Ada").await;
    let rename = ada
        .command(Command::Rename {
            name: "Ada L".into(),
        })
        .await;
    let last_acked = acked(&mut ada, rename).await;
    assert!(last_acked > ada_seq);
    let mut calm_console = server.client().await;
    calm_console.hello(&calm, facilitator(&calm_key)).await;
    let (mut bo, _, _) = join(&server, &calm, "Bo").await;

    // A guest of the struck room joins under the trigger name: its task panics.
    let mut trigger = server.client().await;
    trigger.hello(&struck, None).await;
    trigger
        .command(Command::Join {
            name: TRIGGER.into(),
        })
        .await;

    // Everyone in the struck room is told why, then disconnected.
    for (who, client) in [
        ("the trigger", &mut trigger),
        ("the console", &mut struck_console),
        ("Ada", &mut ada),
    ] {
        let reason = closed_reason(client).await;
        assert!(
            reason
                .as_deref()
                .is_some_and(|r| r.contains("fault on the server") && r.contains("Reload")),
            "{who} was told {reason:?}"
        );
    }
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("room task panicked"), "{log}");
    assert!(log.contains(&struck), "the log names the room: {log}");

    // The other room goes on: its commands are acknowledged, its console
    // hears of them, and the server answers its health check.
    let rename = bo
        .command(Command::Rename {
            name: "Bo B".into(),
        })
        .await;
    let seq = acked(&mut bo, rename).await;
    calm_console
        .until(|m| matches!(m, ServerMessage::Events { events } if events.iter().any(|e| e.seq == seq)))
        .await;
    let (status, body) = server.http("GET", "/healthz", "").await;
    assert_eq!((status, body.trim()), (200, "ok"));

    // The struck room opens again from its log: every acknowledged change
    // is there, the change that was being decided is not, and it takes new
    // commands.
    let mut console = server.client().await;
    let ServerMessage::Welcome { room, .. } =
        console.hello(&struck, facilitator(&struck_key)).await
    else {
        panic!("the struck room did not open again")
    };
    assert_eq!(
        room.seq, last_acked,
        "every acknowledged event, nothing more"
    );
    let names: Vec<&str> = room.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ada L"]);
    let mut ada = server.client().await;
    assert!(matches!(
        ada.hello(&struck, participant(&ada_token)).await,
        ServerMessage::Welcome {
            you: You::Participant { .. },
            ..
        }
    ));
    // A page goes on numbering its commands where it left off.
    ada.command_with_id(
        10,
        Command::Rename {
            name: "Ada Lovelace".into(),
        },
    )
    .await;
    assert_eq!(acked(&mut ada, CommandId(10)).await, last_acked + 1);
}
