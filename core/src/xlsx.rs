//! A small XLSX writer: worksheets of inline strings and numbers, deflated into a zip by
//! [`crate::archive`] (the `zip` crate). Hand-written because the three XML parts a workbook of
//! plain cells needs are shorter than any XLSX crate's API (`rust_xlsxwriter` is ~1 MB of code);
//! behind the `formats` feature (only the worker and native tools write workbooks).

use crate::archive::{Archive, ArchiveError};
use crate::text::xml_escape as escape;

/// The most characters (UTF-16 units) a spreadsheet cell can hold.
pub(crate) const CELL_LIMIT: usize = 32_767;

/// Appended to a cell cut at [`CELL_LIMIT`].
pub(crate) const TRUNCATED: &str = " … [truncated]";

/// One cell of a worksheet.
#[derive(Clone, PartialEq, Debug)]
pub(crate) enum Cell {
    /// Nothing.
    Empty,
    /// Text (header cells are written bold).
    Text(String),
    /// A number.
    Number(f64),
}

/// A worksheet: a name and rows of cells; the first row is a header.
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) rows: Vec<Vec<Cell>>,
    /// Column widths in characters, from the first column.
    pub(crate) widths: Vec<f64>,
}

/// The workbook as the bytes of an `.xlsx` file.
pub(crate) fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, ArchiveError> {
    let mut zip = Archive::new();
    let mut types = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
    );
    for n in 1..=sheets.len() {
        types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
    }
    types.push_str("</Types>");
    zip.add("[Content_Types].xml", types.as_bytes())?;
    zip.add(
        "_rels/.rels",
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>",
    )?;
    let mut book = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>",
    );
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (i, sheet) in sheets.iter().enumerate() {
        let n = i + 1;
        book.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
            escape(&sheet_name(&sheet.name))
        ));
        rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" \
Target=\"worksheets/sheet{n}.xml\"/>"
        ));
    }
    book.push_str("</sheets></workbook>");
    rels.push_str(&format!(
        "<Relationship Id=\"rId{}\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" \
Target=\"styles.xml\"/></Relationships>",
        sheets.len() + 1
    ));
    zip.add("xl/workbook.xml", book.as_bytes())?;
    zip.add("xl/_rels/workbook.xml.rels", rels.as_bytes())?;
    zip.add("xl/styles.xml", STYLES.as_bytes())?;
    for (i, sheet) in sheets.iter().enumerate() {
        zip.add(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            worksheet(sheet).as_bytes(),
        )?;
    }
    zip.finish()
}

/// Fonts and cell formats: 0 normal, 1 bold (header), 2 wrapped text aligned to the top.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>\
<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>\
<fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"3\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\">\
<alignment vertical=\"top\" wrapText=\"1\"/></xf></cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
</styleSheet>";

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not empty.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Sheet".into()
    } else {
        clean
    }
}

fn worksheet(sheet: &Sheet) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<sheetViews><sheetView workbookViewId=\"0\">\
<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>\
</sheetView></sheetViews>",
    );
    if !sheet.widths.is_empty() {
        xml.push_str("<cols>");
        for (i, width) in sheet.widths.iter().enumerate() {
            xml.push_str(&format!(
                "<col min=\"{n}\" max=\"{n}\" width=\"{width}\" customWidth=\"1\"/>",
                n = i + 1
            ));
        }
        xml.push_str("</cols>");
    }
    xml.push_str("<sheetData>");
    for (r, row) in sheet.rows.iter().enumerate() {
        let style = if r == 0 { 1 } else { 2 };
        xml.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            match cell {
                Cell::Empty => {}
                Cell::Number(n) if n.is_finite() => {
                    xml.push_str(&format!("<c r=\"{at}\"><v>{n}</v></c>"));
                }
                Cell::Number(_) => {}
                Cell::Text(text) => {
                    xml.push_str(&format!(
                        "<c r=\"{at}\" s=\"{style}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                        escape(&fit_cell(text))
                    ));
                }
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// `A`, `B`, ..., `Z`, `AA`, ... for column `index` (0-based).
fn column_name(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Text without characters XML 1.0 forbids, cut to [`CELL_LIMIT`] UTF-16 units with a marker.
pub(crate) fn fit_cell(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| {
            matches!(c, '\t' | '\n') || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
        })
        .collect();
    if clean.encode_utf16().count() <= CELL_LIMIT {
        return clean;
    }
    let room = CELL_LIMIT - TRUNCATED.encode_utf16().count();
    let mut out = String::new();
    let mut units = 0;
    for c in clean.chars() {
        units += c.len_utf16();
        if units > room {
            break;
        }
        out.push(c);
    }
    out.push_str(TRUNCATED);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(
            names,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"].map(String::from)
        );
    }

    #[test]
    fn cells_drop_control_characters_and_are_cut_at_the_limit() {
        assert_eq!(fit_cell("a\u{1}b\tc\nd\u{7f}"), "ab\tc\nd");
        let long = "é".repeat(CELL_LIMIT + 10);
        let cut = fit_cell(&long);
        assert_eq!(cut.encode_utf16().count(), CELL_LIMIT);
        assert!(cut.ends_with(TRUNCATED));
        let emoji = "😀".repeat(CELL_LIMIT);
        assert!(fit_cell(&emoji).encode_utf16().count() <= CELL_LIMIT);
    }

    #[test]
    fn sheet_names_are_made_acceptable() {
        assert_eq!(sheet_name("a/b:c"), "abc");
        assert_eq!(sheet_name(""), "Sheet");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }
}
