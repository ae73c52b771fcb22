//! Editing source text: codings and turns follow their words (core/src/edit.rs), through
//! `Action::EditSourceText` and `Action::ReplaceText`, with undo.
#![allow(clippy::unwrap_used)]

use framewise_core::edit::{diff_edit, edit_source, edit_source_text, TextEdit};
use framewise_core::*;
use proptest::prelude::*;
use std::sync::Arc;

struct Fx {
    ids: SeqIds,
    project: Project,
    src: SourceId,
    code: CodeId,
}

fn fixture(text: &str) -> Fx {
    let mut ids = SeqIds::new(7);
    let mut project = Project::new(ids.project_id(), "P", 0);
    let src = ids.source_id();
    let source = Source {
        id: src,
        name: "Notes".into(),
        kind: SourceKind::FieldNotes,
        text: Arc::from(text),
        memo: String::new(),
        imported: 1,
        file_name: None,
        turns: Vec::new(),
    };
    project = apply(
        &project,
        Action::AddSources {
            sources: vec![source],
        },
    )
    .unwrap();
    let code = ids.code_id();
    let c = Code::inductive(&project, code, "Access", None, 2);
    project = apply(&project, Action::CreateCode { code: c }).unwrap();
    Fx {
        ids,
        project,
        src,
        code,
    }
}

impl Fx {
    /// Codes the first occurrence of `words`; returns the coding id.
    fn code_words(&mut self, words: &str) -> CodingId {
        let text = self.project.source(self.src).unwrap().text.clone();
        let start = text.find(words).unwrap();
        self.code_span(start, start + words.len())
    }
    fn code_span(&mut self, start: usize, end: usize) -> CodingId {
        let id = self.ids.coding_id();
        self.project = apply(
            &self.project,
            Action::AddCodings {
                codings: vec![Coding {
                    id,
                    source: self.src,
                    span: Span::new(start, end),
                    code: self.code,
                    coder: "ana".into(),
                    created: 3,
                }],
            },
        )
        .unwrap();
        id
    }
    fn edit(&mut self, text: &str) -> edit::EditReport {
        let (next, report) = edit_source_text(&self.project, self.src, text).unwrap();
        let via_action = apply(
            &self.project,
            Action::EditSourceText {
                source: self.src,
                text: text.into(),
            },
        )
        .unwrap();
        assert_eq!(next, via_action, "the report function and apply agree");
        self.project = next;
        report
    }
    fn coded(&self, id: CodingId) -> Option<String> {
        self.project
            .coding(id)
            .map(|c| self.project.coded_text(c).to_string())
    }
    fn text(&self) -> String {
        self.project.source(self.src).unwrap().text.to_string()
    }
}

#[test]
fn diff_edit_finds_the_changed_range() {
    assert_eq!(diff_edit("abc", "abc"), None);
    let e = diff_edit("the dog sat", "the big dog sat").unwrap();
    assert_eq!((e.span, e.with.as_str()), (Span::new(4, 4), "big "));
    let e = diff_edit("the big dog", "the dog").unwrap();
    assert_eq!(e.with, "");
    assert_eq!(e.span.len(), 4);
    // Multi-byte characters sharing a leading byte are not cut in half.
    let e = diff_edit("aé", "aè").unwrap();
    assert_eq!((e.span, e.with.as_str()), (Span::new(1, 3), "è"));
    let e = diff_edit("😀x", "😃x").unwrap();
    assert_eq!((e.span, e.with.as_str()), (Span::new(0, 4), "😃"));
    let e = diff_edit("", "new note").unwrap();
    assert_eq!((e.span, e.with.as_str()), (Span::new(0, 0), "new note"));
}

#[test]
fn coding_shifts_when_text_before_changes() {
    let mut fx = fixture("The clinic was busy. Access was poor.");
    let id = fx.code_words("Access was poor");
    let r = fx.edit("Today the clinic was very busy. Access was poor.");
    assert_eq!(fx.coded(id).as_deref(), Some("Access was poor"));
    assert_eq!((r.removed.len(), r.moved, r.shrunk), (0, 1, 0));
    // Text after the coding: nothing moves.
    let r = fx.edit("Today the clinic was very busy. Access was poor. Staff left.");
    assert_eq!(fx.coded(id).as_deref(), Some("Access was poor"));
    assert_eq!(r.moved, 0);
}

#[test]
fn edit_inside_a_coding_grows_or_shrinks_it() {
    let mut fx = fixture("Access was poor in winter.");
    let id = fx.code_words("Access was poor in winter");
    fx.edit("Access was very poor in winter.");
    assert_eq!(
        fx.coded(id).as_deref(),
        Some("Access was very poor in winter")
    );
    fx.edit("Access poor in winter.");
    assert_eq!(fx.coded(id).as_deref(), Some("Access poor in winter"));
    // A non-empty replaced range touching the inner edges changes the coding too.
    fx.edit("Entry poor in winter.");
    assert_eq!(fx.coded(id).as_deref(), Some("Entry poor in winter"));
    fx.edit("Entry poor in summer.");
    assert_eq!(fx.coded(id).as_deref(), Some("Entry poor in summer"));
}

#[test]
fn insertion_at_a_boundary_does_not_extend_the_coding() {
    let mut fx = fixture("one two three");
    let id = fx.code_words("two");
    fx.edit("one XXtwo three");
    assert_eq!(fx.coded(id).as_deref(), Some("two"));
    fx.edit("one XXtwoYY three");
    assert_eq!(fx.coded(id).as_deref(), Some("two"));
    assert_eq!(fx.text(), "one XXtwoYY three");
}

#[test]
fn overlapping_one_end_keeps_the_surviving_words() {
    let mut fx = fixture("alpha beta gamma delta epsilon");
    let id = fx.code_words("beta gamma delta");
    // Delete "alpha beta " (overlaps the start).
    let r = fx.edit("gamma delta epsilon");
    assert_eq!(fx.coded(id).as_deref(), Some("gamma delta"));
    assert_eq!(r.shrunk, 1);
    // Replace "delta epsilon" by "omega" (overlaps the end): the replacement is not coded.
    let r = fx.edit("gamma omega");
    assert_eq!(fx.coded(id).as_deref(), Some("gamma "));
    assert_eq!(r.shrunk, 1);
}

#[test]
fn deleting_the_coded_text_removes_and_reports_the_coding_and_undo_restores_it() {
    let mut fx = fixture("We waited for hours. The GP was kind.");
    let gone = fx.code_words("waited for hours");
    let stays = fx.code_words("The GP was kind");
    let before = fx.project.clone();
    let mut history = History::new();
    let action = Action::EditSourceText {
        source: fx.src,
        text: "We . The GP was kind.".into(),
    };
    let (_, report) = edit_source_text(&fx.project, fx.src, "We . The GP was kind.").unwrap();
    assert_eq!(report.removed.len(), 1);
    assert_eq!(report.removed[0].id, gone);
    fx.project = history.apply(&fx.project, action).unwrap();
    assert!(fx.project.coding(gone).is_none());
    assert_eq!(fx.coded(stays).as_deref(), Some("The GP was kind"));
    let undone = history.undo(&fx.project).unwrap();
    assert_eq!(undone, before);
}

#[test]
fn replacing_a_whole_coded_word_moves_the_coding_onto_the_new_word() {
    let mut fx = fixture("Dr Amira Khan said so.");
    let whole = fx.code_words("Dr Amira Khan");
    let inner = fx.code_words("Khan");
    let next = apply(
        &fx.project,
        Action::ReplaceText {
            label: "Pseudonymise".into(),
            edits: vec![(
                fx.src,
                vec![TextEdit {
                    span: Span::new(0, 13),
                    with: "GP2".into(),
                }],
            )],
        },
    )
    .unwrap();
    fx.project = next;
    assert_eq!(fx.text(), "GP2 said so.");
    assert_eq!(fx.coded(whole).as_deref(), Some("GP2"));
    // Same code on the same span now: stored once.
    assert!(fx.project.coding(inner).is_none());
}

#[test]
fn non_ascii_text_keeps_codings_on_their_words() {
    let mut fx = fixture("Η κλινική 😀 ήταν café\u{301} ανοιχτή.");
    let greek = fx.code_words("ήταν");
    let combining = fx.code_words("café\u{301}");
    fx.edit("Σήμερα η κλινική 👩\u{200d}⚕\u{fe0f} ήταν café\u{301} ανοιχτή.");
    assert_eq!(fx.coded(greek).as_deref(), Some("ήταν"));
    assert_eq!(fx.coded(combining).as_deref(), Some("café\u{301}"));
    // Removing the combining accent shrinks the coding from inside.
    fx.edit("Σήμερα η κλινική 👩\u{200d}⚕\u{fe0f} ήταν cafe ανοιχτή.");
    assert_eq!(fx.coded(combining).as_deref(), Some("cafe"));
    for c in fx.project.all_codings() {
        assert!(c.span.is_valid_for(&fx.text()));
    }
}

#[test]
fn pasted_crlf_is_normalised() {
    let mut fx = fixture("line one\nline two");
    let id = fx.code_words("line two");
    fx.edit("line one\r\npasted\r\nline two");
    assert_eq!(fx.text(), "line one\npasted\nline two");
    assert_eq!(fx.coded(id).as_deref(), Some("line two"));
}

#[test]
fn typing_bursts_are_one_undo_step() {
    let fx = fixture("");
    let mut history = History::new();
    let mut p = fx.project.clone();
    for t in ["W", "We", "We w", "We waited"] {
        p = history
            .apply(
                &p,
                Action::EditSourceText {
                    source: fx.src,
                    text: t.into(),
                },
            )
            .unwrap();
    }
    assert_eq!(
        history.undo_labels().count(),
        1,
        "four commits, one undo step"
    );
    assert_eq!(&*p.source(fx.src).unwrap().text, "We waited");
    let back = history.undo(&p).unwrap();
    assert_eq!(&*back.source(fx.src).unwrap().text, "");
}

#[test]
fn an_empty_field_note_can_be_created_and_typed_into() {
    let fx = fixture("");
    assert_eq!(fx.project.source(fx.src).unwrap().text.len(), 0);
    let p = apply(
        &fx.project,
        Action::EditSourceText {
            source: fx.src,
            text: "Observed the waiting room.".into(),
        },
    )
    .unwrap();
    assert_eq!(
        &*p.source(fx.src).unwrap().text,
        "Observed the waiting room."
    );
}

#[test]
fn turns_follow_the_text() {
    let mut fx = fixture("A: hello there\nB: fine thanks\nA: bye");
    let text = fx.text();
    let turn = |speaker: &str, words: &str| Turn {
        speaker: Some(speaker.into()),
        span: {
            let s = text.find(words).unwrap();
            Span::new(s, s + words.len())
        },
        start_ms: None,
        end_ms: None,
    };
    let turns = vec![
        turn("A", "hello there"),
        turn("B", "fine thanks"),
        turn("A", "bye"),
    ];
    let src = fx.src;
    let s = fx.project.sources.iter_mut().find(|s| s.id == src).unwrap();
    Arc::make_mut(s).turns = turns;
    // Insert inside the first turn, append at the end of the second, delete the third's text.
    fx.edit("A: hello out there\nB: fine thanks\nA: bye");
    fx.edit("A: hello out there\nB: fine thanks!\nA: bye");
    fx.edit("A: hello out there\nB: fine thanks!\nA: ");
    let turns = &fx.project.source(src).unwrap().turns;
    let t = fx.text();
    let said: Vec<&str> = turns.iter().map(|x| &t[x.span.start..x.span.end]).collect();
    assert_eq!(said, vec!["hello out there", "fine thanks!"]);
}

#[test]
fn invalid_edits_are_refused_and_change_nothing() {
    let fx = fixture("abc😀def");
    let bad = [
        vec![TextEdit {
            span: Span::new(4, 5),
            with: "x".into(),
        }],
        vec![TextEdit {
            span: Span::new(2, 99),
            with: "x".into(),
        }],
        vec![
            TextEdit {
                span: Span::new(0, 2),
                with: "x".into(),
            },
            TextEdit {
                span: Span::new(1, 3),
                with: "y".into(),
            },
        ],
    ];
    for edits in bad {
        assert!(matches!(
            edit_source(&fx.project, fx.src, &edits),
            Err(ActionError::InvalidSpan { .. })
        ));
    }
}

#[test]
fn matrix_quote_references_still_resolve_after_an_edit() {
    let mut p = demo::demo_project(&mut SeqIds::new(3), 0);
    let with_quotes: Vec<CodingId> = p
        .matrices
        .iter()
        .flat_map(|m| m.cells.values().flat_map(|r| r.values()))
        .flat_map(|t| {
            framewise_core::matrix::summary_parts(t)
                .into_iter()
                .filter_map(|part| match part {
                    framewise_core::matrix::SummaryPart::Quote(id) => Some(id),
                    _ => None,
                })
        })
        .collect();
    assert!(!with_quotes.is_empty(), "the demo has quote references");
    let id = with_quotes[0];
    let coding = p.coding(id).unwrap().clone();
    let quoted = p.coded_text(&coding).to_string();
    // Insert a paragraph at the start of that source.
    let text = p.source(coding.source).unwrap().text.to_string();
    p = apply(
        &p,
        Action::EditSourceText {
            source: coding.source,
            text: format!("Added note.\n{text}"),
        },
    )
    .unwrap();
    let after = p.coding(id).unwrap();
    assert_eq!(p.coded_text(after), quoted);
    for m in &p.matrices {
        for t in m.cells.values().flat_map(|r| r.values()) {
            assert!(framewise_core::matrix::broken_references(&p, t).is_empty());
        }
    }
}

/// Text made of ASCII, Greek, emoji and combining marks, so offsets cross multi-byte chars.
fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!["a", "b", " ", "\n", "é", "λ", "😀", "e\u{301}", "漢"]),
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// A char boundary of `text` chosen by `frac` (0..=1000).
fn boundary(text: &str, frac: usize) -> usize {
    let mut points: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    points.push(text.len());
    points[frac * (points.len() - 1) / 1000]
}

proptest! {
    #[test]
    fn codings_keep_their_words(
        text in text_strategy(),
        spans in prop::collection::vec((0usize..=1000, 0usize..=1000), 0..8),
        edit in (0usize..=1000, 0usize..=1000),
        with in text_strategy(),
    ) {
        let mut fx = fixture(&text);
        let mut ids = Vec::new();
        for (x, y) in spans {
            let (a, b) = (boundary(&text, x.min(y)), boundary(&text, x.max(y)));
            // Codings of one code never overlap (they merge, issue 9).
            if a < b && fx.project.codings_of(fx.src).iter().all(|c| c.span.end <= a || b <= c.span.start) {
                ids.push((fx.code_span(a, b), Span::new(a, b)));
            }
        }
        let (ea, eb) = (boundary(&text, edit.0.min(edit.1)), boundary(&text, edit.0.max(edit.1)));
        let e = TextEdit { span: Span::new(ea, eb), with: with.clone() };
        let (next, report) = edit_source(&fx.project, fx.src, std::slice::from_ref(&e)).unwrap();
        let new_text = next.source(fx.src).unwrap().text.to_string();
        prop_assert_eq!(&new_text, &format!("{}{}{}", &text[..ea], with, &text[eb..]));
        let list = next.codings_of(fx.src);
        prop_assert!(list.windows(2).all(|w| (w[0].span.start, w[0].span.end, w[0].id) <= (w[1].span.start, w[1].span.end, w[1].id)));
        prop_assert_eq!(list.len() + report.removed.len() + report.merged, ids.len());
        for (id, old) in &ids {
            let old_words = &text[old.start..old.end];
            let Some(c) = next.coding(*id) else {
                // Removed (reported) or merged into an identical coding.
                let reported = report.removed.iter().any(|r| r.id == *id);
                prop_assert!(reported || report.merged > 0);
                if reported {
                    prop_assert!(ea <= old.start && old.end <= eb && with.is_empty());
                }
                continue;
            };
            prop_assert!(c.span.is_valid_for(&new_text));
            let now = &new_text[c.span.start..c.span.end];
            let untouched = eb < old.start || ea > old.end
                || (ea == eb && (ea == old.start || ea == old.end))
                || (ea < eb && (eb == old.start || ea == old.end));
            if untouched {
                prop_assert_eq!(now, old_words, "untouched coding keeps its words");
            } else if old.start <= ea && eb <= old.end {
                let expected = format!("{}{}{}", &text[old.start..ea], with, &text[eb..old.end]);
                prop_assert_eq!(now, expected.as_str(), "edit inside grows/shrinks");
            } else if ea <= old.start && old.end <= eb {
                prop_assert_eq!(now, with.as_str(), "replaced words are covered by the replacement");
            } else if ea < old.start {
                prop_assert_eq!(now, &text[eb..old.end], "left overlap keeps the survivors");
            } else {
                prop_assert_eq!(now, &text[old.start..ea], "right overlap keeps the survivors");
            }
        }
    }
}
