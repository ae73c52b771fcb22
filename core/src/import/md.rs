//! Markdown (`.md`, `.markdown`), imported as text: the source keeps its Markdown verbatim
//! (`#` headings, `*emphasis*`, links). Nothing is stripped, so what the researcher codes is exactly
//! what is in the file.

use super::{decode::decode_text, ExtractedText, Format, ImportError};

/// The Markdown format.
pub const FORMAT: Format = Format {
    label: "Markdown",
    extensions: &[".md", ".markdown"],
    import,
};

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    decode_text(bytes)
}
