//! The matrix grid: an ARIA grid (a table) with a sticky header row and first column, group
//! header rows, a case summary last column, and cells showing a truncated summary, the segment
//! count and the charting state. Arrow keys move the active cell (roving tabindex), Enter opens
//! it. Only the rows near the viewport are rendered, so 100 cases × 40 codes stays light; clicks
//! and keys are handled once on the table (event delegation), not per cell.

use super::{CellRef, Column};
use crate::state::Shared;
use framewise_core::matrix::{
    summary_parts, CellState, Matrix, MatrixView, SummaryPart, NO_VALUE, QUOTE_OPEN,
};
use framewise_core::{CodeId, CodingId, MatrixId, Project};
use std::collections::HashSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// Height of a case row in pixels (the CSS gives rows exactly this height).
pub const ROW_HEIGHT: f64 = 64.0;
/// Height of a group header row in pixels.
pub const GROUP_HEIGHT: f64 = 32.0;
/// Grids with more lines than this render only the lines near the viewport.
const VIRTUAL_MIN: usize = 60;
/// Extra pixels rendered above and below the viewport.
const OVERSCAN: f64 = 384.0;
/// Scroll positions are rounded to this many pixels (fewer re-renders while scrolling).
const SCROLL_STEP: f64 = ROW_HEIGHT * 4.0;
/// Width of a code column in pixels (the CSS gives columns exactly this width).
pub const COL_WIDTH: f64 = 200.0;
/// Width of the sticky first column (case names) in pixels.
pub const ROWHEAD_WIDTH: f64 = 176.0;
/// Grids with more code columns than this render only the columns near the viewport.
const VIRTUAL_COLS_MIN: usize = 12;
/// Extra columns rendered left and right of the viewport.
const COL_OVERSCAN: usize = 1;
/// Horizontal scroll positions are rounded to this many pixels.
const SCROLL_STEP_X: f64 = COL_WIDTH * 2.0;
/// Characters of a summary shown in a cell.
const CELL_CHARS: usize = 140;

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

/// A line of the grid body.
#[derive(Clone, PartialEq)]
enum Line {
    /// A group header: label and number of rows.
    Group(String, usize),
    /// A case row: index into `view.rows`.
    Row(usize),
}

/// Lines, their tops and the total height.
struct Layout {
    lines: Vec<Line>,
    tops: Vec<f64>,
    height: f64,
    /// Line index of each row.
    line_of_row: Vec<usize>,
}

fn layout(view: &MatrixView, grouped: bool) -> Layout {
    let mut lines = Vec::with_capacity(view.rows.len() + 8);
    let mut line_of_row = Vec::with_capacity(view.rows.len());
    let mut current: Option<Option<&String>> = None;
    for (i, row) in view.rows.iter().enumerate() {
        if grouped && current != Some(row.group.as_ref()) {
            current = Some(row.group.as_ref());
            let count = view.rows[i..]
                .iter()
                .take_while(|r| r.group == row.group)
                .count();
            lines.push(Line::Group(row.group.clone().unwrap_or_default(), count));
        }
        line_of_row.push(lines.len());
        lines.push(Line::Row(i));
    }
    let mut tops = Vec::with_capacity(lines.len());
    let mut height = 0.0;
    for line in &lines {
        tops.push(height);
        height += match line {
            Line::Group(..) => GROUP_HEIGHT,
            Line::Row(_) => ROW_HEIGHT,
        };
    }
    Layout {
        lines,
        tops,
        height,
        line_of_row,
    }
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

/// A piece of a cell's summary as the cell shows it.
enum Piece {
    Text(String),
    /// A quote of a coding that exists, or (`false`) of one removed since.
    Quote(bool),
}

/// The first [`CELL_CHARS`] characters of a cell's summary, quotes as chips; `true` when cut.
fn preview_pieces(text: &str, exists: &dyn Fn(CodingId) -> bool) -> (Vec<Piece>, bool) {
    let mut left = CELL_CHARS;
    let mut out = Vec::new();
    for part in summary_parts(text) {
        if left == 0 {
            return (out, true);
        }
        match part {
            SummaryPart::Text(t) => {
                let n = t.chars().count();
                if n > left {
                    out.push(Piece::Text(t.chars().take(left).collect()));
                    return (out, true);
                }
                left -= n;
                out.push(Piece::Text(t.to_string()));
            }
            SummaryPart::Quote(id) => {
                left = left.saturating_sub(3);
                out.push(Piece::Quote(exists(id)));
            }
        }
    }
    (out, false)
}

/// A cell's summary preview, and the same as words for its accessible name: the name holds the
/// visible text in the same order (WCAG 2.5.3), chips read "(quote)" / "(broken quote)".
fn summary_preview(text: &str, exists: &dyn Fn(CodingId) -> bool) -> (Html, String) {
    let (pieces, cut) = preview_pieces(text, exists);
    let mut words = String::new();
    let shown = pieces.iter().map(|piece| match piece {
        Piece::Text(t) => {
            words.push_str(t);
            html! { {t.clone()} }
        }
        Piece::Quote(true) => {
            words.push_str(" (quote) ");
            html! { <span class="mx-chip" title="Quote">{"“…”"}</span> }
        }
        Piece::Quote(false) => {
            words.push_str(" (broken quote) ");
            html! { <span class="mx-chip broken" title="Broken quote reference (coding removed)">{"“×”"}</span> }
        }
    });
    let html = html! { <>{for shown}if cut { {"…"} }</> };
    if cut {
        words.push('…');
    }
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    (html, words)
}

/// The part of the grid in view, with scroll positions rounded (fewer re-renders).
#[derive(Clone, Copy, PartialEq, Debug)]
struct Viewport {
    top: f64,
    height: f64,
    left: f64,
    width: f64,
}

impl Viewport {
    /// Before the container is measured.
    const GUESS: Self = Self {
        top: 0.0,
        height: 900.0,
        left: 0.0,
        width: 1200.0,
    };

    /// The viewport of the scrolling container, its size at most the window's (a container that
    /// is not constrained by CSS reports the size of the whole table).
    fn of(el: &Element) -> Self {
        let window = web_sys::window();
        let size = |v: Option<f64>| v.unwrap_or(900.0).max(200.0);
        let win_h = size(
            window
                .as_ref()
                .and_then(|w| w.inner_height().ok()?.as_f64()),
        );
        let win_w = size(window.as_ref().and_then(|w| w.inner_width().ok()?.as_f64()));
        Self {
            top: (f64::from(el.scroll_top()) / SCROLL_STEP).floor() * SCROLL_STEP,
            height: f64::from(el.client_height()).clamp(200.0, win_h),
            left: (f64::from(el.scroll_left()) / SCROLL_STEP_X).floor() * SCROLL_STEP_X,
            width: f64::from(el.client_width()).clamp(200.0, win_w),
        }
    }
}

/// The cell (row, column) an event happened in, from the `data-r`/`data-c` attributes.
fn cell_at(target: Option<web_sys::EventTarget>) -> Option<(usize, usize)> {
    let el: Element = target?.dyn_into().ok()?;
    let cell = el.closest("[data-r]").ok()??;
    let r = cell.get_attribute("data-r")?.parse().ok()?;
    let c = cell.get_attribute("data-c")?.parse().ok()?;
    Some((r, c))
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
            layout(&view, grouped)
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
    let nrows = view.rows.len();
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
    let to_ref = {
        let view = view.clone();
        move |(r, c): (usize, usize)| -> Option<CellRef> {
            let case = view.rows.get(r)?.case;
            let column = if c >= ncols {
                Column::CaseSummary
            } else {
                Column::Code(view.columns.get(c)?.code)
            };
            Some(CellRef { case, column })
        }
    };

    // Keep keyboard focus on the active cell when the keyboard moves it (the cell that had focus
    // may have left the DOM when the rendered rows changed).
    let focus_wanted = use_mut_ref(|| false);
    {
        let container = container.clone();
        let focus_wanted = focus_wanted.clone();
        use_effect_with(active, move |active| {
            let Some((r, c)) = *active else { return };
            let Some(el) = container.cast::<Element>() else {
                return;
            };
            if !std::mem::take(&mut *focus_wanted.borrow_mut()) {
                return;
            }
            if let Some(cell) = el
                .query_selector(&format!("[data-r='{r}'][data-c='{c}']"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            {
                let _ = cell.focus();
            }
        });
    }

    {
        let container = container.clone();
        use_effect_with(*menu, move |menu| {
            if menu.is_some() {
                if let Some(item) = container
                    .cast::<Element>()
                    .and_then(|el| {
                        el.query_selector(".mx-col-menu button:not([disabled])")
                            .ok()
                            .flatten()
                    })
                    .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                {
                    let _ = item.focus();
                }
            }
        });
    }

    let onclick = {
        let on_open = props.on_open.clone();
        let to_ref = to_ref.clone();
        let menu = menu.clone();
        Callback::from(move |e: MouseEvent| {
            // A click anywhere else in the grid closes a column menu.
            menu.set(None);
            if let Some(cell) = cell_at(e.target()).and_then(&to_ref) {
                on_open.emit(cell);
            }
        })
    };
    let onkeydown = {
        let on_open = props.on_open.clone();
        let on_activate = props.on_activate.clone();
        let to_ref = to_ref.clone();
        let container = container.clone();
        let scroll = scroll.clone();
        let layout = layout.clone();
        let focus_wanted = focus_wanted.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some((r, c)) = cell_at(e.target()) else {
                return;
            };
            let last_row = nrows.saturating_sub(1);
            let ctrl = e.ctrl_key() || e.meta_key();
            let next = match e.key().as_str() {
                "ArrowUp" => (r.saturating_sub(1), c),
                "ArrowDown" => ((r + 1).min(last_row), c),
                "ArrowLeft" => (r, c.saturating_sub(1)),
                "ArrowRight" => (r, (c + 1).min(ncols)),
                "Home" if ctrl => (0, 0),
                "End" if ctrl => (last_row, ncols),
                "Home" => (r, 0),
                "End" => (r, ncols),
                "PageUp" => (r.saturating_sub(10), c),
                "PageDown" => ((r + 10).min(last_row), c),
                "Enter" | " " => {
                    e.prevent_default();
                    if let Some(cell) = to_ref((r, c)) {
                        on_open.emit(cell);
                    }
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            // Scroll the target cell into view first, so it is rendered when focus moves.
            if let (Some(el), Some(&line)) =
                (container.cast::<Element>(), layout.line_of_row.get(next.0))
            {
                let top = layout.tops.get(line).copied().unwrap_or(0.0);
                let head = 56.0;
                let mut port = Viewport::of(&el);
                let (view_top, view_left) =
                    (f64::from(el.scroll_top()), f64::from(el.scroll_left()));
                let wanted_top = if top < view_top {
                    Some(top)
                } else if top + ROW_HEIGHT + head > view_top + port.height {
                    Some(top + ROW_HEIGHT + head - port.height)
                } else {
                    None
                };
                // Column positions after the sticky first column.
                let left = next.1 as f64 * COL_WIDTH;
                let width = if next.1 >= ncols {
                    COL_WIDTH * 1.2
                } else {
                    COL_WIDTH
                };
                let room = port.width - ROWHEAD_WIDTH;
                let wanted_left = if left < view_left {
                    Some(left)
                } else if left + width > view_left + room {
                    Some(left + width - room)
                } else {
                    None
                };
                if let Some(t) = wanted_top {
                    let t = t.max(0.0);
                    el.set_scroll_top(t as i32);
                    port.top = (t / SCROLL_STEP).floor() * SCROLL_STEP;
                }
                if let Some(l) = wanted_left {
                    let l = l.max(0.0);
                    el.set_scroll_left(l as i32);
                    port.left = (l / SCROLL_STEP_X).floor() * SCROLL_STEP_X;
                }
                scroll.set(port);
            }
            if let Some(cell) = to_ref(next) {
                *focus_wanted.borrow_mut() = true;
                on_activate.emit(cell);
            }
        })
    };

    // Quote references in summaries: which codings still exist (only computed when needed).
    let existing = {
        let project = props.project.clone();
        let matrix = matrix.clone();
        use_memo(
            (
                Rc::as_ptr(&props.project) as usize,
                std::sync::Arc::as_ptr(&matrix.0) as usize,
            ),
            move |_| {
                let any = matrix
                    .cells
                    .values()
                    .flat_map(|r| r.values())
                    .chain(matrix.case_summaries.values())
                    .any(|s| s.contains(QUOTE_OPEN));
                any.then(|| {
                    project
                        .all_codings()
                        .map(|c| c.id)
                        .collect::<HashSet<CodingId>>()
                })
            },
        )
    };
    let exists = |id: CodingId| existing.as_ref().as_ref().is_none_or(|s| s.contains(&id));

    // Which lines to render.
    let (first, last) = if layout.lines.len() <= VIRTUAL_MIN {
        (0, layout.lines.len())
    } else {
        let Viewport { top, height, .. } = *scroll;
        let from = top - OVERSCAN;
        let to = top + height + SCROLL_STEP + OVERSCAN;
        let first = layout
            .tops
            .partition_point(|t| *t + ROW_HEIGHT < from)
            .min(layout.lines.len());
        let last = layout.tops.partition_point(|t| *t < to).max(first);
        (first, last)
    };
    let mut first = first;
    let mut last = last;
    // Keep the active row rendered (it holds the tab stop).
    if let Some(&line) = active.and_then(|(r, _)| layout.line_of_row.get(r)) {
        if line + 1 == first {
            first = line;
        } else if line == last {
            last = line + 1;
        }
    }
    // Which code columns to render.
    let (col_first, col_last) = if ncols <= VIRTUAL_COLS_MIN {
        (0, ncols)
    } else {
        let Viewport { left, width, .. } = *scroll;
        let from = (left / COL_WIDTH).floor() as usize;
        let to = ((left + width + SCROLL_STEP_X) / COL_WIDTH).ceil() as usize;
        let mut col_first = from.saturating_sub(COL_OVERSCAN).min(ncols);
        let mut col_last = (to + COL_OVERSCAN).clamp(col_first, ncols);
        // Keep the active column rendered.
        if let Some((_, c)) = active {
            if c < ncols {
                col_first = col_first.min(c);
                col_last = col_last.max(c + 1);
            }
        }
        (col_first, col_last)
    };
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

    let headers = view.columns.iter().enumerate().skip(col_first).take(col_last - col_first).map(|(c, col)| {
        let menu_open = *menu == Some(c);
        let toggle = {
            let menu = menu.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                menu.set(if menu_open { None } else { Some(c) });
            })
        };
        let reorder = |delta: isize| {
            let on_columns = props.on_columns.clone();
            let menu = menu.clone();
            let id = matrix.id;
            let columns: Vec<CodeId> = view.columns.iter().map(|c| c.code).collect();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                let mut columns = columns.clone();
                let to = c as isize + delta;
                if delta == 0 {
                    if c < columns.len() {
                        columns.remove(c);
                    }
                } else if to >= 0 && (to as usize) < columns.len() {
                    columns.swap(c, to as usize);
                } else {
                    return;
                }
                menu.set(None);
                on_columns.emit((id, columns));
            })
        };
        let menu_keys = {
            let menu = menu.clone();
            Callback::from(move |e: KeyboardEvent| {
                let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                    return;
                };
                let head = target.closest("th").ok().flatten();
                let focus = |selector: &str| {
                    if let Some(el) = head
                        .as_ref()
                        .and_then(|h| h.query_selector(selector).ok().flatten())
                        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                    {
                        let _ = el.focus();
                    }
                };
                match e.key().as_str() {
                    "Escape" => {
                        e.stop_propagation();
                        menu.set(None);
                        focus(".mx-colmenu-button");
                    }
                    "ArrowDown" | "ArrowUp" => {
                        e.prevent_default();
                        let Some(head) = &head else { return };
                        let Ok(list) = head.query_selector_all(".mx-col-menu button:not([disabled])")
                        else {
                            return;
                        };
                        let items: Vec<HtmlElement> = (0..list.length())
                            .filter_map(|i| list.get(i))
                            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
                            .collect();
                        let at = items.iter().position(|i| {
                            let node: &web_sys::Node = i;
                            let t: &web_sys::Node = &target;
                            node == t
                        });
                        let n = items.len();
                        if n == 0 {
                            return;
                        }
                        let next = match (at, e.key().as_str()) {
                            (Some(i), "ArrowDown") => (i + 1) % n,
                            (Some(i), _) => (i + n - 1) % n,
                            (None, _) => 0,
                        };
                        if let Some(item) = items.get(next) {
                            let _ = item.focus();
                        }
                    }
                    _ => {}
                }
            })
        };
        html! {
            <th role="columnheader" scope="col" class="mx-colhead" title={col.path.clone()} key={col.code.to_string()}
                style={format!("--code-color:{}", col.color)}>
                <div class="mx-colhead-inner">
                    <span class="swatch" style={format!("background:{}", col.color)}></span>
                    <span class="mx-colhead-name">{&col.name}</span>
                    <button class="mx-colmenu-button small" aria-label={format!("Column menu for {}", col.name)}
                        aria-haspopup="menu" aria-expanded={menu_open.to_string()} onclick={toggle}>{"⋯"}</button>
                </div>
                if menu_open {
                    <div class="mx-col-menu" role="menu" aria-label={format!("Column {}", col.name)} onkeydown={menu_keys}>
                        <button role="menuitem" disabled={c == 0} onclick={reorder(-1)}>{"Move left"}</button>
                        <button role="menuitem" disabled={c + 1 == ncols} onclick={reorder(1)}>{"Move right"}</button>
                        <button role="menuitem" class="danger" onclick={reorder(0)}>{"Remove column"}</button>
                    </div>
                }
            </th>
        }
    });

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
