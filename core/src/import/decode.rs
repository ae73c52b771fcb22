//! Bytes to text: detects the encoding of a plain-text file (UTF-8 with or without BOM, UTF-16 LE
//! or BE with BOM) and refuses files that are clearly not text (binary magic numbers, NUL bytes,
//! many control characters). Line endings are left as they are; [`super::import_file`] normalises
//! them for every format.
//!
//! Hand-written, not `encoding_rs`: plain text was read in the page when this was written, and
//! these ~100 lines (UTF-16 and the 32 Windows-1252 characters that differ from Latin-1) cost the
//! main wasm far less than `encoding_rs`'s tables. Every import is now read in the worker (the
//! app's main wasm holds none of this); the declared encodings of RTF and HTML are read there with
//! `encoding_rs`.

use super::{ExtractedText, ImportError};

/// Magic numbers of common non-text files, with the words used in the error.
const MAGIC: &[(&[u8], &str)] = &[
    (
        b"PK\x03\x04",
        "a ZIP archive (such as .zip, .docx, .odt or .xlsx)",
    ),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "a program (ELF executable)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Office document (.doc, .xls or .ppt)",
    ),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x00asm", "a WebAssembly module"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio file"),
    (b"fLaC", "a FLAC audio file"),
];

/// Share of control characters (other than tab, LF, CR and form feed) above which a file is
/// treated as binary: more than one in ten.
const CONTROL_SHARE_DENOMINATOR: usize = 10;

/// Decodes the bytes of a plain-text file. See the module docs for what is accepted.
pub fn decode_text(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    if bytes.starts_with(b"\xff\xfe\x00\x00") || bytes.starts_with(b"\x00\x00\xfe\xff") {
        return Err(ImportError::UnsupportedEncoding("UTF-32"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return decode_utf16(rest, u16::from_le_bytes, "UTF-16 LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return decode_utf16(rest, u16::from_be_bytes, "UTF-16 BE");
    }
    if let Some(kind) = MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
    {
        return Err(ImportError::Binary(format!("it is {kind}")));
    }
    let (body, encoding) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (rest, "UTF-8 with BOM"),
        None => (bytes, "UTF-8"),
    };
    if body.contains(&0) {
        return Err(ImportError::Binary("it contains NUL bytes".into()));
    }
    let controls = body
        .iter()
        .filter(|b| is_binary_control(char::from(**b)))
        .count();
    if too_many_controls(controls, body.len()) {
        return Err(ImportError::Binary(
            "many of its bytes are control characters".into(),
        ));
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(ExtractedText {
            text: text.to_string(),
            encoding,
            notices: Vec::new(),
            turns: Vec::new(),
        }),
        // Files without a BOM that are not UTF-8 are read as Windows-1252 (every byte is a
        // character), with a notice. Files that claim UTF-8 with a BOM stay an error.
        Err(_) if encoding == "UTF-8" => Ok(ExtractedText {
            text: decode_windows_1252(body),
            encoding: "Windows-1252",
            notices: vec![WINDOWS_1252_NOTICE.to_string()],
            turns: Vec::new(),
        }),
        Err(e) => Err(ImportError::InvalidUtf8 {
            offset: e.valid_up_to() + 3,
        }),
    }
}

/// The notice given when a file is read as Windows-1252.
pub const WINDOWS_1252_NOTICE: &str = "This file is not UTF-8, so it was read as Windows-1252 \
     (Western European); check that accented letters and quotation marks look right.";

/// The characters of bytes 0x80 to 0x9F in Windows-1252 (the five undefined bytes map to the C1
/// control characters of the same value, as browsers do).
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
];

/// Decodes Windows-1252 bytes (never fails: every byte is a character).
pub fn decode_windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => WINDOWS_1252_HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
            _ => char::from(b),
        })
        .collect()
}

/// Decodes UTF-16 code units (after the BOM). Unpaired surrogates and a dangling odd byte are
/// replaced by U+FFFD and reported in a notice rather than refusing the whole file.
fn decode_utf16(
    bytes: &[u8],
    unit: fn([u8; 2]) -> u16,
    encoding: &'static str,
) -> Result<ExtractedText, ImportError> {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut replaced = 0usize;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                replaced += 1;
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    let mut notices = Vec::new();
    if bytes.len() % 2 == 1 {
        notices.push(format!(
            "The file ends in the middle of a {encoding} character; the last byte was dropped."
        ));
    }
    if replaced > 0 {
        notices.push(format!(
            "{replaced} character{} could not be decoded and {} shown as \u{fffd}.",
            if replaced == 1 { "" } else { "s" },
            if replaced == 1 { "is" } else { "are" },
        ));
    }
    if text.contains('\0') {
        return Err(ImportError::Binary("it contains NUL characters".into()));
    }
    let controls = text.chars().filter(|c| is_binary_control(*c)).count();
    if too_many_controls(controls, text.chars().count()) {
        return Err(ImportError::Binary(
            "many of its characters are control characters".into(),
        ));
    }
    Ok(ExtractedText {
        text,
        encoding,
        notices,
        turns: Vec::new(),
    })
}

/// Control characters that do not occur in ordinary text files.
fn is_binary_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')
}

fn too_many_controls(controls: usize, total: usize) -> bool {
    controls > 0 && controls.saturating_mul(CONTROL_SHARE_DENOMINATOR) > total
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn utf16_le_and_be_decode() {
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Ré 😀".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("Ré 😀".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(&le).unwrap().text, "Ré 😀");
        assert_eq!(decode_text(&le).unwrap().encoding, "UTF-16 LE");
        assert_eq!(decode_text(&be).unwrap().text, "Ré 😀");
        assert_eq!(decode_text(&be).unwrap().encoding, "UTF-16 BE");
    }

    #[test]
    fn unpaired_surrogate_is_replaced_with_notice() {
        let bytes = [0xff, 0xfe, b'a', 0, 0x00, 0xd8, b'b', 0];
        let decoded = decode_text(&bytes).unwrap();
        assert_eq!(decoded.text, "a\u{fffd}b");
        assert_eq!(decoded.notices.len(), 1);
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252_unless_it_has_a_bom() {
        let read = decode_text(b"caf\xe9 \x93quoted\x94 \x80 \x81").unwrap();
        assert_eq!(
            read.text,
            "caf\u{e9} \u{201c}quoted\u{201d} \u{20ac} \u{81}"
        );
        assert_eq!(read.encoding, "Windows-1252");
        assert_eq!(read.notices, [WINDOWS_1252_NOTICE]);
        assert!(read.notices[0].contains("read as Windows-1252"));
        let err = decode_text(b"\xef\xbb\xbfabc\xe9def").unwrap_err();
        assert_eq!(err, ImportError::InvalidUtf8 { offset: 6 });
    }

    #[test]
    fn controls_are_binary_but_tabs_and_form_feeds_are_not() {
        assert!(decode_text(b"a\tb\x0cc\r\nd").is_ok());
        assert!(matches!(
            decode_text(b"\x01\x02\x03abc"),
            Err(ImportError::Binary(_))
        ));
        // One stray control character in a long text is tolerated.
        let mut text = "word ".repeat(10).into_bytes();
        text.push(0x1b);
        assert!(decode_text(&text).is_ok());
    }
}
