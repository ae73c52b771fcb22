//! The report's list as CSV (every quote with its section, code, case, source, speaker,
//! attribution and position; or the codebook's codes; or the memos) and, with `formats`, as an
//! XLSX workbook whose first sheet is that list and whose other sheets are the report's tables.

use super::document::Report;
#[cfg(feature = "formats")]
use super::document::Table;
use crate::csv::csv_field;

/// The report's list as CSV (RFC 4180, CRLF line ends, a header row).
pub fn to_csv(report: &Report) -> String {
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let l: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&l.join(","));
        out.push_str("\r\n");
    };
    line(&report.list.header);
    for row in &report.list.rows {
        line(row);
    }
    out
}

/// A cell as a spreadsheet writes it: whole numbers as numbers, the rest as text.
#[cfg(feature = "formats")]
fn cell(text: &str) -> crate::xlsx::Cell {
    use crate::xlsx::Cell;
    if text.is_empty() {
        return Cell::Empty;
    }
    let plain = text.len() < 15
        && text.chars().all(|c| c.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    match text.parse::<u64>() {
        Ok(n) if plain => Cell::Number(n as f64),
        _ => Cell::Text(text.to_string()),
    }
}

#[cfg(feature = "formats")]
fn sheet(name: String, table: &Table) -> crate::xlsx::Sheet {
    use crate::xlsx::{Cell, Sheet};
    let mut rows: Vec<Vec<Cell>> =
        vec![table.header.iter().map(|h| Cell::Text(h.clone())).collect()];
    rows.extend(
        table
            .rows
            .iter()
            .map(|r| r.iter().map(|c| cell(c)).collect::<Vec<Cell>>()),
    );
    let widths = table
        .header
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let longest = table
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0);
            (longest.max(8) as f64).min(80.0)
        })
        .collect();
    Sheet { name, rows, widths }
}

/// The report as an XLSX workbook: the list first, then one sheet per table of the report.
#[cfg(feature = "formats")]
pub fn to_xlsx(report: &Report) -> Result<Vec<u8>, crate::archive::ArchiveError> {
    let first = if report.list.caption.is_empty() {
        "List".to_string()
    } else {
        report.list.caption.clone()
    };
    let mut sheets = vec![sheet(first, &report.list)];
    for (i, table) in report.tables().enumerate() {
        sheets.push(sheet(format!("{} {}", i + 1, table.caption), table));
    }
    crate::xlsx::workbook(&sheets)
}
