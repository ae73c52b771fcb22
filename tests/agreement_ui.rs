//! Browser test of the Agreement view with one coder only (it says what to do and asks the
//! worker nothing). The numbers, computed in the worker, are tested end to end in
//! tests/e2e/agreement.test.mjs: a wasm-bindgen test has no worker.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewise::components::agreement::{AgreementView, AgreementViewProps};
use framewise_core::{
    Action, Code, CodeOrigin, Coding, History, IdSource, Project, SeqIds, Source, SourceKind, Span,
};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen_test::*;
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
