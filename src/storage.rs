//! Browser storage: the IndexedDB database `framewise` (layout and saved format in
//! `framewise_core::persist`), a debounced [`Saver`] that keeps every change durable within a
//! second without blocking typing, and persistent storage (`navigator.storage.persist()`).
//!
//! Schema versions: version 1 had the stores `projects`, `project_memos`, `sources`, `texts`,
//! `codes` and `codings`; version 2 adds `cases`, `attributes`, `matrices`, `matrix_cells`,
//! `case_summaries` and `sets`. The upgrade only creates stores that are missing (each with its
//! `project` index), so a version-1 database keeps every record; the records themselves are
//! migrated when read (`framewise_core::persist`; those the main wasm cannot read, by the worker).
//!
//! Nothing here panics: every failure is a [`StorageError`] the app shows in a banner. A project
//! whose stored records are of a newer version or unreadable is never written: the app opens
//! nothing, and [`Storage::apply_writes`] refuses writes to it as a second safety net.
//!
//! Stale writers: the `projects` record's stored value carries a revision (`rev`, beside `json`;
//! not part of the saved format) that every write transaction checks and raises. A connection
//! remembers the revision it last read or wrote per project; a write whose project's stored
//! revision differs (another tab or window wrote since, or deleted it) is refused as
//! [`StorageError::Conflict`] and writes nothing, so a stale tab never writes its copy of a record
//! over a newer one. [`Storage::claim`] raises the revision without writing, so a tab that opens a
//! project makes every earlier reader's next write fail (`tab_lock` keeps a project in one tab;
//! this is the safety net under it).

use framewise_core::persist::{
    self, LoadError, Loaded, ProjectMeta, ProjectProblem, ProjectSummary, StoreName, StoredRecords,
    Write,
};
use framewise_core::{Project, ProjectId};
use gloo::timers::callback::Timeout;
use idb::{Database, DatabaseEvent, Factory, KeyPath, ObjectStoreParams, Query, TransactionMode};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::IntoFuture;
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// `stores`' records with their JSON taken, in the same order, from `jsons` (as read, or as the
/// worker upgraded them).
fn stored_records(
    stores: &[(StoreName, Vec<(String, String)>)],
    jsons: impl IntoIterator<Item = String>,
) -> StoredRecords {
    let mut records = StoredRecords::default();
    let mut jsons = jsons.into_iter();
    for (store, list) in stores {
        for json in jsons.by_ref().take(list.len()) {
            records.push(*store, json);
        }
    }
    records
}

/// Why data of an older format version that the worker should have upgraded cannot be read.
pub fn upgrade_failed(found: u32, what: &str, why: &str) -> LoadError {
    LoadError::Unreadable {
        what: what.to_string(),
        reason: format!(
            "it was saved by an older version of Framewise (saved format version {found}), and \
             upgrading it failed: {why}"
        ),
    }
}

/// Name of the IndexedDB database.
pub const DB_NAME: &str = "framewise";
/// Version of the IndexedDB schema (the object stores; the record format has its own version).
pub const DB_VERSION: u32 = 2;
/// How long the [`Saver`] waits to gather rapid changes into one save.
pub const SAVE_DELAY_MS: u32 = 300;

/// Why browser storage failed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum StorageError {
    /// IndexedDB is missing, blocked or disabled (private browsing, strict privacy settings).
    Unavailable(String),
    /// The browser's storage quota for this site is used up.
    QuotaExceeded,
    /// The browser closed the database under the app (its `close` event): it does so when it
    /// clears or evicts the site's storage. Nothing more can be written until a reload.
    Closed,
    /// The project was changed (or deleted) in another tab or window after this one read it:
    /// nothing was written, so the newer data stays.
    Conflict,
    /// Anything else (including a write refused because the project could not be read).
    Other(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unavailable(reason) => write!(
                f,
                "Browser storage is not available ({reason}). This happens in private windows \
                 and with strict privacy settings. Changes cannot be kept in this browser: save \
                 the project to a file before closing the tab"
            ),
            Self::QuotaExceeded => write!(
                f,
                "Browser storage is full, so the latest changes are not saved yet. Save the \
                 project to a file, then free space (delete projects you no longer need)"
            ),
            Self::Closed => write!(
                f,
                "the browser closed this site's storage, as it does when it clears site data (to \
                 free disk space, or from its settings), so changes cannot be kept in this browser \
                 now. Save the project to a file; reloading Framewise opens storage again"
            ),
            Self::Conflict => write!(
                f,
                "this project was changed in another tab or window after this tab read it (or it \
                 is open there now), so this tab did not write over the newer version. Use “Save \
                 to file” to keep this tab's version, then open the project again"
            ),
            Self::Other(reason) => write!(f, "Saving in the browser failed: {reason}"),
        }
    }
}

impl std::error::Error for StorageError {}

fn dom_error(name: &str, message: &str) -> StorageError {
    match name {
        "QuotaExceededError" => StorageError::QuotaExceeded,
        "VersionError" => StorageError::Unavailable(
            "the database in this browser was set up by a newer version of Framewise; it has \
             been left unchanged, open it with that version"
                .into(),
        ),
        "InvalidStateError" | "SecurityError" | "UnknownError" | "NotAllowedError" => {
            StorageError::Unavailable(format!("{name}: {message}"))
        }
        _ => StorageError::Other(format!("{name}: {message}")),
    }
}

/// Maps a JS error value (a `DOMException`, an `Error` or anything) to a [`StorageError`].
fn js_error(value: &JsValue) -> StorageError {
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return dom_error(&e.name(), &e.message());
    }
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return dom_error(&String::from(e.name()), &String::from(e.message()));
    }
    StorageError::Other(value.as_string().unwrap_or_else(|| format!("{value:?}")))
}

fn idb_error(error: idb::Error) -> StorageError {
    match &error {
        idb::Error::DomException(e) => dom_error(&e.name(), &e.message()),
        idb::Error::IndexedDbNotFound(_) => {
            StorageError::Unavailable("this browser offers no IndexedDB here".into())
        }
        idb::Error::IndexedDbOpenFailed(v) => match js_error(v) {
            StorageError::Other(reason) => StorageError::Unavailable(reason),
            other => other,
        },
        idb::Error::AddFailed(v)
        | idb::Error::UpdateFailed(v)
        | idb::Error::DeleteFailed(v)
        | idb::Error::TransactionOpenFailed(v)
        | idb::Error::GetFailed(v)
        | idb::Error::GetAllFailed(v)
        | idb::Error::GetAllKeysFailed(v) => js_error(v),
        other => StorageError::Other(other.to_string()),
    }
}

/// One line of the home screen's project list.
#[derive(Clone, PartialEq, Debug)]
pub struct ListedProject {
    /// The project's id (its storage key).
    pub id: ProjectId,
    /// What could be read, or why it cannot be opened.
    pub listing: Result<ProjectSummary, ProjectProblem>,
}

impl ListedProject {
    /// The project's id.
    pub fn id(&self) -> ProjectId {
        self.id
    }
    /// Its name, or a stand-in when the record could not be read.
    pub fn name(&self) -> String {
        match &self.listing {
            Ok(s) => s.name.clone(),
            Err(p) => p
                .name
                .clone()
                .unwrap_or_else(|| format!("Unreadable project {}", self.id)),
        }
    }
    /// The summary, when the project can be opened.
    pub fn summary(&self) -> Option<&ProjectSummary> {
        self.listing.as_ref().ok()
    }
    /// Why it cannot be opened, if it cannot.
    pub fn problem(&self) -> Option<&LoadError> {
        self.listing.as_ref().err().map(|p| &p.error)
    }
    /// The problem as a sentence (empty when there is none).
    pub fn problem_text(&self) -> String {
        self.problem().map(ToString::to_string).unwrap_or_default()
    }
}

/// The open database, shared by the app (cheap to clone).
#[derive(Clone)]
pub struct Storage {
    db: Rc<Database>,
    /// Projects reported newer or unreadable in this session: never written.
    refused: Rc<RefCell<HashSet<ProjectId>>>,
    /// The `projects` record's revision this connection last read or wrote, per project (no
    /// entry: this connection expects the project not to be stored). See the module doc.
    revs: Rc<RefCell<HashMap<ProjectId, u64>>>,
    /// The savers writing through this connection ([`Storage::settle`]).
    savers: Rc<RefCell<Vec<Weak<RefCell<SaverState>>>>>,
    /// Write transactions under way.
    writing: Rc<Cell<u32>>,
    /// Set when the browser closed the database ([`StorageError::Closed`]).
    closed: Rc<Cell<bool>>,
}

/// A revision no stored record has: writes expecting it always fail ([`Storage::forget`]).
const GONE: u64 = u64::MAX;

/// The revision of a stored `projects` value (0 for values written before revisions existed).
fn revision(value: &JsValue) -> u64 {
    js_sys::Reflect::get(value, &"rev".into())
        .ok()
        .and_then(|r| r.as_f64())
        .map_or(0, |r| r as u64)
}

impl PartialEq for Storage {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.db, &other.db)
    }
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Storage")
            .field("db", &DB_NAME)
            .field("refused", &self.refused.borrow().len())
            .finish()
    }
}

/// The stored value: `{project: "<id>", json: "<record>"}`, keyed out of line.
fn stored_value(project: ProjectId, json: &str) -> Result<JsValue, StorageError> {
    let object = js_sys::Object::new();
    js_sys::Reflect::set(&object, &"project".into(), &project.to_string().into())
        .map_err(|e| js_error(&e))?;
    js_sys::Reflect::set(&object, &"json".into(), &json.into()).map_err(|e| js_error(&e))?;
    Ok(object.into())
}

/// The record string of a stored value. A value of another shape is kept as its JSON text,
/// which then reads as an unreadable record (never silently as nothing).
fn record_json(value: &JsValue) -> String {
    if let Some(json) = js_sys::Reflect::get(value, &"json".into())
        .ok()
        .and_then(|j| j.as_string())
    {
        return json;
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// [`record_json`] still in JS: the `json` string, or the value's JSON text.
fn record_text(value: &JsValue) -> JsValue {
    js_sys::Reflect::get(value, &"json".into())
        .ok()
        .filter(JsValue::is_string)
        .or_else(|| js_sys::JSON::stringify(value).ok().map(JsValue::from))
        .unwrap_or_else(|| JsValue::from_str(""))
}

/// The JS strings `texts` (anything else reads as empty) as Rust strings, copied into wasm a
/// million characters at a time instead of one by one: joined with U+0000 behind a first
/// character that is not ASCII, so that wasm-bindgen's copy hands the whole text to the
/// browser's UTF-8 encoder (its own loop walks ASCII one character at a time: ~80 ms of a
/// study's 15 MB reload, issue 12). `None` when a text holds U+0000 itself (JSON never does;
/// read one by one then).
fn strings_of(texts: impl Iterator<Item = JsValue>) -> Option<Vec<String>> {
    const CHUNK: u32 = 1 << 20;
    let mut out = Vec::new();
    let mut batch = js_sys::Array::new();
    let mut chars = 0;
    let flush = |batch: &js_sys::Array, out: &mut Vec<String>| -> Option<()> {
        let joined = String::from(batch.join("\0"));
        let mut parts = joined.split('\0');
        parts.next()?;
        let before = out.len();
        out.extend(parts.map(str::to_string));
        (out.len() - before == batch.length() as usize - 1).then_some(())
    };
    for text in texts {
        if batch.length() == 0 {
            batch.push(&JsValue::from_str("\u{80}"));
        }
        let text = text.dyn_into::<js_sys::JsString>().unwrap_or_default();
        chars += text.length();
        batch.push(&text);
        if chars >= CHUNK {
            flush(&batch, &mut out)?;
            batch = js_sys::Array::new();
            chars = 0;
        }
    }
    if batch.length() > 0 {
        flush(&batch, &mut out)?;
    }
    Some(out)
}

fn record_project(value: &JsValue) -> Option<ProjectId> {
    js_sys::Reflect::get(value, &"project".into())
        .ok()
        .and_then(|p| p.as_string())
        .and_then(|p| ProjectId::parse(&p))
}

/// Waits until the transaction commits (`Ok`) or aborts (`Err` with its error, e.g. quota).
async fn finished(transaction: idb::Transaction) -> Result<(), StorageError> {
    let raw: web_sys::IdbTransaction = transaction.into();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        raw.set_oncomplete(Some(&resolve));
        raw.set_onabort(Some(&reject));
    });
    let result = JsFuture::from(promise).await;
    raw.set_oncomplete(None);
    raw.set_onabort(None);
    match result {
        Ok(_) => Ok(()),
        Err(_) => Err(match raw.error() {
            Some(e) => dom_error(&e.name(), &e.message()),
            None => StorageError::Other("the save was cancelled by the browser".into()),
        }),
    }
}

fn store_names() -> Vec<&'static str> {
    StoreName::ALL.iter().map(|s| s.as_str()).collect()
}

impl Storage {
    /// Opens (creating on first use, upgrading an older schema) the `framewise` database.
    pub async fn open() -> Result<Storage, StorageError> {
        Self::open_named(DB_NAME, || ()).await
    }

    /// Opens the database `name` at [`DB_VERSION`], creating missing stores: [`Storage::open`]
    /// with another name, so tests can set up a database of an older layout of their own.
    /// `on_blocked` is called if the upgrade has to wait because another tab (an older
    /// Framewise) holds the database open: the open then waits until that tab lets go.
    pub async fn open_named(
        name: &str,
        on_blocked: impl Fn() + 'static,
    ) -> Result<Storage, StorageError> {
        let factory = Factory::new().map_err(idb_error)?;
        let mut request = factory.open(name, Some(DB_VERSION)).map_err(idb_error)?;
        let upgrade_failed: Rc<Cell<Option<String>>> = Rc::new(Cell::new(None));
        let failed = upgrade_failed.clone();
        request.on_upgrade_needed(move |event| {
            if let Err(e) = create_stores(&event) {
                failed.set(Some(e.to_string()));
            }
        });
        let blocked = Rc::new(Cell::new(false));
        let was_blocked = blocked.clone();
        request.on_blocked(move |_| {
            was_blocked.set(true);
            on_blocked();
        });
        let db = request.await.map_err(|e| match idb_error(e) {
            StorageError::Other(reason) if blocked.get() => StorageError::Unavailable(format!(
                "another Framewise tab holds an older database open ({reason})"
            )),
            StorageError::Other(reason) => StorageError::Unavailable(reason),
            other => other,
        })?;
        if let Some(reason) = upgrade_failed.take() {
            db.close();
            return Err(StorageError::Unavailable(format!(
                "the database could not be set up: {reason}"
            )));
        }
        let missing: Vec<&str> = {
            let existing = db.store_names();
            store_names()
                .into_iter()
                .filter(|name| !existing.iter().any(|e| e == name))
                .collect()
        };
        if !missing.is_empty() {
            db.close();
            return Err(StorageError::Unavailable(format!(
                "the database lacks the stores {}",
                missing.join(", ")
            )));
        }
        // A newer Framewise in another tab that needs to upgrade the database is not blocked
        // by this one: this connection closes, and its next save reports storage unavailable.
        let mut db = db;
        db.on_version_change(|event: web_sys::Event| {
            if let Some(db) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::IdbDatabase>().ok())
            {
                db.close();
            }
        });
        // Fired only when the browser closes the connection itself (site data cleared or
        // evicted), not on `close()`.
        let closed = Rc::new(Cell::new(false));
        let on_closed = closed.clone();
        db.on_close(move |_| on_closed.set(true));
        Ok(Storage {
            db: Rc::new(db),
            refused: Rc::new(RefCell::new(HashSet::new())),
            revs: Rc::new(RefCell::new(HashMap::new())),
            savers: Rc::new(RefCell::new(Vec::new())),
            writing: Rc::new(Cell::new(0)),
            closed,
        })
    }

    /// A failure as the researcher should read it: once the browser has closed the database,
    /// every failure is that.
    fn fault(&self, error: StorageError) -> StorageError {
        if self.closed.get() {
            StorageError::Closed
        } else {
            error
        }
    }

    fn refuse(&self, id: ProjectId) {
        self.refused.borrow_mut().insert(id);
    }

    /// True when `id` was reported newer or unreadable in this session (and is never written).
    pub fn is_refused(&self, id: ProjectId) -> bool {
        self.refused.borrow().contains(&id)
    }

    /// Every stored project, readable ones by most recently opened, then those that cannot be
    /// opened (listed with what could be read and why). The latter are remembered as refused.
    pub async fn list_projects(&self) -> Result<Vec<ListedProject>, StorageError> {
        self.list_projects_inner().await.map_err(|e| self.fault(e))
    }

    async fn list_projects_inner(&self) -> Result<Vec<ListedProject>, StorageError> {
        let tx = self
            .db
            .transaction(&[StoreName::Projects.as_str()], TransactionMode::ReadOnly)
            .map_err(idb_error)?;
        let store = tx
            .object_store(StoreName::Projects.as_str())
            .map_err(idb_error)?;
        let keys = store
            .get_all_keys(None, None)
            .map_err(idb_error)?
            .into_future();
        let values = store.get_all(None, None).map_err(idb_error)?.into_future();
        let keys = keys.await.map_err(idb_error)?;
        let values = values.await.map_err(idb_error)?;
        let mut listed = Vec::new();
        for (key, value) in keys.iter().zip(values.iter()) {
            let json = record_json(value);
            let listing = persist::summary(&json);
            let id = key
                .as_string()
                .and_then(|k| ProjectId::parse(&k))
                .or_else(|| record_project(value))
                .or_else(|| listing.as_ref().err().and_then(|p| p.id));
            let Some(id) = id else { continue };
            if listing.is_err() {
                self.refuse(id);
            }
            listed.push(ListedProject { id, listing });
        }
        framewise_core::sort::sort_by_key(&mut listed, |p| match &p.listing {
            Ok(s) => (0, -s.last_opened),
            Err(_) => (1, 0),
        });
        Ok(listed)
    }

    /// Every stored record of one project as `(store, [(key, json)])`, and the revision of its
    /// `projects` record (`None`: not stored), read in one transaction.
    async fn records_of(
        &self,
        id: ProjectId,
    ) -> Result<(Vec<(StoreName, Vec<(String, String)>)>, Option<u64>), StorageError> {
        let tx = self
            .db
            .transaction(&store_names(), TransactionMode::ReadOnly)
            .map_err(idb_error)?;
        let id_key = JsValue::from(id.to_string());
        let mut pending = Vec::new();
        for store_name in StoreName::ALL {
            let store = tx.object_store(store_name.as_str()).map_err(idb_error)?;
            let index = store.index(StoreName::PROJECT_INDEX).map_err(idb_error)?;
            let keys = index
                .get_all_keys(Some(Query::Key(id_key.clone())), None)
                .map_err(idb_error)?
                .into_future();
            let values = index
                .get_all(Some(Query::Key(id_key.clone())), None)
                .map_err(idb_error)?
                .into_future();
            pending.push((store_name, keys, values));
        }
        let mut out = Vec::new();
        let mut rev = None;
        let id_text = id.to_string();
        for (store_name, keys, values) in pending {
            let keys = keys.await.map_err(idb_error)?;
            let values = values.await.map_err(idb_error)?;
            if store_name == StoreName::Projects {
                for (k, v) in keys.iter().zip(values.iter()) {
                    if k.as_string().as_deref() == Some(id_text.as_str()) {
                        rev = Some(revision(v));
                    }
                }
            }
            let keys = strings_of(keys.iter().cloned()).unwrap_or_else(|| {
                keys.iter()
                    .map(|k| k.as_string().unwrap_or_default())
                    .collect()
            });
            let jsons = strings_of(values.iter().map(record_text))
                .unwrap_or_else(|| values.iter().map(record_json).collect());
            out.push((store_name, keys.into_iter().zip(jsons).collect()));
        }
        Ok((out, rev))
    }

    /// Reads one project. `Ok(Err(_))`: the records are of a newer version or unreadable; the
    /// project is then refused for writing for the rest of the session, and its records are left
    /// exactly as they are. Records of an older version that the main wasm does not read
    /// (`LoadError::OlderVersion`) are upgraded by the worker first; the upgraded copies are
    /// only read, never written.
    pub async fn load_project(
        &self,
        id: ProjectId,
    ) -> Result<Result<Loaded, LoadError>, StorageError> {
        let (stores, rev) = self.records_of(id).await?;
        match rev {
            Some(rev) => self.revs.borrow_mut().insert(id, rev),
            None => self.revs.borrow_mut().remove(&id),
        };
        if !stores
            .iter()
            .any(|(store, list)| *store == StoreName::Projects && !list.is_empty())
        {
            return Ok(Err(LoadError::Unreadable {
                what: "the project".into(),
                reason: "it is not stored in this browser (it may have been deleted in another \
                         tab)"
                    .into(),
            }));
        }
        let jsons = || {
            stores
                .iter()
                .flat_map(|(_, list)| list.iter().map(|(_, j)| j))
        };
        let mut loaded = persist::assemble(&stored_records(&stores, jsons().cloned()));
        if let Err(LoadError::OlderVersion { found, what }) = &loaded {
            // Saved by an older version in a shape only the worker upgrades (the upgrade steps
            // are not in the main wasm): read its upgraded copy. Nothing is written back.
            loaded = match crate::worker_client::upgrade(jsons().cloned().collect()).await {
                Ok(upgraded) => persist::assemble(&stored_records(&stores, upgraded)),
                Err(e) => Err(upgrade_failed(*found, what, &e)),
            };
        }
        if loaded.is_err() {
            self.refuse(id);
        }
        Ok(loaded)
    }

    /// Reads a project to edit it here: [`Storage::load_project`], then [`Storage::claim`], so
    /// that any other tab or window that read it before can no longer write to it.
    pub async fn open_project(
        &self,
        id: ProjectId,
    ) -> Result<Result<Loaded, LoadError>, StorageError> {
        let mut tries = 0;
        loop {
            let loaded = self.load_project(id).await?;
            if loaded.is_err() {
                return Ok(loaded);
            }
            match self.claim(id).await {
                // Written in between: read it again.
                Err(StorageError::Conflict) if tries < 3 => tries += 1,
                Err(e) => return Err(e),
                Ok(()) => return Ok(loaded),
            }
        }
    }

    /// Applies the writes in one read-write transaction and waits until it is committed.
    /// Returns the bytes of record data written. Refuses (writing nothing) if any write touches
    /// a project reported newer or unreadable in this session, or one whose stored revision is
    /// not the one this connection last read or wrote ([`StorageError::Conflict`]).
    pub async fn apply_writes(&self, writes: &[Write]) -> Result<usize, StorageError> {
        if writes.is_empty() {
            return Ok(0);
        }
        if let Some(w) = writes.iter().find(|w| self.is_refused(w.project())) {
            return Err(StorageError::Other(format!(
                "the stored project {} could not be read, so Framewise will not write to it",
                w.project()
            )));
        }
        let mut projects: Vec<ProjectId> = writes.iter().map(Write::project).collect();
        framewise_core::sort::sort(&mut projects);
        projects.dedup();
        self.checked_write(&projects, writes).await
    }

    /// Raises the stored revision of a project without changing its records, so any other
    /// tab or window that read it earlier can no longer write to it. Fails with
    /// [`StorageError::Conflict`] if it changed since this connection read it.
    pub async fn claim(&self, id: ProjectId) -> Result<(), StorageError> {
        self.checked_write(&[id], &[]).await.map(|_| ())
    }

    /// Makes every later write of this connection to `id` fail as a conflict (the project is
    /// now edited in another tab), until it is read again.
    pub fn forget(&self, id: ProjectId) {
        self.revs.borrow_mut().insert(id, GONE);
    }

    async fn checked_write(
        &self,
        projects: &[ProjectId],
        writes: &[Write],
    ) -> Result<usize, StorageError> {
        self.writing.set(self.writing.get() + 1);
        let result = self.checked_write_inner(projects, writes).await;
        self.writing.set(self.writing.get().saturating_sub(1));
        result.map_err(|e| self.fault(e))
    }

    async fn checked_write_inner(
        &self,
        projects: &[ProjectId],
        writes: &[Write],
    ) -> Result<usize, StorageError> {
        let mut names: Vec<&str> = writes.iter().map(|w| w.store().as_str()).collect();
        names.push(StoreName::Projects.as_str());
        framewise_core::sort::sort(&mut names);
        names.dedup();
        let tx = self
            .db
            .transaction(&names, TransactionMode::ReadWrite)
            .map_err(idb_error)?;
        let project_store = tx
            .object_store(StoreName::Projects.as_str())
            .map_err(idb_error)?;
        // Check every revision inside the transaction (read-write transactions on the same
        // store run one after another, so nothing can come between the check and the writes).
        let mut next = Vec::new();
        for &id in projects {
            let current = project_store
                .get(Query::Key(JsValue::from(id.to_string())))
                .map_err(idb_error)?
                .await
                .map_err(idb_error)?;
            let stored = current.as_ref().map(revision);
            if stored != self.revs.borrow().get(&id).copied() {
                let _ = tx.abort();
                return Err(StorageError::Conflict);
            }
            let rev = stored.map_or(1, |r| r.saturating_add(1));
            next.push((id, rev, current));
        }
        let mut bytes = 0;
        let mut rewritten = Vec::new();
        for write in writes {
            let store = tx.object_store(write.store().as_str()).map_err(idb_error)?;
            let key = JsValue::from(write.key());
            match write {
                Write::Put { project, json, .. } => {
                    let value = stored_value(*project, json)?;
                    if write.store() == StoreName::Projects && write.key() == project.to_string() {
                        if let Some((_, rev, _)) = next.iter().find(|(id, ..)| id == project) {
                            js_sys::Reflect::set(&value, &"rev".into(), &(*rev as f64).into())
                                .map_err(|e| js_error(&e))?;
                            rewritten.push(*project);
                        }
                    }
                    // Errors also abort the transaction, which `finished` reports.
                    store.put(&value, Some(&key)).map_err(idb_error)?;
                    bytes += json.len();
                }
                Write::Delete { .. } => {
                    store.delete(Query::Key(key)).map_err(idb_error)?;
                }
            }
        }
        // A project whose own record was not rewritten still gets its new revision.
        for (id, rev, current) in &next {
            if rewritten.contains(id) {
                continue;
            }
            if let Some(value) = current.as_ref().filter(|v| v.is_object()) {
                js_sys::Reflect::set(value, &"rev".into(), &(*rev as f64).into())
                    .map_err(|e| js_error(&e))?;
                project_store
                    .put(value, Some(&JsValue::from(id.to_string())))
                    .map_err(idb_error)?;
                rewritten.push(*id);
            }
        }
        finished(tx).await?;
        let mut revs = self.revs.borrow_mut();
        for (id, rev, _) in next {
            if rewritten.contains(&id) {
                revs.insert(id, rev);
            }
        }
        Ok(bytes)
    }

    /// Saves what every saver of this connection holds and waits (at most ~5 s) until it is
    /// written: before another tab takes the project over. True when everything was written
    /// (false: a save failed, e.g. a conflict, or it took too long).
    pub async fn settle(&self) -> bool {
        for _ in 0..250 {
            let savers: Vec<_> = self
                .savers
                .borrow()
                .iter()
                .filter_map(Weak::upgrade)
                .collect();
            let mut busy = self.writing.get() > 0;
            for saver in &savers {
                let (waiting, saving) = {
                    let s = saver.borrow();
                    (s.pending.is_some() && !s.failed, s.saving)
                };
                if waiting && !saving {
                    save_now(saver);
                }
                busy |= waiting || saving;
            }
            if !busy {
                return !savers.iter().any(|s| {
                    let s = s.borrow();
                    s.failed && s.pending.is_some()
                });
            }
            gloo::timers::future::TimeoutFuture::new(20).await;
        }
        false
    }

    /// Deletes every record of a project (an explicit choice of the researcher, so this works
    /// for refused projects too).
    pub async fn delete_project(&self, id: ProjectId) -> Result<(), StorageError> {
        let (stores, _) = self.records_of(id).await?;
        let tx = self
            .db
            .transaction(&store_names(), TransactionMode::ReadWrite)
            .map_err(idb_error)?;
        for (store_name, records) in stores {
            let store = tx.object_store(store_name.as_str()).map_err(idb_error)?;
            for (key, _) in records {
                store
                    .delete(Query::Key(JsValue::from(key)))
                    .map_err(idb_error)?;
            }
        }
        // The project record's key is the id; delete it even if its value had another shape.
        let projects = tx
            .object_store(StoreName::Projects.as_str())
            .map_err(idb_error)?;
        projects
            .delete(Query::Key(JsValue::from(id.to_string())))
            .map_err(idb_error)?;
        finished(tx).await?;
        self.revs.borrow_mut().remove(&id);
        Ok(())
    }

    /// Every stored record of a project, byte for byte, as one JSON document
    /// (`persist::raw_backup`), for the "export raw backup" of a project that cannot be opened.
    pub async fn raw_records(&self, id: ProjectId) -> Result<String, StorageError> {
        let (stores, _) = self.records_of(id).await?;
        Ok(persist::raw_backup(&id.to_string(), &stores))
    }
}

fn create_stores(event: &idb::event::VersionChangeEvent) -> Result<(), idb::Error> {
    let db = event.database()?;
    let existing = db.store_names();
    for name in store_names() {
        if existing.iter().any(|e| e == name) {
            continue;
        }
        let store = db.create_object_store(name, ObjectStoreParams::new())?;
        store.create_index(
            StoreName::PROJECT_INDEX,
            KeyPath::new_single("project"),
            None,
        )?;
    }
    Ok(())
}

/// `navigator.storage`, when this browser has it.
fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    (!storage.is_undefined() && !storage.is_null()).then(|| navigator.storage())
}

async fn answer(promise: Result<js_sys::Promise, JsValue>) -> Option<bool> {
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

/// Whether the browser keeps this site's storage under storage pressure
/// (`navigator.storage.persisted()`, which never asks the person). `None`: not supported.
pub async fn persisted() -> Option<bool> {
    answer(storage_manager()?.persisted()).await
}

/// Asks the browser to keep this site's storage under storage pressure
/// (`navigator.storage.persist()`; Chromium decides by itself, Firefox may ask the person).
/// `None`: not supported.
pub async fn request_persistence() -> Option<bool> {
    answer(storage_manager()?.persist()).await
}

/// What the [`Saver`] reports to the status line.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SaveStatus {
    /// A save is being written.
    Saving,
    /// Everything is saved: the last write transaction has committed (its `complete` event)
    /// and no change is waiting. `bytes` of record data were written by the last save.
    Saved {
        /// Bytes written.
        bytes: usize,
    },
    /// The last save failed; the changes are kept in memory and saved again on the next change
    /// or [`Saver::flush`].
    Failed(StorageError),
}

struct SaverState {
    storage: Storage,
    /// What is stored: the last project saved or loaded (`None`: nothing stored yet).
    saved: Option<Project>,
    /// The timestamps last stored (`None`: not known, written with the first save).
    saved_meta: Option<ProjectMeta>,
    /// The newest project not yet stored.
    pending: Option<(Project, ProjectMeta)>,
    timer: Option<Timeout>,
    saving: bool,
    /// The last save failed (cleared by the next that succeeds).
    failed: bool,
    on_status: Rc<dyn Fn(SaveStatus)>,
}

impl Drop for SaverState {
    /// A saver dropped with a change not yet written (its workbench closed within the save
    /// delay) still writes it; a conflict or failure is logged (no one is left to show it).
    fn drop(&mut self) {
        let Some((project, meta)) = self.pending.take() else {
            return;
        };
        let writes = persist::diff(self.saved.as_ref(), &project, &meta);
        let storage = self.storage.clone();
        spawn_local(async move {
            if let Err(e) = storage.apply_writes(&writes).await {
                web_sys::console::warn_1(
                    &format!("Framewise: a last change was not saved: {e}").into(),
                );
            }
        });
    }
}

/// Saves one open project: changes are gathered for [`SAVE_DELAY_MS`] and written as one diff
/// (`persist::diff` from what is stored), so typing never waits for storage and a change is
/// durable well within a second. A failed save keeps the unsaved project and is retried with
/// the next change or [`Saver::flush`]: nothing is silently dropped.
#[derive(Clone)]
pub struct Saver {
    state: Rc<RefCell<SaverState>>,
}

impl PartialEq for Saver {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

impl fmt::Debug for Saver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Saver")
            .field("unsaved", &self.has_unsaved())
            .finish()
    }
}

impl Saver {
    /// A saver for one project. `saved` is what storage holds now: the loaded project, or
    /// `None` for a project not stored yet (its first save writes every record).
    pub fn new(
        storage: Storage,
        saved: Option<Project>,
        on_status: impl Fn(SaveStatus) + 'static,
    ) -> Saver {
        let savers = storage.savers.clone();
        let state = Rc::new(RefCell::new(SaverState {
            storage,
            saved,
            saved_meta: None,
            pending: None,
            timer: None,
            saving: false,
            failed: false,
            on_status: Rc::new(on_status),
        }));
        let mut savers = savers.borrow_mut();
        savers.retain(|s| s.strong_count() > 0);
        savers.push(Rc::downgrade(&state));
        Saver { state }
    }

    /// Records a new version of the project; it is saved within [`SAVE_DELAY_MS`] (rapid
    /// changes are gathered into one save, and continuous typing does not postpone it).
    pub fn project_changed(&self, project: &Project, meta: ProjectMeta) {
        let on_status = {
            let mut state = self.state.borrow_mut();
            // A real change is "Saving…" from the moment it is queued, not only once written, so
            // the status never claims "Saved" for a change still waiting. (Cheap: a `Project`
            // compares its shared parts by pointer.)
            let changed = state.saved.as_ref() != Some(project);
            state.pending = Some((project.clone(), meta));
            if state.timer.is_none() && !state.saving {
                state.timer = Some(schedule(Rc::downgrade(&self.state)));
            }
            changed.then(|| state.on_status.clone())
        };
        if let Some(on_status) = on_status {
            on_status(SaveStatus::Saving);
        }
    }

    /// Saves now (on `pagehide`, `visibilitychange`, before closing the project). The write
    /// starts at once (in a microtask); completion is reported through the status callback.
    pub fn flush(&self) {
        save_now(&self.state);
    }

    /// True while a change is not yet stored (waiting, being written, or failed).
    pub fn has_unsaved(&self) -> bool {
        let state = self.state.borrow();
        state.pending.is_some() || state.saving
    }
}

fn schedule(state: Weak<RefCell<SaverState>>) -> Timeout {
    Timeout::new(SAVE_DELAY_MS, move || {
        if let Some(state) = state.upgrade() {
            state.borrow_mut().timer = None;
            save_now(&state);
        }
    })
}

fn save_now(state_rc: &Rc<RefCell<SaverState>>) {
    let (storage, writes, project, meta, on_status) = {
        let mut state = state_rc.borrow_mut();
        if let Some(timer) = state.timer.take() {
            timer.cancel();
        }
        if state.saving {
            // The running save schedules the next one when it ends.
            return;
        }
        let Some((project, meta)) = state.pending.take() else {
            return;
        };
        let mut writes = persist::diff(state.saved.as_ref(), &project, &meta);
        if writes.is_empty() && state.saved_meta != Some(meta) {
            // Only the timestamps changed (e.g. "last opened" on opening): the small record.
            writes.push(persist::project_record_write(&project, &meta));
        }
        if writes.is_empty() {
            state.saved = Some(project);
            let on_status = state.on_status.clone();
            drop(state);
            on_status(SaveStatus::Saved { bytes: 0 });
            return;
        }
        state.saving = true;
        (
            state.storage.clone(),
            writes,
            project,
            meta,
            state.on_status.clone(),
        )
    };
    on_status(SaveStatus::Saving);
    let state_rc = state_rc.clone();
    spawn_local(async move {
        let result = storage.apply_writes(&writes).await;
        let status = {
            let mut state = state_rc.borrow_mut();
            state.saving = false;
            state.failed = result.is_err();
            match result {
                Ok(bytes) => {
                    state.saved = Some(project);
                    state.saved_meta = Some(meta);
                    if state.pending.is_some() {
                        // A change made while this save was written is still waiting: "Saved"
                        // would claim it is stored (a crash now would lose it), so the status
                        // stays "Saving…" until the save that holds it has committed.
                        if state.timer.is_none() {
                            state.timer = Some(schedule(Rc::downgrade(&state_rc)));
                        }
                        SaveStatus::Saving
                    } else {
                        SaveStatus::Saved { bytes }
                    }
                }
                Err(error) => {
                    if state.pending.is_none() {
                        state.pending = Some((project, meta));
                    }
                    SaveStatus::Failed(error)
                }
            }
        };
        on_status(status);
    });
}
