//! What every export does before it writes: the project without the key unless the researcher
//! includes it ([`for_export`]), the check for real names of the key left in what is written
//! ([`check_export`], run by the worker, and [`ExportCheck`]: where they are, written out by the
//! worker, and the choice to pseudonymise first), the project file download ([`SaveToFile`]) and the checked CSV exports of the codebook and the case
//! table ([`CsvExport`]).

use super::plural;
use crate::components::dialog::Dialog;
use crate::dom;
use crate::state::now;
use crate::worker_client;
use framewise_core::persist;
use framewise_core::protocol::{CsvKind, ProjectFile};
/// What an export check found: how many real names (`count`) and where (`markup`).
pub use framewise_core::pseudonym::shown::PseudonymShown as NamesFound;
use framewise_core::{Action, Project, Pseudonym};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The project as it goes into an export: without the pseudonymisation key unless
/// `include_key`. Every export of participant data should pass through this.
pub fn for_export(project: &Project, include_key: bool) -> Project {
    if include_key || project.pseudonyms.is_empty() {
        project.clone()
    } else {
        Project {
            pseudonyms: Vec::new(),
            ..project.clone()
        }
    }
}

/// What an export is about to write, as its check reads it.
pub enum Written<'a> {
    /// The file's bytes (or text standing for a zip the page cannot unpack).
    Bytes(&'a [u8]),
    /// A project file (its text): its text and every place of the project it holds.
    ProjectFile(String),
    /// The project a `.qdpx` writes (without the key): every place of it.
    Project(&'a Project),
}

/// The check every export runs before it writes, in the worker (core's
/// `pseudonym::shown::check`, `Request::CheckNames`): the real names of the project's `key` in
/// what is `written`, and, when the export carries the whole project, in each of its places (the
/// project as written, without the key: the key itself is only ever written when the researcher
/// ticks it). `Ok(None)` when clean or when there is no key (then the worker is not asked); the
/// error is a sentence (a check that could not look never says "clean"). Every export calls it
/// before writing (the project file, `.qdpx`, `.qdc`, matrix CSV/XLSX/print, reports, tables,
/// charts).
pub async fn check_export(
    key: &[Pseudonym],
    written: Written<'_>,
) -> Result<Option<NamesFound>, String> {
    if key.is_empty() {
        return Ok(None);
    }
    let (project, project_written, bytes) = match written {
        Written::Bytes(bytes) => (None, false, bytes),
        Written::ProjectFile(json) => (Some(ProjectFile(json)), true, &[][..]),
        Written::Project(p) => (Some(ProjectFile::of(p, now())), false, &[][..]),
    };
    worker_client::check_names(key, project, project_written, bytes).await
}

/// The project with the key applied everywhere, and the one action that does it (dispatched so
/// the open project is pseudonymised too), planned in the worker.
pub async fn pseudonymised(project: &Rc<Project>) -> Result<(Action, Project), String> {
    let planned = worker_client::pseudonymise(project, &project.pseudonyms, None).await?;
    let action = framewise_core::pseudonym::shown::action(&planned.edits)
        .ok_or(worker_client::UNUSABLE.to_string())?;
    let next = framewise_core::apply(project, action.clone()).map_err(|e| e.to_string())?;
    Ok((action, next))
}

/// Props of [`ExportCheck`].
#[derive(Properties, PartialEq)]
pub struct ExportCheckProps {
    /// The open project.
    pub project: Rc<Project>,
    /// The file about to be written.
    pub file: String,
    /// What the check found.
    pub found: Rc<NamesFound>,
    /// Applies an action to the open project.
    pub dispatch: Callback<Action>,
    /// Writes the export of this project (the open one, or the pseudonymised one).
    pub on_export: Callback<Rc<Project>>,
    /// Nothing is written.
    pub on_cancel: Callback<()>,
}

/// "Real names in this export": where the key's real names still are in what is about to be
/// written (the lists written out by the worker), and the choice to pseudonymise first (one
/// undoable step), export as it is, or cancel.
#[component]
pub fn ExportCheck(props: &ExportCheckProps) -> Html {
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let found = &props.found;
    let first = {
        let project = props.project.clone();
        let dispatch = props.dispatch.clone();
        let on_export = props.on_export.clone();
        let (error, busy) = (error.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            let (project, dispatch, on_export) =
                (project.clone(), dispatch.clone(), on_export.clone());
            let (error, busy) = (error.clone(), busy.clone());
            spawn_local(async move {
                match pseudonymised(&project).await {
                    Ok((action, next)) => {
                        dispatch.emit(action);
                        on_export.emit(Rc::new(next));
                    }
                    Err(e) => error.set(Some(format!("Could not pseudonymise: {e}"))),
                }
                busy.set(false);
            });
        })
    };
    let anyway = {
        let project = props.project.clone();
        let on_export = props.on_export.clone();
        Callback::from(move |_: MouseEvent| on_export.emit(project.clone()))
    };
    let cancel = props.on_cancel.clone();
    let cancel_button = cancel.clone();
    html! {
        <Dialog title="Real names in this export" on_close={cancel} class="pseudonyms-dialog">
            <p role="alert">{format!(
                "“{}” would still contain {} from the pseudonymisation key.",
                props.file,
                plural(found.count, "real name", "real names")
            )}</p>
            {Html::from_html_unchecked(AttrValue::from(found.markup.clone()))}
            <p class="hint">{"Pseudonymise first applies the key everywhere in this project (one step: Undo puts the names back), then exports."}</p>
            if let Some(e) = &*error { <p class="error" role="alert">{e}</p> }
            <div class="dialog-actions">
                <button onclick={move |_| cancel_button.emit(())}>{"Cancel"}</button>
                <button onclick={anyway}>{"Export as it is"}</button>
                <button class="primary" onclick={first} disabled={*busy}>{"Pseudonymise first"}</button>
            </div>
        </Dialog>
    }
}

/// The [`ExportCheck`] of an export whose check found real names (`check` holds what it found):
/// cancelling closes it, exporting writes `write` of the project chosen (the open one, or the
/// pseudonymised one).
pub(super) fn open_check(
    check: &UseStateHandle<Option<Rc<NamesFound>>>,
    project: &Rc<Project>,
    file: String,
    dispatch: &Callback<Action>,
    write: impl Fn(Rc<Project>) + 'static,
) -> Option<Html> {
    let found = (**check).clone()?;
    let on_cancel = {
        let check = check.clone();
        Callback::from(move |_| check.set(None))
    };
    let on_export = {
        let check = check.clone();
        Callback::from(move |p: Rc<Project>| {
            check.set(None);
            write(p);
        })
    };
    Some(html! {
        <ExportCheck project={project.clone()} {file} {found} dispatch={dispatch.clone()} {on_export} {on_cancel} />
    })
}

/// Props of [`SaveToFile`].
#[derive(Properties, PartialEq)]
pub struct SaveToFileProps {
    /// The project.
    pub project: Rc<Project>,
    /// Applies an action (pseudonymising before saving).
    pub dispatch: Callback<Action>,
    /// Show a message in the app banner (errors).
    pub on_banner: Callback<Option<String>>,
}

/// The project file's text, with the key only when `include_key`.
fn project_file(project: &Project, include_key: bool) -> String {
    let export = for_export(project, include_key);
    persist::to_project_file(&export, &persist::ProjectMeta::new(now()))
}

fn download_project(project: &Project, include_key: bool, on_banner: &Callback<Option<String>>) {
    let json = project_file(project, include_key);
    let name = persist::project_file_name(project);
    if let Err(e) = dom::download(&name, "application/json", &json) {
        on_banner.emit(Some(format!("Could not save the file: {e}")));
    }
}

/// "Save to file": downloads the project file at once, or, when the project has a
/// pseudonymisation key, first asks whether to include it (off by default) and checks that no
/// real name of the key is still in the project (else says where and offers to pseudonymise
/// first).
#[component]
pub fn SaveToFile(props: &SaveToFileProps) -> Html {
    let asking = use_state(|| false);
    let include = use_state(|| false);
    let check = use_state(|| None::<Rc<NamesFound>>);
    let onclick = {
        let asking = asking.clone();
        let include = include.clone();
        let project = props.project.clone();
        let on_banner = props.on_banner.clone();
        Callback::from(move |_: MouseEvent| {
            if project.pseudonyms.is_empty() {
                download_project(&project, true, &on_banner);
            } else {
                include.set(false);
                asking.set(true);
            }
        })
    };
    let dialog = (*asking).then(|| {
        let close = {
            let asking = asking.clone();
            Callback::from(move |_| asking.set(false))
        };
        let toggle = {
            let include = include.clone();
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                include.set(input.checked());
            })
        };
        let save = {
            let asking = asking.clone();
            let include = include.clone();
            let check = check.clone();
            let project = props.project.clone();
            let on_banner = props.on_banner.clone();
            Callback::from(move |_: MouseEvent| {
                asking.set(false);
                // What is checked is the file without the key (the key names real people by
                // design; it is only written when ticked).
                let json = project_file(&project, false);
                let (project, check, on_banner) = (project.clone(), check.clone(), on_banner.clone());
                let include = *include;
                spawn_local(async move {
                    match check_export(&project.pseudonyms, Written::ProjectFile(json)).await {
                        Ok(Some(found)) => check.set(Some(Rc::new(found))),
                        Ok(None) => download_project(&project, include, &on_banner),
                        Err(e) => on_banner.emit(Some(format!("Could not save the file: {e}"))),
                    }
                });
            })
        };
        let cancel = close.clone();
        let n = props.project.pseudonyms.len();
        html! {
            <Dialog title="Save to file" on_close={close}>
                <p>{format!("This project has a pseudonymisation key ({n} entr{}), which names real people and places.", if n == 1 { "y" } else { "ies" })}</p>
                <label class="checkbox">
                    <input type="checkbox" checked={*include} onchange={toggle} />
                    {"Include the pseudonymisation key"}
                </label>
                <div class="dialog-actions">
                    <button onclick={move |_| cancel.emit(())}>{"Cancel"}</button>
                    <button class="primary" onclick={save}>{"Save"}</button>
                </div>
            </Dialog>
        }
    });
    let check_dialog = {
        let include = include.clone();
        let on_banner = props.on_banner.clone();
        open_check(
            &check,
            &props.project,
            persist::project_file_name(&props.project),
            &props.dispatch,
            move |p| download_project(&p, *include, &on_banner),
        )
    };
    html! {
        <>
            <button {onclick}>{"Save to file"}</button>
            {dialog.unwrap_or_default()}
            {check_dialog.unwrap_or_default()}
        </>
    }
}

/// A table of the project written as CSV, checked for real names of the key before it is
/// written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CsvExport {
    /// The codebook (`name,description,parent`).
    Codebook,
    /// The case table (cases, their sources and attribute values).
    CaseTable,
}

impl CsvExport {
    /// The file's name.
    fn file(self, project: &Project) -> String {
        let what = match self {
            CsvExport::Codebook => "codebook",
            CsvExport::CaseTable => "cases",
        };
        format!("{} {what}.csv", project.name.trim())
    }

    /// Which table the worker writes.
    fn kind(self) -> CsvKind {
        match self {
            CsvExport::Codebook => CsvKind::Codebook,
            CsvExport::CaseTable => CsvKind::CaseTable,
        }
    }

    /// Writes the export of `project` in the worker, which checks it for real names of the key
    /// (with `check`: `Ok(Some(..))` when some are found, and nothing is written), and downloads
    /// it.
    async fn write(self, project: Rc<Project>, check: bool) -> Result<Option<NamesFound>, String> {
        let key = if check { &project.pseudonyms[..] } else { &[] };
        match worker_client::csv_export(&project, self.kind(), key).await? {
            Ok(bytes) => {
                dom::download_bytes(&self.file(&project), "text/csv;charset=utf-8", &bytes)?;
                Ok(None)
            }
            Err(found) => Ok(Some(found)),
        }
    }

    /// [`CsvExport::write`], its outcome set in `held` or said with `on_message`.
    fn run(
        self,
        project: Rc<Project>,
        check: bool,
        held: UseStateHandle<Option<Rc<NamesFound>>>,
        on_message: Callback<String>,
    ) {
        spawn_local(async move {
            match self.write(project, check).await {
                Ok(Some(found)) => held.set(Some(Rc::new(found))),
                Ok(None) => {}
                Err(e) => on_message.emit(format!("{} could not be exported: {e}.", self.what())),
            }
        });
    }

    /// "The codebook", "The case table".
    fn what(self) -> &'static str {
        match self {
            CsvExport::Codebook => "The codebook",
            CsvExport::CaseTable => "The case table",
        }
    }
}

/// Props of [`CsvExportButton`].
#[derive(Properties, PartialEq)]
pub struct CsvExportButtonProps {
    /// The open project.
    pub project: Rc<Project>,
    /// Which table.
    pub export: CsvExport,
    /// The button's text.
    pub label: AttrValue,
    /// The button's class.
    #[prop_or_default]
    pub class: Classes,
    /// Nothing to export.
    #[prop_or_default]
    pub disabled: bool,
    /// Applies an action (pseudonymising first).
    pub dispatch: Callback<Action>,
    /// Shows a message (errors).
    pub on_message: Callback<String>,
}

/// An "Export … CSV" button: writes the file at once, or, when real names of the project's key
/// are in it, first says where ([`ExportCheck`]).
#[component]
pub fn CsvExportButton(props: &CsvExportButtonProps) -> Html {
    let check = use_state(|| None::<Rc<NamesFound>>);
    let export = props.export;
    let onclick = {
        let check = check.clone();
        let project = props.project.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |_: MouseEvent| {
            export.run(project.clone(), true, check.clone(), on_message.clone())
        })
    };
    let check_dialog = {
        let on_message = props.on_message.clone();
        let held = check.clone();
        open_check(
            &check,
            &props.project,
            export.file(&props.project),
            &props.dispatch,
            move |p| export.run(p, false, held.clone(), on_message.clone()),
        )
    };
    html! {
        <>
            <button class={props.class.clone()} {onclick} disabled={props.disabled}>{props.label.clone()}</button>
            {check_dialog.unwrap_or_default()}
        </>
    }
}
