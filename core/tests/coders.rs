//! Coders: who coded what, and the project as seen when only some coders' codings are shown
//! (the reader, retrieval and the framework matrix counts use that view).
#![allow(clippy::unwrap_used)]

mod common;

use common::{case, chart, coding};
use framewise_core::matrix::{build_view, build_view_shown, quote_token};
use framewise_core::*;
use std::collections::BTreeSet;

fn by(mut c: Coding, coder: &str) -> Coding {
    c.coder = coder.into();
    c
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn coders_are_listed_once_sorted_without_blank_names() {
    let mut c = chart();
    let [pain, greeting] = c.codes;
    let codings = vec![
        by(coding(&mut c.ids, c.source, pain, 0, 5), "Zoë"),
        by(coding(&mut c.ids, c.source, greeting, 3, 8), "ana"),
        by(coding(&mut c.ids, c.source, pain, 10, 12), "Zoë"),
        by(coding(&mut c.ids, c.source, pain, 12, 14), "  "),
    ];
    let p = apply(&c.project, Action::AddCodings { codings }).unwrap();
    assert_eq!(p.coders(), vec!["Zoë".to_string(), "ana".to_string()]);
    assert!(Project::new(c.ids.project_id(), "Empty", 0)
        .coders()
        .is_empty());
}

#[test]
fn only_coders_keeps_their_codings_and_shares_the_rest() {
    let mut c = chart();
    let [pain, greeting] = c.codes;
    let codings = vec![
        by(coding(&mut c.ids, c.source, pain, 0, 5), "ana"),
        by(coding(&mut c.ids, c.source, greeting, 3, 8), "ben"),
        by(coding(&mut c.ids, c.source, pain, 10, 12), "cy"),
    ];
    let p = apply(&c.project, Action::AddCodings { codings }).unwrap();

    let ana = p.only_coders(&set(&["ana"]));
    assert_eq!(ana.coding_count(), 1);
    assert!(ana.all_codings().all(|c| c.coder == "ana"));
    let two = p.only_coders(&set(&["ana", "cy"]));
    let kept: Vec<_> = two
        .codings_of(c.source)
        .iter()
        .map(|c| c.span.start)
        .collect();
    assert_eq!(kept, vec![0, 10], "document order is kept");
    assert!(p.only_coders(&set(&[])).codings.is_empty());
    assert!(p.only_coders(&set(&["nobody"])).codings.is_empty());
    // Everyone shown: the very same lists, not copies.
    let all = p.only_coders(&set(&["ana", "ben", "cy"]));
    assert!(std::sync::Arc::ptr_eq(
        &all.codings[&c.source],
        &p.codings[&c.source]
    ));
    // Sources, codes, cases and matrices are untouched.
    assert_eq!(ana.sources, p.sources);
    assert_eq!(ana.codes, p.codes);
    assert_eq!(ana.cases, p.cases);
    assert_eq!(ana.matrices, p.matrices);
}

#[test]
fn matrix_counts_follow_the_coders_shown_and_quotes_stay_whole() {
    let mut c = chart();
    let [pain, greeting] = c.codes;
    let ana = by(coding(&mut c.ids, c.source, pain, 0, 5), "ana");
    let ben = by(coding(&mut c.ids, c.source, pain, 10, 12), "ben");
    let ben_greeting = by(coding(&mut c.ids, c.source, greeting, 3, 8), "ben");
    let quoted = ben.id;
    let mut p = apply(
        &c.project,
        Action::AddCodings {
            codings: vec![ana, ben, ben_greeting],
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::SetCellSummaries {
            matrix: c.matrix,
            summaries: vec![(
                c.case,
                pain,
                format!("Pain as Ben saw it {}", quote_token(quoted)),
            )],
        },
    )
    .unwrap();
    let matrix = p.matrix(c.matrix).unwrap().clone();

    let whole = build_view(&p, &matrix);
    assert_eq!(whole.cells[0][0].segments, 2);
    assert_eq!(whole.cells[0][1].segments, 1);

    let shown = p.only_coders(&set(&["ana"]));
    let ana_only = build_view_shown(&p, &shown, &matrix);
    assert_eq!(ana_only.cells[0][0].segments, 1);
    assert_eq!(ana_only.cells[0][1].segments, 0);
    assert_eq!(
        ana_only.cells[0][0].broken, 0,
        "Ben's quote is not shown in the counts, but it is not broken"
    );
    // Looked up in the filtered project alone, it would have been.
    assert_eq!(build_view(&shown, &matrix).cells[0][0].broken, 1);

    // A second case with no sources: no codings whoever is shown.
    let empty_case = case(&mut c.ids, "P2", None, Vec::new());
    let p = apply(
        &p,
        Action::AddCases {
            cases: vec![empty_case],
        },
    )
    .unwrap();
    let matrix = p.matrix(c.matrix).unwrap().clone();
    let view = build_view_shown(&p, &p.only_coders(&set(&["ben"])), &matrix);
    assert_eq!(view.cells.len(), 2);
    assert!(view.cells[1].iter().all(|cell| cell.segments == 0));
}
