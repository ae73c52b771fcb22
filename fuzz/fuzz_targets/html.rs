//! Fuzzes the .html importer: any bytes give text or an error, never a panic or hang, and the
//! text is never much larger than the file (no blow-ups).
#![no_main]

use framewise_core::import::import_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(imported) = import_file("fuzz.html", data) {
        // Windows-1252 bytes decode to at most 3 UTF-8 bytes each.
        assert!(imported.text.len() <= data.len() * 3 + 8);
    }
});
