//! Fuzzes the .pdf importer. Our code must never panic; `pdf-extract` panics on some malformed
//! PDFs by design, and the importer catches those (`catch_unwind`, see core/src/import/pdf.rs).
//! libfuzzer-sys installs a panic hook that aborts on any panic, caught or not, so this target
//! replaces it with one that prints each new panic location once (to list them in the README);
//! a panic that escapes the importer still aborts (libfuzzer-sys checks the closure's result).
#![no_main]

use framewise_core::import::import_file;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use std::sync::{Mutex, Once};

static HOOK: Once = Once::new();
static SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let place = info.location().map_or_else(
                || "unknown".to_string(),
                |l| format!("{}:{}", l.file(), l.line()),
            );
            if let Ok(mut seen) = SEEN.lock() {
                if seen.insert(place.clone()) {
                    eprintln!("PANIC #{} at {place}: {info}", seen.len());
                }
            }
        }));
    });
    let _ = import_file("fuzz.pdf", data);
});
