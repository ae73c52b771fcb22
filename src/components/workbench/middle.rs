//! The workbench's middle pane for the current view: the reading view of the open source (or its
//! text editor, or the "No sources yet" state), the coded segments of a code, the case table,
//! the matrices, themes and sets, or search; and the code looks (names, colours) the reading view shows.

use super::ui::{Dialog, Popover, Ui, UiAction, View};
use crate::components::agreement::AgreementView;
use crate::components::annotations::MemoList;
use crate::components::cases::CasesView;
use crate::components::charts::ChartsView;
use crate::components::crosstab::CrosstabView;
use crate::components::import::limits_note as import_limits_note;
use crate::components::matrix::MatricesView;
use crate::components::reader::{CodeLook, Reader, TextSelection};
use crate::components::reports::ReportsView;
use crate::components::retrieval::RetrievalView;
use crate::components::search::SearchView;
use crate::components::source_edit::SourceEditor;
use crate::components::suggest::FindMore;
use crate::components::themes::ThemesView;
use crate::state::Shared;
use framewise_core::memos::MemoTarget;
use framewise_core::{Action, CodeId, Coding, Project, SourceId, Span};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use yew::prelude::*;

/// What the middle pane is made from.
pub(super) struct MiddleArgs<'a> {
    pub(super) project: &'a Rc<Project>,
    /// The project as shown under the coder filter (the same value when every coder is shown).
    pub(super) shown: &'a Rc<Project>,
    pub(super) ui: &'a Ui,
    pub(super) source: Option<&'a Arc<framewise_core::Source>>,
    pub(super) looks: &'a Shared<HashMap<CodeId, CodeLook>>,
    pub(super) empty: &'a Arc<Vec<Coding>>,
    pub(super) dispatch: &'a Callback<Action>,
    pub(super) ui_dispatch: &'a Callback<UiAction>,
    pub(super) open_passage: &'a Callback<(SourceId, Span)>,
    pub(super) on_message: &'a Callback<String>,
    pub(super) undo: &'a Callback<()>,
    pub(super) reader_ref: &'a NodeRef,
}

/// The middle pane of the current view.
pub(super) fn middle_pane(a: &MiddleArgs) -> Html {
    let project = a.project.clone();
    let dispatch = a.dispatch.clone();
    let on_open = a.open_passage.clone();
    let on_message = a.on_message.clone();
    match a.ui.view {
        View::Cases(case) => {
            let ui = a.ui_dispatch.clone();
            let on_case = Callback::from(move |c| ui.emit(UiAction::CaseShown(c)));
            html! { <CasesView {project} {dispatch} {on_open} {on_message} {case} {on_case} /> }
        }
        View::Matrices(matrix) => {
            let ui = a.ui_dispatch.clone();
            let on_matrix = Callback::from(move |m| ui.emit(UiAction::MatrixShown(m)));
            let shown = a.shown.clone();
            html! { <MatricesView {project} {shown} {dispatch} {on_open} {on_message} {matrix} {on_matrix} /> }
        }
        View::Themes => html! { <ThemesView {project} {dispatch} {on_open} {on_message} /> },
        View::Search => {
            let last = a.ui.last_search.clone();
            html! { <SearchView {project} {on_open} {last} {dispatch} /> }
        }
        View::Crosstab => {
            let shown = a.shown.clone();
            html! { <CrosstabView {project} {shown} {dispatch} {on_open} {on_message} /> }
        }
        View::Agreement => html! { <AgreementView {project} {dispatch} {on_open} /> },
        View::Charts => html! { <ChartsView {project} {dispatch} {on_message} /> },
        View::Reports => html! { <ReportsView {project} {dispatch} /> },
        View::Memos => {
            let ui = a.ui_dispatch.clone();
            let on_go = Callback::from(move |t: MemoTarget| {
                ui.emit(match t {
                    MemoTarget::Project => UiAction::Open(Dialog::ProjectMemo),
                    MemoTarget::Source(id) => UiAction::OpenSource(id),
                    MemoTarget::Code(id) => UiAction::Show(View::Retrieve(id)),
                    MemoTarget::Case(id) => UiAction::Show(View::Cases(Some(id))),
                    MemoTarget::Annotation { source, span, .. } => {
                        UiAction::OpenPassage(source, span)
                    }
                })
            });
            html! { <MemoList {project} {on_go} {on_message} /> }
        }
        View::Retrieve(code) if a.project.code(code).is_some() => {
            let on_close = {
                let ui = a.ui_dispatch.clone();
                Callback::from(move |_| ui.emit(UiAction::Show(View::Read)))
            };
            let more = html! { <FindMore {project} {code} {dispatch} /> };
            let project = a.shown.clone();
            html! { <RetrievalView {project} {code} {on_open} {on_close} {more} /> }
        }
        _ => match a.source {
            Some(s) if a.ui.editing == Some(s.id) => {
                let on_undo = a.undo.clone();
                let on_done = {
                    let ui = a.ui_dispatch.clone();
                    Callback::from(move |_| ui.emit(UiAction::Edit(None)))
                };
                html! { <SourceEditor key={format!("edit-{}", s.id)} {project} source={s.id} {dispatch} {on_undo} {on_done} /> }
            }
            Some(s) => {
                let codings = a
                    .shown
                    .codings
                    .get(&s.id)
                    .cloned()
                    .unwrap_or_else(|| a.empty.clone());
                let ui = a.ui_dispatch.clone();
                let on_selection = Callback::from(move |sel: Option<TextSelection>| {
                    ui.emit(UiAction::Select(sel))
                });
                let ui = a.ui_dispatch.clone();
                let on_coded_click = Callback::from(move |(offset, x, y): (usize, f64, f64)| {
                    ui.emit(UiAction::CodedClick(Popover { offset, x, y }))
                });
                let ui = a.ui_dispatch.clone();
                let on_enter = Callback::from(move |_| ui.emit(UiAction::FocusPicker));
                html! {
                    <Reader
                        key={s.id.to_string()}
                        node={a.reader_ref.clone()}
                        source={Shared(s.clone())}
                        codings={Shared(codings)}
                        looks={a.looks.clone()}
                        selected={a.ui.selected_coding}
                        label_coders={a.ui.coders.label}
                        focus={a.ui.focus}
                        notes={Rc::new(a.project.annotations_of(s.id).to_vec())}
                        dispatch={a.dispatch.clone()}
                        {on_selection}
                        {on_coded_click}
                        {on_enter}
                    />
                }
            }
            None => html! {
                <div class="empty-state reader-empty">
                    <h2>{"No sources yet"}</h2>
                    <p>{"Import interview transcripts or field notes: use “Import sources…” above, or drop files anywhere on this window. Then select text to code it."}</p>
                    <p class="muted import-limits">{import_limits_note()}</p>
                </div>
            },
        },
    }
}

/// Names (full paths) and colours of the project's codes, for the reading view and "Codings
/// here": computed again only when the code list changes.
#[hook]
pub(super) fn use_code_looks(project: &Rc<Project>) -> Shared<HashMap<CodeId, CodeLook>> {
    let project = project.clone();
    (*use_memo(CodesKey(project.clone()), move |_| {
        Shared(Arc::new(
            project
                .codes
                .iter()
                .map(|c| {
                    let look = CodeLook {
                        name: project.code_path(c.id),
                        color: c.color.clone(),
                    };
                    (c.id, look)
                })
                .collect::<HashMap<_, _>>(),
        ))
    }))
    .clone()
}

/// Memo key for code looks: recomputed when the code list changes.
#[derive(Clone)]
struct CodesKey(Rc<Project>);

impl PartialEq for CodesKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.codes == other.0.codes
    }
}
