//! Coders: the active coder (whose name every new coding keeps), shown and switched from the
//! toolbar, and which coders' codings the reading view, retrieval and the framework matrix
//! counts show (all, one, or a chosen set), with coding stripes labelled by coder when asked.

use crate::components::dialog::Dialog as Modal;
use crate::hooks::ByPointer;
use crate::state::store_coder;
use framewise_core::sort::Gather;
use framewise_core::Project;
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Which coders' codings are shown, and whether stripes name their coder.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct CoderView {
    /// `None`: every coder's codings; else only these coders'.
    pub only: Option<Rc<BTreeSet<String>>>,
    /// Coding stripes in the reading view say who coded (“Pain · Ana”).
    pub label: bool,
}

impl CoderView {
    /// Whether some coders' codings are hidden.
    pub fn filters(&self) -> bool {
        self.only.is_some()
    }
}

/// The project as shown under `view`: the same `Rc` when every coder is shown, else a value
/// with the other coders' codings left out ([`Project::only_coders`]), made once per project
/// value and filter.
#[hook]
pub fn use_shown(project: &Rc<Project>, view: &CoderView) -> Rc<Project> {
    let key = (ByPointer(project.clone()), view.only.clone());
    (*use_memo(key, |(project, only)| match only {
        None => project.0.clone(),
        Some(only) => Rc::new(project.0.only_coders(only)),
    }))
    .clone()
}

/// What the toolbar's coder button says: who is coding, and how many coders are shown.
pub fn button_label(coder: Option<&str>, view: &CoderView) -> String {
    let who = coder.unwrap_or("not set");
    match &view.only {
        None => format!("Coder: {who}"),
        Some(only) => format!("Coder: {who} · showing {}", shown_list(only)),
    }
}

fn shown_list(only: &BTreeSet<String>) -> String {
    match only.len() {
        0 => "no coders".into(),
        1 | 2 => only.iter().cloned().collect::<Vec<_>>().join(" and "),
        n => format!("{n} coders"),
    }
}

/// Props of [`CodersDialog`].
#[derive(Properties, PartialEq)]
pub struct CodersDialogProps {
    /// The project (its coders).
    pub project: Rc<Project>,
    /// The active coder.
    pub coder: Option<AttrValue>,
    /// What is shown now.
    pub view: CoderView,
    /// A new active coder.
    pub on_coder: Callback<String>,
    /// A new choice of coders shown.
    pub on_view: Callback<CoderView>,
    /// Close the dialog.
    pub on_close: Callback<()>,
}

/// "Coders": switch the active coder, choose whose codings are shown.
#[component]
pub fn CodersDialog(props: &CodersDialogProps) -> Html {
    let mut coders = props.project.coders();
    if let Some(me) = &props.coder {
        if !coders.iter().any(|c| c == me.as_str()) {
            coders.push(me.to_string());
            framewise_core::sort::sort(&mut coders);
        }
    }
    let input = use_node_ref();
    let on_switch = {
        let input = input.clone();
        let on_coder = props.on_coder.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(field) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let name = field.value().trim().to_string();
            if !name.is_empty() {
                store_coder(&name);
                on_coder.emit(name);
            }
        })
    };
    let view = props.view.clone();
    let set_all = {
        let on_view = props.on_view.clone();
        let view = view.clone();
        Callback::from(move |_: Event| {
            on_view.emit(CoderView {
                only: None,
                ..view.clone()
            })
        })
    };
    let everyone: BTreeSet<String> = coders.iter().cloned().to_set();
    let set_some = {
        let on_view = props.on_view.clone();
        let view = view.clone();
        let everyone = everyone.clone();
        Callback::from(move |_: Event| {
            if view.only.is_none() {
                on_view.emit(CoderView {
                    only: Some(Rc::new(everyone.clone())),
                    ..view.clone()
                })
            }
        })
    };
    let boxes = coders.iter().map(|name| {
        let shown = view.only.as_ref().is_none_or(|only| only.contains(name));
        let onchange = {
            let on_view = props.on_view.clone();
            let view = view.clone();
            let everyone = everyone.clone();
            let name = name.clone();
            Callback::from(move |e: Event| {
                let checked = e
                    .target_dyn_into::<HtmlInputElement>()
                    .is_some_and(|i| i.checked());
                let mut only = view.only.as_deref().cloned().unwrap_or_else(|| everyone.clone());
                if checked {
                    only.insert(name.clone());
                } else {
                    only.remove(&name);
                }
                on_view.emit(CoderView {
                    only: Some(Rc::new(only)),
                    ..view.clone()
                })
            })
        };
        html! {
            <li><label><input type="checkbox" checked={shown} disabled={view.only.is_none()} {onchange} />{" "}{name}</label></li>
        }
    });
    let on_label = {
        let on_view = props.on_view.clone();
        let view = view.clone();
        Callback::from(move |e: Event| {
            let label = e
                .target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            on_view.emit(CoderView {
                label,
                ..view.clone()
            })
        })
    };
    let current = props.coder.clone().unwrap_or_default();
    html! {
        <Modal title="Coders" on_close={props.on_close.clone()}>
            <form onsubmit={on_switch} class="coder-switch">
                <p>{"Every coding keeps the name of the coder who made it. New codings are made as:"}</p>
                <label for="active-coder">{"Coding as"}</label>
                <input id="active-coder" ref={input} value={current} autocomplete="off" />
                <button type="submit">{"Switch coder"}</button>
            </form>
            <fieldset class="coder-filter">
                <legend>{"Show codings of"}</legend>
                <label><input type="radio" name="coders-shown" checked={view.only.is_none()} onchange={set_all} />{" All coders"}</label>
                <label><input type="radio" name="coders-shown" checked={view.only.is_some()} onchange={set_some} />{" Only the coders ticked below"}</label>
                if coders.is_empty() {
                    <p class="muted">{"No codings yet."}</p>
                } else {
                    <ul class="plain-list" aria-label="Coders">{for boxes}</ul>
                }
                <p class="muted">{"Applies to the reading view, coded segments (retrieval) and framework matrix counts. New codings are always made as the active coder."}</p>
            </fieldset>
            <label><input type="checkbox" checked={view.label} onchange={on_label} />{" Label coding stripes with the coder’s name"}</label>
            <div class="dialog-actions"><button class="primary" onclick={let c = props.on_close.clone(); move |_| c.emit(())}>{"Done"}</button></div>
        </Modal>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_button_says_who_codes_and_whom_it_shows() {
        let all = CoderView::default();
        assert_eq!(button_label(Some("Ana"), &all), "Coder: Ana");
        assert_eq!(button_label(None, &all), "Coder: not set");
        let one = CoderView {
            only: Some(Rc::new(["Ben".to_string()].into_iter().collect())),
            label: false,
        };
        assert_eq!(button_label(Some("Ana"), &one), "Coder: Ana · showing Ben");
        let three = CoderView {
            only: Some(Rc::new(
                ["A", "B", "C"].iter().map(|s| s.to_string()).collect(),
            )),
            label: true,
        };
        assert_eq!(
            button_label(Some("A"), &three),
            "Coder: A · showing 3 coders"
        );
    }
}
