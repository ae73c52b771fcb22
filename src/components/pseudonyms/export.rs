//! What every export does before it writes: the project without the key unless the researcher
//! includes it ([`for_export`]), the check for real names of the key left in what is written
//! ([`check_export`], [`ExportCheck`]: where they are, and the choice to pseudonymise first), the
//! project file download ([`SaveToFile`]) and the checked CSV exports of the codebook and the case
//! table ([`CsvExport`]).

use super::plural;
use crate::components::dialog::Dialog;
use crate::dom;
use crate::state::now;
use framewise_core::persist;
use framewise_core::pseudonym::{
    apply_action, names_in, plan, remaining, summary, Occurrence, Replacement,
};
use framewise_core::{Action, Project, Pseudonym};
use std::rc::Rc;
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

/// Real names of the key found in what an export is about to write.
#[derive(Clone, PartialEq, Default)]
pub struct NamesFound {
    /// Places of the project that still hold a real name (exports of the whole project).
    pub places: Vec<Replacement>,
    /// Real names in the bytes written (with the words around them).
    pub written: Vec<Occurrence>,
}

impl NamesFound {
    /// True when the export holds no real name of the key.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty() && self.written.is_empty()
    }
}

/// The check every export runs before it writes: the real names of the project's key still in
/// `written` (its bytes, or text for a zip the page cannot unpack), and, when the export carries
/// the whole project, in each place of `exported` (the project as written, without the key:
/// the key itself is only ever written when the researcher ticks it). `None` when clean or when
/// the project has no key. Every export calls it before writing (the project file, `.qdpx`,
/// `.qdc`, matrix CSV/XLSX/print); reports must too when they exist.
pub fn check_export(
    key: &[Pseudonym],
    exported: Option<&Project>,
    written: &[u8],
) -> Option<NamesFound> {
    if key.is_empty() {
        return None;
    }
    let found = NamesFound {
        places: exported.map(|p| remaining(p, key)).unwrap_or_default(),
        written: names_in(written, key),
    };
    (!found.is_empty()).then_some(found)
}

/// The project with the key applied everywhere, and the one action that does it (dispatched so
/// the open project is pseudonymised too).
pub fn pseudonymised(project: &Project) -> Result<(Action, Project), String> {
    let plan = plan(project, &project.pseudonyms);
    let action = apply_action(&plan);
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

/// How many places or passages the export check lists (the counts are complete).
const SHOWN_FOUND: usize = 12;

/// "Real names in this export": where the key's real names still are in what is about to be
/// written, and the choice to pseudonymise first (one undoable step), export as it is, or cancel.
#[component]
pub fn ExportCheck(props: &ExportCheckProps) -> Html {
    let error = use_state(|| None::<String>);
    let found = &props.found;
    let groups = summary(&props.project, &found.places);
    let group_lines = groups.iter().map(|g| html! { <li>{&g.line}</li> });
    let places = found.places.iter().take(SHOWN_FOUND).map(|r| {
        html! {
            <li>
                <span class="pseudo-source">{r.place.describe(&props.project)}</span>
                <span class="pseudo-context">{"…"}{&r.context_before}<mark>{&r.found}</mark>{&r.context_after}{"…"}</span>
            </li>
        }
    });
    let written = found.written.iter().take(SHOWN_FOUND).map(|o| {
        html! {
            <li><span class="pseudo-context">{"…"}{&o.context_before}<mark>{&o.found}</mark>{&o.context_after}{"…"}</span></li>
        }
    });
    let more_places = found.places.len().saturating_sub(SHOWN_FOUND);
    let more_written = found.written.len().saturating_sub(SHOWN_FOUND);
    let first = {
        let project = props.project.clone();
        let dispatch = props.dispatch.clone();
        let on_export = props.on_export.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| match pseudonymised(&project) {
            Ok((action, next)) => {
                dispatch.emit(action);
                on_export.emit(Rc::new(next));
            }
            Err(e) => error.set(Some(format!("Could not pseudonymise: {e}"))),
        })
    };
    let anyway = {
        let project = props.project.clone();
        let on_export = props.on_export.clone();
        Callback::from(move |_: MouseEvent| on_export.emit(project.clone()))
    };
    let cancel = props.on_cancel.clone();
    let cancel_button = cancel.clone();
    let n = found.places.len().max(found.written.len());
    html! {
        <Dialog title="Real names in this export" on_close={cancel} class="pseudonyms-dialog">
            <p role="alert">{format!(
                "“{}” would still contain {} from the pseudonymisation key.",
                props.file,
                plural(n, "real name", "real names")
            )}</p>
            if !found.places.is_empty() {
                <ul class="pseudo-counts" aria-label="Places">{for group_lines}</ul>
                <ol class="pseudo-list" aria-label="Where" tabindex="0">
                    {for places}
                    if more_places > 0 { <li class="hint">{format!("… and {more_places} more")}</li> }
                </ol>
            } else {
                <ol class="pseudo-list" aria-label="Where" tabindex="0">
                    {for written}
                    if more_written > 0 { <li class="hint">{format!("… and {more_written} more")}</li> }
                </ol>
            }
            <p class="hint">{"Pseudonymise first applies the key everywhere in this project (one step: Undo puts the names back), then exports."}</p>
            if let Some(e) = &*error { <p class="error" role="alert">{e}</p> }
            <div class="dialog-actions">
                <button onclick={move |_| cancel_button.emit(())}>{"Cancel"}</button>
                <button onclick={anyway}>{"Export as it is"}</button>
                <button class="primary" onclick={first}>{"Pseudonymise first"}</button>
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
    write: impl Fn(&Project) + 'static,
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
            write(&p);
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
                let without_key = for_export(&project, false);
                let json = project_file(&without_key, false);
                match check_export(&project.pseudonyms, Some(&without_key), json.as_bytes()) {
                    Some(found) => check.set(Some(Rc::new(found))),
                    None => download_project(&project, *include, &on_banner),
                }
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
            move |p| download_project(p, *include, &on_banner),
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

    /// The file's text.
    fn text(self, project: &Project) -> String {
        let csv = match self {
            CsvExport::Codebook => framewise_core::codebook_csv::export_codebook_csv(project),
            CsvExport::CaseTable => framewise_core::cases::export_case_table_csv(project),
        };
        // A BOM so spreadsheet programs read the file as UTF-8; our importers accept it.
        format!("\u{feff}{csv}")
    }

    /// Downloads the export of `project`, or says why it could not.
    fn write(self, project: &Project, on_message: &Callback<String>) {
        if let Err(e) = dom::download(
            &self.file(project),
            "text/csv;charset=utf-8",
            &self.text(project),
        ) {
            let what = match self {
                CsvExport::Codebook => "The codebook",
                CsvExport::CaseTable => "The case table",
            };
            on_message.emit(format!("{what} could not be exported: {e}."));
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
            let text = export.text(&project);
            match check_export(&project.pseudonyms, None, text.as_bytes()) {
                Some(found) => check.set(Some(Rc::new(found))),
                None => export.write(&project, &on_message),
            }
        })
    };
    let check_dialog = {
        let on_message = props.on_message.clone();
        open_check(
            &check,
            &props.project,
            export.file(&props.project),
            &props.dispatch,
            move |p| export.write(p, &on_message),
        )
    };
    html! {
        <>
            <button class={props.class.clone()} {onclick} disabled={props.disabled}>{props.label.clone()}</button>
            {check_dialog.unwrap_or_default()}
        </>
    }
}
