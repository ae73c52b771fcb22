//! Crosstabs: codes down (tree order, indented), cases or one attribute's values across, with
//! core's counts (`crosstab`: segments, sources, cases or coded words), percentages, totals,
//! subtotals and a heat-map shading behind numbers that are always shown; a click on a cell
//! lists its segments (with a speaker filter), each opening its passage. The co-occurrence mode
//! shows the code × code table (overlap, same paragraph or same turn) and, for a cell, the
//! passages where the two codes meet. Tables are computed in the worker (`Request::Crosstab`,
//! with the project kept there as for searches) and come written out as the `<table>`'s markup
//! (`crosstab::Shown`: labels, counts, percentages, shading, every text escaped), so the page
//! neither holds the counting code nor blocks while it runs (1.3 s at study scale, issue 12),
//! and sets the table in one go instead of rendering 8,000 cells as components. A large table
//! (`Shown::windowed`) stays in the worker: the page is sent the window in view (a
//! `crosstab::Part`) and asks for another as it scrolls, keeping the one written until the new
//! one comes (1.7 MB of markup decoded on each visit took most of the 164 ms the tab click
//! cost at study scale, issue 10). One delegated
//! listener opens a cell from its button's `data-` address, and the open cell is marked on the
//! markup. "Counting…" shows while an answer for the shown project and choices is pending. The worker writes the CSV and XLSX files too; each
//! export runs the pseudonymisation check (`check_export`) over the CSV first.
//!
//! Files: `mod.rs` the view (choices, table, open cell, exports), `controls.rs` the choices and
//! their labelled controls, `segments.rs` the passages behind a cell, `window.rs` a large
//! table's windows (asked for, set and marked as it scrolls).

mod controls;
mod segments;
mod window;

use crate::components::pseudonyms::{check_export, ExportCheck, NamesFound};
use crate::dom;
use crate::hooks::{use_generation, ByPointer};
use controls::{check, select};
use framewise_core::crosstab::{CellShown, Choice, Count, Percent, Proximity};
use framewise_core::protocol::{Reply, TableAsk};
use framewise_core::{Action, AttributeId, Project, SourceId, Span};
use segments::segment_list;
use std::rc::Rc;
use web_sys::Element;
use window::{
    clicked_cell, first_window, mark_open, page, set_window, Big, Pager, Paging, MARGIN,
    MARGIN_AFTER_MS, SLACK,
};
use yew::prelude::*;

/// An open cell: `(row, column)` (`None` column: the totals column).
type Open = Option<(usize, Option<usize>)>;

/// A worker's answer with the project and choice (and cell) it answers: a newer request is
/// pending while they differ from the shown ones.
type Answered<K, T> = Rc<(Rc<Project>, K, Result<T, String>)>;

/// The worker's table: why there is none, or its markup (`crosstab::Part`, every text escaped
/// there), kept as shared text so that re-rendering does not copy it; of a large one only its
/// first window ([`Big`]).
struct Table {
    empty: Option<String>,
    markup: AttrValue,
    windowed: Option<Rc<Big>>,
}

/// Props of [`CrosstabView`].
#[derive(Properties, PartialEq)]
pub struct CrosstabViewProps {
    /// The open project.
    pub project: Rc<Project>,
    /// The project as shown under the coder filter (its codings are counted).
    pub shown: Rc<Project>,
    /// Applies an action (pseudonymising before an export).
    pub dispatch: Callback<Action>,
    /// Open a source scrolled to a passage.
    pub on_open: Callback<(SourceId, Span)>,
    /// Shows a message (errors).
    pub on_message: Callback<String>,
}

/// Asks the worker about the table `choice` describes over `project`.
async fn ask(project: &Rc<Project>, choice: &Choice, what: TableAsk) -> Result<Reply, String> {
    crate::worker_client::crosstab(project, choice, what)
        .await
        .map(|(reply, _)| reply)
}

/// The table `choice` describes over `project` as a file (CSV or XLSX, written by the worker).
async fn file_bytes(project: &Rc<Project>, choice: &Choice, xlsx: bool) -> Result<Vec<u8>, String> {
    let what = if xlsx { TableAsk::Xlsx } else { TableAsk::Csv };
    let answer = crate::worker_client::crosstab(project, choice, what).await?;
    crate::worker_client::exported_bytes(answer).map(|(bytes, _)| bytes)
}

fn mime(xlsx: bool) -> &'static str {
    if xlsx {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "text/csv;charset=utf-8"
    }
}

/// The Crosstabs view.
#[component]
pub fn CrosstabView(props: &CrosstabViewProps) -> Html {
    let choice = use_state(Choice::default);
    let shading = use_state(|| true);
    let open = use_state(|| None as Open);
    let speaker = use_state(String::new);
    let held = use_state(|| None::<(bool, Rc<NamesFound>)>);
    let project = props.shown.clone();
    let c = (*choice).clone();

    // The table, computed by the worker for the shown project and choice.
    let view_ref = use_node_ref();
    let table = use_state(|| None::<Answered<Choice, Table>>);
    let generation = use_generation();
    {
        let table = table.clone();
        let view_ref = view_ref.clone();
        use_effect_with((ByPointer(project.clone()), c.clone()), move |(p, c)| {
            let ticket = generation.begin();
            let (p, c) = (p.0.clone(), c.clone());
            let first = first_window(view_ref.cast::<Element>(), &c);
            wasm_bindgen_futures::spawn_local(async move {
                let got = match ask(&p, &c, first).await {
                    Ok(Reply::Crosstab(part)) => Ok(Table {
                        empty: part.empty,
                        markup: AttrValue::from(part.markup),
                        windowed: part.window.map(|[r0, r1, c0, c1]| {
                            Rc::new(Big {
                                size: (part.size[0], part.size[1]),
                                row_rem: part.row_rem,
                                first: (r0..r1, c0..c1),
                            })
                        }),
                    }),
                    Ok(_) => Err(crate::worker_client::UNUSABLE.to_string()),
                    Err(e) => Err(e),
                };
                if ticket.is_current() {
                    table.set(Some(Rc::new((p, c, got))));
                }
            });
        });
    }
    // The open cell's passages.
    let passages = use_state(|| None::<Answered<(Choice, (usize, Option<usize>)), CellShown>>);
    let cell_generation = use_generation();
    {
        let passages = passages.clone();
        use_effect_with(
            (ByPointer(project.clone()), c.clone(), *open),
            move |(p, c, at)| {
                let ticket = cell_generation.begin();
                if let Some(at) = *at {
                    let (p, c) = (p.0.clone(), c.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let got = match ask(&p, &c, TableAsk::Cell(at.0, at.1)).await {
                            Ok(Reply::CrosstabCell(cell)) => Ok(cell),
                            Ok(_) => Err(crate::worker_client::UNUSABLE.to_string()),
                            Err(e) => Err(e),
                        };
                        if ticket.is_current() {
                            passages.set(Some(Rc::new((p, (c, at), got))));
                        }
                    });
                }
            },
        );
    }

    let file = {
        let stem = format!(
            "{} {}",
            props.project.name.trim(),
            if c.cooccur {
                "co-occurrence"
            } else {
                "crosstab"
            }
        );
        move |xlsx: bool| format!("{stem}.{}", if xlsx { "xlsx" } else { "csv" })
    };
    // Writes the export of `p` (the shown project, or the pseudonymised one).
    let write = {
        let on_message = props.on_message.clone();
        let file = file.clone();
        let c = c.clone();
        Rc::new(move |p: Rc<Project>, xlsx: bool| {
            let (on_message, name, c) = (on_message.clone(), file(xlsx), c.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let written = file_bytes(&p, &c, xlsx)
                    .await
                    .and_then(|bytes| dom::download_bytes(&name, mime(xlsx), &bytes));
                if let Err(e) = written {
                    on_message.emit(format!("Could not export the table: {e}"));
                }
            });
        })
    };
    let export = |xlsx: bool| {
        let held = held.clone();
        let key = props.project.pseudonyms.clone();
        let shown = props.shown.clone();
        let write = write.clone();
        let on_message = props.on_message.clone();
        let name = file(xlsx);
        let c = c.clone();
        Callback::from(move |_: MouseEvent| {
            let (held, key, shown, write) =
                (held.clone(), key.clone(), shown.clone(), write.clone());
            let (on_message, name, c) = (on_message.clone(), name.clone(), c.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // The XLSX holds the same texts as the CSV, which the page can search.
                let csv = match file_bytes(&shown, &c, false).await {
                    Ok(bytes) => bytes,
                    Err(e) => return on_message.emit(format!("Could not export the table: {e}")),
                };
                match check_export(&key, crate::components::pseudonyms::Written::Bytes(&csv)).await
                {
                    Ok(Some(found)) => held.set(Some((xlsx, Rc::new(found)))),
                    Ok(None) if xlsx => write(shown, true),
                    Ok(None) => {
                        if let Err(e) = dom::download_bytes(&name, mime(false), &csv) {
                            on_message.emit(format!("Could not export the table: {e}"));
                        }
                    }
                    Err(e) => on_message.emit(format!("Could not export the table: {e}")),
                }
            });
        })
    };
    let check_dialog = (*held).clone().map(|(xlsx, found)| {
        let on_export = {
            let held = held.clone();
            let write = write.clone();
            Callback::from(move |p: Rc<Project>| {
                held.set(None);
                write(p, xlsx);
            })
        };
        let on_cancel = {
            let held = held.clone();
            Callback::from(move |_| held.set(None))
        };
        html! {
            <ExportCheck project={props.project.clone()} file={file(xlsx)} {found}
                dispatch={props.dispatch.clone()} {on_export} {on_cancel} />
        }
    });

    let mode = select(
        "Table",
        vec![
            ("crosstab".into(), "Crosstab".into()),
            ("cooccur".into(), "Code co-occurrence".into()),
        ],
        if c.cooccur { "cooccur" } else { "crosstab" }.into(),
        &choice,
        |c, v| c.cooccur = v == "cooccur",
    );
    let controls = if c.cooccur {
        html! {
            {select(
                "Codes meet when",
                Proximity::ALL.iter().enumerate().map(|(i, p)| (i.to_string(), p.label().to_string())).collect(),
                Proximity::ALL.iter().position(|p| *p == c.proximity).unwrap_or(0).to_string(),
                &choice,
                |c, v| c.proximity = v.parse::<usize>().ok().and_then(|i| Proximity::ALL.get(i).copied()).unwrap_or_default(),
            )}
        }
    } else {
        let mut columns = vec![(String::new(), "Cases".to_string())];
        columns.extend(
            project
                .attributes
                .iter()
                .map(|a| (a.id.to_string(), format!("Values of {}", a.name))),
        );
        let on_shading = {
            let shading = shading.clone();
            Callback::from(move |e: Event| {
                shading.set(
                    e.target_unchecked_into::<web_sys::HtmlInputElement>()
                        .checked(),
                )
            })
        };
        html! {
            <>
                {select("Columns", columns, c.by.map(|a| a.to_string()).unwrap_or_default(), &choice,
                    |c, v| c.by = AttributeId::parse(v))}
                {select(
                    "Count",
                    Count::ALL.iter().enumerate().map(|(i, k)| (i.to_string(), k.label().to_string())).collect(),
                    Count::ALL.iter().position(|k| *k == c.count).unwrap_or(0).to_string(),
                    &choice,
                    |c, v| c.count = v.parse::<usize>().ok().and_then(|i| Count::ALL.get(i).copied()).unwrap_or_default(),
                )}
                {select(
                    "Percentages",
                    Percent::ALL.iter().enumerate().map(|(i, k)| (i.to_string(), k.label().to_string())).collect(),
                    Percent::ALL.iter().position(|k| *k == c.percent).unwrap_or(0).to_string(),
                    &choice,
                    |c, v| c.percent = v.parse::<usize>().ok().and_then(|i| Percent::ALL.get(i).copied()).unwrap_or_default(),
                )}
                <span class="xtab-checks">
                    {check("Include child codes", c.children, &choice, |c, on| c.children = on)}
                    {check("Subtotals", c.subtotals, &choice, |c, on| c.subtotals = on)}
                    {check("Include sub-cases", c.subcases, &choice, |c, on| c.subcases = on)}
                    <label class="check"><input type="checkbox" aria-label="Shading" checked={*shading} onchange={on_shading} />{"Shading"}</label>
                </span>
            </>
        }
    };

    let current = table
        .as_deref()
        .filter(|(p, k, _)| Rc::ptr_eq(p, &project) && *k == c)
        .map(|(_, _, got)| got);
    let grid_ref = use_node_ref();
    let paging: Paging = use_mut_ref(Pager::default);
    let grid = match current {
        None => html! { <p class="muted" role="status">{"Counting…"}</p> },
        Some(Err(e)) => html! { <p class="agreement-error" role="alert">{e}</p> },
        Some(Ok(Table {
            empty: Some(why), ..
        })) => html! { <p class="empty-state">{why}</p> },
        Some(Ok(t)) => {
            // One listener for every cell: its button carries its address.
            let onclick = {
                let (open, speaker) = (open.clone(), speaker.clone());
                Callback::from(move |e: MouseEvent| {
                    if let Some(at) = clicked_cell(&e) {
                        speaker.set(String::new());
                        open.set(Some(at));
                    }
                })
            };
            // A cell's name as its tooltip, given when the pointer first comes (8,000 titles
            // written out would double the table's markup).
            let onmouseover = Callback::from(|e: MouseEvent| {
                let button = e
                    .target_dyn_into::<Element>()
                    .and_then(|t| t.closest("button[aria-label]").ok().flatten());
                if let Some(b) = button.filter(|b| !b.has_attribute("title")) {
                    let _ = b
                        .set_attribute("title", &b.get_attribute("aria-label").unwrap_or_default());
                }
            });
            // A large table: only what is in view is written out, asked again as it scrolls.
            let onscroll = t.windowed.is_some().then(|| {
                let (grid_ref, paging) = (grid_ref.clone(), paging.clone());
                let (project, c) = (project.clone(), c.clone());
                Callback::from(move |_: Event| {
                    if let Some(grid) = grid_ref.cast::<Element>() {
                        page(&grid, &paging, &project, &c, SLACK);
                    }
                })
            });
            let body = match &t.windowed {
                Some(_) => html! { <div class="xtab-window"></div> },
                None => Html::from_html_unchecked(t.markup.clone()),
            };
            html! {
                <div class={classes!("xtab-scroll", shading.then_some("shaded"))} ref={grid_ref.clone()}
                    {onclick} {onmouseover} {onscroll}>
                    {body}
                </div>
            }
        }
    };
    {
        let grid_ref = grid_ref.clone();
        let shown = current
            .and_then(|got| got.as_ref().ok())
            .map(|t| (t.markup.clone(), t.windowed.clone().map(ByPointer)));
        let (project, c) = (project.clone(), c.clone());
        use_effect_with((*open, shown), move |(at, shown)| {
            let grid = grid_ref.cast::<Element>();
            let big = shown
                .as_ref()
                .and_then(|(markup, big)| Some((markup, big.as_ref()?.0.clone())));
            let mut pager = paging.borrow_mut();
            let new = match &big {
                // A new large table: its first window, then whatever more its container shows.
                Some((markup, big))
                    if !pager.table.as_ref().is_some_and(|t| Rc::ptr_eq(t, big)) =>
                {
                    if let Some(grid) = &grid {
                        set_window(grid, markup);
                    }
                    *pager = Pager {
                        table: Some(big.clone()),
                        written: Some(big.first.clone()),
                        ..Pager::default()
                    };
                    true
                }
                Some(_) => false,
                // No large table shown (a window still coming is not written).
                None => {
                    *pager = Pager::default();
                    false
                }
            };
            pager.open = *at;
            if let Some(grid) = grid {
                if new {
                    // Once the first window is painted: the margin, and more if the
                    // container shows more than was guessed.
                    let (grid, paging, project, c) =
                        (grid.clone(), paging.clone(), project.clone(), c.clone());
                    pager.later = Some(gloo::timers::callback::Timeout::new(
                        MARGIN_AFTER_MS,
                        move || {
                            page(&grid, &paging, &project, &c, MARGIN);
                        },
                    ));
                }
                drop(pager);
                mark_open(&grid, *at);
            }
        });
    }
    let detail = (*open).and_then(|at| {
        let answered = passages.as_deref()?;
        let (p, (k, a), got) = answered;
        if !Rc::ptr_eq(p, &project) || *k != c || *a != at {
            return None;
        }
        let cell = got.as_ref().ok()?;
        Some(segment_list(&project, cell, &speaker, &props.on_open))
    });

    html! {
        <section class="xtab-view" aria-label="Crosstabs" ref={view_ref}>
            <h2>{"Crosstabs"}</h2>
            <div class="xtab-controls">
                {mode}
                {controls}
                <span class="matrix-exports" role="group" aria-label="Export">
                    {"Export:"}
                    <button aria-label="Export CSV" onclick={export(false)}>{"CSV"}</button>
                    <button aria-label="Export XLSX" onclick={export(true)}>{"XLSX"}</button>
                </span>
            </div>
            <p class="muted xtab-help">{if c.cooccur {
                "How often two codes meet. The diagonal counts each code's segments (or the paragraphs / turns holding it). Click a number to read the passages."
            } else {
                "Numbers are always shown; shading only repeats them. Totals count each coding once. Click a number to read its segments."
            }}</p>
            {grid}
            {detail.unwrap_or_default()}
            {check_dialog.unwrap_or_default()}
        </section>
    }
}
