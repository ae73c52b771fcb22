//! The grid's keyboard and the cell an event happened in: arrow keys, Home/End (Ctrl for the
//! grid's corners) and PageUp/PageDown move the active cell (roving tabindex), scrolling it into
//! view first so it is rendered when focus moves; Enter or Space opens it.

use super::layout::{Layout, Viewport};
use crate::components::matrix::{CellRef, Column};
use framewise_core::matrix::MatrixView;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// The cell (row, column) an event happened in, from the `data-r`/`data-c` attributes.
pub(super) fn cell_at(target: Option<web_sys::EventTarget>) -> Option<(usize, usize)> {
    let el: Element = target?.dyn_into().ok()?;
    let cell = el.closest("[data-r]").ok()??;
    let r = cell.get_attribute("data-r")?.parse().ok()?;
    let c = cell.get_attribute("data-c")?.parse().ok()?;
    Some((r, c))
}

/// The cell at (row, column) of `view`; the column after the last code is the case summary.
pub(super) fn cell_ref(view: &MatrixView, (r, c): (usize, usize)) -> Option<CellRef> {
    let case = view.rows.get(r)?.case;
    let column = if c >= view.columns.len() {
        Column::CaseSummary
    } else {
        Column::Code(view.columns.get(c)?.code)
    };
    Some(CellRef { case, column })
}

/// Keeps keyboard focus on the active cell when the keyboard moves it (the cell that had focus
/// may have left the DOM when the rendered rows changed): the keyboard sets the flag returned,
/// and the cell at `active` in `container` is focused after the render.
#[hook]
pub(super) fn use_focus_active(
    container: &NodeRef,
    active: Option<(usize, usize)>,
) -> Rc<RefCell<bool>> {
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
    focus_wanted
}

/// The grid's keydown (handled once on the table): moves the active cell or opens it.
pub(super) fn keydown(
    view: Rc<MatrixView>,
    on_open: Callback<CellRef>,
    on_activate: Callback<CellRef>,
    container: NodeRef,
    scroll: UseStateHandle<Viewport>,
    layout: Rc<Layout>,
    focus_wanted: Rc<RefCell<bool>>,
) -> Callback<KeyboardEvent> {
    let ncols = view.columns.len();
    let nrows = view.rows.len();
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
                if let Some(cell) = cell_ref(&view, (r, c)) {
                    on_open.emit(cell);
                }
                return;
            }
            _ => return,
        };
        e.prevent_default();
        // Scroll the target cell into view first, so it is rendered when focus moves.
        if let Some(port) = container
            .cast::<Element>()
            .and_then(|el| Viewport::reveal(&el, &layout, next, ncols))
        {
            scroll.set(port);
        }
        if let Some(cell) = cell_ref(&view, next) {
            *focus_wanted.borrow_mut() = true;
            on_activate.emit(cell);
        }
    })
}
