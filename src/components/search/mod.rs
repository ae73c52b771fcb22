//! Search: the researcher's words looked for across the sources, with core's query language
//! (words, "phrases", `word*`, AND / OR / NOT, or one regular expression) and its options. The
//! search runs in the worker (`worker_client::search`: the engine and `regex` stay out of the
//! main wasm); the page only builds the request and shows the reply as keyword-in-context lines.
//! Clicking a line opens the passage in the reader; the lines can be sorted, ticked and coded
//! (`code::CodeHits`).
//!
//! The query and the results live in this component while it is shown, and the last answered
//! search is kept in the workbench's `Ui::last_search` cell so coming back to Search (after
//! opening a hit) shows it again; not in the address, for now. A reply to an older search than
//! the newest is dropped (`hooks::use_generation`).

mod code;
mod hits;
mod saved;
mod scope;

use crate::hooks::use_generation;
use code::CodeHits;
use framewise_core::model::query::SavedQuery;
use framewise_core::search::{Search, SearchOptions, SearchResults, SearchScope};
use framewise_core::words;
use framewise_core::{Project, SourceId, Span};
use hits::{ordered, results, Order};
use saved::SavedSearches;
use scope::{scope_details, scope_of, scope_options, scope_value};
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
    /// Where the last search answered is kept (shown on arrival, written when one is answered:
    /// writing it re-renders nothing else).
    #[prop_or_default]
    pub last: crate::components::workbench::ui::LastSearchCell,
    /// Apply a change (coding the hits: one undo step).
    #[prop_or_default]
    pub dispatch: Callback<framewise_core::Action>,
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
    /// Where it looked.
    pub scope: SearchScope,
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
    let last = props.last.get();
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
    let scope = use_state(|| last.as_ref().map(|l| l.scope.clone()).unwrap_or_default());
    let ticked = use_state(|| Rc::new(BTreeSet::<usize>::new()));
    // The select shows the scope even when it changes without the select (a saved search run):
    // an option's `selected` attribute no longer moves a select the researcher has used.
    let scope_select = use_node_ref();
    {
        let scope_select = scope_select.clone();
        use_effect_with(scope_value(&scope), move |value| {
            if let Some(select) = scope_select.cast::<web_sys::HtmlSelectElement>() {
                select.set_value(value);
            }
        });
    }
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
        let remember = props.last.clone();
        let lines = lines.clone();
        Callback::from(
            move |(text, options, scope): (String, SearchOptions, SearchScope)| {
                let ticket = generation.begin();
                let mut search = Search::new(text.clone());
                search.options = options;
                search.scope = scope.clone();
                search.limit = Some(SHOWN_HITS);
                // Spawned before the states below change, so the request is posted to the worker
                // before the page re-renders (both wait for the same microtask queue).
                let project = project.clone();
                let done = outcome.clone();
                let remember = remember.clone();
                let query = text.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = crate::worker_client::search(&project, search).await;
                    if !ticket.is_current() {
                        return;
                    }
                    done.set(match answer {
                        Ok(found) => {
                            let results = Rc::new(found);
                            remember.set(Rc::new(LastSearch {
                                query,
                                options,
                                scope,
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
    // A new scope: the results on screen follow it (not while no source is chosen yet).
    let rescope = {
        let scope = scope.clone();
        let searched = searched.clone();
        let options = options.clone();
        let run = run.clone();
        Callback::from(move |next: SearchScope| {
            scope.set(next.clone());
            let nothing_chosen = matches!(&next, SearchScope::Sources(list) if list.is_empty());
            if let Some(text) = (*searched).clone().filter(|_| !nothing_chosen) {
                run.emit((text, *options, next));
            }
        })
    };
    let on_scope = {
        let rescope = rescope.clone();
        let project = props.project.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            rescope.emit(scope_of(&project, &value));
        })
    };
    // A saved search chosen: its words, options and scope, run at once.
    let on_saved = {
        let (query, options, scope, run) =
            (query.clone(), options.clone(), scope.clone(), run.clone());
        Callback::from(move |saved: SavedQuery| {
            query.set(saved.query.clone());
            options.set(saved.options);
            scope.set(saved.scope.clone());
            run.emit((saved.query, saved.options, saved.scope));
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
                <select id="search-scope" ref={scope_select} onchange={on_scope}>{scope_options(&props.project, &speakers, &scope)}</select>
                {scope_details(&props.project, &scope, &rescope)}
            </form>
            <SavedSearches project={props.project.clone()} query={(*query).clone()} options={*options}
                scope={(*scope).clone()} on_run={on_saved} dispatch={props.dispatch.clone()} />
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
