//! Embedding matrices for `xreport pca`: `.npy`, `.npz`, CSV/TSV/Parquet columns,
//! and labels (a text file with one label per line, or a table column).
//!
//! Every reader returns a dense row-major matrix or an input error naming the file;
//! no input, however malformed, panics or allocates more than its own size says.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The values of a matrix, row-major, in the precision they were stored in.
/// float32 stays float32 so a 100,000 × 768 matrix costs 307 MB, not 614 MB.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    F32(Vec<f32>),
    F64(Vec<f64>),
}

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
                read_npy_file(path)?
            } else {
                read_npz(path, opts.key.as_deref())?
            };
            Embeddings {
                path: path.to_path_buf(),
                rows,
                dims,
                values,
                labels: None,
            }
        }
        "csv" | "tsv" | "parquet" | "pq" => table::read(path, &ext, opts)?,
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
    let text = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
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

// ---------------------------------------------------------------------------
// .npy and .npz

/// Largest header we accept; numpy's own limit for a version 1 header is 64 KiB.
const MAX_HEADER_LEN: usize = 1 << 20;
/// Deflate cannot expand data by more than about 1032:1, so a member declaring a
/// larger uncompressed size than this bound is corrupt; checked before allocating.
const MAX_DEFLATE_RATIO: u64 = 1032;

fn read_npy_file(path: &Path) -> Result<(usize, usize, Values)> {
    let file = File::open(path).map_err(|e| Error::io(path, &e))?;
    let len = file.metadata().map_err(|e| Error::io(path, &e))?.len();
    read_npy(BufReader::new(file), len, path, matrix_shape)
}

fn read_npz(path: &Path, key: Option<&str>) -> Result<(usize, usize, Values)> {
    let file = File::open(path).map_err(|e| Error::io(path, &e))?;
    let zip_err = |e: zip::result::ZipError| {
        Error::input(path, format!("not a readable .npz (zip) archive: {e}"))
    };
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(zip_err)?;
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.map(|s| s.to_string()))
        .collect::<std::result::Result<_, _>>()
        .map_err(zip_err)?;
    let member = choose_member(path, &names, key)?;
    let entry = archive.by_name(&member).map_err(zip_err)?;
    let declared = entry.size();
    if declared > entry.compressed_size().saturating_mul(MAX_DEFLATE_RATIO) + 1024 {
        return Err(Error::input(
            path,
            format!("member {member} declares an impossible size of {declared} bytes"),
        ));
    }
    let location = format!("member {member}");
    read_npy(entry, declared, path, matrix_shape).map_err(|e| with_location(e, &location))
}

/// Picks the archive member for `key`, or the only member when no key is given.
fn choose_member(path: &Path, names: &[String], key: Option<&str>) -> Result<String> {
    let keys: Vec<&str> = names
        .iter()
        .map(|n| n.strip_suffix(".npy").unwrap_or(n))
        .collect();
    match key {
        Some(k) => {
            let k = k.strip_suffix(".npy").unwrap_or(k);
            keys.iter()
                .position(|&n| n == k)
                .map(|i| names[i].clone())
                .ok_or_else(|| {
                    Error::input(
                        path,
                        format!(
                            "no array named '{k}' (--key); the archive holds: {}",
                            keys.join(", ")
                        ),
                    )
                })
        }
        None => match names {
            [only] => Ok(only.clone()),
            [] => Err(Error::input(path, "the archive holds no arrays")),
            _ => Err(Error::input(
                path,
                format!(
                    "the archive holds several arrays ({}): choose one with --key",
                    keys.join(", ")
                ),
            )),
        },
    }
}

/// Puts the member's name before an input error's location (for errors inside an .npz member).
fn with_location(err: Error, at: &str) -> Error {
    match err {
        Error::Input {
            path,
            location,
            message,
        } => Error::Input {
            path,
            location: Some(match location {
                Some(inside) => format!("{at}, {inside}"),
                None => at.to_string(),
            }),
            message,
        },
        other => other,
    }
}

/// Element type and byte order of an `.npy` array.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dtype {
    wide: bool,
    big_endian: bool,
}

impl Dtype {
    fn size(self) -> usize {
        if self.wide { 8 } else { 4 }
    }
}

/// What the `.npy` header says, its shape read as a matrix by a [`ShapeRule`].
#[derive(Debug, Clone, PartialEq)]
struct NpyHeader {
    dtype: Dtype,
    fortran_order: bool,
    rows: usize,
    dims: usize,
    /// Byte offset of the data: the preamble and header before it.
    data_start: usize,
}

/// How an array's shape becomes (rows, dims), or why it cannot.
type ShapeRule = fn(&[usize]) -> std::result::Result<(usize, usize), String>;

/// An embedding matrix: exactly 2-D.
fn matrix_shape(shape: &[usize]) -> std::result::Result<(usize, usize), String> {
    match shape {
        &[rows, dims] => Ok((rows, dims)),
        other => Err(format!(
            "{}-D array of shape {}: expected a 2-D matrix (rows × dims)",
            other.len(),
            pylit::shape_str(other)
        )),
    }
}

/// A learning curve: 1-D, or a single row or column.
fn curve_shape(shape: &[usize]) -> std::result::Result<(usize, usize), String> {
    match shape {
        &[n] | &[n, 1] => Ok((n, 1)),
        &[1, n] => Ok((1, n)),
        other => Err(format!(
            "{}-D array of shape {}: expected one curve (a 1-D array)",
            other.len(),
            pylit::shape_str(other)
        )),
    }
}

/// The values of a 1-D `.npy` array (or a single row or column) of float32 or
/// float64, in either byte order, as f64: a learning curve saved with `np.save`.
/// NaN stays NaN (a missing evaluation); malformed files are input errors
/// naming the file and byte, as for embeddings.
pub fn read_npy_curve(path: &Path) -> Result<Vec<f64>> {
    let file = File::open(path).map_err(|e| Error::io(path, &e))?;
    let len = file.metadata().map_err(|e| Error::io(path, &e))?.len();
    let (_, _, values) = read_npy(BufReader::new(file), len, path, curve_shape)?;
    Ok(match values {
        Values::F32(v) => v.into_iter().map(f64::from).collect(),
        Values::F64(v) => v,
    })
}

/// Reads a whole `.npy` stream of `total_len` bytes (file length or zip member size).
///
/// Format: <https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html>:
/// magic `\x93NUMPY`, version (1, 2 or 3), a little-endian header length (u16 in
/// version 1, u32 after), a Python dict literal with `descr`, `fortran_order` and
/// `shape`, then the raw data.
fn read_npy<R: Read>(
    mut r: R,
    total_len: u64,
    path: &Path,
    shape: ShapeRule,
) -> Result<(usize, usize, Values)> {
    let header = read_npy_header(&mut r, path, shape)?;
    let header_len = header.data_start;
    let count = header
        .rows
        .checked_mul(header.dims)
        .ok_or_else(|| Error::input(path, "the header's shape is too large to be real"))?;
    let expected = (count as u64).saturating_mul(header.dtype.size() as u64);
    let available = total_len.saturating_sub(header_len as u64);
    if expected > available {
        return Err(truncated(path, &header, expected, available));
    }
    if expected < available {
        return Err(Error::input(
            path,
            format!(
                "the header says shape ({}, {}) = {expected} bytes of data but the file holds \
                 {available}: the header does not match the data",
                header.rows, header.dims
            ),
        ));
    }
    let values = read_values(&mut r, &header, path, expected)?;
    Ok((header.rows, header.dims, values))
}

fn truncated(path: &Path, header: &NpyHeader, expected: u64, got: u64) -> Error {
    Error::input_at(
        path,
        format!("byte {}", header.data_start as u64 + got),
        format!(
            "truncated: the header says shape ({}, {}) = {expected} bytes of data, \
             but only {got} bytes follow",
            header.rows, header.dims
        ),
    )
}

/// Reads magic, version and header dict.
fn read_npy_header<R: Read>(r: &mut R, path: &Path, shape: ShapeRule) -> Result<NpyHeader> {
    let mut preamble = [0u8; 8];
    read_exact_or(
        r,
        &mut preamble,
        path,
        "the file is too short to be an .npy array",
    )?;
    if &preamble[..6] != b"\x93NUMPY" {
        return Err(Error::input_at(
            path,
            "byte 0",
            "not an .npy file (missing the \\x93NUMPY magic)",
        ));
    }
    let major = preamble[6];
    let (len_bytes, utf8) = match major {
        1 => (2, false),
        2 => (4, false),
        3 => (4, true),
        v => {
            return Err(Error::input(
                path,
                format!(
                    ".npy format version {v}.{} is not supported (expected 1, 2 or 3)",
                    preamble[7]
                ),
            ));
        }
    };
    let mut len_buf = [0u8; 4];
    read_exact_or(r, &mut len_buf[..len_bytes], path, "truncated .npy header")?;
    let header_len = u32::from_le_bytes(len_buf) as usize;
    if header_len > MAX_HEADER_LEN {
        return Err(Error::input(
            path,
            format!("implausible .npy header length {header_len}"),
        ));
    }
    let mut raw = vec![0u8; header_len];
    read_exact_or(r, &mut raw, path, "truncated .npy header")?;
    let text = if utf8 {
        String::from_utf8(raw).map_err(|_| Error::input(path, "the .npy header is not UTF-8"))?
    } else {
        raw.iter().map(|&b| b as char).collect()
    };
    let data_start = 8 + len_bytes + header_len;
    parse_header(&text, shape, data_start).map_err(|m| Error::input_at(path, "header", m))
}

fn read_exact_or<R: Read>(r: &mut R, buf: &mut [u8], path: &Path, msg: &str) -> Result<()> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => Error::input(path, msg),
        _ => Error::io(path, &e),
    })
}

/// Parses the header dict into dtype, order and a shape the `shape` rule accepts.
fn parse_header(
    text: &str,
    shape_rule: ShapeRule,
    data_start: usize,
) -> std::result::Result<NpyHeader, String> {
    let dict = pylit::parse_dict(text)?;
    let get = |k: &str| {
        dict.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v)
            .ok_or_else(|| format!("the header has no '{k}' entry"))
    };
    let descr = match get("descr")? {
        pylit::Value::Str(s) => s.as_str(),
        _ => return Err("structured dtypes are not supported: expected float32 or float64".into()),
    };
    let dtype = parse_descr(descr)?;
    let fortran_order = match get("fortran_order")? {
        pylit::Value::Bool(b) => *b,
        _ => return Err("'fortran_order' is not True or False".into()),
    };
    let shape = match get("shape")? {
        pylit::Value::Tuple(items) => items
            .iter()
            .map(|v| match v {
                pylit::Value::Int(n) => {
                    usize::try_from(*n).map_err(|_| "shape too large".to_string())
                }
                _ => Err("'shape' holds a non-integer".to_string()),
            })
            .collect::<std::result::Result<Vec<usize>, String>>()?,
        _ => return Err("'shape' is not a tuple".into()),
    };
    let (rows, dims) = shape_rule(&shape)?;
    Ok(NpyHeader {
        dtype,
        fortran_order,
        rows,
        dims,
        data_start,
    })
}

/// float32/float64 in either byte order: `<f4`, `>f4`, `<f8`, `>f8` (`=` is native).
fn parse_descr(descr: &str) -> std::result::Result<Dtype, String> {
    let unsupported =
        || format!("dtype '{descr}' is not supported: expected float32 or float64 ('<f4', '<f8')");
    let (order, kind) = descr.split_at_checked(1).ok_or_else(unsupported)?;
    let big_endian = match order {
        "<" => false,
        ">" => true,
        "=" => cfg!(target_endian = "big"),
        _ => return Err(unsupported()),
    };
    let wide = match kind {
        "f4" => false,
        "f8" => true,
        _ => return Err(unsupported()),
    };
    Ok(Dtype { wide, big_endian })
}

/// Bytes read per step while decoding; a multiple of 8 so no value straddles two steps.
const CHUNK: usize = 1 << 16;

fn read_values<R: Read>(r: &mut R, h: &NpyHeader, path: &Path, expected: u64) -> Result<Values> {
    let count = h.rows * h.dims;
    let values = if h.dtype.wide {
        let decode = if h.dtype.big_endian {
            f64::from_be_bytes
        } else {
            f64::from_le_bytes
        };
        Values::F64(decode_stream(r, h, path, expected, count, decode)?)
    } else {
        let decode = if h.dtype.big_endian {
            f32::from_be_bytes
        } else {
            f32::from_le_bytes
        };
        Values::F32(decode_stream(r, h, path, expected, count, decode)?)
    };
    let mut extra = [0u8; 1];
    if matches!(r.read(&mut extra), Ok(n) if n > 0) {
        return Err(Error::input(
            path,
            format!(
                "more data than the header's shape ({}, {}) says: the header does not match the data",
                h.rows, h.dims
            ),
        ));
    }
    Ok(values)
}

/// Decodes `count` values of `N` bytes into a row-major buffer, transposing a
/// Fortran-order stream on the fly (element k of the stream is row k % rows,
/// column k / rows) so no second copy of the matrix is ever held.
fn decode_stream<R: Read, T: Copy + Default, const N: usize>(
    r: &mut R,
    h: &NpyHeader,
    path: &Path,
    expected: u64,
    count: usize,
    decode: fn([u8; N]) -> T,
) -> Result<Vec<T>> {
    let mut out = vec![T::default(); count];
    let mut buf = vec![0u8; CHUNK];
    // Position of the next value: stream index k, and (row, col) for Fortran order.
    let (mut k, mut row, mut col) = (0usize, 0usize, 0usize);
    while k < count {
        let want = ((count - k) * N).min(CHUNK);
        let chunk = &mut buf[..want];
        let got = read_full(r, chunk).map_err(|e| Error::io(path, &e))?;
        if got < want {
            return Err(truncated(path, h, expected, (k * N + got) as u64));
        }
        for bytes in chunk.chunks_exact(N) {
            let mut b = [0u8; N];
            b.copy_from_slice(bytes);
            let idx = if h.fortran_order {
                row * h.dims + col
            } else {
                k
            };
            out[idx] = decode(b);
            k += 1;
            row += 1;
            if row == h.rows {
                row = 0;
                col += 1;
            }
        }
    }
    Ok(out)
}

/// Reads until `buf` is full or the stream ends; returns the bytes read.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A parser for the Python literals that `.npy` headers are written in.
mod pylit {
    /// A Python literal value.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Value {
        Str(String),
        Bool(bool),
        Int(u64),
        Tuple(Vec<Value>),
        List(Vec<Value>),
        None,
    }

    /// `(3, 4)` for a shape.
    pub fn shape_str(shape: &[usize]) -> String {
        match shape {
            [one] => format!("({one},)"),
            _ => format!(
                "({})",
                shape
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// Parses `{'key': value, ...}` with string keys.
    pub fn parse_dict(text: &str) -> Result<Vec<(String, Value)>, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        p.expect(b'{')?;
        let mut out = Vec::new();
        loop {
            p.skip_ws();
            if p.eat(b'}') {
                break;
            }
            let key = match p.value(0)? {
                Value::Str(k) => k,
                _ => return Err("the header dict has a non-string key".into()),
            };
            p.expect(b':')?;
            let value = p.value(0)?;
            out.push((key, value));
            p.skip_ws();
            if !p.eat(b',') {
                p.expect(b'}')?;
                break;
            }
        }
        Ok(out)
    }

    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
    }

    /// Nesting deeper than any real header is rejected (no stack overflow on hostile input).
    const MAX_DEPTH: usize = 16;

    impl Parser<'_> {
        fn skip_ws(&mut self) {
            while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
                self.i += 1;
            }
        }

        fn eat(&mut self, c: u8) -> bool {
            self.skip_ws();
            if self.s.get(self.i) == Some(&c) {
                self.i += 1;
                true
            } else {
                false
            }
        }

        fn expect(&mut self, c: u8) -> Result<(), String> {
            if self.eat(c) {
                Ok(())
            } else {
                Err(format!(
                    "malformed header: expected '{}' at character {}",
                    c as char, self.i
                ))
            }
        }

        fn value(&mut self, depth: usize) -> Result<Value, String> {
            if depth > MAX_DEPTH {
                return Err("malformed header: nested too deeply".into());
            }
            self.skip_ws();
            match self.s.get(self.i) {
                Some(b'\'') | Some(b'"') => self.string(),
                Some(b'(') => self.sequence(b')', depth).map(Value::Tuple),
                Some(b'[') => self.sequence(b']', depth).map(Value::List),
                Some(c) if c.is_ascii_digit() => self.int(),
                Some(_) => self.word(),
                None => Err("malformed header: unexpected end".into()),
            }
        }

        fn string(&mut self) -> Result<Value, String> {
            let quote = self.s[self.i];
            let start = self.i + 1;
            let len = self.s[start..]
                .iter()
                .position(|&c| c == quote)
                .ok_or("malformed header: unterminated string")?;
            self.i = start + len + 1;
            Ok(Value::Str(
                String::from_utf8_lossy(&self.s[start..start + len]).into_owned(),
            ))
        }

        fn sequence(&mut self, close: u8, depth: usize) -> Result<Vec<Value>, String> {
            self.i += 1;
            let mut items = Vec::new();
            loop {
                if self.eat(close) {
                    return Ok(items);
                }
                items.push(self.value(depth + 1)?);
                if !self.eat(b',') {
                    self.expect(close)?;
                    return Ok(items);
                }
            }
        }

        fn int(&mut self) -> Result<Value, String> {
            let start = self.i;
            while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
            let digits = std::str::from_utf8(&self.s[start..self.i]).map_err(|e| e.to_string())?;
            // Python 2 wrote long integers with an `L` suffix.
            if matches!(self.s.get(self.i), Some(b'L')) {
                self.i += 1;
            }
            digits
                .parse()
                .map(Value::Int)
                .map_err(|_| format!("malformed header: bad integer {digits}"))
        }

        fn word(&mut self) -> Result<Value, String> {
            let start = self.i;
            while self
                .s
                .get(self.i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                self.i += 1;
            }
            match &self.s[start..self.i] {
                b"True" => Ok(Value::Bool(true)),
                b"False" => Ok(Value::Bool(false)),
                b"None" => Ok(Value::None),
                _ => Err(format!(
                    "malformed header: unexpected input at character {start}"
                )),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// CSV, TSV and Parquet

mod table {
    use globset::{Glob, GlobSet, GlobSetBuilder};
    use polars::prelude::*;

    use super::{Embeddings, ReadOptions, Values};
    use crate::error::{Error, Result};
    use std::fs::File;
    use std::path::Path;

    /// Reads the selected numeric columns (and the label column) of a table.
    pub fn read(path: &Path, ext: &str, opts: &ReadOptions) -> Result<Embeddings> {
        let frame = read_frame(path, ext)?;
        let names = selected_columns(path, &frame, opts)?;
        let rows = frame.height();
        let dims = names.len();
        let mut values = vec![0.0f64; rows * dims];
        for (j, name) in names.iter().enumerate() {
            let column = numeric_column(path, &frame, name, ext)?;
            for (i, v) in column.into_iter().enumerate() {
                values[i * dims + j] = v;
            }
        }
        let labels = match &opts.label_column {
            Some(name) => Some(label_column(path, &frame, name, ext)?),
            None => None,
        };
        Ok(Embeddings {
            path: path.to_path_buf(),
            rows,
            dims,
            values: Values::F64(values),
            labels,
        })
    }

    fn read_frame(path: &Path, ext: &str) -> Result<DataFrame> {
        let polars_error =
            |e: PolarsError| Error::input(path, format!("cannot read the table: {e}"));
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
                let file = File::open(path).map_err(|e| Error::io(path, &e))?;
                ParquetReader::new(file).finish().map_err(polars_error)
            }
        }
    }

    /// The feature columns in table order: those matching a `--columns` glob, or
    /// every column but the label column.
    fn selected_columns(path: &Path, frame: &DataFrame, opts: &ReadOptions) -> Result<Vec<String>> {
        let all: Vec<String> = frame
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        if let Some(label) = &opts.label_column
            && !all.contains(label)
        {
            return Err(Error::input(
                path,
                format!(
                    "no column `{label}` (--label-column); the table has: {}",
                    all.join(", ")
                ),
            ));
        }
        let globs = glob_set(&opts.columns)?;
        let names: Vec<String> = all
            .iter()
            .filter(|n| Some(*n) != opts.label_column.as_ref())
            .filter(|n| opts.columns.is_empty() || globs.is_match(n.as_str()))
            .cloned()
            .collect();
        if names.is_empty() {
            return Err(Error::input(
                path,
                format!(
                    "no column matches --columns {}; the table has: {}",
                    opts.columns.join(" "),
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

    fn label_column(path: &Path, frame: &DataFrame, name: &str, ext: &str) -> Result<Vec<String>> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_with_python2_longs_and_trailing_comma_parses() {
        let h = parse_header(
            "{'descr': '>f8', 'fortran_order': True, 'shape': (3L, 4L), }  \n",
            matrix_shape,
            0,
        )
        .unwrap();
        assert_eq!(
            h,
            NpyHeader {
                dtype: Dtype {
                    wide: true,
                    big_endian: true
                },
                fortran_order: true,
                rows: 3,
                dims: 4,
                data_start: 0,
            }
        );
    }

    #[test]
    fn a_curve_is_one_dimensional_or_a_single_row_or_column() {
        assert_eq!(curve_shape(&[7]), Ok((7, 1)));
        assert_eq!(curve_shape(&[7, 1]), Ok((7, 1)));
        assert_eq!(curve_shape(&[1, 7]), Ok((1, 7)));
        let err = curve_shape(&[2, 7]).unwrap_err();
        assert!(err.contains("expected one curve"), "{err}");
    }

    #[test]
    fn one_dimensional_header_is_rejected_with_its_shape() {
        let err = parse_header(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (7,), }",
            matrix_shape,
            0,
        )
        .unwrap_err();
        assert!(err.contains("1-D array of shape (7,)"), "{err}");
    }
}
