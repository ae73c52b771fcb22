//! The reading view: a source as paragraphs with its codings shown as translucent highlights and
//! as labelled coding stripes in the margin. Long sources are rendered by blocks of paragraphs,
//! only the blocks near the viewport, so a 1.3 MB transcript opens and codes instantly.
//! Selections are mapped from the DOM (UTF-16 offsets in text nodes) to byte spans through the
//! `data-off`/`data-end` attributes every paragraph and segment carries.
//!
//! By concern: this file holds the component with its props and the types the workbench uses;
//! `layout` (blocks, heights, stripe lanes), `block` (a block's paragraphs, highlights, turn
//! margin and coding stripes), `turns` (speaker colours and labels), `selection` (DOM selection ⇄
//! bytes, the mouse) and `keyboard` (Enter, selecting with the keys).

mod block;
mod keyboard;
mod layout;
mod selection;
mod turns;

use crate::state::Shared;
use block::Block;
use framewise_core::{Action, Annotation, CodeId, Coding, CodingId, Source, Span};
use layout::{assign_lanes, Layout, BLOCK, RENDER_ALL_BLOCKS};
use std::collections::HashMap;
use std::rc::Rc;
use turns::SpeakerLooks;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

/// How a code looks: name and colour.
#[derive(Clone, PartialEq, Debug)]
pub struct CodeLook {
    /// Full path ("Theme > Code").
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
}

/// Names and colours of all codes, shared by pointer.
pub type CodeLooks = Rc<HashMap<CodeId, CodeLook>>;

/// A request to scroll to a passage and flash it.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct FocusRequest {
    /// The passage.
    pub span: Span,
    /// Changes on every request, so the same passage can be asked for twice.
    pub nonce: u32,
}

/// What the reader tells the workbench about the user's selection.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct TextSelection {
    /// The selected span (trimmed of surrounding white space).
    pub span: Span,
    /// Viewport coordinates just below the selection, for placing the code picker.
    pub x: f64,
    /// See `x`.
    pub y: f64,
}

/// Props of [`Reader`].
#[derive(Properties, PartialEq)]
pub struct ReaderProps {
    /// The reading view's element, for a parent that moves focus to it (else its own).
    #[prop_or_default]
    pub node: Option<NodeRef>,
    /// The source shown.
    pub source: Shared<Source>,
    /// Its codings, sorted by span.
    pub codings: Shared<Vec<Coding>>,
    /// Names and colours of codes.
    pub looks: Shared<HashMap<CodeId, CodeLook>>,
    /// Codings to outline (the one clicked, or listed).
    #[prop_or_default]
    pub selected: Option<CodingId>,
    /// Scroll to this passage and flash it.
    #[prop_or_default]
    pub focus: Option<FocusRequest>,
    /// Coding stripes say who coded.
    #[prop_or_default]
    pub label_coders: bool,
    /// Annotations of the source, by position (shown in the margin).
    #[prop_or_default]
    pub notes: Rc<Vec<Annotation>>,
    /// Applies an annotation's edit or removal (from the margin).
    #[prop_or_default]
    pub dispatch: Callback<Action>,
    /// The user selected text (or cleared the selection: `None`).
    pub on_selection: Callback<Option<TextSelection>>,
    /// The user clicked coded text at this byte offset (viewport x, y for a popover).
    pub on_coded_click: Callback<(usize, f64, f64)>,
    /// Enter pressed with a selection.
    pub on_enter: Callback<()>,
}

/// The reading view.
#[component]
pub fn Reader(props: &ReaderProps) -> Html {
    let own_root = use_node_ref();
    let root = props.node.clone().unwrap_or(own_root);
    let layout = {
        let source = props.source.clone();
        use_memo(source, |s| std::cell::RefCell::new(Layout::new(&s.text)))
    };
    let lanes = {
        let codings = props.codings.clone();
        let layout = layout.clone();
        use_memo(codings, move |c| {
            Rc::new(assign_lanes(c, &layout.borrow().paras))
        })
    };
    let speaker_looks = {
        let source = props.source.clone();
        use_memo(source, |s| SpeakerLooks::of(s))
    };
    // Visible block range [first, last]: at first the blocks the scroll handler would keep at
    // the top (two viewports' worth by the estimated heights): opening a long source writes
    // those, not a fixed number of blocks (7 blocks, 280 paragraphs, cost a 300,000-character
    // source twice its first paint).
    let range = {
        let layout = layout.clone();
        use_state(move || {
            let height = web_sys::window()
                .and_then(|w| w.inner_height().ok())
                .and_then(|h| h.as_f64())
                .unwrap_or(1000.0);
            (0usize, layout.borrow().block_at(2.0 * height))
        })
    };
    let measured = use_state(|| 0u32);
    let pending_focus = use_mut_ref(|| None::<FocusRequest>);

    // Scroll to a requested passage: jump to its block, then centre the paragraph after render.
    {
        let layout = layout.clone();
        let range = range.clone();
        let root = root.clone();
        let pending_focus = pending_focus.clone();
        use_effect_with(props.focus, move |focus| {
            if let Some(f) = *focus {
                let block = layout.borrow().block_of_offset(f.span.start);
                *pending_focus.borrow_mut() = Some(f);
                if let Some(el) = root.cast::<Element>() {
                    let top = layout.borrow().top_of(block);
                    el.set_scroll_top(top as i32);
                }
                range.set((block.saturating_sub(1), block + 2));
            }
        });
    }

    // After a render that changed which blocks are shown (or asked for a passage): measure the
    // rendered blocks and finish a pending scroll-to-passage. Coding changes only recolour text,
    // so they need no measuring (reading offsetHeight forces a layout).
    {
        let layout = layout.clone();
        let root = root.clone();
        let measured = measured.clone();
        let pending_focus = pending_focus.clone();
        let deps = (*range, props.focus, *measured, props.source.clone());
        use_effect_with(deps, move |_| {
            let Some(el) = root.cast::<Element>() else {
                return;
            };
            let mut changed = false;
            if let Ok(blocks) = el.query_selector_all("[data-block]") {
                let mut layout = layout.borrow_mut();
                for i in 0..blocks.length() {
                    let Some(b) = blocks
                        .get(i)
                        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                    else {
                        continue;
                    };
                    let Some(index) = b
                        .get_attribute("data-block")
                        .and_then(|v| v.parse::<usize>().ok())
                    else {
                        continue;
                    };
                    let h = b.offset_height() as f64;
                    if let Some(old) = layout.heights.get_mut(index) {
                        if h > 0.0 && (*old - h).abs() > 1.0 {
                            *old = h;
                            changed = true;
                        }
                    }
                }
            }
            let focus = *pending_focus.borrow();
            if let Some(f) = focus {
                let selector = format!("[data-off=\"{}\"]", f.span.start);
                let target = el.query_selector(&selector).ok().flatten().or_else(|| {
                    let layout = layout.borrow();
                    let p = layout.paras.partition_point(|p| p.end < f.span.start);
                    el.query_selector(&format!("[data-p=\"{p}\"]"))
                        .ok()
                        .flatten()
                });
                if let Some(t) = target {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Center);
                    t.scroll_into_view_with_scroll_into_view_options(&options);
                    *pending_focus.borrow_mut() = None;
                }
            }
            if changed {
                measured.set(*measured + 1);
            }
        });
    }

    let onscroll = {
        let layout = layout.clone();
        let range = range.clone();
        let root = root.clone();
        Callback::from(move |_: Event| {
            let Some(el) = root.cast::<Element>() else {
                return;
            };
            let top = el.scroll_top() as f64;
            let height = el.client_height() as f64;
            let layout = layout.borrow();
            let first = layout.block_at((top - height).max(0.0));
            let last = layout.block_at(top + 2.0 * height);
            if *range != (first, last) {
                range.set((first, last));
            }
        })
    };

    let selection::MouseHandlers {
        onmousedown,
        onmouseup,
    } = selection::use_mouse_selection(
        &root,
        &props.source,
        &props.on_selection,
        &props.on_coded_click,
    );
    let onkeydown = keyboard::on_keydown(&root, &props.on_enter);
    let onkeyup = keyboard::on_keyup(&root, &props.source, &props.on_selection);

    let layout_ref = layout.borrow();
    let blocks = layout_ref.blocks();
    let (first, last) = if blocks <= RENDER_ALL_BLOCKS {
        (0, blocks.saturating_sub(1))
    } else {
        (range.0.min(blocks - 1), range.1.min(blocks - 1))
    };
    let top_space = layout_ref.top_of(first);
    let bottom_space: f64 = layout_ref.heights.iter().skip(last + 1).sum();
    let focus_span = props.focus.map(|f| f.span);
    let rendered = (first..=last).map(|b| {
        let start = b * BLOCK;
        let end = ((b + 1) * BLOCK).min(layout_ref.paras.len());
        let paras: Vec<Span> = layout_ref.paras[start..end].to_vec();
        let block_span = Span::new(
            paras.first().map(|p| p.start).unwrap_or(0),
            paras.last().map(|p| p.end).unwrap_or(0),
        );
        let codings: Vec<Coding> = props
            .codings
            .iter()
            .take_while(|c| c.span.start <= block_span.end)
            .filter(|c| c.span.end >= block_span.start)
            .cloned()
            .collect();
        // Only this block's lanes, so a change elsewhere leaves this block's props equal.
        let block_lanes: Vec<usize> = codings
            .iter()
            .map(|c| lanes.get(&c.id).copied().unwrap_or(0))
            .collect();
        let notes: Vec<Annotation> = props
            .notes
            .iter()
            .filter(|a| a.span.start >= block_span.start && a.span.start <= block_span.end)
            .cloned()
            .collect();
        html! {
            <Block
                key={b}
                index={b}
                first_para={start}
                paras={Rc::new(paras)}
                source={props.source.clone()}
                codings={Rc::new(codings)}
                lanes={Rc::new(block_lanes)}
                looks={props.looks.clone()}
                speakers={speaker_looks.clone()}
                label_coders={props.label_coders}
                selected={props.selected}
                focus={focus_span}
                notes={Rc::new(notes)}
                dispatch={props.dispatch.clone()}
            />
        }
    });
    let label = format!("Text of {}", props.source.name);
    html! {
        <div class={classes!("reader", speaker_looks.gutter.then_some("with-gutter"), (!props.notes.is_empty()).then_some("with-notes"))} id="reader" ref={root} tabindex="0" role="document" aria-label={label}
             {onscroll} {onmousedown} {onmouseup} {onkeydown} {onkeyup}>
            <div class="reader-inner">
                <div class="spacer" style={format!("height:{top_space}px")}></div>
                {for rendered}
                <div class="spacer" style={format!("height:{bottom_space}px")}></div>
            </div>
        </div>
    }
}
