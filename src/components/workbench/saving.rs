//! Persistence of the open project: every new project value goes to `storage::Saver` (which
//! writes only what changed), a failing save raises a banner until a save succeeds again, and
//! the pending changes are written at once when the tab is hidden or closed.

use crate::app::OpenProject;
use crate::hooks::use_document_listener;
use crate::state::now;
use crate::storage::{SaveStatus, Saver, Storage};
use framewise_core::persist;
use framewise_core::Project;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// The saver (none without browser storage) and the save status.
pub struct Saving {
    /// The saver.
    pub saver: Rc<Option<Saver>>,
    /// Its last status.
    pub status: SaveStatus,
}

/// Saves every new value of `project`.
#[hook]
pub fn use_saver(
    storage: Option<Storage>,
    open: OpenProject,
    project: Rc<Project>,
    on_banner: Callback<Option<String>>,
) -> Saving {
    let status = use_state(|| SaveStatus::Saved { bytes: 0 });
    let meta = open.meta;
    let saver = {
        let status = status.clone();
        use_memo((), move |_| {
            storage.map(|s| {
                // The failure banner stays until a save succeeds again, then clears itself.
                let failed = Rc::new(Cell::new(false));
                let on_status = Callback::from(move |st: SaveStatus| {
                    match &st {
                        SaveStatus::Failed(e) => {
                            failed.set(true);
                            on_banner.emit(Some(format!(
                                "Your latest changes are NOT saved in this browser: {e}. Keep this tab open and use “Save to file”."
                            )));
                        }
                        SaveStatus::Saved { .. } if failed.replace(false) => on_banner.emit(None),
                        _ => {}
                    }
                    status.set(st);
                });
                Saver::new(s, open.stored.then(|| (*open.project).clone()), move |st| {
                    on_status.emit(st)
                })
            })
        })
    };
    {
        let saver = saver.clone();
        let first = use_mut_ref(|| true);
        use_effect_with(project, move |p| {
            // The project as opened needs saving only if it is not stored yet (new, demo, file)
            // or its "last opened" time changed; after that, every change is saved.
            if let Some(s) = saver.as_ref() {
                let modified = if first.replace(false) {
                    meta.modified
                } else {
                    now()
                };
                s.project_changed(p, persist::ProjectMeta { modified, ..meta });
            }
        });
    }
    {
        // Save at once when the tab is hidden or closed.
        let saver = saver.clone();
        use_document_listener("visibilitychange", true, move |_| {
            if let Some(s) = saver.as_ref() {
                s.flush();
            }
        });
    }
    Saving {
        saver,
        status: (*status).clone(),
    }
}
