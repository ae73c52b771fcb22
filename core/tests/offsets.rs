//! Property tests for offsets and line endings: UTF-8 bytes <-> UTF-16 units <-> code points,
//! over text mixing ASCII, accents, CJK, emoji (with ZWJ sequences) and CRLF/CR line ends.

use framewise_core::text::{
    byte_to_char, byte_to_utf16, ceil_char_boundary, char_to_byte, context_after, context_before,
    floor_char_boundary, normalize_newlines, paragraphs, trim_span, utf16_to_byte,
    utf16_to_byte_lenient, Utf16Cursor,
};
use framewise_core::Span;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "a",
    "Z",
    " ",
    "\t",
    "é",
    "ñ",
    "e\u{301}",
    "漢",
    "字",
    "😀",
    "👩\u{200d}⚕\u{fe0f}",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "D: ",
];

fn mixed_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
}

fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

proptest! {
    #[test]
    fn utf16_round_trips_on_every_boundary(text in mixed_text()) {
        for b in boundaries(&text) {
            let units = byte_to_utf16(&text, b);
            prop_assert!(units.is_some(), "{b} in {text:?}");
            let units = units.unwrap_or_default();
            prop_assert_eq!(units, text[..b].encode_utf16().count());
            prop_assert_eq!(utf16_to_byte(&text, units), Some(b));
        }
        let total = text.encode_utf16().count();
        prop_assert_eq!(utf16_to_byte(&text, total + 1), None);
    }

    #[test]
    fn a_cursor_walking_forward_agrees_with_utf16_to_byte(text in mixed_text(), step in 1usize..5) {
        let total = text.encode_utf16().count();
        let mut cursor = Utf16Cursor::new(&text);
        let mut unit = 0;
        while unit <= total + 1 {
            let expected = utf16_to_byte(&text, unit);
            let got = cursor.byte_of(unit);
            prop_assert_eq!(got, expected, "unit {} of {:?}", unit, text);
            if got.is_none() {
                // A failed step leaves the cursor where it was; continue from a fresh one.
                cursor = Utf16Cursor::new(&text);
            }
            unit += step;
        }
    }

    #[test]
    fn lenient_carets_and_contexts_land_on_boundaries(text in mixed_text(), at in 0usize..80) {
        let b = utf16_to_byte_lenient(&text, at);
        prop_assert!(text.is_char_boundary(b));
        let exact = utf16_to_byte(&text, at);
        prop_assert!(exact.is_none() || exact == Some(b));
        let (lo, hi) = (floor_char_boundary(&text, at), ceil_char_boundary(&text, at));
        prop_assert!(text.is_char_boundary(lo) && text.is_char_boundary(hi) && lo <= hi);
        // Contexts never split a character and never grow past their window (+ "…").
        prop_assert!(context_before(&text, at, 5).chars().count() <= 6);
        prop_assert!(context_after(&text, at, 5).chars().count() <= 6);
    }

    #[test]
    fn code_points_round_trip_on_every_boundary(text in mixed_text()) {
        for (n, b) in boundaries(&text).into_iter().enumerate() {
            prop_assert_eq!(byte_to_char(&text, b), Some(n));
            prop_assert_eq!(char_to_byte(&text, n), Some(b));
        }
        prop_assert_eq!(char_to_byte(&text, text.chars().count() + 1), None);
    }

    #[test]
    fn non_boundaries_give_none(text in mixed_text()) {
        for b in 0..=text.len() + 2 {
            if !text.is_char_boundary(b) || b > text.len() {
                prop_assert_eq!(byte_to_utf16(&text, b), None, "byte {}", b);
                prop_assert_eq!(byte_to_char(&text, b), None, "byte {}", b);
            }
        }
        // The unit between the two halves of a surrogate pair is not a position.
        let mut units = 0;
        for c in text.chars() {
            if c.len_utf16() == 2 {
                prop_assert_eq!(utf16_to_byte(&text, units + 1), None);
            }
            units += c.len_utf16();
        }
    }

    #[test]
    fn normalize_newlines_leaves_only_lf(text in mixed_text()) {
        let normal = normalize_newlines(&text);
        prop_assert!(!normal.contains('\r'));
        prop_assert_eq!(normalize_newlines(&normal), normal.clone());
        // Everything but line ends is kept, in order.
        let other = |s: &str| s.chars().filter(|c| *c != '\r' && *c != '\n').collect::<String>();
        prop_assert_eq!(other(&normal), other(&text));
        // Each CRLF, lone CR and lone LF becomes exactly one LF.
        let line_ends = text.matches("\r\n").count()
            + text.matches('\r').count() - text.matches("\r\n").count()
            + text.matches('\n').count() - text.matches("\r\n").count();
        prop_assert_eq!(normal.matches('\n').count(), line_ends);
    }

    #[test]
    fn paragraphs_join_back_to_the_text(text in mixed_text()) {
        let text = normalize_newlines(&text);
        let spans = paragraphs(&text);
        prop_assert_eq!(spans.len(), text.matches('\n').count() + 1);
        let joined: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        prop_assert_eq!(joined.join("\n"), text.clone());
        for s in &spans {
            prop_assert!(!text[s.start..s.end].contains('\n'));
        }
    }

    #[test]
    fn trim_span_gives_valid_trimmed_spans(
        text in mixed_text(),
        a in 0usize..200,
        b in 0usize..200,
    ) {
        let span = Span::new(a.min(b), a.max(b));
        match trim_span(&text, span) {
            Some(t) => {
                prop_assert!(t.is_valid_for(&text), "{t:?} in {text:?}");
                let inner = &text[t.start..t.end];
                prop_assert_eq!(inner.trim(), inner);
                // It stays within the span widened to char boundaries.
                prop_assert!(t.start + 3 >= span.start.min(text.len()));
                prop_assert!(t.end <= span.end.min(text.len()) + 3);
            }
            None => {
                // Nothing but whitespace (or nothing) was selected.
                let lo = span.start.min(text.len());
                let hi = span.end.min(text.len());
                let widened: String = text
                    .char_indices()
                    .filter(|(i, c)| *i + c.len_utf8() > lo && *i < hi)
                    .map(|(_, c)| c)
                    .collect();
                prop_assert!(widened.trim().is_empty(), "{widened:?}");
            }
        }
    }
}

#[test]
fn known_offsets() {
    let text = "é😀漢\n";
    assert_eq!(byte_to_utf16(text, 2), Some(1));
    assert_eq!(byte_to_utf16(text, 6), Some(3));
    assert_eq!(byte_to_utf16(text, 9), Some(4));
    assert_eq!(utf16_to_byte(text, 2), None);
    assert_eq!(byte_to_char(text, 6), Some(2));
    assert_eq!(char_to_byte(text, 4), Some(10));
    assert_eq!(byte_to_utf16(text, 3), None);
    assert_eq!(normalize_newlines("a\r\nb\rc\n\r\n"), "a\nb\nc\n\n");
    assert_eq!(
        trim_span(" 😀 x ", Span::new(2, 7)),
        Some(Span::new(1, 7)),
        "a start inside the emoji moves back to its first byte"
    );
}

#[test]
fn contexts_cut_at_word_boundaries() {
    let text = "alpha beta gamma delta";
    assert_eq!(context_before(text, 16, 8), "…gamma");
    assert_eq!(context_before(text, 5, 50), "alpha");
    assert_eq!(context_after(text, 5, 8), " beta…");
    assert_eq!(context_after(text, 16, 50), " delta");
    // Multi-byte text never splits a character, even from an offset inside one.
    let greek = "αβγ δεζ ηθι κλμ";
    assert_eq!(context_before(greek, greek.len(), 5), "…κλμ");
    assert_eq!(context_after(greek, 0, 5), "αβγ…");
    assert_eq!(context_after(greek, 1, 5), "βγ…");
    assert_eq!(context_before(greek, 3, 5), "α");
}

#[test]
fn utf16_positions_of_carets_and_matches() {
    let text = "a😀é\nb";
    let mut cursor = Utf16Cursor::new(text);
    assert_eq!(cursor.byte_of(0), Some(0));
    assert_eq!(cursor.byte_of(1), Some(1));
    assert_eq!(cursor.byte_of(2), None, "inside the surrogate pair");
    assert_eq!(cursor.byte_of(3), Some(5));
    assert_eq!(cursor.byte_of(4), Some(7));
    assert_eq!(cursor.byte_of(6), Some(text.len()));
    assert_eq!(cursor.byte_of(2), None, "never backwards");
    // A caret inside the emoji's pair moves to its end; past the end is the end.
    assert_eq!(utf16_to_byte_lenient(text, 2), 5);
    assert_eq!(utf16_to_byte_lenient(text, 1), 1);
    assert_eq!(utf16_to_byte_lenient(text, 99), text.len());
    assert_eq!(
        (floor_char_boundary(text, 3), ceil_char_boundary(text, 3)),
        (1, 5)
    );
    assert_eq!(ceil_char_boundary(text, 99), text.len());
}
