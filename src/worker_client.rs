//! The app's side of the file-reader Web Worker (`worker/`, built by Trunk; its loader is
//! `framewise-worker-HASH_loader.js`, named in the boot script's `data-framewise-worker`): the readers too heavy for the main wasm (docx, odt, vtt, srt,
//! rtf, html, pdf, REFI-QDA) run there, and a reader that panics kills only the worker.
//!
//! The worker is spawned on the first request (so it costs nothing at start), requests are
//! answered by id, and if the worker dies (a reader panicked: the release profile aborts, which
//! traps the worker's wasm) every pending request fails with [`CRASHED`] and the next request
//! starts a fresh worker. A request unanswered after two minutes (a reader stuck in a loop on a
//! damaged file) ends the worker the same way, failing with [`TOO_SLOW`]. The protocol is typed in `framewise_core::protocol`.

use framewise_core::protocol::{self, FromWorker, Reply, Request, ToWorker, BYTES, MESSAGE};
use futures_channel::oneshot;
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, MessageEvent, Worker};

/// A request's error when the worker died while handling it.
pub const CRASHED: &str = "the file could not be read (the reader crashed on it)";
/// A request's error when the worker could not be started.
pub const NOT_STARTED: &str =
    "the file could not be read (the file reader did not start in this browser)";
/// A request's error when the worker took longer than [`REQUEST_TIMEOUT_MS`] on it (a reader
/// stuck in a loop on a damaged file): the worker is ended and the next request starts afresh.
pub const TOO_SLOW: &str = "the file could not be read (the reader took too long on it)";
/// The other pending requests' error when the worker was ended because of a slow request.
pub const STOPPED: &str =
    "the file could not be read (the file reader was stopped while it worked \
                       on another file)";
/// How long a new worker may take to load before its requests fail with [`NOT_STARTED`].
const START_TIMEOUT_MS: u32 = 30_000;
/// How long one request may take once sent to the worker (a 50 MB PDF is read well within it).
const REQUEST_TIMEOUT_MS: u32 = 120_000;

/// The worker's answer to one request: its reply and the bytes that came beside it (an
/// exported file's).
type Outcome = Result<(Reply, Option<Uint8Array>), String>;

/// The error for an answer of the wrong kind (a worker of another build).
pub const UNUSABLE: &str = "the file reader gave an answer Framewise cannot use";

/// A fresh copy of the built-in demo project, built in the worker ([`Request::Demo`]) with new
/// random ids, so that every copy is a project of its own.
pub async fn demo_project(now: i64) -> Result<framewise_core::Project, String> {
    match request(Request::Demo { now }, None).await?.0 {
        Reply::Project(file) => file.load(),
        _ => Err(UNUSABLE.into()),
    }
}

/// The project with new ids for everything ([`Request::FreshCopy`], in the worker: the id
/// rewriting would otherwise take ~5 KB of the main wasm), so that it can be stored beside the
/// project it was copied from.
pub async fn fresh_copy(
    project: &framewise_core::Project,
) -> Result<framewise_core::Project, String> {
    let project = protocol::ProjectFile::of(project, 0);
    match request(Request::FreshCopy { project }, None).await?.0 {
        Reply::Project(file) => file.load(),
        _ => Err(UNUSABLE.into()),
    }
}

/// Searches the project's sources in the worker ([`Request::Search`]: the search engine and its
/// `regex` stay out of the main wasm), answered as `shown` asks: the hits' places, or the
/// results view written out (core's `search::shown`, so the page decodes strings and places,
/// not the hits). The worker keeps a copy of the project, brought up to date before the
/// search with the records changed since ([`send_project`]), so the text travels once (or
/// again when the worker restarted). The error is a sentence: the query's problem, or the
/// worker's.
pub async fn search(
    project: &std::rc::Rc<framewise_core::Project>,
    search: framewise_core::search::Search,
    shown: framewise_core::search::Shown,
) -> Result<framewise_core::search::SearchShown, String> {
    let reply = with_kept_project(project, |project| Request::Search {
        project,
        search: search.clone(),
        shown: shown.clone(),
    })
    .await
    // The worker's crash message speaks of reading a file; a search says what stopped.
    .map_err(|e| {
        if e == CRASHED {
            "the search stopped: the background worker crashed (try again)".to_string()
        } else {
            e
        }
    })?;
    match reply {
        Reply::Searched(found) => Ok(found),
        _ => Err(UNUSABLE.into()),
    }
}

/// Draws a chart in the worker ([`Request::Chart`]: the chart code stays out of the main wasm),
/// with the project kept there as for [`search`]: the view's controls written out for `choice`,
/// and the chart or why it cannot be drawn. The error is the worker's sentence.
pub async fn chart(
    project: &std::rc::Rc<framewise_core::Project>,
    choice: framewise_core::chart::Choice,
) -> Result<framewise_core::chart::Shown, String> {
    let reply = with_kept_project(project, |project| Request::Chart {
        project,
        choice: choice.clone(),
    })
    .await
    .map_err(|e| {
        if e == CRASHED {
            "the chart could not be drawn: the background worker crashed (try again)".to_string()
        } else {
            e
        }
    })?;
    match reply {
        Reply::Chart(shown) => shown.get(),
        _ => Err(UNUSABLE.into()),
    }
}

/// The memo list written out in the worker ([`Request::Memos`], with the project kept there as
/// for [`search`]): its count and markup for the search box's `query` and the `kind` of thing
/// the memos are attached to. The error is the worker's sentence.
pub async fn memos(
    project: &std::rc::Rc<framewise_core::Project>,
    query: String,
    kind: String,
) -> Result<framewise_core::memos::MemosShown, String> {
    match with_kept_project(project, |project| Request::Memos {
        project,
        query: query.clone(),
        kind: kind.clone(),
    })
    .await
    .map_err(|e| {
        if e == CRASHED {
            "the memo list could not be made: the background worker crashed (try again)".to_string()
        } else {
            e
        }
    })? {
        Reply::Memos(shown) => Ok(shown),
        _ => Err(UNUSABLE.into()),
    }
}

/// Agreement between coders and the passages where the first two differ, computed and written
/// out in the worker ([`Request::Agreement`], with the project kept there as for [`search`]):
/// the table (or why it cannot be made) and the list as markup, and the passages listed. The
/// error is the worker's.
pub async fn agreement(
    project: &std::rc::Rc<framewise_core::Project>,
    comparison: framewise_core::agreement::Comparison,
) -> Result<framewise_core::agreement::Written, String> {
    let reply = with_kept_project(project, |project| Request::Agreement {
        project,
        comparison: comparison.clone(),
    })
    .await
    .map_err(|e| {
        if e == CRASHED {
            "the comparison stopped: the background worker crashed (try again)".to_string()
        } else {
            e
        }
    })?;
    match reply {
        Reply::Agreement(written) => Ok(written),
        _ => Err(UNUSABLE.into()),
    }
}

/// Asks the worker for a crosstab or co-occurrence table ([`Request::Crosstab`], with the
/// project kept there as for [`search`]): the table as shown, a cell's passages, or the table as
/// a CSV or XLSX file (its bytes beside the reply). The error is a sentence.
pub async fn crosstab(
    project: &std::rc::Rc<framewise_core::Project>,
    choice: &framewise_core::crosstab::Choice,
    ask: protocol::TableAsk,
) -> Outcome {
    with_kept_project_bytes(project, |project| Request::Crosstab {
        project,
        choice: choice.clone(),
        ask,
    })
    .await
    .map_err(|e| {
        if e == CRASHED {
            "the table could not be made: the background worker crashed (try again)".to_string()
        } else {
            e
        }
    })
}

/// A codebook or case table CSV read by the worker: the file's name, its preview written out,
/// and the action that imports it (one undo step). Equal only to itself (each file read is its
/// own), so that the page need not compare actions.
#[derive(Clone, Debug)]
pub struct CsvImport {
    /// The file's name.
    pub file: String,
    /// What the preview shows, written out by the worker.
    pub shown: protocol::CsvShown,
    /// What confirming dispatches.
    pub action: framewise_core::Action,
}

impl PartialEq for CsvImport {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// Reads a codebook or case table CSV in the worker ([`Request::CsvImport`], with the project
/// kept there as for [`search`]: the parsing stays out of the main wasm). The action is taken
/// back from the project the worker staged ([`protocol::CsvKind::action`]). `Ok(Err(..))` is
/// the worker's sentence on a file that is not such a CSV; the outer error is the worker's.
pub async fn csv_import(
    project: &std::rc::Rc<framewise_core::Project>,
    kind: protocol::CsvKind,
    file: String,
    text: String,
) -> Result<Result<CsvImport, String>, String> {
    let now = crate::state::now();
    let reply = with_kept_project(project, |project| Request::CsvImport {
        project,
        kind,
        file_name: file.clone(),
        text: text.clone(),
        now,
    })
    .await?;
    match reply {
        Reply::CsvImported { staged, shown } => Ok(Ok(CsvImport {
            action: kind.action(project, &staged.load()?, shown.rows),
            file,
            shown,
        })),
        Reply::CsvRefused(why) => Ok(Err(why)),
        _ => Err(UNUSABLE.into()),
    }
}

/// Plans pseudonymising `project` with `key` in the worker ([`Request::Pseudonymise`], with the
/// project kept there as for [`search`]; only `sources` when given): the preview written out,
/// the sentence once applied and the action (core's `pseudonym::shown`). The error is a
/// sentence.
pub async fn pseudonymise(
    project: &std::rc::Rc<framewise_core::Project>,
    key: &[framewise_core::Pseudonym],
    sources: Option<&[framewise_core::SourceId]>,
) -> Result<framewise_core::pseudonym::shown::PseudonymShown, String> {
    let reply = with_kept_project(project, |project| Request::Pseudonymise {
        project,
        key: key.to_vec(),
        sources: sources.map(<[_]>::to_vec),
    })
    .await?;
    match reply {
        Reply::Pseudonym(planned) => Ok(planned),
        _ => Err(UNUSABLE.into()),
    }
}

/// The export check in the worker ([`Request::CheckNames`]): real names of `key` in `written`
/// (transferred), or in `project` and, when `project_written`, its file's text; `None` when
/// there are none. The error is a sentence.
pub async fn check_names(
    key: &[framewise_core::Pseudonym],
    project: Option<protocol::ProjectFile>,
    project_written: bool,
    written: &[u8],
) -> Result<Option<framewise_core::pseudonym::shown::PseudonymShown>, String> {
    let check = Request::CheckNames {
        key: key.to_vec(),
        project,
        project_written,
    };
    match request(check, Some(Uint8Array::from(written))).await?.0 {
        Reply::Pseudonym(found) => Ok(Some(found).filter(|f| f.count > 0)),
        _ => Err(UNUSABLE.into()),
    }
}

/// The codebook or case table of `project` as CSV, written in the worker and checked there for
/// real names of `key` ([`Request::CsvExport`], with the project kept there as for [`search`]):
/// the file's bytes, or (`Err`) what the check found. The outer error is a sentence.
pub async fn csv_export(
    project: &std::rc::Rc<framewise_core::Project>,
    kind: protocol::CsvKind,
    key: &[framewise_core::Pseudonym],
) -> Result<Result<Vec<u8>, framewise_core::pseudonym::shown::PseudonymShown>, String> {
    let answer = with_kept_project_bytes(project, |project| Request::CsvExport {
        project,
        kind,
        key: key.to_vec(),
    });
    match answer.await? {
        (Reply::Pseudonym(found), _) => Ok(Err(found)),
        answer => exported_bytes(answer).map(|(bytes, _)| Ok(bytes)),
    }
}

/// Sends `make(None)` once the worker keeps this very `project` ([`send_project`]); when the
/// worker answers that it keeps none (it restarted since), the project is sent whole again.
async fn with_kept_project(
    project: &std::rc::Rc<framewise_core::Project>,
    make: impl Fn(Option<protocol::ProjectFile>) -> Request,
) -> Result<Reply, String> {
    with_kept_project_bytes(project, make)
        .await
        .map(|(reply, _)| reply)
}

/// [`with_kept_project`] with the bytes beside the answer (an exported file's).
async fn with_kept_project_bytes(
    project: &std::rc::Rc<framewise_core::Project>,
    make: impl Fn(Option<protocol::ProjectFile>) -> Request,
) -> Outcome {
    send_project(project).await?;
    match request(make(None), None).await {
        Err(e) if e == protocol::NO_PROJECT_TO_SEARCH => {
            COPY.with(|c| *c.borrow_mut() = None);
            send_project(project).await?;
            request(make(None), None).await
        }
        answer => answer,
    }
}

/// The most bytes of records one part of a project sent to the worker carries, and the longest
/// the page spends writing one (ms): a study's 15 MB go in parts, posted one per task with the
/// page's other work between them (issue 10: the main thread never blocks more than 50 ms
/// while a search runs), the worker taking each while the next is written.
const PART_BYTES: usize = 512 * 1024;
const PART_MS: f64 = 8.0;

/// Brings the worker's copy of the project up to this very `project`: nothing when it is the
/// copy kept, the records a change rewrote ([`persist::diff`], as storage writes them) when the
/// worker keeps an earlier state of the same project and the change rewrites at most
/// [`PART_BYTES`] of text, else the whole project a source at a time
/// ([`persist::writes_by_source`]). One copy is sent at a time: a request that arrives meanwhile
/// waits, then sends only what changed since.
async fn send_project(project: &std::rc::Rc<framewise_core::Project>) -> Result<(), String> {
    use framewise_core::persist;
    loop {
        let kept = COPY.with(|c| {
            c.borrow()
                .as_ref()
                .is_some_and(|(sent, _)| std::rc::Rc::ptr_eq(sent, project))
        });
        if kept {
            return Ok(());
        }
        if !SENDING.with(|s| s.replace(true)) {
            break;
        }
        let (wake, woken) = oneshot::channel();
        WAITING.with(|w| w.borrow_mut().push(wake));
        let _ = woken.await;
    }
    let _sending = Sending;
    let meta = persist::ProjectMeta::default();
    // Taken: a failure below leaves no copy, and the next request sends the whole project.
    let earlier = COPY.with(|c| c.borrow_mut().take());
    // A change that rewrites more text than a part holds (a batch of imports) goes as a whole
    // copy, a source at a time: its diff would write every new text in one go.
    let small = |sent: &framewise_core::Project| {
        sent.id == project.id && persist::text_bytes_changed(sent, project) <= PART_BYTES
    };
    if let Some((sent, base)) = earlier.filter(|(sent, _)| small(sent)) {
        let writes = persist::diff(Some(&sent), project, &meta);
        drop(sent);
        if writes.is_empty() {
            // Nothing stored changed: the worker's copy already is this project (sending an
            // empty last part would have it read its records again for nothing).
            COPY.with(|c| *c.borrow_mut() = Some((project.clone(), base)));
            return Ok(());
        }
        match send_records(base, writes.into_iter()).await {
            Ok(copy) => {
                COPY.with(|c| *c.borrow_mut() = Some((project.clone(), copy)));
                return Ok(());
            }
            Err(e) if e == protocol::NO_PROJECT_TO_SEARCH => {}
            Err(e) => return Err(e),
        }
    }
    let writes = persist::writes_by_source(project, &meta).flatten();
    let copy = send_records(0, writes).await?;
    COPY.with(|c| *c.borrow_mut() = Some((project.clone(), copy)));
    Ok(())
}

/// Lets go of the project last sent to the worker (its project was closed): the next one is
/// sent whole. The worker's copy stays until then (it is replaced by the next project).
pub fn forget_project() {
    COPY.with(|c| *c.borrow_mut() = None);
}

/// Sends `writes` to the worker's copy numbered `base` (0: a new copy) in parts of at most
/// [`PART_BYTES`] or [`PART_MS`] of writing, a task each; the number of the copy they make once
/// the worker took every part.
async fn send_records(
    base: u64,
    writes: impl Iterator<Item = framewise_core::persist::Write>,
) -> Result<u64, String> {
    let next = || COPIES.with(|n| n.replace(n.get().wrapping_add(1)).wrapping_add(1));
    let mut part = protocol::RecordsPart {
        base,
        copy: next(),
        ..Default::default()
    };
    let (mut bytes, mut started) = (0, js_sys::Date::now());
    let mut posted = Vec::new();
    for write in writes {
        bytes += part.push(write);
        if bytes >= PART_BYTES || js_sys::Date::now() - started >= PART_MS {
            let following = protocol::RecordsPart {
                base: part.copy,
                copy: next(),
                ..Default::default()
            };
            let part = std::mem::replace(&mut part, following);
            posted.push(post_request(Request::Records(part), None));
            gloo::timers::future::TimeoutFuture::new(0).await;
            (bytes, started) = (0, js_sys::Date::now());
        }
    }
    part.done = true;
    let copy = part.copy;
    posted.push(post_request(Request::Records(part), None));
    for receiver in posted {
        answer(receiver).await?;
    }
    Ok(copy)
}

/// Marks the end of a [`send_project`] (also when its future is dropped): the next one may
/// start, and those waiting look again.
struct Sending;

impl Drop for Sending {
    fn drop(&mut self) {
        SENDING.with(|s| s.set(false));
        for wake in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
            let _ = wake.send(());
        }
    }
}

thread_local! {
    /// The project the worker keeps (the very value) and the number of its copy there.
    static COPY: RefCell<Option<(std::rc::Rc<framewise_core::Project>, u64)>> =
        const { RefCell::new(None) };
    /// The last copy number given.
    static COPIES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// True while a project is being sent; who waits for it.
    static SENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static WAITING: RefCell<Vec<oneshot::Sender<()>>> = const { RefCell::new(Vec::new()) };
}

/// Asks the worker's model of code suggestions (core's `suggest`, built and kept in the worker
/// from this project's own coding; nothing leaves the computer), answered written out for the
/// page ([`Request::SuggestShown`]: a sentence and the list's markup). The model is built first
/// ([`Request::SuggestModel`]) when `project` (this very value) or `options` are not the ones
/// it was last built for, or the worker restarted. The error is a sentence.
pub async fn suggest(
    project: &std::rc::Rc<framewise_core::Project>,
    options: &framewise_core::suggest::SuggestOptions,
    ask: &protocol::SuggestAsk,
) -> Result<framewise_core::suggest::SuggestShown, String> {
    let current = MODELLED.with(|m| {
        let m = m.borrow();
        m.0.upgrade()
            .is_some_and(|p| std::rc::Rc::ptr_eq(&p, project))
            && m.1 == *options
    });
    let ask = || request(Request::SuggestShown(protocol::Json::of(ask)), None);
    let answer = match current {
        true => match ask().await {
            Err(e) if e == protocol::NO_SUGGEST_MODEL => None,
            answer => Some(answer),
        },
        false => None,
    };
    let answer = match answer {
        Some(answer) => answer,
        None => {
            with_kept_project(project, |project| Request::SuggestModel {
                project,
                options: protocol::Json::of(options),
            })
            .await?;
            MODELLED.with(|m| *m.borrow_mut() = (std::rc::Rc::downgrade(project), options.clone()));
            ask().await
        }
    };
    match answer {
        Ok((Reply::SuggestShown(shown), _)) => Ok(shown),
        Ok(_) => Err(UNUSABLE.into()),
        Err(e) if e == CRASHED => {
            Err("the suggestions stopped: the background worker crashed (try again)".into())
        }
        Err(e) => Err(e),
    }
}

thread_local! {
    /// The project and options the worker's model of code suggestions was last built for.
    static MODELLED: RefCell<(
        std::rc::Weak<framewise_core::Project>,
        framewise_core::suggest::SuggestOptions,
    )> = RefCell::new(Default::default());
}

/// Reads a source file in the worker ([`Request::Import`]): every format, plain text and
/// Markdown too, so that the decoding and the speaker detection stay out of the main wasm. The
/// text, its encoding, notices and speaker turns as the worker found them. `bytes` is transferred
/// to the worker (it is empty here afterwards). The error is a sentence naming the reason.
pub async fn import(
    file_name: &str,
    bytes: Uint8Array,
) -> Result<protocol::ImportedSource, String> {
    let file_name = file_name.to_string();
    match request(Request::Import { file_name }, Some(bytes)).await?.0 {
        Reply::Imported(source) => Ok(source),
        _ => Err(UNUSABLE.into()),
    }
}

/// Saved data of an older format version brought up to the current one in the worker
/// ([`Request::Upgrade`]: the upgrade steps and the speaker detection they run stay out of the
/// main wasm): the records in the same order, each as the current version's JSON (one that was
/// not older comes back unchanged). The error is a sentence.
pub async fn upgrade(records: Vec<String>) -> Result<Vec<String>, String> {
    let n = records.len();
    match request(Request::Upgrade { records }, None).await?.0 {
        Reply::Upgraded(records) if records.len() == n => Ok(records),
        _ => Err(UNUSABLE.into()),
    }
}

/// `plain` encrypted with `passphrase` in the age format, in the worker ([`Request::Seal`]).
pub async fn seal(plain: &[u8], passphrase: &str) -> Result<Vec<u8>, String> {
    let passphrase = passphrase.to_string();
    let bytes = Uint8Array::from(plain);
    exported_bytes(request(Request::Seal { passphrase }, Some(bytes)).await?).map(|(b, _)| b)
}

/// The plaintext of an age file encrypted with `passphrase`, decrypted in the worker
/// ([`Request::Unseal`]); the error says why not (a wrong passphrase, a changed file).
pub async fn unseal(sealed: &[u8], passphrase: &str) -> Result<Vec<u8>, String> {
    let passphrase = passphrase.to_string();
    let bytes = Uint8Array::from(sealed);
    exported_bytes(request(Request::Unseal { passphrase }, Some(bytes)).await?).map(|(b, _)| b)
}

/// An exported file's bytes from a reply, or [`UNUSABLE`].
pub fn exported_bytes(answer: (Reply, Option<Uint8Array>)) -> Result<(Vec<u8>, String), String> {
    match answer {
        (Reply::Exported { mime }, Some(bytes)) => Ok((bytes.to_vec(), mime)),
        _ => Err(UNUSABLE.into()),
    }
}

/// Sends one request (with `bytes` transferred beside it, for the requests that carry a
/// file) and waits for its answer: the reply, or the worker's sentence. Never panics; a dead
/// worker gives [`CRASHED`].
pub async fn request(request: Request, bytes: Option<Uint8Array>) -> Outcome {
    answer(post_request(request, bytes)).await
}

/// The answer `receiver` brings (a worker that died drops it: [`CRASHED`]).
async fn answer(receiver: oneshot::Receiver<Outcome>) -> Outcome {
    receiver.await.unwrap_or_else(|_| Err(CRASHED.to_string()))
}

/// Posts `request` to the worker now (starting one if none runs) and returns where its answer
/// will come: [`request`] without waiting, so several can be in flight.
fn post_request(request: Request, bytes: Option<Uint8Array>) -> oneshot::Receiver<Outcome> {
    let (sender, receiver) = oneshot::channel::<Outcome>();
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        state.next_id = state.next_id.wrapping_add(1);
        let id = state.next_id;
        let message = Object::new();
        let envelope = protocol::encode(&ToWorker { id, request });
        // The envelope as UTF-8 bytes, transferred (see `protocol`'s "On the wire").
        let envelope = Uint8Array::from(envelope.as_bytes());
        set(&message, MESSAGE, &envelope);
        let transfer = Array::of1(&envelope.buffer());
        if let Some(bytes) = &bytes {
            set(&message, BYTES, bytes);
            transfer.push(&bytes.buffer());
        }
        if state.live.is_none() {
            state.generation = state.generation.wrapping_add(1);
            match spawn(state.generation) {
                Some(live) => state.live = Some(live),
                None => {
                    let _ = sender.send(Err(NOT_STARTED.to_string()));
                    return;
                }
            }
        }
        let Some(live) = state.live.as_mut() else {
            return;
        };
        live.pending.insert(id, sender);
        if live.ready {
            post(&live.worker, id, &message, &transfer, &mut live.pending);
            watch(live.generation, id);
        } else {
            live.queue.push((id, message, transfer));
        }
    });
    receiver
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[derive(Default)]
struct State {
    live: Option<Live>,
    next_id: u32,
    /// Counts spawned workers, so events of a worker already replaced are ignored.
    generation: u32,
}

struct Live {
    worker: Worker,
    generation: u32,
    /// True once the worker said `{ready: true}`; until then requests wait in `queue`.
    ready: bool,
    queue: Vec<(u32, Object, Array)>,
    /// Request id → where its answer goes.
    pending: HashMap<u32, oneshot::Sender<Outcome>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The worker's loader script: given by the boot `<script>` (Trunk.toml `pattern_script`, its
/// hashed name filled in by `worker/hash-names.mjs`), else Trunk's unhashed name next to the page.
fn worker_url() -> String {
    crate::dom::document()
        .and_then(|d| {
            d.query_selector("script[data-framewise-worker]")
                .ok()
                .flatten()
        })
        .and_then(|s| s.get_attribute("data-framewise-worker"))
        .unwrap_or_else(|| "framewise-worker_loader.js".to_string())
}

fn spawn(generation: u32) -> Option<Live> {
    let worker = Worker::new(&worker_url()).ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        on_message(generation, &event.data());
    });
    let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        // The worker threw (a reader panicked) or could not load: handled here, so the browser
        // need not report it as an uncaught error of the page.
        event.prevent_default();
        fail_all(generation);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
    let timeout = gloo::timers::callback::Timeout::new(START_TIMEOUT_MS, move || {
        let stalled = STATE.with(|state| {
            state
                .borrow()
                .live
                .as_ref()
                .is_some_and(|l| l.generation == generation && !l.ready)
        });
        if stalled {
            fail_all(generation);
        }
    });
    timeout.forget();
    Some(Live {
        worker,
        generation,
        ready: false,
        queue: Vec::new(),
        pending: HashMap::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn post(
    worker: &Worker,
    id: u32,
    message: &Object,
    transfer: &Array,
    pending: &mut HashMap<u32, oneshot::Sender<Outcome>>,
) {
    if worker
        .post_message_with_transfer(message, transfer)
        .is_err()
    {
        if let Some(sender) = pending.remove(&id) {
            let _ = sender.send(Err(
                "the file could not be passed to the file reader".to_string()
            ));
        }
    }
}

fn on_message(generation: u32, data: &JsValue) {
    let message = Reflect::get(data, &JsValue::from_str(MESSAGE))
        .ok()
        .and_then(|m| match m.dyn_into::<Uint8Array>() {
            Ok(json) => protocol::message_text(json.to_vec()).ok(),
            // A string: a worker of an older build.
            Err(m) => m.as_string(),
        })
        .and_then(|json| protocol::decode::<FromWorker>(&json).ok());
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        let Some(live) = state.live.as_mut().filter(|l| l.generation == generation) else {
            return;
        };
        match message {
            Some(FromWorker::Ready) => {
                live.ready = true;
                for (id, message, transfer) in std::mem::take(&mut live.queue) {
                    post(&live.worker, id, &message, &transfer, &mut live.pending);
                    watch(generation, id);
                }
            }
            Some(FromWorker::Answer { id, result }) => {
                if let Some(sender) = live.pending.remove(&id) {
                    let bytes = Reflect::get(data, &JsValue::from_str(BYTES))
                        .ok()
                        .and_then(|b| b.dyn_into::<Uint8Array>().ok());
                    let _ = sender.send(result.map(|reply| (reply, bytes)));
                }
            }
            // Not a message of this protocol: nothing to answer.
            None => {}
        }
    });
}

/// Ends worker `generation` if request `id` is still unanswered after [`REQUEST_TIMEOUT_MS`].
fn watch(generation: u32, id: u32) {
    gloo::timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || {
        let stuck = STATE.with(|state| {
            state
                .borrow()
                .live
                .as_ref()
                .is_some_and(|l| l.generation == generation && l.pending.contains_key(&id))
        });
        if stuck {
            end_worker(
                generation,
                |pending| if pending == id { TOO_SLOW } else { STOPPED },
            );
        }
    })
    .forget();
}

/// The worker `generation` died: end it and fail whatever it was doing. The next request
/// starts a new worker.
fn fail_all(generation: u32) {
    end_worker(generation, |_| "");
}

/// Ends worker `generation` and fails its pending requests, each with `reason(id)` (empty:
/// [`CRASHED`], or [`NOT_STARTED`] when the worker never became ready).
fn end_worker(generation: u32, reason: impl Fn(u32) -> &'static str) {
    let dead = STATE.with(|state| {
        let mut state = state.borrow_mut();
        if state
            .live
            .as_ref()
            .is_some_and(|l| l.generation == generation)
        {
            state.live.take()
        } else {
            None
        }
    });
    let Some(mut dead) = dead else { return };
    dead.worker.set_onmessage(None);
    dead.worker.set_onerror(None);
    dead.worker.set_onmessageerror(None);
    dead.worker.terminate();
    let default = if dead.ready { CRASHED } else { NOT_STARTED };
    let pending = std::mem::take(&mut dead.pending);
    for (id, sender) in pending {
        let why = match reason(id) {
            "" => default,
            why => why,
        };
        let _ = sender.send(Err(why.to_string()));
    }
    // This may run inside one of the dead worker's own handlers: drop them afterwards.
    wasm_bindgen_futures::spawn_local(async move { drop(dead) });
}
