//! Framework matrices (charting), the definitions: rows are cases, columns are codes, and each
//! cell holds the researcher's summary of what that case said about that code. Summaries may
//! contain quote references (`[[quote:<coding id>]]`) that stay linked to the coded segment
//! behind them. Views and exports are in [`crate::matrix`].

use crate::ids::{AttributeId, CaseId, CodeId, CodingId, MatrixId};
use crate::model::case::AttrValue;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which cases are the rows of a matrix.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Default)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum RowSelection {
    /// Every case of the project.
    #[default]
    All,
    /// These cases, in this order.
    Cases(Vec<CaseId>),
    /// Cases whose attributes match every filter.
    Filter(Vec<AttributeFilter>),
}

/// How a filter compares a case's value with the filter's value.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    /// Equal (text and categories ignore case).
    Equals,
    /// Not equal (a case with no value matches).
    NotEquals,
    /// Less than (numbers and dates).
    Less,
    /// Greater than (numbers and dates).
    Greater,
}

/// One row filter, e.g. `rurality = rural`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct AttributeFilter {
    /// The attribute compared.
    pub attribute: AttributeId,
    /// The comparison.
    pub op: FilterOp,
    /// The value compared with.
    pub value: AttrValue,
}

/// A framework matrix.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Matrix {
    /// Stable id.
    pub id: MatrixId,
    /// Name, e.g. "Workforce".
    pub name: String,
    /// Which cases are rows.
    #[serde(default)]
    pub rows: RowSelection,
    /// Codes as columns, in display order.
    #[serde(default)]
    pub columns: Vec<CodeId>,
    /// Rows grouped by this attribute's value (categories in their order, other values sorted,
    /// no value last); within a group rows keep the selection's order (see [`row_cases`]).
    #[serde(default)]
    pub group_by: Option<AttributeId>,
    /// A case's segments include those of its sub-cases' sources.
    #[serde(default)]
    pub include_subcases: bool,
    /// A column's segments include those coded with the column code's children.
    #[serde(default)]
    pub include_child_codes: bool,
    /// Speakers whose turns are left out of the segments (e.g. "Interviewer"), matched without
    /// regard to case; a coding belongs to the speaker of the turn where it starts.
    #[serde(default)]
    pub exclude_speakers: BTreeSet<String>,
    /// Cell summaries by case, then code. Absent or empty: no summary yet.
    #[serde(default)]
    pub cells: BTreeMap<CaseId, BTreeMap<CodeId, String>>,
    /// The per-row case summary column.
    #[serde(default)]
    pub case_summaries: BTreeMap<CaseId, String>,
    /// When it was created.
    pub created: Timestamp,
}

impl Matrix {
    /// An empty matrix over all cases with these columns.
    pub fn new(
        id: MatrixId,
        name: impl Into<String>,
        columns: Vec<CodeId>,
        created: Timestamp,
    ) -> Self {
        Self {
            id,
            name: name.into(),
            rows: RowSelection::All,
            columns,
            group_by: None,
            include_subcases: true,
            include_child_codes: true,
            exclude_speakers: BTreeSet::new(),
            cells: BTreeMap::new(),
            case_summaries: BTreeMap::new(),
            created,
        }
    }

    /// The summary of one cell ("" when there is none).
    pub fn summary(&self, case: CaseId, code: CodeId) -> &str {
        self.cells
            .get(&case)
            .and_then(|row| row.get(&code))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Opening of a quote reference in a summary.
pub const QUOTE_OPEN: &str = "[[quote:";
/// Closing of a quote reference.
pub const QUOTE_CLOSE: &str = "]]";

/// The text that references a coded segment inside a summary.
pub fn quote_token(coding: CodingId) -> String {
    format!("{QUOTE_OPEN}{coding}{QUOTE_CLOSE}")
}

/// A piece of a summary: plain text or a quote reference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SummaryPart<'a> {
    /// Text written by the researcher.
    Text(&'a str),
    /// A reference to a coded segment.
    Quote(CodingId),
}

/// Splits a summary into text and quote references (a malformed token stays text).
pub fn summary_parts(text: &str) -> Vec<SummaryPart<'_>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(QUOTE_OPEN) {
        let after = &rest[open + QUOTE_OPEN.len()..];
        let Some(close) = after.find(QUOTE_CLOSE) else {
            break;
        };
        match CodingId::parse(&after[..close]) {
            Some(id) => {
                if open > 0 {
                    parts.push(SummaryPart::Text(&rest[..open]));
                }
                parts.push(SummaryPart::Quote(id));
                rest = &after[close + QUOTE_CLOSE.len()..];
            }
            None => {
                let keep = open + QUOTE_OPEN.len();
                parts.push(SummaryPart::Text(&rest[..keep]));
                rest = &rest[keep..];
            }
        }
    }
    if !rest.is_empty() {
        parts.push(SummaryPart::Text(rest));
    }
    parts
}

/// Rewrites quote references through `map` (used when codings are merged away).
pub fn remap_quotes(text: &str, map: &HashMap<CodingId, CodingId>) -> String {
    summary_parts(text)
        .into_iter()
        .map(|part| match part {
            SummaryPart::Text(t) => t.to_string(),
            SummaryPart::Quote(id) => quote_token(map.get(&id).copied().unwrap_or(id)),
        })
        .collect()
}
