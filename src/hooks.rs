//! Custom hooks for the patterns that recur across components:
//! - [`use_latest`]: the newest value of something, read by a listener or callback registered
//!   once (no re-registering on every render, no stale captured copy);
//! - [`use_draft`]: the text being typed into a field whose committed value comes from the
//!   project (Yew re-applies `value` on every render, so the field shows the draft while typing);
//! - [`use_generation`]: async requests where only the newest answer counts (a late answer of
//!   an older request is dropped);
//! - [`use_document_listener`] / [`use_window_listener`]: an event listener registered once for
//!   the component's life, whose handler always sees the newest render's values.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The newest value given to [`use_latest`], shared with callbacks made in earlier renders.
pub struct Latest<T>(Rc<RefCell<Option<T>>>);

impl<T> Clone for Latest<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> Latest<T> {
    /// Runs `f` with the newest value (`None` only before the first render, never in practice).
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.0.borrow().as_ref().map(f)
    }
}

impl<T: Clone> Latest<T> {
    /// A copy of the newest value.
    pub fn get(&self) -> Option<T> {
        self.0.borrow().clone()
    }
}

/// Keeps the newest `value` of every render, for listeners and callbacks that are made once.
#[hook]
pub fn use_latest<T: 'static>(value: T) -> Latest<T> {
    let cell = use_mut_ref(|| None::<T>);
    *cell.borrow_mut() = Some(value);
    Latest(cell)
}

/// A document event listener registered once (when the component mounts) and removed when it
/// unmounts; `handler` is taken from the newest render each time an event arrives.
#[hook]
pub fn use_document_listener<F>(event: &'static str, passive: bool, handler: F)
where
    F: Fn(&Event) + 'static,
{
    let target = crate::dom::document().map(web_sys::EventTarget::from);
    use_listener(target, event, passive, handler);
}

/// A window event listener (`popstate`, `hashchange`...), registered once like
/// [`use_document_listener`].
#[hook]
pub fn use_window_listener<F>(event: &'static str, handler: F)
where
    F: Fn(&Event) + 'static,
{
    let target = web_sys::window().map(web_sys::EventTarget::from);
    use_listener(target, event, true, handler);
}

#[hook]
fn use_listener<F>(
    target: Option<web_sys::EventTarget>,
    event: &'static str,
    passive: bool,
    handler: F,
) where
    F: Fn(&Event) + 'static,
{
    let latest = use_latest(Rc::new(handler) as Rc<dyn Fn(&Event)>);
    use_effect_with((), move |_| {
        let listener = target.map(|t| {
            let options = if passive {
                gloo::events::EventListenerOptions::default()
            } else {
                // Not passive: the handler may call preventDefault (shortcuts must).
                gloo::events::EventListenerOptions::enable_prevent_default()
            };
            gloo::events::EventListener::new_with_options(&t, event, options, move |e| {
                if let Some(h) = latest.get() {
                    h(e);
                }
            })
        });
        move || drop(listener)
    });
}

/// The text typed into a field, keyed by what it edits (a source, a code...), until committed.
#[derive(Clone, PartialEq)]
pub struct Draft<K: Clone + PartialEq + 'static>(UseStateHandle<Option<(K, String)>>);

impl<K: Clone + PartialEq + 'static> Draft<K> {
    /// What the field shows: the draft of `key` while typing, else the committed value.
    pub fn shown(&self, key: &K, committed: &str) -> String {
        match &*self.0 {
            Some((k, text)) if k == key => text.clone(),
            _ => committed.to_string(),
        }
    }
    /// The field's `oninput`: keeps what is typed as the draft of `key`.
    pub fn oninput(&self, key: K) -> Callback<InputEvent> {
        let state = self.0.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                state.set(Some((key.clone(), input.value())));
            }
        })
    }
    /// Forgets the draft (call when committing or cancelling).
    pub fn clear(&self) {
        self.0.set(None);
    }
}

/// A draft input: see [`Draft`].
#[hook]
pub fn use_draft<K: Clone + PartialEq + 'static>() -> Draft<K> {
    Draft(use_state(|| None::<(K, String)>))
}

/// Numbers async requests so that only the newest one's answer is used.
#[derive(Clone)]
pub struct Generation(Rc<Cell<u32>>);

impl PartialEq for Generation {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// One request of a [`Generation`].
#[derive(Clone)]
pub struct Ticket {
    counter: Rc<Cell<u32>>,
    number: u32,
}

impl Generation {
    /// Starts a new request: every earlier ticket becomes stale.
    pub fn begin(&self) -> Ticket {
        let number = self.0.get().wrapping_add(1);
        self.0.set(number);
        Ticket {
            counter: self.0.clone(),
            number,
        }
    }
    /// Makes every pending ticket stale without starting a request (e.g. on cancel).
    pub fn invalidate(&self) {
        self.0.set(self.0.get().wrapping_add(1));
    }
}

impl Ticket {
    /// True while no newer request has begun: only then is this request's answer used.
    pub fn is_current(&self) -> bool {
        self.counter.get() == self.number
    }
}

/// Async generation / stale reply: `let t = generation.begin();` before a request, and
/// `if !t.is_current() { return }` when its answer arrives.
#[hook]
pub fn use_generation() -> Generation {
    Generation((*use_memo((), |_| Rc::new(Cell::new(0u32)))).clone())
}

/// A value compared by pointer: a memo key that costs nothing to compare (e.g. the open
/// project, a new `Rc` after every change).
#[derive(Clone)]
pub struct ByPointer<T>(pub Rc<T>);

impl<T> PartialEq for ByPointer<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
