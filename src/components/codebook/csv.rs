//! Codebook CSV (`name,description,parent`): reading a file into the import preview (the codes
//! to add, in tree order with their paths, and the problems by line). The worker reads the file
//! (`worker_client::csv_import`); the preview shows what it wrote out. Exporting is
//! `pseudonyms::CsvExportButton` (it checks for real names of the key first).

use super::dialogs::Dialog;
use super::plural;
use crate::components::dialog::{csv_problems, Dialog as Modal};
use crate::dom;
use crate::worker_client::CsvImport;
use framewise_core::protocol::CsvKind;
use framewise_core::{Action, Project};
use std::rc::Rc;
use yew::prelude::*;

/// The `change` handler of the "Import codebook CSV…" file input: reads the file and opens the
/// preview, or says why it cannot.
pub(super) fn on_import_file(
    project: Rc<Project>,
    open: Callback<Dialog>,
    on_message: Callback<String>,
) -> Callback<Event> {
    dom::on_csv_file(project, CsvKind::Codebook, on_message, move |import| {
        open.emit(Dialog::Import(Rc::new(import)))
    })
}

/// Props of [`ImportDialog`].
#[derive(Properties, PartialEq)]
pub(super) struct ImportProps {
    pub import: Rc<CsvImport>,
    pub dispatch: Callback<Action>,
    pub on_close: Callback<()>,
}

/// The preview of a codebook CSV; confirming adds its codes as one undo step.
#[component]
pub(super) fn ImportDialog(props: &ImportProps) -> Html {
    let import = &props.import;
    let shown = &import.shown;
    let file = &import.file;
    let close = props.on_close.clone();
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    let n = shown.rows;
    let confirm = {
        let dispatch = props.dispatch.clone();
        let close = close.clone();
        let import = import.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(import.action.clone());
            close.emit(());
        })
    };
    let rows = shown.items.iter().map(|(path, description, color)| {
        html! {
            <li>
                <span class="swatch" style={format!("background:{color}")}></span>
                <span class="import-path">{path}</span>
                if !description.is_empty() {
                    <span class="import-description">{description}</span>
                }
            </li>
        }
    });
    html! {
        <Modal title="Import codebook" on_close={close} class="import-codebook">
            <p>{format!("{file}: {} to add.", plural(n, "code", "codes"))}</p>
            if n > 0 {
                <ul class="import-codes" aria-label="Codes to add">{for rows}</ul>
            }
            if !shown.problems.is_empty() {
                <h3>{"Problems"}</h3>
                {csv_problems(&shown.problems)}
            }
            <div class="dialog-actions">
                <button class="primary" disabled={n == 0} onclick={confirm}>
                    {format!("Import {}", plural(n, "code", "codes"))}
                </button>
                <button onclick={cancel}>{"Cancel"}</button>
            </div>
        </Modal>
    }
}
