//! Text search over a project's sources: the query language, the scope searched, and the
//! keyword-in-context hits with their counts. The engine ([`search`], [`parse`]) needs the
//! `search` feature (it uses the `regex` crate, which the app's main wasm must not carry: the
//! search runs in the worker and the CLI); the plain data it takes and gives ([`Search`],
//! [`SearchResults`], …) is always compiled, so the worker protocol can carry it, and so is
//! [`widen`] (the unit coded for a hit).
//!
//! # The query language
//! - `word` — the word (by default as a whole word: `care` does not find "careful").
//! - `"exact phrase"` — the words in this order, separated by any white space within a line
//!   (straight `"…"` or curly `“…”` quotes).
//! - `word*` — words starting with `word` (`fund*` finds "fund", "funding", "fundholder"); the
//!   hit is the whole word. A `*` may end a word inside a phrase too (`"primary car*"`); a `*`
//!   anywhere else is an error.
//! - `AND`, `OR`, `NOT` (upper case; in lower case they are words to find) between terms, with
//!   parentheses: `(nurse OR GP) AND NOT locum`. Adjacent terms are joined by `AND`; `NOT` binds
//!   tightest, then `AND`, then `OR`. A query must look for something: `NOT locum` alone, or
//!   `GP OR NOT locum`, is refused ([`SearchError::OnlyNot`]).
//! - Options ([`SearchOptions`]): whole word (default on), match case (default off: Unicode
//!   simple case folding, so "É" finds "é" and "Σ" finds "σ"), ignore accents (default off:
//!   "café" finds "cafe", "CAFE" and "cafe" written with a combining accent, and the reverse),
//!   regular expression (the whole query is one pattern, see below). A query may be up to
//!   [`MAX_QUERY_CHARS`] characters long.
//!
//! **Folding, exactly.** Case folding is the `regex` crate's Unicode *simple* case folding:
//! "ß" finds "ß" and "ẞ" but not "ss" (a one-to-many folding); Turkish dotless "ı" finds only
//! itself (it folds to nothing else) and dotted "İ" only itself, while "I" and "i" find each
//! other (the Turkish pairing ı/I, i/İ is not applied); with *ignore accents*, "İ" counts as "I"
//! with an accent (its canonical decomposition), so "istanbul" then finds "İstanbul".
//! Accents are folded through canonical decompositions (`unicode-normalization`): a letter finds
//! every letter whose decomposition is it (or its other case) plus combining marks, and itself
//! followed by combining diacritical marks; letters without a decomposition — "ø", "ł", "đ" —
//! stay themselves. Without *ignore accents* a precomposed letter still finds its decomposed
//! spelling ("é" finds "e" + U+0301): both are the same text.
//!
//! **Regular expressions** ([`SearchOptions::regex`]): the query is one pattern of the `regex`
//! crate's syntax, matched case-insensitively unless *match case* is on, with `^`/`$` at line
//! (paragraph) ends; *whole word* and *ignore accents* do not apply (write `\b` for a word
//! boundary). An invalid pattern is a [`SearchError::Regex`] naming the problem. A match of no
//! characters (`x*` where there is no x) is no hit.
//!
//! # AND and NOT: within a paragraph
//! `AND` and `NOT` are decided per **paragraph** (a line of the source), or per whole source when
//! asked ([`Within::Source`]). "Mentioned together" is what a researcher combining terms is after,
//! and in a transcript a paragraph is one speaker's turn or part of it (MAXQDA's extended lexical
//! search likewise asks whether the terms must meet in a sentence, a paragraph or a document);
//! whole sources would pair words an hour of talk apart. So `cost AND access` finds the
//! paragraphs where both occur, `cost NOT access` those with "cost" and no "access". A hit
//! belongs to the paragraph where it starts. The hits are the matches of the terms that made the
//! paragraph count: every positive term of an `AND`, the terms of an `OR` that matched, never a
//! term under `NOT`. Hits that overlap (`care` and `"primary care"`) are one hit, their union.
//!
//! # Scope and results
//! [`SearchScope`] narrows the text searched: chosen sources; a case and its sub-cases (their
//! linked sources, and the turns of speakers linked to them); the cases an attribute filter
//! picks, with their sub-cases, likewise; the passages coded with a set's codes or codes below
//! them; a speaker's turns (the label compared ignoring case, as in [`crate::speakers`]). A hit
//! must lie wholly inside the scope. Results are in document order (sources in project order,
//! then position); [`Search::limit`] caps the hits returned, while [`SearchResults::total`] and
//! the counts per source stay exact. Spans are UTF-8 byte offsets on char boundaries, as
//! everywhere in core.

#[cfg(feature = "search")]
mod engine;
#[cfg(feature = "search")]
mod index;
#[cfg(feature = "search")]
mod query;
#[cfg(feature = "search")]
pub mod shown;

use crate::autocode::{expand, Scope as Unit};
use crate::ids::{CaseId, SourceId};
use crate::project::Source;
use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::model::query::{SearchOptions, SearchScope, Within};
#[cfg(feature = "search")]
pub use engine::{search, search_indexed};
#[cfg(feature = "search")]
pub use index::Index;
#[cfg(feature = "search")]
pub use query::{parse, Query, Term, Word};

/// Characters of context shown on each side of a hit, unless the search says otherwise.
pub const CONTEXT_CHARS: usize = 60;

/// The longest query searched for, in characters (longer ones take long to compile).
pub const MAX_QUERY_CHARS: usize = 1_000;

fn default_context() -> usize {
    CONTEXT_CHARS
}

/// One search: the query, its options, its scope and how much to return.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Search {
    /// What the researcher typed (see the module docs for the language).
    pub query: String,
    /// How terms match.
    #[serde(default)]
    pub options: SearchOptions,
    /// Which text is searched.
    #[serde(default)]
    pub scope: SearchScope,
    /// At most this many hits are returned (the counts stay exact); `None`: every hit.
    #[serde(default)]
    pub limit: Option<usize>,
    /// Characters of context on each side of a hit (cut at whole words).
    #[serde(default = "default_context")]
    pub context: usize,
}

impl Search {
    /// A search for `query` over every source with the default options, every hit returned.
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            query: query.into(),
            options: SearchOptions::default(),
            scope: SearchScope::All,
            limit: None,
            context: CONTEXT_CHARS,
        }
    }
}

/// One keyword-in-context line.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Hit {
    /// The source.
    pub source: SourceId,
    /// The hit: UTF-8 byte offsets into the source's text, on char boundaries.
    pub span: Span,
    /// The speaker of the turn the hit belongs to (see [`crate::speakers::span_turn_index`]).
    pub speaker: Option<String>,
    /// The cases of the source (linked to it, or to the hit's speaker in it), in project order.
    pub cases: Vec<CaseId>,
    /// Text before the hit, cut at a word ("…" when cut).
    pub before: String,
    /// The hit's text.
    pub text: String,
    /// Text after the hit, cut at a word ("…" when cut).
    pub after: String,
}

/// How many hits one source has.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SourceHits {
    /// The source.
    pub source: SourceId,
    /// Its hits (all of them, whatever the limit).
    pub hits: usize,
}

/// What a search found.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct SearchResults {
    /// The hits in document order, at most [`Search::limit`].
    pub hits: Vec<Hit>,
    /// Every hit, counted beyond the limit too.
    pub total: usize,
    /// Sources with at least one hit, in project order.
    pub per_source: Vec<SourceHits>,
}

/// How the hit lines are ordered (the worker sorts them, [`shown::lines`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum Order {
    /// Sources in project order, hits in text order.
    #[default]
    Document,
    /// By source name.
    Source,
    /// By speaker (hits without one last).
    Speaker,
    /// By the words matched, then the words after them (a concordance).
    Hit,
}

impl Order {
    /// Every order with its key (a select's value) and its label.
    pub const ALL: [(Order, &'static str, &'static str); 4] = [
        (Order::Document, "document", "Document order"),
        (Order::Source, "source", "Source name"),
        (Order::Speaker, "speaker", "Speaker"),
        (Order::Hit, "hit", "Matched words"),
    ];
}

/// What the page wants of a search's results (the worker writes them out, so the app's main
/// wasm decodes strings and places, not [`SearchResults`]).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum Shown {
    /// Only where the hits are ([`SearchShown::places`]): the find bar, coding every hit.
    #[default]
    Places,
    /// The results view written out ([`shown::lines`]): the first `lines` hit lines in `order`,
    /// the hits numbered in `ticked` (their place in document order) ticked.
    Lines {
        /// The order of the lines.
        order: Order,
        /// How many lines are drawn.
        lines: usize,
        /// The hits ticked, by their number in document order.
        ticked: Vec<usize>,
    },
}

/// A search's results as the page shows them (see [`Shown`]).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct SearchShown {
    /// "2,058 hits in 87 sources".
    pub status: String,
    /// The counts per source and the hit lines as markup (every text escaped), empty for
    /// [`Shown::Places`].
    pub markup: String,
    /// Every hit, counted beyond the limit too.
    pub total: usize,
    /// The hits returned (at most the search's limit), in document order, grouped by source.
    pub places: Vec<(SourceId, Vec<Span>)>,
}

impl SearchShown {
    /// How many hits [`Self::places`] holds.
    pub fn returned(&self) -> usize {
        self.places.iter().map(|(_, spans)| spans.len()).sum()
    }
}

/// The count line: "37 hits in 5 sources".
pub fn count_line(found: &SearchResults) -> String {
    format!(
        "{} in {}",
        crate::words::count(found.total, "hit", "hits"),
        crate::words::count(found.per_source.len(), "source", "sources")
    )
}

/// Why a query cannot run: a sentence the researcher can act on.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SearchError {
    /// Nothing but white space.
    Empty,
    /// A `"` with no closing one.
    UnclosedQuote,
    /// `""`.
    EmptyPhrase,
    /// `NOT` with nothing after it to leave out.
    DanglingNot,
    /// `AND`/`OR` without a term on one side.
    MissingTerm(&'static str),
    /// `(` without `)`.
    UnclosedParenthesis,
    /// `)` without `(`.
    UnmatchedParenthesis,
    /// `()`.
    EmptyParentheses,
    /// A `*` not at the end of a word (the word as typed).
    MisplacedStar(String),
    /// The query could be satisfied by leaving things out alone.
    OnlyNot,
    /// The query is longer than [`MAX_QUERY_CHARS`], or a term too large to run.
    TooLong,
    /// An invalid regular expression: the pattern and the problem in words.
    Regex {
        /// The pattern as typed.
        pattern: String,
        /// What is wrong, e.g. "unclosed group".
        problem: String,
    },
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "Type a word or a phrase to search for."),
            Self::UnclosedQuote => write!(
                f,
                "A quotation mark is not closed: put the phrase between two quotation marks."
            ),
            Self::EmptyPhrase => write!(f, "The quotation marks hold no words."),
            Self::DanglingNot => write!(
                f,
                "NOT needs a word or phrase after it, as in “care NOT carer”."
            ),
            Self::MissingTerm(op) => write!(
                f,
                "{op} needs a word or phrase on both sides, as in “cost {op} access”."
            ),
            Self::UnclosedParenthesis => write!(f, "A parenthesis is opened but not closed."),
            Self::UnmatchedParenthesis => {
                write!(f, "A parenthesis is closed that was not opened.")
            }
            Self::EmptyParentheses => write!(f, "The parentheses hold nothing."),
            Self::MisplacedStar(word) => write!(
                f,
                "“{word}”: a * can only end a word, as in “fund*” (words starting with “fund”)."
            ),
            Self::OnlyNot => write!(
                f,
                "NOT only leaves things out: add a word or phrase to search for, as in “care NOT carer”."
            ),
            Self::TooLong => write!(
                f,
                "The search is too long: search for a shorter part of it (at most {} characters).",
                crate::words::thousands(MAX_QUERY_CHARS)
            ),
            Self::Regex { pattern, problem } => write!(
                f,
                "The regular expression “{pattern}” is not valid: {problem}."
            ),
        }
    }
}

impl std::error::Error for SearchError {}

/// The passage to code for a hit: the hit itself, or its sentence, paragraph or speaker turn
/// (never beyond the turn it lies in), trimmed of white space — the rule auto-coding uses
/// ([`crate::autocode::expand`]). `None` for a span that does not fit the text or holds only
/// white space.
pub fn widen(source: &Source, hit: Span, unit: Unit) -> Option<Span> {
    expand(source, &[hit], unit).into_iter().next()
}
