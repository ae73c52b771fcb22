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
//! alone), set and theme names and descriptions, the project's name, and annotations (comments on
//! passages and codings, grouped with the memos). What is deliberately not touched is listed in
//! [`NOT_TOUCHED`].
//!
//! The researcher sees the plan as a preview grouped by [`Group`] ([`summary`]);
//! [`apply_action`] turns it into one [`Action::ReplaceNames`]: source text changes through
//! [`crate::edit`] (codings stay on the same words), speakers are renamed in every turn, in the
//! cases they are linked to and in the matrices that leave them out. Undo restores every place.
//!
//! Exports check themselves with the same matcher: [`remaining`] (per place, over the project
//! being written) and [`names_in`] (over the bytes being written). The app asks the worker for
//! both, answered written out ([`shown`]).

pub mod shown;

use crate::action::Action;
use crate::cases::{AttrValue, AttributeKind};
use crate::edit::TextEdit;
use crate::ids::SourceId;
use crate::model::place::turns_of;
pub use crate::model::place::{Group, Place};
use crate::project::{Project, Pseudonym, Span};
use crate::sort::Gather;
use crate::text::{decode_references, xml_reference};
use crate::words::count;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
        "Number, date and yes/no attribute values; attribute names",
        "values of these types cannot hold a name, and attribute names are variables; text \
         values and categories are replaced",
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
];

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
    for query in &project.queries {
        visit(Place::QueryName(query.id), &query.name);
        visit(Place::QueryText(query.id), &query.query);
    }
    for a in &project.annotations {
        visit(Place::Annotation(a.id), &a.text);
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
    let only: BTreeSet<SourceId> = sources.iter().copied().to_set();
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
            let places: BTreeSet<&Place> = items.iter().map(|r| &r.place).to_set();
            let sources: BTreeSet<SourceId> = items.iter().filter_map(|r| r.source()).to_set();
            let turns: usize = places
                .iter()
                .map(|p| match p {
                    Place::Speaker { source, speaker } => {
                        project.source(*source).map_or(0, |s| turns_of(s, speaker))
                    }
                    _ => 0,
                })
                .sum();
            let in_sources = |n: usize| format!("in {}", count(n, "source", "sources"));
            let line = match group {
                Group::SourceText => format!(
                    "{}: {} {}",
                    group.label(),
                    count(items.len(), "mention", "mentions"),
                    in_sources(sources.len())
                ),
                Group::Speakers => format!(
                    "{}: {} {} ({})",
                    group.label(),
                    places.len(),
                    in_sources(sources.len()),
                    count(turns, "turn", "turns")
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
/// HTML, XML, or an XLSX whose entries are stored uncompressed), matched as [`plan`] matches
/// (whole word, any case, longest entry first). An entry whose pseudonym is its real name is not
/// looked for. Bytes are read as UTF-8 (invalid sequences become U+FFFD) and XML/HTML character
/// references (`&amp;`, `&#39;`, `&#x41;`) are decoded first, so "O&apos;Brien" is found as
/// "O'Brien". Compressed archives must be unpacked first ([`names_in_archive`], feature
/// `formats`).
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

/// `text` with XML/HTML character references decoded (unknown ones are kept as written;
/// `&nbsp;` becomes a plain space).
fn decode_entities(text: &str) -> String {
    decode_references(text, |name| match name {
        "nbsp" => Some(' '),
        _ => xml_reference(name),
    })
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
pub fn parse_key_csv(csv: &str) -> Result<Vec<Pseudonym>, Vec<crate::csv::CsvProblem>> {
    use crate::csv::CsvProblem;
    let mut problems = Vec::new();
    let records = crate::csv::parse_records(csv, &mut problems);
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
    use crate::csv::csv_field;
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
