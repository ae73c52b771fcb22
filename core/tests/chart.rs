//! Charts: the counts of each kind on a hand-made project (frequencies, codes by attribute value
//! grouped and stacked, a document portrait in characters, the treemap's totals with the codes
//! below), the table and CSV agreeing with the bars drawn, hostile names and colours staying text,
//! long names cut with the full name in the tooltip, well-formed and deterministic SVG, and the
//! demo charted.
#![allow(clippy::unwrap_used)]

mod common;

use common::{case, code, source, NOW};
use framewise_core::chart::{chart, Chart, ChartKind, ChartSpec};
use framewise_core::*;
use std::sync::Arc;

const S1: &str = "Ça va? Élodie parle de l'accès aux salles. Les salles manquent, dit-elle.";
const S2: &str = "Ann: we need rooms now.\nBob: rooms are full and funding is short.\n";
const HOSTILE: &str = "<script>alert(\"x\")</script> & 'q'";
const LONG: &str = "Relationships between practices and the primary care network board";

struct Fixture {
    project: Project,
    s1: SourceId,
    role: AttributeId,
}

fn at(text: &str, needle: &str) -> (usize, usize) {
    let start = text.find(needle).unwrap();
    (start, start + needle.len())
}

/// Codes Theme > Child, Other, the hostile one (with a hostile colour) and a long-named one;
/// cases P1 (S1, nurse) and P2 (S2, gp).
fn fixture() -> Fixture {
    let mut ids = SeqIds::new(7);
    let mut project = Project::new(ids.project_id(), "Charts", NOW);
    let s1 = source(&mut ids, "S1 “Élodie” <b>", S1);
    let s2 = source(&mut ids, "S2", S2);
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
    let hostile = code(&mut ids, HOSTILE, None);
    let long = code(&mut ids, LONG, None);
    let (t, c, o, h, l) = (theme.id, child.id, other.id, hostile.id, long.id);
    project = apply(
        &project,
        Action::ImportCodes {
            codes: vec![theme, child, other, hostile, long],
        },
    )
    .unwrap();
    // A colour that would break out of its attribute, set directly (apply refuses it).
    if let Some(code) = project.codes.iter_mut().find(|x| x.id == h) {
        code.color = "red\" onload=\"alert(1)".into();
    }
    let mut by_source: Vec<(SourceId, Vec<Coding>)> = vec![(id1, vec![]), (id2, vec![])];
    for (source, text, needle, code) in [
        (id1, S1, "Ça va?", t),
        (id1, S1, "Élodie parle", h),
        (id1, S1, "l'accès aux salles", c),
        (id1, S1, "Les salles manquent", t),
        (id2, S2, "need rooms", c),
        (id2, S2, "rooms are full", o),
        (id2, S2, "funding is short", l),
    ] {
        let (start, end) = at(text, needle);
        let coding = common::coding(&mut ids, source, code, start, end);
        by_source
            .iter_mut()
            .find(|(s, _)| *s == source)
            .unwrap()
            .1
            .push(coding);
    }
    for (source, mut list) in by_source {
        list.sort_by_key(|c| (c.span.start, c.span.end, c.id));
        project.codings.insert(source, Arc::new(list));
    }
    let role = Attribute {
        id: ids.attribute_id(),
        name: "role “job”".into(),
        kind: AttributeKind::Category(vec!["nurse".into(), "gp".into()]),
    };
    let mut p1 = case(&mut ids, "P1", None, vec![id1]);
    p1.values
        .insert(role.id, AttrValue::Category("nurse".into()));
    let mut p2 = case(&mut ids, "P2", None, vec![id2]);
    p2.values.insert(role.id, AttrValue::Category("gp".into()));
    // A participant under P1 without a value of its own: counted under P1's value, not as
    // "(no value)" (which would count P1's segments twice).
    let p1a = case(&mut ids, "P1a", Some(p1.id), vec![id1]);
    project.attributes.push(role.clone());
    project.cases = vec![p1, p2, p1a];
    Fixture {
        project,
        s1: id1,
        role: role.id,
    }
}

fn draw(project: &Project, spec: ChartSpec) -> Chart {
    let drawn = chart(project, &spec).unwrap();
    assert_well_formed(&drawn.svg);
    // The same chart twice: the same bytes.
    assert_eq!(chart(project, &spec).unwrap(), drawn);
    drawn
}

/// Every start tag closed in order, every reference known: the SVG is well-formed XML.
fn assert_well_formed(svg: &str) {
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.decode().unwrap();
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML ({e}): {svg}"),
        }
    }
    assert_eq!(depth, 0, "{svg}");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(r#"role="img" aria-labelledby="chart-title chart-desc""#));
}

/// The `data-value`s of the shapes of `class` in drawing order.
fn values(svg: &str, class: &str) -> Vec<u64> {
    svg.split(&format!(r#"class="{class}" data-value=""#))
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// The chart's data read back from its CSV (RFC 4180 as core writes it): header, then rows.
fn data(chart: &Chart) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = chart.csv.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    // The HTML table holds the same rows: a header row and one row per line.
    assert_eq!(
        chart.table.matches("<tr>").count(),
        rows.len(),
        "{}",
        chart.table
    );
    rows
}

fn header(chart: &Chart) -> Vec<String> {
    data(chart).into_iter().next().unwrap()
}

fn rows(chart: &Chart) -> Vec<Vec<String>> {
    data(chart).into_iter().skip(1).collect()
}

#[test]
fn frequencies_count_coded_segments_most_frequent_first() {
    let f = fixture();
    let all = draw(&f.project, ChartSpec::default());
    assert_eq!(
        rows(&all),
        [
            vec!["Theme", "2"],
            vec!["Theme > Child", "2"],
            vec!["Other", "1"],
            vec![HOSTILE, "1"],
            vec![LONG, "1"],
        ]
    );
    assert_eq!(values(&all.svg, "bar"), [2, 2, 1, 1, 1]);
    assert_eq!(header(&all), ["Code", "Coded segments"]);
    assert!(all
        .csv
        .starts_with("Code,Coded segments\r\nTheme,2\r\nTheme > Child,2\r\n"));
    assert!(all
        .csv
        .contains("\"<script>alert(\"\"x\"\")</script> & 'q'\",1\r\n"));
    assert!(all.svg.contains("of 5 codes"), "{}", all.svg);

    let top = draw(
        &f.project,
        ChartSpec {
            top: Some(3),
            ..ChartSpec::default()
        },
    );
    assert_eq!(values(&top.svg, "bar"), [2, 2, 1]);
    assert_eq!(rows(&top).len(), 3);

    let chosen = f
        .project
        .codes
        .iter()
        .filter(|c| c.name == "Other" || c.name == "Child")
        .map(|c| c.id)
        .collect();
    let some = draw(
        &f.project,
        ChartSpec {
            codes: Some(chosen),
            ..ChartSpec::default()
        },
    );
    assert_eq!(
        rows(&some),
        [vec!["Theme > Child", "2"], vec!["Other", "1"]]
    );
}

#[test]
fn codes_by_attribute_value_grouped_and_stacked() {
    let f = fixture();
    let spec = ChartSpec {
        kind: ChartKind::ByAttribute,
        attribute: Some(f.role),
        ..ChartSpec::default()
    };
    let grouped = draw(&f.project, spec.clone());
    assert_eq!(header(&grouped), ["Code", "nurse", "gp"]);
    assert_eq!(
        rows(&grouped),
        [
            vec!["Theme", "2", "0"],
            vec!["Theme > Child", "1", "1"],
            vec!["Other", "0", "1"],
            vec![HOSTILE, "1", "0"],
            vec![LONG, "0", "1"],
        ]
    );
    assert_eq!(values(&grouped.svg, "bar"), [2, 0, 1, 1, 0, 1, 1, 0, 0, 1]);
    assert!(grouped
        .svg
        .contains("<title id=\"chart-title\">Codes by role “job”</title>"));
    assert!(grouped
        .table
        .contains("<caption>Data of the chart “Codes by role “job””</caption>"));
    let stacked = draw(
        &f.project,
        ChartSpec {
            stacked: true,
            ..spec.clone()
        },
    );
    assert_eq!(stacked.csv, grouped.csv);
    assert_eq!(values(&stacked.svg, "bar"), values(&grouped.svg, "bar"));
    assert_ne!(stacked.svg, grouped.svg);
    assert!(stacked
        .svg
        .contains("<desc id=\"chart-desc\">Stacked bar chart"));
    // The legend names each value.
    assert!(grouped.svg.contains(">nurse</text>") && grouped.svg.contains(">gp</text>"));

    // A case of its own without a value is a "(no value)" column.
    let mut project = f.project.clone();
    let mut ids = SeqIds::new(900);
    let s2 = project.sources[1].id;
    project.cases.push(case(&mut ids, "P3", None, vec![s2]));
    let with_none = draw(&project, spec.clone());
    assert_eq!(header(&with_none), ["Code", "nurse", "gp", "(no value)"]);
    assert_eq!(rows(&with_none)[2], ["Other", "0", "1", "1"]);

    let err = chart(
        &f.project,
        &ChartSpec {
            attribute: None,
            ..spec
        },
    )
    .unwrap_err();
    assert!(err.contains("Choose an attribute"), "{err}");
}

#[test]
fn a_portrait_places_each_coding_along_the_text_in_characters() {
    let f = fixture();
    let portrait = draw(
        &f.project,
        ChartSpec {
            kind: ChartKind::Portrait,
            source: Some(f.s1),
            ..ChartSpec::default()
        },
    );
    let chars = S1.chars().count() as f64;
    let pc = |needle: &str| {
        let (start, end) = at(S1, needle);
        (
            format!("{:.1}", S1[..start].chars().count() as f64 * 100.0 / chars),
            format!("{:.1}", S1[..end].chars().count() as f64 * 100.0 / chars),
        )
    };
    // Lanes in codebook order (Theme, Child, the hostile code), codings in text order.
    let expected: Vec<Vec<String>> = [
        ("Theme", "Ça va?"),
        ("Theme", "Les salles manquent"),
        ("Theme > Child", "l'accès aux salles"),
        (HOSTILE, "Élodie parle"),
    ]
    .into_iter()
    .map(|(code, needle)| {
        let (from, to) = pc(needle);
        vec![code.to_string(), from, to]
    })
    .collect();
    assert_eq!(rows(&portrait), expected);
    assert_eq!(portrait.svg.matches(r#"class="mark""#).count(), 4);
    assert!(portrait
        .svg
        .contains("<title id=\"chart-title\">Document portrait: S1 “Élodie” &lt;b&gt;</title>"));
    assert!(!portrait.svg.contains("<b>") && !portrait.table.contains("<b>"));

    let none = chart(
        &f.project,
        &ChartSpec {
            kind: ChartKind::Portrait,
            ..ChartSpec::default()
        },
    )
    .unwrap_err();
    assert!(none.contains("Choose a source"), "{none}");
}

#[test]
fn the_treemap_sizes_codes_with_the_codes_below_them() {
    let f = fixture();
    let tree = draw(
        &f.project,
        ChartSpec {
            kind: ChartKind::Hierarchy,
            ..ChartSpec::default()
        },
    );
    assert_eq!(
        header(&tree),
        ["Code", "Coded segments", "With codes below"]
    );
    assert_eq!(
        rows(&tree),
        [
            vec!["Theme", "2", "4"],
            vec!["Theme > Child", "2", "2"],
            vec!["Other", "1", "1"],
            vec![HOSTILE, "1", "1"],
            vec![LONG, "1", "1"],
        ]
    );
    // Largest first: Theme (4) holding Child (2) and its own 2, then the three of 1.
    assert_eq!(values(&tree.svg, "tile"), [4, 2, 1, 1, 1]);
    assert_eq!(values(&tree.svg, "tile own"), [2]);
    assert!(tree.svg.contains("(coded directly)"));
}

#[test]
fn hostile_names_and_colours_stay_text() {
    let f = fixture();
    for spec in [
        ChartSpec::default(),
        ChartSpec {
            kind: ChartKind::ByAttribute,
            attribute: Some(f.role),
            ..ChartSpec::default()
        },
        ChartSpec {
            kind: ChartKind::Portrait,
            source: Some(f.s1),
            ..ChartSpec::default()
        },
        ChartSpec {
            kind: ChartKind::Hierarchy,
            ..ChartSpec::default()
        },
    ] {
        let drawn = draw(&f.project, spec);
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;";
        for markup in [&drawn.svg, &drawn.table] {
            assert!(!markup.contains("<script"), "{markup}");
            assert!(!markup.contains("onload"), "{markup}");
            assert!(markup.contains(escaped), "{markup}");
        }
        // The CSV keeps the name as it is (quoted).
        assert!(rows(&drawn).iter().any(|r| r[0] == HOSTILE));
    }
}

#[test]
fn long_names_are_cut_with_the_full_name_in_the_tooltip() {
    let f = fixture();
    let svg = draw(&f.project, ChartSpec::default()).svg;
    assert!(svg.contains(&format!("<title>{LONG}: 1 coded segment</title>")));
    let cut: String = LONG.chars().take(27).collect();
    assert!(
        svg.contains(&format!(">{}…</text>", cut.trim_end())),
        "{svg}"
    );
    assert!(!svg.contains(&format!(">{LONG}</text>")));
}

#[test]
fn nothing_to_chart_is_a_sentence() {
    let empty = Project::new(SeqIds::new(1).project_id(), "Empty", NOW);
    let err = chart(&empty, &ChartSpec::default()).unwrap_err();
    assert!(err.contains("no codes"), "{err}");
    let mut ids = SeqIds::new(3);
    let uncoded = apply(
        &empty,
        Action::CreateCode {
            code: code(&mut ids, "Alone", None),
        },
    )
    .unwrap();
    let err = chart(
        &uncoded,
        &ChartSpec {
            kind: ChartKind::Hierarchy,
            ..ChartSpec::default()
        },
    )
    .unwrap_err();
    assert!(err.contains("No code has coded segments"), "{err}");
    // Frequencies of uncoded codes are bars of zero, not an error.
    let zero = chart(&uncoded, &ChartSpec::default()).unwrap();
    assert_eq!(rows(&zero), [vec!["Alone".to_string(), "0".to_string()]]);
}

#[test]
fn the_demo_charts_every_kind() {
    let demo = demo::demo_project(&mut SeqIds::new(1), NOW);
    let counts = demo.code_counts();
    let freq = draw(&demo, ChartSpec::default());
    assert_eq!(rows(&freq).len(), demo.codes.len());
    let total: u64 = values(&freq.svg, "bar").iter().sum();
    assert_eq!(
        total as usize,
        counts.values().map(|c| c.codings).sum::<usize>()
    );
    let attribute = demo.attributes.first().unwrap().id;
    for stacked in [false, true] {
        let by = draw(
            &demo,
            ChartSpec {
                kind: ChartKind::ByAttribute,
                attribute: Some(attribute),
                stacked,
                top: Some(8),
                ..ChartSpec::default()
            },
        );
        assert_eq!(rows(&by).len(), 8);
    }
    let source = demo.sources.first().unwrap().id;
    let portrait = draw(
        &demo,
        ChartSpec {
            kind: ChartKind::Portrait,
            source: Some(source),
            ..ChartSpec::default()
        },
    );
    assert_eq!(
        rows(&portrait).len(),
        demo.codings.get(&source).unwrap().len()
    );
    let tree = draw(
        &demo,
        ChartSpec {
            kind: ChartKind::Hierarchy,
            ..ChartSpec::default()
        },
    );
    let top_level: u64 = rows(&tree)
        .iter()
        .filter(|r| !r[0].contains(" > "))
        .map(|r| r[2].parse::<u64>().unwrap())
        .sum();
    assert_eq!(top_level as usize, demo.coding_count());
}

#[test]
fn the_controls_choose_the_chart_and_keep_names_as_text() {
    use framewise_core::chart::Choice;
    let f = fixture();
    let p = &f.project;
    // The defaults: frequencies of every code, the first attribute and source.
    let choice = Choice::default();
    let spec = choice.spec(p);
    assert_eq!(
        spec,
        ChartSpec {
            attribute: Some(f.role),
            source: Some(f.s1),
            ..ChartSpec::default()
        }
    );
    let controls = choice.controls(p, &spec);
    assert!(controls
        .contains("<label for='chart-kind'>Chart</label> <select id='chart-kind' name='kind'>"));
    assert!(controls.contains("<option value='0' selected>Code frequencies</option>"));
    assert!(controls.contains("<option value='all' selected>Every code</option>"));
    assert!(controls.contains("<option value='top:10'>The 10 most frequent</option>"));
    assert!(!controls.contains("name='attribute'") && !controls.contains("name='source'"));
    // Every code of the codebook, its name escaped, the child indented.
    let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;";
    assert!(controls.contains(escaped), "{controls}");
    assert!(!controls.contains("<script"));
    assert!(controls.contains(">\u{a0}\u{a0}Child</option>"));

    // A code and the codes below it; the top ten.
    let theme = p.codes.iter().find(|c| c.name == "Theme").unwrap().id;
    let mut choice = Choice::default();
    choice.set("codes", format!("code:{theme}"));
    let spec = choice.spec(p);
    assert_eq!(spec.codes.as_ref().map(Vec::len), Some(2));
    assert!(choice.controls(p, &spec).contains(&format!(
        "<option value='code:{theme}' selected>Theme</option>"
    )));
    choice.set("codes", "top:10".into());
    assert_eq!(choice.spec(p).top, Some(10));
    choice.set("codes", "code:not-an-id".into());
    assert_eq!(choice.spec(p).codes, None, "an unknown code: every code");

    // Codes by attribute value, stacked: the attribute and bars controls, no top-N for the
    // portrait, no codes control for the treemap.
    choice.set("kind", "1".into());
    choice.set("bars", "stacked".into());
    let spec = choice.spec(p);
    assert_eq!((spec.kind, spec.stacked), (ChartKind::ByAttribute, true));
    let controls = choice.controls(p, &spec);
    assert!(controls.contains(&format!("<option value='{}' selected>", f.role)));
    assert!(controls.contains("<option value='stacked' selected>Stacked</option>"));
    choice.set("kind", "2".into());
    let spec = choice.spec(p);
    let controls = choice.controls(p, &spec);
    assert!(controls.contains("name='source'") && !controls.contains("top:10"));
    assert!(controls.contains("S1 “Élodie” &lt;b&gt;"), "{controls}");
    choice.set("kind", "3".into());
    let spec = choice.spec(p);
    assert_eq!(spec.kind, ChartKind::Hierarchy);
    assert!(!choice.controls(p, &spec).contains("name='codes'"));
    // A kind that is not one: the first.
    choice.set("kind", "9".into());
    assert_eq!(choice.kind(), ChartKind::Frequencies);
    // A name that is not a control changes nothing.
    let before = choice.clone();
    choice.set("other", "x".into());
    assert_eq!(choice, before);
}
