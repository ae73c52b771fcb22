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
        origin: if n % 2 == 0 {
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
        if *project != id {
            continue;
        }
        let json = json.clone();
        match store {
            StoreName::Projects => r.project = json,
            StoreName::ProjectMemos => r.memo = Some(json),
            StoreName::Sources => r.sources.push(json),
            StoreName::Texts => r.texts.push(json),
            StoreName::Codes => r.codes.push(json),
            StoreName::Codings => r.codings.push(json),
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
    assert!(file.contains("\"version\": 1"));
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
    r.codings[2] = set_version(&r.codings[2], 2);
    assert!(matches!(
        assemble(&r),
        Err(LoadError::NewerVersion { found: 2, .. })
    ));
}

#[test]
fn newer_project_file_is_refused() {
    let file = to_project_file(&rich_project(), &META);
    let newer = set_version(&file, CURRENT_VERSION as u64 + 1);
    assert!(matches!(
        from_project_file(&newer),
        Err(LoadError::NewerVersion { found: 2, .. })
    ));
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
    let p = rich_project();
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
