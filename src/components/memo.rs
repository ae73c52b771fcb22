//! A memo editor: a labelled text area whose text is committed when the field loses focus and,
//! while typing, every half second (so it is durable within a second); a run of commits to one
//! memo is a single undo step. Inside the field, the browser's own undo applies.
//!
//! The text area is uncontrolled: the browser owns its text while the researcher types (no
//! re-render and no dispatch per keystroke, and the browser's undo stack stays intact). The
//! component writes `value` into the field only when `value` changes while the field is not
//! focused (another memo shown in the same place, an undo from the toolbar).

use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use web_sys::HtmlTextAreaElement;
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
        use_effect_with(props.value.clone(), move |value| {
            let mut state = inner.borrow_mut();
            state.value = value.to_string();
            if !state.focused {
                state.timer = None;
                state.dirty = false;
                state.text = value.to_string();
                if let Some(el) = field.cast::<HtmlTextAreaElement>() {
                    if el.value() != value.as_str() {
                        el.set_value(value);
                    }
                }
            }
        });
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
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            let mut state = inner.borrow_mut();
            state.text = el.value();
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
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            let commit = {
                let mut state = inner.borrow_mut();
                state.focused = false;
                state.timer = None;
                state.text = el.value();
                state.take_commit()
            };
            emit(commit);
        })
    };

    let id = format!("memo-field-{}", *instance);
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
