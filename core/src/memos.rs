//! The memo list: every memo of a project in one list — the project memo, source, code and case
//! memos, and annotations (comments on passages and codings) — each with what it is attached
//! to, searchable by text and filterable by kind. The app's "Memos" view shows it; the Memos
//! report (`crate::report`) describes annotations with [`annotation_target`].
//!
//! The worker writes the list out for the page ([`shown`], `protocol::Request::Memos`): the count
//! and the items as markup, every text escaped, each item's button carrying its place in
//! `data-go` ([`MemoTarget::key`], read back by [`MemoTarget::parse`]), so the app's main wasm
//! holds neither the list nor its rendering.

use crate::ids::{AnnotationId, CaseId, CodeId, SourceId};
use crate::model::project::{Annotation, Project};
use crate::span::Span;
use crate::text::xml_escape;
use std::fmt::Write;

/// What a memo is attached to, as the list's filter offers it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum MemoKind {
    /// The project memo.
    Project,
    /// A source's memo.
    Source,
    /// A code's memo.
    Code,
    /// A case's memo.
    Case,
    /// An annotation of a passage or a coding.
    Annotation,
}

impl MemoKind {
    /// Every kind, in list order.
    pub const ALL: [MemoKind; 5] = [
        Self::Project,
        Self::Source,
        Self::Code,
        Self::Case,
        Self::Annotation,
    ];

    /// The researcher's word for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Project => "Project",
            Self::Source => "Source",
            Self::Code => "Code",
            Self::Case => "Case",
            Self::Annotation => "Annotation",
        }
    }

    /// Stable key (form values).
    pub fn key(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::Source => "source",
            Self::Code => "code",
            Self::Case => "case",
            Self::Annotation => "annotation",
        }
    }

    /// Inverse of [`MemoKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Where a memo lives: where clicking it goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MemoTarget {
    /// The project memo.
    Project,
    /// A source (its memo).
    Source(SourceId),
    /// A code (its memo).
    Code(CodeId),
    /// A case (its memo).
    Case(CaseId),
    /// An annotation: its passage in its source.
    Annotation {
        /// The annotation.
        id: AnnotationId,
        /// Its source.
        source: SourceId,
        /// Its passage.
        span: Span,
    },
}

impl MemoTarget {
    /// The target as the list's markup carries it (`data-go`): `p`, `s:ID`, `c:ID`, `k:ID` (a
    /// case), `a:ID:SOURCE:START:END` (an annotation and its passage's bytes).
    pub fn key(&self) -> String {
        match self {
            Self::Project => "p".into(),
            Self::Source(id) => format!("s:{id}"),
            Self::Code(id) => format!("c:{id}"),
            Self::Case(id) => format!("k:{id}"),
            Self::Annotation { id, source, span } => {
                format!("a:{id}:{source}:{}:{}", span.start, span.end)
            }
        }
    }

    /// Inverse of [`MemoTarget::key`]; `None` for anything else.
    pub fn parse(key: &str) -> Option<Self> {
        let mut parts = key.split(':');
        let kind = parts.next()?;
        let mut next = || parts.next().unwrap_or("");
        let target = match kind {
            "p" => Self::Project,
            "s" => Self::Source(SourceId::parse(next())?),
            "c" => Self::Code(CodeId::parse(next())?),
            "k" => Self::Case(CaseId::parse(next())?),
            "a" => {
                let id = AnnotationId::parse(next())?;
                let source = SourceId::parse(next())?;
                let start = next().parse().ok()?;
                let end = next().parse().ok()?;
                if start > end {
                    return None;
                }
                Self::Annotation {
                    id,
                    source,
                    span: Span::new(start, end),
                }
            }
            _ => return None,
        };
        parts.next().is_none().then_some(target)
    }
}

/// The memo list as the page shows it ([`shown`]): `status`, how many memos are listed ("3
/// memos"); `markup`, the list, every text escaped: a hint when the project has no memo at all,
/// then `<ul class='memo-items'>` of `<li class='memo-item'>`: a button (`class='link
/// memo-target'`, `data-go` the [`MemoTarget::key`]) naming what the memo is attached to, the
/// annotated passage (`<q class='memo-passage'>`) for an annotation, and the memo's text
/// (`<p class='memo-text'>`). The same two strings as code suggestions written out, so the
/// app's main wasm has one decoder for both.
pub type MemosShown = crate::suggest::SuggestShown;

/// The memo list of `project` filtered as [`filter`] does (`kind` a [`MemoKind::key`]; anything
/// else: every kind), written out for the page.
pub fn shown(project: &Project, query: &str, kind: &str) -> MemosShown {
    let items = list(project);
    let found = filter(&items, query, MemoKind::from_key(kind));
    let mut markup = String::new();
    if items.is_empty() {
        markup.push_str("<p class='hint'>No memos yet. Write one on the project, a source, a code or a case, or select text and choose “Annotate” (A).</p>");
    }
    markup.push_str("<ul class='memo-items'>");
    for m in &found {
        let _ = write!(
            markup,
            "<li class='memo-item'><button type='button' class='link memo-target' data-go='{}'>{}</button>",
            xml_escape(&m.target.key()),
            xml_escape(&m.attached_to)
        );
        if let Some(p) = &m.passage {
            let _ = write!(markup, "<q class='memo-passage'>{}</q>", xml_escape(p));
        }
        let _ = write!(
            markup,
            "<p class='memo-text'>{}</p></li>",
            xml_escape(&m.text)
        );
    }
    markup.push_str("</ul>");
    MemosShown {
        status: crate::words::count(found.len(), "memo", "memos"),
        markup,
    }
}

/// One memo of the list.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MemoItem {
    /// What kind of thing it is attached to.
    pub kind: MemoKind,
    /// Where it lives.
    pub target: MemoTarget,
    /// What it is attached to, in words ("Code “Access / Trust”", "Passage in “Interview 3”").
    pub attached_to: String,
    /// For an annotation: the words of its passage (cut to [`PASSAGE_CHARS`] characters).
    pub passage: Option<String>,
    /// The memo's text.
    pub text: String,
}

/// How many characters of an annotated passage the list shows.
pub const PASSAGE_CHARS: usize = 160;

/// What an annotation is attached to, in words: "Passage in “Interview 3”" or "Coding “Trust”
/// in “Interview 3”".
pub fn annotation_target(project: &Project, a: &Annotation) -> String {
    let source = project
        .source(a.source)
        .map_or_else(|| a.source.to_string(), |s| s.name.clone());
    match a
        .coding
        .and_then(|c| project.codings_of(a.source).iter().find(|x| x.id == c))
    {
        Some(coding) => format!("Coding “{}” in “{source}”", project.code_path(coding.code)),
        None => format!("Passage in “{source}”"),
    }
}

/// The annotated words, cut to `max` characters with an ellipsis.
pub fn passage_words(project: &Project, a: &Annotation, max: usize) -> String {
    let text = project
        .source(a.source)
        .and_then(|s| s.text.get(a.span.start..a.span.end))
        .unwrap_or("");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text,
    }
}

/// Every memo that has text: the project memo, sources in project order, codes in codebook
/// order, cases in case-tree order, then annotations by source (in project order) and position.
pub fn list(project: &Project) -> Vec<MemoItem> {
    let mut out = Vec::new();
    let mut push = |kind, target, attached_to: String, passage, text: &str| {
        if !text.trim().is_empty() {
            out.push(MemoItem {
                kind,
                target,
                attached_to,
                passage,
                text: text.trim().to_string(),
            });
        }
    };
    push(
        MemoKind::Project,
        MemoTarget::Project,
        format!("Project “{}”", project.name),
        None,
        &project.memo,
    );
    for s in &project.sources {
        push(
            MemoKind::Source,
            MemoTarget::Source(s.id),
            format!("Source “{}”", s.name),
            None,
            &s.memo,
        );
    }
    for (id, _) in project.code_tree() {
        if let Some(code) = project.code(id) {
            push(
                MemoKind::Code,
                MemoTarget::Code(id),
                format!("Code “{}”", project.code_path(id)),
                None,
                &code.memo,
            );
        }
    }
    for (id, _) in project.case_tree() {
        if let Some(case) = project.case(id) {
            push(
                MemoKind::Case,
                MemoTarget::Case(id),
                format!("Case “{}”", case.name),
                None,
                &case.memo,
            );
        }
    }
    for s in &project.sources {
        for a in project.annotations_of(s.id) {
            push(
                MemoKind::Annotation,
                MemoTarget::Annotation {
                    id: a.id,
                    source: a.source,
                    span: a.span,
                },
                annotation_target(project, a),
                Some(passage_words(project, a, PASSAGE_CHARS)),
                &a.text,
            );
        }
    }
    out
}

/// The items of `kind` (all when `None`) whose text, passage or attachment contains every word
/// of `query` (ignoring case).
pub fn filter<'a>(items: &'a [MemoItem], query: &str, kind: Option<MemoKind>) -> Vec<&'a MemoItem> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    items
        .iter()
        .filter(|m| kind.is_none_or(|k| m.kind == k))
        .filter(|m| {
            if words.is_empty() {
                return true;
            }
            let hay = format!(
                "{}\n{}\n{}",
                m.text,
                m.attached_to,
                m.passage.as_deref().unwrap_or("")
            )
            .to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect()
}
