//! Reading a project back: stored records or a project file, through the migrate functions,
//! into a [`Project`] that satisfies the domain's invariants. What does not fit is left out
//! with a warning, never "repaired" by deleting stored data.

use super::saved::{
    migrate_record, AnnotationV4, AttributeV2, CaseSummaryV2, CaseV3, CellV2, CodeV1, CodingV1,
    MatrixV3, ProjectMemoV1, ProjectRecordV4, PseudonymV3, Record, SetV2, SourceV4, TextV3, TurnV3,
};
use super::{LoadError, Loaded, ProjectMeta, ProjectProblem, ProjectSummary, StoredRecords};
use crate::action::is_valid_color;
use crate::cases::{AttrValue, Attribute, AttributeKind, Case, SpeakerLink};
use crate::ids::{
    AttributeId, CaseId, CodeId, CodingId, MatrixId, ProjectId, QueryId, SetId, SourceId,
};
use crate::matrix::{AttributeFilter, FilterOp, Matrix, RowSelection};
use crate::model::query::{SavedQuery, SearchOptions, SearchScope, Within};
use crate::palette::color_for;
use crate::project::{
    Annotation, Code, CodeOrigin, CodeSet, Coding, Project, Pseudonym, Source, SourceKind, Span,
    Timestamp, Turn,
};
use crate::sort::Gather;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;
use std::sync::Arc;

/// A project's parts after migration, before the domain's rules are checked.
pub(crate) struct Parts {
    pub id: ProjectId,
    pub name: String,
    pub memo: String,
    pub created: Timestamp,
    pub meta: ProjectMeta,
    /// Sources with `text` filled in (`None`: the text is missing).
    pub sources: Vec<SourceV4<'static>>,
    pub codes: Vec<CodeV1<'static>>,
    pub codings: Vec<CodingV1<'static>>,
    pub attributes: Vec<AttributeV2<'static>>,
    pub cases: Vec<CaseV3<'static>>,
    /// Matrices with their `cells` and `case_summaries` filled in.
    pub matrices: Vec<MatrixV3<'static>>,
    pub sets: Vec<SetV2<'static>>,
    pub pseudonyms: Vec<PseudonymV3<'static>>,
    /// Saved searches, each still to be read.
    pub queries: Vec<Value>,
}

/// Id and name read leniently from a project record that may not migrate.
fn lenient_id_and_name(json: &str) -> (Option<ProjectId>, Option<String>) {
    let value: Option<Value> = serde_json::from_str(json).ok();
    let field = |name: &str| {
        value
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    (
        field("id").and_then(|id| ProjectId::parse(&id)),
        field("name"),
    )
}

fn project_what(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("the project “{name}”"),
        None => "a stored project".into(),
    }
}

/// The home screen's line for one `projects` record. A record that cannot be opened (newer
/// version, unreadable) is still listed: the error carries the id and name when they could be
/// read, so the app can offer a raw backup or deletion.
pub fn summary(record_json: &str) -> Result<ProjectSummary, ProjectProblem> {
    let (id, name) = lenient_id_and_name(record_json);
    match migrate_record::<ProjectRecordV4>(record_json, &project_what(name.as_deref())) {
        Ok(r) => Ok(ProjectSummary {
            id: r.id,
            name: r.name.into_owned(),
            sources: r.sources,
            codes: r.codes,
            codings: r.codings,
            cases: r.cases,
            matrices: r.matrices,
            created: r.created,
            modified: r.modified,
            last_opened: r.last_opened,
        }),
        Err(error) => Err(ProjectProblem { id, name, error }),
    }
}

/// Reads records of one kind: newer versions (and, without `migrate`, older ones that need
/// upgrading) stop the load, unreadable records and records of another project are left out
/// with a warning.
fn read_all<T: Record>(
    jsons: &[String],
    what: &str,
    project: ProjectId,
    owner: impl Fn(&T) -> Option<ProjectId>,
    warnings: &mut Vec<String>,
) -> Result<Vec<T>, LoadError> {
    let mut out = Vec::with_capacity(jsons.len());
    for json in jsons {
        match migrate_record::<T>(json, what) {
            Ok(item) if owner(&item).is_none_or(|p| p == project) => out.push(item),
            Ok(_) => warnings.push(format!(
                "{} belongs to another project and was left out.",
                super::capitalized(what)
            )),
            Err(e @ (LoadError::NewerVersion { .. } | LoadError::OlderVersion { .. })) => {
                return Err(e)
            }
            Err(e @ LoadError::Unreadable { .. }) => {
                warnings.push(format!("{e} It was left out of the opened project."))
            }
        }
    }
    Ok(out)
}

/// Rebuilds a project from its stored records, through the migrate function of each record
/// kind. Fails (and the app must then write nothing) when the project record or the project
/// memo cannot be read, or when any record is of a newer version (or, without the feature
/// `migrate`, [`LoadError::OlderVersion`]: upgrade the records, then assemble them). Other records that cannot be
/// read, and codings that do not fit (missing source or code, span outside the text), are left
/// out and described in [`Loaded::warnings`]; they remain in storage.
pub fn assemble(records: &StoredRecords) -> Result<Loaded, LoadError> {
    let (_, lenient_name) = lenient_id_and_name(&records.project);
    let record = migrate_record::<ProjectRecordV4>(
        &records.project,
        &project_what(lenient_name.as_deref()),
    )?;
    let pid = record.id;
    let what = project_what(Some(&record.name));
    let mut warnings = Vec::new();

    let memo = match &records.memo {
        None => String::new(),
        Some(json) => {
            let memo_what = format!("the memo of {what}");
            let memo = migrate_record::<ProjectMemoV1>(json, &memo_what)?;
            if memo.project != pid {
                return Err(LoadError::Unreadable {
                    what: memo_what,
                    reason: "it belongs to another project".into(),
                });
            }
            memo.memo.into_owned()
        }
    };

    let texts = read_all::<TextV3>(
        &records.texts,
        &format!("a source text of {what}"),
        pid,
        |t| Some(t.project),
        &mut warnings,
    )?;
    let mut sources = read_all::<SourceV4>(
        &records.sources,
        &format!("a source record of {what}"),
        pid,
        |s| s.project,
        &mut warnings,
    )?;
    let codes = read_all::<CodeV1>(
        &records.codes,
        &format!("a code record of {what}"),
        pid,
        |c| c.project,
        &mut warnings,
    )?;
    let codings = read_all::<CodingV1>(
        &records.codings,
        &format!("a coding record of {what}"),
        pid,
        |c| c.project,
        &mut warnings,
    )?;

    let attributes = read_all::<AttributeV2>(
        &records.attributes,
        &format!("an attribute record of {what}"),
        pid,
        |a| a.project,
        &mut warnings,
    )?;
    let cases = read_all::<CaseV3>(
        &records.cases,
        &format!("a case record of {what}"),
        pid,
        |c| c.project,
        &mut warnings,
    )?;
    let mut matrices = read_all::<MatrixV3>(
        &records.matrices,
        &format!("a matrix record of {what}"),
        pid,
        |m| m.project,
        &mut warnings,
    )?;
    let cells = read_all::<CellV2>(
        &records.matrix_cells,
        &format!("a cell summary record of {what}"),
        pid,
        |c| c.project,
        &mut warnings,
    )?;
    let case_summaries = read_all::<CaseSummaryV2>(
        &records.case_summaries,
        &format!("a case summary record of {what}"),
        pid,
        |c| c.project,
        &mut warnings,
    )?;
    let sets = read_all::<SetV2>(
        &records.sets,
        &format!("a set record of {what}"),
        pid,
        |s| s.project,
        &mut warnings,
    )?;
    // Summaries join their matrix; those of a matrix that is missing are left out.
    let index: HashMap<MatrixId, usize> = matrices
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id, i))
        .collect();
    for m in &mut matrices {
        m.cells = Some(Vec::new());
        m.case_summaries = Some(Vec::new());
    }
    for cell in cells {
        match cell
            .matrix
            .and_then(|m| index.get(&m))
            .and_then(|i| matrices.get_mut(*i))
        {
            Some(m) => m.cells.get_or_insert_with(Vec::new).push(cell),
            None => warnings.push(
                "A cell summary belongs to a matrix that is missing; it was left out.".into(),
            ),
        }
    }
    for summary in case_summaries {
        match summary
            .matrix
            .and_then(|m| index.get(&m))
            .and_then(|i| matrices.get_mut(*i))
        {
            Some(m) => m.case_summaries.get_or_insert_with(Vec::new).push(summary),
            None => warnings.push(
                "A case summary belongs to a matrix that is missing; it was left out.".into(),
            ),
        }
    }
    let mut attributes = attributes;
    crate::sort::sort_by_key(&mut attributes, |a| a.position.unwrap_or(u32::MAX));
    let mut cases = cases;
    crate::sort::sort_by_key(&mut cases, |c| c.position.unwrap_or(u32::MAX));
    crate::sort::sort_by_key(&mut matrices, |m| m.position.unwrap_or(u32::MAX));
    let mut sets = sets;
    crate::sort::sort_by_key(&mut sets, |s| s.position.unwrap_or(u32::MAX));

    let mut texts: HashMap<SourceId, TextV3<'static>> =
        texts.into_iter().map(|t| (t.source, t)).collect();
    for source in &mut sources {
        if let Some(text) = texts.remove(&source.id) {
            source.text = Some(text.text);
            source.turns = text.turns;
        }
    }
    // Sources and codes are kept in the order of their `position`.
    crate::sort::sort_by_key(&mut sources, |s| s.position.unwrap_or(u32::MAX));
    let mut codes = codes;
    crate::sort::sort_by_key(&mut codes, |c| c.position.unwrap_or(u32::MAX));

    let parts = Parts {
        id: pid,
        name: record.name.into_owned(),
        memo,
        created: record.created,
        meta: ProjectMeta {
            modified: record.modified,
            last_opened: record.last_opened,
        },
        sources,
        codes,
        codings,
        attributes,
        cases,
        matrices,
        sets,
        pseudonyms: record.pseudonyms,
        queries: record.queries,
    };
    Ok(build(parts, warnings))
}

/// The saved turns of a source that fit its text, in text order; others are left out with one
/// warning per source.
fn read_turns(
    saved: Vec<TurnV3<'static>>,
    text: &str,
    name: &str,
    warnings: &mut Vec<String>,
) -> Vec<Turn> {
    let total = saved.len();
    let mut turns: Vec<Turn> = saved
        .into_iter()
        .map(|t| Turn {
            speaker: t.speaker.map(Cow::into_owned),
            span: Span::new(t.start, t.end),
            start_ms: t.start_ms,
            end_ms: t.end_ms,
        })
        .filter(|t| {
            t.span.start <= t.span.end
                && t.span.end <= text.len()
                && text.is_char_boundary(t.span.start)
                && text.is_char_boundary(t.span.end)
        })
        .collect();
    if turns.len() < total {
        warnings.push(format!(
            "{} speaker turn(s) of the source “{name}” did not fit its text and were left out.",
            total - turns.len()
        ));
    }
    crate::sort::sort_by_key(&mut turns, |t| (t.span.start, t.span.end));
    turns
}

/// The saved searches that can be read, named and not repeated; the others are left out with a
/// warning each.
fn read_queries(saved: Vec<Value>, warnings: &mut Vec<String>) -> Vec<SavedQuery> {
    let mut queries: Vec<SavedQuery> = Vec::new();
    for value in saved {
        match read_query(&value) {
            Some(q) if q.name.trim().is_empty() => {
                warnings.push("A saved search had no name; it was left out.".into());
            }
            Some(q) if queries.iter().any(|k| k.id == q.id) => warnings.push(format!(
                "The saved search “{}” appeared twice; the second was left out.",
                q.name
            )),
            Some(q) => queries.push(q),
            None => warnings.push("A saved search could not be read; it was left out.".into()),
        }
    }
    queries
}

/// One saved search as [`super::diff::query_json`] writes it. Read field by field rather than
/// with a derived `Deserialize`: the app's wasm then carries no deserializer of search scopes.
fn read_query(value: &Value) -> Option<SavedQuery> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let options = value.get("options");
    let flag = |key: &str, default: bool| {
        options
            .and_then(|o| o.get(key))
            .map_or(Some(default), Value::as_bool)
    };
    let within = match options.and_then(|o| o.get("within")).map(Value::as_str) {
        None | Some(Some("paragraph")) => Within::Paragraph,
        Some(Some("source")) => Within::Source,
        _ => return None,
    };
    let scope = value.get("scope");
    let inner = scope.and_then(|s| s.get("value"));
    let id_list = || -> Option<Vec<SourceId>> {
        inner?
            .as_array()?
            .iter()
            .map(|id| SourceId::parse(id.as_str()?))
            .collect()
    };
    let inner_str = || inner.and_then(Value::as_str);
    let scope = match scope.map(|s| s.get("type").and_then(Value::as_str)) {
        None | Some(Some("all")) => SearchScope::All,
        Some(Some("sources")) => SearchScope::Sources(id_list()?),
        Some(Some("case")) => SearchScope::Case(CaseId::parse(inner_str()?)?),
        Some(Some("set")) => SearchScope::Set(SetId::parse(inner_str()?)?),
        Some(Some("speaker")) => SearchScope::Speaker(inner_str()?.to_string()),
        Some(Some("filter")) => SearchScope::Filter(
            inner?
                .as_array()?
                .iter()
                .map(|f| {
                    Some(AttributeFilter {
                        attribute: AttributeId::parse(f.get("attribute")?.as_str()?)?,
                        op: read_filter_op(f.get("op")?.as_str()?)?,
                        value: read_value(f.get("value")?)?,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    };
    Some(SavedQuery {
        id: QueryId::parse(value.get("id")?.as_str()?)?,
        name: text(value, "name")?,
        query: text(value, "query")?,
        options: SearchOptions {
            whole_word: flag("whole_word", true)?,
            match_case: flag("match_case", false)?,
            ignore_accents: flag("ignore_accents", false)?,
            regex: flag("regex", false)?,
            within,
        },
        scope,
        created: value.get("created").map_or(Some(0), Value::as_i64)?,
    })
}

/// A filter's comparison as saved (`equals`, `not_equals`, `less`, `greater`).
fn read_filter_op(key: &str) -> Option<FilterOp> {
    match key {
        "equals" => Some(FilterOp::Equals),
        "not_equals" => Some(FilterOp::NotEquals),
        "less" => Some(FilterOp::Less),
        "greater" => Some(FilterOp::Greater),
        _ => None,
    }
}

/// Checks the domain's rules on migrated parts and builds the project. Shared by stored
/// records and the project file.
pub(crate) fn build(parts: Parts, mut warnings: Vec<String>) -> Loaded {
    let mut project = Project::new(parts.id, parts.name, parts.created);
    project.memo = parts.memo;
    project.pseudonyms = parts
        .pseudonyms
        .into_iter()
        .filter(|p| !p.real.trim().is_empty())
        .map(|p| Pseudonym {
            real: p.real.into_owned(),
            pseudonym: p.pseudonym.into_owned(),
        })
        .collect();
    project.queries = read_queries(parts.queries, &mut warnings);
    if project.name.trim().is_empty() {
        project.name = "Untitled project".into();
        warnings.push("The project had no name; it is shown as “Untitled project”.".into());
    }

    let mut source_ids = BTreeSet::new();
    let mut annotations: Vec<(SourceId, AnnotationV4<'static>)> = Vec::new();
    for saved in parts.sources {
        let name = display_name(&saved.name, "Untitled source");
        if !source_ids.insert(saved.id) {
            warnings.push(format!(
                "The source “{name}” was stored twice; the second copy was left out."
            ));
            continue;
        }
        let Some(text) = saved.text else {
            source_ids.remove(&saved.id);
            warnings.push(format!(
                "The text of the source “{name}” is missing, so the source and its codings were \
                 left out (its stored records are kept)."
            ));
            continue;
        };
        let kind = SourceKind::from_key(&saved.kind).unwrap_or_else(|| {
            warnings.push(format!(
                "The source “{name}” has an unknown kind “{}”; it is shown as a document.",
                saved.kind
            ));
            SourceKind::Document
        });
        let turns = read_turns(saved.turns, &text, &name, &mut warnings);
        annotations.extend(saved.annotations.into_iter().map(|a| (saved.id, a)));
        project.sources.push(Arc::new(Source {
            id: saved.id,
            name,
            kind,
            text: text.into(),
            memo: saved.memo.into_owned(),
            imported: saved.imported,
            file_name: saved.file_name.map(|f| f.into_owned()),
            turns,
        }));
    }

    let mut code_ids = BTreeSet::new();
    for saved in parts.codes {
        let name = display_name(&saved.name, "Unnamed code");
        if !code_ids.insert(saved.id) {
            warnings.push(format!(
                "The code “{name}” was stored twice; the second copy was left out."
            ));
            continue;
        }
        let color = if is_valid_color(&saved.color) {
            saved.color.into_owned()
        } else {
            if !saved.color.is_empty() {
                warnings.push(format!(
                    "The code “{name}” had an invalid colour “{}”; it was given another.",
                    saved.color
                ));
            }
            color_for(project.codes.len()).to_string()
        };
        let origin = match &*saved.origin {
            "deductive" => CodeOrigin::Deductive,
            "inductive" => CodeOrigin::Inductive,
            other => {
                warnings.push(format!(
                    "The code “{name}” has an unknown origin “{other}”; it is shown as inductive."
                ));
                CodeOrigin::Inductive
            }
        };
        project.codes.push(Code {
            id: saved.id,
            name,
            parent: saved.parent,
            color,
            description: saved.description.into_owned(),
            origin,
            memo: saved.memo.into_owned(),
            created: saved.created,
        });
    }
    fix_parents(&mut project.codes, &code_ids, &mut warnings);

    let mut codings: BTreeMap<SourceId, Vec<Coding>> = BTreeMap::new();
    let mut coding_ids: BTreeSet<CodingId> = BTreeSet::new();
    for saved in parts.codings {
        let Some(source) = project.source(saved.source) else {
            warnings.push(format!(
                "A coding refers to a source that is missing; it was left out (id {}).",
                saved.id
            ));
            continue;
        };
        let span = Span::new(saved.start, saved.end);
        if !span.is_valid_for(&source.text) {
            warnings.push(format!(
                "A coding of “{}” covers {}..{}, which does not fit the text; it was left out \
                 (id {}).",
                source.name, saved.start, saved.end, saved.id
            ));
            continue;
        }
        if !code_ids.contains(&saved.code) {
            warnings.push(format!(
                "A coding of “{}” uses a code that is missing; it was left out (id {}).",
                source.name, saved.id
            ));
            continue;
        }
        if !coding_ids.insert(saved.id) {
            warnings.push(format!(
                "A coding was stored twice; the second copy was left out (id {}).",
                saved.id
            ));
            continue;
        }
        codings.entry(saved.source).or_default().push(Coding {
            id: saved.id,
            source: saved.source,
            span,
            code: saved.code,
            coder: saved.coder.into_owned(),
            created: saved.created,
        });
    }
    for (source, mut list) in codings {
        crate::sort::sort_by_key(&mut list, |c| (c.span.start, c.span.end, c.id));
        project.codings.insert(source, Arc::new(list));
    }

    build_annotations(&mut project, annotations, &mut warnings);
    build_attributes(&mut project, parts.attributes, &mut warnings);
    build_cases(&mut project, parts.cases, &mut warnings);
    build_matrices(&mut project, parts.matrices, &mut warnings);
    build_sets(&mut project, parts.sets, &mut warnings);

    Loaded {
        project,
        meta: parts.meta,
        warnings,
    }
}

/// Annotations whose span fits their source's text; a link to a coding that is missing is
/// dropped (the annotation stays on its passage), as removing a coding does.
fn build_annotations(
    project: &mut Project,
    saved: Vec<(SourceId, AnnotationV4<'static>)>,
    warnings: &mut Vec<String>,
) {
    let mut ids = BTreeSet::new();
    for (source_id, a) in saved {
        let Some(source) = project.source(source_id) else {
            continue;
        };
        let span = Span::new(a.start, a.end);
        if !span.is_valid_for(&source.text) {
            warnings.push(format!(
                "An annotation of “{}” covers {}..{}, which does not fit the text; it was left \
                 out (id {}).",
                source.name, a.start, a.end, a.id
            ));
            continue;
        }
        if !ids.insert(a.id) {
            warnings.push(format!(
                "An annotation was stored twice; the second copy was left out (id {}).",
                a.id
            ));
            continue;
        }
        let coding = a
            .coding
            .filter(|c| project.codings_of(source_id).iter().any(|x| x.id == *c));
        project.annotations.push(Annotation {
            id: a.id,
            source: source_id,
            span,
            coding,
            text: a.text.into_owned(),
            created: a.created,
        });
    }
    crate::sort::sort_by_key(&mut project.annotations, Annotation::order_key);
}

fn display_name(name: &str, fallback: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        fallback.into()
    } else {
        name.into()
    }
}

/// A node of a tree kept flat with parent links (codes, cases).
trait TreeNode {
    type Id: Copy + Eq + Hash;
    /// "code" or "case", for warnings.
    const NOUN: &'static str;
    fn id(&self) -> Self::Id;
    fn parent(&self) -> Option<Self::Id>;
    fn set_parent(&mut self, parent: Option<Self::Id>);
    fn name(&self) -> &str;
}

impl TreeNode for Code {
    type Id = CodeId;
    const NOUN: &'static str = "code";
    fn id(&self) -> CodeId {
        self.id
    }
    fn parent(&self) -> Option<CodeId> {
        self.parent
    }
    fn set_parent(&mut self, parent: Option<CodeId>) {
        self.parent = parent;
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl TreeNode for Case {
    type Id = CaseId;
    const NOUN: &'static str = "case";
    fn id(&self) -> CaseId {
        self.id
    }
    fn parent(&self) -> Option<CaseId> {
        self.parent
    }
    fn set_parent(&mut self, parent: Option<CaseId>) {
        self.parent = parent;
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// Parents that are missing move their node to the top level; a cycle of parents is broken at
/// its first node.
fn fix_parents<T: TreeNode>(nodes: &mut [T], ids: &BTreeSet<T::Id>, warnings: &mut Vec<String>)
where
    T::Id: Ord,
{
    let mut parent_of: HashMap<T::Id, Option<T::Id>> =
        nodes.iter().map(|n| (n.id(), n.parent())).collect();
    for node in nodes.iter_mut() {
        if let Some(parent) = node.parent() {
            if !ids.contains(&parent) {
                warnings.push(format!(
                    "The parent of the {} “{}” is missing; it was moved to the top level.",
                    T::NOUN,
                    node.name()
                ));
                node.set_parent(None);
                parent_of.insert(node.id(), None);
                continue;
            }
        }
        let mut current = node.parent();
        let mut steps = 0;
        while let Some(p) = current {
            if p == node.id() {
                warnings.push(format!(
                    "The {} “{}” was inside itself; it was moved to the top level.",
                    T::NOUN,
                    node.name()
                ));
                node.set_parent(None);
                parent_of.insert(node.id(), None);
                break;
            }
            steps += 1;
            if steps > ids.len() {
                break;
            }
            current = parent_of.get(&p).copied().flatten();
        }
    }
}

/// An attribute value `{"type": ..., "value": ...}` as saved; `None` when it is not one.
fn read_value(value: &Value) -> Option<AttrValue> {
    let inner = value.get("value")?;
    let text = || inner.as_str().map(str::to_string);
    match value.get("type")?.as_str()? {
        "text" => text().map(AttrValue::Text),
        "number" => inner
            .as_f64()
            .filter(|n| n.is_finite())
            .map(AttrValue::Number),
        "date" => text().map(AttrValue::Date),
        "yes_no" => inner.as_bool().map(AttrValue::YesNo),
        "category" => text().map(AttrValue::Category),
        _ => None,
    }
}

fn build_attributes(
    project: &mut Project,
    saved: Vec<AttributeV2<'static>>,
    warnings: &mut Vec<String>,
) {
    for saved in saved {
        let name = display_name(&saved.name, "Unnamed attribute");
        if project.attribute(saved.id).is_some() {
            warnings.push(format!(
                "The attribute “{name}” was stored twice; the second copy was left out."
            ));
            continue;
        }
        let kind = match &*saved.kind {
            "text" => AttributeKind::Text,
            "number" => AttributeKind::Number,
            "date" => AttributeKind::Date,
            "yes_no" => AttributeKind::YesNo,
            "category" => AttributeKind::Category(
                saved
                    .categories
                    .into_iter()
                    .map(|c| c.into_owned())
                    .collect(),
            ),
            other => {
                warnings.push(format!(
                    "The attribute “{name}” has an unknown type “{other}”; it is shown as text."
                ));
                AttributeKind::Text
            }
        };
        project.attributes.push(Attribute {
            id: saved.id,
            name,
            kind,
        });
    }
}

fn build_cases(project: &mut Project, saved: Vec<CaseV3<'static>>, warnings: &mut Vec<String>) {
    let source_ids: BTreeSet<SourceId> = project.sources.iter().map(|s| s.id).to_set();
    let mut case_ids = BTreeSet::new();
    let mut cases = Vec::with_capacity(saved.len());
    for saved in saved {
        let name = display_name(&saved.name, "Unnamed case");
        if !case_ids.insert(saved.id) {
            warnings.push(format!(
                "The case “{name}” was stored twice; the second copy was left out."
            ));
            continue;
        }
        let mut sources = Vec::with_capacity(saved.sources.len());
        for source in saved.sources {
            if source_ids.contains(&source) {
                sources.push(source);
            } else {
                warnings.push(format!(
                    "The case “{name}” links a source that is missing; the link was left out \
                     (source id {source})."
                ));
            }
        }
        let mut speakers = Vec::with_capacity(saved.speakers.len());
        for link in saved.speakers {
            if source_ids.contains(&link.source) {
                speakers.push(SpeakerLink {
                    source: link.source,
                    speaker: link.speaker.into_owned(),
                });
            } else {
                warnings.push(format!(
                    "The case “{name}” links the speaker “{}” of a source that is missing; the \
                     link was left out (source id {}).",
                    link.speaker, link.source
                ));
            }
        }
        let mut values = BTreeMap::new();
        for (key, value) in &saved.values {
            let Some(attribute) = AttributeId::parse(key).and_then(|a| project.attribute(a)) else {
                warnings.push(format!(
                    "The case “{name}” has a value of an attribute that is missing; it was left \
                     out (attribute {key})."
                ));
                continue;
            };
            let read = read_value(value);
            match read.clone().filter(|v| v.fits(&attribute.kind)) {
                Some(v) => {
                    values.insert(attribute.id, v);
                }
                None => warnings.push(format!(
                    "The value {} of “{}” for the case “{name}” does not fit the attribute's \
                     type ({}); it was left out.",
                    read.map_or_else(|| value.to_string(), |v| format!("“{v}”")),
                    attribute.name,
                    attribute.kind.label()
                )),
            }
        }
        cases.push(Case {
            id: saved.id,
            name,
            parent: saved.parent,
            sources,
            memo: saved.memo.into_owned(),
            values,
            speakers,
            created: saved.created,
        });
    }
    fix_parents(&mut cases, &case_ids, warnings);
    project.cases = cases;
}

fn build_matrices(
    project: &mut Project,
    saved: Vec<MatrixV3<'static>>,
    warnings: &mut Vec<String>,
) {
    let case_ids: BTreeSet<CaseId> = project.cases.iter().map(|c| c.id).to_set();
    let code_ids: BTreeSet<CodeId> = project.codes.iter().map(|c| c.id).to_set();
    for saved in saved {
        let name = display_name(&saved.name, "Unnamed matrix");
        if project.matrix(saved.id).is_some() {
            warnings.push(format!(
                "The matrix “{name}” was stored twice; the second copy was left out."
            ));
            continue;
        }
        let rows = match &*saved.rows.kind {
            "all" => RowSelection::All,
            "cases" => {
                let before = saved.rows.cases.len();
                let list: Vec<CaseId> = saved
                    .rows
                    .cases
                    .iter()
                    .copied()
                    .filter(|c| case_ids.contains(c))
                    .collect();
                if list.len() < before {
                    warnings.push(format!(
                        "{} row(s) of the matrix “{name}” are cases that are missing; they were \
                         left out.",
                        before - list.len()
                    ));
                }
                RowSelection::Cases(list)
            }
            "filter" => {
                let mut filters = Vec::new();
                for f in &saved.rows.filters {
                    let op = read_filter_op(&f.op);
                    match (op, read_value(&f.value), project.attribute(f.attribute)) {
                        (Some(op), Some(value), Some(_)) => filters.push(AttributeFilter {
                            attribute: f.attribute,
                            op,
                            value,
                        }),
                        _ => warnings.push(format!(
                            "A row filter of the matrix “{name}” could not be read (its \
                             attribute may be missing); it was left out."
                        )),
                    }
                }
                RowSelection::Filter(filters)
            }
            other => {
                warnings.push(format!(
                    "The matrix “{name}” has an unknown row selection “{other}”; it shows all \
                     cases."
                ));
                RowSelection::All
            }
        };
        let columns: Vec<CodeId> = saved
            .columns
            .iter()
            .copied()
            .filter(|c| code_ids.contains(c))
            .collect();
        if columns.len() < saved.columns.len() {
            warnings.push(format!(
                "{} column(s) of the matrix “{name}” are codes that are missing; they were left \
                 out.",
                saved.columns.len() - columns.len()
            ));
        }
        let group_by = match saved.group_by {
            Some(a) if project.attribute(a).is_none() => {
                warnings.push(format!(
                    "The matrix “{name}” was grouped by an attribute that is missing; it is no \
                     longer grouped."
                ));
                None
            }
            other => other,
        };
        let mut cells: BTreeMap<CaseId, BTreeMap<CodeId, String>> = BTreeMap::new();
        for cell in saved.cells.unwrap_or_default() {
            if cell.summary.is_empty() {
                continue;
            }
            if !case_ids.contains(&cell.case) {
                warnings.push(format!(
                    "A cell summary of the matrix “{name}” is for a case that is missing; it was \
                     left out (case id {}).",
                    cell.case
                ));
                continue;
            }
            if !code_ids.contains(&cell.code) {
                warnings.push(format!(
                    "A cell summary of the matrix “{name}” is for a code that is missing; it was \
                     left out (code id {}).",
                    cell.code
                ));
                continue;
            }
            cells
                .entry(cell.case)
                .or_default()
                .insert(cell.code, cell.summary.into_owned());
        }
        let mut case_summaries = BTreeMap::new();
        for summary in saved.case_summaries.unwrap_or_default() {
            if summary.summary.is_empty() {
                continue;
            }
            if !case_ids.contains(&summary.case) {
                warnings.push(format!(
                    "A case summary of the matrix “{name}” is for a case that is missing; it was \
                     left out (case id {}).",
                    summary.case
                ));
                continue;
            }
            case_summaries.insert(summary.case, summary.summary.into_owned());
        }
        project.matrices.push(Arc::new(Matrix {
            id: saved.id,
            name,
            rows,
            columns,
            group_by,
            include_subcases: saved.include_subcases,
            include_child_codes: saved.include_child_codes,
            exclude_speakers: saved
                .exclude_speakers
                .into_iter()
                .map(Cow::into_owned)
                .to_set(),
            cells,
            case_summaries,
            created: saved.created,
        }));
    }
}

fn build_sets(project: &mut Project, saved: Vec<SetV2<'static>>, warnings: &mut Vec<String>) {
    for saved in saved {
        let name = display_name(&saved.name, "Unnamed set");
        if project.set(saved.id).is_some() {
            warnings.push(format!(
                "The set “{name}” was stored twice; the second copy was left out."
            ));
            continue;
        }
        let codes: Vec<CodeId> = saved
            .codes
            .iter()
            .copied()
            .filter(|c| project.code(*c).is_some())
            .collect();
        if codes.len() < saved.codes.len() {
            warnings.push(format!(
                "{} code(s) of the set “{name}” are missing; they were left out.",
                saved.codes.len() - codes.len()
            ));
        }
        project.sets.push(CodeSet {
            id: saved.id,
            name,
            description: saved.description.into_owned(),
            codes,
            created: saved.created,
        });
    }
}
