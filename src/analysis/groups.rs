//! Per-seed values of each condition × metric, taken from the tidy table.

use std::collections::HashMap;

use super::direction::Direction;
use super::reduce::{self, Reduce, Series};
use crate::load::{Study, natural_cmp, tidy};
use crate::stats::describe;

/// The values of one metric for one condition, one per seed, in seed order.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedValues {
    pub condition: String,
    pub metric: String,
    pub seeds: Vec<String>,
    pub values: Vec<f64>,
    /// Seeds whose value is missing (null, NaN, ±inf): reported, not averaged.
    pub missing: Vec<String>,
    /// Whether the values were reduced from training histories (`--reduce`).
    pub reduced: bool,
    /// How the histories were reduced: the step chosen, steps dropped.
    pub notes: Vec<String>,
}

impl SeedValues {
    /// The value of `seed`, if it has one.
    pub fn value_of(&self, seed: &str) -> Option<f64> {
        self.seeds
            .iter()
            .position(|s| s == seed)
            .map(|i| self.values[i])
    }
}

/// One observation of a metric: seed, value, step (`None` outside histories).
pub type Observation<'a> = (&'a str, Option<f64>, Option<i64>);

/// Per-seed observations keyed by (condition, metric), for lookup only (a
/// hash map: a sweep has tens of thousands of keys).
pub type ByKey<'a> = HashMap<(&'a str, &'a str), Vec<Observation<'a>>>;

/// The study's observations by (condition, metric), and its metrics in natural order.
///
/// Per-example scores (rows with an `example`) become one observation per
/// seed: the mean over that seed's examples with a value, in row order (a
/// missing example score is left out of it; `compare` reports the count).
pub fn observations(study: &Study) -> (ByKey<'_>, Vec<&str>) {
    let mut by_key: ByKey = HashMap::new();
    let mut per_example: HashMap<(&str, &str, &str), Vec<f64>> = HashMap::new();
    for row in tidy::rows(&study.results) {
        if row.example.is_some() {
            let scores = per_example
                .entry((row.condition, row.metric, row.seed))
                .or_default();
            scores.extend(row.value);
            continue;
        }
        by_key
            .entry((row.condition, row.metric))
            .or_default()
            .push((row.seed, row.value, row.step));
    }
    for ((condition, metric, seed), scores) in per_example {
        by_key
            .entry((condition, metric))
            .or_default()
            .push((seed, describe::mean(&scores), None));
    }
    let mut metrics: Vec<&str> = by_key.keys().map(|(_, m)| *m).collect();
    metrics.sort_unstable();
    metrics.dedup();
    metrics.sort_by(|a, b| natural_cmp(a, b));
    (by_key, metrics)
}

/// Every condition × metric of the study, conditions in study order, metrics
/// in natural order. A metric logged over steps (a training history) is
/// reduced to one value per seed by `reduce`, in the metric's `direction`.
pub fn seed_values(
    study: &Study,
    reduce: &Reduce,
    direction: &dyn Fn(&str) -> Direction,
) -> Vec<SeedValues> {
    let (by_key, metrics) = observations(study);
    let mut out = Vec::new();
    for condition in &study.conditions {
        for metric in &metrics {
            let Some(entries) = by_key.get(&(condition.as_str(), *metric)) else {
                continue;
            };
            let mut entries = entries.clone();
            entries.sort_by(|a, b| natural_cmp(a.0, b.0));
            let mut group = SeedValues {
                condition: condition.clone(),
                metric: metric.to_string(),
                seeds: Vec::new(),
                values: Vec::new(),
                missing: Vec::new(),
                reduced: false,
                notes: Vec::new(),
            };
            if entries.iter().any(|e| e.2.is_some()) {
                reduce_group(&mut group, &entries, reduce, direction(metric));
                out.push(group);
                continue;
            }
            for (seed, value, _) in entries {
                match value {
                    Some(v) => {
                        group.seeds.push(seed.to_string());
                        group.values.push(v);
                    }
                    None => group.missing.push(seed.to_string()),
                }
            }
            out.push(group);
        }
    }
    out
}

/// Every seed's history of one condition × metric, seeds in natural order,
/// cut at `max_step`. Rows without a step are left out; a step logged twice
/// keeps its last value.
pub fn histories<'a>(entries: &[Observation<'a>], max_step: Option<i64>) -> Vec<(&'a str, Series)> {
    let mut by_seed: Vec<(&str, Series)> = Vec::new();
    for (seed, value, step) in entries {
        let Some(step) = step else { continue };
        if max_step.is_some_and(|m| *step > m) {
            continue;
        }
        match by_seed.iter_mut().find(|(s, _)| s == seed) {
            Some((_, series)) => {
                series.insert(*step, *value);
            }
            None => by_seed.push((seed, Series::from([(*step, *value)]))),
        }
    }
    by_seed.sort_by(|a, b| natural_cmp(a.0, b.0));
    by_seed
}

fn reduce_group(
    group: &mut SeedValues,
    entries: &[Observation<'_>],
    settings: &Reduce,
    direction: Direction,
) {
    group.reduced = true;
    let without_step = entries.iter().filter(|e| e.2.is_none()).count();
    if without_step > 0 {
        group.notes.push(format!(
            "{without_step} value(s) without a step (from results files) ignored: the metric's history was reduced instead"
        ));
    }
    let histories = histories(entries, settings.max_step);
    let series: Vec<&Series> = histories.iter().map(|(_, h)| h).collect();
    let reduced = reduce::reduce(&series, settings.rule, direction);
    for ((seed, _), value) in histories.iter().zip(reduced.values) {
        match value {
            Some(v) => {
                group.seeds.push(seed.to_string());
                group.values.push(v);
            }
            None => group.missing.push(seed.to_string()),
        }
    }
    group.notes.extend(reduced.notes);
}

/// Metric names in natural order, without duplicates.
pub fn metric_names_of(mut metrics: Vec<String>) -> Vec<String> {
    metrics.sort_by(|a, b| natural_cmp(a, b));
    metrics.dedup();
    metrics
}

/// The metrics of the study, natural order.
pub fn metric_names(groups: &[SeedValues]) -> Vec<String> {
    let mut metrics: Vec<String> = groups.iter().map(|g| g.metric.clone()).collect();
    metrics.sort_by(|a, b| natural_cmp(a, b));
    metrics.dedup();
    metrics
}
