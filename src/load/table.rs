//! Result tables (CSV, TSV, JSON lines, Parquet) in long form
//! (`condition, seed, metric, value`) or wide form (`condition, seed, <metric>...`).

use std::path::Path;

use polars::prelude::*;

use super::study::Study;
use super::tidy::{Row, TidyBuilder};
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

/// A column's values as text (numbers formatted shortest round-trip), `None` for nulls.
pub fn text_column(path: &Path, frame: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    let column = frame
        .column(name)
        .map_err(|_| missing_column(path, frame, name))?;
    let cast = column
        .cast(&DataType::String)
        .map_err(|e| Error::input(path, format!("column `{name}` cannot be read as text: {e}")))?;
    let strings = cast
        .str()
        .map_err(|e| Error::input(path, format!("column `{name}`: {e}")))?;
    Ok(strings.iter().map(|v| v.map(str::to_string)).collect())
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

/// The `--cluster-col` column: every row needs an example and a cluster, and
/// an example keeps one cluster wherever it appears.
fn cluster_column(
    path: &Path,
    frame: &DataFrame,
    name: &str,
    example_col: &str,
    examples: &[Option<String>],
) -> Result<Vec<Option<String>>> {
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
    let mut first: std::collections::HashMap<&str, (&str, usize)> = Default::default();
    for (row, (cluster, example)) in clusters.iter().zip(examples).enumerate() {
        let Some(example) = example.as_deref() else {
            return Err(Error::input_at(
                path,
                format.location(row),
                format!(
                    "--cluster-col {name} needs per-example rows, but `{example_col}` is empty here"
                ),
            ));
        };
        let cluster = cluster.as_deref().map(str::trim).filter(|c| !c.is_empty());
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
    }
    Ok(clusters
        .into_iter()
        .map(|c| c.map(|c| c.trim().to_string()))
        .collect())
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

/// Load a long or wide table into a study.
pub fn load_table(path: &Path, names: &ColumnNames) -> Result<Study> {
    let (frame, _) = read_frame(path)?;
    let format = TableFormat::of(path).unwrap_or(TableFormat::Csv);
    if frame.height() == 0 {
        return Err(Error::input(path, "the table has no rows"));
    }
    let names = &with_fold_as_seed(&frame, names);
    let has = |name: &str| frame.column(name).is_ok();
    let conditions = text_column(path, &frame, &names.condition)?;
    let seeds = text_column(path, &frame, &names.seed)?;
    let optional = |name: &str| -> Result<Vec<Option<String>>> {
        if has(name) {
            text_column(path, &frame, name)
        } else {
            Ok(vec![None; frame.height()])
        }
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
            &examples,
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
    let metric_columns: Vec<(String, Vec<Option<String>>)> = if long {
        vec![
            (
                names.metric.clone(),
                text_column(path, &frame, &names.metric)?,
            ),
            (
                names.value.clone(),
                text_column(path, &frame, &names.value)?,
            ),
        ]
    } else {
        let mut columns = Vec::new();
        for name in frame.get_column_names() {
            if key_columns.iter().any(|k| k.as_str() == name.as_str()) {
                continue;
            }
            columns.push((name.to_string(), text_column(path, &frame, name)?));
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
        columns
    };

    // Seeds as written in the tidy table ("3.0" → "3"), so that keys can borrow them.
    let seed_texts: Vec<Option<String>> = seeds
        .iter()
        .map(|s| s.as_deref().filter(|s| !s.trim().is_empty()).map(seed_text))
        .collect();
    let mut builder = TidyBuilder::default();
    let mut seen_conditions: Vec<String> = Vec::new();
    // Borrowed keys: a per-example table has hundreds of thousands of rows.
    type Key<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<i64>,
    );
    let mut seen_keys: rustc_hash::FxHashSet<Key> = rustc_hash::FxHashSet::with_capacity_and_hasher(
        if long {
            frame.height()
        } else {
            frame.height() * metric_columns.len()
        },
        Default::default(),
    );
    for row in 0..frame.height() {
        let at = || format.location(row);
        let condition = conditions[row]
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| Error::input_at(path, at(), format!("empty `{}`", names.condition)))?;
        let seed = seed_texts[row].as_deref().ok_or_else(|| {
            Error::input_at(
                path,
                at(),
                format!("empty `{}`: every row needs its seed", names.seed),
            )
        })?;
        let step = match steps[row].as_deref() {
            None => None,
            Some(text) => Some(seed_text(text).parse::<i64>().map_err(|_| {
                Error::input_at(
                    path,
                    at(),
                    format!("`{}` is not an integer step: {text:?}", names.step),
                )
            })?),
        };
        if !seen_conditions.iter().any(|c| c == condition) {
            seen_conditions.push(condition.to_string());
        }
        let cells: Vec<(&str, Option<&str>, &str)> = if long {
            let metric = metric_columns[0].1[row]
                .as_deref()
                .filter(|m| !m.trim().is_empty())
                .ok_or_else(|| Error::input_at(path, at(), format!("empty `{}`", names.metric)))?;
            vec![(
                metric,
                metric_columns[1].1[row].as_deref(),
                names.value.as_str(),
            )]
        } else {
            metric_columns
                .iter()
                .map(|(name, cells)| (name.as_str(), cells[row].as_deref(), name.as_str()))
                .collect()
        };
        for (metric, cell, column) in cells {
            let key = (
                condition,
                seed,
                metric,
                tasks[row].as_deref(),
                examples[row].as_deref(),
                step,
            );
            if !seen_keys.insert(key) {
                return Err(Error::input_at(
                    path,
                    at(),
                    format!(
                        "duplicate seed {seed} for `{metric}` of condition `{condition}`: each seed must appear once"
                    ),
                ));
            }
            let value = parse_value(cell).map_err(|NotANumber| {
                Error::input_at(
                    path,
                    at(),
                    format!(
                        "non-numeric value {:?} in column `{column}`",
                        cell.unwrap_or_default()
                    ),
                )
            })?;
            let cluster = clusters.as_ref().and_then(|c| c[row].as_deref());
            let row = Row {
                condition,
                seed,
                metric,
                value,
                task: tasks[row].as_deref(),
                example: examples[row].as_deref(),
                step,
            };
            builder.push_clustered(row, cluster);
        }
    }
    Ok(Study::of_table(
        builder.finish(),
        seen_conditions,
        Vec::new(),
    ))
}
