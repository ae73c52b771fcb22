//! The search view's results, as the worker wrote them (core's `search::shown`: the counts per
//! source, the keyword-in-context lines in the order chosen, "Show more"; every text escaped).
//! The page puts the markup in as it is and reads what a click or a tick needs from the
//! elements' `data-` attributes with one delegated listener of each kind: a line's button opens
//! its passage, "Show more" asks for more lines, a tick box ticks its hit.

use framewise_core::{Project, SourceId, Span};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

/// Markup put in as it is: core's, with every text escaped.
pub(super) fn raw(markup: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(markup.to_string()))
}

/// A hit's place from an element's `data-s`, `data-a` and `data-b`.
fn place(element: &Element) -> Option<(SourceId, Span)> {
    let data = |k: &str| element.get_attribute(k);
    let source = SourceId::parse(&data("data-s")?)?;
    let start = data("data-a")?.parse().ok()?;
    let end = data("data-b")?.parse().ok()?;
    (start <= end).then(|| (source, Span::new(start, end)))
}

/// What a click in the results asks for.
pub(super) enum Click {
    /// Open this passage.
    Open(SourceId, Span),
    /// Draw more lines.
    More,
}

/// The click on the results' markup: a line's passage (while it still lies on its source's
/// characters: the project may have changed since the search) or "Show more".
pub(super) fn clicked(project: &Project, e: &MouseEvent) -> Option<Click> {
    let button = e.target_dyn_into::<Element>()?.closest("button").ok()??;
    if button.class_list().contains("search-more") {
        return Some(Click::More);
    }
    let (source, span) = place(&button)?;
    let text = &project.source(source)?.text;
    let fits = span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end);
    fits.then_some(Click::Open(source, span))
}

/// A tick box changed: the hit's number in document order, its place and whether it is ticked.
pub(super) fn ticked(e: &Event) -> Option<(usize, (SourceId, Span), bool)> {
    let input = e.target_dyn_into::<HtmlInputElement>()?;
    if !input.class_list().contains("search-tick") {
        return None;
    }
    let i = input.get_attribute("data-i")?.parse().ok()?;
    Some((i, place(&input)?, input.checked()))
}

/// Ticks the boxes under `found` of the hits in `ticked` and unticks the others.
pub(super) fn sync_ticks(found: &NodeRef, ticked: &BTreeMap<usize, (SourceId, Span)>) {
    let Some(boxes) = found
        .cast::<Element>()
        .and_then(|f| f.query_selector_all("input.search-tick").ok())
    else {
        return;
    };
    for n in 0..boxes.length() {
        let Some(input) = boxes
            .item(n)
            .and_then(|b| b.dyn_into::<HtmlInputElement>().ok())
        else {
            continue;
        };
        let i = input.get_attribute("data-i").and_then(|i| i.parse().ok());
        let on = i.is_some_and(|i: usize| ticked.contains_key(&i));
        if input.checked() != on {
            input.set_checked(on);
        }
    }
}

/// Focuses the button of line `n` (from 0) under `found`, if it is drawn; whether it was.
pub(super) fn focus_line(found: &NodeRef, n: usize) -> bool {
    let selector = format!(".search-hits > li:nth-child({}) .search-hit", n + 1);
    found
        .cast::<Element>()
        .and_then(|f| f.query_selector(&selector).ok().flatten())
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|b| b.focus().is_ok())
}
