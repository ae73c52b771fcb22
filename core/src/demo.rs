//! The built-in demo project, written by the Framewise team.
