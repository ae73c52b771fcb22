//! Coding the selection: the code picker beside it, the action a choice makes (apply, create,
//! in vivo), "Who is coding?" when the coder's name is not known yet, and the "Codings here"
//! popover of coded text.

use super::ui::{Dialog, Pending, Popover, Ui, UiAction};
use crate::components::dialog::Dialog as Modal;
use crate::components::picker::Picker;
use crate::components::reader::{CodeLook, TextSelection};
use crate::dom;
use crate::state::{now, store_coder, BrowserIds, Shared};
use framewise_core::{Action, Code, CodeId, Coding, IdSource, Project, SourceId};
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The action that codes `sel` of `source` as `pending` asks, by `coder`, and the code applied.
pub fn coding_action(
    project: &Project,
    source: SourceId,
    sel: &TextSelection,
    pending: Pending,
    coder: &str,
) -> (Action, CodeId) {
    let coding = |code: CodeId| Coding {
        id: BrowserIds.coding_id(),
        source,
        span: sel.span,
        code,
        coder: coder.to_string(),
        created: now(),
    };
    let new_code = |name: &str| Code::inductive(project, BrowserIds.code_id(), name, None, now());
    let create = |code: Code, label: String| {
        let id = code.id;
        let action = Action::Batch {
            label,
            actions: vec![
                Action::CreateCode { code },
                Action::AddCodings {
                    codings: vec![coding(id)],
                },
            ],
        };
        (action, id)
    };
    match pending {
        Pending::Apply(code) => (
            Action::AddCodings {
                codings: vec![coding(code)],
            },
            code,
        ),
        Pending::Create(name) => {
            match project
                .codes
                .iter()
                .find(|c| framewise_core::same_code_name(&c.name, &name))
            {
                Some(existing) => (
                    Action::AddCodings {
                        codings: vec![coding(existing.id)],
                    },
                    existing.id,
                ),
                None => {
                    let code = new_code(&name);
                    let label = format!("Create code {} and code segment", code.name);
                    create(code, label)
                }
            }
        }
        Pending::InVivo => {
            let words: String = project
                .source(source)
                .and_then(|s| s.text.get(sel.span.start..sel.span.end))
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let name: String = words.chars().take(60).collect();
            // The same words again apply the code they named (no twin code).
            if let Some(existing) = project.code_named(None, &name) {
                (
                    Action::AddCodings {
                        codings: vec![coding(existing.id)],
                    },
                    existing.id,
                )
            } else {
                let code = new_code(&name);
                let label = format!("In vivo code {}", code.name);
                create(code, label)
            }
        }
    }
}

/// Clears the browser's text selection and gives keyboard focus back to the reading view.
pub fn back_to_text(reader: &NodeRef) {
    if let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = sel.remove_all_ranges();
    }
    if let Some(el) = reader.cast::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Codes the current selection as `pending` asks (or asks for the coder's name first); the
/// picker closes and focus returns to the text.
pub fn perform(
    project: &Project,
    ui: &Ui,
    coder: Option<&str>,
    pending: Pending,
    dispatch: &Callback<Action>,
    ui_dispatch: &Callback<UiAction>,
) {
    let (Some(sel), Some(src)) = (ui.selection, ui.source) else {
        return;
    };
    let Some(who) = coder else {
        ui_dispatch.emit(UiAction::Open(Dialog::Coder(pending)));
        return;
    };
    let (action, code) = coding_action(project, src, &sel, pending, who);
    dispatch.emit(action);
    ui_dispatch.emit(UiAction::Applied(code));
}

/// Props of [`CoderDialog`].
#[derive(Properties, PartialEq)]
pub struct CoderDialogProps {
    /// The name was given: store it and code.
    pub on_name: Callback<String>,
    /// Cancelled.
    pub on_close: Callback<()>,
}

/// "Who is coding?": the coder's name, asked once in this browser.
#[component]
pub fn CoderDialog(props: &CoderDialogProps) -> Html {
    let input = use_node_ref();
    let on_submit = {
        let input = input.clone();
        let on_name = props.on_name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            if value.is_empty() {
                return;
            }
            store_coder(&value);
            on_name.emit(value);
        })
    };
    html! {
        <Modal title="Who is coding?" on_close={props.on_close.clone()}>
            <form onsubmit={on_submit}>
                <p>{"Your name is stored with every coding you make, so a team can compare coders. It is asked once in this browser."}</p>
                <label for="coder-name">{"Coder name"}</label>
                <input id="coder-name" ref={input} autofocus=true />
                <div class="dialog-actions"><button type="submit" class="primary">{"Continue"}</button></div>
            </form>
        </Modal>
    }
}

/// Props of [`CodePicker`].
#[derive(Properties, PartialEq)]
pub struct CodePickerProps {
    /// The project.
    pub project: Rc<Project>,
    /// The selection's source.
    pub source: SourceId,
    /// The selection.
    pub selection: TextSelection,
    /// Recently applied codes.
    pub recent: Rc<Vec<CodeId>>,
    /// See [`Ui::picker_focus`].
    pub focus_nonce: u32,
    /// Code the selection.
    pub on_code: Callback<Pending>,
    /// Change the UI state ("Annotate" opens its dialog).
    pub ui: Callback<UiAction>,
    /// Close the picker.
    pub on_close: Callback<()>,
}

/// The code picker, wired to [`Pending`] choices.
#[component]
pub fn CodePicker(props: &CodePickerProps) -> Html {
    let on_apply = {
        let on_code = props.on_code.clone();
        Callback::from(move |code: CodeId| on_code.emit(Pending::Apply(code)))
    };
    let on_create = {
        let on_code = props.on_code.clone();
        Callback::from(move |name: String| on_code.emit(Pending::Create(name)))
    };
    let on_in_vivo = {
        let on_code = props.on_code.clone();
        Callback::from(move |_| on_code.emit(Pending::InVivo))
    };
    let (sel, source) = (props.selection, props.source);
    let on_annotate = props
        .ui
        .reform(move |_| UiAction::Open(Dialog::Annotate(source, sel.span, None)));
    html! {
        <Picker project={props.project.clone()} source={props.source} span={sel.span} x={sel.x} y={sel.y}
            recent={props.recent.clone()} focus_nonce={props.focus_nonce}
            {on_apply} {on_create} {on_in_vivo} {on_annotate} on_close={props.on_close.clone()} />
    }
}

/// Props of [`CodingsHere`].
#[derive(Properties, PartialEq)]
pub struct CodingsHereProps {
    /// The project.
    pub project: Rc<Project>,
    /// The source clicked.
    pub source: SourceId,
    /// Where.
    pub at: Popover,
    /// Code names and colours.
    pub looks: Shared<HashMap<CodeId, CodeLook>>,
    /// Apply a change.
    pub dispatch: Callback<Action>,
    /// Change the UI state.
    pub ui: Callback<UiAction>,
}

/// The "Codings here" popover: the codings at a clicked place, to select or remove.
#[component]
pub fn CodingsHere(props: &CodingsHereProps) -> Html {
    let offset = props.at.offset;
    let here: Vec<Coding> = props
        .project
        .codings_of(props.source)
        .iter()
        .filter(|c| c.span.start <= offset && offset < c.span.end.max(c.span.start + 1))
        .cloned()
        .collect();
    let items = here.iter().map(|c| {
        let look = props.looks.get(&c.code).cloned();
        let name = look.as_ref().map(|l| l.name.clone()).unwrap_or_default();
        let color = look.map(|l| l.color).unwrap_or_default();
        let remove = {
            let dispatch = props.dispatch.clone();
            let ui = props.ui.clone();
            let id = c.id;
            Callback::from(move |()| {
                dispatch.emit(Action::RemoveCodings { ids: vec![id] });
                ui.emit(UiAction::ClosePopover);
            })
        };
        let select = {
            let ui = props.ui.clone();
            let id = c.id;
            Callback::from(move |_| ui.emit(UiAction::SelectCoding(id)))
        };
        let (source, span, id) = (c.source, c.span, c.id);
        let annotate = props
            .ui
            .reform(move |_: MouseEvent| UiAction::Open(Dialog::Annotate(source, span, Some(id))));
        html! {
            <li>
                <button class="link coding-name" onclick={select}><span class="swatch" style={format!("background:{color}")}></span>{&name}</button>
                <span class="coding-meta">{format!("{} · {}", c.coder, dom::format_time(c.created))}</span>
                <button class="link" onclick={annotate} aria-label={format!("Annotate the coding {name}")}>{"Annotate"}</button>
                <crate::components::coding_remove::RemoveCodingButton project={props.project.clone()} coding={c.id} name={name.clone()} on_remove={remove} />
            </li>
        }
    });
    let close = {
        let ui = props.ui.clone();
        Callback::from(move |_| ui.emit(UiAction::ClosePopover))
    };
    html! {
        <div class="popover" role="dialog" aria-label="Codings here" style={format!("left:{}px;top:{}px;max-height:max(10rem, calc(100vh - {}px))", props.at.x.max(8.0), props.at.y + 12.0, props.at.y + 20.0)}>
            <ul class="codings-here">{for items}</ul>
            <button class="small" onclick={close}>{"Close"}</button>
        </div>
    }
}
