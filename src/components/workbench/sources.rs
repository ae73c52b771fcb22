//! The sources pane: the list of sources, "New field notes", and the open source's details
//! (name, kind, memo, speakers, remove).

use super::ui::{Dialog, UiAction};
use crate::components::memo::MemoEditor;
use crate::components::source_edit::NewFieldNotesButton;
use crate::components::speakers::SourceSpeakers;
use crate::hooks::use_draft;
use framewise_core::{Action, Project, SourceId, SourceKind};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`SourcesPane`].
#[derive(Properties, PartialEq)]
pub struct SourcesPaneProps {
    /// The project.
    pub project: Rc<Project>,
    /// The open source.
    pub current: Option<SourceId>,
    /// Apply a change.
    pub dispatch: Callback<Action>,
    /// Change the UI state.
    pub ui: Callback<UiAction>,
}

/// The sources pane.
#[component]
pub fn SourcesPane(props: &SourcesPaneProps) -> Html {
    let project = &props.project;
    let items = project.sources.iter().map(|s| {
        let id = s.id;
        let active = Some(id) == props.current;
        let onclick = {
            let ui = props.ui.clone();
            Callback::from(move |_| ui.emit(UiAction::OpenSource(id)))
        };
        html! {
            <li key={id.to_string()}>
                <button class={classes!("source-item", active.then_some("active"))} aria-current={active.then_some("true")} {onclick}>
                    <span class="source-name">{&s.name}</span>
                    <span class="source-meta">{format!("{} · {}", s.kind.label(), framewise_core::words::count(project.codings_of(id).len(), "coding", "codings"))}</span>
                </button>
            </li>
        }
    });
    let on_created = {
        let ui = props.ui.clone();
        Callback::from(move |id: SourceId| ui.emit(UiAction::Created(id)))
    };
    html! {
        <>
            <h2>{format!("Sources ({})", project.sources.len())}</h2>
            <NewFieldNotesButton dispatch={props.dispatch.clone()} {on_created} />
            if project.sources.is_empty() {
                <p class="empty-state">{"Import transcripts or field notes to begin."}</p>
            }
            <ul class="source-list">{for items}</ul>
            if let Some(id) = props.current.filter(|id| project.source(*id).is_some()) {
                <SourceDetails project={props.project.clone()} source={id} dispatch={props.dispatch.clone()} ui={props.ui.clone()} />
            }
        </>
    }
}

/// Props of [`SourceDetails`].
#[derive(Properties, PartialEq)]
pub struct SourceDetailsProps {
    /// The project.
    pub project: Rc<Project>,
    /// The source shown.
    pub source: SourceId,
    /// Apply a change.
    pub dispatch: Callback<Action>,
    /// Change the UI state.
    pub ui: Callback<UiAction>,
}

/// The open source's name, kind, memo, speakers and "Remove source…".
#[component]
pub fn SourceDetails(props: &SourceDetailsProps) -> Html {
    let name_draft = use_draft::<SourceId>();
    let Some(s) = props.project.source(props.source) else {
        return html! {};
    };
    let id = s.id;
    let on_kind = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(kind) = SourceKind::from_key(&select.value()) {
                dispatch.emit(Action::SetSourceKind { id, kind });
            }
        })
    };
    let on_memo = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |memo: String| dispatch.emit(Action::SetSourceMemo { id, memo }))
    };
    let kinds = SourceKind::ALL.iter().map(|k| {
        html! {
            <option value={k.key()} selected={*k == s.kind}>{k.label()}</option>
        }
    });
    let on_rename = {
        let dispatch = props.dispatch.clone();
        let old = s.name.clone();
        let draft = name_draft.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            draft.clear();
            let name = input.value();
            if name.trim().is_empty() {
                input.set_value(&old);
            } else if name.trim() != old {
                dispatch.emit(Action::RenameSource { id, name });
            }
        })
    };
    let ask_remove = {
        let ui = props.ui.clone();
        Callback::from(move |_| ui.emit(UiAction::Open(Dialog::RemoveSource(id))))
    };
    html! {
        <section class="source-details" aria-label="Source details">
            <label>{"Name"}<input key={format!("name-{id}")} value={name_draft.shown(&id, &s.name)} oninput={name_draft.oninput(id)} onchange={on_rename} aria-label="Source name" /></label>
            <label>{"Kind"}<select onchange={on_kind} aria-label="Source kind">{for kinds}</select></label>
            <MemoEditor label={format!("Memo on {}", s.name)} value={s.memo.clone()} on_commit={on_memo} />
            <SourceSpeakers project={props.project.clone()} source={id} dispatch={props.dispatch.clone()} />
            <button class="danger small" onclick={ask_remove}>{"Remove source…"}</button>
        </section>
    }
}
