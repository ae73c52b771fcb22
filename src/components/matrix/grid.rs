//! The matrix grid: an ARIA grid (a table) with a sticky header row and first column, group
//! header rows, a case summary last column, and cells showing a truncated summary, the segment
//! count and the charting state. Arrow keys move the active cell (roving tabindex), Enter opens
//! it. Only the rows near the viewport are rendered, so 100 cases × 40 codes stays light; clicks
//! and keys are handled once on the table (event delegation), not per cell.
//!
//! By concern: `layout.rs` (virtual scrolling: lines, tops, the part in view), `preview.rs` (a
//! cell's summary preview), `header.rs` (column headers and their menus), `keys.rs` (the
//! keyboard, and the cell an event happened in).

mod header;
mod keys;
mod layout;
mod preview;

use super::{CellRef, Column};
use crate::state::Shared;
use framewise_core::matrix::{CellState, Matrix, MatrixView, NO_VALUE};
use framewise_core::{CodeId, CodingId, MatrixId, Project};
use layout::{Line, Viewport, COL_WIDTH, VIRTUAL_COLS_MIN};
use preview::summary_preview;
use std::rc::Rc;
use web_sys::Element;
use yew::prelude::*;

/// Props of [`MatrixGrid`].
#[derive(Properties, PartialEq)]
pub struct MatrixGridProps {
    /// The project (for quote references and group names).
    pub project: Rc<Project>,
    /// The matrix shown.
    pub matrix: Shared<Matrix>,
    /// Its rows, columns and cells (from `build_view`).
    pub view: Rc<MatrixView>,
    /// The active cell (roving tabindex).
    #[prop_or_default]
    pub active: Option<CellRef>,
    /// The cell open in the cell panel.
    #[prop_or_default]
    pub open: Option<CellRef>,
    /// A cell became active (arrow keys).
    pub on_activate: Callback<CellRef>,
    /// A cell was opened (Enter or click).
    pub on_open: Callback<CellRef>,
    /// New column order (move left/right, remove).
    pub on_columns: Callback<(MatrixId, Vec<CodeId>)>,
}

/// Words for a cell's state (screen readers and tooltips).
pub fn state_words(state: CellState) -> &'static str {
    match state {
        CellState::Empty => "empty",
        CellState::DataNoSummary => "not summarised",
        CellState::Summarised => "summarised",
        CellState::SummaryNoData => "summary, but no coded segments left",
    }
}

fn state_class(state: CellState) -> &'static str {
    match state {
        CellState::Empty => "state-empty",
        CellState::DataNoSummary => "state-data",
        CellState::Summarised => "state-summarised",
        CellState::SummaryNoData => "state-orphan",
    }
}

/// The matrix grid.
#[component]
pub fn MatrixGrid(props: &MatrixGridProps) -> Html {
    let view = props.view.clone();
    let matrix = props.matrix.clone();
    let container = use_node_ref();
    let menu = use_state_eq(|| None::<usize>);
    let grouped = matrix.group_by.is_some();
    let layout = {
        let view = view.clone();
        use_memo((Rc::as_ptr(&view) as usize, grouped), move |_| {
            layout::layout(&view, grouped)
        })
    };
    let scroll = use_state_eq(|| Viewport::GUESS);
    {
        let container = container.clone();
        let scroll = scroll.clone();
        use_effect_with((), move |_| {
            if let Some(el) = container.cast::<Element>() {
                scroll.set(Viewport::of(&el));
            }
        });
    }
    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            scroll.set(Viewport::of(&el));
        })
    };

    let ncols = view.columns.len();
    let index_of = |cell: Option<CellRef>| -> Option<(usize, usize)> {
        let cell = cell?;
        let r = view.rows.iter().position(|row| row.case == cell.case)?;
        let c = match cell.column {
            Column::Code(code) => view.columns.iter().position(|col| col.code == code)?,
            Column::CaseSummary => ncols,
        };
        Some((r, c))
    };
    let active = index_of(props.active);
    let open = index_of(props.open);

    let focus_wanted = keys::use_focus_active(&container, active);
    header::use_menu_focus(&container, *menu);

    let onclick = {
        let on_open = props.on_open.clone();
        let view = view.clone();
        let menu = menu.clone();
        Callback::from(move |e: MouseEvent| {
            // A click anywhere else in the grid closes a column menu.
            menu.set(None);
            if let Some(cell) = keys::cell_at(e.target()).and_then(|at| keys::cell_ref(&view, at)) {
                on_open.emit(cell);
            }
        })
    };
    let onkeydown = keys::keydown(
        view.clone(),
        props.on_open.clone(),
        props.on_activate.clone(),
        container.clone(),
        scroll.clone(),
        layout.clone(),
        focus_wanted,
    );

    // Quote references in summaries: which codings still exist (only computed when needed).
    let existing = preview::use_existing_codings(&props.project, &matrix);
    let exists = |id: CodingId| existing.as_ref().as_ref().is_none_or(|s| s.contains(&id));

    // Which lines and code columns to render.
    let (first, last) = layout::lines_in_view(&layout, *scroll, active);
    let (col_first, col_last) = layout::columns_in_view(ncols, *scroll, active);
    let virtual_cols = ncols > VIRTUAL_COLS_MIN;
    let left_pad = col_first as f64 * COL_WIDTH;
    let right_pad = (ncols - col_last) as f64 * COL_WIDTH;
    let hspacer = |width: f64| -> Html {
        if width > 0.0 {
            html! { <td class="mx-hspacer" aria-hidden="true" style={format!("width:{width}px;min-width:{width}px;max-width:{width}px")}></td> }
        } else {
            Html::default()
        }
    };
    let top_pad = layout.tops.get(first).copied().unwrap_or(0.0);
    let bottom_pad = layout.height - layout.tops.get(last).copied().unwrap_or(layout.height);
    let span = ncols + 2;
    let rendered_span =
        (col_last - col_first) + 2 + usize::from(left_pad > 0.0) + usize::from(right_pad > 0.0);
    let tab_stop = active.unwrap_or((0, 0));

    let body = layout.lines[first..last].iter().enumerate().map(|(k, line)| {
        let aria_row = (first + k + 2).to_string();
        match line {
            Line::Group(label, count) => {
                let label = if label.is_empty() { NO_VALUE } else { label.as_str() };
                html! {
                    <tr role="row" class="mx-group" aria-rowindex={aria_row} key={format!("g{}", first + k)}>
                        <th role="rowheader" scope="rowgroup" colspan={rendered_span.to_string()}>
                            <span class="mx-group-label">{label}<span class="muted">{format!(" · {}", super::plural(*count, "case", "cases"))}</span></span>
                        </th>
                    </tr>
                }
            }
            Line::Row(r) => {
                let r = *r;
                let Some(row) = view.rows.get(r) else { return Html::default() };
                let cells = view.cells.get(r);
                let code_cells = view.columns.iter().enumerate().skip(col_first).take(col_last - col_first).map(|(c, col)| {
                    let cell = cells.and_then(|x| x.get(c));
                    let (n, state, broken) = cell.map(|x| (x.segments, x.state, x.broken)).unwrap_or((0, CellState::Empty, 0));
                    let summary = matrix.summary(row.case, col.code);
                    let preview = (!summary.is_empty()).then(|| summary_preview(summary, &exists));
                    let mut label = format!(
                        "{} × {}: {}, {}",
                        row.name,
                        col.name,
                        super::plural(n, "segment", "segments"),
                        state_words(state)
                    );
                    if let Some((_, words)) = &preview {
                        label.push_str(": ");
                        label.push_str(words);
                    }
                    let description = (broken > 0).then(|| super::plural(broken, "broken quote", "broken quotes"));
                    let is_active = (r, c) == tab_stop;
                    html! {
                        <td role="gridcell" key={col.code.to_string()} data-r={r.to_string()} data-c={c.to_string()}
                            aria-colindex={virtual_cols.then(|| (c + 2).to_string())}
                            class={classes!("mx-cell", state_class(state), (active == Some((r, c))).then_some("active"), (open == Some((r, c))).then_some("open"))}
                            tabindex={if is_active { "0" } else { "-1" }}
                            aria-label={label}
                            aria-description={description}
                            aria-selected={(open == Some((r, c))).then_some("true")}>
                            <div class="mx-cell-body">
                                // The count is drawn by CSS (`data-count`): the cell's visible
                                // text is its summary, which its name ends with (WCAG 2.5.3).
                                if n > 0 || state == CellState::SummaryNoData { <span class="mx-count" aria-hidden="true" data-count={framewise_core::words::thousands(n)}></span> }
                                if let Some((shown, _)) = preview { <span class="mx-summary">{shown}</span> }
                            </div>
                        </td>
                    }
                });
                let case_summary = matrix.case_summaries.get(&row.case).map(String::as_str).unwrap_or("");
                let written = !case_summary.trim().is_empty();
                let case_preview = written.then(|| summary_preview(case_summary, &exists));
                let case_label = match &case_preview {
                    Some((_, words)) => format!("{} × Case summary: written: {words}", row.name),
                    None => format!("{} × Case summary: empty", row.name),
                };
                let is_active = (r, ncols) == tab_stop;
                html! {
                    <tr role="row" class="mx-row" aria-rowindex={aria_row} key={row.case.to_string()}>
                        <th role="rowheader" scope="row" class="mx-rowhead" style={format!("--depth:{}", row.depth)} title={row.name.clone()}>
                            <span class="mx-rowhead-name">{&row.name}</span>
                        </th>
                        {hspacer(left_pad)}
                        {for code_cells}
                        {hspacer(right_pad)}
                        <td role="gridcell" data-r={r.to_string()} data-c={ncols.to_string()}
                            aria-colindex={virtual_cols.then(|| span.to_string())}
                            class={classes!("mx-cell", "mx-case-summary", if written { "state-summarised" } else { "state-empty" }, (active == Some((r, ncols))).then_some("active"), (open == Some((r, ncols))).then_some("open"))}
                            tabindex={if is_active { "0" } else { "-1" }}
                            aria-label={case_label}
                            aria-selected={(open == Some((r, ncols))).then_some("true")}>
                            <div class="mx-cell-body">
                                if let Some((shown, _)) = case_preview { <span class="mx-summary">{shown}</span> }
                            </div>
                        </td>
                    </tr>
                }
            }
        }
    });

    let headers = (col_first..col_last)
        .map(|c| header::column_header(&view, c, &menu, matrix.id, &props.on_columns));

    html! {
        <div class="matrix-grid-wrap" ref={container} {onscroll}>
            <table class="matrix-grid" role="grid" aria-label={format!("Framework matrix {}", matrix.name)}
                aria-rowcount={(layout.lines.len() + 1).to_string()} aria-colcount={span.to_string()}
                style={format!("--cols:{ncols}")}
                {onclick} {onkeydown}>
                <thead>
                    <tr role="row" aria-rowindex="1">
                        <th role="columnheader" scope="col" class="mx-corner">{"Case"}</th>
                        if left_pad > 0.0 {
                            <th class="mx-hspacer" aria-hidden="true" style={format!("width:{left_pad}px;min-width:{left_pad}px;max-width:{left_pad}px")}></th>
                        }
                        {for headers}
                        if right_pad > 0.0 {
                            <th class="mx-hspacer" aria-hidden="true" style={format!("width:{right_pad}px;min-width:{right_pad}px;max-width:{right_pad}px")}></th>
                        }
                        <th role="columnheader" scope="col" class="mx-colhead mx-case-summary-head">{"Case summary"}</th>
                    </tr>
                </thead>
                <tbody>
                    if top_pad > 0.0 {
                        <tr class="mx-spacer" aria-hidden="true" key="top-pad"><td colspan={rendered_span.to_string()} style={format!("height:{top_pad}px")}></td></tr>
                    }
                    {for body}
                    if bottom_pad > 0.0 {
                        <tr class="mx-spacer" aria-hidden="true" key="bottom-pad"><td colspan={rendered_span.to_string()} style={format!("height:{bottom_pad}px")}></td></tr>
                    }
                </tbody>
            </table>
        </div>
    }
}
