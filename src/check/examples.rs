//! Per-example scores (DESIGN section 12): a comparison of systems scored on
//! the same test examples must pair them by example, and it is fair only
//! when every system was scored on the same examples. Both rules are
//! listed only when the study has per-example scores.

use std::collections::{BTreeMap, BTreeSet};

use super::kit::{Context, Finding, Level, Rule, list, plural};
use crate::load::tidy;

const PAIRED: Rule = Rule {
    id: "examples.paired",
    level: Level::Fail,
    fix: "score every compared system per example (per-sample logs, an `example` column) so that the comparison pairs them by example id (paired bootstrap, McNemar), not two independent accuracies",
};

const COVERAGE: Rule = Rule {
    id: "examples.coverage",
    level: Level::Fail,
    fix: "score every compared system on the same examples (re-run the ones missing), or compare only the shared ones (`--missing drop`) and say so",
};

/// Shown ids of the examples only one side scored.
const SHOWN: usize = 5;

/// Per (condition, metric): the examples with a score, and the examples
/// listed without one.
type Scored<'a> = BTreeMap<(&'a str, &'a str), (BTreeSet<&'a str>, BTreeSet<&'a str>)>;

fn scored<'a>(ctx: &Context<'a>) -> Scored<'a> {
    let mut out: Scored = BTreeMap::new();
    for row in tidy::rows(&ctx.study.results) {
        let Some(example) = row.example else { continue };
        let entry = out.entry((row.condition, row.metric)).or_default();
        if row.value.is_some() {
            entry.0.insert(example);
        } else {
            entry.1.insert(example);
        }
    }
    out
}

/// (baseline, treatment, metric) of every comparison the claim makes.
fn pairs<'b>(ctx: &'b Context) -> Vec<(&'b str, &'b str, &'b str)> {
    let Some(baseline) = ctx.roles.baseline.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for treatment in &ctx.roles.treatments {
        for metric in &ctx.roles.claim_metrics {
            out.push((baseline, treatment.as_str(), metric.as_str()));
        }
    }
    out
}

/// Fails when one side of a compared pair has per-example scores and the
/// other only an aggregate: such a comparison cannot be paired.
pub fn paired(ctx: &Context) -> Option<Finding> {
    let scores = scored(ctx);
    if scores.is_empty() {
        return None;
    }
    if ctx.roles.baseline.is_none() {
        return Some(PAIRED.skip("no baseline to compare with"));
    }
    let has = |condition: &str, metric: &str| scores.contains_key(&(condition, metric));
    let (mut unpaired, mut paired) = (Vec::new(), Vec::new());
    for (baseline, treatment, metric) in pairs(ctx) {
        match (has(baseline, metric), has(treatment, metric)) {
            (true, true) => paired.push(format!("{treatment} vs {baseline} / {metric}")),
            (false, false) => {}
            (b, _) => {
                let (with, without) = if b {
                    (baseline, treatment)
                } else {
                    (treatment, baseline)
                };
                unpaired.push(format!(
                    "{treatment} vs {baseline} / {metric}: {with} has per-example scores, {without} only its aggregate"
                ));
            }
        }
    }
    Some(if !unpaired.is_empty() {
        PAIRED.trip(
            format!(
                "{} compared without pairing by example",
                plural(unpaired.len(), "comparison")
            ),
            unpaired,
        )
    } else if paired.is_empty() {
        PAIRED.skip("the claim metrics have no per-example scores")
    } else {
        PAIRED.pass(
            format!(
                "{} paired by example id",
                plural(paired.len(), "comparison")
            ),
            paired,
        )
    })
}

/// Fails when compared systems were scored on different examples (a
/// dropped or failed example leaves one system's denominator).
pub fn coverage(ctx: &Context) -> Option<Finding> {
    let scores = scored(ctx);
    if scores.is_empty() {
        return None;
    }
    let (mut differ, mut same) = (Vec::new(), Vec::new());
    for (baseline, treatment, metric) in pairs(ctx) {
        let (Some(b), Some(t)) = (
            scores.get(&(baseline, metric)),
            scores.get(&(treatment, metric)),
        ) else {
            continue;
        };
        if b.0 == t.0 && b.1.is_empty() && t.1.is_empty() {
            same.push(format!(
                "{treatment} vs {baseline} / {metric}: {} examples each",
                b.0.len()
            ));
            continue;
        }
        let mut line = format!(
            "{treatment} vs {baseline} / {metric}: {baseline} scored {}, {treatment} {}",
            b.0.len(),
            t.0.len()
        );
        for (who, own, other) in [(baseline, b, t), (treatment, t, b)] {
            let only: Vec<String> = own
                .0
                .difference(&other.0)
                .take(SHOWN)
                .map(|s| s.to_string())
                .collect();
            if !only.is_empty() {
                line.push_str(&format!("; only {who}: {}", list(&only)));
            }
            if !own.1.is_empty() {
                let unscored: Vec<String> =
                    own.1.iter().take(SHOWN).map(|s| s.to_string()).collect();
                line.push_str(&format!("; {who} has no score for {}", list(&unscored)));
            }
        }
        differ.push(line);
    }
    Some(if !differ.is_empty() {
        COVERAGE.trip(
            format!(
                "{} scored on different examples",
                plural(differ.len(), "comparison")
            ),
            differ,
        )
    } else if same.is_empty() {
        COVERAGE.skip("no compared pair has per-example scores on both sides")
    } else {
        COVERAGE.pass("every compared pair was scored on the same examples", same)
    })
}
