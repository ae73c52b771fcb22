//! Browser tests of the Cases view (the case table: grid, keyboard, editing, paste, cases from
//! sources, CSV import preview) and the Themes view (themes with example quotes, sets). Controls
//! are found by role and accessible name, as a researcher using a screen reader would find them.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewise::components::cases::{CasesView, CasesViewProps};
use framewise::components::themes::{ThemesView, ThemesViewProps};
use framewise_core::{
    apply, Action, AttrValue, Attribute, AttributeId, AttributeKind, Case, CaseId, Code, CodeId,
    CodeOrigin, Coding, IdSource, Project, SeqIds, Source, SourceId, SourceKind, Span,
};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
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

fn button(root: &Element, label: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| {
            text(b).trim() == label || b.get_attribute("aria-label").as_deref() == Some(label)
        })
        .unwrap_or_else(|| panic!("no button {label:?}"))
        .dyn_into()
        .unwrap()
}

/// A paste event carrying `text`, as the browser fires it for Ctrl+V.
fn paste(el: &Element, text: &str) {
    let make = js_sys::Function::new_with_args(
        "t",
        "const dt = new DataTransfer(); dt.setData('text/plain', t); \
         return new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true});",
    );
    let event = make
        .call1(&JsValue::NULL, &JsValue::from_str(text))
        .unwrap();
    el.dispatch_event(event.unchecked_ref()).unwrap();
}

fn grid(root: &Element) -> Element {
    by_label(root, "Case table")
}

/// Body rows of the grid, each as its cells' texts.
fn grid_rows(root: &Element) -> Vec<Vec<String>> {
    all(&grid(root), "tbody [role=row]")
        .iter()
        .map(|r| {
            all(r, "[role=gridcell]")
                .iter()
                .map(|c| text(c).trim().to_string())
                .collect()
        })
        .collect()
}

fn cell(root: &Element, row: usize, col: usize) -> Element {
    one(root, &format!("#case-cell-{row}-{col}"))
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

fn case(ids: &mut SeqIds, name: &str, parent: Option<CaseId>, sources: Vec<SourceId>) -> Case {
    Case {
        id: ids.case_id(),
        name: name.into(),
        parent,
        sources,
        memo: String::new(),
        values: BTreeMap::new(),
        created: 0,
        speakers: Vec::new(),
    }
}

/// Two sites; Northgate has participants P01 and P02 (P01 linked to Interview 1). Attributes:
/// rurality (category urban|rural|mixed), decile (number), clinical (yes/no). Interview 3 is in
/// no case.
struct Fixture {
    project: Project,
    sources: Vec<SourceId>,
    northgate: CaseId,
    p01: CaseId,
    p02: CaseId,
    riverside: CaseId,
    rurality: AttributeId,
    decile: AttributeId,
}

fn fixture(seed: u64) -> Fixture {
    let mut ids = SeqIds::new(seed);
    let mut p = Project::new(ids.project_id(), "Evaluation", 0);
    let sources = vec![
        source(
            &mut ids,
            "Interview 1",
            "We have a clinical pharmacist now.",
        ),
        source(&mut ids, "Interview 2", "The rota is hard to fill."),
        source(&mut ids, "Interview 3", "Nobody told us about the roles."),
    ];
    let sids: Vec<SourceId> = sources.iter().map(|s| s.id).collect();
    p = apply(&p, Action::AddSources { sources }).unwrap();
    let northgate = case(&mut ids, "Northgate", None, vec![]);
    let p01 = case(&mut ids, "P01", Some(northgate.id), vec![sids[0]]);
    let riverside = case(&mut ids, "Riverside", None, vec![]);
    let p02 = case(&mut ids, "P02", Some(northgate.id), vec![sids[1]]);
    let (n, a, r, b) = (northgate.id, p01.id, riverside.id, p02.id);
    p = apply(
        &p,
        Action::AddCases {
            cases: vec![northgate, p01, riverside, p02],
        },
    )
    .unwrap();
    let rurality = Attribute {
        id: ids.attribute_id(),
        name: "rurality".into(),
        kind: AttributeKind::Category(vec!["urban".into(), "rural".into(), "mixed".into()]),
    };
    let decile = Attribute {
        id: ids.attribute_id(),
        name: "decile".into(),
        kind: AttributeKind::Number,
    };
    let clinical = Attribute {
        id: ids.attribute_id(),
        name: "clinical".into(),
        kind: AttributeKind::YesNo,
    };
    let (ru, de) = (rurality.id, decile.id);
    for attribute in [rurality, decile, clinical] {
        p = apply(&p, Action::AddAttribute { attribute }).unwrap();
    }
    p = apply(
        &p,
        Action::SetAttributeValues {
            values: vec![(n, ru, Some(AttrValue::Category("urban".into())))],
        },
    )
    .unwrap();
    Fixture {
        project: p,
        sources: sids,
        northgate: n,
        p01: a,
        p02: b,
        riverside: r,
        rurality: ru,
        decile: de,
    }
}

// ---------------------------------------------------------------------------------------------
// Harness: applies actions like the workbench does and records them.

#[derive(Properties, PartialEq)]
struct HarnessProps {
    project: Rc<Project>,
    log: Rc<RefCell<Vec<Action>>>,
    opened: Rc<RefCell<Vec<(SourceId, Span)>>>,
    messages: Rc<RefCell<Vec<String>>>,
    themes: bool,
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    let project = use_state(|| props.project.clone());
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
    let on_open = {
        let opened = props.opened.clone();
        Callback::from(move |at: (SourceId, Span)| opened.borrow_mut().push(at))
    };
    let on_message = {
        let m = props.messages.clone();
        Callback::from(move |s: String| m.borrow_mut().push(s))
    };
    if props.themes {
        let p = ThemesViewProps {
            project: (*project).clone(),
            dispatch,
            on_open,
            on_message,
        };
        html! { <ThemesView ..p /> }
    } else {
        let p = CasesViewProps {
            project: (*project).clone(),
            dispatch,
            on_open,
            on_message,
            case: None,
            on_case: Callback::noop(),
        };
        html! { <CasesView ..p /> }
    }
}

struct Mounted {
    root: Element,
    handle: yew::AppHandle<Harness>,
    log: Rc<RefCell<Vec<Action>>>,
    opened: Rc<RefCell<Vec<(SourceId, Span)>>>,
    messages: Rc<RefCell<Vec<String>>>,
}

impl Mounted {
    fn done(self) {
        self.handle.destroy();
        self.root.remove();
    }
}

async fn mount(project: Project, themes: bool) -> Mounted {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let log = Rc::new(RefCell::new(Vec::new()));
    let opened = Rc::new(RefCell::new(Vec::new()));
    let messages = Rc::new(RefCell::new(Vec::new()));
    let props = HarnessProps {
        project: Rc::new(project),
        log: log.clone(),
        opened: opened.clone(),
        messages: messages.clone(),
        themes,
    };
    let handle = yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    settle().await;
    Mounted {
        root,
        handle,
        log,
        opened,
        messages,
    }
}

// ---------------------------------------------------------------------------------------------
// Case table

#[wasm_bindgen_test]
async fn case_table_renders_cases_in_tree_order_with_attribute_columns() {
    let f = fixture(1);
    let m = mount(f.project, false).await;
    let g = grid(&m.root);
    assert_eq!(g.get_attribute("role").as_deref(), Some("grid"));
    let headers: Vec<String> = all(&g, "[role=columnheader] .attr-name")
        .iter()
        .map(text)
        .collect();
    assert_eq!(headers, vec!["rurality", "decile", "clinical"]);
    let first: Vec<String> = all(&g, "[role=columnheader]")
        .iter()
        .take(3)
        .map(|h| text(h).trim().to_string())
        .collect();
    assert_eq!(first, vec!["Case", "Parent", "Sources"]);
    let rows = grid_rows(&m.root);
    // Sub-cases follow their parent, whatever the project order.
    let names: Vec<&str> = rows.iter().map(|r| r[0].trim_start_matches("↳ ")).collect();
    assert_eq!(names, vec!["Northgate", "P01", "P02", "Riverside"]);
    assert!(rows.iter().all(|r| r.len() == 6), "{rows:?}");
    assert_eq!(rows[1][1], "Northgate", "parent column");
    assert!(rows[1][2].starts_with("Interview 1"), "{:?}", rows[1][2]);
    assert_eq!(rows[0][3], "urban");
    // Values are per case only: P01 inherits nothing from Northgate.
    assert_eq!(rows[1][3], "");
    // Depth shows in the name cell.
    let p01 = one(&cell(&m.root, 1, 0), ".case-name");
    assert!(p01.get_attribute("style").unwrap().contains("--depth:1"));
    m.done();
}

#[wasm_bindgen_test]
async fn keyboard_moves_the_active_cell() {
    let f = fixture(2);
    let m = mount(f.project, false).await;
    let start: HtmlElement = cell(&m.root, 0, 0).dyn_into().unwrap();
    assert_eq!(start.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(
        cell(&m.root, 0, 1).get_attribute("tabindex").as_deref(),
        Some("-1")
    );
    start.focus().unwrap();
    key(&start, "ArrowRight");
    settle().await;
    assert_eq!(active_id(), "case-cell-0-1");
    key(&cell(&m.root, 0, 1), "ArrowDown");
    settle().await;
    assert_eq!(active_id(), "case-cell-1-1");
    assert_eq!(
        cell(&m.root, 1, 1).get_attribute("tabindex").as_deref(),
        Some("0"),
        "roving tabindex follows"
    );
    assert_eq!(
        cell(&m.root, 0, 0).get_attribute("tabindex").as_deref(),
        Some("-1")
    );
    key(&cell(&m.root, 1, 1), "End");
    settle().await;
    assert_eq!(active_id(), "case-cell-1-5");
    key(&cell(&m.root, 1, 5), "ArrowRight");
    settle().await;
    assert_eq!(active_id(), "case-cell-1-5", "stops at the last column");
    key(&cell(&m.root, 1, 5), "Home");
    settle().await;
    assert_eq!(active_id(), "case-cell-1-0");
    key(&cell(&m.root, 1, 0), "ArrowUp");
    key(&cell(&m.root, 0, 0), "ArrowUp");
    settle().await;
    assert_eq!(active_id(), "case-cell-0-0", "stops at the first row");
    assert!(m.log.borrow().is_empty());
    m.done();
}

#[wasm_bindgen_test]
async fn invalid_number_shows_an_error_and_dispatches_nothing() {
    let f = fixture(3);
    let m = mount(f.project, false).await;
    let c: HtmlElement = cell(&m.root, 1, 4).dyn_into().unwrap();
    c.focus().unwrap();
    key(&c, "Enter");
    settle().await;
    let editor: HtmlInputElement = by_label(&m.root, "decile of P01").dyn_into().unwrap();
    assert_eq!(active_id(), "case-cell-editor");
    editor.set_value("abc");
    key(&editor, "Enter");
    settle().await;
    let alert = one(&cell(&m.root, 1, 4), "[role=alert]");
    assert!(text(&alert).contains("not a number"), "{}", text(&alert));
    assert!(m.log.borrow().is_empty(), "{:?}", m.log.borrow());
    let editor: HtmlInputElement = by_label(&m.root, "decile of P01").dyn_into().unwrap();
    assert_eq!(
        editor.value(),
        "abc",
        "the typed text stays to be corrected"
    );
    // Esc cancels: the editor closes, focus returns to the cell, still nothing applied.
    let editor = by_label(&m.root, "decile of P01");
    key(&editor, "Escape");
    settle().await;
    assert_eq!(active_id(), "case-cell-1-4");
    assert!(m
        .root
        .query_selector("#case-cell-editor")
        .unwrap()
        .is_none());
    assert!(m.log.borrow().is_empty());
    m.done();
}

#[wasm_bindgen_test]
async fn typing_a_valid_number_sets_the_value_and_moves_down() {
    let f = fixture(4);
    let (p01, decile) = (f.p01, f.decile);
    let m = mount(f.project, false).await;
    let c: HtmlElement = cell(&m.root, 1, 4).dyn_into().unwrap();
    c.focus().unwrap();
    // Typing starts editing with the typed character.
    key(&c, "7");
    settle().await;
    let editor: HtmlInputElement = by_label(&m.root, "decile of P01").dyn_into().unwrap();
    assert_eq!(editor.value(), "7");
    editor.set_value("7.5");
    key(&editor, "Enter");
    settle().await;
    let log = m.log.borrow().clone();
    let [Action::SetAttributeValues { values }] = log.as_slice() else {
        panic!("expected one SetAttributeValues, got {log:?}")
    };
    assert_eq!(values, &vec![(p01, decile, Some(AttrValue::Number(7.5)))]);
    assert_eq!(grid_rows(&m.root)[1][4], "7.5");
    assert_eq!(active_id(), "case-cell-2-4", "Enter moves down");
    // Tab commits and moves right; an empty value clears.
    key(&cell(&m.root, 2, 4), "F2");
    settle().await;
    let editor: HtmlInputElement = by_label(&m.root, "decile of P02").dyn_into().unwrap();
    editor.set_value("3");
    key(&editor, "Tab");
    settle().await;
    assert_eq!(active_id(), "case-cell-2-5");
    assert_eq!(grid_rows(&m.root)[2][4], "3");
    assert_eq!(m.log.borrow().len(), 2);
    m.done();
}

#[wasm_bindgen_test]
async fn category_cells_edit_with_a_combobox_of_their_values() {
    let f = fixture(5);
    let (riverside, rurality) = (f.riverside, f.rurality);
    let m = mount(f.project, false).await;
    let c: HtmlElement = cell(&m.root, 3, 3).dyn_into().unwrap();
    c.focus().unwrap();
    key(&c, "Enter");
    settle().await;
    let field: HtmlInputElement = by_label(&m.root, "rurality of Riverside")
        .dyn_into()
        .unwrap();
    assert_eq!(field.get_attribute("role").as_deref(), Some("combobox"));
    let listbox = by_label(&m.root, "Values of rurality of Riverside");
    let options: Vec<String> = all(&listbox, "[role=option]").iter().map(text).collect();
    assert_eq!(options, vec!["urban", "rural", "mixed"]);
    // Down twice: the field shows the highlighted value; Enter commits it.
    key(&field, "ArrowDown");
    settle().await;
    key(&field, "ArrowDown");
    settle().await;
    assert_eq!(field.value(), "rural");
    assert_eq!(
        field.get_attribute("aria-activedescendant").as_deref(),
        Some("case-cell-options-1")
    );
    key(&field, "Enter");
    settle().await;
    let log = m.log.borrow().clone();
    assert_eq!(
        log,
        vec![Action::SetAttributeValues {
            values: vec![(
                riverside,
                rurality,
                Some(AttrValue::Category("rural".into()))
            )]
        }]
    );
    m.done();
}

/// Issue 9 (defect): typing into a category cell saved another value (the first key opened a
/// `<select>` and was lost, later keys jumped through its options). The typed key now starts the
/// text, the text is matched exactly (ignoring case), and anything else is refused with a
/// message: never a different value.
#[wasm_bindgen_test]
async fn typing_into_a_category_cell_saves_the_value_typed_or_refuses() {
    let f = fixture(15);
    let (p01, rurality) = (f.p01, f.rurality);
    let m = mount(f.project, false).await;
    let c: HtmlElement = cell(&m.root, 1, 3).dyn_into().unwrap();
    c.focus().unwrap();
    // The first key is kept: it starts the text.
    key(&c, "M");
    settle().await;
    let field: HtmlInputElement = by_label(&m.root, "rurality of P01").dyn_into().unwrap();
    assert_eq!(field.value(), "M");
    // Typing narrows the suggestions.
    field.set_value("Mi");
    fire_input(&field);
    settle().await;
    let listbox = by_label(&m.root, "Values of rurality of P01");
    let options: Vec<String> = all(&listbox, "[role=option]").iter().map(text).collect();
    assert_eq!(options, vec!["mixed"]);
    field.set_value("MIXED");
    fire_input(&field);
    key(&field, "Enter");
    settle().await;
    assert_eq!(
        m.log.borrow().clone(),
        vec![Action::SetAttributeValues {
            values: vec![(p01, rurality, Some(AttrValue::Category("mixed".into())))]
        }],
        "the category typed (any case), nothing else"
    );
    // A value that is not a category is refused with a message; nothing is saved.
    let c: HtmlElement = cell(&m.root, 2, 3).dyn_into().unwrap();
    c.focus().unwrap();
    key(&c, "s");
    settle().await;
    let field: HtmlInputElement = by_label(&m.root, "rurality of P02").dyn_into().unwrap();
    field.set_value("suburban");
    fire_input(&field);
    settle().await;
    assert!(
        all(&m.root, "[role=option]").is_empty(),
        "no suggestion fits"
    );
    key(&field, "Enter");
    settle().await;
    let alert = one(&cell(&m.root, 2, 3), "[role=alert]");
    assert!(
        text(&alert).contains("“suburban” is not one of: urban, rural, mixed"),
        "{}",
        text(&alert)
    );
    assert_eq!(m.log.borrow().len(), 1, "nothing more was saved");
    // A click on a suggestion chooses it.
    let field: HtmlInputElement = by_label(&m.root, "rurality of P02").dyn_into().unwrap();
    field.set_value("");
    fire_input(&field);
    settle().await;
    let urban = all(&m.root, "[role=option]")
        .into_iter()
        .find(|o| text(o) == "urban")
        .unwrap();
    fire_mouse(&urban, "mousedown");
    settle().await;
    assert_eq!(
        m.log.borrow().last().cloned(),
        Some(Action::SetAttributeValues {
            values: vec![(f.p02, rurality, Some(AttrValue::Category("urban".into())))]
        })
    );
    m.done();
}

fn fire_input(el: &Element) {
    fire_js(el, "return new InputEvent('input', {bubbles: true});");
}

fn fire_mouse(el: &Element, kind: &str) {
    fire_js(
        el,
        &format!("return new MouseEvent('{kind}', {{bubbles: true, cancelable: true}});"),
    );
}

fn fire_js(el: &Element, make: &str) {
    let make = js_sys::Function::new_no_args(make);
    let event = make.call0(&JsValue::NULL).unwrap();
    el.dispatch_event(event.unchecked_ref()).unwrap();
}

#[wasm_bindgen_test]
async fn pasting_three_lines_fills_three_rows_in_one_action() {
    let f = fixture(6);
    let (a, b, r, ru) = (f.p01, f.p02, f.riverside, f.rurality);
    let m = mount(f.project, false).await;
    let c: HtmlElement = cell(&m.root, 1, 3).dyn_into().unwrap();
    c.focus().unwrap();
    settle().await;
    paste(&c, "rural\r\nMixed\r\nurban\r\n");
    settle().await;
    let log = m.log.borrow().clone();
    let [Action::SetAttributeValues { values }] = log.as_slice() else {
        panic!("expected one SetAttributeValues, got {log:?}")
    };
    assert_eq!(
        values,
        &vec![
            (a, ru, Some(AttrValue::Category("rural".into()))),
            (b, ru, Some(AttrValue::Category("mixed".into()))),
            (r, ru, Some(AttrValue::Category("urban".into()))),
        ]
    );
    let col: Vec<String> = grid_rows(&m.root).iter().map(|r| r[3].clone()).collect();
    assert_eq!(col, vec!["urban", "rural", "mixed", "urban"]);
    let report = by_label(&m.root, "Paste report");
    assert!(
        text(&report).contains("Pasted 3 values."),
        "{}",
        text(&report)
    );
    m.done();
}

#[wasm_bindgen_test]
async fn pasting_reports_values_that_do_not_fit_by_row_and_skips_them() {
    let f = fixture(7);
    let (n, b, de) = (f.northgate, f.p02, f.decile);
    let m = mount(f.project, false).await;
    let c: HtmlElement = cell(&m.root, 0, 4).dyn_into().unwrap();
    c.focus().unwrap();
    paste(&c, "4\nten\n6\n8\n9");
    settle().await;
    let log = m.log.borrow().clone();
    let [Action::SetAttributeValues { values }] = log.as_slice() else {
        panic!("expected one SetAttributeValues, got {log:?}")
    };
    assert_eq!(values.len(), 3, "{values:?}");
    assert_eq!(values[0], (n, de, Some(AttrValue::Number(4.0))));
    assert_eq!(values[1], (b, de, Some(AttrValue::Number(6.0))));
    let problems: Vec<String> = all(&m.root, "[aria-label='Values not pasted'] li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("Row 2 (P01)"), "{problems:?}");
    assert!(
        problems[1].contains("1 line below the last case"),
        "{problems:?}"
    );
    m.done();
}

#[wasm_bindgen_test]
async fn cases_from_sources_makes_one_case_per_checked_source() {
    let f = fixture(8);
    let sources = f.sources.clone();
    let m = mount(f.project, false).await;
    button(&m.root, "Cases from sources…").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    let boxes: Vec<HtmlInputElement> = all(&dialog, "[aria-label=Sources] input[type=checkbox]")
        .into_iter()
        .map(|e| e.dyn_into().unwrap())
        .collect();
    assert_eq!(boxes.len(), 3);
    // Sources already in a case start unticked.
    assert_eq!(
        boxes.iter().map(|b| b.checked()).collect::<Vec<_>>(),
        vec![false, false, true]
    );
    boxes[0].set_checked(true);
    fire(&boxes[0], "change");
    settle().await;
    button(&dialog, "Create 2 cases").click();
    settle().await;
    let log = m.log.borrow().clone();
    let [Action::AddCases { cases }] = log.as_slice() else {
        panic!("expected one AddCases, got {log:?}")
    };
    let made: Vec<(String, Vec<SourceId>)> = cases
        .iter()
        .map(|c| (c.name.clone(), c.sources.clone()))
        .collect();
    assert_eq!(
        made,
        vec![
            ("Interview 1".to_string(), vec![sources[0]]),
            ("Interview 3".to_string(), vec![sources[2]]),
        ]
    );
    assert!(m.root.query_selector("[role=dialog]").unwrap().is_none());
    assert_eq!(grid_rows(&m.root).len(), 6);
    m.done();
}

#[wasm_bindgen_test]
async fn empty_project_teaches_both_ways_to_create_cases_and_adds_one_by_hand() {
    let mut ids = SeqIds::new(9);
    let p = Project::new(ids.project_id(), "Empty", 0);
    let m = mount(p, false).await;
    let empty = one(&m.root, ".cases-empty");
    assert!(text(&empty).contains("Cases from sources"));
    assert!(text(&empty).contains("Add case"));
    assert!(m.root.query_selector("[role=grid]").unwrap().is_none());
    button(&m.root, "Add case").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    let name: HtmlInputElement = labelled(&dialog, "Name").dyn_into().unwrap();
    name.set_value("Northgate PCN");
    button(&dialog, "Add case").click();
    settle().await;
    let log = m.log.borrow().clone();
    let [Action::AddCases { cases }] = log.as_slice() else {
        panic!("expected one AddCases, got {log:?}")
    };
    assert_eq!(cases[0].name, "Northgate PCN");
    assert_eq!(grid_rows(&m.root)[0][0], "Northgate PCN");
    m.done();
}

/// The page reads the chosen file; the worker parses it (the preview of new cases, attributes,
/// values and problems by line, and the import as one undo step, are tested end to end in
/// tests/e2e/csv-import.test.mjs: a wasm-bindgen test has no worker). What the page says itself
/// names the file and the reason.
#[wasm_bindgen_test]
async fn csv_import_names_the_file_it_cannot_read() {
    let f = fixture(10);
    let m = mount(f.project, false).await;
    let input = by_label(&m.root, "Import case table CSV");
    let said = |n: usize| {
        let messages = m.messages.clone();
        async move {
            for _ in 0..200 {
                if messages.borrow().len() >= n {
                    break;
                }
                settle().await;
            }
            let said = messages.borrow().clone();
            said
        }
    };
    choose_file(&input, "cases.csv", b"case,role\nP01,\xe9\xff\n");
    assert_eq!(
        said(1).await,
        vec![
            "cases.csv could not be read: it is not UTF-8 text (save it from your spreadsheet \
              as \u{201c}CSV UTF-8\u{201d})."
        ]
    );
    // UTF-8 text goes to the worker; without one, the file is named with the reason.
    choose_file(&input, "cases.csv", b"case,role\nP01,manager\n");
    let messages = said(2).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[1].starts_with("cases.csv could not be read: ") && messages[1].ends_with('.'),
        "{messages:?}"
    );
    assert!(m.root.query_selector("[role=dialog]").unwrap().is_none());
    assert!(m.log.borrow().is_empty(), "nothing is imported");
    m.done();
}

#[wasm_bindgen_test]
async fn deleting_a_case_asks_first_and_says_sub_cases_move_up() {
    let f = fixture(11);
    let northgate = f.northgate;
    let m = mount(f.project, false).await;
    let c: HtmlElement = cell(&m.root, 0, 0).dyn_into().unwrap();
    c.focus().unwrap();
    key(&c, "Delete");
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    assert!(text(&dialog).contains("Its 2 sub-cases move up to the top level."));
    assert!(m.log.borrow().is_empty());
    button(&dialog, "Delete case").click();
    settle().await;
    assert_eq!(
        m.log.borrow().clone(),
        vec![Action::DeleteCase { id: northgate }]
    );
    let names: Vec<String> = grid_rows(&m.root).iter().map(|r| r[0].clone()).collect();
    // Sub-cases move up to the top level and keep their place in the project order.
    assert_eq!(names, vec!["P01", "Riverside", "P02"]);
    m.done();
}

#[wasm_bindgen_test]
async fn parent_cell_offers_only_valid_parents() {
    let f = fixture(12);
    let (riverside, northgate) = (f.riverside, f.northgate);
    let m = mount(f.project, false).await;
    // Northgate's parent: not itself, not its sub-cases.
    let c: HtmlElement = cell(&m.root, 0, 1).dyn_into().unwrap();
    c.focus().unwrap();
    key(&c, "Enter");
    settle().await;
    let select: web_sys::HtmlSelectElement =
        by_label(&m.root, "Parent of Northgate").dyn_into().unwrap();
    let options: Vec<String> = all(&select, "option")
        .iter()
        .map(|o| text(o).trim().to_string())
        .collect();
    assert_eq!(options, vec!["— top level", "Riverside"]);
    select.set_value(&riverside.to_string());
    key(&select, "Enter");
    settle().await;
    assert_eq!(
        m.log.borrow().clone(),
        vec![Action::SetCaseParent {
            id: northgate,
            parent: Some(riverside)
        }]
    );
    m.done();
}

// ---------------------------------------------------------------------------------------------
// Themes

fn themes_fixture(seed: u64) -> (Project, SourceId, CodeId, CodeId) {
    let mut ids = SeqIds::new(seed);
    let mut p = Project::new(ids.project_id(), "Evaluation", 0);
    let a = source(
        &mut ids,
        "Interview A",
        "The pharmacist sees patients now. The rota is hard to fill. Funding ends next year.",
    );
    let b = source(&mut ids, "Interview B", "We never got a social prescriber.");
    let (sa, sb) = (a.id, b.id);
    p = apply(
        &p,
        Action::AddSources {
            sources: vec![a, b],
        },
    )
    .unwrap();
    let code = |ids: &mut SeqIds, name: &str, parent: Option<CodeId>, description: &str| Code {
        id: ids.code_id(),
        name: name.into(),
        parent,
        color: "#e69f00".into(),
        description: description.into(),
        origin: CodeOrigin::Deductive,
        memo: String::new(),
        created: 0,
    };
    let workforce = code(&mut ids, "Workforce", None, "How new roles fit in.");
    let roles = code(&mut ids, "New roles", Some(workforce.id), "");
    let rota = code(&mut ids, "Rota gaps", Some(workforce.id), "");
    let money = code(&mut ids, "Funding", None, "");
    let (w, r, g, f) = (workforce.id, roles.id, rota.id, money.id);
    p = apply(
        &p,
        Action::ImportCodes {
            codes: vec![workforce, roles, rota, money],
        },
    )
    .unwrap();
    let coding = |ids: &mut SeqIds, source, code, start, end| Coding {
        id: ids.coding_id(),
        source,
        span: Span::new(start, end),
        code,
        coder: "Ana".into(),
        created: 0,
    };
    let codings = vec![
        coding(&mut ids, sb, r, 0, 33),
        coding(&mut ids, sa, g, 34, 59),
        coding(&mut ids, sa, r, 0, 33),
        coding(&mut ids, sa, f, 60, 83),
    ];
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    (p, sa, w, f)
}

#[wasm_bindgen_test]
async fn themes_list_codes_counts_and_example_quotes_in_document_order() {
    let (p, sa, _w, _f) = themes_fixture(20);
    let m = mount(p, true).await;
    let workforce = all(&m.root, "article")
        .into_iter()
        .find(|a| text(&one(a, "h3")) == "Workforce")
        .expect("a Workforce theme");
    assert!(text(&workforce).contains("How new roles fit in."));
    assert!(
        text(&workforce).contains("3 codings · 2 sources"),
        "{}",
        text(&workforce)
    );
    let codes: Vec<String> = all(&workforce, ".theme-code-name")
        .iter()
        .map(text)
        .collect();
    assert_eq!(codes, vec!["New roles", "Rota gaps"]);
    let quotes = all(
        &workforce,
        "[aria-label='Example quotes for Workforce'] button",
    );
    assert_eq!(quotes.len(), 3);
    let labels: Vec<String> = quotes
        .iter()
        .map(|q| q.get_attribute("title").unwrap())
        .collect();
    assert_eq!(
        labels,
        vec![
            "Open Interview A at this passage",
            "Open Interview A at this passage",
            "Open Interview B at this passage"
        ]
    );
    assert!(text(&quotes[0]).contains("The pharmacist sees patients now."));
    quotes[1].dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
    assert_eq!(m.opened.borrow().clone(), vec![(sa, Span::new(34, 59))]);
    m.done();
}

#[wasm_bindgen_test]
async fn a_set_can_be_created_edited_and_deleted() {
    let (p, _sa, _w, funding) = themes_fixture(21);
    let m = mount(p, true).await;
    button(&m.root, "New set…").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    let name: HtmlInputElement = one(&dialog, "input[type=text]").dyn_into().unwrap();
    name.set_value("Sustainability");
    let rota: HtmlInputElement = by_label(&dialog, "Workforce > Rota gaps")
        .dyn_into()
        .unwrap();
    rota.set_checked(true);
    fire(&rota, "change");
    let money: HtmlInputElement = by_label(&dialog, "Funding").dyn_into().unwrap();
    money.set_checked(true);
    fire(&money, "change");
    settle().await;
    button(&dialog, "Create set").click();
    settle().await;
    let log = m.log.borrow().clone();
    let [Action::CreateSet { set }] = log.as_slice() else {
        panic!("expected one CreateSet, got {log:?}")
    };
    assert_eq!(set.name, "Sustainability");
    assert_eq!(set.codes.len(), 2);
    assert_eq!(set.codes[1], funding, "codes in codebook order");
    let card = all(&m.root, "article.set-card")
        .into_iter()
        .next()
        .expect("the set is listed");
    assert!(text(&card).contains("Workforce > Rota gaps"));
    let quotes = all(
        &card,
        "[aria-label='Example quotes for Sustainability'] button",
    );
    assert_eq!(quotes.len(), 2);

    // Edit: rename.
    button(&m.root, "Edit set Sustainability").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    let name: HtmlInputElement = one(&dialog, "input[type=text]").dyn_into().unwrap();
    assert_eq!(name.value(), "Sustainability");
    name.set_value("Money and staff");
    button(&dialog, "Save set").click();
    settle().await;
    assert!(
        matches!(m.log.borrow().last(), Some(Action::UpdateSet { set }) if set.name == "Money and staff" && set.codes.len() == 2)
    );

    // Delete asks first.
    button(&m.root, "Delete set Money and staff").click();
    settle().await;
    let dialog = one(&m.root, "[role=dialog]");
    assert!(text(&dialog).contains("stay in the codebook"));
    button(&dialog, "Delete set").click();
    settle().await;
    assert!(matches!(
        m.log.borrow().last(),
        Some(Action::DeleteSet { .. })
    ));
    assert!(all(&m.root, "article.set-card").is_empty());
    m.done();
}
