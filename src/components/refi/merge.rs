//! The codebook merge preview: incoming codes matched here (by id, by name), new codes, renamed
//! codes, descriptions added, conflicts and new sets, before "Apply" (one undo step).

use framewise_core::refi::{CodebookMerge, MatchedBy};
use framewise_core::words::count;
use framewise_core::{CodeId, Project};
use yew::prelude::*;

/// A headed list (`region` named `label`), or "None." when empty.
fn list_section(label: &str, heading: String, items: Vec<Html>) -> Html {
    html! {
        <section aria-label={label.to_string()}>
            <h3>{heading}</h3>
            if items.is_empty() {
                <p class="muted">{"None."}</p>
            } else {
                <ul>{for items}</ul>
            }
        </section>
    }
}

pub(super) fn merge_preview(project: &Project, plan: &CodebookMerge) -> Html {
    let by_guid = plan
        .matched
        .iter()
        .filter(|m| m.by == MatchedBy::Guid)
        .count();
    let by_name = plan.matched.len() - by_guid;
    let name_of = |id: CodeId| {
        plan.new_codes
            .iter()
            .find(|c| c.id == id)
            .or_else(|| project.code(id))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let new_codes = plan
        .new_codes
        .iter()
        .map(|c| {
            html! {
                <li>
                    <span class="refi-swatch" style={format!("background:{}", c.color)} aria-hidden="true"></span>
                    {&c.name}
                    if let Some(parent) = c.parent {
                        <span class="muted">{format!(" under {}", name_of(parent))}</span>
                    }
                </li>
            }
        })
        .collect();
    let text_items = |texts: Vec<String>| -> Vec<Html> {
        texts.into_iter().map(|t| html! { <li>{t}</li> }).collect()
    };
    let renamed = text_items(
        plan.renamed
            .iter()
            .map(|(_, here, incoming)| format!("{here} → {incoming}"))
            .collect(),
    );
    let conflicts = text_items(
        plan.conflicts
            .iter()
            .map(|c| format!("{}: {}", c.code, c.reason))
            .collect(),
    );
    let described = text_items(plan.described.iter().map(|(id, _)| name_of(*id)).collect());
    let sets = text_items(plan.new_sets.iter().map(|s| s.name.clone()).collect());
    html! {
        <div class="refi-merge">
            <p>{format!(
                "{} match codes here ({by_guid} by id, {by_name} by name).",
                count(by_guid + by_name, "incoming code", "incoming codes")
            )}</p>
            {list_section("New codes", format!("New codes ({})", plan.new_codes.len()), new_codes)}
            {list_section("Renamed codes", format!("Renamed ({})", plan.renamed.len()), renamed)}
            if !plan.described.is_empty() {
                {list_section("Descriptions added", format!("Descriptions added ({})", plan.described.len()), described)}
            }
            {list_section("Conflicts", format!("Conflicts ({}): they stay as they are here", plan.conflicts.len()), conflicts)}
            if !plan.new_sets.is_empty() {
                {list_section("New sets", format!("New sets ({})", plan.new_sets.len()), sets)}
            }
            <p class="muted">{if plan.is_empty() {
                "Nothing to change: this codebook is already here."
            } else {
                "Apply is one step: Undo takes it back."
            }}</p>
        </div>
    }
}
