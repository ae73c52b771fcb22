//! A report as a standalone, printable HTML page: print CSS inline, a table of contents, no
//! scripts or outside resources (a Content-Security-Policy that allows none), every text
//! escaped, so a name such as `<script>` shows as text and never runs.

use super::document::{Block, Report, Table};
use crate::text::xml_escape as escape;

const CSS: &str = "@page { size: A4; margin: 18mm 16mm; }
body { font: 11pt/1.5 Georgia, 'Times New Roman', serif; color: #111; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, h4, h5, h6, .meta, nav, table, .note { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; }
h1 { font-size: 20pt; margin: 0 0 0.2em; }
h2 { font-size: 15pt; margin: 1.6em 0 0.4em; border-bottom: 1px solid #ccc; }
h3 { font-size: 12.5pt; margin: 1.2em 0 0.3em; }
h4, h5, h6 { font-size: 11pt; margin: 1em 0 0.3em; }
h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
.meta { color: #555; margin: 0 0 1.5em; }
.note { color: #555; font-size: 9.5pt; margin: 0.2em 0 0.6em; }
.label { font-weight: bold; }
nav.toc { border: 1px solid #ddd; padding: 0.6em 1.2em; margin-bottom: 2em; }
nav.toc h2 { border: none; margin-top: 0.3em; font-size: 12pt; }
nav.toc ol { padding-left: 1.4em; margin: 0.2em 0; }
nav.toc a { color: inherit; }
blockquote { margin: 0.6em 0 0.8em 1.2em; padding-left: 0.9em; border-left: 3px solid #999; break-inside: avoid; page-break-inside: avoid; }
blockquote p { margin: 0; }
blockquote .attribution { color: #444; font-size: 9.5pt; font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1.2em; font-size: 9.5pt; }
caption { text-align: left; font-weight: bold; margin-bottom: 0.3em; }
th, td { border: 1px solid #999; padding: 3px 6px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
thead { display: table-header-group; }
th { background: #eee; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } nav.toc { break-after: page; page-break-after: always; } a { text-decoration: none; } }
";

fn table(out: &mut String, table: &Table) {
    out.push_str("<table>\n");
    if !table.caption.is_empty() {
        out.push_str(&format!("<caption>{}</caption>\n", escape(&table.caption)));
    }
    out.push_str("<thead><tr>");
    for h in &table.header {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let text = escape(cell).replace('\n', "<br>");
            if i == 0 {
                out.push_str(&format!("<th scope=\"row\">{text}</th>"));
            } else {
                out.push_str(&format!("<td>{text}</td>"));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The table of contents: headings of level 2, with those of level 3 nested under them.
fn contents(out: &mut String, report: &Report) {
    let entries = report.contents();
    if entries.is_empty() {
        return;
    }
    out.push_str(
        "<nav class=\"toc\" aria-labelledby=\"toc\">\n<h2 id=\"toc\">Contents</h2>\n<ol>\n",
    );
    let mut open_sub = false;
    let mut open_item = false;
    for (level, text, anchor) in entries {
        let link = format!("<a href=\"#{}\">{}</a>", escape(anchor), escape(text));
        if level == 2 {
            if open_sub {
                out.push_str("</ol>");
                open_sub = false;
            }
            if open_item {
                out.push_str("</li>\n");
            }
            out.push_str(&format!("<li>{link}"));
            open_item = true;
        } else {
            if !open_item {
                out.push_str("<li>");
                open_item = true;
            }
            if !open_sub {
                out.push_str("\n<ol>");
                open_sub = true;
            }
            out.push_str(&format!("<li>{link}</li>"));
        }
    }
    if open_sub {
        out.push_str("</ol>");
    }
    if open_item {
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</nav>\n");
}

/// The report as a complete HTML document.
pub fn to_html(report: &Report) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    out.push_str(&format!("<title>{}</title>\n", escape(&report.title)));
    out.push_str("<style>\n");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<header>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(&report.title)));
    if !report.subtitle.is_empty() {
        out.push_str(&format!(
            "<p class=\"meta\">{}</p>\n",
            escape(&report.subtitle)
        ));
    }
    out.push_str("</header>\n");
    contents(&mut out, report);
    out.push_str("<main>\n");
    for block in &report.blocks {
        match block {
            Block::Heading {
                level,
                text,
                anchor,
            } => out.push_str(&format!(
                "<h{level} id=\"{}\">{}</h{level}>\n",
                escape(anchor),
                escape(text)
            )),
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Note(text) => out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(text))),
            Block::Labelled { label, text } => out.push_str(&format!(
                "<p><span class=\"label\">{}:</span> {}</p>\n",
                escape(label),
                escape(text).replace('\n', "<br>")
            )),
            Block::Quote(q) => {
                out.push_str(&format!("<blockquote><p>“{}”</p>", escape(&q.text)));
                if !q.attribution.is_empty() {
                    out.push_str(&format!(
                        "<p class=\"attribution\">{}</p>",
                        escape(&q.attribution)
                    ));
                }
                out.push_str("</blockquote>\n");
            }
            Block::Table(t) => table(&mut out, t),
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
