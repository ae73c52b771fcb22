//! Code suggestions learned from the researcher's own coding, computed on this computer (issue
//! 13): "Find more like this" for a code, "Suggest codes" for a passage, and an honest measure
//! of how well it works. No model is downloaded and nothing leaves the machine: the model is
//! built from the project itself.
//!
//! # The model ([`Model`], feature `suggest`)
//! - **Units.** The sources are cut into units ([`UnitKind`]): sentences, paragraphs (lines) or
//!   speaker turns, never reaching outside the speaker turn they lie in (so a `Name:` label stays
//!   out), trimmed of white space. Suggestions are units; units of the chosen sources
//!   ([`SuggestOptions::sources`]) are ranked, units of every source give the word statistics.
//! - **Words.** Unicode word boundaries (UAX #29, the `unicode-segmentation` crate, so Greek,
//!   Hungarian or Vietnamese are cut as well as English); lower case, accents folded through
//!   canonical decompositions as the text search folds them ("Υγεία" and "υγεια" are one word);
//!   a word with no letter (a number, a time) is left out. Optionally English plurals are folded
//!   ([`SuggestOptions::stem`]: Harman's "S" stemmer, on ASCII words only: "nurses" → "nurse",
//!   "policies" → "policy").
//! - **Weights.** TF-IDF: a word counts `(1 + ln tf) · ln(1 + N / df)` in a unit, vectors are
//!   scaled to length 1. The project's own stop words are the words found in more than
//!   [`STOP_SHARE`] of the units (once there are at least [`STOP_MIN_UNITS`] units): they weigh
//!   nothing, whatever the language.
//! - **A code** is its coded segments (each a vector of the words inside the coding), the
//!   passages accepted for it (positives too) and the passages rejected (negatives). Its profile
//!   is Rocchio's: the mean of the positives minus half the mean of the negatives, negative
//!   weights dropped, scaled to length 1. A unit's score is half its similarity (dot product) to
//!   the profile plus half its similarity to the nearest positive, so a passage that reads like
//!   one coded segment ranks high even when the code's segments are varied.
//! - **Ranking** ([`Model::suggest`]): the units of the chosen sources that no coding of the code
//!   touches and that were not rejected for it, with a score above zero, best first (ties in
//!   document order), each with the words that weighed most and their places in the text to
//!   highlight. Rejected units never come back for that code (they are kept when the model is
//!   built again, [`Model::keep_answers`]).
//! - **Answers** ([`Model::answer`]) update one code: the passage's vector joins the positives
//!   or negatives and the profile is recomputed (a sum over that code's examples), milliseconds
//!   even for a million words; nothing else is rebuilt.
//! - **Suggest codes** ([`Model::suggest_codes`]): the codes whose profile and segments a passage
//!   most resembles (codes that already cover the whole passage left out).
//!
//! Everything is deterministic: the same project and options give the same ranking (sums in
//! a fixed order, ties broken by position). Randomness appears only in the evaluation
//! ([`evaluate`]), from a seed the caller gives.
//!
//! # The evaluation ([`evaluate`])
//! For each code with at least [`EvalOptions::min_codings`] codings, a random fifth of its
//! codings (at least one; chosen with the seed) is hidden; the code's model is made from the rest
//! and its top `k` units are compared with the hidden codings: **recall@k** is the share of
//! hidden codings that a suggested unit overlaps, **precision@k** the share of suggested units
//! that overlap a hidden coding. The same figures are computed for a baseline that ranks the
//! same candidate units at random (same seed), so the gain is visible. Overall figures pool the
//! codes (hidden codings found over hidden codings; relevant suggestions over suggestions).

#[cfg(feature = "suggest")]
mod eval;
#[cfg(feature = "suggest")]
mod model;
#[cfg(feature = "suggest")]
pub mod shown;
#[cfg(feature = "suggest")]
mod tokens;

use crate::ids::{CodeId, SourceId};
use crate::span::Span;
use serde::{Deserialize, Serialize};

#[cfg(feature = "suggest")]
pub use eval::{evaluate, CodeEval, EvalOptions, Evaluation, Measures, SplitMix64};
#[cfg(feature = "suggest")]
pub use model::{units, Model};
#[cfg(feature = "suggest")]
pub use tokens::{for_each_word, normalize_word};

/// Words found in more than this share of the units are the project's stop words.
pub const STOP_SHARE: f32 = 0.2;

/// Below this many units no word is a stop word (too few units to tell).
pub const STOP_MIN_UNITS: usize = 50;

/// How many suggestions "Find more like this" shows.
pub const DEFAULT_LIMIT: usize = 20;

/// The passages suggested: sentences, paragraphs or speaker turns.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A sentence (within a paragraph and a turn).
    Sentence,
    /// A paragraph (a line; within a turn).
    #[default]
    Paragraph,
    /// A speaker turn (paragraphs outside every turn are units of their own).
    Turn,
}

impl UnitKind {
    /// Every kind, in menu order.
    pub const ALL: [UnitKind; 3] = [Self::Sentence, Self::Paragraph, Self::Turn];

    /// The researcher's words for it ("sentences").
    pub fn label(self) -> &'static str {
        match self {
            Self::Sentence => "sentences",
            Self::Paragraph => "paragraphs",
            Self::Turn => "speaker turns",
        }
    }

    /// Stable key for form values and the command line.
    pub fn key(self) -> &'static str {
        match self {
            Self::Sentence => "sentence",
            Self::Paragraph => "paragraph",
            Self::Turn => "turn",
        }
    }

    /// Inverse of [`UnitKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// What the model is built over.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SuggestOptions {
    /// The passages suggested.
    pub unit: UnitKind,
    /// The sources whose units are suggested (in any order); empty: every source.
    pub sources: Vec<SourceId>,
    /// Fold English plurals ("nurses" → "nurse"; ASCII words only).
    pub stem: bool,
}

/// What a built model holds, in numbers.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct ModelSummary {
    /// Units of every source.
    pub units: usize,
    /// Units that can be suggested (of the chosen sources).
    pub candidates: usize,
    /// Words read (tokens).
    pub words: usize,
    /// Distinct words (after folding).
    pub terms: usize,
    /// The project's stop words among them.
    pub stop_words: usize,
    /// Codes with at least one coded segment or accepted passage.
    pub codes: usize,
}

/// One passage suggested for a code.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Suggestion {
    /// The source.
    pub source: SourceId,
    /// The unit: UTF-8 byte offsets into the source's text.
    pub span: Span,
    /// How alike, in thousandths (1000: the same words, weighed the same).
    pub score: u32,
    /// The unit's text.
    pub text: String,
    /// The words that weighed most, most first, as written in the passage.
    pub words: Vec<String>,
    /// Where those words are in the source (UTF-8 byte offsets, in order), to highlight.
    pub highlights: Vec<Span>,
}

/// One code suggested for a passage.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CodeSuggestion {
    /// The code.
    pub code: CodeId,
    /// How alike the passage is to the code's segments, in thousandths.
    pub score: u32,
    /// The words that weighed most, most first, as written in the passage.
    pub words: Vec<String>,
}

/// Suggestions written out for the page (see [`shown`], feature `suggest`): what the worker
/// answers the app, so that the app decodes two strings and no domain types.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct SuggestShown {
    /// What the list is, or why it is empty, in a sentence.
    pub status: String,
    /// The list as markup (every text escaped), empty when there is none.
    pub markup: String,
}

/// A score in thousandths (negative and non-finite scores are 0).
pub fn thousandths(score: f32) -> u32 {
    if score.is_finite() && score > 0.0 {
        (score * 1000.0).round().min(u32::MAX as f32) as u32
    } else {
        0
    }
}

/// A score in thousandths as the researcher reads it: `830` → `"0.83"`.
pub fn score_label(thousandths: u32) -> String {
    let hundredths = thousandths.saturating_add(5) / 10;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}
