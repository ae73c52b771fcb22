//! The model layer: what a project is. `project` (the `Project` value, sources with their turns,
//! codes, codings, sets, the pseudonymisation key, queries over them), `case` (cases, typed
//! attributes and values), `matrix` (framework matrix definitions and quote tokens), `place` (where words live in a
//! project, for pseudonymisation), `query` (a search's options and scope, and searches saved by
//! name), `error`
//! (`ActionError`, why a change was refused). It imports only the leaves below it (ids, spans,
//! sort, palette, tree walk, text offsets); see `core/tests/layers.rs`.

pub mod case;
pub mod error;
pub mod matrix;
pub mod place;
pub mod project;
pub mod query;
