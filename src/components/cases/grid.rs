//! The case table grid, following the WAI-ARIA grid pattern: `role="grid"`, one `gridcell` per
//! cell and a roving tabindex. Arrows, Home/End and PageUp/PageDown move the active cell; Enter,
//! F2 or typing starts editing (a typed key is the editor's first character); Enter commits and
//! moves down, Tab commits and moves right, Esc cancels. Values are read by core's
//! [`cell_action`]: a value that does not fit is shown as an error beside the cell and not
//! applied. Pasting lines from a spreadsheet into an attribute cell fills the column downward as
//! one undo step. Values are shown per case only: a sub-case inherits nothing from its parent.
//!
//! The keyboard, focus and paste handlers are delegated to the table (no listener per cell), so
//! 100 cases × 10 attributes stay light.

use super::editor::{CellEditor, EditorKind, Step};
use super::header::GridHead;
use super::row::CaseRow;
use super::{plural, Dialog};
use crate::hooks::use_latest;
use framewise_core::case_table::{cell_action, plan_paste, valid_parents, Column, FIXED_COLUMNS};
use framewise_core::{Action, Attribute, AttributeKind, CaseId, Project, SourceId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Rows moved by PageUp / PageDown.
const PAGE_ROWS: usize = 10;

/// Props of [`CaseGrid`].
#[derive(Properties, PartialEq)]
pub struct CaseGridProps {
    pub project: Rc<Project>,
    /// The rows in case-tree order, with their depth.
    pub rows: Rc<Vec<(CaseId, usize)>>,
    /// The active cell (row, column), kept by the view (it shows the active case's details).
    pub active: (usize, usize),
    pub on_active: Callback<(usize, usize)>,
    pub dispatch: Callback<Action>,
    pub on_dialog: Callback<Dialog>,
}

/// The cell being edited and the text it started with.
#[derive(Clone, PartialEq, Debug)]
struct Edit {
    row: usize,
    col: usize,
    initial: String,
    /// Started by typing: the caret goes to the end, nothing selected.
    typed: bool,
}

/// What the last paste did.
#[derive(Clone, PartialEq)]
struct PasteReport {
    applied: usize,
    problems: Vec<String>,
}

/// DOM id of a cell.
pub fn cell_id(row: usize, col: usize) -> String {
    format!("case-cell-{row}-{col}")
}

/// The grid cell an event happened on, as (row, col), when the event target is that cell.
fn event_cell(target: Option<web_sys::EventTarget>, only_cell: bool) -> Option<(usize, usize)> {
    let el: web_sys::Element = target?.dyn_into().ok()?;
    let cell = el.closest("[role=gridcell]").ok()??;
    if only_cell && cell != el {
        return None;
    }
    let row = cell.get_attribute("data-row")?.parse().ok()?;
    let col = cell.get_attribute("data-col")?.parse().ok()?;
    Some((row, col))
}

/// The text a cell shows and starts editing with.
fn cell_text(project: &Project, case: CaseId, col: usize) -> String {
    let Some(case) = project.case(case) else {
        return String::new();
    };
    match Column::at(col) {
        Column::Name => case.name.clone(),
        Column::Parent => case.parent.map(|p| p.to_string()).unwrap_or_default(),
        Column::Attribute(i) => project
            .attributes
            .get(i)
            .and_then(|a| case.values.get(&a.id))
            .map(|v| v.to_string())
            .unwrap_or_default(),
        Column::Sources => String::new(),
    }
}

/// The editor a cell takes, and whether a typed key can start it.
fn editor_kind(
    project: &Project,
    rows: &[(CaseId, usize)],
    case: CaseId,
    col: usize,
) -> EditorKind {
    match Column::at(col) {
        Column::Parent => {
            let choices = valid_parents(project, rows, case);
            let mut options = vec![(String::new(), "— top level".to_string())];
            options.extend(choices.iter().filter_map(|(id, depth)| {
                let name = &project.case(*id)?.name;
                Some((
                    id.to_string(),
                    format!("{}{name}", "\u{a0}\u{a0}".repeat(*depth)),
                ))
            }));
            EditorKind::Select(Rc::new(options))
        }
        Column::Attribute(i) => match project.attributes.get(i).map(|a| &a.kind) {
            Some(AttributeKind::YesNo) => {
                EditorKind::Choices(Rc::new(vec!["yes".into(), "no".into()]))
            }
            Some(AttributeKind::Category(values)) => EditorKind::Choices(Rc::new(values.clone())),
            _ => EditorKind::Text,
        },
        _ => EditorKind::Text,
    }
}

/// The case table.
#[component]
pub fn CaseGrid(props: &CaseGridProps) -> Html {
    let project = props.project.clone();
    let rows = props.rows.clone();
    // Latest values for handlers that run after a re-render (blur of a removed editor).
    let project_ref = use_latest(props.project.clone());
    let rows_ref = use_latest(rows.clone());
    let table = use_node_ref();

    let editing = use_state_eq(|| None::<Edit>);
    let edit_ref: Rc<RefCell<Option<Edit>>> = use_mut_ref(|| None);
    let cell_error = use_state_eq(|| None::<(usize, usize, String)>);
    let paste_report = use_state_eq(|| None::<PasteReport>);

    let n_rows = rows.len();
    let n_cols = FIXED_COLUMNS + project.attributes.len();
    let (row, col) = (
        props.active.0.min(n_rows.saturating_sub(1)),
        props.active.1.min(n_cols.saturating_sub(1)),
    );

    let move_to = {
        let on_active = props.on_active.clone();
        let table = table.clone();
        Rc::new(move |r: usize, c: usize| {
            on_active.emit((r, c));
            let cell = table
                .cast::<web_sys::Element>()
                .and_then(|t| {
                    t.query_selector(&format!("#{}", cell_id(r, c)))
                        .ok()
                        .flatten()
                })
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(cell) = cell {
                let _ = cell.focus();
            }
        })
    };

    let start_edit = {
        let editing = editing.clone();
        let edit_ref = edit_ref.clone();
        let cell_error = cell_error.clone();
        let on_dialog = props.on_dialog.clone();
        let project_ref = project_ref.clone();
        let rows_ref = rows_ref.clone();
        Rc::new(move |r: usize, c: usize, typed: Option<String>| {
            let (Some(project), Some(rows)) = (project_ref.get(), rows_ref.get()) else {
                return;
            };
            let Some(case) = rows.get(r).map(|(id, _)| *id) else {
                return;
            };
            if Column::at(c) == Column::Sources {
                on_dialog.emit(Dialog::EditSources(case));
                return;
            }
            let is_select = matches!(Column::at(c), Column::Parent);
            let (initial, typed) = match typed {
                Some(t) if !is_select => (t, true),
                _ => (cell_text(&project, case, c), false),
            };
            let edit = Edit {
                row: r,
                col: c,
                initial,
                typed,
            };
            *edit_ref.borrow_mut() = Some(edit.clone());
            cell_error.set(None);
            editing.set(Some(edit));
        })
    };

    // Commit the editor's text; `step` says where the active cell goes afterwards.
    let on_commit = {
        let editing = editing.clone();
        let edit_ref = edit_ref.clone();
        let cell_error = cell_error.clone();
        let project_ref = project_ref.clone();
        let rows_ref = rows_ref.clone();
        let dispatch = props.dispatch.clone();
        let move_to = move_to.clone();
        Callback::from(move |(text, step): (String, Step)| {
            let Some(edit) = edit_ref.borrow().clone() else {
                return;
            };
            let (Some(project), Some(rows)) = (project_ref.get(), rows_ref.get()) else {
                return;
            };
            let Some((case, _)) = rows.get(edit.row).copied() else {
                *edit_ref.borrow_mut() = None;
                editing.set(None);
                return;
            };
            match cell_action(&project, case, edit.col, &text) {
                Err(message) => {
                    cell_error.set(Some((edit.row, edit.col, message)));
                    if step.is_none() {
                        // Focus left the cell: the editor closes, the error stays beside it.
                        *edit_ref.borrow_mut() = None;
                        editing.set(None);
                    }
                }
                Ok(action) => {
                    *edit_ref.borrow_mut() = None;
                    cell_error.set(None);
                    editing.set(None);
                    if let Some(a) = action {
                        dispatch.emit(a);
                    }
                    if let Some((dr, dc)) = step {
                        let n_cols = FIXED_COLUMNS + project.attributes.len();
                        let r = edit
                            .row
                            .saturating_add_signed(dr)
                            .min(rows.len().saturating_sub(1));
                        let c = edit.col.saturating_add_signed(dc).min(n_cols - 1);
                        move_to(r, c);
                    }
                }
            }
        })
    };
    let on_cancel = {
        let editing = editing.clone();
        let edit_ref = edit_ref.clone();
        let cell_error = cell_error.clone();
        let move_to = move_to.clone();
        Callback::from(move |_: ()| {
            let Some(edit) = edit_ref.borrow_mut().take() else {
                return;
            };
            cell_error.set(None);
            editing.set(None);
            move_to(edit.row, edit.col);
        })
    };

    // Delegated grid handlers.
    let on_focusin = {
        let on_active = props.on_active.clone();
        Callback::from(move |e: FocusEvent| {
            if let Some(cell) = event_cell(e.target(), false) {
                on_active.emit(cell);
            }
        })
    };
    let on_dblclick = {
        let start_edit = start_edit.clone();
        let editing = editing.clone();
        Callback::from(move |e: MouseEvent| {
            if editing.is_some() {
                return;
            }
            if let Some((r, c)) = event_cell(e.target(), false) {
                start_edit(r, c, None);
            }
        })
    };
    let on_grid_key = {
        let start_edit = start_edit.clone();
        let move_to = move_to.clone();
        let editing = editing.clone();
        let project = project.clone();
        let rows = rows.clone();
        let dispatch = props.dispatch.clone();
        let on_dialog = props.on_dialog.clone();
        let cell_error = cell_error.clone();
        Callback::from(move |e: KeyboardEvent| {
            if editing.is_some() {
                return;
            }
            let Some((r, c)) = event_cell(e.target(), true) else {
                return;
            };
            let last_row = rows.len().saturating_sub(1);
            let last_col = FIXED_COLUMNS + project.attributes.len() - 1;
            let ctrl = e.ctrl_key() || e.meta_key();
            let key = e.key();
            match key.as_str() {
                "ArrowDown" => move_to((r + 1).min(last_row), c),
                "ArrowUp" => move_to(r.saturating_sub(1), c),
                "ArrowRight" => move_to(r, (c + 1).min(last_col)),
                "ArrowLeft" => move_to(r, c.saturating_sub(1)),
                "PageDown" => move_to((r + PAGE_ROWS).min(last_row), c),
                "PageUp" => move_to(r.saturating_sub(PAGE_ROWS), c),
                "Home" if ctrl => move_to(0, 0),
                "End" if ctrl => move_to(last_row, last_col),
                "Home" => move_to(r, 0),
                "End" => move_to(r, last_col),
                "Enter" | "F2" => start_edit(r, c, None),
                "Delete" | "Backspace" => {
                    let Some((case, _)) = rows.get(r).copied() else {
                        return;
                    };
                    match Column::at(c) {
                        Column::Attribute(i) => {
                            let Some(a) = project.attributes.get(i) else {
                                return;
                            };
                            if project
                                .case(case)
                                .is_some_and(|x| x.values.contains_key(&a.id))
                            {
                                dispatch.emit(Action::SetAttributeValues {
                                    values: vec![(case, a.id, None)],
                                });
                            }
                            cell_error.set(None);
                        }
                        Column::Name if key == "Delete" => on_dialog.emit(Dialog::DeleteCase(case)),
                        _ => return,
                    }
                }
                k if !ctrl && !e.alt_key() && k.chars().count() == 1 => {
                    start_edit(r, c, Some(k.to_string()));
                }
                _ => return,
            }
            e.prevent_default();
            e.stop_propagation();
        })
    };
    let on_paste = {
        let editing = editing.clone();
        let project = project.clone();
        let rows = rows.clone();
        let dispatch = props.dispatch.clone();
        let paste_report = paste_report.clone();
        Callback::from(move |e: Event| {
            if editing.is_some() {
                return;
            }
            let Some((r, c)) = event_cell(e.target(), false) else {
                return;
            };
            let text = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|ce| ce.clipboard_data())
                .and_then(|d| d.get_data("text").ok())
                .unwrap_or_default();
            e.prevent_default();
            let Column::Attribute(first) = Column::at(c) else {
                paste_report.set(Some(PasteReport {
                    applied: 0,
                    problems: vec![
                        "Paste values into an attribute column (rename cases one by one).".into(),
                    ],
                }));
                return;
            };
            if text.is_empty() {
                return;
            }
            let plan = plan_paste(&project, &rows, r, first, &text);
            let applied = plan.values.len();
            if applied > 0 {
                dispatch.emit(Action::SetAttributeValues {
                    values: plan.values,
                });
            }
            paste_report.set(Some(PasteReport {
                applied,
                problems: plan.problems,
            }));
        })
    };

    // Stable for unchanged rows, so only rows that change re-render.
    let attributes: Rc<Vec<Attribute>> = {
        let project = project.clone();
        use_memo(Rc::as_ptr(&props.project) as usize, move |_| {
            project.attributes.clone()
        })
    };
    let on_edit_sources = {
        let on_dialog = props.on_dialog.clone();
        use_callback(on_dialog, |id: CaseId, on_dialog| {
            on_dialog.emit(Dialog::EditSources(id));
        })
    };

    let source_names: HashMap<SourceId, &str> = project
        .sources
        .iter()
        .map(|s| (s.id, s.name.as_str()))
        .collect();
    let editor = |edit: &Edit, case: CaseId, case_name: &str| -> Html {
        let label = match Column::at(edit.col) {
            Column::Name => format!("Name of {case_name}"),
            Column::Parent => format!("Parent of {case_name}"),
            Column::Sources => String::new(),
            Column::Attribute(i) => project
                .attributes
                .get(i)
                .map(|a| format!("{} of {case_name}", a.name))
                .unwrap_or_default(),
        };
        html! {
            <CellEditor label={label} kind={editor_kind(&project, &rows, case, edit.col)}
                initial={edit.initial.clone()} typed={edit.typed}
                on_commit={on_commit.clone()} on_cancel={on_cancel.clone()} />
        }
    };

    let body_rows = rows.iter().enumerate().filter_map(|(r, (id, depth))| {
        let case = project.case(*id)?;
        let parent = case
            .parent
            .and_then(|p| project.case(p))
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let sources: Vec<&str> = case
            .sources
            .iter()
            .filter_map(|s| source_names.get(s).copied())
            .collect();
        let editor = (*editing)
            .as_ref()
            .filter(|e| e.row == r)
            .map(|e| (e.col, editor(e, case.id, &case.name)));
        let error = (*cell_error)
            .as_ref()
            .filter(|(er, _, _)| *er == r)
            .map(|(_, c, m)| (*c, m.clone()));
        Some(html! {
            <CaseRow key={case.id.to_string()} row={r} case={case.clone()} depth={*depth}
                parent={parent} sources={sources.join(", ")} attributes={attributes.clone()}
                active_col={(r == row).then_some(col)} {editor} {error}
                on_edit_sources={on_edit_sources.clone()} />
        })
    });

    let paste_note = (*paste_report).clone().map(|report| {
        let dismiss = {
            let paste_report = paste_report.clone();
            Callback::from(move |_: MouseEvent| paste_report.set(None))
        };
        let problems = report.problems.iter().map(|p| html! { <li>{p}</li> });
        html! {
            <div class="paste-report" role="status" aria-label="Paste report">
                <p>{format!("Pasted {}.", plural(report.applied, "value", "values"))}
                    if !report.problems.is_empty() { {" Not pasted:"} }
                </p>
                if !report.problems.is_empty() {
                    <ul class="import-problems" aria-label="Values not pasted">{for problems}</ul>
                }
                <button class="small" onclick={dismiss}>{"Dismiss"}</button>
            </div>
        }
    });

    html! {
        <>
            <div class="case-table-wrap">
                <table role="grid" aria-label="Case table" class="case-table" ref={table}
                    aria-rowcount={(n_rows + 1).to_string()} aria-colcount={n_cols.to_string()}
                    onkeydown={on_grid_key} onfocusin={on_focusin} ondblclick={on_dblclick} onpaste={on_paste}>
                    <GridHead attributes={attributes.clone()} on_dialog={props.on_dialog.clone()} />
                    <tbody>{for body_rows}</tbody>
                </table>
            </div>
            <p class="hint grid-help">
                {"Arrows move; Enter, F2 or typing edits; Enter commits and moves down, Tab moves right, Esc cancels; Delete clears a value; paste a column from a spreadsheet into an attribute cell."}
            </p>
            {paste_note.unwrap_or_default()}
        </>
    }
}
