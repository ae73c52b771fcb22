//! Reports (issue 10): which codings a report quotes (codes, sources, cases, speakers), how they
//! are grouped, attributions from case attributes (`({case}, {Role}, {Site})` → `(P12, ARRS
//! staff, Site 3)`), quotes cut at whole words, the codebook, theme and memo reports, and the
//! Markdown, HTML, CSV and XLSX writers (snapshots of a small hand-made project); names and
//! memos carrying HTML or script stay text.
#![allow(clippy::unwrap_used)]

mod common;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::{case, NOW};
use expect_test::{expect, Expect};
use framewise_core::matrix::{quote_token, Matrix};
use framewise_core::report::{
    build, preview, to_csv, to_html, to_markdown, to_xlsx, Grouping, ReportKind, ReportOptions,
};
use framewise_core::*;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Arc;
use std::time::Instant;

const FOCUS: &str = "Moderator: How is access?\n\
P12: We wait weeks for a slot. Honestly it is worse than last year.\n\
P13: The phone line opens at eight and is full by ten past.\n";
const INTERVIEW: &str = "I never see the same GP twice, and that matters to me.";

struct Fixture {
    project: Project,
    access: CodeId,
    waiting: CodeId,
    phone: CodeId,
    continuity: CodeId,
    focus: SourceId,
    interview: SourceId,
    site3: CaseId,
    p12: CaseId,
    role: AttributeId,
}

fn turn(text: &str, speaker: &str) -> Turn {
    let label = format!("{speaker}: ");
    let start = text.find(&label).unwrap() + label.len();
    let end = start + text[start..].find('\n').unwrap();
    Turn {
        speaker: Some(speaker.into()),
        span: Span::new(start, end),
        start_ms: None,
        end_ms: None,
    }
}

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap();
    Span::new(start, start + needle.len())
}

fn fixture() -> Fixture {
    let mut ids = SeqIds::new(500);
    let mut p = Project::new(ids.project_id(), "Access study", NOW);
    p.memo = "Pilot write-up.\nSecond line of the project memo.".into();
    let focus = Source {
        id: ids.source_id(),
        name: "Focus group A".into(),
        kind: SourceKind::Interview,
        text: Arc::from(FOCUS),
        memo: String::new(),
        imported: NOW,
        file_name: None,
        turns: vec![
            turn(FOCUS, "Moderator"),
            turn(FOCUS, "P12"),
            turn(FOCUS, "P13"),
        ],
    };
    let interview = Source {
        id: ids.source_id(),
        name: "Interview P14".into(),
        kind: SourceKind::Interview,
        text: Arc::from(INTERVIEW),
        memo: "Recorded by phone.".into(),
        imported: NOW,
        file_name: None,
        turns: Vec::new(),
    };
    let (fid, iid) = (focus.id, interview.id);
    p = apply(
        &p,
        Action::AddSources {
            sources: vec![focus, interview],
        },
    )
    .unwrap();
    let mut code =
        |name: &str, parent: Option<CodeId>, origin, description: &str, memo: &str| Code {
            id: ids.code_id(),
            name: name.into(),
            parent,
            color: "#0072b2".into(),
            description: description.into(),
            origin,
            memo: memo.into(),
            created: NOW,
        };
    let access = code(
        "Access",
        None,
        CodeOrigin::Deductive,
        "Getting an appointment.",
        "Central to RQ1.",
    );
    let waiting = code(
        "Waiting",
        Some(access.id),
        CodeOrigin::Inductive,
        "Time to a slot.",
        "",
    );
    let phone = code("Phone", Some(access.id), CodeOrigin::Inductive, "", "");
    let continuity = code(
        "Continuity",
        None,
        CodeOrigin::Deductive,
        "Seeing the same clinician.",
        "",
    );
    let (a, w, ph, c) = (access.id, waiting.id, phone.id, continuity.id);
    p = apply(
        &p,
        Action::ImportCodes {
            codes: vec![access, waiting, phone, continuity],
        },
    )
    .unwrap();
    let mut coding = |source, text: &str, needle: &str, code| Coding {
        id: ids.coding_id(),
        source,
        span: span_of(text, needle),
        code,
        coder: "ana".into(),
        created: NOW,
    };
    let codings = vec![
        coding(fid, FOCUS, "How is access?", a),
        coding(fid, FOCUS, "We wait weeks for a slot.", w),
        coding(fid, FOCUS, "Honestly it is worse than last year.", a),
        coding(
            fid,
            FOCUS,
            "The phone line opens at eight and is full by ten past.",
            ph,
        ),
        coding(iid, INTERVIEW, "I never see the same GP twice", c),
    ];
    let (wait_coding, phone_coding) = (codings[1].id, codings[3].id);
    p = apply(&p, Action::AddCodings { codings }).unwrap();
    let role_attr = Attribute {
        id: ids.attribute_id(),
        name: "Role".into(),
        kind: AttributeKind::Category(vec!["ARRS staff".into(), "GP partner".into()]),
    };
    let site_attr = Attribute {
        id: ids.attribute_id(),
        name: "Site".into(),
        kind: AttributeKind::Text,
    };
    let (role, site) = (role_attr.id, site_attr.id);
    p = apply(
        &p,
        Action::AddAttribute {
            attribute: role_attr,
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::AddAttribute {
            attribute: site_attr,
        },
    )
    .unwrap();
    let mut site3 = case(&mut ids, "Site 3", None, vec![fid]);
    site3.values = BTreeMap::from([(site, AttrValue::Text("Site 3".into()))]);
    let mut p12 = case(&mut ids, "P12", Some(site3.id), Vec::new());
    p12.speakers = vec![SpeakerLink {
        source: fid,
        speaker: "P12".into(),
    }];
    p12.values = BTreeMap::from([(role, AttrValue::Category("ARRS staff".into()))]);
    p12.memo = "Joined in 2021.".into();
    let mut p13 = case(&mut ids, "P13", Some(site3.id), Vec::new());
    p13.speakers = vec![SpeakerLink {
        source: fid,
        speaker: "p13".into(),
    }];
    p13.values = BTreeMap::from([(role, AttrValue::Category("GP partner".into()))]);
    let mut p14 = case(&mut ids, "P14", None, vec![iid]);
    p14.values = BTreeMap::from([(site, AttrValue::Text("Site 5".into()))]);
    let (s3, c12, c13) = (site3.id, p12.id, p13.id);
    p = apply(
        &p,
        Action::AddCases {
            cases: vec![site3, p12, p13, p14],
        },
    )
    .unwrap();
    let matrix = Matrix::new(ids.matrix_id(), "Access chart", vec![w, ph], NOW);
    let mid = matrix.id;
    p = apply(&p, Action::CreateMatrix { matrix }).unwrap();
    p = apply(
        &p,
        Action::SetCellSummaries {
            matrix: mid,
            summaries: vec![
                (
                    c12,
                    w,
                    format!(
                        "Weeks for a slot: “We wait weeks” {}",
                        quote_token(wait_coding)
                    ),
                ),
                (
                    c13,
                    ph,
                    format!("Queue at eight. {}", quote_token(phone_coding)),
                ),
            ],
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::CreateSet {
            set: CodeSet {
                id: ids.set_id(),
                name: "Patient experience".into(),
                description: "What patients live with.".into(),
                codes: vec![w, c],
                created: NOW,
            },
        },
    )
    .unwrap();
    // Annotations: one on a coding, one on a passage (the Memos report lists them).
    p = apply(
        &p,
        Action::AddAnnotation {
            annotation: Annotation {
                id: ids.annotation_id(),
                source: fid,
                span: span_of(FOCUS, "We wait weeks for a slot."),
                coding: Some(wait_coding),
                text: "Compare with the practice data.".into(),
                created: NOW,
            },
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::AddAnnotation {
            annotation: Annotation {
                id: ids.annotation_id(),
                source: iid,
                span: span_of(INTERVIEW, "the same GP"),
                coding: None,
                text: "Continuity <b>again</b>.".into(),
                created: NOW,
            },
        },
    )
    .unwrap();
    Fixture {
        project: p,
        access: a,
        waiting: w,
        phone: ph,
        continuity: c,
        focus: fid,
        interview: iid,
        site3: s3,
        p12: c12,
        role,
    }
}

fn options(kind: ReportKind) -> ReportOptions {
    ReportOptions {
        kind,
        attribution: "({case}, {Role}, {Site})".into(),
        ..ReportOptions::default()
    }
}

fn check(actual: &str, expected: Expect) {
    expected.assert_eq(actual);
}

/// The HTML from `<main>` on (the head is the same CSS every time).
fn body(html: &str) -> &str {
    &html[html.find("<nav").or_else(|| html.find("<main>")).unwrap()..]
}

#[test]
fn attributions_come_from_the_case_and_its_ancestors() {
    let f = fixture();
    let report = build(&f.project, &options(ReportKind::CodedSegments));
    let quotes: Vec<(String, String)> = report
        .blocks
        .iter()
        .filter_map(|b| match b {
            report::Block::Quote(q) => Some((q.text.clone(), q.attribution.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        quotes,
        [
            // The moderator is linked to no case: the focus group's case, with its Site.
            ("How is access?".into(), "(Site 3, Site 3)".into()),
            (
                "Honestly it is worse than last year.".into(),
                "(P12, ARRS staff, Site 3)".into()
            ),
            (
                "We wait weeks for a slot.".into(),
                "(P12, ARRS staff, Site 3)".into()
            ),
            (
                "The phone line opens at eight and is full by ten past.".into(),
                "(P13, GP partner, Site 3)".into()
            ),
            (
                "I never see the same GP twice".into(),
                "(P14, Site 5)".into()
            ),
        ]
    );
}

#[test]
fn the_preview_shows_the_first_quote_and_names_unknown_placeholders() {
    let f = fixture();
    let mut o = options(ReportKind::CodedSegments);
    o.codes = vec![f.phone];
    o.max_words = Some(4);
    assert_eq!(
        preview(&f.project, &o),
        Some((
            "The phone line opens …".to_string(),
            "(P13, GP partner, Site 3)".to_string()
        ))
    );
    o.attribution = "{case} — {speaker}, {source} / {code} {Nope}".into();
    assert_eq!(
        preview(&f.project, &o).unwrap().1,
        "P13 — P13, Focus group A / Phone"
    );
    let t = report::Template::parse(&f.project, &o.attribution);
    assert_eq!(
        t.problems(),
        ["“{Nope}” names nothing: use {case}, {source}, {speaker}, {code}, {Role}, {Site}."]
    );
    // A coding of no case is attributed to its source.
    o.codes = vec![f.continuity];
    o.attribution = "({case})".into();
    let mut p = f.project.clone();
    p.cases.clear();
    assert_eq!(preview(&p, &o).unwrap().1, "(Interview P14)");
}

#[test]
fn filters_pick_codes_sources_cases_and_speakers() {
    let f = fixture();
    let count = |o: &ReportOptions| build(&f.project, o).quote_count();
    let all = options(ReportKind::CodedSegments);
    assert_eq!(count(&all), 5);
    assert_eq!(
        count(&ReportOptions {
            codes: vec![f.access, f.phone],
            ..all.clone()
        }),
        3
    );
    assert_eq!(
        count(&ReportOptions {
            sources: vec![f.interview],
            ..all.clone()
        }),
        1
    );
    // P12's case: the turns of its linked speaker only.
    assert_eq!(
        count(&ReportOptions {
            cases: vec![f.p12],
            ..all.clone()
        }),
        2
    );
    // Site 3 and its sub-cases: the whole focus group.
    assert_eq!(
        count(&ReportOptions {
            cases: vec![f.site3],
            ..all.clone()
        }),
        4
    );
    assert_eq!(
        count(&ReportOptions {
            exclude_speakers: vec!["MODERATOR".into(), "p13".into()],
            ..all.clone()
        }),
        3
    );
    assert_eq!(
        count(&ReportOptions {
            sources: vec![f.focus],
            exclude_speakers: vec!["P12".into()],
            ..all
        }),
        2
    );
}

#[test]
fn coded_segments_by_code_as_markdown() {
    let f = fixture();
    let mut o = options(ReportKind::CodedSegments);
    o.max_words = Some(6);
    check(
        &to_markdown(&build(&f.project, &o)),
        expect![[r#"
            # Coded segments: Access study

            _5 quotes from 2 sources, by code_

            ## Access

            _Deductive · 2 segments in 1 source_

            **Definition:** Getting an appointment.

            **Memo:** Central to RQ1.

            > “How is access?” (Site 3, Site 3)

            > “Honestly it is worse than last …” (P12, ARRS staff, Site 3)

            ## Access > Waiting

            _Inductive · 1 segment in 1 source_

            **Definition:** Time to a slot.

            > “We wait weeks for a slot.” (P12, ARRS staff, Site 3)

            ## Access > Phone

            _Inductive · 1 segment in 1 source_

            > “The phone line opens at eight …” (P13, GP partner, Site 3)

            ## Continuity

            _Deductive · 1 segment in 1 source_

            **Definition:** Seeing the same clinician.

            > “I never see the same GP …” (P14, Site 5)

        "#]],
    );
}

#[test]
fn coded_segments_by_theme_case_and_attribute() {
    let f = fixture();
    let mut o = options(ReportKind::CodedSegments);
    o.include_definitions = false;
    o.include_memos = false;
    o.include_origin = false;
    o.grouping = Grouping::Theme;
    check(
        &to_markdown(&build(&f.project, &o)),
        expect![[r#"
            # Coded segments: Access study

            _7 quotes from 2 sources, by theme and set_

            ## Theme: Access

            _4 segments in 1 source_

            > “How is access?” (Site 3, Site 3)

            > “We wait weeks for a slot.” (P12, ARRS staff, Site 3)

            > “Honestly it is worse than last year.” (P12, ARRS staff, Site 3)

            > “The phone line opens at eight and is full by ten past.” (P13, GP partner, Site 3)

            ## Theme: Continuity

            _1 segment in 1 source_

            > “I never see the same GP twice” (P14, Site 5)

            ## Set: Patient experience

            _2 segments in 2 sources_

            > “We wait weeks for a slot.” (P12, ARRS staff, Site 3)

            > “I never see the same GP twice” (P14, Site 5)

        "#]],
    );
    o.grouping = Grouping::Case;
    o.include_memos = true;
    check(
        &to_markdown(&build(&f.project, &o)),
        expect![[r#"
            # Coded segments: Access study

            _8 quotes from 2 sources, by case_

            ## Site 3

            _4 segments in 1 source · Site: Site 3_

            ### Access

            > “How is access?” (Site 3, Site 3)

            > “Honestly it is worse than last year.” (P12, ARRS staff, Site 3)

            ### Access > Waiting

            > “We wait weeks for a slot.” (P12, ARRS staff, Site 3)

            ### Access > Phone

            > “The phone line opens at eight and is full by ten past.” (P13, GP partner, Site 3)

            ## P12

            _2 segments in 1 source · Role: ARRS staff · Site: Site 3_

            **Memo:** Joined in 2021.

            ### Access

            > “Honestly it is worse than last year.” (P12, ARRS staff, Site 3)

            ### Access > Waiting

            > “We wait weeks for a slot.” (P12, ARRS staff, Site 3)

            ## P13

            _1 segment in 1 source · Role: GP partner · Site: Site 3_

            ### Access > Phone

            > “The phone line opens at eight and is full by ten past.” (P13, GP partner, Site 3)

            ## P14

            _1 segment in 1 source · Site: Site 5_

            ### Continuity

            > “I never see the same GP twice” (P14, Site 5)

        "#]],
    );
    o.grouping = Grouping::Attribute(f.role);
    o.attribution = "— {case}".into();
    check(
        &to_markdown(&build(&f.project, &o)),
        expect![[r#"
            # Coded segments: Access study

            _5 quotes from 2 sources, by Role_

            ## Role: ARRS staff

            _2 segments in 1 source_

            ### Access

            > “Honestly it is worse than last year.” — P12

            ### Access > Waiting

            > “We wait weeks for a slot.” — P12

            ## Role: GP partner

            _1 segment in 1 source_

            ### Access > Phone

            > “The phone line opens at eight and is full by ten past.” — P13

            ## Role: (no value)

            _2 segments in 2 sources_

            ### Access

            > “How is access?” — Site 3

            ### Continuity

            > “I never see the same GP twice” — P14

        "#]],
    );
}

#[test]
fn codebook_themes_and_memos_as_markdown() {
    let f = fixture();
    let mut o = options(ReportKind::Codebook);
    o.examples = 1;
    check(
        &to_markdown(&build(&f.project, &o)),
        expect![[r#"
            # Codebook: Access study

            _4 codes_

            ## Overview

            **The codebook**

            | Code | D/I | Segments | Sources | Definition |
            | --- | --- | --- | --- | --- |
            | Access | Deductive | 2 | 1 | Getting an appointment. |
            |    Waiting | Inductive | 1 | 1 | Time to a slot. |
            |    Phone | Inductive | 1 | 1 |  |
            | Continuity | Deductive | 1 | 1 | Seeing the same clinician. |

            ## Access

            _Deductive · 2 segments in 1 source_

            **Definition:** Getting an appointment.

            **Memo:** Central to RQ1.

            > “How is access?” (Site 3, Site 3)

            ### Waiting

            _Inductive · 1 segment in 1 source_

            **Definition:** Time to a slot.

            > “We wait weeks for a slot.” (P12, ARRS staff, Site 3)

            ### Phone

            _Inductive · 1 segment in 1 source_

            > “The phone line opens at eight and is full by ten past.” (P13, GP partner, Site 3)

            ## Continuity

            _Deductive · 1 segment in 1 source_

            **Definition:** Seeing the same clinician.

            > “I never see the same GP twice” (P14, Site 5)

        "#]],
    );
    o.kind = ReportKind::Themes;
    check(
        &to_markdown(&build(&f.project, &o)),
        expect![[r#"
            # Themes: Access study

            _4 quotes from 2 sources, by theme_

            ## Access

            _Theme · Deductive · 4 segments in 1 source_

            Getting an appointment.

            **Memo:** Central to RQ1.

            **Codes**

            | Code | D/I | Segments | Definition |
            | --- | --- | --- | --- |
            | Waiting | Inductive | 1 | Time to a slot. |
            | Phone | Inductive | 1 |  |

            **Matrix “Access chart”**

            | Case | Waiting | Phone |
            | --- | --- | --- |
            | P12 | Weeks for a slot: “We wait weeks” (P12, ARRS staff, Site 3) |  |
            | P13 |  | Queue at eight. “The phone line opens at eight and is full by ten past.” (P13, GP partner, Site 3) |

            _Quotes chosen in the matrix summaries:_

            > “We wait weeks for a slot.” (P12, ARRS staff, Site 3)

            > “The phone line opens at eight and is full by ten past.” (P13, GP partner, Site 3)

            ## Continuity

            _Theme · Deductive · 1 segment in 1 source_

            Seeing the same clinician.

            _Example quotes:_

            > “I never see the same GP twice” (P14, Site 5)

            ## Sets

            ### Patient experience

            _2 segments in 2 sources_

            What patients live with.

            **Codes**

            | Code | D/I | Segments | Definition |
            | --- | --- | --- | --- |
            | Access > Waiting | Inductive | 1 | Time to a slot. |
            | Continuity | Deductive | 1 | Seeing the same clinician. |

            **Matrix “Access chart”**

            | Case | Waiting |
            | --- | --- |
            | P12 | Weeks for a slot: “We wait weeks” (P12, ARRS staff, Site 3) |

            > “We wait weeks for a slot.” (P12, ARRS staff, Site 3)

        "#]],
    );
    o.kind = ReportKind::Memos;
    check(
        &to_markdown(&build(&f.project, &o)),
        expect![[r#"
            # Memos: Access study

            _6 memos_

            ## Project

            Pilot write-up.

            Second line of the project memo.

            ## Sources

            ### Interview P14

            Recorded by phone.

            ## Codes

            ### Access

            Central to RQ1.

            ## Cases

            ### P12

            Joined in 2021.

            ## Annotations

            ### Focus group A

            _Coding “Access > Waiting” in “Focus group A”_

            > “We wait weeks for a slot.”

            **Annotation:** Compare with the practice data.

            ### Interview P14

            _Passage in “Interview P14”_

            > “the same GP”

            **Annotation:** Continuity \<b>again\</b>.

        "#]],
    );
}

#[test]
fn the_html_page_has_contents_and_quotes() {
    let f = fixture();
    let mut o = options(ReportKind::CodedSegments);
    o.grouping = Grouping::Case;
    o.codes = vec![f.waiting, f.phone];
    let html = to_html(&build(&f.project, &o));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@page"), "print CSS");
    assert!(
        html.contains("default-src 'none'"),
        "no scripts or outside resources"
    );
    check(
        body(&html),
        expect![[r##"
            <nav class="toc" aria-labelledby="toc">
            <h2 id="toc">Contents</h2>
            <ol>
            <li><a href="#s1">Site 3</a>
            <ol><li><a href="#s2">Access &gt; Waiting</a></li><li><a href="#s3">Access &gt; Phone</a></li></ol></li>
            <li><a href="#s4">P12</a>
            <ol><li><a href="#s5">Access &gt; Waiting</a></li></ol></li>
            <li><a href="#s6">P13</a>
            <ol><li><a href="#s7">Access &gt; Phone</a></li></ol></li>
            </ol>
            </nav>
            <main>
            <h2 id="s1">Site 3</h2>
            <p class="note">2 segments in 1 source · Site: Site 3</p>
            <h3 id="s2">Access &gt; Waiting</h3>
            <p><span class="label">Definition:</span> Time to a slot.</p>
            <blockquote><p>“We wait weeks for a slot.”</p><p class="attribution">(P12, ARRS staff, Site 3)</p></blockquote>
            <h3 id="s3">Access &gt; Phone</h3>
            <blockquote><p>“The phone line opens at eight and is full by ten past.”</p><p class="attribution">(P13, GP partner, Site 3)</p></blockquote>
            <h2 id="s4">P12</h2>
            <p class="note">1 segment in 1 source · Role: ARRS staff · Site: Site 3</p>
            <p><span class="label">Memo:</span> Joined in 2021.</p>
            <h3 id="s5">Access &gt; Waiting</h3>
            <p><span class="label">Definition:</span> Time to a slot.</p>
            <blockquote><p>“We wait weeks for a slot.”</p><p class="attribution">(P12, ARRS staff, Site 3)</p></blockquote>
            <h2 id="s6">P13</h2>
            <p class="note">1 segment in 1 source · Role: GP partner · Site: Site 3</p>
            <h3 id="s7">Access &gt; Phone</h3>
            <blockquote><p>“The phone line opens at eight and is full by ten past.”</p><p class="attribution">(P13, GP partner, Site 3)</p></blockquote>
            </main>
            </body>
            </html>
        "##]],
    );
    o.kind = ReportKind::Themes;
    check(
        body(&to_html(&build(&f.project, &o))),
        expect![[r##"
            <nav class="toc" aria-labelledby="toc">
            <h2 id="toc">Contents</h2>
            <ol>
            <li><a href="#s1">Access</a></li>
            <li><a href="#s2">Sets</a>
            <ol><li><a href="#s3">Patient experience</a></li></ol></li>
            </ol>
            </nav>
            <main>
            <h2 id="s1">Access</h2>
            <p class="note">Theme · Deductive · 2 segments in 1 source</p>
            <p>Getting an appointment.</p>
            <p><span class="label">Memo:</span> Central to RQ1.</p>
            <table>
            <caption>Codes</caption>
            <thead><tr><th scope="col">Code</th><th scope="col">D/I</th><th scope="col">Segments</th><th scope="col">Definition</th></tr></thead>
            <tbody>
            <tr><th scope="row">Waiting</th><td>Inductive</td><td>1</td><td>Time to a slot.</td></tr>
            <tr><th scope="row">Phone</th><td>Inductive</td><td>1</td><td></td></tr>
            </tbody>
            </table>
            <table>
            <caption>Matrix “Access chart”</caption>
            <thead><tr><th scope="col">Case</th><th scope="col">Waiting</th><th scope="col">Phone</th></tr></thead>
            <tbody>
            <tr><th scope="row">P12</th><td>Weeks for a slot: “We wait weeks” (P12, ARRS staff, Site 3)</td><td></td></tr>
            <tr><th scope="row">P13</th><td></td><td>Queue at eight. “The phone line opens at eight and is full by ten past.” (P13, GP partner, Site 3)</td></tr>
            </tbody>
            </table>
            <p class="note">Quotes chosen in the matrix summaries:</p>
            <blockquote><p>“We wait weeks for a slot.”</p><p class="attribution">(P12, ARRS staff, Site 3)</p></blockquote>
            <blockquote><p>“The phone line opens at eight and is full by ten past.”</p><p class="attribution">(P13, GP partner, Site 3)</p></blockquote>
            <h2 id="s2">Sets</h2>
            <h3 id="s3">Patient experience</h3>
            <p class="note">1 segment in 1 source</p>
            <p>What patients live with.</p>
            <table>
            <caption>Codes</caption>
            <thead><tr><th scope="col">Code</th><th scope="col">D/I</th><th scope="col">Segments</th><th scope="col">Definition</th></tr></thead>
            <tbody>
            <tr><th scope="row">Access &gt; Waiting</th><td>Inductive</td><td>1</td><td>Time to a slot.</td></tr>
            </tbody>
            </table>
            <table>
            <caption>Matrix “Access chart”</caption>
            <thead><tr><th scope="col">Case</th><th scope="col">Waiting</th></tr></thead>
            <tbody>
            <tr><th scope="row">P12</th><td>Weeks for a slot: “We wait weeks” (P12, ARRS staff, Site 3)</td></tr>
            </tbody>
            </table>
            <blockquote><p>“We wait weeks for a slot.”</p><p class="attribution">(P12, ARRS staff, Site 3)</p></blockquote>
            </main>
            </body>
            </html>
        "##]],
    );
}

#[test]
fn the_memos_report_lists_annotations_with_what_they_are_attached_to() {
    let f = fixture();
    let o = options(ReportKind::Memos);
    let report = build(&f.project, &o);
    let html = to_html(&report);
    check(
        body(&html)
            .split("<h2 id=\"s")
            .find(|part| part.contains(">Annotations</h2>"))
            .unwrap_or(""),
        expect![[r#"
            8">Annotations</h2>
            <h3 id="s9">Focus group A</h3>
            <p class="note">Coding “Access &gt; Waiting” in “Focus group A”</p>
            <blockquote><p>“We wait weeks for a slot.”</p></blockquote>
            <p><span class="label">Annotation:</span> Compare with the practice data.</p>
            <h3 id="s10">Interview P14</h3>
            <p class="note">Passage in “Interview P14”</p>
            <blockquote><p>“the same GP”</p></blockquote>
            <p><span class="label">Annotation:</span> Continuity &lt;b&gt;again&lt;/b&gt;.</p>
            </main>
            </body>
            </html>
        "#]],
    );
    assert!(!html.contains("<b>again"), "annotation text is escaped");
    check(
        &to_csv(&report).replace("\r\n", "\n"),
        expect![[r#"
            Attached to,Name,Memo
            Project,Access study,"Pilot write-up.
            Second line of the project memo."
            Source,Interview P14,Recorded by phone.
            Code,Access,Central to RQ1.
            Case,P12,Joined in 2021.
            Annotation,Coding “Access > Waiting” in “Focus group A”: “We wait weeks for a slot.”,Compare with the practice data.
            Annotation,Passage in “Interview P14”: “the same GP”,Continuity <b>again</b>.
        "#]],
    );
    // A source filter keeps only that source's annotations.
    let mut o = options(ReportKind::Memos);
    o.sources = vec![f.interview];
    let md = to_markdown(&build(&f.project, &o));
    assert!(
        md.contains("Continuity") && !md.contains("practice data"),
        "{md}"
    );
}

#[test]
fn the_list_as_csv_and_xlsx() {
    let f = fixture();
    let mut o = options(ReportKind::CodedSegments);
    o.codes = vec![f.waiting, f.continuity];
    let report = build(&f.project, &o);
    let csv = to_csv(&report);
    assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'));
    check(
        &csv.replace("\r\n", "\n"),
        expect![[r#"
            Section,Code,Case,Source,Speaker,Quote,Attribution,Start,End,Coder
            Access > Waiting,Access > Waiting,P12,Focus group A,P12,We wait weeks for a slot.,"(P12, ARRS staff, Site 3)",31,56,ana
            Continuity,Continuity,P14,Interview P14,,I never see the same GP twice,"(P14, Site 5)",0,29,ana
        "#]],
    );
    o.kind = ReportKind::Themes;
    let report = build(&f.project, &o);
    let bytes = to_xlsx(&report).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 1 + report.tables().count(), "{names:?}");
    assert_eq!(names[0], "Quotes");
    let quotes = book.worksheet_range("Quotes").unwrap();
    assert_eq!(quotes.height(), 1 + report.quote_count());
    assert_eq!(
        quotes.get((0, 0)),
        Some(&Data::String("Section".to_string()))
    );
    // Positions are numbers (code points into the source).
    assert!(matches!(quotes.get((1, 7)), Some(Data::Float(_))));
}

/// Names, memos, quotes and values carrying markup, in every place a report writes.
fn hostile() -> Project {
    const SCRIPT: &str = "<script>alert(1)</script>";
    const IMG: &str = "\"><img src=x onerror=alert(2)>";
    let mut f = fixture();
    let p = &mut f.project;
    p.name = SCRIPT.into();
    p.memo = IMG.into();
    for c in &mut p.codes {
        c.name = format!("{SCRIPT} {}", c.name);
        c.description = IMG.into();
        c.memo = SCRIPT.into();
    }
    for c in &mut p.cases {
        c.name = format!("{IMG}{}", c.name);
        c.memo = SCRIPT.into();
    }
    for a in &mut p.attributes {
        a.name = "<b>Role</b>".into();
    }
    let mut sources: Vec<Source> = p.sources.iter().map(|s| Source::clone(s)).collect();
    for s in &mut sources {
        s.name = SCRIPT.into();
        s.memo = IMG.into();
    }
    p.sources = sources.into_iter().map(Arc::new).collect();
    for set in &mut p.sets {
        set.name = IMG.into();
        set.description = SCRIPT.into();
    }
    let m = Arc::make_mut(&mut p.matrices[0]);
    m.name = SCRIPT.into();
    f.project
}

#[test]
fn hostile_names_and_memos_stay_text() {
    let p = hostile();
    for kind in ReportKind::ALL {
        for grouping in [Grouping::Code, Grouping::Theme, Grouping::Case] {
            let o = ReportOptions {
                kind,
                grouping,
                attribution: "({case}, {<b>Role</b>}, {source})".into(),
                ..ReportOptions::default()
            };
            let report = build(&p, &o);
            let html = to_html(&report);
            for active in ["<script", "<img", "<b>"] {
                assert!(!html.contains(active), "{kind:?}: {active} in\n{html}");
            }
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
            let md = to_markdown(&report);
            for (i, _) in md.match_indices('<') {
                assert!(
                    md[..i].ends_with('\\'),
                    "{kind:?}: an unescaped < in Markdown:\n{md}"
                );
            }
            assert!(md.contains(r"\<script>alert(1)\</script>"), "{md}");
        }
    }
}

#[test]
fn every_report_of_the_demo_builds() {
    let demo = demo::demo_project(&mut SeqIds::new(1), NOW);
    for kind in ReportKind::ALL {
        let report = build(
            &demo,
            &ReportOptions {
                kind,
                ..ReportOptions::default()
            },
        );
        assert!(!report.blocks.is_empty(), "{kind:?}");
        assert!(to_html(&report).len() > 1000);
        assert!(!to_csv(&report).is_empty());
        to_xlsx(&report).unwrap();
    }
    let all = build(&demo, &ReportOptions::default());
    assert_eq!(all.quote_count(), demo.coding_count());
}

/// How long it takes is printed (`--nocapture`), not asserted: a timed assertion fails on a busy
/// machine and proves nothing; the figure belongs in a benchmark's printout.
#[test]
fn two_thousand_quotes_are_written() {
    let demo = demo::demo_project(&mut SeqIds::new(1), NOW);
    // The demo's codings 20 times over (each source copied under a new id, its codings with it).
    let mut ids = SeqIds::new(9_000);
    let mut p = demo.clone();
    while p.coding_count() < 2_000 {
        for source in &demo.sources {
            let copy = Source {
                id: ids.source_id(),
                ..Source::clone(source)
            };
            let codings: Vec<Coding> = demo
                .codings_of(source.id)
                .iter()
                .map(|c| Coding {
                    id: ids.coding_id(),
                    source: copy.id,
                    ..c.clone()
                })
                .collect();
            p.codings.insert(copy.id, Arc::new(codings));
            p.sources.push(Arc::new(copy));
        }
    }
    let o = ReportOptions {
        attribution: "({case}, {role}, {rurality})".into(),
        ..ReportOptions::default()
    };
    let started = Instant::now();
    let report = build(&p, &o);
    let html = to_html(&report);
    let md = to_markdown(&report);
    let xlsx = to_xlsx(&report).unwrap();
    let took = started.elapsed();
    eprintln!(
        "{} quotes: built and written as HTML ({} KB), Markdown and XLSX in {took:?}",
        report.quote_count(),
        html.len() / 1024
    );
    assert!(report.quote_count() >= 2_000);
    assert!(md.len() > 100_000 && !xlsx.is_empty());
}
