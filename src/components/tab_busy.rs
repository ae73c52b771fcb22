//! One tab edits a project at a time (`tab_lock.rs`), in the app shell: the lock of the open
//! project held while it is open ([`use_tab_hold`]), letting go when another tab asks on the
//! BroadcastChannel (save, close the project, then release: [`use_release_when_asked`]), the
//! lock taken to rename, delete or replace a stored project ([`free_lock`]), and the "This
//! project is open in another tab" dialog ([`TabBusy`]) with its "Use it here".

use crate::app::{OpenProject, StorageState};
use crate::components::dialog::Dialog;
use crate::tab_lock::{self, TabLock};
use framewise_core::ProjectId;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The lock of the project this tab holds.
pub(crate) type Held = Rc<RefCell<Option<TabLock>>>;

/// Holds the lock of the open project: a value opened without a stored read (new, demo, file)
/// takes its lock here, and closing lets go. Returns the lock held and what to do when it is
/// lost (taken by another tab while this one slept: stop editing, say so).
#[hook]
pub(crate) fn use_tab_hold(
    open: &UseStateHandle<Option<OpenProject>>,
    banner: &UseStateHandle<Option<String>>,
    storage: &StorageState,
) -> (Held, Rc<dyn Fn()>) {
    let held: Held = use_mut_ref(|| None::<TabLock>);
    let on_lost: Rc<dyn Fn()> = {
        let (open, banner, held, store) = (
            open.clone(),
            banner.clone(),
            held.clone(),
            storage.storage(),
        );
        Rc::new(move || {
            if let (Some(lock), Some(store)) = (held.borrow_mut().take(), &store) {
                store.forget(lock.project);
            }
            open.set(None);
            banner.set(Some("Another tab took this project over while this tab was in the background, so this tab stopped editing it and wrote nothing over the newer work. Open it here again to continue.".into()));
        })
    };
    {
        let (held, on_lost) = (held.clone(), on_lost.clone());
        use_effect_with(open.as_ref().map(|o| o.project.id), move |id| {
            let holds = held.borrow().as_ref().map(|l| l.project);
            if holds != *id {
                held.borrow_mut().take();
                if let Some(id) = *id {
                    spawn_local(async move {
                        *held.borrow_mut() = tab_lock::try_acquire(id, on_lost).await;
                    });
                }
            }
        });
    }
    (held, on_lost)
}

/// Another tab asks for the project this tab holds: save, close it, then let go.
#[hook]
pub(crate) fn use_release_when_asked(
    storage: &StorageState,
    held: &Held,
    open: &UseStateHandle<Option<OpenProject>>,
    banner: &UseStateHandle<Option<String>>,
    refresh: &UseStateHandle<u32>,
) {
    let (held, open, banner, refresh) =
        (held.clone(), open.clone(), banner.clone(), refresh.clone());
    use_effect_with(storage.clone(), move |state| {
        let store = state.storage();
        let channel = web_sys::BroadcastChannel::new(tab_lock::CHANNEL).ok();
        let listener = channel.as_ref().map(|c| {
            gloo::events::EventListener::new(c, "message", move |e| {
                let asked = e.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string());
                let asked = asked.as_deref().and_then(tab_lock::released_project);
                if asked.is_none() || held.borrow().as_ref().map(|l| l.project) != asked {
                    return;
                }
                let lock = held.borrow_mut().take();
                let (store, open, banner, refresh) = (store.clone(), open.clone(), banner.clone(), refresh.clone());
                spawn_local(async move {
                    let saved = match &store {
                        Some(s) => s.settle().await,
                        None => true,
                    };
                    if lock.as_ref().is_some_and(TabLock::is_lost) {
                        return; // taken while this tab slept: `on_lost` has said so
                    }
                    open.set(None);
                    refresh.set(*refresh + 1);
                    banner.set(Some(if saved {
                        "This project is now open in another tab, so this tab saved every change and stopped editing it. Open it here again to continue (the other tab then lets go)."
                    } else {
                        "This project is now open in another tab. This tab could not save its latest changes (see the message before), so they were not written over the other tab's work; it has stopped editing the project."
                    }.into()));
                    gloo::timers::future::TimeoutFuture::new(50).await;
                    if let Some(s) = &store {
                        s.settle().await;
                    }
                    drop(lock);
                });
            })
        });
        move || {
            drop(listener);
            if let Some(c) = channel {
                c.close();
            }
        }
    });
}

/// The lock of a project no other tab has open (renaming, deleting or replacing it), or a
/// message saying where it is open.
pub(crate) async fn free_lock(
    id: ProjectId,
    banner: &UseStateHandle<Option<String>>,
) -> Option<TabLock> {
    let lock = tab_lock::try_acquire(id, Rc::new(|| ())).await;
    if lock.is_none() {
        banner.set(Some(
            "This project is open in another tab: close it there first.".into(),
        ));
    }
    lock
}

/// Props of [`TabBusy`].
#[derive(Properties, PartialEq)]
pub(crate) struct TabBusyProps {
    /// The project's name.
    pub name: AttrValue,
    /// True while the other tab is being asked to let go.
    pub asking: bool,
    /// Cancel.
    pub on_close: Callback<()>,
    /// "Use it here": ask the other tab to save and let go, then open the project here.
    pub on_use_here: Callback<()>,
}

/// "This project is open in another tab": cancel, or use it here.
#[component]
pub(crate) fn TabBusy(props: &TabBusyProps) -> Html {
    let asking = props.asking;
    let close = props.on_close.clone();
    let use_here = props.on_use_here.reform(|_: MouseEvent| ());
    html! {
        <Dialog title="This project is open in another tab" on_close={close.clone()}>
            <p>{format!("“{}” is open in another Framewise tab or window. One tab edits a project at a time, so that no change is written over another.", props.name)}</p>
            <p role="status">{if asking { "Asking the other tab to save its changes and let go…" } else { "“Use it here” asks the other tab to save and stop editing it; this tab then opens the saved project." }}</p>
            <div class="dialog-actions">
                <button onclick={move |_| close.emit(())}>{"Cancel"}</button>
                <button class="primary" disabled={asking} onclick={use_here}>{"Use it here"}</button>
            </div>
        </Dialog>
    }
}
