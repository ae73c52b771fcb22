//! Hand-made fixtures mimicking each tool's quirks, with the coded text expected for every
//! selection.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::archive::Archive;
use crate::SeqIds;

fn qdpx(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = Archive::new();
    for (name, data) in files {
        zip.add(name, data).unwrap();
    }
    zip.finish().unwrap()
}

fn coded(import: &RefiImport) -> Vec<String> {
    let p = &import.project;
    let mut out: Vec<String> = p
        .all_codings()
        .map(|c| p.coded_text(c).to_string())
        .collect();
    out.sort();
    out
}

const CODES: &str = r##"<CodeBook><Codes><Code guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Access" isCodable="true" color="#FF0000"/><Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="Cost" isCodable="false"/></Codes></CodeBook>"##;

fn selection(guid: u32, start: usize, end: usize, code: u32) -> String {
    format!(
        r#"<PlainTextSelection guid="bbbbbbbb-0000-4000-8000-{guid:012}" startPosition="{start}" endPosition="{end}"><Coding guid="cccccccc-0000-4000-8000-{guid:012}" creatingUser="DDDDDDDD-0000-4000-8000-000000000001"><CodeRef targetGUID="AAAAAAAA-0000-4000-8000-{code:012}"/></Coding></PlainTextSelection>"#
    )
}

fn project_xml(origin: &str, sources: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="Fixture" origin="{origin}"><Users><User guid="dddddddd-0000-4000-8000-000000000001" name="Kim"/></Users>{CODES}<Sources>{sources}</Sources><Sets/></Project>"#
    )
}

#[test]
fn nvivo_utf16_crlf_bom_internal_path() {
    // "Café 😀 access\r\nNext line costs" with a BOM; NVivo counts UTF-16 with CRLF as two.
    let text = "Café 😀 access\r\nNext line costs";
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    let u16pos = |needle: &str| {
        let b = text.find(needle).unwrap();
        let s = text[..b].encode_utf16().count();
        (s, s + needle.encode_utf16().count())
    };
    let (a1, a2) = u16pos("access");
    let (c1, c2) = u16pos("costs");
    let sources = format!(
        r#"<TextSource guid="{{EEEEEEEE-0000-4000-8000-000000000001}}" name="Interview 1" plainTextPath="internal://EEEEEEEE-0000-4000-8000-000000000001.txt">{}{}</TextSource><PDFSource guid="eeeeeeee-0000-4000-8000-000000000009" name="scan"/><TextSource guid="eeeeeeee-0000-4000-8000-000000000002" name="rich" richTextPath="internal://x.docx"/>"#,
        selection(1, a1, a2, 1),
        selection(2, c1, c2, 2)
    );
    let xml = project_xml("NVivo 14", &sources);
    let file = qdpx(&[
        ("nvivo export.qde", xml.as_bytes()),
        ("sources/eeeeeeee-0000-4000-8000-000000000001.txt", &bytes),
        ("sources/x.docx", b"PK"),
    ]);
    let got = import_qdpx(&file, &mut SeqIds::new(1), 0).unwrap();
    assert_eq!(coded(&got), vec!["access", "costs"]);
    assert_eq!(
        got.report.countings.get("Interview 1"),
        Some(&Counting::Utf16Raw)
    );
    assert_eq!(got.report.skipped_sources.get("PDF"), Some(&1));
    // Its .docx is not a Word document: skipped, with the reason among the problems.
    assert_eq!(
        got.report
            .skipped_sources
            .get("rich text (.docx) unreadable"),
        Some(&1)
    );
    assert!(got.report.unplaced.is_empty());
    let p = &got.project;
    assert_eq!(p.codes.len(), 2);
    assert_eq!(p.codes[0].color, "#ff0000");
    assert_eq!(
        p.codes[0].id.to_string(),
        "aaaaaaaa-0000-4000-8000-000000000001"
    );
    assert!(p.all_codings().all(|c| c.coder == "Kim"));
    assert!(!p.sources[0].text.contains('\r'));
}

#[test]
fn atlas_crlf_as_one_relative_path() {
    let text = "First answer\r\nSecond answer about access\r\n";
    let lf = crate::text::normalize_newlines(text);
    let cp = |needle: &str| {
        let b = lf.find(needle).unwrap();
        let s = lf[..b].chars().count();
        (s, s + needle.chars().count())
    };
    let (a1, a2) = cp("access");
    let (s1, s2) = cp("Second");
    let sources = format!(
        r#"<TextSource guid="eeeeeeee-0000-4000-8000-000000000001" name="A" plainTextPath="texts\a.txt">{}{}</TextSource>"#,
        selection(1, a1, a2, 1),
        selection(2, s1, s2, 1)
    );
    let xml = project_xml("ATLAS.ti Windows 23", &sources);
    let file = qdpx(&[
        ("project.qde", xml.as_bytes()),
        ("sources/texts/a.txt", text.as_bytes()),
    ]);
    let got = import_qdpx(&file, &mut SeqIds::new(1), 0).unwrap();
    assert_eq!(coded(&got), vec!["Second", "access"]);
    assert_eq!(got.report.countings.get("A"), Some(&Counting::CodePointsLf));
}

#[test]
fn qualcoder_code_points_inline_content_and_unplaced() {
    // Inline PlainTextContent, absolute path ignored; code points with CRLF as two.
    let text = "Ünïcode 😀 line\r\nsecond line";
    let cp = |needle: &str| {
        let b = text.find(needle).unwrap();
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    };
    let (a1, a2) = cp("second");
    let (b1, b2) = cp("line\r");
    let sources = format!(
        r#"<TextSource guid="eeeeeeee-0000-4000-8000-000000000001" name="Q" plainTextPath="C:\Users\x\q.txt"><PlainTextContent>{}</PlainTextContent>{}{}{}</TextSource>"#,
        text.replace('\r', "&#13;"),
        selection(1, a1, a2, 1),
        selection(2, b1, b2 - 1, 2),
        selection(3, 500, 510, 1)
    );
    let xml = project_xml("QualCoder 3.5", &sources);
    let got = import_qdpx(
        &qdpx(&[("project.qde", xml.as_bytes())]),
        &mut SeqIds::new(1),
        0,
    )
    .unwrap();
    assert_eq!(coded(&got), vec!["line", "second"]);
    assert_eq!(got.report.unplaced.len(), 1, "{:?}", got.report.unplaced);
    assert_eq!(
        got.report.countings.get("Q"),
        Some(&Counting::CodePointsRaw)
    );
}

#[test]
fn codebook_namespaces_and_guid_forms() {
    for ns in [
        "urn:QDA-XML:codebook:0:4",
        "urn:QDA-XML:codebook:1:0",
        "urn:QDA-XML:codebook:1.0",
    ] {
        let xml = format!(
            "\u{feff}<?xml version=\"1.0\"?><CodeBook xmlns=\"{ns}\"><Codes><Code guid=\"{{ABCDEF01-0000-4000-8000-000000000001}}\" name=\"A\" isCodable=\"true\"><Code guid=\"ABCDEF01-0000-4000-8000-000000000002\" name=\"B\" isCodable=\"true\"/></Code></Codes><Sets><Set guid=\"ABCDEF01-0000-4000-8000-000000000003\" name=\"S\"><MemberCode guid=\"abcdef01-0000-4000-8000-000000000002\"/></Set></Sets></CodeBook>"
        );
        let got = import_qdc(&xml, "cb", &mut SeqIds::new(1), 0).unwrap();
        let p = &got.project;
        assert_eq!(p.codes.len(), 2, "{ns}");
        assert_eq!(p.codes[1].parent, Some(p.codes[0].id));
        assert_eq!(p.sets[0].codes, vec![p.codes[1].id]);
    }
}

#[test]
fn foreign_cases_variables_and_notes() {
    // A MAXQDA-like project: inline text, notes on a source and a code, a case with typed
    // values and a source, a note reached only through a Link (counted as unattached).
    let xml = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="M" origin="MAXQDA 2022">
<CodeBook><Codes><Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Access" isCodable="true"><NoteRef targetGUID="99999999-0000-4000-8000-000000000002"/></Code></Codes></CodeBook>
<Variables><Variable guid="77777777-0000-4000-8000-000000000001" name="age" typeOfVariable="Integer"/><Variable guid="77777777-0000-4000-8000-000000000002" name="rural" typeOfVariable="Boolean"/><Variable guid="77777777-0000-4000-8000-000000000003" name="site" typeOfVariable="Text"/></Variables>
<Cases><Case guid="66666666-0000-4000-8000-000000000001" name="P01"><Description>case memo</Description><VariableValue><VariableRef targetGUID="77777777-0000-4000-8000-000000000001"/><IntegerValue>42</IntegerValue></VariableValue><VariableValue><VariableRef targetGUID="77777777-0000-4000-8000-000000000002"/><BooleanValue>true</BooleanValue></VariableValue><VariableValue><VariableRef targetGUID="77777777-0000-4000-8000-000000000003"/><TextValue>North &amp; East</TextValue></VariableValue><SourceRef targetGUID="eeeeeeee-0000-4000-8000-000000000001"/></Case></Cases>
<Sources><TextSource guid="eeeeeeee-0000-4000-8000-000000000001" name="P01 interview"><PlainTextContent>We talked about access to care.</PlainTextContent><PlainTextSelection guid="bbbbbbbb-0000-4000-8000-000000000001" startPosition="16" endPosition="22"><Coding guid="cccccccc-0000-4000-8000-000000000001"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000001"/></Coding></PlainTextSelection><Coding guid="cccccccc-0000-4000-8000-000000000002"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000001"/></Coding><NoteRef targetGUID="99999999-0000-4000-8000-000000000001"/></TextSource><AudioSource guid="eeeeeeee-0000-4000-8000-000000000002" name="rec"/><VideoSource guid="eeeeeeee-0000-4000-8000-000000000003" name="vid"/><PictureSource guid="eeeeeeee-0000-4000-8000-000000000004" name="pic"/></Sources>
<Notes><Note guid="99999999-0000-4000-8000-000000000001" name="n1"><PlainTextContent>source memo</PlainTextContent></Note><Note guid="99999999-0000-4000-8000-000000000002" name="n2"><PlainTextContent>code memo</PlainTextContent></Note><Note guid="99999999-0000-4000-8000-000000000003" name="n3"><PlainTextContent>linked</PlainTextContent></Note></Notes>
<Links><Link guid="88888888-0000-4000-8000-000000000001" originGUID="66666666-0000-4000-8000-000000000001"><NoteRef targetGUID="99999999-0000-4000-8000-000000000003"/></Link></Links>
<Sets/><Description>project memo</Description></Project>"##;
    let got = import_qdc(xml, "x", &mut SeqIds::new(1), 0).unwrap();
    let p = &got.project;
    // The selection, and a Coding directly in the source (the whole text).
    assert_eq!(
        coded(&got),
        vec!["We talked about access to care.", "access"]
    );
    assert_eq!(p.sources[0].memo, "source memo");
    assert_eq!(p.codes[0].memo, "code memo");
    assert_eq!(p.memo, "project memo");
    assert_eq!(got.report.unattached_notes, 1);
    for kind in ["audio", "video", "picture"] {
        assert_eq!(got.report.skipped_sources.get(kind), Some(&1), "{kind}");
    }
    let case = &p.cases[0];
    assert_eq!(case.memo, "case memo");
    assert_eq!(case.sources, vec![p.sources[0].id]);
    let values: Vec<String> = p
        .attributes
        .iter()
        .map(|a| {
            case.values
                .get(&a.id)
                .map(|v| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(values, ["42", "yes", "North & East"]);
}

#[test]
fn refuses_what_is_not_refi() {
    assert!(matches!(
        import_qdc("<html/>", "x", &mut SeqIds::new(1), 0),
        Err(RefiError::NotRefi { .. })
    ));
    let Err(RefiError::Xml(why)) = import_qdc("<CodeBook><Codes>", "x", &mut SeqIds::new(1), 0)
    else {
        panic!("a codebook cut short is refused");
    };
    assert_eq!(why, "the document ends before <Codes> is closed");
    let Err(RefiError::Xml(why)) = import_qdc(
        "<Project xmlns=\"urn:QDA-XML:project:1.0\"><CodeBook></Project>",
        "x",
        &mut SeqIds::new(1),
        0,
    ) else {
        panic!("mismatched end tags are refused");
    };
    assert!(why.starts_with("not well-formed XML at byte"), "{why}");
    assert!(matches!(
        import_qdpx(b"not a zip", &mut SeqIds::new(1), 0),
        Err(RefiError::Zip(_))
    ));
    assert!(matches!(
        import_qdpx(&qdpx(&[("readme.txt", b"hi")]), &mut SeqIds::new(1), 0),
        Err(RefiError::NoProject)
    ));
    let deep = format!(
        "<CodeBook><Codes>{}</Codes></CodeBook>",
        "<Code guid=\"x\" name=\"n\" isCodable=\"true\">".repeat(1000)
    );
    assert!(import_qdc(&deep, "x", &mut SeqIds::new(1), 0).is_err());
}

/// A minimal Word document: one paragraph per line.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                super::xml::text(p)
            )
        })
        .collect();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    qdpx(&[
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        ("word/document.xml", document.as_bytes()),
    ])
}

#[test]
fn nvivo_rich_text_docx_beside_an_empty_plain_text() {
    // NVivo writes a .docx (richTextPath) beside the plain text; here, as in real NVivo
    // exports of Word sources, the plain text is only a line break, so the text comes from the
    // .docx. NVivo counts UTF-16 units: the emoji in the first line is two.
    let lines = [
        "Interviewer: Wie war der Zugang? 😀",
        "P01: Der Zugang war schwierig & die Kosten hoch.",
        "Interviewer: Und dann?",
        "P01: Dann ging es.",
    ];
    let lf = lines.join("\n");
    let u16pos = |needle: &str, from: usize| {
        let b = lf[from..].find(needle).unwrap() + from;
        let s = lf[..b].encode_utf16().count();
        (s, s + needle.encode_utf16().count())
    };
    let second_line = lf.find("P01").unwrap();
    let (z1, z2) = u16pos("Zugang", second_line);
    let (k1, k2) = u16pos("Kosten hoch", 0);
    let (w1, w2) = u16pos("Wie war", 0);
    let sources = format!(
        r#"<TextSource guid="d097e6fd-7671-4d95-a8b6-7795fa4a72e1" name="P01 (Word)" plainTextPath="internal://d097e6fd-7671-4d95-a8b6-7795fa4a72e1.txt" richTextPath="internal://d097e6fd-7671-4d95-a8b6-7795fa4a72e1.docx">{}{}{}</TextSource><TextSource guid="e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4" name="empty" plainTextPath="internal://e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4.txt" richTextPath="internal://e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4.docx"/><TextSource guid="e65f5ee2-9a55-47f1-bb0b-4921d8ce15c5" name="broken" richTextPath="internal://broken.docx"/><TextSource guid="e65f5ee2-9a55-47f1-bb0b-4921d8ce15c6" name="gone" richTextPath="internal://gone.docx"/>"#,
        selection(1, z1, z2, 1),
        selection(2, k1, k2, 2),
        selection(3, w1, w2, 1),
    );
    let xml = project_xml("NVivo for Mac 15.0.0", &sources);
    let word = docx(&lines);
    let file = qdpx(&[
        ("project.qde", xml.as_bytes()),
        ("sources/d097e6fd-7671-4d95-a8b6-7795fa4a72e1.txt", b"\n"),
        ("sources/d097e6fd-7671-4d95-a8b6-7795fa4a72e1.docx", &word),
        ("sources/e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4.txt", b"\n"),
        (
            "sources/e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4.docx",
            &docx(&[""]),
        ),
        ("sources/broken.docx", b"PK\x03\x04 not really a document"),
    ]);
    let got = import_qdpx(&file, &mut SeqIds::new(1), 0).unwrap();
    assert_eq!(coded(&got), vec!["Kosten hoch", "Wie war", "Zugang"]);
    assert!(got.report.unplaced.is_empty(), "{:?}", got.report.unplaced);
    assert_eq!(got.report.rich_text_sources, 1);
    let p = &got.project;
    assert_eq!(p.sources.len(), 1);
    assert_eq!(&*p.sources[0].text, lf.as_str());
    // The one "Zugang" coded is the participant's, not the interviewer's.
    let coding = p
        .all_codings()
        .find(|c| p.coded_text(c) == "Zugang")
        .unwrap();
    assert!(coding.span.start > second_line);
    // Turns are detected in the Word text as in any text without a sidecar.
    let speakers: Vec<_> = p.sources[0]
        .turns
        .iter()
        .map(|t| t.speaker.as_deref())
        .collect();
    assert_eq!(
        speakers,
        [
            Some("Interviewer"),
            Some("P01"),
            Some("Interviewer"),
            Some("P01")
        ]
    );
    let skipped = &got.report.skipped_sources;
    assert_eq!(skipped.get("text source without text"), Some(&1));
    assert_eq!(skipped.get("rich text (.docx) unreadable"), Some(&1));
    assert_eq!(skipped.get("rich text (.docx) missing"), Some(&1));
    assert_eq!(got.report.problems.len(), 1, "{:?}", got.report.problems);
    assert!(got.report.problems[0].starts_with("broken: its rich text (.docx) could not be read"));
}

#[test]
fn maxqda_absolute_paths_and_utf16_sources() {
    // Absolute plainTextPath values (a Windows path, a file:/// URL) found by file name; a
    // UTF-16 LE file with BOM and CRLF; MAXQDA counts code points of the text with CRLF as one.
    let text = "Zeile eins: Zugang 😀\r\nZeile zwei: Kosten";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let lf = crate::text::normalize_newlines(text);
    let cp = |needle: &str| {
        let b = lf.find(needle).unwrap();
        let s = lf[..b].chars().count();
        (s, s + needle.chars().count())
    };
    let (a1, a2) = cp("Zugang");
    let (k1, k2) = cp("Kosten");
    let (e1, e2) = cp("eins");
    let sources = format!(
        r#"<TextSource guid="eeeeeeee-0000-4000-8000-000000000001" name="Windows" plainTextPath="C:\Users\kim\Documents\MAXQDA\Export\sources\interview-1.txt">{}{}</TextSource><TextSource guid="eeeeeeee-0000-4000-8000-000000000002" name="URL" plainTextPath="file:///Users/kim/Export/sources/interview-2.txt">{}</TextSource>"#,
        selection(1, a1, a2, 1),
        selection(2, k1, k2, 2),
        selection(3, e1, e2, 1),
    );
    let xml = project_xml("MAXQDA 2022 (Release 22.7.0)", &sources);
    let file = qdpx(&[
        ("project.qde", xml.as_bytes()),
        ("sources/interview-1.txt", &utf16),
        ("sources/interview-2.txt", text.as_bytes()),
    ]);
    let got = import_qdpx(&file, &mut SeqIds::new(1), 0).unwrap();
    assert_eq!(coded(&got), vec!["Kosten", "Zugang", "eins"]);
    assert!(got.report.unplaced.is_empty(), "{:?}", got.report.unplaced);
    assert_eq!(
        got.report.countings.get("Windows"),
        Some(&Counting::CodePointsLf)
    );
    assert_eq!(got.project.sources.len(), 2);
    assert!(got.project.sources.iter().all(|s| *s.text == *lf));
}

#[test]
fn sidecars_of_version_one_and_turns_that_do_not_fit() {
    // A version-1 sidecar (before speaker turns travelled): the turns detected in the text
    // stay. A sidecar whose turns do not fit the text: detected again, with a problem.
    let text =
        "Interviewer: How did it start?\nP03: With a letter.\nInterviewer: And then?\nP03: A call.";
    let sources = format!(
        r#"<TextSource guid="eeeeeeee-0000-4000-8000-000000000001" name="S"><PlainTextContent>{text}</PlainTextContent>{}</TextSource>"#,
        selection(
            1,
            text.find("letter").unwrap(),
            text.find("letter").unwrap() + 6,
            1
        )
    );
    let xml = project_xml("Framewise", &sources);
    let v1 = r#"{"format":"framewise-refi-sidecar","version":1,"sources":{"eeeeeeee-0000-4000-8000-000000000001":{"kind":"interview","file_name":"s.txt"}}}"#;
    let bad = r#"{"format":"framewise-refi-sidecar","version":2,"sources":{"eeeeeeee-0000-4000-8000-000000000001":{"kind":"interview","file_name":null,"turns":[{"speaker":"X","span":{"start":0,"end":900}}]}},"cases":{},"pseudonyms":[{"real":"Kim","pseudonym":"P1"}]}"#;
    for (side, problems) in [(v1, 0), (bad, 1)] {
        let file = qdpx(&[
            ("project.qde", xml.as_bytes()),
            (SIDECAR_PATH, side.as_bytes()),
        ]);
        let got = import_qdpx(&file, &mut SeqIds::new(1), 0).unwrap();
        assert!(got.report.sidecar);
        assert_eq!(coded(&got), vec!["letter"]);
        assert_eq!(
            got.report.problems.len(),
            problems,
            "{:?}",
            got.report.problems
        );
        let s = &got.project.sources[0];
        assert_eq!(s.turns, crate::import::detect_turns(text));
        assert_eq!(s.turns.len(), 4);
    }
    let file = qdpx(&[
        ("project.qde", xml.as_bytes()),
        (SIDECAR_PATH, bad.as_bytes()),
    ]);
    let got = import_qdpx(&file, &mut SeqIds::new(1), 0).unwrap();
    assert_eq!(got.report.pseudonyms, 1);
    assert_eq!(got.project.pseudonyms[0].pseudonym, "P1");
}

#[test]
fn refuses_zips_the_zip_crate_would_panic_on() {
    // A local header with an extended-timestamp extra field of length 0 (found by fuzzing).
    let mut bytes = qdpx(&[("project.qde", b"<Project/>")]);
    // Give the first local header an extra field: id 0x5455, length 0.
    let name_len = usize::from(u16::from_le_bytes([bytes[26], bytes[27]]));
    bytes[28] = 4;
    bytes.splice(30 + name_len..30 + name_len, [0x55, 0x54, 0, 0]);
    let err = import_qdpx(&bytes, &mut SeqIds::new(1), 0).unwrap_err();
    assert!(err.to_string().contains("empty timestamp"), "{err}");
}
