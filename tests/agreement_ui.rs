//! Browser tests of the Agreement view: two coders' codings give the table's numbers (the worked
//! example of core/tests/agreement.rs), the unit and coders are chosen by their labels, and a
//! disagreement is resolved with "Keep Ana’s" as one undoable step.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewise::components::agreement::{AgreementView, AgreementViewProps};
use framewise_core::{
    Action, Code, CodeOrigin, Coding, History, IdSource, Project, SeqIds, Source, SourceKind, Span,
};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlSelectElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

async fn settle() {
    yew::platform::time::sleep(Duration::ZERO).await;
    yew::platform::time::sleep(Duration::ZERO).await;
}

/// "abcdefghij klmnop": code X: Ana 0..6, Ben 2..8 (table 4/2/2/…); code Y: both 11..14.
fn project() -> Project {
    let mut ids = SeqIds::new(40);
    let mut p = Project::new(ids.project_id(), "Agreement", 0);
    let text = "abcdefghij klmnop";
    let source = Source {
        id: ids.source_id(),
        name: "Interview 1".into(),
        kind: SourceKind::Interview,
        text: text.into(),
        memo: String::new(),
        imported: 0,
        file_name: None,
        turns: Vec::new(),
    };
    let sid = source.id;
    p.sources.push(std::sync::Arc::new(source));
    let mut codes = Vec::new();
    for name in ["X", "Y"] {
        let code = Code {
            id: ids.code_id(),
            name: name.into(),
            parent: None,
            color: "#e69f00".into(),
            description: String::new(),
            origin: CodeOrigin::Inductive,
            memo: String::new(),
            created: 0,
        };
        codes.push(code.id);
        p = framewise_core::apply(&p, Action::CreateCode { code }).unwrap();
    }
    let mut codings = Vec::new();
    for (coder, code, s, e) in [
        ("Ana", 0, 0, 6),
        ("Ben", 0, 2, 8),
        ("Ana", 1, 11, 14),
        ("Ben", 1, 11, 14),
    ] {
        codings.push(Coding {
            id: ids.coding_id(),
            source: sid,
            span: Span::new(s, e),
            code: codes[code],
            coder: coder.into(),
            created: 0,
        });
    }
    framewise_core::apply(&p, Action::AddCodings { codings }).unwrap()
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    project: Rc<Project>,
    history: Rc<RefCell<(History, Vec<Rc<Project>>)>>,
}

/// Applies actions like the workbench (through a `History`, so undo can be checked).
#[component]
fn Harness(props: &HarnessProps) -> Html {
    let project = use_state(|| props.project.clone());
    let dispatch = {
        let project = project.clone();
        let history = props.history.clone();
        Callback::from(move |action: Action| {
            let mut h = history.borrow_mut();
            let next = h.0.apply(&project, action).unwrap();
            let next = Rc::new(next);
            h.1.push(next.clone());
            project.set(next);
        })
    };
    let view = AgreementViewProps {
        project: (*project).clone(),
        dispatch,
        on_open: Callback::noop(),
    };
    html! { <AgreementView ..view /> }
}

fn row(root: &Element, name: &str) -> Vec<String> {
    all(root, "table.agreement-table tr")
        .into_iter()
        .find(|tr| {
            tr.query_selector("th")
                .ok()
                .flatten()
                .is_some_and(|th| text(&th) == name)
        })
        .map(|tr| all(&tr, "td").iter().map(text).collect())
        .unwrap_or_else(|| panic!("no row {name}"))
}

fn button_in(root: &Element, label: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| text(b).trim() == label)
        .unwrap_or_else(|| panic!("no button {label:?}"))
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn two_coders_numbers_and_a_resolved_disagreement() {
    let root = new_root();
    let start = Rc::new(project());
    let history = Rc::new(RefCell::new((History::new(), Vec::new())));
    let props = HarnessProps {
        project: start.clone(),
        history: history.clone(),
    };
    let handle = yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    settle().await;

    // The coders offered are the names on the codings; Ana and Ben are chosen.
    let first: HtmlSelectElement = labelled(&root, "First coder").dyn_into().unwrap();
    assert_eq!(first.value(), "Ana");
    let second: HtmlSelectElement = labelled(&root, "Second coder").dyn_into().unwrap();
    assert_eq!(second.value(), "Ben");
    // 17 characters. X: both 4 (cdef), Ana only 2 (ab), Ben only 2 (gh), neither 9:
    // Po = 13/17 = 76.5 %; p = 6/17 each; Pe = (36 + 121)/289 = 157/289;
    // κ = (221 − 157)/(289 − 157) = 64/132 = 0.485.
    assert_eq!(row(&root, "X"), ["76.5 %", "0.485", "0.500", "4", "2", "2"]);
    assert_eq!(row(&root, "Y")[..2], ["100.0 %", "1.000"]);
    // One disagreement (X), none for Y.
    let status = one(&root, ".disagreements [role=status]");
    assert_eq!(text(&status), "Disagreements: 1 passage");
    let item = by_label(&root, "X in Interview 1");
    assert!(text(&item).contains("abcdef"), "{}", text(&item));
    assert!(text(&item).contains("cdefgh"), "{}", text(&item));

    // Segments at 90 %: X's two segments overlap 4 of 6 characters: unmatched.
    let unit: HtmlSelectElement = labelled(&root, "Unit").dyn_into().unwrap();
    unit.set_value("segment");
    fire(&unit, "change");
    settle().await;
    assert_eq!(row(&root, "X")[..1], ["0.0 %"]);
    labelled(&root, "Minimum overlap");
    unit.set_value("char");
    fire(&unit, "change");
    settle().await;

    // Keep Ana's: one step; the coders agree on X; undo brings the disagreement back.
    button_in(&item, "Keep Ana’s").click();
    settle().await;
    assert_eq!(history.borrow().1.len(), 1);
    assert_eq!(row(&root, "X")[..2], ["100.0 %", "1.000"]);
    assert_eq!(
        text(&one(&root, ".disagreements [role=status]")),
        "No disagreements: the two coders coded the same text."
    );
    let after = history.borrow().1[0].clone();
    let undone = history.borrow_mut().0.undo(&after).unwrap();
    assert_eq!(undone, *start);

    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn one_coder_only_says_what_to_do() {
    let root = new_root();
    let mut p = project();
    let ben: Vec<_> = p
        .all_codings()
        .filter(|c| c.coder == "Ben")
        .map(|c| c.id)
        .collect();
    p = framewise_core::apply(&p, Action::RemoveCodings { ids: ben }).unwrap();
    let props = HarnessProps {
        project: Rc::new(p),
        history: Rc::new(RefCell::new((History::new(), Vec::new()))),
    };
    let handle = yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let t = text(&root);
    assert!(t.contains("one coder, “Ana”"), "{t}");
    assert!(all(&root, "table").is_empty());
    handle.destroy();
    root.remove();
}
