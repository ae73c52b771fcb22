//! The saved format: round trips through the project file and stored records, writes
//! proportional to the change, refusal of newer and unreadable data, defaults, and old fixtures
//! that must keep loading.
#![allow(clippy::unwrap_used)]

use framewise_core::persist::{
    self, assemble, diff, from_project_file, full_writes, project_file_name, summary,
    to_project_file, LoadError, ProjectMeta, StoreName, StoredRecords, Write, CURRENT_VERSION,
};
use framewise_core::*;
use std::collections::BTreeMap;
use std::sync::Arc;

const META: ProjectMeta = ProjectMeta {
    modified: 1_700_000_100_000,
    last_opened: 1_700_000_200_000,
};

fn code(ids: &mut SeqIds, name: &str, parent: Option<CodeId>, n: usize) -> Code {
    Code {
        id: ids.code_id(),
        name: name.into(),
        parent,
        color: color_for(n).into(),
        description: format!("Definition of {name}"),
        origin: if n.is_multiple_of(2) {
            CodeOrigin::Deductive
        } else {
            CodeOrigin::Inductive
        },
        memo: String::new(),
        created: 1_700_000_000_000 + n as i64,
    }
}

fn source(ids: &mut SeqIds, name: &str, kind: SourceKind, text: &str) -> Source {
    Source {
        id: ids.source_id(),
        name: name.into(),
        kind,
        text: text.into(),
        memo: String::new(),
        imported: 1_700_000_000_500,
        file_name: Some(format!("{name}.txt")),
        turns: Vec::new(),
    }
}

fn coding(ids: &mut SeqIds, source: &Source, code: CodeId, needle: &str) -> Coding {
    let start = source.text.find(needle).unwrap();
    Coding {
        id: ids.coding_id(),
        source: source.id,
        span: Span::new(start, start + needle.len()),
        code,
        coder: "Amélie".into(),
        created: 1_700_000_001_000,
    }
}

/// A project with non-ASCII and emoji text, nested codes, overlapping codings and memos.
fn rich_project() -> Project {
    let mut ids = SeqIds::new(7);
    let mut p = Project::new(
        ids.project_id(),
        "Évaluation 2026 — Ψ 🌍",
        1_700_000_000_000,
    );
    let interview = source(
        &mut ids,
        "Interview Zoë",
        SourceKind::Interview,
        "I: Wie war der Zugang?\nZoë: Schwierig 😅 — the clinic was far, 診療所は遠い.\nI: And cost?\nZoë: Too high for us 👨‍👩‍👧.\n",
    );
    let notes = source(
        &mut ids,
        "Field notes, day 1",
        SourceKind::FieldNotes,
        "Waiting room full at 08:00. Staff friendly; queue ≈ 3 h.\n",
    );
    let report = source(
        &mut ids,
        "Annual report",
        SourceKind::Document,
        "Coverage rose from 40 % to 55 %.",
    );
    let access = code(&mut ids, "Access", None, 0);
    let distance = code(&mut ids, "Distance", Some(access.id), 1);
    let cost = code(&mut ids, "Cost «barrier»", Some(access.id), 2);
    let travel = code(&mut ids, "Travel 🚌", Some(distance.id), 3);
    let quality = code(&mut ids, "Quality", None, 4);
    let codings = vec![
        coding(
            &mut ids,
            &interview,
            access.id,
            "Schwierig 😅 — the clinic was far",
        ),
        coding(
            &mut ids,
            &interview,
            distance.id,
            "the clinic was far, 診療所は遠い",
        ),
        coding(&mut ids, &interview, travel.id, "診療所は遠い"),
        coding(&mut ids, &interview, cost.id, "Too high for us 👨‍👩‍👧"),
        coding(&mut ids, &notes, quality.id, "Staff friendly"),
        coding(&mut ids, &notes, access.id, "queue ≈ 3 h"),
    ];
    let actions = vec![
        Action::AddSources {
            sources: vec![interview.clone(), notes.clone(), report],
        },
        Action::ImportCodes {
            codes: vec![access, distance, cost.clone(), travel, quality],
        },
        Action::AddCodings { codings },
        Action::SetProjectMemo {
            memo: "Analytic memo:\nAccess dominates — «cost» is secondary? 🤔".into(),
        },
        Action::SetSourceMemo {
            id: interview.id,
            memo: "Recorded in Köln; consent on file.".into(),
        },
        Action::SetCodeMemo {
            id: cost.id,
            memo: "Includes indirect costs (Fahrtkosten).".into(),
        },
    ];
    for action in actions {
        p = apply(&p, action).unwrap();
    }
    p
}

/// A simulated IndexedDB: (store, key) -> (project, json).
type Db = BTreeMap<(StoreName, String), (ProjectId, String)>;

fn write_all(db: &mut Db, writes: &[Write]) {
    for w in writes {
        match w {
            Write::Put {
                store,
                key,
                project,
                json,
            } => {
                db.insert((*store, key.clone()), (*project, json.clone()));
            }
            Write::Delete { store, key, .. } => {
                db.remove(&(*store, key.clone()));
            }
        }
    }
}

fn db_of(project: &Project, meta: &ProjectMeta) -> Db {
    let mut db = Db::new();
    write_all(&mut db, &full_writes(project, meta));
    db
}

fn records(db: &Db, id: ProjectId) -> StoredRecords {
    let mut r = StoredRecords::default();
    for ((store, _), (project, json)) in db {
        if *project == id {
            r.push(*store, json.clone());
        }
    }
    r
}

fn total_bytes(writes: &[Write]) -> usize {
    writes.iter().map(Write::bytes).sum()
}

#[test]
fn project_file_round_trip_keeps_everything() {
    let p = rich_project();
    let file = to_project_file(&p, &META);
    assert!(file.contains("\"format\": \"framewise-project\""));
    assert!(file.contains(&format!("\"version\": {CURRENT_VERSION}")));
    let loaded = from_project_file(&file).unwrap();
    assert_eq!(loaded.project, p);
    assert_eq!(loaded.meta, META);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn stored_records_round_trip_keeps_everything() {
    let p = rich_project();
    let db = db_of(&p, &META);
    // One record per project, memo, source, text, code and coding.
    assert_eq!(db.len(), 2 + 3 + 3 + 5 + 6);
    let loaded = assemble(&records(&db, p.id)).unwrap();
    assert_eq!(loaded.project, p);
    assert_eq!(loaded.meta, META);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn every_record_carries_format_and_version() {
    for w in full_writes(&rich_project(), &META) {
        let Write::Put { json, store, .. } = &w else {
            panic!("full writes only put")
        };
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let format = value["format"].as_str().unwrap();
        assert!(format.starts_with("framewise-"), "{store:?}: {format}");
        assert_eq!(value["version"], CURRENT_VERSION);
    }
}

/// 50 sources of about 60 KB each.
fn big_project() -> (Project, SeqIds) {
    let mut ids = SeqIds::new(50);
    let mut p = Project::new(ids.project_id(), "Fifty interviews", 0);
    let paragraph =
        "R: Das Wartezimmer war voll, und niemand erklärte uns etwas — 😤 wir warteten.\n";
    let text = paragraph.repeat(60_000 / paragraph.len() + 1);
    let sources: Vec<Source> = (0..50)
        .map(|i| {
            source(
                &mut ids,
                &format!("Interview {i:02}"),
                SourceKind::Interview,
                &text,
            )
        })
        .collect();
    let codes: Vec<Code> = (0..30)
        .map(|i| code(&mut ids, &format!("Code {i}"), None, i))
        .collect();
    let mut codings = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        for j in 0..20 {
            let start = paragraph.len() * j;
            codings.push(Coding {
                id: ids.coding_id(),
                source: s.id,
                span: Span::new(start, start + 10),
                code: codes[(i + j) % codes.len()].id,
                coder: "A".into(),
                created: 0,
            });
        }
    }
    p = apply(&p, Action::AddSources { sources }).unwrap();
    p = apply(&p, Action::ImportCodes { codes }).unwrap();
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    (p, ids)
}

#[test]
fn one_coding_in_a_50_source_project_writes_one_small_record() {
    let (before, mut ids) = big_project();
    assert!(before.sources.iter().all(|s| s.text.len() >= 60_000));
    let source = before.sources[17].clone();
    let new = Coding {
        id: ids.coding_id(),
        source: source.id,
        span: Span::new(3, 40),
        code: before.codes[4].id,
        coder: "A".into(),
        created: 5,
    };
    let after = apply(
        &before,
        Action::AddCodings {
            codings: vec![new.clone()],
        },
    )
    .unwrap();
    let writes = diff(Some(&before), &after, &META);

    let coding_puts: Vec<_> = writes
        .iter()
        .filter(|w| w.store() == StoreName::Codings)
        .collect();
    assert_eq!(coding_puts.len(), 1);
    assert!(matches!(coding_puts[0], Write::Put { key, .. } if *key == new.id.to_string()));
    // Besides it, at most the small project record.
    assert!(writes.len() <= 2, "{writes:#?}");
    assert!(writes
        .iter()
        .all(|w| matches!(w.store(), StoreName::Codings | StoreName::Projects)));
    let bytes = total_bytes(&writes);
    assert!(bytes < 10_000, "{bytes} bytes written for one coding");

    // And the result reads back as the new project.
    let mut db = db_of(&before, &META);
    let full_size: usize = db.values().map(|(_, j)| j.len()).sum();
    assert!(full_size > 3_000_000, "the project is big: {full_size}");
    write_all(&mut db, &writes);
    assert_eq!(assemble(&records(&db, after.id)).unwrap().project, after);
}

#[test]
fn nothing_changed_writes_nothing() {
    let p = rich_project();
    assert!(diff(Some(&p), &p.clone(), &META).is_empty());
}

#[test]
fn texts_are_written_only_for_new_sources() {
    let (p, mut ids) = big_project();
    let renamed = apply(
        &p,
        Action::RenameSource {
            id: p.sources[3].id,
            name: "Renamed".into(),
        },
    )
    .unwrap();
    let writes = diff(Some(&p), &renamed, &META);
    assert!(writes.iter().all(|w| w.store() != StoreName::Texts));
    assert!(total_bytes(&writes) < 2_000);

    let added = apply(
        &p,
        Action::AddSources {
            sources: vec![source(
                &mut ids,
                "New",
                SourceKind::Document,
                "Short new text.",
            )],
        },
    )
    .unwrap();
    let writes = diff(Some(&p), &added, &META);
    let texts: Vec<_> = writes
        .iter()
        .filter(|w| w.store() == StoreName::Texts)
        .collect();
    assert_eq!(texts.len(), 1);
}

/// After every step of a long editing session, the incrementally written records equal the
/// records of a full save, and undoing everything writes the records back to the start.
#[test]
fn incremental_diffs_match_full_writes_and_undo_reverses() {
    let mut ids = SeqIds::new(99);
    let start = rich_project();
    let mut db = db_of(&start, &META);
    let mut history = History::new();
    let mut current = start.clone();
    let first_source = current.sources[0].id;
    let second_source = current.sources[1].id;
    let access = current.codes[0].id;
    let cost = current.codes[2].id;
    let quality = current.codes[4].id;
    let new_code = code(&mut ids, "Waiting", Some(quality), 9);
    let new_code_id = new_code.id;
    let steps = vec![
        Action::RenameProject {
            name: "Renamed 🎉".into(),
        },
        Action::CreateCode { code: new_code },
        Action::AddCodings {
            codings: vec![coding(
                &mut ids,
                &current.sources[1].clone(),
                new_code_id,
                "Waiting room full",
            )],
        },
        Action::MoveCode {
            id: quality,
            parent: Some(access),
            before: Some(access),
        },
        Action::RecolorCode {
            id: cost,
            color: "#123456".into(),
        },
        Action::MergeCodes {
            from: cost,
            into: access,
        },
        Action::SetSourceKind {
            id: second_source,
            kind: SourceKind::Document,
        },
        Action::RemoveSource { id: first_source },
        Action::DeleteCode { id: quality },
        Action::SetProjectMemo {
            memo: String::new(),
        },
    ];
    for action in steps {
        let next = history.apply(&current, action).unwrap();
        write_all(&mut db, &diff(Some(&current), &next, &META));
        assert_eq!(db, db_of(&next, &META));
        current = next;
    }
    assert_eq!(
        assemble(&records(&db, current.id)).unwrap().project,
        current
    );
    assert!(current.sources.iter().all(|s| s.id != first_source));

    while let Some(earlier) = history.undo(&current) {
        write_all(&mut db, &diff(Some(&current), &earlier, &META));
        current = earlier;
    }
    assert_eq!(current, start);
    assert_eq!(db, db_of(&start, &META));
    assert_eq!(assemble(&records(&db, start.id)).unwrap().project, start);
}

fn set_version(json: &str, version: u64) -> String {
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    value["version"] = version.into();
    serde_json::to_string(&value).unwrap()
}

#[test]
fn newer_project_record_is_refused_but_listed() {
    let p = rich_project();
    let mut r = records(&db_of(&p, &META), p.id);
    r.project = set_version(&r.project, 99);
    match assemble(&r) {
        Err(LoadError::NewerVersion {
            found, supported, ..
        }) => {
            assert_eq!(found, 99);
            assert_eq!(supported, CURRENT_VERSION);
        }
        other => panic!("expected NewerVersion, got {other:?}"),
    }
    let problem = summary(&r.project).unwrap_err();
    assert_eq!(problem.id, Some(p.id));
    assert_eq!(problem.name.as_deref(), Some(p.name.as_str()));
    let text = problem.error.to_string();
    assert!(text.contains("newer version of Framewise"), "{text}");
    assert!(text.contains(&p.name), "{text}");
}

#[test]
fn a_newer_record_anywhere_refuses_the_whole_project() {
    let p = rich_project();
    let mut r = records(&db_of(&p, &META), p.id);
    let newer = CURRENT_VERSION + 1;
    r.codings[2] = set_version(&r.codings[2], newer.into());
    assert!(matches!(
        assemble(&r),
        Err(LoadError::NewerVersion { found, .. }) if found == newer
    ));
    // The same for a record of a store added in version 2.
    let p = charted_project();
    let mut r = records(&db_of(&p, &META), p.id);
    r.matrix_cells[0] = set_version(&r.matrix_cells[0], newer.into());
    assert!(matches!(
        assemble(&r),
        Err(LoadError::NewerVersion { found, .. }) if found == newer
    ));
}

#[test]
fn newer_project_file_is_refused() {
    let file = to_project_file(&rich_project(), &META);
    let newer = set_version(&file, CURRENT_VERSION as u64 + 1);
    let err = from_project_file(&newer).unwrap_err();
    assert!(matches!(
        err,
        LoadError::NewerVersion { found, .. } if found == CURRENT_VERSION + 1
    ));
    // Issue 9: a file that was never stored has no raw backup to offer.
    assert!(!err.to_string().contains("raw backup"), "{err}");
    let err = from_project_file("hello").unwrap_err();
    assert!(!err.to_string().contains("raw backup"), "{err}");
    // Stored records still offer it.
    let r = StoredRecords {
        project: "hello".into(),
        ..StoredRecords::default()
    };
    assert!(assemble(&r).unwrap_err().to_string().contains("raw backup"));
}

#[test]
fn garbage_is_unreadable_never_a_panic() {
    for garbage in [
        "",
        "hello",
        "{",
        "[1,2]",
        "null",
        "{\"format\": 3}",
        "\u{feff}{}",
    ] {
        assert!(
            matches!(
                from_project_file(garbage),
                Err(LoadError::Unreadable { .. })
            ),
            "{garbage:?}"
        );
        let r = StoredRecords {
            project: garbage.into(),
            ..StoredRecords::default()
        };
        assert!(matches!(assemble(&r), Err(LoadError::Unreadable { .. })));
        assert!(summary(garbage).is_err());
    }
    match from_project_file(r#"{"format": "excalidraw", "version": 2, "elements": []}"#) {
        Err(e @ LoadError::Unreadable { .. }) => {
            let text = e.to_string();
            assert!(text.contains("not a Framewise project file"), "{text}");
            assert!(text.contains("excalidraw"), "{text}");
        }
        other => panic!("expected Unreadable, got {other:?}"),
    }
    // A project record with a required field missing.
    let r = StoredRecords {
        project: r#"{"format":"framewise-project-record","version":1,"name":"No id"}"#.into(),
        ..StoredRecords::default()
    };
    let problem = summary(&r.project).unwrap_err();
    assert_eq!(problem.name.as_deref(), Some("No id"));
    assert!(matches!(assemble(&r), Err(LoadError::Unreadable { .. })));
}

#[test]
fn unreadable_or_dangling_records_are_left_out_with_warnings() {
    let p = rich_project();
    let mut r = records(&db_of(&p, &META), p.id);
    let total = p.coding_count();
    // One garbage coding record, one coding whose code is missing, one whose span is too long.
    r.codings[0] = "{not json".into();
    let mut dangling: serde_json::Value = serde_json::from_str(&r.codings[1]).unwrap();
    dangling["code"] = "00000000-0000-4000-8000-000000000001".into();
    r.codings[1] = dangling.to_string();
    let mut long: serde_json::Value = serde_json::from_str(&r.codings[2]).unwrap();
    long["end"] = 1_000_000.into();
    r.codings[2] = long.to_string();
    let loaded = assemble(&r).unwrap();
    assert_eq!(loaded.project.coding_count(), total - 3);
    assert_eq!(loaded.warnings.len(), 3, "{:#?}", loaded.warnings);
    assert!(loaded
        .warnings
        .iter()
        .any(|w| w.contains("could not be read")));
    assert!(loaded
        .warnings
        .iter()
        .any(|w| w.contains("code that is missing")));
    assert!(loaded.warnings.iter().any(|w| w.contains("does not fit")));

    // A missing text leaves its source (and its codings) out, with a warning.
    let mut r = records(&db_of(&p, &META), p.id);
    let interview_text = r
        .texts
        .iter()
        .position(|t| t.contains("Schwierig"))
        .unwrap();
    r.texts.remove(interview_text);
    let loaded = assemble(&r).unwrap();
    assert_eq!(loaded.project.sources.len(), 2);
    assert_eq!(loaded.project.coding_count(), 2);
    assert!(loaded.warnings.iter().any(|w| w.contains("Interview Zoë")));

    // A memo record that cannot be read refuses the project (a new memo would overwrite it).
    let mut r = records(&db_of(&p, &META), p.id);
    r.memo = Some("garbage".into());
    assert!(matches!(assemble(&r), Err(LoadError::Unreadable { .. })));
}

#[test]
fn missing_optional_fields_get_defaults() {
    let pid = "6f1c2a3b-0000-4000-8000-000000000001";
    let sid = "6f1c2a3b-0000-4000-8000-000000000002";
    let cid = "6f1c2a3b-0000-4000-8000-000000000003";
    let kid = "6f1c2a3b-0000-4000-8000-000000000004";
    let r = StoredRecords {
        project: format!(
            r#"{{"format":"framewise-project-record","version":1,"id":"{pid}","name":"Minimal"}}"#
        ),
        memo: None,
        sources: vec![format!(
            r#"{{"format":"framewise-source","version":1,"project":"{pid}","id":"{sid}","name":"S"}}"#
        )],
        texts: vec![format!(
            r#"{{"format":"framewise-text","version":1,"project":"{pid}","source":"{sid}","text":"héllo wörld"}}"#
        )],
        codes: vec![format!(
            r#"{{"format":"framewise-code","version":1,"project":"{pid}","id":"{cid}","name":"C"}}"#
        )],
        codings: vec![format!(
            r#"{{"format":"framewise-coding","version":1,"project":"{pid}","id":"{kid}","source":"{sid}","code":"{cid}","start":0,"end":6}}"#
        )],
        ..StoredRecords::default()
    };
    let loaded = assemble(&r).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let p = &loaded.project;
    assert_eq!(p.name, "Minimal");
    assert_eq!(p.memo, "");
    assert_eq!(loaded.meta, ProjectMeta::default());
    let s = &p.sources[0];
    assert_eq!(s.kind, SourceKind::Interview);
    assert_eq!((s.memo.as_str(), s.file_name.as_deref()), ("", None));
    let c = &p.codes[0];
    assert_eq!(c.parent, None);
    assert_eq!(c.origin, CodeOrigin::Inductive);
    assert!(is_valid_color(&c.color), "{}", c.color);
    let k = &p.codings_of(s.id)[0];
    assert_eq!(p.coded_text(k), "héllo");
    assert_eq!(k.coder, "");

    let listed = summary(&r.project).unwrap();
    assert_eq!((listed.name.as_str(), listed.sources), ("Minimal", 0));
}

#[test]
fn summary_lists_counts_and_times() {
    let p = rich_project();
    let w = persist::project_record_write(&p, &META);
    let Write::Put { json, store, .. } = w else {
        panic!("a put")
    };
    assert_eq!(store, StoreName::Projects);
    assert!(json.len() < 400, "the project record stays small: {json}");
    let s = summary(&json).unwrap();
    assert_eq!(
        (s.id, s.name.as_str(), s.sources, s.codes, s.codings),
        (p.id, p.name.as_str(), 3, 5, 6)
    );
    assert_eq!(
        (s.created, s.modified, s.last_opened),
        (p.created, META.modified, META.last_opened)
    );
}

#[test]
fn file_names_are_safe() {
    let mut p = rich_project();
    assert_eq!(
        project_file_name(&p),
        "Évaluation 2026 — Ψ 🌍.framewise.json"
    );
    p.name = "a/b\\c: d?*\"<x>|\n. ".into();
    assert_eq!(project_file_name(&p), "a_b_c_ d____x___.framewise.json");
    p.name = " .. ".into();
    assert_eq!(project_file_name(&p), "project.framewise.json");
}

#[test]
fn raw_backup_keeps_records_byte_for_byte() {
    let weird = r#"{"format":"framewise-project-record","version":99,"x":"ü \" \\ 😀"}"#;
    let backup = persist::raw_backup(
        "k1",
        &[(StoreName::Projects, vec![("k1".into(), weird.into())])],
    );
    let value: serde_json::Value = serde_json::from_str(&backup).unwrap();
    assert_eq!(value["format"], persist::RAW_BACKUP_FORMAT);
    assert_eq!(value["stores"]["projects"]["k1"].as_str(), Some(weird));
}

const FIXTURE_V1_FILE: &str = include_str!("fixtures/persist/v1-project.framewise.json");
const FIXTURE_V1_RECORDS: &str = include_str!("fixtures/persist/v1-records.json");

/// Written once with format version 1; must load forever.
#[test]
fn fixture_v1_project_file_still_loads() {
    let loaded = from_project_file(FIXTURE_V1_FILE).unwrap();
    check_v1_fixture(&loaded);
}

/// Stored records as version 1 wrote them (`{store: [json, ...]}`); must load forever.
#[test]
fn fixture_v1_stored_records_still_load() {
    let stores: BTreeMap<String, Vec<String>> = serde_json::from_str(FIXTURE_V1_RECORDS).unwrap();
    let get = |name: &str| stores.get(name).cloned().unwrap_or_default();
    let r = StoredRecords {
        project: get("projects").remove(0),
        memo: get("project_memos").pop(),
        sources: get("sources"),
        texts: get("texts"),
        codes: get("codes"),
        codings: get("codings"),
        ..StoredRecords::default()
    };
    let loaded = assemble(&r).unwrap();
    check_v1_fixture(&loaded);
    // Both fixtures hold the same project.
    assert_eq!(
        loaded.project,
        from_project_file(FIXTURE_V1_FILE).unwrap().project
    );
}

fn check_v1_fixture(loaded: &persist::Loaded) {
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let p = &loaded.project;
    // Migrated to version 2: a version-1 project has no cases, attributes, matrices or sets.
    assert!(p.cases.is_empty() && p.attributes.is_empty());
    assert!(p.matrices.is_empty() && p.sets.is_empty());
    assert_eq!(p.name, "Évaluation 2026 — Ψ 🌍");
    assert!(p.memo.starts_with("Analytic memo:"));
    let names: Vec<_> = p.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["Interview Zoë", "Field notes, day 1", "Annual report"]
    );
    assert_eq!(p.sources[1].kind, SourceKind::FieldNotes);
    assert_eq!(p.sources[0].memo, "Recorded in Köln; consent on file.");
    let codes: Vec<_> = p.codes.iter().map(|c| p.code_path(c.id)).collect();
    assert_eq!(
        codes,
        [
            "Access",
            "Access > Distance",
            "Access > Cost «barrier»",
            "Access > Distance > Travel 🚌",
            "Quality"
        ]
    );
    assert_eq!(p.coding_count(), 6);
    let travel = p.codes[3].id;
    let coded: Vec<_> = p
        .all_codings()
        .filter(|c| c.code == travel)
        .map(|c| p.coded_text(c))
        .collect();
    assert_eq!(coded, ["診療所は遠い"]);
    assert_eq!(loaded.meta, META);
}

/// Writes the fixtures of the current version. Run once per new format version:
/// `cargo test -p framewise-core --test persist -- --ignored write_fixtures`, then rename the
/// files for the version and add a test that keeps them loading.
#[test]
#[ignore]
fn write_fixtures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/persist");
    let p = querying_project();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        format!("{dir}/v{CURRENT_VERSION}-project.framewise.json"),
        to_project_file(&p, &META),
    )
    .unwrap();
    let mut stores: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for w in full_writes(&p, &META) {
        if let Write::Put { store, json, .. } = w {
            stores.entry(store.as_str()).or_default().push(json);
        }
    }
    std::fs::write(
        format!("{dir}/v{CURRENT_VERSION}-records.json"),
        serde_json::to_string_pretty(&stores).unwrap(),
    )
    .unwrap();
}

// ---- Version 2: cases, attributes, matrices, sets ----

/// `rich_project` with a site and two participants (linked to sources), attributes of every
/// type, a matrix with cell summaries (one quoting a coding) and a case summary, and a set.
fn charted_project() -> Project {
    let p = rich_project();
    let mut ids = SeqIds::new(8);
    let interview = p.sources[0].id;
    let notes = p.sources[1].id;
    let report = p.sources[2].id;
    let (access, distance, cost) = (p.codes[0].id, p.codes[1].id, p.codes[2].id);
    let quoted = p.codings_of(interview)[0].id;
    let role = Attribute {
        id: ids.attribute_id(),
        name: "Role".into(),
        kind: AttributeKind::Text,
    };
    let age = Attribute {
        id: ids.attribute_id(),
        name: "Age".into(),
        kind: AttributeKind::Number,
    };
    let interviewed = Attribute {
        id: ids.attribute_id(),
        name: "Interviewed".into(),
        kind: AttributeKind::Date,
    };
    let consent = Attribute {
        id: ids.attribute_id(),
        name: "Consent".into(),
        kind: AttributeKind::YesNo,
    };
    let rurality = Attribute {
        id: ids.attribute_id(),
        name: "Rurality".into(),
        kind: AttributeKind::Category(vec!["urban".into(), "rural".into(), "mixed".into()]),
    };
    let site = Case {
        id: ids.case_id(),
        name: "Northgate PCN".into(),
        parent: None,
        sources: vec![report],
        memo: "Site visit in März.".into(),
        values: [(rurality.id, AttrValue::Category("rural".into()))].into(),
        created: 1_700_000_002_000,
        speakers: Vec::new(),
    };
    let zoe = Case {
        id: ids.case_id(),
        name: "P01 Zoë".into(),
        parent: Some(site.id),
        sources: vec![interview],
        memo: String::new(),
        values: [
            (role.id, AttrValue::Text("Patient 🧑".into())),
            (age.id, AttrValue::Number(34.5)),
            (interviewed.id, AttrValue::Date("2026-03-31".into())),
            (consent.id, AttrValue::YesNo(true)),
            (rurality.id, AttrValue::Category("mixed".into())),
        ]
        .into(),
        created: 1_700_000_002_001,
        speakers: Vec::new(),
    };
    let staff = Case {
        id: ids.case_id(),
        name: "P02".into(),
        parent: Some(site.id),
        sources: vec![notes],
        memo: String::new(),
        values: [
            (age.id, AttrValue::Number(51.0)),
            (consent.id, AttrValue::YesNo(false)),
        ]
        .into(),
        created: 1_700_000_002_002,
        speakers: Vec::new(),
    };
    let mut matrix = Matrix::new(
        ids.matrix_id(),
        "Access chart",
        vec![access, distance, cost],
        1_700_000_003_000,
    );
    matrix.group_by = Some(rurality.id);
    let (zoe_id, staff_id) = (zoe.id, staff.id);
    let set = CodeSet {
        id: ids.set_id(),
        name: "Barriers".into(),
        description: "Everything that keeps people from care".into(),
        codes: vec![cost, distance],
        created: 1_700_000_004_000,
    };
    let actions = vec![
        Action::AddAttribute { attribute: role },
        Action::AddAttribute { attribute: age },
        Action::AddAttribute {
            attribute: interviewed,
        },
        Action::AddAttribute { attribute: consent },
        Action::AddAttribute {
            attribute: rurality,
        },
        Action::AddCases {
            cases: vec![site, zoe, staff],
        },
        Action::CreateMatrix { matrix },
        Action::CreateSet { set },
    ];
    let mut p = p;
    for action in actions {
        p = apply(&p, action).unwrap();
    }
    let matrix = p.matrices[0].id;
    p = apply(
        &p,
        Action::SetCellSummaries {
            matrix,
            summaries: vec![
                (
                    zoe_id,
                    access,
                    format!("Far — {}", matrix::quote_token(quoted)),
                ),
                (zoe_id, cost, "Too expensive 💸".into()),
                (staff_id, access, "Long queue at 08:00".into()),
            ],
        },
    )
    .unwrap();
    apply(
        &p,
        Action::SetCaseSummary {
            matrix,
            case: zoe_id,
            summary: "Access is hard overall; cost comes second.".into(),
        },
    )
    .unwrap()
}

#[test]
fn charted_project_round_trips_through_file_and_records() {
    let p = charted_project();
    let file = to_project_file(&p, &META);
    let loaded = from_project_file(&file).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, p);

    let db = db_of(&p, &META);
    let count = |store| db.keys().filter(|(s, _)| *s == store).count();
    assert_eq!(count(StoreName::Attributes), 5);
    assert_eq!(count(StoreName::Cases), 3);
    assert_eq!(count(StoreName::Matrices), 1);
    assert_eq!(count(StoreName::MatrixCells), 3);
    assert_eq!(count(StoreName::CaseSummaries), 1);
    assert_eq!(count(StoreName::Sets), 1);
    let matrix = p.matrices[0].id;
    let zoe = p.cases[1].id;
    assert!(db.contains_key(&(StoreName::CaseSummaries, format!("{matrix}/{zoe}"))));
    assert!(db.contains_key(&(
        StoreName::MatrixCells,
        format!("{matrix}/{zoe}/{}", p.codes[0].id)
    )));
    // The matrix record holds the definition only, never the summaries.
    let (_, matrix_json) = &db[&(StoreName::Matrices, matrix.to_string())];
    assert!(!matrix_json.contains("Too expensive"), "{matrix_json}");
    let loaded = assemble(&records(&db, p.id)).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, p);

    let s = summary(&db[&(StoreName::Projects, p.id.to_string())].1).unwrap();
    assert_eq!((s.cases, s.matrices, s.codes), (3, 1, 5));
}

#[test]
fn cases_and_attributes_keep_their_order() {
    let mut p = charted_project();
    // Move the last case to the front and reverse the attributes by hand (the order a
    // future action could produce), then read back.
    p.cases.rotate_right(1);
    p.attributes.reverse();
    p.sets.push(CodeSet {
        id: SeqIds::new(77).set_id(),
        name: "Second".into(),
        description: String::new(),
        codes: vec![],
        created: 0,
    });
    let loaded = assemble(&records(&db_of(&p, &META), p.id)).unwrap();
    assert_eq!(loaded.project, p);
    let names: Vec<_> = loaded
        .project
        .cases
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["P02", "Northgate PCN", "P01 Zoë"]);
    assert_eq!(loaded.project.attributes[0].name, "Rurality");
}

/// A 100-case × 40-code matrix with every cell filled.
fn full_matrix_project() -> (Project, SeqIds) {
    let mut ids = SeqIds::new(300);
    let mut p = Project::new(ids.project_id(), "Big chart", 0);
    let codes: Vec<Code> = (0..40)
        .map(|i| code(&mut ids, &format!("Code {i}"), None, i))
        .collect();
    let cases: Vec<Case> = (0..100)
        .map(|i| Case {
            id: ids.case_id(),
            name: format!("Case {i:03}"),
            parent: None,
            sources: vec![],
            memo: String::new(),
            values: BTreeMap::new(),
            created: 0,
            speakers: Vec::new(),
        })
        .collect();
    let matrix = Matrix::new(
        ids.matrix_id(),
        "Everything",
        codes.iter().map(|c| c.id).collect(),
        0,
    );
    let summaries = cases
        .iter()
        .flat_map(|case| {
            codes.iter().map(move |code| {
                (
                    case.id,
                    code.id,
                    format!("{} says a lot about {} — ü 🌍. ", case.name, code.name).repeat(4),
                )
            })
        })
        .collect();
    let mid = matrix.id;
    for action in [
        Action::ImportCodes { codes },
        Action::AddCases { cases },
        Action::CreateMatrix { matrix },
        Action::SetCellSummaries {
            matrix: mid,
            summaries,
        },
    ] {
        p = apply(&p, action).unwrap();
    }
    (p, ids)
}

#[test]
fn editing_one_cell_of_a_full_100_by_40_matrix_writes_one_small_record() {
    let (before, _) = full_matrix_project();
    let m = &before.matrices[0];
    assert_eq!(m.cells.values().map(|r| r.len()).sum::<usize>(), 4_000);
    let (case, code) = (before.cases[57].id, before.codes[23].id);
    let after = apply(
        &before,
        Action::SetCellSummaries {
            matrix: m.id,
            summaries: vec![(case, code, "Rewritten ✍️".into())],
        },
    )
    .unwrap();
    let writes = diff(Some(&before), &after, &META);
    let cells: Vec<_> = writes
        .iter()
        .filter(|w| w.store() == StoreName::MatrixCells)
        .collect();
    assert_eq!(cells.len(), 1, "{writes:#?}");
    assert_eq!(cells[0].key(), format!("{}/{case}/{code}", m.id));
    assert!(writes
        .iter()
        .all(|w| matches!(w.store(), StoreName::MatrixCells | StoreName::Projects)));
    let bytes = total_bytes(&writes);
    assert!(bytes < 10_000, "{bytes} bytes written for one cell");

    let mut db = db_of(&before, &META);
    let full: usize = db.values().map(|(_, j)| j.len()).sum();
    assert!(full > 400_000, "the matrix is big: {full}");
    write_all(&mut db, &writes);
    assert_eq!(db, db_of(&after, &META));
    assert_eq!(assemble(&records(&db, after.id)).unwrap().project, after);

    // Renaming the matrix writes its definition, not its 4,000 cells.
    let renamed = apply(
        &after,
        Action::RenameMatrix {
            id: m.id,
            name: "Renamed".into(),
        },
    )
    .unwrap();
    let writes = diff(Some(&after), &renamed, &META);
    assert!(writes
        .iter()
        .all(|w| matches!(w.store(), StoreName::Matrices | StoreName::Projects)));
    assert!(total_bytes(&writes) < 10_000);
    // Clearing a cell deletes its record only.
    let cleared = apply(
        &renamed,
        Action::SetCellSummaries {
            matrix: m.id,
            summaries: vec![(case, code, "  ".into())],
        },
    )
    .unwrap();
    let writes = diff(Some(&renamed), &cleared, &META);
    assert_eq!(writes.len(), 2, "{writes:#?}");
    assert!(matches!(
        &writes[0],
        Write::Delete {
            store: StoreName::MatrixCells,
            ..
        }
    ));
}

/// Every action of the new model, and the cross-effects of older actions on it (merging codes
/// remaps quote references, deleting a code empties its cells, removing a source unlinks it
/// from cases): after each step the incremental writes equal a full rewrite, and undoing
/// everything writes the records back to the start.
#[test]
fn new_actions_diff_like_full_writes_and_undo_reverses() {
    let mut ids = SeqIds::new(123);
    let start = charted_project();
    let mut db = db_of(&start, &META);
    let mut history = History::new();
    let mut current = start.clone();
    let (site, zoe, staff) = (start.cases[0].id, start.cases[1].id, start.cases[2].id);
    let (role, age, rurality) = (
        start.attributes[0].id,
        start.attributes[1].id,
        start.attributes[4].id,
    );
    let (access, distance, cost, quality) = (
        start.codes[0].id,
        start.codes[1].id,
        start.codes[2].id,
        start.codes[4].id,
    );
    let matrix = start.matrices[0].id;
    let set = start.sets[0].id;
    let new_case = Case {
        id: ids.case_id(),
        name: "P03".into(),
        parent: Some(site),
        sources: vec![start.sources[0].id],
        memo: String::new(),
        values: [(age, AttrValue::Number(29.0))].into(),
        created: 5,
        speakers: Vec::new(),
    };
    let new_case_id = new_case.id;
    let region = Attribute {
        id: ids.attribute_id(),
        name: "Region".into(),
        kind: AttributeKind::Text,
    };
    let region_id = region.id;
    let second = Matrix::new(ids.matrix_id(), "Quality chart", vec![quality], 6);
    let second_id = second.id;
    let steps = vec![
        Action::AddCases {
            cases: vec![new_case],
        },
        Action::RenameCase {
            id: zoe,
            name: "P01 Zoë (renamed)".into(),
        },
        Action::SetCaseParent {
            id: staff,
            parent: None,
        },
        Action::SetCaseSources {
            id: staff,
            sources: vec![start.sources[1].id, start.sources[2].id],
        },
        Action::SetCaseMemo {
            id: zoe,
            memo: "Talkative 🗣".into(),
        },
        Action::AddAttribute { attribute: region },
        Action::RenameAttribute {
            id: role,
            name: "Job".into(),
        },
        Action::SetAttributeValues {
            values: vec![
                (
                    new_case_id,
                    region_id,
                    Some(AttrValue::Text("North".into())),
                ),
                (zoe, age, None),
            ],
        },
        Action::SetAttributeKind {
            id: role,
            kind: AttributeKind::Number,
        },
        Action::CreateMatrix { matrix: second },
        Action::RenameMatrix {
            id: matrix,
            name: "Access (v2)".into(),
        },
        Action::SetMatrixRows {
            id: matrix,
            rows: RowSelection::Filter(vec![AttributeFilter {
                attribute: rurality,
                op: FilterOp::NotEquals,
                value: AttrValue::Category("urban".into()),
            }]),
            group_by: None,
        },
        Action::SetMatrixRows {
            id: second_id,
            rows: RowSelection::Cases(vec![staff, zoe]),
            group_by: Some(age),
        },
        Action::SetMatrixColumns {
            id: matrix,
            columns: vec![cost, access],
        },
        Action::SetMatrixScope {
            id: matrix,
            include_subcases: false,
            include_child_codes: false,
        },
        Action::SetCellSummaries {
            matrix: second_id,
            summaries: vec![
                (staff, quality, "Friendly staff".into()),
                (new_case_id, quality, "n/a".into()),
            ],
        },
        Action::SetCellSummaries {
            matrix,
            summaries: vec![(zoe, cost, String::new())],
        },
        Action::SetCaseSummary {
            matrix: second_id,
            case: staff,
            summary: "Positive".into(),
        },
        Action::SetCaseSummary {
            matrix,
            case: zoe,
            summary: String::new(),
        },
        Action::CreateSet {
            set: CodeSet {
                id: ids.set_id(),
                name: "Experience".into(),
                description: String::new(),
                codes: vec![quality],
                created: 7,
            },
        },
        Action::UpdateSet {
            set: CodeSet {
                id: set,
                name: "Barriers (all)".into(),
                description: "More".into(),
                codes: vec![distance, cost, access],
                created: start.sets[0].created,
            },
        },
        Action::MergeCodes {
            from: distance,
            into: access,
        },
        Action::DeleteCode { id: quality },
        Action::RemoveSource {
            id: start.sources[1].id,
        },
        Action::DeleteCase { id: new_case_id },
        Action::DeleteAttribute { id: rurality },
        Action::DeleteSet { id: set },
        Action::DeleteMatrix { id: second_id },
        Action::DeleteMatrix { id: matrix },
    ];
    for action in steps {
        let label = action.label();
        let next = history.apply(&current, action).unwrap();
        assert_ne!(next, current, "{label} changed nothing");
        write_all(&mut db, &diff(Some(&current), &next, &META));
        assert_eq!(db, db_of(&next, &META), "after {label}");
        let loaded = assemble(&records(&db, next.id)).unwrap();
        assert!(loaded.warnings.is_empty(), "{label}: {:?}", loaded.warnings);
        assert_eq!(loaded.project, next, "after {label}");
        current = next;
    }
    assert!(current.matrices.is_empty());
    assert_eq!(current.sets.len(), 1);
    assert!(db.keys().all(|(s, _)| !matches!(
        s,
        StoreName::Matrices | StoreName::MatrixCells | StoreName::CaseSummaries
    )));

    while let Some(earlier) = history.undo(&current) {
        write_all(&mut db, &diff(Some(&current), &earlier, &META));
        current = earlier;
    }
    assert_eq!(current, start);
    assert_eq!(db, db_of(&start, &META));
    assert_eq!(assemble(&records(&db, start.id)).unwrap().project, start);
}

#[test]
fn merging_codes_rewrites_quote_references_in_stored_cells() {
    let p = charted_project();
    let interview = p.sources[0].id;
    let quoted = p.codings_of(interview)[0].id;
    // The same coder codes the quoted span with Distance too, then Access is merged into
    // Distance: the quoted coding is a duplicate and disappears; the cell's reference must
    // follow. (Another coder's coding would stay its own: agreement compares them.)
    let span = p.codings_of(interview)[0].span;
    let twin = Coding {
        id: SeqIds::new(555).coding_id(),
        source: interview,
        span,
        code: p.codes[1].id,
        coder: p.codings_of(interview)[0].coder.clone(),
        created: 0,
    };
    let coded = apply(
        &p,
        Action::AddCodings {
            codings: vec![twin],
        },
    )
    .unwrap();
    // The twin may itself have joined an overlapping Distance coding (issue 9): the coding of
    // Distance that covers the span is the one the reference must follow to.
    let twin_id = coded
        .codings_of(interview)
        .iter()
        .find(|c| c.code == p.codes[1].id && c.span.start <= span.start && span.end <= c.span.end)
        .unwrap()
        .id;
    let merged = apply(
        &coded,
        Action::MergeCodes {
            from: p.codes[0].id,
            into: p.codes[1].id,
        },
    )
    .unwrap();
    let mut db = db_of(&coded, &META);
    write_all(&mut db, &diff(Some(&coded), &merged, &META));
    let loaded = assemble(&records(&db, p.id)).unwrap().project;
    let cells: String = loaded.matrices[0]
        .cells
        .values()
        .flat_map(|r| r.values().cloned())
        .collect();
    assert!(!cells.contains(&quoted.to_string()), "{cells}");
    assert!(cells.contains(&matrix::quote_token(twin_id)), "{cells}");
    assert_eq!(loaded, merged);
}

fn edit_record(json: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    edit(&mut value);
    value.to_string()
}

fn find_index(list: &[String], needle: &str) -> usize {
    list.iter().position(|j| j.contains(needle)).unwrap()
}

#[test]
fn dangling_references_and_unfitting_values_become_warnings() {
    let p = charted_project();
    let missing = "00000000-0000-4000-8000-0000000000ff";
    let mut r = records(&db_of(&p, &META), p.id);
    // A cell whose case is gone, a cell whose code is gone, a case summary whose case is gone.
    let i = find_index(&r.matrix_cells, "Too expensive");
    r.matrix_cells[i] = edit_record(&r.matrix_cells[i], |v| v["case"] = missing.into());
    let i = find_index(&r.matrix_cells, "Long queue");
    r.matrix_cells[i] = edit_record(&r.matrix_cells[i], |v| v["code"] = missing.into());
    r.case_summaries[0] = edit_record(&r.case_summaries[0], |v| v["case"] = missing.into());
    // A cell of a matrix that is gone.
    let orphan = edit_record(&r.matrix_cells[0], |v| v["matrix"] = missing.into());
    r.matrix_cells.push(orphan);
    // A case linking a missing source, a text in a number attribute, a category not in the
    // list, an impossible date, a value of a missing attribute.
    let (age, interviewed, rurality) = (
        p.attributes[1].id.to_string(),
        p.attributes[2].id.to_string(),
        p.attributes[4].id.to_string(),
    );
    let i = find_index(&r.cases, "P01 Zoë");
    r.cases[i] = edit_record(&r.cases[i], |v| {
        v["sources"] = serde_json::json!([missing, p.sources[0].id.to_string()]);
        v["values"][&age] = serde_json::json!({"type": "text", "value": "thirty"});
        v["values"][&rurality] = serde_json::json!({"type": "category", "value": "suburban"});
        v["values"][&interviewed] = serde_json::json!({"type": "date", "value": "2026-13-45"});
        v["values"][missing] = serde_json::json!({"type": "text", "value": "x"});
    });
    // A case whose parent is gone; a matrix column and a set member that are gone.
    let i = find_index(&r.cases, "P02");
    r.cases[i] = edit_record(&r.cases[i], |v| v["parent"] = missing.into());
    r.matrices[0] = edit_record(&r.matrices[0], |v| {
        v["columns"].as_array_mut().unwrap().push(missing.into());
        v["group_by"] = missing.into();
    });
    r.sets[0] = edit_record(&r.sets[0], |v| {
        v["codes"].as_array_mut().unwrap().push(missing.into())
    });
    // And a case record claiming version 1, before cases existed.
    let early = edit_record(&r.cases[0], |v| {
        v["version"] = 1.into();
        v["id"] = "00000000-0000-4000-8000-0000000000fe".into();
    });
    r.cases.push(early);

    let loaded = assemble(&r).unwrap();
    let w = &loaded.warnings;
    let has = |needle: &str| w.iter().filter(|x| x.contains(needle)).count();
    assert_eq!(has("cell summary of the matrix"), 2, "{w:#?}");
    assert_eq!(has("case that is missing"), 2, "{w:#?}");
    assert_eq!(has("code that is missing"), 1, "{w:#?}");
    assert_eq!(has("matrix that is missing"), 1, "{w:#?}");
    assert_eq!(has("links a source that is missing"), 1, "{w:#?}");
    assert_eq!(has("does not fit the attribute's type"), 3, "{w:#?}");
    assert_eq!(has("attribute that is missing"), 2, "{w:#?}");
    assert_eq!(has("parent of the case"), 1, "{w:#?}");
    assert_eq!(has("column(s) of the matrix"), 1, "{w:#?}");
    assert_eq!(has("code(s) of the set"), 1, "{w:#?}");
    assert_eq!(has("exist only since version 2"), 1, "{w:#?}");
    assert_eq!(w.len(), 14, "{w:#?}");
    assert!(
        w.iter().any(|x| x.contains("The value “thirty” of “Age”")),
        "{w:#?}"
    );

    let q = &loaded.project;
    let zoe = q.cases.iter().find(|c| c.name == "P01 Zoë").unwrap();
    assert_eq!(zoe.sources, vec![p.sources[0].id]);
    assert_eq!(zoe.values.len(), 2, "{:?}", zoe.values);
    assert_eq!(q.cases.len(), 3);
    assert_eq!(
        q.cases.iter().find(|c| c.name == "P02").unwrap().parent,
        None
    );
    let m = &q.matrices[0];
    assert_eq!(m.columns, p.matrices[0].columns);
    assert_eq!(m.group_by, None);
    assert_eq!(m.cells.values().map(|r| r.len()).sum::<usize>(), 1);
    assert!(m.case_summaries.is_empty());
    assert_eq!(q.sets[0].codes, p.sets[0].codes);
}

#[test]
fn version_1_records_migrate_and_take_new_records() {
    // The committed v1 records, read, then given a case and a matrix and saved incrementally.
    let stores: BTreeMap<String, Vec<String>> = serde_json::from_str(FIXTURE_V1_RECORDS).unwrap();
    let mut db = Db::new();
    for (store, jsons) in &stores {
        let store = StoreName::from_name(store).unwrap();
        for json in jsons {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(v["version"], 1);
            let key = match store {
                StoreName::Projects | StoreName::ProjectMemos => v["project"]
                    .as_str()
                    .or(v["id"].as_str())
                    .unwrap()
                    .to_string(),
                StoreName::Texts => v["source"].as_str().unwrap().to_string(),
                _ => v["id"].as_str().unwrap().to_string(),
            };
            let pid = v["project"].as_str().or(v["id"].as_str()).unwrap();
            db.insert((store, key), (ProjectId::parse(pid).unwrap(), json.clone()));
        }
    }
    let summary_json = &stores["projects"][0];
    let listed = summary(summary_json).unwrap();
    assert_eq!((listed.cases, listed.matrices, listed.codings), (0, 0, 6));
    let pid = listed.id;
    let loaded = assemble(&records(&db, pid)).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let v1 = loaded.project;
    let mut ids = SeqIds::new(4242);
    let case = Case {
        id: ids.case_id(),
        name: "Site A".into(),
        parent: None,
        sources: vec![v1.sources[0].id],
        memo: String::new(),
        values: BTreeMap::new(),
        created: 1,
        speakers: Vec::new(),
    };
    let case_id = case.id;
    let matrix = Matrix::new(ids.matrix_id(), "Chart", vec![v1.codes[0].id], 2);
    let matrix_id = matrix.id;
    let v2 = apply(
        &v1,
        Action::Batch {
            label: "Chart".into(),
            actions: vec![
                Action::AddCases { cases: vec![case] },
                Action::CreateMatrix { matrix },
                Action::SetCellSummaries {
                    matrix: matrix_id,
                    summaries: vec![(case_id, v1.codes[0].id, "Hard to reach".into())],
                },
            ],
        },
    )
    .unwrap();
    let writes = diff(Some(&v1), &v2, &META);
    // Only new records and the project record: nothing of version 1 is rewritten.
    assert!(writes.iter().all(|w| matches!(
        w.store(),
        StoreName::Cases | StoreName::Matrices | StoreName::MatrixCells | StoreName::Projects
    )));
    write_all(&mut db, &writes);
    let reloaded = assemble(&records(&db, pid)).unwrap();
    assert_eq!(reloaded.project, v2);
    // The untouched version-1 records are still there, byte for byte.
    let codings_v1 = db
        .iter()
        .filter(|((s, _), _)| *s == StoreName::Codings)
        .filter(|(_, (_, j))| j.contains("\"version\":1"))
        .count();
    assert_eq!(codings_v1, 6);
}

const FIXTURE_V2_FILE: &str = include_str!("fixtures/persist/v2-project.framewise.json");
const FIXTURE_V2_RECORDS: &str = include_str!("fixtures/persist/v2-records.json");

/// Written once with format version 2; must load forever.
#[test]
fn fixture_v2_project_file_still_loads() {
    let loaded = from_project_file(FIXTURE_V2_FILE).unwrap();
    check_v2_fixture(&loaded);
}

/// Stored records as version 2 wrote them (`{store: [json, ...]}`); must load forever.
#[test]
fn fixture_v2_stored_records_still_load() {
    let stores: BTreeMap<String, Vec<String>> = serde_json::from_str(FIXTURE_V2_RECORDS).unwrap();
    let mut r = StoredRecords::default();
    for (store, jsons) in stores {
        for json in jsons {
            r.push(StoreName::from_name(&store).unwrap(), json);
        }
    }
    assert_eq!(r.matrix_cells.len(), 3);
    let loaded = assemble(&r).unwrap();
    check_v2_fixture(&loaded);
    assert_eq!(
        loaded.project,
        from_project_file(FIXTURE_V2_FILE).unwrap().project
    );
}

fn check_v2_fixture(loaded: &persist::Loaded) {
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let p = &loaded.project;
    assert_eq!(p.name, "Évaluation 2026 — Ψ 🌍");
    assert_eq!(p.coding_count(), 6);
    // Cases: a site with two participants, each linked to a source.
    let cases: Vec<_> = p.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cases, ["Northgate PCN", "P01 Zoë", "P02"]);
    let site = &p.cases[0];
    assert_eq!(site.parent, None);
    assert!(p.cases[1..].iter().all(|c| c.parent == Some(site.id)));
    let linked: Vec<_> = p
        .cases
        .iter()
        .map(|c| p.source(c.sources[0]).unwrap().name.as_str())
        .collect();
    assert_eq!(
        linked,
        ["Annual report", "Interview Zoë", "Field notes, day 1"]
    );
    // Attributes of every type, and the values of P01.
    let kinds: Vec<_> = p.attributes.iter().map(|a| a.kind.label()).collect();
    assert_eq!(kinds, ["Text", "Number", "Date", "Yes/no", "Category"]);
    let zoe = &p.cases[1];
    let values: Vec<String> = p
        .attributes
        .iter()
        .map(|a| {
            zoe.values
                .get(&a.id)
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(values, ["Patient 🧑", "34.5", "2026-03-31", "yes", "mixed"]);
    assert_eq!(
        p.attributes[4].kind,
        AttributeKind::Category(vec!["urban".into(), "rural".into(), "mixed".into()])
    );
    // The matrix: cell summaries (one quoting a coding) and a case summary.
    let m = &p.matrices[0];
    assert_eq!(m.name, "Access chart");
    assert_eq!(m.group_by, Some(p.attributes[4].id));
    let access = p.codes[0].id;
    let quote = matrix::summary_parts(m.summary(zoe.id, access))
        .into_iter()
        .find_map(|part| match part {
            matrix::SummaryPart::Quote(id) => Some(id),
            matrix::SummaryPart::Text(_) => None,
        })
        .unwrap();
    assert_eq!(
        p.coded_text(p.coding(quote).unwrap()),
        "Schwierig 😅 — the clinic was far"
    );
    assert_eq!(m.summary(zoe.id, p.codes[2].id), "Too expensive 💸");
    assert_eq!(m.summary(p.cases[2].id, access), "Long queue at 08:00");
    assert_eq!(
        m.case_summaries.get(&zoe.id).map(String::as_str),
        Some("Access is hard overall; cost comes second.")
    );
    // The set.
    assert_eq!(p.sets[0].name, "Barriers");
    let members: Vec<_> = p.sets[0].codes.iter().map(|c| p.code_path(*c)).collect();
    assert_eq!(members, ["Access > Cost «barrier»", "Access > Distance"]);
    assert_eq!(loaded.meta, META);
}

// ---- Version 3: speaker turns, speaker links, excluded speakers, pseudonymisation key ----

/// `charted_project` with speaker turns (with times) in the interview, the speaker “Zoë”
/// linked to the case P02, the interviewer left out of the matrix, and a pseudonymisation key.
fn speaking_project() -> Project {
    let mut p = charted_project();
    let interview = p.sources[0].id;
    let text = p.sources[0].text.clone();
    let mut turns = import::detect_turns(&text);
    assert_eq!(turns.len(), 4);
    for (i, turn) in turns.iter_mut().enumerate() {
        turn.start_ms = Some(1_000 * i as u64);
        turn.end_ms = Some(1_000 * i as u64 + 900);
    }
    let mut source = (*p.sources[0]).clone();
    source.turns = turns;
    p.sources[0] = Arc::new(source);
    let p02 = p.cases[2].id;
    apply(
        &p,
        Action::Batch {
            label: "v3".into(),
            actions: vec![
                Action::LinkSpeaker {
                    case: p02,
                    source: interview,
                    speaker: "Zoë".into(),
                },
                Action::SetMatrixExcludedSpeakers {
                    id: p.matrices[0].id,
                    speakers: ["I".to_string()].into(),
                },
                Action::SetPseudonyms {
                    key: vec![
                        Pseudonym {
                            real: "Zoë Müller".into(),
                            pseudonym: "P01".into(),
                        },
                        Pseudonym {
                            real: "Northgate".into(),
                            pseudonym: "Site A".into(),
                        },
                    ],
                },
            ],
        },
    )
    .unwrap()
}

/// `annotated_project` with two saved searches (version 4): one over a case and its sub-cases,
/// one over the cases an attribute filter picks, with options that are not the defaults.
fn querying_project() -> Project {
    use framewise_core::model::query::SavedQuery;
    use framewise_core::search::{SearchOptions, SearchScope};
    let p = annotated_project();
    let site = p.cases[0].id;
    let attribute = p.attributes[0].id;
    let value = p.cases[1]
        .values
        .get(&attribute)
        .cloned()
        .expect("the rich project's second case has a value of its first attribute");
    let queries = [
        SavedQuery {
            id: QueryId::from_random_bytes([0x51; 16]),
            name: "Waiting at Northgate".into(),
            query: "wait* OR \"too long\"".into(),
            options: SearchOptions::default(),
            scope: SearchScope::Case(site),
            created: 1_700_000_100_000,
        },
        SavedQuery {
            id: QueryId::from_random_bytes([0x52; 16]),
            name: "Café (regex)".into(),
            query: "caf[eé]".into(),
            options: SearchOptions {
                regex: true,
                match_case: true,
                ..SearchOptions::default()
            },
            scope: SearchScope::Filter(vec![AttributeFilter {
                attribute,
                op: FilterOp::Equals,
                value,
            }]),
            created: 1_700_000_200_000,
        },
    ];
    let actions = queries
        .into_iter()
        .map(|query| Action::SaveQuery { query })
        .collect();
    apply(
        &p,
        Action::Batch {
            label: "v4".into(),
            actions,
        },
    )
    .unwrap()
}

#[test]
fn saved_searches_round_trip_through_file_and_records() {
    let p = querying_project();
    assert_eq!(p.queries.len(), 2);
    // Written by hand in the shape serde gives the types (what the worker and the CLI read).
    let file: serde_json::Value = serde_json::from_str(&to_project_file(&p, &META)).unwrap();
    assert_eq!(
        file["project"]["queries"],
        serde_json::to_value(&p.queries).unwrap()
    );
    let loaded = from_project_file(&to_project_file(&p, &META)).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, p);
    let db = db_of(&p, &META);
    let loaded = assemble(&records(&db, p.id)).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, p);
}

#[test]
fn a_saved_search_changed_rewrites_the_project_record_only() {
    let p = querying_project();
    let mut renamed = p.queries[0].clone();
    renamed.name = "Waiting times".into();
    let next = apply(&p, Action::SaveQuery { query: renamed }).unwrap();
    let writes = diff(Some(&p), &next, &META);
    let stores: Vec<&str> = writes
        .iter()
        .map(|w| match w {
            Write::Put { store, .. } | Write::Delete { store, .. } => store.as_str(),
        })
        .collect();
    assert_eq!(stores, ["projects"]);
    let Some(Write::Put { json, .. }) = writes.first() else {
        panic!("a put of the project record: {writes:?}");
    };
    assert!(json.contains("Waiting times"), "{json}");
}

#[test]
fn a_saved_search_that_cannot_be_read_is_left_out_with_a_warning() {
    let p = querying_project();
    let file = to_project_file(&p, &META);
    let mut value: serde_json::Value = serde_json::from_str(&file).unwrap();
    value["project"]["queries"][0]["scope"] = serde_json::json!({"type": "nowhere"});
    let loaded = from_project_file(&value.to_string()).unwrap();
    assert_eq!(loaded.project.queries.len(), 1);
    assert_eq!(loaded.project.queries[0].name, "Café (regex)");
    assert!(
        loaded.warnings.iter().any(|w| w.contains("saved search")),
        "{:?}",
        loaded.warnings
    );
    // Everything else is there.
    assert_eq!(loaded.project.codings, p.codings);
}

#[test]
fn speakers_and_key_round_trip_through_file_and_records() {
    let p = speaking_project();
    let loaded = from_project_file(&to_project_file(&p, &META)).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, p);
    let db = db_of(&p, &META);
    let loaded = assemble(&records(&db, p.id)).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, p);
    let zoe: Vec<_> = loaded.project.sources[0]
        .turns
        .iter()
        .filter(|t| t.speaker.as_deref() == Some("Zoë"))
        .map(|t| {
            (
                t.start_ms,
                &loaded.project.sources[0].text[t.span.start..t.span.start + 9],
            )
        })
        .collect();
    assert_eq!(
        zoe,
        [(Some(1_000), "Schwierig"), (Some(3_000), "Too high ")]
    );
    // The turns live in the text record, the key in the small project record.
    let interview = p.sources[0].id;
    let (_, text_json) = &db[&(StoreName::Texts, interview.to_string())];
    assert!(text_json.contains("\"turns\""), "{text_json}");
    let (_, record) = &db[&(StoreName::Projects, p.id.to_string())];
    assert!(record.contains("Site A"), "{record}");
}

#[test]
fn changed_turns_rewrite_the_text_record_only() {
    let before = speaking_project();
    let mut after = before.clone();
    let mut source = (*after.sources[0]).clone();
    source.turns[0].speaker = Some("Interviewer".into());
    after.sources[0] = Arc::new(source);
    let writes = diff(Some(&before), &after, &META);
    let stores: Vec<_> = writes
        .iter()
        .map(|w| match w {
            Write::Put { store, .. } | Write::Delete { store, .. } => *store,
        })
        .collect();
    assert_eq!(stores, [StoreName::Texts, StoreName::Projects]);
    // Removing a source removes its speaker links.
    let gone = apply(
        &after,
        Action::RemoveSource {
            id: after.sources[0].id,
        },
    )
    .unwrap();
    assert!(gone.cases.iter().all(|c| c.speakers.is_empty()));
}

#[test]
fn version_2_sources_get_their_speaker_turns_when_read() {
    let loaded = from_project_file(FIXTURE_V2_FILE).unwrap();
    let interview = &loaded.project.sources[0];
    assert_eq!(interview.name, "Interview Zoë");
    let speakers: Vec<_> = interview
        .turns
        .iter()
        .map(|t| t.speaker.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(speakers, ["I", "Zoë", "I", "Zoë"]);
    // Records too, and both agree.
    let stores: BTreeMap<String, Vec<String>> = serde_json::from_str(FIXTURE_V2_RECORDS).unwrap();
    let mut r = StoredRecords::default();
    for (store, jsons) in stores {
        for json in jsons {
            r.push(StoreName::from_name(&store).unwrap(), json);
        }
    }
    assert_eq!(
        assemble(&r).unwrap().project.sources[0].turns,
        interview.turns
    );
}

#[test]
fn turns_that_do_not_fit_the_text_are_left_out_with_a_warning() {
    let p = speaking_project();
    let file = to_project_file(&p, &META);
    let len = p.sources[0].text.len();
    // Push one turn's end past the text.
    let needle = format!("\"end\": {}", p.sources[0].turns[3].span.end);
    assert!(file.contains(&needle), "{needle}");
    let broken = file.replacen(&needle, &format!("\"end\": {}", len + 50), 1);
    let loaded = from_project_file(&broken).unwrap();
    assert_eq!(loaded.project.sources[0].turns.len(), 3);
    assert!(
        loaded.warnings.iter().any(|w| w.contains("speaker turn")),
        "{:?}",
        loaded.warnings
    );
}

const FIXTURE_V3_FILE: &str = include_str!("fixtures/persist/v3-project.framewise.json");
const FIXTURE_V3_RECORDS: &str = include_str!("fixtures/persist/v3-records.json");

/// Written once with format version 3; must load forever.
#[test]
fn fixture_v3_loads_from_file_and_records() {
    let from_file = from_project_file(FIXTURE_V3_FILE).unwrap();
    check_v2_fixture(&from_file);
    let stores: BTreeMap<String, Vec<String>> = serde_json::from_str(FIXTURE_V3_RECORDS).unwrap();
    let mut r = StoredRecords::default();
    for (store, jsons) in stores {
        for json in jsons {
            r.push(StoreName::from_name(&store).unwrap(), json);
        }
    }
    let from_records = assemble(&r).unwrap();
    assert_eq!(from_records.project, from_file.project);
    let p = &from_file.project;
    let turns = &p.sources[0].turns;
    assert_eq!(turns.len(), 4);
    assert_eq!(turns[1].speaker.as_deref(), Some("Zoë"));
    assert_eq!(
        (turns[1].start_ms, turns[1].end_ms),
        (Some(1_000), Some(1_900))
    );
    assert_eq!(
        p.cases[2].speakers,
        [SpeakerLink {
            source: p.sources[0].id,
            speaker: "Zoë".into()
        }]
    );
    assert!(p.matrices[0].exclude_speakers.contains("I"));
    let key: Vec<_> = p
        .pseudonyms
        .iter()
        .map(|k| (k.real.as_str(), k.pseudonym.as_str()))
        .collect();
    assert_eq!(key, [("Zoë Müller", "P01"), ("Northgate", "Site A")]);
}

// ---- Version 4: annotations ----

/// `speaking_project` with two annotations of the interview: one on its first coding, one on a
/// passage (with non-Latin text and an emoji in the comment).
fn annotated_project() -> Project {
    let p = speaking_project();
    let mut ids = SeqIds::new(10);
    let source = p.sources[0].clone();
    let coding = p.codings_of(source.id)[0].clone();
    let last = source.text.trim_end().rfind(' ').unwrap() + 1;
    let passage = Span::new(last, source.text.trim_end().len());
    apply(
        &p,
        Action::Batch {
            label: "v4".into(),
            actions: vec![
                Action::AddAnnotation {
                    annotation: Annotation {
                        id: ids.annotation_id(),
                        source: source.id,
                        span: coding.span,
                        coding: Some(coding.id),
                        text: "Ask about the bus «again»".into(),
                        created: 1_700_000_000_500,
                    },
                },
                Action::AddAnnotation {
                    annotation: Annotation {
                        id: ids.annotation_id(),
                        source: source.id,
                        span: passage,
                        coding: None,
                        text: "診療所? 🚌\nSecond line".into(),
                        created: 1_700_000_000_600,
                    },
                },
            ],
        },
    )
    .unwrap()
}

const FIXTURE_V4_FILE: &str = include_str!("fixtures/persist/v4-project.framewise.json");
const FIXTURE_V4_RECORDS: &str = include_str!("fixtures/persist/v4-records.json");

/// Written once with format version 4 (annotations and saved searches); must load forever.
#[test]
fn fixture_v4_loads_from_file_and_records() {
    let from_file = from_project_file(FIXTURE_V4_FILE).unwrap();
    assert!(from_file.warnings.is_empty(), "{:?}", from_file.warnings);
    check_v2_fixture(&from_file);
    let stores: BTreeMap<String, Vec<String>> = serde_json::from_str(FIXTURE_V4_RECORDS).unwrap();
    let mut r = StoredRecords::default();
    for (store, jsons) in stores {
        for json in jsons {
            r.push(StoreName::from_name(&store).unwrap(), json);
        }
    }
    let from_records = assemble(&r).unwrap();
    assert_eq!(from_records.project, from_file.project);
    let p = &from_file.project;
    assert_eq!(p.sources[0].turns.len(), 4);
    let names: Vec<&str> = p.queries.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["Waiting at Northgate", "Café (regex)"]);
    assert_eq!(p.queries[0].query, "wait* OR \"too long\"");
    assert_eq!(
        p.queries[0].scope,
        framewise_core::search::SearchScope::Case(p.cases[0].id)
    );
    assert!(p.queries[1].options.regex && p.queries[1].options.match_case);
    assert!(matches!(
        &p.queries[1].scope,
        framewise_core::search::SearchScope::Filter(f) if f.len() == 1
    ));
    assert_eq!(p.annotations.len(), 2);
    let interview = p.sources[0].id;
    let texts: Vec<&str> = p
        .annotations_of(interview)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["Ask about the bus «again»", "診療所? 🚌\nSecond line"]
    );
    let on_coding = &p.annotations_of(interview)[0];
    assert_eq!(on_coding.coding, Some(p.codings_of(interview)[0].id));
    assert_eq!(on_coding.span, p.codings_of(interview)[0].span);
    assert_eq!(p.annotations_of(interview)[1].coding, None);
    // Version 3 data has none and loads as before.
    let v3 = from_project_file(FIXTURE_V3_FILE).unwrap();
    assert!(v3.project.annotations.is_empty());
}

/// Every saved-format version from 1 to `CURRENT_VERSION` has committed fixtures (a project file
/// and stored records, written by `write_fixtures`) that say their version, load without
/// warnings and hold the same project: a version bump without fixtures fails here.
#[test]
fn every_format_version_has_fixtures_that_load() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/persist");
    for v in 1..=CURRENT_VERSION {
        let read = |what: &str| {
            std::fs::read_to_string(format!("{dir}/v{v}-{what}")).unwrap_or_else(|e| {
                panic!(
                    "format version {v} has no fixture v{v}-{what} ({e}): run write_fixtures \
                     (see its doc) when the version changes"
                )
            })
        };
        let file = read("project.framewise.json");
        let value: serde_json::Value = serde_json::from_str(&file).unwrap();
        assert_eq!(
            value["version"], v,
            "v{v}-project.framewise.json says its version"
        );
        let from_file = from_project_file(&file).unwrap();
        assert!(
            from_file.warnings.is_empty(),
            "v{v}: {:?}",
            from_file.warnings
        );

        let stores: BTreeMap<String, Vec<String>> =
            serde_json::from_str(&read("records.json")).unwrap();
        let mut r = StoredRecords::default();
        for (store, jsons) in stores {
            for json in jsons {
                r.push(StoreName::from_name(&store).unwrap(), json);
            }
        }
        let from_records = assemble(&r).unwrap();
        assert!(
            from_records.warnings.is_empty(),
            "v{v}: {:?}",
            from_records.warnings
        );
        assert_eq!(
            from_records.project, from_file.project,
            "v{v}: both fixtures hold one project"
        );
    }
}

/// The app sends its worker a large project a source at a time: the parts, applied in order to
/// an empty store, leave exactly the records of a full save, and the worker's in-memory store
/// then reads back the project; later changes arrive as the same diffs the app stores.
#[test]
fn a_project_written_a_source_at_a_time_leaves_the_records_of_a_full_save() {
    for start in [
        rich_project(),
        framewise_core::demo::demo_project(&mut SeqIds::new(7), 1_700_000_000_000),
    ] {
        let parts: Vec<Vec<Write>> = persist::writes_by_source(&start, &META).collect();
        // Everything but the sources first, then one part per source, then what is left (none).
        assert_eq!(parts.len(), start.sources.len() + 2);
        assert!(parts[0]
            .iter()
            .all(|w| !matches!(w.store(), StoreName::Texts | StoreName::Codings)));
        for (part, source) in parts[1..].iter().zip(&start.sources) {
            let id = source.id.to_string();
            assert!(part
                .iter()
                .any(|w| w.store() == StoreName::Texts && w.key() == id));
            let codings = start.codings.get(&source.id).map_or(0, |c| c.len());
            assert_eq!(
                part.iter()
                    .filter(|w| w.store() == StoreName::Codings)
                    .count(),
                codings
            );
        }
        assert_eq!(parts.last(), Some(&Vec::new()));

        let mut db = Db::new();
        let mut store = persist::RecordStore::default();
        for part in &parts {
            write_all(&mut db, part);
            store.apply(part.iter().cloned());
        }
        assert_eq!(db, db_of(&start, &META));
        assert_eq!(store.len(), db.len());
        assert_eq!(store.assemble().unwrap().project, start);

        // A change afterwards: its diff brings the kept records up to date.
        let mut ids = SeqIds::new(500);
        let first = start.sources[0].clone();
        let code = start.codes[0].id;
        let needle: String = first.text.chars().take(12).collect();
        let changed = apply(
            &start,
            Action::AddCodings {
                codings: vec![coding(&mut ids, &first, code, &needle)],
            },
        )
        .unwrap();
        let changed = apply(
            &changed,
            Action::RemoveSource {
                id: start.sources[start.sources.len() - 1].id,
            },
        )
        .unwrap();
        // A coding and a removed source write no text.
        assert_eq!(persist::text_bytes_changed(&start, &changed), 0);
        store.apply(diff(Some(&start), &changed, &META));
        assert_eq!(store.assemble().unwrap().project, changed);
        // Against an empty project every text counts; an edited text counts once.
        let mut empty = start.clone();
        empty.sources.clear();
        let all: usize = start.sources.iter().map(|s| s.text.len()).sum();
        assert_eq!(persist::text_bytes_changed(&empty, &start), all);
        let mut edited = changed.clone();
        let mut source = (*edited.sources[0]).clone();
        source.text = format!("{} more", source.text).into();
        let bytes = source.text.len();
        edited.sources[0] = Arc::new(source);
        assert_eq!(persist::text_bytes_changed(&changed, &edited), bytes);
    }
}
