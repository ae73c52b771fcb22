//! The Charts view's controls, written out in the worker (`protocol::Request::Chart`): what the
//! researcher chose ([`Choice`]: the `<select>`s' values by their `name`), the [`ChartSpec`] it
//! asks for ([`Choice::spec`]), and the controls' markup ([`Choice::controls`]: a labelled
//! `<select>` per choice that applies to the chart kind, its options from the project, the
//! chosen one selected, every text escaped). The page sets that markup as it is and reads every
//! change through one listener, so the main wasm holds neither the option lists nor their
//! rendering.

use super::svg::esc;
use super::{ChartKind, ChartSpec};
use crate::ids::{AttributeId, CodeId, SetId, SourceId};
use crate::project::Project;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// The Charts view as the worker answers it (`protocol::Reply::Chart`): the controls' markup,
/// and the chart drawn or why not. Plain strings (not a [`super::Chart`] and a `Result`), so
/// the app's main wasm decodes one small struct.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Shown {
    /// The controls' markup ([`Choice::controls`]).
    pub controls: String,
    /// Why the chart cannot be drawn (a sentence); empty when it is drawn.
    pub problem: String,
    /// The chart's SVG ([`super::Chart::svg`]); empty when it cannot be drawn.
    pub svg: String,
    /// Its data as an HTML table ([`super::Chart::table`]).
    pub table: String,
    /// Its data as CSV ([`super::Chart::csv`]).
    pub csv: String,
}

impl Shown {
    /// The view for `choice` in `project`: its controls and its chart (or why not).
    pub fn of(project: &Project, choice: &Choice) -> Self {
        let spec = choice.spec(project);
        let controls = choice.controls(project, &spec);
        match super::chart(project, &spec) {
            Ok(chart) => Self {
                controls,
                problem: String::new(),
                svg: chart.svg,
                table: chart.table,
                csv: chart.csv,
            },
            Err(problem) => Self {
                controls,
                problem,
                ..Self::default()
            },
        }
    }
}

/// What the Charts view's `<select>`s chose, by their `name`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Choice {
    /// `kind`: the index of the kind in [`ChartKind::ALL`].
    pub kind: String,
    /// `codes`: `all`, `top:N`, `code:ID` (the code and those below it) or `set:ID`.
    pub codes: String,
    /// `attribute`: an attribute id, or empty: the first attribute.
    pub attribute: String,
    /// `bars`: `stacked` or `grouped`.
    pub bars: String,
    /// `source`: a source id, or empty: the first source.
    pub source: String,
}

impl Default for Choice {
    /// The first option of each list, so each `<select>` shows what is charted.
    fn default() -> Self {
        Self {
            kind: "0".into(),
            codes: "all".into(),
            attribute: String::new(),
            bars: "grouped".into(),
            source: String::new(),
        }
    }
}

impl Choice {
    /// The choice of the `<select>` named `name` set to `value` (other names: no change).
    pub fn set(&mut self, name: &str, value: String) {
        match name {
            "kind" => self.kind = value,
            "codes" => self.codes = value,
            "attribute" => self.attribute = value,
            "bars" => self.bars = value,
            "source" => self.source = value,
            _ => {}
        }
    }

    /// The kind chosen (the first when the value is not one).
    pub fn kind(&self) -> ChartKind {
        self.kind
            .parse::<usize>()
            .ok()
            .and_then(|i| ChartKind::ALL.get(i).copied())
            .unwrap_or_default()
    }

    /// The chart these choices ask for in `project` (no attribute or source chosen, or one no
    /// longer there: the first; a code or set no longer there: every code).
    pub fn spec(&self, project: &Project) -> ChartSpec {
        let (kind, rest) = self.codes.split_once(':').unwrap_or(("all", ""));
        let (codes, top) = match kind {
            "top" => (None, rest.parse().ok()),
            "code" => (
                CodeId::parse(rest)
                    .filter(|id| project.code(*id).is_some())
                    .map(|id| project.descendants_and_self(id).into_iter().collect()),
                None,
            ),
            "set" => (
                SetId::parse(rest)
                    .and_then(|id| project.sets.iter().find(|s| s.id == id))
                    .map(|s| s.codes.clone()),
                None,
            ),
            _ => (None, None),
        };
        ChartSpec {
            kind: self.kind(),
            codes,
            top,
            attribute: AttributeId::parse(&self.attribute)
                .filter(|a| project.attribute(*a).is_some())
                .or_else(|| project.attributes.first().map(|a| a.id)),
            stacked: self.bars == "stacked",
            source: SourceId::parse(&self.source)
                .filter(|s| project.source(*s).is_some())
                .or_else(|| project.sources.first().map(|s| s.id)),
        }
    }

    /// The controls' markup for `project` and `spec` (this choice's [`Choice::spec`]): "Chart"
    /// always; "Codes" except for the treemap (every code, the ten or twenty most frequent for
    /// bars, a code and the codes below it, a theme or set); "Attribute" and "Bars" for codes by
    /// attribute value; "Source" for a portrait. Each is `<span><label for='chart-NAME'>…
    /// </label> <select id='chart-NAME' name='NAME'>…</select></span>`.
    pub fn controls(&self, project: &Project, spec: &ChartSpec) -> String {
        let mut out = String::new();
        let kinds: Vec<(String, String)> = ChartKind::ALL
            .iter()
            .enumerate()
            .map(|(i, k)| (i.to_string(), k.label().to_string()))
            .collect();
        let chosen_kind = (ChartKind::ALL.iter().position(|k| *k == spec.kind))
            .unwrap_or_default()
            .to_string();
        select(&mut out, "Chart", "kind", |o| {
            options(o, &kinds, &chosen_kind)
        });
        if spec.kind != ChartKind::Hierarchy {
            let bars = matches!(spec.kind, ChartKind::Frequencies | ChartKind::ByAttribute);
            let mut first = vec![("all".to_string(), "Every code".to_string())];
            if bars {
                for n in [10, 20] {
                    first.push((format!("top:{n}"), format!("The {n} most frequent")));
                }
            }
            let tree: Vec<(String, String)> = project
                .code_tree()
                .into_iter()
                .filter_map(|(id, depth)| {
                    let code = project.code(id)?;
                    Some((
                        format!("code:{id}"),
                        format!("{}{}", "\u{a0}\u{a0}".repeat(depth), code.name),
                    ))
                })
                .collect();
            let sets: Vec<(String, String)> = project
                .sets
                .iter()
                .map(|s| (format!("set:{}", s.id), s.name.clone()))
                .collect();
            select(&mut out, "Codes", "codes", |o| {
                options(o, &first, &self.codes);
                o.push_str("<optgroup label='A code and the codes below it'>");
                options(o, &tree, &self.codes);
                o.push_str("</optgroup>");
                if !sets.is_empty() {
                    o.push_str("<optgroup label='A theme or set'>");
                    options(o, &sets, &self.codes);
                    o.push_str("</optgroup>");
                }
            });
        }
        if spec.kind == ChartKind::ByAttribute {
            let chosen = spec.attribute.map(|a| a.to_string()).unwrap_or_default();
            let attributes: Vec<(String, String)> = project
                .attributes
                .iter()
                .map(|a| (a.id.to_string(), a.name.clone()))
                .collect();
            select(&mut out, "Attribute", "attribute", |o| {
                options(o, &attributes, &chosen)
            });
            let bars = [("grouped", "Grouped"), ("stacked", "Stacked")]
                .map(|(v, l)| (v.to_string(), l.to_string()));
            let chosen = if spec.stacked { "stacked" } else { "grouped" };
            select(&mut out, "Bars", "bars", |o| options(o, &bars, chosen));
        }
        if spec.kind == ChartKind::Portrait {
            let chosen = spec.source.map(|s| s.to_string()).unwrap_or_default();
            let sources: Vec<(String, String)> = project
                .sources
                .iter()
                .map(|s| (s.id.to_string(), s.name.clone()))
                .collect();
            select(&mut out, "Source", "source", |o| {
                options(o, &sources, &chosen)
            });
        }
        out
    }
}

/// Writes a labelled `<select>` named `name`, its options written by `fill`.
fn select(out: &mut String, label: &str, name: &str, fill: impl FnOnce(&mut String)) {
    let _ = write!(
        out,
        "<span><label for='chart-{name}'>{}</label> <select id='chart-{name}' name='{name}'>",
        esc(label)
    );
    fill(out);
    out.push_str("</select></span>");
}

/// Writes the `<option>`s of `(value, label)` pairs, `chosen` the selected one.
fn options(out: &mut String, list: &[(String, String)], chosen: &str) {
    for (value, label) in list {
        let selected = if value == chosen { " selected" } else { "" };
        let _ = write!(
            out,
            "<option value='{}'{selected}>{}</option>",
            esc(value),
            esc(label)
        );
    }
}
