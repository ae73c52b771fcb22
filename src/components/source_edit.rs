//! Typing and editing source text: "New field notes" (an empty field-notes source opened for
//! typing), "Edit text" (with a one-time warning for imported transcripts) and the editor
//! itself, a labelled text area committed while typing (like memos) and on blur through
//! `Action::EditSourceText`. Codings follow their words (core's `edit` module); when an edit
//! deletes the text of codings, a notice lists them with an Undo button.

use crate::components::dialog::Dialog;
use crate::components::memo::MemoEditor;
use crate::state::{now, BrowserIds, Shared};
use framewise_core::edit::{edit_source_text, EditReport};
use framewise_core::{Action, IdSource, Project, Source, SourceId, SourceKind, Timestamp};
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use yew::prelude::*;

/// The accessible name of the text area (followed by the source name).
pub const EDITOR_LABEL_PREFIX: &str = "Edit the text of";

/// "Field notes 2026-11-23 14:05" in local time.
pub fn field_notes_name(at: Timestamp) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    format!(
        "Field notes {:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A new, empty field-notes source (the model allows empty text; the researcher types it).
pub fn new_field_notes(id: SourceId, at: Timestamp) -> Source {
    Source {
        id,
        name: field_notes_name(at),
        kind: SourceKind::FieldNotes,
        text: "".into(),
        memo: String::new(),
        imported: at,
        file_name: None,
        turns: Vec::new(),
    }
}

/// Props of [`NewFieldNotesButton`].
#[derive(Properties, PartialEq)]
pub struct NewFieldNotesProps {
    /// Applies actions to the project.
    pub dispatch: Callback<Action>,
    /// Called with the new source's id (to open it for editing).
    pub on_created: Callback<SourceId>,
}

/// "New field notes": adds an empty field-notes source and hands its id back.
#[component]
pub fn NewFieldNotesButton(props: &NewFieldNotesProps) -> Html {
    let onclick = {
        let dispatch = props.dispatch.clone();
        let on_created = props.on_created.clone();
        Callback::from(move |_: MouseEvent| {
            let source = new_field_notes(BrowserIds.source_id(), now());
            let id = source.id;
            dispatch.emit(Action::AddSources {
                sources: vec![source],
            });
            on_created.emit(id);
        })
    };
    html! {
        <button class="small new-field-notes" {onclick} title="Type field notes as a new source">{"New field notes"}</button>
    }
}

thread_local! {
    /// Imported sources the researcher already agreed to edit in this session.
    static EDIT_ACKNOWLEDGED: RefCell<HashSet<SourceId>> = RefCell::new(HashSet::new());
}

/// Props of [`EditTextButton`].
#[derive(Properties, PartialEq)]
pub struct EditTextProps {
    /// The source.
    pub source: SourceId,
    /// Its name (for the warning).
    pub name: AttrValue,
    /// True for a source imported from a file (a transcript): warn once before editing.
    pub imported: bool,
    /// Open the editor.
    pub on_edit: Callback<()>,
}

/// "Edit text", asking once per imported source whether to change the transcript.
#[component]
pub fn EditTextButton(props: &EditTextProps) -> Html {
    let asking = use_state(|| false);
    let id = props.source;
    let onclick = {
        let asking = asking.clone();
        let on_edit = props.on_edit.clone();
        let imported = props.imported;
        Callback::from(move |_: MouseEvent| {
            let known = EDIT_ACKNOWLEDGED.with(|s| s.borrow().contains(&id));
            if imported && !known {
                asking.set(true);
            } else {
                on_edit.emit(());
            }
        })
    };
    let dialog = (*asking).then(|| {
        let close = {
            let asking = asking.clone();
            Callback::from(move |_| asking.set(false))
        };
        let confirm = {
            let asking = asking.clone();
            let on_edit = props.on_edit.clone();
            Callback::from(move |_: MouseEvent| {
                EDIT_ACKNOWLEDGED.with(|s| s.borrow_mut().insert(id));
                asking.set(false);
                on_edit.emit(());
            })
        };
        let cancel = close.clone();
        html! {
            <Dialog title="Edit this transcript?" on_close={close}>
                <p>{format!("“{}” was imported from a file. Editing changes the transcript; codings follow the words.", props.name)}</p>
                <p class="hint">{"Codings whose words you delete are removed (you are told which). Undo (Ctrl+Z) reverts an edit."}</p>
                <div class="dialog-actions">
                    <button onclick={move |_| cancel.emit(())}>{"Cancel"}</button>
                    <button class="primary" onclick={confirm}>{"Edit text"}</button>
                </div>
            </Dialog>
        }
    });
    html! {
        <>
            <button class="small edit-text" {onclick}>{"Edit text"}</button>
            {dialog.unwrap_or_default()}
        </>
    }
}

/// Props of [`SourceEditor`].
#[derive(Properties, PartialEq)]
pub struct SourceEditorProps {
    /// The project.
    pub project: Rc<Project>,
    /// The source being edited.
    pub source: SourceId,
    /// Applies actions to the project.
    pub dispatch: Callback<Action>,
    /// Undo the last step (the notice's Undo button).
    pub on_undo: Callback<()>,
    /// Back to the reading view.
    pub on_done: Callback<()>,
}

/// What the notice lists about codings removed by an edit.
#[derive(Clone, PartialEq)]
struct Removed {
    /// "Access: “waited for hours”".
    lines: Vec<String>,
}

fn describe_removed(project: &Project, report: &EditReport) -> Removed {
    let lines = report
        .removed
        .iter()
        .map(|c| {
            let words = project.coded_text(c);
            let mut short: String = words.chars().take(60).collect();
            if words.chars().count() > 60 {
                short.push('…');
            }
            format!("{}: “{}”", project.code_path(c.code), short.trim())
        })
        .collect();
    Removed { lines }
}

/// The text editor of one source.
#[component]
pub fn SourceEditor(props: &SourceEditorProps) -> Html {
    let notice = use_state(|| None::<Removed>);
    let source = props.project.source(props.source).cloned();
    let text_value = {
        let text = source.as_ref().map(|s| s.text.clone()).unwrap_or_default();
        use_memo(Shared(text), |t| AttrValue::from(t.to_string()))
    };
    // Focus the text area when the editor opens.
    use_effect_with(props.source, |_| {
        if let Some(el) = crate::dom::document()
            .and_then(|d| d.query_selector(".source-editor textarea").ok().flatten())
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    });
    let Some(source) = source else {
        return html! { <p class="empty-state">{"This source no longer exists."}</p> };
    };
    let id = source.id;
    let on_commit = {
        let project = props.project.clone();
        let dispatch = props.dispatch.clone();
        let notice = notice.clone();
        Callback::from(move |text: String| {
            let report = edit_source_text(&project, id, &text).map(|(_, r)| r);
            match report {
                Ok(r) if !r.removed.is_empty() => {
                    notice.set(Some(describe_removed(&project, &r)));
                    let n = r.removed.len();
                    // Its own undo step (not merged with the typing around it), so Undo gives
                    // back exactly the deleted words and their codings.
                    dispatch.emit(Action::Batch {
                        label: format!(
                            "Edit source text ({n} coding{} removed)",
                            if n == 1 { "" } else { "s" }
                        ),
                        actions: vec![Action::EditSourceText { source: id, text }],
                    });
                }
                _ => dispatch.emit(Action::EditSourceText { source: id, text }),
            }
        })
    };
    let notice_html = (*notice).clone().map(|removed| {
        let n = removed.lines.len();
        let undo = {
            let on_undo = props.on_undo.clone();
            let notice = notice.clone();
            Callback::from(move |_: MouseEvent| {
                notice.set(None);
                on_undo.emit(());
            })
        };
        let dismiss = {
            let notice = notice.clone();
            Callback::from(move |_: MouseEvent| notice.set(None))
        };
        let heading = if n == 1 {
            "1 coding lost its text and was removed:".to_string()
        } else {
            format!("{} lost their text and were removed:", framewise_core::words::count(n, "coding", "codings"))
        };
        html! {
            <div class="edit-notice" role="alert">
                <p><strong>{heading}</strong></p>
                <ul>{for removed.lines.iter().map(|l| html! { <li>{l}</li> })}</ul>
                <div class="edit-notice-actions">
                    <button class="primary small" onclick={undo}>{"Undo"}</button>
                    <button class="small" onclick={dismiss} aria-label="Dismiss notice">{"Dismiss"}</button>
                </div>
            </div>
        }
    });
    let done = {
        let on_done = props.on_done.clone();
        Callback::from(move |_: MouseEvent| on_done.emit(()))
    };
    let codings = props.project.codings_of(id).len();
    html! {
        <section class="source-editor" aria-label={format!("Editing {}", source.name)}>
            <div class="source-editor-bar">
                <p class="hint">{format!(
                    "Editing the text. {codings} coding{} follow the words as you type; changes are saved as you go. Undo in the toolbar reverts an edit.",
                    if codings == 1 { "" } else { "s" }
                )}</p>
                <button class="primary" onclick={done}>{"Done editing"}</button>
            </div>
            {notice_html.unwrap_or_default()}
            <div class="source-text-field">
                <MemoEditor
                    label={format!("{EDITOR_LABEL_PREFIX} {}", source.name)}
                    value={(*text_value).clone()}
                    {on_commit}
                    rows={24}
                    placeholder={AttrValue::from("Type your field notes here…")}
                />
            </div>
        </section>
    }
}
