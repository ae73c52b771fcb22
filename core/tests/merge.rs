//! Issue 11, merging projects (`framewise_core::merge`): matching by text, id and name path,
//! what is new, identical and in conflict, one undo step, and the two property tests (a project
//! merged with itself changes nothing; disjoint changes of two copies merge to the same project
//! in either order).
#![allow(clippy::unwrap_used)]

use framewise_core::demo::demo_project;
use framewise_core::merge::{self, plan, ConflictKind, Kind, MergePlan, MergeSummary};
use framewise_core::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;

const NOW: Timestamp = 1_700_000_000_000;

fn merged(current: &Project, other: &Project, seed: u64) -> (MergePlan, Project) {
    let plan = plan(current, other, &mut SeqIds::new(seed));
    let next = apply(current, plan.action()).unwrap();
    assert_eq!(
        apply(current, through_the_app(current, &plan).action()).unwrap(),
        next
    );
    (plan, next)
}

/// The plan as it reaches the app: the other project's name and the staged project as a
/// project file (the preview travels written out, `merge::preview`).
fn through_the_app(current: &Project, plan: &MergePlan) -> MergePlan {
    let staged = framewise_core::protocol::ProjectFile::of(&plan.staged(current), NOW)
        .load()
        .unwrap();
    let summary = MergeSummary {
        other_name: plan.other_name.clone(),
        ..MergeSummary::default()
    };
    let back = MergePlan::from_staged(current, &staged, summary);
    assert_eq!(back.other_name, plan.other_name);
    assert_eq!(back.is_empty(), plan.is_empty());
    // The preview names the coders in the order the app's plan lists their codings.
    let mut coders: Vec<&str> = Vec::new();
    for c in &back.codings {
        if !coders.contains(&c.coder.as_str()) {
            coders.push(&c.coder);
        }
    }
    let shown = merge::preview("f.json", plan);
    if coders.is_empty() {
        assert!(!shown.contains("New codings by"), "{shown}");
    } else {
        let by = format!(" New codings by {}.", coders.join(", "));
        assert!(shown.contains(&text::xml_escape(&by)), "{shown}");
    }
    back
}

#[test]
fn the_demo_merged_into_an_empty_project_reaches_the_app_whole() {
    let demo = demo_project(&mut SeqIds::new(1), NOW);
    let empty = Project::new(ProjectId::from_random_bytes([5; 16]), "Empty", NOW);
    let (plan, next) = merged(&empty, &demo, 3);
    assert_eq!(plan.new_count(Kind::Coding), demo.coding_count());
    assert_eq!(plan.new_count(Kind::Matrix), demo.matrices.len());
    assert_eq!(next.matrices, demo.matrices, "summaries and their quotes");
    assert_eq!(next.cases, demo.cases);
    assert_eq!(next.coding_count(), demo.coding_count());
}

fn source(ids: &mut SeqIds, name: &str, text: &str) -> Source {
    Source {
        id: ids.source_id(),
        name: name.into(),
        kind: SourceKind::Interview,
        text: Arc::from(text),
        memo: String::new(),
        imported: NOW,
        file_name: None,
        turns: Vec::new(),
    }
}

fn code(ids: &mut SeqIds, name: &str, parent: Option<CodeId>) -> Code {
    Code {
        id: ids.code_id(),
        name: name.into(),
        parent,
        color: "#e69f00".into(),
        description: String::new(),
        origin: CodeOrigin::Inductive,
        memo: String::new(),
        created: NOW,
    }
}

fn coding(ids: &mut SeqIds, s: SourceId, c: CodeId, span: (usize, usize), coder: &str) -> Coding {
    Coding {
        id: ids.coding_id(),
        source: s,
        span: Span::new(span.0, span.1),
        code: c,
        coder: coder.into(),
        created: NOW,
    }
}

fn act(p: &Project, action: Action) -> Project {
    apply(p, action).unwrap()
}

/// A small project: two sources, a code tree, codings by one coder, a case with an attribute.
struct Base {
    project: Project,
    sources: [SourceId; 2],
    codes: [CodeId; 3],
    attribute: AttributeId,
    case: CaseId,
}

const TEXT_A: &str = "Interviewer: How did the scheme start?\nP01: With a letter from the board.\nInterviewer: And then?\nP01: Then nothing for months.\n";
const TEXT_B: &str =
    "Field notes. The waiting room was full; the practice manager spoke about rotas.\n";

fn base() -> Base {
    let mut ids = SeqIds::new(1);
    let p = Project::new(ids.project_id(), "Study", NOW);
    let a = source(&mut ids, "Interview 1", TEXT_A);
    let b = source(&mut ids, "Notes", TEXT_B);
    let sources = [a.id, b.id];
    let p = act(
        &p,
        Action::AddSources {
            sources: vec![a, b],
        },
    );
    let access = code(&mut ids, "Access", None);
    let letters = code(&mut ids, "Letters", Some(access.id));
    let workload = code(&mut ids, "Workload", None);
    let codes = [access.id, letters.id, workload.id];
    let p = act(
        &p,
        Action::ImportCodes {
            codes: vec![access, letters, workload],
        },
    );
    let codings = vec![
        coding(&mut ids, sources[0], codes[1], (44, 72), "Ann"),
        coding(&mut ids, sources[0], codes[2], (99, 125), "Ann"),
        coding(&mut ids, sources[1], codes[2], (54, 79), "Ann"),
    ];
    let p = act(&p, Action::AddCodings { codings });
    let attribute = Attribute {
        id: ids.attribute_id(),
        name: "Role".into(),
        kind: AttributeKind::Text,
    };
    let mut case = Case::new(ids.case_id(), "P01", NOW);
    case.sources = vec![sources[0]];
    let (attribute_id, case_id) = (attribute.id, case.id);
    let p = act(&p, Action::AddAttribute { attribute });
    let p = act(&p, Action::AddCases { cases: vec![case] });
    Base {
        project: p,
        sources,
        codes,
        attribute: attribute_id,
        case: case_id,
    }
}

#[test]
fn merging_the_demo_with_itself_changes_nothing() {
    let demo = demo_project(&mut SeqIds::new(1), NOW);
    let (plan, next) = merged(&demo, &demo, 9);
    assert!(plan.is_empty(), "{plan:#?}");
    assert!(plan.new.is_empty());
    assert!(plan.conflicts.is_empty(), "{:#?}", plan.conflicts);
    assert_eq!(next, demo);
    assert_eq!(plan.identical_count(Kind::Source), demo.sources.len());
    assert_eq!(plan.identical_count(Kind::Code), demo.codes.len());
    assert_eq!(plan.identical_count(Kind::Coding), demo.coding_count());
    assert_eq!(plan.identical_count(Kind::Case), demo.cases.len());
    assert_eq!(plan.identical_count(Kind::Matrix), demo.matrices.len());
}

/// Two copies of the demo that went their own ways: a lead's copy and a participant's.
#[test]
fn two_diverging_copies_of_the_demo_merge_with_the_right_counts() {
    let demo = demo_project(&mut SeqIds::new(1), NOW);
    let mut ids = SeqIds::new(2);
    // The participant ("Bea"): a new code under an existing one, 3 codings with it, one of an
    // existing code, a renamed code, a new case, a new source (with 1 coding).
    let parent = demo.codes[0].id;
    let new_code = code(&mut ids, "Bea's idea", Some(parent));
    let first = demo.sources[0].id;
    let renamed = demo.codes[1].id;
    let mut theirs = act(
        &demo,
        Action::CreateCode {
            code: new_code.clone(),
        },
    );
    theirs = act(
        &theirs,
        Action::AddCodings {
            codings: vec![
                coding(&mut ids, first, new_code.id, (0, 10), "Bea"),
                coding(&mut ids, first, new_code.id, (20, 30), "Bea"),
                coding(&mut ids, demo.sources[1].id, new_code.id, (0, 5), "Bea"),
                coding(&mut ids, first, renamed, (40, 50), "Bea"),
            ],
        },
    );
    theirs = act(
        &theirs,
        Action::RenameCode {
            id: renamed,
            name: "Renamed by Bea".into(),
        },
    );
    theirs = act(
        &theirs,
        Action::AddCases {
            cases: vec![Case::new(ids.case_id(), "P07", NOW)],
        },
    );
    let extra = source(&mut ids, "Interview 9", "P09: A new interview.\n");
    let extra_id = extra.id;
    theirs = act(
        &theirs,
        Action::AddSources {
            sources: vec![extra],
        },
    );
    theirs = act(
        &theirs,
        Action::AddCodings {
            codings: vec![coding(&mut ids, extra_id, new_code.id, (5, 10), "Bea")],
        },
    );
    // The lead: removed one of the demo's codings, renamed the same code otherwise, added a
    // field note of their own.
    let gone = demo.codings_of(first)[0].clone();
    let mut ours = act(&demo, Action::RemoveCodings { ids: vec![gone.id] });
    ours = act(
        &ours,
        Action::RenameCode {
            id: renamed,
            name: "Renamed by the lead".into(),
        },
    );
    let own = source(&mut SeqIds::new(3), "Lead's notes", "Notes of the lead.\n");
    ours = act(&ours, Action::AddSources { sources: vec![own] });

    let plan = plan(&ours, &theirs, &mut SeqIds::new(4));
    let via_app = apply(&ours, through_the_app(&ours, &plan).action()).unwrap();
    let mut history = History::new();
    let next = history.apply(&ours, plan.action()).unwrap();
    assert_eq!(plan.new_count(Kind::Source), 1, "{:#?}", plan.new);
    assert_eq!(plan.new_count(Kind::Code), 1);
    assert_eq!(
        plan.new_count(Kind::Coding),
        6,
        "4 + 1 of Bea and the one the lead removed"
    );
    assert_eq!(plan.new_count(Kind::Case), 1);
    assert_eq!(plan.identical_count(Kind::Source), demo.sources.len());
    assert_eq!(plan.identical_count(Kind::Code), demo.codes.len() - 1);
    assert_eq!(plan.identical_count(Kind::Coding), demo.coding_count() - 1);
    let kinds: Vec<ConflictKind> = plan.conflicts.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ConflictKind::CodeRenamed], "{:#?}", plan.conflicts);
    assert!(plan.conflicts[0].reason.contains("Renamed by Bea"));
    // Applied: one undo step, ours kept where they conflict.
    assert_eq!(next.sources.len(), demo.sources.len() + 2);
    assert_eq!(next.codes.len(), demo.codes.len() + 1);
    assert_eq!(next.coding_count(), demo.coding_count() + 5);
    assert_eq!(next.cases.len(), demo.cases.len() + 1);
    assert_eq!(next.code(renamed).unwrap().name, "Renamed by the lead");
    assert_eq!(next.code(new_code.id).unwrap().parent, Some(parent));
    assert!(
        next.coding(gone.id).is_some(),
        "their copy of it comes back"
    );
    assert_eq!(via_app, next);
    assert_eq!(history.undo_labels().count(), 1);
    assert_eq!(history.undo(&next).unwrap(), ours);
    // And the other way round: the lead's removal is reported, not applied.
    let (back, _) = merged(&theirs, &ours, 5);
    let removed: Vec<&str> = back
        .conflicts
        .iter()
        .filter(|c| c.kind == ConflictKind::CodingsRemoved)
        .map(|c| c.reason.as_str())
        .collect();
    assert_eq!(removed.len(), 1, "{:#?}", back.conflicts);
    assert!(removed[0].starts_with("1 coding by "), "{}", removed[0]);
}

#[test]
fn sources_match_by_text_not_by_name() {
    let b = base();
    let mut ids = SeqIds::new(50);
    let mut other = Project::new(ids.project_id(), "Colleague", NOW);
    // The same text renamed, with CRLF line endings and white space around it.
    let crlf = format!("\r\n  {}", TEXT_A.replace('\n', "\r\n"));
    let same = source(&mut ids, "Renamed interview", &crlf);
    // Another text under the name of one of ours.
    let clash = source(&mut ids, "Notes", "Other notes entirely.\n");
    let (same_id, clash_id) = (same.id, clash.id);
    other = act(
        &other,
        Action::AddSources {
            sources: vec![same, clash],
        },
    );
    let c = code(&mut ids, "Workload", None);
    let workload = c.id;
    other = act(&other, Action::CreateCode { code: c });
    // "Then nothing for months." in the CRLF text, 4 bytes on (2 + 2 spaces) and 3 more CRs.
    let start = crlf.find("Then nothing").unwrap();
    other = act(
        &other,
        Action::AddCodings {
            codings: vec![
                coding(&mut ids, same_id, workload, (start, start + 24), "Bo"),
                coding(&mut ids, clash_id, workload, (0, 5), "Bo"),
            ],
        },
    );
    let plan = plan(&b.project, &other, &mut SeqIds::new(51));
    assert_eq!(plan.identical_count(Kind::Source), 1);
    assert!(plan.identical[0].name.contains("Renamed interview"));
    assert_eq!(plan.new_count(Kind::Source), 0);
    let clash = plan
        .conflicts
        .iter()
        .find(|c| c.kind == ConflictKind::SourceTextDiffers)
        .unwrap();
    assert_eq!(clash.name, "Notes");
    assert!(clash.reason.contains("1 coding"), "{}", clash.reason);
    // Workload matched by name path; the coding re-targeted onto our text and offsets.
    assert_eq!(plan.codings.len(), 1);
    let c = &plan.codings[0];
    assert_eq!((c.source, c.code), (b.sources[0], b.codes[2]));
    let next = apply(&b.project, plan.action()).unwrap();
    assert_eq!(
        next.coded_text(next.coding(c.id).unwrap()),
        "Then nothing for months."
    );
    // Ann's coding and Bo's of the same words stay two codings (agreement compares them).
    assert_eq!(next.codings_of(b.sources[0]).len(), 3);
}

#[test]
fn codes_match_by_id_then_by_name_path() {
    let b = base();
    let mut other = b.project.clone();
    let mut ids = SeqIds::new(60);
    // A "Letters" under a new top-level code is a new code, not our Access > Letters.
    let policy = code(&mut ids, "Policy", None);
    let letters = code(&mut ids, "letters ", Some(policy.id));
    // An "Access" of another id is ours by name path; its child "Phone" is new under ours.
    other = act(
        &other,
        Action::ImportCodes {
            codes: vec![policy.clone(), letters.clone()],
        },
    );
    let mut fresh = Project::new(ids.project_id(), "Other", NOW);
    let access = code(&mut ids, "ACCESS", None);
    let phone = code(&mut ids, "Phone", Some(access.id));
    let sub = code(&mut ids, "Letters", Some(access.id));
    fresh = act(
        &fresh,
        Action::ImportCodes {
            codes: vec![access, phone.clone(), sub],
        },
    );
    let p1 = plan(&b.project, &other, &mut SeqIds::new(61));
    assert_eq!(p1.new_count(Kind::Code), 2);
    assert_eq!(p1.codes[1].parent, Some(policy.id));
    let p2 = plan(&b.project, &fresh, &mut SeqIds::new(62));
    assert_eq!(p2.new_count(Kind::Code), 1, "{:#?}", p2.new);
    assert_eq!(p2.codes[0].id, phone.id);
    assert_eq!(p2.codes[0].parent, Some(b.codes[0]));
    assert_eq!(p2.identical_count(Kind::Code), 2);
    let next = apply(&b.project, p2.action()).unwrap();
    assert_eq!(next.code_path(phone.id), "Access > Phone");
}

#[test]
fn a_code_renamed_and_an_attribute_of_another_kind_are_conflicts_that_keep_ours() {
    let b = base();
    let mut other = act(
        &b.project,
        Action::RenameCode {
            id: b.codes[2],
            name: "Workload and rotas".into(),
        },
    );
    other = act(
        &other,
        Action::SetAttributeKind {
            id: b.attribute,
            kind: AttributeKind::Number,
        },
    );
    let plan = plan(&b.project, &other, &mut SeqIds::new(70));
    let kinds: BTreeSet<String> = plan
        .conflicts
        .iter()
        .map(|c| format!("{:?}", c.kind))
        .collect();
    assert_eq!(
        kinds,
        ["AttributeKind", "CodeRenamed"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    let attribute = plan
        .conflicts
        .iter()
        .find(|c| c.kind == ConflictKind::AttributeKind)
        .unwrap();
    assert!(
        attribute.reason.contains("Text here but Number there"),
        "{}",
        attribute.reason
    );
    assert!(plan.is_empty());
    assert_eq!(apply(&b.project, plan.action()).unwrap(), b.project);
}

#[test]
fn cases_match_by_name_and_fill_what_is_missing_here() {
    let b = base();
    let mut ids = SeqIds::new(80);
    let mut other = b.project.clone();
    other = act(
        &other,
        Action::SetCaseSources {
            id: b.case,
            sources: vec![b.sources[0], b.sources[1]],
        },
    );
    other = act(
        &other,
        Action::SetAttributeValues {
            values: vec![(b.case, b.attribute, Some(AttrValue::Text("GP".into())))],
        },
    );
    // A case of the same name under another id is the same case.
    let mut renamed_ids = other.with_fresh_ids(&mut ids);
    renamed_ids.name = "Copy".into();
    let plan = plan(&b.project, &renamed_ids, &mut SeqIds::new(81));
    assert_eq!(plan.identical_count(Kind::Case), 1);
    assert_eq!(plan.new_count(Kind::CaseLink), 1);
    assert_eq!(plan.new_count(Kind::Value), 1);
    assert_eq!(plan.new_count(Kind::Coding), 0, "{:#?}", plan.new);
    let next = apply(&b.project, plan.action()).unwrap();
    let case = next.case(b.case).unwrap();
    assert_eq!(case.sources, [b.sources[0], b.sources[1]]);
    assert_eq!(
        case.values.get(&b.attribute),
        Some(&AttrValue::Text("GP".into()))
    );
    // Then a different value is a conflict; ours stays.
    let differs = act(
        &renamed_ids,
        Action::SetAttributeValues {
            values: vec![(
                renamed_ids.cases[0].id,
                renamed_ids.attributes[0].id,
                Some(AttrValue::Text("Nurse".into())),
            )],
        },
    );
    let again = framewise_core::merge::plan(&next, &differs, &mut SeqIds::new(82));
    assert_eq!(again.conflicts.len(), 1);
    assert_eq!(again.conflicts[0].kind, ConflictKind::ValueDiffers);
    assert!(again.is_empty());
}

#[test]
fn ids_taken_here_by_something_else_are_replaced() {
    let b = base();
    let mut ids = SeqIds::new(90);
    let mut other = Project::new(ids.project_id(), "Other", NOW);
    // A new source and code that happen to carry ids of ours (a different text and name).
    let mut s = source(&mut ids, "Elsewhere", "Different words.\n");
    s.id = b.sources[1];
    let mut c = code(&mut ids, "Brand new", None);
    c.id = CodeId(b.sources[0].0);
    let cd = coding(&mut ids, s.id, c.id, (0, 9), "Bo");
    other = act(&other, Action::AddSources { sources: vec![s] });
    other = act(&other, Action::CreateCode { code: c.clone() });
    other = act(&other, Action::AddCodings { codings: vec![cd] });
    let plan = plan(&b.project, &other, &mut SeqIds::new(91));
    assert_eq!(plan.sources.len(), 1);
    assert_ne!(plan.sources[0].id, b.sources[1]);
    assert_ne!(plan.codes[0].id, c.id);
    assert_eq!(plan.codings[0].source, plan.sources[0].id);
    assert_eq!(plan.codings[0].code, plan.codes[0].id);
    let next = apply(&b.project, plan.action()).unwrap();
    assert_eq!(next.coding_count(), b.project.coding_count() + 1);
}

#[test]
fn merged_codings_keep_coders_apart_and_merge_one_coders_overlaps() {
    let b = base();
    let mut ids = SeqIds::new(100);
    let [s, _] = b.sources;
    let code = b.codes[1];
    // Ann has 44..72. Bo overlaps it: stays apart. Ann again overlapping: one coding.
    let bo = coding(&mut ids, s, code, (50, 80), "Bo");
    let ann = coding(&mut ids, s, code, (60, 90), "Ann");
    let mut other = b.project.clone();
    other.codings.insert(s, Arc::new(vec![bo.clone(), ann]));
    let next = apply(
        &b.project,
        plan(&b.project, &other, &mut SeqIds::new(101)).action(),
    )
    .unwrap();
    let mut spans: Vec<(usize, usize, String)> = next
        .codings_of(s)
        .iter()
        .filter(|c| c.code == code)
        .map(|c| (c.span.start, c.span.end, c.coder.clone()))
        .collect();
    spans.sort();
    assert_eq!(
        spans,
        [(44, 90, "Ann".to_string()), (50, 80, "Bo".to_string())]
    );
    // Merged again nothing is new: Bo's coding is there, Ann's 60..90 lies inside her 44..90.
    let again = plan(&next, &other, &mut SeqIds::new(102));
    assert_eq!(again.new_count(Kind::Coding), 0, "{:#?}", again.new);
    assert_eq!(
        again.identical_count(Kind::Coding),
        3,
        "with Ann's coding of the notes"
    );
    assert!(again.is_empty());
    let _ = bo;
}

// ---- property tests ----

/// A change one copy makes, every name and coder marked with the copy's `tag`.
#[derive(Clone, Debug)]
enum Change {
    Code {
        name: u8,
        under: Option<usize>,
    },
    Coding {
        source: usize,
        code: usize,
        start: usize,
        len: usize,
    },
    Source {
        words: u8,
    },
    Case {
        name: u8,
        linked: Option<usize>,
    },
    Remove {
        which: usize,
    },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<u8>(), proptest::option::of(0usize..8))
            .prop_map(|(name, under)| Change::Code { name, under }),
        (0usize..4, 0usize..8, 0usize..100, 1usize..30).prop_map(|(source, code, start, len)| {
            Change::Coding {
                source,
                code,
                start,
                len,
            }
        }),
        any::<u8>().prop_map(|words| Change::Source { words }),
        (any::<u8>(), proptest::option::of(0usize..4))
            .prop_map(|(name, linked)| Change::Case { name, linked }),
        (0usize..8).prop_map(|which| Change::Remove { which }),
    ]
}

/// Applies `changes` to `p`, as the copy `tag` would (its own coder, names and texts; removing
/// only its own codings, so the two copies' changes stay disjoint).
fn diverge(p: &Project, tag: &str, seed: u64, changes: &[Change]) -> Project {
    let mut ids = SeqIds::new(seed);
    let mut p = p.clone();
    for ch in changes {
        let action = match ch {
            Change::Code { name, under } => {
                let parent = under.and_then(|i| p.codes.get(i)).map(|c| c.id);
                Action::CreateCode {
                    code: code(&mut ids, &format!("{tag} code {name}"), parent),
                }
            }
            Change::Coding {
                source,
                code,
                start,
                len,
            } => {
                let (Some(s), Some(c)) = (p.sources.get(*source), p.codes.get(*code)) else {
                    continue;
                };
                let start = (*start).min(s.text.len().saturating_sub(1));
                let end = (start + len).min(s.text.len());
                if !s.text.is_char_boundary(start) || !s.text.is_char_boundary(end) || end <= start
                {
                    continue;
                }
                Action::AddCodings {
                    codings: vec![coding(&mut ids, s.id, c.id, (start, end), tag)],
                }
            }
            Change::Source { words } => Action::AddSources {
                sources: vec![source(
                    &mut ids,
                    &format!("{tag} source {words}"),
                    &format!("{tag} said {words} things about the scheme and its rotas.\n"),
                )],
            },
            Change::Case { name, linked } => {
                let mut case = Case::new(ids.case_id(), format!("{tag} case {name}"), NOW);
                case.sources = linked
                    .and_then(|i| p.sources.get(i))
                    .map(|s| s.id)
                    .into_iter()
                    .collect();
                Action::AddCases { cases: vec![case] }
            }
            Change::Remove { which } => {
                let mine: Vec<CodingId> = p
                    .all_codings()
                    .filter(|c| c.coder == tag)
                    .map(|c| c.id)
                    .collect();
                let Some(id) = mine.get(which % mine.len().max(1)) else {
                    continue;
                };
                Action::RemoveCodings { ids: vec![*id] }
            }
        };
        // A clash of names (the same random name twice) is refused: skip that change.
        if let Ok(next) = apply(&p, action) {
            p = next;
        }
    }
    p
}

/// The project with every order that a merge may choose differently put in a fixed order.
fn canonical(p: &Project) -> String {
    let mut sources: Vec<String> = p
        .sources
        .iter()
        .map(|s| format!("{} {} {:?}", s.id, s.name, s.text))
        .collect();
    sources.sort();
    let mut codes: Vec<String> = p
        .codes
        .iter()
        .map(|c| format!("{} {} {:?}", c.id, c.name, c.parent))
        .collect();
    codes.sort();
    let mut codings: Vec<String> = p
        .all_codings()
        .map(|c| format!("{} {} {:?} {} {}", c.id, c.source, c.span, c.code, c.coder))
        .collect();
    codings.sort();
    let mut cases: Vec<String> = p
        .cases
        .iter()
        .map(|c| {
            let mut linked = c.sources.clone();
            linked.sort();
            format!(
                "{} {} {:?} {linked:?} {:?}",
                c.id, c.name, c.parent, c.values
            )
        })
        .collect();
    cases.sort();
    format!(
        "{sources:#?}\n{codes:#?}\n{codings:#?}\n{cases:#?}\n{:?}",
        p.attributes
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_project_merged_with_itself_is_unchanged(changes in proptest::collection::vec(change(), 0..12)) {
        let p = diverge(&base().project, "Ann", 7, &changes);
        let plan = plan(&p, &p, &mut SeqIds::new(8));
        prop_assert!(plan.is_empty());
        prop_assert!(plan.conflicts.is_empty());
        prop_assert_eq!(apply(&p, plan.action()).unwrap(), p);
    }

    #[test]
    fn disjoint_changes_merge_alike_in_either_order(
        a in proptest::collection::vec(change(), 0..10),
        b in proptest::collection::vec(change(), 0..10),
    ) {
        let start = base().project;
        // Coders other than the base's Ann: each copy's changes are its own (an Ann who removes
        // a coding and codes the same words again is a conflict, not a disjoint change).
        let left = diverge(&start, "Cy", 11, &a);
        let right = diverge(&start, "Di", 12, &b);
        let (_, ab) = merged(&left, &right, 13);
        let (_, ba) = merged(&right, &left, 14);
        prop_assert_eq!(canonical(&ab), canonical(&ba));
        // Both copies' work is all there.
        for side in [&left, &right] {
            for c in side.all_codings() {
                prop_assert!(ab.coding(c.id).is_some(), "{:?} missing", c);
            }
            prop_assert!(side.codes.iter().all(|c| ab.code(c.id).is_some()));
        }
        // And merging the one result into the other changes nothing.
        let (again, _) = merged(&ab, &ba, 15);
        prop_assert!(again.is_empty(), "{:#?}", again);
    }
}
