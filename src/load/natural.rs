//! The one natural order of names (STYLE 5): `seed_2` before `seed_10`.
//!
//! Digit runs compare by value, other characters one by one, as Martin Pool's
//! `strnatcmp` (through `natord`). That order alone is not total: it skips
//! whitespace, so `a b` and `ab` compare equal, and a sort or a tie between
//! them would depend on input order. Plain string order breaks those ties, so
//! `natural_cmp(a, b)` is `Equal` only when `a == b` and sorting is
//! deterministic whatever the input order.

use std::cmp::Ordering;

/// Natural order, made total by plain string order on ties.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    natord::compare(a, b).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_runs_compare_by_value() {
        let mut names = vec!["seed_10", "seed_2", "seed_1", "rfc822.txt", "rfc2086.txt"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["rfc822.txt", "rfc2086.txt", "seed_1", "seed_2", "seed_10"]
        );
    }

    #[test]
    fn names_natord_finds_equal_are_ordered_as_strings() {
        assert_eq!(natord::compare("a b", "ab"), Ordering::Equal);
        assert_eq!(natural_cmp("a b", "ab"), Ordering::Less);
        assert_eq!(natural_cmp("ab", "a b"), Ordering::Greater);
        assert_eq!(natural_cmp("x ", "x"), Ordering::Greater);
        assert_eq!(natural_cmp("a01", "a1"), Ordering::Less);
        assert_eq!(natural_cmp("a1", "a01"), Ordering::Greater);
        assert_eq!(natural_cmp("a1", "a1"), Ordering::Equal);
    }

    /// Every string of up to four characters over an alphabet with a zero,
    /// other digits, whitespace, and characters below and above the digits.
    fn small_strings() -> Vec<String> {
        let alphabet = ['0', '1', '9', ' ', '.', 'a'];
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn the_order_is_total_on_every_small_string() {
        let mut all = small_strings();
        for a in &all {
            assert_eq!(natural_cmp(a, a), Ordering::Equal);
        }
        all.sort_by(|a, b| natural_cmp(a, b));
        // Every pair agrees with the sorted sequence: antisymmetric,
        // transitive, and equal only for equal strings.
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_eq!(natural_cmp(a, b), Ordering::Less, "{a:?} vs {b:?}");
                assert_eq!(natural_cmp(b, a), Ordering::Greater, "{b:?} vs {a:?}");
            }
        }
    }
}
