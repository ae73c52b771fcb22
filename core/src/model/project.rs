//! The project aggregate: sources, the codebook and the codings that link them.
//! A `Project` is an immutable value: large parts are shared behind `Arc`, so a clone (one undo
//! snapshot) costs a few pointer copies, not a copy of every transcript.

use crate::ids::{
    AnnotationId, CaseId, CodeId, CodingId, MatrixId, ProjectId, QueryId, SetId, SourceId,
};
use crate::model::case::{Attribute, Case};
use crate::model::matrix::Matrix;
use crate::model::query::{SavedQuery, SearchScope};
use crate::sort::Gather;
use crate::tree::{depth_first, has_ancestor, subtree};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

pub use crate::span::Span;
pub use crate::time::Timestamp;

/// What kind of material a source is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An interview transcript.
    #[default]
    Interview,
    /// Observational field notes.
    FieldNotes,
    /// Any other document.
    Document,
}

impl SourceKind {
    /// Every kind, in menu order.
    pub const ALL: [SourceKind; 3] = [Self::Interview, Self::FieldNotes, Self::Document];
    /// The researcher's word for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Interview => "Interview",
            Self::FieldNotes => "Field notes",
            Self::Document => "Document",
        }
    }
    /// Stable key used in saved files and form values.
    pub fn key(self) -> &'static str {
        match self {
            Self::Interview => "interview",
            Self::FieldNotes => "field_notes",
            Self::Document => "document",
        }
    }
    /// Inverse of [`SourceKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// A transcript, field notes or document. Its text is LF-normalised and immutable once imported.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Source {
    /// Stable id.
    pub id: SourceId,
    /// Display name (by default the file name without extension).
    pub name: String,
    /// Interview, field notes or document.
    pub kind: SourceKind,
    /// The text, LF line endings only.
    pub text: Arc<str>,
    /// The researcher's memo on this source.
    #[serde(default)]
    pub memo: String,
    /// When it was imported.
    pub imported: Timestamp,
    /// The file it came from, if any.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Speaker turns, in text order, spans into `text` (empty when the text has no speakers).
    #[serde(default)]
    pub turns: Vec<Turn>,
}

/// One speaker turn of a transcript.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Turn {
    /// The speaker's name or label as written (e.g. "Yuri Bakulin", "P03", "D"), if known.
    pub speaker: Option<String>,
    /// What was said: byte offsets into the source text (without the speaker label).
    pub span: Span,
    /// When the turn starts, in milliseconds (from the file's timestamps), if known.
    #[serde(default)]
    pub start_ms: Option<u64>,
    /// When the turn ends, in milliseconds, if known.
    #[serde(default)]
    pub end_ms: Option<u64>,
}

/// One entry of the project's pseudonymisation key: a real name or place and what replaces it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Pseudonym {
    /// The real name or place as it may appear in the text (matched whole-word, any case).
    pub real: String,
    /// What is written instead, exactly as given (e.g. "GP2").
    pub pseudonym: String,
}

/// Whether a code came from the evaluation framework or emerged from the data.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeOrigin {
    /// From the analytical framework, decided before coding.
    Deductive,
    /// Emerged while reading the data.
    #[default]
    Inductive,
}

impl CodeOrigin {
    /// The researcher's word for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Deductive => "Deductive",
            Self::Inductive => "Inductive",
        }
    }
}

/// A code in the codebook tree.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Code {
    /// Stable id.
    pub id: CodeId,
    /// Name shown in the tree.
    pub name: String,
    /// Parent code, `None` at the top level.
    #[serde(default)]
    pub parent: Option<CodeId>,
    /// `#rrggbb`.
    pub color: String,
    /// Definition and inclusion criteria.
    #[serde(default)]
    pub description: String,
    /// Deductive (framework) or inductive (emergent).
    #[serde(default)]
    pub origin: CodeOrigin,
    /// The researcher's memo on this code.
    #[serde(default)]
    pub memo: String,
    /// When it was created.
    pub created: Timestamp,
}

/// One coded segment: a code applied to a span of a source.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Coding {
    /// Stable id.
    pub id: CodingId,
    /// The source coded.
    pub source: SourceId,
    /// The span coded, in UTF-8 bytes of the source text.
    pub span: Span,
    /// The code applied.
    pub code: CodeId,
    /// Who coded it (the coder name asked once per browser).
    pub coder: String,
    /// When it was coded.
    pub created: Timestamp,
}

/// An annotation: the researcher's comment on a passage of a source, or on one coding (NVivo's
/// annotations, MAXQDA's in-text memos). Shown in the reader's margin beside its passage and in
/// the memo list. Its span follows its words when the text is edited; when its coding is
/// removed it stays, on its passage, as a passage annotation.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Annotation {
    /// Stable id.
    pub id: AnnotationId,
    /// The source annotated.
    pub source: SourceId,
    /// The passage, in UTF-8 bytes of the source text (for a coding: its span when annotated).
    pub span: Span,
    /// The coding commented on, if the annotation is on a coding rather than a passage.
    #[serde(default)]
    pub coding: Option<CodingId>,
    /// The comment.
    pub text: String,
    /// When it was written.
    pub created: Timestamp,
}

impl Annotation {
    /// The order annotations are kept in ([`Project::annotations`]).
    pub fn order_key(&self) -> (SourceId, usize, usize, AnnotationId) {
        (self.source, self.span.start, self.span.end, self.id)
    }
}

/// The whole project: an immutable value replaced by [`crate::apply`] on every change.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Project {
    /// Stable id.
    pub id: ProjectId,
    /// Project name.
    pub name: String,
    /// The project memo.
    pub memo: String,
    /// When it was created.
    pub created: Timestamp,
    /// Sources in display order.
    pub sources: Vec<Arc<Source>>,
    /// The codebook, flat; the tree comes from `parent`, siblings keep this order.
    pub codes: Vec<Code>,
    /// Codings per source, each list sorted by (span.start, span.end, id). A source with no
    /// codings may be absent.
    pub codings: BTreeMap<SourceId, Arc<Vec<Coding>>>,
    /// Cases (units of analysis) in display order; the tree comes from `parent`.
    pub cases: Vec<Case>,
    /// Case attributes (classification variables) in column order.
    pub attributes: Vec<Attribute>,
    /// Framework matrices.
    pub matrices: Vec<Arc<Matrix>>,
    /// Sets of codes (themes that cut across the codebook tree).
    pub sets: Vec<CodeSet>,
    /// The pseudonymisation key (real names and places and their pseudonyms), kept in the
    /// project so that new sources can be pseudonymised alike; can be left out of exports.
    pub pseudonyms: Vec<Pseudonym>,
    /// Searches saved by name, in the order saved.
    pub queries: Vec<SavedQuery>,
    /// Annotations of passages and codings, sorted by (source id, start, end, id) (`apply`
    /// keeps the order).
    pub annotations: Vec<Annotation>,
}

/// A named group of codes that cuts across the codebook tree (a theme or meta-theme).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CodeSet {
    /// Stable id.
    pub id: SetId,
    /// Name.
    pub name: String,
    /// What the theme says.
    #[serde(default)]
    pub description: String,
    /// Member codes, in display order.
    #[serde(default)]
    pub codes: Vec<CodeId>,
    /// When it was created.
    pub created: Timestamp,
}

/// Counts shown beside a code.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct CodeCounts {
    /// Number of codings with this code.
    pub codings: usize,
    /// Number of distinct sources with at least one such coding.
    pub sources: usize,
}

impl Project {
    /// An empty project.
    pub fn new(id: ProjectId, name: impl Into<String>, created: Timestamp) -> Self {
        Self {
            id,
            name: name.into(),
            memo: String::new(),
            created,
            sources: Vec::new(),
            codes: Vec::new(),
            codings: BTreeMap::new(),
            cases: Vec::new(),
            attributes: Vec::new(),
            matrices: Vec::new(),
            sets: Vec::new(),
            pseudonyms: Vec::new(),
            queries: Vec::new(),
            annotations: Vec::new(),
        }
    }

    /// The annotation with this id.
    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id)
    }

    /// The annotations of one source, by position (a slice of [`Project::annotations`], which
    /// is sorted by source first).
    pub fn annotations_of(&self, source: SourceId) -> &[Annotation] {
        let from = self.annotations.partition_point(|a| a.source < source);
        let to = self.annotations.partition_point(|a| a.source <= source);
        self.annotations.get(from..to).unwrap_or(&[])
    }

    /// The case with this id.
    pub fn case(&self, id: CaseId) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// The attribute with this id.
    pub fn attribute(&self, id: crate::ids::AttributeId) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.id == id)
    }

    /// The matrix with this id.
    pub fn matrix(&self, id: MatrixId) -> Option<&Arc<Matrix>> {
        self.matrices.iter().find(|m| m.id == id)
    }

    /// The set with this id.
    pub fn set(&self, id: SetId) -> Option<&CodeSet> {
        self.sets.iter().find(|s| s.id == id)
    }

    /// The saved search with this id.
    pub fn query(&self, id: QueryId) -> Option<&SavedQuery> {
        self.queries.iter().find(|q| q.id == id)
    }

    /// `id` and all cases below it.
    pub fn case_and_descendants(&self, id: CaseId) -> BTreeSet<CaseId> {
        subtree(id, |parent| {
            self.cases
                .iter()
                .filter(move |c| c.parent == Some(parent))
                .map(|c| c.id)
        })
    }

    /// True when `ancestor` is `id` or one of its ancestors in the case tree.
    pub fn is_case_ancestor_or_self(&self, ancestor: CaseId, id: CaseId) -> bool {
        has_ancestor(ancestor, id, self.cases.len(), |c| {
            self.case(c).and_then(|case| case.parent)
        })
    }

    /// Every case in case-tree order with its depth: parents before children, siblings in
    /// project order; a case whose parent is missing is at the top level, cases caught in a
    /// cycle of parents (which `apply` prevents) come last. The one walk of the case tree.
    pub fn case_tree(&self) -> Vec<(CaseId, usize)> {
        let nodes: Vec<(CaseId, Option<CaseId>)> =
            self.cases.iter().map(|c| (c.id, c.parent)).collect();
        depth_first(&nodes, |_| true)
    }

    /// Every code in codebook-tree order with its depth, as [`Project::case_tree`] orders cases.
    pub fn code_tree(&self) -> Vec<(CodeId, usize)> {
        self.code_tree_open(|_| true)
    }

    /// The codebook tree as [`Project::code_tree`], without the codes below a closed code
    /// (`open` says no): what a tree with collapsed branches shows.
    pub fn code_tree_open(&self, open: impl Fn(CodeId) -> bool) -> Vec<(CodeId, usize)> {
        let nodes: Vec<(CodeId, Option<CodeId>)> =
            self.codes.iter().map(|c| (c.id, c.parent)).collect();
        depth_first(&nodes, open)
    }

    /// The source with this id.
    pub fn source(&self, id: SourceId) -> Option<&Arc<Source>> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The code with this id.
    pub fn code(&self, id: CodeId) -> Option<&Code> {
        self.codes.iter().find(|c| c.id == id)
    }

    /// The code called `name` directly under `parent` (`None`: the top level), names compared
    /// as [`same_code_name`] does. Two siblings never share a name.
    pub fn code_named(&self, parent: Option<CodeId>, name: &str) -> Option<&Code> {
        self.children(parent)
            .find(|c| same_code_name(&c.name, name))
    }

    /// Codings of one source, sorted by span.
    pub fn codings_of(&self, source: SourceId) -> &[Coding] {
        self.codings
            .get(&source)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Every coding of the project, source by source.
    pub fn all_codings(&self) -> impl Iterator<Item = &Coding> {
        self.codings.values().flat_map(|v| v.iter())
    }

    /// The names of everyone who coded in this project, sorted, each once (blank names left
    /// out).
    pub fn coders(&self) -> Vec<String> {
        let names: BTreeSet<&str> = self
            .all_codings()
            .map(|c| c.coder.as_str())
            .filter(|name| !name.trim().is_empty())
            .to_set();
        names.into_iter().map(str::to_string).collect()
    }

    /// This project as seen when only the codings of `coders` are shown: the same value with
    /// every other coding left out (sources, codes and everything else shared, not copied).
    /// Used to show, count and retrieve one coder's (or some coders') work.
    pub fn only_coders(&self, coders: &BTreeSet<String>) -> Project {
        let codings = self
            .codings
            .iter()
            .filter_map(|(source, list)| {
                if list.iter().all(|c| coders.contains(&c.coder)) {
                    return Some((*source, list.clone()));
                }
                let kept: Vec<Coding> = list
                    .iter()
                    .filter(|c| coders.contains(&c.coder))
                    .cloned()
                    .collect();
                (!kept.is_empty()).then(|| (*source, Arc::new(kept)))
            })
            .collect();
        Project {
            codings,
            ..self.clone()
        }
    }

    /// Total number of codings.
    pub fn coding_count(&self) -> usize {
        self.codings.values().map(|v| v.len()).sum()
    }

    /// The coding with this id.
    pub fn coding(&self, id: CodingId) -> Option<&Coding> {
        self.all_codings().find(|c| c.id == id)
    }

    /// Direct children of `parent` (`None`: top-level codes), in codebook order.
    pub fn children(&self, parent: Option<CodeId>) -> impl Iterator<Item = &Code> {
        self.codes.iter().filter(move |c| c.parent == parent)
    }

    /// `id` and all codes below it.
    pub fn descendants_and_self(&self, id: CodeId) -> BTreeSet<CodeId> {
        subtree(id, |parent| self.children(Some(parent)).map(|c| c.id))
    }

    /// True when `ancestor` is `id` or one of its ancestors.
    pub fn is_ancestor_or_self(&self, ancestor: CodeId, id: CodeId) -> bool {
        has_ancestor(ancestor, id, self.codes.len(), |c| {
            self.code(c).and_then(|code| code.parent)
        })
    }

    /// "Theme > Code" path of a code, for pickers and exports.
    pub fn code_path(&self, id: CodeId) -> String {
        let mut names = Vec::new();
        let mut current = self.code(id);
        while let Some(code) = current {
            names.push(code.name.as_str());
            if names.len() > self.codes.len() {
                break;
            }
            current = code.parent.and_then(|p| self.code(p));
        }
        names.reverse();
        names.join(" > ")
    }

    /// Codings and sources per code (not including children).
    pub fn code_counts(&self) -> HashMap<CodeId, CodeCounts> {
        // Each code's counts and the last source (its place in the map) that counted it.
        let mut counts: HashMap<CodeId, (CodeCounts, usize)> = HashMap::new();
        for (i, list) in self.codings.values().enumerate() {
            for coding in list.iter() {
                let (entry, last) = counts
                    .entry(coding.code)
                    .or_insert((CodeCounts::default(), usize::MAX));
                entry.codings += 1;
                if *last != i {
                    *last = i;
                    entry.sources += 1;
                }
            }
        }
        counts.into_iter().map(|(code, (c, _))| (code, c)).collect()
    }

    /// The text a coding covers (empty if the span does not fit, which `apply` prevents).
    pub fn coded_text(&self, coding: &Coding) -> &str {
        self.source(coding.source)
            .and_then(|s| s.text.get(coding.span.start..coding.span.end))
            .unwrap_or("")
    }
}

impl Project {
    /// The same project under fresh ids (project, sources, codes, codings), with every link
    /// remapped: used to open a second, independent copy of a project file.
    pub fn with_fresh_ids(&self, ids: &mut impl crate::IdSource) -> Project {
        let sources: HashMap<SourceId, SourceId> = self
            .sources
            .iter()
            .map(|s| (s.id, ids.source_id()))
            .collect();
        let codes: HashMap<CodeId, CodeId> =
            self.codes.iter().map(|c| (c.id, ids.code_id())).collect();
        let new_source = |id: SourceId| sources.get(&id).copied().unwrap_or(id);
        let new_code = |id: CodeId| codes.get(&id).copied().unwrap_or(id);
        let cases: HashMap<CaseId, CaseId> =
            self.cases.iter().map(|c| (c.id, ids.case_id())).collect();
        let attributes: HashMap<crate::AttributeId, crate::AttributeId> = self
            .attributes
            .iter()
            .map(|a| (a.id, ids.attribute_id()))
            .collect();
        let new_case = |id: CaseId| cases.get(&id).copied().unwrap_or(id);
        let new_attribute = |id: crate::AttributeId| attributes.get(&id).copied().unwrap_or(id);
        let sets: HashMap<SetId, SetId> = self.sets.iter().map(|s| (s.id, ids.set_id())).collect();
        let new_set = |id: SetId| sets.get(&id).copied().unwrap_or(id);
        let new_filters = |filters: &[crate::AttributeFilter]| -> Vec<crate::AttributeFilter> {
            filters
                .iter()
                .map(|f| crate::AttributeFilter {
                    attribute: new_attribute(f.attribute),
                    ..f.clone()
                })
                .collect()
        };
        let mut coding_ids: HashMap<CodingId, CodingId> = HashMap::new();
        let mut codings = BTreeMap::new();
        for (source, list) in &self.codings {
            let mut list: Vec<Coding> = list
                .iter()
                .map(|c| {
                    let id = ids.coding_id();
                    coding_ids.insert(c.id, id);
                    Coding {
                        id,
                        source: new_source(c.source),
                        code: new_code(c.code),
                        ..c.clone()
                    }
                })
                .collect();
            crate::sort::sort_by_key(&mut list, |c| (c.span.start, c.span.end, c.id));
            codings.insert(new_source(*source), Arc::new(list));
        }
        Project {
            id: ids.project_id(),
            name: self.name.clone(),
            memo: self.memo.clone(),
            created: self.created,
            sources: self
                .sources
                .iter()
                .map(|s| {
                    Arc::new(Source {
                        id: new_source(s.id),
                        ..(**s).clone()
                    })
                })
                .collect(),
            codes: self
                .codes
                .iter()
                .map(|c| Code {
                    id: new_code(c.id),
                    parent: c.parent.map(new_code),
                    ..c.clone()
                })
                .collect(),
            codings,
            cases: self
                .cases
                .iter()
                .map(|c| Case {
                    id: new_case(c.id),
                    parent: c.parent.map(new_case),
                    sources: c.sources.iter().map(|s| new_source(*s)).collect(),
                    values: c
                        .values
                        .iter()
                        .map(|(a, v)| (new_attribute(*a), v.clone()))
                        .to_map(),
                    speakers: c
                        .speakers
                        .iter()
                        .map(|l| crate::model::case::SpeakerLink {
                            source: new_source(l.source),
                            speaker: l.speaker.clone(),
                        })
                        .collect(),
                    ..c.clone()
                })
                .collect(),
            attributes: self
                .attributes
                .iter()
                .map(|a| Attribute {
                    id: new_attribute(a.id),
                    ..a.clone()
                })
                .collect(),
            matrices: self
                .matrices
                .iter()
                .map(|m| {
                    let remap_text =
                        |t: &String| crate::model::matrix::remap_quotes(t, &coding_ids);
                    Arc::new(Matrix {
                        id: ids.matrix_id(),
                        rows: match &m.rows {
                            crate::RowSelection::All => crate::RowSelection::All,
                            crate::RowSelection::Cases(list) => crate::RowSelection::Cases(
                                list.iter().map(|c| new_case(*c)).collect(),
                            ),
                            crate::RowSelection::Filter(filters) => {
                                crate::RowSelection::Filter(new_filters(filters))
                            }
                        },
                        columns: m.columns.iter().map(|c| new_code(*c)).collect(),
                        group_by: m.group_by.map(new_attribute),
                        cells: m
                            .cells
                            .iter()
                            .map(|(case, row)| {
                                let row = row
                                    .iter()
                                    .map(|(code, text)| (new_code(*code), remap_text(text)))
                                    .to_map();
                                (new_case(*case), row)
                            })
                            .to_map(),
                        case_summaries: m
                            .case_summaries
                            .iter()
                            .map(|(case, text)| (new_case(*case), remap_text(text)))
                            .to_map(),
                        ..(**m).clone()
                    })
                })
                .collect(),
            sets: self
                .sets
                .iter()
                .map(|set| CodeSet {
                    id: new_set(set.id),
                    codes: set.codes.iter().map(|c| new_code(*c)).collect(),
                    ..set.clone()
                })
                .collect(),
            pseudonyms: self.pseudonyms.clone(),
            queries: self
                .queries
                .iter()
                .map(|q| SavedQuery {
                    id: ids.query_id(),
                    scope: match &q.scope {
                        SearchScope::Sources(list) => {
                            SearchScope::Sources(list.iter().map(|s| new_source(*s)).collect())
                        }
                        SearchScope::Case(c) => SearchScope::Case(new_case(*c)),
                        SearchScope::Set(s) => SearchScope::Set(new_set(*s)),
                        SearchScope::Filter(filters) => SearchScope::Filter(new_filters(filters)),
                        other => other.clone(),
                    },
                    ..q.clone()
                })
                .collect(),
            annotations: {
                let mut list: Vec<Annotation> = self
                    .annotations
                    .iter()
                    .map(|a| Annotation {
                        id: ids.annotation_id(),
                        source: new_source(a.source),
                        coding: a.coding.and_then(|c| coding_ids.get(&c).copied()),
                        ..a.clone()
                    })
                    .collect();
                crate::sort::sort_by_key(&mut list, Annotation::order_key);
                list
            },
        }
    }
}

impl Code {
    /// A new inductive code for `project`, taking the next colour of the palette: what the UI
    /// creates when a researcher adds a code while reading.
    pub fn inductive(
        project: &Project,
        id: CodeId,
        name: impl Into<String>,
        parent: Option<CodeId>,
        created: Timestamp,
    ) -> Code {
        Code {
            id,
            name: name.into(),
            parent,
            color: crate::color_for(project.codes.len()).to_string(),
            description: String::new(),
            origin: CodeOrigin::Inductive,
            memo: String::new(),
            created,
        }
    }
}

/// Code names are the same when they differ only in case or surrounding whitespace
/// ("Funding " and "funding").
pub fn same_code_name(a: &str, b: &str) -> bool {
    let lower = |s: &str| {
        s.trim()
            .chars()
            .flat_map(char::to_lowercase)
            .collect::<Vec<char>>()
    };
    lower(a) == lower(b)
}
