//! Search: the researcher's words looked for across the sources, with core's query language
//! (words, "phrases", `word*`, AND / OR / NOT, or one regular expression) and its options. The
//! search runs in the worker (`worker_client::search`: the engine and `regex` stay out of the
//! main wasm), which also writes the results out (core's `search::shown`: the count line, the
//! counts per source and the keyword-in-context lines as markup, sorted as chosen, with the
//! places of the hits held); the page puts the markup in (`hits`) and never decodes the hits.
//! Clicking a line opens the passage in the reader; the lines can be sorted (the worker sorts
//! them again), ticked and coded (`code::CodeHits`); only the first lines are drawn at first and
//! "Show more" asks the worker for more (it answers the same search from the results it keeps;
//! the first line added takes the focus). While a new search runs, the results shown stay until
//! its answer replaces them (inert, under "Searching…", once it takes over 100 ms). The counts
//! per source are folded under a summary when many sources have hits (core's `PER_SOURCE_OPEN`).
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
use framewise_core::search::{Order, Search, SearchOptions, SearchScope, SearchShown, Shown};
use framewise_core::{Project, SourceId, Span};
use hits::Click;
use saved::SavedSearches;
use scope::{scope_details, scope_of, scope_options, scope_value};
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Hits shown at most (the counts stay exact beyond it).
pub const SHOWN_HITS: usize = 200;

/// Lines drawn at first (more than a screenful): the first results paint fast even when a
/// common word has thousands of hits (the count line and the counts per source cover them all).
const FIRST_LINES: usize = 20;

/// Lines added by "Show more" (up to [`SHOWN_HITS`]).
const LINES_PAGE: usize = 100;

/// A new search's answer not come after this long (ms): the results shown say "Searching…"
/// and go inert. Sooner, they are left as they are (no frame is drawn for a search that answers
/// at once).
const SEARCHING_AFTER_MS: u32 = 100;

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
    /// The worker's results, as shown.
    pub results: Rc<SearchShown>,
    /// Their order.
    pub order: Order,
    /// How many lines they draw.
    pub lines: usize,
}

/// The hits ticked: their number in document order and place.
type Ticked = Rc<BTreeMap<usize, (SourceId, Span)>>;

/// Where the latest search is.
#[derive(Clone, PartialEq)]
enum Outcome {
    /// Nothing searched yet.
    Idle,
    /// The worker is searching, nothing shown yet (results already shown stay until the new
    /// ones come: `stale`).
    Searching,
    /// The worker's results.
    Found(Rc<SearchShown>),
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
    // How many hit lines are drawn (a new search starts again at the first ones).
    let lines = use_state(|| last.as_ref().map_or(FIRST_LINES, |l| l.lines));
    // The results are being written again (another order, more lines): shown meanwhile.
    let redrawing = use_state_eq(|| false);
    // The results shown are of an earlier search while a new one runs: left in place until its
    // answer replaces them, so the page is not laid out and painted empty meanwhile; `stale`
    // (inert, "Searching…") once that takes longer than `SEARCHING_AFTER_MS`; `pending` at once
    // (a tick meanwhile is not taken).
    let stale = use_state_eq(|| false);
    let pending = use_mut_ref(|| false);
    // After "Show more": the number of the first line added, focused once it is drawn (the
    // markup is replaced, the button with it).
    let focus_line = use_mut_ref(|| None::<usize>);

    let order = use_state(|| last.as_ref().map(|l| l.order).unwrap_or_default());
    let scope = use_state(|| last.as_ref().map(|l| l.scope.clone()).unwrap_or_default());
    let ticked = use_state(Ticked::default);
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
    // The tick boxes follow the hits ticked (a box ticked while other lines were being written
    // is ticked in them too).
    let found_ref = use_node_ref();
    {
        let (found_ref, ticked, focus_line) =
            (found_ref.clone(), ticked.clone(), focus_line.clone());
        use_effect(move || {
            hits::sync_ticks(&found_ref, &ticked);
            let first = *focus_line.borrow();
            if first.is_some_and(|n| hits::focus_line(&found_ref, n)) {
                *focus_line.borrow_mut() = None;
            }
        });
    }
    // Every turn is read to list the speakers: once per project, not on every key typed.
    let speakers = use_memo(SameProject(props.project.clone()), |p| {
        framewise_core::speakers::project_speakers(&p.0)
    });
    // Asks the worker for `search` written out as `order`, `drawn` lines and `ticks`; the
    // answer replaces the results shown (unless a newer request was made meanwhile).
    let ask = {
        let project = props.project.clone();
        let outcome = outcome.clone();
        let remember = props.last.clone();
        let redrawing = redrawing.clone();
        let stale = stale.clone();
        let pending = pending.clone();
        move |search: Search, order: Order, drawn: usize, ticks: &Ticked, new: bool| {
            let ticket = generation.begin();
            if new {
                *pending.borrow_mut() = true;
                let (ticket, pending, stale) = (ticket.clone(), pending.clone(), stale.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    gloo::timers::future::TimeoutFuture::new(SEARCHING_AFTER_MS).await;
                    if ticket.is_current() && *pending.borrow() {
                        stale.set(true);
                    }
                });
            }
            let shown = Shown::Lines {
                order,
                lines: drawn,
                ticked: ticks.keys().copied().collect(),
            };
            let (query, options, scope) =
                (search.query.clone(), search.options, search.scope.clone());
            // Spawned before the states change, so the request is posted to the worker before
            // the page re-renders (both wait for the same microtask queue).
            let project = project.clone();
            let done = outcome.clone();
            let remember = remember.clone();
            let redrawing = redrawing.clone();
            let (stale, pending) = (stale.clone(), pending.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = crate::worker_client::search(&project, search, shown).await;
                if !ticket.is_current() {
                    return;
                }
                redrawing.set(false);
                stale.set(false);
                *pending.borrow_mut() = false;
                done.set(match answer {
                    Ok(found) => {
                        let results = Rc::new(found);
                        remember.set(Rc::new(LastSearch {
                            query,
                            options,
                            scope,
                            results: results.clone(),
                            order,
                            lines: drawn,
                        }));
                        Outcome::Found(results)
                    }
                    Err(problem) => Outcome::Failed(problem),
                });
            });
        }
    };
    let search_of = |text: String, options: SearchOptions, scope: SearchScope| {
        let mut search = Search::new(text);
        search.options = options;
        search.scope = scope;
        search.limit = Some(SHOWN_HITS);
        search
    };
    let run = {
        let ticked = ticked.clone();
        let outcome = outcome.clone();
        let searched = searched.clone();
        let lines = lines.clone();
        let order = order.clone();
        let focus_line = focus_line.clone();
        let ask = ask.clone();
        Callback::from(
            move |(text, options, scope): (String, SearchOptions, SearchScope)| {
                let fresh = Ticked::default();
                // Results shown stay until the answer (see `stale`).
                let shown = matches!(*outcome, Outcome::Found(_));
                ask(
                    search_of(text.clone(), options, scope),
                    *order,
                    FIRST_LINES,
                    &fresh,
                    shown,
                );
                searched.set(Some(text));
                lines.set(FIRST_LINES);
                ticked.set(fresh);
                *focus_line.borrow_mut() = None;
                if !shown {
                    outcome.set(Outcome::Searching);
                }
            },
        )
    };
    // The same search written again: another order or more lines (the ticks kept).
    let redraw = {
        let (searched, options, scope) = (searched.clone(), options.clone(), scope.clone());
        let (ticked, lines, order, redrawing) = (
            ticked.clone(),
            lines.clone(),
            order.clone(),
            redrawing.clone(),
        );
        let ask = ask.clone();
        Callback::from(move |(next_order, drawn): (Order, usize)| {
            let Some(text) = (*searched).clone() else {
                return;
            };
            ask(
                search_of(text, *options, (*scope).clone()),
                next_order,
                drawn,
                &ticked,
                false,
            );
            order.set(next_order);
            lines.set(drawn);
            redrawing.set(true);
        })
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

    let busy = *outcome == Outcome::Searching || *redrawing || *stale;
    let (status, error) = match &*outcome {
        Outcome::Idle => (String::new(), None),
        Outcome::Searching => ("Searching…".to_string(), None),
        Outcome::Found(_) if *stale => ("Searching…".to_string(), None),
        Outcome::Found(found) => (found.status.clone(), None),
        Outcome::Failed(problem) => (String::new(), Some(problem.clone())),
    };
    let results = match &*outcome {
        Outcome::Found(found) => {
            // One listener for every line's button and "Show more", one for every tick box.
            let onclick = {
                let (project, on_open) = (props.project.clone(), props.on_open.clone());
                let (redraw, order, lines) = (redraw.clone(), order.clone(), lines.clone());
                let focus_line = focus_line.clone();
                Callback::from(move |e: MouseEvent| match hits::clicked(&project, &e) {
                    Some(Click::Open(source, span)) => on_open.emit((source, span)),
                    Some(Click::More) => {
                        *focus_line.borrow_mut() = Some(*lines);
                        redraw.emit((*order, (*lines + LINES_PAGE).min(SHOWN_HITS)));
                    }
                    None => {}
                })
            };
            let onchange = {
                let (ticked, pending) = (ticked.clone(), pending.clone());
                Callback::from(move |e: Event| {
                    if *pending.borrow() {
                        return;
                    }
                    if let Some((i, place, on)) = hits::ticked(&e) {
                        let mut next = (**ticked).clone();
                        if on {
                            next.insert(i, place);
                        } else {
                            next.remove(&i);
                        }
                        ticked.set(Rc::new(next));
                    }
                })
            };
            let mut search = Search::new((*searched).clone().unwrap_or_default());
            search.options = *options;
            search.scope = (*scope).clone();
            let on_order = {
                let (redraw, lines) = (redraw.clone(), lines.clone());
                Callback::from(move |e: Event| {
                    let value = e
                        .target_dyn_into::<web_sys::HtmlSelectElement>()
                        .map(|s| s.value())
                        .unwrap_or_default();
                    let next = Order::ALL
                        .iter()
                        .find(|(_, key, _)| *key == value)
                        .map_or(Order::Document, |(o, _, _)| *o);
                    redraw.emit((next, *lines));
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
                            <CodeHits project={props.project.clone()} search={Rc::new(search)} places={Rc::new(found.places.clone())}
                                total={found.total} ticked={(*ticked).clone()} dispatch={props.dispatch.clone()} />
                        </div>
                    }
                    <div class="search-found" ref={found_ref.clone()} {onclick} {onchange}>{hits::raw(&found.markup)}</div>
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
            <div class="search-results" aria-busy={busy.to_string()} inert={*stale}>{results}</div>
        </section>
    }
}
