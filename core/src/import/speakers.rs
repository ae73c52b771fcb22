//! Speaker turns: who speaks which part of a transcript, and when.
//!
//! Subtitle formats (`.vtt`, `.srt`) yield turns directly. For plain text, [`detect_turns`]
//! recognises the common transcript layouts:
//!
//! - a label at the start of a line: `Interviewer: ...`, `P03: ...`, `D: ...`, `CDR: ...`,
//!   `Dr Khan: ...`, or a label and a tab (`Dr Khan<TAB>...`, as exported from spreadsheets).
//!   A label must recur (start a line at least twice), or be a well-known role word, or be a
//!   short upper-case label like `P` in a text where some label recurs, so that a single
//!   `Note: ...` or `Title: subtitle` in prose is not taken for a speaker. Labels must
//!   also follow the document's dominant layout (indented or not, colon or tab): in the Apollo
//!   transcripts, `CDR:` starts lines while `     FLIGHT DISPLAYS: ...` and `     Panel 5: ...`
//!   are indented continuation lines of a turn, not speakers;
//! - a header line with a bracketed name and a time, the text on the following lines:
//!   `[Johnny Doe] 11:02:09` (Zoom's saved transcript);
//! - a header line with a name and a time: `Jane Doe  00:05` (Otter);
//! - a line with only a time, `[-00:00:00:10]` or `00:01:02`, ends the current turn and gives the
//!   next turn its start time. On import ([`detect_transcript`]) such a line is taken out of the
//!   text once its time is the next turn's margin time, so it is not shown twice.

pub use crate::project::Turn;

use crate::project::Span;
use std::collections::BTreeMap;

/// Role words accepted as speaker labels even when they occur only once.
const ROLE_WORDS: &[&str] = &[
    "interviewer",
    "interviewee",
    "respondent",
    "participant",
    "moderator",
    "facilitator",
];

/// Labels that are usually headings or prose, never speakers.
const NOT_SPEAKERS: &[&str] = &[
    "note", "notes", "date", "time", "location", "place", "subject", "re", "title", "from", "to",
    "bcc", "http", "https", "ftp", "mailto", "example", "summary", "duration", "file", "source",
    "total", "tel", "email", "fax", "see", "warning", "tip", "step", "question", "answer",
];

/// The longest speaker label, in characters.
const MAX_LABEL_CHARS: usize = 40;
/// The most words in a speaker label.
const MAX_LABEL_WORDS: usize = 4;

/// What a line of a plain-text transcript is.
enum Line<'a> {
    /// `Label: text` or `Label<TAB>text`; `text_offset` is where the text starts within the
    /// line; `layout` is how the label is set (for the dominant layout).
    Labelled {
        label: &'a str,
        text_offset: usize,
        layout: Layout,
    },
    /// `[Name] 00:01:02` or `Name  00:01:02`: the turn's text follows on the next lines.
    Header { name: &'a str, ms: Option<u64> },
    /// A line with only a time.
    Time(Option<u64>),
    /// Anything else.
    Other,
}

/// How a label is set on its line: indented or not, followed by a colon or a tab.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Layout {
    indented: bool,
    tab: bool,
}

/// Speaker turns of a plain-text transcript (see the module docs for the layouts recognised).
/// Spans are byte offsets into `text`, on char boundaries, exclude the label and trailing
/// whitespace, and never overlap; text before the first label belongs to no turn. Returns no
/// turns when the text has no speaker labels.
pub fn detect_turns(text: &str) -> Vec<Turn> {
    detect(text).0
}

/// Speaker turns of a plain-text transcript being imported, and its text without the lines
/// that only gave the next turn its time (`[00:00:00:01]` in the Apollo transcripts): that time
/// is shown in the margin, so the line would show it twice. Time lines whose time no turn takes
/// (negative or unreadable times, two in a row) stay in the text. Returns how many lines were
/// taken out.
pub fn detect_transcript(text: &str) -> (String, Vec<Turn>, usize) {
    let (mut turns, taken) = detect(text);
    if taken.is_empty() {
        return (text.to_string(), turns, 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(start, end) in &taken {
        out.push_str(text.get(at..start).unwrap_or(""));
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    // Turns never contain a time line (it ends the turn before it): both ends of a turn move
    // back by what was taken out before its start.
    let mut k = 0;
    let mut removed = 0;
    for turn in &mut turns {
        while let Some(&(start, end)) = taken.get(k) {
            if end > turn.span.start {
                break;
            }
            removed += end - start;
            k += 1;
        }
        turn.span.start -= removed;
        turn.span.end = turn.span.end.saturating_sub(removed).max(turn.span.start);
    }
    (out, turns, taken.len())
}

/// Turns, and the byte ranges (with their line break) of time lines whose time a turn took.
fn detect(text: &str) -> (Vec<Turn>, Vec<(usize, usize)>) {
    let lines: Vec<(usize, &str, usize)> = line_offsets(text).collect();
    let classified: Vec<Line<'_>> = lines.iter().map(|(_, line, _)| classify(line)).collect();
    // The dominant layout: how most lines with a recurring label (or a role word) are set.
    let mut per_layout: BTreeMap<(Layout, &str), usize> = BTreeMap::new();
    for line in &classified {
        if let Line::Labelled { label, layout, .. } = line {
            *per_layout.entry((*layout, label)).or_default() += 1;
        }
    }
    let mut layouts: BTreeMap<Layout, usize> = BTreeMap::new();
    for ((layout, label), n) in &per_layout {
        if *n >= 2 || ROLE_WORDS.contains(&label.to_lowercase().as_str()) {
            *layouts.entry(*layout).or_default() += n;
        }
    }
    let dominant = layouts
        .iter()
        .max_by_key(|(layout, n)| (**n, !layout.indented, !layout.tab))
        .map(|(layout, _)| *layout);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for line in &classified {
        if let Line::Labelled { label, layout, .. } = line {
            if Some(*layout) == dominant {
                *counts.entry(label).or_default() += 1;
            }
        }
    }
    // Short upper-case labels that occur once (`P03` answering a recurring `Interviewer`)
    // count when some label recurs.
    let any_recurring = counts.values().any(|n| *n >= 2);
    let accepted = |label: &str, layout: Layout| {
        Some(layout) == dominant
            && (counts.get(label).copied().unwrap_or(0) >= 2
                || ROLE_WORDS.contains(&label.to_lowercase().as_str())
                || (any_recurring && is_abbreviation(label)))
    };
    let mut turns: Vec<Turn> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<Turn> = None;
    // The time of the last time line, and that line's range.
    let mut pending: Option<(u64, (usize, usize))> = None;
    let close = |open: &mut Option<Turn>, turns: &mut Vec<Turn>| {
        if let Some(mut turn) = open.take() {
            let said = text.get(turn.span.start..turn.span.end).unwrap_or("");
            turn.span.end = turn.span.start + said.trim_end().len();
            turns.push(turn);
        }
    };
    let mut take_pending = |pending: &mut Option<(u64, (usize, usize))>| {
        pending.take().map(|(ms, range)| {
            taken.push(range);
            ms
        })
    };
    for ((offset, line, next), kind) in lines.iter().zip(&classified) {
        let line_end = offset + line.len();
        match kind {
            Line::Labelled {
                label,
                text_offset,
                layout,
            } if accepted(label, *layout) => {
                close(&mut open, &mut turns);
                let start = offset + text_offset;
                open = Some(Turn {
                    speaker: Some((*label).to_string()),
                    span: Span {
                        start,
                        end: line_end,
                    },
                    start_ms: take_pending(&mut pending),
                    end_ms: None,
                });
            }
            Line::Header { name, ms } => {
                close(&mut open, &mut turns);
                let start = (*next).min(text.len());
                let start_ms = match ms {
                    Some(ms) => Some(*ms),
                    None => take_pending(&mut pending),
                };
                open = Some(Turn {
                    speaker: Some((*name).to_string()),
                    span: Span { start, end: start },
                    start_ms,
                    end_ms: None,
                });
            }
            Line::Time(ms) => {
                close(&mut open, &mut turns);
                pending = ms.map(|ms| (ms, (*offset, (*next).min(text.len()))));
            }
            _ => {
                if let Some(turn) = open.as_mut() {
                    turn.span.end = line_end;
                }
            }
        }
    }
    close(&mut open, &mut turns);
    (turns, taken)
}

/// Each line of `text` (without its `\n` or `\r`), its byte offset, and the offset of the next
/// line.
fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let mut offset = 0;
    text.split('\n').map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        (start, line.strip_suffix('\r').unwrap_or(line), offset)
    })
}

fn classify(line: &str) -> Line<'_> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Line::Other;
    }
    if let Some(ms) = bare_time(trimmed) {
        return Line::Time(ms);
    }
    if let Some(header) = header(trimmed) {
        return header;
    }
    let indent = line.len() - line.trim_start().len();
    let rest = line.get(indent..).unwrap_or("");
    let indented = indent > 0;
    if let Some(colon) = rest.find(':') {
        let label = rest.get(..colon).unwrap_or("").trim_end();
        let after = rest.get(colon + 1..).unwrap_or("");
        // `D: OK` and, for short upper-case labels only, `D:OK` (seen in real transcripts).
        let spaced = after.is_empty() || after.starts_with([' ', '\t']);
        let tight = is_abbreviation(label) && after.starts_with(char::is_alphabetic);
        if (spaced || tight) && is_label(label) {
            let text_offset = indent + colon + 1 + (after.len() - after.trim_start().len());
            return Line::Labelled {
                label,
                text_offset,
                layout: Layout {
                    indented,
                    tab: false,
                },
            };
        }
    }
    // `Name<TAB>text`.
    if let Some(tab) = rest.find('\t') {
        let label = rest.get(..tab).unwrap_or("").trim_end();
        let after = rest.get(tab..).unwrap_or("");
        let said = after.trim_start();
        if !said.is_empty() && is_label(label) {
            return Line::Labelled {
                label,
                text_offset: indent + tab + (after.len() - said.len()),
                layout: Layout {
                    indented,
                    tab: true,
                },
            };
        }
    }
    Line::Other
}

/// A line that is only a time, optionally in brackets and with a sign: `[-00:00:00:10]`.
fn bare_time(line: &str) -> Option<Option<u64>> {
    let inner = line
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .or_else(|| line.strip_prefix('(').and_then(|l| l.strip_suffix(')')))
        .unwrap_or(line)
        .trim();
    let (negative, inner) = match inner.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    if !looks_like_time(inner) {
        return None;
    }
    Some(if negative { None } else { parse_clock(inner) })
}

/// A short upper-case label like `P`, `P03` or `CDR`.
fn is_abbreviation(label: &str) -> bool {
    label.len() <= 5
        && label
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// `[Name] 00:01:02` or `Name  00:01:02`.
fn header(line: &str) -> Option<Line<'_>> {
    let (name_part, time) = line.rsplit_once([' ', '\t'])?;
    if !looks_like_time(time) {
        return None;
    }
    let name_part = name_part.trim_end();
    let name = match name_part
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
    {
        Some(name) => name.trim(),
        None => name_part,
    };
    if !is_label(name) {
        return None;
    }
    Some(Line::Header {
        name,
        ms: parse_clock(time),
    })
}

/// `1:02`, `01:02:03`, `0:0:0.210`, `00:00:01,600`, `00:00:00:10` (digits, colons, one decimal
/// part), with at least one colon.
fn looks_like_time(s: &str) -> bool {
    !s.is_empty()
        && s.contains(':')
        && s.split(':').all(|part| !part.is_empty() && part.len() <= 6)
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ','))
}

/// Milliseconds of `[[[d:]h:]m:]s[.fff]` (also `,fff`); `None` if malformed or out of range.
pub(crate) fn parse_clock(s: &str) -> Option<u64> {
    let (whole, fraction) = match s.find(['.', ',']) {
        Some(i) => (s.get(..i)?, s.get(i + 1..)?),
        None => (s, ""),
    };
    if !fraction.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 9 {
        return None;
    }
    let mut seconds: u64 = 0;
    let parts: Vec<&str> = whole.split(':').collect();
    if parts.len() > 4 {
        return None;
    }
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() || part.len() > 6 || !part.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let value: u64 = part.parse().ok()?;
        // With four parts the first is days (`00:01:02:03`, as in NASA transcripts).
        let factor = if i == 1 && parts.len() == 4 { 24 } else { 60 };
        seconds = seconds.checked_mul(factor)?.checked_add(value)?;
    }
    let mut ms = 0u64;
    for (i, digit) in fraction.chars().take(3).enumerate() {
        let d = u64::from(digit.to_digit(10)?);
        ms += d * [100, 10, 1].get(i).copied().unwrap_or(0);
    }
    seconds.checked_mul(1000)?.checked_add(ms)
}

/// A speaker label: 1 to 4 words, at most 40 characters, starting with an upper-case letter,
/// made of letters, digits and `.`, `'`, `-`, `_`; not a heading word like "Note".
pub(crate) fn is_label(label: &str) -> bool {
    if label.is_empty()
        || label.chars().count() > MAX_LABEL_CHARS
        || !label.starts_with(char::is_uppercase)
        || label.split(' ').count() > MAX_LABEL_WORDS
        || label.split(' ').any(str::is_empty)
    {
        return false;
    }
    if !label
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '\'' | '-' | '_' | '’'))
    {
        return false;
    }
    !NOT_SPEAKERS.contains(&label.to_lowercase().as_str())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn said<'a>(text: &'a str, turn: &Turn) -> &'a str {
        &text[turn.span.start..turn.span.end]
    }

    #[test]
    fn labels_two_or_more_times() {
        let text = "Intro line\nD: Hello there.\n\nP: Hi.\nMore from P.\n\nD: Bye.\n";
        let turns = detect_turns(text);
        let speakers: Vec<_> = turns.iter().map(|t| t.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("D"), Some("P"), Some("D")]);
        assert_eq!(said(text, &turns[1]), "Hi.\nMore from P.");
        assert_eq!(said(text, &turns[2]), "Bye.");
    }

    #[test]
    fn short_labels_without_a_space() {
        let text = "D: How are you?\nP: Fine.\nD:OK. Any concerns?\nP:No.\nNote:prose\n";
        let turns = detect_turns(text);
        let speakers: Vec<_> = turns.iter().map(|t| t.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("D"), Some("P"), Some("D"), Some("P")]);
        assert_eq!(said(text, &turns[2]), "OK. Any concerns?");
        assert_eq!(said(text, &turns[3]), "No.\nNote:prose");
    }

    #[test]
    fn single_note_is_not_a_speaker_but_a_role_word_is() {
        assert!(detect_turns("Note: this is prose.\nMore prose.").is_empty());
        let turns = detect_turns("Interviewer: How are you?");
        assert_eq!(turns.len(), 1);
        assert_eq!(turns[0].speaker.as_deref(), Some("Interviewer"));
    }

    #[test]
    fn headers_with_times() {
        let text = "[Ann Lee] 00:01:02\nHello.\n\nBob  1:05\nHi Ann.\n";
        let turns = detect_turns(text);
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].speaker.as_deref(), Some("Ann Lee"));
        assert_eq!(turns[0].start_ms, Some(62_000));
        assert_eq!(said(text, &turns[0]), "Hello.");
        assert_eq!(turns[1].speaker.as_deref(), Some("Bob"));
        assert_eq!(turns[1].start_ms, Some(65_000));
        assert_eq!(said(text, &turns[1]), "Hi Ann.");
    }

    #[test]
    fn crlf_headers_do_not_start_turns_with_a_line_break() {
        let text = "[Ann] 0:01\r\nHello.\r\n[Bob] 0:02\r\nHi.";
        let turns = detect_turns(text);
        assert_eq!(said(text, &turns[0]), "Hello.");
        assert_eq!(said(text, &turns[1]), "Hi.");
    }

    #[test]
    fn clock_parsing() {
        assert_eq!(parse_clock("0:0:0.210"), Some(210));
        assert_eq!(parse_clock("00:00:01,6"), Some(1600));
        assert_eq!(parse_clock("01:00:00.000"), Some(3_600_000));
        assert_eq!(parse_clock("1:x"), None);
        assert_eq!(
            parse_clock("1:02:03:04"),
            Some(((24 + 2) * 3600 + 3 * 60 + 4) * 1000)
        );
        assert_eq!(parse_clock("1234567:00"), None);
        assert_eq!(parse_clock("1:2:3:4:5"), None);
    }
}
