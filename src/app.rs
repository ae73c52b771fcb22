//! The app shell: opens browser storage, shows the home screen (projects kept in this browser)
//! or the workbench of the open project, and carries storage problems to a banner.

use crate::components::dialog::Dialog;
use crate::components::home::{Home, HomeRequest};
use crate::components::workbench::Workbench;
use crate::dom;
use crate::state::{now, BrowserIds};
use crate::storage::{self, ListedProject, Storage, StorageError};
use framewise_core::persist::{self, LoadError, ProjectMeta};
use framewise_core::{apply, Action, IdSource, Project, ProjectId};
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Where storage stands.
#[derive(Clone, PartialEq)]
pub enum StorageState {
    /// Still opening.
    Opening,
    /// Open and usable.
    Ready(Storage),
    /// Not available: work is kept only in this tab (and in saved files).
    Unavailable(String),
}

impl StorageState {
    fn storage(&self) -> Option<Storage> {
        match self {
            Self::Ready(s) => Some(s.clone()),
            _ => None,
        }
    }
}

/// The open project and how it was opened.
#[derive(Clone, PartialEq)]
pub struct OpenProject {
    /// The project value when opened.
    pub project: Rc<Project>,
    /// Stored metadata (last opened...).
    pub meta: ProjectMeta,
    /// True when it is already stored (false: must be written in full first).
    pub stored: bool,
}

/// The root component.
#[component]
pub fn App() -> Html {
    let storage = use_state(|| StorageState::Opening);
    let projects = use_state(Vec::<ListedProject>::new);
    let open = use_state(|| None::<OpenProject>);
    let banner = use_state(|| None::<String>);
    let refresh = use_state(|| 0u32);
    // A project file whose project is already stored in this browser: replace it or open a copy?
    let conflict = use_state(|| None::<Rc<Project>>);

    {
        let storage = storage.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match Storage::open().await {
                    Ok(s) => {
                        storage.set(StorageState::Ready(s));
                        storage::request_persistence().await;
                    }
                    Err(e) => storage.set(StorageState::Unavailable(e.to_string())),
                }
            });
        });
    }

    // The list is read again whenever the home screen comes back or a project changes; until
    // the newest read has answered, the shown list is marked busy (it may be out of date), and
    // an older read that answers late is ignored.
    let listing = use_state(|| true);
    let list_generation = use_mut_ref(|| 0u32);
    {
        let projects = projects.clone();
        let banner = banner.clone();
        let listing = listing.clone();
        let list_generation = list_generation.clone();
        use_effect_with(((*storage).clone(), *refresh), move |(state, _)| {
            if let StorageState::Ready(s) = state.clone() {
                let generation = {
                    let mut g = list_generation.borrow_mut();
                    *g = g.wrapping_add(1);
                    *g
                };
                listing.set(true);
                spawn_local(async move {
                    let result = s.list_projects().await;
                    if *list_generation.borrow() != generation {
                        return;
                    }
                    match result {
                        Ok(list) => projects.set(list),
                        Err(e) => banner.set(Some(format!("Could not list your projects: {e}"))),
                    }
                    listing.set(false);
                });
            }
        });
    }

    let on_home_request = {
        let storage = storage.clone();
        let open = open.clone();
        let banner = banner.clone();
        let refresh = refresh.clone();
        let conflict = conflict.clone();
        let projects = projects.clone();
        Callback::from(move |req: HomeRequest| {
            let store = storage.storage();
            let open = open.clone();
            let banner = banner.clone();
            let refresh = refresh.clone();
            match req {
                HomeRequest::Create(name) => {
                    let project = Project::new(BrowserIds.project_id(), name, now());
                    open.set(Some(OpenProject {
                        meta: ProjectMeta::new(now()),
                        project: Rc::new(project),
                        stored: false,
                    }));
                }
                HomeRequest::OpenDemo => {
                    // The demo is built in the worker: its text and builder would otherwise
                    // take ~25 KB of the main wasm's budget.
                    spawn_local(async move {
                        match crate::worker_client::demo_project(now()).await {
                            Ok(project) => open.set(Some(OpenProject {
                                meta: ProjectMeta::new(now()),
                                project: Rc::new(project),
                                stored: false,
                            })),
                            Err(e) => {
                                banner.set(Some(format!("Could not open the demo project: {e}")))
                            }
                        }
                    });
                }
                HomeRequest::OpenImported(project) => {
                    // Our own .qdpx carries the project's id: the same project already kept
                    // here asks "replace or copy?", as a project file does.
                    if projects.iter().any(|p| p.id() == project.id) {
                        conflict.set(Some(Rc::new(*project)));
                        return;
                    }
                    // Fresh ids: importing the same file twice must not give two projects
                    // records of the same ids in storage.
                    spawn_local(async move {
                        match crate::worker_client::fresh_copy(&project).await {
                            Ok(project) => open.set(Some(OpenProject {
                                meta: ProjectMeta::new(now()),
                                project: Rc::new(project),
                                stored: false,
                            })),
                            Err(e) => banner
                                .set(Some(format!("Could not open the imported project: {e}"))),
                        }
                    });
                }
                HomeRequest::OpenFile { name, bytes } => {
                    let text = String::from_utf8_lossy(&bytes);
                    match persist::from_project_file(&text) {
                        Ok(loaded) => {
                            // Records the loader left out are shown, as when opening from
                            // browser storage.
                            if !loaded.warnings.is_empty() {
                                banner.set(Some(format!(
                                    "Some records in {name} could not be used and were left out: {}",
                                    loaded.warnings.join("; ")
                                )));
                            }
                            if projects.iter().any(|p| p.id() == loaded.project.id) {
                                conflict.set(Some(Rc::new(loaded.project)));
                            } else {
                                open.set(Some(OpenProject {
                                    meta: ProjectMeta::new(now()),
                                    project: Rc::new(loaded.project),
                                    stored: false,
                                }));
                            }
                        }
                        Err(e) => banner.set(Some(format!("Could not open {name}: {e}"))),
                    }
                }
                HomeRequest::Open(id) => {
                    let Some(store) = store else { return };
                    spawn_local(async move {
                        match store.load_project(id).await {
                            Ok(Ok(loaded)) => {
                                if !loaded.warnings.is_empty() {
                                    banner.set(Some(format!(
                                        "Some stored records could not be used and were left untouched: {}",
                                        loaded.warnings.join("; ")
                                    )));
                                }
                                open.set(Some(OpenProject {
                                    project: Rc::new(loaded.project),
                                    meta: ProjectMeta {
                                        last_opened: now(),
                                        ..loaded.meta
                                    },
                                    stored: true,
                                }))
                            }
                            Ok(Err(e)) => banner.set(Some(load_problem(&e))),
                            Err(e) => banner.set(Some(format!("Could not open the project: {e}"))),
                        }
                    });
                }
                HomeRequest::Rename(id, name) => {
                    let Some(store) = store else { return };
                    spawn_local(async move {
                        let result = rename_stored(&store, id, name).await;
                        if let Err(message) = result {
                            banner.set(Some(message));
                        }
                        refresh.set(*refresh + 1);
                    });
                }
                HomeRequest::Delete(id) => {
                    let Some(store) = store else { return };
                    spawn_local(async move {
                        if let Err(e) = store.delete_project(id).await {
                            banner.set(Some(format!("Could not delete the project: {e}")));
                        }
                        refresh.set(*refresh + 1);
                    });
                }
                HomeRequest::ExportRaw(id) => {
                    let Some(store) = store else { return };
                    spawn_local(async move {
                        match store.raw_records(id).await {
                            Ok(raw) => {
                                let name = format!("framewise-raw-backup-{id}.json");
                                if let Err(e) = dom::download(&name, "application/json", &raw) {
                                    banner.set(Some(format!("Could not save the backup: {e}")));
                                }
                            }
                            Err(e) => {
                                banner.set(Some(format!("Could not read the stored data: {e}")))
                            }
                        }
                    });
                }
            }
        })
    };

    let on_close = {
        let open = open.clone();
        let refresh = refresh.clone();
        Callback::from(move |_| {
            open.set(None);
            refresh.set(*refresh + 1);
        })
    };

    let on_banner = {
        let banner = banner.clone();
        Callback::from(move |message: Option<String>| banner.set(message))
    };

    let storage_banner = match &*storage {
        StorageState::Unavailable(reason) => Some(html! {
            <div class="banner banner-warning" role="alert">
                <strong>{"This browser is not letting Framewise keep your work."}</strong>
                {format!(" ({reason}) Private browsing often does this. Work in this tab is lost when it closes: use “Save to file” to keep it.")}
            </div>
        }),
        _ => None,
    };

    let conflict_dialog = (*conflict).clone().map(|project| {
        let close = {
            let conflict = conflict.clone();
            Callback::from(move |_| conflict.set(None))
        };
        let as_copy = {
            let conflict = conflict.clone();
            let open = open.clone();
            let project = project.clone();
            let banner = banner.clone();
            Callback::from(move |_| {
                conflict.set(None);
                let project = project.clone();
                let open = open.clone();
                let banner = banner.clone();
                spawn_local(async move {
                    match crate::worker_client::fresh_copy(&project).await {
                        Ok(mut copy) => {
                            copy.name = format!("{} (copy)", copy.name);
                            open.set(Some(OpenProject {
                                meta: ProjectMeta::new(now()),
                                project: Rc::new(copy),
                                stored: false,
                            }));
                        }
                        Err(e) => banner.set(Some(format!("Could not open a copy: {e}"))),
                    }
                });
            })
        };
        let replace = {
            let conflict = conflict.clone();
            let open = open.clone();
            let banner = banner.clone();
            let store = storage.storage();
            let project = project.clone();
            Callback::from(move |_| {
                conflict.set(None);
                let open = open.clone();
                let banner = banner.clone();
                let project = project.clone();
                let Some(store) = store.clone() else { return };
                spawn_local(async move {
                    match store.delete_project(project.id).await {
                        Ok(()) => open.set(Some(OpenProject {
                            meta: ProjectMeta::new(now()),
                            project,
                            stored: false,
                        })),
                        Err(e) => banner.set(Some(format!("Could not replace the stored project: {e}"))),
                    }
                });
            })
        };
        html! {
            <Dialog title="This project is already in this browser" on_close={close.clone()}>
                <p>{format!("“{}” from this file is the same project as one kept in this browser. Replace the kept version with the file's version, or open the file as a separate copy?", project.name)}</p>
                <div class="dialog-actions">
                    <button onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button onclick={as_copy}>{"Open as a copy"}</button>
                    <button class="danger" onclick={replace}>{"Replace the kept version"}</button>
                </div>
            </Dialog>
        }
    });

    let dismiss = {
        let banner = banner.clone();
        Callback::from(move |_| banner.set(None))
    };

    html! {
        <>
            {storage_banner.unwrap_or_default()}
            {conflict_dialog.unwrap_or_default()}
            if let Some(message) = &*banner {
                <div class="banner banner-error" role="alert">
                    <span>{message}</span>
                    <button class="banner-close" aria-label="Dismiss message" onclick={dismiss}>{"×"}</button>
                </div>
            }
            {
                match &*open {
                    Some(o) => html! {
                        <Workbench
                            key={o.project.id.to_string()}
                            open={o.clone()}
                            storage={storage.storage()}
                            on_close={on_close}
                            on_banner={on_banner}
                        />
                    },
                    None => html! {
                        <Home
                            projects={(*projects).clone()}
                            loading={matches!(*storage, StorageState::Opening)}
                            refreshing={*listing && matches!(*storage, StorageState::Ready(_))}
                            on_request={on_home_request}
                        />
                    },
                }
            }
        </>
    }
}

fn load_problem(e: &LoadError) -> String {
    format!("This project cannot be opened. {e}")
}

async fn rename_stored(store: &Storage, id: ProjectId, name: String) -> Result<(), String> {
    let (project, meta) = match store.load_project(id).await {
        Ok(Ok(loaded)) => (loaded.project, loaded.meta),
        Ok(Err(e)) => return Err(load_problem(&e)),
        Err(e) => return Err(format!("Could not rename the project: {e}")),
    };
    let renamed = apply(&project, Action::RenameProject { name }).map_err(|e| e.to_string())?;
    let writes = persist::diff(Some(&project), &renamed, &meta);
    store
        .apply_writes(&writes)
        .await
        .map(|_| ())
        .map_err(|e: StorageError| format!("Could not rename the project: {e}"))
}
