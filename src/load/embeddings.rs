//! Embedding matrices for `xreport pca`: the reader chosen by extension
//! (`load/npy.rs`, `load/npz.rs`, `load/embedding_table.rs` for
//! CSV/TSV/Parquet), labels (a text file with one label per line, or a table
//! column), and the checks every format shares.
//!
//! Every reader returns a dense row-major matrix or an input error naming the file;
//! no input, however malformed, panics or allocates more than its own size says.

use std::path::{Path, PathBuf};

pub use super::npy::Values;
use super::{embedding_table, npy, npz};
use crate::error::{Error, Result};

/// One embedding matrix (rows × dims, row-major) and its labels, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    pub path: PathBuf,
    pub rows: usize,
    pub dims: usize,
    pub values: Values,
    /// One label per row, when a label column was read with the matrix.
    pub labels: Option<Vec<String>>,
}

/// What to read from a file: the `.npz` member, the table columns and label column.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `.npz` member (with or without `.npy`); required when the archive holds several.
    pub key: Option<String>,
    /// Glob patterns selecting numeric table columns; empty = every numeric column
    /// except the label column.
    pub columns: Vec<String>,
    /// Table column holding one label per row.
    pub label_column: Option<String>,
}

/// Reads the embedding matrix in `path`, chosen by extension (`.npy`, `.npz`,
/// `.csv`, `.tsv`, `.parquet`/`.pq`).
///
/// Errors (each naming the file): unknown extension, malformed or truncated data,
/// a dtype other than float32/float64, a shape that is not 2-D, fewer than 2 rows,
/// no columns, NaN or infinite values (the first such row is named).
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Embeddings> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let table_only = |what: &str| {
        Error::input(
            path,
            format!("{what} applies to CSV/TSV/Parquet tables, not to .{ext} files"),
        )
    };
    let emb = match ext.as_str() {
        "npy" | "npz" => {
            if opts.label_column.is_some() {
                return Err(table_only("--label-column"));
            }
            if !opts.columns.is_empty() {
                return Err(table_only("--columns"));
            }
            let (rows, dims, values) = if ext == "npy" {
                npy::read_matrix(path)?
            } else {
                npz::read(path, opts.key.as_deref())?
            };
            Embeddings {
                path: path.to_path_buf(),
                rows,
                dims,
                values,
                labels: None,
            }
        }
        "csv" | "tsv" | "parquet" | "pq" => {
            let table =
                embedding_table::read(path, &ext, &opts.columns, opts.label_column.as_deref())?;
            Embeddings {
                path: path.to_path_buf(),
                rows: table.rows,
                dims: table.dims,
                values: Values::F64(table.values),
                labels: table.labels,
            }
        }
        _ => {
            return Err(Error::input(
                path,
                "unknown embeddings format: expected .npy, .npz, .csv, .tsv or .parquet",
            ));
        }
    };
    validate(&emb)?;
    Ok(emb)
}

/// Reads labels, one per line (a final newline is optional, `\r\n` is accepted).
/// A blank line is an error naming it, since it would silently shift every label below.
pub fn read_labels(path: &Path) -> Result<Vec<String>> {
    let text = super::guard::read_bytes(path)?;
    let text = String::from_utf8(text).map_err(|e| {
        Error::input_at(
            path,
            format!("byte {}", e.utf8_error().valid_up_to()),
            "labels are not valid UTF-8 text",
        )
    })?;
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if line.trim().is_empty() {
                Err(Error::input_at(
                    path,
                    format!("line {}", i + 1),
                    "blank label: expected one label per line",
                ))
            } else {
                Ok(line.to_string())
            }
        })
        .collect()
}

/// Checks that `labels` (read from `labels_path`) has one label per row of `emb`.
pub fn check_label_count(emb: &Embeddings, labels: &[String], labels_path: &Path) -> Result<()> {
    if labels.len() == emb.rows {
        return Ok(());
    }
    Err(Error::input(
        labels_path,
        format!(
            "{} labels for {} rows in {}: expected one label per row",
            labels.len(),
            emb.rows,
            emb.path.display()
        ),
    ))
}

/// Shape and value checks common to every format.
fn validate(emb: &Embeddings) -> Result<()> {
    if emb.dims == 0 {
        return Err(Error::input(&emb.path, "the matrix has no columns"));
    }
    if emb.rows < 2 {
        return Err(Error::input(
            &emb.path,
            format!("{} row(s): PCA needs at least 2 rows", emb.rows),
        ));
    }
    let bad = match &emb.values {
        Values::F32(v) => non_finite_rows(v, emb.dims, |x| x.is_finite()),
        Values::F64(v) => non_finite_rows(v, emb.dims, |x| x.is_finite()),
    };
    if let Some((first, count)) = bad {
        return Err(Error::input_at(
            &emb.path,
            format!("row {first}"),
            format!(
                "NaN or infinite values in {count} of {} rows (rows counted from 0); \
                 drop or fix those rows",
                emb.rows
            ),
        ));
    }
    if let Some(labels) = &emb.labels {
        check_label_count(emb, labels, &emb.path)?;
    }
    Ok(())
}

/// The first row holding a non-finite value and the number of such rows.
fn non_finite_rows<T: Copy>(
    values: &[T],
    dims: usize,
    finite: impl Fn(T) -> bool,
) -> Option<(usize, usize)> {
    let mut first = None;
    let mut count = 0;
    for (i, row) in values.chunks_exact(dims).enumerate() {
        if !row.iter().all(|&x| finite(x)) {
            first.get_or_insert(i);
            count += 1;
        }
    }
    first.map(|f| (f, count))
}
