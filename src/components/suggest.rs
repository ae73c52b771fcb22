//! "Find more like this" for a code (issue 13): the passages of the project most like the
//! code's coded segments, from the worker's model of code suggestions (core's `suggest`, learned
//! from this project's own coding; nothing leaves the computer), with the words that weighed
//! most highlighted. Accept codes the passage (one undo step) and teaches the model; Reject hides
//! it for this code for good. Shown in the retrieval view of the code.

use crate::hooks::use_generation;
use crate::state::{now, stored_coder, BrowserIds};
use framewise_core::protocol::{Reply, Request};
use framewise_core::suggest::{score_label, SuggestOptions, Suggestion, UnitKind, DEFAULT_LIMIT};
use framewise_core::{Action, CodeId, Coding, IdSource, Project};
use std::rc::Rc;
use yew::prelude::*;

/// What the panel shows.
#[derive(Clone, PartialEq)]
enum Found {
    Working,
    List(Rc<Vec<Suggestion>>),
    Failed(String),
}

/// Props of [`SuggestPanel`].
#[derive(Properties, PartialEq)]
pub struct SuggestProps {
    /// The project.
    pub project: Rc<Project>,
    /// The code whose passages are looked for.
    pub code: CodeId,
    /// Applies an accepted passage's coding.
    pub dispatch: Callback<Action>,
}

/// The text of a suggestion with its weighty words marked.
fn marked(s: &Suggestion) -> Html {
    let mut parts = Vec::new();
    let mut at = s.span.start;
    for h in &s.highlights {
        let piece = |a: usize, b: usize| {
            s.text
                .get(a.saturating_sub(s.span.start)..b.saturating_sub(s.span.start))
                .unwrap_or("")
                .to_string()
        };
        if h.start < at {
            continue;
        }
        parts.push(html! {{piece(at, h.start)}});
        parts.push(html! {<mark>{piece(h.start, h.end)}</mark>});
        at = h.end;
    }
    parts.push(html! {{s.text.get(at.saturating_sub(s.span.start)..).unwrap_or("").to_string()}});
    parts.into_iter().collect()
}

/// "Find more like this" (see the module docs).
#[component]
pub fn SuggestPanel(props: &SuggestProps) -> Html {
    let unit = use_state_eq(|| UnitKind::Paragraph);
    let found = use_state_eq(|| Found::Working);
    let generation = use_generation();
    let options = SuggestOptions {
        unit: *unit,
        ..SuggestOptions::default()
    };
    // One request at a time; a late answer of an older one is dropped.
    let ask = {
        let project = props.project.clone();
        let found = found.clone();
        let options = options.clone();
        move |request: Request| {
            let ticket = generation.begin();
            found.set(Found::Working);
            let (project, found, options) = (project.clone(), found.clone(), options.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = crate::worker_client::suggest(&project, &options, request).await;
                if ticket.is_current() {
                    found.set(match answer {
                        Ok(Reply::Suggestions(list)) => Found::List(Rc::new(list)),
                        Ok(_) => Found::Failed(crate::worker_client::UNUSABLE.into()),
                        Err(e) => Found::Failed(format!("No suggestions: {e}.")),
                    });
                }
            });
        }
    };
    {
        let ask = ask.clone();
        use_effect_with((props.code, *unit), move |(code, _)| {
            ask(Request::SuggestMore {
                code: *code,
                limit: DEFAULT_LIMIT,
            });
        });
    }
    let list = match &*found {
        Found::List(list) => Some(list.clone()),
        _ => None,
    };
    // One listener for every Accept and Reject (`data-i`: the passage, `data-a`: accepted).
    let onclick = {
        let (code, dispatch, found) = (props.code, props.dispatch.clone(), found.clone());
        let list = list.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(button) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            let i = button.get_attribute("data-i").and_then(|i| i.parse().ok());
            let Some(s) = i.and_then(|i: usize| list.as_ref()?.get(i).cloned()) else {
                return;
            };
            let accepted = button.get_attribute("data-a").as_deref() == Some("1");
            if accepted {
                let Some(coder) = stored_coder() else {
                    found.set(Found::Failed(
                        "Set your coder name (toolbar “Coder”) first: it is stored with the coding."
                            .into(),
                    ));
                    return;
                };
                dispatch.emit(Action::AddCodings {
                    codings: vec![Coding {
                        id: BrowserIds.coding_id(),
                        source: s.source,
                        span: s.span,
                        code,
                        coder,
                        created: now(),
                    }],
                });
            }
            ask(Request::SuggestAnswer {
                code,
                source: s.source,
                span: s.span,
                accepted,
                limit: DEFAULT_LIMIT,
            });
        })
    };
    let on_unit = {
        let unit = unit.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            unit.set(UnitKind::from_key(&select.value()).unwrap_or_default());
        })
    };
    let project = &props.project;
    let status = match &*found {
        Found::Working => "Looking for passages like the coded ones…".to_string(),
        Found::List(l) if l.is_empty() => {
            "Nothing more like this: code a few passages first, or every similar passage is coded or rejected."
                .to_string()
        }
        Found::List(l) => framewise_core::words::count(l.len(), "passage", "passages") + " like the coded ones, most alike first",
        Found::Failed(e) => e.clone(),
    };
    html! {
        <section class="suggest" aria-label="Find more like this">
            <p class="muted">{"Suggestions come from this project's own coding, computed on this computer: nothing is sent anywhere, and nothing is coded until you click Accept."}</p>
            <label>{"Passages "}
                <select onchange={on_unit}>
                    {for UnitKind::ALL.iter().map(|k| html! {
                        <option value={k.key()} selected={*k == *unit}>{k.label()}</option>
                    })}
                </select>
            </label>
            <p role="status" aria-busy={(*found == Found::Working).to_string()}>{status}</p>
            if let Some(list) = list {
                <ol class="segments" aria-label="Suggestions" {onclick}>
                    {for list.iter().enumerate().map(|(i, s)| html! {
                        <li class="segment" key={format!("{}{}", s.source, s.span.start)}>
                            <span class="segment-meta">
                                {project.source(s.source).map(|x| x.name.clone()).unwrap_or_default()}
                                {format!(" · {} · {}", score_label(s.score), s.words.join(", "))}
                            </span>
                            <p class="segment-text">{marked(s)}</p>
                            <button data-i={i.to_string()} data-a="1">{"Accept"}</button>
                            <button data-i={i.to_string()} data-a="0">{"Reject"}</button>
                        </li>
                    })}
                </ol>
            }
        </section>
    }
}

/// Props of [`SuggestCodes`].
#[derive(Properties, PartialEq)]
pub struct SuggestCodesProps {
    /// The project.
    pub project: Rc<Project>,
    /// The passage's source.
    pub source: framewise_core::SourceId,
    /// The passage.
    pub span: framewise_core::Span,
    /// Apply a code to the passage.
    pub on_apply: Callback<CodeId>,
}

/// "Suggest codes" for the selected passage (in the code picker): the three codes whose coded
/// segments it most resembles, with a score and the words behind it, from the worker's model;
/// the key 1, 2 or 3 applies one (nothing is applied without it or a click).
#[component]
pub fn SuggestCodes(props: &SuggestCodesProps) -> Html {
    let found =
        use_state_eq(|| None::<Result<Rc<Vec<framewise_core::suggest::CodeSuggestion>>, String>>);
    let list_ref = use_node_ref();
    {
        let found = found.clone();
        use_effect_with(props.span, move |_| found.set(None));
    }
    {
        // The first suggestion takes the keyboard when they arrive, so 1–3 apply at once.
        let list = list_ref.clone();
        use_effect_with(found.clone(), move |_| {
            if let Some(b) = list
                .cast::<web_sys::Element>()
                .and_then(|l| l.query_selector("button").ok().flatten())
                .and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok())
            {
                let _ = b.focus();
            }
        });
    }
    let ask = {
        let (project, found) = (props.project.clone(), found.clone());
        let (source, span) = (props.source, props.span);
        Callback::from(move |_: MouseEvent| {
            let (project, found) = (project.clone(), found.clone());
            found.set(Some(Ok(Rc::new(Vec::new()))));
            wasm_bindgen_futures::spawn_local(async move {
                let request = Request::SuggestCodes {
                    source,
                    span,
                    limit: 3,
                };
                let options = SuggestOptions::default();
                found.set(Some(
                    match crate::worker_client::suggest(&project, &options, request).await {
                        Ok(Reply::CodeSuggestions(codes)) => Ok(Rc::new(codes)),
                        Ok(_) => Err(crate::worker_client::UNUSABLE.into()),
                        Err(e) => Err(e),
                    },
                ));
            });
        })
    };
    let codes: Vec<CodeId> = match &*found {
        Some(Ok(list)) => list.iter().map(|c| c.code).collect(),
        _ => Vec::new(),
    };
    let onkeydown = {
        let (on_apply, codes) = (props.on_apply.clone(), codes.clone());
        Callback::from(move |e: KeyboardEvent| {
            let n = e.key().parse::<usize>().ok().filter(|n| *n >= 1);
            if let Some(code) = n.and_then(|n| codes.get(n - 1)) {
                e.prevent_default();
                on_apply.emit(*code);
            }
        })
    };
    let project = &props.project;
    html! {
        <div class="picker-suggest" {onkeydown}>
            if let Some(Ok(list)) = &*found {
                <ol ref={list_ref.clone()} aria-label="Suggested codes">
                    {for list.iter().enumerate().map(|(i, c)| {
                        let on_apply = props.on_apply.clone();
                        let code = c.code;
                        html! {
                            <li><button onclick={Callback::from(move |_| on_apply.emit(code))}>
                                {format!("{} {} · {} · {}", i + 1, project.code_path(c.code), score_label(c.score), c.words.join(", "))}
                            </button></li>
                        }
                    })}
                </ol>
                if list.is_empty() {
                    <p class="hint">{"No code fits yet (or still looking)."}</p>
                }
            } else if let Some(Err(e)) = &*found {
                <p class="hint" role="alert">{e.clone()}</p>
            } else {
                <button onclick={ask} title="Codes whose coded passages this one resembles, from this project's own coding on this computer; press 1, 2 or 3 to apply one">{"Suggest codes"}</button>
            }
        </div>
    }
}
