//! Code suggestions (`framewise_core::suggest`): units, the project's own stop words, a passage
//! identical to a coded one ranking first, determinism, rejected passages never coming back,
//! accepted passages changing the ranking, Greek and Hungarian text (fixtures written by us for
//! these tests), "Suggest codes", the evaluation against a random ranking, and (ignored, prints
//! its times) a million words.
#![allow(clippy::unwrap_used)]

mod common;

use common::{code, coding, source, NOW};
use framewise_core::suggest::{
    evaluate, shown, units, EvalOptions, Model, SplitMix64, SuggestOptions, UnitKind,
};
use framewise_core::*;
use std::sync::Arc;

/// A project of `texts` (one source each) and `codes`, coded with `(source, code, passage)`:
/// the first occurrence of the passage's text in that source.
fn project(texts: &[&str], codes: &[&str], coded: &[(usize, usize, &str)]) -> Project {
    let mut ids = SeqIds::new(1);
    let mut project = Project::new(ids.project_id(), "Suggest", NOW);
    for (i, text) in texts.iter().enumerate() {
        project
            .sources
            .push(Arc::new(source(&mut ids, &format!("S{}", i + 1), text)));
    }
    for name in codes {
        let c = code(&mut ids, name, None);
        project = apply(&project, Action::CreateCode { code: c }).unwrap();
    }
    for &(s, c, passage) in coded {
        let source = project.sources[s].clone();
        let start = source.text.find(passage).unwrap();
        let coding = coding(
            &mut ids,
            source.id,
            project.codes[c].id,
            start,
            start + passage.len(),
        );
        project = apply(
            &project,
            Action::AddCodings {
                codings: vec![coding],
            },
        )
        .unwrap();
    }
    project
}

fn text_of(project: &Project, s: SourceId, span: Span) -> String {
    project.source(s).unwrap().text[span.start..span.end].to_string()
}

const CLINIC: &str = "\
The practice budget was cut again this year and we lost two nurses.
I walk the dog before the clinic opens, it clears my head.
Patients wait three weeks for an appointment with a GP.
Our receptionists take the brunt of the complaints about waiting.
We share a pharmacist with the next practice now.
The budget for locum cover ran out in October.
Nobody trained me for the computer system, I learned it myself.
Home visits take most of Thursday afternoon.";

const CLINIC_2: &str = "\
The new building has a lovely garden for staff.
The practice budget was cut again this year and we lost two nurses.
Waiting times for an appointment keep getting longer for patients.
Locum cover costs more every winter.
Cuts to the budget mean fewer nurses on the rota.";

#[test]
fn units_are_sentences_paragraphs_or_turns_inside_their_turn() {
    let mut ids = SeqIds::new(1);
    let text = "Interviewer: How is it? Tell me.\nAsha: Busy. Very busy!\nStill busy.\n\nA note.";
    let mut s = source(&mut ids, "T", text);
    let turn = |start: usize, end: usize| Turn {
        speaker: None,
        span: Span::new(start, end),
        start_ms: None,
        end_ms: None,
    };
    let a = text.find("How").unwrap();
    let b = text.find("Busy").unwrap();
    let c = text.find("Still busy.").unwrap() + "Still busy.".len();
    s.turns = vec![turn(a, text.find('\n').unwrap()), turn(b, c)];
    let spans = |kind| -> Vec<&str> {
        units(&s, kind)
            .into_iter()
            .map(|u| &text[u.start..u.end])
            .collect()
    };
    assert_eq!(
        spans(UnitKind::Sentence),
        [
            "How is it?",
            "Tell me.",
            "Busy.",
            "Very busy!",
            "Still busy.",
            "A note."
        ]
    );
    assert_eq!(
        spans(UnitKind::Paragraph),
        [
            "How is it? Tell me.",
            "Busy. Very busy!",
            "Still busy.",
            "A note."
        ]
    );
    assert_eq!(
        spans(UnitKind::Turn),
        [
            "How is it? Tell me.",
            "Busy. Very busy!\nStill busy.",
            "A note."
        ]
    );
}

#[test]
fn a_passage_identical_to_a_coded_one_ranks_first() {
    let p = project(
        &[CLINIC, CLINIC_2],
        &["Funding", "Access"],
        &[
            (
                0,
                0,
                "The practice budget was cut again this year and we lost two nurses.",
            ),
            (0, 0, "The budget for locum cover ran out in October."),
            (
                0,
                1,
                "Patients wait three weeks for an appointment with a GP.",
            ),
        ],
    );
    let model = Model::build(&p, &SuggestOptions::default());
    let found = model.suggest(p.codes[0].id, 20);
    assert!(!found.is_empty());
    let first = &found[0];
    assert_eq!(first.source, p.sources[1].id);
    assert_eq!(
        first.text,
        "The practice budget was cut again this year and we lost two nurses."
    );
    assert_eq!(text_of(&p, first.source, first.span), first.text);
    assert!(first.score > found[1].score, "{found:#?}");
    // The words behind it are words of the passage, highlighted where they are.
    assert!(first.words.iter().any(|w| w == "cut"), "{:?}", first.words);
    for h in &first.highlights {
        let word = text_of(&p, first.source, *h).to_lowercase();
        assert!(
            first.words.iter().any(|w| w.to_lowercase() == word),
            "{word}"
        );
    }
    // Coded passages are never suggested for their code.
    assert!(found
        .iter()
        .all(|s| s.source != p.sources[0].id || !s.text.contains("budget")));
    // Passages sharing no weighty word with the code's segments are not suggested.
    assert!(found.iter().all(|s| !s.text.contains("Thursday")));
}

#[test]
fn ranking_is_deterministic_and_so_is_the_evaluation_for_a_seed() {
    let demo = demo::demo_project(&mut SeqIds::new(1), NOW);
    let options = SuggestOptions::default();
    let a = Model::build(&demo, &options);
    let b = Model::build(&demo, &options);
    for c in &demo.codes {
        assert_eq!(a.suggest(c.id, 20), b.suggest(c.id, 20));
    }
    let eval = |seed| {
        evaluate(
            &demo,
            &EvalOptions {
                seed,
                ..EvalOptions::default()
            },
        )
    };
    assert_eq!(eval(7), eval(7));
    assert!(!eval(7).codes.is_empty());
    // The seed decides which codings are hidden.
    assert_ne!(
        (1..6).map(|s| eval(s).random.found).collect::<Vec<_>>(),
        vec![eval(1).random.found; 5]
    );
    let mut r = SplitMix64::new(42);
    let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
    let mut r = SplitMix64::new(42);
    assert_eq!(first, (0..3).map(|_| r.next_u64()).collect::<Vec<_>>());
}

#[test]
fn rejected_passages_never_come_back_for_that_code() {
    let p = project(
        &[CLINIC, CLINIC_2],
        &["Funding", "Access"],
        &[(
            0,
            0,
            "The practice budget was cut again this year and we lost two nurses.",
        )],
    );
    let code = p.codes[0].id;
    let mut model = Model::build(&p, &SuggestOptions::default());
    let mut rejected = Vec::new();
    loop {
        let found = model.suggest(code, 2);
        for s in &found {
            assert!(!rejected.contains(&(s.source, s.span)), "{s:?} came back");
        }
        let Some(first) = found.first() else { break };
        model.answer(code, first.source, first.span, false).unwrap();
        rejected.push((first.source, first.span));
    }
    assert!(rejected.len() >= 3, "{rejected:?}");
    // Another code still gets them.
    let other = model.suggest(p.codes[1].id, 20);
    assert!(other.is_empty(), "Access has no coded segment yet");
    // Built again (the project changed), the rejections are kept.
    let mut again = Model::build(&p, &SuggestOptions::default());
    assert!(!again.suggest(code, 20).is_empty());
    again.keep_answers(&model);
    assert!(again.suggest(code, 20).is_empty());
}

#[test]
fn an_accepted_passage_becomes_positive_and_changes_the_ranking() {
    let p = project(
        &[CLINIC, CLINIC_2],
        &["Funding"],
        &[(
            0,
            0,
            "The practice budget was cut again this year and we lost two nurses.",
        )],
    );
    let code = p.codes[0].id;
    let mut model = Model::build(&p, &SuggestOptions::default());
    let before = model.suggest(code, 20);
    let locum = |list: &[suggest::Suggestion]| {
        list.iter()
            .position(|s| s.text == "Locum cover costs more every winter.")
    };
    assert_eq!(locum(&before), None, "no word in common yet: {before:#?}");
    let accepted = before
        .iter()
        .find(|s| s.text == "The budget for locum cover ran out in October.")
        .unwrap()
        .clone();
    model
        .answer(code, accepted.source, accepted.span, true)
        .unwrap();
    let after = model.suggest(code, 20);
    assert!(locum(&after).is_some(), "{after:#?}");
    assert!(after.iter().all(|s| s.span != accepted.span));
    assert_ne!(before, after);
}

/// Greek and Hungarian fixtures written by us for this test (not taken from anywhere): short
/// interview-like sentences about waiting times and costs.
const GREEK: &str = "\
Περιμένουμε τρεις εβδομάδες για ραντεβού με τον γιατρό.
Το κόστος των φαρμάκων αυξήθηκε πολύ φέτος.
Ο κήπος του κέντρου υγείας είναι όμορφος την άνοιξη.
Η ΑΝΑΜΟΝΗ για ραντεβού με τον γιατρό είναι μεγάλη.
Πληρώνουμε περισσότερα για τα φάρμακα από πέρυσι.";

const HUNGARIAN: &str = "\
Három hetet várunk egy időpontra az orvoshoz.
A gyógyszerek ára idén nagyon megemelkedett.
Az egészségház kertje tavasszal gyönyörű.
Hosszú a VÁRAKOZÁS egy időpontra az orvoshoz.
Többet fizetünk a gyógyszerekért, mint tavaly.";

#[test]
fn works_on_greek_and_hungarian_text() {
    for (text, coded, expected, word) in [
        (
            GREEK,
            "Περιμένουμε τρεις εβδομάδες για ραντεβού με τον γιατρό.",
            "Η ΑΝΑΜΟΝΗ για ραντεβού με τον γιατρό είναι μεγάλη.",
            "ραντεβού",
        ),
        (
            HUNGARIAN,
            "Három hetet várunk egy időpontra az orvoshoz.",
            "Hosszú a VÁRAKOZÁS egy időpontra az orvoshoz.",
            "időpontra",
        ),
    ] {
        let p = project(&[text], &["Waiting"], &[(0, 0, coded)]);
        let model = Model::build(&p, &SuggestOptions::default());
        let found = model.suggest(p.codes[0].id, 20);
        assert_eq!(found[0].text, expected, "{found:#?}");
        assert!(
            found[0].words.iter().any(|w| w == word),
            "{:?}",
            found[0].words
        );
        assert!(found[0]
            .highlights
            .iter()
            .all(|h| text.is_char_boundary(h.start) && text.is_char_boundary(h.end)));
    }
    // Accents and case are folded: the same word with and without its tonos.
    let p = project(
        &["ΥΓΕΊΑ και κόστος.\nΗ υγεία μας.\nΆλλο θέμα εντελώς."],
        &["Health"],
        &[(0, 0, "ΥΓΕΊΑ και κόστος.")],
    );
    let model = Model::build(&p, &SuggestOptions::default());
    let found = model.suggest(p.codes[0].id, 20);
    assert_eq!(found[0].text, "Η υγεία μας.");
    assert_eq!(found[0].words, ["υγεία"]);
}

#[test]
fn words_in_most_units_are_the_projects_stop_words() {
    let mut text = String::new();
    for i in 0..60 {
        let topic = ["budget", "waiting", "nurses", "garden", "training"][i % 5];
        text.push_str(&format!("Well the {topic} matters {i}.\n"));
    }
    let p = project(&[&text], &["X"], &[(0, 0, "Well the budget matters 0.")]);
    let model = Model::build(&p, &SuggestOptions::default());
    assert_eq!(model.stop_words(), ["matters", "the", "well"]);
    let found = model.suggest(p.codes[0].id, 100);
    assert_eq!(found.len(), 11, "only the other budget lines: {found:#?}");
    assert!(found.iter().all(|s| s.words == ["budget"]));
    assert_eq!(model.summary().stop_words, 3);
}

#[test]
fn suggest_codes_names_the_three_most_alike_with_their_words() {
    let p = project(
        &[CLINIC, CLINIC_2],
        &["Funding", "Access", "Staff", "Garden"],
        &[
            (
                0,
                0,
                "The practice budget was cut again this year and we lost two nurses.",
            ),
            (
                0,
                1,
                "Patients wait three weeks for an appointment with a GP.",
            ),
            (
                0,
                2,
                "Our receptionists take the brunt of the complaints about waiting.",
            ),
            (
                0,
                3,
                "I walk the dog before the clinic opens, it clears my head.",
            ),
        ],
    );
    let model = Model::build(&p, &SuggestOptions::default());
    let s2 = &p.sources[1];
    let passage = "Waiting times for an appointment keep getting longer for patients.";
    let start = s2.text.find(passage).unwrap();
    let span = Span::new(start, start + passage.len());
    let codes = model.suggest_codes(s2.id, span, 3).unwrap();
    assert!(codes.len() <= 3 && !codes.is_empty());
    assert_eq!(codes[0].code, p.codes[1].id, "{codes:#?}");
    assert!(codes[0].words.iter().any(|w| w == "appointment"));
    assert!(codes.windows(2).all(|w| w[0].score >= w[1].score));
    // A passage already coded with a code does not get that code suggested.
    let s1 = &p.sources[0];
    let coded = "Patients wait three weeks for an appointment with a GP.";
    let start = s1.text.find(coded).unwrap();
    let codes = model
        .suggest_codes(s1.id, Span::new(start, start + coded.len()), 3)
        .unwrap();
    assert!(codes.iter().all(|c| c.code != p.codes[1].id));
    // Unknown sources and spans are sentences, not panics.
    assert!(model
        .suggest_codes(SourceId::from_random_bytes([9; 16]), span, 3)
        .is_err());
    assert!(model
        .suggest_codes(s2.id, Span::new(0, 100_000), 3)
        .is_err());
}

/// The page gets suggestions written out (`suggest::shown`): every name and text escaped, the
/// weighty words in `<mark>`, and what its buttons act on in `data-` attributes.
#[test]
fn suggestions_are_written_out_for_the_page_with_every_text_escaped() {
    let hostile = "<img src=x onerror=alert(1)> & \"budget\" cuts <b>hurt</b>.";
    let mut p = project(
        &[CLINIC, &format!("{hostile}\n{CLINIC_2}")],
        &["Funding <script>", "Access"],
        &[(
            0,
            0,
            "The practice budget was cut again this year and we lost two nurses.",
        )],
    );
    Arc::make_mut(&mut p.sources[1]).name = "Ward \"B\" <i>notes</i>".into();
    let model = Model::build(&p, &SuggestOptions::default());
    let found = model.suggest(p.codes[0].id, 20);
    let shown = shown::passages(&p, &found);
    assert_eq!(
        shown.status,
        format!(
            "{} passages like the coded ones, most alike first.",
            found.len()
        )
    );
    let m = &shown.markup;
    assert!(
        m.starts_with("<ol class=\"segments\" aria-label=\"Suggestions\">"),
        "{m}"
    );
    assert_eq!(m.matches("<li").count(), found.len());
    assert_eq!(m.matches(">Accept</button>").count(), found.len());
    assert_eq!(m.matches(">Reject</button>").count(), found.len());
    // No markup of the project's own gets through: names and text are escaped.
    for bad in ["<img", "<script", "<i>", "<b>"] {
        assert!(!m.contains(bad), "{bad} in {m}");
    }
    assert!(
        m.contains("Ward &quot;B&quot; &lt;i&gt;notes&lt;/i&gt;"),
        "{m}"
    );
    assert!(
        m.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;<mark>budget</mark>&quot;"),
        "{m}"
    );
    // The first suggestion's buttons name its passage, and its weighty words are marked.
    let first = &found[0];
    assert!(m.contains(&format!(
        "data-s=\"{}\" data-a=\"{}\" data-b=\"{}\" data-ok=\"1\">Accept",
        first.source, first.span.start, first.span.end
    )));
    let item = m.split("</li>").next().unwrap();
    assert_eq!(
        item.matches("<mark>").count(),
        first.highlights.len(),
        "{item}"
    );
    // An empty list says why, in a sentence, with no markup.
    let none = shown::passages(&p, &[]);
    assert!(none.markup.is_empty() && none.status.starts_with("Nothing more like this"));

    // Codes: numbered buttons carrying the code's id, its path escaped.
    let s2 = &p.sources[1];
    let start = s2.text.find("Cuts to the budget").unwrap();
    let span = Span::new(start, s2.text.len());
    let codes = model.suggest_codes(s2.id, span, 3).unwrap();
    let shown = shown::codes(&p, &codes);
    assert_eq!(codes[0].code, p.codes[0].id);
    assert!(
        shown.markup.contains(&format!(
            "data-code=\"{}\" aria-keyshortcuts=\"1\"><kbd>1</kbd> <b>Funding &lt;script&gt;</b>",
            p.codes[0].id
        )),
        "{}",
        shown.markup
    );
    assert_eq!(shown.status, "1 code like this passage, most alike first.");
    assert!(shown::codes(&p, &[]).markup.is_empty());
}

#[test]
fn on_the_demo_project_the_model_beats_a_random_ranking() {
    let demo = demo::demo_project(&mut SeqIds::new(1), NOW);
    let eval = evaluate(&demo, &EvalOptions::default());
    assert!(eval.codes.iter().all(|c| c.codings >= 5 && c.hidden >= 1));
    let hidden: usize = eval.codes.iter().map(|c| c.hidden).sum();
    assert_eq!(eval.model.recall, eval.model.found as f64 / hidden as f64);
    assert!(
        eval.model.recall > eval.random.recall,
        "model {:?} random {:?}",
        eval.model,
        eval.random
    );
}

/// A million words in 100 sources of 10,000 words (one paragraph every 50), 20 codes of 100
/// codings: prints the time to build the model, rank, answer and rank again, and suggest codes
/// (run with `cargo test --release -p framewise-core --test suggest -- --ignored --nocapture`).
#[test]
#[ignore]
fn a_million_words() {
    let mut rng = SplitMix64::new(3);
    // A vocabulary of 20,000 made-up words with a Zipf-like pick (many small ones).
    let vocab: Vec<String> = (0..20_000)
        .map(|i| {
            let mut w = String::new();
            let mut n = i + 1;
            while n > 0 {
                w.push(char::from(b'a' + (n % 26) as u8));
                n /= 26;
            }
            w.push_str(["", "ing", "ed", "s"][i % 4]);
            w
        })
        .collect();
    let mut texts = Vec::new();
    for _ in 0..100 {
        let mut t = String::new();
        for w in 0..10_000 {
            let r = rng.next_u64() as f64 / u64::MAX as f64;
            let i = ((vocab.len() as f64).powf(r) as usize).saturating_sub(1);
            t.push_str(&vocab[i.min(vocab.len() - 1)]);
            t.push(if w % 50 == 49 { '\n' } else { ' ' });
        }
        texts.push(t);
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let names: Vec<String> = (0..20).map(|i| format!("Code {i}")).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut p = project(&refs, &name_refs, &[]);
    let mut ids = SeqIds::new(1_000_000);
    let mut codings = Vec::new();
    for c in 0..20 {
        for k in 0..100 {
            let s = &p.sources[(c * 7 + k) % 100];
            let paras = text::paragraphs(&s.text);
            let para = paras[(c * 13 + k * 5) % (paras.len() - 1)];
            codings.push(coding(&mut ids, s.id, p.codes[c].id, para.start, para.end));
        }
    }
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    let t = std::time::Instant::now();
    let mut model = Model::build(&p, &SuggestOptions::default());
    let built = t.elapsed();
    let summary = model.summary();
    let code = p.codes[0].id;
    let t = std::time::Instant::now();
    let found = model.suggest(code, 20);
    let ranked = t.elapsed();
    let t = std::time::Instant::now();
    model
        .answer(code, found[0].source, found[0].span, false)
        .unwrap();
    let again = model.suggest(code, 20);
    let answered = t.elapsed();
    let t = std::time::Instant::now();
    let codes = model
        .suggest_codes(again[0].source, again[0].span, 3)
        .unwrap();
    let coded = t.elapsed();
    eprintln!(
        "suggest, {} words, {} units, {} terms ({} stop words): build {:?}, rank {:?}, \
         answer + rank again {:?}, suggest codes {:?} ({} codes)",
        summary.words,
        summary.units,
        summary.terms,
        summary.stop_words,
        built,
        ranked,
        answered,
        coded,
        codes.len()
    );
}
