//! The project merge preview: what merging another project (a colleague's project file or
//! `.qdpx`) adds, what is already here and what is in conflict (each kept as it is here), before
//! "Merge" (one undo step). The plan is made in the worker (core's `merge::plan`); the page only
//! shows it and applies `MergePlan::action`.

use framewise_core::merge::{Entry, Kind, MergePlan};
use yew::prelude::*;

/// "2 sources, 3 codes" for the entries of one list (kinds in their preview order).
fn counts(entries: &[Entry]) -> String {
    let parts: Vec<String> = Kind::ALL
        .iter()
        .filter_map(|kind| {
            let n: usize = entries
                .iter()
                .filter(|e| e.kind == *kind)
                .map(|e| e.count)
                .sum();
            (n > 0).then(|| kind.count(n))
        })
        .collect();
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join(", ")
    }
}

/// A headed, scrollable list (a `region` named `label`), or "None." when empty.
fn section(label: &str, heading: String, items: Vec<Html>) -> Html {
    html! {
        <section aria-label={label.to_string()} class="merge-section">
            <h3>{heading}</h3>
            if items.is_empty() {
                <p class="muted">{"None."}</p>
            } else {
                <ul class="merge-list" tabindex="0" aria-label={label.to_string()}>{for items}</ul>
            }
        </section>
    }
}

fn entries(list: &[Entry]) -> Vec<Html> {
    list.iter()
        .map(|e| html! { <li>{format!("{} — {}", e.kind.count(e.count), e.name)}</li> })
        .collect()
}

/// The preview of `plan`, merging the project in `file`.
pub(super) fn project_merge_preview(file: &str, plan: &MergePlan) -> Html {
    let conflicts: Vec<Html> = plan
        .conflicts
        .iter()
        .map(|c| {
            html! {
                <li>
                    <strong>{&c.name}</strong>{": "}{&c.reason}
                    <span class="muted">{format!(" ({})", c.resolution.label())}</span>
                </li>
            }
        })
        .collect();
    // Whose codings come in: returned workshop files often all have the prepared file's name.
    let mut coders: Vec<&str> = Vec::new();
    for c in &plan.codings {
        if !coders.contains(&c.coder.as_str()) {
            coders.push(&c.coder);
        }
    }
    let by = if coders.is_empty() {
        String::new()
    } else {
        format!(" New codings by {}.", coders.join(", "))
    };
    html! {
        <div class="refi-merge project-merge">
            <p>{format!("From {file} (project “{}”).{by} Nothing changes until you choose Merge.", plan.other_name)}</p>
            {section("New", format!("New: {}", counts(&plan.new)), entries(&plan.new))}
            {section("Already here", format!("Already here: {}", counts(&plan.identical)), entries(&plan.identical))}
            {section("Conflicts", format!("Conflicts ({}): this project's version is kept", plan.conflicts.len()), conflicts)}
            <p class="muted">{if plan.is_empty() {
                "Nothing to add: everything of that project is already here."
            } else {
                "Merge is one step: Undo takes it back."
            }}</p>
        </div>
    }
}
