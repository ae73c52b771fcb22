//! Framework matrices (charting): the list of matrices and its tools (create, edit rows and
//! columns, rename, delete, scope, seed with quotes, export), the grid (rows = cases, columns =
//! codes, a case summary column) and, for the opened cell, its coded segments beside the
//! summary editor, so the researcher condenses while reading the evidence.
//!
//! The grid is computed once per project value and matrix (`build_view`, a memo keyed on the
//! project pointer) and renders only the rows near the viewport.

mod cell;
mod dialogs;
mod editor;
mod export;
mod grid;

pub use cell::{CellPanel, CellPanelProps};
pub use editor::{MatrixDialog, MatrixDialogProps, MatrixSpec};
pub use grid::{MatrixGrid, MatrixGridProps};

use crate::dom;
use crate::state::Shared;
use dialogs::Modal;
use framewise_core::matrix::{build_view_shown, seed_with_quotes, Matrix, MatrixView};
use framewise_core::{Action, CaseId, CodeId, MatrixId, Project, ProjectId};
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
    /// The project as shown under the coder filter, whose codings the counts and segment
    /// lists use (`None`: every coder's).
    #[prop_or_default]
    pub shown: Option<Rc<Project>>,
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

    let shown = props.shown.clone().unwrap_or_else(|| props.project.clone());
    let view: Rc<MatrixView> = {
        let project = project.clone();
        let shown = shown.clone();
        let matrix = matrix.clone();
        let key = (
            Rc::as_ptr(&props.project) as usize,
            Rc::as_ptr(&shown) as usize,
            matrix
                .as_ref()
                .map(|m| std::sync::Arc::as_ptr(&m.0) as usize),
        );
        let memo = use_memo(key, move |_| match &matrix {
            Some(m) => Rc::new(build_view_shown(&project, &shown, m)),
            None => Rc::new(MatrixView::default()),
        });
        (*memo).clone()
    };

    let dispatch = props.dispatch.clone();
    let close_modal = dialogs::closer(&modal);
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

    let on_save = dialogs::on_save(&dispatch, &modal, &selected, &matrix);

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

    // Writes a matrix export (CSV here; XLSX and the print view in the worker), checked first
    // for real names of the pseudonymisation key.
    let run_export = export::exporter(props.on_message.clone(), modal.clone(), *with_quotes);

    let modal_html = match ((*modal).clone(), &matrix) {
        (Some(Modal::Names(held)), Some(m)) => {
            export::names_check(held, &project, m.id, &dispatch, &modal, &run_export)
        }
        (Some(Modal::New), _) => html! {
            <MatrixDialog project={project.clone()} existing={None::<Shared<Matrix>>}
                on_save={on_save.clone()} on_close={close_modal.clone()} />
        },
        (Some(Modal::Edit), Some(m)) => html! {
            <MatrixDialog project={project.clone()} existing={Some(m.clone())}
                on_save={on_save.clone()} on_close={close_modal.clone()} />
        },
        (Some(Modal::Rename), Some(m)) => dialogs::rename(m, &dispatch, &modal, &rename_field),
        (Some(Modal::Delete), Some(m)) => dialogs::delete(m, &dispatch, &modal, &selected, &open),
        (Some(Modal::Seed(seeds)), Some(m)) => dialogs::seed(m, &seeds, &dispatch, &modal),
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
                {export::export_group(&project, matrix.id, &run_export, &with_quotes)}
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
                        shown={shown.clone()}
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
