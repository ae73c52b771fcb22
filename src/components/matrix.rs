//! Framework matrices: list, build, chart (cell summaries with quote references), export. PLACEHOLDER: to be completed.

use framewise_core::{Action, Project, SourceId, Span};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`MatricesView`].
#[derive(Properties, PartialEq)]
pub struct MatricesViewProps {
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
pub fn MatricesView(props: &MatricesViewProps) -> Html {
    let _ = (
        &props.project,
        &props.dispatch,
        &props.on_open,
        &props.on_message,
    );
    html! { <section class="view-placeholder" aria-label="MatricesView"></section> }
}
