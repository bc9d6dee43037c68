//! Shown for an address the app does not know, or a malformed room code.

use yew::prelude::*;

use crate::services::paths;

#[derive(Properties, PartialEq)]
pub struct NotFoundProps {
    pub message: AttrValue,
}

#[function_component(NotFound)]
pub fn not_found(props: &NotFoundProps) -> Html {
    html! {
        <main class="not-found">
            <h1>{ "Riskroom" }</h1>
            <p role="alert">{ props.message.clone() }</p>
            <p><a href={paths::base_url()}>{ "Go to the start page" }</a></p>
        </main>
    }
}
