//! Text search (`framewise_core::search`): the query language (words, phrases, prefixes,
//! AND/OR/NOT, parentheses, readable errors), whole words, case and accent folding, regular
//! expressions, every scope, UTF-8 spans in multi-byte text, limits and counts, document order,
//! the unit a hit widens to, and (ignored, prints its time) a million words. Every search here
//! runs twice, reading every text and through the word index (`search_indexed`), and the two
//! must give the same results.
#![allow(clippy::unwrap_used)]

mod common;

use common::{case, code, coding, source, NOW};
use framewise_core::autocode::{self, Scope as Unit};
use framewise_core::search::{
    parse, search as scan, search_indexed, widen, Index, Search, SearchError, SearchOptions,
    SearchResults, SearchScope, Within,
};
use framewise_core::*;
use proptest::prelude::*;
use std::sync::Arc;

/// The search reading every text, checked against the same search through the word index.
fn search(p: &Project, s: &Search) -> Result<SearchResults, SearchError> {
    let read = scan(p, s);
    let indexed = search_indexed(p, &Index::build(p), s);
    assert_eq!(read, indexed, "{:?} {:?}", s.query, s.options);
    read
}

/// A project with these sources (name, text), in this order.
fn project(ids: &mut SeqIds, texts: &[(&str, &str)]) -> Project {
    let mut p = Project::new(ids.project_id(), "Search", NOW);
    for (name, text) in texts {
        p.sources.push(Arc::new(source(ids, name, text)));
    }
    p
}

fn run(p: &Project, query: &str, options: SearchOptions) -> SearchResults {
    let mut s = Search::new(query);
    s.options = options;
    search(p, &s).unwrap_or_else(|e| panic!("{query}: {e}"))
}

/// The texts of the hits (in order).
fn texts(p: &Project, query: &str, options: SearchOptions) -> Vec<String> {
    run(p, query, options)
        .hits
        .into_iter()
        .map(|h| h.text)
        .collect()
}

fn one(text: &str) -> Project {
    project(&mut SeqIds::new(1), &[("A", text)])
}

fn opts() -> SearchOptions {
    SearchOptions::default()
}

fn error(query: &str) -> SearchError {
    search(&one("anything"), &Search::new(query)).unwrap_err()
}

#[test]
fn defaults_are_whole_word_any_case_accents_kept() {
    let o = SearchOptions::default();
    assert!(o.whole_word && !o.match_case && !o.ignore_accents && !o.regex);
    assert_eq!(o.within, Within::Paragraph);
}

#[test]
fn words_are_whole_words_unless_asked() {
    let p = one("Care is careful; the carer cares, we care. CARE_x care");
    assert_eq!(texts(&p, "care", opts()), ["Care", "care", "care"]);
    let part = SearchOptions {
        whole_word: false,
        ..opts()
    };
    assert_eq!(
        texts(&p, "care", part),
        ["Care", "care", "care", "care", "care", "CARE", "care"]
    );
    let cased = SearchOptions {
        match_case: true,
        ..opts()
    };
    assert_eq!(texts(&p, "care", cased), ["care", "care"]);
    // A term whose edge is not a letter needs no boundary there (as `find_plain`).
    let p = one("C++ and C#, not Cx");
    assert_eq!(texts(&p, "C++", opts()), ["C++"]);
    assert_eq!(texts(&p, "C#", opts()), ["C#"]);
    // A rejected part-word match does not hide a whole word right after it.
    assert_eq!(texts(&one("aab ab"), "ab", opts()), ["ab"]);
}

#[test]
fn phrases_match_words_in_order_within_a_line() {
    let p =
        one("primary care, Primary   care and primary\tcare; not primary\ncare, nor care primary");
    assert_eq!(
        texts(&p, "\"primary care\"", opts()),
        ["primary care", "Primary   care", "primary\tcare"]
    );
    // Curly quotes as typed by word processors.
    assert_eq!(texts(&p, "“primary care”", opts()).len(), 3);
    // Operators inside quotes are words.
    let p = one("salt AND pepper, salt and pepper");
    assert_eq!(
        texts(&p, "\"salt AND pepper\"", opts()),
        ["salt AND pepper", "salt and pepper"]
    );
}

#[test]
fn prefixes_find_whole_words_starting_so() {
    let p = one("fund, funding, Fundholders; underfunding. fun");
    assert_eq!(
        texts(&p, "fund*", opts()),
        ["fund", "funding", "Fundholders"]
    );
    let part = SearchOptions {
        whole_word: false,
        ..opts()
    };
    assert_eq!(
        texts(&p, "fund*", part),
        ["fund", "funding", "Fundholders", "funding"]
    );
    let p = one("primary carers and primary care and primary school");
    assert_eq!(
        texts(&p, "\"primary car*\"", opts()),
        ["primary carers", "primary care"]
    );
}

#[test]
fn case_folding_is_unicode_aware() {
    let p = one("École, ÉCOLE, école, ecole");
    assert_eq!(texts(&p, "école", opts()), ["École", "ÉCOLE", "école"]);
    assert_eq!(texts(&p, "ÉCOLE", opts()), ["École", "ÉCOLE", "école"]);
    let p = one("ΣΟΦΙΑ σοφια Straße STRAẞE STRASSE");
    assert_eq!(texts(&p, "σοφια", opts()), ["ΣΟΦΙΑ", "σοφια"]);
    // ß folds simply: to ẞ, not to "ss" (documented).
    assert_eq!(texts(&p, "straße", opts()), ["Straße", "STRAẞE"]);
    assert_eq!(texts(&p, "strasse", opts()), ["STRASSE"]);
}

#[test]
fn turkish_dotted_and_dotless_i_are_documented() {
    let p = one("İstanbul Istanbul istanbul ırmak IRMAK irmak");
    // Simple case folding: I and i are one letter; İ and ı are letters of their own.
    assert_eq!(texts(&p, "istanbul", opts()), ["Istanbul", "istanbul"]);
    assert_eq!(texts(&p, "İstanbul", opts()), ["İstanbul"]);
    assert_eq!(texts(&p, "ırmak", opts()), ["ırmak"]);
    assert_eq!(texts(&p, "IRMAK", opts()), ["IRMAK", "irmak"]);
    // Ignoring accents, İ is I with a dot above (its canonical decomposition); ı has none.
    let accents = SearchOptions {
        ignore_accents: true,
        ..opts()
    };
    assert_eq!(
        texts(&p, "istanbul", accents),
        ["İstanbul", "Istanbul", "istanbul"]
    );
    assert_eq!(texts(&p, "ırmak", accents), ["ırmak"]);
}

#[test]
fn accents_are_folded_when_asked_in_both_directions() {
    let decomposed = "cafe\u{301}";
    let text = format!("café, CAFÉ, cafe, {decomposed}, cafés");
    let p = one(&text);
    let accents = SearchOptions {
        ignore_accents: true,
        ..opts()
    };
    assert_eq!(
        texts(&p, "cafe", accents),
        ["café", "CAFÉ", "cafe", decomposed]
    );
    assert_eq!(
        texts(&p, "café", accents),
        ["café", "CAFÉ", "cafe", decomposed]
    );
    assert_eq!(texts(&p, &format!("\"{decomposed}\""), accents).len(), 4);
    // Accents kept: é written either way is the same text, and differs from e.
    assert_eq!(texts(&p, "café", opts()), ["café", "CAFÉ", decomposed]);
    assert_eq!(texts(&p, "cafe", opts()), ["cafe"]);
    // With match case, accents still fold but case does not.
    let both = SearchOptions {
        ignore_accents: true,
        match_case: true,
        ..opts()
    };
    assert_eq!(texts(&p, "CAFE", both), ["CAFÉ"]);
    // Letters without a decomposition stay themselves (documented).
    assert!(texts(&one("Łódź"), "lodz", accents).is_empty());
    assert_eq!(texts(&one("Łódź"), "Łodz", accents), ["Łódź"]);
    // Prefixes and phrases fold too.
    let p = one("Crème brûlée, creme brulee");
    assert_eq!(
        texts(&p, "\"creme brul*\"", accents),
        ["Crème brûlée", "creme brulee"]
    );
}

#[test]
fn regular_expressions_run_or_explain_themselves() {
    let p = one("Funded, funding, Fund-raising\nfund");
    let re = SearchOptions {
        regex: true,
        ..opts()
    };
    assert_eq!(texts(&p, r"fund(ed|ing)", re), ["Funded", "funding"]);
    assert_eq!(texts(&p, r"^fund", re), ["Fund", "fund"]);
    let cased = SearchOptions {
        match_case: true,
        ..re
    };
    assert_eq!(texts(&p, r"^fund", cased), ["fund"]);
    // A match of no characters is no hit (and no endless loop).
    assert!(texts(&p, "x*", re).is_empty());
    // The query language does not apply: AND is text.
    assert!(texts(&p, "fund AND raising", re).is_empty());

    let bad = |pattern: &str| {
        let mut s = Search::new(pattern);
        s.options = re;
        search(&p, &s).unwrap_err()
    };
    let e = bad("(fund");
    match &e {
        SearchError::Regex { pattern, problem } => {
            assert_eq!(pattern, "(fund");
            assert!(problem.contains("unclosed group"), "{problem}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .starts_with("The regular expression “(fund” is not valid: unclosed group"),
        "{e}"
    );
    for pattern in ["[a-", "a{2,1}", "\\p{Nope}", "*a"] {
        let e = bad(pattern);
        assert!(matches!(e, SearchError::Regex { .. }), "{pattern}: {e:?}");
        assert!(!e.to_string().contains('\n'), "{e}");
    }
    assert_eq!(bad("  "), SearchError::Empty);
}

#[test]
fn parse_errors_are_sentences() {
    let cases: &[(&str, SearchError)] = &[
        ("", SearchError::Empty),
        ("   ", SearchError::Empty),
        ("\"primary care", SearchError::UnclosedQuote),
        ("\"\"", SearchError::EmptyPhrase),
        ("\"  \"", SearchError::EmptyPhrase),
        ("NOT", SearchError::DanglingNot),
        ("care NOT", SearchError::DanglingNot),
        ("care NOT )", SearchError::DanglingNot),
        ("AND care", SearchError::MissingTerm("AND")),
        ("care AND", SearchError::MissingTerm("AND")),
        ("care OR", SearchError::MissingTerm("OR")),
        ("OR care", SearchError::MissingTerm("OR")),
        ("care AND OR cost", SearchError::MissingTerm("AND")),
        ("(care", SearchError::UnclosedParenthesis),
        ("(care OR (cost)", SearchError::UnclosedParenthesis),
        ("care)", SearchError::UnmatchedParenthesis),
        (")", SearchError::UnmatchedParenthesis),
        ("()", SearchError::EmptyParentheses),
        ("fu*nd", SearchError::MisplacedStar("fu*nd".into())),
        ("*", SearchError::MisplacedStar("*".into())),
        ("fund**", SearchError::MisplacedStar("fund**".into())),
        ("\"primary *\"", SearchError::MisplacedStar("*".into())),
        ("NOT care", SearchError::OnlyNot),
        ("NOT care NOT cost", SearchError::OnlyNot),
        ("cost OR NOT care", SearchError::OnlyNot),
    ];
    for (query, want) in cases {
        let got = error(query);
        assert_eq!(&got, want, "{query:?}");
        let sentence = got.to_string();
        assert!(
            sentence.ends_with('.') && !sentence.contains('\n'),
            "{query:?}: {sentence}"
        );
    }
    assert!(error("care AND").to_string().contains("AND needs"));
    assert!(error("fu*nd").to_string().contains("“fu*nd”"));
}

#[test]
fn the_grammar_nests_as_documented() {
    use framewise_core::search::{Query, Term, Word};
    let w = |t: &str| {
        Query::Term(Term {
            words: vec![Word {
                text: t.into(),
                prefix: false,
            }],
        })
    };
    // NOT binds tightest, then (implicit) AND, then OR.
    assert_eq!(
        parse("a b OR NOT c AND d").unwrap(),
        Query::Or(vec![
            Query::And(vec![w("a"), w("b")]),
            Query::And(vec![Query::Not(Box::new(w("c"))), w("d")]),
        ])
    );
    assert_eq!(
        parse("(a OR b) c").unwrap(),
        Query::And(vec![Query::Or(vec![w("a"), w("b")]), w("c")])
    );
    // Lower-case operators are words; a word may hold quotes' neighbours.
    assert_eq!(
        parse("a and b").unwrap(),
        Query::And(vec![w("a"), w("and"), w("b")])
    );
    assert_eq!(
        parse("a\"b c\"").unwrap(),
        Query::And(vec![
            w("a"),
            Query::Term(Term {
                words: vec![
                    Word {
                        text: "b".into(),
                        prefix: false
                    },
                    Word {
                        text: "c".into(),
                        prefix: false
                    }
                ]
            })
        ])
    );
}

const MEETING: &str = "Cost and access were both raised.\n\
Access was fine.\n\
The cost was high; the COST rose.\n\
Nurses and GPs, no locums.\n\
A locum nurse came.\n\
GPs only.";

#[test]
fn and_not_are_decided_per_paragraph() {
    let p = one(MEETING);
    assert_eq!(texts(&p, "cost AND access", opts()), ["Cost", "access"]);
    // Adjacent terms are joined by AND.
    assert_eq!(texts(&p, "cost access", opts()), ["Cost", "access"]);
    assert_eq!(texts(&p, "cost NOT access", opts()), ["cost", "COST"]);
    assert_eq!(texts(&p, "cost AND NOT access", opts()), ["cost", "COST"]);
    assert_eq!(
        texts(&p, "cost OR access", opts()),
        ["Cost", "access", "Access", "cost", "COST"]
    );
    // Parentheses; the hits are the positive terms that made the paragraph count.
    assert_eq!(texts(&p, "(nurse* OR GPs) AND NOT locum*", opts()), ["GPs"]);
    assert_eq!(
        texts(&p, "(nurse* OR GPs) locum*", opts()),
        ["Nurses", "GPs", "locums", "locum", "nurse"]
    );
    // An OR part that did not make the paragraph count is not highlighted.
    assert_eq!(
        texts(&p, "nurse* OR (GPs AND fine)", opts()),
        ["Nurses", "nurse"]
    );
}

#[test]
fn and_not_within_a_source_when_asked() {
    let mut ids = SeqIds::new(1);
    let p = project(
        &mut ids,
        &[
            ("A", "cost here\naccess there"),
            ("B", "cost only"),
            ("C", "access only"),
        ],
    );
    let source = SearchOptions {
        within: Within::Source,
        ..opts()
    };
    let r = run(&p, "cost AND access", source);
    assert_eq!(r.total, 2);
    assert_eq!(r.per_source.len(), 1);
    assert_eq!(r.per_source[0].source, p.sources[0].id);
    assert!(run(&p, "cost AND access", opts()).hits.is_empty());
    let r = run(&p, "cost NOT access", source);
    assert_eq!(r.per_source.len(), 1);
    assert_eq!(r.per_source[0].source, p.sources[1].id);
}

#[test]
fn overlapping_hits_are_one() {
    let p = one("primary care matters");
    let r = run(&p, "care OR \"primary care\" OR prim*", opts());
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].text, "primary care");
    assert_eq!(r.hits[0].span, Span::new(0, 12));
}

#[test]
fn spans_are_utf8_bytes_on_char_boundaries_with_word_cut_context() {
    let text = "漢字 Ünïcode 😀 ünïcode, and ÜNÏCODE! Straße ünïcodes";
    let p = one(text);
    let r = run(&p, "ünïcode", opts());
    assert_eq!(r.total, 3);
    for hit in &r.hits {
        assert!(text.is_char_boundary(hit.span.start) && text.is_char_boundary(hit.span.end));
        assert_eq!(&text[hit.span.start..hit.span.end], hit.text);
        assert_eq!(hit.text.to_lowercase(), "ünïcode");
    }
    assert_eq!(r.hits[0].span, Span::new(7, 16));
    assert_eq!(r.hits[0].before, "漢字 ");
    assert_eq!(r.hits[1].before, "漢字 Ünïcode 😀 ");
    // Context is cut at whole words, with an ellipsis.
    let mut s = Search::new("ünïcode");
    s.context = 12;
    let r = search(&p, &s).unwrap();
    assert_eq!(r.hits[1].before, "…Ünïcode 😀 ");
    assert_eq!(r.hits[1].after, ", and…");
    assert_eq!(r.hits[2].after, "! Straße…");
    // Accent folding keeps spans on the original text.
    let accents = SearchOptions {
        ignore_accents: true,
        whole_word: false,
        ..opts()
    };
    for hit in run(&p, "unicode", accents).hits {
        assert_eq!(&text[hit.span.start..hit.span.end], hit.text);
    }
    assert_eq!(run(&p, "unicode", accents).total, 4);
}

#[test]
fn limits_keep_counts_exact_and_results_in_document_order() {
    let mut ids = SeqIds::new(1);
    let p = project(
        &mut ids,
        &[
            ("A", "care care"),
            ("B", "nothing"),
            ("C", "care care care"),
        ],
    );
    let (a, c) = (p.sources[0].id, p.sources[2].id);
    let mut s = Search::new("care");
    s.limit = Some(3);
    let r = search(&p, &s).unwrap();
    assert_eq!(r.total, 5);
    assert_eq!(r.hits.len(), 3);
    assert_eq!(
        r.hits
            .iter()
            .map(|h| (h.source, h.span.start))
            .collect::<Vec<_>>(),
        [(a, 0), (a, 5), (c, 0)]
    );
    assert_eq!(
        r.per_source
            .iter()
            .map(|s| (s.source, s.hits))
            .collect::<Vec<_>>(),
        [(a, 2), (c, 3)]
    );
    s.limit = Some(0);
    let r = search(&p, &s).unwrap();
    assert!(r.hits.is_empty());
    assert_eq!(r.total, 5);
    // Chosen sources come back in project order, whatever order they were chosen in.
    s.limit = None;
    s.scope = SearchScope::Sources(vec![c, a]);
    let r = search(&p, &s).unwrap();
    assert_eq!(r.hits.first().map(|h| h.source), Some(a));
    assert_eq!(r.hits.last().map(|h| h.source), Some(c));
}

/// Sources: "Site" (linked to case North), "P1" (linked to sub-case P1 of North), "Group" (a
/// group interview with speakers Asha and Ben; Ben is linked to case South) and "Other".
struct Study {
    p: Project,
    sources: [SourceId; 4],
    north: CaseId,
    sub: CaseId,
    south: CaseId,
    rurality: AttributeId,
    set: SetId,
}

fn study() -> Study {
    let mut ids = SeqIds::new(7);
    let mut p = project(
        &mut ids,
        &[
            ("Site", "Funding at the site."),
            ("P1", "My funding was cut."),
            ("Other", "Funding elsewhere. Funding twice."),
        ],
    );
    let group_text = "Asha: Funding came late.\nBen: FUNDING was fine.\nasha: No funding.";
    let mut group = source(&mut ids, "Group", group_text);
    let turn = |speaker: &str, said: &str| {
        let start = group_text.find(said).unwrap();
        Turn {
            speaker: Some(speaker.into()),
            span: Span::new(start, start + said.len()),
            start_ms: None,
            end_ms: None,
        }
    };
    group.turns = vec![
        turn("Asha", "Funding came late."),
        turn("Ben", "FUNDING was fine."),
        turn("asha", "No funding."),
    ];
    p.sources.insert(2, Arc::new(group));
    let ids_of: Vec<SourceId> = p.sources.iter().map(|s| s.id).collect();
    let sources = [ids_of[0], ids_of[1], ids_of[2], ids_of[3]];
    let rurality = Attribute {
        id: ids.attribute_id(),
        name: "rurality".into(),
        kind: AttributeKind::Category(vec!["urban".into(), "rural".into()]),
    };
    let north = case(&mut ids, "North", None, vec![sources[0]]);
    let sub = case(&mut ids, "P1", Some(north.id), vec![sources[1]]);
    let mut south = case(&mut ids, "South", None, vec![]);
    south.speakers.push(SpeakerLink {
        source: sources[2],
        speaker: "ben".into(),
    });
    let mut north = north;
    north
        .values
        .insert(rurality.id, AttrValue::Category("rural".into()));
    south
        .values
        .insert(rurality.id, AttrValue::Category("urban".into()));
    let (n, s, sb) = (north.id, south.id, sub.id);
    p.attributes.push(rurality.clone());
    p.cases = vec![north, sub, south];
    // Set "Money" holds code Finance; its child Cuts codes "funding was cut" in P1, Finance
    // codes the first "Funding" of Other.
    let finance = code(&mut ids, "Finance", None);
    let cuts = code(&mut ids, "Cuts", Some(finance.id));
    let other_text = &p.sources[3].text;
    let first = other_text.find("Funding").unwrap();
    p.codings.insert(
        sources[1],
        Arc::new(vec![coding(&mut ids, sources[1], cuts.id, 3, 19)]),
    );
    p.codings.insert(
        sources[3],
        Arc::new(vec![coding(&mut ids, sources[3], finance.id, first, 18)]),
    );
    let set = CodeSet {
        id: ids.set_id(),
        name: "Money".into(),
        description: String::new(),
        codes: vec![finance.id],
        created: NOW,
    };
    let set_id = set.id;
    p.codes = vec![finance, cuts];
    p.sets.push(set);
    Study {
        p,
        sources,
        north: n,
        sub: sb,
        south: s,
        rurality: rurality.id,
        set: set_id,
    }
}

fn scoped(study: &Study, scope: SearchScope) -> Vec<(SourceId, String)> {
    let mut s = Search::new("funding");
    s.scope = scope;
    search(&study.p, &s)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| (h.source, h.text))
        .collect()
}

#[test]
fn every_scope_narrows_the_text() {
    let st = study();
    let [site, p1, group, other] = st.sources;
    assert_eq!(scoped(&st, SearchScope::All).len(), 7);
    assert_eq!(
        scoped(&st, SearchScope::Sources(vec![other, p1])),
        [
            (p1, "funding".into()),
            (other, "Funding".into()),
            (other, "Funding".into())
        ]
    );
    // A case with its sub-cases.
    assert_eq!(
        scoped(&st, SearchScope::Case(st.north)),
        [(site, "Funding".into()), (p1, "funding".into())]
    );
    assert_eq!(
        scoped(&st, SearchScope::Case(st.sub)),
        [(p1, "funding".into())]
    );
    // A case linked to a speaker: that speaker's turns only.
    assert_eq!(
        scoped(&st, SearchScope::Case(st.south)),
        [(group, "FUNDING".into())]
    );
    // An attribute filter: the cases it picks and their sub-cases.
    let rural = AttributeFilter {
        attribute: st.rurality,
        op: FilterOp::Equals,
        value: AttrValue::Category("RURAL".into()),
    };
    assert_eq!(
        scoped(&st, SearchScope::Filter(vec![rural.clone()])),
        scoped(&st, SearchScope::Case(st.north))
    );
    let not_rural = AttributeFilter {
        op: FilterOp::NotEquals,
        ..rural
    };
    // South (urban) and P1 (no value: passes "not equal").
    assert_eq!(
        scoped(&st, SearchScope::Filter(vec![not_rural])),
        [(p1, "funding".into()), (group, "FUNDING".into())]
    );
    // A set: passages coded with its codes or codes below them.
    assert_eq!(
        scoped(&st, SearchScope::Set(st.set)),
        [(p1, "funding".into()), (other, "Funding".into())]
    );
    // A speaker, compared ignoring case.
    assert_eq!(
        scoped(&st, SearchScope::Speaker(" ASHA ".into())),
        [(group, "Funding".into()), (group, "funding".into())]
    );
    assert!(scoped(&st, SearchScope::Speaker("Nobody".into())).is_empty());
    // Unknown ids search nothing.
    assert!(scoped(&st, SearchScope::Set(SetId::from_random_bytes([9; 16]))).is_empty());
    assert!(scoped(&st, SearchScope::Case(CaseId::from_random_bytes([9; 16]))).is_empty());
}

#[test]
fn hits_carry_speaker_and_cases() {
    let st = study();
    let r = search(&st.p, &Search::new("funding")).unwrap();
    let of = |source: SourceId| -> Vec<&framewise_core::search::Hit> {
        r.hits.iter().filter(|h| h.source == source).collect()
    };
    let [site, p1, group, other] = st.sources;
    assert_eq!(of(site)[0].cases, [st.north]);
    assert_eq!(of(site)[0].speaker, None);
    assert_eq!(of(p1)[0].cases, [st.sub]);
    let g = of(group);
    assert_eq!(
        g.iter().map(|h| h.speaker.as_deref()).collect::<Vec<_>>(),
        [Some("Asha"), Some("Ben"), Some("asha")]
    );
    assert_eq!(
        g.iter().map(|h| h.cases.clone()).collect::<Vec<_>>(),
        [vec![], vec![st.south], vec![]]
    );
    assert!(of(other)[0].cases.is_empty());
}

#[test]
fn a_hit_widens_to_its_sentence_paragraph_or_turn() {
    let st = study();
    let group = st.p.source(st.sources[2]).unwrap();
    let text: &str = &group.text;
    let at = text.find("FUNDING").unwrap();
    let hit = Span::new(at, at + 7);
    let got = |unit| {
        let span = widen(group, hit, unit).unwrap();
        text[span.start..span.end].to_string()
    };
    assert_eq!(got(Unit::Match), "FUNDING");
    assert_eq!(got(Unit::Sentence), "FUNDING was fine.");
    assert_eq!(got(Unit::Turn), "FUNDING was fine.");
    assert_eq!(got(Unit::Paragraph), "FUNDING was fine.");
    let p = one("Intro. We spoke of funding here. Then left.\nNext line.");
    let s: &Source = &p.sources[0];
    let at = s.text.find("funding").unwrap();
    let hit = Span::new(at, at + 7);
    let span = widen(s, hit, Unit::Sentence).unwrap();
    assert_eq!(&s.text[span.start..span.end], "We spoke of funding here.");
    let span = widen(s, hit, Unit::Paragraph).unwrap();
    assert_eq!(
        &s.text[span.start..span.end],
        "Intro. We spoke of funding here. Then left."
    );
    // Outside every turn, a turn is the paragraph.
    assert_eq!(widen(s, hit, Unit::Turn), Some(span));
    assert_eq!(widen(s, Span::new(3, 999), Unit::Match), None);
}

#[test]
fn empty_and_absent() {
    assert_eq!(error(""), SearchError::Empty);
    let p = Project::new(SeqIds::new(1).project_id(), "Empty", NOW);
    let r = search(&p, &Search::new("anything")).unwrap();
    assert_eq!(r, SearchResults::default());
    assert!(run(&one(""), "x", opts()).hits.is_empty());
}

/// The results written out for the page (`shown::lines`): the lines asked for and "Show more"
/// while some are left; the counts per source open up to `PER_SOURCE_OPEN` sources, folded
/// under a summary naming how many beyond (each source's count there either way).
#[test]
fn results_written_out_draw_the_lines_asked_and_fold_many_sources() {
    use framewise_core::search::shown::{self, PER_SOURCE_OPEN};
    use framewise_core::search::Order;
    let names: Vec<String> = (1..=PER_SOURCE_OPEN + 1).map(|i| format!("S{i}")).collect();
    let write = |n: usize, drawn: usize| {
        let texts: Vec<(&str, &str)> = names[..n]
            .iter()
            .map(|name| (name.as_str(), "A cat, a cat and a dog."))
            .collect();
        let p = project(&mut SeqIds::new(1), &texts);
        let found = run(&p, "cat", opts());
        assert_eq!(found.total, 2 * n);
        shown::lines(&p, &found, Order::Document, drawn, &[])
    };
    let many = write(PER_SOURCE_OPEN + 1, 20);
    let summary = format!(
        "<summary>Hits per source ({} sources)</summary>",
        PER_SOURCE_OPEN + 1
    );
    assert!(
        many.contains(&format!(
            "<details class=\"search-per-source-box\">{summary}"
        )),
        "{many}"
    );
    for name in &names {
        assert!(
            many.contains(&format!(
                "<span class=\"search-source-name\">{name}</span>: 2 hits"
            )),
            "{name}"
        );
    }
    assert_eq!(many.matches("<li class=\"search-line\">").count(), 20);
    assert!(
        many.contains(&format!(
            "Show more (20 of {} shown)",
            2 * (PER_SOURCE_OPEN + 1)
        )),
        "{many}"
    );
    let few = write(PER_SOURCE_OPEN, 100);
    assert!(
        few.contains(&format!(
            "<details class=\"search-per-source-box\" open><summary>Hits per source ({PER_SOURCE_OPEN} sources)</summary>"
        )),
        "{few}"
    );
    assert_eq!(
        few.matches("<li class=\"search-line\">").count(),
        2 * PER_SOURCE_OPEN
    );
    assert!(!few.contains("Show more"), "every line drawn");
}

// Over made-up text of letters, accents, CJK, emoji, white space and punctuation, a one-word
// search agrees with auto-coding's independent plain-text finder (whole word or not, any case or
// not), and every hit is a char-boundary span whose text is the word.
fn word_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("ab"),
        Just("Ab"),
        Just("AB"),
        Just("a"),
        Just("b"),
        Just("é"),
        Just("É"),
        Just("ü"),
        Just("漢"),
        Just("😀"),
        Just(" "),
        Just("\n"),
        Just("."),
        Just("-"),
        Just("_"),
        Just("1"),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn a_word_search_agrees_with_the_plain_finder(
        text in word_text(),
        word in prop_oneof![Just("ab"), Just("a"), Just("é"), Just("aé"), Just("漢"), Just("b.a")],
        whole_word in any::<bool>(),
        match_case in any::<bool>(),
    ) {
        let p = one(&text);
        let options = SearchOptions { whole_word, match_case, ..opts() };
        let mut s = Search::new(word);
        s.options = options;
        let found = search(&p, &s).unwrap();
        let spans: Vec<Span> = found.hits.iter().map(|h| h.span).collect();
        let plain = autocode::find_plain(&text, word, !match_case, whole_word);
        prop_assert_eq!(&spans, &plain, "{:?} in {:?}", word, text);
        prop_assert_eq!(found.total, spans.len());
        for hit in &found.hits {
            prop_assert!(text.is_char_boundary(hit.span.start));
            prop_assert!(text.is_char_boundary(hit.span.end));
            prop_assert_eq!(&text[hit.span.start..hit.span.end], hit.text.as_str());
            prop_assert_eq!(hit.text.to_lowercase(), word.to_lowercase());
        }
    }
}

/// `cargo test -p framewise-core --release --test search -- --ignored --nocapture`: the issue's
/// target is well under 50 ms natively for a word over 1,000,000 words. Measured on the 2-core
/// build machine (2026-12-06, release, a made-up 1,000,000-word corpus of ~3,000 distinct words:
/// 100 sources, 5 MB): a word 0.6 ms (192 hits), `fund*` 0.9 ms, a phrase 0.5 ms, `funding AND
/// nurse` 1.1 ms, "the" (83,846 hits) 6 ms, accent-folded words 5–9 ms.
#[test]
#[ignore = "timing: run in release with --nocapture"]
fn a_million_words() {
    const WORDS: [&str; 16] = [
        "the",
        "practice",
        "nurse",
        "said",
        "that",
        "funding",
        "was",
        "late",
        "and",
        "patients",
        "waited",
        "for",
        "weeks",
        "café",
        "München",
        "appointments",
    ];
    let mut ids = SeqIds::new(1);
    let mut p = Project::new(ids.project_id(), "Big", NOW);
    let mut state: u64 = 42;
    for n in 0..100 {
        let mut text = String::new();
        for w in 0..10_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(WORDS[(state >> 33) as usize % WORDS.len()]);
            text.push(if w % 40 == 39 { '\n' } else { ' ' });
        }
        p.sources
            .push(Arc::new(source(&mut ids, &format!("T{n}"), &text)));
    }
    let bytes: usize = p.sources.iter().map(|s| s.text.len()).sum();
    let started = std::time::Instant::now();
    let index = Index::build(&p);
    #[allow(clippy::print_stdout)]
    {
        println!("word index of 1,000,000 words: {:?}", started.elapsed());
    }
    for (query, options) in [
        ("appointments", opts()),
        ("Appointment*", opts()),
        ("\"practice nurse\"", opts()),
        ("funding AND late NOT weeks", opts()),
        (
            "munchen",
            SearchOptions {
                ignore_accents: true,
                ..opts()
            },
        ),
    ] {
        let mut s = Search::new(query);
        s.options = options;
        s.limit = Some(200);
        let started = std::time::Instant::now();
        let r = scan(&p, &s).unwrap();
        let took = started.elapsed();
        let started = std::time::Instant::now();
        let indexed = search_indexed(&p, &index, &s).unwrap();
        let took_indexed = started.elapsed();
        #[allow(clippy::print_stdout)]
        {
            println!(
                "search {query:?} over 1,000,000 words ({bytes} bytes): {} hits in {took:?}, \
                 {took_indexed:?} with the word index",
                r.total
            );
        }
        assert!(r.total > 0);
        assert_eq!(r, indexed);
    }
}

#[test]
fn long_queries_are_refused_in_words() {
    let p = one("aaa");
    for options in [
        opts(),
        SearchOptions {
            ignore_accents: true,
            ..opts()
        },
        SearchOptions {
            regex: true,
            ..opts()
        },
    ] {
        let mut s = Search::new("a".repeat(1_001));
        s.options = options;
        let e = search(&p, &s).unwrap_err();
        assert_eq!(e, SearchError::TooLong);
        assert!(e.to_string().contains("at most 1,000 characters"), "{e}");
        // The longest query allowed runs, accent-folded too.
        s.query = "a".repeat(1_000);
        assert_eq!(search(&p, &s).unwrap().total, 0);
    }
    // Context of 0 characters is none.
    let mut s = Search::new("aaa");
    s.context = 0;
    let hit = &search(&one("x aaa y"), &s).unwrap().hits[0];
    assert_eq!((hit.before.as_str(), hit.after.as_str()), ("", ""));
}

#[test]
fn a_search_reads_from_json_with_defaults() {
    let search: Search = serde_json::from_str(r#"{"query":"fund*"}"#).unwrap();
    assert_eq!(search, Search::new("fund*"));
    let search: Search = serde_json::from_str(
        r#"{"query":"x","options":{"ignore_accents":true},"scope":{"type":"speaker","value":"Asha"}}"#,
    )
    .unwrap();
    assert!(search.options.ignore_accents && search.options.whole_word);
    assert_eq!(search.scope, SearchScope::Speaker("Asha".into()));
}

// The word index proposes where a term can start and the term's pattern decides, so an indexed
// search gives exactly the hits of reading every text: over text of letters whose case folding
// is unusual (the Kelvin sign, long s, final sigma, dotted and dotless i, sharp s), combining
// marks, joiners and connector punctuation (word characters for `\w` but not for whole words),
// superscript digits, CJK and line breaks, for words, prefixes, phrases and AND / OR / NOT, in
// any case or matching case. (`search` here compares the two.)
fn folding_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("ks"),
        Just("KS"),
        Just("\u{212a}\u{17f}"),
        Just("σς"),
        Just("Σ"),
        Just("i"),
        Just("I"),
        Just("İ"),
        Just("ı"),
        Just("ß"),
        Just("ẞ"),
        Just("e\u{301}"),
        Just("é"),
        Just("\u{200d}"),
        Just("‿"),
        Just("²"),
        Just("_"),
        Just("漢"),
        Just(" "),
        Just("  "),
        Just("\n"),
        Just("."),
        Just("'"),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|parts| parts.concat())
}

fn folding_query() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("ks"),
        Just("k"),
        Just("S"),
        Just("σ"),
        Just("ς"),
        Just("i"),
        Just("İ"),
        Just("ı"),
        Just("ß"),
        Just("é"),
        Just("e"),
        Just("漢"),
        Just("²"),
        Just("k_s"),
    ];
    let term = (word.clone(), any::<bool>(), proptest::option::of(word)).prop_map(
        |(first, star, second)| {
            let first = if star {
                format!("{first}*")
            } else {
                first.to_string()
            };
            match second {
                Some(second) => format!("\"{first} {second}\""),
                None => first,
            }
        },
    );
    let op = prop_oneof![Just(" "), Just(" OR "), Just(" AND "), Just(" NOT ")];
    (term.clone(), proptest::option::of((op, term))).prop_map(|(a, rest)| match rest {
        Some((op, b)) => format!("{a}{op}{b}"),
        None => a,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn the_word_index_finds_what_reading_finds(
        texts in proptest::collection::vec(folding_text(), 1..4),
        query in folding_query(),
        match_case in any::<bool>(),
        within_source in any::<bool>(),
    ) {
        let named: Vec<(String, &str)> =
            texts.iter().enumerate().map(|(i, t)| (format!("S{i}"), t.as_str())).collect();
        let named: Vec<(&str, &str)> = named.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let p = project(&mut SeqIds::new(1), &named);
        let mut s = Search::new(query);
        s.options = SearchOptions {
            match_case,
            within: if within_source { Within::Source } else { Within::Paragraph },
            ..opts()
        };
        // Compared inside `search`; a query the language refuses is refused by both.
        let _ = search(&p, &s);
    }
}

#[test]
fn an_index_of_another_project_value_is_not_trusted() {
    let mut ids = SeqIds::new(1);
    let before = project(
        &mut ids,
        &[("A", "care and more care"), ("B", "no hits here")],
    );
    let index = Index::build(&before);
    // The same sources but B's text changed (a new value): B is read, A still looked up.
    let mut after = before.clone();
    let mut b = (*after.sources[1]).clone();
    b.text = "care, care, care".into();
    after.sources[1] = Arc::new(b);
    let s = Search::new("care");
    let found = search_indexed(&after, &index, &s).unwrap();
    assert_eq!(found, scan(&after, &s).unwrap());
    assert_eq!(found.total, 5);
    // A project with fewer sources than the index.
    let mut fewer = before.clone();
    fewer.sources.truncate(1);
    assert_eq!(search_indexed(&fewer, &index, &s).unwrap().total, 2);
}
