//! Case table CSV (cases and their attribute values): export, import with type inference and
//! bad rows, round trip; and cases made from sources.
#![allow(clippy::unwrap_used)]

use expect_test::expect;
use framewise_core::cases::{
    cases_from_sources, export_case_table_csv, infer_kind, parse_case_table_csv, CaseTableImport,
};
use framewise_core::*;
use std::collections::BTreeMap;

const NOW: i64 = 1_700_000_000_000;

fn project_with_sources(ids: &mut SeqIds) -> Project {
    let project = Project::new(ids.project_id(), "Cases", NOW);
    let sources = ["P01 interview", "P02 interview", "Site notes"]
        .iter()
        .map(|name| Source {
            id: ids.source_id(),
            name: (*name).into(),
            kind: SourceKind::Interview,
            text: "Some text.".into(),
            memo: String::new(),
            imported: NOW,
            file_name: None,
            turns: Vec::new(),
        })
        .collect();
    apply(&project, Action::AddSources { sources }).unwrap()
}

fn import(csv: &str, project: &Project, ids: &mut SeqIds) -> (Project, CaseTableImport) {
    let import = parse_case_table_csv(csv, project, ids, NOW).unwrap();
    let next = apply(project, import.action()).unwrap();
    (next, import)
}

fn problems(import: &CaseTableImport) -> Vec<String> {
    import.problems.iter().map(|p| p.to_string()).collect()
}

fn kinds(project: &Project) -> Vec<String> {
    project
        .attributes
        .iter()
        .map(|a| match &a.kind {
            AttributeKind::Category(values) => {
                format!("{}: Category({})", a.name, values.join("|"))
            }
            kind => format!("{}: {}", a.name, kind.label()),
        })
        .collect()
}

#[test]
fn new_table_infers_types_and_builds_the_case_tree() {
    let mut ids = SeqIds::new(1);
    let project = project_with_sources(&mut ids);
    let csv = "\u{feff}case,parent,rurality,deprivation decile,visited,dispensing,note\r\n\
               P01,Northgate,,,,,\"Long, quoted\"\r\n\
               Northgate,,urban,1,2024-03-01,no,\r\n\
               Fellside,,rural,\"6\",2024-04-11,yes,x\r\n\
               P03,Fellside,,,,,y\r\n\
               Harbourside,,Mixed,3,2024-05-20,Y,z\r\n";
    let (project, import) = import(csv, &project, &mut ids);
    assert_eq!(problems(&import), Vec::<String>::new());
    assert_eq!(import.rows, 5);
    assert_eq!(
        kinds(&project),
        [
            "rurality: Category(urban|rural|Mixed)",
            "deprivation decile: Number",
            "visited: Date",
            "dispensing: Yes/no",
            "note: Category(Long, quoted|x|y|z)",
        ]
    );
    // Parents first, though P01 came before Northgate in the file.
    let names: Vec<&str> = project.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Northgate", "P01", "Fellside", "P03", "Harbourside"]
    );
    let case = |name: &str| project.cases.iter().find(|c| c.name == name).unwrap();
    assert_eq!(case("P01").parent, Some(case("Northgate").id));
    assert_eq!(case("P03").parent, Some(case("Fellside").id));
    assert_eq!(case("Harbourside").parent, None);
    expect![[r#"
        case,parent,rurality,deprivation decile,visited,dispensing,note
        Northgate,,urban,1,2024-03-01,no,
        P01,Northgate,,,,,"Long, quoted"
        Fellside,,rural,6,2024-04-11,yes,x
        P03,Fellside,,,,,y
        Harbourside,,Mixed,3,2024-05-20,yes,z
    "#]]
    .assert_eq(&export_case_table_csv(&project).replace("\r\n", "\n"));
}

#[test]
fn export_then_import_changes_nothing() {
    let mut ids = SeqIds::new(2);
    let project = project_with_sources(&mut ids);
    let csv = "case,parent,rurality,decile\nA,,rural,1.5\nB,A,urban,\nC,,rural,10\n";
    let (project, _) = import(csv, &project, &mut ids);
    let exported = export_case_table_csv(&project);
    let again = parse_case_table_csv(&exported, &project, &mut ids, NOW).unwrap();
    assert!(again.new_cases.is_empty());
    assert!(again.new_attributes.is_empty());
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    let after = apply(&project, again.action()).unwrap();
    assert_eq!(after.cases, project.cases);
    assert_eq!(after.attributes, project.attributes);
}

#[test]
fn bad_rows_are_reported_by_line_and_skipped() {
    let mut ids = SeqIds::new(3);
    let project = project_with_sources(&mut ids);
    let (project, _) = import(
        "case,rurality,decile,member since\nNorthgate,urban,1,2020-01-01\nFellside,rural,6,2021-02-02\n",
        &project,
        &mut ids,
    );
    let northgate = project.cases[0].id;
    let csv = "case,rurality,decile,member since,,rurality,parent\n\
               Northgate,suburban,two,2020-13-01,,rural,\n\
               ,rural,3,,,,\n\
               Fellside,RURAL,7,,extra,,\n\
               New site,mixed,4,2022-02-02,,,Nowhere\n\
               \n\
               \"Quoted\nname\",urban,5,,,,,surplus\n";
    let import = parse_case_table_csv(csv, &project, &mut ids, NOW).unwrap();
    expect![[r#"
        line 1: column 5 has no name in the header; it was ignored
        line 1: column “rurality” appears twice; only the first was read
        line 2: rurality: “suburban” is not one of: urban, rural; the value was skipped
        line 2: decile: “two” is not a number; the value was skipped
        line 2: member since: “2020-13-01” is not a date like 2026-03-31; the value was skipped
        line 3: the row has no case name (first column); it was skipped
        line 5: no case is called “Nowhere”; the case was added at the top level
        line 5: rurality: “mixed” is not one of: urban, rural; the value was skipped
        line 7: the row has 8 values but the header has 7 columns; the extra values were ignored"#]]
    .assert_eq(&problems(&import).join("\n"));
    assert_eq!(import.rows, 4);
    let after = apply(&project, import.action()).unwrap();
    let value = |name: &str, attribute: &str| {
        let case = after.cases.iter().find(|c| c.name == name).unwrap();
        let attribute = after
            .attributes
            .iter()
            .find(|a| a.name == attribute)
            .unwrap();
        case.values.get(&attribute.id).map(|v| v.to_string())
    };
    // Northgate kept its values where the new ones were bad.
    assert_eq!(after.case(northgate).unwrap().name, "Northgate");
    assert_eq!(value("Northgate", "rurality").as_deref(), Some("urban"));
    assert_eq!(value("Northgate", "decile").as_deref(), Some("1"));
    // Fellside: category matched ignoring case; an empty cell cleared its date.
    assert_eq!(value("Fellside", "rurality").as_deref(), Some("rural"));
    assert_eq!(value("Fellside", "decile").as_deref(), Some("7"));
    assert_eq!(value("Fellside", "member since"), None);
    // New cases; "mixed" is not a category inferred from the first file; a multi-line quoted
    // name is one case.
    assert_eq!(value("New site", "rurality"), None);
    assert_eq!(value("New site", "decile").as_deref(), Some("4"));
    assert_eq!(value("Quoted\nname", "decile").as_deref(), Some("5"));
    assert_eq!(after.cases.len(), 4);
    assert!(after.cases.iter().all(|c| c.parent.is_none()));
}

#[test]
fn existing_cases_with_one_name_are_told_apart_by_parent() {
    let mut ids = SeqIds::new(4);
    let project = project_with_sources(&mut ids);
    let (project, _) = import(
        "case,parent\nSite A,\nSite B,\nP01,Site A\nP01,Site B\n",
        &project,
        &mut ids,
    );
    assert_eq!(project.cases.len(), 4);
    let (after, import) = import(
        "case,parent,age\nP01,Site B,40\nP01,,50\n",
        &project,
        &mut ids,
    );
    assert_eq!(
        problems(&import),
        [
            "line 3: several cases are called “P01”; name the parent in a \"parent\" column to \
          choose one. The row was skipped"
        ]
    );
    let p01_b = &after.cases[3];
    assert_eq!(after.case(p01_b.parent.unwrap()).unwrap().name, "Site B");
    let age = after.attributes[0].id;
    assert_eq!(p01_b.values.get(&age), Some(&AttrValue::Number(40.0)));
    assert_eq!(after.cases[2].values.get(&age), None);
}

#[test]
fn parent_cycles_in_the_file_are_broken() {
    let mut ids = SeqIds::new(5);
    let project = project_with_sources(&mut ids);
    let (after, import) = import("case,parent\nA,B\nB,A\nC,C\n", &project, &mut ids);
    assert_eq!(
        problems(&import),
        [
            "line 2: the parents of “A” go round in a circle; it was added at the top level",
            "line 4: case “C” cannot be its own parent; the case was added at the top level",
        ]
    );
    let a = after.cases.iter().find(|c| c.name == "A").unwrap();
    let b = after.cases.iter().find(|c| c.name == "B").unwrap();
    assert_eq!(a.parent, None);
    assert_eq!(b.parent, Some(a.id));
}

#[test]
fn a_repeated_case_row_is_reported_and_later_values_win() {
    let mut ids = SeqIds::new(6);
    let project = project_with_sources(&mut ids);
    let (after, import) = import("case,score\nA,1\nA,2\nA,\n", &project, &mut ids);
    assert_eq!(import.new_cases.len(), 1);
    assert_eq!(import.problems.len(), 2);
    assert_eq!(import.problems[0].line, 3);
    let score = after.attributes[0].id;
    assert_eq!(
        after.cases[0].values.get(&score),
        Some(&AttrValue::Number(2.0))
    );
}

#[test]
fn an_empty_file_is_an_error() {
    let mut ids = SeqIds::new(7);
    let project = project_with_sources(&mut ids);
    assert!(parse_case_table_csv("", &project, &mut ids, NOW).is_err());
    assert!(parse_case_table_csv("\n\n", &project, &mut ids, NOW).is_err());
    let header_only = parse_case_table_csv("case,x\n", &project, &mut ids, NOW).unwrap();
    assert_eq!(header_only.rows, 0);
    assert_eq!(header_only.new_attributes.len(), 1);
}

#[test]
fn kinds_are_inferred_from_values() {
    assert_eq!(
        infer_kind(&["1", " 2.5", "1,200", ""]),
        AttributeKind::Number
    );
    assert_eq!(
        infer_kind(&["2024-01-31", "2023-12-01"]),
        AttributeKind::Date
    );
    assert_eq!(infer_kind(&["yes", "No", "y"]), AttributeKind::YesNo);
    // 0/1 are numbers first.
    assert_eq!(infer_kind(&["0", "1"]), AttributeKind::Number);
    assert_eq!(
        infer_kind(&["GP", "nurse", "gp", "Nurse", "pharmacist"]),
        AttributeKind::Category(vec!["GP".into(), "nurse".into(), "pharmacist".into()])
    );
    // One row is not enough to call it a category; 13 distinct values are too many.
    assert_eq!(infer_kind(&["GP"]), AttributeKind::Text);
    let many: Vec<String> = (0..13).map(|i| format!("v{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(infer_kind(&many), AttributeKind::Text);
    let twelve: Vec<&str> = many[..12].to_vec();
    assert!(matches!(infer_kind(&twelve), AttributeKind::Category(v) if v.len() == 12));
    // Long free text is text.
    let long = "a long sentence that somebody wrote about this case, more than forty characters";
    assert_eq!(infer_kind(&[long, "short"]), AttributeKind::Text);
    assert_eq!(infer_kind(&["", " "]), AttributeKind::Text);
}

#[test]
fn cases_from_sources_skip_those_already_made() {
    let mut ids = SeqIds::new(8);
    let project = project_with_sources(&mut ids);
    let sources: Vec<SourceId> = project.sources.iter().map(|s| s.id).collect();
    let cases = cases_from_sources(
        &project,
        &[sources[0], sources[1], sources[0]],
        &mut ids,
        NOW,
    );
    let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["P01 interview", "P02 interview"]);
    assert_eq!(cases[0].sources, vec![sources[0]]);
    assert!(cases.iter().all(|c| c.parent.is_none() && c.created == NOW));
    let project = apply(&project, Action::AddCases { cases }).unwrap();
    // Again over all sources: only the third is new.
    let more = cases_from_sources(&project, &sources, &mut ids, NOW);
    assert_eq!(more.len(), 1);
    assert_eq!(more[0].name, "Site notes");
    // A case with the same name but not linked to the source does not count.
    let renamed = apply(
        &project,
        Action::AddCases {
            cases: vec![Case {
                id: ids.case_id(),
                name: "Site notes".into(),
                parent: None,
                sources: vec![],
                memo: String::new(),
                values: BTreeMap::new(),
                created: NOW,
                speakers: Vec::new(),
            }],
        },
    )
    .unwrap();
    assert_eq!(
        cases_from_sources(&renamed, &sources, &mut ids, NOW).len(),
        1
    );
}
