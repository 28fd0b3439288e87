//! A table already formatted for one target (text, Markdown or LaTeX): the
//! templates and the terminal view only lay it out.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub text: String,
    pub align: Align,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    /// Caption (LaTeX `\caption`, a bold line above Markdown).
    pub caption: Option<String>,
    /// LaTeX `\label`.
    pub label: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Row indices after which a rule is drawn (e.g. after the full model).
    pub rules_after: Vec<usize>,
    /// Lines printed under the table: settings, skipped runs, missing values.
    pub notes: Vec<String>,
    /// LaTeX column spec (`lrr`), derived from the alignments.
    pub spec: String,
    /// LaTeX: the bare tabular only.
    pub fragment: bool,
    /// LaTeX: a header row above the column names (`\multicolumn` task
    /// headers), already formatted, and the `\cmidrule(lr)` ranges under it.
    pub header: Vec<String>,
    pub cmidrules: Vec<String>,
    /// LaTeX: `table*` instead of `table`.
    pub wide: bool,
    /// LaTeX: the tabular inside `\resizebox{\linewidth}{!}{...}`.
    pub fit: bool,
    /// LaTeX lines before the tabular (`\robustify\bfseries` for siunitx).
    pub setup: Vec<String>,
}

impl Table {
    pub fn new(columns: Vec<Column>) -> Table {
        let spec = columns
            .iter()
            .map(|c| match c.align {
                Align::Left => 'l',
                Align::Right => 'r',
            })
            .collect();
        Table {
            columns,
            spec,
            ..Table::default()
        }
    }
}

pub fn left(text: impl Into<String>) -> Column {
    Column {
        text: text.into(),
        align: Align::Left,
    }
}

pub fn right(text: impl Into<String>) -> Column {
    Column {
        text: text.into(),
        align: Align::Right,
    }
}

/// What the verdict or status word that starts a cell means, for colour on
/// a terminal and in the HTML report; the word itself always says it, so
/// nothing rests on the colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Caution,
    Muted,
}

impl Tone {
    pub fn of(cell: &str) -> Option<Tone> {
        match cell.split_whitespace().next()? {
            "improvement" | "pass" | "healthy" => Some(Tone::Good),
            "regression" | "fail" | "collapse" => Some(Tone::Bad),
            "within-noise" | "warn" | "underpowered" | "dimensional" => Some(Tone::Caution),
            "no-evidence" | "undefined" | "manual" | "skip" => Some(Tone::Muted),
            _ => None,
        }
    }

    /// The CSS class name of the tone.
    pub fn name(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Caution => "caution",
            Tone::Muted => "muted",
        }
    }
}
