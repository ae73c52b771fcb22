//! Reading document archives (.docx, .odt) safely: ZIP with limits against zip bombs, and the
//! XML helpers the document formats share.

use super::ImportError;
use quick_xml::events::BytesRef;
use std::io::{Cursor, Read};
use zip::result::ZipError;
use zip::ZipArchive;

/// The most entries an archive may have.
pub const MAX_ENTRIES: usize = 10_000;
/// The most bytes all entries of an archive may hold uncompressed: 200 MiB.
pub const MAX_TOTAL_UNCOMPRESSED: u64 = 200 * 1024 * 1024;
/// The most bytes one XML part (the main text) may hold uncompressed: 50 MiB.
pub const MAX_XML_BYTES: u64 = 50 * 1024 * 1024;

/// Magic number of OLE compound files (old .doc, and password-protected .docx).
const OLE_MAGIC: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

/// An opened archive, counting what has been decompressed.
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    kind: &'static str,
    read_total: u64,
}

fn corrupt(kind: &'static str, reason: impl Into<String>) -> ImportError {
    ImportError::CorruptArchive {
        kind,
        reason: reason.into(),
    }
}

fn zip_error(kind: &'static str, error: ZipError) -> ImportError {
    match error {
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => {
            ImportError::Encrypted
        }
        ZipError::InvalidPassword => ImportError::Encrypted,
        ZipError::UnsupportedArchive(m) => corrupt(kind, format!("unsupported ZIP feature: {m}")),
        ZipError::InvalidArchive(m) => corrupt(kind, format!("broken ZIP archive: {m}")),
        ZipError::Io(e) => corrupt(
            kind,
            format!("the ZIP archive is truncated or damaged: {e}"),
        ),
        ZipError::FileNotFound => corrupt(kind, "a part of the document is missing"),
        other => corrupt(kind, other.to_string()),
    }
}

impl<'a> Archive<'a> {
    /// Opens `bytes` as the ZIP archive of a `kind` document (e.g. "Word (.docx)"), checking the
    /// entry count and the declared uncompressed size.
    pub fn open(bytes: &'a [u8], kind: &'static str) -> Result<Self, ImportError> {
        if bytes.starts_with(OLE_MAGIC) {
            // Office stores password-protected documents in an OLE container with an
            // "EncryptionInfo" stream (its name is UTF-16 LE in the directory).
            let marker: Vec<u8> = "EncryptionInfo"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
                return Err(ImportError::Encrypted);
            }
            return Err(corrupt(
                kind,
                "it is an old-style Office file such as a Word 97-2003 .doc; save it as .docx",
            ));
        }
        if !bytes.starts_with(b"PK") {
            return Err(corrupt(kind, "it is not a ZIP archive"));
        }
        if has_empty_timestamp_field(bytes) {
            return Err(corrupt(
                kind,
                "broken ZIP archive: an empty timestamp field",
            ));
        }
        let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(kind, e))?;
        if zip.len() > MAX_ENTRIES {
            return Err(ImportError::OverLimit(format!(
                "the document archive has {} parts; at most {MAX_ENTRIES} are read",
                zip.len()
            )));
        }
        let mut declared: u64 = 0;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| zip_error(kind, e))?;
            declared = declared.saturating_add(entry.size());
        }
        if declared > MAX_TOTAL_UNCOMPRESSED {
            return Err(ImportError::OverLimit(format!(
                "the document unpacks to {} MiB; at most {} MiB are read",
                declared / (1024 * 1024),
                MAX_TOTAL_UNCOMPRESSED / (1024 * 1024)
            )));
        }
        Ok(Self {
            zip,
            kind,
            read_total: 0,
        })
    }

    /// The decompressed bytes of entry `name` (at most `limit` bytes), or `None` if there is
    /// no such entry.
    pub fn read(&mut self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, ImportError> {
        let kind = self.kind;
        let file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(zip_error(kind, e)),
        };
        if file.encrypted() {
            return Err(ImportError::Encrypted);
        }
        let mut data = Vec::new();
        file.take(limit.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| corrupt(kind, format!("{name} cannot be unpacked: {e}")))?;
        let size = data.len() as u64;
        if size > limit {
            return Err(ImportError::OverLimit(format!(
                "{name} unpacks to more than {} MiB",
                limit / (1024 * 1024)
            )));
        }
        self.read_total = self.read_total.saturating_add(size);
        if self.read_total > MAX_TOTAL_UNCOMPRESSED {
            return Err(ImportError::OverLimit(format!(
                "the document unpacks to more than {} MiB",
                MAX_TOTAL_UNCOMPRESSED / (1024 * 1024)
            )));
        }
        Ok(Some(data))
    }

    /// Like [`Self::read`], but a missing entry is an error naming what it should have been.
    pub fn read_required(&mut self, name: &str, limit: u64) -> Result<Vec<u8>, ImportError> {
        let kind = self.kind;
        self.read(name, limit)?
            .ok_or_else(|| corrupt(kind, format!("it has no {name}")))
    }
}

/// Whether any ZIP file header (local or central) has an extended-timestamp extra field (id
/// 0x5455) of length 0. The `zip` crate (4.6.1) subtracts from that length without checking, which
/// panics in builds with overflow checks (found by fuzzing, `fuzz/README.md`), so such archives are
/// refused before it sees them. Every header signature in the file is checked, wherever it is.
pub(crate) fn has_empty_timestamp_field(bytes: &[u8]) -> bool {
    let u16_at = |at: usize| -> Option<usize> {
        let b = bytes.get(at..at.checked_add(2)?)?;
        Some(usize::from(u16::from_le_bytes([*b.first()?, *b.get(1)?])))
    };
    let mut at = 0;
    while let Some(found) = bytes
        .get(at..)
        .and_then(|rest| rest.windows(2).position(|w| w == b"PK"))
    {
        let start = at + found;
        at = start + 2;
        let (name_len_at, extra_len_at, fixed) = match bytes.get(start + 2..start + 4) {
            Some(b"\x01\x02") => (start + 28, start + 30, 46),
            Some(b"\x03\x04") => (start + 26, start + 28, 30),
            _ => continue,
        };
        let (Some(name_len), Some(extra_len)) = (u16_at(name_len_at), u16_at(extra_len_at)) else {
            continue;
        };
        let mut field = start + fixed + name_len;
        let end = field + extra_len;
        while field + 4 <= end {
            let (Some(id), Some(len)) = (u16_at(field), u16_at(field + 2)) else {
                break;
            };
            if id == 0x5455 && len == 0 {
                return true;
            }
            field += 4 + len;
        }
    }
    false
}

/// An XML error as an import error.
pub fn xml_error(kind: &'static str, part: &str, error: impl std::fmt::Display) -> ImportError {
    corrupt(kind, format!("{part} is not well-formed XML: {error}"))
}

/// The text of an entity or character reference (`&amp;`, `&#8220;`); unknown entities are kept
/// as written.
pub fn reference_text(reference: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return c.to_string();
    }
    let name = reference.decode().unwrap_or_default();
    match name.as_ref() {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        other => format!("&{other};"),
    }
}

/// Where extracted text goes: the body, a footnote, or a table cell.
pub enum SinkKind {
    /// Paragraphs are lines.
    Block,
    /// Paragraphs are joined by spaces (a table cell is one field of a tab-separated row).
    Cell,
}

/// Collects paragraphs, tables and notes into lines of text.
pub struct Collector {
    /// Open containers; the first is the body.
    pub sinks: Vec<(SinkKind, String)>,
    /// Open paragraphs (text boxes and notes nest paragraphs in paragraphs).
    pub paragraphs: Vec<String>,
    /// Open table rows.
    pub rows: Vec<Vec<String>>,
}

impl Collector {
    /// An empty body.
    pub fn new() -> Self {
        Self {
            sinks: vec![(SinkKind::Block, String::new())],
            paragraphs: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Appends text to the open paragraph (or the innermost container).
    pub fn push(&mut self, text: &str) {
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.push_str(text);
        } else if let Some((_, sink)) = self.sinks.last_mut() {
            sink.push_str(text);
        }
    }

    /// The open paragraph's text so far.
    pub fn current(&self) -> &str {
        self.paragraphs.last().map_or("", String::as_str)
    }

    /// Starts a paragraph.
    pub fn open_paragraph(&mut self) {
        self.paragraphs.push(String::new());
    }

    /// Ends a paragraph: a line of the innermost container.
    pub fn close_paragraph(&mut self) {
        if let Some(text) = self.paragraphs.pop() {
            self.line(&text);
        }
    }

    /// Adds a line to the innermost container.
    pub fn line(&mut self, text: &str) {
        match self.sinks.last_mut() {
            Some((SinkKind::Cell, cell)) => {
                if !cell.is_empty() && !text.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(text);
            }
            Some((SinkKind::Block, block)) => {
                block.push_str(text);
                block.push('\n');
            }
            None => {}
        }
    }

    /// Starts a table row.
    pub fn open_row(&mut self) {
        self.rows.push(Vec::new());
    }

    /// Ends a table row: its cells, tab-separated, as a line.
    pub fn close_row(&mut self) {
        if let Some(row) = self.rows.pop() {
            self.line(&row.join("\t"));
        }
    }

    /// Starts a table cell.
    pub fn open_cell(&mut self) {
        self.sinks.push((SinkKind::Cell, String::new()));
    }

    /// Ends a table cell.
    pub fn close_cell(&mut self) {
        if self.sinks.len() > 1 {
            if let Some((_, text)) = self.sinks.pop() {
                match self.rows.last_mut() {
                    Some(row) => row.push(text),
                    None => self.line(&text),
                }
            }
        }
    }

    /// Starts a note (its paragraphs are collected apart, see [`Self::close_note`]).
    pub fn open_note(&mut self) {
        self.sinks.push((SinkKind::Block, String::new()));
    }

    /// Ends a note, returning its text.
    pub fn close_note(&mut self) -> String {
        if self.sinks.len() > 1 {
            if let Some((_, text)) = self.sinks.pop() {
                return text.trim().to_string();
            }
        }
        String::new()
    }

    /// Closes whatever is still open and returns the body with `notes` appended (each as
    /// `[marker] text` on its own line after a blank line).
    pub fn finish(mut self, notes: &[(String, String)]) -> String {
        while !self.paragraphs.is_empty() {
            self.close_paragraph();
        }
        while self.sinks.len() > 1 {
            let text = self.close_note();
            self.line(&text);
        }
        let mut body = self.sinks.pop().map(|(_, text)| text).unwrap_or_default();
        let trimmed = body.trim_end().len();
        body.truncate(trimmed);
        if !notes.is_empty() {
            body.push_str("\n\n");
            let lines: Vec<String> = notes
                .iter()
                .map(|(marker, text)| format!("[{marker}] {text}"))
                .collect();
            body.push_str(&lines.join("\n"));
        }
        body
    }
}
