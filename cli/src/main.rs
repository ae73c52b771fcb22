//! `framewise-cli`: the command-line tool on top of framewise-core. All file I/O lives here.
//! (Not named `framewise`: the web app's native binary target already has that name in this
//! workspace, and two binaries with one name overwrite each other in `target/`.)
//!
//! ```text
//! framewise-cli inspect FILE [--json]
//! framewise-cli convert IN OUT                 (.qdpx, .qdc, .framewise.json)
//! framewise-cli export matrix PROJECT --matrix NAME --csv
//! framewise-cli merge-codebook PROJECT CODEBOOK [--out OUT]
//! ```
#![allow(clippy::print_stdout)]

use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
use framewise_core::refi::{
    export_qdc, export_qdpx, import_qdc, import_qdpx, plan_codebook_merge, MatchedBy, RefiReport,
};
use framewise_core::{IdSource, Project, Timestamp};
use serde_json::{json, Value};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage:
  framewise-cli inspect FILE [--json]
  framewise-cli convert IN OUT        (IN/OUT: .qdpx, .qdc or .framewise.json)
  framewise-cli export matrix PROJECT --matrix NAME --csv
  framewise-cli merge-codebook PROJECT CODEBOOK [--out OUT]   (shows the plan; --out writes the merged project)";

/// Ids from the standard library's randomly keyed hasher.
struct RandomIds {
    state: RandomState,
    counter: u64,
}

impl RandomIds {
    fn new() -> Self {
        Self {
            state: RandomState::new(),
            counter: 0,
        }
    }
    fn next_u64(&mut self) -> u64 {
        self.counter += 1;
        let mut h = self.state.build_hasher();
        h.write_u64(self.counter);
        h.finish()
    }
}

impl IdSource for RandomIds {
    fn next_bytes(&mut self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        b
    }
}

fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// What kind of file a path is, by its name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Qdpx,
    Qdc,
    Project,
    Other,
}

fn kind_of(path: &str) -> Kind {
    let lower = path.to_lowercase();
    if lower.ends_with(".qdpx") {
        Kind::Qdpx
    } else if lower.ends_with(".qdc") || lower.ends_with(".qde") {
        Kind::Qdc
    } else if lower.ends_with(".json") {
        Kind::Project
    } else {
        Kind::Other
    }
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn stem(path: &str) -> String {
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_lowercase();
    for ext in [".framewise.json", ".qdpx", ".qdc", ".qde", ".json"] {
        if lower.ends_with(ext) {
            return name
                .get(..name.len() - ext.len())
                .unwrap_or(&name)
                .to_string();
        }
    }
    name
}

/// A project read from any of our project kinds, with the REFI report when there is one and
/// warnings from our own loader.
fn load(path: &str) -> Result<(Project, Option<RefiReport>, Vec<String>), String> {
    let bytes = read(path)?;
    let mut ids = RandomIds::new();
    match kind_of(path) {
        Kind::Qdpx => {
            let got = import_qdpx(&bytes, &mut ids, now()).map_err(|e| e.to_string())?;
            Ok((got.project, Some(got.report), Vec::new()))
        }
        Kind::Qdc => {
            let xml = String::from_utf8_lossy(&bytes);
            let got = import_qdc(&xml, &stem(path), &mut ids, now()).map_err(|e| e.to_string())?;
            Ok((got.project, Some(got.report), Vec::new()))
        }
        Kind::Project => {
            let json = String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8 text"))?;
            let loaded = from_project_file(&json).map_err(|e| format!("{path}: {e}"))?;
            Ok((loaded.project, None, loaded.warnings))
        }
        Kind::Other => Err(format!(
            "{path}: not a project file (expected .qdpx, .qdc or .framewise.json)"
        )),
    }
}

fn project_summary(project: &Project, report: Option<&RefiReport>, warnings: &[String]) -> Value {
    let mut problems: Vec<String> = warnings.to_vec();
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
    json!({
        "name": project.name,
        "origin": report.and_then(|r| r.origin.clone()),
        "sources": project.sources.len(),
        "codes": project.codes.len(),
        "codings": project.coding_count(),
        "cases": project.cases.len(),
        "attributes": project.attributes.len(),
        "matrices": project.matrices.len(),
        "sets": project.sets.len(),
        "users": report.map(|r| r.users),
        "skipped_sources": report.map(|r| r.skipped_sources.clone()).unwrap_or_default(),
        "problems": problems,
    })
}

/// Speaker turns: lines that start with a short label and a colon (`D:`, `Interviewer:`).
fn turns(text: &str) -> (Vec<String>, usize) {
    let mut speakers: Vec<String> = Vec::new();
    let mut turns = 0;
    for line in text.lines() {
        let Some((label, _)) = line.split_once(':') else {
            continue;
        };
        let label = label.trim();
        let ok = !label.is_empty()
            && label.chars().count() <= 40
            && label.split_whitespace().count() <= 4
            && label.chars().next().is_some_and(char::is_alphabetic)
            && !label.contains("http");
        if ok {
            turns += 1;
            if !speakers.iter().any(|s| s == label) {
                speakers.push(label.to_string());
            }
        }
    }
    (speakers, turns)
}

fn inspect(path: &str, as_json: bool) -> Result<(), String> {
    let summary = if kind_of(path) == Kind::Other {
        let bytes = read(path)?;
        let name = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string());
        let imported = framewise_core::import::import_file(&name, &bytes)
            .map_err(|e| format!("{path}: {e}"))?;
        let (speakers, turns) = turns(&imported.text);
        json!({
            "file": name,
            "encoding": imported.encoding,
            "characters": imported.text.chars().count(),
            "speakers": speakers,
            "turns": turns,
            "notices": imported.notices,
        })
    } else {
        let (project, report, warnings) = load(path)?;
        project_summary(&project, report.as_ref(), &warnings)
    };
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else if let Value::Object(map) = &summary {
        for (k, v) in map {
            match v {
                Value::Array(items) if k == "problems" || k == "notices" => {
                    println!("{k}: {}", items.len());
                    for item in items {
                        println!("  - {}", item.as_str().unwrap_or_default());
                    }
                }
                Value::String(s) => println!("{k}: {s}"),
                Value::Null => {}
                other => println!("{k}: {other}"),
            }
        }
    }
    Ok(())
}

fn write(path: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {path}: {e}"))
}

fn convert(input: &str, output: &str) -> Result<(), String> {
    let (project, report, warnings) = load(input)?;
    save(&project, output)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if let Some(r) = report {
        for u in &r.unplaced {
            eprintln!("warning: {u}");
        }
        for p in &r.problems {
            eprintln!("warning: {p}");
        }
        for (kind, n) in &r.skipped_sources {
            eprintln!("warning: {n} source(s) skipped: {kind}");
        }
    }
    Ok(())
}

fn export_matrix(args: &[String]) -> Result<(), String> {
    let mut project_path = None;
    let mut name = None;
    let mut csv = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--matrix" => name = it.next().cloned(),
            "--csv" => csv = true,
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => project_path = Some(other.to_string()),
        }
    }
    let project_path = project_path.ok_or("missing PROJECT")?;
    let name = name.ok_or("missing --matrix NAME")?;
    if !csv {
        return Err("only --csv output is supported".into());
    }
    let (project, _, _) = load(&project_path)?;
    let matrix = project
        .matrices
        .iter()
        .find(|m| m.name == name)
        .or_else(|| {
            project
                .matrices
                .iter()
                .find(|m| m.name.to_lowercase() == name.to_lowercase())
        })
        .ok_or_else(|| {
            let names: Vec<&str> = project.matrices.iter().map(|m| m.name.as_str()).collect();
            format!(
                "no matrix named “{name}” (the project has: {})",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            )
        })?;
    print!("{}", framewise_core::matrix::export_csv(&project, matrix));
    Ok(())
}

fn save(project: &Project, output: &str) -> Result<(), String> {
    let bytes = match kind_of(output) {
        Kind::Qdpx => export_qdpx(project),
        Kind::Qdc => export_qdc(project).into_bytes(),
        Kind::Project => to_project_file(project, &ProjectMeta::new(now())).into_bytes(),
        Kind::Other => {
            return Err(format!(
                "{output}: cannot tell the output format (use .qdpx, .qdc or .framewise.json)"
            ))
        }
    };
    write(output, &bytes)
}

fn merge_codebook(project_path: &str, codebook: &str, out: Option<&str>) -> Result<(), String> {
    let (current, _, _) = load(project_path)?;
    let (incoming, _, _) = load(codebook)?;
    let plan = plan_codebook_merge(&current, &incoming, &mut RandomIds::new(), now());
    let by_guid = plan
        .matched
        .iter()
        .filter(|m| m.by == MatchedBy::Guid)
        .count();
    println!("matched by guid: {by_guid}");
    println!("matched by name: {}", plan.matched.len() - by_guid);
    println!("new codes: {}", plan.new_codes.len());
    for c in &plan.new_codes {
        println!("  + {}", c.name);
    }
    println!("renamed: {}", plan.renamed.len());
    for (_, old, new) in &plan.renamed {
        println!("  ~ {old} -> {new}");
    }
    println!("descriptions filled: {}", plan.described.len());
    println!("new sets: {}", plan.new_sets.len());
    println!("conflicts: {}", plan.conflicts.len());
    for c in &plan.conflicts {
        println!("  ! {}: {}", c.code, c.reason);
    }
    if let Some(out) = out {
        let merged = framewise_core::apply(&current, plan.action())
            .map_err(|e| format!("the merge could not be applied: {e}"))?;
        save(&merged, out)?;
    }
    Ok(())
}

fn run(args: &[String]) -> Result<(), String> {
    let strs: Vec<&str> = args.iter().map(String::as_str).collect();
    match strs.as_slice() {
        ["inspect", file] => inspect(file, false),
        ["inspect", file, "--json"] | ["inspect", "--json", file] => inspect(file, true),
        ["convert", input, output] => convert(input, output),
        ["export", "matrix", rest @ ..] => {
            export_matrix(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        }
        ["merge-codebook", project, codebook] => merge_codebook(project, codebook, None),
        ["merge-codebook", project, codebook, "--out", out] => {
            merge_codebook(project, codebook, Some(out))
        }
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("framewise-cli: {e}");
            ExitCode::FAILURE
        }
    }
}
