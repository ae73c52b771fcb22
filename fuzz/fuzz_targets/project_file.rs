//! Fuzzes the project file loader (`persist::from_project_file`): never a panic, and a project
//! it loads writes and loads back to the same project.
#![no_main]

use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(loaded) = from_project_file(json) {
        let again = to_project_file(&loaded.project, &ProjectMeta::new(0));
        let back = from_project_file(&again).expect("a written project file loads");
        assert_eq!(back.project, loaded.project);
    }
});
