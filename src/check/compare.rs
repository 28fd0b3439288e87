//! The claim: each treatment against the baseline with the same test,
//! correction and verdicts as `xreport compare`; and the ablation: a row per
//! component, each earning its place.

use super::config::{self, changed_keys};
use super::{Context, Finding, Level, Rule, list, plural};
use crate::analysis::compare::{Comparison, Verdict};
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

const PRESENT: Rule = Rule {
    id: "ablation.present",
    level: Level::Fail,
    fix: "add one ablation row (the full model minus that component) under ablations/ for each component",
};

const EARNS: Rule = Rule {
    id: "ablation.earns-place",
    level: Level::Warn,
    fix: "drop the component, or show where it matters (more seeds, another metric or task)",
};

/// `cond / metric: Δ −1.20 (std 0.40 vs 0.30), p (holm) 0.0017, improvement`.
fn describe(c: &Comparison) -> String {
    let d = format::decimals(c.std_baseline, None);
    format!(
        "{} / {}: Δ {} (std {} vs {}), p {} (corrected {}), power {}, {}",
        c.treatment,
        c.metric,
        c.diff
            .map_or_else(|| format::UNDEFINED.to_string(), |v| format::signed(v, d)),
        format::opt(c.std_baseline, d),
        format::opt(c.std_treatment, d),
        format::p_value(c.p_value),
        format::p_value(c.p_adjusted),
        format::opt(c.power, 2),
        c.verdict.name()
    )
}

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

/// The improvement exceeds the cross-seed std: no `within-noise` verdict.
pub fn noise(ctx: &Context) -> Finding {
    if let Some(reason) = skip_reason(ctx) {
        return NOISE.skip(reason);
    }
    let bad: Vec<String> = ctx
        .comparisons
        .iter()
        .filter(|c| c.verdict == Verdict::WithinNoise)
        .map(describe)
        .collect();
    if bad.is_empty() {
        return NOISE.pass(
            format!(
                "no difference within the cross-seed std ({})",
                plural(ctx.comparisons.len(), "comparison")
            ),
            ctx.comparisons.iter().map(describe).collect(),
        );
    }
    NOISE.trip(
        format!(
            "{} within the cross-seed std",
            plural(bad.len(), "difference")
        ),
        bad,
    )
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
            if let Some(note) = c.notes.iter().find(|n| n.starts_with("test undefined")) {
                line.push_str(&format!(" — {note}"));
            }
            line
        })
        .collect();
    let settings = format!("α = {}, {} correction", ctx.alpha(), ctx.correction());
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

/// One ablation row for each component of the method. Components come from
/// `[check] components`, else from the config keys the full model changes
/// against the baseline. With a single component, the baseline itself is its
/// ablation.
pub fn ablation_present(ctx: &Context) -> Finding {
    let Some(full) = &ctx.roles.full else {
        return PRESENT.skip("no full model: name it in `[ablation] full` or give one treatment");
    };
    let named = ctx.check.components.clone();
    let derived = ctx
        .roles
        .baseline
        .as_ref()
        .and_then(|b| changed_keys(ctx, full, b));
    let components: Vec<String> = match (&named, &derived) {
        (Some(n), _) if !n.is_empty() => n.clone(),
        (_, Some(keys)) => keys.iter().map(|k| k.key.clone()).collect(),
        _ => {
            return PRESENT.skip(
                "no component list: give `components` in [check] or a baseline with configs",
            );
        }
    };
    if components.is_empty() {
        return PRESENT.skip(format!(
            "the full model {full} changes no config key against the baseline: list the components in [check] components"
        ));
    }
    let rows: Vec<(String, Vec<String>)> = ctx
        .roles
        .ablation_rows
        .iter()
        .map(|r| {
            let keys = changed_keys(ctx, r, full)
                .map(|ks| ks.into_iter().map(|k| k.key).collect())
                .unwrap_or_default();
            (r.clone(), keys)
        })
        .collect();
    let baseline_is_ablation =
        components.len() == 1 && derived.as_ref().is_some_and(|d| d.len() == 1);
    let mut covered = Vec::new();
    let mut missing = Vec::new();
    for component in &components {
        let row = rows.iter().find(|(row, keys)| {
            matches!(keys.as_slice(), [k] if config::key_matches(component, k))
                || config::normalise(row).contains(&config::normalise(component))
                || ctx
                    .row_label(row)
                    .is_some_and(|l| config::normalise(l).contains(&config::normalise(component)))
        });
        match row {
            Some((row, _)) => covered.push(format!("{component}: {row}")),
            None if baseline_is_ablation => covered.push(format!(
                "{component}: the baseline {} (the only change)",
                ctx.roles.baseline.as_deref().unwrap_or_default()
            )),
            None => missing.push(component.clone()),
        }
    }
    if missing.is_empty() {
        return PRESENT.pass(
            format!("an ablation for each component ({})", list(&components)),
            covered,
        );
    }
    PRESENT.trip(
        format!(
            "no ablation row for {} of {full}: {}",
            plural(missing.len(), "component"),
            list(&missing)
        ),
        missing
            .iter()
            .map(|m| format!("{m}: no row under ablations/ changes or names it"))
            .chain(covered)
            .collect(),
    )
}

/// Components whose removal changes nothing beyond noise on every metric are
/// named: `xreport ablation`'s `not_earning`.
pub fn earns_place(ctx: &Context) -> Finding {
    let Some(full) = &ctx.roles.full else {
        return EARNS.skip("no full model for the ablation rows");
    };
    let Some(report) = &ctx.ablation else {
        return EARNS.skip("no ablation rows");
    };
    if report.not_earning.is_empty() {
        return EARNS.pass(
            format!(
                "removing each of {} changes a metric beyond noise (vs {full})",
                plural(ctx.roles.ablation_rows.len(), "component")
            ),
            Vec::new(),
        );
    }
    let idle: Vec<String> = report
        .comparisons
        .iter()
        .filter(|c| report.not_earning.contains(&c.treatment))
        .map(describe)
        .collect();
    EARNS.trip(
        format!(
            "removing {} changes nothing beyond noise: {}",
            plural(report.not_earning.len(), "component"),
            list(&report.not_earning)
        ),
        idle,
    )
}
