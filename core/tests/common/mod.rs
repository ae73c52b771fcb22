//! Test setup shared by the core test files (`mod common;`): a project's parts with the values
//! the tests do not look at filled in, and the coded interview with a chart that the coding
//! flow tests start from. Each test file uses only some of it.
#![allow(dead_code, clippy::unwrap_used)]

use framewise_core::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A timestamp for projects whose dates are not under test (14 November 2023).
pub const NOW: i64 = 1_700_000_000_000;

/// An interview source with `text`, imported at 1, no memo, file name or turns.
pub fn source(ids: &mut SeqIds, name: &str, text: &str) -> Source {
    Source {
        id: ids.source_id(),
        name: name.into(),
        kind: SourceKind::Interview,
        text: Arc::from(text),
        memo: String::new(),
        imported: 1,
        file_name: None,
        turns: Vec::new(),
    }
}

/// An inductive code (colour #0072b2, created at 2) under `parent`, with no description or memo.
pub fn code(ids: &mut SeqIds, name: &str, parent: Option<CodeId>) -> Code {
    Code {
        id: ids.code_id(),
        name: name.into(),
        parent,
        color: "#0072b2".into(),
        description: String::new(),
        origin: CodeOrigin::Inductive,
        memo: String::new(),
        created: 2,
    }
}

/// A coding of bytes `start..end` of `source` by coder "ana", created at 3.
pub fn coding(
    ids: &mut SeqIds,
    source: SourceId,
    code: CodeId,
    start: usize,
    end: usize,
) -> Coding {
    Coding {
        id: ids.coding_id(),
        source,
        span: Span::new(start, end),
        code,
        coder: "ana".into(),
        created: 3,
    }
}

/// A case under `parent` with `sources`, created at [`NOW`], with no memo, values or speakers.
pub fn case(ids: &mut SeqIds, name: &str, parent: Option<CaseId>, sources: Vec<SourceId>) -> Case {
    Case {
        id: ids.case_id(),
        name: name.into(),
        parent,
        sources,
        memo: String::new(),
        values: BTreeMap::new(),
        created: NOW,
        speakers: Vec::new(),
    }
}

/// The text of [`chart`]'s interview: emoji and non-Latin letters, three speaker lines.
pub const INTERVIEW: &str =
    "D: Hello, how are you?\nP: Fine 😀 thanks, ça va.\nD: Any pain? 漢字 here.\n";

/// A coded interview with a chart: see [`chart`].
pub struct Chart {
    pub ids: SeqIds,
    pub project: Project,
    pub source: SourceId,
    /// Pain and Greeting.
    pub codes: [CodeId; 2],
    pub case: CaseId,
    pub matrix: MatrixId,
}

/// Project "Merge": the source "Interview" ([`INTERVIEW`]), codes Pain and Greeting (no codings
/// yet), case P1 linked to the source and the matrix "Chart" with both codes as columns.
pub fn chart() -> Chart {
    let mut ids = SeqIds::new(1);
    let mut p = Project::new(ids.project_id(), "Merge", 0);
    let source = source(&mut ids, "Interview", INTERVIEW);
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
        let code = code(&mut ids, name, None);
        codes.push(code.id);
        p = apply(&p, Action::CreateCode { code }).unwrap();
    }
    let case = Case {
        created: 3,
        ..case(&mut ids, "P1", None, vec![sid])
    };
    let cid = case.id;
    p = apply(&p, Action::AddCases { cases: vec![case] }).unwrap();
    let matrix = Matrix::new(ids.matrix_id(), "Chart", codes.clone(), 4);
    let mid = matrix.id;
    p = apply(&p, Action::CreateMatrix { matrix }).unwrap();
    Chart {
        ids,
        project: p,
        source: sid,
        codes: [codes[0], codes[1]],
        case: cid,
        matrix: mid,
    }
}
