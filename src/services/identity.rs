//! What a browser remembers about the rooms it is in: the facilitator key of
//! rooms it runs and the seat token of rooms it joined, per room code, in
//! `localStorage`, so a reload or a lock screen never makes a new participant.
//! In a room this browser runs itself (no server), a seat is kept per tab in
//! `sessionStorage` instead: two learner tabs on one machine are two people,
//! and each keeps its seat across a reload.

use gloo_storage::{LocalStorage, SessionStorage, Storage};
use riskroom_core::{Credential, RoomCode, Secret};

fn key_slot(code: &RoomCode) -> String {
    format!("riskroom.facilitator-key.{code}")
}

fn seat_slot(code: &RoomCode) -> String {
    format!("riskroom.seat-token.{code}")
}

pub fn save_facilitator_key(code: &RoomCode, key: &str) {
    let _ = LocalStorage::set(key_slot(code), key);
}

pub fn facilitator_key(code: &RoomCode) -> Option<String> {
    LocalStorage::get(key_slot(code)).ok()
}

/// Forgets the facilitator key before a move link brings a new one.
pub fn forget_facilitator_key(code: &RoomCode) {
    LocalStorage::delete(key_slot(code));
}

fn root_slot(code: &RoomCode) -> String {
    format!("riskroom.room-view-root.{code}")
}

/// The key the room-view links of `code` are derived from: the room's
/// first facilitator key, kept aside once the console is issued another
/// (it opens nothing any more), so the projector's link stays as it was.
fn room_view_root(code: &RoomCode) -> Option<Secret> {
    LocalStorage::get::<String>(root_slot(code))
        .ok()
        .or_else(|| facilitator_key(code))
        .map(Secret::from_client)
}

/// The root of the room-view links, as a move link carries it.
pub fn room_view_root_text(code: &RoomCode) -> Option<String> {
    room_view_root(code).map(|root| root.expose().to_owned())
}

pub fn save_room_view_root(code: &RoomCode, root: &str) {
    let _ = LocalStorage::set(root_slot(code), root);
}

/// Keeps the key the server just issued this console in place of the one
/// before, setting the old one aside as the root of the room-view links
/// when it was the first.
pub fn replace_facilitator_key(code: &RoomCode, key: &str) {
    if LocalStorage::get::<String>(root_slot(code)).is_err()
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
        let _ = SessionStorage::set(seat_slot(code), token);
    } else {
        let _ = LocalStorage::set(seat_slot(code), token);
    }
}

pub fn seat(code: &RoomCode) -> Option<String> {
    if per_tab(code) {
        SessionStorage::get(seat_slot(code)).ok()
    } else {
        LocalStorage::get(seat_slot(code)).ok()
    }
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
        SessionStorage::delete(seat_slot(code));
    } else {
        LocalStorage::delete(seat_slot(code));
    }
}

fn room_view_slot(code: &RoomCode) -> String {
    format!("riskroom.room-view-key.{code}")
}

pub fn save_room_view_key(code: &RoomCode, key: &str) {
    let _ = LocalStorage::set(room_view_slot(code), key);
}

/// The room-view key for `code` the room view presents: the one its link
/// brought, or the first one derived from the room-view root this browser
/// holds.
pub fn room_view_key(code: &RoomCode) -> Option<Secret> {
    LocalStorage::get::<String>(room_view_slot(code))
        .ok()
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

/// This tab's `sessionStorage`, if the browser lets the page have it (a
/// frame of another site may not): what is kept there is a convenience.
fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn tab_slot(code: &RoomCode) -> String {
    format!("riskroom.learner-tab.{code}")
}

fn news_slot(code: &RoomCode) -> String {
    format!("riskroom.news-seen.{code}")
}

/// The learner page's open tab, as `phase/tab`, kept across a reload.
pub fn open_tab(code: &RoomCode) -> Option<String> {
    tab_storage()?.get_item(&tab_slot(code)).ok().flatten()
}

pub fn save_open_tab(code: &RoomCode, value: &str) {
    if let Some(storage) = tab_storage() {
        let _ = storage.set_item(&tab_slot(code), value);
    }
}

/// How many pieces of news this learner has seen (opened or dismissed).
pub fn news_seen(code: &RoomCode) -> usize {
    tab_storage()
        .and_then(|s| s.get_item(&news_slot(code)).ok().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn nudge_slot(code: &RoomCode) -> String {
    format!("riskroom.nudge-dismissed.{code}")
}

/// The latest facilitator's nudge this learner dismissed (its sequence
/// number), kept for the tab.
pub fn nudge_dismissed(code: &RoomCode) -> u64 {
    tab_storage()
        .and_then(|s| s.get_item(&nudge_slot(code)).ok().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

pub fn save_nudge_dismissed(code: &RoomCode, seq: u64) {
    if let Some(storage) = tab_storage() {
        let _ = storage.set_item(&nudge_slot(code), &seq.to_string());
    }
}

pub fn save_news_seen(code: &RoomCode, seen: usize) {
    if let Some(storage) = tab_storage() {
        let _ = storage.set_item(&news_slot(code), &seen.to_string());
    }
}
