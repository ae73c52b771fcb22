//! Saved searches (named queries): saving, renaming and deleting them as undoable actions, their
//! scopes following a copy under fresh ids, and pseudonymisation reaching their names and words.
//! Persistence is tested in `persist.rs` (round trips, the version-4 fixture, lenient loading).

#![allow(clippy::unwrap_used)]

use framewise_core::model::query::SavedQuery;
use framewise_core::search::{SearchOptions, SearchScope};
use framewise_core::*;

mod common;

fn project() -> Project {
    let mut ids = SeqIds::new(1);
    let mut p = Project::new(ids.project_id(), "Queries", 0);
    let source = common::source(
        &mut ids,
        "Dr Patel interview",
        "Dr Patel said the wait was long.",
    );
    let case = Case::new(ids.case_id(), "Site A", 0);
    let set = CodeSet {
        id: ids.set_id(),
        name: "Access".into(),
        description: String::new(),
        codes: Vec::new(),
        created: 0,
    };
    p = apply(
        &p,
        Action::Batch {
            label: "set up".into(),
            actions: vec![
                Action::AddSources {
                    sources: vec![source],
                },
                Action::AddCases { cases: vec![case] },
                Action::CreateSet { set },
            ],
        },
    )
    .unwrap();
    p
}

fn query(id: u8, name: &str, text: &str, scope: SearchScope) -> SavedQuery {
    SavedQuery {
        id: QueryId::from_random_bytes([id; 16]),
        name: name.into(),
        query: text.into(),
        options: SearchOptions::default(),
        scope,
        created: 5,
    }
}

#[test]
fn saving_renaming_and_deleting_a_search_are_single_undo_steps() {
    let p = project();
    let mut history = History::new();
    let q = query(1, "  Waiting  ", "wait*", SearchScope::All);
    let saved = history
        .apply(&p, Action::SaveQuery { query: q.clone() })
        .unwrap();
    assert_eq!(saved.queries.len(), 1);
    assert_eq!(saved.queries[0].name, "Waiting", "the name is trimmed");
    // Saving under the same id replaces it (rename, or new words).
    let renamed = history
        .apply(
            &saved,
            Action::SaveQuery {
                query: SavedQuery {
                    name: "Waiting times".into(),
                    query: "wait* OR queue*".into(),
                    ..q.clone()
                },
            },
        )
        .unwrap();
    assert_eq!(renamed.queries.len(), 1);
    assert_eq!(renamed.queries[0].name, "Waiting times");
    assert_eq!(renamed.queries[0].query, "wait* OR queue*");
    let deleted = history
        .apply(&renamed, Action::DeleteQuery { id: q.id })
        .unwrap();
    assert!(deleted.queries.is_empty());
    let back = history.undo(&deleted).unwrap();
    assert_eq!(back.queries, renamed.queries);
    let back = history.undo(&back).unwrap();
    assert_eq!(back.queries, saved.queries);
    // A nameless search is refused; deleting one that is not there says so.
    assert_eq!(
        apply(
            &p,
            Action::SaveQuery {
                query: query(2, " ", "x", SearchScope::All)
            }
        ),
        Err(ActionError::EmptyName)
    );
    assert_eq!(
        apply(&p, Action::DeleteQuery { id: q.id }),
        Err(ActionError::UnknownQuery(q.id))
    );
}

#[test]
fn a_copy_under_fresh_ids_keeps_each_saved_search_pointing_at_the_same_things() {
    let p = project();
    let (source, case, set) = (p.sources[0].id, p.cases[0].id, p.sets[0].id);
    let p = apply(
        &p,
        Action::Batch {
            label: "save".into(),
            actions: vec![
                Action::SaveQuery {
                    query: query(
                        1,
                        "In the source",
                        "wait",
                        SearchScope::Sources(vec![source]),
                    ),
                },
                Action::SaveQuery {
                    query: query(2, "At the site", "wait", SearchScope::Case(case)),
                },
                Action::SaveQuery {
                    query: query(3, "In the theme", "wait", SearchScope::Set(set)),
                },
            ],
        },
    )
    .unwrap();
    let copy = p.with_fresh_ids(&mut SeqIds::new(500));
    assert_eq!(copy.queries.len(), 3);
    assert!(
        copy.queries.iter().all(|q| p.query(q.id).is_none()),
        "fresh query ids"
    );
    assert_eq!(
        copy.queries[0].scope,
        SearchScope::Sources(vec![copy.sources[0].id])
    );
    assert_eq!(copy.queries[1].scope, SearchScope::Case(copy.cases[0].id));
    assert_eq!(copy.queries[2].scope, SearchScope::Set(copy.sets[0].id));
    assert_ne!(copy.sources[0].id, source);
    assert_ne!(copy.sets[0].id, set);
}

#[test]
fn pseudonymisation_reaches_the_names_and_words_of_saved_searches() {
    let p = project();
    let p = apply(
        &p,
        Action::SaveQuery {
            query: query(
                1,
                "What Dr Patel said",
                "\"Dr Patel\" AND wait",
                SearchScope::All,
            ),
        },
    )
    .unwrap();
    let key = vec![Pseudonym {
        real: "Dr Patel".into(),
        pseudonym: "Clinician 1".into(),
    }];
    let plan = pseudonym::plan(&p, &key);
    let done = apply(&p, pseudonym::apply_action(&plan)).unwrap();
    assert_eq!(done.queries[0].name, "What Clinician 1 said");
    assert_eq!(done.queries[0].query, "\"Clinician 1\" AND wait");
    assert!(pseudonym::remaining(&done, &key).is_empty());
    let places: Vec<String> = plan.iter().map(|r| r.place.describe(&p)).collect();
    assert!(
        places
            .iter()
            .any(|d| d == "words of saved search “What Dr Patel said”"),
        "{places:?}"
    );
}
