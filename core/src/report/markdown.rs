//! A report as Markdown (CommonMark with pipe tables). Every text is escaped so that names and
//! quotes stay text: `<script>` is written `\<script>`, never raw HTML a renderer would pass on
//! (`>` is escaped only where it would start a block quote).

use super::document::{Block, Report, Table};

/// Escapes text for a Markdown paragraph, heading or table cell: the characters that could start
/// markup are backslash-escaped, and line breaks become spaces.
pub fn escape(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(flat.len() + 8);
    for c in flat.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // What would make a line a list item, a heading underline or an ordered list.
    let trimmed = out.trim_start();
    let lead = out.len() - trimmed.len();
    let mut start = String::from(&out[..lead]);
    let rest = &out[lead..];
    if rest.starts_with(['-', '+', '=', '>']) {
        start.push('\\');
        start.push_str(rest);
        return start;
    }
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && rest[digits..].starts_with(['.', ')']) {
        start.push_str(&rest[..digits]);
        start.push('\\');
        start.push_str(&rest[digits..]);
        return start;
    }
    out
}

fn table(out: &mut String, table: &Table) {
    if !table.caption.is_empty() {
        out.push_str(&format!("**{}**\n\n", escape(&table.caption)));
    }
    let row = |cells: &[String]| {
        let mut line = String::from("|");
        for c in cells {
            line.push(' ');
            line.push_str(&escape(c));
            line.push_str(" |");
        }
        line.push('\n');
        line
    };
    out.push_str(&row(&table.header));
    out.push('|');
    for _ in &table.header {
        out.push_str(" --- |");
    }
    out.push('\n');
    for r in &table.rows {
        let mut cells = r.clone();
        cells.resize(table.header.len(), String::new());
        out.push_str(&row(&cells));
    }
    out.push('\n');
}

/// The report as a Markdown document.
pub fn to_markdown(report: &Report) -> String {
    let mut out = format!("# {}\n\n", escape(&report.title));
    if !report.subtitle.is_empty() {
        out.push_str(&format!("_{}_\n\n", escape(&report.subtitle)));
    }
    for block in &report.blocks {
        match block {
            Block::Heading { level, text, .. } => {
                out.push_str(&format!(
                    "{} {}\n\n",
                    "#".repeat(usize::from(*level)),
                    escape(text)
                ));
            }
            Block::Paragraph(text) => out.push_str(&format!("{}\n\n", escape(text))),
            Block::Note(text) => out.push_str(&format!("_{}_\n\n", escape(text))),
            Block::Labelled { label, text } => {
                let mut lines = text.lines().filter(|l| !l.trim().is_empty());
                out.push_str(&format!(
                    "**{}:** {}\n\n",
                    escape(label),
                    lines.next().map(escape).unwrap_or_default()
                ));
                for line in lines {
                    out.push_str(&format!("{}\n\n", escape(line)));
                }
            }
            Block::Quote(q) => {
                out.push_str(&format!("> “{}”", escape(&q.text)));
                if !q.attribution.is_empty() {
                    out.push_str(&format!(" {}", escape(&q.attribution)));
                }
                out.push_str("\n\n");
            }
            Block::Table(t) => table(&mut out, t),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped_and_line_starts_are_defused() {
        assert_eq!(escape("<b>x</b> & *y*"), r"\<b>x\</b> \& \*y\*");
        assert_eq!(escape("- item"), r"\- item");
        assert_eq!(escape("> quote"), r"\> quote");
        assert_eq!(escape("12. Point"), r"12\. Point");
        assert_eq!(escape("a > b, 12. c"), "a > b, 12. c");
        assert_eq!(escape("# [link](x)"), r"\# \[link\](x)");
        assert_eq!(escape("two\nlines"), "two lines");
    }
}
