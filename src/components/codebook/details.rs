//! The details editor of the selected code: rename, recolour, describe, deductive/inductive,
//! memo, move, merge (asks the panel to confirm) and delete (asks too).

use super::counts_text;
use crate::components::memo::MemoEditor;
use crate::components::picker::tree_order;
use framewise_core::code_tree::can_move;
use framewise_core::{Action, Code, CodeCounts, CodeId, CodeOrigin, Project};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`CodeDetails`].
#[derive(Properties, PartialEq)]
pub(super) struct CodeDetailsProps {
    pub project: Rc<Project>,
    pub code: CodeId,
    pub counts: CodeCounts,
    pub dispatch: Callback<Action>,
    pub on_retrieve: Callback<CodeId>,
    pub on_ask_delete: Callback<CodeId>,
    pub on_ask_merge: Callback<CodeId>,
}

/// The details editor of the selected code. Keyed by the code's id, so its fields start fresh
/// for every code.
#[component]
pub(super) fn CodeDetails(props: &CodeDetailsProps) -> Html {
    let merge_into = use_state_eq(|| None::<CodeId>);
    // Latest project for callbacks that run after a re-render.
    let project_ref = use_mut_ref(|| props.project.clone());
    *project_ref.borrow_mut() = props.project.clone();
    // The name being typed: Yew re-applies `value` on every render, so the field shows this draft
    // until it is committed, else a re-render (a save status, a count) would wipe the typing.
    let name_draft = use_state(|| None::<String>);
    let project = &props.project;
    let Some(code) = project.code(props.code) else {
        return Html::default();
    };
    let id = code.id;

    let on_name_input = {
        let name_draft = name_draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            name_draft.set(Some(input.value()));
        })
    };
    let on_rename = {
        let dispatch = props.dispatch.clone();
        let project_ref = project_ref.clone();
        let name_draft = name_draft.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            name_draft.set(None);
            let name = input.value().trim().to_string();
            let current = current_code(&project_ref, id);
            let Some(current) = current else { return };
            if name.is_empty() {
                input.set_value(&current.name);
            } else if name != current.name {
                dispatch.emit(Action::RenameCode { id, name });
            }
        })
    };
    let on_name_key = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Enter" {
            // Commit (the change event follows the blur).
            let input: HtmlInputElement = e.target_unchecked_into();
            let _ = input.blur();
        }
    });
    let on_color = {
        let dispatch = props.dispatch.clone();
        let project_ref = project_ref.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let color = input.value();
            if current_code(&project_ref, id).is_some_and(|c| c.color != color) {
                dispatch.emit(Action::RecolorCode { id, color });
            }
        })
    };
    let on_describe = {
        let dispatch = props.dispatch.clone();
        let project_ref = project_ref.clone();
        Callback::from(move |e: FocusEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let description = area.value();
            if current_code(&project_ref, id).is_some_and(|c| c.description != description) {
                dispatch.emit(Action::DescribeCode { id, description });
            }
        })
    };
    let on_origin = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let origin = if select.value() == "deductive" {
                CodeOrigin::Deductive
            } else {
                CodeOrigin::Inductive
            };
            dispatch.emit(Action::SetCodeOrigin { id, origin });
        })
    };
    let on_memo = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |memo: String| dispatch.emit(Action::SetCodeMemo { id, memo }))
    };
    let on_move = {
        let dispatch = props.dispatch.clone();
        let project_ref = project_ref.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let parent = if value.is_empty() {
                None
            } else {
                CodeId::parse(&value)
            };
            if !value.is_empty() && parent.is_none() {
                return;
            }
            let project = project_ref.borrow().clone();
            if can_move(&project, id, parent) {
                dispatch.emit(Action::MoveCode {
                    id,
                    parent,
                    before: None,
                });
            }
        })
    };
    let on_merge_choice = {
        let merge_into = merge_into.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            merge_into.set(CodeId::parse(&select.value()));
        })
    };
    let ask_merge = {
        let on_ask_merge = props.on_ask_merge.clone();
        let merge_into = merge_into.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(into) = *merge_into {
                on_ask_merge.emit(into);
            }
        })
    };
    let ask_delete = {
        let cb = props.on_ask_delete.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };
    let retrieve = {
        let cb = props.on_retrieve.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };

    let own = project.descendants_and_self(id);
    let order = tree_order(project);
    let parent_options = order.iter().filter(|c| !own.contains(c)).map(|c| {
        html! {
            <option value={c.to_string()} selected={code.parent == Some(*c)}>{project.code_path(*c)}</option>
        }
    });
    let merge_target = merge_into.filter(|m| *m != id && project.code(*m).is_some());
    let merge_options = order.iter().filter(|c| **c != id).map(|c| {
        html! {
            <option value={c.to_string()} selected={merge_target == Some(*c)}>{project.code_path(*c)}</option>
        }
    });
    let deductive = code.origin == CodeOrigin::Deductive;
    html! {
        <section class="code-details" aria-label={format!("Code {}", code.name)}>
            <h3><span class="swatch" style={format!("background:{}", code.color)}></span>{&code.name}</h3>
            <p class="code-details-counts">{counts_text(props.counts)}</p>
            <div class="code-details-actions">
                <button class="small" onclick={retrieve}>{"Retrieve segments"}</button>
            </div>
            <label>
                {"Name"}
                <input type="text" value={(*name_draft).clone().unwrap_or_else(|| code.name.clone())} oninput={on_name_input} onchange={on_rename} onkeydown={on_name_key} />
            </label>
            <label class="inline">
                {"Colour"}
                <input type="color" value={code.color.clone()} onchange={on_color} />
            </label>
            <label>
                {"Description (definition, inclusion criteria)"}
                <textarea rows="3" value={code.description.clone()} onblur={on_describe} />
            </label>
            <label>
                {"Type"}
                <select onchange={on_origin}>
                    <option value="deductive" selected={deductive}>{"Deductive (from the framework)"}</option>
                    <option value="inductive" selected={!deductive}>{"Inductive (emerged from the data)"}</option>
                </select>
            </label>
            <MemoEditor label={format!("Memo on {}", code.name)} value={code.memo.clone()} on_commit={on_memo} rows={3} />
            <label>
                {"Move under…"}
                <select onchange={on_move}>
                    <option value="" selected={code.parent.is_none()}>{"Top level"}</option>
                    {for parent_options}
                </select>
            </label>
            <div class="merge-row">
                <label>
                    {"Merge into…"}
                    <select onchange={on_merge_choice}>
                        <option value="" selected={merge_target.is_none()}>{"Choose a code"}</option>
                        {for merge_options}
                    </select>
                </label>
                <button class="small" disabled={merge_target.is_none()} onclick={ask_merge}>{"Merge…"}</button>
            </div>
            <div class="code-details-actions">
                <button class="small danger" onclick={ask_delete}>{"Delete…"}</button>
            </div>
        </section>
    }
}

fn current_code(project: &Rc<RefCell<Rc<Project>>>, id: CodeId) -> Option<Code> {
    project.borrow().code(id).cloned()
}
