//! Reports: a project written up as a document (`document.rs`: headings, paragraphs, attributed
//! quotes, tables) built from [`ReportOptions`] (`options.rs`) by `build.rs` (coded segments per
//! code, theme or set, case or attribute value; the codebook; themes and meta-themes with their
//! matrix summaries and chosen quotes; memos), with attributions from `attribution.rs`, then
//! written as Markdown (`markdown.rs`), a printable HTML page (`html.rs`), the list as CSV or
//! XLSX (`list.rs`) and, with `formats`, DOCX (`docx.rs`). The app uses only the options and the
//! attribution preview; the worker writes the files.

mod attribution;
mod build;
mod document;
#[cfg(feature = "formats")]
mod docx;
mod html;
mod list;
mod markdown;
mod options;

pub use attribution::{preview, quote_text, Attributed, Attributor, CaseFinder, Template};
pub use build::{build, SEGMENT_COLUMNS};
pub use document::{Block, Quote, Report, Table};
#[cfg(feature = "formats")]
pub use docx::to_docx;
pub use html::to_html;
pub use list::to_csv;
#[cfg(feature = "formats")]
pub use list::to_xlsx;
pub use markdown::{escape as markdown_escape, to_markdown};
pub use options::{Grouping, ReportFormat, ReportKind, ReportOptions, DEFAULT_ATTRIBUTION};
