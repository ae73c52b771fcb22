//! Every `Action` does what its doc says; `History` undo/redo gives back exactly the earlier
//! projects (property test over random action sequences).
#![allow(clippy::unwrap_used)]

mod common;

use common::{code, coding, source};
use framewise_core::*;
use std::sync::Arc;

const TEXTS: [&str; 3] = [
    "D: Hello, how are you?\nP: Fine 😀 thanks.\n\nD: Any pain?\nP: Oui, un peu ça. 漢字\n",
    "Field notes: the ward was quiet. 👩\u{200d}⚕\u{fe0f} arrived at 9.",
    "short",
];

/// A project with two sources, codes Theme > (A, B > C), D and a few codings.
struct Fixture {
    ids: SeqIds,
    project: Project,
    s1: SourceId,
    s2: SourceId,
    theme: CodeId,
    a: CodeId,
    b: CodeId,
    c: CodeId,
    d: CodeId,
}

fn fixture() -> Fixture {
    let mut ids = SeqIds::new(1);
    let mut project = Project::new(ids.project_id(), "Evaluation", 0);
    let src1 = source(&mut ids, "Interview 1", TEXTS[0]);
    let src2 = source(&mut ids, "Field notes", TEXTS[1]);
    let (s1, s2) = (src1.id, src2.id);
    project = apply(
        &project,
        Action::AddSources {
            sources: vec![src1, src2],
        },
    )
    .unwrap();
    let theme = code(&mut ids, "Theme", None);
    let a = code(&mut ids, "A", Some(theme.id));
    let b = code(&mut ids, "B", Some(theme.id));
    let c = code(&mut ids, "C", Some(b.id));
    let d = code(&mut ids, "D", None);
    let (theme_id, a_id, b_id, c_id, d_id) = (theme.id, a.id, b.id, c.id, d.id);
    project = apply(
        &project,
        Action::ImportCodes {
            codes: vec![theme, a, b, c, d],
        },
    )
    .unwrap();
    let codings = vec![
        coding(&mut ids, s1, a_id, 0, 22),
        coding(&mut ids, s1, b_id, 0, 22),
        coding(&mut ids, s1, b_id, 23, 45),
        coding(&mut ids, s1, c_id, 3, 8),
        coding(&mut ids, s2, d_id, 0, 11),
    ];
    project = apply(&project, Action::AddCodings { codings }).unwrap();
    Fixture {
        ids,
        project,
        s1,
        s2,
        theme: theme_id,
        a: a_id,
        b: b_id,
        c: c_id,
        d: d_id,
    }
}

fn names(project: &Project, parent: Option<CodeId>) -> Vec<String> {
    project.children(parent).map(|c| c.name.clone()).collect()
}

fn codes_on(project: &Project, source: SourceId) -> Vec<(CodeId, usize, usize)> {
    project
        .codings_of(source)
        .iter()
        .map(|c| (c.code, c.span.start, c.span.end))
        .collect()
}

#[test]
fn project_name_and_memo() {
    let f = fixture();
    let p = apply(
        &f.project,
        Action::RenameProject {
            name: "  New name ".into(),
        },
    )
    .unwrap();
    assert_eq!(p.name, "New name");
    assert_eq!(
        apply(&f.project, Action::RenameProject { name: " \n".into() }),
        Err(ActionError::EmptyName)
    );
    let p = apply(&p, Action::SetProjectMemo { memo: "why".into() }).unwrap();
    assert_eq!(p.memo, "why");
}

#[test]
fn sources_add_rename_kind_memo_remove() {
    let mut f = fixture();
    let extra = source(&mut f.ids, "  Interview 2 ", "text");
    let extra_id = extra.id;
    let p = apply(
        &f.project,
        Action::AddSources {
            sources: vec![extra.clone()],
        },
    )
    .unwrap();
    assert_eq!(p.sources.len(), 3);
    assert_eq!(
        p.source(extra_id).unwrap().name,
        "Interview 2",
        "names are trimmed"
    );
    assert_eq!(
        apply(
            &p,
            Action::AddSources {
                sources: vec![extra]
            }
        ),
        Err(ActionError::DuplicateId(extra_id.to_string()))
    );
    let nameless = source(&mut f.ids, " ", "x");
    assert_eq!(
        apply(
            &p,
            Action::AddSources {
                sources: vec![nameless]
            }
        ),
        Err(ActionError::EmptyName)
    );

    let p = apply(
        &p,
        Action::RenameSource {
            id: f.s1,
            name: "First".into(),
        },
    )
    .unwrap();
    assert_eq!(p.source(f.s1).unwrap().name, "First");
    let p = apply(
        &p,
        Action::SetSourceKind {
            id: f.s2,
            kind: SourceKind::FieldNotes,
        },
    )
    .unwrap();
    assert_eq!(p.source(f.s2).unwrap().kind, SourceKind::FieldNotes);
    let p = apply(
        &p,
        Action::SetSourceMemo {
            id: f.s2,
            memo: "quiet day".into(),
        },
    )
    .unwrap();
    assert_eq!(p.source(f.s2).unwrap().memo, "quiet day");
    // The text is shared, not copied, by a change to another field.
    assert!(Arc::ptr_eq(
        &p.source(f.s2).unwrap().text,
        &f.project.source(f.s2).unwrap().text
    ));

    let unknown = f.ids.source_id();
    for action in [
        Action::RenameSource {
            id: unknown,
            name: "x".into(),
        },
        Action::SetSourceKind {
            id: unknown,
            kind: SourceKind::Document,
        },
        Action::SetSourceMemo {
            id: unknown,
            memo: String::new(),
        },
        Action::RemoveSource { id: unknown },
    ] {
        assert_eq!(apply(&p, action), Err(ActionError::UnknownSource(unknown)));
    }

    let p = apply(&p, Action::RemoveSource { id: f.s1 }).unwrap();
    assert!(p.source(f.s1).is_none());
    assert!(p.codings_of(f.s1).is_empty());
    assert!(!p.codings.contains_key(&f.s1));
    assert_eq!(p.coding_count(), 1, "codings of other sources stay");
}

#[test]
fn create_code_validates() {
    let mut f = fixture();
    let new = code(&mut f.ids, "  Emergent  ", Some(f.d));
    let p = apply(&f.project, Action::CreateCode { code: new.clone() }).unwrap();
    assert_eq!(names(&p, Some(f.d)), vec!["Emergent"], "names are trimmed");

    let mut bad = code(&mut f.ids, "X", None);
    bad.color = "blue".into();
    assert_eq!(
        apply(&f.project, Action::CreateCode { code: bad }),
        Err(ActionError::InvalidColor("blue".into()))
    );
    let ghost = f.ids.code_id();
    let orphan = code(&mut f.ids, "X", Some(ghost));
    assert_eq!(
        apply(&f.project, Action::CreateCode { code: orphan }),
        Err(ActionError::UnknownCode(ghost))
    );
    assert_eq!(
        apply(&p, Action::CreateCode { code: new.clone() }),
        Err(ActionError::DuplicateId(new.id.to_string()))
    );
    let empty = code(&mut f.ids, "", None);
    assert_eq!(
        apply(&p, Action::CreateCode { code: empty }),
        Err(ActionError::EmptyName)
    );
}

#[test]
fn import_codes_needs_parents_first_and_is_all_or_nothing() {
    let mut f = fixture();
    let parent = code(&mut f.ids, "Parent", None);
    let child = code(&mut f.ids, "Child", Some(parent.id));
    let p = apply(
        &f.project,
        Action::ImportCodes {
            codes: vec![parent.clone(), child.clone()],
        },
    )
    .unwrap();
    assert_eq!(names(&p, Some(parent.id)), vec!["Child"]);
    assert_eq!(
        apply(
            &f.project,
            Action::ImportCodes {
                codes: vec![child, parent.clone()]
            }
        ),
        Err(ActionError::UnknownCode(parent.id))
    );
}

#[test]
fn rename_recolour_describe_origin_memo() {
    let mut f = fixture();
    let p = apply(
        &f.project,
        Action::RenameCode {
            id: f.a,
            name: " Access ".into(),
        },
    )
    .unwrap();
    assert_eq!(p.code(f.a).unwrap().name, "Access");
    assert_eq!(
        apply(
            &p,
            Action::RenameCode {
                id: f.a,
                name: "".into()
            }
        ),
        Err(ActionError::EmptyName)
    );
    let p = apply(
        &p,
        Action::RecolorCode {
            id: f.a,
            color: "#ABCDEF".into(),
        },
    )
    .unwrap();
    assert_eq!(p.code(f.a).unwrap().color, "#ABCDEF");
    for bad in ["#abc", "abcdefg", "#abcdeg", "#abcdéf"] {
        assert_eq!(
            apply(
                &p,
                Action::RecolorCode {
                    id: f.a,
                    color: bad.into()
                }
            ),
            Err(ActionError::InvalidColor(bad.into()))
        );
    }
    let p = apply(
        &p,
        Action::DescribeCode {
            id: f.a,
            description: "def".into(),
        },
    )
    .unwrap();
    assert_eq!(p.code(f.a).unwrap().description, "def");
    let p = apply(
        &p,
        Action::SetCodeOrigin {
            id: f.a,
            origin: CodeOrigin::Deductive,
        },
    )
    .unwrap();
    assert_eq!(p.code(f.a).unwrap().origin, CodeOrigin::Deductive);
    let p = apply(
        &p,
        Action::SetCodeMemo {
            id: f.a,
            memo: "m".into(),
        },
    )
    .unwrap();
    assert_eq!(p.code(f.a).unwrap().memo, "m");
    let ghost = f.ids.code_id();
    for action in [
        Action::RenameCode {
            id: ghost,
            name: "x".into(),
        },
        Action::RecolorCode {
            id: ghost,
            color: "#000000".into(),
        },
        Action::DescribeCode {
            id: ghost,
            description: String::new(),
        },
        Action::SetCodeOrigin {
            id: ghost,
            origin: CodeOrigin::Inductive,
        },
        Action::SetCodeMemo {
            id: ghost,
            memo: String::new(),
        },
        Action::DeleteCode { id: ghost },
        Action::MoveCode {
            id: ghost,
            parent: None,
            before: None,
        },
    ] {
        assert_eq!(apply(&p, action), Err(ActionError::UnknownCode(ghost)));
    }
}

#[test]
fn move_code_reparents_reorders_and_refuses_cycles() {
    let f = fixture();
    // Before a sibling.
    let p = apply(
        &f.project,
        Action::MoveCode {
            id: f.b,
            parent: Some(f.theme),
            before: Some(f.a),
        },
    )
    .unwrap();
    assert_eq!(names(&p, Some(f.theme)), vec!["B", "A"]);
    // To the top level, at the end.
    let p = apply(
        &p,
        Action::MoveCode {
            id: f.a,
            parent: None,
            before: None,
        },
    )
    .unwrap();
    assert_eq!(names(&p, None), vec!["Theme", "D", "A"]);
    // Under another code; its children come along.
    let p = apply(
        &p,
        Action::MoveCode {
            id: f.b,
            parent: Some(f.d),
            before: None,
        },
    )
    .unwrap();
    assert_eq!(p.code_path(f.c), "D > B > C");
    // Cycles.
    for parent in [f.b, f.c] {
        assert_eq!(
            apply(
                &p,
                Action::MoveCode {
                    id: f.b,
                    parent: Some(parent),
                    before: None
                }
            ),
            Err(ActionError::CycleInCodebook)
        );
    }
    assert_eq!(
        apply(
            &p,
            Action::MoveCode {
                id: f.d,
                parent: Some(f.c),
                before: None
            }
        ),
        Err(ActionError::CycleInCodebook)
    );
}

#[test]
fn merge_moves_codings_drops_duplicate_spans_and_moves_children() {
    let f = fixture();
    // A and B both code 0..22 of s1: the duplicate is dropped; B's other coding moves to A.
    let p = apply(
        &f.project,
        Action::MergeCodes {
            from: f.b,
            into: f.a,
        },
    )
    .unwrap();
    assert!(p.code(f.b).is_none());
    assert_eq!(
        codes_on(&p, f.s1),
        vec![(f.a, 0, 22), (f.c, 3, 8), (f.a, 23, 45)]
    );
    assert_eq!(
        p.code(f.c).unwrap().parent,
        Some(f.a),
        "children of B move under A"
    );
    assert_eq!(p.coding_count(), f.project.coding_count() - 1);

    assert_eq!(
        apply(
            &f.project,
            Action::MergeCodes {
                from: f.a,
                into: f.a
            }
        ),
        Err(ActionError::MergeIntoSelf)
    );
    // Merging a code into its own descendant lifts the descendant to its place.
    let p = apply(
        &f.project,
        Action::MergeCodes {
            from: f.b,
            into: f.c,
        },
    )
    .unwrap();
    assert_eq!(p.code(f.c).unwrap().parent, Some(f.theme));
    // B's 0..22 now overlaps C's own 3..8: one coding of C on 0..22 (issue 9).
    assert_eq!(
        codes_on(&p, f.s1),
        vec![(f.a, 0, 22), (f.c, 0, 22), (f.c, 23, 45)]
    );
    let p = apply(
        &f.project,
        Action::MergeCodes {
            from: f.theme,
            into: f.c,
        },
    )
    .unwrap();
    assert_eq!(p.code(f.c).unwrap().parent, None);
    assert_eq!(p.code(f.a).unwrap().parent, Some(f.c));
    assert_eq!(p.code(f.b).unwrap().parent, Some(f.c));
}

#[test]
fn delete_lifts_children_and_removes_codings() {
    let f = fixture();
    let p = apply(&f.project, Action::DeleteCode { id: f.b }).unwrap();
    assert!(p.code(f.b).is_none());
    assert_eq!(p.code(f.c).unwrap().parent, Some(f.theme));
    assert_eq!(codes_on(&p, f.s1), vec![(f.a, 0, 22), (f.c, 3, 8)]);
    let p = apply(&p, Action::DeleteCode { id: f.d }).unwrap();
    assert!(!p.codings.contains_key(&f.s2), "an emptied list is dropped");
    let p = apply(&p, Action::DeleteCode { id: f.theme }).unwrap();
    assert_eq!(names(&p, None), vec!["A", "C"]);
}

#[test]
fn add_codings_validates_everything_first() {
    let mut f = fixture();
    let text = &*f.project.source(f.s1).unwrap().text;
    let emoji = text.find('😀').unwrap();
    let ghost_code = f.ids.code_id();
    let ghost_source = f.ids.source_id();
    let bad_spans = [
        (5, 5),
        (7, 3),
        (0, text.len() + 1),
        (emoji + 1, emoji + 8),
        (emoji, emoji + 2),
    ];
    for (start, end) in bad_spans {
        let c = coding(&mut f.ids, f.s1, f.a, start, end);
        assert_eq!(
            apply(&f.project, Action::AddCodings { codings: vec![c] }),
            Err(ActionError::InvalidSpan {
                source: f.s1,
                start,
                end
            }),
            "{start}..{end}"
        );
    }
    let c = coding(&mut f.ids, f.s1, ghost_code, 0, 1);
    assert_eq!(
        apply(&f.project, Action::AddCodings { codings: vec![c] }),
        Err(ActionError::UnknownCode(ghost_code))
    );
    let c = coding(&mut f.ids, ghost_source, f.a, 0, 1);
    assert_eq!(
        apply(&f.project, Action::AddCodings { codings: vec![c] }),
        Err(ActionError::UnknownSource(ghost_source))
    );
    // Duplicate ids: within the batch, or already used. A valid coding first: nothing is added.
    let good = coding(&mut f.ids, f.s1, f.d, emoji, emoji + 4);
    let mut twin = coding(&mut f.ids, f.s1, f.a, 1, 2);
    twin.id = good.id;
    assert_eq!(
        apply(
            &f.project,
            Action::AddCodings {
                codings: vec![good.clone(), twin]
            }
        ),
        Err(ActionError::DuplicateId(good.id.to_string()))
    );
    let existing_id = f.project.codings_of(f.s1)[0].id;
    let mut reused = coding(&mut f.ids, f.s1, f.a, 1, 2);
    reused.id = existing_id;
    assert_eq!(
        apply(
            &f.project,
            Action::AddCodings {
                codings: vec![reused]
            }
        ),
        Err(ActionError::DuplicateId(existing_id.to_string()))
    );
    // Valid: inserted in span order; the same code on the same span again adds nothing.
    let again = coding(&mut f.ids, f.s1, f.a, 0, 22);
    let p = apply(
        &f.project,
        Action::AddCodings {
            codings: vec![good.clone(), again],
        },
    )
    .unwrap();
    assert_eq!(p.coding_count(), f.project.coding_count() + 1);
    assert!(p
        .codings_of(f.s1)
        .windows(2)
        .all(|w| (w[0].span, w[0].id) <= (w[1].span, w[1].id)));
    assert_eq!(p.coding(good.id).map(|c| p.coded_text(c)), Some("😀"));
}

#[test]
fn remove_codings() {
    let f = fixture();
    let ids: Vec<CodingId> = f.project.all_codings().map(|c| c.id).take(2).collect();
    let p = apply(&f.project, Action::RemoveCodings { ids: ids.clone() }).unwrap();
    assert_eq!(p.coding_count(), f.project.coding_count() - 2);
    assert!(ids.iter().all(|id| p.coding(*id).is_none()));
    // Shared untouched lists.
    assert!(Arc::ptr_eq(&p.codings[&f.s2], &f.project.codings[&f.s2]));
}

#[test]
fn batch_is_atomic() {
    let mut f = fixture();
    let new = code(&mut f.ids, "New", None);
    let ok = Action::Batch {
        label: "Create and code".into(),
        actions: vec![
            Action::CreateCode { code: new.clone() },
            Action::AddCodings {
                codings: vec![coding(&mut f.ids, f.s2, new.id, 0, 5)],
            },
        ],
    };
    assert_eq!(ok.label(), "Create and code");
    let p = apply(&f.project, ok).unwrap();
    assert_eq!(p.codings_of(f.s2).len(), 2);

    let new2 = code(&mut f.ids, "New 2", None);
    let failing = Action::Batch {
        label: "x".into(),
        actions: vec![
            Action::CreateCode { code: new2.clone() },
            Action::RenameCode {
                id: new2.id,
                name: " ".into(),
            },
        ],
    };
    let mut history = History::new();
    assert_eq!(
        history.apply(&f.project, failing),
        Err(ActionError::EmptyName)
    );
    assert!(!history.can_undo(), "a failed action is not a step");
    assert!(f.project.code(new2.id).is_none());
}

#[test]
fn history_labels_and_limits() {
    let f = fixture();
    let mut history = History::new();
    let mut p = f.project.clone();
    for i in 0..HISTORY_LIMIT + 5 {
        p = history
            .apply(
                &p,
                Action::RenameProject {
                    name: format!("Name {i}"),
                },
            )
            .unwrap();
    }
    assert_eq!(history.undo_labels().count(), HISTORY_LIMIT);
    let mut undone = 0;
    while let Some(prev) = history.undo(&p) {
        p = prev;
        undone += 1;
    }
    assert_eq!(undone, HISTORY_LIMIT);
    assert_eq!(p.name, "Name 4", "the oldest steps were dropped");
    assert_eq!(history.redo_labels().next(), Some("Rename project"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// An intention, turned into a concrete action against the current project.
    #[derive(Clone, Debug)]
    enum Intent {
        CreateCode(usize, bool),
        Rename(usize, u8),
        Recolor(usize, usize),
        Describe(usize),
        Move(usize, Option<usize>, Option<usize>),
        Merge(usize, usize),
        Delete(usize),
        Code(usize, usize, usize, Vec<usize>),
        Uncode(Vec<usize>),
        AddSource(usize),
        RemoveSource(usize),
        SourceKind(usize, usize),
        Batch(Box<Intent>, Box<Intent>),
    }

    fn leaf() -> impl Strategy<Value = Intent> {
        let n = any::<usize>;
        prop_oneof![
            (n(), any::<bool>()).prop_map(|(a, b)| Intent::CreateCode(a, b)),
            (n(), any::<u8>()).prop_map(|(a, b)| Intent::Rename(a, b)),
            (n(), n()).prop_map(|(a, b)| Intent::Recolor(a, b)),
            n().prop_map(Intent::Describe),
            (n(), proptest::option::of(n()), proptest::option::of(n()))
                .prop_map(|(a, b, c)| Intent::Move(a, b, c)),
            (n(), n()).prop_map(|(a, b)| Intent::Merge(a, b)),
            n().prop_map(Intent::Delete),
            (n(), n(), n(), proptest::collection::vec(n(), 1..3))
                .prop_map(|(a, b, c, d)| Intent::Code(a, b, c, d)),
            proptest::collection::vec(n(), 1..3).prop_map(Intent::Uncode),
            n().prop_map(Intent::AddSource),
            n().prop_map(Intent::RemoveSource),
            (n(), n()).prop_map(|(a, b)| Intent::SourceKind(a, b)),
        ]
    }

    fn intent() -> impl Strategy<Value = Intent> {
        prop_oneof![
            6 => leaf(),
            1 => (leaf(), leaf()).prop_map(|(a, b)| Intent::Batch(Box::new(a), Box::new(b))),
        ]
    }

    fn pick<T: Copy>(items: &[T], n: usize) -> Option<T> {
        (!items.is_empty()).then(|| items[n % items.len()])
    }

    /// A concrete action for the intent (`None` when the project has nothing to act on).
    /// `shadow` is the project as the earlier parts of a batch will have left it.
    fn action(intent: &Intent, p: &Project, ids: &mut SeqIds) -> Option<(Action, Project)> {
        let codes: Vec<CodeId> = p.codes.iter().map(|c| c.id).collect();
        let sources: Vec<SourceId> = p.sources.iter().map(|s| s.id).collect();
        let action = match intent {
            Intent::CreateCode(n, nested) => {
                let parent = if *nested { pick(&codes, *n) } else { None };
                let mut c = code(ids, &format!("Code {n}"), parent);
                c.color = color_for(*n).into();
                Action::CreateCode { code: c }
            }
            Intent::Rename(n, name) => Action::RenameCode {
                id: pick(&codes, *n)?,
                name: format!("R{name}"),
            },
            Intent::Recolor(n, c) => Action::RecolorCode {
                id: pick(&codes, *n)?,
                color: color_for(*c).into(),
            },
            Intent::Describe(n) => Action::DescribeCode {
                id: pick(&codes, *n)?,
                description: format!("d{n}"),
            },
            Intent::Move(n, parent, before) => {
                let id = pick(&codes, *n)?;
                let parent = parent
                    .and_then(|x| pick(&codes, x))
                    .filter(|x| !p.is_ancestor_or_self(id, *x));
                Action::MoveCode {
                    id,
                    parent,
                    before: before.and_then(|x| pick(&codes, x)),
                }
            }
            Intent::Merge(a, b) => {
                let from = pick(&codes, *a)?;
                let into = pick(&codes, *b)?;
                if from == into {
                    return None;
                }
                Action::MergeCodes { from, into }
            }
            Intent::Delete(n) => Action::DeleteCode {
                id: pick(&codes, *n)?,
            },
            Intent::Code(s, a, b, code_picks) => {
                let source = p.source(pick(&sources, *s)?)?;
                let bounds: Vec<usize> = source
                    .text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([source.text.len()])
                    .collect();
                let (x, y) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
                if x == y {
                    return None;
                }
                let mut used = Vec::new();
                let codings = code_picks
                    .iter()
                    .filter_map(|c| pick(&codes, *c))
                    .filter(|c| {
                        let new = !used.contains(c);
                        used.push(*c);
                        new
                    })
                    .map(|c| coding(ids, source.id, c, x.min(y), x.max(y)))
                    .collect::<Vec<_>>();
                if codings.is_empty() {
                    return None;
                }
                Action::AddCodings { codings }
            }
            Intent::Uncode(picks) => {
                let all: Vec<CodingId> = p.all_codings().map(|c| c.id).collect();
                Action::RemoveCodings {
                    ids: picks.iter().filter_map(|n| pick(&all, *n)).collect(),
                }
            }
            Intent::AddSource(n) => Action::AddSources {
                sources: vec![source(ids, &format!("S{n}"), TEXTS[n % TEXTS.len()])],
            },
            Intent::RemoveSource(n) => Action::RemoveSource {
                id: pick(&sources, *n)?,
            },
            Intent::SourceKind(n, k) => Action::SetSourceKind {
                id: pick(&sources, *n)?,
                kind: SourceKind::ALL[k % SourceKind::ALL.len()],
            },
            Intent::Batch(first, second) => {
                let (a1, after_first) = action(first, p, ids)?;
                let (a2, after_both) = action(second, &after_first, ids)?;
                return Some((
                    Action::Batch {
                        label: "Batch".into(),
                        actions: vec![a1, a2],
                    },
                    after_both,
                ));
            }
        };
        let next = apply(p, action.clone()).ok()?;
        Some((action, next))
    }

    fn check_invariants(p: &Project) -> Result<(), TestCaseError> {
        for (source, list) in &p.codings {
            prop_assert!(!list.is_empty());
            let text = &p.source(*source).unwrap().text;
            prop_assert!(list
                .windows(2)
                .all(|w| (w[0].span.start, w[0].span.end, w[0].id)
                    <= (w[1].span.start, w[1].span.end, w[1].id)));
            for c in list.iter() {
                prop_assert_eq!(c.source, *source);
                prop_assert!(c.span.is_valid_for(text));
                prop_assert!(p.code(c.code).is_some());
            }
        }
        for c in &p.codes {
            if let Some(parent) = c.parent {
                prop_assert!(p.code(parent).is_some());
                prop_assert!(!p.is_ancestor_or_self(c.id, parent), "cycle at {}", c.name);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn apply_undo_redo_round_trip(intents in proptest::collection::vec(intent(), 1..40)) {
            let f = fixture();
            let mut ids = SeqIds::new(77);
            let mut history = History::new();
            let mut current = f.project.clone();
            let mut states = vec![current.clone()];
            let mut last_key: Option<String> = None;
            for intent in &intents {
                let Some((action, expected)) = action(intent, &current, &mut ids) else {
                    continue;
                };
                // Consecutive edits of the same memo/description merge into one undo step.
                let key = action.coalesce_key();
                let merges = key.is_some() && key == last_key;
                last_key = key;
                let next = history.apply(&current, action).unwrap();
                prop_assert_eq!(&next, &expected, "apply is deterministic");
                check_invariants(&next)?;
                if merges {
                    states.pop();
                }
                // Undo gives back exactly the project before the step, redo the next one.
                let before_step = states.last().unwrap().clone();
                let mut probe = history.clone();
                let undone = probe.undo(&next).unwrap();
                prop_assert_eq!(&undone, &before_step);
                prop_assert_eq!(probe.redo(&undone).unwrap(), next.clone());
                current = next;
                states.push(current.clone());
            }
            let final_project = current.clone();
            let mut seen = vec![current.clone()];
            while let Some(prev) = history.undo(&current) {
                current = prev;
                seen.push(current.clone());
            }
            seen.reverse();
            prop_assert_eq!(&seen, &states, "undo walks back through every state");
            while let Some(next) = history.redo(&current) {
                current = next;
            }
            prop_assert_eq!(current, final_project);
        }
    }
}

#[test]
fn fresh_ids_copy_keeps_content_and_links() {
    let mut ids = framewise_core::SeqIds::new(7);
    let original = framewise_core::demo::demo_project(&mut ids, 0);
    let mut other = framewise_core::SeqIds::new(8);
    let copy = original.with_fresh_ids(&mut other);
    assert_ne!(copy.id, original.id);
    assert_eq!(copy.sources.len(), original.sources.len());
    assert_eq!(copy.coding_count(), original.coding_count());
    for (a, b) in original.sources.iter().zip(copy.sources.iter()) {
        assert_ne!(a.id, b.id);
        assert_eq!(a.text, b.text);
        let coded_a: Vec<(String, &str)> = original
            .codings_of(a.id)
            .iter()
            .map(|c| (original.code_path(c.code), original.coded_text(c)))
            .collect();
        let mut coded_b: Vec<(String, &str)> = copy
            .codings_of(b.id)
            .iter()
            .map(|c| (copy.code_path(c.code), copy.coded_text(c)))
            .collect();
        let mut coded_a = coded_a;
        coded_a.sort();
        coded_b.sort();
        assert_eq!(coded_a, coded_b);
    }
    for (a, b) in original.codes.iter().zip(copy.codes.iter()) {
        assert_ne!(a.id, b.id);
        assert_eq!(original.code_path(a.id), copy.code_path(b.id));
    }
}

#[test]
fn consecutive_memo_edits_are_one_undo_step() {
    let mut ids = framewise_core::SeqIds::new(3);
    let project = framewise_core::demo::demo_project(&mut ids, 0);
    let source = project.sources[0].id;
    let mut history = framewise_core::History::new();
    let mut current = project.clone();
    for memo in ["T", "Th", "The memo"] {
        current = history
            .apply(
                &current,
                framewise_core::Action::SetSourceMemo {
                    id: source,
                    memo: memo.into(),
                },
            )
            .unwrap();
    }
    assert_eq!(history.undo_labels().count(), 1);
    // Another target starts a new step, and so does the same memo after it.
    current = history
        .apply(
            &current,
            framewise_core::Action::SetProjectMemo { memo: "P".into() },
        )
        .unwrap();
    current = history
        .apply(
            &current,
            framewise_core::Action::SetSourceMemo {
                id: source,
                memo: "Again".into(),
            },
        )
        .unwrap();
    assert_eq!(history.undo_labels().count(), 3);
    let back = history.undo(&current).unwrap();
    let back = history.undo(&back).unwrap();
    let back = history.undo(&back).unwrap();
    assert_eq!(back, project);
}

/// Many codings at once (auto-coding) take the bulk path; the result must cover exactly what
/// adding them one by one covers: per code, overlapping codings merged into one of their union
/// (issue 9), lists sorted, an existing id refused. (Which coding of a merged group keeps its id
/// may differ: one by one, the first added; in bulk, the first in document order.)
#[test]
fn adding_many_codings_equals_adding_them_one_by_one() {
    let mut f = fixture();
    let text_len = TEXTS[0].len();
    let mut batch = Vec::new();
    for i in 0..40usize {
        let start = (i * 7) % 40;
        let end = (start + 3 + i % 5).min(text_len);
        let start = (0..=start)
            .rev()
            .find(|s| TEXTS[0].is_char_boundary(*s))
            .unwrap();
        let end = (end..=text_len)
            .find(|e| TEXTS[0].is_char_boundary(*e))
            .unwrap();
        let code = [f.a, f.b, f.d][i % 3];
        batch.push(coding(&mut f.ids, f.s1, code, start, end));
    }
    // One duplicate of an existing coding (a on 0..22) and one of an earlier one in the batch.
    batch.push(coding(&mut f.ids, f.s1, f.a, 0, 22));
    let again = batch[0].clone();
    batch.push(coding(
        &mut f.ids,
        f.s1,
        again.code,
        again.span.start,
        again.span.end,
    ));
    batch.push(coding(&mut f.ids, f.s2, f.c, 0, 5));
    assert!(batch.len() > 16);

    let bulk = apply(
        &f.project,
        Action::AddCodings {
            codings: batch.clone(),
        },
    )
    .unwrap();
    let mut one_by_one = f.project.clone();
    for c in batch.clone() {
        one_by_one = apply(&one_by_one, Action::AddCodings { codings: vec![c] }).unwrap();
    }
    for source in [f.s1, f.s2] {
        assert_eq!(codes_on(&bulk, source), codes_on(&one_by_one, source));
        assert!(bulk
            .codings_of(source)
            .windows(2)
            .all(|w| (w[0].span, w[0].id) <= (w[1].span, w[1].id)));
    }
    // The first coding that was there before keeps its id (quotes may point at it).
    let first = f.project.codings_of(f.s1)[0].id;
    assert!(bulk.coding(first).is_some());

    // An id that already exists is refused in bulk too, and nothing changes.
    let mut dup = batch;
    dup[5].id = f.project.codings_of(f.s1)[0].id;
    let err = apply(&f.project, Action::AddCodings { codings: dup }).unwrap_err();
    assert!(matches!(err, ActionError::DuplicateId(_)), "{err:?}");
}
