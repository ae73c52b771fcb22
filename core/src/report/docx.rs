//! A report as a Word document (`.docx`), written with the `docx-rs` crate (feature `formats`:
//! the worker and native tools, never the app's main wasm). The title in the "Title" style,
//! sections in "Heading 1"… (with outline levels, so Word's navigation pane and LibreOffice's
//! navigator list them), quotes as paragraphs in a "Quote" style followed by their attribution
//! ("Attribution"), notes in "Note", and one table per table of the report with a bold header
//! row. docx-rs escapes every text; characters XML cannot hold are dropped first.

use super::document::{Block, Report, Table};
use docx_rs::{
    AlignmentType, Docx, LineSpacing, Paragraph, Run, RunFonts, Style, StyleType, TableCell,
    TableLayoutType, TableRow, WidthType,
};

/// The width tables take, in twentieths of a point (an A4 page less docx-rs's margins).
const TABLE_WIDTH: usize = 8_500;

/// Column widths that share [`TABLE_WIDTH`]: each column at least as wide as its longest word
/// (within reason), the rest shared by how much text the column holds on average.
fn grid(t: &Table) -> Vec<usize> {
    /// About one character of 10-point text.
    const CHAR: usize = 140;
    let columns = t.header.len().max(1);
    let cells = |i: usize| {
        t.header
            .get(i)
            .into_iter()
            .chain(t.rows.iter().filter_map(move |r| r.get(i)))
    };
    let minimum: Vec<usize> = (0..columns)
        .map(|i| {
            let word = cells(i)
                .flat_map(|c| c.split_whitespace())
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            word.clamp(4, 16) * CHAR
        })
        .collect();
    let weights: Vec<usize> = (0..columns)
        .map(|i| {
            let total: usize = cells(i).map(|c| c.chars().count()).sum();
            (total / (t.rows.len() + 1)).clamp(1, 400)
        })
        .collect();
    let floor: usize = minimum.iter().sum();
    if floor >= TABLE_WIDTH {
        return minimum
            .iter()
            .map(|m| m * TABLE_WIDTH / floor.max(1))
            .collect();
    }
    let spare = TABLE_WIDTH - floor;
    let sum: usize = weights.iter().sum::<usize>().max(1);
    minimum
        .iter()
        .zip(&weights)
        .map(|(m, w)| m + spare * w / sum)
        .collect()
}

/// Text without the control characters XML 1.0 cannot carry (tabs and line breaks are handled
/// by the callers).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect()
}

fn styles(docx: Docx) -> Docx {
    let heading = |level: usize, size: usize| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(size)
            .bold()
            .color("1F3A5F")
            .outline_lvl(level - 1)
    };
    let mut docx = docx
        .default_fonts(
            RunFonts::new()
                .ascii("Calibri")
                .hi_ansi("Calibri")
                .cs("Calibri"),
        )
        .default_size(22)
        .default_line_spacing(LineSpacing::new().after(120))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .size(40)
                .bold(),
        )
        .add_style(
            Style::new("Subtitle", StyleType::Paragraph)
                .name("Subtitle")
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .italic()
                .color("555555"),
        )
        .add_style(
            Style::new("Quote", StyleType::Paragraph)
                .name("Quote")
                .based_on("Normal")
                .next("Attribution")
                .q_format(true)
                .italic()
                .color("333333")
                .indent(Some(720), None, Some(360), None),
        )
        .add_style(
            Style::new("Attribution", StyleType::Paragraph)
                .name("Attribution")
                .based_on("Normal")
                .next("Normal")
                .size(18)
                .color("555555")
                .indent(Some(720), None, None, None),
        )
        .add_style(
            Style::new("Note", StyleType::Paragraph)
                .name("Note")
                .based_on("Normal")
                .next("Normal")
                .size(18)
                .italic()
                .color("666666"),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("caption")
                .based_on("Normal")
                .next("Normal")
                .bold(),
        );
    for (level, size) in [(1, 32), (2, 28), (3, 26), (4, 24), (5, 22), (6, 22)] {
        docx = docx.add_style(heading(level, size));
    }
    docx
}

fn styled(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_run(Run::new().add_text(clean(text)))
}

fn table(docx: Docx, t: &Table) -> Docx {
    let widths = grid(t);
    let cell = |text: &str, bold: bool, column: usize| {
        let mut p = Paragraph::new();
        for (i, line) in text.lines().enumerate() {
            let mut run = Run::new();
            if i > 0 {
                run = run.add_break(docx_rs::BreakType::TextWrapping);
            }
            run = run.add_text(clean(line));
            if bold {
                run = run.bold();
            }
            p = p.add_run(run);
        }
        TableCell::new()
            .add_paragraph(p)
            .width(widths.get(column).copied().unwrap_or(0), WidthType::Dxa)
    };
    let columns = t.header.len().max(1);
    let mut rows = vec![TableRow::new(
        t.header
            .iter()
            .enumerate()
            .map(|(i, h)| cell(h, true, i))
            .collect(),
    )];
    for r in &t.rows {
        let mut cells: Vec<TableCell> = r
            .iter()
            .take(columns)
            .enumerate()
            .map(|(i, c)| cell(c, false, i))
            .collect();
        while cells.len() < columns {
            cells.push(cell("", false, cells.len()));
        }
        rows.push(TableRow::new(cells).cant_split());
    }
    let mut docx = docx;
    if !t.caption.is_empty() {
        docx = docx.add_paragraph(styled("Caption", &t.caption));
    }
    docx.add_table(
        docx_rs::Table::new(rows)
            .set_grid(widths.clone())
            .layout(TableLayoutType::Fixed)
            .width(TABLE_WIDTH, WidthType::Dxa),
    )
    .add_paragraph(Paragraph::new())
}

/// The report as the bytes of a `.docx` file; the error is a sentence.
pub fn to_docx(report: &Report) -> Result<Vec<u8>, String> {
    let mut docx = styles(Docx::new());
    docx = docx.add_paragraph(styled("Title", &report.title));
    if !report.subtitle.is_empty() {
        docx = docx.add_paragraph(styled("Subtitle", &report.subtitle));
    }
    for block in &report.blocks {
        docx = match block {
            Block::Heading { level, text, .. } => {
                let style = format!("Heading{}", level.saturating_sub(1).clamp(1, 6));
                docx.add_paragraph(styled(&style, text).keep_next(true))
            }
            Block::Paragraph(text) => docx.add_paragraph(styled("Normal", text)),
            Block::Note(text) => docx.add_paragraph(styled("Note", text)),
            Block::Labelled { label, text } => {
                let mut lines = text.lines();
                let first = Paragraph::new()
                    .add_run(Run::new().add_text(clean(&format!("{label}: "))).bold())
                    .add_run(Run::new().add_text(clean(lines.next().unwrap_or(""))));
                let mut docx = docx.add_paragraph(first);
                for line in lines.filter(|l| !l.trim().is_empty()) {
                    docx = docx.add_paragraph(styled("Normal", line));
                }
                docx
            }
            Block::Quote(q) => {
                let docx = docx.add_paragraph(
                    styled("Quote", &format!("“{}”", q.text)).keep_next(!q.attribution.is_empty()),
                );
                if q.attribution.is_empty() {
                    docx
                } else {
                    docx.add_paragraph(
                        styled("Attribution", &q.attribution).align(AlignmentType::Left),
                    )
                }
            }
            Block::Table(t) => table(docx, t),
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| format!("the Word document could not be written ({e})"))?;
    Ok(out.into_inner())
}
