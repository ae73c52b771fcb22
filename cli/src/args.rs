//! A small command-line parser: positional arguments, switches and options with a value.

use crate::Failure;
use std::collections::BTreeMap;

/// The arguments of one command, parsed.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Arguments that are not options, in order.
    pub positional: Vec<String>,
    /// Switches given (`--json`), by name with the dashes.
    pub switches: Vec<String>,
    /// Options with a value (`--matrix NAME` or `--matrix=NAME`), by name with the dashes.
    pub values: BTreeMap<String, String>,
    /// `--help` or `-h` was given.
    pub help: bool,
}

impl Parsed {
    /// Whether the switch `name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    /// The value of the option `name`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// Parses `args` for `command`, which knows the `switches` and the options taking a value
/// (`valued`). Unknown options and missing values are usage errors. After `--`, everything is
/// positional.
pub fn parse(
    command: &str,
    args: &[String],
    switches: &[&str],
    valued: &[&str],
) -> Result<Parsed, Failure> {
    let mut parsed = Parsed::default();
    let mut it = args.iter();
    let mut only_positional = false;
    while let Some(arg) = it.next() {
        if only_positional || !arg.starts_with('-') || arg == "-" {
            parsed.positional.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        if arg == "--help" || arg == "-h" {
            parsed.help = true;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg.as_str(), None),
        };
        if valued.contains(&name) {
            let value = match inline {
                Some(v) => v.to_string(),
                None => it.next().cloned().ok_or_else(|| {
                    Failure::Usage(
                        format!("{command}: {name} needs a value"),
                        Some(command.to_string()),
                    )
                })?,
            };
            if parsed.values.insert(name.to_string(), value).is_some() {
                return Err(Failure::Usage(
                    format!("{command}: {name} given twice"),
                    Some(command.to_string()),
                ));
            }
        } else if switches.contains(&name) && inline.is_none() {
            if !parsed.has(name) {
                parsed.switches.push(name.to_string());
            }
        } else {
            return Err(Failure::Usage(
                format!("{command}: unknown option {arg}"),
                Some(command.to_string()),
            ));
        }
    }
    Ok(parsed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn positional_switches_and_values() {
        let p = parse(
            "export matrix",
            &strings(&["p.json", "--matrix=A B", "--csv"]),
            &["--csv"],
            &["--matrix"],
        )
        .unwrap();
        assert_eq!(p.positional, ["p.json"]);
        assert!(p.has("--csv"));
        assert_eq!(p.value("--matrix"), Some("A B"));
        let p = parse(
            "x",
            &strings(&["--matrix", "--csv", "--", "--json"]),
            &[],
            &["--matrix"],
        )
        .unwrap();
        assert_eq!(p.value("--matrix"), Some("--csv"));
        assert_eq!(p.positional, ["--json"]);
    }

    #[test]
    fn usage_errors() {
        for args in [
            &["--nope"][..],
            &["--matrix"],
            &["--matrix", "a", "--matrix=b"],
        ] {
            let got = parse("x", &strings(args), &["--json"], &["--matrix"]);
            assert!(matches!(got, Err(Failure::Usage(..))), "{args:?}");
        }
        assert!(parse("x", &strings(&["--json=1"]), &["--json"], &[]).is_err());
        assert!(parse("x", &strings(&["-h"]), &[], &[]).unwrap().help);
    }
}
