//! Training histories to one value per seed (DESIGN section 2, `--reduce`).
//!
//! Published tables take one number per seed from a learning curve, and the
//! choice moves the result: `last` (the final step), `best-mean` (the step
//! whose mean over seeds is best, the convention of the TD3 and Tianshou
//! tables), `per-seed-best` (each seed's own best step: optimistic, because
//! the evaluation data chose the step), or `step=N` (the last step ≤ N).
//! Curves are first aligned on the steps every seed shares; ties between
//! steps go to the earliest.

use std::collections::BTreeMap;

use super::direction::Direction;
use crate::stats::describe;

/// How a history becomes one value per seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rule {
    #[default]
    Last,
    BestMean,
    PerSeedBest,
    Step(i64),
}

impl Rule {
    /// Parse `last`, `best-mean`, `per-seed-best` or `step=N`.
    pub fn parse(text: &str) -> Option<Rule> {
        match text {
            "last" => Some(Rule::Last),
            "best-mean" => Some(Rule::BestMean),
            "per-seed-best" => Some(Rule::PerSeedBest),
            _ => text
                .strip_prefix("step=")
                .and_then(|n| n.replace('_', "").parse::<i64>().ok())
                .map(Rule::Step),
        }
    }

    /// The rule as the user writes it.
    pub fn name(self) -> String {
        match self {
            Rule::Last => "last".into(),
            Rule::BestMean => "best-mean".into(),
            Rule::PerSeedBest => "per-seed-best".into(),
            Rule::Step(n) => format!("step={n}"),
        }
    }
}

/// The reduction settings: the rule and the step where histories are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reduce {
    pub rule: Rule,
    /// Rows with a larger step are dropped before anything else (`--max-step`).
    pub max_step: Option<i64>,
}

/// One seed's history: step → value (`None`: missing at that step).
pub type Series = BTreeMap<i64, Option<f64>>;

/// The per-seed values chosen from a group's histories, and what was done.
#[derive(Debug, Clone, PartialEq)]
pub struct Reduced {
    /// One entry per seed, in the order given: the value, or `None` when missing.
    pub values: Vec<Option<f64>>,
    /// The step the values come from (`None` for `per-seed-best` or when nothing is left).
    pub step: Option<i64>,
    /// What the reader of the table must know: the step, dropped steps, optimism.
    pub notes: Vec<String>,
}

/// Steps where every seed has a finite value, ascending.
pub fn shared_steps(series: &[&Series]) -> Vec<i64> {
    let Some(first) = series.first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(s, _)| *s)
        .filter(|s| series.iter().all(|h| h.get(s).is_some_and(|v| v.is_some())))
        .collect()
}

/// Reduce one group's histories (one per seed) by `rule` in `direction`.
pub fn reduce(series: &[&Series], rule: Rule, direction: Direction) -> Reduced {
    let mut notes = Vec::new();
    let shared = shared_steps(series);
    let mut all: Vec<i64> = series.iter().flat_map(|h| h.keys().copied()).collect();
    all.sort_unstable();
    all.dedup();
    if shared.len() < all.len() {
        notes.push(format!(
            "curves aligned on the {} steps every seed has a value at; {} other steps dropped",
            shared.len(),
            all.len() - shared.len()
        ));
    }
    let missing = |notes: Vec<String>| Reduced {
        values: vec![None; series.len()],
        step: None,
        notes,
    };
    if shared.is_empty() {
        notes.push("no step where every seed has a value: nothing to reduce".into());
        return missing(notes);
    }
    let at = |step: i64| -> Vec<Option<f64>> {
        series
            .iter()
            .map(|h| h.get(&step).copied().flatten())
            .collect()
    };
    let step = match rule {
        Rule::Last => shared.last().copied(),
        Rule::Step(n) => {
            let found = shared.iter().rev().find(|s| **s <= n).copied();
            if found.is_none() {
                notes.push(format!("no shared step ≤ {n}"));
                return missing(notes);
            }
            found
        }
        Rule::BestMean => {
            let mut best: Option<(i64, f64)> = None;
            for &s in &shared {
                let values: Vec<f64> = at(s).into_iter().flatten().collect();
                let Some(m) = describe::mean(&values) else {
                    continue;
                };
                if best.is_none_or(|(_, b)| direction.better(m, b)) {
                    best = Some((s, m));
                }
            }
            best.map(|(s, _)| s)
        }
        Rule::PerSeedBest => {
            let values = series
                .iter()
                .map(|h| {
                    shared
                        .iter()
                        .filter_map(|s| h.get(s).copied().flatten())
                        .reduce(|a, b| if direction.better(b, a) { b } else { a })
                })
                .collect();
            notes.push(
                "per-seed-best: each seed's own best step, chosen on the evaluation data — optimistic"
                    .into(),
            );
            return Reduced {
                values,
                step: None,
                notes,
            };
        }
    };
    match step {
        Some(s) => {
            notes.push(format!("{} at step {s}", rule.name()));
            Reduced {
                values: at(s),
                step: Some(s),
                notes,
            }
        }
        None => missing(notes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: &[(i64, f64)]) -> Series {
        points.iter().map(|(s, v)| (*s, Some(*v))).collect()
    }

    #[test]
    fn rules_parse_as_written() {
        assert_eq!(Rule::parse("best-mean"), Some(Rule::BestMean));
        assert_eq!(Rule::parse("step=1000000"), Some(Rule::Step(1_000_000)));
        assert_eq!(Rule::parse("step=x"), None);
        assert_eq!(Rule::parse("first"), None);
    }

    #[test]
    fn best_mean_takes_the_earliest_of_tied_steps() {
        let a = series(&[(0, 1.0), (10, 3.0), (20, 3.0), (30, 2.0)]);
        let b = series(&[(0, 1.0), (10, 5.0), (20, 5.0), (30, 2.0)]);
        let r = reduce(&[&a, &b], Rule::BestMean, Direction::Higher);
        assert_eq!(r.step, Some(10));
        assert_eq!(r.values, vec![Some(3.0), Some(5.0)]);
        let r = reduce(&[&a, &b], Rule::BestMean, Direction::Lower);
        assert_eq!(r.step, Some(0));
    }

    #[test]
    fn per_seed_best_and_last_and_step() {
        let a = series(&[(0, 1.0), (10, 4.0), (20, 3.0)]);
        let b = series(&[(0, 2.0), (10, 1.0), (20, 6.0)]);
        let r = reduce(&[&a, &b], Rule::PerSeedBest, Direction::Higher);
        assert_eq!(r.values, vec![Some(4.0), Some(6.0)]);
        assert!(r.notes.iter().any(|n| n.contains("optimistic")));
        let r = reduce(&[&a, &b], Rule::Last, Direction::Higher);
        assert_eq!((r.step, r.values), (Some(20), vec![Some(3.0), Some(6.0)]));
        let r = reduce(&[&a, &b], Rule::Step(15), Direction::Higher);
        assert_eq!((r.step, r.values), (Some(10), vec![Some(4.0), Some(1.0)]));
        let r = reduce(&[&a, &b], Rule::Step(-1), Direction::Higher);
        assert_eq!(r.values, vec![None, None]);
    }

    #[test]
    fn different_step_grids_are_aligned_on_shared_steps() {
        let a = series(&[(0, 1.0), (5, 9.0), (10, 2.0)]);
        let b = series(&[(0, 1.0), (10, 3.0), (15, 9.0)]);
        let r = reduce(&[&a, &b], Rule::Last, Direction::Higher);
        assert_eq!(r.step, Some(10));
        assert!(r.notes[0].contains("2 steps every seed"), "{:?}", r.notes);
    }
}
