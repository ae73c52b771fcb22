//! The codebook panel: the tree of codes (colour, name, deductive/inductive badge, counts of
//! codings and sources), a form to add codes, a details editor for the selected code (rename,
//! recolour, describe, deductive/inductive, memo, move, merge, delete), drag and drop to move
//! codes, and codebook CSV import (`name,description,parent`) and export.
//!
//! The tree follows the WAI-ARIA tree pattern: `role="tree"`, `treeitem`s with `aria-level`,
//! `aria-expanded` (parents) and `aria-selected`, a roving tabindex, Up/Down to move, Left/Right
//! to collapse/expand (or go to parent/first child), Home/End, Enter or Space to select, Delete
//! to ask to delete.

use crate::components::dialog::Dialog;
use crate::components::memo::MemoEditor;
use crate::components::picker::tree_order;
use crate::dom;
use crate::state::{now, BrowserIds};
use framewise_core::codebook_csv::{export_codebook_csv, parse_codebook_csv, CodebookImport};
use framewise_core::preview::preview;
use framewise_core::{Action, Code, CodeCounts, CodeId, CodeOrigin, IdSource, Project};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The id of the "New code name" field (the workbench focuses it for the `N` shortcut).
pub const NEW_CODE_INPUT_ID: &str = "new-code-name";

/// Deepest level rendered (the core prevents cycles; this only bounds recursion).
const MAX_DEPTH: usize = 64;

/// Props of [`CodebookPanel`].
#[derive(Properties, PartialEq)]
pub struct CodebookProps {
    /// The project.
    pub project: Rc<Project>,
    /// Apply a change.
    pub dispatch: Callback<Action>,
    /// The code selected in the tree.
    pub selected: Option<CodeId>,
    /// Select a code.
    pub on_select: Callback<Option<CodeId>>,
    /// Show every coded segment of a code.
    pub on_retrieve: Callback<CodeId>,
    /// Show a message to the user (errors of CSV import...).
    pub on_message: Callback<String>,
}

/// A confirmation or preview waiting for the researcher.
#[derive(Clone, PartialEq)]
enum Pending {
    /// Delete this code?
    Delete(CodeId),
    /// Merge `from` into `into`?
    Merge { from: CodeId, into: CodeId },
    /// Import these codes from a CSV file?
    Import {
        file: String,
        import: Rc<CodebookImport>,
    },
}

/// DOM id of a code's treeitem.
fn item_id(id: CodeId) -> String {
    format!("code-item-{id}")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    framewise_core::words::count(n, one, many)
}

/// "12 codings · 4 sources".
pub fn counts_text(counts: CodeCounts) -> String {
    format!(
        "{} · {}",
        plural(counts.codings, "coding", "codings"),
        plural(counts.sources, "source", "sources")
    )
}

/// Codes visible in the tree (children of collapsed codes hidden), in tree order.
fn visible_order(project: &Project, collapsed: &HashSet<CodeId>) -> Vec<CodeId> {
    fn walk(
        project: &Project,
        parent: Option<CodeId>,
        collapsed: &HashSet<CodeId>,
        out: &mut Vec<CodeId>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for c in project.children(parent) {
            out.push(c.id);
            if !collapsed.contains(&c.id) {
                walk(project, Some(c.id), collapsed, out, depth + 1);
            }
        }
    }
    let mut out = Vec::new();
    walk(project, None, collapsed, &mut out, 0);
    out
}

/// True when `code` may be dropped onto `target` (as a child) or the top level (`None`).
fn can_move(project: &Project, code: CodeId, target: Option<CodeId>) -> bool {
    let Some(current) = project.code(code) else {
        return false;
    };
    if current.parent == target {
        return false;
    }
    match target {
        None => true,
        Some(t) => project.code(t).is_some() && !project.is_ancestor_or_self(code, t),
    }
}

/// Everything a tree row needs, shared by the recursive renderer.
struct TreeCtx<'a> {
    project: &'a Project,
    counts: &'a HashMap<CodeId, CodeCounts>,
    collapsed: &'a HashSet<CodeId>,
    selected: Option<CodeId>,
    tab_stop: Option<CodeId>,
    dragging: Option<CodeId>,
    drop_over: Option<Option<CodeId>>,
    on_row_click: Callback<CodeId>,
    on_toggle: Callback<CodeId>,
    on_focus: Callback<CodeId>,
    on_retrieve: Callback<CodeId>,
    on_drag_start: Callback<(DragEvent, CodeId)>,
    on_drag_over: Callback<(DragEvent, Option<CodeId>)>,
    on_drop: Callback<(DragEvent, Option<CodeId>)>,
    on_drag_end: Callback<()>,
}

fn render_level(ctx: &TreeCtx, parent: Option<CodeId>, depth: usize) -> Html {
    if depth > MAX_DEPTH {
        return Html::default();
    }
    let items = ctx
        .project
        .children(parent)
        .map(|code| render_item(ctx, code, depth));
    html! { {for items} }
}

fn render_item(ctx: &TreeCtx, code: &Code, depth: usize) -> Html {
    let id = code.id;
    let has_children = ctx.project.children(Some(id)).next().is_some();
    let expanded = has_children && !ctx.collapsed.contains(&id);
    let selected = ctx.selected == Some(id);
    let counts = ctx.counts.get(&id).copied().unwrap_or_default();
    let counts_label = counts_text(counts);
    let origin = code.origin.label();
    let label = format!(
        "{}, {}, {}",
        code.name,
        counts_label.replace(" · ", ", "),
        origin
    );
    let (badge, badge_class) = match code.origin {
        CodeOrigin::Deductive => ("D", "badge deductive"),
        CodeOrigin::Inductive => ("I", "badge inductive"),
    };
    let drop_target = ctx.drop_over == Some(Some(id));
    let onclick = {
        let cb = ctx.on_row_click.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };
    let onfocus = {
        let cb = ctx.on_focus.clone();
        Callback::from(move |_: FocusEvent| cb.emit(id))
    };
    let toggle = {
        let cb = ctx.on_toggle.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(id);
        })
    };
    let retrieve = {
        let cb = ctx.on_retrieve.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(id);
        })
    };
    let ondragstart = {
        let cb = ctx.on_drag_start.clone();
        Callback::from(move |e: DragEvent| cb.emit((e, id)))
    };
    let ondragover = {
        let cb = ctx.on_drag_over.clone();
        Callback::from(move |e: DragEvent| cb.emit((e, Some(id))))
    };
    let ondrop = {
        let cb = ctx.on_drop.clone();
        Callback::from(move |e: DragEvent| cb.emit((e, Some(id))))
    };
    let ondragend = {
        let cb = ctx.on_drag_end.clone();
        Callback::from(move |_: DragEvent| cb.emit(()))
    };
    let tabindex = if ctx.tab_stop == Some(id) { "0" } else { "-1" };
    html! {
        <li
            key={id.to_string()}
            id={item_id(id)}
            role="treeitem"
            aria-level={(depth + 1).to_string()}
            aria-selected={selected.to_string()}
            aria-expanded={has_children.then(|| expanded.to_string())}
            aria-label={label}
            {tabindex}
            {onfocus}
            class={classes!("code-item", selected.then_some("selected"))}
        >
            <div
                class={classes!("code-row", drop_target.then_some("drop-target"), (ctx.dragging == Some(id)).then_some("dragging"))}
                style={format!("--depth:{depth}")}
                draggable="true"
                {onclick}
                {ondragstart}
                {ondragover}
                {ondrop}
                {ondragend}
            >
                <span class="twisty" aria-hidden="true" onclick={toggle}>
                    {if !has_children { "" } else if expanded { "▾" } else { "▸" }}
                </span>
                <span class="swatch" style={format!("background:{}", code.color)}></span>
                <span class="code-name">{&code.name}</span>
                <span class={badge_class} title={origin}>{badge}</span>
                <span class="code-counts">{counts_label}</span>
                <button class="small retrieve" tabindex="-1" title={format!("Retrieve every segment coded {}", code.name)} onclick={retrieve}>
                    {"Retrieve"}
                </button>
            </div>
            if expanded {
                <ul role="group">{render_level(ctx, Some(id), depth + 1)}</ul>
            }
        </li>
    }
}

/// The codebook panel.
#[component]
pub fn CodebookPanel(props: &CodebookProps) -> Html {
    let project = props.project.clone();
    let counts = {
        let project = project.clone();
        use_memo(Rc::as_ptr(&props.project) as usize, move |_| {
            project.code_counts()
        })
    };
    let collapsed = use_state(HashSet::<CodeId>::new);
    let focused = use_state_eq(|| None::<CodeId>);
    let new_name = use_state(String::new);
    let as_child = use_state_eq(|| false);
    let pending = use_state(|| None::<Pending>);
    let dragging = use_state_eq(|| None::<CodeId>);
    let drop_over = use_state_eq(|| None::<Option<CodeId>>);
    // The code being dragged, readable at once by drop handlers (state updates are deferred).
    let drag_ref = use_mut_ref(|| None::<CodeId>);

    let visible = visible_order(&project, &collapsed);
    let selected = props.selected.filter(|id| project.code(*id).is_some());
    let tab_stop = focused
        .filter(|f| visible.contains(f))
        .or(selected.filter(|s| visible.contains(s)))
        .or(visible.first().copied());

    let select = {
        let on_select = props.on_select.clone();
        let focused = focused.clone();
        Callback::from(move |id: CodeId| {
            focused.set(Some(id));
            on_select.emit(Some(id));
        })
    };
    let on_toggle = {
        let collapsed = collapsed.clone();
        Callback::from(move |id: CodeId| {
            let mut next = (*collapsed).clone();
            if !next.remove(&id) {
                next.insert(id);
            }
            collapsed.set(next);
        })
    };
    let on_focus = {
        let focused = focused.clone();
        Callback::from(move |id: CodeId| focused.set(Some(id)))
    };
    let ask_delete = {
        let pending = pending.clone();
        Callback::from(move |id: CodeId| pending.set(Some(Pending::Delete(id))))
    };

    // Keyboard navigation (WAI-ARIA tree pattern).
    let onkeydown = {
        let project = project.clone();
        let visible = visible.clone();
        let collapsed = collapsed.clone();
        let focused = focused.clone();
        let select = select.clone();
        let ask_delete = ask_delete.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(current) = tab_stop else { return };
            let index = visible.iter().position(|v| *v == current).unwrap_or(0);
            let move_to = |id: CodeId| {
                focused.set(Some(id));
                dom::focus_id(&item_id(id));
            };
            let has_children = project.children(Some(current)).next().is_some();
            let is_collapsed = collapsed.contains(&current);
            match e.key().as_str() {
                "ArrowDown" => {
                    if let Some(next) = visible.get(index + 1) {
                        move_to(*next);
                    }
                }
                "ArrowUp" => {
                    if let Some(prev) = index.checked_sub(1).and_then(|i| visible.get(i)) {
                        move_to(*prev);
                    }
                }
                "Home" => {
                    if let Some(first) = visible.first() {
                        move_to(*first);
                    }
                }
                "End" => {
                    if let Some(last) = visible.last() {
                        move_to(*last);
                    }
                }
                "ArrowRight" => {
                    if has_children && is_collapsed {
                        let mut next = (*collapsed).clone();
                        next.remove(&current);
                        collapsed.set(next);
                    } else if has_children {
                        if let Some(child) = project.children(Some(current)).next() {
                            move_to(child.id);
                        }
                    }
                }
                "ArrowLeft" => {
                    if has_children && !is_collapsed {
                        let mut next = (*collapsed).clone();
                        next.insert(current);
                        collapsed.set(next);
                    } else if let Some(parent) = project.code(current).and_then(|c| c.parent) {
                        move_to(parent);
                    }
                }
                "Enter" | " " => select.emit(current),
                "Delete" => ask_delete.emit(current),
                _ => return,
            }
            e.prevent_default();
            e.stop_propagation();
        })
    };

    // Drag and drop: a code dropped on another becomes its child; on the top-level zone, a
    // top-level code.
    let on_drag_start = {
        let project = project.clone();
        let dragging = dragging.clone();
        let drag_ref = drag_ref.clone();
        Callback::from(move |(e, id): (DragEvent, CodeId)| {
            if let Some(dt) = e.data_transfer() {
                let name = project.code(id).map(|c| c.name.clone()).unwrap_or_default();
                let _ = dt.set_data("text/plain", &name);
                dt.set_effect_allowed("move");
            }
            *drag_ref.borrow_mut() = Some(id);
            dragging.set(Some(id));
        })
    };
    let on_drag_over = {
        let project = project.clone();
        let drag_ref = drag_ref.clone();
        let drop_over = drop_over.clone();
        Callback::from(move |(e, target): (DragEvent, Option<CodeId>)| {
            let Some(code) = *drag_ref.borrow() else {
                return;
            };
            e.stop_propagation();
            if can_move(&project, code, target) {
                e.prevent_default();
                if let Some(dt) = e.data_transfer() {
                    dt.set_drop_effect("move");
                }
                drop_over.set(Some(target));
            } else {
                drop_over.set(None);
            }
        })
    };
    let on_drag_end = {
        let dragging = dragging.clone();
        let drop_over = drop_over.clone();
        let drag_ref = drag_ref.clone();
        Callback::from(move |_| {
            *drag_ref.borrow_mut() = None;
            dragging.set(None);
            drop_over.set(None);
        })
    };
    let on_drop = {
        let project = project.clone();
        let drag_ref = drag_ref.clone();
        let dispatch = props.dispatch.clone();
        let collapsed = collapsed.clone();
        let on_drag_end = on_drag_end.clone();
        Callback::from(move |(e, target): (DragEvent, Option<CodeId>)| {
            let code = *drag_ref.borrow();
            let Some(code) = code else { return };
            e.prevent_default();
            e.stop_propagation();
            if can_move(&project, code, target) {
                dispatch.emit(Action::MoveCode {
                    id: code,
                    parent: target,
                    before: None,
                });
                if let Some(t) = target {
                    if collapsed.contains(&t) {
                        let mut next = (*collapsed).clone();
                        next.remove(&t);
                        collapsed.set(next);
                    }
                }
            }
            on_drag_end.emit(());
        })
    };

    // New code form.
    let on_new_input = {
        let new_name = new_name.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            new_name.set(input.value());
        })
    };
    let on_as_child = {
        let as_child = as_child.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            as_child.set(input.checked());
        })
    };
    let on_add = {
        let project = project.clone();
        let new_name = new_name.clone();
        let dispatch = props.dispatch.clone();
        let on_select = props.on_select.clone();
        let on_message = props.on_message.clone();
        let parent = if *as_child { selected } else { None };
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = new_name.trim().to_string();
            if name.is_empty() {
                return;
            }
            if project
                .children(parent)
                .any(|c| c.name.eq_ignore_ascii_case(&name))
            {
                on_message.emit(format!("There is already a code named “{name}” there."));
                return;
            }
            let code = Code::inductive(&project, BrowserIds.code_id(), name, parent, now());
            let id = code.id;
            dispatch.emit(Action::CreateCode { code });
            on_select.emit(Some(id));
            new_name.set(String::new());
        })
    };

    // Codebook CSV import and export.
    let on_import_file = {
        let project = project.clone();
        let pending = pending.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |e: Event| {
            let Some(file) = dom::take_first_file(&e) else {
                return;
            };
            let project = project.clone();
            let pending = pending.clone();
            let on_message = on_message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let text = match dom::read_csv_text(&file).await {
                    Ok(text) => text,
                    Err(e) => {
                        on_message.emit(format!("{name} could not be read: {e}."));
                        return;
                    }
                };
                match parse_codebook_csv(&text, &project, &mut BrowserIds, now()) {
                    Ok(import) => pending.set(Some(Pending::Import {
                        file: name,
                        import: Rc::new(import),
                    })),
                    Err(problem) => {
                        on_message.emit(format!("{name} is not a codebook CSV: {problem}."))
                    }
                }
            });
        })
    };
    let on_export = {
        let project = project.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |_: MouseEvent| {
            let csv = export_codebook_csv(&project);
            let file = format!("{} codebook.csv", project.name.trim());
            // A BOM so spreadsheet programs read the file as UTF-8; the importer accepts it.
            if let Err(e) =
                dom::download(&file, "text/csv;charset=utf-8", &format!("\u{feff}{csv}"))
            {
                on_message.emit(format!("The codebook could not be exported: {e}."));
            }
        })
    };

    let ctx = TreeCtx {
        project: &project,
        counts: &counts,
        collapsed: &collapsed,
        selected,
        tab_stop,
        dragging: *dragging,
        drop_over: *drop_over,
        on_row_click: select.clone(),
        on_toggle,
        on_focus,
        on_retrieve: props.on_retrieve.clone(),
        on_drag_start,
        on_drag_over: on_drag_over.clone(),
        on_drop: on_drop.clone(),
        on_drag_end,
    };
    let tree = render_level(&ctx, None, 0);
    let top_zone = dragging.is_some().then(|| {
        let over = on_drag_over.clone();
        let drop = on_drop.clone();
        let active = *drop_over == Some(None);
        html! {
            <div class={classes!("drop-top", active.then_some("drop-target"))}
                ondragover={move |e: DragEvent| over.emit((e, None))}
                ondrop={move |e: DragEvent| drop.emit((e, None))}>
                {"Drop here to move to the top level"}
            </div>
        }
    });

    let selected_name = selected
        .and_then(|s| project.code(s))
        .map(|c| c.name.clone());
    let details = selected.and_then(|s| project.code(s)).map(|code| {
        html! {
            <CodeDetails
                key={code.id.to_string()}
                project={project.clone()}
                code={code.id}
                counts={counts.get(&code.id).copied().unwrap_or_default()}
                dispatch={props.dispatch.clone()}
                on_retrieve={props.on_retrieve.clone()}
                on_ask_delete={ask_delete.clone()}
                on_ask_merge={{
                    let pending = pending.clone();
                    let from = code.id;
                    Callback::from(move |into: CodeId| pending.set(Some(Pending::Merge { from, into })))
                }}
            />
        }
    });

    let dialog = (*pending).clone().map(|p| {
        let close = {
            let pending = pending.clone();
            Callback::from(move |_: ()| pending.set(None))
        };
        let cancel = {
            let close = close.clone();
            Callback::from(move |_: MouseEvent| close.emit(()))
        };
        match p {
            Pending::Delete(id) => {
                let Some(code) = project.code(id) else { return Html::default() };
                let c = counts.get(&id).copied().unwrap_or_default();
                let children = project.children(Some(id)).count();
                let parent_name = code
                    .parent
                    .and_then(|p| project.code(p))
                    .map(|p| format!("“{}”", p.name))
                    .unwrap_or_else(|| "the top level".to_string());
                let confirm = {
                    let dispatch = props.dispatch.clone();
                    let on_select = props.on_select.clone();
                    let close = close.clone();
                    Callback::from(move |_: MouseEvent| {
                        dispatch.emit(Action::DeleteCode { id });
                        on_select.emit(None);
                        close.emit(());
                    })
                };
                html! {
                    <Dialog title="Delete code" on_close={close}>
                        <p>{format!("Delete the code “{}”?", code.name)}</p>
                        <p class="delete-counts">
                            if c.codings == 0 {
                                {"It has not been applied to any text yet."}
                            } else {
                                {format!(
                                    "It is applied in {} in {}; these codings will be removed.",
                                    plural(c.codings, "coding", "codings"),
                                    plural(c.sources, "source", "sources")
                                )}
                            }
                        </p>
                        if children > 0 {
                            <p>{format!("Its {} up to {parent_name}.", plural(children, "child code moves", "child codes move"))}</p>
                        }
                        <p class="hint">{"You can undo this with Ctrl+Z."}</p>
                        <div class="dialog-actions">
                            <button class="danger" onclick={confirm}>{"Delete code"}</button>
                            <button onclick={cancel}>{"Cancel"}</button>
                        </div>
                    </Dialog>
                }
            }
            Pending::Merge { from, into } => {
                let (Some(a), Some(b)) = (project.code(from), project.code(into)) else {
                    return Html::default();
                };
                // What the merge does, measured by applying it (core's rule, not a copy).
                let effect = preview(&project, Action::MergeCodes { from, into })
                    .map(|p| p.effect)
                    .unwrap_or_default();
                let moves = effect.codings_recoded;
                let total = moves + effect.codings_removed.len();
                let children = effect.codes_moved.iter().filter(|id| **id != into).count();
                let confirm = {
                    let dispatch = props.dispatch.clone();
                    let on_select = props.on_select.clone();
                    let close = close.clone();
                    Callback::from(move |_: MouseEvent| {
                        dispatch.emit(Action::MergeCodes { from, into });
                        on_select.emit(Some(into));
                        close.emit(());
                    })
                };
                html! {
                    <Dialog title="Merge codes" on_close={close}>
                        <p>{format!("Merge “{}” into “{}”?", a.name, b.name)}</p>
                        <p class="merge-counts">
                            {format!("{} {} from “{}” to “{}”.", plural(moves, "coding", "codings"),
                                if moves == 1 { "moves" } else { "move" }, a.name, b.name)}
                            if total > moves {
                                {format!(" {} already coded with “{}” will be combined.",
                                    plural(total - moves, "passage", "passages"), b.name)}
                            }
                        </p>
                        if children > 0 {
                            <p>{format!("Its {} under “{}”.", plural(children, "child code moves", "child codes move"), b.name)}</p>
                        }
                        <p>{format!("“{}” is then removed from the codebook. You can undo this with Ctrl+Z.", a.name)}</p>
                        <div class="dialog-actions">
                            <button class="primary" onclick={confirm}>{"Merge"}</button>
                            <button onclick={cancel}>{"Cancel"}</button>
                        </div>
                    </Dialog>
                }
            }
            Pending::Import { file, import } => {
                let n = import.codes.len();
                let confirm = {
                    let dispatch = props.dispatch.clone();
                    let close = close.clone();
                    let codes = import.codes.clone();
                    Callback::from(move |_: MouseEvent| {
                        dispatch.emit(Action::ImportCodes { codes: codes.clone() });
                        close.emit(());
                    })
                };
                let rows = import_rows(&project, &import.codes).into_iter().map(|(path, code)| html! {
                    <li>
                        <span class="swatch" style={format!("background:{}", code.color)}></span>
                        <span class="import-path">{path}</span>
                        if !code.description.is_empty() {
                            <span class="import-description">{&code.description}</span>
                        }
                    </li>
                });
                let problems = import.problems.iter().map(|p| html! {
                    <li>{format!("Line {}: {}", p.line, p.message)}</li>
                });
                html! {
                    <Dialog title="Import codebook" on_close={close} class="import-codebook">
                        <p>{format!("{file}: {} to add.", plural(n, "code", "codes"))}</p>
                        if n > 0 {
                            <ul class="import-codes" aria-label="Codes to add">{for rows}</ul>
                        }
                        if !import.problems.is_empty() {
                            <h3>{"Problems"}</h3>
                            <ul class="import-problems" aria-label="Problems">{for problems}</ul>
                        }
                        <div class="dialog-actions">
                            <button class="primary" disabled={n == 0} onclick={confirm}>
                                {format!("Import {}", plural(n, "code", "codes"))}
                            </button>
                            <button onclick={cancel}>{"Cancel"}</button>
                        </div>
                    </Dialog>
                }
            }
        }
    });

    let has_codes = !project.codes.is_empty();
    html! {
        <div class="codebook">
            <form class="new-code" onsubmit={on_add} aria-label="New code">
                <div class="new-code-row">
                    <input
                        id={NEW_CODE_INPUT_ID}
                        type="text"
                        aria-label="New code name"
                        placeholder="New code name (N)"
                        value={(*new_name).clone()}
                        oninput={on_new_input}
                    />
                    <button type="submit" disabled={new_name.trim().is_empty()}>{"Add code"}</button>
                </div>
                <label class="as-child">
                    <input type="checkbox" checked={*as_child && selected.is_some()}
                        disabled={selected.is_none()} onchange={on_as_child} />
                    {match &selected_name {
                        Some(n) => format!("as child of “{n}”"),
                        None => "as child of selected".to_string(),
                    }}
                </label>
            </form>
            <div class="codebook-tools">
                <label class="button file-button small">
                    {"Import codebook CSV…"}
                    <input type="file" class="visually-hidden" accept=".csv,text/csv"
                        aria-label="Import codebook CSV" onchange={on_import_file} />
                </label>
                <button class="small" onclick={on_export} disabled={!has_codes}>{"Export codebook CSV"}</button>
            </div>
            if has_codes {
                <ul role="tree" aria-label="Codebook" class="code-tree" {onkeydown}>{tree}</ul>
                {top_zone.unwrap_or_default()}
            } else {
                <ul role="tree" aria-label="Codebook" class="code-tree"></ul>
                <p class="empty-state">
                    {"No codes yet. Add your first code above, import a framework from CSV (name, description, parent), or select text and type a new code name."}
                </p>
            }
            {details.unwrap_or_default()}
            {dialog.unwrap_or_default()}
        </div>
    }
}

/// Imported codes in tree order (depth first, parents before children, file order among
/// siblings), each with its display path ("Theme > Code"); parents may be other imported codes
/// or codes of the project.
fn import_rows<'a>(project: &Project, codes: &'a [Code]) -> Vec<(String, &'a Code)> {
    let new: HashSet<CodeId> = codes.iter().map(|c| c.id).collect();
    let mut out: Vec<(String, &Code)> = Vec::with_capacity(codes.len());
    let mut done: HashSet<CodeId> = HashSet::new();
    // (code, path of its parent) still to visit, as a stack.
    let mut stack: Vec<(&Code, String)> = codes
        .iter()
        .filter(|c| c.parent.is_none_or(|p| !new.contains(&p)))
        .rev()
        .map(|c| {
            (
                c,
                c.parent.map(|p| project.code_path(p)).unwrap_or_default(),
            )
        })
        .collect();
    while let Some((code, parent_path)) = stack.pop() {
        if !done.insert(code.id) {
            continue;
        }
        let path = if parent_path.is_empty() {
            code.name.clone()
        } else {
            format!("{parent_path} > {}", code.name)
        };
        for child in codes.iter().filter(|c| c.parent == Some(code.id)).rev() {
            stack.push((child, path.clone()));
        }
        out.push((path, code));
    }
    // Anything unreachable (not expected: the parser breaks cycles) still shows.
    for code in codes.iter().filter(|c| !done.contains(&c.id)) {
        out.push((code.name.clone(), code));
    }
    out
}

/// Props of [`CodeDetails`].
#[derive(Properties, PartialEq)]
struct CodeDetailsProps {
    project: Rc<Project>,
    code: CodeId,
    counts: CodeCounts,
    dispatch: Callback<Action>,
    on_retrieve: Callback<CodeId>,
    on_ask_delete: Callback<CodeId>,
    on_ask_merge: Callback<CodeId>,
}

/// The details editor of the selected code. Keyed by the code's id, so its fields start fresh
/// for every code.
#[component]
fn CodeDetails(props: &CodeDetailsProps) -> Html {
    let merge_into = use_state_eq(|| None::<CodeId>);
    // Latest project for callbacks that run after a re-render.
    let project_ref = use_mut_ref(|| props.project.clone());
    *project_ref.borrow_mut() = props.project.clone();
    // The name being typed: Yew re-applies `value` on every render, so the field shows this draft
    // until it is committed, else a re-render (a save status, a count) would wipe the typing.
    let name_draft = use_state(|| None::<String>);
    let project = &props.project;
    let Some(code) = project.code(props.code) else {
        return Html::default();
    };
    let id = code.id;

    let on_name_input = {
        let name_draft = name_draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            name_draft.set(Some(input.value()));
        })
    };
    let on_rename = {
        let dispatch = props.dispatch.clone();
        let project_ref = project_ref.clone();
        let name_draft = name_draft.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            name_draft.set(None);
            let name = input.value().trim().to_string();
            let current = current_code(&project_ref, id);
            let Some(current) = current else { return };
            if name.is_empty() {
                input.set_value(&current.name);
            } else if name != current.name {
                dispatch.emit(Action::RenameCode { id, name });
            }
        })
    };
    let on_name_key = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Enter" {
            // Commit (the change event follows the blur).
            let input: HtmlInputElement = e.target_unchecked_into();
            let _ = input.blur();
        }
    });
    let on_color = {
        let dispatch = props.dispatch.clone();
        let project_ref = project_ref.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let color = input.value();
            if current_code(&project_ref, id).is_some_and(|c| c.color != color) {
                dispatch.emit(Action::RecolorCode { id, color });
            }
        })
    };
    let on_describe = {
        let dispatch = props.dispatch.clone();
        let project_ref = project_ref.clone();
        Callback::from(move |e: FocusEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let description = area.value();
            if current_code(&project_ref, id).is_some_and(|c| c.description != description) {
                dispatch.emit(Action::DescribeCode { id, description });
            }
        })
    };
    let on_origin = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let origin = if select.value() == "deductive" {
                CodeOrigin::Deductive
            } else {
                CodeOrigin::Inductive
            };
            dispatch.emit(Action::SetCodeOrigin { id, origin });
        })
    };
    let on_memo = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |memo: String| dispatch.emit(Action::SetCodeMemo { id, memo }))
    };
    let on_move = {
        let dispatch = props.dispatch.clone();
        let project_ref = project_ref.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let parent = if value.is_empty() {
                None
            } else {
                CodeId::parse(&value)
            };
            if !value.is_empty() && parent.is_none() {
                return;
            }
            let project = project_ref.borrow().clone();
            if can_move(&project, id, parent) {
                dispatch.emit(Action::MoveCode {
                    id,
                    parent,
                    before: None,
                });
            }
        })
    };
    let on_merge_choice = {
        let merge_into = merge_into.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            merge_into.set(CodeId::parse(&select.value()));
        })
    };
    let ask_merge = {
        let on_ask_merge = props.on_ask_merge.clone();
        let merge_into = merge_into.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(into) = *merge_into {
                on_ask_merge.emit(into);
            }
        })
    };
    let ask_delete = {
        let cb = props.on_ask_delete.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };
    let retrieve = {
        let cb = props.on_retrieve.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };

    let own = project.descendants_and_self(id);
    let order = tree_order(project);
    let parent_options = order.iter().filter(|c| !own.contains(c)).map(|c| {
        html! {
            <option value={c.to_string()} selected={code.parent == Some(*c)}>{project.code_path(*c)}</option>
        }
    });
    let merge_target = merge_into.filter(|m| *m != id && project.code(*m).is_some());
    let merge_options = order.iter().filter(|c| **c != id).map(|c| {
        html! {
            <option value={c.to_string()} selected={merge_target == Some(*c)}>{project.code_path(*c)}</option>
        }
    });
    let deductive = code.origin == CodeOrigin::Deductive;
    html! {
        <section class="code-details" aria-label={format!("Code {}", code.name)}>
            <h3><span class="swatch" style={format!("background:{}", code.color)}></span>{&code.name}</h3>
            <p class="code-details-counts">{counts_text(props.counts)}</p>
            <div class="code-details-actions">
                <button class="small" onclick={retrieve}>{"Retrieve segments"}</button>
            </div>
            <label>
                {"Name"}
                <input type="text" value={(*name_draft).clone().unwrap_or_else(|| code.name.clone())} oninput={on_name_input} onchange={on_rename} onkeydown={on_name_key} />
            </label>
            <label class="inline">
                {"Colour"}
                <input type="color" value={code.color.clone()} onchange={on_color} />
            </label>
            <label>
                {"Description (definition, inclusion criteria)"}
                <textarea rows="3" value={code.description.clone()} onblur={on_describe} />
            </label>
            <label>
                {"Type"}
                <select onchange={on_origin}>
                    <option value="deductive" selected={deductive}>{"Deductive (from the framework)"}</option>
                    <option value="inductive" selected={!deductive}>{"Inductive (emerged from the data)"}</option>
                </select>
            </label>
            <MemoEditor label={format!("Memo on {}", code.name)} value={code.memo.clone()} on_commit={on_memo} rows={3} />
            <label>
                {"Move under…"}
                <select onchange={on_move}>
                    <option value="" selected={code.parent.is_none()}>{"Top level"}</option>
                    {for parent_options}
                </select>
            </label>
            <div class="merge-row">
                <label>
                    {"Merge into…"}
                    <select onchange={on_merge_choice}>
                        <option value="" selected={merge_target.is_none()}>{"Choose a code"}</option>
                        {for merge_options}
                    </select>
                </label>
                <button class="small" disabled={merge_target.is_none()} onclick={ask_merge}>{"Merge…"}</button>
            </div>
            <div class="code-details-actions">
                <button class="small danger" onclick={ask_delete}>{"Delete…"}</button>
            </div>
        </section>
    }
}

fn current_code(project: &Rc<RefCell<Rc<Project>>>, id: CodeId) -> Option<Code> {
    project.borrow().code(id).cloned()
}
