//! Test harness: runs the real `riskroom-server` binary on a free port with
//! its own SQLite file, and talks to it over real HTTP and WebSocket sockets.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use riskroom_core::{ClientMessage, Command as RoomCommand, CommandId, Credential, ServerMessage};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub db: PathBuf,
    /// Everything the server logged so far.
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts a server on a fresh database in `dir`.
    pub fn start(dir: &Path) -> Self {
        Self::start_on(dir.join("rooms.sqlite3"), &[])
    }

    pub fn start_on(db: PathBuf, extra: &[&str]) -> Self {
        Self::start_with_env(db, extra, &[])
    }

    /// Starts a server with extra flags and environment variables.
    pub fn start_with_env(db: PathBuf, extra: &[&str], vars: &[(&str, &str)]) -> Self {
        let static_dir: &[&str] = if extra.contains(&"--static-dir") {
            &[]
        } else {
            &["--static-dir", "/nonexistent"]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_riskroom-server"))
            .args(["--addr", "127.0.0.1:0"])
            .args(static_dir)
            .arg("--db")
            .arg(&db)
            .args(extra)
            .env("RUST_LOG", "riskroom_server=warn")
            .env("NO_COLOR", "1")
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let stdout = child.stdout.take().unwrap();
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        // The rest (how phones can join) is read and let go.
        std::thread::spawn(move || for _ in stdout.lines().map_while(Result::ok) {});
        let addr = line
            .trim()
            .strip_prefix("Riskroom is running at http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .parse()
            .unwrap();
        Self {
            child,
            addr,
            db,
            log,
        }
    }

    /// The server's resident memory now, in KB (`VmRSS`).
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse().ok())
            .expect("VmRSS in /proc/<pid>/status")
    }

    /// A WebSocket client whose socket keeps only a small receive buffer, so
    /// a client that stops reading stops taking data soon (as a phone on a
    /// bad network would) instead of the kernel taking megabytes for it.
    pub async fn client_with_small_buffer(&self) -> Client {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(16 * 1024).unwrap();
        let stream = socket.connect(self.addr).await.unwrap();
        let (ws, _) = tokio_tungstenite::client_async(
            format!("ws://{}/ws", self.addr),
            MaybeTlsStream::Plain(stream),
        )
        .await
        .expect("websocket connects");
        Client {
            ws,
            next_id: 1,
            presence: None,
        }
    }

    /// SIGKILL: no shutdown handler runs.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Raw HTTP/1.1 request; returns (status, body).
    pub async fn http(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).await.unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// Creates a room; returns (code, facilitator key).
    pub async fn create_room(&self, title: &str) -> (String, String) {
        let (status, body) = self
            .http("POST", "/api/rooms", &json!({ "title": title }).to_string())
            .await;
        assert_eq!(status, 201, "{body}");
        let value: Value = serde_json::from_str(&body).unwrap();
        (
            value["code"].as_str().unwrap().to_owned(),
            value["key"].as_str().unwrap().to_owned(),
        )
    }

    /// A new learner joins room `code` as `name`; returns their client,
    /// on the room as that participant, and their seat token.
    pub async fn join(&self, code: &str, name: &str) -> (Client, String) {
        let mut client = self.client().await;
        assert!(matches!(
            client.hello(code, None).await,
            ServerMessage::Welcome { .. }
        ));
        client
            .command(RoomCommand::Join { name: name.into() })
            .await;
        let ServerMessage::Joined { token, .. } = client.recv().await else {
            panic!("expected Joined")
        };
        client
            .until(|m| {
                matches!(
                    m,
                    ServerMessage::Welcome {
                        you: riskroom_core::protocol::You::Participant { .. },
                        ..
                    }
                )
            })
            .await;
        (client, token.unwrap().expose().to_owned())
    }

    pub async fn client(&self) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", self.addr))
            .await
            .expect("websocket connects");
        Client {
            ws,
            next_id: 1,
            presence: None,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// The latest presence the server sent (kept aside by `recv`).
    pub presence: Option<riskroom_core::protocol::Presence>,
}

impl Client {
    pub async fn send_text(&mut self, text: impl Into<String>) {
        self.try_send_text(text).await.unwrap();
    }

    /// Sends a text frame; the error if the server closed the socket meanwhile.
    pub async fn try_send_text(
        &mut self,
        text: impl Into<String>,
    ) -> Result<(), tokio_tungstenite::tungstenite::Error> {
        self.ws.send(Message::Text(text.into().into())).await
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::Binary(bytes.into())).await.unwrap();
    }

    pub async fn send(&mut self, msg: &ClientMessage) {
        self.send_text(serde_json::to_string(msg).unwrap()).await;
    }

    pub async fn hello(&mut self, room: &str, credential: Option<Credential>) -> ServerMessage {
        self.hello_from(room, credential, None).await
    }

    /// Hello from a page that already holds the room up to `last_seq`.
    pub async fn hello_from(
        &mut self,
        room: &str,
        credential: Option<Credential>,
        last_seq: Option<u64>,
    ) -> ServerMessage {
        self.send(&ClientMessage::Hello {
            protocol: riskroom_core::PROTOCOL_VERSION,
            room: riskroom_core::RoomCode::parse(room).unwrap(),
            credential,
            last_seq,
        })
        .await;
        self.recv().await
    }

    /// Sends a command with a chosen id.
    pub async fn command_with_id(&mut self, id: u64, command: RoomCommand) {
        self.send(&ClientMessage::Command {
            id: CommandId(id),
            command,
        })
        .await;
    }

    /// Sends a command; returns its id.
    pub async fn command(&mut self, command: RoomCommand) -> CommandId {
        let id = CommandId(self.next_id);
        self.next_id += 1;
        self.send(&ClientMessage::Command { id, command }).await;
        id
    }

    /// The next server message (panics after 5 s of silence).
    pub async fn recv(&mut self) -> ServerMessage {
        self.try_recv(Duration::from_secs(5))
            .await
            .expect("a message within 5 s")
    }

    /// The next message other than presence, or None if the connection
    /// closes or stays silent.
    pub async fn try_recv(&mut self, wait: Duration) -> Option<ServerMessage> {
        loop {
            match self.try_recv_any(wait).await? {
                ServerMessage::Presence(presence) => self.presence = Some(presence),
                other => return Some(other),
            }
        }
    }

    /// The next message of any kind.
    pub async fn try_recv_any(&mut self, wait: Duration) -> Option<ServerMessage> {
        loop {
            match tokio::time::timeout(wait, self.ws.next()).await {
                Ok(Some(Ok(Message::Text(text)))) => {
                    return Some(
                        serde_json::from_str(text.as_str())
                            .unwrap_or_else(|e| panic!("server sent unreadable {text}: {e}")),
                    );
                }
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) | Err(_) => {
                    return None;
                }
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// Reads until a message matches, returning it; panics on a 5 s silence.
    pub async fn until(&mut self, mut wanted: impl FnMut(&ServerMessage) -> bool) -> ServerMessage {
        loop {
            let msg = self.recv().await;
            if wanted(&msg) {
                return msg;
            }
        }
    }

    /// Reads and drops messages until the server closes the connection
    /// (true), or until `wait` has passed with it open (false).
    pub async fn read_until_closed(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
                Err(_) => return false,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

pub fn facilitator(key: &str) -> Option<Credential> {
    Some(Credential::Facilitator {
        key: riskroom_core::Secret::from_client(key),
    })
}

pub fn participant(token: &str) -> Option<Credential> {
    Some(Credential::Participant {
        token: riskroom_core::Secret::from_client(token),
    })
}
