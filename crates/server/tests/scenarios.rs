//! Scenario files at the server: the `check-scenario` command, the folder of
//! extra scenarios, and choosing a scenario in a room over a real socket.

mod common;

use std::process::Command as Process;

use common::{Server, facilitator};
use riskroom_core::{Command, ServerMessage};

const MINIMAL: &str = include_str!("../../core/tests/data/minimal.toml");

fn checker(files: &[&std::path::Path]) -> (i32, String) {
    let out = Process::new(env!("CARGO_BIN_EXE_riskroom-server"))
        .arg("check-scenario")
        .args(files)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn the_checker_prints_a_summary_or_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, MINIMAL).unwrap();
    let (code, out) = checker(&[&good]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        format!(
            "{}: valid: \"Minimal scenario\" (minimal): 2 roles (role model: Finance), 2 risks (+1 dormant), 3 responses, 1 inject, budget EUR 100,000, P90 limit EUR 500,000\n",
            good.display()
        )
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        MINIMAL
            .replacen("budget = 100_000", "budget = -5", 1)
            .replacen("known_by = [\"operations\"]", "known_by = [\"ops\"]", 1),
    )
    .unwrap();
    let (code, out) = checker(&[&good, &bad]);
    assert_eq!(code, 1, "{out}");
    let b = bad.display();
    assert!(
        out.contains(&format!(
            "{b}:10: budget: the budget must be at least 0; it is -5\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{b}:65: response[1].known_by[1]: \"ops\" is not the id of a [[role]] in this file\n"
        )),
        "{out}"
    );
    assert!(out.ends_with(&format!("{b}: 4 problems found\n")), "{out}");

    let (code, out) = checker(&[&dir.path().join("missing.toml")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("missing.toml: (file): cannot be read"),
        "{out}"
    );
}

#[tokio::test]
async fn the_server_offers_valid_library_files_and_reports_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("scenarios");
    std::fs::create_dir(&library).unwrap();
    std::fs::write(
        library.join("acme.toml"),
        MINIMAL.replacen("id = \"minimal\"", "id = \"acme\"", 1),
    )
    .unwrap();
    std::fs::write(
        library.join("broken.toml"),
        MINIMAL.replacen("currency = \"EUR\"", "currency = \"€\"", 1),
    )
    .unwrap();
    std::fs::write(library.join("notes.txt"), "not a scenario").unwrap();
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &["--scenario-dir", library.to_str().unwrap()],
    );

    let (status, body) = server.http("GET", "/api/scenarios", "").await;
    assert_eq!(status, 200);
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    let listed = listed.as_array().unwrap();
    let built_in: Vec<&str> = listed
        .iter()
        .filter(|e| e["origin"] == "built-in")
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        built_in,
        [
            "supplier-insolvency",
            "ransomware-payroll",
            "product-recall"
        ]
    );
    let library: Vec<&serde_json::Value> =
        listed.iter().filter(|e| e["origin"] == "library").collect();
    assert_eq!(library.len(), 1, "{body}");
    assert_eq!(library[0]["id"], "acme");
    assert_eq!(library[0]["file"], "acme.toml");

    let (status, text) = server.http("GET", "/api/scenarios/acme", "").await;
    assert_eq!(status, 200);
    assert!(text.starts_with("# The smallest complete scenario"));
    let (status, body) = server.http("GET", "/api/scenarios/nope", "").await;
    assert_eq!(status, 404);
    assert!(
        body.contains("There is no scenario \\\"nope\\\" on this server."),
        "{body}"
    );

    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("broken.toml"), "{log}");
    assert!(
        log.contains("currency: \"€\" is not a currency code"),
        "{log}"
    );
}

#[tokio::test]
async fn choosing_a_scenario_in_a_room() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (code, key) = server.create_room("Drill").await;
    let mut console = server.client().await;
    console.hello(&code, facilitator(&key)).await;
    let mut learner = server.client().await;
    learner.hello(&code, None).await;

    // A learner cannot choose.
    learner.command(Command::Join { name: "Ada".into() }).await;
    learner
        .until(|m| matches!(m, ServerMessage::Ack { .. }))
        .await;
    let id = learner
        .command(Command::ChooseScenario {
            file: "x.toml".into(),
            text: MINIMAL.into(),
        })
        .await;
    learner
        .until(|m| matches!(m, ServerMessage::Rejected { id: Some(i), reason } if *i == id && reason == "Only the facilitator can choose the scenario."))
        .await;

    // A broken file is refused with its problems.
    let id = console
        .command(Command::ChooseScenario {
            file: "mine.toml".into(),
            text: MINIMAL.replacen("probability = 0.2", "probability = 7", 1),
        })
        .await;
    let refused = console
        .until(|m| matches!(m, ServerMessage::Rejected { .. }))
        .await;
    assert_eq!(
        refused,
        ServerMessage::Rejected {
            id: Some(id),
            reason: "The scenario file has problems:\nmine.toml:39: risk[1].frequency.probability: a yearly probability must be between 0 and 1; it is 7".into()
        }
    );

    // A good one is chosen: the console gets the whole scenario, the learner the title.
    console
        .command(Command::ChooseScenario {
            file: "mine.toml".into(),
            text: MINIMAL.into(),
        })
        .await;
    console
        .until(|m| matches!(m, ServerMessage::Ack { .. }))
        .await;
    let seen = learner
        .until(
            |m| matches!(m, ServerMessage::Welcome { room, .. } if room.scenario_title.is_some()),
        )
        .await;
    let ServerMessage::Welcome { room, .. } = seen else {
        unreachable!()
    };
    assert_eq!(room.scenario_title.as_deref(), Some("Minimal scenario"));
    let scenario = room.scenario.expect("a learner's view of the scenario");
    assert!(
        scenario.risks.is_empty(),
        "learners do not receive the truth model before the year is played"
    );
    let mine = scenario
        .role("finance")
        .expect("Ada was dealt the first role");
    assert_eq!(mine.brief, "The cash buffer is 300,000.");
    assert_eq!(scenario.role("operations").unwrap().brief, "");

    // Playing the year reveals the truth to the learner's page (a fresh
    // view), so their phone can play the year and score it itself.
    for _ in 0..5 {
        console.command(Command::AdvancePhase).await;
        console
            .until(|m| matches!(m, ServerMessage::Ack { .. }))
            .await;
    }
    let seen = learner
        .until(|m| {
            matches!(m, ServerMessage::Welcome { room, .. }
                if room.phase == riskroom_core::scenario::Phase::PlayYear)
        })
        .await;
    let ServerMessage::Welcome { room, .. } = seen else {
        unreachable!()
    };
    let scenario = room.scenario.expect("a learner's view of the scenario");
    assert_eq!(scenario.risks.len(), 3, "the truth, dormant risk included");
    assert_eq!(scenario.role("operations").unwrap().brief, "");
}

#[tokio::test]
async fn the_check_endpoint_gives_the_checkers_verdict_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let bad = MINIMAL.replacen("probability = 0.2", "probability = 2", 1);
    let body = serde_json::json!({ "file": "ours.toml", "text": bad }).to_string();
    let (status, reply) = server.http("POST", "/api/scenarios/check", &body).await;
    assert_eq!(status, 200);
    let reply: serde_json::Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(reply["verdict"], "invalid");
    assert_eq!(
        reply["problems"],
        serde_json::json!([
            "ours.toml:39: risk[1].frequency.probability: a yearly probability must be between 0 and 1; it is 2"
        ])
    );
    let body = serde_json::json!({ "file": "ours.toml", "text": MINIMAL }).to_string();
    let (_, reply) = server.http("POST", "/api/scenarios/check", &body).await;
    let reply: serde_json::Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(reply["verdict"], "valid");
    assert!(
        reply["summary"]
            .as_str()
            .unwrap()
            .starts_with("\"Minimal scenario\" (minimal): 2 roles")
    );
    let (status, reply) = server
        .http("POST", "/api/scenarios/check", r#"{"file": "x"}"#)
        .await;
    assert_eq!(status, 400, "{reply}");
}
