//! Keyboard shortcuts of the workbench: one document `keydown` listener, registered once when
//! the workbench opens; it reads the newest state through [`use_document_listener`]. Keys are
//! never taken while a text field has focus, except Escape.

use super::coding::back_to_text;
use super::ui::{Pending, Ui, UiAction, View};
use crate::dom;
use crate::hooks::use_document_listener;
use framewise_core::{Project, SourceId, Span};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What the shortcuts act on (the newest render's values).
pub struct Shortcuts {
    /// The project.
    pub project: Rc<Project>,
    /// The UI state.
    pub ui: Rc<Ui>,
    /// Change the UI state.
    pub ui_dispatch: Callback<UiAction>,
    /// Code the selection.
    pub on_code: Callback<Pending>,
    /// Undo one step.
    pub undo: Callback<()>,
    /// Redo one step.
    pub redo: Callback<()>,
    /// The reading view (focus returns there when the picker closes).
    pub reader: NodeRef,
    /// The codebook's "New code name" field (`N`).
    pub new_code: NodeRef,
}

/// Registers the workbench's keyboard shortcuts (once).
#[hook]
pub fn use_shortcuts(shortcuts: Shortcuts) {
    use_document_listener("keydown", false, move |e: &Event| {
        if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
            on_key(&shortcuts, e);
        }
    });
}

fn on_key(s: &Shortcuts, e: &KeyboardEvent) {
    let key = e.key();
    let ctrl = e.ctrl_key() || e.meta_key();
    if key == "Escape" {
        if s.ui.selection.is_some() {
            back_to_text(&s.reader);
        }
        s.ui_dispatch.emit(UiAction::Escape);
        return;
    }
    // Find in the open source: the reader shows only the paragraphs near the viewport, so the
    // browser's own Find would miss most of a long transcript.
    if ctrl
        && !e.shift_key()
        && (key == "f" || key == "F")
        && s.ui.view == View::Read
        && s.ui.source.is_some()
    {
        e.prevent_default();
        s.ui_dispatch.emit(UiAction::Find);
        return;
    }
    if dom::focus_in_text_field() {
        return;
    }
    let has_selection = s.ui.selection.is_some();
    match (ctrl, e.shift_key(), key.as_str()) {
        (true, false, "z") | (true, false, "Z") => {
            e.prevent_default();
            s.undo.emit(());
        }
        (true, true, "z") | (true, true, "Z") | (true, _, "y") => {
            e.prevent_default();
            s.redo.emit(());
        }
        (false, _, "/") if has_selection => {
            e.prevent_default();
            s.ui_dispatch.emit(UiAction::FocusPicker);
        }
        (false, _, "a") | (false, _, "A") if has_selection => {
            if let (Some(src), Some(sel)) = (s.ui.source, s.ui.selection) {
                e.prevent_default();
                s.ui_dispatch
                    .emit(UiAction::Open(super::ui::Dialog::Annotate(
                        src, sel.span, None,
                    )));
            }
        }
        (false, _, "v") | (false, _, "V") if has_selection => {
            e.prevent_default();
            s.on_code.emit(Pending::InVivo);
        }
        (false, _, "n") | (false, _, "N") => {
            e.prevent_default();
            // The codebook's "New code name" field (absent while the codebook is collapsed).
            if let Some(field) = s.new_code.cast::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
        }
        (false, _, "?") => s.ui_dispatch.emit(UiAction::Open(super::ui::Dialog::Help)),
        (false, _, "[") | (false, _, "]") => {
            if let Some((src, span)) = neighbour(s, key == "]") {
                s.ui_dispatch.emit(UiAction::OpenPassage(src, span));
            }
        }
        _ => {}
    }
}

/// The next (or previous) coding of the open source from the passage last shown.
fn neighbour(s: &Shortcuts, forward: bool) -> Option<(SourceId, Span)> {
    let src = s.ui.source?;
    let list = s.project.codings_of(src);
    let here = s.ui.focus.map(|f| f.span.start);
    let next = if forward {
        list.iter().find(|c| here.is_none_or(|h| c.span.start > h))
    } else {
        list.iter()
            .rev()
            .find(|c| here.is_some_and(|h| c.span.start < h))
    };
    next.map(|c| (src, c.span))
}
