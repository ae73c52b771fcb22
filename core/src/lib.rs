//! # framewise-core
//!
//! The domain of Framewise, a qualitative data analysis workbench: projects, sources, the
//! codebook, codings, memos, the actions that change them, undo, importers and the saved format.
//! It knows nothing about the browser: no I/O, no clocks, no randomness (callers pass ids and
//! timestamps), so it is tested natively with `cargo test`.
//!
//! ```
//! use framewise_core::*;
//! let mut ids = SeqIds::new(1);
//! let project = Project::new(ids.project_id(), "Evaluation", 0);
//! let code = Code {
//!     id: ids.code_id(), name: "Access".into(), parent: None, color: "#e69f00".into(),
//!     description: String::new(), origin: CodeOrigin::Deductive, memo: String::new(), created: 0,
//! };
//! let project = apply(&project, Action::CreateCode { code }).unwrap();
//! assert_eq!(project.codes.len(), 1);
//! ```
#![warn(missing_docs)]

// The layers, bottom up (ARCHITECTURE.md, "Core layers"; checked by `tests/layers.rs`): leaves
// (ids, span, sort, palette, csv, tree, text, xlsx) < model < action (action, edit, history) <
// features < edge (persist, import, refi, demo).
mod action;
pub mod agreement;
#[cfg(feature = "formats")]
pub mod archive;
pub mod autocode;
pub mod case_table;
pub mod cases;
pub mod chart;
pub mod code_tree;
pub mod codebook_csv;
pub mod crosstab;
mod csv;
pub mod demo;
pub mod edit;
mod history;
mod ids;
pub mod import;
pub mod matrix;
pub mod memos;
pub mod merge;
pub mod model;
mod palette;
pub mod persist;
pub mod preview;
pub mod protocol;
pub mod pseudonym;
pub mod refi;
pub mod report;
pub mod search;
pub mod share;
pub mod sort;
mod span;
pub mod speakers;
pub mod suggest;
pub mod text;
mod time;
pub mod tree;
pub mod words;
#[cfg(feature = "formats")]
mod xlsx;

// `crate::project::…` is the model's project module (its path before the model had a folder).
use model::project;

pub use action::{apply, codebook_merge_action, is_valid_color, Action};
pub use history::{History, Step, HISTORY_LIMIT};
pub use ids::{
    AnnotationId, AttributeId, CaseId, CodeId, CodingId, IdSource, MatrixId, ProjectId, QueryId,
    SeqIds, SetId, SourceId,
};
pub use model::case::{AttrValue, Attribute, AttributeKind, Case, SpeakerLink};
pub use model::error::ActionError;
pub use model::matrix::{AttributeFilter, FilterOp, Matrix, RowSelection};
pub use model::project::{
    same_code_name, Annotation, Code, CodeCounts, CodeOrigin, CodeSet, Coding, Project, Pseudonym,
    Source, SourceKind, Turn,
};
pub use palette::{color_for, PALETTE};
pub use span::Span;
pub use time::Timestamp;
