//! `xreport power`: power of Welch's test against seeds per group, and the
//! seeds needed for the target power, from pilot runs or from numbers.

use serde::Serialize;

use super::groups;
use super::options::{Inference, Metrics};
use super::reduce::Reduce;
use super::report;
use super::roles::{self, Named};
use crate::error::{Error, Result};
use crate::load::Study;
use crate::render::format;
use crate::stats::describe;
use crate::stats::power::{self, SeedsNeeded};

#[derive(Debug, Serialize)]
pub struct PowerReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub alpha: f64,
    pub target_power: f64,
    pub max_seeds: usize,
    /// Where the effect comes from: the pilot runs, or the numbers given.
    pub pilot: Option<Pilot>,
    pub effect: Effect,
    /// Power with n seeds per group.
    pub curve: Vec<CurvePoint>,
    /// Seeds per group for the target power; null past `max_seeds`.
    pub seeds_needed: Option<usize>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Pilot {
    pub baseline: String,
    pub treatment: String,
    pub metric: String,
    pub n_baseline: usize,
    pub n_treatment: usize,
    /// The `--reduce` rule, stated when the pilot's training histories were reduced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduce: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Effect {
    pub diff: f64,
    pub std_baseline: f64,
    pub std_treatment: f64,
    /// Δ / √((s_b² + s_t²)/2), Cohen's d with the average variance.
    pub effect_size: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct CurvePoint {
    pub n: usize,
    pub power: f64,
}

/// Where the numbers come from.
pub enum Source<'a> {
    Numbers {
        diff: f64,
        std_baseline: f64,
        std_treatment: f64,
    },
    Pilot {
        study: &'a Study,
        /// The metric selection (exactly one must be left) and directions.
        metrics: &'a Metrics,
        /// The roles the user named (`--baseline`, `--treatment`, the study file).
        named: &'a Named,
        /// How training histories become one value per seed.
        reduce: Reduce,
    },
}

pub fn run(source: Source<'_>, inference: &Inference) -> Result<PowerReport> {
    let (effect, pilot) = match source {
        Source::Numbers {
            diff,
            std_baseline,
            std_treatment,
        } => {
            if !(diff.is_finite() && std_baseline > 0.0 && std_treatment > 0.0) {
                return Err(Error::usage("--std must be positive and --diff a number"));
            }
            (effect(diff, std_baseline, std_treatment), None)
        }
        Source::Pilot {
            study,
            metrics,
            named,
            reduce,
        } => pilot_effect(study, metrics, named, &reduce)?,
    };
    let needed = power::seeds_needed(
        effect.diff,
        effect.std_baseline,
        effect.std_treatment,
        inference.alpha,
        inference.target_power,
        inference.max_seeds,
    );
    let seeds_needed = match needed {
        Some(SeedsNeeded::Exactly(n)) => Some(n),
        _ => None,
    };
    let last = inference
        .max_seeds
        .min(seeds_needed.map_or(50, |n| (n + 5).max(20)));
    let curve = power::power_curve(
        effect.diff,
        effect.std_baseline,
        effect.std_treatment,
        inference.alpha,
        last,
    )
    .into_iter()
    .map(|(n, power)| CurvePoint { n, power })
    .collect();
    let mut notes = vec![format!(
        "Power of Welch's t-test (two-sided, α = {}) at Δ = {}, std {} (baseline) and {} (treatment), n seeds per group.",
        inference.alpha,
        format::fixed(effect.diff, 4),
        format::fixed(effect.std_baseline, 4),
        format::fixed(effect.std_treatment, 4)
    )];
    notes.push(match seeds_needed {
        Some(n) => format!(
            "Seeds needed for {}% power: {n} per group.",
            format::percent(inference.target_power)
        ),
        None => format!(
            "More than {} seeds per group would be needed for {}% power: the effect is too small for its noise.",
            inference.max_seeds,
            format::percent(inference.target_power)
        ),
    });
    Ok(PowerReport {
        xreport_version: report::VERSION,
        schema: "xreport.power/1",
        alpha: inference.alpha,
        target_power: inference.target_power,
        max_seeds: inference.max_seeds,
        pilot,
        effect,
        curve,
        seeds_needed,
        notes,
    })
}

fn effect(diff: f64, std_baseline: f64, std_treatment: f64) -> Effect {
    let pooled = ((std_baseline.powi(2) + std_treatment.powi(2)) / 2.0).sqrt();
    Effect {
        diff,
        std_baseline,
        std_treatment,
        effect_size: (pooled > 0.0).then(|| diff / pooled),
    }
}

fn pilot_effect(
    study: &Study,
    selection: &Metrics,
    named: &Named,
    reduce: &Reduce,
) -> Result<(Effect, Option<Pilot>)> {
    let (baseline, treatment) = roles::resolve(study, named)?.pilot()?;
    let all = groups::seed_values(study, reduce, &|m| selection.direction(m));
    let mut metrics = groups::metric_names(&all);
    metrics.retain(|m| selection.includes(m));
    let metric = match metrics.as_slice() {
        [one] => one.clone(),
        _ => {
            return Err(Error::usage(format!(
                "choose one pilot metric with --metric; {} match: {}",
                metrics.len(),
                groups::metric_names(&all).join(", ")
            )));
        }
    };
    let values = |condition: &str| {
        all.iter()
            .find(|g| g.condition == condition && g.metric == metric)
            .map(|g| g.values.clone())
            .unwrap_or_default()
    };
    let (b, t) = (values(&baseline), values(&treatment));
    let stds = (describe::std(&b, 1), describe::std(&t, 1));
    let (Some(sb), Some(st), Some(mb), Some(mt)) =
        (stds.0, stds.1, describe::mean(&b), describe::mean(&t))
    else {
        return Err(Error::usage(format!(
            "pilot runs need at least 2 seeds per condition for `{metric}` ({} has {}, {treatment} has {})",
            baseline,
            b.len(),
            t.len()
        )));
    };
    if sb == 0.0 && st == 0.0 {
        return Err(Error::usage(format!(
            "the pilot runs of `{metric}` have no variance across seeds — was the seed applied?"
        )));
    }
    let pilot = Pilot {
        baseline,
        treatment,
        metric,
        n_baseline: b.len(),
        n_treatment: t.len(),
        reduce: all.iter().any(|g| g.reduced).then(|| reduce.rule.name()),
    };
    Ok((effect(mt - mb, sb, st), Some(pilot)))
}
