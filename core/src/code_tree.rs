//! The codebook tree as the app shows it, tested natively: which codes are visible (children of
//! collapsed codes hidden; with a filter, the codes whose name matches and their ancestors),
//! where a code may be moved, and the tree order of codes about to be imported.

use crate::ids::CodeId;
use crate::project::{Code, Project};
use crate::tree::depth_first;
use std::collections::HashSet;

/// Deepest level walked (the core prevents cycles; this only bounds recursion).
const MAX_DEPTH: usize = 64;

/// The codes a filter text keeps: those whose name contains it (ignoring case), and their
/// ancestors so the tree still reads as a tree.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct CodeFilter {
    /// Codes whose name matches.
    pub matches: HashSet<CodeId>,
    /// Matches and their ancestors: the codes shown.
    pub shown: HashSet<CodeId>,
}

/// The codes `query` keeps, or `None` for a blank query (no filter: every code).
pub fn filter_codes(project: &Project, query: &str) -> Option<CodeFilter> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return None;
    }
    let mut filter = CodeFilter::default();
    for code in &project.codes {
        if code.name.to_lowercase().contains(&query) {
            filter.matches.insert(code.id);
            let mut at = Some(code.id);
            let mut depth = 0;
            while let Some(id) = at {
                if !filter.shown.insert(id) || depth > MAX_DEPTH {
                    break;
                }
                at = project.code(id).and_then(|c| c.parent);
                depth += 1;
            }
        }
    }
    Some(filter)
}

/// Codes visible in the tree, in tree order with their depth: children of `collapsed` codes are
/// hidden; with a `filter`, only its shown codes appear, every one of them expanded (a collapsed
/// parent of a match would hide what the researcher is looking for).
pub fn visible_rows(
    project: &Project,
    collapsed: &HashSet<CodeId>,
    filter: Option<&CodeFilter>,
) -> Vec<(CodeId, usize)> {
    match filter {
        None => project.code_tree_open(|id| !collapsed.contains(&id)),
        Some(filter) => {
            // The shown codes hold every ancestor of a match, so the walk keeps their depths.
            let nodes: Vec<(CodeId, Option<CodeId>)> = project
                .codes
                .iter()
                .filter(|c| filter.shown.contains(&c.id))
                .map(|c| (c.id, c.parent))
                .collect();
            depth_first(&nodes, |_| true)
        }
    }
}

/// True when `code` may be moved under `target` (as a child) or to the top level (`None`):
/// not where it already is, not under itself or its descendants.
pub fn can_move(project: &Project, code: CodeId, target: Option<CodeId>) -> bool {
    let Some(current) = project.code(code) else {
        return false;
    };
    if current.parent == target {
        return false;
    }
    match target {
        None => true,
        Some(t) => project.code(t).is_some() && !project.is_ancestor_or_self(code, t),
    }
}

/// Codes about to be imported in tree order (depth first, parents before children, file order
/// among siblings), each with its display path ("Theme > Code"); parents may be other imported
/// codes or codes of the project.
pub fn import_rows<'a>(project: &Project, codes: &'a [Code]) -> Vec<(String, &'a Code)> {
    let new: HashSet<CodeId> = codes.iter().map(|c| c.id).collect();
    let mut out: Vec<(String, &Code)> = Vec::with_capacity(codes.len());
    let mut done: HashSet<CodeId> = HashSet::new();
    // (code, path of its parent) still to visit, as a stack.
    let mut stack: Vec<(&Code, String)> = codes
        .iter()
        .filter(|c| c.parent.is_none_or(|p| !new.contains(&p)))
        .rev()
        .map(|c| {
            (
                c,
                c.parent.map(|p| project.code_path(p)).unwrap_or_default(),
            )
        })
        .collect();
    while let Some((code, parent_path)) = stack.pop() {
        if !done.insert(code.id) {
            continue;
        }
        let path = if parent_path.is_empty() {
            code.name.clone()
        } else {
            format!("{parent_path} > {}", code.name)
        };
        for child in codes.iter().filter(|c| c.parent == Some(code.id)).rev() {
            stack.push((child, path.clone()));
        }
        out.push((path, code));
    }
    // Anything unreachable (not expected: the parser breaks cycles) still shows.
    for code in codes.iter().filter(|c| !done.contains(&c.id)) {
        out.push((code.name.clone(), code));
    }
    out
}
