//! The grid's column headers: a code's name and colour with its column menu ("Move left",
//! "Move right", "Remove column"; arrow keys move between the items, Esc closes it and returns
//! focus to its button).

use framewise_core::matrix::MatrixView;
use framewise_core::{CodeId, MatrixId};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// Focuses the first item of a column menu when one opens in `container`.
#[hook]
pub(super) fn use_menu_focus(container: &NodeRef, menu: Option<usize>) {
    let container = container.clone();
    use_effect_with(menu, move |menu| {
        if menu.is_some() {
            if let Some(item) = container
                .cast::<Element>()
                .and_then(|el| {
                    el.query_selector(".mx-col-menu button:not([disabled])")
                        .ok()
                        .flatten()
                })
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            {
                let _ = item.focus();
            }
        }
    });
}

/// Keys in an open column menu: Esc closes it, Up and Down move between its items.
fn menu_keys(menu: &UseStateHandle<Option<usize>>) -> Callback<KeyboardEvent> {
    let menu = menu.clone();
    Callback::from(move |e: KeyboardEvent| {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let head = target.closest("th").ok().flatten();
        let focus = |selector: &str| {
            if let Some(el) = head
                .as_ref()
                .and_then(|h| h.query_selector(selector).ok().flatten())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        };
        match e.key().as_str() {
            "Escape" => {
                e.stop_propagation();
                menu.set(None);
                focus(".mx-colmenu-button");
            }
            "ArrowDown" | "ArrowUp" => {
                e.prevent_default();
                let Some(head) = &head else { return };
                let Ok(list) = head.query_selector_all(".mx-col-menu button:not([disabled])")
                else {
                    return;
                };
                let items: Vec<HtmlElement> = (0..list.length())
                    .filter_map(|i| list.get(i))
                    .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
                    .collect();
                let at = items.iter().position(|i| {
                    let node: &web_sys::Node = i;
                    let t: &web_sys::Node = &target;
                    node == t
                });
                let n = items.len();
                if n == 0 {
                    return;
                }
                let next = match (at, e.key().as_str()) {
                    (Some(i), "ArrowDown") => (i + 1) % n,
                    (Some(i), _) => (i + n - 1) % n,
                    (None, _) => 0,
                };
                if let Some(item) = items.get(next) {
                    let _ = item.focus();
                }
            }
            _ => {}
        }
    })
}

/// The header of code column `c` of `view` (matrix `id`), with its menu when `menu` is `c`;
/// the menu's changes go to `on_columns` as the new column order.
pub(super) fn column_header(
    view: &MatrixView,
    c: usize,
    menu: &UseStateHandle<Option<usize>>,
    id: MatrixId,
    on_columns: &Callback<(MatrixId, Vec<CodeId>)>,
) -> Html {
    let Some(col) = view.columns.get(c) else {
        return Html::default();
    };
    let ncols = view.columns.len();
    let menu_open = **menu == Some(c);
    let toggle = {
        let menu = menu.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            menu.set(if menu_open { None } else { Some(c) });
        })
    };
    let reorder = |delta: isize| {
        let on_columns = on_columns.clone();
        let menu = menu.clone();
        let columns: Vec<CodeId> = view.columns.iter().map(|c| c.code).collect();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            let mut columns = columns.clone();
            let to = c as isize + delta;
            if delta == 0 {
                if c < columns.len() {
                    columns.remove(c);
                }
            } else if to >= 0 && (to as usize) < columns.len() {
                columns.swap(c, to as usize);
            } else {
                return;
            }
            menu.set(None);
            on_columns.emit((id, columns));
        })
    };
    html! {
        <th role="columnheader" scope="col" class="mx-colhead" title={col.path.clone()} key={col.code.to_string()}
            style={format!("--code-color:{}", col.color)}>
            <div class="mx-colhead-inner">
                <span class="swatch" style={format!("background:{}", col.color)}></span>
                <span class="mx-colhead-name">{&col.name}</span>
                <button class="mx-colmenu-button small" aria-label={format!("Column menu for {}", col.name)}
                    aria-haspopup="menu" aria-expanded={menu_open.to_string()} onclick={toggle}>{"⋯"}</button>
            </div>
            if menu_open {
                <div class="mx-col-menu" role="menu" aria-label={format!("Column {}", col.name)} onkeydown={menu_keys(menu)}>
                    <button role="menuitem" disabled={c == 0} onclick={reorder(-1)}>{"Move left"}</button>
                    <button role="menuitem" disabled={c + 1 == ncols} onclick={reorder(1)}>{"Move right"}</button>
                    <button role="menuitem" class="danger" onclick={reorder(0)}>{"Remove column"}</button>
                </div>
            }
        </th>
    }
}
