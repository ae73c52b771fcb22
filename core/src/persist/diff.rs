//! Which records to write: the difference between two project values, proportional to the
//! change. Unchanged sources and coding lists are skipped by pointer (`Arc::ptr_eq`) before any
//! comparison, so a coding in a large project looks at one coding list only.

use super::saved::{
    CodeV1, CodingV1, Envelope, Kind, ProjectMemoV1, ProjectRecordV1, SourceV1, TextV1,
};
use super::{ProjectMeta, StoreName, Write};
use crate::ids::{ProjectId, SourceId};
use crate::project::{Code, CodeOrigin, Coding, Project, Source};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

pub(crate) fn origin_key(origin: CodeOrigin) -> &'static str {
    match origin {
        CodeOrigin::Deductive => "deductive",
        CodeOrigin::Inductive => "inductive",
    }
}

pub(crate) fn source_body(
    source: &Source,
    project: Option<ProjectId>,
    position: Option<u32>,
    with_text: bool,
) -> SourceV1<'_> {
    SourceV1 {
        project,
        id: source.id,
        position,
        name: Cow::Borrowed(&source.name),
        kind: Cow::Borrowed(source.kind.key()),
        memo: Cow::Borrowed(&source.memo),
        imported: source.imported,
        file_name: source.file_name.as_deref().map(Cow::Borrowed),
        text: with_text.then_some(Cow::Borrowed(&*source.text)),
    }
}

pub(crate) fn code_body(
    code: &Code,
    project: Option<ProjectId>,
    position: Option<u32>,
) -> CodeV1<'_> {
    CodeV1 {
        project,
        id: code.id,
        position,
        name: Cow::Borrowed(&code.name),
        parent: code.parent,
        color: Cow::Borrowed(&code.color),
        description: Cow::Borrowed(&code.description),
        origin: Cow::Borrowed(origin_key(code.origin)),
        memo: Cow::Borrowed(&code.memo),
        created: code.created,
    }
}

pub(crate) fn coding_body(coding: &Coding, project: Option<ProjectId>) -> CodingV1<'_> {
    CodingV1 {
        project,
        id: coding.id,
        source: coding.source,
        code: coding.code,
        start: coding.span.start,
        end: coding.span.end,
        coder: Cow::Borrowed(&coding.coder),
        created: coding.created,
    }
}

fn position(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The `projects` record of `project`: always a small record (no memo, no texts). The app also
/// writes it alone to record `last_opened` when a project is opened.
pub fn project_record_write(project: &Project, meta: &ProjectMeta) -> Write {
    let json = Envelope::json(
        Kind::ProjectRecord,
        ProjectRecordV1 {
            id: project.id,
            name: Cow::Borrowed(&project.name),
            created: project.created,
            modified: meta.modified,
            last_opened: meta.last_opened,
            sources: project.sources.len(),
            codes: project.codes.len(),
            codings: project.coding_count(),
        },
    );
    Write::Put {
        store: StoreName::Projects,
        key: project.id.to_string(),
        project: project.id,
        json,
    }
}

fn put(store: StoreName, key: String, project: ProjectId, json: String) -> Write {
    Write::Put {
        store,
        key,
        project,
        json,
    }
}

fn delete(store: StoreName, key: String, project: ProjectId) -> Write {
    Write::Delete {
        store,
        key,
        project,
    }
}

/// Collects deletes and puts separately: deletes are applied first, so a record deleted and put
/// again in the same save (an id moving between lists) ends up stored.
#[derive(Default)]
struct Writes {
    deletes: Vec<Write>,
    puts: Vec<Write>,
}

/// The writes that bring the stored records of `old` to those of `new`. `old = None` writes
/// everything ([`full_writes`]). Texts are written only for new sources; the project record is
/// written whenever anything else is (its `modified` and counts change) or when the project's
/// own fields changed; nothing is written when the two projects are equal. Undo is just another
/// diff: from the current project back to the earlier snapshot.
///
/// `old` must be what is stored (the last project saved or loaded). If `old` is a different
/// project (another id) it is ignored and everything of `new` is written.
pub fn diff(old: Option<&Project>, new: &Project, meta: &ProjectMeta) -> Vec<Write> {
    let old = old.filter(|o| o.id == new.id);
    let pid = new.id;
    let mut w = Writes::default();

    // Project memo.
    if old.is_none_or(|o| o.memo != new.memo) {
        w.puts.push(put(
            StoreName::ProjectMemos,
            pid.to_string(),
            pid,
            Envelope::json(
                Kind::ProjectMemo,
                ProjectMemoV1 {
                    project: pid,
                    memo: Cow::Borrowed(&new.memo),
                },
            ),
        ));
    }

    diff_sources(old, new, &mut w);
    diff_codes(old, new, &mut w);
    diff_codings(old, new, &mut w);

    let project_changed = old.is_none_or(|o| o.name != new.name || o.created != new.created);
    let mut writes = w.deletes;
    writes.append(&mut w.puts);
    if project_changed || !writes.is_empty() {
        writes.push(project_record_write(new, meta));
    }
    writes
}

/// Every record of `project`: `diff(None, project, meta)`.
pub fn full_writes(project: &Project, meta: &ProjectMeta) -> Vec<Write> {
    diff(None, project, meta)
}

fn diff_sources(old: Option<&Project>, new: &Project, w: &mut Writes) {
    let pid = new.id;
    let old_sources: HashMap<SourceId, (usize, &Arc<Source>)> = old
        .map(|o| {
            o.sources
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id, (i, s)))
                .collect()
        })
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (index, source) in new.sources.iter().enumerate() {
        seen.insert(source.id);
        let previous = old_sources.get(&source.id);
        let text_changed = match previous {
            None => true,
            Some((_, before)) => {
                !Arc::ptr_eq(&before.text, &source.text) && before.text != source.text
            }
        };
        let record_changed = match previous {
            None => true,
            Some((i, before)) => {
                *i != index
                    || !(Arc::ptr_eq(before, source)
                        || (before.name == source.name
                            && before.kind == source.kind
                            && before.memo == source.memo
                            && before.imported == source.imported
                            && before.file_name == source.file_name))
            }
        };
        if text_changed {
            w.puts.push(put(
                StoreName::Texts,
                source.id.to_string(),
                pid,
                Envelope::json(
                    Kind::Text,
                    TextV1 {
                        project: pid,
                        source: source.id,
                        text: Cow::Borrowed(&source.text),
                    },
                ),
            ));
        }
        if record_changed {
            w.puts.push(put(
                StoreName::Sources,
                source.id.to_string(),
                pid,
                Envelope::json(
                    Kind::Source,
                    source_body(source, Some(pid), Some(position(index)), false),
                ),
            ));
        }
    }
    for source in old.iter().flat_map(|o| o.sources.iter()) {
        if !seen.contains(&source.id) {
            w.deletes
                .push(delete(StoreName::Sources, source.id.to_string(), pid));
            w.deletes
                .push(delete(StoreName::Texts, source.id.to_string(), pid));
        }
    }
}

fn diff_codes(old: Option<&Project>, new: &Project, w: &mut Writes) {
    let pid = new.id;
    let old_codes: HashMap<_, _> = old
        .map(|o| {
            o.codes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id, (i, c)))
                .collect()
        })
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (index, code) in new.codes.iter().enumerate() {
        seen.insert(code.id);
        let unchanged = old_codes
            .get(&code.id)
            .is_some_and(|(i, before)| *i == index && *before == code);
        if !unchanged {
            w.puts.push(put(
                StoreName::Codes,
                code.id.to_string(),
                pid,
                Envelope::json(
                    Kind::Code,
                    code_body(code, Some(pid), Some(position(index))),
                ),
            ));
        }
    }
    for code in old.iter().flat_map(|o| o.codes.iter()) {
        if !seen.contains(&code.id) {
            w.deletes
                .push(delete(StoreName::Codes, code.id.to_string(), pid));
        }
    }
}

fn diff_codings(old: Option<&Project>, new: &Project, w: &mut Writes) {
    let pid = new.id;
    let empty = Arc::new(Vec::new());
    let mut lists: BTreeSet<SourceId> = new.codings.keys().copied().collect();
    if let Some(old) = old {
        lists.extend(old.codings.keys().copied());
    }
    for source in lists {
        let before = old.and_then(|o| o.codings.get(&source)).unwrap_or(&empty);
        let after = new.codings.get(&source).unwrap_or(&empty);
        if Arc::ptr_eq(before, after) {
            continue;
        }
        let before_by_id: HashMap<_, _> = before.iter().map(|c| (c.id, c)).collect();
        let mut seen = BTreeSet::new();
        for coding in after.iter() {
            seen.insert(coding.id);
            if before_by_id.get(&coding.id) != Some(&coding) {
                w.puts.push(put(
                    StoreName::Codings,
                    coding.id.to_string(),
                    pid,
                    Envelope::json(Kind::Coding, coding_body(coding, Some(pid))),
                ));
            }
        }
        for coding in before.iter().filter(|c| !seen.contains(&c.id)) {
            w.deletes
                .push(delete(StoreName::Codings, coding.id.to_string(), pid));
        }
    }
}
