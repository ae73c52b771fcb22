//! Colour-blind-safe code colours (Okabe-Ito, then Paul Tol's muted set), used in order for new
//! codes.

/// The palette, in the order new codes take it.
pub const PALETTE: [&str; 16] = [
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999",
    "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#aa4499",
];

/// The colour for the `n`-th code.
pub fn color_for(n: usize) -> &'static str {
    PALETTE[n % PALETTE.len()]
}
