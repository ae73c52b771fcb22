//! Codebook CSV (`name,description,parent`) to seed a deductive framework, and its export.
//!
//! The header row is required; columns are found by name (case-insensitive, any order, other
//! columns ignored): `name` (or `code`), `description` (or `definition`) and `parent`. Quoting
//! follows RFC 4180 (commas, `""` and line breaks inside quotes); a UTF-8 BOM and CRLF line ends
//! are accepted.
//!
//! `parent` names another code of the same file or a code already in the project; parents may
//! come after their children. When a name is ambiguous, write the parent's path
//! (`Theme > Code`). Rows with problems are reported with their line number:
//! - a parent that matches nothing (or several codes): the code is **imported at the top level**
//!   so its description is not lost, and the problem is reported;
//! - a code whose name already exists under the same parent (in the file or the project): the
//!   row is **skipped** and its children go under the code that already exists;
//! - a row without a name is skipped; parents that form a cycle are broken at the first row of
//!   the cycle, which goes to the top level.

use crate::csv::{csv_field, table, Record};
use crate::ids::{CodeId, IdSource};
use crate::palette::color_for;
use crate::project::{Code, CodeOrigin, Project, Timestamp};
use crate::text::normalize_newlines;
use std::collections::HashMap;

pub use crate::csv::{CsvProblem, ImportShown};

/// Codes read from a codebook CSV, ready for `Action::ImportCodes`, and the rows that had
/// problems.
#[derive(Clone, PartialEq, Debug)]
pub struct CodebookImport {
    /// New codes, parents before children.
    pub codes: Vec<Code>,
    /// Rows that were skipped or changed, in line order.
    pub problems: Vec<CsvProblem>,
}

impl CodebookImport {
    /// The import as one undoable action.
    pub fn action(&self) -> crate::Action {
        crate::Action::ImportCodes {
            codes: self.codes.clone(),
        }
    }

    /// The preview written out (what the worker sends the page): the codes in tree order with
    /// their paths ([`crate::code_tree::import_rows`]), descriptions and colours, and the
    /// problems by line.
    pub fn shown(&self, project: &Project) -> ImportShown {
        ImportShown {
            rows: self.codes.len(),
            items: crate::code_tree::import_rows(project, &self.codes)
                .into_iter()
                .map(|(path, code)| (path, code.description.clone(), code.color.clone()))
                .collect(),
            problems: self.problems.iter().map(CsvProblem::shown).collect(),
            ..ImportShown::default()
        }
    }

    /// The import back from `staged`, the project `current` with [`Self::action`] applied (as
    /// the worker sends it): the codes `current` lacks, in their order; no problems.
    pub fn from_staged(current: &Project, staged: &Project) -> Self {
        Self {
            codes: staged
                .codes
                .iter()
                .filter(|c| current.code(c.id).is_none())
                .cloned()
                .collect(),
            problems: Vec::new(),
        }
    }
}

/// Column positions found in the header.
struct Columns {
    name: usize,
    description: Option<usize>,
    parent: Option<usize>,
}

fn find_columns(header: &Record) -> Result<Columns, CsvProblem> {
    let find = |names: &[&str]| {
        header
            .fields
            .iter()
            .position(|f| names.contains(&f.trim().to_lowercase().as_str()))
    };
    let name = find(&["name", "code", "code name"]).ok_or_else(|| CsvProblem {
        line: header.line,
        message: "the first row must be a header with a \"name\" column (and optionally \
                  \"description\" and \"parent\")"
            .into(),
    })?;
    Ok(Columns {
        name,
        description: find(&["description", "definition"]),
        parent: find(&["parent", "parent code"]),
    })
}

/// A row that names a code.
struct Row {
    line: usize,
    name: String,
    description: String,
    parent: String,
}

/// Works out parents over the combined tree: existing codes (nodes `0..existing`), then rows
/// (nodes `existing..`). A node's parent is `None` while unknown, `Some(None)` at the top level.
struct Resolver<'a> {
    names: Vec<&'a str>,
    existing: usize,
    parents: Vec<Option<Option<usize>>>,
    /// When rows wait on each other: treat rows whose parent is unknown as matching nothing.
    settle: bool,
}

impl<'a> Resolver<'a> {
    fn new(project: &'a Project, rows: &'a [Row]) -> Self {
        let index: HashMap<CodeId, usize> = project
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let mut parents: Vec<Option<Option<usize>>> = project
            .codes
            .iter()
            .map(|c| Some(c.parent.and_then(|p| index.get(&p).copied())))
            .collect();
        parents.extend(rows.iter().map(|_| None));
        let mut names: Vec<&str> = project.codes.iter().map(|c| c.name.as_str()).collect();
        names.extend(rows.iter().map(|r| r.name.as_str()));
        Self {
            names,
            existing: project.codes.len(),
            parents,
            settle: false,
        }
    }

    /// Whether node `n`'s path from the top level is exactly `path`; `None` while a parent on
    /// the way is unknown.
    fn matches_path(&self, n: usize, path: &[&str]) -> Option<bool> {
        let Some((last, rest)) = path.split_last() else {
            return Some(false);
        };
        if self.names.get(n) != Some(last) {
            return Some(false);
        }
        let Some(parent) = *self.parents.get(n)? else {
            // A row not yet placed has a parent reference, so it is (optimistically) not at the
            // top level; should it end up there, it duplicates the top-level code of that name
            // and merges with it.
            return if self.settle || (rest.is_empty() && n >= self.existing) {
                Some(false)
            } else {
                None
            };
        };
        match parent {
            None => Some(rest.is_empty()),
            Some(_) if rest.is_empty() => Some(false),
            Some(parent) => self.matches_path(parent, rest),
        }
    }

    /// Rows repeating a sibling's name become that sibling, so several candidates with the same
    /// parent are one code: keep the first. `None` while a candidate's parent is unknown.
    fn collapse(&self, candidates: Vec<usize>) -> Option<Vec<usize>> {
        let Some((&first, rest)) = candidates.split_first() else {
            return Some(candidates);
        };
        if rest.is_empty() {
            return Some(candidates);
        }
        let parent_of = |n: usize| self.parents.get(n).copied().flatten();
        let Some(parent) = parent_of(first) else {
            return self.settle.then_some(candidates);
        };
        for &n in rest {
            match parent_of(n) {
                Some(p) if p == parent => {}
                Some(_) => return Some(candidates),
                None => return self.settle.then_some(candidates),
            }
        }
        Some(vec![first])
    }

    /// The parent of row node `node` (`Ok(None)`: top level, `Err`: a problem, and the top
    /// level), or `None` if it depends on parents not yet known.
    fn try_resolve(&self, node: usize, row: &Row) -> Option<Result<Option<usize>, String>> {
        let reference = row.parent.as_str();
        if reference.is_empty() {
            return Some(Ok(None));
        }
        let by_name: Vec<usize> = (0..self.names.len())
            .filter(|&n| n != node && self.names.get(n) == Some(&reference))
            .collect();
        let (in_file, in_project): (Vec<usize>, Vec<usize>) =
            by_name.iter().partition(|&&n| n >= self.existing);
        let by_name = self.collapse(if in_file.is_empty() {
            in_project
        } else {
            in_file
        });
        let candidates = match by_name {
            Some(found) if found.len() == 1 => found,
            by_name => {
                // Not one code by that name: read the reference as a path from the top level
                // ("Theme > Code"; a single name then means a top-level code).
                let path: Vec<&str> = reference.split(" > ").map(str::trim).collect();
                let mut by_path = Vec::new();
                for n in (0..self.names.len()).filter(|&n| n != node) {
                    if self.matches_path(n, &path)? {
                        by_path.push(n);
                    }
                }
                let by_path = self.collapse(by_path)?;
                match by_name {
                    _ if by_path.len() == 1 => by_path,
                    // Wait until the candidates' parents are known.
                    None => return None,
                    Some(found) if found.is_empty() => by_path,
                    Some(found) => found,
                }
            }
        };
        Some(match candidates.as_slice() {
            [parent] => Ok(Some(*parent)),
            [] if reference == row.name => Err(format!(
                "\"{reference}\" cannot be its own parent; it was put at the top level"
            )),
            [] => Err(format!(
                "the parent \"{reference}\" of \"{}\" is not a code in this file or the \
                 project; it was put at the top level",
                row.name
            )),
            several => Err(format!(
                "the parent \"{reference}\" of \"{}\" matches {} codes; write its path (like \
                 \"Theme > Code\"); it was put at the top level",
                row.name,
                several.len()
            )),
        })
    }

    /// Settles row node `node` by the outcome of [`Self::try_resolve`]: its parent, or the top
    /// level with the problem reported on the row's line.
    fn place(
        &mut self,
        node: usize,
        row: &Row,
        outcome: Result<Option<usize>, String>,
        problems: &mut Vec<CsvProblem>,
    ) {
        let parent = outcome.unwrap_or_else(|message| {
            problems.push(CsvProblem {
                line: row.line,
                message,
            });
            None
        });
        self.parents[node] = Some(parent);
    }

    /// Resolves every row's parent, reporting problems; breaks cycles at their first row.
    fn resolve(mut self, rows: &[Row], problems: &mut Vec<CsvProblem>) -> Vec<Option<usize>> {
        let existing = self.existing;
        loop {
            let mut progress = false;
            let mut first_pending = None;
            for (i, row) in rows.iter().enumerate() {
                let node = existing + i;
                if self.parents.get(node).copied().flatten().is_some() {
                    continue;
                }
                match self.try_resolve(node, row) {
                    Some(outcome) => {
                        self.place(node, row, outcome, problems);
                        progress = true;
                    }
                    None => {
                        first_pending.get_or_insert(i);
                    }
                }
            }
            let Some(i) = first_pending else { break };
            if !progress {
                // Rows waiting on each other: settle the first one, taking rows not yet placed
                // as matching nothing.
                let node = existing + i;
                if let Some(row) = rows.get(i) {
                    self.settle = true;
                    let outcome = self.try_resolve(node, row).unwrap_or_else(|| {
                        Err(format!(
                            "could not work out which code \"{}\" is; \"{}\" was put at the \
                             top level",
                            row.parent, row.name
                        ))
                    });
                    self.settle = false;
                    self.place(node, row, outcome, problems);
                } else {
                    break;
                }
            }
        }
        // Break cycles at the first row (in file order) that belongs to one.
        for (i, row) in rows.iter().enumerate() {
            let node = existing + i;
            let mut current = self.parents[node].flatten();
            for _ in 0..self.names.len() {
                match current {
                    Some(n) if n == node => {
                        problems.push(CsvProblem {
                            line: row.line,
                            message: format!(
                                "\"{}\" cannot be under \"{}\": the parents form a cycle; it \
                                 was put at the top level",
                                row.name, row.parent
                            ),
                        });
                        self.parents[node] = Some(None);
                        break;
                    }
                    Some(n) => current = self.parents.get(n).copied().flatten().flatten(),
                    None => break,
                }
            }
        }
        (existing..existing + rows.len())
            .map(|n| self.parents.get(n).copied().flatten().flatten())
            .collect()
    }
}

/// Reads a codebook CSV into new codes for `project`. Fatal errors (no header, no `name` column)
/// are returned as `Err`; row problems are listed in [`CodebookImport::problems`].
pub fn parse_codebook_csv(
    csv: &str,
    project: &Project,
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Result<CodebookImport, CsvProblem> {
    let mut problems = Vec::new();
    let (header, records) = table(
        csv,
        &mut problems,
        "the file is empty; a codebook CSV starts with a header row like name,description,parent",
    )?;
    let columns = find_columns(&header)?;
    let cell = |record: &Record, column: Option<usize>| {
        column
            .and_then(|c| record.fields.get(c))
            .map(|f| normalize_newlines(f.trim()))
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    for record in records {
        let name = cell(&record, Some(columns.name));
        if name.is_empty() {
            problems.push(CsvProblem {
                line: record.line,
                message: "this row has no code name; it was skipped".into(),
            });
            continue;
        }
        rows.push(Row {
            line: record.line,
            description: cell(&record, columns.description),
            parent: cell(&record, columns.parent),
            name,
        });
    }

    let existing = project.codes.len();
    let row_parents = Resolver::new(project, &rows).resolve(&rows, &mut problems);

    // Final ids: existing codes keep theirs; rows get a new id or, when they duplicate a
    // sibling, the id of the code they duplicate. Rows are placed level by level, so parents come
    // before children and siblings keep file order.
    let mut final_id: Vec<Option<CodeId>> = project.codes.iter().map(|c| Some(c.id)).collect();
    final_id.extend(rows.iter().map(|_| None));
    let mut siblings: HashMap<(Option<CodeId>, String), CodeId> = project
        .codes
        .iter()
        .map(|c| ((c.parent, c.name.to_lowercase()), c.id))
        .collect();
    let mut codes = Vec::new();
    let mut placed = vec![false; rows.len()];
    loop {
        let ready: Vec<usize> = (0..rows.len())
            .filter(|&i| !placed[i])
            .filter(|&i| match row_parents[i] {
                None => true,
                Some(p) => final_id.get(p).copied().flatten().is_some(),
            })
            .collect();
        if ready.is_empty() {
            break;
        }
        // Parents must be placed in an earlier round than their children.
        let round: Vec<(usize, Option<CodeId>)> = ready
            .into_iter()
            .map(|i| (i, row_parents[i].and_then(|p| final_id[p])))
            .collect();
        for (i, parent) in round {
            placed[i] = true;
            let row = &rows[i];
            let key = (parent, row.name.to_lowercase());
            if let Some(&same) = siblings.get(&key) {
                final_id[existing + i] = Some(same);
                let under = match parent {
                    Some(p) => format!("under \"{}\"", name_of(project, &codes, p)),
                    None => "at the top level".into(),
                };
                problems.push(CsvProblem {
                    line: row.line,
                    message: format!(
                        "a code named \"{}\" already exists {under}; this row was skipped",
                        row.name
                    ),
                });
                continue;
            }
            let id = ids.code_id();
            siblings.insert(key, id);
            final_id[existing + i] = Some(id);
            codes.push(Code {
                id,
                name: row.name.clone(),
                parent,
                color: color_for(project.codes.len() + codes.len()).to_string(),
                description: row.description.clone(),
                origin: CodeOrigin::Deductive,
                memo: String::new(),
                created: now,
            });
        }
    }
    crate::sort::sort_by_key(&mut problems, |p| p.line);
    Ok(CodebookImport { codes, problems })
}

fn name_of(project: &Project, new_codes: &[Code], id: CodeId) -> String {
    project
        .code(id)
        .or_else(|| new_codes.iter().find(|c| c.id == id))
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

/// The project's codebook as `name,description,parent` CSV (CRLF line ends, parents before
/// children). A parent is written by name, or by its path (`Theme > Code`) when several codes
/// share that name, so [`parse_codebook_csv`] reads it back to the same tree. For Excel, callers
/// may prepend a UTF-8 BOM (`\u{feff}`), which the parser accepts.
pub fn export_codebook_csv(project: &Project) -> String {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for code in &project.codes {
        *count.entry(code.name.as_str()).or_default() += 1;
    }
    let mut out = String::from("name,description,parent\r\n");
    // Depth-first, siblings in codebook order.
    let mut stack: Vec<&Code> = project.children(None).collect();
    stack.reverse();
    let mut written = 0;
    while let Some(code) = stack.pop() {
        written += 1;
        if written > project.codes.len() {
            break;
        }
        let parent = match code.parent.and_then(|p| project.code(p)) {
            Some(p) if count.get(p.name.as_str()).copied().unwrap_or(0) > 1 => {
                project.code_path(p.id)
            }
            Some(p) => p.name.clone(),
            None => String::new(),
        };
        out.push_str(&csv_field(&code.name));
        out.push(',');
        out.push_str(&csv_field(&code.description));
        out.push(',');
        out.push_str(&csv_field(&parent));
        out.push_str("\r\n");
        let mut children: Vec<&Code> = project.children(Some(code.id)).collect();
        children.reverse();
        stack.extend(children);
    }
    out
}
