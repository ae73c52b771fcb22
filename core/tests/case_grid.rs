//! The case table's rules (`case_table`): row order, what a typed or pasted cell means, valid
//! parents, the attribute form, suggestions of a list cell, and the preview of a type change
//! measured by applying the action (`preview`).
#![allow(clippy::unwrap_used)]

use framewise_core::case_table::{
    cell_action, duplicate_case_name, kind_from_form, plan_paste, suggestions, valid_parents,
    Column, FIXED_COLUMNS,
};
use framewise_core::preview::preview;
use framewise_core::*;
use std::collections::BTreeMap;

fn case(ids: &mut SeqIds, name: &str, parent: Option<CaseId>) -> Case {
    Case {
        id: ids.case_id(),
        name: name.into(),
        parent,
        sources: Vec::new(),
        memo: String::new(),
        values: BTreeMap::new(),
        created: 0,
        speakers: Vec::new(),
    }
}

struct Fixture {
    project: Project,
    northgate: CaseId,
    p01: CaseId,
    p02: CaseId,
    riverside: CaseId,
    rurality: AttributeId,
    note: AttributeId,
}

/// Northgate (P01, P02 under it) and Riverside; attributes rurality (category urban|rural|mixed)
/// and note (text). Northgate is urban; notes "12", "twelve" on P01, P02.
fn fixture() -> Fixture {
    let mut ids = SeqIds::new(7);
    let mut p = Project::new(ids.project_id(), "Cases", 0);
    let northgate = case(&mut ids, "Northgate", None);
    let riverside = case(&mut ids, "Riverside", None);
    let p01 = case(&mut ids, "P01", Some(northgate.id));
    let p02 = case(&mut ids, "P02", Some(northgate.id));
    let (n, r, a, b) = (northgate.id, riverside.id, p01.id, p02.id);
    p = apply(
        &p,
        Action::AddCases {
            cases: vec![northgate, riverside, p01, p02],
        },
    )
    .unwrap();
    let rurality = Attribute {
        id: ids.attribute_id(),
        name: "rurality".into(),
        kind: AttributeKind::Category(vec!["urban".into(), "rural".into(), "mixed".into()]),
    };
    let note = Attribute {
        id: ids.attribute_id(),
        name: "note".into(),
        kind: AttributeKind::Text,
    };
    let (ru, no) = (rurality.id, note.id);
    for attribute in [rurality, note] {
        p = apply(&p, Action::AddAttribute { attribute }).unwrap();
    }
    p = apply(
        &p,
        Action::SetAttributeValues {
            values: vec![
                (n, ru, Some(AttrValue::Category("urban".into()))),
                (a, no, Some(AttrValue::Text("12".into()))),
                (b, no, Some(AttrValue::Text("twelve".into()))),
            ],
        },
    )
    .unwrap();
    Fixture {
        project: p,
        northgate: n,
        p01: a,
        p02: b,
        riverside: r,
        rurality: ru,
        note: no,
    }
}

#[test]
fn rows_follow_the_case_tree_and_parents_exclude_the_case_and_its_sub_cases() {
    let f = fixture();
    let rows = f.project.case_tree();
    assert_eq!(
        rows,
        vec![(f.northgate, 0), (f.p01, 1), (f.p02, 1), (f.riverside, 0)]
    );
    let parents: Vec<CaseId> = valid_parents(&f.project, &rows, f.northgate)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(parents, vec![f.riverside]);
    assert_eq!(Column::at(0), Column::Name);
    assert_eq!(Column::at(FIXED_COLUMNS + 1), Column::Attribute(1));
}

#[test]
fn typed_category_text_is_matched_exactly_ignoring_case_or_refused() {
    let f = fixture();
    let col = FIXED_COLUMNS; // rurality
    assert_eq!(
        cell_action(&f.project, f.p01, col, " MIXED "),
        Ok(Some(Action::SetAttributeValues {
            values: vec![(f.p01, f.rurality, Some(AttrValue::Category("mixed".into())))]
        }))
    );
    assert_eq!(
        cell_action(&f.project, f.p01, col, "suburban"),
        Err("“suburban” is not one of: urban, rural, mixed".into())
    );
    // A prefix is not a match: "urb" never saves "urban".
    assert!(cell_action(&f.project, f.p01, col, "urb").is_err());
    // The same value again changes nothing; empty text clears.
    assert_eq!(cell_action(&f.project, f.northgate, col, "urban"), Ok(None));
    assert_eq!(
        cell_action(&f.project, f.northgate, col, ""),
        Ok(Some(Action::SetAttributeValues {
            values: vec![(f.northgate, f.rurality, None)]
        }))
    );
}

#[test]
fn names_and_parents_are_checked() {
    let f = fixture();
    assert_eq!(
        cell_action(&f.project, f.p01, 0, "  "),
        Err("A case needs a name.".into())
    );
    assert_eq!(
        cell_action(&f.project, f.p01, 0, "P1"),
        Ok(Some(Action::RenameCase {
            id: f.p01,
            name: "P1".into()
        }))
    );
    assert_eq!(
        cell_action(&f.project, f.northgate, 1, &f.p01.to_string()),
        Err("A case cannot be placed under itself or its sub-cases.".into())
    );
    assert_eq!(
        cell_action(&f.project, f.p01, 1, ""),
        Ok(Some(Action::SetCaseParent {
            id: f.p01,
            parent: None
        }))
    );
    assert_eq!(cell_action(&f.project, f.p01, 2, "anything"), Ok(None));
    assert_eq!(
        duplicate_case_name(&f.project, Some(f.northgate), "p01"),
        Some("There is already a case named “p01” there.".into())
    );
    assert_eq!(duplicate_case_name(&f.project, None, "P01"), None);
}

#[test]
fn paste_fills_downward_and_reports_what_does_not_fit() {
    let f = fixture();
    let rows = f.project.case_tree();
    let plan = plan_paste(
        &f.project,
        &rows,
        1,
        0,
        "rural\tfirst\r\nsuburban\r\nmixed\nx\ny\n",
    );
    assert_eq!(
        plan.values,
        vec![
            (f.p01, f.rurality, Some(AttrValue::Category("rural".into()))),
            (f.p01, f.note, Some(AttrValue::Text("first".into()))),
            (
                f.riverside,
                f.rurality,
                Some(AttrValue::Category("mixed".into()))
            ),
        ]
    );
    assert_eq!(
        plan.problems,
        vec![
            "Row 3 (P02), rurality: “suburban” is not one of: urban, rural, mixed".to_string(),
            "2 lines below the last case were not pasted.".to_string(),
        ]
    );
}

#[test]
fn attribute_form_reads_types_and_category_values() {
    assert_eq!(kind_from_form("number", ""), Ok(AttributeKind::Number));
    assert_eq!(
        kind_from_form("category", " urban\n\nRural\nURBAN\nrural \n"),
        Ok(AttributeKind::Category(vec![
            "urban".into(),
            "Rural".into()
        ]))
    );
    assert!(kind_from_form("category", "\n \n").is_err());
    assert!(kind_from_form("colour", "").is_err());
    for kind in [
        AttributeKind::Text,
        AttributeKind::Date,
        AttributeKind::YesNo,
        AttributeKind::Category(vec!["a".into()]),
    ] {
        let back = kind_from_form(kind.key(), "a").unwrap();
        assert_eq!(back, kind);
    }
}

#[test]
fn suggestions_put_prefix_matches_first() {
    let values: Vec<String> = ["urban", "rural", "mixed", "suburban"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        suggestions(&values, ""),
        vec!["urban", "rural", "mixed", "suburban"]
    );
    assert_eq!(
        suggestions(&values, "UR"),
        vec!["urban", "rural", "suburban"]
    );
    assert_eq!(suggestions(&values, "sub"), vec!["suburban"]);
    assert!(suggestions(&values, "zz").is_empty());
}

#[test]
fn a_type_change_preview_counts_what_apply_removes() {
    let f = fixture();
    let lost = |id: AttributeId, kind: AttributeKind| {
        let effect = preview(&f.project, Action::SetAttributeKind { id, kind })
            .unwrap()
            .effect;
        effect
            .values_removed
            .iter()
            .filter(|(_, a)| *a == id)
            .count()
    };
    // Text → number: "12" converts, "twelve" is removed.
    assert_eq!(lost(f.note, AttributeKind::Number), 1);
    // Category without "urban": Northgate's value goes.
    assert_eq!(
        lost(f.rurality, AttributeKind::Category(vec!["rural".into()])),
        1
    );
    // To text, everything survives.
    assert_eq!(lost(f.rurality, AttributeKind::Text), 0);
}
