//! The app's side of the file-reader Web Worker (`worker/`, built by Trunk; its loader is
//! `framewise-worker-HASH_loader.js`, named in the boot script's `data-framewise-worker`): the readers too heavy for the main wasm (docx, odt, vtt, srt,
//! rtf, html, pdf, REFI-QDA) run there, and a reader that panics kills only the worker.
//!
//! The worker is spawned on the first request (so it costs nothing at start), requests are
//! answered by id, and if the worker dies (a reader panicked: the release profile aborts, which
//! traps the worker's wasm) every pending request fails with [`CRASHED`] and the next request
//! starts a fresh worker. A request unanswered after two minutes (a reader stuck in a loop on a
//! damaged file) ends the worker the same way, failing with [`TOO_SLOW`]. The protocol is documented in `worker/src/main.rs`.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
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
const STOPPED: &str = "the file could not be read (the file reader was stopped while it worked \
                       on another file)";
/// How long a new worker may take to load before its requests fail with [`NOT_STARTED`].
const START_TIMEOUT_MS: u32 = 30_000;
/// How long one request may take once sent to the worker (a 50 MB PDF is read well within it).
const REQUEST_TIMEOUT_MS: u32 = 120_000;

/// A file the worker read: what core's `ImportedText` holds, with the encoding as a `String`.
#[derive(Clone, PartialEq, Debug)]
pub struct WorkerImport {
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
    /// Speaker turns (spans into `text`), from the format or detected in the text.
    pub turns: Vec<framewise_core::import::Turn>,
}

/// A fresh copy of the built-in demo project, built in the worker (`kind: "demo"`) with new
/// random ids, so that every copy is a project of its own.
pub async fn demo_project(now: i64) -> Result<framewise_core::Project, String> {
    let fields = Object::new();
    set(&fields, "now", &JsValue::from_f64(now as f64));
    let ok = request("demo", &fields, &Array::new()).await?;
    project_from_reply(&ok)
}

/// The project with new ids for everything (`kind: "fresh_copy"`, in the worker: the id
/// rewriting would otherwise take ~5 KB of the main wasm), so that it can be stored beside the
/// project it was copied from.
pub async fn fresh_copy(
    project: &framewise_core::Project,
) -> Result<framewise_core::Project, String> {
    let json = framewise_core::persist::to_project_file(
        project,
        &framewise_core::persist::ProjectMeta::new(0),
    );
    let fields = Object::new();
    set(&fields, "project_json", &JsValue::from_str(&json));
    let ok = request("fresh_copy", &fields, &Array::new()).await?;
    project_from_reply(&ok)
}

fn project_from_reply(ok: &JsValue) -> Result<framewise_core::Project, String> {
    let json = Reflect::get(ok, &JsValue::from_str("project_json"))
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| "the file reader gave an answer Framewise cannot use".to_string())?;
    let loaded = framewise_core::persist::from_project_file(&json).map_err(|e| e.to_string())?;
    Ok(loaded.project)
}

/// Reads a source file in the worker (`kind: "import"`). `bytes` is transferred to the worker
/// (it is empty here afterwards). The error is a sentence naming the reason.
pub async fn import(file_name: &str, bytes: Uint8Array) -> Result<WorkerImport, String> {
    let fields = Object::new();
    set(&fields, "file_name", &JsValue::from_str(file_name));
    set(&fields, "bytes", &bytes);
    let transfer = Array::of1(&bytes.buffer());
    let ok = request("import", &fields, &transfer).await?;
    decode_import(&ok).ok_or_else(|| "the file reader gave an answer Framewise cannot use".into())
}

/// Sends one request (`{id, kind, ...fields}`, transferring `transfer`) and waits for its
/// answer: the reply's `ok` value, or its `err` sentence. Never panics; a dead worker gives
/// [`CRASHED`].
pub async fn request(kind: &str, fields: &Object, transfer: &Array) -> Result<JsValue, String> {
    let message = Object::assign(&Object::new(), fields);
    set(&message, "kind", &JsValue::from_str(kind));
    let promise = Promise::new(&mut |resolve, _reject| {
        STATE.with(|state| {
            let mut state = state.borrow_mut();
            state.next_id = state.next_id.wrapping_add(1);
            let id = state.next_id;
            set(&message, "id", &JsValue::from_f64(f64::from(id)));
            if state.live.is_none() {
                state.generation = state.generation.wrapping_add(1);
                match spawn(state.generation) {
                    Some(live) => state.live = Some(live),
                    None => {
                        let _ = resolve.call1(&JsValue::NULL, &error_reply(NOT_STARTED));
                        return;
                    }
                }
            }
            let Some(live) = state.live.as_mut() else {
                return;
            };
            live.pending.insert(id, resolve.clone());
            if live.ready {
                post(&live.worker, id, &message, transfer, &mut live.pending);
                watch(live.generation, id);
            } else {
                live.queue.push((id, message.clone(), transfer.clone()));
            }
        });
    });
    let reply = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| CRASHED.to_string())?;
    if let Some(err) = get(&reply, "err").as_string() {
        return Err(err);
    }
    Ok(get(&reply, "ok"))
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
    /// Request id → the `resolve` of its promise.
    pending: HashMap<u32, Function>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn error_reply(reason: &str) -> JsValue {
    let reply = Object::new();
    set(&reply, "err", &JsValue::from_str(reason));
    reply.into()
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
    pending: &mut HashMap<u32, Function>,
) {
    if worker
        .post_message_with_transfer(message, transfer)
        .is_err()
    {
        if let Some(resolve) = pending.remove(&id) {
            let reply = error_reply("the file could not be passed to the file reader");
            let _ = resolve.call1(&JsValue::NULL, &reply);
        }
    }
}

fn on_message(generation: u32, data: &JsValue) {
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        let Some(live) = state.live.as_mut().filter(|l| l.generation == generation) else {
            return;
        };
        if get(data, "ready").is_truthy() {
            live.ready = true;
            for (id, message, transfer) in std::mem::take(&mut live.queue) {
                post(&live.worker, id, &message, &transfer, &mut live.pending);
                watch(generation, id);
            }
            return;
        }
        let Some(id) = get(data, "id").as_f64() else {
            return;
        };
        if let Some(resolve) = live.pending.remove(&(id as u32)) {
            let _ = resolve.call1(&JsValue::NULL, data);
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
    let Some(dead) = dead else { return };
    dead.worker.set_onmessage(None);
    dead.worker.set_onerror(None);
    dead.worker.set_onmessageerror(None);
    dead.worker.terminate();
    let default = if dead.ready { CRASHED } else { NOT_STARTED };
    for (id, resolve) in &dead.pending {
        let why = match reason(*id) {
            "" => default,
            why => why,
        };
        let _ = resolve.call1(&JsValue::NULL, &error_reply(why));
    }
    // This may run inside one of the dead worker's own handlers: drop them afterwards.
    wasm_bindgen_futures::spawn_local(async move { drop(dead) });
}

fn decode_import(ok: &JsValue) -> Option<WorkerImport> {
    let string = |key: &str| get(ok, key).as_string();
    let notices = get(ok, "notices")
        .dyn_into::<Array>()
        .ok()
        .map(|a| a.iter().filter_map(|n| n.as_string()).collect())
        .unwrap_or_default();
    let text = string("text")?;
    let turns = get(ok, "turns")
        .dyn_into::<Array>()
        .ok()
        .map(|a| a.iter().filter_map(|t| decode_turn(&t, &text)).collect())
        .unwrap_or_default();
    Some(WorkerImport {
        name: string("name")?,
        file_name: string("file_name")?,
        encoding: string("encoding").unwrap_or_else(|| "UTF-8".into()),
        notices,
        turns,
        text,
    })
}

/// One turn; `None` unless its span is valid for `text` (it is kept with the source).
fn decode_turn(value: &JsValue, text: &str) -> Option<framewise_core::import::Turn> {
    let number = |key: &str| {
        get(value, key)
            .as_f64()
            .filter(|n| n.is_finite() && *n >= 0.0)
    };
    let span = framewise_core::Span {
        start: number("start")? as usize,
        end: number("end")? as usize,
    };
    (span.start <= span.end && text.is_char_boundary(span.start) && text.is_char_boundary(span.end))
        .then(|| framewise_core::import::Turn {
            speaker: get(value, "speaker").as_string(),
            span,
            start_ms: number("start_ms").map(|n| n as u64),
            end_ms: number("end_ms").map(|n| n as u64),
        })
}
