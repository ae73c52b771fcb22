//! One rendered block of paragraphs: each paragraph cut into segments at coding boundaries
//! (translucent highlights, `data-off`/`data-end` in bytes), the speaker label and turn margin
//! (names, times), and the coding stripes with their labels beside it.

use super::turns::{label_before, speaker_label_len, SpeakerLooks};
use super::CodeLook;
use crate::components::annotations::MarginNote;
use crate::state::Shared;
use framewise_core::speakers::format_time;
use framewise_core::{Action, Annotation, CodeId, Coding, CodingId, Source, Span};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Block`].
#[derive(Properties, PartialEq)]
pub(super) struct BlockProps {
    pub(super) index: usize,
    pub(super) first_para: usize,
    pub(super) paras: Rc<Vec<Span>>,
    pub(super) source: Shared<Source>,
    pub(super) codings: Rc<Vec<Coding>>,
    /// Stripe lane of each of `codings`, in the same order.
    pub(super) lanes: Rc<Vec<usize>>,
    pub(super) looks: Shared<HashMap<CodeId, CodeLook>>,
    pub(super) speakers: Rc<SpeakerLooks>,
    pub(super) selected: Option<CodingId>,
    pub(super) focus: Option<Span>,
    /// Stripe labels and titles name the coder too.
    pub(super) label_coders: bool,
    /// Annotations starting in this block.
    pub(super) notes: Rc<Vec<Annotation>>,
    /// Applies an annotation's edit or removal.
    pub(super) dispatch: Callback<Action>,
}

/// A block of paragraphs with its highlights, turn margin and coding stripes.
#[component]
pub(super) fn Block(props: &BlockProps) -> Html {
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
            let mut name = look.map(|l| l.name.clone()).unwrap_or_default();
            if props.label_coders {
                name = format!("{name} · {}", c.coder);
            }
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
            let mut name = look.map(|l| l.name.rsplit(" > ").next().unwrap_or(&l.name).to_string()).unwrap_or_default();
            if props.label_coders {
                name = format!("{name} · {}", c.coder);
            }
            html! { <span class="stripe-label" style={format!("border-left-color:{color}")} data-stripe-off={c.span.start.to_string()}>{name}</span> }
        });
        // Annotations whose passage starts in this paragraph (or in the gap before the next).
        let notes = props
            .notes
            .iter()
            .filter(|a| a.span.start >= para.start && a.span.start <= para.end)
            .map(|a| html! { <MarginNote key={a.id.to_string()} note={a.clone()} dispatch={props.dispatch.clone()} /> });
        html! {
            <div class="para-row" data-p={index.to_string()}>
                {gutter}
                <p class={classes!("para", header.then_some("turn-header"))} data-off={para.start.to_string()} data-end={para.end.to_string()}>{for segments}</p>
                <div class="stripes" aria-hidden="true">
                    <div class="bars">{for bars}</div>
                    <div class="labels">{for labels}</div>
                </div>
                <div class="notes">{for notes}</div>
            </div>
        }
    });
    html! { <div class="block" data-block={props.index.to_string()}>{for rows}</div> }
}
