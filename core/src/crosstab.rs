//! Crosstabs and code co-occurrence: how often each code occurs per case or per attribute value
//! (codes × rurality, codes × role), and which codes occur together.
//!
//! **Which codings fall under a column** is the framework matrix's rule,
//! [`crate::matrix::visit_case_codings`] (a case's sources, with its sub-cases' when asked, and
//! the turns of the speakers linked to it), so a crosstab cell and the matrix cell of the same
//! case and code always hold the same segments.
//!
//! **Counting rules** (each cell counts the codings of its column whose code is the row's code,
//! or one below it when `include_children`):
//! - [`Count::Segments`]: codings; a coding is counted once per cell, even when its case reaches
//!   it twice or its code is both the row's code and below it.
//! - [`Count::Sources`]: sources with at least one such coding.
//! - [`Count::Cases`]: cases of the column (with their sub-cases when `include_subcases`) with
//!   at least one such coding.
//! - [`Count::Words`]: words of the text covered, per source the **union** of the codings' spans,
//!   so overlapping codings (of one code, or of a code and its child) count their words once.
//!   A word is a run of characters between white space holding a letter or digit.
//!
//! Totals use the same rule over the union: a row's total counts the codings of every column
//! once (a coding under two columns is one coding), a column's total the codings of every row's
//! codes once, so totals may be less than the sum of their cells when columns or rows overlap.
//! Subtotal rows (after each top-level code that has codes below it) count the union of that
//! code's subtree.
//!
//! **Co-occurrence**: two codings meet when their spans overlap ([`Proximity::Overlap`]), or
//! when they touch the same paragraph or speaker turn. A code × code cell counts overlapping
//! pairs of codings, or the paragraphs / turns where both codes are; [`meetings`] lists those
//! passages for two codes. Both sweep each source once in text order: never all pairs of codings.

use crate::ids::{AttributeId, CaseId, CodeId, CodingId, SourceId};
use crate::matrix::{cases_by_value, visit_case_codings};
use crate::model::case::AttrValue;
use crate::project::{Coding, Project, Span};
use crate::sort::Gather;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

mod shown;
pub use shown::{
    cell, shown, table, CellShown, Choice, Part, Passage, Shown, COLUMN_REM, NAME_REM, ROW_PCT_REM,
    ROW_REM, WINDOW_FROM,
};

/// What a crosstab cell counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum Count {
    /// Coded segments.
    #[default]
    Segments,
    /// Sources with the code.
    Sources,
    /// Cases with the code.
    Cases,
    /// Coded words (overlaps counted once).
    Words,
}

impl Count {
    /// Every count, in menu order.
    pub const ALL: [Count; 4] = [Self::Segments, Self::Sources, Self::Cases, Self::Words];

    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Segments => "Coded segments",
            Self::Sources => "Sources with the code",
            Self::Cases => "Cases with the code",
            Self::Words => "Coded words",
        }
    }
}

/// Which percentage a table shows beside its counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum Percent {
    /// Counts only.
    #[default]
    None,
    /// Of the row's total.
    Row,
    /// Of the column's total.
    Column,
    /// Of the table's total.
    Total,
}

impl Percent {
    /// Every mode, in menu order.
    pub const ALL: [Percent; 4] = [Self::None, Self::Row, Self::Column, Self::Total];

    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "No percentages",
            Self::Row => "Row %",
            Self::Column => "Column %",
            Self::Total => "Total %",
        }
    }
}

/// The columns of a crosstab.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Columns {
    /// These cases, one column each, in this order.
    Cases(Vec<CaseId>),
    /// One column per value of this attribute (categories in their order, other values sorted,
    /// then "(no value)" when some case has none), over every case.
    Attribute(AttributeId),
}

/// What a crosstab shows.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Spec {
    /// The codes as rows, in this order; `None`: every code in codebook-tree order.
    pub codes: Option<Vec<CodeId>>,
    /// A code's row counts the codings of the codes below it too.
    pub include_children: bool,
    /// A subtotal row after each top-level code with codes below it.
    pub subtotals: bool,
    /// The columns.
    pub columns: Columns,
    /// A case's column counts the codings of its sub-cases too.
    pub include_subcases: bool,
    /// What a cell counts.
    pub count: Count,
    /// Only codings by these coders; `None`: every coder.
    pub coders: Option<BTreeSet<String>>,
    /// Codings in the turns of these speakers are left out (compared ignoring case).
    pub exclude_speakers: BTreeSet<String>,
}

impl Spec {
    /// Every code (tree order, children not included) × these columns, counting segments of
    /// every coder, sub-cases included.
    pub fn new(columns: Columns) -> Self {
        Self {
            codes: None,
            include_children: false,
            subtotals: false,
            columns,
            include_subcases: true,
            count: Count::Segments,
            coders: None,
            exclude_speakers: BTreeSet::new(),
        }
    }

    fn wanted(&self, coding: &Coding) -> bool {
        self.coders
            .as_ref()
            .is_none_or(|coders| coders.contains(&coding.coder))
    }
}

/// One row of a crosstab.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Row {
    /// The row's code (for a subtotal, the top-level code it sums up).
    pub code: CodeId,
    /// The code's name, or `Subtotal: name`.
    pub label: String,
    /// Depth in the codebook tree (a subtotal has its code's depth).
    pub depth: usize,
    /// A subtotal row.
    pub subtotal: bool,
}

/// One column of a crosstab.
#[derive(Clone, PartialEq, Debug)]
pub struct Column {
    /// The case's name or the attribute value (`(no value)`).
    pub label: String,
    /// The cases it covers.
    pub cases: Vec<CaseId>,
    /// Depth of a case column in the case tree (0 for values).
    pub depth: usize,
}

/// A computed crosstab.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Crosstab {
    /// Rows in display order.
    pub rows: Vec<Row>,
    /// Columns in display order.
    pub columns: Vec<Column>,
    /// `[row][column]` counts.
    pub cells: Vec<Vec<u64>>,
    /// Per row, the count over every column (each coding once).
    pub row_totals: Vec<u64>,
    /// Per column, the count over every row's codes (each coding once).
    pub column_totals: Vec<u64>,
    /// The count over the whole table.
    pub total: u64,
}

impl Crosstab {
    /// The percentage `percent` shows for a value at `row` and `column` (`None` for the totals
    /// row or column); `None` when there is nothing to divide by or no percentage is asked.
    pub fn percent(
        &self,
        value: u64,
        row: Option<usize>,
        column: Option<usize>,
        percent: Percent,
    ) -> Option<f64> {
        let whole = match percent {
            Percent::None => return None,
            Percent::Row => match row {
                Some(r) => self.row_totals.get(r).copied()?,
                None => self.total,
            },
            Percent::Column => match column {
                Some(c) => self.column_totals.get(c).copied()?,
                None => self.total,
            },
            Percent::Total => self.total,
        };
        (whole > 0).then(|| value as f64 * 100.0 / whole as f64)
    }

    /// The largest cell (for shading), at least 1.
    pub fn max_cell(&self) -> u64 {
        self.cells
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1)
    }
}

/// A percentage as shown and exported: `12.5%`, `100%`, `0%`.
pub fn format_percent(p: f64) -> String {
    let rounded = (p * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}%")
    } else {
        format!("{rounded:.1}%")
    }
}

/// Words in `text`: runs between white space that hold a letter or digit.
pub fn word_count(text: &str) -> u64 {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count() as u64
}

/// The rows of `spec` and, per row, the codes it collects.
fn rows_of(project: &Project, spec: &Spec) -> (Vec<Row>, Vec<BTreeSet<CodeId>>) {
    let tree = project.code_tree();
    let depth: HashMap<CodeId, usize> = tree.iter().copied().collect();
    let shown: Vec<CodeId> = match &spec.codes {
        None => tree.iter().map(|(id, _)| *id).collect(),
        Some(list) => {
            let mut seen = BTreeSet::new();
            list.iter()
                .copied()
                .filter(|id| depth.contains_key(id) && seen.insert(*id))
                .collect()
        }
    };
    let shown_set: BTreeSet<CodeId> = shown.iter().copied().to_set();
    let name = |id: CodeId| project.code(id).map(|c| c.name.clone()).unwrap_or_default();
    let mut rows = Vec::new();
    let mut sets = Vec::new();
    // The top-level code whose subtotal is still to come, with its subtree.
    let mut open: Option<(CodeId, BTreeSet<CodeId>)> = None;
    for id in shown {
        let d = depth.get(&id).copied().unwrap_or(0);
        if spec.subtotals {
            if let Some((top, subtree)) = open.take() {
                if subtree.contains(&id) {
                    open = Some((top, subtree));
                } else {
                    push_subtotal(&mut rows, &mut sets, top, subtree, &shown_set, &name);
                }
            }
            if open.is_none() && project.code(id).is_some_and(|c| c.parent.is_none()) {
                let subtree = project.descendants_and_self(id);
                if subtree.len() > 1 {
                    open = Some((id, subtree));
                }
            }
        }
        rows.push(Row {
            code: id,
            label: name(id),
            depth: d,
            subtotal: false,
        });
        sets.push(if spec.include_children {
            project.descendants_and_self(id)
        } else {
            BTreeSet::from([id])
        });
    }
    if let Some((top, subtree)) = open {
        push_subtotal(&mut rows, &mut sets, top, subtree, &shown_set, &name);
    }
    (rows, sets)
}

fn push_subtotal(
    rows: &mut Vec<Row>,
    sets: &mut Vec<BTreeSet<CodeId>>,
    top: CodeId,
    subtree: BTreeSet<CodeId>,
    shown: &BTreeSet<CodeId>,
    name: &dyn Fn(CodeId) -> String,
) {
    rows.push(Row {
        code: top,
        label: format!("Subtotal: {}", name(top)),
        depth: 0,
        subtotal: true,
    });
    sets.push(subtree.intersection(shown).copied().to_set());
}

/// The columns of `spec`.
fn columns_of(project: &Project, spec: &Spec) -> Vec<Column> {
    match &spec.columns {
        Columns::Cases(list) => {
            let depth: HashMap<CaseId, usize> = project.case_tree().into_iter().collect();
            list.iter()
                .filter_map(|id| project.case(*id))
                .map(|case| Column {
                    label: case.name.clone(),
                    cases: vec![case.id],
                    depth: depth.get(&case.id).copied().unwrap_or(0),
                })
                .collect()
        }
        Columns::Attribute(attribute) => {
            if project.attribute(*attribute).is_none() {
                return Vec::new();
            }
            let all: Vec<CaseId> = project.case_tree().into_iter().map(|(id, _)| id).collect();
            cases_by_value(project, *attribute, &all)
                .into_iter()
                .map(|(value, cases)| Column {
                    label: value
                        .as_ref()
                        .map_or_else(|| crate::matrix::NO_VALUE.to_string(), AttrValue::to_string),
                    cases,
                    depth: 0,
                })
                .collect()
        }
    }
}

/// Per code, the rows collecting it (the totals row `rows.len()` last when some row does).
fn code_rows(sets: &[BTreeSet<CodeId>]) -> HashMap<CodeId, Vec<usize>> {
    let mut map: HashMap<CodeId, Vec<usize>> = HashMap::new();
    for (r, set) in sets.iter().enumerate() {
        for code in set {
            map.entry(*code).or_default().push(r);
        }
    }
    for list in map.values_mut() {
        list.push(sets.len());
    }
    map
}

/// The words of a source's coded text ([`word_count`]'s rule) as byte ranges in text order, so
/// that the words of any span are counted by two binary searches instead of reading the span
/// again (a coding is counted in its column's tally, the totals column's and each row collecting
/// its code).
struct Words<'t> {
    text: &'t str,
    /// Runs between white space holding a letter or digit: `(start, end)`.
    runs: Vec<(usize, usize)>,
}

impl<'t> Words<'t> {
    /// The words of `text` within `regions` (sorted, apart): a span inside a region is counted
    /// as reading it, since a word cut by the region's edge is only read where it is inside.
    fn new(text: &'t str, regions: &[Span]) -> Self {
        let bytes = text.as_bytes();
        let mut runs = Vec::new();
        for region in regions {
            // On characters' boundaries, outwards.
            let mut i = region.start.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            let mut end = region.end.min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let mut open: Option<usize> = None;
            let mut alnum = false;
            while let Some(&b) = bytes.get(i).filter(|_| i < end) {
                // ASCII read byte by byte (most text), other characters decoded.
                let (space, letter, len) = if b.is_ascii() {
                    let c = char::from(b);
                    (
                        c.is_ascii_whitespace() || b == 0x0b,
                        c.is_ascii_alphanumeric(),
                        1,
                    )
                } else {
                    match text.get(i..).and_then(|rest| rest.chars().next()) {
                        Some(c) => (c.is_whitespace(), c.is_alphanumeric(), c.len_utf8()),
                        None => (false, false, 1),
                    }
                };
                if space {
                    if let Some(start) = open.take() {
                        if alnum {
                            runs.push((start, i));
                        }
                    }
                    alnum = false;
                } else {
                    open.get_or_insert(i);
                    alnum |= letter;
                }
                i += len;
            }
            if let (Some(start), true) = (open, alnum) {
                runs.push((start, end));
            }
        }
        Self { text, runs }
    }

    /// The parts of `text` that `spans` (sorted by start) cover, merged.
    fn regions(spans: impl Iterator<Item = Span>) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        for span in spans {
            match out.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => out.push(span),
            }
        }
        out
    }

    /// `word_count` of the span's text: the runs it touches, less a run cut at an edge whose
    /// part inside holds no letter or digit (0 when the span is not in the text).
    fn count(&self, span: Span) -> u64 {
        let (a, b) = (span.start, span.end);
        if self.text.get(a..b).is_none() {
            return 0;
        }
        let lo = self.runs.partition_point(|r| r.1 <= a);
        let hi = self.runs.partition_point(|r| r.0 < b);
        if hi <= lo {
            return 0;
        }
        let cut_empty = |i: usize| {
            self.runs.get(i).is_some_and(|&(s, e)| {
                (s < a || e > b)
                    && !self
                        .text
                        .get(s.max(a)..e.min(b))
                        .is_some_and(|w| w.chars().any(char::is_alphanumeric))
            })
        };
        let mut n = (hi - lo) as u64;
        n -= u64::from(cut_empty(lo));
        if hi - 1 > lo {
            n -= u64::from(cut_empty(hi - 1));
        }
        n
    }

    /// Words covered by the union of `spans` (sorted and merged here).
    fn union(&self, spans: &mut [Span]) -> u64 {
        crate::sort::sort_by_key(spans, |s| (s.start, s.end));
        let mut words = 0;
        let mut current: Option<Span> = None;
        for span in spans.iter() {
            match current.as_mut() {
                Some(c) if span.start <= c.end => c.end = c.end.max(span.end),
                _ => {
                    if let Some(c) = current.take() {
                        words += self.count(c);
                    }
                    current = Some(*span);
                }
            }
        }
        if let Some(c) = current {
            words += self.count(c);
        }
        words
    }
}

/// Counts of one group of codings (a column, or all columns) per row (+ the totals row), for
/// segments, sources or words.
struct Tally<'t> {
    count: Count,
    rows: usize,
    counts: Vec<u64>,
    /// Sources: the last source counted per row. Words: spans of the current source per row.
    last_source: Vec<Option<SourceId>>,
    spans: Vec<Vec<Span>>,
    source: Option<(SourceId, &'t Words<'t>)>,
}

impl<'t> Tally<'t> {
    fn new(count: Count, rows: usize) -> Self {
        Self {
            count,
            rows,
            counts: vec![0; rows + 1],
            last_source: vec![None; rows + 1],
            spans: if count == Count::Words {
                vec![Vec::new(); rows + 1]
            } else {
                Vec::new()
            },
            source: None,
        }
    }

    fn flush(&mut self) {
        if let Some((_, words)) = self.source {
            for (r, spans) in self.spans.iter_mut().enumerate() {
                if !spans.is_empty() {
                    self.counts[r] += words.union(spans);
                    spans.clear();
                }
            }
        }
    }

    /// Counts `coding` in `rows`; `words`: its source's words ([`Count::Words`] only).
    fn add(&mut self, coding: &Coding, words: Option<&'t Words<'t>>, rows: &[usize]) {
        if self.count == Count::Words && self.source.map(|(s, _)| s) != Some(coding.source) {
            self.flush();
            self.source = words.map(|w| (coding.source, w));
        }
        for &r in rows {
            if r > self.rows {
                continue;
            }
            match self.count {
                Count::Segments | Count::Cases => self.counts[r] += 1,
                Count::Sources => {
                    if self.last_source[r] != Some(coding.source) {
                        self.last_source[r] = Some(coding.source);
                        self.counts[r] += 1;
                    }
                }
                Count::Words => self.spans[r].push(coding.span),
            }
        }
    }

    fn finish(mut self) -> Vec<u64> {
        self.flush();
        self.counts
    }
}

/// The crosstab `spec` asks for, computed in one pass over the codings (plus one per case for
/// [`Count::Cases`]); see the module docs for the counting rules.
pub fn crosstab(project: &Project, spec: &Spec) -> Crosstab {
    let (rows, sets) = rows_of(project, spec);
    let columns = columns_of(project, spec);
    let by_code = code_rows(&sets);
    let n_rows = rows.len();
    let n_cols = columns.len();
    // Coded words: each source's words found once.
    let words: HashMap<SourceId, Words> = if spec.count == Count::Words {
        project
            .sources
            .iter()
            .filter(|s| !project.codings_of(s.id).is_empty())
            .map(|s| {
                // Only the coded parts are read (a fifth of the text at study scale).
                let codings = project.codings_of(s.id);
                let regions = Words::regions(codings.iter().map(|c| c.span));
                (s.id, Words::new(&s.text, &regions))
            })
            .collect()
    } else {
        HashMap::new()
    };
    let wanted = |c: &Coding| by_code.contains_key(&c.code) && spec.wanted(c);
    // [column] → per row (+ totals row) counts; the last column is the totals column.
    let per_column: Vec<Vec<u64>> = if spec.count == Count::Cases {
        cases_counts(project, spec, &columns, &by_code, n_rows, &wanted)
    } else {
        let mut groups: Vec<Vec<CaseId>> = columns.iter().map(|c| c.cases.clone()).collect();
        let mut all: Vec<CaseId> = groups.iter().flatten().copied().collect();
        let mut seen = BTreeSet::new();
        all.retain(|c| seen.insert(*c));
        groups.push(all);
        let mut tallies: Vec<Tally> = (0..=n_cols)
            .map(|_| Tally::new(spec.count, n_rows))
            .collect();
        visit_case_codings(
            project,
            &groups,
            spec.include_subcases,
            &spec.exclude_speakers,
            &wanted,
            &mut |coding, groups| {
                let Some(rows) = by_code.get(&coding.code) else {
                    return;
                };
                let words = words.get(&coding.source);
                for g in groups {
                    if let Some(tally) = tallies.get_mut(*g) {
                        tally.add(coding, words, rows);
                    }
                }
            },
        );
        tallies.into_iter().map(Tally::finish).collect()
    };
    let at = |c: usize, r: usize| {
        per_column
            .get(c)
            .and_then(|v| v.get(r))
            .copied()
            .unwrap_or(0)
    };
    Crosstab {
        cells: (0..n_rows)
            .map(|r| (0..n_cols).map(|c| at(c, r)).collect())
            .collect(),
        row_totals: (0..n_rows).map(|r| at(n_cols, r)).collect(),
        column_totals: (0..n_cols).map(|c| at(c, n_rows)).collect(),
        total: at(n_cols, n_rows),
        rows,
        columns,
    }
}

/// [`Count::Cases`]: per case, which rows it has; then per column the cases that have each row.
fn cases_counts(
    project: &Project,
    spec: &Spec,
    columns: &[Column],
    by_code: &HashMap<CodeId, Vec<usize>>,
    n_rows: usize,
    wanted: &dyn Fn(&Coding) -> bool,
) -> Vec<Vec<u64>> {
    let mut cases: Vec<CaseId> = columns
        .iter()
        .flat_map(|c| c.cases.iter().copied())
        .collect();
    let mut seen = BTreeSet::new();
    cases.retain(|c| seen.insert(*c));
    let index: HashMap<CaseId, usize> = cases.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let groups: Vec<Vec<CaseId>> = cases.iter().map(|c| vec![*c]).collect();
    let mut has = vec![vec![false; n_rows + 1]; cases.len()];
    visit_case_codings(
        project,
        &groups,
        spec.include_subcases,
        &spec.exclude_speakers,
        wanted,
        &mut |coding, groups| {
            let Some(rows) = by_code.get(&coding.code) else {
                return;
            };
            for g in groups {
                if let Some(row) = has.get_mut(*g) {
                    for r in rows {
                        if let Some(flag) = row.get_mut(*r) {
                            *flag = true;
                        }
                    }
                }
            }
        },
    );
    let count = |members: &mut dyn Iterator<Item = &CaseId>| {
        let mut counts = vec![0u64; n_rows + 1];
        for case in members {
            if let Some(flags) = index.get(case).and_then(|i| has.get(*i)) {
                for (r, flag) in flags.iter().enumerate() {
                    counts[r] += u64::from(*flag);
                }
            }
        }
        counts
    };
    let mut out: Vec<Vec<u64>> = columns.iter().map(|c| count(&mut c.cases.iter())).collect();
    out.push(count(&mut cases.iter()));
    out
}

/// The codings behind one crosstab cell, in document order: the codings of column `column`
/// (`None`: every column) whose code row `row` collects. `None` when the row or column is not in
/// the table.
pub fn cell_codings<'p>(
    project: &'p Project,
    spec: &Spec,
    row: usize,
    column: Option<usize>,
) -> Option<Vec<&'p Coding>> {
    let (_, sets) = rows_of(project, spec);
    let codes = sets.get(row)?;
    let columns = columns_of(project, spec);
    let cases: Vec<CaseId> = match column {
        Some(c) => columns.get(c)?.cases.clone(),
        None => {
            let mut all: Vec<CaseId> = columns.iter().flat_map(|c| c.cases.clone()).collect();
            let mut seen = BTreeSet::new();
            all.retain(|c| seen.insert(*c));
            all
        }
    };
    let mut out = Vec::new();
    visit_case_codings(
        project,
        &[cases],
        spec.include_subcases,
        &spec.exclude_speakers,
        &|c| codes.contains(&c.code) && spec.wanted(c),
        &mut |coding, _| out.push(coding),
    );
    Some(out)
}

/// When two codings meet.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum Proximity {
    /// Their spans overlap.
    #[default]
    Overlap,
    /// They touch the same paragraph.
    Paragraph,
    /// They touch the same speaker turn.
    Turn,
}

impl Proximity {
    /// Every proximity, in menu order.
    pub const ALL: [Proximity; 3] = [Self::Overlap, Self::Paragraph, Self::Turn];

    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Overlap => "Overlapping segments",
            Self::Paragraph => "Same paragraph",
            Self::Turn => "Same speaker turn",
        }
    }
}

/// A code × code co-occurrence table.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Cooccurrence {
    /// The codes, rows and columns alike, with their depths in the tree.
    pub codes: Vec<(CodeId, usize)>,
    /// `[a][b]`: overlapping pairs of codings (with [`Proximity::Overlap`]) or paragraphs / turns
    /// holding both codes; symmetric. The diagonal counts the code's codings, or the paragraphs /
    /// turns holding it.
    pub cells: Vec<Vec<u64>>,
}

/// Places where two codes meet: the units (paragraphs or turns, or for overlaps each
/// overlapping pair) a source's codings touch, as `(unit, coding index)` pairs, found by one
/// sweep in text order.
fn units(
    source_text: &str,
    turns: &[crate::project::Turn],
    codings: &[&Coding],
    proximity: Proximity,
) -> (Vec<Span>, Vec<(usize, usize)>) {
    let units: Vec<Span> = match proximity {
        Proximity::Overlap => Vec::new(),
        Proximity::Paragraph => crate::text::paragraphs(source_text),
        Proximity::Turn => turns.iter().map(|t| t.span).collect(),
    };
    let mut touches = Vec::new();
    for (i, coding) in codings.iter().enumerate() {
        let first = units.partition_point(|u| u.end <= coding.span.start);
        for (u, unit) in units.iter().enumerate().skip(first) {
            if unit.start >= coding.span.end {
                break;
            }
            if unit.start < unit.end {
                touches.push((u, i));
            }
        }
    }
    (units, touches)
}

/// Overlapping pairs `(i, j)` (indices into `codings`, sorted by start) by a sweep that keeps
/// the codings still open.
fn overlapping_pairs(codings: &[&Coding], mut pair: impl FnMut(usize, usize)) {
    let mut open: Vec<usize> = Vec::new();
    for (j, coding) in codings.iter().enumerate() {
        open.retain(|&i| {
            codings
                .get(i)
                .is_some_and(|c| c.span.end > coding.span.start)
        });
        for &i in &open {
            pair(i, j);
        }
        open.push(j);
    }
}

/// The codings of a source that `keep` accepts, sorted by start.
fn source_codings<'p>(
    project: &'p Project,
    source: SourceId,
    keep: &dyn Fn(&Coding) -> bool,
) -> Vec<&'p Coding> {
    // `codings_of` is sorted by (start, end, id).
    project
        .codings_of(source)
        .iter()
        .filter(|c| keep(c))
        .collect()
}

/// The co-occurrence of `codes` (each its own codings, children not included) by `proximity`,
/// codings of `coders` only when given (see [`Cooccurrence`] for what a cell counts).
pub fn cooccurrence(
    project: &Project,
    codes: &[CodeId],
    proximity: Proximity,
    coders: Option<&BTreeSet<String>>,
) -> Cooccurrence {
    let depth: HashMap<CodeId, usize> = project.code_tree().into_iter().collect();
    let mut list: Vec<(CodeId, usize)> = Vec::new();
    let mut index: HashMap<CodeId, usize> = HashMap::new();
    for code in codes {
        if let Some(d) = depth.get(code) {
            if !index.contains_key(code) {
                index.insert(*code, list.len());
                list.push((*code, *d));
            }
        }
    }
    let n = list.len();
    let mut cells = vec![vec![0u64; n]; n];
    let keep =
        |c: &Coding| index.contains_key(&c.code) && coders.is_none_or(|set| set.contains(&c.coder));
    let code_of = |c: &Coding| index.get(&c.code).copied().unwrap_or(0);
    for source in &project.sources {
        let codings = source_codings(project, source.id, &keep);
        if codings.is_empty() {
            continue;
        }
        if proximity == Proximity::Overlap {
            for c in &codings {
                let k = code_of(c);
                bump(&mut cells, k, k);
            }
            overlapping_pairs(&codings, |i, j| {
                let (a, b) = (code_of(codings[i]), code_of(codings[j]));
                if a != b {
                    bump(&mut cells, a, b);
                    bump(&mut cells, b, a);
                }
            });
            continue;
        }
        let (_, touches) = units(&source.text, &source.turns, &codings, proximity);
        let mut present: Vec<(usize, usize)> = touches
            .into_iter()
            .map(|(u, i)| (u, code_of(codings[i])))
            .collect();
        crate::sort::sort(&mut present);
        present.dedup();
        for unit in present.chunk_by(|a, b| a.0 == b.0) {
            for (x, &(_, a)) in unit.iter().enumerate() {
                bump(&mut cells, a, a);
                for &(_, b) in unit.iter().skip(x + 1) {
                    bump(&mut cells, a, b);
                    bump(&mut cells, b, a);
                }
            }
        }
    }
    Cooccurrence { codes: list, cells }
}

fn bump(cells: &mut [Vec<u64>], a: usize, b: usize) {
    if let Some(cell) = cells.get_mut(a).and_then(|row| row.get_mut(b)) {
        *cell += 1;
    }
}

/// One passage where two codes meet.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Meeting {
    /// The source.
    pub source: SourceId,
    /// The passage: the two overlapping codings' spans together, or the paragraph / turn.
    pub span: Span,
    /// The codings of either code that meet there, in text order.
    pub codings: Vec<CodingId>,
}

/// The passages where codes `a` and `b` meet by `proximity`, in document order (sources in
/// project order): one per overlapping pair of an `a` and a `b` coding, or one per paragraph /
/// turn holding both: as many as the co-occurrence cell of `a` and `b` (`a` ≠ `b`; none when
/// they are the same code).
pub fn meetings(
    project: &Project,
    a: CodeId,
    b: CodeId,
    proximity: Proximity,
    coders: Option<&BTreeSet<String>>,
) -> Vec<Meeting> {
    let keep = |c: &Coding| {
        (c.code == a || c.code == b) && coders.is_none_or(|set| set.contains(&c.coder))
    };
    let mut out = Vec::new();
    for source in &project.sources {
        let codings = source_codings(project, source.id, &keep);
        if codings.is_empty() {
            continue;
        }
        if proximity == Proximity::Overlap {
            overlapping_pairs(&codings, |i, j| {
                let (x, y) = (codings[i], codings[j]);
                if x.code != y.code {
                    out.push(Meeting {
                        source: source.id,
                        span: Span::new(x.span.start.min(y.span.start), x.span.end.max(y.span.end)),
                        codings: vec![x.id, y.id],
                    });
                }
            });
            continue;
        }
        let (units, mut touches) = units(&source.text, &source.turns, &codings, proximity);
        crate::sort::sort(&mut touches);
        for unit in touches.chunk_by(|x, y| x.0 == y.0) {
            let has = |code: CodeId| unit.iter().any(|(_, i)| codings[*i].code == code);
            if a != b && has(a) && has(b) {
                if let Some(span) = unit.first().and_then(|(u, _)| units.get(*u)) {
                    out.push(Meeting {
                        source: source.id,
                        span: *span,
                        codings: unit.iter().map(|(_, i)| codings[*i].id).collect(),
                    });
                }
            }
        }
    }
    out
}

/// One cell of an exported table.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum TableCell {
    /// Text.
    Text(String),
    /// A number (a count or a percentage).
    Number(f64),
}

/// The numbers of a table are counts and percentages, always finite, so equality is reflexive
/// (the worker protocol's messages are `Eq`).
impl Eq for TableCell {}

impl TableCell {
    fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Number(n) => AttrValue::Number(*n).to_string(),
        }
    }
}

/// A table as exported (CSV in the page, XLSX in the worker): a sheet name, a header row and
/// rows, the first cell of each a label.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Table {
    /// The sheet's name.
    pub name: String,
    /// The header row.
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<TableCell>>,
}

impl Table {
    /// The table as CSV (RFC 4180, CRLF line ends).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut line = |cells: Vec<String>| {
            let fields: Vec<String> = cells.iter().map(|c| crate::csv::csv_field(c)).collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        };
        line(self.header.clone());
        for row in &self.rows {
            line(row.iter().map(TableCell::text).collect());
        }
        out
    }

    /// The table as an XLSX workbook of one sheet (numbers as numbers).
    #[cfg(feature = "formats")]
    pub fn to_xlsx(&self) -> Result<Vec<u8>, crate::archive::ArchiveError> {
        use crate::xlsx::{workbook, Cell, Sheet};
        let mut rows = vec![self.header.iter().cloned().map(Cell::Text).collect()];
        rows.extend(self.rows.iter().map(|row| {
            row.iter()
                .map(|c| match c {
                    TableCell::Text(t) if t.is_empty() => Cell::Empty,
                    TableCell::Text(t) => Cell::Text(t.clone()),
                    TableCell::Number(n) => Cell::Number(*n),
                })
                .collect()
        }));
        let widths = (0..self.header.len())
            .map(|i| if i == 0 { 36.0 } else { 14.0 })
            .collect();
        workbook(&[Sheet {
            name: self.name.clone(),
            rows,
            widths,
        }])
    }
}

/// A crosstab as a table: a `Code` column (code paths; `Subtotal: …` rows), one column per
/// column of the crosstab and `Total`, then a `Total` row; with a percentage, each count column
/// is followed by its `… %` column (rounded to one decimal).
pub fn crosstab_table(
    project: &Project,
    table: &Crosstab,
    count: Count,
    percent: Percent,
) -> Table {
    let mut header = vec![format!("Code ({})", count.label().to_lowercase())];
    let mut push_header = |label: &str| {
        header.push(label.to_string());
        if percent != Percent::None {
            header.push(format!("{label} %"));
        }
    };
    for column in &table.columns {
        push_header(&column.label);
    }
    push_header("Total");
    let cell = |out: &mut Vec<TableCell>, value: u64, row: Option<usize>, column: Option<usize>| {
        out.push(TableCell::Number(value as f64));
        if percent != Percent::None {
            out.push(match table.percent(value, row, column, percent) {
                Some(p) => TableCell::Number((p * 10.0).round() / 10.0),
                None => TableCell::Text(String::new()),
            });
        }
    };
    let mut rows = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let mut out = vec![TableCell::Text(if row.subtotal {
            row.label.clone()
        } else {
            project.code_path(row.code)
        })];
        for (c, value) in table.cells.get(r).into_iter().flatten().enumerate() {
            cell(&mut out, *value, Some(r), Some(c));
        }
        cell(
            &mut out,
            table.row_totals.get(r).copied().unwrap_or(0),
            Some(r),
            None,
        );
        rows.push(out);
    }
    let mut totals = vec![TableCell::Text("Total".into())];
    for (c, value) in table.column_totals.iter().enumerate() {
        cell(&mut totals, *value, None, Some(c));
    }
    cell(&mut totals, table.total, None, None);
    rows.push(totals);
    Table {
        name: "Crosstab".into(),
        header,
        rows,
    }
}

/// A co-occurrence table as a table: code paths down and across, the counts between.
pub fn cooccurrence_table(project: &Project, table: &Cooccurrence, proximity: Proximity) -> Table {
    let mut header = vec![format!("Code ({})", proximity.label().to_lowercase())];
    header.extend(table.codes.iter().map(|(id, _)| project.code_path(*id)));
    let rows = table
        .codes
        .iter()
        .zip(&table.cells)
        .map(|((id, _), cells)| {
            std::iter::once(TableCell::Text(project.code_path(*id)))
                .chain(cells.iter().map(|n| TableCell::Number(*n as f64)))
                .collect()
        })
        .collect();
    Table {
        name: "Co-occurrence".into(),
        header,
        rows,
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_any_span_are_counted_as_reading_it() {
        // Words cut at either edge, punctuation alone, several white spaces (ASCII and not:
        // tab, vertical tab, form feed, no-break space), letters beyond ASCII, a span inside one
        // word, spans that start or end in white space.
        let text =
            "  Well,  (yes) — the café's\tnew...\u{b}ok?\r\n\u{c}-- 42x  ∑ é \u{a0}end\u{2003}ß";
        for c in (0..128u8).map(char::from) {
            let one = c.to_string();
            let words = Words::new(&one, &[Span::new(0, 1)]);
            assert_eq!(words.count(Span::new(0, 1)), word_count(&one), "{c:?}");
        }
        let whole = [Span::new(0, text.len())];
        let words = Words::new(text, &whole);
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for &a in &bounds {
            for &b in bounds.iter().filter(|b| **b >= a) {
                let span = Span::new(a, b);
                assert_eq!(
                    words.count(span),
                    word_count(&text[a..b]),
                    "{a}..{b}: {:?}",
                    &text[a..b]
                );
            }
        }
        // Read in regions cut anywhere (inside words, inside characters): every span inside a
        // region counts the same.
        for (x, y, z) in [(3, 9, 17), (4, 13, 31), (1, 26, 27), (0, 10, 10)] {
            let regions = Words::regions(
                [Span::new(x, y), Span::new(y + 2, z), Span::new(z, z + 9)].into_iter(),
            );
            let words = Words::new(text, &regions);
            for region in &regions {
                for &a in bounds
                    .iter()
                    .filter(|a| (region.start..=region.end).contains(*a))
                {
                    for &b in bounds.iter().filter(|b| (a..=region.end).contains(*b)) {
                        let span = Span::new(a, b);
                        assert_eq!(
                            words.count(span),
                            word_count(&text[a..b]),
                            "{region:?} {a}..{b}"
                        );
                    }
                }
            }
        }
        // Not on a character's boundary: nothing, as `text.get` gives.
        let e = text.find('é').unwrap();
        assert_eq!(words.count(Span::new(e + 1, text.len())), 0);
        // Overlapping spans count their words once.
        let at = |i: usize| bounds[i];
        let mut spans = vec![
            Span::new(at(30), at(34)),
            Span::new(at(2), at(12)),
            Span::new(at(8), at(20)),
        ];
        let union = word_count(&text[at(2)..at(20)]) + word_count(&text[at(30)..at(34)]);
        assert_eq!(words.union(&mut spans), union);
    }
}
