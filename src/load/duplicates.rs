//! Duplicate rows of a result table: one (condition, seed, metric, task,
//! example, step) may appear once.
//!
//! A per-example table has millions of rows but few (condition, seed, metric,
//! task, step) groups and one set of example ids: keys are the tidy table's
//! codes (equal text, equal code), and each group keeps the example codes it
//! has seen as a bitset (an eighth of a byte a row, where a borrowed key
//! tuple took 96), or as a hash set when its codes are too sparse for one.

use rustc_hash::{FxHashMap, FxHashSet};

/// Everything but the example, as codes: (condition, seed, metric, task, step).
pub type Group = (u32, u32, u32, Option<u32>, Option<i64>);

/// The keys seen so far.
pub struct Keys {
    groups: FxHashMap<Group, usize>,
    /// The last group and its index: rows of one group usually come together.
    last: Option<(Group, usize)>,
    /// Per group, the example codes it has (`None`: a row without an example).
    seen: Vec<Seen>,
}

/// The example ids of one group.
enum Seen {
    /// Bit `id - 64 * first_word` of the words.
    Bits {
        first_word: usize,
        words: Vec<u64>,
        count: usize,
        without_example: bool,
    },
    Sparse(FxHashSet<Option<u32>>),
}

impl Seen {
    fn insert(&mut self, id: Option<u32>) -> bool {
        let (new, too_sparse) = match self {
            Seen::Sparse(set) => return set.insert(id),
            Seen::Bits {
                without_example, ..
            } if id.is_none() => return !std::mem::replace(without_example, true),
            Seen::Bits {
                first_word,
                words,
                count,
                ..
            } => {
                let id = id.unwrap_or_default() as usize;
                let word = id / 64;
                if words.is_empty() {
                    *first_word = word;
                }
                if word < *first_word {
                    let mut grown = vec![0; *first_word - word];
                    grown.extend_from_slice(words);
                    *words = grown;
                    *first_word = word;
                }
                let at = word - *first_word;
                if at >= words.len() {
                    words.resize(at + 1, 0);
                }
                let bit = 1u64 << (id % 64);
                let new = words[at] & bit == 0;
                words[at] |= bit;
                *count += usize::from(new);
                // larger than a hash set of its ids (about two words an id)
                (new, words.len() > 4 * *count + 64)
            }
        };
        if too_sparse {
            *self = Seen::Sparse(self.ids().collect());
        }
        new
    }

    /// Every id (of a bitset).
    fn ids(&self) -> Box<dyn Iterator<Item = Option<u32>> + '_> {
        match self {
            Seen::Sparse(set) => Box::new(set.iter().copied()),
            Seen::Bits {
                first_word,
                words,
                without_example,
                ..
            } => Box::new(
                words
                    .iter()
                    .enumerate()
                    .flat_map(move |(w, bits)| {
                        (0..64)
                            .filter(move |b| bits >> b & 1 == 1)
                            .map(move |b| Some(((first_word + w) * 64 + b) as u32))
                    })
                    .chain(without_example.then_some(None)),
            ),
        }
    }
}

impl Keys {
    pub fn new() -> Keys {
        Keys {
            groups: FxHashMap::default(),
            last: None,
            seen: Vec::new(),
        }
    }

    /// Record a key (`example`: the example's code); false when it was seen before.
    pub fn insert(&mut self, group: Group, example: Option<u32>) -> bool {
        let group = match self.last {
            Some((last, i)) if last == group => i,
            _ => {
                let next = self.seen.len();
                let i = *self.groups.entry(group).or_insert(next);
                if i == next {
                    self.seen.push(Seen::Bits {
                        first_word: 0,
                        words: Vec::new(),
                        count: 0,
                        without_example: false,
                    });
                }
                self.last = Some((group, i));
                i
            }
        };
        self.seen[group].insert(example)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_new_once_whatever_comes_between() {
        let mut keys = Keys::new();
        let a = (0, 0, 0, None, None);
        let b = (1, 0, 0, None, None);
        assert!(keys.insert(a, Some(7)));
        assert!(keys.insert(a, Some(8)));
        assert!(keys.insert(b, Some(7)));
        assert!(keys.insert(a, None));
        assert!(!keys.insert(a, Some(7)), "same group and example");
        assert!(!keys.insert(b, Some(7)));
        assert!(!keys.insert(a, None), "same group without example");
        assert!(
            keys.insert((0, 0, 0, None, Some(3)), Some(7)),
            "another step"
        );
        assert!(
            keys.insert((0, 0, 0, Some(0), None), Some(7)),
            "another task"
        );
    }

    #[test]
    fn a_sparse_group_keeps_its_ids_in_a_hash_set() {
        let mut keys = Keys::new();
        let names: Vec<u32> = (0..100_000).collect();
        let dense = (0, 0, 0, None, None);
        let sparse = (1, 0, 0, None, None);
        // ids in reverse order (growth to the left), every 5,000th in `sparse`
        for name in names.iter().rev() {
            assert!(keys.insert(dense, Some(*name)));
        }
        for name in names.iter().step_by(5_000) {
            assert!(keys.insert(sparse, Some(*name)));
        }
        assert!(keys.insert(sparse, None));
        assert!(matches!(keys.seen[0], Seen::Bits { count: 100_000, .. }));
        assert!(
            matches!(keys.seen[1], Seen::Sparse(_)),
            "20 ids over 100,000"
        );
        for name in &names {
            assert!(!keys.insert(dense, Some(*name)), "{name}");
        }
        for (i, name) in names.iter().enumerate() {
            assert_eq!(keys.insert(sparse, Some(*name)), i % 5_000 != 0, "{name}");
        }
        assert!(!keys.insert(sparse, None));
    }
}
