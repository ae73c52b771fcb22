//! A word index of a project's texts, built once per project value and kept beside it (the
//! worker keeps one with the project it searches), so that a search for words, `word*` prefixes
//! and phrases looks up where a term can start instead of running its pattern over every
//! character of every source.
//!
//! The index only proposes *candidates*: for each word (a maximal run of letters, digits, `_` and
//! combining marks, the characters a whole word may not continue with) its case-folded form and
//! where it starts. The engine then runs the term's own pattern anchored at each candidate and
//! applies the same whole-word rule as the full scan, so an indexed search gives exactly the hits
//! of a scan. The index serves a term when every hit of the term must start at a word start
//! whose folded word is (or, for a `word*` first word, starts with) the folded first word of the
//! term: whole words, no *ignore accents*, no regular expression, and query words made only of
//! word characters without canonical decompositions (so "café" or "e-mail" are scanned, as are
//! texts of a source that is not the one indexed). Case folding is the regex crate's Unicode
//! simple case folding (each character's folding class, `regex-syntax`), so the index proposes
//! every place a case-insensitive pattern can match; with *match case* the anchored pattern
//! keeps only the exact ones.

use crate::project::{Project, Source};
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// A letter, digit, `_` or combining mark: what a whole word may not continue with (as the
/// engine's whole-word rule).
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining_mark(c)
}

/// Every character of `c`'s simple case folding class (the characters a case-insensitive
/// pattern of `c` matches), or `None` when the folding tables are missing.
fn class_of(c: char) -> Option<Vec<char>> {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.try_case_fold_simple().ok()?;
    Some(
        class
            .iter()
            .flat_map(|r| (r.start()..=r.end()).collect::<Vec<_>>())
            .collect(),
    )
}

/// The character that stands for `c`'s case folding class: its smallest member.
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        // An ASCII letter's class holds its upper case (the smallest) and at most the Kelvin and
        // long-s signs, which are larger.
        return c.to_ascii_uppercase();
    }
    class_of(c)
        .and_then(|class| class.into_iter().min())
        .unwrap_or(c)
}

/// The folded form of a query word, when the index can serve it: every character a word
/// character whose whole folding class is word characters, none with a canonical decomposition
/// (a text may spell those decomposed, which is another word of the index).
pub(super) fn fold_query_word(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if !is_word_char(c) || has_decomposition(c) {
            return None;
        }
        let class = class_of(c)?;
        if !class.iter().all(|m| is_word_char(*m)) {
            return None;
        }
        out.push(class.into_iter().min().unwrap_or(c));
    }
    (!out.is_empty()).then_some(out)
}

fn has_decomposition(c: char) -> bool {
    let mut n = 0;
    let mut other = false;
    decompose_canonical(c, |d| {
        n += 1;
        other |= d != c;
    });
    n > 1 || other
}

/// A fast hash for the index's words (the default one costs more than the rest of a lookup).
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for b in chunks.remainder() {
            self.add(u64::from(*b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Where words start: (the source's place in the indexed project, the word's first byte).
pub(super) type Place = (u32, u32);

/// The word index of one project value (see the module docs).
pub struct Index {
    /// The sources indexed, in project order (a source of another value is scanned instead).
    sources: Vec<Arc<Source>>,
    /// Each folded word's number.
    numbers: FxMap<Box<str>, u32>,
    /// The folded words by number.
    words: Vec<Box<str>>,
    /// The numbers in the order of their words (for prefixes).
    sorted: Vec<u32>,
    /// Each word's starts, in project and text order.
    places: Vec<Vec<Place>>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("sources", &self.sources.len())
            .field("words", &self.words.len())
            .finish()
    }
}

impl Index {
    /// Indexes every word of `project`'s sources.
    pub fn build(project: &Project) -> Self {
        let mut index = Self {
            sources: project.sources.clone(),
            numbers: FxMap::default(),
            words: Vec::new(),
            sorted: Vec::new(),
            places: Vec::new(),
        };
        // Folded non-ASCII characters, each looked up once.
        let mut folded: FxMap<char, char> = FxMap::default();
        let mut key: Vec<u8> = Vec::new();
        for (n, source) in project.sources.iter().enumerate() {
            let Ok(n) = u32::try_from(n) else { break };
            let text: &str = &source.text;
            if u32::try_from(text.len()).is_err() {
                // Offsets past 4 GB do not fit the index: such a source is scanned.
                continue;
            }
            let bytes = text.as_bytes();
            let mut start = u32::MAX;
            let mut at = 0;
            // ASCII bytes one by one (most text); other characters decoded.
            while let Some(&b) = bytes.get(at) {
                let (word, width) = if b < 0x80 {
                    let word = b.is_ascii_alphanumeric() || b == b'_';
                    if word {
                        key.push(b.to_ascii_uppercase());
                    }
                    (word, 1)
                } else {
                    let c = text.get(at..).and_then(|t| t.chars().next()).unwrap_or(' ');
                    let word = is_word_char(c);
                    if word {
                        let f = *folded.entry(c).or_insert_with(|| fold_char(c));
                        key.extend_from_slice(f.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                    (word, c.len_utf8())
                };
                if word {
                    if start == u32::MAX {
                        start = at as u32;
                    }
                } else if start != u32::MAX {
                    index.add(&key, (n, start));
                    key.clear();
                    start = u32::MAX;
                }
                at += width;
            }
            if start != u32::MAX {
                index.add(&key, (n, start));
                key.clear();
            }
        }
        let mut sorted: Vec<u32> = (0..index.words.len() as u32).collect();
        sorted.sort_unstable_by(|a, b| {
            let word = |i: &u32| index.words.get(*i as usize).map_or("", |w| &**w);
            word(a).cmp(word(b))
        });
        index.sorted = sorted;
        index
    }

    fn add(&mut self, key: &[u8], place: Place) {
        // Whole characters were pushed: the key is UTF-8.
        let Ok(key) = std::str::from_utf8(key) else {
            return;
        };
        if let Some(n) = self.numbers.get(key) {
            if let Some(list) = self.places.get_mut(*n as usize) {
                list.push(place);
            }
            return;
        }
        let n = self.words.len() as u32;
        self.numbers.insert(key.into(), n);
        self.words.push(key.into());
        self.places.push(vec![place]);
    }

    /// Makes this index serve `project` when its sources have the ids and texts of the ones
    /// indexed (a project value changed only outside its texts, e.g. by coding): true then.
    pub fn refit(&mut self, project: &Project) -> bool {
        let same = self.sources.len() == project.sources.len()
            && self
                .sources
                .iter()
                .zip(&project.sources)
                .all(|(a, b)| a.id == b.id && a.text == b.text);
        if same {
            self.sources = project.sources.clone();
        }
        same
    }

    /// The place in this index of `project`'s source number `n`, when it is the very source
    /// indexed (the same value, not an equal one).
    pub(super) fn indexed(&self, project: &Project, n: usize) -> Option<u32> {
        let (ours, theirs) = (self.sources.get(n)?, project.sources.get(n)?);
        Arc::ptr_eq(ours, theirs)
            .then(|| u32::try_from(n).ok())
            .flatten()
    }

    /// Where the folded word `word` starts (or, `prefix`, every word starting with it), in
    /// project and text order.
    pub(super) fn starts(&self, word: &str, prefix: bool) -> Vec<Place> {
        if !prefix {
            return self
                .numbers
                .get(word)
                .and_then(|n| self.places.get(*n as usize))
                .cloned()
                .unwrap_or_default();
        }
        let word_of = |i: &u32| self.words.get(*i as usize).map_or("", |w| &**w);
        let from = self.sorted.partition_point(|i| word_of(i) < word);
        let mut out: Vec<Place> = Vec::new();
        let mut lists = 0;
        for i in self.sorted.get(from..).unwrap_or(&[]) {
            if !word_of(i).starts_with(word) {
                break;
            }
            out.extend(self.places.get(*i as usize).into_iter().flatten());
            lists += 1;
        }
        if lists > 1 {
            out.sort_unstable();
        }
        out
    }
}
