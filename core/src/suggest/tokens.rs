//! Words of a text for the lexical model: Unicode word boundaries (UAX #29), lower case, accents
//! folded, optional English plural folding (see the module docs of [`crate::suggest`]).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_segmentation::UnicodeSegmentation;

/// `word` as the model compares it, written into `out` (cleared first): lower case, accents
/// folded (canonical decomposition without its combining marks), and with `stem` an English
/// plural folded. False when the word has no letter (a number, a time, punctuation): such words
/// are left out.
pub fn normalize_word(word: &str, stem: bool, out: &mut String) -> bool {
    out.clear();
    if !word.chars().any(char::is_alphabetic) {
        return false;
    }
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        for c in word.chars().flat_map(char::to_lowercase) {
            if c.is_ascii() {
                out.push(c);
                continue;
            }
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
        // A final sigma is a sigma: "λόγος" and "ΛΟΓΟΣ" (lower-cased to "λογοσ") are one word.
        if out.ends_with('ς') {
            out.pop();
            out.push('σ');
        }
    }
    if stem && out.is_ascii() {
        fold_plural(out);
    }
    !out.is_empty()
}

/// Harman's "S" stemmer (1991): "-ies" → "-y" (not "-eies", "-aies"), "-es" → "-e" (not "-aes",
/// "-ees", "-oes"), "-s" → "" (not "-us", "-ss"); words of three letters or fewer are kept.
fn fold_plural(word: &mut String) {
    let n = word.len();
    if n <= 3 {
        return;
    }
    if word.ends_with("ies") && !word.ends_with("eies") && !word.ends_with("aies") {
        word.truncate(n - 3);
        word.push('y');
    } else if (word.ends_with("es")
        && !word.ends_with("aes")
        && !word.ends_with("ees")
        && !word.ends_with("oes"))
        || (word.ends_with('s') && !word.ends_with("us") && !word.ends_with("ss"))
    {
        // "-es" → "-e" and "-s" → "": both drop the final "s".
        word.truncate(n - 1);
    }
}

/// Calls `f(start, end, term)` for every word of `text` that has a letter, in order: `start` and
/// `end` are byte offsets into `text`, `term` the word normalised ([`normalize_word`]).
pub fn for_each_word(text: &str, stem: bool, mut f: impl FnMut(usize, usize, &str)) {
    let mut term = String::new();
    for (start, word) in text.unicode_word_indices() {
        if normalize_word(word, stem, &mut term) {
            f(start, start + word.len(), &term);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, stem: bool) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, stem, |_, _, t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_in_any_language_folded() {
        assert_eq!(
            words("Η ΥΓΕΊΑ και η υγεία, λόγος ΛΟΓΟΣ 12:30", false),
            ["η", "υγεια", "και", "η", "υγεια", "λογοσ", "λογοσ"]
        );
        assert_eq!(
            words("Az egészségügyi ÉRTÉKELÉS", false),
            ["az", "egeszsegugyi", "ertekeles"]
        );
        assert_eq!(words("Café don't 3rd", false), ["cafe", "don't", "3rd"]);
    }

    #[test]
    fn english_plurals_fold_when_asked() {
        assert_eq!(
            words("nurses policies bus glass shoes has GPs", true),
            ["nurse", "policy", "bus", "glass", "shoe", "has", "gps"]
        );
        assert_eq!(words("nurses", false), ["nurses"]);
    }
}
