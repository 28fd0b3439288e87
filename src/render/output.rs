//! Where and how a report is written: the format and the table options
//! the user chose (`-o`, `--format`, `--digits`, caption, label, template).

use std::path::{Path, PathBuf};

/// The output formats of every table-producing command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Latex,
    Json,
    Csv,
}

impl Format {
    /// The format a file name asks for.
    pub fn from_extension(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "tex" | "latex" => Some(Format::Latex),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Where and how to write the output.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub path: Option<PathBuf>,
    pub digits: Option<usize>,
    pub template: Option<PathBuf>,
    pub caption: Option<String>,
    pub label: Option<String>,
    pub fragment: bool,
    /// LaTeX: siunitx `S` columns aligned on the decimal point (the ablation table).
    pub siunitx: bool,
    /// The rank table: a column with each task's mean score (`--per-task`);
    /// the CSV records always carry them.
    pub per_task: bool,
    /// LaTeX: `table*` across both columns (the main table).
    pub wide: bool,
    /// LaTeX: the tabular scaled to the line width (the main table).
    pub fit: bool,
}
