//! The open project as a `yew::Reducible`: the UI dispatches [`Msg`]s, core's pure `apply`
//! makes the next `Project`, and the history keeps earlier snapshots for undo.

use framewise_core::{Action, History, IdSource, Project, Timestamp};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// What the UI can ask of the open project.
pub enum Msg {
    /// Apply one change (one undo step).
    Do(Action),
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Undo back to (and including) the step at this index of the undo list.
    UndoTo(usize),
    /// Hide the last error.
    DismissError,
}

/// The open project, its history and the last error.
#[derive(Clone)]
pub struct Workspace {
    /// The current project value.
    pub project: Rc<Project>,
    /// Undo/redo stacks; shared and mutated in place so a change does not copy the history.
    pub history: Rc<RefCell<History>>,
    /// The last action that could not be applied, as a sentence.
    pub error: Option<String>,
    /// Increases on every change (cheap change detection for effects).
    pub revision: u64,
}

impl PartialEq for Workspace {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
            && Rc::ptr_eq(&self.project, &other.project)
            && self.error == other.error
    }
}

impl Workspace {
    /// A workspace for a freshly opened project, with empty history.
    pub fn new(project: Project) -> Self {
        Self {
            project: Rc::new(project),
            history: Rc::new(RefCell::new(History::new())),
            error: None,
            revision: 0,
        }
    }

    fn with(&self, project: Project, error: Option<String>) -> Rc<Self> {
        Rc::new(Self {
            project: Rc::new(project),
            history: self.history.clone(),
            error,
            revision: self.revision + 1,
        })
    }
}

impl Reducible for Workspace {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        match msg {
            Msg::Do(action) => {
                let result = self.history.borrow_mut().apply(&self.project, action);
                match result {
                    Ok(next) => self.with(next, None),
                    Err(e) => Rc::new(Self {
                        error: Some(format!("That change could not be made: {e}.")),
                        ..(*self).clone()
                    }),
                }
            }
            Msg::Undo => {
                let prev = self.history.borrow_mut().undo(&self.project);
                match prev {
                    Some(p) => self.with(p, None),
                    None => self,
                }
            }
            Msg::Redo => {
                let next = self.history.borrow_mut().redo(&self.project);
                match next {
                    Some(p) => self.with(p, None),
                    None => self,
                }
            }
            Msg::UndoTo(index) => {
                let mut project = (*self.project).clone();
                let mut history = self.history.borrow_mut();
                while history.undo_labels().count() > index {
                    match history.undo(&project) {
                        Some(p) => project = p,
                        None => break,
                    }
                }
                drop(history);
                self.with(project, None)
            }
            Msg::DismissError => Rc::new(Self {
                error: None,
                ..(*self).clone()
            }),
        }
    }
}

/// Ids from the browser's cryptographic random source.
pub struct BrowserIds;

impl IdSource for BrowserIds {
    fn next_bytes(&mut self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
            .unwrap_or(false);
        if !filled {
            for b in bytes.iter_mut() {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        bytes
    }
}

/// Now, in milliseconds since the epoch.
pub fn now() -> Timestamp {
    js_sys::Date::now() as Timestamp
}

/// The coder name kept in this browser (asked once).
pub fn stored_coder() -> Option<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("framewise.coder").ok().flatten())
        .filter(|n| !n.trim().is_empty())
}

/// Remembers the coder name in this browser.
pub fn store_coder(name: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item("framewise.coder", name);
    }
}

/// Shares a value behind `Arc` and compares by pointer, so props holding big values (a
/// transcript, a coding list) compare in O(1).
#[derive(Debug)]
pub struct Shared<T: ?Sized>(pub std::sync::Arc<T>);

impl<T: ?Sized> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T: ?Sized> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
