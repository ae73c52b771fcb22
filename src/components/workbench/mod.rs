//! The workbench of an open project: sources on the left, the reading view (or retrieval, the
//! case table, matrices, themes, search) in the middle, the codebook on the right.
//!
//! Two reducers drive it: `state::Workspace` (the project and its undo history) and [`ui::Ui`]
//! (view, open source, selection, the one open dialog...). The parts live beside this file:
//! `toolbar`, `sources` (pane and details), `coding` (picker, coder name, "Codings here"),
//! `shortcuts` (the keydown listener), `dialogs` (history, help, memo, remove), `importing`,
//! `saving`, `routing`, `panes` and `middle` (the middle pane of the current view).

mod coders;
mod coding;
mod dialogs;
mod importing;
mod middle;
mod panes;
mod routing;
mod saving;
mod shortcuts;
mod sources;
mod toolbar;
pub mod ui;

use crate::app::OpenProject;
use crate::components::autocode::AutocodeButton;
use crate::components::codebook::CodebookPanel;
use crate::components::find::FindBar;
use crate::components::pseudonyms::{KeyOffer, PseudonymsDialog, ShareDialog};
use crate::components::source_edit::EditTextButton;
use crate::state::{stored_coder, Msg, Workspace};
use crate::storage::Storage;
use coding::{back_to_text, perform, CodePicker, CoderDialog, CodingsHere};
use dialogs::{HelpDialog, HistoryPanel, ProjectMemoDialog, RemoveSourceDialog};
use framewise_core::{Action, CodeId, Coding, SourceId, Span};
use importing::{drop_handlers, use_importer, ImportResults};
use panes::PaneToggle;
use saving::use_saver;
use shortcuts::{use_shortcuts, Shortcuts};
use sources::SourcesPane;
use std::rc::Rc;
use std::sync::Arc;
use ui::{Dialog, Pending, Side, Tab, Ui, UiAction, View};
use yew::prelude::*;

/// Props of [`Workbench`].
#[derive(Properties, PartialEq)]
pub struct WorkbenchProps {
    /// The project as opened.
    pub open: OpenProject,
    /// Browser storage, if available.
    pub storage: Option<Storage>,
    /// Back to the project list.
    pub on_close: Callback<()>,
    /// Show (or clear) a message in the app banner.
    pub on_banner: Callback<Option<String>>,
}

/// The workbench.
#[component]
pub fn Workbench(props: &WorkbenchProps) -> Html {
    let ws = {
        let project = (*props.open.project).clone();
        use_reducer_eq(move || Workspace::new(project))
    };
    let project = ws.project.clone();
    let ui = {
        let project = project.clone();
        use_reducer(move || Ui {
            panels: panes::remembered(project.id),
            ..routing::initial_ui(&project)
        })
    };
    {
        let id = project.id;
        use_effect_with(ui.panels, move |panels| panes::remember(id, *panels));
    }
    // Once the project is closed, the page no longer keeps the copy it sent the worker.
    use_effect_with((), |_| crate::worker_client::forget_project);
    {
        let id = project.id;
        use_effect_with(ui.source, move |source| {
            if let Some(s) = *source {
                panes::remember_source(id, s);
            }
        });
    }
    let coder = use_state(stored_coder);
    let reader_ref = use_node_ref();
    let new_code_ref = use_node_ref();

    let saving = use_saver(
        props.storage.clone(),
        props.open.clone(),
        project.clone(),
        props.on_banner.clone(),
    );

    let dispatch = {
        let ws = ws.dispatcher();
        use_callback((), move |a: Action, _| ws.dispatch(Msg::Do(a)))
    };
    let ui_dispatch = {
        let ui = ui.dispatcher();
        use_callback((), move |a: UiAction, _| ui.dispatch(a))
    };
    let undo = {
        let ws = ws.dispatcher();
        use_callback((), move |_: (), _| ws.dispatch(Msg::Undo))
    };
    let redo = {
        let ws = ws.dispatcher();
        use_callback((), move |_: (), _| ws.dispatch(Msg::Redo))
    };

    let looks = middle::use_code_looks(&project);
    let shown = coders::use_shown(&project, &ui.coders);
    let empty_codings = use_memo((), |_| Arc::new(Vec::<Coding>::new()));

    let source = ui.source.and_then(|id| project.source(id).cloned());
    let source_id = source.as_ref().map(|s| s.id);

    // Coding: the picker, V and "Who is coding?" all end here.
    let code_as = {
        let project = project.clone();
        let state = Ui {
            source: source_id,
            ..(*ui).clone()
        };
        let dispatch = dispatch.clone();
        let ui_dispatch = ui_dispatch.clone();
        let reader_ref = reader_ref.clone();
        Rc::new(move |pending: Pending, who: Option<&str>| {
            perform(&project, &state, who, pending, &dispatch, &ui_dispatch);
            if who.is_some() {
                // Applied: the keyboard goes back to the text, for the next selection.
                back_to_text(&reader_ref);
            }
        })
    };
    let on_code = {
        let code_as = code_as.clone();
        let coder = (*coder).clone();
        Callback::from(move |pending: Pending| code_as(pending, coder.as_deref()))
    };

    use_shortcuts(Shortcuts {
        project: project.clone(),
        ui: Rc::new(Ui {
            source: source_id,
            ..(*ui).clone()
        }),
        ui_dispatch: ui_dispatch.clone(),
        on_code: on_code.clone(),
        undo: undo.clone(),
        redo: redo.clone(),
        reader: reader_ref.clone(),
        new_code: new_code_ref.clone(),
    });

    let importer = use_importer(ws.dispatcher(), project.clone(), ui_dispatch.clone());
    let (ondrop, ondragover, ondragleave) = drop_handlers(&importer, &ui_dispatch);

    // Leaving the workbench (saving first); the address has already moved on.
    let leave = {
        let on_close = props.on_close.clone();
        let saver = saving.saver.clone();
        Callback::from(move |_: ()| {
            let saver = saver.clone();
            let on_close = on_close.clone();
            // Save what is pending and let it reach IndexedDB before the projects list reads
            // its counts (at most ~2 s; a failing storage keeps its banner and data anyway).
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(s) = saver.as_ref() {
                    s.flush();
                    for _ in 0..100 {
                        if !s.has_unsaved() {
                            break;
                        }
                        gloo::timers::future::TimeoutFuture::new(20).await;
                    }
                }
                on_close.emit(());
            });
        })
    };
    let close = {
        let leave = leave.clone();
        Callback::from(move |_: ()| {
            crate::routes::browser::push(crate::routes::Route::Home);
            leave.emit(());
        })
    };
    routing::use_routes(
        project.clone(),
        routing::place_of(&ui, source_id),
        ui_dispatch.clone(),
        leave,
    );
    let (can_undo, can_redo, undo_labels, redo_labels) = {
        let h = ws.history.borrow();
        (
            h.can_undo(),
            h.can_redo(),
            h.undo_labels().map(str::to_string).collect::<Vec<_>>(),
            h.redo_labels().map(str::to_string).collect::<Vec<_>>(),
        )
    };
    let on_message = {
        let on_banner = props.on_banner.clone();
        Callback::from(move |m: String| on_banner.emit(Some(m)))
    };
    let open_passage = {
        let ui_dispatch = ui_dispatch.clone();
        Callback::from(move |(src, span): (SourceId, Span)| {
            ui_dispatch.emit(UiAction::OpenPassage(src, span))
        })
    };

    let middle = middle::middle_pane(&middle::MiddleArgs {
        project: &project,
        shown: &shown,
        ui: &ui,
        source: source.as_ref(),
        looks: &looks,
        empty: &empty_codings,
        dispatch: &dispatch,
        ui_dispatch: &ui_dispatch,
        open_passage: &open_passage,
        on_message: &on_message,
        undo: &undo,
        reader_ref: &reader_ref,
    });

    let editing_here = |src: SourceId| ui.editing == Some(src);
    let picker = match (ui.selection, source_id, ui.view) {
        (Some(selection), Some(src), View::Read) if !editing_here(src) => {
            let on_close = {
                let ui_dispatch = ui_dispatch.clone();
                let reader_ref = reader_ref.clone();
                Callback::from(move |_| {
                    back_to_text(&reader_ref);
                    ui_dispatch.emit(UiAction::Select(None));
                })
            };
            html! {
                <CodePicker project={project.clone()} source={src} {selection} recent={ui.recent.clone()}
                    focus_nonce={ui.picker_focus} on_code={on_code.clone()} ui={ui_dispatch.clone()} {on_close} />
            }
        }
        _ => html! {},
    };
    let popover = match (ui.popover, source_id) {
        (Some(at), Some(src)) if !editing_here(src) => html! {
            <CodingsHere project={shown.clone()} source={src} {at} looks={looks.clone()}
                dispatch={dispatch.clone()} ui={ui_dispatch.clone()} />
        },
        _ => html! {},
    };

    let close_dialog = {
        let ui_dispatch = ui_dispatch.clone();
        Callback::from(move |_| ui_dispatch.emit(UiAction::CloseDialog))
    };
    let mut history_panel = html! {};
    let dialog = match ui.dialog.clone() {
        None => html! {},
        Some(Dialog::History) => {
            let on_undo_to = {
                let ws = ws.dispatcher();
                let ui_dispatch = ui_dispatch.clone();
                Callback::from(move |i: usize| {
                    ws.dispatch(Msg::UndoTo(i));
                    ui_dispatch.emit(UiAction::CloseDialog);
                })
            };
            history_panel = html! {
                <HistoryPanel undo={undo_labels} redo={redo_labels} {on_undo_to} on_close={close_dialog.clone()} />
            };
            html! {}
        }
        Some(Dialog::Help) => html! { <HelpDialog on_close={close_dialog.clone()} /> },
        Some(Dialog::Annotate(source, span, coding)) => {
            // Closing it (saved or not) ends the selection; the keyboard goes back to the text.
            let on_close = {
                let (ui_dispatch, reader_ref) = (ui_dispatch.clone(), reader_ref.clone());
                Callback::from(move |_| {
                    ui_dispatch.emit(UiAction::CloseDialog);
                    ui_dispatch.emit(UiAction::Select(None));
                    back_to_text(&reader_ref);
                })
            };
            html! {
                <crate::components::annotations::AnnotateDialog project={project.clone()} {source} {span} {coding}
                    dispatch={dispatch.clone()} {on_close} />
            }
        }
        Some(Dialog::ProjectMemo) => {
            let on_commit = {
                let dispatch = dispatch.clone();
                Callback::from(move |memo: String| dispatch.emit(Action::SetProjectMemo { memo }))
            };
            html! { <ProjectMemoDialog memo={project.memo.clone()} {on_commit} on_close={close_dialog.clone()} /> }
        }
        Some(Dialog::RemoveSource(id)) => match project.source(id) {
            Some(s) => {
                let on_confirm = {
                    let dispatch = dispatch.clone();
                    let ui_dispatch = ui_dispatch.clone();
                    let next = project.sources.iter().find(|o| o.id != id).map(|o| o.id);
                    Callback::from(move |_| {
                        dispatch.emit(Action::RemoveSource { id });
                        ui_dispatch.emit(UiAction::Removed(next));
                    })
                };
                html! {
                    <RemoveSourceDialog name={s.name.clone()} codings={project.codings_of(id).len()}
                        {on_confirm} on_close={close_dialog.clone()} />
                }
            }
            None => html! {},
        },
        Some(Dialog::Share) => html! {
            <ShareDialog project={project.clone()} dispatch={dispatch.clone()} on_close={close_dialog.clone()} />
        },
        Some(Dialog::Pseudonyms) => html! {
            <PseudonymsDialog project={project.clone()} dispatch={dispatch.clone()} on_close={close_dialog.clone()} />
        },
        Some(Dialog::Coder(pending)) => {
            let on_name = {
                let coder = coder.clone();
                let ui_dispatch = ui_dispatch.clone();
                let code_as = code_as.clone();
                Callback::from(move |name: String| {
                    coder.set(Some(name.clone()));
                    ui_dispatch.emit(UiAction::CloseDialog);
                    code_as(pending.clone(), Some(&name));
                })
            };
            html! { <CoderDialog {on_name} on_close={close_dialog.clone()} /> }
        }
        Some(Dialog::Coders) => {
            let on_coder = {
                let coder = coder.clone();
                Callback::from(move |name: String| coder.set(Some(name)))
            };
            let on_view = {
                let ui_dispatch = ui_dispatch.clone();
                Callback::from(move |view| ui_dispatch.emit(UiAction::ShowCoders(view)))
            };
            html! {
                <coders::CodersDialog project={project.clone()} coder={(*coder).clone().map(AttrValue::from)}
                    view={ui.coders.clone()} {on_coder} {on_view} on_close={close_dialog.clone()} />
            }
        }
        Some(Dialog::Import(batch)) => html! {
            <ImportResults {batch} importer={importer.clone()} dispatch={dispatch.clone()} ui={ui_dispatch.clone()}
                has_key={!project.pseudonyms.is_empty()} />
        },
    };

    let error_banner = ws.error.clone().map(|message| {
        let ws = ws.dispatcher();
        html! {
            <div class="banner banner-error" role="alert">
                <span>{message}</span>
                <button class="banner-close" aria-label="Dismiss message" onclick={move |_| ws.dispatch(Msg::DismissError)}>{"×"}</button>
            </div>
        }
    });
    let on_select_code = {
        let ui_dispatch = ui_dispatch.clone();
        Callback::from(move |c: Option<CodeId>| ui_dispatch.emit(UiAction::SelectCode(c)))
    };
    let on_retrieve = {
        let ui_dispatch = ui_dispatch.clone();
        Callback::from(move |c: CodeId| ui_dispatch.emit(UiAction::Show(View::Retrieve(c))))
    };
    let tabs = Tab::ALL.into_iter().map(|tab| {
        let current = ui.view.tab() == tab;
        let ui_dispatch = ui_dispatch.clone();
        let onclick = Callback::from(move |_| ui_dispatch.emit(UiAction::Show(tab.view())));
        html! {
            <button class={classes!("tab", current.then_some("active"))} aria-current={current.then_some("page")} {onclick}>{tab.label()}</button>
        }
    });
    let reader_head = match (&source, ui.view) {
        (Some(s), View::Read) => {
            let on_edit = {
                let ui_dispatch = ui_dispatch.clone();
                let id = s.id;
                Callback::from(move |_| ui_dispatch.emit(UiAction::Edit(Some(id))))
            };
            let on_find = {
                let ui_dispatch = ui_dispatch.clone();
                Callback::from(move |_: MouseEvent| ui_dispatch.emit(UiAction::Find))
            };
            let find_bar = (ui.finding > 0).then(|| {
                let on_close = {
                    let ui_dispatch = ui_dispatch.clone();
                    let reader_ref = reader_ref.clone();
                    Callback::from(move |_| {
                        ui_dispatch.emit(UiAction::CloseFind);
                        if let Some(el) = reader_ref.cast::<web_sys::HtmlElement>() {
                            let _ = el.focus();
                        }
                    })
                };
                html! {
                    <FindBar key={s.id.to_string()} project={project.clone()} source={s.id} focus={ui.finding}
                        on_open={open_passage.clone()} {on_close} />
                }
            });
            html! {
                <div class="reader-head">
                    <h2>{&s.name}</h2>
                    <span class="muted">{format!("{} · {}{}", s.kind.label(), framewise_core::words::count(shown.codings_of(s.id).len(), "coding", "codings"), if ui.coders.filters() { " shown (coders filtered)" } else { "" })}</span>
                    if !editing_here(s.id) {
                        <EditTextButton source={s.id} name={s.name.clone()} imported={s.file_name.is_some()} {on_edit} />
                    }
                    <AutocodeButton key={s.id.to_string()} project={project.clone()} source={Some(s.id)} dispatch={dispatch.clone()} />
                    <button class="small" onclick={on_find} title="Find in this source (Ctrl+F)">{"Find…"}</button>
                    {find_bar.unwrap_or_default()}
                </div>
            }
        }
        _ => html! {},
    };

    let sources_open = ui.panels.is_open(ui.view, Side::Sources);
    let codebook_open = ui.panels.is_open(ui.view, Side::Codebook);
    let toggle_panel = {
        let ui_dispatch = ui_dispatch.clone();
        Callback::from(move |side: Side| ui_dispatch.emit(UiAction::TogglePanel(side)))
    };

    html! {
        <div class={classes!("workbench", ui.drag_over.then_some("drag-over"))} {ondrop} {ondragover} {ondragleave}>
            <toolbar::Toolbar project={project.clone()} ui={Rc::new((*ui).clone())} ui_dispatch={ui_dispatch.clone()}
                dispatch={dispatch.clone()} importer={importer.clone()} {can_undo} {can_redo}
                on_undo={undo.clone()} on_redo={redo.clone()} on_close={close}
                on_banner={props.on_banner.clone()} status={saving.status.clone()} stored={props.storage.is_some()}
                coder={(*coder).clone().unwrap_or_else(|| "Coder not set".into())}
                coder_label={coders::button_label((*coder).as_deref(), &ui.coders)}
                coder_filtered={ui.coders.filters()} />
            {error_banner.unwrap_or_default()}
            {history_panel}
            <div class={classes!("panes", (!sources_open).then_some("sources-closed"), (!codebook_open).then_some("codebook-closed"))}>
                <nav class={classes!("sources-pane", (!sources_open).then_some("collapsed"))} aria-label="Sources">
                    <PaneToggle side={Side::Sources} open={sources_open} controls="sources-pane-body" on_toggle={toggle_panel.clone()} />
                    if sources_open {
                        <div id="sources-pane-body">
                            <SourcesPane project={project.clone()} current={source_id} dispatch={dispatch.clone()} ui={ui_dispatch.clone()} />
                        </div>
                    }
                </nav>
                <main class="middle-pane" id="reader-pane-wrap">
                    <nav class="view-tabs" aria-label="Views">{for tabs}</nav>
                    {reader_head}
                    <div id="reader-pane" class="middle-content">{middle}</div>
                </main>
                <aside class={classes!("codebook-pane", (!codebook_open).then_some("collapsed"))} aria-label="Codebook panel">
                    <PaneToggle side={Side::Codebook} open={codebook_open} controls="codebook-pane-body" on_toggle={toggle_panel} />
                    if codebook_open {
                        <div id="codebook-pane-body">
                            <CodebookPanel project={project.clone()} dispatch={dispatch.clone()} selected={ui.selected_code}
                                on_select={on_select_code} {on_retrieve} {on_message} new_code_input={new_code_ref.clone()} />
                        </div>
                    }
                </aside>
            </div>
            {picker}
            {popover}
            {dialog}
            if !matches!(ui.dialog, Some(Dialog::Import(_))) && !ui.key_offer.is_empty() && !project.pseudonyms.is_empty() {
                <KeyOffer project={project.clone()} sources={ui.key_offer.clone()} dispatch={dispatch.clone()}
                    on_close={{ let ui_dispatch = ui_dispatch.clone(); Callback::from(move |_| ui_dispatch.emit(UiAction::KeyOffered)) }} />
            }
        </div>
    }
}
