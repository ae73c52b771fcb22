//! REFI-QDA exchange: round trips, schema validation with xmllint, the real samples.
#![cfg(feature = "refi")]
#![allow(clippy::unwrap_used)]

use framewise_core::refi::*;
use framewise_core::*;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn refi_dir() -> PathBuf {
    let near = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/refi");
    if near.exists() {
        near
    } else {
        PathBuf::from("/work/shared/refi")
    }
}

/// Validates with xmllint; skips (with a notice) only when xmllint is not installed.
fn validate(xml: &str, schema: &str, name: &str) {
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("NOTICE: xmllint not installed; schema validation of {name} skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("framewise-refi-{}-{name}", std::process::id()));
    std::fs::write(&dir, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(refi_dir().join(schema))
        .arg(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&dir);
    assert!(
        out.status.success(),
        "{name} does not validate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn demo() -> Project {
    demo::demo_project(&mut SeqIds::new(7), 1_700_000_000_123)
}

#[test]
fn demo_round_trips_and_validates() {
    let project = demo();
    assert!(!project.matrices.is_empty() && !project.cases.is_empty());
    validate(&export_qde(&project), "Project.xsd", "demo.qde");
    validate(&export_qdc(&project), "Codebook.xsd", "demo.qdc");
    let back = import_qdpx(&export_qdpx(&project).unwrap(), &mut SeqIds::new(99), 5).unwrap();
    assert!(back.report.sidecar);
    assert!(back.report.unplaced.is_empty());
    assert_eq!(back.report.unattached_notes, 0);
    assert_eq!(back.project, project);
    // Stable: the same project gives the same bytes.
    assert_eq!(
        export_qdpx(&project).unwrap(),
        export_qdpx(&project).unwrap()
    );
}

#[test]
fn without_sidecar_everything_refi_expresses_survives() {
    let p = demo();
    let no_sidecar = ExportOptions {
        sidecar: false,
        include_pseudonym_key: true,
    };
    let got = import_qdpx(
        &export_qdpx_with(&p, no_sidecar).unwrap(),
        &mut SeqIds::new(99),
        5,
    )
    .unwrap();
    assert!(!got.report.sidecar);
    let q = got.project;
    assert_eq!(
        (q.name.as_str(), q.memo.as_str(), q.created),
        (p.name.as_str(), p.memo.as_str(), p.created)
    );
    let codes = |p: &Project| {
        let mut v: Vec<_> = p
            .codes
            .iter()
            .map(|c| {
                (
                    c.id,
                    c.name.clone(),
                    c.parent,
                    c.color.clone(),
                    c.description.clone(),
                    c.memo.clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(codes(&q), codes(&p));
    let sources = |p: &Project| {
        p.sources
            .iter()
            .map(|s| {
                (
                    s.id,
                    s.name.clone(),
                    s.text.clone(),
                    s.memo.clone(),
                    s.imported,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(sources(&q), sources(&p));
    assert_eq!(q.codings, p.codings);
    // Without the sidecar, speaker turns are detected in the text again (the demo's
    // interviews have Interviewer/participant turns); speaker links and the key do not travel.
    assert!(q.sources.iter().any(|s| s.turns.len() > 2));
    for s in &q.sources {
        assert_eq!(s.turns, import::detect_turns(&s.text), "{}", s.name);
    }
    assert!(q.cases.iter().all(|c| c.speakers.is_empty()));
    assert!(q.pseudonyms.is_empty());
    let cases = |p: &Project| {
        p.cases
            .iter()
            .map(|c| {
                let values: Vec<_> = c.values.iter().map(|(k, v)| (*k, v.to_string())).collect();
                (
                    c.id,
                    c.name.clone(),
                    c.sources.clone(),
                    c.memo.clone(),
                    values,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(cases(&q), cases(&p));
    let attrs = |p: &Project| {
        p.attributes
            .iter()
            .map(|a| (a.id, a.name.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(attrs(&q), attrs(&p));
    let sets = |p: &Project| {
        p.sets
            .iter()
            .map(|s| (s.id, s.name.clone(), s.description.clone(), s.codes.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(sets(&q), sets(&p));
    // Matrix summaries are there as notes for other tools, but Framewise cannot rebuild the
    // matrix from them: they are counted, not lost silently.
    let summaries: usize = p
        .matrices
        .iter()
        .map(|m| {
            m.cells
                .values()
                .flat_map(|r| r.values())
                .filter(|s| !s.trim().is_empty())
                .count()
                + m.case_summaries
                    .values()
                    .filter(|s| !s.trim().is_empty())
                    .count()
        })
        .sum();
    assert!(summaries > 0);
    assert_eq!(got.report.unattached_notes, summaries);
    assert!(q.matrices.is_empty());
}

/// The demo with what saved format 3 added: turns unlike those detected, a speaker linked to
/// a case, a matrix leaving the interviewer out, and a pseudonymisation key.
fn demo_with_speakers() -> Project {
    let mut p = demo();
    let source = p
        .sources
        .iter()
        .find(|s| s.turns.len() > 2)
        .unwrap()
        .clone();
    let turns = source.turns.clone();
    let speaker = turns.iter().find_map(|t| t.speaker.clone()).unwrap();
    let s = p.sources.iter_mut().find(|s| s.id == source.id).unwrap();
    Arc::make_mut(s).turns = turns.into_iter().skip(1).collect();
    p.cases[0].speakers.push(SpeakerLink {
        source: source.id,
        speaker,
    });
    let m = Arc::make_mut(&mut p.matrices[0]);
    m.exclude_speakers.insert("Interviewer".into());
    p.pseudonyms = vec![
        Pseudonym {
            real: "Margarethe Okonkwo-Ließ".into(),
            pseudonym: "GP2".into(),
        },
        Pseudonym {
            real: "Hollowbrook".into(),
            pseudonym: "Town A".into(),
        },
    ];
    p
}

/// True when some entry of the `.qdpx` archive holds `needle` (entries are deflated: read them).
fn contains(archive: &[u8], needle: &str) -> bool {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
    (0..zip.len()).any(|i| {
        let mut text = String::new();
        zip.by_index(i).unwrap().read_to_string(&mut text).unwrap();
        text.contains(needle)
    })
}

#[test]
fn sidecar_carries_turns_speaker_links_and_the_key_only_when_asked() {
    let p = demo_with_speakers();
    let with_key = ExportOptions {
        sidecar: true,
        include_pseudonym_key: true,
    };
    let bytes = export_qdpx_with(&p, with_key).unwrap();
    assert!(contains(&bytes, "Margarethe Okonkwo-Ließ"));
    let back = import_qdpx(&bytes, &mut SeqIds::new(99), 5).unwrap();
    assert_eq!(back.report.pseudonyms, 2);
    assert!(
        back.report.problems.is_empty(),
        "{:?}",
        back.report.problems
    );
    assert_eq!(back.project, p);

    // The default leaves the key out, and nothing else.
    let shared = export_qdpx(&p).unwrap();
    assert!(!contains(&shared, "Margarethe"));
    assert!(!contains(&shared, "Hollowbrook"));
    assert_eq!(
        export_qdpx_with(&p, ExportOptions::default()).unwrap(),
        shared
    );
    let back = import_qdpx(&shared, &mut SeqIds::new(99), 5).unwrap();
    assert_eq!(back.report.pseudonyms, 0);
    let mut expected = p.clone();
    expected.pseudonyms.clear();
    assert_eq!(back.project, expected);
    validate(&export_qde(&p), "Project.xsd", "demo-speakers.qde");
}

#[test]
fn nvivo_sample_imports() {
    let bytes = std::fs::read(refi_dir().join("samples/nvivo-mac-15_codebook.qdpx")).unwrap();
    let got = import_qdpx(&bytes, &mut SeqIds::new(1), 0).unwrap();
    assert_eq!(got.project.codes.len(), 262);
    assert_eq!(got.report.codes, 262);
    assert_eq!(got.report.users, 2);
    assert_eq!(got.project.name, "qc project");
    // Two sources whose plain text is a single line break and whose .docx is an empty
    // paragraph: read, found empty, skipped.
    assert_eq!(
        got.report.skipped_sources.get("text source without text"),
        Some(&2)
    );
    assert_eq!(got.report.rich_text_sources, 0);
    assert!(got.report.problems.is_empty(), "{:?}", got.report.problems);
    assert_eq!(got.project.sources.len(), 0);
    let top = got
        .project
        .codes
        .iter()
        .filter(|c| c.parent.is_none())
        .count();
    assert!(top > 0 && top < 262);
    // Exported again, it validates.
    validate(&export_qde(&got.project), "Project.xsd", "nvivo-again.qde");
}

#[test]
fn atlas_sample_imports() {
    let xml =
        std::fs::read_to_string(refi_dir().join("samples/atlasti-win-9_codebook.qdc")).unwrap();
    let got = import_qdc(&xml, "ATLAS", &mut SeqIds::new(1), 0).unwrap();
    let p = &got.project;
    let names: Vec<&str> = p.codes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["code2", "code1", "code1.1", "code3", "code:3.1"]);
    assert_eq!(p.codes[2].parent, Some(p.codes[1].id));
    assert_eq!(
        p.codes[0].id.to_string(),
        "2ce89c66-c28d-473b-b5c4-6cf87d20ef04"
    );
    assert_eq!(p.sets.len(), 2);
    assert_eq!(p.sets[0].codes, vec![p.codes[0].id, p.codes[2].id]);
    validate(&export_qdc(p), "Codebook.xsd", "atlas-again.qdc");
}

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("word".to_string()),
            Just("Ünïcödé".to_string()),
            Just("😀🎉".to_string()),
            Just("日本語".to_string()),
            Just(" ".to_string()),
            Just("\r\n".to_string()),
            Just("\n".to_string()),
            Just("a&b<c>\"'".to_string()),
        ],
        1..30,
    )
    .prop_map(|parts| format!("x{}", parts.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn generated_projects_round_trip(
        raw_texts in proptest::collection::vec(text_strategy(), 1..4),
        n_codes in 1usize..5,
        codings in proptest::collection::vec((0usize..4, 0usize..400, 0usize..400, 0usize..5, 0usize..3), 0..20),
        created in 0i64..4_000_000_000_000,
        numbers in proptest::collection::vec(proptest::num::f64::NORMAL | proptest::num::f64::ZERO, 1..4),
        flags in proptest::collection::vec(any::<bool>(), 1..4),
        cuts in proptest::collection::vec(proptest::collection::vec(0usize..400, 0..6), 1..4),
        key in proptest::collection::vec(("[A-Za-zäöü ]{1,12}", "[A-Z0-9]{1,4}"), 0..4),
    ) {
        let mut ids = SeqIds::new(3);
        let mut p = Project::new(ids.project_id(), "Pröject 😀", created);
        p.memo = "memo\nline ✓".into();
        for i in 0..n_codes {
            let parent = if i > 0 && i % 2 == 0 { Some(p.codes[i - 1].id) } else { None };
            p.codes.push(Code {
                id: ids.code_id(), name: format!("code «{i}»"), parent,
                color: color_for(i).into(), description: if i % 2 == 0 { "déf".into() } else { String::new() },
                origin: if i % 3 == 0 { CodeOrigin::Deductive } else { CodeOrigin::Inductive },
                memo: if i == 1 { "code memo 🎉".into() } else { String::new() }, created: created + i as i64,
            });
        }
        for (i, raw) in raw_texts.iter().enumerate() {
            p.sources.push(Arc::new(Source {
                id: ids.source_id(), name: format!("source {i}"), kind: SourceKind::Interview,
                text: Arc::from(text::normalize_newlines(raw)), memo: String::new(),
                imported: created + 7, file_name: Some(format!("s{i}.txt")),
                turns: Vec::new(),
            }));
        }
        // Speaker turns between generated cut points (not what detection would find).
        let speakers = [Some("Interviewer"), Some("P01 😀"), None];
        for (i, source) in p.sources.iter_mut().enumerate() {
            let text = source.text.clone();
            let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            let mut points: Vec<usize> = cuts[i % cuts.len()].iter().map(|c| bounds[c % bounds.len()]).collect();
            points.sort_unstable();
            points.dedup();
            let turns = points.windows(2).enumerate().map(|(n, w)| Turn {
                speaker: speakers[n % speakers.len()].map(str::to_string),
                span: Span::new(w[0], w[1]),
                start_ms: (n % 2 == 0).then_some(n as u64 * 1500),
                end_ms: None,
            }).collect();
            Arc::make_mut(source).turns = turns;
        }
        let coders = ["", "Ana", "Björn"];
        for (s, a, b, c, who) in codings {
            let source = p.sources[s % p.sources.len()].clone();
            let chars: Vec<usize> = source.text.char_indices().map(|(i, _)| i).chain([source.text.len()]).collect();
            let (x, y) = (chars[a % chars.len()], chars[b % chars.len()]);
            if x == y { continue; }
            let coding = Coding {
                id: ids.coding_id(), source: source.id, span: Span::new(x.min(y), x.max(y)),
                code: p.codes[c % p.codes.len()].id, coder: coders[who].into(), created: created + 11,
            };
            let list = p.codings.entry(source.id).or_default();
            let mut v = list.as_ref().clone();
            v.push(coding);
            v.sort_by_key(|m| (m.span.start, m.span.end, m.id));
            *list = Arc::new(v);
        }
        // Attributes of every kind, cases (a tree) with values, a set.
        let kinds = [
            AttributeKind::Text,
            AttributeKind::Number,
            AttributeKind::Date,
            AttributeKind::YesNo,
            AttributeKind::Category(vec!["rural".into(), "urban & <mixed>".into()]),
        ];
        for (i, kind) in kinds.iter().enumerate() {
            p.attributes.push(Attribute { id: ids.attribute_id(), name: format!("attr {i} ✓"), kind: kind.clone() });
        }
        for (i, source) in p.sources.clone().iter().enumerate() {
            let n = numbers[i % numbers.len()];
            let flag = flags[i % flags.len()];
            let values = [
                AttrValue::Text(format!("t\n{i} 😀")),
                AttrValue::Number(n),
                AttrValue::Date("2026-03-31".into()),
                AttrValue::YesNo(flag),
                AttrValue::Category(if flag { "rural" } else { "urban & <mixed>" }.into()),
            ];
            let parent = p.cases.last().map(|c| c.id).filter(|_| i % 2 == 1);
            p.cases.push(Case {
                id: ids.case_id(), name: format!("case {i}"), parent, sources: vec![source.id],
                memo: if flag { "case memo".into() } else { String::new() },
                values: p.attributes.iter().zip(values).filter(|(_, _)| flag || i % 2 == 0).map(|(a, v)| (a.id, v)).collect(),
                created: created + 3,
                // A participant of another source's group interview.
                speakers: p.sources.iter().rev().take(2).map(|s| SpeakerLink {
                    source: s.id, speaker: format!("P0{i} ✓"),
                }).collect(),
            });
        }
        let mut matrix = Matrix::new(ids.matrix_id(), "grid", p.codes.iter().map(|c| c.id).collect(), created + 9);
        matrix.exclude_speakers = ["Interviewer".to_string(), "Moderator «M»".to_string()].into_iter().collect();
        matrix.include_subcases = flags[0];
        p.matrices.push(Arc::new(matrix));
        p.pseudonyms = key.into_iter().map(|(real, pseudonym)| Pseudonym { real, pseudonym }).collect();
        p.sets.push(CodeSet {
            id: ids.set_id(), name: "theme".into(), description: "why".into(),
            codes: p.codes.iter().rev().map(|c| c.id).collect(), created: created + 5,
        });
        validate(&export_qde(&p), "Project.xsd", "generated.qde");
        let everything = ExportOptions { sidecar: true, include_pseudonym_key: true };
        let back = import_qdpx(&export_qdpx_with(&p, everything).unwrap(), &mut SeqIds::new(5), 0).unwrap();
        prop_assert!(back.report.unplaced.is_empty());
        prop_assert!(back.report.problems.is_empty(), "{:?}", back.report.problems);
        prop_assert_eq!(back.report.pseudonyms, p.pseudonyms.len());
        prop_assert_eq!(&back.project, &p);
        // By default the key stays at home; everything else still travels.
        let shared = import_qdpx(&export_qdpx(&p).unwrap(), &mut SeqIds::new(5), 0).unwrap();
        prop_assert!(shared.project.pseudonyms.is_empty());
        prop_assert_eq!(shared.report.pseudonyms, 0);
        let mut without_key = p.clone();
        without_key.pseudonyms.clear();
        prop_assert_eq!(shared.project, without_key);
    }
}

#[test]
fn schema_check_catches_an_invalid_document() {
    // The validation used above can fail: a Code without isCodable is refused by the schema.
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("NOTICE: xmllint not installed; skipped");
        return;
    }
    let bad = "<?xml version=\"1.0\"?><Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"><CodeBook><Codes><Code guid=\"00000000-0000-4000-8000-000000000001\" name=\"c\"/></Codes></CodeBook></Project>";
    let result = std::panic::catch_unwind(|| validate(bad, "Project.xsd", "bad.qde"));
    assert!(result.is_err());
}

/// Issue 9: a 0-byte `.qdpx` (or an empty `.qdc`) is called empty, not "not a ZIP archive".
#[test]
fn an_empty_file_is_called_empty() {
    let err = refi::import_qdpx(b"", &mut SeqIds::new(1), 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The file is empty (0 bytes): it holds no project."
    );
    let err = refi::import_qdc("  \n", "codebook", &mut SeqIds::new(1), 0).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    // A file that is not a ZIP archive still says so.
    let err = refi::import_qdpx(b"hello", &mut SeqIds::new(1), 0).unwrap_err();
    assert!(err.to_string().contains("not a ZIP archive"), "{err}");
}

/// The corpora of the fuzz targets `qdpx` and `qdc` (fuzz/corpus/), replayed the way those
/// targets run them: reading never panics; what is read writes a project file that loads back
/// equal and exports again.
#[test]
fn fuzz_corpus_of_the_refi_readers_replays() {
    use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
    let root = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus"));
    let mut read = 0;
    for target in ["qdpx", "qdc"] {
        let dir = root.join(target);
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            files += 1;
            let name = format!("fuzz.{target}");
            if let Ok(r) = refi::read_refi_file(&name, &bytes, &mut SeqIds::new(1), 0) {
                read += 1;
                let file = to_project_file(&r.project, &ProjectMeta::new(0));
                assert_eq!(from_project_file(&file).unwrap().project, r.project);
                refi::export_qdpx(&r.project).unwrap();
                refi::export_qdc(&r.project);
            }
        }
        assert!(files >= 3, "no corpus for {target}");
    }
    assert!(read >= 3, "the seeds are mostly readable: {read}");
}

/// Found by fuzzing (`fuzz/corpus/qdc/regress-name-trailing-space.qdc`): a name with white space
/// around it was kept so, and the project file (whose loader trims names) then loaded a
/// different project. Names are read trimmed, as every name is kept.
#[test]
fn names_are_read_without_surrounding_white_space() {
    use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="0b7c1d4e-52a1-4c3f-9a55-1c2d3e4f5a6b" name=" Roles  " isCodable="true"/>
  <Code guid="1b7c1d4e-52a1-4c3f-9a55-1c2d3e4f5a6b" name="   " isCodable="true"/>
</Codes><Sets><Set guid="2b7c1d4e-52a1-4c3f-9a55-1c2d3e4f5a6b" name="&#9;Theme&#10;"/></Sets></CodeBook>"#;
    let read = refi::read_refi_file("x.qdc", xml.as_bytes(), &mut SeqIds::new(1), 0).unwrap();
    let names: Vec<&str> = read.project.codes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Roles", "(unnamed code)"]);
    assert_eq!(read.project.sets[0].name, "Theme");
    let file = to_project_file(&read.project, &ProjectMeta::new(0));
    assert_eq!(from_project_file(&file).unwrap().project, read.project);
    let crash = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fuzz/corpus/qdc/regress-name-trailing-space.qdc"
    ))
    .unwrap();
    let read = refi::read_refi_file("x.qdc", &crash, &mut SeqIds::new(1), 0).unwrap();
    assert!(read.project.codes.iter().all(|c| c.name == c.name.trim()));
    let file = to_project_file(&read.project, &ProjectMeta::new(0));
    assert_eq!(from_project_file(&file).unwrap().project, read.project);
}
