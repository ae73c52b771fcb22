//! Upgrading data saved by older versions of Framewise (feature `migrate`: the worker, the CLI,
//! native tools and the tests; not the app's main wasm). Every load with this feature brings an
//! older record up to [`CURRENT_VERSION`] here ([`upgrade_value`], called by the one migrate
//! function in `saved.rs`); the app, built without it, reads the current version and the older
//! records whose upgrade only fills defaults, and sends the others' JSON to its worker, which
//! answers with [`upgrade`] (`Request::Upgrade`). Nothing here writes: an upgraded record is
//! stored again only when a later change rewrites it, as before.

use super::{turns_body, version_of, Kind};
use crate::persist::CURRENT_VERSION;
use serde_json::Value;

/// Version 1 to 2: sources, texts, codes, codings and project memos are unchanged; the project
/// record gains the `cases` and `matrices` counts and the project file gains `attributes`,
/// `cases`, `matrices` and `sets` — a version-1 project simply has none of them.
fn v1_to_v2(kind: Kind, mut value: Value) -> Value {
    if let Value::Object(fields) = &mut value {
        match kind {
            Kind::ProjectRecord => {
                for key in ["cases", "matrices"] {
                    fields.entry(key).or_insert(Value::from(0));
                }
            }
            Kind::File => {
                if let Some(Value::Object(project)) = fields.get_mut("project") {
                    for key in ["attributes", "cases", "matrices", "sets"] {
                        project.entry(key).or_insert(Value::Array(Vec::new()));
                    }
                }
            }
            _ => {}
        }
        fields.insert("version".into(), Value::from(2));
    }
    value
}

/// Version 2 to 3: sources gain speaker turns (in `texts` records and in the project file),
/// cases gain linked speakers, matrices the speakers they leave out, and the project its
/// pseudonymisation key. Speaker links, excluded speakers and the key default to empty; the
/// turns of an older source are found in its text as an import would find them
/// ([`crate::import::detect_turns`]), so a transcript imported before version 3 shows its
/// speakers too. (The record is rewritten only when the source changes; until then the turns
/// are found again at each load.)
fn v2_to_v3(kind: Kind, mut value: Value) -> Value {
    if let Value::Object(fields) = &mut value {
        match kind {
            Kind::Text => add_detected_turns(fields),
            Kind::File => {
                if let Some(Value::Array(sources)) =
                    fields.get_mut("project").and_then(|p| p.get_mut("sources"))
                {
                    for source in sources {
                        if let Value::Object(source) = source {
                            add_detected_turns(source);
                        }
                    }
                }
            }
            _ => {}
        }
        fields.insert("version".into(), Value::from(3));
    }
    value
}

/// Adds `turns` found in `text` to a version-2 text record or project-file source.
fn add_detected_turns(fields: &mut serde_json::Map<String, Value>) {
    if fields.contains_key("turns") {
        return;
    }
    let Some(text) = fields.get("text").and_then(Value::as_str) else {
        return;
    };
    let turns = crate::import::detect_turns(text);
    if turns.is_empty() {
        return;
    }
    let saved = turns_body(&turns);
    if let Ok(json) = serde_json::to_value(saved) {
        fields.insert("turns".into(), json);
    }
}

/// The upgrade steps, oldest first, from `version` (checked by `version_of`) to
/// [`CURRENT_VERSION`].
pub(super) fn upgrade_value(kind: Kind, version: u32, mut value: Value) -> Value {
    if version < 2 {
        value = v1_to_v2(kind, value);
    }
    if version < 3 {
        value = v2_to_v3(kind, value);
    }
    if version < 4 {
        // Version 4 added annotations to sources: an older source simply has none.
        if let Value::Object(fields) = &mut value {
            fields.insert("version".into(), Value::from(4));
        }
    }
    value
}

/// One stored record or project file (its JSON text, any kind: its `format` says which) brought
/// up to [`CURRENT_VERSION`], as the JSON text the current version reads. Anything else — the
/// current or a newer version, not JSON, an unknown format, an impossible version — comes back
/// unchanged, so that the reader reports it exactly as it would have: the worker's answer to
/// `Request::Upgrade`.
pub fn upgrade(json: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(json) else {
        return json.to_string();
    };
    let format = value.get("format").and_then(Value::as_str);
    let Some(kind) = Kind::ALL.into_iter().find(|k| Some(k.format()) == format) else {
        return json.to_string();
    };
    match version_of(kind, &value, "") {
        Ok(version) if version < CURRENT_VERSION => {
            serde_json::to_string(&upgrade_value(kind, version, value))
                .unwrap_or_else(|_| json.to_string())
        }
        _ => json.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::{
        needs_upgrade, AttributeV2, CaseSummaryV2, CaseV3, CellV2, CodeV1, CodingV1, FileV4,
        MatrixV3, ProjectMemoV1, ProjectRecordV4, SetV2, SourceV4, TextV3,
    };
    use super::*;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::collections::BTreeMap;

    const FIXTURES: [(&str, &str); 3] = [
        (
            include_str!("../../../tests/fixtures/persist/v1-records.json"),
            include_str!("../../../tests/fixtures/persist/v1-project.framewise.json"),
        ),
        (
            include_str!("../../../tests/fixtures/persist/v2-records.json"),
            include_str!("../../../tests/fixtures/persist/v2-project.framewise.json"),
        ),
        (
            include_str!("../../../tests/fixtures/persist/v3-records.json"),
            include_str!("../../../tests/fixtures/persist/v3-project.framewise.json"),
        ),
    ];

    /// `value` read as `T` and written again: what the current reader makes of it.
    fn read<T: DeserializeOwned + Serialize>(value: Value) -> Value {
        let read: T = serde_json::from_value(value).expect("the fixture reads");
        serde_json::to_value(read).expect("it writes")
    }

    fn read_as(kind: Kind, value: Value) -> Value {
        match kind {
            Kind::ProjectRecord => read::<ProjectRecordV4<'static>>(value),
            Kind::ProjectMemo => read::<ProjectMemoV1<'static>>(value),
            Kind::Source => read::<SourceV4<'static>>(value),
            Kind::Text => read::<TextV3<'static>>(value),
            Kind::Code => read::<CodeV1<'static>>(value),
            Kind::Coding => read::<CodingV1<'static>>(value),
            Kind::Case => read::<CaseV3<'static>>(value),
            Kind::Attribute => read::<AttributeV2<'static>>(value),
            Kind::Matrix => read::<MatrixV3<'static>>(value),
            Kind::MatrixCell => read::<CellV2<'static>>(value),
            Kind::CaseSummary => read::<CaseSummaryV2<'static>>(value),
            Kind::Set => read::<SetV2<'static>>(value),
            Kind::File => read::<FileV4<'static>>(value),
        }
    }

    /// Every record and file of the committed older fixtures: `(kind, version, value)`.
    fn fixture_values() -> Vec<(Kind, u32, Value)> {
        let mut out = Vec::new();
        for (records, file) in FIXTURES {
            let stores: BTreeMap<String, Vec<String>> = serde_json::from_str(records).unwrap();
            for json in stores.values().flatten().map(String::as_str).chain([file]) {
                let value: Value = serde_json::from_str(json).unwrap();
                let format = value["format"].as_str().unwrap().to_string();
                let kind = Kind::ALL
                    .into_iter()
                    .find(|k| k.format() == format)
                    .unwrap();
                let version = version_of(kind, &value, "a fixture").unwrap();
                out.push((kind, version, value));
            }
        }
        out
    }

    /// The app reads an older record without `migrate` exactly when [`needs_upgrade`] says so:
    /// for every other record of the older fixtures, reading it as it is gives what reading it
    /// upgraded gives. (And the listed ones do change, so the list is not merely long.)
    #[test]
    fn only_listed_records_change_when_upgraded() {
        let mut changed = 0;
        let values = fixture_values();
        assert!(values.len() > 30, "{} fixture records", values.len());
        for (kind, version, value) in values {
            let as_is = read_as(kind, value.clone());
            let upgraded = read_as(kind, upgrade_value(kind, version, value));
            if needs_upgrade(kind, version) {
                changed += usize::from(as_is != upgraded);
            } else {
                assert_eq!(as_is, upgraded, "a version-{version} {kind:?} record");
            }
        }
        // The version-1 and -2 fixtures' transcripts get speaker turns: texts and files.
        assert!(changed >= 4, "{changed} records changed by their upgrade");
    }

    #[test]
    fn upgrade_brings_older_records_to_the_current_version_and_leaves_the_rest() {
        for (kind, version, value) in fixture_values() {
            let json = serde_json::to_string(&value).unwrap();
            let upgraded: Value = serde_json::from_str(&upgrade(&json)).unwrap();
            assert_eq!(upgraded["version"], CURRENT_VERSION, "{kind:?} v{version}");
            assert_eq!(upgraded, upgrade_value(kind, version, value));
        }
        for json in [
            "not json",
            "[1, 2]",
            r#"{"format": "framewise-text", "version": 99, "text": "A: hi\nB: ho"}"#,
            r#"{"format": "framewise-text", "version": 0, "text": "A: hi\nB: ho"}"#,
            r#"{"format": "framewise-case", "version": 1}"#,
            r#"{"format": "someone-else", "version": 1}"#,
            r#"{"format": "framewise-code", "version": 4, "name": "unchanged"}"#,
        ] {
            assert_eq!(upgrade(json), json);
        }
    }
}
