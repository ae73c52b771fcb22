//! "Find in this source" (Ctrl+F in the reading view): the browser's own Find cannot see a long
//! transcript, because the reader renders only the paragraphs near the viewport. This bar asks
//! the worker's search engine (`worker_client::search`, scope: this source; core's query
//! language and options) for every hit, then steps through them by opening each passage in the
//! reader (scrolled to it and highlighted, wherever it is): Enter for the next hit, Shift+Enter
//! for the previous one, Esc to close. A reply to an older query than the newest is dropped.

use crate::hooks::use_generation;
use framewise_core::search::{Search, SearchScope, Shown};
use framewise_core::{words, Project, SourceId, Span};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`FindBar`].
#[derive(Properties, PartialEq)]
pub struct FindBarProps {
    /// The project.
    pub project: Rc<Project>,
    /// The source searched.
    pub source: SourceId,
    /// Changes each time Ctrl+F is pressed (the field is focused and its text selected again).
    pub focus: u32,
    /// Open a passage of the source in the reader.
    pub on_open: Callback<(SourceId, Span)>,
    /// Close the bar.
    pub on_close: Callback<()>,
}

/// What the bar knows of its query.
#[derive(Clone, PartialEq)]
enum Found {
    /// Nothing asked yet, or the query changed since.
    Nothing,
    /// The worker is searching.
    Searching,
    /// The hits of `query` (their places in the source), and which one is shown (`None`
    /// before the first Enter answers).
    Hits {
        query: String,
        results: Rc<Vec<Span>>,
        at: Option<usize>,
    },
    /// The query's problem, as a sentence.
    Problem(String),
}

/// The find bar of the reading view.
#[component]
pub fn FindBar(props: &FindBarProps) -> Html {
    let input = use_node_ref();
    let found = use_state(|| Found::Nothing);
    let generation = use_generation();
    {
        let input = input.clone();
        use_effect_with(props.focus, move |_| {
            if let Some(field) = input.cast::<HtmlInputElement>() {
                let _ = field.focus();
                field.select();
            }
        });
    }
    // Shows hit `i` of `results` in the reader.
    let show = {
        let on_open = props.on_open.clone();
        let source = props.source;
        move |results: &[Span], i: usize| {
            if let Some(span) = results.get(i) {
                on_open.emit((source, *span));
            }
        }
    };
    let onkeydown = {
        let found = found.clone();
        let input = input.clone();
        let project = props.project.clone();
        let source = props.source;
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            match e.key().as_str() {
                "Escape" => {
                    e.prevent_default();
                    e.stop_propagation();
                    on_close.emit(());
                    return;
                }
                "Enter" => e.prevent_default(),
                _ => return,
            }
            let Some(query) = input.cast::<HtmlInputElement>().map(|f| f.value()) else {
                return;
            };
            if query.trim().is_empty() {
                return;
            }
            let back = e.shift_key();
            // The same query: step to the next (or previous) hit, round the end.
            if let Found::Hits {
                query: asked,
                results,
                at,
            } = &*found
            {
                if *asked == query && !results.is_empty() {
                    let n = results.len();
                    let next = match (at, back) {
                        (None, false) => 0,
                        (None, true) => n - 1,
                        (Some(i), false) => (i + 1) % n,
                        (Some(i), true) => (i + n - 1) % n,
                    };
                    show(results, next);
                    found.set(Found::Hits {
                        query: asked.clone(),
                        results: results.clone(),
                        at: Some(next),
                    });
                    return;
                }
            }
            let ticket = generation.begin();
            let mut search = Search::new(query.clone());
            search.scope = SearchScope::Sources(vec![source]);
            found.set(Found::Searching);
            let found = found.clone();
            let project = project.clone();
            let show = show.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = crate::worker_client::search(&project, search, Shown::Places).await;
                if !ticket.is_current() {
                    return;
                }
                found.set(match answer {
                    Ok(found) => {
                        // One source searched: its places (in text order).
                        let results: Vec<Span> = found
                            .places
                            .into_iter()
                            .filter(|(s, _)| *s == source)
                            .flat_map(|(_, spans)| spans)
                            .collect();
                        let at = (!results.is_empty()).then(|| {
                            let first = if back { results.len() - 1 } else { 0 };
                            show(&results, first);
                            first
                        });
                        Found::Hits {
                            query,
                            results: Rc::new(results),
                            at,
                        }
                    }
                    Err(problem) => Found::Problem(problem),
                });
            });
        })
    };
    let oninput = {
        let found = found.clone();
        Callback::from(move |_: InputEvent| {
            if !matches!(*found, Found::Nothing | Found::Searching) {
                found.set(Found::Nothing);
            }
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let (status, problem) = match &*found {
        Found::Nothing => (String::new(), None),
        Found::Searching => ("Searching…".to_string(), None),
        Found::Hits { results, at, .. } => match (results.len(), at) {
            (0, _) => ("No hits in this source".to_string(), None),
            (n, Some(i)) => (
                format!(
                    "{} of {}",
                    words::thousands(i + 1),
                    words::count(n, "hit", "hits")
                ),
                None,
            ),
            (n, None) => (words::count(n, "hit", "hits"), None),
        },
        Found::Problem(p) => (String::new(), Some(p.clone())),
    };
    html! {
        <div class="find-bar" role="search" aria-label="Find in this source">
            <input type="search" ref={input} aria-label="Find in this source"
                placeholder="Find in this source (Enter: next, Shift+Enter: previous)"
                spellcheck="false" autocomplete="off" aria-invalid={problem.as_ref().map(|_| "true")}
                {onkeydown} {oninput} />
            <span class="find-status muted" role="status">{status}</span>
            <button class="small" onclick={close} aria-label="Close find">{"×"}</button>
            if let Some(p) = problem {
                <p class="find-problem error" role="alert">{p}</p>
            }
        </div>
    }
}
