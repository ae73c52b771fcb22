//! Every change to a project is an [`Action`]; [`apply`] is pure and returns the new project or
//! an error the UI can show. Actions carry their own ids and timestamps, so applying the same
//! action to the same project always gives the same result.

use crate::ids::{
    AnnotationId, AttributeId, CaseId, CodeId, CodingId, MatrixId, QueryId, SetId, SourceId,
};
use crate::model::case::{AttrValue, Attribute, AttributeKind, Case};
use crate::model::matrix::{remap_quotes, Matrix, RowSelection};
use crate::model::query::SavedQuery;
use crate::project::{Annotation, Code, CodeOrigin, CodeSet, Coding, Project, Source, SourceKind};
use crate::sort::Gather;
use crate::span::Span;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

pub use crate::model::error::ActionError;

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
    /// Annotate a passage or a coding (a coding that is not in the source leaves the annotation
    /// on its passage).
    AddAnnotation {
        /// The annotation, with its new id.
        annotation: Annotation,
    },
    /// Change an annotation's text.
    EditAnnotation {
        /// Which annotation.
        id: AnnotationId,
        /// The new text.
        text: String,
    },
    /// Remove an annotation.
    RemoveAnnotation {
        /// Which annotation.
        id: AnnotationId,
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
    /// Add cases (by hand, or one per selected source).
    AddCases {
        /// New cases, parents before children.
        cases: Vec<Case>,
    },
    /// Rename a case.
    RenameCase {
        /// Which case.
        id: CaseId,
        /// New name.
        name: String,
    },
    /// Put a case under another case (or at the top level).
    SetCaseParent {
        /// Which case.
        id: CaseId,
        /// New parent.
        parent: Option<CaseId>,
    },
    /// Replace the sources linked to a case.
    SetCaseSources {
        /// Which case.
        id: CaseId,
        /// Its sources.
        sources: Vec<SourceId>,
    },
    /// Replace a case's memo.
    SetCaseMemo {
        /// Which case.
        id: CaseId,
        /// New memo.
        memo: String,
    },
    /// Delete a case: its sub-cases move up, its matrix rows and summaries go.
    DeleteCase {
        /// Which case.
        id: CaseId,
    },
    /// Add an attribute (a column of the case table).
    AddAttribute {
        /// The attribute.
        attribute: Attribute,
    },
    /// Rename an attribute.
    RenameAttribute {
        /// Which attribute.
        id: AttributeId,
        /// New name.
        name: String,
    },
    /// Change an attribute's type; values that no longer fit are removed.
    SetAttributeKind {
        /// Which attribute.
        id: AttributeId,
        /// New type.
        kind: AttributeKind,
    },
    /// Delete an attribute and its values.
    DeleteAttribute {
        /// Which attribute.
        id: AttributeId,
    },
    /// Set (or clear, with `None`) attribute values: one cell, a pasted column, an imported table.
    SetAttributeValues {
        /// `(case, attribute, value)`.
        values: Vec<(CaseId, AttributeId, Option<AttrValue>)>,
    },
    /// Add a matrix.
    CreateMatrix {
        /// The matrix.
        matrix: Matrix,
    },
    /// Rename a matrix.
    RenameMatrix {
        /// Which matrix.
        id: MatrixId,
        /// New name.
        name: String,
    },
    /// Change which cases are rows and how they are grouped.
    SetMatrixRows {
        /// Which matrix.
        id: MatrixId,
        /// Row selection.
        rows: RowSelection,
        /// Grouping attribute.
        group_by: Option<AttributeId>,
    },
    /// Change the columns (codes, in order).
    SetMatrixColumns {
        /// Which matrix.
        id: MatrixId,
        /// Codes.
        columns: Vec<CodeId>,
    },
    /// Change what a cell's segments include.
    SetMatrixScope {
        /// Which matrix.
        id: MatrixId,
        /// Include the sources of sub-cases.
        include_subcases: bool,
        /// Include codings of child codes.
        include_child_codes: bool,
    },
    /// Delete a matrix.
    DeleteMatrix {
        /// Which matrix.
        id: MatrixId,
    },
    /// Replace the summaries of cells (one cell, or many when seeding with quotes).
    SetCellSummaries {
        /// Which matrix.
        matrix: MatrixId,
        /// `(case, code, summary)`; an empty summary removes it.
        summaries: Vec<(CaseId, CodeId, String)>,
    },
    /// Replace a row's case summary.
    SetCaseSummary {
        /// Which matrix.
        matrix: MatrixId,
        /// Which case.
        case: CaseId,
        /// The summary (empty removes it).
        summary: String,
    },
    /// Add a set of codes (a theme across the tree).
    CreateSet {
        /// The set.
        set: CodeSet,
    },
    /// Replace a set's name, description and codes.
    UpdateSet {
        /// The set as it should be (matched by id).
        set: CodeSet,
    },
    /// Delete a set (its codes stay).
    DeleteSet {
        /// Which set.
        id: SetId,
    },
    /// Save a search by name: added, or replacing the saved search with the same id (renamed or
    /// changed).
    SaveQuery {
        /// The saved search.
        query: SavedQuery,
    },
    /// Delete a saved search.
    DeleteQuery {
        /// Which one.
        id: QueryId,
    },
    /// Link a speaker of a source to a case: the speaker's turns belong to the case (a
    /// participant) even when the whole source does not.
    LinkSpeaker {
        /// Which case.
        case: CaseId,
        /// The source.
        source: SourceId,
        /// The speaker's label as in the source's turns.
        speaker: String,
    },
    /// Remove the link between a speaker of a source and a case.
    UnlinkSpeaker {
        /// Which case.
        case: CaseId,
        /// The source.
        source: SourceId,
        /// The speaker's label.
        speaker: String,
    },
    /// Correct a detected speaker of a source: every turn labelled `from` (ignoring case) is
    /// labelled `to`, and links of that speaker to cases follow. When `to` is another speaker
    /// of the source, the two become one (see [`Action::MergeSpeakers`]).
    RenameSpeaker {
        /// The source.
        source: SourceId,
        /// The label as detected.
        from: String,
        /// The corrected label.
        to: String,
    },
    /// Merge two speakers of a source (the same person under two labels): the turns of `from`
    /// become turns of `into`.
    MergeSpeakers {
        /// The source.
        source: SourceId,
        /// The label that goes.
        from: String,
        /// The label that stays.
        into: String,
    },
    /// "Not a speaker": a label detected by mistake (a heading, `Panel 5:`). Its turns rejoin
    /// the turn before them (the label's line becomes part of that turn's text), or belong to
    /// no turn at the start of the text; its links to cases go.
    NotASpeaker {
        /// The source.
        source: SourceId,
        /// The label.
        speaker: String,
    },
    /// Replace the speakers a matrix leaves out of its segments (e.g. the interviewer).
    SetMatrixExcludedSpeakers {
        /// Which matrix.
        id: MatrixId,
        /// Speaker labels (matched without regard to case).
        speakers: std::collections::BTreeSet<String>,
    },
    /// Replace the project's pseudonymisation key (the list of real names and pseudonyms).
    SetPseudonyms {
        /// The key, in display order.
        key: Vec<crate::project::Pseudonym>,
    },
    /// Replace a source's text (typed field notes, a corrected transcript). The change is found
    /// by [`crate::edit::diff_edit`]; codings and turns follow their words
    /// ([`crate::edit`] has the rules; codings whose text is deleted are removed). Consecutive
    /// edits of one source merge into one undo step.
    EditSourceText {
        /// Which source.
        source: SourceId,
        /// The whole new text (line endings are normalised to LF).
        text: String,
    },
    /// Many replacements in many sources as one undo step (pseudonymisation). Each source's
    /// edits are sorted, non-overlapping ranges of its current text.
    ReplaceText {
        /// Label shown in the history.
        label: String,
        /// Edits per source.
        edits: Vec<(SourceId, Vec<crate::edit::TextEdit>)>,
    },
    /// Pseudonymisation: replacements in every place a real name can live (source text, speaker
    /// names, names, memos, summaries, attribute values…; see [`crate::model::place::Place`]) as
    /// one undo step. Each place's edits are sorted, non-overlapping ranges of its current text;
    /// source text changes as in [`Action::ReplaceText`], a renamed speaker is renamed in every
    /// turn of its source, in the cases it is linked to and in matrices that leave it out.
    ReplaceNames {
        /// Label shown in the history.
        label: String,
        /// Edits per place.
        edits: Vec<(crate::model::place::Place, Vec<crate::edit::TextEdit>)>,
    },
    /// Several actions as one undo step, applied in order (e.g. create a code and code with it).
    Batch {
        /// Label shown in the history.
        label: String,
        /// The actions.
        actions: Vec<Action>,
    },
}

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
            Self::AddAnnotation { .. } => "Annotate".into(),
            Self::EditAnnotation { .. } => "Edit annotation".into(),
            Self::RemoveAnnotation { .. } => "Remove annotation".into(),
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
            Self::AddCases { cases } => match cases.len() {
                1 => format!("Add case {}", cases[0].name),
                n => format!("Add {n} cases"),
            },
            Self::RenameCase { name, .. } => format!("Rename case to {name}"),
            Self::SetCaseParent { .. } => "Move case".into(),
            Self::SetCaseSources { .. } => "Link sources to case".into(),
            Self::SetCaseMemo { .. } => "Edit case memo".into(),
            Self::DeleteCase { .. } => "Delete case".into(),
            Self::AddAttribute { attribute } => format!("Add attribute {}", attribute.name),
            Self::RenameAttribute { name, .. } => format!("Rename attribute to {name}"),
            Self::SetAttributeKind { .. } => "Change attribute type".into(),
            Self::DeleteAttribute { .. } => "Delete attribute".into(),
            Self::SetAttributeValues { values } => match values.len() {
                1 => "Set attribute value".into(),
                n => format!("Set {n} attribute values"),
            },
            Self::CreateMatrix { matrix } => format!("Create matrix {}", matrix.name),
            Self::RenameMatrix { name, .. } => format!("Rename matrix to {name}"),
            Self::SetMatrixRows { .. } => "Change matrix rows".into(),
            Self::SetMatrixColumns { .. } => "Change matrix columns".into(),
            Self::SetMatrixScope { .. } => "Change matrix scope".into(),
            Self::DeleteMatrix { .. } => "Delete matrix".into(),
            Self::SetCellSummaries { summaries, .. } => match summaries.len() {
                1 => "Edit cell summary".into(),
                n => format!("Edit {n} cell summaries"),
            },
            Self::SetCaseSummary { .. } => "Edit case summary".into(),
            Self::CreateSet { set } => format!("Create set {}", set.name),
            Self::UpdateSet { set } => format!("Edit set {}", set.name),
            Self::DeleteSet { .. } => "Delete set".into(),
            Self::SaveQuery { query } => format!("Save search {}", query.name),
            Self::DeleteQuery { .. } => "Delete saved search".into(),
            Self::LinkSpeaker { speaker, .. } => format!("Link speaker {speaker} to case"),
            Self::UnlinkSpeaker { speaker, .. } => format!("Unlink speaker {speaker}"),
            Self::RenameSpeaker { from, to, .. } => format!("Rename speaker {from} to {to}"),
            Self::MergeSpeakers { from, into, .. } => format!("Merge speaker {from} into {into}"),
            Self::NotASpeaker { speaker, .. } => format!("{speaker} is not a speaker"),
            Self::SetMatrixExcludedSpeakers { .. } => "Change speakers in matrix".into(),
            Self::SetPseudonyms { .. } => "Edit pseudonymisation key".into(),
            Self::EditSourceText { .. } => "Edit source text".into(),
            Self::ReplaceText { label, .. } => label.clone(),
            Self::ReplaceNames { label, .. } => label.clone(),
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
            Self::SetCaseMemo { id, .. } => Some(format!("case-memo:{id}")),
            Self::EditSourceText { source, .. } => Some(format!("source-text:{source}")),
            Self::SetCaseSummary { matrix, case, .. } => {
                Some(format!("case-summary:{matrix}:{case}"))
            }
            Self::SetCellSummaries { matrix, summaries } if summaries.len() == 1 => summaries
                .first()
                .map(|(case, code, _)| format!("cell-summary:{matrix}:{case}:{code}")),
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

fn case_mut(p: &mut Project, id: CaseId) -> Result<&mut Case, ActionError> {
    p.cases
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or(ActionError::UnknownCase(id))
}

fn attribute_mut(p: &mut Project, id: AttributeId) -> Result<&mut Attribute, ActionError> {
    p.attributes
        .iter_mut()
        .find(|a| a.id == id)
        .ok_or(ActionError::UnknownAttribute(id))
}

fn matrix_mut(p: &mut Project, id: MatrixId) -> Result<&mut Matrix, ActionError> {
    p.matrices
        .iter_mut()
        .find(|m| m.id == id)
        .map(Arc::make_mut)
        .ok_or(ActionError::UnknownMatrix(id))
}

fn check_columns(p: &Project, codes: &[CodeId]) -> Result<(), ActionError> {
    match codes.iter().find(|c| p.code(**c).is_none()) {
        Some(missing) => Err(ActionError::UnknownCode(*missing)),
        None => Ok(()),
    }
}

fn check_values(
    p: &Project,
    values: &std::collections::BTreeMap<AttributeId, AttrValue>,
) -> Result<(), ActionError> {
    for (attribute, value) in values {
        let a = p
            .attribute(*attribute)
            .ok_or(ActionError::UnknownAttribute(*attribute))?;
        if !value.fits(&a.kind) {
            return Err(ActionError::ValueDoesNotFit {
                attribute: a.name.clone(),
                value: value.to_string(),
            });
        }
    }
    Ok(())
}

/// After merging code `from` into `into`: columns, cell summaries and sets follow, and quote
/// references to codings dropped as duplicates point at the coding that stayed.
fn merge_code_in_charts(
    p: &mut Project,
    from: CodeId,
    into: CodeId,
    remap: &HashMap<CodingId, CodingId>,
) {
    for m in p.matrices.iter_mut() {
        let touched = m.columns.contains(&from)
            || m.cells.values().any(|row| row.contains_key(&from))
            || (!remap.is_empty()
                && (m
                    .cells
                    .values()
                    .flat_map(|r| r.values())
                    .chain(m.case_summaries.values()))
                .any(|t| t.contains(crate::model::matrix::QUOTE_OPEN)));
        if !touched {
            continue;
        }
        let m = Arc::make_mut(m);
        let mut columns = Vec::with_capacity(m.columns.len());
        for c in m.columns.iter().map(|c| if *c == from { into } else { *c }) {
            if !columns.contains(&c) {
                columns.push(c);
            }
        }
        m.columns = columns;
        for row in m.cells.values_mut() {
            if let Some(moved) = row.remove(&from) {
                let joined = match row.get(&into) {
                    Some(kept) if !kept.trim().is_empty() => format!("{kept}\n\n{moved}"),
                    _ => moved,
                };
                row.insert(into, joined);
            }
            if !remap.is_empty() {
                for text in row.values_mut() {
                    *text = remap_quotes(text, remap);
                }
            }
        }
        if !remap.is_empty() {
            for text in m.case_summaries.values_mut() {
                *text = remap_quotes(text, remap);
            }
        }
    }
    for set in p.sets.iter_mut() {
        if set.codes.contains(&from) {
            let mut codes = Vec::with_capacity(set.codes.len());
            for c in set.codes.iter().map(|c| if *c == from { into } else { *c }) {
                if !codes.contains(&c) {
                    codes.push(c);
                }
            }
            set.codes = codes;
        }
    }
}

/// Refuses `name` for code `id` under `parent` when a sibling already has it.
fn check_sibling_name(
    p: &Project,
    id: CodeId,
    parent: Option<CodeId>,
    name: &str,
) -> Result<(), ActionError> {
    match p
        .children(parent)
        .find(|c| c.id != id && crate::project::same_code_name(&c.name, name))
    {
        Some(clash) => Err(ActionError::DuplicateCodeName {
            name: clash.name.clone(),
            parent: parent.and_then(|p_id| p.code(p_id)).map(|c| c.name.clone()),
        }),
        None => Ok(()),
    }
}

/// Refuses a change of parents (`moves`: code → new parent) with `removed` codes gone, when a
/// moved code would then share its name with a sibling (merging or deleting a code moves its
/// children; two siblings never share a name). Checked before anything changes.
fn check_moves(
    p: &Project,
    moves: &[(CodeId, Option<CodeId>)],
    removed: CodeId,
) -> Result<(), ActionError> {
    let parent_after = |c: &Code| {
        moves
            .iter()
            .find(|(id, _)| *id == c.id)
            .map_or(c.parent, |(_, parent)| *parent)
    };
    for (id, parent) in moves {
        let Some(moved) = p.code(*id) else { continue };
        let clash = p.codes.iter().find(|c| {
            c.id != *id
                && c.id != removed
                && parent_after(c) == *parent
                && crate::project::same_code_name(&c.name, &moved.name)
        });
        if let Some(clash) = clash {
            return Err(ActionError::DuplicateCodeName {
                name: clash.name.clone(),
                parent: parent.and_then(|id| p.code(id)).map(|c| c.name.clone()),
            });
        }
    }
    Ok(())
}

/// Speaker labels are the same speaker when they differ only in case or surrounding spaces.
fn same_label(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn has_speaker(source: &Source, label: &str) -> bool {
    source
        .turns
        .iter()
        .any(|t| t.speaker.as_deref().is_some_and(|s| same_label(s, label)))
}

fn rename_speaker(p: &mut Project, id: SourceId, from: &str, to: &str) -> Result<(), ActionError> {
    let to = check_name(to)?;
    let source = p.source(id).ok_or(ActionError::UnknownSource(id))?;
    if !has_speaker(source, from) {
        return Err(ActionError::UnknownSpeaker(from.trim().to_string()));
    }
    // Merging into a speaker that exists keeps that speaker's spelling.
    let label = source
        .turns
        .iter()
        .filter_map(|t| t.speaker.as_deref())
        .find(|s| same_label(s, &to) && !same_label(s, from))
        .map_or(to, str::to_string);
    for turn in source_mut(p, id)?.turns.iter_mut() {
        if turn.speaker.as_deref().is_some_and(|s| same_label(s, from)) {
            turn.speaker = Some(label.clone());
        }
    }
    for case in p.cases.iter_mut() {
        let mut seen = false;
        case.speakers.retain_mut(|l| {
            if l.source == id && (same_label(&l.speaker, from) || same_label(&l.speaker, &label)) {
                l.speaker = label.clone();
                !std::mem::replace(&mut seen, true)
            } else {
                true
            }
        });
    }
    Ok(())
}

fn not_a_speaker(p: &mut Project, id: SourceId, speaker: &str) -> Result<(), ActionError> {
    let source = p.source(id).ok_or(ActionError::UnknownSource(id))?;
    if !has_speaker(source, speaker) {
        return Err(ActionError::UnknownSpeaker(speaker.trim().to_string()));
    }
    let source = source_mut(p, id)?;
    let mut turns: Vec<crate::project::Turn> = Vec::with_capacity(source.turns.len());
    for turn in std::mem::take(&mut source.turns) {
        let gone = turn
            .speaker
            .as_deref()
            .is_some_and(|s| same_label(s, speaker));
        match turns.last_mut() {
            // The label's line rejoins the turn before it, up to the end of its text.
            Some(previous) if gone => {
                previous.span.end = previous.span.end.max(turn.span.end);
                previous.end_ms = match (previous.end_ms, turn.end_ms) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            None if gone => {}
            _ => turns.push(turn),
        }
    }
    source.turns = turns;
    for case in p.cases.iter_mut() {
        case.speakers
            .retain(|l| !(l.source == id && same_label(&l.speaker, speaker)));
    }
    Ok(())
}

fn check_name(name: &str) -> Result<String, ActionError> {
    let name = name.trim();
    if name.is_empty() {
        Err(ActionError::EmptyName)
    } else {
        Ok(name.to_string())
    }
}

/// Merging a codebook as one undo step: add `new_codes` (parents first), rename codes
/// (`(id, current name, new name)`), give codes a description, add sets. Shared by the REFI-QDA
/// merge plan and the browser, which receives the plan from its worker.
pub fn codebook_merge_action(
    new_codes: &[Code],
    renamed: &[(CodeId, String, String)],
    described: &[(CodeId, String)],
    new_sets: &[CodeSet],
) -> Action {
    let mut actions = Vec::new();
    if !new_codes.is_empty() {
        actions.push(Action::ImportCodes {
            codes: new_codes.to_vec(),
        });
    }
    for (id, _, name) in renamed {
        actions.push(Action::RenameCode {
            id: *id,
            name: name.clone(),
        });
    }
    for (id, description) in described {
        actions.push(Action::DescribeCode {
            id: *id,
            description: description.clone(),
        });
    }
    for set in new_sets {
        actions.push(Action::CreateSet { set: set.clone() });
    }
    Action::Batch {
        label: "Merge codebook".into(),
        actions,
    }
}

/// Codings of one code by one coder that overlap in a source become one coding of their union
/// span, as in NVivo and MAXQDA: counts then count the passage once and the margin draws one
/// stripe. Another coder's coding of the same text stays its own (intercoder agreement compares
/// them, `crate::agreement`). Only
/// groups that hold a `fresh` coding (just added, or just moved by a merge of codes) change, so
/// loading or undoing never rewrites older data. The survivor of a group is a coding that was
/// there before (quote references may point at it), else the first fresh one in document
/// order; it keeps its id, coder and time. Returns merged-away id → survivor, for quotes.
/// `list` must be sorted by `(start, end, id)` and stays sorted.
pub(crate) fn merge_overlapping(
    list: &mut Vec<Coding>,
    fresh: &dyn Fn(&Coding) -> bool,
) -> HashMap<CodingId, CodingId> {
    let mut remap = HashMap::new();
    let fresh_codes: BTreeSet<(CodeId, &str)> = list
        .iter()
        .filter(|c| fresh(c))
        .map(|c| (c.code, c.coder.as_str()))
        .to_set();
    if fresh_codes.is_empty() {
        return remap;
    }
    // Positions per code and coder, in document order (the list is sorted by start).
    let mut by_code: HashMap<(CodeId, &str), Vec<usize>> = HashMap::new();
    for (i, c) in list.iter().enumerate() {
        let key = (c.code, c.coder.as_str());
        if fresh_codes.contains(&key) {
            by_code.entry(key).or_default().push(i);
        }
    }
    let mut gone = vec![false; list.len()];
    let mut grown: Vec<(usize, Span)> = Vec::new();
    for positions in by_code.values() {
        let mut k = 0;
        while k < positions.len() {
            let first = positions[k];
            let mut end = list[first].span.end;
            let mut group = vec![first];
            let mut next = k + 1;
            while let Some(&i) = positions.get(next) {
                if list[i].span.start >= end {
                    break;
                }
                end = end.max(list[i].span.end);
                group.push(i);
                next += 1;
            }
            k = next;
            if group.len() < 2 || !group.iter().any(|&i| fresh(&list[i])) {
                continue;
            }
            let survivor = group
                .iter()
                .copied()
                .find(|&i| !fresh(&list[i]))
                .unwrap_or(first);
            let union = Span {
                start: list[first].span.start,
                end,
            };
            for &i in &group {
                if i != survivor {
                    gone[i] = true;
                    remap.insert(list[i].id, list[survivor].id);
                }
            }
            if list[survivor].span != union {
                grown.push((survivor, union));
            }
        }
    }
    if remap.is_empty() {
        return remap;
    }
    for (i, span) in grown {
        list[i].span = span;
    }
    let mut flags = gone.into_iter();
    list.retain(|_| !flags.next().unwrap_or(false));
    sort_codings(list);
    remap
}

/// Quote references in every summary follow codings merged away (`remap`: gone → survivor).
fn remap_quotes_everywhere(p: &mut Project, remap: &HashMap<CodingId, CodingId>) {
    if remap.is_empty() {
        return;
    }
    let refers =
        |t: &String| t.contains(crate::model::matrix::QUOTE_OPEN) && remap_quotes(t, remap) != *t;
    for m in p.matrices.iter_mut() {
        let touched = m
            .cells
            .values()
            .flat_map(|r| r.values())
            .chain(m.case_summaries.values())
            .any(refers);
        if !touched {
            continue;
        }
        let m = Arc::make_mut(m);
        for text in m
            .cells
            .values_mut()
            .flat_map(|r| r.values_mut())
            .chain(m.case_summaries.values_mut())
        {
            if text.contains(crate::model::matrix::QUOTE_OPEN) {
                *text = remap_quotes(text, remap);
            }
        }
    }
}

fn sort_codings(list: &mut [Coding]) {
    crate::sort::sort_by_key(list, |c| (c.span.start, c.span.end, c.id));
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
    check_sibling_name(p, code.id, code.parent, &code.name)?;
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
            for case in p.cases.iter_mut() {
                case.sources.retain(|s| *s != id);
                case.speakers.retain(|l| l.source != id);
            }
        }
        Action::RenameSource { id, name } => source_mut(p, id)?.name = check_name(&name)?,
        Action::SetSourceKind { id, kind } => source_mut(p, id)?.kind = kind,
        Action::SetSourceMemo { id, memo } => source_mut(p, id)?.memo = memo,
        Action::AddAnnotation { annotation } => {
            let source = p
                .source(annotation.source)
                .ok_or(ActionError::UnknownSource(annotation.source))?;
            if !annotation.span.is_valid_for(&source.text) {
                return Err(ActionError::InvalidSpan {
                    source: annotation.source,
                    start: annotation.span.start,
                    end: annotation.span.end,
                });
            }
            // A coding that is not (or no longer, e.g. merged into another by the same batch)
            // in the source leaves the annotation on its passage, as removing a coding does.
            if p.annotation(annotation.id).is_some() {
                return Err(ActionError::DuplicateId(annotation.id.to_string()));
            }
            let text = annotation_text(&annotation.text)?;
            p.annotations.push(Annotation { text, ..annotation });
        }
        Action::EditAnnotation { id, text } => {
            let text = annotation_text(&text)?;
            p.annotations
                .iter_mut()
                .find(|a| a.id == id)
                .ok_or(ActionError::UnknownAnnotation(id))?
                .text = text;
        }
        Action::RemoveAnnotation { id } => {
            if p.annotation(id).is_none() {
                return Err(ActionError::UnknownAnnotation(id));
            }
            p.annotations.retain(|a| a.id != id);
        }
        Action::CreateCode { code } => insert_code(p, code)?,
        Action::ImportCodes { codes } => {
            for code in codes {
                insert_code(p, code)?;
            }
        }
        Action::RenameCode { id, name } => {
            let name = check_name(&name)?;
            let parent = p.code(id).ok_or(ActionError::UnknownCode(id))?.parent;
            check_sibling_name(p, id, parent, &name)?;
            code_mut(p, id)?.name = name;
        }
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
            if let Some(code) = p.code(id).filter(|c| c.parent != parent) {
                check_sibling_name(p, id, parent, &code.name)?;
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
            let from_parent = p.code(from).and_then(|c| c.parent);
            let lifted = p.is_ancestor_or_self(from, into);
            let mut moves: Vec<(CodeId, Option<CodeId>)> = p
                .codes
                .iter()
                .filter(|c| c.parent == Some(from) && c.id != into)
                .map(|c| (c.id, Some(into)))
                .collect();
            if lifted {
                moves.push((into, from_parent));
            }
            check_moves(p, &moves, from)?;
            if lifted {
                // `into` sits under `from`: lift it to `from`'s place first.
                code_mut(p, into)?.parent = from_parent;
            }
            for code in p.codes.iter_mut() {
                if code.parent == Some(from) {
                    code.parent = Some(into);
                }
            }
            // Codings of `from` join `into`; where they overlap a coding of `into` (or each
            // other) they become one coding of the union, and quote references to a coding
            // merged away move to the survivor.
            let mut remap: HashMap<CodingId, CodingId> = HashMap::new();
            for list in p.codings.values_mut() {
                if !list.iter().any(|c| c.code == from) {
                    continue;
                }
                let list = Arc::make_mut(list);
                let moved: BTreeSet<CodingId> = list
                    .iter()
                    .filter(|c| c.code == from)
                    .map(|c| c.id)
                    .to_set();
                for c in list.iter_mut() {
                    if c.code == from {
                        c.code = into;
                    }
                }
                remap.extend(merge_overlapping(list, &|c| moved.contains(&c.id)));
            }
            p.codes.retain(|c| c.id != from);
            remap_annotations(p, &remap);
            merge_code_in_charts(p, from, into, &remap);
        }
        Action::DeleteCode { id } => {
            let parent = p.code(id).ok_or(ActionError::UnknownCode(id))?.parent;
            let moves: Vec<(CodeId, Option<CodeId>)> = p
                .codes
                .iter()
                .filter(|c| c.parent == Some(id))
                .map(|c| (c.id, parent))
                .collect();
            check_moves(p, &moves, id)?;
            for code in p.codes.iter_mut() {
                if code.parent == Some(id) {
                    code.parent = parent;
                }
            }
            p.codes.retain(|c| c.id != id);
            retain_codings(p, |c| c.code != id);
            for m in p.matrices.iter_mut() {
                if m.columns.contains(&id) || m.cells.values().any(|row| row.contains_key(&id)) {
                    let m = Arc::make_mut(m);
                    m.columns.retain(|c| *c != id);
                    for row in m.cells.values_mut() {
                        row.remove(&id);
                    }
                    m.cells.retain(|_, row| !row.is_empty());
                }
            }
            for set in p.sets.iter_mut() {
                set.codes.retain(|c| *c != id);
            }
        }
        Action::AddCodings { codings } => {
            // Auto-coding adds thousands at once: then look ids up in a set built once
            // instead of scanning every coding per new one.
            const BULK: usize = 16;
            // (Filled by `insert`, not `collect`, which would sort: one more sort in the wasm.)
            let mut existing: BTreeSet<CodingId> = BTreeSet::new();
            if codings.len() > BULK {
                for c in p.all_codings() {
                    existing.insert(c.id);
                }
            }
            let exists = |p: &Project, id: CodingId| {
                if codings.len() > BULK {
                    existing.contains(&id)
                } else {
                    p.coding(id).is_some()
                }
            };
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
                if !ids.insert(coding.id) || exists(p, coding.id) {
                    return Err(ActionError::DuplicateId(coding.id.to_string()));
                }
            }
            let mut touched: Vec<SourceId> = Vec::new();
            if codings.len() > BULK {
                for coding in codings {
                    if !touched.contains(&coding.source) {
                        touched.push(coding.source);
                    }
                    Arc::make_mut(p.codings.entry(coding.source).or_default()).push(coding);
                }
                for source in &touched {
                    if let Some(list) = p.codings.get_mut(source) {
                        sort_codings(Arc::make_mut(list).as_mut_slice());
                    }
                }
            } else {
                for coding in codings {
                    if !touched.contains(&coding.source) {
                        touched.push(coding.source);
                    }
                    let list = Arc::make_mut(p.codings.entry(coding.source).or_default());
                    let at = list.partition_point(|c| {
                        (c.span.start, c.span.end, c.id)
                            < (coding.span.start, coding.span.end, coding.id)
                    });
                    list.insert(at, coding);
                }
            }
            // The same code on the same or overlapping text becomes one coding of the union.
            let mut remap = HashMap::new();
            for source in &touched {
                if let Some(list) = p.codings.get_mut(source) {
                    remap.extend(merge_overlapping(Arc::make_mut(list), &|c| {
                        ids.contains(&c.id)
                    }));
                }
            }
            remap_quotes_everywhere(p, &remap);
            remap_annotations(p, &remap);
            p.codings.retain(|_, list| !list.is_empty());
        }
        Action::RemoveCodings { ids } => {
            let ids: BTreeSet<CodingId> = ids.into_iter().to_set();
            retain_codings(p, |c| !ids.contains(&c.id));
        }
        Action::AddCases { cases } => {
            for case in cases {
                check_name(&case.name)?;
                if p.case(case.id).is_some() {
                    return Err(ActionError::DuplicateId(case.id.to_string()));
                }
                if let Some(parent) = case.parent {
                    if p.case(parent).is_none() {
                        return Err(ActionError::UnknownCase(parent));
                    }
                }
                for s in &case.sources {
                    if p.source(*s).is_none() {
                        return Err(ActionError::UnknownSource(*s));
                    }
                }
                check_values(p, &case.values)?;
                p.cases.push(Case {
                    name: case.name.trim().to_string(),
                    ..case
                });
            }
        }
        Action::RenameCase { id, name } => case_mut(p, id)?.name = check_name(&name)?,
        Action::SetCaseParent { id, parent } => {
            case_mut(p, id)?;
            if let Some(parent) = parent {
                if p.case(parent).is_none() {
                    return Err(ActionError::UnknownCase(parent));
                }
                if p.is_case_ancestor_or_self(id, parent) {
                    return Err(ActionError::CycleInCases);
                }
            }
            case_mut(p, id)?.parent = parent;
        }
        Action::SetCaseSources { id, sources } => {
            for s in &sources {
                if p.source(*s).is_none() {
                    return Err(ActionError::UnknownSource(*s));
                }
            }
            let mut unique = Vec::with_capacity(sources.len());
            for s in sources {
                if !unique.contains(&s) {
                    unique.push(s);
                }
            }
            case_mut(p, id)?.sources = unique;
        }
        Action::SetCaseMemo { id, memo } => case_mut(p, id)?.memo = memo,
        Action::DeleteCase { id } => {
            let parent = p.case(id).ok_or(ActionError::UnknownCase(id))?.parent;
            for case in p.cases.iter_mut() {
                if case.parent == Some(id) {
                    case.parent = parent;
                }
            }
            p.cases.retain(|c| c.id != id);
            for m in p.matrices.iter_mut() {
                let listed = matches!(&m.rows, RowSelection::Cases(list) if list.contains(&id));
                if listed || m.cells.contains_key(&id) || m.case_summaries.contains_key(&id) {
                    let m = Arc::make_mut(m);
                    if let RowSelection::Cases(list) = &mut m.rows {
                        list.retain(|c| *c != id);
                    }
                    m.cells.remove(&id);
                    m.case_summaries.remove(&id);
                }
            }
        }
        Action::AddAttribute { attribute } => {
            check_name(&attribute.name)?;
            if p.attribute(attribute.id).is_some() {
                return Err(ActionError::DuplicateId(attribute.id.to_string()));
            }
            p.attributes.push(Attribute {
                name: attribute.name.trim().to_string(),
                ..attribute
            });
        }
        Action::RenameAttribute { id, name } => {
            let name = check_name(&name)?;
            attribute_mut(p, id)?.name = name;
        }
        Action::SetAttributeKind { id, kind } => {
            attribute_mut(p, id)?.kind = kind.clone();
            for case in p.cases.iter_mut() {
                if case.values.get(&id).is_some_and(|v| !v.fits(&kind)) {
                    // Try to read the old value as the new type (e.g. text "3" as a number).
                    let converted = case
                        .values
                        .get(&id)
                        .and_then(|v| AttrValue::parse(&kind, &v.to_string()).ok().flatten());
                    match converted {
                        Some(v) => {
                            case.values.insert(id, v);
                        }
                        None => {
                            case.values.remove(&id);
                        }
                    }
                }
            }
        }
        Action::DeleteAttribute { id } => {
            if p.attribute(id).is_none() {
                return Err(ActionError::UnknownAttribute(id));
            }
            p.attributes.retain(|a| a.id != id);
            for case in p.cases.iter_mut() {
                case.values.remove(&id);
            }
            for m in p.matrices.iter_mut() {
                let filtered = matches!(&m.rows, RowSelection::Filter(f) if f.iter().any(|f| f.attribute == id));
                if m.group_by == Some(id) || filtered {
                    let m = Arc::make_mut(m);
                    if m.group_by == Some(id) {
                        m.group_by = None;
                    }
                    if let RowSelection::Filter(filters) = &mut m.rows {
                        filters.retain(|f| f.attribute != id);
                    }
                }
            }
        }
        Action::SetAttributeValues { values } => {
            for (case, attribute, value) in &values {
                if p.case(*case).is_none() {
                    return Err(ActionError::UnknownCase(*case));
                }
                let a = p
                    .attribute(*attribute)
                    .ok_or(ActionError::UnknownAttribute(*attribute))?;
                if let Some(v) = value {
                    if !v.fits(&a.kind) {
                        return Err(ActionError::ValueDoesNotFit {
                            attribute: a.name.clone(),
                            value: v.to_string(),
                        });
                    }
                }
            }
            for (case, attribute, value) in values {
                let case = case_mut(p, case)?;
                match value {
                    Some(v) => {
                        case.values.insert(attribute, v);
                    }
                    None => {
                        case.values.remove(&attribute);
                    }
                }
            }
        }
        Action::CreateMatrix { matrix } => {
            check_name(&matrix.name)?;
            if p.matrix(matrix.id).is_some() {
                return Err(ActionError::DuplicateId(matrix.id.to_string()));
            }
            check_columns(p, &matrix.columns)?;
            p.matrices.push(Arc::new(matrix));
        }
        Action::RenameMatrix { id, name } => {
            let name = check_name(&name)?;
            matrix_mut(p, id)?.name = name;
        }
        Action::SetMatrixRows { id, rows, group_by } => {
            if let Some(a) = group_by {
                if p.attribute(a).is_none() {
                    return Err(ActionError::UnknownAttribute(a));
                }
            }
            match &rows {
                RowSelection::All => {}
                RowSelection::Cases(list) => {
                    if let Some(missing) = list.iter().find(|c| p.case(**c).is_none()) {
                        return Err(ActionError::UnknownCase(*missing));
                    }
                }
                RowSelection::Filter(filters) => {
                    if let Some(f) = filters.iter().find(|f| p.attribute(f.attribute).is_none()) {
                        return Err(ActionError::UnknownAttribute(f.attribute));
                    }
                }
            }
            let m = matrix_mut(p, id)?;
            m.rows = rows;
            m.group_by = group_by;
        }
        Action::SetMatrixColumns { id, columns } => {
            check_columns(p, &columns)?;
            let mut unique = Vec::with_capacity(columns.len());
            for c in columns {
                if !unique.contains(&c) {
                    unique.push(c);
                }
            }
            matrix_mut(p, id)?.columns = unique;
        }
        Action::LinkSpeaker {
            case,
            source,
            speaker,
        } => {
            if p.source(source).is_none() {
                return Err(ActionError::UnknownSource(source));
            }
            let speaker = speaker.trim().to_string();
            if speaker.is_empty() {
                return Err(ActionError::EmptyName);
            }
            let link = crate::model::case::SpeakerLink { source, speaker };
            // A speaker is one participant: linking it to this case unlinks it elsewhere.
            for other in p.cases.iter_mut() {
                other.speakers.retain(|l| *l != link);
            }
            case_mut(p, case)?.speakers.push(link);
        }
        Action::UnlinkSpeaker {
            case,
            source,
            speaker,
        } => {
            case_mut(p, case)?
                .speakers
                .retain(|l| !(l.source == source && l.speaker == speaker));
        }
        Action::RenameSpeaker { source, from, to }
        | Action::MergeSpeakers {
            source,
            from,
            into: to,
        } => rename_speaker(p, source, &from, &to)?,
        Action::NotASpeaker { source, speaker } => not_a_speaker(p, source, &speaker)?,
        Action::SetMatrixExcludedSpeakers { id, speakers } => {
            matrix_mut(p, id)?.exclude_speakers = speakers
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .to_set();
        }
        Action::SetPseudonyms { key } => {
            p.pseudonyms = key
                .into_iter()
                .filter(|k| !k.real.trim().is_empty())
                .collect();
        }
        Action::SetMatrixScope {
            id,
            include_subcases,
            include_child_codes,
        } => {
            let m = matrix_mut(p, id)?;
            m.include_subcases = include_subcases;
            m.include_child_codes = include_child_codes;
        }
        Action::DeleteMatrix { id } => {
            if p.matrix(id).is_none() {
                return Err(ActionError::UnknownMatrix(id));
            }
            p.matrices.retain(|m| m.id != id);
        }
        Action::SetCellSummaries { matrix, summaries } => {
            for (case, code, _) in &summaries {
                if p.case(*case).is_none() {
                    return Err(ActionError::UnknownCase(*case));
                }
                if p.code(*code).is_none() {
                    return Err(ActionError::UnknownCode(*code));
                }
            }
            let m = matrix_mut(p, matrix)?;
            for (case, code, summary) in summaries {
                if summary.trim().is_empty() {
                    if let Some(row) = m.cells.get_mut(&case) {
                        row.remove(&code);
                        if row.is_empty() {
                            m.cells.remove(&case);
                        }
                    }
                } else {
                    m.cells.entry(case).or_default().insert(code, summary);
                }
            }
        }
        Action::SetCaseSummary {
            matrix,
            case,
            summary,
        } => {
            if p.case(case).is_none() {
                return Err(ActionError::UnknownCase(case));
            }
            let m = matrix_mut(p, matrix)?;
            if summary.trim().is_empty() {
                m.case_summaries.remove(&case);
            } else {
                m.case_summaries.insert(case, summary);
            }
        }
        Action::CreateSet { set } => {
            check_name(&set.name)?;
            if p.set(set.id).is_some() {
                return Err(ActionError::DuplicateId(set.id.to_string()));
            }
            check_columns(p, &set.codes)?;
            p.sets.push(CodeSet {
                name: set.name.trim().to_string(),
                ..set
            });
        }
        Action::UpdateSet { set } => {
            check_name(&set.name)?;
            check_columns(p, &set.codes)?;
            let slot = p
                .sets
                .iter_mut()
                .find(|s| s.id == set.id)
                .ok_or(ActionError::UnknownSet(set.id))?;
            *slot = CodeSet {
                name: set.name.trim().to_string(),
                ..set
            };
        }
        Action::DeleteSet { id } => {
            if p.set(id).is_none() {
                return Err(ActionError::UnknownSet(id));
            }
            p.sets.retain(|s| s.id != id);
        }
        Action::SaveQuery { query } => {
            let query = SavedQuery {
                name: check_name(&query.name)?,
                ..query
            };
            match p.queries.iter_mut().find(|q| q.id == query.id) {
                Some(slot) => *slot = query,
                None => p.queries.push(query),
            }
        }
        Action::DeleteQuery { id } => {
            if p.query(id).is_none() {
                return Err(ActionError::UnknownQuery(id));
            }
            p.queries.retain(|q| q.id != id);
        }
        Action::EditSourceText { source, text } => {
            let old = p.source(source).ok_or(ActionError::UnknownSource(source))?;
            let edit = crate::edit::diff_edit(&old.text, &crate::text::normalize_newlines(&text));
            crate::edit::edit_in_place(p, source, edit.as_slice())?;
        }
        Action::ReplaceText { edits, .. } => {
            for (source, list) in edits {
                let normalised: Vec<crate::edit::TextEdit> = list
                    .into_iter()
                    .map(|e| crate::edit::TextEdit {
                        with: crate::text::normalize_newlines(&e.with),
                        ..e
                    })
                    .collect();
                crate::edit::edit_in_place(p, source, &normalised)?;
            }
        }
        Action::ReplaceNames { edits, .. } => crate::edit::replace_in_place(p, edits)?,
        Action::Batch { actions, .. } => {
            for action in actions {
                apply_in_place(p, action)?;
            }
        }
    }
    Ok(())
}

/// An annotation's text as kept: line endings normalised, surrounding white space trimmed;
/// refused when nothing is left.
fn annotation_text(text: &str) -> Result<String, ActionError> {
    let text = crate::text::normalize_newlines(text).trim().to_string();
    if text.is_empty() {
        return Err(ActionError::EmptyAnnotation);
    }
    Ok(text)
}

/// Annotations after any change: those of a removed source go with it; one whose coding is
/// gone stays on its passage (as a passage annotation); the list is kept in its order.
fn tidy_annotations(p: &mut Project) {
    if p.annotations.is_empty() {
        return;
    }
    let sources: BTreeSet<SourceId> = p.sources.iter().map(|s| s.id).to_set();
    if p.annotations.iter().any(|a| !sources.contains(&a.source)) {
        p.annotations.retain(|a| sources.contains(&a.source));
    }
    let codings = &p.codings;
    let gone = |a: &Annotation| {
        a.coding.is_some_and(|id| {
            !codings
                .get(&a.source)
                .is_some_and(|list| list.iter().any(|c| c.id == id))
        })
    };
    if p.annotations.iter().any(gone) {
        let gone: Vec<bool> = p.annotations.iter().map(gone).collect();
        for (a, gone) in p.annotations.iter_mut().zip(gone) {
            if gone {
                a.coding = None;
            }
        }
    }
    if !p
        .annotations
        .windows(2)
        .all(|w| w[0].order_key() <= w[1].order_key())
    {
        crate::sort::sort_by_key(&mut p.annotations, Annotation::order_key);
    }
}

/// Annotations of codings merged away follow the coding that stayed (`remap`: gone → survivor).
pub(crate) fn remap_annotations(p: &mut Project, remap: &HashMap<CodingId, CodingId>) {
    for a in p.annotations.iter_mut() {
        if let Some(to) = a.coding.and_then(|c| remap.get(&c)) {
            a.coding = Some(*to);
        }
    }
}

/// Applies `action` to `project`, returning the new project. On error the input is untouched.
/// Unchanged parts of the result share memory with `project`.
pub fn apply(project: &Project, action: Action) -> Result<Project, ActionError> {
    let mut next = project.clone();
    apply_in_place(&mut next, action)?;
    tidy_annotations(&mut next);
    for list in next.codings.values_mut() {
        if !list.windows(2).all(|w| {
            (w[0].span.start, w[0].span.end, w[0].id) <= (w[1].span.start, w[1].span.end, w[1].id)
        }) {
            sort_codings(Arc::make_mut(list).as_mut_slice());
        }
    }
    Ok(next)
}
