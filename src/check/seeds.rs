//! Seeds: enough of them, shared, really applied, repeats kept apart, and a
//! spread across them that is small next to the mean.

use std::collections::BTreeMap;

use super::kit::{Context, Finding, Level, Rule, list, plural, seed_list};
use crate::analysis::report;
use crate::load::{natural_cmp, tidy};
use crate::render::format;
use crate::stats::describe;

const MIN: Rule = Rule {
    id: "seeds.min",
    level: Level::Fail,
    fix: "run more seeds of each condition (at least `min_seeds`; raise it in [check] of xreport.toml)",
};

const REPEATS: Rule = Rule {
    id: "seeds.repeats",
    level: Level::Warn,
    fix: "report the nondeterminism (or make the runs deterministic); never count a repeat as a seed",
};

const SHARED: Rule = Rule {
    id: "seeds.shared",
    level: Level::Warn,
    fix: "run the compared conditions on the same seed set",
};

const VARIED: Rule = Rule {
    id: "seeds.varied",
    level: Level::Fail,
    fix: "check that the seed reaches every random generator (torch, numpy, random, data loader workers)",
};

const STABLE: Rule = Rule {
    id: "variance.stable",
    level: Level::Warn,
    fix: "stabilise training (learning rate, warm-up, gradient clipping) before comparing; or raise `max_cv` in [check]",
};

/// Seeds per condition (from the tidy table: run trees and tables alike), natural order.
fn seeds_by_condition(ctx: &Context) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in tidy::rows(&ctx.study.results) {
        out.entry(row.condition.to_string())
            .or_default()
            .push(row.seed.to_string());
    }
    for seeds in out.values_mut() {
        seeds.sort_by(|a, b| natural_cmp(a, b));
        seeds.dedup();
    }
    out
}

/// Every condition (main, override sets, ablation rows) has at least `min_seeds` seeds.
pub fn min(ctx: &Context) -> Finding {
    let by = seeds_by_condition(ctx);
    let want = ctx.check.min_seeds;
    let short: Vec<String> = ctx
        .study
        .conditions
        .iter()
        .filter_map(|c| {
            let seeds = by.get(c).cloned().unwrap_or_default();
            (seeds.len() < want).then(|| {
                format!(
                    "{c}: {} ({})",
                    plural(seeds.len(), "seed"),
                    seed_list(&seeds)
                )
            })
        })
        .collect();
    if short.is_empty() {
        let fewest = by.values().map(Vec::len).min().unwrap_or(0);
        return MIN.pass(
            format!(
                "every condition has at least {want} seeds (fewest: {fewest}, {} conditions)",
                ctx.study.conditions.len()
            ),
            Vec::new(),
        );
    }
    MIN.trip(
        format!(
            "{} with fewer than {want} seeds",
            plural(short.len(), "condition")
        ),
        short,
    )
}

/// Repeats of one seed and config are not seeds; their spread is nondeterminism.
pub fn repeats(ctx: &Context) -> Finding {
    if ctx.study.repeats.is_empty() {
        return REPEATS.pass("no repeated runs of a seed", Vec::new());
    }
    let repeats = report::repeats(ctx.study, ctx.seeds);
    let differing: Vec<String> = repeats
        .iter()
        .filter(|r| r.spread.is_some_and(|s| s > 0.0))
        .map(|r| {
            format!(
                "{} seed {}: {} differs by {} across {} runs ({})",
                r.condition,
                r.seed.to_string().trim_matches('"'),
                r.metric,
                format::fixed(r.spread.unwrap_or_default(), 4),
                r.values.len(),
                r.paths.join(", ")
            )
        })
        .collect();
    let n = ctx.study.repeats.len();
    if differing.is_empty() {
        return REPEATS.pass(
            format!(
                "{} of a seed, not counted as seeds; identical values",
                plural(n, "repeated run")
            ),
            Vec::new(),
        );
    }
    REPEATS.trip(
        format!(
            "{} of a seed, not counted as seeds; values differ (nondeterminism)",
            plural(n, "repeated run")
        ),
        differing,
    )
}

/// The compared conditions ran on the same seed set.
pub fn shared(ctx: &Context) -> Finding {
    let pairs = ctx.pairs();
    if pairs.is_empty() {
        return SHARED.skip("no baseline and treatment to compare");
    }
    let by = seeds_by_condition(ctx);
    let empty = Vec::new();
    let mut mismatched = Vec::new();
    for (compared, reference) in &pairs {
        let a = by.get(compared).unwrap_or(&empty);
        let b = by.get(reference).unwrap_or(&empty);
        let only_a: Vec<String> = a.iter().filter(|s| !b.contains(s)).cloned().collect();
        let only_b: Vec<String> = b.iter().filter(|s| !a.contains(s)).cloned().collect();
        if !only_a.is_empty() || !only_b.is_empty() {
            mismatched.push(format!(
                "{compared} vs {reference}: only in {compared}: [{}]; only in {reference}: [{}]",
                seed_list(&only_a),
                seed_list(&only_b)
            ));
        }
    }
    if mismatched.is_empty() {
        return SHARED.pass(
            format!("{} on the same seeds", plural(pairs.len(), "compared pair")),
            Vec::new(),
        );
    }
    SHARED.trip(
        format!(
            "{} on different seed sets",
            plural(mismatched.len(), "compared pair")
        ),
        mismatched,
    )
}

/// Values differ across seeds: identical values suggest the seed was not applied.
pub fn varied(ctx: &Context) -> Finding {
    let mut all_constant = Vec::new();
    let mut some_constant = Vec::new();
    for condition in &ctx.study.conditions {
        let groups: Vec<_> = ctx
            .groups
            .iter()
            .filter(|g| &g.condition == condition && g.values.len() >= 2)
            .collect();
        let constant: Vec<String> = groups
            .iter()
            .filter(|g| g.values.iter().all(|v| *v == g.values[0]))
            .map(|g| {
                format!(
                    "{} = {} for seeds {}",
                    g.metric,
                    g.values[0],
                    seed_list(&g.seeds)
                )
            })
            .collect();
        if constant.is_empty() {
            continue;
        }
        let line = format!("{condition}: {}", constant.join("; "));
        let claim_constant = groups.iter().any(|g| {
            ctx.roles.claim_metrics.contains(&g.metric)
                && g.values.iter().all(|v| *v == g.values[0])
        });
        if constant.len() == groups.len() || claim_constant {
            all_constant.push(line);
        } else {
            some_constant.push(line);
        }
    }
    if !all_constant.is_empty() {
        let n = all_constant.len();
        all_constant.extend(some_constant);
        return VARIED.trip(
            format!(
                "{} with identical values of a reported metric on every seed: was the seed applied?",
                plural(n, "condition")
            ),
            all_constant,
        );
    }
    if !some_constant.is_empty() {
        return VARIED.warn(
            "some metrics do not vary across seeds (fine for counts and budgets, suspicious for scores)",
            some_constant,
        );
    }
    VARIED.pass("values differ across seeds in every condition", Vec::new())
}

/// Cross-seed spread is small next to the mean: coefficient of variation ≤ `max_cv`.
pub fn stable(ctx: &Context) -> Finding {
    let limit = ctx.check.max_cv;
    let mut unstable = Vec::new();
    let mut worst: Option<f64> = None;
    for g in ctx.groups.iter().filter(|g| g.values.len() >= 2) {
        let (Some(mean), Some(std)) = (describe::mean(&g.values), describe::std(&g.values, 1))
        else {
            continue;
        };
        if mean == 0.0 {
            continue;
        }
        let cv = std / mean.abs();
        worst = Some(worst.map_or(cv, |w: f64| w.max(cv)));
        if cv > limit {
            let d = format::decimals(Some(std), None);
            unstable.push(format!(
                "{} / {}: {} (std/|mean| = {}) over seeds {}: values {}",
                g.condition,
                g.metric,
                crate::render::format::Style::Text.mean_std(Some(mean), Some(std), d),
                format::fixed(cv, 3),
                seed_list(&g.seeds),
                list(&g.values.iter().map(|v| v.to_string()).collect::<Vec<_>>())
            ));
        }
    }
    match worst {
        None => STABLE.skip("no condition has two seeds with values"),
        Some(w) if unstable.is_empty() => STABLE.pass(
            format!(
                "cross-seed std is at most {} of the mean (limit {})",
                format::fixed(w, 3),
                format::fixed(limit, 3)
            ),
            Vec::new(),
        ),
        Some(_) => STABLE.trip(
            format!(
                "{} with std/|mean| above {}",
                plural(unstable.len(), "condition × metric"),
                format::fixed(limit, 3)
            ),
            unstable,
        ),
    }
}
