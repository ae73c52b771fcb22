//! Pseudonymisation (core/src/pseudonym.rs): whole-word, any case, longest entry first, across
//! sources, one undo step; codings stay on the same words; quote references keep resolving.
#![allow(clippy::unwrap_used)]
#![allow(clippy::print_stdout)] // the Apollo timing is printed, not asserted

use framewise_core::pseudonym::{apply_action, counts, plan};
use framewise_core::*;
use std::sync::Arc;

fn key(pairs: &[(&str, &str)]) -> Vec<Pseudonym> {
    pairs
        .iter()
        .map(|(r, p)| Pseudonym {
            real: r.to_string(),
            pseudonym: p.to_string(),
        })
        .collect()
}

fn project(texts: &[&str]) -> (Project, Vec<SourceId>, SeqIds) {
    let mut ids = SeqIds::new(11);
    let p = Project::new(ids.project_id(), "P", 0);
    let sources: Vec<Source> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Source {
            id: ids.source_id(),
            name: format!("Interview {}", i + 1),
            kind: SourceKind::Interview,
            text: Arc::from(*t),
            memo: String::new(),
            imported: 1,
            file_name: Some(format!("i{i}.txt")),
            turns: Vec::new(),
        })
        .collect();
    let source_ids = sources.iter().map(|s| s.id).collect();
    let p = apply(&p, Action::AddSources { sources }).unwrap();
    (p, source_ids, ids)
}

#[test]
fn replaces_whole_words_in_any_case_across_sources() {
    let (p, s, _) = project(&[
        "I saw Dr Amira Khan on Monday. dr amira KHAN was late.",
        "Khanfield surgery. Ask Khan, or Dr Amira Khan's nurse.",
    ]);
    let k = key(&[("Khan", "Person K"), ("Dr Amira Khan", "GP2")]);
    let plan = plan(&p, &k);
    let found: Vec<(&str, &str)> = plan
        .iter()
        .map(|r| (r.found.as_str(), r.with.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("Dr Amira Khan", "GP2"),
            ("dr amira KHAN", "GP2"),
            ("Khan", "Person K"),
            ("Dr Amira Khan", "GP2"),
        ]
    );
    assert_eq!(counts(&plan, k.len()), vec![1, 3]);
    assert_eq!(plan[0].source(), Some(s[0]));
    assert_eq!(plan[2].source(), Some(s[1]));
    assert_eq!(plan[2].context_before, "Khanfield surgery. Ask ");
    assert_eq!(plan[2].context_after, ", or Dr Amira Khan's nurse.");
    let after = apply(&p, apply_action(&plan)).unwrap();
    assert_eq!(
        &*after.source(s[0]).unwrap().text,
        "I saw GP2 on Monday. GP2 was late."
    );
    assert_eq!(
        &*after.source(s[1]).unwrap().text,
        "Khanfield surgery. Ask Person K, or GP2's nurse."
    );
    assert!(
        framewise_core::pseudonym::plan(&after, &k).is_empty(),
        "nothing left to replace"
    );
}

#[test]
fn unicode_case_and_word_boundaries() {
    let (p, s, _) = project(&["Ο ΓΙΏΡΓΟΣ είπε: γιώργος! Γιώργοςα όχι. Zoë, ZOË2 no; «Zoë»"]);
    let k = key(&[("Γιώργος", "P1"), ("zoë", "P2")]);
    let plan = plan(&p, &k);
    let found: Vec<&str> = plan.iter().map(|r| r.found.as_str()).collect();
    assert_eq!(found, vec!["ΓΙΏΡΓΟΣ", "γιώργος", "Zoë", "Zoë"]);
    let after = apply(&p, apply_action(&plan)).unwrap();
    assert_eq!(
        &*after.source(s[0]).unwrap().text,
        "Ο P1 είπε: P1! Γιώργοςα όχι. P2, ZOË2 no; «P2»"
    );
}

#[test]
fn codings_on_names_cover_the_pseudonym_and_undo_is_one_step() {
    let (mut p, s, mut ids) = project(&[
        "We met Dr Amira Khan at Coast Road Surgery today.",
        "Coast Road Surgery is small. Dr Amira Khan agrees.",
    ]);
    let code = ids.code_id();
    p = apply(
        &p,
        Action::CreateCode {
            code: Code::inductive(&p, code, "People", None, 1),
        },
    )
    .unwrap();
    // A second code for the passage around the name: codings of one code never overlap.
    let context = ids.code_id();
    p = apply(
        &p,
        Action::CreateCode {
            code: Code::inductive(&p, context, "Context", None, 1),
        },
    )
    .unwrap();
    let mut coding = |p: &Project, src: SourceId, words: &str, code: CodeId| {
        let t = p.source(src).unwrap().text.clone();
        let start = t.find(words).unwrap();
        Coding {
            id: ids.coding_id(),
            source: src,
            span: Span::new(start, start + words.len()),
            code,
            coder: "ana".into(),
            created: 2,
        }
    };
    let on_name = coding(&p, s[0], "Dr Amira Khan", code);
    let around = coding(&p, s[0], "met Dr Amira Khan at Coast Road Surgery", context);
    let after_name = coding(&p, s[1], "is small", code);
    p = apply(
        &p,
        Action::AddCodings {
            codings: vec![on_name.clone(), around.clone(), after_name.clone()],
        },
    )
    .unwrap();
    let k = key(&[
        ("Dr Amira Khan", "GP2"),
        ("Coast Road Surgery", "Practice C"),
    ]);
    let mut history = History::new();
    p = history
        .apply(&p, Action::SetPseudonyms { key: k.clone() })
        .unwrap();
    let before = p.clone();
    let plan = plan(&p, &p.pseudonyms);
    assert_eq!(plan.len(), 4);
    p = history.apply(&p, apply_action(&plan)).unwrap();
    let text = |id: CodingId| p.coded_text(p.coding(id).unwrap()).to_string();
    assert_eq!(text(on_name.id), "GP2");
    assert_eq!(text(around.id), "met GP2 at Practice C");
    assert_eq!(text(after_name.id), "is small");
    assert_eq!(p.pseudonyms, k, "the key is kept in the project");
    assert_eq!(
        history.undo_labels().last(),
        Some("Pseudonymise 4 mentions")
    );
    let undone = history.undo(&p).unwrap();
    assert_eq!(undone, before, "one undo step restores every source");
}

#[test]
fn demo_project_quote_references_still_resolve() {
    let p = demo::demo_project(&mut SeqIds::new(5), 0);
    let k = key(&[
        ("Coast Road Surgery", "Practice C"),
        ("Coast Road", "Practice C"),
        ("Kirkby Moor", "Village K"),
        ("Quayside", "Town Q"),
        ("Harbourside", "PCN H"),
        ("Northgate", "PCN N"),
        ("Fellside", "PCN F"),
    ]);
    let plan = plan(&p, &k);
    assert!(
        plan.len() > 20,
        "the demo mentions these places: {}",
        plan.len()
    );
    let quotes_before: Vec<(CodingId, String)> = p
        .all_codings()
        .map(|c| (c.id, p.coded_text(c).to_string()))
        .collect();
    let after = apply(&p, apply_action(&plan)).unwrap();
    for m in &after.matrices {
        for t in m.cells.values().flat_map(|r| r.values()) {
            assert!(matrix::broken_references(&after, t).is_empty());
        }
    }
    // Every coding is still there, and its text differs only where names were replaced.
    assert_eq!(after.coding_count(), p.coding_count());
    for (id, old) in quotes_before {
        let now = after.coded_text(after.coding(id).unwrap()).to_string();
        let expected = plan
            .iter()
            .fold(old.clone(), |t, r| t.replace(&r.found, &r.with));
        assert_eq!(now, expected);
    }
    for s in &after.sources {
        for r in &k {
            assert!(
                !s.text.contains(&r.real),
                "{} still mentions {}",
                s.name,
                r.real
            );
        }
    }
}

#[test]
fn apollo_transcript_is_planned_quickly() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/long/apollo13_air_to_ground.txt"
    );
    let raw = std::fs::read_to_string(path).unwrap();
    let text = text::normalize_newlines(&raw);
    let (p, _, _) = project(&[&text]);
    let k = key(&[
        ("Lovell", "CDR"),
        ("Jim Lovell", "CDR"),
        ("Haise", "LMP"),
        ("Fred Haise", "LMP"),
        ("Swigert", "CMP"),
        ("Jack Swigert", "CMP"),
        ("Houston", "Ground"),
        ("Aquarius", "Vehicle A"),
        ("Odyssey", "Vehicle O"),
        ("Kranz", "Flight 1"),
        ("Lousma", "CC1"),
        ("Brand", "CC2"),
        ("Kerwin", "CC3"),
        ("Mattingly", "Backup"),
        ("Deke", "Chief"),
        ("Slayton", "Chief"),
        ("Marilyn", "Spouse 1"),
        ("Mary", "Spouse 2"),
        ("Florida", "State"),
        ("Texas", "State 2"),
    ]);
    let t = std::time::Instant::now();
    let plan = plan(&p, &k);
    let planned = t.elapsed();
    let t = std::time::Instant::now();
    let after = apply(&p, apply_action(&plan)).unwrap();
    let applied = t.elapsed();
    println!(
        "apollo13 ({} bytes): {} replacements planned in {planned:?}, applied in {applied:?}",
        text.len(),
        plan.len()
    );
    assert!(!plan.is_empty());
    let new = &after.sources[0].text;
    assert!(!new.contains("Lovell") && !new.contains("Houston"));
}

// ---- Every place a real name can live (issue 14) ----

/// A project with a name in every place: a Teams-like source whose speakers are kept beside
/// the text, a plain-text source, memos of every kind, a code, a case with a text and a category
/// value and a speaker link, a matrix with a cell and a case summary (with a quote reference)
/// leaving the speaker out, and a set.
struct Everywhere {
    p: Project,
    teams: SourceId,
    plain: SourceId,
    code: CodeId,
    case: CaseId,
    text_attr: AttributeId,
    cat_attr: AttributeId,
    matrix: MatrixId,
    set: SetId,
    coding: CodingId,
}

fn everywhere() -> Everywhere {
    let mut ids = SeqIds::new(77);
    let mut p = Project::new(ids.project_id(), "Interviews with Yuri Bakulin", 0);
    p.memo = "Project memo: ask Yuri about the dates.".into();
    let teams = ids.source_id();
    let plain = ids.source_id();
    let text = "Hello everyone.\nThanks, good to be here.\nSo, Adrian, tell us more.";
    let turns = vec![
        Turn {
            speaker: Some("Yuri Bakulin".into()),
            span: Span::new(0, 15),
            start_ms: Some(0),
            end_ms: Some(1000),
        },
        Turn {
            speaker: Some("Adrian Petrescu".into()),
            span: Span::new(16, 40),
            start_ms: Some(1000),
            end_ms: Some(2000),
        },
        Turn {
            speaker: Some("Yuri Bakulin".into()),
            span: Span::new(41, text.len()),
            start_ms: Some(2000),
            end_ms: Some(3000),
        },
    ];
    let sources = vec![
        Source {
            id: teams,
            name: "Meeting with Yuri Bakulin".into(),
            kind: SourceKind::Interview,
            text: Arc::from(text),
            memo: "Yuri joined late.".into(),
            imported: 1,
            file_name: Some("Interview_Yuri_Bakulin.vtt".into()),
            turns,
        },
        Source {
            id: plain,
            name: "Notes".into(),
            kind: SourceKind::FieldNotes,
            text: Arc::from("Nobody named here."),
            memo: String::new(),
            imported: 1,
            file_name: None,
            turns: Vec::new(),
        },
    ];
    p = apply(&p, Action::AddSources { sources }).unwrap();
    let code = ids.code_id();
    let mut c = Code::inductive(&p, code, "Bakulin's scaffolding", None, 1);
    c.description = "In vivo, from Yuri Bakulin.".into();
    c.memo = "Adrian disagrees.".into();
    p = apply(&p, Action::CreateCode { code: c }).unwrap();
    let coding = ids.coding_id();
    p = apply(
        &p,
        Action::AddCodings {
            codings: vec![Coding {
                id: coding,
                source: teams,
                span: Span::new(0, 15),
                code,
                coder: "Yuri's supervisor".into(),
                created: 2,
            }],
        },
    )
    .unwrap();
    let text_attr = ids.attribute_id();
    let cat_attr = ids.attribute_id();
    p = apply(
        &p,
        Action::Batch {
            label: "attributes".into(),
            actions: vec![
                Action::AddAttribute {
                    attribute: Attribute {
                        id: text_attr,
                        name: "contact".into(),
                        kind: AttributeKind::Text,
                    },
                },
                Action::AddAttribute {
                    attribute: Attribute {
                        id: cat_attr,
                        name: "interviewer".into(),
                        kind: AttributeKind::Category(vec!["Adrian".into(), "Maria".into()]),
                    },
                },
            ],
        },
    )
    .unwrap();
    let case = ids.case_id();
    p = apply(
        &p,
        Action::AddCases {
            cases: vec![Case {
                id: case,
                name: "Yuri Bakulin".into(),
                parent: None,
                sources: vec![teams],
                memo: "Case memo: Yuri, retired.".into(),
                values: [
                    (text_attr, AttrValue::Text("via Adrian Petrescu".into())),
                    (cat_attr, AttrValue::Category("Adrian".into())),
                ]
                .into_iter()
                .collect(),
                speakers: Vec::new(),
                created: 3,
            }],
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::LinkSpeaker {
            case,
            source: teams,
            speaker: "Yuri Bakulin".into(),
        },
    )
    .unwrap();
    let matrix = ids.matrix_id();
    let mut m = Matrix::new(matrix, "Bakulin matrix", vec![code], 4);
    m.exclude_speakers.insert("adrian petrescu".into());
    p = apply(&p, Action::CreateMatrix { matrix: m }).unwrap();
    p = apply(
        &p,
        Action::SetCellSummaries {
            matrix,
            summaries: vec![(
                case,
                code,
                format!("Yuri says hello {}", matrix::quote_token(coding)),
            )],
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::SetCaseSummary {
            matrix,
            case,
            summary: "Bakulin is positive overall.".into(),
        },
    )
    .unwrap();
    let set = ids.set_id();
    p = apply(
        &p,
        Action::CreateSet {
            set: CodeSet {
                id: set,
                name: "Yuri's theme".into(),
                description: "What Adrian Petrescu keeps coming back to.".into(),
                codes: vec![code],
                created: 5,
            },
        },
    )
    .unwrap();
    Everywhere {
        p,
        teams,
        plain,
        code,
        case,
        text_attr,
        cat_attr,
        matrix,
        set,
        coding,
    }
}

fn groups(p: &Project, plan: &[pseudonym::Replacement]) -> Vec<String> {
    pseudonym::summary(p, plan)
        .into_iter()
        .map(|g| g.line)
        .collect()
}

#[test]
fn speaker_names_beside_the_text_are_replaced_whole_and_as_whole_words() {
    let e = everywhere();
    // The example: a key "Yuri Bakulin → P1" finds the speaker kept beside the text.
    let k = key(&[("Yuri Bakulin", "P1")]);
    let plan = plan(&e.p, &k);
    let speakers: Vec<&pseudonym::Replacement> = plan
        .iter()
        .filter(|r| matches!(r.place, pseudonym::Place::Speaker { .. }))
        .collect();
    assert_eq!(speakers.len(), 1);
    assert_eq!(speakers[0].found, "Yuri Bakulin");
    assert!(groups(&e.p, &plan).contains(&"Speakers: 1 in 1 source (2 turns)".to_string()));
    let after = apply(&e.p, apply_action(&plan)).unwrap();
    let labels: Vec<Option<&str>> = after
        .source(e.teams)
        .unwrap()
        .turns
        .iter()
        .map(|t| t.speaker.as_deref())
        .collect();
    assert_eq!(
        labels,
        vec![Some("P1"), Some("Adrian Petrescu"), Some("P1")]
    );
    // The case's speaker link follows the renamed speaker.
    assert_eq!(after.case(e.case).unwrap().speakers[0].speaker, "P1");

    // Entries for single words match the speaker's name as whole words.
    let k = key(&[("Yuri", "P1"), ("Petrescu", "P2"), ("Adri", "X")]);
    let after = apply(&e.p, apply_action(&plan_of(&e.p, &k))).unwrap();
    let labels: Vec<Option<&str>> = after
        .source(e.teams)
        .unwrap()
        .turns
        .iter()
        .map(|t| t.speaker.as_deref())
        .collect();
    assert_eq!(
        labels,
        vec![Some("P1 Bakulin"), Some("Adrian P2"), Some("P1 Bakulin")]
    );
    // A matrix leaving "adrian petrescu" out now leaves "Adrian P2" out.
    let m = after.matrix(e.matrix).unwrap();
    assert!(
        m.exclude_speakers.contains("Adrian P2"),
        "{:?}",
        m.exclude_speakers
    );
    assert!(!m.exclude_speakers.contains("adrian petrescu"));
}

fn plan_of(p: &Project, k: &[Pseudonym]) -> Vec<pseudonym::Replacement> {
    plan(p, k)
}

#[test]
fn every_place_is_planned_grouped_and_replaced_and_undo_restores_all() {
    let e = everywhere();
    let k = key(&[
        ("Yuri Bakulin", "P1"),
        ("Yuri", "P1"),
        ("Bakulin", "P1"),
        ("Adrian Petrescu", "P2"),
        ("Adrian", "P2"),
    ]);
    let plan = plan(&e.p, &k);
    let lines = groups(&e.p, &plan);
    assert_eq!(
        lines,
        vec![
            "Source text: 1 mention in 1 source",
            "Speakers: 2 in 1 source (3 turns)",
            "Source names: 2",
            "Case names: 1",
            "Codes: 2",
            "Memos: 4",
            "Summaries: 2",
            "Attribute values: 2",
            "Sets and themes: 2",
            "Project, matrix and saved search names: 2",
        ]
    );
    let mut history = History::new();
    let after = history.apply(&e.p, apply_action(&plan)).unwrap();
    let s = after.source(e.teams).unwrap();
    assert_eq!(s.name, "Meeting with P1");
    assert_eq!(s.file_name.as_deref(), Some("Interview_P1_P1.vtt"));
    assert_eq!(
        &*s.text,
        "Hello everyone.\nThanks, good to be here.\nSo, P2, tell us more."
    );
    assert_eq!(s.memo, "P1 joined late.");
    assert_eq!(after.name, "Interviews with P1");
    assert_eq!(after.memo, "Project memo: ask P1 about the dates.");
    let c = after.code(e.code).unwrap();
    assert_eq!(c.name, "P1's scaffolding");
    assert_eq!(c.description, "In vivo, from P1.");
    assert_eq!(c.memo, "P2 disagrees.");
    let case = after.case(e.case).unwrap();
    assert_eq!(case.name, "P1");
    assert_eq!(case.memo, "Case memo: P1, retired.");
    assert_eq!(case.values[&e.text_attr], AttrValue::Text("via P2".into()));
    assert_eq!(case.values[&e.cat_attr], AttrValue::Category("P2".into()));
    assert_eq!(
        after.attribute(e.cat_attr).unwrap().kind,
        AttributeKind::Category(vec!["P2".into(), "Maria".into()])
    );
    let m = after.matrix(e.matrix).unwrap();
    assert_eq!(m.name, "P1 matrix");
    assert_eq!(
        m.summary(e.case, e.code),
        format!("P1 says hello {}", matrix::quote_token(e.coding))
    );
    assert_eq!(m.case_summaries[&e.case], "P1 is positive overall.");
    let set = after.set(e.set).unwrap();
    assert_eq!(set.name, "P1's theme");
    assert_eq!(set.description, "What P2 keeps coming back to.");
    // Coders are researchers, not participants: left alone.
    assert_eq!(after.coding(e.coding).unwrap().coder, "Yuri's supervisor");
    // The second source had nothing to replace and is the same value.
    assert!(Arc::ptr_eq(
        after.source(e.plain).unwrap(),
        e.p.source(e.plain).unwrap()
    ));
    assert!(pseudonym::remaining(&after, &k).is_empty(), "nothing left");
    // One undo step restores every place.
    assert_eq!(history.undo_labels().count(), 1);
    assert_eq!(history.undo(&after).unwrap(), e.p);
}

#[test]
fn file_names_are_replaced_where_the_name_is_a_whole_word() {
    let e = everywhere();
    let p = apply(
        &e.p,
        Action::Batch {
            label: "t".into(),
            actions: vec![],
        },
    )
    .unwrap();
    let mut with_file = p.clone();
    Arc::make_mut(with_file.sources.first_mut().unwrap()).file_name =
        Some("Interview Yuri Bakulin 2026-03.vtt".into());
    let k = key(&[("Yuri Bakulin", "P1")]);
    let after = apply(&with_file, apply_action(&plan(&with_file, &k))).unwrap();
    assert_eq!(
        after.source(e.teams).unwrap().file_name.as_deref(),
        Some("Interview P1 2026-03.vtt")
    );
}

#[test]
fn quote_references_are_never_touched_even_when_a_name_looks_like_hex() {
    let e = everywhere();
    // A key entry equal to a segment of the coding's UUID must not break the reference.
    let token = matrix::quote_token(e.coding);
    let segment = e.coding.to_string().split('-').nth(1).unwrap().to_string();
    let k = key(&[(&segment, "ZZ")]);
    let plan = plan(&e.p, &k);
    assert!(
        plan.iter()
            .all(|r| !matches!(r.place, pseudonym::Place::CellSummary { .. })),
        "{plan:?}"
    );
    let after = apply(&e.p, apply_action(&plan)).unwrap();
    assert!(after
        .matrix(e.matrix)
        .unwrap()
        .summary(e.case, e.code)
        .contains(&token));
}

#[test]
fn case_and_diacritics_rules_hold_in_every_place() {
    let e = everywhere();
    // Any case matches; accents count (Jose is not José); the longest entry wins.
    let mut p = e.p.clone();
    p = apply(
        &p,
        Action::SetCodeMemo {
            id: e.code,
            memo: "YURI BAKULIN met José and Jose; yuri alone.".into(),
        },
    )
    .unwrap();
    let k = key(&[("yuri", "P1"), ("Yuri Bakulin", "P9"), ("José", "P3")]);
    let after = apply(&p, apply_action(&plan(&p, &k))).unwrap();
    assert_eq!(
        after.code(e.code).unwrap().memo,
        "P9 met P3 and Jose; P1 alone."
    );
    let labels: Vec<Option<&str>> = after
        .source(e.teams)
        .unwrap()
        .turns
        .iter()
        .map(|t| t.speaker.as_deref())
        .collect();
    assert_eq!(
        labels[0],
        Some("P9"),
        "the whole name wins over its first word"
    );
}

#[test]
fn a_stale_plan_is_refused_and_changes_nothing() {
    let e = everywhere();
    let k = key(&[("Yuri", "P1")]);
    let plan = plan(&e.p, &k);
    let changed = apply(
        &e.p,
        Action::SetProjectMemo {
            memo: "short".into(),
        },
    )
    .unwrap();
    assert!(apply(&changed, apply_action(&plan)).is_err());
}

#[test]
fn a_source_imported_later_is_offered_the_key_for_its_own_places_only() {
    let e = everywhere();
    let k = key(&[("Yuri Bakulin", "P1"), ("Yuri", "P1")]);
    let offer = pseudonym::plan_sources(&e.p, &k, &[e.teams]);
    assert!(!offer.is_empty());
    assert!(offer.iter().all(|r| r.source() == Some(e.teams)));
    let none = pseudonym::plan_sources(&e.p, &k, &[e.plain]);
    assert!(none.is_empty());
}

#[test]
fn names_in_finds_names_in_written_bytes_with_entities_decoded() {
    let k = key(&[("O'Brien", "P4"), ("Yuri Bakulin", "P1"), ("P1", "P1")]);
    let found = pseudonym::names_in(
        b"<c><is><t>Mr O&apos;Brien and YURI&#32;BAKULIN</t></is></c>, Yuri Bakulins",
        &k,
    );
    let names: Vec<&str> = found.iter().map(|o| o.found.as_str()).collect();
    assert_eq!(names, vec!["O'Brien", "YURI BAKULIN"]);
    assert_eq!(found[0].context_before, "<c><is><t>Mr ");
    // An entry whose pseudonym is the name itself is never "left".
    assert!(pseudonym::names_in(b"P1 said", &k).is_empty());
    assert!(pseudonym::names_in(b"nothing", &k).is_empty());
}

#[test]
fn preview_lists_what_is_not_touched() {
    let whats: Vec<&str> = pseudonym::NOT_TOUCHED.iter().map(|(w, _)| *w).collect();
    assert!(whats.iter().any(|w| w.contains("Coders")));
    assert!(
        !whats.iter().any(|w| w.contains("annotation")),
        "annotations are pseudonymised"
    );
}

#[test]
fn the_key_reads_from_csv_with_or_without_a_header() {
    let k =
        pseudonym::parse_key_csv("real name,pseudonym\r\nYuri Bakulin,P1\n\"Khan, Amira\",GP2\n\n")
            .unwrap();
    assert_eq!(k, key(&[("Yuri Bakulin", "P1"), ("Khan, Amira", "GP2")]));
    assert_eq!(
        pseudonym::parse_key_csv(&pseudonym::export_key_csv(&k)).unwrap(),
        k
    );
    assert_eq!(
        pseudonym::parse_key_csv("Yuri,P1").unwrap(),
        key(&[("Yuri", "P1")])
    );
    let bad = pseudonym::parse_key_csv("Yuri,P1\nAdrian\na,b,c\n").unwrap_err();
    let lines: Vec<usize> = bad.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![2, 3]);
}

// ---- Round trip: the demo, pseudonymised, exported in every format (issue 14) ----

/// The demo's invented real names and places (core/src/demo.rs and demo/*.txt).
const DEMO_NAMES: &[(&str, &str)] = &[
    ("Dr Harris", "GP-A"),
    ("Harris", "GP-A"),
    ("Dr Okafor", "GP-B"),
    ("Okafor", "GP-B"),
    ("Northgate", "Site N"),
    ("Fellside", "Site F"),
    ("Harbourside", "Site H"),
    ("Quayside Surgery", "Practice Q"),
    ("Quayside", "Town Q"),
    ("Coast Road Surgery", "Practice C"),
    ("Coast Road", "Street C"),
    ("Kirkby Moor", "Village K"),
    ("Thornsby", "Village T"),
    ("Hallbeck", "Village H"),
    ("Saltby", "Village S"),
    ("Ravensgill", "Village R"),
    ("Kingsport", "Town K"),
    ("Bright Street", "Street B"),
    ("Mill Lane", "Street M"),
    ("Canal Street", "Street K"),
    ("Ashby Road", "Street A"),
];

/// Every entry of every zip archive (recursively), else the bytes themselves.
fn unpacked(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    if !bytes.starts_with(b"PK\x03\x04") {
        return vec![(String::new(), bytes.to_vec())];
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        for (inner, d) in unpacked(&data) {
            out.push((format!("{name}/{inner}"), d));
        }
    }
    out
}

#[test]
fn demo_pseudonymised_then_exported_in_every_format_holds_no_real_name() {
    let demo = demo::demo_project(&mut SeqIds::new(14), 1_700_000_000_000);
    let k = key(DEMO_NAMES);
    let before = pseudonym::remaining(&demo, &k);
    assert!(
        before.len() > 50,
        "the demo names its places: {}",
        before.len()
    );
    let groups: Vec<pseudonym::Group> = pseudonym::summary(&demo, &before)
        .iter()
        .map(|g| g.group)
        .collect();
    for g in [
        pseudonym::Group::SourceText,
        pseudonym::Group::SourceNames,
        pseudonym::Group::CaseNames,
        pseudonym::Group::Memos,
    ] {
        assert!(groups.contains(&g), "{g:?} in {groups:?}");
    }
    let mut p = apply(&demo, pseudonym::apply_action(&before)).unwrap();
    p = apply(&p, Action::SetPseudonyms { key: k.clone() }).unwrap();
    assert!(pseudonym::remaining(&p, &k).is_empty());

    // Every export that exists today, of the project as exported (the key left out).
    let exported = Project {
        pseudonyms: Vec::new(),
        ..p.clone()
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "project.framewise.json".into(),
            persist::to_project_file(&exported, &persist::ProjectMeta::new(0)).into_bytes(),
        ),
        ("project.qdpx".into(), refi::export_qdpx(&exported).unwrap()),
        (
            "codebook.qdc".into(),
            refi::export_qdc(&exported).into_bytes(),
        ),
        (
            "codebook.csv".into(),
            codebook_csv::export_codebook_csv(&exported).into_bytes(),
        ),
        (
            "cases.csv".into(),
            cases::export_case_table_csv(&exported).into_bytes(),
        ),
    ];
    assert!(!exported.matrices.is_empty());
    for m in &exported.matrices {
        files.push((
            format!("{}.csv", m.name),
            matrix::export_csv(&exported, m).into_bytes(),
        ));
        files.push((
            format!("{}.xlsx", m.name),
            matrix::export_xlsx(&exported, m, true).unwrap(),
        ));
        files.push((
            format!("{}.html", m.name),
            matrix::export_html(&exported, m).into_bytes(),
        ));
    }
    for (file, bytes) in &files {
        // The export check itself finds nothing…
        let found = pseudonym::names_in_archive(bytes, &k).unwrap();
        assert!(found.is_empty(), "{file}: {found:?}");
        // …and no real name occurs in any byte, in any case, whole word or not.
        for (entry, data) in unpacked(bytes) {
            let text = String::from_utf8_lossy(&data).to_lowercase();
            for (real, _) in DEMO_NAMES {
                assert!(
                    !text.contains(&real.to_lowercase()),
                    "{file} {entry}: {real}"
                );
            }
        }
    }
    // The check is not blind: the demo before pseudonymising fails it in every format that
    // carries text.
    let raw = persist::to_project_file(&demo, &persist::ProjectMeta::new(0));
    assert!(!pseudonym::names_in(raw.as_bytes(), &k).is_empty());
    let qdpx = refi::export_qdpx(&demo).unwrap();
    assert!(!pseudonym::names_in_archive(&qdpx, &k).unwrap().is_empty());
    let xlsx = matrix::export_xlsx(&demo, &demo.matrices[0], true).unwrap();
    assert!(!pseudonym::names_in_archive(&xlsx, &k).unwrap().is_empty());
}

#[test]
fn a_plan_travels_to_the_page_as_text_and_comes_back_as_the_same_action() {
    use framewise_core::pseudonym::shown::{action, flat_edits};
    use framewise_core::pseudonym::Place;
    let e = everywhere();
    let k = key(&[
        ("Yuri Bakulin", "P1"),
        ("Yuri", "P1"),
        ("Bakulin", "P1"),
        ("Adrian Petrescu", "P2"),
        ("Adrian", "P2"),
    ]);
    let plan = plan(&e.p, &k);
    assert!(plan.len() > 15);
    for r in &plan {
        assert_eq!(Place::from_code(&r.place.code()), Some(r.place.clone()));
    }
    // Free texts come last and may hold the separator; every other kind reads back too.
    let made = [
        Place::ProjectName,
        Place::ProjectMemo,
        Place::Speaker {
            source: e.teams,
            speaker: "Dr A/B Khan / nurse".into(),
        },
        Place::Category {
            attribute: e.cat_attr,
            value: "a/b".into(),
        },
        Place::CellSummary {
            matrix: e.matrix,
            case: e.case,
            code: e.code,
        },
        Place::CaseSummary {
            matrix: e.matrix,
            case: e.case,
        },
        Place::AttributeValue {
            case: e.case,
            attribute: e.text_attr,
        },
        Place::SetDescription(e.set),
    ];
    for place in made {
        assert_eq!(Place::from_code(&place.code()), Some(place.clone()));
    }
    for bad in ["", "zz", "st", "st/not-an-id", "ms/x/y/z", "sp"] {
        assert_eq!(Place::from_code(bad), None, "{bad}");
    }
    // Through the wire's JSON and back: the action `apply_action` makes (places with several
    // edits included).
    let edits = flat_edits(&plan);
    assert_eq!(edits[0], format!("Pseudonymise {} mentions", plan.len()));
    assert_eq!(edits.len(), 1 + 4 * plan.len());
    let back: Vec<String> = protocol::decode(&protocol::encode(&edits)).unwrap();
    let Some(Action::ReplaceNames { edits: places, .. }) = action(&back) else {
        panic!("{back:?}");
    };
    assert!(places.len() < plan.len(), "some place has two edits");
    assert_eq!(action(&back), Some(apply_action(&plan)));
    let after = apply(&e.p, action(&back).unwrap()).unwrap();
    assert!(pseudonym::remaining(&after, &k).is_empty());
    // What the page cannot read refuses the whole action.
    let mut broken = back.clone();
    broken[1] = "xx/1".into();
    assert_eq!(action(&broken), None);
    let mut broken = back.clone();
    broken[2] = "-1".into();
    assert_eq!(action(&broken), None);
    assert_eq!(action(&back[..back.len() - 1]), None);
    assert_eq!(action(&[]), None);
}

#[test]
fn the_preview_is_written_out_with_every_text_escaped() {
    use framewise_core::pseudonym::shown::{plan_shown, preview};
    let (p, _, _) = project(&[
        "I saw Dr Amira Khan today. dr amira KHAN was late.",
        "Khanfield surgery. Ask Khan or Dr Amira Khan.",
    ]);
    let k = key(&[("Dr Amira Khan", "GP2"), ("Khan", "Person K")]);
    let plan = pseudonym::plan(&p, &k);
    let shown = plan_shown(&p, &k, &plan);
    assert_eq!(shown.count, 4);
    assert_eq!(
        shown.applied,
        "Replaced 4 mentions (Source text: 4 mentions in 2 sources). Undo (Ctrl+Z) puts every name back."
    );
    let html = &shown.markup;
    assert!(html.starts_with(
        "<section class=\"pseudo-preview\" aria-label=\"Preview of replacements\"><h3>Preview: 4 replacements</h3>"
    ));
    assert!(
        html.contains("<li>Dr Amira Khan → GP2: 3 mentions</li>"),
        "{html}"
    );
    assert!(
        html.contains("<li>Khan → Person K: 1 mention</li>"),
        "{html}"
    );
    assert!(html.contains("aria-label=\"Places\"><li>Source text: 4 mentions in 2 sources</li>"));
    let marks: Vec<&str> = html
        .split("<mark>")
        .skip(1)
        .filter_map(|m| m.split("</mark>").next())
        .collect();
    assert_eq!(
        marks,
        ["Dr Amira Khan", "dr amira KHAN", "Khan", "Dr Amira Khan"]
    );
    assert!(html.contains("<span class=\"pseudo-source\">Interview 2</span>"));
    assert!(html.contains("<ol class=\"pseudo-list\" aria-label=\"Source text\" tabindex=\"0\">"));
    assert!(html.contains("<summary>Not touched, and why</summary>"));
    assert!(html.contains("Coders&apos; names on codings"));
    assert_eq!(
        framewise_core::pseudonym::shown::action(&shown.edits),
        Some(apply_action(&plan))
    );

    // Names, pseudonyms, contexts and place names are text, never markup.
    let (p, _, _) = project(&["Then <Tom & \"Jerry\"> left.", "nothing"]);
    let k = key(&[("Tom & \"Jerry\"", "<b>P&1</b>")]);
    let plan = pseudonym::plan(&p, &k);
    assert_eq!(plan.len(), 1);
    let html = preview(&p, &k, &plan);
    assert!(
        !html.contains("<b>") && !html.contains("<Tom") && !html.contains("\"Jerry"),
        "{html}"
    );
    assert!(html.contains("Tom &amp; &quot;Jerry&quot; → &lt;b&gt;P&amp;1&lt;/b&gt;: 1 mention"));
    assert!(html.contains("…Then &lt;<mark>Tom &amp; &quot;Jerry&quot;</mark>&gt; left.…"));

    // Nothing found: the sentence instead of the lists.
    let html = preview(&p, &key(&[("Zed", "P9")]), &[]);
    assert!(html.contains("<h3>Preview: 0 replacements</h3>"));
    assert!(html.contains("The project does not mention these names anywhere"));
    assert!(!html.contains("aria-label=\"Places\""));
}

#[test]
fn the_export_check_says_how_many_names_and_where() {
    use framewise_core::pseudonym::shown::check;
    let e = everywhere();
    let k = key(&[("Yuri Bakulin", "P1"), ("Yuri", "P1"), ("Adrian", "P2")]);
    assert_eq!(
        check(&[], Some(&e.p), b"Yuri Bakulin").count,
        0,
        "no key, nothing to check"
    );
    assert_eq!(check(&k, None, b"nobody here"), Default::default());

    // Bytes only: the passages.
    let found = check(&k, None, b"name,memo\r\nYuri Bakulin,Adrian &amp; me\r\n");
    assert_eq!(found.count, 2);
    assert!(found
        .markup
        .starts_with("<ol class=\"pseudo-list\" aria-label=\"Where\" tabindex=\"0\">"));
    assert!(found.markup.contains("<mark>Yuri Bakulin</mark>"));
    assert!(
        found.markup.contains("<mark>Adrian</mark> &amp; me"),
        "{}",
        found.markup
    );
    assert!(!found.markup.contains("Places"));

    // The whole project: its places, grouped then listed (at most 12, the rest counted).
    let places = pseudonym::remaining(&e.p, &k);
    assert!(places.len() > 12, "{}", places.len());
    let found = check(&k, Some(&e.p), b"");
    assert_eq!(found.count, places.len());
    assert!(found
        .markup
        .starts_with("<ul class=\"pseudo-counts\" aria-label=\"Places\"><li>"));
    assert_eq!(
        found
            .markup
            .matches("<span class=\"pseudo-source\">")
            .count(),
        12
    );
    assert!(found
        .markup
        .contains(&format!("… and {} more", places.len() - 12)));
    // A project without names but bytes with one: the passages of the bytes.
    let (clean, _, _) = project(&["nothing"]);
    let found = check(&k, Some(&clean), b"Yuri");
    assert_eq!(found.count, 1);
    assert!(found.markup.contains("<mark>Yuri</mark>"));
}
