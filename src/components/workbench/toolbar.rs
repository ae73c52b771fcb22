//! The workbench toolbar, one row at 1280 px: back to projects, the project's name, import,
//! undo/redo, history, save to file, export, the active coder and the save status stay visible; the rare actions
//! (project memo, pseudonymise, reading mode, keyboard shortcuts) are in the "More" menu.

use super::dialogs::HISTORY_PANEL_ID;
use super::importing::{on_file_input, Importer};
use super::saving::{SaveStatusLine, StatusLine};
use super::ui::{Dialog, Ui, UiAction};
use crate::components::import::{accept_attr, limits_note};
use crate::components::menu::{MenuButton, MenuItem};
use crate::components::pseudonyms::SaveToFile;
use crate::components::refi::RefiMenu;
use framewise_core::{Action, Project};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Toolbar`].
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The project.
    pub project: Rc<Project>,
    /// The UI state.
    pub ui: Rc<Ui>,
    /// Change the UI state.
    pub ui_dispatch: Callback<UiAction>,
    /// Apply a change.
    pub dispatch: Callback<Action>,
    /// Import files.
    pub importer: Importer,
    /// Whether undo / redo can do something.
    pub can_undo: bool,
    /// See `can_undo`.
    pub can_redo: bool,
    /// Undo one step.
    pub on_undo: Callback<()>,
    /// Redo one step.
    pub on_redo: Callback<()>,
    /// Back to the project list.
    pub on_close: Callback<()>,
    /// Show a message in the app banner.
    pub on_banner: Callback<Option<String>>,
    /// The save status.
    pub status: StatusLine,
    /// True when the project is kept in browser storage (the status line's words).
    pub stored: bool,
    /// The active coder's name (the coder button shows it).
    pub coder: AttrValue,
    /// The coder button's accessible name: who is coding, whose codings are shown.
    pub coder_label: AttrValue,
    /// Some coders' codings are hidden (the button is marked).
    pub coder_filtered: bool,
}

/// The toolbar.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let emit = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let toggle = |dialog: Dialog| {
        let ui = props.ui_dispatch.clone();
        Callback::from(move |_: MouseEvent| ui.emit(UiAction::Toggle(dialog.clone())))
    };
    let dialog = props.ui.dialog.as_ref();
    let history_open = matches!(dialog, Some(Dialog::History));
    let item = |label: &'static str, action: fn() -> UiAction| {
        let ui = props.ui_dispatch.clone();
        MenuItem {
            label: label.into(),
            on_select: Callback::from(move |_| ui.emit(action())),
        }
    };
    let more = vec![
        item("Project memo", || UiAction::Open(Dialog::ProjectMemo)),
        item("Pseudonymise…", || UiAction::Open(Dialog::Pseudonyms)),
        item("Save a copy to hand over (encrypted)…", || {
            UiAction::Open(Dialog::Share)
        }),
        item("Reading mode (hide both panels)", || UiAction::ReadingMode),
        item("Keyboard shortcuts", || UiAction::Open(Dialog::Help)),
    ];
    html! {
        <header class="toolbar">
            <button onclick={emit(&props.on_close)} aria-label="Back to projects">{"← Projects"}</button>
            <h1 class="project-name">{&props.project.name}</h1>
            <label class="button primary file-button" title={limits_note()}>
                {"Import sources…"}
                <input type="file" multiple=true accept={accept_attr()} onchange={on_file_input(&props.importer)} class="visually-hidden" aria-label="Import sources" aria-description={limits_note()} />
            </label>
            <button onclick={emit(&props.on_undo)} disabled={!props.can_undo} aria-label="Undo" title="Undo (Ctrl+Z)">{"↶ Undo"}</button>
            <button onclick={emit(&props.on_redo)} disabled={!props.can_redo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">{"↷ Redo"}</button>
            <button onclick={toggle(Dialog::History)} aria-expanded={history_open.to_string()} aria-controls={HISTORY_PANEL_ID}>{"History"}</button>
            <SaveToFile project={props.project.clone()} dispatch={props.dispatch.clone()} on_banner={props.on_banner.clone()} />
            <RefiMenu project={props.project.clone()} dispatch={props.dispatch.clone()} />
            <button onclick={toggle(Dialog::Coders)} class={classes!("coder-button", props.coder_filtered.then_some("filtered"))}
                aria-label={props.coder_label.clone()} title={format!("{} (switch coder, choose whose codings are shown)", props.coder_label)}>{props.coder.clone()}</button>
            <MenuButton label="More" items={more} />
            <SaveStatusLine line={props.status.clone()} stored={props.stored} />
        </header>
    }
}
