//! Issue 9 (defects of the coding flow): speaker detection in unlabelled text. A label must
//! recur, or follow the document's dominant layout; tab-separated labels count; a time line
//! whose time a turn takes is not also kept as text.
#![allow(clippy::unwrap_used)]

mod common;

use framewise_core::import::{detect_transcript, detect_turns, import_file};

fn speakers(text: &str) -> Vec<String> {
    detect_turns(text)
        .iter()
        .map(|t| t.speaker.clone().unwrap_or_default())
        .collect()
}

#[test]
fn indented_labels_in_a_transcript_of_unindented_ones_are_not_speakers() {
    let text = "CDR: Okay, panel 16, top row.\n     FLIGHT DISPLAYS: CROSS - COMMANDER.\n\
                CC:  Roger.\n     Panel 5: close the breakers.\nCDR: Done.\n\
                CC:  Now panel 5 again:\n     Panel 5: all the breakers\n     FLIGHT DISPLAYS: open\n";
    assert_eq!(speakers(text), ["CDR", "CC", "CDR", "CC"]);
    let turns = detect_turns(text);
    let said = &text[turns[0].span.start..turns[0].span.end];
    assert!(
        said.ends_with("FLIGHT DISPLAYS: CROSS - COMMANDER."),
        "{said}"
    );
}

#[test]
fn titles_with_a_colon_are_not_speakers() {
    let text = "Evaluation of link workers: wave two\nChapter One: Beginnings\n\n\
                Ann: Hello.\nBob: Hi there.\nAnn: How are you?\nBob: Fine.\n";
    assert_eq!(speakers(text), ["Ann", "Bob", "Ann", "Bob"]);
}

#[test]
fn tab_separated_labels_are_speakers() {
    let text = "Interviewer\tHow did the funding change things?\nAsha\tIt came late.\n\
                Interviewer\tAnd the rooms?\nAsha\tFine.\n";
    let turns = detect_turns(text);
    assert_eq!(
        speakers(text),
        ["Interviewer", "Asha", "Interviewer", "Asha"]
    );
    assert_eq!(
        &text[turns[1].span.start..turns[1].span.end],
        "It came late."
    );
    // A table-like line that occurs once is not.
    assert!(detect_turns("Total\t12\nSome prose.\n").is_empty());
}

#[test]
fn time_lines_become_margin_times_not_text() {
    let text = "[-00:00:00:10]\nLCC: 10, 9, 8 --\n\n[00:00:00:01]\nLCC: LIFT-OFF.\n\n\
                [00:00:00:02]\n_page : 8\nCDR: The clock is running.\n";
    let (stripped, turns, taken) = detect_transcript(text);
    assert_eq!(taken, 2);
    assert_eq!(
        stripped,
        "[-00:00:00:10]\nLCC: 10, 9, 8 --\n\nLCC: LIFT-OFF.\n\n_page : 8\nCDR: The clock is running.\n"
    );
    let said: Vec<&str> = turns
        .iter()
        .map(|t| &stripped[t.span.start..t.span.end])
        .collect();
    assert_eq!(said, ["10, 9, 8 --", "LIFT-OFF.", "The clock is running."]);
    let times: Vec<Option<u64>> = turns.iter().map(|t| t.start_ms).collect();
    assert_eq!(times, [None, Some(1_000), Some(2_000)]);
    // On import the same happens, with a notice saying so.
    let imported = import_file("apollo.txt", text.as_bytes()).unwrap();
    assert_eq!(imported.text, stripped);
    assert_eq!(imported.turns, turns);
    assert!(imported.notices.iter().any(|n| n.starts_with("2 lines")));
}

mod corrections {
    use framewise_core::import::detect_turns;
    use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
    use framewise_core::*;

    const TEXT: &str = "CDR: Okay, panel 16.\nFLIGHT DISPLAYS: CROSS.\nCC: Roger.\nFLIGHT DISPLAYS: open\nCDR: Done.\nCdr: And again.\nCdr: More.\nCC: Copy.\n";

    fn project() -> (Project, SourceId, CaseId) {
        let mut ids = SeqIds::new(1);
        let mut p = Project::new(ids.project_id(), "Apollo", 0);
        let turns = detect_turns(TEXT);
        let source = Source {
            turns,
            ..super::common::source(&mut ids, "Air to ground", TEXT)
        };
        let sid = source.id;
        p = apply(
            &p,
            Action::AddSources {
                sources: vec![source],
            },
        )
        .unwrap();
        let case = Case::new(ids.case_id(), "Lovell", 2);
        let cid = case.id;
        p = apply(&p, Action::AddCases { cases: vec![case] }).unwrap();
        for speaker in ["CDR", "Cdr"] {
            p = apply(
                &p,
                Action::LinkSpeaker {
                    case: cid,
                    source: sid,
                    speaker: speaker.into(),
                },
            )
            .unwrap();
        }
        (p, sid, cid)
    }

    fn labels(p: &Project, s: SourceId) -> Vec<String> {
        p.source(s)
            .unwrap()
            .turns
            .iter()
            .map(|t| t.speaker.clone().unwrap_or_default())
            .collect()
    }

    #[test]
    fn rename_merge_and_not_a_speaker_are_undoable_and_saved() {
        let (p, s, case) = project();
        assert_eq!(
            labels(&p, s),
            [
                "CDR",
                "FLIGHT DISPLAYS",
                "CC",
                "FLIGHT DISPLAYS",
                "CDR",
                "Cdr",
                "Cdr",
                "CC"
            ]
        );
        let mut history = History::new();
        // "Not a speaker": its turns rejoin the turn before them.
        let q = history
            .apply(
                &p,
                Action::NotASpeaker {
                    source: s,
                    speaker: "flight displays".into(),
                },
            )
            .unwrap();
        assert_eq!(labels(&q, s), ["CDR", "CC", "CDR", "Cdr", "Cdr", "CC"]);
        let first = &q.source(s).unwrap().turns[0];
        assert_eq!(
            &TEXT[first.span.start..first.span.end],
            "Okay, panel 16.\nFLIGHT DISPLAYS: CROSS."
        );
        // Merge: one speaker under two spellings; the case's two links become one.
        let q = history
            .apply(
                &q,
                Action::MergeSpeakers {
                    source: s,
                    from: "Cdr".into(),
                    into: "CDR".into(),
                },
            )
            .unwrap();
        assert_eq!(labels(&q, s), ["CDR", "CC", "CDR", "CDR", "CDR", "CC"]);
        assert_eq!(q.case(case).unwrap().speakers.len(), 1);
        // Rename: the links follow.
        let q = history
            .apply(
                &q,
                Action::RenameSpeaker {
                    source: s,
                    from: "CDR".into(),
                    to: "Lovell".into(),
                },
            )
            .unwrap();
        assert_eq!(
            labels(&q, s),
            ["Lovell", "CC", "Lovell", "Lovell", "Lovell", "CC"]
        );
        assert_eq!(q.case(case).unwrap().speakers[0].speaker, "Lovell");
        assert!(matches!(
            apply(
                &q,
                Action::NotASpeaker {
                    source: s,
                    speaker: "Nobody".into()
                }
            ),
            Err(ActionError::UnknownSpeaker(_))
        ));
        // Saved: the corrected turns come back from the project file.
        let loaded = from_project_file(&to_project_file(&q, &ProjectMeta::new(3))).unwrap();
        assert_eq!(
            loaded.project.source(s).unwrap().turns,
            q.source(s).unwrap().turns
        );
        // Each correction is one undo step.
        let q = history.undo(&q).unwrap();
        let q = history.undo(&q).unwrap();
        let q = history.undo(&q).unwrap();
        assert_eq!(q, p);
    }
}
