//! The editor of the active cell: a text field, a combobox for a fixed list of values
//! (categories, yes/no), or a list of cases (the parent column). Each reads its own field through
//! a `NodeRef` and hands the text to the grid, which decides what it means (core's
//! `case_table::cell_action`).
//!
//! The combobox follows the WAI-ARIA combobox pattern (list autocomplete): typing filters the
//! suggestions, Up/Down move through them (the field shows the one highlighted), a click chooses
//! one, Enter or Tab commits what the field says. What is committed is always the text in the
//! field, so typing "mixed" saves "mixed" or, if it is not a value of the list, nothing (the grid
//! shows why) — never another value.

use framewise_core::case_table::suggestions;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The id of the field editing the active cell (tests and styles find it by this id).
pub const CELL_EDITOR_ID: &str = "case-cell-editor";
/// The id of the combobox's list of suggestions.
const OPTIONS_ID: &str = "case-cell-options";

/// Where the active cell goes after a commit: rows, columns (`None`: focus left the editor).
pub type Step = Option<(isize, isize)>;

/// What kind of editor a cell takes.
#[derive(Clone, PartialEq)]
pub enum EditorKind {
    /// Free text (names, text, numbers, dates).
    Text,
    /// One of a fixed list, typed or chosen (categories, yes/no).
    Choices(Rc<Vec<String>>),
    /// One of a list of (value, label): the parent column's cases.
    Select(Rc<Vec<(String, String)>>),
}

/// Props of [`CellEditor`].
#[derive(Properties, PartialEq)]
pub struct CellEditorProps {
    /// Accessible name ("rurality of P01").
    pub label: AttrValue,
    /// Which editor.
    pub kind: EditorKind,
    /// The text it starts with.
    pub initial: AttrValue,
    /// Started by typing: the caret goes to the end, nothing selected.
    pub typed: bool,
    /// Commit this text and move by the step.
    pub on_commit: Callback<(String, Step)>,
    /// Leave without changing anything.
    pub on_cancel: Callback<()>,
}

/// The step a key commits with, if it commits.
fn key_step(e: &KeyboardEvent) -> Option<(isize, isize)> {
    let back = if e.shift_key() { -1 } else { 1 };
    match e.key().as_str() {
        "Enter" => Some((back, 0)),
        "Tab" => Some((0, back)),
        _ => None,
    }
}

/// The editor of the active cell.
#[component]
pub fn CellEditor(props: &CellEditorProps) -> Html {
    match &props.kind {
        EditorKind::Text => html! { <TextEditor ..props.clone_props() /> },
        EditorKind::Choices(_) => html! { <ChoiceEditor ..props.clone_props() /> },
        EditorKind::Select(_) => html! { <SelectEditor ..props.clone_props() /> },
    }
}

impl CellEditorProps {
    fn clone_props(&self) -> Self {
        Self {
            label: self.label.clone(),
            kind: self.kind.clone(),
            initial: self.initial.clone(),
            typed: self.typed,
            on_commit: self.on_commit.clone(),
            on_cancel: self.on_cancel.clone(),
        }
    }
}

/// Puts the initial text in an uncontrolled input and focuses it (the text is the browser's
/// while the researcher types).
#[hook]
fn use_start_input(field: &NodeRef, initial: &AttrValue, typed: bool) {
    let field = field.clone();
    let initial = initial.clone();
    use_effect_with((), move |_| {
        if let Some(input) = field.cast::<HtmlInputElement>() {
            input.set_value(&initial);
            let _ = input.focus();
            let len = input.value().encode_utf16().count() as u32;
            if typed {
                let _ = input.set_selection_range(len, len);
            } else {
                input.select();
            }
        }
    });
}

fn input_value(field: &NodeRef) -> String {
    field
        .cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// An editor's keys and blur: Enter/Tab/arrows commit the value `read` from `field` and move,
/// Esc cancels, leaving the field commits in place.
fn commit_handlers(
    props: &CellEditorProps,
    field: &NodeRef,
    read: fn(&NodeRef) -> String,
) -> (Callback<KeyboardEvent>, Callback<FocusEvent>) {
    let onkeydown = {
        let field = field.clone();
        let on_commit = props.on_commit.clone();
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if let Some(step) = key_step(&e) {
                e.prevent_default();
                on_commit.emit((read(&field), Some(step)));
            } else if e.key() == "Escape" {
                e.prevent_default();
                on_cancel.emit(());
            }
        })
    };
    let onblur = {
        let field = field.clone();
        let on_commit = props.on_commit.clone();
        Callback::from(move |_: FocusEvent| on_commit.emit((read(&field), None)))
    };
    (onkeydown, onblur)
}

#[component]
fn TextEditor(props: &CellEditorProps) -> Html {
    let field = use_node_ref();
    use_start_input(&field, &props.initial, props.typed);
    let (onkeydown, onblur) = commit_handlers(props, &field, input_value);
    html! {
        <input id={CELL_EDITOR_ID} ref={field} class="cell-editor" type="text"
            aria-label={props.label.clone()} {onkeydown} {onblur} />
    }
}

#[component]
fn ChoiceEditor(props: &CellEditorProps) -> Html {
    let field = use_node_ref();
    use_start_input(&field, &props.initial, props.typed);
    let choices: Rc<Vec<String>> = match &props.kind {
        EditorKind::Choices(c) => c.clone(),
        _ => Rc::default(),
    };
    // The text typed so far (it filters the list; opened without typing, the list is whole).
    let typed = use_state_eq(|| {
        if props.typed {
            props.initial.to_string()
        } else {
            String::new()
        }
    });
    let shown: Vec<String> = suggestions(&choices, &typed)
        .into_iter()
        .map(str::to_string)
        .collect();
    // The highlighted suggestion: at first the current value, if it is shown.
    let highlight = {
        let start = (!props.typed)
            .then(|| shown.iter().position(|c| **c == *props.initial))
            .flatten();
        use_state_eq(move || start)
    };
    let highlight_at = highlight.filter(|i| *i < shown.len());

    let oninput = {
        let typed = typed.clone();
        let highlight = highlight.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            typed.set(input.value());
            highlight.set(None);
        })
    };
    let onkeydown = {
        let field = field.clone();
        let shown = shown.clone();
        let highlight = highlight.clone();
        let on_commit = props.on_commit.clone();
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if let Some(step) = key_step(&e) {
                e.prevent_default();
                on_commit.emit((input_value(&field), Some(step)));
                return;
            }
            let next = match e.key().as_str() {
                "Escape" => {
                    e.prevent_default();
                    on_cancel.emit(());
                    return;
                }
                "ArrowDown" => match highlight_at {
                    None => 0,
                    Some(i) => (i + 1).min(shown.len().saturating_sub(1)),
                },
                "ArrowUp" => highlight_at.unwrap_or(0).saturating_sub(1),
                _ => return,
            };
            e.prevent_default();
            if let (Some(choice), Some(input)) = (shown.get(next), field.cast::<HtmlInputElement>())
            {
                input.set_value(choice);
                highlight.set(Some(next));
            }
        })
    };
    let onblur = {
        let field = field.clone();
        let on_commit = props.on_commit.clone();
        Callback::from(move |_: FocusEvent| on_commit.emit((input_value(&field), None)))
    };
    let options = shown.iter().enumerate().map(|(i, choice)| {
        let selected = highlight_at == Some(i);
        // `mousedown`, not `click`: the field keeps the focus, so no blur commits first.
        let onmousedown = {
            let on_commit = props.on_commit.clone();
            let choice = choice.clone();
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                on_commit.emit((choice.clone(), Some((0, 0))));
            })
        };
        html! {
            <li role="option" id={format!("{OPTIONS_ID}-{i}")} aria-selected={selected.to_string()}
                class={classes!("cell-option", selected.then_some("highlight"))} {onmousedown}>{choice}</li>
        }
    });
    let expanded = !shown.is_empty();
    html! {
        <div class="cell-combobox">
            <input id={CELL_EDITOR_ID} ref={field} class="cell-editor" type="text" role="combobox"
                autocomplete="off" aria-autocomplete="list" aria-expanded={expanded.to_string()}
                aria-controls={OPTIONS_ID}
                aria-activedescendant={highlight_at.map(|i| format!("{OPTIONS_ID}-{i}"))}
                aria-label={props.label.clone()} {oninput} {onkeydown} {onblur} />
            if expanded {
                <ul role="listbox" id={OPTIONS_ID} class="cell-options" aria-label={format!("Values of {}", props.label)}>
                    {for options}
                </ul>
            } else {
                <p class="cell-hint">{format!("Not one of: {}", choices.join(", "))}</p>
            }
        </div>
    }
}

#[component]
fn SelectEditor(props: &CellEditorProps) -> Html {
    let field = use_node_ref();
    {
        let field = field.clone();
        use_effect_with((), move |_| {
            if let Some(el) = field.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let value = |field: &NodeRef| {
        field
            .cast::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default()
    };
    let (onkeydown, onblur) = commit_handlers(props, &field, value);
    let options = match &props.kind {
        EditorKind::Select(options) => options.clone(),
        _ => Rc::default(),
    };
    html! {
        <select id={CELL_EDITOR_ID} ref={field} class="cell-editor" aria-label={props.label.clone()}
            {onkeydown} {onblur}>
            {for options.iter().map(|(value, label)| html! {
                <option value={value.clone()} selected={*value == *props.initial}>{label}</option>
            })}
        </select>
    }
}
