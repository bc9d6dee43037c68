//! Attack benchmark (run by `cargo xtask attack`): how promptly one room's
//! commands are acknowledged while clients from one address flood
//! `POST /api/scenarios/check` with a file of 52,000 unknown fields — the
//! attack the audit found held every room for 13 s. Real server, real
//! sockets, on loopback.
//!
//! Usage: attack SERVER_BIN [SECONDS]
//! Prints one `ATTACK` line: ack latency before (quiet) and during the
//! attack, and what the checks were answered.

#[path = "driver/mod.rs"]
mod driver;

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use riskroom_core::{ClientMessage, Command, CommandId, Credential, RoomCode, Secret};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

/// Clients flooding the checker at once.
const ATTACKERS: usize = 8;

/// One check request; its status, or 0 if the connection broke.
async fn check(addr: &str, request: &[u8]) -> u16 {
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return 0;
    };
    if stream.write_all(request).await.is_err() {
        return 0;
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    std::str::from_utf8(response.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let server_bin = &args[1];
    let seconds: u64 = args.get(2).map_or(20, |s| s.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let server = Process::new(server_bin)
        .args(["--addr", "127.0.0.1:0", "--static-dir", "/nonexistent"])
        .args(["--max-messages-per-second", "1000"])
        .arg("--db")
        .arg(dir.path().join("attack.sqlite3"))
        .env("RUST_LOG", "riskroom_server=error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Stopped(server);
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("Riskroom is running at http://")
        .trim_end_matches('/')
        .to_owned();
    let (code, key) = driver::create_room(&addr, "Another room");

    let text: String = (0..52_000).map(|i| format!("k{i}=1\n")).collect();
    let body =
        serde_json::to_vec(&serde_json::json!({ "file": "keys.toml", "text": text })).unwrap();
    let mut request = format!(
        "POST /api/scenarios/check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let request = Arc::new(request);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let line = runtime.block_on(async move {
        let send = |msg: &ClientMessage| Message::Text(serde_json::to_string(msg).unwrap().into());
        // The messages used here are the same in every protocol version: an
        // older server (the baseline) is spoken to in its own.
        let mut protocol = riskroom_core::PROTOCOL_VERSION;
        let mut ws = loop {
            let mut ws = driver::connect(&addr).await;
            ws.send(send(&ClientMessage::Hello {
                protocol,
                room: RoomCode::parse(&code).unwrap(),
                credential: Some(Credential::Facilitator {
                    key: Secret::from_client(key.clone()),
                }),
                last_seq: None,
            }))
            .await
            .unwrap();
            let Some(Ok(Message::Text(first))) = ws.next().await else {
                panic!("no answer to hello")
            };
            let first: serde_json::Value = serde_json::from_str(first.as_str()).unwrap();
            if first["type"] == "welcome" {
                break ws;
            }
            assert!(protocol > 1, "refused: {first}");
            protocol -= 1;
        };
        let mut next_id = 0u64;
        // One command at a time, as a console sends them: the time from
        // sending to its acknowledgement, in ms.
        let mut command = async || {
            next_id += 1;
            let id = next_id;
            let started = Instant::now();
            ws.send(send(&ClientMessage::Command {
                id: CommandId(id),
                command: Command::SetVoteBudget {
                    votes: 3 + (id % 2) as u32,
                },
            }))
            .await
            .unwrap();
            let mut last = String::new();
            loop {
                let text = match ws.next().await {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(_)) => continue,
                    other => panic!("the console's connection closed after {last:.300}: {other:?}"),
                };
                last = text.to_string();
                let value: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
                if value["type"] == "ack" && value["id"] == id {
                    return started.elapsed().as_secs_f64() * 1000.0;
                }
            }
        };

        let quiet_until = Instant::now() + Duration::from_secs(5);
        let mut quiet = Vec::new();
        while Instant::now() < quiet_until {
            quiet.push(command().await);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }

        let stop = Arc::new(AtomicBool::new(false));
        let answers: Arc<[AtomicUsize; 4]> = Arc::new(Default::default());
        let attackers: Vec<_> = (0..ATTACKERS)
            .map(|_| {
                let (addr, request, stop, answers) = (
                    addr.clone(),
                    Arc::clone(&request),
                    Arc::clone(&stop),
                    Arc::clone(&answers),
                );
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        let slot = match check(&addr, &request).await {
                            200 => 0,
                            429 => 1,
                            503 => 2,
                            _ => 3,
                        };
                        answers[slot].fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        let attack_until = Instant::now() + Duration::from_secs(seconds);
        // The attack ends on time even while a command waits: a server
        // whose workers are all reading files may not answer it before.
        {
            let stop = Arc::clone(&stop);
            tokio::spawn(async move {
                tokio::time::sleep_until(attack_until.into()).await;
                stop.store(true, Ordering::Relaxed);
                // Requests in flight are let go, not waited for.
                for a in attackers {
                    a.abort();
                }
            });
        }
        let mut attacked = Vec::new();
        while Instant::now() < attack_until {
            attacked.push(command().await);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        quiet.sort_by(f64::total_cmp);
        attacked.sort_by(f64::total_cmp);
        format!(
            "ATTACK seconds={seconds} attackers={ATTACKERS} quiet_commands={} quiet_p50_ms={:.1} quiet_max_ms={:.1} attack_commands={} attack_p50_ms={:.1} attack_p99_ms={:.1} attack_max_ms={:.1} checked={} limited={} busy={} broken={}",
            quiet.len(),
            percentile(&quiet, 0.5),
            percentile(&quiet, 1.0),
            attacked.len(),
            percentile(&attacked, 0.5),
            percentile(&attacked, 0.99),
            percentile(&attacked, 1.0),
            answers[0].load(Ordering::Relaxed),
            answers[1].load(Ordering::Relaxed),
            answers[2].load(Ordering::Relaxed),
            answers[3].load(Ordering::Relaxed),
        )
    });
    drop(server);
    println!("{line}");
}

/// The server, killed however the driver ends (a panic included).
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
