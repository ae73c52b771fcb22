//! The Agreement view: two coders (from the coder names on the codings), the sources and codes
//! compared, the unit (characters as NVivo, segments as MAXQDA) and the minimum overlap; the
//! table per code with percent agreement, kappa and (characters) Krippendorff's alpha, and an
//! overall row; below, the passages where the two coders differ side by side, each with
//! "Keep A's", "Keep B's", "Keep both" and "Remove" (one undoable action each, core's
//! `agreement::resolve`). The comparison (core's `agreement::compare` and `disagreements`) runs
//! in the worker (`worker_client::agreement`, which keeps the project between requests, as for
//! searches), which answers with the table and the list written out as markup (core's
//! `agreement::written`, every text escaped) and the passages listed: the page puts the markup in
//! as it is, one click listener reads a button's `data-d` (the passage) and `data-how`, and it
//! holds no comparison, table, list or float formatting.

use crate::hooks::{use_generation, ByPointer};
use crate::state::{now, BrowserIds};
use framewise_core::agreement::{
    coders, resolve, Comparison, Resolution, Unit, Written, DEFAULT_MIN_OVERLAP,
};
use framewise_core::{Action, CodeId, Project, SourceId, Span};
use std::rc::Rc;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The worker's answer and the project and comparison it is for.
type Answered = (Rc<Project>, Comparison, Result<Written, String>);

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
    let shown = match current {
        None => html! { <p class="muted" role="status">{"Comparing…"}</p> },
        Some(Err(e)) => html! { <p class="agreement-error" role="alert">{e}</p> },
        Some(Ok(w)) => Html::from_html_unchecked(w.markup.clone().into()),
    };
    // One listener for every button of the list: its passage and resolution are in its `data-`.
    let onclick = {
        let listed = current
            .and_then(|got| got.as_ref().ok())
            .map(|w| w.listed.clone());
        let (project, dispatch, on_open) = (
            project.clone(),
            props.dispatch.clone(),
            props.on_open.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let Some(button) = e
                .target_dyn_into::<Element>()
                .and_then(|t| t.closest("button[data-d]").ok().flatten())
            else {
                return;
            };
            let how = button.get_attribute("data-how").unwrap_or_default();
            let d = button
                .get_attribute("data-d")
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| listed.as_ref()?.get(i));
            let Some(d) = d else { return };
            if how == "open" {
                on_open.emit((d.source, d.span));
            } else if let Some(how) = Resolution::named(&how) {
                let action = resolve(
                    &project,
                    d,
                    how,
                    &first_name,
                    &second_name,
                    &mut BrowserIds,
                    now(),
                );
                if let Some(action) = action {
                    dispatch.emit(action);
                }
            }
        })
    };
    html! {
        <section class="agreement-view" aria-label="Agreement" {onclick}>
            <h2>{"Agreement"}</h2>
            {form}
            {shown}
        </section>
    }
}
