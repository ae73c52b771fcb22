//! What a cell shows of its summary: the first characters, quote references as chips (broken
//! ones marked), and the same as words for the cell's accessible name; which codings still
//! exist is computed once per project value and matrix, and only when a summary quotes.

use crate::state::Shared;
use framewise_core::matrix::{summary_parts, Matrix, SummaryPart, QUOTE_OPEN};
use framewise_core::{CodingId, Project};
use std::collections::HashSet;
use std::rc::Rc;
use yew::prelude::*;

/// Characters of a summary shown in a cell.
const CELL_CHARS: usize = 140;

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
pub(super) fn summary_preview(text: &str, exists: &dyn Fn(CodingId) -> bool) -> (Html, String) {
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

/// Quote references in summaries: the codings that still exist, or `None` when no summary of
/// the matrix quotes (then every reference counts as existing).
#[hook]
pub(super) fn use_existing_codings(
    project: &Rc<Project>,
    matrix: &Shared<Matrix>,
) -> Rc<Option<HashSet<CodingId>>> {
    let project = project.clone();
    let matrix = matrix.clone();
    use_memo(
        (
            Rc::as_ptr(&project) as usize,
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
}
