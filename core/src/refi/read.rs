//! The one way a REFI-QDA file is read from its bytes: the CLI (`framewise inspect/convert/
//! merge`) and the app's Web Worker both call [`read_refi_file`], so they agree on every file
//! (byte-order marks, declared encodings, `.qdc` vs `.qdpx` vs a bare `.qde`).

use super::import::{import_qdc, import_qdpx, RefiError, RefiImport};
use super::xml::xml_text;
use crate::ids::IdSource;
use crate::project::Timestamp;

/// Which REFI-QDA file a name is, by its extension (case-insensitive).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RefiFileKind {
    /// `.qdpx`: a zip of `project.qde` and the sources.
    Project,
    /// `.qdc`: a codebook (codes and sets).
    Codebook,
    /// `.qde`: a project document on its own (no source files beside it).
    ProjectDocument,
}

impl RefiFileKind {
    /// The kind of `file_name`, or `None` when it is not a REFI-QDA file.
    pub fn of(file_name: &str) -> Option<Self> {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".qdpx") {
            Some(Self::Project)
        } else if lower.ends_with(".qdc") {
            Some(Self::Codebook)
        } else if lower.ends_with(".qde") {
            Some(Self::ProjectDocument)
        } else {
            None
        }
    }
}

/// Reads a `.qdpx` project, a `.qdc` codebook or a bare `.qde` (the kind from `file_name`) into
/// a new project. A codebook's project is named after the file when the XML gives no name.
pub fn read_refi_file(
    file_name: &str,
    bytes: &[u8],
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Result<RefiImport, RefiError> {
    let kind = RefiFileKind::of(file_name).ok_or(RefiError::NotRefiFile)?;
    if bytes.is_empty() {
        return Err(RefiError::Empty);
    }
    match kind {
        RefiFileKind::Project => import_qdpx(bytes, ids, now),
        RefiFileKind::Codebook | RefiFileKind::ProjectDocument => {
            let (xml, notice) = xml_text(bytes).map_err(RefiError::Xml)?;
            let mut read = import_qdc(&xml, stem(file_name), ids, now)?;
            read.report.problems.extend(notice);
            Ok(read)
        }
    }
}

/// The file name without directories and without its (4-character) REFI extension.
fn stem(file_name: &str) -> &str {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match base.rfind('.') {
        Some(dot) if dot > 0 => base.get(..dot).unwrap_or(base),
        _ => base,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ids::SeqIds;

    const CODEBOOK: &str = "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>\
        <Code guid=\"6a1b2c3d-0000-4000-8000-000000000001\" name=\"Café culture\" isCodable=\"true\">\
        <Description>Naïve “quotes”</Description></Code></Codes></CodeBook>";

    fn read(name: &str, bytes: &[u8]) -> Result<RefiImport, RefiError> {
        read_refi_file(name, bytes, &mut SeqIds::new(1), 0)
    }

    #[test]
    fn a_codebook_with_a_byte_order_mark() {
        let mut bytes = b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>".to_vec();
        bytes.extend_from_slice(CODEBOOK.as_bytes());
        let got = read("Book.QDC", &bytes).unwrap();
        assert_eq!(got.project.codes.len(), 1);
        assert_eq!(got.project.codes[0].name, "Café culture");
        assert_eq!(got.project.name, "Book");
        assert!(got.report.problems.is_empty(), "{:?}", got.report.problems);
    }

    #[test]
    fn a_utf16_codebook() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>{CODEBOOK}").encode_utf16()
        {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let got = read("book.qdc", &bytes).unwrap();
        assert_eq!(got.project.codes[0].name, "Café culture");
    }

    #[test]
    fn a_codebook_declared_iso_8859_1() {
        let xml = format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n{CODEBOOK}")
            .replace(['“', '”'], "\"");
        let (latin1, _, lossy) = encoding_rs::WINDOWS_1252.encode(&xml);
        assert!(!lossy);
        assert!(std::str::from_utf8(&latin1).is_err(), "really not UTF-8");
        let got = read("latin.qdc", &latin1).unwrap();
        assert_eq!(got.project.codes[0].name, "Café culture");
        assert_eq!(got.project.codes[0].description, "Naïve \"quotes\"");
        assert!(got.report.problems.is_empty(), "{:?}", got.report.problems);
    }

    #[test]
    fn a_codebook_in_windows_1252_that_declares_nothing() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(CODEBOOK);
        let got = read("cp.qdc", &bytes).unwrap();
        assert_eq!(got.project.codes[0].name, "Café culture");
        assert_eq!(got.project.codes[0].description, "Naïve “quotes”");
        assert_eq!(got.report.problems.len(), 1, "{:?}", got.report.problems);
        assert!(got.report.problems[0].contains("Windows-1252"));
    }

    #[test]
    fn a_qdpx_whose_project_document_has_a_byte_order_mark() {
        let project = crate::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000);
        let mut qde = b"\xef\xbb\xbf".to_vec();
        qde.extend_from_slice(super::super::export_qde(&project).as_bytes());
        let mut zip = crate::archive::Archive::new();
        zip.add("project.qde", &qde).unwrap();
        for source in &project.sources {
            zip.add(
                &format!("sources/{}.txt", source.id),
                source.text.as_bytes(),
            )
            .unwrap();
        }
        let got = read("demo.qdpx", &zip.finish().unwrap()).unwrap();
        assert_eq!(got.project.sources.len(), project.sources.len());
        assert_eq!(got.project.codes.len(), project.codes.len());
        assert_eq!(got.project.coding_count(), project.coding_count());
    }

    #[test]
    fn refusals() {
        assert_eq!(read("notes.txt", b"x").unwrap_err(), RefiError::NotRefiFile);
        assert_eq!(read("empty.qdpx", b"").unwrap_err(), RefiError::Empty);
        let err = read(
            "odd.qdc",
            b"<?xml version=\"1.0\" encoding=\"x-no-such\"?><CodeBook/>",
        )
        .unwrap_err();
        assert!(err.to_string().contains("x-no-such"), "{err}");
        assert_eq!(stem("dir/My book.qdc"), "My book");
        assert_eq!(
            RefiFileKind::of("A.QDE"),
            Some(RefiFileKind::ProjectDocument)
        );
    }
}
