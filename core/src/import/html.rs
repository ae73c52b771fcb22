//! HTML (`.html`, `.htm`): the text a browser would show, as plain text. Nothing is executed or
//! loaded: tags are read only to find where lines break, and attributes are ignored (no images,
//! styles, scripts, frames or links are fetched).
//!
//! - Left out: `<head>` (title, metadata, styles), `<script>`, `<style>`, `<template>`,
//!   `<iframe>`, `<object>`, `<svg>`, comments, `<!DOCTYPE>` and processing instructions.
//! - Block elements (`p`, `div`, `h1`-`h6`, `li`, `tr`, `blockquote`, `section`...) start and end
//!   lines, so each paragraph is one line; `<br>` is a line break (one at the very end of a
//!   block adds no empty line, as in a browser); table cells (`td`, `th`) of a row are separated
//!   by tabs.
//! - White space is collapsed as a browser does (runs of spaces and line breaks are one space),
//!   except inside `<pre>`, `<textarea>` and `<listing>`, where it is kept.
//! - Entities: every numeric reference (`&#8220;`, `&#x1F600;`) and the common named ones
//!   (`&amp;`, `&nbsp;`, all of Latin-1, Greek letters, typographic quotes and dashes); an
//!   unknown one is kept as written.
//! - Encoding: a byte-order mark wins; otherwise a `<meta charset>` (or `http-equiv` content type)
//!   in the first 1024 bytes naming Windows-1252, ISO-8859-1 or ASCII is honoured; anything else
//!   goes through [`decode_text`] (UTF-8, falling back to Windows-1252 with a notice).
//!
//! The reader is a single pass with no recursion or element stack, so deeply nested or broken
//! markup costs nothing extra.

use super::decode::{decode_text, decode_windows_1252};
use super::{ExtractedText, Format, ImportError};

/// The HTML format.
pub const FORMAT: Format = Format {
    label: "HTML web page",
    extensions: &[".html", ".htm"],
    import,
};

/// How far into the file a `<meta charset>` is looked for (as browsers do).
const CHARSET_PREFIX: usize = 1024;

/// Elements whose content is never text (skipped up to their end tag).
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "template", "iframe", "object", "noembed", "noframes", "svg", "math",
    "title",
];

/// Elements that start and end a line.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "textarea",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements inside which white space is kept.
const PREFORMATTED: &[&str] = &["pre", "textarea", "listing", "plaintext", "xmp"];

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    let decoded = decode_html(bytes)?;
    Ok(ExtractedText {
        text: html_to_text(&decoded.text),
        encoding: decoded.encoding,
        notices: decoded.notices,
        turns: Vec::new(),
    })
}

/// Bytes to text: a BOM, then a simple `<meta charset>` naming a Western single-byte encoding,
/// then [`decode_text`].
fn decode_html(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    let has_bom = bytes.starts_with(b"\xef\xbb\xbf")
        || bytes.starts_with(b"\xff\xfe")
        || bytes.starts_with(b"\xfe\xff");
    if !has_bom {
        let declared = declared_charset(bytes.get(..CHARSET_PREFIX).unwrap_or(bytes));
        if declared.as_deref().is_some_and(|c| {
            matches!(
                c,
                "windows-1252"
                    | "cp1252"
                    | "iso-8859-1"
                    | "iso8859-1"
                    | "latin1"
                    | "latin-1"
                    | "l1"
                    | "us-ascii"
                    | "ascii"
            )
        }) && std::str::from_utf8(bytes).is_err()
        {
            if bytes.contains(&0) {
                return Err(ImportError::Binary("it contains NUL bytes".into()));
            }
            return Ok(ExtractedText {
                text: decode_windows_1252(bytes),
                encoding: "Windows-1252",
                notices: Vec::new(),
                turns: Vec::new(),
            });
        }
    }
    decode_text(bytes)
}

/// The value of the first `charset=` in `head` (lower-case), as in `<meta charset="utf-8">` or
/// `content="text/html; charset=windows-1252"`.
fn declared_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let needle = b"charset";
    let at = lower.windows(needle.len()).position(|w| w == needle)?;
    let rest = lower.get(at + needle.len()..)?;
    let rest = rest.strip_prefix(b"=").or_else(|| {
        let trimmed = rest.trim_ascii_start();
        trimmed.strip_prefix(b"=")
    })?;
    let rest = rest.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
        .unwrap_or(rest.len());
    let name = std::str::from_utf8(rest.get(..end)?).ok()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Where the text goes, with browser-like white space and line handling.
struct Writer {
    out: String,
    /// Bytes of `out` at which the current line starts.
    line_start: usize,
    /// A collapsed space is due before the next character.
    space: bool,
    /// `<br>`s not yet written (one at the end of a block adds no empty line).
    breaks: usize,
    /// Inside `<pre>` and the like (a count, since markup may be broken).
    pre: usize,
    /// Cells so far in the current table row.
    cells: usize,
    /// Inside a table cell: blocks and `<br>` are spaces (a cell is one field of a row).
    in_cell: bool,
}

impl Writer {
    fn line_is_empty(&self) -> bool {
        self.out.len() == self.line_start
    }

    fn newline(&mut self) {
        if self.pre == 0 {
            let trimmed = self.out.trim_end_matches(' ').len().max(self.line_start);
            self.out.truncate(trimmed);
        }
        self.out.push('\n');
        self.line_start = self.out.len();
        self.space = false;
    }

    fn flush_breaks(&mut self) {
        for _ in 0..std::mem::take(&mut self.breaks) {
            self.newline();
        }
    }

    /// A block boundary: the current line ends (pending `<br>`s first, the last one only ending
    /// the line it is on).
    fn block(&mut self) {
        let breaks = std::mem::take(&mut self.breaks);
        let empty_lines = if self.line_is_empty() {
            breaks.saturating_sub(1).max(usize::from(breaks > 0))
        } else {
            breaks.saturating_sub(1)
        };
        if !self.line_is_empty() {
            self.newline();
        }
        for _ in 0..empty_lines {
            self.newline();
        }
        self.space = false;
    }

    /// A block or line break inside a table cell: a space, unless the cell is still empty.
    fn cell_space(&mut self) {
        self.space = !self.line_is_empty() && !self.out.ends_with('\t');
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            self.char(c);
        }
    }

    fn char(&mut self, c: char) {
        if self.pre > 0 {
            self.flush_breaks();
            if c == '\n' {
                self.newline();
            } else if c != '\r' {
                self.out.push(c);
            }
            return;
        }
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !self.line_is_empty() || self.breaks > 0 {
                self.space = true;
            }
            return;
        }
        self.flush_breaks();
        if self.space && !self.line_is_empty() {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push(c);
    }

    fn finish(mut self) -> String {
        self.block();
        let end = self.out.trim_end().len();
        self.out.truncate(end);
        self.out
    }
}

/// A tag: its lower-case name, whether it is an end tag, and where it ends.
struct Tag {
    name: String,
    end_tag: bool,
    /// Byte offset just after the `>` (or the end of the input).
    next: usize,
}

/// Reads the tag starting at `html[at]` (which is `<`), if it is one.
fn read_tag(html: &str, at: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let mut i = at + 1;
    let end_tag = bytes.get(i) == Some(&b'/');
    if end_tag {
        i += 1;
    }
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_start = i;
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
    {
        i += 1;
    }
    let name = html.get(name_start..i)?.to_ascii_lowercase();
    // Attributes: skip to the `>` that is not inside quotes.
    let mut quote: Option<u8> = None;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => {
                return Some(Tag {
                    name,
                    end_tag,
                    next: i,
                })
            }
            None => {}
        }
    }
    Some(Tag {
        name,
        end_tag,
        next: bytes.len(),
    })
}

/// Finds `</name` (ASCII case-insensitive) at or after `from`; returns where it starts.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let needle_len = name.len() + 2;
    let mut i = from;
    while let Some(offset) = bytes.get(i..)?.iter().position(|b| *b == b'<') {
        let at = i + offset;
        let candidate = bytes.get(at..at + needle_len);
        if candidate.is_some_and(|c| {
            c.get(1) == Some(&b'/')
                && c.get(2..)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        }) {
            let after = bytes.get(at + needle_len).copied();
            if !after.is_some_and(|b| b.is_ascii_alphanumeric()) {
                return Some(at);
            }
        }
        i = at + 1;
    }
    None
}

/// The text of HTML markup. See the module docs for the rules.
pub fn html_to_text(html: &str) -> String {
    let mut w = Writer {
        out: String::with_capacity(html.len() / 2),
        line_start: 0,
        space: false,
        breaks: 0,
        pre: 0,
        cells: 0,
        in_cell: false,
    };
    let bytes = html.as_bytes();
    let mut in_head = false;
    let mut pos = 0;
    while pos < bytes.len() {
        let Some(offset) = bytes
            .get(pos..)
            .and_then(|rest| rest.iter().position(|b| matches!(b, b'<' | b'&')))
        else {
            if !in_head {
                w.text(html.get(pos..).unwrap_or_default());
            }
            break;
        };
        let at = pos + offset;
        if !in_head {
            w.text(html.get(pos..at).unwrap_or_default());
        }
        if bytes.get(at) == Some(&b'&') {
            let (text, next) = entity(html, at);
            if !in_head {
                w.text(&text);
            }
            pos = next;
            continue;
        }
        let rest = html.get(at..).unwrap_or_default();
        if rest.starts_with("<!--") {
            pos = rest
                .get(4..)
                .and_then(|r| r.find("-->"))
                .map_or(bytes.len(), |end| at + 4 + end + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            pos = rest.find('>').map_or(bytes.len(), |end| at + end + 1);
            continue;
        }
        let Some(tag) = read_tag(html, at) else {
            if !in_head {
                w.char('<');
            }
            pos = at + 1;
            continue;
        };
        pos = tag.next;
        let name = tag.name.as_str();
        if !tag.end_tag && SKIPPED_ELEMENTS.contains(&name) {
            pos = find_end_tag(html, pos, name)
                .and_then(|end| read_tag(html, end))
                .map_or(bytes.len(), |end| end.next);
            continue;
        }
        if name == "plaintext" && !tag.end_tag {
            // Everything after <plaintext> is text, as in a browser.
            w.block();
            w.pre = 1;
            w.text(html.get(pos..).unwrap_or_default());
            break;
        }
        match (name, tag.end_tag) {
            ("head", false) => {
                in_head = true;
                continue;
            }
            ("head", true) | ("body", false) => in_head = false,
            // Anything but head content ends an unclosed head, as in a browser.
            ("meta" | "link" | "base" | "basefont" | "bgsound" | "noscript" | "html", _) => {}
            (_, false) => in_head = false,
            _ => {}
        }
        if in_head {
            continue;
        }
        match name {
            "br" if w.in_cell => w.cell_space(),
            "br" => {
                if w.pre > 0 {
                    w.newline();
                } else {
                    w.breaks += 1;
                }
            }
            "td" | "th" if !tag.end_tag => {
                w.flush_breaks();
                if w.cells > 0 {
                    let trimmed = w.out.trim_end_matches(' ').len().max(w.line_start);
                    w.out.truncate(trimmed);
                    w.out.push('\t');
                }
                w.space = false;
                w.cells += 1;
                w.in_cell = true;
            }
            "td" | "th" => w.in_cell = false,
            _ if w.in_cell && BLOCK_ELEMENTS.contains(&name) && !matches!(name, "tr" | "table") => {
                w.cell_space()
            }
            _ if BLOCK_ELEMENTS.contains(&name) => {
                w.in_cell = false;
                w.block();
                if matches!(name, "tr" | "table") {
                    w.cells = 0;
                }
                if PREFORMATTED.contains(&name) {
                    w.pre = if tag.end_tag {
                        w.pre.saturating_sub(1)
                    } else {
                        w.pre.saturating_add(1)
                    };
                    // A newline right after <pre> is not content.
                    if !tag.end_tag && bytes.get(pos) == Some(&b'\n') {
                        pos += 1;
                    }
                }
            }
            _ => {}
        }
    }
    w.finish()
}

/// The text of the character reference starting at `html[at]` (`&`), and where it ends. An
/// unknown or malformed reference is a literal `&`.
fn entity(html: &str, at: usize) -> (String, usize) {
    let literal = ("&".to_string(), at + 1);
    let bytes = html.as_bytes();
    // Long enough for every name and number handled here.
    let window_end = (at + 40).min(bytes.len());
    let Some(window) = bytes.get(at + 1..window_end) else {
        return literal;
    };
    if let Some(number) = window.strip_prefix(b"#") {
        let (digits, radix, skip) = match number.first() {
            Some(b'x' | b'X') => (number.get(1..).unwrap_or_default(), 16, 2),
            _ => (number, 10, 1),
        };
        let len = digits
            .iter()
            .take_while(|b| b.is_ascii_digit() || (radix == 16 && b.is_ascii_hexdigit()))
            .count();
        if len == 0 {
            return literal;
        }
        let value = std::str::from_utf8(digits.get(..len).unwrap_or_default())
            .ok()
            .and_then(|d| u32::from_str_radix(d, radix).ok());
        let c = match value {
            Some(0x80..=0x9f) => value
                .and_then(|v| u8::try_from(v).ok())
                .and_then(|v| decode_windows_1252(&[v]).chars().next())
                .unwrap_or(char::REPLACEMENT_CHARACTER),
            Some(0) | None => char::REPLACEMENT_CHARACTER,
            Some(v) => char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        let mut next = at + 1 + skip + len;
        if bytes.get(next) == Some(&b';') {
            next += 1;
        }
        return (c.to_string(), next);
    }
    let len = window
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let Some(name) = window.get(..len).and_then(|n| std::str::from_utf8(n).ok()) else {
        return literal;
    };
    let has_semicolon = window.get(len) == Some(&b';');
    // Without the semicolon only the oldest names are recognised, as browsers do.
    if !has_semicolon && !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp" | "copy" | "reg") {
        return literal;
    }
    match named_entity(name) {
        Some(c) => (c.to_string(), at + 1 + len + usize::from(has_semicolon)),
        None => literal,
    }
}

/// Latin-1 entity names, for U+00A0 to U+00FF in order.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Greek letter names, for U+0391 to U+03A9 (capitals; U+03A2 has none) and U+03B1 to U+03C9.
const GREEK: [&str; 25] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigmaf", "sigma", "tau", "upsilon", "phi",
    "chi", "psi", "omega",
];

/// Other named references: punctuation, symbols, a few letters.
const OTHER: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201a}'),
    ("ldquo", '\u{201c}'),
    ("rdquo", '\u{201d}'),
    ("bdquo", '\u{201e}'),
    ("lsaquo", '\u{2039}'),
    ("rsaquo", '\u{203a}'),
    ("hellip", '\u{2026}'),
    ("bull", '\u{2022}'),
    ("dagger", '\u{2020}'),
    ("Dagger", '\u{2021}'),
    ("permil", '\u{2030}'),
    ("prime", '\u{2032}'),
    ("Prime", '\u{2033}'),
    ("euro", '\u{20ac}'),
    ("trade", '\u{2122}'),
    ("larr", '\u{2190}'),
    ("rarr", '\u{2192}'),
    ("uarr", '\u{2191}'),
    ("darr", '\u{2193}'),
    ("harr", '\u{2194}'),
    ("minus", '\u{2212}'),
    ("le", '\u{2264}'),
    ("ge", '\u{2265}'),
    ("ne", '\u{2260}'),
    ("asymp", '\u{2248}'),
    ("infin", '\u{221e}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'),
    ("lrm", '\u{200e}'),
    ("rlm", '\u{200f}'),
    ("OElig", '\u{152}'),
    ("oelig", '\u{153}'),
    ("Scaron", '\u{160}'),
    ("scaron", '\u{161}'),
    ("Yuml", '\u{178}'),
    ("fnof", '\u{192}'),
    ("circ", '\u{2c6}'),
    ("tilde", '\u{2dc}'),
    ("check", '\u{2713}'),
];

fn named_entity(name: &str) -> Option<char> {
    if let Some((_, c)) = OTHER.iter().find(|(n, _)| *n == name) {
        return Some(*c);
    }
    if let Some(i) = LATIN1.iter().position(|n| *n == name) {
        return char::from_u32(0xa0 + u32::try_from(i).ok()?);
    }
    // Greek: lower case from the table; capitals are the same names capitalised.
    let mut chars = name.chars();
    let first = chars.next()?;
    let lower: String = first.to_ascii_lowercase().to_string() + chars.as_str();
    let i = u32::try_from(GREEK.iter().position(|n| *n == lower)?).ok()?;
    if first.is_ascii_uppercase() {
        // No capital final sigma; capitals skip U+03A2.
        match lower.as_str() {
            "sigmaf" => None,
            _ => char::from_u32(0x391 + i),
        }
    } else {
        char::from_u32(0x3b1 + i)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn blocks_breaks_and_white_space() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\n<h1>Title</h1>\
                    <p>One\n  two <b>bold</b>.</p><p><br/><br/></p><div>a<br>b<br></div><p><br></p>x</body></html>";
        assert_eq!(html_to_text(html), "Title\nOne two bold.\n\na\nb\n\nx");
    }

    #[test]
    fn scripts_comments_and_attributes_are_not_text() {
        let html = r#"<p title="a > b">Keep</p><script type="x">alert("<p>no</p>")</script ><!-- c <p>no</p> --><img src="http://example.com/x.png" alt="no"><noscript>shown</noscript><SCRIPT>no</SCRIPT>"#;
        assert_eq!(html_to_text(html), "Keep\nshown");
    }

    #[test]
    fn tables_pre_and_entities() {
        let html = "<table><tr><th>Name</th><th><p>Said</p><p>it</p></th></tr><tr><td>D</td><td>&ldquo;Hi&rdquo; &amp; &#8230; &#x1F600; &eacute;&Omega;&omega;&sigmaf; &bogus; &amp &#150;</td></tr></table><pre>\n  kept   as\n is</pre>";
        assert_eq!(
            html_to_text(html),
            "Name\tSaid it\nD\t\u{201c}Hi\u{201d} & \u{2026} \u{1f600} \u{e9}\u{3a9}\u{3c9}\u{3c2} &bogus; & \u{2013}\n  kept   as\n is"
        );
    }

    #[test]
    fn greek_capitals_skip_the_gap() {
        assert_eq!(named_entity("Alpha"), Some('\u{391}'));
        assert_eq!(named_entity("Rho"), Some('\u{3a1}'));
        assert_eq!(named_entity("Sigma"), Some('\u{3a3}'));
        assert_eq!(named_entity("Omega"), Some('\u{3a9}'));
        assert_eq!(named_entity("sigma"), Some('\u{3c3}'));
        assert_eq!(named_entity("Sigmaf"), None);
        assert_eq!(named_entity("yuml"), Some('\u{ff}'));
    }

    #[test]
    fn meta_charset_windows_1252() {
        let html = b"<meta charset=\"windows-1252\"><p>caf\xe9 \x93q\x94</p>";
        let read = import(html).unwrap();
        assert_eq!(read.text, "caf\u{e9} \u{201c}q\u{201d}");
        assert_eq!(read.encoding, "Windows-1252");
        assert!(read.notices.is_empty());
        assert_eq!(
            declared_charset(
                b"<meta http-equiv=content-type content='text/html; charset = ISO-8859-1'>"
            ),
            Some("iso-8859-1".into())
        );
        // UTF-8 content is read as UTF-8 whatever the declaration.
        assert_eq!(
            import("<meta charset=latin1>é".as_bytes()).unwrap().text,
            "é"
        );
    }

    #[test]
    fn broken_markup_is_text_or_nothing() {
        assert_eq!(html_to_text("a < b and c<3"), "a < b and c<3");
        assert_eq!(html_to_text("x<p title='unclosed"), "x");
        assert_eq!(html_to_text("x<!-- never closed"), "x");
        assert_eq!(html_to_text("x<script>never closed"), "x");
        assert_eq!(
            html_to_text("&#xFFFFFFFFFF; &#0; &#"),
            "\u{fffd} \u{fffd} &#"
        );
    }
}
