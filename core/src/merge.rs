//! Merging another project (a colleague's project file or `.qdpx`) into the current one.
//!
//! [`plan`] compares the two and says what is **new**, **identical** and **in conflict**;
//! [`MergePlan::action`] applies it as one undo step ([`Action::Batch`]). Nothing here changes a
//! project: the worker plans, the app shows the plan and applies the action.
//!
//! # Matching
//! - **Sources** by their text, not their name: a 64-bit FNV-1a hash of the normalised text
//!   (line endings made LF, a byte-order mark and surrounding white space left out), compared
//!   in full when the hashes agree. Unicode normalisation (NFC) is *not* applied: core has it
//!   only with the `search` feature, and the plan must be the same wherever it runs; texts that
//!   differ only in composed and decomposed accents count as different. A source of the other
//!   project whose text is not here but whose name is (ignoring case) is a conflict ("different
//!   text under one source name"): ours stays, theirs and its codings are left out.
//! - **Codes** by id, then by name path (the parent matched first, then the name among its
//!   children, ignoring case as sibling names do). A code matched by id but named or placed
//!   differently is a conflict: ours stays.
//! - **Cases** by name (ignoring case; one under the same parent first). Their source links and
//!   attribute values that are missing here are added; a value that differs is a conflict.
//! - **Attributes** by name and kind: the same name with another kind is a conflict (ours stays,
//!   their values of it are left out); categories that differ are a conflict too, and only the
//!   values that fit ours are merged.
//! - **Codings** of matched sources are re-targeted (source and code ids; offsets moved by the
//!   leading white space the normalisation left out, and kept only when they cover the same
//!   words) and deduplicated: the same source, span, code and coder is the same coding. Codings
//!   of one coder here that the other project lacks on a matched source where that coder coded
//!   are reported ("removed there, or added here since"), never deleted.
//! - **Sets** and **matrices** by name: new ones are added with every id re-targeted (quote
//!   references follow the codings); of a matched matrix, the cell and case summaries empty here
//!   are filled, different ones are conflicts; a matched set that differs is a conflict.
//! - **Annotations** of matched or added sources are re-targeted as codings are (kept only when
//!   their passage covers the same words; a link to a coding follows that coding); one with the
//!   same source, passage and text as one here is identical.
//! - **Memos and code descriptions** empty here take the other project's text; two different
//!   texts are a conflict.
//! - **Not merged**: the project's name, speaker turns of matched sources, speaker links of
//!   matched cases, colours and deductive/inductive marks of matched codes, and the
//!   pseudonymisation key (a difference is reported).
//!
//! Every conflict is resolved by keeping ours ([`Resolution::KeepOurs`]); the plan applies that.
//!
//! # Ids
//! Everything added keeps its id from the other project unless that id is already taken here by
//! something else (then it gets a fresh one from the caller's [`IdSource`]), so merging copies
//! of one project keeps one set of ids.

use crate::action::Action;
use crate::ids::{
    AnnotationId, AttributeId, CaseId, CodeId, CodingId, IdSource, MatrixId, SourceId,
};
use crate::model::case::{AttrValue, Attribute, Case, SpeakerLink};
use crate::model::matrix::{remap_quotes, AttributeFilter, Matrix, RowSelection};
use crate::project::{same_code_name, Annotation, Code, CodeSet, Coding, Project, Source, Span};
use crate::sort::Gather;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

mod shown;
pub use shown::preview;

/// What an entry of the plan is about.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A source.
    Source,
    /// A code.
    Code,
    /// Codings (an entry counts those of one source).
    Coding,
    /// A case.
    Case,
    /// A case attribute.
    Attribute,
    /// An attribute value of a case.
    Value,
    /// Sources linked to a case.
    CaseLink,
    /// A set of codes.
    Set,
    /// A framework matrix.
    Matrix,
    /// Cell and case summaries of a matrix.
    Summary,
    /// A memo or a code's description.
    Memo,
    /// An annotation of a passage or a coding.
    Annotation,
}

impl Kind {
    /// Every kind, in the order a preview lists them.
    pub const ALL: [Kind; 12] = [
        Kind::Source,
        Kind::Code,
        Kind::Coding,
        Kind::Case,
        Kind::Attribute,
        Kind::Value,
        Kind::CaseLink,
        Kind::Set,
        Kind::Matrix,
        Kind::Summary,
        Kind::Memo,
        Kind::Annotation,
    ];

    /// "3 sources", "1 coding".
    pub fn count(self, n: usize) -> String {
        let (one, many) = match self {
            Kind::Source => ("source", "sources"),
            Kind::Code => ("code", "codes"),
            Kind::Coding => ("coding", "codings"),
            Kind::Case => ("case", "cases"),
            Kind::Attribute => ("attribute", "attributes"),
            Kind::Value => ("attribute value", "attribute values"),
            Kind::CaseLink => ("source linked to a case", "sources linked to cases"),
            Kind::Set => ("set", "sets"),
            Kind::Matrix => ("matrix", "matrices"),
            Kind::Summary => ("matrix summary", "matrix summaries"),
            Kind::Memo => ("memo or description", "memos and descriptions"),
            Kind::Annotation => ("annotation", "annotations"),
        };
        crate::words::count(n, one, many)
    }
}

/// One line of the plan: something new or identical, by name.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// What it is.
    pub kind: Kind,
    /// Its name as the researcher knows it (for codings: the source's name).
    pub name: String,
    /// How many (1, or the number of codings of one source).
    pub count: usize,
}

/// What kind of difference a conflict is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// The same code (by id) has another name there.
    CodeRenamed,
    /// The same code (by id) sits under another parent there.
    CodeMoved,
    /// A source of the same name has different text there.
    SourceTextDiffers,
    /// Codings of a coder here are missing there.
    CodingsRemoved,
    /// Codings there that no longer fit the text here.
    CodingsLeftOut,
    /// An attribute of the same name has another kind (or other categories) there.
    AttributeKind,
    /// A case's attribute value differs.
    ValueDiffers,
    /// A memo or description differs.
    MemoDiffers,
    /// A set of the same name has other codes there.
    SetDiffers,
    /// A matrix summary differs.
    SummaryDiffers,
    /// The pseudonymisation key differs.
    KeyDiffers,
}

/// How a conflict is resolved.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// This project's version stays; the other one is left out.
    #[default]
    KeepOurs,
}

impl Resolution {
    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::KeepOurs => "keep this project's version",
        }
    }
}

/// A difference the merge does not settle on its own.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Conflict {
    /// What kind of difference.
    pub kind: ConflictKind,
    /// The name of what differs (a code's path, a source's name…).
    pub name: String,
    /// The difference as a sentence.
    pub reason: String,
    /// What the merge does about it.
    pub resolution: Resolution,
}

/// Where a memo (or a code's description) goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum MemoOf {
    /// The project memo.
    Project,
    /// A source's memo.
    Source(SourceId),
    /// A code's memo.
    Code(CodeId),
    /// A code's description.
    Description(CodeId),
    /// A case's memo.
    Case(CaseId),
}

/// The plan of a merge: what it shows (`new`, `identical`, `conflicts`) and what it adds.
/// Serialisable (the worker plans, the app applies): the fields are the contract.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct MergePlan {
    /// The other project's name.
    pub other_name: String,
    /// What the merge adds.
    pub new: Vec<Entry>,
    /// What is already here.
    pub identical: Vec<Entry>,
    /// Differences, each with its resolution (keep ours).
    pub conflicts: Vec<Conflict>,
    /// Sources to add.
    pub sources: Vec<Source>,
    /// Codes to add, parents first.
    pub codes: Vec<Code>,
    /// Attributes to add.
    pub attributes: Vec<Attribute>,
    /// Cases to add, parents first.
    pub cases: Vec<Case>,
    /// Matched cases and their sources after the merge.
    pub case_sources: Vec<(CaseId, Vec<SourceId>)>,
    /// Attribute values of matched cases that are empty here.
    pub values: Vec<(CaseId, AttributeId, AttrValue)>,
    /// Memos and descriptions empty here.
    pub memos: Vec<(MemoOf, String)>,
    /// Codings to add.
    pub codings: Vec<Coding>,
    /// Sets to add.
    pub sets: Vec<CodeSet>,
    /// Matrices to add.
    pub matrices: Vec<Matrix>,
    /// Cell summaries of matched matrices that are empty here.
    pub cells: Vec<(MatrixId, CaseId, CodeId, String)>,
    /// Case summaries of matched matrices that are empty here.
    pub case_summaries: Vec<(MatrixId, CaseId, String)>,
    /// Annotations to add (after the codings they may be on).
    #[serde(default)]
    pub annotations: Vec<Annotation>,
}

impl MergePlan {
    /// True when applying it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.codes.is_empty()
            && self.attributes.is_empty()
            && self.cases.is_empty()
            && self.case_sources.is_empty()
            && self.values.is_empty()
            && self.memos.is_empty()
            && self.codings.is_empty()
            && self.sets.is_empty()
            && self.matrices.is_empty()
            && self.cells.is_empty()
            && self.case_summaries.is_empty()
            && self.annotations.is_empty()
    }

    /// How many of `kind` the merge adds.
    pub fn new_count(&self, kind: Kind) -> usize {
        count_of(&self.new, kind)
    }

    /// How many of `kind` are already here.
    pub fn identical_count(&self, kind: Kind) -> usize {
        count_of(&self.identical, kind)
    }

    /// The merge as one undo step.
    pub fn action(&self) -> Action {
        let mut actions = Vec::new();
        if !self.sources.is_empty() {
            actions.push(Action::AddSources {
                sources: self.sources.clone(),
            });
        }
        if !self.codes.is_empty() {
            actions.push(Action::ImportCodes {
                codes: self.codes.clone(),
            });
        }
        for attribute in &self.attributes {
            actions.push(Action::AddAttribute {
                attribute: attribute.clone(),
            });
        }
        if !self.cases.is_empty() {
            actions.push(Action::AddCases {
                cases: self.cases.clone(),
            });
        }
        for (id, sources) in &self.case_sources {
            actions.push(Action::SetCaseSources {
                id: *id,
                sources: sources.clone(),
            });
        }
        if !self.values.is_empty() {
            actions.push(Action::SetAttributeValues {
                values: self
                    .values
                    .iter()
                    .map(|(case, a, v)| (*case, *a, Some(v.clone())))
                    .collect(),
            });
        }
        for (of, memo) in &self.memos {
            let memo = memo.clone();
            actions.push(match *of {
                MemoOf::Project => Action::SetProjectMemo { memo },
                MemoOf::Source(id) => Action::SetSourceMemo { id, memo },
                MemoOf::Code(id) => Action::SetCodeMemo { id, memo },
                MemoOf::Description(id) => Action::DescribeCode {
                    id,
                    description: memo,
                },
                MemoOf::Case(id) => Action::SetCaseMemo { id, memo },
            });
        }
        for set in &self.sets {
            actions.push(Action::CreateSet { set: set.clone() });
        }
        for matrix in &self.matrices {
            actions.push(Action::CreateMatrix {
                matrix: matrix.clone(),
            });
        }
        let mut cells: BTreeMap<MatrixId, Vec<(CaseId, CodeId, String)>> = BTreeMap::new();
        for (m, case, code, text) in &self.cells {
            cells
                .entry(*m)
                .or_default()
                .push((*case, *code, text.clone()));
        }
        for (matrix, summaries) in cells {
            actions.push(Action::SetCellSummaries { matrix, summaries });
        }
        for (matrix, case, summary) in &self.case_summaries {
            actions.push(Action::SetCaseSummary {
                matrix: *matrix,
                case: *case,
                summary: summary.clone(),
            });
        }
        // Last: overlapping codings of one coder merge (another coder's stay apart) and quote
        // references follow them.
        if !self.codings.is_empty() {
            actions.push(Action::AddCodings {
                codings: self.codings.clone(),
            });
        }
        for annotation in &self.annotations {
            actions.push(Action::AddAnnotation {
                annotation: annotation.clone(),
            });
        }
        Action::Batch {
            label: format!("Merge project {}", self.other_name),
            actions,
        }
    }
}

/// What a merge preview shows: the plan without what it adds. The plan crosses from the worker
/// to the app as [`MergePlan::staged`] (a project file, read by the loader the app has anyway,
/// instead of every model type's own reader in the main wasm) and its [`preview`] written out;
/// the app gives [`MergePlan::from_staged`] a summary with only the other project's name.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct MergeSummary {
    /// The other project's name.
    pub other_name: String,
    /// What the merge adds.
    pub new: Vec<Entry>,
    /// What is already here.
    pub identical: Vec<Entry>,
    /// Differences, each with its resolution.
    pub conflicts: Vec<Conflict>,
}

impl MergeSummary {
    /// How many of `kind` the merge adds.
    pub fn new_count(&self, kind: Kind) -> usize {
        count_of(&self.new, kind)
    }

    /// How many of `kind` are already here.
    pub fn identical_count(&self, kind: Kind) -> usize {
        count_of(&self.identical, kind)
    }
}

impl MergePlan {
    /// The preview's part of the plan.
    pub fn summary(&self) -> MergeSummary {
        MergeSummary {
            other_name: self.other_name.clone(),
            new: self.new.clone(),
            identical: self.identical.clone(),
            conflicts: self.conflicts.clone(),
        }
    }

    /// `current` with everything the plan adds put in as it is (no checks, overlapping codings
    /// not joined): the plan as a project, for [`MergePlan::from_staged`].
    pub fn staged(&self, current: &Project) -> Project {
        let mut p = current.clone();
        p.sources
            .extend(self.sources.iter().cloned().map(std::sync::Arc::new));
        p.codes.extend(self.codes.iter().cloned());
        p.attributes.extend(self.attributes.iter().cloned());
        p.cases.extend(self.cases.iter().cloned());
        for (id, sources) in &self.case_sources {
            if let Some(c) = p.cases.iter_mut().find(|c| c.id == *id) {
                c.sources = sources.clone();
            }
        }
        for (case, a, v) in &self.values {
            if let Some(c) = p.cases.iter_mut().find(|c| c.id == *case) {
                c.values.insert(*a, v.clone());
            }
        }
        for (of, memo) in &self.memos {
            let memo = memo.clone();
            match *of {
                MemoOf::Project => p.memo = memo,
                MemoOf::Source(id) => {
                    if let Some(s) = p.sources.iter_mut().find(|s| s.id == id) {
                        std::sync::Arc::make_mut(s).memo = memo;
                    }
                }
                MemoOf::Code(id) => {
                    if let Some(c) = p.codes.iter_mut().find(|c| c.id == id) {
                        c.memo = memo;
                    }
                }
                MemoOf::Description(id) => {
                    if let Some(c) = p.codes.iter_mut().find(|c| c.id == id) {
                        c.description = memo;
                    }
                }
                MemoOf::Case(id) => {
                    if let Some(c) = p.cases.iter_mut().find(|c| c.id == id) {
                        c.memo = memo;
                    }
                }
            }
        }
        for c in &self.codings {
            std::sync::Arc::make_mut(p.codings.entry(c.source).or_default()).push(c.clone());
        }
        for list in p.codings.values_mut() {
            crate::sort::sort_by_key(std::sync::Arc::make_mut(list).as_mut_slice(), |c| {
                (c.span.start, c.span.end, c.id)
            });
        }
        p.annotations.extend(self.annotations.iter().cloned());
        crate::sort::sort_by_key(&mut p.annotations, Annotation::order_key);
        p.sets.extend(self.sets.iter().cloned());
        p.matrices
            .extend(self.matrices.iter().cloned().map(std::sync::Arc::new));
        for (m, case, code, text) in &self.cells {
            if let Some(m) = p.matrices.iter_mut().find(|x| x.id == *m) {
                std::sync::Arc::make_mut(m)
                    .cells
                    .entry(*case)
                    .or_default()
                    .insert(*code, text.clone());
            }
        }
        for (m, case, text) in &self.case_summaries {
            if let Some(m) = p.matrices.iter_mut().find(|x| x.id == *m) {
                std::sync::Arc::make_mut(m)
                    .case_summaries
                    .insert(*case, text.clone());
            }
        }
        p
    }

    /// The plan back from `staged` ([`MergePlan::staged`] of `current`): what it has that
    /// `current` has not.
    pub fn from_staged(current: &Project, staged: &Project, summary: MergeSummary) -> MergePlan {
        let mut plan = MergePlan {
            other_name: summary.other_name,
            new: summary.new,
            identical: summary.identical,
            conflicts: summary.conflicts,
            ..MergePlan::default()
        };
        plan.sources = staged
            .sources
            .iter()
            .filter(|s| current.source(s.id).is_none())
            .map(|s| (**s).clone())
            .collect();
        plan.codes = staged
            .codes
            .iter()
            .filter(|c| current.code(c.id).is_none())
            .cloned()
            .collect();
        plan.attributes = staged
            .attributes
            .iter()
            .filter(|a| current.attribute(a.id).is_none())
            .cloned()
            .collect();
        if staged.memo != current.memo {
            plan.memos.push((MemoOf::Project, staged.memo.clone()));
        }
        for s in &staged.sources {
            if let Some(ours) = current.source(s.id) {
                if ours.memo != s.memo {
                    plan.memos.push((MemoOf::Source(s.id), s.memo.clone()));
                }
            }
        }
        for c in &staged.codes {
            if let Some(ours) = current.code(c.id) {
                if ours.description != c.description {
                    plan.memos
                        .push((MemoOf::Description(c.id), c.description.clone()));
                }
                if ours.memo != c.memo {
                    plan.memos.push((MemoOf::Code(c.id), c.memo.clone()));
                }
            }
        }
        for c in &staged.cases {
            let Some(ours) = current.case(c.id) else {
                plan.cases.push(c.clone());
                continue;
            };
            if ours.sources != c.sources {
                plan.case_sources.push((c.id, c.sources.clone()));
            }
            for (a, v) in &c.values {
                if !ours.values.contains_key(a) {
                    plan.values.push((c.id, *a, v.clone()));
                }
            }
            if ours.memo != c.memo {
                plan.memos.push((MemoOf::Case(c.id), c.memo.clone()));
            }
        }
        let here: HashSet<CodingId> = current.all_codings().map(|c| c.id).collect();
        plan.codings = staged
            .all_codings()
            .filter(|c| !here.contains(&c.id))
            .cloned()
            .collect();
        plan.annotations = staged
            .annotations
            .iter()
            .filter(|a| current.annotation(a.id).is_none())
            .cloned()
            .collect();
        plan.sets = staged
            .sets
            .iter()
            .filter(|s| current.set(s.id).is_none())
            .cloned()
            .collect();
        for m in &staged.matrices {
            let Some(ours) = current.matrix(m.id) else {
                plan.matrices.push((**m).clone());
                continue;
            };
            for (case, row) in &m.cells {
                for (code, text) in row {
                    if ours.cells.get(case).and_then(|r| r.get(code)).is_none() {
                        plan.cells.push((m.id, *case, *code, text.clone()));
                    }
                }
            }
            for (case, text) in &m.case_summaries {
                if !ours.case_summaries.contains_key(case) {
                    plan.case_summaries.push((m.id, *case, text.clone()));
                }
            }
        }
        plan
    }
}

fn count_of(entries: &[Entry], kind: Kind) -> usize {
    entries
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.count)
        .sum()
}

/// The text a source is matched by: LF line endings, no byte-order mark, no surrounding white
/// space; and how many bytes were left out at its start.
fn normalised(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    fn trimmed(text: &str) -> (&str, usize) {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        (start.trim_end(), text.len() - start.len())
    }
    if text.contains('\r') {
        let lf = crate::text::normalize_newlines(text);
        let (core, lead) = trimmed(&lf);
        return (core.to_string().into(), lead);
    }
    let (core, lead) = trimmed(text);
    (core.into(), lead)
}

/// Where byte `at` of `text` is once its CRLF line endings are LF (a project's text is LF
/// already; a text with CR is counted through).
fn lf_offset(text: &str, at: usize) -> usize {
    if !text.contains('\r') {
        return at;
    }
    let before = text.get(..at).unwrap_or(text);
    at - before.matches("\r\n").count()
}

/// FNV-1a, 64 bits: the hash sources are matched by (stable across builds and platforms).
pub fn text_hash(text: &str) -> u64 {
    let (text, _) = normalised(text);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Every id in use here, so an added entity keeps its id only when it is free.
struct Taken(HashSet<Uuid>);

impl Taken {
    fn of(p: &Project) -> Self {
        let mut set = HashSet::new();
        set.insert(p.id.0);
        set.extend(p.sources.iter().map(|s| s.id.0));
        set.extend(p.codes.iter().map(|c| c.id.0));
        set.extend(p.all_codings().map(|c| c.id.0));
        set.extend(p.cases.iter().map(|c| c.id.0));
        set.extend(p.attributes.iter().map(|a| a.id.0));
        set.extend(p.matrices.iter().map(|m| m.id.0));
        set.extend(p.sets.iter().map(|s| s.id.0));
        set.extend(p.annotations.iter().map(|a| a.id.0));
        Self(set)
    }

    /// `id` if it is free, else a fresh one; either way taken from now on.
    fn keep(&mut self, id: Uuid, ids: &mut impl IdSource) -> Uuid {
        let mut id = id;
        while self.0.contains(&id) {
            id = crate::ids::ProjectId::from_random_bytes(ids.next_bytes()).0;
        }
        self.0.insert(id);
        id
    }
}

/// A matched source: its id here and how far its offsets move.
#[derive(Clone, Copy)]
struct SourceMatch {
    id: SourceId,
    shift: isize,
    matched: bool,
}

/// The codings of one source here by code and coder, sorted by start: a coding inside one of
/// them adds nothing (it would merge into it), so it counts as identical.
struct Covered<'p>(HashMap<(CodeId, &'p str), Vec<(Span, CodingId)>>);

impl<'p> Covered<'p> {
    fn of(codings: &'p [Coding]) -> Self {
        let mut map: HashMap<(CodeId, &'p str), Vec<(Span, CodingId)>> = HashMap::new();
        // The list is sorted by start already.
        for c in codings {
            map.entry((c.code, c.coder.as_str()))
                .or_default()
                .push((c.span, c.id));
        }
        Self(map)
    }

    /// The coding here of the same code and coder whose span holds `coding`'s.
    fn covering(&self, coding: &Coding) -> Option<CodingId> {
        let list = self.0.get(&(coding.code, coding.coder.as_str()))?;
        let after = list.partition_point(|(span, _)| span.start <= coding.span.start);
        // One coder's codings of one code do not overlap, so only the last one starting
        // before can hold it (older data may break that: look back a little).
        list.get(..after)?
            .iter()
            .rev()
            .take(4)
            .find(|(span, _)| span.end >= coding.span.end)
            .map(|(_, id)| *id)
    }
}

/// Fills a memo empty here, or reports two different ones.
/// What one matched source brings of one kind (codings or annotations): entries for the new
/// and the identical ones, and a conflict for those whose text no longer fits here.
fn tally(
    plan: &mut MergePlan,
    kind: Kind,
    name: &str,
    (added, same, left_out): (usize, usize, usize),
    (one, many): (&str, &str),
) {
    for (list, n) in [(&mut plan.new, added), (&mut plan.identical, same)] {
        if n > 0 {
            list.push(Entry {
                kind,
                name: name.to_string(),
                count: n,
            });
        }
    }
    if left_out > 0 {
        plan.conflicts.push(Conflict {
            kind: ConflictKind::CodingsLeftOut,
            name: name.to_string(),
            reason: format!(
                "{} in “{name}” there no longer {} the text here; left out.",
                crate::words::count(left_out, one, many),
                if left_out == 1 { "fits" } else { "fit" }
            ),
            resolution: Resolution::KeepOurs,
        });
    }
}

fn fill(plan: &mut MergePlan, of: MemoOf, what: &str, ours: &str, theirs: &str) {
    if theirs.trim().is_empty() || ours.trim() == theirs.trim() {
        return;
    }
    if ours.trim().is_empty() {
        plan.memos.push((of, theirs.to_string()));
        plan.new.push(Entry {
            kind: Kind::Memo,
            name: what.to_string(),
            count: 1,
        });
    } else {
        plan.conflicts.push(Conflict {
            kind: ConflictKind::MemoDiffers,
            name: what.to_string(),
            reason: format!("The {what} differs there."),
            resolution: Resolution::KeepOurs,
        });
    }
}

/// Plans merging `other` into `current` (see the module's documentation for the rules).
/// Fresh ids, for ids of `other` that are taken here by something else, come from `ids`.
pub fn plan(current: &Project, other: &Project, ids: &mut impl IdSource) -> MergePlan {
    let mut plan = MergePlan {
        other_name: other.name.clone(),
        ..MergePlan::default()
    };
    let mut taken = Taken::of(current);

    // Sources, by their normalised text.
    let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, s) in current.sources.iter().enumerate() {
        by_hash.entry(text_hash(&s.text)).or_default().push(i);
    }
    let mut sources: HashMap<SourceId, SourceMatch> = HashMap::new();
    let mut matched_here: HashSet<SourceId> = HashSet::new();
    for theirs in &other.sources {
        let (text, lead) = normalised(&theirs.text);
        let candidates: Vec<&std::sync::Arc<Source>> = by_hash
            .get(&text_hash(&theirs.text))
            .map(|list| {
                list.iter()
                    .filter_map(|i| current.sources.get(*i))
                    .filter(|s| normalised(&s.text).0 == text)
                    .collect()
            })
            .unwrap_or_default();
        let found = candidates
            .iter()
            .find(|s| !matched_here.contains(&s.id))
            .or(candidates.first());
        if let Some(ours) = found {
            matched_here.insert(ours.id);
            let shift = normalised(&ours.text).1 as isize - lead as isize;
            sources.insert(
                theirs.id,
                SourceMatch {
                    id: ours.id,
                    shift,
                    matched: true,
                },
            );
            let name = if same_name(&ours.name, &theirs.name) {
                ours.name.clone()
            } else {
                format!("{} (“{}” there)", ours.name, theirs.name)
            };
            plan.identical.push(Entry {
                kind: Kind::Source,
                name,
                count: 1,
            });
            let what = format!("memo of source “{}”", ours.name);
            fill(
                &mut plan,
                MemoOf::Source(ours.id),
                &what,
                &ours.memo,
                &theirs.memo,
            );
            continue;
        }
        if let Some(ours) = current
            .sources
            .iter()
            .find(|s| same_name(&s.name, &theirs.name))
        {
            let codings = other.codings_of(theirs.id).len();
            let left_out = if codings == 0 {
                String::new()
            } else {
                format!(
                    " Its {} there {} left out.",
                    crate::words::count(codings, "coding", "codings"),
                    if codings == 1 { "is" } else { "are" }
                )
            };
            plan.conflicts.push(Conflict {
                kind: ConflictKind::SourceTextDiffers,
                name: ours.name.clone(),
                reason: format!(
                    "The source “{}” has different text there; this project's text stays.{left_out}",
                    ours.name
                ),
                resolution: Resolution::KeepOurs,
            });
            continue;
        }
        let id = SourceId(taken.keep(theirs.id.0, ids));
        sources.insert(
            theirs.id,
            SourceMatch {
                id,
                shift: 0,
                matched: false,
            },
        );
        plan.sources.push(Source {
            id,
            ..(**theirs).clone()
        });
        plan.new.push(Entry {
            kind: Kind::Source,
            name: theirs.name.clone(),
            count: 1,
        });
    }

    // Attributes, by name and kind.
    let mut attributes: HashMap<AttributeId, (AttributeId, crate::AttributeKind)> = HashMap::new();
    for theirs in &other.attributes {
        match current
            .attributes
            .iter()
            .find(|a| same_name(&a.name, &theirs.name))
        {
            Some(ours) if ours.kind == theirs.kind => {
                attributes.insert(theirs.id, (ours.id, ours.kind.clone()));
                plan.identical.push(Entry {
                    kind: Kind::Attribute,
                    name: ours.name.clone(),
                    count: 1,
                });
            }
            Some(ours) if ours.kind.key() == theirs.kind.key() => {
                attributes.insert(theirs.id, (ours.id, ours.kind.clone()));
                plan.conflicts.push(Conflict {
                    kind: ConflictKind::AttributeKind,
                    name: ours.name.clone(),
                    reason: format!(
                        "The attribute “{}” has other categories there; only values that are categories here are merged.",
                        ours.name
                    ),
                    resolution: Resolution::KeepOurs,
                });
            }
            Some(ours) => plan.conflicts.push(Conflict {
                kind: ConflictKind::AttributeKind,
                name: ours.name.clone(),
                reason: format!(
                    "The attribute “{}” is {} here but {} there; its values there are left out.",
                    ours.name,
                    ours.kind.label(),
                    theirs.kind.label()
                ),
                resolution: Resolution::KeepOurs,
            }),
            None => {
                let id = AttributeId(taken.keep(theirs.id.0, ids));
                attributes.insert(theirs.id, (id, theirs.kind.clone()));
                plan.attributes.push(Attribute {
                    id,
                    ..theirs.clone()
                });
                plan.new.push(Entry {
                    kind: Kind::Attribute,
                    name: theirs.name.clone(),
                    count: 1,
                });
            }
        }
    }

    // Codes, parents first: by id, then by name path.
    let mut codes: HashMap<CodeId, CodeId> = HashMap::new();
    for (id, _) in other.code_tree() {
        let Some(theirs) = other.code(id) else {
            continue;
        };
        let parent = theirs.parent.and_then(|p| codes.get(&p).copied());
        if let Some(ours) = current.code(theirs.id) {
            codes.insert(theirs.id, ours.id);
            let path = current.code_path(ours.id);
            if ours.name.trim() != theirs.name.trim() {
                plan.conflicts.push(Conflict {
                    kind: ConflictKind::CodeRenamed,
                    name: path.clone(),
                    reason: format!(
                        "The code “{}” is called “{}” there; this project's name stays.",
                        path,
                        theirs.name.trim()
                    ),
                    resolution: Resolution::KeepOurs,
                });
            } else if ours.parent != parent {
                plan.conflicts.push(Conflict {
                    kind: ConflictKind::CodeMoved,
                    name: path.clone(),
                    reason: format!(
                        "The code “{path}” sits under another parent there (“{}”); it stays where it is here.",
                        other.code_path(theirs.id)
                    ),
                    resolution: Resolution::KeepOurs,
                });
            } else {
                plan.identical.push(Entry {
                    kind: Kind::Code,
                    name: path.clone(),
                    count: 1,
                });
            }
            fill_code(&mut plan, ours, theirs, &path);
            continue;
        }
        let by_path = current
            .code_named(parent, &theirs.name)
            .map(|c| c.id)
            .or_else(|| {
                plan.codes
                    .iter()
                    .find(|c| c.parent == parent && same_code_name(&c.name, &theirs.name))
                    .map(|c| c.id)
            });
        if let Some(ours) = by_path {
            codes.insert(theirs.id, ours);
            if let Some(ours) = current.code(ours) {
                let path = current.code_path(ours.id);
                plan.identical.push(Entry {
                    kind: Kind::Code,
                    name: path.clone(),
                    count: 1,
                });
                fill_code(&mut plan, ours, theirs, &path);
            }
            continue;
        }
        let id = CodeId(taken.keep(theirs.id.0, ids));
        codes.insert(theirs.id, id);
        let color = if crate::action::is_valid_color(&theirs.color) {
            theirs.color.clone()
        } else {
            crate::color_for(current.codes.len() + plan.codes.len()).to_string()
        };
        plan.codes.push(Code {
            id,
            parent,
            color,
            name: theirs.name.trim().to_string(),
            ..theirs.clone()
        });
        plan.new.push(Entry {
            kind: Kind::Code,
            name: other.code_path(theirs.id),
            count: 1,
        });
    }

    // Cases, parents first, by name.
    let mut cases: HashMap<CaseId, CaseId> = HashMap::new();
    let mut matched_cases: HashSet<CaseId> = HashSet::new();
    let map_sources = |list: &[SourceId]| -> Vec<SourceId> {
        let mut out = Vec::new();
        for s in list {
            if let Some(m) = sources.get(s) {
                if !out.contains(&m.id) {
                    out.push(m.id);
                }
            }
        }
        out
    };
    let map_values = |values: &BTreeMap<AttributeId, AttrValue>| {
        values
            .iter()
            .filter_map(|(a, v)| {
                let (id, kind) = attributes.get(a)?;
                v.fits(kind).then(|| (*id, v.clone()))
            })
            .to_map::<AttributeId, AttrValue>()
    };
    for (id, _) in other.case_tree() {
        let Some(theirs) = other.case(id) else {
            continue;
        };
        let parent = theirs.parent.and_then(|p| cases.get(&p).copied());
        let named: Vec<&Case> = current
            .cases
            .iter()
            .filter(|c| same_name(&c.name, &theirs.name))
            .collect();
        let ours = named
            .iter()
            .find(|c| c.parent == parent && !matched_cases.contains(&c.id))
            .or_else(|| named.iter().find(|c| !matched_cases.contains(&c.id)))
            .or(named.first());
        if let Some(ours) = ours {
            matched_cases.insert(ours.id);
            cases.insert(theirs.id, ours.id);
            plan.identical.push(Entry {
                kind: Kind::Case,
                name: ours.name.clone(),
                count: 1,
            });
            let mut linked = ours.sources.clone();
            for s in map_sources(&theirs.sources) {
                if !linked.contains(&s) {
                    linked.push(s);
                    let name = plan
                        .sources
                        .iter()
                        .chain(current.sources.iter().map(|s| &**s))
                        .find(|x| x.id == s)
                        .map(|x| x.name.clone())
                        .unwrap_or_default();
                    plan.new.push(Entry {
                        kind: Kind::CaseLink,
                        name: format!("{} → {}", ours.name, name),
                        count: 1,
                    });
                }
            }
            if linked.len() != ours.sources.len() {
                plan.case_sources.push((ours.id, linked));
            }
            for (a, v) in map_values(&theirs.values) {
                let attribute = current
                    .attribute(a)
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                let name = format!("{}: {attribute}", ours.name);
                match ours.values.get(&a) {
                    None => {
                        plan.values.push((ours.id, a, v));
                        plan.new.push(Entry {
                            kind: Kind::Value,
                            name,
                            count: 1,
                        });
                    }
                    Some(here) if *here == v => plan.identical.push(Entry {
                        kind: Kind::Value,
                        name,
                        count: 1,
                    }),
                    Some(here) => plan.conflicts.push(Conflict {
                        kind: ConflictKind::ValueDiffers,
                        name: name.clone(),
                        reason: format!(
                            "{} of case “{}” is “{here}” here and “{v}” there; “{here}” stays.",
                            attribute, ours.name
                        ),
                        resolution: Resolution::KeepOurs,
                    }),
                }
            }
            let what = format!("memo of case “{}”", ours.name);
            fill(
                &mut plan,
                MemoOf::Case(ours.id),
                &what,
                &ours.memo,
                &theirs.memo,
            );
            continue;
        }
        let id = CaseId(taken.keep(theirs.id.0, ids));
        cases.insert(theirs.id, id);
        plan.cases.push(Case {
            id,
            name: theirs.name.trim().to_string(),
            parent,
            sources: map_sources(&theirs.sources),
            values: map_values(&theirs.values),
            speakers: theirs
                .speakers
                .iter()
                .filter_map(|l| {
                    Some(SpeakerLink {
                        source: sources.get(&l.source)?.id,
                        speaker: l.speaker.clone(),
                    })
                })
                .collect(),
            ..theirs.clone()
        });
        plan.new.push(Entry {
            kind: Kind::Case,
            name: theirs.name.clone(),
            count: 1,
        });
    }

    // Codings of the sources kept or added, re-targeted and deduplicated.
    type Key = (SourceId, usize, usize, CodeId, String);
    let key = |c: &Coding| -> Key { (c.source, c.span.start, c.span.end, c.code, c.coder.clone()) };
    let mut here: HashMap<Key, CodingId> = current.all_codings().map(|c| (key(c), c.id)).collect();
    let mut coding_ids: HashMap<CodingId, CodingId> = HashMap::new();
    for theirs_source in &other.sources {
        let Some(m) = sources.get(&theirs_source.id).copied() else {
            continue;
        };
        let text_here: &str = match current.source(m.id) {
            Some(s) => &s.text,
            None => &theirs_source.text,
        };
        let name = current
            .source(m.id)
            .map_or(theirs_source.name.clone(), |s| s.name.clone());
        let (mut added, mut same, mut left_out) = (0, 0, 0);
        let mut seen: HashSet<Key> = HashSet::new();
        let covered = Covered::of(current.codings_of(m.id));
        let mut coders_there: BTreeSet<&str> = BTreeSet::new();
        for c in other.codings_of(theirs_source.id) {
            coders_there.insert(&c.coder);
            let at = |offset: usize| {
                (lf_offset(&theirs_source.text, offset) as isize + m.shift).max(0) as usize
            };
            let span = Span {
                start: at(c.span.start),
                end: at(c.span.end),
            };
            let words = theirs_source
                .text
                .get(c.span.start..c.span.end)
                .map(crate::text::normalize_newlines);
            let fits = span.is_valid_for(text_here)
                && text_here.get(span.start..span.end) == words.as_deref();
            let Some(code) = codes.get(&c.code).copied().filter(|_| fits) else {
                left_out += 1;
                continue;
            };
            let coding = Coding {
                source: m.id,
                span,
                code,
                ..c.clone()
            };
            let k = key(&coding);
            seen.insert(k.clone());
            let covering = here.get(&k).copied().or_else(|| covered.covering(&coding));
            if let Some(existing) = covering {
                coding_ids.insert(c.id, existing);
                same += 1;
                continue;
            }
            let id = CodingId(taken.keep(c.id.0, ids));
            coding_ids.insert(c.id, id);
            here.insert(k, id);
            plan.codings.push(Coding { id, ..coding });
            added += 1;
        }
        tally(
            &mut plan,
            Kind::Coding,
            &name,
            (added, same, left_out),
            ("coding", "codings"),
        );
        if !m.matched {
            continue;
        }
        // Codings here by a coder who coded this source there, which that project lacks.
        let mut removed: BTreeMap<&str, usize> = BTreeMap::new();
        for c in current.codings_of(m.id) {
            if coders_there.contains(c.coder.as_str()) && !seen.contains(&key(c)) {
                *removed.entry(c.coder.as_str()).or_default() += 1;
            }
        }
        for (coder, n) in removed {
            plan.conflicts.push(Conflict {
                kind: ConflictKind::CodingsRemoved,
                name: name.clone(),
                reason: format!(
                    "{} by {coder} in “{name}” {} not in the other project (removed there, or added here since); {} here.",
                    crate::words::count(n, "coding", "codings"),
                    if n == 1 { "is" } else { "are" },
                    if n == 1 { "it stays" } else { "they stay" }
                ),
                resolution: Resolution::KeepOurs,
            });
        }
    }

    // Annotations of the sources kept or added, re-targeted as codings are; the same source,
    // passage and text is the same annotation.
    for theirs_source in &other.sources {
        let Some(m) = sources.get(&theirs_source.id).copied() else {
            continue;
        };
        let text_here: &str = match current.source(m.id) {
            Some(s) => &s.text,
            None => &theirs_source.text,
        };
        let name = current
            .source(m.id)
            .map_or(theirs_source.name.clone(), |s| s.name.clone());
        let (mut added, mut same, mut left_out) = (0, 0, 0);
        for a in other.annotations_of(theirs_source.id) {
            let at = |offset: usize| {
                (lf_offset(&theirs_source.text, offset) as isize + m.shift).max(0) as usize
            };
            let span = Span {
                start: at(a.span.start),
                end: at(a.span.end),
            };
            let words = theirs_source
                .text
                .get(a.span.start..a.span.end)
                .map(crate::text::normalize_newlines);
            if !(span.is_valid_for(text_here)
                && text_here.get(span.start..span.end) == words.as_deref())
            {
                left_out += 1;
                continue;
            }
            let text = crate::text::normalize_newlines(&a.text).trim().to_string();
            if current
                .annotations_of(m.id)
                .iter()
                .chain(plan.annotations.iter())
                .any(|x| x.source == m.id && x.span == span && x.text == text)
            {
                same += 1;
                continue;
            }
            plan.annotations.push(Annotation {
                id: AnnotationId(taken.keep(a.id.0, ids)),
                source: m.id,
                span,
                coding: a.coding.and_then(|c| coding_ids.get(&c).copied()),
                text,
                created: a.created,
            });
            added += 1;
        }
        tally(
            &mut plan,
            Kind::Annotation,
            &name,
            (added, same, left_out),
            ("annotation", "annotations"),
        );
    }

    // Sets, by name.
    let map_codes = |list: &[CodeId]| -> Vec<CodeId> {
        let mut out = Vec::new();
        for c in list.iter().filter_map(|c| codes.get(c)) {
            if !out.contains(c) {
                out.push(*c);
            }
        }
        out
    };
    for theirs in &other.sets {
        let mapped = map_codes(&theirs.codes);
        match current
            .sets
            .iter()
            .find(|s| same_name(&s.name, &theirs.name))
        {
            Some(ours) => {
                let a: BTreeSet<&CodeId> = ours.codes.iter().to_set();
                let b: BTreeSet<&CodeId> = mapped.iter().to_set();
                if a == b {
                    plan.identical.push(Entry {
                        kind: Kind::Set,
                        name: ours.name.clone(),
                        count: 1,
                    });
                } else {
                    plan.conflicts.push(Conflict {
                        kind: ConflictKind::SetDiffers,
                        name: ours.name.clone(),
                        reason: format!(
                            "The set “{}” holds other codes there; this project's set stays.",
                            ours.name
                        ),
                        resolution: Resolution::KeepOurs,
                    });
                }
            }
            None => {
                let id = crate::ids::SetId(taken.keep(theirs.id.0, ids));
                plan.sets.push(CodeSet {
                    id,
                    codes: mapped,
                    ..theirs.clone()
                });
                plan.new.push(Entry {
                    kind: Kind::Set,
                    name: theirs.name.clone(),
                    count: 1,
                });
            }
        }
    }

    // Matrices, by name.
    let quote = |text: &String| remap_quotes(text, &coding_ids);
    for theirs in &other.matrices {
        let cells: Vec<(CaseId, CodeId, String)> = theirs
            .cells
            .iter()
            .flat_map(|(case, row)| row.iter().map(move |(code, t)| (*case, *code, t)))
            .filter_map(|(case, code, t)| Some((*cases.get(&case)?, *codes.get(&code)?, quote(t))))
            .collect();
        let case_summaries: Vec<(CaseId, String)> = theirs
            .case_summaries
            .iter()
            .filter_map(|(case, t)| Some((*cases.get(case)?, quote(t))))
            .collect();
        match current
            .matrices
            .iter()
            .find(|m| same_name(&m.name, &theirs.name))
        {
            Some(ours) => {
                plan.identical.push(Entry {
                    kind: Kind::Matrix,
                    name: ours.name.clone(),
                    count: 1,
                });
                let (mut added, mut differ) = (0, 0);
                for (case, code, text) in cells {
                    match ours.cells.get(&case).and_then(|r| r.get(&code)) {
                        Some(t) if t.trim() == text.trim() => {}
                        Some(t) if !t.trim().is_empty() => differ += 1,
                        _ => {
                            plan.cells.push((ours.id, case, code, text));
                            added += 1;
                        }
                    }
                }
                for (case, text) in case_summaries {
                    match ours.case_summaries.get(&case) {
                        Some(t) if t.trim() == text.trim() => {}
                        Some(t) if !t.trim().is_empty() => differ += 1,
                        _ => {
                            plan.case_summaries.push((ours.id, case, text));
                            added += 1;
                        }
                    }
                }
                if added > 0 {
                    plan.new.push(Entry {
                        kind: Kind::Summary,
                        name: ours.name.clone(),
                        count: added,
                    });
                }
                if differ > 0 {
                    plan.conflicts.push(Conflict {
                        kind: ConflictKind::SummaryDiffers,
                        name: ours.name.clone(),
                        reason: format!(
                            "{} of the matrix “{}” {} there; this project's {} here.",
                            crate::words::count(differ, "summary", "summaries"),
                            ours.name,
                            if differ == 1 { "differs" } else { "differ" },
                            if differ == 1 { "stays" } else { "stay" }
                        ),
                        resolution: Resolution::KeepOurs,
                    });
                }
            }
            None => {
                let id = MatrixId(taken.keep(theirs.id.0, ids));
                let mut matrix = Matrix {
                    id,
                    rows: match &theirs.rows {
                        RowSelection::All => RowSelection::All,
                        RowSelection::Cases(list) => RowSelection::Cases(
                            list.iter().filter_map(|c| cases.get(c).copied()).collect(),
                        ),
                        RowSelection::Filter(filters) => RowSelection::Filter(
                            filters
                                .iter()
                                .filter_map(|f| {
                                    Some(AttributeFilter {
                                        attribute: attributes.get(&f.attribute)?.0,
                                        ..f.clone()
                                    })
                                })
                                .collect(),
                        ),
                    },
                    columns: map_codes(&theirs.columns),
                    group_by: theirs
                        .group_by
                        .and_then(|a| attributes.get(&a).map(|(id, _)| *id)),
                    cells: BTreeMap::new(),
                    case_summaries: case_summaries.into_iter().collect(),
                    ..(**theirs).clone()
                };
                for (case, code, text) in cells {
                    matrix.cells.entry(case).or_default().insert(code, text);
                }
                plan.matrices.push(matrix);
                plan.new.push(Entry {
                    kind: Kind::Matrix,
                    name: theirs.name.clone(),
                    count: 1,
                });
            }
        }
    }

    fill(
        &mut plan,
        MemoOf::Project,
        "project memo",
        &current.memo,
        &other.memo,
    );
    if other
        .pseudonyms
        .iter()
        .any(|k| !current.pseudonyms.contains(k))
    {
        plan.conflicts.push(Conflict {
            kind: ConflictKind::KeyDiffers,
            name: "pseudonymisation key".into(),
            reason: "The pseudonymisation key differs there; it is not merged (this project's key stays).".into(),
            resolution: Resolution::KeepOurs,
        });
    }
    plan
}

/// A matched code's description and memo, filled when empty here.
fn fill_code(plan: &mut MergePlan, ours: &Code, theirs: &Code, path: &str) {
    fill(
        plan,
        MemoOf::Description(ours.id),
        &format!("description of code “{path}”"),
        &ours.description,
        &theirs.description,
    );
    fill(
        plan,
        MemoOf::Code(ours.id),
        &format!("memo of code “{path}”"),
        &ours.memo,
        &theirs.memo,
    );
}
