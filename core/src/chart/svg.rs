//! The SVG writer the charts share: the document's head (size, `role="img"`, `<title>`,
//! `<desc>`), escaped text, cut labels, colours and number formatting.

use crate::project::{Code, Project};
use std::fmt::Write;

/// Width of every chart, in pixels.
pub(super) const WIDTH: f64 = 720.0;
/// Where the plot starts right of the code labels.
pub(super) const LABEL_WIDTH: f64 = 210.0;
/// The most characters of a code label drawn left of a bar (about 194 px at 12 px).
pub(super) const LABEL_CHARS: usize = 28;
/// The id of the SVG's `<title>` (one chart is shown at a time).
pub(super) const TITLE_ID: &str = "chart-title";
/// The id of the SVG's `<desc>`.
pub(super) const DESC_ID: &str = "chart-desc";
/// Light lines (grid, tracks).
pub(super) const GRID: &str = "#e3e3e3";
/// Muted text (axes).
pub(super) const MUTED: &str = "#555555";

/// `text` safe inside SVG/XML text and attribute values: `& < > " '` as references, control
/// characters (not allowed in XML 1.0) left out, line breaks as spaces.
pub(super) fn esc(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => None,
            c => Some(c),
        })
        .collect();
    crate::text::xml_escape(&cleaned)
}

/// `text` cut to at most `max` characters, the last one an ellipsis when cut.
pub(super) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// How many characters of 12 px text fit in `width` pixels (a generous average width).
pub(super) fn chars_in(width: f64) -> usize {
    if width <= 0.0 {
        0
    } else {
        (width / 7.0) as usize
    }
}

/// A coordinate or size: rounded to 0.1, without a trailing `.0`.
pub(super) fn num(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The code's colour when it is `#rrggbb`, else the palette's first colour.
pub(super) fn color_of(code: Option<&Code>) -> String {
    code.map(|c| c.color.to_ascii_lowercase())
        .filter(|c| crate::action::is_valid_color(c))
        .unwrap_or_else(|| crate::palette::color_for(0).to_string())
}

/// The red, green and blue of a `#rrggbb` colour (black when it is not one).
fn rgb(color: &str) -> (u8, u8, u8) {
    let part = |i: usize| {
        color
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    (part(1), part(3), part(5))
}

/// Text colour readable on `fill`: near-black on light colours, white on dark ones.
pub(super) fn ink_on(fill: &str) -> &'static str {
    let (r, g, b) = rgb(fill);
    let light = 299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b);
    if light > 150_000 {
        "#111111"
    } else {
        "#ffffff"
    }
}

/// `color` mixed with white (`amount` 0 keeps it, 1 is white).
pub(super) fn tint(color: &str, amount: f64) -> String {
    let (r, g, b) = rgb(color);
    let mix = |c: u8| {
        let c = f64::from(c);
        (c + (255.0 - c) * amount).round().clamp(0.0, 255.0) as u8
    };
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

/// Axis ticks from 0: a step of 1, 2 or 5 × 10ⁿ with at most five steps, and the last tick
/// (at least `max`, at least 1).
pub(super) fn ticks(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut scale = 1u64;
    loop {
        for step in [scale, scale * 2, scale * 5] {
            if max.div_ceil(step) <= 5 {
                return (step, max.div_ceil(step) * step);
            }
        }
        scale = scale.saturating_mul(10);
    }
}

/// A code's name as a bar label and its path for the tooltip and table.
pub(super) fn code_names(project: &Project, id: crate::CodeId) -> (String, String) {
    let name = project.code(id).map(|c| c.name.clone()).unwrap_or_default();
    (name, project.code_path(id))
}

/// An SVG document being written.
pub(super) struct Svg {
    pub(super) out: String,
}

impl Svg {
    /// The document's head: size, accessibility, white background and the visible title.
    pub(super) fn new(height: f64, title: &str, description: &str) -> Self {
        let mut out = String::new();
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{TITLE_ID} {DESC_ID}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="12"><title id="{TITLE_ID}">{t}</title><desc id="{DESC_ID}">{d}</desc><rect width="{w}" height="{h}" fill="#ffffff"/><text x="16" y="24" font-size="15" font-weight="600" fill="#111111">{shown}</text>"##,
            w = num(WIDTH),
            h = num(height),
            t = esc(title),
            d = esc(description),
            shown = esc(&cut(title, 90)),
        );
        Self { out }
    }

    /// A text; `attrs` are extra attributes written as given (never user data).
    pub(super) fn text(&mut self, x: f64, y: f64, attrs: &str, text: &str) {
        let _ = write!(
            self.out,
            r#"<text x="{}" y="{}"{attrs}>{}</text>"#,
            num(x),
            num(y),
            esc(text)
        );
    }

    /// A rectangle; `attrs` are extra attributes written as given (never user data).
    pub(super) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, attrs: &str) {
        let _ = write!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{attrs}/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            esc(fill)
        );
    }

    /// Gives the rectangle just written a tooltip (`<rect …><title>…</title></rect>`).
    pub(super) fn tip(&mut self, tip: &str) {
        if self.out.ends_with("/>") {
            self.out.truncate(self.out.len() - 2);
            self.out.push_str("><title>");
            self.out.push_str(&esc(tip));
            self.out.push_str("</title></rect>");
        }
    }

    /// A line.
    pub(super) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str) {
        let _ = write!(
            self.out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}"/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// Opens a group whose tooltip is `tooltip`.
    pub(super) fn group(&mut self, tooltip: &str) {
        let _ = write!(self.out, "<g><title>{}</title>", esc(tooltip));
    }

    /// Closes a group.
    pub(super) fn end_group(&mut self) {
        self.out.push_str("</g>");
    }

    /// The finished document.
    pub(super) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// A horizontal axis under a plot from `x0` to `x1` ending at `y` (grid lines up to `top`):
/// tick labels from `labels(i)` for ticks `0..=n`, and the axis caption.
pub(super) fn x_axis(
    svg: &mut Svg,
    (x0, x1): (f64, f64),
    (top, y): (f64, f64),
    n: u64,
    label: impl Fn(u64) -> String,
    caption: &str,
) {
    for i in 0..=n {
        let x = x0 + (x1 - x0) * i as f64 / n.max(1) as f64;
        svg.line(x, top, x, y, GRID);
        svg.text(
            x,
            y + 16.0,
            &format!(r#" text-anchor="middle" fill="{MUTED}""#),
            &label(i),
        );
    }
    svg.line(x0, y, x1, y, MUTED);
    svg.text(
        (x0 + x1) / 2.0,
        y + 34.0,
        &format!(r#" text-anchor="middle" fill="{MUTED}""#),
        caption,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\"\u{1}\n"),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;y&quot; "
        );
    }

    #[test]
    fn cut_names_end_with_an_ellipsis() {
        assert_eq!(cut("Funding", 10), "Funding");
        assert_eq!(cut("Workforce and recruitment", 10), "Workforce…");
        assert_eq!(cut("ééééé", 3), "éé…");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0), (1, 1));
        assert_eq!(ticks(4), (1, 4));
        assert_eq!(ticks(7), (2, 8));
        assert_eq!(ticks(23), (5, 25));
        assert_eq!(ticks(101), (50, 150));
    }

    #[test]
    fn colours() {
        assert_eq!(ink_on("#f0e442"), "#111111");
        assert_eq!(ink_on("#0072b2"), "#ffffff");
        assert_eq!(tint("#000000", 0.5), "#808080");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(2.25), "2.3");
    }
}
