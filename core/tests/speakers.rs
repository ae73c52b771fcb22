//! Speakers everywhere: turn lookups, the coding → speaker rule, speakers per source and
//! project, matrices that leave speakers out and give linked speakers' turns to cases, and
//! auto-coding (turns of a speaker, plain-text search, widening to sentence/paragraph/turn) as
//! one undo step.
#![allow(clippy::unwrap_used)]

mod common;

use common::{case, source, NOW};
use framewise_core::autocode::{self, find_plain, Scope};
use framewise_core::matrix::{build_view, cell_segments, export_csv};
use framewise_core::speakers::{
    coding_speaker, format_time, project_speakers, speaker_at, speakers_of, turn_index_at,
};
use framewise_core::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

/// A group interview as a subtitle file gives it: the names are only in the turns.
const GROUP: [(&str, &str, u64); 5] = [
    ("Interviewer", "How did the funding change things?", 0),
    ("Asha", "The funding came late. We lost two posts.", 4_000),
    ("Interviewer", "And the rooms?", 9_500),
    ("Ben", "Rooms were fine. Funding was the problem!", 12_000),
    ("asha", "Funding again, yes.", 3_725_000),
];

fn vtt_like(ids: &mut SeqIds) -> Source {
    let mut text = String::new();
    let mut turns = Vec::new();
    for (speaker, said, ms) in GROUP {
        if !text.is_empty() {
            text.push('\n');
        }
        let start = text.len();
        text.push_str(said);
        turns.push(Turn {
            speaker: Some(speaker.into()),
            span: Span::new(start, text.len()),
            start_ms: Some(ms),
            end_ms: Some(ms + 3_000),
        });
    }
    Source {
        id: ids.source_id(),
        name: "Group".into(),
        kind: SourceKind::Interview,
        text: text.as_str().into(),
        memo: String::new(),
        imported: NOW,
        file_name: Some("group.vtt".into()),
        turns,
    }
}

const PLAIN: &str = "Interview P03\nInterviewer: Tell me about funding. Was it enough?\nP03: Funding was never enough. We managed.\n\nIt was hard.\nInterviewer: Thanks.";

fn plain(ids: &mut SeqIds) -> Source {
    Source {
        id: ids.source_id(),
        name: "P03".into(),
        kind: SourceKind::Interview,
        text: PLAIN.into(),
        memo: String::new(),
        imported: NOW,
        file_name: Some("p03.txt".into()),
        turns: import::detect_turns(PLAIN),
    }
}

fn code(ids: &mut SeqIds, name: &str) -> Code {
    Code {
        id: ids.code_id(),
        name: name.into(),
        parent: None,
        color: "#0072b2".into(),
        description: String::new(),
        origin: CodeOrigin::Inductive,
        memo: String::new(),
        created: NOW,
    }
}

fn coding(ids: &mut SeqIds, source: &Source, needle: &str, code: CodeId) -> Coding {
    let start = source.text.find(needle).unwrap();
    Coding {
        id: ids.coding_id(),
        source: source.id,
        span: Span::new(start, start + needle.len()),
        code,
        coder: "t".into(),
        created: NOW,
    }
}

struct Fixture {
    project: Project,
    ids: SeqIds,
    group: Arc<Source>,
    p03: Arc<Source>,
    funding: CodeId,
}

fn fixture() -> Fixture {
    let mut ids = SeqIds::new(7);
    let group = vtt_like(&mut ids);
    let p03 = plain(&mut ids);
    let project = Project::new(ids.project_id(), "Speakers", NOW);
    let project = apply(
        &project,
        Action::AddSources {
            sources: vec![group, p03],
        },
    )
    .unwrap();
    let funding = code(&mut ids, "Funding");
    let funding_id = funding.id;
    let project = apply(&project, Action::CreateCode { code: funding }).unwrap();
    let group = project.sources[0].clone();
    let p03 = project.sources[1].clone();
    Fixture {
        project,
        ids,
        group,
        p03,
        funding: funding_id,
    }
}

#[test]
fn turns_are_found_by_position() {
    let f = fixture();
    let g = &f.group;
    let at = |needle: &str| g.text.find(needle).unwrap();
    assert_eq!(speaker_at(g, 0), Some("Interviewer"));
    assert_eq!(speaker_at(g, at("lost two")), Some("Asha"));
    assert_eq!(speaker_at(g, at("Rooms were")), Some("Ben"));
    // The line break between turns belongs to no turn.
    let gap = at("\nAnd the rooms");
    assert_eq!(speaker_at(g, gap), None);
    assert_eq!(turn_index_at(g, gap + 1), Some(2));
    assert_eq!(speaker_at(g, g.text.len()), None);

    // Plain text: the label stays in the text and outside the turn.
    let p = &f.p03;
    let label = p.text.find("P03:").unwrap();
    assert_eq!(speaker_at(p, label), None);
    assert_eq!(speaker_at(p, label + 5), Some("P03"));
    assert_eq!(speaker_at(p, 0), None, "the title line is no one's");
    // The paragraph after an empty line still belongs to P03's turn.
    assert_eq!(
        speaker_at(p, p.text.find("It was hard").unwrap()),
        Some("P03")
    );
}

#[test]
fn a_coding_belongs_to_the_speaker_where_it_starts() {
    let mut f = fixture();
    let p = f.p03.clone();
    // Starting on the label: the turn it reaches into.
    let with_label = coding(&mut f.ids, &p, "P03: Funding", f.funding);
    assert_eq!(coding_speaker(&p, &with_label), Some("P03"));
    // Spanning two turns: the first.
    let across = coding(&mut f.ids, &p, "enough?\nP03: Funding", f.funding);
    assert_eq!(coding_speaker(&p, &across), Some("Interviewer"));
    // In the title, reaching no turn.
    let title = coding(&mut f.ids, &p, "Interview P03", f.funding);
    assert_eq!(coding_speaker(&p, &title), None);
}

#[test]
fn speakers_per_source_and_project() {
    let f = fixture();
    let stats = speakers_of(&f.group);
    let names: Vec<(&str, usize)> = stats.iter().map(|s| (s.name.as_str(), s.turns)).collect();
    assert_eq!(names, [("Interviewer", 2), ("Asha", 2), ("Ben", 1)]);
    let asha = "The funding came late. We lost two posts.".chars().count()
        + "Funding again, yes.".chars().count();
    assert_eq!(stats[1].chars, asha);
    let p = speakers_of(&f.p03);
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].turns, 2);
    // "Interviewer" of the second source is the same speaker; first-seen order and spelling.
    assert_eq!(
        project_speakers(&f.project),
        ["Interviewer", "Asha", "Ben", "P03"]
    );
}

#[test]
fn times_for_the_margin() {
    assert_eq!(format_time(0), "00:00");
    assert_eq!(format_time(9_500), "00:09");
    assert_eq!(format_time(754_000), "12:34");
    assert_eq!(format_time(3_725_000), "1:02:05");
}

#[test]
fn plain_search() {
    let text = "Funding, funding! Underfunding; FUNDING. Café cafés CAFÉ";
    let spans = |needle: &str, ci: bool, ww: bool| -> Vec<&str> {
        find_plain(text, needle, ci, ww)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    };
    assert_eq!(spans("funding", false, false), ["funding", "funding"]);
    assert_eq!(
        spans("funding", true, false),
        ["Funding", "funding", "funding", "FUNDING"]
    );
    assert_eq!(
        spans("funding", true, true),
        ["Funding", "funding", "FUNDING"]
    );
    assert_eq!(spans("café", true, true), ["Café", "CAFÉ"]);
    assert_eq!(spans("café", true, false), ["Café", "café", "CAFÉ"]);
    assert!(spans("", true, false).is_empty());
    assert!(spans("absent", true, false).is_empty());
    // Matches do not overlap.
    assert_eq!(find_plain("aaaa", "aa", false, false).len(), 2);
    // A character whose lower case is longer keeps offsets right.
    let t = "İstanbul and istanbul";
    let found = find_plain(t, "istanbul", true, true);
    assert_eq!(found.len(), 1);
    assert_eq!(&t[found[0].start..found[0].end], "istanbul");
}

#[test]
fn matches_widen_to_sentence_paragraph_and_turn() {
    let f = fixture();
    let p = &f.p03;
    let hits = find_plain(&p.text, "enough", true, true);
    assert_eq!(hits.len(), 2);
    let texts = |scope: Scope| -> Vec<String> {
        autocode::expand(p, &hits, scope)
            .iter()
            .map(|s| p.text[s.start..s.end].to_string())
            .collect()
    };
    assert_eq!(texts(Scope::Match), ["enough", "enough"]);
    assert_eq!(
        texts(Scope::Sentence),
        ["Was it enough?", "Funding was never enough."]
    );
    // The paragraph leaves the speaker label out.
    assert_eq!(
        texts(Scope::Paragraph),
        [
            "Tell me about funding. Was it enough?",
            "Funding was never enough. We managed."
        ]
    );
    // The turn runs on over the empty line.
    assert_eq!(
        texts(Scope::Turn),
        [
            "Tell me about funding. Was it enough?",
            "Funding was never enough. We managed.\n\nIt was hard."
        ]
    );
    // Two hits in one paragraph give one span.
    let both = find_plain(&p.text, "funding", true, false);
    assert_eq!(both.len(), 2);
    let para_hits: Vec<Span> = both.into_iter().take(1).chain(hits).collect();
    assert_eq!(autocode::expand(p, &para_hits, Scope::Paragraph).len(), 2);
}

#[test]
fn auto_code_turns_of_a_speaker_is_one_undo_step() {
    let mut f = fixture();
    let sources = vec![f.group.id, f.p03.id];
    let codings = autocode::speaker_turns(
        &f.project,
        f.funding,
        "INTERVIEWER",
        &sources,
        "t",
        NOW,
        &mut f.ids,
    );
    assert_eq!(codings.len(), 4, "two turns in each source");
    for c in &codings {
        let source = f.project.source(c.source).unwrap();
        assert_eq!(coding_speaker(source, c), Some("Interviewer"));
        let said = &source.text[c.span.start..c.span.end];
        assert_eq!(said, said.trim());
        assert!(!said.contains("Interviewer:"));
    }
    let label = autocode::speaker_label(codings.len(), "Interviewer");
    assert_eq!(label, "Auto-code 4 turns of Interviewer");
    let mut history = History::new();
    let before = f.project.clone();
    let after = history
        .apply(&f.project, autocode::action(label.clone(), None, codings))
        .unwrap();
    assert_eq!(after.coding_count(), 4);
    assert_eq!(history.undo_labels().next(), Some(label.as_str()));
    // Again: every turn is coded already.
    let again = autocode::speaker_turns(
        &after,
        f.funding,
        "Interviewer",
        &sources,
        "t",
        NOW,
        &mut f.ids,
    );
    assert!(again.is_empty());
    // Only this source.
    let one = autocode::speaker_turns(
        &before,
        f.funding,
        "asha",
        &[f.group.id],
        "t",
        NOW,
        &mut f.ids,
    );
    assert_eq!(one.len(), 2);
    let undone = history.undo(&after).unwrap();
    assert_eq!(undone, before);
}

#[test]
fn auto_code_matches_with_a_new_code_is_one_undo_step() {
    let mut f = fixture();
    let hits: Vec<(SourceId, Vec<Span>)> = f
        .project
        .sources
        .iter()
        .map(|s| (s.id, find_plain(&s.text, "funding", true, true)))
        .collect();
    let new_code = Code::inductive(&f.project, f.ids.code_id(), "Money", None, NOW);
    let codings = autocode::matches(
        &f.project,
        &hits,
        new_code.id,
        Scope::Sentence,
        "t",
        NOW,
        &mut f.ids,
    );
    // Group: 4 sentences; P03: 2 (its two "funding"s are in different sentences).
    assert_eq!(codings.len(), 6);
    let label = autocode::pattern_label(codings.len(), "funding");
    assert_eq!(label, "Auto-code 6 matches of “funding”");
    let mut history = History::new();
    let after = history
        .apply(
            &f.project,
            autocode::action(label, Some(new_code.clone()), codings),
        )
        .unwrap();
    assert!(after.code(new_code.id).is_some());
    assert_eq!(after.coding_count(), 6);
    // Coding the same again adds nothing new.
    let again = autocode::matches(
        &after,
        &hits,
        new_code.id,
        Scope::Sentence,
        "t",
        NOW,
        &mut f.ids,
    );
    assert!(again.is_empty());
    assert_eq!(history.undo(&after).unwrap(), f.project);
}

/// The group source coded with Funding on every "funding" sentence, a case per participant,
/// and a matrix with the one column.
fn charted() -> (Fixture, Matrix, CaseId, CaseId, CaseId) {
    let mut f = fixture();
    let hits: Vec<(SourceId, Vec<Span>)> = f
        .project
        .sources
        .iter()
        .map(|s| (s.id, find_plain(&s.text, "funding", true, true)))
        .collect();
    let codings = autocode::matches(
        &f.project,
        &hits,
        f.funding,
        Scope::Sentence,
        "t",
        NOW,
        &mut f.ids,
    );
    f.project = apply(&f.project, Action::AddCodings { codings }).unwrap();
    // Group site (the whole group source), Asha below it (linked by speaker), P03 (its source).
    let site = case(&mut f.ids, "Group site", None, vec![f.group.id]);
    let asha = case(&mut f.ids, "Asha", Some(site.id), vec![]);
    let p03 = case(&mut f.ids, "P03", None, vec![f.p03.id]);
    let ids = (site.id, asha.id, p03.id);
    f.project = apply(
        &f.project,
        Action::AddCases {
            cases: vec![site, asha, p03],
        },
    )
    .unwrap();
    let matrix = Matrix::new(f.ids.matrix_id(), "Funding", vec![f.funding], NOW);
    f.project = apply(
        &f.project,
        Action::CreateMatrix {
            matrix: matrix.clone(),
        },
    )
    .unwrap();
    (f, matrix, ids.0, ids.1, ids.2)
}

fn counts(project: &Project, matrix: &Matrix) -> Vec<usize> {
    build_view(project, matrix)
        .cells
        .iter()
        .map(|row| row[0].segments)
        .collect()
}

#[test]
fn matrix_leaves_out_excluded_speakers_and_gives_linked_turns_to_cases() {
    let (mut f, matrix, site, asha, p03) = charted();
    let m = |p: &Project| (**p.matrix(matrix.id).unwrap()).clone();
    // Rows: site, Asha, P03. Group: "How did the funding…" (Interviewer), "The funding came
    // late." (Asha), "Funding was the problem!" (Ben), "Funding again, yes." (asha).
    // P03: "Tell me about funding." (Interviewer), "Funding was never enough." (P03).
    assert_eq!(counts(&f.project, &m(&f.project)), [4, 0, 2]);

    // Exclude the interviewer (any case): the site and P03 lose one segment each.
    let excluded: BTreeSet<String> = ["interviewer".to_string()].into();
    f.project = apply(
        &f.project,
        Action::SetMatrixExcludedSpeakers {
            id: matrix.id,
            speakers: excluded,
        },
    )
    .unwrap();
    assert_eq!(counts(&f.project, &m(&f.project)), [3, 0, 1]);

    // Link Asha: her row gets her two turns' codings; the site keeps its whole source.
    f.project = apply(
        &f.project,
        Action::LinkSpeaker {
            case: asha,
            source: f.group.id,
            speaker: "Asha".into(),
        },
    )
    .unwrap();
    let now = m(&f.project);
    assert_eq!(counts(&f.project, &now), [3, 2, 1]);
    let cell: Vec<&str> = cell_segments(&f.project, &now, asha, f.funding)
        .iter()
        .map(|c| f.project.coded_text(c))
        .collect();
    assert_eq!(cell, ["The funding came late.", "Funding again, yes."]);
    // The cell panel and the grid agree everywhere.
    for (case, n) in [(site, 3), (asha, 2), (p03, 1)] {
        assert_eq!(cell_segments(&f.project, &now, case, f.funding).len(), n);
    }
    // The export goes through the same segments.
    let csv = export_csv(&f.project, &now);
    assert!(csv.contains("Asha"), "{csv}");

    // A speaker linked to a case that also has the whole source counts once.
    f.project = apply(
        &f.project,
        Action::LinkSpeaker {
            case: site,
            source: f.group.id,
            speaker: "Ben".into(),
        },
    )
    .unwrap();
    assert_eq!(counts(&f.project, &m(&f.project)), [3, 2, 1]);

    // Excluding a linked speaker leaves its turns out of its case too.
    f.project = apply(
        &f.project,
        Action::SetMatrixExcludedSpeakers {
            id: matrix.id,
            speakers: ["Interviewer".to_string(), "ASHA".to_string()].into(),
        },
    )
    .unwrap();
    assert_eq!(counts(&f.project, &m(&f.project)), [1, 0, 1]);

    // Without sub-cases the site does not collect Asha's links, but keeps its own source.
    f.project = apply(
        &f.project,
        Action::SetMatrixExcludedSpeakers {
            id: matrix.id,
            speakers: BTreeSet::new(),
        },
    )
    .unwrap();
    f.project = apply(
        &f.project,
        Action::UnlinkSpeaker {
            case: site,
            source: f.group.id,
            speaker: "Ben".into(),
        },
    )
    .unwrap();
    f.project = apply(
        &f.project,
        Action::SetMatrixScope {
            id: matrix.id,
            include_subcases: false,
            include_child_codes: true,
        },
    )
    .unwrap();
    assert_eq!(counts(&f.project, &m(&f.project)), [4, 2, 2]);
}

#[test]
fn demo_interviews_have_speakers_and_the_matrix_can_leave_the_interviewer_out() {
    let demo = demo::demo_project(&mut SeqIds::new(3), NOW);
    let speakers = project_speakers(&demo);
    assert!(speakers.iter().any(|s| s == "Interviewer"), "{speakers:?}");
    assert!(speakers.iter().any(|s| s == "P01"), "{speakers:?}");
    let matrix = (*demo.matrices[0]).clone();
    let before = counts_all(&demo, &matrix);
    // Code the interviewer's turns with the matrix's first column: the cells grow, and leaving
    // the interviewer out takes exactly those away again.
    let mut ids = SeqIds::new(500);
    let sources: Vec<SourceId> = demo.sources.iter().map(|s| s.id).collect();
    let codings = autocode::speaker_turns(
        &demo,
        matrix.columns[0],
        "interviewer",
        &sources,
        "t",
        NOW,
        &mut ids,
    );
    assert!(codings.len() > 10, "{}", codings.len());
    let demo = apply(&demo, autocode::action("x".into(), None, codings)).unwrap();
    let all = counts_all(&demo, &matrix);
    assert!(all > before, "{all} > {before}");
    let mut without = matrix.clone();
    without.exclude_speakers = ["Interviewer".to_string()].into();
    assert_eq!(counts_all(&demo, &without), before);
}

fn counts_all(project: &Project, matrix: &Matrix) -> usize {
    build_view(project, matrix)
        .cells
        .iter()
        .flatten()
        .map(|c| c.segments)
        .sum()
}

#[test]
fn large_matrix_with_speakers_stays_one_pass() {
    // 100 sources of 40 alternating turns, 100 cases (each linked to one source and to a
    // speaker of another), 40 codes, 20,000 codings, the interviewer left out.
    let mut ids = SeqIds::new(99);
    let mut project = Project::new(ids.project_id(), "Large", NOW);
    let mut text = String::new();
    let mut turns = Vec::new();
    for t in 0..40 {
        if t > 0 {
            text.push('\n');
        }
        let start = text.len();
        text.push_str(&"Lorem ipsum dolor sit amet. ".repeat(20));
        turns.push(Turn {
            speaker: Some(if t % 2 == 0 { "Interviewer" } else { "P" }.into()),
            span: Span::new(start, text.len()),
            start_ms: None,
            end_ms: None,
        });
    }
    let sources: Vec<Source> = (0..100)
        .map(|i| Source {
            imported: NOW,
            turns: turns.clone(),
            ..source(&mut ids, &format!("S{i}"), &text)
        })
        .collect();
    let source_ids: Vec<SourceId> = sources.iter().map(|s| s.id).collect();
    project = apply(&project, Action::AddSources { sources }).unwrap();
    let codes: Vec<Code> = (0..40).map(|i| code(&mut ids, &format!("C{i}"))).collect();
    let code_ids: Vec<CodeId> = codes.iter().map(|c| c.id).collect();
    project = apply(&project, Action::ImportCodes { codes }).unwrap();
    let codings: Vec<Coding> = (0..20_000usize)
        .map(|i| {
            let start = (i * 7) % 20_000;
            Coding {
                id: ids.coding_id(),
                source: source_ids[i % 100],
                span: Span::new(start, start + 5),
                code: code_ids[(i / 100) % 40],
                coder: "c".into(),
                created: NOW,
            }
        })
        .collect();
    project = apply(&project, Action::AddCodings { codings }).unwrap();
    let cases: Vec<Case> = (0..100)
        .map(|i| {
            let mut c = case(&mut ids, &format!("P{i}"), None, vec![source_ids[i]]);
            c.speakers.push(SpeakerLink {
                source: source_ids[(i + 1) % 100],
                speaker: "p".into(),
            });
            c
        })
        .collect();
    project = apply(&project, Action::AddCases { cases }).unwrap();
    let mut matrix = Matrix::new(ids.matrix_id(), "Large", code_ids, NOW);
    let plain = counts_all(&project, &matrix);
    matrix.exclude_speakers = ["Interviewer".to_string()].into();
    let started = Instant::now();
    let view = build_view(&project, &matrix);
    let elapsed = started.elapsed();
    eprintln!(
        "build_view with speakers: {} × {} over {} codings in {:.2} ms",
        view.rows.len(),
        view.columns.len(),
        project.coding_count(),
        elapsed.as_secs_f64() * 1000.0
    );
    let total: usize = view.cells.iter().flatten().map(|c| c.segments).sum();
    // Codings of P's turns count twice (own source + linked speaker), the interviewer's never.
    let in_p: usize = project
        .all_codings()
        .filter(|c| {
            let s = project.source(c.source).unwrap();
            coding_speaker(s, c) == Some("P")
        })
        .count();
    assert!(in_p > 0 && in_p < 20_000);
    assert_eq!(total, 2 * in_p);
    assert_eq!(plain, 20_000 + in_p);
    // The time is printed above, not asserted: a timed assertion fails on a busy machine.
}
