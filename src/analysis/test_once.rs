//! The facts behind checklist rule `test.once` (DESIGN section 6): a test
//! metric logged at many steps of training means the test set was looked at
//! during training, and a number picked from that history (best step, early
//! stopping) is test-set model selection. `xreport check` turns the list into
//! a finding; this module only collects the evidence from the histories.

use serde::Serialize;

use super::groups;
use crate::load::{Study, natural_cmp};

/// A test metric with a history: where and how often it was logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepeatedTest {
    pub condition: String,
    pub metric: String,
    /// Seeds with more than one step of this metric.
    pub seeds: usize,
    /// The most distinct steps one seed logged it at.
    pub steps: usize,
    pub first_step: i64,
    pub last_step: i64,
}

/// Whether a metric name is a test-set metric: one of its name parts
/// (split at `.`, `/`, `:`, `_`, `-`) is `test` (`test.acc`, `test_rew`,
/// `eval/test_loss`). `val`, `valid`, `dev` and `eval` are selection sets, not test sets.
pub fn is_test_metric(metric: &str) -> bool {
    metric
        .split(['.', '/', ':', '_', '-'])
        .any(|part| part.eq_ignore_ascii_case("test"))
}

/// Every condition × test metric logged at more than one step by some seed,
/// conditions in study order, metrics in natural order.
pub fn repeated_test_metrics(study: &Study) -> Vec<RepeatedTest> {
    let (by_key, metrics) = groups::observations(study);
    let mut out = Vec::new();
    for condition in &study.conditions {
        for metric in metrics.iter().filter(|m| is_test_metric(m)) {
            let Some(entries) = by_key.get(&(condition.as_str(), *metric)) else {
                continue;
            };
            let histories = groups::histories(entries, None);
            let repeated: Vec<_> = histories.iter().filter(|(_, h)| h.len() > 1).collect();
            if repeated.is_empty() {
                continue;
            }
            let steps = repeated.iter().map(|(_, h)| h.len()).max().unwrap_or(0);
            let first_step = repeated
                .iter()
                .filter_map(|(_, h)| h.keys().next().copied())
                .min()
                .unwrap_or(0);
            let last_step = repeated
                .iter()
                .filter_map(|(_, h)| h.keys().next_back().copied())
                .max()
                .unwrap_or(0);
            out.push(RepeatedTest {
                condition: condition.clone(),
                metric: metric.to_string(),
                seeds: repeated.len(),
                steps,
                first_step,
                last_step,
            });
        }
    }
    out.sort_by(|a, b| {
        let order = |c: &str| study.conditions.iter().position(|x| x == c);
        order(&a.condition)
            .cmp(&order(&b.condition))
            .then_with(|| natural_cmp(&a.metric, &b.metric))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(path: &str) -> Study {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
        crate::load::load(&[path], &Default::default()).expect("fixture loads")
    }

    #[test]
    fn test_metric_names_are_recognised() {
        assert!(is_test_metric("test.acc"));
        assert!(is_test_metric("test_rew"));
        assert!(is_test_metric("eval/test_loss"));
        assert!(!is_test_metric("val_loss"));
        assert!(!is_test_metric("latest.score"));
        assert!(!is_test_metric("contest"));
    }

    #[test]
    fn tianshou_test_reward_logged_every_5000_steps_is_flagged() {
        let found = repeated_test_metrics(&fixture("examples/tianshou-mujoco/Hopper-v3"));
        let sac = found
            .iter()
            .find(|f| f.condition == "sac")
            .expect("sac flagged");
        assert_eq!(sac.metric, "test_rew");
        assert_eq!((sac.seeds, sac.steps), (10, 251));
        assert_eq!((sac.first_step, sac.last_step), (0, 1_250_000));
        assert_eq!(found.len(), 4);
    }

    #[test]
    fn validation_histories_and_final_test_values_are_not_flagged() {
        assert!(repeated_test_metrics(&fixture("tests/fixtures/histories/lightning")).is_empty());
        assert!(repeated_test_metrics(&fixture("examples/speech-ssl/runs")).is_empty());
    }
}
