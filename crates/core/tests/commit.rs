//! `Room::commit`: how a decided event joins the log — numbered next, stamped,
//! folded in — the same on the server and in a browser running a room alone.

use riskroom_core::room::Actor;
use riskroom_core::{Command, Event, Rejection, Room, RoomCode, Secret, Stamped};

fn new_room() -> (Room, Stamped) {
    let code = RoomCode::parse("K7WQ3M").unwrap();
    let key = Secret::from_client("facilitator-key");
    let opening = Stamped {
        seq: 1,
        at_ms: 5,
        event: Room::opening(code, "Peak season", &key).unwrap(),
    };
    (Room::open(&opening).unwrap(), opening)
}

fn guest(n: u32) -> Actor {
    Actor::Guest {
        seat: Secret::from_client(format!("seat-{n}")).hash(),
    }
}

/// Decides a command and commits its events, as the server's room task does.
fn decide(room: &mut Room, actor: &Actor, command: &Command, at_ms: u64) -> Vec<Stamped> {
    let events = room.handle(actor, command, at_ms).unwrap();
    events
        .into_iter()
        .map(|event| room.commit(event, at_ms).unwrap())
        .collect()
}

#[test]
fn commit_numbers_events_in_turn_and_keeps_their_time() {
    let (mut room, _) = new_room();
    let first = decide(
        &mut room,
        &guest(1),
        &Command::Join { name: "Ada".into() },
        10,
    );
    let second = decide(
        &mut room,
        &guest(2),
        &Command::Join { name: "Bo".into() },
        20,
    );
    let seqs: Vec<u64> = first.iter().chain(&second).map(|s| s.seq).collect();
    assert_eq!(seqs, (2..2 + seqs.len() as u64).collect::<Vec<_>>());
    assert!(first.iter().all(|s| s.at_ms == 10));
    assert!(second.iter().all(|s| s.at_ms == 20));
    assert_eq!(room.seq, *seqs.last().unwrap());
    assert_eq!(room.active_participants().count(), 2);
}

#[test]
fn the_committed_log_replays_to_the_live_room() {
    let (mut room, opening) = new_room();
    let mut log = vec![opening];
    log.extend(decide(
        &mut room,
        &guest(1),
        &Command::Join { name: "Ada".into() },
        10,
    ));
    log.extend(decide(
        &mut room,
        &Actor::Facilitator,
        &Command::CreateTeam {
            name: "Blue".into(),
        },
        30,
    ));
    assert_eq!(Room::replay(&log).unwrap(), room);
}

#[test]
fn an_event_that_does_not_fold_is_refused_and_changes_nothing() {
    let (mut room, _) = new_room();
    let before = room.clone();
    let again = Event::RoomOpened {
        code: room.code.clone(),
        title: "Again".into(),
        facilitator: None,
        room_view: None,
        limits: room.limits,
    };
    assert!(matches!(
        room.commit(again, 40),
        Err(Rejection::OutOfOrder { .. })
    ));
    assert_eq!(room, before);
}
