//! How speaker turns are shown in the reading view: a colour per speaker, whether the margin
//! holds speaker names or times, and where a speaker label written in the text ends.

use framewise_core::speakers::speaker_key;
use framewise_core::{Source, Turn};
use std::collections::HashMap;

/// Distinct speaker colours (CSS classes `speaker-c0` ...), given in order of first appearance.
pub(super) const SPEAKER_COLORS: usize = 8;

/// How a source's speakers are shown: a colour per speaker, and whether the margin holds
/// speaker names (not written in the text, as in subtitles) or times.
#[derive(PartialEq, Debug, Default)]
pub(super) struct SpeakerLooks {
    /// Colour number per speaker key (see [`speaker_key`]), in order of first appearance.
    colors: HashMap<String, usize>,
    /// True when some turn's speaker or time is shown in the margin.
    pub(super) gutter: bool,
}

impl SpeakerLooks {
    /// Colours and margin of `source`'s turns.
    pub(super) fn of(source: &Source) -> Self {
        let mut colors: HashMap<String, usize> = HashMap::new();
        let mut gutter = false;
        for turn in &source.turns {
            if let Some(name) = turn.speaker.as_deref() {
                let n = colors.len();
                colors
                    .entry(speaker_key(name))
                    .or_insert(n % SPEAKER_COLORS);
            }
            gutter =
                gutter || turn.start_ms.is_some() || label_before(&source.text, turn).is_none();
        }
        Self { colors, gutter }
    }
    pub(super) fn color(&self, name: &str) -> usize {
        self.colors.get(&speaker_key(name)).copied().unwrap_or(0)
    }
}

/// Start of the speaker label written before a turn on its line (`Interviewer: ...`), if any.
pub(super) fn label_before(text: &str, turn: &Turn) -> Option<usize> {
    let head = text.get(..turn.span.start)?;
    let line_start = head.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let label = head.get(line_start..)?.trim_end();
    (label.ends_with(':') && label.len() > 1).then_some(line_start)
}

/// Length in bytes of a leading speaker label such as `Interviewer:` or `P03:` or `D:`.
pub(super) fn speaker_label_len(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    if colon == 0 || colon > 40 {
        return None;
    }
    let label = &line[..colon];
    let first = label.chars().next()?;
    let plausible = (first.is_uppercase() || first == '[')
        && label.split_whitespace().count() <= 4
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || " .'-()[]_".contains(c));
    plausible.then_some(colon + 1)
}
