//! A set of names looked up at every char position of a text: a char trie with each node's
//! children in one sorted slice, walked from a position until no name continues.

use std::collections::HashMap;

/// Names, each with an id, found by prefix walks.
pub(crate) struct NameIndex {
    /// Children of the root by char for the Basic Multilingual Plane, where the root has
    /// thousands of children.
    root: Vec<u32>,
    /// Children of node `n` are `edges[offsets[n]..offsets[n + 1]]`, sorted by char.
    offsets: Vec<u32>,
    edges: Vec<(char, u32)>,
    /// The id of the name ending at a node, or `u32::MAX`.
    ids: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl NameIndex {
    /// Indexes `names`; a name's id is its position in the slice. Duplicates keep the first.
    pub(crate) fn new(names: &[String]) -> Self {
        let mut children: HashMap<(u32, char), u32> = HashMap::new();
        let mut ids: Vec<u32> = vec![NONE];
        for (id, name) in names.iter().enumerate() {
            let mut node = 0u32;
            for ch in name.chars() {
                let next = ids.len() as u32;
                node = *children.entry((node, ch)).or_insert_with(|| {
                    ids.push(NONE);
                    next
                });
            }
            if node != 0 && ids[node as usize] == NONE {
                ids[node as usize] = id as u32;
            }
        }
        let mut edges: Vec<(u32, char, u32)> = children.into_iter().map(|((p, ch), c)| (p, ch, c)).collect();
        edges.sort_unstable();
        let mut offsets = vec![0u32; ids.len() + 1];
        for e in &edges {
            offsets[e.0 as usize + 1] += 1;
        }
        for k in 1..offsets.len() {
            offsets[k] += offsets[k - 1];
        }
        let edges: Vec<(char, u32)> = edges.into_iter().map(|e| (e.1, e.2)).collect();
        let mut root = vec![NONE; 0x10000];
        for &(ch, child) in &edges[..offsets[1] as usize] {
            if (ch as u32) < 0x10000 {
                root[ch as usize] = child;
            }
        }
        NameIndex { root, offsets, edges, ids }
    }

    /// Calls `found(end, id)` for every name that starts at char `start` of `text`, shortest first.
    pub(crate) fn matches_at(&self, text: &[char], start: usize, mut found: impl FnMut(usize, u32)) {
        let mut node = 0usize;
        for (k, ch) in text[start..].iter().enumerate() {
            if k == 0 && (*ch as u32) < 0x10000 {
                let child = self.root[*ch as usize];
                if child == NONE {
                    return;
                }
                node = child as usize;
                if self.ids[node] != NONE {
                    found(start + 1, self.ids[node]);
                }
                continue;
            }
            let kids = &self.edges[self.offsets[node] as usize..self.offsets[node + 1] as usize];
            let Ok(i) = kids.binary_search_by_key(ch, |e| e.0) else { return };
            node = kids[i].1 as usize;
            if self.ids[node] != NONE {
                found(start + k + 1, self.ids[node]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_name_at_a_position() {
        let names: Vec<String> = ["威海", "威海市", "环翠区", "海市", "威海"].iter().map(|s| s.to_string()).collect();
        let idx = NameIndex::new(&names);
        let text: Vec<char> = "威海市环翠区".chars().collect();
        let mut got = Vec::new();
        idx.matches_at(&text, 0, |e, id| got.push((e, id)));
        assert_eq!(got, vec![(2, 0), (3, 1)]);
        got.clear();
        idx.matches_at(&text, 1, |e, id| got.push((e, id)));
        assert_eq!(got, vec![(3, 3)]);
        got.clear();
        idx.matches_at(&text, 3, |e, id| got.push((e, id)));
        assert_eq!(got, vec![(6, 2)]);
        got.clear();
        idx.matches_at(&text, 6, |e, id| got.push((e, id)));
        assert!(got.is_empty());
    }
}
