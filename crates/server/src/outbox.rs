//! A connection's queue of messages to write, bounded in bytes: a client
//! that stops reading falls behind and is closed (reconnecting catches it
//! up from its last event) instead of the server holding its backlog.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::mpsc;

use crate::rooms::Outbound;

/// The close reason a client that fell behind is given.
pub const FELL_BEHIND: &str = "Your connection fell too far behind; reconnecting catches up.";

#[derive(Debug)]
struct Shared {
    /// Bytes queued and not yet written.
    queued: AtomicUsize,
    limit: usize,
    /// Set once the queue would have passed its limit; nothing more is
    /// queued after.
    behind: AtomicBool,
}

/// The sending side, held by the room task and the connection's reader.
#[derive(Debug, Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<Outbound>,
    shared: Arc<Shared>,
}

/// The writing side, held by the connection's writer.
#[derive(Debug)]
pub struct OutboxRx {
    rx: mpsc::UnboundedReceiver<Outbound>,
    shared: Arc<Shared>,
}

/// A queue that holds at most `limit` bytes (one message larger than that
/// is let into an empty queue, so a big fresh view always goes through).
pub fn outbox(limit: usize) -> (Outbox, OutboxRx) {
    let (tx, rx) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        queued: AtomicUsize::new(0),
        limit,
        behind: AtomicBool::new(false),
    });
    (
        Outbox {
            tx,
            shared: Arc::clone(&shared),
        },
        OutboxRx { rx, shared },
    )
}

impl Outbox {
    /// Queues a message. False when the connection has gone or fell behind
    /// (now or before); the message is then dropped.
    pub fn send(&self, out: Outbound) -> bool {
        let shared = &self.shared;
        if shared.behind.load(Ordering::Acquire) {
            return false;
        }
        let len = out.bytes();
        let before = shared.queued.fetch_add(len, Ordering::AcqRel);
        if before > 0 && before + len > shared.limit {
            shared.queued.fetch_sub(len, Ordering::AcqRel);
            shared.behind.store(true, Ordering::Release);
            return false;
        }
        self.tx.send(out).is_ok()
    }
}

/// What the writer does next.
#[derive(Debug)]
pub enum Next {
    Write(Outbound),
    /// The client fell too far behind: close it.
    Behind,
}

impl OutboxRx {
    /// The next message to write, waiting for one; None once every sender
    /// has gone.
    pub async fn recv(&mut self) -> Option<Next> {
        if self.is_behind() {
            return Some(Next::Behind);
        }
        self.rx.recv().await.map(|out| self.taken(out))
    }

    /// The next message if one is queued already.
    pub fn try_recv(&mut self) -> Option<Next> {
        if self.is_behind() {
            return Some(Next::Behind);
        }
        self.rx.try_recv().ok().map(|out| self.taken(out))
    }

    fn is_behind(&self) -> bool {
        self.shared.behind.load(Ordering::Acquire)
    }

    fn taken(&self, out: Outbound) -> Next {
        self.shared.queued.fetch_sub(out.bytes(), Ordering::AcqRel);
        Next::Write(out)
    }

    /// Stops taking messages, so senders learn the connection has gone.
    pub fn close(&mut self) {
        self.rx.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize) -> Outbound {
        Outbound::Text("x".repeat(n).into())
    }

    #[test]
    fn a_queue_past_its_limit_is_behind_for_good() {
        let (tx, mut rx) = outbox(100);
        // One big message into an empty queue goes through.
        assert!(tx.send(text(150)));
        assert!(matches!(rx.try_recv(), Some(Next::Write(_))));
        assert!(tx.send(text(60)));
        assert!(tx.send(text(40)));
        assert!(!tx.send(text(1)));
        assert!(matches!(rx.try_recv(), Some(Next::Behind)));
        // Written or not, nothing more is taken.
        assert!(!tx.send(text(1)));
    }
}
