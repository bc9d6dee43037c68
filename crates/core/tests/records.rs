//! Learning records of a played exercise: one statement for each thing a
//! learner did (joined, created a card, answered an estimate, voted,
//! rated), each phase the room progressed, and every learner's and team's
//! scores when they are revealed; the room as the registration, the team
//! in the context, the scenario as the activity; the same ids every time.

mod common;

use common::*;
use riskroom_core::record::{Site, registration, statements};
use riskroom_core::room::{BoardResponseId, CardId};
use riskroom_core::{Command, ParticipantId, Room};
use serde_json::Value;

fn site() -> Site {
    Site {
        public_url: "https://intranet.example/tools/riskroom/".into(),
        home_page: "https://intranet.example/tools/riskroom/".into(),
    }
}

/// Ada and Grace play the minimal scenario to the end of the debrief.
fn played() -> Drill {
    let mut d = Drill::with_supplier_card(); // identify, card 1 by Ada
    d.advance(); // assess
    for (who, p) in [(p(1), 0.25), (p(2), 0.1)] {
        d.ok(
            &who,
            Command::SubmitEstimate {
                card: CardId(1),
                estimate: estimate(p, 40_000.0, 300_000.0),
            },
        );
    }
    d.ok(&F, Command::RevealEstimates { team: T1 });
    d.advance(); // respond
    d.ok(
        &p(2),
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    );
    d.ok(
        &p(1),
        Command::Vote {
            response: BoardResponseId(1),
        },
    );
    d.advance(); // play the year
    d.advance(); // debrief
    d.ok(
        &p(1),
        Command::RatePeer {
            peer: ParticipantId(2),
            score: 5,
        },
    );
    d.ok(
        &F,
        Command::RateRubric {
            team: T1,
            dimension: "perspectives".into(),
            level: 3,
        },
    );
    d.ok(&F, Command::RevealScores { shown: true });
    d
}

/// Every statement the log makes, event by event as the server sees them.
fn recorded(d: &Drill) -> Vec<Value> {
    let mut room = Room::open(&d.log[0]).unwrap();
    let mut out = Vec::new();
    for stamped in &d.log[1..] {
        room.apply(stamped).unwrap();
        out.extend(statements(&room, std::slice::from_ref(stamped), &site()));
    }
    out
}

fn verb(s: &Value) -> &str {
    s["verb"]["display"]["en-US"].as_str().unwrap()
}

#[test]
fn each_thing_a_learner_did_is_one_statement() {
    let d = played();
    let all = recorded(&d);
    let count = |v: &str| all.iter().filter(|s| verb(s) == v).count();
    assert_eq!(count("joined"), 2);
    assert_eq!(count("created"), 1);
    assert_eq!(count("answered"), 2);
    assert_eq!(count("voted for"), 1);
    // Ada's peer rating and the facilitator's rubric level.
    assert_eq!(count("rated"), 2);
    // Lobby → briefing → identify → assess → respond → year → debrief.
    assert_eq!(count("progressed"), 6);
    // The team and both learners, when the scores are revealed.
    assert_eq!(count("scored"), 3);

    let registration = registration(&d.room);
    for s in &all {
        assert_eq!(s["context"]["registration"], registration.as_str(), "{s}");
        assert_eq!(s["version"], "1.0.3");
        assert!(s["timestamp"].as_str().unwrap().ends_with('Z'));
    }
    let ada_joined = all
        .iter()
        .find(|s| verb(s) == "joined" && s["actor"]["name"] == "Ada")
        .unwrap();
    assert_eq!(
        ada_joined["actor"]["account"],
        serde_json::json!({ "homePage": site().home_page, "name": "K7WQ3M/p1" })
    );
    let created = all.iter().find(|s| verb(s) == "created").unwrap();
    assert_eq!(created["object"]["definition"]["name"]["en-US"], "Supplier");
    assert_eq!(created["context"]["team"]["objectType"], "Group");
    assert_eq!(
        created["context"]["team"]["member"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let answered = all
        .iter()
        .find(|s| verb(s) == "answered" && s["actor"]["name"] == "Grace")
        .unwrap();
    assert!(
        answered["result"]["response"]
            .as_str()
            .unwrap()
            .starts_with("10% a year"),
        "{answered}"
    );
    let progressed = all.iter().find(|s| verb(s) == "progressed").unwrap();
    assert!(
        progressed["object"]["id"]
            .as_str()
            .unwrap()
            .starts_with("https://intranet.example/tools/riskroom/scenarios/"),
        "{progressed}"
    );
}

#[test]
fn scores_carry_their_scale_and_how_they_were_reached() {
    let all = recorded(&played());
    let scored: Vec<&Value> = all.iter().filter(|s| verb(s) == "scored").collect();
    let team = scored
        .iter()
        .find(|s| s["actor"]["objectType"] == "Group")
        .unwrap();
    assert_eq!(team["actor"]["name"], team["context"]["team"]["name"]);
    for s in &scored {
        let result = &s["result"];
        let scaled = result["score"]["scaled"].as_f64().unwrap();
        let raw = result["score"]["raw"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&scaled), "{s}");
        assert!((scaled - raw / 100.0).abs() < 1e-9, "{s}");
        let parts = result["extensions"][riskroom_core::record::EXT_SCORE]
            .as_object()
            .unwrap();
        assert!(!parts.is_empty());
        for part in parts.values() {
            assert!(!part["how"].as_array().unwrap().is_empty(), "{s}");
        }
    }
    let ada = scored.iter().find(|s| s["actor"]["name"] == "Ada").unwrap();
    let parts = ada["result"]["extensions"][riskroom_core::record::EXT_SCORE]
        .as_object()
        .unwrap();
    assert!(parts.contains_key("combined") && parts.contains_key("calibration"));
}

#[test]
fn the_same_events_make_the_same_statements() {
    let d = played();
    let first = recorded(&d);
    assert_eq!(first, recorded(&d));
    let mut ids: Vec<&str> = first.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "every statement has its own id");
}

#[test]
fn nothing_is_recorded_of_what_counts_for_nobody() {
    let mut d = Drill::with_two_learners();
    let before = d.log.len();
    d.ok(
        &F,
        Command::RenameTeam {
            team: T1,
            name: "Blue".into(),
        },
    );
    d.ok(
        &p(1),
        Command::Rename {
            name: "Ada L.".into(),
        },
    );
    let mut room = Room::replay(&d.log[..before]).unwrap();
    let mut out = Vec::new();
    for stamped in &d.log[before..] {
        room.apply(stamped).unwrap();
        out.extend(statements(&room, std::slice::from_ref(stamped), &site()));
    }
    assert!(out.is_empty(), "{out:?}");
}
