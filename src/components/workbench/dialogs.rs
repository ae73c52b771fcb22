//! The workbench's small dialogs and panels: the undo history, keyboard shortcuts, the project
//! memo and "Remove source?".

use crate::components::dialog::Dialog as Modal;
use crate::components::memo::MemoEditor;
use crate::hooks::use_document_listener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The `id` of the history panel (its toggle button names it in `aria-controls`).
pub const HISTORY_PANEL_ID: &str = "history-panel";

/// Props of [`HistoryPanel`].
#[derive(Properties, PartialEq)]
pub struct HistoryPanelProps {
    /// Labels of the steps that can be undone, oldest first.
    pub undo: Vec<String>,
    /// Labels of the undone steps that can be redone, next first.
    pub redo: Vec<String>,
    /// Undo back to before the step at this index.
    pub on_undo_to: Callback<usize>,
    /// Close the panel (Esc, a click outside it, a step chosen).
    pub on_close: Callback<()>,
}

/// The undo history: click a step to undo back to before it. Closes on Esc (see the shortcuts)
/// and on a click outside it (but not on its own toggle button, which toggles it).
#[component]
pub fn HistoryPanel(props: &HistoryPanelProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        let on_close = props.on_close.clone();
        use_document_listener("mousedown", true, move |e: &Event| {
            let Some(target) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let inside = node
                .cast::<web_sys::Element>()
                .is_some_and(|panel| panel.contains(Some(&target)));
            let toggle = target
                .closest(&format!("[aria-controls=\"{HISTORY_PANEL_ID}\"]"))
                .ok()
                .flatten()
                .is_some();
            if !inside && !toggle {
                on_close.emit(());
            }
        });
    }
    let n = props.undo.len();
    let undo_items = props.undo.iter().enumerate().rev().map(|(i, label)| {
        let on_undo_to = props.on_undo_to.clone();
        let onclick = Callback::from(move |_| on_undo_to.emit(i));
        html! { <li><button class="link" {onclick} title="Undo back to before this step">{label}</button></li> }
    });
    let redo_items = props
        .redo
        .iter()
        .map(|label| html! { <li class="redo-step">{label}</li> });
    html! {
        <div class="history-menu" id={HISTORY_PANEL_ID} role="region" aria-label="History" ref={node}>
            <h3>{format!("History ({})", framewise_core::words::count(n, "step", "steps"))}</h3>
            if n == 0 && props.redo.is_empty() { <p class="hint">{"No changes yet in this session."}</p> }
            <ol class="redo-list" aria-label="Undone steps">{for redo_items}</ol>
            <ol class="undo-list" aria-label="Steps">{for undo_items}</ol>
            <p class="hint">{"Click a step to undo back to before it. Ctrl+Z undoes, Ctrl+Shift+Z redoes. Esc closes."}</p>
        </div>
    }
}

/// Props of the dialogs that only close.
#[derive(Properties, PartialEq)]
pub struct CloseProps {
    /// Close the dialog.
    pub on_close: Callback<()>,
}

/// The keyboard shortcuts.
#[component]
pub fn HelpDialog(props: &CloseProps) -> Html {
    html! {
        <Modal title="Keyboard shortcuts" on_close={props.on_close.clone()}>
            {Html::from_html_unchecked(AttrValue::Static(SHORTCUTS))}
        </Modal>
    }
}

/// The list of keyboard shortcuts: static markup of ours (no user data), one string instead of
/// eighteen elements built by `html!` (smaller main wasm).
const SHORTCUTS: &str = "<dl class=\"shortcuts\"><dt>Shift+Arrows</dt><dd>Select text in the reading view (Ctrl for whole words)</dd><dt>Enter</dt><dd>With a selection: go to the code picker; in the picker: apply the highlighted code or create the typed one</dd><dt>/</dt><dd>Focus the code picker</dd><dt>V</dt><dd>In vivo: the selected words become a new code</dd><dt>S, then 1 2 3</dt><dd>In the picker: suggest codes for the selection (from this project's own coding, on this computer), then apply the first, second or third</dd><dt>A</dt><dd>Annotate: write a comment on the selected passage</dd><dt>N</dt><dd>New code</dd><dt>[ and ]</dt><dd>Previous / next coding in this source</dd><dt>Ctrl+Z, Ctrl+Shift+Z</dt><dd>Undo, redo (inside a text field, the field's own undo)</dd><dt>Esc</dt><dd>Close the picker, popovers, menus and dialogs</dd><dt>?</dt><dd>This list</dd></dl>";

/// Props of [`ProjectMemoDialog`].
#[derive(Properties, PartialEq)]
pub struct ProjectMemoProps {
    /// The memo as stored.
    pub memo: String,
    /// Save the memo.
    pub on_commit: Callback<String>,
    /// Close the dialog.
    pub on_close: Callback<()>,
}

/// The project memo.
#[component]
pub fn ProjectMemoDialog(props: &ProjectMemoProps) -> Html {
    html! {
        <Modal title="Project memo" on_close={props.on_close.clone()}>
            <MemoEditor label="Memo on the project" value={props.memo.clone()} on_commit={props.on_commit.clone()} />
        </Modal>
    }
}

/// Props of [`RemoveSourceDialog`].
#[derive(Properties, PartialEq)]
pub struct RemoveSourceProps {
    /// The source's name.
    pub name: String,
    /// Its number of codings.
    pub codings: usize,
    /// Remove it.
    pub on_confirm: Callback<()>,
    /// Keep it.
    pub on_close: Callback<()>,
}

/// "Remove source?".
#[component]
pub fn RemoveSourceDialog(props: &RemoveSourceProps) -> Html {
    let close = props.on_close.clone();
    let confirm = props.on_confirm.clone();
    html! {
        <Modal title="Remove source?" on_close={props.on_close.clone()}>
            <p>{format!("Remove “{}” and its {} from the project? You can undo this (Ctrl+Z).", props.name, framewise_core::words::count(props.codings, "coding", "codings"))}</p>
            <div class="dialog-actions">
                <button onclick={move |_| close.emit(())}>{"Cancel"}</button>
                <button class="danger" onclick={move |_| confirm.emit(())}>{"Remove source"}</button>
            </div>
        </Modal>
    }
}
