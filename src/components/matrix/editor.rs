//! The "New matrix" / "Edit matrix" dialog: name, columns (a checkbox code tree with an "all
//! children" shortcut per parent code, in the order ticked), rows (all cases, chosen cases, or
//! cases matching attribute filters) and grouping by an attribute.

use crate::components::dialog::Dialog;
use crate::state::Shared;
use framewise_core::matrix::{AttributeFilter, FilterOp, Matrix, RowSelection};
use framewise_core::{AttrValue, AttributeId, AttributeKind, CaseId, Code, CodeId, Project};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the dialog produces.
#[derive(Clone, PartialEq, Debug)]
pub struct MatrixSpec {
    /// Matrix name (trimmed, not empty).
    pub name: String,
    /// Codes as columns, in order.
    pub columns: Vec<CodeId>,
    /// Which cases are rows.
    pub rows: RowSelection,
    /// Grouping attribute.
    pub group_by: Option<AttributeId>,
}

/// Props of [`MatrixDialog`].
#[derive(Properties, PartialEq)]
pub struct MatrixDialogProps {
    /// The project (codes, cases, attributes).
    pub project: Rc<Project>,
    /// The matrix edited, or `None` for a new one.
    #[prop_or_default]
    pub existing: Option<Shared<Matrix>>,
    /// Save.
    pub on_save: Callback<MatrixSpec>,
    /// Close without saving.
    pub on_close: Callback<()>,
}

#[derive(Clone, Copy, PartialEq)]
enum RowMode {
    All,
    Chosen,
    Filter,
}

/// A change to one filter row, from the new value of one of its fields.
type FilterEdit = Rc<dyn Fn(&mut FilterDraft, String)>;

/// A filter row being edited.
#[derive(Clone, PartialEq)]
struct FilterDraft {
    attribute: Option<AttributeId>,
    op: FilterOp,
    value: String,
}

const OPS: [(FilterOp, &str, &str); 4] = [
    (FilterOp::Equals, "eq", "equals"),
    (FilterOp::NotEquals, "ne", "does not equal"),
    (FilterOp::Less, "lt", "is less than / before"),
    (FilterOp::Greater, "gt", "is greater than / after"),
];

/// Codes in tree order with their depth.
fn code_tree(project: &Project) -> Vec<(usize, &Code)> {
    project
        .code_tree()
        .into_iter()
        .filter_map(|(id, depth)| Some((depth, project.code(id)?)))
        .collect()
}

/// Cases in tree order with their depth.
fn case_tree(project: &Project) -> Vec<(usize, CaseId, String)> {
    project
        .case_tree()
        .into_iter()
        .filter_map(|(id, depth)| Some((depth, id, project.case(id)?.name.clone())))
        .collect()
}

/// The matrix dialog.
#[component]
pub fn MatrixDialog(props: &MatrixDialogProps) -> Html {
    let existing = props.existing.clone();
    let name = use_state(|| {
        existing
            .as_ref()
            .map(|m| m.name.clone())
            .unwrap_or_default()
    });
    let columns = use_state(|| {
        existing
            .as_ref()
            .map(|m| m.columns.clone())
            .unwrap_or_default()
    });
    let mode = use_state(|| match existing.as_ref().map(|m| &m.rows) {
        Some(RowSelection::Cases(_)) => RowMode::Chosen,
        Some(RowSelection::Filter(_)) => RowMode::Filter,
        _ => RowMode::All,
    });
    let chosen = use_state(|| match existing.as_ref().map(|m| &m.rows) {
        Some(RowSelection::Cases(list)) => list.clone(),
        _ => Vec::new(),
    });
    let filters = use_state(|| match existing.as_ref().map(|m| &m.rows) {
        Some(RowSelection::Filter(list)) => list
            .iter()
            .map(|f| FilterDraft {
                attribute: Some(f.attribute),
                op: f.op,
                value: f.value.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    });
    let group_by = use_state(|| existing.as_ref().and_then(|m| m.group_by));
    let error = use_state(|| None::<String>);
    let project = &props.project;
    let codes = code_tree(project);
    let cases = case_tree(project);

    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };

    // Columns.
    let toggle_code = |id: CodeId| {
        let columns = columns.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut list = (*columns).clone();
            list.retain(|c| *c != id);
            if on {
                list.push(id);
            }
            columns.set(list);
        })
    };
    let all_children = |id: CodeId| {
        let columns = columns.clone();
        let children: Vec<CodeId> = project.children(Some(id)).map(|c| c.id).collect();
        Callback::from(move |_: MouseEvent| {
            let mut list = (*columns).clone();
            for c in &children {
                if !list.contains(c) {
                    list.push(*c);
                }
            }
            columns.set(list);
        })
    };
    let code_items = codes.iter().map(|(depth, code)| {
        let checked = columns.contains(&code.id);
        let has_children = project.children(Some(code.id)).next().is_some();
        html! {
            <li class="mx-tree-item" style={format!("--depth:{depth}")} key={code.id.to_string()}>
                <label class="check">
                    <input type="checkbox" {checked} onchange={toggle_code(code.id)} />
                    <span class="swatch" style={format!("background:{}", code.color)}></span>
                    {&code.name}
                </label>
                if has_children {
                    <button type="button" class="small" aria-label={format!("All children of {}", code.name)}
                        onclick={all_children(code.id)}>{"All children"}</button>
                }
            </li>
        }
    });
    let clear_columns = {
        let columns = columns.clone();
        Callback::from(move |_: MouseEvent| columns.set(Vec::new()))
    };
    let order: Vec<String> = columns
        .iter()
        .filter_map(|id| project.code(*id).map(|c| c.name.clone()))
        .collect();

    // Rows.
    let set_mode = |m: RowMode| {
        let mode = mode.clone();
        Callback::from(move |_: Event| mode.set(m))
    };
    let toggle_case = |id: CaseId| {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut list = (*chosen).clone();
            list.retain(|c| *c != id);
            if on {
                list.push(id);
            }
            chosen.set(list);
        })
    };
    let case_items = cases.iter().map(|(depth, id, case_name)| {
        html! {
            <li class="mx-tree-item" style={format!("--depth:{depth}")} key={id.to_string()}>
                <label class="check">
                    <input type="checkbox" checked={chosen.contains(id)} onchange={toggle_case(*id)} />
                    {case_name}
                </label>
            </li>
        }
    });

    let edit_filter = |i: usize, f: FilterEdit| {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|s| s.value()))
                .unwrap_or_default();
            let mut list = (*filters).clone();
            if let Some(d) = list.get_mut(i) {
                f(d, value);
            }
            filters.set(list);
        })
    };
    let filter_rows = filters.iter().enumerate().map(|(i, draft)| {
        let kind = draft
            .attribute
            .and_then(|a| project.attribute(a))
            .map(|a| a.kind.clone());
        let on_attr = edit_filter(
            i,
            Rc::new(|d: &mut FilterDraft, v: String| {
                d.attribute = AttributeId::parse(&v);
                d.value.clear();
            }),
        );
        let on_op = edit_filter(
            i,
            Rc::new(|d: &mut FilterDraft, v: String| {
                if let Some((op, _, _)) = OPS.iter().find(|(_, key, _)| *key == v) {
                    d.op = *op;
                }
            }),
        );
        let on_value = edit_filter(i, Rc::new(|d: &mut FilterDraft, v: String| d.value = v));
        let remove = {
            let filters = filters.clone();
            Callback::from(move |_: MouseEvent| {
                let mut list = (*filters).clone();
                if i < list.len() {
                    list.remove(i);
                }
                filters.set(list);
            })
        };
        let value_field = match &kind {
            Some(AttributeKind::Category(values)) => html! {
                <select aria-label="Filter value" onchange={on_value}>
                    <option value="" selected={draft.value.is_empty()}>{"—"}</option>
                    {for values.iter().map(|v| html! {
                        <option value={v.clone()} selected={draft.value.eq_ignore_ascii_case(v)}>{v}</option>
                    })}
                </select>
            },
            Some(AttributeKind::YesNo) => html! {
                <select aria-label="Filter value" onchange={on_value}>
                    <option value="" selected={draft.value.is_empty()}>{"—"}</option>
                    <option value="yes" selected={draft.value == "yes"}>{"yes"}</option>
                    <option value="no" selected={draft.value == "no"}>{"no"}</option>
                </select>
            },
            _ => html! {
                <input type="text" aria-label="Filter value" value={draft.value.clone()} onchange={on_value} />
            },
        };
        html! {
            <li class="mx-filter" key={i}>
                <select aria-label="Filter attribute" onchange={on_attr}>
                    <option value="" selected={draft.attribute.is_none()}>{"Attribute…"}</option>
                    {for project.attributes.iter().map(|a| html! {
                        <option value={a.id.to_string()} selected={draft.attribute == Some(a.id)}>{&a.name}</option>
                    })}
                </select>
                <select aria-label="Filter operator" onchange={on_op}>
                    {for OPS.iter().map(|(op, key, label)| html! {
                        <option value={*key} selected={draft.op == *op}>{*label}</option>
                    })}
                </select>
                {value_field}
                <button type="button" class="small" aria-label={format!("Remove filter {}", i + 1)} onclick={remove}>{"×"}</button>
            </li>
        }
    });
    let add_filter = {
        let filters = filters.clone();
        let first = project.attributes.first().map(|a| a.id);
        Callback::from(move |_: MouseEvent| {
            let mut list = (*filters).clone();
            list.push(FilterDraft {
                attribute: first,
                op: FilterOp::Equals,
                value: String::new(),
            });
            filters.set(list);
        })
    };
    let on_group = {
        let group_by = group_by.clone();
        Callback::from(move |e: Event| {
            group_by.set(AttributeId::parse(
                &e.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };

    let onsubmit = {
        let (name, columns, mode, chosen, filters, group_by, error) = (
            name.clone(),
            columns.clone(),
            mode.clone(),
            chosen.clone(),
            filters.clone(),
            group_by.clone(),
            error.clone(),
        );
        let project = props.project.clone();
        let on_save = props.on_save.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let title = name.trim().to_string();
            if title.is_empty() {
                error.set(Some("Give the matrix a name.".into()));
                return;
            }
            if columns.is_empty() {
                error.set(Some("Choose at least one code as a column.".into()));
                return;
            }
            let rows = match *mode {
                RowMode::All => RowSelection::All,
                RowMode::Chosen => {
                    if chosen.is_empty() {
                        error.set(Some("Choose at least one case, or use all cases.".into()));
                        return;
                    }
                    // In the order of the case tree.
                    let order = case_tree(&project);
                    RowSelection::Cases(
                        order
                            .iter()
                            .map(|(_, id, _)| *id)
                            .filter(|id| chosen.contains(id))
                            .collect(),
                    )
                }
                RowMode::Filter => {
                    if filters.is_empty() {
                        error.set(Some("Add at least one filter, or use all cases.".into()));
                        return;
                    }
                    let mut list = Vec::new();
                    for (i, f) in filters.iter().enumerate() {
                        let Some(attr) = f.attribute.and_then(|a| project.attribute(a)) else {
                            error.set(Some(format!("Filter {}: choose an attribute.", i + 1)));
                            return;
                        };
                        match AttrValue::parse(&attr.kind, &f.value) {
                            Ok(Some(value)) => list.push(AttributeFilter {
                                attribute: attr.id,
                                op: f.op,
                                value,
                            }),
                            Ok(None) => {
                                error.set(Some(format!(
                                    "Filter {}: give a value for {}.",
                                    i + 1,
                                    attr.name
                                )));
                                return;
                            }
                            Err(problem) => {
                                error.set(Some(format!("Filter {}: {problem}.", i + 1)));
                                return;
                            }
                        }
                    }
                    RowSelection::Filter(list)
                }
            };
            error.set(None);
            on_save.emit(MatrixSpec {
                name: title,
                columns: (*columns).clone(),
                rows,
                group_by: *group_by,
            });
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let title = if existing.is_some() {
        "Edit matrix"
    } else {
        "New matrix"
    };

    html! {
        <Dialog {title} on_close={props.on_close.clone()} class={classes!("matrix-dialog")}>
            <form {onsubmit} novalidate=true>
                <label>{"Name"}
                    <input type="text" value={(*name).clone()} oninput={on_name} placeholder="e.g. Workforce by site" />
                </label>
                <div class="mx-dialog-columns">
                    <fieldset>
                        <legend>{"Columns (codes)"}</legend>
                        if codes.is_empty() {
                            <p class="empty-state">{"The codebook is empty: create codes first."}</p>
                        } else {
                            <ul class="mx-tree" aria-label="Codes">{for code_items}</ul>
                        }
                        <p class="hint">
                            if order.is_empty() {
                                {"No columns chosen. Tick codes; they become columns in the order ticked."}
                            } else {
                                {format!("Column order: {}", order.join(", "))}
                                {" "}<button type="button" class="small" onclick={clear_columns}>{"Clear"}</button>
                            }
                        </p>
                    </fieldset>
                    <fieldset>
                        <legend>{"Rows (cases)"}</legend>
                        <label class="check"><input type="radio" name="mx-rows" checked={*mode == RowMode::All} onchange={set_mode(RowMode::All)} />{format!("All cases ({})", project.cases.len())}</label>
                        <label class="check"><input type="radio" name="mx-rows" checked={*mode == RowMode::Chosen} onchange={set_mode(RowMode::Chosen)} />{"Chosen cases"}</label>
                        if *mode == RowMode::Chosen {
                            <ul class="mx-tree" aria-label="Cases">{for case_items}</ul>
                        }
                        <label class="check"><input type="radio" name="mx-rows" checked={*mode == RowMode::Filter} onchange={set_mode(RowMode::Filter)} disabled={project.attributes.is_empty()} />{"Cases matching filters"}</label>
                        if *mode == RowMode::Filter {
                            <ul class="mx-filters" aria-label="Filters">{for filter_rows}</ul>
                            <button type="button" class="small" onclick={add_filter}>{"Add filter"}</button>
                        }
                        <label>{"Group rows by"}
                            <select onchange={on_group} disabled={project.attributes.is_empty()}>
                                <option value="" selected={group_by.is_none()}>{"No grouping"}</option>
                                {for project.attributes.iter().map(|a| html! {
                                    <option value={a.id.to_string()} selected={*group_by == Some(a.id)}>{&a.name}</option>
                                })}
                            </select>
                        </label>
                    </fieldset>
                </div>
                if let Some(e) = &*error {
                    <p class="form-error" role="alert">{e}</p>
                }
                <div class="dialog-actions">
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                    <button type="submit" class="primary">{if existing.is_some() { "Save matrix" } else { "Create matrix" }}</button>
                </div>
            </form>
        </Dialog>
    }
}
