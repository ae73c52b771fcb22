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
    let mut start = span.start.min(text.len());
    let mut end = span.end.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let slice = text.get(start..end)?;
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let (s, e) = (start + lead, end - trail);
    (s < e).then_some(Span::new(s, e))
}
