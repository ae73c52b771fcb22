//! A copy of a project to hand over, with chosen parts left out: the pseudonymisation key,
//! the memos, or the participants' words (source texts), so that a team can share the
//! structure of an analysis (codebook, cases, attributes, where codings are) without the data.
//!
//! Leaving out the texts keeps every coding valid: each text is replaced by a blank of the same
//! length in bytes (line breaks kept, every other character a run of spaces as long as its
//! UTF-8 encoding), so coding spans, paragraphs and speaker-turn positions still fit; speaker
//! names (in turns and in cases' speaker links) are participants' words too and go with them.

use crate::model::project::{Project, Source};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What a shared copy leaves out.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct LeaveOut {
    /// The pseudonymisation key (real names and their pseudonyms).
    pub key: bool,
    /// Every memo: the project's, the sources', the codes' and the cases', and the annotations
    /// (comments on passages and codings).
    pub memos: bool,
    /// The source texts (blanked to their length) and speaker names.
    pub texts: bool,
}

/// The copy of `project` to hand over, without what `leave_out` names. Ids stay the same, so
/// the copy merges back into the project it came from.
pub fn shared_copy(project: &Project, leave_out: LeaveOut) -> Project {
    let mut copy = project.clone();
    if leave_out.key {
        copy.pseudonyms.clear();
    }
    if leave_out.memos {
        copy.memo.clear();
        copy.annotations.clear();
        for code in &mut copy.codes {
            code.memo.clear();
        }
        for case in &mut copy.cases {
            case.memo.clear();
        }
    }
    if leave_out.texts {
        for case in &mut copy.cases {
            case.speakers.clear();
        }
    }
    if leave_out.memos || leave_out.texts {
        copy.sources = copy
            .sources
            .iter()
            .map(|s| {
                let mut source = Source::clone(s);
                if leave_out.memos {
                    source.memo.clear();
                }
                if leave_out.texts {
                    source.text = Arc::from(blank(&source.text));
                    for turn in &mut source.turns {
                        turn.speaker = None;
                    }
                }
                Arc::new(source)
            })
            .collect();
    }
    copy
}

/// True when `bytes` look like a file encrypted with age (binary, `age-encryption.org/v1`, or
/// ASCII-armoured), which the app asks a passphrase for before opening.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    let start = bytes.trim_ascii_start();
    start.starts_with(b"age-encryption.org/v1")
        || start.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
}

/// `text` with every character but line breaks replaced by as many spaces as its UTF-8 length:
/// the same length in bytes, with the same line structure, holding none of the words.
pub fn blank(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => "\n".to_string(),
            c => " ".repeat(c.len_utf8()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_text_keeps_its_length_and_lines() {
        let text = "P: Zoë said “no”\n\nD: 漢字 😀\n";
        let b = blank(text);
        assert_eq!(b.len(), text.len());
        assert_eq!(b.matches('\n').count(), text.matches('\n').count());
        assert!(b.chars().all(|c| c == ' ' || c == '\n'));
        for (i, _) in text.char_indices() {
            assert!(b.is_char_boundary(i));
        }
    }
}
