//! One `.npy` learning curve per seed in a condition folder, the layout of
//! the TD3 authors' `learning_curves/<Env>/TD3_<Env>-v1_<seed>.npy` and of
//! many RL codebases that `np.save` their list of evaluations.
//!
//! The seed comes from the file name (`seed_3.npy`, `seed3.npy`, or a trailing
//! `_3` as in `TD3_Hopper-v1_3.npy`); the metric is the stem without the seed
//! part (`TD3_Hopper-v1`), or `value` when nothing is left. The file holds
//! no steps, so the step is the evaluation's index in the file (0, 1, 2, ...).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::tidy::{Row, TidyBuilder};
use super::{Study, natural_cmp};
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
        let curve = read(file)?;
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
    conditions.sort_by(|a, b| natural_cmp(a, b));
    conditions.dedup();
    Ok(Study {
        results: builder.finish(),
        runs: Vec::new(),
        repeats: Vec::new(),
        skipped: Vec::new(),
        per_input: vec![conditions.clone()],
        conditions,
        labels: Default::default(),
        roots: vec![root.to_path_buf()],
    })
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

/// The values of a 1-D `.npy` array (or a single row or column) of float32
/// or float64 in either byte order. NaN stays NaN: a missing value.
pub fn read(path: &Path) -> Result<Vec<f64>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, &e))?;
    let at =
        |offset: usize, message: String| Error::input_at(path, format!("byte {offset}"), message);
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(at(
            0,
            "not an .npy file (missing the \\x93NUMPY magic)".into(),
        ));
    }
    let (header_len, header_start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => {
            return Err(at(
                6,
                format!(".npy format version {v} is not supported (expected 1, 2 or 3)"),
            ));
        }
    };
    let data_start = header_start + header_len;
    let header = bytes
        .get(header_start..data_start)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| at(header_start, "truncated or unreadable .npy header".into()))?;
    let descr = quoted_after(header, "'descr'")
        .ok_or_else(|| at(header_start, "the header has no 'descr' string".into()))?;
    let (width, big_endian) = match descr {
        "<f8" => (8, false),
        ">f8" => (8, true),
        "<f4" => (4, false),
        ">f4" => (4, true),
        "=f8" => (8, cfg!(target_endian = "big")),
        "=f4" => (4, cfg!(target_endian = "big")),
        other => {
            return Err(at(
                header_start,
                format!("dtype '{other}' is not supported: expected float32 or float64"),
            ));
        }
    };
    let shape = shape_of(header)
        .ok_or_else(|| at(header_start, "the header has no readable 'shape'".into()))?;
    let count = match shape.as_slice() {
        [n] => *n,
        [1, n] | [n, 1] => *n,
        other => {
            return Err(at(
                header_start,
                format!("shape {other:?}: expected one curve (a 1-D array)"),
            ));
        }
    };
    let data = &bytes[data_start.min(bytes.len())..];
    let expected = count.saturating_mul(width);
    if data.len() != expected {
        return Err(at(
            data_start + data.len().min(expected),
            format!(
                "the header says {count} values ({expected} bytes) but {} bytes of data follow",
                data.len()
            ),
        ));
    }
    Ok(data
        .chunks_exact(width)
        .map(|c| match (width, big_endian) {
            (8, false) => f64::from_le_bytes(c.try_into().unwrap_or([0; 8])),
            (8, true) => f64::from_be_bytes(c.try_into().unwrap_or([0; 8])),
            (_, false) => f64::from(f32::from_le_bytes(c.try_into().unwrap_or([0; 4]))),
            (_, true) => f64::from(f32::from_be_bytes(c.try_into().unwrap_or([0; 4]))),
        })
        .collect())
}

/// The quoted string after `key:` in a header dict: `'descr': '<f8'` → `<f8`.
fn quoted_after<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let rest = &header[header.find(key)? + key.len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

/// The `'shape': (n,)` tuple of a header dict.
fn shape_of(header: &str) -> Option<Vec<usize>> {
    let rest = &header[header.find("'shape'")? + "'shape'".len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('(')?;
    let inner = &rest[..rest.find(')')?];
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches('L').parse::<usize>().ok())
        .collect()
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

    #[test]
    fn header_fields_are_found() {
        let h = "{'descr': '<f8', 'fortran_order': False, 'shape': (201,), }";
        assert_eq!(quoted_after(h, "'descr'"), Some("<f8"));
        assert_eq!(shape_of(h), Some(vec![201]));
        assert_eq!(shape_of("{'shape': (1, 5), }"), Some(vec![1, 5]));
    }
}
