//! The room reducer: table-driven command sequences with the events or the
//! refusal each gives, and property tests over random command streams.

use proptest::prelude::*;
use riskroom_core::room::Actor;
use riskroom_core::{
    Command, Credential, Event, ParticipantId, Rejection, Room, RoomCode, Secret, Stamped,
};

fn key() -> Secret {
    Secret::from_client("facilitator-key")
}

fn seat(n: u32) -> Secret {
    Secret::from_client(format!("{n:032x}"))
}

fn guest(n: u32) -> Actor {
    Actor::Guest {
        seat: seat(n).hash(),
    }
}

fn p(n: u32) -> Actor {
    Actor::Participant(ParticipantId(n))
}

fn new_room() -> Room {
    let code = RoomCode::parse("K7WQ3M").unwrap();
    let opening = Room::opening(code, "  Peak season  ", &key()).unwrap();
    Room::open(&Stamped {
        seq: 1,
        at_ms: 0,
        event: opening,
    })
    .unwrap()
}

/// Runs one command; on success stamps and applies its events like the server does.
fn run(room: &mut Room, actor: &Actor, command: &Command) -> Result<Vec<Event>, Rejection> {
    let events = room.handle(actor, command, 0)?;
    for event in &events {
        let stamped = Stamped {
            seq: room.seq + 1,
            at_ms: 0,
            event: event.clone(),
        };
        room.apply(&stamped).unwrap();
    }
    Ok(events)
}

fn join(name: &str) -> Command {
    Command::Join { name: name.into() }
}

#[test]
fn opening_cleans_the_title() {
    let room = new_room();
    assert_eq!(room.title, "Peak season");
    assert_eq!(room.seq, 1);
    let err = Room::opening(RoomCode::parse("K7WQ3M").unwrap(), " ", &key()).unwrap_err();
    assert_eq!(err.to_string(), "Please enter a room title.");
}

/// Each row: a sequence of (actor, command) and what the last one must give.
#[test]
fn command_table() {
    enum Want {
        Events(Vec<Event>),
        Refused(&'static str),
    }
    use Want::*;
    let joined = |id: u32, name: &str, s: u32| Event::ParticipantJoined {
        id: ParticipantId(id),
        name: name.into(),
        seat: Some(seat(s).hash()),
        team: Some(riskroom_core::room::TeamId(1)),
    };
    type Row = (&'static str, Vec<(Actor, Command)>, Want);
    let rows: Vec<Row> = vec![
        (
            "a guest joins",
            vec![(guest(1), join(" Ada  Lovelace "))],
            Events(vec![joined(1, "Ada Lovelace", 1)]),
        ),
        (
            "ids follow join order",
            vec![(guest(1), join("Ada")), (guest(2), join("Grace"))],
            Events(vec![joined(2, "Grace", 2)]),
        ),
        (
            "a blank name is refused",
            vec![(guest(1), join("  \n "))],
            Refused("Please enter a name."),
        ),
        (
            "a long name is refused",
            vec![(guest(1), join(&"n".repeat(41)))],
            Refused("A name can be at most 40 characters long (41 given)."),
        ),
        (
            "names are unique regardless of case",
            vec![(guest(1), join("Ada")), (guest(2), join("ADA"))],
            Refused("Someone in this room is already called “ADA”. Add an initial or a surname."),
        ),
        (
            "a participant cannot join twice",
            vec![(guest(1), join("Ada")), (p(1), join("Ada again"))],
            Refused("You have already joined this room."),
        ),
        (
            "a guest seat that already joined cannot join again",
            vec![(guest(1), join("Ada")), (guest(1), join("Ada twin"))],
            Refused("You have already joined this room."),
        ),
        (
            "the facilitator does not join",
            vec![(Actor::Facilitator, join("Boss"))],
            Refused("The facilitator runs the room and does not join it as a learner."),
        ),
        (
            "a participant renames themself",
            vec![
                (guest(1), join("Ada")),
                (
                    p(1),
                    Command::Rename {
                        name: "Ada L.".into(),
                    },
                ),
            ],
            Events(vec![Event::ParticipantRenamed {
                id: ParticipantId(1),
                name: "Ada L.".into(),
            }]),
        ),
        (
            "renaming to the same name changes nothing",
            vec![
                (guest(1), join("Ada")),
                (p(1), Command::Rename { name: "Ada".into() }),
            ],
            Events(vec![]),
        ),
        (
            "renaming into someone else's name is refused",
            vec![
                (guest(1), join("Ada")),
                (guest(2), join("Grace")),
                (p(2), Command::Rename { name: "ada".into() }),
            ],
            Refused("Someone in this room is already called “ada”. Add an initial or a surname."),
        ),
        (
            "a guest cannot rename",
            vec![(guest(1), Command::Rename { name: "X".into() })],
            Refused("Join the room first."),
        ),
        (
            "a participant leaves",
            vec![(guest(1), join("Ada")), (p(1), Command::Leave)],
            Events(vec![Event::ParticipantLeft {
                id: ParticipantId(1),
            }]),
        ),
        (
            "one who left cannot act",
            vec![
                (guest(1), join("Ada")),
                (p(1), Command::Leave),
                (p(1), Command::Leave),
            ],
            Refused("Join the room first."),
        ),
        (
            "a name frees up when its holder leaves",
            vec![
                (guest(1), join("Ada")),
                (p(1), Command::Leave),
                (guest(2), join("Ada")),
            ],
            Events(vec![joined(2, "Ada", 2)]),
        ),
        (
            "a learner cannot remove another",
            vec![
                (guest(1), join("Ada")),
                (guest(2), join("Grace")),
                (
                    p(1),
                    Command::RemoveParticipant {
                        id: ParticipantId(2),
                        cards: false,
                        block: false,
                    },
                ),
            ],
            Refused("Only the facilitator can remove a participant."),
        ),
        (
            "the facilitator removes a participant",
            vec![
                (guest(1), join("Ada")),
                (
                    Actor::Facilitator,
                    Command::RemoveParticipant {
                        id: ParticipantId(1),
                        cards: false,
                        block: false,
                    },
                ),
            ],
            Events(vec![Event::ParticipantRemoved {
                id: ParticipantId(1),
                block: false,
            }]),
        ),
        (
            "removing nobody is refused",
            vec![(
                Actor::Facilitator,
                Command::RemoveParticipant {
                    id: ParticipantId(4),
                    cards: false,
                    block: false,
                },
            )],
            Refused("There is no participant p4 in this room."),
        ),
        (
            "a learner cannot end the room",
            vec![(guest(1), join("Ada")), (p(1), Command::EndRoom)],
            Refused("Only the facilitator can end the room."),
        ),
        (
            "nothing happens in an ended room",
            vec![
                (Actor::Facilitator, Command::EndRoom),
                (guest(1), join("Ada")),
            ],
            Refused("This room has ended; nothing more can change."),
        ),
    ];
    for (what, steps, want) in rows {
        let mut room = new_room();
        let (last, before) = steps.split_last().unwrap();
        for (actor, command) in before {
            run(&mut room, actor, command)
                .unwrap_or_else(|e| panic!("{what}: setup step refused: {e}"));
        }
        let before_last = room.clone();
        let got = run(&mut room, &last.0, &last.1);
        match (want, got) {
            (Events(want), Ok(got)) => assert_eq!(got, want, "{what}"),
            (Refused(want), Err(got)) => {
                assert_eq!(got.to_string(), want, "{what}");
                assert_eq!(room, before_last, "{what}: a refusal changed the room");
            }
            (Events(_), Err(e)) => panic!("{what}: refused with {e}"),
            (Refused(want), Ok(events)) => panic!("{what}: wanted {want:?}, got {events:?}"),
        }
    }
}

#[test]
fn credentials_recognise_their_holders_only() {
    let mut room = new_room();
    run(&mut room, &guest(1), &join("Ada")).unwrap();
    let as_facilitator = Credential::Facilitator { key: key() };
    assert_eq!(room.authenticate(&as_facilitator), Ok(Actor::Facilitator));
    let as_ada = Credential::Participant { token: seat(1) };
    assert_eq!(room.authenticate(&as_ada), Ok(p(1)));

    let wrong_key = Credential::Facilitator {
        key: Secret::from_client("guess"),
    };
    assert_eq!(
        room.authenticate(&wrong_key).unwrap_err().to_string(),
        "This facilitator key does not open room K7WQ3M: if the console moved to another device, run the room there, or make a move link there to bring it back here."
    );
    // A seat token is not a facilitator key, and vice versa.
    let swapped = Credential::Facilitator { key: seat(1) };
    assert!(room.authenticate(&swapped).is_err());
    // An unknown seat token is a guest's seat to join with.
    let unknown = Credential::Participant { token: seat(9) };
    assert_eq!(
        room.authenticate(&unknown),
        Ok(Actor::Guest {
            seat: seat(9).hash()
        })
    );
    // A token of any other form is refused: nobody shares a seat by
    // sending the empty or a guessable token.
    for made_up in [
        "",
        "seat-1",
        "facilitator-key",
        "0123456789ABCDEF0123456789ABCDEF",
        "0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0",
    ] {
        let token = Credential::Participant {
            token: Secret::from_client(made_up),
        };
        assert_eq!(
            room.authenticate(&token).unwrap_err().to_string(),
            "This seat token was not made by Riskroom (it must be 128 random bits, as 32 hex digits): reload the page to get one.",
            "{made_up:?}"
        );
    }

    run(&mut room, &p(1), &Command::Leave).unwrap();
    assert_eq!(
        room.authenticate(&as_ada).unwrap_err().to_string(),
        "This seat in room K7WQ3M is no longer valid: join again with your name."
    );
}

#[test]
fn views_and_redacted_events_carry_no_secrets() {
    let mut room = new_room();
    run(&mut room, &guest(1), &join("Ada")).unwrap();
    let view = room.view_for(&p(1));
    let json = serde_json::to_string(&view).unwrap();
    assert!(!json.contains(&key().hash_hex()), "{json}");
    assert!(!json.contains(&seat(1).hash_hex()), "{json}");
    assert_eq!(view.participants[0].name, "Ada");

    let event = room.handle(&guest(2), &join("Grace"), 0).unwrap().remove(0);
    let json = serde_json::to_string(&event.redacted_for(&p(1), &room)).unwrap();
    assert!(!json.contains(&seat(2).hash_hex()), "{json}");
}

#[test]
fn apply_refuses_gaps_and_repeats() {
    let mut room = new_room();
    let event = Event::ParticipantLeft {
        id: ParticipantId(1),
    };
    let gap = Stamped {
        seq: 3,
        at_ms: 0,
        event: event.clone(),
    };
    assert_eq!(
        room.apply(&gap),
        Err(Rejection::OutOfOrder {
            expected: 2,
            got: 3
        })
    );
    let repeat = Stamped {
        seq: 1,
        at_ms: 0,
        event,
    };
    assert!(room.apply(&repeat).is_err());
    assert_eq!(room, new_room());
}

trait HashHex {
    fn hash_hex(&self) -> String;
}

impl HashHex for Secret {
    fn hash_hex(&self) -> String {
        serde_json::to_value(self.hash())
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }
}

// --- properties -----------------------------------------------------------

fn arb_actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        Just(Actor::Facilitator),
        (1u32..8).prop_map(p),
        (1u32..8).prop_map(guest),
    ]
}

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["Ada", "ada", "Grace", " Grace ", "", "  ", "Linus"])
            .prop_map(str::to_owned),
        "\\PC{0,45}",
    ]
}

fn arb_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        4 => arb_name().prop_map(|name| Command::Join { name }),
        2 => arb_name().prop_map(|name| Command::Rename { name }),
        1 => Just(Command::Leave),
        1 => (0u32..8).prop_map(|n| Command::RemoveParticipant { id: ParticipantId(n), cards: n % 2 == 0, block: n % 3 == 0 }),
        1 => prop::bool::weighted(0.05).prop_map(|_| Command::EndRoom),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random streams from random actors never panic, never break an
    /// invariant, and the live state equals the replay of its log.
    #[test]
    fn random_streams_keep_invariants(steps in prop::collection::vec((arb_actor(), arb_command()), 0..60)) {
        let mut room = new_room();
        let opening = Stamped { seq: 1, at_ms: 0, event: Room::opening(room.code.clone(), "Peak season", &key()).unwrap() };
        let mut log = vec![opening];
        for (actor, command) in steps {
            let before = room.clone();
            match room.handle(&actor, &command, 0) {
                Ok(events) => for event in events {
                    let stamped = Stamped { seq: room.seq + 1, at_ms: 0, event };
                    room.apply(&stamped).unwrap();
                    log.push(stamped);
                },
                Err(_) => prop_assert_eq!(&room, &before),
            }
            // Ids are unique and in join order.
            for pair in room.participants.windows(2) {
                prop_assert!(pair[0].id < pair[1].id);
            }
            // Active names are unique (case-insensitively) and clean.
            let mut active: Vec<String> = room.active_participants().map(|p| p.name.to_lowercase()).collect();
            for name in &active {
                prop_assert!(!name.is_empty() && name.chars().count() <= 40 && name.trim() == name);
            }
            active.sort();
            let before_dedup = active.len();
            active.dedup();
            prop_assert_eq!(active.len(), before_dedup);
            // One seat per participant: each seat hash appears once among the active.
            let mut seats: Vec<_> = room.active_participants().filter_map(|p| p.seat.clone()).collect();
            let n = seats.len();
            seats.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            seats.dedup();
            prop_assert_eq!(seats.len(), n);
            prop_assert_eq!(room.seq, log.len() as u64);
        }
        prop_assert_eq!(Room::replay(&log).unwrap(), room);
    }
}

const MINIMAL: &str = include_str!("data/minimal.toml");

fn choose(text: &str) -> Command {
    Command::ChooseScenario {
        file: "acme.toml".into(),
        text: text.into(),
    }
}

#[test]
fn the_facilitator_chooses_a_scenario_and_learners_see_only_its_title() {
    let mut room = new_room();
    run(&mut room, &guest(1), &join("Ada")).unwrap();
    let refused = run(&mut room, &p(1), &choose(MINIMAL)).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "Only the facilitator can choose the scenario."
    );

    let events = run(&mut room, &Actor::Facilitator, &choose(MINIMAL)).unwrap();
    assert!(
        matches!(&events[0], Event::ScenarioChosen { title, scenario: Some(_) } if title == "Minimal scenario")
    );
    // Roles are dealt out as the scenario arrives (auto-balance is the default).
    assert!(
        matches!(&events[1], Event::RoleAssigned { participant, role: Some(r) } if *participant == ParticipantId(1) && r == "finance")
    );
    assert_eq!(room.scenario_title.as_deref(), Some("Minimal scenario"));

    let learner_view = room.view_for(&p(1));
    assert_eq!(
        learner_view.scenario_title.as_deref(),
        Some("Minimal scenario")
    );
    let seen = learner_view.scenario.as_ref().unwrap();
    assert!(
        seen.risks.is_empty(),
        "the truth model stays with the facilitator"
    );
    assert_eq!(
        seen.role("finance").unwrap().brief,
        "The cash buffer is 300,000."
    );
    assert_eq!(
        seen.role("operations").unwrap().brief,
        "",
        "another role's brief stays private"
    );
    assert!(
        seen.response("second-source").is_none(),
        "a response only Operations knows"
    );
    let json = serde_json::to_string(&events[0].redacted_for(&p(1), &room)).unwrap();
    assert!(!json.contains("probability"), "{json}");
    assert!(!json.contains("single-source"), "{json}");
    assert_eq!(
        room.view_for(&Actor::Facilitator)
            .scenario
            .unwrap()
            .risks
            .len(),
        3
    );
}

#[test]
fn a_bad_scenario_is_refused_with_every_problem_and_changes_nothing() {
    let mut room = new_room();
    let bad = MINIMAL
        .replacen("currency = \"EUR\"", "currency = \"eur\"", 1)
        .replacen("probability = 0.2", "probability = 2", 1);
    let before = room.clone();
    let refused = run(&mut room, &Actor::Facilitator, &choose(&bad)).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "The scenario file has problems:\n\
         acme.toml:8: currency: \"eur\" is not a currency code: use three capital letters such as \"EUR\"\n\
         acme.toml:39: risk[1].frequency.probability: a yearly probability must be between 0 and 1; it is 2"
    );
    assert_eq!(room, before);
}
