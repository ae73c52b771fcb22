//! The worker's browser side: decode messages into [`Request`]s, post the answers back.

use crate::handle::{handle, kind, RefiFormat, Reply, Request};
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
    let ready = Object::new();
    set(&ready, "ready", &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn get_string(source: &JsValue, key: &str) -> Option<String> {
    get(source, key).as_string()
}

fn get_bytes(source: &JsValue, key: &str) -> Option<Vec<u8>> {
    get(source, key)
        .dyn_into::<Uint8Array>()
        .ok()
        .map(|a| a.to_vec())
}

fn on_message(scope: &DedicatedWorkerGlobalScope, data: &JsValue) {
    let Some(id) = get(data, "id").as_f64() else {
        return;
    };
    let reply = Object::new();
    set(&reply, "id", &JsValue::from_f64(id));
    let transfer = Array::new();
    match decode(data).and_then(|request| handle(request, &mut WorkerIds)) {
        Ok(answer) => set(&reply, "ok", &encode(answer, &transfer)),
        Err(reason) => set(&reply, "err", &JsValue::from_str(&reason)),
    }
    if scope.post_message_with_transfer(&reply, &transfer).is_err() {
        // Could not post (should not happen): answer without the transfer, then give up.
        let fallback = Object::new();
        set(&fallback, "id", &JsValue::from_f64(id));
        set(
            &fallback,
            "err",
            &JsValue::from_str("the file reader could not send its result back"),
        );
        let _ = scope.post_message(&fallback);
    }
}

fn decode(data: &JsValue) -> Result<Request, String> {
    let kind_name = get_string(data, "kind").unwrap_or_default();
    let missing = |field: &str| format!("the request “{kind_name}” has no {field}");
    match kind_name.as_str() {
        kind::IMPORT => Ok(Request::Import {
            file_name: get_string(data, "file_name").ok_or_else(|| missing("file_name"))?,
            bytes: get_bytes(data, "bytes").ok_or_else(|| missing("bytes"))?,
        }),
        kind::REFI_IMPORT => Ok(Request::RefiImport {
            file_name: get_string(data, "file_name").ok_or_else(|| missing("file_name"))?,
            bytes: get_bytes(data, "bytes").ok_or_else(|| missing("bytes"))?,
            now: get(data, "now").as_f64().unwrap_or_else(js_sys::Date::now) as i64,
        }),
        kind::REFI_EXPORT => Ok(Request::RefiExport {
            project_json: get_string(data, "project_json")
                .ok_or_else(|| missing("project_json"))?,
            format: get_string(data, "format")
                .as_deref()
                .and_then(RefiFormat::parse)
                .ok_or_else(|| missing("format (qdpx or qdc)"))?,
            include_pseudonym_key: get(data, "include_pseudonym_key").is_truthy(),
        }),
        kind::REFI_MERGE_PLAN => Ok(Request::RefiMergePlan {
            project_json: get_string(data, "project_json")
                .ok_or_else(|| missing("project_json"))?,
            file_name: get_string(data, "file_name").ok_or_else(|| missing("file_name"))?,
            bytes: get_bytes(data, "bytes").ok_or_else(|| missing("bytes"))?,
            now: get(data, "now").as_f64().unwrap_or_else(js_sys::Date::now) as i64,
        }),
        kind::MATRIX_EXPORT => Ok(Request::MatrixExport {
            project_json: get_string(data, "project_json")
                .ok_or_else(|| missing("project_json"))?,
            matrix: get_string(data, "matrix").ok_or_else(|| missing("matrix"))?,
            format: get_string(data, "format").ok_or_else(|| missing("format"))?,
            with_quotes: get(data, "with_quotes").is_truthy(),
        }),
        kind::FRESH_COPY => Ok(Request::FreshCopy {
            project_json: get_string(data, "project_json")
                .ok_or_else(|| missing("project_json"))?,
        }),
        kind::DEMO => Ok(Request::Demo {
            now: get(data, "now").as_f64().unwrap_or_else(js_sys::Date::now) as i64,
        }),
        other => Err(format!(
            "the file reader does not know the request “{other}”"
        )),
    }
}

fn opt_number(value: Option<u64>) -> JsValue {
    value.map_or(JsValue::NULL, |v| JsValue::from_f64(v as f64))
}

fn encode(reply: Reply, transfer: &Array) -> JsValue {
    let out = Object::new();
    match reply {
        Reply::Imported(t) => {
            set(&out, "name", &JsValue::from_str(&t.name));
            set(&out, "file_name", &JsValue::from_str(&t.file_name));
            set(&out, "text", &JsValue::from_str(&t.text));
            set(&out, "encoding", &JsValue::from_str(t.encoding));
            let notices: Array = t.notices.iter().map(|n| JsValue::from_str(n)).collect();
            set(&out, "notices", &notices);
            let turns: Array = t
                .turns
                .iter()
                .map(|turn| {
                    let o = Object::new();
                    let speaker = turn
                        .speaker
                        .as_deref()
                        .map_or(JsValue::NULL, JsValue::from_str);
                    set(&o, "speaker", &speaker);
                    set(&o, "start", &JsValue::from_f64(turn.span.start as f64));
                    set(&o, "end", &JsValue::from_f64(turn.span.end as f64));
                    set(&o, "start_ms", &opt_number(turn.start_ms));
                    set(&o, "end_ms", &opt_number(turn.end_ms));
                    JsValue::from(o)
                })
                .collect();
            set(&out, "turns", &turns);
        }
        Reply::RefiImported {
            project_json,
            report,
        } => {
            set(&out, "project_json", &JsValue::from_str(&project_json));
            let report = serde_json::to_string(&report)
                .ok()
                .and_then(|json| js_sys::JSON::parse(&json).ok())
                .unwrap_or(JsValue::NULL);
            set(&out, "report", &report);
        }
        Reply::MergePlan { plan_json } => {
            set(&out, "plan_json", &JsValue::from_str(&plan_json));
        }
        Reply::Project { project_json } => {
            set(&out, "project_json", &JsValue::from_str(&project_json));
        }
        Reply::Exported { bytes, mime } => {
            let array = Uint8Array::from(bytes.as_slice());
            transfer.push(&array.buffer());
            set(&out, "bytes", &array);
            set(&out, "mime", &JsValue::from_str(mime));
        }
    }
    out.into()
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
