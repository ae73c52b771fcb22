//! Who said what: queries over a source's speaker turns ([`crate::Turn`]).
//!
//! Speakers are compared **without regard to case** (and surrounding white space): "Interviewer"
//! and "INTERVIEWER" are one speaker. Turns of a source are in text order and never overlap, so
//! a position's turn is found by binary search.
//!
//! **Which speaker a coding belongs to** ([`coding_speaker`]): the speaker of the first turn the
//! coding touches. That is the turn containing the coding's first byte or, when the coding
//! starts outside every turn (on a plain-text label such as `Interviewer:`, or in the white
//! space between turns), the next turn, provided the coding reaches into it. A coding that
//! spans several turns therefore belongs to the speaker who was talking where it starts.

use crate::project::{Coding, Project, Source, Span, Turn};

/// The normalised form speakers are compared by (trimmed, lower case).
pub fn speaker_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// True when `a` and `b` name the same speaker (ignoring case and surrounding white space).
pub fn same_speaker(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
}

/// Index of the turn containing byte `byte` (`start <= byte < end`), if any.
pub fn turn_index_at(source: &Source, byte: usize) -> Option<usize> {
    let i = source.turns.partition_point(|t| t.span.end <= byte);
    source
        .turns
        .get(i)
        .filter(|t| t.span.start <= byte && byte < t.span.end)
        .map(|_| i)
}

/// The turn containing byte `byte`, if any.
pub fn turn_at(source: &Source, byte: usize) -> Option<&Turn> {
    turn_index_at(source, byte).and_then(|i| source.turns.get(i))
}

/// The speaker of the turn containing byte `byte` (`None` outside turns or for a turn whose
/// speaker is unknown).
pub fn speaker_at(source: &Source, byte: usize) -> Option<&str> {
    turn_at(source, byte).and_then(|t| t.speaker.as_deref())
}

/// Index of the turn a span belongs to: the turn containing its start or, when the start lies
/// outside every turn, the next turn if the span reaches into it (see the module docs).
pub fn span_turn_index(source: &Source, span: Span) -> Option<usize> {
    let i = source.turns.partition_point(|t| t.span.end <= span.start);
    let turn = source.turns.get(i)?;
    (turn.span.start < span.end.max(span.start + 1)).then_some(i)
}

/// The speaker a coding belongs to (see the module docs for the rule).
pub fn coding_speaker<'s>(source: &'s Source, coding: &Coding) -> Option<&'s str> {
    span_turn_index(source, coding.span)
        .and_then(|i| source.turns.get(i))
        .and_then(|t| t.speaker.as_deref())
}

/// One speaker of a source: name (first spelling seen), number of turns, characters spoken.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SpeakerStats {
    /// The speaker's label as first written in the source.
    pub name: String,
    /// How many turns.
    pub turns: usize,
    /// Characters (code points) in those turns.
    pub chars: usize,
}

/// The speakers of a source in order of first appearance, with their turn counts and the
/// characters they speak (turns without a speaker are left out).
pub fn speakers_of(source: &Source) -> Vec<SpeakerStats> {
    let mut out: Vec<(String, SpeakerStats)> = Vec::new();
    for turn in &source.turns {
        let Some(name) = turn.speaker.as_deref() else {
            continue;
        };
        if name.trim().is_empty() {
            continue;
        }
        let chars = source
            .text
            .get(turn.span.start..turn.span.end)
            .map(|t| t.chars().count())
            .unwrap_or(0);
        let key = speaker_key(name);
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, stats)) => {
                stats.turns += 1;
                stats.chars += chars;
            }
            None => out.push((
                key,
                SpeakerStats {
                    name: name.trim().to_string(),
                    turns: 1,
                    chars,
                },
            )),
        }
    }
    out.into_iter().map(|(_, s)| s).collect()
}

/// Every distinct speaker of the project, in order of first appearance (sources in project
/// order), compared without regard to case; each keeps its first spelling.
pub fn project_speakers(project: &Project) -> Vec<String> {
    // Labels as written, so each distinct one is normalised once (a study has tens of thousands
    // of turns and a few dozen labels).
    let mut written = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for source in &project.sources {
        for turn in &source.turns {
            if let Some(name) = turn.speaker.as_deref() {
                if written.insert(name) && !name.trim().is_empty() && seen.insert(speaker_key(name))
                {
                    out.push(name.trim().to_string());
                }
            }
        }
    }
    out
}

/// A time in milliseconds as `mm:ss` (under an hour) or `h:mm:ss`, for the reading view's margin.
pub fn format_time(ms: u64) -> String {
    let total = ms / 1000;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}
