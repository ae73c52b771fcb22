//! The crosstab and co-occurrence tables as the Crosstabs view shows them, computed in the
//! worker (`Request::Crosstab`) and sent written out: labels, counts with thousands separators,
//! percentages, the shading of each cell and its accessible name. The page decodes plain text
//! and holds neither the counting nor the float formatting (the counting alone blocked the page
//! for 1.3 s at study scale, issue 12). [`Choice`] is what the view's controls choose,
//! [`shown`] the table, [`cell`] the passages behind one of its cells, [`table`] the exported
//! table (CSV or XLSX).

use super::{
    cell_codings, cooccurrence, cooccurrence_table, crosstab, crosstab_table, format_percent,
    meetings, Columns, Count, Percent, Proximity, Spec, Table,
};
use crate::ids::{AttributeId, CodeId, SourceId};
use crate::project::{Project, Span};
use crate::words;
use serde::{Deserialize, Serialize};

/// What the Crosstabs view's controls choose.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Choice {
    /// The code × code co-occurrence table instead of a crosstab.
    pub cooccur: bool,
    /// Columns by the values of this attribute; `None`: one column per case (tree order).
    pub by: Option<AttributeId>,
    /// What a crosstab cell counts.
    pub count: Count,
    /// The percentage shown beside the counts.
    pub percent: Percent,
    /// A code's row counts the codes below it too.
    pub children: bool,
    /// Subtotal rows.
    pub subtotals: bool,
    /// A case's column counts its sub-cases too.
    pub subcases: bool,
    /// When two codes meet (co-occurrence).
    pub proximity: Proximity,
}

impl Default for Choice {
    fn default() -> Self {
        Self {
            cooccur: false,
            by: None,
            count: Count::Segments,
            percent: Percent::None,
            children: false,
            subtotals: false,
            subcases: true,
            proximity: Proximity::Overlap,
        }
    }
}

impl Choice {
    /// The crosstab's [`Spec`] over `project` (an attribute no longer there: cases as columns).
    pub fn spec(&self, project: &Project) -> Spec {
        let columns = match self.by.filter(|a| project.attribute(*a).is_some()) {
            Some(a) => Columns::Attribute(a),
            None => Columns::Cases(project.case_tree().into_iter().map(|(c, _)| c).collect()),
        };
        Spec {
            include_children: self.children,
            subtotals: self.subtotals,
            include_subcases: self.subcases,
            count: self.count,
            ..Spec::new(columns)
        }
    }
}

/// A table as shown.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Shown {
    /// Why there is no table to show (a sentence), when there is none.
    pub empty: Option<String>,
    /// The column headings after "Code", with their depth in the case tree (a crosstab's last
    /// column is "Total").
    pub columns: Vec<(String, usize)>,
    /// The rows (a crosstab's last row is the totals row).
    pub rows: Vec<ShownRow>,
}

/// One row as shown.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ShownRow {
    /// The code's name, `Subtotal: name`, or `Total`.
    pub label: String,
    /// Depth in the codebook tree (indentation).
    pub depth: usize,
    /// What kind of row.
    pub kind: RowKind,
    /// Its cells, one per column.
    pub cells: Vec<ShownCell>,
}

/// What kind of row a [`ShownRow`] is.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum RowKind {
    /// A code's row.
    Code,
    /// A subtotal of a top-level code's subtree.
    Subtotal,
    /// The totals row.
    Totals,
}

/// One cell as shown.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ShownCell {
    /// The count, with thousands separators.
    pub n: String,
    /// The percentage (`12.5%`), when one is asked and there is something to divide by.
    pub pct: Option<String>,
    /// What the cell says in words ("Trust × Ana: 3 coded segments, 12.5%").
    pub label: String,
    /// The shading's opacity (`0.35`), empty for none (a zero, a total, the diagonal).
    pub shade: String,
    /// The cell's address for [`cell`] (`row`, `column`; `None` column: the row's total); `None`
    /// when its passages cannot be listed (the totals row).
    pub at: Option<(usize, Option<usize>)>,
    /// A code's own cell of the co-occurrence table.
    pub diagonal: bool,
}

/// The codes of a co-occurrence table: every code in tree order.
fn all_codes(project: &Project) -> Vec<CodeId> {
    project.code_tree().into_iter().map(|(id, _)| id).collect()
}

/// The opacity of a cell's shading: at most 60 % so the number stays readable (dark text on
/// light shading), empty for zero.
fn shade(value: u64, max: u64) -> String {
    if value == 0 {
        return String::new();
    }
    let alpha = 0.08 + 0.52 * (value as f64 / max.max(1) as f64);
    format!("{alpha:.2}")
}

/// The table `choice` asks for over `project`, as shown.
pub fn shown(project: &Project, choice: &Choice) -> Shown {
    if choice.cooccur {
        shown_cooccurrence(project, choice.proximity)
    } else {
        shown_crosstab(project, choice)
    }
}

fn shown_crosstab(project: &Project, choice: &Choice) -> Shown {
    let t = crosstab(project, &choice.spec(project));
    if t.rows.is_empty() || t.columns.is_empty() {
        return Shown {
            empty: Some(if t.rows.is_empty() {
                "No codes yet: create codes and code some text to compare cases.".into()
            } else {
                "No cases yet: make cases in the Cases view to compare them.".into()
            }),
            ..Shown::default()
        };
    }
    let max = t.max_cell();
    let unit = |n: u64| {
        let n = n as usize;
        match choice.count {
            Count::Segments => words::count(n, "coded segment", "coded segments"),
            Count::Sources => words::count(n, "source", "sources"),
            Count::Cases => words::count(n, "case", "cases"),
            Count::Words => words::count(n, "coded word", "coded words"),
        }
    };
    let cell = |value: u64, r: Option<usize>, col: Option<usize>, what: &str, shaded: bool| {
        let pct = t.percent(value, r, col, choice.percent).map(format_percent);
        let label = match &pct {
            Some(p) => format!("{what}: {}, {p}", unit(value)),
            None => format!("{what}: {}", unit(value)),
        };
        ShownCell {
            n: words::thousands(value as usize),
            pct,
            label,
            shade: if shaded {
                shade(value, max)
            } else {
                String::new()
            },
            at: r.map(|r| (r, col)),
            diagonal: false,
        }
    };
    let column_label = |c: usize| t.columns.get(c).map_or("", |x| x.label.as_str());
    let mut rows: Vec<ShownRow> = t
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let mut cells: Vec<ShownCell> = t
                .cells
                .get(r)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(c, v)| {
                    let what = format!("{} × {}", row.label, column_label(c));
                    cell(*v, Some(r), Some(c), &what, true)
                })
                .collect();
            let total = t.row_totals.get(r).copied().unwrap_or(0);
            cells.push(cell(
                total,
                Some(r),
                None,
                &format!("{}, total", row.label),
                false,
            ));
            ShownRow {
                label: row.label.clone(),
                depth: row.depth,
                kind: if row.subtotal {
                    RowKind::Subtotal
                } else {
                    RowKind::Code
                },
                cells,
            }
        })
        .collect();
    let mut totals: Vec<ShownCell> = t
        .column_totals
        .iter()
        .enumerate()
        .map(|(c, v)| {
            let what = format!("{}, total", column_label(c));
            cell(*v, None, Some(c), &what, false)
        })
        .collect();
    totals.push(cell(t.total, None, None, "Total", false));
    rows.push(ShownRow {
        label: "Total".into(),
        depth: 0,
        kind: RowKind::Totals,
        cells: totals,
    });
    let mut columns: Vec<(String, usize)> = t
        .columns
        .iter()
        .map(|c| (c.label.clone(), c.depth))
        .collect();
    columns.push(("Total".into(), 0));
    Shown {
        empty: None,
        columns,
        rows,
    }
}

fn shown_cooccurrence(project: &Project, proximity: Proximity) -> Shown {
    let co = cooccurrence(project, &all_codes(project), proximity, None);
    if co.codes.is_empty() {
        return Shown {
            empty: Some("No codes yet.".into()),
            ..Shown::default()
        };
    }
    let max = co
        .cells
        .iter()
        .enumerate()
        .flat_map(|(a, row)| {
            row.iter()
                .enumerate()
                .filter(move |(b, _)| *b != a)
                .map(|(_, v)| *v)
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let name = |id: CodeId| project.code(id).map(|c| c.name.clone()).unwrap_or_default();
    let names: Vec<String> = co.codes.iter().map(|(id, _)| name(*id)).collect();
    let rows = co
        .codes
        .iter()
        .zip(&co.cells)
        .zip(&names)
        .enumerate()
        .map(|(a, (((_, depth), cells), row_name))| ShownRow {
            label: row_name.clone(),
            depth: *depth,
            kind: RowKind::Code,
            cells: cells
                .iter()
                .enumerate()
                .map(|(b, v)| ShownCell {
                    n: words::thousands(*v as usize),
                    pct: None,
                    label: format!(
                        "{row_name} and {}: {v}",
                        names.get(b).map_or("", String::as_str)
                    ),
                    shade: if a == b {
                        String::new()
                    } else {
                        shade(*v, max)
                    },
                    at: Some((a, Some(b))),
                    diagonal: a == b,
                })
                .collect(),
        })
        .collect();
    Shown {
        empty: None,
        columns: names.into_iter().map(|n| (n, 0)).collect(),
        rows,
    }
}

/// The passages behind one cell of the table `choice` asks for.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct CellShown {
    /// The heading ("Trust × Ana", "Where Trust meets Cost").
    pub title: String,
    /// The passages are co-occurrences (counted as "passages"), not coded segments.
    pub meetings: bool,
    /// Said after the count, e.g. " (choose two different codes)".
    pub note: String,
    /// The passages in document order.
    pub passages: Vec<Passage>,
}

/// One passage behind a cell.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Passage {
    /// Its source.
    pub source: SourceId,
    /// The passage (UTF-8 bytes of the source's text).
    pub span: Span,
    /// The speaker of the coding's turn, when the source has turns.
    pub speaker: Option<String>,
}

/// The passages behind the cell `at` (row, column; `None` column: the row's total) of the table
/// `choice` asks for; `None` when the table has no such cell.
pub fn cell(project: &Project, choice: &Choice, at: (usize, Option<usize>)) -> Option<CellShown> {
    let (r, column) = at;
    if choice.cooccur {
        let codes = all_codes(project);
        let x = *codes.get(r)?;
        let y = *codes.get(column?)?;
        let name = |id: CodeId| project.code(id).map(|c| c.name.clone()).unwrap_or_default();
        let met = meetings(project, x, y, choice.proximity, None);
        return Some(CellShown {
            title: format!("Where {} meets {}", name(x), name(y)),
            meetings: true,
            note: if x == y {
                " (choose two different codes)".into()
            } else {
                String::new()
            },
            passages: met
                .into_iter()
                .map(|m| Passage {
                    source: m.source,
                    span: m.span,
                    speaker: None,
                })
                .collect(),
        });
    }
    let spec = choice.spec(project);
    let codings = cell_codings(project, &spec, r, column)?;
    let t = crosstab(project, &spec);
    let row = t.rows.get(r)?;
    let title = format!(
        "{} × {}",
        row.label,
        column
            .and_then(|x| t.columns.get(x))
            .map_or("all columns", |x| x.label.as_str())
    );
    Some(CellShown {
        title,
        meetings: false,
        note: String::new(),
        passages: codings
            .into_iter()
            .map(|c| Passage {
                source: c.source,
                span: c.span,
                speaker: project
                    .source(c.source)
                    .and_then(|s| crate::speakers::coding_speaker(s, c))
                    .map(str::to_string),
            })
            .collect(),
    })
}

/// The table `choice` asks for as exported (CSV, XLSX).
pub fn table(project: &Project, choice: &Choice) -> Table {
    if choice.cooccur {
        let co = cooccurrence(project, &all_codes(project), choice.proximity, None);
        cooccurrence_table(project, &co, choice.proximity)
    } else {
        let t = crosstab(project, &choice.spec(project));
        crosstab_table(project, &t, choice.count, choice.percent)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::demo::demo_project;
    use crate::ids::{IdSource, SeqIds};

    fn demo() -> Project {
        demo_project(&mut SeqIds::new(1), 1_700_000_000_000)
    }

    #[test]
    fn the_crosstab_as_shown_agrees_with_the_counts() {
        let p = demo();
        let choice = Choice {
            percent: Percent::Row,
            ..Choice::default()
        };
        let t = crosstab(&p, &choice.spec(&p));
        let s = shown(&p, &choice);
        assert_eq!(s.empty, None);
        assert_eq!(s.columns.len(), t.columns.len() + 1);
        assert_eq!(s.columns.last().map(|c| c.0.as_str()), Some("Total"));
        assert_eq!(s.rows.len(), t.rows.len() + 1);
        let totals = s.rows.last().unwrap();
        assert_eq!(totals.kind, RowKind::Totals);
        let grand = totals.cells.last().unwrap();
        assert_eq!(grand.n, words::thousands(t.total as usize));
        assert_eq!(grand.at, None);
        assert!(grand.label.starts_with("Total: "), "{}", grand.label);
        // A row's cells and its total, with row percentages.
        let (r, row) = t
            .rows
            .iter()
            .enumerate()
            .find(|(r, _)| t.row_totals[*r] > 0)
            .unwrap();
        let shown_row = &s.rows[r];
        assert_eq!(shown_row.label, row.label);
        for (c, v) in t.cells[r].iter().enumerate() {
            let cell = &shown_row.cells[c];
            assert_eq!(cell.n, v.to_string());
            assert_eq!(cell.at, Some((r, Some(c))));
            assert_eq!(cell.shade.is_empty(), *v == 0);
            assert!(cell.label.starts_with(&format!("{} × ", row.label)));
        }
        let total = shown_row.cells.last().unwrap();
        assert_eq!(total.pct.as_deref(), Some("100%"));
        assert_eq!(total.at, Some((r, None)));
        assert!(total.shade.is_empty(), "totals are not shaded");
        // The passages behind the row's total are its codings.
        let behind = cell(&p, &choice, (r, None)).unwrap();
        assert_eq!(behind.passages.len() as u64, t.row_totals[r]);
        assert_eq!(behind.title, format!("{} × all columns", row.label));
        assert!(cell(&p, &choice, (t.rows.len(), None)).is_none());
    }

    #[test]
    fn the_cooccurrence_as_shown_and_its_meetings() {
        let p = demo();
        let choice = Choice {
            cooccur: true,
            ..Choice::default()
        };
        let s = shown(&p, &choice);
        let n = p.codes.len();
        assert_eq!(s.columns.len(), n);
        assert_eq!(s.rows.len(), n);
        // Some pair of different codes meets; its cell lists as many passages as it counts.
        let (a, b, v) = s
            .rows
            .iter()
            .enumerate()
            .flat_map(|(a, row)| {
                row.cells
                    .iter()
                    .enumerate()
                    .map(move |(b, c)| (a, b, c.n.parse::<usize>().unwrap()))
            })
            .find(|(a, b, v)| a != b && *v > 0)
            .expect("two codes meet in the demo");
        assert!(s.rows[a].cells[a].diagonal && s.rows[a].cells[a].shade.is_empty());
        assert!(!s.rows[a].cells[b].shade.is_empty());
        let met = cell(&p, &choice, (a, Some(b))).unwrap();
        assert!(met.meetings);
        assert_eq!(met.passages.len(), v);
        assert_eq!(table(&p, &choice).rows.len(), n);
    }

    #[test]
    fn an_empty_project_says_why() {
        let p = Project::new(SeqIds::new(2).project_id(), "Empty", 0);
        assert!(shown(&p, &Choice::default())
            .empty
            .unwrap()
            .starts_with("No codes yet"));
    }
}
