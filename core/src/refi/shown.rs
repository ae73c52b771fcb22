//! REFI-QDA replies written out for the page: what an import found ([`import_summary`]) as
//! markup, made in the worker. The app's main wasm then decodes a string instead of
//! [`RefiReport`]'s types and holds no `html!` tree for it (see ARCHITECTURE.md, "Main wasm
//! size"). Every text from a file or a project is escaped here ([`xml_escape`]).

use super::RefiReport;
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
            skipped_sources: [("text source without text".to_string(), 2), ("PDF".into(), 1)]
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
