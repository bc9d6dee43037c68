//! What a browser remembers about the rooms it is in: the facilitator key of
//! rooms it runs and the seat token of rooms it joined, per room code, in
//! `localStorage`, so a reload or a lock screen never makes a new participant.
//! In a room this browser runs itself (no server), a seat is kept per tab in
//! `sessionStorage` instead: two learner tabs on one machine are two people,
//! and each keeps its seat across a reload. Where the page may not use the
//! browser's storage (a frame of another site), it is kept in memory for
//! the page's lifetime (see `store`).

use riskroom_core::{Credential, RoomCode, Secret};

use super::store::{self, Store};

fn key_slot(code: &RoomCode) -> String {
    format!("riskroom.facilitator-key.{code}")
}

fn seat_slot(code: &RoomCode) -> String {
    format!("riskroom.seat-token.{code}")
}

pub fn save_facilitator_key(code: &RoomCode, key: &str) {
    store::set(Store::Local, &key_slot(code), key);
}

pub fn facilitator_key(code: &RoomCode) -> Option<String> {
    store::get(Store::Local, &key_slot(code))
}

/// The rooms whose console this browser holds a key for, in code order:
/// the start page offers the way back to each.
pub fn rooms_run() -> Vec<RoomCode> {
    store::keys(Store::Local)
        .iter()
        .filter_map(|k| k.strip_prefix("riskroom.facilitator-key."))
        .filter_map(|code| RoomCode::parse(code).ok())
        .collect()
}

/// Forgets the facilitator key before a move link brings a new one.
pub fn forget_facilitator_key(code: &RoomCode) {
    store::delete(Store::Local, &key_slot(code));
}

fn root_slot(code: &RoomCode) -> String {
    format!("riskroom.room-view-root.{code}")
}

/// The key the room-view links of `code` are derived from: the room's
/// first facilitator key, kept aside once the console is issued another
/// (it opens nothing any more), so the projector's link stays as it was.
fn room_view_root(code: &RoomCode) -> Option<Secret> {
    store::get::<String>(Store::Local, &root_slot(code))
        .or_else(|| facilitator_key(code))
        .map(Secret::from_client)
}

/// The root of the room-view links, as a move link carries it.
pub fn room_view_root_text(code: &RoomCode) -> Option<String> {
    room_view_root(code).map(|root| root.expose().to_owned())
}

pub fn save_room_view_root(code: &RoomCode, root: &str) {
    store::set(Store::Local, &root_slot(code), root);
}

/// Keeps the key the server just issued this console in place of the one
/// before, setting the old one aside as the root of the room-view links
/// when it was the first.
pub fn replace_facilitator_key(code: &RoomCode, key: &str) {
    if store::get::<String>(Store::Local, &root_slot(code)).is_none()
        && let Some(old) = facilitator_key(code)
    {
        save_room_view_root(code, &old);
    }
    save_facilitator_key(code, key);
}

/// Whether seats of `code` are kept per tab (a room run in this browser).
fn per_tab(code: &RoomCode) -> bool {
    super::local::holds(code)
}

pub fn save_seat(code: &RoomCode, token: &str) {
    if per_tab(code) {
        store::set(Store::Tab, &seat_slot(code), token);
    } else {
        store::set(Store::Local, &seat_slot(code), token);
    }
}

pub fn seat(code: &RoomCode) -> Option<String> {
    if per_tab(code) {
        store::get(Store::Tab, &seat_slot(code))
    } else {
        store::get(Store::Local, &seat_slot(code))
    }
}

/// Whether this browser holds a seat token for `code` (made on its first
/// connect to the room, kept once it joins).
pub fn seat_held(code: &RoomCode) -> bool {
    seat(code).is_some()
}

/// The seat token for `code`, made now (128 random bits from the browser's
/// cryptographic generator) if this browser has none yet. The server learns
/// only its hash; the browser presents it on every connect, so a join that
/// was cut off half-way is recognised on the next try.
pub fn seat_or_new(code: &RoomCode) -> Option<String> {
    if let Some(token) = seat(code) {
        return Some(token);
    }
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; 16];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    save_seat(code, &token);
    Some(token)
}

pub fn forget_seat(code: &RoomCode) {
    if per_tab(code) {
        store::delete(Store::Tab, &seat_slot(code));
    } else {
        store::delete(Store::Local, &seat_slot(code));
    }
}

fn room_view_slot(code: &RoomCode) -> String {
    format!("riskroom.room-view-key.{code}")
}

pub fn save_room_view_key(code: &RoomCode, key: &str) {
    store::set(Store::Local, &room_view_slot(code), key);
}

/// The room-view key for `code` the room view presents: the one its link
/// brought, or the first one derived from the room-view root this browser
/// holds.
pub fn room_view_key(code: &RoomCode) -> Option<Secret> {
    store::get::<String>(Store::Local, &room_view_slot(code))
        .map(Secret::from_client)
        .or_else(|| room_view_root(code).map(|root| root.room_view_key()))
}

/// The room-view key of the link's `generation` (how many times it was
/// replaced), derived from the room-view root this browser holds.
pub fn room_view_key_at(code: &RoomCode, generation: u32) -> Option<Secret> {
    room_view_root(code).map(|root| root.room_view_key_at(generation))
}

/// Which of a room's pages this is, and so which credential it presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    /// The facilitator's console: the facilitator key.
    Console,
    /// The room view for the projector: the room-view key.
    RoomView,
    /// A learner's page: their seat token.
    Learner,
}

/// The credential to present for `code` right now (read afresh at every
/// connect, so a token received a moment ago is used on the next reconnect).
pub fn credential(code: &RoomCode, page: PageKind) -> Option<Credential> {
    match page {
        PageKind::Console => facilitator_key(code).map(|key| Credential::Facilitator {
            key: Secret::from_client(key),
        }),
        PageKind::RoomView => room_view_key(code).map(|key| Credential::RoomView { key }),
        PageKind::Learner => seat_or_new(code).map(|token| Credential::Participant {
            token: Secret::from_client(token),
        }),
    }
}

fn tab_slot(code: &RoomCode) -> String {
    format!("riskroom.learner-tab.{code}")
}

fn news_slot(code: &RoomCode) -> String {
    format!("riskroom.news-seen.{code}")
}

/// The learner page's open tab, as `phase/tab`, kept across a reload.
pub fn open_tab(code: &RoomCode) -> Option<String> {
    store::get_text(Store::Tab, &tab_slot(code))
}

pub fn save_open_tab(code: &RoomCode, value: &str) {
    store::set_text(Store::Tab, &tab_slot(code), value);
}

/// How many pieces of news this learner has seen (opened or dismissed).
pub fn news_seen(code: &RoomCode) -> usize {
    store::get_text(Store::Tab, &news_slot(code))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn nudge_slot(code: &RoomCode) -> String {
    format!("riskroom.nudge-dismissed.{code}")
}

/// The latest facilitator's nudge this learner dismissed (its sequence
/// number), kept for the tab.
pub fn nudge_dismissed(code: &RoomCode) -> u64 {
    store::get_text(Store::Tab, &nudge_slot(code))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

pub fn save_nudge_dismissed(code: &RoomCode, seq: u64) {
    store::set_text(Store::Tab, &nudge_slot(code), &seq.to_string());
}

pub fn save_news_seen(code: &RoomCode, seen: usize) {
    store::set_text(Store::Tab, &news_slot(code), &seen.to_string());
}
