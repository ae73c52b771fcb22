//! The single-file project (`NAME.framewise.json`) for backups and moving between laptops, and
//! the raw backup of records that could not be read.

use super::diff::{
    attribute_body, case_body, code_body, coding_body, matrix_body, set_body, source_body,
};
use super::load::{build, Parts};
use super::saved::{migrate_file, Envelope, FileProjectV4, FileV4, Kind};
use super::{LoadError, Loaded, ProjectMeta, StoreName, RAW_BACKUP_FORMAT};
use crate::project::Project;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The whole project as one JSON document:
/// `{"format": "framewise-project", "version": 3, "project": {...}}` with every source (and its
/// text and speaker turns), code, coding, attribute, case (with its values), matrix (with its cell and case
/// summaries) and set, in display order. Pretty-printed, so a backup can be read and diffed.
pub fn to_project_file(project: &Project, meta: &ProjectMeta) -> String {
    let body = FileV4 {
        project: FileProjectV4 {
            id: project.id,
            name: Cow::Borrowed(&project.name),
            memo: Cow::Borrowed(&project.memo),
            created: project.created,
            modified: meta.modified,
            last_opened: meta.last_opened,
            sources: project
                .sources
                .iter()
                .map(|s| source_body(s, project.annotations_of(s.id), None, None, true))
                .collect(),
            codes: project
                .codes
                .iter()
                .map(|c| code_body(c, None, None))
                .collect(),
            codings: project
                .all_codings()
                .map(|c| coding_body(c, None))
                .collect(),
            attributes: project
                .attributes
                .iter()
                .map(|a| attribute_body(a, None, None))
                .collect(),
            cases: project
                .cases
                .iter()
                .map(|c| case_body(c, None, None))
                .collect(),
            matrices: project
                .matrices
                .iter()
                .map(|m| matrix_body(m, None, None, true))
                .collect(),
            sets: project
                .sets
                .iter()
                .map(|s| set_body(s, None, None))
                .collect(),
            pseudonyms: super::diff::pseudonyms_body(&project.pseudonyms),
            queries: super::diff::queries_body(&project.queries),
        },
    };
    let envelope = Envelope {
        format: Kind::File.format(),
        version: super::CURRENT_VERSION,
        body,
    };
    serde_json::to_string_pretty(&envelope).unwrap_or_default()
}

/// Reads a project file through the same migrate path and domain checks as stored records.
/// Not JSON or another `format`: [`LoadError::Unreadable`] saying so; a newer version:
/// [`LoadError::NewerVersion`]. Codings that do not fit are left out with a warning.
pub fn from_project_file(json: &str) -> Result<Loaded, LoadError> {
    let file = migrate_file(json)?.project;
    let parts = Parts {
        id: file.id,
        name: file.name.into_owned(),
        memo: file.memo.into_owned(),
        created: file.created,
        meta: ProjectMeta {
            modified: file.modified,
            last_opened: file.last_opened,
        },
        sources: file.sources,
        codes: file.codes,
        codings: file.codings,
        attributes: file.attributes,
        cases: file.cases,
        matrices: file.matrices,
        sets: file.sets,
        pseudonyms: file.pseudonyms,
        queries: file.queries,
    };
    Ok(build(parts, Vec::new()))
}

/// `NAME.framewise.json`, with characters that file systems refuse replaced by `_`, surrounding
/// dots and spaces trimmed and the name cut to 80 characters; `project.framewise.json` when
/// nothing is left.
pub fn project_file_name(project: &Project) -> String {
    let cleaned: String = project
        .name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let stem = if cleaned.is_empty() {
        "project"
    } else {
        cleaned
    };
    format!("{stem}.framewise.json")
}

/// A raw backup of one project's stored records, exactly as stored (each record's JSON string
/// kept as a string, byte for byte): `{"format": "framewise-raw-backup", "version": 1,
/// "project": KEY, "stores": {"codings": {KEY: "<record>", ...}, ...}}`. Made for projects that
/// cannot be opened, so nothing is lost while waiting for a Framewise that reads them.
pub fn raw_backup(project_key: &str, stores: &[(StoreName, Vec<(String, String)>)]) -> String {
    let mut by_store = Map::new();
    for (store, records) in stores {
        let entry = by_store
            .entry(store.as_str())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(map) = entry {
            for (key, json) in records {
                map.insert(key.clone(), Value::String(json.clone()));
            }
        }
    }
    let mut doc = Map::new();
    doc.insert("format".into(), Value::String(RAW_BACKUP_FORMAT.into()));
    doc.insert("version".into(), Value::from(super::CURRENT_VERSION));
    doc.insert("project".into(), Value::String(project_key.into()));
    doc.insert("stores".into(), Value::Object(by_store));
    serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default()
}
