//! `xreport power`: power of Welch's test (or, with `--paired`, the paired
//! t-test) against seeds per group, and the seeds needed for the target
//! power, from pilot runs or from numbers; `--alternative` plans a one-sided
//! test and `--ratio` unequal group sizes (DESIGN §13).

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
use crate::stats::inference::Alternative;
use crate::stats::power::{self, SeedsNeeded, Spread};

#[derive(Debug, Serialize)]
pub struct PowerReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub alpha: f64,
    pub target_power: f64,
    pub max_seeds: usize,
    /// `--alternative`, stated for a one-sided test only.
    #[serde(skip_serializing_if = "is_two_sided")]
    pub alternative: Alternative,
    /// `--ratio`: treatment seeds per baseline seed; stated only when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    /// `--paired`: the power of the paired t-test; stated only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub paired: bool,
    /// Where the effect comes from: the pilot runs, or the numbers given.
    pub pilot: Option<Pilot>,
    pub effect: Effect,
    /// Power with n seeds per group (of the baseline with `--ratio`).
    pub curve: Vec<CurvePoint>,
    /// Seeds per group (of the baseline with `--ratio`) for the target
    /// power; null past `max_seeds`.
    pub seeds_needed: Option<usize>,
    /// With `--ratio`: the treatment's seeds for `seeds_needed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeds_needed_treatment: Option<usize>,
    pub notes: Vec<String>,
}

fn is_two_sided(alternative: &Alternative) -> bool {
    *alternative == Alternative::TwoSided
}

/// The planned test: `--alternative`, `--ratio` and `--paired` (two-sided,
/// `None` and false are the Welch test with equal sizes of DESIGN §4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub alternative: Alternative,
    /// n_treatment / n_baseline; `None` is equal sizes (and is not stated).
    pub ratio: Option<f64>,
    pub paired: bool,
}

#[derive(Debug, Serialize)]
pub struct Pilot {
    pub baseline: String,
    pub treatment: String,
    pub metric: String,
    pub n_baseline: usize,
    pub n_treatment: usize,
    /// With `--paired`: the seeds both conditions ran, which give the differences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_pairs: Option<usize>,
    /// The `--reduce` rule, stated when the pilot's training histories were reduced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduce: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Effect {
    pub diff: f64,
    /// The groups' stds; null when `--paired` numbers give only the std of
    /// the differences.
    pub std_baseline: Option<f64>,
    pub std_treatment: Option<f64>,
    /// With `--paired`: the std of the per-seed differences treatment − baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std_diff: Option<f64>,
    /// Δ / √((s_b² + s_t²)/2), Cohen's d with the average variance; with
    /// `--paired` Δ / s_d (Cohen's d_z, statsmodels `TTestPower`'s effect size).
    pub effect_size: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct CurvePoint {
    pub n: usize,
    /// With `--ratio`: the treatment's seeds for n of the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_treatment: Option<usize>,
    pub power: f64,
}

/// Where the numbers come from.
pub enum Source<'a> {
    Numbers {
        diff: f64,
        std_baseline: f64,
        std_treatment: f64,
    },
    /// `--paired` numbers: the mean and std of the per-seed differences.
    PairedNumbers { diff: f64, std_diff: f64 },
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

pub fn run(source: Source<'_>, inference: &Inference, plan: Plan) -> Result<PowerReport> {
    if let Some(r) = plan.ratio {
        if plan.paired {
            return Err(Error::usage(
                "--paired runs the same seeds in both conditions: it takes no --ratio",
            ));
        }
        if !(r.is_finite() && r > 0.0) {
            return Err(Error::usage(format!(
                "--ratio must be a positive number (treatment seeds per baseline seed), got {r}"
            )));
        }
        if !(1e-5..=1e5).contains(&r) {
            return Err(Error::usage(format!(
                "--ratio must be between 1e-5 and 1e5 (treatment seeds per baseline seed), got {r:e}"
            )));
        }
    }
    let (effect, pilot) = match source {
        Source::Numbers {
            diff,
            std_baseline,
            std_treatment,
        } => {
            if !(diff.is_finite() && std_baseline > 0.0 && std_treatment > 0.0) {
                return Err(Error::usage("--std must be positive and --diff a number"));
            }
            if plan.paired {
                return Err(Error::usage(
                    "--paired takes the std of the per-seed differences as --std, without --std-treatment",
                ));
            }
            (effect(diff, std_baseline, std_treatment), None)
        }
        Source::PairedNumbers { diff, std_diff } => {
            if !(diff.is_finite() && std_diff > 0.0 && std_diff.is_finite()) {
                return Err(Error::usage("--std must be positive and --diff a number"));
            }
            (paired_effect(diff, std_diff, None), None)
        }
        Source::Pilot {
            study,
            metrics,
            named,
            reduce,
        } => pilot_effect(study, metrics, named, &reduce, plan.paired)?,
    };
    let spread = match effect.std_diff {
        Some(sd_diff) => Spread::Paired { sd_diff },
        None => Spread::Groups {
            sd_baseline: effect.std_baseline.unwrap_or(0.0),
            sd_treatment: effect.std_treatment.unwrap_or(0.0),
            ratio: plan.ratio.unwrap_or(1.0),
        },
    };
    let Some(first) = power::fewest_seeds(spread).filter(|&n| n <= inference.max_seeds) else {
        return Err(Error::usage(format!(
            "--ratio {} leaves the treatment fewer than 2 seeds for every baseline up to --max-seeds {}",
            plan.ratio.unwrap_or(1.0),
            inference.max_seeds
        )));
    };
    let needed = power::seeds_needed_for(
        effect.diff,
        spread,
        inference.alpha,
        plan.alternative,
        inference.target_power,
        inference.max_seeds,
    );
    let seeds_needed = match needed {
        Some(SeedsNeeded::Exactly(n)) => Some(n),
        _ => None,
    };
    let treatment_seeds = |n: usize| plan.ratio.map(|r| power::treatment_seeds(n, r));
    // at least 19 points from the first n, to the seeds needed and a few past
    let last = inference
        .max_seeds
        .min(seeds_needed.map_or(50, |n| (n + 5).max(20)).max(first + 18));
    let curve =
        power::power_curve_for(effect.diff, spread, inference.alpha, plan.alternative, last)
            .into_iter()
            .map(|(n, power)| CurvePoint {
                n,
                n_treatment: treatment_seeds(n),
                power,
            })
            .collect();
    let notes = vec![
        design_note(&effect, inference, plan),
        needed_note(seeds_needed, inference, plan),
    ];
    Ok(PowerReport {
        xreport_version: report::VERSION,
        schema: "xreport.power/1",
        alpha: inference.alpha,
        target_power: inference.target_power,
        max_seeds: inference.max_seeds,
        alternative: plan.alternative,
        ratio: plan.ratio,
        paired: plan.paired,
        pilot,
        effect,
        curve,
        seeds_needed,
        seeds_needed_treatment: seeds_needed.and_then(treatment_seeds),
        notes,
    })
}

/// What was computed: the test, its sides and α, the effect, the sizes.
fn design_note(effect: &Effect, inference: &Inference, plan: Plan) -> String {
    let test = if plan.paired {
        "the paired t-test"
    } else {
        "Welch's t-test"
    };
    let sides = match plan.alternative {
        Alternative::TwoSided => "two-sided",
        Alternative::Greater => "one-sided, treatment greater",
        Alternative::Less => "one-sided, treatment less",
    };
    let spread = match effect.std_diff {
        Some(sd) => format!("std {} of the per-seed differences", format::fixed(sd, 4)),
        None => format!(
            "std {} (baseline) and {} (treatment)",
            format::fixed(effect.std_baseline.unwrap_or(0.0), 4),
            format::fixed(effect.std_treatment.unwrap_or(0.0), 4)
        ),
    };
    let sizes = match (plan.paired, plan.ratio) {
        (true, _) => "n seeds per group, paired by seed id".to_string(),
        (false, Some(r)) => {
            format!("n seeds of the baseline and {r}·n (rounded up) of the treatment")
        }
        (false, None) => "n seeds per group".to_string(),
    };
    format!(
        "Power of {test} ({sides}, α = {}) at Δ = {}, {spread}, {sizes}.",
        inference.alpha,
        format::fixed(effect.diff, 4),
    )
}

/// The seeds the target power needs, or that it is out of reach.
fn needed_note(seeds_needed: Option<usize>, inference: &Inference, plan: Plan) -> String {
    let target = format::percent(inference.target_power);
    match (seeds_needed, plan.ratio) {
        (Some(n), Some(r)) => format!(
            "Seeds needed for {target}% power: {n} for the baseline and {} for the treatment.",
            power::treatment_seeds(n, r)
        ),
        (Some(n), None) => format!("Seeds needed for {target}% power: {n} per group."),
        (None, _) => format!(
            "More than {} seeds per group would be needed for {target}% power: the effect is too small for its noise{}.",
            inference.max_seeds,
            if plan.alternative == Alternative::TwoSided {
                ""
            } else {
                ", or points against the one-sided alternative"
            }
        ),
    }
}

fn effect(diff: f64, std_baseline: f64, std_treatment: f64) -> Effect {
    let pooled = ((std_baseline.powi(2) + std_treatment.powi(2)) / 2.0).sqrt();
    Effect {
        diff,
        std_baseline: Some(std_baseline),
        std_treatment: Some(std_treatment),
        std_diff: None,
        effect_size: (pooled > 0.0).then(|| diff / pooled),
    }
}

/// The paired effect: Δ and s_d of the differences, d_z = Δ/s_d; the
/// groups' stds when a pilot gives them.
fn paired_effect(diff: f64, std_diff: f64, group_stds: Option<(f64, f64)>) -> Effect {
    Effect {
        diff,
        std_baseline: group_stds.map(|s| s.0),
        std_treatment: group_stds.map(|s| s.1),
        std_diff: Some(std_diff),
        effect_size: Some(diff / std_diff),
    }
}

fn pilot_effect(
    study: &Study,
    selection: &Metrics,
    named: &Named,
    reduce: &Reduce,
    paired: bool,
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
    let group = |condition: &str| {
        all.iter()
            .find(|g| g.condition == condition && g.metric == metric)
    };
    let (base, treat) = (group(&baseline), group(&treatment));
    let values = |g: Option<&groups::SeedValues>| g.map(|g| g.values.clone()).unwrap_or_default();
    let (b, t) = (values(base), values(treat));
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
    let differences = match (paired, base, treat) {
        (true, Some(base), Some(treat)) => Some(seed_differences(base, treat)),
        _ => None,
    };
    let effect = match &differences {
        None => effect(mt - mb, sb, st),
        Some(d) => match (describe::mean(d), describe::std(d, 1)) {
            (Some(m), Some(sd)) if sd > 0.0 => paired_effect(m, sd, Some((sb, st))),
            (_, Some(_)) => {
                return Err(Error::usage(format!(
                    "the per-seed differences of `{metric}` are all equal: the paired test is undefined"
                )));
            }
            _ => {
                return Err(Error::usage(format!(
                    "--paired needs at least 2 seed ids that both {baseline} and {treatment} ran for `{metric}`; they share {}",
                    d.len()
                )));
            }
        },
    };
    let pilot = Pilot {
        baseline,
        treatment,
        metric,
        n_baseline: b.len(),
        n_treatment: t.len(),
        n_pairs: differences.as_ref().map(Vec::len),
        reduce: all.iter().any(|g| g.reduced).then(|| reduce.rule.name()),
    };
    Ok((effect, Some(pilot)))
}

/// treatment − baseline for each seed id both ran, in the baseline's order.
fn seed_differences(base: &groups::SeedValues, treat: &groups::SeedValues) -> Vec<f64> {
    base.seeds
        .iter()
        .zip(&base.values)
        .filter_map(|(seed, b)| treat.value_of(seed).map(|t| t - b))
        .collect()
}
