//! Long text a part at a time (a brief, the story), so a phone shows it in
//! one screen: the core cuts the parts, the learner steps through them.

use riskroom_core::room::{READING_PAGE_CHARS, text_pages};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PagedTextProps {
    pub text: AttrValue,
    /// What the text is, for the step buttons ("brief", "story").
    pub what: AttrValue,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
}

/// One part of `text` with "Part 2 of 4" and the way to the others.
#[function_component(PagedText)]
pub fn paged_text(props: &PagedTextProps) -> Html {
    let part = use_state(|| 0usize);
    let pages = use_memo(props.text.clone(), |text| {
        text_pages(text, READING_PAGE_CHARS)
    });
    let count = pages.len();
    let at = (*part).min(count.saturating_sub(1));
    let go = |to: usize| {
        let part = part.clone();
        Callback::from(move |_| part.set(to))
    };
    html! {
        <div class={classes!("paged", props.class.clone())}>
            <div class="paged-text" data-testid={props.testid.clone()} aria-live="polite">
                { pages.get(at).cloned().unwrap_or_default() }
            </div>
            if count > 1 {
                <div class="paged-nav">
                    <button type="button" class="secondary" disabled={at == 0} onclick={go(at.saturating_sub(1))}
                        aria-label={format!("The {}'s previous part", props.what)}>{ "Previous" }</button>
                    <span class="paged-count" data-testid="paged-count">{ format!("Part {} of {count}", at + 1) }</span>
                    <button type="button" class="secondary" disabled={at + 1 >= count} onclick={go(at + 1)}
                        aria-label={format!("The {}'s next part", props.what)}>{ "Next" }</button>
                </div>
            }
        </div>
    }
}
