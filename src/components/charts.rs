//! Charts: code frequencies, codes by attribute value (grouped or stacked), a document
//! portrait and the code hierarchy (treemap). Core's `chart` draws them as SVG text in the
//! worker (`worker_client::chart`: the drawing code stays out of the main wasm) and writes the
//! view's controls there too (`chart::Choice::controls`: the labelled `<select>`s and their
//! options); the page sets the controls, that SVG and the same data as a table as markup, reads
//! every control's change through one listener, and offers the SVG, a PNG (the SVG drawn on a
//! canvas) and the CSV as files, each through the pseudonymisation check (`check_export`) first.

use crate::components::pseudonyms::{check_export, ExportCheck, NamesFound, Written};
use crate::dom;
use crate::hooks::{use_generation, ByPointer};
use framewise_core::chart::{ChartKind, Choice, Shown};
use framewise_core::{Action, Project};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`ChartsView`].
#[derive(Properties, PartialEq)]
pub struct ChartsViewProps {
    /// The project charted.
    pub project: Rc<Project>,
    /// Applies an action (pseudonymising before a download).
    pub dispatch: Callback<Action>,
    /// Shows a message (a download that failed).
    pub on_message: Callback<String>,
}

/// Where the latest chart is.
#[derive(Clone, PartialEq)]
enum Outcome {
    Drawing,
    Drawn(Rc<Shown>),
    Failed(String),
}

/// Sets `markup` (core's, from our own worker, every text escaped) as the content of `node`,
/// and gives the focus back to the `<select>` of the same name if one inside had it (the
/// controls are written anew after every choice; a keyboard user stays on the control).
fn set_markup(node: &NodeRef, markup: &str) {
    let Some(element) = node.cast::<web_sys::Element>() else {
        return;
    };
    let focused = dom::document()
        .and_then(|d| d.active_element())
        .filter(|a| element.contains(Some(a)))
        .and_then(|a| a.get_attribute("name"));
    element.set_inner_html(markup);
    if let Some(again) = focused
        .and_then(|name| {
            element
                .query_selector(&format!("[name='{name}']"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = again.focus();
    }
}

/// Writes `chart` (of `kind`) as the file `what` (`svg`, `png` or `csv`) names.
fn write(chart: Rc<Shown>, kind: ChartKind, what: &'static str, on_message: Callback<String>) {
    let file = format!("{}.{what}", kind.file_stem());
    wasm_bindgen_futures::spawn_local(async move {
        let written = match what {
            "svg" => dom::download(&file, "image/svg+xml", &chart.svg),
            "csv" => dom::download(&file, "text/csv;charset=utf-8", &chart.csv),
            _ => dom::download_svg_as_png(&file, &chart.svg).await,
        };
        if let Err(e) = written {
            on_message.emit(format!("Could not save {file}: {e}"));
        }
    });
}

/// The Charts view: the controls and the chart (with its table) as the worker wrote them, the
/// three downloads.
#[component]
pub fn ChartsView(props: &ChartsViewProps) -> Html {
    let project = &props.project;
    let choice = use_state(Choice::default);
    let outcome = use_state(|| Outcome::Drawing);
    let check = use_state(|| None::<(Rc<NamesFound>, &'static str)>);
    let generation = use_generation();
    let controls = use_node_ref();
    let figure = use_node_ref();
    let kind = choice.kind();
    {
        let outcome = outcome.clone();
        let (controls, figure) = (controls.clone(), figure.clone());
        use_effect_with(
            ((*choice).clone(), ByPointer(project.clone())),
            move |(choice, project)| {
                let ticket = generation.begin();
                outcome.set(Outcome::Drawing);
                let (choice, project) = (choice.clone(), project.0.clone());
                // The controls, the SVG and the table are inserted as markup: core's `chart`
                // output from our own worker, in which every text (code, source and attribute
                // names) is XML-escaped and colours are used only when they are `#rrggbb`
                // (core/tests/chart.rs checks both with hostile names), so nothing of the
                // researcher's data can become markup or script here.
                set_markup(&figure, "");
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = crate::worker_client::chart(&project, choice).await;
                    if ticket.is_current() {
                        outcome.set(match answer {
                            Ok(shown) => {
                                set_markup(&controls, &shown.controls);
                                if shown.problem.is_empty() {
                                    set_markup(&figure, &format!("{}{}", shown.svg, shown.table));
                                    Outcome::Drawn(Rc::new(shown))
                                } else {
                                    Outcome::Failed(shown.problem)
                                }
                            }
                            Err(e) => Outcome::Failed(e),
                        });
                    }
                });
            },
        );
    }
    // Every control is a `<select>` with a `name`: one listener for all of them.
    let onchange = {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let mut next = (*choice).clone();
                next.set(&select.name(), select.value());
                choice.set(next);
            }
        })
    };
    let shown = match &*outcome {
        Outcome::Drawn(chart) => Some(chart.clone()),
        _ => None,
    };
    // The three download buttons: one listener, the button's value says which file.
    let onclick = {
        let chart = shown.clone();
        let project = project.clone();
        let check = check.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |e: MouseEvent| {
            let value = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|b| b.get_attribute("value"));
            let (Some(chart), Some(what)) = (
                chart.clone(),
                ["svg", "png", "csv"]
                    .into_iter()
                    .find(|w| value.as_deref() == Some(*w)),
            ) else {
                return;
            };
            let (project, check, on_message) = (project.clone(), check.clone(), on_message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = if what == "csv" {
                    &chart.csv
                } else {
                    &chart.svg
                };
                match check_export(&project.pseudonyms, Written::Bytes(text.as_bytes())).await {
                    Ok(Some(found)) => check.set(Some((Rc::new(found), what))),
                    Ok(None) => write(chart, kind, what, on_message),
                    Err(e) => on_message.emit(format!("Could not export the chart: {e}")),
                }
            });
        })
    };
    let check_dialog = (*check).clone().map(|(found, what)| {
        let on_cancel = {
            let check = check.clone();
            Callback::from(move |_| check.set(None))
        };
        let on_export = {
            let check = check.clone();
            let open = project.clone();
            let chart = shown.clone();
            let choice = (*choice).clone();
            let on_message = props.on_message.clone();
            Callback::from(move |p: Rc<Project>| {
                check.set(None);
                let (chart, choice, on_message) =
                    (chart.clone(), choice.clone(), on_message.clone());
                let open = Rc::ptr_eq(&p, &open);
                wasm_bindgen_futures::spawn_local(async move {
                    // Pseudonymised first: the chart of that project is written.
                    let chart = match chart.filter(|_| open) {
                        Some(chart) => Ok(chart),
                        None => match crate::worker_client::chart(&p, choice).await {
                            Ok(shown) if shown.problem.is_empty() => Ok(Rc::new(shown)),
                            Ok(shown) => Err(shown.problem),
                            Err(e) => Err(e),
                        },
                    };
                    match chart {
                        Ok(chart) => write(chart, kind, what, on_message),
                        Err(e) => on_message.emit(format!("Could not draw the chart: {e}")),
                    }
                });
            })
        };
        let file = format!("{}.{what}", kind.file_stem());
        html! {
            <ExportCheck project={project.clone()} {file} {found} dispatch={props.dispatch.clone()} {on_export} {on_cancel} />
        }
    });
    let status = match &*outcome {
        Outcome::Drawing => "Drawing…".to_string(),
        Outcome::Failed(problem) => problem.clone(),
        Outcome::Drawn(_) => String::new(),
    };
    let disabled = shown.is_none();

    html! {
        <section class="charts-view" aria-label="Charts">
            <h2>{"Charts"}</h2>
            <div class="chart-controls" ref={controls} {onchange}></div>
            <div class="chart-downloads" role="group" aria-label="Download the chart" {onclick}>
                <button value="svg" {disabled}>{"Download SVG"}</button>
                <button value="png" {disabled}>{"Download PNG"}</button>
                <button value="csv" {disabled}>{"Download CSV"}</button>
            </div>
            <p role="status" class="chart-status">{status}</p>
            <div class="chart-figure" ref={figure}></div>
            {check_dialog}
        </section>
    }
}
