//! A memo editor: a labelled text area whose text is committed when the field loses focus and,
//! while typing, every half second (so it is durable within a second); a run of commits to one
//! memo is a single undo step. Inside the field, the browser's own undo applies.
//!
//! The text area is uncontrolled: the browser owns its text while the researcher types (no
//! re-render and no dispatch per keystroke, and the browser's undo stack stays intact). The
//! component writes `value` into the field only when `value` changes while the field is not
//! focused (another memo shown in the same place, an undo from the toolbar).
//!
//! With `chips` (a matrix summary), the field shows quote references as readable chips instead
//! of their `[[quote:ID]]` tokens (`summary_field`); the text committed keeps the tokens. The
//! chips are written again when the project changes while the field is not focused (a quoted
//! coding removed shows as broken).

use crate::components::summary_field::{self, Chips};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

/// While typing, the text is committed at least this often (milliseconds).
pub const MEMO_COMMIT_DELAY_MS: u32 = 500;

/// Props of [`MemoEditor`].
#[derive(Properties, PartialEq)]
pub struct MemoProps {
    /// Accessible label, e.g. "Memo on Interview 3".
    pub label: AttrValue,
    /// Current memo text.
    pub value: AttrValue,
    /// Commit new text.
    pub on_commit: Callback<String>,
    /// Placeholder shown while the memo is empty.
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// Visible rows.
    #[prop_or(4)]
    pub rows: u32,
    /// Show quote references as chips (a matrix summary).
    #[prop_or_default]
    pub chips: Option<Chips>,
}

/// The text in the field (a text area, or a summary field with chips).
fn field_text(el: &Element) -> String {
    match el.dyn_ref::<HtmlTextAreaElement>() {
        Some(area) => area.value(),
        None => summary_field::read(el),
    }
}

/// What the editor keeps between renders without re-rendering.
struct MemoInner {
    /// The text in the field (as last typed or synced).
    text: String,
    /// The latest `value` prop (or the text just committed, until the prop catches up).
    value: String,
    /// The latest `on_commit`.
    on_commit: Callback<String>,
    /// True while the field has focus.
    focused: bool,
    /// True when text was typed since the last commit or sync.
    dirty: bool,
    /// The scheduled commit, if any (cleared when it fires).
    timer: Option<Timeout>,
}

impl MemoInner {
    /// If the text differs from the value, marks it committed and returns what to emit (the
    /// caller emits after releasing the borrow, as the commit may re-render synchronously).
    fn take_commit(&mut self) -> Option<(Callback<String>, String)> {
        self.dirty = false;
        if self.text == self.value {
            return None;
        }
        self.value = self.text.clone();
        Some((self.on_commit.clone(), self.text.clone()))
    }
}

/// Commits text typed since the last commit, if any, and forgets the scheduled commit.
fn commit_pending(inner: &RefCell<MemoInner>) {
    let commit = {
        let mut state = inner.borrow_mut();
        state.timer = None;
        if state.dirty {
            state.take_commit()
        } else {
            None
        }
    };
    emit(commit);
}

fn emit(commit: Option<(Callback<String>, String)>) {
    if let Some((callback, text)) = commit {
        callback.emit(text);
    }
}

/// Process-wide counter for element ids.
fn next_instance() -> usize {
    thread_local! {
        static NEXT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
    NEXT.with(|n| {
        let id = n.get() + 1;
        n.set(id);
        id
    })
}

/// A memo editor.
#[component]
pub fn MemoEditor(props: &MemoProps) -> Html {
    let field = use_node_ref();
    let instance = use_state(next_instance);
    let inner = use_mut_ref(|| MemoInner {
        text: props.value.to_string(),
        value: props.value.to_string(),
        on_commit: props.on_commit.clone(),
        focused: false,
        dirty: false,
        timer: None,
    });
    inner.borrow_mut().on_commit = props.on_commit.clone();

    // Sync the field with `value` (on mount, and when it changes while the field is not focused).
    {
        let field = field.clone();
        let inner = inner.clone();
        // Chips change with the project (a quoted coding removed shows as broken at once).
        use_effect_with(
            (props.value.clone(), props.chips.clone()),
            move |(value, chips)| {
                let mut state = inner.borrow_mut();
                state.value = value.to_string();
                if !state.focused {
                    state.timer = None;
                    state.dirty = false;
                    state.text = value.to_string();
                    if let Some(el) = field.cast::<Element>() {
                        match (el.dyn_ref::<HtmlTextAreaElement>(), chips) {
                            (Some(area), _) if area.value() != value.as_str() => {
                                area.set_value(value)
                            }
                            (None, Some(chips)) => summary_field::write(&el, value, chips),
                            _ => {}
                        }
                    }
                }
            },
        );
    }
    // On unmount, text typed since the last commit is not lost.
    {
        let inner = inner.clone();
        use_effect_with((), move |_| {
            move || {
                commit_pending(&inner);
            }
        });
    }

    let oninput = {
        let inner = inner.clone();
        Callback::from(move |e: InputEvent| {
            let el: Element = e.target_unchecked_into();
            let mut state = inner.borrow_mut();
            state.text = field_text(&el);
            state.dirty = true;
            // Throttle, not debounce: the first keystroke after a commit schedules the next
            // commit, later keystrokes join it. So text being typed is committed (and then saved)
            // at least every MEMO_COMMIT_DELAY_MS, even if the typing never pauses; consecutive
            // commits of the same memo are one undo step (core's History coalesces them).
            if state.timer.is_none() {
                let weak: Weak<RefCell<MemoInner>> = Rc::downgrade(&inner);
                state.timer = Some(Timeout::new(MEMO_COMMIT_DELAY_MS, move || {
                    let Some(inner) = weak.upgrade() else { return };
                    commit_pending(&inner);
                }));
            }
        })
    };
    let onfocus = {
        let inner = inner.clone();
        Callback::from(move |_: FocusEvent| inner.borrow_mut().focused = true)
    };
    let onblur = {
        let inner = inner.clone();
        Callback::from(move |e: FocusEvent| {
            let el: Element = e.target_unchecked_into();
            let commit = {
                let mut state = inner.borrow_mut();
                state.focused = false;
                state.timer = None;
                state.text = field_text(&el);
                state.take_commit()
            };
            emit(commit);
        })
    };

    let id = format!("memo-field-{}", *instance);
    if props.chips.is_some() {
        let label_id = format!("{id}-label");
        return html! {
            <div class="memo">
                <span class="memo-label" id={label_id.clone()}>{props.label.clone()}</span>
                <div
                    {id}
                    class="memo-rich"
                    ref={field}
                    role="textbox"
                    aria-multiline="true"
                    aria-labelledby={label_id}
                    contenteditable="plaintext-only"
                    tabindex="0"
                    style={format!("min-height: {}lh", props.rows)}
                    data-placeholder={props.placeholder.clone()}
                    {oninput}
                    {onfocus}
                    {onblur}
                />
            </div>
        };
    }
    html! {
        <div class="memo">
            <label for={id.clone()}>{props.label.clone()}</label>
            <textarea
                {id}
                ref={field}
                rows={props.rows.to_string()}
                placeholder={props.placeholder.clone()}
                {oninput}
                {onfocus}
                {onblur}
            />
        </div>
    }
}
