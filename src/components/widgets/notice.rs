//! A refusal or problem, shown in words with a way to dismiss it; announced
//! to screen readers as it appears.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub text: Option<AttrValue>,
    #[prop_or_default]
    pub on_dismiss: Option<Callback<()>>,
}

#[function_component(Notice)]
pub fn notice(props: &NoticeProps) -> Html {
    html! {
        <div class="notice-slot" role="alert" aria-live="assertive">
            if let Some(text) = &props.text {
                <p class="notice">
                    <span class="notice-text">{ text.clone() }</span>
                    if let Some(on_dismiss) = &props.on_dismiss {
                        <button type="button" class="link-button"
                            onclick={on_dismiss.reform(|_| ())}>{ "Dismiss" }</button>
                    }
                </p>
            }
        </div>
    }
}
