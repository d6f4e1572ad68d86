//! Splitting bulk lookups into calls an upstream accepts.

use std::collections::HashSet;
use std::hash::Hash;

/// De-duplicates `ids` (first occurrence kept, order otherwise unchanged) and splits them into
/// chunks of at most `max_chunk` (a `max_chunk` of 0 is taken as 1), so a bulk endpoint's
/// `maxItems` is never exceeded and no id is fetched twice.
pub fn dedup_chunks<T: Eq + Hash + Clone>(
    ids: impl IntoIterator<Item = T>,
    max_chunk: usize,
) -> Vec<Vec<T>> {
    let max_chunk = max_chunk.max(1);
    let mut seen = HashSet::new();
    let mut chunks: Vec<Vec<T>> = Vec::new();
    for id in ids {
        if !seen.insert(id.clone()) {
            continue;
        }
        match chunks.last_mut() {
            Some(chunk) if chunk.len() < max_chunk => chunk.push(id),
            _ => {
                let mut chunk = Vec::with_capacity(max_chunk.min(1024));
                chunk.push(id);
                chunks.push(chunk);
            }
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_occurrences_in_order_and_bounds_chunks() {
        let chunks = dedup_chunks([3, 1, 3, 2, 1, 4, 5, 2, 6], 2);
        assert_eq!(chunks, vec![vec![3, 1], vec![2, 4], vec![5, 6]]);
    }

    #[test]
    fn edge_sizes() {
        assert!(dedup_chunks(Vec::<u8>::new(), 10).is_empty());
        assert_eq!(dedup_chunks(["a", "a"], 0), vec![vec!["a"]]);
        assert_eq!(dedup_chunks(1..=3, 100), vec![vec![1, 2, 3]]);
    }
}
