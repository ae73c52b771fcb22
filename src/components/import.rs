//! Importing source files: read each file, turn it into text (every format, plain text and
//! Markdown too, in the file-reader Web Worker, see `crate::worker_client`: the decoding and the
//! speaker detection stay out of the main wasm), spot duplicates, report a result per file. Long batches yield to the browser so progress stays
//! visible.

use crate::components::dialog::Dialog;
use crate::state::{now, BrowserIds};
use crate::worker_client;
use framewise_core::import::{find_duplicate, guess_kind, too_large, MAX_FILE_BYTES};
use framewise_core::protocol::ImportedSource;
use framewise_core::{IdSource, Project, Source};
use std::rc::Rc;
use yew::prelude::*;

/// Every extension the app imports, each read in the worker (core's default formats, `formats`
/// and `pdf` features). The worker's tests
/// check this list against what its readers accept.
pub const EXTENSIONS: &[&str] = &[
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".docx",
    ".odt",
    ".rtf",
    ".html",
    ".htm",
    ".pdf",
    ".vtt",
    ".srt",
];

/// The file picker's `accept` attribute: [`EXTENSIONS`] and the matching media types.
pub fn accept_attr() -> String {
    let mut accept = EXTENSIONS.join(",");
    accept.push_str(",text/plain,text/markdown");
    accept
}

/// The formats and limits, for a hint beside the import control.
pub fn limits_note() -> String {
    format!(
        "Text, Markdown, Word (.docx), OpenDocument (.odt), RTF, HTML, PDF (text layer), \
         WebVTT and SubRip subtitles; up to {} MB per file.",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

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
    /// Sources ready to add (filled in when the batch is finished: progress updates, which the
    /// UI state clones, carry no sources).
    pub ready: Rc<Vec<Source>>,
    /// Duplicates waiting for the user's decision (likewise).
    pub duplicates: Rc<Vec<Source>>,
    /// True when the user was asked about duplicates and has not answered.
    pub asking: bool,
    /// Set when the user cancelled.
    pub cancelled: bool,
}

/// Files read at once: the page reads the next files' bytes and posts them to the worker while
/// the worker decodes earlier ones and the page adds their results, instead of one round trip
/// after another (100 files of 10,000 words: 1.7 s one by one). Few enough that a queued file
/// never waits long behind slow ones (the worker's time limit counts from the request).
const IN_FLIGHT: usize = 8;

/// How often the progress is shown while a batch is read (each update renders the workbench
/// with the results so far: every 12 ms cost a tenth of a 100-file import).
const PROGRESS_EVERY_MS: f64 = 80.0;

/// A file being read: its name, the file (to read it again) and its result, coming or come.
struct Reading {
    name: String,
    file: web_sys::File,
    result: Read,
}

/// The result of reading a file in the worker: to come, or come.
enum Read {
    Coming(futures_channel::oneshot::Receiver<Result<ImportedSource, String>>),
    Come(Result<ImportedSource, String>),
}

impl Read {
    /// The result, once it has come.
    async fn get(self) -> Result<ImportedSource, String> {
        match self {
            Read::Coming(receiver) => receiver
                .await
                .unwrap_or_else(|_| Err("the file could not be read".to_string())),
            Read::Come(result) => result,
        }
    }
}

/// Starts reading `file` in the worker.
fn start_reading(file: web_sys::File) -> Reading {
    let (sender, receiver) = futures_channel::oneshot::channel();
    let (name, reading) = (file.name(), file.clone());
    let asked = name.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = sender.send(read_one(&reading, &asked).await);
    });
    Reading {
        name,
        file,
        result: Read::Coming(receiver),
    }
}

/// True when reading failed only because the worker crashed or was stopped (on this file or
/// on another one in flight with it).
fn worker_lost(read: &Result<ImportedSource, String>) -> bool {
    matches!(read, Err(e) if e == worker_client::CRASHED || e == worker_client::STOPPED)
}

/// Reads and decodes `files` (several in flight, results taken in the files' order), reporting
/// progress through `update` every [`PROGRESS_EVERY_MS`] (and yielding to the browser then, so
/// the progress bar paints). When the worker crashes (or is stopped) every file in flight
/// fails with it, not only the one that crashed it: from then on files are read one at a time
/// and each that failed so is read again alone, so only the file that crashes the reader is
/// reported as crashing it.
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
    let mut sources = Sources::default();
    let mut files = files.into_iter();
    let mut reading = std::collections::VecDeque::with_capacity(IN_FLIGHT);
    let mut in_flight = IN_FLIGHT;
    loop {
        while reading.len() < in_flight && !cancelled.get() {
            let Some(file) = files.next() else { break };
            reading.push_back(start_reading(file));
        }
        let Some(Reading { name, file, result }) = reading.pop_front() else {
            break;
        };
        if cancelled.get() {
            // Files still in flight are dropped unread, as files after a cancel always were.
            batch.cancelled = true;
            break;
        }
        let mut read = result.get().await;
        if worker_lost(&read) {
            // One file at a time from now on; the files in flight have their results first
            // (a new worker may have started some), so this file is read again alone.
            in_flight = 1;
            for waiting in reading.iter_mut() {
                let result = std::mem::replace(&mut waiting.result, Read::Come(Err(String::new())));
                waiting.result = Read::Come(result.get().await);
            }
            read = read_one(&file, &name).await;
        }
        match read {
            Err(reason) => batch.results.push(FileResult {
                file: name,
                outcome: FileOutcome::Failed(reason),
            }),
            Ok(imported) => add_imported(&mut batch, &mut sources, &project, &name, imported),
        }
        batch.done += 1;
        if performance_now() - last_yield > PROGRESS_EVERY_MS {
            update.emit(batch.clone());
            yield_to_browser().await;
            last_yield = performance_now();
        }
    }
    batch.finished = true;
    batch.ready = Rc::new(sources.ready);
    batch.duplicates = Rc::new(sources.duplicates);
    batch.asking = !batch.duplicates.is_empty();
    update.emit(batch.clone());
    batch
}

/// One file read by the worker (text, encoding, notices, turns), or why not (a sentence). Every
/// extension, including unknown ones, goes to the worker, whose readers know every format and
/// whose error lists them all.
async fn read_one(file: &web_sys::File, name: &str) -> Result<ImportedSource, String> {
    let size = file.size();
    if size > MAX_FILE_BYTES as f64 {
        return Err(too_large(size as usize));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "the browser could not read the file".to_string())?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    worker_client::import(name, bytes).await
}

/// The sources a running batch has read: ready to add, and duplicates.
#[derive(Default)]
struct Sources {
    ready: Vec<Source>,
    duplicates: Vec<Source>,
}

fn add_imported(
    batch: &mut ImportBatch,
    sources: &mut Sources,
    project: &Project,
    name: &str,
    imported: ImportedSource,
) {
    let kind = guess_kind(name, &imported.text);
    let source = imported.to_source(BrowserIds.source_id(), kind, now());
    let earlier = sources
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
        sources.duplicates.push(source);
    } else {
        batch.results.push(FileResult {
            file: name.to_string(),
            outcome: FileOutcome::Imported {
                chars: imported.text.chars().count(),
                encoding: imported.encoding,
                notices: imported.notices,
            },
        });
        sources.ready.push(source);
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
    // Files not imported are listed once, under "Files not imported".
    let rows = b.results.iter().filter(|r| !matches!(r.outcome, FileOutcome::Failed(_))).map(|r| {
        let (class, text) = match &r.outcome {
            FileOutcome::Imported { encoding, chars, notices } => {
                let mut t = format!("Imported: {}, {encoding}", framewise_core::words::count(*chars, "character", "characters"));
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
    let failures: Vec<Html> = b
        .results
        .iter()
        .filter_map(|r| match &r.outcome {
            FileOutcome::Failed(reason) => Some(html! {
                <li class="file-result error"><strong>{&r.file}</strong>{": "}{reason}</li>
            }),
            _ => None,
        })
        .collect();
    let failed = failures.len();
    let title = if b.finished {
        "Import results"
    } else {
        "Importing sources"
    };
    let close = props.on_close.clone();
    let cancel = props.on_cancel.clone();
    let on_dup = props.on_duplicates.clone();
    let on_dup2 = props.on_duplicates.clone();
    // The safe answer to the duplicate question (skip) is the default and has the focus.
    let skip_ref = use_node_ref();
    {
        let skip_ref = skip_ref.clone();
        use_effect_with(b.asking, move |asking| {
            if *asking {
                if let Some(button) = skip_ref.cast::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }
        });
    }
    html! {
        <Dialog title={title} on_close={if b.finished { close.clone() } else { cancel.clone() }}>
            <progress max={b.total.to_string()} value={b.done.to_string()} aria-label="Import progress"></progress>
            <p role="status">
                if b.finished {
                    {format!("{} of {} read", framewise_core::words::thousands(b.done), framewise_core::words::count(b.total, "file", "files"))}
                    if failed > 0 { {format!(", {} not imported", framewise_core::words::thousands(failed))} }
                } else {
                    {format!("Importing {} of {}…", framewise_core::words::thousands((b.done + 1).min(b.total)), framewise_core::words::thousands(b.total))}
                }
            </p>
            <p class="muted import-limits">{limits_note()}</p>
            if b.finished && failed > 0 {
                <section class="import-failures" aria-label="Files not imported">
                    <h3>{format!("Not imported ({failed})")}</h3>
                    <ul class="file-results" aria-label="Files not imported">{for failures}</ul>
                </section>
            }
            <ul class="file-results" aria-label="Results per file">{for rows}</ul>
            if b.asking {
                <div class="duplicate-question" role="group" aria-label="Duplicates">
                    <p>{match b.duplicates.len() {
                        1 => "1 file has exactly the same text as a source already in the project. Import it anyway?".to_string(),
                        n => format!("{} have exactly the same text as a source already in the project. Import them anyway?", framewise_core::words::count(n, "file", "files")),
                    }}</p>
                    <button onclick={move |_| on_dup.emit(true)}>{"Import anyway"}</button>
                    <button class="primary" ref={skip_ref} autofocus=true onclick={move |_| on_dup2.emit(false)}>{"Skip duplicates"}</button>
                </div>
            } else if b.finished {
                <div class="dialog-actions"><button class="primary" onclick={move |_| close.emit(())}>{"Done"}</button></div>
            } else {
                <div class="dialog-actions"><button onclick={move |_| cancel.emit(())}>{"Cancel"}</button></div>
            }
        </Dialog>
    }
}
