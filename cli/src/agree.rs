//! `framewise agreement FILE --coders A,B`: intercoder agreement (framewise-core's
//! `agreement`) of a project file or a `.qdpx`, per code and overall, as a table or JSON.

use crate::{args, load, out, Failure};
use framewise_core::agreement::{compare, Comparison, Report, Unit, DEFAULT_MIN_OVERLAP};
use framewise_core::{same_code_name, CodeId, Project, SourceId};

pub(crate) const AGREEMENT_HELP: &str = "\
usage: framewise agreement FILE --coders A,B[,C…] [--codes NAME,…] [--sources NAME,…]
                           [--unit char|segment] [--min-overlap P] [--json]

How far coders agree in FILE (.framewise.json or .qdpx): one row per code and an overall row.

  --coders A,B      coder names as stored on the codings (the error lists the names there are);
                    more than two: Krippendorff's alpha and the share where all agree (char)
  --codes NAME,…    codes by name or path (\"Parent > Child\"); default: every code one of the
                    coders used in the sources compared
  --sources NAME,…  sources by name; default: every source
  --unit char       every character coded or not by each coder, as NVivo (default): percent
                    agreement, Cohen's kappa, Krippendorff's alpha; overall pools the codes
  --unit segment    coded segments matched by overlap, as MAXQDA: percent agreement per code,
                    kappa overall (chance = 1 / number of codes, Brennan & Prediger)
  --min-overlap P   segment unit: the percent of a segment the other coder's segment of the
                    same code must cover for it to count as matched (default 90)
  --json            the report as JSON (counts, tables and values per code and overall)

Kappa is 1 when both coders coded nothing (or everything) of a code: they agree on every
character. Exit status 1 when a coder, code or source is not in FILE.";

/// Splits a comma-separated list, trimming each name and dropping empty ones.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A code by its path ("A > B") or, when that finds nothing, by its name if only one code has it.
fn code_by_name(project: &Project, path: &str, name: &str) -> Result<CodeId, Failure> {
    if let Some(c) = project
        .codes
        .iter()
        .find(|c| same_code_name(&project.code_path(c.id), name))
    {
        return Ok(c.id);
    }
    let named: Vec<&framewise_core::Code> = project
        .codes
        .iter()
        .filter(|c| same_code_name(&c.name, name))
        .collect();
    match named.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Failure::File(format!("{path}: no code named “{name}”"))),
        several => Err(Failure::File(format!(
            "{path}: {} codes are named “{name}”; give the path: {}",
            several.len(),
            several
                .iter()
                .map(|c| format!("“{}”", project.code_path(c.id)))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn source_by_name(project: &Project, path: &str, name: &str) -> Result<SourceId, Failure> {
    project
        .sources
        .iter()
        .find(|s| s.name == name)
        .or_else(|| {
            let lower = name.to_lowercase();
            project
                .sources
                .iter()
                .find(|s| s.name.to_lowercase() == lower)
        })
        .map(|s| s.id)
        .ok_or_else(|| Failure::File(format!("{path}: no source named “{name}”")))
}

fn number(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{v:.digits$}"))
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{v:.1} %"))
}

/// The report as a text table.
pub(crate) fn table(report: &Report) -> String {
    let mut text = String::new();
    let coders = report.coders.join(", ");
    text.push_str(&format!(
        "coders: {coders}\nsources: {} ({} characters)\nunit: {}\n\n",
        report.sources,
        report.characters,
        match report.unit {
            Unit::Character => "characters (NVivo)",
            Unit::Segment => "segments (MAXQDA)",
        }
    ));
    let mut rows: Vec<(String, &framewise_core::agreement::Measures)> = report
        .rows
        .iter()
        .map(|r| (r.name.clone(), &r.measures))
        .collect();
    rows.push(("Overall".to_string(), &report.overall));
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let two = report.coders.len() == 2;
    let (first, second) = (
        report.coders.first().map_or("", String::as_str),
        report.coders.get(1).map_or("", String::as_str),
    );
    let header: Vec<String> = match report.unit {
        Unit::Character if two => vec![
            "agreement".into(),
            "kappa".into(),
            "alpha".into(),
            "both".into(),
            format!("{first} only"),
            format!("{second} only"),
            "neither".into(),
        ],
        Unit::Character => vec!["all agree".into(), "alpha".into()],
        Unit::Segment => vec![
            "agreement".into(),
            "kappa".into(),
            "matched".into(),
            "unmatched".into(),
            format!("{first} segments"),
            format!("{second} segments"),
        ],
    };
    let line = |name: &str, cells: &[String]| {
        let pad = width - name.chars().count();
        let mut l = format!("{name}{}", " ".repeat(pad));
        for (cell, head) in cells.iter().zip(&header) {
            let w = head.chars().count().max(9);
            l.push_str(&format!("  {cell:>w$}"));
        }
        l.push('\n');
        l
    };
    text.push_str(&line("code", &header));
    for (name, m) in rows {
        let cells: Vec<String> = match report.unit {
            Unit::Character if two => {
                let t = m.table.unwrap_or_default();
                vec![
                    percent(m.percent),
                    number(m.kappa, 3),
                    number(m.alpha, 3),
                    t.both.to_string(),
                    t.first_only.to_string(),
                    t.second_only.to_string(),
                    t.neither.to_string(),
                ]
            }
            Unit::Character => vec![percent(m.percent), number(m.alpha, 3)],
            Unit::Segment => {
                let s = m.segments.unwrap_or_default();
                vec![
                    percent(m.percent),
                    number(m.kappa, 3),
                    s.matched().to_string(),
                    s.unmatched().to_string(),
                    s.first.to_string(),
                    s.second.to_string(),
                ]
            }
        };
        text.push_str(&line(&name, &cells));
    }
    if report.rows.is_empty() {
        text.push_str("(no code was used by these coders in these sources)\n");
    }
    text
}

pub(crate) fn agreement(args: &[String]) -> Result<(), Failure> {
    let p = args::parse(
        "agreement",
        args,
        &["--json"],
        &[
            "--coders",
            "--codes",
            "--sources",
            "--unit",
            "--min-overlap",
        ],
    )?;
    if p.help {
        return out(&format!("{AGREEMENT_HELP}\n"));
    }
    let usage = |m: &str| Failure::Usage(m.to_string(), Some("agreement".to_string()));
    let [path] = p.positional.as_slice() else {
        return Err(usage("agreement needs exactly one FILE"));
    };
    let names = list(
        p.value("--coders")
            .ok_or_else(|| usage("agreement needs --coders A,B"))?,
    );
    if names.len() < 2 {
        return Err(usage(
            "--coders needs two or more names, separated by commas",
        ));
    }
    let unit = match p.value("--unit").unwrap_or("char") {
        "char" | "character" | "characters" => Unit::Character,
        "segment" | "segments" => Unit::Segment,
        other => return Err(usage(&format!("--unit is char or segment, not “{other}”"))),
    };
    let min_overlap = match p.value("--min-overlap") {
        None => DEFAULT_MIN_OVERLAP,
        Some(v) => v
            .trim()
            .trim_end_matches('%')
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| usage(&format!("--min-overlap is a percent 1–100, not “{v}”")))?,
    };
    if p.value("--min-overlap").is_some() && unit != Unit::Segment {
        return Err(usage("--min-overlap applies to --unit segment only"));
    }
    let (project, _, _) = load(path)?;
    let codes = p
        .value("--codes")
        .map(list)
        .unwrap_or_default()
        .iter()
        .map(|n| code_by_name(&project, path, n))
        .collect::<Result<Vec<_>, _>>()?;
    let sources = p
        .value("--sources")
        .map(list)
        .unwrap_or_default()
        .iter()
        .map(|n| source_by_name(&project, path, n))
        .collect::<Result<Vec<_>, _>>()?;
    let comparison = Comparison {
        coders: names,
        sources,
        codes,
        unit,
        min_overlap,
    };
    let report =
        compare(&project, &comparison).map_err(|e| Failure::File(format!("{path}: {e}")))?;
    if p.has("--json") {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::File(format!("{path}: cannot write JSON: {e}")))?;
        out(&format!("{text}\n"))
    } else {
        out(&table(&report))
    }
}
