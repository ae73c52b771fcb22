//! The search itself: each term becomes one `regex` pattern (case folding by the regex crate,
//! accents by alternatives built from canonical decompositions), run over the text in scope;
//! `AND`/`NOT` are decided per paragraph or source; hits are merged, counted and given their
//! context (see the module docs of [`crate::search`]).

use super::index::{fold_query_word, is_word_char, Index, Place};
use super::query::{parse, Query, Term, Word};
use super::{Hit, Search, SearchError, SearchOptions, SearchResults, SearchScope, SourceHits};
use super::{Within, MAX_QUERY_CHARS};
use crate::ids::{CaseId, CodeId, SourceId};
use crate::matrix::filter_matches;
use crate::project::{Project, Source, Span};
use crate::speakers::{same_speaker, span_turn_index};
use crate::text::{context_after, context_before};
use regex::{Regex, RegexBuilder};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The query with its terms numbered (the index of a term's matcher).
enum Node {
    Term(usize),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

impl Node {
    /// True when `AND` or `NOT` occurs: terms must then be looked at together, per unit.
    fn needs_units(&self) -> bool {
        match self {
            Self::Term(_) => false,
            Self::Or(parts) => parts.iter().any(Self::needs_units),
            Self::And(_) | Self::Not(_) => true,
        }
    }
}

/// One term's pattern.
struct Matcher {
    regex: Regex,
    /// Keep only matches that are whole words.
    whole_word: bool,
    /// Where the index says the term can start, when it serves the term (see [`super::index`]).
    plan: Option<Plan>,
}

/// A term looked up in the index: the candidates (every word start where the term can match)
/// and its pattern anchored, run at each of them.
struct Plan {
    starts: Vec<Place>,
    anchored: Regex,
}

/// The problem named by a regex error, in words ("unclosed group (at character 1)").
fn regex_problem(error: &regex::Error) -> String {
    match error {
        regex::Error::Syntax(text) => {
            let lines: Vec<&str> = text.lines().collect();
            let problem = lines
                .iter()
                .rev()
                .find_map(|l| l.trim().strip_prefix("error: "))
                .unwrap_or_else(|| lines.last().copied().unwrap_or("").trim())
                .to_string();
            // The message shows the pattern indented by 4 and a line of ^ under the problem.
            let column = lines
                .iter()
                .find(|l| l.contains('^') && l.chars().all(|c| c == ' ' || c == '^'))
                .and_then(|l| l.find('^'))
                .filter(|_| lines.len() <= 5);
            match column {
                Some(col) if col >= 4 => format!("{problem} (at character {})", col - 3),
                _ => problem,
            }
        }
        regex::Error::CompiledTooBig(_) => {
            "it is too large to run; make it simpler or shorter".to_string()
        }
        other => other.to_string(),
    }
}

fn build(pattern: &str, options: &SearchOptions) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(!options.match_case)
        .multi_line(true)
        .build()
}

/// The letter `c` is written on, when `c` is that letter plus combining marks ("é" → "e");
/// otherwise `c` itself.
fn base_of(c: char) -> char {
    let mut first = None;
    let mut count = 0;
    let mut marks_only = true;
    decompose_canonical(c, |d| {
        count += 1;
        if first.is_none() {
            first = Some(d);
        } else if !is_combining_mark(d) {
            marks_only = false;
        }
    });
    match first {
        Some(base) if count > 1 && marks_only && base.is_alphabetic() => base,
        _ => c,
    }
}

/// Every precomposed letter of the Basic Multilingual Plane by the letter it is written on.
fn accented() -> &'static HashMap<char, Vec<char>> {
    static TABLE: OnceLock<HashMap<char, Vec<char>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<char, Vec<char>> = HashMap::new();
        for c in (0xC0u32..=0xFFFF).filter_map(char::from_u32) {
            let base = base_of(c);
            if base != c {
                table.entry(base).or_default().push(c);
            }
        }
        table
    })
}

fn push_escaped(out: &mut String, c: char) {
    out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
}

/// Any combining accents after a letter (the Unicode blocks of combining diacritical marks: far
/// smaller to compile than every mark, `\p{M}`, which made long accent-folded queries too big).
const DIACRITICS: &str =
    r"[\x{300}-\x{36F}\x{1AB0}-\x{1AFF}\x{1DC0}-\x{1DFF}\x{20D0}-\x{20FF}\x{FE20}-\x{FE2F}]*";

/// The one character of `chars`, if it has exactly one.
fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// Every letter written on `base` or, ignoring case, on its other case ("i" → "í", "İ", …).
fn variants(base: char, options: &SearchOptions) -> Vec<char> {
    let table = accented();
    let mut bases = vec![base];
    if !options.match_case {
        bases.extend(single(base.to_lowercase()));
        bases.extend(single(base.to_uppercase()));
    }
    bases.dedup();
    let mut out: Vec<char> = Vec::new();
    for b in bases {
        for v in table.get(&b).into_iter().flatten() {
            if !out.contains(v) {
                out.push(*v);
            }
        }
    }
    out
}

/// The pattern of one character of a word.
fn push_char(out: &mut String, c: char, options: &SearchOptions) {
    if options.ignore_accents {
        if is_combining_mark(c) {
            return;
        }
        let base = base_of(c);
        let variants = variants(base, options);
        if !variants.is_empty() {
            out.push_str("(?:[");
            push_escaped(out, base);
            for v in variants {
                push_escaped(out, v);
            }
            out.push(']');
            out.push_str(DIACRITICS);
            out.push(')');
        } else if base.is_alphabetic() {
            push_escaped(out, base);
            out.push_str(DIACRITICS);
        } else {
            push_escaped(out, base);
        }
    } else {
        let mut decomposed = String::new();
        decompose_canonical(c, |d| decomposed.push(d));
        if decomposed.chars().count() > 1 {
            // The same letter written precomposed or decomposed is the same text.
            out.push_str("(?:");
            push_escaped(out, c);
            out.push('|');
            out.push_str(&regex::escape(&decomposed));
            out.push(')');
        } else {
            push_escaped(out, c);
        }
    }
}

fn word_pattern(word: &Word, options: &SearchOptions) -> String {
    let mut out = String::new();
    for c in word.text.chars() {
        push_char(&mut out, c, options);
    }
    if word.prefix {
        out.push_str(r"\w*");
    }
    out
}

/// A term's pattern: its words with any white space within a line between them.
fn term_pattern(term: &Term, options: &SearchOptions) -> String {
    term.words
        .iter()
        .map(|w| word_pattern(w, options))
        .collect::<Vec<_>>()
        .join(r"[\s&&[^\n]]+")
}

/// The index's candidates for `term`, when the index serves it (see [`super::index`]).
fn plan(
    index: Option<&Index>,
    term: &Term,
    pattern: &str,
    options: &SearchOptions,
) -> Option<Plan> {
    let index = index?;
    if !options.whole_word || options.ignore_accents || options.regex {
        return None;
    }
    let first = term.words.first()?;
    let folded = fold_query_word(&first.text)?;
    let anchored = build(&format!(r"\A(?:{pattern})"), options).ok()?;
    Some(Plan {
        starts: index.starts(&folded, first.prefix),
        anchored,
    })
}

fn number(
    query: Query,
    search: &Search,
    index: Option<&Index>,
    matchers: &mut Vec<Matcher>,
) -> Result<Node, SearchError> {
    let options = &search.options;
    let all = |parts: Vec<Query>, matchers: &mut Vec<Matcher>| {
        parts
            .into_iter()
            .map(|p| number(p, search, index, matchers))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match query {
        Query::Term(term) => {
            // Built from escaped text, so it parses; it may still be too large to run.
            let pattern = term_pattern(&term, options);
            let regex = build(&pattern, options).map_err(|e| SearchError::Regex {
                pattern: search.query.clone(),
                problem: regex_problem(&e),
            })?;
            matchers.push(Matcher {
                regex,
                whole_word: options.whole_word,
                plan: plan(index, &term, &pattern, options),
            });
            Node::Term(matchers.len() - 1)
        }
        Query::And(parts) => Node::And(all(parts, matchers)?),
        Query::Or(parts) => Node::Or(all(parts, matchers)?),
        Query::Not(inner) => Node::Not(Box::new(number(*inner, search, index, matchers)?)),
    })
}

fn compile(search: &Search, index: Option<&Index>) -> Result<(Node, Vec<Matcher>), SearchError> {
    let options = &search.options;
    if search.query.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::TooLong);
    }
    if options.regex {
        if search.query.trim().is_empty() {
            return Err(SearchError::Empty);
        }
        let regex = build(&search.query, options).map_err(|e| SearchError::Regex {
            pattern: search.query.clone(),
            problem: regex_problem(&e),
        })?;
        return Ok((
            Node::Term(0),
            vec![Matcher {
                regex,
                whole_word: false,
                plan: None,
            }],
        ));
    }
    let query = parse(&search.query)?;
    let mut matchers = Vec::new();
    let node = number(query, search, index, &mut matchers)?;
    Ok((node, matchers))
}

/// True when `start..end` of `text` neither starts nor ends inside a word (an edge that is not
/// a word character is always fine, as in `find_plain`).
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let hit = text.get(start..end).unwrap_or("");
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    let starts = before.is_none_or(|b| !is_word_char(b))
        || hit.chars().next().is_none_or(|c| !is_word_char(c));
    let ends = after.is_none_or(|a| !is_word_char(a))
        || hit.chars().next_back().is_none_or(|c| !is_word_char(c));
    starts && ends
}

/// The byte after the character at `at`.
fn next_char(text: &str, at: usize) -> usize {
    at + text
        .get(at..)
        .and_then(|t| t.chars().next())
        .map_or(1, char::len_utf8)
}

/// Every non-empty match of `matcher` in `text`, left to right, not overlapping; a match that
/// is not a whole word (when asked) is skipped and the search goes on from its next character.
fn find(matcher: &Matcher, text: &str, out: &mut Vec<Span>) {
    let mut at = 0;
    while at <= text.len() {
        let Some(m) = matcher.regex.find_at(text, at) else {
            break;
        };
        if m.start() == m.end() {
            at = next_char(text, m.end());
        } else if !matcher.whole_word || is_whole_word(text, m.start(), m.end()) {
            out.push(Span::new(m.start(), m.end()));
            at = m.end();
        } else {
            at = next_char(text, m.start());
        }
    }
}

/// The whole-word matches of a term starting at the index's candidates `starts` (of this
/// source, in text order): exactly what [`find`] gives, since every whole-word match starts at
/// one of them and the pattern has no look-behind (see [`super::index`]).
fn find_from(plan: &Plan, starts: &[Place], text: &str, out: &mut Vec<Span>) {
    let mut done = 0;
    for (_, start) in starts {
        let start = *start as usize;
        if start < done {
            continue;
        }
        let Some(m) = text.get(start..).and_then(|rest| plan.anchored.find(rest)) else {
            continue;
        };
        let end = start + m.end();
        if m.end() > 0 && is_whole_word(text, start, end) {
            out.push(Span::new(start, end));
            done = end;
        }
    }
}

/// The part of a source in scope.
enum Region {
    Whole,
    /// Sorted, not overlapping.
    Parts(Vec<Span>),
}

fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

fn parts(spans: Vec<Span>) -> Option<Region> {
    let spans = merged(spans);
    (!spans.is_empty()).then_some(Region::Parts(spans))
}

/// True when `span` lies wholly inside one of `parts`.
fn inside(parts: &[Span], span: Span) -> bool {
    let i = parts.partition_point(|p| p.end < span.end);
    parts.get(i).is_some_and(|p| p.start <= span.start)
}

/// The turns of `source` whose speaker is one of `speakers`.
fn turns_of<'a>(source: &Source, mut speakers: impl FnMut(&str) -> bool + 'a) -> Vec<Span> {
    source
        .turns
        .iter()
        .filter(|t| t.speaker.as_deref().is_some_and(&mut speakers))
        .map(|t| t.span)
        .collect()
}

/// The text of these cases: their sources, and their speakers' turns in other sources.
fn case_regions(project: &Project, cases: &BTreeSet<CaseId>) -> Vec<Option<Region>> {
    let mut whole: HashSet<SourceId> = HashSet::new();
    let mut links: HashMap<SourceId, Vec<&str>> = HashMap::new();
    for case in project.cases.iter().filter(|c| cases.contains(&c.id)) {
        whole.extend(case.sources.iter().copied());
        for link in &case.speakers {
            links.entry(link.source).or_default().push(&link.speaker);
        }
    }
    project
        .sources
        .iter()
        .map(|source| {
            if whole.contains(&source.id) {
                return Some(Region::Whole);
            }
            let speakers = links.get(&source.id)?;
            parts(turns_of(source, |s| {
                speakers.iter().any(|l| same_speaker(l, s))
            }))
        })
        .collect()
}

/// The part of each source (in project order) that the scope searches; `None`: not searched.
fn regions(project: &Project, scope: &SearchScope) -> Vec<Option<Region>> {
    match scope {
        SearchScope::All => project
            .sources
            .iter()
            .map(|_| Some(Region::Whole))
            .collect(),
        SearchScope::Sources(ids) => project
            .sources
            .iter()
            .map(|s| ids.contains(&s.id).then_some(Region::Whole))
            .collect(),
        SearchScope::Case(case) => case_regions(project, &project.case_and_descendants(*case)),
        SearchScope::Filter(filters) => {
            let mut cases = BTreeSet::new();
            for case in &project.cases {
                if filters.iter().all(|f| filter_matches(project, case, f)) {
                    cases.extend(project.case_and_descendants(case.id));
                }
            }
            case_regions(project, &cases)
        }
        SearchScope::Set(set) => {
            let codes: HashSet<CodeId> = project
                .set(*set)
                .map(|s| {
                    s.codes
                        .iter()
                        .flat_map(|c| project.descendants_and_self(*c))
                        .collect()
                })
                .unwrap_or_default();
            project
                .sources
                .iter()
                .map(|source| {
                    parts(
                        project
                            .codings_of(source.id)
                            .iter()
                            .filter(|c| {
                                codes.contains(&c.code) && c.span.is_valid_for(&source.text)
                            })
                            .map(|c| c.span)
                            .collect(),
                    )
                })
                .collect()
        }
        SearchScope::Speaker(name) => project
            .sources
            .iter()
            .map(|source| parts(turns_of(source, |s| same_speaker(s, name))))
            .collect(),
    }
}

/// The matches of each term, keyed by the unit (paragraph start, or 0 for the whole source)
/// they start in.
fn by_unit(text: &str, spans: &[Span], within: Within) -> Vec<(usize, Span)> {
    let mut unit = 0;
    let mut seen = 0;
    spans
        .iter()
        .map(|span| {
            if within == Within::Paragraph {
                if let Some(nl) = text.get(seen..span.start).and_then(|t| t.rfind('\n')) {
                    unit = seen + nl + 1;
                }
                seen = span.start;
            }
            (unit, *span)
        })
        .collect()
}

/// The hits of `node` in one unit, given each term's matches there; `None` when the unit does not
/// satisfy it.
fn eval(node: &Node, found: &[&[(usize, Span)]]) -> Option<Vec<Span>> {
    match node {
        Node::Term(i) => {
            let spans = found.get(*i).copied().unwrap_or(&[]);
            (!spans.is_empty()).then(|| spans.iter().map(|(_, s)| *s).collect())
        }
        Node::And(parts) => {
            let mut out = Vec::new();
            for part in parts {
                out.extend(eval(part, found)?);
            }
            Some(out)
        }
        Node::Or(parts) => {
            let mut out = None;
            for part in parts {
                if let Some(spans) = eval(part, found) {
                    out.get_or_insert_with(Vec::new).extend(spans);
                }
            }
            out
        }
        Node::Not(inner) => match eval(inner, found) {
            Some(_) => None,
            None => Some(Vec::new()),
        },
    }
}

/// The hits of one source, sorted, overlapping ones merged.
fn source_hits(
    text: &str,
    indexed: Option<u32>,
    region: &Region,
    node: &Node,
    matchers: &[Matcher],
    within: Within,
) -> Vec<Span> {
    let per_term: Vec<Vec<Span>> = matchers
        .iter()
        .map(|m| {
            let mut spans = Vec::new();
            match (&m.plan, indexed) {
                (Some(plan), Some(n)) => {
                    let from = plan.starts.partition_point(|p| p.0 < n);
                    let to = plan.starts.partition_point(|p| p.0 <= n);
                    let starts = plan.starts.get(from..to).unwrap_or(&[]);
                    find_from(plan, starts, text, &mut spans);
                }
                _ => find(m, text, &mut spans),
            }
            if let Region::Parts(parts) = region {
                spans.retain(|s| inside(parts, *s));
            }
            spans
        })
        .collect();
    if !node.needs_units() {
        return merged(per_term.concat());
    }
    let keyed: Vec<Vec<(usize, Span)>> = per_term
        .iter()
        .map(|spans| by_unit(text, spans, within))
        .collect();
    let mut units: Vec<usize> = keyed.iter().flatten().map(|(u, _)| *u).collect();
    units.sort_unstable();
    units.dedup();
    let mut out = Vec::new();
    for unit in units {
        let found: Vec<&[(usize, Span)]> = keyed
            .iter()
            .map(|k| {
                let from = k.partition_point(|(u, _)| *u < unit);
                let to = k.partition_point(|(u, _)| *u <= unit);
                k.get(from..to).unwrap_or(&[])
            })
            .collect();
        if let Some(spans) = eval(node, &found) {
            out.extend(spans);
        }
    }
    merged(out)
}

/// The cases of a source: linked to it (`None`) or to one of its speakers (`Some`), in project
/// order.
fn source_cases(project: &Project, source: SourceId) -> Vec<(CaseId, Option<&str>)> {
    let mut out = Vec::new();
    for case in &project.cases {
        if case.sources.contains(&source) {
            out.push((case.id, None));
        }
        for link in case.speakers.iter().filter(|l| l.source == source) {
            out.push((case.id, Some(link.speaker.as_str())));
        }
    }
    out
}

fn hit(source: &Source, span: Span, context: usize, cases: &[(CaseId, Option<&str>)]) -> Hit {
    let text: &str = &source.text;
    let speaker = span_turn_index(source, span)
        .and_then(|i| source.turns.get(i))
        .and_then(|t| t.speaker.clone());
    let mut hit_cases: Vec<CaseId> = Vec::new();
    for (case, via) in cases {
        let counts = match via {
            None => true,
            Some(link) => speaker.as_deref().is_some_and(|s| same_speaker(s, link)),
        };
        if counts && hit_cases.last() != Some(case) {
            hit_cases.push(*case);
        }
    }
    Hit {
        source: source.id,
        span,
        speaker,
        cases: hit_cases,
        before: if context == 0 {
            String::new()
        } else {
            context_before(text, span.start, context)
        },
        text: text.get(span.start..span.end).unwrap_or("").to_string(),
        after: if context == 0 {
            String::new()
        } else {
            context_after(text, span.end, context)
        },
    }
}

/// Runs `search` over `project`: the hits in document order (at most `search.limit`), their
/// exact total and counts per source, or why the query cannot run (see the module docs of
/// [`crate::search`]).
pub fn search(project: &Project, search: &Search) -> Result<SearchResults, SearchError> {
    run(project, None, search)
}

/// [`search`] with the word index of `project` (built by [`Index::build`] for this project value
/// and kept for its next searches): the same results, found by looking words up instead of
/// reading every text when the query allows (see [`super::index`]). Sources that are not the
/// ones indexed are read as by [`search`].
pub fn search_indexed(
    project: &Project,
    index: &Index,
    search: &Search,
) -> Result<SearchResults, SearchError> {
    run(project, Some(index), search)
}

fn run(
    project: &Project,
    index: Option<&Index>,
    search: &Search,
) -> Result<SearchResults, SearchError> {
    let (node, matchers) = compile(search, index)?;
    let limit = search.limit.unwrap_or(usize::MAX);
    let mut results = SearchResults::default();
    let scope = regions(project, &search.scope);
    for (n, (source, region)) in project.sources.iter().zip(scope).enumerate() {
        let Some(region) = region else {
            continue;
        };
        let spans = source_hits(
            &source.text,
            index.and_then(|i| i.indexed(project, n)),
            &region,
            &node,
            &matchers,
            search.options.within,
        );
        if spans.is_empty() {
            continue;
        }
        results.total += spans.len();
        results.per_source.push(SourceHits {
            source: source.id,
            hits: spans.len(),
        });
        let room = limit.saturating_sub(results.hits.len());
        if room > 0 {
            let cases = source_cases(project, source.id);
            results.hits.extend(
                spans
                    .iter()
                    .take(room)
                    .map(|span| hit(source, *span, search.context, &cases)),
            );
        }
    }
    Ok(results)
}
