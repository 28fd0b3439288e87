//! Markdown and LaTeX through tera templates: embedded defaults in
//! `templates/`, or the user's own with `--template FILE`.
//!
//! Context: `table` (the formatted [`Table`]: caption, label, columns[].text/
//! align, rows, rules_after, notes, spec, fragment) and `report` (the same
//! struct as the JSON output).
//!
//! In LaTeX the first note explains the table's marks (†, the test, α, the
//! correction) and joins the caption; the other notes (skipped runs, repeats,
//! missing values) become `%` comments for the author, not text in the paper.

use serde::Serialize;
use tera::Context;

use super::Output;
use super::table::Table;
use crate::error::{Error, Result};

const MARKDOWN: &str = include_str!("../../templates/table.md.tera");
const LATEX: &str = include_str!("../../templates/table.tex.tera");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Markdown,
    Latex,
}

pub fn render(
    table: &Table,
    report: &impl Serialize,
    kind: Kind,
    output: &Output,
) -> Result<String> {
    let (name, source) = match &output.template {
        Some(path) => (
            path.display().to_string(),
            crate::load::guard::read_text(path)?,
        ),
        None => match kind {
            Kind::Markdown => ("table.md".to_string(), MARKDOWN.to_string()),
            Kind::Latex => ("table.tex".to_string(), LATEX.to_string()),
        },
    };
    let template_error = |e: tera::Error| {
        let message = super::tera_guard::message(&e);
        match &output.template {
            Some(path) => Error::input(path, format!("template error: {message}")),
            None => Error::usage(format!("built-in template {name}: {message}")),
        }
    };
    let tera = super::tera_guard::load(&name, &source, false).map_err(template_error)?;
    let mut context = Context::new();
    context.insert("table", table);
    context.insert("report", report);
    super::tera_guard::render(tera, &name, context).map_err(template_error)
}
