//! The codebook tree as shown (`code_tree`): visible rows with collapsed codes, the filter (matches
//! and their ancestors), where a code may move, and the import preview's tree order.
#![allow(clippy::unwrap_used)]

use framewise_core::code_tree::{can_move, filter_codes, import_rows, visible_rows};
use framewise_core::*;
use std::collections::HashSet;

fn code(ids: &mut SeqIds, name: &str, parent: Option<CodeId>) -> Code {
    Code {
        id: ids.code_id(),
        name: name.into(),
        parent,
        color: "#e69f00".into(),
        description: String::new(),
        origin: CodeOrigin::Deductive,
        memo: String::new(),
        created: 0,
    }
}

/// Access > (Transport > Bus, Distance), Cost.
fn fixture() -> (Project, [CodeId; 5]) {
    let mut ids = SeqIds::new(3);
    let p = Project::new(ids.project_id(), "Tree", 0);
    let access = code(&mut ids, "Access", None);
    let transport = code(&mut ids, "Transport", Some(access.id));
    let bus = code(&mut ids, "Bus", Some(transport.id));
    let distance = code(&mut ids, "Distance", Some(access.id));
    let cost = code(&mut ids, "Cost of transport", None);
    let all = [access.id, transport.id, bus.id, distance.id, cost.id];
    let p = apply(
        &p,
        Action::ImportCodes {
            codes: vec![access, transport, bus, distance, cost],
        },
    )
    .unwrap();
    (p, all)
}

#[test]
fn visible_rows_hide_the_children_of_collapsed_codes() {
    let (p, [access, transport, bus, distance, cost]) = fixture();
    let none = HashSet::new();
    assert_eq!(
        visible_rows(&p, &none, None),
        vec![
            (access, 0),
            (transport, 1),
            (bus, 2),
            (distance, 1),
            (cost, 0)
        ]
    );
    let collapsed: HashSet<CodeId> = [transport].into();
    assert_eq!(
        visible_rows(&p, &collapsed, None),
        vec![(access, 0), (transport, 1), (distance, 1), (cost, 0)]
    );
}

#[test]
fn a_filter_keeps_matches_and_their_ancestors_expanded() {
    let (p, [access, transport, bus, _distance, cost]) = fixture();
    assert_eq!(filter_codes(&p, "  "), None);
    let f = filter_codes(&p, "TRANSPORT").unwrap();
    assert_eq!(f.matches, [transport, cost].into());
    assert_eq!(f.shown, [access, transport, cost].into());
    // Collapsed parents do not hide a match.
    let collapsed: HashSet<CodeId> = [access, transport].into();
    assert_eq!(
        visible_rows(&p, &collapsed, Some(&f)),
        vec![(access, 0), (transport, 1), (cost, 0)]
    );
    let f = filter_codes(&p, "bus").unwrap();
    assert_eq!(
        visible_rows(&p, &HashSet::new(), Some(&f)),
        vec![(access, 0), (transport, 1), (bus, 2)]
    );
    let f = filter_codes(&p, "nothing like it").unwrap();
    assert!(visible_rows(&p, &HashSet::new(), Some(&f)).is_empty());
}

#[test]
fn codes_move_anywhere_but_under_themselves() {
    let (p, [access, transport, bus, _distance, cost]) = fixture();
    assert!(can_move(&p, bus, None));
    assert!(can_move(&p, bus, Some(cost)));
    assert!(!can_move(&p, bus, Some(transport)), "already there");
    assert!(!can_move(&p, access, Some(bus)), "under its own descendant");
    assert!(!can_move(&p, access, Some(access)));
    assert!(!can_move(&p, access, None), "already at the top level");
}

#[test]
fn import_rows_list_parents_before_children_with_paths() {
    let (p, [access, ..]) = fixture();
    let mut ids = SeqIds::new(99);
    let child = code(&mut ids, "Walking", None);
    let theme = code(&mut ids, "Theme", None);
    let child = Code {
        parent: Some(theme.id),
        ..child
    };
    let under_access = code(&mut ids, "Clinic hours", Some(access));
    let codes = vec![child, theme, under_access];
    let rows: Vec<String> = import_rows(&p, &codes)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        rows,
        vec!["Theme", "Theme > Walking", "Access > Clinic hours"]
    );
}
