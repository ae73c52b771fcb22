//! A project merge preview written out for the page ([`preview`]): made in the worker from the
//! plan, sent as markup (every text escaped here), so that the app's main wasm decodes a string
//! instead of [`MergeSummary`](super::MergeSummary)'s types and holds no `html!` tree for it.

use super::{Entry, Kind, MergePlan};
use crate::text::xml_escape;

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

/// A headed, scrollable list (a `region` named `label`) of `items` (markup), or "None." when
/// empty.
fn section(label: &str, heading: &str, items: &str) -> String {
    let body = if items.is_empty() {
        "<p class=\"muted\">None.</p>".to_string()
    } else {
        format!("<ul class=\"merge-list\" tabindex=\"0\" aria-label=\"{label}\">{items}</ul>")
    };
    format!(
        "<section aria-label=\"{label}\" class=\"merge-section\"><h3>{}</h3>{body}</section>",
        xml_escape(heading)
    )
}

fn entries(list: &[Entry]) -> String {
    list.iter()
        .map(|e| {
            format!(
                "<li>{}</li>",
                xml_escape(&format!("{} — {}", e.kind.count(e.count), e.name))
            )
        })
        .collect()
}

/// The preview of `plan`, merging the project in the file `file`: where it comes from and whose
/// codings come in, what is new, already here and in conflict (each kept as it is here), and
/// whether Merge changes anything.
pub fn preview(file: &str, plan: &MergePlan) -> String {
    // Whose codings come in, in the order the app's plan lists them (`MergePlan::from_staged`:
    // by source, then position): returned workshop files often all have the prepared file's
    // name.
    let mut codings: Vec<_> = plan.codings.iter().collect();
    crate::sort::sort_by_key(&mut codings, |c| (c.source, c.span.start, c.span.end, c.id));
    let mut coders: Vec<&str> = Vec::new();
    for c in codings {
        if !coders.contains(&c.coder.as_str()) {
            coders.push(&c.coder);
        }
    }
    let by = if coders.is_empty() {
        String::new()
    } else {
        format!(" New codings by {}.", coders.join(", "))
    };
    let conflicts: String = plan
        .conflicts
        .iter()
        .map(|c| {
            format!(
                "<li><strong>{}</strong>: {}<span class=\"muted\"> ({})</span></li>",
                xml_escape(&c.name),
                xml_escape(&c.reason),
                c.resolution.label()
            )
        })
        .collect();
    let mut out = format!(
        "<div class=\"refi-merge project-merge\"><p>{}</p>",
        xml_escape(&format!(
            "From {file} (project “{}”).{by} Nothing changes until you choose Merge.",
            plan.other_name
        ))
    );
    out.push_str(&section(
        "New",
        &format!("New: {}", counts(&plan.new)),
        &entries(&plan.new),
    ));
    out.push_str(&section(
        "Already here",
        &format!("Already here: {}", counts(&plan.identical)),
        &entries(&plan.identical),
    ));
    out.push_str(&section(
        "Conflicts",
        &format!(
            "Conflicts ({}): this project's version is kept",
            plan.conflicts.len()
        ),
        &conflicts,
    ));
    out.push_str(&format!(
        "<p class=\"muted\">{}</p></div>",
        if plan.is_empty() {
            "Nothing to add: everything of that project is already here."
        } else {
            "Merge is one step: Undo takes it back."
        }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Conflict, ConflictKind, Resolution};
    use super::*;

    #[test]
    fn the_preview_counts_and_escapes() {
        let entry = |kind, name: &str, count| Entry {
            kind,
            name: name.into(),
            count,
        };
        let plan = MergePlan {
            other_name: "<b>Bea</b>".into(),
            new: vec![
                entry(Kind::Coding, "Interview & 1", 2),
                entry(Kind::Code, "<img src=x>", 1),
            ],
            conflicts: vec![Conflict {
                kind: ConflictKind::CodeRenamed,
                name: "\"Trust\"".into(),
                reason: "it is named <i>x</i> there".into(),
                resolution: Resolution::KeepOurs,
            }],
            ..MergePlan::default()
        };
        let shown = preview("a<b>.json", &plan);
        assert!(
            shown.starts_with(
                "<div class=\"refi-merge project-merge\"><p>From a&lt;b&gt;.json (project \
                 “&lt;b&gt;Bea&lt;/b&gt;”). Nothing changes until you choose Merge.</p>"
            ),
            "{shown}"
        );
        assert!(shown.contains(
            "<section aria-label=\"New\" class=\"merge-section\"><h3>New: 1 code, 2 codings</h3><ul \
             class=\"merge-list\" tabindex=\"0\" aria-label=\"New\"><li>2 codings — Interview \
             &amp; 1</li><li>1 code — &lt;img src=x&gt;</li></ul></section>"
        ));
        assert!(shown.contains("<h3>Already here: nothing</h3><p class=\"muted\">None.</p>"));
        assert!(shown.contains(
            "<li><strong>&quot;Trust&quot;</strong>: it is named &lt;i&gt;x&lt;/i&gt; there<span \
             class=\"muted\"> (keep this project's version)</span></li>"
        ));
        // Nothing added (the entries only describe): Merge would change nothing.
        assert!(shown
            .ends_with("Nothing to add: everything of that project is already here.</p></div>"));
        assert!(!shown.contains("<b>") && !shown.contains("<img") && !shown.contains("<i>"));
    }
}
