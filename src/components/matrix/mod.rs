//! Framework matrices (charting): the list of matrices and its tools (create, edit rows and
//! columns, rename, delete, scope, seed with quotes, export), the grid (rows = cases, columns =
//! codes, a case summary column) and, for the opened cell, its coded segments beside the
//! summary editor, so the researcher condenses while reading the evidence.
//!
//! The grid is computed once per project value and matrix (`build_view`, a memo keyed on the
//! project pointer) and renders only the rows near the viewport.

mod cell;
mod editor;
mod grid;

pub use cell::{CellPanel, CellPanelProps};
pub use editor::{MatrixDialog, MatrixDialogProps, MatrixSpec};
pub use grid::{MatrixGrid, MatrixGridProps};

use crate::components::dialog::Dialog;
use crate::components::pseudonyms::{check_export, ExportCheck};
use crate::dom;
use crate::state::{now, BrowserIds, Shared};
use framewise_core::matrix::{build_view, export_csv, seed_with_quotes, Matrix, MatrixView};
use framewise_core::protocol::MatrixFormat;
use framewise_core::{Action, CaseId, CodeId, IdSource, MatrixId, Project, ProjectId};
use framewise_core::{SourceId, Span};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub use framewise_core::matrix::CellState;

/// Characters of each extract when seeding empty cells with quotes.
pub const SEED_CHARS: usize = 160;

/// A column of the grid: a code, or the per-row case summary.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Column {
    /// The cell of this code.
    Code(CodeId),
    /// The case summary column.
    CaseSummary,
}

/// One cell of a matrix.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CellRef {
    /// Its row.
    pub case: CaseId,
    /// Its column.
    pub column: Column,
}

/// Props of [`MatricesView`].
#[derive(Properties, PartialEq)]
pub struct MatricesViewProps {
    /// The project.
    pub project: Rc<Project>,
    /// Apply a change (one undo step).
    pub dispatch: Callback<Action>,
    /// Open a source scrolled to a passage, highlighted.
    pub on_open: Callback<(SourceId, Span)>,
    /// Show a message to the user.
    pub on_message: Callback<String>,
    /// The matrix the address names (routes); `None`: the last one looked at, else the first.
    #[prop_or_default]
    pub matrix: Option<MatrixId>,
    /// The matrix shown changed (for the address).
    #[prop_or_default]
    pub on_matrix: Callback<Option<MatrixId>>,
}

/// What is shown over the view.
#[derive(Clone, PartialEq)]
enum Modal {
    New,
    Edit,
    Rename,
    Delete,
    Seed(Rc<Vec<(CaseId, CodeId, String)>>),
    /// Real names of the pseudonymisation key found in an export about to be written.
    Names {
        format: Option<MatrixFormat>,
        file: String,
        found: Rc<crate::components::pseudonyms::NamesFound>,
    },
}

/// The selected matrix and open cell, kept while the view is away (e.g. after "Open in
/// source"), so coming back shows the same cell.
#[derive(Clone, Copy)]
struct Remembered {
    project: ProjectId,
    matrix: MatrixId,
    open: Option<CellRef>,
}

thread_local! {
    static REMEMBERED: RefCell<Option<Remembered>> = const { RefCell::new(None) };
}

fn remembered(project: ProjectId) -> Option<Remembered> {
    REMEMBERED
        .with(|r| *r.borrow())
        .filter(|r| r.project == project)
}

fn remember(value: Remembered) {
    REMEMBERED.with(|r| *r.borrow_mut() = Some(value));
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

/// Opens an HTML document in a new tab (a Blob URL: the new document inherits the app's
/// Content-Security-Policy, which allows its inline styles). Falls back to a download when the
/// browser blocks the new tab.
/// A matrix written by the worker as a workbook or a printable page: the file's bytes.
async fn worker_export(
    project: &framewise_core::Project,
    matrix: framewise_core::MatrixId,
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

/// "1 case", "1,234 cases": core's one way of counting in words.
pub(crate) use framewise_core::words::count as plural;

/// Cells with data, and how many of them are summarised.
fn progress(view: &MatrixView) -> (usize, usize) {
    let mut with_data = 0;
    let mut summarised = 0;
    for cell in view.cells.iter().flatten() {
        if cell.segments > 0 {
            with_data += 1;
            if cell.state == CellState::Summarised {
                summarised += 1;
            }
        }
    }
    (summarised, with_data)
}

/// The framework matrices view.
#[component]
pub fn MatricesView(props: &MatricesViewProps) -> Html {
    let project = props.project.clone();
    let memory = remembered(project.id);
    // A matrix named by the address wins over the remembered one (its open cell is kept only
    // when it is the same matrix).
    let named = props.matrix.filter(|id| project.matrix(*id).is_some());
    let memory = match (named, memory) {
        (Some(id), Some(m)) if m.matrix != id => None,
        (_, m) => m,
    };
    let selected = use_state(|| named.or(memory.map(|m| m.matrix)));
    let open = use_state(|| memory.and_then(|m| m.open));
    let active = use_state(|| memory.and_then(|m| m.open));
    {
        // Back/Forward to another matrix of the same project.
        let selected = selected.clone();
        let open = open.clone();
        let active = active.clone();
        use_effect_with(named, move |named| {
            if let Some(id) = *named {
                if *selected != Some(id) {
                    selected.set(Some(id));
                    open.set(None);
                    active.set(None);
                }
            }
        });
    }
    let modal = use_state(|| None::<Modal>);
    let with_quotes = use_state(|| true);
    let rename_field = use_node_ref();

    let matrix: Option<Shared<Matrix>> = (*selected)
        .and_then(|id| project.matrix(id))
        .or_else(|| project.matrices.first())
        .map(|m| Shared(m.clone()));
    let matrix_id = matrix.as_ref().map(|m| m.id);

    {
        let on_matrix = props.on_matrix.clone();
        use_effect_with(matrix_id, move |id| on_matrix.emit(*id));
    }
    // Keep the selection and open cell for when the view comes back.
    if let Some(id) = matrix_id {
        remember(Remembered {
            project: project.id,
            matrix: id,
            open: *open,
        });
    }

    let view: Rc<MatrixView> = {
        let project = project.clone();
        let matrix = matrix.clone();
        let key = (
            Rc::as_ptr(&props.project) as usize,
            matrix
                .as_ref()
                .map(|m| std::sync::Arc::as_ptr(&m.0) as usize),
        );
        let memo = use_memo(key, move |_| match &matrix {
            Some(m) => Rc::new(build_view(&project, m)),
            None => Rc::new(MatrixView::default()),
        });
        (*memo).clone()
    };

    let dispatch = props.dispatch.clone();
    let close_modal = {
        let modal = modal.clone();
        Callback::from(move |_| modal.set(None))
    };
    let show = |m: Modal| {
        let modal = modal.clone();
        Callback::from(move |_: MouseEvent| modal.set(Some(m.clone())))
    };

    let on_pick = {
        let selected = selected.clone();
        let open = open.clone();
        let active = active.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            selected.set(MatrixId::parse(&el.value()));
            open.set(None);
            active.set(None);
        })
    };

    let on_save = {
        let dispatch = dispatch.clone();
        let modal = modal.clone();
        let selected = selected.clone();
        let matrix = matrix.clone();
        let editing = matches!(*modal, Some(Modal::Edit));
        Callback::from(move |spec: MatrixSpec| {
            match (&matrix, editing) {
                (Some(m), true) => {
                    let mut actions = Vec::new();
                    if spec.name != m.name {
                        actions.push(Action::RenameMatrix {
                            id: m.id,
                            name: spec.name.clone(),
                        });
                    }
                    if spec.rows != m.rows || spec.group_by != m.group_by {
                        actions.push(Action::SetMatrixRows {
                            id: m.id,
                            rows: spec.rows.clone(),
                            group_by: spec.group_by,
                        });
                    }
                    if spec.columns != m.columns {
                        actions.push(Action::SetMatrixColumns {
                            id: m.id,
                            columns: spec.columns.clone(),
                        });
                    }
                    if !actions.is_empty() {
                        dispatch.emit(Action::Batch {
                            label: format!("Edit matrix {}", spec.name),
                            actions,
                        });
                    }
                }
                _ => {
                    let mut matrix =
                        Matrix::new(BrowserIds.matrix_id(), spec.name, spec.columns, now());
                    matrix.rows = spec.rows;
                    matrix.group_by = spec.group_by;
                    selected.set(Some(matrix.id));
                    dispatch.emit(Action::CreateMatrix { matrix });
                }
            }
            modal.set(None);
        })
    };

    let on_activate = {
        let active = active.clone();
        Callback::from(move |cell: CellRef| active.set(Some(cell)))
    };
    let on_open_cell = {
        let active = active.clone();
        let open = open.clone();
        Callback::from(move |cell: CellRef| {
            active.set(Some(cell));
            open.set(Some(cell));
        })
    };
    let on_columns = {
        let dispatch = dispatch.clone();
        Callback::from(move |(id, columns): (MatrixId, Vec<CodeId>)| {
            dispatch.emit(Action::SetMatrixColumns { id, columns })
        })
    };

    // Writes a matrix export (CSV here; XLSX and the print view in the worker: the zip writer
    // and page template stay out of the main wasm). With `check`, the bytes are first searched
    // for real names of the pseudonymisation key; when some are found the researcher is asked
    // (`Modal::Names`) instead.
    let run_export = {
        let on_message = props.on_message.clone();
        let modal = modal.clone();
        let with_quotes = *with_quotes;
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
                        modal.set(Some(Modal::Names {
                            format,
                            file: file.clone(),
                            found: Rc::new(found),
                        }))
                    }
                };
                let Some(format) = format else {
                    let csv = export_csv(&project, &m);
                    if let Some(found) = check
                        .then(|| check_export(&key, None, csv.as_bytes()))
                        .flatten()
                    {
                        ask(found);
                        return;
                    }
                    if let Err(e) = dom::download(&file, "text/csv;charset=utf-8", &csv) {
                        on_message.emit(format!("Could not export the matrix: {e}"));
                    }
                    return;
                };
                let on_message = on_message.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = match worker_export(&project, id, format, with_quotes).await {
                        Ok(bytes) => {
                            // A deflated XLSX cannot be read in the page: its text is the
                            // matrix's (names, summaries, quotes), which the CSV holds too.
                            let text = match format {
                                MatrixFormat::Xlsx => export_csv(&project, &m).into_bytes(),
                                MatrixFormat::Html => bytes.clone(),
                            };
                            match check.then(|| check_export(&key, None, &text)).flatten() {
                                Some(found) => {
                                    ask(found);
                                    Ok(())
                                }
                                None => write_matrix(&file, format, &bytes),
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
    };

    let modal_html = match ((*modal).clone(), &matrix) {
        (
            Some(Modal::Names {
                format,
                file,
                found,
            }),
            Some(m),
        ) => {
            let id = m.id;
            let on_export = {
                let modal = modal.clone();
                let run_export = run_export.clone();
                Callback::from(move |p: Rc<Project>| {
                    modal.set(None);
                    run_export(p, id, format, false);
                })
            };
            html! {
                <ExportCheck project={project.clone()} {file} {found} dispatch={dispatch.clone()}
                    {on_export} on_cancel={close_modal.clone()} />
            }
        }
        (Some(Modal::New), _) => html! {
            <MatrixDialog project={project.clone()} existing={None::<Shared<Matrix>>}
                on_save={on_save.clone()} on_close={close_modal.clone()} />
        },
        (Some(Modal::Edit), Some(m)) => html! {
            <MatrixDialog project={project.clone()} existing={Some(m.clone())}
                on_save={on_save.clone()} on_close={close_modal.clone()} />
        },
        (Some(Modal::Rename), Some(m)) => {
            let onsubmit = {
                let dispatch = dispatch.clone();
                let modal = modal.clone();
                let field = rename_field.clone();
                let id = m.id;
                let old = m.name.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let Some(input) = field.cast::<HtmlInputElement>() else {
                        return;
                    };
                    let name = input.value().trim().to_string();
                    if !name.is_empty() && name != old {
                        dispatch.emit(Action::RenameMatrix { id, name });
                    }
                    modal.set(None);
                })
            };
            html! {
                <Dialog title="Rename matrix" on_close={close_modal.clone()}>
                    <form {onsubmit}>
                        <label>{"Name"}<input ref={rename_field.clone()} type="text" value={m.name.clone()} required=true /></label>
                        <div class="dialog-actions">
                            <button type="button" onclick={close_modal.reform(|_| ())}>{"Cancel"}</button>
                            <button type="submit" class="primary">{"Rename"}</button>
                        </div>
                    </form>
                </Dialog>
            }
        }
        (Some(Modal::Delete), Some(m)) => {
            let summaries =
                m.cells.values().map(|r| r.len()).sum::<usize>() + m.case_summaries.len();
            let confirm = {
                let dispatch = dispatch.clone();
                let modal = modal.clone();
                let selected = selected.clone();
                let open = open.clone();
                let id = m.id;
                Callback::from(move |_: MouseEvent| {
                    dispatch.emit(Action::DeleteMatrix { id });
                    selected.set(None);
                    open.set(None);
                    modal.set(None);
                })
            };
            html! {
                <Dialog title="Delete matrix" on_close={close_modal.clone()}>
                    <p>{format!("Delete the matrix “{}” and its {}? Codings and cases are not affected. Undo brings it back.", m.name, plural(summaries, "summary", "summaries"))}</p>
                    <div class="dialog-actions">
                        <button onclick={close_modal.reform(|_| ())}>{"Cancel"}</button>
                        <button class="danger" onclick={confirm}>{"Delete matrix"}</button>
                    </div>
                </Dialog>
            }
        }
        (Some(Modal::Seed(seeds)), Some(m)) => {
            let confirm = {
                let dispatch = dispatch.clone();
                let modal = modal.clone();
                let id = m.id;
                let seeds = seeds.clone();
                Callback::from(move |_: MouseEvent| {
                    dispatch.emit(Action::SetCellSummaries {
                        matrix: id,
                        summaries: (*seeds).clone(),
                    });
                    modal.set(None);
                })
            };
            let n = seeds.len();
            html! {
                <Dialog title="Seed with quotes" on_close={close_modal.clone()}>
                    if n == 0 {
                        <p>{"No cell has coded segments without a summary: there is nothing to seed."}</p>
                    } else {
                        <p>{format!("Fill {} that {} coded segments but no summary with short extracts (quote references) for you to condense? Cells with a summary are not changed. Undo removes the extracts.", plural(n, "empty cell", "empty cells"), if n == 1 { "has" } else { "have" })}</p>
                    }
                    <div class="dialog-actions">
                        <button onclick={close_modal.reform(|_| ())}>{"Cancel"}</button>
                        <button class="primary" disabled={n == 0} onclick={confirm}>{format!("Fill {}", plural(n, "cell", "cells"))}</button>
                    </div>
                </Dialog>
            }
        }
        _ => Html::default(),
    };

    let new_button = html! {
        <button onclick={show(Modal::New)}>{"New matrix…"}</button>
    };

    let Some(matrix) = matrix else {
        return html! {
            <section class="matrices" aria-label="Framework matrices">
                <div class="matrix-bar">{new_button}</div>
                <div class="matrix-empty">
                    <h2>{"Framework matrices"}</h2>
                    <p class="empty-state">{"A framework matrix charts your data: one row per case, one column per code, and in each cell your summary of what that case said about that code, linked to the quotes behind it."}</p>
                    if project.cases.is_empty() {
                        <p class="empty-state">{"This project has no cases yet: add them in the Cases view, then create a matrix."}</p>
                    }
                </div>
                {modal_html}
            </section>
        };
    };

    let pick = html! {
        <label class="matrix-pick">{"Matrix"}
            <select onchange={on_pick}>
                {for project.matrices.iter().map(|m| html! {
                    <option value={m.id.to_string()} selected={m.id == matrix.id}>{&m.name}</option>
                })}
            </select>
        </label>
    };

    let scope = {
        let toggle = |subcases: bool| {
            let dispatch = dispatch.clone();
            let m = matrix.clone();
            Callback::from(move |e: Event| {
                let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                let (include_subcases, include_child_codes) = if subcases {
                    (checked, m.include_child_codes)
                } else {
                    (m.include_subcases, checked)
                };
                dispatch.emit(Action::SetMatrixScope {
                    id: m.id,
                    include_subcases,
                    include_child_codes,
                });
            })
        };
        html! {
            <>
                <span class="matrix-scope" role="group" aria-label="Segments of a cell include">
                    {"Include:"}
                    <label class="check" title="A case's segments include those of its sub-cases"><input type="checkbox" aria-label="Include sub-cases" checked={matrix.include_subcases} onchange={toggle(true)} />{"sub-cases"}</label>
                    <label class="check" title="A column's segments include those of its child codes"><input type="checkbox" aria-label="Include child codes" checked={matrix.include_child_codes} onchange={toggle(false)} />{"child codes"}</label>
                </span>
            </>
        }
    };

    let seed = {
        let modal = modal.clone();
        let project = project.clone();
        let m = matrix.clone();
        Callback::from(move |_: MouseEvent| {
            let seeds = seed_with_quotes(&project, &m, SEED_CHARS);
            modal.set(Some(Modal::Seed(Rc::new(seeds))));
        })
    };
    // `None`: CSV, written here; a format: written in the worker.
    let export = |format: Option<MatrixFormat>| {
        let project = project.clone();
        let id = matrix_id;
        let run_export = run_export.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(id) = id {
                run_export(project.clone(), id, format, true);
            }
        })
    };
    let toggle_quotes = {
        let with_quotes = with_quotes.clone();
        Callback::from(move |e: Event| {
            with_quotes.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };

    let (summarised, with_data) = progress(&view);
    let total = view.rows.len() * view.columns.len();

    // The open and active cells, if still in the grid.
    let in_grid = |cell: Option<CellRef>| {
        cell.filter(|c| {
            view.rows.iter().any(|r| r.case == c.case)
                && match c.column {
                    Column::Code(code) => view.columns.iter().any(|col| col.code == code),
                    Column::CaseSummary => true,
                }
        })
    };
    let open_cell = in_grid(*open);
    let active_cell = in_grid(*active);
    let close_cell = {
        let open = open.clone();
        Callback::from(move |_| {
            open.set(None);
            // Back to the grid, on the cell that was open.
            if let Some(el) = dom::document().and_then(|d| {
                d.query_selector(".matrix-grid [tabindex='0']")
                    .ok()
                    .flatten()
            }) {
                if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        })
    };

    html! {
        <section class="matrices" aria-label="Framework matrices">
            <div class="matrix-bar">
                {pick}
                {new_button}
                <button onclick={show(Modal::Edit)}>{"Edit rows and columns…"}</button>
                <button onclick={show(Modal::Rename)}>{"Rename…"}</button>
                <button class="danger" onclick={show(Modal::Delete)}>{"Delete…"}</button>
            </div>
            <div class="matrix-bar">
                {scope}
                <crate::components::speakers::MatrixSpeakers project={project.clone()} matrix={matrix.id} excluded={matrix.exclude_speakers.clone()} dispatch={dispatch.clone()} />
                <button onclick={seed} title="Fill empty cells that have data with short extracts to condense">{"Seed with quotes…"}</button>
                <span class="matrix-legend" aria-hidden="true">
                    <span class="mx-marker state-summarised"></span>{"summarised"}
                    <span class="mx-marker state-data"></span>{"data, no summary"}
                    <span class="mx-marker state-empty"></span>{"empty"}
                    <span class="mx-marker state-orphan"></span>{"summary, no data"}
                </span>
            </div>
            <div class="matrix-bar">
            <p class="matrix-progress" role="status">
                <span>{format!("{} of {} with data summarised", framewise_core::words::thousands(summarised), plural(with_data, "cell", "cells"))}</span>
                if with_data > 0 {
                    <progress max={with_data.to_string()} value={summarised.to_string()} aria-hidden="true"></progress>
                }
            </p>
                <span class="matrix-exports" role="group" aria-label="Export">
                    {"Export:"}
                    <button aria-label="Export CSV" onclick={export(None)}>{"CSV"}</button>
                    <button aria-label="Export XLSX" onclick={export(Some(MatrixFormat::Xlsx))}>{"XLSX"}</button>
                    <label class="check" title="Add a sheet listing every quote referenced in the summaries"><input type="checkbox" aria-label="Include quotes sheet" checked={*with_quotes} onchange={toggle_quotes} />{"quotes sheet"}</label>
                    <button onclick={export(Some(MatrixFormat::Html))}>{"Print view"}</button>
                </span>
            </div>
            <div class={classes!("matrix-work", open_cell.is_some().then_some("with-cell"))}>
                if total == 0 && view.rows.is_empty() {
                    <p class="empty-state matrix-note">{"No cases match this matrix's rows. Add cases in the Cases view, or change the rows with “Edit rows and columns…”."}</p>
                } else if view.columns.is_empty() {
                    <p class="empty-state matrix-note">{"This matrix has no columns. Choose codes with “Edit rows and columns…”."}</p>
                }
                if !view.rows.is_empty() {
                    <MatrixGrid
                        project={project.clone()}
                        matrix={matrix.clone()}
                        view={view.clone()}
                        active={active_cell}
                        open={open_cell}
                        {on_activate}
                        on_open={on_open_cell}
                        {on_columns} />
                }
                if let Some(cell) = open_cell {
                    <CellPanel
                        key={format!("{}:{:?}", cell.case, cell.column)}
                        project={project.clone()}
                        matrix={matrix.clone()}
                        {cell}
                        dispatch={dispatch.clone()}
                        on_open={props.on_open.clone()}
                        on_close={close_cell} />
                }
            </div>
            {modal_html}
        </section>
    }
}
