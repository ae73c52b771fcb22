//! `framewise suggest-eval PROJECT`: how well code suggestions (framewise-core's `suggest`)
//! find what the researcher coded — a random fifth of each code's codings hidden, recall@20 and
//! precision@20 per code and overall, beside a random ranking with the same seed.

use crate::{args, load, out, Failure};
use framewise_core::suggest::{evaluate, EvalOptions, Evaluation, Measures, UnitKind};

pub(crate) const SUGGEST_EVAL_HELP: &str = "\
usage: framewise suggest-eval PROJECT [--seed N] [--unit sentence|paragraph|turn] [--stem] [--json]

How well code suggestions work on PROJECT (.framewise.json or .qdpx), measured on its own
coding: for each code with at least 5 codings, a random fifth of its codings (at least one) is
hidden, the code's model is made from the rest, and its top 20 suggestions are compared with
what was hidden. recall@20: the share of hidden codings that a suggestion overlaps;
precision@20: the share of suggestions that overlap a hidden coding. The same figures for a
ranking of the same passages at random show the gain. Overall pools the codes.

  --seed N      which codings are hidden and the random ranking (default 1): the same seed
                gives the same figures
  --unit U      the passages suggested: sentence, paragraph (default) or turn
  --stem        fold English plurals (\"nurses\" = \"nurse\")
  --json        the figures as JSON (per code and overall, with the counts behind them)";

fn percent(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

/// The evaluation as a text table.
pub(crate) fn table(e: &Evaluation) -> String {
    let mut text = format!(
        "units: {} ({} of them, {} words){}\nseed: {}\ncodes evaluated: {} (with at least 5 codings; {} left out)\n\n",
        e.unit.label(),
        framewise_core::words::thousands(e.units),
        framewise_core::words::thousands(e.words),
        if e.stem { ", English plurals folded" } else { "" },
        e.seed,
        e.codes.len(),
        e.skipped,
    );
    let k = e.k;
    let header = [
        "codings".to_string(),
        "hidden".to_string(),
        format!("recall@{k}"),
        format!("precision@{k}"),
        format!("random recall@{k}"),
        format!("random precision@{k}"),
    ];
    let mut rows: Vec<(String, String, String, Measures, Measures)> = e
        .codes
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.codings.to_string(),
                c.hidden.to_string(),
                c.model,
                c.random,
            )
        })
        .collect();
    rows.push((
        "Overall".into(),
        e.codes.iter().map(|c| c.codings).sum::<usize>().to_string(),
        e.codes.iter().map(|c| c.hidden).sum::<usize>().to_string(),
        e.model,
        e.random,
    ));
    let width = rows
        .iter()
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let line = |name: &str, cells: &[String]| {
        let mut l = format!("{name}{}", " ".repeat(width - name.chars().count()));
        for (cell, head) in cells.iter().zip(&header) {
            let w = head.chars().count();
            l.push_str(&format!("  {cell:>w$}"));
        }
        l.push('\n');
        l
    };
    text.push_str(&line("code", &header));
    for (name, codings, hidden, m, r) in &rows {
        text.push_str(&line(
            name,
            &[
                codings.clone(),
                hidden.clone(),
                percent(m.recall),
                percent(m.precision),
                percent(r.recall),
                percent(r.precision),
            ],
        ));
    }
    if e.codes.is_empty() {
        text.push_str("(no code has 5 codings or more: nothing to hide and find again)\n");
    }
    text
}

pub(crate) fn suggest_eval(args: &[String]) -> Result<(), Failure> {
    let p = args::parse(
        "suggest-eval",
        args,
        &["--json", "--stem"],
        &["--seed", "--unit"],
    )?;
    if p.help {
        return out(&format!("{SUGGEST_EVAL_HELP}\n"));
    }
    let usage = |m: &str| Failure::Usage(m.to_string(), Some("suggest-eval".to_string()));
    let [path] = p.positional.as_slice() else {
        return Err(usage("suggest-eval needs exactly one PROJECT"));
    };
    let seed = match p.value("--seed") {
        None => 1,
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map_err(|_| usage(&format!("--seed is a whole number, not “{v}”")))?,
    };
    let unit = match p.value("--unit") {
        None => UnitKind::Paragraph,
        Some(v) => UnitKind::from_key(v.trim())
            .ok_or_else(|| usage(&format!("--unit is sentence, paragraph or turn, not “{v}”")))?,
    };
    let (project, _, _) = load(path)?;
    let mut options = EvalOptions {
        seed,
        ..EvalOptions::default()
    };
    options.model.unit = unit;
    options.model.stem = p.has("--stem");
    let evaluation = evaluate(&project, &options);
    if p.has("--json") {
        let text = serde_json::to_string_pretty(&evaluation)
            .map_err(|e| Failure::File(format!("{path}: cannot write JSON: {e}")))?;
        out(&format!("{text}\n"))
    } else {
        out(&table(&evaluation))
    }
}
