//! Stored projects as the shell lists, opens and renames them: the home screen's list (read
//! again on request, busy until the newest read answers), reading a project this tab holds the
//! lock of (the loader's warnings as a banner; the lock let go on failure), and renaming one
//! from the home screen (read, apply, write the diff).

use super::{OpenProject, StorageState};
use crate::components::tab_busy::Held;
use crate::state::now;
use crate::storage::{ListedProject, Storage, StorageError};
use framewise_core::persist::{self, LoadError, ProjectMeta};
use framewise_core::{apply, Action, ProjectId};
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The projects kept in this browser, read again whenever `refresh` changes (the home screen
/// comes back, a project is renamed or deleted), and `true` until the newest read has answered
/// (the shown list may be out of date); an older read that answers late is ignored.
#[hook]
pub(super) fn use_project_list(
    storage: &StorageState,
    refresh: u32,
    banner: &UseStateHandle<Option<String>>,
) -> (UseStateHandle<Vec<ListedProject>>, bool) {
    let projects = use_state(Vec::<ListedProject>::new);
    let listing = use_state(|| true);
    let list_generation = crate::hooks::use_generation();
    {
        let projects = projects.clone();
        let banner = banner.clone();
        let listing = listing.clone();
        let list_generation = list_generation.clone();
        use_effect_with((storage.clone(), refresh), move |(state, _)| {
            if let StorageState::Ready(s) = state.clone() {
                let ticket = list_generation.begin();
                listing.set(true);
                spawn_local(async move {
                    let result = s.list_projects().await;
                    if !ticket.is_current() {
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
    (projects, *listing)
}

/// Reads a stored project (the tab holds its lock) and opens it; lets go on failure.
pub(super) async fn open_stored(
    store: &Storage,
    id: ProjectId,
    open: &UseStateHandle<Option<OpenProject>>,
    banner: &UseStateHandle<Option<String>>,
    held: &Held,
) {
    match store.open_project(id).await {
        Ok(Ok(loaded)) => {
            // This project's own warnings, or none: a warning about the project opened before
            // must not stay over this one.
            banner.set((!loaded.warnings.is_empty()).then(|| {
                format!(
                    "Some stored records could not be used and were left untouched: {}",
                    loaded.warnings.join("; ")
                )
            }));
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

fn load_problem(e: &LoadError) -> String {
    format!("This project cannot be opened. {e}")
}

/// Renames a stored project (one the home screen lists, not open in any tab).
pub(super) async fn rename_stored(
    store: &Storage,
    id: ProjectId,
    name: String,
) -> Result<(), String> {
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
