//! Editing a source's text while its codings and speaker turns stay on the same words.
//!
//! A change to a text is a list of [`TextEdit`]s (a replaced range of the old text and what
//! replaces it), sorted and non-overlapping. [`diff_edit`] finds the one changed range between
//! two versions of a text (what a text area commits while the researcher types);
//! [`edit_source`] applies edits to a project: the text changes and every coding and turn of that
//! source is mapped through the edits, keeping its id (matrix quote references keep resolving).
//!
//! Mapping rules for a coding `[s, e)` and an edit replacing `[a, b)` with `L` bytes:
//! - edit entirely before or after the coding (including a non-empty edit that only touches the
//!   coding's outer edge): the coding shifts by the length change, or stays;
//! - a pure insertion (`a == b`) exactly at `s` or `e` does **not** extend the coding (typing
//!   next to coded text); it shifts the coding when at `s`;
//! - an edit inside the coding, including one touching its inner edges with a non-empty
//!   replaced range, grows or shrinks the coding by the length change;
//! - an edit overlapping one end of the coding (`a < s < b < e` or `s < a < e < b`) shrinks the
//!   coding to its surviving words (the replacement text is not added to it);
//! - a coding lying entirely inside a replaced range covers the replacement when the replacement
//!   is non-empty (a name replaced by a pseudonym, a word retyped), and is **removed** and
//!   reported when its text is simply deleted.
//!
//! Speaker turns map the same way, except that an insertion exactly at a turn's end extends that
//! turn (text typed at a boundary belongs to the turn before), and a turn whose text is deleted
//! disappears. Results are snapped inward to character boundaries and are never empty.
//!
//! Two codings of the same code that end up on the same span are stored once (the invariant of
//! [`crate::Project::codings`]); quote references to the dropped one are rewritten to the one
//! kept.

use crate::ids::{CaseId, CodeId, CodingId, MatrixId, SetId, SourceId};
use crate::model::case::{AttrValue, AttributeKind};
use crate::model::error::ActionError;
use crate::model::place::Place;
use crate::project::{Coding, Project, Source, Span, Turn};
use crate::sort::Gather;
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::sync::Arc;

/// One replacement in a text: the bytes `span` of the old text are replaced by `with`.
/// An empty `span` is an insertion at `span.start`; an empty `with` is a deletion.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TextEdit {
    /// The replaced range in the old text (UTF-8 bytes, on char boundaries; may be empty).
    pub span: Span,
    /// The new text for that range (LF line endings).
    pub with: String,
}

/// What an edit did to the codings of a source.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct EditReport {
    /// Codings whose text was deleted entirely: removed from the project (as they were before).
    pub removed: Vec<Coding>,
    /// Codings that lost words at one end (an edit overlapped that end).
    pub shrunk: usize,
    /// Codings whose offsets changed but that kept their words (shifted, or an edit inside).
    pub moved: usize,
    /// Codings dropped because they ended up on the same span as a coding of the same code
    /// (quote references to them now point at the one kept).
    pub merged: usize,
    /// Annotations whose passage was deleted entirely: removed with it.
    pub removed_annotations: Vec<crate::project::Annotation>,
}

impl EditReport {
    /// Adds another report (edits of several sources) to this one.
    pub fn absorb(&mut self, other: EditReport) {
        self.removed.extend(other.removed);
        self.shrunk += other.shrunk;
        self.moved += other.moved;
        self.merged += other.merged;
        self.removed_annotations.extend(other.removed_annotations);
    }
}

/// The single changed range between `old` and `new`: their common prefix and suffix (cut on
/// char boundaries) are kept, the rest of `old` is replaced by the rest of `new`. `None` when
/// the texts are equal.
pub fn diff_edit(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !(old.is_char_boundary(prefix) && new.is_char_boundary(prefix)) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !(old.is_char_boundary(old.len() - suffix) && new.is_char_boundary(new.len() - suffix)) {
        suffix -= 1;
    }
    Some(TextEdit {
        span: Span::new(prefix, old.len() - suffix),
        with: new.get(prefix..new.len() - suffix)?.to_string(),
    })
}

/// Checks that `edits` fit `text`: ranges in bounds, on char boundaries, sorted and not
/// overlapping (an insertion may sit at the end of the previous range).
pub fn check_edits(text: &str, edits: &[TextEdit]) -> Result<(), Span> {
    let mut last_end = 0usize;
    for e in edits {
        let s = e.span;
        let fits = s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
            && s.start >= last_end;
        if !fits {
            return Err(s);
        }
        last_end = s.end;
    }
    Ok(())
}

/// `text` with `edits` applied (they must pass [`check_edits`]).
pub fn apply_to_text(text: &str, edits: &[TextEdit]) -> String {
    let grown: usize = edits.iter().map(|e| e.with.len()).sum();
    let mut out = String::with_capacity(text.len() + grown);
    let mut at = 0usize;
    for e in edits {
        out.push_str(text.get(at..e.span.start).unwrap_or(""));
        out.push_str(&e.with);
        at = e.span.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

/// Precomputed offsets for mapping many spans through one sorted list of edits.
struct Mapper<'a> {
    edits: &'a [TextEdit],
    /// `shift[i]`: total length change of `edits[..i]`.
    shift: Vec<isize>,
}

/// How a span came through the edits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mapped {
    /// Same words (maybe shifted, maybe grown or shrunk from inside).
    Kept(Span),
    /// Lost words at an end.
    Shrunk(Span),
    /// Its text was deleted.
    Gone,
}

impl<'a> Mapper<'a> {
    fn new(edits: &'a [TextEdit]) -> Self {
        let mut shift = Vec::with_capacity(edits.len() + 1);
        let mut total = 0isize;
        shift.push(0);
        for e in edits {
            total += e.with.len() as isize - e.span.len() as isize;
            shift.push(total);
        }
        Self { edits, shift }
    }

    fn at(&self, pos: usize, i: usize) -> usize {
        (pos as isize + self.shift.get(i).copied().unwrap_or(0)).max(0) as usize
    }

    /// Maps `[s, e)`; `extend_at_end`: an insertion exactly at `e` joins the span (turns).
    fn map(&self, span: Span, extend_at_end: bool) -> Mapped {
        let (s, e) = (span.start, span.end);
        let edits = self.edits;
        // First edit not entirely before the start (an insertion at `s` counts as before).
        let i = edits.partition_point(|ed| ed.span.end <= s);
        if let Some(ed) = edits.get(i) {
            if ed.span.start <= s && e <= ed.span.end {
                // The whole span lies inside a replaced range.
                let start = self.at(ed.span.start, i);
                return if ed.with.is_empty() {
                    Mapped::Gone
                } else {
                    Mapped::Kept(Span::new(start, start + ed.with.len()))
                };
            }
        }
        let mut shrunk = false;
        let new_start = match edits.get(i) {
            Some(ed) if ed.span.start < s => {
                shrunk = true;
                self.at(ed.span.start, i) + ed.with.len()
            }
            _ => self.at(s, i),
        };
        // Edits that start before the end (and insertions at the end, for turns).
        let j = edits.partition_point(|ed| {
            ed.span.start < e || (extend_at_end && ed.span.start == e && ed.span.is_empty())
        });
        let new_end = match j
            .checked_sub(1)
            .and_then(|k| edits.get(k).map(|ed| (k, ed)))
        {
            Some((k, ed)) if ed.span.end > e => {
                shrunk = true;
                self.at(ed.span.start, k)
            }
            _ => self.at(e, j),
        };
        if new_start >= new_end {
            Mapped::Gone
        } else if shrunk {
            Mapped::Shrunk(Span::new(new_start, new_end))
        } else {
            Mapped::Kept(Span::new(new_start, new_end))
        }
    }
}

/// Snaps `span` inward to char boundaries of `text`; `None` if nothing remains.
fn snap(text: &str, span: Span) -> Option<Span> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.min(text.len());
    while start < end && !text.is_char_boundary(start) {
        start += 1;
    }
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    (start < end).then_some(Span::new(start, end))
}

/// Applies `edits` to the text of `source` in `p`, mapping its codings and turns; returns what
/// happened to the codings. Validates first: on error `p` is unchanged.
pub(crate) fn edit_in_place(
    p: &mut Project,
    source: SourceId,
    edits: &[TextEdit],
) -> Result<EditReport, ActionError> {
    let old: Arc<Source> = p
        .source(source)
        .cloned()
        .ok_or(ActionError::UnknownSource(source))?;
    if let Err(span) = check_edits(&old.text, edits) {
        return Err(ActionError::InvalidSpan {
            source,
            start: span.start,
            end: span.end,
        });
    }
    let mut report = EditReport::default();
    if edits.is_empty() {
        return Ok(report);
    }
    let text = apply_to_text(&old.text, edits);
    let mapper = Mapper::new(edits);

    let turns: Vec<Turn> = old
        .turns
        .iter()
        .filter_map(|t| {
            let span = match mapper.map(t.span, true) {
                Mapped::Kept(s) | Mapped::Shrunk(s) => snap(&text, s)?,
                Mapped::Gone => return None,
            };
            Some(Turn { span, ..t.clone() })
        })
        .collect();

    let mut remap: HashMap<CodingId, CodingId> = HashMap::new();
    if let Some(list) = p.codings.get(&source).cloned() {
        let mut kept: Vec<Coding> = Vec::with_capacity(list.len());
        for c in list.iter() {
            let (span, was_shrunk) = match mapper.map(c.span, false) {
                Mapped::Kept(s) => (snap(&text, s), false),
                Mapped::Shrunk(s) => (snap(&text, s), true),
                Mapped::Gone => (None, false),
            };
            match span {
                None => report.removed.push(c.clone()),
                Some(span) => {
                    if was_shrunk {
                        report.shrunk += 1;
                    } else if span != c.span {
                        report.moved += 1;
                    }
                    kept.push(Coding { span, ..c.clone() });
                }
            }
        }
        crate::sort::sort_by_key(&mut kept, |c| (c.span.start, c.span.end, c.id));
        // The same code on the same span is stored once: keep the first (smallest id).
        let mut seen: HashMap<(crate::ids::CodeId, Span), CodingId> = HashMap::new();
        kept.retain(|c| match seen.get(&(c.code, c.span)) {
            Some(first) => {
                remap.insert(c.id, *first);
                report.merged += 1;
                false
            }
            None => {
                seen.insert((c.code, c.span), c.id);
                true
            }
        });
        if kept.is_empty() {
            p.codings.remove(&source);
        } else {
            p.codings.insert(source, Arc::new(kept));
        }
    }
    if !remap.is_empty() {
        for m in p.matrices.iter_mut() {
            let mentions = m
                .cells
                .values()
                .flat_map(|r| r.values())
                .chain(m.case_summaries.values())
                .any(|t| t.contains(crate::model::matrix::QUOTE_OPEN));
            if mentions {
                let m = Arc::make_mut(m);
                for row in m.cells.values_mut() {
                    for t in row.values_mut() {
                        *t = crate::model::matrix::remap_quotes(t, &remap);
                    }
                }
                for t in m.case_summaries.values_mut() {
                    *t = crate::model::matrix::remap_quotes(t, &remap);
                }
            }
        }
    }
    // Annotations follow their words as codings do (and the coding that stayed, when theirs
    // was merged away); one whose passage is deleted goes with it.
    if p.annotations.iter().any(|a| a.source == source) {
        let mut kept = Vec::with_capacity(p.annotations.len());
        for a in std::mem::take(&mut p.annotations) {
            if a.source != source {
                kept.push(a);
                continue;
            }
            let span = match mapper.map(a.span, false) {
                Mapped::Kept(s) | Mapped::Shrunk(s) => snap(&text, s),
                Mapped::Gone => None,
            };
            match span {
                Some(span) => kept.push(crate::project::Annotation {
                    span,
                    coding: a.coding.map(|c| remap.get(&c).copied().unwrap_or(c)),
                    ..a
                }),
                None => report.removed_annotations.push(a),
            }
        }
        p.annotations = kept;
    }
    if let Some(slot) = p.sources.iter_mut().find(|s| s.id == source) {
        let s = Arc::make_mut(slot);
        s.text = text.into();
        s.turns = turns;
    }
    Ok(report)
}

/// The project after applying `edits` (sorted, non-overlapping ranges of the current text) to
/// one source, and what happened to its codings. The project passed in is not changed.
pub fn edit_source(
    project: &Project,
    source: SourceId,
    edits: &[TextEdit],
) -> Result<(Project, EditReport), ActionError> {
    let mut next = project.clone();
    let report = edit_in_place(&mut next, source, edits)?;
    Ok((next, report))
}

/// The edit that turns the source's current text into `text` (line endings normalised first),
/// or `None` if nothing changes (or the source does not exist).
pub fn source_text_edit(project: &Project, source: SourceId, text: &str) -> Option<TextEdit> {
    let old = project.source(source)?;
    diff_edit(&old.text, &crate::text::normalize_newlines(text))
}

/// What replacing the source's text by `text` would do (as [`crate::Action::EditSourceText`]
/// does): the next project and the report. Used by the UI to tell the researcher which codings
/// lost their text.
pub fn edit_source_text(
    project: &Project,
    source: SourceId,
    text: &str,
) -> Result<(Project, EditReport), ActionError> {
    if project.source(source).is_none() {
        return Err(ActionError::UnknownSource(source));
    }
    let edits: Vec<TextEdit> = source_text_edit(project, source, text)
        .into_iter()
        .collect();
    edit_source(project, source, &edits)
}

// ---- Replacing words in every place (pseudonymisation) ----

/// `value` with `edits` (sorted, non-overlapping ranges of `value`) applied.
fn edited(value: &str, edits: &[TextEdit]) -> Result<String, ActionError> {
    let mut out = String::with_capacity(value.len());
    let mut at = 0;
    for e in edits {
        let bad = || ActionError::ChangedSincePreview(format!("text “{value}”"));
        if e.span.start < at || !e.span.is_valid_for(value) {
            return Err(bad());
        }
        out.push_str(value.get(at..e.span.start).ok_or_else(bad)?);
        out.push_str(&e.with);
        at = e.span.end;
    }
    out.push_str(value.get(at..).unwrap_or(""));
    Ok(out)
}

fn name_of(value: String) -> Result<String, ActionError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err(ActionError::EmptyName)
    } else {
        Ok(trimmed.to_string())
    }
}

/// Applies [`crate::Action::ReplaceNames`] (see [`crate::apply`]): every place gets its edits
/// (source text through [`edit_in_place`], so codings and turns follow their words).
pub(crate) fn replace_in_place(
    p: &mut Project,
    edits: Vec<(Place, Vec<TextEdit>)>,
) -> Result<(), ActionError> {
    // Speakers renamed, per source: old label → new label.
    let mut renamed: Vec<(SourceId, String, String)> = Vec::new();
    for (place, list) in edits {
        let list: Vec<TextEdit> = list
            .into_iter()
            .map(|e| TextEdit {
                with: crate::text::normalize_newlines(&e.with),
                ..e
            })
            .collect();
        match place {
            Place::SourceText(source) => {
                edit_in_place(p, source, &list)?;
            }
            Place::ProjectName => p.name = name_of(edited(&p.name, &list)?)?,
            Place::ProjectMemo => p.memo = edited(&p.memo, &list)?,
            Place::SourceName(id) => {
                let s = source_mut(p, id)?;
                s.name = name_of(edited(&s.name, &list)?)?;
            }
            Place::SourceFile(id) => {
                let s = source_mut(p, id)?;
                let file = s.file_name.as_deref().unwrap_or("");
                s.file_name = Some(edited(file, &list)?);
            }
            Place::SourceMemo(id) => {
                let s = source_mut(p, id)?;
                s.memo = edited(&s.memo, &list)?;
            }
            Place::Speaker { source, speaker } => {
                let new = name_of(edited(&speaker, &list)?)?;
                let s = source_mut(p, source)?;
                for turn in s.turns.iter_mut() {
                    if turn.speaker.as_deref() == Some(speaker.as_str()) {
                        turn.speaker = Some(new.clone());
                    }
                }
                renamed.push((source, speaker, new));
            }
            Place::CodeName(id) => {
                let c = code_mut(p, id)?;
                c.name = name_of(edited(&c.name, &list)?)?;
            }
            Place::CodeDescription(id) => {
                let c = code_mut(p, id)?;
                c.description = edited(&c.description, &list)?;
            }
            Place::CodeMemo(id) => {
                let c = code_mut(p, id)?;
                c.memo = edited(&c.memo, &list)?;
            }
            Place::CaseName(id) => {
                let c = case_mut(p, id)?;
                c.name = name_of(edited(&c.name, &list)?)?;
            }
            Place::CaseMemo(id) => {
                let c = case_mut(p, id)?;
                c.memo = edited(&c.memo, &list)?;
            }
            Place::AttributeValue { case, attribute } => {
                let c = case_mut(p, case)?;
                match c.values.get_mut(&attribute) {
                    Some(AttrValue::Text(text)) => {
                        let new = edited(text, &list)?;
                        *text = new.trim().to_string();
                        if text.is_empty() {
                            c.values.remove(&attribute);
                        }
                    }
                    _ => return Err(ActionError::UnknownAttribute(attribute)),
                }
            }
            Place::Category { attribute, value } => {
                let new = name_of(edited(&value, &list)?)?;
                let a = p
                    .attributes
                    .iter_mut()
                    .find(|a| a.id == attribute)
                    .ok_or(ActionError::UnknownAttribute(attribute))?;
                let AttributeKind::Category(values) = &mut a.kind else {
                    return Err(ActionError::UnknownAttribute(attribute));
                };
                if values.contains(&new) {
                    values.retain(|v| *v != value);
                } else {
                    for v in values.iter_mut() {
                        if *v == value {
                            *v = new.clone();
                        }
                    }
                }
                for case in p.cases.iter_mut() {
                    if let Some(AttrValue::Category(v)) = case.values.get_mut(&attribute) {
                        if *v == value {
                            *v = new.clone();
                        }
                    }
                }
            }
            Place::MatrixName(id) => {
                let m = matrix_mut(p, id)?;
                m.name = name_of(edited(&m.name, &list)?)?;
            }
            Place::CellSummary { matrix, case, code } => {
                let m = matrix_mut(p, matrix)?;
                let text = m
                    .cells
                    .get_mut(&case)
                    .and_then(|row| row.get_mut(&code))
                    .ok_or(ActionError::UnknownCase(case))?;
                *text = edited(text, &list)?;
            }
            Place::CaseSummary { matrix, case } => {
                let m = matrix_mut(p, matrix)?;
                let text = m
                    .case_summaries
                    .get_mut(&case)
                    .ok_or(ActionError::UnknownCase(case))?;
                *text = edited(text, &list)?;
            }
            Place::SetName(id) => {
                let s = set_mut(p, id)?;
                s.name = name_of(edited(&s.name, &list)?)?;
            }
            Place::SetDescription(id) => {
                let s = set_mut(p, id)?;
                s.description = edited(&s.description, &list)?;
            }
            Place::QueryName(id) => {
                let q = query_mut(p, id)?;
                q.name = name_of(edited(&q.name, &list)?)?;
            }
            Place::QueryText(id) => {
                let q = query_mut(p, id)?;
                q.query = edited(&q.query, &list)?;
            }
            Place::Annotation(id) => {
                let a = p
                    .annotations
                    .iter_mut()
                    .find(|a| a.id == id)
                    .ok_or(ActionError::UnknownAnnotation(id))?;
                a.text = edited(&a.text, &list)?;
            }
        }
    }
    if !renamed.is_empty() {
        follow_renamed_speakers(p, &renamed);
    }
    Ok(())
}

/// Speaker links of cases and the speakers matrices leave out follow renamed speakers.
fn follow_renamed_speakers(p: &mut Project, renamed: &[(SourceId, String, String)]) {
    for case in p.cases.iter_mut() {
        let mut links = Vec::with_capacity(case.speakers.len());
        for link in &case.speakers {
            let link = match renamed
                .iter()
                .find(|(s, old, _)| *s == link.source && *old == link.speaker)
            {
                Some((_, _, new)) => crate::model::case::SpeakerLink {
                    source: link.source,
                    speaker: new.clone(),
                },
                None => link.clone(),
            };
            if !links.contains(&link) {
                links.push(link);
            }
        }
        case.speakers = links;
    }
    // Matrices leave speakers out by label, across sources, ignoring case.
    let still_used: BTreeSet<String> = p
        .sources
        .iter()
        .flat_map(|s| s.turns.iter().filter_map(|t| t.speaker.as_deref()))
        .map(str::to_lowercase)
        .to_set();
    for m in p.matrices.iter_mut() {
        let hit: Vec<&(SourceId, String, String)> = renamed
            .iter()
            .filter(|(_, old, _)| {
                m.exclude_speakers
                    .iter()
                    .any(|e| e.to_lowercase() == old.to_lowercase())
            })
            .collect();
        if hit.is_empty() {
            continue;
        }
        let m = Arc::make_mut(m);
        for (_, old, new) in hit {
            if !still_used.contains(&old.to_lowercase()) {
                m.exclude_speakers
                    .retain(|e| e.to_lowercase() != old.to_lowercase());
            }
            m.exclude_speakers.insert(new.clone());
        }
    }
}

fn source_mut(p: &mut Project, id: SourceId) -> Result<&mut crate::Source, ActionError> {
    p.sources
        .iter_mut()
        .find(|s| s.id == id)
        .map(Arc::make_mut)
        .ok_or(ActionError::UnknownSource(id))
}

fn code_mut(p: &mut Project, id: CodeId) -> Result<&mut crate::Code, ActionError> {
    p.codes
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or(ActionError::UnknownCode(id))
}

fn case_mut(p: &mut Project, id: CaseId) -> Result<&mut crate::Case, ActionError> {
    p.cases
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or(ActionError::UnknownCase(id))
}

fn matrix_mut(p: &mut Project, id: MatrixId) -> Result<&mut crate::Matrix, ActionError> {
    p.matrices
        .iter_mut()
        .find(|m| m.id == id)
        .map(Arc::make_mut)
        .ok_or(ActionError::UnknownMatrix(id))
}

fn set_mut(p: &mut Project, id: SetId) -> Result<&mut crate::CodeSet, ActionError> {
    p.sets
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or(ActionError::UnknownSet(id))
}

fn query_mut(
    p: &mut Project,
    id: crate::QueryId,
) -> Result<&mut crate::model::query::SavedQuery, ActionError> {
    p.queries
        .iter_mut()
        .find(|q| q.id == id)
        .ok_or(ActionError::UnknownQuery(id))
}
