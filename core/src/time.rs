//! Time in the model. Core has no clock: callers pass timestamps in (the app `Date.now()`, the
//! CLI the system time, tests fixed numbers), so applying the same action gives the same result.

/// Milliseconds since the Unix epoch (as `Date.now()` gives them).
pub type Timestamp = i64;
