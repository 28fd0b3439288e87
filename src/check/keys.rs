//! The checklist's key vocabulary: which config, results and compute keys
//! are seeds, paths and run names (incidental), training budgets, evaluation
//! settings, data-split checksums and split names, and GPU-hours.

use globset::Glob;
use serde_json::Value;

use crate::load::Run;
use crate::load::keys::is_seed as is_seed_key;

/// Whether some part of a dotted key names one of `splits` as a word
/// (`data.test_sha256`, `test.wer`, `eval/test_acc`).
pub fn names_split(key: &str, splits: &[&str]) -> bool {
    key.split(['.', '/'])
        .flat_map(|part| part.split(['_', '-']))
        .any(|word| splits.contains(&word.to_ascii_lowercase().as_str()))
}

const SPLIT_NAMES: &[&str] = &["train", "val", "valid", "validation", "dev", "test"];

/// A data-split checksum key (DESIGN section 6, `splits.fixed`).
pub fn is_split_checksum(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    let checksum = CHECKSUM_WORDS.iter().any(|s| last.ends_with(s));
    checksum && names_split(key, SPLIT_NAMES)
}

/// A checksum of evaluation data (DESIGN section 6, `eval.same`): a split
/// checksum of an evaluation split (`data.test_sha256`, `splits.dev.md5`),
/// or a checksum key under an evaluation part (`eval.data_sha256`).
pub fn is_eval_data_checksum(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    let checksum = CHECKSUM_WORDS.iter().any(|s| last.ends_with(s));
    checksum && (names_split(key, EVAL_SPLITS) || is_eval_key(key))
}

/// The last-part endings of a checksum key.
const CHECKSUM_WORDS: &[&str] = &["sha256", "md5", "checksum", "hash"];

/// The splits a model is evaluated on.
const EVAL_SPLITS: &[&str] = &["val", "valid", "validation", "dev", "test"];

/// A config setting that names a split's data (`data.test_subset`,
/// `dataset.test_split`, `data.valid_manifest`): a change is a changed split.
pub fn is_split_identity(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    let names_data = last
        .split(['_', '-'])
        .any(|w| matches!(w, "subset" | "split" | "manifest" | "set" | "dataset"));
    names_data && names_split(key, SPLIT_NAMES) && !is_incidental(key) && !is_split_checksum(key)
}

/// Keys that never count as a change: seeds, paths, run names, output
/// folders, timestamps, hosts, and logger/launcher sections.
pub fn is_incidental(key: &str) -> bool {
    if is_seed_key(key) {
        return true;
    }
    let lower = key.to_ascii_lowercase();
    // Logger internals (`_wandb.value.t`) start with `_`, as in results files.
    if lower.split('.').any(|part| part.starts_with('_')) {
        return true;
    }
    let first = lower.split('.').next().unwrap_or(&lower);
    if matches!(
        first,
        "paths" | "path" | "hydra" | "wandb" | "logger" | "logging"
    ) {
        return true;
    }
    let last = lower.rsplit('.').next().unwrap_or(&lower);
    const NAMES: &[&str] = &[
        "run_name",
        "run_id",
        "run",
        "experiment_name",
        "exp_name",
        "job_name",
        "name_suffix",
        "id",
        "wandb_id",
        "output_dir",
        "out_dir",
        "save_dir",
        "log_dir",
        "logdir",
        "checkpoint_dir",
        "ckpt_dir",
        "work_dir",
        "data_dir",
        "root",
        "timestamp",
        "date",
        "datetime",
        "time",
        "created",
        "created_at",
        "start_time",
        "started_at",
        "host",
        "hostname",
        "node",
        "git_commit",
        "commit",
    ];
    NAMES.contains(&last)
        || last.ends_with("_dir")
        || last.ends_with("_path")
        || last.ends_with("_file")
        || last.ends_with("_timestamp")
}

/// Keys owned by other rules: budgets (`budget.same`), split checksums and
/// split names (`splits.fixed`), evaluation settings (`eval.same`).
pub fn is_owned_elsewhere(key: &str) -> bool {
    is_budget_key(key) || is_split_checksum(key) || is_split_identity(key) || is_eval_key(key)
}

/// Evaluation settings: a key with a part that starts with `test` or `eval`.
pub fn is_eval_key(key: &str) -> bool {
    key.split('.').any(|part| {
        let p = part.to_ascii_lowercase();
        p.starts_with("test") || p.starts_with("eval")
    })
}

/// Whether a key matches a component or ignore pattern (a glob, or the key itself).
pub fn key_matches(pattern: &str, key: &str) -> bool {
    pattern == key
        || Glob::new(pattern)
            .map(|g| g.compile_matcher().is_match(key))
            .unwrap_or(false)
}

/// Lower case, `-`/` ` as `_`, for matching component names against row names.
pub fn normalise(text: &str) -> String {
    text.to_ascii_lowercase().replace(['-', ' '], "_")
}

/// The last name part of a training-length setting.
const BUDGET_KEYS: &[&str] = &[
    "max_steps",
    "num_steps",
    "total_steps",
    "train_steps",
    "training_steps",
    "max_epochs",
    "epochs",
    "num_epochs",
    "num_train_epochs",
    "max_updates",
    "max_update",
    "total_updates",
    "max_iters",
    "max_iterations",
    "num_iterations",
    "total_timesteps",
];

pub fn is_budget_key(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    BUDGET_KEYS.contains(&last.as_str())
}

/// The last part of a dotted or `/`-joined key, lower case.
pub fn last_part(key: &str) -> String {
    key.rsplit(['.', '/'])
        .next()
        .unwrap_or(key)
        .to_ascii_lowercase()
}

/// A run's GPU-hours: `gpu_hours` in its compute file (or results or env
/// file), else a runtime in seconds (`train_runtime`, W&B's `_runtime`) times
/// the GPU count.
pub fn gpu_hours(run: &Run) -> Option<f64> {
    let number = |v: &Value| v.as_f64().filter(|x| x.is_finite() && *x >= 0.0);
    let find = |keys: &[&str]| {
        run.compute
            .iter()
            .chain(run.metadata.iter())
            .chain(run.env.iter())
            .find(|(k, _)| keys.contains(&last_part(k).as_str()))
            .and_then(|(_, v)| number(v))
    };
    if let Some(h) = find(&["gpu_hours", "gpu_hours_total"]) {
        return Some(h);
    }
    let seconds = find(&["train_runtime", "runtime", "_runtime"])
        .or_else(|| run.metrics.get("train_runtime").copied().flatten())?;
    let gpus = find(&["gpu_count", "n_gpus", "num_gpus"]).unwrap_or(1.0);
    Some(seconds * gpus / 3600.0)
}

/// A run's GPU type, from its compute or environment file.
pub fn gpu_name(run: &Run) -> Option<String> {
    run.compute
        .iter()
        .chain(run.env.iter())
        .find(|(k, _)| matches!(last_part(k).as_str(), "gpu" | "gpu_name" | "gpu_type"))
        .and_then(|(_, v)| v.as_str().map(str::to_string))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_checksums_name_a_split_and_end_in_a_hash_word() {
        for key in [
            "data.test_sha256",
            "data.train_sha256",
            "splits.dev.md5",
            "valid_checksum",
        ] {
            assert!(is_split_checksum(key), "{key}");
        }
        for key in ["data.sha256", "model.hash", "test.wer", "data.test_subset"] {
            assert!(!is_split_checksum(key), "{key}");
        }
    }

    #[test]
    fn evaluation_data_checksums_name_an_evaluation_split_or_part() {
        for key in [
            "data.test_sha256",
            "splits.dev.md5",
            "valid_checksum",
            "eval.data_sha256",
        ] {
            assert!(is_eval_data_checksum(key), "{key}");
        }
        for key in ["data.train_sha256", "model.hash", "test.wer", "eval.beam"] {
            assert!(!is_eval_data_checksum(key), "{key}");
        }
    }

    #[test]
    fn seeds_paths_run_names_and_timestamps_are_incidental() {
        for key in [
            "seed",
            "trainer.seed",
            "paths.output_dir",
            "run_name",
            "logging.dir",
            "checkpoint_dir",
            "timestamp",
            "hydra.run.dir",
            "data.cache_path",
            "_wandb.value.cli_version",
        ] {
            assert!(is_incidental(key), "{key}");
        }
        for key in ["model.masking", "optim.lr", "model.name", "data.name"] {
            assert!(!is_incidental(key), "{key}");
        }
    }

    #[test]
    fn split_names_are_split_identities_but_not_their_paths() {
        assert!(is_split_identity("data.test_subset"));
        assert!(is_split_identity("dataset.valid_split"));
        assert!(!is_split_identity("data.test_manifest_path"));
        assert!(!is_split_identity("trainer.val_every_n_steps"));
    }
}
