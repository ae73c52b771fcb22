//! One stable sort for the whole crate, to keep the browser app's main wasm small.
//!
//! The standard library's `sort_by_key` is generic over the element and the key: every call
//! site with another type instantiates its own copy of the driftsort machinery (about 3–4 KB
//! of wasm each, some 30 copies in the app before this module). Here the sorting itself is done
//! once, on indices with a comparator behind `&dyn Fn` (a single instantiation), and only the
//! small key extraction and permutation are generic. The order is stable, like `sort_by_key`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The stable order of `0..n` under `compare` (one monomorphic sort for every caller).
fn order(n: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..n).collect();
    indices.sort_by(|a, b| compare(*a, *b));
    indices
}

/// Sorts `items` by `key`, stably (equal keys keep their order), like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = order(items.len(), &|a, b| match (keys.get(a), keys.get(b)) {
        (Some(x), Some(y)) => x.cmp(y),
        _ => Ordering::Equal,
    });
    permute(items, &order);
}

/// Sorts `items` with `compare`, stably, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = {
        let view: &[T] = items;
        order(view.len(), &|a, b| match (view.get(a), view.get(b)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        })
    };
    permute(items, &order);
}

/// Sorts `items` in their natural order, stably, like `slice::sort`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Gathering an iterator into a `BTreeSet` or `BTreeMap` by inserting its items one by one.
///
/// `collect()` into a B-tree first sorts the items (the standard library's stable sort,
/// instantiated once more for every element type: some 3 KB of the browser app's wasm per
/// type), then builds the tree; inserting uses only the tree's own `insert`, which every such
/// set or map has anyway. The result is the same (a later equal key replaces an earlier one's
/// value in a map, as with `collect`).
pub trait Gather: Iterator + Sized {
    /// The items as a set.
    fn to_set(self) -> BTreeSet<Self::Item>
    where
        Self::Item: Ord,
    {
        let mut set = BTreeSet::new();
        set.extend(self);
        set
    }

    /// The `(key, value)` items as a map.
    fn to_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        let mut map = BTreeMap::new();
        map.extend(self);
        map
    }
}

impl<I: Iterator> Gather for I {}

/// Rearranges `items` so that position `i` holds what was at `order[i]` (a permutation of the
/// indices), by following its cycles with swaps.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        // Walk the cycle: the item for `current` is at `order[current]`.
        let mut current = start;
        loop {
            if let Some(d) = done.get_mut(current) {
                *d = true;
            }
            let Some(&next) = order.get(current) else {
                break;
            };
            if next == start || done.get(next).copied().unwrap_or(true) {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        // Pseudo-random pairs with many equal keys; compare with std's stable sort.
        let mut seed = 12345u64;
        for len in [0, 1, 2, 3, 7, 31, 200, 1000] {
            let mut items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|p| p.0);
            let mut by = items.clone();
            sort_by_key(&mut items, |p| p.0);
            assert_eq!(items, expected, "len {len}");
            sort_by(&mut by, |a, b| a.0.cmp(&b.0));
            assert_eq!(by, expected, "len {len}");
        }
    }

    #[test]
    fn gathers_like_collect() {
        let items = [(3, "c"), (1, "a"), (3, "z"), (2, "b"), (1, "y")];
        let map: BTreeMap<i32, &str> = items.iter().copied().collect();
        assert_eq!(items.iter().copied().to_map(), map);
        assert_eq!(map.get(&3), Some(&"z"), "a later key's value wins");
        let set: BTreeSet<i32> = items.iter().map(|p| p.0).collect();
        assert_eq!(items.iter().map(|p| p.0).to_set(), set);
        assert_eq!(set.len(), 3);
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }

    #[test]
    fn permutes_strings_without_cloning() {
        let mut words = vec![
            "delta".to_string(),
            "alpha".into(),
            "charlie".into(),
            "bravo".into(),
        ];
        sort_by_key(&mut words, |w| w.clone());
        assert_eq!(words, ["alpha", "bravo", "charlie", "delta"]);
    }
}
