//! The case table's rules, shared by the app's grid and tested natively: its columns, what
//! typing into a cell or pasting a block of lines means (which action, or which sentence for the
//! researcher), the parents a case may take, the attribute-type form, and the suggestions of a
//! list cell. Its rows are [`Project::case_tree`]; what a type change would remove is
//! [`crate::preview`] (the action applied, not a second copy of its rule).

use crate::cases::{AttrValue, AttributeKind};
use crate::ids::{AttributeId, CaseId};
use crate::project::Project;
use crate::words::count;
use crate::Action;

/// Columns before the attributes: Case, Parent, Sources.
pub const FIXED_COLUMNS: usize = 3;

/// Cases that may become the parent of `id` (not itself, not below it), in tree order.
pub fn valid_parents(
    project: &Project,
    rows: &[(CaseId, usize)],
    id: CaseId,
) -> Vec<(CaseId, usize)> {
    let own = project.case_and_descendants(id);
    rows.iter()
        .filter(|(c, _)| !own.contains(c))
        .copied()
        .collect()
}

/// What a column of the case table shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Column {
    /// The case's name.
    Name,
    /// The parent case.
    Parent,
    /// The linked sources (edited in a dialog, not in the cell).
    Sources,
    /// Index into `project.attributes`.
    Attribute(usize),
}

impl Column {
    /// The column at position `col` (0-based, the fixed columns first).
    pub fn at(col: usize) -> Self {
        match col {
            0 => Self::Name,
            1 => Self::Parent,
            2 => Self::Sources,
            n => Self::Attribute(n - FIXED_COLUMNS),
        }
    }
}

/// The action committing `text` typed into cell (`case`, `col`): `Ok(None)` when nothing
/// changes, `Err` with a sentence for the researcher when the text does not fit. The parent
/// column takes a case id (its editor is a list of cases).
pub fn cell_action(
    project: &Project,
    case: CaseId,
    col: usize,
    text: &str,
) -> Result<Option<Action>, String> {
    let current = project.case(case).ok_or("This case no longer exists.")?;
    match Column::at(col) {
        Column::Name => {
            let name = text.trim();
            if name.is_empty() {
                Err("A case needs a name.".into())
            } else if name == current.name {
                Ok(None)
            } else {
                Ok(Some(Action::RenameCase {
                    id: case,
                    name: name.to_string(),
                }))
            }
        }
        Column::Parent => {
            let parent = if text.is_empty() {
                None
            } else {
                Some(CaseId::parse(text).ok_or("Choose a case from the list.")?)
            };
            if parent == current.parent {
                return Ok(None);
            }
            if let Some(p) = parent {
                if project.case(p).is_none() || project.is_case_ancestor_or_self(case, p) {
                    return Err("A case cannot be placed under itself or its sub-cases.".into());
                }
            }
            Ok(Some(Action::SetCaseParent { id: case, parent }))
        }
        Column::Sources => Ok(None),
        Column::Attribute(i) => {
            let attribute = project
                .attributes
                .get(i)
                .ok_or("This attribute no longer exists.")?;
            let value = AttrValue::parse(&attribute.kind, text)?;
            if value.as_ref() == current.values.get(&attribute.id) {
                Ok(None)
            } else {
                Ok(Some(Action::SetAttributeValues {
                    values: vec![(case, attribute.id, value)],
                }))
            }
        }
    }
}

/// What a paste would change.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct PastePlan {
    /// Values to set (or clear), in row order.
    pub values: Vec<(CaseId, AttributeId, Option<AttrValue>)>,
    /// Values left out, each a sentence naming its row.
    pub problems: Vec<String>,
}

/// Reads clipboard text (lines, and tab-separated columns as spreadsheets copy them) into
/// values for the attribute columns from `first_attribute` rightward and the rows from `row`
/// downward. Values that do not fit their attribute, and lines or columns beyond the table, are
/// reported and left out.
pub fn plan_paste(
    project: &Project,
    rows: &[(CaseId, usize)],
    row: usize,
    first_attribute: usize,
    text: &str,
) -> PastePlan {
    let mut plan = PastePlan::default();
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let mut beyond_rows = 0;
    let mut beyond_columns = false;
    for (i, line) in lines.iter().enumerate() {
        let Some((case_id, _)) = rows.get(row + i) else {
            beyond_rows += 1;
            continue;
        };
        let Some(case) = project.case(*case_id) else {
            continue;
        };
        for (j, field) in line.split('\t').enumerate() {
            let Some(attribute) = project.attributes.get(first_attribute + j) else {
                beyond_columns = true;
                continue;
            };
            match AttrValue::parse(&attribute.kind, field) {
                Ok(value) => plan.values.push((case.id, attribute.id, value)),
                Err(e) => plan.problems.push(format!(
                    "Row {} ({}), {}: {e}",
                    row + i + 1,
                    case.name,
                    attribute.name
                )),
            }
        }
    }
    if beyond_rows > 0 {
        plan.problems.push(format!(
            "{} below the last case {} not pasted.",
            count(beyond_rows, "line", "lines"),
            if beyond_rows == 1 { "was" } else { "were" }
        ));
    }
    if beyond_columns {
        plan.problems
            .push("Columns right of the last attribute were not pasted.".into());
    }
    plan
}

/// Reads an attribute type from the form: the type key (see `AttributeKind::key`) and, for a category,
/// its values one per line (blank lines and repeats, compared ignoring case, left out).
pub fn kind_from_form(key: &str, values: &str) -> Result<AttributeKind, String> {
    Ok(match key {
        "text" => AttributeKind::Text,
        "number" => AttributeKind::Number,
        "date" => AttributeKind::Date,
        "yes_no" => AttributeKind::YesNo,
        "category" => {
            let mut list: Vec<String> = Vec::new();
            for v in values.lines().map(str::trim).filter(|v| !v.is_empty()) {
                if !list.iter().any(|x| x.eq_ignore_ascii_case(v)) {
                    list.push(v.to_string());
                }
            }
            if list.is_empty() {
                return Err("A category needs at least one value (one per line).".into());
            }
            AttributeKind::Category(list)
        }
        _ => return Err("Choose a type.".into()),
    })
}

/// An attribute needs a name that no other attribute has, compared ignoring case: the sentence
/// refusing `name` (already trimmed), if any. `renaming` is the attribute being renamed, whose
/// own name is no clash.
pub fn attribute_name_problem(
    project: &Project,
    renaming: Option<AttributeId>,
    name: &str,
) -> Option<String> {
    if name.is_empty() {
        return Some("The attribute needs a name.".into());
    }
    project
        .attributes
        .iter()
        .any(|a| Some(a.id) != renaming && a.name.eq_ignore_ascii_case(name))
        .then(|| format!("There is already an attribute named “{name}”."))
}

/// Cases are compared by name ignoring case among siblings: the sentence refusing `name` under
/// `parent`, if a sibling already has it.
pub fn duplicate_case_name(
    project: &Project,
    parent: Option<CaseId>,
    name: &str,
) -> Option<String> {
    project
        .cases
        .iter()
        .any(|c| c.parent == parent && c.name.eq_ignore_ascii_case(name))
        .then(|| format!("There is already a case named “{name}” there."))
}

/// The choices of a list cell (a category's values, yes/no) offered while `typed` is being
/// typed: those starting with it first, then those containing it, both ignoring case, each in
/// list order. Empty text offers every choice.
pub fn suggestions<'a>(choices: &'a [String], typed: &str) -> Vec<&'a str> {
    let typed = typed.trim().to_lowercase();
    let lower: Vec<String> = choices.iter().map(|c| c.to_lowercase()).collect();
    let starts = choices
        .iter()
        .zip(&lower)
        .filter(|(_, l)| l.starts_with(&typed));
    let contains = choices
        .iter()
        .zip(&lower)
        .filter(|(_, l)| !l.starts_with(&typed) && l.contains(&typed));
    starts.chain(contains).map(|(c, _)| c.as_str()).collect()
}
