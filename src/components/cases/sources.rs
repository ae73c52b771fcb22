//! Linking cases and sources: one case per ticked source ("Cases from sources…"), and the
//! sources of one case ("Link sources…").

use super::dialogs::{case_options, select_value};
use super::plural;
use crate::components::dialog::Dialog as Modal;
use crate::state::{now, BrowserIds};
use framewise_core::cases::cases_from_sources;
use framewise_core::{Action, CaseId, Project, SourceId};
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`FromSourcesDialog`].
#[derive(Properties, PartialEq)]
pub(super) struct FromSourcesProps {
    pub project: Rc<Project>,
    pub dispatch: Callback<Action>,
    pub on_close: Callback<()>,
}

/// One case per ticked source.
#[component]
pub(super) fn FromSourcesDialog(props: &FromSourcesProps) -> Html {
    let project = &props.project;
    let linked: HashMap<SourceId, &str> = project
        .cases
        .iter()
        .flat_map(|c| c.sources.iter().map(move |s| (*s, c.name.as_str())))
        .collect();
    // Sources not yet in a case start ticked.
    let chosen = {
        let initial: Vec<SourceId> = project
            .sources
            .iter()
            .filter(|s| !linked.contains_key(&s.id))
            .map(|s| s.id)
            .collect();
        use_state(move || initial)
    };
    let rows = project.case_tree();
    let parent_field = use_node_ref();
    let boxes = project.sources.iter().map(|s| {
        let id = s.id;
        let onchange = toggle_source(&chosen, id);
        html! {
            <li key={id.to_string()}>
                <label class="check">
                    <input type="checkbox" checked={chosen.contains(&id)} {onchange} />
                    <span>{&s.name}</span>
                    <span class="muted">{s.kind.label()}</span>
                    if let Some(case) = linked.get(&id) {
                        <span class="muted">{format!("(already in {case})")}</span>
                    }
                </label>
            </li>
        }
    });
    let n = chosen.len();
    let onsubmit = {
        let project = props.project.clone();
        let chosen = chosen.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let parent_field = parent_field.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let parent = CaseId::parse(&select_value(&parent_field));
            // In project order, whatever the order of ticking.
            let ids: Vec<SourceId> = project
                .sources
                .iter()
                .map(|s| s.id)
                .filter(|s| chosen.contains(s))
                .collect();
            let mut cases = cases_from_sources(&project, &ids, &mut BrowserIds, now());
            for case in cases.iter_mut() {
                case.parent = parent;
            }
            if !cases.is_empty() {
                dispatch.emit(Action::AddCases { cases });
            }
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <Modal title="Cases from sources" on_close={props.on_close.clone()}>
            <form {onsubmit}>
                <p>{"One case per ticked source, named after it and linked to it."}</p>
                <ul class="check-list" aria-label="Sources">{for boxes}</ul>
                if !rows.is_empty() {
                    <label>
                        {"Create them as sub-cases of"}
                        <select ref={parent_field}>{case_options(project, &rows, None, "— none (top-level cases)")}</select>
                    </label>
                }
                <div class="dialog-actions">
                    <button type="submit" class="primary" disabled={n == 0}>{format!("Create {}", plural(n, "case", "cases"))}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Modal>
    }
}

/// Props of [`SourcesDialog`].
#[derive(Properties, PartialEq)]
pub(super) struct SourcesProps {
    pub project: Rc<Project>,
    pub case: CaseId,
    pub dispatch: Callback<Action>,
    pub on_close: Callback<()>,
}

/// Link sources to a case.
#[component]
pub(super) fn SourcesDialog(props: &SourcesProps) -> Html {
    let project = &props.project;
    let initial = project
        .case(props.case)
        .map(|c| c.sources.clone())
        .unwrap_or_default();
    let chosen = {
        let initial = initial.clone();
        use_state(move || initial)
    };
    let Some(case) = project.case(props.case) else {
        return Html::default();
    };
    let others: HashMap<SourceId, &str> = project
        .cases
        .iter()
        .filter(|c| c.id != case.id)
        .flat_map(|c| c.sources.iter().map(move |s| (*s, c.name.as_str())))
        .collect();
    let boxes = project.sources.iter().map(|s| {
        let id = s.id;
        let onchange = toggle_source(&chosen, id);
        html! {
            <li key={id.to_string()}>
                <label class="check">
                    <input type="checkbox" checked={chosen.contains(&id)} {onchange} />
                    <span>{&s.name}</span>
                    if let Some(other) = others.get(&id) {
                        <span class="muted">{format!("(also in {other})")}</span>
                    }
                </label>
            </li>
        }
    });
    let onsubmit = {
        let chosen = chosen.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let id = case.id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Keep the order of sources already linked; new ones follow in ticking order.
            let mut sources: Vec<SourceId> = initial
                .iter()
                .copied()
                .filter(|s| chosen.contains(s))
                .collect();
            sources.extend(chosen.iter().copied().filter(|s| !initial.contains(s)));
            if sources != initial {
                dispatch.emit(Action::SetCaseSources { id, sources });
            }
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <Modal title={format!("Sources of {}", case.name)} on_close={props.on_close.clone()}>
            <form {onsubmit}>
                if project.sources.is_empty() {
                    <p class="empty-state">{"No sources yet: import transcripts first."}</p>
                }
                <ul class="check-list" aria-label="Sources">{for boxes}</ul>
                <div class="dialog-actions">
                    <button type="submit" class="primary">{"Save sources"}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Modal>
    }
}

/// A checkbox's `onchange` that adds or removes `id` in the chosen sources.
fn toggle_source(chosen: &UseStateHandle<Vec<SourceId>>, id: SourceId) -> Callback<Event> {
    let chosen = chosen.clone();
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let mut next: Vec<SourceId> = (*chosen).clone();
        next.retain(|x| *x != id);
        if input.checked() {
            next.push(id);
        }
        chosen.set(next);
    })
}
