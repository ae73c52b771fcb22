//! `framewise pseudonymise` and `framewise inspect PROJECT --names KEY.csv`: the app's
//! pseudonymisation rules (framewise-core's `pseudonym`) for data managers, on files.

use crate::{args, load, out, read, save, unknown_output, write, Failure, PSEUDONYMISE_HELP};
use framewise_core::pseudonym::{
    self, names_in, names_in_archive, remaining, summary, Replacement, NOT_TOUCHED,
};
use framewise_core::{Project, Pseudonym};

/// Reads a key CSV (`real name,pseudonym`), naming the file and the lines in errors.
fn read_key(path: &str) -> Result<Vec<Pseudonym>, Failure> {
    let bytes = read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::File(format!("{path}: the key is not UTF-8 text")))?;
    let key = pseudonym::parse_key_csv(&text).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        Failure::File(format!("{path}: {}", lines.join("; ")))
    })?;
    if key.is_empty() {
        return Err(Failure::File(format!(
            "{path}: the key has no rows (expected `real name,pseudonym`)"
        )));
    }
    Ok(key)
}

/// One line per replacement or occurrence: where, then the words around it.
fn listing(project: &Project, items: &[Replacement], arrow: bool) -> String {
    let mut text = String::new();
    for g in summary(project, items) {
        text.push_str(&format!("{}\n", g.line));
        for r in items.iter().filter(|r| r.place.group() == g.group) {
            let with = if arrow {
                format!(" -> {}", r.with)
            } else {
                String::new()
            };
            text.push_str(&format!(
                "  {}: …{}[{}]{}…{with}\n",
                r.place.describe(project),
                r.context_before,
                r.found,
                r.context_after
            ));
        }
    }
    text
}

/// Names of the key in what pseudonymisation does not replace: coders' names and the key the
/// project carries.
fn outside_places(project: &Project, key: &[Pseudonym]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut coders: Vec<&str> = project.all_codings().map(|c| c.coder.as_str()).collect();
    coders.sort_unstable();
    coders.dedup();
    for coder in coders {
        for o in names_in(coder.as_bytes(), key) {
            lines.push(format!("  coder name “{coder}”: [{}]", o.found));
        }
    }
    for (i, k) in project.pseudonyms.iter().enumerate() {
        if !names_in(k.real.as_bytes(), key).is_empty() {
            lines.push(format!(
                "  the pseudonymisation key carried in the file, entry {}: [{}]",
                i + 1,
                k.real
            ));
        }
    }
    lines
}

/// `framewise inspect PROJECT --names KEY.csv`.
pub fn inspect_names(path: &str, key_path: &str) -> Result<(), Failure> {
    let key = read_key(key_path)?;
    let (project, _, _) = load(path)?;
    let found = remaining(&project, &key);
    let outside = outside_places(&project, &key);
    if found.is_empty() && outside.is_empty() {
        return out(&format!(
            "{path}: no real name of {key_path} remains ({} entr{} checked)\n",
            key.len(),
            if key.len() == 1 { "y" } else { "ies" }
        ));
    }
    let mut text = listing(&project, &found, false);
    if !outside.is_empty() {
        text.push_str(&format!("Not pseudonymised places: {}\n", outside.len()));
        for line in &outside {
            text.push_str(line);
            text.push('\n');
        }
    }
    out(&text)?;
    Err(Failure::File(format!(
        "{path}: {} occurrence{} of real names from {key_path} remain",
        found.len() + outside.len(),
        if found.len() + outside.len() == 1 {
            ""
        } else {
            "s"
        }
    )))
}

/// `framewise pseudonymise PROJECT --key KEY.csv --out OUT [--include-key]`.
pub fn pseudonymise(args: &[String]) -> Result<(), Failure> {
    let p = args::parse(
        "pseudonymise",
        args,
        &["--include-key"],
        &["--key", "--out"],
    )?;
    if p.help {
        return out(&format!("{PSEUDONYMISE_HELP}\n"));
    }
    let [input] = p.positional.as_slice() else {
        return Err(Failure::usage(
            "pseudonymise",
            "pseudonymise needs one PROJECT",
        ));
    };
    let key_path = p
        .value("--key")
        .ok_or_else(|| Failure::usage("pseudonymise", "pseudonymise needs --key KEY.csv"))?;
    let output = p
        .value("--out")
        .ok_or_else(|| Failure::usage("pseudonymise", "pseudonymise needs --out OUT"))?;
    if crate::Kind::of(output) == crate::Kind::Other {
        return Err(unknown_output(output));
    }
    let key = read_key(key_path)?;
    let (project, _, _) = load(input)?;
    let plan = pseudonym::plan(&project, &key);
    let mut report = format!(
        "{} replacement{}\n",
        plan.len(),
        if plan.len() == 1 { "" } else { "s" }
    );
    for (k, n) in key.iter().zip(pseudonym::counts(&plan, key.len())) {
        report.push_str(&format!("  {} -> {}: {n}\n", k.real, k.pseudonym));
    }
    report.push_str(&listing(&project, &plan, true));
    report.push_str("Not touched:\n");
    for (what, why) in NOT_TOUCHED {
        report.push_str(&format!("  {what}: {why}\n"));
    }
    let mut done = if plan.is_empty() {
        project.clone()
    } else {
        framewise_core::apply(&project, pseudonym::apply_action(&plan))
            .map_err(|e| Failure::File(format!("{input}: cannot pseudonymise: {e}")))?
    };
    done.pseudonyms = if p.has("--include-key") {
        key.clone()
    } else {
        Vec::new()
    };
    out(&report)?;
    if p.has("--include-key") && crate::Kind::of(output) == crate::Kind::Qdpx {
        let options = framewise_core::refi::ExportOptions {
            include_pseudonym_key: true,
            ..Default::default()
        };
        let bytes = framewise_core::refi::export_qdpx_with(&done, options)
            .map_err(|e| Failure::File(format!("{output}: {e}")))?;
        write(output, &bytes)?;
    } else {
        save(&done, output)?;
    }
    // The export checks itself: every byte written, archives unpacked.
    let written = read(output)?;
    let mut left = names_in_archive(&written, &key)
        .map_err(|e| Failure::File(format!("{output}: cannot check what was written: {e}")))?;
    if p.has("--include-key") {
        // The key itself was asked for; only names outside it count.
        let without_key = Project {
            pseudonyms: Vec::new(),
            ..done.clone()
        };
        let places = remaining(&without_key, &key);
        let outside = outside_places(&without_key, &key);
        if places.is_empty() && outside.is_empty() {
            left.clear();
        }
    }
    if left.is_empty() {
        return Ok(());
    }
    let mut text = format!("Real names still in {output}:\n");
    text.push_str(&listing(&done, &remaining(&done, &key), false));
    for line in outside_places(&done, &key) {
        text.push_str(&line);
        text.push('\n');
    }
    for (entry, o) in left.iter().take(20) {
        text.push_str(&format!(
            "  {}: …{}[{}]{}…\n",
            if entry.is_empty() { output } else { entry },
            o.context_before,
            o.found,
            o.context_after
        ));
    }
    out(&text)?;
    Err(Failure::File(format!(
        "{output}: {} occurrence{} of real names remain after pseudonymising",
        left.len(),
        if left.len() == 1 { "" } else { "s" }
    )))
}
