//! Crosstabs: codes down (tree order, indented), cases or one attribute's values across, with
//! core's counts (`crosstab`: segments, sources, cases or coded words), percentages, totals,
//! subtotals and a heat-map shading behind numbers that are always shown; a click on a cell
//! lists its segments (with a speaker filter), each opening its passage. The co-occurrence mode
//! shows the code × code table (overlap, same paragraph or same turn) and, for a cell, the
//! passages where the two codes meet. Tables are computed in the page (a sweep over the codings,
//! milliseconds for 20,000) and exported as CSV here or XLSX by the worker (`TableExport`, the
//! table travels), each through the pseudonymisation check (`check_export`).
//!
//! **Not yet a workbench tab** (session 6): wired in, the main wasm measured just under or over
//! its 800 KB ceiling, so the view is compiled and linted but unreachable; its wiring (route,
//! tab, middle pane) is in the `xtab`/`report` branch history and its end-to-end test waits in
//! `tests/e2e/pending/`. Making the main wasm smaller comes first (ARCHITECTURE, "Main wasm size").
//!
//! Files: `mod.rs` the view (choices, table, open cell, exports), `controls.rs` the choices and
//! their labelled controls, `segments.rs` the passages behind a cell.

mod controls;
mod segments;

use crate::components::pseudonyms::{check_export, ExportCheck, NamesFound};
use crate::dom;
use crate::hooks::ByPointer;
use controls::{check, select, Choice};
use framewise_core::crosstab::{
    cell_codings, cooccurrence, cooccurrence_table, crosstab, crosstab_table, format_percent,
    meetings, Count, Percent, Proximity, Table,
};
use framewise_core::words;
use framewise_core::{Action, AttributeId, CodeId, Project, SourceId, Span};
use segments::{passage_item, segment_list, SHOWN};
use std::rc::Rc;
use yew::prelude::*;

/// An open cell: `(row, column)` (`None` column: the totals column).
type Open = Option<(usize, Option<usize>)>;

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

/// The Crosstabs view.
#[component]
pub fn CrosstabView(props: &CrosstabViewProps) -> Html {
    let choice = use_state(|| Choice {
        cooccur: false,
        by: None,
        count: Count::Segments,
        percent: Percent::None,
        children: false,
        subtotals: false,
        subcases: true,
        shading: true,
        proximity: Proximity::Overlap,
    });
    let open = use_state(|| None as Open);
    let speaker = use_state(String::new);
    let held = use_state(|| None::<(bool, Rc<NamesFound>)>);
    let project = props.shown.clone();
    let c = (*choice).clone();
    let table = use_memo((ByPointer(project.clone()), c.clone()), |(p, c)| {
        if c.cooccur {
            let codes: Vec<CodeId> = p.0.code_tree().into_iter().map(|(id, _)| id).collect();
            let co = cooccurrence(&p.0, &codes, c.proximity, None);
            (None, Some(Rc::new(co)))
        } else {
            (Some(Rc::new(crosstab(&p.0, &c.spec(&p.0)))), None)
        }
    });
    let export_table = {
        let c = c.clone();
        move |p: &Project| -> Table {
            if c.cooccur {
                let codes: Vec<CodeId> = p.code_tree().into_iter().map(|(id, _)| id).collect();
                cooccurrence_table(p, &cooccurrence(p, &codes, c.proximity, None), c.proximity)
            } else {
                crosstab_table(p, &crosstab(p, &c.spec(p)), c.count, c.percent)
            }
        }
    };
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
    // Writes the export of `p` (the open project, or the pseudonymised one).
    let write = {
        let on_message = props.on_message.clone();
        let export_table = export_table.clone();
        let file = file.clone();
        Rc::new(move |p: &Project, xlsx: bool| {
            let table = export_table(p);
            let name = file(xlsx);
            if !xlsx {
                let text = format!("\u{feff}{}", table.to_csv());
                if let Err(e) = dom::download(&name, "text/csv;charset=utf-8", &text) {
                    on_message.emit(format!("Could not export the table: {e}"));
                }
                return;
            }
            let on_message = on_message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let request = framewise_core::protocol::Request::TableExport { table };
                let result = match crate::worker_client::request(request, None).await {
                    Ok(answer) => {
                        crate::worker_client::exported_bytes(answer).and_then(|(bytes, _)| {
                            dom::download_bytes(
                                &name,
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                &bytes,
                            )
                        })
                    }
                    Err(e) => Err(e),
                };
                if let Err(e) = result {
                    on_message.emit(format!("Could not export the table: {e}"));
                }
            });
        })
    };
    let export = |xlsx: bool| {
        let held = held.clone();
        let project = props.project.clone();
        let shown = props.shown.clone();
        let write = write.clone();
        let export_table = export_table.clone();
        Callback::from(move |_: MouseEvent| {
            // The XLSX holds the same texts as the CSV, which the page can search.
            let text = export_table(&shown).to_csv();
            match check_export(&project.pseudonyms, None, text.as_bytes()) {
                Some(found) => held.set(Some((xlsx, Rc::new(found)))),
                None => write(&shown, xlsx),
            }
        })
    };
    let check_dialog = (*held).clone().map(|(xlsx, found)| {
        let on_export = {
            let held = held.clone();
            let write = write.clone();
            Callback::from(move |p: Rc<Project>| {
                held.set(None);
                write(&p, xlsx);
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
                    {check("Shading", c.shading, &choice, |c, on| c.shading = on)}
                </span>
            </>
        }
    };

    let open_cell = |cell: (usize, Option<usize>)| {
        let open = open.clone();
        let speaker = speaker.clone();
        Callback::from(move |_: MouseEvent| {
            speaker.set(String::new());
            open.set(Some(cell));
        })
    };
    let shade = |value: u64, max: u64| -> String {
        if !c.shading || value == 0 {
            return String::new();
        }
        // At most 60 % so the number stays readable (dark text on light shading).
        let alpha = 0.08 + 0.52 * (value as f64 / max as f64);
        format!("background: rgba(0, 114, 178, {alpha:.2})")
    };
    let code_name = |id: CodeId| project.code(id).map(|c| c.name.clone()).unwrap_or_default();

    let (grid, detail) = match &*table {
        (Some(t), _) => {
            let max = t.max_cell();
            let unit = |n: u64| match c.count {
                Count::Segments => words::count(n as usize, "coded segment", "coded segments"),
                Count::Sources => words::count(n as usize, "source", "sources"),
                Count::Cases => words::count(n as usize, "case", "cases"),
                Count::Words => words::count(n as usize, "coded word", "coded words"),
            };
            let cell = |value: u64,
                        r: Option<usize>,
                        col: Option<usize>,
                        what: String,
                        shaded: bool| {
                let pct = t.percent(value, r, col, c.percent).map(format_percent);
                let label = format!(
                    "{what}: {}{}",
                    unit(value),
                    pct.as_ref().map(|p| format!(", {p}")).unwrap_or_default()
                );
                let style = if shaded {
                    shade(value, max)
                } else {
                    String::new()
                };
                let body = html! {
                    <>
                        <span class="xtab-n">{words::thousands(value as usize)}</span>
                        if let Some(p) = pct { <span class="xtab-pct">{p}</span> }
                    </>
                };
                match r {
                    Some(r) => {
                        let is_open = *open == Some((r, col));
                        html! {
                            <td {style} class={classes!(is_open.then_some("open"))}>
                                <button class="xtab-cell" aria-label={label.clone()} title={label} aria-pressed={is_open.to_string()}
                                    onclick={open_cell((r, col))}>{body}</button>
                            </td>
                        }
                    }
                    None => html! { <td class="xtab-total" title={label}>{body}</td> },
                }
            };
            let head = t.columns.iter().map(|col| {
                html! { <th scope="col" class={format!("depth-{}", col.depth.min(3))}>{&col.label}</th> }
            });
            let rows = t.rows.iter().enumerate().map(|(r, row)| {
                let cells = t.cells.get(r).cloned().unwrap_or_default();
                let name = row.label.clone();
                html! {
                    <tr class={classes!(row.subtotal.then_some("subtotal"))}>
                        <th scope="row" style={format!("padding-left: {}em", 0.5 + 1.2 * row.depth as f64)}>{&row.label}</th>
                        {for cells.iter().enumerate().map(|(ci, v)| {
                            let what = format!("{name} × {}", t.columns.get(ci).map(|x| x.label.as_str()).unwrap_or(""));
                            cell(*v, Some(r), Some(ci), what, true)
                        })}
                        {cell(t.row_totals.get(r).copied().unwrap_or(0), Some(r), None, format!("{name}, total"), false)}
                    </tr>
                }
            });
            let totals = t.column_totals.iter().enumerate().map(|(ci, v)| {
                cell(
                    *v,
                    None,
                    Some(ci),
                    format!(
                        "{}, total",
                        t.columns.get(ci).map(|x| x.label.as_str()).unwrap_or("")
                    ),
                    false,
                )
            });
            let grid = if t.rows.is_empty() || t.columns.is_empty() {
                html! { <p class="empty-state">{if t.rows.is_empty() { "No codes yet: create codes and code some text to compare cases." } else { "No cases yet: make cases in the Cases view to compare them." }}</p> }
            } else {
                html! {
                    <div class="xtab-scroll">
                        <table class="xtab" aria-label="Crosstab">
                            <thead><tr><th scope="col">{"Code"}</th>{for head}<th scope="col">{"Total"}</th></tr></thead>
                            <tbody>
                                {for rows}
                                <tr class="totals"><th scope="row">{"Total"}</th>{for totals}{cell(t.total, None, None, "Total".into(), false)}</tr>
                            </tbody>
                        </table>
                    </div>
                }
            };
            let detail = (*open).and_then(|(r, col)| {
                let spec = c.spec(&project);
                let codings = cell_codings(&project, &spec, r, col)?;
                let row = t.rows.get(r)?;
                let title = format!(
                    "{} × {}",
                    row.label,
                    col.and_then(|x| t.columns.get(x))
                        .map_or("all columns", |x| x.label.as_str())
                );
                Some(segment_list(
                    &project,
                    title,
                    &codings,
                    &speaker,
                    &props.on_open,
                ))
            });
            (grid, detail)
        }
        (None, Some(co)) => {
            let max = co
                .cells
                .iter()
                .enumerate()
                .flat_map(|(a, row)| {
                    row.iter()
                        .enumerate()
                        .filter(move |(b, _)| *b != a)
                        .map(|(_, v)| *v)
                })
                .max()
                .unwrap_or(0)
                .max(1);
            let head = co
                .codes
                .iter()
                .map(|(id, _)| html! { <th scope="col">{code_name(*id)}</th> });
            let rows = co.codes.iter().zip(&co.cells).enumerate().map(|(a, ((id, depth), cells))| {
                html! {
                    <tr>
                        <th scope="row" style={format!("padding-left: {}em", 0.5 + 1.2 * *depth as f64)}>{code_name(*id)}</th>
                        {for cells.iter().enumerate().map(|(b, v)| {
                            let label = format!("{} and {}: {}", code_name(*id), co.codes.get(b).map(|(x, _)| code_name(*x)).unwrap_or_default(), v);
                            let is_open = *open == Some((a, Some(b)));
                            let style = if a == b { String::new() } else { shade(*v, max) };
                            html! {
                                <td {style} class={classes!((a == b).then_some("diagonal"), is_open.then_some("open"))}>
                                    <button class="xtab-cell" aria-label={label.clone()} title={label} aria-pressed={is_open.to_string()}
                                        onclick={open_cell((a, Some(b)))}>
                                        <span class="xtab-n">{words::thousands(*v as usize)}</span>
                                    </button>
                                </td>
                            }
                        })}
                    </tr>
                }
            });
            let grid = if co.codes.is_empty() {
                html! { <p class="empty-state">{"No codes yet."}</p> }
            } else {
                html! {
                    <div class="xtab-scroll">
                        <table class="xtab" aria-label="Code co-occurrence">
                            <thead><tr><th scope="col">{"Code"}</th>{for head}</tr></thead>
                            <tbody>{for rows}</tbody>
                        </table>
                    </div>
                }
            };
            let detail = (*open).and_then(|(a, b)| {
                let (x, _) = *co.codes.get(a)?;
                let (y, _) = *co.codes.get(b?)?;
                let met = meetings(&project, x, y, c.proximity, None);
                let title = format!("Where {} meets {}", code_name(x), code_name(y));
                let items = met.iter().take(SHOWN).filter_map(|m| {
                    let source = project.source(m.source)?;
                    passage_item(&source.name, None, &source.text, m.span, &props.on_open, source.id)
                });
                Some(html! {
                    <section class="xtab-detail" aria-label={title.clone()}>
                        <h3>{title}</h3>
                        <p role="status" class="muted">{words::count(met.len(), "passage", "passages")}
                            {if x == y { " (choose two different codes)" } else { "" }}</p>
                        <ol class="segments">{for items}</ol>
                    </section>
                })
            });
            (grid, detail)
        }
        _ => (Html::default(), None),
    };

    html! {
        <section class="xtab-view" aria-label="Crosstabs">
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
