//! The home screen: projects kept in this browser, create / rename / delete / open, the demo
//! project and opening a saved project file (asking for the passphrase of an encrypted one).

use crate::components::dialog::Dialog;
use crate::components::pseudonyms::UnlockDialog;
use crate::components::refi::RefiImportButton;
use crate::dom;
use crate::storage::ListedProject;
use framewise_core::share::is_encrypted;
use framewise_core::{Project, ProjectId};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// What the home screen asks the app to do.
pub enum HomeRequest {
    /// Create an empty project with this name and open it.
    Create(String),
    /// Open a stored project.
    Open(ProjectId),
    /// Rename a stored project.
    Rename(ProjectId, String),
    /// Delete a stored project (already confirmed).
    Delete(ProjectId),
    /// Make a fresh copy of the demo project and open it.
    OpenDemo,
    /// Open a `.framewise.json` file.
    OpenFile {
        /// File name, for messages.
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// Save the raw stored records of a project that cannot be opened.
    ExportRaw(ProjectId),
    /// Open a project imported from a REFI-QDA file (`.qdpx`/`.qdc`) as a new project.
    OpenImported(Box<Project>),
}

/// Props of [`Home`].
#[derive(Properties, PartialEq)]
pub struct HomeProps {
    /// Projects kept in this browser.
    pub projects: Vec<ListedProject>,
    /// True while storage is still opening.
    pub loading: bool,
    /// True while a newer list is being read (the one shown may be out of date).
    #[prop_or_default]
    pub refreshing: bool,
    /// Whether the browser keeps this site's storage under pressure (persistent storage
    /// granted); `None`: unknown or unsupported, nothing is said.
    #[prop_or_default]
    pub persistent: Option<bool>,
    /// Where requests go.
    pub on_request: Callback<HomeRequest>,
}

/// The home screen.
#[component]
pub fn Home(props: &HomeProps) -> Html {
    let new_name = use_state(String::new);
    let renaming = use_state(|| None::<(ProjectId, String)>);
    let deleting = use_state(|| None::<(ProjectId, String)>);

    let create = {
        let new_name = new_name.clone();
        let on_request = props.on_request.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = new_name.trim().to_string();
            let name = if name.is_empty() {
                "Untitled project".to_string()
            } else {
                name
            };
            on_request.emit(HomeRequest::Create(name));
        })
    };
    let on_name_input = {
        let new_name = new_name.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            new_name.set(input.value());
        })
    };
    let open_demo = {
        let on_request = props.on_request.clone();
        Callback::from(move |_| on_request.emit(HomeRequest::OpenDemo))
    };
    // An encrypted project file waiting for its passphrase.
    let locked = use_state(|| None::<(AttrValue, Rc<Vec<u8>>)>);
    let open_file = {
        let on_request = props.on_request.clone();
        let locked = locked.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = dom::files_of(input.files());
            input.set_value("");
            for file in files {
                let on_request = on_request.clone();
                let locked = locked.clone();
                spawn_local(async move {
                    if let Ok(bytes) = dom::read_file_bytes(&file).await {
                        if is_encrypted(&bytes) {
                            locked.set(Some((file.name().into(), Rc::new(bytes))));
                        } else {
                            on_request.emit(HomeRequest::OpenFile {
                                name: file.name(),
                                bytes,
                            });
                        }
                    }
                });
            }
        })
    };
    let unlock_dialog = (*locked).clone().map(|(name, bytes)| {
        let on_close = {
            let locked = locked.clone();
            Callback::from(move |_| locked.set(None))
        };
        let on_open = {
            let locked = locked.clone();
            let on_request = props.on_request.clone();
            let name = name.clone();
            Callback::from(move |plain: Vec<u8>| {
                locked.set(None);
                on_request.emit(HomeRequest::OpenFile {
                    name: name.to_string(),
                    bytes: plain,
                });
            })
        };
        html! { <UnlockDialog {name} {bytes} {on_open} {on_close} /> }
    });

    let rows = props.projects.iter().map(|p| {
        let id = p.id();
        let name = p.name();
        let open = {
            let on_request = props.on_request.clone();
            Callback::from(move |_| on_request.emit(HomeRequest::Open(id)))
        };
        let rename = {
            let renaming = renaming.clone();
            let name = name.clone();
            Callback::from(move |_| renaming.set(Some((id, name.clone()))))
        };
        let delete = {
            let deleting = deleting.clone();
            let name = name.clone();
            Callback::from(move |_| deleting.set(Some((id, name.clone()))))
        };
        let export_raw = {
            let on_request = props.on_request.clone();
            Callback::from(move |_| on_request.emit(HomeRequest::ExportRaw(id)))
        };
        match p.summary() {
            Some(s) => html! {
                <tr key={id.to_string()}>
                    <th scope="row"><button class="link" onclick={open} aria-label={format!("Open {}", name)}>{&name}</button></th>
                    <td>{framewise_core::words::thousands(s.sources)}</td>
                    <td>{framewise_core::words::thousands(s.codes)}</td>
                    <td>{framewise_core::words::thousands(s.codings)}</td>
                    <td>{dom::format_time(s.last_opened)}</td>
                    <td class="row-actions">
                        <button onclick={rename} aria-label={format!("Rename {}", name)}>{"Rename"}</button>
                        <button class="danger" onclick={delete} aria-label={format!("Delete {}", name)}>{"Delete"}</button>
                    </td>
                </tr>
            },
            None => html! {
                <tr key={id.to_string()} class="problem-row">
                    <th scope="row">{&name}</th>
                    <td colspan="4" role="note">{p.problem_text()}</td>
                    <td class="row-actions">
                        <button onclick={export_raw} aria-label={format!("Export raw backup of {}", name)}>{"Export raw backup"}</button>
                    </td>
                </tr>
            },
        }
    });

    let rename_dialog = renaming.as_ref().map(|(id, name)| {
        let id = *id;
        let renaming2 = renaming.clone();
        let on_request = props.on_request.clone();
        let on_save = Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some((_, name)) = &*renaming2 {
                on_request.emit(HomeRequest::Rename(id, name.clone()));
            }
            renaming2.set(None);
        });
        let renaming3 = renaming.clone();
        let on_input = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            renaming3.set(Some((id, input.value())));
        });
        let renaming4 = renaming.clone();
        let close = Callback::from(move |_| renaming4.set(None));
        html! {
            <Dialog title="Rename project" on_close={close.clone()}>
                <form onsubmit={on_save}>
                    <label>{"New name"}<input id="rename-project-input" value={name.clone()} oninput={on_input} autofocus=true /></label>
                    <div class="dialog-actions">
                        <button type="button" onclick={move |_| close.emit(())}>{"Cancel"}</button>
                        <button type="submit" class="primary">{"Rename"}</button>
                    </div>
                </form>
            </Dialog>
        }
    });

    let delete_dialog = deleting.as_ref().map(|(id, name)| {
        let id = *id;
        let on_request = props.on_request.clone();
        let deleting2 = deleting.clone();
        let confirm = Callback::from(move |_| {
            on_request.emit(HomeRequest::Delete(id));
            deleting2.set(None);
        });
        let deleting3 = deleting.clone();
        let close = Callback::from(move |_| deleting3.set(None));
        let summary = props
            .projects
            .iter()
            .find(|p| p.id() == id)
            .and_then(|p| p.summary().cloned());
        html! {
            <Dialog title="Delete project?" on_close={close.clone()}>
                <p>{format!("Delete “{name}” from this browser?")}</p>
                if let Some(s) = summary {
                    <p>{format!("It has {}, {} and {}. This cannot be undone: save it to a file first if you may need it.", framewise_core::words::count(s.sources, "source", "sources"), framewise_core::words::count(s.codes, "code", "codes"), framewise_core::words::count(s.codings, "coding", "codings"))}</p>
                }
                <div class="dialog-actions">
                    <button type="button" onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button type="button" class="danger" onclick={confirm}>{"Delete project"}</button>
                </div>
            </Dialog>
        }
    });

    html! {
        <main class="home">
            <header class="home-header">
                <h1>{"Framewise"}</h1>
                <p class="tagline">{"Qualitative analysis with the Framework Method. Everything stays in this browser."}</p>
            </header>
            <section class="home-actions" aria-label="Start">
                <form class="new-project" onsubmit={create}>
                    <label for="new-project-name">{"New project name"}</label>
                    <input id="new-project-name" placeholder="e.g. PCN evaluation 2026" value={(*new_name).clone()} oninput={on_name_input} />
                    <button type="submit" class="primary">{"Create project"}</button>
                </form>
                <div class="home-buttons">
                    <button onclick={open_demo}>{"Open demo project"}</button>
                    <label class="button file-button">
                        {"Open project file…"}
                        <input type="file" accept=".json,.framewise.json,.age" onchange={open_file} class="visually-hidden" aria-label="Open project file" />
                    </label>
                    <RefiImportButton on_open={let r = props.on_request.clone(); Callback::from(move |p: Project| r.emit(HomeRequest::OpenImported(Box::new(p))))} />
                </div>
            </section>
            <section aria-labelledby="projects-heading" aria-busy={props.refreshing.to_string()}>
                <h2 id="projects-heading">{"Projects in this browser"}</h2>
                if opened_from_disk() {
                    <p class="storage-note">{"You opened Framewise from a file on this computer. Projects are kept in this browser’s storage for files opened from disk, not in the file: another browser or another user account shows other projects. To move or hand back a project, use “Save to file” in the project."}</p>
                }
                {match props.persistent {
                    Some(true) => html! { <p class="storage-note" id="persistence">{"Persistent storage granted: this browser keeps these projects until you delete them."}</p> },
                    Some(false) => html! { <p class="storage-note" id="persistence">{"Persistent storage not granted: this browser may clear these projects when the disk runs low (Framewise asks when you open a project; the browser decides). Keep copies with “Save to file”."}</p> },
                    None => Html::default(),
                }}
                if props.loading {
                    <p>{"Opening browser storage…"}</p>
                } else if props.projects.is_empty() {
                    <p class="empty-state">{"No projects yet. Create one above and import your transcripts (Word, OpenDocument, PDF, RTF, HTML, subtitles or plain text), or open the demo project to see how coding and retrieval work."}</p>
                } else {
                    <table class="project-list">
                        <thead><tr><th scope="col">{"Project"}</th><th scope="col">{"Sources"}</th><th scope="col">{"Codes"}</th><th scope="col">{"Codings"}</th><th scope="col">{"Last opened"}</th><th scope="col"><span class="visually-hidden">{"Actions"}</span></th></tr></thead>
                        <tbody>{for rows}</tbody>
                    </table>
                }
            </section>
            {rename_dialog.unwrap_or_default()}
            {delete_dialog.unwrap_or_default()}
            {unlock_dialog.unwrap_or_default()}
        </main>
    }
}

/// True when the page was opened from disk (`file://`, the single-file build `framewise.html`):
/// the home screen then says where its projects live.
fn opened_from_disk() -> bool {
    web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "file:")
}
