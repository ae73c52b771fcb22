//! REFI-QDA replies written out for the page: what an import found ([`import_summary`]) and a
//! codebook merge preview ([`merge_preview`]) as markup, made in the worker. The app's main wasm
//! then decodes a string instead of [`RefiReport`]'s and [`CodebookMerge`]'s types and holds no
//! `html!` tree for them (see ARCHITECTURE.md, "Main wasm size"). Every text from a file or a
//! project is escaped here ([`xml_escape`]); a colour goes into a style only when it is
//! `#rrggbb`.

use super::{CodebookMerge, MatchedBy, RefiReport};
use crate::action::is_valid_color;
use crate::ids::CodeId;
use crate::project::Project;
use crate::text::xml_escape;
use crate::words::count;

/// `<li>` items, each text escaped.
fn items<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    texts
        .into_iter()
        .map(|t| format!("<li>{}</li>", xml_escape(t)))
        .collect()
}

/// The import dialog's body: the project's name (and the tool that wrote the file), the counts
/// as a table named "Import summary", the sources skipped, the selections that could not be
/// placed (folded), and the notes.
pub fn import_summary(project_name: &str, s: &RefiReport) -> String {
    let mut out = format!("<p>“{}”", xml_escape(project_name));
    if let Some(origin) = &s.origin {
        out.push_str(&format!(
            "<span class=\"muted\"> — written by {}</span>",
            xml_escape(origin)
        ));
    }
    out.push_str("</p><table class=\"refi-summary\" aria-label=\"Import summary\"><tbody>");
    let skipped: usize = s.skipped_sources.values().sum();
    for (label, n) in [
        ("Sources", s.sources),
        ("Codes", s.codes),
        ("Codings", s.codings),
        ("Cases", s.cases),
        ("Sets", s.sets),
        ("Selections that could not be placed", s.unplaced.len()),
        ("Sources skipped", skipped),
    ] {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{label}</th><td>{n}</td></tr>"
        ));
    }
    out.push_str("</tbody></table>");
    if !s.skipped_sources.is_empty() {
        let kinds: Vec<String> = s
            .skipped_sources
            .iter()
            .map(|(kind, n)| format!("{}: {n}", capitalised(kind)))
            .collect();
        out.push_str(&format!(
            "<section aria-label=\"Sources skipped\"><h3>Sources skipped</h3><ul>{}</ul><p \
             class=\"muted\">Framewise works with text; these sources are not in the new \
             project.</p></section>",
            items(kinds.iter().map(String::as_str))
        ));
    }
    if !s.unplaced.is_empty() {
        out.push_str(&format!(
            "<details><summary>{} could not be placed on their text</summary><ul>{}</ul></details>",
            count(s.unplaced.len(), "selection", "selections"),
            items(s.unplaced.iter().map(String::as_str))
        ));
    }
    let mut notes: Vec<String> = Vec::new();
    if s.sidecar {
        notes.push("Framewise's own details were found and restored (matrices, speaker turns, case tree, code origins).".into());
    }
    if s.pseudonyms > 0 {
        notes.push(format!(
            "The file carries a pseudonymisation key ({}).",
            count(s.pseudonyms, "entry", "entries")
        ));
    }
    if s.rich_text_sources > 0 {
        notes.push(format!(
            "{} read from Word (.docx) rich text.",
            count(s.rich_text_sources, "source was", "sources were")
        ));
    }
    if s.unattached_notes > 0 {
        notes.push(format!(
            "{} attached to nothing Framewise keeps were left out.",
            count(s.unattached_notes, "note", "notes")
        ));
    }
    notes.extend(s.problems.iter().cloned());
    if !notes.is_empty() {
        out.push_str(&format!(
            "<ul class=\"refi-notes\">{}</ul>",
            items(notes.iter().map(String::as_str))
        ));
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A headed list (a `region` named `label`) of `items` (markup), or "None." when empty.
fn list_section(label: &str, heading: &str, items: &str) -> String {
    let body = if items.is_empty() {
        "<p class=\"muted\">None.</p>".to_string()
    } else {
        format!("<ul>{items}</ul>")
    };
    format!("<section aria-label=\"{label}\"><h3>{heading}</h3>{body}</section>")
}

/// The codebook merge preview of `plan` into `current`: how many incoming codes match (by id,
/// by name), the new codes (with their colour and parent), renamed codes, descriptions added,
/// conflicts, new sets, and whether Apply changes anything.
pub fn merge_preview(current: &Project, plan: &CodebookMerge) -> String {
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
            .or_else(|| current.code(id))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let new_codes: String = plan
        .new_codes
        .iter()
        .map(|c| {
            let style = if is_valid_color(&c.color) {
                format!(" style=\"background:{}\"", c.color)
            } else {
                String::new()
            };
            let under = c.parent.map_or(String::new(), |p| {
                format!(
                    "<span class=\"muted\"> under {}</span>",
                    xml_escape(&name_of(p))
                )
            });
            format!(
                "<li><span class=\"refi-swatch\"{style} aria-hidden=\"true\"></span>{}{under}</li>",
                xml_escape(&c.name)
            )
        })
        .collect();
    let renamed: Vec<String> = plan
        .renamed
        .iter()
        .map(|(_, here, incoming)| format!("{here} → {incoming}"))
        .collect();
    let conflicts: Vec<String> = plan
        .conflicts
        .iter()
        .map(|c| format!("{}: {}", c.code, c.reason))
        .collect();
    let described: Vec<String> = plan.described.iter().map(|(id, _)| name_of(*id)).collect();
    let text_items = |texts: &[String]| items(texts.iter().map(String::as_str));
    let mut out = format!(
        "<div class=\"refi-merge\"><p>{} match codes here ({by_guid} by id, {by_name} by name).</p>",
        count(by_guid + by_name, "incoming code", "incoming codes")
    );
    out.push_str(&list_section(
        "New codes",
        &format!("New codes ({})", plan.new_codes.len()),
        &new_codes,
    ));
    out.push_str(&list_section(
        "Renamed codes",
        &format!("Renamed ({})", plan.renamed.len()),
        &text_items(&renamed),
    ));
    if !plan.described.is_empty() {
        out.push_str(&list_section(
            "Descriptions added",
            &format!("Descriptions added ({})", plan.described.len()),
            &text_items(&described),
        ));
    }
    out.push_str(&list_section(
        "Conflicts",
        &format!(
            "Conflicts ({}): they stay as they are here",
            plan.conflicts.len()
        ),
        &text_items(&conflicts),
    ));
    if !plan.new_sets.is_empty() {
        out.push_str(&list_section(
            "New sets",
            &format!("New sets ({})", plan.new_sets.len()),
            &items(plan.new_sets.iter().map(|s| s.name.as_str())),
        ));
    }
    out.push_str(&format!(
        "<p class=\"muted\">{}</p></div>",
        if plan.is_empty() {
            "Nothing to change: this codebook is already here."
        } else {
            "Apply is one step: Undo takes it back."
        }
    ));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_import_summary_counts_and_escapes() {
        let report = RefiReport {
            origin: Some("<b>NVivo</b>".into()),
            codes: 262,
            codings: 1_234,
            skipped_sources: [
                ("text source without text".to_string(), 2),
                ("PDF".into(), 1),
            ]
            .into_iter()
            .collect(),
            unplaced: vec!["“A” & <script>".into()],
            sidecar: true,
            pseudonyms: 1,
            problems: vec!["a \"problem\"".into()],
            ..RefiReport::default()
        };
        let shown = import_summary("qc <project>", &report);
        assert!(shown.starts_with(
            "<p>“qc &lt;project&gt;”<span class=\"muted\"> — written by &lt;b&gt;NVivo&lt;/b&gt;</span></p>"
        ));
        assert!(shown.contains("<tr><th scope=\"row\">Codes</th><td>262</td></tr>"));
        assert!(shown.contains("<tr><th scope=\"row\">Codings</th><td>1234</td></tr>"));
        assert!(shown.contains("<tr><th scope=\"row\">Sources skipped</th><td>3</td></tr>"));
        assert!(shown.contains(
            "<tr><th scope=\"row\">Selections that could not be placed</th><td>1</td></tr>"
        ));
        assert!(shown.contains("<li>PDF: 1</li><li>Text source without text: 2</li>"));
        assert!(shown.contains(
            "<summary>1 selection could not be placed on their text</summary><ul><li>“A” &amp; &lt;script&gt;</li></ul>"
        ));
        assert!(shown.contains("(1 entry)"));
        assert!(shown.contains("<li>a &quot;problem&quot;</li></ul>"));
        assert!(!shown.contains("<script") && !shown.contains("<b>"));

        // Nothing skipped, placed or noted: the table alone.
        let plain = import_summary("P", &RefiReport::default());
        assert!(plain.ends_with("</tbody></table>"), "{plain}");
        assert!(!plain.contains("written by"));
        assert_eq!(plain.matches("<tr>").count(), 7);
    }
}
