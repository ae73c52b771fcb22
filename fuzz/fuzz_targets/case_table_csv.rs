//! Fuzzes the case table CSV reader (`cases::parse_case_table_csv`) against the demo project:
//! never a panic, and its action applies (or is refused with an error).
#![no_main]

use framewise_core::cases::parse_case_table_csv;
use framewise_core::demo::demo_project;
use framewise_core::{apply, SeqIds};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(csv) = std::str::from_utf8(data) else {
        return;
    };
    let project = demo_project(&mut SeqIds::new(1), 0);
    if let Ok(read) = parse_case_table_csv(csv, &project, &mut SeqIds::new(10_000), 0) {
        let _ = apply(&project, read.action());
    }
});
