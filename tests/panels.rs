//! Browser tests of the codebook panel, the retrieval view and the memo editor: each component is
//! rendered into the page and inspected through roles and accessible names, as a researcher
//! using a screen reader (or an end-to-end test) would find it.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewise::components::codebook::{CodebookPanel, CodebookProps};
use framewise::components::memo::{MemoEditor, MemoProps};
use framewise::components::retrieval::{RetrievalProps, RetrievalView};
use framewise_core::{
    apply, Action, Code, CodeId, CodeOrigin, Coding, IdSource, Project, SeqIds, Source, SourceId,
    SourceKind, Span,
};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

// ---------------------------------------------------------------------------------------------
// Helpers

async fn settle() {
    yew::platform::time::sleep(Duration::ZERO).await;
    yew::platform::time::sleep(Duration::ZERO).await;
}

/// The button whose visible text is `label`.
fn button(root: &Element, label: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| text(b).trim() == label)
        .unwrap_or_else(|| panic!("no button {label:?}"))
        .dyn_into()
        .unwrap()
}

fn treeitems(root: &Element) -> Vec<Element> {
    all(root, "[role=tree] [role=treeitem]")
}

fn item_named(root: &Element, name: &str) -> Element {
    treeitems(root)
        .into_iter()
        .find(|t| {
            t.get_attribute("aria-label")
                .is_some_and(|l| l.starts_with(&format!("{name},")))
        })
        .unwrap_or_else(|| panic!("no treeitem {name}"))
}

fn code(ids: &mut SeqIds, name: &str, parent: Option<CodeId>, origin: CodeOrigin) -> Code {
    Code {
        id: ids.code_id(),
        name: name.into(),
        parent,
        color: "#e69f00".into(),
        description: String::new(),
        origin,
        memo: String::new(),
        created: 0,
    }
}

fn source(ids: &mut SeqIds, name: &str, text: &str) -> Source {
    Source {
        id: ids.source_id(),
        name: name.into(),
        kind: SourceKind::Interview,
        text: text.into(),
        memo: String::new(),
        imported: 0,
        file_name: None,
        turns: Vec::new(),
    }
}

fn coding(ids: &mut SeqIds, source: SourceId, code: CodeId, start: usize, end: usize) -> Coding {
    Coding {
        id: ids.coding_id(),
        source,
        span: Span::new(start, end),
        code,
        coder: "Ana".into(),
        created: 0,
    }
}

/// A small evaluation project: "Access" (deductive) with child "Transport", and "Cost"
/// (inductive); Access has 3 codings in 2 sources, Transport 1, Cost 1.
struct Fixture {
    project: Project,
    access: CodeId,
    transport: CodeId,
    cost: CodeId,
}

fn fixture(seed: u64) -> Fixture {
    let mut ids = SeqIds::new(seed);
    let mut p = Project::new(ids.project_id(), "Evaluation", 0);
    let a = source(
        &mut ids,
        "Interview A",
        "The bus never comes on time. It costs too much.",
    );
    let b = source(
        &mut ids,
        "Interview B",
        "We walk two hours to the clinic every week.",
    );
    let (sa, sb) = (a.id, b.id);
    p = apply(
        &p,
        Action::AddSources {
            sources: vec![a, b],
        },
    )
    .unwrap();
    let access = code(&mut ids, "Access", None, CodeOrigin::Deductive);
    let transport = code(
        &mut ids,
        "Transport",
        Some(access.id),
        CodeOrigin::Inductive,
    );
    let cost = code(&mut ids, "Cost", None, CodeOrigin::Inductive);
    let (ac, tc, cc) = (access.id, transport.id, cost.id);
    p = apply(
        &p,
        Action::ImportCodes {
            codes: vec![access, transport, cost],
        },
    )
    .unwrap();
    let codings = vec![
        coding(&mut ids, sa, ac, 0, 28),
        coding(&mut ids, sa, ac, 29, 47),
        coding(&mut ids, sb, ac, 0, 43),
        coding(&mut ids, sa, tc, 4, 7),
        coding(&mut ids, sa, cc, 29, 47),
    ];
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    Fixture {
        project: p,
        access: ac,
        transport: tc,
        cost: cc,
    }
}

// ---------------------------------------------------------------------------------------------
// Codebook harness: applies actions like the workbench does and records them.

#[derive(Properties, PartialEq)]
struct HarnessProps {
    project: Rc<Project>,
    log: Rc<RefCell<Vec<Action>>>,
    selected: Rc<RefCell<Vec<Option<CodeId>>>>,
    messages: Rc<RefCell<Vec<String>>>,
    retrieved: Rc<RefCell<Vec<CodeId>>>,
    #[prop_or_default]
    initial: Option<CodeId>,
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    let project = use_state(|| props.project.clone());
    let selected = use_state(|| props.initial);
    let dispatch = {
        let project = project.clone();
        let log = props.log.clone();
        let messages = props.messages.clone();
        Callback::from(move |action: Action| {
            log.borrow_mut().push(action.clone());
            match apply(&project, action) {
                Ok(next) => project.set(Rc::new(next)),
                Err(e) => messages.borrow_mut().push(e.to_string()),
            }
        })
    };
    let on_select = {
        let selected = selected.clone();
        let record = props.selected.clone();
        Callback::from(move |id: Option<CodeId>| {
            record.borrow_mut().push(id);
            selected.set(id);
        })
    };
    let on_retrieve = {
        let r = props.retrieved.clone();
        Callback::from(move |id: CodeId| r.borrow_mut().push(id))
    };
    let on_message = {
        let m = props.messages.clone();
        Callback::from(move |s: String| m.borrow_mut().push(s))
    };
    let panel = CodebookProps {
        project: (*project).clone(),
        dispatch,
        selected: *selected,
        on_select,
        on_retrieve,
        on_message,
        new_code_input: NodeRef::default(),
    };
    html! { <CodebookPanel ..panel /> }
}

struct Mounted {
    root: Element,
    handle: yew::AppHandle<Harness>,
    log: Rc<RefCell<Vec<Action>>>,
    selected: Rc<RefCell<Vec<Option<CodeId>>>>,
    messages: Rc<RefCell<Vec<String>>>,
    retrieved: Rc<RefCell<Vec<CodeId>>>,
}

impl Mounted {
    fn done(self) {
        self.handle.destroy();
        self.root.remove();
    }
}

async fn mount_codebook(project: Project, initial: Option<CodeId>) -> Mounted {
    let root = new_root();
    let log = Rc::new(RefCell::new(Vec::new()));
    let selected = Rc::new(RefCell::new(Vec::new()));
    let messages = Rc::new(RefCell::new(Vec::new()));
    let retrieved = Rc::new(RefCell::new(Vec::new()));
    let props = HarnessProps {
        project: Rc::new(project),
        log: log.clone(),
        selected: selected.clone(),
        messages: messages.clone(),
        retrieved: retrieved.clone(),
        initial,
    };
    let handle = yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    settle().await;
    Mounted {
        root,
        handle,
        log,
        selected,
        messages,
        retrieved,
    }
}

// ---------------------------------------------------------------------------------------------
// Codebook

#[wasm_bindgen_test]
async fn codebook_tree_shows_names_levels_badges_and_counts() {
    let f = fixture(1);
    let m = mount_codebook(f.project, None).await;
    let tree = by_label(&m.root, "Codebook");
    assert_eq!(tree.get_attribute("role").as_deref(), Some("tree"));
    let items = treeitems(&m.root);
    let labels: Vec<String> = items
        .iter()
        .map(|i| i.get_attribute("aria-label").unwrap())
        .collect();
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(
        labels[0].starts_with("Access, 3 codings, 2 sources"),
        "{labels:?}"
    );
    assert!(
        labels[1].starts_with("Transport, 1 coding, 1 source"),
        "{labels:?}"
    );
    assert!(
        labels[2].starts_with("Cost, 1 coding, 1 source"),
        "{labels:?}"
    );

    let access = item_named(&m.root, "Access");
    assert_eq!(access.get_attribute("aria-level").as_deref(), Some("1"));
    assert_eq!(
        access.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert_eq!(
        access.get_attribute("aria-selected").as_deref(),
        Some("false")
    );
    // One line per code: the count of codings in a column, the full counts on hover.
    let counts = one(&access, ".code-counts");
    assert_eq!(text(&counts), "3");
    assert_eq!(
        counts.get_attribute("title").as_deref(),
        Some("3 codings · 2 sources")
    );
    assert_eq!(
        one(&access, ".badge").get_attribute("title").as_deref(),
        Some("Deductive")
    );
    let transport = item_named(&m.root, "Transport");
    assert_eq!(transport.get_attribute("aria-level").as_deref(), Some("2"));
    assert_eq!(
        transport.get_attribute("aria-expanded"),
        None,
        "leaves have no aria-expanded"
    );
    assert_eq!(
        one(&transport, ".badge").get_attribute("title").as_deref(),
        Some("Inductive")
    );
    // Roving tabindex: exactly one item is in the tab order.
    let stops = items
        .iter()
        .filter(|i| i.get_attribute("tabindex").as_deref() == Some("0"))
        .count();
    assert_eq!(stops, 1);

    // Retrieve from the row.
    by_label(&access, "Retrieve every segment coded Access")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    assert_eq!(m.retrieved.borrow().as_slice(), &[f.access]);
    m.done();
}

#[wasm_bindgen_test]
async fn filter_box_narrows_the_tree_to_matches_and_their_ancestors() {
    let f = fixture(31);
    let m = mount_codebook(f.project, None).await;
    let names = |root: &Element| -> Vec<String> {
        treeitems(root)
            .iter()
            .map(|i| text(&one(i, ".code-name")))
            .collect()
    };
    assert_eq!(names(&m.root), vec!["Access", "Transport", "Cost"]);
    // Collapse Access first: a filter still shows the matching child.
    let access = item_named(&m.root, "Access");
    access.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
    key(&access, "ArrowLeft");
    settle().await;
    assert_eq!(names(&m.root), vec!["Access", "Cost"]);
    let filter: HtmlInputElement = by_label(&m.root, "Filter codes").dyn_into().unwrap();
    filter.set_value("TRANS");
    let input = js_sys::Function::new_no_args("return new InputEvent('input', {bubbles: true});")
        .call0(&JsValue::NULL)
        .unwrap();
    filter.dispatch_event(input.unchecked_ref()).unwrap();
    settle().await;
    assert_eq!(
        names(&m.root),
        vec!["Access", "Transport"],
        "the match and its parent"
    );
    let transport = item_named(&m.root, "Transport");
    let class = |e: &Element| e.get_attribute("class").unwrap_or_default();
    assert!(class(&transport).contains("match"), "{}", class(&transport));
    assert!(class(&item_named(&m.root, "Access")).contains("context"));
    // Keyboard: Down moves through the filtered tree only; Enter selects.
    let access = item_named(&m.root, "Access");
    access.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
    key(&access, "ArrowDown");
    settle().await;
    key(&item_named(&m.root, "Transport"), "Enter");
    settle().await;
    assert_eq!(m.selected.borrow().last().copied(), Some(Some(f.transport)));
    // Nothing matches: the tree is empty and says so.
    filter.set_value("zzz");
    filter.dispatch_event(input.unchecked_ref()).unwrap();
    settle().await;
    assert!(treeitems(&m.root).is_empty());
    assert!(text(&m.root).contains("No code matches “zzz”."));
    // Esc in the box clears the filter: every code is back (Access still collapsed).
    key(&filter, "Escape");
    settle().await;
    assert_eq!(filter.value(), "");
    assert_eq!(names(&m.root), vec!["Access", "Cost"]);
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_keyboard_moves_expands_and_selects() {
    let f = fixture(2);
    let m = mount_codebook(f.project, None).await;
    let access = item_named(&m.root, "Access");
    access.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
    settle().await;
    let tree = by_label(&m.root, "Codebook");

    key(&access, "ArrowDown");
    settle().await;
    assert_eq!(active_id(), format!("code-item-{}", f.transport));
    key(&tree, "Enter");
    settle().await;
    // The details editor appeared below the tree; the tree's elements are kept (focus stays).
    assert!(tree.is_connected() && access.is_connected());
    assert_eq!(m.selected.borrow().last().copied(), Some(Some(f.transport)));
    let transport = item_named(&m.root, "Transport");
    assert_eq!(
        transport.get_attribute("aria-selected").as_deref(),
        Some("true")
    );

    key(&transport, "ArrowLeft");
    settle().await;
    assert_eq!(active_id(), format!("code-item-{}", f.access));
    key(&access, "ArrowLeft");
    settle().await;
    let access = item_named(&m.root, "Access");
    assert_eq!(
        access.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(
        treeitems(&m.root).len(),
        2,
        "Transport is hidden when Access is collapsed"
    );
    key(&access, "ArrowDown");
    settle().await;
    assert_eq!(active_id(), format!("code-item-{}", f.cost));
    key(&tree, "ArrowUp");
    settle().await;
    key(&tree, "ArrowRight");
    settle().await;
    assert_eq!(treeitems(&m.root).len(), 3);
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_delete_shows_counts_first_and_children_move_up() {
    let f = fixture(3);
    let m = mount_codebook(f.project, Some(f.access)).await;
    button(&m.root, "Delete…").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    let said = text(&dialog);
    assert!(said.contains("Delete the code “Access”?"), "{said}");
    assert!(said.contains("3 codings in 2 sources"), "{said}");
    assert!(
        said.contains("Its 1 child code moves up to the top level."),
        "{said}"
    );
    assert!(
        m.log.borrow().is_empty(),
        "nothing is deleted before confirming"
    );

    button(&dialog, "Delete code").click();
    settle().await;
    assert_eq!(
        m.log.borrow().as_slice(),
        &[Action::DeleteCode { id: f.access }]
    );
    assert!(m.root.query_selector("[role=dialog]").unwrap().is_none());
    let items = treeitems(&m.root);
    assert_eq!(items.len(), 2);
    let transport = item_named(&m.root, "Transport");
    assert_eq!(transport.get_attribute("aria-level").as_deref(), Some("1"));
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_delete_can_be_cancelled() {
    let f = fixture(4);
    let m = mount_codebook(f.project, Some(f.cost)).await;
    button(&m.root, "Delete…").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    assert!(
        text(&dialog).contains("1 coding in 1 source"),
        "{}",
        text(&dialog)
    );
    button(&dialog, "Cancel").click();
    settle().await;
    assert!(m.root.query_selector("[role=dialog]").unwrap().is_none());
    assert!(m.log.borrow().is_empty());
    assert_eq!(treeitems(&m.root).len(), 3);
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_adds_inductive_codes_and_children() {
    let f = fixture(5);
    let m = mount_codebook(f.project, Some(f.cost)).await;
    let input: HtmlInputElement = by_label(&m.root, "New code name").dyn_into().unwrap();
    input.set_value("Waiting times");
    fire(&input, "input");
    settle().await;
    // As a child of the selected code.
    let child_box: HtmlInputElement = labelled(&m.root, "as child of “Cost”").dyn_into().unwrap();
    child_box.set_checked(true);
    fire(&child_box, "change");
    settle().await;
    button(&m.root, "Add code").click();
    settle().await;
    let log = m.log.borrow().clone();
    let [Action::CreateCode { code }] = log.as_slice() else {
        panic!("expected one CreateCode, got {log:?}")
    };
    assert_eq!(code.name, "Waiting times");
    assert_eq!(code.origin, CodeOrigin::Inductive);
    assert_eq!(code.parent, Some(f.cost));
    assert!(framewise_core::is_valid_color(&code.color));
    assert_eq!(m.selected.borrow().last().copied(), Some(Some(code.id)));
    let item = item_named(&m.root, "Waiting times");
    assert_eq!(item.get_attribute("aria-level").as_deref(), Some("2"));
    assert_eq!(item.get_attribute("aria-selected").as_deref(), Some("true"));
    assert_eq!(input.value(), "", "the field is cleared for the next code");
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_merge_confirmation_names_both_codes_and_counts() {
    let f = fixture(6);
    let m = mount_codebook(f.project, Some(f.access)).await;
    let select: HtmlSelectElement = labelled(&m.root, "Merge into").dyn_into().unwrap();
    select.set_value(&f.cost.to_string());
    fire(&select, "change");
    settle().await;
    button(&m.root, "Merge…").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    let said = text(&dialog);
    assert!(said.contains("Merge “Access” into “Cost”?"), "{said}");
    // One of Access's three passages is already coded with Cost.
    assert!(
        said.contains("2 codings move from “Access” to “Cost”"),
        "{said}"
    );
    assert!(
        said.contains("1 passage already coded with “Cost” will be combined"),
        "{said}"
    );
    button(&dialog, "Merge").click();
    settle().await;
    assert_eq!(
        m.log.borrow().as_slice(),
        &[Action::MergeCodes {
            from: f.access,
            into: f.cost
        }]
    );
    let cost = item_named(&m.root, "Cost");
    assert!(
        cost.get_attribute("aria-label")
            .unwrap()
            .starts_with("Cost, 3 codings, 2 sources"),
        "{:?}",
        cost.get_attribute("aria-label")
    );
    m.done();
}

/// Merging moves the children of the merged code: where one would land beside a code of its
/// name, the dialog says so and Merge is disabled (found by use: two "Transport" under "Cost").
#[wasm_bindgen_test]
async fn codebook_merge_refused_when_children_would_share_a_name() {
    let mut f = fixture(16);
    let mut ids = SeqIds::new(1616);
    let twin = code(&mut ids, "transport", Some(f.cost), CodeOrigin::Inductive);
    f.project = apply(&f.project, Action::CreateCode { code: twin }).unwrap();
    let m = mount_codebook(f.project, Some(f.access)).await;
    let select: HtmlSelectElement = labelled(&m.root, "Merge into").dyn_into().unwrap();
    select.set_value(&f.cost.to_string());
    fire(&select, "change");
    settle().await;
    button(&m.root, "Merge…").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    assert_eq!(
        text(&one(&dialog, "[role=alert]")),
        "Cannot merge them: there is already a code “transport” under “Cost”. Rename one of the two codes first."
    );
    let merge = button(&dialog, "Merge");
    assert!(merge.has_attribute("disabled"));
    merge.click();
    settle().await;
    assert!(m.log.borrow().is_empty(), "nothing dispatched");
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_details_rename_describe_move_and_origin() {
    let f = fixture(7);
    let m = mount_codebook(f.project, Some(f.transport)).await;
    let name: HtmlInputElement = labelled(&m.root, "Name").dyn_into().unwrap();
    name.set_value("Public transport");
    fire(&name, "change");
    settle().await;
    let describe: HtmlTextAreaElement = labelled(&m.root, "Description").dyn_into().unwrap();
    describe.set_value("Buses, trains, shared taxis.");
    fire(&describe, "blur");
    settle().await;
    let origin: HtmlSelectElement = labelled(&m.root, "Type").dyn_into().unwrap();
    origin.set_value("deductive");
    fire(&origin, "change");
    settle().await;
    // Valid parents exclude the code itself.
    let mover: HtmlSelectElement = labelled(&m.root, "Move under").dyn_into().unwrap();
    let options: Vec<String> = all(&mover, "option").iter().map(text).collect();
    assert_eq!(options, vec!["Top level", "Access", "Cost"]);
    mover.set_value("");
    fire(&mover, "change");
    settle().await;
    assert_eq!(
        m.log.borrow().as_slice(),
        &[
            Action::RenameCode {
                id: f.transport,
                name: "Public transport".into()
            },
            Action::DescribeCode {
                id: f.transport,
                description: "Buses, trains, shared taxis.".into()
            },
            Action::SetCodeOrigin {
                id: f.transport,
                origin: CodeOrigin::Deductive
            },
            Action::MoveCode {
                id: f.transport,
                parent: None,
                before: None
            },
        ]
    );
    let item = item_named(&m.root, "Public transport");
    assert_eq!(item.get_attribute("aria-level").as_deref(), Some("1"));
    assert!(item
        .get_attribute("aria-label")
        .unwrap()
        .ends_with("Deductive"));
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_move_under_excludes_descendants() {
    let f = fixture(8);
    let m = mount_codebook(f.project, Some(f.access)).await;
    let mover: HtmlSelectElement = labelled(&m.root, "Move under").dyn_into().unwrap();
    let options: Vec<String> = all(&mover, "option").iter().map(text).collect();
    assert_eq!(
        options,
        vec!["Top level", "Cost"],
        "not itself, not its child Transport"
    );
    mover.set_value(&f.cost.to_string());
    fire(&mover, "change");
    settle().await;
    assert_eq!(
        m.log.borrow().as_slice(),
        &[Action::MoveCode {
            id: f.access,
            parent: Some(f.cost),
            before: None
        }]
    );
    assert_eq!(
        item_named(&m.root, "Transport")
            .get_attribute("aria-level")
            .as_deref(),
        Some("3")
    );
    m.done();
}

fn drag(el: &Element, kind: &str, transfer: &JsValue) {
    let make = js_sys::Function::new_with_args(
        "kind, dt",
        "return new DragEvent(kind, {dataTransfer: dt, bubbles: true, cancelable: true});",
    );
    let event = make
        .call2(&JsValue::NULL, &JsValue::from_str(kind), transfer)
        .unwrap();
    el.dispatch_event(event.unchecked_ref()).unwrap();
}

fn row(root: &Element, name: &str) -> Element {
    one(&item_named(root, name), ".code-row")
}

#[wasm_bindgen_test]
async fn codebook_drag_and_drop_moves_codes_and_refuses_cycles() {
    let f = fixture(11);
    let m = mount_codebook(f.project, None).await;
    let transfer = js_sys::eval("new DataTransfer()").unwrap();

    // Access onto its own child: refused, nothing dispatched.
    drag(&row(&m.root, "Access"), "dragstart", &transfer);
    settle().await;
    drag(&row(&m.root, "Transport"), "dragover", &transfer);
    drag(&row(&m.root, "Transport"), "drop", &transfer);
    drag(&row(&m.root, "Access"), "dragend", &transfer);
    settle().await;
    assert!(m.log.borrow().is_empty(), "{:?}", m.log.borrow());

    // Cost onto Access: becomes its child.
    drag(&row(&m.root, "Cost"), "dragstart", &transfer);
    settle().await;
    drag(&row(&m.root, "Access"), "dragover", &transfer);
    settle().await;
    assert!(row(&m.root, "Access").class_name().contains("drop-target"));
    drag(&row(&m.root, "Access"), "drop", &transfer);
    settle().await;
    assert_eq!(
        m.log.borrow().as_slice(),
        &[Action::MoveCode {
            id: f.cost,
            parent: Some(f.access),
            before: None
        }]
    );
    assert_eq!(
        item_named(&m.root, "Cost")
            .get_attribute("aria-level")
            .as_deref(),
        Some("2")
    );

    // Transport onto the top-level zone shown while dragging.
    drag(&row(&m.root, "Transport"), "dragstart", &transfer);
    settle().await;
    let zone = one(&m.root, ".drop-top");
    assert!(text(&zone).contains("top level"));
    drag(&zone, "dragover", &transfer);
    drag(&zone, "drop", &transfer);
    settle().await;
    assert_eq!(
        m.log.borrow().last(),
        Some(&Action::MoveCode {
            id: f.transport,
            parent: None,
            before: None
        })
    );
    assert_eq!(
        item_named(&m.root, "Transport")
            .get_attribute("aria-level")
            .as_deref(),
        Some("1")
    );
    assert!(m.root.query_selector(".drop-top").unwrap().is_none());
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_empty_state_teaches() {
    let mut ids = SeqIds::new(9);
    let p = Project::new(ids.project_id(), "Empty", 0);
    let m = mount_codebook(p, None).await;
    assert!(treeitems(&m.root).is_empty());
    let said = text(&m.root);
    assert!(said.contains("No codes yet."), "{said}");
    assert!(
        said.contains("import a framework from CSV (name, description, parent)"),
        "{said}"
    );
    m.done();
}

#[wasm_bindgen_test]
async fn codebook_csv_import_previews_codes_and_problems() {
    let f = fixture(10);
    let m = mount_codebook(f.project, None).await;
    let csv = "name,description,parent\nAffordability,Costs of care,\nFees,Official fees,Affordability\nTravel,,Nowhere\n";
    let parts = js_sys::Array::of1(&JsValue::from_str(csv));
    let file = web_sys::File::new_with_str_sequence(&parts, "framework.csv").unwrap();
    // A FileList holding the file, as the file chooser would give it.
    let to_list = js_sys::Function::new_with_args(
        "f",
        "const dt = new DataTransfer(); dt.items.add(f); return dt.files;",
    );
    let files: web_sys::FileList = to_list
        .call1(&JsValue::NULL, &file)
        .unwrap()
        .unchecked_into();
    let input: HtmlInputElement = by_label(&m.root, "Import codebook CSV").dyn_into().unwrap();
    input.set_files(Some(&files));
    fire(&input, "change");
    let mut dialog = None;
    for _ in 0..100 {
        yew::platform::time::sleep(Duration::from_millis(10)).await;
        dialog = m.root.query_selector("[role=dialog]").unwrap();
        if dialog.is_some() {
            break;
        }
    }
    let dialog = dialog.expect("the import preview opens");
    let codes: Vec<String> = all(&dialog, "[aria-label='Codes to add'] .import-path")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        codes,
        vec!["Affordability", "Affordability > Fees", "Travel"]
    );
    let problems: Vec<String> = all(&dialog, "[aria-label=Problems] li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("Line 4:"), "{problems:?}");
    assert!(
        m.log.borrow().is_empty(),
        "nothing is imported before confirming"
    );
    button(&dialog, "Import 3 codes").click();
    settle().await;
    let log = m.log.borrow().clone();
    let [Action::ImportCodes { codes }] = log.as_slice() else {
        panic!("expected one ImportCodes, got {log:?}")
    };
    assert_eq!(codes.len(), 3);
    assert!(codes.iter().all(|c| c.origin == CodeOrigin::Deductive));
    let fees = item_named(&m.root, "Fees");
    assert_eq!(fees.get_attribute("aria-level").as_deref(), Some("2"));
    assert!(m.messages.borrow().is_empty(), "{:?}", m.messages.borrow());
    m.done();
}

// ---------------------------------------------------------------------------------------------
// Retrieval

struct RetrievalFixture {
    project: Rc<Project>,
    parent: CodeId,
    a: SourceId,
    b: SourceId,
}

fn retrieval_fixture(seed: u64) -> RetrievalFixture {
    let mut ids = SeqIds::new(seed);
    let mut p = Project::new(ids.project_id(), "Evaluation", 0);
    let long = format!(
        "{}The clinic is far away. {}",
        "Words before the passage that run on and on. ".repeat(6),
        "And then the words after it keep going for a long while. ".repeat(5)
    );
    let a = source(&mut ids, "Alpha interview", &long);
    let b = source(
        &mut ids,
        "Beta interview",
        "Short text about money and fees.",
    );
    let (sa, sb) = (a.id, b.id);
    let start = long.find("The clinic").unwrap();
    p = apply(
        &p,
        Action::AddSources {
            sources: vec![a, b],
        },
    )
    .unwrap();
    let parent = code(&mut ids, "Access", None, CodeOrigin::Deductive);
    let child = code(&mut ids, "Distance", Some(parent.id), CodeOrigin::Inductive);
    let (pc, cc) = (parent.id, child.id);
    p = apply(
        &p,
        Action::ImportCodes {
            codes: vec![parent, child],
        },
    )
    .unwrap();
    // Added out of document order on purpose.
    let codings = vec![
        coding(&mut ids, sb, pc, 17, 22),
        coding(&mut ids, sa, cc, start, start + 23),
        coding(&mut ids, sa, pc, 0, 5),
    ];
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    RetrievalFixture {
        project: Rc::new(p),
        parent: pc,
        a: sa,
        b: sb,
    }
}

#[wasm_bindgen_test]
async fn retrieval_lists_segments_in_document_order_and_opens_them() {
    let f = retrieval_fixture(20);
    let root = new_root();
    let opened = Rc::new(RefCell::new(Vec::new()));
    let closed = Rc::new(RefCell::new(0));
    let props = RetrievalProps {
        project: f.project.clone(),
        code: f.parent,
        on_open: {
            let o = opened.clone();
            Callback::from(move |x: (SourceId, Span)| o.borrow_mut().push(x))
        },
        on_close: {
            let c = closed.clone();
            Callback::from(move |_| *c.borrow_mut() += 1)
        },
        include_children: true,
        page: 500,
        more: Html::default(),
    };
    let handle = yew::Renderer::<RetrievalView>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let region = by_label(&root, "Retrieved segments");
    assert!(text(&one(&region, "h2")).contains("Retrieved: Access"));
    assert!(
        text(&region).contains("3 segments in 2 sources"),
        "{}",
        text(&region)
    );
    let opens = all(&region, "[aria-label^='Open ']");
    let names: Vec<String> = opens
        .iter()
        .map(|b| b.get_attribute("aria-label").unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Open Alpha interview at this passage",
            "Open Alpha interview at this passage",
            "Open Beta interview at this passage",
        ]
    );
    let coded: Vec<String> = all(&region, ".coded-text").iter().map(text).collect();
    assert_eq!(coded, vec!["Words", "The clinic is far away.", "money"]);
    // The child code's name is shown when children are included.
    assert!(text(&opens[1]).contains("Distance"));
    // Context around the middle passage is cut at words with an ellipsis.
    let contexts = all(&opens[1], ".context");
    let before = text(&contexts[0]);
    let after = text(&contexts[1]);
    assert!(
        before.starts_with('…') && before.chars().count() <= 152,
        "{before:?}"
    );
    assert!(before.ends_with("on and on. "), "{before:?}");
    assert!(
        after.ends_with('…') && after.starts_with(" And then"),
        "{after:?}"
    );

    opens[2].dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
    assert_eq!(opened.borrow().as_slice(), &[(f.b, Span::new(17, 22))]);

    let children: HtmlInputElement = by_label(&region, "Include child codes").dyn_into().unwrap();
    children.set_checked(false);
    fire(&children, "change");
    settle().await;
    assert!(
        text(&region).contains("2 segments in 2 sources"),
        "{}",
        text(&region)
    );
    assert_eq!(all(&region, "[aria-label^='Open ']").len(), 2);

    button(&region, "Back to reading").click();
    settle().await;
    assert_eq!(*closed.borrow(), 1);
    assert!(opened.borrow().iter().all(|(s, _)| *s == f.a || *s == f.b));
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn retrieval_renders_in_pages() {
    let mut ids = SeqIds::new(30);
    let mut p = Project::new(ids.project_id(), "Big", 0);
    let s = source(&mut ids, "Long", &"word ".repeat(2000));
    let sid = s.id;
    p = apply(&p, Action::AddSources { sources: vec![s] }).unwrap();
    let c = code(&mut ids, "Everything", None, CodeOrigin::Inductive);
    let cid = c.id;
    p = apply(&p, Action::CreateCode { code: c }).unwrap();
    let codings = (0..1200)
        .map(|i| coding(&mut ids, sid, cid, i * 5, i * 5 + 4))
        .collect();
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    let root = new_root();
    let props = RetrievalProps {
        project: Rc::new(p),
        code: cid,
        on_open: Callback::noop(),
        on_close: Callback::noop(),
        include_children: true,
        page: 500,
        more: Html::default(),
    };
    let handle = yew::Renderer::<RetrievalView>::with_root_and_props(root.clone(), props).render();
    settle().await;
    assert!(text(&root).contains("1,200 segments in 1 source"));
    assert_eq!(all(&root, "li.segment").len(), 500);
    button(&root, "Show more").click();
    settle().await;
    assert_eq!(all(&root, "li.segment").len(), 1000);
    button(&root, "Show more").click();
    settle().await;
    assert_eq!(all(&root, "li.segment").len(), 1200);
    assert!(all(&root, "button").iter().all(|b| text(b) != "Show more"));
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn retrieval_empty_state() {
    let f = fixture(31);
    let mut project = f.project;
    project = apply(
        &project,
        Action::RemoveCodings {
            ids: project
                .all_codings()
                .filter(|c| c.code == f.cost)
                .map(|c| c.id)
                .collect(),
        },
    )
    .unwrap();
    let root = new_root();
    let props = RetrievalProps {
        project: Rc::new(project),
        code: f.cost,
        on_open: Callback::noop(),
        on_close: Callback::noop(),
        include_children: true,
        page: 500,
        more: Html::default(),
    };
    let handle = yew::Renderer::<RetrievalView>::with_root_and_props(root.clone(), props).render();
    settle().await;
    assert!(text(&root).contains("0 segments in 0 sources"));
    assert!(text(&root).contains("No segments are coded with this code yet."));
    handle.destroy();
    root.remove();
}

// ---------------------------------------------------------------------------------------------
// Memo editor

#[wasm_bindgen_test]
async fn memo_commits_on_blur_only_when_changed() {
    let root = new_root();
    let commits = Rc::new(RefCell::new(Vec::<String>::new()));
    let props = MemoProps {
        label: "Memo on Interview 3".into(),
        value: "first thoughts".into(),
        on_commit: {
            let c = commits.clone();
            Callback::from(move |s: String| c.borrow_mut().push(s))
        },
        placeholder: None,
        rows: 4,
        chips: None,
    };
    let mut handle = yew::Renderer::<MemoEditor>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let label = one(&root, "label");
    assert_eq!(text(&label), "Memo on Interview 3");
    let area: HtmlTextAreaElement = one(&root, "textarea").dyn_into().unwrap();
    assert_eq!(label.get_attribute("for"), Some(area.id()));
    assert_eq!(area.value(), "first thoughts");

    // Focus and leave without changing: nothing is committed.
    area.focus().unwrap();
    fire(&area, "focus");
    fire(&area, "blur");
    settle().await;
    assert!(commits.borrow().is_empty());

    // Type, then leave: one commit.
    fire(&area, "focus");
    area.set_value("first thoughts, revised");
    fire(&area, "input");
    fire(&area, "blur");
    settle().await;
    assert_eq!(
        commits.borrow().as_slice(),
        &["first thoughts, revised".to_string()]
    );
    fire(&area, "blur");
    settle().await;
    assert_eq!(
        commits.borrow().len(),
        1,
        "a second blur commits nothing new"
    );

    // A new value from outside (undo, another memo) shows when the field is not focused.
    handle.update(MemoProps {
        label: "Memo on Interview 4".into(),
        value: "other memo".into(),
        on_commit: Callback::noop(),
        placeholder: None,
        rows: 4,
        chips: None,
    });
    settle().await;
    assert_eq!(area.value(), "other memo");
    assert_eq!(text(&one(&root, "label")), "Memo on Interview 4");
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn memo_commits_after_a_pause_in_typing() {
    let root = new_root();
    let commits = Rc::new(RefCell::new(Vec::<String>::new()));
    let props = MemoProps {
        label: "Memo on the project".into(),
        value: "".into(),
        on_commit: {
            let c = commits.clone();
            Callback::from(move |s: String| c.borrow_mut().push(s))
        },
        placeholder: None,
        rows: 4,
        chips: None,
    };
    let handle = yew::Renderer::<MemoEditor>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let area: HtmlTextAreaElement = one(&root, "textarea").dyn_into().unwrap();
    fire(&area, "focus");
    for typed in ["T", "Th", "The", "Them", "Theme"] {
        area.set_value(typed);
        fire(&area, "input");
        yew::platform::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(commits.borrow().is_empty(), "no commit while typing");
    yew::platform::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(commits.borrow().as_slice(), &["Theme".to_string()]);
    // Leaving the field afterwards does not commit the same text again.
    fire(&area, "blur");
    settle().await;
    assert_eq!(commits.borrow().len(), 1);
    handle.destroy();
    root.remove();
}

/// Issue 2: "every change durable within a second without blocking typing": text typed without
/// any pause is still committed (and so saved) while the typing goes on.
#[wasm_bindgen_test]
async fn memo_commits_while_typing_without_pause() {
    let root = new_root();
    let commits: Rc<RefCell<Vec<String>>> = Rc::default();
    let props = MemoProps {
        label: "Memo on the project".into(),
        value: "".into(),
        on_commit: {
            let c = commits.clone();
            Callback::from(move |s: String| c.borrow_mut().push(s))
        },
        placeholder: None,
        rows: 4,
        chips: None,
    };
    let handle = yew::Renderer::<MemoEditor>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let area: HtmlTextAreaElement = one(&root, "textarea").dyn_into().unwrap();
    fire(&area, "focus");
    let mut typed = String::new();
    for i in 0..12 {
        typed.push(char::from(b'a' + i as u8));
        area.set_value(&typed);
        fire(&area, "input");
        yew::platform::time::sleep(Duration::from_millis(80)).await;
    }
    // ~960 ms of typing without a pause: at least one commit already happened.
    let during = commits.borrow().clone();
    assert!(
        !during.is_empty(),
        "typing without a pause must still be committed"
    );
    assert!(during.iter().all(|c| typed.starts_with(c.as_str())));
    yew::platform::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(commits.borrow().last(), Some(&typed));
    handle.destroy();
    root.remove();
}
