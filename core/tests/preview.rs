//! Previews apply the action and compare: what a dialog announces is what `apply` then does.
#![allow(clippy::unwrap_used)]

mod common;

use common::{code, coding, source};
use framewise_core::preview::{effect, preview};
use framewise_core::*;
use std::collections::BTreeMap;

/// Codes From (with a child Sub) and Into; From codes three passages, one of them also coded
/// with Into; a second source has no codings of either.
struct Fixture {
    project: Project,
    from: CodeId,
    into: CodeId,
    sub: CodeId,
    shared: CodingId,
}

fn fixture() -> Fixture {
    let mut ids = SeqIds::new(7);
    let mut project = Project::new(ids.project_id(), "Merge", 0);
    let text = "one two three four five six seven eight nine ten";
    let sources: Vec<Source> = ["a", "b"]
        .iter()
        .map(|name| source(&mut ids, name, text))
        .collect();
    let (s1, s2) = (sources[0].id, sources[1].id);
    project = apply(&project, Action::AddSources { sources }).unwrap();
    let from = code(&mut ids, "From", None);
    let sub = code(&mut ids, "Sub", Some(from.id));
    let into = code(&mut ids, "Into", None);
    let other = code(&mut ids, "Other", None);
    let (from_id, sub_id, into_id, other_id) = (from.id, sub.id, into.id, other.id);
    for code in [from, sub, into, other] {
        project = apply(&project, Action::CreateCode { code }).unwrap();
    }
    let shared = coding(&mut ids, s1, from_id, 4, 7);
    let shared_id = shared.id;
    let codings = vec![
        coding(&mut ids, s1, from_id, 0, 3),
        shared,
        coding(&mut ids, s1, into_id, 4, 7),
        coding(&mut ids, s1, from_id, 20, 30),
        coding(&mut ids, s2, other_id, 0, 3),
    ];
    project = apply(&project, Action::AddCodings { codings }).unwrap();
    Fixture {
        project,
        from: from_id,
        into: into_id,
        sub: sub_id,
        shared: shared_id,
    }
}

#[test]
fn merging_codes_is_previewed_by_applying_it() {
    let f = fixture();
    let action = Action::MergeCodes {
        from: f.from,
        into: f.into,
    };
    let shown = preview(&f.project, action.clone()).unwrap();
    // The preview's project is exactly what applying gives.
    assert_eq!(shown.project, apply(&f.project, action).unwrap());
    let e = &shown.effect;
    // Two passages move to Into; the one already coded with Into is combined (one coding goes).
    assert_eq!(e.codings_recoded, 2);
    assert_eq!(e.codings_removed.len(), 1);
    assert_eq!(e.codings_removed[0].id, f.shared);
    assert_eq!(e.codings_added, 0);
    assert_eq!(e.codes_removed, vec![f.from]);
    // The child goes under Into.
    assert_eq!(e.codes_moved, vec![f.sub]);
    assert_eq!(
        shown.project.code(f.sub).and_then(|c| c.parent),
        Some(f.into)
    );
    // The project passed in is untouched.
    assert!(f.project.code(f.from).is_some());
}

#[test]
fn a_refused_action_is_refused_in_the_preview_too() {
    let f = fixture();
    let refused = preview(
        &f.project,
        Action::MergeCodes {
            from: f.from,
            into: f.from,
        },
    );
    assert_eq!(refused, Err(ActionError::MergeIntoSelf));
}

#[test]
fn nothing_changed_is_an_empty_effect() {
    let f = fixture();
    assert_eq!(effect(&f.project, &f.project), Default::default());
    let renamed = apply(
        &f.project,
        Action::RenameCode {
            id: f.into,
            name: "Into, renamed".into(),
        },
    )
    .unwrap();
    assert_eq!(effect(&f.project, &renamed), Default::default());
}

#[test]
fn deleting_a_code_counts_its_codings_and_its_children_moving_up() {
    let f = fixture();
    let e = preview(&f.project, Action::DeleteCode { id: f.from })
        .unwrap()
        .effect;
    assert_eq!(e.codings_removed.len(), 3);
    assert_eq!(e.codes_removed, vec![f.from]);
    assert_eq!(e.codes_moved, vec![f.sub]);
}

#[test]
fn values_that_no_longer_fit_a_new_type_are_counted() {
    let mut ids = SeqIds::new(99);
    let mut project = Project::new(ids.project_id(), "Cases", 0);
    let attribute = Attribute {
        id: ids.attribute_id(),
        name: "age".into(),
        kind: AttributeKind::Text,
    };
    let a = attribute.id;
    project = apply(&project, Action::AddAttribute { attribute }).unwrap();
    let cases: Vec<Case> = [("P1", "34"), ("P2", "about forty")]
        .iter()
        .map(|(name, value)| Case {
            id: ids.case_id(),
            name: (*name).into(),
            parent: None,
            sources: Vec::new(),
            memo: String::new(),
            values: BTreeMap::from([(a, AttrValue::Text((*value).into()))]),
            speakers: Vec::new(),
            created: 0,
        })
        .collect();
    let p2 = cases[1].id;
    project = apply(&project, Action::AddCases { cases }).unwrap();
    let e = preview(
        &project,
        Action::SetAttributeKind {
            id: a,
            kind: AttributeKind::Number,
        },
    )
    .unwrap()
    .effect;
    assert_eq!(e.values_removed, vec![(p2, a)]);
}
