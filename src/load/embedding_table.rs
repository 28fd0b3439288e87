//! Embedding matrices as table columns for `xreport pca`: CSV, TSV and
//! Parquet, the numeric columns `--columns` selects (every column but the
//! label column by default), and a label column.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use polars::prelude::*;

use crate::error::{Error, Result};

/// The selected columns of a table as a row-major matrix, with its labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub rows: usize,
    pub dims: usize,
    pub values: Vec<f64>,
    pub labels: Option<Vec<String>>,
}

/// Reads the numeric columns matching the `columns` globs (every column but
/// the label column when empty) and the `label_column` of the table `path`,
/// a `csv`, `tsv` or Parquet file by `ext`.
pub fn read(
    path: &Path,
    ext: &str,
    columns: &[String],
    label_column: Option<&str>,
) -> Result<Columns> {
    let frame = read_frame(path, ext)?;
    let names = selected_columns(path, &frame, columns, label_column)?;
    let rows = frame.height();
    let dims = names.len();
    let mut values = vec![0.0f64; rows * dims];
    for (j, name) in names.iter().enumerate() {
        let column = numeric_column(path, &frame, name, ext)?;
        for (i, v) in column.into_iter().enumerate() {
            values[i * dims + j] = v;
        }
    }
    let labels = match label_column {
        Some(name) => Some(labels_of(path, &frame, name, ext)?),
        None => None,
    };
    Ok(Columns {
        rows,
        dims,
        values,
        labels,
    })
}

fn read_frame(path: &Path, ext: &str) -> Result<DataFrame> {
    super::guard::regular(path)?;
    let polars_error = |e: PolarsError| Error::input(path, format!("cannot read the table: {e}"));
    let csv = |separator: u8| {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_parse_options(CsvParseOptions::default().with_separator(separator))
            .try_into_reader_with_file_path(Some(path.to_path_buf()))
            .and_then(|r| r.finish())
            .map_err(polars_error)
    };
    match ext {
        "csv" => csv(b','),
        "tsv" => csv(b'\t'),
        _ => {
            let file = super::guard::open(path)?;
            ParquetReader::new(file).finish().map_err(polars_error)
        }
    }
}

/// The feature columns in table order: those matching a `--columns` glob, or
/// every column but the label column.
fn selected_columns(
    path: &Path,
    frame: &DataFrame,
    columns: &[String],
    label_column: Option<&str>,
) -> Result<Vec<String>> {
    let all: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    if let Some(label) = label_column
        && !all.iter().any(|n| n == label)
    {
        return Err(Error::input(
            path,
            format!(
                "no column `{label}` (--label-column); the table has: {}",
                all.join(", ")
            ),
        ));
    }
    let globs = glob_set(columns)?;
    let names: Vec<String> = all
        .iter()
        .filter(|n| Some(n.as_str()) != label_column)
        .filter(|n| columns.is_empty() || globs.is_match(n.as_str()))
        .cloned()
        .collect();
    if names.is_empty() {
        return Err(Error::input(
            path,
            format!(
                "no column matches --columns {}; the table has: {}",
                columns.join(" "),
                all.join(", ")
            ),
        ));
    }
    Ok(names)
}

fn glob_set(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p)
            .map_err(|e| Error::usage(format!("--columns {p}: not a valid glob: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Error::usage(format!("--columns: {e}")))
}

/// How a row is named to the user: CSV/TSV lines count the header line.
fn location(ext: &str, row: usize) -> String {
    match ext {
        "csv" | "tsv" => format!("line {}", row + 2),
        _ => format!("row {}", row + 1),
    }
}

fn numeric_column(path: &Path, frame: &DataFrame, name: &str, ext: &str) -> Result<Vec<f64>> {
    let column = frame
        .column(name)
        .map_err(|e| Error::input(path, format!("column `{name}`: {e}")))?;
    if !column.dtype().is_primitive_numeric() {
        return Err(Error::input(
            path,
            format!(
                "column `{name}` is not numeric ({}): select the feature columns with \
                 --columns, or name the label column with --label-column",
                column.dtype()
            ),
        ));
    }
    let cast = column
        .cast(&DataType::Float64)
        .map_err(|e| Error::input(path, format!("column `{name}`: {e}")))?;
    let values = cast
        .f64()
        .map_err(|e| Error::input(path, format!("column `{name}`: {e}")))?;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.ok_or_else(|| {
                Error::input_at(
                    path,
                    location(ext, i),
                    format!("missing or non-numeric value in column `{name}`"),
                )
            })
        })
        .collect()
}

fn labels_of(path: &Path, frame: &DataFrame, name: &str, ext: &str) -> Result<Vec<String>> {
    let err = |e: PolarsError| Error::input(path, format!("column `{name}`: {e}"));
    let column = frame.column(name).map_err(err)?;
    let text = column.cast(&DataType::String).map_err(err)?;
    let strings = text.str().map_err(err)?;
    strings
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.map(str::to_string).ok_or_else(|| {
                Error::input_at(
                    path,
                    location(ext, i),
                    format!("missing label in column `{name}`"),
                )
            })
        })
        .collect()
}
