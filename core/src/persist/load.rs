//! Reading a project back: stored records or a project file, through the migrate functions,
//! into a [`Project`] that satisfies the domain's invariants. What does not fit is left out
//! with a warning, never "repaired" by deleting stored data.

use super::saved::{
    migrate_code, migrate_coding, migrate_project_memo, migrate_project_record, migrate_source,
    migrate_text, CodeV1, CodingV1, SourceV1,
};
use super::{LoadError, Loaded, ProjectMeta, ProjectProblem, ProjectSummary, StoredRecords};
use crate::action::is_valid_color;
use crate::ids::{CodeId, CodingId, ProjectId, SourceId};
use crate::palette::color_for;
use crate::project::{Code, CodeOrigin, Coding, Project, Source, SourceKind, Span, Timestamp};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// A project's parts after migration, before the domain's rules are checked.
pub(crate) struct Parts {
    pub id: ProjectId,
    pub name: String,
    pub memo: String,
    pub created: Timestamp,
    pub meta: ProjectMeta,
    /// Sources with `text` filled in (`None`: the text is missing).
    pub sources: Vec<SourceV1<'static>>,
    pub codes: Vec<CodeV1<'static>>,
    pub codings: Vec<CodingV1<'static>>,
}

/// Id and name read leniently from a project record that may not migrate.
fn lenient_id_and_name(json: &str) -> (Option<ProjectId>, Option<String>) {
    let value: Option<Value> = serde_json::from_str(json).ok();
    let field = |name: &str| {
        value
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    (
        field("id").and_then(|id| ProjectId::parse(&id)),
        field("name"),
    )
}

fn project_what(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("the project “{name}”"),
        None => "a stored project".into(),
    }
}

/// The home screen's line for one `projects` record. A record that cannot be opened (newer
/// version, unreadable) is still listed: the error carries the id and name when they could be
/// read, so the app can offer a raw backup or deletion.
pub fn summary(record_json: &str) -> Result<ProjectSummary, ProjectProblem> {
    let (id, name) = lenient_id_and_name(record_json);
    match migrate_project_record(record_json, &project_what(name.as_deref())) {
        Ok(r) => Ok(ProjectSummary {
            id: r.id,
            name: r.name.into_owned(),
            sources: r.sources,
            codes: r.codes,
            codings: r.codings,
            created: r.created,
            modified: r.modified,
            last_opened: r.last_opened,
        }),
        Err(error) => Err(ProjectProblem { id, name, error }),
    }
}

/// Reads records of one kind: newer versions stop the load, unreadable records and records of
/// another project are left out with a warning.
fn read_all<T>(
    jsons: &[String],
    what: &str,
    project: ProjectId,
    migrate: impl Fn(&str, &str) -> Result<T, LoadError>,
    owner: impl Fn(&T) -> Option<ProjectId>,
    warnings: &mut Vec<String>,
) -> Result<Vec<T>, LoadError> {
    let mut out = Vec::with_capacity(jsons.len());
    for json in jsons {
        match migrate(json, what) {
            Ok(item) if owner(&item).is_none_or(|p| p == project) => out.push(item),
            Ok(_) => warnings.push(format!(
                "{} belongs to another project and was left out.",
                super::capitalized(what)
            )),
            Err(e @ LoadError::NewerVersion { .. }) => return Err(e),
            Err(e @ LoadError::Unreadable { .. }) => {
                warnings.push(format!("{e} It was left out of the opened project."))
            }
        }
    }
    Ok(out)
}

/// Rebuilds a project from its stored records, through the migrate function of each record
/// kind. Fails (and the app must then write nothing) when the project record or the project
/// memo cannot be read, or when any record is of a newer version. Other records that cannot be
/// read, and codings that do not fit (missing source or code, span outside the text), are left
/// out and described in [`Loaded::warnings`]; they remain in storage.
pub fn assemble(records: &StoredRecords) -> Result<Loaded, LoadError> {
    let (_, lenient_name) = lenient_id_and_name(&records.project);
    let record = migrate_project_record(&records.project, &project_what(lenient_name.as_deref()))?;
    let pid = record.id;
    let what = project_what(Some(&record.name));
    let mut warnings = Vec::new();

    let memo = match &records.memo {
        None => String::new(),
        Some(json) => {
            let memo_what = format!("the memo of {what}");
            let memo = migrate_project_memo(json, &memo_what)?;
            if memo.project != pid {
                return Err(LoadError::Unreadable {
                    what: memo_what,
                    reason: "it belongs to another project".into(),
                });
            }
            memo.memo.into_owned()
        }
    };

    let texts = read_all(
        &records.texts,
        &format!("a source text of {what}"),
        pid,
        migrate_text,
        |t| Some(t.project),
        &mut warnings,
    )?;
    let mut sources = read_all(
        &records.sources,
        &format!("a source record of {what}"),
        pid,
        migrate_source,
        |s| s.project,
        &mut warnings,
    )?;
    let codes = read_all(
        &records.codes,
        &format!("a code record of {what}"),
        pid,
        migrate_code,
        |c| c.project,
        &mut warnings,
    )?;
    let codings = read_all(
        &records.codings,
        &format!("a coding record of {what}"),
        pid,
        migrate_coding,
        |c| c.project,
        &mut warnings,
    )?;

    let mut texts: HashMap<SourceId, String> = texts
        .into_iter()
        .map(|t| (t.source, t.text.into_owned()))
        .collect();
    for source in &mut sources {
        source.text = texts.remove(&source.id).map(Into::into);
    }
    // Sources and codes are kept in the order of their `position`.
    sources.sort_by_key(|s| s.position.unwrap_or(u32::MAX));
    let mut codes = codes;
    codes.sort_by_key(|c| c.position.unwrap_or(u32::MAX));

    let parts = Parts {
        id: pid,
        name: record.name.into_owned(),
        memo,
        created: record.created,
        meta: ProjectMeta {
            modified: record.modified,
            last_opened: record.last_opened,
        },
        sources,
        codes,
        codings,
    };
    Ok(build(parts, warnings))
}

/// Checks the domain's rules on migrated parts and builds the project. Shared by stored
/// records and the project file.
pub(crate) fn build(parts: Parts, mut warnings: Vec<String>) -> Loaded {
    let mut project = Project::new(parts.id, parts.name, parts.created);
    project.memo = parts.memo;
    if project.name.trim().is_empty() {
        project.name = "Untitled project".into();
        warnings.push("The project had no name; it is shown as “Untitled project”.".into());
    }

    let mut source_ids = BTreeSet::new();
    for saved in parts.sources {
        let name = display_name(&saved.name, "Untitled source");
        if !source_ids.insert(saved.id) {
            warnings.push(format!(
                "The source “{name}” was stored twice; the second copy was left out."
            ));
            continue;
        }
        let Some(text) = saved.text else {
            source_ids.remove(&saved.id);
            warnings.push(format!(
                "The text of the source “{name}” is missing, so the source and its codings were \
                 left out (its stored records are kept)."
            ));
            continue;
        };
        let kind = SourceKind::from_key(&saved.kind).unwrap_or_else(|| {
            warnings.push(format!(
                "The source “{name}” has an unknown kind “{}”; it is shown as a document.",
                saved.kind
            ));
            SourceKind::Document
        });
        project.sources.push(Arc::new(Source {
            id: saved.id,
            name,
            kind,
            text: text.into(),
            memo: saved.memo.into_owned(),
            imported: saved.imported,
            file_name: saved.file_name.map(|f| f.into_owned()),
        }));
    }

    let mut code_ids = BTreeSet::new();
    for saved in parts.codes {
        let name = display_name(&saved.name, "Unnamed code");
        if !code_ids.insert(saved.id) {
            warnings.push(format!(
                "The code “{name}” was stored twice; the second copy was left out."
            ));
            continue;
        }
        let color = if is_valid_color(&saved.color) {
            saved.color.into_owned()
        } else {
            if !saved.color.is_empty() {
                warnings.push(format!(
                    "The code “{name}” had an invalid colour “{}”; it was given another.",
                    saved.color
                ));
            }
            color_for(project.codes.len()).to_string()
        };
        let origin = match &*saved.origin {
            "deductive" => CodeOrigin::Deductive,
            "inductive" => CodeOrigin::Inductive,
            other => {
                warnings.push(format!(
                    "The code “{name}” has an unknown origin “{other}”; it is shown as inductive."
                ));
                CodeOrigin::Inductive
            }
        };
        project.codes.push(Code {
            id: saved.id,
            name,
            parent: saved.parent,
            color,
            description: saved.description.into_owned(),
            origin,
            memo: saved.memo.into_owned(),
            created: saved.created,
        });
    }
    fix_parents(&mut project.codes, &code_ids, &mut warnings);

    let mut codings: BTreeMap<SourceId, Vec<Coding>> = BTreeMap::new();
    let mut coding_ids: BTreeSet<CodingId> = BTreeSet::new();
    for saved in parts.codings {
        let Some(source) = project.source(saved.source) else {
            warnings.push(format!(
                "A coding refers to a source that is missing; it was left out (id {}).",
                saved.id
            ));
            continue;
        };
        let span = Span::new(saved.start, saved.end);
        if !span.is_valid_for(&source.text) {
            warnings.push(format!(
                "A coding of “{}” covers {}..{}, which does not fit the text; it was left out \
                 (id {}).",
                source.name, saved.start, saved.end, saved.id
            ));
            continue;
        }
        if !code_ids.contains(&saved.code) {
            warnings.push(format!(
                "A coding of “{}” uses a code that is missing; it was left out (id {}).",
                source.name, saved.id
            ));
            continue;
        }
        if !coding_ids.insert(saved.id) {
            warnings.push(format!(
                "A coding was stored twice; the second copy was left out (id {}).",
                saved.id
            ));
            continue;
        }
        codings.entry(saved.source).or_default().push(Coding {
            id: saved.id,
            source: saved.source,
            span,
            code: saved.code,
            coder: saved.coder.into_owned(),
            created: saved.created,
        });
    }
    for (source, mut list) in codings {
        list.sort_by_key(|c| (c.span.start, c.span.end, c.id));
        project.codings.insert(source, Arc::new(list));
    }

    Loaded {
        project,
        meta: parts.meta,
        warnings,
    }
}

fn display_name(name: &str, fallback: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        fallback.into()
    } else {
        name.into()
    }
}

/// Parents that are missing move their code to the top level; a cycle of parents is broken at
/// its first code.
fn fix_parents(codes: &mut [Code], ids: &BTreeSet<CodeId>, warnings: &mut Vec<String>) {
    let parent_of: HashMap<CodeId, Option<CodeId>> =
        codes.iter().map(|c| (c.id, c.parent)).collect();
    let mut parent_of = parent_of;
    for code in codes.iter_mut() {
        if let Some(parent) = code.parent {
            if !ids.contains(&parent) {
                warnings.push(format!(
                    "The parent of the code “{}” is missing; it was moved to the top level.",
                    code.name
                ));
                code.parent = None;
                parent_of.insert(code.id, None);
                continue;
            }
        }
        let mut current = code.parent;
        let mut steps = 0;
        while let Some(p) = current {
            if p == code.id {
                warnings.push(format!(
                    "The code “{}” was inside itself; it was moved to the top level.",
                    code.name
                ));
                code.parent = None;
                parent_of.insert(code.id, None);
                break;
            }
            steps += 1;
            if steps > ids.len() {
                break;
            }
            current = parent_of.get(&p).copied().flatten();
        }
    }
}
