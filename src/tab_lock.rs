//! One tab edits a project at a time. A tab holds the Web Lock `framewise-project-<id>`
//! (`navigator.locks`) while the project is open; another tab that opens it is told so and may
//! ask for it ("Use it here"): it posts `release:<id>` on the BroadcastChannel `framewise-tabs`,
//! the holder saves, closes the project and lets go, and the asking tab then reads the project
//! from IndexedDB. A holder that does not answer in time (a frozen background tab) has its lock
//! taken (`steal`); it hears so when it wakes, and the storage revision check
//! (`storage::Storage::claim`) refuses anything it still tries to write.
//!
//! Where the browser has no Web Locks, every request succeeds (the revision check remains).

use framewise_core::ProjectId;
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The BroadcastChannel on which tabs ask each other to let go of a project.
pub const CHANNEL: &str = "framewise-tabs";
/// How long "Use it here" waits for the other tab to let go before taking the lock.
pub const TAKE_OVER_WAIT_MS: u32 = 4_000;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it only behind its unstable APIs).
    type LockManager;
    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &Object,
        callback: &Function,
    ) -> Result<Promise, JsValue>;
}

fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

fn lock_name(id: ProjectId) -> String {
    format!("framewise-project-{id}")
}

/// The message that asks the holder of `id` to let go.
pub fn release_message(id: ProjectId) -> String {
    format!("release:{id}")
}

/// The project a `release:<id>` message asks for.
pub fn released_project(message: &str) -> Option<ProjectId> {
    message.strip_prefix("release:").and_then(ProjectId::parse)
}

/// A held project lock; dropping it lets go.
pub struct TabLock {
    /// The project it is for.
    pub project: ProjectId,
    /// Resolves the promise the lock callback returned (`None` without Web Locks).
    release: Rc<RefCell<Option<Function>>>,
    /// Set when let go on purpose (a later rejection is then not a loss).
    released: Rc<Cell<bool>>,
    /// Set when another tab took it.
    lost: Rc<Cell<bool>>,
}

impl TabLock {
    /// True once another tab has taken the lock away.
    pub fn is_lost(&self) -> bool {
        self.lost.get()
    }
}

impl Drop for TabLock {
    fn drop(&mut self) {
        self.released.set(true);
        if let Some(resolve) = self.release.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

enum Mode {
    IfAvailable,
    Wait(u32),
    Steal,
}

/// Takes the lock of `id` if no other tab holds it (`None`: it is open in another tab).
/// `on_lost` runs if another tab later takes it away.
pub async fn try_acquire(id: ProjectId, on_lost: Rc<dyn Fn()>) -> Option<TabLock> {
    request(id, Mode::IfAvailable, on_lost).await
}

/// "Use it here": asks the holder to save and let go, waits for it, and takes the lock if it
/// does not answer within [`TAKE_OVER_WAIT_MS`].
pub async fn take_over(id: ProjectId, on_lost: Rc<dyn Fn()>) -> Option<TabLock> {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&JsValue::from(release_message(id)));
        channel.close();
    }
    match request(id, Mode::Wait(TAKE_OVER_WAIT_MS), on_lost.clone()).await {
        Some(lock) => Some(lock),
        None => request(id, Mode::Steal, on_lost).await,
    }
}

async fn request(id: ProjectId, mode: Mode, on_lost: Rc<dyn Fn()>) -> Option<TabLock> {
    let release: Rc<RefCell<Option<Function>>> = Rc::new(RefCell::new(None));
    let released = Rc::new(Cell::new(false));
    let lost = Rc::new(Cell::new(false));
    let Some(locks) = lock_manager() else {
        return Some(TabLock {
            project: id,
            release,
            released,
            lost,
        });
    };
    let mut answer: Option<Function> = None;
    let granted = Promise::new(&mut |resolve, _| answer = Some(resolve));
    let answer = answer?;
    let options = Object::new();
    let mut abort = None;
    match mode {
        Mode::IfAvailable => {
            Reflect::set(&options, &"ifAvailable".into(), &true.into()).ok()?;
        }
        Mode::Steal => {
            Reflect::set(&options, &"steal".into(), &true.into()).ok()?;
        }
        Mode::Wait(ms) => {
            let controller = web_sys::AbortController::new().ok()?;
            Reflect::set(&options, &"signal".into(), &controller.signal()).ok()?;
            abort = Some((controller, ms));
        }
    }
    let callback = {
        let answer = answer.clone();
        let slot = release.clone();
        Closure::once_into_js(move |lock: JsValue| -> JsValue {
            if lock.is_null() || lock.is_undefined() {
                let _ = answer.call1(&JsValue::NULL, &false.into());
                return JsValue::NULL;
            }
            let hold = Promise::new(&mut |resolve, _| *slot.borrow_mut() = Some(resolve));
            let _ = answer.call1(&JsValue::NULL, &true.into());
            hold.into()
        })
    };
    let done = locks
        .request(&lock_name(id), &options, callback.unchecked_ref())
        .ok()?;
    // The request settles when the lock is let go; a rejection while held means it was taken
    // (stolen) by another tab; before it was granted, that the wait was given up.
    {
        let answer = answer.clone();
        let released = released.clone();
        let lost = lost.clone();
        let slot = release.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let taken = JsFuture::from(done).await.is_err();
            let _ = answer.call1(&JsValue::NULL, &false.into());
            if taken && slot.borrow_mut().take().is_some() {
                lost.set(true);
                if !released.replace(true) {
                    on_lost();
                }
            }
        });
    }
    let timer = abort.map(|(controller, ms)| {
        gloo::timers::callback::Timeout::new(ms, move || controller.abort())
    });
    let ok = JsFuture::from(granted)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    drop(timer);
    ok.then_some(TabLock {
        project: id,
        release,
        released,
        lost,
    })
}
