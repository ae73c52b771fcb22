//! The app's requests to the file-reader worker for REFI-QDA: reading a `.qdpx`/`.qdc` into a
//! project, writing one, planning a codebook merge; and the name of a written file.

use crate::state::now;
use crate::worker_client;
use framewise_core::merge::{MergePlan, MergeSummary};
use framewise_core::persist;
use framewise_core::protocol::{ProjectFile, RefiFormat, Reply, Request};
use framewise_core::refi::CodebookMerge;
use framewise_core::Project;
use js_sys::Uint8Array;

/// Reads a `.qdpx`/`.qdc` in the worker into a project and what the import found, written out
/// as markup (core's `refi::import_summary`).
pub(super) async fn import_file(
    file_name: &str,
    bytes: &[u8],
) -> Result<(Project, String), String> {
    let request = Request::RefiImport {
        file_name: file_name.to_string(),
        now: now(),
    };
    match worker_client::request(request, Some(Uint8Array::from(bytes)))
        .await?
        .0
    {
        Reply::RefiImported { project, summary } => Ok((project.load()?, summary)),
        _ => Err(worker_client::UNUSABLE.into()),
    }
}

/// Writes the project as a REFI-QDA file in the worker (a `.qdpx` with the pseudonymisation
/// key only when `include_key`): the file's bytes and media type.
pub(super) async fn export_file(
    project: &Project,
    format: RefiFormat,
    include_key: bool,
) -> Result<(Vec<u8>, String), String> {
    // The key does not even reach the worker unless asked for (the same rule as the project
    // file download, `pseudonyms::for_export`).
    let project = crate::components::pseudonyms::for_export(project, include_key);
    let request = Request::RefiExport {
        project: ProjectFile::of(&project, now()),
        format,
        include_pseudonym_key: include_key,
    };
    worker_client::exported_bytes(worker_client::request(request, None).await?)
}

/// Plans, in the worker, merging the codebook of a `.qdc`/`.qdpx` into `project`: the plan (as
/// far as applying it goes, `CodebookMerge::from_staged`) and its preview, written out as markup.
pub(super) async fn plan_merge(
    project: &Project,
    file_name: &str,
    bytes: &[u8],
) -> Result<(CodebookMerge, String), String> {
    // Only the codebook matters here: the key stays in the page.
    let sent = crate::components::pseudonyms::for_export(project, false);
    let request = Request::RefiMergePlan {
        project: ProjectFile::of(&sent, now()),
        file_name: file_name.to_string(),
        now: now(),
    };
    match worker_client::request(request, Some(Uint8Array::from(bytes)))
        .await?
        .0
    {
        Reply::MergePlan { shown, staged } => {
            Ok((CodebookMerge::from_staged(project, &staged.load()?), shown))
        }
        _ => Err(worker_client::UNUSABLE.into()),
    }
}

/// Plans, in the worker, merging another project (a Framewise project file or a `.qdpx`) into
/// `project`: the plan (as far as applying it goes, `MergePlan::from_staged`) and its preview,
/// written out as markup; the error is the worker's sentence naming the file.
pub(super) async fn plan_project_merge(
    project: &Project,
    file_name: &str,
    bytes: &[u8],
) -> Result<(MergePlan, String), String> {
    // With its key, so that the plan can say whether the other project's key differs.
    let request = Request::ProjectMergePlan {
        project: ProjectFile::of(project, now()),
        file_name: file_name.to_string(),
        now: now(),
    };
    match worker_client::request(request, Some(Uint8Array::from(bytes)))
        .await?
        .0
    {
        Reply::ProjectMergePlan {
            other_name,
            shown,
            staged,
        } => {
            let summary = MergeSummary {
                other_name,
                ..MergeSummary::default()
            };
            Ok((
                MergePlan::from_staged(project, &staged.load()?, summary),
                shown,
            ))
        }
        _ => Err(worker_client::UNUSABLE.into()),
    }
}

/// The REFI file name for a project: its project file name with `.qdpx`/`.qdc`.
pub(super) fn file_name_for(project: &Project, format: RefiFormat) -> String {
    let extension = format.extension();
    let name = persist::project_file_name(project);
    let stem = name.strip_suffix(".framewise.json").unwrap_or(&name);
    format!("{stem}.{extension}")
}
