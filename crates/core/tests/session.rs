//! The session's answers around reconnects: a command that changed nothing
//! is remembered like any other, a command sent twice in one batch stands
//! or falls with the first, and every page on a seat becomes the learner
//! who joined from it.

mod common;

use common::*;
use riskroom_core::protocol::You;
use riskroom_core::session::{ConnId, Delivery, Session};
use riskroom_core::{Command, CommandId, Credential, Secret, ServerMessage};

fn session() -> Session {
    let d = Drill::with_two_learners();
    Session::resume(&d.log, []).unwrap()
}

fn fresh() -> Secret {
    Secret::from_client("fresh")
}

fn connect(s: &mut Session, credential: &Credential) -> ConnId {
    s.connect(Some(credential), None, fresh()).unwrap().0
}

/// Decides one batch and stores it; returns what `conn` was sent.
fn run(s: &mut Session, conn: ConnId, commands: &[(u64, Command)]) -> Vec<ServerMessage> {
    let batch = commands
        .iter()
        .map(|(id, c)| (conn, CommandId(*id), c.clone()));
    let decision = s.decide(batch, 5_000, &riskroom_core::scenario::parse, &mut fresh);
    mail_for(&s.stored(decision), conn)
}

fn mail_for(delivery: &Delivery, conn: ConnId) -> Vec<ServerMessage> {
    delivery
        .mail
        .iter()
        .filter(|m| m.to.contains(&conn))
        .flat_map(|m| m.messages.clone())
        .collect()
}

fn anonymity(anonymous: bool) -> Command {
    Command::SetAnonymity { anonymous }
}

#[test]
fn a_command_that_changed_nothing_is_not_decided_again_when_sent_again() {
    let mut s = session();
    let console = connect(&mut s, &Credential::Facilitator { key: key() });
    run(&mut s, console, &[(1, anonymity(true))]);
    // A double tap: the same again changes nothing, then names are shown.
    run(&mut s, console, &[(2, anonymity(true))]);
    run(&mut s, console, &[(3, anonymity(false))]);
    assert!(!s.room().anonymous);
    // The page reconnects without its answers and sends all three again.
    s.disconnect(console);
    let again = connect(&mut s, &Credential::Facilitator { key: key() });
    let seq = s.room().seq;
    let answers = run(
        &mut s,
        again,
        &[
            (1, anonymity(true)),
            (2, anonymity(true)),
            (3, anonymity(false)),
        ],
    );
    assert!(
        answers
            .iter()
            .all(|m| matches!(m, ServerMessage::Ack { .. })),
        "{answers:?}"
    );
    assert!(
        !s.room().anonymous,
        "the no-op was applied again, out of order"
    );
    assert_eq!(s.room().seq, seq, "nothing new happened");
}

#[test]
fn a_command_sent_twice_in_a_batch_is_refused_with_it_when_the_write_fails() {
    let mut s = session();
    let console = connect(&mut s, &Credential::Facilitator { key: key() });
    let batch = [
        (console, CommandId(7), anonymity(true)),
        (console, CommandId(7), anonymity(true)),
    ];
    let decision = s.decide(batch, 5_000, &riskroom_core::scenario::parse, &mut fresh);
    let answers = mail_for(&s.unstored(decision, "The disk is full."), console);
    assert_eq!(answers.len(), 2, "{answers:?}");
    for answer in &answers {
        assert!(
            matches!(answer, ServerMessage::Rejected { id: Some(CommandId(7)), reason } if reason == "The disk is full."),
            "{answer:?}"
        );
    }
    assert!(!s.room().anonymous);
}

#[test]
fn every_page_on_a_seat_becomes_the_learner_who_joined_from_it() {
    let mut s = session();
    let tab = |s: &mut Session| connect(s, &Credential::Participant { token: seat(3) });
    let (first, second) = (tab(&mut s), tab(&mut s));
    let answers = run(
        &mut s,
        first,
        &[(
            1,
            Command::Join {
                name: "Linus".into(),
            },
        )],
    );
    assert!(
        answers
            .iter()
            .any(|m| matches!(m, ServerMessage::Joined { .. })),
        "{answers:?}"
    );
    let id = s
        .room()
        .active_participants()
        .find(|p| p.name == "Linus")
        .unwrap()
        .id;
    for conn in [first, second] {
        assert_eq!(
            s.actor(conn).map(You::from),
            Some(You::Participant { id }),
            "connection {conn}"
        );
    }
}

#[test]
fn replacing_the_room_view_link_shuts_out_the_old_one() {
    let mut s = session();
    let console = connect(&mut s, &Credential::Facilitator { key: key() });
    let old = Credential::RoomView {
        key: key().room_view_key(),
    };
    let projector = connect(&mut s, &old);
    let renew = Command::RenewRoomViewKey {
        room_view: key().room_view_key_at(1).hash(),
    };
    let decision = s.decide(
        [(console, CommandId(1), renew)],
        5_000,
        &riskroom_core::scenario::parse,
        &mut fresh,
    );
    let delivery = s.stored(decision);
    assert!(
        delivery.close.iter().any(|(conn, m)| *conn == projector
            && matches!(m, ServerMessage::Closed { reason } if reason.contains("replaced this room-view link"))),
        "{delivery:?}"
    );
    assert_eq!(s.room().room_view_generation, 1);
    assert!(
        s.connect(Some(&old), None, fresh()).is_err(),
        "the old link"
    );
    let new = Credential::RoomView {
        key: key().room_view_key_at(1),
    };
    let (conn, _) = s.connect(Some(&new), None, fresh()).unwrap();
    assert_eq!(s.actor(conn), Some(&riskroom_core::Actor::RoomView));
    // A learner's view holds the generation, never the hash.
    let view = s.room().view_for(&riskroom_core::Actor::RoomView);
    assert!(view.room_view.is_none());
}
