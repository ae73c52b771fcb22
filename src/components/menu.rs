//! A menu button (WAI-ARIA menu pattern): a button with `aria-haspopup="menu"` and
//! `aria-expanded` opens a `role="menu"` list of `menuitem`s. Enter, Space or ArrowDown open it
//! with the first item focused (ArrowUp: the last); arrows, Home and End move between items; Esc
//! closes it and returns focus to the button; Tab or a click outside closes it.

use crate::hooks::use_document_listener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// One entry of a [`MenuButton`].
#[derive(Clone, PartialEq)]
pub struct MenuItem {
    /// The item's label (its accessible name).
    pub label: AttrValue,
    /// Chosen.
    pub on_select: Callback<()>,
}

/// Props of [`MenuButton`].
#[derive(Properties, PartialEq)]
pub struct MenuButtonProps {
    /// The button's label (also the menu's accessible name).
    pub label: AttrValue,
    /// The entries.
    pub items: Vec<MenuItem>,
    /// Extra class of the wrapper.
    #[prop_or_default]
    pub class: Classes,
}

/// A button that opens a menu.
#[component]
pub fn MenuButton(props: &MenuButtonProps) -> Html {
    // `Some(i)`: open with item `i` to be focused.
    let open = use_state_eq(|| None::<usize>);
    let button = use_node_ref();
    let list = use_node_ref();
    let n = props.items.len();

    // Focus the wanted item after it is rendered.
    {
        let list = list.clone();
        use_effect_with(*open, move |open| {
            if let Some(i) = *open {
                focus_item(&list, i);
            }
        });
    }
    let close_to_button = {
        let open = open.clone();
        let button = button.clone();
        Callback::from(move |_: ()| {
            open.set(None);
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        })
    };
    let onclick = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(if open.is_some() { None } else { Some(0) }))
    };
    let on_button_key = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                open.set(Some(0));
            }
            "ArrowUp" => {
                e.prevent_default();
                open.set(Some(n.saturating_sub(1)));
            }
            _ => {}
        })
    };
    let on_list_key = {
        let list = list.clone();
        let open = open.clone();
        let close_to_button = close_to_button.clone();
        Callback::from(move |e: KeyboardEvent| {
            let current = focused_index(&list).unwrap_or(0);
            let target = match e.key().as_str() {
                "ArrowDown" => (current + 1) % n.max(1),
                "ArrowUp" => (current + n.max(1) - 1) % n.max(1),
                "Home" => 0,
                "End" => n.saturating_sub(1),
                "Escape" => {
                    e.prevent_default();
                    e.stop_propagation();
                    close_to_button.emit(());
                    return;
                }
                "Tab" => {
                    open.set(None);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            focus_item(&list, target);
        })
    };
    let items = props.items.iter().map(|item| {
        let onclick = {
            let open = open.clone();
            let on_select = item.on_select.clone();
            Callback::from(move |_: MouseEvent| {
                open.set(None);
                on_select.emit(());
            })
        };
        html! {
            <li role="none"><button type="button" role="menuitem" tabindex="-1" {onclick}>{item.label.clone()}</button></li>
        }
    });
    let expanded = open.is_some();
    html! {
        <div class={classes!("menu-button", props.class.clone())}>
            <button type="button" ref={button.clone()} aria-haspopup="menu" aria-expanded={expanded.to_string()}
                {onclick} onkeydown={on_button_key}>{props.label.clone()}<span aria-hidden="true">{" ▾"}</span></button>
            if expanded {
                <MenuList node={list} label={props.label.clone()} onkeydown={on_list_key}
                    on_outside={{ let open = open.clone(); Callback::from(move |_| open.set(None)) }}
                    button={button.clone()}>
                    {for items}
                </MenuList>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MenuListProps {
    node: NodeRef,
    button: NodeRef,
    label: AttrValue,
    onkeydown: Callback<KeyboardEvent>,
    on_outside: Callback<()>,
    children: Children,
}

/// The open list; closes on a press outside it and its button (listener while open only).
#[component]
fn MenuList(props: &MenuListProps) -> Html {
    {
        let node = props.node.clone();
        let button = props.button.clone();
        let on_outside = props.on_outside.clone();
        use_document_listener("mousedown", true, move |e: &Event| {
            let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()) else {
                return;
            };
            let within = |r: &NodeRef| {
                r.cast::<web_sys::Node>()
                    .is_some_and(|n| n.contains(Some(&target)))
            };
            if !within(&node) && !within(&button) {
                on_outside.emit(());
            }
        });
    }
    html! {
        <ul class="menu" role="menu" aria-label={props.label.clone()} ref={props.node.clone()} onkeydown={props.onkeydown.clone()}>
            {props.children.clone()}
        </ul>
    }
}

fn items_of(list: &NodeRef) -> Vec<web_sys::HtmlElement> {
    let Some(el) = list.cast::<web_sys::Element>() else {
        return Vec::new();
    };
    let Ok(nodes) = el.query_selector_all("[role=menuitem]") else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|i| nodes.get(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn focus_item(list: &NodeRef, i: usize) {
    if let Some(item) = items_of(list).get(i) {
        let _ = item.focus();
    }
}

fn focused_index(list: &NodeRef) -> Option<usize> {
    let active = crate::dom::document()?.active_element()?;
    let active: web_sys::Node = active.into();
    items_of(list)
        .iter()
        .position(|item| AsRef::<web_sys::Node>::as_ref(item) == &active)
}
