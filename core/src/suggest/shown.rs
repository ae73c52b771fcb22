//! Suggestions written out for the page ([`SuggestShown`]): the worker answers the app with a
//! sentence and the list as markup, so the app's main wasm decodes two strings instead of the
//! domain types (every text escaped here; the buttons carry what the page needs in `data-`
//! attributes: a passage's source and bytes, a code's id).

use super::{score_label, CodeSuggestion, SuggestShown, Suggestion};
use crate::project::Project;
use crate::text::xml_escape;
use crate::words;

/// "Find more like this": the passages suggested for a code, best first, each with its source,
/// score and weighty words, its text with those words in `<mark>`, and its "Accept" and
/// "Reject" buttons (`data-s`: the source id, `data-a`/`data-b`: the passage's bytes,
/// `data-ok`: 1 for Accept).
pub fn passages(project: &Project, list: &[Suggestion]) -> SuggestShown {
    if list.is_empty() {
        return SuggestShown {
            status: "Nothing more like this: code a few passages with this code first, or every \
                     passage like them is already coded or rejected."
                .into(),
            markup: String::new(),
        };
    }
    let mut out = String::from("<ol class=\"segments\" aria-label=\"Suggestions\">");
    for s in list {
        let source = project.source(s.source).map_or("", |x| x.name.as_str());
        out.push_str(&format!(
            "<li class=\"segment\"><span class=\"segment-meta\"><span class=\"segment-source\">{}</span><span>{} · {}</span></span><p class=\"segment-text\">",
            xml_escape(source),
            score_label(s.score),
            xml_escape(&s.words.join(", "))
        ));
        // The text with the highlighted words marked (highlights are source bytes, in order).
        let mut at = s.span.start;
        let piece = |a: usize, b: usize| {
            s.text
                .get(a.saturating_sub(s.span.start)..b.saturating_sub(s.span.start))
                .map(xml_escape)
        };
        for h in &s.highlights {
            if h.start < at || h.end > s.span.end {
                continue;
            }
            if let (Some(before), Some(word)) = (piece(at, h.start), piece(h.start, h.end)) {
                out.push_str(&before);
                out.push_str(&format!("<mark>{word}</mark>"));
                at = h.end;
            }
        }
        out.push_str(&piece(at, s.span.end).unwrap_or_default());
        let data = format!(
            "data-s=\"{}\" data-a=\"{}\" data-b=\"{}\"",
            s.source, s.span.start, s.span.end
        );
        out.push_str(&format!(
            "</p><span class=\"suggest-actions\"><button type=\"button\" {data} data-ok=\"1\">Accept</button><button type=\"button\" {data} data-ok=\"0\">Reject</button></span></li>"
        ));
    }
    out.push_str("</ol>");
    SuggestShown {
        status: format!(
            "{} like the coded ones, most alike first.",
            words::count(list.len(), "passage", "passages")
        ),
        markup: out,
    }
}

/// "Suggest codes": the codes suggested for a passage, best first, each a button (`data-code`:
/// the code's id) numbered 1, 2, 3… with its path, score and the words behind it.
pub fn codes(project: &Project, list: &[CodeSuggestion]) -> SuggestShown {
    if list.is_empty() {
        return SuggestShown {
            status: "No code fits this passage yet: a code is suggested once its coded passages \
                     share words with it."
                .into(),
            markup: String::new(),
        };
    }
    let mut out = String::from("<ol class=\"suggest-codes\" aria-label=\"Suggested codes\">");
    for (i, c) in list.iter().enumerate() {
        out.push_str(&format!(
            "<li><button type=\"button\" data-code=\"{}\" aria-keyshortcuts=\"{n}\"><kbd>{n}</kbd> <b>{}</b> {} · {}</button></li>",
            c.code,
            xml_escape(&project.code_path(c.code)),
            score_label(c.score),
            xml_escape(&c.words.join(", ")),
            n = i + 1,
        ));
    }
    out.push_str("</ol>");
    SuggestShown {
        status: format!(
            "{} like this passage, most alike first.",
            words::count(list.len(), "code", "codes")
        ),
        markup: out,
    }
}
