//! The address phones open to join a room: the server's public URL, this
//! page's own address when other machines can reach it, or one of the
//! server's network addresses (the facilitator picks, this browser keeps
//! the pick). A link that only this computer can open is flagged, so the
//! console says so in words.

use riskroom_core::RoomCode;

use super::api::Site;

const PICK_SLOT: &str = "riskroom.join-address";

/// A room's join link, and whether phones can open it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinLink {
    /// The address the link starts with (the app's base there).
    pub base: String,
    pub url: String,
    /// The link names this computer (localhost, 127.0.0.1, ::1).
    pub this_computer_only: bool,
    /// Addresses the facilitator may pick from (none when there is nothing
    /// to pick).
    pub choices: Vec<String>,
    /// The address in use, when picked from `choices`.
    pub chosen: Option<String>,
}

/// Whether a base URL names this computer.
pub fn is_this_computer(base: &str) -> bool {
    let rest = base.split_once("://").map_or(base, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
}

/// The join link for `code`, from what the server says (`site`, None when
/// there is no server), this page's base URL and the address picked here.
pub fn join_link(
    code: &RoomCode,
    site: Option<&Site>,
    own: &str,
    picked: Option<&str>,
) -> JoinLink {
    let link = |base: &str| format!("{base}join/{code}");
    if let Some(url) = site.and_then(|s| s.public_url.as_deref()) {
        return JoinLink {
            base: url.to_owned(),
            url: link(url),
            this_computer_only: is_this_computer(url),
            choices: Vec::new(),
            chosen: None,
        };
    }
    let addresses = site.map(|s| s.addresses.as_slice()).unwrap_or_default();
    if !is_this_computer(own) || addresses.is_empty() {
        return JoinLink {
            base: own.to_owned(),
            url: link(own),
            this_computer_only: is_this_computer(own),
            choices: Vec::new(),
            chosen: None,
        };
    }
    let chosen = picked
        .filter(|p| addresses.iter().any(|a| a == p))
        .unwrap_or(&addresses[0])
        .to_owned();
    JoinLink {
        base: chosen.clone(),
        url: link(&chosen),
        this_computer_only: false,
        choices: if addresses.len() > 1 {
            addresses.to_vec()
        } else {
            Vec::new()
        },
        chosen: Some(chosen),
    }
}

/// The address picked in this browser, if any.
pub fn picked() -> Option<String> {
    super::store::get(super::store::Store::Local, PICK_SLOT)
}

pub fn pick(address: &str) {
    super::store::set(super::store::Store::Local, PICK_SLOT, address);
}
