//! The case table: cases made from sources, and the case table as CSV (export; import with type
//! inference and problems by line). The case and attribute types themselves are in the model
//! ([`crate::model::case`]) and re-exported here.

use crate::csv::{csv_field, table, CsvProblem};
use crate::ids::{AttributeId, CaseId, IdSource, SourceId};
use crate::project::{Project, Timestamp};

pub use crate::model::case::{AttrValue, Attribute, AttributeKind, Case, SpeakerLink};

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
            sources: vec![*id],
            ..Case::new(ids.case_id(), name, now)
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
    for (id, _) in project.case_tree() {
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

impl CaseTableImport {
    /// The preview written out (what the worker sends the page): the new cases with their
    /// parents named, the new attributes with their inferred types, how many values are set
    /// and cleared, and the problems by line.
    pub fn shown(&self, project: &Project) -> crate::csv::ImportShown {
        let parent_name = |id: CaseId| {
            self.new_cases
                .iter()
                .find(|c| c.id == id)
                .or_else(|| project.case(id))
                .map(|c| c.name.clone())
                .unwrap_or_default()
        };
        let set = self.values.iter().filter(|v| v.2.is_some()).count();
        crate::csv::ImportShown {
            rows: self.rows,
            items: self
                .new_cases
                .iter()
                .map(|c| {
                    let parent = c
                        .parent
                        .map(|p| format!(" (sub-case of {})", parent_name(p)))
                        .unwrap_or_default();
                    (c.name.clone(), parent, String::new())
                })
                .collect(),
            attributes: self
                .new_attributes
                .iter()
                .map(|a| {
                    let kind = match &a.kind {
                        AttributeKind::Category(values) => {
                            format!("Category: {}", values.join(" | "))
                        }
                        k => k.label().to_string(),
                    };
                    (a.name.clone(), format!(" — {kind}"), String::new())
                })
                .collect(),
            set,
            cleared: self.values.len() - set,
            problems: self.problems.iter().map(CsvProblem::shown).collect(),
        }
    }

    /// The import back from `staged`, the project `current` with [`Self::action`] applied (as
    /// the worker sends it), so that its action has the same effect: the attributes and cases
    /// `current` lacks (in their order, the cases without values), and every value that
    /// differs (set, or cleared); `rows` read; no problems. Values the file set to what a case
    /// already had are left out: they change nothing.
    pub fn from_staged(current: &Project, staged: &Project, rows: usize) -> Self {
        let mut values = Vec::new();
        for case in &staged.cases {
            let had = current.case(case.id).map(|c| &c.values);
            for (attribute, value) in &case.values {
                if had.and_then(|h| h.get(attribute)) != Some(value) {
                    values.push((case.id, *attribute, Some(value.clone())));
                }
            }
            for attribute in had.into_iter().flat_map(|h| h.keys()) {
                if !case.values.contains_key(attribute) {
                    values.push((case.id, *attribute, None));
                }
            }
        }
        Self {
            new_cases: staged
                .cases
                .iter()
                .filter(|c| current.case(c.id).is_none())
                .map(|c| Case {
                    values: Default::default(),
                    ..c.clone()
                })
                .collect(),
            new_attributes: staged
                .attributes
                .iter()
                .filter(|a| current.attribute(a.id).is_none())
                .cloned()
                .collect(),
            values,
            problems: Vec::new(),
            rows,
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
    let (header, records) = table(
        csv,
        &mut problems,
        "the file is empty: the first row must be a header such as \"case,parent,rurality\"",
    )?;
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
                    new_cases.push(Case::new(id, row.name.clone(), now));
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
