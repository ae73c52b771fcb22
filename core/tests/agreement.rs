//! Intercoder agreement (`framewise_core::agreement`): worked examples computed by hand (the
//! tables and the arithmetic are written out above each test), characters counted as code
//! points, overlapping codings of one coder counted once, the degenerate cases, the segment unit
//! and its overlap threshold, Krippendorff's alpha for three coders, errors for unknown or
//! repeated coders, the interval sweep against a per-character count (property test), the
//! disagreements and their resolution, the view written out (`written`: markup escaped, the
//! passages listed in the buttons' order), and (ignored, prints its time) a million words.
#![allow(clippy::unwrap_used)]

mod common;

use common::{code, source, NOW};
use framewise_core::agreement::{
    compare, disagreements, resolve, written, AgreementError, Comparison, Report, Resolution,
    Table, Unit, LISTED,
};
use framewise_core::*;
use proptest::prelude::*;
use std::sync::Arc;

/// A project with sources and codes, coded by name through `apply`.
struct Fixture {
    ids: SeqIds,
    project: Project,
    sources: Vec<SourceId>,
    codes: Vec<CodeId>,
}

impl Fixture {
    fn new(texts: &[&str], codes: &[&str]) -> Self {
        let mut ids = SeqIds::new(1);
        let mut project = Project::new(ids.project_id(), "Agreement", NOW);
        let mut sources = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let s = source(&mut ids, &format!("S{}", i + 1), text);
            sources.push(s.id);
            project.sources.push(Arc::new(s));
        }
        let mut code_ids = Vec::new();
        for name in codes {
            let c = code(&mut ids, name, None);
            code_ids.push(c.id);
            project = apply(&project, Action::CreateCode { code: c }).unwrap();
        }
        Self {
            ids,
            project,
            sources,
            codes: code_ids,
        }
    }

    /// `coder` codes characters `start..end` (code points) of source `s` with code `c`.
    fn code(&mut self, coder: &str, s: usize, c: usize, start: usize, end: usize) -> CodingId {
        let source = self.sources[s];
        let text = self.project.source(source).unwrap().text.clone();
        let id = self.ids.coding_id();
        let coding = Coding {
            id,
            source,
            span: Span::new(
                text::char_to_byte(&text, start).unwrap(),
                text::char_to_byte(&text, end).unwrap(),
            ),
            code: self.codes[c],
            coder: coder.into(),
            created: NOW,
        };
        self.project = apply(
            &self.project,
            Action::AddCodings {
                codings: vec![coding],
            },
        )
        .unwrap();
        id
    }

    fn compare(&self, comparison: &Comparison) -> Report {
        compare(&self.project, comparison).unwrap()
    }
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or_else(|| panic!("expected {expected}, got None"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

/// Worked example 1 (characters, not bytes). Text "αβcdefghij": 10 characters, 12 bytes (α and
/// β take two bytes each). Code X: Ana codes characters 0..6 "αβcdef", Ben codes 2..8 "cdefgh".
///
/// ```text
///                 Ben coded   Ben not
///   Ana coded         4 (cdef)   2 (αβ)      6
///   Ana not           2 (gh)     2 (ij)      4
///                     6          4          10
/// ```
/// Po = (4 + 2)/10 = 0.6; p(Ana) = p(Ben) = 0.6; Pe = 0.6·0.6 + 0.4·0.4 = 0.52;
/// κ = (0.6 − 0.52)/(1 − 0.52) = 0.08/0.48 = 1/6.
/// α: N = 10 units, m = 2, n = 20 values, n₁ = 6 + 6 = 12 coded, n₀ = 8; units coded by one
/// coder only: 4, each adds 1·1/(2 − 1) = 1, so o₀₁ = 4; α = 1 − 19·4/(8·12) = 1 − 76/96 = 20/96.
/// (Counted in bytes the table would be 4/4/2/2 of 12 and κ = 1/3: the test tells them apart.)
#[test]
fn worked_example_characters_not_bytes() {
    let mut f = Fixture::new(&["αβcdefghij"], &["X"]);
    f.code("Ana", 0, 0, 0, 6);
    f.code("Ben", 0, 0, 2, 8);
    let r = f.compare(&Comparison::new("Ana", "Ben"));
    assert_eq!(r.characters, 10);
    assert_eq!(r.rows.len(), 1);
    let m = &r.rows[0].measures;
    assert_eq!(
        m.table,
        Some(Table {
            both: 4,
            first_only: 2,
            second_only: 2,
            neither: 2
        })
    );
    close(m.percent, 60.0);
    close(m.kappa, 1.0 / 6.0);
    close(m.alpha, 20.0 / 96.0);
    // One code: the overall row is that code's.
    assert_eq!(r.overall, *m);
}

/// Worked example 2, the textbook binary case. Six characters "abcdef"; Ana codes b, d, f
/// (1..2, 3..4, 5..6), Ben codes b, d.
///
/// ```text
///                 Ben coded   Ben not
///   Ana coded         2          1        3
///   Ana not           0          3        3
///                     2          4        6
/// ```
/// Po = 5/6; p(Ana) = 3/6, p(Ben) = 2/6; Pe = (1/2)(1/3) + (1/2)(2/3) = 1/2;
/// κ = (5/6 − 1/2)/(1/2) = 2/3.
/// α: n = 12, n₁ = 5, n₀ = 7, o₀₁ = 1 (the unit "f"); α = 1 − 11·1/(7·5) = 24/35 ≈ 0.6857
/// (the value other tools give for the rows 0,1,0,1,0,1 / 0,1,0,1,0,0).
#[test]
fn worked_example_textbook_binary() {
    let mut f = Fixture::new(&["abcdef"], &["X"]);
    for (s, e) in [(1, 2), (3, 4), (5, 6)] {
        f.code("Ana", 0, 0, s, e);
    }
    for (s, e) in [(1, 2), (3, 4)] {
        f.code("Ben", 0, 0, s, e);
    }
    let m = f.compare(&Comparison::new("Ana", "Ben")).overall;
    close(m.percent, 500.0 / 6.0);
    close(m.kappa, 2.0 / 3.0);
    close(m.alpha, 24.0 / 35.0);
}

/// Worked example 3: two sources, two codes, the overall row pooled.
/// S1 "abcdefghij", S2 "klmnopqrst" (10 characters each, so n = 20 per code).
/// Code X in S1: Ana 0..6, Ben 2..8 (example 1's table); nobody codes X in S2 (10 × neither).
/// Code Y in S2: both code 0..5; nobody codes Y in S1.
///
/// ```text
///   X: both 4, Ana only 2, Ben only 2, neither 2 + 10 = 12      (n = 20)
///      Po = 16/20 = 0.8; p = 6/20 = 0.3 each; Pe = 0.09 + 0.49 = 0.58;
///      κ = 0.22/0.42 = 11/21
///   Y: both 5, neither 15: Po = 1; Pe = 0.25² + 0.75² = 0.625; κ = 0.375/0.375 = 1
///   overall (pooled, n = 40): both 9, Ana only 2, Ben only 2, neither 27
///      Po = 36/40; p = 11/40 each; Pe = (11² + 29²)/40² = 962/1600;
///      κ = (1440 − 962)/(1600 − 962) = 478/638 = 239/319
/// ```
#[test]
fn worked_example_pooled_over_sources_and_codes() {
    let mut f = Fixture::new(&["abcdefghij", "klmnopqrst"], &["X", "Y"]);
    f.code("Ana", 0, 0, 0, 6);
    f.code("Ben", 0, 0, 2, 8);
    f.code("Ana", 1, 1, 0, 5);
    f.code("Ben", 1, 1, 0, 5);
    let r = f.compare(&Comparison::new("Ana", "Ben"));
    assert_eq!(r.characters, 20);
    assert_eq!(r.sources, 2);
    let names: Vec<&str> = r.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["X", "Y"]);
    let x = &r.rows[0].measures;
    assert_eq!(x.table.unwrap().neither, 12);
    close(x.percent, 80.0);
    close(x.kappa, 11.0 / 21.0);
    let y = &r.rows[1].measures;
    close(y.percent, 100.0);
    close(y.kappa, 1.0);
    assert_eq!(
        r.overall.table,
        Some(Table {
            both: 9,
            first_only: 2,
            second_only: 2,
            neither: 27
        })
    );
    close(r.overall.percent, 90.0);
    close(r.overall.kappa, 239.0 / 319.0);

    // Only source S1: code Y is not used there, so only X is a row (n = 10, example 1).
    let mut only_s1 = Comparison::new("Ana", "Ben");
    only_s1.sources = vec![f.sources[0]];
    let r = f.compare(&only_s1);
    assert_eq!(r.rows.len(), 1);
    close(r.overall.kappa, 1.0 / 6.0);
    // Asking for code Y by name over S1: a row where nobody coded (all "neither", κ = 1).
    only_s1.codes = vec![f.codes[1]];
    let r = f.compare(&only_s1);
    assert_eq!(r.rows[0].name, "Y");
    assert_eq!(r.rows[0].measures.table.unwrap().neither, 10);
    close(r.rows[0].measures.kappa, 1.0);
}

/// Overlapping codings of one coder count once: Ana's 0..4 and 2..6 cover 0..6 (plus an exact
/// duplicate of 0..4), so the table is example 1's (4/2/2/2) and κ = 1/6, not a count of 8
/// coded characters for Ana.
#[test]
fn overlapping_codings_of_one_coder_count_once() {
    let mut f = Fixture::new(&["abcdefghij"], &["X"]);
    f.code("Ana", 0, 0, 0, 4);
    f.code("Ana", 0, 0, 2, 6);
    f.code("Ana", 0, 0, 0, 4);
    f.code("Ben", 0, 0, 2, 8);
    let m = f.compare(&Comparison::new("Ana", "Ben")).overall;
    assert_eq!(
        m.table,
        Some(Table {
            both: 4,
            first_only: 2,
            second_only: 2,
            neither: 2
        })
    );
    close(m.kappa, 1.0 / 6.0);
}

/// Degenerate tables:
/// - both code every character: table 10/0/0/0, p = 1 each, Pe = 1 → κ reported as 1; α: no
///   "not coded" value at all → reported as 1; percent 100.
/// - one codes everything, the other nothing: 0/10/0/0, Po = 0, Pe = 1·0 + 0·1 = 0 → κ = 0;
///   α = 1 − 19·10/(10·10) = −0.9.
/// - a code asked for that nobody used: 0/0/0/10, Pe = 1 → κ = 1, α = 1.
/// - a source without characters in the comparison: nothing to count → no values.
#[test]
fn degenerate_cases() {
    let mut f = Fixture::new(&["abcdefghij"], &["All", "Half", "None"]);
    f.code("Ana", 0, 0, 0, 10);
    f.code("Ben", 0, 0, 0, 10);
    f.code("Ana", 0, 1, 0, 10);
    f.code("Ben", 0, 2, 0, 1); // so Ben is a coder with a coding elsewhere
    let mut c = Comparison::new("Ana", "Ben");
    c.codes = vec![f.codes[0]];
    let m = f.compare(&c).overall;
    close(m.kappa, 1.0);
    close(m.alpha, 1.0);
    close(m.percent, 100.0);

    c.codes = vec![f.codes[1]];
    let m = f.compare(&c).overall;
    assert_eq!(m.table.unwrap().first_only, 10);
    close(m.kappa, 0.0);
    close(m.alpha, -0.9);
    close(m.percent, 0.0);

    // Code "None" over nothing coded by Ana or Ben but asked for: all neither.
    let mut g = Fixture::new(&["abcdefghij"], &["X", "Unused"]);
    g.code("Ana", 0, 0, 0, 1);
    g.code("Ben", 0, 0, 0, 1);
    let mut c = Comparison::new("Ana", "Ben");
    c.codes = vec![g.codes[1]];
    let m = g.compare(&c).overall;
    assert_eq!(m.table.unwrap().neither, 10);
    close(m.kappa, 1.0);
    close(m.alpha, 1.0);

    // No sources chosen that exist: no characters, no values (not NaN).
    c.sources = vec![SeqIds::new(999).source_id()];
    let r = g.compare(&c);
    assert_eq!(r.characters, 0);
    assert_eq!(r.overall.kappa, None);
    assert_eq!(r.overall.percent, None);
    assert_eq!(r.overall.alpha, None);
}

/// Krippendorff's α for three coders. Text "abcde", code X: Ana 0..3, Ben 0..2, Cleo 1..4.
///
/// ```text
///   char   a  b  c  d  e
///   Ana    1  1  1  0  0
///   Ben    1  1  0  0  0
///   Cleo   0  1  1  1  0
///   k      2  3  2  1  0      (coders who coded it)
/// ```
/// h₀ = 1, h₁ = 1, h₂ = 2, h₃ = 1; N = 5, m = 3, n = 15; n₁ = 1·1 + 2·2 + 3·1 = 8, n₀ = 7.
/// o₀₁ = Σ hₖ·k·(m − k)/(m − 1) = 1·1·2/2 + 2·2·1/2 + 1·3·0/2 = 1 + 2 + 0 = 3.
/// α = 1 − (n − 1)·o₀₁/(n₀·n₁) = 1 − 14·3/56 = 0.25.
/// Percent (all three agree): units with k = 0 or 3: 2 of 5 = 40 %. No Cohen's κ for three.
#[test]
fn krippendorff_alpha_three_coders() {
    let mut f = Fixture::new(&["abcde"], &["X"]);
    f.code("Ana", 0, 0, 0, 3);
    f.code("Ben", 0, 0, 0, 2);
    f.code("Cleo", 0, 0, 1, 4);
    let mut c = Comparison::new("Ana", "Ben");
    c.coders.push("Cleo".into());
    let m = f.compare(&c).overall;
    assert_eq!(m.levels.as_ref().unwrap().0, vec![1, 1, 2, 1]);
    close(m.alpha, 0.25);
    close(m.percent, 40.0);
    assert_eq!(m.kappa, None);
    assert_eq!(m.table, None);
}

/// Worked example of the segment unit (min overlap 90 %). Text of 100 characters.
///
/// ```text
///   code X   Ana 0..10    Ben 1..10   overlap 9:  9/10 = 90 % of Ana's  → matched
///                                                 9/9 = 100 % of Ben's   → matched
///            Ana 20..30   Ben 20..25  overlap 5:  5/10 = 50 % of Ana's  → not matched
///                                                 5/5 = 100 % of Ben's   → matched
///            Ana 50..60   —                                              → not matched
///            —            Ben 80..90                                     → not matched
///            X: Ana 3 segments, 1 matched; Ben 3 segments, 2 matched: 3/6 = 50 %
///   code Y   Ana 40..45   Ben 40..45  → both matched: 2/2 = 100 %
///   overall  matched 5 of 8 = 62.5 %; q = 2 codes, Pc = 1/2;
///            κ = (0.625 − 0.5)/(1 − 0.5) = 0.25
/// ```
/// With min overlap 50 Ana's 20..30 is matched too: X 4/6, overall 6/8 = 75 %, κ = 0.5.
#[test]
fn worked_example_segments() {
    let text = "x".repeat(100);
    let mut f = Fixture::new(&[&text], &["X", "Y"]);
    for (s, e) in [(0, 10), (20, 30), (50, 60)] {
        f.code("Ana", 0, 0, s, e);
    }
    for (s, e) in [(1, 10), (20, 25), (80, 90)] {
        f.code("Ben", 0, 0, s, e);
    }
    f.code("Ana", 0, 1, 40, 45);
    f.code("Ben", 0, 1, 40, 45);
    let mut c = Comparison::new("Ana", "Ben");
    c.unit = Unit::Segment;
    let r = f.compare(&c);
    let x = r.rows[0].measures.segments.unwrap();
    assert_eq!(
        (x.first, x.first_matched, x.second, x.second_matched),
        (3, 1, 3, 2)
    );
    close(r.rows[0].measures.percent, 50.0);
    assert_eq!(r.rows[0].measures.kappa, None);
    close(r.rows[1].measures.percent, 100.0);
    close(r.overall.percent, 62.5);
    close(r.overall.kappa, 0.25);

    c.min_overlap = 50;
    let r = f.compare(&c);
    close(r.rows[0].measures.percent, 400.0 / 6.0);
    close(r.overall.percent, 75.0);
    close(r.overall.kappa, 0.5);
}

/// Segments: overlapping codings of one coder are one segment (MAXQDA merges them); touching
/// ones stay two. Ana 0..6 and 4..10 → one segment 0..10, matched by Ben's 0..10 (both
/// matched: 2/2). Ana 20..25 and 25..30 touch: two segments, each 100 % inside Ben's 20..30
/// (matched), while Ben's 20..30 is covered at most 5/10 = 50 % by either (not matched): 2/3.
/// One code only, so q = 1 and κ is not given.
#[test]
fn segments_merge_overlaps_of_one_coder() {
    let text = "y".repeat(40);
    let mut f = Fixture::new(&[&text], &["X"]);
    f.code("Ana", 0, 0, 0, 6);
    f.code("Ana", 0, 0, 4, 10);
    f.code("Ben", 0, 0, 0, 10);
    f.code("Ana", 0, 0, 20, 25);
    f.code("Ana", 0, 0, 25, 30);
    f.code("Ben", 0, 0, 20, 30);
    let mut c = Comparison::new("Ana", "Ben");
    c.unit = Unit::Segment;
    let r = f.compare(&c);
    let s = r.overall.segments.unwrap();
    assert_eq!(
        (s.first, s.first_matched, s.second, s.second_matched),
        (3, 3, 2, 1)
    );
    close(r.overall.percent, 80.0);
    assert_eq!(r.overall.kappa, None);
}

#[test]
fn errors_name_the_problem() {
    let mut f = Fixture::new(&["abc"], &["X"]);
    f.code("Ana", 0, 0, 0, 1);
    f.code("Ben", 0, 0, 0, 1);
    let err = compare(&f.project, &Comparison::new("Ana", "Bob")).unwrap_err();
    assert_eq!(
        err,
        AgreementError::UnknownCoder {
            name: "Bob".into(),
            known: vec!["Ana".into(), "Ben".into()]
        }
    );
    assert_eq!(
        err.to_string(),
        "no coding is by “Bob”; the coders in this project are “Ana”, “Ben”"
    );
    // Names are compared exactly.
    assert!(compare(&f.project, &Comparison::new("ana", "Ben")).is_err());
    assert_eq!(
        compare(&f.project, &Comparison::new("Ana", "Ana")).unwrap_err(),
        AgreementError::SameCoderTwice("Ana".into())
    );
    let mut one = Comparison::new("Ana", "Ben");
    one.coders.pop();
    assert_eq!(
        compare(&f.project, &one).unwrap_err(),
        AgreementError::TooFewCoders
    );
    let mut three = Comparison::new("Ana", "Ben");
    three.coders.push("Cleo".into());
    f.code("Cleo", 0, 0, 1, 2);
    three.unit = Unit::Segment;
    assert_eq!(
        compare(&f.project, &three).unwrap_err(),
        AgreementError::SegmentNeedsTwo
    );
    let mut zero = Comparison::new("Ana", "Ben");
    zero.unit = Unit::Segment;
    zero.min_overlap = 0;
    assert_eq!(
        compare(&f.project, &zero).unwrap_err(),
        AgreementError::BadOverlap(0)
    );
    assert_eq!(agreement::coders(&f.project), ["Ana", "Ben", "Cleo"]);
}

/// The disagreements of example 1 plus an agreed passage, and each resolution: after it the two
/// coders agree (no disagreement left, κ = 1), in one action.
#[test]
fn disagreements_and_their_resolution() {
    let mut f = Fixture::new(&["abcdefghij klmnop"], &["X", "Y"]);
    let a = f.code("Ana", 0, 0, 0, 6);
    let b = f.code("Ben", 0, 0, 2, 8);
    f.code("Ana", 0, 1, 11, 14); // agreed
    f.code("Ben", 0, 1, 11, 14);
    let c = f.code("Ben", 0, 1, 15, 17); // Ben only
    let found = disagreements(&f.project, "Ana", "Ben", &[], &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].span, Span::new(0, 8));
    assert_eq!(
        (found[0].first.clone(), found[0].second.clone()),
        (vec![a], vec![b])
    );
    assert_eq!(found[1].first, Vec::<CodingId>::new());
    assert_eq!(found[1].second, vec![c]);
    // Limited to code X.
    assert_eq!(
        disagreements(&f.project, "Ana", "Ben", &[], &[f.codes[0]]).len(),
        1
    );

    let text = f.project.sources[0].text.clone();
    let coded = |p: &Project, coder: &str, code: CodeId| -> Vec<&str> {
        p.all_codings()
            .filter(|x| x.coder == coder && x.code == code)
            .map(|x| &text[x.span.start..x.span.end])
            .collect()
    };
    let x = f.codes[0];
    for (how, ana, ben) in [
        (Resolution::KeepFirst, vec!["abcdef"], vec!["abcdef"]),
        (Resolution::KeepSecond, vec!["cdefgh"], vec!["cdefgh"]),
        // Each coder gets the other's coding, which merges with their own: the union.
        (Resolution::KeepBoth, vec!["abcdefgh"], vec!["abcdefgh"]),
        (Resolution::Remove, vec![], vec![]),
    ] {
        let mut ids = SeqIds::new(500);
        let action = resolve(&f.project, &found[0], how, "Ana", "Ben", &mut ids, NOW).unwrap();
        assert!(matches!(action, Action::Batch { .. }), "one undo step");
        let next = apply(&f.project, action).unwrap();
        assert_eq!(coded(&next, "Ana", x), ana, "{how:?}");
        assert_eq!(coded(&next, "Ben", x), ben, "{how:?}");
        let left = disagreements(&next, "Ana", "Ben", &[], &[x]);
        assert!(left.is_empty(), "{how:?}: {left:?}");
        if how != Resolution::Remove {
            let mut cmp = Comparison::new("Ana", "Ben");
            cmp.codes = vec![x];
            close(compare(&next, &cmp).unwrap().overall.kappa, 1.0);
        }
    }
    // A one-sided passage kept by the coder who did not code it is removed.
    let mut ids = SeqIds::new(600);
    let action = resolve(
        &f.project,
        &found[1],
        Resolution::KeepFirst,
        "Ana",
        "Ben",
        &mut ids,
        NOW,
    )
    .unwrap();
    let next = apply(&f.project, action).unwrap();
    assert!(next.all_codings().all(|x| x.id != c));
    // A disagreement whose codings are gone resolves to nothing.
    let gone = apply(&f.project, Action::RemoveCodings { ids: vec![a] }).unwrap();
    assert!(resolve(
        &gone,
        &found[0],
        Resolution::Remove,
        "Ana",
        "Ben",
        &mut ids,
        NOW
    )
    .is_none());
}

/// The Agreement view as the worker writes it out: the table's cells, the list with both sides
/// and the four buttons, every name escaped, the passages listed in the order of the buttons'
/// `data-d`, at most [`LISTED`]; an error is a sentence, no code used says so.
#[test]
fn the_view_written_out() {
    let mut f = Fixture::new(&["abcdefghij klmnop"], &["X <b>&", "Y"]);
    f.code("Ana", 0, 0, 0, 6);
    f.code("B'en", 0, 0, 2, 8);
    f.code("Ana", 0, 1, 11, 14);
    f.code("B'en", 0, 1, 11, 14);
    let w = written(&f.project, &Comparison::new("Ana", "B'en"));
    let m = &w.markup;
    assert!(
        m.starts_with(
            "<table class='agreement-table'><caption>Characters of 1 source (17 characters)"
        ),
        "{m}"
    );
    assert!(m.contains("<th scope='col'>B&apos;en only</th>"), "{m}");
    assert!(
        m.contains("<tr><th scope='row'>X &lt;b&gt;&amp;</th><td>76.5 %</td><td>0.485</td><td>0.500</td><td>4</td><td>2</td><td>2</td></tr>"),
        "{m}"
    );
    assert!(m.contains("<tfoot><tr><th scope='row'>Overall</th>"), "{m}");
    assert!(
        m.contains("<h3 role='status'>Disagreements: 1 passage</h3>"),
        "{m}"
    );
    assert!(
        m.contains("<li class='disagreement' aria-label='X &lt;b&gt;&amp; in S1'>"),
        "{m}"
    );
    assert!(
        m.contains("<h4>Ana</h4><blockquote>abcdef</blockquote>"),
        "{m}"
    );
    assert!(
        m.contains("<h4>B&apos;en</h4><blockquote>cdefgh</blockquote>"),
        "{m}"
    );
    assert!(
        m.contains("<button type='button' data-d='0' data-how='first'>Keep Ana’s</button>"),
        "{m}"
    );
    assert!(
        m.contains("data-d='0' data-how='second'>Keep B&apos;en’s</button>"),
        "{m}"
    );
    assert!(
        m.contains("data-how='both'>Keep both</button>")
            && m.contains("data-how='remove'>Remove</button>")
    );
    assert!(!m.contains("<b>"), "every name escaped: {m}");
    assert_eq!(w.listed, disagreements(&f.project, "Ana", "B'en", &[], &[]));
    for how in ["first", "second", "both", "remove"] {
        assert!(Resolution::named(how).is_some(), "{how}");
    }
    assert_eq!(Resolution::named("open"), None);

    // More than LISTED passages: the first LISTED listed, and said so.
    let long = "word ".repeat(LISTED + 5);
    let mut g = Fixture::new(&[long.as_str()], &["Z"]);
    for i in 0..LISTED + 5 {
        g.code(
            if i % 2 == 0 { "Ana" } else { "Ben" },
            0,
            0,
            i * 5,
            i * 5 + 4,
        );
    }
    let w = written(&g.project, &Comparison::new("Ana", "Ben"));
    assert_eq!(w.listed.len(), LISTED);
    assert!(w
        .markup
        .contains(&format!("Disagreements: {} passages", LISTED + 5)));
    assert!(w.markup.contains(&format!("The first {LISTED} are shown")));
    assert!(w.markup.contains(&format!("data-d='{}'", LISTED - 1)));
    assert!(!w.markup.contains(&format!("data-d='{LISTED}'")));

    // Why not, as a sentence; no code used in the sources chosen.
    let w = written(&f.project, &Comparison::new("Ana", "Cy"));
    assert!(
        w.markup
            .starts_with("<p class='agreement-error' role='alert'>"),
        "{}",
        w.markup
    );
    assert!(w.listed.is_empty());
    let mut none = Comparison::new("Ana", "B'en");
    none.codes = vec![CodeId::from_random_bytes([9; 16])];
    let w = written(&f.project, &none);
    assert!(
        w.markup
            .starts_with("<p class='empty-state'>Neither coder used a code in these sources.</p>"),
        "{}",
        w.markup
    );
}

/// Per character, the slow way: for each code, each character's coders.
fn naive(project: &Project, coders: &[&str], code: CodeId) -> Vec<u64> {
    let mut levels = vec![0u64; coders.len() + 1];
    for s in &project.sources {
        let chars: Vec<usize> = s.text.char_indices().map(|(b, _)| b).collect();
        for &b in &chars {
            let k = coders
                .iter()
                .filter(|name| {
                    project.codings.get(&s.id).is_some_and(|list| {
                        list.iter().any(|c| {
                            c.coder == **name
                                && c.code == code
                                && c.span.start <= b
                                && b < c.span.end
                        })
                    })
                })
                .count();
            levels[k] += 1;
        }
    }
    levels
}

proptest! {
    /// The interval sweep counts what a per-character walk counts, for two and three coders,
    /// over text with multi-byte characters and random overlapping codings.
    #[test]
    fn sweep_matches_a_per_character_count(
        spans in prop::collection::vec((0usize..3, 0usize..2, 0usize..30, 1usize..12), 0..25),
        three in any::<bool>(),
    ) {
        let texts = ["añb€c😀d efg hij ñ€😀 klm nop qrs tu", "αβγ"];
        let mut f = Fixture::new(&texts, &["X", "Y"]);
        let lens = texts.map(|t| t.chars().count());
        let names = ["Ana", "Ben", "Cleo"];
        for (i, (coder, code, start, len)) in spans.iter().enumerate() {
            let source = i % 2;
            let start = start % lens[source];
            let end = (start + len).min(lens[source]);
            f.code(names[*coder], source, *code, start, end);
        }
        let coders: Vec<&str> = if three { names.to_vec() } else { names[..2].to_vec() };
        let known = agreement::coders(&f.project);
        prop_assume!(coders.iter().all(|c| known.iter().any(|k| k == c)));
        let mut c = Comparison::new(coders[0], coders[1]);
        if three {
            c.coders.push(coders[2].into());
        }
        c.codes = f.codes.clone();
        let r = f.compare(&c);
        prop_assert_eq!(r.characters, (lens[0] + lens[1]) as u64);
        for (row, code) in r.rows.iter().zip(&f.codes) {
            let expected = naive(&f.project, &coders, *code);
            prop_assert_eq!(&row.measures.levels.as_ref().unwrap().0, &expected);
            if let Some(t) = row.measures.table {
                prop_assert_eq!(t.both, expected[2]);
                prop_assert_eq!(t.neither, expected[0]);
                prop_assert_eq!(t.first_only + t.second_only, expected[1]);
            }
        }
    }
}

/// A million words in 100 sources, 20,000 codings by two coders over 20 codes: prints the time
/// of both units and the disagreements (run with `--release --ignored --nocapture`).
#[test]
#[ignore]
fn a_million_words() {
    let words = [
        "care", "access", "nurse", "funding", "über", "café", "wait", "GP", "😀",
    ];
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(words[i % words.len()]);
        text.push(if i % 13 == 12 { '\n' } else { ' ' });
    }
    let texts: Vec<&str> = (0..100).map(|_| text.as_str()).collect();
    let names: Vec<String> = (0..20).map(|i| format!("Code {i}")).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut f = Fixture::new(&texts, &name_refs);
    let len = text.chars().count();
    let mut codings = Vec::new();
    for i in 0..20_000usize {
        let source = f.sources[i % 100];
        let start = (i * 7919) % (len - 400);
        let end = start + 50 + (i % 300);
        let coder = if i % 2 == 0 { "Ana" } else { "Ben" };
        codings.push(Coding {
            id: f.ids.coding_id(),
            source,
            span: Span::new(
                text::char_to_byte(&text, start).unwrap(),
                text::char_to_byte(&text, end).unwrap(),
            ),
            code: f.codes[i % 20],
            coder: coder.into(),
            created: NOW,
        });
    }
    f.project = apply(&f.project, Action::AddCodings { codings }).unwrap();
    for unit in [Unit::Character, Unit::Segment] {
        let mut c = Comparison::new("Ana", "Ben");
        c.unit = unit;
        let t = std::time::Instant::now();
        let r = compare(&f.project, &c).unwrap();
        eprintln!(
            "{unit:?}: {:?} ({} rows, overall κ {:?})",
            t.elapsed(),
            r.rows.len(),
            r.overall.kappa
        );
    }
    let t = std::time::Instant::now();
    let d = disagreements(&f.project, "Ana", "Ben", &[], &[]);
    eprintln!("disagreements: {:?} ({})", t.elapsed(), d.len());
}
