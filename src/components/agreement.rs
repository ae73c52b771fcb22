//! The Agreement view: two coders (from the coder names on the codings), the sources and codes
//! compared, the unit (characters as NVivo, segments as MAXQDA) and the minimum overlap; the
//! table per code with percent agreement, kappa and (characters) Krippendorff's alpha, and an
//! overall row; below, the passages where the two coders differ side by side, each with
//! "Keep A's", "Keep B's", "Keep both" and "Remove" (one undoable action each, core's
//! `agreement::resolve`). The computation is core's `agreement::compare` in the page: interval
//! sweeps, milliseconds even for a million words, so no worker round trip (which would first
//! have to carry the project there).

use crate::state::{now, BrowserIds};
use framewise_core::agreement::{
    coders, compare, disagreements, resolve, Comparison, Measures, Resolution, Unit,
    DEFAULT_MIN_OVERLAP,
};
use framewise_core::text::context_after;
use framewise_core::{words, Action, CodeId, Project, SourceId, Span};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

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

/// `v` with `digits` decimals, through integers: the float formatting of `{:.3}` would add its
/// own machinery to the main wasm.
fn fixed(v: f64, digits: u32) -> String {
    let scale = 10i64.pow(digits);
    let n = (v * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let scale = scale.unsigned_abs();
    let width = digits as usize;
    format!("{sign}{}.{:0width$}", n / scale, n % scale)
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{} %", fixed(v, 1)))
}

fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| fixed(v, 3))
}

/// One table row's cells after the code name.
fn cells(unit: Unit, m: &Measures) -> Html {
    match unit {
        Unit::Character => {
            let t = m.table.unwrap_or_default();
            html! { <>
                <td>{percent(m.percent)}</td><td>{number(m.kappa)}</td><td>{number(m.alpha)}</td>
                <td>{t.both}</td><td>{t.first_only}</td><td>{t.second_only}</td>
            </> }
        }
        Unit::Segment => {
            let s = m.segments.unwrap_or_default();
            html! { <>
                <td>{percent(m.percent)}</td><td>{number(m.kappa)}</td>
                <td>{s.matched()}</td><td>{s.unmatched()}</td>
            </> }
        }
    }
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

    let comparison = Comparison {
        coders: vec![first_name.clone(), second_name.clone()],
        sources: (*sources).clone(),
        codes: (*codes).clone(),
        unit: *unit,
        min_overlap: *overlap,
    };
    let result = compare(project, &comparison);
    let table = match &result {
        Err(e) => html! { <p class="agreement-error" role="alert">{e.to_string()}</p> },
        Ok(r) if r.rows.is_empty() => {
            html! { <p class="empty-state">{"Neither coder used a code in these sources."}</p> }
        }
        Ok(r) => {
            let heads: Vec<String> = match r.unit {
                Unit::Character => vec![
                    "Agreement".into(),
                    "Kappa".into(),
                    "Alpha".into(),
                    "Both".into(),
                    format!("{first_name} only"),
                    format!("{second_name} only"),
                ],
                Unit::Segment => vec![
                    "Agreement".into(),
                    "Kappa".into(),
                    "Matched".into(),
                    "Unmatched".into(),
                ],
            };
            let caption = match r.unit {
                Unit::Character => format!(
                    "Characters of {} ({} characters): kappa is Cohen's, overall pools the codes.",
                    words::count(r.sources, "source", "sources"),
                    words::thousands(r.characters as usize)
                ),
                Unit::Segment => format!(
                    "Segments of {}: matched when the other coder's segment covers {} % of it; kappa overall (chance = 1 / number of codes).",
                    words::count(r.sources, "source", "sources"),
                    *overlap
                ),
            };
            html! {
                <table class="agreement-table">
                    <caption>{caption}</caption>
                    <thead><tr><th scope="col">{"Code"}</th>{ for heads.iter().map(|h| html! { <th scope="col">{h}</th> }) }</tr></thead>
                    <tbody>
                        { for r.rows.iter().map(|row| html! {
                            <tr><th scope="row">{&row.name}</th>{cells(r.unit, &row.measures)}</tr>
                        }) }
                    </tbody>
                    <tfoot><tr><th scope="row">{"Overall"}</th>{cells(r.unit, &r.overall)}</tr></tfoot>
                </table>
            }
        }
    };

    let list = if result.is_ok() {
        disagreement_list(props, &comparison)
    } else {
        html! {}
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
fn disagreement_list(props: &AgreementViewProps, c: &Comparison) -> Html {
    let project = &props.project;
    let (Some(first), Some(second)) = (c.coders.first(), c.coders.get(1)) else {
        return html! {};
    };
    let found = disagreements(project, first, second, &c.sources, &c.codes);
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
