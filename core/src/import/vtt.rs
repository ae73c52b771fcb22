//! WebVTT subtitles and transcripts (`.vtt`): Zoom (`Name: text` cues), Teams (`<v Name>` voice
//! tags), YouTube (rolling captions), with or without a BOM, numbered cues and short timestamps
//! like `0:0:0.210`.
//!
//! The text is what was said: cue numbers, timings, settings and markup (`<c>`, `<b>`, inline
//! `<00:01:02.300>` times) are left out, anything else is kept verbatim (`{vocalsound}`). Consecutive
//! cues of one speaker become one [`Turn`] (timings kept as its metadata); the cues of a turn are
//! on separate lines, and turns are separated by a blank line. A cue whose first lines repeat the
//! previous cue's last lines (rolling captions) keeps only its new lines.
//!
//! `.srt` files are read by the same cue parser, see [`super::srt`].

use super::decode::decode_text;
use super::speakers::{is_label, parse_clock, Turn};
use super::{ExtractedText, Format, ImportError};
use crate::project::Span;
use crate::text::{decode_references, normalize_newlines, xml_reference};
use std::collections::BTreeMap;

/// The WebVTT format.
pub const FORMAT: Format = Format {
    label: "WebVTT subtitles",
    extensions: &[".vtt"],
    import,
};

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    parse_cues(bytes, true)
}

/// One cue after its markup is removed.
struct Cue {
    start_ms: Option<u64>,
    end_ms: Option<u64>,
    speaker: Option<String>,
    lines: Vec<String>,
}

/// Reads `bytes` (any encoding [`decode_text`] reads) as WebVTT (`vtt`) or SubRip cues and builds
/// the text and turns.
pub(crate) fn parse_cues(bytes: &[u8], vtt: bool) -> Result<ExtractedText, ImportError> {
    let decoded = decode_text(bytes)?;
    let text = normalize_newlines(&decoded.text);
    let mut lines = text.split('\n').peekable();
    if vtt {
        let first = lines.peek().map(|l| l.trim_start_matches('\u{feff}'));
        if first.is_some_and(|l| l.starts_with("WEBVTT")) {
            // The header block runs to the first blank line (Kind:, Language:, Style: ...).
            for line in lines.by_ref() {
                if line.trim().is_empty() {
                    break;
                }
            }
        }
    }
    let mut cues: Vec<Cue> = Vec::new();
    let mut current: Option<Cue> = None;
    let mut skipping_block = false;
    for line in lines {
        let trimmed = line.trim();
        if let Some((start, end)) = timing(trimmed) {
            cues.extend(current.take());
            skipping_block = false;
            current = Some(Cue {
                start_ms: start,
                end_ms: end,
                speaker: None,
                lines: Vec::new(),
            });
            continue;
        }
        if trimmed.is_empty() {
            cues.extend(current.take());
            skipping_block = false;
            continue;
        }
        if skipping_block {
            continue;
        }
        match current.as_mut() {
            Some(cue) => {
                let (speaker, clean) = clean_payload(line, vtt);
                if cue.speaker.is_none() {
                    cue.speaker = speaker;
                }
                cue.lines.push(clean);
            }
            None => {
                // Outside a cue: an identifier before a timing line, or a NOTE / STYLE / REGION
                // block (skipped to its end), or stray text (skipped).
                if vtt && (trimmed.starts_with("NOTE") || trimmed == "STYLE" || trimmed == "REGION")
                {
                    skipping_block = true;
                }
            }
        }
    }
    cues.extend(current.take());
    for cue in &mut cues {
        // A trailing number line was the next cue's identifier, not text.
        if cue.lines.last().is_some_and(|l| is_cue_number(l.trim())) && cue.lines.len() > 1 {
            cue.lines.pop();
        }
        cue.lines = cue
            .lines
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
    }
    split_name_prefixes(&mut cues);
    dedupe_rolling(&mut cues);
    let (text, turns) = build(&cues);
    if cues.is_empty() {
        return Err(ImportError::Malformed(format!(
            "it has no {} cues (no lines like 00:00:01.000 --> 00:00:02.000)",
            if vtt { "WebVTT" } else { "SubRip" }
        )));
    }
    Ok(ExtractedText {
        text,
        encoding: decoded.encoding,
        notices: decoded.notices,
        turns,
    })
}

fn is_cue_number(line: &str) -> bool {
    !line.is_empty() && line.len() <= 9 && line.chars().all(|c| c.is_ascii_digit())
}

/// `00:00:01.000 --> 00:00:02.000 align:start` (settings ignored).
fn timing(line: &str) -> Option<(Option<u64>, Option<u64>)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next().unwrap_or("");
    let start = start.trim();
    let is_time = |s: &str| {
        !s.is_empty()
            && s.contains(':')
            && s.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ','))
    };
    (is_time(start) && is_time(end)).then(|| (parse_clock(start), parse_clock(end)))
}

/// Removes markup from a cue line: tags (`<c.color>`, `<i>`, inline times), and in SubRip also
/// `{\an8}` positioning. Returns the first `<v Name>` voice tag's name, if any.
fn clean_payload(line: &str, vtt: bool) -> (Option<String>, String) {
    let mut out = String::with_capacity(line.len());
    let mut speaker = None;
    let mut rest = line;
    // Once a `<` or `{` has no closing bracket, later ones have none either (no rescanning).
    let mut tags_closed = true;
    let mut braces_closed = true;
    while let Some(c) = rest.chars().next() {
        if c == '<' && tags_closed {
            tags_closed = rest.contains('>');
            if let Some(close) = rest.find('>') {
                let tag = rest.get(1..close).unwrap_or("");
                if let Some(voice) = tag
                    .strip_prefix('v')
                    .filter(|t| t.starts_with([' ', '.']) && speaker.is_none())
                {
                    // `<v Name>` or `<v.class Name>`.
                    let name = voice.split_once(' ').map_or("", |(_, n)| n).trim();
                    if !name.is_empty() {
                        speaker = Some(decode_entities(name));
                    }
                }
                rest = rest.get(close + 1..).unwrap_or("");
                continue;
            }
        }
        if c == '{' && !vtt && braces_closed && rest.starts_with("{\\") {
            braces_closed = rest.contains('}');
            if let Some(close) = rest.find('}') {
                rest = rest.get(close + 1..).unwrap_or("");
                continue;
            }
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    (speaker, decode_entities(&out))
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`, `&lrm;`, `&rlm;` and numeric references
/// (but `&#0;`); anything else is kept as written.
fn decode_entities(s: &str) -> String {
    decode_references(s, |name| match name {
        "nbsp" => Some('\u{a0}'),
        "lrm" => Some('\u{200e}'),
        "rlm" => Some('\u{200f}'),
        _ => xml_reference(name).filter(|c| *c != '\0'),
    })
}

/// Zoom writes the speaker as `Name: text` at the start of a cue. A prefix counts as a speaker
/// when it looks like a name and starts at least two cues (or every cue).
fn split_name_prefixes(cues: &mut [Cue]) {
    let prefix = |cue: &Cue| -> Option<String> {
        if cue.speaker.is_some() {
            return None;
        }
        let first = cue.lines.first()?;
        let (label, _) = first.split_once(": ")?;
        is_label(label).then(|| label.to_string())
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut with_prefix = 0;
    for cue in cues.iter() {
        if let Some(label) = prefix(cue) {
            *counts.entry(label).or_default() += 1;
            with_prefix += 1;
        }
    }
    let every = with_prefix == cues.len();
    for cue in cues.iter_mut() {
        let Some(label) = prefix(cue) else { continue };
        if !every && counts.get(&label).copied().unwrap_or(0) < 2 {
            continue;
        }
        if let Some(first) = cue.lines.first_mut() {
            *first = first
                .get(label.len() + 2..)
                .unwrap_or("")
                .trim()
                .to_string();
            if first.is_empty() {
                cue.lines.remove(0);
            }
        }
        cue.speaker = Some(label);
    }
}

/// The most lines a rolling caption repeats from the previous cue.
const MAX_ROLLING_LINES: usize = 3;

/// Rolling captions: drops a cue's first lines when they repeat the previous cue's last lines
/// (same speaker).
fn dedupe_rolling(cues: &mut Vec<Cue>) {
    let mut previous: Vec<String> = Vec::new();
    let mut previous_speaker: Option<String> = None;
    for cue in cues.iter_mut() {
        if cue.speaker == previous_speaker {
            let max = previous.len().min(cue.lines.len()).min(MAX_ROLLING_LINES);
            let overlap = (1..=max)
                .rev()
                .find(|&k| previous.get(previous.len() - k..) == cue.lines.get(..k))
                .unwrap_or(0);
            let new_lines = cue.lines.split_off(overlap);
            previous = std::mem::replace(&mut cue.lines, new_lines);
            previous.extend(cue.lines.iter().cloned());
        } else {
            previous = cue.lines.clone();
        }
        previous_speaker = cue.speaker.clone();
    }
    cues.retain(|cue| !cue.lines.is_empty());
}

/// The text and turns: consecutive cues of one speaker form one turn.
fn build(cues: &[Cue]) -> (String, Vec<Turn>) {
    let mut text = String::new();
    let mut turns: Vec<Turn> = Vec::new();
    for cue in cues {
        let body = cue.lines.join("\n");
        let same = turns
            .last()
            .is_some_and(|turn: &Turn| turn.speaker == cue.speaker);
        if same {
            text.push('\n');
            text.push_str(&body);
            if let Some(turn) = turns.last_mut() {
                turn.span.end = text.len();
                turn.end_ms = cue.end_ms.or(turn.end_ms);
            }
        } else {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            text.push_str(&body);
            turns.push(Turn {
                speaker: cue.speaker.clone(),
                span: Span {
                    start,
                    end: text.len(),
                },
                start_ms: cue.start_ms,
                end_ms: cue.end_ms,
            });
        }
    }
    (text, turns)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn voice_tags_and_entities() {
        let (speaker, text) = clean_payload("<v.loud Ann Lee>Fish &amp; chips</v>", true);
        assert_eq!(speaker.as_deref(), Some("Ann Lee"));
        assert_eq!(text, "Fish & chips");
    }

    #[test]
    fn rolling_captions_keep_only_new_lines() {
        let bytes = b"WEBVTT\n\n00:00.000 --> 00:01.000\none\n\n00:01.000 --> 00:02.000\none\ntwo\n\n00:02.000 --> 00:03.000\ntwo\nthree\n\n00:03.000 --> 00:03.010\nthree\n";
        let out = parse_cues(bytes, true).unwrap();
        assert_eq!(out.text, "one\ntwo\nthree");
        assert_eq!(out.turns.len(), 1);
        assert_eq!(out.turns[0].start_ms, Some(0));
        assert_eq!(out.turns[0].end_ms, Some(3000));
    }
}
