//! The home screen's "Import REFI-QDA project (.qdpx)…": the file read in the worker, a summary
//! of what was found (counts, sources skipped, selections not placed, notes: written out as
//! markup in the worker, core's `refi::import_summary`), and opening it as a new project.

use super::worker::import_file;
use super::{chosen_file, failure_dialog, first_file, Failure};
use crate::components::dialog::Dialog;
use framewise_core::Project;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`RefiImportButton`].
#[derive(Properties, PartialEq)]
pub struct RefiImportButtonProps {
    /// Opens the imported project as a new project.
    pub on_open: Callback<Project>,
}

#[derive(Clone, PartialEq)]
struct Imported {
    file: String,
    project: Rc<Project>,
    /// What the import found, as markup written (and escaped) in the worker.
    summary: AttrValue,
}

/// The home screen's "Import REFI-QDA project (.qdpx)…": reads the file in the worker, shows
/// what was found, and opens it as a new project on request.
#[component]
pub fn RefiImportButton(props: &RefiImportButtonProps) -> Html {
    let busy = use_state(|| None::<String>);
    let imported = use_state(|| None::<Imported>);
    let failure = use_state(|| None::<Failure>);

    let on_change = {
        let busy = busy.clone();
        let imported = imported.clone();
        let failure = failure.clone();
        Callback::from(move |e: Event| {
            let Some(file) = first_file(&e) else { return };
            let busy = busy.clone();
            let imported = imported.clone();
            let failure = failure.clone();
            busy.set(Some(file.name()));
            spawn_local(async move {
                let result = match chosen_file(file).await {
                    Ok((name, bytes)) => import_file(&name, &bytes)
                        .await
                        .map(|(project, summary)| Imported {
                            file: name.clone(),
                            project: Rc::new(project),
                            summary: AttrValue::from(summary),
                        })
                        .map_err(|reason| Failure { file: name, reason }),
                    Err(f) => Err(f),
                };
                busy.set(None);
                match result {
                    Ok(i) => imported.set(Some(i)),
                    Err(f) => failure.set(Some(f)),
                }
            });
        })
    };

    let summary_dialog = (*imported).clone().map(|i| {
        let close = {
            let imported = imported.clone();
            Callback::from(move |_| imported.set(None))
        };
        let open = {
            let imported = imported.clone();
            let on_open = props.on_open.clone();
            let project = i.project.clone();
            Callback::from(move |_| {
                imported.set(None);
                on_open.emit(project.as_ref().clone());
            })
        };
        html! {
            <Dialog title={format!("Import {}", i.file)} on_close={close.clone()} class="refi-dialog">
                {Html::from_html_unchecked(i.summary.clone())}
                <div class="dialog-actions">
                    <button type="button" onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button type="button" class="primary" onclick={open}>{"Open as new project"}</button>
                </div>
            </Dialog>
        }
    });
    let failure_view = (*failure).clone().map(|f| {
        let failure = failure.clone();
        failure_dialog(&f, Callback::from(move |_| failure.set(None)))
    });

    html! {
        <>
            <label class={classes!("button", "file-button", busy.is_some().then_some("busy"))}>
                {"Import REFI-QDA project (.qdpx)…"}
                <input type="file" accept=".qdpx,.qdc" onchange={on_change} class="visually-hidden"
                    aria-label="Import REFI-QDA project (.qdpx)" disabled={busy.is_some()} />
            </label>
            if let Some(file) = &*busy {
                <span class="refi-busy" role="status">{format!("Reading {file}…")}</span>
            }
            {summary_dialog.unwrap_or_default()}
            {failure_view.unwrap_or_default()}
        </>
    }
}
