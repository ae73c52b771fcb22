//! Writing zip archives (`.xlsx` workbooks, `.qdpx` projects) with the `zip` crate: deflated
//! entries, zip64 when an entry or the archive needs it, and an error instead of a silently
//! wrong archive. Behind the `formats` feature: only the worker and native tools write archives.
//! Entries carry a fixed date (1980-01-01, the earliest a zip can hold; core has no clock), so
//! the same input gives the same bytes.

use std::fmt;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// Why an archive could not be written. `Display` is a sentence.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ArchiveError(String);

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "The file could not be written: {}.", self.0)
    }
}

impl std::error::Error for ArchiveError {}

impl From<zip::result::ZipError> for ArchiveError {
    fn from(e: zip::result::ZipError) -> Self {
        Self(e.to_string())
    }
}

impl From<std::io::Error> for ArchiveError {
    fn from(e: std::io::Error) -> Self {
        Self(e.to_string())
    }
}

/// A zip archive built in memory.
pub(crate) struct Archive {
    zip: zip::ZipWriter<Cursor<Vec<u8>>>,
}

/// Entries from this size on are written with zip64 sizes (the zip crate needs to know before
/// the data is written).
const ZIP64_FROM: u64 = u32::MAX as u64;

impl Archive {
    pub(crate) fn new() -> Self {
        Self {
            zip: zip::ZipWriter::new(Cursor::new(Vec::new())),
        }
    }

    /// Adds a file, deflated.
    pub(crate) fn add(&mut self, name: &str, data: &[u8]) -> Result<(), ArchiveError> {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .large_file(u64::try_from(data.len()).unwrap_or(u64::MAX) >= ZIP64_FROM);
        self.zip.start_file(name, options)?;
        self.zip.write_all(data)?;
        Ok(())
    }

    /// The archive's bytes.
    pub(crate) fn finish(self) -> Result<Vec<u8>, ArchiveError> {
        Ok(self.zip.finish()?.into_inner())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn entries_are_deflated_and_read_back() {
        let text = "Interviewer: How did it start?\n".repeat(1_000);
        let mut archive = Archive::new();
        archive.add("sources/a.txt", text.as_bytes()).unwrap();
        archive.add("naïve/ü.xml", b"<x/>").unwrap();
        let bytes = archive.finish().unwrap();
        assert!(bytes.len() < text.len() / 10, "deflated: {}", bytes.len());
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.clone())).unwrap();
        let mut back = String::new();
        let mut entry = zip.by_name("sources/a.txt").unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
        entry.read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        drop(entry);
        assert!(zip.by_name("naïve/ü.xml").is_ok());
        // The same input, the same bytes (no clock).
        let mut again = Archive::new();
        again.add("sources/a.txt", text.as_bytes()).unwrap();
        again.add("naïve/ü.xml", b"<x/>").unwrap();
        assert_eq!(again.finish().unwrap(), bytes);
    }

    #[test]
    fn a_name_used_twice_is_an_error_not_a_broken_archive() {
        let mut archive = Archive::new();
        archive.add("a.txt", b"1").unwrap();
        let err = archive.add("a.txt", b"2").unwrap_err();
        assert!(
            err.to_string().starts_with("The file could not be written"),
            "{err}"
        );
    }
}
