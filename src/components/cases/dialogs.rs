//! The Cases view's small dialogs: add a case, cases from sources, link sources, rename an
//! attribute, and the confirmations of deleting a case or an attribute. [`render`] shows the one
//! open [`Dialog`].

use super::attribute::AttributeDialog;
use super::import::ImportDialog;
use super::sources::{FromSourcesDialog, SourcesDialog};
use super::{plural, Dialog};
use crate::components::dialog::Dialog as Modal;
use crate::state::{now, BrowserIds};
use framewise_core::case_table::{attribute_name_problem, duplicate_case_name};
use framewise_core::{Action, AttributeId, Case, CaseId, IdSource, Project};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Options of a case select: the top level, then cases in tree order, indented.
pub(super) fn case_options(
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

/// What [`render`] needs.
pub(super) struct DialogCtx<'a> {
    pub dialog: Dialog,
    pub project: &'a Rc<Project>,
    pub dispatch: &'a Callback<Action>,
    pub close: Callback<()>,
    pub want_case: &'a Rc<RefCell<Option<CaseId>>>,
}

/// The open dialog.
pub(super) fn render(ctx: DialogCtx) -> Html {
    let DialogCtx {
        dialog,
        project,
        dispatch,
        close,
        want_case,
    } = ctx;
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    match dialog {
        Dialog::AddCase { parent } => html! {
            <AddCaseDialog project={project.clone()} {parent} dispatch={dispatch.clone()}
                on_close={close} want_case={want_case.clone()} />
        },
        Dialog::FromSources => html! {
            <FromSourcesDialog project={project.clone()} dispatch={dispatch.clone()} on_close={close} />
        },
        Dialog::AddAttribute => html! {
            <AttributeDialog project={project.clone()} attribute={None::<AttributeId>} dispatch={dispatch.clone()} on_close={close} />
        },
        Dialog::AttributeType(id) => html! {
            <AttributeDialog project={project.clone()} attribute={Some(id)} dispatch={dispatch.clone()} on_close={close} />
        },
        Dialog::EditSources(id) => html! {
            <SourcesDialog project={project.clone()} case={id} dispatch={dispatch.clone()} on_close={close} />
        },
        Dialog::RenameAttribute(id) => html! {
            <RenameAttributeDialog project={project.clone()} attribute={id} dispatch={dispatch.clone()} on_close={close} />
        },
        Dialog::DeleteAttribute(id) => {
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
                <Modal title="Delete attribute" on_close={close}>
                    <p>{format!("Delete the attribute “{}” and its {}?", a.name, plural(n, "value", "values"))}</p>
                    <p>{"Matrices grouped or filtered by it lose that grouping or filter."}</p>
                    <p class="hint">{"You can undo this with Ctrl+Z."}</p>
                    <div class="dialog-actions">
                        <button class="danger" onclick={confirm}>{"Delete attribute"}</button>
                        <button onclick={cancel}>{"Cancel"}</button>
                    </div>
                </Modal>
            }
        }
        Dialog::Import(import) => html! {
            <ImportDialog {import} dispatch={dispatch.clone()} on_close={close} />
        },
        Dialog::DeleteCase(id) => {
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
                <Modal title="Delete case" on_close={close}>
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
                </Modal>
            }
        }
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
            let name = input_value(&field).trim().to_string();
            if let Some(message) = attribute_name_problem(&project, Some(id), &name) {
                error.set(Some(message));
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
        <Modal title="Rename attribute" on_close={props.on_close.clone()}>
            <form {onsubmit}>
                <label>{"Name"}<input type="text" ref={field} /></label>
                if let Some(e) = &*error { <p class="field-error" role="alert">{e}</p> }
                <div class="dialog-actions">
                    <button type="submit" class="primary">{"Rename"}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Modal>
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
    let rows = props.project.case_tree();
    let name_field = use_node_ref();
    let parent_field = use_node_ref();
    let onsubmit = {
        let project = props.project.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let error = error.clone();
        let want_case = props.want_case.clone();
        let (name_field, parent_field) = (name_field.clone(), parent_field.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = input_value(&name_field).trim().to_string();
            let parent_text = select_value(&parent_field);
            let parent = CaseId::parse(&parent_text).filter(|p| project.case(*p).is_some());
            if name.is_empty() {
                error.set(Some("The case needs a name.".into()));
                return;
            }
            if let Some(message) = duplicate_case_name(&project, parent, &name) {
                error.set(Some(message));
                return;
            }
            let case = Case {
                parent,
                ..Case::new(BrowserIds.case_id(), name, now())
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
        <Modal title="Add case" on_close={props.on_close.clone()}>
            <form {onsubmit}>
                <label>{"Name"}<input ref={name_field} type="text" autofocus=true placeholder="e.g. Northgate PCN, or P03" /></label>
                <label>
                    {"Sub-case of"}
                    <select ref={parent_field}>{case_options(&props.project, &rows, props.parent, "— none (a top-level case)")}</select>
                </label>
                if let Some(e) = &*error { <p class="field-error" role="alert">{e}</p> }
                <div class="dialog-actions">
                    <button type="submit" class="primary">{"Add case"}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Modal>
    }
}

/// The text of an input, read through its `NodeRef`.
pub(super) fn input_value(field: &NodeRef) -> String {
    field
        .cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The value of a select, read through its `NodeRef` (empty when it is not shown).
pub(super) fn select_value(field: &NodeRef) -> String {
    field
        .cast::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}
