//! REFI-QDA exchange in the app: import a `.qdpx`/`.qdc` as a new project (home screen), export
//! the open project as `.qdpx` or its codebook as `.qdc`, and merge a codebook from a
//! `.qdc`/`.qdpx` with a preview (workbench).
//!
//! The REFI code itself (zip, XML, position counting, merge planning) lives in core's `refi`
//! feature and runs only in the file-reader Web Worker (`worker/`, [`crate::worker_client`]):
//! the main wasm stays within its size budget, and a reader crash is one file's error. The
//! requests and replies are core's typed `protocol`: the import report is core's `RefiReport`,
//! the merge plan core's `CodebookMerge` (applied with `CodebookMerge::action`).

use crate::components::dialog::Dialog;
use crate::components::pseudonyms::{check_export, ExportCheck, NamesFound};
use crate::dom;
use crate::state::now;
use crate::worker_client;
use framewise_core::persist;
use framewise_core::protocol::{ProjectFile, RefiFormat, Reply, Request};
use framewise_core::refi::{CodebookMerge, MatchedBy, RefiReport};
use framewise_core::{Action, CodeId, Project};
use js_sys::Uint8Array;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Reads a `.qdpx`/`.qdc` in the worker into a project and what the import found.
pub async fn import_file(file_name: &str, bytes: &[u8]) -> Result<(Project, RefiReport), String> {
    let request = Request::RefiImport {
        file_name: file_name.to_string(),
        now: now(),
    };
    match worker_client::request(request, Some(Uint8Array::from(bytes)))
        .await?
        .0
    {
        Reply::RefiImported { project, report } => Ok((project.load()?, report)),
        _ => Err(worker_client::UNUSABLE.into()),
    }
}

/// Writes the project as a REFI-QDA file in the worker (a `.qdpx` with the pseudonymisation
/// key only when `include_key`): the file's bytes and media type.
pub async fn export_file(
    project: &Project,
    format: RefiFormat,
    include_key: bool,
) -> Result<(Vec<u8>, String), String> {
    // The key does not even reach the worker unless asked for (the same rule as the project
    // file download, `pseudonyms::for_export`).
    let project = crate::components::pseudonyms::for_export(project, include_key);
    let request = Request::RefiExport {
        project: ProjectFile::of(&project, now()),
        format,
        include_pseudonym_key: include_key,
    };
    worker_client::exported_bytes(worker_client::request(request, None).await?)
}

/// Plans, in the worker, merging the codebook of a `.qdc`/`.qdpx` into `project`.
pub async fn plan_merge(
    project: &Project,
    file_name: &str,
    bytes: &[u8],
) -> Result<CodebookMerge, String> {
    // Only the codebook matters here: the key stays in the page.
    let project = crate::components::pseudonyms::for_export(project, false);
    let request = Request::RefiMergePlan {
        project: ProjectFile::of(&project, now()),
        file_name: file_name.to_string(),
        now: now(),
    };
    match worker_client::request(request, Some(Uint8Array::from(bytes)))
        .await?
        .0
    {
        Reply::MergePlan(plan) => Ok(plan),
        _ => Err(worker_client::UNUSABLE.into()),
    }
}

/// The REFI file name for a project: its project file name with `.qdpx`/`.qdc`.
fn file_name_for(project: &Project, format: RefiFormat) -> String {
    let extension = format.extension();
    let name = persist::project_file_name(project);
    let stem = name.strip_suffix(".framewise.json").unwrap_or(&name);
    format!("{stem}.{extension}")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    framewise_core::words::count(n, one, many)
}

/// A file that could not be read: its name and why.
#[derive(Clone, PartialEq)]
struct Failure {
    file: String,
    reason: String,
}

fn failure_dialog(failure: &Failure, close: Callback<()>) -> Html {
    let title = format!("Could not read {}", failure.file);
    html! {
        <Dialog title={title} on_close={close.clone()} class="refi-dialog">
            <p role="alert" class="refi-error">
                {format!("{} could not be read: {}", failure.file, sentence(&failure.reason))}
            </p>
            <p class="muted">{"Nothing was changed."}</p>
            <div class="dialog-actions">
                <button type="button" class="primary" onclick={move |_| close.emit(())}>{"OK"}</button>
            </div>
        </Dialog>
    }
}

/// `reason` starting in lower case (it follows "could not be read:") and ending with a stop.
fn sentence(reason: &str) -> String {
    let reason = reason.trim();
    let mut chars = reason.chars();
    let mut out: String = match chars.next() {
        // "This is not…" reads better lower-cased after the colon; keep acronyms (REFI, XML).
        Some(c) if chars.clone().next().is_some_and(char::is_lowercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        Some(c) => std::iter::once(c).chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The file chosen in a file input's change event (the input is cleared so the same file can
/// be chosen again), with its bytes.
async fn chosen_file(file: web_sys::File) -> Result<(String, Vec<u8>), Failure> {
    let name = file.name();
    dom::read_file_bytes(&file)
        .await
        .map(|bytes| (name.clone(), bytes))
        .map_err(|reason| Failure { file: name, reason })
}

fn first_file(e: &Event) -> Option<web_sys::File> {
    let input: HtmlInputElement = e.target_unchecked_into();
    let file = dom::files_of(input.files()).into_iter().next();
    input.set_value("");
    file
}

/// Props of [`RefiImportButton`].
#[derive(Properties, PartialEq)]
pub struct RefiImportButtonProps {
    /// Opens the imported project as a new project.
    pub on_open: Callback<Project>,
}

#[derive(Clone, PartialEq)]
struct Imported {
    file: String,
    project: Rc<Project>,
    summary: RefiReport,
}

/// The home screen's "Import REFI-QDA project (.qdpx)…": reads the file in the worker, shows
/// what was found, and opens it as a new project on request.
#[component]
pub fn RefiImportButton(props: &RefiImportButtonProps) -> Html {
    let busy = use_state(|| None::<String>);
    let imported = use_state(|| None::<Imported>);
    let failure = use_state(|| None::<Failure>);

    let on_change = {
        let busy = busy.clone();
        let imported = imported.clone();
        let failure = failure.clone();
        Callback::from(move |e: Event| {
            let Some(file) = first_file(&e) else { return };
            let busy = busy.clone();
            let imported = imported.clone();
            let failure = failure.clone();
            busy.set(Some(file.name()));
            spawn_local(async move {
                let result = match chosen_file(file).await {
                    Ok((name, bytes)) => import_file(&name, &bytes)
                        .await
                        .map(|(project, summary)| Imported {
                            file: name.clone(),
                            project: Rc::new(project),
                            summary,
                        })
                        .map_err(|reason| Failure { file: name, reason }),
                    Err(f) => Err(f),
                };
                busy.set(None);
                match result {
                    Ok(i) => imported.set(Some(i)),
                    Err(f) => failure.set(Some(f)),
                }
            });
        })
    };

    let summary_dialog = (*imported).clone().map(|i| {
        let close = {
            let imported = imported.clone();
            Callback::from(move |_| imported.set(None))
        };
        let open = {
            let imported = imported.clone();
            let on_open = props.on_open.clone();
            let project = i.project.clone();
            Callback::from(move |_| {
                imported.set(None);
                on_open.emit(project.as_ref().clone());
            })
        };
        html! {
            <Dialog title={format!("Import {}", i.file)} on_close={close.clone()} class="refi-dialog">
                <p>{format!("“{}”", i.project.name)}
                    if let Some(origin) = &i.summary.origin {
                        <span class="muted">{format!(" — written by {origin}")}</span>
                    }
                </p>
                {summary_table(&i.summary)}
                {summary_notes(&i.summary)}
                <div class="dialog-actions">
                    <button type="button" onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button type="button" class="primary" onclick={open}>{"Open as new project"}</button>
                </div>
            </Dialog>
        }
    });
    let failure_view = (*failure).clone().map(|f| {
        let failure = failure.clone();
        failure_dialog(&f, Callback::from(move |_| failure.set(None)))
    });

    html! {
        <>
            <label class={classes!("button", "file-button", busy.is_some().then_some("busy"))}>
                {"Import REFI-QDA project (.qdpx)…"}
                <input type="file" accept=".qdpx,.qdc" onchange={on_change} class="visually-hidden"
                    aria-label="Import REFI-QDA project (.qdpx)" disabled={busy.is_some()} />
            </label>
            if let Some(file) = &*busy {
                <span class="refi-busy" role="status">{format!("Reading {file}…")}</span>
            }
            {summary_dialog.unwrap_or_default()}
            {failure_view.unwrap_or_default()}
        </>
    }
}

fn summary_table(s: &RefiReport) -> Html {
    let skipped: usize = s.skipped_sources.values().sum();
    let rows = [
        ("Sources", s.sources),
        ("Codes", s.codes),
        ("Codings", s.codings),
        ("Cases", s.cases),
        ("Sets", s.sets),
        ("Selections that could not be placed", s.unplaced.len()),
        ("Sources skipped", skipped),
    ];
    html! {
        <table class="refi-summary" aria-label="Import summary">
            <tbody>
                {for rows.iter().map(|(label, n)| html! {
                    <tr><th scope="row">{*label}</th><td>{*n}</td></tr>
                })}
            </tbody>
        </table>
    }
}

fn summary_notes(s: &RefiReport) -> Html {
    let skipped = (!s.skipped_sources.is_empty()).then(|| {
        html! {
            <section aria-label="Sources skipped">
                <h3>{"Sources skipped"}</h3>
                <ul>
                    {for s.skipped_sources.iter().map(|(kind, n)| html! {
                        <li>{format!("{}: {n}", capitalised(kind))}</li>
                    })}
                </ul>
                <p class="muted">{"Framewise works with text; these sources are not in the new project."}</p>
            </section>
        }
    });
    let unplaced = (!s.unplaced.is_empty()).then(|| {
        html! {
            <details>
                <summary>{format!("{} could not be placed on their text", plural(s.unplaced.len(), "selection", "selections"))}</summary>
                <ul>{for s.unplaced.iter().map(|u| html! { <li>{u}</li> })}</ul>
            </details>
        }
    });
    let mut notes: Vec<String> = Vec::new();
    if s.sidecar {
        notes.push("Framewise's own details were found and restored (matrices, speaker turns, case tree, code origins).".into());
    }
    if s.pseudonyms > 0 {
        notes.push(format!(
            "The file carries a pseudonymisation key ({}).",
            plural(s.pseudonyms, "entry", "entries")
        ));
    }
    if s.rich_text_sources > 0 {
        notes.push(format!(
            "{} read from Word (.docx) rich text.",
            plural(s.rich_text_sources, "source was", "sources were")
        ));
    }
    if s.unattached_notes > 0 {
        notes.push(format!(
            "{} attached to nothing Framewise keeps were left out.",
            plural(s.unattached_notes, "note", "notes")
        ));
    }
    notes.extend(s.problems.iter().cloned());
    html! {
        <>
            {skipped.unwrap_or_default()}
            {unplaced.unwrap_or_default()}
            if !notes.is_empty() {
                <ul class="refi-notes">{for notes.iter().map(|n| html! { <li>{n}</li> })}</ul>
            }
        </>
    }
}

/// Props of [`RefiMenu`].
#[derive(Properties, PartialEq)]
pub struct RefiMenuProps {
    /// The open project.
    pub project: Rc<Project>,
    /// Applies an action (one undo step).
    pub dispatch: Callback<Action>,
}

#[derive(Clone, PartialEq)]
struct MergePreview {
    file: String,
    plan: Rc<CodebookMerge>,
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
                if check && format == RefiFormat::Qdpx {
                    let without_key = crate::components::pseudonyms::for_export(&project, false);
                    if let Some(found) = check_export(&key, Some(&without_key), &[]) {
                        names.set(Some((format, name, Rc::new(found))));
                        return;
                    }
                }
                busy.set(Some(format!("Writing {name}…")));
                spawn_local(async move {
                    let result = export_file(&project, format, include_key).await;
                    busy.set(None);
                    let result = match result {
                        Ok((bytes, _)) if check && format == RefiFormat::Qdc => {
                            match check_export(&key, None, &bytes) {
                                Some(found) => {
                                    names.set(Some((format, name.clone(), Rc::new(found))));
                                    Ok(())
                                }
                                None => dom::download_bytes(&name, "application/xml", &bytes),
                            }
                        }
                        Ok((bytes, mime)) => dom::download_bytes(&name, &mime, &bytes),
                        Err(e) => Err(e),
                    };
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
                        .map(|plan| MergePreview {
                            file: name.clone(),
                            plan: Rc::new(plan),
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
            </div>
        }
    });

    let merge_dialog = (*preview).clone().map(|p| {
        let close = {
            let preview = preview.clone();
            Callback::from(move |_| preview.set(None))
        };
        let apply = {
            let preview = preview.clone();
            let dispatch = props.dispatch.clone();
            let plan = p.plan.clone();
            Callback::from(move |_| {
                preview.set(None);
                dispatch.emit(plan.action());
            })
        };
        html! {
            <Dialog title={format!("Merge codebook from {}", p.file)} on_close={close.clone()} class="refi-dialog">
                {merge_preview(&props.project, &p.plan)}
                <div class="dialog-actions">
                    <button type="button" onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button type="button" class="primary" onclick={apply} disabled={p.plan.is_empty()}>{"Apply"}</button>
                </div>
            </Dialog>
        }
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
            {names_dialog.unwrap_or_default()}
            {failure_view.unwrap_or_default()}
        </div>
    }
}

/// A headed list (`region` named `label`), or "None." when empty.
fn list_section(label: &str, heading: String, items: Vec<Html>) -> Html {
    html! {
        <section aria-label={label.to_string()}>
            <h3>{heading}</h3>
            if items.is_empty() {
                <p class="muted">{"None."}</p>
            } else {
                <ul>{for items}</ul>
            }
        </section>
    }
}

fn merge_preview(project: &Project, plan: &CodebookMerge) -> Html {
    let by_guid = plan
        .matched
        .iter()
        .filter(|m| m.by == MatchedBy::Guid)
        .count();
    let by_name = plan.matched.len() - by_guid;
    let name_of = |id: CodeId| {
        plan.new_codes
            .iter()
            .find(|c| c.id == id)
            .or_else(|| project.code(id))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let new_codes = plan
        .new_codes
        .iter()
        .map(|c| {
            html! {
                <li>
                    <span class="refi-swatch" style={format!("background:{}", c.color)} aria-hidden="true"></span>
                    {&c.name}
                    if let Some(parent) = c.parent {
                        <span class="muted">{format!(" under {}", name_of(parent))}</span>
                    }
                </li>
            }
        })
        .collect();
    let text_items = |texts: Vec<String>| -> Vec<Html> {
        texts.into_iter().map(|t| html! { <li>{t}</li> }).collect()
    };
    let renamed = text_items(
        plan.renamed
            .iter()
            .map(|(_, here, incoming)| format!("{here} → {incoming}"))
            .collect(),
    );
    let conflicts = text_items(
        plan.conflicts
            .iter()
            .map(|c| format!("{}: {}", c.code, c.reason))
            .collect(),
    );
    let described = text_items(plan.described.iter().map(|(id, _)| name_of(*id)).collect());
    let sets = text_items(plan.new_sets.iter().map(|s| s.name.clone()).collect());
    html! {
        <div class="refi-merge">
            <p>{format!(
                "{} match codes here ({by_guid} by id, {by_name} by name).",
                plural(by_guid + by_name, "incoming code", "incoming codes")
            )}</p>
            {list_section("New codes", format!("New codes ({})", plan.new_codes.len()), new_codes)}
            {list_section("Renamed codes", format!("Renamed ({})", plan.renamed.len()), renamed)}
            if !plan.described.is_empty() {
                {list_section("Descriptions added", format!("Descriptions added ({})", plan.described.len()), described)}
            }
            {list_section("Conflicts", format!("Conflicts ({}): they stay as they are here", plan.conflicts.len()), conflicts)}
            if !plan.new_sets.is_empty() {
                {list_section("New sets", format!("New sets ({})", plan.new_sets.len()), sets)}
            }
            <p class="muted">{if plan.is_empty() {
                "Nothing to change: this codebook is already here."
            } else {
                "Apply is one step: Undo takes it back."
            }}</p>
        </div>
    }
}
