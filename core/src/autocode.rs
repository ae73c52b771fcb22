//! Auto-coding: code every turn of a speaker, or every place a search pattern matches (just the
//! match, or the sentence, paragraph or turn around it), as one undoable step.
//!
//! Plain-text search is here ([`find_plain`]); regular expressions are run by the caller (the app
//! uses the browser's own engine so no regex crate grows the bundle) and handed over as spans to
//! [`matches`]. Both return the new codings; [`action`] wraps them (and a new code, if any) into
//! one [`Action`] for the history.

use crate::ids::{CodeId, IdSource, SourceId};
use crate::project::{Code, Coding, Project, Source, Span, Timestamp};
use crate::speakers::{same_speaker, span_turn_index};
use crate::text::{paragraphs, trim_span};
use crate::Action;
use std::collections::HashSet;

/// How much text around a match is coded.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Scope {
    /// Just the matched text.
    #[default]
    Match,
    /// The sentence (or sentences) containing the match.
    Sentence,
    /// The paragraph (line) containing the match.
    Paragraph,
    /// The speaker turn containing the match (the paragraph when it lies outside every turn).
    Turn,
}

impl Scope {
    /// Every scope, in menu order.
    pub const ALL: [Scope; 4] = [Self::Match, Self::Sentence, Self::Paragraph, Self::Turn];
    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Match => "Just the match",
            Self::Sentence => "The sentence",
            Self::Paragraph => "The paragraph",
            Self::Turn => "The speaker turn",
        }
    }
    /// Stable key for form values.
    pub fn key(self) -> &'static str {
        match self {
            Self::Match => "match",
            Self::Sentence => "sentence",
            Self::Paragraph => "paragraph",
            Self::Turn => "turn",
        }
    }
    /// Inverse of [`Scope::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One character folded for case-insensitive comparison (a character whose lower case is several
/// characters is compared as it is).
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every place `needle` occurs in `text`, left to right, not overlapping, as byte spans.
/// `case_insensitive` compares characters by their lower case; `whole_word` keeps only matches
/// not preceded or followed by a letter, digit or `_`. An empty needle matches nothing. Runs in
/// time linear in the text for ordinary needles.
pub fn find_plain(text: &str, needle: &str, case_insensitive: bool, whole_word: bool) -> Vec<Span> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let norm = |c: char| if case_insensitive { fold(c) } else { c };
    let pattern: Vec<char> = needle.chars().map(norm).collect();
    let Some(&first) = pattern.first() else {
        return out;
    };
    let mut prev: Option<char> = None;
    let mut skip_until = 0usize;
    for (i, c) in text.char_indices() {
        let before = prev;
        prev = Some(c);
        if i < skip_until || norm(c) != first {
            continue;
        }
        // Compare the rest of the needle from here.
        let mut end = i + c.len_utf8();
        let mut rest = text[end..].chars();
        let mut matched = true;
        for want in pattern.iter().skip(1) {
            match rest.next() {
                Some(got) if norm(got) == *want => end += got.len_utf8(),
                _ => {
                    matched = false;
                    break;
                }
            }
        }
        if !matched {
            continue;
        }
        if whole_word {
            let after = text[end..].chars().next();
            let starts_word = before.is_none_or(|b| !is_word_char(b)) || !is_word_char(c);
            let ends_word = after.is_none_or(|a| !is_word_char(a))
                || text[..end]
                    .chars()
                    .next_back()
                    .is_none_or(|l| !is_word_char(l));
            if !(starts_word && ends_word) {
                continue;
            }
        }
        out.push(Span::new(i, end));
        skip_until = end;
    }
    out
}

/// The sentence ends in `s`: after each `.`, `!`, `?` or `…` and the closing quotes and
/// brackets that follow it (they stay with the sentence they end), the byte just past them and
/// the character after (`None` at the end of `s`).
pub(crate) fn sentence_breaks(s: &str) -> Vec<(usize, Option<char>)> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut j = i + c.len_utf8();
            while let Some(&(k, q)) = chars.peek() {
                if matches!(q, '"' | '\'' | '”' | '’' | ')' | ']') {
                    j = k + q.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push((j, chars.peek().map(|(_, next)| *next)));
        }
    }
    out
}

/// Start of the sentence containing byte `at`, not before `floor`.
fn sentence_start(text: &str, floor: usize, at: usize) -> usize {
    let head = text.get(floor..at).unwrap_or("");
    sentence_breaks(head)
        .into_iter()
        .rev()
        .find(|(_, next)| next.is_some_and(char::is_whitespace))
        .map_or(floor, |(j, _)| floor + j)
}

/// End of the sentence containing byte `at` (past its final punctuation), not after `ceiling`.
fn sentence_end(text: &str, at: usize, ceiling: usize) -> usize {
    let tail = text.get(at..ceiling).unwrap_or("");
    sentence_breaks(tail)
        .into_iter()
        .find(|(_, next)| next.is_none_or(char::is_whitespace))
        .map_or(ceiling, |(j, _)| at + j)
}

/// Spans to code for `hits` (matches in `source`) under `scope`: each hit widened to its
/// sentence, paragraph or turn (never beyond the turn it lies in, so a plain-text label such as
/// `Interviewer:` stays out), trimmed of white space, sorted, each span once.
pub fn expand(source: &Source, hits: &[Span], scope: Scope) -> Vec<Span> {
    let text: &str = &source.text;
    let paras = if matches!(scope, Scope::Match) {
        Vec::new()
    } else {
        paragraphs(text)
    };
    let para_of = |byte: usize| paras.partition_point(|p| p.end < byte);
    let mut out: Vec<Span> = Vec::with_capacity(hits.len());
    for hit in hits {
        if !hit.is_valid_for(text) {
            continue;
        }
        let turn = span_turn_index(source, *hit)
            .and_then(|i| source.turns.get(i))
            .map(|t| t.span);
        let (mut start, mut end) = (hit.start, hit.end);
        match scope {
            Scope::Match => {}
            Scope::Turn if turn.is_some() => {
                if let Some(t) = turn {
                    start = start.min(t.start);
                    end = end.max(t.end);
                }
            }
            Scope::Paragraph | Scope::Turn | Scope::Sentence => {
                let first = paras.get(para_of(hit.start)).copied();
                let last = paras.get(para_of(hit.end)).copied();
                let (mut p_start, mut p_end) = (
                    first.map(|p| p.start).unwrap_or(0),
                    last.map(|p| p.end).unwrap_or(text.len()),
                );
                if let Some(t) = turn {
                    p_start = p_start.max(t.start).min(hit.start);
                    p_end = p_end.min(t.end).max(hit.end);
                }
                if scope == Scope::Sentence {
                    start = sentence_start(text, p_start, hit.start);
                    end = sentence_end(text, hit.end, p_end);
                } else {
                    start = p_start;
                    end = p_end;
                }
            }
        }
        if let Some(span) = trim_span(text, Span::new(start, end)) {
            out.push(span);
        }
    }
    crate::sort::sort_by_key(&mut out, |s| *s);
    out.dedup();
    out
}

/// Spans of `source` already coded with `code`.
fn coded_spans(project: &Project, source: SourceId, code: CodeId) -> HashSet<Span> {
    project
        .codings_of(source)
        .iter()
        .filter(|c| c.code == code)
        .map(|c| c.span)
        .collect()
}

/// Codings of `code` for `spans` of `source`, leaving out spans already coded with it.
#[allow(clippy::too_many_arguments)]
fn codings_for(
    project: &Project,
    source: SourceId,
    spans: impl IntoIterator<Item = Span>,
    code: CodeId,
    coder: &str,
    now: Timestamp,
    ids: &mut impl IdSource,
    out: &mut Vec<Coding>,
) {
    let done = coded_spans(project, source, code);
    for span in spans {
        if done.contains(&span) {
            continue;
        }
        out.push(Coding {
            id: ids.coding_id(),
            source,
            span,
            code,
            coder: coder.to_string(),
            created: now,
        });
    }
}

/// Codings of `code` for every turn of `speaker` (compared without regard to case) in `sources`
/// (taken in project order; unknown ids are ignored), each turn trimmed of white space; turns
/// already coded with `code` (same span) are skipped.
pub fn speaker_turns(
    project: &Project,
    code: CodeId,
    speaker: &str,
    sources: &[SourceId],
    coder: &str,
    now: Timestamp,
    ids: &mut impl IdSource,
) -> Vec<Coding> {
    let mut out = Vec::new();
    for source in project.sources.iter().filter(|s| sources.contains(&s.id)) {
        let spans: Vec<Span> = source
            .turns
            .iter()
            .filter(|t| {
                t.speaker
                    .as_deref()
                    .is_some_and(|s| same_speaker(s, speaker))
            })
            .filter_map(|t| trim_span(&source.text, t.span))
            .collect();
        codings_for(project, source.id, spans, code, coder, now, ids, &mut out);
    }
    out
}

/// Codings of `code` for matches the caller found (e.g. with a regular expression), per source,
/// widened by `scope` (see [`expand`]); spans already coded with `code` are skipped, invalid
/// spans and unknown sources are ignored.
#[allow(clippy::too_many_arguments)]
pub fn matches(
    project: &Project,
    spans_by_source: &[(SourceId, Vec<Span>)],
    code: CodeId,
    scope: Scope,
    coder: &str,
    now: Timestamp,
    ids: &mut impl IdSource,
) -> Vec<Coding> {
    let mut out = Vec::new();
    for (source_id, hits) in spans_by_source {
        let Some(source) = project.source(*source_id) else {
            continue;
        };
        let spans = expand(source, hits, scope);
        codings_for(project, source.id, spans, code, coder, now, ids, &mut out);
    }
    out
}

/// History label for coding `n` turns of `speaker`, e.g. "Auto-code 37 turns of Interviewer".
pub fn speaker_label(n: usize, speaker: &str) -> String {
    let turns = if n == 1 { "turn" } else { "turns" };
    format!("Auto-code {n} {turns} of {}", speaker.trim())
}

/// History label for coding `n` passages found by `pattern`, e.g. "Auto-code 12 matches of
/// “fund”".
pub fn pattern_label(n: usize, pattern: &str) -> String {
    let what = if n == 1 { "match" } else { "matches" };
    format!("Auto-code {n} {what} of “{pattern}”")
}

/// One undo step: create `new_code` (when given) and add `codings`, labelled `label`.
pub fn action(label: String, new_code: Option<Code>, codings: Vec<Coding>) -> Action {
    let mut actions = Vec::with_capacity(2);
    if let Some(code) = new_code {
        actions.push(Action::CreateCode { code });
    }
    actions.push(Action::AddCodings { codings });
    Action::Batch { label, actions }
}
