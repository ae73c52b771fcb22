//! `read_refi_file("fuzz.qdpx", data)` (the REFI-QDA reader shared by the worker and the CLI:
//! ZIP with size limits, the .qde XML, sources); a project it reads must
//! write a project file that loads back equal, and export again as REFI without panicking.
#![no_main]

use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
use framewise_core::refi::{export_qdc, export_qdpx, read_refi_file};
use framewise_core::SeqIds;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(read) = read_refi_file("fuzz.qdpx", data, &mut SeqIds::new(1), 0) {
        let file = to_project_file(&read.project, &ProjectMeta::new(0));
        let back = from_project_file(&file).expect("a written project file loads");
        assert_eq!(back.project, read.project);
        let _ = export_qdpx(&read.project);
        let _ = export_qdc(&read.project);
    }
});
