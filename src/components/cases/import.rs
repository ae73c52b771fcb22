//! Importing a case table CSV: reading the file and the preview of what it changes (new cases,
//! new attributes with their inferred types, values set and cleared, problems by line);
//! confirming applies it as one undo step. The worker reads the file
//! (`worker_client::csv_import`); the preview shows what it wrote out.

use super::{plural, Dialog};
use crate::components::dialog::{csv_problems, Dialog as Modal};
use crate::dom;
use crate::worker_client::CsvImport;
use framewise_core::protocol::CsvKind;
use framewise_core::{Action, Project};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ImportDialog`].
#[derive(Properties, PartialEq)]
pub(super) struct ImportProps {
    pub import: Rc<CsvImport>,
    pub dispatch: Callback<Action>,
    pub on_close: Callback<()>,
}

/// The preview of a case table CSV: new cases, new attributes with their inferred types, how
/// many values change, and the problems by line; confirming applies it as one undo step.
#[component]
pub(super) fn ImportDialog(props: &ImportProps) -> Html {
    let import = &props.import;
    let shown = &import.shown;
    let file = &import.file;
    let dispatch = &props.dispatch;
    let close = props.on_close.clone();
    let cases = shown.items.iter().map(|(name, parent, _)| {
        html! {
            <li>
                <span class="import-path">{name}</span>
                if !parent.is_empty() {
                    <span class="muted">{parent}</span>
                }
            </li>
        }
    });
    let attributes = shown.attributes.iter().map(|(name, kind, _)| {
        html! { <li><span class="import-path">{name}</span><span class="muted">{kind}</span></li> }
    });
    let (set, cleared) = (shown.set, shown.cleared);
    let nothing = shown.items.is_empty() && shown.attributes.is_empty() && set + cleared == 0;
    let confirm = {
        let dispatch = dispatch.clone();
        let close = close.clone();
        let import = import.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(import.action.clone());
            close.emit(());
        })
    };
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    html! {
        <Modal title="Import case table" on_close={close} class="import-cases">
            <p>{format!("{file}: {} read.", plural(shown.rows, "row", "rows"))}</p>
            if !shown.items.is_empty() {
                <h3>{format!("New cases ({})", shown.items.len())}</h3>
                <ul class="import-codes" aria-label="New cases">{for cases}</ul>
            }
            if !shown.attributes.is_empty() {
                <h3>{format!("New attributes ({})", shown.attributes.len())}</h3>
                <ul class="import-codes" aria-label="New attributes">{for attributes}</ul>
            }
            <p class="import-values">
                {format!("{} to set", plural(set, "value", "values"))}
                if cleared > 0 { {format!(", {cleared} to clear (empty cells)")} }
                {"."}
            </p>
            if !shown.problems.is_empty() {
                <h3>{format!("Problems ({})", shown.problems.len())}</h3>
                {csv_problems(&shown.problems)}
            }
            <div class="dialog-actions">
                <button class="primary" disabled={nothing} onclick={confirm}>{"Import"}</button>
                <button onclick={cancel}>{"Cancel"}</button>
            </div>
        </Modal>
    }
}

/// The `change` handler of the "Import case table CSV…" file input: reads the file and opens
/// the preview, or says why it cannot.
pub(super) fn on_import_file(
    project: Rc<Project>,
    open: Callback<Dialog>,
    on_message: Callback<String>,
) -> Callback<Event> {
    dom::on_csv_file(project, CsvKind::CaseTable, on_message, move |import| {
        open.emit(Dialog::Import(Rc::new(import)))
    })
}
