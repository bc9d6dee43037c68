//! Shows how the page's link to the room is doing, so nobody types into a
//! room that cannot hear them.

use yew::prelude::*;

use crate::state::LinkStatus;

#[derive(Properties, PartialEq)]
pub struct LinkStatusProps {
    pub status: LinkStatus,
}

#[function_component(LinkStatusBadge)]
pub fn link_status_badge(props: &LinkStatusProps) -> Html {
    let (class, text) = match &props.status {
        LinkStatus::Connecting => ("connecting", "Connecting…".to_owned()),
        LinkStatus::Live => ("live", "Live".to_owned()),
        LinkStatus::Reconnecting(n) => ("reconnecting", format!("Reconnecting… (try {n})")),
        LinkStatus::Closed(_) => ("closed", "Disconnected".to_owned()),
    };
    html! {
        <span class={classes!("link-status", class)} role="status" data-status={class}>{ text }</span>
    }
}
