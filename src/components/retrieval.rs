//! Retrieval: every segment coded with a code (optionally with its child codes), with its
//! source name and surrounding context, in document order (sources in project order, then by
//! position). Clicking a segment opens its source scrolled to the passage.
//!
//! The list is built once per project value and code (a memo keyed on the project pointer) and
//! rendered in pages, so a code with 20,000 codings does not freeze the page.
//!
//! Each segment shows its speaker (the speaker of the turn where it starts); a row of checkboxes
//! keeps or leaves out the segments of each speaker (e.g. the interviewer).

use framewise_core::sort::Gather;
use framewise_core::speakers::{coding_speaker, speaker_key};
use framewise_core::text::{context_after, context_before};
use framewise_core::words;
use framewise_core::{CodeId, Coding, Project, Source, SourceId, Span};
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;
use yew::prelude::*;

/// Segments rendered at first, and added by each "Show more".
pub const RETRIEVAL_PAGE: usize = 500;
/// Characters of context shown before and after a segment.
pub const CONTEXT_CHARS: usize = 150;
/// Characters of a long segment shown before it is cut.
const SEGMENT_CHARS: usize = 1500;

/// Props of [`RetrievalView`].
#[derive(Properties, PartialEq)]
pub struct RetrievalProps {
    /// The project.
    pub project: Rc<Project>,
    /// The code retrieved.
    pub code: CodeId,
    /// Open a source scrolled to a passage, highlighted.
    pub on_open: Callback<(SourceId, Span)>,
    /// Leave retrieval.
    pub on_close: Callback<()>,
    /// Whether "Include child codes" starts ticked.
    #[prop_or(true)]
    pub include_children: bool,
    /// Segments rendered at first and per "Show more".
    #[prop_or(RETRIEVAL_PAGE)]
    pub page: usize,
    /// Shown under the heading: "Find more like this" (`suggest::FindMore`), in the workbench.
    #[prop_or_default]
    pub more: Html,
}

/// Where one retrieved coding lives: index of its source in `project.sources` and of the
/// coding in that source's list.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Hit {
    source: usize,
    coding: usize,
    /// Index of its speaker in [`Retrieved::speakers`].
    speaker: Option<usize>,
}

/// What a retrieval found: the hits in document order and their speakers.
#[derive(PartialEq)]
struct Retrieved {
    hits: Vec<Hit>,
    /// Distinct speakers of the hits (first spelling, in order of first appearance).
    speakers: Vec<String>,
}

/// Codings of `code` (and, when asked, of its descendants) in document order.
fn retrieve(project: &Project, code: CodeId, include_children: bool) -> Retrieved {
    let codes = if include_children {
        project.descendants_and_self(code)
    } else {
        std::iter::once(code).to_set()
    };
    let mut hits = Vec::new();
    let mut speakers: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (si, source) in project.sources.iter().enumerate() {
        // Each list is sorted by span start already.
        for (ci, coding) in project.codings_of(source.id).iter().enumerate() {
            if codes.contains(&coding.code) {
                let speaker = coding_speaker(source, coding).map(|name| {
                    let key = speaker_key(name);
                    match keys.iter().position(|k| *k == key) {
                        Some(i) => i,
                        None => {
                            keys.push(key);
                            speakers.push(name.trim().to_string());
                            speakers.len() - 1
                        }
                    }
                });
                hits.push(Hit {
                    source: si,
                    coding: ci,
                    speaker,
                });
            }
        }
    }
    Retrieved { hits, speakers }
}

/// A source as a prop: the same value, not an equal one (comparing texts reads them whole).
#[derive(Clone)]
struct SameSource(Arc<Source>);

impl PartialEq for SameSource {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Props of [`Segment`].
#[derive(Properties, PartialEq)]
struct SegmentProps {
    source: SameSource,
    coding: Coding,
    /// The speaker of the turn where it starts.
    speaker: Option<AttrValue>,
    /// Its code's colour.
    color: AttrValue,
    /// Its code's name, shown when child codes are included.
    code_name: Option<AttrValue>,
}

/// One retrieved segment: a button that opens its passage (the list's one listener reads its
/// `data-` attributes). A component, so a change elsewhere in the project draws only the
/// segments it changed.
#[component]
fn Segment(props: &SegmentProps) -> Html {
    let (source, coding) = (&props.source.0, &props.coding);
    let text: &str = &source.text;
    let Some(coded) = text.get(coding.span.start..coding.span.end) else {
        return html! {};
    };
    let before = context_before(text, coding.span.start, CONTEXT_CHARS);
    let after = context_after(text, coding.span.end, CONTEXT_CHARS);
    let (coded, more) = coded_excerpt(coded, SEGMENT_CHARS);
    let color = &props.color;
    html! {
        <li class="segment">
            <button class="segment-open" aria-label={format!("Open {} at this passage", source.name)}
                data-s={source.id.to_string()} data-a={coding.span.start.to_string()} data-b={coding.span.end.to_string()}
                style={format!("--code-color:{color}")}>
                <span class="segment-meta">
                    <span class="segment-source">{&source.name}</span>
                    if let Some(name) = &props.speaker {
                        <span class="segment-speaker">{name}</span>
                    }
                    if let Some(name) = &props.code_name {
                        <span class="segment-code"><span class="swatch" style={format!("background:{color}")}></span>{name}</span>
                    }
                    if !coding.coder.is_empty() {
                        <span class="segment-coder">{&coding.coder}</span>
                    }
                </span>
                <span class="segment-text">
                    <span class="context">{before}</span>
                    <mark class="coded-text">{coded}{(more > 0).then(|| format!("… ({more} more characters)"))}</mark>
                    <span class="context">{after}</span>
                </span>
            </button>
        </li>
    }
}

/// The coded text, cut after `chars` characters.
fn coded_excerpt(text: &str, chars: usize) -> (String, usize) {
    match text.char_indices().nth(chars) {
        Some((i, _)) => {
            let rest = text[i..].chars().count();
            (text[..i].to_string(), rest)
        }
        None => (text.to_string(), 0),
    }
}

/// The retrieval view.
#[component]
pub fn RetrievalView(props: &RetrievalProps) -> Html {
    let include_children = use_state_eq(|| props.include_children);
    let shown = use_state_eq(|| props.page);
    // Speakers whose segments are left out (keys, see `speaker_key`).
    let hidden = use_state_eq(|| Rc::new(HashSet::<String>::new()));
    {
        let shown = shown.clone();
        let page = props.page;
        use_effect_with((props.code, *include_children), move |_| shown.set(page));
    }
    let hits = {
        let project = props.project.clone();
        use_memo(
            (
                Rc::as_ptr(&props.project) as usize,
                props.code,
                *include_children,
            ),
            move |(_, code, children)| retrieve(&project, *code, *children),
        )
    };
    let project = &props.project;
    let speakers = &hits.speakers;
    let total = hits.hits.len();
    let hits: Vec<Hit> = if hidden.is_empty() {
        hits.hits.clone()
    } else {
        let hidden_index: Vec<bool> = speakers
            .iter()
            .map(|s| hidden.contains(&speaker_key(s)))
            .collect();
        hits.hits
            .iter()
            .filter(|h| {
                !h.speaker
                    .is_some_and(|i| hidden_index.get(i).copied().unwrap_or(false))
            })
            .copied()
            .collect()
    };
    let source_count = {
        let mut last = None;
        hits.iter()
            .filter(|h| last.replace(h.source) != Some(h.source))
            .count()
    };

    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let Some(code) = project.code(props.code) else {
        return html! {
            <section class="retrieval" aria-label="Retrieved segments">
                <div class="retrieval-head">
                    <h2>{"Retrieval"}</h2>
                    <button onclick={close}>{"Back to reading"}</button>
                </div>
                <p class="empty-state">{"This code no longer exists."}</p>
            </section>
        };
    };
    let has_children = project.children(Some(code.id)).next().is_some();
    let toggle = {
        let include_children = include_children.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            include_children.set(input.checked());
        })
    };
    let show_more = {
        let shown = shown.clone();
        let page = props.page.max(1);
        Callback::from(move |_: MouseEvent| shown.set(*shown + page))
    };
    let path = project.code_path(code.id);
    let limit = (*shown).min(hits.len());
    let show_code = *include_children && has_children;
    let items = hits.iter().take(limit).filter_map(|hit| {
        let source = project.sources.get(hit.source)?;
        let coding = project.codings_of(source.id).get(hit.coding)?;
        let speaker = hit
            .speaker
            .and_then(|i| speakers.get(i))
            .map(|s| AttrValue::from(s.clone()));
        let look = project.code(coding.code);
        let color = AttrValue::from(look.map(|c| c.color.clone()).unwrap_or_default());
        let code_name =
            show_code.then(|| AttrValue::from(look.map(|c| c.name.clone()).unwrap_or_default()));
        let source = SameSource(source.clone());
        let (key, coding) = (coding.id.to_string(), coding.clone());
        Some(html! {
            <Segment {key} {source} {coding} {speaker} {color} {code_name} />
        })
    });
    // One listener for every segment's button (`data-s`, `data-a`, `data-b`: its passage).
    let open_segment = {
        let on_open = props.on_open.clone();
        Callback::from(move |e: MouseEvent| {
            let button = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest("button.segment-open").ok().flatten());
            let Some(button) = button else {
                return;
            };
            let data = |k: &str| button.get_attribute(k).unwrap_or_default();
            if let (Some(source), Ok(start), Ok(end)) = (
                SourceId::parse(&data("data-s")),
                data("data-a").parse(),
                data("data-b").parse(),
            ) {
                on_open.emit((source, Span { start, end }));
            }
        })
    };
    let count = format!(
        "{} in {}",
        words::count(hits.len(), "segment", "segments"),
        words::count(source_count, "source", "sources")
    );
    html! {
        <section class="retrieval" aria-label="Retrieved segments">
            <div class="retrieval-head">
                <h2><span class="swatch" style={format!("background:{}", code.color)}></span>{format!("Retrieved: {path}")}</h2>
                <button onclick={close}>{"Back to reading"}</button>
            </div>
            {props.more.clone()}
            <div class="retrieval-bar">
                <label class="retrieval-children">
                    <input type="checkbox" aria-label="Include child codes" checked={*include_children}
                        disabled={!has_children} onchange={toggle} />
                    {"Include child codes"}
                </label>
                <span class="retrieval-count" role="status">{count}</span>
            </div>
            if !speakers.is_empty() {
                <div class="speaker-filter" role="group" aria-label="Speakers">
                    <span class="legend">{"Speakers:"}</span>
                    {for speakers.iter().map(|name| {
                        let key = speaker_key(name);
                        let checked = !hidden.contains(&key);
                        let onchange = {
                            let hidden = hidden.clone();
                            Callback::from(move |e: Event| {
                                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                                let mut next = (**hidden).clone();
                                if input.checked() {
                                    next.remove(&key);
                                } else {
                                    next.insert(key.clone());
                                }
                                hidden.set(Rc::new(next));
                            })
                        };
                        html! {
                            <label class="check"><input type="checkbox" {checked} {onchange} />{name}</label>
                        }
                    })}
                </div>
            }
            if hits.is_empty() && total > 0 {
                <p class="empty-state">{"The speaker filter leaves out every segment: tick a speaker above to see theirs."}</p>
            } else if hits.is_empty() {
                <p class="empty-state">
                    {"No segments are coded with this code yet. Select text in a source and apply the code to see its segments here."}
                </p>
            } else {
                <ol class="segments" aria-label="Segments" onclick={open_segment}>{for items}</ol>
                if limit < hits.len() {
                    <div class="show-more">
                        <button onclick={show_more}>{"Show more"}</button>
                        <span class="muted">{format!("Showing {limit} of {}", hits.len())}</span>
                    </div>
                }
            }
        </section>
    }
}
