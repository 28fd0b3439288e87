//! Path parts that tools generate (DESIGN section 10): they identify a run,
//! never a condition. Hydra's job numbers and date/time folders, W&B run
//! folders, MLflow run ids, UUIDs and hex ids.

use std::path::Path;

/// What a path part below the runs root says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Chosen by the user: part of a condition's name.
    Named,
    /// A tool's fixed folder (`multirun`, `outputs`, `wandb`): names nothing.
    Tool,
    /// Generated per run or sweep: identifies a run; the condition must come
    /// from the run's config.
    Generated,
}

/// Folders tools create with a fixed name above their runs.
const TOOL_FOLDERS: &[&str] = &["multirun", "outputs", "wandb", "mlruns", "lightning_logs"];

/// Whether a generated part identifies one run of a sweep (a Hydra job, a W&B
/// run, an id), rather than only when it ran (a date or time folder).
pub fn is_run_part(name: &str, dir: &Path) -> bool {
    is_hydra_job(name, dir) || is_wandb_run(name) || is_uuid(name) || is_hex_id(name)
}

/// Classify the path part `name`, the last component of the folder `dir`.
pub fn classify(name: &str, dir: &Path) -> Part {
    if TOOL_FOLDERS.contains(&name) {
        Part::Tool
    } else if is_run_part(name, dir) || is_date_or_time(name) || is_tensorboard_run(name) {
        Part::Generated
    } else {
        Part::Named
    }
}

/// A Hydra multirun job folder: all digits, with `.hydra/` inside or
/// `multirun.yaml` in the sweep folder above.
pub fn is_hydra_job(name: &str, dir: &Path) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_digit())
        && (dir.join(".hydra").is_dir()
            || dir
                .parent()
                .is_some_and(|sweep| sweep.join("multirun.yaml").is_file()))
}

/// Hydra's `${now:%Y-%m-%d}` and `${now:%H-%M-%S}` folders, and the common
/// `YYYY-MM-DD_HH-MM-SS`, `YYYYMMDD_HHMMSS`, `YYYYMMDD-HHMMSS` stamps.
fn is_date_or_time(name: &str) -> bool {
    let shape: String = name
        .chars()
        .map(|c| if c.is_ascii_digit() { 'd' } else { c })
        .collect();
    matches!(
        shape.as_str(),
        "dddd-dd-dd"
            | "dd-dd-dd"
            | "dddd-dd-dd_dd-dd-dd"
            | "dddd-dd-dd_dd-dd"
            | "dddd-dd-ddTdd-dd-dd"
            | "dddddddd_dddddd"
            | "dddddddd-dddddd"
    )
}

/// `run-20261201_203001-k3j9x2ab` and `offline-run-…` (W&B's own rule).
pub fn is_wandb_run(name: &str) -> bool {
    wandb_run_id(name).is_some()
}

/// The id of a W&B run folder from its name (`run-20261201_203001-k3j9x2ab` → `k3j9x2ab`).
pub fn wandb_run_id(name: &str) -> Option<&str> {
    let rest = name
        .strip_prefix("offline-run-")
        .or_else(|| name.strip_prefix("run-"))?;
    let (stamp, id) = rest.split_at_checked(16)?;
    let stamp = stamp.as_bytes();
    let digits = |range: std::ops::Range<usize>| stamp[range].iter().all(u8::is_ascii_digit);
    let shaped = digits(0..8) && stamp[8] == b'_' && digits(9..15) && stamp[15] == b'-';
    (shaped && !id.is_empty()).then_some(id)
}

/// The folder a TensorBoard writer names by time and host, as the Hugging
/// Face Trainer does below `runs/`: `Dec01_20-30-01_host`.
fn is_tensorboard_run(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 16
        && b[0].is_ascii_uppercase()
        && b[1..3].iter().all(u8::is_ascii_lowercase)
        && is_date_or_time(&name[6..14])
        && b[3..5].iter().all(u8::is_ascii_digit)
        && b[5] == b'_'
        && b[14] == b'_'
}

fn is_uuid(name: &str) -> bool {
    let groups: Vec<&str> = name.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// An MLflow run id or a hash: 8 or more hex digits with both a digit and a
/// letter, so neither a number nor a word (`deadbeef`) is taken for one.
fn is_hex_id(name: &str) -> bool {
    name.len() >= 8
        && name.bytes().all(|b| b.is_ascii_hexdigit())
        && name.bytes().any(|b| b.is_ascii_digit())
        && name.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_names_are_generated_and_chosen_names_are_not() {
        let here = Path::new("/nonexistent");
        for name in [
            "2026-12-01",
            "20-30-01",
            "2026-12-01_20-30-01",
            "20260212_143022",
            "run-20261201_203001-k3j9x2ab",
            "offline-run-20261201_203001-k3j9x2ab",
            "9f2c4e1a7b3d4c5e8f9a0b1c2d3e4f5a",
            "123e4567-e89b-12d3-a456-426614174000",
            "Dec01_20-30-01_gpu-node-3",
        ] {
            assert_eq!(classify(name, here), Part::Generated, "{name}");
        }
        for name in [
            "exp0_baseline",
            "seed_42",
            "3",
            "baseline",
            "no_span_masking",
            "deadbeef",
            "12345678",
            "run-fast",
        ] {
            assert_eq!(classify(name, here), Part::Named, "{name}");
        }
        assert_eq!(classify("multirun", here), Part::Tool);
    }

    #[test]
    fn wandb_run_ids_come_from_the_folder_name() {
        assert_eq!(
            wandb_run_id("run-20261201_203001-k3j9x2ab"),
            Some("k3j9x2ab")
        );
        assert_eq!(
            wandb_run_id("offline-run-20261201_203001-k3j9x2ab"),
            Some("k3j9x2ab")
        );
        assert_eq!(
            wandb_run_id("run-20261201_203001-my-run_1"),
            Some("my-run_1")
        );
        for name in [
            "latest-run",
            "run-20261201_203001-",
            "run-20261201-203001-k3j9x2ab",
            "run-2026120_2030011-k3j9x2ab",
            "run-k3j9x2ab",
            "seed_1",
        ] {
            assert_eq!(wandb_run_id(name), None, "{name}");
        }
    }
}
