//! What the server tells the company's monitoring: `GET /metrics` in the
//! Prometheus text format — rooms live, connections open, commands decided
//! and events stored (counters: a rate is `rate(…[1m])`), how long each
//! group commit took, rooms whose task failed, and the learning records
//! waiting for the LRS. One registry per process.

use std::sync::LazyLock;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

/// The server's figures.
pub struct Metrics {
    registry: Registry,
    /// Rooms loaded in memory now (a room is loaded while anyone is in it).
    pub rooms: Gauge,
    /// WebSocket connections open now (phones, consoles, room views).
    pub connections: Gauge,
    /// Commands the rooms decided (accepted or refused).
    pub commands: Counter,
    /// Events stored.
    pub events: Counter,
    /// Seconds each group commit of the store took.
    pub commit_seconds: Histogram,
    /// Room tasks that panicked and were closed.
    pub room_faults: Counter,
    /// Groups of appends the store could not write.
    pub store_failures: Counter,
    /// Learning records waiting in the outbox for the LRS.
    pub lrs_outbox: Gauge,
    /// Learning records the LRS took.
    pub lrs_sent: Counter,
    /// Learning records the LRS refused (dropped, with the reason logged).
    pub lrs_refused: Counter,
    /// Attempts to reach the LRS that failed (the records wait).
    pub lrs_failures: Counter,
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("riskroom");
        let rooms = Gauge::default();
        let connections = Gauge::default();
        let commands = Counter::default();
        let events = Counter::default();
        let room_faults = Counter::default();
        let store_failures = Counter::default();
        let lrs_outbox = Gauge::default();
        let lrs_sent = Counter::default();
        let lrs_refused = Counter::default();
        let lrs_failures = Counter::default();
        // 0.25 ms to about 4 s.
        let commit_seconds = Histogram::new(
            prometheus_client::metrics::histogram::exponential_buckets(0.000_25, 2.0, 15),
        );
        registry.register("rooms_live", "Rooms loaded in memory now", rooms.clone());
        registry.register(
            "connections_open",
            "WebSocket connections open now",
            connections.clone(),
        );
        registry.register(
            "commands",
            "Commands the rooms decided, accepted or refused",
            commands.clone(),
        );
        registry.register("events", "Events stored", events.clone());
        registry.register_with_unit(
            "commit",
            "How long each group commit of the store took",
            Unit::Seconds,
            commit_seconds.clone(),
        );
        registry.register(
            "room_faults",
            "Room tasks that panicked and were closed",
            room_faults.clone(),
        );
        registry.register(
            "store_failures",
            "Groups of appends the store could not write",
            store_failures.clone(),
        );
        registry.register(
            "lrs_outbox",
            "Learning records waiting in the outbox for the LRS",
            lrs_outbox.clone(),
        );
        registry.register(
            "lrs_sent",
            "Learning records the LRS took",
            lrs_sent.clone(),
        );
        registry.register(
            "lrs_refused",
            "Learning records the LRS refused (dropped, the reason logged)",
            lrs_refused.clone(),
        );
        registry.register(
            "lrs_failures",
            "Attempts to reach the LRS that failed (the records wait)",
            lrs_failures.clone(),
        );
        Self {
            registry,
            rooms,
            connections,
            commands,
            events,
            commit_seconds,
            room_faults,
            store_failures,
            lrs_outbox,
            lrs_sent,
            lrs_refused,
            lrs_failures,
        }
    }

    /// The text `GET /metrics` answers.
    pub fn render(&self) -> String {
        let mut text = String::new();
        encode(&mut text, &self.registry).expect("writing to a string");
        text
    }
}

/// One open WebSocket, counted while it lives.
pub struct OpenConnection(());

impl OpenConnection {
    /// Counts one more open connection until the value is dropped.
    pub fn count() -> Self {
        METRICS.connections.inc();
        Self(())
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        METRICS.connections.dec();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_text_names_every_figure() {
        let text = super::METRICS.render();
        for name in [
            "riskroom_rooms_live",
            "riskroom_connections_open",
            "riskroom_commands_total",
            "riskroom_events_total",
            "riskroom_commit_seconds_bucket",
            "riskroom_room_faults_total",
            "riskroom_store_failures_total",
            "riskroom_lrs_outbox",
            "riskroom_lrs_sent_total",
        ] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
        assert!(text.ends_with("# EOF\n"));
    }
}
