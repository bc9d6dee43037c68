//! Learning records reach a real learning record store: Ralph (from PyPI,
//! installed by `cargo xtask setup` into target/lrs-venv) runs beside the
//! server. Two learners play an exercise; the LRS goes away in the middle,
//! the Riskroom server is killed and started again while it is away, the
//! room carries on, and once the LRS is back every statement arrives once,
//! read back from the LRS and checked.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use common::{Server, facilitator, participant};
use riskroom_core::protocol::You;
use riskroom_core::room::{BoardResponseId, CardId, Estimate, TeamId};
use riskroom_core::scenario::Frequency;
use riskroom_core::{Command, ParticipantId, ServerMessage};
use serde_json::Value;

const MINIMAL: &str = include_str!("../../core/tests/data/minimal.toml");
const USER: &str = "riskroom";
const PASSWORD: &str = "lrs-test-password";

fn venv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/lrs-venv")
}

/// Ralph on `port`, keeping its statements in `dir`.
struct Lrs {
    child: Child,
    port: u16,
}

impl Lrs {
    fn start(dir: &Path, port: u16) -> Self {
        let python = venv().join("bin/python");
        assert!(
            python.exists(),
            "Ralph is not installed at {}: run `cargo xtask setup`",
            venv().display()
        );
        let auth = dir.join("auth.json");
        if !auth.exists() {
            let made = Process::new(&python)
                .args([
                    "-c",
                    "import bcrypt, json, sys; json.dump([{'username': sys.argv[2], 'hash': bcrypt.hashpw(sys.argv[3].encode(), bcrypt.gensalt(rounds=4)).decode(), 'scopes': ['all'], 'agent': {'mbox': 'mailto:riskroom@example.org', 'objectType': 'Agent'}}], open(sys.argv[1], 'w'))",
                ])
                .arg(&auth)
                .args([USER, PASSWORD])
                .status()
                .unwrap();
            assert!(made.success());
        }
        let child = Process::new(&python)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lrs/ralph_launch.py"))
            .arg(port.to_string())
            .current_dir(dir)
            .env("RALPH_RUNSERVER_BACKEND", "fs")
            .env("RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH", dir)
            .env("RALPH_AUTH_FILE", &auth)
            .env("RALPH_HISTORY_FILE", dir.join("history.json"))
            .env("RALPH_APP_DIR", dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lrs = Self { child, port };
        for _ in 0..300 {
            if lrs.get("/__lbheartbeat__").is_some() {
                return lrs;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("Ralph did not start on port {port}");
    }

    /// GET with the test's credentials; the body when the answer is 200.
    fn get(&self, path: &str) -> Option<String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        use base64::Engine;
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
        let mut response = agent
            .get(format!("http://127.0.0.1:{}{path}", self.port))
            .header("Authorization", format!("Basic {auth}"))
            .header("X-Experience-API-Version", "1.0.3")
            .call()
            .ok()?;
        (response.status() == 200).then(|| response.body_mut().read_to_string().unwrap())
    }

    /// Every statement of the registration.
    fn statements(&self, registration: &str) -> Vec<Value> {
        let body = self
            .get(&format!(
                "/xAPI/statements?registration={registration}&limit=0"
            ))
            .unwrap_or_default();
        serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v["statements"].as_array().cloned())
            .unwrap_or_default()
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Lrs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server(db: &Path, lrs_port: u16) -> Server {
    Server::start_with_env(
        db.to_path_buf(),
        &[
            "--lrs-endpoint",
            &format!("http://127.0.0.1:{lrs_port}/xAPI/"),
            "--public-url",
            "https://intranet.example/tools/riskroom/",
            "--max-messages-per-second",
            "1000",
        ],
        &[
            ("RISKROOM_LRS_USERNAME", USER),
            ("RISKROOM_LRS_PASSWORD", PASSWORD),
        ],
    )
}

/// Sends a command and waits for its acknowledgement.
async fn ok(client: &mut common::Client, command: Command) {
    let id = client.command(command.clone()).await;
    acked(client, id, command).await;
}

/// Sends a command under a chosen id (a page numbers its commands on
/// across reconnections: an id already used is a repeat, answered and not
/// applied again) and waits for its acknowledgement.
async fn ok_as(client: &mut common::Client, id: u64, command: Command) {
    client.command_with_id(id, command.clone()).await;
    acked(client, riskroom_core::CommandId(id), command).await;
}

async fn acked(client: &mut common::Client, id: riskroom_core::CommandId, command: Command) {
    let shown = format!("{command:?}");
    match client
        .until(|m| {
            matches!(m, ServerMessage::Ack { id: a, .. } if *a == id)
                || matches!(m, ServerMessage::Rejected { id: Some(r), .. } if *r == id)
        })
        .await
    {
        ServerMessage::Ack { .. } => {}
        other => panic!("{shown} refused: {other:?}"),
    }
}

async fn console(server: &Server, code: &str, key: &str) -> (common::Client, riskroom_core::Room) {
    let mut client = server.client().await;
    match client.hello(code, facilitator(key)).await {
        ServerMessage::Welcome { room, .. } => (client, room),
        other => panic!("expected Welcome, got {other:?}"),
    }
}

async fn learner_again(server: &Server, code: &str, token: &str) -> common::Client {
    let mut client = server.client().await;
    assert!(matches!(
        client.hello(code, participant(token)).await,
        ServerMessage::Welcome {
            you: You::Participant { .. },
            ..
        }
    ));
    client
}

fn estimate(p: f64) -> Estimate {
    Estimate {
        frequency: Frequency::Probability(p),
        low: 40_000.0,
        high: 300_000.0,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn statements_reach_the_lrs_through_its_absence_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let lrs_dir = dir.path().join("lrs");
    std::fs::create_dir(&lrs_dir).unwrap();
    let port = free_port();
    let lrs = Lrs::start(&lrs_dir, port);
    let db = dir.path().join("rooms.sqlite3");
    let server = start_server(&db, port);
    let (code, key) = server.create_room("Recorded").await;
    let (mut fac, room) = console(&server, &code, &key).await;
    let registration = riskroom_core::record::registration(&room);
    let (mut ada, ada_token) = server.join(&code, "Ada").await;
    let (mut grace, grace_token) = server.join(&code, "Grace").await;
    ok(
        &mut fac,
        Command::ChooseScenario {
            file: "minimal.toml".into(),
            text: MINIMAL.into(),
        },
    )
    .await;
    ok(&mut fac, Command::AdvancePhase).await; // briefing
    ok(&mut fac, Command::AdvancePhase).await; // identify
    ok(
        &mut ada,
        Command::RaiseRisk {
            title: "Supplier".into(),
            description: String::new(),
            clue: Some(0),
        },
    )
    .await;
    // The first records arrive while the LRS is there.
    let mut seen = Vec::new();
    for _ in 0..100 {
        seen = lrs.statements(&registration);
        if seen.len() >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        seen.len() >= 5,
        "joined ×2, progressed ×2, created: {seen:?}"
    );

    // The LRS goes away; the room goes on, acknowledged as before.
    lrs.stop();
    ok(&mut fac, Command::AdvancePhase).await; // assess
    ok(
        &mut ada,
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.25),
        },
    )
    .await;
    ok(
        &mut grace,
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.1),
        },
    )
    .await;
    ok(&mut fac, Command::RevealEstimates { team: TeamId(1) }).await;
    ok(&mut fac, Command::AdvancePhase).await; // respond
    ok(
        &mut grace,
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    )
    .await;
    ok(
        &mut ada,
        Command::Vote {
            response: BoardResponseId(1),
        },
    )
    .await;

    // The Riskroom server is killed while the records wait, and started again.
    drop((fac, ada, grace));
    server.kill();
    let server = start_server(&db, port);
    let (mut fac, _) = console(&server, &code, &key).await;
    let mut ada = learner_again(&server, &code, &ada_token).await;
    let _grace = learner_again(&server, &code, &grace_token).await;
    // Ids go on from where each page was.
    ok_as(&mut fac, 100, Command::AdvancePhase).await; // the year
    ok_as(&mut fac, 101, Command::AdvancePhase).await; // debrief
    ok_as(
        &mut ada,
        100,
        Command::RatePeer {
            peer: ParticipantId(2),
            score: 5,
        },
    )
    .await;
    ok_as(
        &mut fac,
        102,
        Command::RateRubric {
            team: TeamId(1),
            dimension: "perspectives".into(),
            level: 3,
        },
    )
    .await;
    ok_as(&mut fac, 103, Command::RevealScores { shown: true }).await;

    // The LRS comes back: everything waiting arrives, once.
    let lrs = Lrs::start(&lrs_dir, port);
    let expected = 2 + 6 + 1 + 2 + 1 + 2 + 3; // joined, progressed, created, answered, voted, rated, scored
    for _ in 0..600 {
        seen = lrs.statements(&registration);
        if seen.len() >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let verbs = |v: &str| {
        seen.iter()
            .filter(|s| s["verb"]["display"]["en-US"] == v)
            .count()
    };
    let counts: Vec<(&str, usize)> = [
        "joined",
        "progressed",
        "created",
        "answered",
        "voted for",
        "rated",
        "scored",
    ]
    .into_iter()
    .map(|v| (v, verbs(v)))
    .collect();
    assert_eq!(
        counts,
        vec![
            ("joined", 2),
            ("progressed", 6),
            ("created", 1),
            ("answered", 2),
            ("voted for", 1),
            ("rated", 2),
            ("scored", 3)
        ],
        "the server said:\n{}",
        server.log.lock().unwrap()
    );
    assert_eq!(seen.len(), expected);
    let mut ids: Vec<&str> = seen.iter().map(|s| s["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), expected, "no statement twice");
    for s in &seen {
        assert_eq!(s["context"]["registration"], registration.as_str());
        // Every learner is an account on the public URL.
        if s["actor"]["objectType"] == "Agent" {
            assert_eq!(
                s["actor"]["account"]["homePage"],
                "https://intranet.example/tools/riskroom/"
            );
        }
    }
    let scored: Vec<&Value> = seen
        .iter()
        .filter(|s| s["verb"]["display"]["en-US"] == "scored")
        .collect();
    assert!(scored.iter().any(|s| s["actor"]["objectType"] == "Group"));
    for s in scored {
        let scaled = s["result"]["score"]["scaled"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&scaled), "{s}");
    }
    // What the LRS received for the whole exercise, for people to read.
    let _ = std::fs::write(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/lrs-received.json"),
        serde_json::to_string_pretty(&seen).unwrap(),
    );
    // The outbox is empty again.
    let mut depth = String::new();
    for _ in 0..50 {
        let (_, metrics) = server.http("GET", "/metrics", "").await;
        depth = metrics
            .lines()
            .find_map(|l| l.strip_prefix("riskroom_lrs_outbox "))
            .unwrap_or("?")
            .to_owned();
        if depth == "0" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(depth, "0", "statements still wait in the outbox");
    // The password never leaves the server.
    let (_, site) = server.http("GET", "/api/site", "").await;
    assert!(!site.contains(PASSWORD));
    assert!(!server.log.lock().unwrap().contains(PASSWORD));
}
