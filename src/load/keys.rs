//! What a key names (DESIGN section 10): an evaluation metric, a logger's or
//! trainer's diagnostic (metadata), a seed, or a run's identity. One list per
//! question, used by every reader, so `xreport runs` can say why a number was
//! set aside.

/// Last name parts that are training diagnostics or counters, never results.
const DIAGNOSTICS: &[&str] = &[
    "epoch",
    "step",
    "global_step",
    "learning_rate",
    "lr",
    "grad_norm",
    "total_flos",
];

/// Suffixes of last name parts that are throughput and timing diagnostics.
const DIAGNOSTIC_SUFFIXES: &[&str] = &["_runtime", "_per_second"];

/// Whether a numeric result key is metadata rather than a metric: logger
/// internals (`_runtime`, `_wandb.*`: any part starting with `_`), the
/// diagnostics Trainer and Lightning log (`epoch`, `learning_rate`,
/// `grad_norm`, `total_flos`, `*_runtime`, `*_samples_per_second`, ...),
/// counts (`num_*`, `n_*`) and seeds. Metadata stays usable through an
/// explicit `--metric`.
pub fn is_metadata(key: &str) -> bool {
    let lr_monitor = |part: &str| part == "lr" || part.starts_with("lr-");
    if is_logger_internal(key) || key.split(['.', '/']).any(lr_monitor) || is_seed(key) {
        return true;
    }
    let last = last_part(key).to_ascii_lowercase();
    DIAGNOSTICS.contains(&last.as_str())
        || last == "runtime"
        || DIAGNOSTIC_SUFFIXES.iter().any(|s| last.ends_with(s))
        || last.starts_with("num_")
        || last.starts_with("n_")
        || last == "samples"
        || last.ends_with("_samples")
}

/// A logger's own key (`_runtime`, `_wandb.runtime`): a name part starts with `_`.
pub fn is_logger_internal(key: &str) -> bool {
    key.split(['.', '/']).any(|part| part.starts_with('_'))
}

/// Whether a flattened key names the run's seed: `seed`, `*.seed`
/// (`training.seed`), `random_seed`.
pub fn is_seed(key: &str) -> bool {
    let last = last_part(key);
    last == "seed" || last == "random_seed"
}

/// Whether a key names any seed (`seed`, `data_seed`, lm-eval's
/// `numpy_seed`): never a condition's key.
pub fn is_seed_like(key: &str) -> bool {
    let last = last_part(key).to_ascii_lowercase();
    last == "seed" || last.ends_with("_seed")
}

/// Whether a config key identifies a run rather than configures it: output,
/// log and checkpoint folders, run names and ids, timestamps, hosts, and the
/// loggers' own sections (`hydra.*`, `wandb.*`, `_wandb`). Such keys differ
/// between runs of one condition, so they never name a condition.
pub fn is_run_identity(key: &str) -> bool {
    let first = key.split(['.', '/']).next().unwrap_or(key);
    if matches!(first, "hydra" | "wandb") || key.split('.').any(|p| p.starts_with('_')) {
        return true;
    }
    let last = last_part(key).to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "dir",
        "run_name",
        "run_id",
        "id",
        "name_or_path",
        "timestamp",
        "date",
        "time",
        "datetime",
        "host",
        "hostname",
        "node",
        "job_id",
        "resume",
        "resume_from_checkpoint",
        "hub_model_id",
        "port",
        "master_port",
        "master_addr",
        "pid",
        "start_time",
        "started",
        "git_sha",
        "git_hash",
        "git_commit",
        "commit",
        "device",
        "devices",
    ];
    // Whole words only: `output_dir` is a folder, `output_dim` a setting.
    let words: Vec<&str> = last.split(['_', '-']).collect();
    let places = [
        "output",
        "logging",
        "log",
        "checkpoint",
        "ckpt",
        "save",
        "cache",
        "work",
    ];
    let is_place = |w: &str| places.contains(&w);
    EXACT.contains(&last.as_str())
        || last.starts_with("slurm")
        || last.ends_with("_timestamp")
        || last.ends_with("_dir")
        || (words.len() >= 2
            && matches!(*words.last().unwrap_or(&""), "path" | "file" | "root")
            && words.iter().any(|w| is_place(w) || *w == "run"))
}

fn last_part(key: &str) -> &str {
    key.rsplit(['.', '/']).next().unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trainer_and_logger_diagnostics_are_metadata_and_results_are_not() {
        for key in [
            "learning_rate",
            "grad_norm",
            "epoch",
            "total_flos",
            "train_runtime",
            "eval_samples_per_second",
            "eval_steps_per_second",
            "_runtime",
            "_wandb.runtime",
            "_step",
            "num_input_tokens_seen",
            "n_samples",
            "eval_samples",
            "train_samples",
            "config.seed",
            "train/global_step",
            "lr-Adam",
            "lr-AdamW/pg1",
        ] {
            assert!(is_metadata(key), "{key}");
        }
        for key in [
            "eval_loss",
            "eval_accuracy",
            "train_loss",
            "loss",
            "test.wer",
            "eval/accuracy",
            "arc_easy.acc_norm",
            "nll",
        ] {
            assert!(!is_metadata(key), "{key}");
        }
    }

    #[test]
    fn output_folders_names_and_times_identify_a_run_but_settings_do_not() {
        for key in [
            "output_dir",
            "training.logging_dir",
            "run_name",
            "hydra.run.dir",
            "wandb.project",
            "_wandb.cli_version",
            "checkpoint_path",
            "trainer.default_root_dir",
            "timestamp",
        ] {
            assert!(is_run_identity(key), "{key}");
        }
        for key in [
            "model",
            "model.name",
            "optim.lr",
            "data.name",
            "seed_offset",
        ] {
            assert!(!is_run_identity(key), "{key}");
        }
    }
}
