//! Plain text (`.txt`, `.text`): decoded as it is, see [`super::decode`].

use super::{decode::decode_text, ExtractedText, Format, ImportError};

/// The plain-text format.
pub const FORMAT: Format = Format {
    label: "Plain text",
    extensions: &[".txt", ".text"],
    import,
};

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    decode_text(bytes)
}
