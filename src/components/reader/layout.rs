//! The reading view's layout: paragraphs grouped in blocks of [`BLOCK`] with estimated, then
//! measured, heights (only the blocks near the viewport are rendered), and the lanes of the
//! coding stripes in the margin.

use framewise_core::text::paragraphs;
use framewise_core::{Coding, CodingId, Span};
use std::collections::HashMap;

/// Paragraphs per rendered block.
pub(super) const BLOCK: usize = 40;
/// Sources with at most this many blocks are rendered whole.
pub(super) const RENDER_ALL_BLOCKS: usize = 6;
/// Coding stripe lanes shown; more overlapping codings share the last lane.
const MAX_LANES: usize = 8;

/// Lane of each coding in the stripe margin: codings whose paragraphs overlap get different
/// lanes (greedy interval colouring in document order).
pub(super) fn assign_lanes(codings: &[Coding], paras: &[Span]) -> HashMap<CodingId, usize> {
    let para_of = |offset: usize| paras.partition_point(|p| p.end < offset);
    let mut lane_end: Vec<usize> = Vec::new();
    let mut lanes = HashMap::with_capacity(codings.len());
    for c in codings {
        let first = para_of(c.span.start);
        let last = para_of(c.span.end.saturating_sub(1).max(c.span.start));
        let lane = match lane_end.iter().position(|end| *end < first) {
            Some(l) => l,
            None if lane_end.len() < MAX_LANES => {
                lane_end.push(0);
                lane_end.len() - 1
            }
            None => MAX_LANES - 1,
        };
        lane_end[lane] = lane_end[lane].max(last);
        lanes.insert(c.id, lane);
    }
    lanes
}

fn estimate_height(paras: &[Span]) -> f64 {
    paras
        .iter()
        .map(|p| {
            if p.is_empty() {
                10.0
            } else {
                let lines = (p.len() as f64 / 80.0).ceil().max(1.0);
                lines * 28.0 + 6.0
            }
        })
        .sum()
}

/// Per-source layout: paragraphs, blocks and their (estimated, then measured) heights.
pub(super) struct Layout {
    pub(super) paras: Vec<Span>,
    pub(super) heights: Vec<f64>,
}

impl Layout {
    pub(super) fn new(text: &str) -> Self {
        let paras = paragraphs(text);
        let heights = paras.chunks(BLOCK).map(estimate_height).collect();
        Self { paras, heights }
    }
    pub(super) fn blocks(&self) -> usize {
        self.heights.len()
    }
    pub(super) fn top_of(&self, block: usize) -> f64 {
        self.heights.iter().take(block).sum()
    }
    pub(super) fn block_at(&self, y: f64) -> usize {
        let mut top = 0.0;
        for (i, h) in self.heights.iter().enumerate() {
            if top + h > y {
                return i;
            }
            top += h;
        }
        self.blocks().saturating_sub(1)
    }
    pub(super) fn block_of_offset(&self, offset: usize) -> usize {
        self.paras.partition_point(|p| p.end < offset) / BLOCK
    }
}
