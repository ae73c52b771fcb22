//! The saved format: stored records, the project file, and the one migrate function.
