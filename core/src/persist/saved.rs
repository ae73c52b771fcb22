//! Saved-format types, separate from the domain types so the domain can change without breaking
//! stored projects, and the migrate functions that read them. `Cow` fields let writing borrow
//! from the project (no copy of a transcript) while reading gets owned values.

use super::{LoadError, CURRENT_VERSION};
use crate::ids::{CodeId, CodingId, ProjectId, SourceId};
use crate::project::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;

/// A record kind: its `"format"` string and how a researcher would call it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    ProjectRecord,
    ProjectMemo,
    Source,
    Text,
    Code,
    Coding,
    File,
}

impl Kind {
    pub(crate) fn format(self) -> &'static str {
        match self {
            Self::ProjectRecord => "framewise-project-record",
            Self::ProjectMemo => "framewise-project-memo",
            Self::Source => "framewise-source",
            Self::Text => "framewise-text",
            Self::Code => "framewise-code",
            Self::Coding => "framewise-coding",
            Self::File => super::PROJECT_FILE_FORMAT,
        }
    }
}

/// `{format, version, ...body}` as written.
#[derive(Serialize)]
pub(crate) struct Envelope<T> {
    pub format: &'static str,
    pub version: u32,
    #[serde(flatten)]
    pub body: T,
}

impl<T: Serialize> Envelope<T> {
    /// The record as a compact JSON string.
    pub(crate) fn json(kind: Kind, body: T) -> String {
        to_json(&Envelope {
            format: kind.format(),
            version: CURRENT_VERSION,
            body,
        })
    }
}

/// Serialising these plain structs cannot fail (string keys, no custom `Serialize`); should it
/// ever, the empty string would later read back as an unreadable record, never as lost data
/// silently replacing good data.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The `projects` record (format version 1).
#[derive(Serialize, Deserialize)]
pub(crate) struct ProjectRecordV1<'a> {
    pub id: ProjectId,
    pub name: Cow<'a, str>,
    #[serde(default)]
    pub created: Timestamp,
    #[serde(default)]
    pub modified: Timestamp,
    #[serde(default)]
    pub last_opened: Timestamp,
    #[serde(default)]
    pub sources: usize,
    #[serde(default)]
    pub codes: usize,
    #[serde(default)]
    pub codings: usize,
}

/// The `project_memos` record (version 1).
#[derive(Serialize, Deserialize)]
pub(crate) struct ProjectMemoV1<'a> {
    pub project: ProjectId,
    #[serde(default)]
    pub memo: Cow<'a, str>,
}

fn default_kind() -> Cow<'static, str> {
    Cow::Borrowed("interview")
}

fn default_origin() -> Cow<'static, str> {
    Cow::Borrowed("inductive")
}

/// A `sources` record (version 1); in the project file also carries `text`, and no
/// `project`/`position` (the array order is the order).
#[derive(Serialize, Deserialize)]
pub(crate) struct SourceV1<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    pub id: SourceId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    pub name: Cow<'a, str>,
    #[serde(default = "default_kind")]
    pub kind: Cow<'a, str>,
    #[serde(default)]
    pub memo: Cow<'a, str>,
    #[serde(default)]
    pub imported: Timestamp,
    #[serde(default)]
    pub file_name: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Cow<'a, str>>,
}

/// A `texts` record (version 1): the immutable text of one source.
#[derive(Serialize, Deserialize)]
pub(crate) struct TextV1<'a> {
    pub project: ProjectId,
    pub source: SourceId,
    pub text: Cow<'a, str>,
}

/// A `codes` record (version 1); in the project file without `project`/`position`.
#[derive(Serialize, Deserialize)]
pub(crate) struct CodeV1<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    pub id: CodeId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    pub name: Cow<'a, str>,
    #[serde(default)]
    pub parent: Option<CodeId>,
    #[serde(default)]
    pub color: Cow<'a, str>,
    #[serde(default)]
    pub description: Cow<'a, str>,
    #[serde(default = "default_origin")]
    pub origin: Cow<'a, str>,
    #[serde(default)]
    pub memo: Cow<'a, str>,
    #[serde(default)]
    pub created: Timestamp,
}

/// A `codings` record (version 1); in the project file without `project`.
#[derive(Serialize, Deserialize)]
pub(crate) struct CodingV1<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    pub id: CodingId,
    pub source: SourceId,
    pub code: CodeId,
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub coder: Cow<'a, str>,
    #[serde(default)]
    pub created: Timestamp,
}

/// The project inside the project file (version 1).
#[derive(Serialize, Deserialize)]
pub(crate) struct FileProjectV1<'a> {
    pub id: ProjectId,
    pub name: Cow<'a, str>,
    #[serde(default)]
    pub memo: Cow<'a, str>,
    #[serde(default)]
    pub created: Timestamp,
    #[serde(default)]
    pub modified: Timestamp,
    #[serde(default)]
    pub last_opened: Timestamp,
    #[serde(default)]
    pub sources: Vec<SourceV1<'a>>,
    #[serde(default)]
    pub codes: Vec<CodeV1<'a>>,
    #[serde(default)]
    pub codings: Vec<CodingV1<'a>>,
}

/// The project file body (version 1): `{format, version, project}`.
#[derive(Serialize, Deserialize)]
pub(crate) struct FileV1<'a> {
    pub project: FileProjectV1<'a>,
}

/// Reads `format` and `version`, refusing a different format or a newer version, then brings
/// the value up to [`CURRENT_VERSION`] and reads it as `T`. The one path every load takes.
fn migrate<T: DeserializeOwned>(kind: Kind, value: Value, what: &str) -> Result<T, LoadError> {
    let unreadable = |reason: String| LoadError::Unreadable {
        what: what.to_string(),
        reason,
    };
    let Value::Object(fields) = &value else {
        return Err(unreadable("it is not a JSON object".into()));
    };
    match fields.get("format").and_then(Value::as_str) {
        Some(format) if format == kind.format() => {}
        Some(other) => {
            return Err(unreadable(format!(
                "it is a “{other}” record, not a “{}” one",
                kind.format()
            )))
        }
        None => {
            return Err(unreadable(
                "it has no \"format\", so it is not a Framewise record".into(),
            ))
        }
    }
    let version = match fields.get("version").and_then(Value::as_u64) {
        Some(v) => u32::try_from(v).unwrap_or(u32::MAX),
        None => return Err(unreadable("it has no valid \"version\"".into())),
    };
    if version > CURRENT_VERSION {
        return Err(LoadError::NewerVersion {
            found: version,
            supported: CURRENT_VERSION,
            what: what.to_string(),
        });
    }
    if version == 0 {
        return Err(unreadable(
            "its \"version\" is 0, which never existed".into(),
        ));
    }
    // Upgrade steps go here, oldest first. Version 1 is the first saved format, so there are
    // none yet; version 2 will add `if version < 2 { value = v1_to_v2(kind, value)?; }`.
    serde_json::from_value(value).map_err(|e| unreadable(e.to_string()))
}

/// Parses a JSON string, then [`migrate`]s it.
fn parse_and_migrate<T: DeserializeOwned>(
    kind: Kind,
    json: &str,
    what: &str,
) -> Result<T, LoadError> {
    let value: Value = serde_json::from_str(json).map_err(|e| LoadError::Unreadable {
        what: what.to_string(),
        reason: format!("it is not valid JSON ({e})"),
    })?;
    migrate(kind, value, what)
}

/// The migrate function of `projects` records.
pub(crate) fn migrate_project_record(
    json: &str,
    what: &str,
) -> Result<ProjectRecordV1<'static>, LoadError> {
    parse_and_migrate(Kind::ProjectRecord, json, what)
}

/// The migrate function of `project_memos` records.
pub(crate) fn migrate_project_memo(
    json: &str,
    what: &str,
) -> Result<ProjectMemoV1<'static>, LoadError> {
    parse_and_migrate(Kind::ProjectMemo, json, what)
}

/// The migrate function of `sources` records.
pub(crate) fn migrate_source(json: &str, what: &str) -> Result<SourceV1<'static>, LoadError> {
    parse_and_migrate(Kind::Source, json, what)
}

/// The migrate function of `texts` records.
pub(crate) fn migrate_text(json: &str, what: &str) -> Result<TextV1<'static>, LoadError> {
    parse_and_migrate(Kind::Text, json, what)
}

/// The migrate function of `codes` records.
pub(crate) fn migrate_code(json: &str, what: &str) -> Result<CodeV1<'static>, LoadError> {
    parse_and_migrate(Kind::Code, json, what)
}

/// The migrate function of `codings` records.
pub(crate) fn migrate_coding(json: &str, what: &str) -> Result<CodingV1<'static>, LoadError> {
    parse_and_migrate(Kind::Coding, json, what)
}

/// The migrate function of project files. A file whose `format` is not a Framewise project gets
/// a reason that says so.
pub(crate) fn migrate_file(json: &str) -> Result<FileV1<'static>, LoadError> {
    let what = "the file";
    let value: Value = serde_json::from_str(json).map_err(|e| LoadError::Unreadable {
        what: what.into(),
        reason: format!("it is not a JSON file ({e})"),
    })?;
    match value.get("format").and_then(Value::as_str) {
        Some(super::PROJECT_FILE_FORMAT) => migrate(Kind::File, value, what),
        Some(other) => Err(LoadError::Unreadable {
            what: what.into(),
            reason: format!(
                "it is a “{other}” file, not a Framewise project file (\"format\": \"{}\")",
                super::PROJECT_FILE_FORMAT
            ),
        }),
        None => Err(LoadError::Unreadable {
            what: what.into(),
            reason: "it is not a Framewise project file (it has no \"format\")".into(),
        }),
    }
}
