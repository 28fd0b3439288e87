//! The one tidy table every source is loaded into:
//! `condition, seed, metric, value, task, example, step` (DESIGN section 3).
//!
//! `value` is null for a missing value (null, NaN or ±inf in the source);
//! `task`, `example` and `step` are null when the source has no such column;
//! `cluster` (the `--cluster-col` of a table: passage, video) is null unless
//! a reader was given one.

use super::text_column::{TextBuilder, TextColumn};

/// The tidy table, column by column: as many rows as values. Text columns
/// store each distinct value once (a row costs 4 bytes a column), values are
/// f64 with NaN for missing, and steps are only held when some row has one.
#[derive(Debug, Clone, Default)]
pub struct TidyTable {
    condition: TextColumn,
    seed: TextColumn,
    metric: TextColumn,
    value: Vec<f64>,
    task: TextColumn,
    example: TextColumn,
    step: Option<Vec<Option<i64>>>,
    cluster: TextColumn,
}

/// The key columns of a table read from a file (see [`TidyTable::from_columns`]).
pub(crate) struct KeyColumns {
    pub condition: TextColumn,
    pub seed: TextColumn,
    pub task: TextColumn,
    pub example: TextColumn,
    pub step: Option<Vec<Option<i64>>>,
    pub cluster: TextColumn,
}

impl TidyTable {
    /// A table of `metric` and `value` (one value a row, NaN for missing)
    /// with the key columns of a file. The key columns are `value.len()`
    /// long or, for a wide table, a whole number of times shorter: they are
    /// repeated once per metric column.
    pub(crate) fn from_columns(keys: KeyColumns, metric: TextColumn, value: Vec<f64>) -> TidyTable {
        let height = value.len();
        let rows = keys.condition.len().max(1);
        let times = height / rows;
        let repeat = |c: TextColumn| if times == 1 { c } else { c.repeat(times) };
        let step = keys
            .step
            .map(|s| if times == 1 { s } else { s.repeat(times) });
        let table = TidyTable {
            condition: repeat(keys.condition),
            seed: repeat(keys.seed),
            metric,
            value,
            task: repeat(keys.task),
            example: repeat(keys.example),
            step,
            cluster: repeat(keys.cluster),
        };
        debug_assert!(table.has_equal_lengths(), "tidy columns of unequal length");
        table
    }

    fn has_equal_lengths(&self) -> bool {
        let texts = [
            &self.condition,
            &self.seed,
            &self.metric,
            &self.task,
            &self.example,
            &self.cluster,
        ];
        let height = self.height();
        texts.iter().all(|c| c.len() == height || c.is_empty())
            && self.step.as_ref().is_none_or(|s| s.len() == height)
    }

    pub fn height(&self) -> usize {
        self.value.len()
    }

    /// The text columns themselves, for readers that group millions of rows
    /// by code rather than by text.
    pub fn conditions(&self) -> &TextColumn {
        &self.condition
    }

    pub fn seeds(&self) -> &TextColumn {
        &self.seed
    }

    pub fn metrics(&self) -> &TextColumn {
        &self.metric
    }

    pub fn examples(&self) -> &TextColumn {
        &self.example
    }

    /// Row `i`'s value (`None`: missing).
    pub fn value(&self, i: usize) -> Option<f64> {
        let value = self.value[i];
        (!value.is_nan()).then_some(value)
    }

    /// Row `i`'s cluster (`--cluster-col`).
    pub fn cluster(&self, i: usize) -> Option<&str> {
        self.cluster.get(i)
    }

    /// Row `i` (below [`TidyTable::height`]).
    pub fn row(&self, i: usize) -> Row<'_> {
        Row {
            condition: self.condition.get(i).unwrap_or_default(),
            seed: self.seed.get(i).unwrap_or_default(),
            metric: self.metric.get(i).unwrap_or_default(),
            value: self.value(i),
            task: self.task.get(i),
            example: self.example.get(i),
            step: self.step.as_ref().and_then(|s| s[i]),
        }
    }

    /// This table's rows followed by `other`'s.
    pub fn append(&self, other: &TidyTable) -> TidyTable {
        let mut builder = TidyBuilder::default();
        for (row, cluster) in rows_with_cluster(self).chain(rows_with_cluster(other)) {
            builder.push_clustered(row, cluster);
        }
        builder.finish()
    }
}

/// Rows of the tidy table, one at a time, before they become a table.
#[derive(Default)]
pub struct TidyBuilder {
    condition: TextBuilder,
    seed: TextBuilder,
    metric: TextBuilder,
    value: Vec<f64>,
    task: TextBuilder,
    example: TextBuilder,
    step: Vec<Option<i64>>,
    cluster: TextBuilder,
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
        self.cluster.push(cluster);
        self.condition.push(Some(row.condition));
        self.seed.push(Some(row.seed));
        self.metric.push(Some(row.metric));
        let value = row.value.filter(|v| v.is_finite());
        self.value.push(value.unwrap_or(f64::NAN));
        self.task.push(row.task);
        self.example.push(row.example);
        self.step.push(row.step);
    }

    pub fn finish(self) -> TidyTable {
        let step = self.step.iter().any(Option::is_some).then_some(self.step);
        TidyTable {
            condition: self.condition.finish(),
            seed: self.seed.finish(),
            metric: self.metric.finish(),
            value: self.value,
            task: self.task.finish(),
            example: self.example.finish(),
            step,
            cluster: self.cluster.finish(),
        }
    }
}

/// Iterate over the rows of a tidy table.
pub fn rows(table: &TidyTable) -> impl Iterator<Item = Row<'_>> {
    (0..table.height()).map(|i| table.row(i))
}

/// The rows of a tidy table with each row's cluster (`None` without one).
pub fn rows_with_cluster(table: &TidyTable) -> impl Iterator<Item = (Row<'_>, Option<&str>)> {
    (0..table.height()).map(|i| (table.row(i), table.cluster.get(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(condition: &'a str, value: Option<f64>, step: Option<i64>) -> Row<'a> {
        Row {
            condition,
            seed: "1",
            metric: "acc",
            value,
            task: None,
            example: None,
            step,
        }
    }

    #[test]
    fn rows_come_back_as_pushed_with_non_finite_values_missing() {
        let mut b = TidyBuilder::default();
        b.push(row("a", Some(0.5), None));
        b.push_clustered(row("b", Some(f64::INFINITY), Some(3)), Some("p1"));
        let table = b.finish();
        let back: Vec<_> = rows_with_cluster(&table).collect();
        assert_eq!(back[0], (row("a", Some(0.5), None), None));
        assert_eq!(back[1], (row("b", None, Some(3)), Some("p1")));
        let both = table.append(&table);
        assert_eq!(both.height(), 4);
        assert_eq!(rows(&both).nth(3), Some(row("b", None, Some(3))));
    }

    #[test]
    fn a_wide_tables_key_columns_repeat_once_per_metric() {
        let text =
            |cells: &[&str]| -> TextColumn { cells.iter().map(|c| Some(c.to_string())).collect() };
        let keys = KeyColumns {
            condition: text(&["a", "b"]),
            seed: text(&["1", "2"]),
            task: TextColumn::nulls(2),
            example: TextColumn::nulls(2),
            step: None,
            cluster: TextColumn::nulls(2),
        };
        let metric = text(&["acc", "acc", "loss", "loss"]);
        let table = TidyTable::from_columns(keys, metric, vec![0.1, 0.2, 0.3, f64::NAN]);
        let back: Vec<_> = rows(&table)
            .map(|r| (r.condition, r.seed, r.metric, r.value))
            .collect();
        assert_eq!(
            back,
            [
                ("a", "1", "acc", Some(0.1)),
                ("b", "2", "acc", Some(0.2)),
                ("a", "1", "loss", Some(0.3)),
                ("b", "2", "loss", None)
            ]
        );
    }
}
