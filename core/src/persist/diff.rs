//! Which records to write: the difference between two project values, proportional to the
//! change. Unchanged sources and coding lists are skipped by pointer (`Arc::ptr_eq`) before any
//! comparison, so a coding in a large project looks at one coding list only.

use super::saved::{
    turns_body, AnnotationV4, AttributeV2, CaseSummaryV2, CaseV3, CellV2, CodeV1, CodingV1,
    Envelope, FilterV2, Kind, MatrixV3, ProjectMemoV1, ProjectRecordV4, PseudonymV3, RowsV2, SetV2,
    SourceV4, SpeakerLinkV3, TextV3,
};
use super::{ProjectMeta, StoreName, Write};
use crate::cases::{AttrValue, Attribute, AttributeKind, Case};
use crate::ids::{CaseId, CodeId, MatrixId, ProjectId, SourceId};
use crate::matrix::{FilterOp, Matrix, RowSelection};
use crate::model::query::{SavedQuery, SearchScope, Within};
use crate::project::{Annotation, Code, CodeOrigin, CodeSet, Coding, Project, Pseudonym, Source};
use crate::sort::Gather;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

pub(crate) fn origin_key(origin: CodeOrigin) -> &'static str {
    match origin {
        CodeOrigin::Deductive => "deductive",
        CodeOrigin::Inductive => "inductive",
    }
}

pub(crate) fn source_body<'a>(
    source: &'a Source,
    annotations: &'a [Annotation],
    project: Option<ProjectId>,
    position: Option<u32>,
    with_text: bool,
) -> SourceV4<'a> {
    SourceV4 {
        project,
        id: source.id,
        position,
        name: Cow::Borrowed(&source.name),
        kind: Cow::Borrowed(source.kind.key()),
        memo: Cow::Borrowed(&source.memo),
        imported: source.imported,
        file_name: source.file_name.as_deref().map(Cow::Borrowed),
        text: with_text.then_some(Cow::Borrowed(&*source.text)),
        turns: if with_text {
            turns_body(&source.turns)
        } else {
            Vec::new()
        },
        annotations: annotations
            .iter()
            .map(|a| AnnotationV4 {
                id: a.id,
                start: a.span.start,
                end: a.span.end,
                coding: a.coding,
                text: Cow::Borrowed(&a.text),
                created: a.created,
            })
            .collect(),
    }
}

pub(crate) fn pseudonyms_body(key: &[Pseudonym]) -> Vec<PseudonymV3<'_>> {
    key.iter()
        .map(|p| PseudonymV3 {
            real: Cow::Borrowed(&p.real),
            pseudonym: Cow::Borrowed(&p.pseudonym),
        })
        .collect()
}

/// The saved searches as written (each one a JSON object, read back one by one).
pub(crate) fn queries_body(queries: &[SavedQuery]) -> Vec<Value> {
    queries.iter().map(query_json).collect()
}

/// One saved search: `{id, name, query, options: {whole_word, match_case, ignore_accents, regex,
/// within}, scope: {type, value}, created}` (the shape serde gives these types; written by hand
/// like attribute values, so the app's wasm carries no serializer into `Value` for them).
pub(crate) fn query_json(q: &SavedQuery) -> Value {
    let ids = |ids: Vec<String>| Value::Array(ids.into_iter().map(Value::from).collect());
    let (kind, value) = match &q.scope {
        SearchScope::All => ("all", None),
        SearchScope::Sources(list) => (
            "sources",
            Some(ids(list.iter().map(|s| s.to_string()).collect())),
        ),
        SearchScope::Case(id) => ("case", Some(Value::from(id.to_string()))),
        SearchScope::Set(id) => ("set", Some(Value::from(id.to_string()))),
        SearchScope::Speaker(name) => ("speaker", Some(Value::from(name.as_str()))),
        SearchScope::Filter(filters) => (
            "filter",
            Some(Value::Array(
                filters
                    .iter()
                    .map(|f| {
                        let mut object = Map::new();
                        object.insert("attribute".into(), Value::from(f.attribute.to_string()));
                        object.insert("op".into(), Value::from(filter_op_key(f.op)));
                        object.insert("value".into(), value_json(&f.value));
                        Value::Object(object)
                    })
                    .collect(),
            )),
        ),
    };
    let mut scope = Map::new();
    scope.insert("type".into(), Value::from(kind));
    if let Some(value) = value {
        scope.insert("value".into(), value);
    }
    let o = &q.options;
    let mut options = Map::new();
    for (key, on) in [
        ("whole_word", o.whole_word),
        ("match_case", o.match_case),
        ("ignore_accents", o.ignore_accents),
        ("regex", o.regex),
    ] {
        options.insert(key.into(), Value::from(on));
    }
    let within = match o.within {
        Within::Paragraph => "paragraph",
        Within::Source => "source",
    };
    options.insert("within".into(), Value::from(within));
    let mut object = Map::new();
    object.insert("id".into(), Value::from(q.id.to_string()));
    object.insert("name".into(), Value::from(q.name.as_str()));
    object.insert("query".into(), Value::from(q.query.as_str()));
    object.insert("options".into(), Value::Object(options));
    object.insert("scope".into(), Value::Object(scope));
    object.insert("created".into(), Value::from(q.created));
    Value::Object(object)
}

pub(crate) fn code_body(
    code: &Code,
    project: Option<ProjectId>,
    position: Option<u32>,
) -> CodeV1<'_> {
    CodeV1 {
        project,
        id: code.id,
        position,
        name: Cow::Borrowed(&code.name),
        parent: code.parent,
        color: Cow::Borrowed(&code.color),
        description: Cow::Borrowed(&code.description),
        origin: Cow::Borrowed(origin_key(code.origin)),
        memo: Cow::Borrowed(&code.memo),
        created: code.created,
    }
}

pub(crate) fn coding_body(coding: &Coding, project: Option<ProjectId>) -> CodingV1<'_> {
    CodingV1 {
        project,
        id: coding.id,
        source: coding.source,
        code: coding.code,
        start: coding.span.start,
        end: coding.span.end,
        coder: Cow::Borrowed(&coding.coder),
        created: coding.created,
    }
}

/// `{"type": ..., "value": ...}` of an attribute value.
pub(crate) fn value_json(value: &AttrValue) -> Value {
    let (kind, value) = match value {
        AttrValue::Text(t) => ("text", Value::from(t.as_str())),
        AttrValue::Number(n) => ("number", Value::from(*n)),
        AttrValue::Date(d) => ("date", Value::from(d.as_str())),
        AttrValue::YesNo(b) => ("yes_no", Value::from(*b)),
        AttrValue::Category(c) => ("category", Value::from(c.as_str())),
    };
    let mut object = Map::new();
    object.insert("type".into(), Value::from(kind));
    object.insert("value".into(), value);
    Value::Object(object)
}

pub(crate) fn filter_op_key(op: FilterOp) -> &'static str {
    match op {
        FilterOp::Equals => "equals",
        FilterOp::NotEquals => "not_equals",
        FilterOp::Less => "less",
        FilterOp::Greater => "greater",
    }
}

pub(crate) fn attribute_body(
    attribute: &Attribute,
    project: Option<ProjectId>,
    position: Option<u32>,
) -> AttributeV2<'_> {
    AttributeV2 {
        project,
        id: attribute.id,
        position,
        name: Cow::Borrowed(&attribute.name),
        kind: Cow::Borrowed(attribute.kind.key()),
        categories: match &attribute.kind {
            AttributeKind::Category(values) => {
                values.iter().map(|v| Cow::Borrowed(v.as_str())).collect()
            }
            _ => Vec::new(),
        },
    }
}

pub(crate) fn case_body(
    case: &Case,
    project: Option<ProjectId>,
    position: Option<u32>,
) -> CaseV3<'_> {
    CaseV3 {
        project,
        id: case.id,
        position,
        name: Cow::Borrowed(&case.name),
        parent: case.parent,
        sources: case.sources.clone(),
        memo: Cow::Borrowed(&case.memo),
        values: case
            .values
            .iter()
            .map(|(a, v)| (a.to_string(), value_json(v)))
            .to_map(),
        speakers: case
            .speakers
            .iter()
            .map(|l| SpeakerLinkV3 {
                source: l.source,
                speaker: Cow::Borrowed(&l.speaker),
            })
            .collect(),
        created: case.created,
    }
}

/// The definition of a matrix; with `summaries` (the project file) also its cell and case
/// summaries.
pub(crate) fn matrix_body(
    matrix: &Matrix,
    project: Option<ProjectId>,
    position: Option<u32>,
    summaries: bool,
) -> MatrixV3<'_> {
    let rows = match &matrix.rows {
        RowSelection::All => RowsV2 {
            kind: Cow::Borrowed("all"),
            cases: Vec::new(),
            filters: Vec::new(),
        },
        RowSelection::Cases(list) => RowsV2 {
            kind: Cow::Borrowed("cases"),
            cases: list.clone(),
            filters: Vec::new(),
        },
        RowSelection::Filter(filters) => RowsV2 {
            kind: Cow::Borrowed("filter"),
            cases: Vec::new(),
            filters: filters
                .iter()
                .map(|f| FilterV2 {
                    attribute: f.attribute,
                    op: Cow::Borrowed(filter_op_key(f.op)),
                    value: value_json(&f.value),
                })
                .collect(),
        },
    };
    MatrixV3 {
        project,
        id: matrix.id,
        position,
        name: Cow::Borrowed(&matrix.name),
        rows,
        columns: matrix.columns.clone(),
        group_by: matrix.group_by,
        include_subcases: matrix.include_subcases,
        include_child_codes: matrix.include_child_codes,
        exclude_speakers: matrix
            .exclude_speakers
            .iter()
            .map(|s| Cow::Borrowed(s.as_str()))
            .collect(),
        created: matrix.created,
        cells: summaries.then(|| {
            stored_cells(matrix)
                .map(|(case, code, summary)| cell_body(None, None, case, code, summary))
                .collect()
        }),
        case_summaries: summaries.then(|| {
            stored_case_summaries(matrix)
                .map(|(case, summary)| case_summary_body(None, None, case, summary))
                .collect()
        }),
    }
}

/// The cell summaries that are stored: every non-empty one, by case then code.
pub(crate) fn stored_cells(matrix: &Matrix) -> impl Iterator<Item = (CaseId, CodeId, &str)> {
    matrix.cells.iter().flat_map(|(case, row)| {
        row.iter()
            .filter(|(_, text)| !text.is_empty())
            .map(|(code, text)| (*case, *code, text.as_str()))
    })
}

/// The case summaries that are stored: every non-empty one.
pub(crate) fn stored_case_summaries(matrix: &Matrix) -> impl Iterator<Item = (CaseId, &str)> {
    matrix
        .case_summaries
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(case, text)| (*case, text.as_str()))
}

fn cell_body(
    project: Option<ProjectId>,
    matrix: Option<MatrixId>,
    case: CaseId,
    code: CodeId,
    summary: &str,
) -> CellV2<'_> {
    CellV2 {
        project,
        matrix,
        case,
        code,
        summary: Cow::Borrowed(summary),
    }
}

fn case_summary_body(
    project: Option<ProjectId>,
    matrix: Option<MatrixId>,
    case: CaseId,
    summary: &str,
) -> CaseSummaryV2<'_> {
    CaseSummaryV2 {
        project,
        matrix,
        case,
        summary: Cow::Borrowed(summary),
    }
}

/// Key of a `matrix_cells` record.
pub(crate) fn cell_key(matrix: MatrixId, case: CaseId, code: CodeId) -> String {
    format!("{matrix}/{case}/{code}")
}

/// Key of a `case_summaries` record.
pub(crate) fn case_summary_key(matrix: MatrixId, case: CaseId) -> String {
    format!("{matrix}/{case}")
}

pub(crate) fn set_body(
    set: &CodeSet,
    project: Option<ProjectId>,
    position: Option<u32>,
) -> SetV2<'_> {
    SetV2 {
        project,
        id: set.id,
        position,
        name: Cow::Borrowed(&set.name),
        description: Cow::Borrowed(&set.description),
        codes: set.codes.clone(),
        created: set.created,
    }
}

fn position(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The `projects` record of `project`: always a small record (no memo, no texts). The app also
/// writes it alone to record `last_opened` when a project is opened.
pub fn project_record_write(project: &Project, meta: &ProjectMeta) -> Write {
    let json = Envelope::json(
        Kind::ProjectRecord,
        ProjectRecordV4 {
            id: project.id,
            name: Cow::Borrowed(&project.name),
            created: project.created,
            modified: meta.modified,
            last_opened: meta.last_opened,
            sources: project.sources.len(),
            codes: project.codes.len(),
            codings: project.coding_count(),
            cases: project.cases.len(),
            matrices: project.matrices.len(),
            pseudonyms: pseudonyms_body(&project.pseudonyms),
            queries: queries_body(&project.queries),
        },
    );
    Write::Put {
        store: StoreName::Projects,
        key: project.id.to_string(),
        project: project.id,
        json,
    }
}

fn put(store: StoreName, key: String, project: ProjectId, json: String) -> Write {
    Write::Put {
        store,
        key,
        project,
        json,
    }
}

fn delete(store: StoreName, key: String, project: ProjectId) -> Write {
    Write::Delete {
        store,
        key,
        project,
    }
}

/// Collects deletes and puts separately: deletes are applied first, so a record deleted and put
/// again in the same save (an id moving between lists) ends up stored.
#[derive(Default)]
struct Writes {
    deletes: Vec<Write>,
    puts: Vec<Write>,
}

/// The writes that bring the stored records of `old` to those of `new`. `old = None` writes
/// everything ([`full_writes`]). Texts are written only for new sources; the project record is
/// written whenever anything else is (its `modified` and counts change) or when the project's
/// own fields changed; nothing is written when the two projects are equal. Undo is just another
/// diff: from the current project back to the earlier snapshot.
///
/// `old` must be what is stored (the last project saved or loaded). If `old` is a different
/// project (another id) it is ignored and everything of `new` is written.
pub fn diff(old: Option<&Project>, new: &Project, meta: &ProjectMeta) -> Vec<Write> {
    let old = old.filter(|o| o.id == new.id);
    let pid = new.id;
    let mut w = Writes::default();

    // Project memo.
    if old.is_none_or(|o| o.memo != new.memo) {
        w.puts.push(put(
            StoreName::ProjectMemos,
            pid.to_string(),
            pid,
            Envelope::json(
                Kind::ProjectMemo,
                ProjectMemoV1 {
                    project: pid,
                    memo: Cow::Borrowed(&new.memo),
                },
            ),
        ));
    }

    diff_sources(old, new, &mut w);
    diff_codes(old, new, &mut w);
    diff_codings(old, new, &mut w);
    diff_ordered(
        old.map(|o| o.attributes.as_slice()),
        &new.attributes,
        pid,
        StoreName::Attributes,
        |a| a.id.to_string(),
        |a, index| Envelope::json(Kind::Attribute, attribute_body(a, Some(pid), Some(index))),
        &mut w,
    );
    diff_ordered(
        old.map(|o| o.cases.as_slice()),
        &new.cases,
        pid,
        StoreName::Cases,
        |c| c.id.to_string(),
        |c, index| Envelope::json(Kind::Case, case_body(c, Some(pid), Some(index))),
        &mut w,
    );
    diff_matrices(old, new, &mut w);
    diff_ordered(
        old.map(|o| o.sets.as_slice()),
        &new.sets,
        pid,
        StoreName::Sets,
        |s| s.id.to_string(),
        |s, index| Envelope::json(Kind::Set, set_body(s, Some(pid), Some(index))),
        &mut w,
    );

    let project_changed = old.is_none_or(|o| {
        o.name != new.name
            || o.created != new.created
            || o.pseudonyms != new.pseudonyms
            || o.queries != new.queries
    });
    let mut writes = w.deletes;
    writes.append(&mut w.puts);
    if project_changed || !writes.is_empty() {
        writes.push(project_record_write(new, meta));
    }
    writes
}

/// Every record of `project`: `diff(None, project, meta)`.
pub fn full_writes(project: &Project, meta: &ProjectMeta) -> Vec<Write> {
    diff(None, project, meta)
}

/// Roughly how many bytes of source text [`diff`] from `old` to `new` writes: the texts of the
/// sources that are new or not the same value (`Arc`) as in `old`. A caller that must not take
/// the main thread long can send a large change a source at a time instead
/// ([`writes_by_source`]).
pub fn text_bytes_changed(old: &Project, new: &Project) -> usize {
    let before: HashMap<SourceId, &Arc<Source>> = old.sources.iter().map(|s| (s.id, s)).collect();
    new.sources
        .iter()
        .filter(|s| !before.get(&s.id).is_some_and(|b| Arc::ptr_eq(b, s)))
        .map(|s| s.text.len())
        .sum()
}

/// The records of [`full_writes`], a source at a time: first those of everything but the
/// sources (codebook, cases, attributes, matrices, sets, memo, project record), then for each
/// source its text, its record and its codings (with the project record again, its counts
/// grown). Applied in order to an empty store they leave the same records as [`full_writes`],
/// so a large project can be written or sent in parts with pauses between them (the app's copy
/// for its worker: no part takes the main thread long, issue 10). Each part is the [`diff`] of
/// the project holding one more source, so it is lazy: a part is written only when asked.
pub fn writes_by_source<'a>(
    project: &'a Project,
    meta: &'a ProjectMeta,
) -> impl Iterator<Item = Vec<Write>> + 'a {
    let mut previous: Option<Project> = None;
    let mut next = 0;
    let mut ended = false;
    std::iter::from_fn(move || {
        if ended {
            return None;
        }
        let Some(before) = &previous else {
            let mut first = project.clone();
            first.sources = Vec::new();
            first.codings = BTreeMap::new();
            let writes = diff(None, &first, meta);
            previous = Some(first);
            return Some(writes);
        };
        let after = match project.sources.get(next) {
            Some(source) => {
                next += 1;
                let mut after = before.clone();
                after.sources.push(Arc::clone(source));
                if let Some(list) = project.codings.get(&source.id) {
                    after.codings.insert(source.id, Arc::clone(list));
                }
                after
            }
            // Anything the steps above left out (codings of no listed source).
            None => {
                ended = true;
                project.clone()
            }
        };
        let writes = diff(Some(before), &after, meta);
        previous = Some(after);
        Some(writes)
    })
}

fn diff_sources(old: Option<&Project>, new: &Project, w: &mut Writes) {
    let pid = new.id;
    let old_sources: HashMap<SourceId, (usize, &Arc<Source>)> = old
        .map(|o| {
            o.sources
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id, (i, s)))
                .collect()
        })
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (index, source) in new.sources.iter().enumerate() {
        seen.insert(source.id);
        let previous = old_sources.get(&source.id);
        // The same `Arc` is the same source: its turns are not compared (a study's sources
        // hold thousands of them; comparing them on every save took ~4 ms, issue 12).
        let text_changed = match previous {
            None => true,
            Some((_, before)) => {
                !Arc::ptr_eq(before, source)
                    && ((!Arc::ptr_eq(&before.text, &source.text) && before.text != source.text)
                        || before.turns != source.turns)
            }
        };
        let record_changed = match previous {
            None => true,
            Some((i, before)) => {
                *i != index
                    || !(Arc::ptr_eq(before, source)
                        || (before.name == source.name
                            && before.kind == source.kind
                            && before.memo == source.memo
                            && before.imported == source.imported
                            && before.file_name == source.file_name))
                    || old.is_some_and(|o| {
                        o.annotations_of(source.id) != new.annotations_of(source.id)
                    })
            }
        };
        if text_changed {
            w.puts.push(put(
                StoreName::Texts,
                source.id.to_string(),
                pid,
                Envelope::json(
                    Kind::Text,
                    TextV3 {
                        project: pid,
                        source: source.id,
                        text: Cow::Borrowed(&source.text),
                        turns: turns_body(&source.turns),
                    },
                ),
            ));
        }
        if record_changed {
            w.puts.push(put(
                StoreName::Sources,
                source.id.to_string(),
                pid,
                Envelope::json(
                    Kind::Source,
                    source_body(
                        source,
                        new.annotations_of(source.id),
                        Some(pid),
                        Some(position(index)),
                        false,
                    ),
                ),
            ));
        }
    }
    for source in old.iter().flat_map(|o| o.sources.iter()) {
        if !seen.contains(&source.id) {
            w.deletes
                .push(delete(StoreName::Sources, source.id.to_string(), pid));
            w.deletes
                .push(delete(StoreName::Texts, source.id.to_string(), pid));
        }
    }
}

fn diff_codes(old: Option<&Project>, new: &Project, w: &mut Writes) {
    let pid = new.id;
    let old_codes: HashMap<_, _> = old
        .map(|o| {
            o.codes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id, (i, c)))
                .collect()
        })
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (index, code) in new.codes.iter().enumerate() {
        seen.insert(code.id);
        let unchanged = old_codes
            .get(&code.id)
            .is_some_and(|(i, before)| *i == index && *before == code);
        if !unchanged {
            w.puts.push(put(
                StoreName::Codes,
                code.id.to_string(),
                pid,
                Envelope::json(
                    Kind::Code,
                    code_body(code, Some(pid), Some(position(index))),
                ),
            ));
        }
    }
    for code in old.iter().flat_map(|o| o.codes.iter()) {
        if !seen.contains(&code.id) {
            w.deletes
                .push(delete(StoreName::Codes, code.id.to_string(), pid));
        }
    }
}

fn diff_codings(old: Option<&Project>, new: &Project, w: &mut Writes) {
    let pid = new.id;
    let empty = Arc::new(Vec::new());
    let mut lists: BTreeSet<SourceId> = new.codings.keys().copied().to_set();
    if let Some(old) = old {
        lists.extend(old.codings.keys().copied());
    }
    for source in lists {
        let before = old.and_then(|o| o.codings.get(&source)).unwrap_or(&empty);
        let after = new.codings.get(&source).unwrap_or(&empty);
        if Arc::ptr_eq(before, after) {
            continue;
        }
        let before_by_id: HashMap<_, _> = before.iter().map(|c| (c.id, c)).collect();
        let mut seen = BTreeSet::new();
        for coding in after.iter() {
            seen.insert(coding.id);
            if before_by_id.get(&coding.id) != Some(&coding) {
                w.puts.push(put(
                    StoreName::Codings,
                    coding.id.to_string(),
                    pid,
                    Envelope::json(Kind::Coding, coding_body(coding, Some(pid))),
                ));
            }
        }
        for coding in before.iter().filter(|c| !seen.contains(&c.id)) {
            w.deletes
                .push(delete(StoreName::Codings, coding.id.to_string(), pid));
        }
    }
}

/// Small records kept in the project's order (attributes, cases, sets): a record is written
/// when it is new, changed or moved, deleted when it is gone.
fn diff_ordered<T: PartialEq>(
    old: Option<&[T]>,
    new: &[T],
    pid: ProjectId,
    store: StoreName,
    key: impl Fn(&T) -> String,
    json: impl Fn(&T, u32) -> String,
    w: &mut Writes,
) {
    let old_items: HashMap<String, (usize, &T)> = old
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, item)| (key(item), (i, item)))
        .collect();
    let mut seen = BTreeSet::new();
    for (index, item) in new.iter().enumerate() {
        let k = key(item);
        let unchanged = old_items
            .get(&k)
            .is_some_and(|(i, before)| *i == index && *before == item);
        if !unchanged {
            w.puts
                .push(put(store, k.clone(), pid, json(item, position(index))));
        }
        seen.insert(k);
    }
    for item in old.unwrap_or_default() {
        let k = key(item);
        if !seen.contains(&k) {
            w.deletes.push(delete(store, k, pid));
        }
    }
}

/// True when two matrices have the same definition (everything but the summaries).
fn same_definition(a: &Matrix, b: &Matrix) -> bool {
    a.name == b.name
        && a.rows == b.rows
        && a.columns == b.columns
        && a.group_by == b.group_by
        && a.include_subcases == b.include_subcases
        && a.include_child_codes == b.include_child_codes
        && a.exclude_speakers == b.exclude_speakers
        && a.created == b.created
}

fn diff_matrices(old: Option<&Project>, new: &Project, w: &mut Writes) {
    let pid = new.id;
    let old_matrices: HashMap<MatrixId, (usize, &Arc<Matrix>)> = old
        .map(|o| {
            o.matrices
                .iter()
                .enumerate()
                .map(|(i, m)| (m.id, (i, m)))
                .collect()
        })
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (index, matrix) in new.matrices.iter().enumerate() {
        seen.insert(matrix.id);
        let previous = old_matrices.get(&matrix.id);
        if previous.is_some_and(|(i, before)| *i == index && Arc::ptr_eq(before, matrix)) {
            continue;
        }
        let definition_changed =
            previous.is_none_or(|(i, before)| *i != index || !same_definition(before, matrix));
        if definition_changed {
            w.puts.push(put(
                StoreName::Matrices,
                matrix.id.to_string(),
                pid,
                Envelope::json(
                    Kind::Matrix,
                    matrix_body(matrix, Some(pid), Some(position(index)), false),
                ),
            ));
        }
        let before: Option<&Arc<Matrix>> = previous.map(|(_, m)| *m);
        if before.is_none_or(|b| !Arc::ptr_eq(b, matrix)) {
            diff_cells(before.map(|b| &**b), matrix, pid, w);
            diff_case_summaries(before.map(|b| &**b), matrix, pid, w);
        }
    }
    for matrix in old.iter().flat_map(|o| o.matrices.iter()) {
        if seen.contains(&matrix.id) {
            continue;
        }
        w.deletes
            .push(delete(StoreName::Matrices, matrix.id.to_string(), pid));
        for (case, code, _) in stored_cells(matrix) {
            w.deletes.push(delete(
                StoreName::MatrixCells,
                cell_key(matrix.id, case, code),
                pid,
            ));
        }
        for (case, _) in stored_case_summaries(matrix) {
            w.deletes.push(delete(
                StoreName::CaseSummaries,
                case_summary_key(matrix.id, case),
                pid,
            ));
        }
    }
}

/// Cell records of one matrix, compared row by row: an unchanged row costs one map comparison.
fn diff_cells(before: Option<&Matrix>, after: &Matrix, pid: ProjectId, w: &mut Writes) {
    let empty = BTreeMap::new();
    let mut cases: BTreeSet<CaseId> = after.cells.keys().copied().to_set();
    if let Some(before) = before {
        cases.extend(before.cells.keys().copied());
    }
    for case in cases {
        let old_row = before.and_then(|b| b.cells.get(&case)).unwrap_or(&empty);
        let new_row = after.cells.get(&case).unwrap_or(&empty);
        if old_row == new_row {
            continue;
        }
        for (code, text) in new_row {
            if !text.is_empty() && old_row.get(code) != Some(text) {
                w.puts.push(put(
                    StoreName::MatrixCells,
                    cell_key(after.id, case, *code),
                    pid,
                    Envelope::json(
                        Kind::MatrixCell,
                        cell_body(Some(pid), Some(after.id), case, *code, text),
                    ),
                ));
            }
        }
        for (code, text) in old_row {
            let gone = new_row.get(code).is_none_or(String::is_empty);
            if !text.is_empty() && gone {
                w.deletes.push(delete(
                    StoreName::MatrixCells,
                    cell_key(after.id, case, *code),
                    pid,
                ));
            }
        }
    }
}

fn diff_case_summaries(before: Option<&Matrix>, after: &Matrix, pid: ProjectId, w: &mut Writes) {
    let empty = BTreeMap::new();
    let old = before.map(|b| &b.case_summaries).unwrap_or(&empty);
    if *old == after.case_summaries {
        return;
    }
    for (case, text) in &after.case_summaries {
        if !text.is_empty() && old.get(case) != Some(text) {
            w.puts.push(put(
                StoreName::CaseSummaries,
                case_summary_key(after.id, *case),
                pid,
                Envelope::json(
                    Kind::CaseSummary,
                    case_summary_body(Some(pid), Some(after.id), *case, text),
                ),
            ));
        }
    }
    for (case, text) in old {
        let gone = after.case_summaries.get(case).is_none_or(String::is_empty);
        if !text.is_empty() && gone {
            w.deletes.push(delete(
                StoreName::CaseSummaries,
                case_summary_key(after.id, *case),
                pid,
            ));
        }
    }
}
