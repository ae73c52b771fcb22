//! The codebook panel: a form to add codes, a filter box ("Filter codes") that narrows the tree
//! to matching codes and their ancestors, the compact tree (`tree`), the details editor of the
//! selected code (`details`), codebook CSV import and export (`csv`), and the one open dialog
//! (`dialogs`: delete, merge, import preview).

mod csv;
mod details;
mod dialogs;
mod tree;

use crate::components::dialog::Dialog;
use crate::components::pseudonyms::{CsvExport, CsvExportButton};
use crate::state::{now, BrowserIds};
use details::CodeDetails;
use framewise_core::preview::preview;
use framewise_core::{Action, Code, CodeCounts, CodeId, IdSource, Project};
use std::rc::Rc;
use tree::CodeTree;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`CodebookPanel`].
#[derive(Properties, PartialEq)]
pub struct CodebookProps {
    /// The project.
    pub project: Rc<Project>,
    /// Apply a change.
    pub dispatch: Callback<Action>,
    /// The code selected in the tree.
    pub selected: Option<CodeId>,
    /// Select a code.
    pub on_select: Callback<Option<CodeId>>,
    /// Show every coded segment of a code.
    pub on_retrieve: Callback<CodeId>,
    /// Show a message to the user (errors of CSV import...).
    pub on_message: Callback<String>,
    /// The "New code name" field (the workbench's `N` shortcut focuses it).
    #[prop_or_default]
    pub new_code_input: NodeRef,
}

/// "1 code", "1,234 codes": core's one way of counting in words.
pub(crate) use framewise_core::words::count as plural;

/// "12 codings · 4 sources".
pub fn counts_text(counts: CodeCounts) -> String {
    format!(
        "{} · {}",
        plural(counts.codings, "coding", "codings"),
        plural(counts.sources, "source", "sources")
    )
}

/// The codebook panel.
#[component]
pub fn CodebookPanel(props: &CodebookProps) -> Html {
    let project = props.project.clone();
    let counts = {
        let project = project.clone();
        use_memo(Rc::as_ptr(&props.project) as usize, move |_| {
            project.code_counts()
        })
    };
    let new_name = use_state(String::new);
    let as_child = use_state_eq(|| false);
    let pending = use_state(|| None::<dialogs::Dialog>);
    let filter = use_state_eq(String::new);
    let selected = props.selected.filter(|id| project.code(*id).is_some());

    let open_dialog = use_callback(pending.setter(), |d: dialogs::Dialog, setter| {
        setter.set(Some(d));
    });
    let ask_delete = {
        let open_dialog = open_dialog.clone();
        Callback::from(move |id: CodeId| open_dialog.emit(dialogs::Dialog::Delete(id)))
    };
    let on_tree_select = {
        let on_select = props.on_select.clone();
        Callback::from(move |id: CodeId| on_select.emit(Some(id)))
    };
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value());
        })
    };
    let on_filter_key = {
        let filter = filter.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && !filter.is_empty() {
                e.prevent_default();
                e.stop_propagation();
                filter.set(String::new());
            }
        })
    };
    let clear_filter = {
        let filter = filter.clone();
        Callback::from(move |_: MouseEvent| filter.set(String::new()))
    };

    // New code form.
    let on_new_input = {
        let new_name = new_name.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            new_name.set(input.value());
        })
    };
    let on_as_child = {
        let as_child = as_child.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            as_child.set(input.checked());
        })
    };
    let on_add = {
        let project = project.clone();
        let new_name = new_name.clone();
        let dispatch = props.dispatch.clone();
        let on_select = props.on_select.clone();
        let on_message = props.on_message.clone();
        let parent = if *as_child { selected } else { None };
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = new_name.trim().to_string();
            if name.is_empty() {
                return;
            }
            if project
                .children(parent)
                .any(|c| c.name.eq_ignore_ascii_case(&name))
            {
                on_message.emit(format!("There is already a code named “{name}” there."));
                return;
            }
            let code = Code::inductive(&project, BrowserIds.code_id(), name, parent, now());
            let id = code.id;
            dispatch.emit(Action::CreateCode { code });
            on_select.emit(Some(id));
            new_name.set(String::new());
        })
    };

    let on_import_file = csv::on_import_file(
        project.clone(),
        open_dialog.clone(),
        props.on_message.clone(),
    );

    let selected_name = selected
        .and_then(|s| project.code(s))
        .map(|c| c.name.clone());
    let details = selected.and_then(|s| project.code(s)).map(|code| {
        html! {
            <CodeDetails
                key={code.id.to_string()}
                project={project.clone()}
                code={code.id}
                counts={counts.get(&code.id).copied().unwrap_or_default()}
                dispatch={props.dispatch.clone()}
                on_retrieve={props.on_retrieve.clone()}
                on_ask_delete={ask_delete.clone()}
                on_ask_merge={{
                    let open_dialog = open_dialog.clone();
                    let from = code.id;
                    Callback::from(move |into: CodeId| open_dialog.emit(dialogs::Dialog::Merge { from, into }))
                }}
            />
        }
    });

    let dialog = (*pending).clone().map(|p| {
        let close = {
            let pending = pending.clone();
            Callback::from(move |_: ()| pending.set(None))
        };
        let cancel = {
            let close = close.clone();
            Callback::from(move |_: MouseEvent| close.emit(()))
        };
        match p {
            dialogs::Dialog::Delete(id) => html! {
                <dialogs::DeleteDialog project={project.clone()} code={id}
                    counts={counts.get(&id).copied().unwrap_or_default()}
                    dispatch={props.dispatch.clone()} on_select={props.on_select.clone()} on_close={close} />
            },
            dialogs::Dialog::Merge { from, into } => {
                let (Some(a), Some(b)) = (project.code(from), project.code(into)) else {
                    return Html::default();
                };
                // What the merge does, measured by applying it (core's rule, not a copy).
                let (effect, refused) = match preview(&project, Action::MergeCodes { from, into }) {
                    Ok(p) => (p.effect, None),
                    Err(e) => (Default::default(), Some(e.to_string())),
                };
                let moves = effect.codings_recoded;
                let total = moves + effect.codings_removed.len();
                let children = effect.codes_moved.iter().filter(|id| **id != into).count();
                let confirm = {
                    let dispatch = props.dispatch.clone();
                    let on_select = props.on_select.clone();
                    let close = close.clone();
                    Callback::from(move |_: MouseEvent| {
                        dispatch.emit(Action::MergeCodes { from, into });
                        on_select.emit(Some(into));
                        close.emit(());
                    })
                };
                html! {
                    <Dialog title="Merge codes" on_close={close}>
                        <p>{format!("Merge “{}” into “{}”?", a.name, b.name)}</p>
                        <p class="merge-counts">
                            {format!("{} {} from “{}” to “{}”.", plural(moves, "coding", "codings"),
                                if moves == 1 { "moves" } else { "move" }, a.name, b.name)}
                            if total > moves {
                                {format!(" {} already coded with “{}” will be combined.",
                                    plural(total - moves, "passage", "passages"), b.name)}
                            }
                        </p>
                        if children > 0 {
                            <p>{format!("Its {} under “{}”.", plural(children, "child code moves", "child codes move"), b.name)}</p>
                        }
                        if let Some(e) = &refused {
                            <p class="error" role="alert">{format!("Cannot merge them: {e}. Rename one of the two codes first.")}</p>
                        } else {
                            <p>{format!("“{}” is then removed from the codebook. You can undo this with Ctrl+Z.", a.name)}</p>
                        }
                        <div class="dialog-actions">
                            <button class="primary" onclick={confirm} disabled={refused.is_some()}>{"Merge"}</button>
                            <button onclick={cancel}>{"Cancel"}</button>
                        </div>
                    </Dialog>
                }
            }
            dialogs::Dialog::Import(import) => html! {
                <csv::ImportDialog {import} dispatch={props.dispatch.clone()} on_close={close} />
            },
        }
    });

    let has_codes = !project.codes.is_empty();
    html! {
        <div class="codebook">
            <form class="new-code" onsubmit={on_add} aria-label="New code">
                <div class="new-code-row">
                    <input
                        ref={props.new_code_input.clone()}
                        type="text"
                        aria-label="New code name"
                        placeholder="New code name (N)"
                        value={(*new_name).clone()}
                        oninput={on_new_input}
                    />
                    <button type="submit" disabled={new_name.trim().is_empty()}>{"Add code"}</button>
                </div>
                <label class="as-child">
                    <input type="checkbox" checked={*as_child && selected.is_some()}
                        disabled={selected.is_none()} onchange={on_as_child} />
                    {match &selected_name {
                        Some(n) => format!("as child of “{n}”"),
                        None => "as child of selected".to_string(),
                    }}
                </label>
            </form>
            <div class="codebook-tools">
                <label class="button file-button small">
                    {"Import codebook CSV…"}
                    <input type="file" class="visually-hidden" accept=".csv,text/csv"
                        aria-label="Import codebook CSV" onchange={on_import_file} />
                </label>
                <CsvExportButton class="small" project={project.clone()} export={CsvExport::Codebook}
                    label="Export codebook CSV" disabled={!has_codes}
                    dispatch={props.dispatch.clone()} on_message={props.on_message.clone()} />
            </div>
            if has_codes {
                <div class="code-filter" role="search">
                    <input type="search" aria-label="Filter codes" placeholder="Filter codes"
                        value={(*filter).clone()} oninput={on_filter} onkeydown={on_filter_key} />
                    if !filter.is_empty() {
                        // Out of the tab order: Esc in the box clears it too.
                        <button class="small" tabindex="-1" aria-label="Clear the filter" title="Clear the filter (Esc)" onclick={clear_filter}>{"×"}</button>
                    }
                </div>
                <CodeTree project={project.clone()} counts={counts.clone()} {selected}
                    filter={(*filter).clone()} dispatch={props.dispatch.clone()}
                    on_select={on_tree_select} on_retrieve={props.on_retrieve.clone()}
                    on_ask_delete={ask_delete.clone()} />
            } else {
                <ul role="tree" aria-label="Codebook" class="code-tree"></ul>
                <p class="empty-state">
                    {"No codes yet. Add your first code above, import a framework from CSV (name, description, parent), or select text and type a new code name."}
                </p>
            }
            {details.unwrap_or_default()}
            {dialog.unwrap_or_default()}
        </div>
    }
}
