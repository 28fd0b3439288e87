//! What a folder without usable results holds, said as a sentence that names
//! the file and what to pass (DESIGN section 10), instead of "no results".

use std::path::Path;

use super::paths::display_path;
use super::{lm_eval, wandb};

/// Why the run-like folder `dir` gave no run.
pub fn failed_run(dir: &Path) -> String {
    if wandb::is_run_dir(dir) {
        return format!(
            "a W&B run with neither files/wandb-summary.json, a history file nor its run-<id>.wandb log (the run crashed before writing them, or was copied without them): copy the whole run folder, or `wandb sync` it and export its history as {}/files/wandb-history.csv",
            display_path(dir)
        );
    }
    if let Some(checkpoint) = last_checkpoint(dir) {
        return format!(
            "a Hugging Face Trainer output with checkpoints only ({}/trainer_state.json) and no final trainer_state.json or eval_results.json: an unfinished run; pass the checkpoint folder to read its state",
            display_path(&checkpoint)
        );
    }
    if dir.join(".hydra").is_dir() {
        return "a Hydra job with no results file: failed or unfinished (xreport reads results.json, metrics.json or eval_results.json in the job folder)".into();
    }
    if has_file(dir, |name| lm_eval::samples_task(name).is_some()) {
        return "lm-eval per-sample logs without their results_<timestamp>.json: the evaluation did not finish, or the results file was not copied".into();
    }
    "no results file: failed or unfinished run".into()
}

/// Why a folder given by the user holds no runs, when it says more than
/// "nothing here": an MLflow artifact folder beside its `mlflow.db`.
pub fn empty_root(root: &Path) -> Option<String> {
    let beside = root.parent().map(|p| p.join("mlflow.db"));
    let db = [Some(root.join("mlflow.db")), beside]
        .into_iter()
        .flatten()
        .find(|p| p.is_file())?;
    Some(format!(
        "an MLflow artifact folder: the runs' metrics and params are in {}; pass that file (or the folder holding it) instead",
        display_path(&db)
    ))
}

/// The highest-numbered `checkpoint-N/` holding a `trainer_state.json`.
fn last_checkpoint(dir: &Path) -> Option<std::path::PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let n: u64 = name.strip_prefix("checkpoint-")?.parse().ok()?;
            e.path()
                .join("trainer_state.json")
                .is_file()
                .then(|| (n, e.path()))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, path)| path)
}

fn has_file(dir: &Path, wanted: impl Fn(&str) -> bool) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| wanted(&e.file_name().to_string_lossy()))
    })
}
