//! Matrix exports: CSV and XLSX (one row per case, one column per code with the summary; the
//! XLSX may add a sheet of the coded segments behind the cells), and a printable HTML page.
//! Quote references are written out as “quoted text” (Source name); a reference whose coding
//! was removed is written as [broken quote reference], never dropped.

use super::view::{chart, Chart, QuoteLookup, RowView};
use super::{summary_parts, Matrix, SummaryPart};
use crate::cases::AttrValue;
use crate::csv::csv_field;
use crate::project::Project;
use crate::text::xml_escape as escape;
#[cfg(feature = "formats")]
use crate::xlsx::{self, Cell, Sheet};
#[cfg(feature = "formats")]
use std::collections::HashSet;

/// How a broken quote reference is written in exports.
pub const BROKEN_QUOTE: &str = "[broken quote reference]";

/// Title of the per-row case summary column.
pub const CASE_SUMMARY: &str = "Case summary";

/// A summary as plain text: quote references become “quoted text” (Source name), broken ones
/// [`BROKEN_QUOTE`].
pub fn render_summary(project: &Project, summary: &str) -> String {
    render_plain(project, &mut QuoteLookup::new(project), summary)
}

fn render_plain(project: &Project, quotes: &mut QuoteLookup<'_>, summary: &str) -> String {
    if !summary.contains(super::QUOTE_OPEN) {
        return summary.to_string();
    }
    summary_parts(summary)
        .into_iter()
        .map(|part| match part {
            SummaryPart::Text(t) => t.to_string(),
            SummaryPart::Quote(id) => match quotes.get(id) {
                Some(coding) => format!(
                    "“{}” ({})",
                    project.coded_text(coding),
                    project
                        .source(coding.source)
                        .map(|s| s.name.as_str())
                        .unwrap_or("")
                ),
                None => BROKEN_QUOTE.to_string(),
            },
        })
        .collect()
}

/// What a cell with coded segments but no summary holds in the CSV and XLSX exports, e.g.
/// `[3 coded segments, no summary]`, so it is not mistaken for an empty cell.
pub fn no_summary(segments: usize) -> String {
    format!(
        "[{}, no summary]",
        crate::words::count(segments, "coded segment", "coded segments")
    )
}

/// The matrix as a table of texts: header, then one row per case.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<TableCell>>,
}

enum TableCell {
    Text(String),
    Number(f64),
}

impl TableCell {
    fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Number(n) => AttrValue::Number(*n).to_string(),
        }
    }
}

fn table(project: &Project, matrix: &Matrix, chart: &Chart<'_>) -> Table {
    let mut quotes = QuoteLookup::new(project);
    let mut header = vec!["Case".to_string()];
    header.extend(project.attributes.iter().map(|a| a.name.clone()));
    header.extend(chart.columns.iter().map(|c| c.name.clone()));
    header.push(CASE_SUMMARY.to_string());
    let rows = chart
        .rows
        .iter()
        .zip(&chart.segments)
        .map(|(row, segments)| {
            let case = project.case(row.case);
            let mut cells = vec![TableCell::Text(row.name.clone())];
            for attribute in &project.attributes {
                cells.push(match case.and_then(|c| c.values.get(&attribute.id)) {
                    Some(AttrValue::Number(n)) => TableCell::Number(*n),
                    Some(v) => TableCell::Text(v.to_string()),
                    None => TableCell::Text(String::new()),
                });
            }
            for (column, segments) in chart.columns.iter().zip(segments) {
                let summary = matrix.summary(row.case, column.code);
                cells.push(TableCell::Text(
                    if summary.trim().is_empty() && !segments.is_empty() {
                        no_summary(segments.len())
                    } else {
                        render_plain(project, &mut quotes, summary)
                    },
                ));
            }
            let case_summary = matrix
                .case_summaries
                .get(&row.case)
                .map(String::as_str)
                .unwrap_or("");
            cells.push(TableCell::Text(render_plain(
                project,
                &mut quotes,
                case_summary,
            )));
            cells
        })
        .collect();
    Table { header, rows }
}

/// The matrix as CSV (RFC 4180, CRLF line ends): a header `Case`, each attribute, each column
/// code's name and `Case summary`, then one row per case in display order with the summaries
/// (quote references written out as “quoted text” (Source name)); a cell with coded segments
/// but no summary says so with its count ([`no_summary`]).
pub fn export_csv(project: &Project, matrix: &Matrix) -> String {
    let table = table(project, matrix, &chart(project, matrix));
    let mut out = String::new();
    let line = |cells: Vec<String>| {
        let mut l = cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",");
        l.push_str("\r\n");
        l
    };
    out.push_str(&line(table.header));
    for row in table.rows {
        out.push_str(&line(row.iter().map(TableCell::text).collect()));
    }
    out
}

/// The matrix as an XLSX workbook: sheet "Matrix" with the same table as [`export_csv`]
/// (attribute numbers as numbers), sheet "Counts" with every cell's coded segments; with `with_quotes`, a sheet "Quotes" listing every coded
/// segment behind the cells: case, code, source, start and end (code points into the source
/// text), coder, quoted text, and whether the cell's summary references it. Cells longer than
/// a spreadsheet allows (32,767 characters) are cut with a marker.
#[cfg(feature = "formats")]
pub fn export_xlsx(
    project: &Project,
    matrix: &Matrix,
    with_quotes: bool,
) -> Result<Vec<u8>, crate::archive::ArchiveError> {
    let chart = chart(project, matrix);
    let table = table(project, matrix, &chart);
    let mut rows = vec![table.header.into_iter().map(Cell::Text).collect()];
    rows.extend(table.rows.into_iter().map(|row| {
        row.into_iter()
            .map(|c| match c {
                TableCell::Number(n) => Cell::Number(n),
                TableCell::Text(t) if t.is_empty() => Cell::Empty,
                TableCell::Text(t) => Cell::Text(t),
            })
            .collect()
    }));
    let first = 1 + project.attributes.len();
    let widths: Vec<f64> = (0..rows.first().map(Vec::len).unwrap_or(0))
        .map(|i| if i < first { 18.0 } else { 48.0 })
        .collect();
    let mut sheets = vec![
        Sheet {
            name: "Matrix".into(),
            rows,
            widths,
        },
        counts_sheet(&chart),
    ];
    if with_quotes {
        sheets.push(quotes_sheet(project, matrix, &chart));
    }
    xlsx::workbook(&sheets)
}

/// Sheet "Counts": the coded segments of every cell as numbers, cases down, codes across.
#[cfg(feature = "formats")]
fn counts_sheet(chart: &Chart<'_>) -> Sheet {
    let mut header = vec![Cell::Text("Case".into())];
    header.extend(chart.columns.iter().map(|c| Cell::Text(c.name.clone())));
    let mut rows = vec![header];
    for (row, cells) in chart.rows.iter().zip(&chart.segments) {
        let mut line = vec![Cell::Text(row.name.clone())];
        line.extend(cells.iter().map(|s| Cell::Number(s.len() as f64)));
        rows.push(line);
    }
    Sheet {
        name: "Counts".into(),
        rows,
        widths: std::iter::once(18.0)
            .chain(chart.columns.iter().map(|_| 14.0))
            .collect(),
    }
}

#[cfg(feature = "formats")]
fn quotes_sheet(project: &Project, matrix: &Matrix, chart: &Chart<'_>) -> Sheet {
    let header = [
        "Case",
        "Code",
        "Source",
        "Start",
        "End",
        "Coder",
        "Quoted text",
        "In summary",
    ];
    let mut rows: Vec<Vec<Cell>> = vec![header.iter().map(|h| Cell::Text(h.to_string())).collect()];
    for (row, cells) in chart.rows.iter().zip(&chart.segments) {
        for (column, segments) in chart.columns.iter().zip(cells) {
            let referenced: HashSet<_> = summary_parts(matrix.summary(row.case, column.code))
                .into_iter()
                .filter_map(|p| match p {
                    SummaryPart::Quote(id) => Some(id),
                    SummaryPart::Text(_) => None,
                })
                .collect();
            for coding in segments {
                let source = project.source(coding.source);
                let text = source.map(|s| &*s.text).unwrap_or("");
                let point = |byte: usize| {
                    crate::text::byte_to_char(text, byte)
                        .map(|n| Cell::Number(n as f64))
                        .unwrap_or(Cell::Empty)
                };
                rows.push(vec![
                    Cell::Text(row.name.clone()),
                    Cell::Text(column.name.clone()),
                    Cell::Text(source.map(|s| s.name.clone()).unwrap_or_default()),
                    point(coding.span.start),
                    point(coding.span.end),
                    Cell::Text(coding.coder.clone()),
                    Cell::Text(project.coded_text(coding).to_string()),
                    Cell::Text(if referenced.contains(&coding.id) {
                        "yes".into()
                    } else {
                        String::new()
                    }),
                ]);
            }
        }
    }
    Sheet {
        name: "Quotes".into(),
        rows,
        widths: vec![18.0, 24.0, 28.0, 8.0, 8.0, 14.0, 80.0, 10.0],
    }
}

const PRINT_CSS: &str = "@page { size: A4 landscape; margin: 12mm; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10pt/1.35 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #111; margin: 1.5em; }
h1 { font-size: 16pt; margin: 0 0 0.2em; }
.meta { color: #555; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
thead { display: table-header-group; }
thead th { background: #eee; border-top-width: 4px; }
thead th .path { display: block; font-weight: normal; font-size: 8pt; color: #555; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.group th { background: #f4f4f4; font-size: 11pt; }
tbody th { font-weight: 600; }
tbody th.depth-1 { padding-left: 1.2em; }
tbody th.depth-2 { padding-left: 2.2em; }
tbody th.depth-3 { padding-left: 3.2em; }
td.empty { background: #fafafa; }
td.data-no-summary { background: #fff7e0; }
.summary { white-space: pre-wrap; }
.count { display: block; margin-top: 3px; color: #666; font-size: 8pt; }
q { font-style: italic; }
cite { font-style: normal; color: #555; }
.broken { color: #a00000; font-weight: 600; }
.legend { margin-top: 1em; color: #555; font-size: 8pt; }
@media print { body { margin: 0; } }
";

fn html_summary(project: &Project, quotes: &mut QuoteLookup<'_>, summary: &str) -> String {
    summary_parts(summary)
        .into_iter()
        .map(|part| match part {
            SummaryPart::Text(t) => escape(t),
            SummaryPart::Quote(id) => match quotes.get(id) {
                Some(coding) => format!(
                    "<q>{}</q> <cite>({})</cite>",
                    escape(project.coded_text(coding)),
                    escape(
                        project
                            .source(coding.source)
                            .map(|s| s.name.as_str())
                            .unwrap_or("")
                    )
                ),
                None => format!("<span class=\"broken\">{}</span>", escape(BROKEN_QUOTE)),
            },
        })
        .collect()
}

fn row_header(row: &RowView) -> String {
    let class = match row.depth {
        0 => String::new(),
        d => format!(" class=\"depth-{}\"", d.min(3)),
    };
    format!("<th scope=\"row\"{class}>{}</th>", escape(&row.name))
}

/// The matrix as a complete, printable HTML document: one table (cases down, codes across, the
/// case summary last) with group headings, segment counts and cell states; print CSS inline, no
/// scripts and no external resources; every text escaped.
pub fn export_html(project: &Project, matrix: &Matrix) -> String {
    let chart = chart(project, matrix);
    let mut quotes = QuoteLookup::new(project);
    let span = chart.columns.len() + 2;
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Opened from a file (the app's fallback when a new tab is blocked), the page has no CSP
    // of the app's: this one lets it fetch and run nothing, whatever a text carried.
    html.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    html.push_str(&format!(
        "<title>{} — {}</title>\n",
        escape(&matrix.name),
        escape(&project.name)
    ));
    html.push_str("<style>\n");
    html.push_str(PRINT_CSS);
    html.push_str("</style>\n</head>\n<body>\n");
    html.push_str(&format!("<h1>{}</h1>\n", escape(&matrix.name)));
    html.push_str(&format!(
        "<p class=\"meta\">{} · {} cases × {} codes</p>\n",
        escape(&project.name),
        chart.rows.len(),
        chart.columns.len()
    ));
    html.push_str("<table>\n<thead>\n<tr><th scope=\"col\">Case</th>");
    for column in &chart.columns {
        html.push_str(&format!(
            "<th scope=\"col\" style=\"border-top-color: {}\">{}<span class=\"path\">{}</span></th>",
            // Only `#rrggbb` goes into the style (a project file's colours are checked on
            // load; this holds for any project value).
            if crate::action::is_valid_color(&column.color) {
                escape(&column.color)
            } else {
                "currentColor".to_string()
            },
            escape(&column.name),
            escape(&column.path)
        ));
    }
    html.push_str(&format!(
        "<th scope=\"col\">{CASE_SUMMARY}</th></tr>\n</thead>\n<tbody>\n"
    ));
    let mut group: Option<&str> = None;
    for (row, cells) in chart.rows.iter().zip(&chart.segments) {
        if let Some(label) = row.group.as_deref() {
            if group != Some(label) {
                html.push_str(&format!(
                    "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"{span}\">{}</th></tr>\n",
                    escape(label)
                ));
                group = Some(label);
            }
        }
        html.push_str("<tr>");
        html.push_str(&row_header(row));
        for (column, segments) in chart.columns.iter().zip(cells) {
            let summary = matrix.summary(row.case, column.code);
            let state = super::cell_state(segments.len(), summary);
            html.push_str(&format!("<td class=\"{}\">", state.key()));
            if !summary.trim().is_empty() {
                html.push_str(&format!(
                    "<div class=\"summary\">{}</div>",
                    html_summary(project, &mut quotes, summary)
                ));
            }
            html.push_str(&format!(
                "<span class=\"count\">{}</span></td>",
                match segments.len() {
                    0 => "no segments".to_string(),
                    1 => "1 segment".to_string(),
                    n => format!("{n} segments"),
                }
            ));
        }
        let case_summary = matrix
            .case_summaries
            .get(&row.case)
            .map(String::as_str)
            .unwrap_or("");
        html.push_str("<td>");
        if !case_summary.trim().is_empty() {
            html.push_str(&format!(
                "<div class=\"summary\">{}</div>",
                html_summary(project, &mut quotes, case_summary)
            ));
        }
        html.push_str("</td></tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
    html.push_str(
        "<p class=\"legend\">Shaded cells have coded segments but no summary yet; \
quotations are followed by their source.</p>\n</body>\n</html>\n",
    );
    html
}
