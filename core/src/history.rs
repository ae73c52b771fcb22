//! Undo and redo: a bounded stack of earlier project snapshots. Snapshots are cheap because
//! sources and coding lists are shared behind `Arc`.

use crate::action::{apply, Action, ActionError};
use crate::project::Project;

/// How many steps can be undone.
pub const HISTORY_LIMIT: usize = 200;

/// One step in the visible history.
#[derive(Clone, PartialEq, Debug)]
pub struct Step {
    /// What the step did.
    pub label: String,
    /// The project before the step.
    pub before: Project,
    /// Set for edits that merge with an immediately following edit of the same target.
    pub coalesce: Option<String>,
}

/// The undo and redo stacks of one open project.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<(String, Project)>,
}

impl History {
    /// An empty history.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `action` to `current`, recording the step. Clears the redo stack.
    pub fn apply(&mut self, current: &Project, action: Action) -> Result<Project, ActionError> {
        let label = action.label();
        let coalesce = action.coalesce_key();
        let next = apply(current, action)?;
        let merges = self.redo.is_empty()
            && coalesce.is_some()
            && self.undo.last().is_some_and(|s| s.coalesce == coalesce);
        if !merges {
            self.undo.push(Step {
                label,
                before: current.clone(),
                coalesce,
            });
        }
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(next)
    }

    /// Returns the project before the last step, or `None` if there is nothing to undo.
    pub fn undo(&mut self, current: &Project) -> Option<Project> {
        let step = self.undo.pop()?;
        self.redo.push((step.label, current.clone()));
        Some(step.before)
    }

    /// Re-does the last undone step, or `None` if there is nothing to redo.
    pub fn redo(&mut self, current: &Project) -> Option<Project> {
        let (label, after) = self.redo.pop()?;
        self.undo.push(Step {
            label,
            before: current.clone(),
            coalesce: None,
        });
        Some(after)
    }

    /// Labels of the steps that can be undone, oldest first.
    pub fn undo_labels(&self) -> impl DoubleEndedIterator<Item = &str> {
        self.undo.iter().map(|s| s.label.as_str())
    }

    /// Labels of the steps that can be redone, next first.
    pub fn redo_labels(&self) -> impl DoubleEndedIterator<Item = &str> {
        self.redo.iter().rev().map(|(l, _)| l.as_str())
    }

    /// True when there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
