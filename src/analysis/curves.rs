//! `xreport curves`: per condition × metric, the mean over seeds at every
//! step with a bootstrap CI band (DESIGN section 5, schema `xreport.curves/1`).
//!
//! Curves are aligned on the steps every seed of the condition has a value
//! at; the CI at each step resamples seeds exactly as `summary` does (same
//! bootstrap, one seeded stream per condition, metric and step). With
//! `--smooth W` each seed's curve is first smoothed by an exponential moving
//! average s₀ = x₀, sₜ = W·sₜ₋₁ + (1 − W)·xₜ over the aligned steps (the
//! TensorBoard slider without its debiasing), and the band is of the
//! smoothed curves.

use rayon::prelude::*;
use serde::Serialize;

use super::groups::{self, Observation};
use super::options::{Describe, Metrics};
use super::reduce::{self, Series};
use super::report::{self, MetricInfo};
use crate::error::{Error, Result};
use crate::load::{Skipped, Study};
use crate::stats::bootstrap::{self, BootstrapConfig, CiMethod};
use crate::stats::{describe, rng};

#[derive(Debug, Serialize)]
pub struct CurvesReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: CurveSettings,
    pub metrics: Vec<MetricInfo>,
    pub curves: Vec<Curve>,
    /// Steps dropped by alignment, metrics without histories.
    pub notes: Vec<String>,
    /// Condition → the label the tables print, where they differ.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub labels: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CurveSettings {
    pub ci_method: CiMethod,
    pub confidence: f64,
    pub resamples: usize,
    pub seed: u64,
    /// EMA weight, or null for the raw curves.
    pub smooth: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_step: Option<i64>,
}

/// The mean curve of one condition × metric.
#[derive(Debug, Clone, Serialize)]
pub struct Curve {
    pub condition: String,
    pub metric: String,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub step: i64,
    /// Seeds averaged at this step.
    pub n: usize,
    pub mean: f64,
    /// Bootstrap CI of the mean over seeds; null with fewer than 2 seeds.
    pub ci: Option<[f64; 2]>,
}

/// Smoothing weight `--smooth`, in [0, 1).
pub fn check_smooth(weight: Option<f64>) -> Result<Option<f64>> {
    match weight {
        Some(w) if !(0.0..1.0).contains(&w) => Err(Error::usage(format!(
            "--smooth must be at least 0 and below 1 (the EMA weight of the previous point), got {w}"
        ))),
        other => Ok(other),
    }
}

/// Exponential moving average s₀ = x₀, sₜ = w·sₜ₋₁ + (1 − w)·xₜ.
pub fn ema(x: &[f64], weight: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len());
    for &v in x {
        let next = match out.last() {
            Some(&prev) => weight * prev + (1.0 - weight) * v,
            None => v,
        };
        out.push(next);
    }
    out
}

pub fn run(
    study: &Study,
    metrics: &Metrics,
    settings: &Describe,
    smooth: Option<f64>,
) -> Result<CurvesReport> {
    let (by_key, names) = groups::observations(study);
    let mut notes = Vec::new();
    let mut jobs: Vec<(&str, &str, &[Observation<'_>])> = Vec::new();
    let mut without_history: Vec<&str> = Vec::new();
    for condition in &study.conditions {
        for metric in names.iter().filter(|m| metrics.includes(m)) {
            let Some(entries) = by_key.get(&(condition.as_str(), *metric)) else {
                continue;
            };
            if entries.iter().any(|e| e.2.is_some()) {
                jobs.push((condition, metric, entries));
            } else if !without_history.contains(metric) {
                without_history.push(metric);
            }
        }
    }
    if jobs.is_empty() {
        return Err(Error::usage(
            "no training histories among the inputs: curves need a metric logged over steps",
        ));
    }
    for metric in &without_history {
        notes.push(format!(
            "{metric}: one value per seed, no history: not drawn"
        ));
    }
    let curves: Vec<(Curve, Option<String>)> = jobs
        .par_iter()
        .map(|(condition, metric, entries)| curve(condition, metric, entries, settings, smooth))
        .collect();
    let mut out = Vec::with_capacity(curves.len());
    for (curve, note) in curves {
        notes.extend(note);
        out.push(curve);
    }
    let drawn = groups::metric_names_of(out.iter().map(|c| c.metric.clone()).collect());
    Ok(CurvesReport {
        xreport_version: report::VERSION,
        schema: "xreport.curves/1",
        skipped: study.skipped.clone(),
        settings: CurveSettings {
            ci_method: settings.ci_method,
            confidence: settings.confidence,
            resamples: settings.resamples,
            seed: settings.seed,
            smooth,
            max_step: settings.reduce.max_step,
        },
        metrics: report::metric_info(&drawn, metrics),
        curves: out,
        notes,
        labels: study.labels.clone(),
    })
}

fn curve(
    condition: &str,
    metric: &str,
    entries: &[Observation<'_>],
    settings: &Describe,
    smooth: Option<f64>,
) -> (Curve, Option<String>) {
    let histories = groups::histories(entries, settings.reduce.max_step);
    let series: Vec<&Series> = histories.iter().map(|(_, h)| h).collect();
    let steps = reduce::shared_steps(&series);
    let mut all: Vec<i64> = series.iter().flat_map(|h| h.keys().copied()).collect();
    all.sort_unstable();
    all.dedup();
    let note = (steps.len() < all.len()).then(|| {
        format!(
            "{condition} / {metric}: drawn on the {} steps every seed has a value at; {} other steps dropped",
            steps.len(),
            all.len() - steps.len()
        )
    });
    // seed × step matrix on the shared steps, smoothed per seed.
    let rows: Vec<Vec<f64>> = series
        .iter()
        .map(|h| {
            let raw: Vec<f64> = steps
                .iter()
                .filter_map(|s| h.get(s).copied().flatten())
                .collect();
            match smooth {
                Some(w) => ema(&raw, w),
                None => raw,
            }
        })
        .collect();
    let config = BootstrapConfig {
        resamples: settings.resamples,
        confidence: settings.confidence,
        method: settings.ci_method,
        seed: settings.seed,
    };
    let points = steps
        .par_iter()
        .enumerate()
        .filter_map(|(j, &step)| {
            let values: Vec<f64> = rows.iter().map(|r| r[j]).collect();
            let mean = describe::mean(&values)?;
            let key = rng::stream_key(&["curve", condition, metric, &step.to_string()]);
            let ci = bootstrap::mean_ci(&values, &config, key).map(|b| [b.lo, b.hi]);
            Some(Point {
                step,
                n: values.len(),
                mean,
                ci,
            })
        })
        .collect();
    (
        Curve {
            condition: condition.to_string(),
            metric: metric.to_string(),
            points,
        },
        note,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ema_starts_at_the_first_value() {
        assert_eq!(ema(&[1.0, 3.0, 3.0], 0.5), vec![1.0, 2.0, 2.5]);
        assert_eq!(ema(&[1.0, 3.0], 0.0), vec![1.0, 3.0]);
    }
}
