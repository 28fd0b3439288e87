//! Parquet result tables into a [`Frame`], reading only the columns asked
//! for: a per-example file may carry prompts and outputs nobody reads.
//!
//! Top-level columns of text, integers, floats and booleans are read; the
//! rest (nested lists and structs, timestamps, decimals, binary that is not
//! UTF-8) become [`Cells::Unread`], an error only where a command uses them.

use std::fs::File;
use std::path::Path;

use parquet::basic::{ConvertedType, LogicalType, Type as Physical};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::DataType;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::ColumnDescriptor;

use super::frame::{Cells, Frame};
use super::text_column::TextBuilder;
use crate::error::{Error, Result};

/// Records decoded per call: enough to amortize the call, small enough
/// that the batch buffers stay in cache.
const BATCH: usize = 8192;

/// An open Parquet file: its column names before any cell is read.
pub struct ParquetTable {
    reader: SerializedFileReader<File>,
    /// Top-level column names, in file order, each once.
    names: Vec<String>,
}

impl ParquetTable {
    pub fn open(path: &Path) -> Result<ParquetTable> {
        let file = super::guard::open(path)?;
        let reader = SerializedFileReader::new(file).map_err(|e| unreadable(path, e))?;
        let mut names: Vec<String> = Vec::new();
        for leaf in reader.metadata().file_metadata().schema_descr().columns() {
            let top = top_level_name(leaf);
            if !names.contains(&top) {
                names.push(top);
            }
        }
        Ok(ParquetTable { reader, names })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The columns `wanted` selects (every column with `None`), in file order.
    pub fn read(&self, path: &Path, wanted: Option<&[String]>) -> Result<Frame> {
        let metadata = self.reader.metadata();
        let rows = metadata.file_metadata().num_rows();
        let height = usize::try_from(rows)
            .map_err(|_| Error::input(path, format!("the file claims {rows} rows")))?;
        let leaves = metadata.file_metadata().schema_descr().columns();
        let mut columns = Vec::new();
        for name in &self.names {
            if wanted.is_some_and(|w| !w.contains(name)) {
                continue;
            }
            let of_name: Vec<usize> = (0..leaves.len())
                .filter(|&i| top_level_name(&leaves[i]) == *name)
                .collect();
            let cells = match of_name.as_slice() {
                [leaf] if leaves[*leaf].path().parts().len() == 1 => {
                    self.read_leaf(path, &leaves[*leaf], *leaf, height)?
                }
                _ => Cells::Unread {
                    kind: "nested".into(),
                    len: height,
                },
            };
            if cells.len() != height {
                return Err(Error::input(
                    path,
                    format!(
                        "column `{name}` holds {} values, but the file claims {height} rows",
                        cells.len()
                    ),
                ));
            }
            columns.push((name.clone(), cells));
        }
        Ok(Frame::new(height, columns))
    }

    /// One top-level column's `rows` cells (the file's claim) over every row group.
    fn read_leaf(
        &self,
        path: &Path,
        column: &ColumnDescriptor,
        leaf: usize,
        rows: usize,
    ) -> Result<Cells> {
        let Some(kind) = Kind::of(column) else {
            return Ok(Cells::Unread {
                kind: unread_kind(column),
                len: rows,
            });
        };
        // sized once: growing by doubling copied and re-faulted the whole
        // column (a quarter of reading 10⁷ rows); the file's claim is checked first
        super::guard::budget(
            path,
            (rows as u64).saturating_mul(16),
            "a column of the claimed rows",
        )?;
        let mut out = Out::with_capacity(kind, rows);
        for group in 0..self.reader.num_row_groups() {
            let reader = self
                .reader
                .get_row_group(group)
                .and_then(|g| g.get_column_reader(leaf))
                .map_err(|e| unreadable(path, e))?;
            let max_def = column.max_def_level();
            let failed = |e| unreadable(path, e);
            match (reader, &mut out) {
                (ColumnReader::BoolColumnReader(r), Out::Bool(v)) => {
                    drain(r, max_def, |b| v.push(b.copied())).map_err(failed)?
                }
                (ColumnReader::Int32ColumnReader(r), Out::Int(v)) => {
                    let unsigned = kind == Kind::Unsigned;
                    drain(r, max_def, |x| {
                        v.push(x.map(|&x| if unsigned { x as u32 as i64 } else { x as i64 }))
                    })
                    .map_err(failed)?
                }
                (ColumnReader::Int64ColumnReader(r), Out::Int(v)) => {
                    drain(r, max_def, |x| v.push(x.copied())).map_err(failed)?
                }
                (ColumnReader::Int64ColumnReader(r), Out::Float64(v)) => {
                    // unsigned 64-bit: past i64 only as a float
                    drain(r, max_def, |x| v.push(x.map(|&x| x as u64 as f64))).map_err(failed)?
                }
                (ColumnReader::FloatColumnReader(r), Out::Float32(v)) => {
                    drain(r, max_def, |x| v.push(x.copied())).map_err(failed)?
                }
                (ColumnReader::DoubleColumnReader(r), Out::Float64(v)) => {
                    drain(r, max_def, |x| v.push(x.copied())).map_err(failed)?
                }
                (ColumnReader::ByteArrayColumnReader(r), Out::Text(v)) => {
                    let mut bad_utf8 = false;
                    drain(r, max_def, |x| match x {
                        None => v.push(None),
                        Some(bytes) => match std::str::from_utf8(bytes.data()) {
                            Ok(text) => v.push(Some(text)),
                            Err(_) => {
                                bad_utf8 = true;
                                v.push(None)
                            }
                        },
                    })
                    .map_err(failed)?;
                    if bad_utf8 {
                        return Ok(Cells::Unread {
                            kind: "binary".into(),
                            len: rows,
                        });
                    }
                }
                _ => {
                    return Err(Error::input(
                        path,
                        format!(
                            "cannot read the table: column `{}` does not hold the type its schema declares",
                            column.name()
                        ),
                    ));
                }
            }
        }
        Ok(out.finish())
    }
}

fn unreadable(path: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::input(path, format!("cannot read the table: {e}"))
}

fn top_level_name(leaf: &ColumnDescriptor) -> String {
    leaf.path()
        .parts()
        .first()
        .cloned()
        .unwrap_or_else(|| leaf.name().to_string())
}

/// What a leaf column is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Signed,
    /// UINT_8/16/32 in an INT32.
    Unsigned,
    /// UINT_64: past i64::MAX only a float holds it.
    Unsigned64,
    Float32,
    Float64,
    Text,
}

impl Kind {
    fn of(column: &ColumnDescriptor) -> Option<Kind> {
        if column.max_rep_level() > 0 {
            return None;
        }
        if matches!(
            column.logical_type_ref(),
            Some(
                LogicalType::Date
                    | LogicalType::Time(_)
                    | LogicalType::Timestamp(_)
                    | LogicalType::Decimal(_)
                    | LogicalType::Bson
                    | LogicalType::Uuid
                    | LogicalType::Float16
            )
        ) {
            return None;
        }
        let converted = column.converted_type();
        let temporal = matches!(
            converted,
            ConvertedType::DATE
                | ConvertedType::TIME_MILLIS
                | ConvertedType::TIME_MICROS
                | ConvertedType::TIMESTAMP_MILLIS
                | ConvertedType::TIMESTAMP_MICROS
                | ConvertedType::DECIMAL
                | ConvertedType::INTERVAL
        );
        if temporal {
            return None;
        }
        Some(match column.physical_type() {
            Physical::BOOLEAN => Kind::Bool,
            Physical::INT32 => match converted {
                ConvertedType::UINT_8 | ConvertedType::UINT_16 | ConvertedType::UINT_32 => {
                    Kind::Unsigned
                }
                _ => Kind::Signed,
            },
            Physical::INT64 if converted == ConvertedType::UINT_64 => Kind::Unsigned64,
            Physical::INT64 => Kind::Signed,
            Physical::FLOAT => Kind::Float32,
            Physical::DOUBLE => Kind::Float64,
            Physical::BYTE_ARRAY => Kind::Text,
            Physical::INT96 | Physical::FIXED_LEN_BYTE_ARRAY => return None,
        })
    }
}

/// The name of a column type xreport does not read, for messages.
fn unread_kind(column: &ColumnDescriptor) -> String {
    if column.max_rep_level() > 0 {
        return "nested".into();
    }
    match column.logical_type_ref() {
        Some(LogicalType::Timestamp(_)) => "timestamp".into(),
        Some(LogicalType::Date) => "date".into(),
        Some(LogicalType::Time(_)) => "time of day".into(),
        Some(LogicalType::Decimal(_)) => "decimal".into(),
        Some(logical) => format!("{logical:?}").to_lowercase(),
        None if column.converted_type() != ConvertedType::NONE => {
            column.converted_type().to_string().to_lowercase()
        }
        None => column.physical_type().to_string().to_lowercase(),
    }
}

/// A column's cells as they are decoded.
enum Out {
    Bool(Vec<Option<bool>>),
    Int(Vec<Option<i64>>),
    Float32(Vec<Option<f32>>),
    Float64(Vec<Option<f64>>),
    Text(TextBuilder),
}

impl Out {
    fn with_capacity(kind: Kind, rows: usize) -> Out {
        match kind {
            Kind::Bool => Out::Bool(Vec::with_capacity(rows)),
            Kind::Signed | Kind::Unsigned => Out::Int(Vec::with_capacity(rows)),
            Kind::Unsigned64 | Kind::Float64 => Out::Float64(Vec::with_capacity(rows)),
            Kind::Float32 => Out::Float32(Vec::with_capacity(rows)),
            Kind::Text => Out::Text(TextBuilder::with_capacity(rows)),
        }
    }

    fn finish(self) -> Cells {
        match self {
            Out::Bool(v) => Cells::Bool(v),
            Out::Int(v) => Cells::Int(v),
            Out::Float32(v) => Cells::Float32(v),
            Out::Float64(v) => Cells::Float64(v),
            Out::Text(v) => Cells::Text(v.finish()),
        }
    }
}

/// Every record of one column chunk, in order, nulls as `None`.
fn drain<T: DataType>(
    mut reader: ColumnReaderImpl<T>,
    max_def: i16,
    mut each: impl FnMut(Option<&T::T>),
) -> parquet::errors::Result<()> {
    let mut defs: Vec<i16> = Vec::with_capacity(BATCH);
    let mut values: Vec<T::T> = Vec::with_capacity(BATCH);
    loop {
        defs.clear();
        values.clear();
        let (records, _, _) =
            reader.read_records(BATCH, (max_def > 0).then_some(&mut defs), None, &mut values)?;
        if records == 0 {
            return Ok(());
        }
        if max_def == 0 {
            values.iter().for_each(|v| each(Some(v)));
            continue;
        }
        let mut present = values.iter();
        for &def in &defs {
            if def == max_def {
                each(present.next());
            } else {
                each(None);
            }
        }
    }
}
