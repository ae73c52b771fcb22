//! Fuzzes plain-text decoding (UTF-8, UTF-16, the Windows-1252 fallback) and speaker-turn
//! detection: never a panic, and turns have valid, ordered spans.
#![no_main]

use framewise_core::import::{detect_turns, import_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match import_file("fuzz.txt", data) {
        Ok(imported) => imported.text,
        Err(_) => String::from_utf8_lossy(data).into_owned(),
    };
    let mut end = 0;
    for turn in detect_turns(&text) {
        assert!(turn.span.start >= end && turn.span.start <= turn.span.end);
        assert!(text.get(turn.span.start..turn.span.end).is_some());
        end = turn.span.end;
    }
});
