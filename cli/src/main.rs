//! `framewise`: the command-line tool on top of framewise-core. All file I/O lives here.
//!
//! ```text
//! framewise inspect FILE [--json]
//! framewise convert IN OUT                 (.qdpx, .qdc, .framewise.json)
//! framewise export matrix PROJECT --matrix NAME --csv
//! framewise merge-codebook PROJECT CODEBOOK [--out OUT]
//! framewise pseudonymise PROJECT --key KEY.csv --out OUT [--include-key]
//! framewise inspect PROJECT --names KEY.csv  (exit 1 when a real name remains)
//! framewise agreement FILE --coders A,B [--codes …] [--unit char|segment] [--json]
//! framewise suggest-eval PROJECT [--seed N] [--unit …] [--stem] [--json]
//! ```
//!
//! Exit status: 0 when done, 1 when a file cannot be read, written or understood, 2 for wrong
//! arguments. Messages go to stderr and name the file and the reason.

mod agree;
mod args;
mod inspect;
mod pseudo;
mod suggest_eval;

use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
use framewise_core::refi::{
    export_qdc, export_qdpx, plan_codebook_merge, read_refi_file, MatchedBy, RefiReport,
};
use framewise_core::{IdSource, Project, Timestamp};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "\
usage: framewise COMMAND ...

commands:
  inspect FILE [--json]                    what a project or a source file holds
  convert IN OUT                           between .qdpx, .qdc and .framewise.json
  export matrix PROJECT --matrix NAME --csv
                                           a framework matrix as CSV on stdout
  merge-codebook PROJECT CODEBOOK [--out OUT]
                                           plan (and write) a codebook merge
  pseudonymise PROJECT --key KEY.csv --out OUT [--include-key]
                                           replace real names everywhere, write OUT
  inspect PROJECT --names KEY.csv          every real name of the key still in PROJECT
  agreement FILE --coders A,B [--codes NAME,…] [--unit char|segment] [--min-overlap P] [--json]
                                           intercoder agreement per code and overall
  suggest-eval PROJECT [--seed N] [--unit sentence|paragraph|turn] [--stem] [--json]
                                           how well code suggestions find hidden codings

Run `framewise COMMAND --help` for one command.
Exit status: 0 done, 1 a file problem, 2 wrong arguments.";

const INSPECT_HELP: &str = "\
usage: framewise inspect FILE [--json]
       framewise inspect PROJECT --names KEY.csv

For a project (.qdpx, .qdc, .framewise.json): its name, the counts of sources, codes, codings,
cases, attributes, matrices and sets, and the problems found (selections that could not be
placed, skipped non-text sources, broken quote references).

For a source file (.txt, .md, .docx, .odt, .vtt, .srt, ...), read by the same importers as the
app: its format, encoding, characters, paragraphs (non-empty lines), speakers with their turns
and characters, the number of turns, the first and last timestamps, and import notices.

  --json    print one JSON object instead of a table

With --names KEY.csv (rows `real name,pseudonym`): every occurrence of the key's real names that
is still in PROJECT, by place (source text, speakers, names, memos, summaries, attribute values,
sets, coders' names, the key carried in the file), matched as pseudonymisation matches them.
Exit status 1 when any remain, 0 when none do.";

pub(crate) const PSEUDONYMISE_HELP: &str = "\
usage: framewise pseudonymise PROJECT --key KEY.csv --out OUT [--include-key]

Replaces the real names of KEY.csv (rows `real name,pseudonym`, an optional header) with their
pseudonyms everywhere in PROJECT (.framewise.json or .qdpx): source text, speaker names, source
and file names, case and code names, code descriptions, memos, matrix cell and case summaries,
attribute values, set names and descriptions; whole words, any case, the longest entry first
(the app's rules). Prints what was replaced, by place, and what is not touched, then writes OUT
(.framewise.json, .qdpx or .qdc) and checks every byte written: exit 1 when a real name is
still in OUT (it says where).

  --key KEY.csv    the key
  --out OUT        the pseudonymised project
  --include-key    keep the key in OUT (left out by default: it names real people)";

const CONVERT_HELP: &str = "\
usage: framewise convert IN OUT

Reads IN and writes OUT; the formats come from the file names: .qdpx (REFI-QDA project),
.qdc (REFI-QDA codebook: codes and sets only) or .framewise.json (a Framewise project file).
Import problems are printed on stderr as warnings.";

const EXPORT_HELP: &str = "\
usage: framewise export matrix PROJECT --matrix NAME --csv

Prints the framework matrix called NAME of PROJECT (.framewise.json or .qdpx) as CSV on stdout.

  --matrix NAME   the matrix (exact name, else case-insensitive)
  --csv           CSV output (the only output for now)";

const MERGE_HELP: &str = "\
usage: framewise merge-codebook PROJECT CODEBOOK [--out OUT]

Shows how the codes and sets of CODEBOOK (.qdc, .qdpx or .framewise.json) would be merged into
PROJECT: matches by guid and by name, new codes, renames, filled descriptions, conflicts.

  --out OUT   also write the merged project to OUT (.framewise.json, .qdpx or .qdc)";

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Wrong arguments (exit 2): the message, and the command whose help to point at.
    Usage(String, Option<String>),
    /// A file that cannot be read, written or understood (exit 1): the message names it.
    File(String),
}

impl Failure {
    fn usage(command: &str, message: impl Into<String>) -> Self {
        Self::Usage(message.into(), Some(command.to_string()))
    }
}

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
pub(crate) enum Kind {
    Qdpx,
    Qdc,
    Project,
    Other,
}

impl Kind {
    pub(crate) fn of(path: &str) -> Self {
        let lower = path.to_lowercase();
        if lower.ends_with(".qdpx") {
            Self::Qdpx
        } else if lower.ends_with(".qdc") || lower.ends_with(".qde") {
            Self::Qdc
        } else if lower.ends_with(".json") {
            Self::Project
        } else {
            Self::Other
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Qdpx => "REFI-QDA project (.qdpx)",
            Self::Qdc => "REFI-QDA codebook (.qdc)",
            Self::Project => "Framewise project file",
            Self::Other => "other",
        }
    }
}

pub(crate) fn read(path: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::File(format!("cannot read {path}: {e}")))
}

pub(crate) fn write(path: &str, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| Failure::File(format!("cannot write {path}: {e}")))
}

/// The file name without directories.
fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// A project read from any of our project kinds, with the REFI report when there is one and
/// warnings from our own loader.
pub(crate) fn load(path: &str) -> Result<(Project, Option<RefiReport>, Vec<String>), Failure> {
    let kind = Kind::of(path);
    if kind == Kind::Other {
        return Err(Failure::File(format!(
            "{path}: not a project file (expected .qdpx, .qdc or .framewise.json)"
        )));
    }
    let bytes = read(path)?;
    let mut ids = RandomIds::new();
    let bad = |e: String| Failure::File(format!("{path}: {e}"));
    match kind {
        // One REFI reading path, the same as the app's worker (encodings, BOMs, .qde).
        Kind::Qdpx | Kind::Qdc => {
            let got = read_refi_file(&file_name(path), &bytes, &mut ids, now())
                .map_err(|e| bad(e.to_string()))?;
            Ok((got.project, Some(got.report), Vec::new()))
        }
        Kind::Project | Kind::Other => {
            let json = String::from_utf8(bytes)
                .map_err(|_| bad("not a Framewise project file (not UTF-8 text)".into()))?;
            let loaded = from_project_file(&json).map_err(|e| bad(e.to_string()))?;
            Ok((loaded.project, None, loaded.warnings))
        }
    }
}

pub(crate) fn save(project: &Project, output: &str) -> Result<(), Failure> {
    let bytes = match Kind::of(output) {
        Kind::Qdpx => export_qdpx(project).map_err(|e| Failure::File(format!("{output}: {e}")))?,
        Kind::Qdc => export_qdc(project).into_bytes(),
        Kind::Project => to_project_file(project, &ProjectMeta::new(now())).into_bytes(),
        Kind::Other => return Err(unknown_output(output)),
    };
    write(output, &bytes)
}

pub(crate) fn unknown_output(output: &str) -> Failure {
    Failure::usage(
        "convert",
        format!(
            "{output}: cannot tell the output format from the name (use .qdpx, .qdc or \
             .framewise.json)"
        ),
    )
}

thread_local! {
    /// Set while an importer runs that catches its own panics (the PDF reader): the panic hook
    /// then stays silent, because the importer turns the panic into this file's error.
    static IMPORTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs an importer with the panic hook silenced (see [`IMPORTING`]).
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    IMPORTING.with(|i| i.set(true));
    let result = f();
    IMPORTING.with(|i| i.set(false));
    result
}

/// A panic hook that says what happened in one line, or nothing while an importer that catches
/// its own panics runs.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if !IMPORTING.with(std::cell::Cell::get) {
            eprintln!("framewise: internal error (please report it): {info}");
        }
    }));
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a message.
pub(crate) fn out(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::File(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

fn inspect(args: &[String]) -> Result<(), Failure> {
    let p = args::parse("inspect", args, &["--json"], &["--names"])?;
    if p.help {
        return out(&format!("{INSPECT_HELP}\n"));
    }
    let [path] = p.positional.as_slice() else {
        return Err(Failure::usage("inspect", "inspect needs exactly one FILE"));
    };
    if let Some(key_path) = p.value("--names") {
        return pseudo::inspect_names(path, key_path);
    }
    let kind = Kind::of(path);
    let summary = if kind == Kind::Other {
        let name = file_name(path);
        let format = framewise_core::import::format_for(&name);
        if format.is_none() {
            // The importers' own sentence for an unsupported extension, before reading the file.
            if let Err(e) = framewise_core::import::import_file(&name, b"") {
                return Err(Failure::File(format!("{path}: {e}")));
            }
        }
        let bytes = read(path)?;
        let imported = quietly(|| framewise_core::import::import_file(&name, &bytes))
            .map_err(|e| Failure::File(format!("{path}: {e}")))?;
        inspect::source_summary(
            &name,
            format.map_or("", |f| f.label),
            bytes.len(),
            &imported,
        )
    } else {
        let (project, report, warnings) = load(path)?;
        inspect::project_summary(
            &file_name(path),
            kind.label(),
            &project,
            report.as_ref(),
            &warnings,
        )
    };
    if p.has("--json") {
        let text = serde_json::to_string_pretty(&summary)
            .map_err(|e| Failure::File(format!("{path}: cannot write JSON: {e}")))?;
        out(&format!("{text}\n"))
    } else {
        out(&inspect::table(&summary))
    }
}

fn convert(args: &[String]) -> Result<(), Failure> {
    let p = args::parse("convert", args, &[], &[])?;
    if p.help {
        return out(&format!("{CONVERT_HELP}\n"));
    }
    let [input, output] = p.positional.as_slice() else {
        return Err(Failure::usage("convert", "convert needs IN and OUT"));
    };
    if Kind::of(output) == Kind::Other {
        // Refuse before reading a large input.
        return Err(unknown_output(output));
    }
    let (project, report, warnings) = load(input)?;
    save(&project, output)?;
    let mut notes: Vec<String> = warnings;
    if let Some(r) = report {
        notes.extend(r.unplaced);
        notes.extend(r.problems);
        for (kind, n) in &r.skipped_sources {
            notes.push(format!("{n} source(s) skipped: {kind}"));
        }
    }
    for n in notes {
        eprintln!("framewise: warning: {input}: {n}");
    }
    Ok(())
}

fn export(args: &[String]) -> Result<(), Failure> {
    let (what, rest) = match args.split_first() {
        Some((what, rest)) => (what.as_str(), rest),
        None => return Err(Failure::usage("export", "export needs a kind: matrix")),
    };
    match what {
        "matrix" => export_matrix(rest),
        "--help" | "-h" => out(&format!("{EXPORT_HELP}\n")),
        other => Err(Failure::usage(
            "export",
            format!("cannot export “{other}”; only: matrix"),
        )),
    }
}

fn export_matrix(args: &[String]) -> Result<(), Failure> {
    let p = args::parse("export", args, &["--csv"], &["--matrix"])?;
    if p.help {
        return out(&format!("{EXPORT_HELP}\n"));
    }
    let [project_path] = p.positional.as_slice() else {
        return Err(Failure::usage("export", "export matrix needs one PROJECT"));
    };
    let name = p
        .value("--matrix")
        .ok_or_else(|| Failure::usage("export", "export matrix needs --matrix NAME"))?;
    if !p.has("--csv") {
        return Err(Failure::usage(
            "export",
            "export matrix needs --csv (the only output for now)",
        ));
    }
    let (project, _, _) = load(project_path)?;
    let lower = name.to_lowercase();
    let matrix = project
        .matrices
        .iter()
        .find(|m| m.name == name)
        .or_else(|| {
            project
                .matrices
                .iter()
                .find(|m| m.name.to_lowercase() == lower)
        })
        .ok_or_else(|| {
            let names: Vec<&str> = project.matrices.iter().map(|m| m.name.as_str()).collect();
            Failure::File(format!(
                "{project_path}: no matrix named “{name}” (the project has: {})",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ))
        })?;
    out(&framewise_core::matrix::export_csv(&project, matrix))
}

fn merge_codebook(args: &[String]) -> Result<(), Failure> {
    let p = args::parse("merge-codebook", args, &[], &["--out"])?;
    if p.help {
        return out(&format!("{MERGE_HELP}\n"));
    }
    let [project_path, codebook] = p.positional.as_slice() else {
        return Err(Failure::usage(
            "merge-codebook",
            "merge-codebook needs PROJECT and CODEBOOK",
        ));
    };
    let (current, _, _) = load(project_path)?;
    let (incoming, _, _) = load(codebook)?;
    let plan = plan_codebook_merge(&current, &incoming, &mut RandomIds::new(), now());
    let by_guid = plan
        .matched
        .iter()
        .filter(|m| m.by == MatchedBy::Guid)
        .count();
    let mut text = String::new();
    let mut line = |s: String| {
        text.push_str(&s);
        text.push('\n');
    };
    line(format!("matched by guid: {by_guid}"));
    line(format!(
        "matched by name: {}",
        plan.matched.len().saturating_sub(by_guid)
    ));
    line(format!("new codes: {}", plan.new_codes.len()));
    for c in &plan.new_codes {
        line(format!("  + {}", c.name));
    }
    line(format!("renamed: {}", plan.renamed.len()));
    for (_, old, new) in &plan.renamed {
        line(format!("  ~ {old} -> {new}"));
    }
    line(format!("descriptions filled: {}", plan.described.len()));
    line(format!("new sets: {}", plan.new_sets.len()));
    line(format!("conflicts: {}", plan.conflicts.len()));
    for c in &plan.conflicts {
        line(format!("  ! {}: {}", c.code, c.reason));
    }
    out(&text)?;
    if let Some(output) = p.value("--out") {
        let merged = framewise_core::apply(&current, plan.action()).map_err(|e| {
            Failure::File(format!(
                "{codebook}: the merge into {project_path} could not be applied: {e}"
            ))
        })?;
        save(&merged, output)?;
    }
    Ok(())
}

fn run(args: &[String]) -> Result<(), Failure> {
    let Some((command, rest)) = args.split_first() else {
        return Err(Failure::Usage("no command given".into(), None));
    };
    match command.as_str() {
        "inspect" => inspect(rest),
        "convert" => convert(rest),
        "export" => export(rest),
        "merge-codebook" => merge_codebook(rest),
        "pseudonymise" | "pseudonymize" => pseudo::pseudonymise(rest),
        "agreement" => agree::agreement(rest),
        "suggest-eval" => suggest_eval::suggest_eval(rest),
        "help" => match rest.first().map(String::as_str) {
            None => out(&format!("{USAGE}\n")),
            Some("inspect") => out(&format!("{INSPECT_HELP}\n")),
            Some("convert") => out(&format!("{CONVERT_HELP}\n")),
            Some("export") => out(&format!("{EXPORT_HELP}\n")),
            Some("merge-codebook") => out(&format!("{MERGE_HELP}\n")),
            Some("pseudonymise" | "pseudonymize") => out(&format!("{PSEUDONYMISE_HELP}\n")),
            Some("agreement") => out(&format!("{}\n", agree::AGREEMENT_HELP)),
            Some("suggest-eval") => out(&format!("{}\n", suggest_eval::SUGGEST_EVAL_HELP)),
            Some(other) => Err(Failure::Usage(format!("no command “{other}”"), None)),
        },
        "--help" | "-h" => out(&format!("{USAGE}\n")),
        "--version" | "-V" => out(&format!("framewise {}\n", env!("CARGO_PKG_VERSION"))),
        other => Err(Failure::Usage(format!("unknown command “{other}”"), None)),
    }
}

fn main() -> ExitCode {
    install_panic_hook();
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::File(message)) => {
            eprintln!("framewise: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(message, command)) => {
            eprintln!("framewise: {message}");
            match command {
                Some(c) => eprintln!("Run `framewise {c} --help` for its usage."),
                None => eprintln!("{USAGE}"),
            }
            ExitCode::from(2)
        }
    }
}
