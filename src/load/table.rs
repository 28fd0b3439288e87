//! Result tables (CSV, TSV, JSON lines, Parquet) in long form
//! (`condition, seed, metric, value`) or wide form (`condition, seed, <metric>...`).

use std::path::Path;

use polars::prelude::*;

use super::study::Study;
use super::tidy::{CLUSTER, CONDITION, EXAMPLE, METRIC, SEED, STEP, TASK, VALUE};
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

/// Read a table file into a frame as the file holds it.
pub fn read_frame(path: &Path) -> Result<(DataFrame, &'static str)> {
    let format = TableFormat::of(path).ok_or_else(|| {
        Error::input(
            path,
            "unknown table format: expected .csv, .tsv, .jsonl/.ndjson or .parquet (or a run folder)",
        )
    })?;
    let frame = read_with(path, format)?;
    let name = match format {
        TableFormat::Csv => "CSV",
        TableFormat::Tsv => "TSV",
        TableFormat::JsonLines => "JSON lines",
        TableFormat::Parquet => "Parquet",
    };
    Ok((frame, name))
}

fn read_with(path: &Path, format: TableFormat) -> Result<DataFrame> {
    super::guard::regular(path)?;
    let polars_error = |e: PolarsError| Error::input(path, format!("cannot read the table: {e}"));
    // Reading text columns as strings lets us report the exact line of a bad value.
    let text_reader = |separator: u8| {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .with_parse_options(CsvParseOptions::default().with_separator(separator))
            .try_into_reader_with_file_path(Some(path.to_path_buf()))
            .and_then(|r| r.finish())
    };
    match format {
        TableFormat::Csv => text_reader(b',').map_err(polars_error),
        TableFormat::Tsv => text_reader(b'\t').map_err(polars_error),
        TableFormat::JsonLines => {
            let text = super::guard::read_text(path)?;
            // polars parses JSON recursively and panics on an integer past
            // i64: both are claims checked here, per line, first.
            for (n, line) in text.lines().enumerate() {
                if let Some(message) = super::guard::json_claims(line) {
                    return Err(Error::input_at(path, format!("line {}", n + 1), message));
                }
            }
            JsonReader::new(std::io::Cursor::new(text.into_bytes()))
                .with_json_format(JsonFormat::JsonLines)
                .finish()
                .map_err(polars_error)
        }
        TableFormat::Parquet => {
            let file = super::guard::open(path)?;
            ParquetReader::new(file).finish().map_err(polars_error)
        }
    }
}

/// A column's values as text (numbers formatted shortest round-trip), nulls
/// as nulls: the column itself when it holds text already (no copy).
pub fn text_column(path: &Path, frame: &DataFrame, name: &str) -> Result<StringChunked> {
    let column = frame
        .column(name)
        .map_err(|_| missing_column(path, frame, name))?;
    let cast = column
        .cast(&DataType::String)
        .map_err(|e| Error::input(path, format!("column `{name}` cannot be read as text: {e}")))?;
    let strings = cast
        .str()
        .map_err(|e| Error::input(path, format!("column `{name}`: {e}")))?;
    Ok(strings.clone())
}

/// A column's cells in row order (nulls forever without the column).
fn cells(column: Option<&StringChunked>) -> Box<dyn Iterator<Item = Option<&str>> + '_> {
    match column {
        Some(c) => Box::new(c.iter()),
        None => Box::new(std::iter::repeat(None)),
    }
}

fn missing_column(path: &Path, frame: &DataFrame, name: &str) -> Error {
    Error::input(
        path,
        format!(
            "missing column `{name}` (the table has {}); name the right one with the matching --*-col flag",
            column_list(frame)
        ),
    )
}

/// The frame's column names, quoted, for messages.
fn column_list(frame: &DataFrame) -> String {
    let found: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|c| format!("`{c}`"))
        .collect();
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
    frame: &DataFrame,
    name: &str,
    example_col: &str,
    examples: Option<&StringChunked>,
) -> Result<StringChunked> {
    let format = TableFormat::of(path).unwrap_or(TableFormat::Csv);
    let clusters = text_column(path, frame, name).map_err(|_| {
        Error::input(
            path,
            format!(
                "--cluster-col {name}: the table has no `{name}` column (it has {})",
                column_list(frame)
            ),
        )
    })?;
    let mut first: rustc_hash::FxHashMap<&str, (&str, usize)> = Default::default();
    let mut trimmed = StringChunkedBuilder::new(CLUSTER.into(), clusters.len());
    for (row, (cluster, example)) in clusters.iter().zip(cells(examples)).enumerate() {
        let Some(example) = example else {
            return Err(Error::input_at(
                path,
                format.location(row),
                format!(
                    "--cluster-col {name} needs per-example rows, but `{example_col}` is empty here"
                ),
            ));
        };
        let cluster = cluster.map(str::trim).filter(|c| !c.is_empty());
        let Some(cluster) = cluster else {
            return Err(Error::input_at(
                path,
                format.location(row),
                format!("empty `{name}` (--cluster-col): every example needs its cluster"),
            ));
        };
        match first.get(example) {
            Some((earlier, at)) if *earlier != cluster => {
                return Err(Error::input_at(
                    path,
                    format.location(row),
                    format!(
                        "example `{example}` is in cluster `{cluster}` here but in `{earlier}` at {}: an example belongs to one cluster",
                        format.location(*at)
                    ),
                ));
            }
            Some(_) => {}
            None => {
                first.insert(example, (cluster, row));
            }
        }
        trimmed.append_value(cluster);
    }
    Ok(trimmed.finish())
}

/// A cell that is neither a number nor a missing-value marker.
#[derive(Debug)]
pub struct NotANumber;

/// Parse a cell as a metric value: empty, `nan`, `inf`, `null`, `NA` are missing.
pub fn parse_value(cell: Option<&str>) -> std::result::Result<Option<f64>, NotANumber> {
    let Some(text) = cell.map(str::trim) else {
        return Ok(None);
    };
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), "" | "null" | "none" | "na" | "n/a") {
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
fn with_fold_as_seed(frame: &DataFrame, names: &ColumnNames) -> ColumnNames {
    let has = |name: &str| frame.column(name).is_ok();
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
fn seed_column(path: &Path, frame: &DataFrame, name: &str) -> Result<StringChunked> {
    let seeds = text_column(path, frame, name)?;
    if seeds.iter().flatten().all(is_seed_text) {
        return Ok(seeds);
    }
    let mut out = StringChunkedBuilder::new(SEED.into(), seeds.len());
    for seed in seeds.iter() {
        out.append_option(seed.map(seed_text));
    }
    Ok(out.finish())
}

/// A metric column's values: numbers as read, or text to parse (CSV cells).
enum Values {
    Numbers(Float64Chunked),
    Text(StringChunked),
}

impl Values {
    fn of(path: &Path, frame: &DataFrame, name: &str) -> Result<Values> {
        let column = frame
            .column(name)
            .map_err(|_| missing_column(path, frame, name))?;
        // float32 goes through its shortest text, as a CSV of it reads
        let typed = matches!(column.dtype(), DataType::Float64) || column.dtype().is_integer();
        if typed {
            let cast = column
                .cast(&DataType::Float64)
                .map_err(|e| Error::input(path, format!("column `{name}`: {e}")))?;
            let numbers = cast
                .f64()
                .map_err(|e| Error::input(path, format!("column `{name}`: {e}")))?;
            return Ok(Values::Numbers(numbers.clone()));
        }
        text_column(path, frame, name).map(Values::Text)
    }

    /// Each row's cell: a number, or the text to parse.
    fn cells(&self) -> Box<dyn Iterator<Item = Cell<'_>> + '_> {
        match self {
            Values::Numbers(c) => Box::new(c.iter().map(Cell::Number)),
            Values::Text(c) => Box::new(c.iter().map(Cell::Text)),
        }
    }
}

#[derive(Clone, Copy)]
enum Cell<'a> {
    Number(Option<f64>),
    Text(Option<&'a str>),
}

impl Cell<'_> {
    /// The value: null, NaN and ±inf are missing (as [`parse_value`]).
    fn value(self) -> std::result::Result<Option<f64>, NotANumber> {
        match self {
            Cell::Number(v) => Ok(v.filter(|v| v.is_finite())),
            Cell::Text(text) => parse_value(text),
        }
    }

    fn text(self) -> String {
        match self {
            Cell::Number(v) => v.map(|v| v.to_string()).unwrap_or_default(),
            Cell::Text(text) => text.unwrap_or_default().to_string(),
        }
    }
}

/// The frame of a table file, with only the columns a long table needs when
/// the file is Parquet (a per-example file may carry prompts and outputs).
fn read_table(path: &Path, names: &ColumnNames) -> Result<DataFrame> {
    if TableFormat::of(path) != Some(TableFormat::Parquet) {
        return read_frame(path).map(|(frame, _)| frame);
    }
    let file = super::guard::open(path)?;
    let polars_error = |e: PolarsError| Error::input(path, format!("cannot read the table: {e}"));
    let mut reader = ParquetReader::new(file);
    let schema = reader.schema().map_err(polars_error)?;
    let has = |name: &str| schema.contains(name);
    let long = has(&names.metric) || has(&names.value);
    // a missing key column is reported with every column of the file
    let keys_present = has(&names.condition) && (has(&names.seed) || has("fold"));
    if !long || !keys_present {
        return read_frame(path).map(|(frame, _)| frame);
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
    reader
        .with_columns(Some(wanted))
        .finish()
        .map_err(polars_error)
}

/// Load a long or wide table into a study.
///
/// The tidy table is built column by column from the file's own columns
/// (shared, not copied, where they hold text already), so a table of 10⁷
/// per-example rows costs little more than its decoded columns; the rows
/// are checked in order, so an error names the first bad line.
pub fn load_table(path: &Path, names: &ColumnNames) -> Result<Study> {
    let frame = read_table(path, names)?;
    let format = TableFormat::of(path).unwrap_or(TableFormat::Csv);
    let height = frame.height();
    if height == 0 {
        return Err(Error::input(path, "the table has no rows"));
    }
    let names = &with_fold_as_seed(&frame, names);
    let has = |name: &str| frame.column(name).is_ok();
    let conditions = text_column(path, &frame, &names.condition)?;
    let seeds = seed_column(path, &frame, &names.seed)?;
    let optional = |name: &str| -> Result<Option<StringChunked>> {
        has(name)
            .then(|| text_column(path, &frame, name))
            .transpose()
    };
    let tasks = optional(&names.task)?;
    let examples = optional(&names.example)?;
    let steps = optional(&names.step)?;
    let clusters = match &names.cluster {
        Some(name) => Some(cluster_column(
            path,
            &frame,
            name,
            &names.example,
            examples.as_ref(),
        )?),
        None => None,
    };
    let key_columns = [
        // the cluster column is no metric of a wide table (condition again when absent)
        names.cluster.as_ref().unwrap_or(&names.condition),
        &names.condition,
        &names.seed,
        &names.task,
        &names.example,
        &names.step,
    ];
    let long = has(&names.metric) || has(&names.value);
    // (metric name, its values, the column they come from)
    let metrics = if long {
        MetricColumns::Long {
            metric: text_column(path, &frame, &names.metric)?,
            values: Values::of(path, &frame, &names.value)?,
            column: names.value.clone(),
        }
    } else {
        let mut columns = Vec::new();
        for name in frame.get_column_names() {
            if key_columns.iter().any(|k| k.as_str() == name.as_str()) {
                continue;
            }
            columns.push((name.to_string(), Values::of(path, &frame, name)?));
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
    // every column needed is taken (shared or cast): the rest, and the
    // columns casts replaced, go
    drop(frame);

    let mut condition_set: rustc_hash::FxHashSet<&str> = Default::default();
    let mut keys = super::duplicates::Keys::new();
    let mut step_values = steps
        .as_ref()
        .map(|_| PrimitiveChunkedBuilder::<Int64Type>::new(STEP.into(), height));
    let mut values: Vec<ValueColumn> = metrics
        .values()
        .map(|v| match v {
            Values::Text(_) => {
                ValueColumn::Parsed(PrimitiveChunkedBuilder::new(VALUE.into(), height))
            }
            Values::Numbers(numbers) => ValueColumn::Read(numbers),
        })
        .collect();
    let mut metric_cells = metrics.row_cells();
    let mut row_cells = conditions
        .iter()
        .zip(seeds.iter())
        .zip(cells(tasks.as_ref()).zip(cells(examples.as_ref())))
        .zip(cells(steps.as_ref()));
    for row in 0..height {
        let at = || format.location(row);
        let Some((((condition, seed), (task, example)), step)) = row_cells.next() else {
            break;
        };
        let condition = condition
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| Error::input_at(path, at(), format!("empty `{}`", names.condition)))?;
        let seed = seed.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            Error::input_at(
                path,
                at(),
                format!("empty `{}`: every row needs its seed", names.seed),
            )
        })?;
        let step = match step {
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
            steps.append_option(step);
        }
        condition_set.insert(condition);
        let metric = metric_cells
            .metric
            .next()
            .flatten()
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| Error::input_at(path, at(), format!("empty `{}`", names.metric)))?;
        if !keys.insert((condition, seed, metric, task, step), example) {
            return Err(Error::input_at(
                path,
                at(),
                format!(
                    "duplicate seed {seed} for `{metric}` of condition `{condition}`: each seed must appear once"
                ),
            ));
        }
        for ((cells, column), out) in metric_cells.values.iter_mut().zip(&mut values) {
            let cell = cells.next().unwrap_or(Cell::Text(None));
            let ValueColumn::Parsed(out) = out else {
                continue;
            };
            let value = cell.value().map_err(|NotANumber| {
                Error::input_at(
                    path,
                    at(),
                    format!("non-numeric value {:?} in column `{column}`", cell.text()),
                )
            })?;
            out.append_option(value);
        }
    }
    // the checks above borrow the columns the tidy table is made of
    drop((keys, row_cells, metric_cells));
    let mut conditions_seen: Vec<String> = condition_set.into_iter().map(str::to_string).collect();
    conditions_seen.sort();

    let values = values.into_iter().map(ValueColumn::finish).collect();
    let tidy = TidyColumns {
        condition: conditions,
        seed: seeds,
        task: tasks,
        example: examples,
        step: step_values.map(|s| s.finish()),
        cluster: clusters,
    }
    .frame(&metrics, values);
    Ok(Study::of_table(tidy, conditions_seen, Vec::new()))
}

/// The metric cells of a long table (a name and a value a row) or a wide one
/// (a value a metric column).
enum MetricColumns {
    Long {
        metric: StringChunked,
        values: Values,
        /// The value column's name, for messages.
        column: String,
    },
    Wide(Vec<(String, Values)>),
}

/// A metric's values in the tidy table: text cells parsed, or a number
/// column used as read.
enum ValueColumn<'a> {
    Parsed(PrimitiveChunkedBuilder<Float64Type>),
    Read(&'a Float64Chunked),
}

impl ValueColumn<'_> {
    /// The values, NaN and ±inf missing (a read column itself when it has none).
    fn finish(self) -> Float64Chunked {
        match self {
            ValueColumn::Parsed(parsed) => parsed.finish(),
            ValueColumn::Read(numbers) if numbers.iter().flatten().all(f64::is_finite) => {
                numbers.clone()
            }
            ValueColumn::Read(numbers) => numbers
                .iter()
                .map(|v| v.filter(|v| v.is_finite()))
                .collect::<Float64Chunked>()
                .with_name(VALUE.into()),
        }
    }
}

impl MetricColumns {
    /// Value columns: one for a long table, one a metric for a wide one.
    fn values(&self) -> Box<dyn Iterator<Item = &Values> + '_> {
        match self {
            MetricColumns::Long { values, .. } => Box::new(std::iter::once(values)),
            MetricColumns::Wide(columns) => Box::new(columns.iter().map(|(_, v)| v)),
        }
    }

    fn row_cells(&self) -> RowCells<'_> {
        match self {
            MetricColumns::Long {
                metric,
                values,
                column,
            } => RowCells {
                metric: Box::new(metric.iter()),
                values: vec![(values.cells(), column.as_str())],
            },
            MetricColumns::Wide(columns) => RowCells {
                // a duplicate row of a wide table is reported under its first metric
                metric: Box::new(std::iter::repeat(Some(columns[0].0.as_str()))),
                values: columns
                    .iter()
                    .map(|(name, v)| (v.cells(), name.as_str()))
                    .collect(),
            },
        }
    }
}

/// The metric cells of the rows, in order.
struct RowCells<'a> {
    /// Each row's metric name (`None` when empty).
    metric: Box<dyn Iterator<Item = Option<&'a str>> + 'a>,
    /// Each value column's cells, with the column's name for messages.
    values: Vec<(Box<dyn Iterator<Item = Cell<'a>> + 'a>, &'a str)>,
}

/// The tidy table's key columns, before the metric cells are added.
struct TidyColumns {
    condition: StringChunked,
    seed: StringChunked,
    task: Option<StringChunked>,
    example: Option<StringChunked>,
    step: Option<Int64Chunked>,
    cluster: Option<StringChunked>,
}

impl TidyColumns {
    /// The tidy frame: a wide table's metric columns one after another, each
    /// with the key columns again (their chunks shared, not copied).
    fn frame(self, metrics: &MetricColumns, values: Vec<Float64Chunked>) -> DataFrame {
        let repeats = values.len();
        let height = self.condition.len() * repeats;
        let repeat_text = |c: &StringChunked, name: &str| -> Column {
            let mut out = c.clone();
            for _ in 1..repeats {
                out.append(c).expect("the same column appended to itself");
            }
            out.with_name(name.into()).into_column()
        };
        let text = |c: &Option<StringChunked>, name: &str| match c {
            Some(c) => repeat_text(c, name),
            None => Column::full_null(name.into(), height, &DataType::String),
        };
        let metric = match metrics {
            MetricColumns::Long { metric, .. } => {
                metric.clone().with_name(METRIC.into()).into_column()
            }
            MetricColumns::Wide(columns) if columns.len() == 1 => Column::new_scalar(
                METRIC.into(),
                Scalar::new(
                    DataType::String,
                    AnyValue::StringOwned(columns[0].0.as_str().into()),
                ),
                height,
            ),
            MetricColumns::Wide(columns) => {
                let mut out =
                    StringChunked::full(METRIC.into(), &columns[0].0, self.condition.len());
                for (name, _) in &columns[1..] {
                    out.append(&StringChunked::full(
                        METRIC.into(),
                        name,
                        self.condition.len(),
                    ))
                    .expect("string columns append");
                }
                out.into_column()
            }
        };
        let mut value = values[0].clone();
        for v in &values[1..] {
            value.append(v).expect("float columns append");
        }
        let step = match &self.step {
            Some(steps) => {
                let mut out = steps.clone();
                for _ in 1..repeats {
                    out.append(steps)
                        .expect("the same column appended to itself");
                }
                out.into_column()
            }
            None => Column::full_null(STEP.into(), height, &DataType::Int64),
        };
        let columns = vec![
            repeat_text(&self.condition, CONDITION),
            repeat_text(&self.seed, SEED),
            metric,
            value.with_name(VALUE.into()).into_column(),
            text(&self.task, TASK),
            text(&self.example, EXAMPLE),
            step.with_name(STEP.into()),
            text(&self.cluster, CLUSTER),
        ];
        // equal lengths and distinct names by construction, the only two
        // ways DataFrame::new can fail
        DataFrame::new(height, columns).expect("tidy columns have equal lengths")
    }
}
