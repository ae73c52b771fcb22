//! A large crosstab (`Shown::windowed`) on the page: the window asked for first, which rows and
//! columns are in view as it scrolls, asking the worker for the next window (one question at a
//! time, the written one kept until the new one comes), setting it with the focus kept, and
//! marking the open cell.

use super::{ask, Open};
use framewise_core::crosstab::{Choice, Percent};
use framewise_core::protocol::{Reply, TableAsk};
use framewise_core::Project;
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::{MouseEvent, TargetCast};

/// Body rows and columns of a large table (after the code column).
pub(super) type Window = (Range<usize>, Range<usize>);

/// A large table, written out a window at a time: its size, the height of its rows (rem) and
/// the window its first markup holds.
pub(super) struct Big {
    pub(super) size: (usize, usize),
    pub(super) row_rem: usize,
    pub(super) first: Window,
}

/// What the page has of the large table it shows: which table ([`Big`], by pointer), the
/// window written out, whether another is being asked for (and whether the view scrolled
/// meanwhile), and the open cell to mark in what comes.
#[derive(Default)]
pub(super) struct Pager {
    pub(super) table: Option<Rc<Big>>,
    pub(super) written: Option<Window>,
    pub(super) asking: bool,
    pub(super) again: bool,
    pub(super) open: Open,
    /// The timer after which the margin around the first window is asked for.
    pub(super) later: Option<gloo::timers::callback::Timeout>,
}

pub(super) type Paging = Rc<RefCell<Pager>>;

/// Rows and columns beyond those in view that a large table's written window must hold, or
/// [`page`] asks for another (so it asks before scrolling reaches the window's edge).
pub(super) const SLACK: (usize, usize) = (3, 1);
/// Rows and columns beyond those in view that [`page`] asks for.
pub(super) const MARGIN: (usize, usize) = (10, 4);
/// How long after the first window is set the [`MARGIN`] is asked for: its frame is painted by
/// then (writing the margin with it took as long again to lay out and paint).
pub(super) const MARGIN_AFTER_MS: u32 = 100;

/// The window of the table asked for first, before its container exists: from the top-left,
/// the rows and columns its container will show at the default font size (at most 65 % of the
/// page high, as wide as the view, `view`) and [`SLACK`]; the [`MARGIN`] is asked for once
/// this is painted ([`MARGIN_AFTER_MS`]).
pub(super) fn first_window(view: Option<Element>, choice: &Choice) -> TableAsk {
    use framewise_core::crosstab::{COLUMN_REM, NAME_REM, ROW_PCT_REM, ROW_REM};
    let px = |v: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>| {
        v.ok().and_then(|v| v.as_f64()).unwrap_or(1000.0)
    };
    let window = gloo::utils::window();
    let width = view
        .map(|v| f64::from(v.client_width()))
        .filter(|w| *w > 0.0)
        .unwrap_or_else(|| px(window.inner_width()));
    let row_rem = if !choice.cooccur && choice.percent != Percent::None {
        ROW_PCT_REM
    } else {
        ROW_REM
    };
    let rows =
        (0.65 * px(window.inner_height()) / (16 * row_rem) as f64).ceil() as usize + 1 + SLACK.0;
    let columns = ((width - (16 * NAME_REM) as f64).max(0.0) / (16 * COLUMN_REM) as f64).ceil()
        as usize
        + 1
        + SLACK.1;
    TableAsk::Shown {
        rows: [0, rows],
        columns: [0, columns],
    }
}

/// The body rows and columns of the large table `big` in view in the scrolled `grid`. The
/// table's rows and columns have fixed sizes (core `crosstab::ROW_REM`…), so the scroll position
/// says which are in view.
pub(super) fn in_view(grid: &Element, big: &Big) -> Window {
    use framewise_core::crosstab::{COLUMN_REM, NAME_REM};
    let (_, columns) = big.size;
    // Pixels per rem, from the table written (its width is set in rem).
    let width = grid
        .first_element_child()
        .and_then(|host| host.first_element_child())
        .map_or(0.0, |t| t.get_bounding_client_rect().width());
    let rem = if width > 0.0 {
        width / (NAME_REM + COLUMN_REM * columns) as f64
    } else {
        16.0
    };
    let (row, column) = (big.row_rem as f64 * rem, COLUMN_REM as f64 * rem);
    let top = (f64::from(grid.scroll_top()) - 3.5 * rem).max(0.0);
    let left = f64::from(grid.scroll_left());
    let seen = |from: f64, size: f64, step: f64| {
        let a = (from / step).floor() as usize;
        a..((from + size) / step).ceil() as usize + 1
    };
    (
        seen(top, f64::from(grid.client_height()), row),
        seen(
            left,
            f64::from(grid.client_width()) - NAME_REM as f64 * rem,
            column,
        ),
    )
}

/// Asks the worker for the window of the large table shown in `grid` (that `project` and
/// `choice` describe) now in view with a [`MARGIN`] around it, unless what is written already
/// covers what is in view and `ahead` (rows, columns) around it; one question at a time
/// (scrolling meanwhile asks again once it is answered). The window written stays until the
/// new one comes.
pub(super) fn page(
    grid: &Element,
    paging: &Paging,
    project: &Rc<Project>,
    choice: &Choice,
    ahead: (usize, usize),
) {
    let mut pager = paging.borrow_mut();
    let Some(big) = pager.table.clone() else {
        return;
    };
    let (rows, columns) = big.size;
    let (r, c) = in_view(grid, &big);
    let around = |seen: &Range<usize>, by: usize, all: usize| {
        seen.start.saturating_sub(by)..(seen.end + by).min(all)
    };
    let covered =
        |have: &Range<usize>, want: Range<usize>| have.start <= want.start && have.end >= want.end;
    if pager.written.as_ref().is_some_and(|(hr, hc)| {
        covered(hr, around(&r, ahead.0, rows)) && covered(hc, around(&c, ahead.1, columns))
    }) {
        return;
    }
    if pager.asking {
        pager.again = true;
        return;
    }
    pager.asking = true;
    drop(pager);
    let what = TableAsk::Shown {
        rows: [
            r.start.saturating_sub(MARGIN.0),
            (r.end + MARGIN.0).min(rows),
        ],
        columns: [
            c.start.saturating_sub(MARGIN.1),
            (c.end + MARGIN.1).min(columns),
        ],
    };
    let (grid, paging, project, choice) = (
        grid.clone(),
        paging.clone(),
        project.clone(),
        choice.clone(),
    );
    wasm_bindgen_futures::spawn_local(async move {
        let got = ask(&project, &choice, what).await;
        let mut pager = paging.borrow_mut();
        // Another table came meanwhile: this window is not of it.
        if !pager.table.as_ref().is_some_and(|t| Rc::ptr_eq(t, &big)) {
            return;
        }
        pager.asking = false;
        // An error keeps the window written; the next scroll asks again.
        if let Ok(Reply::Crosstab(part)) = got {
            if let Some([r0, r1, c0, c1]) = part.window {
                set_window(&grid, &part.markup);
                pager.written = Some((r0..r1, c0..c1));
                mark_open(&grid, pager.open);
            }
        }
        let again = std::mem::take(&mut pager.again);
        drop(pager);
        if again {
            page(&grid, &paging, &project, &choice, SLACK);
        }
    });
}

/// Sets `markup` (a window of a large table) in the scrolled `grid`; a focused cell keeps the
/// focus.
pub(super) fn set_window(grid: &Element, markup: &str) {
    let Some(host) = grid.first_element_child() else {
        return;
    };
    let focused = gloo::utils::document()
        .active_element()
        .filter(|e| host.contains(Some(e)))
        .and_then(|e| Some((e.get_attribute("data-r")?, e.get_attribute("data-c"))));
    host.set_inner_html(markup);
    if let Some((r, c)) = focused {
        let at = (
            r.parse().unwrap_or(usize::MAX),
            c.and_then(|c| c.parse().ok()),
        );
        if let Some(b) = cell_button(grid, at).and_then(|b| b.dyn_into::<HtmlElement>().ok()) {
            let _ = b.focus();
        }
    }
}

/// The open cell's button in the table under `grid` (the `data-` address the worker wrote).
pub(super) fn cell_button(grid: &Element, (r, c): (usize, Option<usize>)) -> Option<Element> {
    let selector = match c {
        Some(c) => format!("button[data-r='{r}'][data-c='{c}']"),
        None => format!("button[data-r='{r}']:not([data-c])"),
    };
    grid.query_selector(&selector).ok().flatten()
}

/// Marks `at` as the open cell of the table under `grid` (its button pressed, its cell
/// outlined), the one marked before no longer.
pub(super) fn mark_open(grid: &Element, at: Open) {
    if let Ok(Some(before)) = grid.query_selector("button[aria-pressed='true']") {
        let _ = before.set_attribute("aria-pressed", "false");
        if let Some(td) = before.parent_element() {
            let _ = td.class_list().remove_1("open");
        }
    }
    if let Some(button) = at.and_then(|at| cell_button(grid, at)) {
        let _ = button.set_attribute("aria-pressed", "true");
        if let Some(td) = button.parent_element() {
            let _ = td.class_list().add_1("open");
        }
    }
}

/// The address a clicked cell's button carries (`data-r`, `data-c`; no `data-c`: the row's
/// total).
pub(super) fn clicked_cell(e: &MouseEvent) -> Option<(usize, Option<usize>)> {
    let button = e
        .target_dyn_into::<Element>()?
        .closest("button[data-r]")
        .ok()??;
    let r = button.get_attribute("data-r")?.parse().ok()?;
    let c = match button.get_attribute("data-c") {
        Some(c) => Some(c.parse().ok()?),
        None => None,
    };
    Some((r, c))
}
