//! `use_join_link(code)`: the room's join link as phones should open it,
//! with what the server says about where it is reached, and the address the
//! facilitator picked.

use riskroom_core::RoomCode;
use yew::prelude::*;

use crate::services::site::{self, JoinLink};
use crate::services::{api, local, paths};

/// The join link and a callback that picks one of its offered addresses.
#[hook]
pub fn use_join_link(code: &RoomCode) -> (JoinLink, Callback<String>) {
    let site = use_state(|| None::<api::Site>);
    let picked = use_state(site::picked);
    {
        let site = site.clone();
        // A room kept in this browser has no server to ask.
        let ask = !local::holds(code);
        use_effect_with(code.clone(), move |_| {
            if ask {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(answer) = api::site().await {
                        site.set(Some(answer));
                    }
                });
            }
        });
    }
    let link = site::join_link(
        code,
        (*site).as_ref(),
        &paths::base_url(),
        picked.as_deref(),
    );
    let choose = Callback::from(move |address: String| {
        site::pick(&address);
        picked.set(Some(address));
    });
    (link, choose)
}
