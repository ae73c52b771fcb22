//! The messages between the app and its file-reader Web Worker (`worker/`), typed once here and
//! used by both sides: the app (`src/worker_client.rs`) sends a [`ToWorker`] and reads a
//! [`FromWorker`]; the worker (`worker/src/js.rs`) does the opposite. Compiled without core's
//! heavy features (`formats`, `pdf`, `refi`): it holds only plain data.
//!
//! # On the wire
//! Each `postMessage` carries a plain object `{ message, bytes? }` (the field names are
//! [`MESSAGE`] and [`BYTES`]): `message` is the JSON of the envelope ([`ToWorker`] or
//! [`FromWorker`]) as UTF-8 in a `Uint8Array` whose buffer is transferred (a JS string would be
//! converted from and to UTF-16 on the way, and wasm-bindgen's conversion of a string into wasm
//! walks mostly-ASCII text one character at a time in JS: ~2 ms per 50 KB transcript, a second
//! for a study-sized project; see [`message_text`]); `bytes`, when the message has a file's bytes ([`Request::carries_bytes`],
//! [`Reply::Exported`]), is a `Uint8Array` whose buffer is *transferred*, not copied and never
//! JSON-encoded. Projects travel as project files ([`ProjectFile`], the `framewise-project`
//! JSON of `persist`), read back with the same loader as a file from disk, except the copy
//! the worker keeps for searches, charts, tables and suggestions: that one travels as stored
//! records ([`Request::Records`]), the whole project a source at a time and then each change
//! as the records it rewrote, read back as a reload reads them.
//!
//! The worker sends [`FromWorker::Ready`] once, when it can take requests (the app queues until
//! then), then one [`FromWorker::Answer`] per request: the [`Reply`] or a sentence naming the
//! reason. A worker that dies (a reader panicked) answers nothing: the app fails its pending
//! requests and starts a new worker (see `src/worker_client.rs`).

use crate::agreement::{Comparison, Written as AgreementWritten};
use crate::cases::CaseTableImport;
use crate::chart::{Choice as ChartChoice, Shown as ChartShown};
use crate::codebook_csv::CodebookImport;
use crate::crosstab::{CellShown, Choice as XtabChoice, Part as XtabPart};
pub use crate::csv::{CsvShown, ImportShown};
use crate::import::ImportedText;
use crate::memos::MemosShown;
#[allow(unused_imports)] // (named in the docs)
use crate::merge::{MergePlan, MergeSummary};
use crate::persist::{from_project_file, to_project_file, ProjectMeta};
use crate::project::{Project, Pseudonym, Timestamp, Turn};
use crate::pseudonym::shown::PseudonymShown;
#[allow(unused_imports)] // (named in the docs)
use crate::refi::CodebookMerge;
use crate::report::{ReportFormat, ReportOptions};
use crate::search::{Search, SearchShown, Shown};
use crate::share::LeaveOut;
use crate::span::Span;
use crate::suggest::{CodeSuggestion, ModelSummary, SuggestOptions, SuggestShown, Suggestion};
use crate::{CodeId, MatrixId, SourceId};
use serde::{Deserialize, Serialize};

/// The field of a posted object that holds the envelope's JSON.
pub const MESSAGE: &str = "message";
/// The field of a posted object that holds the bytes travelling beside the envelope.
pub const BYTES: &str = "bytes";

/// App → worker: one request and the id its answer will carry.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ToWorker {
    /// Chosen by the app, unique among its pending requests.
    pub id: u32,
    /// What to do.
    pub request: Request,
}

/// Worker → app.
// One message at a time, read and dropped at once: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker has started and takes requests.
    Ready,
    /// The answer to request `id`: a reply, or why not as a sentence for the researcher.
    Answer {
        /// The request's id.
        id: u32,
        /// The reply, or the reason.
        result: Result<Reply, String>,
    },
}

/// A project as a `framewise-project` file (JSON): how projects cross to and from the worker.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ProjectFile(pub String);

impl ProjectFile {
    /// The project written as a project file.
    pub fn of(project: &Project, now: Timestamp) -> Self {
        Self(to_project_file(project, &ProjectMeta::new(now)))
    }

    /// The project read back (with the loader's checks); the error is a sentence.
    pub fn load(&self) -> Result<Project, String> {
        from_project_file(&self.0)
            .map(|loaded| loaded.project)
            .map_err(|e| e.to_string())
    }
}

/// The worker's answer to a [`Request::Search`] or [`Request::Chart`] without a project when it
/// keeps none (it was never sent one, or it restarted): the app sends the project again.
pub const NO_PROJECT_TO_SEARCH: &str = "there is no project to search: it was not sent";

/// A typed value carried as its own JSON text inside the envelope, decoded only where it is read
/// ([`Json::get`]). The app's main wasm then contains a payload's (de)serialisation only if some
/// code of the app uses it, not merely because the envelope can carry it (every variant of
/// [`Reply`] is otherwise in the app's one `FromWorker` decoder: see ARCHITECTURE.md, "Main wasm
/// size"). Used by code suggestions, whose replies only their own view reads.
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct Json<T> {
    text: String,
    #[serde(skip)]
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for Json<T> {
    fn clone(&self) -> Self {
        Self {
            text: self.text.clone(),
            kind: std::marker::PhantomData,
        }
    }
}

impl<T> PartialEq for Json<T> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<T> Eq for Json<T> {}

impl<T> std::fmt::Debug for Json<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Json({})", self.text)
    }
}

impl<T: Serialize> Json<T> {
    /// `value` as JSON (plain data: writing it cannot fail).
    pub fn of(value: &T) -> Self {
        Self {
            text: encode(value),
            kind: std::marker::PhantomData,
        }
    }
}

impl<T: for<'a> Deserialize<'a>> Json<T> {
    /// The value back; the error is a sentence.
    pub fn get(&self) -> Result<T, String> {
        decode(&self.text)
    }
}

/// What is asked of the worker's model of code suggestions ([`Request::Suggest`]).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum SuggestAsk {
    /// "Find more like this": a [`SuggestReply::Suggestions`] (at most `limit`, best first).
    More {
        /// The code.
        code: CodeId,
        /// At most this many passages.
        limit: usize,
    },
    /// The researcher's answer to a suggestion: the model learns it (accepted: a positive,
    /// rejected: a negative that never comes back for `code`) and answers with the new ranking,
    /// a [`SuggestReply::Suggestions`].
    Answer {
        /// The code.
        code: CodeId,
        /// The passage's source.
        source: SourceId,
        /// The passage (UTF-8 byte offsets).
        span: Span,
        /// Accepted (true) or rejected.
        accepted: bool,
        /// At most this many passages in the new ranking.
        limit: usize,
    },
    /// "Suggest codes" for a passage: a [`SuggestReply::Codes`].
    Codes {
        /// The passage's source.
        source: SourceId,
        /// The passage (UTF-8 byte offsets).
        span: Span,
        /// At most this many codes.
        limit: usize,
    },
}

/// The worker's model of code suggestions answers ([`Reply::Suggested`]).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum SuggestReply {
    /// The model is built and kept: what it holds.
    Model(ModelSummary),
    /// Passages suggested for a code, best first.
    Suggestions(Vec<Suggestion>),
    /// Codes suggested for a passage, best first.
    Codes(Vec<CodeSuggestion>),
}

/// The worker's answer to a suggestion request when it holds no model of code suggestions (it
/// was never asked to build one, or it restarted): the app sends [`Request::SuggestModel`].
pub const NO_SUGGEST_MODEL: &str =
    "there is no model of code suggestions: it was not built in this session";

/// A REFI-QDA export format.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum RefiFormat {
    /// A whole project (zip of project.qde and the source texts).
    Qdpx,
    /// A codebook only (XML).
    Qdc,
}

impl RefiFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Qdpx => "qdpx",
            Self::Qdc => "qdc",
        }
    }
}

/// A matrix export the worker writes (CSV is small and written in the page).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum MatrixFormat {
    /// An Excel workbook.
    Xlsx,
    /// A printable HTML page.
    Html,
}

/// What the app asks of the worker.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Request {
    /// Read a source file (its bytes travel beside): an [`Reply::Imported`].
    Import {
        /// The file's name (its extension picks the reader).
        file_name: String,
    },
    /// Read a REFI-QDA project (.qdpx) or codebook (.qdc) (its bytes travel beside) into a new
    /// project: a [`Reply::RefiImported`].
    RefiImport {
        /// The file's name (.qdpx or .qdc).
        file_name: String,
        /// Now, in ms since the epoch (the worker has no opinion about the clock).
        now: Timestamp,
    },
    /// Write a project as REFI-QDA: a [`Reply::Exported`].
    RefiExport {
        /// The project (its pseudonymisation key only when it is to be exported).
        project: ProjectFile,
        /// Which REFI-QDA file.
        format: RefiFormat,
        /// Put the pseudonymisation key in the `.qdpx` sidecar (off unless asked for).
        include_pseudonym_key: bool,
    },
    /// Plan merging the codebook of a REFI-QDA file (.qdc or .qdpx; its bytes travel beside)
    /// into a project: a [`Reply::MergePlan`].
    RefiMergePlan {
        /// The project merged into.
        project: ProjectFile,
        /// The file's name (.qdpx or .qdc).
        file_name: String,
        /// Now, in ms since the epoch.
        now: Timestamp,
    },
    /// Plan merging another project — a Framewise project file (`.json`) or a REFI-QDA project
    /// (`.qdpx`), its bytes travel beside — into a project: a [`Reply::ProjectMergePlan`]
    /// (`crate::merge`), or the file's problem as a sentence naming it.
    ProjectMergePlan {
        /// The project merged into.
        project: ProjectFile,
        /// The other file's name (its extension says how to read it).
        file_name: String,
        /// Now, in ms since the epoch (a `.qdpx` without dates is dated now).
        now: Timestamp,
    },
    /// A matrix as an XLSX workbook or a printable HTML page: a [`Reply::Exported`].
    MatrixExport {
        /// The project holding the matrix.
        project: ProjectFile,
        /// The matrix.
        matrix: MatrixId,
        /// Workbook or page.
        format: MatrixFormat,
        /// XLSX only: add the Quotes sheet.
        with_quotes: bool,
    },
    /// A crosstab or co-occurrence table (`crate::crosstab`), computed here so the page holds
    /// neither the counting nor its blocking (issue 12): what [`TableAsk`] asks of the table
    /// `choice` describes. Like [`Request::Search`], it goes without the project while the worker
    /// keeps the one last sent.
    Crosstab {
        /// The project (the app sends it as shown under its coder filter), or `None` for the
        /// kept one (see [`Request::Search`]).
        project: Option<ProjectFile>,
        /// The table: crosstab or co-occurrence, columns, count, percentages, flags.
        choice: XtabChoice,
        /// What is wanted of it.
        ask: TableAsk,
    },
    /// A report (`crate::report`) written as HTML, Markdown, DOCX, CSV or XLSX: a
    /// [`Reply::Exported`] with the format's media type.
    Report {
        /// The project reported on.
        project: ProjectFile,
        /// Which report, grouping, filters, attribution and quote trimming.
        options: ReportOptions,
        /// The file written.
        format: ReportFormat,
    },
    /// The same project with new ids for everything (a copy that can sit beside the original
    /// in storage): a [`Reply::Project`].
    FreshCopy {
        /// The project to copy.
        project: ProjectFile,
    },
    /// Build the demo project (its 40 KB of text live in the worker): a [`Reply::Project`].
    Demo {
        /// Now, in ms since the epoch (every timestamp of the demo).
        now: Timestamp,
    },
    /// Search the sources of a project (`crate::search`): a [`Reply::Searched`], or the
    /// query's problem as the answer's sentence.
    Search {
        /// The project, or `None` to search the one the worker keeps (the last project file
        /// sent with a request, or the copy sent as [`Request::Records`]; the app sends it that
        /// way, so searches do not carry the text); an error when there is none.
        project: Option<ProjectFile>,
        /// The query, its options, scope and limit.
        search: Search,
        /// What to answer: the hits' places, or the results view written out.
        #[serde(default)]
        shown: Shown,
    },
    /// Intercoder agreement (`crate::agreement::compare`) and the passages where the first two
    /// coders differ (`disagreements`): a [`Reply::Agreement`]. Like [`Request::Search`], it goes
    /// without the project while the worker keeps the one last sent.
    Agreement {
        /// The project, or `None` for the kept one (see [`Request::Search`]).
        project: Option<ProjectFile>,
        /// The coders, sources, codes and unit compared.
        comparison: Comparison,
    },
    /// Build the model of code suggestions (`crate::suggest`) for a project and keep it in the
    /// worker: a [`Reply::Suggested`] with a [`SuggestReply::Model`]. A model of the same project
    /// built before gives its rejections to the new one (rejected passages stay away). The app
    /// never decodes that reply's payload (a [`Json`]), only its kind.
    SuggestModel {
        /// The project (its own coding is what the model learns from), or `None` for the kept
        /// one (see [`Request::Search`]).
        project: Option<ProjectFile>,
        /// The units suggested, the sources, stemming.
        options: Json<SuggestOptions>,
    },
    /// Ask the kept model ([`SuggestAsk`]): a [`Reply::Suggested`], or [`NO_SUGGEST_MODEL`].
    Suggest(Json<SuggestAsk>),
    /// The same, answered written out for the page: a [`Reply::SuggestShown`] (what the app
    /// asks, so that its main wasm decodes two strings instead of the suggestions' types), or
    /// [`NO_SUGGEST_MODEL`].
    SuggestShown(Json<SuggestAsk>),
    /// Draw a chart (`crate::chart`) and write the Charts view's controls: a [`Reply::Chart`].
    Chart {
        /// The project, when it is not the one the worker keeps (from the last search or chart
        /// that carried one); `None` charts that kept project (an error when there is none).
        project: Option<ProjectFile>,
        /// What the view's controls chose: which chart, of which codes, attribute or source.
        choice: ChartChoice,
    },
    /// The memo list (`crate::memos::shown`) written out for the Memos view: a
    /// [`Reply::Memos`]. Like [`Request::Search`], it goes without the project while the worker
    /// keeps the one last sent.
    Memos {
        /// The project, or `None` for the kept one (see [`Request::Search`]).
        project: Option<ProjectFile>,
        /// The search box's words (every one must be found).
        query: String,
        /// What the memos are attached to (a `MemoKind::key`); anything else: every kind.
        kind: String,
    },
    /// Read a codebook or case table CSV for a project and stage it there: a
    /// [`Reply::CsvImported`] (the preview written out, and the project as the import makes it,
    /// from which the app takes the action: [`CsvKind::action`]), or a [`Reply::CsvRefused`]
    /// when the file is not such a CSV. The parsing stays out of the main wasm. Like
    /// [`Request::Search`], it goes without the project while the worker keeps the one last sent.
    CsvImport {
        /// The project imported into, or `None` for the kept one (see [`Request::Search`]).
        project: Option<ProjectFile>,
        /// Which CSV.
        kind: CsvKind,
        /// The file's name (the refusal names it).
        file_name: String,
        /// The file's text (the page has checked that it is UTF-8).
        text: String,
        /// Now, in ms since the epoch (new codes and cases are created now).
        now: Timestamp,
    },
    /// Write a codebook or case table of a project as CSV (`CsvKind::write`) and check it for
    /// real names of `key` (`crate::pseudonym::shown::check`): a [`Reply::Exported`], or, when
    /// some are found, a [`Reply::Pseudonym`] saying where (and nothing is written). The writers
    /// and the check stay out of the main wasm. Like [`Request::Search`], it goes without the
    /// project while the worker keeps the one last sent.
    CsvExport {
        /// The project, or `None` for the kept one (see [`Request::Search`]).
        project: Option<ProjectFile>,
        /// Which table.
        kind: CsvKind,
        /// The key checked for (empty: written as it is).
        key: Vec<Pseudonym>,
    },
    /// A copy of a project to hand over (`crate::share::shared_copy`), checked first for real
    /// names of `key` in the copy as written without the key (`crate::pseudonym::shown::check`,
    /// its places and its file's text), then written as a project file and, with a passphrase,
    /// encrypted as for [`Request::Seal`]: a [`Reply::Exported`], or, when real names are found,
    /// a [`Reply::Pseudonym`] saying where (nothing is written).
    SharedCopy {
        /// The project (with its key: it is written when not left out).
        project: ProjectFile,
        /// What the copy leaves out.
        leave_out: LeaveOut,
        /// The key checked for (empty: written as it is).
        key: Vec<Pseudonym>,
        /// Encrypt with this passphrase.
        passphrase: Option<String>,
        /// Now, in ms since the epoch (the file's date).
        now: Timestamp,
    },
    /// Encrypt a file (its bytes travel beside) with a passphrase, in the age format (one
    /// scrypt recipient, so `age -d` decrypts it anywhere): a [`Reply::Exported`].
    Seal {
        /// The passphrase.
        passphrase: String,
    },
    /// Decrypt an age file encrypted with a passphrase (its bytes travel beside): a
    /// [`Reply::Exported`] whose bytes are the plaintext, or why not (a wrong passphrase, a
    /// changed file) as the answer's sentence.
    Unseal {
        /// The passphrase.
        passphrase: String,
    },
    /// Plan pseudonymising a project with `key` (`crate::pseudonym::plan`, or `plan_sources`
    /// for `sources`): a [`Reply::Pseudonym`], the preview written out and the plan as the
    /// action that applies it (`crate::pseudonym::shown`), so the matcher stays out of the main
    /// wasm and off the page's thread. Like [`Request::Search`], it goes without the project
    /// while the worker keeps the one last sent.
    Pseudonymise {
        /// The project, or `None` for the kept one (see [`Request::Search`]).
        project: Option<ProjectFile>,
        /// The key applied (the dialog's, perhaps not saved yet).
        key: Vec<Pseudonym>,
        /// Only these sources (what a source imported after the key exists is offered); `None`:
        /// every place of the project.
        sources: Option<Vec<SourceId>>,
    },
    /// The check every export runs before it writes (`crate::pseudonym::shown::check`): real
    /// names of `key` in the bytes beside (the file about to be written, or its text), and in
    /// every place of `project` for an export of the whole project: a [`Reply::Pseudonym`].
    CheckNames {
        /// The key.
        key: Vec<Pseudonym>,
        /// The project as the export writes it (without the key), when it writes all of it.
        project: Option<ProjectFile>,
        /// The project file itself is what is written: its text is searched too (no bytes
        /// travel beside then).
        project_written: bool,
    },
    /// Bring saved data of an older format version up to the current one (`persist::upgrade`,
    /// feature `migrate`, which the app's main wasm leaves out): the app sends what its reader
    /// refused as `persist::LoadError::OlderVersion` — every stored record of the project, or
    /// the project file — and reads the [`Reply::Upgraded`] texts instead.
    Upgrade {
        /// Stored records or a project file, each a JSON text with its `format` and `version`.
        records: Vec<String>,
    },
    /// Part of the worker's copy of the app's project, the project that requests sent without
    /// one (a search, chart, table, memo list...) work on: a [`Reply::Kept`], or
    /// [`NO_PROJECT_TO_SEARCH`] when the worker does not hold the copy `base` (it restarted),
    /// and the app sends the whole project again. A whole project is sent a source at a time
    /// (`persist::writes_by_source`), a change as the records it rewrites (`persist::diff`), so
    /// the app never writes a study's 15 MB at once (issue 10: the main thread never blocks).
    Records(RecordsPart),
}

/// One part of the worker's copy of the app's project ([`Request::Records`]): stored records
/// (`persist`'s writes) that bring the copy numbered `base` to the copy numbered `copy`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct RecordsPart {
    /// The copy these writes apply to; 0 starts a new copy from no records.
    pub base: u64,
    /// The copy they make: the next part's `base`.
    pub copy: u64,
    /// `(store, key, record)`: the record's JSON to store, or `None` to remove it.
    pub writes: Vec<(String, String, Option<String>)>,
    /// The last part: the worker reads the project from its records (as a reload reads them)
    /// and keeps it.
    pub done: bool,
}

impl RecordsPart {
    /// Adds `write`; returns the bytes of record it adds.
    pub fn push(&mut self, write: crate::persist::Write) -> usize {
        use crate::persist::Write;
        let bytes = write.bytes();
        self.writes.push(match write {
            Write::Put {
                store, key, json, ..
            } => (store.as_str().to_string(), key, Some(json)),
            Write::Delete { store, key, .. } => (store.as_str().to_string(), key, None),
        });
        bytes
    }

    /// Applies the writes to `store`; the error names a store this build does not have.
    pub fn apply_to(self, store: &mut crate::persist::RecordStore) -> Result<(), String> {
        for (name, key, json) in self.writes {
            let Some(name) = crate::persist::StoreName::from_name(&name) else {
                return Err(format!("the project could not be sent (no store “{name}”)"));
            };
            store.write(name, key, json);
        }
        Ok(())
    }
}

impl Request {
    /// True when a file's bytes travel beside this request (in [`BYTES`]).
    pub fn carries_bytes(&self) -> bool {
        matches!(
            self,
            Self::Import { .. }
                | Self::RefiImport { .. }
                | Self::RefiMergePlan { .. }
                | Self::ProjectMergePlan { .. }
                | Self::Seal { .. }
                | Self::Unseal { .. }
                | Self::CheckNames { .. }
        )
    }
}

/// A successful answer.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum Reply {
    /// A source file as text, with speaker turns (from the format, or detected in the text).
    Imported(ImportedSource),
    /// A REFI-QDA file as a new project.
    RefiImported {
        /// The project.
        project: ProjectFile,
        /// What the import found, skipped or could not place, written out for the page as
        /// markup (`crate::refi::import_summary`: the project's name, the counts as a table
        /// named "Import summary", sources skipped, selections not placed, notes; every text
        /// escaped), so that the app decodes a string instead of
        /// [`RefiReport`](crate::refi::RefiReport).
        summary: String,
    },
    /// A codebook merge plan: the preview written out as markup (`crate::refi::merge_preview`,
    /// every text escaped) and the codebook as it would be (`CodebookMerge::staged`: the
    /// project's codes and sets, nothing else), from which the app gets the plan back with
    /// [`CodebookMerge::from_staged`] and applies [`CodebookMerge::action`]. So the app decodes
    /// a string and a project file instead of the plan's types.
    MergePlan {
        /// The preview (markup).
        shown: String,
        /// The codebook with what the plan adds and changes.
        staged: ProjectFile,
    },
    /// A project merge plan: its preview written out as markup (`crate::merge::preview`: new,
    /// identical, conflicts; every text escaped), and the project as it would be with the
    /// plan's additions put in as they are (`MergePlan::staged`): the app gets the plan back
    /// with [`MergePlan::from_staged`] (a [`MergeSummary`] of only `other_name`) and applies
    /// [`MergePlan::action`]. So the app decodes strings and a project file, not the plan's
    /// types.
    ProjectMergePlan {
        /// The other project's name (the undo step's label).
        other_name: String,
        /// The preview (markup).
        shown: String,
        /// The project with what the plan adds.
        staged: ProjectFile,
    },
    /// A project (the demo, or a fresh copy).
    Project(ProjectFile),
    /// A written file; its bytes travel beside (in [`BYTES`]).
    Exported {
        /// Its media type.
        mime: String,
    },
    /// What a search found, written out for the page (`crate::search::shown`): the count line,
    /// the results' markup when asked, the exact total and the places of the hits returned (at
    /// most the search's limit).
    Searched(SearchShown),
    /// Agreement between coders, written out (`crate::agreement::written`): the table (or why
    /// it cannot be made) and the passages where the first two coders differ as markup, and the
    /// passages listed, which the page's buttons resolve.
    Agreement(AgreementWritten),
    /// What the model of code suggestions answered (typed: the worker's tests and tools).
    Suggested(Json<SuggestReply>),
    /// What it answered to a [`Request::SuggestShown`], written out for the page.
    SuggestShown(SuggestShown),
    /// The Charts view: its controls' markup (every text escaped) and the chart drawn (its SVG,
    /// title, description and data as a table and CSV), or why it cannot be drawn. As
    /// [`Json`] text: a struct or a `Result` decoded inside the app's one reply decoder cost
    /// 2–6 KB of the main wasm; the page decodes this one where it reads it.
    Chart(Json<ChartShown>),
    /// The memo list written out (`crate::memos::shown`; the same two strings as
    /// [`Reply::SuggestShown`], so the app decodes them with the same code).
    Memos(MemosShown),
    /// A crosstab or co-occurrence table as shown, written out: the `<table>`'s markup (or why
    /// there is none), which the page sets as it is; of a large table only the window asked for
    /// (`crate::crosstab::Part`).
    Crosstab(XtabPart),
    /// The passages behind one cell of a table.
    CrosstabCell(CellShown),
    /// The records of a [`Request::Upgrade`], in its order, each at the current version; one
    /// that is not older (current, newer, unreadable) comes back unchanged, for the app's reader
    /// to report as before.
    Upgraded(Vec<String>),
    /// A part of the project's copy was taken ([`Request::Records`]).
    Kept,
    /// A codebook or case table CSV read ([`Request::CsvImport`]).
    CsvImported {
        /// The project with the import applied, with only what [`CsvKind::action`] reads: its
        /// codes, attributes, cases, and its sources without their texts.
        staged: ProjectFile,
        /// The preview, written out as markup (and the numbers its buttons need).
        shown: CsvShown,
    },
    /// The file is not a CSV of the kind asked for: why, as a sentence naming the file.
    CsvRefused(String),
    /// A pseudonymisation plan ([`Request::Pseudonymise`]) written out — the preview's markup,
    /// the sentence once applied, and the action — or what an export check
    /// ([`Request::CheckNames`]) found: how many real names and where (a count of 0: none).
    Pseudonym(PseudonymShown),
}

/// Which CSV a [`Request::CsvImport`] reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum CsvKind {
    /// A codebook (`name,description,parent`: `crate::codebook_csv`).
    Codebook,
    /// A case table (`case,parent,<attributes>`: `crate::cases::parse_case_table_csv`).
    CaseTable,
}

impl CsvKind {
    /// Reads `text`, the file `file_name`, as this kind of CSV for `project` (new ids from
    /// `ids`, created `now`) and stages the import: the worker's answer to a
    /// [`Request::CsvImport`]. A file that is not such a CSV is a [`Reply::CsvRefused`] with the
    /// sentence the page shows.
    pub fn read(
        self,
        file_name: &str,
        text: &str,
        project: &Project,
        ids: &mut impl crate::IdSource,
        now: Timestamp,
    ) -> Reply {
        let read = match self {
            Self::Codebook => crate::codebook_csv::parse_codebook_csv(text, project, ids, now)
                .map(|import| (import.action(), import.shown(project).codebook(file_name)))
                .map_err(|p| format!("{file_name} is not a codebook CSV: {p}.")),
            Self::CaseTable => crate::cases::parse_case_table_csv(text, project, ids, now)
                .map(|import| (import.action(), import.shown(project).case_table(file_name)))
                .map_err(|p| format!("{file_name} is not a case table CSV: {p}.")),
        };
        let (action, shown) = match read {
            Ok(read) => read,
            Err(why) => return Reply::CsvRefused(why),
        };
        match crate::apply(project, action) {
            Ok(staged) => Reply::CsvImported {
                staged: ProjectFile::of(&import_parts(&staged), now),
                shown,
            },
            Err(e) => Reply::CsvRefused(format!("{file_name} could not be imported: {e}.")),
        }
    }

    /// This table of `project` as CSV, with a byte-order mark so that spreadsheet programs read
    /// it as UTF-8 (our importers accept it): the worker's answer to a [`Request::CsvExport`].
    pub fn write(self, project: &Project) -> String {
        let csv = match self {
            Self::Codebook => crate::codebook_csv::export_codebook_csv(project),
            Self::CaseTable => crate::cases::export_case_table_csv(project),
        };
        format!("\u{feff}{csv}")
    }

    /// The import's action (one undo step), taken back from `staged` of a
    /// [`Reply::CsvImported`] for `current`, the project it was read for; `rows` is the
    /// reply's [`CsvShown::rows`]. Applied to `current`, it gives the staged project's codes,
    /// attributes and cases.
    pub fn action(self, current: &Project, staged: &Project, rows: usize) -> crate::Action {
        match self {
            Self::Codebook => CodebookImport::from_staged(current, staged).action(),
            Self::CaseTable => CaseTableImport::from_staged(current, staged, rows).action(),
        }
    }
}

/// What a [`Request::Crosstab`] asks of its table.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum TableAsk {
    /// The table as shown: a [`Reply::Crosstab`], the whole table when it is small, else only
    /// its body rows `rows[0]..rows[1]` and columns `columns[0]..columns[1]` (those in view and
    /// a margin; `crate::crosstab::Shown::part`). The worker keeps the last table it computed
    /// (until another project is sent), so asking again for another window as the page
    /// scrolls does not count again.
    Shown {
        /// The body rows wanted (start, end).
        rows: [usize; 2],
        /// The columns wanted after the code column (start, end).
        columns: [usize; 2],
    },
    /// The passages behind a cell (row, column; `None`: the row's total): a
    /// [`Reply::CrosstabCell`], or why not as the answer's sentence.
    Cell(usize, Option<usize>),
    /// The table as CSV (UTF-8 with a byte-order mark, for spreadsheets): a [`Reply::Exported`].
    Csv,
    /// The table as an XLSX workbook: a [`Reply::Exported`].
    Xlsx,
}

/// What [`CsvKind::action`] reads of a staged project, so that the reply stays small: its
/// codes, attributes and cases, and its sources with empty texts (cases link them).
fn import_parts(project: &Project) -> Project {
    let mut parts = Project::new(project.id, project.name.clone(), project.created);
    parts.sources = project
        .sources
        .iter()
        .map(|s| {
            std::sync::Arc::new(crate::project::Source {
                text: "".into(),
                turns: Vec::new(),
                ..(**s).clone()
            })
        })
        .collect();
    parts.codes = project.codes.clone();
    parts.attributes = project.attributes.clone();
    parts.cases = project.cases.clone();
    parts
}

/// A source file read by the worker: core's [`ImportedText`] with the encoding as a `String`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ImportedSource {
    /// The file name without directory and extension.
    pub name: String,
    /// The file name without directory.
    pub file_name: String,
    /// The text, LF line endings only.
    pub text: String,
    /// The encoding detected, e.g. "UTF-8".
    pub encoding: String,
    /// Things the researcher should know about the import.
    pub notices: Vec<String>,
    /// Speaker turns: UTF-8 byte spans into `text`.
    pub turns: Vec<Turn>,
}

impl From<ImportedText> for ImportedSource {
    fn from(t: ImportedText) -> Self {
        Self {
            name: t.name,
            file_name: t.file_name,
            text: t.text,
            encoding: t.encoding.to_string(),
            notices: t.notices,
            turns: t.turns,
        }
    }
}

impl ImportedSource {
    /// The [`Source`](crate::Source) to add, its turns as the worker detected them (none
    /// detected again here: the detection stays out of the app's main wasm), every turn whose
    /// span does not fit the text left out.
    pub fn to_source(
        &self,
        id: crate::SourceId,
        kind: crate::SourceKind,
        now: crate::Timestamp,
    ) -> crate::Source {
        let text = &self.text;
        let turns = self
            .turns
            .iter()
            .filter(|t| {
                t.span.start <= t.span.end
                    && text.is_char_boundary(t.span.start)
                    && text.is_char_boundary(t.span.end)
            })
            .cloned()
            .collect();
        crate::import::source_of(&self.name, &self.file_name, text, turns, (id, kind, now))
    }
}

/// The JSON of a message (envelopes are plain data: writing one cannot fail).
pub fn encode<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).unwrap_or_default()
}

/// The JSON text of a received message's envelope from its UTF-8 bytes (either side keeps
/// decoding from `&str`, so each message type's reader is compiled once); the error is a
/// sentence.
pub fn message_text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| "the message could not be read (not UTF-8)".to_string())
}

/// A message read from its JSON; the error is a sentence.
pub fn decode<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| format!("the message could not be read ({e})"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ids::IdSource;
    use crate::ids::SeqIds;
    use crate::project::Span;
    use crate::refi::{Counting, RefiReport};
    use crate::refi::{MatchedBy, MatchedCode, MergeConflict};
    use crate::search::{Order, SearchOptions, SearchScope, Within};
    use crate::suggest::UnitKind;
    use crate::{AttrValue, AttributeFilter, Code, CodeOrigin, CodeSet, FilterOp};

    fn round_trip<T>(message: &T)
    where
        T: Serialize + for<'a> Deserialize<'a> + PartialEq + std::fmt::Debug,
    {
        let json = encode(message);
        let back: T = decode(&json).unwrap();
        assert_eq!(&back, message, "{json}");
    }

    fn project() -> ProjectFile {
        ProjectFile::of(
            &crate::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000),
            7,
        )
    }

    fn requests() -> Vec<Request> {
        let mut ids = SeqIds::new(90);
        vec![
            Request::Import {
                file_name: "Interview “1”.docx".into(),
            },
            Request::RefiImport {
                file_name: "study.qdpx".into(),
                now: 1_700_000_000_000,
            },
            Request::RefiExport {
                project: project(),
                format: RefiFormat::Qdpx,
                include_pseudonym_key: true,
            },
            Request::RefiExport {
                project: project(),
                format: RefiFormat::Qdc,
                include_pseudonym_key: false,
            },
            Request::RefiMergePlan {
                project: project(),
                file_name: "codes.qdc".into(),
                now: -1,
            },
            Request::MatrixExport {
                project: project(),
                matrix: MatrixId::from_random_bytes([3; 16]),
                format: MatrixFormat::Xlsx,
                with_quotes: true,
            },
            Request::MatrixExport {
                project: project(),
                matrix: MatrixId::from_random_bytes([4; 16]),
                format: MatrixFormat::Html,
                with_quotes: false,
            },
            Request::Crosstab {
                project: Some(project()),
                choice: XtabChoice::default(),
                ask: TableAsk::Shown {
                    rows: [0, 30],
                    columns: [4, 20],
                },
            },
            Request::Crosstab {
                project: None,
                choice: XtabChoice {
                    cooccur: true,
                    by: Some(ids.attribute_id()),
                    count: crate::crosstab::Count::Words,
                    percent: crate::crosstab::Percent::Column,
                    children: true,
                    subtotals: true,
                    subcases: false,
                    proximity: crate::crosstab::Proximity::Turn,
                },
                ask: TableAsk::Cell(3, None),
            },
            Request::Crosstab {
                project: None,
                choice: XtabChoice::default(),
                ask: TableAsk::Xlsx,
            },
            Request::Report {
                project: project(),
                options: ReportOptions::default(),
                format: ReportFormat::Docx,
            },
            Request::Report {
                project: project(),
                options: ReportOptions {
                    kind: crate::report::ReportKind::Themes,
                    grouping: crate::report::Grouping::Attribute(ids.attribute_id()),
                    codes: vec![ids.code_id()],
                    sources: vec![ids.source_id()],
                    cases: vec![ids.case_id()],
                    exclude_speakers: vec!["Interviewer “I”".into()],
                    include_memos: false,
                    include_definitions: false,
                    include_origin: false,
                    attribution: "({case}, {Role “x”})".into(),
                    max_words: Some(40),
                    ellipsis: false,
                    examples: 0,
                },
                format: ReportFormat::Markdown,
            },
            Request::ProjectMergePlan {
                project: project(),
                file_name: "Bea’s copy.framewise.json".into(),
                now: 12,
            },
            Request::FreshCopy { project: project() },
            Request::Demo { now: i64::MAX },
            Request::Search {
                project: Some(project()),
                search: Search::new("“primary care” AND fund* NOT (locum OR agency)"),
                shown: Shown::Lines {
                    order: Order::Hit,
                    lines: 100,
                    ticked: vec![0, 7, usize::MAX],
                },
            },
            Request::Search {
                project: None,
                search: Search {
                    query: r"fund(ed|ing)\b".into(),
                    options: SearchOptions {
                        whole_word: false,
                        match_case: true,
                        ignore_accents: true,
                        regex: true,
                        within: Within::Source,
                    },
                    scope: SearchScope::Filter(vec![AttributeFilter {
                        attribute: ids.attribute_id(),
                        op: FilterOp::Less,
                        value: AttrValue::Number(2.5),
                    }]),
                    limit: Some(0),
                    context: 0,
                },
                shown: Shown::Places,
            },
        ]
        .into_iter()
        .chain(
            [
                SearchScope::All,
                SearchScope::Sources(vec![ids.source_id(), ids.source_id()]),
                SearchScope::Case(ids.case_id()),
                SearchScope::Set(ids.set_id()),
                SearchScope::Speaker("Interviewer “I”".into()),
            ]
            .into_iter()
            .zip(Order::ALL.into_iter().cycle())
            .map(|(scope, (order, _, _))| Request::Search {
                project: None,
                search: Search {
                    scope,
                    limit: Some(usize::MAX),
                    ..Search::new("x")
                },
                shown: Shown::Lines {
                    order,
                    lines: 0,
                    ticked: Vec::new(),
                },
            }),
        )
        .chain([
            Request::Agreement {
                project: Some(project()),
                comparison: Comparison::new("Ana “A”", "Ben"),
            },
            Request::Agreement {
                project: None,
                comparison: Comparison {
                    sources: vec![ids.source_id()],
                    codes: vec![ids.code_id(), ids.code_id()],
                    unit: crate::agreement::Unit::Segment,
                    min_overlap: 1,
                    ..Comparison::new("", "B")
                },
            },
            Request::SuggestModel {
                project: Some(project()),
                options: Json::of(&SuggestOptions::default()),
            },
            Request::SuggestModel {
                project: None,
                options: Json::of(&SuggestOptions {
                    unit: UnitKind::Turn,
                    sources: vec![ids.source_id(), ids.source_id()],
                    stem: true,
                }),
            },
            Request::Suggest(Json::of(&SuggestAsk::More {
                code: ids.code_id(),
                limit: 20,
            })),
            Request::Suggest(Json::of(&SuggestAsk::Answer {
                code: ids.code_id(),
                source: ids.source_id(),
                span: Span::new(3, 90),
                accepted: true,
                limit: usize::MAX,
            })),
            Request::Suggest(Json::of(&SuggestAsk::Answer {
                code: ids.code_id(),
                source: ids.source_id(),
                span: Span::new(0, 1),
                accepted: false,
                limit: 0,
            })),
            Request::Suggest(Json::of(&SuggestAsk::Codes {
                source: ids.source_id(),
                span: Span::new(5, 8),
                limit: 3,
            })),
            Request::SuggestShown(Json::of(&SuggestAsk::More {
                code: ids.code_id(),
                limit: 20,
            })),
            Request::Chart {
                project: Some(project()),
                choice: ChartChoice::default(),
            },
            Request::Memos {
                project: None,
                query: "“Υγεία” <b>".into(),
                kind: "annotation".into(),
            },
            Request::Chart {
                project: None,
                choice: ChartChoice {
                    kind: "1".into(),
                    codes: format!("code:{}", ids.code_id()),
                    attribute: ids.attribute_id().to_string(),
                    bars: "stacked".into(),
                    source: ids.source_id().to_string(),
                },
            },
            Request::Seal {
                passphrase: "tea at “four” ü".into(),
            },
            Request::Unseal {
                passphrase: String::new(),
            },
            Request::Upgrade {
                records: vec![
                    r#"{"format":"framewise-text","version":2,"text":"A: “hi”\n"}"#.into(),
                    String::new(),
                ],
            },
            Request::CsvImport {
                project: Some(project()),
                kind: CsvKind::Codebook,
                file_name: "Framework “1”.csv".into(),
                text: "name,description,parent\r\nAccess,\"Getting care, or not\",\n".into(),
                now: 1_700_000_000_000,
            },
            Request::CsvImport {
                project: None,
                kind: CsvKind::CaseTable,
                file_name: String::new(),
                text: String::new(),
                now: -1,
            },
            Request::Pseudonymise {
                project: None,
                key: vec![Pseudonym {
                    real: "Dr “Amira” Khan".into(),
                    pseudonym: "GP/2 😀".into(),
                }],
                sources: Some(vec![ids.source_id()]),
            },
            Request::Pseudonymise {
                project: Some(project()),
                key: Vec::new(),
                sources: None,
            },
            Request::CheckNames {
                key: vec![Pseudonym {
                    real: "Yuri".into(),
                    pseudonym: "P1".into(),
                }],
                project: Some(project()),
                project_written: true,
            },
            Request::CheckNames {
                key: Vec::new(),
                project: None,
                project_written: false,
            },
            Request::CsvExport {
                project: None,
                kind: CsvKind::Codebook,
                key: Vec::new(),
            },
            Request::SharedCopy {
                project: project(),
                leave_out: LeaveOut {
                    key: true,
                    memos: false,
                    texts: true,
                },
                key: vec![Pseudonym {
                    real: "Yuri".into(),
                    pseudonym: "P1".into(),
                }],
                passphrase: Some("correct “horse” 😀".into()),
                now: 3,
            },
            Request::SharedCopy {
                project: project(),
                leave_out: LeaveOut::default(),
                key: Vec::new(),
                passphrase: None,
                now: -1,
            },
            Request::CsvExport {
                project: Some(project()),
                kind: CsvKind::CaseTable,
                key: vec![Pseudonym {
                    real: "Yuri".into(),
                    pseudonym: "P1".into(),
                }],
            },
            Request::Records(RecordsPart {
                base: 3,
                copy: 4,
                writes: vec![
                    (
                        "codings".into(),
                        "c1".into(),
                        Some("{\"format\": \"x\"}".into()),
                    ),
                    ("codes".into(), "k1".into(), None),
                ],
                done: true,
            }),
        ])
        .collect()
    }

    fn replies() -> Vec<Reply> {
        let mut ids = SeqIds::new(40);
        let demo = crate::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000);
        let renamed = crate::apply(
            &demo,
            crate::Action::RenameCode {
                id: demo.codes[0].id,
                name: "Renamed “there”".into(),
            },
        )
        .unwrap();
        let code = Code {
            id: ids.code_id(),
            name: "Access \"quoted\"".into(),
            parent: Some(ids.code_id()),
            color: "#e69f00".into(),
            description: "d".into(),
            origin: CodeOrigin::Deductive,
            memo: "m\nn".into(),
            created: 5,
        };
        let set = CodeSet {
            id: ids.set_id(),
            name: "Set".into(),
            description: String::new(),
            codes: vec![code.id],
            created: 9,
        };
        let report = RefiReport {
            origin: Some("NVivo".into()),
            users: 2,
            codes: 3,
            sources: 4,
            codings: 5,
            annotations: 2,
            cases: 6,
            sets: 7,
            skipped_sources: [("PDF".to_string(), 2)].into_iter().collect(),
            unplaced: vec!["one".into()],
            countings: [("A".to_string(), Counting::Utf16Raw)]
                .into_iter()
                .collect(),
            unattached_notes: 1,
            rich_text_sources: 1,
            sidecar: true,
            pseudonyms: 3,
            problems: vec!["p".into()],
        };
        vec![
            Reply::Imported(ImportedSource {
                name: "a".into(),
                file_name: "a.vtt".into(),
                text: "Ana: hello\nBo: hi\n".into(),
                encoding: "UTF-16 LE".into(),
                notices: vec!["n".into()],
                turns: vec![
                    Turn {
                        speaker: Some("Ana".into()),
                        span: Span { start: 5, end: 10 },
                        start_ms: Some(1_000),
                        end_ms: None,
                    },
                    Turn {
                        speaker: None,
                        span: Span { start: 15, end: 17 },
                        start_ms: None,
                        end_ms: Some(u64::MAX >> 12),
                    },
                ],
            }),
            Reply::RefiImported {
                project: project(),
                summary: crate::refi::import_summary("Demo “1”", &report),
            },
            Reply::RefiImported {
                project: project(),
                summary: String::new(),
            },
            {
                let plan = CodebookMerge {
                    new_codes: vec![code.clone()],
                    renamed: vec![(code.id, "old".into(), "new".into())],
                    described: vec![(code.id, "desc".into())],
                    matched: vec![MatchedCode {
                        incoming: code.id,
                        current: code.id,
                        by: MatchedBy::Name,
                    }],
                    conflicts: vec![MergeConflict {
                        code: "c “&”".into(),
                        reason: "r".into(),
                    }],
                    new_sets: vec![set],
                };
                Reply::MergePlan {
                    shown: crate::refi::merge_preview(&demo, &plan),
                    staged: ProjectFile::of(&plan.staged(&demo), 3),
                }
            },
            Reply::MergePlan {
                shown: String::new(),
                staged: project(),
            },
            Reply::ProjectMergePlan {
                other_name: String::new(),
                shown: String::new(),
                staged: project(),
            },
            // Everything of the demo new to an empty project: sources, codes, codings, cases,
            // attributes and their values, matrices with summaries and quotes, sets, memos.
            Reply::ProjectMergePlan {
                other_name: demo.name.clone(),
                shown: crate::merge::preview(
                    "demo.framewise.json",
                    &crate::merge::plan(
                        &Project::new(ids.project_id(), "Empty", 0),
                        &demo,
                        &mut ids,
                    ),
                ),
                staged: project(),
            },
            // Conflicts: a code renamed there, the same demo otherwise.
            Reply::ProjectMergePlan {
                other_name: "“Renamed” & co".into(),
                shown: crate::merge::preview(
                    "b.qdpx",
                    &crate::merge::plan(&demo, &renamed, &mut ids),
                ),
                staged: project(),
            },
            Reply::Project(project()),
            Reply::Exported {
                mime: "application/zip".into(),
            },
            Reply::Searched(SearchShown::default()),
            Reply::Agreement(crate::agreement::written(
                &crate::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000),
                &Comparison::new("Ana", "Ana"),
            )),
            {
                let a = crate::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000);
                let coders = crate::agreement::coders(&a);
                let (first, second) = (coders[0].clone(), coders[1].clone());
                let comparison = Comparison::new(first.as_str(), second.as_str());
                Reply::Agreement(crate::agreement::written(&a, &comparison))
            },
            Reply::Searched(SearchShown {
                status: "12,345 hits in 1 source".into(),
                markup: "<p class=\"x\">“café” &amp; 漢字 😀</p>\n".into(),
                total: 12_345,
                places: vec![
                    (ids.source_id(), vec![Span::new(3, 9), Span::new(0, 1)]),
                    (ids.source_id(), Vec::new()),
                ],
            }),
            Reply::Suggested(Json::of(&SuggestReply::Model(ModelSummary::default()))),
            Reply::Suggested(Json::of(&SuggestReply::Model(ModelSummary {
                units: 121_700,
                candidates: 100_000,
                words: 1_372_488,
                terms: 30_000,
                stop_words: 40,
                codes: 7,
            }))),
            Reply::Suggested(Json::of(&SuggestReply::Suggestions(Vec::new()))),
            Reply::Suggested(Json::of(&SuggestReply::Suggestions(vec![Suggestion {
                source: ids.source_id(),
                span: Span::new(10, 40),
                score: 830,
                text: "Η ΑΝΑΜΟΝΗ για “ραντεβού” 😀".into(),
                words: vec!["ραντεβού".into(), "ΑΝΑΜΟΝΗ".into()],
                highlights: vec![Span::new(12, 20), Span::new(25, 39)],
            }]))),
            Reply::Suggested(Json::of(&SuggestReply::Codes(vec![
                CodeSuggestion {
                    code: ids.code_id(),
                    score: 1000,
                    words: vec!["budget".into()],
                },
                CodeSuggestion {
                    code: ids.code_id(),
                    score: 0,
                    words: Vec::new(),
                },
            ]))),
            Reply::SuggestShown(SuggestShown::default()),
            Reply::SuggestShown(SuggestShown {
                status: "2 codes like this passage, most alike first.".into(),
                markup: "<ol aria-label=\"Suggested codes\"><li>“Υγεία” &amp; 😀</li></ol>".into(),
            }),
            Reply::Chart(Json::of(&ChartShown::default())),
            Reply::Chart(Json::of(&ChartShown::of(
                &demo,
                &ChartChoice {
                    kind: "3".into(),
                    ..ChartChoice::default()
                },
            ))),
            Reply::Chart(Json::of(&ChartShown {
                problem: "Choose a source “ü”.".into(),
                ..ChartShown::default()
            })),
            Reply::Memos(crate::memos::shown(&demo, "", "")),
            Reply::Memos(crate::memos::shown(&demo, "nothing at all", "code")),
            Reply::Crosstab(crate::crosstab::shown(&demo, &XtabChoice::default()).part(0..9, 0..9)),
            Reply::Crosstab(XtabPart {
                window: Some([2, 40, 0, 17]),
                ..crate::crosstab::shown(
                    &demo,
                    &XtabChoice {
                        cooccur: true,
                        ..XtabChoice::default()
                    },
                )
                .part(0..9, 0..9)
            }),
            Reply::CrosstabCell(
                crate::crosstab::cell(&demo, &XtabChoice::default(), (0, None)).unwrap(),
            ),
            Reply::Upgraded(vec![project().0, "{\"version\": 4}".into()]),
            Reply::Kept,
            Reply::CsvImported {
                staged: project(),
                shown: CsvShown::default(),
            },
            CsvKind::CaseTable.read(
                "cases “α”.csv",
                "case,parent,Region,Age\nP99,,North,41\n,,x,\n",
                &demo,
                &mut ids,
                9,
            ),
            CsvKind::Codebook.read("x.csv", "", &demo, &mut ids, 9),
            Reply::CsvRefused("a.csv is not a codebook CSV: line 1: “why”.".into()),
            Reply::Pseudonym(crate::pseudonym::shown::PseudonymShown::default()),
            {
                let key = vec![
                    Pseudonym {
                        real: "Dr Okafor".into(),
                        pseudonym: "GP1".into(),
                    },
                    Pseudonym {
                        real: "Coast Road Surgery".into(),
                        pseudonym: "Practice “C”".into(),
                    },
                ];
                let plan = crate::pseudonym::plan(&demo, &key);
                assert!(!plan.is_empty());
                Reply::Pseudonym(crate::pseudonym::shown::plan_shown(&demo, &key, &plan))
            },
            Reply::Pseudonym(crate::pseudonym::shown::check(
                &[Pseudonym {
                    real: "Dr Okafor".into(),
                    pseudonym: "GP1".into(),
                }],
                Some(&demo),
                "Dr Okafor &amp; 😀".as_bytes(),
            )),
        ]
    }

    #[test]
    fn every_request_round_trips() {
        for (n, request) in requests().into_iter().enumerate() {
            round_trip(&request);
            round_trip(&ToWorker {
                id: u32::MAX - n as u32,
                request,
            });
        }
    }

    #[test]
    fn every_reply_round_trips() {
        round_trip(&FromWorker::Ready);
        for (n, reply) in replies().into_iter().enumerate() {
            round_trip(&reply);
            round_trip(&FromWorker::Answer {
                id: n as u32,
                result: Ok(reply),
            });
        }
        round_trip(&FromWorker::Answer {
            id: 0,
            result: Err("The file is “broken”.".into()),
        });
    }

    /// A lazily decoded payload reads back the value it was made of, through the whole envelope.
    #[test]
    fn json_payloads_read_back_their_values() {
        for request in requests() {
            let back: ToWorker = decode(&encode(&ToWorker { id: 1, request })).unwrap();
            match back.request {
                Request::Suggest(ask) => {
                    let value = ask.get().unwrap();
                    assert_eq!(Json::of(&value), ask);
                }
                Request::SuggestModel { options, .. } => {
                    assert_eq!(Json::of(&options.get().unwrap()), options);
                }
                _ => {}
            }
        }
        let reply = SuggestReply::Codes(vec![CodeSuggestion {
            code: CodeId::from_random_bytes([7; 16]),
            score: 12,
            words: vec!["“x”".into()],
        }]);
        let envelope = encode(&FromWorker::Answer {
            id: 3,
            result: Ok(Reply::Suggested(Json::of(&reply))),
        });
        let Ok(FromWorker::Answer {
            result: Ok(Reply::Suggested(back)),
            ..
        }) = decode::<FromWorker>(&envelope)
        else {
            panic!("{envelope}");
        };
        assert_eq!(back.get().unwrap(), reply);
        assert!(Json::<SuggestReply>::of(&reply).get().is_ok());
        let wrong: Json<SuggestReply> = decode("\"{\\\"Nope\\\":1}\"").unwrap();
        assert!(wrong.get().is_err());
    }

    #[test]
    fn bytes_travel_beside_exactly_the_file_requests() {
        let carrying: Vec<bool> = requests().iter().map(Request::carries_bytes).collect();
        assert_eq!(
            carrying,
            [
                true, true, false, false, true, false, false, false, false, false, false, false,
                true, false, false, false, false, false, false, false, false, false, false, false,
                false, false, false, false, false, false, false, false, false, false, true, true,
                false, false, false, false, false, true, true, false, false, false, false, false
            ]
        );
    }

    /// A CSV read in the worker comes back to the page as strings and a staged project, from
    /// which the page takes an action with the same effect as the import's own, through JSON.
    #[test]
    fn a_csv_import_is_staged_and_its_action_taken_back() {
        let demo = crate::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000);
        let theme = demo.codes.iter().find(|c| c.parent.is_none()).unwrap();
        let case = &demo.cases[0];
        let attribute = &demo.attributes[0];
        let codebook = format!(
            "name,description,parent\nNew theme,Said “so”,\nChild,,New theme\nUnder,,{}\n\
             ,,\nLost,,Nowhere\n",
            theme.name
        );
        let cases = format!(
            "case,parent,{},Band\n{},,,high\nNew one,{},,low\n,,,x\nNew two,New one,,\n",
            attribute.name, case.name, case.name
        );
        let mut checked = 0;
        for (kind, text) in [(CsvKind::Codebook, codebook), (CsvKind::CaseTable, cases)] {
            let mut ids = SeqIds::new(500);
            let expected = match kind {
                CsvKind::Codebook => {
                    let import =
                        crate::codebook_csv::parse_codebook_csv(&text, &demo, &mut ids, 5).unwrap();
                    (import.action(), import.shown(&demo).codebook("f.csv"))
                }
                CsvKind::CaseTable => {
                    let import =
                        crate::cases::parse_case_table_csv(&text, &demo, &mut ids, 5).unwrap();
                    (import.action(), import.shown(&demo).case_table("f.csv"))
                }
            };
            let reply = kind.read("f.csv", &text, &demo, &mut SeqIds::new(500), 5);
            let Ok(Reply::CsvImported { staged, shown }) = decode::<Reply>(&encode(&reply)) else {
                panic!("{reply:?}");
            };
            assert_eq!(shown, expected.1);
            assert!(shown.changes);
            assert!(shown.markup.starts_with("<p>f.csv: "), "{}", shown.markup);
            assert!(
                shown
                    .markup
                    .contains("<ul class='import-problems' aria-label='Problems'><li>Line "),
                "{}",
                shown.markup
            );
            let action = kind.action(&demo, &staged.load().unwrap(), shown.rows);
            assert_eq!(action.label(), expected.0.label());
            let ours = crate::apply(&demo, action).unwrap();
            let theirs = crate::apply(&demo, expected.0).unwrap();
            assert_eq!(ours, theirs);
            assert_ne!(ours, demo);
            checked += 1;
        }
        assert_eq!(checked, 2);
        // Refusals are sentences naming the file.
        let refused = |kind: CsvKind, text: &str| match kind.read(
            "my file.csv",
            text,
            &demo,
            &mut SeqIds::new(9),
            0,
        ) {
            Reply::CsvRefused(why) => why,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(CsvKind::Codebook, "title,x\n"),
            "my file.csv is not a codebook CSV: line 1: the first row must be a header with a \
             \"name\" column (and optionally \"description\" and \"parent\")."
        );
        assert!(refused(CsvKind::CaseTable, "")
            .starts_with("my file.csv is not a case table CSV: line "));
    }

    #[test]
    fn a_project_file_loads_back_the_same_project() {
        let demo = crate::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000);
        assert_eq!(ProjectFile::of(&demo, 0).load().unwrap(), demo);
        assert!(ProjectFile("{}".into()).load().is_err());
    }

    #[test]
    fn turns_that_do_not_fit_the_text_are_left_out() {
        let turn = |start, end| Turn {
            speaker: None,
            span: Span { start, end },
            start_ms: None,
            end_ms: None,
        };
        let source = ImportedSource {
            name: "x".into(),
            file_name: "x.txt".into(),
            text: "é ok".into(),
            encoding: "UTF-8".into(),
            notices: Vec::new(),
            turns: vec![turn(0, 2), turn(1, 2), turn(3, 2), turn(3, 5), turn(3, 99)],
        };
        let id = crate::SourceId::from_random_bytes([1; 16]);
        let made = source.to_source(id, crate::SourceKind::Interview, 7);
        assert_eq!(made.turns, vec![turn(0, 2), turn(3, 5)]);
        assert_eq!(
            (made.name.as_str(), made.file_name.as_deref()),
            ("x", Some("x.txt"))
        );
        assert_eq!((&*made.text, made.imported), ("é ok", 7));
        // No turns from the worker: none detected here.
        let plain = ImportedSource {
            text: "D: Hello.\n\nP: Hi.\n\nD: Fine?\n".into(),
            turns: Vec::new(),
            ..source
        };
        assert!(plain
            .to_source(id, crate::SourceKind::Interview, 7)
            .turns
            .is_empty());
    }

    #[test]
    fn garbage_is_a_sentence_not_a_panic() {
        assert!(decode::<FromWorker>("{\"Nope\":1}").is_err());
        assert!(decode::<ToWorker>("").is_err());
    }
}
