//! The Cases view: the case table, a spreadsheet-like grid of cases (sites, participants within
//! them) and their attributes (typed case classifications), with the toolbar that creates cases
//! (by hand, or one per source), adds attributes, and imports or exports the table as CSV.
//!
//! The table follows the WAI-ARIA grid pattern: `role="grid"`, one `gridcell` per cell and a
//! roving tabindex. Arrows, Home/End and PageUp/PageDown move the active cell; Enter, F2 or
//! typing starts editing; Enter commits and moves down, Tab commits and moves right, Esc cancels.
//! Values are read with [`CellValue::parse`]: a value that does not fit is shown as an error
//! beside the cell and not applied. Pasting lines from a spreadsheet into an attribute cell fills
//! the column downward as one undo step. Values are shown per case only: a sub-case inherits
//! nothing from its parent.
//!
//! The keyboard, focus and paste handlers are delegated to the table (no listener per cell), so
//! 100 cases × 10 attributes stay light.

use crate::components::dialog::Dialog;
use crate::components::memo::MemoEditor;
use crate::dom;
use crate::state::{now, BrowserIds};
use framewise_core::cases::{
    cases_from_sources, export_case_table_csv, parse_case_table_csv, AttrValue as CellValue,
    CaseTableImport,
};
use framewise_core::{
    Action, Attribute, AttributeId, AttributeKind, Case, CaseId, IdSource, Project, SourceId, Span,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Deepest level rendered (the core prevents cycles; this only bounds recursion).
const MAX_DEPTH: usize = 64;
/// Columns before the attributes: Case, Parent, Sources.
pub const FIXED_COLUMNS: usize = 3;
/// Rows moved by PageUp / PageDown.
const PAGE_ROWS: usize = 10;
/// The id of the field (input or select) editing the active cell.
pub const CELL_EDITOR_ID: &str = "case-cell-editor";

/// Props of [`CasesView`].
#[derive(Properties, PartialEq)]
pub struct CasesViewProps {
    /// The project.
    pub project: Rc<Project>,
    /// Apply a change (one undo step).
    pub dispatch: Callback<Action>,
    /// Open a source scrolled to a passage, highlighted.
    pub on_open: Callback<(SourceId, Span)>,
    /// Show a message to the user.
    pub on_message: Callback<String>,
}

// ---------------------------------------------------------------------------------------------
// Pure helpers

/// Cases in case-tree order (depth first, siblings in project order) with their depth. A case
/// whose parent is missing shows at the top level; a case caught in a cycle (which `apply`
/// prevents) still shows, at the top level.
pub fn case_rows(project: &Project) -> Vec<(CaseId, usize)> {
    let ids: HashSet<CaseId> = project.cases.iter().map(|c| c.id).collect();
    let mut children: HashMap<Option<CaseId>, Vec<CaseId>> = HashMap::new();
    for c in &project.cases {
        let parent = c.parent.filter(|p| ids.contains(p) && *p != c.id);
        children.entry(parent).or_default().push(c.id);
    }
    fn walk(
        children: &HashMap<Option<CaseId>, Vec<CaseId>>,
        parent: Option<CaseId>,
        depth: usize,
        seen: &mut HashSet<CaseId>,
        out: &mut Vec<(CaseId, usize)>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for id in children.get(&parent).map(|v| v.as_slice()).unwrap_or(&[]) {
            if seen.insert(*id) {
                out.push((*id, depth));
                walk(children, Some(*id), depth + 1, seen, out);
            }
        }
    }
    let mut out = Vec::with_capacity(project.cases.len());
    let mut seen = HashSet::new();
    walk(&children, None, 0, &mut seen, &mut out);
    for c in &project.cases {
        if seen.insert(c.id) {
            out.push((c.id, 0));
        }
    }
    out
}

/// Cases that may become the parent of `id` (not itself, not below it), in tree order.
fn valid_parents(project: &Project, rows: &[(CaseId, usize)], id: CaseId) -> Vec<(CaseId, usize)> {
    let own = project.case_and_descendants(id);
    rows.iter()
        .filter(|(c, _)| !own.contains(c))
        .copied()
        .collect()
}

/// What a column shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
    Name,
    Parent,
    Sources,
    /// Index into `project.attributes`.
    Attribute(usize),
}

fn column(col: usize) -> Column {
    match col {
        0 => Column::Name,
        1 => Column::Parent,
        2 => Column::Sources,
        n => Column::Attribute(n - FIXED_COLUMNS),
    }
}

/// DOM id of a cell.
fn cell_id(row: usize, col: usize) -> String {
    format!("case-cell-{row}-{col}")
}

/// Text shown for an optional value.
fn value_text(value: Option<&CellValue>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    framewise_core::words::count(n, one, many)
}

/// The action committing `text` typed into cell (`case`, `col`): `Ok(None)` when nothing
/// changes, `Err` with a sentence for the researcher when the text does not fit.
fn commit_action(
    project: &Project,
    case: CaseId,
    col: usize,
    text: &str,
) -> Result<Option<Action>, String> {
    let current = project.case(case).ok_or("This case no longer exists.")?;
    match column(col) {
        Column::Name => {
            let name = text.trim();
            if name.is_empty() {
                Err("A case needs a name.".into())
            } else if name == current.name {
                Ok(None)
            } else {
                Ok(Some(Action::RenameCase {
                    id: case,
                    name: name.to_string(),
                }))
            }
        }
        Column::Parent => {
            let parent = if text.is_empty() {
                None
            } else {
                Some(CaseId::parse(text).ok_or("Choose a case from the list.")?)
            };
            if parent == current.parent {
                return Ok(None);
            }
            if let Some(p) = parent {
                if project.case(p).is_none() || project.is_case_ancestor_or_self(case, p) {
                    return Err("A case cannot be placed under itself or its sub-cases.".into());
                }
            }
            Ok(Some(Action::SetCaseParent { id: case, parent }))
        }
        Column::Sources => Ok(None),
        Column::Attribute(i) => {
            let attribute = project
                .attributes
                .get(i)
                .ok_or("This attribute no longer exists.")?;
            let value = CellValue::parse(&attribute.kind, text)?;
            if value.as_ref() == current.values.get(&attribute.id) {
                Ok(None)
            } else {
                Ok(Some(Action::SetAttributeValues {
                    values: vec![(case, attribute.id, value)],
                }))
            }
        }
    }
}

/// What a paste would change.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct PastePlan {
    /// Values to set (or clear), in row order.
    pub values: Vec<(CaseId, AttributeId, Option<CellValue>)>,
    /// Values left out, each a sentence naming its row.
    pub problems: Vec<String>,
}

/// Reads clipboard text (lines, and tab-separated columns as spreadsheets copy them) into
/// values for the attribute columns from `first_attribute` rightward and the rows from `row`
/// downward. Values that do not fit their attribute, and lines or columns beyond the table, are
/// reported and left out.
pub fn plan_paste(
    project: &Project,
    rows: &[(CaseId, usize)],
    row: usize,
    first_attribute: usize,
    text: &str,
) -> PastePlan {
    let mut plan = PastePlan::default();
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let mut beyond_rows = 0;
    let mut beyond_columns = false;
    for (i, line) in lines.iter().enumerate() {
        let Some((case_id, _)) = rows.get(row + i) else {
            beyond_rows += 1;
            continue;
        };
        let Some(case) = project.case(*case_id) else {
            continue;
        };
        for (j, field) in line.split('\t').enumerate() {
            let Some(attribute) = project.attributes.get(first_attribute + j) else {
                beyond_columns = true;
                continue;
            };
            match CellValue::parse(&attribute.kind, field) {
                Ok(value) => plan.values.push((case.id, attribute.id, value)),
                Err(e) => plan.problems.push(format!(
                    "Row {} ({}), {}: {e}",
                    row + i + 1,
                    case.name,
                    attribute.name
                )),
            }
        }
    }
    if beyond_rows > 0 {
        plan.problems.push(format!(
            "{} below the last case {} not pasted.",
            plural(beyond_rows, "line", "lines"),
            if beyond_rows == 1 { "was" } else { "were" }
        ));
    }
    if beyond_columns {
        plan.problems
            .push("Columns right of the last attribute were not pasted.".into());
    }
    plan
}

/// Reads an attribute type from the form: the type key and, for a category, its values one
/// per line.
fn kind_from_form(key: &str, values: &str) -> Result<AttributeKind, String> {
    Ok(match key {
        "text" => AttributeKind::Text,
        "number" => AttributeKind::Number,
        "date" => AttributeKind::Date,
        "yes_no" => AttributeKind::YesNo,
        "category" => {
            let mut list: Vec<String> = Vec::new();
            for v in values.lines().map(str::trim).filter(|v| !v.is_empty()) {
                if !list.iter().any(|x| x.eq_ignore_ascii_case(v)) {
                    list.push(v.to_string());
                }
            }
            if list.is_empty() {
                return Err("A category needs at least one value (one per line).".into());
            }
            AttributeKind::Category(list)
        }
        _ => return Err("Choose a type.".into()),
    })
}

fn kind_key(kind: &AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Text => "text",
        AttributeKind::Number => "number",
        AttributeKind::Date => "date",
        AttributeKind::YesNo => "yes_no",
        AttributeKind::Category(_) => "category",
    }
}

/// Number of values of `attribute` that would be removed by a change to `kind`.
fn values_lost(project: &Project, attribute: AttributeId, kind: &AttributeKind) -> usize {
    project
        .cases
        .iter()
        .filter_map(|c| c.values.get(&attribute))
        .filter(|v| {
            !v.fits(kind)
                && CellValue::parse(kind, &v.to_string())
                    .ok()
                    .flatten()
                    .is_none()
        })
        .count()
}

/// The value of the open cell editor (an input or a select).
fn editor_value() -> Option<String> {
    let el = dom::document()?.get_element_by_id(CELL_EDITOR_ID)?;
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        return Some(input.value());
    }
    el.dyn_ref::<HtmlSelectElement>().map(|s| s.value())
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

/// A field of a dialog by id.
fn field_value(id: &str) -> String {
    let Some(el) = dom::document().and_then(|d| d.get_element_by_id(id)) else {
        return String::new();
    };
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        return input.value();
    }
    if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        return select.value();
    }
    el.dyn_ref::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

/// Options of a case select: the top level, then cases in tree order, indented.
fn case_options(
    project: &Project,
    choices: &[(CaseId, usize)],
    selected: Option<CaseId>,
    top_label: &str,
) -> Html {
    let items = choices.iter().filter_map(|(id, depth)| {
        let case = project.case(*id)?;
        let indent = "\u{a0}\u{a0}".repeat(*depth);
        Some(html! {
            <option value={id.to_string()} selected={selected == Some(*id)}>{format!("{indent}{}", case.name)}</option>
        })
    });
    html! {
        <>
            <option value="" selected={selected.is_none()}>{top_label.to_string()}</option>
            {for items}
        </>
    }
}

// ---------------------------------------------------------------------------------------------
// The view

/// A dialog waiting for the researcher.
#[derive(Clone, PartialEq)]
enum Pending {
    AddCase {
        parent: Option<CaseId>,
    },
    FromSources,
    AddAttribute,
    EditSources(CaseId),
    DeleteCase(CaseId),
    RenameAttribute(AttributeId),
    AttributeType(AttributeId),
    DeleteAttribute(AttributeId),
    Import {
        file: String,
        import: Rc<CaseTableImport>,
    },
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

/// The Cases view.
#[component]
pub fn CasesView(props: &CasesViewProps) -> Html {
    let project = props.project.clone();
    let rows = {
        let project = project.clone();
        use_memo(Rc::as_ptr(&props.project) as usize, move |_| {
            case_rows(&project)
        })
    };
    // Latest values for handlers that run after a re-render (blur of a removed editor).
    let project_ref = use_mut_ref(|| props.project.clone());
    *project_ref.borrow_mut() = props.project.clone();
    let rows_ref = use_mut_ref(|| rows.clone());
    *rows_ref.borrow_mut() = rows.clone();

    let active = use_state_eq(|| (0usize, 0usize));
    let editing = use_state_eq(|| None::<Edit>);
    let edit_ref: Rc<RefCell<Option<Edit>>> = use_mut_ref(|| None);
    let cell_error = use_state_eq(|| None::<(usize, usize, String)>);
    let paste_report = use_state_eq(|| None::<PasteReport>);
    let pending = use_state(|| None::<Pending>);
    let column_menu = use_state_eq(|| None::<AttributeId>);
    // A case to make active once it appears (after adding one).
    let want_case = use_mut_ref(|| None::<CaseId>);

    let n_rows = rows.len();
    let n_cols = FIXED_COLUMNS + project.attributes.len();
    let (row, col) = (
        active.0.min(n_rows.saturating_sub(1)),
        active.1.min(n_cols.saturating_sub(1)),
    );
    let active_case = rows.get(row).and_then(|(id, _)| project.case(*id)).cloned();

    {
        let want_case = want_case.clone();
        let active = active.clone();
        let rows = rows.clone();
        use_effect_with(rows.clone(), move |_| {
            let wanted = want_case.borrow_mut().take();
            if let Some(id) = wanted {
                if let Some(r) = rows.iter().position(|(c, _)| *c == id) {
                    active.set((r, 0));
                }
            }
        });
    }
    // Focus the editor when editing starts.
    {
        use_effect_with((*editing).clone(), move |edit| {
            if let Some(edit) = edit {
                let el = dom::document().and_then(|d| d.get_element_by_id(CELL_EDITOR_ID));
                if let Some(input) = el.as_ref().and_then(|e| e.dyn_ref::<HtmlInputElement>()) {
                    // Uncontrolled: the text is the browser's while the researcher types.
                    input.set_value(&edit.initial);
                    let _ = input.focus();
                    let len = input.value().encode_utf16().count() as u32;
                    if edit.typed {
                        let _ = input.set_selection_range(len, len);
                    } else {
                        input.select();
                    }
                } else if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            }
        });
    }

    let move_to = {
        let active = active.clone();
        Rc::new(move |r: usize, c: usize| {
            active.set((r, c));
            dom::focus_id(&cell_id(r, c));
        })
    };

    let start_edit = {
        let editing = editing.clone();
        let edit_ref = edit_ref.clone();
        let cell_error = cell_error.clone();
        let pending = pending.clone();
        let project_ref = project_ref.clone();
        let rows_ref = rows_ref.clone();
        Rc::new(move |r: usize, c: usize, typed: Option<String>| {
            let project = project_ref.borrow().clone();
            let Some(case) = rows_ref
                .borrow()
                .get(r)
                .and_then(|(id, _)| project.case(*id))
                .cloned()
            else {
                return;
            };
            let kind = match column(c) {
                Column::Sources => {
                    pending.set(Some(Pending::EditSources(case.id)));
                    return;
                }
                Column::Attribute(i) => project.attributes.get(i).map(|a| a.kind.clone()),
                _ => None,
            };
            let is_select = matches!(column(c), Column::Parent)
                || matches!(
                    kind,
                    Some(AttributeKind::YesNo) | Some(AttributeKind::Category(_))
                );
            let current = match column(c) {
                Column::Name => case.name.clone(),
                Column::Parent => case.parent.map(|p| p.to_string()).unwrap_or_default(),
                Column::Attribute(i) => value_text(
                    project
                        .attributes
                        .get(i)
                        .and_then(|a| case.values.get(&a.id)),
                ),
                Column::Sources => String::new(),
            };
            let (initial, typed) = match typed {
                Some(t) if !is_select => (t, true),
                _ => (current, false),
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

    // Commit the editor; `step` says where the active cell goes afterwards: (rows, cols).
    let finish = {
        let editing = editing.clone();
        let edit_ref = edit_ref.clone();
        let cell_error = cell_error.clone();
        let project_ref = project_ref.clone();
        let rows_ref = rows_ref.clone();
        let dispatch = props.dispatch.clone();
        let move_to = move_to.clone();
        Rc::new(move |step: Option<(isize, isize)>| {
            let Some(edit) = edit_ref.borrow().clone() else {
                return;
            };
            let text = editor_value().unwrap_or_default();
            let project = project_ref.borrow().clone();
            let rows = rows_ref.borrow().clone();
            let Some((case, _)) = rows.get(edit.row).copied() else {
                *edit_ref.borrow_mut() = None;
                editing.set(None);
                return;
            };
            match commit_action(&project, case, edit.col, &text) {
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
    let cancel_edit = {
        let editing = editing.clone();
        let edit_ref = edit_ref.clone();
        let cell_error = cell_error.clone();
        let move_to = move_to.clone();
        Rc::new(move || {
            let Some(edit) = edit_ref.borrow_mut().take() else {
                return;
            };
            cell_error.set(None);
            editing.set(None);
            move_to(edit.row, edit.col);
        })
    };

    let on_editor_key = {
        let finish = finish.clone();
        let cancel_edit = cancel_edit.clone();
        Callback::from(move |e: KeyboardEvent| {
            match e.key().as_str() {
                "Enter" => finish(Some((if e.shift_key() { -1 } else { 1 }, 0))),
                "Tab" => finish(Some((0, if e.shift_key() { -1 } else { 1 }))),
                "Escape" => cancel_edit(),
                _ => {
                    e.stop_propagation();
                    return;
                }
            }
            e.prevent_default();
            e.stop_propagation();
        })
    };
    let on_editor_blur = {
        let finish = finish.clone();
        Callback::from(move |_: FocusEvent| finish(None))
    };

    // Delegated grid handlers.
    let on_focusin = {
        let active = active.clone();
        Callback::from(move |e: FocusEvent| {
            if let Some(cell) = event_cell(e.target(), false) {
                active.set(cell);
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
        let pending = pending.clone();
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
                    match column(c) {
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
                        Column::Name if key == "Delete" => {
                            pending.set(Some(Pending::DeleteCase(case)))
                        }
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
            let Column::Attribute(first) = column(c) else {
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
    let on_edit_sources = use_callback(pending.setter(), |id: CaseId, setter| {
        setter.set(Some(Pending::EditSources(id)));
    });

    // Toolbar.
    let open = |p: Pending| {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| pending.set(Some(p.clone())))
    };
    let on_export = {
        let project = project.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |_: MouseEvent| {
            let csv = export_case_table_csv(&project);
            let file = format!("{} cases.csv", project.name.trim());
            // A BOM so spreadsheet programs read the file as UTF-8.
            if let Err(e) =
                dom::download(&file, "text/csv;charset=utf-8", &format!("\u{feff}{csv}"))
            {
                on_message.emit(format!("The case table could not be exported: {e}."));
            }
        })
    };

    let on_import_file = {
        let project = project.clone();
        let pending = pending.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |e: Event| {
            let Some(file) = dom::take_first_file(&e) else {
                return;
            };
            let project = project.clone();
            let pending = pending.clone();
            let on_message = on_message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let text = match dom::read_csv_text(&file).await {
                    Ok(text) => text,
                    Err(e) => {
                        on_message.emit(format!("{name} could not be read: {e}."));
                        return;
                    }
                };
                match parse_case_table_csv(&text, &project, &mut BrowserIds, now()) {
                    Ok(import) => pending.set(Some(Pending::Import {
                        file: name,
                        import: Rc::new(import),
                    })),
                    Err(problem) => on_message.emit(format!(
                        "{name} is not a case table CSV: line {}: {}.",
                        problem.line, problem.message
                    )),
                }
            });
        })
    };

    // The table.
    let source_names: HashMap<SourceId, &str> = project
        .sources
        .iter()
        .map(|s| (s.id, s.name.as_str()))
        .collect();
    let header_cells = project.attributes.iter().map(|a| {
        let id = a.id;
        let menu_open = *column_menu == Some(id);
        let toggle = {
            let column_menu = column_menu.clone();
            Callback::from(move |_: MouseEvent| {
                column_menu.set(if menu_open { None } else { Some(id) });
            })
        };
        let close_menu = {
            let column_menu = column_menu.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" && menu_open {
                    e.stop_propagation();
                    column_menu.set(None);
                }
            })
        };
        let choose = |p: Pending| {
            let pending = pending.clone();
            let column_menu = column_menu.clone();
            Callback::from(move |_: MouseEvent| {
                column_menu.set(None);
                pending.set(Some(p.clone()));
            })
        };
        let title = match &a.kind {
            AttributeKind::Category(values) => format!("Category: {}", values.join(" | ")),
            k => k.label().to_string(),
        };
        html! {
            <th role="columnheader" scope="col" key={id.to_string()} class="attr-head" onkeydown={close_menu}>
                <span class="attr-name">{&a.name}</span>
                <span class="attr-type" {title}>{a.kind.label()}</span>
                <button class="small col-menu" aria-label={format!("Column {} actions", a.name)}
                    aria-haspopup="true" aria-expanded={menu_open.to_string()} onclick={toggle}>{"▾"}</button>
                if menu_open {
                    <div class="col-menu-list" role="group" aria-label={format!("Actions for {}", a.name)}>
                        <button class="small" onclick={choose(Pending::RenameAttribute(id))}>{"Rename…"}</button>
                        <button class="small" onclick={choose(Pending::AttributeType(id))}>{"Change type…"}</button>
                        <button class="small danger" onclick={choose(Pending::DeleteAttribute(id))}>{"Delete…"}</button>
                    </div>
                }
            </th>
        }
    });

    let editor = |edit: &Edit, case: &Case| -> Html {
        let label = match column(edit.col) {
            Column::Name => format!("Name of {}", case.name),
            Column::Parent => format!("Parent of {}", case.name),
            Column::Sources => String::new(),
            Column::Attribute(i) => project
                .attributes
                .get(i)
                .map(|a| format!("{} of {}", a.name, case.name))
                .unwrap_or_default(),
        };
        let select_options: Option<Html> = match column(edit.col) {
            Column::Parent => {
                let choices = valid_parents(&project, &rows, case.id);
                Some(case_options(&project, &choices, case.parent, "— top level"))
            }
            Column::Attribute(i) => match project.attributes.get(i).map(|a| &a.kind) {
                Some(AttributeKind::YesNo) => Some(html! {
                    <>
                        <option value="" selected={edit.initial.is_empty()}>{"—"}</option>
                        <option value="yes" selected={edit.initial == "yes"}>{"yes"}</option>
                        <option value="no" selected={edit.initial == "no"}>{"no"}</option>
                    </>
                }),
                Some(AttributeKind::Category(values)) => Some(html! {
                    <>
                        <option value="" selected={edit.initial.is_empty()}>{"—"}</option>
                        {for values.iter().map(|v| html! {
                            <option value={v.clone()} selected={*v == edit.initial}>{v}</option>
                        })}
                    </>
                }),
                _ => None,
            },
            _ => None,
        };
        match select_options {
            Some(options) => html! {
                <select id={CELL_EDITOR_ID} class="cell-editor" aria-label={label}
                    onkeydown={on_editor_key.clone()} onblur={on_editor_blur.clone()}>
                    {options}
                </select>
            },
            None => html! {
                <input id={CELL_EDITOR_ID} class="cell-editor" type="text" aria-label={label}
                    onkeydown={on_editor_key.clone()} onblur={on_editor_blur.clone()} />
            },
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
            .map(|e| (e.col, editor(e, case)));
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

    let details = active_case.map(|case| {
        let id = case.id;
        let on_memo = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |memo: String| dispatch.emit(Action::SetCaseMemo { id, memo }))
        };
        let sub_cases = project.cases.iter().filter(|c| c.parent == Some(id)).count();
        let linked = case.sources.iter().filter_map(|s| project.source(*s)).map(|s| {
            let on_open = props.on_open.clone();
            let at = (s.id, Span::new(0, 0));
            html! {
                <li><button class="link" onclick={move |_: MouseEvent| on_open.emit(at)}
                    aria-label={format!("Open {}", s.name)}>{&s.name}</button></li>
            }
        });
        html! {
            <section class="case-details" aria-label={format!("Case {}", case.name)} key={id.to_string()}>
                <h3>{&case.name}</h3>
                <div class="case-details-actions">
                    <button class="small" onclick={open(Pending::AddCase { parent: Some(id) })}>{"Add sub-case…"}</button>
                    <button class="small" onclick={open(Pending::EditSources(id))}>{"Link sources…"}</button>
                    <button class="small danger" onclick={open(Pending::DeleteCase(id))}>{"Delete case…"}</button>
                </div>
                <p class="hint">
                    {format!("{} · {}", plural(case.sources.len(), "source", "sources"), plural(sub_cases, "sub-case", "sub-cases"))}
                </p>
                if !case.sources.is_empty() {
                    <ul class="case-linked" aria-label={format!("Sources of {}", case.name)}>{for linked}</ul>
                }
                <MemoEditor key={id.to_string()} label={format!("Memo on {}", case.name)} value={case.memo.clone()} on_commit={on_memo} rows={3} />
            </section>
        }
    });

    let dialog = (*pending).clone().map(|p| {
        let close = {
            let pending = pending.clone();
            Callback::from(move |_: ()| pending.set(None))
        };
        render_dialog(DialogCtx {
            pending: p,
            project: &project,
            dispatch: &props.dispatch,
            close,
            want_case: &want_case,
        })
    });

    let has_cases = !rows.is_empty();
    html! {
        <section class="cases-view" aria-label="Cases">
            <div class="cases-toolbar" role="toolbar" aria-label="Case table tools">
                <button onclick={open(Pending::AddCase { parent: None })}>{"Add case"}</button>
                <button onclick={open(Pending::FromSources)} disabled={project.sources.is_empty()}>{"Cases from sources…"}</button>
                <button onclick={open(Pending::AddAttribute)}>{"Add attribute"}</button>
                <label class="button file-button">
                    {"Import case table CSV…"}
                    <input type="file" class="visually-hidden" accept=".csv,text/csv"
                        aria-label="Import case table CSV" onchange={on_import_file} />
                </label>
                <button onclick={on_export} disabled={!has_cases}>{"Export case table CSV"}</button>
                <span class="cases-count muted">{format!("{} · {}", plural(rows.len(), "case", "cases"), plural(project.attributes.len(), "attribute", "attributes"))}</span>
            </div>
            if has_cases {
                <div class="case-table-wrap">
                    <table role="grid" aria-label="Case table" class="case-table"
                        aria-rowcount={(n_rows + 1).to_string()} aria-colcount={n_cols.to_string()}
                        onkeydown={on_grid_key} onfocusin={on_focusin} ondblclick={on_dblclick} onpaste={on_paste}>
                        <thead>
                            <tr role="row" aria-rowindex="1">
                                <th role="columnheader" scope="col" class="name-head">{"Case"}</th>
                                <th role="columnheader" scope="col">{"Parent"}</th>
                                <th role="columnheader" scope="col">{"Sources"}</th>
                                {for header_cells}
                            </tr>
                        </thead>
                        <tbody>{for body_rows}</tbody>
                    </table>
                </div>
                <p class="hint grid-help">
                    {"Arrows move; Enter, F2 or typing edits; Enter commits and moves down, Tab moves right, Esc cancels; Delete clears a value; paste a column from a spreadsheet into an attribute cell."}
                </p>
                {paste_note.unwrap_or_default()}
                {details.unwrap_or_default()}
            } else {
                <div class="empty-state cases-empty">
                    <p>{"No cases yet. Cases are your units of analysis: sites, and participants within them. Create them in one of two ways:"}</p>
                    <ul>
                        <li><strong>{"Cases from sources…"}</strong>{" makes one case per interview you tick, named after it and linked to it."}</li>
                        <li><strong>{"Add case"}</strong>{" creates a case by hand (a site, say), and then its participants as sub-cases."}</li>
                    </ul>
                    <p>{"Then add attributes (rurality, role, deprivation decile…) and fill them in the table, or import a case table CSV from a spreadsheet."}</p>
                </div>
            }
            {dialog.unwrap_or_default()}
        </section>
    }
}

/// Props of [`CaseRow`].
#[derive(Properties, PartialEq)]
struct CaseRowProps {
    row: usize,
    case: Case,
    depth: usize,
    parent: AttrValue,
    sources: AttrValue,
    attributes: Rc<Vec<Attribute>>,
    /// The active column, on the active row only.
    active_col: Option<usize>,
    /// The column being edited and its editor, on that row only.
    editor: Option<(usize, Html)>,
    /// A column's error message, on that row only.
    error: Option<(usize, String)>,
    on_edit_sources: Callback<CaseId>,
}

/// One row of the case table. A component of its own, so moving the active cell re-renders
/// two rows, not the whole table.
#[component]
fn CaseRow(props: &CaseRowProps) -> Html {
    let r = props.row;
    let case = &props.case;
    let cell = |c: usize, content: Html, class: &'static str| -> Html {
        let is_active = props.active_col == Some(c);
        let editor = props
            .editor
            .as_ref()
            .filter(|(ec, _)| *ec == c)
            .map(|(_, h)| h.clone());
        let error = props
            .error
            .as_ref()
            .filter(|(ec, _)| *ec == c)
            .map(|(_, m)| m.clone());
        html! {
            <td role="gridcell" id={cell_id(r, c)} data-row={r.to_string()} data-col={c.to_string()}
                tabindex={if is_active { "0" } else { "-1" }}
                aria-selected={is_active.then_some("true")}
                aria-invalid={error.is_some().then_some("true")}
                class={classes!(class, is_active.then_some("active"), editor.is_some().then_some("editing"), error.is_some().then_some("invalid"))}>
                {editor.unwrap_or(content)}
                if let Some(message) = error {
                    <span class="cell-error" role="alert">{message}</span>
                }
            </td>
        }
    };
    let edit_sources = {
        let cb = props.on_edit_sources.clone();
        let id = case.id;
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(id);
        })
    };
    let depth = props.depth;
    let name = html! {
        <span class="case-name" style={format!("--depth:{depth}")}>
            if depth > 0 { <span class="subcase-mark" aria-hidden="true">{"↳ "}</span> }
            {&case.name}
        </span>
    };
    let sources = html! {
        <span class="case-sources">
            <span class="case-sources-names">{if props.sources.is_empty() { "—".into() } else { props.sources.clone() }}</span>
            <button class="small link-sources" tabindex="-1" onclick={edit_sources}
                aria-label={format!("Link sources to {}", case.name)}>{"Edit"}</button>
        </span>
    };
    let values = props.attributes.iter().enumerate().map(|(i, a)| {
        let v = value_text(case.values.get(&a.id));
        let class = if matches!(a.kind, AttributeKind::Number) {
            "num"
        } else {
            "val"
        };
        cell(FIXED_COLUMNS + i, html! { {v} }, class)
    });
    html! {
        <tr role="row" class={classes!(props.active_col.is_some().then_some("active-row"))}
            aria-rowindex={(r + 2).to_string()}>
            {cell(0, name, "name-cell")}
            {cell(1, html! { {props.parent.clone()} }, "parent-cell")}
            {cell(2, sources, "sources-cell")}
            {for values}
        </tr>
    }
}

// ---------------------------------------------------------------------------------------------
// Dialogs

struct DialogCtx<'a> {
    pending: Pending,
    project: &'a Rc<Project>,
    dispatch: &'a Callback<Action>,
    close: Callback<()>,
    want_case: &'a Rc<RefCell<Option<CaseId>>>,
}

fn render_dialog(ctx: DialogCtx) -> Html {
    let DialogCtx {
        pending,
        project,
        dispatch,
        close,
        want_case,
    } = ctx;
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    match pending {
        Pending::AddCase { parent } => html! {
            <AddCaseDialog project={project.clone()} {parent} dispatch={dispatch.clone()}
                on_close={close} want_case={want_case.clone()} />
        },
        Pending::FromSources => html! {
            <FromSourcesDialog project={project.clone()} dispatch={dispatch.clone()} on_close={close} />
        },
        Pending::AddAttribute => html! {
            <AttributeDialog project={project.clone()} attribute={None::<AttributeId>} dispatch={dispatch.clone()} on_close={close} />
        },
        Pending::AttributeType(id) => html! {
            <AttributeDialog project={project.clone()} attribute={Some(id)} dispatch={dispatch.clone()} on_close={close} />
        },
        Pending::EditSources(id) => html! {
            <SourcesDialog project={project.clone()} case={id} dispatch={dispatch.clone()} on_close={close} />
        },
        Pending::RenameAttribute(id) => html! {
            <RenameAttributeDialog project={project.clone()} attribute={id} dispatch={dispatch.clone()} on_close={close} />
        },
        Pending::DeleteAttribute(id) => {
            let Some(a) = project.attribute(id) else {
                return Html::default();
            };
            let n = project
                .cases
                .iter()
                .filter(|c| c.values.contains_key(&id))
                .count();
            let confirm = {
                let dispatch = dispatch.clone();
                let close = close.clone();
                Callback::from(move |_: MouseEvent| {
                    dispatch.emit(Action::DeleteAttribute { id });
                    close.emit(());
                })
            };
            html! {
                <Dialog title="Delete attribute" on_close={close}>
                    <p>{format!("Delete the attribute “{}” and its {}?", a.name, plural(n, "value", "values"))}</p>
                    <p>{"Matrices grouped or filtered by it lose that grouping or filter."}</p>
                    <p class="hint">{"You can undo this with Ctrl+Z."}</p>
                    <div class="dialog-actions">
                        <button class="danger" onclick={confirm}>{"Delete attribute"}</button>
                        <button onclick={cancel}>{"Cancel"}</button>
                    </div>
                </Dialog>
            }
        }
        Pending::Import { file, import } => render_import(project, &file, &import, dispatch, close),
        Pending::DeleteCase(id) => {
            let Some(case) = project.case(id) else {
                return Html::default();
            };
            let sub_cases = project
                .cases
                .iter()
                .filter(|c| c.parent == Some(id))
                .count();
            let summaries: usize = project
                .matrices
                .iter()
                .map(|m| {
                    m.cells.get(&id).map(|r| r.len()).unwrap_or(0)
                        + usize::from(m.case_summaries.contains_key(&id))
                })
                .sum();
            let up_to = case
                .parent
                .and_then(|p| project.case(p))
                .map(|p| format!("“{}”", p.name))
                .unwrap_or_else(|| "the top level".into());
            let confirm = {
                let dispatch = dispatch.clone();
                let close = close.clone();
                Callback::from(move |_: MouseEvent| {
                    dispatch.emit(Action::DeleteCase { id });
                    close.emit(());
                })
            };
            html! {
                <Dialog title="Delete case" on_close={close}>
                    <p>{format!("Delete the case “{}”?", case.name)}</p>
                    if sub_cases > 0 {
                        <p>{format!("Its {} up to {up_to}.", plural(sub_cases, "sub-case moves", "sub-cases move"))}</p>
                    }
                    <p>{format!("Its rows in framework matrices are removed, with {}.",
                        plural(summaries, "summary", "summaries"))}</p>
                    <p>{"Its sources stay in the project."}</p>
                    <p class="hint">{"You can undo this with Ctrl+Z."}</p>
                    <div class="dialog-actions">
                        <button class="danger" onclick={confirm}>{"Delete case"}</button>
                        <button onclick={cancel}>{"Cancel"}</button>
                    </div>
                </Dialog>
            }
        }
    }
}

/// The preview of a case table CSV: new cases, new attributes with their inferred types, how
/// many values change, and the problems by line; confirming applies it as one undo step.
fn render_import(
    project: &Project,
    file: &str,
    import: &Rc<CaseTableImport>,
    dispatch: &Callback<Action>,
    close: Callback<()>,
) -> Html {
    let new_names: HashMap<CaseId, &str> = import
        .new_cases
        .iter()
        .map(|c| (c.id, c.name.as_str()))
        .collect();
    let parent_name = |id: CaseId| {
        new_names
            .get(&id)
            .map(|n| n.to_string())
            .or_else(|| project.case(id).map(|c| c.name.clone()))
            .unwrap_or_default()
    };
    let cases = import.new_cases.iter().map(|c| {
        html! {
            <li>
                <span class="import-path">{&c.name}</span>
                if let Some(p) = c.parent {
                    <span class="muted">{format!(" (sub-case of {})", parent_name(p))}</span>
                }
            </li>
        }
    });
    let attributes = import.new_attributes.iter().map(|a| {
        let kind = match &a.kind {
            AttributeKind::Category(values) => format!("Category: {}", values.join(" | ")),
            k => k.label().to_string(),
        };
        html! { <li><span class="import-path">{&a.name}</span><span class="muted">{format!(" — {kind}")}</span></li> }
    });
    let set = import.values.iter().filter(|v| v.2.is_some()).count();
    let cleared = import.values.len() - set;
    let problems = import
        .problems
        .iter()
        .map(|p| html! { <li>{format!("Line {}: {}", p.line, p.message)}</li> });
    let nothing =
        import.new_cases.is_empty() && import.new_attributes.is_empty() && import.values.is_empty();
    let confirm = {
        let dispatch = dispatch.clone();
        let close = close.clone();
        let import = import.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(import.action());
            close.emit(());
        })
    };
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    html! {
        <Dialog title="Import case table" on_close={close} class="import-cases">
            <p>{format!("{file}: {} read.", plural(import.rows, "row", "rows"))}</p>
            if !import.new_cases.is_empty() {
                <h3>{format!("New cases ({})", import.new_cases.len())}</h3>
                <ul class="import-codes" aria-label="New cases">{for cases}</ul>
            }
            if !import.new_attributes.is_empty() {
                <h3>{format!("New attributes ({})", import.new_attributes.len())}</h3>
                <ul class="import-codes" aria-label="New attributes">{for attributes}</ul>
            }
            <p class="import-values">
                {format!("{} to set", plural(set, "value", "values"))}
                if cleared > 0 { {format!(", {cleared} to clear (empty cells)")} }
                {"."}
            </p>
            if !import.problems.is_empty() {
                <h3>{format!("Problems ({})", import.problems.len())}</h3>
                <ul class="import-problems" aria-label="Problems">{for problems}</ul>
            }
            <div class="dialog-actions">
                <button class="primary" disabled={nothing} onclick={confirm}>{"Import"}</button>
                <button onclick={cancel}>{"Cancel"}</button>
            </div>
        </Dialog>
    }
}

/// Props of [`RenameAttributeDialog`].
#[derive(Properties, PartialEq)]
struct RenameAttributeProps {
    project: Rc<Project>,
    attribute: AttributeId,
    dispatch: Callback<Action>,
    on_close: Callback<()>,
}

/// Rename an attribute.
#[component]
fn RenameAttributeDialog(props: &RenameAttributeProps) -> Html {
    let error = use_state_eq(|| None::<String>);
    let field = use_node_ref();
    {
        let field = field.clone();
        let name = props
            .project
            .attribute(props.attribute)
            .map(|a| a.name.clone())
            .unwrap_or_default();
        use_effect_with((), move |_| {
            if let Some(input) = field.cast::<HtmlInputElement>() {
                input.set_value(&name);
                input.select();
            }
        });
    }
    let id = props.attribute;
    let onsubmit = {
        let project = props.project.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let error = error.clone();
        let field = field.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = field
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            if name.is_empty() {
                error.set(Some("The attribute needs a name.".into()));
                return;
            }
            if project
                .attributes
                .iter()
                .any(|x| x.id != id && x.name.eq_ignore_ascii_case(&name))
            {
                error.set(Some(format!(
                    "There is already an attribute named “{name}”."
                )));
                return;
            }
            if project.attribute(id).is_some_and(|x| x.name != name) {
                dispatch.emit(Action::RenameAttribute { id, name });
            }
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <Dialog title="Rename attribute" on_close={props.on_close.clone()}>
            <form {onsubmit}>
                <label>{"Name"}<input type="text" ref={field} /></label>
                if let Some(e) = &*error { <p class="field-error" role="alert">{e}</p> }
                <div class="dialog-actions">
                    <button type="submit" class="primary">{"Rename"}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Props of [`AddCaseDialog`].
#[derive(Properties, PartialEq)]
struct AddCaseProps {
    project: Rc<Project>,
    parent: Option<CaseId>,
    dispatch: Callback<Action>,
    on_close: Callback<()>,
    want_case: Rc<RefCell<Option<CaseId>>>,
}

/// Add a case by hand: a name and an optional parent.
#[component]
fn AddCaseDialog(props: &AddCaseProps) -> Html {
    let error = use_state_eq(|| None::<String>);
    let rows = case_rows(&props.project);
    let onsubmit = {
        let project = props.project.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let error = error.clone();
        let want_case = props.want_case.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = field_value("new-case-name").trim().to_string();
            let parent_text = field_value("new-case-parent");
            let parent = CaseId::parse(&parent_text).filter(|p| project.case(*p).is_some());
            if name.is_empty() {
                error.set(Some("The case needs a name.".into()));
                return;
            }
            if project
                .cases
                .iter()
                .any(|c| c.parent == parent && c.name.eq_ignore_ascii_case(&name))
            {
                error.set(Some(format!(
                    "There is already a case named “{name}” there."
                )));
                return;
            }
            let case = Case {
                id: BrowserIds.case_id(),
                name,
                parent,
                sources: Vec::new(),
                memo: String::new(),
                values: BTreeMap::new(),
                created: now(),
                speakers: Vec::new(),
            };
            *want_case.borrow_mut() = Some(case.id);
            dispatch.emit(Action::AddCases { cases: vec![case] });
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <Dialog title="Add case" on_close={props.on_close.clone()}>
            <form {onsubmit}>
                <label>{"Name"}<input id="new-case-name" type="text" autofocus=true placeholder="e.g. Northgate PCN, or P03" /></label>
                <label>
                    {"Sub-case of"}
                    <select id="new-case-parent">{case_options(&props.project, &rows, props.parent, "— none (a top-level case)")}</select>
                </label>
                if let Some(e) = &*error { <p class="field-error" role="alert">{e}</p> }
                <div class="dialog-actions">
                    <button type="submit" class="primary">{"Add case"}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Props of [`FromSourcesDialog`].
#[derive(Properties, PartialEq)]
struct FromSourcesProps {
    project: Rc<Project>,
    dispatch: Callback<Action>,
    on_close: Callback<()>,
}

/// One case per ticked source.
#[component]
fn FromSourcesDialog(props: &FromSourcesProps) -> Html {
    let project = &props.project;
    let linked: HashMap<SourceId, &str> = project
        .cases
        .iter()
        .flat_map(|c| c.sources.iter().map(move |s| (*s, c.name.as_str())))
        .collect();
    // Sources not yet in a case start ticked.
    let chosen = {
        let initial: Vec<SourceId> = project
            .sources
            .iter()
            .filter(|s| !linked.contains_key(&s.id))
            .map(|s| s.id)
            .collect();
        use_state(move || initial)
    };
    let rows = case_rows(project);
    let boxes = project.sources.iter().map(|s| {
        let id = s.id;
        let onchange = toggle_source(&chosen, id);
        html! {
            <li key={id.to_string()}>
                <label class="check">
                    <input type="checkbox" checked={chosen.contains(&id)} {onchange} />
                    <span>{&s.name}</span>
                    <span class="muted">{s.kind.label()}</span>
                    if let Some(case) = linked.get(&id) {
                        <span class="muted">{format!("(already in {case})")}</span>
                    }
                </label>
            </li>
        }
    });
    let n = chosen.len();
    let onsubmit = {
        let project = props.project.clone();
        let chosen = chosen.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let parent = CaseId::parse(&field_value("from-sources-parent"));
            // In project order, whatever the order of ticking.
            let ids: Vec<SourceId> = project
                .sources
                .iter()
                .map(|s| s.id)
                .filter(|s| chosen.contains(s))
                .collect();
            let mut cases = cases_from_sources(&project, &ids, &mut BrowserIds, now());
            for case in cases.iter_mut() {
                case.parent = parent;
            }
            if !cases.is_empty() {
                dispatch.emit(Action::AddCases { cases });
            }
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <Dialog title="Cases from sources" on_close={props.on_close.clone()}>
            <form {onsubmit}>
                <p>{"One case per ticked source, named after it and linked to it."}</p>
                <ul class="check-list" aria-label="Sources">{for boxes}</ul>
                if !rows.is_empty() {
                    <label>
                        {"Create them as sub-cases of"}
                        <select id="from-sources-parent">{case_options(project, &rows, None, "— none (top-level cases)")}</select>
                    </label>
                }
                <div class="dialog-actions">
                    <button type="submit" class="primary" disabled={n == 0}>{format!("Create {}", plural(n, "case", "cases"))}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Props of [`SourcesDialog`].
#[derive(Properties, PartialEq)]
struct SourcesProps {
    project: Rc<Project>,
    case: CaseId,
    dispatch: Callback<Action>,
    on_close: Callback<()>,
}

/// Link sources to a case.
#[component]
fn SourcesDialog(props: &SourcesProps) -> Html {
    let project = &props.project;
    let initial = project
        .case(props.case)
        .map(|c| c.sources.clone())
        .unwrap_or_default();
    let chosen = {
        let initial = initial.clone();
        use_state(move || initial)
    };
    let Some(case) = project.case(props.case) else {
        return Html::default();
    };
    let others: HashMap<SourceId, &str> = project
        .cases
        .iter()
        .filter(|c| c.id != case.id)
        .flat_map(|c| c.sources.iter().map(move |s| (*s, c.name.as_str())))
        .collect();
    let boxes = project.sources.iter().map(|s| {
        let id = s.id;
        let onchange = toggle_source(&chosen, id);
        html! {
            <li key={id.to_string()}>
                <label class="check">
                    <input type="checkbox" checked={chosen.contains(&id)} {onchange} />
                    <span>{&s.name}</span>
                    if let Some(other) = others.get(&id) {
                        <span class="muted">{format!("(also in {other})")}</span>
                    }
                </label>
            </li>
        }
    });
    let onsubmit = {
        let chosen = chosen.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let id = case.id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Keep the order of sources already linked; new ones follow in ticking order.
            let mut sources: Vec<SourceId> = initial
                .iter()
                .copied()
                .filter(|s| chosen.contains(s))
                .collect();
            sources.extend(chosen.iter().copied().filter(|s| !initial.contains(s)));
            if sources != initial {
                dispatch.emit(Action::SetCaseSources { id, sources });
            }
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <Dialog title={format!("Sources of {}", case.name)} on_close={props.on_close.clone()}>
            <form {onsubmit}>
                if project.sources.is_empty() {
                    <p class="empty-state">{"No sources yet: import transcripts first."}</p>
                }
                <ul class="check-list" aria-label="Sources">{for boxes}</ul>
                <div class="dialog-actions">
                    <button type="submit" class="primary">{"Save sources"}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Props of [`AttributeDialog`].
#[derive(Properties, PartialEq)]
struct AttributeProps {
    project: Rc<Project>,
    /// The attribute whose type changes, `None` to add one.
    attribute: Option<AttributeId>,
    dispatch: Callback<Action>,
    on_close: Callback<()>,
}

/// Add an attribute (name, type, category values), or change an attribute's type.
#[component]
fn AttributeDialog(props: &AttributeProps) -> Html {
    let existing: Option<Attribute> = props
        .attribute
        .and_then(|id| props.project.attribute(id))
        .cloned();
    let key = {
        let initial = existing
            .as_ref()
            .map(|a| kind_key(&a.kind))
            .unwrap_or("text");
        use_state_eq(move || initial.to_string())
    };
    let values_text = {
        let initial = match existing.as_ref().map(|a| &a.kind) {
            Some(AttributeKind::Category(v)) => v.join("\n"),
            _ => String::new(),
        };
        use_state_eq(move || initial)
    };
    let error = use_state_eq(|| None::<String>);
    let on_kind = {
        let key = key.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            key.set(select.value());
        })
    };
    let on_values = {
        let values_text = values_text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            values_text.set(area.value());
        })
    };
    let onsubmit = {
        let project = props.project.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let error = error.clone();
        let key = key.clone();
        let values_text = values_text.clone();
        let existing = existing.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let kind = match kind_from_form(&key, &values_text) {
                Ok(k) => k,
                Err(m) => {
                    error.set(Some(m));
                    return;
                }
            };
            match &existing {
                Some(a) => {
                    if a.kind != kind {
                        dispatch.emit(Action::SetAttributeKind { id: a.id, kind });
                    }
                }
                None => {
                    let name = field_value("new-attribute-name").trim().to_string();
                    if name.is_empty() {
                        error.set(Some("The attribute needs a name.".into()));
                        return;
                    }
                    if project
                        .attributes
                        .iter()
                        .any(|a| a.name.eq_ignore_ascii_case(&name))
                    {
                        error.set(Some(format!(
                            "There is already an attribute named “{name}”."
                        )));
                        return;
                    }
                    dispatch.emit(Action::AddAttribute {
                        attribute: Attribute {
                            id: BrowserIds.attribute_id(),
                            name,
                            kind,
                        },
                    });
                }
            }
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    // What a type change would cost.
    let lost = existing.as_ref().and_then(|a| {
        let kind = kind_from_form(&key, &values_text).ok()?;
        (kind != a.kind).then(|| values_lost(&props.project, a.id, &kind))
    });
    let kinds = [
        ("text", "Text"),
        ("number", "Number"),
        ("date", "Date (YYYY-MM-DD)"),
        ("yes_no", "Yes/no"),
        ("category", "Category (a fixed list of values)"),
    ];
    let title = match &existing {
        Some(a) => format!("Type of {}", a.name),
        None => "Add attribute".to_string(),
    };
    html! {
        <Dialog {title} on_close={props.on_close.clone()}>
            <form {onsubmit}>
                if existing.is_none() {
                    <label>{"Name"}<input id="new-attribute-name" type="text" autofocus=true placeholder="e.g. rurality" /></label>
                }
                <label>
                    {"Type"}
                    <select id="attribute-kind" onchange={on_kind}>
                        {for kinds.iter().map(|(k, label)| html! {
                            <option value={*k} selected={*key == *k}>{*label}</option>
                        })}
                    </select>
                </label>
                if *key == "category" {
                    <label>
                        {"Values, one per line"}
                        <textarea id="attribute-values" rows="5" value={(*values_text).clone()} oninput={on_values}
                            placeholder={"urban\nrural\nmixed"} />
                    </label>
                }
                if let Some(n) = lost.filter(|n| *n > 0) {
                    <p class="warning">{format!("{} that {} not fit the new type will be removed (undo with Ctrl+Z).",
                        plural(n, "value", "values"), if n == 1 { "does" } else { "do" })}</p>
                }
                if let Some(e) = &*error { <p class="field-error" role="alert">{e}</p> }
                <div class="dialog-actions">
                    <button type="submit" class="primary">{if existing.is_some() { "Change type" } else { "Add attribute" }}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// A checkbox's `onchange` that adds or removes `id` in the chosen sources.
fn toggle_source(chosen: &UseStateHandle<Vec<SourceId>>, id: SourceId) -> Callback<Event> {
    let chosen = chosen.clone();
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let mut next: Vec<SourceId> = (*chosen).clone();
        next.retain(|x| *x != id);
        if input.checked() {
            next.push(id);
        }
        chosen.set(next);
    })
}
