//! Runs the built `framewise` binary on real files and checks what it says, its exit status and
//! its stderr.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_framewise"))
        .args(args)
        .output()
        .unwrap()
}

fn shared() -> PathBuf {
    let near = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if near.exists() {
        near
    } else {
        PathBuf::from("/work/shared")
    }
}

fn corpus(rel: &str) -> String {
    let p = shared().join(rel);
    assert!(p.exists(), "missing test file {}", p.display());
    p.to_str().unwrap().to_string()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("framewise-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `inspect FILE --json`: exit 0, nothing on stderr, one JSON object on stdout.
fn inspect_json(file: &str) -> Value {
    let o = bin(&["inspect", file, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.is_object(), "{v}");
    v
}

/// The value of a `label  value` line of the table output.
fn field(table: &str, label: &str) -> Option<String> {
    table.lines().find_map(|l| {
        let rest = l.strip_prefix(label)?;
        rest.starts_with("  ").then(|| rest.trim().to_string())
    })
}

/// Speakers as (name, turns, characters).
fn speakers(v: &Value) -> Vec<(String, u64, u64)> {
    v["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["turns"].as_u64().unwrap(),
                s["characters"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn inspect_teams_vtt() {
    let file = corpus("corpus/formats/teams_timeframe.vtt");
    let v = inspect_json(&file);
    assert_eq!(v["type"], "source");
    assert_eq!(v["file"], "teams_timeframe.vtt");
    assert_eq!(v["encoding"], "UTF-8");
    assert_eq!(v["turns"], 2);
    // "There you go." and "Why hello there, Yuri." (the voice tags are not text).
    assert_eq!(
        speakers(&v),
        [
            ("Yuri Bakulin".to_string(), 1, 13),
            ("Adrian Petrescu".to_string(), 1, 22)
        ]
    );
    // 0:0:0.0 --> 0:0:0.570 and 0:0:0.210 --> 0:0:1.130
    assert_eq!(v["first_timestamp_ms"], 0);
    assert_eq!(v["last_timestamp_ms"], 1130);
    assert!(v["characters"].as_u64().unwrap() >= 13 + 22);
    let table = stdout(&bin(&["inspect", &file]));
    assert_eq!(field(&table, "turns").as_deref(), Some("2"), "{table}");
    assert_eq!(field(&table, "speakers").as_deref(), Some("2"), "{table}");
    assert_eq!(
        field(&table, "timestamps").as_deref(),
        Some("0:00:00 – 0:00:01.130"),
        "{table}"
    );
    assert!(
        table.lines().any(|l| l.contains("Adrian Petrescu")
            && l.contains("1 turn ")
            && l.contains("22 characters")),
        "{table}"
    );
}

#[test]
fn inspect_zoom_saved_transcript() {
    let file = corpus("corpus/formats/datadaveshin_zoom_saved_transcript_example.txt");
    let raw = std::fs::read_to_string(&file).unwrap();
    // Every `[Name] 11:02:09` header starts a turn.
    let headers: Vec<&str> = raw
        .lines()
        .filter(|l| l.starts_with('[') && l.contains("] "))
        .collect();
    let v = inspect_json(&file);
    assert_eq!(v["format"], "Plain text");
    assert_eq!(v["turns"].as_u64().unwrap() as usize, headers.len());
    let names: Vec<String> = speakers(&v).into_iter().map(|s| s.0).collect();
    assert_eq!(names, ["Johnny Doe", "Janet Dough"]);
    let johnny = headers
        .iter()
        .filter(|l| l.starts_with("[Johnny Doe]"))
        .count();
    assert_eq!(speakers(&v)[0].1 as usize, johnny);
    assert_eq!(v["first_timestamp_ms"], (11 * 3600 + 2 * 60 + 9) * 1000);
    assert_eq!(
        v["characters"].as_u64().unwrap() as usize,
        raw.chars().count()
    );
    // Characters are characters, not bytes: the file has "…".
    assert!(raw.len() > raw.chars().count());
}

#[test]
fn inspect_docx() {
    let file = corpus("corpus/word/test_file.docx");
    let v = inspect_json(&file);
    assert_eq!(v["encoding"], "UTF-8");
    assert!(v["format"].as_str().unwrap().contains("Word"), "{v}");
    // Seven non-empty paragraphs, one of them Greek; no speakers.
    assert_eq!(v["paragraphs"], 7);
    assert_eq!(v["turns"], 0);
    assert_eq!(speakers(&v).len(), 0);
    assert!(v["characters"].as_u64().unwrap() > 200);
    assert!(v["first_timestamp_ms"].is_null());
}

/// A one-page PDF with a text layer saying `text` (Helvetica, correct cross-reference table).
fn tiny_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

#[test]
fn inspect_pdf_text_layer() {
    let path = tmp("tiny.pdf");
    std::fs::write(&path, tiny_pdf("Interviewer: Hello there.")).unwrap();
    let v = inspect_json(path.to_str().unwrap());
    assert!(v["format"].as_str().unwrap().contains("PDF"), "{v}");
    assert_eq!(v["turns"], 1);
    assert_eq!(speakers(&v), [("Interviewer".to_string(), 1, 12)]);
}

#[test]
fn inspect_utf16_consultation() {
    let file = corpus("corpus/consultations/RES0002.txt");
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..2], b"\xff\xfe");
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap().replace("\r\n", "\n");
    // Every line is a turn; one is written "D:OK." without a space, which core's turn
    // detection (the app's) does not take for a label, so count both ways.
    let lines = |prefix: &str| text.lines().filter(|l| l.starts_with(prefix)).count() as u64;
    let (d, p) = (lines("D: "), lines("P: "));
    let (d_any, p_any) = (lines("D:"), lines("P:"));
    assert!(d > 10 && p > 10);
    let v = inspect_json(&file);
    assert_eq!(v["encoding"], "UTF-16 LE");
    assert_eq!(
        v["characters"].as_u64().unwrap() as usize,
        text.chars().count()
    );
    let s = speakers(&v);
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[0].0, "D");
    assert_eq!(s[1].0, "P");
    assert!((d..=d_any).contains(&s[0].1), "{s:?} {d} {d_any}");
    assert!((p..=p_any).contains(&s[1].1), "{s:?} {p} {p_any}");
    assert_eq!(v["turns"].as_u64().unwrap(), s[0].1 + s[1].1);
    assert_eq!(v["unattributed_turns"], 0);
    // Speakers' characters: what they said, without labels, within the whole text.
    let said = s[0].2 + s[1].2;
    assert!(said > 4000 && said < text.chars().count() as u64, "{said}");
    assert!(v["first_timestamp_ms"].is_null());
}

#[test]
fn inspect_nvivo_sample() {
    let path = corpus("refi/samples/nvivo-mac-15_codebook.qdpx");
    let v = inspect_json(&path);
    assert_eq!(v["type"], "project");
    assert_eq!(v["codes"], 262);
    assert_eq!(v["users"], 2);
    assert_eq!(v["sources"], 0);
    assert_eq!(v["codings"], 0);
    // Two sources without usable text (their label is core's wording, which may change).
    let skipped = v["skipped_sources"].as_object().unwrap();
    assert_eq!(
        skipped.values().map(|n| n.as_u64().unwrap()).sum::<u64>(),
        2
    );
    assert!(v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p.as_str().unwrap().contains("skipped")));
    let text = stdout(&bin(&["inspect", &path]));
    assert_eq!(field(&text, "codes").as_deref(), Some("262"), "{text}");
    assert_eq!(field(&text, "users").as_deref(), Some("2"), "{text}");
}

#[test]
fn inspect_atlas_codebook() {
    let v = inspect_json(&corpus("refi/samples/atlasti-win-9_codebook.qdc"));
    assert_eq!(v["codes"], 5);
    assert_eq!(v["sets"], 2);
    assert_eq!(v["sources"], 0);
    assert_eq!(v["cases"], 0);
    assert_eq!(v["broken_quote_references"], 0);
}

#[test]
fn convert_round_trip() {
    // The ATLAS.ti codebook -> our project file -> .qdpx -> .qdc, counts kept at every step.
    let qdc = corpus("refi/samples/atlasti-win-9_codebook.qdc");
    let ours = tmp("atlas.framewise.json");
    let qdpx = tmp("atlas.qdpx");
    let back = tmp("atlas-again.qdc");
    let ours = ours.to_str().unwrap();
    let qdpx = qdpx.to_str().unwrap();
    let back = back.to_str().unwrap();
    for (i, o) in [(qdc.as_str(), ours), (ours, qdpx), (qdpx, back)] {
        let out = bin(&["convert", i, o]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let v = inspect_json(o);
        assert_eq!(v["codes"], 5, "{o}");
        assert_eq!(v["sets"], 2, "{o}");
    }
    let again = std::fs::read_to_string(back).unwrap();
    assert!(again.contains("2ce89c66-c28d-473b-b5c4-6cf87d20ef04"));
}

#[test]
fn file_problems_exit_1_and_name_the_file() {
    let missing = bin(&["inspect", "/nonexistent/x.qdpx"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("cannot read /nonexistent/x.qdpx"));
    for (name, bytes, reason) in [
        ("junk.qdpx", &b"not a zip"[..], "not a readable .qdpx"),
        ("junk.docx", b"PK\x03\x04 broken", "damaged"),
        (
            "junk.pdf",
            b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n",
            "damaged",
        ),
        ("notpdf.pdf", b"hello", "does not start with %PDF-"),
        (
            "junk.framewise.json",
            b"{\"format\": \"framewise-proj",
            "not a JSON file",
        ),
        ("other.json", b"{\"a\": 1}", "not a Framewise project file"),
        ("binary.txt", b"\x00\x01\x02\x03\x00\x00\x7fELF", "binary"),
        ("empty.txt", b" \r\n\n ", "no text"),
        ("cueless.vtt", b"WEBVTT\n\nhello\n", "cannot be read"),
        ("slides.pages", b"hello", "cannot import .pages"),
    ] {
        let path = tmp(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.to_str().unwrap();
        for args in [vec!["inspect", path], vec!["inspect", path, "--json"]] {
            let out = bin(&args);
            assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
            assert!(out.stdout.is_empty(), "{name}");
            let err = stderr(&out);
            assert!(err.contains(path), "{name}: {err}");
            assert!(err.contains(reason), "{name}: {err}");
            assert!(!err.contains("panicked"), "{name}: {err}");
            assert!(!err.contains("internal error"), "{name}: {err}");
        }
    }
    // A .docx that made the zip crate panic (found by fuzzing; kept as a core fixture).
    let fuzzed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/formats/fuzz_zip_empty_timestamp.docx");
    let fuzzed = fuzzed.to_str().unwrap();
    let out = bin(&["inspect", fuzzed]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(fuzzed), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    let qdc = corpus("refi/samples/atlasti-win-9_codebook.qdc");
    let no_matrix = bin(&["export", "matrix", &qdc, "--matrix", "X", "--csv"]);
    assert_eq!(no_matrix.status.code(), Some(1));
    assert!(stderr(&no_matrix).contains("no matrix named “X”"));
    let unwritable = bin(&["convert", &qdc, "/nonexistent/dir/out.qdpx"]);
    assert_eq!(unwritable.status.code(), Some(1));
    assert!(stderr(&unwritable).contains("cannot write /nonexistent/dir/out.qdpx"));
}

#[test]
fn usage_errors_exit_2() {
    let qdc = corpus("refi/samples/atlasti-win-9_codebook.qdc");
    let cases: Vec<Vec<&str>> = vec![
        vec![],
        vec!["frobnicate"],
        vec!["inspect"],
        vec!["inspect", "a.txt", "b.txt"],
        vec!["inspect", &qdc, "--bogus"],
        vec!["convert", &qdc],
        vec!["convert", &qdc, "out.xyz"],
        vec!["export"],
        vec!["export", "codebook", &qdc],
        vec!["export", "matrix", &qdc, "--csv"],
        vec!["export", "matrix", &qdc, "--matrix", "X"],
        vec!["export", "matrix", &qdc, "--csv", "--matrix"],
        vec!["merge-codebook", &qdc],
        vec!["help", "nothing"],
    ];
    for args in cases {
        let out = bin(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with("framewise: "), "{args:?}: {err}");
        assert!(err.contains("usage") || err.contains("--help"), "{err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    assert!(!tmp("out.xyz").exists());
}

#[test]
fn help_for_each_command() {
    for (args, expect) in [
        (vec!["--help"], "usage: framewise COMMAND"),
        (vec!["help"], "usage: framewise COMMAND"),
        (
            vec!["inspect", "--help"],
            "usage: framewise inspect FILE [--json]",
        ),
        (
            vec!["help", "inspect"],
            "usage: framewise inspect FILE [--json]",
        ),
        (vec!["convert", "-h"], "usage: framewise convert IN OUT"),
        (vec!["export", "--help"], "usage: framewise export matrix"),
        (
            vec!["export", "matrix", "--help"],
            "usage: framewise export matrix",
        ),
        (
            vec!["merge-codebook", "--help"],
            "usage: framewise merge-codebook",
        ),
    ] {
        let out = bin(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            stdout(&out).starts_with(expect),
            "{args:?}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn demo_project_matrix_csv_and_qdpx_round_trip() {
    use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
    let project =
        framewise_core::demo::demo_project(&mut framewise_core::SeqIds::new(4), 1_700_000_000_000);
    let file = tmp("demo.framewise.json");
    std::fs::write(&file, to_project_file(&project, &ProjectMeta::new(0))).unwrap();
    let file = file.to_str().unwrap();
    let v = inspect_json(file);
    assert_eq!(v["sources"], project.sources.len());
    assert_eq!(v["codes"], project.codes.len());
    assert_eq!(v["codings"], project.coding_count());
    assert_eq!(v["cases"], project.cases.len());
    assert_eq!(v["attributes"], project.attributes.len());
    assert_eq!(v["matrices"], project.matrices.len());
    assert_eq!(v["sets"], project.sets.len());
    assert!(!project.matrices.is_empty() && project.coding_count() > 0);
    let matrix = project.matrices.first().unwrap();
    let out = bin(&[
        "export",
        "matrix",
        file,
        "--matrix",
        &matrix.name.to_uppercase(),
        "--csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        framewise_core::matrix::export_csv(&project, matrix)
    );
    // json -> qdpx -> json: the same project.
    let qdpx = tmp("demo.qdpx");
    let again = tmp("demo-again.framewise.json");
    let (qdpx, again) = (qdpx.to_str().unwrap(), again.to_str().unwrap());
    assert!(bin(&["convert", file, qdpx]).status.success());
    assert!(bin(&["convert", qdpx, again]).status.success());
    let loaded = from_project_file(&std::fs::read_to_string(again).unwrap()).unwrap();
    assert_eq!(loaded.project, project);
    let v = inspect_json(qdpx);
    assert_eq!(v["codings"], project.coding_count());
    assert_eq!(v["cases"], project.cases.len());
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
}

#[test]
fn broken_quote_references_are_problems() {
    use framewise_core::persist::{to_project_file, ProjectMeta};
    let project = framewise_core::demo::demo_project(&mut framewise_core::SeqIds::new(4), 0);
    let matrix = project.matrices.first().unwrap();
    let (case, code, summary) = {
        let row = matrix.cells.iter().next().unwrap();
        let (code, summary) = row.1.iter().next().unwrap();
        (*row.0, *code, summary.clone())
    };
    let gone = "[[quote:00000000-0000-4000-8000-000000000001]]";
    let also_gone = "[[quote:00000000-0000-4000-8000-000000000002]]";
    let name = matrix.name.clone();
    let action = framewise_core::Action::SetCellSummaries {
        matrix: matrix.id,
        summaries: vec![(case, code, format!("{summary} {gone} {also_gone}"))],
    };
    let project = framewise_core::apply(&project, action).unwrap();
    let file = tmp("broken.framewise.json");
    std::fs::write(&file, to_project_file(&project, &ProjectMeta::new(0))).unwrap();
    let v = inspect_json(file.to_str().unwrap());
    assert_eq!(v["broken_quote_references"], 2);
    let problems: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains(&name), "{problems:?}");
}

#[test]
fn merge_codebook_into_a_project() {
    use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
    let project = framewise_core::demo::demo_project(&mut framewise_core::SeqIds::new(4), 0);
    let file = tmp("merge-base.framewise.json");
    std::fs::write(&file, to_project_file(&project, &ProjectMeta::new(0))).unwrap();
    let qdc = corpus("refi/samples/atlasti-win-9_codebook.qdc");
    let out = tmp("merged.framewise.json");
    let o = bin(&[
        "merge-codebook",
        file.to_str().unwrap(),
        &qdc,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("new codes: 5"), "{text}");
    assert!(text.contains("  + code1.1"), "{text}");
    let merged = from_project_file(&std::fs::read_to_string(&out).unwrap())
        .unwrap()
        .project;
    assert_eq!(merged.codes.len(), project.codes.len() + 5);
    assert_eq!(merged.sets.len(), project.sets.len() + 2);
    // Merging the same codebook again adds nothing.
    let o = bin(&["merge-codebook", out.to_str().unwrap(), &qdc]);
    assert!(stdout(&o).contains("new codes: 0"), "{}", stdout(&o));
    assert!(stdout(&o).contains("matched by guid: 5"), "{}", stdout(&o));
}

/// The Teams subtitles of issue 14 as a project file: speakers "Yuri Bakulin" and "Adrian
/// Petrescu" are kept beside the text, and "Yuri" is also in the text.
fn teams_project(name: &str) -> String {
    use framewise_core::persist::{to_project_file, ProjectMeta};
    use framewise_core::*;
    let bytes = std::fs::read(corpus("corpus/formats/teams_timeframe.vtt")).unwrap();
    let imported = import::import_file("teams_timeframe.vtt", &bytes).unwrap();
    let mut ids = SeqIds::new(9);
    let project = Project::new(ids.project_id(), "Teams", 0);
    let source = import::to_source(&imported, ids.source_id(), SourceKind::Interview, 1);
    let project = apply(
        &project,
        Action::AddSources {
            sources: vec![source],
        },
    )
    .unwrap();
    let file = tmp(name);
    std::fs::write(&file, to_project_file(&project, &ProjectMeta::new(0))).unwrap();
    file.to_str().unwrap().to_string()
}

fn key_file(name: &str, csv: &str) -> String {
    let file = tmp(name);
    std::fs::write(&file, csv).unwrap();
    file.to_str().unwrap().to_string()
}

#[test]
fn inspect_names_lists_every_remaining_real_name_by_place_and_exits_1() {
    let project = teams_project("teams-inspect.framewise.json");
    let key = key_file("teams-key.csv", "real name,pseudonym\nYuri Bakulin,P1\n");
    let o = bin(&["inspect", &project, "--names", &key]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Speakers: 1 in 1 source (1 turn)"), "{text}");
    assert!(
        text.contains("speaker “Yuri Bakulin” in source “teams_timeframe”"),
        "{text}"
    );
    assert!(
        stderr(&o).contains("1 occurrence of real names"),
        "{}",
        stderr(&o)
    );
    // Not a name of the key: clean, exit 0.
    let other = key_file("other-key.csv", "Zyxwa Quorrell,P9\n");
    let o = bin(&["inspect", &project, "--names", &other]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("no real name"), "{}", stdout(&o));
    // A broken key names the file and the line.
    let bad = key_file("bad-key.csv", "Yuri\n");
    let o = bin(&["inspect", &project, "--names", &bad]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad-key.csv: line 1"), "{}", stderr(&o));
}

#[test]
fn pseudonymise_replaces_speakers_and_text_reports_and_leaves_the_key_out() {
    let project = teams_project("teams-pseudo.framewise.json");
    let key = key_file(
        "teams-key2.csv",
        "Yuri Bakulin,P1\nYuri,P1\nAdrian Petrescu,P2\n",
    );
    let outp = tmp("teams-pseudo-out.framewise.json");
    let outp = outp.to_str().unwrap();
    let o = bin(&["pseudonymise", &project, "--key", &key, "--out", outp]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(
        report.contains("Speakers: 2 in 1 source (2 turns)"),
        "{report}"
    );
    assert!(
        report.contains("Source text: 1 mention in 1 source"),
        "{report}"
    );
    assert!(report.contains("Not touched:"), "{report}");
    let written = std::fs::read_to_string(outp).unwrap();
    for name in ["Yuri", "Bakulin", "Adrian", "Petrescu"] {
        assert!(!written.contains(name), "{name} is still in {outp}");
    }
    assert!(written.contains("\"P1\"") && written.contains("\"P2\""));
    // The written file passes the check.
    let o = bin(&["inspect", outp, "--names", &key]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // With --include-key the key travels (and only the key names them).
    let with_key = tmp("teams-pseudo-key.qdpx");
    let with_key = with_key.to_str().unwrap();
    let o = bin(&[
        "pseudonymise",
        &project,
        "--key",
        &key,
        "--out",
        with_key,
        "--include-key",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = bin(&["inspect", with_key, "--names", &key]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("the pseudonymisation key carried in the file"),
        "{}",
        stdout(&o)
    );
    // Usage errors exit 2.
    let o = bin(&["pseudonymise", &project, "--out", outp]);
    assert_eq!(o.status.code(), Some(2));
    let o = bin(&["pseudonymise", &project, "--key", &key, "--out", "x.txt"]);
    assert_eq!(o.status.code(), Some(2));
}

/// A project coded by Ana and Ben (core/tests/agreement.rs's worked examples 1 and the segment
/// example's code Y): text "αβcdefghij", code X: Ana characters 0..6, Ben 2..8 (table 4/2/2/2,
/// Po = 0.6, κ = 1/6, α = 20/96); code Y: both code 8..10 (agree).
fn two_coder_project(name: &str) -> String {
    use framewise_core::persist::{to_project_file, ProjectMeta};
    use framewise_core::*;
    let mut ids = SeqIds::new(70);
    let mut p = Project::new(ids.project_id(), "Two coders", 0);
    let text = "αβcdefghij";
    let source = Source {
        id: ids.source_id(),
        name: "Interview 1".into(),
        kind: SourceKind::Interview,
        text: std::sync::Arc::from(text),
        memo: String::new(),
        imported: 0,
        file_name: None,
        turns: Vec::new(),
    };
    let sid = source.id;
    p = apply(
        &p,
        Action::AddSources {
            sources: vec![source],
        },
    )
    .unwrap();
    let mut codes = Vec::new();
    for name in ["X", "Y"] {
        let code = Code {
            id: ids.code_id(),
            name: name.into(),
            parent: None,
            color: "#0072b2".into(),
            description: String::new(),
            origin: CodeOrigin::Inductive,
            memo: String::new(),
            created: 0,
        };
        codes.push(code.id);
        p = apply(&p, Action::CreateCode { code }).unwrap();
    }
    let byte = |c: usize| text::char_to_byte(text, c).unwrap();
    let mut codings = Vec::new();
    for (coder, code, s, e) in [
        ("Ana", 0, 0, 6),
        ("Ben", 0, 2, 8),
        ("Ana", 1, 8, 10),
        ("Ben", 1, 8, 10),
    ] {
        codings.push(Coding {
            id: ids.coding_id(),
            source: sid,
            span: Span::new(byte(s), byte(e)),
            code: codes[code],
            coder: coder.into(),
            created: 0,
        });
    }
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    let file = tmp(name);
    std::fs::write(&file, to_project_file(&p, &ProjectMeta::new(0))).unwrap();
    file.to_str().unwrap().to_string()
}

#[test]
fn agreement_of_two_coders_as_table_and_json_from_a_project_file_and_a_qdpx() {
    let file = two_coder_project("agree.framewise.json");
    let qdpx = tmp("agree.qdpx");
    let qdpx = qdpx.to_str().unwrap();
    assert!(bin(&["convert", &file, qdpx]).status.success());
    for path in [file.as_str(), qdpx] {
        let o = bin(&["agreement", path, "--coders", "Ana,Ben"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let table = stdout(&o);
        // X: 60.0 %, κ = 1/6 = 0.167, α = 20/96 = 0.208, then the 2×2 table.
        let x = table.lines().find(|l| l.starts_with("X ")).unwrap();
        let cells: Vec<&str> = x.split_whitespace().collect();
        assert_eq!(
            cells,
            ["X", "60.0", "%", "0.167", "0.208", "4", "2", "2", "2"],
            "{table}"
        );
        assert!(table.contains("Ana only"), "{table}");
        assert!(table.contains("sources: 1 (10 characters)"), "{table}");
        // Overall pools X and Y over 20 units: both 4 + 2 = 6, Ana only 2, Ben only 2, neither
        // 2 + 8 = 10; Po = 16/20 = 80 %; p = 8/20 each, Pe = 0.16 + 0.36 = 0.52;
        // κ = 0.28/0.48 = 0.583.
        let overall = table.lines().find(|l| l.starts_with("Overall")).unwrap();
        let cells: Vec<&str> = overall.split_whitespace().collect();
        assert_eq!(&cells[..4], ["Overall", "80.0", "%", "0.583"], "{table}");

        let o = bin(&[
            "agreement",
            path,
            "--coders",
            "Ana,Ben",
            "--codes",
            "x",
            "--json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["rows"].as_array().unwrap().len(), 1);
        let kappa = v["rows"][0]["measures"]["kappa"].as_f64().unwrap();
        assert!((kappa - 1.0 / 6.0).abs() < 1e-9, "{v}");
        assert_eq!(v["rows"][0]["measures"]["table"]["both"], 4);
        assert_eq!(v["unit"], "Character");
    }
    // Segments: X's segments 0..6 and 2..8 overlap 4 characters, 4/6 = 67 % of each: unmatched
    // at 90 %, matched at 60 %. Y matched on both sides. 90 %: 2 of 4 = 50 %,
    // κ = (0.5 − 1/2)/(1 − 1/2) = 0; 60 %: 4 of 4, κ = 1.
    let o = bin(&[
        "agreement",
        &file,
        "--coders",
        "Ana,Ben",
        "--unit",
        "segment",
    ]);
    let table = stdout(&o);
    let overall: Vec<&str> = table
        .lines()
        .find(|l| l.starts_with("Overall"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(&overall[..4], ["Overall", "50.0", "%", "0.000"], "{table}");
    let o = bin(&[
        "agreement",
        &file,
        "--coders",
        "Ana,Ben",
        "--unit",
        "segment",
        "--min-overlap",
        "60",
    ]);
    let table = stdout(&o);
    let overall: Vec<&str> = table
        .lines()
        .find(|l| l.starts_with("Overall"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(&overall[..4], ["Overall", "100.0", "%", "1.000"], "{table}");
}

#[test]
fn agreement_errors() {
    let file = two_coder_project("agree-errors.framewise.json");
    let o = bin(&["agreement", &file, "--coders", "Ana,Bob"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no coding is by “Bob”; the coders in this project are “Ana”, “Ben”"),
        "{}",
        stderr(&o)
    );
    let o = bin(&["agreement", &file, "--coders", "Ana,Ben", "--codes", "Nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no code named “Nope”"),
        "{}",
        stderr(&o)
    );
    for args in [
        &["--coders", "Ana"][..],
        &["--coders", "Ana,Ben", "--unit", "word"],
        &["--coders", "Ana,Ben", "--min-overlap", "50"],
        &[
            "--coders",
            "Ana,Ben",
            "--unit",
            "segment",
            "--min-overlap",
            "0",
        ],
        &[],
    ] {
        let mut all = vec!["agreement", file.as_str()];
        all.extend_from_slice(args);
        let o = bin(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let o = bin(&["agreement", "--help"]);
    assert!(stdout(&o).contains("--min-overlap P"));
    // The real NVivo export is a codebook: no codings, so no coders.
    let o = bin(&[
        "agreement",
        &corpus("refi/samples/nvivo-mac-15_codebook.qdpx"),
        "--coders",
        "A,B",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("this project has no codings"),
        "{}",
        stderr(&o)
    );
}

/// Every saved-format version's committed project file (core/tests/fixtures/persist, one per
/// version 1..=CURRENT_VERSION) opens in the CLI with the same counts the library reads: a
/// version bump without a fixture fails here too.
#[test]
fn every_saved_format_version_opens_in_the_cli() {
    use framewise_core::persist::{from_project_file, CURRENT_VERSION};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/persist");
    for v in 1..=CURRENT_VERSION {
        let path = dir.join(format!("v{v}-project.framewise.json"));
        assert!(
            path.exists(),
            "format version {v} has no fixture {}",
            path.display()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let project = from_project_file(&text).unwrap().project;
        let shown = inspect_json(path.to_str().unwrap());
        assert_eq!(shown["name"], project.name.as_str(), "v{v}");
        assert_eq!(shown["sources"], project.sources.len(), "v{v}");
        assert_eq!(shown["codes"], project.codes.len(), "v{v}");
        assert_eq!(shown["codings"], project.coding_count(), "v{v}");
        assert_eq!(shown["cases"], project.cases.len(), "v{v}");
        assert!(project.coding_count() > 0, "v{v} fixture has codings");
        // And it converts to a current project file that reads back the same.
        let out = tmp(&format!("v{v}-again.framewise.json"));
        let o = bin(&["convert", path.to_str().unwrap(), out.to_str().unwrap()]);
        assert!(o.status.success(), "v{v}: {}", stderr(&o));
        let again = from_project_file(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(again.project, project, "v{v}");
    }
}

/// The demo project written as a project file and as a `.qdpx`.
fn demo_files(name: &str) -> (String, String) {
    use framewise_core::persist::{to_project_file, ProjectMeta};
    let project =
        framewise_core::demo::demo_project(&mut framewise_core::SeqIds::new(4), 1_700_000_000_000);
    let file = tmp(&format!("{name}.framewise.json"));
    std::fs::write(&file, to_project_file(&project, &ProjectMeta::new(0))).unwrap();
    let qdpx = tmp(&format!("{name}.qdpx"));
    let (file, qdpx) = (
        file.to_str().unwrap().to_string(),
        qdpx.to_str().unwrap().to_string(),
    );
    assert!(bin(&["convert", &file, &qdpx]).status.success());
    (file, qdpx)
}

#[test]
fn suggest_eval_prints_recall_and_precision_beside_a_random_ranking() {
    let (file, qdpx) = demo_files("suggest-eval");
    let o = bin(&["suggest-eval", &file, "--seed", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(
        table.contains("recall@20") && table.contains("random precision@20"),
        "{table}"
    );
    assert!(table.contains("Workforce > Burnout"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("Overall")), "{table}");
    // The same seed gives the same figures, from a project file or a .qdpx.
    assert_eq!(stdout(&bin(&["suggest-eval", &file, "--seed", "3"])), table);
    let json = |path: &str, seed: &str, unit: &str| -> Value {
        let o = bin(&[
            "suggest-eval",
            path,
            "--json",
            "--seed",
            seed,
            "--unit",
            unit,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let v = json(&file, "3", "paragraph");
    assert_eq!(v, json(&qdpx, "3", "paragraph"));
    assert_eq!(v["seed"], 3);
    assert_eq!(v["k"], 20);
    assert_eq!(v["unit"], "paragraph");
    let codes = v["codes"].as_array().unwrap();
    assert!(!codes.is_empty());
    let hidden: u64 = codes.iter().map(|c| c["hidden"].as_u64().unwrap()).sum();
    for c in codes {
        assert!(c["codings"].as_u64().unwrap() >= 5, "{c}");
        assert_eq!(c["hidden"], (c["codings"].as_u64().unwrap() / 5).max(1));
        assert!(c["model"]["suggested"].as_u64().unwrap() <= 20);
    }
    for ranking in ["model", "random"] {
        let m = &v[ranking];
        assert_eq!(
            m["recall"].as_f64().unwrap(),
            m["found"].as_u64().unwrap() as f64 / hidden as f64,
            "{ranking}"
        );
    }
    // Units change what is suggested; seeds change what is hidden.
    let sentences = json(&file, "3", "sentence");
    assert_eq!(sentences["unit"], "sentence");
    assert!(sentences["units"].as_u64() > v["units"].as_u64());
    let hidden_by_seed: Vec<Value> = (1..6)
        .map(|s| json(&file, &s.to_string(), "paragraph")["random"].clone())
        .collect();
    assert!(hidden_by_seed.iter().any(|r| r != &hidden_by_seed[0]));
}

#[test]
fn suggest_eval_errors() {
    let (file, _) = demo_files("suggest-eval-errors");
    let o = bin(&["suggest-eval", &file, "--unit", "chapter"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--unit is sentence, paragraph or turn"),
        "{}",
        stderr(&o)
    );
    let o = bin(&["suggest-eval", &file, "--seed", "x"]);
    assert_eq!(o.status.code(), Some(2));
    let o = bin(&["suggest-eval"]);
    assert_eq!(o.status.code(), Some(2));
    let o = bin(&["suggest-eval", "/nonexistent/p.framewise.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent/p.framewise.json"));
    let o = bin(&["suggest-eval", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("usage: framewise suggest-eval PROJECT"));
    // A project with no code of 5 codings says so.
    let empty = tmp("empty-suggest.framewise.json");
    let project = framewise_core::Project::new(
        framewise_core::ProjectId::from_random_bytes([1; 16]),
        "Empty",
        0,
    );
    std::fs::write(
        &empty,
        framewise_core::persist::to_project_file(
            &project,
            &framewise_core::persist::ProjectMeta::new(0),
        ),
    )
    .unwrap();
    let o = bin(&["suggest-eval", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("no code has 5 codings or more"));
}
