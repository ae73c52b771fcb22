//! "Remove" for one coding: when a matrix summary quotes it, say which summaries first (the
//! quotes would be left broken) and ask; removing stays possible and is undoable.

use framewise_core::matrix::summaries_quoting;
use framewise_core::{CodingId, Project};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`RemoveCodingButton`].
#[derive(Properties, PartialEq)]
pub struct RemoveCodingButtonProps {
    /// The project.
    pub project: Rc<Project>,
    /// The coding.
    pub coding: CodingId,
    /// Its code's name (for the button's accessible name).
    pub name: AttrValue,
    /// Remove it.
    pub on_remove: Callback<()>,
}

/// The remove button, with the warning when summaries quote the coding.
#[component]
pub fn RemoveCodingButton(props: &RemoveCodingButtonProps) -> Html {
    let asking = use_state_eq(|| false);
    let quoted_in = summaries_quoting(&props.project, &[props.coding]);
    let remove = {
        let on_remove = props.on_remove.clone();
        let asking = asking.clone();
        let quoted = !quoted_in.is_empty();
        Callback::from(move |_: MouseEvent| {
            if quoted && !*asking {
                asking.set(true);
            } else {
                asking.set(false);
                on_remove.emit(());
            }
        })
    };
    if !*asking {
        return html! {
            <button class="danger small" onclick={remove} aria-label={format!("Remove coding {}", props.name)}>{"Remove"}</button>
        };
    }
    let keep = {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set(false))
    };
    html! {
        <div class="remove-warning" role="alert">
            <p>{match quoted_in.len() {
                1 => "A matrix summary quotes this coding:".to_string(),
                n => format!("{} quote this coding:", framewise_core::words::count(n, "matrix summary", "matrix summaries")),
            }}</p>
            <ul>{for quoted_in.iter().map(|place| html! { <li>{place}</li> })}</ul>
            <p>{"Removing it leaves the quote broken (its words stay in the summary). You can undo this (Ctrl+Z)."}</p>
            <button class="small" onclick={keep}>{"Keep coding"}</button>
            <button class="danger small" onclick={remove} aria-label={format!("Remove coding {} anyway", props.name)}>{"Remove anyway"}</button>
        </div>
    }
}
