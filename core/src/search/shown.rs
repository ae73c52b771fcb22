//! Search results written out for the page ([`SearchShown`]): the worker answers the Search view
//! with the count line, the counts per source and the keyword-in-context lines as markup (every
//! text escaped), sorted as asked, so the app's main wasm decodes strings and the hits' places
//! instead of [`SearchResults`] and renders no line itself. The lines carry what the page needs
//! in `data-` attributes: a tick box's hit number in document order (`data-i`) and, on the tick
//! box and the line's button, the hit's source and bytes (`data-s`, `data-a`, `data-b`).

use super::{count_line, Hit, Order, SearchResults, SearchShown, Shown};
use crate::ids::SourceId;
use crate::project::Project;
use crate::span::Span;
use crate::text::xml_escape;
use crate::words;
use std::fmt::Write;

/// Up to this many sources with hits, their counts are shown open; more are folded under
/// "Hits per source (N sources)".
pub const PER_SOURCE_OPEN: usize = 12;

/// The hits' places in document order, grouped by source.
pub fn places(results: &SearchResults) -> Vec<(SourceId, Vec<Span>)> {
    let mut out: Vec<(SourceId, Vec<Span>)> = Vec::new();
    for hit in &results.hits {
        match out.last_mut() {
            Some((source, spans)) if *source == hit.source => spans.push(hit.span),
            _ => out.push((hit.source, vec![hit.span])),
        }
    }
    out
}

/// The results as `shown` asks (see [`Shown`]).
pub fn written(project: &Project, results: &SearchResults, shown: &Shown) -> SearchShown {
    let markup = match shown {
        Shown::Places => String::new(),
        Shown::Lines {
            order,
            lines: n,
            ticked,
        } => lines(project, results, *order, *n, ticked),
    };
    SearchShown {
        status: count_line(results),
        markup,
        total: results.total,
        places: places(results),
    }
}

/// The order in which the hits are drawn (indices into `hits`; stable, so equal keys keep
/// document order).
pub fn ordered(project: &Project, hits: &[Hit], order: Order) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..hits.len()).collect();
    let hit = |i: &usize| hits.get(*i);
    match order {
        Order::Document => {}
        Order::Source => crate::sort::sort_by_key(&mut idx, |i| {
            hit(i)
                .and_then(|h| project.source(h.source))
                .map(|s| s.name.to_lowercase())
                .unwrap_or_default()
        }),
        Order::Speaker => crate::sort::sort_by_key(&mut idx, |i| {
            hit(i)
                .and_then(|h| h.speaker.as_ref())
                .map(|s| (0, s.to_lowercase()))
                .unwrap_or((1, String::new()))
        }),
        Order::Hit => crate::sort::sort_by_key(&mut idx, |i| {
            hit(i)
                .map(|h| (h.text.to_lowercase(), h.after.to_lowercase()))
                .unwrap_or_default()
        }),
    }
    idx
}

/// The Search view's results as markup: the counts per source (folded under a summary beyond
/// [`PER_SOURCE_OPEN`] sources), how many hits are held when
/// fewer than all, the first `drawn` lines in `order` (the hits numbered in `ticked` ticked), and
/// "Show more" while lines are left; a sentence when nothing was found.
pub fn lines(
    project: &Project,
    results: &SearchResults,
    order: Order,
    drawn: usize,
    ticked: &[usize],
) -> String {
    if results.total == 0 {
        return "<p class=\"empty-state\">No hits: try other words, or fewer options.</p>".into();
    }
    let name = |id: SourceId| {
        project
            .source(id)
            .map_or_else(|| "(a removed source)".to_string(), |s| xml_escape(&s.name))
    };
    // Many sources' counts would fill screens above the first hit: folded under a summary then
    // (and not laid out until opened).
    let sources = results.per_source.len();
    let mut out = format!(
        "<details class=\"search-per-source-box\"{}><summary>Hits per source ({})</summary><ul class=\"search-per-source\" aria-label=\"Hits per source\">",
        if sources <= PER_SOURCE_OPEN { " open" } else { "" },
        words::count(sources, "source", "sources")
    );
    for s in &results.per_source {
        let _ = write!(
            out,
            "<li><span class=\"search-source-name\">{}</span>: {}</li>",
            name(s.source),
            words::count(s.hits, "hit", "hits")
        );
    }
    out.push_str("</ul></details>");
    let held = results.hits.len();
    if held < results.total {
        let _ = write!(
            out,
            "<p class=\"muted search-limit\">Showing the first {} of {}.</p>",
            words::thousands(held),
            words::count(results.total, "hit", "hits")
        );
    }
    out.push_str("<ol class=\"segments search-hits\" aria-label=\"Hits\">");
    let drawn = drawn.min(held);
    for i in ordered(project, &results.hits, order)
        .into_iter()
        .take(drawn)
    {
        if let Some(hit) = results.hits.get(i) {
            line(&mut out, project, i, hit, ticked.contains(&i));
        }
    }
    out.push_str("</ol>");
    if drawn < held {
        let _ = write!(
            out,
            "<button type=\"button\" class=\"search-more\">Show more ({} of {} shown)</button>",
            words::thousands(drawn),
            words::thousands(held)
        );
    }
    out
}

/// One keyword-in-context line: a tick box and a button opening the passage, with the source,
/// speaker, cases and position above the hit in its context.
fn line(out: &mut String, project: &Project, i: usize, hit: &Hit, ticked: bool) {
    let source = project.source(hit.source);
    let data = format!(
        "data-s=\"{}\" data-a=\"{}\" data-b=\"{}\"",
        hit.source, hit.span.start, hit.span.end
    );
    let text = xml_escape(&hit.text);
    let _ = write!(
        out,
        "<li class=\"search-line\"><input type=\"checkbox\" class=\"search-tick\" data-i=\"{i}\" {data} aria-label=\"Tick hit {} ({text})\"{}><button type=\"button\" class=\"segment-open search-hit\" {data}><span class=\"segment-meta\"><span class=\"segment-source\">{}</span>",
        i + 1,
        if ticked { " checked" } else { "" },
        source.map_or_else(|| "(a removed source)".to_string(), |s| xml_escape(&s.name)),
    );
    if let Some(speaker) = &hit.speaker {
        let _ = write!(
            out,
            "<span class=\"segment-speaker\">{}</span>",
            xml_escape(speaker)
        );
    }
    let cases = hit
        .cases
        .iter()
        .filter_map(|c| project.case(*c).map(|c| c.name.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    if !cases.is_empty() {
        let _ = write!(
            out,
            "<span class=\"segment-case\">{}</span>",
            xml_escape(&cases)
        );
    }
    if let Some(s) = source {
        let _ = write!(
            out,
            "<span class=\"segment-position\">at {} %</span>",
            hit.span.start * 100 / s.text.len().max(1)
        );
    }
    let _ = write!(
        out,
        "</span><span class=\"segment-text\"><span class=\"context\">{}</span><mark class=\"search-match\">{text}</mark><span class=\"context\">{}</span></span></button></li>",
        xml_escape(&hit.before),
        xml_escape(&hit.after)
    );
}
