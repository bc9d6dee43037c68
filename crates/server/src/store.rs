//! The durable store: one SQLite file in WAL mode holding every room's event
//! log. An event is committed here before it is acknowledged or broadcast.

use std::path::Path;
use std::sync::Mutex;

use riskroom_core::session::Applied;
use riskroom_core::{RoomCode, Stamped};
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored event {seq} of room {room} cannot be read: {source}")]
    Corrupt {
        room: String,
        seq: u64,
        source: serde_json::Error,
    },
    #[error("creating the folder for the database: {0}")]
    Folder(std::io::Error),
    #[error(
        "the database was written by a newer Riskroom (schema {found}, this one knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error("room code {0} is taken")]
    CodeTaken(RoomCode),
    #[error("the copy does not read back whole: {0}")]
    Backup(String),
    #[error("{0} already exists: give the name of a new file")]
    TargetExists(String),
}

/// Schema migrations, applied in order; `PRAGMA user_version` is the count applied.
const MIGRATIONS: &[&str] = &[
    // 1: rooms and their event logs.
    "CREATE TABLE rooms (
         code TEXT PRIMARY KEY,
         created_at_ms INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE events (
         room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
         seq INTEGER NOT NULL,
         at_ms INTEGER NOT NULL,
         body TEXT NOT NULL,
         PRIMARY KEY (room, seq)
     ) STRICT, WITHOUT ROWID;",
    // 2: commands already applied, so a command sent again is acknowledged
    // again and never applied twice (even after a restart).
    "CREATE TABLE commands (
         room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
         actor TEXT NOT NULL,
         id INTEGER NOT NULL,
         seq INTEGER NOT NULL,
         PRIMARY KEY (room, actor, id)
     ) STRICT, WITHOUT ROWID;",
    // 3: learning records (xAPI statements) waiting for the LRS, written
    // with the events that made them.
    "CREATE TABLE xapi_outbox (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         statement TEXT NOT NULL
     ) STRICT;",
    // 4: the applied commands kept in the order they were applied. Keyed by
    // sender, each sender's next command landed at a place of its own, and
    // as the table grew those places spread over more and more pages: a
    // group commit wrote a page for nearly every sender in it. By seq, each
    // room's commands land together at its end, as its events do.
    "CREATE TABLE applied_commands (
         room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
         seq INTEGER NOT NULL,
         actor TEXT NOT NULL,
         id INTEGER NOT NULL,
         PRIMARY KEY (room, seq, actor, id)
     ) STRICT, WITHOUT ROWID;
     INSERT INTO applied_commands (room, seq, actor, id)
         SELECT room, seq, actor, id FROM commands;
     DROP TABLE commands;
     ALTER TABLE applied_commands RENAME TO commands;",
];

pub struct Store {
    /// The checkpoint thread runs while this lives.
    _alive: std::sync::Arc<()>,
    conn: Mutex<Connection>,
    /// Appends waiting for the writer thread, which commits them in groups.
    writer: std::sync::mpsc::Sender<Write>,
}

/// What the writer thread is asked to do.
enum Write {
    Append(Append),
    /// Take the write lock and commit nothing: the answer says whether the
    /// store can commit now (`/readyz`).
    Probe(tokio::sync::oneshot::Sender<Result<(), String>>),
    /// Signal this after each commit that added learning records.
    NotifyRecords(std::sync::mpsc::SyncSender<()>),
    /// The WAL has grown: start it over ([`restart`]).
    Restart,
}

/// One room's events to append, and where to say that they are on disk.
struct Append {
    code: RoomCode,
    events: Vec<Stamped>,
    /// The commands that made them.
    commands: Vec<Applied>,
    /// The learning records (xAPI statements, as JSON) they make.
    statements: Vec<String>,
    done: tokio::sync::oneshot::Sender<Result<(), String>>,
}

/// The writer's page cache, in KiB (as SQLite takes it, negative): every
/// busy room's last pages of `events` and `commands`, and the pages above
/// them, stay in memory between commits. At SQLite's default of 2 MiB, 300
/// busy rooms read them back from the file for every commit.
const WRITER_CACHE_KIB: i64 = -16 * 1024;

/// Most appends committed in one transaction.
const GROUP: usize = 256;

/// Frames in the WAL (of a 4 KiB page each) past which a checkpoint makes
/// the WAL start over from its beginning.
const WAL_RESTART_FRAMES: i64 = 1024;

/// The size a WAL that grew past it is cut back to when it starts over.
const WAL_LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// Copies the WAL's commits into the database file, without waiting for
/// the writer; true when the WAL should start over ([`restart`]). A
/// passive checkpoint never catches up with a writer that never stops, and
/// SQLite starts the WAL over only after a checkpoint that did: the file
/// would grow for as long as the writes go on (over a gigabyte in half a
/// minute at 9,000 events a second), each write landing on new pages the
/// kernel must first clear.
fn checkpoint(conn: &Connection) -> rusqlite::Result<bool> {
    let frames: i64 = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))?;
    Ok(frames > WAL_RESTART_FRAMES)
}

/// On the writer's own connection, between two commits: a checkpoint that
/// copies the few frames committed since the last one, and so catches up,
/// as nothing is written meanwhile; the next commit writes from the WAL's
/// beginning again. The writer does it itself: a restarting checkpoint
/// from another connection holds the write lock while the writer waits in
/// SQLite's busy handler, whose growing sleeps made a moment's wait into
/// commits of 30 to 130 ms.
fn restart(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(StoreError::Folder)?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL in WAL mode: a committed transaction survives a killed
        // process; FULL would also survive power loss at a cost per commit.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        // The writer has its own connection: appends from every room are
        // committed together, one transaction per group (group commit).
        let mut writer_conn = Connection::open(path)?;
        writer_conn.pragma_update(None, "synchronous", "NORMAL")?;
        writer_conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
        // Checkpoints (which wait for the disk) run on their own thread, so a
        // slow disk seldom holds up the commits every room is waiting for:
        // the writer itself only copies the few frames since the last one,
        // when the WAL starts over (`restart`).
        writer_conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // A WAL that grew in a burst is cut back to this when it starts over.
        writer_conn.pragma_update(None, "journal_size_limit", WAL_LIMIT_BYTES)?;
        writer_conn.pragma_update(None, "foreign_keys", "ON")?;
        writer_conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let (writer, queue) = std::sync::mpsc::channel::<Write>();
        let checkpointer = Connection::open(path)?;
        checkpointer.busy_timeout(std::time::Duration::from_secs(5))?;
        let alive = std::sync::Arc::new(());
        let watch = std::sync::Arc::downgrade(&alive);
        let restarts = writer.clone();
        std::thread::Builder::new()
            .name("riskroom-store-checkpoint".into())
            .spawn(move || {
                while watch.upgrade().is_some() {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    match checkpoint(&checkpointer) {
                        Ok(true) => {
                            let _ = restarts.send(Write::Restart);
                        }
                        Ok(false) => {}
                        Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
                    }
                }
            })
            .map_err(StoreError::Folder)?;
        std::thread::Builder::new()
            .name("riskroom-store-writer".into())
            .spawn(move || write_groups(&mut writer_conn, &queue))
            .map_err(StoreError::Folder)?;
        Ok(Self {
            _alive: alive,
            conn: Mutex::new(conn),
            writer,
        })
    }

    /// Appends events (with the commands that made them) through the group
    /// committer; resolves once they are committed.
    pub async fn append_durably(
        &self,
        code: &RoomCode,
        events: Vec<Stamped>,
        commands: Vec<Applied>,
        statements: Vec<String>,
    ) -> Result<(), String> {
        let (done, committed) = tokio::sync::oneshot::channel();
        self.writer
            .send(Write::Append(Append {
                code: code.clone(),
                events,
                commands,
                statements,
                done,
            }))
            .map_err(|_| "the store's writer has stopped".to_owned())?;
        committed
            .await
            .unwrap_or_else(|_| Err("the store's writer has stopped".to_owned()))
    }

    /// A signal after every commit that added learning records (for the
    /// thread that sends them).
    pub fn records_committed(&self) -> std::sync::mpsc::Receiver<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let _ = self.writer.send(Write::NotifyRecords(tx));
        rx
    }

    /// Whether the store can commit now: the writer thread takes the write
    /// lock and lets it go.
    pub async fn ready(&self) -> Result<(), String> {
        let (done, answer) = tokio::sync::oneshot::channel();
        self.writer
            .send(Write::Probe(done))
            .map_err(|_| "the store's writer has stopped".to_owned())?;
        answer
            .await
            .unwrap_or_else(|_| Err("the store's writer has stopped".to_owned()))
    }

    /// A consistent copy of the whole store into `target` (a new SQLite
    /// file), taken while rooms go on being written: SQLite's online
    /// backup, a few pages at a time.
    pub fn backup(source: &Path, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::TargetExists(target.display().to_string()));
        }
        // Never created here: a mistyped path is an error, not an empty copy.
        let from = Connection::open_with_flags(
            source,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        from.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut to = Connection::open(target)?;
        {
            let backup = rusqlite::backup::Backup::new(&from, &mut to)?;
            backup.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
        }
        // One file, without a WAL beside it: what a restore copies back.
        to.pragma_update(None, "journal_mode", "DELETE")?;
        let check: String = to.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
        if check != "ok" {
            return Err(StoreError::Backup(check));
        }
        Ok(())
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (the
        // transaction rolls back on drop), so a poisoned lock is still usable.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a new room with its opening event; refuses a code in use.
    pub fn create_room(&self, code: &RoomCode, opening: &Stamped) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO rooms (code, created_at_ms) VALUES (?1, ?2)",
            params![code.as_str(), opening.at_ms as i64],
        )?;
        if inserted == 0 {
            return Err(StoreError::CodeTaken(code.clone()));
        }
        insert_events(&tx, code, std::slice::from_ref(opening))?;
        tx.commit()?;
        Ok(())
    }

    /// Commands already applied in a room, in the order they were applied.
    pub fn commands(&self, code: &RoomCode) -> Result<Vec<Applied>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT actor, id, seq FROM commands WHERE room = ?1 ORDER BY seq, actor, id",
        )?;
        let rows = stmt.query_map([code.as_str()], |row| {
            Ok(Applied {
                sender: row.get::<_, String>(0)?,
                id: row.get::<_, i64>(1)? as u64,
                seq: row.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes rooms whose last event is older than `cutoff_ms`, except the
    /// ones in `keep`; returns how many went.
    pub fn delete_older_than(&self, cutoff_ms: u64, keep: &[String]) -> Result<usize, StoreError> {
        let conn = self.conn();
        let stale: Vec<String> = {
            let mut stmt =
                conn.prepare("SELECT room FROM events GROUP BY room HAVING MAX(at_ms) < ?1")?;
            let rows = stmt.query_map([cutoff_ms as i64], |row| row.get::<_, String>(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut deleted = 0;
        for code in stale.iter().filter(|c| !keep.contains(c)) {
            deleted += conn.execute("DELETE FROM rooms WHERE code = ?1", [code])?;
        }
        Ok(deleted)
    }

    /// A room's whole log in order, or None if there is no such room.
    pub fn load(&self, code: &RoomCode) -> Result<Option<Vec<Stamped>>, StoreError> {
        let conn = self.conn();
        let exists: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM rooms WHERE code = ?1",
                [code.as_str()],
                |row| row.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Ok(None);
        }
        let mut stmt = conn
            .prepare_cached("SELECT seq, at_ms, body FROM events WHERE room = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([code.as_str()], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut log = Vec::new();
        for row in rows {
            let (seq, at_ms, body) = row?;
            let event = serde_json::from_str(&body).map_err(|source| StoreError::Corrupt {
                room: code.to_string(),
                seq: seq as u64,
                source,
            })?;
            log.push(Stamped {
                seq: seq as u64,
                at_ms: at_ms as u64,
                event,
            });
        }
        Ok(Some(log))
    }
}

/// The writer thread: takes every waiting append, commits them in one
/// transaction, then tells each room. If the group fails, each append is
/// retried alone so one bad write cannot sink the others. A panic while
/// writing fails that group's appends (the transaction rolls back) and the
/// thread carries on: every room depends on it.
fn write_groups(conn: &mut Connection, queue: &std::sync::mpsc::Receiver<Write>) {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let mut notify: Option<std::sync::mpsc::SyncSender<()>> = None;
    while let Ok(first) = queue.recv() {
        let mut group = Vec::new();
        let mut probes = Vec::new();
        let mut start_over = false;
        let mut next = Some(first);
        while let Some(write) = next.take() {
            match write {
                Write::Append(a) => group.push(a),
                Write::Probe(done) => probes.push(done),
                Write::NotifyRecords(tx) => notify = Some(tx),
                Write::Restart => start_over = true,
            }
            if group.len() < GROUP {
                next = queue.try_recv().ok();
            }
        }
        for done in probes {
            let _ = done.send(
                conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
                    .map_err(|e| e.to_string()),
            );
        }
        if start_over && let Err(e) = restart(conn) {
            tracing::warn!(error = %e, "WAL restart failed");
        }
        if group.is_empty() {
            continue;
        }
        let records = group.iter().any(|a| !a.statements.is_empty());
        let started = std::time::Instant::now();
        let whole = catch_unwind(AssertUnwindSafe(|| write_group(conn, &group)));
        if matches!(whole, Ok(Ok(()))) {
            let metrics = &crate::metrics::METRICS;
            metrics
                .commit_seconds
                .observe(started.elapsed().as_secs_f64());
            let events: usize = group.iter().map(|a| a.events.len()).sum();
            metrics.events.inc_by(events as u64);
            for a in group {
                let _ = a.done.send(Ok(()));
            }
            if records && let Some(tx) = &notify {
                let _ = tx.try_send(());
            }
            continue;
        }
        crate::metrics::METRICS.store_failures.inc();
        for a in group {
            let alone = catch_unwind(AssertUnwindSafe(|| {
                write_group(conn, std::slice::from_ref(&a))
            }));
            let result = match alone {
                Ok(Ok(())) => {
                    crate::metrics::METRICS.events.inc_by(a.events.len() as u64);
                    Ok(())
                }
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => {
                    tracing::error!(room = %a.code, "writing a room's events panicked; the write is refused");
                    Err("the store's writer failed on this change".to_owned())
                }
            };
            let _ = a.done.send(result);
        }
    }
}

/// One transaction holding every append of `items`.
fn write_group(conn: &mut Connection, items: &[Append]) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    {
        // Prepared once per connection, not once per row.
        let mut record = tx.prepare_cached("INSERT INTO xapi_outbox (statement) VALUES (?1)")?;
        let mut applied = tx.prepare_cached(
            "INSERT OR IGNORE INTO commands (room, seq, actor, id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for a in items {
            insert_events(&tx, &a.code, &a.events)?;
            for statement in &a.statements {
                record.execute(params![statement])?;
            }
            for Applied {
                sender: actor,
                id,
                seq,
            } in &a.commands
            {
                applied.execute(params![a.code.as_str(), *seq as i64, actor, *id as i64])?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

fn insert_events(
    tx: &rusqlite::Transaction<'_>,
    code: &RoomCode,
    events: &[Stamped],
) -> Result<(), StoreError> {
    let mut stmt =
        tx.prepare_cached("INSERT INTO events (room, seq, at_ms, body) VALUES (?1, ?2, ?3, ?4)")?;
    for stamped in events {
        let body = serde_json::to_string(&stamped.event).expect("events always serialize");
        stmt.execute(params![
            code.as_str(),
            stamped.seq as i64,
            stamped.at_ms as i64,
            body
        ])?;
    }
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if applied > known {
        return Err(StoreError::TooNew {
            found: applied,
            known,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "database schema migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use riskroom_core::Event;
    use riskroom_core::ids::ParticipantId;
    use std::time::Duration;

    /// A writer that never stops, as a busy server's is: the store's own
    /// writer loop, asked to start the WAL over as the checkpoint thread
    /// asks it, keeps the WAL near the size at which that happens, where
    /// passive checkpoints alone let it grow by everything written.
    #[test]
    fn the_wal_stays_bounded_while_the_writer_never_stops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        migrate(&mut conn).unwrap();
        let mut writer = Connection::open(&path).unwrap();
        writer.pragma_update(None, "synchronous", "NORMAL").unwrap();
        writer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        let (queue, writes) = std::sync::mpsc::channel::<Write>();
        let writing = std::thread::spawn(move || write_groups(&mut writer, &writes));
        let checkpointer = Connection::open(&path).unwrap();
        checkpointer.busy_timeout(Duration::from_secs(5)).unwrap();
        let code = RoomCode::random(&mut rand::rng());
        conn.execute(
            "INSERT INTO rooms (code, created_at_ms) VALUES (?1, 0)",
            [code.as_str()],
        )
        .unwrap();
        let wal = dir.path().join("store.sqlite3-wal");
        // About 32 times the frames past which the WAL starts over, one
        // page-sized event a commit.
        let events = 32 * WAL_RESTART_FRAMES as u64;
        let mut largest = 0;
        // Appends in flight, so the writer is busy while the checkpoint runs.
        let mut waiting = std::collections::VecDeque::new();
        for seq in 1..=events {
            let (done, committed) = tokio::sync::oneshot::channel();
            let event = Event::ParticipantRenamed {
                id: ParticipantId(1),
                name: "x".repeat(4000),
            };
            queue
                .send(Write::Append(Append {
                    code: code.clone(),
                    events: vec![Stamped {
                        seq,
                        at_ms: seq,
                        event,
                    }],
                    commands: Vec::new(),
                    statements: Vec::new(),
                    done,
                }))
                .unwrap();
            waiting.push_back(committed);
            if waiting.len() > 64 {
                let oldest = waiting.pop_front().unwrap();
                oldest.blocking_recv().unwrap().unwrap();
            }
            // The checkpoint thread's part, every so often.
            if seq % 256 == 0 {
                if checkpoint(&checkpointer).unwrap() {
                    queue.send(Write::Restart).unwrap();
                }
                largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
            }
        }
        for committed in waiting {
            committed.blocking_recv().unwrap().unwrap();
        }
        drop(queue);
        writing.join().unwrap();
        let written = events * 4096;
        assert!(
            largest < written / 4,
            "the WAL reached {largest} bytes for {written} written"
        );
    }

    /// A database from before the applied commands were kept in the order
    /// they were applied opens with every command it had, in that order.
    #[test]
    fn applied_commands_kept_by_sender_are_kept_in_order_after_the_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        let code = RoomCode::random(&mut rand::rng());
        let before = [("p2", 1, 3), ("p1", 1, 2), ("p1", 2, 5), ("p3", 7, 3)];
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..3] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.execute(
                "INSERT INTO rooms (code, created_at_ms) VALUES (?1, 0)",
                [code.as_str()],
            )
            .unwrap();
            for (actor, id, seq) in before {
                conn.execute(
                    "INSERT INTO commands (room, actor, id, seq) VALUES (?1, ?2, ?3, ?4)",
                    params![code.as_str(), actor, id, seq],
                )
                .unwrap();
            }
        }
        let store = Store::open(&path).unwrap();
        let after: Vec<(String, u64, u64)> = store
            .commands(&code)
            .unwrap()
            .into_iter()
            .map(|a| (a.sender, a.id, a.seq))
            .collect();
        let expected: Vec<(String, u64, u64)> =
            [("p1", 1, 2), ("p2", 1, 3), ("p3", 7, 3), ("p1", 2, 5)]
                .into_iter()
                .map(|(actor, id, seq)| (actor.to_owned(), id, seq))
                .collect();
        assert_eq!(after, expected);
        let version: i64 = store
            .conn()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }
}
