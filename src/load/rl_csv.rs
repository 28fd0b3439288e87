//! RL benchmark CSVs with one column per seed (the Tianshou layout):
//! `<root>/<algo>/test_rew_10seeds.csv` with columns `env_step`, `rew`,
//! `rew:shaded` and one `rew:seed_<id>_<run name>` column per seed.
//!
//! The folder holding the CSV is the condition (its path below the root,
//! `/`-joined, or the root's own name when the CSV sits in the root). The
//! metric is the file stem without the `_<N>seeds` suffix (`test_rew`).
//! `env_step` is the step. The `rew` (mean) and `rew:shaded` (std) columns
//! are derived from the seed columns and ignored: we recompute from seeds.

use std::path::{Path, PathBuf};

use super::history::open_csv;
use super::paths::{folder_name, parts_below};
use super::point::parse_step;
use super::study::Study;
use super::tidy::{Row, TidyBuilder};
use crate::error::{Error, Result};

/// The step column of the Tianshou layout.
const STEP_COLUMN: &str = "env_step";

/// A file name of the layout: `<stem>_<N>seeds.csv`, e.g. `test_rew_10seeds.csv`.
pub fn is_rl_csv(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("seeds.csv"))
        .and_then(|rest| rest.rsplit_once('_'))
        .is_some_and(|(stem, count)| {
            !stem.is_empty() && !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit())
        })
}

/// The metric of an RL CSV: its stem without `_<N>seeds`.
fn metric_of(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("seeds.csv"))
        .and_then(|rest| rest.rsplit_once('_'))
        .map(|(stem, _)| stem.to_string())
        .unwrap_or_else(|| "value".into())
}

/// Load the RL CSVs `files` found under `root` into one study.
pub fn load(root: &Path, files: &[PathBuf]) -> Result<Study> {
    let mut builder = TidyBuilder::default();
    let mut conditions = Vec::new();
    for file in files {
        let condition = condition_of(root, file);
        read_file(file, &condition, &mut builder)?;
        conditions.push(condition);
    }
    Ok(Study::of_table(
        builder.finish(),
        conditions,
        vec![root.to_path_buf()],
    ))
}

/// The CSV's folder below the root, `/`-joined; the root's own name when the
/// CSV is in the root (`xreport compare Hopper-v3/sac Hopper-v3/td3`).
pub(crate) fn condition_of(root: &Path, file: &Path) -> String {
    let folder = file.parent().unwrap_or(root);
    let rel = parts_below(root, folder);
    if rel.is_empty() {
        folder_name(folder)
    } else {
        rel.join("/")
    }
}

/// The seed id of a seed column: `rew:seed_3_0114_011756-Hopper_v3_sac/...` → `3`.
fn seed_of(column: &str) -> Option<&str> {
    let (_, rest) = column.split_once(":seed_")?;
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn read_file(path: &Path, condition: &str, builder: &mut TidyBuilder) -> Result<()> {
    let (mut reader, header) = open_csv(path)?;
    let step_index = header
        .iter()
        .position(|h| h == STEP_COLUMN)
        .ok_or_else(|| {
            Error::input_at(
                path,
                "line 1",
                format!("no `{STEP_COLUMN}` column: expected the Tianshou layout `env_step, rew, rew:shaded, rew:seed_<id>_...`"),
            )
        })?;
    let mut seeds: Vec<(usize, String)> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if let Some(seed) = seed_of(name) {
            if let Some((_, _)) = seeds.iter().find(|(_, s)| s == seed) {
                return Err(Error::input_at(
                    path,
                    "line 1",
                    format!("seed {seed} has two columns; each seed needs exactly one"),
                ));
            }
            seeds.push((i, seed.to_string()));
        }
    }
    if seeds.is_empty() {
        return Err(Error::input_at(
            path,
            "line 1",
            "no seed columns: expected columns named `<metric>:seed_<id>...`",
        ));
    }
    let metric = metric_of(path);
    for (row, record) in reader.records().enumerate() {
        let line = format!("line {}", row + 2);
        let record = record.map_err(|e| Error::input_at(path, &line, format!("{e}")))?;
        let step_text = record.get(step_index).unwrap_or("").trim();
        let step = parse_step(step_text).ok_or_else(|| {
            Error::input_at(
                path,
                &line,
                format!("`{STEP_COLUMN}` is not a whole number of steps: {step_text:?}"),
            )
        })?;
        for (index, seed) in &seeds {
            let text = record.get(*index).unwrap_or("").trim();
            let value = if text.is_empty() {
                None
            } else {
                Some(text.parse::<f64>().map_err(|_| {
                    Error::input_at(
                        path,
                        &line,
                        format!("seed {seed}: expected a number, found {text:?}"),
                    )
                })?)
            };
            builder.push(Row {
                condition,
                seed,
                metric: &metric,
                value,
                task: None,
                example: None,
                step: Some(step),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_of_the_layout_are_recognised() {
        assert!(is_rl_csv(Path::new("a/test_rew_10seeds.csv")));
        assert!(!is_rl_csv(Path::new("a/_10seeds.csv")));
        assert!(!is_rl_csv(Path::new("a/results.csv")));
        assert_eq!(metric_of(Path::new("test_rew_10seeds.csv")), "test_rew");
    }

    #[test]
    fn seed_ids_come_from_the_column_names() {
        assert_eq!(
            seed_of("rew:seed_12_0114_011756-Hopper_v3_sac/test_rew.csv"),
            Some("12")
        );
        assert_eq!(seed_of("rew:shaded"), None);
        assert_eq!(seed_of("rew"), None);
    }
}
