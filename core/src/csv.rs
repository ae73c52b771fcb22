//! RFC 4180 CSV, the one reader and field writer of the codebook and case table CSVs: records
//! with the line they start on (quotes, `""`, line breaks inside quotes, a UTF-8 BOM and CRLF
//! accepted), problems as sentences by line; an import's preview written out for the page
//! ([`ImportShown`], [`CsvShown`]).

use crate::text::xml_escape;
use std::fmt::Write;

/// A problem with one line of the CSV.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CsvProblem {
    /// 1-based line number in the file where the row starts (the header is line 1).
    pub line: usize,
    /// What is wrong, as a sentence for the researcher.
    pub message: String,
}

impl std::fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvProblem {}

impl CsvProblem {
    /// The problem as an import preview lists it: "Line 3: …".
    pub fn shown(&self) -> String {
        format!("Line {}: {}", self.line, self.message)
    }
}

/// A codebook or case table CSV import written out for its preview. The worker reads the file
/// (`protocol::Request::CsvImport`) and the page shows these strings as they are, so the main
/// wasm holds neither the CSV parsing nor the import's types (ARCHITECTURE.md, "Main wasm size").
#[derive(Clone, PartialEq, Eq, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ImportShown {
    /// Codebook: the codes to add; case table: the data rows read (not counting the header and
    /// blank lines).
    pub rows: usize,
    /// Codebook: the codes to add in tree order (path, description, colour); case table: the
    /// new cases (name, " (sub-case of …)" or nothing, no colour).
    pub items: Vec<(String, String, String)>,
    /// Case table: the new attributes (name, " — type", no colour).
    pub attributes: Vec<(String, String, String)>,
    /// Case table: the values to set.
    pub set: usize,
    /// Case table: the values to clear (empty cells where the case had a value).
    pub cleared: usize,
    /// The problems in line order, written out ([`CsvProblem::shown`]).
    pub problems: Vec<String>,
}

/// What the page shows of a codebook or case table CSV import (`protocol::Reply::CsvImported`):
/// the preview's body written out as markup, every text escaped, and the two numbers its buttons
/// need. The page puts the markup in as it is, so the main wasm holds neither the preview's
/// `html!` nor [`ImportShown`]'s decoder.
#[derive(Clone, PartialEq, Eq, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CsvShown {
    /// [`ImportShown::rows`]: codes to add, or data rows read.
    pub rows: usize,
    /// True when confirming changes something.
    pub changes: bool,
    /// The preview's body.
    pub markup: String,
}

impl ImportShown {
    /// The codebook preview written out for `file`: "FILE: N codes to add.", the codes with
    /// their colours, paths and descriptions, the problems.
    pub fn codebook(&self, file: &str) -> CsvShown {
        let n = self.rows;
        let mut out = format!(
            "<p>{}: {} to add.</p>",
            xml_escape(file),
            crate::words::count(n, "code", "codes")
        );
        if n > 0 {
            out.push_str("<ul class='import-codes' aria-label='Codes to add'>");
            for (path, description, color) in &self.items {
                let _ = write!(
                    out,
                    "<li><span class='swatch' style='background:{}'></span><span class='import-path'>{}</span>",
                    xml_escape(color),
                    xml_escape(path)
                );
                if !description.is_empty() {
                    let _ = write!(
                        out,
                        "<span class='import-description'>{}</span>",
                        xml_escape(description)
                    );
                }
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        }
        if !self.problems.is_empty() {
            out.push_str("<h3>Problems</h3>");
            self.problems_into(&mut out);
        }
        CsvShown {
            rows: n,
            changes: n > 0,
            markup: out,
        }
    }

    /// The case table preview written out for `file`: rows read, the new cases and attributes,
    /// the values set and cleared, the problems.
    pub fn case_table(&self, file: &str) -> CsvShown {
        let mut out = format!(
            "<p>{}: {} read.</p>",
            xml_escape(file),
            crate::words::count(self.rows, "row", "rows")
        );
        for (list, heading, label) in [
            (&self.items, "New cases", "New cases"),
            (&self.attributes, "New attributes", "New attributes"),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = write!(
                out,
                "<h3>{heading} ({})</h3><ul class='import-codes' aria-label='{label}'>",
                list.len()
            );
            for (name, more, _) in list {
                let _ = write!(
                    out,
                    "<li><span class='import-path'>{}</span>",
                    xml_escape(name)
                );
                if !more.is_empty() {
                    let _ = write!(out, "<span class='muted'>{}</span>", xml_escape(more));
                }
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        }
        let _ = write!(
            out,
            "<p class='import-values'>{} to set",
            crate::words::count(self.set, "value", "values")
        );
        if self.cleared > 0 {
            let _ = write!(out, ", {} to clear (empty cells)", self.cleared);
        }
        out.push_str(".</p>");
        if !self.problems.is_empty() {
            let _ = write!(out, "<h3>Problems ({})</h3>", self.problems.len());
            self.problems_into(&mut out);
        }
        CsvShown {
            rows: self.rows,
            changes: !(self.items.is_empty()
                && self.attributes.is_empty()
                && self.set + self.cleared == 0),
            markup: out,
        }
    }

    /// The problems as the previews list them.
    fn problems_into(&self, out: &mut String) {
        out.push_str("<ul class='import-problems' aria-label='Problems'>");
        for p in &self.problems {
            let _ = write!(out, "<li>{}</li>", xml_escape(p));
        }
        out.push_str("</ul>");
    }
}

/// One CSV record with the line it starts on.
pub(crate) struct Record {
    /// 1-based line where the record starts.
    pub(crate) line: usize,
    /// Its fields, unquoted.
    pub(crate) fields: Vec<String>,
}

/// Splits CSV text into records (RFC 4180). An unclosed quote runs to the end of the text and is
/// reported.
pub(crate) fn parse_records(csv: &str, problems: &mut Vec<CsvProblem>) -> Vec<Record> {
    let csv = csv.strip_prefix('\u{feff}').unwrap_or(csv);
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut in_quotes = false;
    let mut quote_line = 1;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    field.push('\n');
                }
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
                quote_line = line;
            }
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                fields.push(std::mem::take(&mut field));
                records.push(Record {
                    line: record_line,
                    fields: std::mem::take(&mut fields),
                });
                line += 1;
                record_line = line;
            }
            c => field.push(c),
        }
    }
    if in_quotes {
        problems.push(CsvProblem {
            line: quote_line,
            message: "a quoted value is never closed (a \" is missing); the rest of the file \
                      was read as part of it"
                .into(),
        });
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(Record {
            line: record_line,
            fields,
        });
    }
    records
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub(crate) fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) || value.trim() != value {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// A CSV table: its header and data records, blank rows left out. Fails with `empty` (a sentence
/// naming the header the file should start with) when there is not even a header row.
pub(crate) fn table(
    csv: &str,
    problems: &mut Vec<CsvProblem>,
    empty: &str,
) -> Result<(Record, Vec<Record>), CsvProblem> {
    let mut records = parse_records(csv, problems)
        .into_iter()
        .filter(|r| r.fields.iter().any(|f| !f.trim().is_empty()));
    let header = records.next().ok_or_else(|| CsvProblem {
        line: 1,
        message: empty.to_string(),
    })?;
    Ok((header, records.collect()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The previews written out: every text escaped, counts in words, the lists only when they
    /// have entries, and whether confirming changes anything.
    #[test]
    fn previews_written_out() {
        let shown = ImportShown {
            rows: 2,
            items: vec![
                (
                    "A <b> › B".into(),
                    "Says \"x\" & 'y'".into(),
                    "#e69f00".into(),
                ),
                ("C".into(), String::new(), "#56b4e9".into()),
            ],
            problems: vec!["Line 3: no <name>.".into()],
            ..ImportShown::default()
        };
        let c = shown.codebook("my <file>.csv");
        assert_eq!((c.rows, c.changes), (2, true));
        assert_eq!(
            c.markup,
            "<p>my &lt;file&gt;.csv: 2 codes to add.</p>\
             <ul class='import-codes' aria-label='Codes to add'>\
             <li><span class='swatch' style='background:#e69f00'></span><span class='import-path'>A &lt;b&gt; › B</span>\
             <span class='import-description'>Says &quot;x&quot; &amp; &apos;y&apos;</span></li>\
             <li><span class='swatch' style='background:#56b4e9'></span><span class='import-path'>C</span></li></ul>\
             <h3>Problems</h3><ul class='import-problems' aria-label='Problems'><li>Line 3: no &lt;name&gt;.</li></ul>"
        );
        let none = ImportShown::default().codebook("x.csv");
        assert_eq!(
            (none.changes, none.markup.as_str()),
            (false, "<p>x.csv: 0 codes to add.</p>")
        );

        let cases = ImportShown {
            rows: 1_200,
            items: vec![("P1".into(), " (sub-case of Site)".into(), String::new())],
            attributes: vec![("Age".into(), " — Number".into(), String::new())],
            set: 3,
            cleared: 2,
            ..ImportShown::default()
        };
        let t = cases.case_table("c.csv");
        assert_eq!((t.rows, t.changes), (1_200, true));
        assert_eq!(
            t.markup,
            "<p>c.csv: 1,200 rows read.</p>\
             <h3>New cases (1)</h3><ul class='import-codes' aria-label='New cases'><li><span class='import-path'>P1</span><span class='muted'> (sub-case of Site)</span></li></ul>\
             <h3>New attributes (1)</h3><ul class='import-codes' aria-label='New attributes'><li><span class='import-path'>Age</span><span class='muted'> — Number</span></li></ul>\
             <p class='import-values'>3 values to set, 2 to clear (empty cells).</p>"
        );
        let nothing = ImportShown {
            rows: 4,
            problems: vec!["Line 2: x".into()],
            ..ImportShown::default()
        }
        .case_table("c.csv");
        assert!(!nothing.changes);
        assert!(nothing.markup.ends_with(
            "<p class='import-values'>0 values to set.</p><h3>Problems (1)</h3>\
             <ul class='import-problems' aria-label='Problems'><li>Line 2: x</li></ul>"
        ));
    }

    fn fields(csv: &str) -> Vec<(usize, Vec<String>)> {
        let mut problems = Vec::new();
        parse_records(csv, &mut problems)
            .into_iter()
            .map(|r| (r.line, r.fields))
            .collect()
    }

    #[test]
    fn records_follow_rfc_4180() {
        let got = fields("a,\"b,c\",\"d \"\"e\"\"\"\r\n\"multi\r\nline\",x,\n\nlast");
        assert_eq!(
            got,
            vec![
                (1, vec!["a".into(), "b,c".into(), "d \"e\"".into()]),
                (2, vec!["multi\nline".into(), "x".into(), String::new()]),
                (4, vec![String::new()]),
                (5, vec!["last".into()]),
            ]
        );
    }

    #[test]
    fn a_table_leaves_out_blank_rows_and_needs_a_header() {
        let mut problems = Vec::new();
        let (header, rows) = table("\n ,\nname\n\nA\n,\nB", &mut problems, "empty").unwrap();
        assert_eq!(header.line, 3);
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![5, 7]);
        let err = table(" , \n", &mut problems, "the file is empty")
            .err()
            .unwrap();
        assert_eq!((err.line, err.message.as_str()), (1, "the file is empty"));
    }

    #[test]
    fn unclosed_quote_is_reported() {
        let mut problems = Vec::new();
        let records = parse_records("name\n\"open,\nmore", &mut problems);
        assert_eq!(records.len(), 2);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 2);
    }
}
