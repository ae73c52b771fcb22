//! Facts about the built-in demo project: enough material, a sound codebook, every quote found.
#![allow(clippy::unwrap_used)]

use framewise_core::demo::{demo_project, demo_quote_count, demo_quote_problems};
use framewise_core::{
    AttrValue, AttributeKind, CodeOrigin, Project, RowSelection, SeqIds, SourceKind,
};
use std::collections::BTreeSet;

const NOW: i64 = 1_710_000_000_000;

fn demo() -> Project {
    demo_project(&mut SeqIds::new(7), NOW)
}

#[test]
fn every_quote_is_found_exactly_once_and_becomes_a_coding() {
    assert_eq!(demo_quote_problems(), Vec::<String>::new());
    let project = demo();
    assert_eq!(project.coding_count(), demo_quote_count());
    assert!(project.coding_count() >= 40, "{}", project.coding_count());
}

#[test]
fn six_long_interviews_and_two_field_notes() {
    let project = demo();
    let interviews: Vec<_> = project
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Interview)
        .collect();
    assert_eq!(interviews.len(), 6);
    for s in &interviews {
        let words = s.text.split_whitespace().count();
        assert!(words >= 800, "{} has {words} words", s.name);
        assert!(s.text.contains("\nInterviewer: "), "{}", s.name);
    }
    let notes: Vec<_> = project
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::FieldNotes)
        .collect();
    assert_eq!(notes.len(), 2);
    for s in &notes {
        let words = s.text.split_whitespace().count();
        assert!((400..=800).contains(&words), "{} has {words} words", s.name);
    }
    assert_eq!(project.sources.len(), 8);
}

#[test]
fn texts_are_lf_only_and_exercise_non_ascii() {
    let project = demo();
    for s in &project.sources {
        assert!(!s.text.contains('\r'), "{} contains CR", s.name);
        assert!(!s.text.contains("\n\n"), "{} has blank lines", s.name);
        assert!(!s.text.ends_with('\n'), "{} ends with a newline", s.name);
        assert!(s.text.contains('—'), "{} has no em dash", s.name);
    }
    let all: String = project.sources.iter().map(|s| &*s.text).collect();
    assert!(all.contains('£') && all.contains("café"));
    // Some codings start after, or cover, multi-byte characters.
    assert!(project
        .all_codings()
        .any(|c| !project.coded_text(c).is_ascii()));
}

#[test]
fn codebook_has_four_themes_and_both_origins() {
    let project = demo();
    let themes: Vec<_> = project.children(None).collect();
    assert_eq!(themes.len(), 4);
    for theme in &themes {
        assert!(
            project.children(Some(theme.id)).count() >= 3,
            "theme {} has too few children",
            theme.name
        );
    }
    let inductive = project
        .codes
        .iter()
        .filter(|c| c.origin == CodeOrigin::Inductive)
        .count();
    let deductive = project
        .codes
        .iter()
        .filter(|c| c.origin == CodeOrigin::Deductive)
        .count();
    assert!(inductive >= 3, "{inductive} inductive codes");
    assert!(deductive >= 12, "{deductive} deductive codes");
    for (i, code) in project.codes.iter().enumerate() {
        assert_eq!(code.color, framewise_core::color_for(i), "{}", code.name);
        assert!(!code.description.trim().is_empty(), "{}", code.name);
        assert_eq!(code.created, NOW);
    }
    let names: BTreeSet<_> = project.codes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), project.codes.len(), "duplicate code names");
}

#[test]
fn every_code_and_every_source_is_used() {
    let project = demo();
    let counts = project.code_counts();
    for code in &project.codes {
        assert!(
            counts.get(&code.id).is_some_and(|c| c.codings > 0),
            "code {} is never used",
            code.name
        );
    }
    for source in &project.sources {
        assert!(
            !project.codings_of(source.id).is_empty(),
            "source {} has no coding",
            source.name
        );
    }
    let coders: BTreeSet<_> = project.all_codings().map(|c| c.coder.as_str()).collect();
    assert_eq!(coders.len(), 2, "{coders:?}");
}

#[test]
fn code_counts_are_codings_and_distinct_sources_per_code() {
    let project = demo();
    let counts = project.code_counts();
    let mut several = 0;
    for code in &project.codes {
        let codings: Vec<_> = project
            .all_codings()
            .filter(|c| c.code == code.id)
            .collect();
        let sources: BTreeSet<_> = codings.iter().map(|c| c.source).collect();
        several += usize::from(codings.len() > sources.len());
        let got = counts.get(&code.id).map(|c| (c.codings, c.sources));
        assert_eq!(got, Some((codings.len(), sources.len())), "{}", code.name);
    }
    assert!(several > 0, "some code is used twice in one source");
}

#[test]
fn spans_are_valid_sorted_and_some_overlap() {
    let project = demo();
    let mut overlapping = 0;
    let mut nested = 0;
    for source in &project.sources {
        let list = project.codings_of(source.id);
        for c in list {
            assert_eq!(c.source, source.id);
            assert!(c.span.is_valid_for(&source.text), "{:?}", c.span);
            let text = project.coded_text(c);
            assert_eq!(text.trim(), text, "coded text has edge whitespace");
            assert_eq!(c.created, NOW);
        }
        assert!(list
            .windows(2)
            .all(|w| (w[0].span.start, w[0].span.end, w[0].id)
                <= (w[1].span.start, w[1].span.end, w[1].id)));
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                if a.span.overlaps(&b.span) {
                    overlapping += 1;
                    let (outer, inner) = if a.span.len() >= b.span.len() {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    if outer.span.start <= inner.span.start
                        && inner.span.end <= outer.span.end
                        && outer.span != inner.span
                    {
                        nested += 1;
                    }
                }
            }
        }
    }
    assert!(overlapping >= 1);
    assert!(nested >= 1);
}

#[test]
fn project_name_memo_and_source_memos() {
    let project = demo();
    assert!(project.name.starts_with("Demo"));
    assert!(project.memo.contains("fictional"));
    assert_eq!(project.created, NOW);
    assert!(
        project
            .sources
            .iter()
            .filter(|s| !s.memo.is_empty())
            .count()
            >= 2
    );
    assert!(project.codes.iter().filter(|c| !c.memo.is_empty()).count() >= 2);
}

#[test]
fn same_seed_same_project_other_seed_other_ids() {
    let a = demo_project(&mut SeqIds::new(42), NOW);
    let b = demo_project(&mut SeqIds::new(42), NOW);
    assert_eq!(a, b);
    let c = demo_project(&mut SeqIds::new(43), NOW);
    assert_ne!(a.id, c.id);
    assert_ne!(a.sources[0].id, c.sources[0].id);
    // Ids are all distinct.
    let mut ids = BTreeSet::new();
    assert!(ids.insert(a.id.to_string()));
    for s in &a.sources {
        assert!(ids.insert(s.id.to_string()));
    }
    for code in &a.codes {
        assert!(ids.insert(code.id.to_string()));
    }
    for coding in a.all_codings() {
        assert!(ids.insert(coding.id.to_string()));
    }
}

#[test]
fn sites_and_participants_are_cases_with_attributes() {
    use framewise_core::matrix::case_tree_order;
    let project = demo();
    let order: Vec<&str> = case_tree_order(&project)
        .into_iter()
        .map(|id| project.case(id).unwrap().name.as_str())
        .collect();
    assert_eq!(
        order,
        [
            "Northgate PCN",
            "P01",
            "P02",
            "Fellside PCN",
            "P03",
            "P04",
            "Harbourside PCN",
            "P05",
            "P06"
        ]
    );
    let attribute = |name: &str| {
        project
            .attributes
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("no attribute {name}"))
    };
    let rurality = attribute("rurality");
    let decile = attribute("deprivation decile");
    let role = attribute("role");
    assert_eq!(attribute("practices").kind, AttributeKind::Number);
    assert_eq!(attribute("dispensing").kind, AttributeKind::YesNo);
    for case in &project.cases {
        // Every value fits its attribute (the demo went through `apply`).
        for (a, v) in &case.values {
            assert!(
                v.fits(&project.attribute(*a).unwrap().kind),
                "{}",
                case.name
            );
        }
        match case.parent {
            None => {
                assert!(case.name.ends_with("PCN"));
                assert!(case.values.contains_key(&rurality.id), "{}", case.name);
                assert!(case.values.contains_key(&decile.id), "{}", case.name);
                assert!(case
                    .sources
                    .iter()
                    .all(|s| { project.source(*s).unwrap().kind == SourceKind::FieldNotes }));
            }
            Some(site) => {
                assert!(case.values.contains_key(&role.id), "{}", case.name);
                // Each participant is linked to their own interview, named after them, and
                // the interview's site is the parent's.
                assert_eq!(case.sources.len(), 1, "{}", case.name);
                let source = project.source(case.sources[0]).unwrap();
                assert_eq!(source.kind, SourceKind::Interview);
                assert!(source.name.starts_with(&case.name), "{}", source.name);
                let site = project.case(site).unwrap();
                assert!(source.name.contains(&site.name), "{}", source.name);
            }
        }
    }
    // Every source belongs to exactly one case.
    for source in &project.sources {
        let owners = project
            .cases
            .iter()
            .filter(|c| c.sources.contains(&source.id))
            .count();
        assert_eq!(owners, 1, "{}", source.name);
    }
    let fellside = project
        .cases
        .iter()
        .find(|c| c.name == "Fellside PCN")
        .unwrap();
    assert_eq!(
        fellside.values.get(&rurality.id),
        Some(&AttrValue::Category("rural".into()))
    );
}

#[test]
fn workforce_matrix_is_part_way_charted() {
    use framewise_core::matrix::{
        broken_references, build_view, export_csv, summary_parts, CellState, SummaryPart,
    };
    let project = demo();
    assert_eq!(project.matrices.len(), 1);
    let matrix = &project.matrices[0];
    assert_eq!(matrix.name, "Workforce");
    let workforce = project
        .codes
        .iter()
        .find(|c| c.name == "Workforce")
        .unwrap();
    let children: Vec<_> = project.children(Some(workforce.id)).map(|c| c.id).collect();
    assert_eq!(matrix.columns, children);
    assert_eq!(matrix.rows, RowSelection::All);
    assert_eq!(matrix.created, NOW);

    let view = build_view(&project, matrix);
    assert_eq!(view.rows.len(), 9);
    let states: Vec<CellState> = view.cells.iter().flatten().map(|c| c.state).collect();
    for state in [
        CellState::Empty,
        CellState::DataNoSummary,
        CellState::Summarised,
    ] {
        assert!(states.contains(&state), "no {state:?} cell");
    }
    let summarised = states
        .iter()
        .filter(|s| **s == CellState::Summarised)
        .count();
    assert!(summarised >= 8, "{summarised}");
    // A site's cells include its participants' segments.
    let northgate = view
        .rows
        .iter()
        .position(|r| r.name == "Northgate PCN")
        .unwrap();
    let p01 = view.rows.iter().position(|r| r.name == "P01").unwrap();
    assert!(view.cells[northgate][0].segments > view.cells[p01][0].segments);
    assert_eq!(view.rows[p01].depth, 1);

    // Quote references point at real demo codings of the cell's own case and code.
    let mut quotes = 0;
    for (case, row) in &matrix.cells {
        for (code, summary) in row {
            assert!(broken_references(&project, summary).is_empty(), "{summary}");
            for part in summary_parts(summary) {
                if let SummaryPart::Quote(id) = part {
                    quotes += 1;
                    let coding = project.coding(id).unwrap();
                    assert!(project.is_ancestor_or_self(*code, coding.code));
                    let sources = framewise_core::matrix::case_sources(&project, *case, true);
                    assert!(sources.contains(&coding.source));
                }
            }
        }
    }
    assert_eq!(quotes, 11, "every quote reference of the demo resolves");
    assert!(matrix.case_summaries.len() >= 2);
    let csv = export_csv(&project, matrix);
    assert!(csv.contains("“She was brilliant clinically"), "{csv}");
    assert_eq!(csv.lines().count(), 10);
}

#[test]
fn sustainability_set_cuts_across_themes() {
    let project = demo();
    assert_eq!(project.sets.len(), 1);
    let set = &project.sets[0];
    assert_eq!(set.name, "Sustainability");
    assert!(!set.description.is_empty());
    let themes: BTreeSet<_> = set
        .codes
        .iter()
        .map(|c| {
            let mut id = *c;
            while let Some(parent) = project.code(id).unwrap().parent {
                id = parent;
            }
            id
        })
        .collect();
    assert!(themes.len() >= 2, "{themes:?}");
    assert!(set.codes.len() >= 4);
}

#[test]
fn interviews_have_interviewer_and_participant_turns() {
    let project = demo();
    for source in project
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Interview)
    {
        let speakers: BTreeSet<&str> = source
            .turns
            .iter()
            .filter_map(|t| t.speaker.as_deref())
            .collect();
        assert_eq!(speakers.len(), 2, "{}: {speakers:?}", source.name);
        assert!(speakers.contains("Interviewer"), "{}", source.name);
        // The turns do not include the labels.
        for turn in &source.turns {
            let said = &source.text[turn.span.start..turn.span.end];
            assert!(!said.starts_with("Interviewer:"), "{said}");
        }
    }
}
