//! Codes the meeting corpus (shared/corpus/meetings: AMI and ICSI transcripts) by keyword lists,
//! so `framewise suggest-eval` has a coded project of real talk to measure suggestions on.
//!
//! ```text
//! cargo run --release -p framewise-cli --example code_meetings -- ../shared/corpus/meetings meetings.framewise.json
//! cargo run --release -p framewise-cli --bin framewise -- suggest-eval meetings.framewise.json
//! ```
//!
//! Each `.txt` is read by the app's own importer (speaker turns detected); each code below is
//! applied by core's auto-coding (`autocode::find_plain`, whole words, any case) to the
//! **sentence** around every occurrence of one of its keywords. Keyword coding is a stand-in for
//! a researcher: it is consistent and lexical, so the figures say how well the model finds more
//! passages like the coded ones, not how well it would follow a human's judgement.

use framewise_core::autocode::{self, find_plain, Scope};
use framewise_core::import::{import_file, to_source};
use framewise_core::persist::{to_project_file, ProjectMeta};
use framewise_core::IdSource;
use framewise_core::{apply, Code, CodeOrigin, Project, SeqIds, SourceKind};
use std::sync::Arc;

/// The codes and their keywords.
const CODES: &[(&str, &[&str])] = &[
    (
        "Cost and budget",
        &[
            "cost",
            "costs",
            "price",
            "budget",
            "euro",
            "euros",
            "expensive",
            "cheap",
            "money",
            "profit",
        ],
    ),
    (
        "Look and feel",
        &[
            "colour", "colours", "color", "shape", "fancy", "style", "curved", "rubber", "spongy",
        ],
    ),
    (
        "Buttons and controls",
        &["button", "buttons", "scroll", "wheel", "joystick", "menu"],
    ),
    (
        "Batteries and power",
        &["battery", "batteries", "solar", "kinetic", "charger"],
    ),
    (
        "Speech recognition",
        &[
            "speech",
            "recognition",
            "recogniser",
            "recognizer",
            "microphone",
            "acoustic",
        ],
    ),
    (
        "Data and experiments",
        &[
            "data",
            "experiment",
            "experiments",
            "corpus",
            "training",
            "results",
        ],
    ),
    (
        "Users and market",
        &[
            "users",
            "market",
            "customers",
            "consumers",
            "trend",
            "trends",
        ],
    ),
];

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        return Err("usage: code_meetings CORPUS_DIR OUT.framewise.json".into());
    };
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{dir}: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let mut ids = SeqIds::new(1);
    let now = 1_700_000_000_000;
    let mut project = Project::new(ids.project_id(), "Meetings (keyword-coded)", now);
    for path in &names {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let imported = import_file(&name, &bytes).map_err(|e| format!("{name}: {e}"))?;
        let source = to_source(&imported, ids.source_id(), SourceKind::Interview, now);
        project.sources.push(Arc::new(source));
    }
    let mut total = 0;
    for (name, keywords) in CODES {
        let code = Code {
            id: ids.code_id(),
            name: (*name).into(),
            parent: None,
            color: "#0072b2".into(),
            description: format!("Sentences with: {}", keywords.join(", ")),
            origin: CodeOrigin::Deductive,
            memo: String::new(),
            created: now,
        };
        let id = code.id;
        let hits: Vec<_> = project
            .sources
            .iter()
            .map(|s| {
                let mut spans: Vec<_> = keywords
                    .iter()
                    .flat_map(|k| find_plain(&s.text, k, true, true))
                    .collect();
                spans.sort();
                (s.id, spans)
            })
            .collect();
        let codings = autocode::matches(
            &project,
            &hits,
            id,
            Scope::Sentence,
            "keywords",
            now,
            &mut ids,
        );
        total += codings.len();
        eprintln!("{name}: {} sentences", codings.len());
        project = apply(
            &project,
            autocode::action(format!("Code {name}"), Some(code), codings),
        )
        .map_err(|e| e.to_string())?;
    }
    std::fs::write(out, to_project_file(&project, &ProjectMeta::new(now)))
        .map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "{} sources, {total} codings written to {out}",
        project.sources.len()
    );
    Ok(())
}
