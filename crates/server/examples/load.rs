//! Load benchmark (run by `cargo xtask load`): real WebSocket clients on
//! loopback against the release server. Each learner joins, then renames
//! themself once a second; every client reads every event it receives.
//! Reports the fan-out latency (an edit sent → seen by each other client of
//! its room, and → seen by all of them), the server's peak memory, and
//! whether every client of a room saw every event, in order, to the same end.
//!
//! Usage: load SERVER_BIN ROOMS LEARNERS SECONDS

#[path = "driver/mod.rs"]
mod driver;

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use riskroom_core::protocol::You;
use riskroom_core::{ClientMessage, Command, CommandId, RoomCode, ServerMessage};
use tokio_tungstenite::tungstenite::Message;

/// One edit: when it was sent, how many others saw it, and the longest
/// any of them waited.
type Edit = (Instant, usize, Duration);

/// Each learner's edits, by learner and then by edit number less one: a
/// lock per learner, so the thousands of clients reading at once seldom
/// wait for each other.
type Sent = Arc<Vec<Mutex<Vec<Edit>>>>;

/// The learner and edit number of a name the driver set (`L{learner}-{n}`).
fn edit_of(name: &str) -> Option<(usize, usize)> {
    let (learner, n) = name.strip_prefix('L')?.split_once('-')?;
    Some((learner.parse().ok()?, n.parse().ok()?))
}

struct Outcome {
    delivery_us: Vec<u32>,
    /// Messages of events read.
    messages: usize,
    /// The last event seen, and how many times one was skipped.
    last_seq: u64,
    gaps: usize,
    /// Why the server ended this client's connection before the end, if it did.
    ended: Option<String>,
}

#[allow(clippy::too_many_arguments)] // one learner's whole setup, spelled out
async fn learner(
    addr: String,
    code: String,
    index: usize,
    seconds: u64,
    sent: Sent,
    ready: Arc<tokio::sync::Barrier>,
) -> Outcome {
    let mut ws = driver::connect(&addr).await;
    let send = |msg: &ClientMessage| Message::Text(serde_json::to_string(msg).unwrap().into());
    ws.send(send(&ClientMessage::Hello {
        protocol: riskroom_core::PROTOCOL_VERSION,
        room: RoomCode::parse(&code).unwrap(),
        credential: None,
        last_seq: None,
    }))
    .await
    .unwrap();
    let name = format!("L{index}");
    ws.send(send(&ClientMessage::Command {
        id: CommandId(1),
        command: Command::Join { name: name.clone() },
    }))
    .await
    .unwrap();
    // Until joined (a fresh view as a participant arrives).
    let room = loop {
        let Some(Ok(Message::Text(text))) = ws.next().await else {
            panic!("closed while joining")
        };
        if let Ok(ServerMessage::Welcome {
            you: You::Participant { .. },
            room,
            ..
        }) = serde_json::from_str(text.as_str())
        {
            break room;
        }
    };
    // Everyone joined: the measured minute starts now for all.
    ready.wait().await;
    let start = Instant::now();
    // One task reads and sends, so the socket is never shared between two.
    // The learners are spread over the second.
    let mut tick = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_millis((index as u64 * 997) % 1000),
        Duration::from_secs(1),
    );
    let mut sending = true;
    let mut n = 0u64;
    let mut delivery_us = Vec::new();
    let mut last_seq = room.seq;
    let mut gaps = 0usize;
    let mut messages = 0usize;
    let mut ended = None;
    // One timer for the whole read, not one per message.
    let deadline = tokio::time::sleep(Duration::from_secs(seconds + 5));
    tokio::pin!(deadline);
    loop {
        let next = tokio::select! {
            next = ws.next() => next,
            _ = tick.tick(), if sending => {
                if start.elapsed() >= Duration::from_secs(seconds) {
                    sending = false;
                    continue;
                }
                n += 1;
                sent[index]
                    .lock()
                    .unwrap()
                    .push((Instant::now(), 0, Duration::ZERO));
                let msg = ClientMessage::Command {
                    id: CommandId(n + 1),
                    command: Command::Rename { name: format!("L{index}-{n}") },
                };
                let text = serde_json::to_string(&msg).unwrap();
                sending = ws.send(Message::Text(text.into())).await.is_ok();
                continue;
            }
            () = &mut deadline => break,
        };
        let text = match next {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(frame))) => {
                // The server closed it before the end: say why.
                ended = Some(frame.map_or_else(|| "closed".to_owned(), |f| f.reason.to_string()));
                break;
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => {
                ended = Some(e.to_string());
                break;
            }
            None => {
                ended = Some("the connection ended".to_owned());
                break;
            }
        };
        // Read only what is measured, as cheaply as a browser would skim:
        // the driver shares the machine with the server.
        let Ok(msg) = serde_json::from_str::<Light>(text.as_str()) else {
            continue;
        };
        if msg.kind != "events" {
            continue;
        }
        messages += 1;
        let now = Instant::now();
        for e in &msg.events {
            if e.seq != last_seq + 1 {
                gaps += 1;
            }
            last_seq = e.seq;
            if e.event.kind == "participant_renamed"
                && let Some((by, n)) = e.event.name.and_then(edit_of)
                && by != index
                && let Some(edits) = sent.get(by)
                && let Some(entry) = edits.lock().unwrap().get_mut(n.wrapping_sub(1))
            {
                let latency = now - entry.0;
                delivery_us.push(latency.as_micros() as u32);
                entry.1 += 1;
                if latency > entry.2 {
                    entry.2 = latency;
                }
            }
        }
    }
    Outcome {
        delivery_us,
        messages,
        last_seq,
        gaps,
        ended,
    }
}

/// The parts of a server message the driver measures, borrowed from the
/// text (the tags and the names the driver sets hold no escapes).
#[derive(serde::Deserialize)]
struct Light<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(default, borrow)]
    events: Vec<LightStamped<'a>>,
}

#[derive(serde::Deserialize)]
struct LightStamped<'a> {
    seq: u64,
    #[serde(borrow)]
    event: LightEvent<'a>,
}

#[derive(serde::Deserialize)]
struct LightEvent<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(default)]
    name: Option<&'a str>,
}

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// User and system CPU time of a process so far, in seconds (from
/// `/proc/PID/stat`, in the kernel's clock ticks of 1/100 s).
fn cpu_seconds(pid: &str) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let field = |n: usize| {
        rest.split_whitespace()
            .nth(n)
            .and_then(|t| t.parse::<f64>().ok())
            .map_or(0.0, |ticks| ticks / 100.0)
    };
    // utime and stime are the 14th and 15th fields; `rest` starts at the 3rd.
    (field(11), field(12))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let server_bin = &args[1];
    let rooms: usize = args[2].parse().unwrap();
    let learners: usize = args[3].parse().unwrap();
    let seconds: u64 = args[4].parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::new(server_bin)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--static-dir",
            "/nonexistent",
            "--max-participants",
            "1000",
        ])
        .args([
            "--joins-per-minute",
            "1000000",
            "--max-messages-per-second",
            "50",
            // Every learner connects from loopback, one address.
            "--max-connections-per-address",
            "100000",
        ])
        .arg("--db")
        .arg(dir.path().join("load.sqlite3"))
        .env("RUST_LOG", "riskroom_server=error")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("Riskroom is running at http://")
        .trim_end_matches('/')
        .to_owned();
    let codes: Vec<String> = (0..rooms)
        .map(|r| driver::create_room(&addr, &format!("Load {r}")).0)
        .collect();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let total = rooms * learners;
    let sent: Sent = Arc::new((0..total).map(|_| Mutex::new(Vec::new())).collect());
    let outcomes: Vec<(usize, Outcome)> = runtime.block_on(async {
        let ready = Arc::new(tokio::sync::Barrier::new(total));
        let mut tasks = Vec::new();
        for (r, code) in codes.iter().enumerate() {
            for i in 0..learners {
                let (addr, code, sent, ready) = (
                    addr.clone(),
                    code.clone(),
                    Arc::clone(&sent),
                    Arc::clone(&ready),
                );
                tasks.push(tokio::spawn(async move {
                    (
                        r,
                        learner(addr, code, r * learners + i, seconds, sent, ready).await,
                    )
                }));
                if i % 50 == 49 {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let rss = peak_rss_mb(server.id());
    let (server_user, server_system) = cpu_seconds(&server.id().to_string());
    let (driver_user, driver_system) = cpu_seconds("self");
    let _ = server.kill();
    let _ = server.wait();

    let mut delivery: Vec<u32> = outcomes
        .iter()
        .flat_map(|(_, o)| o.delivery_us.iter().copied())
        .collect();
    delivery.sort_unstable();
    let sent: Vec<Edit> = sent
        .iter()
        .flat_map(|edits| edits.lock().unwrap().clone())
        .collect();
    let complete: Vec<u32> = {
        let mut v: Vec<u32> = sent
            .iter()
            .filter(|e| e.1 >= learners - 1)
            .map(|e| e.2.as_micros() as u32)
            .collect();
        v.sort_unstable();
        v
    };
    let incomplete = sent.iter().filter(|e| e.1 < learners - 1).count();
    // The fan-out p99 of the edits sent in each 10 s of the run, to tell a
    // tail that grows over the run from one that comes and goes.
    let by_10s = sent
        .iter()
        .map(|e| e.0)
        .min()
        .map_or_else(String::new, |first| {
            let mut slices: Vec<Vec<u32>> = Vec::new();
            for e in sent.iter().filter(|e| e.1 >= learners - 1) {
                let slice = ((e.0 - first).as_secs() / 10) as usize;
                if slices.len() <= slice {
                    slices.resize(slice + 1, Vec::new());
                }
                slices[slice].push(e.2.as_micros() as u32);
            }
            slices
                .iter_mut()
                .map(|v| {
                    // A slice with no edit seen by everyone has no p99.
                    if v.is_empty() {
                        return "-".to_owned();
                    }
                    v.sort_unstable();
                    format!("{:.0}", percentile(v, 0.99))
                })
                .collect::<Vec<_>>()
                .join("/")
        });
    let mut consistent = true;
    for r in 0..rooms {
        // Every client of a room saw every event, in order, up to the same last one.
        let ends: Vec<&Outcome> = outcomes
            .iter()
            .filter(|(room, _)| *room == r)
            .map(|(_, o)| o)
            .collect();
        if ends
            .iter()
            .any(|o| o.gaps > 0 || o.last_seq != ends[0].last_seq)
        {
            consistent = false;
        }
    }
    let ended: Vec<&String> = outcomes
        .iter()
        .filter_map(|(_, o)| o.ended.as_ref())
        .collect();
    let messages: usize = outcomes.iter().map(|(_, o)| o.messages).sum();
    println!(
        "LOAD rooms={rooms} learners={learners} seconds={seconds} edits={} deliveries={} messages={messages} delivery_p50_ms={:.1} delivery_p99_ms={:.1} fanout_p50_ms={:.1} fanout_p99_ms={:.1} incomplete_edits={incomplete} server_peak_rss_mb={rss:.0} consistent={consistent} ended_early={} first_reason={:?} server_cpu_s={server_user:.1}+{server_system:.1} driver_cpu_s={driver_user:.1}+{driver_system:.1} fanout_p99_by_10s_ms={by_10s}",
        sent.len(),
        delivery.len(),
        percentile(&delivery, 0.5),
        percentile(&delivery, 0.99),
        percentile(&complete, 0.5),
        percentile(&complete, 0.99),
        ended.len(),
        ended.first().map_or("", |r| r.as_str()),
    );
}
