//! A copy to hand over (`share::shared_copy`): the pseudonymisation key, memos or source texts
//! left out, and what stays loads back whole (every coding still fits its blanked text).
#![allow(clippy::unwrap_used)]

use framewise_core::demo::demo_project;
use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
use framewise_core::share::{blank, is_encrypted, shared_copy, LeaveOut};
use framewise_core::*;

fn demo() -> Project {
    let mut p = demo_project(&mut SeqIds::new(7), 1_700_000_000_000);
    p.pseudonyms = vec![Pseudonym {
        real: "Dr Real Name".into(),
        pseudonym: "Dr P".into(),
    }];
    p
}

fn round_trip(p: &Project) -> Project {
    let file = to_project_file(p, &ProjectMeta::new(1));
    let loaded = from_project_file(&file).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    loaded.project
}

#[test]
fn nothing_left_out_is_the_same_project() {
    let p = demo();
    assert_eq!(shared_copy(&p, LeaveOut::default()), p);
}

#[test]
fn the_key_and_memos_can_be_left_out() {
    let p = demo();
    assert!(!p.memo.is_empty(), "the demo has a project memo");
    let copy = shared_copy(
        &p,
        LeaveOut {
            key: true,
            memos: true,
            texts: false,
        },
    );
    assert!(copy.pseudonyms.is_empty());
    assert!(copy.memo.is_empty());
    assert!(copy.sources.iter().all(|s| s.memo.is_empty()));
    assert!(copy.codes.iter().all(|c| c.memo.is_empty()));
    assert!(copy.cases.iter().all(|c| c.memo.is_empty()));
    // Everything else is kept, under the same ids (the copy merges back).
    assert_eq!(copy.id, p.id);
    assert_eq!(copy.codings, p.codings);
    assert_eq!(
        copy.sources
            .iter()
            .map(|s| (s.id, s.text.clone()))
            .collect::<Vec<_>>(),
        p.sources
            .iter()
            .map(|s| (s.id, s.text.clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(copy.matrices, p.matrices);
    assert_eq!(round_trip(&copy), copy);
}

#[test]
fn without_texts_every_coding_still_fits_and_no_word_is_left() {
    let p = demo();
    let copy = shared_copy(
        &p,
        LeaveOut {
            key: false,
            memos: false,
            texts: true,
        },
    );
    assert_eq!(copy.pseudonyms, p.pseudonyms, "the key stays unless asked");
    assert_eq!(copy.coding_count(), p.coding_count());
    assert!(copy.coding_count() > 0);
    for (s, original) in copy.sources.iter().zip(&p.sources) {
        assert_eq!(s.text.len(), original.text.len());
        assert!(s.text.chars().all(|c| c == ' ' || c == '\n'));
        assert_eq!(s.turns.len(), original.turns.len());
        assert!(s.turns.iter().all(|t| t.speaker.is_none()));
    }
    assert!(copy.cases.iter().all(|c| c.speakers.is_empty()));
    // It loads back with every coding (spans fit the blanked texts).
    let back = round_trip(&copy);
    assert_eq!(back.coding_count(), p.coding_count());
    assert_eq!(back.codes, p.codes);
    // No quote of the demo is in the written file.
    let file = to_project_file(&copy, &ProjectMeta::new(1));
    let quote = p.all_codings().next().unwrap();
    let source = p.source(quote.source).unwrap();
    let words = &source.text[quote.span.start..quote.span.end];
    assert!(words.trim().len() > 10);
    assert!(!file.contains(words.trim()), "{words}");
}

#[test]
fn blanking_keeps_bytes_and_lines() {
    assert_eq!(blank("a\nbé"), " \n   ");
    assert_eq!(blank("").len(), 0);
}

#[test]
fn encrypted_files_are_recognised() {
    assert!(is_encrypted(b"age-encryption.org/v1\n-> scrypt abc 18\n"));
    assert!(is_encrypted(
        b"\n-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n"
    ));
    assert!(!is_encrypted(b"{\"format\": \"framewise\"}"));
    assert!(!is_encrypted(b""));
}
