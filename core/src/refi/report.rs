//! What a REFI-QDA import found: plain data, compiled without the `refi` feature so that the
//! app can read the worker's answer (see [`crate::protocol`]).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an import found, for the researcher.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct RefiReport {
    /// The writing tool (`origin`), if given.
    pub origin: Option<String>,
    /// Users listed.
    pub users: usize,
    /// Codes imported.
    pub codes: usize,
    /// Text sources imported.
    pub sources: usize,
    /// Codings placed.
    pub codings: usize,
    /// Annotations (notes referenced from a text selection) imported.
    #[serde(default)]
    pub annotations: usize,
    /// Cases imported.
    pub cases: usize,
    /// Sets imported.
    pub sets: usize,
    /// Sources not imported, by kind (e.g. "PDF" -> 2, "text source without text" -> 1).
    pub skipped_sources: BTreeMap<String, usize>,
    /// Selections that could not be placed on the text, one sentence each.
    pub unplaced: Vec<String>,
    /// The counting used per source name, when the source had selections.
    pub countings: BTreeMap<String, Counting>,
    /// Notes not attached to anything Framewise holds.
    pub unattached_notes: usize,
    /// Text sources read from their rich text (`.docx`) because they had no plain text.
    pub rich_text_sources: usize,
    /// True when our sidecar was found and applied.
    pub sidecar: bool,
    /// Entries of the pseudonymisation key restored from the sidecar (0 when it had none).
    pub pseudonyms: usize,
    /// Other things the researcher should know, one sentence each.
    pub problems: Vec<String>,
}

/// A way of counting positions in a source text.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Counting {
    /// Code points of the LF-normalised text (CRLF counts one): ATLAS.ti, and our own exports.
    CodePointsLf,
    /// Code points of the text as written (CRLF counts two): QualCoder on CRLF files.
    CodePointsRaw,
    /// UTF-16 code units of the text as written (CRLF two, BOM excluded): NVivo.
    Utf16Raw,
    /// UTF-16 code units of the LF-normalised text.
    Utf16Lf,
}
