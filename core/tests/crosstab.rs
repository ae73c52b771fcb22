//! Crosstabs and co-occurrence: each counting rule (segments, sources, cases, words; children;
//! overlapping codings counted once; a coding counted once per cell when its case reaches it
//! twice; speaker-linked cases; coders; excluded speakers; totals, percentages, subtotals),
//! attribute-value columns, cells agreeing with the framework matrix, co-occurrence by overlap,
//! paragraph and turn with the passages where two codes meet, and the time for 100 cases × 60
//! codes over 20,000 codings.
#![allow(clippy::unwrap_used)]

mod common;

use common::{case, code, source, NOW};
use framewise_core::crosstab::{
    cell_codings, cooccurrence, crosstab, format_percent, meetings, Columns, Count, Crosstab,
    Percent, Proximity, Spec,
};
use framewise_core::*;
use std::collections::BTreeSet;
use std::time::Instant;

const S1: &str = "Alpha beta gamma.\nDelta epsilon zeta.\nEta theta iota.";
const S2: &str = "Ann: we need rooms now.\nBob: rooms are full.\n";

/// Codes Theme > Child, Other; cases Site > {P1 (S1, which Site also holds), P2 (Bob's turns of
/// S2)}; attribute role: P1 nurse, P2 gp, Site none.
struct Fixture {
    project: Project,
    theme: CodeId,
    child: CodeId,
    other: CodeId,
    site: CaseId,
    p1: CaseId,
    p2: CaseId,
    role: AttributeId,
}

fn at(text: &str, needle: &str) -> (usize, usize) {
    let start = text.find(needle).unwrap();
    (start, start + needle.len())
}

fn fixture() -> Fixture {
    let mut ids = SeqIds::new(5);
    let mut project = Project::new(ids.project_id(), "Crosstab", NOW);
    let s1 = source(&mut ids, "S1", S1);
    let mut s2 = source(&mut ids, "S2", S2);
    let (ann_start, ann_end) = at(S2, "we need rooms now.");
    let (bob_start, bob_end) = at(S2, "rooms are full.");
    s2.turns = vec![
        Turn {
            speaker: Some("Ann".into()),
            span: Span::new(ann_start, ann_end),
            start_ms: None,
            end_ms: None,
        },
        Turn {
            speaker: Some("Bob".into()),
            span: Span::new(bob_start, bob_end),
            start_ms: None,
            end_ms: None,
        },
    ];
    let (s1, s2) = (s1, s2);
    let (id1, id2) = (s1.id, s2.id);
    project = apply(
        &project,
        Action::AddSources {
            sources: vec![s1, s2],
        },
    )
    .unwrap();
    let theme = code(&mut ids, "Theme", None);
    let child = code(&mut ids, "Child", Some(theme.id));
    let other = code(&mut ids, "Other", None);
    let (t, c, o) = (theme.id, child.id, other.id);
    project = apply(
        &project,
        Action::ImportCodes {
            codes: vec![theme, child, other],
        },
    )
    .unwrap();
    let mut codings = Vec::new();
    for (source, text, needle, code, coder) in [
        (id1, S1, "Alpha beta", t, "ann"),
        (id1, S1, "beta gamma", t, "ann"),
        (id1, S1, "Delta epsilon", c, "bob"),
        (id1, S1, "epsilon zeta", o, "ann"),
        (id2, S2, "need rooms", t, "ann"),
        (id2, S2, "rooms are full", o, "ann"),
        (id2, S2, "full", c, "bob"),
    ] {
        let (start, end) = at(text, needle);
        codings.push(Coding {
            coder: coder.into(),
            ..common::coding(&mut ids, source, code, start, end)
        });
    }
    // Set directly, as a project saved before overlapping codings of one code were merged
    // (`apply` would merge "Alpha beta" and "beta gamma"), so the counting rules see overlaps.
    for source in [id1, id2] {
        let mut list: Vec<Coding> = codings
            .iter()
            .filter(|c| c.source == source)
            .cloned()
            .collect();
        list.sort_by_key(|c| (c.span.start, c.span.end, c.id));
        project.codings.insert(source, std::sync::Arc::new(list));
    }
    let site = case(&mut ids, "Site", None, vec![id1]);
    let p1 = case(&mut ids, "P1", Some(site.id), vec![id1]);
    let mut p2 = case(&mut ids, "P2", Some(site.id), vec![]);
    p2.speakers = vec![SpeakerLink {
        source: id2,
        speaker: "BOB".into(),
    }];
    let role = Attribute {
        id: ids.attribute_id(),
        name: "role".into(),
        kind: AttributeKind::Category(vec!["nurse".into(), "gp".into()]),
    };
    let mut p1 = p1;
    p1.values
        .insert(role.id, AttrValue::Category("nurse".into()));
    p2.values.insert(role.id, AttrValue::Category("gp".into()));
    let (site_id, p1_id, p2_id, role_id) = (site.id, p1.id, p2.id, role.id);
    project = apply(&project, Action::AddAttribute { attribute: role }).unwrap();
    project = apply(
        &project,
        Action::AddCases {
            cases: vec![site, p1, p2],
        },
    )
    .unwrap();
    Fixture {
        project,
        theme: t,
        child: c,
        other: o,
        site: site_id,
        p1: p1_id,
        p2: p2_id,
        role: role_id,
    }
}

impl Fixture {
    fn cases(&self) -> Spec {
        Spec::new(Columns::Cases(vec![self.site, self.p1, self.p2]))
    }
}

/// The table as text: header, then `label: cells | total`, then the column totals.
fn render(table: &Crosstab) -> String {
    let mut out = String::new();
    let header: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    out.push_str(&format!("{}\n", header.join(" ")));
    for ((row, cells), total) in table.rows.iter().zip(&table.cells).zip(&table.row_totals) {
        let cells: Vec<String> = cells.iter().map(u64::to_string).collect();
        out.push_str(&format!(
            "{}{}: {} | {total}\n",
            "  ".repeat(row.depth),
            row.label,
            cells.join(" ")
        ));
    }
    let totals: Vec<String> = table.column_totals.iter().map(u64::to_string).collect();
    out.push_str(&format!("Total: {} | {}\n", totals.join(" "), table.total));
    out
}

#[test]
fn segments_count_each_coding_once_per_cell_and_totals_use_the_union() {
    let f = fixture();
    let table = crosstab(&f.project, &f.cases());
    // Site reaches S1 itself and through P1, and Bob's turns through P2: each coding once.
    // Ann's turn belongs to no case, so "need rooms" is in no column.
    assert_eq!(
        render(&table),
        "Site P1 P2\n\
         Theme: 2 2 0 | 2\n  Child: 2 1 1 | 2\nOther: 2 1 1 | 2\n\
         Total: 6 4 2 | 6\n"
    );
}

#[test]
fn a_parent_row_includes_its_children_when_asked() {
    let f = fixture();
    let spec = Spec {
        include_children: true,
        ..f.cases()
    };
    let table = crosstab(&f.project, &spec);
    assert_eq!(
        render(&table),
        "Site P1 P2\n\
         Theme: 4 3 1 | 4\n  Child: 2 1 1 | 2\nOther: 2 1 1 | 2\n\
         Total: 6 4 2 | 6\n"
    );
}

#[test]
fn sources_count_sources_with_the_code() {
    let f = fixture();
    let spec = Spec {
        count: Count::Sources,
        include_children: true,
        ..f.cases()
    };
    let table = crosstab(&f.project, &spec);
    assert_eq!(
        render(&table),
        "Site P1 P2\n\
         Theme: 2 1 1 | 2\n  Child: 2 1 1 | 2\nOther: 2 1 1 | 2\n\
         Total: 2 1 1 | 2\n"
    );
}

#[test]
fn words_count_overlapping_codings_once() {
    let f = fixture();
    let table = crosstab(
        &f.project,
        &Spec {
            count: Count::Words,
            ..f.cases()
        },
    );
    // "Alpha beta" and "beta gamma" overlap: "Alpha beta gamma" is 3 words, not 4.
    assert_eq!(table.cells[0], [3, 3, 0]);
    // Child: "Delta epsilon" (2) in S1, "full" (1) in Bob's turn.
    assert_eq!(table.cells[1], [3, 2, 1]);
    // Theme with Child: S1 {Alpha beta gamma} + {Delta epsilon} = 5, S2 "full" = 1.
    let with_children = crosstab(
        &f.project,
        &Spec {
            count: Count::Words,
            include_children: true,
            ..f.cases()
        },
    );
    assert_eq!(with_children.cells[0], [6, 5, 1]);
    // Site's total: every code's union: S1 "Alpha beta gamma", "Delta epsilon zeta" (6 words);
    // Bob's "rooms are full" (3).
    assert_eq!(with_children.column_totals[0], 9);
}

#[test]
fn attribute_values_are_columns_and_cases_are_counted() {
    let f = fixture();
    let spec = Spec {
        count: Count::Cases,
        ..Spec::new(Columns::Attribute(f.role))
    };
    let table = crosstab(&f.project, &spec);
    // Categories in their order, then the cases without a value (Site, with its sub-cases).
    assert_eq!(
        render(&table),
        "nurse gp (no value)\n\
         Theme: 1 0 1 | 2\n  Child: 1 1 1 | 3\nOther: 1 1 1 | 3\n\
         Total: 1 1 1 | 3\n"
    );
    let segments = crosstab(&f.project, &Spec::new(Columns::Attribute(f.role)));
    assert_eq!(
        render(&segments),
        "nurse gp (no value)\n\
         Theme: 2 0 2 | 2\n  Child: 1 1 2 | 2\nOther: 1 1 2 | 2\n\
         Total: 4 2 6 | 6\n"
    );
    // Without sub-cases, Site is only its own source.
    let own = crosstab(
        &f.project,
        &Spec {
            include_subcases: false,
            ..Spec::new(Columns::Attribute(f.role))
        },
    );
    assert_eq!(own.column_totals, [4, 2, 4]);
}

#[test]
fn coders_and_excluded_speakers_filter_codings() {
    let f = fixture();
    let bob = crosstab(
        &f.project,
        &Spec {
            coders: Some(BTreeSet::from(["bob".to_string()])),
            ..f.cases()
        },
    );
    assert_eq!(bob.cells, [[0, 0, 0], [2, 1, 1], [0, 0, 0]]);
    let nobody = crosstab(
        &f.project,
        &Spec {
            coders: Some(BTreeSet::new()),
            ..f.cases()
        },
    );
    assert_eq!(nobody.total, 0);
    let without_bob = crosstab(
        &f.project,
        &Spec {
            exclude_speakers: BTreeSet::from(["bob".to_string()]),
            ..f.cases()
        },
    );
    assert_eq!(without_bob.column_totals, [4, 4, 0]);
}

#[test]
fn percentages_and_subtotals() {
    let f = fixture();
    let spec = Spec {
        subtotals: true,
        ..f.cases()
    };
    let table = crosstab(&f.project, &spec);
    assert_eq!(
        render(&table),
        "Site P1 P2\n\
         Theme: 2 2 0 | 2\n  Child: 2 1 1 | 2\nSubtotal: Theme: 4 3 1 | 4\nOther: 2 1 1 | 2\n\
         Total: 6 4 2 | 6\n"
    );
    assert!(table.rows[2].subtotal);
    let child_p2 = table.cells[1][2];
    assert_eq!(
        table.percent(child_p2, Some(1), Some(2), Percent::Row),
        Some(50.0)
    );
    assert_eq!(
        table.percent(child_p2, Some(1), Some(2), Percent::Column),
        Some(50.0)
    );
    let pct = table
        .percent(child_p2, Some(1), Some(2), Percent::Total)
        .unwrap();
    assert_eq!(format_percent(pct), "16.7%");
    assert_eq!(
        table.percent(child_p2, Some(1), Some(2), Percent::None),
        None
    );
    assert_eq!(format_percent(100.0), "100%");
    // A column with nothing has no column percentage.
    let empty = crosstab(
        &f.project,
        &Spec {
            coders: Some(BTreeSet::new()),
            ..f.cases()
        },
    );
    assert_eq!(empty.percent(0, Some(0), Some(0), Percent::Column), None);
}

#[test]
fn cells_hold_the_matrix_cells_segments() {
    let f = fixture();
    let mut matrix = Matrix::new(
        MatrixId::from_random_bytes([7; 16]),
        "M",
        vec![f.theme, f.child, f.other],
        NOW,
    );
    matrix.include_child_codes = false;
    let spec = f.cases();
    let table = crosstab(&f.project, &spec);
    for (c, case) in [f.site, f.p1, f.p2].into_iter().enumerate() {
        for (r, code) in [f.theme, f.child, f.other].into_iter().enumerate() {
            let ours = cell_codings(&f.project, &spec, r, Some(c)).unwrap();
            let theirs = framewise_core::matrix::cell_segments(&f.project, &matrix, case, code);
            assert_eq!(ours, theirs, "row {r} column {c}");
            assert_eq!(ours.len() as u64, table.cells[r][c]);
        }
    }
    // The totals column: every column's codings once.
    let all = cell_codings(&f.project, &spec, 0, None).unwrap();
    assert_eq!(all.len() as u64, table.row_totals[0]);
    assert!(cell_codings(&f.project, &spec, 9, None).is_none());
    assert!(cell_codings(&f.project, &spec, 0, Some(9)).is_none());
    // The public "codings under a case" agrees.
    let site = framewise_core::matrix::case_codings(&f.project, f.site, true);
    assert_eq!(site.len() as u64, table.column_totals[0]);
}

#[test]
fn co_occurrence_by_overlap_paragraph_and_turn() {
    let f = fixture();
    let codes = [f.theme, f.child, f.other];
    let overlap = cooccurrence(&f.project, &codes, Proximity::Overlap, None);
    // Child meets Other twice ("Delta epsilon" × "epsilon zeta", "full" × "rooms are full");
    // Theme's two overlapping codings are of one code. The diagonal counts codings.
    assert_eq!(overlap.cells, [[3, 0, 0], [0, 2, 2], [0, 2, 2]]);
    let paragraph = cooccurrence(&f.project, &codes, Proximity::Paragraph, None);
    assert_eq!(paragraph.cells, [[2, 0, 0], [0, 2, 2], [0, 2, 2]]);
    // S1 has no turns; in S2 Ann's turn has Theme, Bob's Child and Other.
    let turn = cooccurrence(&f.project, &codes, Proximity::Turn, None);
    assert_eq!(turn.cells, [[1, 0, 0], [0, 1, 1], [0, 1, 1]]);
    let bob = BTreeSet::from(["bob".to_string()]);
    let only_bob = cooccurrence(&f.project, &codes, Proximity::Overlap, Some(&bob));
    assert_eq!(only_bob.cells[1][2], 0);

    let met = meetings(&f.project, f.child, f.other, Proximity::Overlap, None);
    assert_eq!(met.len() as u64, overlap.cells[1][2]);
    let text = |m: &framewise_core::crosstab::Meeting| {
        let source = f.project.source(m.source).unwrap();
        source.text[m.span.start..m.span.end].to_string()
    };
    assert_eq!(text(&met[0]), "Delta epsilon zeta");
    assert_eq!(text(&met[1]), "rooms are full");
    let met = meetings(&f.project, f.child, f.other, Proximity::Paragraph, None);
    assert_eq!(
        met.iter().map(text).collect::<Vec<_>>(),
        ["Delta epsilon zeta.", "Bob: rooms are full."]
    );
    let met = meetings(&f.project, f.other, f.child, Proximity::Turn, None);
    assert_eq!(
        met.iter().map(text).collect::<Vec<_>>(),
        ["rooms are full."]
    );
    assert_eq!(met[0].codings.len(), 2);
    assert!(meetings(&f.project, f.theme, f.other, Proximity::Overlap, None).is_empty());
}

#[test]
fn large_crosstab_computes_quickly() {
    // 100 cases (10 sites × 9 participants + 10 sites' own notes) × 60 codes, 20,000 codings.
    let mut ids = SeqIds::new(99);
    let mut project = Project::new(ids.project_id(), "Large", NOW);
    let text: String = "Lorem ipsum dolor sit amet.\n".repeat(800);
    let sources: Vec<Source> = (0..100)
        .map(|i| source(&mut ids, &format!("S{i}"), &text))
        .collect();
    let source_ids: Vec<SourceId> = sources.iter().map(|s| s.id).collect();
    project = apply(&project, Action::AddSources { sources }).unwrap();
    let mut codes = Vec::new();
    for t in 0..6 {
        let theme = code(&mut ids, &format!("T{t}"), None);
        let theme_id = theme.id;
        codes.push(theme);
        for i in 0..9 {
            codes.push(code(&mut ids, &format!("C{t}{i}"), Some(theme_id)));
        }
    }
    let code_ids: Vec<CodeId> = codes.iter().map(|c| c.id).collect();
    project = apply(&project, Action::ImportCodes { codes }).unwrap();
    let codings: Vec<Coding> = (0..20_000usize)
        .map(|i| {
            let start = (i * 7) % 20_000;
            common::coding(
                &mut ids,
                source_ids[i % 100],
                code_ids[(i / 100) % 60],
                start,
                start + 12,
            )
        })
        .collect();
    project = apply(&project, Action::AddCodings { codings }).unwrap();
    let role = Attribute {
        id: ids.attribute_id(),
        name: "role".into(),
        kind: AttributeKind::Text,
    };
    let role_id = role.id;
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
            let mut c = case(
                &mut ids,
                &format!("P{s}{p}"),
                Some(site_id),
                vec![source_ids[s * 9 + p]],
            );
            c.values
                .insert(role_id, AttrValue::Text(format!("role {}", p % 3)));
            cases.push(c);
        }
    }
    let case_ids: Vec<CaseId> = cases.iter().map(|c| c.id).collect();
    project = apply(&project, Action::AddAttribute { attribute: role }).unwrap();
    project = apply(&project, Action::AddCases { cases }).unwrap();
    let limit = if cfg!(debug_assertions) {
        2000.0
    } else {
        100.0
    };
    for count in Count::ALL {
        let spec = Spec {
            count,
            include_children: true,
            subtotals: true,
            ..Spec::new(Columns::Cases(case_ids.clone()))
        };
        let started = Instant::now();
        let table = crosstab(&project, &spec);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        eprintln!(
            "crosstab {count:?}: {} × {} in {ms:.2} ms",
            table.rows.len(),
            table.columns.len()
        );
        assert_eq!(table.columns.len(), 100);
        assert_eq!(table.rows.len(), 66);
        assert!(ms < limit, "{count:?} took {ms:.1} ms");
        if count == Count::Segments {
            // Each coding once in its own case and once more in its site (participants' codings).
            let leaf_rows: u64 = table
                .rows
                .iter()
                .zip(&table.cells)
                .filter(|(r, _)| r.depth == 1)
                .map(|(_, cells)| cells.iter().sum::<u64>())
                .sum();
            assert_eq!(leaf_rows, (20_000 + 18_000) * 54 / 60);
            assert_eq!(table.total, 20_000);
        }
    }
    let started = Instant::now();
    let by_role = crosstab(&project, &Spec::new(Columns::Attribute(role_id)));
    assert_eq!(by_role.columns.len(), 4);
    let met = cooccurrence(&project, &code_ids, Proximity::Overlap, None);
    let para = cooccurrence(&project, &code_ids, Proximity::Paragraph, None);
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!("by attribute + co-occurrence (overlap, paragraph) in {ms:.2} ms");
    assert!(ms < limit * 2.0);
    assert!(met.cells.iter().flatten().sum::<u64>() > 0);
    assert!(para.cells.iter().flatten().sum::<u64>() > 0);
}

#[test]
fn tables_export_as_csv_and_xlsx() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use framewise_core::crosstab::{cooccurrence_table, crosstab_table};
    let f = fixture();
    let spec = Spec {
        subtotals: true,
        ..f.cases()
    };
    let table = crosstab(&f.project, &spec);
    let counts = crosstab_table(&f.project, &table, Count::Segments, Percent::None);
    assert_eq!(
        counts.to_csv().replace("\r\n", "\n"),
        "Code (coded segments),Site,P1,P2,Total\n\
         Theme,2,2,0,2\n\
         Theme > Child,2,1,1,2\n\
         Subtotal: Theme,4,3,1,4\n\
         Other,2,1,1,2\n\
         Total,6,4,2,6\n"
    );
    let row = crosstab_table(&f.project, &table, Count::Segments, Percent::Column);
    let csv = row.to_csv();
    assert!(
        csv.starts_with("Code (coded segments),Site,Site %,P1,P1 %,P2,P2 %,Total,Total %\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\r\nTheme > Child,2,33.3,1,25,1,50,2,33.3\r\n"),
        "{csv}"
    );
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(row.to_xlsx().unwrap())).unwrap();
    assert_eq!(book.sheet_names(), ["Crosstab"]);
    let sheet = book.worksheet_range("Crosstab").unwrap();
    assert_eq!(
        sheet.get((0, 0)),
        Some(&Data::String("Code (coded segments)".into()))
    );
    assert_eq!(sheet.get((2, 1)), Some(&Data::Float(2.0)));
    assert_eq!(sheet.get((2, 2)), Some(&Data::Float(33.3)));
    assert_eq!(sheet.height(), 6);

    let co = cooccurrence(
        &f.project,
        &[f.theme, f.child, f.other],
        Proximity::Overlap,
        None,
    );
    assert_eq!(
        cooccurrence_table(&f.project, &co, Proximity::Overlap)
            .to_csv()
            .replace("\r\n", "\n"),
        "Code (overlapping segments),Theme,Theme > Child,Other\n\
         Theme,3,0,0\n\
         Theme > Child,0,2,2\n\
         Other,0,2,2\n"
    );
}
