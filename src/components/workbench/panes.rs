//! The side panels' toggles and their memory: each panel collapses on its own to a thin rail
//! that keeps its name, and the choice is remembered per project (and per kind of view) in
//! `localStorage` under `framewise.panels.<project id>`. The source last open in a project is
//! remembered there too (`framewise.source.<project id>`), for addresses that do not name one
//! (a reload in the matrix view comes back to the same source in the reading view).

use super::ui::{Panels, Side};
use framewise_core::{ProjectId, SourceId};
use yew::prelude::*;

fn key(project: ProjectId) -> String {
    format!("framewise.panels.{project}")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The panels as remembered for `project` (the defaults when nothing is).
pub fn remembered(project: ProjectId) -> Panels {
    local_storage()
        .and_then(|s| s.get_item(&key(project)).ok().flatten())
        .map(|text| Panels::parse(&text))
        .unwrap_or_default()
}

/// Remembers the panels of `project` (a browser refusing storage only loses the memory).
pub fn remember(project: ProjectId, panels: Panels) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(&key(project), &panels.to_text());
    }
}

/// The source last open in `project`, if remembered.
pub fn last_source(project: ProjectId) -> Option<SourceId> {
    local_storage()
        .and_then(|s| {
            s.get_item(&format!("framewise.source.{project}"))
                .ok()
                .flatten()
        })
        .and_then(|text| SourceId::parse(&text))
}

/// Remembers the source open in `project`.
pub fn remember_source(project: ProjectId, source: SourceId) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(&format!("framewise.source.{project}"), &source.to_string());
    }
}

/// Props of [`PaneToggle`].
#[derive(Properties, PartialEq)]
pub struct PaneToggleProps {
    /// Which panel.
    pub side: Side,
    /// Whether it is open.
    pub open: bool,
    /// The `id` of the panel's content.
    pub controls: AttrValue,
    /// Toggle it.
    pub on_toggle: Callback<Side>,
}

/// The labelled toggle of a side panel: a small button in its corner when open, the whole rail
/// (with the panel's name written down it) when collapsed.
#[component]
pub fn PaneToggle(props: &PaneToggleProps) -> Html {
    let (name, hide_icon, show_icon) = match props.side {
        Side::Sources => ("Sources", "‹", "›"),
        Side::Codebook => ("Codebook", "›", "‹"),
    };
    let onclick = {
        let on_toggle = props.on_toggle.clone();
        let side = props.side;
        Callback::from(move |_: MouseEvent| on_toggle.emit(side))
    };
    let label = format!("{name} panel");
    if props.open {
        html! {
            <button type="button" class="pane-toggle" aria-label={label} aria-expanded="true"
                aria-controls={props.controls.clone()} title={format!("Collapse the {} panel", name.to_lowercase())} {onclick}>
                {hide_icon}
            </button>
        }
    } else {
        html! {
            <button type="button" class="pane-toggle pane-rail" aria-label={label} aria-expanded="false"
                aria-controls={props.controls.clone()} title={format!("Show the {} panel", name.to_lowercase())} {onclick}>
                <span aria-hidden="true">{show_icon}</span>
                <span class="rail-name" aria-hidden="true">{name}</span>
            </button>
        }
    }
}
