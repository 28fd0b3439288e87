//! One `.npy` learning curve per seed in a condition folder, the layout of
//! the TD3 authors' `learning_curves/<Env>/TD3_<Env>-v1_<seed>.npy` and of
//! many RL codebases that `np.save` their list of evaluations.
//!
//! The seed comes from the file name (`seed_3.npy`, `seed3.npy`, or a trailing
//! `_3` as in `TD3_Hopper-v1_3.npy`); the metric is the stem without the seed
//! part (`TD3_Hopper-v1`), or `value` when nothing is left. The file holds
//! no steps, so the step is the evaluation's index in the file (0, 1, 2, ...).

use std::path::{Path, PathBuf};

use super::npy;
use super::study::Study;
use super::tidy::{Row, TidyBuilder};
use crate::error::{Error, Result};

/// The metric and seed a curve file's name gives, or `None` when it is not one.
pub fn name_parts(path: &Path) -> Option<(String, String)> {
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"))
    {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    let digits_start = stem
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let (head, seed) = stem.split_at(digits_start);
    let metric = if let Some(rest) = head
        .strip_suffix("seed_")
        .or_else(|| head.strip_suffix("seed="))
        .or_else(|| head.strip_suffix("seed"))
    {
        rest.trim_end_matches(['_', '-'])
    } else {
        head.strip_suffix('_')?
    };
    let metric = if metric.is_empty() { "value" } else { metric };
    Some((metric.to_string(), seed.to_string()))
}

/// Load curve files found under `root` into one study.
pub fn load(root: &Path, files: &[PathBuf]) -> Result<Study> {
    let mut builder = TidyBuilder::default();
    let mut conditions = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for file in files {
        let Some((metric, seed)) = name_parts(file) else {
            continue;
        };
        let condition = super::rl_csv::condition_of(root, file);
        if let Some(first) = seen.insert((condition.clone(), metric.clone(), seed.clone()), file) {
            return Err(Error::input(
                file,
                format!(
                    "seed {seed} of `{metric}` in condition `{condition}` is also in {}",
                    first.display()
                ),
            ));
        }
        let curve = npy::read_curve(file)?;
        for (i, value) in curve.iter().enumerate() {
            builder.push(Row {
                condition: &condition,
                seed: &seed,
                metric: &metric,
                value: Some(*value),
                task: None,
                example: None,
                step: Some(i as i64),
            });
        }
        conditions.push(condition);
    }
    Ok(Study::of_table(
        builder.finish(),
        conditions,
        vec![root.to_path_buf()],
    ))
}

/// A single curve file given as an argument: its folder is the condition.
pub fn load_file(path: &Path) -> Result<Study> {
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    load(&root, std::slice::from_ref(&path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_and_metrics_come_from_file_names() {
        let parts = |n: &str| name_parts(Path::new(n));
        assert_eq!(
            parts("TD3_Hopper-v1_3.npy"),
            Some(("TD3_Hopper-v1".into(), "3".into()))
        );
        assert_eq!(parts("seed_3.npy"), Some(("value".into(), "3".into())));
        assert_eq!(
            parts("reward_seed12.npy"),
            Some(("reward".into(), "12".into()))
        );
        assert_eq!(parts("emb.npy"), None);
        assert_eq!(parts("curve3.npy"), None);
        assert_eq!(parts("a_3.csv"), None);
    }
}
