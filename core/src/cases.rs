//! Cases — the units of analysis (sites, participants within them) — and their attributes
//! (typed case classifications such as `rurality: urban|rural|mixed`). Values are shown per case
//! only: a sub-case inherits nothing from its parent.

use crate::codebook_csv::{csv_field, parse_records, CsvProblem};
use crate::ids::{AttributeId, CaseId, IdSource, SourceId};
use crate::project::{Project, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A case: a row of the framework matrix.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Case {
    /// Stable id.
    pub id: CaseId,
    /// Name, e.g. "Northgate PCN" or "P03".
    pub name: String,
    /// Parent case (a participant within a site), `None` at the top level.
    #[serde(default)]
    pub parent: Option<CaseId>,
    /// Sources that belong to this case, in link order.
    #[serde(default)]
    pub sources: Vec<SourceId>,
    /// The researcher's memo on this case.
    #[serde(default)]
    pub memo: String,
    /// Attribute values of this case (absent: no value).
    #[serde(default)]
    pub values: BTreeMap<AttributeId, AttrValue>,
    /// Speakers of sources who are this case (a participant in a group interview): the turns
    /// of `speaker` in `source` belong to this case even when the source as a whole does not.
    #[serde(default)]
    pub speakers: Vec<SpeakerLink>,
    /// When it was created.
    pub created: Timestamp,
}

/// A speaker of one source, linked to a case.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct SpeakerLink {
    /// The source.
    pub source: SourceId,
    /// The speaker's label as in the source's turns.
    pub speaker: String,
}

/// The type of an attribute.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "values", rename_all = "snake_case")]
pub enum AttributeKind {
    /// Free text.
    Text,
    /// A number (integer or decimal).
    Number,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// Yes or no.
    YesNo,
    /// One of a fixed list of values, in this order.
    Category(Vec<String>),
}

impl AttributeKind {
    /// The researcher's word for the type.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Text => "Text",
            Self::Number => "Number",
            Self::Date => "Date",
            Self::YesNo => "Yes/no",
            Self::Category(_) => "Category",
        }
    }
}

/// A case attribute (variable).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Attribute {
    /// Stable id.
    pub id: AttributeId,
    /// Name, e.g. "rurality".
    pub name: String,
    /// Its type.
    pub kind: AttributeKind,
}

/// One attribute value of one case.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AttrValue {
    /// Free text.
    Text(String),
    /// A number.
    Number(f64),
    /// A date, `YYYY-MM-DD`.
    Date(String),
    /// Yes or no.
    YesNo(bool),
    /// One of the attribute's categories.
    Category(String),
}

/// Numbers are always finite (`parse` and `fits` refuse NaN and infinities), so equality is
/// reflexive and values can be `Eq`, which lets a whole `Project` be compared by pointer first.
impl Eq for AttrValue {}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(t) | Self::Date(t) | Self::Category(t) => f.write_str(t),
            Self::Number(n) => write!(f, "{n}"),
            Self::YesNo(true) => f.write_str("yes"),
            Self::YesNo(false) => f.write_str("no"),
        }
    }
}

/// True for `YYYY-MM-DD` with a plausible month and day.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return false;
    }
    let num = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    matches!(
        (num(parts[0]), num(parts[1]), num(parts[2])),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

impl AttrValue {
    /// Reads a value typed or pasted by the researcher, for an attribute of `kind`. Empty text
    /// means "no value" (`Ok(None)`); anything that does not fit the type is an error sentence.
    pub fn parse(kind: &AttributeKind, text: &str) -> Result<Option<AttrValue>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match kind {
            AttributeKind::Text => Ok(Some(Self::Text(text.to_string()))),
            AttributeKind::Number => text
                .replace(',', "")
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|n| Some(Self::Number(n)))
                .ok_or_else(|| format!("“{text}” is not a number")),
            AttributeKind::Date => {
                if is_date(text) {
                    Ok(Some(Self::Date(text.to_string())))
                } else {
                    Err(format!("“{text}” is not a date like 2026-03-31"))
                }
            }
            AttributeKind::YesNo => match text.to_lowercase().as_str() {
                "yes" | "y" | "true" | "1" => Ok(Some(Self::YesNo(true))),
                "no" | "n" | "false" | "0" => Ok(Some(Self::YesNo(false))),
                _ => Err(format!("“{text}” is not yes or no")),
            },
            AttributeKind::Category(values) => values
                .iter()
                .find(|v| v.eq_ignore_ascii_case(text))
                .map(|v| Some(Self::Category(v.clone())))
                .ok_or_else(|| format!("“{text}” is not one of: {}", values.join(", "))),
        }
    }

    /// True when this value fits an attribute of `kind`.
    pub fn fits(&self, kind: &AttributeKind) -> bool {
        match (self, kind) {
            (Self::Number(n), AttributeKind::Number) => n.is_finite(),
            (Self::Text(_), AttributeKind::Text) | (Self::YesNo(_), AttributeKind::YesNo) => true,
            (Self::Date(d), AttributeKind::Date) => is_date(d),
            (Self::Category(c), AttributeKind::Category(values)) => values.contains(c),
            _ => false,
        }
    }
}

/// One case per source, named after it and linked to it, for `Action::AddCases`. Sources that
/// do not exist, appear twice, or are already linked to a case of the same name are skipped.
pub fn cases_from_sources(
    project: &Project,
    sources: &[SourceId],
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    for id in sources {
        let Some(source) = project.source(*id) else {
            continue;
        };
        let name = source.name.trim();
        let exists = project
            .cases
            .iter()
            .chain(out.iter())
            .any(|c| c.name.trim() == name && c.sources.contains(id));
        if exists || name.is_empty() {
            continue;
        }
        out.push(Case {
            id: ids.case_id(),
            name: name.to_string(),
            parent: None,
            sources: vec![*id],
            memo: String::new(),
            values: BTreeMap::new(),
            speakers: Vec::new(),
            created: now,
        });
    }
    out
}

/// The project's cases as CSV: `case,parent,<each attribute>` (RFC 4180, CRLF line ends), in
/// case-tree order (parents before children), values as the researcher types them. Read back by
/// [`parse_case_table_csv`].
pub fn export_case_table_csv(project: &Project) -> String {
    let mut header = vec!["case".to_string(), "parent".to_string()];
    header.extend(project.attributes.iter().map(|a| a.name.clone()));
    let mut out = String::new();
    let mut line = |fields: &[String]| {
        let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    line(&header);
    for id in crate::matrix::case_tree_order(project) {
        let Some(case) = project.case(id) else {
            continue;
        };
        let mut fields = vec![
            case.name.clone(),
            case.parent
                .and_then(|p| project.case(p))
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        ];
        fields.extend(project.attributes.iter().map(|a| {
            case.values
                .get(&a.id)
                .map(|v| v.to_string())
                .unwrap_or_default()
        }));
        line(&fields);
    }
    out
}

/// What a case table CSV adds and changes, ready to apply as one batch: `AddAttribute` for each
/// new attribute, `AddCases` with the new cases (parents before children), then
/// `SetAttributeValues` with the values (see [`CaseTableImport::action`]).
#[derive(Clone, PartialEq, Debug)]
pub struct CaseTableImport {
    /// Cases named in the file that the project does not have, parents before children.
    pub new_cases: Vec<Case>,
    /// Attributes named in the header that the project does not have, with inferred types.
    pub new_attributes: Vec<Attribute>,
    /// Values to set (`None`: an empty cell clears a value the case had).
    pub values: Vec<(CaseId, AttributeId, Option<AttrValue>)>,
    /// Rows and values that were skipped or changed, in line order.
    pub problems: Vec<CsvProblem>,
    /// Number of data rows read (not counting the header and blank lines).
    pub rows: usize,
}

impl CaseTableImport {
    /// The import as one undoable action.
    pub fn action(&self) -> crate::Action {
        use crate::Action;
        let mut actions: Vec<Action> = self
            .new_attributes
            .iter()
            .map(|a| Action::AddAttribute {
                attribute: a.clone(),
            })
            .collect();
        if !self.new_cases.is_empty() {
            actions.push(Action::AddCases {
                cases: self.new_cases.clone(),
            });
        }
        if !self.values.is_empty() {
            actions.push(Action::SetAttributeValues {
                values: self.values.clone(),
            });
        }
        Action::Batch {
            label: format!("Import case table ({} rows)", self.rows),
            actions,
        }
    }
}

/// Most distinct values for a new attribute to be read as a category.
const MAX_CATEGORIES: usize = 12;
/// Longest value of a column read as a category (longer values suggest free text).
const MAX_CATEGORY_CHARS: usize = 40;

/// Infers the type of a new attribute from its non-empty values: all numbers → Number, all
/// dates → Date, all yes/no → Yes/no, at most 12 distinct short values over at least 2 rows →
/// Category (values in first-seen order), otherwise Text.
pub fn infer_kind(values: &[&str]) -> AttributeKind {
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return AttributeKind::Text;
    }
    let all = |kind: &AttributeKind| {
        values
            .iter()
            .all(|v| matches!(AttrValue::parse(kind, v), Ok(Some(_))))
    };
    for kind in [
        AttributeKind::Number,
        AttributeKind::Date,
        AttributeKind::YesNo,
    ] {
        if all(&kind) {
            return kind;
        }
    }
    let mut distinct: Vec<String> = Vec::new();
    for v in &values {
        if !distinct
            .iter()
            .any(|d| d.to_lowercase() == v.to_lowercase())
        {
            distinct.push(v.to_string());
        }
    }
    let short = distinct
        .iter()
        .all(|d| d.chars().count() <= MAX_CATEGORY_CHARS && !d.contains('\n'));
    if values.len() >= 2 && distinct.len() <= MAX_CATEGORIES && short {
        AttributeKind::Category(distinct)
    } else {
        AttributeKind::Text
    }
}

/// A data row of the case table.
struct CaseRow {
    line: usize,
    name: String,
    parent: String,
    /// Cell text per attribute column.
    cells: Vec<String>,
}

/// Reads a case table CSV. The header row is required. The first column is the case name:
/// an existing case of that name (ignoring case) gets the row's values, any other name becomes a
/// new case. An optional `parent` column names the parent of a new case (a case of the project
/// or of the file; existing cases keep their place, and the column helps tell apart existing
/// cases that share a name). Every other column is an attribute, by name: values of an existing
/// attribute must fit its type (a value that does not is reported with its line and skipped); a
/// new attribute's type is inferred from its values ([`infer_kind`]). An empty cell clears a
/// value the case had. Quoting follows RFC 4180; a BOM and CRLF are accepted.
///
/// Fails only when there is no header row.
pub fn parse_case_table_csv(
    csv: &str,
    project: &Project,
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Result<CaseTableImport, CsvProblem> {
    let mut problems = Vec::new();
    let records = parse_records(csv, &mut problems);
    let mut records = records
        .into_iter()
        .filter(|r| r.fields.iter().any(|f| !f.trim().is_empty()));
    let header = records.next().ok_or_else(|| CsvProblem {
        line: 1,
        message: "the file is empty: the first row must be a header such as \
                  \"case,parent,rurality\""
            .into(),
    })?;
    let header_line = header.line;

    // Columns after the first: `parent` or an attribute (existing or new), or ignored.
    enum Column {
        Parent,
        Existing(usize),
        New(usize),
        Ignored,
    }
    let mut columns: Vec<Column> = Vec::new();
    let mut new_names: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, title) in header.fields.iter().enumerate().skip(1) {
        let title = title.trim();
        let key = title.to_lowercase();
        if title.is_empty() {
            problems.push(CsvProblem {
                line: header_line,
                message: format!("column {} has no name in the header; it was ignored", i + 1),
            });
            columns.push(Column::Ignored);
            continue;
        }
        if seen.contains(&key) {
            problems.push(CsvProblem {
                line: header_line,
                message: format!("column “{title}” appears twice; only the first was read"),
            });
            columns.push(Column::Ignored);
            continue;
        }
        seen.push(key.clone());
        if key == "parent" || key == "parent case" {
            columns.push(Column::Parent);
        } else if let Some(a) = project
            .attributes
            .iter()
            .position(|a| a.name.trim().to_lowercase() == key)
        {
            columns.push(Column::Existing(a));
        } else {
            columns.push(Column::New(new_names.len()));
            new_names.push(title.to_string());
        }
    }

    let mut rows: Vec<CaseRow> = Vec::new();
    for record in records {
        let field = |i: usize| {
            record
                .fields
                .get(i)
                .map(|f| f.trim().to_string())
                .unwrap_or_default()
        };
        let name = field(0);
        if name.is_empty() {
            problems.push(CsvProblem {
                line: record.line,
                message: "the row has no case name (first column); it was skipped".into(),
            });
            continue;
        }
        if record.fields.len() > header.fields.len() {
            problems.push(CsvProblem {
                line: record.line,
                message: format!(
                    "the row has {} values but the header has {} columns; the extra values \
                     were ignored",
                    record.fields.len(),
                    header.fields.len()
                ),
            });
        }
        let parent = columns
            .iter()
            .position(|c| matches!(c, Column::Parent))
            .map(|i| field(i + 1))
            .unwrap_or_default();
        let cells = (1..=columns.len()).map(field).collect();
        rows.push(CaseRow {
            line: record.line,
            name,
            parent,
            cells,
        });
    }

    // New attributes: their types come from every value in their column.
    let new_attributes: Vec<Attribute> = new_names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let at = columns
                .iter()
                .position(|c| matches!(c, Column::New(m) if *m == n));
            let values: Vec<&str> = rows
                .iter()
                .filter_map(|r| at.and_then(|i| r.cells.get(i)).map(String::as_str))
                .collect();
            Attribute {
                id: ids.attribute_id(),
                name: name.clone(),
                kind: infer_kind(&values),
            }
        })
        .collect();

    // Match rows to existing cases or new ones.
    let lower = |s: &str| s.trim().to_lowercase();
    let mut new_cases: Vec<Case> = Vec::new();
    let mut new_lines: Vec<(usize, String)> = Vec::new(); // line and parent text per new case
    let mut row_case: Vec<Option<CaseId>> = Vec::with_capacity(rows.len());
    let mut first_line: Vec<(CaseId, usize)> = Vec::new();
    for row in &rows {
        let key = lower(&row.name);
        let existing: Vec<&Case> = project
            .cases
            .iter()
            .filter(|c| lower(&c.name) == key)
            .collect();
        let chosen = match existing.as_slice() {
            [] => None,
            [one] => Some(Ok(one.id)),
            many => {
                let by_parent: Vec<&&Case> = many
                    .iter()
                    .filter(|c| {
                        let parent = c
                            .parent
                            .and_then(|p| project.case(p))
                            .map(|p| lower(&p.name))
                            .unwrap_or_default();
                        parent == lower(&row.parent)
                    })
                    .collect();
                match by_parent.as_slice() {
                    [one] => Some(Ok(one.id)),
                    _ => Some(Err(())),
                }
            }
        };
        let id = match chosen {
            Some(Ok(id)) => id,
            Some(Err(())) => {
                problems.push(CsvProblem {
                    line: row.line,
                    message: format!(
                        "several cases are called “{}”; name the parent in a \"parent\" column \
                         to choose one. The row was skipped",
                        row.name
                    ),
                });
                row_case.push(None);
                continue;
            }
            // Rows of one new case share its name and parent text.
            None => match new_cases.iter().zip(&new_lines).find(|(c, (_, parent))| {
                lower(&c.name) == key && lower(parent) == lower(&row.parent)
            }) {
                Some((c, _)) => c.id,
                None => {
                    let id = ids.case_id();
                    new_cases.push(Case {
                        id,
                        name: row.name.clone(),
                        parent: None,
                        sources: Vec::new(),
                        memo: String::new(),
                        values: BTreeMap::new(),
                        speakers: Vec::new(),
                        created: now,
                    });
                    new_lines.push((row.line, row.parent.clone()));
                    id
                }
            },
        };
        if let Some((_, line)) = first_line.iter().find(|(c, _)| *c == id) {
            problems.push(CsvProblem {
                line: row.line,
                message: format!(
                    "case “{}” was already given on line {line}; where both rows have a value, \
                     this row's is used",
                    row.name
                ),
            });
        } else {
            first_line.push((id, row.line));
        }
        row_case.push(Some(id));
    }

    resolve_new_parents(project, &mut new_cases, &new_lines, &mut problems);

    // Values.
    let mut values: Vec<(CaseId, AttributeId, Option<AttrValue>)> = Vec::new();
    for (row, case) in rows.iter().zip(&row_case) {
        let Some(case) = *case else {
            continue;
        };
        let had = project.case(case).map(|c| &c.values);
        for (column, text) in columns.iter().zip(&row.cells) {
            let attribute = match column {
                Column::Existing(a) => project.attributes.get(*a),
                Column::New(n) => new_attributes.get(*n),
                Column::Parent | Column::Ignored => None,
            };
            let Some(attribute) = attribute else {
                continue;
            };
            match AttrValue::parse(&attribute.kind, text) {
                Ok(Some(value)) => values.push((case, attribute.id, Some(value))),
                Ok(None) => {
                    if had.is_some_and(|v| v.contains_key(&attribute.id)) {
                        values.push((case, attribute.id, None));
                    }
                }
                Err(message) => problems.push(CsvProblem {
                    line: row.line,
                    message: format!("{}: {message}; the value was skipped", attribute.name),
                }),
            }
        }
    }
    // A later row for the same case wins over an earlier one, and an empty cell of a later row
    // does not clear what an earlier row set.
    let mut kept: Vec<(CaseId, AttributeId, Option<AttrValue>)> = Vec::new();
    for (case, attribute, value) in values {
        match kept
            .iter_mut()
            .find(|(c, a, _)| *c == case && *a == attribute)
        {
            Some(slot) => {
                if value.is_some() {
                    slot.2 = value;
                }
            }
            None => kept.push((case, attribute, value)),
        }
    }

    crate::sort::sort_by_key(&mut problems, |p| p.line);
    Ok(CaseTableImport {
        new_cases,
        new_attributes,
        values: kept,
        problems,
        rows: rows.len(),
    })
}

/// Sets the parents of new cases from their `parent` text (a project case or another new case)
/// and orders them parents first (depth-first, in file order). A parent that matches nothing or
/// several cases, or that forms a cycle, leaves the case at the top level and is reported.
fn resolve_new_parents(
    project: &Project,
    new_cases: &mut Vec<Case>,
    lines: &[(usize, String)],
    problems: &mut Vec<CsvProblem>,
) {
    let lower = |s: &str| s.trim().to_lowercase();
    let names: Vec<String> = new_cases.iter().map(|c| lower(&c.name)).collect();
    // Parent of each new case: an existing case, or another new case by index.
    enum Parent {
        Top,
        Existing(CaseId),
        New(usize),
    }
    let mut parents: Vec<Parent> = Vec::with_capacity(new_cases.len());
    for (i, (line, parent)) in lines.iter().enumerate() {
        if parent.trim().is_empty() {
            parents.push(Parent::Top);
            continue;
        }
        let key = lower(parent);
        let existing: Vec<CaseId> = project
            .cases
            .iter()
            .filter(|c| lower(&c.name) == key)
            .map(|c| c.id)
            .collect();
        let in_file: Vec<usize> = (0..names.len()).filter(|j| names[*j] == key).collect();
        let found = match (existing.as_slice(), in_file.as_slice()) {
            ([one], _) => Ok(Parent::Existing(*one)),
            ([], [j]) if *j == i => Err(format!("case “{parent}” cannot be its own parent")),
            ([], [j]) => Ok(Parent::New(*j)),
            ([], []) => Err(format!("no case is called “{parent}”")),
            _ => Err(format!("several cases are called “{parent}”")),
        };
        match found {
            Ok(p) => parents.push(p),
            Err(reason) => {
                problems.push(CsvProblem {
                    line: *line,
                    message: format!("{reason}; the case was added at the top level"),
                });
                parents.push(Parent::Top);
            }
        }
    }
    // Break cycles among new cases at their first row.
    for i in 0..parents.len() {
        let mut at = i;
        let mut cycle = false;
        for _ in 0..parents.len() {
            match parents.get(at) {
                Some(Parent::New(j)) => {
                    at = *j;
                    if at == i {
                        cycle = true;
                        break;
                    }
                }
                _ => break,
            }
        }
        if cycle {
            if let Some(slot) = parents.get_mut(i) {
                *slot = Parent::Top;
            }
            problems.push(CsvProblem {
                line: lines.get(i).map(|(l, _)| *l).unwrap_or(0),
                message: format!(
                    "the parents of “{}” go round in a circle; it was added at the top level",
                    new_cases.get(i).map(|c| c.name.as_str()).unwrap_or("")
                ),
            });
        }
    }
    let ids: Vec<CaseId> = new_cases.iter().map(|c| c.id).collect();
    for (case, parent) in new_cases.iter_mut().zip(&parents) {
        case.parent = match parent {
            Parent::Top => None,
            Parent::Existing(id) => Some(*id),
            Parent::New(j) => ids.get(*j).copied(),
        };
    }
    // Depth-first from the cases whose parent is not new, in file order.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); parents.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, parent) in parents.iter().enumerate().rev() {
        match parent {
            Parent::New(j) => {
                if let Some(list) = children.get_mut(*j) {
                    list.insert(0, i);
                }
            }
            Parent::Top | Parent::Existing(_) => stack.push(i),
        }
    }
    let mut slots: Vec<Option<Case>> = new_cases.drain(..).map(Some).collect();
    while let Some(i) = stack.pop() {
        if let Some(case) = slots.get_mut(i).and_then(Option::take) {
            new_cases.push(case);
            if let Some(list) = children.get(i) {
                stack.extend(list.iter().rev());
            }
        }
    }
}
