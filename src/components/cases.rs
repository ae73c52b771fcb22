//! The case table: cases, sub-cases, linked sources, attributes. PLACEHOLDER: to be completed.

use framewise_core::{Action, Project, SourceId, Span};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`CasesView`].
#[derive(Properties, PartialEq)]
pub struct CasesViewProps {
    /// The project.
    pub project: Rc<Project>,
    /// Apply a change (one undo step).
    pub dispatch: Callback<Action>,
    /// Open a source scrolled to a passage, highlighted.
    pub on_open: Callback<(SourceId, Span)>,
    /// Show a message to the user.
    pub on_message: Callback<String>,
}

/// The view.
#[component]
pub fn CasesView(props: &CasesViewProps) -> Html {
    let _ = (
        &props.project,
        &props.dispatch,
        &props.on_open,
        &props.on_message,
    );
    html! { <section class="view-placeholder" aria-label="CasesView"></section> }
}
