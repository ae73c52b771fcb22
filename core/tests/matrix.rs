//! Framework matrix: rows (selection, filters, grouping), columns, segment counts and cell
//! states, quote references through merges, moves and removals, seeding with quotes, and the
//! CSV, XLSX and HTML exports.
#![allow(clippy::unwrap_used)]

mod common;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::{case, source, NOW};
use expect_test::{expect, Expect};
use framewise_core::matrix::{
    broken_references, build_view, case_sources, cell_segments, export_csv, export_html,
    export_xlsx, quote_token, row_cases, seed_with_quotes, summary_parts, CellState, MatrixView,
    SummaryPart, BROKEN_QUOTE,
};
use framewise_core::*;
use std::io::Cursor;
use std::sync::Arc;
use std::time::Instant;

/// A small charting project: two sites with participants, a loose case, a code tree
/// Workforce > {Recruitment > Hiring delays, Space} and Other.
struct Fixture {
    project: Project,
    ids: SeqIds,
    sources: Vec<SourceId>,
    recruitment: CodeId,
    space: CodeId,
    other: CodeId,
    site_x: CaseId,
    p1: CaseId,
    p2: CaseId,
    site_y: CaseId,
    q1: CaseId,
    loose: CaseId,
    rurality: AttributeId,
    decile: AttributeId,
    role: AttributeId,
    matrix: MatrixId,
}

const TEXTS: [(&str, &str); 4] = [
    (
        "Interview P1",
        "Café staff said the rota was hard. We never had enough rooms. Supervision was thin.",
    ),
    (
        "Interview P2",
        "Hiring took months — nobody applied. Rooms again: none free.",
    ),
    (
        "Notes Site X",
        "Board argued about rooms. Recruitment stalled.",
    ),
    ("Interview Q1", "The waiting list for posts is long."),
];

fn code(ids: &mut SeqIds, name: &str, parent: Option<CodeId>, color: &str) -> Code {
    Code {
        id: ids.code_id(),
        name: name.into(),
        parent,
        color: color.into(),
        description: String::new(),
        origin: CodeOrigin::Deductive,
        memo: String::new(),
        created: NOW,
    }
}

fn fixture() -> Fixture {
    let mut ids = SeqIds::new(11);
    let mut project = Project::new(ids.project_id(), "Charting test", NOW);
    let sources: Vec<Source> = TEXTS
        .iter()
        .map(|(name, text)| Source {
            imported: NOW,
            ..source(&mut ids, name, text)
        })
        .collect();
    let source_ids: Vec<SourceId> = sources.iter().map(|s| s.id).collect();
    project = apply(&project, Action::AddSources { sources }).unwrap();
    let workforce = code(&mut ids, "Workforce", None, "#e69f00");
    let recruitment = code(&mut ids, "Recruitment", Some(workforce.id), "#56b4e9");
    let hiring = code(&mut ids, "Hiring delays", Some(recruitment.id), "#009e73");
    let space = code(&mut ids, "Space", Some(workforce.id), "#f0e442");
    let other = code(&mut ids, "Other", None, "#0072b2");
    let (w, r, h, s, o) = (workforce.id, recruitment.id, hiring.id, space.id, other.id);
    project = apply(
        &project,
        Action::ImportCodes {
            codes: vec![workforce, recruitment, hiring, space, other],
        },
    )
    .unwrap();
    let mut codings = Vec::new();
    for (source, needle, code, coder) in [
        (0, "rota was hard", r, "ann"),
        (0, "enough rooms", s, "ann"),
        (0, "Supervision was thin", w, "ann"),
        (0, "Café staff", h, "bob"),
        (1, "Hiring took months", h, "ann"),
        (1, "nobody applied", r, "bob"),
        (1, "Rooms again", s, "ann"),
        (2, "argued about rooms", s, "ann"),
        (2, "Recruitment stalled", r, "ann"),
        (3, "waiting list", r, "bob"),
        (3, "posts is long", o, "bob"),
    ] {
        let text = TEXTS[source].1;
        let start = text.find(needle).unwrap();
        codings.push(Coding {
            id: ids.coding_id(),
            source: source_ids[source],
            span: Span::new(start, start + needle.len()),
            code,
            coder: coder.into(),
            created: NOW,
        });
    }
    project = apply(&project, Action::AddCodings { codings }).unwrap();

    let category =
        |values: &[&str]| AttributeKind::Category(values.iter().map(|v| v.to_string()).collect());
    let attributes = vec![
        Attribute {
            id: ids.attribute_id(),
            name: "rurality".into(),
            kind: category(&["urban", "rural", "mixed"]),
        },
        Attribute {
            id: ids.attribute_id(),
            name: "deprivation decile".into(),
            kind: AttributeKind::Number,
        },
        Attribute {
            id: ids.attribute_id(),
            name: "role".into(),
            kind: category(&["staff", "manager"]),
        },
    ];
    let (rurality, decile, role) = (attributes[0].id, attributes[1].id, attributes[2].id);
    for attribute in attributes {
        project = apply(&project, Action::AddAttribute { attribute }).unwrap();
    }
    let site_x = case(&mut ids, "Site X", None, vec![source_ids[2]]);
    let p1 = case(&mut ids, "P1", Some(site_x.id), vec![source_ids[0]]);
    let p2 = case(&mut ids, "P2", Some(site_x.id), vec![source_ids[1]]);
    let site_y = case(&mut ids, "Site Y", None, vec![]);
    let q1 = case(&mut ids, "Q1", Some(site_y.id), vec![source_ids[3]]);
    let loose = case(&mut ids, "Loose", None, vec![]);
    let (x, a, b, y, q, l) = (site_x.id, p1.id, p2.id, site_y.id, q1.id, loose.id);
    project = apply(
        &project,
        Action::AddCases {
            cases: vec![site_x, p1, p2, site_y, q1, loose],
        },
    )
    .unwrap();
    let cat = |v: &str| Some(AttrValue::Category(v.into()));
    project = apply(
        &project,
        Action::SetAttributeValues {
            values: vec![
                (x, rurality, cat("rural")),
                (x, decile, Some(AttrValue::Number(3.0))),
                (y, rurality, cat("urban")),
                (y, decile, Some(AttrValue::Number(8.0))),
                (a, role, cat("staff")),
                (b, role, cat("manager")),
                (q, role, cat("staff")),
            ],
        },
    )
    .unwrap();
    let matrix = Matrix::new(ids.matrix_id(), "Workforce", vec![r, s], NOW);
    let matrix_id = matrix.id;
    project = apply(&project, Action::CreateMatrix { matrix }).unwrap();
    Fixture {
        project,
        ids,
        sources: source_ids,
        recruitment: r,
        space: s,
        other: o,
        site_x: x,
        p1: a,
        p2: b,
        site_y: y,
        q1: q,
        loose: l,
        rurality,
        decile,
        role,
        matrix: matrix_id,
    }
}

impl Fixture {
    fn matrix(&self) -> Arc<Matrix> {
        self.project.matrix(self.matrix).unwrap().clone()
    }
    fn apply(&mut self, action: Action) {
        self.project = apply(&self.project, action).unwrap();
    }
    fn set_rows(&mut self, rows: RowSelection, group_by: Option<AttributeId>) {
        self.apply(Action::SetMatrixRows {
            id: self.matrix,
            rows,
            group_by,
        });
    }
    fn summarise(&mut self, case: CaseId, code: CodeId, text: &str) {
        self.apply(Action::SetCellSummaries {
            matrix: self.matrix,
            summaries: vec![(case, code, text.into())],
        });
    }
    /// The coding of `code` whose text is `text`.
    fn coding(&self, text: &str, code: CodeId) -> CodingId {
        self.project
            .all_codings()
            .find(|c| c.code == code && self.project.coded_text(c) == text)
            .unwrap()
            .id
    }
}

/// The view as text: one line per row, `name [group] | segments/state per column`.
fn render(view: &MatrixView) -> String {
    let mut out = String::new();
    let header: Vec<&str> = view.columns.iter().map(|c| c.path.as_str()).collect();
    out.push_str(&format!("columns: {}\n", header.join(" | ")));
    for (row, cells) in view.rows.iter().zip(&view.cells) {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| {
                let state = match c.state {
                    CellState::Empty => "empty",
                    CellState::DataNoSummary => "data",
                    CellState::Summarised => "summarised",
                    CellState::SummaryNoData => "summary-no-data",
                };
                let broken = if c.broken > 0 {
                    format!(" broken={}", c.broken)
                } else {
                    String::new()
                };
                format!("{} {state}{broken}", c.segments)
            })
            .collect();
        let group = row
            .group
            .as_deref()
            .map(|g| format!(" [{g}]"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}{}{group} | {}\n",
            "  ".repeat(row.depth),
            row.name,
            cells.join(" | ")
        ));
    }
    out
}

fn check_view(f: &Fixture, expect: Expect) {
    expect.assert_eq(&render(&build_view(&f.project, &f.matrix())));
}

#[test]
fn all_cases_in_tree_order_with_counts_over_subcases_and_child_codes() {
    let f = fixture();
    check_view(
        &f,
        expect![[r#"
            columns: Workforce > Recruitment | Workforce > Space
            Site X | 5 data | 3 data
              P1 | 2 data | 1 data
              P2 | 2 data | 1 data
            Site Y | 1 data | 0 empty
              Q1 | 1 data | 0 empty
            Loose | 0 empty | 0 empty
        "#]],
    );
}

#[test]
fn scope_switches_change_counts() {
    let mut f = fixture();
    f.apply(Action::SetMatrixScope {
        id: f.matrix,
        include_subcases: false,
        include_child_codes: false,
    });
    check_view(
        &f,
        expect![[r#"
            columns: Workforce > Recruitment | Workforce > Space
            Site X | 1 data | 1 data
              P1 | 1 data | 1 data
              P2 | 1 data | 1 data
            Site Y | 0 empty | 0 empty
              Q1 | 1 data | 0 empty
            Loose | 0 empty | 0 empty
        "#]],
    );
}

#[test]
fn chosen_cases_keep_their_order() {
    let mut f = fixture();
    f.set_rows(RowSelection::Cases(vec![f.q1, f.loose, f.p1, f.q1]), None);
    assert_eq!(
        row_cases(&f.project, &f.matrix()),
        vec![f.q1, f.loose, f.p1]
    );
    check_view(
        &f,
        expect![[r#"
            columns: Workforce > Recruitment | Workforce > Space
            Q1 | 1 data | 0 empty
            Loose | 0 empty | 0 empty
            P1 | 2 data | 1 data
        "#]],
    );
}

#[test]
fn filters_select_rows() {
    let mut f = fixture();
    let filter = |attribute, op, value| AttributeFilter {
        attribute,
        op,
        value,
    };
    // Categories compare ignoring case.
    f.set_rows(
        RowSelection::Filter(vec![filter(
            f.rurality,
            FilterOp::Equals,
            AttrValue::Category("RURAL".into()),
        )]),
        None,
    );
    assert_eq!(row_cases(&f.project, &f.matrix()), vec![f.site_x]);
    // Not equals includes cases without a value.
    f.set_rows(
        RowSelection::Filter(vec![filter(
            f.rurality,
            FilterOp::NotEquals,
            AttrValue::Category("rural".into()),
        )]),
        None,
    );
    assert_eq!(
        row_cases(&f.project, &f.matrix()),
        vec![f.p1, f.p2, f.site_y, f.q1, f.loose]
    );
    // Numbers; a filter value typed as text is read as the attribute's type.
    f.set_rows(
        RowSelection::Filter(vec![filter(
            f.decile,
            FilterOp::Greater,
            AttrValue::Text("5".into()),
        )]),
        None,
    );
    assert_eq!(row_cases(&f.project, &f.matrix()), vec![f.site_y]);
    f.set_rows(
        RowSelection::Filter(vec![filter(
            f.decile,
            FilterOp::Less,
            AttrValue::Number(5.0),
        )]),
        None,
    );
    assert_eq!(row_cases(&f.project, &f.matrix()), vec![f.site_x]);
    // Every filter must match.
    f.set_rows(
        RowSelection::Filter(vec![
            filter(
                f.role,
                FilterOp::Equals,
                AttrValue::Category("staff".into()),
            ),
            filter(
                f.rurality,
                FilterOp::NotEquals,
                AttrValue::Category("x".into()),
            ),
        ]),
        None,
    );
    assert_eq!(row_cases(&f.project, &f.matrix()), vec![f.p1, f.q1]);
}

#[test]
fn grouping_follows_category_order_and_puts_no_value_last() {
    let mut f = fixture();
    f.set_rows(RowSelection::All, Some(f.role));
    check_view(
        &f,
        expect![[r#"
            columns: Workforce > Recruitment | Workforce > Space
            P1 [role: staff] | 2 data | 1 data
            Q1 [role: staff] | 1 data | 0 empty
            P2 [role: manager] | 2 data | 1 data
            Site X [(no value)] | 5 data | 3 data
            Site Y [(no value)] | 1 data | 0 empty
            Loose [(no value)] | 0 empty | 0 empty
        "#]],
    );
    // Rurality is urban, rural, mixed: urban first although Site X comes first in the tree;
    // sub-cases keep their indentation inside their group.
    f.set_rows(RowSelection::All, Some(f.rurality));
    check_view(
        &f,
        expect![[r#"
            columns: Workforce > Recruitment | Workforce > Space
            Site Y [rurality: urban] | 1 data | 0 empty
            Site X [rurality: rural] | 5 data | 3 data
            P1 [(no value)] | 2 data | 1 data
            P2 [(no value)] | 2 data | 1 data
            Q1 [(no value)] | 1 data | 0 empty
            Loose [(no value)] | 0 empty | 0 empty
        "#]],
    );
    // Numbers sort as numbers.
    f.apply(Action::SetAttributeValues {
        values: vec![(f.loose, f.decile, Some(AttrValue::Number(10.0)))],
    });
    f.set_rows(
        RowSelection::Cases(vec![f.loose, f.site_y, f.site_x]),
        Some(f.decile),
    );
    let rows: Vec<_> = build_view(&f.project, &f.matrix())
        .rows
        .into_iter()
        .map(|r| r.group.unwrap())
        .collect();
    assert_eq!(
        rows,
        [
            "deprivation decile: 3",
            "deprivation decile: 8",
            "deprivation decile: 10"
        ]
    );
}

#[test]
fn cell_segments_are_in_document_order_and_agree_with_counts() {
    let f = fixture();
    let m = f.matrix();
    let segments = cell_segments(&f.project, &m, f.site_x, f.recruitment);
    let texts: Vec<&str> = segments.iter().map(|c| f.project.coded_text(c)).collect();
    assert_eq!(
        texts,
        [
            "Café staff",
            "rota was hard",
            "Hiring took months",
            "nobody applied",
            "Recruitment stalled"
        ]
    );
    let view = build_view(&f.project, &m);
    for (r, row) in view.rows.iter().enumerate() {
        for (c, column) in view.columns.iter().enumerate() {
            assert_eq!(
                cell_segments(&f.project, &m, row.case, column.code).len(),
                view.cells[r][c].segments,
                "{} × {}",
                row.name,
                column.name
            );
        }
    }
    assert_eq!(
        case_sources(&f.project, f.site_x, true),
        vec![f.sources[0], f.sources[1], f.sources[2]]
    );
    assert_eq!(
        case_sources(&f.project, f.site_x, false),
        vec![f.sources[2]]
    );
    assert!(cell_segments(&f.project, &m, f.loose, f.space).is_empty());
}

#[test]
fn states_follow_summaries() {
    let mut f = fixture();
    f.summarise(f.p1, f.recruitment, "Rota strain.");
    f.summarise(f.loose, f.space, "Nothing coded, but noted.");
    let view = build_view(&f.project, &f.matrix());
    let state = |case: CaseId, column: usize| {
        let r = view.rows.iter().position(|r| r.case == case).unwrap();
        view.cells[r][column].state
    };
    assert_eq!(state(f.p1, 0), CellState::Summarised);
    assert_eq!(state(f.p1, 1), CellState::DataNoSummary);
    assert_eq!(state(f.loose, 0), CellState::Empty);
    // A summary with no segments behind it is not shown as summarised (issue 9).
    assert_eq!(state(f.loose, 1), CellState::SummaryNoData);
    // A blank summary is no summary.
    f.summarise(f.p1, f.recruitment, "   ");
    let view = build_view(&f.project, &f.matrix());
    assert_eq!(view.cells[1][0].state, CellState::DataNoSummary);
}

#[test]
fn quote_references_survive_merges_and_moves_and_removed_codings_are_broken() {
    let mut f = fixture();
    let rooms = f.coding("Rooms again", f.space);
    let rota = f.coding("rota was hard", f.recruitment);
    let summary = format!(
        "Rooms {} and rota {}.",
        quote_token(rooms),
        quote_token(rota)
    );
    f.summarise(f.p2, f.space, &summary);
    f.apply(Action::SetCaseSummary {
        matrix: f.matrix,
        case: f.p2,
        summary: format!("See {}", quote_token(rooms)),
    });
    assert!(broken_references(&f.project, &summary).is_empty());

    // A duplicate of the referenced coding under another code, by the same coder (another
    // coder's coding stays its own); merging drops ours as a duplicate, so the reference must
    // move to the survivor.
    let text = TEXTS[1].1;
    let start = text.find("Rooms again").unwrap();
    let survivor = f.ids.coding_id();
    let other = f.other;
    f.apply(Action::AddCodings {
        codings: vec![Coding {
            id: survivor,
            source: f.sources[1],
            span: Span::new(start, start + "Rooms again".len()),
            code: other,
            coder: "ann".into(),
            created: NOW,
        }],
    });
    f.apply(Action::MergeCodes {
        from: f.space,
        into: other,
    });
    let m = f.matrix();
    assert_eq!(m.columns, vec![f.recruitment, other]);
    let moved = m.summary(f.p2, other).to_string();
    assert!(moved.contains(&quote_token(survivor)), "{moved}");
    assert!(!moved.contains(&quote_token(rooms)));
    assert!(broken_references(&f.project, &moved).is_empty());
    assert_eq!(
        m.case_summaries[&f.p2],
        format!("See {}", quote_token(survivor))
    );

    // Moving a code elsewhere in the tree keeps its codings and the references.
    f.apply(Action::MoveCode {
        id: f.recruitment,
        parent: None,
        before: None,
    });
    assert!(broken_references(&f.project, &moved).is_empty());
    let view = build_view(&f.project, &f.matrix());
    assert_eq!(view.columns[0].path, "Recruitment");
    assert!(view.cells.iter().flatten().all(|c| c.broken == 0));

    // Removing a coding breaks the reference: shown, not dropped.
    f.apply(Action::RemoveCodings { ids: vec![rota] });
    assert_eq!(broken_references(&f.project, &moved), vec![rota]);
    let m = f.matrix();
    assert!(m.summary(f.p2, other).contains(&quote_token(rota)));
    let view = build_view(&f.project, &m);
    let r = view.rows.iter().position(|r| r.case == f.p2).unwrap();
    assert_eq!(view.cells[r][1].broken, 1);
    let csv = export_csv(&f.project, &m);
    assert!(csv.contains(BROKEN_QUOTE), "{csv}");
    let html = export_html(&f.project, &m);
    assert!(html.contains("class=\"broken\""));
}

#[test]
fn deleting_a_code_removes_its_column_and_its_references_break() {
    let mut f = fixture();
    let rooms = f.coding("Rooms again", f.space);
    f.summarise(f.p2, f.recruitment, &format!("cf. {}", quote_token(rooms)));
    f.apply(Action::DeleteCode { id: f.space });
    let m = f.matrix();
    assert_eq!(m.columns, vec![f.recruitment]);
    assert_eq!(
        broken_references(&f.project, m.summary(f.p2, f.recruitment)),
        vec![rooms]
    );
}

#[test]
fn seeding_fills_only_cells_with_data_and_no_summary() {
    let mut f = fixture();
    f.summarise(f.p1, f.recruitment, "Already written.");
    let seeds = seed_with_quotes(&f.project, &f.matrix(), 12);
    let view = build_view(&f.project, &f.matrix());
    let waiting = view
        .cells
        .iter()
        .flatten()
        .filter(|c| c.state == CellState::DataNoSummary)
        .count();
    assert_eq!(seeds.len(), waiting);
    assert!(!seeds
        .iter()
        .any(|(case, code, _)| *case == f.p1 && *code == f.recruitment));
    let (_, _, p2_space) = seeds
        .iter()
        .find(|(case, code, _)| *case == f.p2 && *code == f.space)
        .unwrap();
    let rooms = f.coding("Rooms again", f.space);
    assert_eq!(*p2_space, format!("“Rooms again” {}", quote_token(rooms)));
    // Longer segments are shortened; every line keeps its reference, in document order.
    let (_, _, x_rec) = seeds
        .iter()
        .find(|(case, code, _)| *case == f.site_x && *code == f.recruitment)
        .unwrap();
    let lines: Vec<&str> = x_rec.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(
        lines[2].starts_with("“Hiring took…” [[quote:"),
        "{}",
        lines[2]
    );
    let quoted: Vec<CodingId> = summary_parts(x_rec)
        .into_iter()
        .filter_map(|p| match p {
            SummaryPart::Quote(id) => Some(id),
            SummaryPart::Text(_) => None,
        })
        .collect();
    let expected: Vec<CodingId> = cell_segments(&f.project, &f.matrix(), f.site_x, f.recruitment)
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(quoted, expected);
    // Applied, the seeded cells are summarised and nothing is left to seed.
    f.apply(Action::SetCellSummaries {
        matrix: f.matrix,
        summaries: seeds,
    });
    let view = build_view(&f.project, &f.matrix());
    assert!(view
        .cells
        .iter()
        .flatten()
        .all(|c| c.state != CellState::DataNoSummary));
    assert!(seed_with_quotes(&f.project, &f.matrix(), 12).is_empty());
}

fn charted() -> Fixture {
    let mut f = fixture();
    let rooms = f.coding("Rooms again", f.space);
    let stalled = f.coding("Recruitment stalled", f.recruitment);
    f.summarise(
        f.site_x,
        f.recruitment,
        &format!("Stalled, \"again\": {}", quote_token(stalled)),
    );
    f.summarise(f.p2, f.space, &format!("No rooms {}", quote_token(rooms)));
    f.summarise(f.q1, f.recruitment, "Long list,\nmany posts");
    f.apply(Action::SetCaseSummary {
        matrix: f.matrix,
        case: f.site_x,
        summary: "Space & staff <both> short".into(),
    });
    f
}

#[test]
fn csv_export() {
    let f = charted();
    expect![[r#"
        Case,rurality,deprivation decile,role,Recruitment,Space,Case summary
        Site X,rural,3,,"Stalled, ""again"": “Recruitment stalled” (Notes Site X)","[3 coded segments, no summary]",Space & staff <both> short
        P1,,,staff,"[2 coded segments, no summary]","[1 coded segment, no summary]",
        P2,,,manager,"[2 coded segments, no summary]",No rooms “Rooms again” (Interview P2),
        Site Y,urban,8,,"[1 coded segment, no summary]",,
        Q1,,,staff,"Long list,
        many posts",,
        Loose,,,,,,
    "#]]
    .assert_eq(&export_csv(&f.project, &f.matrix()).replace("\r\n", "\n"));
    assert!(export_csv(&f.project, &f.matrix()).ends_with("\r\n"));
}

#[test]
fn html_export_is_a_printable_escaped_document() {
    let f = charted();
    let html = export_html(&f.project, &f.matrix());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@page") && html.contains("@media print"));
    for banned in ["<script", "http:", "https:", "<link", "@import", "url("] {
        assert!(!html.contains(banned), "{banned}");
    }
    let body = &html[html.find("<body>").unwrap()..];
    expect![[r#"
        <body>
        <h1>Workforce</h1>
        <p class="meta">Charting test · 6 cases × 2 codes</p>
        <table>
        <thead>
        <tr><th scope="col">Case</th><th scope="col" style="border-top-color: #56b4e9">Recruitment<span class="path">Workforce &gt; Recruitment</span></th><th scope="col" style="border-top-color: #f0e442">Space<span class="path">Workforce &gt; Space</span></th><th scope="col">Case summary</th></tr>
        </thead>
        <tbody>
        <tr><th scope="row">Site X</th><td class="summarised"><div class="summary">Stalled, &quot;again&quot;: <q>Recruitment stalled</q> <cite>(Notes Site X)</cite></div><span class="count">5 segments</span></td><td class="data-no-summary"><span class="count">3 segments</span></td><td><div class="summary">Space &amp; staff &lt;both&gt; short</div></td></tr>
        <tr><th scope="row" class="depth-1">P1</th><td class="data-no-summary"><span class="count">2 segments</span></td><td class="data-no-summary"><span class="count">1 segment</span></td><td></td></tr>
        <tr><th scope="row" class="depth-1">P2</th><td class="data-no-summary"><span class="count">2 segments</span></td><td class="summarised"><div class="summary">No rooms <q>Rooms again</q> <cite>(Interview P2)</cite></div><span class="count">1 segment</span></td><td></td></tr>
        <tr><th scope="row">Site Y</th><td class="data-no-summary"><span class="count">1 segment</span></td><td class="empty"><span class="count">no segments</span></td><td></td></tr>
        <tr><th scope="row" class="depth-1">Q1</th><td class="summarised"><div class="summary">Long list,
        many posts</div><span class="count">1 segment</span></td><td class="empty"><span class="count">no segments</span></td><td></td></tr>
        <tr><th scope="row">Loose</th><td class="empty"><span class="count">no segments</span></td><td class="empty"><span class="count">no segments</span></td><td></td></tr>
        </tbody>
        </table>
        <p class="legend">Shaded cells have coded segments but no summary yet; quotations are followed by their source.</p>
        </body>
        </html>
    "#]]
    .assert_eq(body);
}

#[test]
fn html_export_shows_group_headings() {
    let mut f = charted();
    f.set_rows(RowSelection::All, Some(f.rurality));
    let html = export_html(&f.project, &f.matrix());
    let headings: Vec<&str> = html
        .match_indices("scope=\"rowgroup\" colspan=\"4\">")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('<').unwrap()]
        })
        .collect();
    assert_eq!(
        headings,
        ["rurality: urban", "rurality: rural", "(no value)"]
    );
}

type Sheet = calamine::Range<Data>;

fn read_xlsx(bytes: Vec<u8>) -> (Vec<String>, Sheet, Option<Sheet>) {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names().to_vec();
    let matrix = book.worksheet_range("Matrix").unwrap();
    let quotes = book.worksheet_range("Quotes").ok();
    (names, matrix, quotes)
}

fn text(sheet: &Sheet, row: usize, column: usize) -> String {
    match sheet.get((row, column)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[test]
fn xlsx_is_read_back_with_its_values() {
    let f = charted();
    let (names, matrix, quotes) = read_xlsx(export_xlsx(&f.project, &f.matrix(), false).unwrap());
    assert_eq!(names, ["Matrix", "Counts"]);
    assert!(quotes.is_none());
    assert_eq!(matrix.height(), 7);
    let header: Vec<String> = (0..7).map(|c| text(&matrix, 0, c)).collect();
    assert_eq!(
        header,
        [
            "Case",
            "rurality",
            "deprivation decile",
            "role",
            "Recruitment",
            "Space",
            "Case summary"
        ]
    );
    assert_eq!(text(&matrix, 1, 0), "Site X");
    assert_eq!(text(&matrix, 1, 1), "rural");
    assert_eq!(matrix.get((1, 2)), Some(&Data::Float(3.0)));
    assert_eq!(
        text(&matrix, 1, 4),
        "Stalled, \"again\": “Recruitment stalled” (Notes Site X)"
    );
    assert_eq!(text(&matrix, 1, 6), "Space & staff <both> short");
    assert_eq!(text(&matrix, 5, 4), "Long list,\nmany posts");
    assert_eq!(text(&matrix, 6, 0), "Loose");
    assert_eq!(text(&matrix, 6, 4), "");
    // A cell with segments but no summary is not blank: it says how many segments it has.
    assert_eq!(text(&matrix, 2, 4), "[2 coded segments, no summary]");
}

#[test]
fn xlsx_counts_sheet_holds_every_cells_segments() {
    let f = charted();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(
        export_xlsx(&f.project, &f.matrix(), false).unwrap(),
    ))
    .unwrap();
    let counts = book.worksheet_range("Counts").unwrap();
    let view = build_view(&f.project, &f.matrix());
    assert_eq!(text(&counts, 0, 1), "Recruitment");
    for (r, row) in view.rows.iter().enumerate() {
        assert_eq!(text(&counts, r + 1, 0), row.name);
        for (c, cell) in view.cells[r].iter().enumerate() {
            assert_eq!(
                counts.get((r + 1, c + 1)),
                Some(&Data::Float(cell.segments as f64)),
                "{} × {}",
                row.name,
                view.columns[c].name
            );
        }
    }
    // Empty cells are 0, not blank; Site X has segments in both columns.
    assert_eq!(counts.get((6, 1)), Some(&Data::Float(0.0)));
    assert_eq!(counts.get((1, 2)), Some(&Data::Float(3.0)));
}

#[test]
fn xlsx_quotes_sheet_lists_segments_with_code_point_positions() {
    let f = charted();
    let (names, _, quotes) = read_xlsx(export_xlsx(&f.project, &f.matrix(), true).unwrap());
    assert_eq!(names, ["Matrix", "Counts", "Quotes"]);
    let quotes = quotes.unwrap();
    let header: Vec<String> = (0..8).map(|c| text(&quotes, 0, c)).collect();
    assert_eq!(
        header,
        [
            "Case",
            "Code",
            "Source",
            "Start",
            "End",
            "Coder",
            "Quoted text",
            "In summary"
        ]
    );
    // One row per segment of every cell: the sum of the counts.
    let view = build_view(&f.project, &f.matrix());
    let total: usize = view.cells.iter().flatten().map(|c| c.segments).sum();
    assert_eq!(quotes.height(), total + 1);
    // "rota was hard" follows "Café staff said the " (é is 2 bytes, 1 code point).
    let row = (1..quotes.height())
        .find(|r| text(&quotes, *r, 0) == "P1" && text(&quotes, *r, 6) == "rota was hard")
        .unwrap();
    assert_eq!(text(&quotes, row, 1), "Recruitment");
    assert_eq!(text(&quotes, row, 2), "Interview P1");
    let start = "Café staff said the ".chars().count() as f64;
    assert_eq!(quotes.get((row, 3)), Some(&Data::Float(start)));
    assert_eq!(quotes.get((row, 4)), Some(&Data::Float(start + 13.0)));
    assert_eq!(text(&quotes, row, 5), "ann");
    // A segment referenced in its cell's summary is marked.
    let rooms = (1..quotes.height())
        .find(|r| text(&quotes, *r, 0) == "P2" && text(&quotes, *r, 6) == "Rooms again")
        .unwrap();
    assert_eq!(text(&quotes, rooms, 7), "yes");
    assert_eq!(text(&quotes, row, 7), "");
}

#[test]
fn xlsx_cuts_overlong_cells_and_drops_control_characters() {
    let mut f = fixture();
    let long = "word ".repeat(10_000);
    f.summarise(f.p1, f.recruitment, &long);
    f.summarise(f.p2, f.recruitment, "bell\u{7}tab\there");
    let (_, matrix, _) = read_xlsx(export_xlsx(&f.project, &f.matrix(), false).unwrap());
    let cut = text(&matrix, 2, 4);
    assert_eq!(cut.encode_utf16().count(), 32_767);
    assert!(cut.ends_with("[truncated]"), "{}", &cut[cut.len() - 30..]);
    assert_eq!(text(&matrix, 3, 4), "belltab\there");
}

#[test]
fn large_matrix_builds_quickly() {
    // 100 cases (10 sites × 9 participants + ...) × 40 codes over 20,000 codings.
    let mut ids = SeqIds::new(99);
    let mut project = Project::new(ids.project_id(), "Large", NOW);
    let text: String = "Lorem ipsum dolor sit amet. ".repeat(800);
    let sources: Vec<Source> = (0..100)
        .map(|i| Source {
            imported: NOW,
            ..source(&mut ids, &format!("S{i}"), &text)
        })
        .collect();
    let source_ids: Vec<SourceId> = sources.iter().map(|s| s.id).collect();
    project = apply(&project, Action::AddSources { sources }).unwrap();
    let theme = code(&mut ids, "Theme", None, "#000000");
    let theme_id = theme.id;
    let mut codes = vec![theme];
    for i in 0..40 {
        codes.push(code(&mut ids, &format!("C{i}"), Some(theme_id), "#123456"));
    }
    let code_ids: Vec<CodeId> = codes.iter().skip(1).map(|c| c.id).collect();
    project = apply(&project, Action::ImportCodes { codes }).unwrap();
    let mut codings = Vec::with_capacity(20_000);
    for i in 0..20_000usize {
        let start = (i * 7) % 20_000;
        codings.push(Coding {
            id: ids.coding_id(),
            source: source_ids[i % 100],
            span: Span::new(start, start + 5),
            code: code_ids[(i / 100) % 40],
            coder: "c".into(),
            created: NOW,
        });
    }
    project = apply(&project, Action::AddCodings { codings }).unwrap();
    assert_eq!(project.coding_count(), 20_000);
    // 10 sites with 9 participants each: 100 cases, one source each.
    let mut cases = Vec::new();
    for s in 0..10 {
        let site = case(
            &mut ids,
            &format!("Site {s}"),
            None,
            vec![source_ids[90 + s]],
        );
        let site_id = site.id;
        cases.push(site);
        for p in 0..9 {
            cases.push(case(
                &mut ids,
                &format!("P{s}{p}"),
                Some(site_id),
                vec![source_ids[s * 9 + p]],
            ));
        }
    }
    assert_eq!(cases.len(), 100);
    project = apply(&project, Action::AddCases { cases }).unwrap();
    let matrix = Matrix::new(ids.matrix_id(), "Large", code_ids.clone(), NOW);

    let started = Instant::now();
    let view = build_view(&project, &matrix);
    let elapsed = started.elapsed();
    eprintln!(
        "build_view: {} cases × {} codes over {} codings in {:.2} ms",
        view.rows.len(),
        view.columns.len(),
        project.coding_count(),
        elapsed.as_secs_f64() * 1000.0
    );
    assert_eq!(view.rows.len(), 100);
    assert_eq!(view.columns.len(), 40);
    // Every coding counts once for its case, and once more for the site above a participant.
    let total: usize = view.cells.iter().flatten().map(|c| c.segments).sum();
    assert_eq!(total, 20_000 + 18_000);
    let started = Instant::now();
    let csv = export_csv(&project, &matrix);
    let xlsx = export_xlsx(&project, &matrix, true).unwrap();
    eprintln!(
        "exports: CSV {} bytes, XLSX with quotes {} bytes in {:.2} ms",
        csv.len(),
        xlsx.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
}
