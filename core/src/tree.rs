//! Walking a tree given as nodes with parents (the codebook, the cases): the one depth-first
//! order, a subtree, an ancestor test. Every walk here ends on damaged data (a cycle of
//! parents, a missing parent) instead of looping or overflowing the stack.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;

/// `root` and every node below it, given each node's children (a cycle cannot loop forever).
pub fn subtree<T, I>(root: T, children: impl Fn(T) -> I) -> BTreeSet<T>
where
    T: Copy + Ord,
    I: Iterator<Item = T>,
{
    let mut out = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(next) = stack.pop() {
        if out.insert(next) {
            stack.extend(children(next));
        }
    }
    out
}

/// True when `ancestor` is `id` or above it, following `parent_of` at most `limit` steps (so a
/// cycle in damaged data ends the walk).
pub fn has_ancestor<T: Copy + Eq>(
    ancestor: T,
    id: T,
    limit: usize,
    parent_of: impl Fn(T) -> Option<T>,
) -> bool {
    let mut current = Some(id);
    let mut steps = 0;
    while let Some(c) = current {
        if c == ancestor {
            return true;
        }
        steps += 1;
        if steps > limit {
            return false;
        }
        current = parent_of(c);
    }
    false
}

/// Every node in depth-first order with its depth: parents before their children, siblings in
/// the order given, children of a closed node (`open` says no) left out. `nodes` are
/// `(id, parent)` pairs; a node whose parent is missing or itself is at the top level, and
/// nodes caught in a cycle of parents (which `apply` prevents) come last, at the top level,
/// so that nothing is lost from view.
pub fn depth_first<T>(nodes: &[(T, Option<T>)], open: impl Fn(T) -> bool) -> Vec<(T, usize)>
where
    T: Copy + Eq + Hash,
{
    let known: HashSet<T> = nodes.iter().map(|(id, _)| *id).collect();
    let mut children: HashMap<Option<T>, Vec<T>> = HashMap::new();
    for (id, parent) in nodes {
        let parent = parent.filter(|p| known.contains(p) && p != id);
        children.entry(parent).or_default().push(*id);
    }
    let mut out = Vec::with_capacity(nodes.len());
    let mut seen: HashSet<T> = HashSet::with_capacity(nodes.len());
    // (node, depth, shown): nodes below a closed one are walked (so they are not taken for
    // cycle members) but not shown.
    let mut stack: Vec<(T, usize, bool)> = Vec::new();
    let push_children = |stack: &mut Vec<(T, usize, bool)>, parent: Option<T>, depth, shown| {
        if let Some(list) = children.get(&parent) {
            stack.extend(list.iter().rev().map(|c| (*c, depth, shown)));
        }
    };
    push_children(&mut stack, None, 0, true);
    while let Some((id, depth, shown)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if shown {
            out.push((id, depth));
        }
        push_children(&mut stack, Some(id), depth + 1, shown && open(id));
    }
    for (id, _) in nodes {
        if seen.insert(*id) {
            out.push((*id, 0));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_first_orders_parents_before_children_and_keeps_sibling_order() {
        // 1 ─ 3 ─ 4, 2, 5 (parent 9 is missing: top level)
        let nodes = [
            (1, None),
            (2, None),
            (3, Some(1)),
            (4, Some(3)),
            (5, Some(9)),
        ];
        let order = depth_first(&nodes, |_| true);
        assert_eq!(order, vec![(1, 0), (3, 1), (4, 2), (2, 0), (5, 0)]);
    }

    #[test]
    fn closed_nodes_hide_their_children_only() {
        let nodes = [(1, None), (3, Some(1)), (4, Some(3)), (2, None)];
        assert_eq!(
            depth_first(&nodes, |id| id != 3),
            vec![(1, 0), (3, 1), (2, 0)]
        );
        assert_eq!(depth_first(&nodes, |id| id != 1), vec![(1, 0), (2, 0)]);
    }

    #[test]
    fn a_cycle_of_parents_ends_and_loses_no_node() {
        let nodes = [(1, Some(2)), (2, Some(1)), (3, None), (4, Some(4))];
        assert_eq!(
            depth_first(&nodes, |_| true),
            vec![(3, 0), (4, 0), (1, 0), (2, 0)]
        );
    }

    #[test]
    fn subtree_and_ancestors_end_on_cycles() {
        let parent = |n: u8| match n {
            1 => Some(2),
            2 => Some(1),
            3 => Some(1),
            _ => None,
        };
        assert!(has_ancestor(2, 3, 4, parent));
        assert!(!has_ancestor(5, 3, 4, parent));
        let below = subtree(1u8, |p| {
            [1u8, 2, 3]
                .into_iter()
                .filter(move |c| parent(*c) == Some(p))
        });
        assert_eq!(below, BTreeSet::from([1, 2, 3]));
    }
}
