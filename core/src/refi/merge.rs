//! Merging an imported codebook into the current project: codes are matched by guid, then by
//! name; the plan says what is new, renamed or conflicting before anything is applied.

use crate::action::Action;
use crate::ids::{CodeId, IdSource, SetId};
use crate::project::{Code, CodeSet, Project};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How an incoming code was matched to a current one.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The same guid.
    Guid,
    /// No guid match; the only current code with the same name (ignoring case and surrounding
    /// spaces).
    Name,
}

/// An incoming code that matches a current one.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct MatchedCode {
    /// The incoming code's id.
    pub incoming: CodeId,
    /// The current code it is.
    pub current: CodeId,
    /// How it was matched.
    pub by: MatchedBy,
}

/// Something the merge will not change on its own, one sentence each with the code's name.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct MergeConflict {
    /// The incoming code's name.
    pub code: String,
    /// What differs, e.g. "it sits under another parent here".
    pub reason: String,
}

/// The plan for merging a codebook into a project. Serialisable (JSON) so that the app's Web
/// Worker can plan and the app apply: the fields are the contract.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct CodebookMerge {
    /// Codes to add (parents before children, parents mapped to current codes).
    pub new_codes: Vec<Code>,
    /// Codes matched by guid whose name changed: (current id, current name, incoming name).
    pub renamed: Vec<(CodeId, String, String)>,
    /// Current codes with no description that get the incoming one.
    pub described: Vec<(CodeId, String)>,
    /// Every match.
    pub matched: Vec<MatchedCode>,
    /// What is left as it is here, with why.
    pub conflicts: Vec<MergeConflict>,
    /// Sets to add (neither their guid nor their name exists here).
    pub new_sets: Vec<CodeSet>,
}

impl CodebookMerge {
    /// True when applying changes nothing.
    pub fn is_empty(&self) -> bool {
        self.new_codes.is_empty()
            && self.renamed.is_empty()
            && self.described.is_empty()
            && self.new_sets.is_empty()
    }

    /// One undo step that applies the plan (new codes, renames, descriptions, new sets).
    pub fn action(&self) -> Action {
        crate::action::codebook_merge_action(
            &self.new_codes,
            &self.renamed,
            &self.described,
            &self.new_sets,
        )
    }

    /// The codebook of `current` (its codes and sets, nothing else of it) with the plan put in
    /// as it is: renamed codes renamed, descriptions added, new codes and sets after the others.
    /// How a plan crosses from the worker to the app: a project file, read by the loader the app
    /// has anyway, instead of the plan's own types (see [`CodebookMerge::from_staged`]).
    pub fn staged(&self, current: &Project) -> Project {
        let mut p = Project::new(current.id, current.name.clone(), current.created);
        p.codes = current.codes.clone();
        for (id, _, name) in &self.renamed {
            if let Some(c) = p.codes.iter_mut().find(|c| c.id == *id) {
                c.name = name.clone();
            }
        }
        for (id, description) in &self.described {
            if let Some(c) = p.codes.iter_mut().find(|c| c.id == *id) {
                c.description = description.clone();
            }
        }
        p.codes.extend(self.new_codes.iter().cloned());
        p.sets = current.sets.clone();
        p.sets.extend(self.new_sets.iter().cloned());
        p
    }

    /// The plan back from `staged` ([`CodebookMerge::staged`] of `current`), as far as applying
    /// it goes: the new codes and sets (those `current` lacks) and the codes whose name or
    /// description differ. What only the preview shows (`matched`, `conflicts`) stays empty.
    pub fn from_staged(current: &Project, staged: &Project) -> CodebookMerge {
        let mut plan = CodebookMerge::default();
        for c in &staged.codes {
            let Some(ours) = current.code(c.id) else {
                plan.new_codes.push(c.clone());
                continue;
            };
            // (Names compared trimmed: the loader trims them.)
            if ours.name.trim() != c.name.trim() {
                plan.renamed.push((c.id, ours.name.clone(), c.name.clone()));
            }
            if ours.description != c.description {
                plan.described.push((c.id, c.description.clone()));
            }
        }
        plan.new_sets = staged
            .sets
            .iter()
            .filter(|s| current.set(s.id).is_none())
            .cloned()
            .collect();
        plan
    }
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Plans merging the codebook (codes and sets) of `incoming` into `current`. New codes keep
/// their guid unless it is taken here; `now` dates them.
pub fn plan_codebook_merge(
    current: &Project,
    incoming: &Project,
    ids: &mut impl IdSource,
    now: crate::project::Timestamp,
) -> CodebookMerge {
    let mut plan = CodebookMerge::default();
    let mut by_name: HashMap<String, Vec<CodeId>> = HashMap::new();
    for c in &current.codes {
        by_name.entry(key(&c.name)).or_default().push(c.id);
    }
    // incoming id -> id here (matched or new).
    let mut map: HashMap<CodeId, CodeId> = HashMap::new();
    let mut taken: HashSet<CodeId> = HashSet::new();
    // Guid matches first, for every code, so a name match never steals a guid match.
    for c in &incoming.codes {
        if current.code(c.id).is_some() {
            map.insert(c.id, c.id);
            taken.insert(c.id);
            plan.matched.push(MatchedCode {
                incoming: c.id,
                current: c.id,
                by: MatchedBy::Guid,
            });
        }
    }
    for c in &incoming.codes {
        if map.contains_key(&c.id) {
            continue;
        }
        let candidates: Vec<CodeId> = by_name
            .get(&key(&c.name))
            .map(|v| v.iter().copied().filter(|id| !taken.contains(id)).collect())
            .unwrap_or_default();
        match candidates.as_slice() {
            [one] => {
                map.insert(c.id, *one);
                taken.insert(*one);
                plan.matched.push(MatchedCode {
                    incoming: c.id,
                    current: *one,
                    by: MatchedBy::Name,
                });
            }
            [] => {}
            _ => plan.conflicts.push(MergeConflict {
                code: c.name.clone(),
                reason: format!(
                    "{} codes here have this name; it was not merged",
                    candidates.len()
                ),
            }),
        }
    }
    let ambiguous: HashSet<CodeId> = incoming
        .codes
        .iter()
        .filter(|c| {
            !map.contains_key(&c.id)
                && by_name
                    .get(&key(&c.name))
                    .is_some_and(|v| v.iter().filter(|id| !taken.contains(id)).count() > 1)
        })
        .map(|c| c.id)
        .collect();
    // New codes, parents first (incoming order is parents first for an imported tree; repeat
    // until no more can be placed, so any order works).
    let mut pending: Vec<&Code> = incoming
        .codes
        .iter()
        .filter(|c| !map.contains_key(&c.id) && !ambiguous.contains(&c.id))
        .collect();
    let mut skipped_parent: HashSet<CodeId> = ambiguous.clone();
    loop {
        let before = pending.len();
        let mut rest = Vec::new();
        for c in pending {
            let parent = match c.parent {
                None => Some(None),
                Some(p) if skipped_parent.contains(&p) => {
                    // Its parent was not merged: it goes to the top level.
                    Some(None)
                }
                Some(p) => map.get(&p).map(|id| Some(*id)),
            };
            let Some(parent) = parent else {
                rest.push(c);
                continue;
            };
            let id = if current.code(c.id).is_none() && !taken.contains(&c.id) {
                c.id
            } else {
                ids.code_id()
            };
            map.insert(c.id, id);
            taken.insert(id);
            plan.new_codes.push(Code {
                id,
                parent,
                created: now,
                ..c.clone()
            });
        }
        if rest.is_empty() || rest.len() == before {
            for c in &rest {
                skipped_parent.insert(c.id);
                plan.conflicts.push(MergeConflict {
                    code: c.name.clone(),
                    reason: "its parent could not be placed; it was not merged".into(),
                });
            }
            break;
        }
        pending = rest;
    }
    // Differences on matched codes.
    for m in &plan.matched {
        let (Some(inc), Some(cur)) = (incoming.code(m.incoming), current.code(m.current)) else {
            continue;
        };
        if m.by == MatchedBy::Guid
            && inc.name.trim() != cur.name.trim()
            && !inc.name.trim().is_empty()
        {
            plan.renamed
                .push((cur.id, cur.name.clone(), inc.name.trim().to_string()));
        }
        let inc_parent = inc.parent.and_then(|p| map.get(&p).copied());
        if inc_parent != cur.parent {
            plan.conflicts.push(MergeConflict {
                code: inc.name.clone(),
                reason: "it sits under another parent here; it stays where it is".into(),
            });
        }
        if !inc.description.trim().is_empty() && inc.description != cur.description {
            if cur.description.trim().is_empty() {
                plan.described.push((cur.id, inc.description.clone()));
            } else {
                plan.conflicts.push(MergeConflict {
                    code: inc.name.clone(),
                    reason: "its description differs; the description here is kept".into(),
                });
            }
        }
    }
    // Sets.
    let set_names: HashSet<String> = current.sets.iter().map(|s| key(&s.name)).collect();
    for s in &incoming.sets {
        if current.set(s.id).is_some() || set_names.contains(&key(&s.name)) {
            continue;
        }
        let codes: Vec<CodeId> = s.codes.iter().filter_map(|c| map.get(c).copied()).collect();
        plan.new_sets.push(CodeSet {
            id: if current.sets.iter().any(|x| x.id == s.id) {
                SetId::from_random_bytes(ids.next_bytes())
            } else {
                s.id
            },
            codes,
            created: now,
            ..s.clone()
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::refi::import_qdc;
    use crate::{apply, SeqIds};

    const CURRENT: &str = r##"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="00000000-0000-4000-8000-000000000001" name="Access" isCodable="true"/>
<Code guid="00000000-0000-4000-8000-000000000002" name="Cost" isCodable="true"><Description>ours</Description></Code>
<Code guid="00000000-0000-4000-8000-000000000003" name="Trust" isCodable="true"/>
<Code guid="00000000-0000-4000-8000-000000000004" name="Staff" isCodable="true"/>
<Code guid="00000000-0000-4000-8000-000000000005" name="staff " isCodable="true"/>
</Codes></CodeBook>"##;

    const INCOMING: &str = r##"<CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes>
<Code guid="00000000-0000-4000-8000-000000000001" name="Access to care" isCodable="true">
  <Description>new definition</Description>
  <Code guid="11111111-0000-4000-8000-000000000001" name="Distance" isCodable="true"/>
</Code>
<Code guid="22222222-0000-4000-8000-000000000002" name="COST" isCodable="true"><Description>theirs</Description></Code>
<Code guid="22222222-0000-4000-8000-000000000004" name="Staff" isCodable="true"><Code guid="22222222-0000-4000-8000-000000000005" name="Nurses" isCodable="true"/></Code>
<Code guid="22222222-0000-4000-8000-000000000006" name="Waiting" isCodable="true"/>
</Codes><Sets><Set guid="33333333-0000-4000-8000-000000000001" name="Barriers"><MemberCode guid="22222222-0000-4000-8000-000000000002"/><MemberCode guid="11111111-0000-4000-8000-000000000001"/></Set></Sets></CodeBook>"##;

    #[test]
    fn plan_and_apply() {
        let current = import_qdc(CURRENT, "here", &mut SeqIds::new(1), 0)
            .unwrap()
            .project;
        let incoming = import_qdc(INCOMING, "there", &mut SeqIds::new(2), 0)
            .unwrap()
            .project;
        let plan = plan_codebook_merge(&current, &incoming, &mut SeqIds::new(3), 9);
        let access = current.codes[0].id;
        let cost = current.codes[1].id;
        assert_eq!(
            plan.renamed,
            vec![(access, "Access".into(), "Access to care".into())]
        );
        assert_eq!(plan.described, vec![(access, "new definition".into())]);
        let by: Vec<(String, MatchedBy)> = plan
            .matched
            .iter()
            .map(|m| (current.code(m.current).unwrap().name.clone(), m.by))
            .collect();
        assert_eq!(
            by,
            vec![
                ("Access".into(), MatchedBy::Guid),
                ("Cost".into(), MatchedBy::Name)
            ]
        );
        let new: Vec<&str> = plan.new_codes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(new, ["Distance", "Nurses", "Waiting"]);
        assert_eq!(plan.new_codes[0].parent, Some(access));
        // "Staff" is ambiguous here: not merged; its child goes to the top level.
        assert_eq!(plan.new_codes[1].parent, None);
        let reasons: Vec<String> = plan
            .conflicts
            .iter()
            .map(|c| format!("{}: {}", c.code, c.reason))
            .collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].starts_with("Staff: 2 codes here"));
        assert!(reasons[1].starts_with("COST: its description differs"));
        let after = apply(&current, plan.action()).unwrap();
        assert_eq!(after.codes.len(), 8);
        assert_eq!(after.code(access).unwrap().name, "Access to care");
        assert_eq!(after.code(cost).unwrap().description, "ours");
        assert_eq!(after.sets.len(), 1);
        assert_eq!(after.sets[0].codes, vec![cost, plan.new_codes[0].id]);
        // Across to the app: the staged codebook, through a project file, gives the same step.
        let file = crate::persist::to_project_file(
            &plan.staged(&current),
            &crate::persist::ProjectMeta::new(0),
        );
        let staged = crate::persist::from_project_file(&file).unwrap().project;
        let back = CodebookMerge::from_staged(&current, &staged);
        assert_eq!(back.new_codes, plan.new_codes);
        assert_eq!(back.renamed, plan.renamed);
        assert_eq!(back.described, plan.described);
        assert_eq!(back.new_sets, plan.new_sets);
        assert!(!back.is_empty());
        assert_eq!(apply(&current, back.action()).unwrap(), after);
        // The preview, written out.
        let shown = crate::refi::merge_preview(&current, &plan);
        assert!(
            shown.starts_with(
                "<div class=\"refi-merge\"><p>2 incoming codes match codes here (1 by id, 1 by name).</p>"
            ),
            "{shown}"
        );
        assert!(shown.contains(&format!(
            "<section aria-label=\"New codes\"><h3>New codes (3)</h3><ul><li><span class=\"refi-swatch\" style=\"background:{}\" aria-hidden=\"true\"></span>Distance<span class=\"muted\"> under Access</span></li>",
            plan.new_codes[0].color
        )), "{shown}");
        assert!(shown.contains("<h3>Renamed (1)</h3><ul><li>Access → Access to care</li></ul>"));
        assert!(shown.contains("<h3>Descriptions added (1)</h3><ul><li>Access</li></ul>"));
        assert!(shown.contains(
            "<h3>Conflicts (2): they stay as they are here</h3><ul><li>Staff: 2 codes here"
        ));
        assert!(shown.contains("<h3>New sets (1)</h3><ul><li>Barriers</li></ul>"));
        assert!(
            shown.ends_with("<p class=\"muted\">Apply is one step: Undo takes it back.</p></div>")
        );
        // Merging again changes nothing more.
        let again = plan_codebook_merge(&after, &incoming, &mut SeqIds::new(4), 10);
        assert!(
            again.new_codes.is_empty() && again.new_sets.is_empty() && again.renamed.is_empty(),
            "{again:?}"
        );
        let shown = crate::refi::merge_preview(&after, &again);
        assert!(
            shown.contains("<h3>New codes (0)</h3><p class=\"muted\">None.</p>"),
            "{shown}"
        );
        assert!(!shown.contains("New sets") && !shown.contains("Descriptions added"));
        assert!(shown.ends_with("Nothing to change: this codebook is already here.</p></div>"));
        let file = crate::persist::to_project_file(
            &again.staged(&after),
            &crate::persist::ProjectMeta::new(0),
        );
        let staged = crate::persist::from_project_file(&file).unwrap().project;
        assert!(CodebookMerge::from_staged(&after, &staged).is_empty());
    }

    /// Names and colours from a file are escaped in the preview; a colour that is not
    /// `#rrggbb` stays out of the style.
    #[test]
    fn the_preview_escapes_what_the_file_says() {
        let current = Project::new(crate::ProjectId::from_random_bytes([1; 16]), "P", 0);
        let mut ids = SeqIds::new(5);
        let code = |name: &str, color: &str, ids: &mut SeqIds| Code {
            color: color.into(),
            ..Code::inductive(&current, ids.code_id(), name, None, 0)
        };
        let plan = CodebookMerge {
            new_codes: vec![
                code(
                    "<img src=x onerror=alert(1)>",
                    "red\" onclick=\"x",
                    &mut ids,
                ),
                code("A & B", "#00ff00", &mut ids),
            ],
            conflicts: vec![MergeConflict {
                code: "\"q\"".into(),
                reason: "<b>r</b>".into(),
            }],
            ..CodebookMerge::default()
        };
        let shown = crate::refi::merge_preview(&current, &plan);
        assert!(shown.contains("<span class=\"refi-swatch\" aria-hidden=\"true\"></span>&lt;img src=x onerror=alert(1)&gt;</li>"), "{shown}");
        assert!(shown
            .contains("style=\"background:#00ff00\" aria-hidden=\"true\"></span>A &amp; B</li>"));
        assert!(shown.contains("<li>&quot;q&quot;: &lt;b&gt;r&lt;/b&gt;</li>"));
        assert!(!shown.contains("<img") && !shown.contains("onclick") && !shown.contains("<b>"));
    }
}
