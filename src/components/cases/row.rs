//! One row of the case table: a component of its own, so moving the active cell re-renders two
//! rows, not the whole table.

use super::grid::cell_id;
use framewise_core::case_table::FIXED_COLUMNS;
use framewise_core::{Attribute, AttributeKind, Case, CaseId};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`CaseRow`].
#[derive(Properties, PartialEq)]
pub struct CaseRowProps {
    pub row: usize,
    pub case: Case,
    pub depth: usize,
    pub parent: AttrValue,
    pub sources: AttrValue,
    pub attributes: Rc<Vec<Attribute>>,
    /// The active column, on the active row only.
    pub active_col: Option<usize>,
    /// The column being edited and its editor, on that row only.
    pub editor: Option<(usize, Html)>,
    /// A column's error message, on that row only.
    pub error: Option<(usize, String)>,
    pub on_edit_sources: Callback<CaseId>,
}

/// One row of the case table. A component of its own, so moving the active cell re-renders
/// two rows, not the whole table.
#[component]
pub fn CaseRow(props: &CaseRowProps) -> Html {
    let r = props.row;
    let case = &props.case;
    let cell = |c: usize, content: Html, class: &'static str| -> Html {
        let is_active = props.active_col == Some(c);
        let editor = props
            .editor
            .as_ref()
            .filter(|(ec, _)| *ec == c)
            .map(|(_, h)| h.clone());
        let error = props
            .error
            .as_ref()
            .filter(|(ec, _)| *ec == c)
            .map(|(_, m)| m.clone());
        html! {
            <td role="gridcell" id={cell_id(r, c)} data-row={r.to_string()} data-col={c.to_string()}
                tabindex={if is_active { "0" } else { "-1" }}
                aria-selected={is_active.then_some("true")}
                aria-invalid={error.is_some().then_some("true")}
                class={classes!(class, is_active.then_some("active"), editor.is_some().then_some("editing"), error.is_some().then_some("invalid"))}>
                {editor.unwrap_or(content)}
                if let Some(message) = error {
                    <span class="cell-error" role="alert">{message}</span>
                }
            </td>
        }
    };
    let edit_sources = {
        let cb = props.on_edit_sources.clone();
        let id = case.id;
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(id);
        })
    };
    let depth = props.depth;
    let name = html! {
        <span class="case-name" style={format!("--depth:{depth}")}>
            if depth > 0 { <span class="subcase-mark" aria-hidden="true">{"↳ "}</span> }
            {&case.name}
        </span>
    };
    let sources = html! {
        <span class="case-sources">
            <span class="case-sources-names">{if props.sources.is_empty() { "—".into() } else { props.sources.clone() }}</span>
            <button class="small link-sources" tabindex="-1" onclick={edit_sources}
                aria-label={format!("Link sources to {}", case.name)}>{"Edit"}</button>
        </span>
    };
    let values = props.attributes.iter().enumerate().map(|(i, a)| {
        let v = case
            .values
            .get(&a.id)
            .map(|v| v.to_string())
            .unwrap_or_default();
        let class = if matches!(a.kind, AttributeKind::Number) {
            "num"
        } else {
            "val"
        };
        cell(FIXED_COLUMNS + i, html! { {v} }, class)
    });
    html! {
        <tr role="row" class={classes!(props.active_col.is_some().then_some("active-row"))}
            aria-rowindex={(r + 2).to_string()}>
            {cell(0, name, "name-cell")}
            {cell(1, html! { {props.parent.clone()} }, "parent-cell")}
            {cell(2, sources, "sources-cell")}
            {for values}
        </tr>
    }
}
