//! Annotations (comments on passages and codings) and the memo list: the dialog that writes a
//! new annotation, an annotation as a note in the reader's margin (edited and removed there),
//! and the "Memos" view listing every memo of the project (written out in the worker: core's
//! `memos::shown`), searchable and filtered by what it is attached to; a click goes to it. Text
//! is always rendered as text (the list's markup has every text escaped).

use crate::components::dialog::Dialog as Modal;
use crate::hooks::{use_generation, ByPointer};
use crate::state::{now, BrowserIds};
use framewise_core::memos::{MemoTarget, MemosShown};
use framewise_core::{Action, Annotation, CodingId, IdSource, Project, SourceId, Span};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

fn field_text(node: &NodeRef) -> String {
    node.cast::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

/// Props of [`AnnotateDialog`].
#[derive(Properties, PartialEq)]
pub struct AnnotateProps {
    /// The project (for the passage's words).
    pub project: Rc<Project>,
    /// The source annotated.
    pub source: SourceId,
    /// The passage.
    pub span: Span,
    /// The coding annotated, if any.
    pub coding: Option<CodingId>,
    /// Apply the new annotation.
    pub dispatch: Callback<Action>,
    /// Close the dialog.
    pub on_close: Callback<()>,
}

/// "Annotate": a comment on the selected passage (or a coding), one undo step when saved.
#[component]
pub fn AnnotateDialog(props: &AnnotateProps) -> Html {
    let field = use_node_ref();
    {
        let field = field.clone();
        use_effect_with((), move |_| {
            if let Some(t) = field.cast::<web_sys::HtmlElement>() {
                let _ = t.focus();
            }
        });
    }
    let quote = props
        .project
        .source(props.source)
        .and_then(|s| s.text.get(props.span.start..props.span.end))
        .map(|t| t.chars().take(200).collect::<String>())
        .unwrap_or_default();
    let onsubmit = {
        let (field, dispatch, on_close) = (
            field.clone(),
            props.dispatch.clone(),
            props.on_close.clone(),
        );
        let (source, span, coding) = (props.source, props.span, props.coding);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = field_text(&field);
            if text.trim().is_empty() {
                return;
            }
            dispatch.emit(Action::AddAnnotation {
                annotation: Annotation {
                    id: BrowserIds.annotation_id(),
                    source,
                    span,
                    coding,
                    text,
                    created: now(),
                },
            });
            on_close.emit(());
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let title = if props.coding.is_some() {
        "Annotate the coding"
    } else {
        "Annotate the passage"
    };
    html! {
        <Modal {title} on_close={props.on_close.clone()}>
            <form class="annotate" {onsubmit}>
                <blockquote class="annotate-quote">{format!("“{quote}”")}</blockquote>
                <label>{"Annotation"}<textarea ref={field} rows="4" aria-label="Annotation" /></label>
                <div class="dialog-actions">
                    <button type="submit" class="primary">{"Save annotation"}</button>
                    <button type="button" onclick={close}>{"Cancel"}</button>
                </div>
            </form>
        </Modal>
    }
}

/// Props of [`MarginNote`].
#[derive(Properties, PartialEq)]
pub struct MarginNoteProps {
    /// The annotation.
    pub note: Annotation,
    /// Applies its edit or removal.
    pub dispatch: Callback<Action>,
}

/// An annotation in the reader's margin, beside the paragraph where its passage starts: its
/// text, "Edit" (a text area with Save and Cancel) and "Remove".
#[component]
pub fn MarginNote(props: &MarginNoteProps) -> Html {
    let editing = use_state(|| false);
    let field = use_node_ref();
    {
        let field = field.clone();
        use_effect_with(*editing, move |on| {
            if let (true, Some(t)) = (*on, field.cast::<web_sys::HtmlElement>()) {
                let _ = t.focus();
            }
        });
    }
    let id = props.note.id;
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    let remove = props
        .dispatch
        .reform(move |_: MouseEvent| Action::RemoveAnnotation { id });
    let save = {
        let (editing, field, dispatch) = (editing.clone(), field.clone(), props.dispatch.clone());
        let old = props.note.text.clone();
        Callback::from(move |_: MouseEvent| {
            let text = field_text(&field);
            if !text.trim().is_empty() && text.trim() != old {
                dispatch.emit(Action::EditAnnotation { id, text });
            }
            editing.set(false);
        })
    };
    html! {
        <aside class="note" aria-label="Annotation" data-note-off={props.note.span.start.to_string()}>
            if *editing {
                <textarea ref={field} rows="3" aria-label="Edit the annotation" value={props.note.text.clone()} />
                <button onclick={save}>{"Save"}</button>
                <button onclick={toggle}>{"Cancel"}</button>
            } else {
                <p class="note-text">{props.note.text.clone()}</p>
                <button class="link" onclick={toggle} aria-label="Edit annotation">{"Edit"}</button>
                <button class="link" onclick={remove} aria-label="Remove annotation">{"Remove"}</button>
            }
        </aside>
    }
}

/// Props of [`MemoList`].
#[derive(Properties, PartialEq)]
pub struct MemoListProps {
    /// The project.
    pub project: Rc<Project>,
    /// Go to a memo's place.
    pub on_go: Callback<MemoTarget>,
    /// Shows a message (the worker could not write the list).
    pub on_message: Callback<String>,
}

/// The "Memos" view: every memo and annotation with what it is attached to (written out in the
/// worker: core's `memos::shown`, every text escaped), a search box and an "Attached to"
/// filter; one click listener on the list reads the item's place from its `data-go`.
#[component]
pub fn MemoList(props: &MemoListProps) -> Html {
    let query = use_state(String::new);
    let kind = use_state(String::new);
    let shown = use_state(MemosShown::default);
    let generation = use_generation();
    {
        let shown = shown.clone();
        let on_message = props.on_message.clone();
        use_effect_with(
            (
                (*query).clone(),
                (*kind).clone(),
                ByPointer(props.project.clone()),
            ),
            move |(query, kind, project)| {
                let ticket = generation.begin();
                let (query, kind, project) = (query.clone(), kind.clone(), project.0.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = crate::worker_client::memos(&project, query, kind).await;
                    if ticket.is_current() {
                        match answer {
                            Ok(answer) => shown.set(answer),
                            Err(e) => on_message.emit(e),
                        }
                    }
                });
            },
        );
    }
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                query.set(i.value());
            }
        })
    };
    let onchange = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                kind.set(s.value());
            }
        })
    };
    let onclick = {
        let on_go = props.on_go.clone();
        Callback::from(move |e: MouseEvent| {
            let target = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest("[data-go]").ok().flatten())
                .and_then(|el| el.get_attribute("data-go"))
                .and_then(|key| MemoTarget::parse(&key));
            if let Some(t) = target {
                on_go.emit(t);
            }
        })
    };
    html! {
        <section class="memo-list" aria-label="Memos">
            <div class="memo-controls">
                <input type="search" aria-label="Search memos" placeholder="Search memos" value={(*query).clone()} {oninput} />
                <label>{"Attached to "}
                    <select {onchange}>
                        <option value="">{"Anything"}</option>
                        <option value="project">{"Project"}</option>
                        <option value="source">{"Source"}</option>
                        <option value="code">{"Code"}</option>
                        <option value="case">{"Case"}</option>
                        <option value="annotation">{"Annotation"}</option>
                    </select>
                </label>
                <span class="muted" role="status">{shown.status.clone()}</span>
            </div>
            // Core's markup from our own worker: every text in it is escaped.
            <div {onclick}>{Html::from_html_unchecked(AttrValue::from(shown.markup.clone()))}</div>
        </section>
    }
}
