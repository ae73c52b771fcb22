//! Following the address (`routes.rs`) from the shell: a project the address names is opened as
//! the project list's "Open" does (reload, a pasted link, Back/Forward to a project); one this
//! browser does not keep leaves the home screen with a message.

use super::StorageState;
use crate::components::home::HomeRequest;
use crate::routes::{self, Route};
use yew::platform::spawn_local;
use yew::prelude::*;

/// What the home screen says when the address names a project this browser does not keep.
const NOT_HERE: &str = "The project in this address is not in this browser (it may have been \
    deleted, or be kept in another browser or profile). Choose a project below, or open its \
    project file.";

/// Opens the project the address names (reload, a pasted link, Back/Forward to a project) as
/// the project list's "Open" does (`on_open`); an unknown project leaves the home screen with a
/// message.
pub(super) fn follow_address(
    state: &StorageState,
    banner: &UseStateHandle<Option<String>>,
    on_open: &Callback<HomeRequest>,
) {
    let Some(id) = routes::browser::current().project() else {
        return;
    };
    match state {
        StorageState::Opening => {}
        StorageState::Unavailable(_) => {
            banner.set(Some(NOT_HERE.to_string()));
            routes::browser::replace(Route::Home);
        }
        StorageState::Ready(store) => {
            let (store, banner, on_open) = (store.clone(), banner.clone(), on_open.clone());
            spawn_local(async move {
                match store.list_projects().await {
                    Ok(list) if list.iter().any(|p| p.id() == id) => {
                        on_open.emit(HomeRequest::Open(id))
                    }
                    Ok(_) => {
                        banner.set(Some(NOT_HERE.to_string()));
                        routes::browser::replace(Route::Home);
                    }
                    Err(e) => banner.set(Some(format!("Could not list your projects: {e}"))),
                }
            });
        }
    }
}
