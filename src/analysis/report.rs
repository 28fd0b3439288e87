//! Pieces shared by every report: version, seeds as JSON, metric info,
//! skipped runs and repeats as notes.

use serde::Serialize;
use serde_json::Value;

use super::direction::Direction;
use super::options::Metrics;
use crate::load::{Run, Study, display_path};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A metric as the JSON lists it.
#[derive(Debug, Clone, Serialize)]
pub struct MetricInfo {
    pub name: String,
    pub direction: Direction,
    pub label: String,
    /// Fixed decimals from the study file, when it sets them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digits: Option<usize>,
}

pub fn metric_info(names: &[String], metrics: &Metrics) -> Vec<MetricInfo> {
    names
        .iter()
        .map(|name| MetricInfo {
            name: name.clone(),
            direction: metrics.direction(name),
            label: metrics.label(name),
            digits: metrics.digits(name),
        })
        .collect()
}

/// Seed ids as JSON: integers when every seed id in the report is an integer.
#[derive(Debug, Clone, Copy)]
pub struct SeedStyle {
    integers: bool,
}

impl SeedStyle {
    pub fn of(study: &Study) -> SeedStyle {
        let integers =
            crate::load::tidy::rows(&study.results).all(|r| r.seed.parse::<i64>().is_ok());
        SeedStyle { integers }
    }

    pub fn ids(self, seeds: &[String]) -> Vec<Value> {
        seeds.iter().map(|s| self.id(s)).collect()
    }

    pub fn id(self, seed: &str) -> Value {
        match seed.parse::<i64>() {
            Ok(i) if self.integers => Value::from(i),
            _ => Value::from(seed),
        }
    }
}

/// Repeated runs of one seed and config: their values, whose spread is
/// nondeterminism, not seed variance.
#[derive(Debug, Clone, Serialize)]
pub struct Repeat {
    pub condition: String,
    pub seed: Value,
    pub metric: String,
    pub paths: Vec<String>,
    pub values: Vec<Option<f64>>,
    /// max − min of the values present.
    pub spread: Option<f64>,
}

pub fn repeats(study: &Study, seeds: SeedStyle) -> Vec<Repeat> {
    let mut out = Vec::new();
    for counted in &study.runs {
        let same: Vec<&Run> = study
            .repeats
            .iter()
            .filter(|r| r.condition == counted.condition && r.seed == counted.seed)
            .collect();
        if same.is_empty() {
            continue;
        }
        for metric in counted.metric_names() {
            let mut values = vec![counted.value_of(metric)];
            let mut paths = vec![display_path(&counted.path)];
            for r in &same {
                values.push(r.value_of(metric));
                paths.push(display_path(&r.path));
            }
            let present: Vec<f64> = values.iter().flatten().copied().collect();
            let spread = crate::stats::describe::min_max(&present).map(|(lo, hi)| hi - lo);
            out.push(Repeat {
                condition: counted.condition.clone(),
                seed: seeds.id(&counted.seed),
                metric: metric.to_string(),
                paths,
                values,
                spread,
            });
        }
    }
    out
}
