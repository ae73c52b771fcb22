//! Issue 12 ("hostile content is inert"): names, summaries and memos carrying HTML, script,
//! `javascript:` URLs or CSS, as an imported .html/.docx/.qdpx/.csv could bring, come out of the
//! exporters that write markup (the printable HTML matrix, REFI-QDA XML) as text, never as
//! markup; a REFI colour that is not `#rrggbb` is not taken into a style attribute.
#![allow(clippy::unwrap_used)]

mod common;

use common::{case, code, source, NOW};
use framewise_core::matrix::{export_html, Matrix};
use framewise_core::*;

/// Payloads that would act if written into HTML unescaped.
const PAYLOADS: [&str; 6] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "<a href=\"javascript:alert(3)\">x</a>",
    "</style><style>*{background:url(http://evil.example/x)}</style>",
    "<iframe src=//evil.example>",
    "<svg onload=alert(4)>",
];

/// Markup that must never appear in what is written (only its escaped form may).
const ACTIVE: [&str; 6] = [
    "<script",
    "<img",
    "<a href",
    "<iframe",
    "<svg",
    "</style><style>",
];

fn hostile_project() -> (Project, Matrix) {
    let mut ids = SeqIds::new(66);
    let mut p = Project::new(ids.project_id(), PAYLOADS[0], NOW);
    let s = source(&mut ids, PAYLOADS[1], &format!("Text {} end.", PAYLOADS[2]));
    let sid = s.id;
    p = apply(&p, Action::AddSources { sources: vec![s] }).unwrap();
    let c = code(&mut ids, PAYLOADS[3], None);
    let cid = c.id;
    p = apply(&p, Action::CreateCode { code: c }).unwrap();
    let k = case(&mut ids, PAYLOADS[4], None, vec![sid]);
    let kid = k.id;
    p = apply(&p, Action::AddCases { cases: vec![k] }).unwrap();
    let m = Matrix::new(ids.matrix_id(), PAYLOADS[5], vec![cid], NOW);
    let mid = m.id;
    p = apply(&p, Action::CreateMatrix { matrix: m }).unwrap();
    p = apply(
        &p,
        Action::SetCellSummaries {
            matrix: mid,
            summaries: vec![(kid, cid, PAYLOADS.join(" "))],
        },
    )
    .unwrap();
    let m = Matrix::clone(p.matrix(mid).unwrap());
    (p, m)
}

#[test]
fn the_printable_matrix_writes_every_payload_as_text() {
    let (p, m) = hostile_project();
    let html = export_html(&p, &m);
    for active in ACTIVE {
        assert!(
            !html.contains(active),
            "{active} written as markup:\n{html}"
        );
    }
    // The words are there, escaped.
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("onerror=alert(2)"),
        "the text is kept: {html}"
    );
}

#[test]
fn refi_exports_write_every_payload_as_text() {
    let (p, _) = hostile_project();
    let qdc = refi::export_qdc(&p);
    for active in ACTIVE {
        assert!(!qdc.contains(active), "{active} in the .qdc:\n{qdc}");
    }
    // And they read back as the same words.
    let back = refi::read_refi_file("x.qdc", qdc.as_bytes(), &mut SeqIds::new(1), NOW).unwrap();
    assert_eq!(back.project.codes[0].name, PAYLOADS[3]);
}

#[test]
fn a_refi_colour_that_is_not_hex_is_replaced() {
    let xml = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="0b7c1d4e-52a1-4c3f-9a55-1c2d3e4f5a6b" name="A" isCodable="true" color="#;x:u()"/>
    <Code guid="1b7c1d4e-52a1-4c3f-9a55-1c2d3e4f5a6b" name="B" isCodable="true" color="#A1B2C3"/>
  </Codes>
</CodeBook>"##;
    let read = refi::read_refi_file("x.qdc", xml.as_bytes(), &mut SeqIds::new(1), NOW).unwrap();
    let colors: Vec<&str> = read
        .project
        .codes
        .iter()
        .map(|c| c.color.as_str())
        .collect();
    assert!(is_valid_color(colors[0]), "{colors:?}");
    assert_eq!(colors[1], "#a1b2c3");
}

#[test]
fn the_printable_matrix_has_a_csp_and_writes_only_hex_colours() {
    let (mut p, m) = hostile_project();
    // A colour that would fetch, set directly (apply and the loaders refuse it).
    p.codes[0].color = "red;background:url(http://evil.example/c)".into();
    let html = export_html(&p, &m);
    assert!(
        html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        ),
        "{html}"
    );
    assert!(!html.contains("evil.example/c"), "{html}");
    assert!(html.contains("border-top-color: currentColor"), "{html}");
    p.codes[0].color = "#a1b2c3".into();
    assert!(export_html(&p, &m).contains("border-top-color: #a1b2c3"));
}
