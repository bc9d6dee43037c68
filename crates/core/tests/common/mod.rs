//! A drill harness shared by the engine tests: a room on the minimal
//! scenario, commands run as the server runs them (handle → stamp → apply),
//! and the log kept for replay and projection checks.

#![allow(dead_code)]

use riskroom_core::room::{Actor, Estimate, TeamId};
use riskroom_core::scenario::Frequency;
use riskroom_core::{
    Command, Event, ParticipantId, Rejection, Room, RoomCode, SeatCode, Secret, Stamped,
};

pub const MINIMAL: &str = include_str!("../data/minimal.toml");

pub fn key() -> Secret {
    Secret::from_client("facilitator-key")
}

pub fn seat(n: u32) -> Secret {
    Secret::from_client(format!("{n:032x}"))
}

/// The seat code the drill's `HandOverSeat` makes (the session draws a
/// fresh one; the drill decides with this one).
/// The secret the tests' room issues (a session draws a fresh one).
pub fn test_secret() -> Secret {
    Secret::from_client("issued-by-the-test")
}

pub fn test_seat_code() -> SeatCode {
    SeatCode::from_secret(&test_secret())
}

pub fn guest(n: u32) -> Actor {
    Actor::Guest {
        seat: seat(n).hash(),
    }
}

pub fn p(n: u32) -> Actor {
    Actor::Participant(ParticipantId(n))
}

pub const F: Actor = Actor::Facilitator;

pub struct Drill {
    pub room: Room,
    pub log: Vec<Stamped>,
    pub now: u64,
}

impl Drill {
    pub fn new() -> Self {
        let code = RoomCode::parse("K7WQ3M").unwrap();
        let opening = Stamped {
            seq: 1,
            at_ms: 0,
            event: Room::opening(code, "Drill", &key()).unwrap(),
        };
        Self {
            room: Room::open(&opening).unwrap(),
            log: vec![opening],
            now: 1_000,
        }
    }

    /// Decides and commits a command (whether a refusal changes nothing is
    /// checked through the session, in the property tests).
    pub fn run(&mut self, actor: &Actor, command: &Command) -> Result<Vec<Event>, Rejection> {
        let issued = test_secret();
        match self.room.handle_issuing(
            actor,
            command,
            self.now,
            &riskroom_core::scenario::parse,
            Some(&issued),
        ) {
            Ok(events) => {
                for event in &events {
                    let stamped = Stamped {
                        seq: self.room.seq + 1,
                        at_ms: self.now,
                        event: event.clone(),
                    };
                    self.room.apply(&stamped).unwrap();
                    self.log.push(stamped);
                }
                Ok(events)
            }
            Err(e) => Err(e),
        }
    }

    // Commands by value keep the test tables free of `&`.
    #[allow(clippy::needless_pass_by_value)]
    pub fn ok(&mut self, actor: &Actor, command: Command) -> Vec<Event> {
        self.run(actor, &command)
            .unwrap_or_else(|e| panic!("{command:?} by {actor:?} refused: {e}"))
    }

    #[allow(clippy::needless_pass_by_value)]
    pub fn refused(&mut self, actor: &Actor, command: Command) -> String {
        match self.run(actor, &command) {
            Err(e) => e.to_string(),
            Ok(events) => panic!("{command:?} by {actor:?} was accepted: {events:?}"),
        }
    }

    pub fn join(&mut self, n: u32, name: &str) {
        self.ok(&guest(n), Command::Join { name: name.into() });
    }

    pub fn choose_minimal(&mut self) {
        self.ok(
            &F,
            Command::ChooseScenario {
                file: "minimal.toml".into(),
                text: MINIMAL.into(),
            },
        );
    }

    pub fn advance(&mut self) {
        self.ok(&F, Command::AdvancePhase);
    }

    /// Learner `n` raises a card (from their brief's first clue, or free text).
    pub fn raise(&mut self, n: u32, title: &str, from_clue: bool) -> Vec<Event> {
        self.ok(
            &p(n),
            Command::RaiseRisk {
                title: title.into(),
                description: String::new(),
                clue: from_clue.then_some(0),
            },
        )
    }

    /// Two learners in Identify, with Ada's card “Supplier” (card 1) raised
    /// from her clue, which links it to the scenario's supplier failure.
    pub fn with_supplier_card() -> Self {
        let mut d = Self::with_two_learners();
        d.advance(); // briefing
        d.advance(); // identify
        d.raise(1, "Supplier", true);
        d
    }

    /// Ada (p1, finance) and Grace (p2, operations) in team 1 on the minimal scenario.
    pub fn with_two_learners() -> Self {
        let mut d = Self::new();
        d.join(1, "Ada");
        d.join(2, "Grace");
        d.choose_minimal();
        d
    }
}

pub fn estimate(p: f64, low: f64, high: f64) -> Estimate {
    Estimate {
        frequency: Frequency::Probability(p),
        low,
        high,
    }
}

pub const T1: TeamId = TeamId(1);
