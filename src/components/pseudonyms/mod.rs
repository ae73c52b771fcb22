//! Pseudonymisation: the project's key of real names and places and their pseudonyms (an
//! editable table, saved with `Action::SetPseudonyms`), a preview of every replacement grouped by
//! place and "Apply everywhere" as one undoable step. The worker plans (core's `pseudonym::plan`)
//! and answers with the preview written out and the plan as its action
//! (`worker_client::pseudonymise`, core's `pseudonym::shown`): the page holds no matcher. What
//! every export checks before it writes (real names of the key left in it) is in [`export`].

mod export;
mod share;

pub use export::{
    check_export, for_export, CsvExport, CsvExportButton, ExportCheck, NamesFound, SaveToFile,
    SaveToFileProps, Written,
};
pub use share::{ShareDialog, UnlockDialog};

use crate::components::dialog::Dialog;
use crate::dom;
use crate::worker_client;
use framewise_core::pseudonym::shown::{action, PseudonymShown as PlanShown};
use framewise_core::words::count as plural;
use framewise_core::{Action, Project, Pseudonym, SourceId};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
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
    let preview = use_state(|| None::<AttrValue>);
    let applied = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
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
    // Plans the key in the worker (on the project as it is now, so the offsets are exact) and
    // hands the plan to `then`; a failure is said in the dialog.
    let planned = {
        let project = project.clone();
        let (error, busy) = (error.clone(), busy.clone());
        move |key: Vec<Pseudonym>, then: Box<dyn FnOnce(PlanShown)>| {
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let (project, error, busy) = (project.clone(), error.clone(), busy.clone());
            spawn_local(async move {
                match worker_client::pseudonymise(&project, &key, None).await {
                    Ok(plan) => then(plan),
                    Err(e) => error.set(Some(format!("Could not plan the replacements: {e}"))),
                }
                busy.set(false);
            });
        }
    };
    let show_preview = {
        let rows = rows.clone();
        let preview = preview.clone();
        let applied = applied.clone();
        let save = save.clone();
        let planned = planned.clone();
        Callback::from(move |_: MouseEvent| {
            save(&rows);
            applied.set(None);
            let preview = preview.clone();
            planned(
                key_of(&rows),
                Box::new(move |plan| preview.set(Some(plan.markup.into()))),
            );
        })
    };
    let apply_all = {
        let rows = rows.clone();
        let preview = preview.clone();
        let applied = applied.clone();
        let error = error.clone();
        let dispatch = props.dispatch.clone();
        let save = save.clone();
        Callback::from(move |_: MouseEvent| {
            save(&rows);
            let (preview, applied, error, dispatch) = (
                preview.clone(),
                applied.clone(),
                error.clone(),
                dispatch.clone(),
            );
            planned(
                key_of(&rows),
                Box::new(move |plan| {
                    if plan.count == 0 {
                        applied.set(Some(
                            "Nothing to replace: the project does not mention these names.".into(),
                        ));
                    } else if let Some(action) = action(&plan.edits) {
                        dispatch.emit(action);
                        applied.set(Some(plan.applied));
                    } else {
                        error.set(Some(worker_client::UNUSABLE.into()));
                    }
                    preview.set(None);
                }),
            );
        })
    };

    let key = key_of(&rows);
    let preview_html = (*preview).clone().map(Html::from_html_unchecked);
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
                <button onclick={show_preview} disabled={!can_apply || *busy}>{"Preview"}</button>
                <button class="primary" onclick={apply_all} disabled={!can_apply || *busy}>{"Apply everywhere"}</button>
            </div>
            <p class="hint">{"Applying is one step: Undo (Ctrl+Z) puts every name back. The key is kept in the project (for sources you add later) and is left out of exports unless you include it."}</p>
            if let Some(message) = (*applied).clone() {
                <p class="pseudo-applied" role="status">{message}</p>
            }
            if let Some(e) = &*error { <p class="error" role="alert">{e}</p> }
            {preview_html.unwrap_or_default()}
            <div class="dialog-actions">
                <button onclick={move |_| close_button.emit(())}>{"Close"}</button>
            </div>
        </Dialog>
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
    // The plan of the new sources, from the worker (`None` while it plans).
    let offered = use_state(|| None::<Result<Rc<PlanShown>, String>>);
    let busy = use_state(|| false);
    {
        let offered = offered.clone();
        let project = project.clone();
        let sources = props.sources.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let plan =
                    worker_client::pseudonymise(&project, &project.pseudonyms, Some(&sources))
                        .await;
                offered.set(Some(plan.map(Rc::new)));
            });
        });
    }
    {
        // Nothing to offer: the offer goes away by itself.
        let on_close = props.on_close.clone();
        let empty = matches!(&*offered, Some(Ok(plan)) if plan.count == 0);
        use_effect_with(empty, move |empty| {
            if *empty {
                on_close.emit(());
            }
        });
    }
    let shown = match &*offered {
        None => return Html::default(),
        Some(Ok(plan)) if plan.count == 0 => return Html::default(),
        Some(Ok(plan)) => Html::from_html_unchecked(AttrValue::from(plan.markup.clone())),
        Some(Err(e)) => html! {
            <p class="error" role="alert">{format!("The new sources could not be checked for names of the key: {e}")}</p>
        },
    };
    let apply = {
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let sources = props.sources.clone();
        let busy = busy.clone();
        let offered = offered.clone();
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            let (dispatch, on_close, project, sources, busy, offered) = (
                dispatch.clone(),
                on_close.clone(),
                project.clone(),
                sources.clone(),
                busy.clone(),
                offered.clone(),
            );
            // Planned again on the current project, so the offsets are exact.
            spawn_local(async move {
                let plan =
                    worker_client::pseudonymise(&project, &project.pseudonyms, Some(&sources))
                        .await;
                match plan {
                    Ok(plan) => {
                        if let Some(action) = action(&plan.edits).filter(|_| plan.count > 0) {
                            dispatch.emit(action);
                        }
                        on_close.emit(());
                    }
                    Err(e) => {
                        busy.set(false);
                        offered.set(Some(Err(e)));
                    }
                }
            });
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
            {shown}
            <div class="dialog-actions">
                <button onclick={move |_| later.emit(())}>{"Not now"}</button>
                <button class="primary" onclick={apply} disabled={*busy}>{"Pseudonymise new sources"}</button>
            </div>
        </Dialog>
    }
}
