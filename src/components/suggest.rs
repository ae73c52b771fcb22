//! Code suggestions (issue 13), learned from this project's own coding by the worker's model
//! (core's `suggest`; `worker_client::suggest`): nothing leaves the computer and nothing is
//! coded without a click. The worker answers written out (core's `suggest::shown`: a sentence
//! and the list's markup, every text escaped, the buttons carrying a passage's source and bytes
//! or a code's id in `data-` attributes), so this page decodes two strings and no domain types.
//! - [`FindMore`], in a code's retrieval view: "Find more like this" — the passages (sentences,
//!   paragraphs or speaker turns of the chosen sources) most like the code's coded segments, top
//!   20, weighty words marked; Accept codes the passage (one `AddCodings`, one undo step), Reject
//!   hides it for this code for good; each answer teaches the model in the worker (incrementally:
//!   the answer goes to the model the list came from) and the new ranking replaces the list.
//! - [`SuggestCodes`], in the code picker: "Suggest codes" (or the key S) for the selected
//!   passage — three codes with score and words; the key 1, 2 or 3 applies one.

use crate::hooks::{use_document_listener, use_generation};
use crate::state::{now, stored_coder, BrowserIds};
use framewise_core::protocol::SuggestAsk;
use framewise_core::suggest::{SuggestOptions, SuggestShown, UnitKind, DEFAULT_LIMIT};
use framewise_core::text::xml_escape;
use framewise_core::{Action, CodeId, Coding, IdSource, Project, SourceId, Span};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

/// What a request gave: the sentence and the list's markup, or why not (as the sentence).
type Answer = Result<SuggestShown, String>;

/// The button an event happened on.
fn target_button(e: &MouseEvent) -> Option<Element> {
    e.target_dyn_into::<Element>()?.closest("button").ok()?
}

/// Markup put in as it is: ours, or core's with every text escaped.
fn raw(markup: String) -> Html {
    Html::from_html_unchecked(AttrValue::from(markup))
}

/// The status line: `None` while waiting for a first answer; `busy` while a newer list is on
/// its way (the shown one stays, inert, until it comes).
fn status(answer: Option<&Answer>, busy: bool, waiting: &str) -> String {
    let text = match answer {
        None => waiting.to_string(),
        Some(_) if busy => "Updating the suggestions…".to_string(),
        Some(Ok(shown)) => xml_escape(&shown.status),
        Some(Err(e)) => xml_escape(&format!("No suggestions: {e}.")),
    };
    format!(
        "<p class=\"hint\" role=\"status\" aria-busy=\"{}\">{text}</p>",
        answer.is_none() || busy
    )
}

/// The list's markup, when there is one.
fn list(answer: Option<&Answer>) -> &str {
    match answer {
        Some(Ok(shown)) => &shown.markup,
        _ => "",
    }
}

/// A status line and, when there is one, the list: `None` while waiting.
fn status_and_list(answer: Option<&Answer>, waiting: &str) -> String {
    format!("{}{}", status(answer, false, waiting), list(answer))
}

/// The panel's controls as markup (their state is the browser's; one listener reads them):
/// where suggestions come from, the unit, the sources.
fn controls(project: &Project) -> String {
    let mut out = String::from(
        "<p class=\"muted\">Suggestions come from this project's own coding, computed on this \
         computer: nothing is sent anywhere, and nothing is coded until you click Accept.</p>\
         <div class=\"suggest-bar\"><label for=\"suggest-unit\">Passages</label> \
         <select id=\"suggest-unit\">",
    );
    for k in UnitKind::ALL {
        let selected = if k == UnitKind::Paragraph {
            " selected"
        } else {
            ""
        };
        out.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            k.key(),
            k.label()
        ));
    }
    out.push_str(
        "</select><label><input type=\"checkbox\" id=\"suggest-stem\"> English plurals as one \
         word (nurses = nurse)</label>",
    );
    out.push_str(
        "<details><summary>Sources: all</summary><fieldset><legend>Look in these sources</legend>",
    );
    for s in &project.sources {
        out.push_str(&format!(
            "<label><input type=\"checkbox\" value=\"{}\" checked>{}</label>",
            s.id,
            xml_escape(&s.name)
        ));
    }
    out.push_str("</fieldset></details></div>");
    out
}

/// Props of [`FindMore`].
#[derive(Properties, PartialEq)]
pub struct FindMoreProps {
    /// The project (every coder's codings: the model learns from all of them).
    pub project: Rc<Project>,
    /// The code whose passages are looked for.
    pub code: CodeId,
    /// Applies an accepted passage's coding.
    pub dispatch: Callback<Action>,
}

/// "Find more like this" (see the module docs): a toggle button and, open, the panel.
#[component]
pub fn FindMore(props: &FindMoreProps) -> Html {
    let open = use_state_eq(|| false);
    let options = use_state(SuggestOptions::default);
    // The answer shown and the project value its model was built for (answers go to that model).
    let found = use_state(|| None::<(Rc<Project>, Answer)>);
    let generation = use_generation();
    // The place in the list of the passage last answered: focus goes to what took its place.
    let answered = use_mut_ref(|| None::<u32>);
    let panel = use_node_ref();
    // An answer's new list is on its way: the shown one stays (inert) until it comes.
    let updating = use_state_eq(|| false);
    // One request at a time; a late answer of an older one is dropped. `keep`: the shown list
    // stays until the new one comes (after an answer), rather than "Looking for…" (another
    // code, unit or sources).
    let ask = {
        let (found, options, updating) = (found.clone(), options.clone(), updating.clone());
        move |project: Rc<Project>, ask: SuggestAsk, keep: bool| {
            let ticket = generation.begin();
            // Spawned before the state changes, so the request is posted before this page
            // renders (the worker works meanwhile).
            let (later, options, done) = (found.clone(), (*options).clone(), updating.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = crate::worker_client::suggest(&project, &options, &ask).await;
                if ticket.is_current() {
                    later.set(Some((project, answer)));
                    done.set(false);
                }
            });
            if keep {
                updating.set(true);
            } else {
                found.set(None);
                updating.set(false);
            }
        }
    };
    {
        let (ask, project) = (ask.clone(), props.project.clone());
        let deps = (*open, props.code, (*options).clone());
        use_effect_with(deps, move |(open, code, _)| {
            if *open {
                let (code, limit) = (*code, DEFAULT_LIMIT);
                ask(project, SuggestAsk::More { code, limit }, false);
            }
        });
    }
    {
        // After an answer the keyboard goes on where it was: the passage now in that place.
        let (answered, panel, busy) = (answered.clone(), panel.clone(), *updating);
        use_effect(move || {
            if busy {
                return;
            }
            let buttons = panel
                .cast::<Element>()
                .and_then(|p| p.query_selector_all("li button").ok());
            let place = *answered.borrow();
            if let (Some(buttons), Some(i)) = (buttons, place) {
                if let Some(b) = buttons.item((2 * i).min(buttons.length().saturating_sub(2))) {
                    *answered.borrow_mut() = None;
                    let _ = b.unchecked_into::<HtmlElement>().focus();
                }
            }
        });
    }
    // One listener for every Accept and Reject (`data-s`, `data-a`, `data-b`: the passage;
    // `data-ok`: 1 for Accept).
    let onclick = {
        let (code, dispatch, found) = (props.code, props.dispatch.clone(), found.clone());
        let busy = *updating;
        Callback::from(move |e: MouseEvent| {
            let (Some((modelled, _)), Some(button), false) = (&*found, target_button(&e), busy)
            else {
                return;
            };
            let data = |k: &str| button.get_attribute(k).unwrap_or_default();
            let (Some(source), Ok(start), Ok(end)) = (
                SourceId::parse(&data("data-s")),
                data("data-a").parse(),
                data("data-b").parse(),
            ) else {
                return;
            };
            let span = Span { start, end };
            let accepted = data("data-ok") == "1";
            let coding = match (accepted, stored_coder()) {
                (false, _) => None,
                (true, Some(coder)) => Some(Coding {
                    id: BrowserIds.coding_id(),
                    source,
                    span,
                    code,
                    coder,
                    created: now(),
                }),
                (true, None) => {
                    let why = "Who is coding? Code a passage in the reading view once to give \
                               your name (it is stored with every coding), then accept.";
                    found.set(Some((modelled.clone(), Err(why.into()))));
                    return;
                }
            };
            // Its place in the list.
            let mut place = 0;
            let mut at = button.closest("li").ok().flatten();
            while let Some(li) = at.and_then(|li| li.previous_element_sibling()) {
                place += 1;
                at = Some(li);
            }
            *answered.borrow_mut() = Some(place);
            let limit = DEFAULT_LIMIT;
            // The worker is asked first, so it updates the model and ranks while this page
            // applies and draws the coding.
            ask(
                modelled.clone(),
                SuggestAsk::Answer {
                    code,
                    source,
                    span,
                    accepted,
                    limit,
                },
                true,
            );
            if let Some(coding) = coding {
                dispatch.emit(Action::AddCodings {
                    codings: vec![coding],
                });
            }
        })
    };
    // The unit and the sources, read from the controls when one changes.
    let onchange = {
        let (options, panel) = (options.clone(), panel.clone());
        Callback::from(move |e: Event| {
            let Some(p) = panel.cast::<Element>() else {
                return;
            };
            let unit = p.query_selector("select").ok().flatten();
            let unit = unit.map(|u| u.unchecked_into::<web_sys::HtmlSelectElement>().value());
            let mut sources = Vec::new();
            let mut boxes = 0;
            if let Ok(all) = p.query_selector_all("fieldset input[type=checkbox]") {
                boxes = all.length();
                for i in 0..boxes {
                    let b = all.item(i).map(|b| b.unchecked_into::<HtmlInputElement>());
                    if let Some(id) = b
                        .filter(|b| b.checked())
                        .and_then(|b| SourceId::parse(&b.value()))
                    {
                        sources.push(id);
                    }
                }
            }
            if sources.is_empty() && boxes > 0 {
                // At least one source: the last one stays chosen.
                e.target_unchecked_into::<HtmlInputElement>()
                    .set_checked(true);
                return;
            }
            let summary = match sources.len() as u32 {
                n if n == boxes => "Sources: all".to_string(),
                n => format!("Sources: {n} of {boxes}"),
            };
            if let Ok(Some(s)) = p.query_selector("summary") {
                s.set_text_content(Some(&summary));
            }
            if sources.len() as u32 == boxes {
                sources.clear();
            }
            let unit = unit
                .and_then(|u| UnitKind::from_key(&u))
                .unwrap_or_default();
            let stem = p
                .query_selector("#suggest-stem")
                .ok()
                .flatten()
                .is_some_and(|b| b.unchecked_into::<HtmlInputElement>().checked());
            options.set(SuggestOptions {
                unit,
                sources,
                stem,
            });
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let answer = found.as_ref().map(|(_, a)| a);
    html! {
        <>
            <button class="find-more" aria-expanded={open.to_string()} onclick={toggle}>{"Find more like this"}</button>
            if *open {
                <section class="suggest" aria-label="Find more like this" ref={panel} {onclick} {onchange}>
                    {raw(controls(&props.project))}
                    {raw(status(answer, *updating, "Looking for passages like the coded ones…"))}
                    <div class="suggest-list" inert={*updating}>{raw(list(answer).to_string())}</div>
                </section>
            }
        </>
    }
}

/// Props of [`SuggestCodes`].
#[derive(Properties, PartialEq)]
pub struct SuggestCodesProps {
    /// The project.
    pub project: Rc<Project>,
    /// The passage's source.
    pub source: SourceId,
    /// The passage.
    pub span: Span,
    /// Apply a code to the passage.
    pub on_apply: Callback<CodeId>,
}

/// "Suggest codes" for the selected passage (in the code picker, see the module docs); S asks,
/// 1, 2 or 3 applies one (outside text fields).
#[component]
pub fn SuggestCodes(props: &SuggestCodesProps) -> Html {
    // The passage asked about and, once there, the answer.
    let found = use_state(|| None::<(Span, Option<Answer>)>);
    let asked = found.as_ref().filter(|(span, _)| *span == props.span);
    let ask = {
        let (project, found) = (props.project.clone(), found.clone());
        let (source, span) = (props.source, props.span);
        move || {
            found.set(Some((span, None)));
            let (project, found) = (project.clone(), found.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let ask = SuggestAsk::Codes {
                    source,
                    span,
                    limit: 3,
                };
                let options = SuggestOptions::default();
                let answer = crate::worker_client::suggest(&project, &options, &ask).await;
                found.set(Some((span, Some(answer))));
            });
        }
    };
    // The code of the n-th suggestion (1-based), read from its button.
    let nth = |n: u32| {
        let list = crate::dom::document()?
            .query_selector_all(".picker-suggest [data-code]")
            .ok()?;
        let b = list.item(n.checked_sub(1)?)?.unchecked_into::<Element>();
        CodeId::parse(&b.get_attribute("data-code")?)
    };
    {
        let (on_apply, ask, asked) = (props.on_apply.clone(), ask.clone(), asked.is_some());
        use_document_listener("keydown", false, move |e: &Event| {
            let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            if e.ctrl_key() || e.meta_key() || e.alt_key() || crate::dom::focus_in_text_field() {
                return;
            }
            let key = e.key();
            if (key == "s" || key == "S") && !asked {
                e.prevent_default();
                ask();
            } else if let Some(code) = key.parse().ok().and_then(nth) {
                e.prevent_default();
                on_apply.emit(code);
            }
        });
    }
    // One listener: "Suggest codes" asks, a suggested code applies.
    let onclick = {
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: MouseEvent| match target_button(&e) {
            Some(b) if b.has_attribute("data-ask") => ask(),
            Some(b) => {
                if let Some(code) = b.get_attribute("data-code").and_then(|c| CodeId::parse(&c)) {
                    on_apply.emit(code);
                }
            }
            None => {}
        })
    };
    let markup = match asked {
        None => "<button type=\"button\" data-ask title=\"The codes whose coded passages this one \
                 resembles, from this project's own coding on this computer (S)\">Suggest codes</button>"
            .to_string(),
        Some((_, answer)) => {
            let mut out = status_and_list(answer.as_ref(), "Looking for codes like this passage…");
            if out.contains("data-code") {
                out.push_str(
                    "<p class=\"hint\">Press 1, 2 or 3 to apply one. From this project's own \
                     coding, on this computer: nothing is sent anywhere or applied without your \
                     choice.</p>",
                );
            }
            out
        }
    };
    html! { <div class="picker-suggest" {onclick}>{raw(markup)}</div> }
}
