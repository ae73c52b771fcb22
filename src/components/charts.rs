//! Charts: code frequencies, codes by attribute value (grouped or stacked), a document
//! portrait and the code hierarchy (treemap). Core's `chart` draws them as SVG text in the
//! worker (`worker_client::chart`: the drawing code stays out of the main wasm); the page shows
//! that SVG, the same data as a table, and offers the SVG, a PNG (the SVG drawn on a canvas) and
//! the CSV as files, each through the pseudonymisation check (`check_export`) first.

use crate::components::pseudonyms::{check_export, ExportCheck, NamesFound, Written};
use crate::dom;
use crate::hooks::{use_generation, ByPointer};
use framewise_core::chart::{Chart, ChartKind, ChartSpec};
use framewise_core::{Action, Project};
use std::rc::Rc;
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

/// The researcher's choices (the values of the `<select>`s, by their `name`), turned into a
/// [`ChartSpec`] by [`spec_of`].
#[derive(Clone, PartialEq, Default)]
struct Choices {
    /// The index of the kind in [`ChartKind::ALL`].
    kind: String,
    /// `all`, `top:N`, `code:ID` (the code and those below it) or `set:ID`.
    codes: String,
    /// An attribute id, or empty: the first attribute.
    attribute: String,
    /// `stacked` or `grouped`.
    bars: String,
    /// A source id, or empty: the first source.
    source: String,
}

impl Choices {
    /// The choice of the `<select>` named `name` set to `value`.
    fn set(&mut self, name: &str, value: String) {
        match name {
            "kind" => self.kind = value,
            "codes" => self.codes = value,
            "attribute" => self.attribute = value,
            "bars" => self.bars = value,
            "source" => self.source = value,
            _ => {}
        }
    }
}

/// The chart the choices ask for.
fn spec_of(project: &Project, c: &Choices) -> ChartSpec {
    let (kind, rest) = c.codes.split_once(':').unwrap_or(("all", ""));
    let (codes, top) = match kind {
        "top" => (None, rest.parse().ok()),
        "code" => (
            framewise_core::CodeId::parse(rest)
                .map(|id| project.descendants_and_self(id).into_iter().collect()),
            None,
        ),
        "set" => (
            framewise_core::SetId::parse(rest)
                .and_then(|id| project.sets.iter().find(|s| s.id == id))
                .map(|s| s.codes.clone()),
            None,
        ),
        _ => (None, None),
    };
    ChartSpec {
        kind: c
            .kind
            .parse::<usize>()
            .ok()
            .and_then(|i| ChartKind::ALL.get(i).copied())
            .unwrap_or_default(),
        codes,
        top,
        attribute: framewise_core::AttributeId::parse(&c.attribute)
            .or_else(|| project.attributes.first().map(|a| a.id)),
        stacked: c.bars == "stacked",
        source: framewise_core::SourceId::parse(&c.source)
            .or_else(|| project.sources.first().map(|s| s.id)),
    }
}

/// Where the latest chart is.
#[derive(Clone, PartialEq)]
enum Outcome {
    Drawing,
    Drawn(Rc<Chart>),
    Failed(String),
}

/// Writes `chart` as the file `what` (`svg`, `png` or `csv`) names.
fn write(chart: Rc<Chart>, kind: ChartKind, what: &'static str, on_message: Callback<String>) {
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

/// A labelled `<select>` named `name` (its changes are handled by the controls' one listener).
#[inline(never)]
fn select(label: &str, name: &'static str, options: Html) -> Html {
    let id = format!("chart-{name}");
    html! { <span><label for={id.clone()}>{label}</label>{" "}<select {id} {name}>{options}</select></span> }
}

/// `<option>`s of `(value, label)` pairs, `selected` the chosen one (one function for every
/// list, not one copy per iterator type: the main wasm's size).
#[inline(never)]
fn options(list: Vec<(String, String)>, selected: &str) -> Html {
    list.into_iter()
        .map(|(value, label)| {
            let chosen = value == selected;
            html! { <option {value} selected={chosen}>{label}</option> }
        })
        .collect()
}

/// The Charts view.
#[component]
pub fn ChartsView(props: &ChartsViewProps) -> Html {
    let project = &props.project;
    // The first option of each list, so each `<select>` shows what is charted.
    let choices = use_state(|| Choices {
        kind: "0".into(),
        codes: "all".into(),
        bars: "grouped".into(),
        ..Choices::default()
    });
    let outcome = use_state(|| Outcome::Drawing);
    let check = use_state(|| None::<(Rc<NamesFound>, &'static str)>);
    let generation = use_generation();
    let figure = use_node_ref();
    let spec = spec_of(project, &choices);
    {
        let outcome = outcome.clone();
        let figure = figure.clone();
        use_effect_with(
            (spec.clone(), ByPointer(project.clone())),
            move |(spec, project)| {
                let ticket = generation.begin();
                outcome.set(Outcome::Drawing);
                let (spec, project) = (spec.clone(), project.0.clone());
                // The SVG and the table are inserted as markup: they are core's `chart` output
                // from our own worker, in which every text (code, source and attribute names)
                // is XML-escaped and colours are used only when they are `#rrggbb`
                // (core/tests/chart.rs checks both with hostile names), so nothing of the
                // researcher's data can become markup or script here.
                let show = move |markup: &str| {
                    if let Some(element) = figure.cast::<web_sys::Element>() {
                        element.set_inner_html(markup);
                    }
                };
                show("");
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = crate::worker_client::chart(&project, spec).await;
                    if ticket.is_current() {
                        outcome.set(match answer {
                            Ok(chart) => {
                                show(&format!("{}{}", chart.svg, chart.table));
                                Outcome::Drawn(Rc::new(chart))
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
        let choices = choices.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*choices).clone();
            next.set(&select.name(), select.value());
            choices.set(next);
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
        let kind = spec.kind;
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
            let spec = spec.clone();
            let on_message = props.on_message.clone();
            Callback::from(move |p: Rc<Project>| {
                check.set(None);
                let (chart, spec, on_message) = (chart.clone(), spec.clone(), on_message.clone());
                let open = Rc::ptr_eq(&p, &open);
                wasm_bindgen_futures::spawn_local(async move {
                    // Pseudonymised first: the chart of that project is written.
                    let chart = match chart.filter(|_| open) {
                        Some(chart) => Ok(chart),
                        None => crate::worker_client::chart(&p, spec.clone()).await.map(Rc::new),
                    };
                    match chart {
                        Ok(chart) => write(chart, spec.kind, what, on_message),
                        Err(e) => on_message.emit(format!("Could not draw the chart: {e}")),
                    }
                });
            })
        };
        let file = format!("{}.{what}", spec.kind.file_stem());
        html! {
            <ExportCheck project={project.clone()} {file} {found} dispatch={props.dispatch.clone()} {on_export} {on_cancel} />
        }
    });

    let c = &*choices;
    let kinds = ChartKind::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| (i.to_string(), k.label().to_string()))
        .collect();
    let bars = matches!(spec.kind, ChartKind::Frequencies | ChartKind::ByAttribute);
    let codes = (spec.kind != ChartKind::Hierarchy).then(|| {
        let mut first = vec![("all".to_string(), "Every code".to_string())];
        if bars {
            for n in [10, 20] {
                first.push((format!("top:{n}"), format!("The {n} most frequent")));
            }
        }
        let tree = project
            .code_tree()
            .into_iter()
            .filter_map(|(id, depth)| {
                let code = project.code(id)?;
                Some((
                    format!("code:{id}"),
                    format!("{}{}", "\u{a0}\u{a0}".repeat(depth), code.name),
                ))
            })
            .collect();
        let sets = project
            .sets
            .iter()
            .map(|s| (format!("set:{}", s.id), s.name.clone()))
            .collect();
        let list = html! {<>
            {options(first, &c.codes)}
            <optgroup label="A code and the codes below it">{options(tree, &c.codes)}</optgroup>
            if !project.sets.is_empty() { <optgroup label="A theme or set">{options(sets, &c.codes)}</optgroup> }
        </>};
        select("Codes", "codes", list)
    });
    let by_attribute = (spec.kind == ChartKind::ByAttribute).then(|| {
        let chosen = spec.attribute.map(|a| a.to_string()).unwrap_or_default();
        let attributes = project
            .attributes
            .iter()
            .map(|a| (a.id.to_string(), a.name.clone()))
            .collect();
        let bars = [("grouped", "Grouped"), ("stacked", "Stacked")]
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .to_vec();
        html! {<>
            {select("Attribute", "attribute", options(attributes, &chosen))}
            {select("Bars", "bars", options(bars, &c.bars))}
        </>}
    });
    let source = (spec.kind == ChartKind::Portrait).then(|| {
        let chosen = spec.source.map(|s| s.to_string()).unwrap_or_default();
        let sources = project
            .sources
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect();
        select("Source", "source", options(sources, &chosen))
    });
    let (status, problem) = match &*outcome {
        Outcome::Drawing => ("Drawing…", None),
        Outcome::Failed(problem) => ("", Some(problem.clone())),
        Outcome::Drawn(_) => ("", None),
    };
    let disabled = shown.is_none();

    html! {
        <section class="charts-view" aria-label="Charts">
            <h2>{"Charts"}</h2>
            <div class="chart-controls" {onchange}>
                {select("Chart", "kind", options(kinds, &c.kind))}{codes}{by_attribute}{source}
            </div>
            <div class="chart-downloads" role="group" aria-label="Download the chart" {onclick}>
                <button value="svg" {disabled}>{"Download SVG"}</button>
                <button value="png" {disabled}>{"Download PNG"}</button>
                <button value="csv" {disabled}>{"Download CSV"}</button>
            </div>
            <p role="status" class="chart-status">{status}{problem}</p>
            <div class="chart-figure" ref={figure}></div>
            {check_dialog}
        </section>
    }
}
