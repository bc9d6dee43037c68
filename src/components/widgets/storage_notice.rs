//! Said where the person looks when the page may keep nothing (a frame of
//! another site in a browser that blocks third-party storage): what a
//! reload would lose, and a way to open Riskroom in a tab of its own.

use yew::prelude::*;

use crate::services::store;

#[derive(Properties, PartialEq)]
pub struct StorageNoticeProps {
    /// What a reload would lose, in words ("your seat").
    pub loses: AttrValue,
}

#[function_component(StorageNotice)]
pub fn storage_notice(props: &StorageNoticeProps) -> Html {
    let lasting = use_memo((), |()| store::lasting());
    if *lasting {
        return html! {};
    }
    let here = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    html! {
        <p class="warning storage-notice" role="status" data-testid="storage-notice">
            { format!("Inside this site's page the browser lets Riskroom keep nothing: a reload would lose {}. ", props.loses) }
            <a href={here} target="_blank" rel="noopener">{ "Open Riskroom in a tab of its own" }</a>
        </p>
    }
}
