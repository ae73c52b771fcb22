//! `Span`: the one internal unit of a text range (UTF-8 byte offsets, half-open).

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of **UTF-8 byte offsets** into a source's LF-normalised text.
/// Both ends always lie on character boundaries and `start < end`. This is the one internal span
/// unit; see [`crate::text`] for conversions to UTF-16 (the DOM) and code points (REFI-QDA).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// True when `self` is valid for `text`: non-empty, in bounds, on char boundaries.
    pub fn is_valid_for(&self, text: &str) -> bool {
        self.start < self.end
            && self.end <= text.len()
            && text.is_char_boundary(self.start)
            && text.is_char_boundary(self.end)
    }
}
