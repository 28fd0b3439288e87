//! Per-seed values of each condition × metric, taken from the tidy table.

use std::collections::BTreeMap;

use crate::load::{Study, natural_cmp, tidy};

/// The values of one metric for one condition, one per seed, in seed order.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedValues {
    pub condition: String,
    pub metric: String,
    pub seeds: Vec<String>,
    pub values: Vec<f64>,
    /// Seeds whose value is missing (null, NaN, ±inf): reported, not averaged.
    pub missing: Vec<String>,
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

/// Per-seed values (seed, value) keyed by (condition, metric).
type ByKey<'a> = BTreeMap<(&'a str, &'a str), Vec<(&'a str, Option<f64>)>>;

/// Every condition × metric of the study, conditions in study order, metrics
/// in natural order.
pub fn seed_values(study: &Study) -> Vec<SeedValues> {
    let mut by_key: ByKey = BTreeMap::new();
    for row in tidy::rows(&study.results) {
        by_key
            .entry((row.condition, row.metric))
            .or_default()
            .push((row.seed, row.value));
    }
    let mut metrics: Vec<&str> = by_key.keys().map(|(_, m)| *m).collect();
    metrics.sort_by(|a, b| natural_cmp(a, b));
    metrics.dedup();
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
            };
            for (seed, value) in entries {
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

/// The metrics of the study, natural order.
pub fn metric_names(groups: &[SeedValues]) -> Vec<String> {
    let mut metrics: Vec<String> = groups.iter().map(|g| g.metric.clone()).collect();
    metrics.sort_by(|a, b| natural_cmp(a, b));
    metrics.dedup();
    metrics
}
