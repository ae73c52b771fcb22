//! The app shell: opens browser storage, shows the home screen (projects kept in this browser)
//! or the workbench of the open project, and carries storage problems to a banner.
//!
//! Beside it: `app/stored.rs` (listing, opening and renaming stored projects), `app/address.rs`
//! (opening the project the address names), and `components/tab_busy.rs` (one tab edits a
//! project at a time: the lock held, let go when asked, "open in another tab").

mod address;
mod stored;

use crate::components::dialog::Dialog;
use crate::components::home::{Home, HomeRequest};
use crate::components::tab_busy::{self, free_lock, TabBusy};
use crate::components::workbench::Workbench;
use crate::dom;
use crate::hooks::{use_latest, use_window_listener};
use crate::state::{now, BrowserIds};
use crate::storage::{self, Storage};
use crate::tab_lock;
use address::follow_address;
use framewise_core::persist::{self, LoadError, Loaded, ProjectMeta};
use framewise_core::{IdSource, Project, ProjectId};
use std::cell::Cell;
use std::rc::Rc;
use stored::{open_stored, rename_stored};
use yew::platform::spawn_local;
use yew::prelude::*;

/// A project file read: an older one that only the worker upgrades (the upgrade steps are not
/// in the main wasm) is sent there first and its upgraded copy read.
async fn read_project_file(text: String) -> Result<Loaded, LoadError> {
    match persist::from_project_file(&text) {
        Err(LoadError::OlderVersion { found, what }) => {
            match crate::worker_client::upgrade(vec![text]).await {
                Ok(upgraded) => {
                    persist::from_project_file(upgraded.first().map_or("", String::as_str))
                }
                Err(e) => Err(storage::upgrade_failed(found, &what, &e)),
            }
        }
        read => read,
    }
}

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
    /// The storage, once open.
    pub(crate) fn storage(&self) -> Option<Storage> {
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

/// Shown while another tab (an older Framewise) holds the database open and so blocks opening it.
const BLOCKED: &str = "Another Framewise tab, of an older version, holds this browser's projects open, so this tab cannot open them yet. Close or reload that tab: this one continues by itself, and nothing has been changed.";

/// The root component.
#[component]
pub fn App() -> Html {
    let storage = use_state(|| StorageState::Opening);
    // Whether the browser keeps this site's storage under pressure (`None`: unsupported).
    let persistent = use_state(|| None::<bool>);
    let open = use_state(|| None::<OpenProject>);
    let banner = use_state(|| None::<String>);
    let refresh = use_state(|| 0u32);
    // A project file whose project is already stored in this browser: replace it or open a copy?
    let conflict = use_state(|| None::<Rc<Project>>);
    // One tab edits a project at a time (components/tab_busy.rs): the lock of the open
    // project, and a project another tab holds (with true while asking it to let go).
    let (held, on_lost) = tab_busy::use_tab_hold(&open, &banner, &storage);
    let busy = use_state(|| None::<(ProjectId, bool)>);
    tab_busy::use_release_when_asked(&storage, &held, &open, &banner, &refresh);

    {
        let storage = storage.clone();
        let persistent = persistent.clone();
        let banner = banner.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let blocked = Rc::new(Cell::new(false));
                let on_blocked = {
                    let (blocked, banner) = (blocked.clone(), banner.clone());
                    move || {
                        blocked.set(true);
                        banner.set(Some(BLOCKED.into()));
                    }
                };
                let opened = Storage::open_named(storage::DB_NAME, on_blocked).await;
                if blocked.get() {
                    banner.set(None);
                }
                match opened {
                    Ok(s) => {
                        storage.set(StorageState::Ready(s));
                        persistent.set(storage::persisted().await);
                    }
                    Err(e) => storage.set(StorageState::Unavailable(e.to_string())),
                }
            });
        });
    }
    {
        // Ask the browser to keep the projects (`navigator.storage.persist()`) once there is one
        // to keep: when the first project of the session is opened, not on arrival (Firefox
        // may ask the person). The home screen says whether it was granted.
        let persistent = persistent.clone();
        let asked = use_mut_ref(|| false);
        let ready = matches!(*storage, StorageState::Ready(_));
        use_effect_with(open.is_some() && ready, move |&opened| {
            if opened && !asked.replace(true) {
                spawn_local(async move {
                    if let Some(granted) = storage::request_persistence().await {
                        persistent.set(Some(granted));
                    }
                });
            }
        });
    }

    // The project list, read again whenever the home screen comes back or a project changes.
    let (projects, listing) = stored::use_project_list(&storage, *refresh, &banner);

    let on_home_request = {
        let (held, busy, on_lost) = (held.clone(), busy.clone(), on_lost.clone());
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
                    let (projects, conflict) = (projects.clone(), conflict.clone());
                    spawn_local(async move {
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        match read_project_file(text).await {
                            Ok(loaded) => {
                                // Records the loader left out are shown, as when opening from
                                // browser storage.
                                if !loaded.warnings.is_empty() {
                                    banner.set(Some(format!(
                                        "Some records in {name} could not be used and were left \
                                         out: {}",
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
                    });
                }
                HomeRequest::Open(id) => {
                    let Some(store) = store else { return };
                    let (held, busy, on_lost) = (held.clone(), busy.clone(), on_lost.clone());
                    spawn_local(async move {
                        match tab_lock::try_acquire(id, on_lost).await {
                            Some(lock) => {
                                *held.borrow_mut() = Some(lock);
                                open_stored(&store, id, &open, &banner, &held).await;
                            }
                            None => busy.set(Some((id, false))),
                        }
                    });
                }
                HomeRequest::Rename(id, name) => {
                    let Some(store) = store else { return };
                    spawn_local(async move {
                        let Some(_lock) = free_lock(id, &banner).await else {
                            return;
                        };
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
                        let Some(_lock) = free_lock(id, &banner).await else {
                            return;
                        };
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

    // The address names where the researcher is (routes.rs): a project in it is opened once
    // storage is open, and again after Back/Forward while the home screen shows.
    {
        let banner = banner.clone();
        let on_open = on_home_request.clone();
        use_effect_with((*storage).clone(), move |state| {
            follow_address(state, &banner, &on_open)
        });
    }
    {
        let latest = use_latest(((*storage).clone(), open.is_some()));
        let banner = banner.clone();
        let on_open = on_home_request.clone();
        use_window_listener("popstate", move |_| {
            if let Some((state, false)) = latest.get() {
                follow_address(&state, &banner, &on_open);
            }
        });
    }

    let on_close = {
        let open = open.clone();
        let refresh = refresh.clone();
        let storage = storage.clone();
        let banner = banner.clone();
        let on_open = on_home_request.clone();
        Callback::from(move |_| {
            open.set(None);
            refresh.set(*refresh + 1);
            // Closed by Back/Forward to another project: follow the address there.
            follow_address(&storage, &banner, &on_open);
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
            let held = held.clone();
            Callback::from(move |_| {
                conflict.set(None);
                let open = open.clone();
                let banner = banner.clone();
                let project = project.clone();
                let held = held.clone();
                let Some(store) = store.clone() else { return };
                spawn_local(async move {
                    let Some(lock) = free_lock(project.id, &banner).await else { return };
                    *held.borrow_mut() = Some(lock);
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

    let busy_dialog = (*busy).map(|(id, asking)| {
        let close = {
            let busy = busy.clone();
            Callback::from(move |_| busy.set(None))
        };
        let use_here = {
            let (busy, held, open, banner, on_lost) = (
                busy.clone(),
                held.clone(),
                open.clone(),
                banner.clone(),
                on_lost.clone(),
            );
            let store = storage.storage();
            Callback::from(move |_| {
                busy.set(Some((id, true)));
                let (busy, held, open, banner, on_lost, store) = (
                    busy.clone(),
                    held.clone(),
                    open.clone(),
                    banner.clone(),
                    on_lost.clone(),
                    store.clone(),
                );
                spawn_local(async move {
                    *held.borrow_mut() = tab_lock::take_over(id, on_lost).await;
                    busy.set(None);
                    if let Some(store) = store {
                        open_stored(&store, id, &open, &banner, &held).await;
                    }
                });
            })
        };
        let name = projects
            .iter()
            .find(|p| p.id() == id)
            .map(|p| p.name())
            .unwrap_or_default();
        html! { <TabBusy name={name} {asking} on_close={close} on_use_here={use_here} /> }
    });

    let dismiss = {
        let banner = banner.clone();
        Callback::from(move |_| banner.set(None))
    };

    html! {
        <>
            {storage_banner.unwrap_or_default()}
            {conflict_dialog.unwrap_or_default()}
            {busy_dialog.unwrap_or_default()}
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
                            refreshing={listing && matches!(*storage, StorageState::Ready(_))}
                            persistent={*persistent}
                            on_request={on_home_request}
                        />
                    },
                }
            }
        </>
    }
}
