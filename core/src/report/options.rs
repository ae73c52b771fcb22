//! What the researcher chooses for a report: its kind, grouping, filters, what to include, the
//! attribution template and how quotes are trimmed. Plain data (it travels to the worker in
//! `protocol::Request::Report`), always compiled.

use crate::ids::{AttributeId, CaseId, CodeId, SourceId};
use serde::{Deserialize, Serialize};

/// The attribution written after every quote when the researcher has not chosen one.
pub const DEFAULT_ATTRIBUTION: &str = "({case}, {source})";

/// Which report.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
pub enum ReportKind {
    /// Every coded segment, as attributed quotes, grouped (per code, theme or set, case or
    /// attribute value).
    #[default]
    CodedSegments,
    /// The codebook: the tree, definitions, deductive/inductive, counts, example quotes.
    Codebook,
    /// Each theme and meta-theme (top-level code) and each set: description, codes, matrix
    /// summaries and chosen quotes; the skeleton of a findings section.
    Themes,
    /// Every memo with what it is attached to.
    Memos,
}

impl ReportKind {
    /// Every kind, in the order a form offers them.
    pub const ALL: [ReportKind; 4] = [
        Self::CodedSegments,
        Self::Codebook,
        Self::Themes,
        Self::Memos,
    ];

    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::CodedSegments => "Coded segments",
            Self::Codebook => "Codebook",
            Self::Themes => "Themes",
            Self::Memos => "Memos",
        }
    }

    /// A stable key (form values, file names).
    pub fn key(self) -> &'static str {
        match self {
            Self::CodedSegments => "coded-segments",
            Self::Codebook => "codebook",
            Self::Themes => "themes",
            Self::Memos => "memos",
        }
    }

    /// The kind with this [`ReportKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// How the coded-segments report groups its quotes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
pub enum Grouping {
    /// One section per code, in codebook order.
    #[default]
    Code,
    /// One section per theme (top-level code with every code below it) and per set.
    Theme,
    /// One section per case (with its sub-cases), a sub-section per code.
    Case,
    /// One section per value of an attribute, a sub-section per code.
    Attribute(AttributeId),
}

/// The file a report is written as.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
pub enum ReportFormat {
    /// A printable, standalone HTML page with a table of contents.
    #[default]
    Html,
    /// Markdown (CommonMark with pipe tables).
    Markdown,
    /// A Word document (written in the worker).
    Docx,
    /// The report's list (segments, codes or memos) as CSV.
    Csv,
    /// The report's list and tables as an Excel workbook (written in the worker).
    Xlsx,
}

impl ReportFormat {
    /// Every format, in the order a form offers them.
    pub const ALL: [ReportFormat; 5] = [
        Self::Html,
        Self::Markdown,
        Self::Docx,
        Self::Csv,
        Self::Xlsx,
    ];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Docx => "docx",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The media type of the file.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Html => "text/html;charset=utf-8",
            Self::Markdown => "text/markdown;charset=utf-8",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Csv => "text/csv;charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Html => "HTML (printable page)",
            Self::Markdown => "Markdown",
            Self::Docx => "Word (.docx)",
            Self::Csv => "CSV (the list)",
            Self::Xlsx => "Excel (.xlsx)",
        }
    }

    /// The format with this extension.
    pub fn from_extension(ext: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.extension() == ext)
    }
}

/// Everything a report is built from besides the project.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ReportOptions {
    /// Which report.
    pub kind: ReportKind,
    /// How coded segments are grouped (the coded-segments report).
    pub grouping: Grouping,
    /// Only these codes (empty: every code). A chosen code does not bring its children.
    pub codes: Vec<CodeId>,
    /// Only codings in these sources (empty: every source).
    pub sources: Vec<SourceId>,
    /// Only codings belonging to these cases or their sub-cases (empty: no case filter), by the
    /// framework matrix's rule (a case's sources, and the turns of its linked speakers).
    pub cases: Vec<CaseId>,
    /// Leave out codings of these speakers (compared ignoring case).
    pub exclude_speakers: Vec<String>,
    /// Include memos (of codes, cases, sets' descriptions) under their headings.
    pub include_memos: bool,
    /// Include each code's definition (its description).
    pub include_definitions: bool,
    /// Say whether each code is deductive or inductive.
    pub include_origin: bool,
    /// The attribution after each quote: `{case}`, `{source}`, `{speaker}`, `{code}` and any
    /// attribute's name in braces, e.g. `({case}, {role}, {rurality})`.
    pub attribution: String,
    /// Cut quotes longer than this many words (at a word boundary); `None` keeps them whole.
    pub max_words: Option<usize>,
    /// Mark a cut quote with `…`.
    pub ellipsis: bool,
    /// Example quotes per code (codebook) or per theme (theme report).
    pub examples: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            kind: ReportKind::CodedSegments,
            grouping: Grouping::Code,
            codes: Vec::new(),
            sources: Vec::new(),
            cases: Vec::new(),
            exclude_speakers: Vec::new(),
            include_memos: true,
            include_definitions: true,
            include_origin: true,
            attribution: DEFAULT_ATTRIBUTION.to_string(),
            max_words: None,
            ellipsis: true,
            examples: 3,
        }
    }
}
