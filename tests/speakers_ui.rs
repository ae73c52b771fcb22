//! Browser tests of speakers everywhere: names and times in the reading view's margin (and the
//! selection still mapping to the right bytes), the speaker filter of retrieval, leaving the
//! interviewer out of a matrix, linking a speaker to a case, and auto-coding the turns of a
//! speaker or a regular expression as one undo step.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewise::components::autocode::{AutocodeButton, AutocodeProps};
use framewise::components::matrix::{MatricesView, MatricesViewProps};
use framewise::components::reader::{CodeLook, Reader, ReaderProps, TextSelection};
use framewise::components::retrieval::{RetrievalProps, RetrievalView};
use framewise::components::speakers::{SourceSpeakers, SourceSpeakersProps};
use framewise::state::Shared;
use framewise_core::{
    apply, Action, Case, CaseId, Code, CodeId, CodeOrigin, Coding, History, IdSource, Matrix,
    Project, SeqIds, Source, SourceId, SourceKind, Span, Turn,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
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

fn check(el: &Element, on: bool) {
    let input: &HtmlInputElement = el.dyn_ref().unwrap();
    input.set_checked(on);
    fire(el, "change");
}

fn choose(el: &Element, value: &str) {
    let select: &HtmlSelectElement = el.dyn_ref().unwrap();
    select.set_value(value);
    fire(el, "change");
}

fn type_into(el: &Element, value: &str) {
    let input: &HtmlInputElement = el.dyn_ref().unwrap();
    input.set_value(value);
    fire(el, "input");
}

const GROUP: [(&str, &str, u64); 5] = [
    ("Interviewer", "How did the funding change things?", 0),
    ("Asha", "The funding came late. We lost two posts.", 4_000),
    ("Interviewer", "And the rooms?", 9_500),
    ("Ben", "Rooms were fine. Funding was the problem!", 12_000),
    ("Asha", "Funding again, yes. Café money 😀 too.", 3_725_000),
];

struct Fixture {
    project: Project,
    group: SourceId,
    plain: SourceId,
    funding: CodeId,
    site: CaseId,
    asha: CaseId,
    matrix: framewise_core::MatrixId,
}

/// A subtitle-like group interview (names only in the turns, with times), a plain transcript
/// with `Label:` turns, a Funding code on every sentence with "funding", a site case with the
/// group source, an Asha case below it, and a matrix with the Funding column.
fn fixture() -> Fixture {
    let mut ids = SeqIds::new(41);
    let mut text = String::new();
    let mut turns = Vec::new();
    for (speaker, said, ms) in GROUP {
        if !text.is_empty() {
            text.push('\n');
        }
        let start = text.len();
        text.push_str(said);
        turns.push(Turn {
            speaker: Some(speaker.into()),
            span: Span::new(start, text.len()),
            start_ms: Some(ms),
            end_ms: None,
        });
    }
    let source = |ids: &mut SeqIds, name: &str, text: &str, turns: Vec<Turn>| Source {
        id: ids.source_id(),
        name: name.into(),
        kind: SourceKind::Interview,
        text: text.into(),
        memo: String::new(),
        imported: 0,
        file_name: None,
        turns,
    };
    let group = source(&mut ids, "Group", &text, turns);
    let plain_text = "Interviewer: Tell me about funding.\nP03: Funding was never enough.\nInterviewer: Thanks.\nP03: Welcome.";
    let plain = source(
        &mut ids,
        "P03",
        plain_text,
        framewise_core::import::detect_turns(plain_text),
    );
    let (group_id, plain_id) = (group.id, plain.id);
    let mut p = Project::new(ids.project_id(), "Speakers", 0);
    p = apply(
        &p,
        Action::AddSources {
            sources: vec![group, plain],
        },
    )
    .unwrap();
    let funding = Code {
        id: ids.code_id(),
        name: "Funding".into(),
        parent: None,
        color: "#0072b2".into(),
        description: String::new(),
        origin: CodeOrigin::Deductive,
        memo: String::new(),
        created: 0,
    };
    let funding_id = funding.id;
    p = apply(&p, Action::CreateCode { code: funding }).unwrap();
    let hits: Vec<(SourceId, Vec<Span>)> = p
        .sources
        .iter()
        .map(|s| {
            (
                s.id,
                framewise_core::autocode::find_plain(&s.text, "funding", true, true),
            )
        })
        .collect();
    let codings = framewise_core::autocode::matches(
        &p,
        &hits,
        funding_id,
        framewise_core::autocode::Scope::Sentence,
        "t",
        0,
        &mut ids,
    );
    assert_eq!(codings.len(), 6);
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    let case =
        |ids: &mut SeqIds, name: &str, parent: Option<CaseId>, sources: Vec<SourceId>| Case {
            id: ids.case_id(),
            name: name.into(),
            parent,
            sources,
            memo: String::new(),
            values: BTreeMap::new(),
            speakers: Vec::new(),
            created: 0,
        };
    let site = case(&mut ids, "Site", None, vec![group_id]);
    let asha = case(&mut ids, "Asha", Some(site.id), vec![]);
    let (site_id, asha_id) = (site.id, asha.id);
    p = apply(
        &p,
        Action::AddCases {
            cases: vec![site, asha],
        },
    )
    .unwrap();
    let matrix = Matrix::new(ids.matrix_id(), "Funding", vec![funding_id], 0);
    let matrix_id = matrix.id;
    p = apply(&p, Action::CreateMatrix { matrix }).unwrap();
    Fixture {
        project: p,
        group: group_id,
        plain: plain_id,
        funding: funding_id,
        site: site_id,
        asha: asha_id,
        matrix: matrix_id,
    }
}

// ---------------------------------------------------------------------------------------------
// A harness that keeps a project and an undo history, like the workbench.

#[derive(Clone, Copy, PartialEq)]
enum Show {
    Matrix,
    Speakers(SourceId),
    Autocode(SourceId),
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    project: Rc<Project>,
    show: Show,
    state: Rc<RefCell<State>>,
}

#[derive(Default)]
struct State {
    history: History,
    project: Option<Rc<Project>>,
    actions: Vec<Action>,
    errors: Vec<String>,
    undo: Option<Callback<()>>,
}

impl PartialEq for State {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    let project = use_state(|| props.project.clone());
    {
        let state = props.state.clone();
        let project = project.clone();
        state.borrow_mut().project = Some((*project).clone());
        let undo = Callback::from(move |_| {
            let before = {
                let mut s = state.borrow_mut();
                let current = s.project.clone().unwrap();
                s.history.undo(&current)
            };
            if let Some(p) = before {
                project.set(Rc::new(p));
            }
        });
        props.state.borrow_mut().undo = Some(undo);
    }
    let dispatch = {
        let project = project.clone();
        let state = props.state.clone();
        Callback::from(move |action: Action| {
            let mut s = state.borrow_mut();
            s.actions.push(action.clone());
            let current = s.project.clone().unwrap();
            match s.history.apply(&current, action) {
                Ok(next) => project.set(Rc::new(next)),
                Err(e) => s.errors.push(e.to_string()),
            }
        })
    };
    let p = (*project).clone();
    match props.show {
        Show::Matrix => {
            let view = MatricesViewProps {
                project: p,
                shown: None,
                dispatch,
                on_open: Callback::noop(),
                on_message: Callback::noop(),
                matrix: None,
                on_matrix: Callback::noop(),
            };
            html! { <MatricesView ..view /> }
        }
        Show::Speakers(source) => {
            let view = SourceSpeakersProps {
                project: p,
                source,
                dispatch,
            };
            html! { <SourceSpeakers ..view /> }
        }
        Show::Autocode(source) => {
            let view = AutocodeProps {
                project: p,
                source: Some(source),
                dispatch,
            };
            html! { <AutocodeButton ..view /> }
        }
    }
}

struct Mounted {
    root: Element,
    handle: yew::AppHandle<Harness>,
    state: Rc<RefCell<State>>,
}

impl Mounted {
    fn project(&self) -> Rc<Project> {
        self.state.borrow().project.clone().unwrap()
    }
    fn done(self) {
        self.handle.destroy();
        self.root.remove();
    }
}

async fn mount(project: Project, show: Show) -> Mounted {
    let root = new_root();
    let state = Rc::new(RefCell::new(State::default()));
    let props = HarnessProps {
        project: Rc::new(project),
        show,
        state: state.clone(),
    };
    let handle = yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    settle().await;
    Mounted {
        root,
        handle,
        state,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading view

fn looks(project: &Project) -> Shared<HashMap<CodeId, CodeLook>> {
    Shared(Arc::new(
        project
            .codes
            .iter()
            .map(|c| {
                (
                    c.id,
                    CodeLook {
                        name: c.name.clone(),
                        color: c.color.clone(),
                    },
                )
            })
            .collect(),
    ))
}

async fn mount_reader(
    project: &Project,
    source: SourceId,
) -> (
    Element,
    yew::AppHandle<Reader>,
    Rc<RefCell<Vec<Option<TextSelection>>>>,
) {
    let root = new_root();
    let selections = Rc::new(RefCell::new(Vec::new()));
    let s = selections.clone();
    let props = ReaderProps {
        node: None,
        source: Shared(project.source(source).unwrap().clone()),
        codings: Shared(Arc::new(project.codings_of(source).to_vec())),
        looks: looks(project),
        selected: None,
        focus: None,
        label_coders: false,
        notes: Rc::new(project.annotations_of(source).to_vec()),
        dispatch: Callback::noop(),
        on_selection: Callback::from(move |sel| s.borrow_mut().push(sel)),
        on_coded_click: Callback::noop(),
        on_enter: Callback::noop(),
    };
    let handle = yew::Renderer::<Reader>::with_root_and_props(root.clone(), props).render();
    settle().await;
    (root, handle, selections)
}

#[wasm_bindgen_test]
async fn reading_view_shows_speakers_and_times_in_the_margin() {
    let f = fixture();
    let (root, handle, selections) = mount_reader(&f.project, f.group).await;
    assert!(one(&root, ".reader")
        .get_attribute("class")
        .unwrap()
        .contains("with-gutter"));
    let names: Vec<String> = all(&root, ".turn-gutter .turn-speaker")
        .iter()
        .map(text)
        .collect();
    assert_eq!(names, ["Interviewer", "Asha", "Interviewer", "Ben", "Asha"]);
    let times: Vec<String> = all(&root, ".turn-gutter .turn-time")
        .iter()
        .map(text)
        .collect();
    assert_eq!(times, ["00:00", "00:04", "00:09", "00:12", "1:02:05"]);
    // One colour per speaker: both of Asha's turns share it, Ben's differs.
    let colour = |i: usize| {
        all(&root, ".turn-speaker")[i]
            .get_attribute("class")
            .unwrap()
    };
    assert_eq!(colour(1), colour(4));
    assert_ne!(colour(1), colour(3));
    assert_eq!(colour(0), colour(2));
    // The names are not in the text the offsets come from.
    let paras: String = all(&root, "p.para").iter().map(text).collect();
    assert!(!paras.contains("Interviewer"));

    // A selection from the margin into the text maps to bytes of the text: from the start of
    // Asha's last paragraph to just after the emoji (UTF-16 surrogates before the end).
    let source = f.project.source(f.group).unwrap();
    let last_start = source.text.find("Funding again").unwrap();
    let gutter = all(&root, ".turn-gutter")[4].clone();
    let para = one(&root, &format!("p.para[data-off=\"{last_start}\"]"));
    let last_segment = all(&para, "span").pop().unwrap();
    assert_eq!(text(&last_segment), " Café money 😀 too.");
    let text_node = last_segment.first_child().unwrap();
    let emoji_end_units = " Café money 😀".encode_utf16().count();
    let selection = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    selection
        .set_base_and_extent(
            &gutter.first_child().unwrap().first_child().unwrap(),
            1,
            &text_node,
            emoji_end_units as u32,
        )
        .unwrap();
    fire(&one(&root, ".reader"), "mouseup");
    settle().await;
    let got = selections.borrow().last().copied().flatten().unwrap();
    assert_eq!(
        &source.text[got.span.start..got.span.end],
        "Funding again, yes. Café money 😀"
    );
    handle.destroy();
    root.remove();

    // Plain text: the label stays in the text, styled as the speaker, no margin needed.
    let (root, handle, _) = mount_reader(&f.project, f.plain).await;
    assert!(!one(&root, ".reader")
        .get_attribute("class")
        .unwrap()
        .contains("with-gutter"));
    let labels: Vec<String> = all(&root, "p.para .speaker").iter().map(text).collect();
    assert_eq!(labels, ["Interviewer:", "P03:", "Interviewer:", "P03:"]);
    assert!(all(&root, "p.para .speaker")[1]
        .get_attribute("class")
        .unwrap()
        .contains("speaker-c1"));
    handle.destroy();
    root.remove();
}

// ---------------------------------------------------------------------------------------------
// Retrieval

#[wasm_bindgen_test]
async fn retrieval_filters_segments_by_speaker() {
    let f = fixture();
    let root = new_root();
    let props = RetrievalProps {
        project: Rc::new(f.project.clone()),
        code: f.funding,
        on_open: Callback::noop(),
        on_close: Callback::noop(),
        include_children: true,
        page: 500,
        more: Html::default(),
    };
    let handle = yew::Renderer::<RetrievalView>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let count = || text(&one(&root, ".retrieval-count"));
    assert_eq!(count(), "6 segments in 2 sources");
    let speakers: Vec<String> = all(&root, ".segment .segment-speaker")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        speakers,
        ["Interviewer", "Asha", "Ben", "Asha", "Interviewer", "P03"]
    );
    let group = by_label(&root, "Speakers");
    let boxes: Vec<String> = all(&group, "label").iter().map(text).collect();
    assert_eq!(boxes, ["Interviewer", "Asha", "Ben", "P03"]);
    let interviewer = labelled(&group, "Interviewer");
    check(&interviewer, false);
    settle().await;
    assert_eq!(count(), "4 segments in 2 sources");
    assert!(all(&root, ".segment .segment-speaker")
        .iter()
        .all(|s| text(s) != "Interviewer"));
    check(&labelled(&group, "P03"), false);
    settle().await;
    assert_eq!(count(), "3 segments in 1 source");
    check(&interviewer, true);
    settle().await;
    assert_eq!(count(), "5 segments in 2 sources");
    handle.destroy();
    root.remove();
}

// ---------------------------------------------------------------------------------------------
// Matrix

fn cell_label(root: &Element, case: &str) -> String {
    all(root, "[role=grid] [aria-label]")
        .into_iter()
        .filter_map(|c| c.get_attribute("aria-label"))
        .find(|l| l.starts_with(&format!("{case} × Funding:")))
        .unwrap_or_else(|| panic!("no cell for {case}"))
}

#[wasm_bindgen_test]
async fn matrix_leaves_out_the_interviewer_and_a_linked_speaker_fills_a_row() {
    let f = fixture();
    let m = mount(f.project.clone(), Show::Matrix).await;
    assert!(cell_label(&m.root, "Site").contains("4 segments"));
    assert!(cell_label(&m.root, "Asha").contains("0 segments"));
    let summary = one(&m.root, ".matrix-speakers summary");
    assert_eq!(text(&summary), "Speakers: all");
    check(&by_label(&m.root, "Leave out Interviewer"), true);
    settle().await;
    assert!(
        cell_label(&m.root, "Site").contains("3 segments"),
        "{}",
        cell_label(&m.root, "Site")
    );
    assert_eq!(
        text(&one(&m.root, ".matrix-speakers summary")),
        "Speakers: excluding Interviewer"
    );
    let matrix = m.project().matrix(f.matrix).unwrap().clone();
    assert_eq!(
        matrix.exclude_speakers.iter().collect::<Vec<_>>(),
        ["Interviewer"]
    );
    // Link Asha to her case: her row gets her turns.
    let linked = apply(
        &m.project(),
        Action::LinkSpeaker {
            case: f.asha,
            source: f.group,
            speaker: "Asha".into(),
        },
    )
    .unwrap();
    m.done();
    let m = mount(linked, Show::Matrix).await;
    assert!(cell_label(&m.root, "Asha").contains("2 segments"));
    assert!(cell_label(&m.root, "Site").contains("3 segments"));
    check(&by_label(&m.root, "Leave out Interviewer"), false);
    settle().await;
    assert!(cell_label(&m.root, "Site").contains("4 segments"));
    m.done();
}

// ---------------------------------------------------------------------------------------------
// Speaker → case

#[wasm_bindgen_test]
async fn a_speaker_is_linked_to_a_case_or_a_new_one() {
    let f = fixture();
    let m = mount(f.project.clone(), Show::Speakers(f.group)).await;
    let panel = by_label(&m.root, "Speakers in this source");
    let rows: Vec<String> = all(&panel, "li").iter().map(text).collect();
    assert!(rows[0].starts_with("Interviewer2 turns"), "{rows:?}");
    assert!(rows[2].starts_with("Ben1 turn"), "{rows:?}");
    choose(&by_label(&m.root, "Case for Asha"), &f.asha.to_string());
    settle().await;
    let p = m.project();
    let asha = p.case(f.asha).unwrap();
    assert_eq!(asha.speakers.len(), 1);
    assert_eq!(asha.speakers[0].speaker, "Asha");
    let select: HtmlSelectElement = by_label(&m.root, "Case for Asha").dyn_into().unwrap();
    assert_eq!(select.value(), f.asha.to_string());
    // "New case…": a case named after the speaker, linked, in one undo step.
    choose(&by_label(&m.root, "Case for Ben"), "new");
    settle().await;
    let p = m.project();
    let ben = p.cases.iter().find(|c| c.name == "Ben").unwrap();
    assert_eq!(ben.speakers[0].speaker, "Ben");
    assert_eq!(ben.speakers[0].source, f.group);
    let select: HtmlSelectElement = by_label(&m.root, "Case for Ben").dyn_into().unwrap();
    assert_eq!(select.value(), ben.id.to_string());
    let cases_before = p.cases.len();
    let undo = m.state.borrow().undo.clone().unwrap();
    undo.emit(());
    settle().await;
    assert_eq!(m.project().cases.len(), cases_before - 1);
    assert!(m.project().case(f.asha).unwrap().speakers.len() == 1);
    // Unlinking.
    choose(&by_label(&m.root, "Case for Asha"), "");
    settle().await;
    assert!(m.project().case(f.asha).unwrap().speakers.is_empty());
    assert!(m.state.borrow().errors.is_empty());
    let _ = f.site;
    m.done();
}

/// The row of a speaker in "Speakers in this source".
fn speaker_row(root: &Element, name: &str) -> Element {
    all(root, ".speakers-panel li")
        .into_iter()
        .find(|li| text(&one(li, ".segment-speaker")) == name)
        .unwrap_or_else(|| panic!("no speaker row {name:?}"))
}

/// Issue 9: the researcher corrects detected speakers: merge, "not a speaker", rename, each one
/// undo step.
#[wasm_bindgen_test]
async fn detected_speakers_can_be_merged_renamed_or_dropped() {
    let f = fixture();
    let m = mount(f.project.clone(), Show::Speakers(f.group)).await;
    let labels = |m: &Mounted| -> Vec<String> {
        m.project()
            .source(f.group)
            .unwrap()
            .turns
            .iter()
            .map(|t| t.speaker.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        labels(&m),
        ["Interviewer", "Asha", "Interviewer", "Ben", "Asha"]
    );
    // Merge Ben into Asha.
    choose(&by_label(&m.root, "Merge Ben into"), "Asha");
    settle().await;
    button(&speaker_row(&m.root, "Ben"), "Merge").click();
    settle().await;
    assert_eq!(
        labels(&m),
        ["Interviewer", "Asha", "Interviewer", "Asha", "Asha"]
    );
    // The interviewer is "not a speaker": the turns rejoin the text before them.
    button(&speaker_row(&m.root, "Interviewer"), "Not a speaker").click();
    settle().await;
    assert_eq!(labels(&m), ["Asha", "Asha", "Asha"]);
    // Rename Asha (both spellings).
    type_into(&by_label(&m.root, "New name for Asha"), "Asha K.");
    settle().await;
    button(&speaker_row(&m.root, "Asha"), "Rename").click();
    settle().await;
    assert_eq!(labels(&m), ["Asha K.", "Asha K.", "Asha K."]);
    let rows: Vec<String> = all(&m.root, ".speakers-panel .segment-speaker")
        .iter()
        .map(text)
        .collect();
    assert_eq!(rows, ["Asha K."]);
    assert!(
        m.state.borrow().errors.is_empty(),
        "{:?}",
        m.state.borrow().errors
    );
    let undo = m.state.borrow().undo.clone().unwrap();
    undo.emit(());
    settle().await;
    assert_eq!(labels(&m), ["Asha", "Asha", "Asha"]);
    m.done();
}

// ---------------------------------------------------------------------------------------------
// Auto-code

fn set_coder() {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item("framewise.coder", "Tester")
        .unwrap();
}

fn dialog(root: &Element) -> Element {
    one(root, "[role=dialog]")
}

#[wasm_bindgen_test]
async fn auto_code_turns_of_a_speaker_is_one_undo_step() {
    set_coder();
    let f = fixture();
    let before = f.project.coding_count();
    let m = mount(f.project.clone(), Show::Autocode(f.group)).await;
    button(&m.root, "Auto-code…").click();
    settle().await;
    let d = dialog(&m.root);
    choose(&by_label(&d, "Speaker"), "Asha");
    check(&labelled(&d, "All sources"), true);
    choose(&by_label(&d, "With code"), "new");
    settle().await;
    type_into(&by_label(&d, "New code name"), "Asha's view");
    settle().await;
    button(&d, "Preview").click();
    settle().await;
    let preview = text(&by_label(&d, "Preview"));
    assert!(preview.contains("2 passages will be coded."), "{preview}");
    assert!(preview.contains("The funding came late. We lost two posts."));
    button(&d, "Apply").click();
    settle().await;
    assert!(
        all(&m.root, "[role=dialog]").is_empty(),
        "the dialog closes"
    );
    let p = m.project();
    let code = p.codes.iter().find(|c| c.name == "Asha's view").unwrap();
    let new: Vec<&Coding> = p.all_codings().filter(|c| c.code == code.id).collect();
    assert_eq!(new.len(), 2);
    assert!(new.iter().all(|c| c.coder == "Tester"));
    assert_eq!(
        m.state.borrow().history.undo_labels().next(),
        Some("Auto-code 2 turns of Asha")
    );
    let undo = m.state.borrow().undo.clone().unwrap();
    undo.emit(());
    settle().await;
    assert_eq!(m.project().coding_count(), before);
    assert!(m.project().codes.iter().all(|c| c.name != "Asha's view"));
    m.done();
}

#[wasm_bindgen_test]
async fn auto_code_a_regular_expression_by_paragraph() {
    set_coder();
    let f = fixture();
    let m = mount(f.project.clone(), Show::Autocode(f.group)).await;
    button(&m.root, "Auto-code…").click();
    settle().await;
    let d = dialog(&m.root);
    check(&labelled(&d, "Every match of a text pattern"), true);
    settle().await;
    check(&labelled(&d, "Regular expression"), true);
    settle().await;
    // An invalid expression shows the browser's message and blocks Apply; nothing panics.
    type_into(&by_label(&d, "Search for"), "(rooms");
    settle().await;
    let error = text(&one(&d, "#autocode-regex-error"));
    assert!(error.starts_with("Invalid regular expression:"), "{error}");
    assert!(button(&d, "Apply").has_attribute("disabled"));
    // Rooms or posts, any case; whole paragraph; all sources; the Funding code.
    type_into(&by_label(&d, "Search for"), "rooms?|posts|café");
    settle().await;
    assert!(all(&d, "#autocode-regex-error").is_empty());
    choose(&by_label(&d, "Code what"), "paragraph");
    choose(&by_label(&d, "With code"), &f.funding.to_string());
    settle().await;
    button(&d, "Preview").click();
    settle().await;
    // Paragraphs: Asha 1 (posts), Interviewer 2 (rooms), Ben (Rooms), Asha 5 (Café).
    let preview = text(&by_label(&d, "Preview"));
    assert!(preview.contains("4 passages will be coded."), "{preview}");
    button(&d, "Apply").click();
    settle().await;
    let p = m.project();
    let label = m
        .state
        .borrow()
        .history
        .undo_labels()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(label, "Auto-code 4 matches of “rooms?|posts|café”");
    // Each paragraph is now covered by Funding: a match that overlaps an earlier Funding
    // coding of the same coder joins it (one coding of the union, issue 9; another coder's
    // coding stays its own, for agreement), others are new codings.
    let group = p.source(f.group).unwrap();
    for paragraph in [
        "The funding came late. We lost two posts.",
        "And the rooms?",
        "Rooms were fine. Funding was the problem!",
        "Funding again, yes. Café money 😀 too.",
    ] {
        let start = group.text.find(paragraph).unwrap();
        let end = start + paragraph.len();
        assert!(
            p.codings_of(f.group)
                .iter()
                .any(|c| c.code == f.funding && c.span.start <= start && end <= c.span.end),
            "{paragraph} is coded with Funding"
        );
    }
    let coders: std::collections::BTreeSet<&str> = p
        .codings_of(f.group)
        .iter()
        .map(|c| c.coder.as_str())
        .collect();
    for coder in coders {
        let funding: Vec<_> = p
            .codings_of(f.group)
            .iter()
            .filter(|c| c.code == f.funding && c.coder == coder)
            .collect();
        assert!(
            funding.windows(2).all(|w| w[0].span.end <= w[1].span.start),
            "{coder}'s Funding codings do not overlap"
        );
    }
    let undo = m.state.borrow().undo.clone().unwrap();
    undo.emit(());
    settle().await;
    assert_eq!(*m.project(), f.project);
    let _ = f.plain;
    m.done();
}
