//! Charts (issue 10), drawn here as SVG text: code frequencies (horizontal bars), codes by
//! attribute value (grouped or stacked bars), a document portrait (where in one source each
//! code occurs, along its length) and the code hierarchy (a treemap sized by coded segments).
//!
//! A [`Chart`] is the SVG (its title and a description inside as `<title>` and `<desc>`, which
//! `role="img"` and `aria-labelledby` name it by), the same data as an HTML table (for screen
//! readers and for reading the numbers) and as CSV. The worker builds charts
//! (`protocol::Request::Chart`); the page shows the SVG and table as they came, so it needs no
//! drawing or table code of its own (the main wasm's size budget).
//!
//! **Every text in the SVG and the table is escaped** ([`svg::esc`]: code names, paths, attribute values,
//! source names; control characters left out, so the file is well-formed XML) and code colours
//! are used only when they are `#rrggbb` ([`crate::is_valid_color`]), so a hostile name or colour
//! can never become markup. Long names are cut with an ellipsis where they are drawn; the full
//! name is in the shape's `<title>` (a tooltip) and the table.
//!
//! **Counts** come from the counting rules elsewhere in core: [`Project::code_counts`] for
//! frequencies and the treemap (codings of the code; the treemap adds the codes below it),
//! [`crate::crosstab::crosstab`] (coded segments, the matrix's rule of which codings fall under
//! a case) for codes by attribute value, and a source's codings for its portrait.
//!
//! The Charts view's controls are written here too ([`Choice`]: what the `<select>`s chose, the
//! spec it asks for, the controls' markup), so the page only sets markup and reads one listener.
//!
//! The output is deterministic: the same project and [`ChartSpec`] give the same bytes
//! (no hashing order, no clock, coordinates rounded to 0.1 px).

mod bars;
mod controls;
mod portrait;
mod svg;
mod treemap;

use crate::ids::{AttributeId, CodeId, SourceId};
use crate::project::Project;
use serde::{Deserialize, Serialize};

pub use controls::{Choice, Shown};

/// Which chart.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum ChartKind {
    /// Coded segments per code, as horizontal bars, the most frequent first.
    #[default]
    Frequencies,
    /// Coded segments per code for each value of an attribute (grouped or stacked bars).
    ByAttribute,
    /// Where each code occurs along one source.
    Portrait,
    /// The code hierarchy as a treemap, each code's area its coded segments (codes below
    /// included).
    Hierarchy,
}

impl ChartKind {
    /// Every kind, in menu order.
    pub const ALL: [ChartKind; 4] = [
        Self::Frequencies,
        Self::ByAttribute,
        Self::Portrait,
        Self::Hierarchy,
    ];

    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Frequencies => "Code frequencies",
            Self::ByAttribute => "Codes by attribute value",
            Self::Portrait => "Document portrait",
            Self::Hierarchy => "Code hierarchy (treemap)",
        }
    }

    /// The downloaded files' name, without extension.
    pub fn file_stem(self) -> &'static str {
        match self {
            Self::Frequencies => "code-frequencies",
            Self::ByAttribute => "codes-by-attribute",
            Self::Portrait => "document-portrait",
            Self::Hierarchy => "code-hierarchy",
        }
    }
}

/// What to chart.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct ChartSpec {
    /// Which chart.
    pub kind: ChartKind,
    /// The codes charted (bars and portrait), shown in codebook-tree order before sorting;
    /// `None`: every code. Unknown ids are left out. The treemap always shows the whole
    /// codebook.
    pub codes: Option<Vec<CodeId>>,
    /// Bars only: at most this many codes, the most frequent (ties in codebook order);
    /// `None`: all of them.
    pub top: Option<usize>,
    /// [`ChartKind::ByAttribute`]: the attribute whose values are compared.
    pub attribute: Option<AttributeId>,
    /// [`ChartKind::ByAttribute`]: one stacked bar per code instead of a bar per value.
    pub stacked: bool,
    /// [`ChartKind::Portrait`]: the source.
    pub source: Option<SourceId>,
}

/// A chart drawn: the SVG and the same data as an HTML table and as CSV.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Chart {
    /// A standalone SVG document (`xmlns`, pixel `width`/`height`, `role="img"` named by its
    /// `<title>` and `<desc>`), every text escaped.
    pub svg: String,
    /// The data as an HTML `<table>` (a caption, column headers, a row header per row), every
    /// text escaped: what a screen reader reads, and the numbers for everyone.
    pub table: String,
    /// The data as CSV (RFC 4180, CRLF line ends): the table's header and rows.
    pub csv: String,
}

impl Chart {
    /// The chart of `svg` whose data are `header` and `rows` (the first cell of each a label).
    fn new(title: &str, svg: String, header: &[&str], rows: &[Vec<String>]) -> Self {
        let mut csv = String::new();
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        for line in std::iter::once(&header).chain(rows) {
            let fields: Vec<String> = line.iter().map(|f| crate::csv::csv_field(f)).collect();
            csv.push_str(&fields.join(","));
            csv.push_str("\r\n");
        }
        let esc = svg::esc;
        let mut table = format!(
            "<table class=\"chart-data\"><caption>Data of the chart “{}”</caption><thead><tr>",
            esc(title)
        );
        for h in &header {
            table.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
        }
        table.push_str("</tr></thead><tbody>");
        for row in rows {
            table.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
                let end = if i == 0 { "th" } else { "td" };
                table.push_str(&format!("<{tag}>{}</{end}>", esc(cell)));
            }
            table.push_str("</tr>");
        }
        table.push_str("</tbody></table>");
        Self { svg, table, csv }
    }
}

/// The chart `spec` asks for, or why not as a sentence (no attribute or source chosen, one that
/// is not in the project, nothing to chart).
pub fn chart(project: &Project, spec: &ChartSpec) -> Result<Chart, String> {
    if project.codes.is_empty() {
        return Err("There are no codes to chart yet: create codes and code some text.".into());
    }
    match spec.kind {
        ChartKind::Frequencies => Ok(bars::frequencies(project, spec)),
        ChartKind::ByAttribute => bars::by_attribute(project, spec),
        ChartKind::Portrait => portrait::portrait(project, spec),
        ChartKind::Hierarchy => treemap::hierarchy(project),
    }
}

/// The codes `spec` names (every code when none), in codebook-tree order.
fn chosen_codes(project: &Project, spec: &ChartSpec) -> Vec<CodeId> {
    let tree = project.code_tree().into_iter().map(|(id, _)| id);
    match &spec.codes {
        None => tree.collect(),
        Some(list) => tree.filter(|id| list.contains(id)).collect(),
    }
}

/// `items` sorted by `count`, largest first (stable: ties keep their order), cut to `top`.
fn most_frequent<T>(mut items: Vec<T>, count: impl Fn(&T) -> u64, top: Option<usize>) -> Vec<T> {
    crate::sort::sort_by_key(&mut items, |item| std::cmp::Reverse(count(item)));
    if let Some(top) = top {
        items.truncate(top);
    }
    items
}
