//! Selections in the reading view: DOM selection points (UTF-16 offsets in text nodes) mapped to
//! byte offsets through the `data-off`/`data-end` attributes of paragraphs and segments, and the
//! mouse: a selection is read when the button is released, a plain click on coded text or a
//! stripe lists the codings there.

use super::TextSelection;
use crate::state::Shared;
use framewise_core::text::utf16_to_byte;
use framewise_core::{Source, Span};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};
use yew::prelude::*;

/// The reader's `onmousedown` and `onmouseup`.
pub(super) struct MouseHandlers {
    pub(super) onmousedown: Callback<MouseEvent>,
    pub(super) onmouseup: Callback<MouseEvent>,
}

/// A selection is read when the mouse is released: over the text (`onmouseup`), or anywhere
/// else after a press in the text (a drag that ends over the code picker, the margin or
/// another pane still selects what it covered: the document listener below).
#[hook]
pub(super) fn use_mouse_selection(
    root: &NodeRef,
    source: &Shared<Source>,
    on_selection: &Callback<Option<TextSelection>>,
    on_coded_click: &Callback<(usize, f64, f64)>,
) -> MouseHandlers {
    let pressed = use_mut_ref(|| false);
    let released = {
        let root = root.clone();
        let on_selection = on_selection.clone();
        let on_coded_click = on_coded_click.clone();
        let source = source.clone();
        let pressed = pressed.clone();
        Rc::new(move |e: &MouseEvent| {
            pressed.replace(false);
            selecting_text(false);
            let sel = current_selection(&root, &source.text);
            match sel {
                Some(s) => on_selection.emit(Some(s)),
                None => {
                    on_selection.emit(None);
                    // A plain click on coded text or on a coding stripe: list the codings there.
                    if let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                        let offset = match target.closest("[data-coded]") {
                            Ok(Some(seg)) => attr_offset(&seg, "data-off"),
                            _ => target
                                .closest("[data-stripe-off]")
                                .ok()
                                .flatten()
                                .and_then(|stripe| attr_offset(&stripe, "data-stripe-off")),
                        };
                        if let Some(off) = offset {
                            on_coded_click.emit((off, e.client_x() as f64, e.client_y() as f64));
                        }
                    }
                }
            }
        })
    };
    let onmousedown = {
        let pressed = pressed.clone();
        Callback::from(move |_: MouseEvent| {
            *pressed.borrow_mut() = true;
            selecting_text(true);
        })
    };
    let onmouseup = {
        let released = released.clone();
        Callback::from(move |e: MouseEvent| released(&e))
    };
    {
        let pressed = pressed.clone();
        crate::hooks::use_document_listener("mouseup", true, move |e: &Event| {
            // Released outside the text after a press inside it (the reader's own `onmouseup`,
            // which runs first, clears `pressed` when released over the text).
            if *pressed.borrow() {
                if let Some(e) = e.dyn_ref::<MouseEvent>() {
                    released(e);
                }
            }
        });
    }
    MouseHandlers {
        onmousedown,
        onmouseup,
    }
}

/// While the mouse selects text, popups over the text (the code picker) let the pointer through
/// (`body.selecting-text`, see app.css), so a drag that passes or ends over them selects the
/// text beneath.
fn selecting_text(on: bool) {
    if let Some(body) = crate::dom::document().and_then(|d| d.body()) {
        let _ = if on {
            body.class_list().add_1("selecting-text")
        } else {
            body.class_list().remove_1("selecting-text")
        };
    }
}

fn attr_offset(el: &Element, name: &str) -> Option<usize> {
    el.get_attribute(name).and_then(|v| v.parse().ok())
}

/// Byte offset of a DOM selection point inside the reader, if it lies in the text.
fn point_to_offset(node: &Node, offset: u32) -> Option<usize> {
    if node.node_type() == Node::TEXT_NODE {
        let parent = node.parent_element()?;
        // The margin (speaker names, times) is not text: a point there is its paragraph's start.
        if let Ok(Some(gutter)) = parent.closest("[data-gutter-off]") {
            return attr_offset(&gutter, "data-gutter-off");
        }
        let seg = parent.closest("[data-off]").ok()??;
        if seg.closest(".stripes").ok().flatten().is_some() {
            return None;
        }
        let start = attr_offset(&seg, "data-off")?;
        let text = node.text_content().unwrap_or_default();
        let within = utf16_to_byte(&text, offset as usize).unwrap_or(text.len());
        return Some(start + within);
    }
    let el: &Element = node.dyn_ref()?;
    let children = el.child_nodes();
    if offset < children.length() {
        let child = children.get(offset)?;
        if let Some(child_el) = child.dyn_ref::<Element>() {
            if let Some(v) = attr_offset(child_el, "data-off") {
                return Some(v);
            }
            if let Some(v) = attr_offset(child_el, "data-gutter-off") {
                return Some(v);
            }
            if let Ok(Some(inner)) = child_el.query_selector("[data-off]") {
                return attr_offset(&inner, "data-off");
            }
        } else if child.node_type() == Node::TEXT_NODE {
            return point_to_offset(&child, 0);
        }
    }
    if let Some(v) = attr_offset(el, "data-end") {
        return Some(v);
    }
    let all = el.query_selector_all("[data-end]").ok()?;
    let last = all.get(all.length().checked_sub(1)?)?;
    attr_offset(last.dyn_ref::<Element>()?, "data-end")
}

/// The current DOM selection as a trimmed byte span, if it lies inside the reader.
pub(super) fn current_selection(root: &NodeRef, text: &str) -> Option<TextSelection> {
    let root_el = root.cast::<Element>()?;
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let anchor = selection.anchor_node()?;
    let focus = selection.focus_node()?;
    if !root_el.contains(Some(&anchor)) || !root_el.contains(Some(&focus)) {
        return None;
    }
    let a = point_to_offset(&anchor, selection.anchor_offset())?;
    let b = point_to_offset(&focus, selection.focus_offset())?;
    let span = framewise_core::text::trim_span(text, Span::new(a.min(b), a.max(b)))?;
    let range = selection.get_range_at(0).ok()?;
    let rect = range.get_bounding_client_rect();
    Some(TextSelection {
        span,
        x: rect.left(),
        y: rect.bottom(),
    })
}
