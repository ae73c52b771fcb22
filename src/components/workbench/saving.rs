//! Persistence of the open project: every new project value goes to `storage::Saver` (which
//! writes only what changed), a failing save raises a banner until a save succeeds again, and
//! the pending changes are written at once when the tab is hidden or closed. The save status
//! is shown by its own small component ([`SaveStatusLine`]): a status change (twice per save)
//! re-renders that line only, not the workbench (~10 ms each at study scale, issue 12's "save
//! one edit: < 5 ms of main-thread time").

use crate::app::OpenProject;
use crate::hooks::use_document_listener;
use crate::state::now;
use crate::storage::{SaveStatus, Saver, Storage};
use framewise_core::persist;
use framewise_core::Project;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The saver (none without browser storage) and the save status.
pub struct Saving {
    /// The saver.
    pub saver: Rc<Option<Saver>>,
    /// Its status, shown by [`SaveStatusLine`].
    pub status: StatusLine,
}

/// The save status, shared by the saver and the [`SaveStatusLine`] that shows it (and asks to
/// be told when it changes). Equal by identity: one per open project.
#[derive(Clone, Default)]
pub struct StatusLine(Rc<StatusInner>);

#[derive(Default)]
struct StatusInner {
    status: RefCell<Option<SaveStatus>>,
    /// Re-renders the line showing it.
    shown_by: RefCell<Option<Callback<()>>>,
}

impl PartialEq for StatusLine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl StatusLine {
    /// Records `status`; the line is re-rendered only when its text changes.
    fn set(&self, status: SaveStatus) {
        let before = self.0.status.replace(Some(status));
        let after = self.0.status.borrow();
        if before.as_ref().map(|s| text(s, true)) == after.as_ref().map(|s| text(s, true)) {
            return;
        }
        drop(after);
        let shown_by = self.0.shown_by.borrow().clone();
        if let Some(render) = shown_by {
            render.emit(());
        }
    }
}

/// The status line's words.
fn text(status: &SaveStatus, stored: bool) -> &'static str {
    match status {
        SaveStatus::Saving => "Saving…",
        SaveStatus::Saved { .. } if stored => "Saved in this browser",
        SaveStatus::Saved { .. } => "Not stored: save to file",
        SaveStatus::Failed(_) => "Not saved!",
    }
}

/// Props of [`SaveStatusLine`].
#[derive(Properties, PartialEq)]
pub struct SaveStatusLineProps {
    /// The status shown.
    pub line: StatusLine,
    /// True when the project is kept in browser storage.
    pub stored: bool,
}

/// The save status ("Saving…", "Saved in this browser", "Not saved!"), a live region.
#[component]
pub fn SaveStatusLine(props: &SaveStatusLineProps) -> Html {
    let update = use_force_update();
    use_effect_with(props.line.clone(), move |line| {
        *line.0.shown_by.borrow_mut() = Some(Callback::from(move |()| update.force_update()));
        let line = line.clone();
        move || {
            line.0.shown_by.borrow_mut().take();
        }
    });
    let status = props.line.0.status.borrow();
    let words = text(
        status.as_ref().unwrap_or(&SaveStatus::Saved { bytes: 0 }),
        props.stored,
    );
    html! { <span class="save-status" role="status" aria-live="polite">{words}</span> }
}

/// Saves every new value of `project`.
#[hook]
pub fn use_saver(
    storage: Option<Storage>,
    open: OpenProject,
    project: Rc<Project>,
    on_banner: Callback<Option<String>>,
) -> Saving {
    let status = use_memo((), |_| StatusLine::default());
    let meta = open.meta;
    let saver = {
        let status = (*status).clone();
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
