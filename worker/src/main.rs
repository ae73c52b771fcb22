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
//! # Protocol
//! Typed in core (`framewise_core::protocol`): the app sends a `ToWorker { id, request }`, the
//! worker answers `FromWorker::Ready` once when it can take requests (the app queues requests
//! until then: messages posted before the wasm module has started would be lost), then one
//! `FromWorker::Answer { id, result }` per request. The envelopes travel as JSON in the posted
//! object's `message` field; a file's bytes (an import's input, an export's output) travel
//! beside it in `bytes`, a `Uint8Array` whose buffer is transferred, not copied.

// Natively only the tests use it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod handle;

#[cfg(target_arch = "wasm32")]
mod js;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod seal;

#[cfg(target_arch = "wasm32")]
fn main() {
    js::start();
}

/// Natively there is nothing to run: the worker only exists in the browser (its request
/// handling, `handle.rs`, is tested natively with `cargo test -p framewise-worker`).
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
