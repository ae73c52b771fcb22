//! The app shell: opens browser storage, shows the home screen (projects kept in this browser)
//! or the workbench of the open project, and carries storage problems to a banner.

use crate::components::dialog::Dialog;
use crate::components::home::{Home, HomeRequest};
use crate::components::workbench::Workbench;
use crate::dom;
use crate::state::{now, BrowserIds};
use crate::storage::{self, ListedProject, Storage, StorageError};
use crate::tab_lock::{self, TabLock};
use framewise_core::persist::{self, LoadError, ProjectMeta};
use framewise_core::{apply, Action, IdSource, Project, ProjectId};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
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
    // One tab edits a project at a time (tab_lock.rs): the lock of the open project, and a
    // project another tab holds (with true while asking it to let go).
    let held = use_mut_ref(|| None::<TabLock>);
    let busy = use_state(|| None::<(ProjectId, bool)>);
    let on_lost: Rc<dyn Fn()> = {
        let (open, banner, held, store) = (
            open.clone(),
            banner.clone(),
            held.clone(),
            storage.storage(),
        );
        Rc::new(move || {
            if let (Some(lock), Some(store)) = (held.borrow_mut().take(), &store) {
                store.forget(lock.project);
            }
            open.set(None);
            banner.set(Some("Another tab took this project over while this tab was in the background, so this tab stopped editing it and wrote nothing over the newer work. Open it here again to continue.".into()));
        })
    };
    {
        // Holding the open project; a value opened without a stored read (new, demo, file)
        // takes its lock here, and closing lets go.
        let (held, on_lost) = (held.clone(), on_lost.clone());
        use_effect_with(open.as_ref().map(|o| o.project.id), move |id| {
            let holds = held.borrow().as_ref().map(|l| l.project);
            if holds != *id {
                held.borrow_mut().take();
                if let Some(id) = *id {
                    spawn_local(async move {
                        *held.borrow_mut() = tab_lock::try_acquire(id, on_lost).await;
                    });
                }
            }
        });
    }
    {
        // Another tab asks for the project this tab holds: save, close it, then let go.
        let (held, open, banner, refresh) =
            (held.clone(), open.clone(), banner.clone(), refresh.clone());
        use_effect_with((*storage).clone(), move |state| {
            let store = state.storage();
            let channel = web_sys::BroadcastChannel::new(tab_lock::CHANNEL).ok();
            let listener = channel.as_ref().map(|c| {
                gloo::events::EventListener::new(c, "message", move |e| {
                    let asked = e.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string());
                    let asked = asked.as_deref().and_then(tab_lock::released_project);
                    if asked.is_none() || held.borrow().as_ref().map(|l| l.project) != asked {
                        return;
                    }
                    let lock = held.borrow_mut().take();
                    let (store, open, banner, refresh) = (store.clone(), open.clone(), banner.clone(), refresh.clone());
                    spawn_local(async move {
                        let saved = match &store {
                            Some(s) => s.settle().await,
                            None => true,
                        };
                        if lock.as_ref().is_some_and(TabLock::is_lost) {
                            return; // taken while this tab slept: `on_lost` has said so
                        }
                        open.set(None);
                        refresh.set(*refresh + 1);
                        banner.set(Some(if saved {
                            "This project is now open in another tab, so this tab saved every change and stopped editing it. Open it here again to continue (the other tab then lets go)."
                        } else {
                            "This project is now open in another tab. This tab could not save its latest changes (see the message before), so they were not written over the other tab's work; it has stopped editing the project."
                        }.into()));
                        gloo::timers::future::TimeoutFuture::new(50).await;
                        if let Some(s) = &store {
                            s.settle().await;
                        }
                        drop(lock);
                    });
                })
            });
            move || {
                drop(listener);
                if let Some(c) = channel {
                    c.close();
                }
            }
        });
    }

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
            let (busy, held, open, banner, on_lost) = (busy.clone(), held.clone(), open.clone(), banner.clone(), on_lost.clone());
            let store = storage.storage();
            Callback::from(move |_| {
                busy.set(Some((id, true)));
                let (busy, held, open, banner, on_lost, store) = (busy.clone(), held.clone(), open.clone(), banner.clone(), on_lost.clone(), store.clone());
                spawn_local(async move {
                    *held.borrow_mut() = tab_lock::take_over(id, on_lost).await;
                    busy.set(None);
                    if let Some(store) = store {
                        open_stored(&store, id, &open, &banner, &held).await;
                    }
                });
            })
        };
        let name = projects.iter().find(|p| p.id() == id).map(|p| p.name()).unwrap_or_default();
        html! {
            <Dialog title="This project is open in another tab" on_close={close.clone()}>
                <p>{format!("“{name}” is open in another Framewise tab or window. One tab edits a project at a time, so that no change is written over another.")}</p>
                <p role="status">{if asking { "Asking the other tab to save its changes and let go…" } else { "“Use it here” asks the other tab to save and stop editing it; this tab then opens the saved project." }}</p>
                <div class="dialog-actions">
                    <button onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button class="primary" disabled={asking} onclick={use_here}>{"Use it here"}</button>
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
                            refreshing={*listing && matches!(*storage, StorageState::Ready(_))}
                            on_request={on_home_request}
                        />
                    },
                }
            }
        </>
    }
}

/// Reads a stored project (the tab holds its lock) and opens it; lets go on failure.
async fn open_stored(
    store: &Storage,
    id: ProjectId,
    open: &UseStateHandle<Option<OpenProject>>,
    banner: &UseStateHandle<Option<String>>,
    held: &Rc<RefCell<Option<TabLock>>>,
) {
    match store.open_project(id).await {
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
            }));
            return;
        }
        Ok(Err(e)) => banner.set(Some(load_problem(&e))),
        Err(e) => banner.set(Some(format!("Could not open the project: {e}"))),
    }
    held.borrow_mut().take();
}

/// The lock of a project no other tab has open (renaming, deleting or replacing it), or a
/// message saying where it is open.
async fn free_lock(id: ProjectId, banner: &UseStateHandle<Option<String>>) -> Option<TabLock> {
    let lock = tab_lock::try_acquire(id, Rc::new(|| ())).await;
    if lock.is_none() {
        banner.set(Some(
            "This project is open in another tab: close it there first.".into(),
        ));
    }
    lock
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
