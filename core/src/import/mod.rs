//! Importers: one module per source format, all returning LF-normalised text.
//!
//! A format is a [`Format`]: the file extensions it claims and a function from the file's bytes
//! to an [`ExtractedText`]. [`import_file`] picks the format by extension (case-insensitive),
//! enforces the size limit, normalises line endings (CRLF, CR -> LF) for every format alike and
//! refuses files with no text. Adding a format (docx, odt, vtt, srt, rtf, html, pdf) means one new
//! module with a `FORMAT` constant, listed in [`FORMATS`] and [`supported_extensions`].
//!
//! Formats: plain text (`.txt`, `.text`) and Markdown (`.md`, `.markdown`, kept verbatim); with
//! the crate feature `formats` (off by default, so the browser app's main module stays small)
//! also Word (`.docx`), OpenDocument text (`.odt`), WebVTT (`.vtt`), SubRip (`.srt`), Rich Text
//! (`.rtf`) and HTML (`.html`, `.htm`); with the feature `pdf` (which implies `formats`) also the
//! text layer of PDF documents (`.pdf`, see [`pdf`] on running it isolated).
//!
//! Speaker turns: subtitle formats give [`ImportedText::turns`] directly; for plain text,
//! [`detect_turns`] finds `Interviewer:` / `D:` / `[Name] 00:01:02` style labels.

pub mod decode;
#[cfg(feature = "formats")]
pub mod docx;
#[cfg(feature = "formats")]
pub mod html;
pub mod md;
#[cfg(feature = "formats")]
pub mod odt;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "formats")]
pub mod rtf;
pub mod speakers;
#[cfg(feature = "formats")]
pub mod srt;
pub mod txt;
#[cfg(feature = "formats")]
pub mod vtt;
#[cfg(feature = "formats")]
pub(crate) mod zipped;

pub use speakers::{detect_transcript, detect_turns, Turn};

use crate::ids::SourceId;
use crate::project::{Project, Source, SourceKind, Timestamp};
use crate::text::normalize_newlines;
use std::fmt;
use std::sync::Arc;

/// The largest file accepted: 50 MiB.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// What a format's importer extracts from a file's bytes, before line endings are normalised.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExtractedText {
    /// The text (any line endings).
    pub text: String,
    /// How it was encoded, e.g. "UTF-8" or "UTF-16 LE".
    pub encoding: &'static str,
    /// Things the researcher should know about the import.
    pub notices: Vec<String>,
    /// Speaker turns given by the format (subtitles), spans into `text`; empty otherwise.
    pub turns: Vec<Turn>,
}

/// A format's importer: the file's bytes to text, or why not.
pub type ImportFn = fn(&[u8]) -> Result<ExtractedText, ImportError>;

/// One importable file format.
#[derive(Clone, Copy, Debug)]
pub struct Format {
    /// Name shown to the researcher, e.g. "Plain text".
    pub label: &'static str,
    /// Lower-case extensions with the dot, e.g. `[".txt", ".text"]`.
    pub extensions: &'static [&'static str],
    /// The importer.
    pub import: ImportFn,
}

/// Every format, in the order they are tried for an extension: plain text and Markdown always,
/// the others with the `formats` feature, PDF with `pdf`.
pub const FORMATS: &[Format] = &[
    txt::FORMAT,
    md::FORMAT,
    #[cfg(feature = "formats")]
    docx::FORMAT,
    #[cfg(feature = "formats")]
    odt::FORMAT,
    #[cfg(feature = "formats")]
    vtt::FORMAT,
    #[cfg(feature = "formats")]
    srt::FORMAT,
    #[cfg(feature = "formats")]
    rtf::FORMAT,
    #[cfg(feature = "formats")]
    html::FORMAT,
    #[cfg(feature = "pdf")]
    pdf::FORMAT,
];

/// How many extensions [`FORMATS`] have in all.
const EXTENSION_COUNT: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < FORMATS.len() {
        count += FORMATS[i].extensions.len();
        i += 1;
    }
    count
};

/// Every extension of [`FORMATS`] in their order, for the file picker's `accept` attribute
/// (gathered when compiling, so the list is written once, in the formats).
static SUPPORTED_EXTENSIONS: [&str; EXTENSION_COUNT] = {
    let mut all = [""; EXTENSION_COUNT];
    let mut n = 0;
    let mut i = 0;
    while i < FORMATS.len() {
        let mut j = 0;
        while j < FORMATS[i].extensions.len() {
            all[n] = FORMATS[i].extensions[j];
            n += 1;
            j += 1;
        }
        i += 1;
    }
    all
};

/// A file turned into text, ready to become a [`Source`] with [`to_source`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImportedText {
    /// The file name without directory and extension (the default source name).
    pub name: String,
    /// The file name as given, without any directory.
    pub file_name: String,
    /// The text, LF line endings only.
    pub text: String,
    /// "UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE" or "Windows-1252" ("UTF-8" for
    /// .docx and .odt).
    pub encoding: &'static str,
    /// Things the researcher should know about the import.
    pub notices: Vec<String>,
    /// Speaker turns (spans into `text`): from the format for subtitles (.vtt, .srt); empty for
    /// other formats until [`detect_turns`] is applied.
    pub turns: Vec<Turn>,
}

/// Why a file could not be imported. Its `Display` is a sentence for the researcher.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ImportError {
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// No format claims the file's extension (`extension` is lower-case with the dot, or empty).
    UnsupportedFormat {
        /// The extension, e.g. ".pages".
        extension: String,
    },
    /// The file is not text; the reason completes "this looks like a binary file (...)".
    Binary(String),
    /// The file is neither valid UTF-8 nor marked with a BOM of another encoding.
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A recognised encoding Framewise does not read (e.g. "UTF-32").
    UnsupportedEncoding(&'static str),
    /// Empty, or only whitespace.
    NoText,
    /// A document archive (.docx, .odt) that cannot be opened; the reason completes "this file
    /// is damaged or not a ... document (...)".
    CorruptArchive {
        /// The kind of document expected, e.g. "Word (.docx)".
        kind: &'static str,
        /// What is wrong, e.g. "it is not a ZIP archive".
        reason: String,
    },
    /// A password-protected (encrypted) document.
    Encrypted,
    /// Over one of the limits against zip bombs and huge documents; the reason says which.
    OverLimit(String),
    /// The file's structure is wrong for its format (e.g. a .vtt without cues); the reason
    /// completes "this file cannot be read (...)".
    Malformed(String),
    /// A PDF whose pages have no text layer (a scanned image); it needs text recognition (OCR).
    NoTextLayer,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { bytes } => f.write_str(&too_large(*bytes)),
            Self::UnsupportedFormat { extension } if extension.is_empty() => write!(
                f,
                "this file has no extension, so its format is unknown; Framewise imports {}",
                SUPPORTED_EXTENSIONS.join(", ")
            ),
            Self::UnsupportedFormat { extension } => write!(
                f,
                "Framewise cannot import {extension} files; it imports {}",
                SUPPORTED_EXTENSIONS.join(", ")
            ),
            Self::Binary(reason) => {
                write!(f, "this looks like a binary file ({reason}), not text")
            }
            Self::InvalidUtf8 { offset } => write!(
                f,
                "this file is not valid UTF-8 text (the first invalid byte is at position \
                 {offset}); save it as UTF-8 and import it again"
            ),
            Self::UnsupportedEncoding(encoding) => write!(
                f,
                "this file is encoded as {encoding}, which Framewise cannot read; save it as \
                 UTF-8 and import it again"
            ),
            Self::NoText => write!(f, "this file contains no text"),
            Self::CorruptArchive { kind, reason } => {
                write!(
                    f,
                    "this file is damaged or not a {kind} document ({reason})"
                )
            }
            Self::Encrypted => write!(
                f,
                "this document is password-protected (encrypted); remove the password in the \
                 program that made it and import it again"
            ),
            Self::OverLimit(reason) => write!(f, "this file is over Framewise's limits: {reason}"),
            Self::Malformed(reason) => write!(f, "this file cannot be read ({reason})"),
            Self::NoTextLayer => write!(
                f,
                "this PDF has no text layer (it may be a scanned image); run text recognition \
                 (OCR) on it, or export the text from the program that made it, and import that"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

fn format_mib(bytes: usize) -> String {
    // Tenths of a MiB, rounded up so a file just over the limit never shows as the limit.
    let tenths = (bytes as u64).saturating_mul(10).div_ceil(1024 * 1024);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The extensions that can be imported, with the dot, e.g. `[".txt", ".md"]` (for the file
/// picker's `accept` attribute).
pub fn supported_extensions() -> &'static [&'static str] {
    &SUPPORTED_EXTENSIONS
}

/// The file name without any directory ("C:\a\b.txt" and "a/b.txt" give "b.txt").
fn base_name(file_name: &str) -> &str {
    file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .trim()
}

/// Splits "notes.final.TXT" into ("notes.final", ".txt"). A leading dot is not an extension.
fn split_extension(base: &str) -> (&str, String) {
    match base.rfind('.') {
        Some(dot) if dot > 0 => (
            base.get(..dot).unwrap_or(base),
            base.get(dot..).unwrap_or("").to_ascii_lowercase(),
        ),
        _ => (base, String::new()),
    }
}

/// The format for a file name, by extension (case-insensitive).
pub fn format_for(file_name: &str) -> Option<&'static Format> {
    let (_, extension) = split_extension(base_name(file_name));
    FORMATS
        .iter()
        .find(|format| format.extensions.contains(&extension.as_str()))
}

/// Imports one file: picks the format by extension, decodes, normalises line endings to LF.
pub fn import_file(file_name: &str, bytes: &[u8]) -> Result<ImportedText, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    let base = base_name(file_name);
    let (stem, extension) = split_extension(base);
    let format = FORMATS
        .iter()
        .find(|format| format.extensions.contains(&extension.as_str()))
        .ok_or(ImportError::UnsupportedFormat { extension })?;
    let extracted = (format.import)(bytes)?;
    let text = normalize_newlines(&extracted.text);
    if text.trim().is_empty() {
        return Err(ImportError::NoText);
    }
    // Normalising line endings moves offsets: formats that give turns already use LF only, so
    // this is a safety net.
    let mut turns = if text.len() == extracted.text.len() {
        extracted.turns
    } else {
        Vec::new()
    };
    let mut text = text;
    let mut notices = extracted.notices;
    if turns.is_empty() {
        // Plain text: speaker turns from its labels; time-only lines become margin times.
        let (stripped, detected, taken) = speakers::detect_transcript(&text);
        if taken > 0 {
            notices.push(format!(
                "{} only giving the next turn's time now show it in the margin",
                crate::words::count(taken, "line", "lines")
            ));
            text = stripped;
        }
        turns = detected;
    }
    let name = match stem.trim() {
        "" => base.to_string(),
        stem => stem.to_string(),
    };
    Ok(ImportedText {
        name,
        file_name: base.to_string(),
        text,
        encoding: extracted.encoding,
        notices,
        turns,
    })
}

/// Makes a [`Source`] (for `Action::AddSources`) from an imported file, its speaker turns
/// detected when the format gave none.
pub fn to_source(
    imported: &ImportedText,
    id: SourceId,
    kind: SourceKind,
    now: Timestamp,
) -> Source {
    let turns = if imported.turns.is_empty() {
        detect_turns(&imported.text)
    } else {
        imported.turns.clone()
    };
    source_of(
        &imported.name,
        &imported.file_name,
        &imported.text,
        turns,
        (id, kind, now),
    )
}

/// A [`Source`] with these `turns` as they are (the app's imports: the worker detected them):
/// named `name` trimmed, or "Untitled".
pub fn source_of(
    name: &str,
    file_name: &str,
    text: &str,
    turns: Vec<Turn>,
    (id, kind, imported): (SourceId, SourceKind, Timestamp),
) -> Source {
    let name = match name.trim() {
        "" => "Untitled".to_string(),
        name => name.to_string(),
    };
    Source {
        id,
        name,
        kind,
        text: Arc::from(text),
        memo: String::new(),
        imported,
        file_name: Some(file_name.to_string()),
        turns,
    }
}

/// The sentence of [`ImportError::TooLarge`] for a file of `bytes` (the app checks the size
/// before reading a file).
pub fn too_large(bytes: usize) -> String {
    format!(
        "this file is {} MiB; Framewise imports files of up to {} MiB",
        format_mib(bytes),
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// A source of `project` with exactly this text, if any (to warn before importing it twice).
pub fn find_duplicate<'a>(project: &'a Project, text: &str) -> Option<&'a Source> {
    project
        .sources
        .iter()
        .find(|s| s.text.len() == text.len() && &*s.text == text)
        .map(|s| s.as_ref())
}

/// A first guess at the kind of a new source, which the researcher can change: field notes when
/// the file name says so ("field", "notes", "observation") or the first line is a "Field notes"
/// heading; a document when the name says "report", "policy" or "document"; otherwise an
/// interview.
pub fn guess_kind(file_name: &str, text: &str) -> SourceKind {
    let name = base_name(file_name).to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["interview", "transcript"]) {
        return SourceKind::Interview;
    }
    if has(&["field", "notes", "observation", "fieldnote"]) {
        return SourceKind::FieldNotes;
    }
    if has(&["report", "policy", "document"]) {
        return SourceKind::Document;
    }
    let first_line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_lowercase();
    if first_line.chars().count() <= 80
        && (first_line.contains("field notes") || first_line.contains("observation notes"))
    {
        return SourceKind::FieldNotes;
    }
    SourceKind::Interview
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn supported_extensions_match_formats() {
        let from_formats: Vec<&str> = FORMATS
            .iter()
            .flat_map(|f| f.extensions.iter().copied())
            .collect();
        assert_eq!(supported_extensions(), from_formats.as_slice());
    }

    #[test]
    fn names_and_extensions() {
        assert_eq!(base_name("C:\\data\\a.txt"), "a.txt");
        assert_eq!(base_name("data/b.md"), "b.md");
        assert_eq!(
            split_extension("Notes.Final.TXT"),
            ("Notes.Final", ".txt".into())
        );
        assert_eq!(split_extension(".txt"), (".txt", String::new()));
        assert_eq!(split_extension("README"), ("README", String::new()));
        assert_eq!(format_for("X.MarkDown").map(|f| f.label), Some("Markdown"));
        assert_eq!(format_for("x.docx").is_some(), cfg!(feature = "formats"));
        assert!(format_for("x.pages").is_none());
    }

    #[test]
    fn size_is_shown_in_mib() {
        assert_eq!(format_mib(MAX_FILE_BYTES), "50.0");
        assert_eq!(format_mib(MAX_FILE_BYTES + 1), "50.1");
        assert_eq!(format_mib(3 * 1024 * 1024 / 2), "1.5");
    }
}
