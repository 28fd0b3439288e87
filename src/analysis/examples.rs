//! Per-example scores (a long table with an `example` column): one system
//! against another on the same test examples, paired by example id.
//!
//! Each example's score is its mean over the condition's seeds that scored
//! it. The paired comparison resamples examples (the paired bootstrap of
//! `scipy.stats.bootstrap(..., paired=True)`) and runs the paired t-test over
//! them: it measures how much the difference depends on which test examples
//! were drawn, not how much it depends on the training seed.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::options::{Describe, Inference};
use crate::load::{Study, tidy};
use crate::stats::inference::{self, PermutationConfig, TestKind};
use crate::stats::{bootstrap, describe, rng};

use super::summary;

/// Example id → (sum of its scores over seeds, seeds that scored it).
type Sums<'a> = BTreeMap<&'a str, (f64, usize)>;

/// Per-example scores of every condition × metric that has them.
pub struct ExampleScores<'a> {
    /// (condition, metric) → the per-example sums.
    scores: HashMap<(&'a str, &'a str), Sums<'a>>,
    /// (condition, metric) → rows whose score is missing (null, NaN, ±inf).
    missing: HashMap<(&'a str, &'a str), usize>,
}

/// The per-example comparison of one treatment with the baseline on one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleComparison {
    /// Examples scored by both conditions.
    pub n: usize,
    /// Examples scored by only one of the two: left out.
    pub unmatched: usize,
    /// Mean over the paired examples of treatment − baseline.
    pub diff: f64,
    /// Paired bootstrap CI of `diff` (examples resampled).
    pub diff_ci: Option<[f64; 2]>,
    /// Paired t-test over the examples.
    pub statistic: Option<f64>,
    pub df: Option<f64>,
    pub p_value: Option<f64>,
    pub notes: Vec<String>,
}

impl<'a> ExampleScores<'a> {
    /// The per-example scores of `study`; `None` when no row has an example.
    pub fn of(study: &'a Study) -> Option<ExampleScores<'a>> {
        let mut scores: HashMap<(&str, &str), Sums> = HashMap::new();
        let mut missing: HashMap<(&str, &str), usize> = HashMap::new();
        for row in tidy::rows(&study.results) {
            let Some(example) = row.example else { continue };
            let key = (row.condition, row.metric);
            match row.value {
                Some(v) => {
                    let entry = scores.entry(key).or_default().entry(example).or_default();
                    entry.0 += v;
                    entry.1 += 1;
                }
                None => *missing.entry(key).or_default() += 1,
            }
        }
        (!scores.is_empty() || !missing.is_empty()).then_some(ExampleScores { scores, missing })
    }

    /// Baseline and treatment scores of the examples both have, in example-id
    /// (byte) order so that the file's row order does not matter, and the
    /// number of examples only one of them has.
    fn paired(
        &self,
        metric: &str,
        baseline: &str,
        treatment: &str,
    ) -> Option<(Vec<f64>, Vec<f64>, usize)> {
        let b = self.scores.get(&(baseline, metric))?;
        let t = self.scores.get(&(treatment, metric))?;
        let (mut bs, mut ts) = (Vec::new(), Vec::new());
        for (example, (sum, count)) in b {
            if let Some((t_sum, t_count)) = t.get(example) {
                bs.push(sum / *count as f64);
                ts.push(t_sum / *t_count as f64);
            }
        }
        let unmatched = b.len() + t.len() - 2 * bs.len();
        Some((bs, ts, unmatched))
    }

    /// The paired per-example comparison of `treatment` with `baseline` on
    /// `metric`, or `None` when either has no per-example scores for it.
    pub fn compare(
        &self,
        metric: &str,
        baseline: &str,
        treatment: &str,
        describe_settings: &Describe,
        inference_settings: &Inference,
    ) -> Option<ExampleComparison> {
        let (b, t, unmatched) = self.paired(metric, baseline, treatment)?;
        let diffs: Vec<f64> = t.iter().zip(&b).map(|(t, b)| t - b).collect();
        let diff = describe::mean(&diffs)?;
        let key = rng::stream_key(&["examples", baseline, treatment, metric]);
        let config = summary::bootstrap_config(describe_settings);
        let ci = bootstrap::mean_ci(&diffs, &config, key);
        let permutation = PermutationConfig {
            resamples: describe_settings.resamples as u64,
            seed: describe_settings.seed,
            key,
        };
        let test = inference::run_test(
            TestKind::Paired,
            &b,
            &t,
            inference_settings.alternative,
            &permutation,
        );
        let mut notes = Vec::new();
        if unmatched > 0 {
            notes.push(format!(
                "paired on the {} examples both conditions scored; {unmatched} scored by only one left out",
                b.len()
            ));
        }
        for condition in [baseline, treatment] {
            if let Some(&k) = self.missing.get(&(condition, metric)) {
                notes.push(format!(
                    "{condition}: {k} missing example score(s) (null/NaN/inf) left out"
                ));
            }
        }
        if let Some(note) = ci.as_ref().and_then(|c| c.note.clone()) {
            notes.push(note);
        }
        let (statistic, df, p_value) = match test {
            Ok(r) => (Some(r.statistic), r.df, Some(r.p_value)),
            Err(undefined) => {
                notes.push(format!("paired test over examples undefined: {undefined}"));
                (None, None, None)
            }
        };
        Some(ExampleComparison {
            n: b.len(),
            unmatched,
            diff,
            diff_ci: ci.map(|c| [c.lo, c.hi]),
            statistic,
            df,
            p_value,
            notes,
        })
    }
}
