//! "Code the hits" under the Search view's results: every hit, or the ticked ones, coded with a
//! chosen code as the hit itself, its sentence, its paragraph or its speaker turn (core's
//! auto-coding rule, `autocode::matches`, which also skips passages already coded so), with a
//! preview of how many codings it adds, as one undo step. The hits are places (source and
//! bytes): those the search holds (from the worker's answer) or the ticked ones (from their tick
//! boxes); when the search found more hits than it holds, "all" asks the worker for every hit's
//! place first.

use crate::state::{now, stored_coder, BrowserIds};
use crate::worker_client;
use framewise_core::autocode::{matches, Scope};
use framewise_core::search::{Search, Shown};
use framewise_core::words;
use framewise_core::{Action, CodeId, Project, SourceId, Span};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The places grouped by source.
fn by_source<'a>(hits: impl Iterator<Item = &'a (SourceId, Span)>) -> Vec<(SourceId, Vec<Span>)> {
    let mut grouped: BTreeMap<SourceId, Vec<Span>> = BTreeMap::new();
    for (source, span) in hits {
        grouped.entry(*source).or_default().push(*span);
    }
    grouped.into_iter().collect()
}

/// How many hits `places` holds.
fn count(places: &[(SourceId, Vec<Span>)]) -> usize {
    places.iter().map(|(_, spans)| spans.len()).sum()
}

/// The action coding `spans` with `code` widened to `scope`, and how many codings it adds.
fn coding_action(
    project: &Project,
    spans: &[(SourceId, Vec<Span>)],
    code: CodeId,
    scope: Scope,
    coder: &str,
) -> Option<(Action, usize)> {
    let codings = matches(project, spans, code, scope, coder, now(), &mut BrowserIds);
    let n = codings.len();
    let name = project.code(code)?.name.clone();
    (n > 0).then(|| {
        (
            Action::Batch {
                label: format!(
                    "Code {} from a search as {name}",
                    words::count(n, "passage", "passages")
                ),
                actions: vec![Action::AddCodings { codings }],
            },
            n,
        )
    })
}

/// Props of [`CodeHits`].
#[derive(Properties, PartialEq)]
pub struct CodeHitsProps {
    /// The project.
    pub project: Rc<Project>,
    /// The search whose hits these are (run again without a limit to code every hit).
    pub search: Rc<Search>,
    /// The places of the hits the search holds, grouped by source.
    pub places: Rc<Vec<(SourceId, Vec<Span>)>>,
    /// How many hits there are in all.
    pub total: usize,
    /// The hits ticked by the researcher: their number and place.
    pub ticked: Rc<BTreeMap<usize, (SourceId, Span)>>,
    /// Apply a change (one undo step).
    pub dispatch: Callback<Action>,
}

/// The "Code the hits" form.
#[component]
pub fn CodeHits(props: &CodeHitsProps) -> Html {
    let code = use_state(|| None::<CodeId>);
    let scope = use_state(|| Scope::Match);
    let message = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let project = &props.project;
    let code_id = code.filter(|c| project.code(*c).is_some());
    let only_ticked = !props.ticked.is_empty();
    let coder = stored_coder();

    // The preview: what the hits held (or ticked) would add.
    let held = count(&props.places);
    let preview = code_id.map(|c| {
        let spans = if only_ticked {
            by_source(props.ticked.values())
        } else {
            (*props.places).clone()
        };
        let chosen = count(&spans);
        let adds = coding_action(project, &spans, c, *scope, coder.as_deref().unwrap_or(""))
            .map_or(0, |(_, n)| n);
        let fetched_later = !only_ticked && props.total > held;
        if fetched_later {
            format!(
                "Codes all {} (the first {} shown add {}).",
                words::count(props.total, "hit", "hits"),
                words::thousands(held),
                words::count(adds, "coding", "codings")
            )
        } else {
            format!(
                "Adds {} ({} already coded so are left as they are).",
                words::count(adds, "coding", "codings"),
                words::thousands(chosen.saturating_sub(adds))
            )
        }
    });

    let on_code_pick = {
        let code = code.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            code.set(CodeId::parse(&value));
        })
    };
    let on_scope = {
        let scope = scope.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            scope.set(Scope::from_key(&value).unwrap_or_default());
        })
    };
    let on_apply = {
        let project = props.project.clone();
        let search = props.search.clone();
        let places = props.places.clone();
        let ticked = props.ticked.clone();
        let total = props.total;
        let dispatch = props.dispatch.clone();
        let (scope, message, busy) = (*scope, message.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let (Some(code), Some(coder)) = (code_id, stored_coder()) else {
                message.set(Some(
                    "Choose a code, and set your coder name (toolbar “Coder”) first.".into(),
                ));
                return;
            };
            if !ticked.is_empty() || total <= held {
                let spans = if ticked.is_empty() {
                    (*places).clone()
                } else {
                    by_source(ticked.values())
                };
                message.set(Some(
                    match coding_action(&project, &spans, code, scope, &coder) {
                        Some((action, n)) => {
                            dispatch.emit(action);
                            format!("Coded {}.", words::count(n, "passage", "passages"))
                        }
                        None => "Nothing to add: every passage is already coded so.".into(),
                    },
                ));
                return;
            }
            // Every hit: ask the worker for all of them first.
            busy.set(true);
            let mut all = (*search).clone();
            all.limit = None;
            let (project, dispatch, message, busy) = (
                project.clone(),
                dispatch.clone(),
                message.clone(),
                busy.clone(),
            );
            spawn_local(async move {
                let answer = worker_client::search(&project, all, Shown::Places).await;
                busy.set(false);
                message.set(Some(match answer {
                    Ok(found) => {
                        let spans = found.places;
                        match coding_action(&project, &spans, code, scope, &coder) {
                            Some((action, n)) => {
                                dispatch.emit(action);
                                format!("Coded {}.", words::count(n, "passage", "passages"))
                            }
                            None => "Nothing to add: every passage is already coded so.".into(),
                        }
                    }
                    Err(e) => format!("Could not code the hits: {e}"),
                }));
            });
        })
    };

    let options = project.code_tree().into_iter().filter_map(|(id, depth)| {
        let c = project.code(id)?;
        let indent = "\u{a0}\u{a0}".repeat(depth);
        Some(html! { <option value={id.to_string()} selected={code_id == Some(id)}>{format!("{indent}{}", c.name)}</option> })
    });
    let scopes = Scope::ALL.iter().map(|s| {
        html! { <option value={s.key()} selected={*scope == *s}>{s.label()}</option> }
    });
    let what = if only_ticked {
        let n = props.ticked.len();
        format!(
            "Code the {n} ticked {}",
            if n == 1 { "hit" } else { "hits" }
        )
    } else {
        format!("Code all {}", words::count(props.total, "hit", "hits"))
    };
    html! {
        <fieldset class="search-code">
            <legend>{"Code the hits"}</legend>
            <label for="search-code-code">{"Code"}</label>
            <select id="search-code-code" onchange={on_code_pick}>
                <option value="" selected={code_id.is_none()}>{"Choose a code…"}</option>
                {for options}
            </select>
            <label for="search-code-unit">{"Coded unit"}</label>
            <select id="search-code-unit" onchange={on_scope}>{for scopes}</select>
            <button class="primary" onclick={on_apply} disabled={code_id.is_none() || *busy}>{what}</button>
            if let Some(p) = preview { <p class="muted" role="status">{p}</p> }
            if *busy { <p role="status">{"Finding every hit…"}</p> }
            if let Some(m) = &*message { <p role="status">{m}</p> }
        </fieldset>
    }
}
