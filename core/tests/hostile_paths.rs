//! Issue 12, "hostile content is inert": text carrying HTML, script, `javascript:` URLs or CSS —
//! brought in by every import path (.html, .docx, .qdpx, .qdc, the codebook CSV, the case-table
//! CSV, the project file) — arrives as the same text, and every HTML or SVG Framewise writes from
//! it (the report in each kind and grouping, the matrix print view, each chart's SVG and table)
//! shows it as text.
//!
//! The check is differential: the same project is written once with a payload and once with a
//! harmless word in the same places; both are read back with html5ever's tokenizer (the WHATWG
//! algorithm a browser uses) and must have the same elements and attribute names in the same
//! order, no `on…` attribute, no link or source other than a `#fragment`, and the payload must
//! be in the text the reader sees. A payload that escaped its text would add an element or an
//! attribute, or leave the text. (`hostile.rs` checks the matrix print view and the REFI
//! exports on a hand-made project; `report.rs` and `chart.rs` their own escaping.)
#![allow(clippy::unwrap_used)]

use framewise_core::cases::parse_case_table_csv;
use framewise_core::chart::{chart, ChartKind, ChartSpec};
use framewise_core::codebook_csv::parse_codebook_csv;
use framewise_core::import::import_file;
use framewise_core::matrix::export_html;
use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
use framewise_core::refi::{export_qdc, export_qdpx, read_refi_file};
use framewise_core::report::{build, to_html, Grouping, ReportKind, ReportOptions};
use framewise_core::*;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;
use std::io::Write;
use std::sync::Arc;

const NOW: i64 = 1_700_000_000_000;

/// What hostile text looks like: markup that runs script, breaks out of an attribute, a text
/// or a `<style>`/`<title>`, `javascript:` URLs, CSS that fetches, entities already escaped
/// (must not be unescaped on the way), a CDATA end and a comment opener.
const PAYLOADS: &[&str] = &[
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=2\">",
    "\"><svg onload=\"window.__pwned=3\">",
    "' onmouseover='window.__pwned=4' x='",
    "javascript:window.__pwned=5",
    "<a href=\"javascript:window.__pwned=6\">link</a>",
    "</title><script>window.__pwned=7</script>",
    "</style><style>*{background:url(http://evil.example/8)}</style>",
    "<style>@import url(//evil.example/9.css);</style>",
    "red;background:url(http://evil.example/10)",
    "<iframe src=\"//evil.example/11\"></iframe>",
    "&lt;script&gt;window.__pwned=12&lt;/script&gt;",
    "]]><!-- <![CDATA[ x",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=14>",
];

/// Every payload in one text, for the import paths (each payload alone goes through the project
/// file, whose places are a superset of theirs).
fn all_payloads() -> String {
    PAYLOADS.join(" ")
}

/// A harmless stand-in of the same length in characters (labels cut to fit stay alike).
fn harmless(payload: &str) -> String {
    "x".repeat(payload.chars().count())
}

/// One element or attribute of a tokenized document, and the text it holds.
#[derive(Default)]
struct Seen {
    /// `<tag attr attr>` and `</tag>` in order (attribute names only).
    shape: Vec<String>,
    /// Every problem found: an `on…` attribute, a link that leaves the page.
    problems: Vec<String>,
    /// The text a reader sees (character references decoded), plus attribute values.
    text: String,
}

struct Sink(RefCell<Seen>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Ok(mut seen) = self.0.try_borrow_mut() else {
            return TokenSinkResult::Continue;
        };
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                let end = tag.kind == TagKind::EndTag;
                let mut shape = format!("<{}{name}", if end { "/" } else { "" });
                for attr in &tag.attrs {
                    let attr_name = attr.name.local.to_string();
                    let value = attr.value.to_string();
                    shape.push(' ');
                    shape.push_str(&attr_name);
                    if attr_name.starts_with("on") {
                        seen.problems.push(format!("an event handler: {shape}"));
                    }
                    if matches!(attr_name.as_str(), "href" | "src" | "xlink:href" | "action")
                        && !value.starts_with('#')
                    {
                        seen.problems
                            .push(format!("a link that leaves the page: {attr_name}={value}"));
                    }
                    if attr_name == "style" && value.contains("url(") {
                        seen.problems.push(format!("a style that fetches: {value}"));
                    }
                    seen.text.push_str(&value);
                    seen.text.push('\n');
                }
                shape.push('>');
                seen.shape.push(shape);
                if !end {
                    // As a browser's tree builder would tell its tokenizer.
                    let raw = match name.as_str() {
                        "title" | "textarea" => Some(RawKind::Rcdata),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            Some(RawKind::Rawtext)
                        }
                        "script" => Some(RawKind::ScriptData),
                        _ => None,
                    };
                    if let Some(raw) = raw {
                        return TokenSinkResult::RawData(raw);
                    }
                }
            }
            Token::CharacterTokens(text) => seen.text.push_str(&text),
            Token::CommentToken(c) => seen.shape.push(format!("<!--{c}-->")),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokenize(html: &str) -> Seen {
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(Seen::default())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let Tokenizer { sink, .. } = tokenizer;
    sink.0.into_inner()
}

/// `hostile` (written from the payload's project) has the markup of `benign` (the same project
/// with a harmless word instead), nothing active, and the payload in its text.
fn assert_inert(what: &str, payload: &str, hostile: &str, benign: &str) {
    let h = tokenize(hostile);
    let b = tokenize(benign);
    assert!(h.problems.is_empty(), "{what}: {:?}\n{hostile}", h.problems);
    if h.shape != b.shape {
        let at = h
            .shape
            .iter()
            .zip(&b.shape)
            .position(|(x, y)| x != y)
            .unwrap_or(h.shape.len().min(b.shape.len()));
        panic!(
            "{what}: the payload {payload:?} changed the markup at element {at}: {:?} instead of {:?}\n{hostile}",
            h.shape.get(at),
            b.shape.get(at)
        );
    }
    for active in [
        "<script",
        "<img",
        "<iframe",
        "<svg onload",
        "<a href=\"javascript",
    ] {
        let opened = h.shape.iter().any(|s| s.starts_with(active));
        assert!(
            !opened || b.shape.iter().any(|s| s.starts_with(active)),
            "{what}: {active}"
        );
    }
}

/// Puts `payload` into every place of `project` where text of the researcher's lives: the
/// project's name and memo, sources' names, memos and file names, speakers, codes' names,
/// descriptions and memos, cases' names and memos, attributes' names, categories and text
/// values, matrices' names, cell and case summaries, sets' names and descriptions, and a coded
/// passage of source text.
fn inject(project: &Project, payload: &str) -> Project {
    let mut p = project.clone();
    p.name = format!("{payload} project");
    p.memo = format!("Memo {payload}");
    let mut sources: Vec<Source> = p.sources.iter().map(|s| Source::clone(s)).collect();
    for (i, s) in sources.iter_mut().enumerate() {
        s.name = format!("{payload} source {i}");
        s.memo = format!("memo {payload}");
        s.file_name = Some(format!("{payload}.txt"));
        for turn in &mut s.turns {
            if let Some(speaker) = &mut turn.speaker {
                *speaker = format!("{payload} {speaker}");
            }
        }
        for case in &mut p.cases {
            for link in &mut case.speakers {
                if link.source == s.id {
                    link.speaker = format!("{payload} {}", link.speaker);
                }
            }
        }
    }
    for m in &mut p.matrices {
        let m = Arc::make_mut(m);
        m.exclude_speakers = m
            .exclude_speakers
            .iter()
            .map(|s| format!("{payload} {s}"))
            .collect();
    }
    // A passage of source text that is the payload, coded with the first code.
    if let (Some(first), Some(code)) = (sources.first_mut(), p.codes.first()) {
        let start = first.text.len() + 1;
        first.text = Arc::from(format!("{}\n{payload}", first.text).as_str());
        let coding = Coding {
            id: CodingId::parse("00000000-0000-4000-8000-000000000bad").unwrap(),
            source: first.id,
            span: Span::new(start, first.text.len()),
            code: code.id,
            coder: format!("{payload} coder"),
            created: NOW,
        };
        Arc::make_mut(p.codings.entry(first.id).or_default()).push(coding);
    }
    p.sources = sources.into_iter().map(Arc::new).collect();
    for c in &mut p.codes {
        c.name = format!("{payload} {}", c.name);
        c.description = format!("{payload} description");
        c.memo = format!("{payload} memo");
    }
    for c in &mut p.cases {
        c.name = format!("{payload} {}", c.name);
        c.memo = format!("{payload} case memo");
        for value in c.values.values_mut() {
            match value {
                AttrValue::Text(t) | AttrValue::Category(t) => *t = format!("{payload} {t}"),
                _ => {}
            }
        }
    }
    for a in &mut p.attributes {
        a.name = format!("{payload} {}", a.name);
        if let AttributeKind::Category(list) = &mut a.kind {
            for c in list {
                *c = format!("{payload} {c}");
            }
        }
    }
    for m in &mut p.matrices {
        let m = Arc::make_mut(m);
        m.name = format!("{payload} {}", m.name);
        for row in m.cells.values_mut() {
            for summary in row.values_mut() {
                *summary = format!("{summary} {payload}");
            }
        }
        for summary in m.case_summaries.values_mut() {
            *summary = format!("{summary} {payload}");
        }
    }
    for s in &mut p.sets {
        s.name = format!("{payload} {}", s.name);
        s.description = format!("{payload} set");
    }
    p
}

/// Every HTML and SVG text Framewise writes from `project`, each with a label (reports grouped
/// by code only unless `every_grouping`: a debug build takes a while over each).
fn written(project: &Project, every_grouping: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut groupings = vec![Grouping::Code];
    if every_grouping {
        groupings.extend([Grouping::Theme, Grouping::Case]);
        groupings.extend(
            project
                .attributes
                .first()
                .map(|a| Grouping::Attribute(a.id)),
        );
    }
    for kind in ReportKind::ALL {
        for grouping in &groupings {
            let options = ReportOptions {
                kind,
                grouping: *grouping,
                include_memos: true,
                include_definitions: true,
                include_origin: true,
                ..ReportOptions::default()
            };
            let report = build(project, &options);
            out.push((format!("report {kind:?} by {grouping:?}"), to_html(&report)));
        }
    }
    for m in &project.matrices {
        out.push((
            format!("matrix print view {}", m.id),
            export_html(project, m),
        ));
    }
    let mut specs = vec![
        ChartSpec::default(),
        ChartSpec {
            kind: ChartKind::Hierarchy,
            ..ChartSpec::default()
        },
    ];
    if let Some(a) = project.attributes.first() {
        for stacked in [false, true] {
            specs.push(ChartSpec {
                kind: ChartKind::ByAttribute,
                attribute: Some(a.id),
                stacked,
                ..ChartSpec::default()
            });
        }
    }
    if let Some(s) = project.sources.first() {
        specs.push(ChartSpec {
            kind: ChartKind::Portrait,
            source: Some(s.id),
            ..ChartSpec::default()
        });
    }
    for spec in specs {
        if let Ok(c) = chart(project, &spec) {
            out.push((format!("chart {:?} svg", spec.kind), c.svg));
            out.push((format!("chart {:?} table", spec.kind), c.table));
        }
    }
    out
}

/// Writes every output of the project as it arrived with the payload and with the harmless
/// word, and checks each pair; the reports must show the payload as text.
fn check_outputs(path: &str, payload: &str, hostile: &Project, benign: &Project) {
    check_written(path, payload, hostile, benign, true);
}

fn check_written(path: &str, payload: &str, hostile: &Project, benign: &Project, every: bool) {
    let h = written(hostile, every);
    let b = written(benign, every);
    assert_eq!(h.len(), b.len(), "{path}");
    assert!(!h.is_empty(), "{path}: something was written");
    let mut shown = 0;
    for ((what, hostile_text), (_, benign_text)) in h.iter().zip(&b) {
        let what = format!("{path} → {what}");
        assert_inert(&what, payload, hostile_text, benign_text);
        if what.contains("report") && tokenize(hostile_text).text.contains(payload) {
            shown += 1;
        }
    }
    assert!(
        shown > 0,
        "{path}: the payload {payload:?} shows as text in a report"
    );
}

fn demo() -> Project {
    demo::demo_project(&mut SeqIds::new(1), NOW)
}

#[test]
fn the_project_file_keeps_hostile_text_as_text_in_every_output() {
    let demo = demo();
    let all = all_payloads();
    for (i, payload) in PAYLOADS.iter().copied().chain([all.as_str()]).enumerate() {
        let [hostile, benign] = [payload.to_string(), harmless(payload)].map(|p| {
            let file = to_project_file(&inject(&demo, &p), &ProjectMeta::new(NOW));
            from_project_file(&file).unwrap().project
        });
        assert_eq!(
            hostile.name,
            format!("{payload} project"),
            "loaded as it was written"
        );
        // Each payload alone in the reports by code; all of them in every grouping.
        check_written(
            "project file",
            payload,
            &hostile,
            &benign,
            i == PAYLOADS.len(),
        );
    }
}

#[test]
fn a_qdpx_and_a_qdc_keep_hostile_text_as_text_in_every_output() {
    let demo = demo();
    {
        let payload = &all_payloads();
        let payload = payload.as_str();
        let [hostile, benign] = [payload.to_string(), harmless(payload)].map(|p| {
            let bytes = export_qdpx(&inject(&demo, &p)).unwrap();
            read_refi_file("hostile.qdpx", &bytes, &mut SeqIds::new(50_000), NOW)
                .unwrap()
                .project
        });
        assert_eq!(hostile.name, format!("{payload} project"));
        let code = hostile.codes.first().unwrap();
        assert!(code.name.starts_with(payload), "{}", code.name);
        assert_eq!(code.memo, format!("{payload} memo"));
        assert!(hostile.cases.iter().all(|c| c.name.starts_with(payload)));
        check_outputs(".qdpx", payload, &hostile, &benign);

        let [hostile, benign] = [payload.to_string(), harmless(payload)].map(|p| {
            let xml = export_qdc(&inject(&demo, &p));
            read_refi_file("hostile.qdc", xml.as_bytes(), &mut SeqIds::new(50_000), NOW)
                .unwrap()
                .project
        });
        assert!(hostile.codes.iter().all(|c| c.name.starts_with(payload)));
        check_outputs(".qdc", payload, &hostile, &benign);
    }
}

/// CSV field: quoted, quotes doubled.
fn field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[test]
fn the_codebook_and_case_table_csvs_keep_hostile_text_as_text_in_every_output() {
    let demo = demo();
    let site = demo.cases.iter().find(|c| c.parent.is_none()).unwrap();
    {
        let payload = &all_payloads();
        let payload = payload.as_str();
        let [hostile, benign] = [payload.to_string(), harmless(payload)].map(|p| {
            let codebook = format!(
                "name,description,parent\n{},{},\n{},{},{}\n",
                field(&format!("{p} theme")),
                field(&format!("{p} definition")),
                field(&format!("{p} child")),
                field(&format!("{p} child definition")),
                field(&format!("{p} theme")),
            );
            let read = parse_codebook_csv(&codebook, &demo, &mut SeqIds::new(60_000), NOW).unwrap();
            assert!(read.problems.is_empty(), "{:?}", read.problems);
            let project = apply(&demo, Action::ImportCodes { codes: read.codes }).unwrap();
            let cases = format!(
                "case,parent,{}\n{},{},{}\n",
                field(&format!("{p} remark")),
                field(&format!("{p} case")),
                field(&site.name),
                field(&format!("{p} value")),
            );
            let read =
                parse_case_table_csv(&cases, &project, &mut SeqIds::new(70_000), NOW).unwrap();
            assert!(read.problems.is_empty(), "{:?}", read.problems);
            let mut project = apply(&project, read.action()).unwrap();
            // The new attribute first, so the reports group by it and the chart compares its
            // values.
            project.attributes.rotate_right(1);
            project
        });
        let theme = hostile
            .codes
            .iter()
            .find(|c| c.name == format!("{payload} theme"));
        assert_eq!(theme.unwrap().description, format!("{payload} definition"));
        let case = hostile
            .cases
            .iter()
            .find(|c| c.name == format!("{payload} case"));
        let remark = hostile.attributes.first().unwrap();
        assert_eq!(remark.name, format!("{payload} remark"));
        assert_eq!(
            case.unwrap().values.get(&remark.id),
            Some(&AttrValue::Text(format!("{payload} value")))
        );
        check_outputs("CSV", payload, &hostile, &benign);
    }
}

/// A .docx whose one paragraph is `text` (escaped as Word writes it).
fn docx(text: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:body></w:document>",
        text::xml_escape(text)
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// An .html file that shows `text` (escaped), after markup that must not become text.
fn html(text: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><title>t</title><style>p{{color:red}}</style>\
         <script>window.__pwned=99</script></head><body>\
         <p onclick=\"window.__pwned=98\"><a href=\"javascript:window.__pwned=97\">Link</a></p>\
         <p>{}</p><script>document.write('x')</script></body></html>",
        text::xml_escape(text)
    )
    .into_bytes()
}

#[test]
fn html_and_docx_sources_keep_hostile_text_as_text_in_every_output() {
    let demo = demo();
    for (ext, make) in [("html", html as fn(&str) -> Vec<u8>), ("docx", docx)] {
        {
            let payload = &all_payloads();
            let payload = payload.as_str();
            let [hostile, benign] = [payload.to_string(), harmless(payload)].map(|p| {
                let text = format!("Ann: {p} and more words here.\nBob: fine.");
                let file = format!("{p}.{ext}");
                let imported = import_file(&file, &make(&text)).unwrap();
                let mut ids = SeqIds::new(80_000);
                let source =
                    import::to_source(&imported, ids.source_id(), SourceKind::Interview, NOW);
                let code = demo.codes.first().unwrap().id;
                let start = source.text.find(p.as_str()).unwrap();
                let coding = Coding {
                    id: ids.coding_id(),
                    source: source.id,
                    span: Span::new(start, start + p.len()),
                    code,
                    coder: "A".into(),
                    created: NOW,
                };
                let p = apply(
                    &demo,
                    Action::AddSources {
                        sources: vec![source],
                    },
                )
                .unwrap();
                apply(
                    &p,
                    Action::AddCodings {
                        codings: vec![coding],
                    },
                )
                .unwrap()
            });
            let source = hostile.sources.last().unwrap();
            assert!(source.text.contains(payload), "{ext}: {:?}", source.text);
            if ext == "html" {
                // The file's own script, style and handlers are not text; its link's words are.
                for markup in [
                    "__pwned=99",
                    "__pwned=98",
                    "__pwned=97",
                    "document.write",
                    "color:red",
                ] {
                    assert!(
                        !source.text.contains(markup),
                        "{markup} in {:?}",
                        source.text
                    );
                }
                assert!(source.text.contains("Link"), "{:?}", source.text);
            }
            check_outputs(ext, payload, &hostile, &benign);
        }
    }
}
