//! Soak run (`cargo xtask soak`, and a short run in `cargo xtask test`):
//! rooms with learners joining, renaming, leaving and reconnecting, beside
//! clients that misbehave (never read, send garbage, send oversized
//! messages, join under new names until the room takes no more), and halfway through a `kill -9` of the server and a start on
//! the same database. Samples the server's memory (VmRSS) and open file
//! descriptors over time, and checks that every acknowledged change is
//! still there: after the restart, and at the end, a fresh client's
//! Welcome holds every acknowledged seq and each learner's last
//! acknowledged name. Real server, real sockets, on loopback.
//!
//! Usage: soak SERVER_BIN SECONDS [ROOMS] [LEARNERS_PER_ROOM]
//! Prints `SAMPLE` lines as it goes and one `SOAK` line at the end; exits
//! with status 1 if an acknowledged change was lost.

#[path = "driver/mod.rs"]
mod driver;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use riskroom_core::protocol::You;
use riskroom_core::{
    ClientMessage, Command, CommandId, Credential, ParticipantId, Rejection, RoomCode, Secret,
    ServerMessage,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// People in one room at once; the room takes `JOINS_PER_PLACE` times as
/// many joins over its life, which the joining client (joining and leaving
/// again) uses up.
const PLACES: u32 = 40;
/// How often each learner leaves for good and joins again as someone new.
const NEW_IDENTITIES: u32 = 4;
/// Largest message the soak's server accepts; the oversized client sends more.
const MAX_FRAME_BYTES: usize = 64 * 1024;
/// How long one answer may take before the driver counts the connection as
/// broken and reconnects (a restart is under way, or the socket died).
const ANSWER: Duration = Duration::from_secs(5);

/// What every task shares.
struct Shared {
    /// The server's address; changes when it is started again.
    addr: RwLock<String>,
    /// Every acknowledged seq, by room code.
    acked: Mutex<HashMap<String, Vec<u64>>>,
    /// Each seated learner's last acknowledged name, by (room, participant).
    names: Mutex<HashMap<(String, u32), String>>,
    stop: AtomicBool,
    commands: AtomicU64,
    reconnects: AtomicU64,
    leaves: AtomicU64,
    garbage_refused: AtomicU64,
    oversized_closed: AtomicU64,
    silent_opened: AtomicU64,
    joins_refused: AtomicU64,
}

impl Shared {
    fn addr(&self) -> String {
        self.addr.read().unwrap().clone()
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

fn start_server(bin: &Path, db: &Path) -> (Child, String) {
    let mut child = Process::new(bin)
        .args(["--addr", "127.0.0.1:0", "--static-dir", "/nonexistent"])
        .args(["--max-participants", &PLACES.to_string()])
        .args(["--joins-per-minute", "1000000"])
        .args(["--max-frame-bytes", &MAX_FRAME_BYTES.to_string()])
        // Silent clients are found sooner than by the defaults.
        .args(["--ws-ping-ms", "2000", "--ws-pong-timeout-ms", "2000"])
        .args(["--ws-write-timeout-ms", "2000"])
        .arg("--db")
        .arg(db)
        .env("RUST_LOG", "riskroom_server=error")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    std::thread::spawn(move || for _ in stdout.lines().map_while(Result::ok) {});
    let addr = line
        .trim()
        .trim_start_matches("Riskroom is running at http://")
        .trim_end_matches('/')
        .to_owned();
    (child, addr)
}

/// The server's resident memory in KB and its open file descriptors.
fn sample(pid: u32) -> (u64, usize) {
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0);
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count());
    (rss, fds)
}

fn text(msg: &ClientMessage) -> Message {
    Message::Text(serde_json::to_string(msg).unwrap().into())
}

async fn connect(shared: &Shared) -> Option<Ws> {
    let url = format!("ws://{}/ws", shared.addr());
    match tokio::time::timeout(ANSWER, tokio_tungstenite::connect_async(url)).await {
        Ok(Ok((ws, _))) => Some(ws),
        _ => None,
    }
}

/// The next server message, or None if the connection closed or was silent.
async fn next(ws: &mut Ws) -> Option<ServerMessage> {
    loop {
        match tokio::time::timeout(ANSWER, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return serde_json::from_str(t.as_str()).ok(),
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) | Err(_) => {
                return None;
            }
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// Says hello; the Welcome's `you`, or None.
async fn hello(ws: &mut Ws, code: &str, credential: Option<Credential>) -> Option<You> {
    let hello = ClientMessage::Hello {
        protocol: riskroom_core::PROTOCOL_VERSION,
        room: RoomCode::parse(code).unwrap(),
        credential,
        last_seq: None,
    };
    ws.send(text(&hello)).await.ok()?;
    loop {
        match next(ws).await? {
            ServerMessage::Welcome { you, .. } => return Some(you),
            ServerMessage::Rejected { id: None, .. } | ServerMessage::Closed { .. } => return None,
            _ => {}
        }
    }
}

/// Sends a command and reads until its answer: Some(seq) when acknowledged,
/// Some(0) when refused, None when the connection broke first. `joined` is
/// set from a `Joined` on the way.
async fn send_command(
    ws: &mut Ws,
    id: u64,
    command: &Command,
    joined: &mut Option<ParticipantId>,
) -> Option<u64> {
    let msg = ClientMessage::Command {
        id: CommandId(id),
        command: command.clone(),
    };
    ws.send(text(&msg)).await.ok()?;
    loop {
        match next(ws).await? {
            ServerMessage::Ack { id: got, seq } if got == CommandId(id) => return Some(seq),
            ServerMessage::Rejected { id: Some(got), .. } if got == CommandId(id) => {
                return Some(0);
            }
            ServerMessage::Joined { id: pid, .. } => *joined = Some(pid),
            ServerMessage::Closed { .. } => return None,
            _ => {}
        }
    }
}

/// A learner: takes a seat under its own token, renames itself a few times
/// (one command at a time, each sent again with its id after a broken
/// connection, as the page does), then drops the connection and comes back,
/// or leaves and joins again as someone new (at most [`NEW_IDENTITIES`]
/// times, so that the joining client is the one to use up the room).
async fn learner(shared: Arc<Shared>, code: String, index: usize) {
    let mut token = Secret::random(&mut rand::rng());
    let mut next_id = 1u64;
    let mut seat: Option<ParticipantId> = None;
    let mut round = 0u64;
    let mut identities = 0;
    // The command waiting for its acknowledgement.
    let mut pending: Option<(u64, Command)> = None;
    while !shared.stopping() || pending.is_some() {
        let Some(mut ws) = connect(&shared).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let credential = Credential::Participant {
            token: token.clone(),
        };
        if hello(&mut ws, &code, Some(credential)).await.is_none() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        round += 1;
        if seat.is_none() && pending.is_none() {
            pending = Some((
                next_id,
                Command::Join {
                    name: format!("S{index}-{round}"),
                },
            ));
            next_id += 1;
        }
        let mut renames = 0;
        loop {
            if pending.is_none() {
                if shared.stopping() || renames == 3 + index % 4 {
                    break;
                }
                renames += 1;
                pending = Some((
                    next_id,
                    Command::Rename {
                        name: format!("S{index}-{round}-{renames}"),
                    },
                ));
                next_id += 1;
            }
            let (id, command) = pending.clone().unwrap();
            let Some(seq) = send_command(&mut ws, id, &command, &mut seat).await else {
                shared.reconnects.fetch_add(1, Ordering::Relaxed);
                break;
            };
            pending = None;
            if seq == 0 {
                continue;
            }
            shared.commands.fetch_add(1, Ordering::Relaxed);
            shared
                .acked
                .lock()
                .unwrap()
                .entry(code.clone())
                .or_default()
                .push(seq);
            if let (Some(pid), Command::Join { name } | Command::Rename { name }) = (seat, &command)
            {
                shared
                    .names
                    .lock()
                    .unwrap()
                    .insert((code.clone(), pid.0), name.clone());
            }
            tokio::time::sleep(Duration::from_millis(100 + (index as u64 * 37) % 300)).await;
        }
        if pending.is_some() {
            continue;
        }
        // Every third round the learner leaves for good and comes back as
        // someone new; otherwise the page is closed and opened again.
        if round.is_multiple_of(3)
            && identities < NEW_IDENTITIES
            && let Some(pid) = seat
        {
            let (id, leave) = (next_id, Command::Leave);
            next_id += 1;
            if let Some(seq) = send_command(&mut ws, id, &leave, &mut seat).await
                && seq > 0
            {
                shared.leaves.fetch_add(1, Ordering::Relaxed);
                shared
                    .acked
                    .lock()
                    .unwrap()
                    .entry(code.clone())
                    .or_default()
                    .push(seq);
                shared.names.lock().unwrap().remove(&(code.clone(), pid.0));
                seat = None;
                identities += 1;
                token = Secret::random(&mut rand::rng());
                next_id = 1;
            }
        }
        let _ = ws.close(None).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A console that reads everything its room sends, reconnecting as needed.
async fn console(shared: Arc<Shared>, code: String, key: String) {
    while !shared.stopping() {
        let Some(mut ws) = connect(&shared).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let credential = Credential::Facilitator {
            key: Secret::from_client(key.clone()),
        };
        if hello(&mut ws, &code, Some(credential)).await.is_none() {
            continue;
        }
        while !shared.stopping() {
            match tokio::time::timeout(Duration::from_secs(1), ws.next()).await {
                Ok(Some(Ok(_))) | Err(_) => {}
                Ok(_) => break,
            }
        }
    }
}

/// A client that joins and then never reads: the server must close it (its
/// queue fills, or it answers no ping) rather than hold its backlog.
async fn silent(shared: Arc<Shared>, code: String) {
    while !shared.stopping() {
        let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
            return;
        };
        let _ = socket.set_recv_buffer_size(16 * 1024);
        let Ok(Ok(stream)) =
            tokio::time::timeout(ANSWER, socket.connect(shared.addr().parse().unwrap())).await
        else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let url = format!("ws://{}/ws", shared.addr());
        let Ok((mut ws, _)) =
            tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream)).await
        else {
            continue;
        };
        if hello(&mut ws, &code, None).await.is_none() {
            continue;
        }
        shared.silent_opened.fetch_add(1, Ordering::Relaxed);
        // Stays open, unread, for a while, then goes without a word.
        for _ in 0..20 {
            if shared.stopping() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        drop(ws);
    }
}

/// A client that joins under a new token and name and leaves again, over
/// and over, until the room has taken all the joins it takes over its life;
/// then it is refused for that, and goes on asking now and then.
async fn joiner(shared: Arc<Shared>, code: String) {
    let used_up = Rejection::TooManyJoins(0).to_string();
    let used_up = used_up
        .split_once("over its life")
        .map_or("", |(_, rest)| rest);
    let mut n = 0u64;
    while !shared.stopping() {
        let Some(mut ws) = connect(&shared).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let credential = Credential::Participant {
            token: Secret::random(&mut rand::rng()),
        };
        if hello(&mut ws, &code, Some(credential)).await.is_none() {
            continue;
        }
        n += 1;
        let join = ClientMessage::Command {
            id: CommandId(1),
            command: Command::Join {
                name: format!("J-{n}"),
            },
        };
        if ws.send(text(&join)).await.is_err() {
            continue;
        }
        let mut pause = Duration::from_millis(200);
        while let Some(message) = next(&mut ws).await {
            match message {
                ServerMessage::Ack {
                    id: CommandId(1),
                    seq,
                } => {
                    let mut seat = None;
                    let left = send_command(&mut ws, 2, &Command::Leave, &mut seat).await;
                    let mut acked = shared.acked.lock().unwrap();
                    let room = acked.entry(code.clone()).or_default();
                    room.push(seq);
                    if let Some(left) = left.filter(|&s| s > 0) {
                        room.push(left);
                    }
                    pause = Duration::from_secs(1);
                    break;
                }
                ServerMessage::Rejected {
                    id: Some(CommandId(1)),
                    reason,
                } => {
                    if !used_up.is_empty() && reason.ends_with(used_up) {
                        shared.joins_refused.fetch_add(1, Ordering::Relaxed);
                    }
                    pause = Duration::from_secs(2);
                    break;
                }
                _ => {}
            }
        }
        let _ = ws.close(None).await;
        tokio::time::sleep(pause).await;
    }
}

/// A client that sends what cannot be read: text that is not JSON, binary
/// frames, commands before hello, unknown commands.
async fn garbage(shared: Arc<Shared>, code: String) {
    let junk = [
        Message::Text("{not json".into()),
        Message::Binary(vec![0xff, 0x00, 0x13].into()),
        Message::Text(r#"{"type":"command","id":1,"command":{"type":"no_such_thing"}}"#.into()),
        Message::Text(r#"{"type":"hello"}"#.into()),
        Message::Text("\u{202e}\u{0}".into()),
    ];
    let mut n = 0usize;
    while !shared.stopping() {
        let Some(mut ws) = connect(&shared).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        if hello(&mut ws, &code, None).await.is_none() {
            continue;
        }
        while !shared.stopping() {
            n += 1;
            if ws.send(junk[n % junk.len()].clone()).await.is_err() {
                break;
            }
            match next(&mut ws).await {
                Some(ServerMessage::Rejected { .. }) => {
                    shared.garbage_refused.fetch_add(1, Ordering::Relaxed);
                }
                Some(_) => {}
                None => break,
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A client that sends one message larger than the server accepts; the
/// server closes the connection.
async fn oversized(shared: Arc<Shared>, code: String) {
    let big = format!(
        r#"{{"type":"command","id":1,"command":{{"type":"rename","name":"{}"}}}}"#,
        "x".repeat(MAX_FRAME_BYTES + 1)
    );
    while !shared.stopping() {
        let Some(mut ws) = connect(&shared).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        if hello(&mut ws, &code, None).await.is_none() {
            continue;
        }
        let _ = ws.send(Message::Text(big.clone().into())).await;
        // Read until the server closes it.
        let deadline = Instant::now() + ANSWER;
        loop {
            match tokio::time::timeout_at(deadline.into(), ws.next()).await {
                Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => {
                    shared.oversized_closed.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Ok(Some(Ok(_))) => {}
                Err(_) => break,
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// What a fresh facilitator's Welcome holds: the room's seq and each
/// participant's name.
async fn fresh_view(shared: &Shared, code: &str, key: &str) -> Option<(u64, HashMap<u32, String>)> {
    let mut ws = connect(shared).await?;
    let hello = ClientMessage::Hello {
        protocol: riskroom_core::PROTOCOL_VERSION,
        room: RoomCode::parse(code).unwrap(),
        credential: Some(Credential::Facilitator {
            key: Secret::from_client(key),
        }),
        last_seq: None,
    };
    ws.send(text(&hello)).await.ok()?;
    loop {
        if let ServerMessage::Welcome { room, .. } = next(&mut ws).await? {
            let names = room
                .participants
                .iter()
                .map(|p| (p.id.0, p.name.clone()))
                .collect();
            return Some((room.seq, names));
        }
    }
}

/// Acknowledged seqs of each room above what a fresh Welcome holds (lost),
/// and seated learners whose last acknowledged name is not the room's.
async fn check(shared: &Shared, rooms: &[(String, String)], names: bool) -> (usize, usize) {
    let mut lost = 0;
    let mut wrong = 0;
    let acked = shared.acked.lock().unwrap().clone();
    let expected = shared.names.lock().unwrap().clone();
    for (code, key) in rooms {
        let Some((seq, held)) = fresh_view(shared, code, key).await else {
            println!("room {code} did not open");
            lost += acked.get(code).map_or(0, Vec::len);
            continue;
        };
        lost += acked
            .get(code)
            .map_or(0, |s| s.iter().filter(|&&a| a > seq).count());
        if names {
            for ((room, pid), name) in &expected {
                if room == code && held.get(pid) != Some(name) {
                    println!(
                        "room {code}: participant {pid} is {:?}, acknowledged as {name:?}",
                        held.get(pid)
                    );
                    wrong += 1;
                }
            }
        }
    }
    (lost, wrong)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bin = PathBuf::from(&args[1]);
    let seconds: u64 = args[2].parse().unwrap();
    let rooms: usize = args.get(3).map_or(4, |a| a.parse().unwrap());
    let learners: usize = args.get(4).map_or(8, |a| a.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("soak.sqlite3");
    let (mut server, addr) = start_server(&bin, &db);
    let codes: Vec<(String, String)> = (0..rooms)
        .map(|r| driver::create_room(&addr, &format!("Soak {r}")))
        .collect();
    let shared = Arc::new(Shared {
        addr: RwLock::new(addr),
        acked: Mutex::default(),
        names: Mutex::default(),
        stop: AtomicBool::new(false),
        commands: AtomicU64::new(0),
        reconnects: AtomicU64::new(0),
        leaves: AtomicU64::new(0),
        garbage_refused: AtomicU64::new(0),
        oversized_closed: AtomicU64::new(0),
        silent_opened: AtomicU64::new(0),
        joins_refused: AtomicU64::new(0),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for (r, (code, key)) in codes.iter().enumerate() {
        let s = || Arc::clone(&shared);
        tasks.push(runtime.spawn(console(s(), code.clone(), key.clone())));
        for i in 0..learners {
            tasks.push(runtime.spawn(learner(s(), code.clone(), r * learners + i)));
        }
        tasks.push(runtime.spawn(silent(s(), code.clone())));
        tasks.push(runtime.spawn(garbage(s(), code.clone())));
        tasks.push(runtime.spawn(joiner(s(), code.clone())));
        tasks.push(runtime.spawn(oversized(s(), code.clone())));
    }

    let started = Instant::now();
    let every = Duration::from_secs((seconds / 30).clamp(1, 10));
    let mut samples: Vec<(f64, u64, usize)> = Vec::new();
    let mut restarted = false;
    let mut lost_at_restart = 0;
    let mut next_sample = started;
    while started.elapsed() < Duration::from_secs(seconds) {
        if Instant::now() >= next_sample {
            let (rss, fds) = sample(server.id());
            let t = started.elapsed().as_secs_f64();
            println!(
                "SAMPLE t={t:.0} rss_mb={:.1} fds={fds}",
                rss as f64 / 1024.0
            );
            samples.push((t, rss, fds));
            next_sample += every;
        }
        if !restarted && started.elapsed() >= Duration::from_secs(seconds / 2) {
            restarted = true;
            // kill -9: no shutdown handler runs.
            server.kill().unwrap();
            server.wait().unwrap();
            std::thread::sleep(Duration::from_millis(300));
            let (child, addr) = start_server(&bin, &db);
            server = child;
            *shared.addr.write().unwrap() = addr;
            println!("RESTART t={:.0}", started.elapsed().as_secs_f64());
            (lost_at_restart, _) = runtime.block_on(check(&shared, &codes, false));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    shared.stop.store(true, Ordering::Relaxed);
    runtime.block_on(async {
        for task in tasks {
            let _ = tokio::time::timeout(Duration::from_secs(30), task).await;
        }
    });
    let (rss, fds) = sample(server.id());
    samples.push((started.elapsed().as_secs_f64(), rss, fds));
    let (lost, wrong) = runtime.block_on(check(&shared, &codes, true));
    let _ = server.kill();
    let _ = server.wait();

    let half = samples
        .iter()
        .position(|s| s.0 >= (seconds / 2) as f64)
        .unwrap_or(0);
    let (before, after) = samples.split_at(half);
    let mb = |kb: u64| kb as f64 / 1024.0;
    let peak = |s: &[(f64, u64, usize)]| s.iter().map(|x| x.1).max().unwrap_or(0);
    let fds_peak = samples.iter().map(|x| x.2).max().unwrap_or(0);
    let acked: usize = shared.acked.lock().unwrap().values().map(Vec::len).sum();
    println!(
        "SOAK seconds={seconds} rooms={rooms} places={PLACES} joins_per_room={} learners={learners} acked={acked} commands={} leaves={} reconnects={} silent={} garbage_refused={} oversized_closed={} joins_refused={} restarts=1 lost_at_restart={lost_at_restart} lost_at_end={lost} names_wrong={wrong} rss_first_mb={:.1} rss_peak_before_restart_mb={:.1} rss_peak_after_restart_mb={:.1} rss_last_mb={:.1} fds_first={} fds_peak={fds_peak} fds_last={}",
        PLACES as usize * riskroom_core::room::JOINS_PER_PLACE,
        shared.commands.load(Ordering::Relaxed),
        shared.leaves.load(Ordering::Relaxed),
        shared.reconnects.load(Ordering::Relaxed),
        shared.silent_opened.load(Ordering::Relaxed),
        shared.garbage_refused.load(Ordering::Relaxed),
        shared.oversized_closed.load(Ordering::Relaxed),
        shared.joins_refused.load(Ordering::Relaxed),
        mb(samples.first().map_or(0, |s| s.1)),
        mb(peak(before)),
        mb(peak(after)),
        mb(samples.last().map_or(0, |s| s.1)),
        samples.first().map_or(0, |s| s.2),
        samples.last().map_or(0, |s| s.2),
    );
    if lost_at_restart > 0 || lost > 0 || wrong > 0 || acked == 0 {
        std::process::exit(1);
    }
}
