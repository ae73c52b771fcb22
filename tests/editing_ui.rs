//! Browser tests of editing source text (source_edit.rs) and pseudonymisation (pseudonyms.rs):
//! components rendered into the page, found by role and accessible name, driven like a
//! researcher would (type, leave the field, click).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewise::components::pseudonyms::{
    for_export, PseudonymsDialog, SaveToFile, SaveToFileProps,
};
use framewise::components::source_edit::{
    EditTextButton, EditTextProps, NewFieldNotesButton, NewFieldNotesProps, SourceEditor,
};
use framewise_core::{
    apply, persist, Action, Code, CodeId, Coding, CodingId, History, IdSource, Project, Pseudonym,
    SeqIds, Source, SourceId, SourceKind, Span,
};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

async fn settle() {
    for _ in 0..3 {
        yew::platform::time::sleep(Duration::ZERO).await;
    }
}

fn button(root: &Element, label: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| text(b).trim() == label)
        .unwrap_or_else(|| panic!("no button {label:?}"))
        .dyn_into()
        .unwrap()
}

fn has_button(root: &Element, label: &str) -> bool {
    all(root, "button")
        .into_iter()
        .any(|b| text(&b).trim() == label)
}

fn source(ids: &mut SeqIds, name: &str, text: &str, imported: bool) -> Source {
    Source {
        id: ids.source_id(),
        name: name.into(),
        kind: SourceKind::Interview,
        text: text.into(),
        memo: String::new(),
        imported: 0,
        file_name: imported.then(|| format!("{name}.txt")),
        turns: Vec::new(),
    }
}

struct Fx {
    project: Project,
    sources: Vec<SourceId>,
    code: CodeId,
    codings: Vec<CodingId>,
}

/// Sources with `texts`, one code "Access", and a coding on each `(source index, words)`.
fn fixture(texts: &[&str], coded: &[(usize, &str)]) -> Fx {
    let mut ids = SeqIds::new(21);
    let mut p = Project::new(ids.project_id(), "Evaluation", 0);
    let list: Vec<Source> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| source(&mut ids, &format!("Interview {}", i + 1), t, true))
        .collect();
    let sources: Vec<SourceId> = list.iter().map(|s| s.id).collect();
    p = apply(&p, Action::AddSources { sources: list }).unwrap();
    let code = ids.code_id();
    p = apply(
        &p,
        Action::CreateCode {
            code: Code::inductive(&p, code, "Access", None, 0),
        },
    )
    .unwrap();
    let mut codings = Vec::new();
    for (i, words) in coded {
        let start = texts[*i].find(words).unwrap();
        let c = Coding {
            id: ids.coding_id(),
            source: sources[*i],
            span: Span::new(start, start + words.len()),
            code,
            coder: "Ana".into(),
            created: 0,
        };
        codings.push(c.id);
        p = apply(&p, Action::AddCodings { codings: vec![c] }).unwrap();
    }
    Fx {
        project: p,
        sources,
        code,
        codings,
    }
}

/// The project and history a harness works on (read by the test).
#[derive(Clone)]
struct Shared {
    project: Rc<RefCell<Rc<Project>>>,
    history: Rc<RefCell<History>>,
    done: Rc<RefCell<u32>>,
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.project, &other.project)
    }
}

impl Shared {
    fn new(p: Project) -> Self {
        Self {
            project: Rc::new(RefCell::new(Rc::new(p))),
            history: Rc::new(RefCell::new(History::new())),
            done: Rc::new(RefCell::new(0)),
        }
    }
    fn project(&self) -> Rc<Project> {
        self.project.borrow().clone()
    }
    fn text(&self, id: SourceId) -> String {
        self.project().source(id).unwrap().text.to_string()
    }
    fn coded(&self, id: CodingId) -> Option<String> {
        let p = self.project();
        p.coding(id).map(|c| p.coded_text(c).to_string())
    }
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    shared: Shared,
    source: SourceId,
    /// Render the pseudonymisation dialog instead of the source editor.
    #[prop_or_default]
    pseudonyms: bool,
}

/// Applies actions through a `History` (as the workbench does) and re-renders.
#[component]
fn Harness(props: &HarnessProps) -> Html {
    let revision = use_state(|| 0u32);
    let shared = props.shared.clone();
    let dispatch = {
        let shared = shared.clone();
        let revision = revision.clone();
        Callback::from(move |a: Action| {
            let current = shared.project();
            let next = shared.history.borrow_mut().apply(&current, a).unwrap();
            *shared.project.borrow_mut() = Rc::new(next);
            revision.set(*revision + 1);
        })
    };
    let on_undo = {
        let shared = shared.clone();
        let revision = revision.clone();
        Callback::from(move |_| {
            let current = shared.project();
            if let Some(prev) = shared.history.borrow_mut().undo(&current) {
                *shared.project.borrow_mut() = Rc::new(prev);
            }
            revision.set(*revision + 1);
        })
    };
    let on_done = {
        let done = shared.done.clone();
        Callback::from(move |_| *done.borrow_mut() += 1)
    };
    let project = shared.project();
    if props.pseudonyms {
        html! { <PseudonymsDialog {project} {dispatch} on_close={Callback::noop()} /> }
    } else {
        html! { <SourceEditor {project} source={props.source} {dispatch} {on_undo} {on_done} /> }
    }
}

fn textarea(root: &Element, label: &str) -> HtmlTextAreaElement {
    let l = all(root, "label")
        .into_iter()
        .find(|l| text(l) == label)
        .unwrap_or_else(|| panic!("no label {label:?}"));
    let id = l.get_attribute("for").unwrap();
    one(root, &format!("#{id}")).dyn_into().unwrap()
}

async fn type_and_leave(area: &HtmlTextAreaElement, value: &str) {
    fire(area, "focus");
    area.set_value(value);
    fire(area, "input");
    fire(area, "blur");
    settle().await;
}

#[wasm_bindgen_test]
async fn editing_keeps_codings_on_their_words_and_reports_deleted_ones() {
    let fx = fixture(
        &["We waited for hours. The GP was kind."],
        &[(0, "waited"), (0, "The GP was kind")],
    );
    let (waited, kind) = (fx.codings[0], fx.codings[1]);
    let src = fx.sources[0];
    let shared = Shared::new(fx.project);
    let root = new_root();
    let handle = yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps {
            shared: shared.clone(),
            source: src,
            pseudonyms: false,
        },
    )
    .render();
    settle().await;
    let area = textarea(&root, "Edit the text of Interview 1");
    assert_eq!(area.value(), "We waited for hours. The GP was kind.");
    assert!(text(&root).contains("2 codings follow the words"));

    // Text before a coding: it follows its words.
    type_and_leave(&area, "On Monday we waited for hours. The GP was kind.").await;
    assert_eq!(
        shared.text(src),
        "On Monday we waited for hours. The GP was kind."
    );
    assert_eq!(shared.coded(waited).as_deref(), Some("waited"));
    assert_eq!(shared.coded(kind).as_deref(), Some("The GP was kind"));
    assert!(all(&root, "[role=alert]").is_empty(), "nothing removed yet");

    // Pasted Windows line endings are stored as LF.
    type_and_leave(&area, "On Monday we waited for hours.\r\nThe GP was kind.").await;
    assert_eq!(
        shared.text(src),
        "On Monday we waited for hours.\nThe GP was kind."
    );
    assert_eq!(shared.coded(kind).as_deref(), Some("The GP was kind"));

    // Delete the coded word: the coding goes, a notice lists it with an Undo button.
    type_and_leave(&area, "On Monday we  for hours.\nThe GP was kind.").await;
    assert!(shared.coded(waited).is_none());
    let alert = one(&root, "[role=alert]");
    assert!(
        text(&alert).contains("1 coding lost its text and was removed"),
        "{}",
        text(&alert)
    );
    assert!(
        text(&alert).contains("Access: “waited”"),
        "{}",
        text(&alert)
    );
    button(&alert, "Undo").click();
    settle().await;
    assert_eq!(shared.coded(waited).as_deref(), Some("waited"));
    assert_eq!(
        shared.text(src),
        "On Monday we waited for hours.\nThe GP was kind."
    );
    assert_eq!(
        area.value(),
        "On Monday we waited for hours.\nThe GP was kind."
    );
    assert!(all(&root, "[role=alert]").is_empty(), "the notice closes");

    button(&root, "Done editing").click();
    settle().await;
    assert_eq!(*shared.done.borrow(), 1);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn typing_commits_within_a_second_and_is_one_undo_step() {
    let fx = fixture(&[""], &[]);
    let src = fx.sources[0];
    let shared = Shared::new(fx.project);
    let root = new_root();
    let handle = yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps {
            shared: shared.clone(),
            source: src,
            pseudonyms: false,
        },
    )
    .render();
    settle().await;
    let area = textarea(&root, "Edit the text of Interview 1");
    fire(&area, "focus");
    for t in ["Ob", "Observed", "Observed the ward."] {
        area.set_value(t);
        fire(&area, "input");
        yew::platform::time::sleep(Duration::from_millis(600)).await;
    }
    assert_eq!(
        shared.text(src),
        "Observed the ward.",
        "committed while typing"
    );
    assert_eq!(
        shared.history.borrow().undo_labels().count(),
        1,
        "one undo step for the burst"
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn edit_text_warns_once_for_an_imported_transcript() {
    let root = new_root();
    let edits = Rc::new(RefCell::new(0u32));
    let mut ids = SeqIds::new(90);
    let props = EditTextProps {
        source: ids.source_id(),
        name: "Interview 7".into(),
        imported: true,
        on_edit: {
            let e = edits.clone();
            Callback::from(move |_| *e.borrow_mut() += 1)
        },
    };
    let handle = yew::Renderer::<EditTextButton>::with_root_and_props(root.clone(), props).render();
    settle().await;
    button(&root, "Edit text").click();
    settle().await;
    let dialog = one(&root, "[role=dialog]");
    assert!(text(&dialog).contains("Editing changes the transcript; codings follow the words"));
    assert_eq!(*edits.borrow(), 0);
    button(&dialog, "Edit text").click();
    settle().await;
    assert_eq!(*edits.borrow(), 1);
    assert!(all(&root, "[role=dialog]").is_empty());
    // Once agreed, no second warning for this source.
    button(&root, "Edit text").click();
    settle().await;
    assert!(all(&root, "[role=dialog]").is_empty());
    assert_eq!(*edits.borrow(), 2);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn new_field_notes_is_an_empty_field_notes_source() {
    let root = new_root();
    let actions = Rc::new(RefCell::new(Vec::<Action>::new()));
    let created = Rc::new(RefCell::new(Vec::<SourceId>::new()));
    let props = NewFieldNotesProps {
        dispatch: {
            let a = actions.clone();
            Callback::from(move |x: Action| a.borrow_mut().push(x))
        },
        on_created: {
            let c = created.clone();
            Callback::from(move |id: SourceId| c.borrow_mut().push(id))
        },
    };
    let handle =
        yew::Renderer::<NewFieldNotesButton>::with_root_and_props(root.clone(), props).render();
    settle().await;
    button(&root, "New field notes").click();
    settle().await;
    let actions = actions.borrow();
    let Some(Action::AddSources { sources }) = actions.first() else {
        panic!("expected AddSources, got {actions:?}");
    };
    assert_eq!(sources.len(), 1);
    let s = &sources[0];
    assert_eq!(s.kind, SourceKind::FieldNotes);
    assert!(s.text.is_empty());
    assert!(s.file_name.is_none());
    assert!(s.name.starts_with("Field notes 20"), "{}", s.name);
    assert_eq!(created.borrow().as_slice(), &[s.id]);
    // The empty source is a valid project change.
    let p = Project::new(SeqIds::new(1).project_id(), "P", 0);
    assert!(apply(&p, actions[0].clone()).is_ok());
    handle.destroy();
}

fn set_input(root: &Element, label: &str, value: &str) {
    let input: HtmlInputElement = by_label(root, label).dyn_into().unwrap();
    input.set_value(value);
    fire(&input, "input");
    fire(&input, "change");
}

#[wasm_bindgen_test]
async fn pseudonymise_saves_the_key_and_says_when_it_cannot_plan() {
    let fx = fixture(
        &[
            "I saw Dr Amira Khan today. dr amira KHAN was late.",
            "Khanfield surgery. Ask Khan or Dr Amira Khan.",
        ],
        &[(0, "Dr Amira Khan"), (1, "Khanfield surgery")],
    );
    let s1 = fx.sources[0];
    let _ = fx.code;
    let shared = Shared::new(fx.project);
    let before = shared.project();
    let root = new_root();
    let handle = yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps {
            shared: shared.clone(),
            source: s1,
            pseudonyms: true,
        },
    )
    .render();
    settle().await;
    let dialog = one(&root, "[role=dialog]");
    assert!(text(&dialog).contains("Undo (Ctrl+Z) puts every name back"));

    set_input(&root, "Real name 1", "Dr Amira Khan");
    set_input(&root, "Pseudonym 1", "GP2");
    settle().await;
    button(&root, "Add row").click();
    settle().await;
    assert_eq!(
        document()
            .active_element()
            .and_then(|e| e.get_attribute("aria-label")),
        Some("Real name 2".into()),
        "the new row's first field has focus"
    );
    set_input(&root, "Real name 2", "Khan");
    set_input(&root, "Pseudonym 2", "Person K");
    settle().await;
    assert_eq!(
        shared.project().pseudonyms,
        vec![
            Pseudonym {
                real: "Dr Amira Khan".into(),
                pseudonym: "GP2".into()
            },
            Pseudonym {
                real: "Khan".into(),
                pseudonym: "Person K".into()
            },
        ],
        "the key is saved in the project"
    );

    // The worker plans (the preview, its counts and marks, applying as one undo step and undo
    // are tested in core/tests/pseudonym.rs and end to end in tests/e2e/pseudonym.test.mjs and
    // editing.test.mjs: a wasm-bindgen test has no worker). Without one, the dialog says so and
    // changes nothing.
    button(&root, "Preview").click();
    let mut said = None;
    for _ in 0..400 {
        settle().await;
        said = root
            .query_selector(".pseudonyms-dialog [role=alert]")
            .unwrap()
            .map(|e| text(&e));
        if said.is_some() {
            break;
        }
    }
    let said = said.expect("the dialog says the plan could not be made");
    assert!(
        said.starts_with("Could not plan the replacements: "),
        "{said}"
    );
    assert!(root
        .query_selector("[aria-label=\"Preview of replacements\"]")
        .unwrap()
        .is_none());
    assert_eq!(
        shared.text(s1),
        before.source(s1).unwrap().text.to_string(),
        "nothing changes"
    );
    // Removing a row saves the shorter key.
    button(&root, "Remove").click();
    settle().await;
    assert_eq!(shared.project().pseudonyms.len(), 1);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn project_file_leaves_the_key_out_unless_included() {
    let fx = fixture(&["Text about GP2."], &[]);
    let p = apply(
        &fx.project,
        Action::SetPseudonyms {
            key: vec![Pseudonym {
                real: "Dr Amira Khan".into(),
                pseudonym: "GP2".into(),
            }],
        },
    )
    .unwrap();
    let meta = persist::ProjectMeta::new(0);
    let without = persist::to_project_file(&for_export(&p, false), &meta);
    let with = persist::to_project_file(&for_export(&p, true), &meta);
    assert!(!without.contains("Amira"));
    assert!(with.contains("Amira"));

    let root = new_root();
    let handle = yew::Renderer::<SaveToFile>::with_root_and_props(
        root.clone(),
        SaveToFileProps {
            project: Rc::new(p),
            dispatch: Callback::noop(),
            on_banner: Callback::noop(),
        },
    )
    .render();
    settle().await;
    button(&root, "Save to file").click();
    settle().await;
    let dialog = one(&root, "[role=dialog]");
    let checkbox: HtmlInputElement = labelled(&dialog, "Include the pseudonymisation key")
        .dyn_into()
        .unwrap();
    assert_eq!(checkbox.type_(), "checkbox");
    assert!(!checkbox.checked(), "off by default");
    button(&dialog, "Cancel").click();
    settle().await;
    assert!(!has_button(&root, "Save"));
    handle.destroy();
}
