//! A table file's columns as the file holds them, before they become tidy
//! rows: CSV and TSV cells as text (so a bad value is reported with its
//! line, as written), JSON lines and Parquet cells typed.

use std::path::Path;

use super::text_column::{TextBuilder, TextColumn};
use crate::error::{Error, Result};

/// One column's cells.
#[derive(Debug, Clone)]
pub enum Cells {
    Text(TextColumn),
    Float64(Vec<Option<f64>>),
    /// Read through its shortest text, as a CSV of it reads.
    Float32(Vec<Option<f32>>),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    /// A column with no value in any row (a JSON key that is always null).
    Nulls(usize),
    /// Cells xreport does not read (nested lists, binary, timestamps): an
    /// error where the column is used, and nothing where it is not.
    Unread {
        kind: String,
        len: usize,
    },
}

impl Cells {
    pub fn len(&self) -> usize {
        match self {
            Cells::Text(c) => c.len(),
            Cells::Float64(c) => c.len(),
            Cells::Float32(c) => c.len(),
            Cells::Int(c) => c.len(),
            Cells::Bool(c) => c.len(),
            Cells::Nulls(len) | Cells::Unread { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The type's name, for messages.
    pub fn kind(&self) -> &str {
        match self {
            Cells::Text(_) => "text",
            Cells::Float64(_) => "float64",
            Cells::Float32(_) => "float32",
            Cells::Int(_) => "integer",
            Cells::Bool(_) => "boolean",
            Cells::Nulls(_) => "null",
            Cells::Unread { kind, .. } => kind,
        }
    }

    /// The cells as text (numbers in their shortest round-trip form, a
    /// float64 with no fraction as `3.0`), or the kind that has none.
    pub fn into_text(self) -> std::result::Result<TextColumn, String> {
        fn each<T>(cells: Vec<Option<T>>, text: impl Fn(T) -> String) -> TextColumn {
            cells.into_iter().map(|c| c.map(&text)).collect()
        }
        Ok(match self {
            Cells::Text(c) => c,
            Cells::Float64(c) => each(c, float64_text),
            Cells::Float32(c) => each(c, |v| v.to_string()),
            Cells::Int(c) => each(c, |v| v.to_string()),
            Cells::Bool(c) => each(c, |v| v.to_string()),
            Cells::Nulls(len) => TextColumn::nulls(len),
            Cells::Unread { kind, .. } => return Err(kind),
        })
    }
}

/// A float64 as text: `3.0` for an integral value, else its shortest form.
fn float64_text(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.1}")
    } else {
        v.to_string()
    }
}

/// The columns of a table file, in file order.
#[derive(Debug, Default)]
pub struct Frame {
    height: usize,
    columns: Vec<(String, Cells)>,
}

impl Frame {
    /// A frame of `columns`, each `height` cells long.
    pub fn new(height: usize, columns: Vec<(String, Cells)>) -> Frame {
        debug_assert!(columns.iter().all(|(_, c)| c.len() == height));
        Frame { height, columns }
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(n, _)| n.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|(n, _)| n == name)
    }

    pub fn column(&self, name: &str) -> Option<&Cells> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// The column `name`, taken out of the frame (its cells move, not copied).
    pub fn take(&mut self, name: &str) -> Option<Cells> {
        let at = self.columns.iter().position(|(n, _)| n == name)?;
        Some(self.columns.remove(at).1)
    }
}

/// A CSV (`separator` `,`) or TSV (`\t`) file with a header line, every
/// cell as text: empty cells are null, a short row's missing cells too.
pub fn read_delimited(path: &Path, separator: u8) -> Result<Frame> {
    let file = super::guard::open(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(true)
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let bad = |e: csv::Error| Error::input(path, format!("cannot read the table: {e}"));
    let header = reader.byte_headers().map_err(bad)?.clone();
    let mut names = Vec::with_capacity(header.len());
    for (i, field) in header.iter().enumerate() {
        let field = if i == 0 {
            field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
        } else {
            field
        };
        let name = std::str::from_utf8(field)
            .map_err(|_| Error::input_at(path, "line 1", "the header is not UTF-8 text"))?;
        if names.iter().any(|n: &String| n == name) {
            return Err(Error::input_at(
                path,
                "line 1",
                format!("the header names column `{name}` twice"),
            ));
        }
        names.push(name.to_string());
    }
    let mut builders: Vec<TextBuilder> = names.iter().map(|_| TextBuilder::default()).collect();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(bad)? {
        let line = || {
            let line = record.position().map_or(0, |p| p.line());
            format!("line {line}")
        };
        if record.len() > names.len() {
            return Err(Error::input_at(
                path,
                line(),
                format!(
                    "{} cells, but the header names {} columns",
                    record.len(),
                    names.len()
                ),
            ));
        }
        for (j, builder) in builders.iter_mut().enumerate() {
            let cell = match record.get(j) {
                None | Some(b"") => None,
                Some(bytes) => Some(std::str::from_utf8(bytes).map_err(|_| {
                    Error::input_at(
                        path,
                        line(),
                        format!("column `{}` is not UTF-8 text", names[j]),
                    )
                })?),
            };
            builder.push(cell);
        }
    }
    let height = builders.first().map_or(0, TextBuilder::rows);
    let columns = names
        .into_iter()
        .zip(builders)
        .map(|(n, b)| (n, Cells::Text(b.finish())))
        .collect();
    Ok(Frame::new(height, columns))
}

/// A JSON lines file: one object a line, its members the columns. A
/// column's type is what its values share: integers, numbers (integers and
/// decimals), booleans, else text (numbers and booleans written as JSON);
/// a line without a member is null there. Blank lines are skipped.
pub fn read_json_lines(path: &Path) -> Result<Frame> {
    let text = super::guard::read_text(path)?;
    let mut columns: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    let mut index: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut height = 0;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("line {}", n + 1);
        // nesting and integers past 64 bits are checked before parsing
        if let Some(message) = super::guard::json_claims(line) {
            return Err(Error::input_at(path, at(), message));
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| Error::input_at(path, at(), format!("not JSON: {e}")))?;
        let serde_json::Value::Object(object) = value else {
            return Err(Error::input_at(
                path,
                at(),
                "expected one JSON object a line",
            ));
        };
        for (name, value) in object {
            let at = match index.get(&name) {
                Some(&at) => at,
                None => {
                    index.insert(name.clone(), columns.len());
                    columns.push((name, vec![serde_json::Value::Null; height]));
                    columns.len() - 1
                }
            };
            columns[at].1.push(value);
        }
        height += 1;
        for (_, cells) in &mut columns {
            cells.resize(height, serde_json::Value::Null);
        }
    }
    let columns = columns
        .into_iter()
        .map(|(name, cells)| (name, json_cells(cells)))
        .collect();
    Ok(Frame::new(height, columns))
}

/// One JSON column's cells, typed by what its values share.
fn json_cells(cells: Vec<serde_json::Value>) -> Cells {
    use serde_json::Value;
    let present = || cells.iter().filter(|v| !v.is_null());
    let len = cells.len();
    if present().next().is_none() {
        return Cells::Nulls(len);
    }
    if present().any(|v| v.is_array() || v.is_object()) {
        return Cells::Unread {
            kind: "nested JSON".into(),
            len,
        };
    }
    if present().all(|v| v.is_i64()) {
        return Cells::Int(cells.iter().map(Value::as_i64).collect());
    }
    if present().all(Value::is_number) {
        return Cells::Float64(cells.iter().map(Value::as_f64).collect());
    }
    if present().all(Value::is_boolean) {
        return Cells::Bool(cells.iter().map(Value::as_bool).collect());
    }
    Cells::Text(
        cells
            .into_iter()
            .map(|v| match v {
                Value::Null => None,
                Value::String(s) => Some(s),
                other => Some(other.to_string()),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    fn texts(frame: &Frame, name: &str) -> Vec<Option<String>> {
        match frame.column(name).cloned().expect("column").into_text() {
            Ok(c) => c.iter().map(|c| c.map(str::to_string)).collect(),
            Err(kind) => panic!("{name} is {kind}"),
        }
    }

    #[test]
    fn csv_cells_are_text_with_empty_and_missing_cells_null() {
        let (_d, path) = file("t.csv", "\u{feff}a,b,c\n1,\"x, y\",\n\n2,z\r\n3,\"\",q\n");
        let frame = read_delimited(&path, b',').expect("reads");
        assert_eq!(frame.height(), 3);
        assert_eq!(frame.names().collect::<Vec<_>>(), ["a", "b", "c"]);
        let s = |v: &str| Some(v.to_string());
        assert_eq!(texts(&frame, "a"), [s("1"), s("2"), s("3")]);
        assert_eq!(texts(&frame, "b"), [s("x, y"), s("z"), None]);
        assert_eq!(texts(&frame, "c"), [None, None, s("q")]);
    }

    #[test]
    fn a_csv_row_longer_than_its_header_is_an_error_naming_the_line() {
        let (_d, path) = file("t.csv", "a,b\n1,2\n1,2,3\n");
        let err = read_delimited(&path, b',')
            .expect_err("too long")
            .to_string();
        assert!(
            err.contains("t.csv:line 3: 3 cells, but the header names 2 columns"),
            "{err}"
        );
        let (_d, path) = file("t.csv", "a,a\n1,2\n");
        let err = read_delimited(&path, b',').expect_err("twice").to_string();
        assert!(err.contains("names column `a` twice"), "{err}");
    }

    #[test]
    fn json_lines_columns_are_typed_by_what_their_values_share() {
        let (_d, path) = file(
            "t.jsonl",
            concat!(
                r#"{"i": 1, "f": 1, "b": true, "t": "x", "n": null, "l": [1]}"#,
                "\n\n",
                r#"{"i": 2, "f": 0.5, "b": false, "t": 3, "l": null}"#,
                "\n",
            ),
        );
        let frame = read_json_lines(&path).expect("reads");
        assert_eq!(frame.height(), 2);
        assert!(matches!(frame.column("i"), Some(Cells::Int(v)) if v == &[Some(1), Some(2)]));
        assert!(
            matches!(frame.column("f"), Some(Cells::Float64(v)) if v == &[Some(1.0), Some(0.5)])
        );
        assert!(matches!(frame.column("b"), Some(Cells::Bool(_))));
        assert_eq!(texts(&frame, "t"), [Some("x".into()), Some("3".into())]);
        assert!(matches!(frame.column("n"), Some(Cells::Nulls(2))));
        assert_eq!(frame.column("l").map(Cells::kind), Some("nested JSON"));
    }

    #[test]
    fn a_float64_with_no_fraction_reads_as_text_with_one_decimal() {
        let cells = Cells::Float64(vec![Some(3.0), Some(0.25), None]).into_text();
        let text: Vec<_> = cells
            .expect("text")
            .iter()
            .map(|c| c.map(str::to_string))
            .collect();
        assert_eq!(text, [Some("3.0".into()), Some("0.25".into()), None]);
    }
}
