//! The codebook tree: one compact line per code (colour, name, deductive/inductive badge, a
//! right-aligned count of codings with the full counts on hover and in the accessible name),
//! narrowed by the filter box to matching codes and their ancestors, and moved by drag and drop.
//!
//! It follows the WAI-ARIA tree pattern: `role="tree"`, `treeitem`s with `aria-level`,
//! `aria-expanded` (parents) and `aria-selected`, a roving tabindex, Up/Down to move, Left/Right
//! to collapse/expand (or go to parent/first child), Home/End, Enter or Space to select, Delete
//! to ask to delete. Which codes show, and where a code may go, are core's
//! [`framewise_core::code_tree`].

use super::counts_text;
use framewise_core::code_tree::{can_move, filter_codes, visible_rows, CodeFilter};
use framewise_core::{Action, Code, CodeCounts, CodeId, CodeOrigin, Project};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`CodeTree`].
#[derive(Properties, PartialEq)]
pub struct CodeTreeProps {
    pub project: Rc<Project>,
    pub counts: Rc<HashMap<CodeId, CodeCounts>>,
    pub selected: Option<CodeId>,
    /// The filter text ("" shows every code).
    pub filter: AttrValue,
    pub dispatch: Callback<Action>,
    pub on_select: Callback<CodeId>,
    pub on_retrieve: Callback<CodeId>,
    pub on_ask_delete: Callback<CodeId>,
}

/// DOM id of a code's treeitem.
fn item_id(id: CodeId) -> String {
    format!("code-item-{id}")
}

/// Everything a tree row needs, shared by the recursive renderer.
struct TreeCtx<'a> {
    project: &'a Project,
    counts: &'a HashMap<CodeId, CodeCounts>,
    collapsed: &'a HashSet<CodeId>,
    filter: Option<&'a CodeFilter>,
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

impl TreeCtx<'_> {
    fn shown(&self, id: CodeId) -> bool {
        self.filter.is_none_or(|f| f.shown.contains(&id))
    }
}

/// The shown rows as one flat list of treeitems (hierarchy in `aria-level`, `aria-setsize` and
/// `aria-posinset`, indentation by `--depth`): a nested `group` would make each parent's visible
/// text include its children's, so no accessible name could contain it (WCAG 2.5.3).
fn render_rows(ctx: &TreeCtx, rows: &[(CodeId, usize)]) -> Html {
    // The shown codes under each parent, in codebook order, found in one pass (not a scan of
    // the codebook per row: this runs on every change to the project).
    let mut shown_children: HashMap<Option<CodeId>, Vec<CodeId>> = HashMap::new();
    for c in ctx.project.codes.iter().filter(|c| ctx.shown(c.id)) {
        shown_children.entry(c.parent).or_default().push(c.id);
    }
    let items = rows.iter().filter_map(|&(id, depth)| {
        let code = ctx.project.code(id)?;
        let siblings = shown_children
            .get(&code.parent)
            .map_or(&[][..], Vec::as_slice);
        let position = siblings.iter().position(|s| *s == id).unwrap_or(0) + 1;
        let has_children = shown_children.contains_key(&Some(id));
        Some(render_item(
            ctx,
            code,
            depth,
            (position, siblings.len()),
            has_children,
        ))
    });
    html! { {for items} }
}

/// One code's row; `place` is its (position, count) among the shown siblings.
fn render_item(
    ctx: &TreeCtx,
    code: &Code,
    depth: usize,
    place: (usize, usize),
    has_children: bool,
) -> Html {
    let id = code.id;
    // A filter shows every match, so it opens the parents on the way.
    let expanded = has_children && (ctx.filter.is_some() || !ctx.collapsed.contains(&id));
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
    let matched = ctx.filter.is_some_and(|f| f.matches.contains(&id));
    let context_only = ctx.filter.is_some() && !matched;
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
            aria-posinset={place.0.to_string()}
            aria-setsize={place.1.to_string()}
            aria-selected={selected.to_string()}
            aria-expanded={has_children.then(|| expanded.to_string())}
            aria-label={label}
            {tabindex}
            {onfocus}
            class={classes!("code-item", selected.then_some("selected"), matched.then_some("match"), context_only.then_some("context"))}
        >
            <div
                class={classes!("code-row", drop_target.then_some("drop-target"), (ctx.dragging == Some(id)).then_some("dragging"))}
                style={format!("--depth:{depth}")}
                draggable="true"
                title={format!("{} — {counts_label}", code.name)}
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
                // A space, so the name and the count read as two words (a grid drops it).
                {" "}
                // The visible text reads as the start of the item's name ("Trust, 3 codings, …",
                // WCAG 2.5.3): the badge's letter and the button's word are drawn by CSS.
                <span class="code-counts" title={counts_label.clone()}>{counts.codings.to_string()}</span>
                <span class={badge_class} title={origin} data-letter={badge} aria-hidden="true"></span>
                <button class="small retrieve" tabindex="-1"
                    aria-label={format!("Retrieve every segment coded {}", code.name)}
                    title={format!("Retrieve every segment coded {}", code.name)} onclick={retrieve}>
                </button>
            </div>
        </li>
    }
}

/// The codebook tree.
#[component]
pub fn CodeTree(props: &CodeTreeProps) -> Html {
    let project = props.project.clone();
    let collapsed = use_state(HashSet::<CodeId>::new);
    let focused = use_state_eq(|| None::<CodeId>);
    let dragging = use_state_eq(|| None::<CodeId>);
    let drop_over = use_state_eq(|| None::<Option<CodeId>>);
    // The code being dragged, readable at once by drop handlers (state updates are deferred).
    let drag_ref = use_mut_ref(|| None::<CodeId>);
    let tree = use_node_ref();

    let filter = {
        let project = project.clone();
        use_memo(
            (Rc::as_ptr(&props.project) as usize, props.filter.clone()),
            move |(_, query)| filter_codes(&project, query),
        )
    };
    let rows = visible_rows(&project, &collapsed, filter.as_ref().as_ref());
    let visible: Vec<CodeId> = rows.iter().map(|(id, _)| *id).collect();
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
            on_select.emit(id);
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

    // Keyboard navigation (WAI-ARIA tree pattern).
    let onkeydown = {
        let project = project.clone();
        let visible = visible.clone();
        let collapsed = collapsed.clone();
        let focused = focused.clone();
        let select = select.clone();
        let ask_delete = props.on_ask_delete.clone();
        let tree = tree.clone();
        let filtering = filter.is_some();
        Callback::from(move |e: KeyboardEvent| {
            let Some(current) = tab_stop else { return };
            let index = visible.iter().position(|v| *v == current).unwrap_or(0);
            let move_to = |id: CodeId| {
                focused.set(Some(id));
                let item = tree
                    .cast::<web_sys::Element>()
                    .and_then(|t| {
                        t.query_selector(&format!("#{}", item_id(id)))
                            .ok()
                            .flatten()
                    })
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(item) = item {
                    let _ = item.focus();
                }
            };
            let first_child = visible
                .get(index + 1)
                .filter(|next| project.code(**next).and_then(|c| c.parent) == Some(current))
                .copied();
            let has_children = project.children(Some(current)).next().is_some();
            let is_collapsed = !filtering && collapsed.contains(&current);
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
                    } else if let Some(child) = first_child {
                        move_to(child);
                    }
                }
                "ArrowLeft" => {
                    if has_children && !is_collapsed && !filtering {
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

    let ctx = TreeCtx {
        project: &project,
        counts: &props.counts,
        collapsed: &collapsed,
        filter: filter.as_ref().as_ref(),
        selected,
        tab_stop,
        dragging: *dragging,
        drop_over: *drop_over,
        on_row_click: select,
        on_toggle,
        on_focus,
        on_retrieve: props.on_retrieve.clone(),
        on_drag_start,
        on_drag_over: on_drag_over.clone(),
        on_drop: on_drop.clone(),
        on_drag_end,
    };
    let items = render_rows(&ctx, &rows);
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
    let no_match = filter.is_some() && visible.is_empty();
    html! {
        <>
            <ul role="tree" aria-label="Codebook" class="code-tree" ref={tree} {onkeydown}>{items}</ul>
            if no_match {
                <p class="hint filter-empty" role="status">{format!("No code matches “{}”.", props.filter.trim())}</p>
            }
            {top_zone.unwrap_or_default()}
        </>
    }
}
