//! Output: one report struct rendered as text, Markdown, LaTeX, JSON or CSV.
//! Renderers only read report structs and [`Table`]s built from them.

pub mod ablation;
pub mod aggregate;
pub mod check;
pub mod compare;
pub mod csv;
pub mod curves;
pub mod examples;
pub mod format;
pub mod main_table;
pub mod notes;
pub mod output;
pub mod pca;
pub mod power;
pub mod runs;
pub mod summary;
pub mod table;
pub mod template;
pub mod tera_guard;
pub mod text;

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
pub use output::{Format, Output};
pub use table::Table;

/// What a command hands to [`emit`]: its report (the JSON) and how to show it.
pub trait Report: Serialize {
    /// The table for text, Markdown and LaTeX.
    fn table(&self, style: format::Style, output: &Output) -> Table;
    /// The flat records for CSV: one object per row.
    fn records(&self) -> Vec<serde_json::Value>;
    /// Template name stem (`summary`, `compare`, ...).
    fn kind(&self) -> &'static str;
}

/// Render `report` in the requested format and write it.
pub fn emit(report: &impl Report, output: &Output) -> Result<()> {
    if output.format == Format::Json && output.path.is_none() {
        return stream_json(report);
    }
    let bytes = render(report, output)?;
    write_output(&bytes, output.path.as_deref())
}

/// [`json`] written to standard output as it is serialised: a sweep's
/// report is tens of MB, which a growing buffer copied and page-faulted
/// twice over (7% of W1). The same bytes.
fn stream_json(report: &impl Serialize) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, report)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    stdout_written(written)
}

/// The result of writing to standard output: a closed pipe (`| head`) is
/// the reader's choice, not an error.
fn stdout_written(written: std::io::Result<()>) -> Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| Error::usage(format!("cannot write to standard output: {e}"))),
    }
}

/// Render to bytes.
pub fn render(report: &impl Report, output: &Output) -> Result<Vec<u8>> {
    let text = match output.format {
        Format::Json => json(report)?,
        Format::Csv => csv::records(&report.records())?,
        Format::Text => {
            let colour = output.path.is_none() && text::colour_enabled();
            text::render(&report.table(format::Style::Text, output), colour)
        }
        Format::Markdown => template::render(
            &report.table(format::Style::Markdown, output),
            report,
            template::Kind::Markdown,
            output,
        )?,
        Format::Latex => template::render(
            &report.table(format::Style::Latex, output),
            report,
            template::Kind::Latex,
            output,
        )?,
    };
    Ok(text.into_bytes())
}

/// Pretty JSON with a trailing newline. Non-finite numbers become `null`.
pub fn json(report: &impl Serialize) -> Result<String> {
    let mut text = serde_json::to_string_pretty(report)
        .map_err(|e| Error::usage(format!("cannot serialise the report: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// Write to the file atomically (temporary file in the same folder, then
/// rename), or to standard output. A target that exists and is not a regular
/// file (`/dev/stdout`, a FIFO, a terminal) is written through; a symlink is
/// followed, so the file it points to is replaced and the link stays.
pub fn write_output(bytes: &[u8], path: Option<&Path>) -> Result<()> {
    let Some(path) = path else {
        let mut stdout = std::io::stdout().lock();
        return stdout_written(stdout.write_all(bytes).and_then(|()| stdout.flush()));
    };
    let write_error =
        |e: std::io::Error| Error::input(path, format!("cannot write the output: {e}"));
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(Error::input(
                path,
                "cannot write the output: it is a folder; name a file",
            ));
        }
        Ok(meta) if !meta.is_file() => {
            let mut target = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(write_error)?;
            return match target.write_all(bytes).and_then(|()| target.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(write_error),
            };
        }
        _ => {}
    }
    let target = link_target(path);
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(write_error)?;
    // A short name, whatever the target's length: a 255-byte file name must
    // still leave room for the temporary one.
    static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = dir.join(format!(".xr{}-{n}.tmp", std::process::id()));
    let result = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, &target));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(write_error)
}

/// Where a chain of symlinks at `path` ends (the path itself when it is no
/// link); relative links are resolved against the folder holding them.
fn link_target(path: &Path) -> std::path::PathBuf {
    let mut current = path.to_path_buf();
    // 40 hops, as Linux's own limit for symlink chains.
    for _ in 0..40 {
        let is_link = std::fs::symlink_metadata(&current).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            break;
        }
        let Ok(next) = std::fs::read_link(&current) else {
            break;
        };
        current = match current.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    current
}

// `xreport rank` (DESIGN section 11).
pub mod rank;

// `xreport report` (DESIGN section 15).
pub mod html;
pub mod report;
