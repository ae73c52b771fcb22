//! Writes the app's built-in demo project (core/src/demo) as a project file, for the command
//! line tools: `cargo run -p framewise-cli --example demo_project -- demo.framewise.json`.

use framewise_core::persist::{to_project_file, ProjectMeta};

fn main() -> Result<(), String> {
    let Some(out) = std::env::args().nth(1) else {
        return Err("usage: demo_project OUT.framewise.json".into());
    };
    let now = 1_700_000_000_000;
    let project = framewise_core::demo::demo_project(&mut framewise_core::SeqIds::new(1), now);
    std::fs::write(&out, to_project_file(&project, &ProjectMeta::new(now)))
        .map_err(|e| format!("{out}: {e}"))
}
