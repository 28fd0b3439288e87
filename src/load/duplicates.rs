//! Duplicate rows of a result table: one (condition, seed, metric, task,
//! example, step) may appear once.
//!
//! A per-example table has millions of rows but few (condition, seed, metric,
//! task, step) groups and one set of example ids, so each key is stored as two
//! interned ids in one `u64` (8 bytes a row, where the borrowed key tuple
//! took 96).

use rustc_hash::{FxHashMap, FxHashSet};

/// Everything but the example: (condition, seed, metric, task, step).
pub type Group<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<i64>);

/// The keys seen so far.
pub struct Keys<'a> {
    groups: FxHashMap<Group<'a>, u32>,
    /// The last group and its id: rows of one group usually come together.
    last: Option<(Group<'a>, u32)>,
    examples: FxHashMap<&'a str, u32>,
    seen: FxHashSet<u64>,
}

/// The id of a row without an example (no example id reaches it: there are
/// fewer distinct examples than rows, and rows fit in memory).
const NO_EXAMPLE: u32 = u32::MAX;

impl<'a> Keys<'a> {
    /// Room for `rows` keys.
    pub fn with_capacity(rows: usize) -> Keys<'a> {
        Keys {
            groups: FxHashMap::default(),
            last: None,
            examples: FxHashMap::default(),
            seen: FxHashSet::with_capacity_and_hasher(rows, Default::default()),
        }
    }

    /// Record a key; false when it was seen before.
    pub fn insert(&mut self, group: Group<'a>, example: Option<&'a str>) -> bool {
        let group = match self.last {
            Some((last, id)) if last == group => id,
            _ => {
                let next = self.groups.len() as u32;
                let id = *self.groups.entry(group).or_insert(next);
                self.last = Some((group, id));
                id
            }
        };
        let example = match example {
            None => NO_EXAMPLE,
            Some(name) => {
                let next = self.examples.len() as u32;
                *self.examples.entry(name).or_insert(next)
            }
        };
        self.seen
            .insert(u64::from(group) << 32 | u64::from(example))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_new_once_whatever_comes_between() {
        let mut keys = Keys::with_capacity(8);
        let a = ("a", "0", "acc", None, None);
        let b = ("b", "0", "acc", None, None);
        assert!(keys.insert(a, Some("x")));
        assert!(keys.insert(a, Some("y")));
        assert!(keys.insert(b, Some("x")));
        assert!(keys.insert(a, None));
        assert!(!keys.insert(a, Some("x")), "same group and example");
        assert!(!keys.insert(b, Some("x")));
        assert!(!keys.insert(a, None), "same group without example");
        assert!(
            keys.insert(("a", "0", "acc", None, Some(3)), Some("x")),
            "another step"
        );
        assert!(
            keys.insert(("a", "0", "acc", Some("t"), None), Some("x")),
            "another task"
        );
    }
}
