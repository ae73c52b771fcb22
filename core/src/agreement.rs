//! Intercoder agreement: how far two (or more) coders who coded the same sources agree, and
//! the passages where two of them differ, with the actions that resolve a difference.
//!
//! Every coding carries its coder's name ([`Coding::coder`]); a [`Comparison`] names the coders
//! (exactly as written in the codings), the sources and the codes to compare and the unit, and
//! [`compare`] gives a [`Report`]: one row per code and an overall row.
//!
//! # Character unit (as NVivo's coding comparison)
//! Every character (Unicode code point, not byte) of the chosen sources is, for each code, coded
//! or not coded by each coder. A coder's codings of one code that overlap count once (their
//! union). For two coders and one code this gives the 2×2 table
//!
//! | | second coded | second not |
//! |-|-|-|
//! | **first coded** | `both` | `first_only` |
//! | **first not** | `second_only` | `neither` |
//!
//! over `n` characters (the length of the chosen sources): percent agreement
//! `Po = (both + neither) / n`, and Cohen's kappa `κ = (Po − Pe) / (1 − Pe)` with the chance
//! agreement from each coder's marginals, `Pe = p₁·p₂ + (1 − p₁)·(1 − p₂)` where `p₁`, `p₂` are
//! the shares of characters each coder coded.
//! - **Degenerate case** `Pe = 1`: both coders coded nothing, or both coded every character.
//!   They then agree on every character and κ is reported as 1 (as NVivo does), not 0/0.
//! - **Per code** the table is summed over the chosen sources (each character is one unit).
//! - **Overall** the tables of all rows are summed (each pair of character and code is one unit)
//!   and Po and κ computed from that pooled table. NVivo instead averages its per source and
//!   code values weighted by source length; the pooled table is the same idea without the
//!   rounding of an average of ratios, and it is what the numbers shown add up to.
//! - With more than two coders `percent` is the share of characters on which **all** coders
//!   agree, and κ is not given (Cohen's kappa is for two coders; see α below).
//!
//! # Krippendorff's alpha (character unit, two or more coders)
//! Nominal α over the same units (a character, per code; the value is coded / not coded per
//! coder; no value is missing). With `m` coders, `N` units, `hₖ` the units coded by exactly
//! `k` coders, `n = N·m` values, `n₁ = Σ k·hₖ` "coded" values and `n₀ = n − n₁`, the
//! coincidence of different values is `o₀₁ = Σ hₖ·k·(m − k)/(m − 1)` and
//! `α = 1 − (n − 1)·o₀₁ / (n₀·n₁)`. When every value is the same (`n₀ = 0` or `n₁ = 0`)
//! Krippendorff leaves α undefined; like κ it is reported as 1 (perfect agreement). Overall α
//! pools the units of every code.
//!
//! # Segment unit (as MAXQDA's segment-level intercoder agreement)
//! A coder's codings of one code in one source that overlap are one segment (MAXQDA merges
//! them too); touching ones stay two. A segment of one coder is **matched** when the other
//! coder has a segment of the same code in the same source that covers at least
//! [`Comparison::min_overlap`] percent of its characters (default [`DEFAULT_MIN_OVERLAP`] = 90,
//! MAXQDA's default). Percent agreement = matched / all segments of both coders. Kappa follows
//! MAXQDA (after Brennan & Prediger 1981): the table has no "neither" cell, so chance agreement
//! is `Pc = 1/q` with `q` the number of codes in the table, `κ = (Po − Pc)/(1 − Pc)`; it is only
//! given overall, and only when `q ≥ 2`. α is not given for segments.
//!
//! # Which codes
//! [`Comparison::codes`] empty means every code that one of the coders used in the chosen
//! sources (a code nobody used would only add "neither" characters to the overall row); named
//! codes are compared even when unused. A code's own codings count, not its children's. Rows
//! follow the codebook tree order.
//!
//! # Disagreements and their resolution
//! [`disagreements`] groups two coders' codings of a code in a source into passages of
//! overlapping codings and lists those where the coders' coded text differs. [`resolve`] turns
//! a choice — keep the first coder's version, the second's, both, or remove the code there — into
//! one [`Action`] (one undo step) after which the two coders agree on the passage.
//!
//! Everything works on sorted intervals: no per-character table is built, so 20,000 codings over
//! a million words take milliseconds.

mod shown;

pub use shown::{written, Written, LISTED};

use crate::action::Action;
use crate::ids::{CodeId, CodingId, IdSource, SourceId};
use crate::model::project::{Coding, Project};
use crate::sort::sort_by_key;
use crate::sort::Gather;
use crate::span::Span;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// MAXQDA's default minimum overlap (percent of a segment) for a segment to count as matched.
pub const DEFAULT_MIN_OVERLAP: u8 = 90;

/// What is counted.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum Unit {
    /// Every character is coded or not by each coder (NVivo).
    #[default]
    Character,
    /// Coded segments matched by overlap (MAXQDA).
    Segment,
}

impl Unit {
    /// The name used by the CLI and the app ("char", "segment").
    pub fn key(self) -> &'static str {
        match self {
            Self::Character => "char",
            Self::Segment => "segment",
        }
    }
}

/// What to compare.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Comparison {
    /// Coder names, exactly as in the codings; the first two are "first" and "second".
    pub coders: Vec<String>,
    /// Sources compared; empty means every source.
    pub sources: Vec<SourceId>,
    /// Codes compared; empty means every code one of the coders used in those sources.
    pub codes: Vec<CodeId>,
    /// The unit.
    pub unit: Unit,
    /// Segment unit: the share of a segment (percent, 1–100) the other coder's segment must
    /// cover for it to count as matched.
    pub min_overlap: u8,
}

impl Comparison {
    /// Two coders, every source and used code, characters.
    pub fn new(first: impl Into<String>, second: impl Into<String>) -> Self {
        Self {
            coders: vec![first.into(), second.into()],
            sources: Vec::new(),
            codes: Vec::new(),
            unit: Unit::Character,
            min_overlap: DEFAULT_MIN_OVERLAP,
        }
    }
}

/// Why a comparison cannot be made (a sentence the UI and the CLI show).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum AgreementError {
    /// Fewer than two coders were named.
    TooFewCoders,
    /// A coder was named twice.
    SameCoderTwice(String),
    /// No coding of the project carries this coder name.
    UnknownCoder {
        /// The name asked for.
        name: String,
        /// The coder names the project has.
        known: Vec<String>,
    },
    /// The segment unit compares exactly two coders.
    SegmentNeedsTwo,
    /// The minimum overlap is not within 1–100.
    BadOverlap(u8),
}

impl std::fmt::Display for AgreementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooFewCoders => write!(f, "agreement needs two coders to compare"),
            Self::SameCoderTwice(name) => write!(f, "the coder “{name}” is named twice"),
            Self::UnknownCoder { name, known } if known.is_empty() => {
                write!(f, "no coding is by “{name}”: this project has no codings")
            }
            Self::UnknownCoder { name, known } => write!(
                f,
                "no coding is by “{name}”; the coders in this project are {}",
                known
                    .iter()
                    .map(|k| format!("“{k}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::SegmentNeedsTwo => write!(f, "segment agreement compares exactly two coders"),
            Self::BadOverlap(p) => {
                write!(f, "the minimum overlap must be 1–100 percent, not {p}")
            }
        }
    }
}

/// The 2×2 table of two coders over characters.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Table {
    /// Coded by both.
    pub both: u64,
    /// Coded by the first coder only.
    pub first_only: u64,
    /// Coded by the second coder only.
    pub second_only: u64,
    /// Coded by neither.
    pub neither: u64,
}

impl Table {
    /// All units.
    pub fn total(&self) -> u64 {
        self.both + self.first_only + self.second_only + self.neither
    }

    fn add(&mut self, other: &Table) {
        self.both += other.both;
        self.first_only += other.first_only;
        self.second_only += other.second_only;
        self.neither += other.neither;
    }

    /// Percent agreement (0–100); `None` without units.
    pub fn percent(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| 100.0 * (self.both + self.neither) as f64 / n as f64)
    }

    /// Cohen's kappa; 1 when chance agreement is 1 (see the module docs); `None` without units.
    pub fn kappa(&self) -> Option<f64> {
        let n = self.total();
        if n == 0 {
            return None;
        }
        let first = self.both + self.first_only;
        let second = self.both + self.second_only;
        // Pe = 1 exactly when both coded nothing or both coded everything.
        if first == second && (first == 0 || first == n) {
            return Some(1.0);
        }
        let n = n as f64;
        let po = (self.both + self.neither) as f64 / n;
        let (p1, p2) = (first as f64 / n, second as f64 / n);
        let pe = p1 * p2 + (1.0 - p1) * (1.0 - p2);
        Some((po - pe) / (1.0 - pe))
    }
}

/// Units coded by exactly `k` coders, `k = 0..=m` (the input of α).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Levels(pub Vec<u64>);

impl Levels {
    fn add(&mut self, other: &Levels) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += *b;
        }
    }

    /// Krippendorff's nominal alpha of binary values from `m = len − 1` coders; 1 when every
    /// value is the same; `None` without units or with fewer than two coders.
    pub fn alpha(&self) -> Option<f64> {
        let m = self.0.len().checked_sub(1).filter(|m| *m >= 2)? as u64;
        let units: u64 = self.0.iter().sum();
        if units == 0 {
            return None;
        }
        let n = units * m;
        let coded: u64 = (0..).zip(&self.0).map(|(k, h)| k * h).sum();
        let not_coded = n - coded;
        if coded == 0 || not_coded == 0 {
            return Some(1.0);
        }
        let disagreement: f64 = (0..)
            .zip(&self.0)
            .map(|(k, h)| (*h * k * (m - k)) as f64 / (m - 1) as f64)
            .sum();
        Some(1.0 - (n - 1) as f64 * disagreement / (not_coded as f64 * coded as f64))
    }

    /// The share (0–100) of units on which all coders agree.
    pub fn percent_all_agree(&self) -> Option<f64> {
        let units: u64 = self.0.iter().sum();
        let agree = self.0.first().copied().unwrap_or(0) + self.0.last().copied().unwrap_or(0);
        (units > 0).then(|| 100.0 * agree as f64 / units as f64)
    }
}

/// Segment counts of two coders.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Segments {
    /// The first coder's segments.
    pub first: u64,
    /// Of those, matched by the second coder.
    pub first_matched: u64,
    /// The second coder's segments.
    pub second: u64,
    /// Of those, matched by the first coder.
    pub second_matched: u64,
}

impl Segments {
    fn add(&mut self, o: &Segments) {
        self.first += o.first;
        self.first_matched += o.first_matched;
        self.second += o.second;
        self.second_matched += o.second_matched;
    }

    /// Matched segments of both coders.
    pub fn matched(&self) -> u64 {
        self.first_matched + self.second_matched
    }

    /// Unmatched segments of both coders.
    pub fn unmatched(&self) -> u64 {
        (self.first + self.second) - self.matched()
    }

    /// Percent agreement: matched / all segments; `None` without segments.
    pub fn percent(&self) -> Option<f64> {
        let all = self.first + self.second;
        (all > 0).then(|| 100.0 * self.matched() as f64 / all as f64)
    }
}

/// The counts and values of one row (a code, or overall).
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct Measures {
    /// Character unit, two coders: the 2×2 table.
    pub table: Option<Table>,
    /// Character unit: characters coded by exactly k coders.
    pub levels: Option<Levels>,
    /// Segment unit: the segment counts.
    pub segments: Option<Segments>,
    /// Percent agreement (0–100).
    pub percent: Option<f64>,
    /// Cohen's kappa (characters) or MAXQDA's kappa (segments, overall only).
    pub kappa: Option<f64>,
    /// Krippendorff's alpha (characters).
    pub alpha: Option<f64>,
}

/// One code's row.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct CodeRow {
    /// The code.
    pub code: CodeId,
    /// Its path in the codebook ("Parent > Child").
    pub name: String,
    /// Its counts and values.
    pub measures: Measures,
}

/// The result of [`compare`].
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Report {
    /// The unit.
    pub unit: Unit,
    /// The coders compared.
    pub coders: Vec<String>,
    /// Sources compared.
    pub sources: usize,
    /// Their length in characters.
    pub characters: u64,
    /// One row per code, in codebook order.
    pub rows: Vec<CodeRow>,
    /// All rows pooled.
    pub overall: Measures,
}

/// The distinct coder names of a project's codings, sorted.
pub fn coders(project: &Project) -> Vec<String> {
    let names: BTreeSet<&str> = project.all_codings().map(|c| c.coder.as_str()).to_set();
    names.into_iter().map(str::to_string).collect()
}

/// Half-open ranges in characters, sorted and disjoint after [`merge`].
type Ranges = Vec<(u64, u64)>;

/// Sorts ranges and merges those that overlap (and, with `touching`, those that touch).
fn merge(mut ranges: Ranges, touching: bool) -> Ranges {
    sort_by_key(&mut ranges, |r| *r);
    let mut out: Ranges = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        if s >= e {
            continue;
        }
        match out.last_mut() {
            Some(last) if s < last.1 || (touching && s == last.1) => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Characters before each of `bytes` (sorted, deduplicated) in `text`, in one walk. A byte
/// inside a character counts from that character's start; past the end, the text's length.
fn char_offsets(text: &str, bytes: &[usize]) -> Vec<u64> {
    let mut out = Vec::with_capacity(bytes.len());
    let (mut at, mut chars) = (0usize, 0u64);
    for &b in bytes {
        let b = crate::text::floor_char_boundary(text, b.min(text.len()));
        if b > at {
            chars += text.get(at..b).map_or(0, |s| s.chars().count()) as u64;
            at = b;
        }
        out.push(chars);
    }
    out
}

/// The codings of one source, per code and coder, as character ranges (not merged).
struct SourceRanges {
    characters: u64,
    /// Per code: one list of ranges per coder.
    by_code: BTreeMap<CodeId, Vec<Ranges>>,
}

fn source_ranges(
    text: &str,
    codings: &[Coding],
    coder_index: &dyn Fn(&str) -> Option<usize>,
    code_wanted: &dyn Fn(CodeId) -> bool,
    coders: usize,
) -> SourceRanges {
    let chosen: Vec<(usize, &Coding)> = codings
        .iter()
        .filter(|c| code_wanted(c.code))
        .filter_map(|c| coder_index(&c.coder).map(|i| (i, c)))
        .collect();
    let mut bytes: Vec<usize> = Vec::with_capacity(chosen.len() * 2 + 1);
    for (_, c) in &chosen {
        bytes.push(c.span.start);
        bytes.push(c.span.end);
    }
    bytes.push(text.len());
    sort_by_key(&mut bytes, |b| *b);
    bytes.dedup();
    let chars = char_offsets(text, &bytes);
    let at = |b: usize| -> u64 {
        bytes
            .binary_search(&b)
            .ok()
            .and_then(|i| chars.get(i))
            .copied()
            .unwrap_or(0)
    };
    let mut by_code: BTreeMap<CodeId, Vec<Ranges>> = BTreeMap::new();
    for (i, c) in chosen {
        let lists = by_code
            .entry(c.code)
            .or_insert_with(|| vec![Vec::new(); coders]);
        if let Some(list) = lists.get_mut(i) {
            list.push((at(c.span.start), at(c.span.end)));
        }
    }
    SourceRanges {
        characters: at(text.len()),
        by_code,
    }
}

/// Characters covered by exactly k of the (merged) range lists, k = 0..=lists, over `total`.
fn levels(lists: &[Ranges], total: u64) -> Levels {
    let mut events: Vec<(u64, i8)> = Vec::new();
    for list in lists {
        for &(s, e) in list {
            events.push((s, 1));
            events.push((e, -1));
        }
    }
    sort_by_key(&mut events, |e| *e);
    let mut out = vec![0u64; lists.len() + 1];
    let (mut depth, mut last, mut covered) = (0i64, 0u64, 0u64);
    for (pos, delta) in events {
        if depth > 0 && pos > last {
            if let Some(slot) = out.get_mut(depth as usize) {
                *slot += pos - last;
            }
            covered += pos - last;
        }
        depth += i64::from(delta);
        last = pos;
    }
    if let Some(zero) = out.first_mut() {
        *zero = total.saturating_sub(covered);
    }
    Levels(out)
}

/// Segments of `mine` covered at least `min` percent by one of `theirs` (both merged).
fn matched(mine: &Ranges, theirs: &Ranges, min: u8) -> u64 {
    let mut count = 0;
    for &(s, e) in mine {
        let first = theirs.partition_point(|t| t.1 <= s);
        let best = theirs
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|t| t.0 < e)
            .map(|t| t.1.min(e).saturating_sub(t.0.max(s)))
            .max()
            .unwrap_or(0);
        if best * 100 >= u64::from(min) * (e - s) {
            count += 1;
        }
    }
    count
}

fn two_coder_table(lists: &[Ranges], levels: &Levels) -> Option<Table> {
    let [first, second] = lists else { return None };
    let len = |r: &Ranges| r.iter().map(|(s, e)| e - s).sum::<u64>();
    let both = levels.0.get(2).copied().unwrap_or(0);
    Some(Table {
        both,
        first_only: len(first) - both,
        second_only: len(second) - both,
        neither: levels.0.first().copied().unwrap_or(0),
    })
}

fn finish_chars(table: Option<Table>, levels: Levels) -> Measures {
    Measures {
        percent: table
            .as_ref()
            .map_or_else(|| levels.percent_all_agree(), Table::percent),
        kappa: table.as_ref().and_then(Table::kappa),
        alpha: levels.alpha(),
        table,
        levels: Some(levels),
        segments: None,
    }
}

/// One code's counts while sources are read.
#[derive(Default)]
struct Acc {
    table: Option<Table>,
    levels: Levels,
    segments: Segments,
    /// Characters of the sources where the code has codings.
    counted: u64,
}

/// Compares the coders' codings (see the module docs for every definition).
pub fn compare(project: &Project, comparison: &Comparison) -> Result<Report, AgreementError> {
    let coders = &comparison.coders;
    if coders.len() < 2 {
        return Err(AgreementError::TooFewCoders);
    }
    for (i, name) in coders.iter().enumerate() {
        if coders.iter().skip(i + 1).any(|other| other == name) {
            return Err(AgreementError::SameCoderTwice(name.clone()));
        }
    }
    let known = self::coders(project);
    if let Some(name) = coders.iter().find(|n| !known.contains(n)) {
        return Err(AgreementError::UnknownCoder {
            name: name.clone(),
            known,
        });
    }
    let segments = comparison.unit == Unit::Segment;
    if segments && coders.len() != 2 {
        return Err(AgreementError::SegmentNeedsTwo);
    }
    if segments && !(1..=100).contains(&comparison.min_overlap) {
        return Err(AgreementError::BadOverlap(comparison.min_overlap));
    }
    let wanted_codes: BTreeSet<CodeId> = comparison.codes.iter().copied().to_set();
    let wanted_sources: BTreeSet<SourceId> = comparison.sources.iter().copied().to_set();
    let coder_index = |name: &str| coders.iter().position(|c| c == name);
    let code_wanted = |id: CodeId| wanted_codes.is_empty() || wanted_codes.contains(&id);

    let mut characters = 0u64;
    let mut source_count = 0usize;
    // Per code: the pooled table/levels or segments.
    // One map (one generic instantiation in the app's wasm): per code its pooled counts.
    let mut acc: BTreeMap<CodeId, Acc> = BTreeMap::new();
    // Characters of the sources where a code has no codings are "neither" for it: added at the
    // end from the total, so each source adds only the codes it has.
    let empty = Vec::new();
    for source in &project.sources {
        if !wanted_sources.is_empty() && !wanted_sources.contains(&source.id) {
            continue;
        }
        source_count += 1;
        let codings = project.codings.get(&source.id).map_or(&empty, |c| &**c);
        let ranges = source_ranges(
            &source.text,
            codings,
            &coder_index,
            &code_wanted,
            coders.len(),
        );
        characters += ranges.characters;
        for (code, lists) in ranges.by_code {
            if segments {
                let lists: Vec<Ranges> = lists.into_iter().map(|r| merge(r, false)).collect();
                if let [first, second] = lists.as_slice() {
                    let s = Segments {
                        first: first.len() as u64,
                        first_matched: matched(first, second, comparison.min_overlap),
                        second: second.len() as u64,
                        second_matched: matched(second, first, comparison.min_overlap),
                    };
                    acc.entry(code).or_default().segments.add(&s);
                }
            } else {
                let lists: Vec<Ranges> = lists.into_iter().map(|r| merge(r, true)).collect();
                let lv = levels(&lists, ranges.characters);
                let table = two_coder_table(&lists, &lv);
                let entry = acc.entry(code).or_default();
                if let Some(t) = table {
                    entry.table.get_or_insert_with(Table::default).add(&t);
                }
                entry.levels.add(&lv);
                entry.counted += ranges.characters;
            }
        }
    }

    // The rows: codes asked for, or every code used, in codebook order.
    let used: BTreeSet<CodeId> = acc.keys().copied().to_set();
    let row_codes: Vec<CodeId> = project
        .code_tree()
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| {
            if wanted_codes.is_empty() {
                used.contains(id)
            } else {
                wanted_codes.contains(id)
            }
        })
        .collect();

    let mut rows = Vec::with_capacity(row_codes.len());
    let two = coders.len() == 2;
    let mut all_table = two.then(Table::default);
    let mut all_levels = Levels::default();
    let mut all_segments = Segments::default();
    for code in row_codes {
        let measures = if segments {
            let s = acc.get(&code).map(|a| a.segments).unwrap_or_default();
            all_segments.add(&s);
            Measures {
                percent: s.percent(),
                segments: Some(s),
                ..Measures::default()
            }
        } else {
            let a = acc.remove(&code).unwrap_or_default();
            let (mut table, mut lv) = (a.table, a.levels);
            if lv.0.len() < coders.len() + 1 {
                lv.0.resize(coders.len() + 1, 0);
            }
            // The sources without a coding of this code: every character is "neither".
            let rest = characters.saturating_sub(a.counted);
            if let Some(zero) = lv.0.first_mut() {
                *zero += rest;
            }
            if two {
                let t = table.get_or_insert_with(Table::default);
                t.neither += rest;
            }
            if let (Some(all), Some(t)) = (all_table.as_mut(), table.as_ref()) {
                all.add(t);
            }
            all_levels.add(&lv);
            finish_chars(table, lv)
        };
        rows.push(CodeRow {
            code,
            name: project.code_path(code),
            measures,
        });
    }
    let overall = if segments {
        let po = all_segments.percent();
        let q = rows.len();
        Measures {
            percent: po,
            kappa: po.filter(|_| q >= 2).map(|po| {
                let pc = 1.0 / q as f64;
                (po / 100.0 - pc) / (1.0 - pc)
            }),
            segments: Some(all_segments),
            ..Measures::default()
        }
    } else if rows.is_empty() {
        Measures::default()
    } else {
        finish_chars(all_table, all_levels)
    };
    Ok(Report {
        unit: comparison.unit,
        coders: coders.clone(),
        sources: source_count,
        characters,
        rows,
        overall,
    })
}

/// An agreement table as the Agreement view shows it, every number already written out (the
/// worker formats it, so the page decodes plain text and holds no float formatting).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Shown {
    /// What the table counts, in a sentence.
    pub caption: String,
    /// The column headings after "Code".
    pub heads: Vec<String>,
    /// Per code: its name and cells.
    pub rows: Vec<(String, Vec<String>)>,
    /// The overall row's cells.
    pub overall: Vec<String>,
}

/// `v` with `digits` decimals, through integers.
fn fixed(v: f64, digits: u32) -> String {
    let scale = 10i64.pow(digits);
    let n = (v * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let scale = scale.unsigned_abs();
    let width = digits as usize;
    format!("{sign}{}.{:0width$}", n / scale, n % scale)
}

fn shown_cells(unit: Unit, m: &Measures) -> Vec<String> {
    let percent = m
        .percent
        .map_or_else(|| "–".into(), |v| format!("{} %", fixed(v, 1)));
    let number = |v: Option<f64>| v.map_or_else(|| "–".into(), |v| fixed(v, 3));
    match unit {
        Unit::Character => {
            let t = m.table.unwrap_or_default();
            vec![
                percent,
                number(m.kappa),
                number(m.alpha),
                t.both.to_string(),
                t.first_only.to_string(),
                t.second_only.to_string(),
            ]
        }
        Unit::Segment => {
            let s = m.segments.unwrap_or_default();
            vec![
                percent,
                number(m.kappa),
                s.matched().to_string(),
                s.unmatched().to_string(),
            ]
        }
    }
}

impl Report {
    /// The table as shown, for coders `first` and `second` (segments matched at
    /// `min_overlap` %).
    pub fn shown(&self, first: &str, second: &str, min_overlap: u8) -> Shown {
        let sources = crate::words::count(self.sources, "source", "sources");
        let (heads, caption) = match self.unit {
            Unit::Character => (
                vec![
                    "Agreement".into(),
                    "Kappa".into(),
                    "Alpha".into(),
                    "Both".into(),
                    format!("{first} only"),
                    format!("{second} only"),
                ],
                format!(
                    "Characters of {sources} ({} characters): kappa is Cohen's, overall pools the codes.",
                    crate::words::thousands(self.characters as usize)
                ),
            ),
            Unit::Segment => (
                vec![
                    "Agreement".into(),
                    "Kappa".into(),
                    "Matched".into(),
                    "Unmatched".into(),
                ],
                format!(
                    "Segments of {sources}: matched when the other coder's segment covers {min_overlap} % of it; kappa overall (chance = 1 / number of codes)."
                ),
            ),
        };
        Shown {
            caption,
            heads,
            rows: self
                .rows
                .iter()
                .map(|row| (row.name.clone(), shown_cells(self.unit, &row.measures)))
                .collect(),
            overall: shown_cells(self.unit, &self.overall),
        }
    }
}

/// A passage where two coders' codings of one code differ: a run of their overlapping codings
/// in which the text one coded is not the text the other coded.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Disagreement {
    /// The source.
    pub source: SourceId,
    /// The code.
    pub code: CodeId,
    /// From the first coding's start to the last one's end (bytes).
    pub span: Span,
    /// The first coder's codings in the passage (maybe none).
    pub first: Vec<CodingId>,
    /// The second coder's codings in the passage (maybe none).
    pub second: Vec<CodingId>,
}

/// The passages where `first` and `second` differ, per source (project order) and position.
/// `sources` / `codes` empty mean all.
pub fn disagreements(
    project: &Project,
    first: &str,
    second: &str,
    sources: &[SourceId],
    codes: &[CodeId],
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for source in &project.sources {
        if !sources.is_empty() && !sources.contains(&source.id) {
            continue;
        }
        let Some(codings) = project.codings.get(&source.id) else {
            continue;
        };
        let mut by_code: BTreeMap<CodeId, Vec<&Coding>> = BTreeMap::new();
        // The list is sorted by start, so each code's list is too.
        for c in codings.iter() {
            if (c.coder == first || c.coder == second)
                && (codes.is_empty() || codes.contains(&c.code))
            {
                by_code.entry(c.code).or_default().push(c);
            }
        }
        let mut here: Vec<Disagreement> = Vec::new();
        for (code, list) in by_code {
            let mut group: Vec<&Coding> = Vec::new();
            let mut end = 0;
            let flush = |group: &mut Vec<&Coding>, out: &mut Vec<Disagreement>| {
                if let Some(d) = passage(source.id, code, group, first) {
                    out.push(d);
                }
                group.clear();
            };
            for c in list {
                if !group.is_empty() && c.span.start >= end {
                    flush(&mut group, &mut here);
                }
                end = if group.is_empty() {
                    c.span.end
                } else {
                    end.max(c.span.end)
                };
                group.push(c);
            }
            flush(&mut group, &mut here);
        }
        // Sources come in project order; within one, by position.
        sort_by_key(&mut here, |d| (d.span.start, d.span.end));
        out.append(&mut here);
    }
    out
}

/// A group of overlapping codings as a disagreement, when the two coders' unions differ.
fn passage(source: SourceId, code: CodeId, group: &[&Coding], first: &str) -> Option<Disagreement> {
    let (mine, theirs): (Vec<&Coding>, Vec<&Coding>) = group.iter().partition(|c| c.coder == first);
    let union = |list: &[&Coding]| {
        merge(
            list.iter()
                .map(|c| (c.span.start as u64, c.span.end as u64))
                .collect(),
            true,
        )
    };
    if union(&mine) == union(&theirs) {
        return None;
    }
    let start = group.iter().map(|c| c.span.start).min()?;
    let end = group.iter().map(|c| c.span.end).max()?;
    Some(Disagreement {
        source,
        code,
        span: Span::new(start, end),
        first: mine.iter().map(|c| c.id).collect(),
        second: theirs.iter().map(|c| c.id).collect(),
    })
}

/// How a disagreement is settled.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Resolution {
    /// The first coder's version for both: the second's codings there are replaced by copies
    /// of the first's.
    KeepFirst,
    /// The second coder's version for both.
    KeepSecond,
    /// Both versions for both: each coder gets copies of the other's codings there (which
    /// merge with their own overlapping ones into the union, as every added coding does).
    KeepBoth,
    /// The code does not apply: both coders' codings there are removed.
    Remove,
}

impl Resolution {
    /// The resolution a button of the written-out list names in its `data-how` ("first",
    /// "second", "both", "remove"; see [`written`]).
    pub fn named(how: &str) -> Option<Self> {
        match how {
            "first" => Some(Self::KeepFirst),
            "second" => Some(Self::KeepSecond),
            "both" => Some(Self::KeepBoth),
            "remove" => Some(Self::Remove),
            _ => None,
        }
    }
}

/// The one action (one undo step) that settles `d` between `first` and `second`; `None` when its
/// codings are no longer in the project.
pub fn resolve(
    project: &Project,
    d: &Disagreement,
    how: Resolution,
    first: &str,
    second: &str,
    ids: &mut dyn IdSource,
    now: Timestamp,
) -> Option<Action> {
    let find = |list: &[CodingId]| -> Option<Vec<Coding>> {
        let codings = project.codings.get(&d.source)?;
        list.iter()
            .map(|id| codings.iter().find(|c| c.id == *id).cloned())
            .collect()
    };
    let mine = find(&d.first)?;
    let theirs = find(&d.second)?;
    let mut copy = |from: &[Coding], coder: &str| -> Vec<Coding> {
        from.iter()
            .map(|c| Coding {
                id: ids.coding_id(),
                coder: coder.to_string(),
                created: now,
                ..c.clone()
            })
            .collect()
    };
    let ids_of = |list: &[Coding]| list.iter().map(|c| c.id).collect::<Vec<_>>();
    let (remove, add, label) = match how {
        Resolution::KeepFirst => (
            ids_of(&theirs),
            copy(&mine, second),
            format!("Keep {first}’s coding"),
        ),
        Resolution::KeepSecond => (
            ids_of(&mine),
            copy(&theirs, first),
            format!("Keep {second}’s coding"),
        ),
        Resolution::KeepBoth => {
            let mut add = copy(&mine, second);
            add.extend(copy(&theirs, first));
            (Vec::new(), add, "Keep both codings".to_string())
        }
        Resolution::Remove => {
            let mut remove = ids_of(&mine);
            remove.extend(ids_of(&theirs));
            (remove, Vec::new(), "Remove disputed coding".to_string())
        }
    };
    let mut actions = Vec::new();
    if !remove.is_empty() {
        actions.push(Action::RemoveCodings { ids: remove });
    }
    if !add.is_empty() {
        actions.push(Action::AddCodings { codings: add });
    }
    Some(Action::Batch { label, actions })
}
