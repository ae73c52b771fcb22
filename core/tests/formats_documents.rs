//! The document formats .rtf, .html and .pdf (features `formats` and `pdf`), on files LibreOffice
//! made from the real corpus samples and on hand-written hostile or broken files (see
//! tests/fixtures/formats/ATTRIBUTION.md and tests/fixtures/formats/make.sh).
#![allow(clippy::unwrap_used)]

use framewise_core::import::{detect_turns, import_file, supported_extensions, ImportError};
use std::path::PathBuf;

fn documents(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats/documents"
        ))
        .join(name),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn text_of(name: &str) -> String {
    import_file(name, &documents(name))
        .unwrap_or_else(|e| panic!("{name} was refused: {e}"))
        .text
}

fn corpus_text(path: &str) -> String {
    let path =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")).join(path);
    let name = path.file_name().unwrap().to_str().unwrap().to_string();
    import_file(&name, &std::fs::read(&path).unwrap())
        .unwrap()
        .text
}

/// Words of a text, for comparing texts whose line breaks differ (PDF wraps lines).
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn extensions_are_supported() {
    for extension in [".rtf", ".html", ".htm", ".pdf"] {
        assert!(supported_extensions().contains(&extension), "{extension}");
    }
    // .htm goes to the HTML reader.
    let imported = import_file("Notes.HTM", b"<p>a</p><p>b</p>").unwrap();
    assert_eq!(imported.text, "a\nb");
    assert_eq!(imported.name, "Notes");
}

#[test]
fn test_file_greek_and_quotes_in_every_format() {
    for name in ["test_file.rtf", "test_file.html", "test_file.pdf"] {
        let text = text_of(name);
        assert!(text.contains("Αυτή είναι μια δοκιμή."), "{name}: {text}");
        assert!(text.contains("“double smart quotes”"), "{name}");
        assert!(text.contains("‘single smart quotes’"), "{name}");
        assert!(text.contains("It’s a test."), "{name}");
        assert!(text.contains("ellipsis: …"), "{name}");
        assert!(text.contains("‐, –, —"), "{name}");
        assert!(!text.contains('\u{fffd}'), "{name}");
    }
    // RTF and HTML keep one line per paragraph, exactly as the .docx reader gives them.
    let docx = corpus_text("word/test_file.docx");
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    assert_eq!(lines(&text_of("test_file.rtf")), lines(&docx));
    assert_eq!(lines(&text_of("test_file.html")), lines(&docx));
}

#[test]
fn id2_euro_amount_in_every_format() {
    let odt = corpus_text("word/ID2.odt");
    for name in ["ID2.rtf", "ID2.html", "ID2.pdf"] {
        let text = text_of(name);
        assert!(text.contains("The course cost €200.00"), "{name}: {text}");
        assert!(text.contains("Joe Bloggs"), "{name}");
        assert_eq!(words(&text), words(&odt), "{name}");
    }
}

#[test]
fn consultation_keeps_its_words_and_speakers() {
    let original = corpus_text("consultations/CAR0001.txt");
    let original_turns = detect_turns(&original);
    assert!(original_turns.len() > 50);
    for name in ["CAR0001.rtf", "CAR0001.html"] {
        let text = text_of(name);
        assert_eq!(words(&text), words(&original), "{name}");
        let turns = detect_turns(&text);
        assert_eq!(turns.len(), original_turns.len(), "{name}");
    }
}

#[test]
fn consultation_pdf_has_page_markers_and_turns() {
    let imported = import_file("CAR0001.pdf", &documents("CAR0001.pdf")).unwrap();
    let text = &imported.text;
    assert!(imported.notices.is_empty(), "{:?}", imported.notices);
    // Five pages: markers 2 to 5, each a line of its own between blank lines, in order.
    let markers: Vec<usize> = (2..=5)
        .map(|n| {
            text.find(&format!("\n\n[page {n}]\n\n"))
                .unwrap_or_else(|| panic!("no marker for page {n}"))
        })
        .collect();
    assert!(markers.windows(2).all(|w| w[0] < w[1]));
    assert!(!text.contains("[page 1]") && !text.contains("[page 6]"));
    // Without the markers, the words are the transcript's.
    let original = corpus_text("consultations/CAR0001.txt");
    let without: String = text
        .lines()
        .filter(|l| !(l.starts_with("[page ") && l.ends_with(']')))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(words(&without), words(&original));
    // The D: / P: speakers are found in the PDF's text like in the original.
    let turns = detect_turns(text);
    let speakers: std::collections::BTreeSet<&str> =
        turns.iter().filter_map(|t| t.speaker.as_deref()).collect();
    assert_eq!(speakers.into_iter().collect::<Vec<_>>(), ["D", "P"]);
    assert_eq!(turns.len(), detect_turns(&original).len());
    assert!(text[turns[0].span.start..turns[0].span.end].starts_with("What brought you in today?"));
}

#[test]
fn scanned_pdf_says_it_has_no_text_layer() {
    let error = import_file("scan.pdf", &documents("scanned.pdf")).unwrap_err();
    assert_eq!(error, ImportError::NoTextLayer);
    let message = error.to_string();
    assert!(message.starts_with("this PDF has no text layer (it may be a scanned image)"));
    assert!(message.contains("OCR"));
}

#[test]
fn damaged_files_are_errors_not_panics() {
    let truncated = import_file("t.pdf", &documents("truncated.pdf")).unwrap_err();
    assert!(
        matches!(
            truncated,
            ImportError::CorruptArchive {
                kind: "PDF (.pdf)",
                ..
            }
        ),
        "{truncated:?}"
    );
    assert!(truncated
        .to_string()
        .starts_with("this file is damaged or not a PDF"));
    // Not a PDF at all, an RTF that is not RTF.
    assert!(matches!(
        import_file("x.pdf", b"just text").unwrap_err(),
        ImportError::CorruptArchive { .. }
    ));
    assert!(matches!(
        import_file("x.rtf", b"just text").unwrap_err(),
        ImportError::Malformed(_)
    ));
    // Every prefix of the real files: text or an error, never a panic.
    for name in ["test_file.rtf", "test_file.html", "ID2.pdf"] {
        let bytes = documents(name);
        let extension = name.rsplit('.').next().unwrap();
        for cut in (0..bytes.len()).step_by(97) {
            let _ = import_file(&format!("x.{extension}"), &bytes[..cut]);
        }
    }
    // A truncated RTF keeps the text before the cut.
    let rtf = documents("test_file.rtf");
    let greek = "\\u956\\'3f\\u942\\'3f.".as_bytes();
    let end = rtf.windows(greek.len()).position(|w| w == greek).unwrap() + greek.len();
    let cut = import_file("x.rtf", &rtf[..end]).unwrap();
    assert!(cut.text.ends_with("Αυτή είναι μια δοκιμή."), "{}", cut.text);
    assert!(!cut.text.contains("special characters"));
}

#[test]
fn pdf_with_a_cyclic_page_tree_is_an_error_not_a_hang() {
    // Found by `cargo fuzz run pdf`: a page that is its own /Parent made pdf-extract loop forever
    // looking for an inherited /MediaBox.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/formats/fuzz_pdf_parent_cycle.pdf"
    ))
    .unwrap();
    let started = std::time::Instant::now();
    let error = import_file("cycle.pdf", &bytes).unwrap_err();
    assert!(
        matches!(error, ImportError::CorruptArchive { .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// Found by fuzzing: a page whose XObject is its own content stream (`/Im1 Do` drawing itself).
/// pdf-extract recursed until the stack overflowed, which aborts the process (no panic to
/// catch); the page is now refused before pdf-extract sees it.
#[test]
fn a_pdf_that_draws_itself_is_refused_not_a_stack_overflow() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/formats/fuzz_pdf_xobject_cycle.pdf"
    ))
    .unwrap();
    let error = import_file("cycle.pdf", &bytes).unwrap_err();
    assert!(
        matches!(error, ImportError::CorruptArchive { .. }),
        "{error:?}"
    );
    // Real PDFs with forms and images still read (the check only follows names drawn with Do).
    for name in ["test_file.pdf", "ID2.pdf", "CAR0001.pdf"] {
        assert!(import_file(name, &documents(name)).is_ok(), "{name}");
    }
}

#[test]
fn html_scripts_styles_and_remote_content_are_not_text() {
    let imported = import_file("hostile.html", &documents("hostile.html")).unwrap();
    let text = &imported.text;
    for absent in [
        "NOT TEXT",
        "INJECTED",
        "example.com",
        "alert",
        "background",
        "Not text",
    ] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
    // The declared windows-1252 is honoured without a notice.
    assert_eq!(imported.encoding, "Windows-1252");
    assert!(imported.notices.is_empty());
    assert_eq!(
        text,
        "Focus group 3\n\
         Moderator: Café or thé? “Either” & €5 — fine.\n\
         Name\tRole\n\
         Ana\tNurse (part time)\n\
         one\n\
         two\n\
         Participant\u{a0}2: Yes\n\
         definitely."
    );
    let turns = detect_turns(text);
    assert!(turns
        .iter()
        .any(|t| t.speaker.as_deref() == Some("Moderator")));
}

#[test]
fn rtf_tables_notes_and_skipped_destinations() {
    let text = text_of("table.rtf");
    assert!(!text.contains("NOT TEXT"), "{text}");
    assert!(!text.contains("89504e47"), "picture data in {text}");
    assert_eq!(
        text,
        "Interviewer: Café or thé? “Either”\u{a0}— fine.[1]\n\
         Name\tRole\n\
         Ana\tNurse (part time)\n\
         Participant 2: Yes definitely 😀.\n\
         \n\
         [1] Said laughing."
    );
}

/// A PDF with a page per entry of `contents` (its content stream, deflated; font F1 is
/// Helvetica), with a correct cross-reference table.
fn pdf_with_streams(contents: &[Vec<u8>]) -> Vec<u8> {
    use std::io::Write;
    let n = contents.len();
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 2 * i)).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    for (i, content) in contents.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 << \
                 /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents {} 0 R >>",
                4 + 2 * i
            )
            .into_bytes(),
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(content).unwrap();
        let data = z.finish().unwrap();
        let mut stream = format!(
            "<< /Length {} /Filter /FlateDecode >>\nstream\n",
            data.len()
        )
        .into_bytes();
        stream.extend_from_slice(&data);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// lopdf inflates compressed streams without a limit: a small PDF whose content stream expands
/// past the cap is refused before it is read, with a message; an ordinary one still reads.
#[test]
fn a_pdf_whose_stream_expands_past_the_cap_is_refused() {
    let text = b"BT /F1 12 Tf 72 712 Td (Hello from a small page) Tj ET".to_vec();
    let fine = pdf_with_streams(std::slice::from_ref(&text));
    import_file("fine.pdf", &fine).expect("an ordinary PDF still reads");

    let cap = framewise_core::import::pdf::MAX_STREAM_BYTES as usize;
    let bomb = pdf_with_streams(&[text, vec![b' '; cap + 1024]]);
    assert!(bomb.len() < 200_000, "small on disk: {} bytes", bomb.len());
    let error = import_file("bomb.pdf", &bomb).unwrap_err();
    assert!(matches!(error, ImportError::OverLimit(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "this file is over Framewise's limits: one of its compressed streams expands to more \
         than 64 MB; Framewise reads PDFs whose streams stay within that"
    );
}
