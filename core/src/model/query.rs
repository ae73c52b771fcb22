//! Queries over a project's text: how a search's terms match ([`SearchOptions`]), which text it
//! looks at ([`SearchScope`]), and searches the researcher saved by name ([`SavedQuery`], kept in
//! the project and run again from the Search view). The query language and the engine are in
//! `crate::search`; these are the parts a project stores.

use crate::ids::{CaseId, QueryId, SetId, SourceId};
use crate::model::matrix::AttributeFilter;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Where `AND` and `NOT` look for their terms together.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Within {
    /// The same paragraph (line) of a source.
    #[default]
    Paragraph,
    /// Anywhere in the same source.
    Source,
}

/// How the query's terms match.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchOptions {
    /// Words and phrases match whole words only (on by default).
    pub whole_word: bool,
    /// Upper and lower case differ (off by default).
    pub match_case: bool,
    /// "café" and "cafe" are the same word (off by default).
    pub ignore_accents: bool,
    /// The query is one regular expression.
    pub regex: bool,
    /// Where `AND`/`NOT` look for their terms together.
    pub within: Within,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            whole_word: true,
            match_case: false,
            ignore_accents: false,
            regex: false,
            within: Within::Paragraph,
        }
    }
}

/// Which text is searched.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum SearchScope {
    /// Every source.
    #[default]
    All,
    /// These sources (results still in project order).
    Sources(Vec<SourceId>),
    /// A case and its sub-cases: their sources and the turns of their linked speakers.
    Case(CaseId),
    /// The cases passing every filter, and their sub-cases, as for [`SearchScope::Case`].
    Filter(Vec<AttributeFilter>),
    /// Passages coded with a code of the set, or a code below one.
    Set(SetId),
    /// The turns of a speaker (compared ignoring case and surrounding white space).
    Speaker(String),
}

/// A search saved by name: what was typed, its options and its scope (run again as they were).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SavedQuery {
    /// Stable id.
    pub id: QueryId,
    /// The researcher's name for it, e.g. "Waiting times".
    pub name: String,
    /// What was typed (the search language of `crate::search`).
    pub query: String,
    /// How terms match.
    #[serde(default)]
    pub options: SearchOptions,
    /// Which text is searched.
    #[serde(default)]
    pub scope: SearchScope,
    /// When it was first saved.
    #[serde(default)]
    pub created: Timestamp,
}
