//! The codebook's dialogs: the one open [`Dialog`] and the confirmation of deleting a code.

use super::plural;
use crate::components::dialog::Dialog as Modal;
use crate::worker_client::CsvImport;
use framewise_core::{Action, CodeCounts, CodeId, Project};
use std::rc::Rc;
use yew::prelude::*;

/// The one dialog open in the codebook (at most one at a time): a confirmation or a preview.
#[derive(Clone, PartialEq)]
pub(crate) enum Dialog {
    /// Delete this code?
    Delete(CodeId),
    /// Merge `from` into `into`?
    Merge { from: CodeId, into: CodeId },
    /// Import these codes from a CSV file?
    Import(Rc<CsvImport>),
}

/// Props of [`DeleteDialog`].
#[derive(Properties, PartialEq)]
pub(super) struct DeleteProps {
    pub project: Rc<Project>,
    pub code: CodeId,
    pub counts: CodeCounts,
    pub dispatch: Callback<Action>,
    pub on_select: Callback<Option<CodeId>>,
    pub on_close: Callback<()>,
}

/// Delete a code: what it removes (its codings) and where its children go.
#[component]
pub(super) fn DeleteDialog(props: &DeleteProps) -> Html {
    let project = &props.project;
    let id = props.code;
    let close = props.on_close.clone();
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    let Some(code) = project.code(id) else {
        return Html::default();
    };
    let c = props.counts;
    let children = project.children(Some(id)).count();
    // Core refuses a delete whose children would land beside a code of their name.
    let refused = framewise_core::apply(project, Action::DeleteCode { id }).err();
    let parent_name = code
        .parent
        .and_then(|p| project.code(p))
        .map(|p| format!("“{}”", p.name))
        .unwrap_or_else(|| "the top level".to_string());
    let confirm = {
        let dispatch = props.dispatch.clone();
        let on_select = props.on_select.clone();
        let close = close.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::DeleteCode { id });
            on_select.emit(None);
            close.emit(());
        })
    };
    html! {
        <Modal title="Delete code" on_close={close}>
            <p>{format!("Delete the code “{}”?", code.name)}</p>
            <p class="delete-counts">
                if c.codings == 0 {
                    {"It has not been applied to any text yet."}
                } else {
                    {format!(
                        "It is applied in {} in {}; these codings will be removed.",
                        plural(c.codings, "coding", "codings"),
                        plural(c.sources, "source", "sources")
                    )}
                }
            </p>
            if children > 0 {
                <p>{format!("Its {} up to {parent_name}.", plural(children, "child code moves", "child codes move"))}</p>
            }
            if let Some(e) = &refused {
                <p class="error" role="alert">{format!("Cannot delete it: its children would move up, and {e}. Rename or move that child first.")}</p>
            } else {
                <p class="hint">{"You can undo this with Ctrl+Z."}</p>
            }
            <div class="dialog-actions">
                <button class="danger" onclick={confirm} disabled={refused.is_some()}>{"Delete code"}</button>
                <button onclick={cancel}>{"Cancel"}</button>
            </div>
        </Modal>
    }
}
