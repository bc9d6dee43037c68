//! Where a room run in this browser is kept: its event log and the commands
//! it applied, in one `localStorage` entry written whole by the host window
//! alone, so a reader never sees one without the other.

use crate::services::store::{Store, browser};
use riskroom_core::room::Limits;
use riskroom_core::session::Applied;
use riskroom_core::{Room, RoomCode, Secret, Stamped};
use serde::{Deserialize, Serialize};

use crate::error::UserError;

fn slot(code: &RoomCode) -> String {
    format!("riskroom.local.log.{code}")
}

/// The last event's number, written after the log: a window reads it to
/// know whether its own copy is the latest without reading the whole log.
fn seq_slot(code: &RoomCode) -> String {
    format!("riskroom.local.seq.{code}")
}

/// The number of the last event stored (0 when unknown).
pub fn stored_seq(code: &RoomCode) -> u64 {
    browser(Store::Local)
        .and_then(|s| s.get_item(&seq_slot(code)).ok())
        .flatten()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A room as stored.
#[derive(Default, Serialize, Deserialize)]
pub struct Kept {
    pub log: Vec<Stamped>,
    pub applied: Vec<Applied>,
}

/// Whether this browser runs the room `code` itself (it keeps its log).
pub fn holds(code: &RoomCode) -> bool {
    browser(Store::Local)
        .and_then(|s| s.get_item(&slot(code)).ok().flatten())
        .is_some()
}

/// The stored room, if this browser keeps one that can be read.
pub fn load(code: &RoomCode) -> Option<Kept> {
    let text = browser(Store::Local)?
        .get_item(&slot(code))
        .ok()
        .flatten()?;
    serde_json::from_str(&text).ok().or_else(|| {
        // Kept by an earlier version: the log alone.
        let log = serde_json::from_str(&text).ok()?;
        Some(Kept {
            log,
            applied: Vec::new(),
        })
    })
}

pub fn save(code: &RoomCode, kept: &Kept) -> Result<(), UserError> {
    let full = || {
        UserError(
            "This browser could not save the change: its storage for this site is full or turned off."
                .into(),
        )
    };
    let text = serde_json::to_string(kept).expect("rooms always serialize");
    let storage = browser(Store::Local).ok_or_else(full)?;
    storage.set_item(&slot(code), &text).map_err(|_| full())?;
    // The log is written: the change stands. Were the number not written
    // (it is a few bytes), it would only read low, which no window takes for
    // a newer log.
    let seq = kept.log.last().map_or(0, |e| e.seq);
    let _ = storage.set_item(&seq_slot(code), &seq.to_string());
    Ok(())
}

/// Random numbers from the browser's cryptographic generator, for the
/// core's own code and key makers.
pub struct BrowserRng;

impl rand::RngCore for BrowserRng {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0u8; 4];
        self.fill_bytes(&mut bytes);
        u32::from_le_bytes(bytes)
    }

    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        self.fill_bytes(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let crypto = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .expect("the browser's cryptographic generator");
        // The browser gives at most 64 KiB per call.
        for chunk in dest.chunks_mut(65_536) {
            crypto
                .get_random_values_with_u8_array(chunk)
                .expect("random bytes from the browser");
        }
    }
}

/// Opens a new room kept in this browser; returns its code and the
/// facilitator key.
pub fn create_room(title: &str) -> Result<(RoomCode, Secret), UserError> {
    let mut rng = BrowserRng;
    let key = Secret::random(&mut rng);
    let code = loop {
        let code = RoomCode::random(&mut rng);
        if !holds(&code) {
            break code;
        }
    };
    let opening = Stamped {
        seq: 1,
        at_ms: now_ms(),
        event: Room::opening_with(code.clone(), title, &key, Limits::default())?,
    };
    save(
        &code,
        &Kept {
            log: vec![opening],
            applied: Vec::new(),
        },
    )?;
    Ok((code, key))
}
