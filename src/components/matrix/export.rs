//! Exporting a matrix: CSV written in the page, XLSX and the print view written by the worker
//! (the zip writer and page template stay out of the main wasm). Every export is first searched
//! for real names of the pseudonymisation key (`check_export`, in the worker); when some are found the
//! researcher is asked (`Modal::Names`, the `ExportCheck` dialog) instead of the file being
//! written.

use super::dialogs::Modal;
use crate::components::pseudonyms::{check_export, ExportCheck, NamesFound, Written};
use crate::dom;
use framewise_core::matrix::export_csv;
use framewise_core::protocol::MatrixFormat;
use framewise_core::{Action, MatrixId, Project};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Writes a matrix export: `(project, matrix, format, check)`. A format of `None` is CSV,
/// written here; a format is written in the worker. With `check`, the bytes are first searched
/// for real names of the key.
pub(super) type RunExport = Rc<dyn Fn(Rc<Project>, MatrixId, Option<MatrixFormat>, bool)>;

/// An export held back because real names of the key were found in it.
#[derive(Clone, PartialEq)]
pub(super) struct HeldExport {
    /// `None`: CSV.
    pub(super) format: Option<MatrixFormat>,
    /// The file name it would be written as.
    pub(super) file: String,
    /// What the check found.
    pub(super) found: Rc<NamesFound>,
}

/// A file name from a matrix name (characters file systems dislike replaced).
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim().trim_matches('.').to_string();
    if stem.is_empty() {
        "matrix".into()
    } else {
        stem
    }
}

/// A matrix written by the worker as a workbook or a printable page: the file's bytes.
async fn worker_export(
    project: &Project,
    matrix: MatrixId,
    format: MatrixFormat,
    with_quotes: bool,
) -> Result<Vec<u8>, String> {
    let request = framewise_core::protocol::Request::MatrixExport {
        project: framewise_core::protocol::ProjectFile::of(project, 0),
        matrix,
        format,
        with_quotes,
    };
    let answer = crate::worker_client::request(request, None).await?;
    crate::worker_client::exported_bytes(answer).map(|(bytes, _)| bytes)
}

/// Hands a matrix written by the worker to the researcher: XLSX as a download, the print view
/// in a new tab.
fn write_matrix(file: &str, format: MatrixFormat, bytes: &[u8]) -> Result<(), String> {
    if format == MatrixFormat::Xlsx {
        dom::download_bytes(
            file,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes,
        )
    } else {
        open_print_view(file, &String::from_utf8_lossy(bytes))
    }
}

/// Opens an HTML document in a new tab (a Blob URL: the new document inherits the app's
/// Content-Security-Policy, which allows its inline styles). Falls back to a download when the
/// browser blocks the new tab.
fn open_print_view(file_name: &str, html: &str) -> Result<(), String> {
    let parts = js_sys::Array::new();
    parts.push(&wasm_bindgen::JsValue::from_str(html));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/html;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not prepare the page".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not prepare the page".to_string())?;
    let opened = web_sys::window()
        .and_then(|w| w.open_with_url_and_target(&url, "_blank").ok().flatten())
        .is_some();
    // The new tab needs the URL while it loads; release it a minute later.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    if opened {
        Ok(())
    } else {
        dom::download(file_name, "text/html;charset=utf-8", html)
    }
}

/// Writes matrix exports (see [`RunExport`]); real names found open `Modal::Names`.
pub(super) fn exporter(
    on_message: Callback<String>,
    modal: UseStateHandle<Option<Modal>>,
    with_quotes: bool,
) -> RunExport {
    Rc::new(
        move |project: Rc<Project>, id: MatrixId, format: Option<MatrixFormat>, check: bool| {
            let Some(m) = project.matrix(id).cloned() else {
                return;
            };
            let stem = file_stem(&m.name);
            let file = format!(
                "{stem}.{}",
                match format {
                    None => "csv",
                    Some(MatrixFormat::Xlsx) => "xlsx",
                    Some(MatrixFormat::Html) => "html",
                }
            );
            let key = project.pseudonyms.clone();
            let ask = {
                let modal = modal.clone();
                let file = file.clone();
                move |found| {
                    modal.set(Some(Modal::Names(HeldExport {
                        format,
                        file: file.clone(),
                        found: Rc::new(found),
                    })))
                }
            };
            let key = if check { key } else { Vec::new() };
            let on_message = on_message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(format) = format else {
                    let csv = export_csv(&project, &m);
                    let result = match check_export(&key, Written::Bytes(csv.as_bytes())).await {
                        Ok(Some(found)) => {
                            ask(found);
                            Ok(())
                        }
                        Ok(None) => dom::download(&file, "text/csv;charset=utf-8", &csv),
                        Err(e) => Err(e),
                    };
                    if let Err(e) = result {
                        on_message.emit(format!("Could not export the matrix: {e}"));
                    }
                    return;
                };
                let result = match worker_export(&project, id, format, with_quotes).await {
                    Ok(bytes) => {
                        // A deflated XLSX cannot be read in the page: its text is the
                        // matrix's (names, summaries, quotes), which the CSV holds too.
                        let text = match format {
                            MatrixFormat::Xlsx => export_csv(&project, &m).into_bytes(),
                            MatrixFormat::Html => bytes.clone(),
                        };
                        match check_export(&key, Written::Bytes(&text)).await {
                            Ok(Some(found)) => {
                                ask(found);
                                Ok(())
                            }
                            Ok(None) => write_matrix(&file, format, &bytes),
                            Err(e) => Err(e),
                        }
                    }
                    Err(e) => Err(e),
                };
                if let Err(e) = result {
                    on_message.emit(format!("Could not export the matrix: {e}"));
                }
            });
        },
    )
}

/// The dialog of an export held back: where the real names are, and the choice to pseudonymise
/// first or to write it as it is.
pub(super) fn names_check(
    held: HeldExport,
    project: &Rc<Project>,
    id: MatrixId,
    dispatch: &Callback<Action>,
    modal: &UseStateHandle<Option<Modal>>,
    run_export: &RunExport,
) -> Html {
    let HeldExport {
        format,
        file,
        found,
    } = held;
    let on_export = {
        let modal = modal.clone();
        let run_export = run_export.clone();
        Callback::from(move |p: Rc<Project>| {
            modal.set(None);
            run_export(p, id, format, false);
        })
    };
    let on_cancel = {
        let modal = modal.clone();
        Callback::from(move |_| modal.set(None))
    };
    html! {
        <ExportCheck project={project.clone()} {file} {found} dispatch={dispatch.clone()}
            {on_export} {on_cancel} />
    }
}

/// The "Export" group of the matrix bar: CSV, XLSX (with or without the quotes sheet), the
/// print view.
pub(super) fn export_group(
    project: &Rc<Project>,
    id: MatrixId,
    run_export: &RunExport,
    with_quotes: &UseStateHandle<bool>,
) -> Html {
    // `None`: CSV, written here; a format: written in the worker.
    let export = |format: Option<MatrixFormat>| {
        let project = project.clone();
        let run_export = run_export.clone();
        Callback::from(move |_: MouseEvent| run_export(project.clone(), id, format, true))
    };
    let toggle_quotes = {
        let with_quotes = with_quotes.clone();
        Callback::from(move |e: Event| {
            with_quotes.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    html! {
        <span class="matrix-exports" role="group" aria-label="Export">
            {"Export:"}
            <button aria-label="Export CSV" onclick={export(None)}>{"CSV"}</button>
            <button aria-label="Export XLSX" onclick={export(Some(MatrixFormat::Xlsx))}>{"XLSX"}</button>
            <label class="check" title="Add a sheet listing every quote referenced in the summaries"><input type="checkbox" aria-label="Include quotes sheet" checked={**with_quotes} onchange={toggle_quotes} />{"quotes sheet"}</label>
            <button onclick={export(Some(MatrixFormat::Html))}>{"Print view"}</button>
        </span>
    }
}
