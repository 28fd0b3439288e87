//! The sentences of per-example scores (DESIGN section 12): how example
//! scores were read, and each condition's accuracy over the examples with its
//! coverage, proportion interval and cluster-robust error.

use super::format::{self, Style};
use crate::analysis::options::{ExampleReduce, ExampleSettings, MissingScores};
use crate::analysis::summary::GroupStats;

/// How the per-example scores were read, as one sentence.
pub fn settings(settings: &ExampleSettings) -> String {
    let reduce = match settings.example_reduce {
        ExampleReduce::Mean => "its mean over seeds",
        ExampleReduce::Majority => "the majority over seeds (a tie counts 0)",
    };
    let missing = match settings.missing {
        MissingScores::Fail => "none may be missing (--missing fail)",
        MissingScores::Drop => {
            "examples some system did not score are dropped for every system (--missing drop)"
        }
        MissingScores::Zero => "a missing example score counts as 0 (--missing zero)",
    };
    let interval = match settings.proportion_ci {
        Some(m) => format!("; a 0/1 accuracy gets a {} interval", m.name()),
        None => String::new(),
    };
    format!(
        "Per-example scores: a system's score on an example is {reduce}; {missing}{interval}; coverage = examples scored by every seed / examples of the metric."
    )
}

/// One line per group with per-example scores: accuracy over examples,
/// coverage, proportion interval, CR1 error and cluster intervals.
pub fn groups(style: Style, groups: &[GroupStats], confidence: f64) -> Vec<String> {
    let level = format::percent(confidence);
    groups
        .iter()
        .filter_map(|g| {
            let ex = g.examples.as_ref()?;
            let mut parts = vec![format!(
                "accuracy {} over {} examples",
                format::fixed(ex.accuracy, 3),
                ex.n
            )];
            if let Some([scored, total]) = ex.coverage {
                parts.push(format!("coverage {scored}/{total}"));
            }
            if let (Some(ci), Some(m)) = (ex.proportion_ci, ex.proportion_method) {
                parts.push(format!(
                    "{level}% {} CI {}",
                    m.name(),
                    format::interval(Some(ci), 3)
                ));
            }
            if let Some(count) = ex.clusters {
                parts.push(format!(
                    "{count} clusters: CR1 se {}, t-CI (G − 1 df) {}, cluster bootstrap CI {}",
                    format::opt(ex.cluster_se, 4),
                    format::interval(ex.cluster_t_ci, 3),
                    format::interval(ex.cluster_bootstrap_ci, 3)
                ));
            }
            Some(style.escape(&format!(
                "{} / {}: {}",
                g.condition,
                g.metric,
                parts.join(", ")
            )))
        })
        .collect()
}
