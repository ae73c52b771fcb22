//! The workbench of an open project: sources on the left, the reading view (or retrieval) in the
//! middle, the codebook on the right. It owns the project reducer, hands changes to the saver,
//! and handles import, coding, keyboard shortcuts, history and the project file.

use crate::app::OpenProject;
use crate::components::cases::CasesView;
use crate::components::codebook::CodebookPanel;
use crate::components::dialog::Dialog;
use crate::components::import::{
    accept_attr as import_accept_attr, limits_note as import_limits_note, run_import, FileOutcome,
    ImportBatch, ImportDialog,
};
use crate::components::matrix::MatricesView;
use crate::components::memo::MemoEditor;
use crate::components::picker::{Picker, PICKER_INPUT_ID};
use crate::components::pseudonyms::{KeyOffer, PseudonymsDialog, SaveToFile};
use crate::components::reader::{CodeLook, FocusRequest, Reader, TextSelection};
use crate::components::refi::RefiMenu;
use crate::components::retrieval::RetrievalView;
use crate::components::source_edit::{EditTextButton, NewFieldNotesButton, SourceEditor};
use crate::components::themes::ThemesView;
use crate::dom;
use crate::state::{now, store_coder, stored_coder, BrowserIds, Msg, Shared, Workspace};
use crate::storage::{SaveStatus, Saver, Storage};
use framewise_core::persist;
use framewise_core::{
    Action, Code, CodeId, Coding, CodingId, IdSource, Project, SourceId, SourceKind, Span,
};
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
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

/// What the middle pane shows.
#[derive(Clone, Copy, PartialEq)]
enum View {
    Read,
    Retrieve(CodeId),
    Cases,
    Matrices,
    Themes,
}

/// A coding waiting for the coder's name.
#[derive(Clone)]
enum Pending {
    Apply(CodeId),
    Create(String),
    InVivo,
}

/// The workbench.
#[component]
pub fn Workbench(props: &WorkbenchProps) -> Html {
    let ws = {
        let project = (*props.open.project).clone();
        use_reducer_eq(move || Workspace::new(project))
    };
    let project = ws.project.clone();
    let view = use_state(|| View::Read);
    let current = use_state(|| project.sources.first().map(|s| s.id));
    let selection = use_state(|| None::<TextSelection>);
    let picker_focus = use_state(|| 0u32);
    let coded_popover = use_state(|| None::<(usize, f64, f64)>);
    let selected_coding = use_state(|| None::<CodingId>);
    let selected_code = use_state(|| None::<CodeId>);
    let focus = use_state(|| None::<FocusRequest>);
    let recent = use_state(|| Rc::new(Vec::<CodeId>::new()));
    let coder = use_state(stored_coder);
    let asking_coder = use_state(|| None::<Pending>);
    let import = use_state(|| None::<ImportBatch>);
    // Sources just imported into a project with a pseudonymisation key: offered the key.
    let key_offer = use_state(Vec::<SourceId>::new);
    let import_cancel = use_mut_ref(|| Rc::new(Cell::new(false)));
    let save_status = use_state(|| SaveStatus::Saved { bytes: 0 });
    let show_history = use_state(|| false);
    let show_help = use_state(|| false);
    let show_project_memo = use_state(|| false);
    let drag_over = use_state(|| false);
    let removing_source = use_state(|| false);
    let reading_mode = use_state(|| false);
    // Source text being edited (source_edit.rs) and the pseudonymisation dialog (pseudonyms.rs).
    let editing = use_state(|| None::<SourceId>);
    let show_pseudonyms = use_state(|| false);
    // The source name being typed (Yew re-applies `value` on every render; see source_details).
    let source_name_draft = use_state(|| None::<(SourceId, String)>);
    let nonce = use_mut_ref(|| 0u32);

    // Persistence: every change goes to the saver, which writes only what changed.
    let saver = {
        let storage = props.storage.clone();
        let open = props.open.clone();
        let save_status = save_status.clone();
        let on_banner = props.on_banner.clone();
        use_memo((), move |_| {
            storage.map(|s| {
                // The failure banner stays until a save succeeds again, then clears itself.
                let failed = Rc::new(Cell::new(false));
                let on_status = Callback::from(move |status: SaveStatus| {
                    match &status {
                        SaveStatus::Failed(e) => {
                            failed.set(true);
                            on_banner.emit(Some(format!(
                                "Your latest changes are NOT saved in this browser: {e}. Keep this tab open and use “Save to file”."
                            )));
                        }
                        SaveStatus::Saved { .. } if failed.replace(false) => on_banner.emit(None),
                        _ => {}
                    }
                    save_status.set(status);
                });
                Saver::new(s, open.stored.then(|| (*open.project).clone()), move |status| {
                    on_status.emit(status)
                })
            })
        })
    };
    {
        let saver = saver.clone();
        let meta = props.open.meta;
        let first = use_mut_ref(|| true);
        use_effect_with(ws.project.clone(), move |p| {
            // The project as opened needs saving only if it is not stored yet (new, demo, file)
            // or its "last opened" time changed; after that, every change is saved.
            if let Some(s) = saver.as_ref() {
                let modified = if *first.borrow() {
                    meta.modified
                } else {
                    now()
                };
                *first.borrow_mut() = false;
                s.project_changed(p, persist::ProjectMeta { modified, ..meta });
            }
        });
    }
    {
        // Save at once when the tab is hidden or closed.
        let saver = saver.clone();
        use_effect_with((), move |_| {
            let listener = dom::document().map(|d| {
                gloo::events::EventListener::new(&d, "visibilitychange", move |_| {
                    if let Some(s) = saver.as_ref() {
                        s.flush();
                    }
                })
            });
            move || drop(listener)
        });
    }

    let dispatch = {
        let ws = ws.clone();
        Callback::from(move |a: Action| ws.dispatch(Msg::Do(a)))
    };

    let looks: Shared<HashMap<CodeId, CodeLook>> = {
        let project = project.clone();
        (*use_memo(CodesKey(project.clone()), move |_| {
            Shared(Arc::new(
                project
                    .codes
                    .iter()
                    .map(|c| {
                        (
                            c.id,
                            CodeLook {
                                name: project.code_path(c.id),
                                color: c.color.clone(),
                            },
                        )
                    })
                    .collect::<HashMap<_, _>>(),
            ))
        }))
        .clone()
    };
    let empty_codings = use_memo((), |_| Arc::new(Vec::<Coding>::new()));

    let source = (*current).and_then(|id| project.source(id).cloned());
    let source_id = source.as_ref().map(|s| s.id);

    // Coding helpers.
    let remember = {
        let recent = recent.clone();
        move |code: CodeId| {
            let mut list: Vec<CodeId> = recent.iter().copied().filter(|c| *c != code).collect();
            list.insert(0, code);
            list.truncate(8);
            recent.set(Rc::new(list));
        }
    };
    let perform = {
        let ws = ws.clone();
        let selection = selection.clone();
        let remember = remember.clone();
        let coder = coder.clone();
        let asking_coder = asking_coder.clone();
        Rc::new(move |pending: Pending| {
            let (Some(sel), Some(src)) = (*selection, source_id) else {
                return;
            };
            let Some(who) = (*coder).clone() else {
                asking_coder.set(Some(pending));
                return;
            };
            let project = ws.project.clone();
            let coding = |code: CodeId| Coding {
                id: BrowserIds.coding_id(),
                source: src,
                span: sel.span,
                code,
                coder: who.clone(),
                created: now(),
            };
            let new_code =
                |name: &str| Code::inductive(&project, BrowserIds.code_id(), name, None, now());
            let action = match pending {
                Pending::Apply(code) => {
                    remember(code);
                    Action::AddCodings {
                        codings: vec![coding(code)],
                    }
                }
                Pending::Create(name) => {
                    if let Some(existing) = project
                        .codes
                        .iter()
                        .find(|c| framewise_core::same_code_name(&c.name, &name))
                    {
                        remember(existing.id);
                        Action::AddCodings {
                            codings: vec![coding(existing.id)],
                        }
                    } else {
                        let code = new_code(&name);
                        remember(code.id);
                        Action::Batch {
                            label: format!("Create code {} and code segment", code.name),
                            actions: vec![
                                Action::CreateCode { code: code.clone() },
                                Action::AddCodings {
                                    codings: vec![coding(code.id)],
                                },
                            ],
                        }
                    }
                }
                Pending::InVivo => {
                    let words: String = project
                        .source(src)
                        .and_then(|s| s.text.get(sel.span.start..sel.span.end))
                        .unwrap_or("")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let name: String = words.chars().take(60).collect();
                    // The same words again apply the code they named (no twin code).
                    if let Some(existing) = project.code_named(None, &name) {
                        remember(existing.id);
                        Action::AddCodings {
                            codings: vec![coding(existing.id)],
                        }
                    } else {
                        let code = new_code(&name);
                        remember(code.id);
                        Action::Batch {
                            label: format!("In vivo code {}", code.name),
                            actions: vec![
                                Action::CreateCode { code: code.clone() },
                                Action::AddCodings {
                                    codings: vec![coding(code.id)],
                                },
                            ],
                        }
                    }
                }
            };
            ws.dispatch(Msg::Do(action));
        })
    };

    let on_selection = {
        let selection = selection.clone();
        let coded_popover = coded_popover.clone();
        Callback::from(move |s: Option<TextSelection>| {
            if s.is_some() {
                coded_popover.set(None);
            }
            selection.set(s);
        })
    };
    let on_coded_click = {
        let coded_popover = coded_popover.clone();
        Callback::from(move |at: (usize, f64, f64)| coded_popover.set(Some(at)))
    };
    let on_enter = {
        let picker_focus = picker_focus.clone();
        let selection = selection.clone();
        Callback::from(move |_| {
            if selection.is_some() {
                picker_focus.set(*picker_focus + 1);
            }
        })
    };
    let close_picker = {
        let selection = selection.clone();
        Callback::from(move |_| {
            selection.set(None);
            if let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
                let _ = sel.remove_all_ranges();
            }
            dom::focus_id("reader");
        })
    };

    let open_passage = {
        let current = current.clone();
        let view = view.clone();
        let focus = focus.clone();
        let nonce = nonce.clone();
        Callback::from(move |(src, span): (SourceId, Span)| {
            current.set(Some(src));
            view.set(View::Read);
            *nonce.borrow_mut() += 1;
            focus.set(Some(FocusRequest {
                span,
                nonce: *nonce.borrow(),
            }));
        })
    };

    // Keyboard shortcuts (never while a text field has focus, except Escape).
    {
        let ws = ws.clone();
        let selection = selection.clone();
        let perform = perform.clone();
        let show_help = show_help.clone();
        let coded_popover = coded_popover.clone();
        let close_picker = close_picker.clone();
        let open_passage = open_passage.clone();
        let project = project.clone();
        let focus = focus.clone();
        use_effect(move || {
            let listener = dom::document().map(|d| {
                // Not passive: shortcuts must be able to preventDefault (else Ctrl+Z would also
                // run the browser's own undo in whatever field last had focus).
                let options = gloo::events::EventListenerOptions::enable_prevent_default();
                gloo::events::EventListener::new_with_options(&d, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    let key = e.key();
                    let ctrl = e.ctrl_key() || e.meta_key();
                    if key == "Escape" {
                        coded_popover.set(None);
                        show_help.set(false);
                        if selection.is_some() {
                            close_picker.emit(());
                        }
                        return;
                    }
                    if dom::focus_in_text_field() {
                        return;
                    }
                    match (ctrl, e.shift_key(), key.as_str()) {
                        (true, false, "z") | (true, false, "Z") => {
                            e.prevent_default();
                            ws.dispatch(Msg::Undo);
                        }
                        (true, true, "z") | (true, true, "Z") | (true, _, "y") => {
                            e.prevent_default();
                            ws.dispatch(Msg::Redo);
                        }
                        (false, _, "/") if selection.is_some() => {
                            e.prevent_default();
                            dom::focus_id(PICKER_INPUT_ID);
                        }
                        (false, _, "v") | (false, _, "V") if selection.is_some() => {
                            e.prevent_default();
                            perform(Pending::InVivo);
                        }
                        (false, _, "n") | (false, _, "N") => {
                            e.prevent_default();
                            dom::focus_id("new-code-name");
                        }
                        (false, _, "?") => show_help.set(true),
                        (false, _, "[") | (false, _, "]") => {
                            let Some(src) = source_id else { return };
                            let list = project.codings_of(src);
                            let here = focus.map(|f| f.span.start);
                            let next = if key == "]" {
                                list.iter().find(|c| here.is_none_or(|h| c.span.start > h))
                            } else {
                                list.iter()
                                    .rev()
                                    .find(|c| here.is_some_and(|h| c.span.start < h))
                            };
                            if let Some(c) = next {
                                open_passage.emit((src, c.span));
                            }
                        }
                        _ => {}
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Import.
    let start_import = {
        let import = import.clone();
        let key_offer = key_offer.clone();
        let import_cancel = import_cancel.clone();
        let ws = ws.clone();
        let current = current.clone();
        Callback::from(move |files: Vec<web_sys::File>| {
            if files.is_empty() {
                return;
            }
            let cancel = Rc::new(Cell::new(false));
            *import_cancel.borrow_mut() = cancel.clone();
            let import = import.clone();
            let update = {
                let import = import.clone();
                Callback::from(move |b: ImportBatch| import.set(Some(b)))
            };
            let project = ws.project.clone();
            // Only a project that has a key offers it to what is imported now.
            let has_key = !project.pseudonyms.is_empty();
            let ws = ws.clone();
            let current = current.clone();
            let key_offer = key_offer.clone();
            spawn_local(async move {
                let batch = run_import(files, project, cancel, update).await;
                if !batch.ready.is_empty() && !batch.cancelled {
                    if current.is_none() {
                        current.set(batch.ready.first().map(|s| s.id));
                    }
                    if has_key {
                        key_offer.set(batch.ready.iter().map(|s| s.id).collect());
                    }
                    ws.dispatch(Msg::Do(Action::AddSources {
                        sources: batch.ready.clone(),
                    }));
                }
            });
        })
    };
    let on_file_input = {
        let start_import = start_import.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = dom::files_of(input.files());
            input.set_value("");
            start_import.emit(files);
        })
    };
    let on_drop = {
        let start_import = start_import.clone();
        let drag_over = drag_over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drag_over.set(false);
            let files = dom::files_of(e.data_transfer().and_then(|d| d.files()));
            start_import.emit(files);
        })
    };
    let on_dragover = {
        let drag_over = drag_over.clone();
        Callback::from(move |e: DragEvent| {
            let has_files = e
                .data_transfer()
                .map(|d| {
                    d.types()
                        .iter()
                        .any(|t| t.as_string().as_deref() == Some("Files"))
                })
                .unwrap_or(false);
            if has_files {
                e.prevent_default();
                if !*drag_over {
                    drag_over.set(true);
                }
            }
        })
    };
    let on_dragleave = {
        let drag_over = drag_over.clone();
        Callback::from(move |_: DragEvent| drag_over.set(false))
    };
    let import_dialog = (*import).clone().map(|batch| {
        let on_cancel = {
            let import_cancel = import_cancel.clone();
            Callback::from(move |_| import_cancel.borrow().set(true))
        };
        let on_close = {
            let import = import.clone();
            Callback::from(move |_| import.set(None))
        };
        let on_duplicates = {
            let import = import.clone();
            let key_offer = key_offer.clone();
            let ws = ws.clone();
            let current = current.clone();
            Callback::from(move |yes: bool| {
                let Some(mut b) = (*import).clone() else {
                    return;
                };
                b.asking = false;
                if yes && !b.duplicates.is_empty() {
                    if current.is_none() {
                        current.set(b.duplicates.first().map(|s| s.id));
                    }
                    ws.dispatch(Msg::Do(Action::AddSources {
                        sources: b.duplicates.clone(),
                    }));
                    if !ws.project.pseudonyms.is_empty() {
                        let mut offered = (*key_offer).clone();
                        offered.extend(b.duplicates.iter().map(|s| s.id));
                        key_offer.set(offered);
                    }
                    for r in b.results.iter_mut() {
                        if let FileOutcome::Duplicate { imported, .. } = &mut r.outcome {
                            *imported = true;
                        }
                    }
                }
                import.set(Some(b));
            })
        };
        html! { <ImportDialog {batch} {on_cancel} {on_close} {on_duplicates} /> }
    });

    // Toolbar actions.
    let undo = {
        let ws = ws.clone();
        Callback::from(move |_| ws.dispatch(Msg::Undo))
    };
    let redo = {
        let ws = ws.clone();
        Callback::from(move |_| ws.dispatch(Msg::Redo))
    };
    let close = {
        let on_close = props.on_close.clone();
        let saver = saver.clone();
        Callback::from(move |_| {
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
    let (can_undo, can_redo, undo_labels, redo_labels) = {
        let h = ws.history.borrow();
        (
            h.can_undo(),
            h.can_redo(),
            h.undo_labels().map(str::to_string).collect::<Vec<_>>(),
            h.redo_labels().map(str::to_string).collect::<Vec<_>>(),
        )
    };

    // Sources pane.
    let counts_by_source = |id: SourceId| project.codings_of(id).len();
    let source_items = project.sources.iter().map(|s| {
        let id = s.id;
        let active = Some(id) == source_id;
        let onclick = {
            let current = current.clone();
            let view = view.clone();
            let selection = selection.clone();
            Callback::from(move |_| {
                current.set(Some(id));
                view.set(View::Read);
                selection.set(None);
            })
        };
        html! {
            <li key={id.to_string()}>
                <button class={classes!("source-item", active.then_some("active"))} aria-current={active.then_some("true")} {onclick}>
                    <span class="source-name">{&s.name}</span>
                    <span class="source-meta">{format!("{} · {}", s.kind.label(), framewise_core::words::count(counts_by_source(id), "coding", "codings"))}</span>
                </button>
            </li>
        }
    });
    let source_details = source.as_ref().map(|s| {
        let id = s.id;
        let on_kind = {
            let dispatch = dispatch.clone();
            Callback::from(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                if let Some(kind) = SourceKind::from_key(&select.value()) {
                    dispatch.emit(Action::SetSourceKind { id, kind });
                }
            })
        };
        let on_memo = {
            let dispatch = dispatch.clone();
            Callback::from(move |memo: String| dispatch.emit(Action::SetSourceMemo { id, memo }))
        };
        let kinds = SourceKind::ALL.iter().map(|k| html! {
            <option value={k.key()} selected={*k == s.kind}>{k.label()}</option>
        });
        let on_name_input = {
            let draft = source_name_draft.clone();
            Callback::from(move |e: InputEvent| {
                let input: HtmlInputElement = e.target_unchecked_into();
                draft.set(Some((id, input.value())));
            })
        };
        let on_rename = {
            let dispatch = dispatch.clone();
            let old = s.name.clone();
            let draft = source_name_draft.clone();
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                draft.set(None);
                let name = input.value();
                if name.trim().is_empty() {
                    input.set_value(&old);
                } else if name.trim() != old {
                    dispatch.emit(Action::RenameSource { id, name });
                }
            })
        };
        let shown_name = match &*source_name_draft {
            Some((draft_id, text)) if *draft_id == id => text.clone(),
            _ => s.name.clone(),
        };
        let ask_remove = {
            let removing_source = removing_source.clone();
            Callback::from(move |_| removing_source.set(true))
        };
        html! {
            <section class="source-details" aria-label="Source details">
                <label>{"Name"}<input key={format!("name-{id}")} value={shown_name} oninput={on_name_input} onchange={on_rename} aria-label="Source name" /></label>
                <label>{"Kind"}<select onchange={on_kind} aria-label="Source kind">{for kinds}</select></label>
                <MemoEditor label={format!("Memo on {}", s.name)} value={s.memo.clone()} on_commit={on_memo} />
                <crate::components::speakers::SourceSpeakers project={project.clone()} source={id} dispatch={dispatch.clone()} />
                <button class="danger small" onclick={ask_remove}>{"Remove source…"}</button>
            </section>
        }
    });

    let on_message = {
        let on_banner = props.on_banner.clone();
        Callback::from(move |m: String| on_banner.emit(Some(m)))
    };

    // Middle pane.
    let middle = match *view {
        View::Cases => html! {
            <CasesView project={project.clone()} dispatch={dispatch.clone()} on_open={open_passage.clone()} on_message={on_message.clone()} />
        },
        View::Matrices => html! {
            <MatricesView project={project.clone()} dispatch={dispatch.clone()} on_open={open_passage.clone()} on_message={on_message.clone()} />
        },
        View::Themes => html! {
            <ThemesView project={project.clone()} dispatch={dispatch.clone()} on_open={open_passage.clone()} on_message={on_message.clone()} />
        },
        View::Retrieve(code) if project.code(code).is_some() => {
            let on_close = {
                let view = view.clone();
                Callback::from(move |_| view.set(View::Read))
            };
            html! { <RetrievalView project={project.clone()} {code} on_open={open_passage.clone()} {on_close} /> }
        }
        _ => match &source {
            Some(s) if *editing == Some(s.id) => {
                let on_undo = {
                    let ws = ws.clone();
                    Callback::from(move |_| ws.dispatch(Msg::Undo))
                };
                let on_done = {
                    let editing = editing.clone();
                    Callback::from(move |_| editing.set(None))
                };
                html! { <SourceEditor key={format!("edit-{}", s.id)} project={project.clone()} source={s.id} dispatch={dispatch.clone()} {on_undo} {on_done} /> }
            }
            Some(s) => {
                let codings = project
                    .codings
                    .get(&s.id)
                    .cloned()
                    .unwrap_or_else(|| (*empty_codings).clone());
                html! {
                    <Reader
                        key={s.id.to_string()}
                        source={Shared(s.clone())}
                        codings={Shared(codings)}
                        looks={looks.clone()}
                        selected={*selected_coding}
                        focus={*focus}
                        on_selection={on_selection.clone()}
                        on_coded_click={on_coded_click.clone()}
                        on_enter={on_enter.clone()}
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
    };

    let picker = match (*selection, source_id, *view) {
        (Some(sel), Some(src), View::Read) if *editing != Some(src) => {
            let on_apply = {
                let perform = perform.clone();
                Callback::from(move |code: CodeId| perform(Pending::Apply(code)))
            };
            let on_create = {
                let perform = perform.clone();
                Callback::from(move |name: String| perform(Pending::Create(name)))
            };
            let on_in_vivo = {
                let perform = perform.clone();
                Callback::from(move |_| perform(Pending::InVivo))
            };
            html! {
                <Picker project={project.clone()} source={src} span={sel.span} x={sel.x} y={sel.y}
                    recent={(*recent).clone()} focus_nonce={*picker_focus}
                    {on_apply} {on_create} {on_in_vivo} on_close={close_picker.clone()} />
            }
        }
        _ => html! {},
    };

    let popover = match (*coded_popover, source_id) {
        (Some((offset, x, y)), Some(src)) if *editing != Some(src) => {
            let here: Vec<Coding> = project
                .codings_of(src)
                .iter()
                .filter(|c| c.span.start <= offset && offset < c.span.end.max(c.span.start + 1))
                .cloned()
                .collect();
            let items = here.iter().map(|c| {
                let look = looks.get(&c.code).cloned();
                let name = look.as_ref().map(|l| l.name.clone()).unwrap_or_default();
                let color = look.map(|l| l.color).unwrap_or_default();
                let remove = {
                    let dispatch = dispatch.clone();
                    let popover = coded_popover.clone();
                    let id = c.id;
                    Callback::from(move |()| {
                        dispatch.emit(Action::RemoveCodings { ids: vec![id] });
                        popover.set(None);
                    })
                };
                let select = {
                    let selected_coding = selected_coding.clone();
                    let id = c.id;
                    Callback::from(move |_| selected_coding.set(Some(id)))
                };
                html! {
                    <li>
                        <button class="link coding-name" onclick={select}><span class="swatch" style={format!("background:{color}")}></span>{&name}</button>
                        <span class="coding-meta">{format!("{} · {}", c.coder, dom::format_time(c.created))}</span>
                        <crate::components::coding_remove::RemoveCodingButton project={project.clone()} coding={c.id} name={name.clone()} on_remove={remove} />
                    </li>
                }
            });
            let close = {
                let popover = coded_popover.clone();
                Callback::from(move |_| popover.set(None))
            };
            html! {
                <div class="popover" role="dialog" aria-label="Codings here" style={format!("left:{}px;top:{}px", x.max(8.0), y + 12.0)}>
                    <ul class="codings-here">{for items}</ul>
                    <button class="small" onclick={close}>{"Close"}</button>
                </div>
            }
        }
        _ => html! {},
    };

    let coder_dialog = (*asking_coder).clone().map(|pending| {
        let on_submit = {
            let coder = coder.clone();
            let asking_coder = asking_coder.clone();
            let perform = perform.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let value = dom::document()
                    .and_then(|d| d.get_element_by_id("coder-name"))
                    .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
                    .map(|i| i.value().trim().to_string())
                    .unwrap_or_default();
                if value.is_empty() {
                    return;
                }
                store_coder(&value);
                coder.set(Some(value.clone()));
                asking_coder.set(None);
                let perform = perform.clone();
                let pending = pending.clone();
                // Apply once the coder name is in state.
                yew::platform::spawn_local(async move {
                    gloo::timers::future::TimeoutFuture::new(0).await;
                    perform(pending);
                });
            })
        };
        let close = {
            let asking_coder = asking_coder.clone();
            Callback::from(move |_| asking_coder.set(None))
        };
        html! {
            <Dialog title="Who is coding?" on_close={close}>
                <form onsubmit={on_submit}>
                    <p>{"Your name is stored with every coding you make, so a team can compare coders. It is asked once in this browser."}</p>
                    <label for="coder-name">{"Coder name"}</label>
                    <input id="coder-name" autofocus=true />
                    <div class="dialog-actions"><button type="submit" class="primary">{"Continue"}</button></div>
                </form>
            </Dialog>
        }
    });

    let history_menu = (*show_history).then(|| {
        let n = undo_labels.len();
        let undo_items = undo_labels.iter().enumerate().rev().map(|(i, label)| {
            let ws = ws.clone();
            let show_history = show_history.clone();
            let onclick = Callback::from(move |_| {
                ws.dispatch(Msg::UndoTo(i));
                show_history.set(false);
            });
            html! { <li><button class="link" {onclick} title="Undo back to before this step">{label}</button></li> }
        });
        let redo_items = redo_labels.iter().map(|label| html! { <li class="redo-step">{label}</li> });
        html! {
            <div class="history-menu" role="region" aria-label="History">
                <h3>{format!("History ({})", framewise_core::words::count(n, "step", "steps"))}</h3>
                if n == 0 && redo_labels.is_empty() { <p class="hint">{"No changes yet in this session."}</p> }
                <ol class="redo-list" aria-label="Undone steps">{for redo_items}</ol>
                <ol class="undo-list" aria-label="Steps">{for undo_items}</ol>
                <p class="hint">{"Click a step to undo back to before it. Ctrl+Z undoes, Ctrl+Shift+Z redoes."}</p>
            </div>
        }
    });

    let help = (*show_help).then(|| {
        let close = {
            let show_help = show_help.clone();
            Callback::from(move |_| show_help.set(false))
        };
        html! {
            <Dialog title="Keyboard shortcuts" on_close={close}>
                <dl class="shortcuts">
                    <dt>{"Shift+Arrows"}</dt><dd>{"Select text in the reading view (Ctrl for whole words)"}</dd>
                    <dt>{"Enter"}</dt><dd>{"With a selection: go to the code picker; in the picker: apply the highlighted code or create the typed one"}</dd>
                    <dt>{"/"}</dt><dd>{"Focus the code picker"}</dd>
                    <dt>{"V"}</dt><dd>{"In vivo: the selected words become a new code"}</dd>
                    <dt>{"N"}</dt><dd>{"New code"}</dd>
                    <dt>{"[ and ]"}</dt><dd>{"Previous / next coding in this source"}</dd>
                    <dt>{"Ctrl+Z, Ctrl+Shift+Z"}</dt><dd>{"Undo, redo (inside a text field, the field's own undo)"}</dd>
                    <dt>{"Esc"}</dt><dd>{"Close the picker, popovers and dialogs"}</dd>
                    <dt>{"?"}</dt><dd>{"This list"}</dd>
                </dl>
            </Dialog>
        }
    });

    let project_memo = (*show_project_memo).then(|| {
        let on_commit = {
            let dispatch = dispatch.clone();
            Callback::from(move |memo: String| dispatch.emit(Action::SetProjectMemo { memo }))
        };
        let close = {
            let show = show_project_memo.clone();
            Callback::from(move |_| show.set(false))
        };
        html! {
            <Dialog title="Project memo" on_close={close}>
                <MemoEditor label="Memo on the project" value={project.memo.clone()} {on_commit} />
            </Dialog>
        }
    });

    let remove_dialog = (*removing_source).then(|| source.clone()).flatten().map(|s| {
        let id = s.id;
        let close = {
            let removing_source = removing_source.clone();
            Callback::from(move |_| removing_source.set(false))
        };
        let confirm = {
            let removing_source = removing_source.clone();
            let dispatch = dispatch.clone();
            let current = current.clone();
            let next = project.sources.iter().find(|o| o.id != id).map(|o| o.id);
            Callback::from(move |_| {
                dispatch.emit(Action::RemoveSource { id });
                current.set(next);
                removing_source.set(false);
            })
        };
        let n = project.codings_of(id).len();
        html! {
            <Dialog title="Remove source?" on_close={close.clone()}>
                <p>{format!("Remove “{}” and its {} from the project? You can undo this (Ctrl+Z).", s.name, framewise_core::words::count(n, "coding", "codings"))}</p>
                <div class="dialog-actions">
                    <button onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button class="danger" onclick={confirm}>{"Remove source"}</button>
                </div>
            </Dialog>
        }
    });

    let status_text = match &*save_status {
        SaveStatus::Saving => "Saving…".to_string(),
        SaveStatus::Saved { .. } if props.storage.is_some() => "Saved in this browser".to_string(),
        SaveStatus::Saved { .. } => "Not stored: save to file".to_string(),
        SaveStatus::Failed(_) => "Not saved!".to_string(),
    };
    let toggle = |state: &UseStateHandle<bool>| {
        let state = state.clone();
        Callback::from(move |_| state.set(!*state))
    };
    let error_banner = ws.error.clone().map(|message| {
        let ws = ws.clone();
        html! {
            <div class="banner banner-error" role="alert">
                <span>{message}</span>
                <button class="banner-close" aria-label="Dismiss message" onclick={move |_| ws.dispatch(Msg::DismissError)}>{"×"}</button>
            </div>
        }
    });
    let on_select_code = {
        let selected_code = selected_code.clone();
        Callback::from(move |c: Option<CodeId>| selected_code.set(c))
    };
    let on_retrieve = {
        let view = view.clone();
        let selected_code = selected_code.clone();
        Callback::from(move |c: CodeId| {
            selected_code.set(Some(c));
            view.set(View::Retrieve(c));
        })
    };

    html! {
        <div class={classes!("workbench", drag_over.then_some("drag-over"))} ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
            <header class="toolbar">
                <button onclick={close} aria-label="Back to projects">{"← Projects"}</button>
                <h1 class="project-name">{&project.name}</h1>
                <label class="button primary file-button" title={import_limits_note()}>
                    {"Import sources…"}
                    <input type="file" multiple=true accept={import_accept_attr()} onchange={on_file_input} class="visually-hidden" aria-label="Import sources" aria-description={import_limits_note()} />
                </label>
                <button onclick={undo} disabled={!can_undo} aria-label="Undo" title="Undo (Ctrl+Z)">{"↶ Undo"}</button>
                <button onclick={redo} disabled={!can_redo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">{"↷ Redo"}</button>
                <button onclick={toggle(&show_history)} aria-expanded={show_history.to_string()}>{"History"}</button>
                <button onclick={toggle(&show_project_memo)}>{"Project memo"}</button>
                <SaveToFile project={project.clone()} dispatch={dispatch.clone()} on_banner={props.on_banner.clone()} />
                <button onclick={toggle(&show_pseudonyms)} aria-haspopup="dialog">{"Pseudonymise…"}</button>
                <RefiMenu project={project.clone()} dispatch={dispatch.clone()} />
                <button onclick={toggle(&reading_mode)} aria-pressed={reading_mode.to_string()} title="Hide the side panels to read">{"Reading mode"}</button>
                <button onclick={toggle(&show_help)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">{"?"}</button>
                <span class="save-status" role="status" aria-live="polite">{status_text}</span>
            </header>
            {error_banner.unwrap_or_default()}
            {history_menu.unwrap_or_default()}
            <div class={classes!("panes", reading_mode.then_some("reading-mode"))}>
                <nav class="sources-pane" aria-label="Sources">
                    <h2>{format!("Sources ({})", project.sources.len())}</h2>
                    <NewFieldNotesButton dispatch={dispatch.clone()} on_created={{ let (current, view, editing, selection) = (current.clone(), view.clone(), editing.clone(), selection.clone()); Callback::from(move |id: SourceId| { selection.set(None); current.set(Some(id)); view.set(View::Read); editing.set(Some(id)); }) }} />
                    if project.sources.is_empty() {
                        <p class="empty-state">{"Import transcripts or field notes to begin."}</p>
                    }
                    <ul class="source-list">{for source_items}</ul>
                    {source_details.unwrap_or_default()}
                </nav>
                <main class="middle-pane" id="reader-pane-wrap">
                    <nav class="view-tabs" aria-label="Views">
                        {for [("Reading", View::Read), ("Cases", View::Cases), ("Matrices", View::Matrices), ("Themes", View::Themes)].into_iter().map(|(label, target)| {
                            let current = matches!((*view, target), (View::Read | View::Retrieve(_), View::Read)) || *view == target;
                            let view = view.clone();
                            html! {
                                <button class={classes!("tab", current.then_some("active"))} aria-current={current.then_some("page")} onclick={move |_| view.set(target)}>{label}</button>
                            }
                        })}
                    </nav>
                    if let (Some(s), View::Read) = (&source, *view) {
                        <div class="reader-head">
                            <h2>{&s.name}</h2>
                            <span class="muted">{format!("{} · {}", s.kind.label(), framewise_core::words::count(project.codings_of(s.id).len(), "coding", "codings"))}</span>
                            if *editing != Some(s.id) {
                                <EditTextButton source={s.id} name={s.name.clone()} imported={s.file_name.is_some()} on_edit={{ let (editing, selection) = (editing.clone(), selection.clone()); let id = s.id; Callback::from(move |_| { selection.set(None); editing.set(Some(id)); }) }} />
                            }
                            <crate::components::autocode::AutocodeButton key={s.id.to_string()} project={project.clone()} source={Some(s.id)} dispatch={dispatch.clone()} />
                        </div>
                    }
                    <div id="reader-pane" class="middle-content">{middle}</div>
                </main>
                <aside class="codebook-pane" aria-label="Codebook panel">
                    <CodebookPanel project={project.clone()} dispatch={dispatch.clone()} selected={*selected_code}
                        on_select={on_select_code} {on_retrieve} {on_message} />
                </aside>
            </div>
            {picker}
            {popover}
            {import_dialog.unwrap_or_default()}
            if import.is_none() && !key_offer.is_empty() && !project.pseudonyms.is_empty() {
                <KeyOffer project={project.clone()} sources={Rc::new((*key_offer).clone())} dispatch={dispatch.clone()}
                    on_close={{ let key_offer = key_offer.clone(); Callback::from(move |_| key_offer.set(Vec::new())) }} />
            }
            {coder_dialog.unwrap_or_default()}
            {help.unwrap_or_default()}
            {project_memo.unwrap_or_default()}
            {remove_dialog.unwrap_or_default()}
            if *show_pseudonyms {
                <PseudonymsDialog project={project.clone()} dispatch={dispatch.clone()} on_close={{ let show = show_pseudonyms.clone(); Callback::from(move |_| show.set(false)) }} />
            }
        </div>
    }
}

/// Memo key for code looks: recomputed when the code list changes.
#[derive(Clone)]
struct CodesKey(Rc<Project>);

impl PartialEq for CodesKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.codes == other.0.codes
    }
}
