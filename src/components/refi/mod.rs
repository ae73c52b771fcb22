//! REFI-QDA exchange in the app: import a `.qdpx`/`.qdc` as a new project (home screen), export
//! the open project as `.qdpx` or its codebook as `.qdc`, and merge a codebook from a
//! `.qdc`/`.qdpx` with a preview (workbench).
//!
//! The REFI code itself (zip, XML, position counting, merge planning) lives in core's `refi`
//! feature and runs only in the file-reader Web Worker (`worker/`, [`crate::worker_client`]):
//! the main wasm stays within its size budget, and a reader crash is one file's error. The
//! requests and replies are core's typed `protocol`. What the page only shows comes written out
//! as markup, every text escaped in core: the import summary (`refi::import_summary`), the
//! codebook merge preview (`refi::merge_preview`) and the project merge preview
//! (`merge::preview`); a merge plan itself comes as the project or codebook it would make (a
//! project file), from which `CodebookMerge::from_staged` / `MergePlan::from_staged` get back
//! what their `action` applies (one undo step). So the main wasm decodes neither `RefiReport`
//! nor the plans' types.
//!
//! By concern: this file holds what both sides share (a file chosen in an input, the "could not
//! be read" dialog); `worker` (the requests to the worker), `import` (the home screen's import
//! button and its summary), `menu` (the workbench's Export menu: exports with the check for
//! real names, choosing a codebook or a project to merge, the merge previews).

mod import;
mod menu;
mod worker;

pub use import::{RefiImportButton, RefiImportButtonProps};
pub use menu::{RefiMenu, RefiMenuProps};

use crate::components::dialog::Dialog;
use crate::dom;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A file that could not be read: its name and why.
#[derive(Clone, PartialEq)]
struct Failure {
    file: String,
    reason: String,
}

fn failure_dialog(failure: &Failure, close: Callback<()>) -> Html {
    problem_dialog(
        format!("Could not read {}", failure.file),
        format!(
            "{} could not be read: {}",
            failure.file,
            sentence(&failure.reason)
        ),
        close,
    )
}

/// A dialog that says what went wrong (`message`), that nothing was changed, and "OK".
fn problem_dialog(title: String, message: String, close: Callback<()>) -> Html {
    html! {
        <Dialog {title} on_close={close.clone()} class="refi-dialog">
            <p role="alert" class="refi-error">{message}</p>
            <p class="muted">{"Nothing was changed."}</p>
            <div class="dialog-actions">
                <button type="button" class="primary" onclick={move |_| close.emit(())}>{"OK"}</button>
            </div>
        </Dialog>
    }
}

/// `reason` starting in lower case (it follows "could not be read:") and ending with a stop.
fn sentence(reason: &str) -> String {
    let reason = reason.trim();
    let mut chars = reason.chars();
    let mut out: String = match chars.next() {
        // "This is not…" reads better lower-cased after the colon; keep acronyms (REFI, XML).
        Some(c) if chars.clone().next().is_some_and(char::is_lowercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        Some(c) => std::iter::once(c).chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The file chosen in a file input's change event (the input is cleared so the same file can
/// be chosen again), with its bytes.
async fn chosen_file(file: web_sys::File) -> Result<(String, Vec<u8>), Failure> {
    let name = file.name();
    dom::read_file_bytes(&file)
        .await
        .map(|bytes| (name.clone(), bytes))
        .map_err(|reason| Failure { file: name, reason })
}

fn first_file(e: &Event) -> Option<web_sys::File> {
    let input: HtmlInputElement = e.target_unchecked_into();
    let file = dom::files_of(input.files()).into_iter().next();
    input.set_value("");
    file
}
