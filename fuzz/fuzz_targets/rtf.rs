//! Fuzzes the .rtf importer: any bytes give text or an error, never a panic or hang, and the text
//! is never much larger than the file (no blow-ups).
#![no_main]

use framewise_core::import::import_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(imported) = import_file("fuzz.rtf", data) {
        // A raw Windows-1252 byte (0x97) is an em dash (3 bytes): the largest expansion; notes
        // add "\n\n".
        assert!(imported.text.len() <= data.len() * 3 + 8);
    }
});
