//! Framework matrices: the view of a matrix over the project (`view.rs`: rows, columns, counts,
//! cell states, quotes) and its exports (`export.rs`: CSV, XLSX, printable HTML). The
//! definitions (`Matrix`, rows, filters, quote tokens) are in the model
//! ([`crate::model::matrix`]) and re-exported here, so `framewise_core::matrix::…` names both.

mod export;
mod view;

pub use crate::model::matrix::*;
#[cfg(feature = "formats")]
pub use export::export_xlsx;
pub use export::{export_csv, export_html, no_summary, render_summary, BROKEN_QUOTE, CASE_SUMMARY};
pub use view::{
    broken_references, build_view, build_view_shown, case_codings, case_sources, case_tree_order,
    cases_by_value, cell_segments, cell_state, filter_matches, row_cases, row_views,
    seed_with_quotes, shorten, summaries_quoting, visit_case_codings, CellState, CellView,
    ColumnView, MatrixView, RowView, NO_VALUE,
};
