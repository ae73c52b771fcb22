//! Importing sources into the open project: the toolbar's file input and files dropped on the
//! window start a batch (`components::import::run_import`); its progress and results show in the
//! import dialog (the UI state's `Dialog::Import`), which also asks about duplicates.

use super::ui::UiAction;
use crate::components::import::{run_import, FileOutcome, ImportBatch, ImportDialog};
use crate::dom;
use crate::state::{Msg, Workspace};
use framewise_core::{Action, Project};
use std::cell::Cell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The import's handles: start a batch, cancel the running one.
#[derive(Clone, PartialEq)]
pub struct Importer {
    /// Import these files.
    pub start: Callback<Vec<web_sys::File>>,
    /// Cancel the running batch.
    pub cancel: Callback<()>,
}

/// Imports through the workspace's dispatcher; progress goes to the UI state.
#[hook]
pub fn use_importer(
    ws: UseReducerDispatcher<Workspace>,
    project: Rc<Project>,
    ui: Callback<UiAction>,
) -> Importer {
    let cancel_flag = use_mut_ref(|| Rc::new(Cell::new(false)));
    let latest_project = crate::hooks::use_latest(project);
    let start = {
        let cancel_flag = cancel_flag.clone();
        use_callback((), move |files: Vec<web_sys::File>, _| {
            if files.is_empty() {
                return;
            }
            let cancel = Rc::new(Cell::new(false));
            *cancel_flag.borrow_mut() = cancel.clone();
            let update = {
                let ui = ui.clone();
                Callback::from(move |b: ImportBatch| ui.emit(UiAction::ImportProgress(b)))
            };
            let Some(project) = latest_project.get() else {
                return;
            };
            // Only a project that has a key offers it to what is imported now.
            let has_key = !project.pseudonyms.is_empty();
            let ws = ws.clone();
            let ui = ui.clone();
            spawn_local(async move {
                let batch = run_import(files, project, cancel, update).await;
                if !batch.ready.is_empty() && !batch.cancelled {
                    ui.emit(UiAction::Imported(batch.ready.first().map(|s| s.id)));
                    if has_key {
                        ui.emit(UiAction::OfferKey(
                            batch.ready.iter().map(|s| s.id).collect(),
                        ));
                    }
                    ws.dispatch(Msg::Do(Action::AddSources {
                        sources: batch.ready.to_vec(),
                    }));
                }
            });
        })
    };
    let cancel = use_callback((), move |_: (), _| cancel_flag.borrow().set(true));
    Importer { start, cancel }
}

/// The toolbar's file input's `onchange`.
pub fn on_file_input(importer: &Importer) -> Callback<Event> {
    let start = importer.start.clone();
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let files = dom::files_of(input.files());
        input.set_value("");
        start.emit(files);
    })
}

/// Drop handlers of the workbench: `(ondrop, ondragover, ondragleave)`.
pub fn drop_handlers(
    importer: &Importer,
    ui: &Callback<UiAction>,
) -> (
    Callback<DragEvent>,
    Callback<DragEvent>,
    Callback<DragEvent>,
) {
    let ondrop = {
        let start = importer.start.clone();
        let ui = ui.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            ui.emit(UiAction::DragOver(false));
            start.emit(dom::files_of(e.data_transfer().and_then(|d| d.files())));
        })
    };
    let ondragover = {
        let ui = ui.clone();
        Callback::from(move |e: DragEvent| {
            let has_files = e
                .data_transfer()
                .map(|d| {
                    d.types()
                        .iter()
                        .any(|t| t.as_string().as_deref() == Some("Files"))
                })
                .unwrap_or(false);
            if has_files {
                e.prevent_default();
                ui.emit(UiAction::DragOver(true));
            }
        })
    };
    let ondragleave = {
        let ui = ui.clone();
        Callback::from(move |_: DragEvent| ui.emit(UiAction::DragOver(false)))
    };
    (ondrop, ondragover, ondragleave)
}

/// Props of [`ImportResults`].
#[derive(Properties, PartialEq)]
pub struct ImportResultsProps {
    /// The batch.
    pub batch: ImportBatch,
    /// The import's handles.
    pub importer: Importer,
    /// Apply a change.
    pub dispatch: Callback<Action>,
    /// Change the UI state.
    pub ui: Callback<UiAction>,
    /// The project has a pseudonymisation key (offered to duplicates imported too).
    pub has_key: bool,
}

/// The import dialog of a batch, with the answer to the duplicate question.
#[component]
pub fn ImportResults(props: &ImportResultsProps) -> Html {
    let on_close = {
        let ui = props.ui.clone();
        Callback::from(move |_| ui.emit(UiAction::CloseDialog))
    };
    let on_duplicates = {
        let batch = props.batch.clone();
        let ui = props.ui.clone();
        let dispatch = props.dispatch.clone();
        let has_key = props.has_key;
        Callback::from(move |yes: bool| {
            let mut b = batch.clone();
            b.asking = false;
            if yes && !b.duplicates.is_empty() {
                ui.emit(UiAction::Imported(b.duplicates.first().map(|s| s.id)));
                dispatch.emit(Action::AddSources {
                    sources: b.duplicates.to_vec(),
                });
                if has_key {
                    ui.emit(UiAction::OfferKey(
                        b.duplicates.iter().map(|s| s.id).collect(),
                    ));
                }
                for r in b.results.iter_mut() {
                    if let FileOutcome::Duplicate { imported, .. } = &mut r.outcome {
                        *imported = true;
                    }
                }
            }
            ui.emit(UiAction::ImportProgress(b));
        })
    };
    html! {
        <ImportDialog batch={props.batch.clone()} on_cancel={props.importer.cancel.clone()} {on_close} {on_duplicates} />
    }
}
