//! The `formats` feature (.docx, .odt, .vtt, .srt), speaker turns and the Windows-1252 fallback,
//! on the real samples of ../shared/corpus and small synthetic fixtures (see
//! tests/fixtures/formats/ATTRIBUTION.md). Also replays the committed fuzz corpus (fuzz/corpus).
#![allow(clippy::unwrap_used)]

use framewise_core::import::{detect_turns, import_file, ImportError, ImportedText, Turn};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn corpus(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")).join(path)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats"
        ))
        .join(name),
    )
    .unwrap()
}

fn import_corpus(path: &str) -> ImportedText {
    let bytes = std::fs::read(corpus(path)).unwrap();
    let name = path.rsplit('/').next().unwrap();
    import_file(name, &bytes).unwrap_or_else(|e| panic!("{path} was refused: {e}"))
}

fn said<'a>(text: &'a str, turn: &Turn) -> &'a str {
    text.get(turn.span.start..turn.span.end).unwrap()
}

fn speakers(turns: &[Turn]) -> Vec<&str> {
    turns
        .iter()
        .map(|t| t.speaker.as_deref().unwrap_or(""))
        .collect()
}

/// Spans are on char boundaries, in order, and do not overlap.
fn assert_spans_valid(text: &str, turns: &[Turn]) {
    let mut end = 0;
    for turn in turns {
        assert!(
            turn.span.start >= end && turn.span.start <= turn.span.end,
            "{turn:?}"
        );
        assert!(
            text.get(turn.span.start..turn.span.end).is_some(),
            "{turn:?}"
        );
        end = turn.span.end;
    }
    assert!(end <= text.len());
}

#[test]
fn teams_vtt_gives_two_turns_with_times() {
    let imported = import_corpus("formats/teams_timeframe.vtt");
    assert_eq!(imported.text, "There you go.\n\nWhy hello there, Yuri.");
    assert_eq!(
        speakers(&imported.turns),
        ["Yuri Bakulin", "Adrian Petrescu"]
    );
    assert_eq!(said(&imported.text, &imported.turns[0]), "There you go.");
    assert_eq!(
        said(&imported.text, &imported.turns[1]),
        "Why hello there, Yuri."
    );
    // `0:0:0.210` stamps.
    assert_eq!(imported.turns[0].start_ms, Some(0));
    assert_eq!(imported.turns[0].end_ms, Some(570));
    assert_eq!(imported.turns[1].start_ms, Some(210));
    assert_eq!(imported.turns[1].end_ms, Some(1130));
}

#[test]
fn zoom_vtt_text_has_no_cue_numbers_or_timestamps() {
    let imported = import_corpus("formats/caleob_PLC_Fishbowl_transcript.vtt");
    let text = &imported.text;
    assert!(!text.contains("-->"));
    assert!(!text.contains("00:0"));
    assert!(!text.contains("WEBVTT"));
    assert!(
        !text.contains("Caleob King:"),
        "speaker prefixes become turns"
    );
    assert!(
        !text
            .lines()
            .any(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_digit())),
        "a cue number is left in the text"
    );
    assert!(text.starts_with("Hello, everybody, I hope you're doing all right."));
    assert!(
        text.contains("\nThese next weeks, so watch for the recordings, they're gonna pop up.\n")
    );
    // 264 cues of one speaker: one turn from the first cue's start to the last cue's end.
    assert_eq!(speakers(&imported.turns), ["Caleob King"]);
    assert_eq!(imported.turns[0].start_ms, Some(4_160));
    assert_eq!(imported.turns[0].span.start, 0);
    assert_eq!(imported.turns[0].span.end, text.len());
    assert_eq!(text.lines().count(), 264);
}

#[test]
fn vtt_with_bom_has_no_header_or_bom() {
    let imported = import_corpus("formats/captions_with_bom.vtt");
    assert_eq!(imported.encoding, "UTF-8 with BOM");
    assert_eq!(
        imported.text,
        "Caption text #1\nCaption text #2\nCaption text #3\nCaption text #4"
    );
    assert_eq!(imported.turns.len(), 1);
    assert_eq!(imported.turns[0].speaker, None);
    assert_eq!(imported.turns[0].start_ms, Some(500));
    assert_eq!(imported.turns[0].end_ms, Some(21_580));
}

#[test]
fn youtube_rolling_captions_are_deduplicated() {
    let imported = import_corpus("formats/youtube_dl.vtt");
    assert_eq!(imported.text, "yeah\nwhat\nthis will happen is I'm telling");
    assert!(!imported.text.contains("align:"));
    assert!(!imported.text.contains("<c"));
    assert!(!imported.text.contains("Kind:"));
    assert_eq!(imported.turns[0].start_ms, Some(286_070));
    assert_eq!(imported.turns[0].end_ms, Some(305_069));
}

#[test]
fn zoom_saved_transcript_speakers() {
    let imported = import_corpus("formats/datadaveshin_zoom_saved_transcript_example.txt");
    assert_eq!(
        imported.turns,
        detect_turns(&imported.text),
        "plain text gets its turns from detect_turns on import"
    );
    let turns = imported.turns.clone();
    assert_spans_valid(&imported.text, &turns);
    let names: BTreeSet<&str> = speakers(&turns).into_iter().collect();
    assert_eq!(names, BTreeSet::from(["Janet Dough", "Johnny Doe"]));
    assert_eq!(turns.len(), 12);
    assert_eq!(said(&imported.text, &turns[0]), "How you doing?");
    assert_eq!(turns[0].start_ms, Some((11 * 3600 + 2 * 60 + 9) * 1000));
    assert_eq!(
        said(&imported.text, &turns[1]),
        "Hey, I'm Janet, how are you?"
    );
}

#[test]
fn word_documents_keep_scripts_and_smart_quotes() {
    let test_file = import_corpus("word/test_file.docx");
    assert!(test_file.text.contains("\nΑυτή είναι μια δοκιμή.\n"));
    assert!(test_file.text.contains("“double smart quotes”"));
    assert!(test_file.text.contains("‘single smart quotes’"));
    assert!(test_file.text.contains("It’s a test."));
    assert!(test_file.text.contains("ellipsis: …"));
    assert!(test_file.text.starts_with("This is a test."));
    let special = import_corpus("word/special.chars.docx");
    assert!(special.text.contains("“double smart quotes”"));
    assert!(special.text.contains("m-dash: ‐, –, —"));
    let id1 = import_corpus("word/ID1.docx");
    assert_eq!(id1.text.lines().count(), 3);
    assert!(id1.text.starts_with("I really like learning new things."));
    assert!(id1.text.ends_with("I'm happy to pay €200."));
}

#[test]
fn odt_joins_text_split_across_styled_spans() {
    let id2 = import_corpus("word/ID2.odt");
    assert!(id2
        .text
        .contains("The course cost €200.00 and I do not want to waste my money."));
    assert!(id2
        .text
        .contains("my father Joe Bloggs really encouraged me"));
    assert_eq!(id2.text.lines().count(), 3);
    assert_eq!(id2.encoding, "UTF-8");
}

#[test]
fn docx_structure_headings_lists_tables_footnotes() {
    let text = import_file("structure.docx", &fixture("structure.docx"))
        .unwrap()
        .text;
    assert_eq!(
        text,
        "Interview 3\n\
         Split across runs & “quotes”[1]\tafter tab\n\
         first item\n\
         second item\n\
         Name\tRole\n\
         Amira\tGP (partner)\n\
         日本語のテキスト — مرحبا\n\
         \n\
         [1] A footnote."
    );
}

#[test]
fn odt_structure_spaces_lists_tables_notes() {
    let text = import_file("structure.odt", &fixture("structure.odt"))
        .unwrap()
        .text;
    assert_eq!(
        text,
        "Field notes day 2\n\
         Two   spaces\ttab\n\
         break[1] end\n\
         item one\n\
         item two\n\
         a\tb\n\
         \n\
         [1] The note."
    );
    assert!(!text.contains("a comment"), "comments are not text");
}

#[test]
fn srt_merges_cues_per_speaker_and_keeps_other_text_verbatim() {
    let imported = import_file("sample.srt", &fixture("sample.srt")).unwrap();
    assert_eq!(
        imported.text,
        "How did it start?\nAnd then?\n\n{vocalsound} It began & it went on.\n_page : 8\nYes."
    );
    assert_eq!(speakers(&imported.turns), ["Interviewer", "P03"]);
    assert_eq!(imported.turns[0].start_ms, Some(1_600));
    assert_eq!(imported.turns[0].end_ms, Some(6_000));
    assert_eq!(imported.turns[1].start_ms, Some(6_500));
    assert_eq!(imported.turns[1].end_ms, Some(10_250));
    assert_eq!(
        said(&imported.text, &imported.turns[1]),
        "{vocalsound} It began & it went on.\n_page : 8\nYes."
    );
}

#[test]
fn every_consultation_has_doctor_and_patient_turns() {
    let mut count = 0;
    for entry in std::fs::read_dir(corpus("consultations")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let imported = import_file(&name, &std::fs::read(&path).unwrap()).unwrap();
        let turns = detect_turns(&imported.text);
        assert_spans_valid(&imported.text, &turns);
        let names: BTreeSet<&str> = speakers(&turns).into_iter().collect();
        assert_eq!(names, BTreeSet::from(["D", "P"]), "{name}");
        assert!(
            turns
                .iter()
                .all(|t| !said(&imported.text, t).starts_with("D:")
                    && !said(&imported.text, t).starts_with("P:")),
            "{name}: a turn swallowed the next label"
        );
        count += 1;
    }
    assert_eq!(count, 272);
    // RES0002 is UTF-16 LE with a BOM: its turns still start with the first answer.
    let res = import_corpus("consultations/RES0002.txt");
    let turns = detect_turns(&res.text);
    assert_eq!(turns[0].speaker.as_deref(), Some("D"));
    assert_eq!(turns[1].speaker.as_deref(), Some("P"));
}

#[test]
fn apollo_13_turns() {
    let imported = import_corpus("long/apollo13_air_to_ground.txt");
    let turns = imported.turns.clone();
    assert_spans_valid(&imported.text, &turns);
    assert!(turns.len() > 5_000, "{} turns", turns.len());
    let names: BTreeSet<&str> = speakers(&turns).into_iter().collect();
    assert!(names.contains("CDR") && names.contains("CC") && names.contains("LCC"));
    let first = &turns[0];
    assert_eq!(first.speaker.as_deref(), Some("LCC"));
    assert!(said(&imported.text, first).starts_with("10, 9, 8, 7, 6, --"));
    let clock = turns
        .iter()
        .find(|t| said(&imported.text, t) == "The clock is running.")
        .unwrap();
    assert_eq!(clock.speaker.as_deref(), Some("CDR"));
    // From the `[00:00:00:02]` line before it (days:hours:minutes:seconds).
    assert_eq!(clock.start_ms, Some(2_000));
    // `_page : 8` between the time and the turn belongs to no turn.
    assert!(turns
        .iter()
        .all(|t| !said(&imported.text, t).contains("_page : 8")));
    // Bare time lines like `[-00:00:00:10]` end a turn rather than joining it.
    assert!(turns
        .iter()
        .all(|t| !said(&imported.text, t).contains("\n[")));
    // Issue 9: a time line whose time a turn took is shown in the margin only, not also as
    // text; a negative time no turn can take stays.
    assert!(!imported.text.contains("[00:00:00:01]"));
    assert!(!imported.text.contains("[00:00:00:02]"));
    assert!(imported.text.starts_with("[-00:00:00:10]\nLCC: 10, 9, 8"));
    assert!(
        imported
            .notices
            .iter()
            .any(|n| n.contains("lines only giving the next turn's time")),
        "{:?}",
        imported.notices
    );
    // Indented continuation lines are not speakers.
    for false_speaker in [
        "FLIGHT DISPLAYS",
        "Panel 5",
        "Panel 3",
        "LIGHTING",
        "Comments",
    ] {
        assert!(
            !names.contains(false_speaker),
            "{false_speaker} is not a speaker"
        );
    }
    assert!(
        names.len() <= 16,
        "a handful of speakers, not headings: {names:?}"
    );
}

#[test]
fn broken_documents_are_refused_with_reasons() {
    let corrupt = import_file("a.docx", b"PK\x03\x04 this is not really a zip").unwrap_err();
    assert!(
        matches!(corrupt, ImportError::CorruptArchive { .. }),
        "{corrupt:?}"
    );
    assert!(corrupt
        .to_string()
        .contains("damaged or not a Word (.docx) document"));

    let not_zip = import_file("a.odt", b"just some text").unwrap_err();
    assert_eq!(
        not_zip,
        ImportError::CorruptArchive {
            kind: "OpenDocument (.odt)",
            reason: "it is not a ZIP archive".into()
        }
    );

    let whole = std::fs::read(corpus("word/test_file.docx")).unwrap();
    let truncated = import_file("t.docx", &whole[..whole.len() / 2]).unwrap_err();
    assert!(
        matches!(truncated, ImportError::CorruptArchive { .. }),
        "{truncated:?}"
    );

    let bomb = import_file("bomb.docx", &fixture("zip_bomb.docx")).unwrap_err();
    assert_eq!(
        bomb,
        ImportError::OverLimit("word/document.xml unpacks to more than 50 MiB".into())
    );
    assert!(bomb.to_string().contains("over Framewise's limits"));
    let total = import_file("bomb.odt", &fixture("zip_bomb_total.odt")).unwrap_err();
    assert_eq!(
        total,
        ImportError::OverLimit("the document unpacks to 225 MiB; at most 200 MiB are read".into())
    );

    let zipcrypto = import_file("e.docx", &fixture("zipcrypto_encrypted.docx")).unwrap_err();
    assert_eq!(zipcrypto, ImportError::Encrypted);
    let odt = import_file("e.odt", &fixture("encrypted.odt")).unwrap_err();
    assert_eq!(odt, ImportError::Encrypted);
    // A password-protected .docx is an OLE container with an EncryptionInfo stream.
    let mut ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    ole.extend(vec![0u8; 64]);
    ole.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(
        import_file("p.docx", &ole).unwrap_err(),
        ImportError::Encrypted
    );
    ole.truncate(8);
    assert!(import_file("old.docx", &ole)
        .unwrap_err()
        .to_string()
        .contains("Word 97-2003"));

    let xml = import_file("b.docx", &fixture("broken_xml.docx")).unwrap_err();
    assert!(xml.to_string().contains("not well-formed XML"), "{xml}");
    let missing = import_file("m.docx", &fixture("no_document_part.docx")).unwrap_err();
    assert!(
        missing.to_string().contains("it has no word/document.xml"),
        "{missing}"
    );

    // Found by fuzzing: an empty extended-timestamp field made the zip crate panic (overflow).
    let timestamp = import_file("f.docx", &fixture("fuzz_zip_empty_timestamp.docx")).unwrap_err();
    assert_eq!(
        timestamp,
        ImportError::CorruptArchive {
            kind: "Word (.docx)",
            reason: "broken ZIP archive: an empty timestamp field".into()
        }
    );

    let no_cues = import_file("x.vtt", b"WEBVTT\n\njust text\n").unwrap_err();
    assert!(matches!(no_cues, ImportError::Malformed(_)), "{no_cues:?}");
}

#[test]
fn windows_1252_subtitles_are_read_with_a_notice() {
    let imported = import_file(
        "w.srt",
        b"1\n00:00:01,000 --> 00:00:02,000\nCaf\xe9 \x93cr\xe8me\x94\n",
    )
    .unwrap();
    assert_eq!(imported.text, "Café “crème”");
    assert_eq!(imported.encoding, "Windows-1252");
    assert!(imported
        .notices
        .iter()
        .any(|n| n.contains("read as Windows-1252")));
}

/// Replays the committed fuzz corpus (fuzz/corpus/<target>/*) through the parsers: errors are
/// fine, panics are not; turns always have valid spans.
#[test]
fn fuzz_corpus_replays_without_panics() {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus"));
    let mut replayed = 0;
    for (target, extension) in [
        ("docx", "x.docx"),
        ("odt", "x.odt"),
        ("vtt", "x.vtt"),
        ("srt", "x.srt"),
        ("txt", "x.txt"),
        ("rtf", "x.rtf"),
        ("html", "x.html"),
        // pdf-extract's own panics are caught inside the importer (core/src/import/pdf.rs).
        ("pdf", "x.pdf"),
    ] {
        let dir = root.join(target);
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            if let Ok(imported) = import_file(extension, &bytes) {
                assert_spans_valid(&imported.text, &imported.turns);
                if target == "txt" {
                    assert_spans_valid(&imported.text, &detect_turns(&imported.text));
                }
            }
            files += 1;
        }
        assert!(files > 0, "no corpus for {target}");
        replayed += files;
    }
    assert!(replayed >= 10);
}

/// The corpora of the fuzz targets `codebook_csv`, `case_table_csv` and `project_file`, replayed
/// the way those targets run them (see fuzz/fuzz_targets/).
#[test]
fn fuzz_corpus_replays_csv_readers_and_the_project_file() {
    use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
    use framewise_core::{apply, Action, SeqIds};
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus"));
    let project = framewise_core::demo::demo_project(&mut SeqIds::new(1), 0);
    let mut read_ok = 0;
    for target in ["codebook_csv", "case_table_csv", "project_file"] {
        let dir = root.join(target);
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            files += 1;
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let ids = &mut SeqIds::new(10_000);
            match target {
                "codebook_csv" => {
                    if let Ok(read) =
                        framewise_core::codebook_csv::parse_codebook_csv(text, &project, ids, 0)
                    {
                        read_ok += 1;
                        let _ = apply(&project, Action::ImportCodes { codes: read.codes });
                    }
                }
                "case_table_csv" => {
                    if let Ok(read) =
                        framewise_core::cases::parse_case_table_csv(text, &project, ids, 0)
                    {
                        read_ok += 1;
                        let _ = apply(&project, read.action());
                    }
                }
                _ => {
                    if let Ok(loaded) = from_project_file(text) {
                        read_ok += 1;
                        let again = to_project_file(&loaded.project, &ProjectMeta::new(0));
                        assert_eq!(from_project_file(&again).unwrap().project, loaded.project);
                    }
                }
            }
        }
        assert!(files >= 3, "no corpus for {target}");
    }
    assert!(read_ok >= 6, "the seeds are mostly readable: {read_ok}");
}
