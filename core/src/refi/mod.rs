//! REFI-QDA exchange (QDA-XML 1.0): `.qdpx` projects and `.qdc` codebooks, to and from the
//! tools that write them (NVivo, ATLAS.ti, MAXQDA, QualCoder). The reader and writer are behind
//! the `refi` feature (the browser app's main wasm does not carry them: they run in its Web
//! Worker); the plain data they hand over ([`RefiReport`], [`CodebookMerge`]) is always compiled,
//! so the app can read the worker's answers (see [`crate::protocol`]).
//!
//! Every REFI file, whoever reads it (the CLI, the worker), goes through [`read_refi_file`]:
//! the kind comes from the file name, the XML's encoding from its byte-order mark or its
//! declaration (UTF-8, UTF-16, or any encoding `encoding_rs` knows, e.g. ISO-8859-1), and a
//! file that is not valid UTF-8 and declares nothing is read as Windows-1252 with a notice.
//!
//! # Mapping (export)
//! | Framewise | REFI-QDA |
//! |---|---|
//! | project name, memo, created | `Project@name`, `Project/Description`, `@creationDateTime` |
//! | coders (coding `coder`) | `Users/User` (guid derived from the name, stable) |
//! | code (id, name, colour, description, tree) | `CodeBook/Codes/Code` (`guid` = our id, `isCodable="true"`) |
//! | code memo | a `Note` with a `NoteRef` in the `Code` |
//! | source (id, name, text, imported) | `TextSource` with `plainTextPath="internal://<guid>.txt"` and `sources/<guid>.txt` (UTF-8, LF) |
//! | source memo | a `Note` with a `NoteRef` in the `TextSource` |
//! | coding | one `PlainTextSelection` (guid derived from the coding id) holding one `Coding` (`guid` = coding id, `creatingUser`, `creationDateTime`) |
//! | case (name, memo, sources, values) | `Cases/Case` with `Description`, `VariableValue`, `SourceRef` |
//! | attribute | `Variables/Variable` (Text; Number as Float; Date; Yes/no as Boolean; Category as Text) |
//! | set of codes | `Sets/Set` with `MemberCode` |
//! | matrix cell summary | a `Note` (rendered text) and a `Link` from the case to the code holding its `NoteRef` |
//! | matrix case summary | a `Note` and a `Link` from the case |
//! | annotation of a coding | a `Note` (guid = annotation id) with a `NoteRef` in the coding's `PlainTextSelection` |
//! | annotation of a passage | a `PlainTextSelection` of its span holding only a `NoteRef` to its `Note` |
//!
//! **Positions** in our export count **code points of the LF text** written to `sources/`.
//!
//! What REFI cannot express travels in `framewise/sidecar.json` inside the `.qdpx` (other tools
//! ignore it): project id, code order, origin (deductive/inductive) and creation times, source
//! kinds, file names and speaker turns, the case tree, case creation times and speaker links,
//! attribute types (category lists), set creation times, whole matrices (with their excluded
//! speakers, and the guids of the notes made from them, so an import does not take them for
//! foreign notes) and, only when [`ExportOptions::include_pseudonym_key`] asks for it, the
//! pseudonymisation key. On import the sidecar is laid over what the XML says, entity by entity,
//! only where the guid still exists; without one, speaker turns are detected in the text.
//!
//! # Import
//! Tolerates `internal://`, relative or absolute `plainTextPath`, inline `PlainTextContent`,
//! GUIDs in braces or upper case, a `.qde` not named `project.qde`, codebook namespaces
//! `urn:QDA-XML:codebook:0:4`, `:1:0` and `1.0`, empty `<Sets/>`, BOM and CRLF in sources,
//! and text sources whose only text is a `.docx` rich text (read with the `.docx` importer).
//! Selection positions are mapped with the counting the writing tool uses (see
//! [`Counting`]), checked against the text: the counting that places most selections, then
//! most on word boundaries, wins; ties go to what `origin` suggests (our own exports, origin
//! `Framewise`, are read as code points of the LF text without guessing).
//!
//! # Merging a codebook
//! [`plan_codebook_merge`] matches incoming codes by guid, then by name, and lists what is new,
//! renamed or conflicting; [`CodebookMerge::action`] applies it as one undo step.

#[cfg(feature = "refi")]
mod common;
#[cfg(feature = "refi")]
mod export;
#[cfg(all(test, feature = "refi"))]
mod fixtures;
#[cfg(feature = "refi")]
mod import;
mod merge;
#[cfg(feature = "refi")]
mod positions;
#[cfg(feature = "refi")]
mod read;
mod report;
mod shown;
#[cfg(feature = "refi")]
mod xml;

#[cfg(feature = "refi")]
pub(crate) use common::{derived, derived_from, parse_guid, user_guid};
#[cfg(feature = "refi")]
pub use common::{iso_datetime, parse_datetime};
#[cfg(feature = "refi")]
pub use export::{
    export_qdc, export_qde, export_qdpx, export_qdpx_with, ExportOptions, SIDECAR_VERSION,
};
#[cfg(feature = "refi")]
pub use import::{import_qdc, import_qdpx, RefiError, RefiImport};
pub use merge::{plan_codebook_merge, CodebookMerge, MatchedBy, MatchedCode, MergeConflict};
#[cfg(feature = "refi")]
pub use read::{read_refi_file, RefiFileKind};
pub use report::{Counting, RefiReport};
pub use shown::{import_summary, merge_preview};

/// Path of the sidecar inside a `.qdpx`.
pub const SIDECAR_PATH: &str = "framewise/sidecar.json";

/// Value of `origin` in our exports.
pub const ORIGIN: &str = "Framewise";
