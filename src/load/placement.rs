//! What a run's path says about it (DESIGN sections 2 and 10), before any
//! config is read.
//!
//! A run's path below the root is read part by part: tool folders
//! (`multirun/`, `wandb/`) name nothing, generated parts (Hydra job numbers
//! and date/time folders, W&B run folders, ids) identify the run, a seed
//! folder (`seed_42_a3f8c1_20260212_143022`) gives seed, override set and
//! repeat stamp, and the other parts name the condition. When generated parts
//! stand where a condition's name or seed would be (or the run is one job of
//! a sweep below a named folder), the placement leaves the condition to the
//! config ([`super::condition`]).

use std::path::Path;

use serde::Serialize;

use super::generated::{self, Part};
use super::keys;
use super::paths::{folder_name, parts_below};
use super::run_name::{self, RunName};

/// What the path of a run says about it, before configs are looked at.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// The named parts, `/`-joined: the condition by the folder rule.
    pub named: String,
    /// The name used when nothing else names the condition: the root's.
    pub fallback: String,
    /// The seed folder's name, parsed.
    pub seed_name: Option<RunName>,
    /// A seed written as `seed=N` inside an override-named folder.
    pub seed_pair: Option<String>,
    /// Generated parts joined: tells repeats of one seed apart.
    pub identity: Option<String>,
    /// Generated parts stand where a condition or seed would: the config decides.
    pub from_config: bool,
    /// Where `named` came from: the folders, or a tracking store's experiment.
    pub source: Source,
}

/// Where a condition's name came from, for `xreport runs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The folder rule of section 2.
    #[default]
    Folder,
    /// Config keys whose values differ across the runs.
    Config,
    /// Hydra's recorded overrides.
    Overrides,
    /// `--group-by` or the study file's `group_by`.
    GroupBy,
    /// The experiment of a tracking store (MLflow).
    Experiment,
    /// The model an evaluation log names (inspect_ai).
    Model,
}

/// Read the path of the run folder `dir` below `root`. When `names_condition`,
/// the folder itself names the condition (an lm-eval model folder holding
/// one run per results file), else it names the run.
pub fn place(root: &Path, dir: &Path, names_condition: bool) -> Placement {
    let rel = parts_below(root, dir);
    let (mut parts, fallback): (Vec<(String, std::path::PathBuf)>, String) = if rel.is_empty() {
        // A run folder given directly: its parent names its condition.
        let own = folder_name(dir);
        let parent = dir
            .parent()
            .map(fallback_name)
            .unwrap_or_else(|| own.clone());
        (vec![(own, dir.to_path_buf())], parent)
    } else {
        let mut path = root.to_path_buf();
        let parts = rel
            .into_iter()
            .map(|name| {
                path.push(&name);
                (name, path.clone())
            })
            .collect();
        (parts, fallback_name(root))
    };
    parts.retain(|(name, dir)| generated::classify(name, dir) != Part::Tool);
    let mut placement = Placement {
        fallback,
        ..Placement::default()
    };
    // Generated parts at the end identify the run (a job, a timestamped copy).
    let mut tail = Vec::new();
    while let Some((name, dir)) = parts.last() {
        if generated::classify(name, dir) != Part::Generated {
            break;
        }
        tail.insert(0, name.clone());
        parts.pop();
    }
    let mut identity = Vec::new();
    let mut sweep_member = tail
        .iter()
        .zip(generated_dirs(root, dir, tail.len()))
        .any(|(name, dir)| generated::is_run_part(name, &dir));
    // A seed folder above the run's own folder (`seed_1/<model>/`): only the
    // explicit spellings, the deepest one.
    let seed_at = parts
        .iter()
        .rposition(|(name, _)| is_explicit_seed_name(name) && run_name::parse(name).is_some());
    let mut kept = Vec::new();
    let last = parts.len().saturating_sub(1);
    for (i, (name, dir)) in parts.iter().enumerate() {
        if Some(i) == seed_at && (i < last || names_condition) {
            placement.seed_name = run_name::parse(name);
            continue;
        }
        if generated::classify(name, dir) == Part::Generated {
            sweep_member |= generated::is_run_part(name, dir);
            identity.push(name.clone());
            continue;
        }
        if let Some(pairs) = override_pairs(name) {
            // Hydra's `hydra.job.override_dirname`: `model=a,seed=1`.
            let (seeds, rest): (Vec<_>, Vec<_>) = pairs
                .into_iter()
                .partition(|(k, _)| keys::is_seed(k.trim_start_matches('+')));
            placement.seed_pair = seeds.into_iter().next().map(|(_, v)| v);
            if !rest.is_empty() {
                let text: Vec<String> = rest.iter().map(|(k, v)| format!("{k}={v}")).collect();
                kept.push(text.join(","));
            }
            continue;
        }
        if i == last && !names_condition {
            if let Some(parsed) = run_name::parse(name) {
                placement.seed_name = Some(parsed);
                continue;
            }
            // The run's own folder names the run, unless it is all there is.
            if !kept.is_empty() || !identity.is_empty() || i > 0 {
                continue;
            }
        }
        kept.push(name.clone());
    }
    placement.named = kept.join("/");
    identity.extend(tail);
    // The config names the condition when generated parts stand where its
    // name would be, or when the run is one of a sweep (a Hydra job, a W&B
    // run) below a named folder; a date folder below a condition is a copy.
    let seeded = placement.seed_name.is_some() || placement.seed_pair.is_some();
    placement.from_config =
        !identity.is_empty() && !seeded && (placement.named.is_empty() || sweep_member);
    if !identity.is_empty() {
        placement.identity = Some(identity.join("/"));
    }
    placement
}

/// `seed_42`, `seed42`, `seed=42` (not the short `s42`, which a condition's
/// name may start with).
fn is_explicit_seed_name(name: &str) -> bool {
    name.get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("seed"))
}

/// The folders of the last `n` parts of `dir` (the generated tail).
fn generated_dirs(root: &Path, dir: &Path, n: usize) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> = dir
        .ancestors()
        .take_while(|a| a.starts_with(root) && *a != root)
        .take(n)
        .map(Path::to_path_buf)
        .collect();
    dirs.reverse();
    dirs
}

/// The name a folder lends a condition: its own, or, for a tool's or a
/// generated folder (`wandb/`, `multirun/2026-12-01/20-30-01`), the first
/// folder above it that the user named.
fn fallback_name(root: &Path) -> String {
    let mut at = root.to_path_buf();
    for _ in 0..6 {
        let name = folder_name(&at);
        if generated::classify(&name, &at) == Part::Named {
            return name;
        }
        // Climb through the file system: a relative root has no parent text.
        let absolute = std::fs::canonicalize(&at).unwrap_or_else(|_| at.clone());
        match absolute.parent() {
            Some(parent) => at = parent.to_path_buf(),
            None => break,
        }
    }
    folder_name(root)
}

/// `a=1,b=x` as pairs; `None` unless every comma part is `key=value`.
fn override_pairs(name: &str) -> Option<Vec<(String, String)>> {
    if !name.contains('=') {
        return None;
    }
    name.split(',')
        .map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (!k.is_empty()).then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(root: &str, dir: &str) -> Placement {
        place(Path::new(root), Path::new(dir), false)
    }

    #[test]
    fn a_seed_folder_below_a_condition_gives_the_folder_rule() {
        let p = placed("runs", "runs/ablations/no_aux/seed_42_a3f8c1");
        assert_eq!(p.named, "ablations/no_aux");
        assert_eq!(p.seed_name.unwrap().hash.as_deref(), Some("a3f8c1"));
        assert!(!p.from_config);
    }

    #[test]
    fn hydra_date_and_time_folders_leave_the_condition_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project/multirun");
        let job = root.join("2026-12-01/20-30-01/3");
        std::fs::create_dir_all(job.join(".hydra")).unwrap();
        let p = place(&root, &job, false);
        assert!(p.from_config);
        assert_eq!(p.named, "");
        assert_eq!(p.identity.as_deref(), Some("2026-12-01/20-30-01/3"));
        // `multirun` is Hydra's folder: the name falls back to the project's.
        assert_eq!(p.fallback, "project");
    }

    #[test]
    fn a_date_folder_below_a_named_condition_is_a_copy_not_a_sweep() {
        let p = placed("runs", "runs/baseline/20261201_203001");
        assert_eq!(p.named, "baseline");
        assert!(!p.from_config);
    }

    #[test]
    fn an_override_named_folder_keeps_its_keys_and_gives_its_seed() {
        let p = placed("sweep", "sweep/2026-12-01/20-30-01/model=baseline,seed=3");
        assert_eq!(p.named, "model=baseline");
        assert_eq!(p.seed_pair.as_deref(), Some("3"));
        assert!(!p.from_config);
    }

    #[test]
    fn a_timestamped_copy_below_a_seed_folder_is_a_repeat_of_that_seed() {
        let p = placed("runs", "runs/exp/seed_1/20261201_203001");
        assert_eq!(p.named, "exp");
        assert_eq!(p.seed_name.unwrap().seed, "1");
        assert_eq!(p.identity.as_deref(), Some("20261201_203001"));
        assert!(!p.from_config);
    }

    #[test]
    fn a_run_named_below_its_condition_belongs_to_the_condition() {
        assert_eq!(placed("runs", "runs/cond/run_a").named, "cond");
        assert_eq!(placed("runs", "runs/exp_a").named, "exp_a");
    }
}
