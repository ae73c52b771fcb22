//! What an action would do, for a dialog that asks before anything changes ("3 codings move,
//! 1 passage is combined"). The action is applied to the project — `apply` is pure and cheap,
//! unchanged parts stay shared — and the two values are compared, so a preview can never
//! disagree with what the action then does: there is no second copy of its rule.

use crate::action::apply;
use crate::ids::{AttributeId, CaseId, CodeId, CodingId};
use crate::model::error::ActionError;
use crate::project::{Coding, Project};
use crate::sort::Gather;
use crate::Action;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// How two project values differ, counted the way a researcher reads it.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Effect {
    /// Codings that are new.
    pub codings_added: usize,
    /// Codings that are gone (deleted, or combined with another coding of the same passage),
    /// in source and text order.
    pub codings_removed: Vec<Coding>,
    /// Codings that stay but carry another code.
    pub codings_recoded: usize,
    /// Codings that stay but cover another span.
    pub codings_reshaped: usize,
    /// Codes that are new.
    pub codes_added: usize,
    /// Codes that are gone.
    pub codes_removed: Vec<CodeId>,
    /// Codes that stay under another parent.
    pub codes_moved: Vec<CodeId>,
    /// Attribute values that were set on a case and are no longer.
    pub values_removed: Vec<(CaseId, AttributeId)>,
}

/// An action applied for a look: the project it would give and how that differs.
#[derive(Clone, PartialEq, Debug)]
pub struct Preview {
    /// The project after the action.
    pub project: Project,
    /// What changes.
    pub effect: Effect,
}

/// Applies `action` to `project` (which is not changed) and says what it would do, or why it
/// would be refused.
pub fn preview(project: &Project, action: Action) -> Result<Preview, ActionError> {
    let after = apply(project, action)?;
    let effect = effect(project, &after);
    Ok(Preview {
        project: after,
        effect,
    })
}

/// What changed from `before` to `after`. Coding lists shared by both values are skipped by
/// pointer, so comparing two snapshots of a large project looks only at what changed.
pub fn effect(before: &Project, after: &Project) -> Effect {
    let mut effect = Effect::default();

    let sources: BTreeSet<_> = before.codings.keys().chain(after.codings.keys()).to_set();
    for source in sources {
        let (old, new) = (before.codings.get(source), after.codings.get(source));
        if let (Some(a), Some(b)) = (old, new) {
            if Arc::ptr_eq(a, b) {
                continue;
            }
        }
        let old: &[Coding] = old.map_or(&[], |l| l.as_slice());
        let new: &[Coding] = new.map_or(&[], |l| l.as_slice());
        let now: HashMap<CodingId, &Coding> = new.iter().map(|c| (c.id, c)).collect();
        let was: BTreeSet<CodingId> = old.iter().map(|c| c.id).to_set();
        for c in old {
            match now.get(&c.id) {
                None => effect.codings_removed.push(c.clone()),
                Some(n) => {
                    if n.code != c.code {
                        effect.codings_recoded += 1;
                    }
                    if n.span != c.span {
                        effect.codings_reshaped += 1;
                    }
                }
            }
        }
        effect.codings_added += new.iter().filter(|c| !was.contains(&c.id)).count();
    }

    let old_codes: HashMap<CodeId, Option<CodeId>> =
        before.codes.iter().map(|c| (c.id, c.parent)).collect();
    let new_codes: HashMap<CodeId, Option<CodeId>> =
        after.codes.iter().map(|c| (c.id, c.parent)).collect();
    for code in &before.codes {
        match new_codes.get(&code.id) {
            None => effect.codes_removed.push(code.id),
            Some(parent) if *parent != code.parent => effect.codes_moved.push(code.id),
            Some(_) => {}
        }
    }
    effect.codes_added = after
        .codes
        .iter()
        .filter(|c| !old_codes.contains_key(&c.id))
        .count();

    for case in &before.cases {
        let values = after.case(case.id).map(|c| &c.values);
        for attribute in case.values.keys() {
            if values.is_none_or(|v| !v.contains_key(attribute)) {
                effect.values_removed.push((case.id, *attribute));
            }
        }
    }
    effect
}
