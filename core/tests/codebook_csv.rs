//! Codebook CSV import and export.
#![allow(clippy::unwrap_used)]

use framewise_core::codebook_csv::{export_codebook_csv, parse_codebook_csv, CodebookImport};
use framewise_core::{apply, color_for, Action, Code, CodeOrigin, IdSource, Project, SeqIds};

fn empty_project(ids: &mut SeqIds) -> Project {
    Project::new(ids.project_id(), "Evaluation", 0)
}

fn parse(csv: &str, project: &Project, ids: &mut SeqIds) -> CodebookImport {
    parse_codebook_csv(csv, project, ids, 42).unwrap()
}

/// The imported codebook as "path | description" lines, in codebook order.
fn tree(project: &Project) -> Vec<String> {
    project
        .codes
        .iter()
        .map(|c| format!("{} | {}", project.code_path(c.id), c.description))
        .collect()
}

fn import_into(project: &Project, import: &CodebookImport) -> Project {
    apply(
        project,
        Action::ImportCodes {
            codes: import.codes.clone(),
        },
    )
    .unwrap()
}

#[test]
fn quoting_commas_quotes_and_newlines() {
    let mut ids = SeqIds::new(1);
    let project = empty_project(&mut ids);
    let csv = "\u{feff}name,description,parent\r\n\
               Access,\"Getting to care: transport, cost\",\r\n\
               \"Cost \"\"hidden\"\"\",\"Line one\r\nLine two\",Access\r\n\
               Trust,,\r\n";
    let import = parse(csv, &project, &mut ids);
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    let project = import_into(&project, &import);
    assert_eq!(
        tree(&project),
        vec![
            "Access | Getting to care: transport, cost",
            "Trust | ",
            "Access > Cost \"hidden\" | Line one\nLine two",
        ]
    );
    for (i, code) in import.codes.iter().enumerate() {
        assert_eq!(code.color, color_for(i));
        assert_eq!(code.origin, CodeOrigin::Deductive);
        assert_eq!(code.created, 42);
    }
}

#[test]
fn columns_in_any_order_and_case_with_parents_after_children() {
    let mut ids = SeqIds::new(2);
    let project = empty_project(&mut ids);
    let csv = "Parent,NAME,Notes,Description\n\
               Barriers,Waiting times,ignored,Delays before an appointment\n\
               ,Barriers,,Things that stop people\n\
               Waiting times,Night shifts,,\n";
    let import = parse(csv, &project, &mut ids);
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    // Parents come before children so Action::ImportCodes accepts them.
    let project = import_into(&project, &import);
    assert_eq!(
        tree(&project),
        vec![
            "Barriers | Things that stop people",
            "Barriers > Waiting times | Delays before an appointment",
            "Barriers > Waiting times > Night shifts | ",
        ]
    );
}

#[test]
fn unknown_parent_is_reported_and_code_goes_to_top_level() {
    let mut ids = SeqIds::new(3);
    let project = empty_project(&mut ids);
    let csv = "name,description,parent\nAccess,,\nCost,money,Acess\nDistance,,Access\n";
    let import = parse(csv, &project, &mut ids);
    assert_eq!(import.problems.len(), 1);
    assert_eq!(import.problems[0].line, 3);
    assert!(
        import.problems[0].message.contains("Acess"),
        "{}",
        import.problems[0].message
    );
    let project = import_into(&project, &import);
    assert_eq!(
        tree(&project),
        vec!["Access | ", "Cost | money", "Access > Distance | "]
    );
}

#[test]
fn parent_can_be_an_existing_code() {
    let mut ids = SeqIds::new(4);
    let mut project = empty_project(&mut ids);
    let theme = Code {
        id: ids.code_id(),
        name: "Trust".into(),
        parent: None,
        color: "#000000".into(),
        description: String::new(),
        origin: CodeOrigin::Inductive,
        memo: String::new(),
        created: 0,
    };
    project = apply(
        &project,
        Action::CreateCode {
            code: theme.clone(),
        },
    )
    .unwrap();
    let import = parse("name,parent\nIn doctors,Trust\n", &project, &mut ids);
    assert!(import.problems.is_empty());
    assert_eq!(import.codes.len(), 1);
    assert_eq!(import.codes[0].parent, Some(theme.id));
    // Colours continue after the existing codes.
    assert_eq!(import.codes[0].color, color_for(1));
}

#[test]
fn duplicates_under_the_same_parent_are_reported_and_skipped() {
    let mut ids = SeqIds::new(5);
    let project = empty_project(&mut ids);
    let csv = "name,description,parent\n\
               Access,first,\n\
               Cost,,Access\n\
               cost,again,Access\n\
               Cost,,\n\
               Access,second,\n";
    let import = parse(csv, &project, &mut ids);
    let lines: Vec<usize> = import.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![4, 6], "{:?}", import.problems);
    let project = import_into(&project, &import);
    assert_eq!(
        tree(&project),
        vec!["Access | first", "Cost | ", "Access > Cost | "]
    );
}

#[test]
fn reimporting_the_same_file_adds_nothing() {
    let mut ids = SeqIds::new(6);
    let project = empty_project(&mut ids);
    let csv = "name,description,parent\nAccess,,\nCost,,Access\n";
    let first = parse(csv, &project, &mut ids);
    let project = import_into(&project, &first);
    let second = parse(csv, &project, &mut ids);
    assert!(second.codes.is_empty());
    assert_eq!(second.problems.len(), 2);
}

#[test]
fn cycles_and_self_parents_are_broken() {
    let mut ids = SeqIds::new(7);
    let project = empty_project(&mut ids);
    let csv = "name,parent\nA,B\nB,A\nC,C\n";
    let import = parse(csv, &project, &mut ids);
    assert_eq!(import.codes.len(), 3);
    let lines: Vec<usize> = import.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![2, 4], "{:?}", import.problems);
    let project = import_into(&project, &import);
    assert_eq!(tree(&project), vec!["A | ", "C | ", "A > B | "]);
}

#[test]
fn rows_without_names_and_blank_lines() {
    let mut ids = SeqIds::new(8);
    let project = empty_project(&mut ids);
    let csv = "name,description\n\n,orphan description\nAccess,ok\n\n";
    let import = parse(csv, &project, &mut ids);
    assert_eq!(import.codes.len(), 1);
    assert_eq!(import.problems.len(), 1);
    assert_eq!(import.problems[0].line, 3);
}

#[test]
fn fatal_errors() {
    let mut ids = SeqIds::new(9);
    let project = empty_project(&mut ids);
    let err = parse_codebook_csv("", &project, &mut ids, 0).unwrap_err();
    assert_eq!(err.line, 1);
    let err = parse_codebook_csv("title,parent\nAccess,\n", &project, &mut ids, 0).unwrap_err();
    assert!(err.message.contains("name"), "{}", err.message);
}

#[test]
fn ambiguous_parent_needs_a_path() {
    let mut ids = SeqIds::new(10);
    let project = empty_project(&mut ids);
    let csv = "name,parent\nBarriers,\nFacilitators,\nOther,Barriers\nOther,Facilitators\n\
               X,Other\nY,Facilitators > Other\n";
    let import = parse(csv, &project, &mut ids);
    let lines: Vec<usize> = import.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![6], "{:?}", import.problems);
    let project = import_into(&project, &import);
    assert_eq!(
        tree(&project),
        vec![
            "Barriers | ",
            "Facilitators | ",
            "X | ",
            "Barriers > Other | ",
            "Facilitators > Other | ",
            "Facilitators > Other > Y | ",
        ]
    );
}

#[test]
fn export_then_parse_round_trips() {
    let mut ids = SeqIds::new(11);
    let project = empty_project(&mut ids);
    let csv = "name,description,parent\n\
               Barriers,\"Anything, that \"\"stops\"\" care\",\n\
               Facilitators,\"Two\nlines\",\n\
               Other,,Barriers\n\
               Other,,Facilitators\n\
               Deep,under the second Other,Facilitators > Other\n\
               Cost,,Barriers\n\
               Café ☕ 漢字,emoji 😀,Cost\n";
    let import = parse(csv, &project, &mut ids);
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    let original = import_into(&project, &import);

    let exported = export_codebook_csv(&original);
    assert!(exported.starts_with("name,description,parent\r\n"));
    assert!(exported.contains("Deep,under the second Other,Facilitators > Other\r\n"));

    let mut ids2 = SeqIds::new(12);
    let fresh = empty_project(&mut ids2);
    let again = parse(&exported, &fresh, &mut ids2);
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    let reimported = import_into(&fresh, &again);
    let mut before = tree(&original);
    let mut after = tree(&reimported);
    before.sort();
    after.sort();
    assert_eq!(before, after);
    assert_eq!(export_codebook_csv(&reimported), exported);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A codebook: (name, description, parent index among earlier codes).
    fn codebook() -> impl Strategy<Value = Vec<(String, String, Option<usize>)>> {
        proptest::collection::vec(
            (
                "[a-cé😀 ,\"\n]{1,6}",
                "[a-z ,\"\n漢]{0,12}",
                proptest::option::of(any::<usize>()),
            ),
            0..25,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (name, description, parent))| {
                    (
                        name.trim().to_string(),
                        description.trim().to_string(),
                        parent.filter(|_| i > 0).map(|p| p % i.max(1)),
                    )
                })
                .collect()
        })
    }

    fn build(rows: &[(String, String, Option<usize>)]) -> Project {
        let mut ids = SeqIds::new(99);
        let mut project = empty_project(&mut ids);
        let mut made: Vec<Option<framewise_core::CodeId>> = Vec::new();
        for (i, (name, description, parent)) in rows.iter().enumerate() {
            let parent = parent.and_then(|p| made[p]);
            let clash = project
                .children(parent)
                .any(|c| c.name.to_lowercase() == name.to_lowercase());
            if name.is_empty() || clash {
                made.push(None);
                continue;
            }
            let code = Code {
                id: ids.code_id(),
                name: name.clone(),
                parent,
                color: color_for(i).into(),
                description: description.clone(),
                origin: CodeOrigin::Deductive,
                memo: String::new(),
                created: 0,
            };
            made.push(Some(code.id));
            project = apply(&project, Action::CreateCode { code }).unwrap();
        }
        project
    }

    proptest! {
        #[test]
        fn export_parse_round_trip(rows in codebook()) {
            let original = build(&rows);
            let exported = export_codebook_csv(&original);
            let mut ids = SeqIds::new(5);
            let fresh = empty_project(&mut ids);
            let import = parse_codebook_csv(&exported, &fresh, &mut ids, 0).unwrap();
            prop_assert!(import.problems.is_empty(), "{:?}\n{}", import.problems, exported);
            let back = import_into(&fresh, &import);
            let mut before = tree(&original);
            let mut after = tree(&back);
            before.sort();
            after.sort();
            prop_assert_eq!(before, after);
        }

        #[test]
        fn parsing_any_text_never_panics(csv in "[a-c,\"\r\n\u{feff} ]{0,60}") {
            let mut ids = SeqIds::new(1);
            let project = empty_project(&mut ids);
            if let Ok(import) = parse_codebook_csv(&format!("name,parent\n{csv}"), &project, &mut ids, 0) {
                // Whatever was read can be applied.
                let applied = apply(&project, Action::ImportCodes { codes: import.codes });
                prop_assert!(applied.is_ok(), "{:?}", applied);
            }
        }
    }
}
