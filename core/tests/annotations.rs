//! Annotations (comments on passages and codings): the actions and their undo, spans following
//! text edits, removed codings and sources, the saved format, merges, pseudonymisation, the
//! hand-over copy, REFI-QDA and the memo list.
#![allow(clippy::unwrap_used)]

mod common;

use common::{code, coding, source, NOW};
use framewise_core::memos::{self, MemoKind, MemoTarget};
use framewise_core::persist::{
    assemble, diff, from_project_file, full_writes, to_project_file, ProjectMeta, StoreName,
    StoredRecords, Write,
};
use framewise_core::share::{shared_copy, LeaveOut};
use framewise_core::*;

const TEXT: &str = "Ana said the clinic in Leeds was far.\nShe waits weeks for a slot.\n";

struct Setup {
    ids: SeqIds,
    p: Project,
    source: SourceId,
    code: CodeId,
    coding: CodingId,
}

fn span_of(needle: &str) -> Span {
    let at = TEXT.find(needle).unwrap();
    Span::new(at, at + needle.len())
}

fn setup() -> Setup {
    let mut ids = SeqIds::new(41);
    let mut p = Project::new(ids.project_id(), "Notes", NOW);
    let s = source(&mut ids, "Interview 1", TEXT);
    let sid = s.id;
    p = apply(&p, Action::AddSources { sources: vec![s] }).unwrap();
    let c = code(&mut ids, "Waiting", None);
    let cid = c.id;
    p = apply(&p, Action::CreateCode { code: c }).unwrap();
    let w = span_of("waits weeks");
    let k = coding(&mut ids, sid, cid, w.start, w.end);
    let kid = k.id;
    p = apply(&p, Action::AddCodings { codings: vec![k] }).unwrap();
    Setup {
        ids,
        p,
        source: sid,
        code: cid,
        coding: kid,
    }
}

fn note(s: &mut Setup, span: Span, coding: Option<CodingId>, text: &str) -> Annotation {
    Annotation {
        id: s.ids.annotation_id(),
        source: s.source,
        span,
        coding,
        text: text.into(),
        created: NOW,
    }
}

fn annotated(s: &mut Setup) -> (AnnotationId, AnnotationId) {
    let a = note(s, span_of("the clinic in Leeds"), None, "  Which clinic?  ");
    let b = note(
        s,
        span_of("waits weeks"),
        Some(s.coding),
        "Check with Leeds data",
    );
    let (ia, ib) = (a.id, b.id);
    for annotation in [a, b] {
        s.p = apply(&s.p, Action::AddAnnotation { annotation }).unwrap();
    }
    (ia, ib)
}

#[test]
fn add_edit_remove_are_one_undo_step_each() {
    let mut s = setup();
    let mut h = History::new();
    let start = s.p.clone();
    let a = note(&mut s, span_of("the clinic"), None, " A first thought \r\n");
    let id = a.id;
    let p1 = h
        .apply(&start, Action::AddAnnotation { annotation: a })
        .unwrap();
    assert_eq!(
        p1.annotation(id).unwrap().text,
        "A first thought",
        "trimmed"
    );
    let p2 = h
        .apply(
            &p1,
            Action::EditAnnotation {
                id,
                text: "A second thought".into(),
            },
        )
        .unwrap();
    assert_eq!(p2.annotation(id).unwrap().text, "A second thought");
    let p3 = h.apply(&p2, Action::RemoveAnnotation { id }).unwrap();
    assert!(p3.annotations.is_empty());
    assert_eq!(
        h.undo_labels().rev().take(3).collect::<Vec<_>>(),
        vec!["Remove annotation", "Edit annotation", "Annotate"]
    );
    assert_eq!(h.undo(&p3).unwrap(), p2);
    assert_eq!(h.undo(&p2).unwrap(), p1);
    assert_eq!(h.undo(&p1).unwrap(), start);
}

#[test]
fn bad_annotations_are_refused_with_a_sentence() {
    let mut s = setup();
    let empty = note(&mut s, span_of("the clinic"), None, "  \n ");
    let err = apply(&s.p, Action::AddAnnotation { annotation: empty }).unwrap_err();
    assert_eq!(err.to_string(), "an annotation needs some text");
    let outside = note(&mut s, Span::new(3, TEXT.len() + 4), None, "x");
    assert!(apply(
        &s.p,
        Action::AddAnnotation {
            annotation: outside
        }
    )
    .is_err());
    let unknown = s.ids.annotation_id();
    let err = apply(&s.p, Action::RemoveAnnotation { id: unknown }).unwrap_err();
    assert!(err.to_string().starts_with("there is no annotation"));
    let (a, _) = annotated(&mut s);
    let twice = Annotation {
        id: a,
        ..note(&mut s, span_of("far"), None, "again")
    };
    assert!(matches!(
        apply(&s.p, Action::AddAnnotation { annotation: twice }),
        Err(ActionError::DuplicateId(_))
    ));
    assert!(apply(
        &s.p,
        Action::EditAnnotation {
            id: a,
            text: " ".into()
        }
    )
    .is_err());
}

#[test]
fn annotations_follow_their_words_when_the_text_is_edited() {
    let mut s = setup();
    let (a, b) = annotated(&mut s);
    // Text typed before both passages shifts them.
    let edited = format!("Today: {TEXT}");
    let (p, report) = edit::edit_source_text(&s.p, s.source, &edited).unwrap();
    let text = &p.source(s.source).unwrap().text;
    let words = |id| {
        let an = p.annotation(id).unwrap();
        &text[an.span.start..an.span.end]
    };
    assert_eq!(words(a), "the clinic in Leeds");
    assert_eq!(words(b), "waits weeks");
    assert_eq!(p.annotation(b).unwrap().coding, Some(s.coding));
    assert!(report.removed_annotations.is_empty());
    // Deleting an annotated passage removes its annotation and reports it.
    let cut = TEXT.replace("the clinic in Leeds ", "");
    let (p, report) = edit::edit_source_text(&s.p, s.source, &cut).unwrap();
    assert!(p.annotation(a).is_none());
    assert_eq!(report.removed_annotations.len(), 1);
    assert_eq!(report.removed_annotations[0].id, a);
    assert!(p.annotation(b).is_some());
    // The same through the action (one undo step).
    let p = apply(
        &s.p,
        Action::EditSourceText {
            source: s.source,
            text: edited,
        },
    )
    .unwrap();
    let an = p.annotation(a).unwrap();
    assert_eq!(an.span.start, span_of("the clinic in Leeds").start + 7);
}

#[test]
fn a_removed_coding_leaves_its_annotation_on_the_passage_and_a_removed_source_takes_them() {
    let mut s = setup();
    let (a, b) = annotated(&mut s);
    let p = apply(
        &s.p,
        Action::RemoveCodings {
            ids: vec![s.coding],
        },
    )
    .unwrap();
    let kept = p.annotation(b).unwrap();
    assert_eq!(kept.coding, None, "now a passage annotation");
    assert_eq!(kept.span, span_of("waits weeks"));
    let p = apply(&s.p, Action::DeleteCode { id: s.code }).unwrap();
    assert_eq!(p.annotation(b).unwrap().coding, None);
    let p = apply(&s.p, Action::RemoveSource { id: s.source }).unwrap();
    assert!(p.annotation(a).is_none() && p.annotations.is_empty());
}

#[test]
fn an_annotation_follows_its_coding_when_codings_merge() {
    let mut s = setup();
    let (_, b) = annotated(&mut s);
    // Another coding of the same code overlapping the annotated one: the two become one.
    let wide = span_of("She waits weeks for");
    let other = coding(&mut s.ids, s.source, s.code, wide.start, wide.end);
    let p = apply(
        &s.p,
        Action::AddCodings {
            codings: vec![other],
        },
    )
    .unwrap();
    let list = p.codings_of(s.source);
    assert_eq!(list.len(), 1);
    assert_eq!(p.annotation(b).unwrap().coding, Some(list[0].id));
}

#[test]
fn annotations_are_saved_loaded_and_diffed_with_their_source() {
    let mut s = setup();
    let (a, b) = annotated(&mut s);
    let meta = ProjectMeta::new(5);
    // Project file round trip.
    let file = to_project_file(&s.p, &meta);
    assert!(file.contains("\"version\": 4") && file.contains("Which clinic?"));
    let loaded = from_project_file(&file).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, s.p);
    // Stored records round trip.
    let mut records = StoredRecords::default();
    for w in full_writes(&s.p, &meta) {
        if let Write::Put { store, json, .. } = w {
            records.push(store, json);
        }
    }
    let loaded = assemble(&records).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, s.p);
    // Editing one annotation writes its source's small record and the project record.
    let edited = apply(
        &s.p,
        Action::EditAnnotation {
            id: a,
            text: "Which one?".into(),
        },
    )
    .unwrap();
    let writes = diff(Some(&s.p), &edited, &meta);
    let stores: Vec<StoreName> = writes.iter().map(Write::store).collect();
    assert_eq!(stores, vec![StoreName::Sources, StoreName::Projects]);
    assert!(writes.iter().all(|w| w.bytes() < 1_000));
    // Removing one does the same; an unrelated change does not rewrite the source.
    let removed = apply(&s.p, Action::RemoveAnnotation { id: b }).unwrap();
    let stores: Vec<StoreName> = diff(Some(&s.p), &removed, &meta)
        .iter()
        .map(Write::store)
        .collect();
    assert_eq!(stores, vec![StoreName::Sources, StoreName::Projects]);
    let renamed = apply(
        &s.p,
        Action::RenameCode {
            id: s.code,
            name: "Delay".into(),
        },
    )
    .unwrap();
    assert!(!diff(Some(&s.p), &renamed, &meta)
        .iter()
        .any(|w| w.store() == StoreName::Sources));
}

#[test]
fn an_annotation_that_does_not_fit_is_left_out_with_a_warning() {
    let mut s = setup();
    annotated(&mut s);
    let file = to_project_file(&s.p, &ProjectMeta::new(5));
    let at = span_of("the clinic in Leeds");
    let broken = file.replacen(&format!("\"end\": {}", at.end), "\"end\": 9999", 1);
    assert_ne!(broken, file);
    let loaded = from_project_file(&broken).unwrap();
    assert_eq!(loaded.project.annotations.len(), 1);
    assert!(
        loaded.warnings[0].starts_with("An annotation of “Interview 1”"),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn merging_a_copy_adds_its_new_annotations_once() {
    let mut s = setup();
    let (a, _) = annotated(&mut s);
    let ours = s.p.clone();
    // Their copy (same ids) gains an annotation and changes nothing else.
    let extra = note(&mut s, span_of("for a slot"), None, "Slots are weekly");
    let extra_id = extra.id;
    let theirs = apply(&ours, Action::AddAnnotation { annotation: extra }).unwrap();
    let plan = merge::plan(&ours, &theirs, &mut SeqIds::new(9));
    assert_eq!(plan.new_count(merge::Kind::Annotation), 1);
    assert_eq!(plan.identical_count(merge::Kind::Annotation), 2);
    let merged = apply(&ours, plan.action()).unwrap();
    assert_eq!(
        merged.annotation(extra_id).unwrap().text,
        "Slots are weekly"
    );
    assert_eq!(merged.annotations.len(), 3);
    // Through the app's path (the plan as a staged project and back).
    let staged = plan.staged(&ours);
    let back = merge::MergePlan::from_staged(&ours, &staged, plan.summary());
    assert_eq!(back.annotations, plan.annotations);
    // Merged again: nothing new.
    let again = merge::plan(&merged, &theirs, &mut SeqIds::new(9));
    assert_eq!(again.new_count(merge::Kind::Annotation), 0);
    assert!(again.annotations.is_empty());
    // Into a project without the annotations, theirs keep their ids and their coding.
    let bare = apply(&ours, Action::RemoveAnnotation { id: a }).unwrap();
    let plan = merge::plan(&bare, &theirs, &mut SeqIds::new(9));
    assert!(plan.annotations.iter().any(|x| x.id == a));
}

#[test]
fn pseudonymisation_reaches_annotation_text() {
    let mut s = setup();
    let (_, b) = annotated(&mut s);
    let key = vec![Pseudonym {
        real: "Leeds".into(),
        pseudonym: "City A".into(),
    }];
    let plan = pseudonym::plan(&s.p, &key);
    let annotation_place = model::place::Place::Annotation(b);
    assert!(plan.iter().any(|r| r.place == annotation_place));
    let described = annotation_place.describe(&s.p);
    assert_eq!(described, "annotation in source “Interview 1”");
    let p = apply(&s.p, pseudonym::apply_action(&plan)).unwrap();
    assert_eq!(p.annotation(b).unwrap().text, "Check with City A data");
    assert!(pseudonym::remaining(&p, &key).is_empty());
    let file = to_project_file(&p, &ProjectMeta::new(1));
    assert!(pseudonym::names_in(file.as_bytes(), &key).is_empty());
}

#[test]
fn the_hand_over_copy_without_memos_has_no_annotations() {
    let mut s = setup();
    annotated(&mut s);
    let copy = shared_copy(
        &s.p,
        LeaveOut {
            memos: true,
            ..LeaveOut::default()
        },
    );
    assert!(copy.annotations.is_empty());
    assert!(!to_project_file(&copy, &ProjectMeta::new(1)).contains("Which clinic"));
    assert_eq!(shared_copy(&s.p, LeaveOut::default()).annotations.len(), 2);
}

#[test]
fn refi_export_carries_annotations_as_notes_and_reads_them_back() {
    let mut s = setup();
    let (a, b) = annotated(&mut s);
    let qde = refi::export_qde(&s.p);
    validate_qde(&qde);
    assert!(qde.contains(&format!("<NoteRef targetGUID=\"{a}\"/>")));
    assert!(qde.contains(&format!(
        "<Note guid=\"{b}\" name=\"Annotation: Interview 1\" creationDateTime="
    )));
    let back =
        refi::import_qdpx(&refi::export_qdpx(&s.p).unwrap(), &mut SeqIds::new(3), 5).unwrap();
    assert_eq!(back.report.annotations, 2);
    assert_eq!(back.report.unattached_notes, 0);
    assert_eq!(back.project.annotations, s.p.annotations);
}

#[test]
fn the_memo_list_holds_every_memo_and_annotation() {
    let mut s = setup();
    annotated(&mut s);
    let mut p = apply(
        &s.p,
        Action::SetCodeMemo {
            id: s.code,
            memo: "Waiting times matter".into(),
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::SetProjectMemo {
            memo: "Pilot".into(),
        },
    )
    .unwrap();
    let list = memos::list(&p);
    let kinds: Vec<MemoKind> = list.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        vec![
            MemoKind::Project,
            MemoKind::Code,
            MemoKind::Annotation,
            MemoKind::Annotation
        ]
    );
    assert_eq!(list[1].attached_to, "Code “Waiting”");
    assert_eq!(list[2].attached_to, "Passage in “Interview 1”");
    assert_eq!(list[2].passage.as_deref(), Some("the clinic in Leeds"));
    assert_eq!(list[3].attached_to, "Coding “Waiting” in “Interview 1”");
    assert!(
        matches!(list[3].target, MemoTarget::Annotation { span, .. } if span == span_of("waits weeks"))
    );
    // Search by words (any case, in text, passage or attachment) and filter by kind.
    let found = memos::filter(&list, "leeds", None);
    assert_eq!(found.len(), 2, "text of one, passage of the other");
    assert_eq!(memos::filter(&list, "LEEDS check", None).len(), 1);
    assert_eq!(memos::filter(&list, "", Some(MemoKind::Code)).len(), 1);
    assert_eq!(
        memos::filter(&list, "waiting", Some(MemoKind::Annotation)).len(),
        1
    );
    assert!(memos::filter(&list, "nowhere", None).is_empty());
    assert_eq!(MemoKind::from_key("annotation"), Some(MemoKind::Annotation));
}

/// Validates an exported project against REFI-QDA's schema with xmllint (skipped with a notice
/// when xmllint is not installed).
fn validate_qde(xml: &str) {
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("NOTICE: xmllint not installed; schema validation skipped");
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/refi");
    let schema = if root.exists() {
        root.join("Project.xsd")
    } else {
        std::path::PathBuf::from("/work/shared/refi/Project.xsd")
    };
    let file =
        std::env::temp_dir().join(format!("framewise-annotations-{}.qde", std::process::id()));
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "the export does not validate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_memo_list_is_written_out_with_every_text_escaped() {
    let mut s = setup();
    annotated(&mut s);
    let p = apply(
        &s.p,
        Action::SetProjectMemo {
            memo: "<img src=x onerror=alert(1)> Leeds".into(),
        },
    )
    .unwrap();
    let all = memos::shown(&p, "", "");
    assert_eq!(all.status, "3 memos");
    assert!(!all.markup.contains("<img"), "{}", all.markup);
    assert!(all
        .markup
        .contains("&lt;img src=x onerror=alert(1)&gt; Leeds"));
    assert!(!all.markup.contains("No memos yet"));
    // Each item's button carries its place, read back as it was.
    let list = memos::list(&p);
    for m in &list {
        let key = m.target.key();
        assert!(all.markup.contains(&format!("data-go='{key}'")), "{key}");
        assert_eq!(MemoTarget::parse(&key), Some(m.target));
    }
    for bad in ["", "x", "s:nope", "a:1:2:3", "p:extra"] {
        assert_eq!(MemoTarget::parse(bad), None, "{bad}");
    }
    // Filtered by words and kind as `filter` does.
    assert_eq!(memos::shown(&p, "leeds", "").status, "3 memos");
    assert_eq!(memos::shown(&p, "leeds", "project").status, "1 memo");
    assert_eq!(memos::shown(&p, "leeds", "annotation").status, "2 memos");
    let none = memos::shown(&p, "nowhere", "");
    assert_eq!(none.status, "0 memos");
    assert_eq!(none.markup, "<ul class='memo-items'></ul>");
    // No memo at all: the hint.
    assert!(memos::shown(&setup().p, "", "")
        .markup
        .contains("No memos yet"));
}
