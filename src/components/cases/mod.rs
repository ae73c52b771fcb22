//! The Cases view: the case table, a spreadsheet-like grid of cases (sites, participants within
//! them) and their attributes (typed case classifications), with the toolbar that creates cases
//! (by hand, or one per source), adds attributes, and imports or exports the table as CSV.
//!
//! One component per concern: this file is the view (toolbar, the active case's details, the one
//! open [`Dialog`]); `grid` is the table (keyboard, editing, paste), `header` its header row with
//! the column menus, `row` one row, `editor` the cell editors (text, a combobox for categories
//! and yes/no, a list of parents), `dialogs` the small dialogs, `sources` linking cases and
//! sources, `attribute` the attribute form, `import` the CSV import preview. The rules (what a
//! typed or pasted value means, valid parents) are core's [`framewise_core::case_table`]; the
//! rows are `Project::case_tree`; what a type change removes is `framewise_core::preview`.

mod attribute;
mod dialogs;
mod editor;
mod grid;
mod header;
mod import;
mod row;
mod sources;

use crate::components::memo::MemoEditor;
use crate::components::pseudonyms::{CsvExport, CsvExportButton};
use framewise_core::{Action, AttributeId, CaseId, Project, SourceId, Span};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

pub use framewise_core::case_table::FIXED_COLUMNS;

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
    /// The case to make active (from the address).
    #[prop_or_default]
    pub case: Option<CaseId>,
    /// The active case changed (for the address).
    #[prop_or_default]
    pub on_case: Callback<Option<CaseId>>,
}

/// The one dialog open in the Cases view (at most one at a time).
#[derive(Clone, PartialEq)]
pub(crate) enum Dialog {
    AddCase { parent: Option<CaseId> },
    FromSources,
    AddAttribute,
    EditSources(CaseId),
    DeleteCase(CaseId),
    RenameAttribute(AttributeId),
    AttributeType(AttributeId),
    DeleteAttribute(AttributeId),
    Import(Rc<crate::worker_client::CsvImport>),
}

/// "1 case", "1,234 cases": core's one way of counting in words.
pub(crate) use framewise_core::words::count as plural;

/// The row of `case` in the case table's rows.
fn row_of(rows: &[(CaseId, usize)], case: Option<CaseId>) -> Option<usize> {
    let case = case?;
    rows.iter().position(|(id, _)| *id == case)
}

/// The Cases view.
#[component]
pub fn CasesView(props: &CasesViewProps) -> Html {
    let project = props.project.clone();
    let rows = {
        let project = project.clone();
        use_memo(Rc::as_ptr(&props.project) as usize, move |_| {
            project.case_tree()
        })
    };
    let active = {
        let rows = rows.clone();
        let case = props.case;
        use_state_eq(move || (row_of(&rows, case).unwrap_or(0), 0usize))
    };
    // The address names a case (Back/Forward, an edited address): make its row active.
    {
        let active = active.clone();
        let rows = rows.clone();
        use_effect_with(props.case, move |case| {
            let current = rows.get(active.0).map(|(id, _)| *id);
            if let (Some(r), true) = (row_of(&rows, *case), current != *case) {
                active.set((r, active.1));
            }
        });
    }
    let dialog = use_state(|| None::<Dialog>);
    // A case to make active once it appears (after adding one).
    let want_case: Rc<RefCell<Option<CaseId>>> = use_mut_ref(|| None::<CaseId>);
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
    let open_dialog = use_callback(dialog.setter(), |d: Dialog, setter| {
        setter.set(Some(d));
    });
    let on_active = use_callback(active.setter(), |cell: (usize, usize), setter| {
        setter.set(cell);
    });
    let open = |d: Dialog| {
        let open_dialog = open_dialog.clone();
        Callback::from(move |_: MouseEvent| open_dialog.emit(d.clone()))
    };

    let on_import_file = import::on_import_file(
        project.clone(),
        open_dialog.clone(),
        props.on_message.clone(),
    );

    let n_rows = rows.len();
    let row = active.0.min(n_rows.saturating_sub(1));
    let active_case = rows.get(row).and_then(|(id, _)| project.case(*id)).cloned();
    // The active case goes to the address.
    {
        let on_case = props.on_case.clone();
        let shown = props.case;
        use_effect_with(active_case.as_ref().map(|c| c.id), move |id| {
            if *id != shown {
                on_case.emit(*id);
            }
        });
    }
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
                    <button class="small" onclick={open(Dialog::AddCase { parent: Some(id) })}>{"Add sub-case…"}</button>
                    <button class="small" onclick={open(Dialog::EditSources(id))}>{"Link sources…"}</button>
                    <button class="small danger" onclick={open(Dialog::DeleteCase(id))}>{"Delete case…"}</button>
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

    let dialog_html = (*dialog).clone().map(|d| {
        let close = {
            let dialog = dialog.clone();
            Callback::from(move |_: ()| dialog.set(None))
        };
        dialogs::render(dialogs::DialogCtx {
            dialog: d,
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
                <button onclick={open(Dialog::AddCase { parent: None })}>{"Add case"}</button>
                <button onclick={open(Dialog::FromSources)} disabled={project.sources.is_empty()}>{"Cases from sources…"}</button>
                <button onclick={open(Dialog::AddAttribute)}>{"Add attribute"}</button>
                <label class="button file-button">
                    {"Import case table CSV…"}
                    <input type="file" class="visually-hidden" accept=".csv,text/csv"
                        aria-label="Import case table CSV" onchange={on_import_file} />
                </label>
                <CsvExportButton project={project.clone()} export={CsvExport::CaseTable}
                    label="Export case table CSV" disabled={!has_cases}
                    dispatch={props.dispatch.clone()} on_message={props.on_message.clone()} />
                <span class="cases-count muted">{format!("{} · {}", plural(rows.len(), "case", "cases"), plural(project.attributes.len(), "attribute", "attributes"))}</span>
            </div>
            if has_cases {
                <grid::CaseGrid project={project.clone()} rows={rows.clone()} active={*active}
                    {on_active} dispatch={props.dispatch.clone()} on_dialog={open_dialog.clone()} />
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
            {dialog_html.unwrap_or_default()}
        </section>
    }
}
