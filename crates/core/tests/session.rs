//! The session's answers around reconnects: a command that changed nothing
//! is remembered like any other, a command sent twice in one batch stands
//! or falls with the first, a command whose write failed leaves every page
//! as it was and goes through when sent again, every page on a seat becomes the learner who
//! joined from it, a seat follows its learner to another device, removed
//! learners are told whether they may come back, and an ended room keeps
//! every screen.

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
fn a_join_whose_write_failed_leaves_every_page_as_it_was_and_goes_through_when_sent_again() {
    let mut s = session();
    let tab = |s: &mut Session| connect(s, &Credential::Participant { token: seat(3) });
    let (first, second) = (tab(&mut s), tab(&mut s));
    let guest = s.actor(first).cloned();
    let before = s.room().clone();
    let join = Command::Join {
        name: "Linus".into(),
    };
    let decision = s.decide(
        [(first, CommandId(1), join.clone())],
        5_000,
        &riskroom_core::scenario::parse,
        &mut fresh,
    );
    assert!(!decision.events.is_empty(), "the join was decided");
    let answers = mail_for(&s.unstored(decision, "The disk is full."), first);
    assert!(
        matches!(answers.as_slice(), [ServerMessage::Rejected { id: Some(CommandId(1)), reason }] if reason == "The disk is full."),
        "{answers:?}"
    );
    assert_eq!(s.room(), &before, "the room is as it was");
    for conn in [first, second] {
        assert_eq!(
            s.actor(conn).cloned(),
            guest,
            "connection {conn} is still a guest"
        );
    }
    // The page sends the same command again, under the same number.
    let answers = run(&mut s, first, &[(1, join)]);
    assert!(
        answers
            .iter()
            .any(|m| matches!(m, ServerMessage::Joined { .. })),
        "{answers:?}"
    );
    assert!(s.room().active_participants().any(|p| p.name == "Linus"));
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
            && matches!(m, ServerMessage::Closed { reason, rejoin: false } if reason.contains("replaced this room-view link"))),
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

/// Decides one batch at `at_ms` and stores it.
fn run_at(s: &mut Session, conn: ConnId, id: u64, command: Command, at_ms: u64) -> Delivery {
    let decision = s.decide(
        [(conn, CommandId(id), command)],
        at_ms,
        &riskroom_core::scenario::parse,
        &mut fresh_each(),
    );
    s.stored(decision)
}

/// A fresh secret each call, as the server draws them.
fn fresh_each() -> impl FnMut() -> Secret {
    let mut made = 0u32;
    move || {
        made += 1;
        Secret::from_client(format!("drawn-{made}"))
    }
}

fn rejection(delivery: &Delivery, conn: ConnId) -> String {
    mail_for(delivery, conn)
        .into_iter()
        .find_map(|m| match m {
            ServerMessage::Rejected { reason, .. } => Some(reason),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no refusal: {delivery:?}"))
}

/// The facilitator hands a seat over; the code reaches the console only.
fn hand_over(s: &mut Session, console: ConnId, id: u64, at_ms: u64) -> (String, u64) {
    let delivery = run_at(
        s,
        console,
        id,
        Command::HandOverSeat {
            id: riskroom_core::ParticipantId(1),
        },
        at_ms,
    );
    let code = mail_for(&delivery, console)
        .into_iter()
        .find_map(|m| match m {
            ServerMessage::SeatCode {
                code, expires_ms, ..
            } => Some((code, expires_ms)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no seat code: {delivery:?}"));
    // Nobody else is sent anything that holds it, nor its hash.
    let hash = riskroom_core::SeatCode::parse(&code.0).unwrap().hash();
    for mail in delivery.mail.iter().filter(|m| m.to != vec![console]) {
        let text = serde_json::to_string(&mail.messages).unwrap();
        assert!(
            !text.contains(&code.0) && !text.contains(hash.as_str()),
            "{text}"
        );
    }
    (code.0, code.1)
}

/// Ada's phone died: the facilitator gives her a seat code, she types it on
/// a laptop that has not joined, and the laptop is Ada — role, estimates
/// and all; the phone's page closes and its token opens nothing.
#[test]
fn the_seat_follows_the_person_to_another_device() {
    let mut d = Drill::with_supplier_card();
    d.advance(); // assess
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: riskroom_core::room::CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );
    let mut s = Session::resume(&d.log, []).unwrap();
    let console = connect(&mut s, &Credential::Facilitator { key: key() });
    let phone = connect(&mut s, &Credential::Participant { token: seat(1) });
    let grace = connect(&mut s, &Credential::Participant { token: seat(2) });
    let (laptop, _) = s.connect(None, None, seat(77)).unwrap();

    let (code, expires_ms) = hand_over(&mut s, console, 1, 5_000);
    assert_eq!(expires_ms, 5_000 + 15 * 60 * 1000, "valid for 15 minutes");
    assert_eq!(code.len(), 9, "{code}");
    assert!(s.room().view_for(&F).seat_codes.is_empty());

    // Grace may not hand over Ada's seat; Ada may hand over her own.
    let refused = run_at(
        &mut s,
        grace,
        1,
        Command::HandOverSeat {
            id: riskroom_core::ParticipantId(1),
        },
        5_000,
    );
    assert_eq!(
        rejection(&refused, grace),
        "You can hand over only your own seat; the facilitator can hand over anyone's."
    );

    // Typed in lower case with a space, on the laptop.
    let typed = code.replace('-', " ").to_lowercase();
    let delivery = run_at(&mut s, laptop, 1, Command::ClaimSeat { code: typed }, 6_000);
    let laptop_mail = mail_for(&delivery, laptop);
    assert!(
        laptop_mail.iter().any(|m| matches!(m,
            ServerMessage::Joined { id, token: Some(token) }
                if id.0 == 1 && *token == seat(77))),
        "{laptop_mail:?}"
    );
    let welcome = laptop_mail
        .iter()
        .find_map(|m| match m {
            ServerMessage::Welcome { you, room, .. } => Some((you.clone(), room.clone())),
            _ => None,
        })
        .expect("a fresh view as Ada");
    assert_eq!(
        welcome.0,
        You::Participant {
            id: riskroom_core::ParticipantId(1)
        }
    );
    assert_eq!(
        welcome.1.role_of(riskroom_core::ParticipantId(1)),
        Some("finance")
    );
    let estimates = &welcome.1.team(T1).unwrap().estimates;
    assert!(
        estimates
            .iter()
            .any(|e| e.author.0 == 1 && e.value.is_some()),
        "her estimate came with her: {estimates:?}"
    );
    // The phone's page closes, saying why; it may not simply join again.
    assert!(
        delivery.close.iter().any(|(conn, m)| *conn == phone
            && matches!(m, ServerMessage::Closed { reason, rejoin: false }
                if reason.starts_with("Your seat moved to another device."))),
        "{delivery:?}"
    );
    assert!(mail_for(&delivery, phone).is_empty(), "{delivery:?}");
    assert!(s.actor(phone).is_none());
    // The phone's token opens nothing; the laptop's opens Ada's seat.
    let again = s
        .connect(
            Some(&Credential::Participant { token: seat(1) }),
            None,
            fresh(),
        )
        .unwrap_err();
    assert!(
        again.to_string().contains("moved to another device"),
        "{again}"
    );
    let (back, _) = s
        .connect(
            Some(&Credential::Participant { token: seat(77) }),
            None,
            fresh(),
        )
        .unwrap();
    assert_eq!(
        s.actor(back),
        Some(&riskroom_core::Actor::Participant(
            riskroom_core::ParticipantId(1)
        ))
    );
    // The code was used up.
    let (other, _) = s.connect(None, None, fresh()).unwrap();
    let used = run_at(&mut s, other, 1, Command::ClaimSeat { code }, 7_000);
    assert_eq!(
        rejection(&used, other),
        "That seat code is not right or has expired. Ask the facilitator for a new one."
    );
    assert!(s.room().seat_codes.is_empty(), "no code left to guess");
}

/// A wrong or expired code changes nothing; five wrong codes in ten
/// minutes stop claims until the oldest is ten minutes old.
#[test]
fn wrong_seat_codes_are_refused_and_guessing_stops_for_a_while() {
    let mut s = session();
    let console = connect(&mut s, &Credential::Facilitator { key: key() });
    let (guest, _) = s.connect(None, None, fresh()).unwrap();
    let wrong = "That seat code is not right or has expired. Ask the facilitator for a new one.";

    // An expired code.
    let (old, _) = hand_over(&mut s, console, 1, 0);
    let late = run_at(
        &mut s,
        guest,
        1,
        Command::ClaimSeat { code: old },
        15 * 60 * 1000,
    );
    assert_eq!(rejection(&late, guest), wrong);

    // A new code replaces it; typos are said plainly and not counted.
    let start = 30 * 60 * 1000; // the expired try is 15 minutes old by then
    let (code, _) = hand_over(&mut s, console, 2, start);
    let typo = run_at(
        &mut s,
        guest,
        2,
        Command::ClaimSeat { code: "ABC".into() },
        start,
    );
    assert_eq!(
        rejection(&typo, guest),
        "A seat code has 8 characters; this one has 3."
    );
    let seq = s.room().seq;
    let mut id = 3;
    for n in 0..5 {
        let guess = run_at(
            &mut s,
            guest,
            id,
            Command::ClaimSeat {
                code: format!("0000-000{n}"),
            },
            start + 60_000 * n,
        );
        id += 1;
        assert_eq!(rejection(&guess, guest), wrong);
    }
    assert_eq!(s.room().seq, seq, "wrong codes change nothing");
    // Even the right code waits now.
    let paused = run_at(
        &mut s,
        guest,
        id,
        Command::ClaimSeat { code: code.clone() },
        start + 5 * 60_000,
    );
    id += 1;
    assert_eq!(
        rejection(&paused, guest),
        "Too many wrong seat codes were tried in this room. Try again in 5 minutes or ask the facilitator for help."
    );
    // Ten minutes after the first wrong one, the right code works.
    let claimed = run_at(
        &mut s,
        guest,
        id,
        Command::ClaimSeat { code },
        start + 10 * 60_000,
    );
    assert!(
        mail_for(&claimed, guest)
            .iter()
            .any(|m| matches!(m, ServerMessage::Joined { id, .. } if id.0 == 1)),
        "{claimed:?}"
    );
}

/// Removed learners' pages close saying whether they may join again.
#[test]
fn a_removed_learner_is_told_whether_they_may_join_again() {
    let mut s = session();
    let console = connect(&mut s, &Credential::Facilitator { key: key() });
    let ada = connect(&mut s, &Credential::Participant { token: seat(1) });
    let grace = connect(&mut s, &Credential::Participant { token: seat(2) });
    let remove = |id, block| Command::RemoveParticipant {
        id: riskroom_core::ParticipantId(id),
        cards: false,
        block,
    };
    let delivery = run_at(&mut s, console, 1, remove(1, true), 5_000);
    assert_eq!(
        delivery.close,
        vec![(
            ada,
            ServerMessage::Closed {
                reason: "The facilitator removed you from this room, and you cannot join it again."
                    .into(),
                rejoin: false
            }
        )]
    );
    // Only the facilitator learns that the removal is for good.
    assert!(s.room().view_for(&F).blocked.len() == 1);
    assert!(s.room().view_for(&p(2)).blocked.is_empty());
    let delivery = run_at(&mut s, console, 2, remove(2, false), 5_000);
    assert_eq!(
        delivery.close,
        vec![(
            grace,
            ServerMessage::Closed {
                reason: "The facilitator removed you from this room. You may join it again.".into(),
                rejoin: true
            }
        )]
    );
    // The blocked seat is told so when it comes back.
    let back = s
        .connect(
            Some(&Credential::Participant { token: seat(1) }),
            None,
            fresh(),
        )
        .unwrap_err();
    assert_eq!(
        back.to_string(),
        "The facilitator removed you from room K7WQ3M, and you cannot join it again."
    );
}

/// Ending the room closes no page: each gets the news and keeps the
/// debrief, every page admitted before still opens the room, and nothing
/// more can change.
#[test]
fn an_ended_room_stays_readable_and_changes_no_more() {
    let mut s = session();
    let console = connect(&mut s, &Credential::Facilitator { key: key() });
    let ada = connect(&mut s, &Credential::Participant { token: seat(1) });
    let room_view = connect(
        &mut s,
        &Credential::RoomView {
            key: key().room_view_key(),
        },
    );
    let delivery = run_at(&mut s, console, 1, Command::EndRoom, 5_000);
    assert!(delivery.close.is_empty(), "{delivery:?}");
    for conn in [console, ada, room_view] {
        assert!(
            mail_for(&delivery, conn).iter().any(|m| matches!(m,
                ServerMessage::Events { events } if events.iter().any(|e| e.event == riskroom_core::Event::RoomEnded))),
            "connection {conn}: {delivery:?}"
        );
    }
    let ended = "This room has ended; nothing more can change.";
    let refused = run_at(
        &mut s,
        ada,
        1,
        Command::Rename {
            name: "Ada L.".into(),
        },
        6_000,
    );
    assert_eq!(rejection(&refused, ada), ended);
    let refused = run_at(&mut s, console, 2, Command::AdvancePhase, 6_000);
    assert_eq!(rejection(&refused, console), ended);
    // After a restart, every credential opens the room again; a guest may
    // look, not join.
    let log: Vec<_> = {
        let mut d = Drill::with_two_learners();
        d.ok(&F, Command::EndRoom);
        d.log
    };
    let mut again = Session::resume(&log, []).unwrap();
    for credential in [
        Some(Credential::Facilitator { key: key() }),
        Some(Credential::Participant { token: seat(2) }),
        Some(Credential::RoomView {
            key: key().room_view_key(),
        }),
        None,
    ] {
        let (conn, mail) = again
            .connect(credential.as_ref(), None, fresh())
            .unwrap_or_else(|e| panic!("{credential:?}: {e}"));
        assert!(
            mail.iter().flat_map(|m| &m.messages).any(|m| matches!(m,
                ServerMessage::Welcome { room, .. } if room.ended)),
            "{mail:?}"
        );
        if credential.is_none() {
            let join = run_at(
                &mut again,
                conn,
                1,
                Command::Join {
                    name: "Linus".into(),
                },
                7_000,
            );
            assert_eq!(rejection(&join, conn), ended);
        }
    }
}

/// The console that asked gets a move code, nobody else sees it or its
/// hash; the facilitator takes the code to a tablet that holds no key.
fn offer_move(s: &mut Session, console: ConnId, id: u64, at_ms: u64) -> Secret {
    let delivery = run_at(s, console, id, Command::OfferConsoleMove, at_ms);
    let code = mail_for(&delivery, console)
        .into_iter()
        .find_map(|m| match m {
            ServerMessage::ConsoleMoveOffered { code, expires_ms } => {
                assert_eq!(
                    expires_ms,
                    at_ms + riskroom_core::room::CONSOLE_MOVE_VALID_MS
                );
                Some(code)
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no move code: {delivery:?}"));
    for mail in delivery.mail.iter().filter(|m| m.to != vec![console]) {
        let text = serde_json::to_string(&mail.messages).unwrap();
        assert!(
            !text.contains(code.expose()) && !text.contains(code.hash().as_str()),
            "{text}"
        );
    }
    code
}

/// The facilitator moves the console from the laptop to a tablet: the
/// tablet is issued a new key and runs the room; the laptop's console (and
/// a copy of it in another tab) is told and closed, and its key opens
/// nothing. The link works once, and not after fifteen minutes.
#[test]
fn moving_the_console_moves_it() {
    let mut s = session();
    let laptop = connect(&mut s, &Credential::Facilitator { key: key() });
    let laptop_tab = connect(&mut s, &Credential::Facilitator { key: key() });
    let ada = connect(&mut s, &Credential::Participant { token: seat(1) });
    let code = offer_move(&mut s, laptop, 1, 5_000);
    assert!(s.room().console_move.is_some());
    assert!(
        s.room()
            .view_for(&riskroom_core::Actor::Facilitator)
            .console_move
            .is_none(),
        "a view never holds the move code's hash"
    );

    // A learner's page cannot use it: only a page that holds nothing can.
    let refused = run_at(
        &mut s,
        ada,
        1,
        Command::TakeOverConsole {
            code: code.expose().to_owned(),
        },
        6_000,
    );
    assert_eq!(
        rejection(&refused, ada),
        "You have already joined this room."
    );

    let (tablet, _) = s
        .connect(None, None, Secret::from_client("tablet"))
        .unwrap();
    let wrong = run_at(
        &mut s,
        tablet,
        1,
        Command::TakeOverConsole {
            code: "0123456789abcdef0123456789abcdef".into(),
        },
        6_000,
    );
    assert_eq!(
        rejection(&wrong, tablet),
        "This console link was used, replaced or has expired: make a new one on the console you are moving from."
    );
    let seq = s.room().seq;
    let moved = run_at(
        &mut s,
        tablet,
        2,
        Command::TakeOverConsole {
            code: code.expose().to_owned(),
        },
        7_000,
    );
    assert_eq!(s.room().seq, seq + 1);
    let new_key = mail_for(&moved, tablet)
        .into_iter()
        .find_map(|m| match m {
            ServerMessage::ConsoleKey { key } => Some(key),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no key: {moved:?}"));
    assert_ne!(new_key, key());
    assert_eq!(s.actor(tablet), Some(&riskroom_core::Actor::Facilitator));
    assert!(
        mail_for(&moved, tablet).iter().any(|m| matches!(
            m,
            ServerMessage::Welcome {
                you: You::Facilitator,
                ..
            }
        )),
        "the tablet gets the console's view"
    );
    // The new key reaches the tablet only.
    for mail in moved.mail.iter().filter(|m| m.to != vec![tablet]) {
        let text = serde_json::to_string(&mail.messages).unwrap();
        assert!(!text.contains(new_key.expose()), "{text}");
    }
    // Both of the laptop's pages are told and closed; Ada's stays.
    for old in [laptop, laptop_tab] {
        assert!(
            moved.close.iter().any(|(conn, m)| *conn == old
                && matches!(m, ServerMessage::Closed { reason, rejoin: false }
                    if reason.starts_with("This console moved to another device"))),
            "{moved:?}"
        );
        assert!(s.actor(old).is_none());
    }
    assert!(s.actor(ada).is_some());
    assert_eq!(
        s.connect(Some(&Credential::Facilitator { key: key() }), None, fresh())
            .unwrap_err()
            .to_string(),
        "This facilitator key does not open room K7WQ3M: if the console moved to another device, run the room there, or make a move link there to bring it back here."
    );
    let again = connect(&mut s, &Credential::Facilitator { key: new_key });
    assert_eq!(s.actor(again), Some(&riskroom_core::Actor::Facilitator));

    // The link worked once.
    let (other, _) = s.connect(None, None, Secret::from_client("other")).unwrap();
    let used = run_at(
        &mut s,
        other,
        1,
        Command::TakeOverConsole {
            code: code.expose().to_owned(),
        },
        8_000,
    );
    assert!(rejection(&used, other).starts_with("This console link was used"));
    // A new link expires after fifteen minutes.
    let late = offer_move(&mut s, again, 100, 10_000);
    let expired = run_at(
        &mut s,
        other,
        2,
        Command::TakeOverConsole {
            code: late.expose().to_owned(),
        },
        10_000 + riskroom_core::room::CONSOLE_MOVE_VALID_MS,
    );
    assert!(rejection(&expired, other).starts_with("This console link was used"));
    assert_eq!(
        s.actor(other),
        Some(&riskroom_core::Actor::Guest {
            seat: Secret::from_client("other").hash()
        })
    );
}

/// "Shut out every other console": the console that asks keeps running
/// with a new key; every other console (a forgotten tab, a leaked link) is
/// closed, and a move link not used yet stops working.
#[test]
fn shutting_out_the_other_consoles_keeps_this_one() {
    let mut s = session();
    let mine = connect(&mut s, &Credential::Facilitator { key: key() });
    let forgotten = connect(&mut s, &Credential::Facilitator { key: key() });
    let code = offer_move(&mut s, mine, 1, 5_000);
    let delivery = run_at(&mut s, mine, 2, Command::RenewConsoleKey, 6_000);
    let new_key = mail_for(&delivery, mine)
        .into_iter()
        .find_map(|m| match m {
            ServerMessage::ConsoleKey { key } => Some(key),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no key: {delivery:?}"));
    assert_eq!(s.actor(mine), Some(&riskroom_core::Actor::Facilitator));
    assert!(delivery.close.iter().any(|(conn, _)| *conn == forgotten));
    assert!(!delivery.close.iter().any(|(conn, _)| *conn == mine));
    assert!(
        s.connect(Some(&Credential::Facilitator { key: key() }), None, fresh())
            .is_err()
    );
    assert!(
        s.connect(
            Some(&Credential::Facilitator { key: new_key }),
            None,
            fresh()
        )
        .is_ok()
    );
    let (tablet, _) = s
        .connect(None, None, Secret::from_client("tablet"))
        .unwrap();
    let refused = run_at(
        &mut s,
        tablet,
        1,
        Command::TakeOverConsole {
            code: code.expose().to_owned(),
        },
        7_000,
    );
    assert!(rejection(&refused, tablet).starts_with("This console link was used"));
    // A learner cannot shut anyone out.
    let ada = connect(&mut s, &Credential::Participant { token: seat(1) });
    assert_eq!(
        rejection(
            &run_at(&mut s, ada, 1, Command::RenewConsoleKey, 8_000),
            ada
        ),
        "Only the facilitator can shut out other consoles."
    );
}

/// A long room does not remember every command for ever: each sender's
/// latest 256, which covers whatever a reconnecting page sends again.
#[test]
fn the_memory_of_applied_commands_is_bounded_per_sender() {
    use riskroom_core::session::REMEMBERED_PER_SENDER;
    let mut s = session();
    let console = connect(&mut s, &Credential::Facilitator { key: key() });
    let before = s.remembered();
    let many = REMEMBERED_PER_SENDER as u64 + 44;
    for id in 1..=many {
        run(&mut s, console, &[(id, anonymity(id.is_multiple_of(2)))]);
    }
    assert_eq!(s.remembered(), before + REMEMBERED_PER_SENDER);
    // The latest are still answered as applied, on a new connection too.
    s.disconnect(console);
    let again = connect(&mut s, &Credential::Facilitator { key: key() });
    let seq = s.room().seq;
    let answers = run(
        &mut s,
        again,
        &[(many - 1, anonymity(true)), (many, anonymity(true))],
    );
    assert!(
        answers
            .iter()
            .all(|m| matches!(m, ServerMessage::Ack { .. })),
        "{answers:?}"
    );
    assert_eq!(s.room().seq, seq, "nothing applied twice");
    assert_eq!(s.room().anonymous, many.is_multiple_of(2));
}

/// A learner who left is remembered only for their last few commands: a
/// room many people pass through keeps little of each, also after a
/// restart.
#[test]
fn a_learner_who_left_is_remembered_for_their_last_commands_only() {
    use riskroom_core::session::REMEMBERED_AFTER_LEAVING;
    let mut s = session();
    let ada = connect(&mut s, &Credential::Participant { token: seat(1) });
    for id in 1..=40u64 {
        run(
            &mut s,
            ada,
            &[(
                id,
                Command::Rename {
                    name: format!("Ada {id}"),
                },
            )],
        );
    }
    assert_eq!(s.remembered(), 40);
    let seq = s.room().seq;
    run(&mut s, ada, &[(41, Command::Leave)]);
    assert_eq!(s.room().seq, seq + 1);
    assert_eq!(s.remembered(), REMEMBERED_AFTER_LEAVING);
    // Her seat opens nothing any more: nothing else could repeat them.
    assert!(
        s.connect(
            Some(&Credential::Participant { token: seat(1) }),
            None,
            fresh()
        )
        .is_err()
    );

    // After a restart, from the stored log and every applied command.
    let mut d = Drill::with_two_learners();
    d.ok(&p(1), Command::Leave);
    let sender = seat(1).hash().as_str().to_owned();
    let applied = (1..=40u64).map(|id| riskroom_core::session::Applied {
        sender: sender.clone(),
        id,
        seq: 3,
    });
    let resumed = Session::resume(&d.log, applied).unwrap();
    assert_eq!(resumed.remembered(), REMEMBERED_AFTER_LEAVING);
}
