//! Fuzzes the codebook CSV reader (`codebook_csv::parse_codebook_csv`) against the demo project:
//! never a panic, and what it reads applies (or is refused with an error) as `ImportCodes`.
#![no_main]

use framewise_core::codebook_csv::parse_codebook_csv;
use framewise_core::demo::demo_project;
use framewise_core::{apply, Action, SeqIds};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(csv) = std::str::from_utf8(data) else {
        return;
    };
    let project = demo_project(&mut SeqIds::new(1), 0);
    if let Ok(read) = parse_codebook_csv(csv, &project, &mut SeqIds::new(10_000), 0) {
        let _ = apply(&project, Action::ImportCodes { codes: read.codes });
    }
});
