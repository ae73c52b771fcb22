//! Issue 9 (defects of the coding flow): the same code applied to the same or overlapping text
//! becomes one coding of the union span (as in NVivo and MAXQDA), counted once, as one undo
//! step; quote references to a coding merged away follow the surviving coding.
#![allow(clippy::unwrap_used)]

mod common;

use common::{chart, coding, INTERVIEW};
use framewise_core::matrix::{quote_token, summary_parts, SummaryPart};
use framewise_core::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn spans(p: &Project, source: SourceId, code: CodeId) -> Vec<(usize, usize)> {
    p.codings_of(source)
        .iter()
        .filter(|c| c.code == code)
        .map(|c| (c.span.start, c.span.end))
        .collect()
}

#[test]
fn overlapping_codings_of_one_code_merge_into_one_of_the_union() {
    let mut f = chart();
    let [pain, greeting] = f.codes;
    let first = coding(&mut f.ids, f.source, pain, 3, 15);
    let p = apply(
        &f.project,
        Action::AddCodings {
            codings: vec![first.clone()],
        },
    )
    .unwrap();
    // Overlapping on the right: one coding of 3..22, the first one's id kept.
    let second = coding(&mut f.ids, f.source, pain, 10, 22);
    let p = apply(
        &p,
        Action::AddCodings {
            codings: vec![second.clone()],
        },
    )
    .unwrap();
    assert_eq!(spans(&p, f.source, pain), [(3, 22)]);
    assert_eq!(p.coding(first.id).map(|c| c.span), Some(Span::new(3, 22)));
    assert!(p.coding(second.id).is_none());
    assert_eq!(p.code_counts().get(&pain).map(|c| c.codings), Some(1));
    // Another code on the same text is a different coding; text next to it is not merged.
    let other = coding(&mut f.ids, f.source, greeting, 3, 22);
    let next_to = coding(&mut f.ids, f.source, pain, 22, 25);
    let p = apply(
        &p,
        Action::AddCodings {
            codings: vec![other, next_to],
        },
    )
    .unwrap();
    assert_eq!(spans(&p, f.source, pain), [(3, 22), (22, 25)]);
    assert_eq!(spans(&p, f.source, greeting), [(3, 22)]);
    // One selection bridging both: all three become one.
    let bridge = coding(&mut f.ids, f.source, pain, 0, 24);
    let p = apply(
        &p,
        Action::AddCodings {
            codings: vec![bridge],
        },
    )
    .unwrap();
    assert_eq!(spans(&p, f.source, pain), [(0, 25)]);
    assert_eq!(p.code_counts().get(&pain).map(|c| c.codings), Some(1));
}

#[test]
fn merge_is_one_undo_step_and_quotes_follow_the_survivor() {
    let mut f = chart();
    let [pain, _] = f.codes;
    let a = coding(&mut f.ids, f.source, pain, 3, 10);
    let b = coding(&mut f.ids, f.source, pain, 30, 40);
    let p = apply(
        &f.project,
        Action::AddCodings {
            codings: vec![a.clone(), b.clone()],
        },
    )
    .unwrap();
    let summary = format!("Two quotes {} and {}", quote_token(a.id), quote_token(b.id));
    let p = apply(
        &p,
        Action::SetCellSummaries {
            matrix: f.matrix,
            summaries: vec![(f.case, pain, summary)],
        },
    )
    .unwrap();
    let p = apply(
        &p,
        Action::SetCaseSummary {
            matrix: f.matrix,
            case: f.case,
            summary: format!("See {}", quote_token(b.id)),
        },
    )
    .unwrap();
    let mut history = History::new();
    let bridge = coding(&mut f.ids, f.source, pain, 5, 35);
    let merged = history
        .apply(
            &p,
            Action::AddCodings {
                codings: vec![bridge],
            },
        )
        .unwrap();
    assert_eq!(spans(&merged, f.source, pain), [(3, 40)]);
    let m = merged.matrix(f.matrix).unwrap();
    let cell = m.summary(f.case, pain);
    assert_eq!(
        cell,
        format!("Two quotes {} and {}", quote_token(a.id), quote_token(a.id))
    );
    assert_eq!(
        m.case_summaries.get(&f.case).map(String::as_str),
        Some(format!("See {}", quote_token(a.id)).as_str())
    );
    // One undo gives back both codings and the summaries as they were.
    assert_eq!(history.undo(&merged), Some(p));
}

#[test]
fn auto_coding_overlapping_matches_counts_once() {
    let mut f = chart();
    let [pain, _] = f.codes;
    // More than the bulk threshold: overlapping matches of one auto-code run.
    let batch: Vec<Coding> = (0..20)
        .map(|i| coding(&mut f.ids, f.source, pain, i, i + 5))
        .collect();
    let p = apply(&f.project, Action::AddCodings { codings: batch }).unwrap();
    assert_eq!(spans(&p, f.source, pain), [(0, 24)]);
}

#[test]
fn merging_codes_merges_their_overlapping_codings() {
    let mut f = chart();
    let [pain, greeting] = f.codes;
    let a = coding(&mut f.ids, f.source, pain, 3, 10);
    let b = coding(&mut f.ids, f.source, greeting, 5, 20);
    let p = apply(
        &f.project,
        Action::AddCodings {
            codings: vec![a.clone(), b.clone()],
        },
    )
    .unwrap();
    let p = apply(
        &p,
        Action::SetCellSummaries {
            matrix: f.matrix,
            summaries: vec![(f.case, pain, quote_token(b.id))],
        },
    )
    .unwrap();
    let p = apply(
        &p,
        Action::MergeCodes {
            from: greeting,
            into: pain,
        },
    )
    .unwrap();
    assert_eq!(spans(&p, f.source, pain), [(3, 20)]);
    assert_eq!(
        p.matrix(f.matrix).unwrap().summary(f.case, pain),
        quote_token(a.id)
    );
}

/// A char-boundary span of INTERVIEW from two numbers.
fn span_of(a: usize, b: usize) -> Option<(usize, usize)> {
    let fit = |n: usize| {
        (0..=n.min(INTERVIEW.len()))
            .rev()
            .find(|i| INTERVIEW.is_char_boundary(*i))
            .unwrap()
    };
    let (s, e) = (fit(a.min(b)), fit(a.max(b)));
    (s < e).then_some((s, e))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Random batches of codings (single selections and bulk auto-coding), with summaries
    /// quoting codings along the way: codings of one code never overlap, they cover exactly
    /// the text selected with that code, and every quote resolves to a coding that covers
    /// what it quoted.
    #[test]
    fn codings_of_one_code_never_overlap_and_quotes_survive(
        steps in proptest::collection::vec(
            (proptest::collection::vec((0usize..2, 0usize..INTERVIEW.len(), 0usize..INTERVIEW.len()), 1..24),
             any::<bool>()),
            1..8)
    ) {
        let mut f = chart();
        let mut p = f.project.clone();
        let mut selected: BTreeMap<CodeId, BTreeSet<usize>> = BTreeMap::new();
        // quoted coding id → the span it had when quoted
        let mut quoted: Vec<(CodingId, Span)> = Vec::new();
        for (batch, quote) in steps {
            let mut codings = Vec::new();
            for (code, a, b) in batch {
                if let Some((s, e)) = span_of(a, b) {
                    let code = f.codes[code];
                    selected.entry(code).or_default().extend(s..e);
                    codings.push(coding(&mut f.ids, f.source, code, s, e));
                }
            }
            if codings.is_empty() {
                continue;
            }
            let mut history = History::new();
            let next = history.apply(&p, Action::AddCodings { codings }).unwrap();
            let undone = history.undo(&next);
            prop_assert_eq!(undone.as_ref(), Some(&p));
            p = next;
            if quote {
                let all: Vec<&Coding> = p.all_codings().collect();
                let text: String = all.iter().map(|c| quote_token(c.id)).collect();
                quoted.extend(all.iter().map(|c| (c.id, c.span)));
                p = apply(&p, Action::SetCaseSummary {
                    matrix: f.matrix,
                    case: f.case,
                    summary: format!("{}{text}", p.matrix(f.matrix).unwrap()
                        .case_summaries.get(&f.case).cloned().unwrap_or_default()),
                }).unwrap();
            }
        }
        for code in f.codes {
            let list = spans(&p, f.source, code);
            for w in list.windows(2) {
                prop_assert!(w[0].1 <= w[1].0, "overlap {:?}", list);
            }
            let covered: BTreeSet<usize> = list.iter().flat_map(|(s, e)| *s..*e).collect();
            prop_assert_eq!(&covered, &selected.get(&code).cloned().unwrap_or_default());
        }
        let summary = p.matrix(f.matrix).unwrap().case_summaries.get(&f.case)
            .cloned().unwrap_or_default();
        let refs: Vec<CodingId> = summary_parts(&summary).into_iter().filter_map(|part| match part {
            SummaryPart::Quote(id) => Some(id),
            SummaryPart::Text(_) => None,
        }).collect();
        prop_assert_eq!(refs.len(), quoted.len());
        for (id, (_, span)) in refs.iter().zip(&quoted) {
            let c = p.coding(*id);
            prop_assert!(c.is_some(), "reference to a coding merged away");
            let c = c.unwrap();
            prop_assert!(c.span.start <= span.start && span.end <= c.span.end);
        }
    }
}
