//! The lexical model: units, TF-IDF vectors with the project's own stop words, an inverted
//! index, one Rocchio profile per code, ranking and explanations (see the module docs of
//! [`crate::suggest`]).

use super::tokens::for_each_word;
use super::{thousandths, CodeSuggestion, ModelSummary, SuggestOptions, Suggestion, UnitKind};
use super::{STOP_MIN_UNITS, STOP_SHARE};
use crate::autocode::sentence_breaks;
use crate::ids::{CodeId, SourceId};
use crate::project::{Project, Source};
use crate::span::Span;
use crate::text::{paragraphs, trim_span};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// A sparse vector: (term, weight) sorted by term, of length 1 (or empty).
pub(super) type Vector = Vec<(u32, f32)>;

/// How many words explain a suggestion.
const WORDS_SHOWN: usize = 5;

/// The weight of the nearest positive in a score (the profile has the rest).
const NEAREST: f32 = 0.5;

/// How much the negatives' mean is taken from the positives' mean (Rocchio's gamma).
const GAMMA: f32 = 0.5;

/// The units of `source` for `kind`, in order, never reaching outside the speaker turn they lie
/// in, trimmed of white space (see [`UnitKind`]).
pub fn units(source: &Source, kind: UnitKind) -> Vec<Span> {
    let text: &str = &source.text;
    let mut turns: Vec<Span> = source
        .turns
        .iter()
        .map(|t| t.span)
        .filter(|s| s.start < s.end && s.is_valid_for(text))
        .collect();
    turns.sort_unstable();
    // Paragraphs clipped to the turns they overlap (a label before a turn is left out).
    let mut pieces: Vec<Span> = Vec::new();
    for p in paragraphs(text) {
        let from = turns.partition_point(|t| t.end <= p.start);
        let mut clipped = false;
        for t in turns.iter().skip(from).take_while(|t| t.start < p.end) {
            clipped = true;
            pieces.push(Span::new(p.start.max(t.start), p.end.min(t.end)));
        }
        if !clipped {
            pieces.push(p);
        }
    }
    let mut out: Vec<Span> = Vec::new();
    match kind {
        UnitKind::Paragraph => out.extend(pieces.into_iter().filter_map(|p| trim_span(text, p))),
        UnitKind::Sentence => {
            for p in pieces {
                let slice = text.get(p.start..p.end).unwrap_or("");
                let mut start = p.start;
                for (end, next) in sentence_breaks(slice) {
                    if next.is_none_or(char::is_whitespace) {
                        out.extend(trim_span(text, Span::new(start, p.start + end)));
                        start = p.start + end;
                    }
                }
                out.extend(trim_span(text, Span::new(start, p.end)));
            }
        }
        UnitKind::Turn => {
            out.extend(turns.iter().filter_map(|t| trim_span(text, *t)));
            for p in pieces {
                let i = turns.partition_point(|t| t.end <= p.start);
                let inside = turns.get(i).is_some_and(|t| t.start < p.end);
                if !inside {
                    out.extend(trim_span(text, p));
                }
            }
            out.sort_unstable();
            out.dedup();
        }
    }
    out
}

/// One unit of the model.
#[derive(Clone, Debug)]
pub(super) struct Unit {
    /// Index into [`Model::sources`].
    pub(super) source: u32,
    pub(super) span: Span,
    /// Of a chosen source: it may be suggested.
    pub(super) candidate: bool,
    pub(super) vector: Vector,
}

/// A passage that stands for a code (a coded segment or an accepted passage) or against it (a
/// rejected one).
#[derive(Clone, Debug)]
pub(super) struct Example {
    pub(super) vector: Vector,
    pub(super) source: u32,
    pub(super) span: Span,
}

/// What the model knows of one code.
#[derive(Clone, Debug, Default)]
pub(super) struct CodeModel {
    pub(super) positives: Vec<Example>,
    pub(super) negatives: Vec<Example>,
    /// Units a coding of the code (or an accepted answer) touches: never suggested.
    pub(super) covered: BTreeSet<u32>,
    /// Units rejected for the code: never suggested again.
    pub(super) rejected: BTreeSet<u32>,
    /// The rejected passages, kept across rebuilds.
    pub(super) rejected_spans: Vec<(SourceId, Span)>,
    /// Rocchio's profile.
    pub(super) profile: Vector,
    /// Every unit's best similarity to one positive, made on the first ask and then kept up
    /// to date by each accepted passage (so an answer does not compare every positive again).
    pub(super) nearest: std::cell::OnceCell<Nearest>,
}

/// Per unit (same index as [`Model::units`]): its highest dot product with one positive, and
/// that positive's index (`u32::MAX`: none).
#[derive(Clone, Debug, Default)]
pub(super) struct Nearest {
    best: Vec<f32>,
    of: Vec<u32>,
}

impl Nearest {
    /// The nearest positives of `n` units to `positives`.
    fn of(postings: &[Vec<(u32, f32)>], n: usize, positives: &[Example]) -> Self {
        let mut near = Self {
            best: vec![0.0; n],
            of: vec![u32::MAX; n],
        };
        let mut acc = vec![0.0f32; n];
        let mut touched = Vec::new();
        for (pi, p) in positives.iter().enumerate() {
            near.add(postings, pi as u32, &p.vector, &mut acc, &mut touched);
        }
        near
    }

    /// Takes positive `pi` (of `vector`) into account: a unit nearer to it than to every
    /// earlier positive takes it as its nearest. `acc` (all zero, one per unit) and `touched`
    /// are scratch space, left as they came.
    fn add(
        &mut self,
        postings: &[Vec<(u32, f32)>],
        pi: u32,
        vector: &[(u32, f32)],
        acc: &mut [f32],
        touched: &mut Vec<u32>,
    ) {
        for &(t, w) in vector {
            for &(u, x) in postings.get(t as usize).map_or(&[][..], |p| p) {
                if let Some(a) = acc.get_mut(u as usize) {
                    if *a == 0.0 {
                        touched.push(u);
                    }
                    *a += w * x;
                }
            }
        }
        for u in touched.drain(..) {
            let i = u as usize;
            if let (Some(a), Some(b), Some(o)) = (
                acc.get(i).copied(),
                self.best.get_mut(i),
                self.of.get_mut(i),
            ) {
                if a > *b {
                    *b = a;
                    *o = pi;
                }
            }
            if let Some(a) = acc.get_mut(i) {
                *a = 0.0;
            }
        }
    }
}

/// The model of a project (see the module docs of [`crate::suggest`]): built once, then
/// updated by answers.
#[derive(Clone, Debug)]
pub struct Model {
    options: SuggestOptions,
    pub(super) sources: Vec<Arc<Source>>,
    /// Per source (same index), the range of its units in `units`.
    ranges: Vec<(usize, usize)>,
    pub(super) units: Vec<Unit>,
    vocab: HashMap<String, u32>,
    idf: Vec<f32>,
    /// Per term, the number of units holding it.
    df: Vec<u32>,
    /// Per term, the units holding it and its weight there, in unit order.
    postings: Vec<Vec<(u32, f32)>>,
    pub(super) codes: BTreeMap<CodeId, CodeModel>,
    words: usize,
}

/// Counted term ids → a weighted vector of length 1 (terms of weight 0 left out).
fn weigh(ids: &mut [u32], idf: &[f32]) -> Vector {
    ids.sort_unstable();
    let mut out: Vector = Vec::new();
    let mut i = 0;
    while let Some(&t) = ids.get(i) {
        let run = ids.iter().skip(i).take_while(|&&x| x == t).count();
        i += run;
        let w = (1.0 + (run as f32).ln()) * idf.get(t as usize).copied().unwrap_or(0.0);
        if w > 0.0 {
            out.push((t, w));
        }
    }
    normalise(&mut out);
    out
}

fn normalise(v: &mut Vector) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

/// The dot product of two sparse vectors.
fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while let (Some(&(ta, wa)), Some(&(tb, wb))) = (a.get(i), b.get(j)) {
        match ta.cmp(&tb) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += wa * wb;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The weight of `term` in `v` (0 when absent).
fn weight(v: &[(u32, f32)], term: u32) -> f32 {
    v.binary_search_by_key(&term, |(t, _)| *t)
        .ok()
        .and_then(|i| v.get(i))
        .map_or(0.0, |(_, w)| *w)
}

/// Rocchio's profile of a code: mean of the positives minus [`GAMMA`] × mean of the negatives,
/// negative weights dropped, length 1.
fn profile(positives: &[Example], negatives: &[Example]) -> Vector {
    if positives.is_empty() {
        return Vec::new();
    }
    let mut sum: BTreeMap<u32, f32> = BTreeMap::new();
    let p = 1.0 / positives.len() as f32;
    for e in positives {
        for &(t, w) in &e.vector {
            *sum.entry(t).or_default() += w * p;
        }
    }
    if !negatives.is_empty() {
        let n = GAMMA / negatives.len() as f32;
        for e in negatives {
            for &(t, w) in &e.vector {
                *sum.entry(t).or_default() -= w * n;
            }
        }
    }
    let mut out: Vector = sum.into_iter().filter(|(_, w)| *w > 0.0).collect();
    normalise(&mut out);
    out
}

impl Model {
    /// Builds the model of `project` (see the module docs of [`crate::suggest`]).
    pub fn build(project: &Project, options: &SuggestOptions) -> Self {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        let mut raw: Vec<(u32, Span, bool, Vec<u32>)> = Vec::new();
        let mut ranges = Vec::with_capacity(project.sources.len());
        let mut words = 0;
        for (si, source) in project.sources.iter().enumerate() {
            let candidate = options.sources.is_empty() || options.sources.contains(&source.id);
            let first = raw.len();
            for span in units(source, options.unit) {
                let mut ids: Vec<u32> = Vec::new();
                let slice = source.text.get(span.start..span.end).unwrap_or("");
                for_each_word(slice, options.stem, |_, _, term| {
                    let id = match vocab.get(term) {
                        Some(&id) => id,
                        None => {
                            let id = df.len() as u32;
                            vocab.insert(term.to_string(), id);
                            df.push(0);
                            id
                        }
                    };
                    ids.push(id);
                });
                words += ids.len();
                ids.sort_unstable();
                let mut last = None;
                for &t in &ids {
                    if last != Some(t) {
                        if let Some(d) = df.get_mut(t as usize) {
                            *d += 1;
                        }
                        last = Some(t);
                    }
                }
                raw.push((si as u32, span, candidate, ids));
            }
            ranges.push((first, raw.len()));
        }
        let n = raw.len() as f32;
        let stops = raw.len() >= STOP_MIN_UNITS;
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| {
                if d == 0 || (stops && d as f32 > STOP_SHARE * n) {
                    0.0
                } else {
                    (1.0 + n / d as f32).ln()
                }
            })
            .collect();
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); idf.len()];
        let units: Vec<Unit> = raw
            .into_iter()
            .enumerate()
            .map(|(u, (source, span, candidate, mut ids))| {
                let vector = weigh(&mut ids, &idf);
                for &(t, w) in &vector {
                    if let Some(list) = postings.get_mut(t as usize) {
                        list.push((u as u32, w));
                    }
                }
                Unit {
                    source,
                    span,
                    candidate,
                    vector,
                }
            })
            .collect();
        let mut model = Self {
            options: options.clone(),
            sources: project.sources.clone(),
            ranges,
            units,
            vocab,
            idf,
            df,
            postings,
            codes: BTreeMap::new(),
            words,
        };
        let mut by_code: BTreeMap<CodeId, Vec<(u32, Span)>> = BTreeMap::new();
        for (si, source) in project.sources.iter().enumerate() {
            for coding in project.codings_of(source.id) {
                if coding.span.is_valid_for(&source.text) {
                    by_code
                        .entry(coding.code)
                        .or_default()
                        .push((si as u32, coding.span));
                }
            }
        }
        for (code, codings) in by_code {
            let cm = model.code_model(&codings);
            model.codes.insert(code, cm);
        }
        model
    }

    /// The options it was built with.
    pub fn options(&self) -> &SuggestOptions {
        &self.options
    }

    /// What it holds, in numbers.
    pub fn summary(&self) -> ModelSummary {
        ModelSummary {
            units: self.units.len(),
            candidates: self.units.iter().filter(|u| u.candidate).count(),
            words: self.words,
            terms: self.idf.len(),
            stop_words: self.idf.iter().filter(|w| **w == 0.0).count(),
            codes: self
                .codes
                .values()
                .filter(|c| !c.positives.is_empty())
                .count(),
        }
    }

    /// The project's stop words (in the most units first, then alphabetical).
    pub fn stop_words(&self) -> Vec<String> {
        let mut stops: Vec<(&str, u32)> = self
            .vocab
            .iter()
            .filter(|(_, &id)| self.idf.get(id as usize).is_some_and(|w| *w == 0.0))
            .map(|(t, &id)| (t.as_str(), self.df.get(id as usize).copied().unwrap_or(0)))
            .collect();
        stops.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        stops.into_iter().map(|(t, _)| t.to_string()).collect()
    }

    /// The source index of `id` in the model.
    fn source_index(&self, id: SourceId) -> Option<u32> {
        self.sources
            .iter()
            .position(|s| s.id == id)
            .map(|i| i as u32)
    }

    /// The vector of a passage of text (words unknown to the model weigh nothing).
    pub(super) fn vector_of(&self, text: &str) -> Vector {
        let mut ids = Vec::new();
        for_each_word(text, self.options.stem, |_, _, term| {
            if let Some(&id) = self.vocab.get(term) {
                ids.push(id);
            }
        });
        weigh(&mut ids, &self.idf)
    }

    /// The text of `span` in source `source` ("" when it does not fit).
    pub(super) fn text(&self, source: u32, span: Span) -> &str {
        self.sources
            .get(source as usize)
            .and_then(|s| s.text.get(span.start..span.end))
            .unwrap_or("")
    }

    /// The units of source `source` that `span` touches.
    pub(super) fn units_touching(&self, source: u32, span: Span) -> impl Iterator<Item = u32> + '_ {
        let (from, to) = self.ranges.get(source as usize).copied().unwrap_or((0, 0));
        let slice = self.units.get(from..to).unwrap_or(&[]);
        let first = slice.partition_point(|u| u.span.end <= span.start);
        slice
            .iter()
            .enumerate()
            .skip(first)
            .take_while(move |(_, u)| u.span.start < span.end)
            .map(move |(i, _)| (from + i) as u32)
    }

    /// A code's model from its coded segments (source index, span).
    pub(super) fn code_model(&self, codings: &[(u32, Span)]) -> CodeModel {
        let mut cm = CodeModel::default();
        for &(source, span) in codings {
            cm.covered.extend(self.units_touching(source, span));
            let vector = self.vector_of(self.text(source, span));
            cm.positives.push(Example {
                vector,
                source,
                span,
            });
        }
        cm.profile = profile(&cm.positives, &cm.negatives);
        cm
    }

    /// Every unit's score for a code, and the positive nearest to it (`u32::MAX`: none).
    fn scores<'a>(&self, cm: &'a CodeModel) -> (Vec<f32>, &'a [u32]) {
        let n = self.units.len();
        let mut score = vec![0.0f32; n];
        for &(t, w) in &cm.profile {
            for &(u, x) in self.postings.get(t as usize).map_or(&[][..], |p| p) {
                if let Some(s) = score.get_mut(u as usize) {
                    *s += (1.0 - NEAREST) * w * x;
                }
            }
        }
        let near = cm
            .nearest
            .get_or_init(|| Nearest::of(&self.postings, n, &cm.positives));
        for (s, b) in score.iter_mut().zip(&near.best) {
            *s += NEAREST * b;
        }
        (score, &near.of)
    }

    /// The units that may be suggested for a code, best first: (unit, score, nearest positive).
    pub(super) fn ranked(&self, cm: &CodeModel, limit: usize) -> Vec<(u32, f32, u32)> {
        if cm.positives.is_empty() || limit == 0 {
            return Vec::new();
        }
        let (score, best_of) = self.scores(cm);
        let mut ranked: Vec<(u32, f32, u32)> = score
            .iter()
            .zip(best_of)
            .enumerate()
            .filter(|(u, (s, _))| {
                **s > 0.0
                    && self.units.get(*u).is_some_and(|x| x.candidate)
                    && !cm.covered.contains(&(*u as u32))
                    && !cm.rejected.contains(&(*u as u32))
            })
            .map(|(u, (s, b))| (u as u32, *s, *b))
            .collect();
        let order = |a: &(u32, f32, u32), b: &(u32, f32, u32)| {
            b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0))
        };
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        ranked
    }

    /// The units that may be suggested for a code, not ranked (in document order).
    pub(super) fn candidates(&self, cm: &CodeModel) -> Vec<u32> {
        (0..self.units.len() as u32)
            .filter(|u| {
                self.units.get(*u as usize).is_some_and(|x| x.candidate)
                    && !cm.covered.contains(u)
                    && !cm.rejected.contains(u)
            })
            .collect()
    }

    /// The words of `text` (at byte `base` of source `source`) that weigh most for `weigh_term`:
    /// their first spelling, most first, and every place they occur.
    fn explain(
        &self,
        source: u32,
        span: Span,
        vector: &[(u32, f32)],
        weigh_term: impl Fn(u32) -> f32,
    ) -> (Vec<String>, Vec<Span>) {
        let mut weighed: Vec<(u32, f32)> = vector
            .iter()
            .map(|&(t, x)| (t, x * weigh_term(t)))
            .filter(|(_, c)| *c > 0.0)
            .collect();
        weighed.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        weighed.truncate(WORDS_SHOWN);
        let mut spelled: Vec<Option<String>> = vec![None; weighed.len()];
        let mut highlights = Vec::new();
        let text = self.text(source, span);
        for_each_word(text, self.options.stem, |start, end, term| {
            let Some(&id) = self.vocab.get(term) else {
                return;
            };
            if let Some(i) = weighed.iter().position(|(t, _)| *t == id) {
                highlights.push(Span::new(span.start + start, span.start + end));
                if let Some(slot @ None) = spelled.get_mut(i) {
                    *slot = text.get(start..end).map(str::to_string);
                }
            }
        });
        (spelled.into_iter().flatten().collect(), highlights)
    }

    /// The suggestion for unit `u` with its score and nearest positive.
    fn suggestion(&self, cm: &CodeModel, u: u32, score: f32, nearest: u32) -> Option<Suggestion> {
        let unit = self.units.get(u as usize)?;
        let source = self.sources.get(unit.source as usize)?;
        let near = cm.positives.get(nearest as usize).map(|p| &p.vector[..]);
        let (words, highlights) = self.explain(unit.source, unit.span, &unit.vector, |t| {
            (1.0 - NEAREST) * weight(&cm.profile, t) + NEAREST * near.map_or(0.0, |v| weight(v, t))
        });
        Some(Suggestion {
            source: source.id,
            span: unit.span,
            score: thousandths(score),
            text: self.text(unit.source, unit.span).to_string(),
            words,
            highlights,
        })
    }

    /// "Find more like this": at most `limit` units for `code`, best first (see the module docs
    /// of [`crate::suggest`]). Empty when the code has no coded segment yet.
    pub fn suggest(&self, code: CodeId, limit: usize) -> Vec<Suggestion> {
        let Some(cm) = self.codes.get(&code) else {
            return Vec::new();
        };
        self.ranked(cm, limit)
            .into_iter()
            .filter_map(|(u, s, b)| self.suggestion(cm, u, s, b))
            .collect()
    }

    /// The researcher's answer to a suggestion (or any passage): accepted, it stands for `code`
    /// (a positive) and is not suggested again; rejected, it stands against it (a negative) and
    /// never comes back for `code`. Only this code's profile is recomputed. The error is a
    /// sentence (a source the model does not know, a span that does not fit its text).
    pub fn answer(
        &mut self,
        code: CodeId,
        source: SourceId,
        span: Span,
        accepted: bool,
    ) -> Result<(), String> {
        let si = self.passage_source(source, span)?;
        let (from, to) = self.ranges.get(si as usize).copied().unwrap_or((0, 0));
        let exact = self
            .units
            .get(from..to)
            .and_then(|us| us.iter().position(|u| u.span == span))
            .map(|i| (from + i) as u32);
        let vector = match exact.and_then(|u| self.units.get(u as usize)) {
            Some(unit) => unit.vector.clone(),
            None => self.vector_of(self.text(si, span)),
        };
        let touched: Vec<u32> = match exact {
            Some(u) => vec![u],
            None => self.units_touching(si, span).collect(),
        };
        let example = Example {
            vector,
            source: si,
            span,
        };
        let cm = self.codes.entry(code).or_default();
        if accepted {
            if let Some(near) = cm.nearest.get_mut() {
                let pi = cm.positives.len() as u32;
                let mut acc = vec![0.0f32; self.units.len()];
                near.add(
                    &self.postings,
                    pi,
                    &example.vector,
                    &mut acc,
                    &mut Vec::new(),
                );
            }
            cm.positives.push(example);
            cm.covered.extend(touched);
        } else {
            cm.negatives.push(example);
            cm.rejected.extend(touched);
            cm.rejected_spans.push((source, span));
        }
        cm.profile = profile(&cm.positives, &cm.negatives);
        Ok(())
    }

    /// Carries the rejections of an older model of the same project into this one (after the
    /// project changed and the model was built again), so rejected passages stay away. Accepted
    /// passages are not carried: accepting codes them, so they are coded segments now (or the
    /// coding was undone).
    pub fn keep_answers(&mut self, old: &Model) {
        for (code, cm) in &old.codes {
            for (source, span) in &cm.rejected_spans {
                // A passage whose source or text changed is simply forgotten.
                let _ = self.answer(*code, *source, *span, false);
            }
        }
    }

    /// The index of `source` in the model, if `span` is a passage of its text; the error is
    /// a sentence.
    fn passage_source(&self, source: SourceId, span: Span) -> Result<u32, String> {
        let si = self.source_index(source).ok_or_else(|| {
            "this source is not in the suggestions' model: build it again".to_string()
        })?;
        let fits = self
            .sources
            .get(si as usize)
            .is_some_and(|s| span.start < span.end && span.is_valid_for(&s.text));
        if !fits {
            return Err("this passage is not in its source any more".to_string());
        }
        Ok(si)
    }

    /// "Suggest codes": at most `limit` codes whose coded segments the passage `span` of
    /// `source` most resembles, best first, with the words behind each; codes that already
    /// cover the whole passage are left out. The error is a sentence.
    pub fn suggest_codes(
        &self,
        source: SourceId,
        span: Span,
        limit: usize,
    ) -> Result<Vec<CodeSuggestion>, String> {
        let si = self.passage_source(source, span)?;
        let v = self.vector_of(self.text(si, span));
        let mut found: Vec<(f32, usize, CodeId, Option<usize>)> = Vec::new();
        for (order, (code, cm)) in self.codes.iter().enumerate() {
            if cm.positives.is_empty() {
                continue;
            }
            let mut nearest: Option<(usize, f32)> = None;
            let mut covers = false;
            for (i, p) in cm.positives.iter().enumerate() {
                let same_place =
                    p.source == si && p.span.start < span.end && span.start < p.span.end;
                if same_place {
                    covers |= p.span.start <= span.start && span.end <= p.span.end;
                    continue;
                }
                let d = dot(&v, &p.vector);
                if d > nearest.map_or(0.0, |(_, b)| b) {
                    nearest = Some((i, d));
                }
            }
            if covers {
                continue;
            }
            let score =
                (1.0 - NEAREST) * dot(&v, &cm.profile) + NEAREST * nearest.map_or(0.0, |(_, d)| d);
            if score > 0.0 {
                found.push((score, order, *code, nearest.map(|(i, _)| i)));
            }
        }
        found.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found.truncate(limit);
        Ok(found
            .into_iter()
            .map(|(score, _, code, nearest)| {
                let cm = self.codes.get(&code);
                let profile = cm.map_or(&[][..], |c| &c.profile[..]);
                let near = nearest
                    .and_then(|i| cm.and_then(|c| c.positives.get(i)))
                    .map(|p| &p.vector[..]);
                let (words, _) = self.explain(si, span, &v, |t| {
                    (1.0 - NEAREST) * weight(profile, t)
                        + NEAREST * near.map_or(0.0, |n| weight(n, t))
                });
                CodeSuggestion {
                    code,
                    score: thousandths(score),
                    words,
                }
            })
            .collect())
    }
}
