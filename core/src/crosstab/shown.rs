//! The crosstab and co-occurrence tables as the Crosstabs view shows them, computed in the
//! worker (`Request::Crosstab`) and sent written out as the `<table>`'s markup ([`Shown`]):
//! labels, counts with thousands separators, percentages, the shading of each cell and its
//! accessible name, every text escaped. The page sets it as it is and holds neither the counting,
//! the float formatting nor a component per cell (the counting alone blocked the page for 1.3 s
//! at study scale, issue 12; rendering 8,000 cells as components took 270 ms more).
//! [`Choice`] is what the view's controls choose,
//! [`shown`] the table, [`cell`] the passages behind one of its cells, [`table`] the exported
//! table (CSV or XLSX).

use super::{
    cell_codings, columns_of, cooccurrence, cooccurrence_table, crosstab, crosstab_table,
    format_percent, meetings, rows_of, Columns, Count, Percent, Proximity, Spec, Table,
};
use crate::ids::{AttributeId, CodeId, SourceId};
use crate::project::{Project, Span};
use crate::text::xml_escape;
use crate::words;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

/// A table as shown, written out for the page: the sentence saying why there is none, or the
/// `<table>`'s markup (every text escaped here), which the page sets as it is and reads through
/// one delegated listener.
///
/// The markup: `<table class='xtab' aria-label='Crosstab'>` (or `'Code co-occurrence'`), a
/// header row of `<th scope='col'>` ("Code", then the columns with their case-tree depth as
/// `depth-N`, a crosstab's last column "Total"), then a row per code (`<th scope='row'>`
/// indented by depth), per subtotal (`tr.subtotal`) and the totals row (`tr.totals`). A cell
/// whose passages can be listed holds a `<button class='xtab-cell'>` named by what it says
/// ("Trust × Ana: 3 coded segments, 12.5%"), `aria-pressed='false'`, and its address in
/// `data-r` (row) and `data-c` (column; absent for a row's total); the totals row's cells are
/// `td.xtab-total` with a `title`. The count is in `span.xtab-n` (thousands separators), the
/// percentage in `span.xtab-pct`. A shaded cell is `td.sh` with its opacity in `--s`, drawn only
/// under `.shaded` (the page's switch); a code's own co-occurrence cell is `td.diagonal`.
/// Attributes are in single quotes, which the worker's JSON carries unescaped.
///
/// A large table is not set whole (laying out and painting 8,000 cells took 600 ms at study
/// scale, issue 10): [`Shown::windowed`] says so, and the page sets only the rows and columns
/// in view ([`Shown::window`]), cut from `markup` where [`Shown::head`] and [`Shown::rows`]
/// say its pieces lie. The worker keeps it and sends the page only a [`Part`]: the whole
/// markup of a small table, the window asked for of a large one (1.7 MB of markup at study
/// scale otherwise crossed to the page and was decoded there on every visit).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Shown {
    /// Why there is no table to show (a sentence), when there is none.
    pub empty: Option<String>,
    /// The table's markup (empty when there is none).
    pub markup: String,
    /// The table's name (`aria-label`).
    pub name: String,
    /// The header row's cells in `markup` (byte ranges): "Code", then each column.
    pub head: Vec<[u32; 2]>,
    /// Each body row in `markup` (byte ranges): its `<tr…>` opening, its `<th>`, then each cell.
    pub rows: Vec<Vec<[u32; 2]>>,
    /// The cells carry a percentage under the count (taller rows).
    pub percent: bool,
}

/// A table with more cells than this is shown a window at a time.
pub const WINDOW_FROM: usize = 2_500;
/// The height of a windowed table's body row, in rem (the style sheet's `.xtab.windowed`).
/// Whole numbers: the page writes them out without float formatting, which would cost the main
/// wasm kilobytes.
pub const ROW_REM: usize = 2;
/// The same with a percentage under each count.
pub const ROW_PCT_REM: usize = 3;
/// The width of a windowed table's code column, in rem.
pub const NAME_REM: usize = 16;
/// The width of its other columns, in rem.
pub const COLUMN_REM: usize = 5;

/// What the page is sent of a table ([`Shown::part`], the worker's `Reply::Crosstab`): why there
/// is none, or the markup of the whole table when it is small, or of the window asked for when
/// it is large ([`Shown::windowed`]); the page asks for another window as it scrolls.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Part {
    /// Why there is no table to show (a sentence), when there is none.
    pub empty: Option<String>,
    /// The whole table's markup, or the window's ([`Shown::window`]).
    pub markup: String,
    /// Body rows and columns (after the code column) of the whole table.
    pub size: [usize; 2],
    /// A large table's window: the body rows `[0]..[1]` and columns `[2]..[3]` that `markup`
    /// holds (clamped to the table); `None`: `markup` is the whole table.
    pub window: Option<[usize; 4]>,
    /// The height of a body row, in rem ([`ROW_REM`], [`ROW_PCT_REM`]).
    pub row_rem: usize,
}

impl Shown {
    /// What the page is sent of the table when `rows` and `columns` are in view: the whole
    /// table when it is small, else only that window ([`Part`]).
    pub fn part(&self, rows: std::ops::Range<usize>, columns: std::ops::Range<usize>) -> Part {
        let (n_rows, n_cols) = self.size();
        let (markup, window) = if self.windowed() {
            let (r, c) = self.clamp(rows, columns);
            let window = [r.start, r.end, c.start, c.end];
            (self.window(r, c), Some(window))
        } else {
            (self.markup.clone(), None)
        };
        Part {
            empty: self.empty.clone(),
            markup,
            size: [n_rows, n_cols],
            window,
            row_rem: self.row_rem(),
        }
    }

    /// `rows` and `columns` clamped to the table's body rows and columns (empty past its end).
    fn clamp(
        &self,
        rows: std::ops::Range<usize>,
        columns: std::ops::Range<usize>,
    ) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
        let (n_rows, n_cols) = self.size();
        let (r1, c1) = (rows.end.min(n_rows), columns.end.min(n_cols));
        (rows.start.min(r1)..r1, columns.start.min(c1)..c1)
    }

    /// Rows and columns (after the code column) of the table.
    pub fn size(&self) -> (usize, usize) {
        (self.rows.len(), self.head.len().saturating_sub(1))
    }

    /// True when the table is too large to be set whole (see [`Shown`]).
    pub fn windowed(&self) -> bool {
        let (rows, columns) = self.size();
        rows * columns > WINDOW_FROM
    }

    /// The height of a body row, in rem.
    pub fn row_rem(&self) -> usize {
        if self.percent {
            ROW_PCT_REM
        } else {
            ROW_REM
        }
    }

    fn piece(&self, [a, b]: [u32; 2]) -> &str {
        self.markup.get(a as usize..b as usize).unwrap_or_default()
    }

    /// The markup of the table with only `rows` and `columns` (body rows and columns after the
    /// code column, clamped to the table) written out: the others are empty space of their
    /// size (a spacer row above and below, a spacer column left and right), so the scrolled
    /// container keeps the whole table's size and position. Rows and cells carry
    /// `aria-rowindex` / `aria-colindex` and the table `aria-rowcount` / `aria-colcount`, so
    /// assistive technology knows where the shown part lies.
    pub fn window(&self, rows: std::ops::Range<usize>, columns: std::ops::Range<usize>) -> String {
        use std::fmt::Write;
        let (n_rows, n_cols) = self.size();
        let (rows, columns) = self.clamp(rows, columns);
        let (r0, r1, c0, c1) = (rows.start, rows.end, columns.start, columns.end);
        let row_rem = self.row_rem();
        let mut out = String::with_capacity(220 * (r1 - r0 + 1) * (c1 - c0 + 3));
        let _ = write!(
            out,
            "<table class='xtab windowed{}' aria-label='{}' aria-rowcount='{}' aria-colcount='{}' \
             style='width:{}rem'><colgroup><col style='width:{NAME_REM}rem'>",
            if self.percent { " pct" } else { "" },
            xml_escape(&self.name),
            n_rows + 1,
            n_cols + 1,
            NAME_REM + COLUMN_REM * n_cols,
        );
        let gap_col = |out: &mut String, n: usize| {
            if n > 0 {
                let _ = write!(out, "<col style='width:{}rem'>", COLUMN_REM * n);
            }
        };
        gap_col(&mut out, c0);
        if c1 > c0 {
            let _ = write!(
                out,
                "<col span='{}' style='width:{COLUMN_REM}rem'>",
                c1 - c0
            );
        }
        gap_col(&mut out, n_cols - c1);
        out.push_str("</colgroup>");
        // One row's cells: its first piece(s) as they are, the window's cells (with their
        // column number), and spacer cells for the columns left out.
        let cells = |out: &mut String, pieces: &[[u32; 2]], gap: &str| {
            if c0 > 0 {
                out.push_str(gap);
            }
            for (c, piece) in pieces.iter().enumerate().take(c1).skip(c0) {
                let cell = self.piece(*piece);
                // "<td…" / "<th…": the column number after the tag's name.
                let (tag, rest) = cell.split_at(cell.len().min(3));
                let _ = write!(out, "{tag} aria-colindex='{}'{rest}", c + 2);
            }
            if c1 < n_cols {
                out.push_str(gap);
            }
        };
        out.push_str("<thead><tr aria-rowindex='1'>");
        if let Some(code) = self.head.first() {
            out.push_str(self.piece(*code));
        }
        cells(
            &mut out,
            self.head.get(1..).unwrap_or_default(),
            "<td class='gap' aria-hidden='true'></td>",
        );
        out.push_str("</tr></thead><tbody>");
        let span = 1 + (c1 - c0) + usize::from(c0 > 0) + usize::from(c1 < n_cols);
        let gap_row = |out: &mut String, n: usize| {
            if n > 0 {
                let _ = write!(
                    out,
                    "<tr class='gap' aria-hidden='true' style='height:{}rem'><td colspan='{span}'></td></tr>",
                    row_rem * n
                );
            }
        };
        gap_row(&mut out, r0);
        for (r, pieces) in self.rows.iter().enumerate().take(r1).skip(r0) {
            let (Some(open), Some(head)) = (pieces.first(), pieces.get(1)) else {
                continue;
            };
            let open = self.piece(*open);
            let _ = write!(
                out,
                "<tr aria-rowindex='{}'{}",
                r + 2,
                open.get(3..).unwrap_or(">")
            );
            out.push_str(self.piece(*head));
            cells(
                &mut out,
                pieces.get(2..).unwrap_or_default(),
                "<td class='gap' aria-hidden='true'></td>",
            );
            out.push_str("</tr>");
        }
        gap_row(&mut out, n_rows - r1);
        out.push_str("</tbody></table>");
        out
    }
}

/// Where the pieces of a table's markup lie (see [`Shown::head`], [`Shown::rows`]).
#[derive(Default)]
struct Pieces {
    head: Vec<[u32; 2]>,
    rows: Vec<Vec<[u32; 2]>>,
}

/// The byte range of what was written to `out` since `from`.
fn since(out: &str, from: usize) -> [u32; 2] {
    [
        u32::try_from(from).unwrap_or(u32::MAX),
        u32::try_from(out.len()).unwrap_or(u32::MAX),
    ]
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

/// One cell written out (see [`Shown`]): `at` its address (`None`: a totals-row cell, not
/// clickable), `label` its accessible name (escaped), `shade` its opacity ("" for none).
struct CellOut<'a> {
    n: u64,
    pct: Option<String>,
    label: &'a str,
    shade: &'a str,
    at: Option<(usize, Option<usize>)>,
    diagonal: bool,
}

fn push_cell(out: &mut String, pieces: &mut Pieces, cell: &CellOut) {
    use std::fmt::Write;
    let from = out.len();
    out.push_str("<td");
    match (cell.diagonal, cell.shade.is_empty(), cell.at.is_none()) {
        (true, _, _) => out.push_str(" class='diagonal'"),
        (false, false, false) => {
            let _ = write!(out, " class='sh' style='--s:{}'", cell.shade);
        }
        (false, _, true) => {
            let _ = write!(out, " class='xtab-total' title='{}'", cell.label);
        }
        (false, true, false) => {}
    }
    out.push('>');
    if let Some((r, c)) = cell.at {
        let _ = write!(
            out,
            "<button class='xtab-cell' aria-label='{}' aria-pressed='false' data-r='{r}'",
            cell.label
        );
        if let Some(c) = c {
            let _ = write!(out, " data-c='{c}'");
        }
        out.push('>');
    }
    let _ = write!(
        out,
        "<span class='xtab-n'>{}</span>",
        words::thousands(cell.n as usize)
    );
    if let Some(p) = &cell.pct {
        let _ = write!(out, "<span class='xtab-pct'>{p}</span>");
    }
    if cell.at.is_some() {
        out.push_str("</button>");
    }
    out.push_str("</td>");
    let at = since(out, from);
    if let Some(row) = pieces.rows.last_mut() {
        row.push(at);
    }
}

/// The table's opening, its header row (after "Code") and the body's opening.
fn open_table(
    out: &mut String,
    pieces: &mut Pieces,
    name: &str,
    columns: &mut dyn Iterator<Item = (&str, usize)>,
) {
    use std::fmt::Write;
    let _ = write!(out, "<table class='xtab' aria-label='{name}'><thead><tr>");
    let from = out.len();
    out.push_str("<th scope='col'>Code</th>");
    pieces.head.push(since(out, from));
    for (label, depth) in columns {
        let from = out.len();
        let _ = write!(
            out,
            "<th scope='col' class='depth-{}'>{}</th>",
            depth.min(3),
            xml_escape(label)
        );
        pieces.head.push(since(out, from));
    }
    out.push_str("</tr></thead><tbody>");
}

/// A row's opening: its class (`subtotal`, `totals`) and its header, indented by `depth`.
fn open_row(out: &mut String, pieces: &mut Pieces, class: Option<&str>, label: &str, depth: usize) {
    use std::fmt::Write;
    let from = out.len();
    out.push_str("<tr");
    if let Some(class) = class {
        let _ = write!(out, " class='{class}'");
    }
    out.push('>');
    let open = since(out, from);
    let from = out.len();
    let padding = 0.5 + 1.2 * depth as f64;
    let _ = write!(
        out,
        "<th scope='row' style='padding-left: {padding}em'>{}</th>",
        xml_escape(label)
    );
    pieces.rows.push(vec![open, since(out, from)]);
}

fn shown_crosstab(project: &Project, choice: &Choice) -> Shown {
    use std::fmt::Write;
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
    let (one, many) = match choice.count {
        Count::Segments => ("coded segment", "coded segments"),
        Count::Sources => ("source", "sources"),
        Count::Cases => ("case", "cases"),
        Count::Words => ("coded word", "coded words"),
    };
    // The label of a cell: "{what}: 3 coded segments[, 12.5%]" (`what` already escaped).
    let mut label = String::new();
    let write_label =
        |label: &mut String, what: &dyn std::fmt::Display, value: u64, pct: &Option<String>| {
            label.clear();
            let _ = write!(
                label,
                "{what}: {} {}",
                words::thousands(value as usize),
                if value == 1 { one } else { many }
            );
            if let Some(p) = pct {
                let _ = write!(label, ", {p}");
            }
        };
    let columns: Vec<String> = t.columns.iter().map(|c| xml_escape(&c.label)).collect();
    let mut out = String::with_capacity(200 * (t.rows.len() + 1) * (t.columns.len() + 2));
    let name = "Crosstab";
    let mut pieces = Pieces::default();
    open_table(
        &mut out,
        &mut pieces,
        name,
        &mut t
            .columns
            .iter()
            .map(|c| (c.label.as_str(), c.depth))
            .chain(std::iter::once(("Total", 0))),
    );
    for (r, row) in t.rows.iter().enumerate() {
        let (class, depth) = if row.subtotal {
            (Some("subtotal"), 0)
        } else {
            (None, row.depth)
        };
        open_row(&mut out, &mut pieces, class, &row.label, depth);
        let row_label = xml_escape(&row.label);
        for (c, v) in t.cells.get(r).into_iter().flatten().enumerate() {
            let pct = t
                .percent(*v, Some(r), Some(c), choice.percent)
                .map(format_percent);
            let column = columns.get(c).map_or("", String::as_str);
            write_label(
                &mut label,
                &format_args!("{row_label} × {column}"),
                *v,
                &pct,
            );
            let shade = shade(*v, max);
            push_cell(
                &mut out,
                &mut pieces,
                &CellOut {
                    n: *v,
                    pct,
                    label: &label,
                    shade: &shade,
                    at: Some((r, Some(c))),
                    diagonal: false,
                },
            );
        }
        let total = t.row_totals.get(r).copied().unwrap_or(0);
        let pct = t
            .percent(total, Some(r), None, choice.percent)
            .map(format_percent);
        write_label(&mut label, &format_args!("{row_label}, total"), total, &pct);
        push_cell(
            &mut out,
            &mut pieces,
            &CellOut {
                n: total,
                pct,
                label: &label,
                shade: "",
                at: Some((r, None)),
                diagonal: false,
            },
        );
        out.push_str("</tr>");
    }
    open_row(&mut out, &mut pieces, Some("totals"), "Total", 0);
    let totals = t
        .column_totals
        .iter()
        .enumerate()
        .map(|(c, v)| (Some(c), *v))
        .chain(std::iter::once((None, t.total)));
    for (c, v) in totals {
        let pct = t.percent(v, None, c, choice.percent).map(format_percent);
        match c.and_then(|c| columns.get(c)) {
            Some(column) => write_label(&mut label, &format_args!("{column}, total"), v, &pct),
            None => write_label(&mut label, &"Total", v, &pct),
        }
        push_cell(
            &mut out,
            &mut pieces,
            &CellOut {
                n: v,
                pct,
                label: &label,
                shade: "",
                at: None,
                diagonal: false,
            },
        );
    }
    out.push_str("</tr></tbody></table>");
    Shown {
        empty: None,
        markup: out,
        name: name.into(),
        head: pieces.head,
        rows: pieces.rows,
        percent: choice.percent != Percent::None,
    }
}

fn shown_cooccurrence(project: &Project, proximity: Proximity) -> Shown {
    use std::fmt::Write;
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
    let codes: HashMap<CodeId, &str> = project
        .codes
        .iter()
        .map(|c| (c.id, c.name.as_str()))
        .collect();
    let names: Vec<&str> = co
        .codes
        .iter()
        .map(|(id, _)| codes.get(id).copied().unwrap_or_default())
        .collect();
    let escaped: Vec<String> = names.iter().map(|n| xml_escape(n)).collect();
    let n = co.codes.len();
    let mut out = String::with_capacity(200 * n * (n + 1));
    let mut pieces = Pieces::default();
    open_table(
        &mut out,
        &mut pieces,
        "Code co-occurrence",
        &mut names.iter().map(|n| (*n, 0)),
    );
    let mut label = String::new();
    for (a, ((_, depth), cells)) in co.codes.iter().zip(&co.cells).enumerate() {
        open_row(
            &mut out,
            &mut pieces,
            None,
            names.get(a).copied().unwrap_or_default(),
            *depth,
        );
        let row_name = escaped.get(a).map_or("", String::as_str);
        for (b, v) in cells.iter().enumerate() {
            label.clear();
            let _ = write!(
                label,
                "{row_name} and {}: {v}",
                escaped.get(b).map_or("", String::as_str)
            );
            let shade = if a == b {
                String::new()
            } else {
                shade(*v, max)
            };
            push_cell(
                &mut out,
                &mut pieces,
                &CellOut {
                    n: *v,
                    pct: None,
                    label: &label,
                    shade: &shade,
                    at: Some((a, Some(b))),
                    diagonal: a == b,
                },
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    Shown {
        empty: None,
        markup: out,
        name: "Code co-occurrence".into(),
        head: pieces.head,
        rows: pieces.rows,
        percent: false,
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
    let row = rows_of(project, &spec).0.into_iter().nth(r)?;
    let columns = columns_of(project, &spec);
    let title = format!(
        "{} × {}",
        row.label,
        column
            .and_then(|x| columns.get(x))
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

    /// A body cell as written out: its count, its markup.
    struct Td<'a> {
        n: u64,
        html: &'a str,
    }

    /// The rows of a table's markup (the header row first), each the list of its cells.
    fn rows(markup: &str) -> Vec<(&str, Vec<Td<'_>>)> {
        markup
            .split("<tr")
            .skip(1)
            .map(|row| {
                let cells = row
                    .split("<td")
                    .skip(1)
                    .map(|html| {
                        let n = html
                            .split("<span class='xtab-n'>")
                            .nth(1)
                            .and_then(|x| x.split("</span>").next())
                            .unwrap()
                            .replace(',', "")
                            .parse()
                            .unwrap();
                        Td { n, html }
                    })
                    .collect();
                (row, cells)
            })
            .collect()
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
        assert!(s.markup.starts_with(
            "<table class='xtab' aria-label='Crosstab'><thead><tr><th scope='col'>Code</th>"
        ));
        let all = rows(&s.markup);
        let header = all[0].0;
        assert_eq!(
            header.matches("<th scope='col'").count(),
            t.columns.len() + 2
        );
        assert!(
            header.ends_with(">Total</th></tr></thead><tbody>"),
            "{header}"
        );
        assert_eq!(all.len(), t.rows.len() + 2);
        // The totals row: not clickable, the grand total last.
        let (totals, cells) = all.last().unwrap();
        assert!(totals.starts_with(" class='totals'><th scope='row'"));
        assert_eq!(cells.len(), t.columns.len() + 1);
        let grand = cells.last().unwrap();
        assert_eq!(grand.n, t.total);
        assert!(
            grand.html.starts_with(" class='xtab-total' title='Total: "),
            "{}",
            grand.html
        );
        assert!(!totals.contains("<button"));
        // A row's cells and its total, with row percentages.
        let (r, row) = t
            .rows
            .iter()
            .enumerate()
            .find(|(r, _)| t.row_totals[*r] > 0)
            .unwrap();
        let (shown_row, cells) = &all[r + 1];
        assert!(shown_row.contains(&format!(
            "<th scope='row' style='padding-left: {}em'>{}</th>",
            0.5 + 1.2 * row.depth as f64,
            row.label
        )));
        assert_eq!(cells.len(), t.columns.len() + 1);
        for (c, v) in t.cells[r].iter().enumerate() {
            let cell = &cells[c];
            assert_eq!(cell.n, *v);
            assert!(cell
                .html
                .contains(&format!(" aria-pressed='false' data-r='{r}' data-c='{c}'>")));
            assert_eq!(
                cell.html.starts_with(" class='sh' style='--s:0."),
                *v > 0,
                "{}",
                cell.html
            );
            assert!(cell.html.contains(&format!("aria-label='{} × ", row.label)));
        }
        let total = cells.last().unwrap();
        assert_eq!(total.n, t.row_totals[r]);
        assert!(
            total.html.contains("<span class='xtab-pct'>100%</span>"),
            "{}",
            total.html
        );
        assert!(total.html.contains(&format!("data-r='{r}'>")));
        assert!(total.html.starts_with("><button"), "totals are not shaded");
        // The passages behind the row's total are its codings.
        let behind = cell(&p, &choice, (r, None)).unwrap();
        assert_eq!(behind.passages.len() as u64, t.row_totals[r]);
        assert_eq!(behind.title, format!("{} × all columns", row.label));
        let one = cell(&p, &choice, (r, Some(0))).unwrap();
        assert_eq!(one.passages.len() as u64, t.cells[r][0]);
        assert_eq!(one.title, format!("{} × {}", row.label, t.columns[0].label));
        assert!(cell(&p, &choice, (t.rows.len(), None)).is_none());
    }

    #[test]
    fn every_text_of_the_markup_is_escaped() {
        let mut p = demo();
        let hostile = "<img src=x onerror='alert(1)'> & \"quoted\"";
        p.codes[0].name = hostile.to_string();
        p.cases[0].name = hostile.to_string();
        for cooccur in [false, true] {
            let s = shown(
                &p,
                &Choice {
                    cooccur,
                    ..Choice::default()
                },
            );
            assert!(!s.markup.contains("<img"), "{cooccur}");
            assert!(!s.markup.contains("'alert"), "{cooccur}");
            assert!(s.markup.contains(
                "&lt;img src=x onerror=&apos;alert(1)&apos;&gt; &amp; &quot;quoted&quot;"
            ));
        }
    }

    #[test]
    fn the_cooccurrence_as_shown_and_its_meetings() {
        let p = demo();
        let choice = Choice {
            cooccur: true,
            ..Choice::default()
        };
        let s = shown(&p, &choice);
        assert!(s
            .markup
            .starts_with("<table class='xtab' aria-label='Code co-occurrence'>"));
        let all = rows(&s.markup);
        let n = p.codes.len();
        assert_eq!(all[0].0.matches("<th scope='col'").count(), n + 1);
        assert_eq!(all.len(), n + 1);
        // Some pair of different codes meets; its cell lists as many passages as it counts.
        let (a, b, v) = all[1..]
            .iter()
            .enumerate()
            .flat_map(|(a, (_, cells))| cells.iter().enumerate().map(move |(b, c)| (a, b, c.n)))
            .find(|(a, b, v)| a != b && *v > 0)
            .expect("two codes meet in the demo");
        assert!(all[a + 1].1[a].html.starts_with(" class='diagonal'>"));
        assert!(all[a + 1].1[b].html.starts_with(" class='sh'"));
        assert!(all[a + 1].1[b]
            .html
            .contains(&format!("data-r='{a}' data-c='{b}'")));
        let met = cell(&p, &choice, (a, Some(b))).unwrap();
        assert!(met.meetings);
        assert_eq!(met.passages.len() as u64, v);
        assert_eq!(table(&p, &choice).rows.len(), n);
    }

    #[test]
    fn an_empty_project_says_why() {
        let p = Project::new(SeqIds::new(2).project_id(), "Empty", 0);
        let s = shown(&p, &Choice::default());
        assert!(s.empty.unwrap().starts_with("No codes yet"));
        assert!(s.markup.is_empty());
    }

    /// The cells' counts of a table's markup, row by row (header row left out), each with its
    /// `(row, column)` address when it has one.
    fn counts(markup: &str) -> Vec<Vec<(u64, Option<String>)>> {
        markup
            .split("<tbody>")
            .nth(1)
            .unwrap_or_default()
            .split("<tr")
            .map(|row| {
                row.split("<td")
                    .filter_map(|td| {
                        let n = td.split("<span class='xtab-n'>").nth(1)?;
                        let n = n.split("</span>").next()?.replace(',', "").parse().ok()?;
                        let at = td
                            .split("data-r='")
                            .nth(1)
                            .map(|x| x.split('>').next().unwrap_or_default().to_string());
                        Some((n, at))
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// The demo with `extra` more top-level codes (a co-occurrence table of more than 50 codes
    /// is windowed).
    fn demo_with_codes(extra: usize) -> Project {
        let mut p = demo();
        let mut ids = SeqIds::new(9_000);
        for i in 0..extra {
            let mut c = p.codes[0].clone();
            c.id = ids.code_id();
            c.name = format!("Extra {i}");
            c.parent = None;
            p.codes.push(c);
        }
        p
    }

    #[test]
    fn the_page_is_sent_a_small_table_whole_and_a_large_one_a_window() {
        // Small: the whole markup, whatever window is asked for.
        let p = demo();
        let s = shown(&p, &Choice::default());
        assert!(!s.windowed());
        let part = s.part(0..2, 0..2);
        assert_eq!(part.markup, s.markup);
        assert_eq!(part.window, None);
        assert_eq!(part.size, [s.size().0, s.size().1]);
        assert_eq!(part.empty, None);
        // Large: only the window asked for, with where it lies; clamped to the table.
        let big = shown(
            &demo_with_codes(60),
            &Choice {
                cooccur: true,
                ..Choice::default()
            },
        );
        assert!(big.windowed());
        let (n_rows, n_cols) = big.size();
        let part = big.part(3..20, 5..9);
        assert_eq!(part.window, Some([3, 20, 5, 9]));
        assert_eq!(part.markup, big.window(3..20, 5..9));
        assert!(
            part.markup.len() * 10 < big.markup.len(),
            "a fraction of the table"
        );
        assert_eq!(part.size, [n_rows, n_cols]);
        assert_eq!(part.row_rem, ROW_REM);
        let past = big.part(n_rows - 2..n_rows + 40, n_cols + 1..n_cols + 9);
        assert_eq!(past.window, Some([n_rows - 2, n_rows, n_cols, n_cols]));
        assert_eq!(
            past.markup.matches("<tr aria-rowindex=").count(),
            3,
            "the header row and the last two rows"
        );
        assert!(past
            .markup
            .contains(&format!("<tr aria-rowindex='{}'", n_rows + 1)));
        assert!(
            counts(&past.markup).is_empty(),
            "no cells past the last column"
        );
        // No table: why, and nothing to write.
        let empty = shown(
            &Project::new(SeqIds::new(2).project_id(), "Empty", 0),
            &Choice::default(),
        )
        .part(0..10, 0..10);
        assert!(empty.empty.is_some());
        assert_eq!((empty.markup.as_str(), empty.window), ("", None));
    }

    #[test]
    fn a_window_holds_exactly_its_rows_and_columns_and_keeps_the_table_size() {
        let p = demo();
        for choice in [
            Choice {
                percent: Percent::Column,
                ..Choice::default()
            },
            Choice {
                cooccur: true,
                ..Choice::default()
            },
        ] {
            let s = shown(&p, &choice);
            let (n_rows, n_cols) = s.size();
            assert!(n_rows > 4 && n_cols > 4, "{n_rows} × {n_cols}");
            let whole = counts(&s.markup);
            assert_eq!(whole.len(), n_rows);
            // The whole table as a window: the same cells, in the same order.
            let all = s.window(0..n_rows, 0..n_cols);
            assert_eq!(counts(&all), whole);
            assert!(
                !all.contains("class='gap'"),
                "no spacer when nothing is left out"
            );
            // A window in the middle: only its cells, spacers of the size of what is left out.
            let (r0, r1, c0, c1) = (2, 4, 1, 3);
            let w = s.window(r0..r1, c0..c1);
            let expected: Vec<_> = whole[r0..r1]
                .iter()
                .map(|row| row[c0..c1].to_vec())
                .collect();
            assert_eq!(counts(&w), expected);
            let row_rem = s.row_rem();
            assert!(w.contains(&format!(
                "<tr class='gap' aria-hidden='true' style='height:{}rem'>",
                row_rem * 2
            )));
            assert!(w.contains(&format!(
                "<tr class='gap' aria-hidden='true' style='height:{}rem'>",
                row_rem * (n_rows - 4)
            )));
            assert!(w.contains(&format!(
                "<colgroup><col style='width:{NAME_REM}rem'><col style='width:{COLUMN_REM}rem'><col span='2' style='width:{COLUMN_REM}rem'><col style='width:{}rem'></colgroup>",
                COLUMN_REM * (n_cols - 3)
            )), "{w}");
            assert!(w.contains(&format!(
                "aria-rowcount='{}' aria-colcount='{}' style='width:{}rem'",
                n_rows + 1,
                n_cols + 1,
                NAME_REM + COLUMN_REM * n_cols
            )));
            // Every shown row and cell knows where it lies in the whole table.
            assert!(w.contains("<tr aria-rowindex='4'"), "{w}");
            assert!(w.contains("<tr aria-rowindex='5'"));
            assert!(!w.contains("<tr aria-rowindex='6'"));
            assert_eq!(w.matches("aria-colindex='3'").count(), 3, "header + 2 rows");
            assert_eq!(w.matches("aria-colindex='4'").count(), 3);
            assert!(!w.contains("aria-colindex='5'"));
            // Out-of-range windows are clamped, never a panic.
            let past = s.window(n_rows + 5..n_rows + 9, n_cols..n_cols + 3);
            assert!(counts(&past).is_empty());
            assert!(past.ends_with("</tbody></table>"));
        }
        // Small tables are set whole; the study's 100 × 80 is windowed.
        assert!(!shown(&p, &Choice::default()).windowed());
        let big = Shown {
            head: vec![[0, 0]; 101],
            rows: vec![Vec::new(); 80],
            ..Shown::default()
        };
        assert!(big.windowed());
    }
}
