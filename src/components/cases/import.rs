//! Importing a case table CSV: reading the file and the preview of what it changes (new cases,
//! new attributes with their inferred types, values set and cleared, problems by line);
//! confirming applies it as one undo step.

use super::{plural, Dialog};
use crate::components::dialog::{csv_problems, Dialog as Modal};
use crate::dom;
use crate::state::{now, BrowserIds};
use framewise_core::cases::{parse_case_table_csv, CaseTableImport};
use framewise_core::{Action, AttributeKind, CaseId, Project};
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ImportDialog`].
#[derive(Properties, PartialEq)]
pub(super) struct ImportProps {
    pub project: Rc<Project>,
    /// The file's name.
    pub file: String,
    pub import: Rc<CaseTableImport>,
    pub dispatch: Callback<Action>,
    pub on_close: Callback<()>,
}

/// The preview of a case table CSV: new cases, new attributes with their inferred types, how
/// many values change, and the problems by line; confirming applies it as one undo step.
#[component]
pub(super) fn ImportDialog(props: &ImportProps) -> Html {
    let project = &props.project;
    let file = &props.file;
    let import = &props.import;
    let dispatch = &props.dispatch;
    let close = props.on_close.clone();
    let new_names: HashMap<CaseId, &str> = import
        .new_cases
        .iter()
        .map(|c| (c.id, c.name.as_str()))
        .collect();
    let parent_name = |id: CaseId| {
        new_names
            .get(&id)
            .map(|n| n.to_string())
            .or_else(|| project.case(id).map(|c| c.name.clone()))
            .unwrap_or_default()
    };
    let cases = import.new_cases.iter().map(|c| {
        html! {
            <li>
                <span class="import-path">{&c.name}</span>
                if let Some(p) = c.parent {
                    <span class="muted">{format!(" (sub-case of {})", parent_name(p))}</span>
                }
            </li>
        }
    });
    let attributes = import.new_attributes.iter().map(|a| {
        let kind = match &a.kind {
            AttributeKind::Category(values) => format!("Category: {}", values.join(" | ")),
            k => k.label().to_string(),
        };
        html! { <li><span class="import-path">{&a.name}</span><span class="muted">{format!(" — {kind}")}</span></li> }
    });
    let set = import.values.iter().filter(|v| v.2.is_some()).count();
    let cleared = import.values.len() - set;
    let nothing =
        import.new_cases.is_empty() && import.new_attributes.is_empty() && import.values.is_empty();
    let confirm = {
        let dispatch = dispatch.clone();
        let close = close.clone();
        let import = import.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(import.action());
            close.emit(());
        })
    };
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    html! {
        <Modal title="Import case table" on_close={close} class="import-cases">
            <p>{format!("{file}: {} read.", plural(import.rows, "row", "rows"))}</p>
            if !import.new_cases.is_empty() {
                <h3>{format!("New cases ({})", import.new_cases.len())}</h3>
                <ul class="import-codes" aria-label="New cases">{for cases}</ul>
            }
            if !import.new_attributes.is_empty() {
                <h3>{format!("New attributes ({})", import.new_attributes.len())}</h3>
                <ul class="import-codes" aria-label="New attributes">{for attributes}</ul>
            }
            <p class="import-values">
                {format!("{} to set", plural(set, "value", "values"))}
                if cleared > 0 { {format!(", {cleared} to clear (empty cells)")} }
                {"."}
            </p>
            if !import.problems.is_empty() {
                <h3>{format!("Problems ({})", import.problems.len())}</h3>
                {csv_problems(&import.problems)}
            }
            <div class="dialog-actions">
                <button class="primary" disabled={nothing} onclick={confirm}>{"Import"}</button>
                <button onclick={cancel}>{"Cancel"}</button>
            </div>
        </Modal>
    }
}

/// The `change` handler of the "Import case table CSV…" file input: reads the file and opens
/// the preview, or says why it cannot.
pub(super) fn on_import_file(
    project: Rc<Project>,
    open: Callback<Dialog>,
    on_message: Callback<String>,
) -> Callback<Event> {
    dom::on_csv_file(
        on_message.clone(),
        move |name, text| match parse_case_table_csv(&text, &project, &mut BrowserIds, now()) {
            Ok(import) => open.emit(Dialog::Import {
                file: name,
                import: Rc::new(import),
            }),
            Err(problem) => on_message.emit(format!(
                "{name} is not a case table CSV: line {}: {}.",
                problem.line, problem.message
            )),
        },
    )
}
