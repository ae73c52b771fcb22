//! The home screen's "Import REFI-QDA project (.qdpx)…": the file read in the worker, a summary
//! of what was found (counts, sources skipped, selections not placed, notes), and opening it as
//! a new project.

use super::worker::import_file;
use super::{chosen_file, failure_dialog, first_file, Failure};
use crate::components::dialog::Dialog;
use framewise_core::refi::RefiReport;
use framewise_core::words::count;
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
    summary: RefiReport,
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
                            summary,
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
                <p>{format!("“{}”", i.project.name)}
                    if let Some(origin) = &i.summary.origin {
                        <span class="muted">{format!(" — written by {origin}")}</span>
                    }
                </p>
                {summary_table(&i.summary)}
                {summary_notes(&i.summary)}
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

fn summary_table(s: &RefiReport) -> Html {
    let skipped: usize = s.skipped_sources.values().sum();
    let rows = [
        ("Sources", s.sources),
        ("Codes", s.codes),
        ("Codings", s.codings),
        ("Cases", s.cases),
        ("Sets", s.sets),
        ("Selections that could not be placed", s.unplaced.len()),
        ("Sources skipped", skipped),
    ];
    html! {
        <table class="refi-summary" aria-label="Import summary">
            <tbody>
                {for rows.iter().map(|(label, n)| html! {
                    <tr><th scope="row">{*label}</th><td>{*n}</td></tr>
                })}
            </tbody>
        </table>
    }
}

fn summary_notes(s: &RefiReport) -> Html {
    let skipped = (!s.skipped_sources.is_empty()).then(|| {
        html! {
            <section aria-label="Sources skipped">
                <h3>{"Sources skipped"}</h3>
                <ul>
                    {for s.skipped_sources.iter().map(|(kind, n)| html! {
                        <li>{format!("{}: {n}", capitalised(kind))}</li>
                    })}
                </ul>
                <p class="muted">{"Framewise works with text; these sources are not in the new project."}</p>
            </section>
        }
    });
    let unplaced = (!s.unplaced.is_empty()).then(|| {
        html! {
            <details>
                <summary>{format!("{} could not be placed on their text", count(s.unplaced.len(), "selection", "selections"))}</summary>
                <ul>{for s.unplaced.iter().map(|u| html! { <li>{u}</li> })}</ul>
            </details>
        }
    });
    let mut notes: Vec<String> = Vec::new();
    if s.sidecar {
        notes.push("Framewise's own details were found and restored (matrices, speaker turns, case tree, code origins).".into());
    }
    if s.pseudonyms > 0 {
        notes.push(format!(
            "The file carries a pseudonymisation key ({}).",
            count(s.pseudonyms, "entry", "entries")
        ));
    }
    if s.rich_text_sources > 0 {
        notes.push(format!(
            "{} read from Word (.docx) rich text.",
            count(s.rich_text_sources, "source was", "sources were")
        ));
    }
    if s.unattached_notes > 0 {
        notes.push(format!(
            "{} attached to nothing Framewise keeps were left out.",
            count(s.unattached_notes, "note", "notes")
        ));
    }
    notes.extend(s.problems.iter().cloned());
    html! {
        <>
            {skipped.unwrap_or_default()}
            {unplaced.unwrap_or_default()}
            if !notes.is_empty() {
                <ul class="refi-notes">{for notes.iter().map(|n| html! { <li>{n}</li> })}</ul>
            }
        </>
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
