//! Every change to a project is an [`Action`]; [`apply`] is pure and returns the new project or
//! an error the UI can show. Actions carry their own ids and timestamps, so applying the same
//! action to the same project always gives the same result.

use crate::ids::{CodeId, CodingId, SourceId};
use crate::project::{Code, CodeOrigin, Coding, Project, Source, SourceKind};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// A change to a project. One action is one undo step.
#[derive(Clone, PartialEq, Debug)]
pub enum Action {
    /// Rename the project.
    RenameProject {
        /// New name.
        name: String,
    },
    /// Replace the project memo.
    SetProjectMemo {
        /// New memo text.
        memo: String,
    },
    /// Add imported sources (one import batch is one step).
    AddSources {
        /// Sources, already decoded and LF-normalised.
        sources: Vec<Source>,
    },
    /// Remove a source and its codings.
    RemoveSource {
        /// Which source.
        id: SourceId,
    },
    /// Rename a source.
    RenameSource {
        /// Which source.
        id: SourceId,
        /// New name.
        name: String,
    },
    /// Change a source's kind.
    SetSourceKind {
        /// Which source.
        id: SourceId,
        /// New kind.
        kind: SourceKind,
    },
    /// Replace a source's memo.
    SetSourceMemo {
        /// Which source.
        id: SourceId,
        /// New memo.
        memo: String,
    },
    /// Add a code (at the end of its parent's children).
    CreateCode {
        /// The new code.
        code: Code,
    },
    /// Add several codes at once (a codebook CSV import).
    ImportCodes {
        /// New codes, parents before children.
        codes: Vec<Code>,
    },
    /// Rename a code.
    RenameCode {
        /// Which code.
        id: CodeId,
        /// New name.
        name: String,
    },
    /// Change a code's colour.
    RecolorCode {
        /// Which code.
        id: CodeId,
        /// `#rrggbb`.
        color: String,
    },
    /// Change a code's description (definition, inclusion criteria).
    DescribeCode {
        /// Which code.
        id: CodeId,
        /// New description.
        description: String,
    },
    /// Mark a code deductive or inductive.
    SetCodeOrigin {
        /// Which code.
        id: CodeId,
        /// New origin.
        origin: CodeOrigin,
    },
    /// Replace a code's memo.
    SetCodeMemo {
        /// Which code.
        id: CodeId,
        /// New memo.
        memo: String,
    },
    /// Move a code under another (or to the top level), before a sibling or at the end.
    MoveCode {
        /// Which code.
        id: CodeId,
        /// New parent, `None` for the top level.
        parent: Option<CodeId>,
        /// Sibling to place it before; `None` puts it last.
        before: Option<CodeId>,
    },
    /// Merge `from` into `into`: codings move over (duplicates of the same span are dropped),
    /// children of `from` move under `into`, `from` is deleted.
    MergeCodes {
        /// Code that disappears.
        from: CodeId,
        /// Code that stays.
        into: CodeId,
    },
    /// Delete a code and its codings; its children move up to its parent.
    DeleteCode {
        /// Which code.
        id: CodeId,
    },
    /// Add codings (one selection coded with one or more codes).
    AddCodings {
        /// New codings.
        codings: Vec<Coding>,
    },
    /// Remove codings.
    RemoveCodings {
        /// Which codings.
        ids: Vec<CodingId>,
    },
    /// Several actions as one undo step, applied in order (e.g. create a code and code with it).
    Batch {
        /// Label shown in the history.
        label: String,
        /// The actions.
        actions: Vec<Action>,
    },
}

/// Why an action could not be applied. The project is unchanged.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ActionError {
    /// No source with that id.
    UnknownSource(SourceId),
    /// No code with that id.
    UnknownCode(CodeId),
    /// An id that must be new is already used.
    DuplicateId(String),
    /// A span that is empty, out of bounds or not on character boundaries.
    InvalidSpan {
        /// The source.
        source: SourceId,
        /// Start byte.
        start: usize,
        /// End byte.
        end: usize,
    },
    /// A move that would put a code under itself.
    CycleInCodebook,
    /// A name that is empty.
    EmptyName,
    /// A colour that is not `#rrggbb`.
    InvalidColor(String),
    /// Merging a code into itself.
    MergeIntoSelf,
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownSource(id) => write!(f, "there is no source {id}"),
            Self::UnknownCode(id) => write!(f, "there is no code {id}"),
            Self::DuplicateId(id) => write!(f, "the id {id} is already used"),
            Self::InvalidSpan { start, end, .. } => {
                write!(
                    f,
                    "the selection {start}..{end} does not fit the source text"
                )
            }
            Self::CycleInCodebook => write!(f, "a code cannot be moved under itself"),
            Self::EmptyName => write!(f, "a name cannot be empty"),
            Self::InvalidColor(c) => write!(f, "{c} is not a colour like #1f77b4"),
            Self::MergeIntoSelf => write!(f, "a code cannot be merged into itself"),
        }
    }
}

impl std::error::Error for ActionError {}

impl Action {
    /// A short description for the visible history ("Code 3 segments", "Rename code").
    pub fn label(&self) -> String {
        match self {
            Self::RenameProject { .. } => "Rename project".into(),
            Self::SetProjectMemo { .. } => "Edit project memo".into(),
            Self::AddSources { sources } => match sources.len() {
                1 => format!("Import {}", sources[0].name),
                n => format!("Import {n} sources"),
            },
            Self::RemoveSource { .. } => "Remove source".into(),
            Self::RenameSource { .. } => "Rename source".into(),
            Self::SetSourceKind { .. } => "Change source kind".into(),
            Self::SetSourceMemo { .. } => "Edit source memo".into(),
            Self::CreateCode { code } => format!("Create code {}", code.name),
            Self::ImportCodes { codes } => format!("Import {} codes", codes.len()),
            Self::RenameCode { name, .. } => format!("Rename code to {name}"),
            Self::RecolorCode { .. } => "Recolour code".into(),
            Self::DescribeCode { .. } => "Describe code".into(),
            Self::SetCodeOrigin { .. } => "Change deductive/inductive".into(),
            Self::SetCodeMemo { .. } => "Edit code memo".into(),
            Self::MoveCode { .. } => "Move code".into(),
            Self::MergeCodes { .. } => "Merge codes".into(),
            Self::DeleteCode { .. } => "Delete code".into(),
            Self::AddCodings { codings } => match codings.len() {
                1 => "Code segment".into(),
                n => format!("Code segment with {n} codes"),
            },
            Self::RemoveCodings { ids } => match ids.len() {
                1 => "Remove coding".into(),
                n => format!("Remove {n} codings"),
            },
            Self::Batch { label, .. } => label.clone(),
        }
    }
}

impl Action {
    /// Edits that merge into one undo step when they follow each other on the same target
    /// (a memo or description typed in several commits).
    pub fn coalesce_key(&self) -> Option<String> {
        match self {
            Self::SetProjectMemo { .. } => Some("project-memo".into()),
            Self::SetSourceMemo { id, .. } => Some(format!("source-memo:{id}")),
            Self::SetCodeMemo { id, .. } => Some(format!("code-memo:{id}")),
            Self::DescribeCode { id, .. } => Some(format!("code-description:{id}")),
            _ => None,
        }
    }
}

/// True for `#rrggbb`.
pub fn is_valid_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit())
}

fn code_mut(p: &mut Project, id: CodeId) -> Result<&mut Code, ActionError> {
    p.codes
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or(ActionError::UnknownCode(id))
}

fn source_mut(p: &mut Project, id: SourceId) -> Result<&mut Source, ActionError> {
    p.sources
        .iter_mut()
        .find(|s| s.id == id)
        .map(Arc::make_mut)
        .ok_or(ActionError::UnknownSource(id))
}

fn check_name(name: &str) -> Result<String, ActionError> {
    let name = name.trim();
    if name.is_empty() {
        Err(ActionError::EmptyName)
    } else {
        Ok(name.to_string())
    }
}

fn sort_codings(list: &mut [Coding]) {
    list.sort_by_key(|c| (c.span.start, c.span.end, c.id));
}

fn insert_code(p: &mut Project, mut code: Code) -> Result<(), ActionError> {
    code.name = check_name(&code.name)?;
    if !is_valid_color(&code.color) {
        return Err(ActionError::InvalidColor(code.color));
    }
    if p.code(code.id).is_some() {
        return Err(ActionError::DuplicateId(code.id.to_string()));
    }
    if let Some(parent) = code.parent {
        if p.code(parent).is_none() {
            return Err(ActionError::UnknownCode(parent));
        }
    }
    p.codes.push(code);
    Ok(())
}

/// Keep only codings for which `keep` is true, touching only lists that change.
fn retain_codings(p: &mut Project, keep: impl Fn(&Coding) -> bool) {
    for list in p.codings.values_mut() {
        if list.iter().any(|c| !keep(c)) {
            Arc::make_mut(list).retain(|c| keep(c));
        }
    }
    p.codings.retain(|_, list| !list.is_empty());
}

fn apply_in_place(p: &mut Project, action: Action) -> Result<(), ActionError> {
    match action {
        Action::RenameProject { name } => p.name = check_name(&name)?,
        Action::SetProjectMemo { memo } => p.memo = memo,
        Action::AddSources { sources } => {
            for mut source in sources {
                if p.source(source.id).is_some() {
                    return Err(ActionError::DuplicateId(source.id.to_string()));
                }
                source.name = check_name(&source.name)?;
                p.sources.push(Arc::new(source));
            }
        }
        Action::RemoveSource { id } => {
            if p.source(id).is_none() {
                return Err(ActionError::UnknownSource(id));
            }
            p.sources.retain(|s| s.id != id);
            p.codings.remove(&id);
        }
        Action::RenameSource { id, name } => source_mut(p, id)?.name = check_name(&name)?,
        Action::SetSourceKind { id, kind } => source_mut(p, id)?.kind = kind,
        Action::SetSourceMemo { id, memo } => source_mut(p, id)?.memo = memo,
        Action::CreateCode { code } => insert_code(p, code)?,
        Action::ImportCodes { codes } => {
            for code in codes {
                insert_code(p, code)?;
            }
        }
        Action::RenameCode { id, name } => code_mut(p, id)?.name = check_name(&name)?,
        Action::RecolorCode { id, color } => {
            if !is_valid_color(&color) {
                return Err(ActionError::InvalidColor(color));
            }
            code_mut(p, id)?.color = color;
        }
        Action::DescribeCode { id, description } => code_mut(p, id)?.description = description,
        Action::SetCodeOrigin { id, origin } => code_mut(p, id)?.origin = origin,
        Action::SetCodeMemo { id, memo } => code_mut(p, id)?.memo = memo,
        Action::MoveCode { id, parent, before } => {
            if p.code(id).is_none() {
                return Err(ActionError::UnknownCode(id));
            }
            if let Some(parent) = parent {
                if p.code(parent).is_none() {
                    return Err(ActionError::UnknownCode(parent));
                }
                if p.is_ancestor_or_self(id, parent) {
                    return Err(ActionError::CycleInCodebook);
                }
            }
            let index = p
                .codes
                .iter()
                .position(|c| c.id == id)
                .ok_or(ActionError::UnknownCode(id))?;
            let mut code = p.codes.remove(index);
            code.parent = parent;
            let at = before
                .filter(|b| *b != id)
                .and_then(|b| p.codes.iter().position(|c| c.id == b))
                .unwrap_or(p.codes.len());
            p.codes.insert(at, code);
        }
        Action::MergeCodes { from, into } => {
            if from == into {
                return Err(ActionError::MergeIntoSelf);
            }
            if p.code(from).is_none() {
                return Err(ActionError::UnknownCode(from));
            }
            if p.code(into).is_none() {
                return Err(ActionError::UnknownCode(into));
            }
            if p.is_ancestor_or_self(from, into) {
                // `into` sits under `from`: lift it to `from`'s place first.
                let from_parent = p.code(from).and_then(|c| c.parent);
                code_mut(p, into)?.parent = from_parent;
            }
            for code in p.codes.iter_mut() {
                if code.parent == Some(from) {
                    code.parent = Some(into);
                }
            }
            for list in p.codings.values_mut() {
                if !list.iter().any(|c| c.code == from) {
                    continue;
                }
                let list = Arc::make_mut(list);
                let existing: BTreeSet<_> = list
                    .iter()
                    .filter(|c| c.code == into)
                    .map(|c| c.span)
                    .collect();
                list.retain(|c| !(c.code == from && existing.contains(&c.span)));
                for c in list.iter_mut() {
                    if c.code == from {
                        c.code = into;
                    }
                }
            }
            p.codes.retain(|c| c.id != from);
        }
        Action::DeleteCode { id } => {
            let parent = p.code(id).ok_or(ActionError::UnknownCode(id))?.parent;
            for code in p.codes.iter_mut() {
                if code.parent == Some(id) {
                    code.parent = parent;
                }
            }
            p.codes.retain(|c| c.id != id);
            retain_codings(p, |c| c.code != id);
        }
        Action::AddCodings { codings } => {
            let mut ids: BTreeSet<CodingId> = BTreeSet::new();
            for coding in &codings {
                let source = p
                    .source(coding.source)
                    .ok_or(ActionError::UnknownSource(coding.source))?;
                if !coding.span.is_valid_for(&source.text) {
                    return Err(ActionError::InvalidSpan {
                        source: coding.source,
                        start: coding.span.start,
                        end: coding.span.end,
                    });
                }
                if p.code(coding.code).is_none() {
                    return Err(ActionError::UnknownCode(coding.code));
                }
                if !ids.insert(coding.id) || p.coding(coding.id).is_some() {
                    return Err(ActionError::DuplicateId(coding.id.to_string()));
                }
            }
            for coding in codings {
                let list = Arc::make_mut(p.codings.entry(coding.source).or_default());
                // The same code on the same span twice adds nothing.
                if list
                    .iter()
                    .any(|c| c.code == coding.code && c.span == coding.span)
                {
                    continue;
                }
                let at = list.partition_point(|c| {
                    (c.span.start, c.span.end, c.id)
                        < (coding.span.start, coding.span.end, coding.id)
                });
                list.insert(at, coding);
            }
            p.codings.retain(|_, list| !list.is_empty());
        }
        Action::RemoveCodings { ids } => {
            let ids: BTreeSet<CodingId> = ids.into_iter().collect();
            retain_codings(p, |c| !ids.contains(&c.id));
        }
        Action::Batch { actions, .. } => {
            for action in actions {
                apply_in_place(p, action)?;
            }
        }
    }
    Ok(())
}

/// Applies `action` to `project`, returning the new project. On error the input is untouched.
/// Unchanged parts of the result share memory with `project`.
pub fn apply(project: &Project, action: Action) -> Result<Project, ActionError> {
    let mut next = project.clone();
    apply_in_place(&mut next, action)?;
    for list in next.codings.values_mut() {
        if !list.windows(2).all(|w| {
            (w[0].span.start, w[0].span.end, w[0].id) <= (w[1].span.start, w[1].span.end, w[1].id)
        }) {
            sort_codings(Arc::make_mut(list).as_mut_slice());
        }
    }
    Ok(next)
}
