//! Fuzzes the .srt importer: any bytes give text or an error, never a panic, and turns have
//! valid spans.
#![no_main]

use framewise_core::import::import_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(imported) = import_file("fuzz.srt", data) {
        let mut end = 0;
        for turn in &imported.turns {
            assert!(turn.span.start >= end && turn.span.start <= turn.span.end);
            assert!(imported.text.get(turn.span.start..turn.span.end).is_some());
            end = turn.span.end;
        }
    }
});
