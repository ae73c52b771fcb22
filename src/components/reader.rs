//! The reading view: a source as paragraphs with its codings shown as translucent highlights and
//! as labelled coding stripes in the margin. Long sources are rendered by blocks of paragraphs,
//! only the blocks near the viewport, so a 1.3 MB transcript opens and codes instantly.
//! Selections are mapped from the DOM (UTF-16 offsets in text nodes) to byte spans through the
//! `data-off`/`data-end` attributes every paragraph and segment carries.

use crate::state::Shared;
use framewise_core::speakers::{format_time, speaker_key};
use framewise_core::text::{paragraphs, utf16_to_byte};
use framewise_core::{CodeId, Coding, CodingId, Source, Span, Turn};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};
use yew::prelude::*;

/// Paragraphs per rendered block.
const BLOCK: usize = 40;
/// Sources with at most this many blocks are rendered whole.
const RENDER_ALL_BLOCKS: usize = 6;
/// Coding stripe lanes shown; more overlapping codings share the last lane.
const MAX_LANES: usize = 8;
/// Distinct speaker colours (CSS classes `speaker-c0` ...), given in order of first appearance.
pub const SPEAKER_COLORS: usize = 8;

/// How a source's speakers are shown: a colour per speaker, and whether the margin holds
/// speaker names (not written in the text, as in subtitles) or times.
#[derive(PartialEq, Debug, Default)]
pub struct SpeakerLooks {
    /// Colour number per speaker key (see [`speaker_key`]), in order of first appearance.
    colors: HashMap<String, usize>,
    /// True when some turn's speaker or time is shown in the margin.
    gutter: bool,
}

impl SpeakerLooks {
    /// Colours and margin of `source`'s turns.
    pub fn of(source: &Source) -> Self {
        let mut colors: HashMap<String, usize> = HashMap::new();
        let mut gutter = false;
        for turn in &source.turns {
            if let Some(name) = turn.speaker.as_deref() {
                let n = colors.len();
                colors
                    .entry(speaker_key(name))
                    .or_insert(n % SPEAKER_COLORS);
            }
            gutter =
                gutter || turn.start_ms.is_some() || label_before(&source.text, turn).is_none();
        }
        Self { colors, gutter }
    }
    fn color(&self, name: &str) -> usize {
        self.colors.get(&speaker_key(name)).copied().unwrap_or(0)
    }
}

/// Start of the speaker label written before a turn on its line (`Interviewer: ...`), if any.
fn label_before(text: &str, turn: &Turn) -> Option<usize> {
    let head = text.get(..turn.span.start)?;
    let line_start = head.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let label = head.get(line_start..)?.trim_end();
    (label.ends_with(':') && label.len() > 1).then_some(line_start)
}

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
    /// The user selected text (or cleared the selection: `None`).
    pub on_selection: Callback<Option<TextSelection>>,
    /// The user clicked coded text at this byte offset (viewport x, y for a popover).
    pub on_coded_click: Callback<(usize, f64, f64)>,
    /// Enter pressed with a selection.
    pub on_enter: Callback<()>,
}

/// Lane of each coding in the stripe margin: codings whose paragraphs overlap get different
/// lanes (greedy interval colouring in document order).
fn assign_lanes(codings: &[Coding], paras: &[Span]) -> HashMap<CodingId, usize> {
    let para_of = |offset: usize| paras.partition_point(|p| p.end < offset);
    let mut lane_end: Vec<usize> = Vec::new();
    let mut lanes = HashMap::with_capacity(codings.len());
    for c in codings {
        let first = para_of(c.span.start);
        let last = para_of(c.span.end.saturating_sub(1).max(c.span.start));
        let lane = match lane_end.iter().position(|end| *end < first) {
            Some(l) => l,
            None if lane_end.len() < MAX_LANES => {
                lane_end.push(0);
                lane_end.len() - 1
            }
            None => MAX_LANES - 1,
        };
        lane_end[lane] = lane_end[lane].max(last);
        lanes.insert(c.id, lane);
    }
    lanes
}

fn estimate_height(paras: &[Span]) -> f64 {
    paras
        .iter()
        .map(|p| {
            if p.is_empty() {
                10.0
            } else {
                let lines = (p.len() as f64 / 80.0).ceil().max(1.0);
                lines * 28.0 + 6.0
            }
        })
        .sum()
}

/// Per-source layout: paragraphs, blocks and their (estimated, then measured) heights.
struct Layout {
    paras: Vec<Span>,
    heights: Vec<f64>,
}

impl Layout {
    fn new(text: &str) -> Self {
        let paras = paragraphs(text);
        let heights = paras.chunks(BLOCK).map(estimate_height).collect();
        Self { paras, heights }
    }
    fn blocks(&self) -> usize {
        self.heights.len()
    }
    fn top_of(&self, block: usize) -> f64 {
        self.heights.iter().take(block).sum()
    }
    fn block_at(&self, y: f64) -> usize {
        let mut top = 0.0;
        for (i, h) in self.heights.iter().enumerate() {
            if top + h > y {
                return i;
            }
            top += h;
        }
        self.blocks().saturating_sub(1)
    }
    fn block_of_offset(&self, offset: usize) -> usize {
        self.paras.partition_point(|p| p.end < offset) / BLOCK
    }
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
    // Visible block range [first, last].
    let range = use_state(|| (0usize, RENDER_ALL_BLOCKS));
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

    // A selection is read when the mouse is released: over the text (`onmouseup`), or anywhere
    // else after a press in the text (a drag that ends over the code picker, the margin or
    // another pane still selects what it covered: the document listener below).
    let pressed = use_mut_ref(|| false);
    let released = {
        let root = root.clone();
        let on_selection = props.on_selection.clone();
        let on_coded_click = props.on_coded_click.clone();
        let source = props.source.clone();
        let pressed = pressed.clone();
        Rc::new(move |e: &MouseEvent| {
            pressed.replace(false);
            selecting_text(false);
            let sel = current_selection(&root, &source.text);
            match sel {
                Some(s) => on_selection.emit(Some(s)),
                None => {
                    on_selection.emit(None);
                    // A plain click on coded text or on a coding stripe: list the codings there.
                    if let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                        let offset = match target.closest("[data-coded]") {
                            Ok(Some(seg)) => attr_offset(&seg, "data-off"),
                            _ => target
                                .closest("[data-stripe-off]")
                                .ok()
                                .flatten()
                                .and_then(|stripe| attr_offset(&stripe, "data-stripe-off")),
                        };
                        if let Some(off) = offset {
                            on_coded_click.emit((off, e.client_x() as f64, e.client_y() as f64));
                        }
                    }
                }
            }
        })
    };
    let onmousedown = {
        let pressed = pressed.clone();
        Callback::from(move |_: MouseEvent| {
            *pressed.borrow_mut() = true;
            selecting_text(true);
        })
    };
    let onmouseup = {
        let released = released.clone();
        Callback::from(move |e: MouseEvent| released(&e))
    };
    {
        let pressed = pressed.clone();
        crate::hooks::use_document_listener("mouseup", true, move |e: &Event| {
            // Released outside the text after a press inside it (the reader's own `onmouseup`,
            // which runs first, clears `pressed` when released over the text).
            if *pressed.borrow() {
                if let Some(e) = e.dyn_ref::<MouseEvent>() {
                    released(e);
                }
            }
        });
    }

    let onkeydown = {
        let root = root.clone();
        let on_enter = props.on_enter.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Enter" {
                e.prevent_default();
                on_enter.emit(());
                return;
            }
            let direction = match key.as_str() {
                "ArrowLeft" => "backward",
                "ArrowRight" => "forward",
                "ArrowUp" => "backward",
                "ArrowDown" => "forward",
                "Home" => "backward",
                "End" => "forward",
                _ => return,
            };
            let granularity = match key.as_str() {
                "ArrowUp" | "ArrowDown" => "line",
                "Home" | "End" => "lineboundary",
                _ if e.ctrl_key() || e.alt_key() => "word",
                _ => "character",
            };
            let vertical = matches!(key.as_str(), "ArrowUp" | "ArrowDown");
            if !e.shift_key() && vertical {
                return; // plain Up/Down scroll the view
            }
            e.prevent_default();
            keyboard_select(&root, e.shift_key(), direction, granularity);
        })
    };
    let onkeyup = {
        let root = root.clone();
        let on_selection = props.on_selection.clone();
        let source = props.source.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key().starts_with("Arrow")
                || e.key() == "Home"
                || e.key() == "End"
                || e.key() == "Shift"
            {
                on_selection.emit(current_selection(&root, &source.text));
            }
        })
    };

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
                selected={props.selected}
                focus={focus_span}
            />
        }
    });
    let label = format!("Text of {}", props.source.name);
    html! {
        <div class={classes!("reader", speaker_looks.gutter.then_some("with-gutter"))} id="reader" ref={root} tabindex="0" role="document" aria-label={label}
             {onscroll} {onmousedown} {onmouseup} {onkeydown} {onkeyup}>
            <div class="reader-inner">
                <div class="spacer" style={format!("height:{top_space}px")}></div>
                {for rendered}
                <div class="spacer" style={format!("height:{bottom_space}px")}></div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BlockProps {
    index: usize,
    first_para: usize,
    paras: Rc<Vec<Span>>,
    source: Shared<Source>,
    codings: Rc<Vec<Coding>>,
    /// Stripe lane of each of `codings`, in the same order.
    lanes: Rc<Vec<usize>>,
    looks: Shared<HashMap<CodeId, CodeLook>>,
    speakers: Rc<SpeakerLooks>,
    selected: Option<CodingId>,
    focus: Option<Span>,
}

/// Length in bytes of a leading speaker label such as `Interviewer:` or `P03:` or `D:`.
fn speaker_label_len(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    if colon == 0 || colon > 40 {
        return None;
    }
    let label = &line[..colon];
    let first = label.chars().next()?;
    let plausible = (first.is_uppercase() || first == '[')
        && label.split_whitespace().count() <= 4
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || " .'-()[]_".contains(c));
    plausible.then_some(colon + 1)
}

#[component]
fn Block(props: &BlockProps) -> Html {
    let text = &props.source.text;
    let turns = &props.source.turns;
    let rows = props.paras.iter().enumerate().map(|(i, para)| {
        let index = props.first_para + i;
        if para.is_empty() {
            return html! { <div class="para-gap" data-p={index.to_string()} data-off={para.start.to_string()} data-end={para.end.to_string()}></div> };
        }
        let line = text.get(para.start..para.end).unwrap_or("");
        // The turn starting in this paragraph, if any (turns are sorted and never overlap).
        let turn = turns
            .get(turns.partition_point(|t| t.span.start < para.start))
            .filter(|t| t.span.start <= para.end && (t.span.start < para.end || t.span.is_empty()));
        let label_start = turn.and_then(|t| label_before(text, t)).filter(|l| *l >= para.start);
        // A header line naming the speaker of the turn below it (`[Asha] 00:01:02`): muted, as
        // the margin shows the same.
        let header = turns
            .get(turns.partition_point(|t| t.span.start <= para.end))
            .filter(|t| t.span.start == para.end + 1)
            .and_then(|t| t.speaker.as_deref())
            .is_some_and(|name| line.contains(name));
        let color = turn
            .and_then(|t| t.speaker.as_deref())
            .map(|name| props.speakers.color(name));
        let gutter = props.speakers.gutter.then(|| {
            let name = turn
                .filter(|_| label_start.is_none())
                .and_then(|t| t.speaker.clone());
            let time = turn.and_then(|t| t.start_ms).map(format_time);
            html! {
                <div class="turn-gutter" data-gutter-off={para.start.to_string()}>
                    if let Some(name) = name {
                        <span class={classes!("turn-speaker", color.map(|c| format!("speaker-c{c}")))}>{name}</span>
                    }
                    if let Some(time) = time {
                        <span class="turn-time">{time}</span>
                    }
                </div>
            }
        });
        let here: Vec<&Coding> = props
            .codings
            .iter()
            .filter(|c| c.span.start < para.end.max(para.start + 1) && c.span.end > para.start)
            .collect();
        // Segment boundaries: paragraph ends, coding ends inside it, the speaker label end.
        let mut cuts: BTreeSet<usize> = BTreeSet::new();
        cuts.insert(para.start);
        cuts.insert(para.end);
        let speaker_end = if turns.is_empty() {
            speaker_label_len(line).map(|n| para.start + n)
        } else {
            // The label written before a turn (`P03:`), up to and including its colon.
            label_start.zip(turn).and_then(|(_, t)| {
                let head = text.get(para.start..t.span.start)?;
                Some(para.start + head.trim_end().len())
            })
        };
        if let Some(s) = speaker_end {
            cuts.insert(s);
        }
        for c in &here {
            if c.span.start > para.start && c.span.start < para.end {
                cuts.insert(c.span.start);
            }
            if c.span.end > para.start && c.span.end < para.end {
                cuts.insert(c.span.end);
            }
        }
        if let Some(f) = props.focus {
            for b in [f.start, f.end] {
                if b > para.start && b < para.end && text.is_char_boundary(b) {
                    cuts.insert(b);
                }
            }
        }
        let cuts: Vec<usize> = cuts.into_iter().collect();
        let segments = cuts.windows(2).map(|w| {
            let (s, e) = (w[0], w[1]);
            let seg_text = text.get(s..e).unwrap_or("");
            let covering: Vec<&&Coding> = here.iter().filter(|c| c.span.start <= s && c.span.end >= e).collect();
            let mut class = classes!();
            if speaker_end.is_some_and(|se| e <= se) {
                class.push("speaker");
                if let Some(c) = color {
                    class.push(format!("speaker-c{c}"));
                }
            }
            if props.focus.is_some_and(|f| f.start <= s && f.end >= e) {
                class.push("focus");
            }
            if covering.is_empty() {
                return html! { <span class={class} data-off={s.to_string()} data-end={e.to_string()}>{seg_text}</span> };
            }
            class.push("coded");
            if covering.iter().any(|c| Some(c.id) == props.selected) {
                class.push("selected");
            }
            let layers: Vec<String> = covering
                .iter()
                .take(4)
                .filter_map(|c| props.looks.get(&c.code))
                .map(|l| format!("linear-gradient({0}3d,{0}3d)", l.color))
                .collect();
            let names: Vec<&str> = covering.iter().filter_map(|c| props.looks.get(&c.code)).map(|l| l.name.as_str()).collect();
            let underline = covering.last().and_then(|c| props.looks.get(&c.code)).map(|l| l.color.clone()).unwrap_or_default();
            let style = format!("background-image:{};box-shadow:inset 0 -2px 0 {underline}", layers.join(","));
            html! {
                <span class={class} style={style} data-coded="" title={names.join(", ")} data-off={s.to_string()} data-end={e.to_string()}>{seg_text}</span>
            }
        });
        // Stripes: one bar per coding touching this paragraph, in its lane; labels where a coding starts.
        let bars = here.iter().map(|c| {
            let lane = props
                .codings
                .iter()
                .position(|o| o.id == c.id)
                .and_then(|i| props.lanes.get(i))
                .copied()
                .unwrap_or(0);
            let look = props.looks.get(&c.code);
            let color = look.map(|l| l.color.as_str()).unwrap_or("#999999");
            let name = look.map(|l| l.name.clone()).unwrap_or_default();
            let starts_here = c.span.start >= para.start && c.span.start <= para.end;
            let ends_here = c.span.end <= para.end;
            let class = classes!(
                "stripe",
                starts_here.then_some("stripe-start"),
                ends_here.then_some("stripe-end"),
                (Some(c.id) == props.selected).then_some("selected")
            );
            html! { <span class={class} style={format!("left:{}px;background:{color}", lane * 7)} title={name} data-stripe-off={c.span.start.to_string()}></span> }
        });
        let labels = here.iter().filter(|c| c.span.start >= para.start && c.span.start <= para.end).map(|c| {
            let look = props.looks.get(&c.code);
            let color = look.map(|l| l.color.as_str()).unwrap_or("#999999");
            let name = look.map(|l| l.name.rsplit(" > ").next().unwrap_or(&l.name).to_string()).unwrap_or_default();
            html! { <span class="stripe-label" style={format!("border-left-color:{color}")} data-stripe-off={c.span.start.to_string()}>{name}</span> }
        });
        html! {
            <div class="para-row" data-p={index.to_string()}>
                {gutter}
                <p class={classes!("para", header.then_some("turn-header"))} data-off={para.start.to_string()} data-end={para.end.to_string()}>{for segments}</p>
                <div class="stripes" aria-hidden="true">
                    <div class="bars">{for bars}</div>
                    <div class="labels">{for labels}</div>
                </div>
            </div>
        }
    });
    html! { <div class="block" data-block={props.index.to_string()}>{for rows}</div> }
}

/// While the mouse selects text, popups over the text (the code picker) let the pointer through
/// (`body.selecting-text`, see app.css), so a drag that passes or ends over them selects the
/// text beneath.
fn selecting_text(on: bool) {
    if let Some(body) = crate::dom::document().and_then(|d| d.body()) {
        let _ = if on {
            body.class_list().add_1("selecting-text")
        } else {
            body.class_list().remove_1("selecting-text")
        };
    }
}

fn attr_offset(el: &Element, name: &str) -> Option<usize> {
    el.get_attribute(name).and_then(|v| v.parse().ok())
}

/// Byte offset of a DOM selection point inside the reader, if it lies in the text.
fn point_to_offset(node: &Node, offset: u32) -> Option<usize> {
    if node.node_type() == Node::TEXT_NODE {
        let parent = node.parent_element()?;
        // The margin (speaker names, times) is not text: a point there is its paragraph's start.
        if let Ok(Some(gutter)) = parent.closest("[data-gutter-off]") {
            return attr_offset(&gutter, "data-gutter-off");
        }
        let seg = parent.closest("[data-off]").ok()??;
        if seg.closest(".stripes").ok().flatten().is_some() {
            return None;
        }
        let start = attr_offset(&seg, "data-off")?;
        let text = node.text_content().unwrap_or_default();
        let within = utf16_to_byte(&text, offset as usize).unwrap_or(text.len());
        return Some(start + within);
    }
    let el: &Element = node.dyn_ref()?;
    let children = el.child_nodes();
    if offset < children.length() {
        let child = children.get(offset)?;
        if let Some(child_el) = child.dyn_ref::<Element>() {
            if let Some(v) = attr_offset(child_el, "data-off") {
                return Some(v);
            }
            if let Some(v) = attr_offset(child_el, "data-gutter-off") {
                return Some(v);
            }
            if let Ok(Some(inner)) = child_el.query_selector("[data-off]") {
                return attr_offset(&inner, "data-off");
            }
        } else if child.node_type() == Node::TEXT_NODE {
            return point_to_offset(&child, 0);
        }
    }
    if let Some(v) = attr_offset(el, "data-end") {
        return Some(v);
    }
    let all = el.query_selector_all("[data-end]").ok()?;
    let last = all.get(all.length().checked_sub(1)?)?;
    attr_offset(last.dyn_ref::<Element>()?, "data-end")
}

/// The current DOM selection as a trimmed byte span, if it lies inside the reader.
fn current_selection(root: &NodeRef, text: &str) -> Option<TextSelection> {
    let root_el = root.cast::<Element>()?;
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let anchor = selection.anchor_node()?;
    let focus = selection.focus_node()?;
    if !root_el.contains(Some(&anchor)) || !root_el.contains(Some(&focus)) {
        return None;
    }
    let a = point_to_offset(&anchor, selection.anchor_offset())?;
    let b = point_to_offset(&focus, selection.focus_offset())?;
    let span = framewise_core::text::trim_span(text, Span::new(a.min(b), a.max(b)))?;
    let range = selection.get_range_at(0).ok()?;
    let rect = range.get_bounding_client_rect();
    Some(TextSelection {
        span,
        x: rect.left(),
        y: rect.bottom(),
    })
}

/// Moves or extends the selection by keyboard (the reading view is not editable, so the browser
/// has no caret of its own there).
fn keyboard_select(root: &NodeRef, extend: bool, direction: &str, granularity: &str) {
    let Some(root_el) = root.cast::<Element>() else {
        return;
    };
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return;
    };
    let inside = selection
        .anchor_node()
        .map(|n| root_el.contains(Some(&n)))
        .unwrap_or(false);
    if !inside || selection.range_count() == 0 {
        // Start at the first visible paragraph.
        let first_text = first_visible_text(&root_el);
        if let Some(node) = first_text {
            let _ = selection.collapse_with_offset(Some(&node), 0);
        } else {
            return;
        }
    }
    let alter = if extend { "extend" } else { "move" };
    let _ = selection.modify(alter, direction, granularity);
}

fn first_visible_text(root: &Element) -> Option<Node> {
    let top = root.get_bounding_client_rect().top();
    let paras = root.query_selector_all("p.para").ok()?;
    for i in 0..paras.length() {
        let p = paras.get(i)?;
        let el: &Element = p.dyn_ref()?;
        if el.get_bounding_client_rect().bottom() > top {
            // First text node inside the first segment after the speaker label, if any.
            let seg = el
                .query_selector("span:not(.speaker)")
                .ok()
                .flatten()
                .or_else(|| el.query_selector("span").ok().flatten())?;
            return seg.first_child();
        }
    }
    None
}
