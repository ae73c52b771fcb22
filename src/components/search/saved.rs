//! Saved searches of the search view (saved in the project, one undo step each).

use framewise_core::model::query::SavedQuery;
use framewise_core::search::{SearchOptions, SearchScope};
use framewise_core::{Action, Project, QueryId};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`SavedSearches`].
#[derive(Properties, PartialEq)]
pub(super) struct SavedSearchesProps {
    pub(super) project: Rc<Project>,
    /// The search as it stands in the form (what "Save search" saves).
    pub(super) query: String,
    pub(super) options: SearchOptions,
    pub(super) scope: SearchScope,
    /// Run a saved search (put in the form and searched).
    pub(super) on_run: Callback<SavedQuery>,
    pub(super) dispatch: Callback<Action>,
}

/// Saved searches: run one, save the search in the form under a name (the same name replaces
/// it), delete one. Saved in the project, so they travel with its file; each change is one undo
/// step.
#[component]
pub(super) fn SavedSearches(props: &SavedSearchesProps) -> Html {
    let name = use_state(String::new);
    let chosen = use_state(|| None::<QueryId>);
    let chosen_id = chosen.filter(|id| props.project.query(*id).is_some());
    let on_pick = {
        let (chosen, name, project, on_run) = (
            chosen.clone(),
            name.clone(),
            props.project.clone(),
            props.on_run.clone(),
        );
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let saved = QueryId::parse(&value)
                .and_then(|id| project.query(id))
                .cloned();
            chosen.set(saved.as_ref().map(|q| q.id));
            if let Some(saved) = saved {
                name.set(saved.name.clone());
                on_run.emit(saved);
            }
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            name.set(input.value());
        })
    };
    let can_save = !name.trim().is_empty() && !props.query.trim().is_empty();
    let on_save = {
        let (name, chosen) = (name.clone(), chosen.clone());
        let (project, dispatch) = (props.project.clone(), props.dispatch.clone());
        let (query, options, scope) = (props.query.clone(), props.options, props.scope.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let title = name.trim().to_string();
            if title.is_empty() || query.trim().is_empty() {
                return;
            }
            // The same name (ignoring case) replaces that saved search.
            let same = project
                .queries
                .iter()
                .find(|q| q.name.to_lowercase() == title.to_lowercase());
            let saved = SavedQuery {
                id: same.map_or_else(
                    || framewise_core::IdSource::query_id(&mut crate::state::BrowserIds),
                    |q| q.id,
                ),
                name: title,
                query: query.clone(),
                options,
                scope: scope.clone(),
                created: same.map_or_else(crate::state::now, |q| q.created),
            };
            chosen.set(Some(saved.id));
            dispatch.emit(Action::SaveQuery { query: saved });
        })
    };
    let on_delete = {
        let (chosen, name, dispatch) = (chosen.clone(), name.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(id) = chosen_id {
                dispatch.emit(Action::DeleteQuery { id });
                chosen.set(None);
                name.set(String::new());
            }
        })
    };
    let saved = props.project.queries.iter().map(|q| {
        html! { <option value={q.id.to_string()} selected={chosen_id == Some(q.id)}>{&q.name}</option> }
    });
    html! {
        <form class="saved-searches" aria-label="Save or run a search" onsubmit={on_save}>
            if !props.project.queries.is_empty() {
                <span><label for="saved-search">{"Saved searches"}</label>
                    <select id="saved-search" onchange={on_pick}>
                        <option value="" selected={chosen_id.is_none()}>{"Run a saved search…"}</option>
                        {for saved}
                    </select></span>
                <button type="button" onclick={on_delete} disabled={chosen_id.is_none()}>{"Delete saved search"}</button>
            }
            <span><label for="saved-search-name">{"Name for this search"}</label>
                <input id="saved-search-name" type="text" value={(*name).clone()} oninput={on_name} autocomplete="off" /></span>
            <button type="submit" disabled={!can_save}>{"Save search"}</button>
        </form>
    }
}
