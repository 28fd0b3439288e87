//! Result tables (CSV, TSV, JSON lines, Parquet) in long form
//! (`condition, seed, metric, value`) or wide form (`condition, seed, <metric>...`).

use std::path::Path;

use super::frame::{self, Cells, Frame};
use super::parquet_table::ParquetTable;
use super::study::Study;
use super::text_column::{TextBuilder, TextColumn};
use super::tidy::{KeyColumns, TidyTable};
use crate::error::{Error, Result};

/// The names of the table's columns (`--condition-col`, `--seed-col`, ...).
#[derive(Debug, Clone)]
pub struct ColumnNames {
    pub condition: String,
    pub seed: String,
    pub metric: String,
    pub value: String,
    pub task: String,
    pub example: String,
    pub step: String,
    /// `--cluster-col`: the column naming each example's cluster, if any.
    pub cluster: Option<String>,
}

impl Default for ColumnNames {
    fn default() -> Self {
        ColumnNames {
            condition: "condition".into(),
            seed: "seed".into(),
            metric: "metric".into(),
            value: "value".into(),
            task: "task".into(),
            example: "example".into(),
            step: "step".into(),
            cluster: None,
        }
    }
}

/// The table formats we read, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableFormat {
    Csv,
    Tsv,
    JsonLines,
    Parquet,
}

impl TableFormat {
    fn of(path: &Path) -> Option<TableFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(TableFormat::Csv),
            "tsv" | "tab" => Some(TableFormat::Tsv),
            "jsonl" | "ndjson" => Some(TableFormat::JsonLines),
            "parquet" | "pq" => Some(TableFormat::Parquet),
            _ => None,
        }
    }

    /// How a row index is shown to the user: CSV lines count the header.
    fn location(self, row: usize) -> String {
        match self {
            TableFormat::Csv | TableFormat::Tsv => format!("line {}", row + 2),
            TableFormat::JsonLines => format!("line {}", row + 1),
            TableFormat::Parquet => format!("row {}", row + 1),
        }
    }
}

/// Read a table file into a frame as the file holds it (CSV and TSV cells
/// as text, so a bad value is reported as written), with the format's name.
pub fn read_frame(path: &Path) -> Result<(Frame, &'static str)> {
    let format = TableFormat::of(path).ok_or_else(|| {
        Error::input(
            path,
            "unknown table format: expected .csv, .tsv, .jsonl/.ndjson or .parquet (or a run folder)",
        )
    })?;
    // each reader opens the file through guard, which takes regular files only
    let (frame, name) = match format {
        TableFormat::Csv => (frame::read_delimited(path, b',')?, "CSV"),
        TableFormat::Tsv => (frame::read_delimited(path, b'\t')?, "TSV"),
        TableFormat::JsonLines => (frame::read_json_lines(path)?, "JSON lines"),
        TableFormat::Parquet => (ParquetTable::open(path)?.read(path, None)?, "Parquet"),
    };
    Ok((frame, name))
}

/// A column's cells as text (numbers in their shortest round-trip form),
/// taken out of the frame.
fn text_column(path: &Path, frame: &mut Frame, name: &str) -> Result<TextColumn> {
    let cells = frame
        .take(name)
        .ok_or_else(|| missing_column(path, frame, name))?;
    as_text(path, cells, name)
}

/// A column's cells as text, copied (see [`text_column`]).
pub fn column_text(path: &Path, frame: &Frame, name: &str) -> Result<TextColumn> {
    let cells = frame
        .column(name)
        .ok_or_else(|| missing_column(path, frame, name))?;
    as_text(path, cells.clone(), name)
}

fn as_text(path: &Path, cells: Cells, name: &str) -> Result<TextColumn> {
    cells.into_text().map_err(|kind| {
        Error::input(
            path,
            format!("column `{name}` cannot be read as text: it holds {kind} values"),
        )
    })
}

fn missing_column(path: &Path, frame: &Frame, name: &str) -> Error {
    Error::input(
        path,
        format!(
            "missing column `{name}` (the table has {}); name the right one with the matching --*-col flag",
            column_list(frame)
        ),
    )
}

/// The frame's column names, quoted, for messages.
fn column_list(frame: &Frame) -> String {
    let found: Vec<String> = frame.names().map(|c| format!("`{c}`")).collect();
    if found.is_empty() {
        "no columns".into()
    } else {
        found.join(", ")
    }
}

/// The `--cluster-col` column, trimmed: every row needs an example and a
/// cluster, and an example keeps one cluster wherever it appears.
fn cluster_column(
    path: &Path,
    frame: &Frame,
    name: &str,
    example_col: &str,
    examples: &TextColumn,
) -> Result<TextColumn> {
    let format = TableFormat::of(path).unwrap_or(TableFormat::Csv);
    let cells = frame.column(name).cloned().ok_or_else(|| {
        Error::input(
            path,
            format!(
                "--cluster-col {name}: the table has no `{name}` column (it has {})",
                column_list(frame)
            ),
        )
    })?;
    // trimmed once per distinct cluster; equal trimmed names merge into one code
    let clusters = as_text(path, cells, name)?.map_values(|c| c.trim().to_string());
    // per example code, the cluster code and row where it was first seen
    let mut first: Vec<Option<(u32, usize)>> = vec![None; examples.distinct_len()];
    for row in 0..clusters.len() {
        let Some(example) = examples.code(row) else {
            return Err(Error::input_at(
                path,
                format.location(row),
                format!(
                    "--cluster-col {name} needs per-example rows, but `{example_col}` is empty here"
                ),
            ));
        };
        let cluster = clusters.code(row).filter(|&c| !clusters.text(c).is_empty());
        let Some(cluster) = cluster else {
            return Err(Error::input_at(
                path,
                format.location(row),
                format!("empty `{name}` (--cluster-col): every example needs its cluster"),
            ));
        };
        match first[example as usize] {
            Some((earlier, at)) if earlier != cluster => {
                return Err(Error::input_at(
                    path,
                    format.location(row),
                    format!(
                        "example `{}` is in cluster `{}` here but in `{}` at {}: an example belongs to one cluster",
                        examples.text(example),
                        clusters.text(cluster),
                        clusters.text(earlier),
                        format.location(at)
                    ),
                ));
            }
            Some(_) => {}
            None => first[example as usize] = Some((cluster, row)),
        }
    }
    Ok(clusters)
}

/// A cell that is neither a number nor a missing-value marker.
#[derive(Debug)]
pub struct NotANumber;

/// Parse a cell as a metric value: empty, `nan`, `inf`, `null`, `NA` are missing.
pub fn parse_value(cell: Option<&str>) -> std::result::Result<Option<f64>, NotANumber> {
    let Some(text) = cell.map(str::trim) else {
        return Ok(None);
    };
    let missing = ["", "null", "none", "na", "n/a"];
    if missing.iter().any(|m| text.eq_ignore_ascii_case(m)) {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Ok(None),
        Err(_) => Err(NotANumber),
    }
}

/// Cross-validation results name their repeat column `fold`: without a
/// `seed` column (the default name) a `fold` column is the seed column, so
/// `--test corrected-t` reads a folds table as written.
fn with_fold_as_seed(has: impl Fn(&str) -> bool, names: &ColumnNames) -> ColumnNames {
    let default = ColumnNames::default().seed;
    if names.seed == default && !has(&default) && has("fold") {
        ColumnNames {
            seed: "fold".into(),
            ..names.clone()
        }
    } else {
        names.clone()
    }
}

/// Seeds as text: `3.0` becomes `3`, so float seed columns match integer ones.
fn seed_text(raw: &str) -> String {
    match raw.trim().parse::<f64>() {
        Ok(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        _ => raw.trim().to_string(),
    }
}

/// Whether `raw` is a seed as [`seed_text`] writes it: the common case, checked
/// without allocating.
fn is_seed_text(raw: &str) -> bool {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let integer = !digits.is_empty()
        && digits.len() < 16
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && raw != "-0";
    integer || (raw == raw.trim() && raw.parse::<f64>().is_err())
}

/// The seed column as text, each seed as [`seed_text`] writes it.
fn seed_column(path: &Path, frame: &mut Frame, name: &str) -> Result<TextColumn> {
    let seeds = text_column(path, frame, name)?;
    if seeds.distinct().all(is_seed_text) {
        return Ok(seeds);
    }
    Ok(seeds.map_values(seed_text))
}

/// A metric column's values: numbers as read, or text to parse (CSV cells).
enum Values {
    Numbers(Vec<Option<f64>>),
    Text(TextColumn),
}

impl Values {
    fn of(path: &Path, cells: Cells, name: &str) -> Result<Values> {
        Ok(match cells {
            Cells::Float64(numbers) => Values::Numbers(numbers),
            Cells::Int(numbers) => {
                Values::Numbers(numbers.into_iter().map(|v| v.map(|v| v as f64)).collect())
            }
            // float32 goes through its shortest text, as a CSV of it reads
            Cells::Float32(numbers) => Values::Numbers(
                numbers
                    .into_iter()
                    .map(|v| v.map(|v| v.to_string().parse().unwrap_or(f64::NAN)))
                    .collect(),
            ),
            Cells::Nulls(len) => Values::Numbers(vec![None; len]),
            other => Values::Text(as_text(path, other, name)?),
        })
    }

    /// Row `row`'s value: null, NaN and ±inf are missing (as [`parse_value`]).
    fn value(&self, row: usize) -> std::result::Result<Option<f64>, NotANumber> {
        match self {
            Values::Numbers(numbers) => Ok(numbers[row].filter(|v| v.is_finite())),
            Values::Text(text) => parse_value(text.get(row)),
        }
    }

    fn text(&self, row: usize) -> String {
        match self {
            Values::Numbers(numbers) => numbers[row].map(|v| v.to_string()).unwrap_or_default(),
            Values::Text(text) => text.get(row).unwrap_or_default().to_string(),
        }
    }
}

/// The frame of a table file, with only the columns a long table needs when
/// the file is Parquet (a per-example file may carry prompts and outputs).
fn read_table(path: &Path, names: &ColumnNames) -> Result<Frame> {
    if TableFormat::of(path) != Some(TableFormat::Parquet) {
        return read_frame(path).map(|(frame, _)| frame);
    }
    let table = ParquetTable::open(path)?;
    let has = |name: &str| table.has(name);
    let long = has(&names.metric) || has(&names.value);
    // a missing key column is reported with every column of the file
    let keys_present = has(&names.condition) && (has(&names.seed) || has("fold"));
    if !long || !keys_present {
        return table.read(path, None);
    }
    let wanted: Vec<String> = [
        Some(&names.condition),
        Some(&names.seed),
        Some(&"fold".to_string()),
        Some(&names.metric),
        Some(&names.value),
        Some(&names.task),
        Some(&names.example),
        Some(&names.step),
        names.cluster.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter(|name| has(name))
    .cloned()
    .collect();
    table.read(path, Some(&wanted))
}

/// Load a long or wide table into a study.
///
/// The tidy table is built column by column from the file's own columns
/// (moved, not copied, where they hold text already), so a table of 10⁷
/// per-example rows costs little more than its decoded columns; the rows
/// are checked in order, so an error names the first bad line.
pub fn load_table(path: &Path, names: &ColumnNames) -> Result<Study> {
    let mut frame = read_table(path, names)?;
    let format = TableFormat::of(path).unwrap_or(TableFormat::Csv);
    let height = frame.height();
    if height == 0 {
        return Err(Error::input(path, "the table has no rows"));
    }
    let names = &with_fold_as_seed(|n| frame.has(n), names);
    // checked before any column is taken, so the message lists them all
    for required in [&names.condition, &names.seed] {
        if !frame.has(required) {
            return Err(missing_column(path, &frame, required));
        }
    }
    let long = frame.has(&names.metric) || frame.has(&names.value);
    if long && !(frame.has(&names.metric) && frame.has(&names.value)) {
        let absent = if frame.has(&names.metric) {
            &names.value
        } else {
            &names.metric
        };
        return Err(missing_column(path, &frame, absent));
    }
    let clusters = match &names.cluster {
        Some(name) => {
            let examples = match frame.column(&names.example) {
                Some(cells) => as_text(path, cells.clone(), &names.example)?,
                None => TextColumn::nulls(height),
            };
            Some(cluster_column(
                path,
                &frame,
                name,
                &names.example,
                &examples,
            )?)
        }
        None => None,
    };
    let optional = |frame: &mut Frame, name: &str| -> Result<Option<TextColumn>> {
        match frame.take(name) {
            Some(cells) => as_text(path, cells, name).map(Some),
            None => Ok(None),
        }
    };
    let conditions = text_column(path, &mut frame, &names.condition)?;
    let seeds = seed_column(path, &mut frame, &names.seed)?;
    let tasks = optional(&mut frame, &names.task)?;
    let examples = optional(&mut frame, &names.example)?;
    let steps = optional(&mut frame, &names.step)?;
    let metrics = if long {
        let metric = text_column(path, &mut frame, &names.metric)?;
        let value = frame
            .take(&names.value)
            .ok_or_else(|| missing_column(path, &frame, &names.value))?;
        MetricColumns::Long {
            metric,
            values: Values::of(path, value, &names.value)?,
            column: names.value.clone(),
        }
    } else {
        // what is left is a metric each, but the cluster column
        let mut columns = Vec::new();
        let left: Vec<String> = frame.names().map(str::to_string).collect();
        for name in left {
            if names.cluster.as_ref() == Some(&name) {
                continue;
            }
            let cells = frame.take(&name).unwrap_or(Cells::Nulls(height));
            columns.push((name.clone(), Values::of(path, cells, &name)?));
        }
        if columns.is_empty() {
            return Err(Error::input(
                path,
                format!(
                    "no metric columns: a long table needs `{}` and `{}` columns, a wide one a column per metric",
                    names.metric, names.value
                ),
            ));
        }
        MetricColumns::Wide(columns)
    };
    // every column needed is taken: the rest go
    drop(frame);

    let mut condition_set: rustc_hash::FxHashSet<&str> = Default::default();
    let mut keys = super::duplicates::Keys::new();
    let mut step_values: Option<Vec<Option<i64>>> =
        steps.as_ref().map(|_| Vec::with_capacity(height));
    let value_columns = metrics.value_columns();
    let mut values: Vec<f64> = Vec::with_capacity(height * value_columns.len());
    let mut parsed: Vec<Vec<f64>> = vec![Vec::with_capacity(height); value_columns.len() - 1];
    for row in 0..height {
        let at = || format.location(row);
        let condition = conditions
            .get(row)
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| Error::input_at(path, at(), format!("empty `{}`", names.condition)))?;
        let seed = seeds
            .get(row)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                Error::input_at(
                    path,
                    at(),
                    format!("empty `{}`: every row needs its seed", names.seed),
                )
            })?;
        let step = match cell(steps.as_ref(), row) {
            None => None,
            Some(text) => Some(seed_text(text).parse::<i64>().map_err(|_| {
                Error::input_at(
                    path,
                    at(),
                    format!("`{}` is not an integer step: {text:?}", names.step),
                )
            })?),
        };
        if let Some(steps) = &mut step_values {
            steps.push(step);
        }
        condition_set.insert(condition);
        let metric = metrics
            .metric(row)
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| Error::input_at(path, at(), format!("empty `{}`", names.metric)))?;
        // codes of non-empty cells (checked above): equal text, equal code
        let code = |c: Option<&TextColumn>| c.and_then(|c| c.code(row));
        let group = (
            conditions.code(row).unwrap_or_default(),
            seeds.code(row).unwrap_or_default(),
            metrics.metric_code(row),
            code(tasks.as_ref()),
            step,
        );
        if !keys.insert(group, code(examples.as_ref())) {
            return Err(Error::input_at(
                path,
                at(),
                format!(
                    "duplicate seed {seed} for `{metric}` of condition `{condition}`: each seed must appear once"
                ),
            ));
        }
        for (j, (column, name)) in value_columns.iter().enumerate() {
            let value = column.value(row).map_err(|NotANumber| {
                Error::input_at(
                    path,
                    at(),
                    format!(
                        "non-numeric value {:?} in column `{name}`",
                        column.text(row)
                    ),
                )
            })?;
            let value = value.unwrap_or(f64::NAN);
            match j {
                0 => values.push(value),
                _ => parsed[j - 1].push(value),
            }
        }
    }
    // the checks above borrow the columns the tidy table is made of
    drop((keys, value_columns));
    let mut conditions_seen: Vec<String> = condition_set.into_iter().map(str::to_string).collect();
    conditions_seen.sort();
    parsed.into_iter().for_each(|p| values.extend(p));

    let metric = match metrics {
        MetricColumns::Long { metric, .. } => metric,
        // a wide table's one metric is not materialized: 4 bytes a row
        MetricColumns::Wide(columns) if columns.len() == 1 => {
            TextColumn::constant(&columns[0].0, values.len())
        }
        MetricColumns::Wide(columns) => {
            let mut metric = TextBuilder::with_capacity(values.len());
            for (name, _) in &columns {
                (0..height).for_each(|_| metric.push(Some(name)));
            }
            metric.finish()
        }
    };
    let keys = KeyColumns {
        condition: conditions,
        seed: seeds,
        task: tasks.unwrap_or_else(|| TextColumn::nulls(height)),
        example: examples.unwrap_or_else(|| TextColumn::nulls(height)),
        step: step_values,
        cluster: clusters.unwrap_or_else(|| TextColumn::nulls(height)),
    };
    let tidy = TidyTable::from_columns(keys, metric, values);
    Ok(Study::of_table(tidy, conditions_seen, Vec::new()))
}

/// Row `row` of an optional column.
fn cell(column: Option<&TextColumn>, row: usize) -> Option<&str> {
    column.and_then(|c| c.get(row))
}

/// The metric cells of a long table (a name and a value a row) or a wide one
/// (a value a metric column).
enum MetricColumns {
    Long {
        metric: TextColumn,
        values: Values,
        /// The value column's name, for messages.
        column: String,
    },
    Wide(Vec<(String, Values)>),
}

impl MetricColumns {
    /// The value columns, each with its name for messages: one for a long
    /// table, one a metric for a wide one.
    fn value_columns(&self) -> Vec<(&Values, &str)> {
        match self {
            MetricColumns::Long { values, column, .. } => vec![(values, column.as_str())],
            MetricColumns::Wide(columns) => {
                columns.iter().map(|(name, v)| (v, name.as_str())).collect()
            }
        }
    }

    /// Row `row`'s metric code in the key of a row (a wide table's rows are
    /// keyed without their metric: its columns are different metrics).
    fn metric_code(&self, row: usize) -> u32 {
        match self {
            MetricColumns::Long { metric, .. } => metric.code(row).unwrap_or_default(),
            MetricColumns::Wide(_) => 0,
        }
    }

    /// Row `row`'s metric name (a duplicate row of a wide table is reported
    /// under its first metric).
    fn metric(&self, row: usize) -> Option<&str> {
        match self {
            MetricColumns::Long { metric, .. } => metric.get(row),
            MetricColumns::Wide(columns) => Some(columns[0].0.as_str()),
        }
    }
}
