//! The saved format: the records kept in the browser's IndexedDB, the single-file project
//! (`NAME.framewise.json`) and the one migrate path every load goes through. Pure: the app's
//! `storage` module does the I/O, this module decides what to write and how to read it back.
//!
//! # Stored records (IndexedDB database `framewise`, schema version 2)
//!
//! Every record is stored as the object `{project: "<project id>", json: "<string>"}` under an
//! out-of-line key, so each store can have an index on `project` while the record itself stays a
//! JSON **string** (byte-exact, and its size is what a change costs). Each JSON string carries
//! `"format"` (the record kind) and `"version"` ([`CURRENT_VERSION`]).
//!
//! | store           | key        | one record per | format                     | written when          |
//! |-----------------|------------|----------------|----------------------------|-----------------------|
//! | `projects`      | project id | project        | `framewise-project-record` | anything changed      |
//! | `project_memos` | project id | project        | `framewise-project-memo`   | the project memo changed |
//! | `sources`       | source id  | source (with its annotations) | `framewise-source` | name/kind/memo/order or an annotation changed |
//! | `texts`         | source id  | source (text and speaker turns) | `framewise-text` | the text or its turns changed |
//! | `codes`         | code id    | code           | `framewise-code`           | the code or its place changed |
//! | `codings`       | coding id  | coding         | `framewise-coding`         | the coding is new     |
//! | `attributes`    | attribute id | attribute    | `framewise-attribute`      | the attribute or its place changed |
//! | `cases`         | case id    | case (with its attribute values) | `framewise-case` | the case or its place changed |
//! | `matrices`      | matrix id  | matrix definition | `framewise-matrix`      | name, rows, columns, grouping, scope or place changed |
//! | `matrix_cells`  | `{matrix}/{case}/{code}` | non-empty cell summary | `framewise-matrix-cell` | that summary changed |
//! | `case_summaries`| `{matrix}/{case}` | non-empty case summary | `framewise-case-summary` | that summary changed |
//! | `sets`          | set id     | set of codes   | `framewise-set`            | the set or its place changed |
//!
//! The project record is small (name, timestamps and the counts the home screen lists); the
//! project memo has its own record so that a long memo is not rewritten with every coding.
//! Sources, codes, attributes, cases, matrices and sets carry their `position` in the project's
//! order: removing or moving one rewrites the small records after it, never a text or a coding.
//! One coding therefore writes one coding record plus the project record, a few hundred bytes;
//! one edited cell summary writes one `matrix_cells` record plus the project record (unchanged
//! matrices are skipped by pointer, a changed one is compared row by row).
//!
//! The first six stores are those of schema version 1; schema version 2 added the last six
//! (the app's upgrade creates only missing stores, leaving existing records untouched).
//!
//! # Versions and migration
//!
//! All record kinds and the project file share one version number, [`CURRENT_VERSION`]. Every
//! load goes through one migrate function per record kind, which refuses a newer version
//! ([`LoadError::NewerVersion`]), upgrades older ones step by step and fills defaults for missing
//! optional fields. Version 2 added cases, attributes, matrices (with cell and case summaries)
//! and sets; a version-1 project migrates to one that has none of them. Version 3 added speaker
//! turns (in `texts` records), speakers linked to cases, speakers a matrix leaves out and the
//! pseudonymisation key (in the `projects` record); a version-2 text gets the turns an import
//! would detect in it. Version 4 added annotations (comments on passages and codings) inside
//! their source's `sources` record (and the project file's source), and saved searches (named
//! queries: `queries` in the `projects` record and in the project file); older projects have
//! neither. Unknown fields are ignored when reading; any change that adds meaning to the format
//! bumps the version, so an older Framewise refuses such data instead of dropping fields.
//!
//! The upgrade steps live in `saved/migrate.rs`, compiled only with the feature `migrate` (the worker,
//! the CLI, native tools): the app's main wasm reads the current version, and older records
//! whose upgrade only fills in defaults, itself. A record whose upgrade adds more (a version-1 or
//! -2 text, whose speaker turns are detected; a version-1 or -2 project file) is refused there as
//! [`LoadError::OlderVersion`]; the app then has its worker `upgrade` the project's records (or
//! the file) and reads the answer. The upgraded records are not written back: a record is
//! stored again only when a change rewrites it, as before.
//!
//! # Failed loads never overwrite
//!
//! A project record, a project memo record, or any record of a newer version makes the whole
//! project refuse to load: the app opens nothing and writes nothing. Any other record that cannot
//! be read (or a coding whose source, code or span does not fit, a case linking a missing source,
//! a cell whose case or code is gone, a value that does not fit its attribute's type) is left
//! out of the loaded project with a warning in [`Loaded::warnings`]; it stays in storage untouched, because
//! [`diff`] only ever deletes records of things present in the project it diffs from.

mod diff;
mod file;
mod load;
mod saved;

pub use diff::{diff, full_writes, project_record_write, text_bytes_changed, writes_by_source};
pub use file::{from_project_file, project_file_name, raw_backup, to_project_file};
pub use load::{assemble, summary};
#[cfg(feature = "migrate")]
pub use saved::upgrade;

use crate::ids::ProjectId;
use crate::project::{Project, Timestamp};
use std::fmt;

/// The saved-format version this build writes and the newest it reads.
pub const CURRENT_VERSION: u32 = 4;

/// `"format"` of the single-file project (`NAME.framewise.json`).
pub const PROJECT_FILE_FORMAT: &str = "framewise-project";

/// `"format"` of the raw backup made from records that could not be read.
pub const RAW_BACKUP_FORMAT: &str = "framewise-raw-backup";

/// The IndexedDB object stores. Every store has an index named `project` on the project id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum StoreName {
    /// One small record per project (name, timestamps, counts).
    Projects,
    /// The project memo, one record per project.
    ProjectMemos,
    /// Source metadata and memo, one record per source.
    Sources,
    /// The text of each source with its speaker turns.
    Texts,
    /// One record per code.
    Codes,
    /// One record per coding.
    Codings,
    /// One record per case, with its attribute values.
    Cases,
    /// One record per case attribute.
    Attributes,
    /// One record per matrix definition (without its summaries).
    Matrices,
    /// One record per non-empty cell summary, key `{matrix}/{case}/{code}`.
    MatrixCells,
    /// One record per non-empty case summary of a matrix row, key `{matrix}/{case}`.
    CaseSummaries,
    /// One record per set of codes.
    Sets,
}

impl StoreName {
    /// Every store, in the order a project's records are read.
    pub const ALL: [StoreName; 12] = [
        Self::Projects,
        Self::ProjectMemos,
        Self::Sources,
        Self::Texts,
        Self::Codes,
        Self::Codings,
        Self::Cases,
        Self::Attributes,
        Self::Matrices,
        Self::MatrixCells,
        Self::CaseSummaries,
        Self::Sets,
    ];

    /// The object store's name in IndexedDB.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Projects => "projects",
            Self::ProjectMemos => "project_memos",
            Self::Sources => "sources",
            Self::Texts => "texts",
            Self::Codes => "codes",
            Self::Codings => "codings",
            Self::Cases => "cases",
            Self::Attributes => "attributes",
            Self::Matrices => "matrices",
            Self::MatrixCells => "matrix_cells",
            Self::CaseSummaries => "case_summaries",
            Self::Sets => "sets",
        }
    }

    /// Inverse of [`StoreName::as_str`].
    pub fn from_name(name: &str) -> Option<StoreName> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Name of the index on the `project` field (every store has one).
    pub const PROJECT_INDEX: &'static str = "project";
}

/// One change to stored records. A save applies a list of them in one transaction.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Write {
    /// Store `json` under `key` in `store` (insert or replace).
    Put {
        /// Which store.
        store: StoreName,
        /// The record's key (an id).
        key: String,
        /// The project the record belongs to (the `project` index).
        project: ProjectId,
        /// The record, a JSON string with `format` and `version`.
        json: String,
    },
    /// Remove the record under `key` in `store`.
    Delete {
        /// Which store.
        store: StoreName,
        /// The record's key (an id).
        key: String,
        /// The project the record belongs to.
        project: ProjectId,
    },
}

impl Write {
    /// The store written.
    pub fn store(&self) -> StoreName {
        match self {
            Self::Put { store, .. } | Self::Delete { store, .. } => *store,
        }
    }
    /// The key written.
    pub fn key(&self) -> &str {
        match self {
            Self::Put { key, .. } | Self::Delete { key, .. } => key,
        }
    }
    /// The project whose records this changes.
    pub fn project(&self) -> ProjectId {
        match self {
            Self::Put { project, .. } | Self::Delete { project, .. } => *project,
        }
    }
    /// Bytes of record data written (the JSON length of a put, 0 for a delete).
    pub fn bytes(&self) -> usize {
        match self {
            Self::Put { json, .. } => json.len(),
            Self::Delete { .. } => 0,
        }
    }
}

/// Facts about a project that are not part of its content: kept in the project record.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ProjectMeta {
    /// When the project last changed.
    pub modified: Timestamp,
    /// When the project was last opened.
    pub last_opened: Timestamp,
}

impl ProjectMeta {
    /// A project created or opened at `now`: modified and last opened then.
    pub fn new(now: Timestamp) -> Self {
        Self {
            modified: now,
            last_opened: now,
        }
    }
}

/// Why stored data or a file could not be loaded. The data itself is never changed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LoadError {
    /// Saved by a newer Framewise than this one.
    NewerVersion {
        /// The version found.
        found: u32,
        /// The newest version this build reads ([`CURRENT_VERSION`]).
        supported: u32,
        /// What was being read, e.g. "the project “Evaluation”".
        what: String,
    },
    /// Saved by an older version in a shape only the upgrade steps of the feature `migrate`
    /// read (the app's main wasm has them in its worker, which upgrades the JSON for it). Never
    /// returned with `migrate`.
    OlderVersion {
        /// The version found.
        found: u32,
        /// What was being read.
        what: String,
    },
    /// Not valid JSON, not a Framewise record or file, or a required field is missing.
    Unreadable {
        /// What was being read.
        what: String,
        /// Why it could not be read.
        reason: String,
    },
}

/// What a project file being opened is called in a [`LoadError`]: a file that was never stored
/// in the browser, so there is no raw backup to offer.
pub(crate) const FILE_WHAT: &str = "the file";

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NewerVersion {
                found,
                supported,
                what,
            } => {
                write!(
                    f,
                    "{} was saved by a newer version of Framewise (saved format version {found}; \
                     this version reads up to version {supported}). It has been left unchanged: \
                     open it with the newer Framewise",
                    capitalized(what)
                )?;
                f.write_str(if what == FILE_WHAT {
                    "."
                } else {
                    ", or export a raw backup."
                })
            }
            Self::OlderVersion { found, what } => write!(
                f,
                "{} was saved by an older version of Framewise (saved format version {found}) \
                 and could not be upgraded. It has been left unchanged.",
                capitalized(what)
            ),
            Self::Unreadable { what, reason } if what == FILE_WHAT => write!(
                f,
                "{} could not be read: {reason}. It has been left unchanged.",
                capitalized(what)
            ),
            Self::Unreadable { what, reason } => write!(
                f,
                "{} could not be read: {reason}. It has been left unchanged; you can export a \
                 raw backup of it.",
                capitalized(what)
            ),
        }
    }
}

impl std::error::Error for LoadError {}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What the home screen lists for a readable project record.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProjectSummary {
    /// The project's id.
    pub id: ProjectId,
    /// Its name.
    pub name: String,
    /// Number of sources.
    pub sources: usize,
    /// Number of codes.
    pub codes: usize,
    /// Number of codings.
    pub codings: usize,
    /// Number of cases.
    pub cases: usize,
    /// Number of matrices.
    pub matrices: usize,
    /// When it was created.
    pub created: Timestamp,
    /// When it last changed.
    pub modified: Timestamp,
    /// When it was last opened.
    pub last_opened: Timestamp,
}

/// A stored project that cannot be opened: listed with whatever could be read, and the reason.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProjectProblem {
    /// The id, if it could be read.
    pub id: Option<ProjectId>,
    /// The name, if it could be read.
    pub name: Option<String>,
    /// Why it cannot be opened.
    pub error: LoadError,
}

/// The raw JSON strings of one project's records, as read from storage, for [`assemble`].
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct StoredRecords {
    /// The `projects` record.
    pub project: String,
    /// The `project_memos` record, if there is one (a missing one means an empty memo).
    pub memo: Option<String>,
    /// The `sources` records, any order.
    pub sources: Vec<String>,
    /// The `texts` records, any order.
    pub texts: Vec<String>,
    /// The `codes` records, any order.
    pub codes: Vec<String>,
    /// The `codings` records, any order.
    pub codings: Vec<String>,
    /// The `cases` records, any order.
    pub cases: Vec<String>,
    /// The `attributes` records, any order.
    pub attributes: Vec<String>,
    /// The `matrices` records, any order.
    pub matrices: Vec<String>,
    /// The `matrix_cells` records, any order.
    pub matrix_cells: Vec<String>,
    /// The `case_summaries` records, any order.
    pub case_summaries: Vec<String>,
    /// The `sets` records, any order.
    pub sets: Vec<String>,
}

impl StoredRecords {
    /// Adds one record read from `store` (the first `projects` and `project_memos` record
    /// count; a second one of the same project is ignored).
    pub fn push(&mut self, store: StoreName, json: String) {
        match store {
            StoreName::Projects => {
                if self.project.is_empty() {
                    self.project = json;
                }
            }
            StoreName::ProjectMemos => {
                if self.memo.is_none() {
                    self.memo = Some(json);
                }
            }
            StoreName::Sources => self.sources.push(json),
            StoreName::Texts => self.texts.push(json),
            StoreName::Codes => self.codes.push(json),
            StoreName::Codings => self.codings.push(json),
            StoreName::Cases => self.cases.push(json),
            StoreName::Attributes => self.attributes.push(json),
            StoreName::Matrices => self.matrices.push(json),
            StoreName::MatrixCells => self.matrix_cells.push(json),
            StoreName::CaseSummaries => self.case_summaries.push(json),
            StoreName::Sets => self.sets.push(json),
        }
    }
}

/// Stored records kept in memory, as a store holds them after a list of writes: the worker's
/// copy of the app's project, brought up to date with the writes of each change (the same
/// [`diff`] the app stores) and read back with [`assemble`], so it is what a reload would read.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct RecordStore {
    records: std::collections::BTreeMap<(StoreName, String), String>,
}

impl RecordStore {
    /// Stores `json` under `key` in `store`, or (`None`) removes that record.
    pub fn write(&mut self, store: StoreName, key: String, json: Option<String>) {
        match json {
            Some(json) => {
                self.records.insert((store, key), json);
            }
            None => {
                self.records.remove(&(store, key));
            }
        }
    }

    /// Applies `writes` in order.
    pub fn apply(&mut self, writes: impl IntoIterator<Item = Write>) {
        for write in writes {
            match write {
                Write::Put {
                    store, key, json, ..
                } => self.write(store, key, Some(json)),
                Write::Delete { store, key, .. } => self.write(store, key, None),
            }
        }
    }

    /// How many records are kept.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no record is kept.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The project the records hold, read as a reload reads it ([`assemble`]).
    pub fn assemble(&self) -> Result<Loaded, LoadError> {
        let mut stored = StoredRecords::default();
        for ((store, _), json) in &self.records {
            stored.push(*store, json.clone());
        }
        assemble(&stored)
    }
}

/// A project read back from storage or a file.
#[derive(Clone, PartialEq, Debug)]
pub struct Loaded {
    /// The project.
    pub project: Project,
    /// Its timestamps.
    pub meta: ProjectMeta,
    /// Records left out, one sentence each (e.g. a coding whose code is missing). They remain
    /// in storage untouched. Empty when everything loaded.
    pub warnings: Vec<String>,
}
