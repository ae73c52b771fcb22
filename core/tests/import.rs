//! Importing `.txt` and `.md` files: encodings, line endings, refusals, on real corpus files.
#![allow(clippy::unwrap_used)]

use framewise_core::import::{
    find_duplicate, guess_kind, import_file, supported_extensions, to_source, ImportError,
    MAX_FILE_BYTES,
};
use framewise_core::{apply, Action, IdSource, Project, SeqIds, SourceKind};
use std::path::PathBuf;

fn corpus(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")).join(path)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name))
        .unwrap()
}

fn import_corpus(path: &str) -> framewise_core::import::ImportedText {
    let bytes = std::fs::read(corpus(path)).unwrap();
    let name = path.rsplit('/').next().unwrap();
    import_file(name, &bytes).unwrap()
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let bom: [u8; 2] = if big_endian {
        [0xfe, 0xff]
    } else {
        [0xff, 0xfe]
    };
    bom.into_iter()
        .chain(text.encode_utf16().flat_map(move |u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        }))
        .collect()
}

#[test]
fn utf16_le_consultation_res0002() {
    let imported = import_corpus("consultations/RES0002.txt");
    assert_eq!(imported.encoding, "UTF-16 LE");
    assert_eq!(imported.name, "RES0002");
    assert_eq!(imported.file_name, "RES0002.txt");
    assert!(
        imported
            .text
            .starts_with("D: Could you tell me what brought you in today?"),
        "{:?}",
        &imported.text[..60]
    );
    assert!(imported
        .text
        .contains("\nP: Sure um so my my son. He's 2 1/2 months old"));
    assert!(imported
        .text
        .contains("\nD: OK, uh, so the first thing here"));
    assert!(!imported.text.contains('\r'));
    assert!(!imported.text.starts_with('\u{feff}'));
    assert!(imported.notices.is_empty());
}

#[test]
fn utf16_le_consultation_res0054() {
    let imported = import_corpus("consultations/RES0054.txt");
    assert_eq!(imported.encoding, "UTF-16 LE");
    assert!(imported
        .text
        .starts_with("D: What brings you in?\n\nP: Hi, uhm, I've just been"));
    assert!(imported.text.contains("\nP: "));
    assert!(imported.text.contains("\nD: "));
    assert!(!imported.text.contains('\r'));
}

#[test]
fn mixed_crlf_and_lf_become_lf() {
    let bytes = fixture("consultation_CAR0002_mixed_eol.txt");
    // The fixture really mixes both kinds of line end.
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    let lf = bytes.iter().filter(|b| **b == b'\n').count();
    assert!(
        crlf > 0 && lf > crlf,
        "fixture should mix CRLF ({crlf}) and LF ({lf})"
    );
    let imported = import_file("CAR0002.txt", &bytes).unwrap();
    assert!(!imported.text.contains('\r'));
    // Every line end survives as exactly one LF.
    assert_eq!(imported.text.matches('\n').count(), lf);
    assert_eq!(imported.text.len(), bytes.len() - crlf);
    assert!(imported
        .text
        .starts_with("D: What brings you in here today?\n\nP: Yeah"));
}

#[test]
fn every_consultation_imports() {
    let dir = corpus("consultations");
    let mut count = 0;
    let mut encodings = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let imported =
            import_file(&name, &bytes).unwrap_or_else(|e| panic!("{name} was refused: {e}"));
        assert!(!imported.text.contains('\r'), "{name} still has CR");
        assert!(imported.text.contains("D:"), "{name} has no doctor turn");
        assert!(imported.text.contains("P:"), "{name} has no patient turn");
        assert_eq!(
            guess_kind(&name, &imported.text),
            SourceKind::Interview,
            "{name}"
        );
        encodings.insert(imported.encoding);
        count += 1;
    }
    assert_eq!(count, 272);
    assert!(encodings.contains("UTF-8") && encodings.contains("UTF-16 LE"));
}

#[test]
fn long_apollo_transcript_imports() {
    let imported = import_corpus("long/apollo13_air_to_ground.txt");
    // 1.27 MB less the 11,000 time-only lines that became margin times (issue 9).
    assert!(imported.text.len() > 1_000_000, "{}", imported.text.len());
    assert!(imported
        .text
        .starts_with("[-00:00:00:10]\nLCC: 10, 9, 8, 7, 6, --"));
    assert!(imported.text.contains("\nCDR: The clock is running."));
}

#[test]
fn binary_files_are_refused_with_a_reason() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10".to_vec();
    let err = import_file("photo.txt", &png).unwrap_err();
    assert!(matches!(err, ImportError::Binary(_)));
    assert!(err.to_string().contains("PNG image"), "{err}");

    let zip = fixture("qualcoder_ID1.docx");
    let err = import_file("ID1.txt", &zip).unwrap_err();
    assert!(err.to_string().contains("ZIP archive"), "{err}");

    let err = import_file("a.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap_err();
    assert!(err.to_string().contains("PDF"), "{err}");

    let err = import_file("prog.txt", b"\x7fELF\x02\x01\x01").unwrap_err();
    assert!(err.to_string().contains("ELF"), "{err}");

    // NUL bytes without a known magic number.
    let err = import_file("data.txt", b"hello\x00world").unwrap_err();
    assert_eq!(
        err.to_string(),
        "this looks like a binary file (it contains NUL bytes), not text"
    );

    // Mostly control characters.
    let noise: Vec<u8> = (0..400u32).map(|i| (i % 31 + 1) as u8).collect();
    let err = import_file("noise.txt", &noise).unwrap_err();
    assert!(err.to_string().contains("control characters"), "{err}");
}

#[test]
fn utf16_be_with_bom() {
    let bytes = utf16("I: Où étiez-vous ?\r\nR: À l'hôpital 🏥.\r", true);
    let imported = import_file("entretien.TXT", &bytes).unwrap();
    assert_eq!(imported.encoding, "UTF-16 BE");
    assert_eq!(imported.text, "I: Où étiez-vous ?\nR: À l'hôpital 🏥.\n");
}

#[test]
fn utf16_le_built_in_memory() {
    let bytes = utf16("漢字 and 😀\n", false);
    let imported = import_file("x.txt", &bytes).unwrap();
    assert_eq!(imported.encoding, "UTF-16 LE");
    assert_eq!(imported.text, "漢字 and 😀\n");
}

#[test]
fn utf8_bom_is_stripped() {
    let imported = import_file("notes.md", "\u{feff}# Heading\r\n\r\n*Café*".as_bytes()).unwrap();
    assert_eq!(imported.encoding, "UTF-8 with BOM");
    assert_eq!(imported.text, "# Heading\n\n*Café*");
    let plain = import_file("notes.md", "# Heading".as_bytes()).unwrap();
    assert_eq!(plain.encoding, "UTF-8");
}

#[test]
fn markdown_is_kept_verbatim() {
    let md = "# Title\n\n- **bold** [link](http://example.org)\n";
    let imported = import_file("Guide.MD", md.as_bytes()).unwrap();
    assert_eq!(imported.text, md);
    assert_eq!(imported.name, "Guide");
}

#[test]
fn empty_and_whitespace_files_are_refused() {
    for bytes in [&b""[..], b"   \r\n\t\n", b"\xef\xbb\xbf", b"\xff\xfe"] {
        let err = import_file("empty.txt", bytes).unwrap_err();
        assert_eq!(err, ImportError::NoText, "{bytes:?}");
        assert!(err.to_string().contains("no text"));
    }
}

#[test]
fn oversize_is_refused_with_the_limit() {
    let bytes = vec![b'a'; MAX_FILE_BYTES + 1];
    let err = import_file("huge.txt", &bytes).unwrap_err();
    assert_eq!(
        err,
        ImportError::TooLarge {
            bytes: MAX_FILE_BYTES + 1
        }
    );
    assert!(err.to_string().contains("50 MiB"), "{err}");
    // Exactly the limit is accepted.
    let bytes = vec![b'a'; MAX_FILE_BYTES];
    assert_eq!(
        import_file("big.txt", &bytes).unwrap().text.len(),
        MAX_FILE_BYTES
    );
}

#[test]
fn invalid_utf8_is_read_as_windows_1252() {
    // "café" in Windows-1252: read with the Windows-1252 fallback and a notice.
    let imported = import_file("latin.txt", b"caf\xe9 au lait").unwrap();
    assert_eq!(imported.text, "caf\u{e9} au lait");
    assert_eq!(imported.encoding, "Windows-1252");
    assert!(imported.notices[0].contains("read as Windows-1252"));
    // A file that claims UTF-8 with a BOM is still refused.
    let err = import_file("latin.txt", b"\xef\xbb\xbfcaf\xe9").unwrap_err();
    assert_eq!(err, ImportError::InvalidUtf8 { offset: 6 });
    assert!(err.to_string().contains("UTF-8"));
}

#[test]
fn unsupported_extensions_are_refused() {
    // The tests enable the `formats` feature (.docx etc.), so use an extension no format claims.
    let err = import_file("ID1.pages", &fixture("qualcoder_ID1.docx")).unwrap_err();
    assert_eq!(
        err,
        ImportError::UnsupportedFormat {
            extension: ".pages".into()
        }
    );
    assert!(err.to_string().contains(".txt"), "{err}");
    let err = import_file("README", b"hello").unwrap_err();
    assert!(err.to_string().contains("no extension"), "{err}");
    assert_eq!(
        supported_extensions().get(..4),
        Some(&[".txt", ".text", ".md", ".markdown"][..])
    );
}

#[test]
fn directories_are_dropped_from_names() {
    let imported = import_file("C:\\Users\\me\\Interview 3.final.txt", b"hi").unwrap();
    assert_eq!(imported.file_name, "Interview 3.final.txt");
    assert_eq!(imported.name, "Interview 3.final");
}

#[test]
fn to_source_then_duplicate_detection() {
    let mut ids = SeqIds::new(7);
    let project = Project::new(ids.project_id(), "P", 0);
    let imported = import_corpus("consultations/RES0002.txt");
    let source = to_source(&imported, ids.source_id(), SourceKind::Interview, 1234);
    assert_eq!(source.name, "RES0002");
    assert_eq!(source.file_name.as_deref(), Some("RES0002.txt"));
    assert_eq!(&*source.text, imported.text.as_str());
    assert_eq!(source.imported, 1234);
    assert!(find_duplicate(&project, &imported.text).is_none());
    let project = apply(
        &project,
        Action::AddSources {
            sources: vec![source.clone()],
        },
    )
    .unwrap();
    assert_eq!(
        find_duplicate(&project, &imported.text).map(|s| s.id),
        Some(source.id)
    );
    // Same length, different text: not a duplicate.
    let mut other = imported.text.clone().into_bytes();
    other[5] = b'X';
    let other = String::from_utf8(other).unwrap();
    assert_eq!(other.len(), imported.text.len());
    assert!(find_duplicate(&project, &other).is_none());
}

#[test]
fn kinds_are_guessed_from_names_and_first_lines() {
    assert_eq!(
        guess_kind("site_visit_fieldnotes.txt", "x"),
        SourceKind::FieldNotes
    );
    assert_eq!(guess_kind("Observation 2.md", "x"), SourceKind::FieldNotes);
    assert_eq!(
        guess_kind("a.txt", "\n  Field notes, ward 3\nWe arrived"),
        SourceKind::FieldNotes
    );
    assert_eq!(guess_kind("Annual report.txt", "x"), SourceKind::Document);
    assert_eq!(
        guess_kind("interview_notes.txt", "x"),
        SourceKind::Interview
    );
    assert_eq!(
        guess_kind("P01.txt", "I: Hello\nR: Hi"),
        SourceKind::Interview
    );
}
