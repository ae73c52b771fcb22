//! The attribute form: add an attribute (name, type, category values), or change an attribute's
//! type with a preview of the values the change would remove (core's `preview` applies the
//! change to the project and compares, so the rule lives once).

use super::dialogs::input_value;
use super::plural;
use crate::components::dialog::Dialog as Modal;
use crate::state::BrowserIds;
use framewise_core::case_table::{attribute_name_problem, kind_from_form};
use framewise_core::preview::preview;
use framewise_core::{Action, Attribute, AttributeId, AttributeKind, IdSource, Project};
use std::rc::Rc;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`AttributeDialog`].
#[derive(Properties, PartialEq)]
pub(super) struct AttributeProps {
    pub project: Rc<Project>,
    /// The attribute whose type changes, `None` to add one.
    pub attribute: Option<AttributeId>,
    pub dispatch: Callback<Action>,
    pub on_close: Callback<()>,
}

/// Add an attribute (name, type, category values), or change an attribute's type.
#[component]
pub(super) fn AttributeDialog(props: &AttributeProps) -> Html {
    let existing: Option<Attribute> = props
        .attribute
        .and_then(|id| props.project.attribute(id))
        .cloned();
    let key = {
        let initial = existing.as_ref().map(|a| a.kind.key()).unwrap_or("text");
        use_state_eq(move || initial.to_string())
    };
    let values_text = {
        let initial = match existing.as_ref().map(|a| &a.kind) {
            Some(AttributeKind::Category(v)) => v.join("\n"),
            _ => String::new(),
        };
        use_state_eq(move || initial)
    };
    let error = use_state_eq(|| None::<String>);
    let name_field = use_node_ref();
    let on_kind = {
        let key = key.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            key.set(select.value());
        })
    };
    let on_values = {
        let values_text = values_text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            values_text.set(area.value());
        })
    };
    let onsubmit = {
        let project = props.project.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let error = error.clone();
        let key = key.clone();
        let values_text = values_text.clone();
        let existing = existing.clone();
        let name_field = name_field.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let kind = match kind_from_form(&key, &values_text) {
                Ok(k) => k,
                Err(m) => {
                    error.set(Some(m));
                    return;
                }
            };
            match &existing {
                Some(a) => {
                    if a.kind != kind {
                        dispatch.emit(Action::SetAttributeKind { id: a.id, kind });
                    }
                }
                None => {
                    let name = input_value(&name_field).trim().to_string();
                    if let Some(message) = attribute_name_problem(&project, None, &name) {
                        error.set(Some(message));
                        return;
                    }
                    dispatch.emit(Action::AddAttribute {
                        attribute: Attribute {
                            id: BrowserIds.attribute_id(),
                            name,
                            kind,
                        },
                    });
                }
            }
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    // What a type change would cost.
    let lost = existing.as_ref().and_then(|a| {
        let kind = kind_from_form(&key, &values_text).ok()?;
        let action = Action::SetAttributeKind { id: a.id, kind };
        let effect = preview(&props.project, action).ok()?.effect;
        Some(
            effect
                .values_removed
                .iter()
                .filter(|(_, at)| *at == a.id)
                .count(),
        )
    });
    let kinds = [
        ("text", "Text"),
        ("number", "Number"),
        ("date", "Date (YYYY-MM-DD)"),
        ("yes_no", "Yes/no"),
        ("category", "Category (a fixed list of values)"),
    ];
    let title = match &existing {
        Some(a) => format!("Type of {}", a.name),
        None => "Add attribute".to_string(),
    };
    html! {
        <Modal {title} on_close={props.on_close.clone()}>
            <form {onsubmit}>
                if existing.is_none() {
                    <label>{"Name"}<input ref={name_field} type="text" autofocus=true placeholder="e.g. rurality" /></label>
                }
                <label>
                    {"Type"}
                    <select onchange={on_kind}>
                        {for kinds.iter().map(|(k, label)| html! {
                            <option value={*k} selected={*key == *k}>{*label}</option>
                        })}
                    </select>
                </label>
                if *key == "category" {
                    <label>
                        {"Values, one per line"}
                        <textarea rows="5" value={(*values_text).clone()} oninput={on_values}
                            placeholder={"urban\nrural\nmixed"} />
                    </label>
                }
                if let Some(n) = lost.filter(|n| *n > 0) {
                    <p class="warning">{format!("{} that {} not fit the new type will be removed (undo with Ctrl+Z).",
                        plural(n, "value", "values"), if n == 1 { "does" } else { "do" })}</p>
                }
                if let Some(e) = &*error { <p class="field-error" role="alert">{e}</p> }
                <div class="dialog-actions">
                    <button type="submit" class="primary">{if existing.is_some() { "Change type" } else { "Add attribute" }}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Modal>
    }
}
