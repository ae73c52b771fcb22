//! Bar charts: code frequencies (one bar per code) and codes by attribute value (a bar per value
//! in each code's band, or one stacked bar per code). Bars are horizontal so long code names
//! stay readable on the left.

use super::svg::{self, chars_in, code_names, cut, Svg, LABEL_CHARS, LABEL_WIDTH, MUTED, WIDTH};
use super::{chosen_codes, most_frequent, Chart, ChartSpec};
use crate::crosstab::{crosstab, Columns, Spec};
use crate::project::Project;
use crate::words;

/// One code's band: its label, path and the bars or stacked parts in it.
struct Band {
    name: String,
    path: String,
    /// Per series (one for frequencies, one per attribute value): the count.
    values: Vec<u64>,
    /// The band's colours, per series (frequencies: the code's colour).
    colors: Vec<String>,
}

/// Coded segments per code ([`Project::code_counts`]), the most frequent first.
pub(super) fn frequencies(project: &Project, spec: &ChartSpec) -> Chart {
    let counts = project.code_counts();
    let bars: Vec<(crate::CodeId, u64)> = chosen_codes(project, spec)
        .into_iter()
        .map(|id| (id, counts.get(&id).map_or(0, |c| c.codings as u64)))
        .collect();
    let bars = most_frequent(bars, |(_, n)| *n, spec.top);
    let title = "Code frequencies".to_string();
    let total: u64 = bars.iter().map(|(_, n)| n).sum();
    let description = format!(
        "Horizontal bar chart of the coded segments of {} (the most frequent first; {} in all).",
        words::count(bars.len(), "code", "codes"),
        words::count(total as usize, "coded segment", "coded segments"),
    );
    let bands: Vec<Band> = bars
        .iter()
        .map(|(id, n)| {
            let (name, path) = code_names(project, *id);
            Band {
                name,
                path,
                values: vec![*n],
                colors: vec![svg::color_of(project.code(*id))],
            }
        })
        .collect();
    let svg = draw(&title, &description, &[], &bands, false);
    let rows: Vec<Vec<String>> = bands
        .iter()
        .map(|b| vec![b.path.clone(), b.values.iter().sum::<u64>().to_string()])
        .collect();
    Chart::new(&title, svg, &["Code", "Coded segments"], &rows)
}

/// Coded segments per code in the cases of each value of the chosen attribute (the crosstab's
/// code × attribute-value counts).
pub(super) fn by_attribute(project: &Project, spec: &ChartSpec) -> Result<Chart, String> {
    let attribute = spec
        .attribute
        .and_then(|a| project.attribute(a))
        .ok_or("Choose an attribute whose values to compare.")?;
    let mut xs = Spec::new(Columns::Attribute(attribute.id));
    xs.codes = Some(chosen_codes(project, spec));
    let table = crosstab(project, &xs);
    if table.columns.is_empty() {
        return Err(format!(
            "There are no cases to compare by “{}” yet: add cases in the Cases tab.",
            attribute.name
        ));
    }
    // Sub-cases without a value of their own (participants under a site) are counted under
    // their parent's value already (sub-cases included): a "(no value)" column of only such
    // cases would count the same segments twice, so it is left out.
    let inherited = |case: crate::CaseId| {
        let mut current = project.case(case).and_then(|c| c.parent);
        for _ in 0..project.cases.len() {
            let Some(parent) = current.and_then(|p| project.case(p)) else {
                return false;
            };
            if parent.values.contains_key(&attribute.id) {
                return true;
            }
            current = parent.parent;
        }
        false
    };
    let kept: Vec<usize> = (0..table.columns.len())
        .filter(|c| {
            table.columns.get(*c).is_some_and(|column| {
                column.cases.iter().any(|case| {
                    project
                        .case(*case)
                        .is_some_and(|k| k.values.contains_key(&attribute.id))
                        || !inherited(*case)
                })
            })
        })
        .collect();
    let rows: Vec<(usize, u64)> = (0..table.rows.len())
        .map(|r| (r, table.row_totals.get(r).copied().unwrap_or(0)))
        .collect();
    let rows = most_frequent(rows, |(_, n)| *n, spec.top);
    let values: Vec<String> = kept
        .iter()
        .filter_map(|c| table.columns.get(*c).map(|c| c.label.clone()))
        .collect();
    let colors: Vec<String> = (0..values.len())
        .map(|i| crate::palette::color_for(i).to_string())
        .collect();
    let bands: Vec<Band> = rows
        .iter()
        .filter_map(|(r, _)| {
            let row = table.rows.get(*r)?;
            let (name, path) = code_names(project, row.code);
            Some(Band {
                name,
                path,
                values: kept
                    .iter()
                    .map(|c| {
                        table
                            .cells
                            .get(*r)
                            .and_then(|v| v.get(*c))
                            .copied()
                            .unwrap_or(0)
                    })
                    .collect(),
                colors: colors.clone(),
            })
        })
        .collect();
    let title = format!("Codes by {}", attribute.name);
    let description = format!(
        "{} bar chart of the coded segments of {} in the cases of each value of “{}” ({}). \
         Coded segments outside every case are not counted; sub-cases without a value count \
         under their parent case's.",
        if spec.stacked { "Stacked" } else { "Grouped" },
        words::count(bands.len(), "code", "codes"),
        attribute.name,
        values.join(", "),
    );
    let legend: Vec<(String, String)> = values.iter().cloned().zip(colors).collect();
    let svg = draw(&title, &description, &legend, &bands, !spec.stacked);
    let header: Vec<&str> = std::iter::once("Code")
        .chain(values.iter().map(String::as_str))
        .collect();
    let rows: Vec<Vec<String>> = bands
        .iter()
        .map(|b| {
            std::iter::once(b.path.clone())
                .chain(b.values.iter().map(u64::to_string))
                .collect()
        })
        .collect();
    Ok(Chart::new(&title, svg, &header, &rows))
}

/// Height of one bar of a series in a grouped band.
const GROUPED_BAR: f64 = 12.0;
/// Height of a band with one bar (frequencies, stacked).
const BAND: f64 = 26.0;

/// The bar chart: a legend of series when there are several, a band per code with its label,
/// bars (side by side when `grouped`, else stacked) and their counts, the counts' axis.
fn draw(
    title: &str,
    description: &str,
    legend: &[(String, String)],
    bands: &[Band],
    grouped: bool,
) -> String {
    let series = bands
        .iter()
        .map(|b| b.values.len())
        .max()
        .unwrap_or(1)
        .max(1);
    // The legend's items, wrapped onto lines.
    let mut items = Vec::new();
    let (mut x, mut y) = (16.0, 44.0);
    for (label, color) in legend {
        let label = cut(label, 24);
        let width = 18.0 + label.chars().count() as f64 * 7.0 + 18.0;
        if x + width > WIDTH - 16.0 && x > 16.0 {
            x = 16.0;
            y += 20.0;
        }
        items.push((x, y, label, color));
        x += width;
    }
    let top = if legend.is_empty() { 44.0 } else { y + 22.0 };
    let band = if grouped {
        series as f64 * GROUPED_BAR + 10.0
    } else {
        BAND
    };
    let bottom = top + band * bands.len() as f64;
    let height = bottom + 48.0;
    let mut out = Svg::new(height, title, description);
    for (x, y, label, color) in &items {
        out.rect(*x, y - 10.0, 12.0, 12.0, color, "");
        out.text(x + 18.0, *y, "", label);
    }
    let largest = bands
        .iter()
        .flat_map(|b| {
            if grouped {
                b.values.clone()
            } else {
                vec![b.values.iter().sum()]
            }
        })
        .max()
        .unwrap_or(0);
    let (step, last) = svg::ticks(largest);
    let (x0, x1) = (LABEL_WIDTH, WIDTH - 56.0);
    let scale = (x1 - x0) / last as f64;
    svg::x_axis(
        &mut out,
        (x0, x1),
        (top, bottom),
        last / step,
        |i| (i * step).to_string(),
        "Coded segments",
    );
    for (i, b) in bands.iter().enumerate() {
        let y = top + band * i as f64;
        out.group(&b.path);
        out.text(
            x0 - 8.0,
            y + band / 2.0 + 4.0,
            r#" text-anchor="end""#,
            &cut(&b.name, LABEL_CHARS),
        );
        let mut at = x0;
        for (s, value) in b.values.iter().enumerate() {
            let color = b.colors.get(s).map_or(MUTED, String::as_str);
            let series_name = legend.get(s).map(|(l, _)| l.as_str());
            let tip = match series_name {
                Some(v) => format!(
                    "{} — {v}: {}",
                    b.path,
                    words::count(*value as usize, "coded segment", "coded segments")
                ),
                None => format!(
                    "{}: {}",
                    b.path,
                    words::count(*value as usize, "coded segment", "coded segments")
                ),
            };
            let w = *value as f64 * scale;
            let attrs = format!(r#" class="bar" data-value="{value}""#);
            if grouped {
                let by = y + 5.0 + s as f64 * GROUPED_BAR;
                out.rect(x0, by, w, GROUPED_BAR - 2.0, color, &attrs);
                out.tip(&tip);
                out.text(
                    x0 + w + 4.0,
                    by + GROUPED_BAR - 3.0,
                    &format!(r#" font-size="10" fill="{MUTED}""#),
                    &value.to_string(),
                );
            } else {
                out.rect(at, y + 4.0, w, band - 8.0, color, &attrs);
                out.tip(&tip);
                // A part's count inside it when it fits (stacked bars).
                let count = value.to_string();
                if b.values.len() > 1 && *value > 0 && chars_in(w - 4.0) >= count.len() {
                    out.text(
                        at + w / 2.0,
                        y + band / 2.0 + 4.0,
                        &format!(
                            r#" text-anchor="middle" font-size="10" fill="{}""#,
                            svg::ink_on(color)
                        ),
                        &count,
                    );
                }
                at += w;
            }
        }
        if !grouped {
            let total: u64 = b.values.iter().sum();
            out.text(at + 4.0, y + band / 2.0 + 4.0, "", &total.to_string());
        }
        out.end_group();
    }
    out.finish()
}
