//! Pseudonymisation: the project's key of real names and places ([`crate::Pseudonym`]) applied
//! to every source as one undoable step.
//!
//! [`plan`] finds every mention: whole-word (a match is neither preceded nor followed by a letter
//! or digit), regardless of case (each character is compared by its Unicode lowercase, Greek final
//! sigma as sigma; no regular expressions), the longest entry winning where entries overlap ("Dr Amira Khan" before
//! "Khan"), non-overlapping, left to right, in every source. The researcher sees the plan as a
//! preview; [`apply_action`] turns it into one [`Action::ReplaceText`], through which codings
//! stay on the same words (a coding on a name then covers its pseudonym, see [`crate::edit`]).

use crate::action::Action;
use crate::edit::TextEdit;
use crate::ids::SourceId;
use crate::project::{Project, Pseudonym, Span};
use std::collections::HashMap;

/// How many characters of context the preview shows on each side of a match.
pub const CONTEXT_CHARS: usize = 40;

/// One planned replacement of a real name by its pseudonym.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Replacement {
    /// The source.
    pub source: SourceId,
    /// Where the name is, in the source's current text.
    pub span: Span,
    /// The text found there (as written, in its own case).
    pub found: String,
    /// The pseudonym written instead, exactly as given in the key.
    pub with: String,
    /// Up to [`CONTEXT_CHARS`] characters before the match, on the same line.
    pub context_before: String,
    /// Up to [`CONTEXT_CHARS`] characters after the match, on the same line.
    pub context_after: String,
    /// Index of the key entry that matched (for counts per entry).
    pub entry: usize,
}

/// A key entry prepared for matching.
struct Needle {
    /// Index in the key.
    entry: usize,
    /// The real name, lowercased character by character.
    folded: Vec<char>,
    /// The pseudonym.
    with: String,
}

/// A character's lowercase form for matching: `char::to_lowercase`, with the Greek final sigma
/// read as sigma (so "ΓΙΏΡΓΟΣ" matches "Γιώργος").
fn fold(c: char) -> impl Iterator<Item = char> {
    c.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// If `needle` matches `text` at byte `at` (case-insensitively), the byte after the match.
fn match_at(text: &str, at: usize, needle: &[char]) -> Option<usize> {
    let mut pos = 0usize;
    for (offset, c) in text.get(at..)?.char_indices() {
        for lc in fold(c) {
            if needle.get(pos) != Some(&lc) {
                return None;
            }
            pos += 1;
        }
        if pos == needle.len() {
            return Some(at + offset + c.len_utf8());
        }
    }
    None
}

/// Up to `n` characters of `text` before byte `at`, stopping at a line break.
fn before(text: &str, at: usize, n: usize) -> String {
    let head = text.get(..at).unwrap_or("");
    let mut start = at;
    for (count, (i, c)) in head.char_indices().rev().enumerate() {
        if count >= n || c == '\n' {
            break;
        }
        start = i;
    }
    head.get(start..).unwrap_or("").to_string()
}

/// Up to `n` characters of `text` from byte `at`, stopping at a line break.
fn after(text: &str, at: usize, n: usize) -> String {
    text.get(at..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c != '\n')
        .take(n)
        .collect()
}

/// Every replacement the key makes in one text, sorted by position.
fn plan_text(source: SourceId, text: &str, needles: &[Needle]) -> Vec<Replacement> {
    // Needles by their first (lowercased) character.
    let mut by_first: HashMap<char, Vec<&Needle>> = HashMap::new();
    for n in needles {
        if let Some(first) = n.folded.first() {
            by_first.entry(*first).or_default().push(n);
        }
    }
    // Every whole-word candidate: (start, end, needle).
    let mut candidates: Vec<(usize, usize, &Needle)> = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts_word = prev.is_none_or(|p| !is_word_char(p));
        prev = Some(c);
        if !starts_word {
            continue;
        }
        let Some(first) = fold(c).next() else {
            continue;
        };
        let Some(list) = by_first.get(&first) else {
            continue;
        };
        for n in list {
            if let Some(end) = match_at(text, i, &n.folded) {
                let ends_word = text
                    .get(end..)
                    .and_then(|rest| rest.chars().next())
                    .is_none_or(|next| !is_word_char(next));
                if ends_word {
                    candidates.push((i, end, n));
                }
            }
        }
    }
    // Longest first (then leftmost, then key order), skipping anything overlapping a choice.
    crate::sort::sort_by(&mut candidates, |a, b| {
        (b.1 - b.0)
            .cmp(&(a.1 - a.0))
            .then(a.0.cmp(&b.0))
            .then(a.2.entry.cmp(&b.2.entry))
    });
    let mut chosen: Vec<(usize, usize, &Needle)> = Vec::new();
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for (s, e, n) in candidates {
        let clash_before = taken
            .range(..e)
            .next_back()
            .is_some_and(|(_, end)| *end > s);
        if clash_before {
            continue;
        }
        taken.insert(s, e);
        chosen.push((s, e, n));
    }
    crate::sort::sort_by_key(&mut chosen, |(s, _, _)| *s);
    chosen
        .into_iter()
        .filter_map(|(s, e, n)| {
            let found = text.get(s..e)?.to_string();
            (found != n.with).then(|| Replacement {
                source,
                span: Span::new(s, e),
                found,
                with: n.with.clone(),
                context_before: before(text, s, CONTEXT_CHARS),
                context_after: after(text, e, CONTEXT_CHARS),
                entry: n.entry,
            })
        })
        .collect()
}

/// Every replacement `key` makes in the project's sources, source by source in display order,
/// left to right within a source. Entries whose real name is empty (after trimming) are
/// ignored; mentions already written exactly as the pseudonym are left out.
pub fn plan(project: &Project, key: &[Pseudonym]) -> Vec<Replacement> {
    let needles: Vec<Needle> = key
        .iter()
        .enumerate()
        .filter_map(|(entry, k)| {
            let real = k.real.trim();
            (!real.is_empty()).then(|| Needle {
                entry,
                folded: real.chars().flat_map(fold).collect(),
                with: crate::text::normalize_newlines(&k.pseudonym),
            })
        })
        .collect();
    if needles.is_empty() {
        return Vec::new();
    }
    project
        .sources
        .iter()
        .flat_map(|s| plan_text(s.id, &s.text, &needles))
        .collect()
}

/// How many replacements each key entry makes (indexed like the key).
pub fn counts(plan: &[Replacement], key_len: usize) -> Vec<usize> {
    let mut out = vec![0; key_len];
    for r in plan {
        if let Some(n) = out.get_mut(r.entry) {
            *n += 1;
        }
    }
    out
}

/// One undoable action applying `plan` (as made by [`plan`] on the current project).
pub fn apply_action(plan: &[Replacement]) -> Action {
    let mut edits: Vec<(SourceId, Vec<TextEdit>)> = Vec::new();
    for r in plan {
        let edit = TextEdit {
            span: r.span,
            with: r.with.clone(),
        };
        match edits.iter_mut().find(|(source, _)| *source == r.source) {
            Some((_, list)) => list.push(edit),
            None => edits.push((r.source, vec![edit])),
        }
    }
    for (_, list) in edits.iter_mut() {
        crate::sort::sort_by_key(list, |e| (e.span.start, e.span.end));
    }
    let label = match plan.len() {
        1 => "Pseudonymise 1 mention".to_string(),
        n => format!("Pseudonymise {n} mentions"),
    };
    Action::ReplaceText { label, edits }
}
