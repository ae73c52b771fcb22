//! The error of a refused change: why `apply` could not apply an action (the project is then
//! unchanged). In the model layer so that everything that checks a change (`apply`, text
//! edits) can say why without importing `apply` itself.

use crate::ids::{AnnotationId, AttributeId, CaseId, CodeId, MatrixId, QueryId, SetId, SourceId};
use std::fmt;

/// Why an action could not be applied. The project is unchanged.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ActionError {
    /// No source with that id.
    UnknownSource(SourceId),
    /// No code with that id.
    UnknownCode(CodeId),
    /// An id that must be new is already used.
    DuplicateId(String),
    /// A span that is empty, out of bounds or not on character boundaries.
    InvalidSpan {
        /// The source.
        source: SourceId,
        /// Start byte.
        start: usize,
        /// End byte.
        end: usize,
    },
    /// A planned replacement no longer fits the text it was planned on (preview again).
    ChangedSincePreview(String),
    /// A move that would put a code under itself.
    CycleInCodebook,
    /// A name that is empty.
    EmptyName,
    /// A colour that is not `#rrggbb`.
    InvalidColor(String),
    /// Merging a code into itself.
    MergeIntoSelf,
    /// No case with that id.
    UnknownCase(CaseId),
    /// No attribute with that id.
    UnknownAttribute(AttributeId),
    /// No matrix with that id.
    UnknownMatrix(MatrixId),
    /// No set with that id.
    UnknownSet(SetId),
    /// No saved search with that id.
    UnknownQuery(QueryId),
    /// A case moved under itself.
    CycleInCases,
    /// No speaker with that label in the source.
    UnknownSpeaker(String),
    /// A code name already used by a sibling (compared ignoring case and surrounding spaces).
    DuplicateCodeName {
        /// The name.
        name: String,
        /// The parent's name, `None` at the top level.
        parent: Option<String>,
    },
    /// No annotation with that id.
    UnknownAnnotation(AnnotationId),
    /// An annotation without any text.
    EmptyAnnotation,
    /// A value that does not fit its attribute's type.
    ValueDoesNotFit {
        /// The attribute's name.
        attribute: String,
        /// The value.
        value: String,
    },
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownSource(id) => write!(f, "there is no source {id}"),
            Self::UnknownCode(id) => write!(f, "there is no code {id}"),
            Self::DuplicateId(id) => write!(f, "the id {id} is already used"),
            Self::InvalidSpan { start, end, .. } => {
                write!(
                    f,
                    "the selection {start}..{end} does not fit the source text"
                )
            }
            Self::ChangedSincePreview(place) => {
                write!(f, "the {place} changed since the preview: preview again")
            }
            Self::CycleInCodebook => write!(f, "a code cannot be moved under itself"),
            Self::EmptyName => write!(f, "a name cannot be empty"),
            Self::InvalidColor(c) => write!(f, "{c} is not a colour like #1f77b4"),
            Self::MergeIntoSelf => write!(f, "a code cannot be merged into itself"),
            Self::UnknownCase(id) => write!(f, "there is no case {id}"),
            Self::UnknownAttribute(id) => write!(f, "there is no attribute {id}"),
            Self::UnknownMatrix(id) => write!(f, "there is no matrix {id}"),
            Self::UnknownSet(id) => write!(f, "there is no set {id}"),
            Self::UnknownQuery(id) => write!(f, "there is no saved search {id}"),
            Self::CycleInCases => write!(f, "a case cannot be placed under itself"),
            Self::ValueDoesNotFit { attribute, value } => {
                write!(f, "“{value}” does not fit the attribute {attribute}")
            }
            Self::UnknownAnnotation(id) => write!(f, "there is no annotation {id}"),
            Self::EmptyAnnotation => write!(f, "an annotation needs some text"),
            Self::UnknownSpeaker(label) => {
                write!(f, "there is no speaker “{label}” in this source")
            }
            Self::DuplicateCodeName {
                name,
                parent: Some(parent),
            } => write!(f, "there is already a code “{name}” under “{parent}”"),
            Self::DuplicateCodeName { name, parent: None } => {
                write!(f, "there is already a code “{name}” at the top level")
            }
        }
    }
}

impl std::error::Error for ActionError {}
