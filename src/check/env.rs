//! The environment: library versions and hardware per run, pinned
//! dependencies up the tree, and the compute total for the paper.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::keys::{gpu_hours, gpu_name, last_part};
use super::kit::{Compute, Context, Finding, Level, Rule, list, plural};
use crate::error::Result;
use crate::load::{Run, display_path};

const CAPTURED: Rule = Rule {
    id: "env.captured",
    level: Level::Warn,
    fix: "write env.json with every run: python/torch/CUDA versions and the GPU (or keep wandb-metadata.json)",
};

const PINNED: Rule = Rule {
    id: "deps.pinned",
    level: Level::Fail,
    fix: "commit a lock file (uv.lock, poetry.lock, Pipfile.lock) or pin exact versions (pkg==1.2.3) in requirements.txt",
};

const COMPUTE: Rule = Rule {
    id: "compute.reported",
    level: Level::Warn,
    fix: "record the GPU type and GPU-hours of each run (compute.json: {\"gpu\": ..., \"gpu_hours\": ...})",
};

/// Whether a run records library versions: an environment key naming a
/// library or version, or a dependency list in its folder.
fn has_versions(run: &Run) -> bool {
    const LIBS: &[&str] = &[
        "python",
        "torch",
        "pytorch",
        "tensorflow",
        "jax",
        "cuda",
        "cudnn",
        "numpy",
        "transformers",
        "version",
        "packages",
        "libraries",
        "python_version",
        "torch_version",
    ];
    run.deps_file.is_some()
        || run.env.keys().any(|k| {
            let last = last_part(k);
            LIBS.contains(&last.as_str()) || last.ends_with("_version")
        })
}

/// Whether a run records its hardware.
fn has_hardware(run: &Run) -> bool {
    run.env.keys().chain(run.compute.keys()).any(|k| {
        let last = last_part(k);
        [
            "gpu",
            "cpu",
            "device",
            "hardware",
            "accelerator",
            "gpu_name",
            "gpu_type",
            "cpu_count",
            "gpu_count",
        ]
        .contains(&last.as_str())
            || k.starts_with("gpu_nvidia")
    })
}

/// Each run records library versions and hardware.
pub fn captured(ctx: &Context) -> Finding {
    let runs: Vec<&Run> = ctx.all_runs().collect();
    if runs.is_empty() {
        return CAPTURED.skip("no run folders (a results table has no environment)");
    }
    let mut missing = Vec::new();
    for r in &runs {
        let mut lacks = Vec::new();
        if !has_versions(r) {
            lacks.push("library versions");
        }
        if !has_hardware(r) {
            lacks.push("hardware");
        }
        if !lacks.is_empty() {
            missing.push(format!(
                "{}: no {}",
                display_path(&r.path),
                lacks.join(" and ")
            ));
        }
    }
    if missing.is_empty() {
        let files: BTreeSet<&str> = runs.iter().filter_map(|r| r.env_file.as_deref()).collect();
        return CAPTURED.pass(
            format!(
                "all {} record library versions and hardware ({})",
                plural(runs.len(), "run"),
                files.into_iter().collect::<Vec<_>>().join(", ")
            ),
            Vec::new(),
        );
    }
    CAPTURED.trip(
        format!(
            "{} of {} without versions or hardware",
            plural(missing.len(), "run"),
            runs.len()
        ),
        missing,
    )
}

const LOCK_FILES: &[&str] = &[
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "conda-lock.yml",
    "pixi.lock",
];

/// What a dependency file says about pinning.
enum Pins {
    Locked,
    Pinned(usize),
    Unpinned(Vec<String>),
}

/// The requirement lines of a requirements or pip-freeze file that are not exact pins.
fn requirement_pins(text: &str) -> Pins {
    let mut pinned = 0;
    let mut loose = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('-') {
            continue;
        }
        if line.contains("==") || line.contains(" @ ") || line.contains("://") {
            pinned += 1;
        } else {
            loose.push(line.to_string());
        }
    }
    if loose.is_empty() {
        Pins::Pinned(pinned)
    } else {
        Pins::Unpinned(loose)
    }
}

/// The dependency lines of a conda environment file without a version.
fn conda_pins(text: &str) -> Pins {
    let mut in_deps = false;
    let mut pinned = 0;
    let mut loose = Vec::new();
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("").trim_end();
        if !line.starts_with(' ') && !line.starts_with('-') {
            in_deps = line.trim() == "dependencies:";
            continue;
        }
        let Some(item) = line.trim().strip_prefix("- ") else {
            continue;
        };
        let item = item.trim();
        if !in_deps || item.ends_with(':') || item == "pip" {
            continue;
        }
        if item.contains('=') {
            pinned += 1;
        } else {
            loose.push(item.to_string());
        }
    }
    if loose.is_empty() {
        Pins::Pinned(pinned)
    } else {
        Pins::Unpinned(loose)
    }
}

/// The folders of the study where its dependency files live: from `root` up
/// to the repository root (a `.git`) when the runs are inside a repository,
/// else `root` and the folder of a study file beside it. Nothing above the
/// study is read: an unrelated `requirements.txt` there says nothing of it.
/// Relative paths stay relative while they can, for readable evidence.
fn up_the_tree(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut current = Some(root.to_path_buf());
    while let Some(dir) = current {
        let shown = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir.clone()
        };
        out.push(shown.clone());
        if shown.join(".git").exists() {
            return out;
        }
        current = match dir.parent() {
            Some(parent) => Some(parent.to_path_buf()),
            None if dir.is_relative() => std::fs::canonicalize(&shown)
                .ok()
                .and_then(|abs| abs.parent().map(Path::to_path_buf)),
            None => None,
        };
        if out.len() > 64 {
            break;
        }
    }
    // No repository: the runs root, and the study folder above it.
    out.truncate(2);
    if out
        .get(1)
        .is_some_and(|study| !study.join("xreport.toml").is_file())
    {
        out.truncate(1);
    }
    out
}

/// Read a dependency file, an input error naming it when unreadable.
fn read(path: &Path) -> Result<String> {
    crate::load::guard::read_text(path)
}

/// The experiment pins its dependencies: a lock file or exact pins up the tree
/// from the runs root, or a pip freeze in the runs.
pub fn deps_pinned(ctx: &Context) -> Result<Finding> {
    let mut locked = Vec::new();
    let mut pinned = Vec::new();
    let mut loose = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    // A results table records no folder: search from the current one.
    let current = [PathBuf::from(".")];
    let roots = if ctx.study.roots.is_empty() {
        &current[..]
    } else {
        &ctx.study.roots[..]
    };
    for root in roots {
        let start = if root.is_dir() {
            root.clone()
        } else {
            root.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        for dir in up_the_tree(&start) {
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    for dir in &dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let shown = display_path(&path);
            let pins = if LOCK_FILES.contains(&name.as_str()) {
                Pins::Locked
            } else if name.starts_with("requirements") && name.ends_with(".txt")
                || name == "pip-freeze.txt"
            {
                requirement_pins(&read(&path)?)
            } else if name == "environment.yml" || name == "environment.yaml" {
                conda_pins(&read(&path)?)
            } else {
                continue;
            };
            match pins {
                Pins::Locked => locked.push(shown),
                Pins::Pinned(n) => {
                    pinned.push(format!("{shown}: {} pinned exactly", plural(n, "package")))
                }
                Pins::Unpinned(lines) => loose.push(format!(
                    "{shown}: not pinned: {}",
                    list(&lines.into_iter().take(8).collect::<Vec<_>>())
                )),
            }
        }
    }
    // A pip freeze recorded inside the runs pins the environment that ran.
    let mut frozen = 0;
    for run in ctx.all_runs() {
        if run.deps_file.as_deref() == Some("pip-freeze.txt") {
            let path = run.path.join("pip-freeze.txt");
            if let Pins::Pinned(_) = requirement_pins(&read(&path)?) {
                frozen += 1;
            }
        }
    }
    if frozen > 0 {
        pinned.push(format!("pip-freeze.txt in {}", plural(frozen, "run")));
    }
    if !locked.is_empty() || !pinned.is_empty() {
        let mut evidence = locked;
        evidence.extend(pinned);
        evidence.extend(loose);
        return Ok(PINNED.pass("dependencies are pinned", evidence));
    }
    if !loose.is_empty() {
        return Ok(PINNED.trip("dependencies are listed without exact versions", loose));
    }
    let searched: Vec<String> = dirs.iter().map(|d| display_path(d)).collect();
    Ok(PINNED.trip(
        "no lock file or pinned requirements found",
        vec![format!("searched: {}", list(&searched))],
    ))
}

/// The compute total: finished runs (repeats included), GPU-hours, GPU types.
pub fn compute(ctx: &Context) -> Compute {
    let runs: Vec<&Run> = ctx.all_runs().collect();
    let hours: Vec<f64> = runs.iter().filter_map(|r| gpu_hours(r)).collect();
    let gpus: BTreeSet<String> = runs.iter().filter_map(|r| gpu_name(r)).collect();
    Compute {
        runs: runs.len(),
        // Rounded to 1e-6 h so that float summation noise (125.80000000000001) stays out of the JSON.
        gpu_hours: (!hours.is_empty()).then(|| (hours.iter().sum::<f64>() * 1e6).round() / 1e6),
        gpus: gpus.into_iter().collect(),
    }
}

/// GPU type and hours are recorded for every run; the total is given.
pub fn compute_reported(ctx: &Context) -> Finding {
    let runs: Vec<&Run> = ctx.all_runs().collect();
    if runs.is_empty() {
        return COMPUTE.skip("no run folders (a results table has no compute records)");
    }
    let missing: Vec<String> = runs
        .iter()
        .filter_map(|r| {
            let mut lacks = Vec::new();
            if gpu_hours(r).is_none() {
                lacks.push("GPU-hours");
            }
            if gpu_name(r).is_none() {
                lacks.push("GPU type");
            }
            (!lacks.is_empty())
                .then(|| format!("{}: no {}", display_path(&r.path), lacks.join(" or ")))
        })
        .collect();
    let total = compute(ctx);
    if missing.is_empty() {
        return COMPUTE.pass(format!("for the paper: {}", total.sentence()), Vec::new());
    }
    COMPUTE.trip(
        format!(
            "{} of {} without GPU type or hours; recorded: {}",
            plural(missing.len(), "run"),
            runs.len(),
            total.sentence()
        ),
        missing,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_are_pinned_only_with_exact_versions() {
        assert!(matches!(
            requirement_pins("# pins\ntorch==2.5.1\n-e .\nnumpy==1.26.4  # ok\n"),
            Pins::Pinned(2)
        ));
        match requirement_pins("torch>=2.0\nnumpy==1.26.4\nscipy\n") {
            Pins::Unpinned(lines) => assert_eq!(lines, ["torch>=2.0", "scipy"]),
            _ => panic!("expected unpinned lines"),
        }
    }

    #[test]
    fn conda_dependencies_need_a_version() {
        let text = "name: ssl\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - numpy\n  - pip:\n    - torch==2.5.1\n";
        match conda_pins(text) {
            Pins::Unpinned(lines) => assert_eq!(lines, ["numpy"]),
            _ => panic!("expected numpy unpinned"),
        }
    }
}
