//! A column of text cells stored once per distinct value: each cell is a
//! code into the column's values. Loaded tables repeat their condition,
//! seed, metric and example names on every row, so a cell costs 4 bytes
//! however long its text, and equal cells are equal codes.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// The code of a null cell.
const NULL: u32 = u32::MAX;

/// Distinct values one after another in one string, so a new value costs
/// no allocation of its own (a per-example file has 10⁵ distinct ids).
#[derive(Debug, Clone, Default)]
struct Values {
    text: String,
    /// Where each value ends in `text`.
    ends: Vec<usize>,
}

impl Values {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, code: u32) -> Option<&str> {
        let c = code as usize;
        let end = *self.ends.get(c)?;
        let start = if c == 0 { 0 } else { self.ends[c - 1] };
        Some(&self.text[start..end])
    }

    /// The value of a code of this column.
    fn at(&self, code: u32) -> &str {
        self.get(code).expect("a code of this column")
    }

    fn push(&mut self, text: &str) -> u32 {
        // more distinct values than u32 codes cannot be held in memory anyway
        let code = self.ends.len() as u32;
        self.text.push_str(text);
        self.ends.push(self.text.len());
        code
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len() as u32).map(|c| self.at(c))
    }
}

/// Text cells in row order, nulls included.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    /// The distinct values, in order of first appearance.
    values: Values,
    codes: Codes,
}

/// Every row's code, or one code for every row (a constant or absent column
/// is not materialized).
#[derive(Debug, Clone)]
enum Codes {
    Each(Vec<u32>),
    All { code: u32, len: usize },
}

impl Default for Codes {
    fn default() -> Self {
        Codes::All { code: NULL, len: 0 }
    }
}

impl TextColumn {
    /// `len` null cells.
    pub fn nulls(len: usize) -> TextColumn {
        TextColumn {
            values: Values::default(),
            codes: Codes::All { code: NULL, len },
        }
    }

    /// `len` cells of `text`.
    pub fn constant(text: &str, len: usize) -> TextColumn {
        let mut values = Values::default();
        values.push(text);
        TextColumn {
            values,
            codes: Codes::All { code: 0, len },
        }
    }

    pub fn len(&self) -> usize {
        match &self.codes {
            Codes::Each(codes) => codes.len(),
            Codes::All { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `row`'s cell (`None` when null or past the end).
    pub fn get(&self, row: usize) -> Option<&str> {
        self.values.get(self.code(row)?)
    }

    /// Row `row`'s code (`None` when null or past the end): equal text,
    /// equal code, within one column.
    pub fn code(&self, row: usize) -> Option<u32> {
        let code = match &self.codes {
            Codes::Each(codes) => *codes.get(row)?,
            Codes::All { code, len } if row < *len => *code,
            Codes::All { .. } => NULL,
        };
        (code != NULL).then_some(code)
    }

    /// The text of `code` (a code of this column).
    pub fn text(&self, code: u32) -> &str {
        self.values.at(code)
    }

    /// How many distinct values (codes `0..distinct_len()`).
    pub fn distinct_len(&self) -> usize {
        self.values.len()
    }

    /// The cells in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(|row| self.get(row))
    }

    /// The distinct values (every one appears in some row).
    pub fn distinct(&self) -> impl Iterator<Item = &str> {
        self.values.iter()
    }

    /// The same cells with each distinct value replaced by `f` of it: values
    /// `f` makes equal become one.
    pub fn map_values(self, f: impl Fn(&str) -> String) -> TextColumn {
        let mut builder = TextBuilder::default();
        let remap: Vec<u32> = self.values.iter().map(|v| builder.intern(&f(v))).collect();
        let codes = match self.codes {
            Codes::Each(codes) => Codes::Each(
                codes
                    .into_iter()
                    .map(|c| remap.get(c as usize).copied().unwrap_or(NULL))
                    .collect(),
            ),
            Codes::All { code, len } => Codes::All {
                code: remap.get(code as usize).copied().unwrap_or(NULL),
                len,
            },
        };
        TextColumn {
            values: builder.values,
            codes,
        }
    }

    /// The cells `times` times over (a wide table's key columns, once per metric).
    pub fn repeat(&self, times: usize) -> TextColumn {
        let codes = match &self.codes {
            Codes::Each(codes) => Codes::Each(codes.repeat(times)),
            Codes::All { code, len } => Codes::All {
                code: *code,
                len: len * times,
            },
        };
        TextColumn {
            values: self.values.clone(),
            codes,
        }
    }
}

/// Builds a [`TextColumn`] cell by cell, each distinct value stored once.
#[derive(Debug, Default)]
pub struct TextBuilder {
    values: Values,
    /// The codes of `values`, by the hash of their text.
    lookup: HashTable<u32>,
    codes: Vec<u32>,
    /// The last cell's code: sorted key columns repeat it row after row.
    last: Option<u32>,
    /// Per code, the code that followed it last time: a per-example column
    /// lists the same examples in the same order for every seed, so the
    /// next cell is usually predicted without hashing it.
    next: Vec<u32>,
}

impl TextBuilder {
    pub fn with_capacity(rows: usize) -> TextBuilder {
        TextBuilder {
            codes: Vec::with_capacity(rows),
            ..TextBuilder::default()
        }
    }

    pub fn push(&mut self, cell: Option<&str>) {
        let code = match cell {
            None => NULL,
            Some(text) => {
                let code = match self.last {
                    Some(last) if self.values.at(last) == text => last,
                    Some(last) => {
                        let predicted = self.next[last as usize];
                        if predicted != NULL && self.values.at(predicted) == text {
                            predicted
                        } else {
                            let code = self.intern(text);
                            self.next[last as usize] = code;
                            code
                        }
                    }
                    None => self.intern(text),
                };
                self.last = Some(code);
                code
            }
        };
        self.codes.push(code);
    }

    fn intern(&mut self, text: &str) -> u32 {
        let hash = FxBuildHasher.hash_one(text);
        let values = &self.values;
        if let Some(&code) = self.lookup.find(hash, |&c| values.at(c) == text) {
            return code;
        }
        let code = self.values.push(text);
        self.next.push(NULL);
        let values = &self.values;
        self.lookup
            .insert_unique(hash, code, |&c| FxBuildHasher.hash_one(values.at(c)));
        code
    }

    /// The cells pushed so far.
    pub fn rows(&self) -> usize {
        self.codes.len()
    }

    pub fn finish(self) -> TextColumn {
        TextColumn {
            values: self.values,
            codes: Codes::Each(self.codes),
        }
    }
}

impl FromIterator<Option<String>> for TextColumn {
    fn from_iter<I: IntoIterator<Item = Option<String>>>(cells: I) -> TextColumn {
        let mut builder = TextBuilder::default();
        for cell in cells {
            builder.push(cell.as_deref());
        }
        builder.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_come_back_in_order_with_each_value_stored_once() {
        let mut b = TextBuilder::default();
        for cell in [Some("a"), Some("a"), None, Some("b"), Some("a")] {
            b.push(cell);
        }
        let column = b.finish();
        let cells: Vec<_> = column.iter().collect();
        assert_eq!(cells, [Some("a"), Some("a"), None, Some("b"), Some("a")]);
        assert_eq!(column.distinct().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(column.get(5), None);
    }

    #[test]
    fn predicted_and_mispredicted_cells_get_the_codes_of_their_text() {
        // the order of the first pass, again, then shuffled against the prediction
        let cells = [
            "e0", "e1", "e2", "e0", "e1", "e2", "e2", "e1", "e0", "e3", "e1",
        ];
        let mut b = TextBuilder::default();
        cells.iter().for_each(|c| b.push(Some(c)));
        let column = b.finish();
        let back: Vec<_> = column.iter().map(Option::unwrap_or_default).collect();
        assert_eq!(back, cells);
        let codes: Vec<_> = (0..cells.len()).map(|r| column.code(r).unwrap()).collect();
        assert_eq!(codes, [0, 1, 2, 0, 1, 2, 2, 1, 0, 3, 1]);
    }

    #[test]
    fn mapped_values_that_become_equal_merge() {
        let column: TextColumn = ["3.0", "3", "4"]
            .into_iter()
            .map(|s| Some(s.to_string()))
            .collect();
        let mapped = column.map_values(|s| s.trim_end_matches(".0").to_string());
        assert_eq!(
            mapped.iter().collect::<Vec<_>>(),
            [Some("3"), Some("3"), Some("4")]
        );
        assert_eq!(mapped.distinct().count(), 2);
    }

    #[test]
    fn constant_repeated_and_null_columns() {
        let c = TextColumn::constant("acc", 2).repeat(3);
        assert_eq!(c.len(), 6);
        assert_eq!(c.get(5), Some("acc"));
        assert_eq!(c.get(6), None);
        assert_eq!(TextColumn::nulls(3).iter().collect::<Vec<_>>(), [None; 3]);
    }
}
