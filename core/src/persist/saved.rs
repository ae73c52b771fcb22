//! Saved-format types, separate from the domain types so the domain can change without breaking
//! stored projects, and the migrate functions that read them. `Cow` fields let writing borrow
//! from the project (no copy of a transcript) while reading gets owned values. Each type is
//! named after the format version in which its shape last changed (`SourceV4` is still what
//! version 2 writes for a source).

use super::{LoadError, CURRENT_VERSION};

use crate::ids::{
    AnnotationId, AttributeId, CaseId, CodeId, CodingId, MatrixId, ProjectId, SetId, SourceId,
};
use crate::project::{Timestamp, Turn};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The upgrade steps from older format versions (feature `migrate`; not in the app's main wasm).
#[cfg(feature = "migrate")]
mod migrate;
#[cfg(feature = "migrate")]
pub use migrate::upgrade;

/// A record kind: its `"format"` string and how a researcher would call it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    ProjectRecord,
    ProjectMemo,
    Source,
    Text,
    Code,
    Coding,
    Case,
    Attribute,
    Matrix,
    MatrixCell,
    CaseSummary,
    Set,
    File,
}

impl Kind {
    /// Every kind, stored records first.
    #[cfg(feature = "migrate")]
    pub(crate) const ALL: [Kind; 13] = [
        Self::ProjectRecord,
        Self::ProjectMemo,
        Self::Source,
        Self::Text,
        Self::Code,
        Self::Coding,
        Self::Case,
        Self::Attribute,
        Self::Matrix,
        Self::MatrixCell,
        Self::CaseSummary,
        Self::Set,
        Self::File,
    ];

    pub(crate) fn format(self) -> &'static str {
        match self {
            Self::ProjectRecord => "framewise-project-record",
            Self::ProjectMemo => "framewise-project-memo",
            Self::Source => "framewise-source",
            Self::Text => "framewise-text",
            Self::Code => "framewise-code",
            Self::Coding => "framewise-coding",
            Self::Case => "framewise-case",
            Self::Attribute => "framewise-attribute",
            Self::Matrix => "framewise-matrix",
            Self::MatrixCell => "framewise-matrix-cell",
            Self::CaseSummary => "framewise-case-summary",
            Self::Set => "framewise-set",
            Self::File => super::PROJECT_FILE_FORMAT,
        }
    }

    /// The first format version that has this record kind.
    fn since(self) -> u32 {
        match self {
            Self::Case
            | Self::Attribute
            | Self::Matrix
            | Self::MatrixCell
            | Self::CaseSummary
            | Self::Set => 2,
            _ => 1,
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

/// The `projects` record (format version 4: version 1, plus the `cases` and `matrices` counts
/// since version 2, plus the pseudonymisation key since version 3, plus the saved searches since
/// version 4).
#[derive(Serialize, Deserialize)]
pub(crate) struct ProjectRecordV4<'a> {
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
    #[serde(default)]
    pub cases: usize,
    #[serde(default)]
    pub matrices: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pseudonyms: Vec<PseudonymV3<'a>>,
    /// Saved searches (since version 4), each a [`crate::model::query::SavedQuery`] read on its
    /// own, so one that cannot be read is left out with a warning instead of refusing the project.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<Value>,
}

/// One entry of the pseudonymisation key (since version 3).
#[derive(Serialize, Deserialize)]
pub(crate) struct PseudonymV3<'a> {
    pub real: Cow<'a, str>,
    pub pseudonym: Cow<'a, str>,
}

/// One speaker turn (since version 3): `start`/`end` are UTF-8 byte offsets into the source
/// text, like coding spans; times in milliseconds.
#[derive(Serialize, Deserialize)]
pub(crate) struct TurnV3<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Cow<'a, str>>,
    pub start: usize,
    pub end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<u64>,
}

/// The saved form of speaker turns.
pub(crate) fn turns_body(turns: &[Turn]) -> Vec<TurnV3<'_>> {
    turns
        .iter()
        .map(|t| TurnV3 {
            speaker: t.speaker.as_deref().map(Cow::Borrowed),
            start: t.span.start,
            end: t.span.end,
            start_ms: t.start_ms,
            end_ms: t.end_ms,
        })
        .collect()
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

/// A `sources` record (version 4 added its `annotations`); in the project file it also carries
/// `text` and (since version 3) `turns`, and no `project`/`position` (the array order is the
/// order).
#[derive(Serialize, Deserialize)]
pub(crate) struct SourceV4<'a> {
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turns: Vec<TurnV3<'a>>,
    /// Annotations of the source's passages and codings (since version 4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<AnnotationV4<'a>>,
}

/// An annotation, inside its source's record (`sources`) and in the project file's source.
#[derive(Serialize, Deserialize)]
pub(crate) struct AnnotationV4<'a> {
    pub id: AnnotationId,
    pub start: usize,
    pub end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coding: Option<CodingId>,
    pub text: Cow<'a, str>,
    #[serde(default)]
    pub created: Timestamp,
}

/// A `texts` record: the text of one source (version 1) and its speaker turns (since version
/// 3), rewritten only when the text or its turns change.
#[derive(Serialize, Deserialize)]
pub(crate) struct TextV3<'a> {
    pub project: ProjectId,
    pub source: SourceId,
    pub text: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turns: Vec<TurnV3<'a>>,
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

fn default_true() -> bool {
    true
}

/// A `cases` record (since version 2; `speakers` since version 3); in the project file without
/// `project`/`position`.
/// `values` maps attribute ids to `{"type": "text"|"number"|"date"|"yes_no"|"category",
/// "value": ...}`, read leniently (a value that does not fit is left out with a warning).
#[derive(Serialize, Deserialize)]
pub(crate) struct CaseV3<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    pub id: CaseId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    pub name: Cow<'a, str>,
    #[serde(default)]
    pub parent: Option<CaseId>,
    #[serde(default)]
    pub sources: Vec<SourceId>,
    #[serde(default)]
    pub memo: Cow<'a, str>,
    #[serde(default)]
    pub values: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<SpeakerLinkV3<'a>>,
    #[serde(default)]
    pub created: Timestamp,
}

/// A speaker of a source linked to a case (since version 3).
#[derive(Serialize, Deserialize)]
pub(crate) struct SpeakerLinkV3<'a> {
    pub source: SourceId,
    pub speaker: Cow<'a, str>,
}

/// An `attributes` record (since version 2): `kind` is `text`, `number`, `date`, `yes_no` or
/// `category` (then with its `categories` in order).
#[derive(Serialize, Deserialize)]
pub(crate) struct AttributeV2<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    pub id: AttributeId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    pub name: Cow<'a, str>,
    #[serde(default = "default_text")]
    pub kind: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Cow<'a, str>>,
}

fn default_text() -> Cow<'static, str> {
    Cow::Borrowed("text")
}

fn default_all() -> RowsV2<'static> {
    RowsV2 {
        kind: Cow::Borrowed("all"),
        cases: Vec::new(),
        filters: Vec::new(),
    }
}

/// Which cases are a matrix's rows: `{"type": "all"}`, `{"type": "cases", "cases": [...]}` or
/// `{"type": "filter", "filters": [...]}`.
#[derive(Serialize, Deserialize)]
pub(crate) struct RowsV2<'a> {
    #[serde(rename = "type")]
    pub kind: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<CaseId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<FilterV2<'a>>,
}

/// One row filter: `op` is `equals`, `not_equals`, `less` or `greater`; `value` as in cases.
#[derive(Serialize, Deserialize)]
pub(crate) struct FilterV2<'a> {
    pub attribute: AttributeId,
    pub op: Cow<'a, str>,
    pub value: Value,
}

/// A `matrices` record (since version 2; `exclude_speakers` since version 3): the definition
/// only. Cell and case summaries are
/// records of their own (`matrix_cells`, `case_summaries`); in the project file they are
/// carried inside the matrix as `cells` and `case_summaries`.
#[derive(Serialize, Deserialize)]
pub(crate) struct MatrixV3<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    pub id: MatrixId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    pub name: Cow<'a, str>,
    #[serde(default = "default_all")]
    pub rows: RowsV2<'a>,
    #[serde(default)]
    pub columns: Vec<CodeId>,
    #[serde(default)]
    pub group_by: Option<AttributeId>,
    #[serde(default = "default_true")]
    pub include_subcases: bool,
    #[serde(default = "default_true")]
    pub include_child_codes: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_speakers: Vec<Cow<'a, str>>,
    #[serde(default)]
    pub created: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cells: Option<Vec<CellV2<'a>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_summaries: Option<Vec<CaseSummaryV2<'a>>>,
}

/// A `matrix_cells` record (since version 2): one non-empty cell summary, under the key
/// `{matrix}/{case}/{code}`. In the project file without `project`/`matrix`.
#[derive(Serialize, Deserialize)]
pub(crate) struct CellV2<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<MatrixId>,
    pub case: CaseId,
    pub code: CodeId,
    #[serde(default)]
    pub summary: Cow<'a, str>,
}

/// A `case_summaries` record (since version 2): one non-empty case summary of a matrix row,
/// under the key `{matrix}/{case}`. In the project file without `project`/`matrix`.
#[derive(Serialize, Deserialize)]
pub(crate) struct CaseSummaryV2<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<MatrixId>,
    pub case: CaseId,
    #[serde(default)]
    pub summary: Cow<'a, str>,
}

/// A `sets` record (since version 2); in the project file without `project`/`position`.
#[derive(Serialize, Deserialize)]
pub(crate) struct SetV2<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    pub id: SetId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    pub name: Cow<'a, str>,
    #[serde(default)]
    pub description: Cow<'a, str>,
    #[serde(default)]
    pub codes: Vec<CodeId>,
    #[serde(default)]
    pub created: Timestamp,
}

/// The project inside the project file (version 2: version 1 plus cases, attributes, matrices
/// with their summaries, and sets; version 3: plus the pseudonymisation key; version 4: plus
/// saved searches).
#[derive(Serialize, Deserialize)]
pub(crate) struct FileProjectV4<'a> {
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
    pub sources: Vec<SourceV4<'a>>,
    #[serde(default)]
    pub codes: Vec<CodeV1<'a>>,
    #[serde(default)]
    pub codings: Vec<CodingV1<'a>>,
    #[serde(default)]
    pub attributes: Vec<AttributeV2<'a>>,
    #[serde(default)]
    pub cases: Vec<CaseV3<'a>>,
    #[serde(default)]
    pub matrices: Vec<MatrixV3<'a>>,
    #[serde(default)]
    pub sets: Vec<SetV2<'a>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pseudonyms: Vec<PseudonymV3<'a>>,
    /// Saved searches (since version 4), as in the `projects` record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<Value>,
}

/// The project file body: `{format, version, project}`.
#[derive(Serialize, Deserialize)]
pub(crate) struct FileV4<'a> {
    pub project: FileProjectV4<'a>,
}

/// Reads `format` and `version`: the version of a record of `kind`, or why it cannot be read
/// (a different format, no valid version, a newer version, a version before the kind existed).
pub(crate) fn version_of(kind: Kind, value: &Value, what: &str) -> Result<u32, LoadError> {
    let unreadable = |reason: String| LoadError::Unreadable {
        what: what.to_string(),
        reason,
    };
    let Value::Object(fields) = value else {
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
    if version < kind.since() {
        return Err(unreadable(format!(
            "it claims version {version}, but “{}” records exist only since version {}",
            kind.format(),
            kind.since()
        )));
    }
    Ok(version)
}

/// Whether a record of `kind` saved at `version` needs an upgrade step that adds more than
/// its fields' defaults: version 2 to 3 finds speaker turns in texts (`texts` records and the
/// project file's sources). Every other step only adds fields whose serde defaults are what it
/// fills in (counts of 0, empty lists) or just raises the version, so such a record reads as it
/// is. Only these records need `migrate.rs`, which the app leaves to its worker
/// ([`LoadError::OlderVersion`]); a migration step that adds more must be listed here (the test
/// `only_listed_records_change_when_upgraded` in `migrate.rs` checks the fixtures).
#[cfg_attr(feature = "migrate", allow(dead_code))]
pub(crate) fn needs_upgrade(kind: Kind, version: u32) -> bool {
    version < 3 && matches!(kind, Kind::Text | Kind::File)
}

/// Checks `format` and `version` ([`version_of`]), brings an older record up to
/// [`CURRENT_VERSION`] and reads it as `T`. The one path every load takes. Without the feature
/// `migrate` (the app), a record that [`needs_upgrade`] is refused as
/// [`LoadError::OlderVersion`], for the worker to upgrade.
fn migrate<T: DeserializeOwned>(kind: Kind, value: Value, what: &str) -> Result<T, LoadError> {
    let version = version_of(kind, &value, what)?;
    #[cfg(feature = "migrate")]
    let value = migrate::upgrade_value(kind, version, value);
    #[cfg(not(feature = "migrate"))]
    if needs_upgrade(kind, version) {
        return Err(LoadError::OlderVersion {
            found: version,
            what: what.to_string(),
        });
    }
    serde_json::from_value(value).map_err(|e| LoadError::Unreadable {
        what: what.to_string(),
        reason: e.to_string(),
    })
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

/// A stored record type and the kind it is saved as, so that one [`migrate_record`] reads every
/// kind of record.
pub(crate) trait Record: DeserializeOwned {
    const KIND: Kind;
}

/// Which [`Kind`] each record type is saved as (`type => kind`).
macro_rules! record_kinds {
    ($($record:ident => $kind:ident),* $(,)?) => {
        $(impl Record for $record<'static> {
            const KIND: Kind = Kind::$kind;
        })*
    };
}

record_kinds! {
    ProjectRecordV4 => ProjectRecord,
    ProjectMemoV1 => ProjectMemo,
    SourceV4 => Source,
    TextV3 => Text,
    CodeV1 => Code,
    CodingV1 => Coding,
    CaseV3 => Case,
    AttributeV2 => Attribute,
    MatrixV3 => Matrix,
    CellV2 => MatrixCell,
    CaseSummaryV2 => CaseSummary,
    SetV2 => Set,
}

/// The migrate function of every stored record kind (`projects`, `project_memos`, `sources`,
/// `texts`, `codes`, `codings`, `cases`, `attributes`, `matrices`, `matrix_cells`,
/// `case_summaries`, `sets`): the record type says which.
pub(crate) fn migrate_record<T: Record>(json: &str, what: &str) -> Result<T, LoadError> {
    parse_and_migrate(T::KIND, json, what)
}

/// The migrate function of project files. A file whose `format` is not a Framewise project gets
/// a reason that says so.
pub(crate) fn migrate_file(json: &str) -> Result<FileV4<'static>, LoadError> {
    let what = super::FILE_WHAT;
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
