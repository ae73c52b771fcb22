//! Issue 9 (defects of the coding flow): removing a coding that a summary quotes. Where it is
//! quoted is found before removing (to warn); afterwards the cell says "summary, no data" and
//! counts the broken quote instead of looking summarised; one undo brings it all back.
#![allow(clippy::unwrap_used)]

mod common;

use common::{chart, coding};
use framewise_core::matrix::{build_view, cell_state, quote_token, summaries_quoting, CellState};
use framewise_core::*;

#[test]
fn removing_a_quoted_coding_is_announced_and_the_cell_says_so() {
    let mut f = chart();
    let [pain, greeting] = f.codes;
    let quoted = coding(&mut f.ids, f.source, pain, 3, 10);
    let other = coding(&mut f.ids, f.source, greeting, 30, 40);
    let mut p = apply(
        &f.project,
        Action::AddCodings {
            codings: vec![quoted.clone(), other.clone()],
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::SetCellSummaries {
            matrix: f.matrix,
            summaries: vec![(f.case, pain, format!("Hurts {}", quote_token(quoted.id)))],
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::SetCaseSummary {
            matrix: f.matrix,
            case: f.case,
            summary: format!("Overall {}", quote_token(quoted.id)),
        },
    )
    .unwrap();
    assert_eq!(
        summaries_quoting(&p, &[quoted.id]),
        ["“Chart”: P1 × Pain", "“Chart”: P1, case summary"]
    );
    assert!(summaries_quoting(&p, &[other.id]).is_empty());
    let before = build_view(&p, p.matrix(f.matrix).unwrap());
    assert_eq!(before.cells[0][0].state, CellState::Summarised);

    let mut history = History::new();
    let removed = history
        .apply(
            &p,
            Action::RemoveCodings {
                ids: vec![quoted.id],
            },
        )
        .unwrap();
    let view = build_view(&removed, removed.matrix(f.matrix).unwrap());
    let cell = &view.cells[0][0];
    assert_eq!(cell.segments, 0);
    assert_eq!(
        cell.state,
        CellState::SummaryNoData,
        "not a green summarised dot"
    );
    assert_eq!(cell.state.label(), "Summary, no data");
    assert_eq!(cell.broken, 1);
    assert_eq!(cell_state(0, "  "), CellState::Empty);
    assert_eq!(history.undo(&removed), Some(p));
}
