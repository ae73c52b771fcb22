//! A summary field that shows its quote references as readable chips ("“We could not recruit a
//! pharmacist…” (Interview P01)") while the stored text keeps core's `[[quote:ID]]` tokens.
//!
//! The field is a `contenteditable="plaintext-only"` element (typing and pasting give plain
//! text; Backspace removes a chip whole, as chips are `contenteditable="false"`). Its DOM is
//! written and read here, never rendered by Yew: [`write`] turns a summary into text nodes and
//! chips, [`read`] turns the DOM back into the summary, and [`caret`] / [`set_caret`] translate
//! between the selection and a byte offset in the summary (where "Insert quote" puts a token).

use framewise_core::matrix::{quote_token, summary_parts, SummaryPart};
use framewise_core::text::utf16_to_byte_lenient;
use framewise_core::CodingId;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// The attribute naming a chip's coding.
const CHIP_ATTR: &str = "data-coding";

/// What a quote chip says: the quote's first words and its source, or `None` when the coding
/// was removed (a broken reference).
#[derive(Clone)]
pub struct Chips(pub Rc<dyn Fn(CodingId) -> Option<String>>);

impl PartialEq for Chips {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The summary a node of the field stands for: a text node its text, a chip its token, a line
/// break a newline (except the browser's placeholder `<br>` at the very end), and any block a
/// browser inserted a line of its own.
fn node_text(node: &Node, out: &mut String, last: bool) {
    match node.node_type() {
        Node::TEXT_NODE => out.push_str(&node.text_content().unwrap_or_default()),
        Node::ELEMENT_NODE => {
            let Some(el) = node.dyn_ref::<Element>() else {
                return;
            };
            if let Some(id) = el
                .get_attribute(CHIP_ATTR)
                .and_then(|i| CodingId::parse(&i))
            {
                out.push_str(&quote_token(id));
            } else if el.tag_name().eq_ignore_ascii_case("br") {
                if !last {
                    out.push('\n');
                }
            } else {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                children_text(el, out);
            }
        }
        _ => {}
    }
}

fn children_text(parent: &Node, out: &mut String) {
    let children = parent.child_nodes();
    let n = children.length();
    for i in 0..n {
        if let Some(child) = children.item(i) {
            node_text(&child, out, i + 1 == n);
        }
    }
}

/// The summary the field holds now.
pub fn read(field: &Element) -> String {
    let mut out = String::new();
    children_text(field, &mut out);
    out
}

/// Fills the field with `summary`: its text, and a chip per quote reference.
pub fn write(field: &Element, summary: &str, chips: &Chips) {
    field.set_text_content(None);
    let Some(doc) = field.owner_document() else {
        return;
    };
    for part in summary_parts(summary) {
        let node: Option<Node> = match part {
            SummaryPart::Text(t) => Some(doc.create_text_node(t).into()),
            SummaryPart::Quote(id) => doc.create_element("span").ok().map(|chip| {
                let _ = chip.set_attribute(CHIP_ATTR, &id.to_string());
                let _ = chip.set_attribute("contenteditable", "false");
                match (chips.0)(id) {
                    Some(label) => {
                        let _ = chip.set_attribute("class", "summary-chip");
                        let _ =
                            chip.set_attribute("title", "Quote (the preview below links to it)");
                        chip.set_text_content(Some(&label));
                    }
                    None => {
                        let _ = chip.set_attribute("class", "summary-chip broken");
                        chip.set_text_content(Some("Broken quote reference (coding removed)"));
                    }
                }
                chip.into()
            }),
        };
        if let Some(node) = node {
            let _ = field.append_child(&node);
        }
    }
    // A newline at the very end shows only with a line break after it.
    if summary.ends_with('\n') {
        if let Ok(br) = doc.create_element("br") {
            let _ = field.append_child(&br);
        }
    }
}

/// Length in the summary of the field's first `count` children.
fn length_of_children(field: &Element, count: u32) -> usize {
    let children = field.child_nodes();
    let mut out = String::new();
    for i in 0..count.min(children.length()) {
        if let Some(child) = children.item(i) {
            node_text(&child, &mut out, false);
        }
    }
    out.len()
}

/// The caret's place in the summary (a byte offset), when the selection is in the field.
pub fn caret(field: &Element) -> Option<usize> {
    let selection = web_sys::window()?.get_selection().ok()??;
    let node = selection.focus_node()?;
    let offset = selection.focus_offset();
    let field_node: &Node = field.as_ref();
    if node == *field_node {
        return Some(length_of_children(field, offset));
    }
    // The child of the field that holds the caret, and where in it.
    let mut child = node.clone();
    while child.parent_node().as_ref() != Some(field_node) {
        child = child.parent_node()?;
    }
    let children = field.child_nodes();
    let index = (0..children.length()).find(|i| children.item(*i).as_ref() == Some(&child))?;
    let before = length_of_children(field, index);
    if child == node && child.node_type() == Node::TEXT_NODE {
        let text = child.text_content().unwrap_or_default();
        Some(before + utf16_to_byte_lenient(&text, offset as usize))
    } else {
        // Inside a chip or a block: after it.
        Some(length_of_children(field, index + 1))
    }
}

/// Puts the caret at byte `at` of the summary (after a chip that ends there).
pub fn set_caret(field: &Element, at: usize) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(doc) = field.owner_document() else {
        return;
    };
    let (Ok(range), Ok(Some(selection))) = (doc.create_range(), window.get_selection()) else {
        return;
    };
    let children = field.child_nodes();
    let mut done = 0;
    let mut placed = false;
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        let mut text = String::new();
        node_text(&child, &mut text, false);
        if child.node_type() == Node::TEXT_NODE && at <= done + text.len() {
            let within = text.get(..at - done).unwrap_or(&text);
            let _ = range.set_start(&child, within.encode_utf16().count() as u32);
            placed = true;
            break;
        }
        done += text.len();
        if at <= done {
            let _ = range.set_start(field, i + 1);
            placed = true;
            break;
        }
    }
    if !placed {
        let _ = range.set_start(field, children.length());
    }
    range.collapse_with_to_start(true);
    let _ = selection.remove_all_ranges();
    let _ = selection.add_range(&range);
}
