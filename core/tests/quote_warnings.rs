//! Issue 9 (defects of the coding flow): removing a coding that a summary quotes. Where it is
//! quoted is found before removing (to warn); afterwards the cell says "summary, no data" and
//! counts the broken quote instead of looking summarised; one undo brings it all back.
#![allow(clippy::unwrap_used)]

use framewise_core::matrix::{build_view, cell_state, quote_token, summaries_quoting, CellState};
use framewise_core::*;
use std::collections::BTreeMap;
use std::sync::Arc;

const TEXT: &str = "D: Hello, how are you?\nP: Fine 😀 thanks, ça va.\nD: Any pain? 漢字 here.\n";

struct Fixture {
    ids: SeqIds,
    project: Project,
    source: SourceId,
    codes: [CodeId; 2],
    case: CaseId,
    matrix: MatrixId,
}

fn fixture() -> Fixture {
    let mut ids = SeqIds::new(1);
    let mut p = Project::new(ids.project_id(), "Merge", 0);
    let source = Source {
        id: ids.source_id(),
        name: "Interview".into(),
        kind: SourceKind::Interview,
        text: Arc::from(TEXT),
        memo: String::new(),
        imported: 1,
        file_name: None,
        turns: Vec::new(),
    };
    let sid = source.id;
    p = apply(
        &p,
        Action::AddSources {
            sources: vec![source],
        },
    )
    .unwrap();
    let mut codes = Vec::new();
    for name in ["Pain", "Greeting"] {
        let code = Code {
            id: ids.code_id(),
            name: name.into(),
            parent: None,
            color: "#0072b2".into(),
            description: String::new(),
            origin: CodeOrigin::Inductive,
            memo: String::new(),
            created: 2,
        };
        codes.push(code.id);
        p = apply(&p, Action::CreateCode { code }).unwrap();
    }
    let case = Case {
        id: ids.case_id(),
        name: "P1".into(),
        parent: None,
        sources: vec![sid],
        memo: String::new(),
        values: BTreeMap::new(),
        speakers: Vec::new(),
        created: 3,
    };
    let cid = case.id;
    p = apply(&p, Action::AddCases { cases: vec![case] }).unwrap();
    let matrix = Matrix::new(ids.matrix_id(), "Chart", codes.clone(), 4);
    let mid = matrix.id;
    p = apply(&p, Action::CreateMatrix { matrix }).unwrap();
    Fixture {
        ids,
        project: p,
        source: sid,
        codes: [codes[0], codes[1]],
        case: cid,
        matrix: mid,
    }
}

fn coding(ids: &mut SeqIds, source: SourceId, code: CodeId, start: usize, end: usize) -> Coding {
    Coding {
        id: ids.coding_id(),
        source,
        span: Span::new(start, end),
        code,
        coder: "ana".into(),
        created: 5,
    }
}

#[test]
fn removing_a_quoted_coding_is_announced_and_the_cell_says_so() {
    let mut f = fixture();
    let [pain, greeting] = f.codes;
    let quoted = coding(&mut f.ids, f.source, pain, 3, 10);
    let other = coding(&mut f.ids, f.source, greeting, 30, 40);
    let mut p = apply(
        &f.project,
        Action::AddCodings {
            codings: vec![quoted.clone(), other.clone()],
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::SetCellSummaries {
            matrix: f.matrix,
            summaries: vec![(f.case, pain, format!("Hurts {}", quote_token(quoted.id)))],
        },
    )
    .unwrap();
    p = apply(
        &p,
        Action::SetCaseSummary {
            matrix: f.matrix,
            case: f.case,
            summary: format!("Overall {}", quote_token(quoted.id)),
        },
    )
    .unwrap();
    assert_eq!(
        summaries_quoting(&p, &[quoted.id]),
        ["“Chart”: P1 × Pain", "“Chart”: P1, case summary"]
    );
    assert!(summaries_quoting(&p, &[other.id]).is_empty());
    let before = build_view(&p, p.matrix(f.matrix).unwrap());
    assert_eq!(before.cells[0][0].state, CellState::Summarised);

    let mut history = History::new();
    let removed = history
        .apply(
            &p,
            Action::RemoveCodings {
                ids: vec![quoted.id],
            },
        )
        .unwrap();
    let view = build_view(&removed, removed.matrix(f.matrix).unwrap());
    let cell = &view.cells[0][0];
    assert_eq!(cell.segments, 0);
    assert_eq!(
        cell.state,
        CellState::SummaryNoData,
        "not a green summarised dot"
    );
    assert_eq!(cell.state.label(), "Summary, no data");
    assert_eq!(cell.broken, 1);
    assert_eq!(cell_state(0, "  "), CellState::Empty);
    assert_eq!(history.undo(&removed), Some(p));
}
