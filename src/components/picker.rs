//! The code picker shown beside a selection: type to filter (matching anywhere in the code's
//! path), Enter applies, a new name creates an inductive code at once, "In vivo" makes the
//! selected words the code's name. Recently used codes come first.

use framewise_core::{CodeId, Project, SourceId, Span};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`Picker`].
#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// The project (for codes and what is already applied).
    pub project: Rc<Project>,
    /// The source of the selection.
    pub source: SourceId,
    /// The selected span.
    pub span: Span,
    /// Viewport position of the selection's bottom-left corner.
    pub x: f64,
    /// See `x`.
    pub y: f64,
    /// Recently used codes, most recent first.
    pub recent: Rc<Vec<CodeId>>,
    /// Changes when the picker should take keyboard focus.
    pub focus_nonce: u32,
    /// Apply an existing code.
    pub on_apply: Callback<CodeId>,
    /// Create an inductive code with this name and apply it.
    pub on_create: Callback<String>,
    /// Make the selected words a code and apply it.
    pub on_in_vivo: Callback<()>,
    /// Annotate the selection.
    pub on_annotate: Callback<()>,
    /// Close the picker.
    pub on_close: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum Choice {
    Code(CodeId),
    Create(String),
}

/// The id of the picker's filter field (for the `/` shortcut).
pub const PICKER_INPUT_ID: &str = "code-picker-filter";

/// The code picker.
#[component]
pub fn Picker(props: &PickerProps) -> Html {
    let filter = use_state(String::new);
    let active = use_state(|| 0usize);
    let input = use_node_ref();
    {
        // Focus only when asked while open (a nonce changed since the picker opened), never just
        // because it opened: a mouse selection keeps the keyboard in the text (V, /, Enter).
        let input = input.clone();
        let seen = use_mut_ref(|| props.focus_nonce);
        use_effect_with(props.focus_nonce, move |nonce| {
            if seen.replace(*nonce) != *nonce {
                if let Some(i) = input.cast::<HtmlInputElement>() {
                    let _ = i.focus();
                }
            }
        });
    }
    {
        let filter = filter.clone();
        let active = active.clone();
        use_effect_with(props.span, move |_| {
            filter.set(String::new());
            active.set(0);
        });
    }

    let project = &props.project;
    let applied: Vec<CodeId> = project
        .codings_of(props.source)
        .iter()
        .filter(|c| c.span == props.span)
        .map(|c| c.code)
        .collect();
    let needle = filter.trim().to_lowercase();
    let mut order: Vec<CodeId> = props
        .recent
        .iter()
        .copied()
        .filter(|id| project.code(*id).is_some())
        .collect();
    for code in tree_order(project) {
        if !order.contains(&code) {
            order.push(code);
        }
    }
    let mut choices: Vec<Choice> = order
        .into_iter()
        .filter(|id| needle.is_empty() || project.code_path(*id).to_lowercase().contains(&needle))
        .map(Choice::Code)
        .collect();
    let exact = project
        .codes
        .iter()
        .any(|c| c.name.to_lowercase() == needle);
    if !needle.is_empty() && !exact {
        choices.push(Choice::Create(filter.trim().to_string()));
    }
    let active_index = (*active).min(choices.len().saturating_sub(1));

    let choose = {
        let on_apply = props.on_apply.clone();
        let on_create = props.on_create.clone();
        let filter = filter.clone();
        Rc::new(move |choice: &Choice| {
            match choice {
                Choice::Code(id) => on_apply.emit(*id),
                Choice::Create(name) => on_create.emit(name.clone()),
            }
            filter.set(String::new());
        })
    };

    let onkeydown = {
        let choices = choices.clone();
        let active = active.clone();
        let choose = choose.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                active.set((active_index + 1).min(choices.len().saturating_sub(1)));
            }
            "ArrowUp" => {
                e.prevent_default();
                active.set(active_index.saturating_sub(1));
            }
            "Enter" => {
                e.prevent_default();
                if let Some(choice) = choices.get(active_index) {
                    choose(choice);
                }
            }
            "Escape" => {
                e.prevent_default();
                on_close.emit(());
            }
            _ => {}
        })
    };
    let oninput = {
        let filter = filter.clone();
        let active = active.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value());
            active.set(0);
        })
    };

    let options = choices.iter().enumerate().map(|(i, choice)| {
        let selected = i == active_index;
        let onclick = {
            let choose = choose.clone();
            let choice = choice.clone();
            Callback::from(move |_: MouseEvent| choose(&choice))
        };
        let id = format!("picker-option-{i}");
        match choice {
            Choice::Code(code) => {
                let path = project.code_path(*code);
                let color = project.code(*code).map(|c| c.color.clone()).unwrap_or_default();
                let done = applied.contains(code);
                html! {
                    <li {id} role="option" aria-selected={selected.to_string()} class={classes!("option", selected.then_some("active"))} {onclick}>
                        <span class="swatch" style={format!("background:{color}")}></span>
                        <span class="option-name">{path}</span>
                        if done { <span class="applied" aria-label="already applied">{"✓"}</span> }
                    </li>
                }
            }
            Choice::Create(name) => html! {
                <li {id} role="option" aria-selected={selected.to_string()} class={classes!("option", "create", selected.then_some("active"))} {onclick}>
                    {format!("Create code “{name}”")}
                </li>
            },
        }
    });

    let quote: String = project
        .source(props.source)
        .and_then(|s| s.text.get(props.span.start..props.span.end))
        .map(|t| {
            let t: String = t.chars().take(80).collect();
            if props.span.len() > t.len() {
                format!("{t}…")
            } else {
                t
            }
        })
        .unwrap_or_default();
    let in_vivo = {
        let cb = props.on_in_vivo.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    // The picker stays inside the window: below the selection when it fits, else above it; its
    // height is capped to the room left and it scrolls (suggested codes make it taller).
    let (vw, vh) = viewport();
    let left = props.x.clamp(8.0, (vw - 340.0).max(8.0));
    let top = if props.y + 330.0 > vh {
        (props.y - 360.0).max(8.0)
    } else {
        props.y + 8.0
    };
    html! {
        <div class="picker" role="dialog" aria-label="Code the selection" style={format!("left:{left}px;top:{top}px;max-height:{}px", (vh - top - 8.0).max(120.0))}>
            <div class="picker-quote">{format!("“{quote}”")}</div>
            <input
                id={PICKER_INPUT_ID}
                ref={input}
                type="text"
                role="combobox"
                aria-expanded="true"
                aria-controls="picker-options"
                aria-activedescendant={format!("picker-option-{active_index}")}
                aria-label="Find or create a code"
                placeholder="Type to find or create a code (/)"
                value={(*filter).clone()}
                {oninput}
                {onkeydown}
            />
            <ul id="picker-options" role="listbox" aria-label="Codes">{for options}</ul>
            if choices.is_empty() {
                <p class="hint">{"No codes yet: type a name and press Enter to create one."}</p>
            }
            <crate::components::suggest::SuggestCodes project={props.project.clone()} source={props.source}
                span={props.span} on_apply={props.on_apply.clone()} />
            <div class="picker-actions">
                <button onclick={in_vivo} title="Use the selected words as a new code (V)">{"In vivo"}</button>
                <button onclick={props.on_annotate.reform(|_| ())} title="Write a comment on the selected passage (A)">{"Annotate"}</button>
                <button onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}

fn viewport() -> (f64, f64) {
    let w = web_sys::window();
    let width = w
        .as_ref()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1200.0);
    let height = w
        .as_ref()
        .and_then(|w| w.inner_height().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(800.0);
    (width, height)
}

/// Codes in tree order (depth first, siblings in codebook order): core's one tree walk.
pub fn tree_order(project: &Project) -> Vec<CodeId> {
    project.code_tree().into_iter().map(|(id, _)| id).collect()
}
