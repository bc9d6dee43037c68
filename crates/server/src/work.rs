//! Costly work kept off the async workers: reading scenario files runs on
//! tokio's blocking pool, a few at a time, within a time budget, so no file
//! and no number of requests can hold up another room's acknowledgements.

use std::sync::Arc;
use std::time::Duration;

use riskroom_core::scenario::{self, Scenario, ScenarioErrors};
use tokio::sync::Semaphore;

/// Why costly work was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Every slot is taken by other work.
    Busy,
    /// The work ran past its time budget (it finishes on its thread, still
    /// holding its slot, and its answer is dropped).
    TooLong,
}

/// A few slots on the blocking pool for work whose cost depends on what a
/// client sent.
#[derive(Debug)]
pub struct Costly {
    slots: Arc<Semaphore>,
    budget: Duration,
}

impl Costly {
    pub fn new(at_once: usize, budget: Duration) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(at_once.max(1))),
            budget,
        }
    }

    /// Runs `work` if a slot is free now (a request from anyone: refused
    /// when busy rather than queued, so waiting costs the server nothing).
    pub async fn try_run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let slot = Arc::clone(&self.slots)
            .try_acquire_owned()
            .map_err(|_| Refused::Busy)?;
        self.run_in(slot, work).await
    }

    /// Runs `work` when a slot frees (for a room's own commands, which a
    /// room decides in order and must not refuse for someone else's load).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let slot = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(|_| Refused::Busy)?;
        self.run_in(slot, work).await
    }

    async fn run_in<T: Send + 'static>(
        &self,
        slot: tokio::sync::OwnedSemaphorePermit,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refused> {
        // The slot goes with the work, not with the waiting: work past its
        // budget still counts against the slots until its thread is done.
        let task = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(slot);
            out
        });
        match tokio::time::timeout(self.budget, task).await {
            Ok(Ok(out)) => Ok(out),
            // A panic in the work: reported as too long rather than
            // taking the request down with it.
            Ok(Err(e)) => {
                tracing::error!(error = %e, "costly work failed");
                Err(Refused::TooLong)
            }
            Err(_) => Err(Refused::TooLong),
        }
    }

    /// Reads a scenario file on the blocking pool.
    pub async fn parse(
        &self,
        file: String,
        text: String,
    ) -> Result<Result<Scenario, ScenarioErrors>, Refused> {
        self.run(move || scenario::parse(&file, &text)).await
    }
}
