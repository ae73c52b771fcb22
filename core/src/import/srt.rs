//! SubRip subtitles (`.srt`): numbered cues with `00:00:01,600 --> 00:00:04,200` timings. Read by
//! the same cue parser as WebVTT ([`super::vtt`]): markup (`<i>`, `<font>`, `{\an8}`) is removed,
//! `Name: text` prefixes become speakers, consecutive cues of one speaker become one turn.

use super::{ExtractedText, Format, ImportError};

/// The SubRip format.
pub const FORMAT: Format = Format {
    label: "SubRip subtitles",
    extensions: &[".srt"],
    import,
};

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    super::vtt::parse_cues(bytes, false)
}
