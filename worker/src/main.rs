//! Framewise's Web Worker: runs the readers that are too heavy for the app's main wasm (docx,
//! odt, vtt, srt, pdf, REFI-QDA) and that may panic on a malformed file. A panic aborts only
//! this worker's wasm instance; the app (`src/worker_client.rs`) then fails that one request
//! with "the file could not be read (the reader crashed on it)" and starts a fresh worker.
//!
//! Trunk builds it as a classic worker (`data-type="worker"`, wasm-bindgen `no-modules`, Trunk's
//! loader shim `framewise-worker_loader.js`, all three renamed with a content hash by the
//! post_build hook `worker/hash-names.mjs`). The app spawns it lazily on the first file that
//! needs it.
//!
//! # Protocol (structured-clone messages)
//!
//! Worker → app, once, when it is ready to take requests: `{ ready: true }` (the app queues
//! requests until then: messages posted before the wasm module has started would be lost).
//!
//! App → worker: `{ id: number, kind: string, ...fields }`; byte arrays travel as `Uint8Array`s
//! whose buffers are transferred, not copied:
//! - `import { file_name, bytes }` → `ok: { name, file_name, text, encoding, notices: [string],
//!   turns: [{ speaker: string|null, start, end, start_ms: number|null, end_ms: number|null }] }`
//!   (`start`/`end`: UTF-8 byte offsets into `text`, which is LF-only);
//! - `refi_import { file_name, bytes, now }` → `ok: { project_json, report }` (`project_json`:
//!   a `framewise-project` file; `report`: core's `RefiReport` as an object);
//! - `refi_export { project_json, format: "qdpx"|"qdc", include_pseudonym_key: bool }` →
//!   `ok: { bytes: Uint8Array, mime }` (the key goes into the `.qdpx` sidecar only when asked);
//! - `refi_merge_plan { project_json, file_name, bytes, now }` → `ok: { plan_json }` (core's
//!   `refi::CodebookMerge` as JSON, for merging a `.qdc`/`.qdpx` codebook into the project);
//! - `matrix_export { project_json, matrix, format: "xlsx"|"html", with_quotes }` →
//!   `ok: { bytes: Uint8Array, mime }` (a matrix's workbook or printable page);
//! - `fresh_copy { project_json }` → `ok: { project_json }` (the project with new ids for
//!   everything, for opening a copy beside the original);
//! - `demo { now }` → `ok: { project_json }` (the built-in demo project as a `framewise-project`
//!   file: its text stays out of the app's main wasm).
//!
//! Worker → app: `{ id, ok: ... }` or `{ id, err: "<a sentence naming the reason>" }`.

// Natively only the tests use it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod handle;

#[cfg(target_arch = "wasm32")]
mod js;

#[cfg(target_arch = "wasm32")]
fn main() {
    js::start();
}

/// Natively there is nothing to run: the worker only exists in the browser (its request
/// handling, `handle.rs`, is tested natively with `cargo test -p framewise-worker`).
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
