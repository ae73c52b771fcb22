//! The workbench's "Export" menu: REFI-QDA project (.qdpx, with or without the pseudonymisation
//! key) and codebook (.qdc), each checked for real names of the key before it is downloaded,
//! "Merge codebook from .qdc/.qdpx…" and "Merge a project into this one…", each with its preview
//! dialog (the preview written out in the worker, the plan applied here as one undo step).

use super::worker::{export_file, file_name_for, plan_merge, plan_project_merge};
use super::{chosen_file, failure_dialog, first_file, problem_dialog, Failure};
use crate::components::dialog::Dialog;
use crate::components::pseudonyms::{check_export, ExportCheck, NamesFound, Written};
use crate::dom;
use framewise_core::merge::MergePlan;
use framewise_core::protocol::RefiFormat;
use framewise_core::refi::CodebookMerge;
use framewise_core::{Action, Project};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`RefiMenu`].
#[derive(Properties, PartialEq)]
pub struct RefiMenuProps {
    /// The open project.
    pub project: Rc<Project>,
    /// Applies an action (one undo step).
    pub dispatch: Callback<Action>,
}

/// Another project's merge plan, from the file `file`, and its preview (markup from the
/// worker).
#[derive(Clone, PartialEq)]
struct ProjectPreview {
    file: String,
    plan: Rc<MergePlan>,
    shown: AttrValue,
}

/// A codebook's merge plan, from the file `file`, and its preview (markup from the worker).
#[derive(Clone, PartialEq)]
struct MergePreview {
    file: String,
    plan: Rc<CodebookMerge>,
    shown: AttrValue,
}

/// The workbench's "Export" menu: REFI-QDA project (.qdpx) with or without the
/// pseudonymisation key, REFI-QDA codebook (.qdc), and "Merge codebook from .qdc/.qdpx…" with
/// a preview before anything changes.
#[component]
pub fn RefiMenu(props: &RefiMenuProps) -> Html {
    let open = use_state(|| false);
    let include_key = use_state(|| false);
    let busy = use_state(|| None::<String>);
    let failure = use_state(|| None::<Failure>);
    let preview = use_state(|| None::<MergePreview>);
    let project_preview = use_state(|| None::<ProjectPreview>);
    // A project that could not be merged: the worker's sentence names the file.
    let merge_failure = use_state(|| None::<Failure>);
    let names = use_state(|| None::<(RefiFormat, String, Rc<NamesFound>)>);

    // Writes the file in the worker and downloads it; with `check`, first looks for real names of
    // the key in what is written (the whole project for .qdpx, the codebook's bytes for .qdc)
    // and asks (`names`) instead of downloading when some are found.
    let run_export = {
        let busy = busy.clone();
        let failure = failure.clone();
        let names = names.clone();
        Rc::new(
            move |project: Rc<Project>, format: RefiFormat, include_key: bool, check: bool| {
                let busy = busy.clone();
                let failure = failure.clone();
                let names = names.clone();
                let name = file_name_for(&project, format);
                let key = project.pseudonyms.clone();
                busy.set(Some(format!("Writing {name}…")));
                spawn_local(async move {
                    if check && format == RefiFormat::Qdpx {
                        let without_key =
                            crate::components::pseudonyms::for_export(&project, false);
                        match check_export(&key, Written::Project(&without_key)).await {
                            Ok(Some(found)) => {
                                busy.set(None);
                                names.set(Some((format, name, Rc::new(found))));
                                return;
                            }
                            Ok(None) => {}
                            Err(reason) => {
                                busy.set(None);
                                failure.set(Some(Failure { file: name, reason }));
                                return;
                            }
                        }
                    }
                    let result = export_file(&project, format, include_key).await;
                    let result = match result {
                        Ok((bytes, _)) if check && format == RefiFormat::Qdc => {
                            match check_export(&key, Written::Bytes(&bytes)).await {
                                Ok(Some(found)) => {
                                    names.set(Some((format, name.clone(), Rc::new(found))));
                                    Ok(())
                                }
                                Ok(None) => dom::download_bytes(&name, "application/xml", &bytes),
                                Err(e) => Err(e),
                            }
                        }
                        Ok((bytes, mime)) => dom::download_bytes(&name, &mime, &bytes),
                        Err(e) => Err(e),
                    };
                    busy.set(None);
                    if let Err(reason) = result {
                        failure.set(Some(Failure { file: name, reason }));
                    }
                });
            },
        )
    };
    let export = |format: RefiFormat| {
        let project = props.project.clone();
        let include_key = include_key.clone();
        let open = open.clone();
        let run_export = run_export.clone();
        Callback::from(move |_: MouseEvent| {
            open.set(false);
            run_export(
                project.clone(),
                format,
                *include_key && format == RefiFormat::Qdpx,
                true,
            );
        })
    };
    let names_dialog = (*names).clone().map(|(format, file, found)| {
        let on_cancel = {
            let names = names.clone();
            Callback::from(move |_| names.set(None))
        };
        let on_export = {
            let names = names.clone();
            let include_key = include_key.clone();
            let run_export = run_export.clone();
            Callback::from(move |p: Rc<Project>| {
                names.set(None);
                run_export(p, format, *include_key && format == RefiFormat::Qdpx, false);
            })
        };
        html! {
            <ExportCheck project={props.project.clone()} {file} {found}
                dispatch={props.dispatch.clone()} {on_export} {on_cancel} />
        }
    });
    let on_key = {
        let include_key = include_key.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            include_key.set(input.checked());
        })
    };
    let on_merge_file = {
        let project = props.project.clone();
        let busy = busy.clone();
        let failure = failure.clone();
        let preview = preview.clone();
        let open = open.clone();
        Callback::from(move |e: Event| {
            let Some(file) = first_file(&e) else { return };
            let project = project.clone();
            let busy = busy.clone();
            let failure = failure.clone();
            let preview = preview.clone();
            open.set(false);
            busy.set(Some(format!("Reading {}…", file.name())));
            spawn_local(async move {
                let result = match chosen_file(file).await {
                    Ok((name, bytes)) => plan_merge(&project, &name, &bytes)
                        .await
                        .map(|(plan, shown)| MergePreview {
                            file: name.clone(),
                            plan: Rc::new(plan),
                            shown: AttrValue::from(shown),
                        })
                        .map_err(|reason| Failure { file: name, reason }),
                    Err(f) => Err(f),
                };
                busy.set(None);
                match result {
                    Ok(p) => preview.set(Some(p)),
                    Err(f) => failure.set(Some(f)),
                }
            });
        })
    };
    let on_project_file = {
        let project = props.project.clone();
        let busy = busy.clone();
        let failure = failure.clone();
        let merge_failure = merge_failure.clone();
        let project_preview = project_preview.clone();
        let open = open.clone();
        Callback::from(move |e: Event| {
            let Some(file) = first_file(&e) else { return };
            let project = project.clone();
            let busy = busy.clone();
            let failure = failure.clone();
            let merge_failure = merge_failure.clone();
            let project_preview = project_preview.clone();
            open.set(false);
            busy.set(Some(format!("Reading {}…", file.name())));
            spawn_local(async move {
                let read = chosen_file(file).await;
                let planned = match read {
                    Ok((name, bytes)) => Ok(plan_project_merge(&project, &name, &bytes)
                        .await
                        .map(|(plan, shown)| ProjectPreview {
                            file: name.clone(),
                            plan: Rc::new(plan),
                            shown: AttrValue::from(shown),
                        })
                        .map_err(|reason| Failure { file: name, reason })),
                    Err(f) => Err(f),
                };
                busy.set(None);
                match planned {
                    Ok(Ok(p)) => project_preview.set(Some(p)),
                    Ok(Err(f)) => merge_failure.set(Some(f)),
                    Err(f) => failure.set(Some(f)),
                }
            });
        })
    };
    let has_key = !props.project.pseudonyms.is_empty();

    let menu = (*open).then(|| {
        html! {
            <div class="refi-menu" role="group" aria-label="Export">
                <button type="button" onclick={export(RefiFormat::Qdpx)}>{"REFI-QDA project (.qdpx)"}</button>
                <label class="refi-key">
                    <input type="checkbox" checked={*include_key} onchange={on_key} />
                    {" Include the pseudonymisation key"}
                </label>
                <p class="muted refi-key-note">
                    {if has_key {
                        "Off: real names stay in this browser; the .qdpx carries only the pseudonymised text."
                    } else {
                        "This project has no pseudonymisation key."
                    }}
                </p>
                <button type="button" onclick={export(RefiFormat::Qdc)}>{"REFI-QDA codebook (.qdc)"}</button>
                <hr />
                <label class="button file-button">
                    {"Merge codebook from .qdc/.qdpx…"}
                    <input type="file" accept=".qdc,.qdpx" onchange={on_merge_file} class="visually-hidden"
                        aria-label="Merge codebook from .qdc/.qdpx" />
                </label>
                <label class="button file-button">
                    {"Merge a project into this one…"}
                    <input type="file" accept=".json,.qdpx" onchange={on_project_file} class="visually-hidden"
                        aria-label="Merge a project into this one (project file or .qdpx)" />
                </label>
            </div>
        }
    });

    let merge_dialog = (*preview).clone().map(|p| {
        let preview = preview.clone();
        let plan = p.plan.clone();
        plan_dialog(
            format!("Merge codebook from {}", p.file),
            Html::from_html_unchecked(p.shown),
            ("Apply", p.plan.is_empty()),
            Callback::from(move |_| preview.set(None)),
            props.dispatch.reform(move |_| plan.action()),
        )
    });
    let project_dialog = (*project_preview).clone().map(|p| {
        let project_preview = project_preview.clone();
        let plan = p.plan.clone();
        plan_dialog(
            format!("Merge {} into this project", p.file),
            Html::from_html_unchecked(p.shown),
            ("Merge", p.plan.is_empty()),
            Callback::from(move |_| project_preview.set(None)),
            props.dispatch.reform(move |_| plan.action()),
        )
    });
    let merge_failure_view = (*merge_failure).clone().map(|f| {
        let merge_failure = merge_failure.clone();
        let close = Callback::from(move |_| merge_failure.set(None));
        problem_dialog(format!("Could not merge {}", f.file), f.reason, close)
    });
    let failure_view = (*failure).clone().map(|f| {
        let failure = failure.clone();
        failure_dialog(&f, Callback::from(move |_| failure.set(None)))
    });

    // Escape closes the open menu (and not, say, a dialog behind it).
    let on_keydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *open {
                e.stop_propagation();
                open.set(false);
            }
        })
    };
    html! {
        <div class="refi-export" onkeydown={on_keydown}>
            <button type="button" aria-expanded={open.to_string()} aria-haspopup="true"
                onclick={let open = open.clone(); move |_| open.set(!*open)}>{"Export ▾"}</button>
            {menu.unwrap_or_default()}
            if let Some(what) = &*busy {
                <span class="refi-busy" role="status">{what}</span>
            }
            {merge_dialog.unwrap_or_default()}
            {project_dialog.unwrap_or_default()}
            {merge_failure_view.unwrap_or_default()}
            {names_dialog.unwrap_or_default()}
            {failure_view.unwrap_or_default()}
        </div>
    }
}

/// A merge preview: `body`, "Cancel" and the `confirm` button (`(label, disabled)`), which
/// closes the dialog and then applies the plan (`apply`).
fn plan_dialog(
    title: String,
    body: Html,
    confirm: (&'static str, bool),
    close: Callback<()>,
    apply: Callback<()>,
) -> Html {
    let cancel = close.clone();
    let onclick = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| {
            close.emit(());
            apply.emit(());
        })
    };
    html! {
        <Dialog {title} on_close={close} class="refi-dialog">
            {body}
            <div class="dialog-actions">
                <button type="button" onclick={move |_| cancel.emit(())}>{"Cancel"}</button>
                <button type="button" class="primary" {onclick} disabled={confirm.1}>{confirm.0}</button>
            </div>
        </Dialog>
    }
}
