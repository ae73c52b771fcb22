//! The worker's browser side: each message is `{ message, bytes? }` (see
//! `framewise_core::protocol`): the envelope's JSON (UTF-8 bytes) is read into a typed [`ToWorker`], handled,
//! and the [`FromWorker`] answer posted back with an exported file's bytes transferred beside it.

use crate::handle::handle;
use framewise_core::protocol::{self, FromWorker, ToWorker, BYTES, MESSAGE};
use framewise_core::IdSource;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Installs the message handler and tells the app the worker is ready.
pub fn start() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let handler = {
        let scope = scope.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            on_message(&scope, &event.data());
        })
    };
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
    post(&scope, &FromWorker::Ready, None);
}

fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn on_message(scope: &DedicatedWorkerGlobalScope, data: &JsValue) {
    let Some(json) = envelope(&get(data, MESSAGE)) else {
        return;
    };
    let (id, request) = match protocol::decode::<ToWorker>(&json) {
        Ok(ToWorker { id, request }) => (id, request),
        Err(reason) => {
            // Answer to the id if there is one (an app and worker of different builds).
            if let Ok(IdOnly { id }) = protocol::decode::<IdOnly>(&json) {
                post(
                    scope,
                    &FromWorker::Answer {
                        id,
                        result: Err(reason),
                    },
                    None,
                );
            }
            return;
        }
    };
    let bytes = get(data, BYTES)
        .dyn_into::<Uint8Array>()
        .map(|a| a.to_vec())
        .unwrap_or_default();
    let (result, out) = match handle(request, &bytes, &mut WorkerIds) {
        Ok(answer) => (Ok(answer.reply), answer.bytes),
        Err(reason) => (Err(reason), None),
    };
    drop(bytes);
    if !post(scope, &FromWorker::Answer { id, result }, out.as_deref()) {
        // Could not post (should not happen): answer without the bytes.
        let failed = FromWorker::Answer {
            id,
            result: Err("the file reader could not send its result back".into()),
        };
        post(scope, &failed, None);
    }
    crate::handle::after_answer();
}

/// A message's envelope JSON: UTF-8 bytes (`Uint8Array`), or a string from an older app.
fn envelope(message: &JsValue) -> Option<String> {
    match message.dyn_ref::<Uint8Array>() {
        Some(bytes) => protocol::message_text(bytes.to_vec()).ok(),
        None => message.as_string(),
    }
}

/// The id of a request that could not be read otherwise.
#[derive(serde::Deserialize)]
struct IdOnly {
    id: u32,
}

/// Posts `message`, with `bytes` transferred beside it. False when the browser refused.
fn post(scope: &DedicatedWorkerGlobalScope, message: &FromWorker, bytes: Option<&[u8]>) -> bool {
    let out = Object::new();
    let json = Uint8Array::from(protocol::encode(message).as_bytes());
    let _ = Reflect::set(&out, &JsValue::from_str(MESSAGE), &json);
    let transfer = Array::of1(&json.buffer());
    if let Some(bytes) = bytes {
        let array = Uint8Array::from(bytes);
        transfer.push(&array.buffer());
        let _ = Reflect::set(&out, &JsValue::from_str(BYTES), &array);
    }
    scope.post_message_with_transfer(&out, &transfer).is_ok()
}

/// Random ids from the worker's `crypto` (REFI imports make new ids for everything).
struct WorkerIds;

impl IdSource for WorkerIds {
    fn next_bytes(&mut self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        let filled = js_sys::global()
            .dyn_into::<web_sys::WorkerGlobalScope>()
            .ok()
            .and_then(|scope| scope.crypto().ok())
            .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
            .unwrap_or(false);
        if !filled {
            for b in bytes.iter_mut() {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        bytes
    }
}
