//! `.npy` arrays (numpy's own format, versions 1 to 3): an embedding matrix
//! for `xreport pca`, or a learning curve for [`super::npy_curve`].
//!
//! Format: <https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html>.
//! float32 and float64 in either byte order, C or Fortran order; the data is
//! decoded in chunks straight into a row-major buffer, and no input, however
//! malformed, panics or allocates more than its own size says.

use std::io::{BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

/// The values of a matrix, row-major, in the precision they were stored in.
/// float32 stays float32 so a 100,000 × 768 matrix costs 307 MB, not 614 MB.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    F32(Vec<f32>),
    F64(Vec<f64>),
}

/// Largest header we accept; numpy's own limit for a version 1 header is 64 KiB.
const MAX_HEADER_LEN: usize = 1 << 20;

/// Reads the 2-D `.npy` file `path` as (rows, dims, values).
pub fn read_matrix(path: &Path) -> Result<(usize, usize, Values)> {
    let file = super::guard::open(path)?;
    let len = file.metadata().map_err(|e| Error::io(path, &e))?.len();
    read_npy(BufReader::new(file), len, path, matrix_shape)
}

/// Reads a 2-D `.npy` stream of `total_len` bytes (an `.npz` member) as
/// (rows, dims, values); errors name `path`.
pub fn read_matrix_from<R: Read>(
    r: R,
    total_len: u64,
    path: &Path,
) -> Result<(usize, usize, Values)> {
    read_npy(r, total_len, path, matrix_shape)
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
pub fn read_curve(path: &Path) -> Result<Vec<f64>> {
    let file = super::guard::open(path)?;
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
    super::guard::budget(path, expected, "the array its header describes")?;
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
