//! Pseudonymisation: the project's key of real names and places ([`crate::Pseudonym`]) applied
//! to **every place a real name can live**, as one undoable step, and the check every export
//! runs before it writes.
//!
//! [`plan`] finds every mention: whole-word (a match is neither preceded nor followed by a letter
//! or digit), regardless of case (each character is compared by its Unicode lowercase, Greek final
//! sigma as sigma; no regular expressions; accents count: "José" is not "Jose"), the longest
//! entry winning where entries overlap ("Dr Amira Khan" before "Khan"), non-overlapping, left to
//! right, in every [`Place`]: source text, speaker names of turns (a speaker "Yuri Bakulin"
//! matches the entry "Yuri Bakulin" as a whole and, as whole words, "Yuri" or "Bakulin"), source
//! names and file names, memos of every kind, code names and descriptions, case names, attribute
//! values (text and categories), matrix names, cell and case summaries (quote references are left
//! alone), set and theme names and descriptions, the project's name. Passage annotations do not
//! exist yet; when they do, they become a place here. What is deliberately not touched is listed
//! in [`NOT_TOUCHED`].
//!
//! The researcher sees the plan as a preview grouped by [`Group`] ([`summary`]);
//! [`apply_action`] turns it into one [`Action::ReplaceNames`]: source text changes through
//! [`crate::edit`] (codings stay on the same words), speakers are renamed in every turn, in the
//! cases they are linked to and in the matrices that leave them out. Undo restores every place.
//!
//! Exports check themselves with the same matcher: [`remaining`] (per place, over the project
//! being written) and [`names_in`] (over the bytes being written).

use crate::action::{Action, ActionError};
use crate::cases::{AttrValue, AttributeKind};
use crate::edit::TextEdit;
use crate::ids::{AttributeId, CaseId, CodeId, MatrixId, SetId, SourceId};
use crate::project::{Project, Pseudonym, Span};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// How many characters of context the preview shows on each side of a match.
pub const CONTEXT_CHARS: usize = 40;

/// What pseudonymisation deliberately leaves alone, and why (shown under the preview).
pub const NOT_TOUCHED: &[(&str, &str)] = &[
    (
        "Parts of words and other spellings",
        "matching is whole-word: “Khanfield” is not “Khan”, “JohnSmith” is not “John Smith”, \
         “José” is not “Jose”; add such spellings to the key as they are written",
    ),
    (
        "Coders' names on codings",
        "they name the researchers who coded, not participants",
    ),
    (
        "Number, date and yes/no attribute values, attribute and category names' types",
        "they cannot hold a name; text and category values are replaced",
    ),
    (
        "The key itself",
        "it stays in this project so that sources added later can be pseudonymised alike; \
         exports leave it out unless you include it",
    ),
    (
        "Undo history and earlier saved files",
        "Undo (Ctrl+Z) can bring the names back in this browser; files saved before still \
         hold them",
    ),
    (
        "Passage annotations",
        "Framewise has none yet; when it does, they will be pseudonymised too",
    ),
];

/// A place in a project where a real name can live.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Place {
    /// The project's name.
    ProjectName,
    /// The project memo.
    ProjectMemo,
    /// A source's name.
    SourceName(SourceId),
    /// The name of the file a source came from ("Interview_JohnSmith.docx").
    SourceFile(SourceId),
    /// A source's text.
    SourceText(SourceId),
    /// A speaker of a source: every turn with exactly this label.
    Speaker {
        /// The source.
        source: SourceId,
        /// The speaker's label as it is now.
        speaker: String,
    },
    /// A source's memo.
    SourceMemo(SourceId),
    /// A code's name (in vivo codes are participants' words).
    CodeName(CodeId),
    /// A code's description.
    CodeDescription(CodeId),
    /// A code's memo.
    CodeMemo(CodeId),
    /// A case's name.
    CaseName(CaseId),
    /// A case's memo.
    CaseMemo(CaseId),
    /// A text attribute value of a case.
    AttributeValue {
        /// The case.
        case: CaseId,
        /// The attribute.
        attribute: AttributeId,
    },
    /// A category of a category attribute (renamed in the list and in every case that has it).
    Category {
        /// The attribute.
        attribute: AttributeId,
        /// The category as it is now.
        value: String,
    },
    /// A matrix's name.
    MatrixName(MatrixId),
    /// A cell summary of a matrix.
    CellSummary {
        /// The matrix.
        matrix: MatrixId,
        /// The row.
        case: CaseId,
        /// The column.
        code: CodeId,
    },
    /// A case summary of a matrix.
    CaseSummary {
        /// The matrix.
        matrix: MatrixId,
        /// The row.
        case: CaseId,
    },
    /// A set's (theme's) name.
    SetName(SetId),
    /// A set's (theme's) description.
    SetDescription(SetId),
}

/// How the preview groups places.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Group {
    /// Source text.
    SourceText,
    /// Speaker names of turns.
    Speakers,
    /// Source names and file names.
    SourceNames,
    /// Case names.
    CaseNames,
    /// Code names and descriptions.
    Codes,
    /// Memos of every kind.
    Memos,
    /// Matrix cell and case summaries.
    Summaries,
    /// Attribute values.
    AttributeValues,
    /// Set and theme names and descriptions.
    Sets,
    /// The project's and matrices' names.
    Names,
}

impl Group {
    /// Every group, in preview order.
    pub const ALL: [Group; 10] = [
        Self::SourceText,
        Self::Speakers,
        Self::SourceNames,
        Self::CaseNames,
        Self::Codes,
        Self::Memos,
        Self::Summaries,
        Self::AttributeValues,
        Self::Sets,
        Self::Names,
    ];
    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::SourceText => "Source text",
            Self::Speakers => "Speakers",
            Self::SourceNames => "Source names",
            Self::CaseNames => "Case names",
            Self::Codes => "Codes",
            Self::Memos => "Memos",
            Self::Summaries => "Summaries",
            Self::AttributeValues => "Attribute values",
            Self::Sets => "Sets and themes",
            Self::Names => "Project and matrix names",
        }
    }
}

impl Place {
    /// The preview group of this place.
    pub fn group(&self) -> Group {
        match self {
            Self::SourceText(_) => Group::SourceText,
            Self::Speaker { .. } => Group::Speakers,
            Self::SourceName(_) | Self::SourceFile(_) => Group::SourceNames,
            Self::CaseName(_) => Group::CaseNames,
            Self::CodeName(_) | Self::CodeDescription(_) => Group::Codes,
            Self::ProjectMemo | Self::SourceMemo(_) | Self::CodeMemo(_) | Self::CaseMemo(_) => {
                Group::Memos
            }
            Self::CellSummary { .. } | Self::CaseSummary { .. } => Group::Summaries,
            Self::AttributeValue { .. } | Self::Category { .. } => Group::AttributeValues,
            Self::SetName(_) | Self::SetDescription(_) => Group::Sets,
            Self::ProjectName | Self::MatrixName(_) => Group::Names,
        }
    }

    /// The source this place belongs to, if any.
    pub fn source(&self) -> Option<SourceId> {
        match self {
            Self::SourceName(s)
            | Self::SourceFile(s)
            | Self::SourceText(s)
            | Self::SourceMemo(s) => Some(*s),
            Self::Speaker { source, .. } => Some(*source),
            _ => None,
        }
    }

    /// The place in words, naming what it belongs to ("memo of code “Trust”").
    pub fn describe(&self, project: &Project) -> String {
        let source = |id: &SourceId| {
            project
                .source(*id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let code = |id: &CodeId| {
            project
                .code(*id)
                .map_or_else(|| id.to_string(), |_| project.code_path(*id))
        };
        let case = |id: &CaseId| {
            project
                .case(*id)
                .map_or_else(|| id.to_string(), |c| c.name.clone())
        };
        let matrix = |id: &MatrixId| {
            project
                .matrix(*id)
                .map_or_else(|| id.to_string(), |m| m.name.clone())
        };
        let set = |id: &SetId| {
            project
                .set(*id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let attribute = |id: &AttributeId| {
            project
                .attribute(*id)
                .map_or_else(|| id.to_string(), |a| a.name.clone())
        };
        match self {
            Self::ProjectName => "project name".into(),
            Self::ProjectMemo => "project memo".into(),
            Self::SourceName(s) => format!("name of source “{}”", source(s)),
            Self::SourceFile(s) => format!("file name of source “{}”", source(s)),
            Self::SourceText(s) => format!("text of source “{}”", source(s)),
            Self::Speaker { source: s, speaker } => {
                let turns = project.source(*s).map_or(0, |src| turns_of(src, speaker));
                format!(
                    "speaker “{speaker}” in source “{}” ({turns} turn{})",
                    source(s),
                    plural(turns)
                )
            }
            Self::SourceMemo(s) => format!("memo of source “{}”", source(s)),
            Self::CodeName(c) => format!("name of code “{}”", code(c)),
            Self::CodeDescription(c) => format!("description of code “{}”", code(c)),
            Self::CodeMemo(c) => format!("memo of code “{}”", code(c)),
            Self::CaseName(c) => format!("name of case “{}”", case(c)),
            Self::CaseMemo(c) => format!("memo of case “{}”", case(c)),
            Self::AttributeValue {
                case: c,
                attribute: a,
            } => format!("“{}” of case “{}”", attribute(a), case(c)),
            Self::Category {
                attribute: a,
                value,
            } => format!("category “{value}” of attribute “{}”", attribute(a)),
            Self::MatrixName(m) => format!("name of matrix “{}”", matrix(m)),
            Self::CellSummary {
                matrix: m,
                case: c,
                code: k,
            } => format!(
                "cell summary {} × {} in matrix “{}”",
                case(c),
                code(k),
                matrix(m)
            ),
            Self::CaseSummary { matrix: m, case: c } => {
                format!("case summary of {} in matrix “{}”", case(c), matrix(m))
            }
            Self::SetName(s) => format!("name of set “{}”", set(s)),
            Self::SetDescription(s) => format!("description of set “{}”", set(s)),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// How many turns of `source` have exactly this speaker label.
fn turns_of(source: &crate::Source, speaker: &str) -> usize {
    source
        .turns
        .iter()
        .filter(|t| t.speaker.as_deref() == Some(speaker))
        .count()
}

/// One planned replacement of a real name by its pseudonym.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Replacement {
    /// Where the name is.
    pub place: Place,
    /// Where the name is in that place's current text (bytes).
    pub span: Span,
    /// The text found there (as written, in its own case).
    pub found: String,
    /// The pseudonym written instead, exactly as given in the key.
    pub with: String,
    /// Up to [`CONTEXT_CHARS`] characters before the match, on the same line.
    pub context_before: String,
    /// Up to [`CONTEXT_CHARS`] characters after the match, on the same line.
    pub context_after: String,
    /// Index of the key entry that matched (for counts per entry).
    pub entry: usize,
}

impl Replacement {
    /// The source of the place, if the place belongs to one.
    pub fn source(&self) -> Option<SourceId> {
        self.place.source()
    }
}

/// A key entry prepared for matching.
struct Needle {
    /// Index in the key.
    entry: usize,
    /// The real name, lowercased character by character.
    folded: Vec<char>,
    /// The pseudonym.
    with: String,
}

/// A character's lowercase form for matching: `char::to_lowercase`, with the Greek final sigma
/// read as sigma (so "ΓΙΏΡΓΟΣ" matches "Γιώργος").
fn fold(c: char) -> impl Iterator<Item = char> {
    c.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// If `needle` matches `text` at byte `at` (case-insensitively), the byte after the match.
fn match_at(text: &str, at: usize, needle: &[char]) -> Option<usize> {
    let mut pos = 0usize;
    for (offset, c) in text.get(at..)?.char_indices() {
        for lc in fold(c) {
            if needle.get(pos) != Some(&lc) {
                return None;
            }
            pos += 1;
        }
        if pos == needle.len() {
            return Some(at + offset + c.len_utf8());
        }
    }
    None
}

/// Up to `n` characters of `text` before byte `at`, stopping at a line break.
fn before(text: &str, at: usize, n: usize) -> String {
    let head = text.get(..at).unwrap_or("");
    let mut start = at;
    for (count, (i, c)) in head.char_indices().rev().enumerate() {
        if count >= n || c == '\n' {
            break;
        }
        start = i;
    }
    head.get(start..).unwrap_or("").to_string()
}

/// Up to `n` characters of `text` from byte `at`, stopping at a line break.
fn after(text: &str, at: usize, n: usize) -> String {
    text.get(at..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c != '\n')
        .take(n)
        .collect()
}

/// Byte ranges of quote references (`[[quote:…]]`) in a summary, which are never replaced.
fn quote_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text
        .get(from..)
        .and_then(|t| t.find(crate::matrix::QUOTE_OPEN))
    {
        let start = from + open;
        let Some(close) = text
            .get(start..)
            .and_then(|t| t.find(crate::matrix::QUOTE_CLOSE))
        else {
            break;
        };
        let end = start + close + crate::matrix::QUOTE_CLOSE.len();
        out.push((start, end));
        from = end;
    }
    out
}

/// The chosen matches of the key in one text: `(start, end, needle)`, sorted by position.
/// Whole words only, longest first where matches overlap; nothing inside `protected` ranges.
fn matches<'n>(
    text: &str,
    needles: &'n [Needle],
    protected: &[(usize, usize)],
) -> Vec<(usize, usize, &'n Needle)> {
    // Needles by their first (lowercased) character.
    let mut by_first: HashMap<char, Vec<&Needle>> = HashMap::new();
    for n in needles {
        if let Some(first) = n.folded.first() {
            by_first.entry(*first).or_default().push(n);
        }
    }
    // Every whole-word candidate: (start, end, needle).
    let mut candidates: Vec<(usize, usize, &Needle)> = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts_word = prev.is_none_or(|p| !is_word_char(p));
        prev = Some(c);
        if !starts_word {
            continue;
        }
        let Some(first) = fold(c).next() else {
            continue;
        };
        let Some(list) = by_first.get(&first) else {
            continue;
        };
        for n in list {
            if let Some(end) = match_at(text, i, &n.folded) {
                let ends_word = text
                    .get(end..)
                    .and_then(|rest| rest.chars().next())
                    .is_none_or(|next| !is_word_char(next));
                let inside_protected = protected.iter().any(|(s, e)| i < *e && *s < end);
                if ends_word && !inside_protected {
                    candidates.push((i, end, n));
                }
            }
        }
    }
    // Longest first (then leftmost, then key order), skipping anything overlapping a choice.
    crate::sort::sort_by(&mut candidates, |a, b| {
        (b.1 - b.0)
            .cmp(&(a.1 - a.0))
            .then(a.0.cmp(&b.0))
            .then(a.2.entry.cmp(&b.2.entry))
    });
    let mut chosen: Vec<(usize, usize, &Needle)> = Vec::new();
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    for (s, e, n) in candidates {
        let clash_before = taken
            .range(..e)
            .next_back()
            .is_some_and(|(_, end)| *end > s);
        if clash_before {
            continue;
        }
        taken.insert(s, e);
        chosen.push((s, e, n));
    }
    crate::sort::sort_by_key(&mut chosen, |(s, _, _)| *s);
    chosen
}

/// Every replacement the key makes in one place's text, sorted by position.
fn plan_text(place: &Place, text: &str, needles: &[Needle], out: &mut Vec<Replacement>) {
    let protected = match place {
        Place::CellSummary { .. } | Place::CaseSummary { .. } => quote_ranges(text),
        _ => Vec::new(),
    };
    for (s, e, n) in matches(text, needles, &protected) {
        let Some(found) = text.get(s..e) else {
            continue;
        };
        if found == n.with {
            continue;
        }
        out.push(Replacement {
            place: place.clone(),
            span: Span::new(s, e),
            found: found.to_string(),
            with: n.with.clone(),
            context_before: before(text, s, CONTEXT_CHARS),
            context_after: after(text, e, CONTEXT_CHARS),
            entry: n.entry,
        });
    }
}

fn needles_of(key: &[Pseudonym]) -> Vec<Needle> {
    key.iter()
        .enumerate()
        .filter_map(|(entry, k)| {
            let real = k.real.trim();
            (!real.is_empty()).then(|| Needle {
                entry,
                folded: real.chars().flat_map(fold).collect(),
                with: crate::text::normalize_newlines(&k.pseudonym),
            })
        })
        .collect()
}

/// Every place of the project with its current text, in preview order: `visit(place, text)`.
fn each_place(
    project: &Project,
    only: Option<&BTreeSet<SourceId>>,
    visit: &mut dyn FnMut(Place, &str),
) {
    let include = |id: &SourceId| only.is_none_or(|set| set.contains(id));
    if only.is_none() {
        visit(Place::ProjectName, &project.name);
        visit(Place::ProjectMemo, &project.memo);
    }
    for source in project.sources.iter().filter(|s| include(&s.id)) {
        visit(Place::SourceName(source.id), &source.name);
        if let Some(file) = &source.file_name {
            visit(Place::SourceFile(source.id), file);
        }
        visit(Place::SourceText(source.id), &source.text);
        let mut speakers: Vec<&str> = Vec::new();
        for turn in &source.turns {
            if let Some(name) = turn.speaker.as_deref() {
                if !speakers.contains(&name) {
                    speakers.push(name);
                }
            }
        }
        for speaker in speakers {
            visit(
                Place::Speaker {
                    source: source.id,
                    speaker: speaker.to_string(),
                },
                speaker,
            );
        }
        visit(Place::SourceMemo(source.id), &source.memo);
    }
    if only.is_some() {
        return;
    }
    for code in &project.codes {
        visit(Place::CodeName(code.id), &code.name);
        visit(Place::CodeDescription(code.id), &code.description);
        visit(Place::CodeMemo(code.id), &code.memo);
    }
    for case in &project.cases {
        visit(Place::CaseName(case.id), &case.name);
        visit(Place::CaseMemo(case.id), &case.memo);
        for (attribute, value) in &case.values {
            if let AttrValue::Text(text) = value {
                visit(
                    Place::AttributeValue {
                        case: case.id,
                        attribute: *attribute,
                    },
                    text,
                );
            }
        }
    }
    for attribute in &project.attributes {
        if let AttributeKind::Category(values) = &attribute.kind {
            for value in values {
                visit(
                    Place::Category {
                        attribute: attribute.id,
                        value: value.clone(),
                    },
                    value,
                );
            }
        }
    }
    for matrix in &project.matrices {
        visit(Place::MatrixName(matrix.id), &matrix.name);
        for (case, row) in &matrix.cells {
            for (code, text) in row {
                visit(
                    Place::CellSummary {
                        matrix: matrix.id,
                        case: *case,
                        code: *code,
                    },
                    text,
                );
            }
        }
        for (case, text) in &matrix.case_summaries {
            visit(
                Place::CaseSummary {
                    matrix: matrix.id,
                    case: *case,
                },
                text,
            );
        }
    }
    for set in &project.sets {
        visit(Place::SetName(set.id), &set.name);
        visit(Place::SetDescription(set.id), &set.description);
    }
}

fn plan_in(
    project: &Project,
    key: &[Pseudonym],
    only: Option<&BTreeSet<SourceId>>,
) -> Vec<Replacement> {
    let needles = needles_of(key);
    if needles.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    each_place(project, only, &mut |place, text| {
        plan_text(&place, text, &needles, &mut out)
    });
    out
}

/// Every replacement `key` makes in the project, place by place (see [`Place`]), left to right
/// within a place. Entries whose real name is empty (after trimming) are ignored; mentions
/// already written exactly as the pseudonym are left out.
pub fn plan(project: &Project, key: &[Pseudonym]) -> Vec<Replacement> {
    plan_in(project, key, None)
}

/// The replacements `key` makes in some sources only (their text, speakers, names and memos):
/// what a source imported after the key exists is offered.
pub fn plan_sources(
    project: &Project,
    key: &[Pseudonym],
    sources: &[SourceId],
) -> Vec<Replacement> {
    let only: BTreeSet<SourceId> = sources.iter().copied().collect();
    plan_in(project, key, Some(&only))
}

/// Every real name of the key still in the project, place by place: the check an export of the
/// whole project runs before writing (and `framewise inspect --names`). The same as [`plan`].
pub fn remaining(project: &Project, key: &[Pseudonym]) -> Vec<Replacement> {
    plan(project, key)
}

/// How many replacements each key entry makes (indexed like the key).
pub fn counts(plan: &[Replacement], key_len: usize) -> Vec<usize> {
    let mut out = vec![0; key_len];
    for r in plan {
        if let Some(n) = out.get_mut(r.entry) {
            *n += 1;
        }
    }
    out
}

/// One group of the preview: how many replacements in how many places.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GroupSummary {
    /// The group.
    pub group: Group,
    /// Replacements in this group.
    pub replacements: usize,
    /// Distinct places (speakers, memos, summaries…).
    pub places: usize,
    /// Distinct sources those places belong to (0 for places outside sources).
    pub sources: usize,
    /// Turns renamed (speakers only).
    pub turns: usize,
    /// One line for the researcher: "Speakers: 2 in 1 source (31 turns)", "Memos: 3".
    pub line: String,
}

/// The plan grouped by [`Group`], in preview order, empty groups left out.
pub fn summary(project: &Project, plan: &[Replacement]) -> Vec<GroupSummary> {
    Group::ALL
        .iter()
        .filter_map(|group| {
            let items: Vec<&Replacement> =
                plan.iter().filter(|r| r.place.group() == *group).collect();
            if items.is_empty() {
                return None;
            }
            let places: BTreeSet<&Place> = items.iter().map(|r| &r.place).collect();
            let sources: BTreeSet<SourceId> = items.iter().filter_map(|r| r.source()).collect();
            let turns: usize = places
                .iter()
                .map(|p| match p {
                    Place::Speaker { source, speaker } => {
                        project.source(*source).map_or(0, |s| turns_of(s, speaker))
                    }
                    _ => 0,
                })
                .sum();
            let in_sources = |n: usize| format!("in {n} source{}", plural(n));
            let line = match group {
                Group::SourceText => format!(
                    "{}: {} mention{} {}",
                    group.label(),
                    items.len(),
                    plural(items.len()),
                    in_sources(sources.len())
                ),
                Group::Speakers => format!(
                    "{}: {} {} ({turns} turn{})",
                    group.label(),
                    places.len(),
                    in_sources(sources.len()),
                    plural(turns)
                ),
                Group::SourceNames => format!("{}: {}", group.label(), places.len()),
                _ => format!("{}: {}", group.label(), places.len()),
            };
            Some(GroupSummary {
                group: *group,
                replacements: items.len(),
                places: places.len(),
                sources: sources.len(),
                turns,
                line,
            })
        })
        .collect()
}

/// One undoable action applying `plan` (as made by [`plan`] on the current project).
pub fn apply_action(plan: &[Replacement]) -> Action {
    let mut edits: Vec<(Place, Vec<TextEdit>)> = Vec::new();
    for r in plan {
        let edit = TextEdit {
            span: r.span,
            with: r.with.clone(),
        };
        match edits.iter_mut().find(|(place, _)| *place == r.place) {
            Some((_, list)) => list.push(edit),
            None => edits.push((r.place.clone(), vec![edit])),
        }
    }
    for (_, list) in edits.iter_mut() {
        crate::sort::sort_by_key(list, |e| (e.span.start, e.span.end));
    }
    let label = match plan.len() {
        1 => "Pseudonymise 1 mention".to_string(),
        n => format!("Pseudonymise {n} mentions"),
    };
    Action::ReplaceNames { label, edits }
}

/// `value` with `edits` (sorted, non-overlapping ranges of `value`) applied.
fn edited(value: &str, edits: &[TextEdit]) -> Result<String, ActionError> {
    let mut out = String::with_capacity(value.len());
    let mut at = 0;
    for e in edits {
        let bad = || ActionError::ChangedSincePreview(format!("text “{value}”"));
        if e.span.start < at || !e.span.is_valid_for(value) {
            return Err(bad());
        }
        out.push_str(value.get(at..e.span.start).ok_or_else(bad)?);
        out.push_str(&e.with);
        at = e.span.end;
    }
    out.push_str(value.get(at..).unwrap_or(""));
    Ok(out)
}

fn name_of(value: String) -> Result<String, ActionError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err(ActionError::EmptyName)
    } else {
        Ok(trimmed.to_string())
    }
}

/// Applies [`Action::ReplaceNames`] (see [`crate::apply`]): every place gets its edits.
pub(crate) fn replace_in_place(
    p: &mut Project,
    edits: Vec<(Place, Vec<TextEdit>)>,
) -> Result<(), ActionError> {
    // Speakers renamed, per source: old label → new label.
    let mut renamed: Vec<(SourceId, String, String)> = Vec::new();
    for (place, list) in edits {
        let list: Vec<TextEdit> = list
            .into_iter()
            .map(|e| TextEdit {
                with: crate::text::normalize_newlines(&e.with),
                ..e
            })
            .collect();
        match place {
            Place::SourceText(source) => {
                crate::edit::edit_in_place(p, source, &list)?;
            }
            Place::ProjectName => p.name = name_of(edited(&p.name, &list)?)?,
            Place::ProjectMemo => p.memo = edited(&p.memo, &list)?,
            Place::SourceName(id) => {
                let s = source_mut(p, id)?;
                s.name = name_of(edited(&s.name, &list)?)?;
            }
            Place::SourceFile(id) => {
                let s = source_mut(p, id)?;
                let file = s.file_name.as_deref().unwrap_or("");
                s.file_name = Some(edited(file, &list)?);
            }
            Place::SourceMemo(id) => {
                let s = source_mut(p, id)?;
                s.memo = edited(&s.memo, &list)?;
            }
            Place::Speaker { source, speaker } => {
                let new = name_of(edited(&speaker, &list)?)?;
                let s = source_mut(p, source)?;
                for turn in s.turns.iter_mut() {
                    if turn.speaker.as_deref() == Some(speaker.as_str()) {
                        turn.speaker = Some(new.clone());
                    }
                }
                renamed.push((source, speaker, new));
            }
            Place::CodeName(id) => {
                let c = code_mut(p, id)?;
                c.name = name_of(edited(&c.name, &list)?)?;
            }
            Place::CodeDescription(id) => {
                let c = code_mut(p, id)?;
                c.description = edited(&c.description, &list)?;
            }
            Place::CodeMemo(id) => {
                let c = code_mut(p, id)?;
                c.memo = edited(&c.memo, &list)?;
            }
            Place::CaseName(id) => {
                let c = case_mut(p, id)?;
                c.name = name_of(edited(&c.name, &list)?)?;
            }
            Place::CaseMemo(id) => {
                let c = case_mut(p, id)?;
                c.memo = edited(&c.memo, &list)?;
            }
            Place::AttributeValue { case, attribute } => {
                let c = case_mut(p, case)?;
                match c.values.get_mut(&attribute) {
                    Some(AttrValue::Text(text)) => {
                        let new = edited(text, &list)?;
                        *text = new.trim().to_string();
                        if text.is_empty() {
                            c.values.remove(&attribute);
                        }
                    }
                    _ => return Err(ActionError::UnknownAttribute(attribute)),
                }
            }
            Place::Category { attribute, value } => {
                let new = name_of(edited(&value, &list)?)?;
                let a = p
                    .attributes
                    .iter_mut()
                    .find(|a| a.id == attribute)
                    .ok_or(ActionError::UnknownAttribute(attribute))?;
                let AttributeKind::Category(values) = &mut a.kind else {
                    return Err(ActionError::UnknownAttribute(attribute));
                };
                if values.contains(&new) {
                    values.retain(|v| *v != value);
                } else {
                    for v in values.iter_mut() {
                        if *v == value {
                            *v = new.clone();
                        }
                    }
                }
                for case in p.cases.iter_mut() {
                    if let Some(AttrValue::Category(v)) = case.values.get_mut(&attribute) {
                        if *v == value {
                            *v = new.clone();
                        }
                    }
                }
            }
            Place::MatrixName(id) => {
                let m = matrix_mut(p, id)?;
                m.name = name_of(edited(&m.name, &list)?)?;
            }
            Place::CellSummary { matrix, case, code } => {
                let m = matrix_mut(p, matrix)?;
                let text = m
                    .cells
                    .get_mut(&case)
                    .and_then(|row| row.get_mut(&code))
                    .ok_or(ActionError::UnknownCase(case))?;
                *text = edited(text, &list)?;
            }
            Place::CaseSummary { matrix, case } => {
                let m = matrix_mut(p, matrix)?;
                let text = m
                    .case_summaries
                    .get_mut(&case)
                    .ok_or(ActionError::UnknownCase(case))?;
                *text = edited(text, &list)?;
            }
            Place::SetName(id) => {
                let s = set_mut(p, id)?;
                s.name = name_of(edited(&s.name, &list)?)?;
            }
            Place::SetDescription(id) => {
                let s = set_mut(p, id)?;
                s.description = edited(&s.description, &list)?;
            }
        }
    }
    if !renamed.is_empty() {
        follow_renamed_speakers(p, &renamed);
    }
    Ok(())
}

/// Speaker links of cases and the speakers matrices leave out follow renamed speakers.
fn follow_renamed_speakers(p: &mut Project, renamed: &[(SourceId, String, String)]) {
    for case in p.cases.iter_mut() {
        let mut links = Vec::with_capacity(case.speakers.len());
        for link in &case.speakers {
            let link = match renamed
                .iter()
                .find(|(s, old, _)| *s == link.source && *old == link.speaker)
            {
                Some((_, _, new)) => crate::cases::SpeakerLink {
                    source: link.source,
                    speaker: new.clone(),
                },
                None => link.clone(),
            };
            if !links.contains(&link) {
                links.push(link);
            }
        }
        case.speakers = links;
    }
    // Matrices leave speakers out by label, across sources, ignoring case.
    let still_used: BTreeSet<String> = p
        .sources
        .iter()
        .flat_map(|s| s.turns.iter().filter_map(|t| t.speaker.as_deref()))
        .map(str::to_lowercase)
        .collect();
    for m in p.matrices.iter_mut() {
        let hit: Vec<&(SourceId, String, String)> = renamed
            .iter()
            .filter(|(_, old, _)| {
                m.exclude_speakers
                    .iter()
                    .any(|e| e.to_lowercase() == old.to_lowercase())
            })
            .collect();
        if hit.is_empty() {
            continue;
        }
        let m = Arc::make_mut(m);
        for (_, old, new) in hit {
            if !still_used.contains(&old.to_lowercase()) {
                m.exclude_speakers
                    .retain(|e| e.to_lowercase() != old.to_lowercase());
            }
            m.exclude_speakers.insert(new.clone());
        }
    }
}

fn source_mut(p: &mut Project, id: SourceId) -> Result<&mut crate::Source, ActionError> {
    p.sources
        .iter_mut()
        .find(|s| s.id == id)
        .map(Arc::make_mut)
        .ok_or(ActionError::UnknownSource(id))
}

fn code_mut(p: &mut Project, id: CodeId) -> Result<&mut crate::Code, ActionError> {
    p.codes
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or(ActionError::UnknownCode(id))
}

fn case_mut(p: &mut Project, id: CaseId) -> Result<&mut crate::Case, ActionError> {
    p.cases
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or(ActionError::UnknownCase(id))
}

fn matrix_mut(p: &mut Project, id: MatrixId) -> Result<&mut crate::Matrix, ActionError> {
    p.matrices
        .iter_mut()
        .find(|m| m.id == id)
        .map(Arc::make_mut)
        .ok_or(ActionError::UnknownMatrix(id))
}

fn set_mut(p: &mut Project, id: SetId) -> Result<&mut crate::CodeSet, ActionError> {
    p.sets
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or(ActionError::UnknownSet(id))
}

/// A real name of the key found in what an export writes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Occurrence {
    /// Index of the key entry.
    pub entry: usize,
    /// The text found (as written).
    pub found: String,
    /// Byte offset in the text searched (after entities were decoded, see [`names_in`]).
    pub at: usize,
    /// Up to [`CONTEXT_CHARS`] characters before it, on the same line.
    pub context_before: String,
    /// Up to [`CONTEXT_CHARS`] characters after it, on the same line.
    pub context_after: String,
}

/// Every real name of the key that occurs in `written` (the bytes of an export: JSON, CSV,
/// HTML, XML, or an XLSX whose entries are stored uncompressed), with the same rules as
/// [`plan`], except that mentions written exactly as their pseudonym are not counted only when
/// the real name and the pseudonym differ. Bytes are read as UTF-8 (invalid sequences become
/// U+FFFD) and XML/HTML character references (`&amp;`, `&#39;`, `&#x41;`) are decoded first, so
/// "O&apos;Brien" is found as "O'Brien". Compressed archives must be unpacked by the caller
/// ([`names_in_archive`] with the `formats` feature).
pub fn names_in(written: &[u8], key: &[Pseudonym]) -> Vec<Occurrence> {
    let needles: Vec<Needle> = needles_of(key)
        .into_iter()
        .filter(|n| {
            let with: Vec<char> = n.with.chars().flat_map(fold).collect();
            with != n.folded
        })
        .collect();
    if needles.is_empty() {
        return Vec::new();
    }
    let text = decode_entities(&String::from_utf8_lossy(written));
    matches(&text, &needles, &[])
        .into_iter()
        .map(|(s, e, n)| Occurrence {
            entry: n.entry,
            found: text.get(s..e).unwrap_or("").to_string(),
            at: s,
            context_before: before(&text, s, CONTEXT_CHARS),
            context_after: after(&text, e, CONTEXT_CHARS),
        })
        .collect()
}

/// `text` with XML/HTML character references decoded (unknown ones are kept as written).
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let tail = rest.get(amp..).unwrap_or("");
        let semi = tail.get(..tail.len().min(12)).and_then(|t| t.find(';'));
        let decoded = semi.and_then(|semi| {
            let name = tail.get(1..semi)?;
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse::<u32>().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = tail.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// [`names_in`] over every entry of a zip archive (.qdpx, .xlsx, .docx), each found name with
/// the entry it is in; bytes that are not a zip archive are searched as they are (entry "").
/// An archive that cannot be read is an error (a check that cannot look must not say "clean").
#[cfg(feature = "formats")]
pub fn names_in_archive(
    written: &[u8],
    key: &[Pseudonym],
) -> Result<Vec<(String, Occurrence)>, String> {
    use std::io::Read;
    if !written.starts_with(b"PK\x03\x04") {
        return Ok(names_in(written, key)
            .into_iter()
            .map(|o| (String::new(), o))
            .collect());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(written))
        .map_err(|e| format!("not a readable zip archive: {e}"))?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("entry {i} cannot be read: {e}"))?;
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name} cannot be read: {e}"))?;
        // A nested archive (a .docx source inside a .qdpx) is searched too.
        for (inner, o) in names_in_archive(&bytes, key)? {
            let place = if inner.is_empty() {
                name.clone()
            } else {
                format!("{name}/{inner}")
            };
            out.push((place, o));
        }
    }
    Ok(out)
}

/// Reads a key from CSV: one `real name,pseudonym` per row (RFC 4180; a first row whose
/// first field is "real", "real name" or "name" is a header). Rows with an empty real name are
/// skipped; a row without a pseudonym, or with more than two fields, is a problem by line.
pub fn parse_key_csv(csv: &str) -> Result<Vec<Pseudonym>, Vec<crate::codebook_csv::CsvProblem>> {
    use crate::codebook_csv::CsvProblem;
    let mut problems = Vec::new();
    let records = crate::codebook_csv::parse_records(csv, &mut problems);
    let mut key = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let fields: Vec<&str> = record.fields.iter().map(|f| f.trim()).collect();
        let first = fields.first().copied().unwrap_or("").to_lowercase();
        if i == 0
            && matches!(
                first.as_str(),
                "real" | "real name" | "name" | "real name or place"
            )
        {
            continue;
        }
        match fields.as_slice() {
            [] | [""] | ["", _] => {}
            [real, pseudonym] if !real.is_empty() => key.push(Pseudonym {
                real: real.to_string(),
                pseudonym: pseudonym.to_string(),
            }),
            [_] => problems.push(CsvProblem {
                line: record.line,
                message: "a row needs a real name and a pseudonym, separated by a comma".into(),
            }),
            _ => problems.push(CsvProblem {
                line: record.line,
                message: format!(
                    "{} fields; a row is `real name,pseudonym` (quote a name with a comma)",
                    fields.len()
                ),
            }),
        }
    }
    if problems.is_empty() {
        Ok(key)
    } else {
        Err(problems)
    }
}

/// The key as CSV (`real name,pseudonym` with a header, CRLF line ends), read back by
/// [`parse_key_csv`].
pub fn export_key_csv(key: &[Pseudonym]) -> String {
    use crate::codebook_csv::csv_field;
    let mut out = String::from("real name,pseudonym\r\n");
    for k in key {
        out.push_str(&format!(
            "{},{}\r\n",
            csv_field(&k.real),
            csv_field(&k.pseudonym)
        ));
    }
    out
}
