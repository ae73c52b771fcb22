//! A modal dialog: `role="dialog"`, labelled by its title, focus kept inside, Esc closes.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`Dialog`].
#[derive(Properties, PartialEq)]
pub struct DialogProps {
    /// Title, also the accessible name.
    pub title: AttrValue,
    /// Called on Esc or the close button.
    pub on_close: Callback<()>,
    /// Content.
    pub children: Children,
    /// Extra class for sizing.
    #[prop_or_default]
    pub class: Classes,
}

/// A modal dialog.
#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            // Focus the first field (or the first button) when the dialog opens.
            if let Some(el) = node.cast::<web_sys::Element>() {
                let target = el
                    .query_selector("[autofocus], input, textarea, select")
                    .ok()
                    .flatten()
                    .or_else(|| {
                        el.query_selector("button:not(.dialog-close)")
                            .ok()
                            .flatten()
                    });
                if let Some(t) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = t.focus();
                }
            }
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                on_close.emit(());
            } else if e.key() == "Tab" {
                keep_focus_inside(&node, &e);
            }
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let title_id = format!("dialog-title-{}", props.title.len());
    html! {
        <div class="dialog-backdrop">
            <div class={classes!("dialog", props.class.clone())} role="dialog" aria-modal="true" aria-labelledby={title_id.clone()} ref={node} {onkeydown}>
                <div class="dialog-head">
                    <h2 id={title_id}>{props.title.clone()}</h2>
                    <button class="dialog-close" aria-label="Close" onclick={close}>{"×"}</button>
                </div>
                {props.children.clone()}
            </div>
        </div>
    }
}

fn keep_focus_inside(node: &NodeRef, e: &KeyboardEvent) {
    let Some(el) = node.cast::<web_sys::Element>() else {
        return;
    };
    let Ok(list) = el.query_selector_all(
        "button:not([disabled]), input:not([disabled]), textarea, select, [tabindex]:not([tabindex='-1'])",
    ) else {
        return;
    };
    if list.length() == 0 {
        return;
    }
    let first = list.get(0);
    let last = list.get(list.length() - 1);
    let active = crate::dom::document().and_then(|d| d.active_element());
    let active_node: Option<web_sys::Node> = active.map(|a| a.into());
    let focus = |n: Option<web_sys::Node>| {
        if let Some(h) = n.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = h.focus();
        }
    };
    if e.shift_key() && active_node == first {
        e.prevent_default();
        focus(last);
    } else if !e.shift_key() && active_node == last {
        e.prevent_default();
        focus(first);
    }
}
