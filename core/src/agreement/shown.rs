//! What the Agreement view shows, written out in the worker (`protocol::Request::Agreement`):
//! the table per code and overall (or why there is none) and the passages where the first two
//! coders differ, side by side with the buttons that resolve them, as markup with every text
//! escaped. The page puts it in as it is and reads a clicked button's `data-d` (the passage's
//! place in [`Written::listed`]) and `data-how`, so it holds no table, list or float formatting.

use super::{compare, disagreements, Comparison, Disagreement, Shown};
use crate::ids::CodingId;
use crate::model::project::Project;
use crate::text::{context_after, xml_escape};
use crate::words;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Disagreements listed at once (resolving them lists the next).
pub const LISTED: usize = 50;
/// Characters of a coded passage shown before it is cut.
const PASSAGE_CHARS: usize = 240;

/// The Agreement view's result, written out.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Written {
    /// The table (or the sentence saying why there is none) and the disagreement list.
    pub markup: String,
    /// The disagreements listed, in the order of their `data-d` numbers (at most [`LISTED`]).
    pub listed: Vec<Disagreement>,
}

/// `comparison` over `project`, written out: [`compare`]'s table and, when it could be made,
/// the first [`LISTED`] of the first two coders' [`disagreements`].
pub fn written(project: &Project, comparison: &Comparison) -> Written {
    let (first, second) = (
        comparison.coders.first().map_or("", String::as_str),
        comparison.coders.get(1).map_or("", String::as_str),
    );
    let report = match compare(project, comparison) {
        Ok(report) => report,
        Err(e) => {
            return Written {
                markup: format!(
                    "<p class='agreement-error' role='alert'>{}</p>",
                    xml_escape(&e.to_string())
                ),
                listed: Vec::new(),
            }
        }
    };
    let mut out = table(&report.shown(first, second, comparison.min_overlap));
    let mut listed = Vec::new();
    if comparison.coders.len() >= 2 {
        let found = disagreements(
            project,
            first,
            second,
            &comparison.sources,
            &comparison.codes,
        );
        list(&mut out, project, (first, second), &found);
        listed = found.into_iter().take(LISTED).collect();
    }
    Written {
        markup: out,
        listed,
    }
}

/// The table's markup, or the sentence when no code was used.
fn table(shown: &Shown) -> String {
    if shown.rows.is_empty() {
        return "<p class='empty-state'>Neither coder used a code in these sources.</p>".into();
    }
    let cells = |out: &mut String, cells: &[String]| {
        for c in cells {
            let _ = write!(out, "<td>{}</td>", xml_escape(c));
        }
    };
    let mut out = format!(
        "<table class='agreement-table'><caption>{}</caption><thead><tr><th scope='col'>Code</th>",
        xml_escape(&shown.caption)
    );
    for h in &shown.heads {
        let _ = write!(out, "<th scope='col'>{}</th>", xml_escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for (name, row) in &shown.rows {
        let _ = write!(out, "<tr><th scope='row'>{}</th>", xml_escape(name));
        cells(&mut out, row);
        out.push_str("</tr>");
    }
    out.push_str("</tbody><tfoot><tr><th scope='row'>Overall</th>");
    cells(&mut out, &shown.overall);
    out.push_str("</tr></tfoot></table>");
    out
}

/// The disagreement list: a heading with the count, the first [`LISTED`] passages each with
/// both coders' coded text and the four resolutions.
fn list(
    out: &mut String,
    project: &Project,
    (first, second): (&str, &str),
    found: &[Disagreement],
) {
    let heading = if found.is_empty() {
        "No disagreements: the two coders coded the same text.".to_string()
    } else {
        format!(
            "Disagreements: {}",
            words::count(found.len(), "passage", "passages")
        )
    };
    let _ = write!(
        out,
        "<section class='disagreements' aria-label='Disagreements'><h3 role='status'>{heading}</h3>"
    );
    if found.len() > LISTED {
        let _ = write!(
            out,
            "<p class='muted'>The first {LISTED} are shown; resolve them to see more.</p>"
        );
    }
    out.push_str("<ul class='disagreement-list'>");
    let (first_e, second_e) = (xml_escape(first), xml_escape(second));
    for (i, d) in found.iter().take(LISTED).enumerate() {
        let source = xml_escape(
            &project
                .source(d.source)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        );
        let code = xml_escape(&project.code_path(d.code));
        let _ = write!(
            out,
            "<li class='disagreement' aria-label='{code} in {source}'><h3>\
             <span class='disagreement-code'>{code}</span> in \
             <button type='button' class='link' data-d='{i}' data-how='open' \
             title='Open this passage in the reading view'>{source}</button></h3>\
             <div class='agreement-sides'>"
        );
        side(out, project, &d.first, &first_e);
        side(out, project, &d.second, &second_e);
        let _ = write!(
            out,
            "</div><div class='disagreement-actions' role='group' \
             aria-label='Resolve {code} in {source}'>"
        );
        for (how, label) in [
            ("first", format!("Keep {first_e}’s")),
            ("second", format!("Keep {second_e}’s")),
            ("both", "Keep both".into()),
            ("remove", "Remove".into()),
        ] {
            let _ = write!(
                out,
                "<button type='button' data-d='{i}' data-how='{how}'>{label}</button>"
            );
        }
        out.push_str("</div></li>");
    }
    out.push_str("</ul></section>");
}

/// One coder's side of a passage: their coded text, each cut at [`PASSAGE_CHARS`], or "Not
/// coded". `who` is escaped already.
fn side(out: &mut String, project: &Project, ids: &[CodingId], who: &str) {
    let _ = write!(out, "<div class='agreement-side'><h4>{who}</h4>");
    let mut any = false;
    for c in ids.iter().filter_map(|id| project.coding(*id)) {
        any = true;
        let text = context_after(project.coded_text(c).trim(), 0, PASSAGE_CHARS);
        let _ = write!(out, "<blockquote>{}</blockquote>", xml_escape(&text));
    }
    if !any {
        out.push_str("<p class='muted'>Not coded</p>");
    }
    out.push_str("</div>");
}
