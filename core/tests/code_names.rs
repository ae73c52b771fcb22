//! Issue 9 (defects of the coding flow): two codes with the same name under the same parent
//! cannot be made — by creating, importing, renaming or moving — names compared ignoring case
//! and surrounding whitespace.
#![allow(clippy::unwrap_used)]

mod common;

use common::code;
use framewise_core::*;

#[test]
fn a_sibling_name_is_refused_with_a_readable_message() {
    let mut ids = SeqIds::new(1);
    let mut p = Project::new(ids.project_id(), "Names", 0);
    let resources = code(&mut ids, "Resources", None);
    let funding = code(&mut ids, "Funding", Some(resources.id));
    let staff = code(&mut ids, "Staff", None);
    let (r, f_id, s_id) = (resources.id, funding.id, staff.id);
    p = apply(
        &p,
        Action::ImportCodes {
            codes: vec![resources, funding, staff],
        },
    )
    .unwrap();

    // Creating: same name, other case and spaces, under the same parent.
    let twin = code(&mut ids, "  funding ", Some(r));
    let err = apply(&p, Action::CreateCode { code: twin }).unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is already a code “Funding” under “Resources”"
    );
    let top = code(&mut ids, "STAFF", None);
    let err = apply(&p, Action::CreateCode { code: top }).unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is already a code “Staff” at the top level"
    );
    // The same name elsewhere in the tree is fine.
    let elsewhere = code(&mut ids, "Funding", None);
    let elsewhere_id = elsewhere.id;
    p = apply(&p, Action::CreateCode { code: elsewhere }).unwrap();

    // Importing two of the same name at once is refused as a whole.
    let (x, y) = (code(&mut ids, "New", None), code(&mut ids, "new", None));
    assert!(matches!(
        apply(&p, Action::ImportCodes { codes: vec![x, y] }),
        Err(ActionError::DuplicateCodeName { .. })
    ));

    // Renaming into a clash is refused; renaming a code's own case is not.
    assert!(matches!(
        apply(
            &p,
            Action::RenameCode {
                id: s_id,
                name: "funding".into()
            }
        ),
        Err(ActionError::DuplicateCodeName { .. })
    ));
    assert!(apply(
        &p,
        Action::RenameCode {
            id: s_id,
            name: "STAFF".into()
        }
    )
    .is_ok());

    // Moving next to a sibling of the same name is refused.
    assert!(matches!(
        apply(
            &p,
            Action::MoveCode {
                id: elsewhere_id,
                parent: Some(r),
                before: None
            }
        ),
        Err(ActionError::DuplicateCodeName { .. })
    ));
    assert_eq!(p.code_named(Some(r), " FUNDING").map(|c| c.id), Some(f_id));
    assert!(same_code_name("Ça va ", "ÇA VA"));
}

/// Merging or deleting a code moves its children: a child may not land beside a code of its
/// name (found by use: merging "Staff" into "Resources", both with a child "Funding", made two
/// "Funding" under one parent).
#[test]
fn merging_or_deleting_refuses_to_put_two_same_named_codes_under_one_parent() {
    let mut ids = SeqIds::new(7);
    let mut p = Project::new(ids.project_id(), "Names", 0);
    let resources = code(&mut ids, "Resources", None);
    let funding = code(&mut ids, "Funding", Some(resources.id));
    let staff = code(&mut ids, "Staff", None);
    let staff_funding = code(&mut ids, "funding", Some(staff.id));
    let rota = code(&mut ids, "Rota", Some(staff.id));
    let top_funding = code(&mut ids, "Funding", None);
    let (r, s, sf, rota_id) = (resources.id, staff.id, staff_funding.id, rota.id);
    p = apply(
        &p,
        Action::ImportCodes {
            codes: vec![resources, funding, staff, staff_funding, rota, top_funding],
        },
    )
    .unwrap();

    let err = apply(&p, Action::MergeCodes { from: s, into: r }).unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is already a code “Funding” under “Resources”"
    );
    // Deleting "Staff" would lift its "funding" beside the top-level "Funding".
    let err = apply(&p, Action::DeleteCode { id: s }).unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is already a code “Funding” at the top level"
    );
    // Merging a child into its parent lifts nothing that clashes: allowed.
    let merged = apply(&p, Action::MergeCodes { from: sf, into: s }).unwrap();
    assert!(merged.code(sf).is_none());
    // Once the clash is renamed away, the merge goes through and the children move.
    let p = apply(
        &p,
        Action::RenameCode {
            id: sf,
            name: "Staff funding".into(),
        },
    )
    .unwrap();
    let merged = apply(&p, Action::MergeCodes { from: s, into: r }).unwrap();
    assert_eq!(merged.code(rota_id).and_then(|c| c.parent), Some(r));
    assert_eq!(merged.code(sf).and_then(|c| c.parent), Some(r));
}
