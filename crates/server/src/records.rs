//! Sends the learning records to the organisation's learning record store
//! (xAPI 1.0.3). The statements the core makes of a room's events are
//! written to the store's outbox in the same transaction as the events
//! (store.rs); this thread of its own sends them in order, in batches, and
//! deletes what the LRS took. An LRS that is down or slow only makes the
//! outbox longer: retried with back-off, never holding up a room, and
//! nothing is lost across a restart. Credentials come from the environment
//! only and never reach a browser.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use rusqlite::Connection;

use crate::metrics::METRICS;

/// Most statements sent in one request.
const BATCH: usize = 100;
/// Longest wait between attempts while the LRS is unreachable.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// How long one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the statements go and how to sign in.
#[derive(Clone)]
pub struct Lrs {
    /// The LRS's xAPI endpoint, ending in `/` (statements go to
    /// `<endpoint>statements`).
    pub endpoint: String,
    /// `Basic …`, from `RISKROOM_LRS_USERNAME` and `RISKROOM_LRS_PASSWORD`.
    authorization: Option<String>,
}

impl std::fmt::Debug for Lrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lrs")
            .field("endpoint", &self.endpoint)
            .field("authorization", &self.authorization.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Lrs {
    /// The endpoint from the configuration, the credentials from the
    /// environment.
    pub fn from_env(endpoint: &str) -> Self {
        use base64::Engine;
        let user = std::env::var("RISKROOM_LRS_USERNAME").ok();
        let password = std::env::var("RISKROOM_LRS_PASSWORD").ok();
        let authorization = user.map(|user| {
            let pair = format!("{user}:{}", password.unwrap_or_default());
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            )
        });
        let mut endpoint = endpoint.to_owned();
        if !endpoint.ends_with('/') {
            endpoint.push('/');
        }
        Self {
            endpoint,
            authorization,
        }
    }
}

/// What one attempt to send came to.
enum Sent {
    /// The LRS stored them (or had them already).
    Taken,
    /// The LRS refused them for what they are (4xx): sending them again
    /// would be refused again.
    Refused(String),
    /// The LRS could not be reached or failed (5xx, 408, 429, a timeout):
    /// try again later.
    Later(String),
}

/// Starts the thread that empties the outbox of the store at `db` into
/// `lrs`; `wake` is signalled when new statements were committed.
pub fn spawn_sender(db: PathBuf, lrs: Lrs, wake: Receiver<()>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("riskroom-lrs".into())
        .spawn(move || send_forever(&db, &lrs, &wake))?;
    Ok(())
}

fn send_forever(db: &std::path::Path, lrs: &Lrs, wake: &Receiver<()>) {
    let conn = match Connection::open(db) {
        Ok(conn) => conn,
        Err(e) => {
            tracing::error!(error = %e, "the learning record sender cannot open the store; no statements will be sent");
            return;
        }
    };
    let _ = conn.busy_timeout(Duration::from_secs(5));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(REQUEST_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let mut backoff = Duration::ZERO;
    loop {
        let batch = match waiting(&conn) {
            Ok(batch) => batch,
            Err(e) => {
                tracing::error!(error = %e, "reading the learning record outbox");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        if batch.is_empty() {
            match wake.recv_timeout(Duration::from_secs(5)) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        tracing::debug!(statements = batch.len(), "sending learning records");
        match send(&agent, lrs, &batch) {
            Sent::Taken => {
                backoff = Duration::ZERO;
                forget(&conn, batch.iter().map(|(id, _)| *id));
                METRICS.lrs_sent.inc_by(batch.len() as u64);
            }
            // One of them is bad: each alone, so the others still go.
            Sent::Refused(why) if batch.len() > 1 => {
                tracing::warn!(
                    why,
                    "the LRS refused a batch; sending its statements one by one"
                );
                for (id, body) in &batch {
                    match send(&agent, lrs, std::slice::from_ref(&(*id, body.clone()))) {
                        Sent::Taken => {
                            forget(&conn, [*id]);
                            METRICS.lrs_sent.inc();
                        }
                        Sent::Refused(why) => {
                            tracing::error!(why, statement = %body, "the LRS refused a statement; it is dropped");
                            forget(&conn, [*id]);
                            METRICS.lrs_refused.inc();
                        }
                        Sent::Later(_) => break,
                    }
                }
            }
            Sent::Refused(why) => {
                tracing::error!(why, statement = %batch[0].1, "the LRS refused a statement; it is dropped");
                forget(&conn, batch.iter().map(|(id, _)| *id));
                METRICS.lrs_refused.inc();
            }
            Sent::Later(why) => {
                METRICS.lrs_failures.inc();
                backoff = (backoff * 2).clamp(Duration::from_secs(1), MAX_BACKOFF);
                tracing::warn!(
                    why,
                    retry_in_s = backoff.as_secs(),
                    "the LRS did not take the statements; they wait in the outbox"
                );
                std::thread::sleep(backoff);
            }
        }
    }
}

/// The oldest statements waiting, and how many wait in all (the metric).
fn waiting(conn: &Connection) -> rusqlite::Result<Vec<(i64, String)>> {
    let depth: i64 = conn.query_row("SELECT COUNT(*) FROM xapi_outbox", [], |r| r.get(0))?;
    METRICS.lrs_outbox.set(depth);
    let mut stmt =
        conn.prepare_cached("SELECT id, statement FROM xapi_outbox ORDER BY id LIMIT ?1")?;
    let rows = stmt.query_map([BATCH as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

fn forget(conn: &Connection, ids: impl IntoIterator<Item = i64>) {
    for id in ids {
        if let Err(e) = conn.execute("DELETE FROM xapi_outbox WHERE id = ?1", [id]) {
            tracing::error!(error = %e, "removing a sent statement from the outbox");
        }
    }
}

fn send(agent: &ureq::Agent, lrs: &Lrs, batch: &[(i64, String)]) -> Sent {
    let body = format!(
        "[{}]",
        batch
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut request = agent
        .post(format!("{}statements", lrs.endpoint))
        .header("Content-Type", "application/json")
        .header(
            "X-Experience-API-Version",
            riskroom_core::record::XAPI_VERSION,
        );
    if let Some(authorization) = &lrs.authorization {
        request = request.header("Authorization", authorization);
    }
    match request.send(body) {
        Ok(mut response) => {
            let status = response.status().as_u16();
            match status {
                200..=299 => Sent::Taken,
                // The statements themselves: malformed, too large, or (409)
                // one of that id with other content is there already.
                // Sending them again would change nothing.
                400 | 409 | 413 | 422 => {
                    let text = response
                        .body_mut()
                        .with_config()
                        .limit(4096)
                        .read_to_string()
                        .unwrap_or_default();
                    Sent::Refused(format!("the LRS answered {status}: {text}"))
                }
                // Anything else (a wrong password, a wrong endpoint, a
                // busy or failing LRS) is the LRS's or its settings':
                // the statements wait until it is put right.
                _ => Sent::Later(format!("the LRS answered {status}")),
            }
        }
        Err(e) => Sent::Later(format!("the LRS could not be reached: {e}")),
    }
}
