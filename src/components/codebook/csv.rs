//! Codebook CSV (`name,description,parent`): reading a file into the import preview (the codes
//! to add, in tree order with their paths, and the problems by line). The worker reads the file
//! (`worker_client::csv_import`) and writes the preview out (core's `ImportShown::codebook`,
//! markup put in as it is). Exporting is
//! `pseudonyms::CsvExportButton` (it checks for real names of the key first).

use super::dialogs::Dialog;
use super::plural;
use crate::components::dialog::Dialog as Modal;
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
    html! {
        <Modal title="Import codebook" on_close={close} class="import-codebook">
            {Html::from_html_unchecked(shown.markup.clone().into())}
            <div class="dialog-actions">
                <button class="primary" disabled={!shown.changes} onclick={confirm}>
                    {format!("Import {}", plural(n, "code", "codes"))}
                </button>
                <button onclick={cancel}>{"Cancel"}</button>
            </div>
        </Modal>
    }
}
