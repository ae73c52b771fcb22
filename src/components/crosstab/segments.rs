//! The passages behind an open crosstab or co-occurrence cell (the worker's `CellShown`): list
//! items that open their passage, with a speaker filter.

use super::controls::selected;
use framewise_core::crosstab::CellShown;
use framewise_core::speakers::speaker_key;
use framewise_core::text::{context_after, context_before};
use framewise_core::words;
use framewise_core::{Project, SourceId, Span};
use yew::prelude::*;

/// Segments or passages listed for an open cell.
const SHOWN: usize = 200;
/// Characters of context around a segment.
const CONTEXT: usize = 80;

/// One passage as a list item that opens it.
fn passage_item(
    source_name: &str,
    speaker: Option<&str>,
    text: &str,
    span: Span,
    on_open: &Callback<(SourceId, Span)>,
    source: SourceId,
) -> Option<Html> {
    let coded = text.get(span.start..span.end)?;
    let onclick = {
        let on_open = on_open.clone();
        Callback::from(move |_: MouseEvent| on_open.emit((source, span)))
    };
    Some(html! {
        <li class="segment">
            <button class="segment-open" aria-label={format!("Open {source_name} at this passage")} {onclick}>
                <span class="segment-meta">
                    <span class="segment-source">{source_name}</span>
                    if let Some(name) = speaker { <span class="segment-speaker">{name}</span> }
                </span>
                <span class="segment-text">
                    <span class="context">{context_before(text, span.start, CONTEXT)}</span>
                    <mark class="coded-text">{coded}</mark>
                    <span class="context">{context_after(text, span.end, CONTEXT)}</span>
                </span>
            </button>
        </li>
    })
}

/// The passages behind an open cell, with a speaker filter when they have speakers.
pub(super) fn segment_list(
    project: &Project,
    cell: &CellShown,
    speaker: &UseStateHandle<String>,
    on_open: &Callback<(SourceId, Span)>,
) -> Html {
    let mut speakers: Vec<&str> = Vec::new();
    for name in cell.passages.iter().filter_map(|p| p.speaker.as_deref()) {
        if !speakers.iter().any(|s| speaker_key(s) == speaker_key(name)) {
            speakers.push(name);
        }
    }
    let wanted = (**speaker).clone();
    let kept: Vec<_> = cell
        .passages
        .iter()
        .filter(|p| {
            wanted.is_empty()
                || p.speaker
                    .as_deref()
                    .is_some_and(|n| speaker_key(n) == wanted)
        })
        .collect();
    let items = kept.iter().take(SHOWN).filter_map(|p| {
        let source = project.source(p.source)?;
        passage_item(
            &source.name,
            p.speaker.as_deref(),
            &source.text,
            p.span,
            on_open,
            source.id,
        )
    });
    let onchange = {
        let speaker = speaker.clone();
        Callback::from(move |e: Event| speaker.set(selected(&e)))
    };
    let (one, many) = if cell.meetings {
        ("passage", "passages")
    } else {
        ("segment", "segments")
    };
    let title = &cell.title;
    html! {
        <section class="xtab-detail" aria-label={title.clone()}>
            <h3>{title}</h3>
            <div class="xtab-controls">
                if !speakers.is_empty() {
                    <label class="xtab-field">{"Speaker"}
                        <select aria-label="Speaker" {onchange}>
                            <option value="" selected={wanted.is_empty()}>{"All speakers"}</option>
                            {for speakers.iter().map(|s| {
                                let key = speaker_key(s);
                                let sel = key == wanted;
                                html! { <option value={key} selected={sel}>{*s}</option> }
                            })}
                        </select>
                    </label>
                }
                <span role="status" class="muted">{words::count(kept.len(), one, many)}{&cell.note}
                    {if kept.len() > SHOWN { format!(" (the first {SHOWN} shown)") } else { String::new() }}</span>
            </div>
            <ol class="segments">{for items}</ol>
        </section>
    }
}
