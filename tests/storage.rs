//! Browser tests of IndexedDB storage (`src/storage.rs`): round trip (with cases and a matrix),
//! writes proportional to the change, newer-version data left byte-for-byte unchanged, a
//! version-1 database upgraded without losing data, deletion, and the debounced saver.
//! Run with `cargo test --target wasm32-unknown-unknown --test storage` (headless Chromium).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use framewise::storage::{SaveStatus, Saver, Storage, StorageError};
use framewise_core::persist::{self, diff, full_writes, LoadError, ProjectMeta, StoreName, Write};
use framewise_core::*;
use idb::DatabaseEvent;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const META: ProjectMeta = ProjectMeta {
    modified: 1_700_000_100_000,
    last_opened: 1_700_000_200_000,
};

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A project of `sources` sources with `text`, a nested codebook and overlapping codings. Each
/// test uses its own seed, so tests do not see each other's records.
fn project(seed: u64, sources: usize, text: &str) -> (Project, SeqIds) {
    let mut ids = SeqIds::new(seed);
    let mut p = Project::new(ids.project_id(), format!("Project {seed} — ü 🌍"), 1_000);
    let sources: Vec<Source> = (0..sources)
        .map(|i| Source {
            id: ids.source_id(),
            name: format!("Interview {i:02}"),
            kind: SourceKind::Interview,
            text: text.into(),
            memo: format!("memo {i}"),
            imported: 2_000,
            file_name: None,
            turns: Vec::new(),
        })
        .collect();
    let parent = ids.code_id();
    let codes = vec![
        Code {
            id: parent,
            name: "Access".into(),
            parent: None,
            color: "#e69f00".into(),
            description: "Getting to care".into(),
            origin: CodeOrigin::Deductive,
            memo: String::new(),
            created: 3_000,
        },
        Code {
            id: ids.code_id(),
            name: "Distance 🚌".into(),
            parent: Some(parent),
            color: "#56b4e9".into(),
            description: String::new(),
            origin: CodeOrigin::Inductive,
            memo: "emergent".into(),
            created: 3_001,
        },
    ];
    let mut codings = Vec::new();
    for s in &sources {
        for (k, code) in codes.iter().enumerate() {
            codings.push(Coding {
                id: ids.coding_id(),
                source: s.id,
                span: Span::new(k, 10 + k),
                code: code.id,
                coder: "Zoë".into(),
                created: 4_000,
            });
        }
    }
    p = apply(&p, Action::AddSources { sources }).unwrap();
    p = apply(&p, Action::ImportCodes { codes }).unwrap();
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    p = apply(
        &p,
        Action::SetProjectMemo {
            memo: "Project memo ✍️".into(),
        },
    )
    .unwrap();
    (p, ids)
}

fn small_project(seed: u64) -> (Project, SeqIds) {
    project(
        seed,
        3,
        "Zoë: the clinic was far — 診療所は遠い 😅.\nI: why?\n",
    )
}

fn bytes_of(writes: &[Write]) -> usize {
    writes.iter().map(Write::bytes).sum()
}

async fn load(storage: &Storage, id: ProjectId) -> persist::Loaded {
    storage.load_project(id).await.unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn save_then_load_gives_the_same_project() {
    let storage = Storage::open().await.unwrap();
    let (p, _) = small_project(1001);
    let writes = full_writes(&p, &META);
    let bytes = storage.apply_writes(&writes).await.unwrap();
    assert_eq!(bytes, bytes_of(&writes));
    let loaded = load(&storage, p.id).await;
    assert_eq!(loaded.project, p);
    assert_eq!(loaded.meta, META);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);

    let listed = storage.list_projects().await.unwrap();
    let mine = listed.iter().find(|l| l.id() == p.id).unwrap();
    let summary = mine.summary().unwrap();
    assert_eq!((summary.sources, summary.codes, summary.codings), (3, 2, 6));
    assert_eq!(mine.name(), p.name);

    // A second connection (another tab, or the next visit) reads the same.
    let again = Storage::open().await.unwrap();
    assert_eq!(load(&again, p.id).await.project, p);
}

/// Records are copied out of IndexedDB a million characters at a time (joined in JS): texts
/// longer than that, ASCII or not, come back exactly; a record holding U+0000 itself (only one
/// corrupted by hand can) makes that store's records be read one by one, and it is reported.
#[wasm_bindgen_test]
async fn large_texts_load_exactly_and_a_record_with_a_nul_is_reported() {
    let storage = Storage::open().await.unwrap();
    let (mut p, mut ids) = project(1014, 0, "");
    let texts = [
        "plain ASCII text, line after line.\n".repeat(40_000),
        format!("é{}", "then ASCII for a long while. ".repeat(30_000)),
        "Zoë — 診療所は遠い 😅\n".repeat(20_000),
        String::new(),
    ];
    let sources: Vec<Source> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| Source {
            id: ids.source_id(),
            name: format!("Long {i} ü"),
            kind: SourceKind::FieldNotes,
            text: text.as_str().into(),
            memo: String::new(),
            imported: 2_000,
            file_name: None,
            turns: Vec::new(),
        })
        .collect();
    assert!(texts.iter().map(String::len).sum::<usize>() > 2_500_000);
    p = apply(&p, Action::AddSources { sources }).unwrap();
    storage.apply_writes(&full_writes(&p, &META)).await.unwrap();
    let loaded = load(&storage, p.id).await;
    assert_eq!(loaded.project, p);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);

    let odd = Write::Put {
        store: StoreName::Codes,
        key: "odd".into(),
        project: p.id,
        json: "{\"format\":\"framewise-code\",\u{0}}".into(),
    };
    storage.apply_writes(&[odd]).await.unwrap();
    let loaded = load(&storage, p.id).await;
    assert_eq!(loaded.project, p);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
}

#[wasm_bindgen_test]
async fn one_coding_in_a_50_source_project_writes_under_10_kb() {
    let storage = Storage::open().await.unwrap();
    let paragraph = "R: Das Wartezimmer war voll, niemand erklärte uns etwas — 😤.\n";
    let text = paragraph.repeat(60_000 / paragraph.len() + 1);
    let (before, mut ids) = project(1002, 50, &text);
    let full = storage
        .apply_writes(&full_writes(&before, &META))
        .await
        .unwrap();
    assert!(full > 3_000_000, "{full}");

    let coding = Coding {
        id: ids.coding_id(),
        source: before.sources[31].id,
        span: Span::new(20, 60),
        code: before.codes[1].id,
        coder: "Zoë".into(),
        created: 9_000,
    };
    let after = apply(
        &before,
        Action::AddCodings {
            codings: vec![coding],
        },
    )
    .unwrap();
    let writes = diff(Some(&before), &after, &META);
    let written = storage.apply_writes(&writes).await.unwrap();
    assert!(written < 10_000, "{written} bytes for one coding");
    assert!(writes
        .iter()
        .all(|w| matches!(w.store(), StoreName::Codings | StoreName::Projects)));
    assert_eq!(load(&storage, after.id).await.project, after);

    // The saver writes the same small diff.
    let statuses = Rc::new(RefCell::new(Vec::new()));
    let log = statuses.clone();
    let saver = Saver::new(storage.clone(), Some(after.clone()), move |s| {
        log.borrow_mut().push(s)
    });
    let mut ids2 = ids.clone();
    let third = apply(
        &after,
        Action::AddCodings {
            codings: vec![Coding {
                id: ids2.coding_id(),
                source: after.sources[2].id,
                // Clear of the code's coding at 0..10 (an overlapping one would merge into it).
                span: Span::new(20, 25),
                code: after.codes[0].id,
                coder: "Zoë".into(),
                created: 9_001,
            }],
        },
    )
    .unwrap();
    // Known timestamps first, so only the coding is new to the saver.
    saver.project_changed(&after, META);
    saver.flush();
    sleep(100).await;
    statuses.borrow_mut().clear();
    saver.project_changed(&third, META);
    sleep(1_000).await;
    let seen = statuses.borrow().clone();
    let Some(SaveStatus::Saved { bytes }) = seen.last() else {
        panic!("not saved within a second: {seen:?}")
    };
    assert!(*bytes > 0 && *bytes < 10_000, "{bytes}");
    assert!(!saver.has_unsaved());
    assert_eq!(load(&storage, third.id).await.project, third);
}

/// The raw stored string of one record, read back through the raw backup.
async fn raw_record(storage: &Storage, id: ProjectId, store: StoreName, key: &str) -> String {
    let backup = storage.raw_records(id).await.unwrap();
    let value: serde_json::Value = serde_json::from_str(&backup).unwrap();
    value["stores"][store.as_str()][key]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[wasm_bindgen_test]
async fn a_newer_version_record_is_listed_with_a_problem_and_left_byte_for_byte() {
    let storage = Storage::open().await.unwrap();
    let (p, _) = small_project(1003);
    let id = p.id;
    // Written "by a future Framewise": version 99, with fields this version does not know.
    let future_record = format!(
        "{{\"format\":\"framewise-project-record\",\"version\":99,\"id\":\"{id}\",\
         \"name\":\"From the future ✨\",\"sources\":1,\"hologram\":{{\"x\":[1,2,3]}}}}"
    );
    storage
        .apply_writes(&[Write::Put {
            store: StoreName::Projects,
            key: id.to_string(),
            project: id,
            json: future_record.clone(),
        }])
        .await
        .unwrap();

    let listed = storage.list_projects().await.unwrap();
    let mine = listed.iter().find(|l| l.id() == id).unwrap();
    assert!(mine.summary().is_none());
    assert_eq!(mine.name(), "From the future ✨");
    assert!(matches!(
        mine.problem(),
        Some(LoadError::NewerVersion { found: 99, .. })
    ));
    assert!(mine.problem_text().contains("newer version"));

    match storage.load_project(id).await.unwrap() {
        Err(LoadError::NewerVersion { found: 99, .. }) => {}
        other => panic!("expected NewerVersion, got {other:?}"),
    }

    // The app-style flow: a saver and direct writes for that project are refused.
    let statuses = Rc::new(RefCell::new(Vec::new()));
    let log = statuses.clone();
    let saver = Saver::new(storage.clone(), None, move |s| log.borrow_mut().push(s));
    saver.project_changed(&p, META);
    saver.flush();
    sleep(200).await;
    assert!(
        matches!(
            statuses.borrow().last(),
            Some(SaveStatus::Failed(StorageError::Other(_)))
        ),
        "{:?}",
        statuses.borrow()
    );
    assert!(saver.has_unsaved(), "the unsaved project is kept");
    assert!(storage.apply_writes(&full_writes(&p, &META)).await.is_err());
    assert!(storage.is_refused(id));

    // Another connection (a fresh page) also leaves it alone once it has listed it.
    let fresh = Storage::open().await.unwrap();
    let _ = fresh.list_projects().await.unwrap();
    assert!(fresh.apply_writes(&full_writes(&p, &META)).await.is_err());

    let stored = raw_record(&storage, id, StoreName::Projects, &id.to_string()).await;
    assert_eq!(stored.as_bytes(), future_record.as_bytes());
    let backup = storage.raw_records(id).await.unwrap();
    assert!(backup.contains("framewise-raw-backup"));
}

#[wasm_bindgen_test]
async fn deleting_a_project_removes_every_record() {
    let storage = Storage::open().await.unwrap();
    let (p, _) = small_project(1004);
    let (other, _) = small_project(1005);
    storage.apply_writes(&full_writes(&p, &META)).await.unwrap();
    storage
        .apply_writes(&full_writes(&other, &META))
        .await
        .unwrap();
    storage.delete_project(p.id).await.unwrap();

    let backup = storage.raw_records(p.id).await.unwrap();
    let value: serde_json::Value = serde_json::from_str(&backup).unwrap();
    for store in StoreName::ALL {
        let records = value["stores"][store.as_str()].as_object().unwrap();
        assert!(
            records.is_empty(),
            "{} still has {records:?}",
            store.as_str()
        );
    }
    assert!(matches!(
        storage.load_project(p.id).await.unwrap(),
        Err(LoadError::Unreadable { .. })
    ));
    let listed = storage.list_projects().await.unwrap();
    assert!(listed.iter().all(|l| l.id() != p.id));
    // The other project is untouched.
    assert_eq!(load(&storage, other.id).await.project, other);
}

#[wasm_bindgen_test]
async fn the_saver_gathers_rapid_changes_and_saves_within_a_second() {
    let storage = Storage::open().await.unwrap();
    let (start, _) = small_project(1006);
    let statuses = Rc::new(RefCell::new(Vec::new()));
    let log = statuses.clone();
    let saver = Saver::new(storage.clone(), None, move |s| log.borrow_mut().push(s));
    let mut current = start.clone();
    saver.project_changed(&current, META);
    for i in 0..20 {
        // Typing a memo, one keystroke at a time.
        current = apply(
            &current,
            Action::SetProjectMemo {
                memo: format!("memo after {i} keys"),
            },
        )
        .unwrap();
        saver.project_changed(&current, META);
        sleep(10).await;
    }
    sleep(900).await;
    let seen = statuses.borrow().clone();
    let saves = seen
        .iter()
        .filter(|s| matches!(s, SaveStatus::Saved { .. }))
        .count();
    assert!((1..=3).contains(&saves), "{seen:?}");
    assert!(!saver.has_unsaved());
    assert_eq!(load(&storage, current.id).await.project, current);
}

/// "Saved" is the researcher's acknowledgment (the crash test, tests/e2e/crash.mjs, relies on
/// it): it is reported only when nothing is waiting. A change made while a save is being written
/// keeps the status "Saving…" until the save holding it has committed.
#[wasm_bindgen_test]
async fn saved_is_reported_only_when_every_change_is_stored() {
    let storage = Storage::open().await.unwrap();
    let (start, _) = small_project(1013);
    let saver_slot: Rc<RefCell<Option<Saver>>> = Rc::new(RefCell::new(None));
    // Each status, with whether the saver still held an unsaved change when it was reported.
    let log: Rc<RefCell<Vec<(SaveStatus, bool)>>> = Rc::new(RefCell::new(Vec::new()));
    let (slot, seen) = (saver_slot.clone(), log.clone());
    let saver = Saver::new(storage.clone(), None, move |s| {
        let unsaved = slot.borrow().as_ref().is_some_and(Saver::has_unsaved);
        seen.borrow_mut().push((s, unsaved));
    });
    *saver_slot.borrow_mut() = Some(saver.clone());
    let mut current = start.clone();
    saver.project_changed(&current, META);
    // Start writing at once, then change the project while that write is under way.
    saver.flush();
    for i in 0..3 {
        current = apply(
            &current,
            Action::SetProjectMemo {
                memo: format!("typed during the save {i}"),
            },
        )
        .unwrap();
        saver.project_changed(&current, META);
    }
    sleep(1200).await;
    let seen = log.borrow().clone();
    assert!(
        seen.iter()
            .any(|(s, _)| matches!(s, SaveStatus::Saved { .. })),
        "{seen:?}"
    );
    for (status, unsaved) in &seen {
        if matches!(status, SaveStatus::Saved { .. }) {
            assert!(
                !unsaved,
                "“Saved” while a change was still waiting: {seen:?}"
            );
        }
    }
    assert!(
        matches!(seen.last(), Some((SaveStatus::Saved { .. }, false))),
        "{seen:?}"
    );
    assert_eq!(load(&storage, current.id).await.project, current);
}

/// `small_project` with attributes, a site and two participants linked to sources, a matrix
/// with cell summaries (one quoting a coding) and a case summary, and a set.
fn charted_project(seed: u64) -> (Project, SeqIds) {
    let (mut p, mut ids) = small_project(seed);
    let rurality = Attribute {
        id: ids.attribute_id(),
        name: "Rurality".into(),
        kind: AttributeKind::Category(vec!["urban".into(), "rural".into()]),
    };
    let age = Attribute {
        id: ids.attribute_id(),
        name: "Age".into(),
        kind: AttributeKind::Number,
    };
    let site = ids.case_id();
    let cases: Vec<Case> = (0..3)
        .map(|i| Case {
            id: if i == 0 { site } else { ids.case_id() },
            name: if i == 0 {
                "Site 🏥".into()
            } else {
                format!("P{i:02}")
            },
            parent: (i > 0).then_some(site),
            sources: vec![p.sources[i].id],
            memo: String::new(),
            values: if i == 0 {
                [(rurality.id, AttrValue::Category("rural".into()))].into()
            } else {
                [(age.id, AttrValue::Number(30.0 + i as f64))].into()
            },
            created: 5_000,
            speakers: Vec::new(),
        })
        .collect();
    let participant = cases[1].id;
    let columns: Vec<CodeId> = p.codes.iter().map(|c| c.id).collect();
    let matrix = Matrix::new(ids.matrix_id(), "Access chart", columns.clone(), 6_000);
    let mid = matrix.id;
    let quoted = p.codings_of(p.sources[1].id)[0].id;
    for action in [
        Action::AddAttribute {
            attribute: rurality,
        },
        Action::AddAttribute { attribute: age },
        Action::AddCases { cases },
        Action::CreateMatrix { matrix },
        Action::SetCellSummaries {
            matrix: mid,
            summaries: vec![
                (
                    participant,
                    columns[0],
                    format!("Far — {}", matrix::quote_token(quoted)),
                ),
                (participant, columns[1], "By bus 🚌".into()),
            ],
        },
        Action::SetCaseSummary {
            matrix: mid,
            case: participant,
            summary: "Hard to reach".into(),
        },
        Action::CreateSet {
            set: CodeSet {
                id: ids.set_id(),
                name: "Barriers".into(),
                description: String::new(),
                codes: columns,
                created: 7_000,
            },
        },
    ] {
        p = apply(&p, action).unwrap();
    }
    (p, ids)
}

#[wasm_bindgen_test]
async fn save_then_load_with_cases_and_a_matrix() {
    let storage = Storage::open().await.unwrap();
    let (p, _) = charted_project(1007);
    storage.apply_writes(&full_writes(&p, &META)).await.unwrap();
    let loaded = load(&storage, p.id).await;
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, p);
    let listed = storage.list_projects().await.unwrap();
    let summary = listed
        .iter()
        .find(|l| l.id() == p.id)
        .and_then(|l| l.summary().cloned())
        .unwrap();
    assert_eq!((summary.cases, summary.matrices), (3, 1));

    // One cell edited: one cell record (plus the project record) written.
    let m = p.matrices[0].id;
    let (case, code) = (p.cases[1].id, p.codes[1].id);
    let edited = apply(
        &p,
        Action::SetCellSummaries {
            matrix: m,
            summaries: vec![(case, code, "By bus, 2 hours".into())],
        },
    )
    .unwrap();
    let writes = diff(Some(&p), &edited, &META);
    assert!(writes
        .iter()
        .all(|w| matches!(w.store(), StoreName::MatrixCells | StoreName::Projects)));
    let written = storage.apply_writes(&writes).await.unwrap();
    assert!(written < 2_000, "{written}");
    assert_eq!(load(&storage, p.id).await.project, edited);
    let cell = raw_record(
        &storage,
        p.id,
        StoreName::MatrixCells,
        &format!("{m}/{case}/{code}"),
    )
    .await;
    assert!(cell.contains("By bus, 2 hours"), "{cell}");

    // Deleting the project empties the new stores too.
    storage.delete_project(p.id).await.unwrap();
    let backup = storage.raw_records(p.id).await.unwrap();
    let value: serde_json::Value = serde_json::from_str(&backup).unwrap();
    for store in StoreName::ALL {
        assert!(
            value["stores"][store.as_str()]
                .as_object()
                .unwrap()
                .is_empty(),
            "{}",
            store.as_str()
        );
    }
}

const V1_RECORDS: &str = include_str!("../core/tests/fixtures/persist/v1-records.json");
const V1_FILE: &str = include_str!("../core/tests/fixtures/persist/v1-project.framewise.json");
const V1_STORES: [&str; 6] = [
    "projects",
    "project_memos",
    "sources",
    "texts",
    "codes",
    "codings",
];

async fn delete_database(name: &str) {
    let factory = idb::Factory::new().unwrap();
    factory.delete(name).unwrap().await.unwrap();
}

/// The committed version-1 records as `(store, key, project, json)`, keyed as version 1 kept
/// them (project id, source id for texts, the record's id otherwise).
fn v1_records() -> Vec<(String, String, String, String)> {
    let stores: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_str(V1_RECORDS).unwrap();
    let mut out = Vec::new();
    for (store, jsons) in stores {
        for json in jsons {
            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
            let project = v["project"]
                .as_str()
                .or(v["id"].as_str())
                .unwrap()
                .to_string();
            let key = match store.as_str() {
                "projects" | "project_memos" => project.clone(),
                "texts" => v["source"].as_str().unwrap().to_string(),
                _ => v["id"].as_str().unwrap().to_string(),
            };
            out.push((store.clone(), key, project, json));
        }
    }
    out
}

#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_without_losing_data() {
    let name = "framewise-test-v1-upgrade";
    delete_database(name).await;
    // The database as Framewise with schema version 1 left it: six stores, version-1 records.
    let factory = idb::Factory::new().unwrap();
    let mut request = factory.open(name, Some(1)).unwrap();
    request.on_upgrade_needed(|event| {
        let db = event.database().unwrap();
        for store in V1_STORES {
            let store = db
                .create_object_store(store, idb::ObjectStoreParams::new())
                .unwrap();
            store
                .create_index("project", idb::KeyPath::new_single("project"), None)
                .unwrap();
        }
    });
    let db = request.await.unwrap();
    let records = v1_records();
    let tx = db
        .transaction(&V1_STORES, idb::TransactionMode::ReadWrite)
        .unwrap();
    for (store, key, project, json) in &records {
        let value = js_sys::Object::new();
        js_sys::Reflect::set(&value, &"project".into(), &project.as_str().into()).unwrap();
        js_sys::Reflect::set(&value, &"json".into(), &json.as_str().into()).unwrap();
        tx.object_store(store)
            .unwrap()
            .put(&value, Some(&key.as_str().into()))
            .unwrap();
    }
    assert!(tx.await.unwrap().is_committed());
    db.close();

    // Opening with this version upgrades the schema (new stores) and keeps every record.
    let storage = Storage::open_named(name, || ()).await.unwrap();
    let expected = persist::from_project_file(V1_FILE).unwrap().project;
    let loaded = load(&storage, expected.id).await;
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, expected);
    assert!(loaded.project.cases.is_empty());
    for (store, key, project, json) in &records {
        let pid = ProjectId::parse(project).unwrap();
        let store = StoreName::from_name(store).unwrap();
        let stored = raw_record(&storage, pid, store, key).await;
        assert_eq!(stored.as_bytes(), json.as_bytes(), "{key}");
    }

    // The upgraded database takes the new records (with their `project` index).
    let mut ids = SeqIds::new(1008);
    let case = Case {
        id: ids.case_id(),
        name: "Site A".into(),
        parent: None,
        sources: vec![expected.sources[0].id],
        memo: String::new(),
        values: Default::default(),
        created: 1,
        speakers: Vec::new(),
    };
    let case_id = case.id;
    let matrix = Matrix::new(ids.matrix_id(), "Chart", vec![expected.codes[0].id], 2);
    let mid = matrix.id;
    let charted = apply(
        &expected,
        Action::Batch {
            label: "Chart".into(),
            actions: vec![
                Action::AddCases { cases: vec![case] },
                Action::CreateMatrix { matrix },
                Action::SetCellSummaries {
                    matrix: mid,
                    summaries: vec![(case_id, expected.codes[0].id, "Far".into())],
                },
                Action::SetCaseSummary {
                    matrix: mid,
                    case: case_id,
                    summary: "Remote".into(),
                },
            ],
        },
    )
    .unwrap();
    storage
        .apply_writes(&diff(Some(&expected), &charted, &META))
        .await
        .unwrap();
    let again = Storage::open_named(name, || ()).await.unwrap();
    assert_eq!(load(&again, expected.id).await.project, charted);
    again.delete_project(expected.id).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_database_of_a_newer_schema_is_left_alone() {
    let name = "framewise-test-v99-schema";
    delete_database(name).await;
    let factory = idb::Factory::new().unwrap();
    let mut request = factory.open(name, Some(99)).unwrap();
    request.on_upgrade_needed(|event| {
        let db = event.database().unwrap();
        db.create_object_store("holograms", idb::ObjectStoreParams::new())
            .unwrap();
    });
    let db = request.await.unwrap();
    db.close();
    match Storage::open_named(name, || ()).await {
        Err(StorageError::Unavailable(reason)) => {
            assert!(reason.contains("newer version"), "{reason}")
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    // Still version 99, with its own store.
    let db = idb::Factory::new()
        .unwrap()
        .open(name, None)
        .unwrap()
        .await
        .unwrap();
    assert_eq!(db.version().unwrap(), 99);
    assert_eq!(db.store_names(), vec!["holograms".to_string()]);
    db.close();
    delete_database(name).await;
}

/// An older Framewise in another tab holds a version-1 database open and ignores the upgrade
/// request: opening is blocked. The app is told at once (to say so, not spin "Opening…"), and
/// the open completes, keeping the data, once that tab lets go.
#[wasm_bindgen_test]
async fn an_old_tab_holding_the_database_blocks_the_upgrade_and_is_reported() {
    let name = "framewise-test-blocked";
    delete_database(name).await;
    let factory = idb::Factory::new().unwrap();
    let mut request = factory.open(name, Some(1)).unwrap();
    request.on_upgrade_needed(|event| {
        let db = event.database().unwrap();
        for store in V1_STORES {
            db.create_object_store(store, idb::ObjectStoreParams::new())
                .unwrap()
                .create_index(
                    StoreName::PROJECT_INDEX,
                    idb::KeyPath::new_single("project"),
                    None,
                )
                .unwrap();
        }
    });
    // The old tab's connection: it never closes on `versionchange`.
    let old = request.await.unwrap();
    let blocked = Rc::new(std::cell::Cell::new(0));
    let seen = blocked.clone();
    let opening = wasm_bindgen_futures::future_to_promise(async move {
        let result = Storage::open_named(name, move || seen.set(seen.get() + 1)).await;
        Ok(wasm_bindgen::JsValue::from_bool(result.is_ok()))
    });
    sleep(300).await;
    assert_eq!(blocked.get(), 1, "the blocked upgrade is reported");
    old.close();
    let opened = wasm_bindgen_futures::JsFuture::from(opening).await.unwrap();
    assert_eq!(
        opened.as_bool(),
        Some(true),
        "it opens once the old tab lets go"
    );
}

/// Two tabs (two connections) hold the same project: the one that has not seen the other's
/// change may not write its stale copy of a record over it (a renamed code reverting when its
/// description is edited elsewhere). Its write is refused as a conflict and writes nothing.
#[wasm_bindgen_test]
async fn a_stale_tab_never_writes_over_a_newer_record() {
    let first = Storage::open().await.unwrap();
    let (p, _) = small_project(1011);
    first.apply_writes(&full_writes(&p, &META)).await.unwrap();
    let code = p.codes[0].id;

    // Both tabs read the project.
    let a = Storage::open().await.unwrap();
    let b = Storage::open().await.unwrap();
    let in_a = load(&a, p.id).await.project;
    let in_b = load(&b, p.id).await.project;

    // A renames the code and saves.
    let renamed = apply(
        &in_a,
        Action::RenameCode {
            id: code,
            name: "Renamed in tab A".into(),
        },
    )
    .unwrap();
    a.apply_writes(&diff(Some(&in_a), &renamed, &META))
        .await
        .unwrap();

    // B, stale, describes the same code: its code record would carry the old name.
    let described = apply(
        &in_b,
        Action::DescribeCode {
            id: code,
            description: "Described in tab B".into(),
        },
    )
    .unwrap();
    let refused = b.apply_writes(&diff(Some(&in_b), &described, &META)).await;
    assert_eq!(refused, Err(StorageError::Conflict));
    assert!(StorageError::Conflict.to_string().contains("another tab"));
    let stored = load(&Storage::open().await.unwrap(), p.id).await.project;
    assert_eq!(stored.code(code).unwrap().name, "Renamed in tab A");
    assert_eq!(stored, renamed);

    // Read again, B sees the rename and its edit goes through.
    let fresh = load(&b, p.id).await.project;
    let described = apply(
        &fresh,
        Action::DescribeCode {
            id: code,
            description: "Described in tab B".into(),
        },
    )
    .unwrap();
    b.apply_writes(&diff(Some(&fresh), &described, &META))
        .await
        .unwrap();
    let stored = load(&Storage::open().await.unwrap(), p.id).await.project;
    assert_eq!(stored.code(code).unwrap().name, "Renamed in tab A");
    assert_eq!(stored.code(code).unwrap().description, "Described in tab B");
}

/// Opening a project to edit it (`open_project`) claims it: a tab that read it before can no
/// longer write, even before the new tab has changed anything; a saver reports the conflict.
#[wasm_bindgen_test]
async fn opening_a_project_elsewhere_stops_the_earlier_reader_from_writing() {
    let setup = Storage::open().await.unwrap();
    let (p, _) = small_project(1012);
    setup.apply_writes(&full_writes(&p, &META)).await.unwrap();

    let asleep = Storage::open().await.unwrap();
    let old = load(&asleep, p.id).await.project;
    let awake = Storage::open().await.unwrap();
    let opened = awake.open_project(p.id).await.unwrap().unwrap().project;
    assert_eq!(opened, p);

    let statuses = Rc::new(RefCell::new(Vec::new()));
    let log = statuses.clone();
    let saver = Saver::new(asleep.clone(), Some(old.clone()), move |s| {
        log.borrow_mut().push(s)
    });
    let changed = apply(
        &old,
        Action::RenameProject {
            name: "Stale name".into(),
        },
    )
    .unwrap();
    saver.project_changed(&changed, META);
    saver.flush();
    sleep(300).await;
    assert_eq!(
        statuses.borrow().last(),
        Some(&SaveStatus::Failed(StorageError::Conflict))
    );
    assert_eq!(load(&awake, p.id).await.project.name, p.name);

    // A project deleted in another tab is not brought back by a stale writer either.
    awake.delete_project(p.id).await.unwrap();
    assert_eq!(
        asleep.apply_writes(&full_writes(&changed, &META)).await,
        Err(StorageError::Conflict)
    );
}
