//! Browser tests of the framework matrix view: the matrix is rendered into the page through a
//! harness that applies actions like the workbench does, and inspected through roles and
//! accessible names.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewise::components::matrix::{MatricesView, MatricesViewProps};
use framewise_core::matrix::{quote_token, Matrix, RowSelection};
use framewise_core::{
    apply, Action, AttrValue, Attribute, AttributeKind, Case, CaseId, Code, CodeId, CodeOrigin,
    Coding, CodingId, IdSource, MatrixId, Project, SeqIds, Source, SourceId, SourceKind, Span,
};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

// ---------------------------------------------------------------------------------------------
// Helpers

async fn settle() {
    for _ in 0..3 {
        yew::platform::time::sleep(Duration::ZERO).await;
    }
}

fn buttons(root: &Element, label: &str) -> Vec<HtmlElement> {
    all(root, "button")
        .into_iter()
        .filter(|b| {
            text(b).trim() == label || b.get_attribute("aria-label").as_deref() == Some(label)
        })
        .map(|b| b.dyn_into().unwrap())
        .collect()
}

/// The button whose visible text (or accessible name) is `label`.
fn button(root: &Element, label: &str) -> HtmlElement {
    buttons(root, label)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no button {label:?}"))
}

fn dialog(title: &str) -> Element {
    all(&document().body().unwrap(), "[role=dialog]")
        .into_iter()
        .find(|d| {
            d.query_selector("h2")
                .unwrap()
                .is_some_and(|h| text(&h) == title)
        })
        .unwrap_or_else(|| panic!("no dialog {title:?}"))
}

fn bubbling(el: &Element, event: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let e = web_sys::Event::new_with_event_init_dict(event, &init).unwrap();
    el.dispatch_event(&e).unwrap();
}

fn has_class(el: &Element, class: &str) -> bool {
    el.class_name().split_whitespace().any(|c| c == class)
}

fn cell(root: &Element, label: &str) -> HtmlElement {
    all(root, "[role=gridcell]")
        .into_iter()
        .find(|c| {
            // A cell with a summary ends its name with the summary's first words.
            c.get_attribute("aria-label")
                .is_some_and(|l| l == label || l.starts_with(&format!("{label}: ")))
        })
        .unwrap_or_else(|| {
            let labels: Vec<String> = all(root, "[role=gridcell]")
                .iter()
                .filter_map(|c| c.get_attribute("aria-label"))
                .collect();
            panic!("no cell {label:?} among {labels:?}")
        })
        .dyn_into()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Fixture: three participants (cases) with one interview each; codes Workforce > Recruitment,
// Retention, and Access. P01: Recruitment ×2, Retention ×1; P02: Recruitment ×1; P03: Access ×1.

fn code(ids: &mut SeqIds, name: &str, parent: Option<CodeId>) -> Code {
    Code {
        id: ids.code_id(),
        name: name.into(),
        parent,
        color: "#0072b2".into(),
        description: String::new(),
        origin: CodeOrigin::Deductive,
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

fn case(ids: &mut SeqIds, name: &str, sources: Vec<SourceId>) -> Case {
    Case {
        id: ids.case_id(),
        name: name.into(),
        parent: None,
        sources,
        memo: String::new(),
        values: Default::default(),
        created: 0,
        speakers: Vec::new(),
    }
}

const P01: &str = "We could not recruit a pharmacist for a year. Agencies sent nobody. People leave after six months because there is no supervision.";
const P02: &str = "Recruitment was easy once we advertised with the council.";
const P03: &str = "Patients cannot get to the hub without a car.";

struct Fixture {
    project: Project,
    workforce: CodeId,
    recruitment: CodeId,
    retention: CodeId,
    access: CodeId,
    cases: [CaseId; 3],
    sources: [SourceId; 3],
    /// P01's first Recruitment coding.
    first_recruitment: CodingId,
    matrix: Option<MatrixId>,
}

fn fixture(with_matrix: bool) -> Fixture {
    let mut ids = SeqIds::new(7);
    let mut p = Project::new(ids.project_id(), "ARRS", 0);
    let s1 = source(&mut ids, "Interview P01", P01);
    let s2 = source(&mut ids, "Interview P02", P02);
    let s3 = source(&mut ids, "Interview P03", P03);
    let sources = [s1.id, s2.id, s3.id];
    p = apply(
        &p,
        Action::AddSources {
            sources: vec![s1, s2, s3],
        },
    )
    .unwrap();
    let workforce = code(&mut ids, "Workforce", None);
    let recruitment = code(&mut ids, "Recruitment", Some(workforce.id));
    let retention = code(&mut ids, "Retention", Some(workforce.id));
    let access = code(&mut ids, "Access", None);
    let (w, rc, rt, ac) = (workforce.id, recruitment.id, retention.id, access.id);
    p = apply(
        &p,
        Action::ImportCodes {
            codes: vec![workforce, recruitment, retention, access],
        },
    )
    .unwrap();
    let first = coding(&mut ids, sources[0], rc, 0, 45);
    let first_recruitment = first.id;
    let codings = vec![
        first,
        coding(&mut ids, sources[0], rc, 46, 67),
        coding(&mut ids, sources[0], rt, 68, 130),
        coding(&mut ids, sources[1], rc, 0, 57),
        coding(&mut ids, sources[2], ac, 0, 45),
    ];
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    let c1 = case(&mut ids, "P01", vec![sources[0]]);
    let c2 = case(&mut ids, "P02", vec![sources[1]]);
    let c3 = case(&mut ids, "P03", vec![sources[2]]);
    let cases = [c1.id, c2.id, c3.id];
    p = apply(
        &p,
        Action::AddCases {
            cases: vec![c1, c2, c3],
        },
    )
    .unwrap();
    let mut matrix = None;
    if with_matrix {
        let m = Matrix::new(ids.matrix_id(), "Workforce", vec![rc, rt], 0);
        matrix = Some(m.id);
        let id = m.id;
        p = apply(&p, Action::CreateMatrix { matrix: m }).unwrap();
        p = apply(
            &p,
            Action::SetCellSummaries {
                matrix: id,
                summaries: vec![(cases[0], rt, "Leaves without supervision.".into())],
            },
        )
        .unwrap();
    }
    Fixture {
        project: p,
        workforce: w,
        recruitment: rc,
        retention: rt,
        access: ac,
        cases,
        sources,
        first_recruitment,
        matrix,
    }
}

// ---------------------------------------------------------------------------------------------
// Harness: applies actions like the workbench does, records them and the passages opened.

type Log<T> = Rc<RefCell<Vec<T>>>;

#[derive(Properties, PartialEq)]
struct HarnessProps {
    project: Rc<Project>,
    log: Log<Action>,
    opened: Log<(SourceId, Span)>,
    messages: Log<String>,
    /// Filled with the harness's dispatch, so a test can change the project from outside.
    control: Rc<RefCell<Option<Callback<Action>>>>,
    /// The latest project value.
    latest: Rc<RefCell<Rc<Project>>>,
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    let project = use_state(|| props.project.clone());
    *props.latest.borrow_mut() = (*project).clone();
    let dispatch = {
        let project = project.clone();
        let log = props.log.clone();
        let messages = props.messages.clone();
        let latest = props.latest.clone();
        Callback::from(move |action: Action| {
            log.borrow_mut().push(action.clone());
            // Consecutive dispatches before a re-render build on each other.
            let current = latest.borrow().clone();
            match apply(&current, action) {
                Ok(next) => {
                    let next = Rc::new(next);
                    *latest.borrow_mut() = next.clone();
                    project.set(next);
                }
                Err(e) => messages.borrow_mut().push(e.to_string()),
            }
        })
    };
    *props.control.borrow_mut() = Some(dispatch.clone());
    let on_open = {
        let opened = props.opened.clone();
        Callback::from(move |at: (SourceId, Span)| opened.borrow_mut().push(at))
    };
    let on_message = {
        let m = props.messages.clone();
        Callback::from(move |s: String| m.borrow_mut().push(s))
    };
    let view = MatricesViewProps {
        project: (*project).clone(),
        shown: None,
        dispatch,
        on_open,
        on_message,
        matrix: None,
        on_matrix: Callback::noop(),
    };
    html! { <MatricesView ..view /> }
}

struct Mounted {
    root: Element,
    handle: yew::AppHandle<Harness>,
    log: Log<Action>,
    opened: Log<(SourceId, Span)>,
    messages: Log<String>,
    control: Rc<RefCell<Option<Callback<Action>>>>,
    latest: Rc<RefCell<Rc<Project>>>,
}

impl Mounted {
    fn dispatch(&self, action: Action) {
        let cb = self.control.borrow().clone().unwrap();
        cb.emit(action);
    }
    fn project(&self) -> Rc<Project> {
        self.latest.borrow().clone()
    }
    fn done(self) {
        self.handle.destroy();
        self.root.remove();
    }
}

async fn mount(project: Project) -> Mounted {
    let root = new_root();
    let project = Rc::new(project);
    let props = HarnessProps {
        project: project.clone(),
        log: Default::default(),
        opened: Default::default(),
        messages: Default::default(),
        control: Default::default(),
        latest: Rc::new(RefCell::new(project)),
    };
    let (log, opened, messages, control, latest) = (
        props.log.clone(),
        props.opened.clone(),
        props.messages.clone(),
        props.control.clone(),
        props.latest.clone(),
    );
    let handle = yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    settle().await;
    Mounted {
        root,
        handle,
        log,
        opened,
        messages,
        control,
        latest,
    }
}

fn grid(root: &Element, name: &str) -> Element {
    let g = by_label(root, &format!("Framework matrix {name}"));
    assert_eq!(g.get_attribute("role").as_deref(), Some("grid"));
    g
}

fn headers(root: &Element, role: &str) -> Vec<String> {
    all(root, &format!("[role={role}]"))
        .iter()
        .map(|h| {
            h.query_selector(".mx-colhead-name, .mx-rowhead-name")
                .unwrap()
                .map(|n| text(&n))
                .unwrap_or_else(|| text(h))
                .trim()
                .to_string()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tests

#[wasm_bindgen_test]
async fn a_matrix_is_created_with_the_dialog() {
    let f = fixture(false);
    let m = mount(f.project.clone()).await;
    assert!(text(&m.root).contains("A framework matrix charts your data"));
    button(&m.root, "New matrix…").click();
    settle().await;
    let d = dialog("New matrix");

    // Submitting without a name or columns explains what is missing.
    button(&d, "Create matrix").click();
    settle().await;
    assert_eq!(text(&one(&d, "[role=alert]")), "Give the matrix a name.");

    let name: HtmlInputElement = labelled(&d, "Name").dyn_into().unwrap();
    name.set_value("Workforce by case");
    bubbling(&name, "input");
    button(&d, "All children of Workforce").click();
    settle().await;
    assert!(text(&d).contains("Column order: Recruitment, Retention"));
    button(&d, "Create matrix").click();
    settle().await;

    let created = m
        .log
        .borrow()
        .iter()
        .find_map(|a| match a {
            Action::CreateMatrix { matrix } => Some(matrix.clone()),
            _ => None,
        })
        .expect("a CreateMatrix action");
    assert_eq!(created.name, "Workforce by case");
    assert_eq!(created.columns, vec![f.recruitment, f.retention]);
    assert_eq!(created.rows, RowSelection::All);
    assert!(all(&document().body().unwrap(), "[role=dialog]").is_empty());

    let g = grid(&m.root, "Workforce by case");
    assert_eq!(
        headers(&g, "columnheader"),
        vec!["Case", "Recruitment", "Retention", "Case summary"]
    );
    assert_eq!(headers(&g, "rowheader"), vec!["P01", "P02", "P03"]);
    m.done();
}

#[wasm_bindgen_test]
async fn chosen_cases_and_filters_become_the_rows() {
    let mut f = fixture(true);
    // An attribute "rurality" with P02 rural.
    let mut ids = SeqIds::new(900);
    let attr = Attribute {
        id: ids.attribute_id(),
        name: "rurality".into(),
        kind: AttributeKind::Category(vec!["urban".into(), "rural".into()]),
    };
    let attr_id = attr.id;
    f.project = apply(&f.project, Action::AddAttribute { attribute: attr }).unwrap();
    f.project = apply(
        &f.project,
        Action::SetAttributeValues {
            values: vec![
                (
                    f.cases[1],
                    attr_id,
                    Some(AttrValue::Category("rural".into())),
                ),
                (
                    f.cases[0],
                    attr_id,
                    Some(AttrValue::Category("urban".into())),
                ),
            ],
        },
    )
    .unwrap();
    let m = mount(f.project.clone()).await;
    button(&m.root, "Edit rows and columns…").click();
    settle().await;
    let d = dialog("Edit matrix");
    let filter_radio = all(&d, "input[type=radio]")[2].clone();
    let filter_radio: HtmlInputElement = filter_radio.dyn_into().unwrap();
    filter_radio.set_checked(true);
    bubbling(&filter_radio, "change");
    settle().await;
    button(&d, "Add filter").click();
    settle().await;
    let value: web_sys::HtmlSelectElement = by_label(&d, "Filter value").dyn_into().unwrap();
    value.set_value("rural");
    bubbling(&value, "change");
    settle().await;
    button(&d, "Save matrix").click();
    settle().await;
    let rows = m.log.borrow().iter().find_map(|a| match a {
        Action::Batch { actions, .. } => actions.iter().find_map(|a| match a {
            Action::SetMatrixRows { rows, .. } => Some(rows.clone()),
            _ => None,
        }),
        _ => None,
    });
    match rows {
        Some(RowSelection::Filter(filters)) => {
            assert_eq!(filters.len(), 1);
            assert_eq!(filters[0].attribute, attr_id);
            assert_eq!(filters[0].value, AttrValue::Category("rural".into()));
        }
        other => panic!("expected a filter row selection, got {other:?}"),
    }
    let g = grid(&m.root, "Workforce");
    assert_eq!(headers(&g, "rowheader"), vec!["P02"]);
    assert!(m.messages.borrow().is_empty(), "{:?}", m.messages.borrow());
    m.done();
}

#[wasm_bindgen_test]
async fn rows_grouped_by_an_attribute_get_group_headers() {
    let mut f = fixture(true);
    let mut ids = SeqIds::new(901);
    let attr = Attribute {
        id: ids.attribute_id(),
        name: "rurality".into(),
        kind: AttributeKind::Category(vec!["urban".into(), "rural".into()]),
    };
    let attr_id = attr.id;
    f.project = apply(&f.project, Action::AddAttribute { attribute: attr }).unwrap();
    f.project = apply(
        &f.project,
        Action::SetAttributeValues {
            values: vec![
                (
                    f.cases[0],
                    attr_id,
                    Some(AttrValue::Category("rural".into())),
                ),
                (
                    f.cases[1],
                    attr_id,
                    Some(AttrValue::Category("urban".into())),
                ),
            ],
        },
    )
    .unwrap();
    let m = mount(f.project.clone()).await;
    button(&m.root, "Edit rows and columns…").click();
    settle().await;
    let d = dialog("Edit matrix");
    let group: web_sys::HtmlSelectElement = labelled(&d, "Group rows by").dyn_into().unwrap();
    group.set_value(&attr_id.to_string());
    bubbling(&group, "change");
    settle().await;
    button(&d, "Save matrix").click();
    settle().await;
    let g = grid(&m.root, "Workforce");
    let groups: Vec<String> = all(&g, "tr.mx-group th").iter().map(text).collect();
    assert_eq!(groups.len(), 3, "{groups:?}");
    assert!(
        groups[0].contains("urban") && groups[0].contains("1 case"),
        "{groups:?}"
    );
    assert!(groups[1].contains("rural"), "{groups:?}");
    assert!(groups[2].contains("(no value)"), "{groups:?}");
    let rows: Vec<String> = all(&g, "tbody tr")
        .iter()
        .filter_map(|r| r.query_selector("[role=rowheader]").unwrap())
        .map(|h| text(&h).trim().to_string())
        .collect();
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert_eq!(rows[1], "P02");
    assert_eq!(rows[3], "P01");
    assert_eq!(rows[5], "P03");
    m.done();
}

#[wasm_bindgen_test]
async fn the_grid_shows_rows_columns_counts_and_states() {
    let f = fixture(true);
    let m = mount(f.project.clone()).await;
    let g = grid(&m.root, "Workforce");
    assert_eq!(headers(&g, "rowheader"), vec!["P01", "P02", "P03"]);
    assert_eq!(
        headers(&g, "columnheader"),
        vec!["Case", "Recruitment", "Retention", "Case summary"]
    );
    let p01 = cell(&g, "P01 × Recruitment: 2 segments, not summarised");
    assert!(has_class(&p01, "state-data"));
    let summarised = cell(&g, "P01 × Retention: 1 segment, summarised");
    assert!(has_class(&summarised, "state-summarised"));
    assert!(text(&summarised).contains("Leaves without supervision."));
    cell(&g, "P02 × Recruitment: 1 segment, not summarised");
    let empty = cell(&g, "P03 × Recruitment: 0 segments, empty");
    assert!(has_class(&empty, "state-empty"));
    cell(&g, "P01 × Case summary: empty");
    // Cells with data: P01×Recruitment, P01×Retention, P02×Recruitment; one summarised.
    let status = one(&m.root, ".matrix-progress");
    assert!(
        text(&status).contains("1 of 3 cells with data summarised"),
        "{}",
        text(&status)
    );

    // Keyboard: one tab stop; arrows move it; Enter opens the cell.
    let stops = all(&g, "[role=gridcell][tabindex='0']");
    assert_eq!(stops.len(), 1);
    p01.focus().unwrap();
    key(&p01, "ArrowRight");
    settle().await;
    let active = document().active_element().unwrap();
    // A summarised cell's name ends with the summary it shows (WCAG 2.5.3: the visible text is
    // in the name, in order).
    assert_eq!(
        active.get_attribute("aria-label").as_deref(),
        Some("P01 × Retention: 1 segment, summarised: Leaves without supervision.")
    );
    assert_eq!(active.get_attribute("tabindex").as_deref(), Some("0"));
    key(&active, "ArrowDown");
    settle().await;
    let active = document().active_element().unwrap();
    assert_eq!(
        active.get_attribute("aria-label").as_deref(),
        Some("P02 × Retention: 0 segments, empty")
    );
    key(&active, "Enter");
    settle().await;
    by_label(&m.root, "Cell P02 × Retention");
    m.done();
}

#[wasm_bindgen_test]
async fn opening_a_cell_lists_its_segments_with_source_and_context() {
    let f = fixture(true);
    let m = mount(f.project.clone()).await;
    let g = grid(&m.root, "Workforce");
    cell(&g, "P01 × Recruitment: 2 segments, not summarised").click();
    settle().await;
    let panel = by_label(&m.root, "Cell P01 × Recruitment");
    let segments = all(&panel, ".cell-segment");
    assert_eq!(segments.len(), 2);
    assert_eq!(text(&one(&segments[0], ".segment-source")), "Interview P01");
    assert_eq!(
        text(&one(&segments[0], ".coded-text")),
        "We could not recruit a pharmacist for a year."
    );
    assert_eq!(
        text(&one(&segments[1], ".coded-text")),
        "Agencies sent nobody."
    );
    // The first segment's context after it, the second's before it.
    assert!(text(&segments[0]).contains("Agencies sent nobody."));
    assert!(text(&segments[1]).contains("for a year."));
    // The summary editor is beside the segments.
    let area = one(&panel, "[role=textbox]");
    let label = area.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        text(&one(&panel, &format!("#{label}"))),
        "Summary of P01 × Recruitment"
    );
    assert_eq!(text(&area), "");

    // "Open in source" opens the passage.
    buttons(&panel, "Open in source")[1].click();
    assert_eq!(
        m.opened.borrow().as_slice(),
        &[(f.sources[0], Span::new(46, 67))]
    );
    m.done();
}

#[wasm_bindgen_test]
async fn an_inserted_quote_links_to_its_passage_and_breaks_visibly_when_uncoded() {
    let f = fixture(true);
    let matrix = f.matrix.unwrap();
    let m = mount(f.project.clone()).await;
    let g = grid(&m.root, "Workforce");
    cell(&g, "P01 × Recruitment: 2 segments, not summarised").click();
    settle().await;
    let panel = by_label(&m.root, "Cell P01 × Recruitment");
    let area = one(&panel, "[role=textbox]");
    // The researcher writes, then inserts a quote.
    fire(&area, "focus");
    area.set_text_content(Some("Could not recruit:"));
    fire(&area, "input");
    fire(&area, "blur");
    settle().await;
    buttons(&panel, "Insert quote")[0].click();
    settle().await;
    let expected = format!("Could not recruit: {}", quote_token(f.first_recruitment));
    // The field shows the quote as a readable chip, not its token.
    assert_eq!(
        text(&area),
        "Could not recruit: “We could not recruit a pharmacist for a…” (Interview P01)"
    );
    let chip = one(&area, ".summary-chip");
    assert_eq!(
        chip.get_attribute("data-coding"),
        Some(f.first_recruitment.to_string())
    );
    assert_eq!(
        chip.get_attribute("contenteditable").as_deref(),
        Some("false")
    );
    assert!(!text(&area).contains("[[quote:"));
    let last = m.log.borrow().last().cloned();
    assert_eq!(
        last,
        Some(Action::SetCellSummaries {
            matrix,
            summaries: vec![(f.cases[0], f.recruitment, expected.clone())],
        })
    );
    let stored = m
        .project()
        .matrix(matrix)
        .unwrap()
        .summary(f.cases[0], f.recruitment)
        .to_string();
    assert_eq!(stored, expected);

    // The preview renders the reference as a link to the passage.
    let panel = by_label(&m.root, "Cell P01 × Recruitment");
    let link = button(
        &panel,
        "Open quote: We could not recruit a pharmacist for a… (Interview P01)",
    );
    link.click();
    assert_eq!(
        m.opened.borrow().as_slice(),
        &[(f.sources[0], Span::new(0, 45))]
    );
    // The grid cell now shows a summarised state and a quote chip.
    let g = grid(&m.root, "Workforce");
    let c = cell(&g, "P01 × Recruitment: 2 segments, summarised");
    assert!(c.query_selector(".mx-chip:not(.broken)").unwrap().is_some());

    // The coding is removed: the reference stays, shown as broken.
    m.dispatch(Action::RemoveCodings {
        ids: vec![f.first_recruitment],
    });
    settle().await;
    let panel = by_label(&m.root, "Cell P01 × Recruitment");
    let note = one(&panel, ".summary-preview [role=note]");
    assert_eq!(text(&note), "Broken quote reference (coding removed)");
    assert!(has_class(&note, "broken"));
    assert!(buttons(
        &panel,
        "Open quote: We could not recruit a pharmacist for a… (Interview P01)"
    )
    .is_empty());
    assert_eq!(all(&panel, ".cell-segment").len(), 1);
    let g = grid(&m.root, "Workforce");
    let c = cell(&g, "P01 × Recruitment: 1 segment, summarised");
    assert!(c.query_selector(".mx-chip.broken").unwrap().is_some());
    assert_eq!(
        m.project()
            .matrix(matrix)
            .unwrap()
            .summary(f.cases[0], f.recruitment),
        expected,
        "the reference is kept, not silently dropped"
    );
    m.done();
}

#[wasm_bindgen_test]
async fn seeding_with_quotes_fills_only_empty_cells_that_have_data() {
    let f = fixture(true);
    let matrix = f.matrix.unwrap();
    let m = mount(f.project.clone()).await;
    button(&m.root, "Seed with quotes…").click();
    settle().await;
    let d = dialog("Seed with quotes");
    assert!(text(&d).contains("Fill 2 empty cells"), "{}", text(&d));
    button(&d, "Fill 2 cells").click();
    settle().await;
    let seeded = m.log.borrow().iter().find_map(|a| match a {
        Action::SetCellSummaries {
            matrix: id,
            summaries,
        } if *id == matrix => Some(summaries.clone()),
        _ => None,
    });
    let seeded = seeded.expect("one SetCellSummaries");
    let cells: BTreeSet<(CaseId, CodeId)> = seeded.iter().map(|(a, b, _)| (*a, *b)).collect();
    let expected: BTreeSet<(CaseId, CodeId)> =
        [(f.cases[0], f.recruitment), (f.cases[1], f.recruitment)]
            .into_iter()
            .collect();
    assert_eq!(cells, expected);
    assert!(seeded.iter().all(|(_, _, s)| !s.trim().is_empty()));
    let project = m.project();
    let mx = project.matrix(matrix).unwrap();
    assert_eq!(
        mx.summary(f.cases[0], f.retention),
        "Leaves without supervision.",
        "a written summary is not replaced"
    );
    assert_eq!(
        mx.summary(f.cases[2], f.recruitment),
        "",
        "no data, no seed"
    );
    let status = one(&m.root, ".matrix-progress");
    assert!(text(&status).contains("3 of 3 cells with data summarised"));
    m.done();
}

/// Captures Blobs handed to `URL.createObjectURL` (downloads) in `window.__blobs`.
fn capture_blobs() {
    js_sys::eval(
        "if (!window.__blobs) { window.__blobs = []; const o = URL.createObjectURL; \
         URL.createObjectURL = function (b) { window.__blobs.push(b); return o.call(URL, b); }; } \
         window.__blobs.length = 0;",
    )
    .unwrap();
}

async fn captured_text(index: u32) -> String {
    let blobs = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__blobs".into()).unwrap();
    let blob: web_sys::Blob = js_sys::Array::from(&blobs).get(index).dyn_into().unwrap();
    let text = wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .unwrap();
    text.as_string().unwrap()
}

#[wasm_bindgen_test]
async fn export_csv_downloads_the_summaries() {
    let f = fixture(true);
    let m = mount(f.project.clone()).await;
    capture_blobs();
    let names = Rc::new(RefCell::new(Vec::<String>::new()));
    let listener = {
        let names = names.clone();
        gloo::events::EventListener::new(&document(), "click", move |e| {
            if let Some(a) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            {
                names.borrow_mut().push(a.download());
            }
        })
    };
    button(&m.root, "Export CSV").click();
    settle().await;
    assert_eq!(names.borrow().as_slice(), &["Workforce.csv".to_string()]);
    let csv = captured_text(0).await;
    assert!(csv.contains("Recruitment"), "{csv}");
    assert!(csv.contains("Leaves without supervision."), "{csv}");
    assert!(csv.contains("P03"), "{csv}");
    drop(listener);
    m.done();
}

#[wasm_bindgen_test]
async fn columns_move_from_the_header_menu_and_scope_toggles() {
    let f = fixture(true);
    let matrix = f.matrix.unwrap();
    let m = mount(f.project.clone()).await;
    let menu = button(&m.root, "Column menu for Recruitment");
    assert_eq!(
        menu.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    menu.click();
    settle().await;
    let items = all(&m.root, "[role=menu] [role=menuitem]");
    assert_eq!(
        items.iter().map(text).collect::<Vec<_>>(),
        vec!["Move left", "Move right", "Remove column"]
    );
    button(&m.root, "Move right").click();
    settle().await;
    assert_eq!(
        m.log.borrow().last().cloned(),
        Some(Action::SetMatrixColumns {
            id: matrix,
            columns: vec![f.retention, f.recruitment],
        })
    );
    let g = grid(&m.root, "Workforce");
    assert_eq!(
        headers(&g, "columnheader"),
        vec!["Case", "Retention", "Recruitment", "Case summary"]
    );

    // Child codes: a Workforce column counts its children's segments unless unticked.
    m.dispatch(Action::SetMatrixColumns {
        id: matrix,
        columns: vec![f.workforce, f.access],
    });
    settle().await;
    let g = grid(&m.root, "Workforce");
    cell(&g, "P01 × Workforce: 3 segments, not summarised");
    let toggle: HtmlInputElement = by_label(&m.root, "Include child codes").dyn_into().unwrap();
    assert!(toggle.checked());
    toggle.click();
    settle().await;
    assert_eq!(
        m.log.borrow().last().cloned(),
        Some(Action::SetMatrixScope {
            id: matrix,
            include_subcases: true,
            include_child_codes: false,
        })
    );
    let g = grid(&m.root, "Workforce");
    cell(&g, "P01 × Workforce: 0 segments, empty");
    m.done();
}

#[wasm_bindgen_test]
async fn deleting_a_matrix_asks_first() {
    let f = fixture(true);
    let matrix = f.matrix.unwrap();
    let m = mount(f.project.clone()).await;
    button(&m.root, "Delete…").click();
    settle().await;
    let d = dialog("Delete matrix");
    assert!(text(&d).contains("1 summary"), "{}", text(&d));
    button(&d, "Cancel").click();
    settle().await;
    assert!(m.project().matrix(matrix).is_some());
    button(&m.root, "Delete…").click();
    settle().await;
    button(&dialog("Delete matrix"), "Delete matrix").click();
    settle().await;
    assert!(m.project().matrix(matrix).is_none());
    assert_eq!(
        m.log.borrow().last().cloned(),
        Some(Action::DeleteMatrix { id: matrix })
    );
    m.done();
}

#[wasm_bindgen_test]
async fn the_case_summary_column_edits_the_row_summary() {
    let f = fixture(true);
    let matrix = f.matrix.unwrap();
    let m = mount(f.project.clone()).await;
    let g = grid(&m.root, "Workforce");
    cell(&g, "P01 × Case summary: empty").click();
    settle().await;
    let panel = by_label(&m.root, "Cell P01 × Case summary");
    // The row's cell summaries are shown beside the editor.
    assert!(text(&panel).contains("Leaves without supervision."));
    let area = one(&panel, "[role=textbox]");
    fire(&area, "focus");
    area.set_text_content(Some("Short-staffed, no supervision."));
    fire(&area, "input");
    fire(&area, "blur");
    settle().await;
    assert_eq!(
        m.log.borrow().last().cloned(),
        Some(Action::SetCaseSummary {
            matrix,
            case: f.cases[0],
            summary: "Short-staffed, no supervision.".into(),
        })
    );
    let g = grid(&m.root, "Workforce");
    cell(&g, "P01 × Case summary: written");
    m.done();
}

/// 100 cases × 40 codes with 20,000 codings: renders (time printed to the console), and only
/// the rows near the viewport are in the DOM.
#[wasm_bindgen_test]
async fn a_large_matrix_renders() {
    let mut ids = SeqIds::new(4242);
    let mut p = Project::new(ids.project_id(), "Large", 0);
    let text: String = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(40);
    let sources: Vec<Source> = (0..100)
        .map(|i| source(&mut ids, &format!("Interview {i:03}"), &text))
        .collect();
    let source_ids: Vec<SourceId> = sources.iter().map(|s| s.id).collect();
    p = apply(&p, Action::AddSources { sources }).unwrap();
    let codes: Vec<Code> = (0..40)
        .map(|i| code(&mut ids, &format!("Code {i:02}"), None))
        .collect();
    let code_ids: Vec<CodeId> = codes.iter().map(|c| c.id).collect();
    p = apply(&p, Action::ImportCodes { codes }).unwrap();
    let mut codings = Vec::with_capacity(20_000);
    for (si, s) in source_ids.iter().enumerate() {
        for k in 0..200 {
            let start = (k * 11) % 2000;
            let code = code_ids[(k + si) % 40];
            codings.push(coding(&mut ids, *s, code, start, start + 10));
        }
    }
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    let cases: Vec<Case> = source_ids
        .iter()
        .enumerate()
        .map(|(i, s)| case(&mut ids, &format!("Case {i:03}"), vec![*s]))
        .collect();
    p = apply(&p, Action::AddCases { cases }).unwrap();
    let matrix = Matrix::new(ids.matrix_id(), "Large", code_ids.clone(), 0);
    p = apply(&p, Action::CreateMatrix { matrix }).unwrap();
    assert_eq!(p.coding_count(), 20_000);

    let perf = web_sys::window().unwrap().performance().unwrap();
    let t0 = perf.now();
    let m = mount(p).await;
    let elapsed = perf.now() - t0;
    web_sys::console::log_1(
        &format!("matrix 100 cases x 40 codes, 20,000 codings: rendered in {elapsed:.0} ms").into(),
    );
    let g = grid(&m.root, "Large");
    assert_eq!(g.get_attribute("aria-rowcount").as_deref(), Some("101"));
    let rendered = all(&g, "[role=rowheader]").len();
    assert!(rendered > 0 && rendered < 100, "{rendered} rows rendered");
    // 20,000 codings over 100 cases x 40 codes: 5 per cell.
    cell(&g, "Case 000 × Code 00: 5 segments, not summarised");
    // Only the columns near the viewport are rendered either.
    let first_row = one(&g, "tbody tr.mx-row");
    let rendered_cols = all(&first_row, "[role=gridcell]").len();
    assert!(
        rendered_cols < 41,
        "{rendered_cols} cells rendered in a row"
    );
    // Keyboard travel to the last column and the last row renders them.
    let first = cell(&g, "Case 000 × Code 00: 5 segments, not summarised");
    first.focus().unwrap();
    key(&first, "End");
    settle().await;
    let active = document().active_element().unwrap();
    key(&active, "ArrowLeft");
    settle().await;
    let active = document().active_element().unwrap();
    assert_eq!(
        active.get_attribute("aria-label").as_deref(),
        Some("Case 000 × Code 39: 5 segments, not summarised")
    );
    assert_eq!(active.get_attribute("aria-colindex").as_deref(), Some("41"));
    key(&active, "ArrowRight");
    settle().await;
    let active = document().active_element().unwrap();
    key(&active, "PageDown");
    settle().await;
    for _ in 0..10 {
        let active = document().active_element().unwrap();
        key(&active, "PageDown");
        settle().await;
    }
    let active = document().active_element().unwrap();
    assert_eq!(
        active.get_attribute("aria-label").as_deref(),
        Some("Case 099 × Case summary: empty")
    );
    m.done();
}
