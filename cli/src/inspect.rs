//! `framewise inspect`: what a project or a source file holds, as JSON or a short table.

use framewise_core::import::{self, ImportedText, Turn};
use framewise_core::refi::RefiReport;
use framewise_core::{Project, SourceId};
use serde_json::{json, Map, Value};

/// Speaker turns of an imported file, exactly as the app stores them on the new source: through
/// core's `to_source` (the format's own turns for subtitles, otherwise `detect_turns`).
pub fn turns_of(imported: &ImportedText) -> Vec<Turn> {
    let kind = import::guess_kind(&imported.file_name, &imported.text);
    import::to_source(imported, SourceId::from_random_bytes([0; 16]), kind, 0).turns
}

/// One speaker of a transcript: how many turns, how many characters they speak.
struct Speaker {
    name: String,
    turns: usize,
    characters: usize,
}

/// The summary of an importable source file (`format` is the importer's label).
pub fn source_summary(file: &str, format: &str, bytes: usize, imported: &ImportedText) -> Value {
    let text = imported.text.as_str();
    let turns = turns_of(imported);
    let mut speakers: Vec<Speaker> = Vec::new();
    let mut unattributed = 0;
    for turn in &turns {
        let characters = text
            .get(turn.span.start..turn.span.end)
            .map_or(0, |s| s.chars().count());
        let Some(name) = &turn.speaker else {
            unattributed += 1;
            continue;
        };
        match speakers.iter_mut().find(|s| &s.name == name) {
            Some(s) => {
                s.turns += 1;
                s.characters += characters;
            }
            None => speakers.push(Speaker {
                name: name.clone(),
                turns: 1,
                characters,
            }),
        }
    }
    let first_ms = turns.iter().filter_map(|t| t.start_ms).min();
    let last_ms = turns.iter().filter_map(|t| t.end_ms.or(t.start_ms)).max();
    let paragraphs = text.lines().filter(|l| !l.trim().is_empty()).count();
    json!({
        "type": "source",
        "file": file,
        "format": format,
        "encoding": imported.encoding,
        "bytes": bytes,
        "characters": text.chars().count(),
        "paragraphs": paragraphs,
        "turns": turns.len(),
        "unattributed_turns": unattributed,
        "speakers": speakers.iter().map(|s| json!({
            "name": s.name,
            "turns": s.turns,
            "characters": s.characters,
        })).collect::<Vec<_>>(),
        "first_timestamp_ms": first_ms,
        "last_timestamp_ms": last_ms,
        "notices": imported.notices,
    })
}

/// Quote references in matrix summaries whose coding no longer exists, one sentence per matrix.
fn broken_references(project: &Project) -> (usize, Vec<String>) {
    let mut total = 0;
    let mut sentences = Vec::new();
    for matrix in &project.matrices {
        let summaries = matrix
            .cells
            .values()
            .flat_map(|row| row.values())
            .chain(matrix.case_summaries.values());
        let n: usize = summaries
            .map(|s| framewise_core::matrix::broken_references(project, s).len())
            .sum();
        if n > 0 {
            total += n;
            sentences.push(format!(
                "matrix “{}”: {n} quote reference(s) to codings that no longer exist",
                matrix.name
            ));
        }
    }
    (total, sentences)
}

/// The summary of a project (`format` names the file kind): counts and the problems found.
pub fn project_summary(
    file: &str,
    format: &str,
    project: &Project,
    report: Option<&RefiReport>,
    warnings: &[String],
) -> Value {
    let mut problems: Vec<String> = warnings.to_vec();
    let (broken, broken_sentences) = broken_references(project);
    if let Some(r) = report {
        problems.extend(r.unplaced.iter().cloned());
        problems.extend(r.problems.iter().cloned());
        for (kind, n) in &r.skipped_sources {
            problems.push(format!("{n} source(s) skipped: {kind}"));
        }
        if r.unattached_notes > 0 {
            problems.push(format!(
                "{} note(s) not attached to anything Framewise holds",
                r.unattached_notes
            ));
        }
    }
    problems.extend(broken_sentences);
    json!({
        "type": "project",
        "file": file,
        "format": format,
        "name": project.name,
        "origin": report.and_then(|r| r.origin.clone()),
        "sources": project.sources.len(),
        "codes": project.codes.len(),
        "codings": project.coding_count(),
        "cases": project.cases.len(),
        "attributes": project.attributes.len(),
        "matrices": project.matrices.len(),
        "sets": project.sets.len(),
        "annotations": project.annotations.len(),
        "users": report.map(|r| r.users),
        "skipped_sources": report.map(|r| r.skipped_sources.clone()).unwrap_or_default(),
        "unplaced_selections": report.map_or(0, |r| r.unplaced.len()),
        "unattached_notes": report.map_or(0, |r| r.unattached_notes),
        "broken_quote_references": broken,
        "problems": problems,
    })
}

/// A time in milliseconds as `H:MM:SS` (with `.mmm` when not whole seconds).
pub fn clock(ms: u64) -> String {
    let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if milli == 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{h}:{m:02}:{s:02}.{milli:03}")
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_string(),
        other => other.to_string(),
    }
}

fn count(v: Option<&Value>) -> u64 {
    v.and_then(Value::as_u64).unwrap_or(0)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary as a short table for people: one `label  value` line per fact, lists indented.
pub fn table(summary: &Value) -> String {
    let empty = Map::new();
    let map = summary.as_object().unwrap_or(&empty);
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |label: &str, value: String| rows.push((label.to_string(), value));
    let get = |k: &str| map.get(k).unwrap_or(&Value::Null);
    let source = get("type").as_str() == Some("source");
    let keys: &[&str] = if source {
        &[
            "file",
            "format",
            "encoding",
            "characters",
            "paragraphs",
            "turns",
        ]
    } else {
        &[
            "file",
            "format",
            "name",
            "origin",
            "sources",
            "codes",
            "codings",
            "cases",
            "attributes",
            "matrices",
            "sets",
            "annotations",
            "users",
        ]
    };
    for &k in keys {
        let v = get(k);
        if !v.is_null() {
            row(k, plain(v));
        }
    }
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    if source {
        match (
            get("first_timestamp_ms").as_u64(),
            get("last_timestamp_ms").as_u64(),
        ) {
            (Some(a), Some(b)) => row("timestamps", format!("{} – {}", clock(a), clock(b))),
            (Some(a), None) | (None, Some(a)) => row("timestamps", clock(a)),
            (None, None) => {}
        }
        let speakers = get("speakers").as_array().cloned().unwrap_or_default();
        let width = speakers
            .iter()
            .filter_map(|s| s["name"].as_str())
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0);
        let turn_words: Vec<String> = speakers
            .iter()
            .map(|s| plural(count(s.get("turns")), "turn", "turns"))
            .collect();
        let turn_width = turn_words.iter().map(String::len).max().unwrap_or(0);
        let lines = speakers
            .iter()
            .zip(&turn_words)
            .map(|(s, turns)| {
                let name = s["name"].as_str().unwrap_or_default();
                let pad = " ".repeat(width.saturating_sub(name.chars().count()));
                format!(
                    "{name}{pad}  {turns:<turn_width$}  {}",
                    plural(count(s.get("characters")), "character", "characters")
                )
            })
            .collect();
        row("speakers", speakers.len().to_string());
        lists.push(("speakers".into(), lines));
        let unattributed = count(map.get("unattributed_turns"));
        if unattributed > 0 {
            row("no speaker", plural(unattributed, "turn", "turns"));
        }
        let notices = string_list(get("notices"));
        row("notices", notices.len().to_string());
        lists.push(("notices".into(), notices));
    } else {
        if let Some(skipped) = get("skipped_sources").as_object() {
            for (kind, n) in skipped {
                row("skipped", format!("{} source(s): {kind}", plain(n)));
            }
        }
        let problems = string_list(get("problems"));
        row("problems", problems.len().to_string());
        lists.push(("problems".into(), problems));
    }
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (k, v) in &rows {
        out.push_str(&format!("{k:<width$}  {v}\n"));
        if let Some((_, items)) = lists.iter().find(|(name, _)| name == k) {
            for item in items {
                let bullet = if k == "speakers" { "" } else { "- " };
                out.push_str(&format!("  {bullet}{item}\n"));
            }
        }
    }
    out
}

fn string_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(plain).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_formats() {
        assert_eq!(clock(0), "0:00:00");
        assert_eq!(clock(1130), "0:00:01.130");
        assert_eq!(clock(11 * 3_600_000 + 2 * 60_000 + 9_000), "11:02:09");
    }

    #[test]
    fn table_of_a_source() {
        let imported = import::import_file("t.txt", b"D: Hello there.\n\nP: Hi.\n\nD: Fine?\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let summary = source_summary("t.txt", "Plain text", 30, &imported);
        assert_eq!(summary["turns"], 3);
        assert_eq!(summary["speakers"][0]["name"], "D");
        assert_eq!(summary["speakers"][0]["turns"], 2);
        assert_eq!(summary["speakers"][0]["characters"], 17);
        assert_eq!(summary["paragraphs"], 3);
        let t = table(&summary);
        assert!(t.contains("turns       3\n"), "{t}");
        assert!(t.contains("  D  2 turns"), "{t}");
        assert!(t.contains("notices     0\n"), "{t}");
    }
}
