//! The workbench's side of the routes (`crate::routes`): the address follows the UI state (a
//! new history entry per change of view or source; the passage or the matrix being filled in
//! replaces the entry), and Back/Forward or an edited address move the UI state. An address of
//! another project (or the home screen) closes the workbench; the app then follows it.

use super::ui::{Ui, UiAction, View};
use crate::hooks::use_window_listener;
use crate::routes::{browser, Place, Route};
use framewise_core::{Project, SourceId};
use std::rc::Rc;
use yew::prelude::*;

/// The place the UI state shows.
pub fn place_of(ui: &Ui, source: Option<SourceId>) -> Place {
    match ui.view {
        View::Read => Place::Read {
            source,
            passage: ui.focus.map(|f| f.span).filter(|_| source.is_some()),
        },
        View::Retrieve(code) => Place::Code(code),
        View::Cases(case) => Place::Cases(case),
        View::Matrices(m) => Place::Matrix(m),
        View::Themes => Place::Themes,
        View::Search => Place::Search,
        View::Crosstab => Place::Crosstab,
        View::Agreement => Place::Agreement,
        View::Reports => Place::Reports,
    }
}

/// The UI change that shows `place` of `project` (what does not exist there is left out).
pub fn navigation(project: &Project, place: Place) -> UiAction {
    let (view, source, passage) = match place {
        Place::Read { source, passage } => (
            View::Read,
            source.filter(|s| project.source(*s).is_some()),
            passage,
        ),
        Place::Cases(case) => (
            View::Cases(case.filter(|c| project.case(*c).is_some())),
            None,
            None,
        ),
        Place::Matrix(m) => (View::Matrices(m), None, None),
        Place::Themes => (View::Themes, None, None),
        Place::Search => (View::Search, None, None),
        Place::Crosstab => (View::Crosstab, None, None),
        Place::Agreement => (View::Agreement, None, None),
        Place::Reports => (View::Reports, None, None),
        Place::Code(c) if project.code(c).is_some() => (View::Retrieve(c), None, None),
        Place::Code(_) => (View::Read, None, None),
    };
    let passage = passage.filter(|span| {
        source.and_then(|s| project.source(s)).is_some_and(|s| {
            span.end <= s.text.len()
                && s.text.is_char_boundary(span.start)
                && s.text.is_char_boundary(span.end)
        })
    });
    UiAction::Navigate {
        view,
        source,
        passage,
    }
}

/// The UI state a project opens with: the place in the address when it names this project.
pub fn initial_ui(project: &Project) -> Ui {
    let remembered = super::panes::last_source(project.id).filter(|s| project.source(*s).is_some());
    let ui = Ui::new(remembered.or_else(|| project.sources.first().map(|s| s.id)));
    match browser::current() {
        Route::Project(id, place) if id == project.id => {
            let next = yew::Reducible::reduce(Rc::new(ui), navigation(project, place));
            Rc::unwrap_or_clone(next)
        }
        _ => ui,
    }
}

/// True when going from `old` to `new` stays at the same spot (only the passage of the same
/// source, the matrix shown by default, or the active case is filled in or changed): the entry
/// is replaced, not added.
fn same_spot(old: Route, new: Route) -> bool {
    match (old, new) {
        (
            Route::Project(a, Place::Read { source: s, .. }),
            Route::Project(b, Place::Read { source: t, .. }),
        ) => a == b && s == t,
        (Route::Project(a, Place::Matrix(None)), Route::Project(b, Place::Matrix(_))) => a == b,
        // Moving through the case table (arrow keys) is one spot, not a history entry per row.
        (Route::Project(a, Place::Cases(_)), Route::Project(b, Place::Cases(_))) => a == b,
        _ => false,
    }
}

/// Keeps the address and the UI state in step.
#[hook]
pub fn use_routes(
    project: Rc<Project>,
    place: Place,
    ui: Callback<UiAction>,
    on_leave: Callback<()>,
) {
    let route = Route::Project(project.id, place);
    // Set while a change comes from the address (Back/Forward): the entry is then replaced.
    let from_address = use_mut_ref(|| true);
    // Set after the first run: the workbench has then written its address once.
    let settled = use_mut_ref(|| false);
    {
        let from_address = from_address.clone();
        use_effect_with(route, move |route| {
            let current = browser::current();
            let from = from_address.replace(false);
            // The address left this project (the home screen or another project typed in, or
            // Back) and its event has not come yet: the UI state settling now (a passage
            // restored after a reload) must not write this project's route back over it; the
            // event then closes the workbench.
            if settled.replace(true) && current.project() != route.project() {
                return;
            }
            if current != *route {
                if (from && current.project() == route.project()) || same_spot(current, *route) {
                    browser::replace(*route);
                } else {
                    browser::push(*route);
                }
            }
        });
    }
    let leaving = use_mut_ref(|| false);
    let on_address = move |_: &Event| match browser::current() {
        Route::Project(id, place) if id == project.id => {
            *from_address.borrow_mut() = true;
            ui.emit(navigation(&project, place));
        }
        _ => {
            if !leaving.replace(true) {
                on_leave.emit(());
            }
        }
    };
    use_window_listener("popstate", on_address.clone());
    use_window_listener("hashchange", on_address);
}
