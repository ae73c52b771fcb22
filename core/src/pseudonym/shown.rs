//! Pseudonymisation written out for the page: the worker plans (`Request::Pseudonymise`) and
//! checks exports (`Request::CheckNames`), and answers with the preview and the export check's
//! lists as markup (every text escaped), the sentence "Replaced …", and the plan as the action
//! that applies it in a plain form ([`flat_edits`], places as [`Place::code`] text), all in one
//! [`PseudonymShown`]. So the app's main
//! wasm holds neither the matcher, the grouping nor the lists' `html!` trees, and a whole project
//! is neither planned nor searched for names on the page's thread.

use super::{
    apply_action, counts, names_in, remaining, summary, Group, Occurrence, Replacement, NOT_TOUCHED,
};
use crate::action::Action;
use crate::edit::TextEdit;
use crate::model::place::Place;
use crate::project::{Project, Pseudonym};
use crate::span::Span;
use crate::text::xml_escape;
use crate::words::count;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Most items listed per group in the preview (the counts are always complete).
pub const SHOWN_PER_GROUP: usize = 200;

/// How many places or passages the export check lists (the counts are complete).
pub const SHOWN_FOUND: usize = 12;

/// What the worker answers a pseudonymisation plan or an export check with: a count, markup, and
/// for a plan the sentence once applied and the action. It travels as one list of strings (the
/// count, the markup, the sentence, then the edits), so that the app's main wasm decodes it with
/// the decoder it has for lists of strings instead of one of its own.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(into = "Vec<String>", try_from = "Vec<String>")]
pub struct PseudonymShown {
    /// A plan: how many replacements it makes (0: the project does not mention the names). A
    /// check: how many real names ("would still contain 3 real names"): the places found, or the
    /// passages found in the bytes when the export is not of the whole project (0: clean).
    pub count: usize,
    /// A plan: the preview, a `<section>` named "Preview of replacements". A check: where, the
    /// places grouped ("Places") and listed ("Where"), or the passages of the bytes ("Where").
    pub markup: String,
    /// A plan: what the dialog says once it is applied ([`applied_message`]).
    pub applied: String,
    /// A plan: the action that applies it, flattened ([`flat_edits`], back with [`action`]).
    pub edits: Vec<String>,
}

impl From<PseudonymShown> for Vec<String> {
    fn from(shown: PseudonymShown) -> Self {
        let mut out = vec![shown.count.to_string(), shown.markup, shown.applied];
        out.extend(shown.edits);
        out
    }
}

impl TryFrom<Vec<String>> for PseudonymShown {
    type Error = String;

    fn try_from(list: Vec<String>) -> Result<Self, String> {
        let mut list = list.into_iter();
        let count = list.next().and_then(|n| n.parse().ok());
        match (count, list.next(), list.next()) {
            (Some(count), Some(markup), Some(applied)) => Ok(Self {
                count,
                markup,
                applied,
                edits: list.collect(),
            }),
            _ => Err("not a pseudonymisation answer".into()),
        }
    }
}

/// The action applying `plan` ([`apply_action`]) as a list of strings, so that the page decodes
/// it with the decoder it has for lists of strings: the undo step's label, then four strings
/// per edit — the place ([`Place::code`]), the start and end bytes, and the text written —
/// place by place, each place's edits sorted as [`apply_action`] sorts them.
pub fn flat_edits(plan: &[Replacement]) -> Vec<String> {
    let Action::ReplaceNames { label, edits } = apply_action(plan) else {
        return Vec::new();
    };
    let mut out = vec![label];
    for (place, list) in edits {
        let code = place.code();
        for e in list {
            out.extend([
                code.clone(),
                e.span.start.to_string(),
                e.span.end.to_string(),
                e.with,
            ]);
        }
    }
    out
}

/// The action [`flat_edits`] wrote (one undo step; consecutive edits of one place are that
/// place's); `None` when it cannot be read (a worker of another build).
pub fn action(flat: &[String]) -> Option<Action> {
    let (label, rest) = flat.split_first()?;
    if rest.len() % 4 != 0 {
        return None;
    }
    let mut edits: Vec<(Place, Vec<TextEdit>)> = Vec::new();
    for edit in rest.chunks(4) {
        let [code, start, end, with] = edit else {
            return None;
        };
        let edit = TextEdit {
            span: Span::new(number(start)?, number(end)?),
            with: with.clone(),
        };
        let place = Place::from_code(code)?;
        match edits.last_mut() {
            Some((last, list)) if *last == place => list.push(edit),
            _ => edits.push((place, vec![edit])),
        }
    }
    Some(Action::ReplaceNames {
        label: label.clone(),
        edits,
    })
}

/// A byte offset written by [`flat_edits`] (kept out of line: the page's code is small).
#[inline(never)]
fn number(text: &str) -> Option<usize> {
    text.parse().ok()
}

/// `plan` (of `key` over `project`) written out for the page.
pub fn plan_shown(project: &Project, key: &[Pseudonym], plan: &[Replacement]) -> PseudonymShown {
    PseudonymShown {
        count: plan.len(),
        markup: preview(project, key, plan),
        applied: applied_message(project, plan),
        edits: flat_edits(plan),
    }
}

/// "Replaced 31 mentions (Speakers: 2 in 1 source (30 turns); Memos: 1). Undo…"
pub fn applied_message(project: &Project, plan: &[Replacement]) -> String {
    let groups: Vec<String> = summary(project, plan).into_iter().map(|g| g.line).collect();
    format!(
        "Replaced {} ({}). Undo (Ctrl+Z) puts every name back.",
        count(plan.len(), "mention", "mentions"),
        groups.join("; ")
    )
}

/// `…before<mark>found</mark>after…` in a `pseudo-context` span.
fn context(out: &mut String, before: &str, found: &str, after: &str) {
    let _ = write!(
        out,
        "<span class=\"pseudo-context\">…{}<mark>{}</mark>{}…</span>",
        xml_escape(before),
        xml_escape(found),
        xml_escape(after)
    );
}

/// A list item "… and N more" when `more` is not 0.
fn more_item(out: &mut String, more: usize) {
    if more > 0 {
        let _ = write!(out, "<li class=\"hint\">… and {more} more</li>");
    }
}

/// The lines of `summary` as the list named "Places".
fn place_lines(out: &mut String, project: &Project, plan: &[Replacement]) {
    out.push_str("<ul class=\"pseudo-counts\" aria-label=\"Places\">");
    for g in summary(project, plan) {
        let _ = write!(out, "<li>{}</li>", xml_escape(&g.line));
    }
    out.push_str("</ul>");
}

/// The preview of a plan: counts per key entry, then the replacements grouped by place with
/// their context, then what pseudonymisation leaves alone and why.
pub fn preview(project: &Project, key: &[Pseudonym], plan: &[Replacement]) -> String {
    let mut out =
        String::from("<section class=\"pseudo-preview\" aria-label=\"Preview of replacements\">");
    let _ = write!(
        out,
        "<h3>Preview: {}</h3><ul class=\"pseudo-counts\" aria-label=\"Mentions per entry\">",
        count(plan.len(), "replacement", "replacements")
    );
    for (k, n) in key.iter().zip(counts(plan, key.len())) {
        let _ = write!(
            out,
            "<li>{} → {}: {}</li>",
            xml_escape(&k.real),
            xml_escape(&k.pseudonym),
            count(n, "mention", "mentions")
        );
    }
    out.push_str("</ul>");
    if plan.is_empty() {
        out.push_str("<p class=\"hint\">The project does not mention these names anywhere (matching is whole-word and ignores case).</p>");
    } else {
        place_lines(&mut out, project, plan);
        for g in summary(project, plan) {
            let items: Vec<&Replacement> =
                plan.iter().filter(|r| r.place.group() == g.group).collect();
            let _ = write!(
                out,
                "<h4>{}</h4><ol class=\"pseudo-list\" aria-label=\"{}\" tabindex=\"0\">",
                xml_escape(&g.line),
                xml_escape(g.group.label())
            );
            for r in items.iter().take(SHOWN_PER_GROUP) {
                let place = if g.group == Group::SourceText {
                    r.source()
                        .and_then(|s| project.source(s))
                        .map(|s| s.name.clone())
                        .unwrap_or_default()
                } else {
                    r.place.describe(project)
                };
                let _ = write!(
                    out,
                    "<li><span class=\"pseudo-source\">{}</span>",
                    xml_escape(&place)
                );
                context(&mut out, &r.context_before, &r.found, &r.context_after);
                let _ = write!(
                    out,
                    "<span class=\"pseudo-with\">→ {}</span></li>",
                    xml_escape(&r.with)
                );
            }
            more_item(&mut out, items.len().saturating_sub(SHOWN_PER_GROUP));
            out.push_str("</ol>");
        }
    }
    out.push_str("<details class=\"pseudo-untouched\"><summary>Not touched, and why</summary><ul aria-label=\"Not touched\">");
    for (what, why) in NOT_TOUCHED {
        let _ = write!(
            out,
            "<li><strong>{}</strong>: {}</li>",
            xml_escape(what),
            xml_escape(why)
        );
    }
    out.push_str("</ul></details></section>");
    out
}

/// The check every export runs before it writes: the real names of `key` still in `written`
/// (its bytes, or text for a zip the page cannot unpack), and, when the export carries the whole
/// project, in each place of `exported` (the project as written, without the key: the key itself
/// is only ever written when the researcher ticks it): how many and where
/// ([`PseudonymShown::count`] 0 when clean or when `key` is empty).
pub fn check(key: &[Pseudonym], exported: Option<&Project>, written: &[u8]) -> PseudonymShown {
    if key.is_empty() {
        return PseudonymShown::default();
    }
    let places = exported.map(|p| remaining(p, key)).unwrap_or_default();
    let found = names_in(written, key);
    if places.is_empty() && found.is_empty() {
        return PseudonymShown::default();
    }
    PseudonymShown {
        count: places.len().max(found.len()),
        markup: match exported {
            Some(project) if !places.is_empty() => where_places(project, &places),
            _ => where_written(&found),
        },
        ..PseudonymShown::default()
    }
}

/// The places of a project that still hold a real name: grouped, then listed.
fn where_places(project: &Project, places: &[Replacement]) -> String {
    let mut out = String::new();
    place_lines(&mut out, project, places);
    out.push_str("<ol class=\"pseudo-list\" aria-label=\"Where\" tabindex=\"0\">");
    for r in places.iter().take(SHOWN_FOUND) {
        let _ = write!(
            out,
            "<li><span class=\"pseudo-source\">{}</span>",
            xml_escape(&r.place.describe(project))
        );
        context(&mut out, &r.context_before, &r.found, &r.context_after);
        out.push_str("</li>");
    }
    more_item(&mut out, places.len().saturating_sub(SHOWN_FOUND));
    out.push_str("</ol>");
    out
}

/// The passages of the written bytes that hold a real name.
fn where_written(found: &[Occurrence]) -> String {
    let mut out = String::from("<ol class=\"pseudo-list\" aria-label=\"Where\" tabindex=\"0\">");
    for o in found.iter().take(SHOWN_FOUND) {
        out.push_str("<li>");
        context(&mut out, &o.context_before, &o.found, &o.context_after);
        out.push_str("</li>");
    }
    more_item(&mut out, found.len().saturating_sub(SHOWN_FOUND));
    out.push_str("</ol>");
    out
}
