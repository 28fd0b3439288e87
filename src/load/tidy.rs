//! The one tidy table every source is loaded into:
//! `condition, seed, metric, value, task, example, step` (DESIGN section 3).
//!
//! `value` is null for a missing value (null, NaN or ±inf in the source);
//! `task`, `example` and `step` are null when the source has no such column;
//! `cluster` (the `--cluster-col` of a table: passage, video) is null unless
//! a reader was given one.

use polars::prelude::*;

pub const CONDITION: &str = "condition";
pub const SEED: &str = "seed";
pub const METRIC: &str = "metric";
pub const VALUE: &str = "value";
pub const TASK: &str = "task";
pub const EXAMPLE: &str = "example";
pub const STEP: &str = "step";
pub const CLUSTER: &str = "cluster";

/// Rows of the tidy table, column by column, before they become a frame.
/// Text goes straight into polars' string builders (short strings, like
/// most condition, seed and metric names, are stored inline), so a row costs
/// no allocation of its own.
pub struct TidyBuilder {
    condition: StringChunkedBuilder,
    seed: StringChunkedBuilder,
    metric: StringChunkedBuilder,
    value: Vec<Option<f64>>,
    task: StringChunkedBuilder,
    example: StringChunkedBuilder,
    step: Vec<Option<i64>>,
    cluster: StringChunkedBuilder,
}

impl Default for TidyBuilder {
    fn default() -> Self {
        let text = |name: &str| StringChunkedBuilder::new(name.into(), 0);
        TidyBuilder {
            condition: text(CONDITION),
            seed: text(SEED),
            metric: text(METRIC),
            value: Vec::new(),
            task: text(TASK),
            example: text(EXAMPLE),
            step: Vec::new(),
            cluster: text(CLUSTER),
        }
    }
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
        self.push_clustered(row, None);
    }

    /// A row whose example belongs to `cluster` (`--cluster-col`).
    pub fn push_clustered(&mut self, row: Row<'_>, cluster: Option<&str>) {
        self.cluster.append_option(cluster);
        self.condition.append_value(row.condition);
        self.seed.append_value(row.seed);
        self.metric.append_value(row.metric);
        self.value.push(row.value.filter(|v| v.is_finite()));
        self.task.append_option(row.task);
        self.example.append_option(row.example);
        self.step.push(row.step);
    }

    pub fn finish(self) -> DataFrame {
        let height = self.value.len();
        let columns = vec![
            self.condition.finish().into_column(),
            self.seed.finish().into_column(),
            self.metric.finish().into_column(),
            Column::new(VALUE.into(), self.value),
            self.task.finish().into_column(),
            self.example.finish().into_column(),
            Column::new(STEP.into(), self.step),
            self.cluster.finish().into_column(),
        ];
        // The columns are built above with equal lengths and distinct names,
        // the only two ways DataFrame::new can fail.
        DataFrame::new(height, columns).expect("tidy columns have equal lengths")
    }
}

/// Iterate over the rows of a tidy frame (built by [`TidyBuilder`] or a
/// table reader).
pub fn rows(frame: &DataFrame) -> impl Iterator<Item = Row<'_>> {
    let text = |name: &str| text_cells(frame, name);
    let value = number_cells(frame, VALUE, |c| c.f64().ok().map(|c| c.iter()));
    let step = number_cells(frame, STEP, |c| c.i64().ok().map(|c| c.iter()));
    let mut text_columns = (
        text(CONDITION),
        text(SEED),
        text(METRIC),
        text(TASK),
        text(EXAMPLE),
    );
    let mut numbers = value.zip(step);
    (0..frame.height()).map(move |_| {
        let (value, step) = numbers.next().unwrap_or_default();
        let (condition, seed, metric, task, example) = &mut text_columns;
        Row {
            condition: condition.next().flatten().unwrap_or_default(),
            seed: seed.next().flatten().unwrap_or_default(),
            metric: metric.next().flatten().unwrap_or_default(),
            value,
            task: task.next().flatten(),
            example: example.next().flatten(),
            step,
        }
    })
}

/// A text column's cells in row order. A constant column (a wide table's one
/// metric, an absent task) repeats its value without being materialized:
/// that would cost 16 bytes a row.
fn text_cells<'a>(
    frame: &'a DataFrame,
    name: &str,
) -> Box<dyn Iterator<Item = Option<&'a str>> + 'a> {
    match frame.column(name) {
        Ok(Column::Scalar(constant)) => {
            Box::new(std::iter::repeat(constant.scalar().value().get_str()))
        }
        Ok(column) => or_nulls(column.str().ok().map(|c| c.iter())),
        Err(_) => or_nulls(None::<std::iter::Empty<_>>),
    }
}

/// A number column's cells in row order (an all-null constant one, an
/// absent step, not materialized).
fn number_cells<'a, T: 'a, I: Iterator<Item = Option<T>> + 'a>(
    frame: &'a DataFrame,
    name: &str,
    iter: impl FnOnce(&'a Column) -> Option<I>,
) -> Box<dyn Iterator<Item = Option<T>> + 'a> {
    match frame.column(name) {
        Ok(Column::Scalar(constant)) if constant.scalar().is_null() => or_nulls(None::<I>),
        Ok(column) => or_nulls(iter(column)),
        Err(_) => or_nulls(None::<I>),
    }
}

/// The rows of a tidy frame with each row's cluster (`None` without one).
pub fn rows_with_cluster(frame: &DataFrame) -> impl Iterator<Item = (Row<'_>, Option<&str>)> {
    rows(frame).zip(text_cells(frame, CLUSTER))
}

/// A column's values in row order, or nulls forever when it is absent.
fn or_nulls<'a, V: 'a>(
    values: Option<impl Iterator<Item = Option<V>> + 'a>,
) -> Box<dyn Iterator<Item = Option<V>> + 'a> {
    match values {
        Some(values) => Box::new(values),
        None => Box::new(std::iter::repeat_with(|| None)),
    }
}
