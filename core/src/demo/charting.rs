//! The demo's cases, attributes, charted matrix and set: the three PCN sites with the six
//! participants under them, a "Workforce" framework matrix part-way through charting (some cells
//! summarised with quote references to real demo codings, some with data waiting, some empty),
//! and a "Sustainability" set across themes.

use super::CODINGS;
use crate::cases::{AttrValue, Attribute, AttributeKind, Case};
use crate::matrix::{quote_token, Matrix};
use crate::{apply, Action, CaseId, CodeId, CodeSet, CodingId, IdSource, Project, Timestamp};
use std::collections::BTreeMap;

/// The attributes: name and type.
fn attributes() -> [(&'static str, AttributeKind); 5] {
    let category =
        |values: &[&str]| AttributeKind::Category(values.iter().map(|v| v.to_string()).collect());
    [
        ("rurality", category(&["urban", "rural", "mixed"])),
        ("deprivation decile", AttributeKind::Number),
        ("practices", AttributeKind::Number),
        ("dispensing", AttributeKind::YesNo),
        (
            "role",
            category(&["clinical director", "ARRS staff", "manager", "GP partner"]),
        ),
    ]
}

/// A case of the demo: name, parent name, sources (indexes into the demo's sources), memo, and
/// values by attribute name as the researcher would type them.
struct CaseSpec {
    name: &'static str,
    parent: Option<&'static str>,
    sources: &'static [usize],
    memo: &'static str,
    values: &'static [(&'static str, &'static str)],
}

const CASES: [CaseSpec; 9] = [
    CaseSpec {
        name: "Northgate PCN",
        parent: None,
        sources: &[6],
        memo: "Five practices, about 52,000 patients, inner city; one of the most deprived PCNs \
in the region.",
        values: &[
            ("rurality", "urban"),
            ("deprivation decile", "1"),
            ("practices", "5"),
            ("dispensing", "no"),
        ],
    },
    CaseSpec {
        name: "P01",
        parent: Some("Northgate PCN"),
        sources: &[0],
        memo: "",
        values: &[("role", "clinical director")],
    },
    CaseSpec {
        name: "P02",
        parent: Some("Northgate PCN"),
        sources: &[1],
        memo: "Social prescribing link worker.",
        values: &[("role", "ARRS staff")],
    },
    CaseSpec {
        name: "Fellside PCN",
        parent: None,
        sources: &[],
        memo: "Three practices over some 400 square miles, about 24,000 patients; Hallbeck is a \
dispensing practice. No field notes: the visit was cancelled.",
        values: &[
            ("rurality", "rural"),
            ("deprivation decile", "6"),
            ("practices", "3"),
            ("dispensing", "yes"),
        ],
    },
    CaseSpec {
        name: "P03",
        parent: Some("Fellside PCN"),
        sources: &[2],
        memo: "",
        values: &[("role", "manager")],
    },
    CaseSpec {
        name: "P04",
        parent: Some("Fellside PCN"),
        sources: &[3],
        memo: "Clinical pharmacist.",
        values: &[("role", "ARRS staff")],
    },
    CaseSpec {
        name: "Harbourside PCN",
        parent: None,
        sources: &[7],
        memo: "Four practices: two in Saltby-on-Sea, two in coastal villages; about 38,000 \
patients, many more in summer.",
        values: &[
            ("rurality", "mixed"),
            ("deprivation decile", "3"),
            ("practices", "4"),
            ("dispensing", "no"),
        ],
    },
    CaseSpec {
        name: "P05",
        parent: Some("Harbourside PCN"),
        sources: &[4],
        memo: "Care coordinator.",
        values: &[("role", "ARRS staff")],
    },
    CaseSpec {
        name: "P06",
        parent: Some("Harbourside PCN"),
        sources: &[5],
        memo: "",
        values: &[("role", "GP partner")],
    },
];

/// A demo coding, by source index, code key and the start of its quote.
type QuoteRef = (usize, &'static str, &'static str);

/// A cell summary: case name, column code key, the researcher's words and, after them, a quote
/// reference to a demo coding.
type CellSpec = (&'static str, &'static str, &'static str, Option<QuoteRef>);

/// The Workforce theme's children: the matrix's columns, in codebook order.
const COLUMNS: [&str; 4] = ["RECRUIT", "CLARITY", "SUPERV", "BURNOUT"];

#[rustfmt::skip]
const CELLS: &[CellSpec] = &[
    ("Northgate PCN", "RECRUIT", "Adverts draw no applicants; an underspend of about £40,000 unless posts are filled by June, so the pressure is to recruit anyone.", Some((6, "RECRUIT", "There was visible frustration"))),
    ("P01", "RECRUIT", "Lost a paramedic after eight months: no one could supervise her home visits and she felt sent to the visits nobody wanted.", Some((0, "RECRUIT", "She was brilliant clinically"))),
    ("P01", "SUPERV", "Supervision is the uncosted part of the scheme: every role needs a named clinical supervisor, in practice a GP, and GPs are the bottleneck.", Some((0, "SUPERV", "It's the bit nobody costs"))),
    ("P01", "BURNOUT", "PCN work far exceeds the paid time (one day a week, closer to three) and spills into evenings.", Some((0, "BURNOUT", "I'm paid for about a day"))),
    ("P02", "BURNOUT", "Emotional load of clients' stories; a period of sleeping four hours a night.", Some((1, "BURNOUT", "Some of the stories"))),
    ("P03", "RECRUIT", "Recruitment \"is the whole story\": roles designed for towns do not fit a dispersed rural patch.", Some((2, "RECRUIT", "Recruitment is the whole story"))),
    ("P04", "CLARITY", "Began with no defined role (\"a very expensive admin person\"); a job plan and a triaged shared inbox gave the role its shape.", Some((3, "CLARITY", "We drew up a sort of job plan"))),
    ("P04", "RECRUIT", "Band 8a but no progression within the PCN: expects to leave to develop.", Some((3, "RECRUIT", "there's no real progression"))),
    ("P05", "CLARITY", "Job description too vague to act on; the role was defined in practice around discharge calls and the MDT.", Some((4, "CLARITY", "When I started nobody could tell me"))),
    ("P05", "BURNOUT", "No debriefs after patient deaths, unlike nursing.", Some((4, "BURNOUT", "I had three people"))),
    ("P06", "SUPERV", "Supervising the paramedic takes one formal hour a week and about three more informally.", Some((5, "SUPERV", "I supervise the paramedic"))),
    ("P06", "CLARITY", "The scheme assumed new roles would slot in and reduce GP workload; they did not.", None),
];

/// Case summaries (the per-row column): case name, summary.
const CASE_SUMMARIES: &[(&str, &str)] = &[
    (
        "Northgate PCN",
        "Urban, highly deprived. Supervision capacity and rooms are the binding constraints; \
recruitment deadlines push quantity over fit.",
    ),
    (
        "Fellside PCN",
        "Rural and dispersed: failed recruitment, not lack of will, explains the underspend. \
Staff shared between practices forced them to work together.",
    ),
    (
        "P04",
        "A role that found its shape only once it had a job plan; progression is the risk.",
    ),
];

/// The set across themes: code keys.
const SUSTAINABILITY: [&str; 5] = ["BURNOUT", "SUPERV", "FUNDING", "VCS", "WORKAROUND"];

/// Adds the cases, attributes, matrix and set to the demo `project`. `codes` maps code keys to
/// ids; `codings[i]` is the coding made from `CODINGS[i]`, if it was found.
pub(super) fn add_charting(
    project: Project,
    ids: &mut impl IdSource,
    now: Timestamp,
    codes: &[(&str, CodeId)],
    codings: &[Option<CodingId>],
) -> Project {
    let code = |key: &str| codes.iter().find(|(k, _)| *k == key).map(|(_, id)| *id);
    let coding = |(source, key, start): QuoteRef| {
        CODINGS
            .iter()
            .position(|&(s, k, q, _)| s == source && k == key && q.starts_with(start))
            .and_then(|i| codings.get(i).copied().flatten())
    };
    let source_id = |i: usize| project.sources.get(i).map(|s| s.id);

    let attributes: Vec<Attribute> = attributes()
        .into_iter()
        .map(|(name, kind)| Attribute {
            id: ids.attribute_id(),
            name: name.to_string(),
            kind,
        })
        .collect();

    let mut cases: Vec<Case> = Vec::with_capacity(CASES.len());
    for spec in &CASES {
        let parent = spec
            .parent
            .and_then(|p| cases.iter().find(|c| c.name == p).map(|c| c.id));
        let mut values = BTreeMap::new();
        for (name, text) in spec.values {
            let Some(attribute) = attributes.iter().find(|a| a.name == *name) else {
                continue;
            };
            if let Ok(Some(value)) = AttrValue::parse(&attribute.kind, text) {
                values.insert(attribute.id, value);
            }
        }
        cases.push(Case {
            id: ids.case_id(),
            name: spec.name.to_string(),
            parent,
            sources: spec.sources.iter().filter_map(|i| source_id(*i)).collect(),
            memo: spec.memo.to_string(),
            speakers: Vec::new(),
            values,
            created: now,
        });
    }
    let case =
        |name: &str| -> Option<CaseId> { cases.iter().find(|c| c.name == name).map(|c| c.id) };

    let mut matrix = Matrix::new(
        ids.matrix_id(),
        "Workforce",
        COLUMNS.iter().filter_map(|k| code(k)).collect(),
        now,
    );
    for &(case_name, key, text, quote) in CELLS {
        let (Some(case), Some(code)) = (case(case_name), code(key)) else {
            continue;
        };
        let summary = match quote.and_then(coding) {
            Some(id) => format!("{text} {}", quote_token(id)),
            None => text.to_string(),
        };
        matrix.cells.entry(case).or_default().insert(code, summary);
    }
    for &(case_name, summary) in CASE_SUMMARIES {
        if let Some(case) = case(case_name) {
            matrix.case_summaries.insert(case, summary.to_string());
        }
    }

    let set = CodeSet {
        id: ids.set_id(),
        name: "Sustainability".into(),
        description: "Whether the new roles can last: people's energy, supervision, money and \
the community assets and workarounds they lean on. Cuts across the Workforce, Integration and \
Resources themes."
            .into(),
        codes: SUSTAINABILITY.iter().filter_map(|k| code(k)).collect(),
        created: now,
    };

    let mut actions: Vec<Action> = attributes
        .into_iter()
        .map(|attribute| Action::AddAttribute { attribute })
        .collect();
    actions.push(Action::AddCases { cases });
    actions.push(Action::CreateMatrix { matrix });
    actions.push(Action::CreateSet { set });
    let mut project = project;
    for action in actions {
        // As in `demo_project`: a step that cannot apply is left out rather than crash the app
        // (the demo tests check the result).
        if let Ok(next) = apply(&project, action) {
            project = next;
        }
    }
    project
}
