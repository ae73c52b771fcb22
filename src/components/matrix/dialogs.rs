//! The matrices view's dialogs, at most one open ([`Modal`]): a new matrix or its rows and
//! columns (`MatrixDialog`, and what saving it does), rename, delete, seed with quotes. The
//! export check's dialog is in `export.rs`.

use super::export::HeldExport;
use super::{plural, CellRef, MatrixSpec};
use crate::components::dialog::Dialog;
use crate::state::{now, BrowserIds, Shared};
use framewise_core::matrix::Matrix;
use framewise_core::{Action, CaseId, CodeId, IdSource, MatrixId};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What is shown over the view.
#[derive(Clone, PartialEq)]
pub(super) enum Modal {
    New,
    Edit,
    Rename,
    Delete,
    Seed(Rc<Vec<(CaseId, CodeId, String)>>),
    /// Real names of the pseudonymisation key found in an export about to be written.
    Names(HeldExport),
}

/// Closes the open dialog.
pub(super) fn closer(modal: &UseStateHandle<Option<Modal>>) -> Callback<()> {
    let modal = modal.clone();
    Callback::from(move |_| modal.set(None))
}

/// Saving the matrix dialog: edits `matrix` (one undo step) when the dialog is "Edit", else
/// creates a matrix and selects it.
pub(super) fn on_save(
    dispatch: &Callback<Action>,
    modal: &UseStateHandle<Option<Modal>>,
    selected: &UseStateHandle<Option<MatrixId>>,
    matrix: &Option<Shared<Matrix>>,
) -> Callback<MatrixSpec> {
    let dispatch = dispatch.clone();
    let modal = modal.clone();
    let selected = selected.clone();
    let matrix = matrix.clone();
    let editing = matches!(*modal, Some(Modal::Edit));
    Callback::from(move |spec: MatrixSpec| {
        match (&matrix, editing) {
            (Some(m), true) => {
                let mut actions = Vec::new();
                if spec.name != m.name {
                    actions.push(Action::RenameMatrix {
                        id: m.id,
                        name: spec.name.clone(),
                    });
                }
                if spec.rows != m.rows || spec.group_by != m.group_by {
                    actions.push(Action::SetMatrixRows {
                        id: m.id,
                        rows: spec.rows.clone(),
                        group_by: spec.group_by,
                    });
                }
                if spec.columns != m.columns {
                    actions.push(Action::SetMatrixColumns {
                        id: m.id,
                        columns: spec.columns.clone(),
                    });
                }
                if !actions.is_empty() {
                    dispatch.emit(Action::Batch {
                        label: format!("Edit matrix {}", spec.name),
                        actions,
                    });
                }
            }
            _ => {
                let mut matrix =
                    Matrix::new(BrowserIds.matrix_id(), spec.name, spec.columns, now());
                matrix.rows = spec.rows;
                matrix.group_by = spec.group_by;
                selected.set(Some(matrix.id));
                dispatch.emit(Action::CreateMatrix { matrix });
            }
        }
        modal.set(None);
    })
}

/// "Rename matrix".
pub(super) fn rename(
    m: &Shared<Matrix>,
    dispatch: &Callback<Action>,
    modal: &UseStateHandle<Option<Modal>>,
    field: &NodeRef,
) -> Html {
    let close_modal = closer(modal);
    let onsubmit = {
        let dispatch = dispatch.clone();
        let modal = modal.clone();
        let field = field.clone();
        let id = m.id;
        let old = m.name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = field.cast::<HtmlInputElement>() else {
                return;
            };
            let name = input.value().trim().to_string();
            if !name.is_empty() && name != old {
                dispatch.emit(Action::RenameMatrix { id, name });
            }
            modal.set(None);
        })
    };
    html! {
        <Dialog title="Rename matrix" on_close={close_modal.clone()}>
            <form {onsubmit}>
                <label>{"Name"}<input ref={field.clone()} type="text" value={m.name.clone()} required=true /></label>
                <div class="dialog-actions">
                    <button type="button" onclick={close_modal.reform(|_| ())}>{"Cancel"}</button>
                    <button type="submit" class="primary">{"Rename"}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// "Delete matrix", with the number of summaries it holds.
pub(super) fn delete(
    m: &Shared<Matrix>,
    dispatch: &Callback<Action>,
    modal: &UseStateHandle<Option<Modal>>,
    selected: &UseStateHandle<Option<MatrixId>>,
    open: &UseStateHandle<Option<CellRef>>,
) -> Html {
    let close_modal = closer(modal);
    let summaries = m.cells.values().map(|r| r.len()).sum::<usize>() + m.case_summaries.len();
    let confirm = {
        let dispatch = dispatch.clone();
        let modal = modal.clone();
        let selected = selected.clone();
        let open = open.clone();
        let id = m.id;
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::DeleteMatrix { id });
            selected.set(None);
            open.set(None);
            modal.set(None);
        })
    };
    html! {
        <Dialog title="Delete matrix" on_close={close_modal.clone()}>
            <p>{format!("Delete the matrix “{}” and its {}? Codings and cases are not affected. Undo brings it back.", m.name, plural(summaries, "summary", "summaries"))}</p>
            <div class="dialog-actions">
                <button onclick={close_modal.reform(|_| ())}>{"Cancel"}</button>
                <button class="danger" onclick={confirm}>{"Delete matrix"}</button>
            </div>
        </Dialog>
    }
}

/// "Seed with quotes": fills the empty cells that have data with the `seeds` (one undo step).
pub(super) fn seed(
    m: &Shared<Matrix>,
    seeds: &Rc<Vec<(CaseId, CodeId, String)>>,
    dispatch: &Callback<Action>,
    modal: &UseStateHandle<Option<Modal>>,
) -> Html {
    let close_modal = closer(modal);
    let confirm = {
        let dispatch = dispatch.clone();
        let modal = modal.clone();
        let id = m.id;
        let seeds = seeds.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::SetCellSummaries {
                matrix: id,
                summaries: (*seeds).clone(),
            });
            modal.set(None);
        })
    };
    let n = seeds.len();
    html! {
        <Dialog title="Seed with quotes" on_close={close_modal.clone()}>
            if n == 0 {
                <p>{"No cell has coded segments without a summary: there is nothing to seed."}</p>
            } else {
                <p>{format!("Fill {} that {} coded segments but no summary with short extracts (quote references) for you to condense? Cells with a summary are not changed. Undo removes the extracts.", plural(n, "empty cell", "empty cells"), if n == 1 { "has" } else { "have" })}</p>
            }
            <div class="dialog-actions">
                <button onclick={close_modal.reform(|_| ())}>{"Cancel"}</button>
                <button class="primary" disabled={n == 0} onclick={confirm}>{format!("Fill {}", plural(n, "cell", "cells"))}</button>
            </div>
        </Dialog>
    }
}
