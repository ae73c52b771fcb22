//! What a matrix shows: its rows (cases after selection, filters and grouping), its columns
//! (codes) and, per cell, the coded segments behind it and its state. Codings are indexed once
//! per build (source → rows, code → columns), never per cell.

use super::{summary_parts, AttributeFilter, FilterOp, Matrix, RowSelection, SummaryPart};
use crate::ids::{AttributeId, CaseId, CodeId, CodingId, SourceId};
use crate::model::case::{AttrValue, AttributeKind, Case};
use crate::project::{Code, Coding, Project};
use crate::speakers::speaker_key;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};

/// How far a cell has got, shown at a glance.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CellState {
    /// No coded segments and no summary.
    Empty,
    /// Coded segments but no summary yet: work to do.
    DataNoSummary,
    /// The researcher has written a summary.
    Summarised,
    /// A summary, but no coded segments behind it any more (its codings were removed or
    /// recoded): the summary needs a look.
    SummaryNoData,
}

impl CellState {
    /// Stable key for CSS classes and exports (`empty`, `data-no-summary`, `summarised`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::DataNoSummary => "data-no-summary",
            Self::Summarised => "summarised",
            Self::SummaryNoData => "summary-no-data",
        }
    }

    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Empty => "No data",
            Self::DataNoSummary => "Data, no summary",
            Self::Summarised => "Summarised",
            Self::SummaryNoData => "Summary, no data",
        }
    }
}

/// One row of a matrix as shown.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RowView {
    /// The case.
    pub case: CaseId,
    /// Its name.
    pub name: String,
    /// Indentation: how many of the case's ancestors are rows of the same group (of the matrix
    /// when it is not grouped). 0 for a top-level row.
    pub depth: usize,
    /// The group label when the matrix is grouped, e.g. `rurality: rural`, or `(no value)`.
    pub group: Option<String>,
}

/// One column of a matrix as shown.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ColumnView {
    /// The code.
    pub code: CodeId,
    /// Its name.
    pub name: String,
    /// Its path, `Theme > Code`.
    pub path: String,
    /// Its colour, `#rrggbb`.
    pub color: String,
}

/// One cell of a matrix as shown.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CellView {
    /// Number of coded segments for this case and code.
    pub segments: usize,
    /// Empty, data without summary, or summarised.
    pub state: CellState,
    /// Quote references in the summary whose coding no longer exists.
    pub broken: usize,
}

/// A whole matrix as shown: rows, columns and `cells[row][column]`.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct MatrixView {
    /// Rows in display order.
    pub rows: Vec<RowView>,
    /// Columns in display order (codes that no longer exist are left out).
    pub columns: Vec<ColumnView>,
    /// Cells, `[row][column]`.
    pub cells: Vec<Vec<CellView>>,
}

/// Lookups over the case tree and the codebook, built once.
pub(crate) struct Index<'p> {
    project: &'p Project,
    cases: HashMap<CaseId, &'p Case>,
    case_children: HashMap<CaseId, Vec<CaseId>>,
    code_children: HashMap<CodeId, Vec<CodeId>>,
    codes: HashMap<CodeId, &'p Code>,
}

impl<'p> Index<'p> {
    pub(crate) fn new(project: &'p Project) -> Self {
        let cases: HashMap<CaseId, &Case> = project.cases.iter().map(|c| (c.id, c)).collect();
        let mut case_children: HashMap<CaseId, Vec<CaseId>> = HashMap::new();
        for case in &project.cases {
            if let Some(parent) = case.parent {
                case_children.entry(parent).or_default().push(case.id);
            }
        }
        let mut code_children: HashMap<CodeId, Vec<CodeId>> = HashMap::new();
        for code in &project.codes {
            if let Some(parent) = code.parent {
                code_children.entry(parent).or_default().push(code.id);
            }
        }
        Self {
            project,
            cases,
            case_children,
            code_children,
            codes: project.codes.iter().map(|c| (c.id, c)).collect(),
        }
    }

    pub(crate) fn case(&self, id: CaseId) -> Option<&'p Case> {
        self.cases.get(&id).copied()
    }

    pub(crate) fn code(&self, id: CodeId) -> Option<&'p Code> {
        self.codes.get(&id).copied()
    }

    /// Every case, depth-first with siblings in project order; cases caught in a cycle of
    /// parents come last.
    fn tree_order(&self) -> Vec<CaseId> {
        self.project
            .case_tree()
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    /// `id` and every case below it.
    fn case_and_descendants(&self, id: CaseId) -> Vec<CaseId> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![id];
        while let Some(next) = stack.pop() {
            if seen.insert(next) {
                out.push(next);
                if let Some(children) = self.case_children.get(&next) {
                    stack.extend(children.iter().copied());
                }
            }
        }
        out
    }

    /// The sources of a case (and of its sub-cases), as a set.
    pub(crate) fn case_source_set(
        &self,
        case: CaseId,
        include_subcases: bool,
    ) -> HashSet<SourceId> {
        let cases = if include_subcases {
            self.case_and_descendants(case)
        } else {
            vec![case]
        };
        cases
            .into_iter()
            .filter_map(|c| self.case(c))
            .flat_map(|c| c.sources.iter().copied())
            .collect()
    }

    /// The codes a column collects: its code, and those below it when asked.
    pub(crate) fn column_codes(&self, code: CodeId, include_child_codes: bool) -> Vec<CodeId> {
        if !include_child_codes {
            return vec![code];
        }
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![code];
        while let Some(next) = stack.pop() {
            if seen.insert(next) {
                out.push(next);
                if let Some(children) = self.code_children.get(&next) {
                    stack.extend(children.iter().copied());
                }
            }
        }
        out
    }
}

/// Orders two attribute values of an attribute of `kind` (categories in their list order, text
/// ignoring case). A value of another type than `b` is read as `b`'s attribute type first.
fn compare_values(kind: Option<&AttributeKind>, a: &AttrValue, b: &AttrValue) -> Option<Ordering> {
    use AttrValue as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => x.partial_cmp(y),
        (V::Date(x), V::Date(y)) => Some(x.cmp(y)),
        (V::YesNo(x), V::YesNo(y)) => Some(x.cmp(y)),
        (V::Text(x), V::Text(y)) => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        (V::Category(x), V::Category(y)) => {
            let position = |v: &str| match kind {
                Some(AttributeKind::Category(values)) => {
                    values.iter().position(|c| c.eq_ignore_ascii_case(v))
                }
                _ => None,
            };
            match (position(x), position(y)) {
                (Some(i), Some(j)) => Some(i.cmp(&j)),
                (Some(_), None) => Some(Ordering::Less),
                (None, Some(_)) => Some(Ordering::Greater),
                (None, None) => Some(x.to_lowercase().cmp(&y.to_lowercase())),
            }
        }
        _ => {
            // E.g. a filter typed as text against a number attribute.
            let kind = kind?;
            let a2 = if a.fits(kind) {
                a.clone()
            } else {
                AttrValue::parse(kind, &a.to_string()).ok()??
            };
            let b2 = if b.fits(kind) {
                b.clone()
            } else {
                AttrValue::parse(kind, &b.to_string()).ok()??
            };
            if std::mem::discriminant(&a2) == std::mem::discriminant(&b2) {
                compare_values(Some(kind), &a2, &b2)
            } else {
                None
            }
        }
    }
}

fn values_equal(kind: Option<&AttributeKind>, a: &AttrValue, b: &AttrValue) -> bool {
    compare_values(kind, a, b) == Some(Ordering::Equal)
}

/// True when `case` passes `filter` (a case with no value passes only `NotEquals`).
pub fn filter_matches(project: &Project, case: &Case, filter: &AttributeFilter) -> bool {
    let kind = project.attribute(filter.attribute).map(|a| &a.kind);
    let value = case.values.get(&filter.attribute);
    let order = value.and_then(|v| compare_values(kind, v, &filter.value));
    match filter.op {
        FilterOp::Equals => order == Some(Ordering::Equal),
        FilterOp::NotEquals => order != Some(Ordering::Equal),
        FilterOp::Less => order == Some(Ordering::Less),
        FilterOp::Greater => order == Some(Ordering::Greater),
    }
}

/// The rows of a matrix with their group labels and depths.
fn ordered_rows(index: &Index<'_>, matrix: &Matrix) -> Vec<RowView> {
    let project = index.project;
    let base: Vec<CaseId> = match &matrix.rows {
        RowSelection::All => index.tree_order(),
        RowSelection::Cases(list) => {
            let mut seen = HashSet::new();
            list.iter()
                .copied()
                .filter(|id| index.case(*id).is_some() && seen.insert(*id))
                .collect()
        }
        RowSelection::Filter(filters) => index
            .tree_order()
            .into_iter()
            .filter(|id| {
                index
                    .case(*id)
                    .is_some_and(|case| filters.iter().all(|f| filter_matches(project, case, f)))
            })
            .collect(),
    };
    let groups: Vec<(Option<String>, Vec<CaseId>)> =
        match matrix.group_by.and_then(|a| project.attribute(a)) {
            None => vec![(None, base)],
            Some(attribute) => group_rows(index, attribute.id, &attribute.name, &base),
        };
    let mut rows = Vec::with_capacity(groups.iter().map(|(_, g)| g.len()).sum());
    for (label, members) in groups {
        let set: HashSet<CaseId> = members.iter().copied().collect();
        for id in members {
            let Some(case) = index.case(id) else {
                continue;
            };
            let mut depth = 0;
            let mut parent = case.parent;
            let mut steps = 0;
            while let Some(p) = parent {
                steps += 1;
                if steps > project.cases.len() {
                    break;
                }
                if set.contains(&p) {
                    depth += 1;
                }
                parent = index.case(p).and_then(|c| c.parent);
            }
            rows.push(RowView {
                case: id,
                name: case.name.clone(),
                depth,
                group: label.clone(),
            });
        }
    }
    rows
}

/// Splits `base` into groups by the value of `attribute`: categories in their order, other
/// values sorted, cases without a value last; each group keeps the order of `base`.
fn group_rows(
    index: &Index<'_>,
    attribute: AttributeId,
    name: &str,
    base: &[CaseId],
) -> Vec<(Option<String>, Vec<CaseId>)> {
    cases_by_value(index.project, attribute, base)
        .into_iter()
        .map(|(value, members)| {
            (
                Some(match value {
                    Some(value) => format!("{name}: {value}"),
                    None => NO_VALUE.to_string(),
                }),
                members,
            )
        })
        .collect()
}

/// The cases of `base` grouped by their value of `attribute`, the groups of a grouped matrix
/// and the columns of a code × attribute-value crosstab: categories in their list order, other
/// values sorted (text ignoring case), then the cases without a value (`None`) if any; each
/// group keeps the order of `base`. Values are compared as the attribute's type (text and
/// categories ignoring case).
pub fn cases_by_value(
    project: &Project,
    attribute: AttributeId,
    base: &[CaseId],
) -> Vec<(Option<AttrValue>, Vec<CaseId>)> {
    let kind = project.attribute(attribute).map(|a| &a.kind);
    let cases: HashMap<CaseId, &Case> = project.cases.iter().map(|c| (c.id, c)).collect();
    let mut groups: Vec<(AttrValue, Vec<CaseId>)> = Vec::new();
    let mut none: Vec<CaseId> = Vec::new();
    for id in base {
        match cases.get(id).and_then(|c| c.values.get(&attribute)) {
            None => none.push(*id),
            Some(value) => match groups
                .iter_mut()
                .find(|(v, _)| values_equal(kind, v, value))
            {
                Some((_, members)) => members.push(*id),
                None => groups.push((value.clone(), vec![*id])),
            },
        }
    }
    crate::sort::sort_by(&mut groups, |(a, _), (b, _)| {
        compare_values(kind, a, b).unwrap_or_else(|| {
            a.to_string()
                .to_lowercase()
                .cmp(&b.to_string().to_lowercase())
        })
    });
    let mut out: Vec<(Option<AttrValue>, Vec<CaseId>)> = groups
        .into_iter()
        .map(|(value, members)| (Some(value), members))
        .collect();
    if !none.is_empty() {
        out.push((None, none));
    }
    out
}

/// Every case of the project, depth-first with siblings in project order (parents before
/// children); cases caught in a cycle of parents come last.
pub fn case_tree_order(project: &Project) -> Vec<CaseId> {
    Index::new(project).tree_order()
}

/// The group label of cases without a value for the grouping attribute.
pub const NO_VALUE: &str = "(no value)";

/// The rows of a matrix in display order: the selected cases (all in case-tree order, a chosen
/// list in its order, or those matching every filter, in case-tree order), grouped by the
/// `group_by` value when set (categories in their order, other values sorted, no value last).
pub fn row_cases(project: &Project, matrix: &Matrix) -> Vec<CaseId> {
    ordered_rows(&Index::new(project), matrix)
        .into_iter()
        .map(|r| r.case)
        .collect()
}

/// The matrix's rows with their group labels and depths.
pub fn row_views(project: &Project, matrix: &Matrix) -> Vec<RowView> {
    ordered_rows(&Index::new(project), matrix)
}

/// The sources of a case (and of its sub-cases when asked), in project order.
pub fn case_sources(project: &Project, case: CaseId, include_subcases: bool) -> Vec<SourceId> {
    let set = Index::new(project).case_source_set(case, include_subcases);
    project
        .sources
        .iter()
        .map(|s| s.id)
        .filter(|id| set.contains(id))
        .collect()
}

/// The coded segments behind one cell, in document order (sources in project order, then span):
/// codings with the column's code (and codes below it when `include_child_codes`) in the case's
/// sources, and in the turns of the speakers linked to the case (the same for its sub-cases when
/// `include_subcases`), leaving out codings of the matrix's excluded speakers (a coding belongs
/// to the speaker of the turn where it starts, see [`crate::speakers`]).
pub fn cell_segments<'p>(
    project: &'p Project,
    matrix: &Matrix,
    case: CaseId,
    code: CodeId,
) -> Vec<&'p Coding> {
    let index = Index::new(project);
    let mut code_columns: HashMap<CodeId, Vec<usize>> = HashMap::new();
    for c in index.column_codes(code, matrix.include_child_codes) {
        code_columns.entry(c).or_default().push(0);
    }
    collect(&index, matrix, &[case], &code_columns, 1)
        .pop()
        .and_then(|mut row| row.pop())
        .unwrap_or_default()
}

/// Rows, columns and the segments of every cell, found in one pass over the codings.
pub(crate) struct Chart<'p> {
    pub(crate) rows: Vec<RowView>,
    pub(crate) columns: Vec<ColumnView>,
    /// `[row][column]` → segments in document order.
    pub(crate) segments: Vec<Vec<Vec<&'p Coding>>>,
}

/// The segments of every `[row][column]` (see [`visit_case_codings`] for which codings fall
/// under a row's case).
fn collect<'p>(
    index: &Index<'p>,
    matrix: &Matrix,
    row_cases: &[CaseId],
    code_columns: &HashMap<CodeId, Vec<usize>>,
    column_count: usize,
) -> Vec<Vec<Vec<&'p Coding>>> {
    let mut segments: Vec<Vec<Vec<&Coding>>> =
        vec![vec![Vec::new(); column_count]; row_cases.len()];
    let groups: Vec<Vec<CaseId>> = row_cases.iter().map(|c| vec![*c]).collect();
    visit_groups(
        index,
        &groups,
        matrix.include_subcases,
        &matrix.exclude_speakers,
        &|coding| code_columns.contains_key(&coding.code),
        &mut |coding, rows| {
            let Some(column_list) = code_columns.get(&coding.code) else {
                return;
            };
            for r in rows {
                let Some(row) = segments.get_mut(*r) else {
                    continue;
                };
                for c in column_list {
                    if let Some(cell) = row.get_mut(*c) {
                        cell.push(coding);
                    }
                }
            }
        },
    );
    segments
}

/// **Which codings fall under a case** — the one rule of framework matrices, crosstabs and
/// reports. `groups[g]` is a list of cases (one case for a matrix row or crosstab column, every
/// case with an attribute value for a column of a code × attribute table). A coding falls under
/// group `g` when it lies in a source of one of its cases (or of their sub-cases when
/// `include_subcases`), or in a turn of a speaker linked to one of them ([`Case::speakers`],
/// `SpeakerLink`: the turns of that speaker in that source; a coding belongs to the turn where
/// it starts, see [`crate::speakers`]). Codings of the speakers in `exclude_speakers` (compared
/// ignoring case) are left out, and so are codings `wanted` refuses (checked first, cheaply).
///
/// `visit` is called once per coding that falls under some group, in document order (sources in
/// project order, then by span), with the groups it falls under: each group **once**, in
/// ascending order, even when the coding reaches it twice (a source of a case and of its
/// sub-case, or a linked speaker's turn in a source the case also holds whole). One pass over
/// the codings of the sources that concern some group; speaker work is one binary search per
/// coding at most.
pub fn visit_case_codings<'p>(
    project: &'p Project,
    groups: &[Vec<CaseId>],
    include_subcases: bool,
    exclude_speakers: &BTreeSet<String>,
    wanted: &dyn Fn(&Coding) -> bool,
    visit: &mut dyn FnMut(&'p Coding, &[usize]),
) {
    visit_groups(
        &Index::new(project),
        groups,
        include_subcases,
        exclude_speakers,
        wanted,
        visit,
    );
}

/// The codings under one case (and its sub-cases when asked), in document order: the
/// convenience form of [`visit_case_codings`] (no speaker left out).
pub fn case_codings(project: &Project, case: CaseId, include_subcases: bool) -> Vec<&Coding> {
    let mut out = Vec::new();
    visit_case_codings(
        project,
        &[vec![case]],
        include_subcases,
        &BTreeSet::new(),
        &|_| true,
        &mut |coding, _| out.push(coding),
    );
    out
}

fn visit_groups<'p>(
    index: &Index<'p>,
    groups: &[Vec<CaseId>],
    include_subcases: bool,
    exclude_speakers: &BTreeSet<String>,
    wanted: &dyn Fn(&Coding) -> bool,
    visit: &mut dyn FnMut(&'p Coding, &[usize]),
) {
    let project = index.project;
    let mut source_rows: HashMap<SourceId, Vec<usize>> = HashMap::new();
    // (source, speaker key) → groups linked to that speaker.
    let mut speaker_rows: HashMap<(SourceId, String), Vec<usize>> = HashMap::new();
    for (r, group) in groups.iter().enumerate() {
        let mut sources: HashSet<SourceId> = HashSet::new();
        let mut links: HashSet<(SourceId, String)> = HashSet::new();
        for case in group {
            sources.extend(index.case_source_set(*case, include_subcases));
            let cases = if include_subcases {
                index.case_and_descendants(*case)
            } else {
                vec![*case]
            };
            for c in cases.into_iter().filter_map(|c| index.case(c)) {
                for link in &c.speakers {
                    links.insert((link.source, speaker_key(&link.speaker)));
                }
            }
        }
        for source in sources {
            source_rows.entry(source).or_default().push(r);
        }
        for link in links {
            speaker_rows.entry(link).or_default().push(r);
        }
    }
    let linked_sources: HashSet<SourceId> = speaker_rows.keys().map(|(s, _)| *s).collect();
    let excluded: HashSet<String> = exclude_speakers.iter().map(|s| speaker_key(s)).collect();
    let no_rows: Vec<usize> = Vec::new();
    for source in &project.sources {
        let whole = source_rows.get(&source.id);
        let has_links = linked_sources.contains(&source.id);
        if whole.is_none() && !has_links {
            continue;
        }
        let whole = whole.unwrap_or(&no_rows);
        // Per turn: left out, and which groups it goes to (only when it differs from `whole`).
        let needs_turns = has_links || !excluded.is_empty();
        let mut turn_excluded: Vec<bool> = Vec::new();
        let mut turn_rows: Vec<Option<Vec<usize>>> = Vec::new();
        if needs_turns {
            for turn in &source.turns {
                let key = turn.speaker.as_deref().map(speaker_key);
                turn_excluded.push(key.as_ref().is_some_and(|k| excluded.contains(k)));
                let linked = key
                    .filter(|_| has_links)
                    .and_then(|k| speaker_rows.get(&(source.id, k)));
                turn_rows.push(linked.map(|rows| {
                    let mut all = whole.clone();
                    all.extend(rows.iter().copied());
                    crate::sort::sort(&mut all);
                    all.dedup();
                    all
                }));
            }
        }
        for coding in project.codings_of(source.id) {
            if !wanted(coding) {
                continue;
            }
            let mut row_list = whole;
            if needs_turns {
                if let Some(t) = crate::speakers::span_turn_index(source, coding.span) {
                    if turn_excluded.get(t).copied().unwrap_or(false) {
                        continue;
                    }
                    if let Some(Some(rows)) = turn_rows.get(t) {
                        row_list = rows;
                    }
                }
            }
            if !row_list.is_empty() {
                visit(coding, row_list);
            }
        }
    }
}

pub(crate) fn chart<'p>(project: &'p Project, matrix: &Matrix) -> Chart<'p> {
    let index = Index::new(project);
    let rows = ordered_rows(&index, matrix);
    let columns: Vec<ColumnView> = matrix
        .columns
        .iter()
        .filter_map(|id| index.code(*id))
        .map(|code| ColumnView {
            code: code.id,
            name: code.name.clone(),
            path: project.code_path(code.id),
            color: code.color.clone(),
        })
        .collect();
    let mut code_columns: HashMap<CodeId, Vec<usize>> = HashMap::new();
    for (c, column) in columns.iter().enumerate() {
        for code in index.column_codes(column.code, matrix.include_child_codes) {
            code_columns.entry(code).or_default().push(c);
        }
    }
    let row_cases: Vec<CaseId> = rows.iter().map(|r| r.case).collect();
    let segments = collect(&index, matrix, &row_cases, &code_columns, columns.len());
    Chart {
        rows,
        columns,
        segments,
    }
}

/// Every coding id of the project, built only when some summary holds a quote reference.
pub(crate) struct QuoteLookup<'p> {
    project: &'p Project,
    codings: Option<HashMap<CodingId, &'p Coding>>,
}

impl<'p> QuoteLookup<'p> {
    pub(crate) fn new(project: &'p Project) -> Self {
        Self {
            project,
            codings: None,
        }
    }

    pub(crate) fn get(&mut self, id: CodingId) -> Option<&'p Coding> {
        let project = self.project;
        self.codings
            .get_or_insert_with(|| project.all_codings().map(|c| (c.id, c)).collect())
            .get(&id)
            .copied()
    }

    /// Broken references of a summary, each once, in order of appearance.
    pub(crate) fn broken(&mut self, summary: &str) -> Vec<CodingId> {
        if !summary.contains(super::QUOTE_OPEN) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for part in summary_parts(summary) {
            if let SummaryPart::Quote(id) = part {
                if self.get(id).is_none() && !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }
}

/// The state of a cell from its segment count and summary.
pub fn cell_state(segments: usize, summary: &str) -> CellState {
    if !summary.trim().is_empty() && segments == 0 {
        CellState::SummaryNoData
    } else if !summary.trim().is_empty() {
        CellState::Summarised
    } else if segments > 0 {
        CellState::DataNoSummary
    } else {
        CellState::Empty
    }
}

/// The matrix as shown: rows, columns, and per cell its segment count and state. Codings are
/// indexed once (source → rows, code → columns), so 100 cases × 40 codes over 20,000 codings
/// builds in milliseconds.
pub fn build_view(project: &Project, matrix: &Matrix) -> MatrixView {
    build_view_shown(project, project, matrix)
}

/// [`build_view`] counting only the codings of `shown` (the project as seen through a coder
/// filter, [`Project::only_coders`]), while quote references in summaries are looked up in the
/// whole `project` (a quote by a coder not shown is hidden from the counts, not broken).
pub fn build_view_shown(project: &Project, shown: &Project, matrix: &Matrix) -> MatrixView {
    let chart = chart(shown, matrix);
    let mut quotes = QuoteLookup::new(project);
    let cells = chart
        .rows
        .iter()
        .zip(&chart.segments)
        .map(|(row, cells)| {
            chart
                .columns
                .iter()
                .zip(cells)
                .map(|(column, segments)| {
                    let summary = matrix.summary(row.case, column.code);
                    CellView {
                        segments: segments.len(),
                        state: cell_state(segments.len(), summary),
                        broken: quotes.broken(summary).len(),
                    }
                })
                .collect()
        })
        .collect();
    MatrixView {
        rows: chart.rows,
        columns: chart.columns,
        cells,
    }
}

/// Quote references in `summary` whose coding no longer exists (each once, in order).
pub fn broken_references(project: &Project, summary: &str) -> Vec<CodingId> {
    QuoteLookup::new(project).broken(summary)
}

/// `text` on one line (runs of whitespace become one space), cut to at most `max_chars`
/// characters at a word boundary when possible, with `…` marking the cut.
pub fn shorten(text: &str, max_chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    if max_chars == 0 {
        return String::new();
    }
    let keep = max_chars - 1; // room for the ellipsis
    let cut: String = flat.chars().take(keep).collect();
    let at_word_end = flat.chars().nth(keep).is_some_and(|c| c == ' ');
    let cut = match cut.rfind(' ') {
        _ if at_word_end => cut,
        // Back to the last space, unless that loses more than half.
        Some(space) if space * 2 >= cut.len() => cut[..space].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// Summaries for the cells that have segments but no summary yet: one line per segment (in
/// document order), its text shortened to `max_chars` characters in curly quotes, followed by
/// its quote reference token. For `Action::SetCellSummaries`; cells with a summary are left
/// alone.
pub fn seed_with_quotes(
    project: &Project,
    matrix: &Matrix,
    max_chars: usize,
) -> Vec<(CaseId, CodeId, String)> {
    let chart = chart(project, matrix);
    let mut out = Vec::new();
    for (row, cells) in chart.rows.iter().zip(&chart.segments) {
        for (column, segments) in chart.columns.iter().zip(cells) {
            if segments.is_empty() || !matrix.summary(row.case, column.code).trim().is_empty() {
                continue;
            }
            let lines: Vec<String> = segments
                .iter()
                .map(|c| {
                    let extract = shorten(project.coded_text(c), max_chars);
                    let token = super::quote_token(c.id);
                    if extract.is_empty() {
                        token
                    } else {
                        format!("“{extract}” {token}")
                    }
                })
                .collect();
            out.push((row.case, column.code, lines.join("\n")));
        }
    }
    out
}

/// Where the project's summaries quote any of `codings`, in words ("“Chart”: P1 × Funding",
/// "“Chart”: P1, case summary"), each place once, in matrix, row and column order: what a
/// researcher is told before removing those codings.
pub fn summaries_quoting(project: &Project, codings: &[CodingId]) -> Vec<String> {
    let quotes = |text: &str| {
        text.contains(super::QUOTE_OPEN)
            && summary_parts(text)
                .iter()
                .any(|part| matches!(part, SummaryPart::Quote(id) if codings.contains(id)))
    };
    let case_name = |id: CaseId| {
        project
            .case(id)
            .map_or("(a removed case)", |c| c.name.as_str())
    };
    let mut out = Vec::new();
    for m in &project.matrices {
        for (case, row) in &m.cells {
            for (code, text) in row {
                if quotes(text) {
                    let code = project
                        .code(*code)
                        .map_or("(a removed code)", |c| c.name.as_str());
                    out.push(format!("“{}”: {} × {code}", m.name, case_name(*case)));
                }
            }
        }
        for (case, text) in &m.case_summaries {
            if quotes(text) {
                out.push(format!("“{}”: {}, case summary", m.name, case_name(*case)));
            }
        }
    }
    out
}
