//! How other tools count selection positions, and mapping them onto our LF text.

use super::report::Counting;
use crate::project::Span;

const ALL: [Counting; 4] = [
    Counting::CodePointsLf,
    Counting::CodePointsRaw,
    Counting::Utf16Raw,
    Counting::Utf16Lf,
];

/// Marks a position that falls inside a character.
const NONE: usize = usize::MAX;

/// The LF text of `raw` and, per counting, the LF byte offset of every position.
pub(crate) struct PositionTables {
    /// The LF-normalised text.
    pub(crate) text: String,
    tables: [Vec<usize>; 4],
}

impl PositionTables {
    pub(crate) fn new(raw: &str) -> Self {
        let mut text = String::with_capacity(raw.len());
        let mut t: [Vec<usize>; 4] = Default::default();
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            let nb = text.len();
            if c == '\r' {
                let crlf = chars.peek() == Some(&'\n');
                if crlf {
                    chars.next();
                }
                for (k, table) in t.iter_mut().enumerate() {
                    table.push(nb);
                    let raw_counting = matches!(
                        ALL.get(k),
                        Some(Counting::CodePointsRaw | Counting::Utf16Raw)
                    );
                    if crlf && raw_counting {
                        table.push(nb);
                    }
                }
                text.push('\n');
                continue;
            }
            for (k, table) in t.iter_mut().enumerate() {
                table.push(nb);
                if matches!(ALL.get(k), Some(Counting::Utf16Raw | Counting::Utf16Lf)) {
                    for _ in 1..c.len_utf16() {
                        table.push(NONE);
                    }
                }
            }
            text.push(c);
        }
        for table in t.iter_mut() {
            table.push(text.len());
        }
        Self { text, tables: t }
    }

    /// The span for positions `start..end` under `counting`, if they fall on characters and
    /// cover something.
    pub(crate) fn place(&self, counting: Counting, start: i64, end: i64) -> Option<Span> {
        let k = ALL.iter().position(|c| *c == counting)?;
        let table = self.tables.get(k)?;
        let s = *table.get(usize::try_from(start).ok()?)?;
        let e = *table.get(usize::try_from(end).ok()?)?;
        (s != NONE && e != NONE && s < e).then_some(Span::new(s, e))
    }

    /// The counting that fits `selections` best: most placed, then most on word boundaries,
    /// ties to the earliest in `preference`.
    pub(crate) fn choose(&self, preference: &[Counting], selections: &[(i64, i64)]) -> Counting {
        let mut best = preference
            .first()
            .copied()
            .unwrap_or(Counting::CodePointsLf);
        if preference.len() == 1 {
            return best;
        }
        let mut best_score = (0usize, 0usize);
        for (i, counting) in preference.iter().enumerate() {
            let mut score = (0, 0);
            for (s, e) in selections {
                if let Some(span) = self.place(*counting, *s, *e) {
                    score.0 += 1;
                    if on_word_boundary(&self.text, span.start)
                        && on_word_boundary(&self.text, span.end)
                    {
                        score.1 += 1;
                    }
                }
            }
            if i == 0 || score > best_score {
                best = *counting;
                best_score = score;
            }
        }
        best
    }
}

/// The order to try countings in, from the `origin` attribute of the file.
pub(crate) fn preference(origin: &str) -> Vec<Counting> {
    let o = origin.to_lowercase();
    if o.starts_with("framewise") {
        // Our own exports: code points of the LF text, documented; no guessing.
        return vec![Counting::CodePointsLf];
    }
    let first = if o.contains("nvivo") {
        Counting::Utf16Raw
    } else if o.contains("qualcoder") {
        Counting::CodePointsRaw
    } else {
        Counting::CodePointsLf
    };
    let mut out = vec![first];
    out.extend(ALL.iter().copied().filter(|c| *c != first));
    out
}

/// True when `byte` does not cut a word: not between two alphanumeric characters.
fn on_word_boundary(text: &str, byte: usize) -> bool {
    let before = text.get(..byte).and_then(|t| t.chars().next_back());
    let after = text.get(byte..).and_then(|t| t.chars().next());
    !matches!((before, after), (Some(a), Some(b)) if a.is_alphanumeric() && b.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countings_place_the_same_word() {
        // "é😀 word\r\nnext": the word "next" in each counting.
        let raw = "é😀 word\r\nnext";
        let t = PositionTables::new(raw);
        assert_eq!(t.text, "é😀 word\nnext");
        let want = t.text.find("next").map(|s| Span::new(s, s + 4));
        assert_eq!(t.place(Counting::CodePointsLf, 8, 12), want);
        assert_eq!(t.place(Counting::CodePointsRaw, 9, 13), want);
        assert_eq!(t.place(Counting::Utf16Raw, 10, 14), want);
        assert_eq!(t.place(Counting::Utf16Lf, 9, 13), want);
        // Inside the surrogate pair.
        assert_eq!(t.place(Counting::Utf16Raw, 2, 4), None);
    }

    #[test]
    fn choose_prefers_word_boundaries() {
        let raw = "one\r\ntwo\r\nthree four";
        let t = PositionTables::new(raw);
        // "three" and "four" in CRLF-as-two counting.
        let sel = [(10, 15), (16, 20)];
        let got = t.choose(&preference("ATLAS.ti"), &sel);
        assert!(matches!(got, Counting::CodePointsRaw | Counting::Utf16Raw));
        let sel_lf = [(8, 13), (14, 18)];
        assert_eq!(
            t.choose(&preference("NVivo"), &sel_lf),
            Counting::CodePointsLf
        );
    }
}
