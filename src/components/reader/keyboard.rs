//! The keyboard in the reading view: Enter codes the selection; Shift+Arrows, Home and End
//! select text with `Selection.modify` (the view is not editable, so the browser has no caret of
//! its own there), and the selection is reported when the keys are released.

use super::selection::current_selection;
use super::TextSelection;
use crate::state::Shared;
use framewise_core::Source;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};
use yew::prelude::*;

/// The reader's `onkeydown`: Enter emits `on_enter`, arrows (with Shift for up and down), Home
/// and End move or extend the selection.
pub(super) fn on_keydown(root: &NodeRef, on_enter: &Callback<()>) -> Callback<KeyboardEvent> {
    let root = root.clone();
    let on_enter = on_enter.clone();
    Callback::from(move |e: KeyboardEvent| {
        let key = e.key();
        if key == "Enter" {
            e.prevent_default();
            on_enter.emit(());
            return;
        }
        let direction = match key.as_str() {
            "ArrowLeft" => "backward",
            "ArrowRight" => "forward",
            "ArrowUp" => "backward",
            "ArrowDown" => "forward",
            "Home" => "backward",
            "End" => "forward",
            _ => return,
        };
        let granularity = match key.as_str() {
            "ArrowUp" | "ArrowDown" => "line",
            "Home" | "End" => "lineboundary",
            _ if e.ctrl_key() || e.alt_key() => "word",
            _ => "character",
        };
        let vertical = matches!(key.as_str(), "ArrowUp" | "ArrowDown");
        if !e.shift_key() && vertical {
            return; // plain Up/Down scroll the view
        }
        e.prevent_default();
        keyboard_select(&root, e.shift_key(), direction, granularity);
    })
}

/// The reader's `onkeyup`: after a selecting key, reports the selection.
pub(super) fn on_keyup(
    root: &NodeRef,
    source: &Shared<Source>,
    on_selection: &Callback<Option<TextSelection>>,
) -> Callback<KeyboardEvent> {
    let root = root.clone();
    let on_selection = on_selection.clone();
    let source = source.clone();
    Callback::from(move |e: KeyboardEvent| {
        if e.key().starts_with("Arrow")
            || e.key() == "Home"
            || e.key() == "End"
            || e.key() == "Shift"
        {
            on_selection.emit(current_selection(&root, &source.text));
        }
    })
}

/// Moves or extends the selection by keyboard (the reading view is not editable, so the browser
/// has no caret of its own there).
fn keyboard_select(root: &NodeRef, extend: bool, direction: &str, granularity: &str) {
    let Some(root_el) = root.cast::<Element>() else {
        return;
    };
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return;
    };
    let inside = selection
        .anchor_node()
        .map(|n| root_el.contains(Some(&n)))
        .unwrap_or(false);
    if !inside || selection.range_count() == 0 {
        // Start at the first visible paragraph.
        let first_text = first_visible_text(&root_el);
        if let Some(node) = first_text {
            let _ = selection.collapse_with_offset(Some(&node), 0);
        } else {
            return;
        }
    }
    let alter = if extend { "extend" } else { "move" };
    let _ = selection.modify(alter, direction, granularity);
}

fn first_visible_text(root: &Element) -> Option<Node> {
    let top = root.get_bounding_client_rect().top();
    let paras = root.query_selector_all("p.para").ok()?;
    for i in 0..paras.length() {
        let p = paras.get(i)?;
        let el: &Element = p.dyn_ref()?;
        if el.get_bounding_client_rect().bottom() > top {
            // First text node inside the first segment after the speaker label, if any.
            let seg = el
                .query_selector("span:not(.speaker)")
                .ok()
                .flatten()
                .or_else(|| el.query_selector("span").ok().flatten())?;
            return seg.first_child();
        }
    }
    None
}
