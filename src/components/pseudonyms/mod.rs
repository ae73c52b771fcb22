//! Pseudonymisation: the project's key of real names and places and their pseudonyms (an
//! editable table, saved with `Action::SetPseudonyms`), a preview of every replacement grouped by
//! place (core's `pseudonym::plan` and `summary`) and "Apply everywhere" as one undoable step.
//! What every export checks before it writes (real names of the key left in it) is in
//! [`export`].

mod export;
mod share;

pub use export::{
    check_export, for_export, CsvExport, CsvExportButton, ExportCheck, NamesFound, SaveToFile,
    SaveToFileProps,
};
pub use share::{ShareDialog, UnlockDialog};

use crate::components::dialog::Dialog;
use crate::dom;
use framewise_core::pseudonym::{
    apply_action, counts, plan, plan_sources, summary, Group, Replacement, NOT_TOUCHED,
};
use framewise_core::words::count as plural;
use framewise_core::{Action, Project, Pseudonym, SourceId};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`PseudonymsDialog`].
#[derive(Properties, PartialEq)]
pub struct PseudonymsProps {
    /// The project.
    pub project: Rc<Project>,
    /// Applies actions to the project.
    pub dispatch: Callback<Action>,
    /// Close the dialog.
    pub on_close: Callback<()>,
}

/// One row of the key being edited.
#[derive(Clone, PartialEq, Default)]
struct Row {
    real: String,
    pseudonym: String,
}

fn rows_of(key: &[Pseudonym]) -> Vec<Row> {
    let mut rows: Vec<Row> = key
        .iter()
        .map(|k| Row {
            real: k.real.clone(),
            pseudonym: k.pseudonym.clone(),
        })
        .collect();
    if rows.is_empty() {
        rows.push(Row::default());
    }
    rows
}

fn key_of(rows: &[Row]) -> Vec<Pseudonym> {
    rows.iter()
        .filter(|r| !r.real.trim().is_empty())
        .map(|r| Pseudonym {
            real: r.real.trim().to_string(),
            pseudonym: r.pseudonym.trim().to_string(),
        })
        .collect()
}

/// The "Pseudonymise" dialog.
#[component]
pub fn PseudonymsDialog(props: &PseudonymsProps) -> Html {
    let rows = use_state(|| rows_of(&props.project.pseudonyms));
    let preview = use_state(|| None::<Rc<Vec<Replacement>>>);
    let applied = use_state(|| None::<String>);
    let project = props.project.clone();

    // Saves the key when it differs from the project's.
    let save = {
        let dispatch = props.dispatch.clone();
        let project = project.clone();
        move |rows: &[Row]| {
            let key = key_of(rows);
            if key != project.pseudonyms {
                dispatch.emit(Action::SetPseudonyms { key });
            }
        }
    };
    let edit_cell = |index: usize, real: bool| {
        let rows = rows.clone();
        let preview = preview.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*rows).clone();
            if let Some(row) = next.get_mut(index) {
                if real {
                    row.real = input.value();
                } else {
                    row.pseudonym = input.value();
                }
            }
            rows.set(next);
            preview.set(None);
        })
    };
    let commit = {
        let rows = rows.clone();
        let save = save.clone();
        Callback::from(move |_: Event| save(&rows))
    };
    let body_rows = rows.iter().enumerate().map(|(i, row)| {
        let n = i + 1;
        let remove = {
            let rows = rows.clone();
            let preview = preview.clone();
            let save = save.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*rows).clone();
                if i < next.len() {
                    next.remove(i);
                }
                save(&next);
                if next.is_empty() {
                    next.push(Row::default());
                }
                rows.set(next);
                preview.set(None);
            })
        };
        html! {
            <tr key={i}>
                <td><input type="text" value={row.real.clone()} aria-label={format!("Real name {n}")}
                    placeholder="e.g. Dr Amira Khan" oninput={edit_cell(i, true)} onchange={commit.clone()} /></td>
                <td><input type="text" value={row.pseudonym.clone()} aria-label={format!("Pseudonym {n}")}
                    placeholder="e.g. GP2" oninput={edit_cell(i, false)} onchange={commit.clone()} /></td>
                <td><button class="small" onclick={remove} aria-label={format!("Remove row {n}")}>{"Remove"}</button></td>
            </tr>
        }
    });
    let add_row = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.push(Row::default());
            let n = next.len();
            rows.set(next);
            // Focus the new row's first field once rendered.
            yew::platform::spawn_local(async move {
                gloo::timers::future::TimeoutFuture::new(0).await;
                if let Some(el) = dom::document()
                    .and_then(|d| {
                        d.query_selector(&format!("[aria-label=\"Real name {n}\"]"))
                            .ok()
                            .flatten()
                    })
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(e).ok())
                {
                    let _ = el.focus();
                }
            });
        })
    };
    let show_preview = {
        let rows = rows.clone();
        let preview = preview.clone();
        let applied = applied.clone();
        let project = project.clone();
        let save = save.clone();
        Callback::from(move |_: MouseEvent| {
            save(&rows);
            applied.set(None);
            preview.set(Some(Rc::new(plan(&project, &key_of(&rows)))));
        })
    };
    let apply_all = {
        let rows = rows.clone();
        let preview = preview.clone();
        let applied = applied.clone();
        let project = project.clone();
        let dispatch = props.dispatch.clone();
        let save = save.clone();
        Callback::from(move |_: MouseEvent| {
            save(&rows);
            // Planned again on the current project, so the offsets are exact.
            let fresh = plan(&project, &key_of(&rows));
            if fresh.is_empty() {
                applied.set(Some(
                    "Nothing to replace: the project does not mention these names.".into(),
                ));
            } else {
                dispatch.emit(apply_action(&fresh));
                applied.set(Some(applied_message(&project, &fresh)));
            }
            preview.set(None);
        })
    };

    let key = key_of(&rows);
    let preview_html = (*preview)
        .clone()
        .map(|plan| preview_section(&project, &key, &plan));
    let can_apply = !key.is_empty();
    let close = {
        let on_close = props.on_close.clone();
        let rows = rows.clone();
        let save = save.clone();
        Callback::from(move |_| {
            save(&rows);
            on_close.emit(());
        })
    };
    let close_button = close.clone();
    html! {
        <Dialog title="Pseudonymise" on_close={close} class="pseudonyms-dialog">
            <p>{"List real names and places and the pseudonym to write instead. They are replaced everywhere a name can be: source text, speaker names, source and file names, case and code names, memos, summaries, attribute values, sets and themes. Matching is whole-word and ignores case (“dr amira KHAN” is found for “Dr Amira Khan”, “Khanfield” is not); the pseudonym is written exactly as given; the longest entry wins where entries overlap. Codings stay on the same words."}</p>
            <table class="pseudo-key">
                <caption class="visually-hidden">{"Pseudonymisation key"}</caption>
                <thead><tr><th scope="col">{"Real name or place"}</th><th scope="col">{"Pseudonym"}</th><th scope="col"><span class="visually-hidden">{"Actions"}</span></th></tr></thead>
                <tbody>{for body_rows}</tbody>
            </table>
            <div class="dialog-actions pseudo-actions">
                <button onclick={add_row}>{"Add row"}</button>
                <button onclick={show_preview} disabled={!can_apply}>{"Preview"}</button>
                <button class="primary" onclick={apply_all} disabled={!can_apply}>{"Apply everywhere"}</button>
            </div>
            <p class="hint">{"Applying is one step: Undo (Ctrl+Z) puts every name back. The key is kept in the project (for sources you add later) and is left out of exports unless you include it."}</p>
            if let Some(message) = (*applied).clone() {
                <p class="pseudo-applied" role="status">{message}</p>
            }
            {preview_html.unwrap_or_default()}
            <div class="dialog-actions">
                <button onclick={move |_| close_button.emit(())}>{"Close"}</button>
            </div>
        </Dialog>
    }
}

/// Most items listed per group in the preview (the counts are always complete).
const SHOWN_PER_GROUP: usize = 200;

/// "Replaced 31 mentions in 4 places: Speakers: 2 in 1 source (30 turns); Memos: 1. Undo…"
pub fn applied_message(project: &Project, plan: &[Replacement]) -> String {
    let groups: Vec<String> = summary(project, plan).into_iter().map(|g| g.line).collect();
    format!(
        "Replaced {} ({}). Undo (Ctrl+Z) puts every name back.",
        plural(plan.len(), "mention", "mentions"),
        groups.join("; ")
    )
}

/// The preview of a plan: counts per key entry, then the replacements grouped by place with
/// their context, then what pseudonymisation leaves alone and why.
pub fn preview_section(project: &Project, key: &[Pseudonym], plan: &[Replacement]) -> Html {
    let per_entry = counts(plan, key.len());
    let summary_items = key.iter().zip(per_entry.iter()).map(|(k, n)| {
        html! {
            <li>{format!("{} → {}: {}", k.real, k.pseudonym, plural(*n, "mention", "mentions"))}</li>
        }
    });
    let groups = summary(project, plan);
    let group_lines = groups.iter().map(|g| html! { <li>{&g.line}</li> });
    let group_lists = groups.iter().map(|g| {
        let items: Vec<&Replacement> = plan.iter().filter(|r| r.place.group() == g.group).collect();
        let more = items.len().saturating_sub(SHOWN_PER_GROUP);
        let rows = items.iter().take(SHOWN_PER_GROUP).map(|r| {
            let place = if g.group == Group::SourceText {
                r.source()
                    .and_then(|s| project.source(s))
                    .map(|s| s.name.clone())
                    .unwrap_or_default()
            } else {
                r.place.describe(project)
            };
            html! {
                <li>
                    <span class="pseudo-source">{place}</span>
                    <span class="pseudo-context">
                        {"…"}{&r.context_before}<mark>{&r.found}</mark>{&r.context_after}{"…"}
                    </span>
                    <span class="pseudo-with">{format!("→ {}", r.with)}</span>
                </li>
            }
        });
        html! {
            <>
                <h4>{&g.line}</h4>
                <ol class="pseudo-list" aria-label={g.group.label()} tabindex="0">
                    {for rows}
                    if more > 0 {
                        <li class="hint">{format!("… and {more} more")}</li>
                    }
                </ol>
            </>
        }
    });
    let not_touched = NOT_TOUCHED.iter().map(|(what, why)| {
        html! { <li><strong>{*what}</strong>{": "}{*why}</li> }
    });
    html! {
        <section class="pseudo-preview" aria-label="Preview of replacements">
            <h3>{format!("Preview: {}", plural(plan.len(), "replacement", "replacements"))}</h3>
            <ul class="pseudo-counts" aria-label="Mentions per entry">{for summary_items}</ul>
            if plan.is_empty() {
                <p class="hint">{"The project does not mention these names anywhere (matching is whole-word and ignores case)."}</p>
            } else {
                <ul class="pseudo-counts" aria-label="Places">{for group_lines}</ul>
                {for group_lists}
            }
            <details class="pseudo-untouched">
                <summary>{"Not touched, and why"}</summary>
                <ul aria-label="Not touched">{for not_touched}</ul>
            </details>
        </section>
    }
}

/// Props of [`KeyOffer`].
#[derive(Properties, PartialEq)]
pub struct KeyOfferProps {
    /// The project (with the new sources in it).
    pub project: Rc<Project>,
    /// The sources just imported.
    pub sources: Rc<Vec<SourceId>>,
    /// Applies actions to the project.
    pub dispatch: Callback<Action>,
    /// Close the offer (applied or not).
    pub on_close: Callback<()>,
}

/// "Pseudonymise the new sources?": a source imported after the key exists is offered the key
/// (preview, then apply as one step), so a late transcript does not slip through. Renders
/// nothing when the new sources mention no name of the key.
#[component]
pub fn KeyOffer(props: &KeyOfferProps) -> Html {
    let project = props.project.clone();
    let key = project.pseudonyms.clone();
    let offered = plan_sources(&project, &key, &props.sources);
    {
        // Nothing to offer: the offer goes away by itself.
        let on_close = props.on_close.clone();
        let empty = offered.is_empty();
        use_effect_with(empty, move |empty| {
            if *empty {
                on_close.emit(());
            }
        });
    }
    if offered.is_empty() {
        return Html::default();
    }
    let apply = {
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let project = project.clone();
        let sources = props.sources.clone();
        Callback::from(move |_: MouseEvent| {
            // Planned again on the current project, so the offsets are exact.
            let fresh = plan_sources(&project, &project.pseudonyms, &sources);
            if !fresh.is_empty() {
                dispatch.emit(apply_action(&fresh));
            }
            on_close.emit(());
        })
    };
    let close = props.on_close.clone();
    let later = props.on_close.clone();
    let n = props.sources.len();
    html! {
        <Dialog title="Pseudonymise the new sources?" on_close={close} class="pseudonyms-dialog">
            <p>{format!(
                "The pseudonymisation key names people or places in {} you just imported. Replace them now, as in the rest of the project?",
                if n == 1 { "the source".to_string() } else { format!("the {n} sources") }
            )}</p>
            {preview_section(&project, &key, &offered)}
            <div class="dialog-actions">
                <button onclick={move |_| later.emit(())}>{"Not now"}</button>
                <button class="primary" onclick={apply}>{"Pseudonymise new sources"}</button>
            </div>
        </Dialog>
    }
}
