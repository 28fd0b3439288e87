//! Embedding matrices as table columns for `xreport pca`: CSV, TSV and
//! Parquet, the numeric columns `--columns` selects (every column but the
//! label column by default), and a label column.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::frame::{Cells, Frame};

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
    let (frame, _) = super::table::read_frame(path)?;
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

/// The feature columns in table order: those matching a `--columns` glob, or
/// every column but the label column.
fn selected_columns(
    path: &Path,
    frame: &Frame,
    columns: &[String],
    label_column: Option<&str>,
) -> Result<Vec<String>> {
    let all: Vec<String> = frame.names().map(str::to_string).collect();
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

fn numeric_column(path: &Path, frame: &Frame, name: &str, ext: &str) -> Result<Vec<f64>> {
    let column = frame
        .column(name)
        .ok_or_else(|| Error::input(path, format!("no column `{name}`")))?;
    let not_numeric = |kind: &str| {
        Error::input(
            path,
            format!(
                "column `{name}` is not numeric ({kind}): select the feature columns with \
                 --columns, or name the label column with --label-column"
            ),
        )
    };
    // a CSV's cells are text: a column is numeric when every cell reads as a number
    let values: Vec<Option<f64>> = match column {
        Cells::Float64(v) => v.clone(),
        Cells::Float32(v) => v.iter().map(|v| v.map(f64::from)).collect(),
        Cells::Int(v) => v.iter().map(|v| v.map(|v| v as f64)).collect(),
        Cells::Nulls(len) => vec![None; *len],
        Cells::Text(text) if matches!(ext, "csv" | "tsv") => {
            let mut out = Vec::with_capacity(text.len());
            for cell in text.iter() {
                match cell.map(|c| c.trim().parse::<f64>()) {
                    None => out.push(None),
                    Some(Ok(v)) => out.push(Some(v)),
                    Some(Err(_)) => return Err(not_numeric("text")),
                }
            }
            out
        }
        other => return Err(not_numeric(other.kind())),
    };
    values
        .into_iter()
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

fn labels_of(path: &Path, frame: &Frame, name: &str, ext: &str) -> Result<Vec<String>> {
    let column = frame
        .column(name)
        .cloned()
        .ok_or_else(|| Error::input(path, format!("no column `{name}`")))?;
    let text = column.into_text().map_err(|kind| {
        Error::input(
            path,
            format!("column `{name}` cannot be read as labels: it holds {kind} values"),
        )
    })?;
    text.iter()
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
