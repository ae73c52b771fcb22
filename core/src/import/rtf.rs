//! Rich Text Format (`.rtf`): the text of the document body, one line per paragraph (`\par`),
//! `\line` as a line break, `\tab` as a tab, table cells tab-separated (`\cell`) with one line
//! per row (`\row`). Characters come from `\uN` (Unicode, skipping the `\ucN` fallback
//! characters that follow), `\'hh` (a byte in the document's code page; Windows-1252 is read, see
//! below) and plain text; `\~`, `\emdash`, `\ldblquote` etc. become their characters.
//!
//! Left out: font, colour and style tables, document information, pictures, embedded objects,
//! headers and footers, field instructions (a field's shown result is kept), hidden text and
//! every `{\* ...}` destination. Footnotes are moved to the end, after the body, each with its
//! marker (`[1]`), which also stays at the reference, like .docx and .odt.
//!
//! `\'hh` bytes are decoded with `encoding_rs` in the document's `\ansicpgN` code page (1252 when
//! none is given): the Windows code pages 874 and 1250-1258, the East Asian double-byte ones (932
//! Shift_JIS, 936 GBK, 949, 950 Big5, 54936 GB18030), the ISO-8859 and Mac ones with a WHATWG
//! name, KOI8 and UTF-8. Under a code page `encoding_rs` does not know (e.g. 437) they are read
//! as Windows-1252, with a notice. Consecutive `\'hh` bytes are decoded together, so a
//! double-byte character written as two escapes stays one character.
//!
//! Hand-written because no well-kept RTF crate extracts text with tables, footnotes, fields and
//! `\ucN` fallbacks (the maintained ones are writers or lexers only).
//!
//! The parser is a single pass over the bytes with no recursion; groups nest at most
//! [`MAX_DEPTH`] deep, `\bin` data is skipped, and nothing makes the output much larger than the
//! input.

use super::{ExtractedText, Format, ImportError};
use encoding_rs::Encoding;

/// The Rich Text Format.
pub const FORMAT: Format = Format {
    label: "Rich Text Format",
    extensions: &[".rtf"],
    import,
};

/// The deepest group nesting accepted (word processors stay far below it).
pub const MAX_DEPTH: usize = 1000;

/// The longest control word (the RTF specification allows 32 letters).
const MAX_WORD: usize = 32;

/// The most digits of a control word's parameter (the specification's parameters are 16-bit or
/// 32-bit integers; longer ones are cut, not overflowed).
const MAX_DIGITS: usize = 10;

/// Destinations whose text is not part of the document body.
const SKIPPED_DESTINATIONS: &[&[u8]] = &[
    b"fonttbl",
    b"colortbl",
    b"stylesheet",
    b"listtable",
    b"listoverridetable",
    b"revtbl",
    b"rsidtbl",
    b"info",
    b"pict",
    b"object",
    b"objdata",
    b"header",
    b"headerl",
    b"headerr",
    b"headerf",
    b"footer",
    b"footerl",
    b"footerr",
    b"footerf",
    b"fldinst",
    b"nonshppict",
    b"shppict",
    b"themedata",
    b"colorschememapping",
    b"datastore",
    b"latentstyles",
    b"xmlnstbl",
    b"generator",
    b"filetbl",
    b"pgdsctbl",
    b"template",
    b"xe",
    b"tc",
    b"txe",
    b"ftnsep",
    b"ftnsepc",
    b"aftnsep",
    b"aftnsepc",
    b"annotation",
    b"atnid",
    b"atnauthor",
];

/// The state a group inherits from its parent and restores when it ends.
#[derive(Clone, Copy)]
struct GroupState {
    /// Inside a skipped destination.
    skip: bool,
    /// Inside hidden text (`\v`).
    hidden: bool,
    /// Inside a footnote (`\footnote`): text goes to the note.
    note: bool,
    /// Fallback characters to skip after `\uN` (`\ucN`).
    uc: u32,
    /// In a table cell (`\intbl` until `\pard`): paragraph and line breaks are spaces.
    in_table: bool,
}

/// Where text goes.
struct Output {
    body: String,
    notes: Vec<String>,
    /// Footnotes referenced so far (`\chftn` in the body).
    note_count: usize,
}

impl Output {
    fn target(&mut self, state: &GroupState) -> Option<&mut String> {
        if state.skip || state.hidden {
            None
        } else if state.note {
            self.notes.last_mut()
        } else {
            Some(&mut self.body)
        }
    }

    fn push(&mut self, state: &GroupState, text: &str) {
        if let Some(out) = self.target(state) {
            out.push_str(text);
        }
    }

    fn push_char(&mut self, state: &GroupState, c: char) {
        if let Some(out) = self.target(state) {
            out.push(c);
        }
    }

    /// A break inside a table cell: one space, unless the cell is empty so far.
    fn space(&mut self, state: &GroupState) {
        if let Some(out) = self.target(state) {
            if !(out.is_empty() || out.ends_with(['\t', '\n', ' '])) {
                out.push(' ');
            }
        }
    }

    /// Ends a table row: the cells' trailing tab is dropped, then a line break.
    fn row(&mut self, state: &GroupState) {
        if let Some(out) = self.target(state) {
            if out.ends_with('\t') {
                out.pop();
            }
            out.push('\n');
        }
    }
}

fn malformed(reason: &str) -> ImportError {
    ImportError::Malformed(reason.to_string())
}

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let body = body.get(start..).unwrap_or_default();
    if !body.starts_with(b"{\\rtf") {
        return Err(malformed(
            "it is not an RTF document: it does not start with {\\rtf",
        ));
    }
    let mut parser = Parser::new(body);
    parser.run()?;
    let Parser {
        out,
        code_page,
        non_western_bytes,
        ..
    } = parser;
    let mut text = out.body;
    // Word processors end the document with an empty paragraph or two.
    let trimmed = text.trim_end_matches(['\n', ' ', '\t']).len();
    text.truncate(trimmed);
    let notes: Vec<String> = out.notes;
    if notes.iter().any(|n| !n.trim().is_empty()) {
        text.push_str("\n\n");
        let notes: Vec<&str> = notes.iter().map(|n| n.trim()).collect();
        text.push_str(&notes.join("\n"));
    }
    let mut notices = Vec::new();
    if non_western_bytes {
        notices.push(format!(
            "This RTF file uses code page {code_page}, which Framewise cannot read; its \
             characters written as code-page bytes were read as Windows-1252 (Western European), \
             so check that accented letters look right."
        ));
    }
    Ok(ExtractedText {
        text,
        encoding: code_page_encoding(code_page).map_or("Windows-1252", |e| {
            if e == encoding_rs::WINDOWS_1252 {
                "Windows-1252"
            } else {
                e.name()
            }
        }),
        notices,
        turns: Vec::new(),
    })
}

/// The encoding of a Windows code page number (`\ansicpgN`), if `encoding_rs` has it.
fn code_page_encoding(code_page: i64) -> Option<&'static Encoding> {
    let label = match code_page {
        874 => "windows-874",
        1250..=1258 => return Encoding::for_label(format!("windows-{code_page}").as_bytes()),
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        54936 => "gb18030",
        866 => "ibm866",
        10000 => "macintosh",
        10007 => "x-mac-cyrillic",
        20866 => "koi8-r",
        21866 => "koi8-u",
        20932 => "euc-jp",
        28591 => "iso-8859-1",
        28592..=28599 => {
            return Encoding::for_label(format!("iso-8859-{}", code_page - 28590).as_bytes())
        }
        28603 => "iso-8859-13",
        28605 => "iso-8859-15",
        65001 => "utf-8",
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// A single pass over the RTF bytes.
struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    stack: Vec<GroupState>,
    state: GroupState,
    out: Output,
    /// `\ansicpg`, 1252 unless the document says otherwise.
    code_page: i64,
    /// Bytes above 0x7F were read under a code page other than 1252.
    non_western_bytes: bool,
    /// Fallback characters still to skip after a `\uN`.
    pending_skip: u32,
    /// A high surrogate from `\uN` waiting for its low half.
    high_surrogate: Option<u32>,
    /// The next control word starts a destination (`{\*\...`): skip the group unless known.
    ignorable: bool,
    /// Code-page bytes waiting to be decoded (consecutive `\'hh`).
    bytes_pending: Vec<u8>,
}

impl<'a> Parser<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            stack: Vec::new(),
            state: GroupState {
                skip: false,
                hidden: false,
                note: false,
                uc: 1,
                in_table: false,
            },
            out: Output {
                body: String::new(),
                notes: Vec::new(),
                note_count: 0,
            },
            code_page: 1252,
            non_western_bytes: false,
            pending_skip: 0,
            high_surrogate: None,
            ignorable: false,
            bytes_pending: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn run(&mut self) -> Result<(), ImportError> {
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'{' => {
                    self.flush_bytes();
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(ImportError::OverLimit(format!(
                            "its groups nest more than {MAX_DEPTH} deep"
                        )));
                    }
                    self.stack.push(self.state);
                    self.pending_skip = 0;
                    self.ignorable = false;
                }
                b'}' => {
                    self.flush_bytes();
                    match self.stack.pop() {
                        Some(state) => self.state = state,
                        // The closing brace of the document: anything after it is ignored.
                        None => break,
                    }
                    self.pending_skip = 0;
                    self.ignorable = false;
                    if self.stack.is_empty() {
                        break;
                    }
                }
                b'\\' => self.control()?,
                b'\r' | b'\n' => {}
                _ => {
                    if self.consume_fallback() {
                        continue;
                    }
                    if b >= 0x80 {
                        self.bytes_pending.push(b);
                    } else {
                        self.flush_bytes();
                        if b == b'\t' || b >= 0x20 {
                            self.out.push_char(&self.state, char::from(b));
                        }
                    }
                }
            }
        }
        self.flush_bytes();
        Ok(())
    }

    /// Skips one fallback character of a `\uN` if any are pending.
    fn consume_fallback(&mut self) -> bool {
        if self.pending_skip > 0 {
            self.pending_skip -= 1;
            true
        } else {
            false
        }
    }

    /// Decodes the pending code-page bytes.
    fn flush_bytes(&mut self) {
        if self.bytes_pending.is_empty() {
            return;
        }
        let shown = !self.state.skip && !self.state.hidden;
        let encoding = code_page_encoding(self.code_page);
        if shown && encoding.is_none() && self.bytes_pending.iter().any(|b| *b >= 0x80) {
            self.non_western_bytes = true;
        }
        let (text, _) = encoding
            .unwrap_or(encoding_rs::WINDOWS_1252)
            .decode_without_bom_handling(&self.bytes_pending);
        let text = text.into_owned();
        self.bytes_pending.clear();
        self.high_surrogate = None;
        self.out.push(&self.state, &text);
    }

    /// After a backslash.
    fn control(&mut self) -> Result<(), ImportError> {
        let Some(b) = self.peek() else {
            return Ok(());
        };
        if b.is_ascii_alphabetic() {
            return self.control_word();
        }
        self.pos += 1;
        match b {
            b'\'' => {
                let hex = self.bytes.get(self.pos..self.pos + 2);
                let value = hex
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(value) = value {
                    self.pos += 2;
                    if !self.consume_fallback() {
                        self.bytes_pending.push(value);
                    }
                }
            }
            b'*' => self.ignorable = true,
            b'\r' | b'\n' => {
                self.flush_bytes();
                self.out.push(&self.state, "\n");
            }
            _ => {
                if self.consume_fallback() {
                    return Ok(());
                }
                self.flush_bytes();
                match b {
                    b'\\' | b'{' | b'}' => self.out.push_char(&self.state, char::from(b)),
                    b'~' => self.out.push_char(&self.state, '\u{a0}'),
                    b'_' => self.out.push_char(&self.state, '\u{2011}'),
                    // Optional hyphen, index subentry and anything unknown: nothing.
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// A control word (`\par`, `\u8220`, `\ansicpg1252`...), the backslash already read.
    fn control_word(&mut self) -> Result<(), ImportError> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) && self.pos - start < MAX_WORD {
            self.pos += 1;
        }
        // A word longer than the limit: its remaining letters are skipped.
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        let word = self
            .bytes
            .get(start..(start + MAX_WORD).min(self.pos))
            .unwrap_or_default();
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let mut param: Option<i64> = None;
        let mut digits = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            self.pos += 1;
            if digits < MAX_DIGITS {
                param = Some(param.unwrap_or(0) * 10 + i64::from(d - b'0'));
                digits += 1;
            }
        }
        let param = param.map(|p| if negative { -p } else { p });
        if self.peek() == Some(b' ') {
            self.pos += 1;
        }
        if word == b"bin" {
            // Binary data: skip the given number of bytes.
            let len = usize::try_from(param.unwrap_or(0)).unwrap_or(0);
            self.pos = self.pos.saturating_add(len).min(self.bytes.len());
            return Ok(());
        }
        if word != b"u" {
            self.flush_bytes();
        }
        if self.ignorable {
            self.ignorable = false;
            // `{\*\...}`: a destination this reader does not know, skipped as the specification
            // asks.
            self.state.skip = true;
            return Ok(());
        }
        if SKIPPED_DESTINATIONS.contains(&word) {
            self.state.skip = true;
            return Ok(());
        }
        if word == b"u" {
            self.unicode(param.unwrap_or(0));
            return Ok(());
        }
        if self.consume_fallback() {
            return Ok(());
        }
        self.word(word, param);
        Ok(())
    }

    /// `\uN`: a UTF-16 code unit as a signed 16-bit number.
    fn unicode(&mut self, param: i64) {
        self.flush_bytes();
        let unit = u32::try_from(param.rem_euclid(65536)).unwrap_or(0xfffd);
        self.pending_skip = self.state.uc;
        match unit {
            0xd800..=0xdbff => {
                self.high_surrogate = Some(unit);
                return;
            }
            0xdc00..=0xdfff => {
                let c = self
                    .high_surrogate
                    .take()
                    .and_then(|high| {
                        char::from_u32(0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00))
                    })
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                self.out.push_char(&self.state, c);
                return;
            }
            _ => {}
        }
        if self.high_surrogate.take().is_some() {
            self.out.push_char(&self.state, char::REPLACEMENT_CHARACTER);
        }
        let c = match unit {
            0 => return,
            _ => char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        self.out.push_char(&self.state, c);
    }

    /// Any other control word.
    fn word(&mut self, word: &[u8], param: Option<i64>) {
        let state = self.state;
        let text = match word {
            b"par" | b"line" if state.in_table => {
                self.out.space(&state);
                return;
            }
            b"par" | b"line" | b"sect" | b"page" => "\n",
            b"intbl" => {
                self.state.in_table = true;
                return;
            }
            b"pard" => {
                self.state.in_table = false;
                return;
            }
            b"tab" | b"cell" | b"nestcell" => "\t",
            b"row" | b"nestrow" => {
                self.out.row(&state);
                return;
            }
            b"emdash" => "\u{2014}",
            b"endash" => "\u{2013}",
            b"emspace" => "\u{2003}",
            b"enspace" => "\u{2002}",
            b"qmspace" => "\u{2005}",
            b"bullet" => "\u{2022}",
            b"lquote" => "\u{2018}",
            b"rquote" => "\u{2019}",
            b"ldblquote" => "\u{201c}",
            b"rdblquote" => "\u{201d}",
            b"zwj" => "\u{200d}",
            b"zwnj" => "\u{200c}",
            b"ltrmark" => "\u{200e}",
            b"rtlmark" => "\u{200f}",
            b"uc" => {
                self.state.uc = u32::try_from(param.unwrap_or(1).clamp(0, 16)).unwrap_or(1);
                return;
            }
            b"ansicpg" => {
                self.code_page = param.unwrap_or(1252);
                return;
            }
            b"v" => {
                self.state.hidden = param != Some(0);
                return;
            }
            b"footnote" => {
                self.state.note = true;
                self.out.notes.push(String::new());
                return;
            }
            b"chftn" => {
                let number = if state.note {
                    self.out.notes.len()
                } else {
                    self.out.note_count += 1;
                    self.out.note_count
                };
                let marker = format!("[{number}]");
                self.out.push(&state, &marker);
                return;
            }
            _ => return,
        };
        self.out.push(&state, text);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn text(rtf: &str) -> String {
        import(rtf.as_bytes()).unwrap().text
    }

    #[test]
    fn paragraphs_tabs_and_escapes() {
        assert_eq!(
            text(
                r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\colortbl;\red0;}First\par Second\line third\tab x \{\}\\\~y}"
            ),
            "First\nSecond\nthird\tx {}\\\u{a0}y"
        );
    }

    #[test]
    fn unicode_with_fallback_and_code_page_bytes() {
        assert_eq!(
            text(r"{\rtf1\ansi\ansicpg1252 \u913\'3f\u965?\uc2\u8220\'93\'94x caf\'e9 \'93q\'94}"),
            "\u{391}\u{3c5}\u{201c}x caf\u{e9} \u{201c}q\u{201d}"
        );
        // A surrogate pair, negative numbers as written by Word.
        assert_eq!(text(r"{\rtf1 \u-10179?\u-8704?}"), "\u{1f600}");
    }

    #[test]
    fn destinations_hidden_text_and_fields() {
        let rtf = r"{\rtf1{\info{\title Secret}}{\*\generator Me;}{\header Head}{\pict 0a0b}{\*\unknown X}Visible {\v hidden}{\field{\*\fldinst HYPERLINK x}{\fldrslt link}} end}";
        assert_eq!(text(rtf), "Visible link end");
    }

    #[test]
    fn tables_and_footnotes() {
        let rtf = r"{\rtf1\trowd\pard\intbl a\cell b\par b2\cell\row\trowd c\cell d\cell\row\pard After{\super\chftn}{\footnote\pard{\super\chftn} The note.}\par}";
        assert_eq!(text(rtf), "a\tb b2\nc\td\nAfter[1]\n\n[1] The note.");
    }

    #[test]
    fn binary_data_is_skipped() {
        let mut rtf = br"{\rtf1 a{\*\blip\bin4 ".to_vec();
        rtf.extend_from_slice(b"}}{\\");
        rtf.extend_from_slice(br"} b}");
        assert_eq!(import(&rtf).unwrap().text, "a b");
    }

    #[test]
    fn code_pages_are_decoded_with_encoding_rs() {
        // Cyrillic (1251): "привет" as code-page bytes.
        let read = import(br"{\rtf1\ansi\ansicpg1251 \'ef\'f0\'e8\'e2\'e5\'f2}").unwrap();
        assert_eq!(read.text, "привет");
        assert_eq!(read.encoding, "windows-1251");
        assert!(read.notices.is_empty(), "{:?}", read.notices);
        // Greek (1253) and Central European (1250).
        assert_eq!(import(br"{\rtf1\ansicpg1253 \'e1\'e2}").unwrap().text, "αβ");
        assert_eq!(import(br"{\rtf1\ansicpg1250 \'b9\'e6}").unwrap().text, "ąć");
        // Shift_JIS (932): a double-byte character written as two escapes is one character.
        assert_eq!(
            import(br"{\rtf1\ansicpg932 \'93\'fa\'96\'7b}")
                .unwrap()
                .text,
            "日本"
        );
        // Western (1252) as before.
        let read = import(br"{\rtf1\ansi\ansicpg1252 caf\'e9}").unwrap();
        assert_eq!(
            (read.text.as_str(), read.encoding),
            ("café", "Windows-1252")
        );
    }

    #[test]
    fn unknown_code_pages_get_a_notice() {
        let read = import(br"{\rtf1\ansi\ansicpg437 \'82}").unwrap();
        assert_eq!(read.notices.len(), 1);
        assert!(read.notices[0].contains("code page 437"));
    }

    #[test]
    fn errors_not_panics() {
        assert!(matches!(import(b"hello"), Err(ImportError::Malformed(_))));
        let deep = format!("{{\\rtf1 {}", "{".repeat(MAX_DEPTH + 5));
        assert!(matches!(
            import(deep.as_bytes()),
            Err(ImportError::OverLimit(_))
        ));
        // Truncated input of every kind.
        for rtf in [
            r"{\rtf1 \",
            r"{\rtf1 \'",
            r"{\rtf1 \'4",
            r"{\rtf1 \u",
            r"{\rtf1 \u-",
            r"{\rtf1 \bin99999999999999999999",
            r"{\rtf1 \uc99999999999 \u65",
            r"{\rtf1 }}}}",
        ] {
            let _ = import(rtf.as_bytes());
        }
    }
}
