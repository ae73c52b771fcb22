//! UI components, one per file. Leaf components take narrow props and callbacks.

pub mod agreement;
pub mod autocode;
pub mod cases;
pub mod codebook;
pub mod coding_remove;
pub mod dialog;
pub mod find;
pub mod home;
pub mod import;
pub mod matrix;
pub mod memo;
pub mod menu;
pub mod picker;
pub mod pseudonyms;
pub mod reader;
pub mod refi;
pub mod retrieval;
pub mod search;
pub mod search_code;
pub mod source_edit;
pub mod speakers;
pub mod summary_field;
pub mod tab_busy;
pub mod themes;
pub mod workbench;
