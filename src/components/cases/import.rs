//! Importing a case table CSV: reading the file and the preview of what it changes (new cases,
//! new attributes with their inferred types, values set and cleared, problems by line);
//! confirming applies it as one undo step. The worker reads the file
//! (`worker_client::csv_import`) and writes the preview out (core's `ImportShown::case_table`,
//! markup put in as it is).

use super::Dialog;
use crate::components::dialog::Dialog as Modal;
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
    let dispatch = &props.dispatch;
    let close = props.on_close.clone();
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
            {Html::from_html_unchecked(shown.markup.clone().into())}
            <div class="dialog-actions">
                <button class="primary" disabled={!shown.changes} onclick={confirm}>{"Import"}</button>
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
