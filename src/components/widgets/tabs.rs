//! Tabs: one part of a page shown at a time, the others a tap away. The
//! page owns which tab is open; arrow keys move between tabs as screen-reader
//! users expect of a tab list.

use web_sys::HtmlElement;
use yew::prelude::*;

/// One tab: its id (stable across renders), its label, and a short count
/// or mark to show beside the label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tab {
    pub id: &'static str,
    pub label: &'static str,
    pub badge: Option<String>,
}

impl Tab {
    pub fn new(id: &'static str, label: &'static str) -> Self {
        Self {
            id,
            label,
            badge: None,
        }
    }

    pub fn badge(mut self, badge: impl Into<String>) -> Self {
        self.badge = Some(badge.into());
        self
    }
}

#[derive(Properties, PartialEq)]
pub struct TabsProps {
    pub tabs: Vec<Tab>,
    pub open: AttrValue,
    pub on_open: Callback<&'static str>,
    /// What the tabs are of, for screen readers.
    pub label: AttrValue,
    #[prop_or_default]
    pub children: Children,
}

fn tab_id(id: &str) -> String {
    format!("tab-{id}")
}

fn panel_id(id: &str) -> String {
    format!("tab-panel-{id}")
}

/// The tab list and the open tab's panel (the children).
#[function_component(Tabs)]
pub fn tabs(props: &TabsProps) -> Html {
    let open = props
        .tabs
        .iter()
        .find(|t| t.id == props.open.as_str())
        .or(props.tabs.first());
    let Some(open) = open else {
        return html! {};
    };
    let onkeydown = {
        let ids: Vec<&'static str> = props.tabs.iter().map(|t| t.id).collect();
        let current = ids.iter().position(|id| *id == open.id).unwrap_or(0);
        let on_open = props.on_open.clone();
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => (current + 1) % ids.len(),
                "ArrowLeft" | "ArrowUp" => (current + ids.len() - 1) % ids.len(),
                "Home" => 0,
                "End" => ids.len() - 1,
                _ => return,
            };
            e.prevent_default();
            on_open.emit(ids[next]);
            // The newly chosen tab takes the focus.
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&tab_id(ids[next])))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(el).ok())
            {
                let _ = el.focus();
            }
        })
    };
    html! {
        <>
            <div class="tab-list" role="tablist" aria-label={props.label.clone()} {onkeydown}>
                { for props.tabs.iter().map(|tab| {
                    let selected = tab.id == open.id;
                    let id = tab.id;
                    let on_open = props.on_open.clone();
                    html! {
                        <button type="button" role="tab" id={tab_id(tab.id)} key={tab.id}
                            class={classes!("tab", selected.then_some("open"))}
                            aria-selected={selected.to_string()} aria-controls={panel_id(tab.id)}
                            tabindex={if selected { "0" } else { "-1" }}
                            data-testid={format!("tab-{}", tab.id)}
                            onclick={Callback::from(move |_| on_open.emit(id))}>
                            <span class="tab-label">{ tab.label }</span>
                            if let Some(badge) = &tab.badge {
                                <span class="tab-badge">{ badge.clone() }</span>
                            }
                        </button>
                    }
                }) }
            </div>
            <div class="tab-panel" role="tabpanel" id={panel_id(open.id)} aria-labelledby={tab_id(open.id)}
                data-testid="tab-panel">
                { for props.children.iter() }
            </div>
        </>
    }
}
