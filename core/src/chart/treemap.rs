//! The code hierarchy as a treemap: each top-level code a tile whose area is its coded segments
//! with those of every code below it; a code with codes below holds their tiles (and a
//! "(coded directly)" tile for its own segments) under its name, as deep as there is room.
//! Tiles are laid out by the squarified algorithm (Bruls, Huizing and van Wijk, 2000).

use super::svg::{self, chars_in, code_names, cut, Svg, MUTED, WIDTH};
use super::Chart;
use crate::ids::CodeId;
use crate::project::Project;
use crate::words;
use std::collections::HashMap;

/// The plot's height.
const PLOT_HEIGHT: f64 = 440.0;

/// A code with coded segments (its own or below it) and its codes below.
struct Node {
    code: CodeId,
    own: u64,
    total: u64,
    children: Vec<Node>,
}

/// A rectangle of the layout.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// The treemap of the whole codebook, or why not (nothing coded yet).
pub(super) fn hierarchy(project: &Project) -> Result<Chart, String> {
    let counts = project.code_counts();
    let roots = forest(project, |id| {
        counts.get(&id).map_or(0, |c| c.codings as u64)
    });
    if roots.is_empty() {
        return Err("No code has coded segments yet: code some text first.".into());
    }
    let mut totals: HashMap<CodeId, (u64, u64)> = HashMap::new();
    fn collect(nodes: &[Node], totals: &mut HashMap<CodeId, (u64, u64)>) {
        for n in nodes {
            totals.insert(n.code, (n.own, n.total));
            collect(&n.children, totals);
        }
    }
    collect(&roots, &mut totals);
    let all: u64 = roots.iter().map(|n| n.total).sum();
    let title = "Code hierarchy".to_string();
    let description = format!(
        "Treemap of the codebook: each code's area is its coded segments, those of the codes \
         below it included; {} with coded segments, {} in all. A code's own segments are the \
         tile “(coded directly)” inside it.",
        words::count(totals.len(), "code", "codes"),
        words::count(all as usize, "coded segment", "coded segments"),
    );
    let top = 40.0;
    let mut out = Svg::new(top + PLOT_HEIGHT + 30.0, &title, &description);
    let area = Rect {
        x: 16.0,
        y: top,
        w: WIDTH - 32.0,
        h: PLOT_HEIGHT,
    };
    lay_out(&mut out, project, &roots, None, area);
    out.text(
        16.0,
        top + PLOT_HEIGHT + 20.0,
        &format!(r#" fill="{MUTED}""#),
        "Area: coded segments (codes below included)",
    );
    let rows: Vec<Vec<String>> = project
        .code_tree()
        .into_iter()
        .filter_map(|(id, _)| {
            let (own, total) = totals.get(&id)?;
            Some(vec![
                project.code_path(id),
                own.to_string(),
                total.to_string(),
            ])
        })
        .collect();
    Ok(Chart::new(
        &title,
        out.finish(),
        &["Code", "Coded segments", "With codes below"],
        &rows,
    ))
}

/// The codebook as nested nodes (tree order), each with its own count and its subtree's, codes
/// without any coded segment (own or below) left out.
fn forest(project: &Project, own: impl Fn(CodeId) -> u64) -> Vec<Node> {
    fn attach(node: Node, stack: &mut [Node], roots: &mut Vec<Node>) {
        if node.total == 0 {
            return;
        }
        match stack.last_mut() {
            Some(parent) => {
                parent.total += node.total;
                parent.children.push(node);
            }
            None => roots.push(node),
        }
    }
    let mut roots = Vec::new();
    let mut stack: Vec<Node> = Vec::new();
    for (id, depth) in project.code_tree() {
        while stack.len() > depth {
            if let Some(node) = stack.pop() {
                attach(node, &mut stack, &mut roots);
            }
        }
        let n = own(id);
        stack.push(Node {
            code: id,
            own: n,
            total: n,
            children: Vec::new(),
        });
    }
    while let Some(node) = stack.pop() {
        attach(node, &mut stack, &mut roots);
    }
    roots
}

/// One tile to place: a code's node, or the segments coded directly with a code that has codes
/// below it.
enum Tile<'a> {
    Node(&'a Node),
    Own(&'a Node),
}

impl Tile<'_> {
    fn value(&self) -> u64 {
        match self {
            Tile::Node(n) => n.total,
            Tile::Own(n) => n.own,
        }
    }
}

/// Places `nodes` (and `own`, a parent's directly coded segments) in `area`, largest first.
fn lay_out(out: &mut Svg, project: &Project, nodes: &[Node], own: Option<&Node>, area: Rect) {
    let mut tiles: Vec<Tile> = nodes.iter().map(Tile::Node).collect();
    if let Some(parent) = own.filter(|p| p.own > 0) {
        tiles.push(Tile::Own(parent));
    }
    crate::sort::sort_by_key(&mut tiles, |t| std::cmp::Reverse(t.value()));
    let values: Vec<f64> = tiles.iter().map(|t| t.value() as f64).collect();
    for (tile, rect) in tiles.iter().zip(squarify(&values, area)) {
        match tile {
            Tile::Node(node) => draw_node(out, project, node, rect),
            Tile::Own(node) => {
                let (_, path) = code_names(project, node.code);
                let color = svg::color_of(project.code(node.code));
                out.group(&format!(
                    "{path}, coded directly: {}",
                    words::count(node.own as usize, "coded segment", "coded segments")
                ));
                leaf(out, rect, &color, "(coded directly)", node.own, "tile own");
                out.end_group();
            }
        }
    }
}

/// A code's tile: with codes below and room for them, its name over their tiles; else one
/// filled tile.
fn draw_node(out: &mut Svg, project: &Project, node: &Node, r: Rect) {
    let (name, path) = code_names(project, node.code);
    let color = svg::color_of(project.code(node.code));
    let segments = words::count(node.total as usize, "coded segment", "coded segments");
    if node.children.is_empty() {
        out.group(&format!("{path}: {segments}"));
        leaf(out, r, &color, &name, node.total, "tile");
    } else {
        out.group(&format!(
            "{path}: {segments} with the codes below it ({} coded directly)",
            node.own
        ));
        if r.w >= 60.0 && r.h >= 44.0 {
            let fill = svg::tint(&color, 0.6);
            out.rect(
                r.x,
                r.y,
                r.w,
                r.h,
                &fill,
                &format!(
                    r##" class="tile" data-value="{}" stroke="#ffffff" stroke-width="2""##,
                    node.total
                ),
            );
            out.text(
                r.x + 5.0,
                r.y + 14.0,
                &format!(r#" font-weight="600" fill="{}""#, svg::ink_on(&fill)),
                &cut(&format!("{name} ({})", node.total), chars_in(r.w - 10.0)),
            );
            let inner = Rect {
                x: r.x + 3.0,
                y: r.y + 19.0,
                w: r.w - 6.0,
                h: r.h - 22.0,
            };
            lay_out(out, project, &node.children, Some(node), inner);
        } else {
            leaf(out, r, &color, &name, node.total, "tile");
        }
    }
    out.end_group();
}

/// A filled tile with its name and count when they fit.
fn leaf(out: &mut Svg, r: Rect, color: &str, name: &str, value: u64, class: &str) {
    out.rect(
        r.x,
        r.y,
        r.w,
        r.h,
        color,
        &format!(r##" class="{class}" data-value="{value}" stroke="#ffffff" stroke-width="2""##),
    );
    let ink = svg::ink_on(color);
    let fits = chars_in(r.w - 10.0);
    if r.h >= 20.0 && fits >= 3 {
        out.text(
            r.x + 5.0,
            r.y + 15.0,
            &format!(r#" fill="{ink}""#),
            &cut(name, fits),
        );
        if r.h >= 36.0 {
            out.text(
                r.x + 5.0,
                r.y + 30.0,
                &format!(r#" font-size="11" fill="{ink}""#),
                &value.to_string(),
            );
        }
    }
}

/// Rectangles for `values` (sorted largest first) filling `area` in proportion, as close to
/// squares as the squarified algorithm gets them.
fn squarify(values: &[f64], area: Rect) -> Vec<Rect> {
    let total: f64 = values.iter().sum();
    if total <= 0.0 || area.w <= 0.0 || area.h <= 0.0 {
        return values
            .iter()
            .map(|_| Rect {
                w: 0.0,
                h: 0.0,
                ..area
            })
            .collect();
    }
    let scale = area.w * area.h / total;
    let areas: Vec<f64> = values.iter().map(|v| v * scale).collect();
    // The worst aspect ratio of a row of `row` areas along a side of `side`.
    let worst = |row: &[f64], side: f64| {
        let sum: f64 = row.iter().sum();
        let max = row.iter().copied().fold(0.0, f64::max);
        let min = row.iter().copied().fold(f64::INFINITY, f64::min);
        if sum <= 0.0 || min <= 0.0 {
            return f64::INFINITY;
        }
        let s2 = side * side;
        (s2 * max / (sum * sum)).max(sum * sum / (s2 * min))
    };
    let mut out = Vec::with_capacity(areas.len());
    let mut rest = area;
    let mut i = 0;
    while i < areas.len() {
        let side = rest.w.min(rest.h);
        let mut j = i + 1;
        while j < areas.len() && worst(&areas[i..=j], side) <= worst(&areas[i..j], side) {
            j += 1;
        }
        let row = &areas[i..j];
        let sum: f64 = row.iter().sum();
        if rest.w >= rest.h {
            // A column at the left.
            let w = if rest.h > 0.0 { sum / rest.h } else { 0.0 };
            let mut y = rest.y;
            for a in row {
                let h = if w > 0.0 { a / w } else { 0.0 };
                out.push(Rect { x: rest.x, y, w, h });
                y += h;
            }
            rest.x += w;
            rest.w -= w;
        } else {
            // A row at the top.
            let h = if rest.w > 0.0 { sum / rest.w } else { 0.0 };
            let mut x = rest.x;
            for a in row {
                let w = if h > 0.0 { a / h } else { 0.0 };
                out.push(Rect { x, y: rest.y, w, h });
                x += w;
            }
            rest.y += h;
            rest.h -= h;
        }
        i = j;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn squarified_tiles_fill_the_area_in_proportion() {
        let area = Rect {
            x: 0.0,
            y: 0.0,
            w: 600.0,
            h: 400.0,
        };
        let values = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0];
        let tiles = squarify(&values, area);
        assert_eq!(tiles.len(), values.len());
        let total: f64 = values.iter().sum();
        for (t, v) in tiles.iter().zip(values) {
            let expected = v / total * 600.0 * 400.0;
            assert!((t.w * t.h - expected).abs() < 1e-6, "{t:?} for {v}");
            assert!(t.x >= -1e-9 && t.y >= -1e-9);
            assert!(t.x + t.w <= 600.0 + 1e-6 && t.y + t.h <= 400.0 + 1e-6);
        }
        // The first (largest) tiles are not slivers.
        let first = tiles.first().unwrap();
        assert!(
            first.w.max(first.h) / first.w.min(first.h) < 3.0,
            "{first:?}"
        );
        assert!(squarify(&[0.0, 0.0], area).iter().all(|t| t.w == 0.0));
    }
}
