//! The one tidy table every source is loaded into:
//! `condition, seed, metric, value, task, example, step` (DESIGN section 3).
//!
//! `value` is null for a missing value (null, NaN or ±inf in the source);
//! `task`, `example` and `step` are null when the source has no such column.

use polars::prelude::*;

pub const CONDITION: &str = "condition";
pub const SEED: &str = "seed";
pub const METRIC: &str = "metric";
pub const VALUE: &str = "value";
pub const TASK: &str = "task";
pub const EXAMPLE: &str = "example";
pub const STEP: &str = "step";

/// Rows of the tidy table, column by column, before they become a frame.
#[derive(Debug, Default)]
pub struct TidyBuilder {
    condition: Vec<String>,
    seed: Vec<String>,
    metric: Vec<String>,
    value: Vec<Option<f64>>,
    task: Vec<Option<String>>,
    example: Vec<Option<String>>,
    step: Vec<Option<i64>>,
}

/// One observation: a metric's value for one seed of one condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub condition: &'a str,
    pub seed: &'a str,
    pub metric: &'a str,
    pub value: Option<f64>,
    pub task: Option<&'a str>,
    pub example: Option<&'a str>,
    pub step: Option<i64>,
}

impl TidyBuilder {
    pub fn push(&mut self, row: Row<'_>) {
        self.condition.push(row.condition.to_string());
        self.seed.push(row.seed.to_string());
        self.metric.push(row.metric.to_string());
        self.value.push(row.value.filter(|v| v.is_finite()));
        self.task.push(row.task.map(str::to_string));
        self.example.push(row.example.map(str::to_string));
        self.step.push(row.step);
    }

    pub fn finish(self) -> DataFrame {
        let height = self.condition.len();
        let columns = vec![
            Column::new(CONDITION.into(), self.condition),
            Column::new(SEED.into(), self.seed),
            Column::new(METRIC.into(), self.metric),
            Column::new(VALUE.into(), self.value),
            Column::new(TASK.into(), self.task),
            Column::new(EXAMPLE.into(), self.example),
            Column::new(STEP.into(), self.step),
        ];
        // The columns are built above with equal lengths and distinct names,
        // the only two ways DataFrame::new can fail.
        DataFrame::new(height, columns).expect("tidy columns have equal lengths")
    }
}

/// Iterate over the rows of a tidy frame built by [`TidyBuilder`].
pub fn rows(frame: &DataFrame) -> impl Iterator<Item = Row<'_>> {
    let text = |name: &str| frame.column(name).ok().and_then(|c| c.str().ok());
    let condition = text(CONDITION);
    let seed = text(SEED);
    let metric = text(METRIC);
    let task = text(TASK);
    let example = text(EXAMPLE);
    let value = frame.column(VALUE).ok().and_then(|c| c.f64().ok());
    let step = frame.column(STEP).ok().and_then(|c| c.i64().ok());
    (0..frame.height()).map(move |i| Row {
        condition: condition.and_then(|c| c.get(i)).unwrap_or_default(),
        seed: seed.and_then(|c| c.get(i)).unwrap_or_default(),
        metric: metric.and_then(|c| c.get(i)).unwrap_or_default(),
        value: value.and_then(|c| c.get(i)),
        task: task.and_then(|c| c.get(i)),
        example: example.and_then(|c| c.get(i)),
        step: step.and_then(|c| c.get(i)),
    })
}
