//! RFC 4180 CSV, the one reader and field writer of the codebook and case table CSVs: records
//! with the line they start on (quotes, `""`, line breaks inside quotes, a UTF-8 BOM and CRLF
//! accepted), problems as sentences by line.

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
