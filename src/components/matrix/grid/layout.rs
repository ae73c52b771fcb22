//! The grid's virtual scrolling: the body's lines (group headers and case rows) with their tops,
//! the part of the grid in view, which lines and code columns to render, and scrolling a cell
//! into view. Rows and columns have fixed sizes (the CSS gives them exactly these), so positions
//! are computed, never measured.

use framewise_core::matrix::MatrixView;
use web_sys::Element;

/// Height of a case row in pixels (the CSS gives rows exactly this height).
pub(super) const ROW_HEIGHT: f64 = 64.0;
/// Height of a group header row in pixels.
const GROUP_HEIGHT: f64 = 32.0;
/// Grids with more lines than this render only the lines near the viewport.
const VIRTUAL_MIN: usize = 60;
/// Extra pixels rendered above and below the viewport.
const OVERSCAN: f64 = 384.0;
/// Scroll positions are rounded to this many pixels (fewer re-renders while scrolling).
const SCROLL_STEP: f64 = ROW_HEIGHT * 4.0;
/// Width of a code column in pixels (the CSS gives columns exactly this width).
pub(super) const COL_WIDTH: f64 = 200.0;
/// Width of the sticky first column (case names) in pixels.
const ROWHEAD_WIDTH: f64 = 176.0;
/// Grids with more code columns than this render only the columns near the viewport.
pub(super) const VIRTUAL_COLS_MIN: usize = 12;
/// Extra columns rendered left and right of the viewport.
const COL_OVERSCAN: usize = 1;
/// Horizontal scroll positions are rounded to this many pixels.
const SCROLL_STEP_X: f64 = COL_WIDTH * 2.0;

/// A line of the grid body.
#[derive(Clone, PartialEq)]
pub(super) enum Line {
    /// A group header: label and number of rows.
    Group(String, usize),
    /// A case row: index into `view.rows`.
    Row(usize),
}

/// Lines, their tops and the total height.
pub(super) struct Layout {
    pub(super) lines: Vec<Line>,
    pub(super) tops: Vec<f64>,
    pub(super) height: f64,
    /// Line index of each row.
    pub(super) line_of_row: Vec<usize>,
}

/// The body's lines: a group header before each group's rows when `grouped`.
pub(super) fn layout(view: &MatrixView, grouped: bool) -> Layout {
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

/// The part of the grid in view, with scroll positions rounded (fewer re-renders).
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) struct Viewport {
    top: f64,
    height: f64,
    left: f64,
    width: f64,
}

impl Viewport {
    /// Before the container is measured.
    pub(super) const GUESS: Self = Self {
        top: 0.0,
        height: 900.0,
        left: 0.0,
        width: 1200.0,
    };

    /// The viewport of the scrolling container, its size at most the window's (a container that
    /// is not constrained by CSS reports the size of the whole table).
    pub(super) fn of(el: &Element) -> Self {
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

    /// Scrolls the container `el` so that the cell (row, column) is in view (it is then
    /// rendered), and returns the viewport after the scroll.
    pub(super) fn reveal(
        el: &Element,
        layout: &Layout,
        next: (usize, usize),
        ncols: usize,
    ) -> Option<Self> {
        let &line = layout.line_of_row.get(next.0)?;
        let top = layout.tops.get(line).copied().unwrap_or(0.0);
        let head = 56.0;
        let mut port = Viewport::of(el);
        let (view_top, view_left) = (f64::from(el.scroll_top()), f64::from(el.scroll_left()));
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
        Some(port)
    }
}

/// Which lines to render, `first..last`: those near the viewport (all of a small grid), and
/// the line of the active row, which holds the tab stop.
pub(super) fn lines_in_view(
    layout: &Layout,
    scroll: Viewport,
    active: Option<(usize, usize)>,
) -> (usize, usize) {
    let (first, last) = if layout.lines.len() <= VIRTUAL_MIN {
        (0, layout.lines.len())
    } else {
        let Viewport { top, height, .. } = scroll;
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
    (first, last)
}

/// Which code columns to render, `first..last` of `ncols`: those near the viewport (all of a
/// narrow grid), and the active column.
pub(super) fn columns_in_view(
    ncols: usize,
    scroll: Viewport,
    active: Option<(usize, usize)>,
) -> (usize, usize) {
    if ncols <= VIRTUAL_COLS_MIN {
        (0, ncols)
    } else {
        let Viewport { left, width, .. } = scroll;
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
    }
}
