//! The search view's results: the counts per source and the keyword-in-context lines, in
//! the order chosen.

use framewise_core::search::SearchResults;
use framewise_core::words;
use framewise_core::{Project, SourceId, Span};
use std::collections::BTreeSet;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// How the hit lines are ordered.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(super) enum Order {
    /// Sources in project order, hits in text order.
    #[default]
    Document,
    /// By source name.
    Source,
    /// By speaker.
    Speaker,
    /// By the words matched, then the words after them (a concordance).
    Hit,
}

impl Order {
    pub(super) const ALL: [(Order, &'static str, &'static str); 4] = [
        (Order::Document, "document", "Document order"),
        (Order::Source, "source", "Source name"),
        (Order::Speaker, "speaker", "Speaker"),
        (Order::Hit, "hit", "Matched words"),
    ];
}

/// The order in which the hits are drawn (indices into `hits`).
pub(super) fn ordered(
    project: &Project,
    hits: &[framewise_core::search::Hit],
    order: Order,
) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..hits.len()).collect();
    let name = |i: &usize| {
        hits.get(*i)
            .and_then(|h| project.source(h.source))
            .map(|s| s.name.to_lowercase())
            .unwrap_or_default()
    };
    match order {
        Order::Document => {}
        Order::Source => framewise_core::sort::sort_by_key(&mut idx, name),
        Order::Speaker => framewise_core::sort::sort_by_key(&mut idx, |i| {
            hits.get(*i)
                .and_then(|h| h.speaker.clone())
                .map(|s| (0, s.to_lowercase()))
                .unwrap_or((1, String::new()))
        }),
        Order::Hit => framewise_core::sort::sort_by_key(&mut idx, |i| {
            hits.get(*i)
                .map(|h| (h.text.to_lowercase(), h.after.to_lowercase()))
                .unwrap_or_default()
        }),
    }
    idx
}

/// The counts per source and the keyword-in-context lines of one search's results.
#[allow(clippy::too_many_arguments)]
pub(super) fn results(
    project: &Project,
    found: &SearchResults,
    order: &[usize],
    lines: usize,
    more: Callback<MouseEvent>,
    on_open: &Callback<(SourceId, Span)>,
    ticked: &BTreeSet<usize>,
    on_tick: Callback<(usize, bool)>,
) -> Html {
    if found.total == 0 {
        return html! { <p class="empty-state">{"No hits: try other words, or fewer options."}</p> };
    }
    let name = |id: SourceId| {
        project
            .source(id)
            .map_or_else(|| "(a removed source)".to_string(), |s| s.name.clone())
    };
    let per_source = found.per_source.iter().map(|s| {
        html! {
            <li><span class="search-source-name">{name(s.source)}</span>{": "}{words::count(s.hits, "hit", "hits")}</li>
        }
    });
    let drawn = lines.min(found.hits.len());
    let lines = order.iter().take(drawn).filter_map(|i| found.hits.get(*i).map(|h| (*i, h))).map(|(i, hit)| {
        let (source, span) = (hit.source, hit.span);
        let tick = {
            let on_tick = on_tick.clone();
            Callback::from(move |e: Event| {
                let on = e
                    .target_dyn_into::<HtmlInputElement>()
                    .is_some_and(|b| b.checked());
                on_tick.emit((i, on));
            })
        };
        // The project may have changed since the search: a line opens its passage only while it
        // still lies on the source's characters.
        let passage = project.source(source).and_then(|s| {
            let fits = span.end <= s.text.len()
                && s.text.is_char_boundary(span.start)
                && s.text.is_char_boundary(span.end);
            fits.then_some(span)
        });
        // The cases the hit belongs to, and how far into its source it is.
        let cases = hit
            .cases
            .iter()
            .filter_map(|c| project.case(*c).map(|c| c.name.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let position = project.source(source).map_or_else(String::new, |s| {
            format!("at {} %", span.start * 100 / s.text.len().max(1))
        });
        let onclick = {
            let on_open = on_open.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(span) = passage {
                    on_open.emit((source, span));
                }
            })
        };
        html! {
            <li key={i.to_string()} class="search-line">
                <input type="checkbox" class="search-tick" checked={ticked.contains(&i)} onchange={tick}
                    aria-label={format!("Tick hit {} ({})", i + 1, hit.text)} />
                <button class="segment-open search-hit" {onclick} disabled={passage.is_none()}>
                    <span class="segment-meta">
                        <span class="segment-source">{name(source)}</span>
                        if let Some(speaker) = &hit.speaker {
                            <span class="segment-speaker">{speaker}</span>
                        }
                        if !cases.is_empty() {
                            <span class="segment-case">{cases}</span>
                        }
                        <span class="segment-position">{position}</span>
                    </span>
                    <span class="segment-text">
                        <span class="context">{&hit.before}</span>
                        <mark class="search-match">{&hit.text}</mark>
                        <span class="context">{&hit.after}</span>
                    </span>
                </button>
            </li>
        }
    });
    let shown = found.hits.len();
    let hidden = shown - drawn;
    html! {
        <>
            <ul class="search-per-source" aria-label="Hits per source">{for per_source}</ul>
            if shown < found.total {
                <p class="muted search-limit">
                    {format!("Showing the first {} of {}.", words::thousands(shown), words::count(found.total, "hit", "hits"))}
                </p>
            }
            <ol class="segments search-hits" aria-label="Hits">{for lines}</ol>
            if hidden > 0 {
                <button class="search-more" onclick={more}>
                    {format!("Show more ({} of {} shown)", words::thousands(drawn), words::thousands(shown))}
                </button>
            }
        </>
    }
}
