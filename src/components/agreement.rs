//! The Agreement view: two coders (from the coder names on the codings), the sources and codes
//! compared, the unit (characters as NVivo, segments as MAXQDA) and the minimum overlap; the
//! table per code with percent agreement, kappa and (characters) Krippendorff's alpha, and an
//! overall row; below, the passages where the two coders differ side by side, each with
//! "Keep A's", "Keep B's", "Keep both" and "Remove" (one undoable action each, core's
//! `agreement::resolve`). The comparison (core's `agreement::compare` and `disagreements`) runs
//! in the worker (`worker_client::agreement`, which keeps the project between requests, as for
//! searches), which answers with the table written out (`agreement::Shown`): the page decodes
//! plain text and holds no comparison or float formatting (about 6 KB of the main wasm).

use crate::hooks::{use_generation, ByPointer};
use crate::state::{now, BrowserIds};
use crate::worker_client::AgreementAnswer;
use framewise_core::agreement::{
    coders, resolve, Comparison, Disagreement, Resolution, Unit, DEFAULT_MIN_OVERLAP,
};
use framewise_core::text::context_after;
use framewise_core::{words, Action, CodeId, Project, SourceId, Span};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The worker's answer and the project and comparison it is for.
type Answered = (Rc<Project>, Comparison, Result<AgreementAnswer, String>);

/// Disagreements listed at once.
const SHOWN: usize = 50;
/// Characters of a coded passage shown before it is cut.
const PASSAGE_CHARS: usize = 240;

/// Props of [`AgreementView`].
#[derive(Properties, PartialEq)]
pub struct AgreementViewProps {
    /// The project.
    pub project: Rc<Project>,
    /// Apply a change (one undo step).
    pub dispatch: Callback<Action>,
    /// Open a source scrolled to a passage, highlighted.
    pub on_open: Callback<(SourceId, Span)>,
}

fn value_of(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The selected options of a `<select multiple>`, parsed.
fn selected<T>(e: &Event, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    let select = e.target_unchecked_into::<HtmlSelectElement>();
    let options = select.selected_options();
    (0..options.length())
        .filter_map(|i| options.item(i))
        .filter_map(|o| o.get_attribute("value"))
        .filter_map(|v| parse(&v))
        .collect()
}

/// A row's cells after its name.
fn cells_of(cells: &[String]) -> Html {
    cells.iter().map(|c| html! { <td>{c}</td> }).collect()
}

/// The Agreement view.
#[function_component(AgreementView)]
pub fn agreement_view(props: &AgreementViewProps) -> Html {
    let project = &props.project;
    let names = coders(project);
    let first = use_state(|| names.first().cloned().unwrap_or_default());
    let second = use_state(|| names.get(1).cloned().unwrap_or_default());
    let unit = use_state(Unit::default);
    let overlap = use_state(|| DEFAULT_MIN_OVERLAP);
    let sources = use_state(Vec::<SourceId>::new);
    let codes = use_state(Vec::<CodeId>::new);

    // A choice no longer among the coders (the view was open while the first merge brought
    // them in, or a coder's codings went) falls back to the first / second coder.
    let chosen = |state: &UseStateHandle<String>, i: usize| {
        if names.contains(&**state) {
            (**state).clone()
        } else {
            names.get(i).cloned().unwrap_or_default()
        }
    };
    let (first_name, second_name) = (chosen(&first, 0), chosen(&second, 1));
    let coder_select = |label: &'static str, state: &UseStateHandle<String>, value: &str| {
        let onchange = {
            let state = state.clone();
            Callback::from(move |e: Event| state.set(value_of(&e)))
        };
        html! {
            <label>{label}
                <select {onchange}>
                    { for names.iter().map(|n| html! {
                        <option value={n.clone()} selected={value == n}>{n}</option>
                    }) }
                </select>
            </label>
        }
    };
    let on_unit = {
        let unit = unit.clone();
        Callback::from(move |e: Event| {
            unit.set(if value_of(&e) == "segment" {
                Unit::Segment
            } else {
                Unit::Character
            })
        })
    };
    let on_overlap = {
        let overlap = overlap.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(n) = v.trim().parse::<u8>() {
                overlap.set(n.clamp(1, 100));
            }
        })
    };
    let on_sources = {
        let sources = sources.clone();
        Callback::from(move |e: Event| sources.set(selected(&e, SourceId::parse)))
    };
    let on_codes = {
        let codes = codes.clone();
        Callback::from(move |e: Event| codes.set(selected(&e, CodeId::parse)))
    };

    let form = html! {
        <form class="agreement-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            {coder_select("First coder", &first, &first_name)}
            {coder_select("Second coder", &second, &second_name)}
            <label>{"Unit"}
                <select onchange={on_unit}>
                    <option value="char" selected={*unit == Unit::Character}>{"Characters (as NVivo)"}</option>
                    <option value="segment" selected={*unit == Unit::Segment}>{"Segments (as MAXQDA)"}</option>
                </select>
            </label>
            if *unit == Unit::Segment {
                <label>{"Minimum overlap (%)"}
                    <input type="number" min="1" max="100" value={overlap.to_string()} onchange={on_overlap} />
                </label>
            }
            <label>{"Sources (none selected: all)"}
                <select multiple=true size="4" onchange={on_sources}>
                    { for project.sources.iter().map(|s| html! {
                        <option value={s.id.to_string()} selected={sources.contains(&s.id)}>{&s.name}</option>
                    }) }
                </select>
            </label>
            <label>{"Codes (none selected: every code used)"}
                <select multiple=true size="4" onchange={on_codes}>
                    { for project.code_tree().into_iter().map(|(id, _)| html! {
                        <option value={id.to_string()} selected={codes.contains(&id)}>{project.code_path(id)}</option>
                    }) }
                </select>
            </label>
        </form>
    };

    let comparison = Comparison {
        coders: vec![first_name.clone(), second_name.clone()],
        sources: (*sources).clone(),
        codes: (*codes).clone(),
        unit: *unit,
        min_overlap: *overlap,
    };
    // The worker's answer, with the project and comparison it answers (a newer one is pending
    // while they differ from the shown ones).
    let answer = use_state(|| None::<Rc<Answered>>);
    let generation = use_generation();
    {
        let answer = answer.clone();
        let enough = names.len() >= 2;
        use_effect_with(
            (ByPointer(project.clone()), comparison.clone()),
            move |(p, c)| {
                if enough {
                    let ticket = generation.begin();
                    let (p, c) = (p.0.clone(), c.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let got = crate::worker_client::agreement(&p, c.clone()).await;
                        if ticket.is_current() {
                            answer.set(Some(Rc::new((p, c, got))));
                        }
                    });
                }
            },
        );
    }

    if names.len() < 2 {
        return html! {
            <section class="agreement-view" aria-label="Agreement">
                <h2>{"Agreement"}</h2>
                <p class="empty-state">{format!(
                    "Agreement compares coders, and the codings here are by {}. Merge a colleague's coded copy of this project, or code as another coder (“Who is coding?”), then compare.",
                    if names.is_empty() { "nobody yet".to_string() } else { format!("one coder, “{}”", names.join("")) }
                )}</p>
            </section>
        };
    }

    let current = answer
        .as_deref()
        .filter(|(p, c, _)| Rc::ptr_eq(p, project) && *c == comparison)
        .map(|(_, _, got)| got);
    let table = match current {
        None => html! { <p class="muted" role="status">{"Comparing…"}</p> },
        Some(Err(e)) => html! { <p class="agreement-error" role="alert">{e}</p> },
        Some(Ok((Err(e), _))) => html! { <p class="agreement-error" role="alert">{e}</p> },
        Some(Ok((Ok(r), _))) if r.rows.is_empty() => {
            html! { <p class="empty-state">{"Neither coder used a code in these sources."}</p> }
        }
        Some(Ok((Ok(r), _))) => {
            html! {
                <table class="agreement-table">
                    <caption>{&r.caption}</caption>
                    <thead><tr><th scope="col">{"Code"}</th>{ for r.heads.iter().map(|h| html! { <th scope="col">{h}</th> }) }</tr></thead>
                    <tbody>
                        { for r.rows.iter().map(|(name, cells)| html! {
                            <tr><th scope="row">{name}</th>{cells_of(cells)}</tr>
                        }) }
                    </tbody>
                    <tfoot><tr><th scope="row">{"Overall"}</th>{cells_of(&r.overall)}</tr></tfoot>
                </table>
            }
        }
    };

    let list = match current {
        Some(Ok((Ok(_), found))) => disagreement_list(props, &comparison, found),
        _ => html! {},
    };
    html! {
        <section class="agreement-view" aria-label="Agreement">
            <h2>{"Agreement"}</h2>
            {form}
            {table}
            {list}
        </section>
    }
}

/// The passages where the two coders differ, side by side, with their resolutions.
fn disagreement_list(props: &AgreementViewProps, c: &Comparison, found: &[Disagreement]) -> Html {
    let project = &props.project;
    let (Some(first), Some(second)) = (c.coders.first(), c.coders.get(1)) else {
        return html! {};
    };
    let heading = if found.is_empty() {
        "No disagreements: the two coders coded the same text.".to_string()
    } else {
        format!(
            "Disagreements: {}",
            words::count(found.len(), "passage", "passages")
        )
    };
    let side = |ids: &[framewise_core::CodingId], who: &str| -> Html {
        let texts: Vec<String> = ids
            .iter()
            .filter_map(|id| project.coding(*id))
            .map(|c| context_after(project.coded_text(c).trim(), 0, PASSAGE_CHARS))
            .collect();
        html! {
            <div class="agreement-side">
                <h4>{who}</h4>
                if texts.is_empty() {
                    <p class="muted">{"Not coded"}</p>
                } else {
                    { for texts.into_iter().map(|t| html! { <blockquote>{t}</blockquote> }) }
                }
            </div>
        }
    };
    let items = found.iter().take(SHOWN).map(|d| {
        let source_name = project
            .source(d.source)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let code_name = project.code_path(d.code);
        let button = |label: String, how: Resolution| {
            let onclick = {
                let project = project.clone();
                let d = d.clone();
                let dispatch = props.dispatch.clone();
                let (first, second) = (first.clone(), second.clone());
                Callback::from(move |_: MouseEvent| {
                    let action =
                        resolve(&project, &d, how, &first, &second, &mut BrowserIds, now());
                    if let Some(action) = action {
                        dispatch.emit(action);
                    }
                })
            };
            html! { <button type="button" {onclick}>{label}</button> }
        };
        let open = {
            let on_open = props.on_open.clone();
            let (source, span) = (d.source, d.span);
            Callback::from(move |_: MouseEvent| on_open.emit((source, span)))
        };
        html! {
            <li class="disagreement" aria-label={format!("{code_name} in {source_name}")}>
                <h3>
                    <span class="disagreement-code">{&code_name}</span>
                    {" in "}
                    <button type="button" class="link" onclick={open} title="Open this passage in the reading view">{&source_name}</button>
                </h3>
                <div class="agreement-sides">
                    {side(&d.first, first)}
                    {side(&d.second, second)}
                </div>
                <div class="disagreement-actions" role="group" aria-label={format!("Resolve {code_name} in {source_name}")}>
                    {button(format!("Keep {first}’s"), Resolution::KeepFirst)}
                    {button(format!("Keep {second}’s"), Resolution::KeepSecond)}
                    {button("Keep both".into(), Resolution::KeepBoth)}
                    {button("Remove".into(), Resolution::Remove)}
                </div>
            </li>
        }
    });
    html! {
        <section class="disagreements" aria-label="Disagreements">
            <h3 role="status">{heading}</h3>
            if found.len() > SHOWN {
                <p class="muted">{format!("The first {SHOWN} are shown; resolve them to see more.")}</p>
            }
            <ul class="disagreement-list">{ for items }</ul>
        </section>
    }
}
