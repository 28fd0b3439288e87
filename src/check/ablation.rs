//! The ablation: a row for each component of the method, each earning its
//! place (as `xreport ablation` judges it).

use super::diff::changed_keys;
use super::keys::{key_matches, normalise};
use super::kit::{Context, Finding, Level, Rule, describe, list, plural};

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
            matches!(keys.as_slice(), [k] if key_matches(component, k))
                || normalise(row).contains(&normalise(component))
                || ctx
                    .row_label(row)
                    .is_some_and(|l| normalise(l).contains(&normalise(component)))
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
    let evidence = |rows: &[String]| -> Vec<String> {
        report
            .comparisons
            .iter()
            .filter(|c| rows.contains(&c.treatment))
            .map(describe)
            .collect()
    };
    // Under a margin TOST decides (`xreport ablation --equivalence`); rows it
    // leaves undecided are named, not counted against the component.
    let (idle, beyond) = match ctx.inference.equivalence {
        Some(margin) => (
            format!(
                "is equivalent to {full} within ±{} on every metric (TOST, α = {}, {} correction)",
                margin.text(),
                ctx.alpha(),
                ctx.correction()
            ),
            "is not shown equivalent",
        ),
        None => (
            "changes nothing beyond noise".to_string(),
            "changes a metric beyond noise",
        ),
    };
    let undecided = report.undecided.clone().unwrap_or_default();
    let undecided_note = if undecided.is_empty() {
        String::new()
    } else {
        format!(
            "; undecided (neither significant nor equivalent): {}",
            list(&undecided)
        )
    };
    if report.not_earning.is_empty() {
        return EARNS.pass(
            format!(
                "removing each of {} {beyond} (vs {full}){undecided_note}",
                plural(ctx.roles.ablation_rows.len(), "component")
            ),
            evidence(&undecided),
        );
    }
    let mut lines = evidence(&report.not_earning);
    lines.extend(evidence(&undecided));
    EARNS.trip(
        format!(
            "removing {} {idle}: {}{undecided_note}",
            plural(report.not_earning.len(), "component"),
            list(&report.not_earning)
        ),
        lines,
    )
}
