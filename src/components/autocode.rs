//! The "Auto-code…" dialog: code every turn of a speaker, or every place a text pattern matches
//! (plain text or a regular expression; the match, or its sentence, paragraph or turn), in this
//! source or in all sources, with an existing or a new code. Preview shows the count and the
//! first passages; Apply is one undo step.
//!
//! Regular expressions run in the browser's own engine (`RegExp`, flags `gu`, plus `i` unless
//! "Match case"), so no regex crate grows the bundle; its UTF-16 match positions become byte
//! offsets with one forward walk per source ([`Utf16Cursor`]). An invalid expression shows the
//! engine's message next to the field.

use crate::components::dialog::Dialog;
use crate::state::{now, store_coder, stored_coder, BrowserIds};
use framewise_core::autocode::{self, find_plain, Scope};
use framewise_core::matrix::shorten;
use framewise_core::speakers::{project_speakers, speakers_of};
use framewise_core::text::Utf16Cursor;
use framewise_core::{Action, Code, CodeId, Coding, IdSource, Project, SourceId, Span};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Passages listed in the preview.
const PREVIEW: usize = 8;
/// Value of the "New code…" option.
const NEW_CODE: &str = "new";

/// A regular expression compiled by the browser; `Err` holds the engine's message.
pub fn compile_regex(
    pattern: &str,
    match_case: bool,
    whole_word: bool,
) -> Result<js_sys::RegExp, String> {
    let source = if whole_word {
        format!("(?<![\\p{{L}}\\p{{N}}_])(?:{pattern})(?![\\p{{L}}\\p{{N}}_])")
    } else {
        pattern.to_string()
    };
    let flags = if match_case { "gu" } else { "giu" };
    let constructor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into())
        .map_err(|_| "This browser has no regular expressions.".to_string())?
        .dyn_into()
        .map_err(|_| "This browser has no regular expressions.".to_string())?;
    let args = js_sys::Array::of2(&JsValue::from_str(&source), &JsValue::from_str(flags));
    match js_sys::Reflect::construct(&constructor, &args) {
        Ok(value) => value
            .dyn_into::<js_sys::RegExp>()
            .map_err(|_| "Not a regular expression.".to_string()),
        Err(e) => Err(e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "Invalid regular expression.".to_string())),
    }
}

/// Byte spans of the non-empty matches of `regex` in `text`, in order. The text crosses into
/// JavaScript once; each match is one `exec` call.
pub fn regex_spans(regex: &js_sys::RegExp, text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let Some(exec) = js_sys::Reflect::get(regex, &"exec".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return out;
    };
    let haystack = JsValue::from(js_sys::JsString::from(text));
    let units = text.encode_utf16().count() as u32;
    regex.set_last_index(0);
    let mut cursor = Utf16Cursor::new(text);
    while let Ok(found) = exec.call1(regex, &haystack) {
        if found.is_null() || found.is_undefined() {
            break;
        }
        let Some(start) = js_sys::Reflect::get(&found, &"index".into())
            .ok()
            .and_then(|v| v.as_f64())
        else {
            break;
        };
        let start = start as u32;
        let end = regex.last_index();
        if end <= start {
            // An empty match: step over it.
            if start >= units {
                break;
            }
            regex.set_last_index(start + 1);
            continue;
        }
        if let Some(s) = cursor.byte_of(start as usize) {
            if let Some(e) = cursor.byte_of(end as usize) {
                out.push(Span::new(s, e));
            }
        }
    }
    regex.set_last_index(0);
    out
}

/// Props of [`AutocodeButton`].
#[derive(Properties, PartialEq)]
pub struct AutocodeProps {
    /// The project.
    pub project: Rc<Project>,
    /// The source being read ("this source").
    pub source: Option<SourceId>,
    /// Dispatches the auto-coding.
    pub dispatch: Callback<Action>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Speaker,
    Pattern,
}

/// Everything the form holds.
#[derive(Clone, PartialEq)]
struct Form {
    mode: Mode,
    speaker: String,
    all_sources: bool,
    pattern: String,
    regex: bool,
    match_case: bool,
    whole_word: bool,
    scope: Scope,
    code: String,
    new_name: String,
    coder: String,
}

/// A change to the form from a field's value (and, for checkboxes, whether it is ticked).
type Change = Rc<dyn Fn(&mut Form, String, bool)>;
/// A change to the form from typed text.
type Typed = Rc<dyn Fn(&mut Form, String)>;

/// What Preview or Apply found.
#[derive(Clone, PartialEq)]
enum Outcome {
    Preview { count: usize, passages: Vec<String> },
    Problem(String),
}

/// The codings the form asks for, with the new code (if any) and the history label.
fn plan(
    project: &Project,
    this: Option<SourceId>,
    f: &Form,
) -> Result<(Vec<Coding>, Option<Code>, String), String> {
    let sources: Vec<SourceId> = if f.all_sources {
        project.sources.iter().map(|s| s.id).collect()
    } else {
        this.into_iter().collect()
    };
    if sources.is_empty() {
        return Err("There is no source to code.".into());
    }
    let (code, new_code) = if f.code == NEW_CODE || f.code.is_empty() {
        let name = f.new_name.trim();
        if name.is_empty() {
            return Err("Give the new code a name.".into());
        }
        match project
            .codes
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
        {
            Some(existing) => (existing.id, None),
            None => {
                let code = Code::inductive(project, BrowserIds.code_id(), name, None, now());
                (code.id, Some(code))
            }
        }
    } else {
        match CodeId::parse(&f.code).filter(|id| project.code(*id).is_some()) {
            Some(id) => (id, None),
            None => return Err("Choose a code.".into()),
        }
    };
    let coder = f.coder.trim();
    match f.mode {
        Mode::Speaker => {
            if f.speaker.trim().is_empty() {
                return Err("Choose a speaker.".into());
            }
            let codings = autocode::speaker_turns(
                project,
                code,
                &f.speaker,
                &sources,
                coder,
                now(),
                &mut BrowserIds,
            );
            let label = autocode::speaker_label(codings.len(), &f.speaker);
            Ok((codings, new_code, label))
        }
        Mode::Pattern => {
            if f.pattern.is_empty() {
                return Err("Type what to search for.".into());
            }
            let regex = if f.regex {
                Some(compile_regex(&f.pattern, f.match_case, f.whole_word)?)
            } else {
                None
            };
            let hits: Vec<(SourceId, Vec<Span>)> = project
                .sources
                .iter()
                .filter(|s| sources.contains(&s.id))
                .map(|s| {
                    let spans = match &regex {
                        Some(r) => regex_spans(r, &s.text),
                        None => find_plain(&s.text, &f.pattern, !f.match_case, f.whole_word),
                    };
                    (s.id, spans)
                })
                .collect();
            let codings =
                autocode::matches(project, &hits, code, f.scope, coder, now(), &mut BrowserIds);
            let label = autocode::pattern_label(codings.len(), &f.pattern);
            Ok((codings, new_code, label))
        }
    }
}

/// The "Auto-code…" button and its dialog.
#[component]
pub fn AutocodeButton(props: &AutocodeProps) -> Html {
    let open = use_state(|| false);
    let outcome = use_state(|| None::<Outcome>);
    let form = {
        let project = props.project.clone();
        let source = props.source;
        use_state(move || {
            let speaker = source
                .and_then(|id| project.source(id))
                .and_then(|s| speakers_of(s).into_iter().next().map(|s| s.name))
                .or_else(|| project_speakers(&project).into_iter().next())
                .unwrap_or_default();
            Form {
                mode: if speaker.is_empty() {
                    Mode::Pattern
                } else {
                    Mode::Speaker
                },
                speaker,
                all_sources: false,
                pattern: String::new(),
                regex: false,
                match_case: false,
                whole_word: false,
                scope: Scope::Match,
                code: project
                    .codes
                    .first()
                    .map(|c| c.id.to_string())
                    .unwrap_or_else(|| NEW_CODE.into()),
                new_name: String::new(),
                coder: stored_coder().unwrap_or_default(),
            }
        })
    };
    let toggle = {
        let open = open.clone();
        let outcome = outcome.clone();
        Callback::from(move |_: MouseEvent| {
            outcome.set(None);
            open.set(!*open);
        })
    };
    let button = html! {
        <button class="small" onclick={toggle} title="Code every turn of a speaker, or every match of a search">{"Auto-code…"}</button>
    };
    if !*open {
        return button;
    }
    let project = &props.project;
    let f = (*form).clone();
    // Updates one field of the form and forgets the last preview.
    let update = |change: Change| {
        let form = form.clone();
        let outcome = outcome.clone();
        Callback::from(move |e: Event| {
            let (value, checked) = match e.target_dyn_into::<HtmlInputElement>() {
                Some(input) => (input.value(), input.checked()),
                None => (
                    e.target_dyn_into::<HtmlSelectElement>()
                        .map(|s| s.value())
                        .unwrap_or_default(),
                    false,
                ),
            };
            let mut next = (*form).clone();
            change(&mut next, value, checked);
            form.set(next);
            outcome.set(None);
        })
    };
    let typing = |change: Typed| {
        let form = form.clone();
        let outcome = outcome.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*form).clone();
            change(&mut next, input.value());
            form.set(next);
            outcome.set(None);
        })
    };
    let regex_error = (f.mode == Mode::Pattern && f.regex && !f.pattern.is_empty())
        .then(|| compile_regex(&f.pattern, f.match_case, f.whole_word).err())
        .flatten();
    let preview = {
        let project = props.project.clone();
        let source = props.source;
        let form = form.clone();
        let outcome = outcome.clone();
        Callback::from(move |_: MouseEvent| {
            let result = match plan(&project, source, &form) {
                Err(problem) => Outcome::Problem(problem),
                Ok((codings, _, _)) => Outcome::Preview {
                    count: codings.len(),
                    passages: codings
                        .iter()
                        .take(PREVIEW)
                        .map(|c| {
                            let name = project
                                .source(c.source)
                                .map(|s| s.name.clone())
                                .unwrap_or_default();
                            format!("{name}: “{}”", shorten(project.coded_text(c), 140))
                        })
                        .collect(),
                },
            };
            outcome.set(Some(result));
        })
    };
    let apply = {
        let project = props.project.clone();
        let source = props.source;
        let form = form.clone();
        let outcome = outcome.clone();
        let dispatch = props.dispatch.clone();
        let open = open.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if form.coder.trim().is_empty() {
                outcome.set(Some(Outcome::Problem(
                    "Type your name as coder first.".into(),
                )));
                return;
            }
            match plan(&project, source, &form) {
                Err(problem) => outcome.set(Some(Outcome::Problem(problem))),
                Ok((codings, _, _)) if codings.is_empty() => outcome.set(Some(Outcome::Problem(
                    "Nothing new to code: no passage found, or all are coded with this code already.".into(),
                ))),
                Ok((codings, new_code, label)) => {
                    store_coder(form.coder.trim());
                    dispatch.emit(autocode::action(label, new_code, codings));
                    open.set(false);
                }
            }
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_| open.set(false))
    };
    let speakers = project_speakers(project);
    let mode_radio = |mode: Mode, label: &str| {
        let onchange = update(Rc::new(move |f: &mut Form, _, _| f.mode = mode));
        html! { <label class="check"><input type="radio" name="autocode-mode" checked={f.mode == mode} {onchange} />{label.to_string()}</label> }
    };
    let checkbox = |label: &str, checked: bool, set: fn(&mut Form, bool)| {
        let onchange = update(Rc::new(move |f: &mut Form, _, c| set(f, c)));
        html! { <label class="check"><input type="checkbox" {checked} {onchange} />{label.to_string()}</label> }
    };
    let sources_radio = |all: bool, label: &str| {
        let onchange = update(Rc::new(move |f: &mut Form, _, _| f.all_sources = all));
        html! { <label class="check"><input type="radio" name="autocode-sources" checked={f.all_sources == all} {onchange} />{label.to_string()}</label> }
    };
    let this_name = props
        .source
        .and_then(|id| project.source(id))
        .map(|s| format!("This source ({})", s.name))
        .unwrap_or_else(|| "This source".into());
    html! {
        <>
        {button}
        <Dialog title="Auto-code" on_close={close}>
            <form class="autocode-form" onsubmit={apply}>
                <fieldset>
                    <legend>{"Code"}</legend>
                    {mode_radio(Mode::Speaker, "Every turn of a speaker")}
                    {mode_radio(Mode::Pattern, "Every match of a text pattern")}
                </fieldset>
                if f.mode == Mode::Speaker {
                    <label>{"Speaker"}
                        <select aria-label="Speaker" onchange={update(Rc::new(|f: &mut Form, v, _| f.speaker = v))}>
                            if speakers.is_empty() {
                                <option value="">{"(no speakers in this project)"}</option>
                            }
                            {for speakers.iter().map(|s| html! {
                                <option value={s.clone()} selected={*s == f.speaker}>{s.clone()}</option>
                            })}
                        </select>
                    </label>
                } else {
                    <label>{"Search for"}
                        <input type="text" aria-label="Search for" value={f.pattern.clone()}
                            aria-invalid={regex_error.is_some().then_some("true")}
                            aria-describedby={regex_error.is_some().then_some("autocode-regex-error")}
                            oninput={typing(Rc::new(|f: &mut Form, v| f.pattern = v))} />
                    </label>
                    if let Some(message) = &regex_error {
                        <p class="autocode-error" id="autocode-regex-error" role="alert">{format!("Invalid regular expression: {message}")}</p>
                    }
                    <div class="autocode-checks">
                        {checkbox("Regular expression", f.regex, |f, c| f.regex = c)}
                        {checkbox("Match case", f.match_case, |f, c| f.match_case = c)}
                        {checkbox("Whole word", f.whole_word, |f, c| f.whole_word = c)}
                    </div>
                    <label>{"Code what"}
                        <select aria-label="Code what" onchange={update(Rc::new(|f: &mut Form, v, _| f.scope = Scope::from_key(&v).unwrap_or_default()))}>
                            {for Scope::ALL.iter().map(|s| html! {
                                <option value={s.key()} selected={*s == f.scope}>{s.label()}</option>
                            })}
                        </select>
                    </label>
                }
                <fieldset>
                    <legend>{"In"}</legend>
                    {sources_radio(false, &this_name)}
                    {sources_radio(true, "All sources")}
                </fieldset>
                <label>{"With code"}
                    <select aria-label="With code" onchange={update(Rc::new(|f: &mut Form, v, _| f.code = v))}>
                        {for project.codes.iter().map(|c| {
                            let id = c.id.to_string();
                            html! { <option value={id.clone()} selected={id == f.code}>{project.code_path(c.id)}</option> }
                        })}
                        <option value={NEW_CODE} selected={f.code == NEW_CODE}>{"New code…"}</option>
                    </select>
                </label>
                if f.code == NEW_CODE {
                    <label>{"New code name"}
                        <input type="text" aria-label="New code name" value={f.new_name.clone()}
                            oninput={typing(Rc::new(|f: &mut Form, v| f.new_name = v))} />
                    </label>
                }
                if stored_coder().is_none() {
                    <label>{"Your name (coder)"}
                        <input type="text" aria-label="Your name (coder)" value={f.coder.clone()}
                            oninput={typing(Rc::new(|f: &mut Form, v| f.coder = v))} />
                    </label>
                }
                {match &*outcome {
                    Some(Outcome::Problem(p)) => html! { <p class="autocode-error" role="alert">{p}</p> },
                    Some(Outcome::Preview { count, passages }) => html! {
                        <div role="status" aria-label="Preview">
                            <p>{match count { 0 => "Nothing new to code.".to_string(), n => format!("{} will be coded.", framewise_core::words::count(*n, "passage", "passages")) }}</p>
                            <ol class="autocode-preview">{for passages.iter().map(|p| html! { <li>{p}</li> })}</ol>
                        </div>
                    },
                    None => html! {},
                }}
                <div class="dialog-actions">
                    <button type="button" onclick={preview}>{"Preview"}</button>
                    <button type="submit" class="primary" disabled={regex_error.is_some()}>{"Apply"}</button>
                </div>
            </form>
        </Dialog>
        </>
    }
}
