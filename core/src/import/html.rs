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
//! - Markup is read by `html5ever`'s HTML5 tokenizer (the WHATWG algorithm browsers use), so
//!   every named character reference of the standard decodes (with or without the `;` where
//!   browsers allow it), numeric ones follow the standard's Windows-1252 mapping for 128-159, an
//!   unknown one stays as written, and `<script>`, `<style>`, `<title>`, `<textarea>`, comments
//!   and broken markup end where a browser ends them.
//! - Encoding: a byte-order mark wins; then bytes that are valid UTF-8 are UTF-8 (pages re-saved
//!   as UTF-8 often keep an old declaration); otherwise a `<meta charset>` (or `http-equiv`
//!   content type) in the first 1024 bytes naming any encoding `encoding_rs` knows is honoured
//!   (ISO-8859-7, Shift_JIS, KOI8-R...); anything else goes through [`decode_text`] (UTF-8,
//!   falling back to Windows-1252 with a notice).
//!
//! Only the tokenizer is used, no tree: the text is written as tokens arrive, with no element
//! stack beyond a count for skipped elements, so deeply nested markup costs nothing extra.
//! The white-space and line rules below are ours (a tree builder plus a layout engine would be
//! needed to do what a browser does; these few rules give the same lines for documents).

use super::decode::decode_text;
use super::{ExtractedText, Format, ImportError};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

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

/// Bytes to text: a BOM, then UTF-8, then a `<meta charset>` naming an encoding `encoding_rs`
/// knows, then [`decode_text`].
fn decode_html(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    let has_bom = bytes.starts_with(b"\xef\xbb\xbf")
        || bytes.starts_with(b"\xff\xfe")
        || bytes.starts_with(b"\xfe\xff");
    if has_bom || std::str::from_utf8(bytes).is_ok() {
        return decode_text(bytes);
    }
    let declared = declared_charset(bytes.get(..CHARSET_PREFIX).unwrap_or(bytes))
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    // A page cannot declare UTF-16 in its own (ASCII-compatible) markup: the standard reads
    // that as UTF-8, which failed above.
    match declared {
        Some(encoding) if encoding.is_ascii_compatible() && encoding != encoding_rs::UTF_8 => {
            if bytes.contains(&0) {
                return Err(ImportError::Binary("it contains NUL bytes".into()));
            }
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            Ok(ExtractedText {
                text: text.into_owned(),
                encoding: if encoding == encoding_rs::WINDOWS_1252 {
                    "Windows-1252"
                } else {
                    encoding.name()
                },
                notices: Vec::new(),
                turns: Vec::new(),
            })
        }
        _ => decode_text(bytes),
    }
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

/// Where the tokens go: the [`Writer`] and what is being skipped.
struct Reader {
    w: Writer,
    /// Inside `<head>` (nothing there is text).
    in_head: bool,
    /// Inside a skipped element: its name and how many of it are open.
    skip: Option<(String, usize)>,
    /// Right after `<pre>`-like start tag: a newline first in the content is not content.
    after_pre: bool,
}

/// The tokenizer's sink (its interface takes `&self`).
struct Sink(RefCell<Reader>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        // The tokenizer never calls back into itself, so the borrow is always free.
        match self.0.try_borrow_mut() {
            Ok(mut reader) => reader.token(token),
            Err(_) => TokenSinkResult::Continue,
        }
    }
}

/// How the tokenizer must read the content of a start tag `name` (as the tree builder would
/// tell it), if not as markup.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "title" | "textarea" => Some(RawKind::Rcdata),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        "script" => Some(RawKind::ScriptData),
        _ => None,
    }
}

impl Reader {
    fn token(&mut self, token: Token) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => return self.tag(&tag),
            Token::CharacterTokens(text) => self.text(&text),
            // Comments, the doctype, NUL characters, parse errors and the end: no text.
            _ => self.after_pre = false,
        }
        TokenSinkResult::Continue
    }

    fn text(&mut self, text: &str) {
        let text = if std::mem::take(&mut self.after_pre) {
            text.strip_prefix('\n').unwrap_or(text)
        } else {
            text
        };
        if self.skip.is_none() && !self.in_head {
            self.w.text(text);
        }
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        use TokenSinkResult::Continue;
        self.after_pre = false;
        let name: &str = &tag.name;
        let end_tag = tag.kind == TagKind::EndTag;
        if let Some((skipped, open)) = &mut self.skip {
            if skipped == name {
                if end_tag {
                    *open -= 1;
                    if *open == 0 {
                        self.skip = None;
                    }
                } else if !tag.self_closing {
                    *open += 1;
                }
            }
            return Continue;
        }
        let raw = if end_tag { None } else { raw_kind(name) };
        if !end_tag && SKIPPED_ELEMENTS.contains(&name) {
            if raw.is_some() || !tag.self_closing {
                self.skip = Some((name.to_string(), 1));
            }
            return raw.map_or(Continue, TokenSinkResult::RawData);
        }
        let w = &mut self.w;
        if name == "plaintext" && !end_tag {
            // Everything after <plaintext> is text, as in a browser.
            self.in_head = false;
            w.block();
            w.pre = 1;
            return TokenSinkResult::Plaintext;
        }
        match (name, end_tag) {
            ("head", false) => {
                self.in_head = true;
                return Continue;
            }
            ("head", true) | ("body", false) => self.in_head = false,
            // Anything but head content ends an unclosed head, as in a browser.
            ("meta" | "link" | "base" | "basefont" | "bgsound" | "noscript" | "html", _) => {}
            (_, false) => self.in_head = false,
            _ => {}
        }
        if self.in_head {
            return Continue;
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
            "td" | "th" if !end_tag => {
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
                    w.pre = if end_tag {
                        w.pre.saturating_sub(1)
                    } else {
                        w.pre.saturating_add(1)
                    };
                    self.after_pre = !end_tag;
                }
            }
            _ => {}
        }
        raw.map_or(Continue, TokenSinkResult::RawData)
    }
}

/// The text of HTML markup. See the module docs for the rules.
pub fn html_to_text(html: &str) -> String {
    let reader = Reader {
        w: Writer {
            out: String::with_capacity(html.len() / 2),
            line_start: 0,
            space: false,
            breaks: 0,
            pre: 0,
            cells: 0,
            in_cell: false,
        },
        in_head: false,
        skip: None,
        after_pre: false,
    };
    let tokenizer = Tokenizer::new(Sink(RefCell::new(reader)), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // `Script` results only come from a sink that asks for them; this one never does.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let Tokenizer { sink, .. } = tokenizer;
    sink.0.into_inner().w.finish()
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
    fn every_named_reference_of_the_standard_decodes() {
        assert_eq!(
            html_to_text("&Alpha;&Rho;&Sigma;&Omega;&sigma;&yuml; &hellip;&NotEqualTilde;&fjlig;&bigstar;&check;&Sigmaf;"),
            "\u{391}\u{3a1}\u{3a3}\u{3a9}\u{3c3}\u{ff} \u{2026}\u{2242}\u{338}fj\u{2605}\u{2713}&Sigmaf;"
        );
        // Without the semicolon where browsers allow it; not inside a word of an attribute.
        assert_eq!(
            html_to_text("&copy 2024 &notit; &lt;p&gt;"),
            "\u{a9} 2024 \u{ac}it; <p>"
        );
    }

    #[test]
    fn raw_text_elements_end_where_a_browser_ends_them() {
        assert_eq!(
            html_to_text("<script>if (a</b) x = '<p>no</p>'</script>yes<style>p::after{content:'</p>'}</style>"),
            "yes"
        );
        assert_eq!(
            html_to_text("<textarea><p>as &amp; typed</p></textarea>"),
            "<p>as & typed</p>"
        );
        assert_eq!(
            html_to_text("<svg><g><svg></svg></g>no</svg>shown"),
            "shown"
        );
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
    fn meta_charset_of_any_encoding() {
        // Greek in ISO-8859-7: "Καλημέρα".
        let mut html = b"<html><head><meta charset=\"iso-8859-7\"></head><p>".to_vec();
        html.extend_from_slice(b"\xca\xe1\xeb\xe7\xec\xdd\xf1\xe1</p>");
        let read = import(&html).unwrap();
        assert_eq!(
            read.text,
            "\u{39a}\u{3b1}\u{3bb}\u{3b7}\u{3bc}\u{3ad}\u{3c1}\u{3b1}"
        );
        assert_eq!(read.encoding, "ISO-8859-7");
        assert!(read.notices.is_empty(), "{:?}", read.notices);
        // Shift_JIS, declared the old way: "日本語".
        let mut html =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><p>"
                .to_vec();
        html.extend_from_slice(b"\x93\xfa\x96\x7b\x8c\xea</p>");
        let read = import(&html).unwrap();
        assert_eq!(read.text, "\u{65e5}\u{672c}\u{8a9e}");
        assert_eq!(read.encoding, "Shift_JIS");
        // Cyrillic in KOI8-R: "мир".
        let read = import(b"<meta charset=koi8-r><p>\xcd\xc9\xd2</p>").unwrap();
        assert_eq!(read.text, "\u{43c}\u{438}\u{440}");
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
