//! The claim: each treatment against the baseline with the same test,
//! correction and verdicts as `xreport compare`.

use super::kit::{Context, Finding, Level, Rule, describe, plural};
use crate::analysis::compare::Verdict;
use crate::render::format;

const NOISE: Rule = Rule {
    id: "compare.noise",
    level: Level::Fail,
    fix: "do not claim an improvement smaller than the spread across seeds; run more seeds or drop the claim",
};

const SIGNIFICANT: Rule = Rule {
    id: "compare.significant",
    level: Level::Fail,
    fix: "claim only improvements that are significant after correction (or report them as not significant)",
};

const POWER: Rule = Rule {
    id: "compare.power",
    level: Level::Warn,
    fix: "run the number of seeds per group that `xreport power` gives for the target power",
};

fn skip_reason(ctx: &Context) -> Option<&'static str> {
    if ctx.roles.baseline.is_none() {
        return Some("no baseline named or inferable: name it with --baseline");
    }
    if ctx.roles.treatments.is_empty() {
        return Some("no treatment to compare with the baseline");
    }
    if ctx.comparisons.is_empty() {
        return Some("the baseline and treatments share no metric");
    }
    None
}

/// The improvement exceeds the cross-seed std: no `within-noise` verdict,
/// and under an equivalence margin no `equivalent` one (TOST shows the
/// treatment within ±margin of the baseline).
pub fn noise(ctx: &Context) -> Finding {
    if let Some(reason) = skip_reason(ctx) {
        return NOISE.skip(reason);
    }
    let bad: Vec<String> = ctx
        .comparisons
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::WithinNoise | Verdict::Equivalent))
        .map(describe)
        .collect();
    let what = match ctx.inference.equivalence {
        Some(margin) => format!(
            "within the cross-seed std or equivalent to the baseline (TOST ±{}, α = {}, {} correction)",
            margin.text(),
            ctx.alpha(),
            ctx.correction()
        ),
        None => "within the cross-seed std".to_string(),
    };
    if bad.is_empty() {
        return NOISE.pass(
            format!(
                "no difference {what} ({})",
                plural(ctx.comparisons.len(), "comparison")
            ),
            ctx.comparisons.iter().map(describe).collect(),
        );
    }
    NOISE.trip(format!("{} {what}", plural(bad.len(), "difference")), bad)
}

/// Every treatment improves significantly after correction.
pub fn significant(ctx: &Context) -> Finding {
    if let Some(reason) = skip_reason(ctx) {
        return SIGNIFICANT.skip(reason);
    }
    let bad: Vec<String> = ctx
        .comparisons
        .iter()
        .filter(|c| c.verdict != Verdict::Improvement)
        .map(|c| {
            let mut line = describe(c);
            let undefined =
                |n: &&String| n.starts_with("test undefined") || n.starts_with("ASO undefined");
            if let Some(note) = c.notes.iter().find(undefined) {
                line.push_str(&format!(" — {note}"));
            }
            line
        })
        .collect();
    let settings = match ctx.aso_threshold() {
        Some(tau) => format!(
            "ASO ε_min < {tau} at confidence 1 − α{}, α = {}",
            if ctx.corrected() {
                "/m (Bonferroni)"
            } else {
                ""
            },
            ctx.alpha()
        ),
        None => format!("α = {}, {} correction", ctx.alpha(), ctx.correction()),
    };
    if bad.is_empty() {
        return SIGNIFICANT.pass(
            format!(
                "{} significant after correction ({settings})",
                plural(ctx.comparisons.len(), "improvement")
            ),
            ctx.comparisons.iter().map(describe).collect(),
        );
    }
    SIGNIFICANT.trip(
        format!(
            "{} not a significant improvement ({settings})",
            plural(bad.len(), "comparison")
        ),
        bad,
    )
}

/// Power at the observed effect reaches the target, else the seeds needed.
pub fn power(ctx: &Context) -> Finding {
    if let Some(reason) = skip_reason(ctx) {
        return POWER.skip(reason);
    }
    let target = ctx.target_power();
    let max = ctx.max_seeds();
    let bad: Vec<String> = ctx
        .comparisons
        .iter()
        .filter(|c| c.power.is_none_or(|p| p < target))
        .map(|c| {
            let needed = match (c.power, c.seeds_needed) {
                (None, _) => "power undefined".to_string(),
                (_, Some(n)) => format!("{n} seeds per group needed"),
                (_, None) => format!("more than {max} seeds per group needed"),
            };
            format!(
                "{} / {}: power {} with {} vs {} seeds; {needed}",
                c.treatment,
                c.metric,
                format::opt(c.power, 2),
                c.n_baseline,
                c.n_treatment
            )
        })
        .collect();
    if bad.is_empty() {
        return POWER.pass(
            format!("every comparison has power ≥ {}", format::fixed(target, 2)),
            Vec::new(),
        );
    }
    POWER.trip(
        format!(
            "{} below {} power",
            plural(bad.len(), "comparison"),
            format::fixed(target, 2)
        ),
        bad,
    )
}
