//! What a learner did on the page before the app was ready. The page itself
//! (`index.html`, no WebAssembly) shows a form while the app downloads: on
//! the start page the room code, which goes straight to the room's join link;
//! at a join link without a seat the join form, where the learner can type
//! their name and press **Join**. The app takes the text, the press and the
//! focus over when it starts, so nothing typed is lost and a press made
//! early is carried out once the room has answered.

use std::cell::RefCell;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlInputElement};
use yew::prelude::*;

/// The page's form as the app found it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypedAhead {
    /// The room code typed so far (the start page).
    pub code: String,
    /// The name typed so far (a join link).
    pub name: String,
    /// **Join** was pressed on the join form.
    pub join: bool,
    /// The form's field had the focus (the app gives it to its own field;
    /// whether a phone's keyboard stays up is the browser's choice).
    pub focused: bool,
}

thread_local! {
    static TYPED: RefCell<Option<TypedAhead>> = const { RefCell::new(None) };
}

/// Keeps what the page's form holds, if the page showed one. Called once,
/// just before the app takes the page's place.
pub fn keep_from_page(document: &Document) {
    let shown = |form: &str| {
        document
            .get_element_by_id(form)
            .filter(|f| !f.has_attribute("hidden"))
    };
    let field = |id: &str| {
        document
            .get_element_by_id(id)
            .and_then(|f| f.dyn_into::<HtmlInputElement>().ok())
    };
    let focused = |id: &str| document.active_element().is_some_and(|e| e.id() == id);
    let typed = if shown("boot-code").is_some()
        && let Some(code) = field("boot-room-code")
    {
        TypedAhead {
            code: code.value(),
            focused: focused("boot-room-code"),
            ..TypedAhead::default()
        }
    } else if let Some(form) = shown("boot-join")
        && let Some(name) = field("boot-name")
    {
        TypedAhead {
            name: name.value(),
            join: form.has_attribute("data-join"),
            focused: focused("boot-name"),
            ..TypedAhead::default()
        }
    } else {
        return;
    };
    TYPED.with(|t| *t.borrow_mut() = Some(typed));
}

/// What the page's form held, once: the first caller has it.
fn take() -> Option<TypedAhead> {
    TYPED.with(|t| t.borrow_mut().take())
}

/// What the page's form held, for the page that takes it over: taken once,
/// on the first drawing; when the page's field had the focus, `field` gets
/// it after that drawing, the caret after what was typed.
#[hook]
pub fn use_typed_ahead(field: NodeRef) -> Rc<TypedAhead> {
    let typed = use_memo((), |()| take().unwrap_or_default());
    let focused = typed.focused;
    use_effect_with((), move |()| {
        if focused && let Some(input) = field.cast::<HtmlInputElement>() {
            let _ = input.focus();
            let end = input.value().encode_utf16().count() as u32;
            let _ = input.set_selection_range(end, end);
        }
    });
    typed
}
