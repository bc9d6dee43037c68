//! A room over real sockets: create, join, rejoin, isolation between rooms,
//! bad input refused with a reason, and nothing lost to `kill -9`.

mod common;

use std::time::Duration;

use common::{Server, facilitator, participant};
use riskroom_core::protocol::You;
use riskroom_core::{Command, Event, Room, ServerMessage};
use serde_json::json;

/// Joins as a new learner; returns (client, participant id number, token).
async fn join(server: &Server, code: &str, name: &str) -> (common::Client, u32, String) {
    let mut client = server.client().await;
    let welcome = client.hello(code, None).await;
    assert!(
        matches!(
            welcome,
            ServerMessage::Welcome {
                you: You::Guest,
                ..
            }
        ),
        "{welcome:?}"
    );
    let id = client.command(Command::Join { name: name.into() }).await;
    let ServerMessage::Joined { id: pid, token } = client.recv().await else {
        panic!("expected Joined")
    };
    let ack = client.recv().await;
    assert_eq!(
        ack,
        ServerMessage::Ack {
            id,
            seq: ack_seq(&ack)
        }
    );
    // Having joined, it gets a fresh view as that participant.
    assert!(matches!(
        client.recv().await,
        ServerMessage::Welcome {
            you: You::Participant { .. },
            ..
        }
    ));
    (
        client,
        pid.0,
        token
            .expect("the server made the token")
            .expose()
            .to_owned(),
    )
}

fn ack_seq(msg: &ServerMessage) -> u64 {
    match msg {
        ServerMessage::Ack { seq, .. } => *seq,
        other => panic!("expected Ack, got {other:?}"),
    }
}

fn welcome_room(msg: ServerMessage) -> (You, Room) {
    match msg {
        ServerMessage::Welcome { you, room, .. } => (you, room),
        other => panic!("expected Welcome, got {other:?}"),
    }
}

fn names(room: &Room) -> Vec<String> {
    room.active_participants().map(|p| p.name.clone()).collect()
}

#[tokio::test]
async fn learners_join_and_everyone_sees_the_list_change() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (code, key) = server.create_room("Peak season drill").await;
    assert_eq!(code.len(), 6);
    assert!(key.len() >= 32, "key carries at least 128 bits");

    let mut console = server.client().await;
    let (you, room) = welcome_room(console.hello(&code, facilitator(&key)).await);
    assert_eq!(you, You::Facilitator);
    assert_eq!(room.title, "Peak season drill");
    assert!(names(&room).is_empty());

    let (_ada, ada_id, _) = join(&server, &code, "Ada").await;
    let (_grace, grace_id, grace_token) = join(&server, &code, "Grace").await;
    assert_eq!((ada_id, grace_id), (1, 2));

    // The console folds the broadcast events into the same state.
    let mut mirror = room;
    while names(&mirror).len() < 2 {
        if let ServerMessage::Events { events } = console.recv().await {
            for event in &events {
                mirror.apply(event).unwrap();
            }
        }
    }
    assert_eq!(names(&mirror), ["Ada", "Grace"]);
    assert!(
        mirror.participants.iter().all(|p| p.seat.is_none()),
        "no seat hashes leak"
    );

    // Grace reloads: same seat, no duplicate.
    let mut grace_again = server.client().await;
    let (you, room) = welcome_room(grace_again.hello(&code, participant(&grace_token)).await);
    assert_eq!(
        you,
        You::Participant {
            id: riskroom_core::ParticipantId(2)
        }
    );
    assert_eq!(names(&room), ["Ada", "Grace"]);
    assert_eq!(room, mirror);
}

#[tokio::test]
async fn rooms_are_isolated() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (room_a, _) = server.create_room("A").await;
    let (room_b, _) = server.create_room("B").await;
    assert_ne!(room_a, room_b);
    let (_ada, _, ada_token) = join(&server, &room_a, "Ada").await;
    let (_linus, _, _) = join(&server, &room_b, "Linus").await;

    let mut probe = server.client().await;
    let (_, room) = welcome_room(probe.hello(&room_b, None).await);
    assert_eq!(names(&room), ["Linus"]);

    // A seat token of room A opens nothing in room B: there it is only a
    // guest's seat, seeing what any guest sees.
    let mut intruder = server.client().await;
    let (you, room) = welcome_room(intruder.hello(&room_b, participant(&ada_token)).await);
    assert_eq!(you, You::Guest);
    assert_eq!(names(&room), ["Linus"]);
}

#[tokio::test]
async fn bad_handshakes_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (code, key) = server.create_room("Drill").await;

    let cases: Vec<(String, &str)> = vec![
        ("not json".into(), "This message could not be read"),
        (json!({"type": "hello", "protocol": 0, "room": code}).to_string(), "This page is older than the server"),
        (json!({"type": "hello", "protocol": 99, "room": code}).to_string(), "The server runs an older Riskroom"),
        (json!({"type": "hello", "protocol": riskroom_core::PROTOCOL_VERSION, "room": "ZZZZZZ"}).to_string(), "There is no room ZZZZZZ. Check the code on the screen."),
        (json!({"type": "hello", "protocol": riskroom_core::PROTOCOL_VERSION, "room": "0O0O0O"}).to_string(), "This message could not be read"),
        (json!({"type": "command", "id": 1, "command": {"type": "leave"}}).to_string(), "Say hello first"),
        (
            json!({"type": "hello", "protocol": riskroom_core::PROTOCOL_VERSION, "room": code, "credential": {"as": "facilitator", "key": format!("{key}x")}}).to_string(),
            "This facilitator key does not open room",
        ),
    ];
    for (text, want) in cases {
        let mut client = server.client().await;
        client.send_text(text.clone()).await;
        match client.recv().await {
            ServerMessage::Rejected { reason, .. } => {
                assert!(
                    reason.contains(want),
                    "{text}: got {reason:?}, wanted {want:?}"
                )
            }
            other => panic!("{text}: got {other:?}"),
        }
        assert_eq!(
            client.try_recv(Duration::from_secs(2)).await,
            None,
            "{text}: closed after refusal"
        );
    }
}

#[tokio::test]
async fn bad_commands_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (code, key) = server.create_room("Drill").await;
    let (mut ada, _, _) = join(&server, &code, "Ada").await;

    // A learner cannot act as the facilitator.
    let id = ada.command(Command::EndRoom).await;
    assert_eq!(
        ada.recv().await,
        ServerMessage::Rejected {
            id: Some(id),
            reason: "Only the facilitator can end the room.".into()
        }
    );
    // Unreadable or unknown messages get a reason and the connection stays open.
    for text in [
        "{",
        r#"{"type":"command","id":"x","command":{"type":"leave"}}"#,
        r#"{"type":"command","id":5,"command":{"type":"make_me_facilitator"}}"#,
        r#"{"type":"command","id":5,"command":{"type":"join","name":"Eve","seat":"abc"}}"#,
    ] {
        ada.send_text(text).await;
        match ada.recv().await {
            ServerMessage::Rejected { id: None, reason } => {
                assert!(
                    reason.starts_with("This message could not be read"),
                    "{reason}"
                )
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    let id = ada
        .command(Command::Join {
            name: "Ada twin".into(),
        })
        .await;
    assert_eq!(
        ada.recv().await,
        ServerMessage::Rejected {
            id: Some(id),
            reason: "You have already joined this room.".into()
        }
    );
    // Binary frames are refused.
    ada.send_binary(vec![1, 2, 3]).await;
    assert!(matches!(ada.recv().await, ServerMessage::Rejected { .. }));

    // Nothing above changed the room. A console watches it from here on.
    let mut console = server.client().await;
    let (_, room) = welcome_room(console.hello(&code, facilitator(&key)).await);
    assert_eq!(room.seq, 2, "only the opening and Ada's join");
    assert!(!room.ended);

    // An oversized frame is refused by the socket, and the connection ends.
    // Before the hello, the server first says why, naming the size; that
    // refusal may be all the client reads, or be lost to the reset if the
    // server closes while the frame is still being written.
    let over = MAX_FRAME_BYTES + 1;
    let mut big = server.client().await;
    let _ = big.try_send_text("x".repeat(over)).await;
    match big.try_recv(Duration::from_secs(5)).await {
        None => {}
        Some(ServerMessage::Rejected { id: None, reason }) => assert!(
            reason.contains(&format!("{over} > {MAX_FRAME_BYTES}")),
            "the refusal names the size: {reason}"
        ),
        Some(other) => panic!("oversized frame before hello: got {other:?}"),
    }
    assert_closed(&mut big, "oversized frame before hello").await;

    // Inside a room, an oversized frame that would be a valid join (a short
    // command padded with whitespace) ends the connection and joins no one.
    let mut eve = server.client().await;
    let (you, _) = welcome_room(eve.hello(&code, None).await);
    assert_eq!(you, You::Guest);
    let eve_joins = json!({"type": "command", "id": 1, "command": {"type": "join", "name": "Eve"}});
    let padded = format!("{eve_joins}{}", " ".repeat(over));
    // The send itself fails if the server resets before the frame is written.
    let _ = eve.try_send_text(padded).await;
    assert_closed(&mut eve, "oversized command").await;

    // The server still serves others, and the next event the console sees is
    // the well-behaved join: nothing came of the oversized frames.
    let (_grace, grace_id, _) = join(&server, &code, "Grace").await;
    assert_eq!(grace_id, 2);
    let ServerMessage::Events { events } = console
        .until(|m| matches!(m, ServerMessage::Events { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].seq, 3, "{events:?}");
    assert!(
        matches!(&events[0].event, Event::ParticipantJoined { name, .. } if name == "Grace"),
        "{events:?}"
    );
    let mut after = server.client().await;
    let (_, room) = welcome_room(after.hello(&code, facilitator(&key)).await);
    assert_eq!(room.seq, 3, "the opening, Ada's join and Grace's");
    assert_eq!(names(&room), ["Ada", "Grace"]);
}

/// The server's default limit on one WebSocket frame or message.
const MAX_FRAME_BYTES: usize = 1024 * 1024;

/// The server closed this connection: nothing more arrives (a close, a
/// reset or end of stream — not a timeout: `try_send_text` on a connection
/// that is merely silent would succeed).
async fn assert_closed(client: &mut common::Client, what: &str) {
    assert_eq!(
        client.try_recv(Duration::from_secs(5)).await,
        None,
        "{what}: no further message"
    );
    assert!(
        client.try_send_text("{}").await.is_err(),
        "{what}: the connection is closed, not just silent"
    );
}

#[tokio::test]
async fn the_facilitator_removes_and_ends_and_the_debrief_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rooms.sqlite3");
    let server = Server::start_on(db.clone(), &[]);
    let (code, key) = server.create_room("Drill").await;
    let (mut ada, ada_id, ada_token) = join(&server, &code, "Ada").await;
    let (mut grace, _, grace_token) = join(&server, &code, "Grace").await;
    let mut console = server.client().await;
    console.hello(&code, facilitator(&key)).await;

    // Removed, and told they may join again.
    console
        .command(Command::RemoveParticipant {
            id: riskroom_core::ParticipantId(ada_id),
            cards: false,
            block: false,
        })
        .await;
    let closed = ada
        .until(|m| matches!(m, ServerMessage::Closed { .. }))
        .await;
    assert_eq!(
        closed,
        ServerMessage::Closed {
            reason: "The facilitator removed you from this room. You may join it again.".into(),
            rejoin: true,
        }
    );
    assert_closed(&mut ada, "Ada's page").await;
    let mut again = server.client().await;
    assert!(matches!(
        again.hello(&code, participant(&ada_token)).await,
        ServerMessage::Rejected { .. }
    ));

    // Ending the room closes no page: each hears of it and stays open.
    console.command(Command::EndRoom).await;
    for page in [&mut console, &mut grace] {
        page.until(|m| {
            matches!(m, ServerMessage::Events { events }
                if events.iter().any(|e| e.event == Event::RoomEnded))
        })
        .await;
    }
    let id = grace
        .command(Command::Rename {
            name: "Grace H.".into(),
        })
        .await;
    assert_eq!(
        grace.recv().await,
        ServerMessage::Rejected {
            id: Some(id),
            reason: "This room has ended; nothing more can change.".into()
        }
    );
    // After a restart, every link still opens the room, read-only; a
    // newcomer may look but not join.
    server.kill();
    let server = Server::start_on(db, &[]);
    for credential in [
        facilitator(&key),
        participant(&grace_token),
        Some(riskroom_core::Credential::RoomView {
            key: riskroom_core::Secret::from_client(key.clone()).room_view_key(),
        }),
    ] {
        let mut page = server.client().await;
        let (_, room) = welcome_room(page.hello(&code, credential).await);
        assert!(room.ended);
    }
    let mut late = server.client().await;
    let (you, room) = welcome_room(late.hello(&code, None).await);
    assert_eq!(you, You::Guest);
    assert!(room.ended);
    let id = late
        .command(Command::Join {
            name: "Linus".into(),
        })
        .await;
    assert_eq!(
        late.recv().await,
        ServerMessage::Rejected {
            id: Some(id),
            reason: "This room has ended; nothing more can change.".into()
        }
    );
}

/// A learner's phone dies: the facilitator hands the seat over, the code
/// reaches the console alone, and a laptop that types it is that learner
/// — while the phone's page closes and its token opens nothing.
#[tokio::test]
async fn a_seat_moves_to_another_device_over_the_socket() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (code, key) = server.create_room("Drill").await;
    let (mut phone, ada_id, phone_token) = join(&server, &code, "Ada").await;
    let (mut grace, _, _) = join(&server, &code, "Grace").await;
    let mut console = server.client().await;
    console.hello(&code, facilitator(&key)).await;

    console
        .command(Command::HandOverSeat {
            id: riskroom_core::ParticipantId(ada_id),
        })
        .await;
    let ServerMessage::SeatCode {
        participant: for_seat,
        code: seat_code,
        expires_ms,
    } = console
        .until(|m| matches!(m, ServerMessage::SeatCode { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(for_seat.0, ada_id);
    assert_eq!(seat_code.len(), 9, "{seat_code}");
    assert!(expires_ms > 0);
    // Nobody else hears of the code (the event is withheld from all).
    for page in [&mut phone, &mut grace] {
        while let Some(m) = page.try_recv(Duration::from_millis(300)).await {
            let text = serde_json::to_string(&m).unwrap();
            assert!(!text.contains(&seat_code), "{text}");
        }
    }

    // A wrong code first, then the right one, on a laptop.
    let mut laptop = server.client().await;
    welcome_room(laptop.hello(&code, None).await);
    let id = laptop
        .command(Command::ClaimSeat {
            code: "0000-0000".into(),
        })
        .await;
    assert_eq!(
        laptop.recv().await,
        ServerMessage::Rejected {
            id: Some(id),
            reason:
                "That seat code is not right or has expired. Ask the facilitator for a new one."
                    .into()
        }
    );
    laptop
        .command(Command::ClaimSeat {
            code: seat_code.to_lowercase(),
        })
        .await;
    let ServerMessage::Joined { id, token } = laptop
        .until(|m| matches!(m, ServerMessage::Joined { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(id.0, ada_id);
    let laptop_token = token.expect("the server made the laptop's token");
    let (you, _) = welcome_room(
        laptop
            .until(|m| matches!(m, ServerMessage::Welcome { .. }))
            .await,
    );
    assert_eq!(you, You::Participant { id });

    let closed = phone
        .until(|m| matches!(m, ServerMessage::Closed { .. }))
        .await;
    assert!(
        matches!(&closed, ServerMessage::Closed { reason, rejoin: false }
            if reason.starts_with("Your seat moved to another device.")),
        "{closed:?}"
    );
    assert_closed(&mut phone, "the phone's page").await;
    let mut old = server.client().await;
    let refused = old.hello(&code, participant(&phone_token)).await;
    assert!(
        matches!(&refused, ServerMessage::Rejected { reason, .. } if reason.contains("moved to another device")),
        "{refused:?}"
    );
    let mut back = server.client().await;
    let (you, _) = welcome_room(back.hello(&code, participant(laptop_token.expose())).await);
    assert_eq!(you, You::Participant { id });
}

#[tokio::test]
async fn acknowledged_events_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rooms.sqlite3");
    let server = Server::start_on(db.clone(), &[]);
    let (code, key) = server.create_room("Durable").await;
    let mut tokens = Vec::new();
    for name in ["Ada", "Grace", "Linus", "Barbara"] {
        let (client, _, token) = join(&server, &code, name).await;
        tokens.push(token);
        std::mem::forget(client);
    }
    let mut console = server.client().await;
    let (_, before) = welcome_room(console.hello(&code, facilitator(&key)).await);
    server.kill();

    let server = Server::start_on(db, &[]);
    let mut console = server.client().await;
    let (_, after) = welcome_room(console.hello(&code, facilitator(&key)).await);
    assert_eq!(after, before);
    assert_eq!(names(&after), ["Ada", "Grace", "Linus", "Barbara"]);
    // Every seat still opens, as the same participant.
    for (n, token) in tokens.iter().enumerate() {
        let mut phone = server.client().await;
        let (you, _) = welcome_room(phone.hello(&code, participant(token)).await);
        assert_eq!(
            you,
            You::Participant {
                id: riskroom_core::ParticipantId(n as u32 + 1)
            }
        );
    }
}

#[tokio::test]
async fn http_api_refuses_bad_requests_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (status, body) = server
        .http("POST", "/api/rooms", r#"{"title": "   "}"#)
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("Please enter a room title."), "{body}");
    let (status, _) = server.http("POST", "/api/rooms", r#"{"title": 3}"#).await;
    assert_eq!(status, 400);
    let (status, body) = server.http("GET", "/healthz", "").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn presence_follows_open_pages() {
    use riskroom_core::ParticipantId;
    use riskroom_core::protocol::Presence;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (code, key) = server.create_room("Drill").await;
    let mut console = server.client().await;
    console.hello(&code, facilitator(&key)).await;
    async fn presence(console: &mut common::Client, want: Presence) {
        let want = ServerMessage::Presence(want);
        loop {
            let got = console
                .try_recv_any(Duration::from_secs(5))
                .await
                .unwrap_or_else(|| panic!("no {want:?}"));
            if got == want {
                return;
            }
        }
    }
    presence(
        &mut console,
        Presence {
            facilitator: true,
            online: vec![],
        },
    )
    .await;
    let (ada, _, _) = join(&server, &code, "Ada").await;
    presence(
        &mut console,
        Presence {
            facilitator: true,
            online: vec![ParticipantId(1)],
        },
    )
    .await;
    ada.close().await;
    presence(
        &mut console,
        Presence {
            facilitator: true,
            online: vec![],
        },
    )
    .await;
}
