//! Importers: one module per source format, all returning LF-normalised text.
