//! Search: the researcher's words looked for across the sources, with core's query language
//! (words, "phrases", `word*`, AND / OR / NOT, or one regular expression) and its options. The
//! search runs in the worker (`worker_client::search`: the engine and `regex` stay out of the
//! main wasm); the page only builds the request and shows the reply as keyword-in-context lines.
//! Clicking a line opens the passage in the reader; the lines can be sorted, ticked and coded
//! (`search_code::CodeHits`).
//!
//! The query and the results live in this component while it is shown, and the last answered
//! search is remembered by the workbench (`Ui::last_search`) so coming back to Search (after
//! opening a hit) shows it again; not in the address, for now. A reply to an older search than
//! the newest is dropped (`hooks::use_generation`).

use crate::components::search_code::CodeHits;
use crate::hooks::use_generation;
use framewise_core::search::{Search, SearchOptions, SearchResults, SearchScope};
use framewise_core::words;
use framewise_core::{Project, SourceId, Span};
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Hits shown at most (the counts stay exact beyond it).
pub const SHOWN_HITS: usize = 200;

/// Lines drawn at first, and added by "Show more" (up to [`SHOWN_HITS`]): the first results
/// paint fast even when a common word has thousands of hits.
const LINES_PAGE: usize = 100;

/// Props of [`SearchView`].
#[derive(Properties, PartialEq)]
pub struct SearchViewProps {
    /// The project searched.
    pub project: Rc<Project>,
    /// Open a source scrolled to a passage, highlighted.
    pub on_open: Callback<(SourceId, Span)>,
    /// The last search answered, shown on arrival.
    #[prop_or_default]
    pub last: Option<Rc<LastSearch>>,
    /// A search was answered (to remember it).
    #[prop_or_default]
    pub on_done: Callback<Rc<LastSearch>>,
    /// Apply a change (coding the hits: one undo step).
    #[prop_or_default]
    pub dispatch: Callback<framewise_core::Action>,
}

/// How the hit lines are ordered.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum Order {
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
    const ALL: [(Order, &'static str, &'static str); 4] = [
        (Order::Document, "document", "Document order"),
        (Order::Source, "source", "Source name"),
        (Order::Speaker, "speaker", "Speaker"),
        (Order::Hit, "hit", "Matched words"),
    ];
}

/// The scope a "Search in" value names: `all`, `case:ID`, `set:ID` or `speaker:NAME`.
fn scope_of(value: &str) -> SearchScope {
    let (kind, rest) = value.split_once(':').unwrap_or((value, ""));
    match kind {
        "case" => framewise_core::CaseId::parse(rest).map_or(SearchScope::All, SearchScope::Case),
        "set" => framewise_core::SetId::parse(rest).map_or(SearchScope::All, SearchScope::Set),
        "speaker" if !rest.is_empty() => SearchScope::Speaker(rest.to_string()),
        _ => SearchScope::All,
    }
}

/// The "Search in" choices: every source, a case (with its sub-cases), a theme or set (its
/// coded passages), a speaker's turns.
fn scope_options(project: &Project, speakers: &[String], current: &SearchScope) -> Html {
    let cases = project.case_tree().into_iter().filter_map(|(id, depth)| {
        let case = project.case(id)?;
        let indent = "\u{a0}\u{a0}".repeat(depth);
        let selected = *current == SearchScope::Case(id);
        Some(html! { <option value={format!("case:{id}")} {selected}>{format!("{indent}{}", case.name)}</option> })
    });
    let sets = project.sets.iter().map(|set| {
        let selected = *current == SearchScope::Set(set.id);
        html! { <option value={format!("set:{}", set.id)} {selected}>{&set.name}</option> }
    });
    let speakers = speakers.iter().map(|name| {
        let selected = *current == SearchScope::Speaker(name.clone());
        html! { <option value={format!("speaker:{name}")} {selected}>{name}</option> }
    });
    html! {
        <>
            <option value="all" selected={*current == SearchScope::All}>{"Every source"}</option>
            if !project.cases.is_empty() { <optgroup label="A case and its sub-cases">{for cases}</optgroup> }
            if !project.sets.is_empty() { <optgroup label="The coded passages of a theme or set">{for sets}</optgroup> }
            <optgroup label="The turns of a speaker">{for speakers}</optgroup>
        </>
    }
}

/// The order in which the hits are drawn (indices into `hits`).
fn ordered(project: &Project, hits: &[framewise_core::search::Hit], order: Order) -> Vec<usize> {
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

/// The project as a memo key: the same value, not an equal one (comparing projects reads them
/// whole).
#[derive(Clone)]
struct SameProject(Rc<Project>);

impl PartialEq for SameProject {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A search and its answer, remembered between visits to the view.
#[derive(Clone, PartialEq, Debug)]
pub struct LastSearch {
    /// The query.
    pub query: String,
    /// Its options.
    pub options: SearchOptions,
    /// The worker's results.
    pub results: Rc<SearchResults>,
}

/// Where the latest search is.
#[derive(Clone, PartialEq)]
enum Outcome {
    /// Nothing searched yet.
    Idle,
    /// The worker is searching.
    Searching,
    /// The worker's results.
    Found(Rc<SearchResults>),
    /// The query's problem (or the worker's), as a sentence.
    Failed(String),
}

/// One option checkbox: its label and the field it sets.
struct OptionBox {
    label: &'static str,
    /// Does not apply to a regular expression (disabled then).
    plain_only: bool,
    get: fn(&SearchOptions) -> bool,
    set: fn(&mut SearchOptions, bool),
}

const OPTION_BOXES: [OptionBox; 4] = [
    OptionBox {
        label: "Whole words",
        plain_only: true,
        get: |o| o.whole_word,
        set: |o, v| o.whole_word = v,
    },
    OptionBox {
        label: "Match case",
        plain_only: false,
        get: |o| o.match_case,
        set: |o, v| o.match_case = v,
    },
    OptionBox {
        label: "Ignore accents",
        plain_only: true,
        get: |o| o.ignore_accents,
        set: |o, v| o.ignore_accents = v,
    },
    OptionBox {
        label: "Regular expression",
        plain_only: false,
        get: |o| o.regex,
        set: |o, v| o.regex = v,
    },
];

/// The count line: "37 hits in 5 sources".
pub fn count_line(found: &SearchResults) -> String {
    format!(
        "{} in {}",
        words::count(found.total, "hit", "hits"),
        words::count(found.per_source.len(), "source", "sources")
    )
}

/// The search view.
#[component]
pub fn SearchView(props: &SearchViewProps) -> Html {
    let last = props.last.clone();
    let query = use_state(|| last.as_ref().map(|l| l.query.clone()).unwrap_or_default());
    let options = use_state(|| last.as_ref().map(|l| l.options).unwrap_or_default());
    let outcome = use_state(|| match &last {
        Some(l) => Outcome::Found(l.results.clone()),
        None => Outcome::Idle,
    });
    // The query of the results shown, so an option changed afterwards searches it again.
    let searched = use_state(|| last.as_ref().map(|l| l.query.clone()));
    let generation = use_generation();
    // How many hit lines are drawn (a new search starts again at one page).
    let lines = use_state(|| LINES_PAGE);

    let order = use_state(Order::default);
    let scope = use_state(|| SearchScope::All);
    let ticked = use_state(|| Rc::new(BTreeSet::<usize>::new()));
    // Every turn is read to list the speakers: once per project, not on every key typed.
    let speakers = use_memo(SameProject(props.project.clone()), |p| {
        framewise_core::speakers::project_speakers(&p.0)
    });
    let run = {
        let ticked = ticked.clone();
        let project = props.project.clone();
        let outcome = outcome.clone();
        let searched = searched.clone();
        let generation = generation.clone();
        let on_done = props.on_done.clone();
        let lines = lines.clone();
        Callback::from(
            move |(text, options, scope): (String, SearchOptions, SearchScope)| {
                let ticket = generation.begin();
                let mut search = Search::new(text.clone());
                search.options = options;
                search.scope = scope;
                search.limit = Some(SHOWN_HITS);
                // Spawned before the states below change, so the request is posted to the worker
                // before the page re-renders (both wait for the same microtask queue).
                let project = project.clone();
                let done = outcome.clone();
                let on_done = on_done.clone();
                let query = text.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = crate::worker_client::search(&project, search).await;
                    if !ticket.is_current() {
                        return;
                    }
                    done.set(match answer {
                        Ok(found) => {
                            let results = Rc::new(found);
                            on_done.emit(Rc::new(LastSearch {
                                query,
                                options,
                                results: results.clone(),
                            }));
                            Outcome::Found(results)
                        }
                        Err(problem) => Outcome::Failed(problem),
                    });
                });
                searched.set(Some(text));
                lines.set(LINES_PAGE);
                ticked.set(Rc::new(BTreeSet::new()));
                outcome.set(Outcome::Searching);
            },
        )
    };
    let on_scope = {
        let scope = scope.clone();
        let searched = searched.clone();
        let options = options.clone();
        let run = run.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let next = scope_of(&value);
            scope.set(next.clone());
            if let Some(text) = (*searched).clone() {
                run.emit((text, *options, next));
            }
        })
    };
    let onsubmit = {
        let scope = scope.clone();
        let run = run.clone();
        let query = query.clone();
        let options = options.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run.emit(((*query).clone(), *options, (*scope).clone()));
        })
    };
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
        })
    };
    let boxes = OPTION_BOXES.iter().map(|b| {
        let onchange = {
            let options = options.clone();
            let searched = searched.clone();
            let run = run.clone();
            let scope = scope.clone();
            let set = b.set;
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let mut next = *options;
                set(&mut next, input.checked());
                options.set(next);
                // Results on screen follow the options at once.
                if let Some(text) = (*searched).clone() {
                    run.emit((text, next, (*scope).clone()));
                }
            })
        };
        html! {
            <label class="check">
                <input type="checkbox" checked={(b.get)(&options)} disabled={b.plain_only && options.regex} {onchange} />
                {b.label}
            </label>
        }
    });

    let busy = *outcome == Outcome::Searching;
    let (status, error) = match &*outcome {
        Outcome::Idle => (String::new(), None),
        Outcome::Searching => ("Searching…".to_string(), None),
        Outcome::Found(found) => (count_line(found), None),
        Outcome::Failed(problem) => (String::new(), Some(problem.clone())),
    };
    let results = match &*outcome {
        Outcome::Found(found) => {
            let more = {
                let lines = lines.clone();
                Callback::from(move |_: MouseEvent| lines.set(*lines + LINES_PAGE))
            };
            let order_ix = ordered(&props.project, &found.hits, *order);
            let on_tick = {
                let ticked = ticked.clone();
                Callback::from(move |(i, on): (usize, bool)| {
                    let mut next = (**ticked).clone();
                    if on {
                        next.insert(i);
                    } else {
                        next.remove(&i);
                    }
                    ticked.set(Rc::new(next));
                })
            };
            let lines_html = results(
                &props.project,
                found,
                &order_ix,
                *lines,
                more,
                &props.on_open,
                &ticked,
                on_tick,
            );
            let mut search = Search::new((*searched).clone().unwrap_or_default());
            search.options = *options;
            search.scope = (*scope).clone();
            let on_order = {
                let order = order.clone();
                Callback::from(move |e: Event| {
                    let value = e
                        .target_dyn_into::<web_sys::HtmlSelectElement>()
                        .map(|s| s.value())
                        .unwrap_or_default();
                    let next = Order::ALL
                        .iter()
                        .find(|(_, key, _)| *key == value)
                        .map_or(Order::Document, |(o, _, _)| *o);
                    order.set(next);
                })
            };
            let orders = Order::ALL.iter().map(|(o, key, label)| {
                html! { <option value={*key} selected={*order == *o}>{*label}</option> }
            });
            html! {
                <>
                    if found.total > 0 {
                        <div class="search-tools">
                            <label for="search-order">{"Sort hits by"}</label>{" "}<select id="search-order" onchange={on_order}>{for orders}</select>
                            <CodeHits project={props.project.clone()} search={Rc::new(search)} hits={Rc::new(found.hits.clone())}
                                total={found.total} ticked={(*ticked).clone()} dispatch={props.dispatch.clone()} />
                        </div>
                    }
                    {lines_html}
                </>
            }
        }
        _ => html! {},
    };

    html! {
        <section class="search-view" aria-label="Search">
            <h2>{"Search"}</h2>
            <form class="search-form" role="search" {onsubmit}>
                <label class="search-label">
                    <span>{"Search the sources"}</span>
                    <input type="search" class="search-query" value={(*query).clone()} {oninput}
                        aria-describedby={if error.is_some() { "search-help search-error" } else { "search-help" }} aria-invalid={error.as_ref().map(|_| "true")}
                        spellcheck="false" autocomplete="off" />
                </label>
                <button type="submit" class="primary">{"Search"}</button>
                <div class="search-options" role="group" aria-label="Search options">{for boxes}</div>
                <label for="search-scope" class="search-scope-label">{"Search in"}</label>
                <select id="search-scope" onchange={on_scope}>{scope_options(&props.project, &speakers, &scope)}</select>
            </form>
            <p id="search-help" class="muted search-help">
                {"Words, \"exact phrases\", word* for words starting with it, and AND / OR / NOT between them (AND and NOT within a paragraph)."}
            </p>
            if let Some(problem) = error {
                <p id="search-error" class="search-error" role="alert">{problem}</p>
            }
            <p class="search-status" role="status">{status}</p>
            <div class="search-results" aria-busy={busy.to_string()}>{results}</div>
        </section>
    }
}

/// The counts per source and the keyword-in-context lines of one search's results.
#[allow(clippy::too_many_arguments)]
fn results(
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
