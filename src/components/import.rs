//! Importing source files: read each file, decode it through core's importers, spot duplicates,
//! report a result per file. Long batches yield to the browser so progress stays visible.

use crate::components::dialog::Dialog;
use crate::dom;
use crate::state::{now, BrowserIds};
use framewise_core::import::{find_duplicate, guess_kind, import_file, to_source, ImportedText};
use framewise_core::{IdSource, Project, Source};
use yew::prelude::*;

/// What happened to one file.
#[derive(Clone, PartialEq, Debug)]
pub enum FileOutcome {
    /// Imported (or ready to import).
    Imported {
        /// Encoding detected.
        encoding: String,
        /// Characters of text.
        chars: usize,
        /// Notices from the importer.
        notices: Vec<String>,
    },
    /// Same text as an existing source (or an earlier file of this batch).
    Duplicate {
        /// Name of the source it repeats.
        of: String,
        /// True once the user chose to import it anyway.
        imported: bool,
    },
    /// Refused, with the reason.
    Failed(String),
}

/// One file's line in the results.
#[derive(Clone, PartialEq, Debug)]
pub struct FileResult {
    /// File name.
    pub file: String,
    /// Outcome.
    pub outcome: FileOutcome,
}

/// Progress and results of an import batch.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct ImportBatch {
    /// Files read so far.
    pub done: usize,
    /// Files in the batch.
    pub total: usize,
    /// Per-file results.
    pub results: Vec<FileResult>,
    /// True when every file has been read.
    pub finished: bool,
    /// Sources ready to add.
    pub ready: Vec<Source>,
    /// Duplicates waiting for the user's decision.
    pub duplicates: Vec<Source>,
    /// True when the user was asked about duplicates and has not answered.
    pub asking: bool,
    /// Set when the user cancelled.
    pub cancelled: bool,
}

/// Reads and decodes `files` one by one, reporting progress through `update`. Yields to the
/// browser every ~12 ms of work so the progress bar paints.
pub async fn run_import(
    files: Vec<web_sys::File>,
    project: std::rc::Rc<Project>,
    cancelled: std::rc::Rc<std::cell::Cell<bool>>,
    update: Callback<ImportBatch>,
) -> ImportBatch {
    let mut batch = ImportBatch {
        total: files.len(),
        ..Default::default()
    };
    update.emit(batch.clone());
    let mut last_yield = performance_now();
    for file in files {
        if cancelled.get() {
            batch.cancelled = true;
            break;
        }
        let name = file.name();
        let outcome = match dom::read_file_bytes(&file).await {
            Err(e) => Err(e),
            Ok(bytes) => import_file(&name, &bytes).map_err(|e| e.to_string()),
        };
        match outcome {
            Err(reason) => batch.results.push(FileResult {
                file: name,
                outcome: FileOutcome::Failed(reason),
            }),
            Ok(imported) => add_imported(&mut batch, &project, &name, imported),
        }
        batch.done += 1;
        if performance_now() - last_yield > 12.0 {
            update.emit(batch.clone());
            yield_to_browser().await;
            last_yield = performance_now();
        }
    }
    batch.finished = true;
    batch.asking = !batch.duplicates.is_empty();
    update.emit(batch.clone());
    batch
}

fn add_imported(batch: &mut ImportBatch, project: &Project, name: &str, imported: ImportedText) {
    let kind = guess_kind(name, &imported.text);
    let source = to_source(&imported, BrowserIds.source_id(), kind, now());
    let earlier = batch
        .ready
        .iter()
        .find(|s| s.text.len() == source.text.len() && s.text == source.text)
        .map(|s| s.name.clone());
    let existing = find_duplicate(project, &imported.text).map(|s| s.name.clone());
    if let Some(of) = existing.or(earlier) {
        batch.results.push(FileResult {
            file: name.to_string(),
            outcome: FileOutcome::Duplicate {
                of,
                imported: false,
            },
        });
        batch.duplicates.push(source);
    } else {
        batch.results.push(FileResult {
            file: name.to_string(),
            outcome: FileOutcome::Imported {
                encoding: imported.encoding.to_string(),
                chars: imported.text.chars().count(),
                notices: imported.notices.clone(),
            },
        });
        batch.ready.push(source);
    }
}

fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

async fn yield_to_browser() {
    gloo::timers::future::TimeoutFuture::new(0).await;
}

/// Props of [`ImportDialog`].
#[derive(Properties, PartialEq)]
pub struct ImportDialogProps {
    /// The batch shown.
    pub batch: ImportBatch,
    /// Cancel a running import.
    pub on_cancel: Callback<()>,
    /// Answer about duplicates: true = import them too.
    pub on_duplicates: Callback<bool>,
    /// Close the results.
    pub on_close: Callback<()>,
}

/// Progress, per-file results and the duplicate question.
#[component]
pub fn ImportDialog(props: &ImportDialogProps) -> Html {
    let b = &props.batch;
    let rows = b.results.iter().map(|r| {
        let (class, text) = match &r.outcome {
            FileOutcome::Imported { encoding, chars, notices } => {
                let mut t = format!("Imported: {chars} characters, {encoding}");
                for n in notices {
                    t.push_str(". ");
                    t.push_str(n);
                }
                ("ok", t)
            }
            FileOutcome::Duplicate { of, imported: true } => ("warn", format!("Same text as “{of}”: imported anyway")),
            FileOutcome::Duplicate { of, imported: false } if b.asking => ("warn", format!("Same text as “{of}”")),
            FileOutcome::Duplicate { of, imported: false } => ("warn", format!("Same text as “{of}”: skipped")),
            FileOutcome::Failed(reason) => ("error", format!("Not imported: {reason}")),
        };
        html! { <li class={classes!("file-result", class)}><strong>{&r.file}</strong>{" — "}{text}</li> }
    });
    let failed = b
        .results
        .iter()
        .filter(|r| matches!(r.outcome, FileOutcome::Failed(_)))
        .count();
    let title = if b.finished {
        "Import results"
    } else {
        "Importing sources"
    };
    let close = props.on_close.clone();
    let cancel = props.on_cancel.clone();
    let on_dup = props.on_duplicates.clone();
    let on_dup2 = props.on_duplicates.clone();
    html! {
        <Dialog title={title} on_close={if b.finished { close.clone() } else { cancel.clone() }}>
            <progress max={b.total.to_string()} value={b.done.to_string()} aria-label="Import progress"></progress>
            <p role="status">{format!("{} of {} files read", b.done, b.total)}
                if b.finished && failed > 0 { {format!(", {failed} not imported")} }
            </p>
            <ul class="file-results" aria-label="Results per file">{for rows}</ul>
            if b.asking {
                <div class="duplicate-question" role="group" aria-label="Duplicates">
                    <p>{format!("{} file(s) have exactly the same text as a source already in the project. Import them anyway?", b.duplicates.len())}</p>
                    <button onclick={move |_| on_dup2.emit(false)}>{"Skip duplicates"}</button>
                    <button class="primary" onclick={move |_| on_dup.emit(true)}>{"Import anyway"}</button>
                </div>
            } else if b.finished {
                <div class="dialog-actions"><button class="primary" onclick={move |_| close.emit(())}>{"Done"}</button></div>
            } else {
                <div class="dialog-actions"><button onclick={move |_| cancel.emit(())}>{"Cancel"}</button></div>
            }
        </Dialog>
    }
}
