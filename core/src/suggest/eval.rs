//! How well suggestions work, measured on the project's own coding: a fifth of each code's
//! codings hidden, recall@k and precision@k against a random ranking (see the module docs of
//! [`crate::suggest`]).

use super::model::{CodeModel, Model};
use super::{SuggestOptions, UnitKind};
use crate::ids::CodeId;
use crate::project::Project;
use crate::span::Span;
use serde::Serialize;
use std::collections::BTreeMap;

/// A small seeded pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014): the same seed
/// gives the same numbers on every machine. Core has no randomness of its own; the seed is the
/// caller's.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0; Lemire's multiply-shift, without its rejection step: the
    /// bias is below 2^-32 for the sizes shuffled here).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// What to evaluate.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EvalOptions {
    /// The model's options (units, sources, stemming).
    pub model: SuggestOptions,
    /// The seed of the codings hidden and of the random baseline.
    pub seed: u64,
    /// Suggestions looked at per code (20: one screen of "Find more like this").
    pub k: usize,
    /// Codes with fewer codings are left out.
    pub min_codings: usize,
}

impl Default for EvalOptions {
    fn default() -> Self {
        Self {
            model: SuggestOptions::default(),
            seed: 1,
            k: 20,
            min_codings: 5,
        }
    }
}

/// Recall and precision of one ranking.
#[derive(Clone, Copy, PartialEq, Debug, Default, Serialize)]
pub struct Measures {
    /// Hidden codings that a suggested unit overlaps.
    pub found: usize,
    /// Suggested units that overlap a hidden coding.
    pub relevant: usize,
    /// Units suggested (at most k).
    pub suggested: usize,
    /// `found` / hidden codings.
    pub recall: f64,
    /// `relevant` / `suggested` (0 when nothing was suggested).
    pub precision: f64,
}

impl Measures {
    fn of(found: usize, relevant: usize, suggested: usize, hidden: usize) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Self {
            found,
            relevant,
            suggested,
            recall: ratio(found, hidden),
            precision: ratio(relevant, suggested),
        }
    }
}

/// The figures of one code.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct CodeEval {
    /// The code.
    pub code: CodeId,
    /// Its path ("Parent > Child").
    pub name: String,
    /// Its codings.
    pub codings: usize,
    /// Codings hidden.
    pub hidden: usize,
    /// The model's ranking.
    pub model: Measures,
    /// The random ranking.
    pub random: Measures,
}

/// The whole evaluation.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct Evaluation {
    /// Suggestions looked at per code.
    pub k: usize,
    /// The seed.
    pub seed: u64,
    /// The units suggested.
    pub unit: UnitKind,
    /// English plurals folded.
    pub stem: bool,
    /// Units in the model.
    pub units: usize,
    /// Words read.
    pub words: usize,
    /// Codes evaluated, in codebook order.
    pub codes: Vec<CodeEval>,
    /// Codes with too few codings, left out.
    pub skipped: usize,
    /// Pooled over the codes: the model.
    pub model: Measures,
    /// Pooled over the codes: the random ranking.
    pub random: Measures,
}

/// Scores `units` (model units) against the hidden codings: (found, relevant).
fn measure(model: &Model, units: &[u32], hidden: &[(u32, Span)]) -> (usize, usize) {
    let mut found = vec![false; hidden.len()];
    let mut relevant = 0;
    for &u in units {
        let Some(unit) = model.units.get(u as usize) else {
            continue;
        };
        let mut hit = false;
        for (i, (source, span)) in hidden.iter().enumerate() {
            if *source == unit.source && span.start < unit.span.end && unit.span.start < span.end {
                hit = true;
                if let Some(f) = found.get_mut(i) {
                    *f = true;
                }
            }
        }
        relevant += usize::from(hit);
    }
    (found.iter().filter(|f| **f).count(), relevant)
}

/// Evaluates suggestions on `project` (see the module docs of [`crate::suggest`]): for each
/// code with at least `min_codings` codings (in codebook order), a random fifth hidden, the rest
/// coded, the top `k` of the model and of a random ranking compared with what was hidden.
pub fn evaluate(project: &Project, options: &EvalOptions) -> Evaluation {
    let model = Model::build(project, &options.model);
    let mut by_code: BTreeMap<CodeId, Vec<(u32, Span)>> = BTreeMap::new();
    for (si, source) in model.sources.iter().enumerate() {
        for coding in project.codings_of(source.id) {
            if coding.span.is_valid_for(&source.text) {
                by_code
                    .entry(coding.code)
                    .or_default()
                    .push((si as u32, coding.span));
            }
        }
    }
    let mut rng = SplitMix64::new(options.seed);
    let mut codes = Vec::new();
    let mut skipped = 0;
    let (mut hidden_all, mut found_m, mut rel_m, mut sug_m, mut found_r, mut rel_r, mut sug_r) =
        (0, 0, 0, 0, 0, 0, 0);
    for (code, _) in project.code_tree() {
        let Some(codings) = by_code.get(&code) else {
            continue;
        };
        if codings.len() < options.min_codings.max(2) {
            skipped += 1;
            continue;
        }
        let mut order = codings.clone();
        rng.shuffle(&mut order);
        let n_hidden = (codings.len() / 5).max(1);
        let (hidden, kept) = order.split_at(n_hidden);
        let cm: CodeModel = model.code_model(kept);
        let ranked: Vec<u32> = model
            .ranked(&cm, options.k)
            .into_iter()
            .map(|(u, _, _)| u)
            .collect();
        let mut random = model.candidates(&cm);
        rng.shuffle(&mut random);
        random.truncate(options.k);
        let (fm, rm) = measure(&model, &ranked, hidden);
        let (fr, rr) = measure(&model, &random, hidden);
        hidden_all += hidden.len();
        found_m += fm;
        rel_m += rm;
        sug_m += ranked.len();
        found_r += fr;
        rel_r += rr;
        sug_r += random.len();
        codes.push(CodeEval {
            code,
            name: project.code_path(code),
            codings: codings.len(),
            hidden: hidden.len(),
            model: Measures::of(fm, rm, ranked.len(), hidden.len()),
            random: Measures::of(fr, rr, random.len(), hidden.len()),
        });
    }
    let summary = model.summary();
    Evaluation {
        k: options.k,
        seed: options.seed,
        unit: options.model.unit,
        stem: options.model.stem,
        units: summary.units,
        words: summary.words,
        codes,
        skipped,
        model: Measures::of(found_m, rel_m, sug_m, hidden_all),
        random: Measures::of(found_r, rel_r, sug_r, hidden_all),
    }
}
