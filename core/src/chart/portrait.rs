//! The document portrait: one lane per code that occurs in a source (codebook-tree order), each
//! coded segment a mark at its place along the text, from its start (left) to its end (right).
//! Positions are in characters (not bytes), so accented and non-Latin text is drawn to scale.

use super::svg::{self, code_names, cut, Svg, GRID, LABEL_CHARS, LABEL_WIDTH, WIDTH};
use super::{chosen_codes, Chart, ChartSpec};
use crate::project::{Coding, Project};
use crate::words;
use std::collections::HashMap;

/// Height of a code's lane.
const LANE: f64 = 22.0;

/// The portrait of the chosen source, or why not.
pub(super) fn portrait(project: &Project, spec: &ChartSpec) -> Result<Chart, String> {
    let source = spec
        .source
        .and_then(|s| project.source(s))
        .ok_or("Choose a source to draw its portrait.")?;
    let order: HashMap<crate::CodeId, usize> = chosen_codes(project, spec)
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let mut codings: Vec<&Coding> = project
        .codings
        .get(&source.id)
        .map(|list| {
            list.iter()
                .filter(|c| order.contains_key(&c.code))
                .collect()
        })
        .unwrap_or_default();
    let length = source.text.chars().count();
    if codings.is_empty() || length == 0 {
        return Err(format!(
            "“{}” has no coded segments{} yet.",
            source.name,
            if spec.codes.is_some() {
                " of the chosen codes"
            } else {
                ""
            }
        ));
    }
    // Lanes in tree order; in a lane, text order (codings are kept sorted by start).
    crate::sort::sort_by_key(&mut codings, |c| order.get(&c.code).copied());
    let chars = char_positions(&source.text, &codings);
    let at = |byte: usize| chars.get(&byte).copied().unwrap_or(0) as f64 / length as f64;
    let mut lanes: Vec<(crate::CodeId, Vec<&Coding>)> = Vec::new();
    for coding in codings {
        match lanes.last_mut() {
            Some((code, list)) if *code == coding.code => list.push(coding),
            _ => lanes.push((coding.code, vec![coding])),
        }
    }
    let segments: usize = lanes.iter().map(|(_, l)| l.len()).sum();
    let title = format!("Document portrait: {}", source.name);
    let description = format!(
        "Where each code occurs along “{}” ({}): {}, {}; the start of the text is on the left, \
         its end on the right.",
        source.name,
        words::count(length, "character", "characters"),
        words::count(lanes.len(), "code", "codes"),
        words::count(segments, "coded segment", "coded segments"),
    );
    let top = 44.0;
    let bottom = top + LANE * lanes.len() as f64;
    let mut out = Svg::new(bottom + 48.0, &title, &description);
    let (x0, x1) = (LABEL_WIDTH, WIDTH - 24.0);
    svg::x_axis(
        &mut out,
        (x0, x1),
        (top, bottom),
        4,
        |i| format!("{}%", i * 25),
        "Position in the text (% of its length)",
    );
    let mut rows = Vec::new();
    for (i, (code, list)) in lanes.iter().enumerate() {
        let y = top + LANE * i as f64;
        let (name, path) = code_names(project, *code);
        let color = svg::color_of(project.code(*code));
        out.group(&format!(
            "{path}: {}",
            words::count(list.len(), "coded segment", "coded segments")
        ));
        out.text(
            x0 - 8.0,
            y + LANE / 2.0 + 4.0,
            r#" text-anchor="end""#,
            &cut(&name, LABEL_CHARS),
        );
        out.rect(x0, y + 3.0, x1 - x0, LANE - 6.0, "#f6f6f6", "");
        for coding in list {
            let (from, to) = (at(coding.span.start), at(coding.span.end));
            let (from_pc, to_pc) = (format!("{:.1}", from * 100.0), format!("{:.1}", to * 100.0));
            let w = ((to - from) * (x1 - x0)).max(2.0);
            out.rect(
                x0 + from * (x1 - x0),
                y + 3.0,
                w,
                LANE - 6.0,
                &color,
                &format!(r#" class="mark" stroke="{GRID}" stroke-width="0.5""#),
            );
            out.tip(&format!("{path}: {from_pc}%–{to_pc}% of the text"));
            rows.push(vec![path.clone(), from_pc, to_pc]);
        }
        out.end_group();
    }
    Ok(Chart::new(
        &title,
        out.finish(),
        &["Code", "From (% of the text)", "To (% of the text)"],
        &rows,
    ))
}

/// The character index of every coding's start and end byte, in one walk over the text.
fn char_positions(text: &str, codings: &[&Coding]) -> HashMap<usize, usize> {
    let mut bytes: Vec<usize> = codings
        .iter()
        .flat_map(|c| [c.span.start, c.span.end])
        .collect();
    bytes.sort_unstable();
    bytes.dedup();
    let mut out = HashMap::new();
    let mut next = bytes.iter().peekable();
    for (chars, (byte, _)) in text.char_indices().enumerate() {
        while let Some(b) = next.next_if(|b| **b <= byte) {
            out.insert(*b, chars);
        }
    }
    let length = text.chars().count();
    for b in next {
        out.insert(*b, length);
    }
    out
}
