//! Browser tests of IndexedDB storage (`src/storage.rs`): round trip, writes proportional to the
//! change, newer-version data left byte-for-byte unchanged, deletion, and the debounced saver.
//! Run with `cargo test --target wasm32-unknown-unknown --test storage` (headless Chromium).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use framewise::storage::{SaveStatus, Saver, Storage, StorageError};
use framewise_core::persist::{self, diff, full_writes, LoadError, ProjectMeta, StoreName, Write};
use framewise_core::*;
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
                span: Span::new(0, 5),
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
