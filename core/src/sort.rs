//! One stable sort for the whole crate, to keep the browser app's main wasm small.
//!
//! The standard library's `sort_by_key` is generic over the element and the key: every call
//! site with another type instantiates its own copy of the driftsort machinery (about 3–4 KB
//! of wasm each, some 30 copies in the app before this module). Here the sorting itself is done
//! once, on indices with a comparator behind `&dyn Fn` (a single instantiation), and only the
//! small key extraction and permutation are generic. The order is stable, like `sort_by_key`.

use std::cmp::Ordering;

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
