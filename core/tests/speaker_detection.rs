//! Issue 9 (defects of the coding flow): speaker detection in unlabelled text. A label must
//! recur, or follow the document's dominant layout; tab-separated labels count; a time line
//! whose time a turn takes is not also kept as text.
#![allow(clippy::unwrap_used)]

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
