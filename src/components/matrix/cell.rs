//! The open cell: its coded segments (source, context, coded text) beside the summary editor
//! (quote references shown as chips: `summary_field`), and below the editor a preview where quote references are links to the passage, or marked
//! broken when the coding behind them was removed. For the case summary column, the row's cell
//! summaries are shown beside the case summary editor.

use super::{plural, CellRef, Column};
use crate::components::memo::MemoEditor;
use crate::components::summary_field::{self, Chips};
use crate::state::Shared;
use framewise_core::matrix::{
    broken_references, cell_segments, quote_token, summary_parts, Matrix, SummaryPart,
};
use framewise_core::text::{context_after, context_before};
use framewise_core::{Action, CodingId, Project, SourceId, Span};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// Characters of context shown around a segment.
const CONTEXT: usize = 120;
/// Segments listed at first, and added by "Show more".
const SEGMENT_PAGE: usize = 100;
/// Words of a quote shown in its link.
const QUOTE_WORDS: usize = 8;

/// Props of [`CellPanel`].
#[derive(Properties, PartialEq)]
pub struct CellPanelProps {
    /// The project.
    pub project: Rc<Project>,
    /// The project as shown under the coder filter: the cell's segments are its codings
    /// (`None`: every coder's).
    #[prop_or_default]
    pub shown: Option<Rc<Project>>,
    /// The matrix.
    pub matrix: Shared<Matrix>,
    /// The open cell.
    pub cell: CellRef,
    /// Apply a change.
    pub dispatch: Callback<Action>,
    /// Open a source at a passage.
    pub on_open: Callback<(SourceId, Span)>,
    /// Close the panel.
    pub on_close: Callback<()>,
}

/// The first words of a text, with "…" when cut.
fn first_words(text: &str, words: usize) -> String {
    let all: Vec<&str> = text.split_whitespace().collect();
    if all.len() > words {
        format!("{}…", all[..words].join(" "))
    } else {
        all.join(" ")
    }
}

/// `summary` with `token` inserted at byte `at` (spaces added so it stands apart from words).
/// Returns the new text and the byte offset just after the token.
pub fn insert_token(summary: &str, at: usize, token: &str) -> (String, usize) {
    let mut at = at.min(summary.len());
    while !summary.is_char_boundary(at) {
        at -= 1;
    }
    let (before, after) = summary.split_at(at);
    let pre = if before.is_empty() || before.ends_with(char::is_whitespace) {
        ""
    } else {
        " "
    };
    let post = if after.is_empty() || after.starts_with(char::is_whitespace) {
        ""
    } else {
        " "
    };
    let text = format!("{before}{pre}{token}{post}{after}");
    let caret = before.len() + pre.len() + token.len() + post.len();
    (text, caret)
}

/// A summary rendered: text as written, quote references as links (or broken notes).
pub fn render_summary(project: &Project, text: &str, on_open: &Callback<(SourceId, Span)>) -> Html {
    let parts = summary_parts(text).into_iter().map(|part| match part {
        SummaryPart::Text(t) => html! { {t.to_string()} },
        SummaryPart::Quote(id) => quote_link(project, id, on_open),
    });
    html! { <>{for parts}</> }
}

fn quote_link(project: &Project, id: CodingId, on_open: &Callback<(SourceId, Span)>) -> Html {
    let Some(coding) = project.coding(id) else {
        return html! {
            <span class="quote-ref broken" role="note">{"Broken quote reference (coding removed)"}</span>
        };
    };
    let source = project
        .source(coding.source)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let words = first_words(project.coded_text(coding), QUOTE_WORDS);
    let (src, span) = (coding.source, coding.span);
    let onclick = {
        let on_open = on_open.clone();
        Callback::from(move |_: MouseEvent| on_open.emit((src, span)))
    };
    html! {
        <button class="quote-ref link" {onclick} title={format!("Open {source} at this passage")}>
            {format!("Open quote: {words} ({source})")}
        </button>
    }
}

/// The cell panel.
#[component]
pub fn CellPanel(props: &CellPanelProps) -> Html {
    let shown = use_state_eq(|| SEGMENT_PAGE);
    let editor = use_node_ref();
    // The caret (a byte offset in the summary) when the summary field last lost focus: where
    // quotes go.
    let caret = use_mut_ref(|| Cell::new(None::<usize>));
    let project = &props.project;
    // What the summary field's quote chips say (the same words as the preview's links).
    let chips = {
        let project = props.project.clone();
        use_memo(Rc::as_ptr(&props.project) as usize, move |_| {
            Chips(Rc::new(move |id: CodingId| {
                let coding = project.coding(id)?;
                let source = project
                    .source(coding.source)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                Some(format!(
                    "“{}” ({source})",
                    first_words(project.coded_text(coding), QUOTE_WORDS)
                ))
            }))
        })
    };
    let matrix = &props.matrix;
    let case = project.case(props.cell.case);
    let case_name = case.map(|c| c.name.clone()).unwrap_or_default();

    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                on_close.emit(());
            }
        })
    };
    // Remembered as the researcher types or moves the caret in the field (when a button is
    // pressed the selection may already have left it).
    let keep_caret = {
        let caret = caret.clone();
        move |e: &Event| {
            let field = e.target().and_then(|t| t.dyn_into::<Element>().ok());
            if let Some(field) =
                field.filter(|f| f.get_attribute("role").as_deref() == Some("textbox"))
            {
                if let Some(at) = summary_field::caret(&field) {
                    caret.borrow().set(Some(at));
                }
            }
        }
    };
    let onkeyup = {
        let keep = keep_caret.clone();
        Callback::from(move |e: KeyboardEvent| keep(&e))
    };
    let onmouseup = {
        let keep = keep_caret.clone();
        Callback::from(move |e: MouseEvent| keep(&e))
    };
    let oninput = Callback::from(move |e: InputEvent| keep_caret(&e));

    let (title, left, label, value, on_commit) = match props.cell.column {
        Column::Code(code_id) => {
            let code_name = project
                .code(code_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            let coded = props.shown.as_deref().unwrap_or(project);
            let segments = cell_segments(coded, matrix, props.cell.case, code_id);
            let total = segments.len();
            let insert = |id: CodingId| {
                let editor = editor.clone();
                let caret = caret.clone();
                let chips = (*chips).clone();
                let dispatch = props.dispatch.clone();
                let (matrix_id, case_id) = (matrix.id, props.cell.case);
                Callback::from(move |_: MouseEvent| {
                    let Some(field) = editor
                        .cast::<Element>()
                        .and_then(|e| e.query_selector("[role=textbox]").ok().flatten())
                        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                    else {
                        return;
                    };
                    let summary = summary_field::read(&field);
                    let at = caret.borrow().get().unwrap_or(summary.len());
                    let (text, after) = insert_token(&summary, at, &quote_token(id));
                    summary_field::write(&field, &text, &chips);
                    caret.borrow().set(Some(after));
                    let _ = field.focus();
                    summary_field::set_caret(&field, after);
                    dispatch.emit(Action::SetCellSummaries {
                        matrix: matrix_id,
                        summaries: vec![(case_id, code_id, text)],
                    });
                })
            };
            let items = segments.iter().take(*shown).map(|coding| {
                let source = project.source(coding.source);
                let source_name = source.map(|s| s.name.clone()).unwrap_or_default();
                let text: &str = source.map(|s| &*s.text).unwrap_or("");
                let coded = text.get(coding.span.start..coding.span.end).unwrap_or("");
                let look = project.code(coding.code);
                let color = look.map(|c| c.color.clone()).unwrap_or_default();
                let other_code = (coding.code != code_id).then(|| look.map(|c| c.name.clone()).unwrap_or_default());
                let open = {
                    let on_open = props.on_open.clone();
                    let (src, span) = (coding.source, coding.span);
                    Callback::from(move |_: MouseEvent| on_open.emit((src, span)))
                };
                html! {
                    <li class="cell-segment" key={coding.id.to_string()} style={format!("--code-color:{color}")}>
                        <div class="segment-meta">
                            <span class="segment-source">{source_name}</span>
                            if let Some(name) = other_code {
                                <span class="segment-code"><span class="swatch" style={format!("background:{color}")}></span>{name}</span>
                            }
                            if !coding.coder.is_empty() { <span class="segment-coder">{&coding.coder}</span> }
                        </div>
                        <p class="segment-text">
                            <span class="context">{context_before(text, coding.span.start, CONTEXT)}</span>
                            <mark class="coded-text">{coded}</mark>
                            <span class="context">{context_after(text, coding.span.end, CONTEXT)}</span>
                        </p>
                        <div class="segment-actions">
                            <button class="small" onclick={insert(coding.id)} title="Insert a reference to this quote at the caret of the summary">{"Insert quote"}</button>
                            <button class="small" onclick={open}>{"Open in source"}</button>
                        </div>
                    </li>
                }
            });
            let more = {
                let shown = shown.clone();
                Callback::from(move |_: MouseEvent| shown.set(*shown + SEGMENT_PAGE))
            };
            let left = html! {
                <section class="cell-segments" aria-label="Coded segments">
                    <h4>{plural(total, "coded segment", "coded segments")}</h4>
                    if total == 0 {
                        <p class="empty-state">{"No segments of this case are coded with this code."}</p>
                    } else {
                        <ol class="cell-segment-list">{for items}</ol>
                        if *shown < total {
                            <button onclick={more}>{format!("Show more ({} of {total} shown)", *shown)}</button>
                        }
                    }
                </section>
            };
            let on_commit = {
                let dispatch = props.dispatch.clone();
                let (matrix_id, case_id) = (matrix.id, props.cell.case);
                Callback::from(move |text: String| {
                    dispatch.emit(Action::SetCellSummaries {
                        matrix: matrix_id,
                        summaries: vec![(case_id, code_id, text)],
                    })
                })
            };
            (
                format!("{case_name} × {code_name}"),
                left,
                format!("Summary of {case_name} × {code_name}"),
                matrix.summary(props.cell.case, code_id).to_string(),
                on_commit,
            )
        }
        Column::CaseSummary => {
            let rows = matrix.columns.iter().filter_map(|code_id| {
                let code = project.code(*code_id)?;
                let summary = matrix.summary(props.cell.case, *code_id);
                Some(html! {
                    <li key={code_id.to_string()}>
                        <h5><span class="swatch" style={format!("background:{}", code.color)}></span>{&code.name}</h5>
                        if summary.trim().is_empty() {
                            <p class="muted">{"No summary yet."}</p>
                        } else {
                            <p class="summary-preview">{render_summary(project, summary, &props.on_open)}</p>
                        }
                    </li>
                })
            });
            let left = html! {
                <section class="cell-segments" aria-label="Cell summaries of this case">
                    <h4>{"Cell summaries"}</h4>
                    <ul class="row-summaries">{for rows}</ul>
                </section>
            };
            let on_commit = {
                let dispatch = props.dispatch.clone();
                let (matrix_id, case_id) = (matrix.id, props.cell.case);
                Callback::from(move |summary: String| {
                    dispatch.emit(Action::SetCaseSummary {
                        matrix: matrix_id,
                        case: case_id,
                        summary,
                    })
                })
            };
            (
                format!("{case_name} × Case summary"),
                left,
                format!("Case summary of {case_name}"),
                matrix
                    .case_summaries
                    .get(&props.cell.case)
                    .cloned()
                    .unwrap_or_default(),
                on_commit,
            )
        }
    };

    let broken = broken_references(project, &value).len();
    html! {
        <section class="cell-panel" aria-label={format!("Cell {title}")} {onkeydown}>
            <div class="cell-head">
                <h3>{&title}</h3>
                <button class="dialog-close" aria-label="Close cell" onclick={close}>{"×"}</button>
            </div>
            <div class="cell-body">
                {left}
                <section class="cell-summary" aria-label="Summary">
                    <div class="cell-editor" ref={editor} {onkeyup} {onmouseup} {oninput}>
                        <MemoEditor label={label} value={value.clone()} {on_commit} rows={7} chips={Some((*chips).clone())}
                            placeholder={Some(AttrValue::from("Condense what this case says here. “Insert quote” adds a link to a segment."))} />
                    </div>
                    <h4>{"Preview"}</h4>
                    if broken > 0 {
                        <p class="hint">{format!("{} to a segment whose coding was removed: the text is kept so you can replace it.", plural(broken, "quote reference points", "quote references point"))}</p>
                    }
                    <div class="summary-preview" aria-label="Summary preview">
                        if value.trim().is_empty() {
                            <span class="muted">{"Nothing written yet."}</span>
                        } else {
                            {render_summary(project, &value, &props.on_open)}
                        }
                    </div>
                </section>
            </div>
        </section>
    }
}
