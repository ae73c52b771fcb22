//! Offsets and line endings. The internal span unit is the UTF-8 byte offset into LF-normalised
//! text. The DOM reports UTF-16 code units and REFI-QDA counts code points: convert only at
//! those edges, with these functions.

use crate::span::Span;

/// Replaces CRLF and lone CR with LF.
pub fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Byte offset of the `units`-th UTF-16 code unit of `text`. `None` if past the end or inside a
/// surrogate pair.
pub fn utf16_to_byte(text: &str, units: usize) -> Option<usize> {
    let mut count = 0usize;
    for (byte, c) in text.char_indices() {
        if count == units {
            return Some(byte);
        }
        if count > units {
            return None;
        }
        count += c.len_utf16();
    }
    (count == units).then_some(text.len())
}

/// UTF-16 code units before byte `byte`. `None` if not a char boundary or out of range.
pub fn byte_to_utf16(text: &str, byte: usize) -> Option<usize> {
    text.get(..byte).map(|prefix| prefix.encode_utf16().count())
}

/// Byte offset of the `n`-th code point. `None` if past the end.
pub fn char_to_byte(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    match text.char_indices().nth(n) {
        Some((byte, _)) => Some(byte),
        None => (text.chars().count() == n).then_some(text.len()),
    }
}

/// Byte offset of UTF-16 position `units` as a browser reports a caret in a text field: inside
/// a surrogate pair it moves forward to the end of the character, past the end it is the end.
pub fn utf16_to_byte_lenient(text: &str, units: usize) -> usize {
    let mut seen = 0usize;
    for (byte, c) in text.char_indices() {
        if seen >= units {
            return byte;
        }
        seen += c.len_utf16();
    }
    text.len()
}

/// Converts many increasing UTF-16 offsets of one text (e.g. the matches of a browser regular
/// expression) to bytes with one forward walk, instead of rescanning the text for each.
#[derive(Clone, Debug)]
pub struct Utf16Cursor<'t> {
    text: &'t str,
    byte: usize,
    unit: usize,
}

impl<'t> Utf16Cursor<'t> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            byte: 0,
            unit: 0,
        }
    }

    /// Byte offset of UTF-16 offset `unit` (`None` inside a surrogate pair, past the end, or
    /// before the previous call's offset).
    pub fn byte_of(&mut self, unit: usize) -> Option<usize> {
        let ahead = unit.checked_sub(self.unit)?;
        let rest = self.text.get(self.byte..)?;
        let within = utf16_to_byte(rest, ahead)?;
        self.byte += within;
        self.unit = unit;
        Some(self.byte)
    }
}

/// The largest char boundary of `text` at or before byte `at` (the end when `at` is past it).
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest char boundary of `text` at or after byte `at` (the end when `at` is past it).
pub fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Up to `chars` characters of `text` ending at byte `end`, cut at a word boundary, with "…"
/// when cut: the context shown before a coded passage.
pub fn context_before(text: &str, end: usize, chars: usize) -> String {
    let end = floor_char_boundary(text, end);
    let head = &text[..end];
    let start = head
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    if start == 0 {
        return head.to_string();
    }
    let window = &head[start..];
    // Drop the first, probably partial, word.
    let cut = match window.find(char::is_whitespace) {
        Some(ws) if ws + 1 < window.len() => window[ws..].trim_start(),
        _ => window,
    };
    format!("…{cut}")
}

/// Up to `chars` characters of `text` from byte `start`, cut at a word boundary, with "…" when
/// cut: the context shown after a coded passage.
pub fn context_after(text: &str, start: usize, chars: usize) -> String {
    let start = ceil_char_boundary(text, start);
    let tail = &text[start..];
    let end = tail
        .char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(tail.len());
    if end == tail.len() {
        return tail.to_string();
    }
    let window = &tail[..end];
    let cut = match window.rfind(char::is_whitespace) {
        Some(ws) if ws > 0 => window[..ws].trim_end(),
        _ => window,
    };
    format!("{cut}…")
}

/// Code points before byte `byte`. `None` if not a char boundary or out of range.
pub fn byte_to_char(text: &str, byte: usize) -> Option<usize> {
    text.get(..byte).map(|prefix| prefix.chars().count())
}

/// The paragraphs of a text: the spans between LF characters (the LF itself belongs to neither).
/// Empty lines give empty paragraphs, so paragraph `i` is line `i`.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            out.push(Span::new(start, i));
            start = i + 1;
        }
    }
    out.push(Span::new(start, text.len()));
    out
}

/// Moves `span` outward/inward so both ends are char boundaries of `text` and it trims
/// surrounding whitespace. `None` if nothing but whitespace remains.
pub fn trim_span(text: &str, span: Span) -> Option<Span> {
    let start = floor_char_boundary(text, span.start);
    let end = ceil_char_boundary(text, span.end);
    let slice = text.get(start..end)?;
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let (s, e) = (start + lead, end - trail);
    (s < e).then_some(Span::new(s, e))
}

/// `text` with its character references (`&amp;`, `&#8220;`, `&#x201C;`) decoded: `decode`
/// gets the name between `&` and a `;` found within 12 bytes of the `&` and gives its character;
/// a reference it does not know (`None`) is kept as written.
pub(crate) fn decode_references(text: &str, decode: impl Fn(&str) -> Option<char>) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        rest = rest.get(amp..).unwrap_or("");
        let semi = rest.bytes().take(12).position(|b| b == b';');
        let decoded = semi.and_then(|semi| Some((decode(rest.get(1..semi)?)?, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = rest.get(semi + 1..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = rest.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of an XML reference's name: the five named entities (`amp`, `lt`, `gt`,
/// `quot`, `apos`) and numeric references (`#8220`, `#x201C`). For [`decode_references`].
pub(crate) fn xml_reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// XML-escapes text for element content and attribute values (also right for HTML).
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
