//! Codebook CSV (`name,description,parent`): reading a file into the import preview (the codes
//! to add, in tree order with their paths, and the problems by line). Exporting is
//! `pseudonyms::CsvExportButton` (it checks for real names of the key first).

use super::dialogs::Dialog;
use super::plural;
use crate::components::dialog::{csv_problems, Dialog as Modal};
use crate::dom;
use crate::state::{now, BrowserIds};
use framewise_core::code_tree::import_rows;
use framewise_core::codebook_csv::{parse_codebook_csv, CodebookImport};
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
    dom::on_csv_file(
        on_message.clone(),
        move |name, text| match parse_codebook_csv(&text, &project, &mut BrowserIds, now()) {
            Ok(import) => open.emit(Dialog::Import {
                file: name,
                import: Rc::new(import),
            }),
            Err(problem) => on_message.emit(format!("{name} is not a codebook CSV: {problem}.")),
        },
    )
}

/// Props of [`ImportDialog`].
#[derive(Properties, PartialEq)]
pub(super) struct ImportProps {
    pub project: Rc<Project>,
    /// The file's name.
    pub file: String,
    pub import: Rc<CodebookImport>,
    pub dispatch: Callback<Action>,
    pub on_close: Callback<()>,
}

/// The preview of a codebook CSV; confirming adds its codes as one undo step.
#[component]
pub(super) fn ImportDialog(props: &ImportProps) -> Html {
    let project = &props.project;
    let import = &props.import;
    let file = &props.file;
    let close = props.on_close.clone();
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    let n = import.codes.len();
    let confirm = {
        let dispatch = props.dispatch.clone();
        let close = close.clone();
        let codes = import.codes.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::ImportCodes {
                codes: codes.clone(),
            });
            close.emit(());
        })
    };
    let rows = import_rows(project, &import.codes)
        .into_iter()
        .map(|(path, code)| {
            html! {
                <li>
                    <span class="swatch" style={format!("background:{}", code.color)}></span>
                    <span class="import-path">{path}</span>
                    if !code.description.is_empty() {
                        <span class="import-description">{&code.description}</span>
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
            if !import.problems.is_empty() {
                <h3>{"Problems"}</h3>
                {csv_problems(&import.problems)}
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
