//! What a learner did on the page before the app was ready. At a join link
//! the page itself (`index.html`, no WebAssembly) shows the join form while
//! the app downloads: the learner can type their name and press **Join**.
//! The app takes the name, the press and the focus over when it starts, so
//! nothing typed is lost and a press made early is carried out once the
//! room has answered.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlInputElement};

/// The page's join form (`#boot-join`) as the app found it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypedAhead {
    /// The name typed so far.
    pub name: String,
    /// **Join** was pressed.
    pub join: bool,
    /// The name field had the focus (the phone's keyboard is up).
    pub focused: bool,
}

thread_local! {
    static TYPED: RefCell<Option<TypedAhead>> = const { RefCell::new(None) };
}

/// Keeps what the page's join form holds, if the page showed it. Called
/// once, just before the app takes the page's place.
pub fn keep_from_page(document: &Document) {
    let Some(form) = document.get_element_by_id("boot-join") else {
        return;
    };
    if form.has_attribute("hidden") {
        return;
    }
    let Some(field) = document
        .get_element_by_id("boot-name")
        .and_then(|f| f.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    let focused = document
        .active_element()
        .is_some_and(|e| e.id() == "boot-name");
    let typed = TypedAhead {
        name: field.value(),
        join: form.has_attribute("data-join"),
        focused,
    };
    TYPED.with(|t| *t.borrow_mut() = Some(typed));
}

/// What the page's join form held, once: the first caller has it.
pub fn take() -> Option<TypedAhead> {
    TYPED.with(|t| t.borrow_mut().take())
}
