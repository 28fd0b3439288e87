//! Loading every input layout into one [`Study`]: the tidy table plus per-run
//! metadata and the list of what was skipped and why. No statistics here.
//!
//! The files form layers, bottom to top; each imports only files named
//! before it here (the test below holds them to it):
//! - what an input may claim: `guard`; whether a file is there: `probe`;
//! - names and values: `json`, `keys`, `run_name`, `generated`, `paths`,
//!   `natural`, `text_column`, `tidy`, `point`, `duplicates`;
//! - a table file's columns: `frame`, `parquet_table`;
//! - one file or one question each: `config`, `placement`, `tensorboard`,
//!   `wandb_log`, `index`, `lm_eval`, `inspect_ai`, `run`, `condition`, `lm_eval_run`,
//!   `study`, `table`, `history`, `options`, `fingerprint`;
//! - embeddings: `npy`, `embedding_table`, `npz`, `embeddings`;
//! - readers of whole inputs: `rl_csv`, `wandb`, `diagnose`, `npy_curve`,
//!   `run_folder`, `tree`, `mlflow`, `inspect_ai_run`;
//! - this file (`load`: each argument to its reader), then `multitask`,
//!   which reads run trees and tables through it.

pub mod condition;
pub mod config;
pub mod diagnose;
mod duplicates;
mod embedding_table;
pub mod embeddings;
pub mod fingerprint;
mod frame;
pub mod generated;
pub mod guard;
pub mod history;
pub mod index;
pub mod inspect_ai;
pub mod inspect_ai_run;
pub mod json;
pub mod keys;
pub mod lm_eval;
pub mod lm_eval_run;
pub mod mlflow;
pub mod multitask;
mod natural;
mod npy;
pub mod npy_curve;
mod npz;
mod options;
mod parquet_table;
mod paths;
pub mod placement;
pub mod point;
mod probe;
pub mod rl_csv;
pub mod run;
pub mod run_folder;
pub mod run_name;
mod study;
pub mod table;
pub mod tensorboard;
pub mod text_column;
pub mod tidy;
pub mod tree;
pub mod wandb;
pub mod wandb_log;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
pub use natural::natural_cmp;
pub use options::LoadOptions;
pub use paths::display_path;
pub use run::Run;
pub use study::{Skipped, Study};

/// Load every argument (run folders, run trees or result tables) into one study.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Result<Study> {
    if paths.is_empty() {
        return Err(Error::usage(
            "no runs given: name run folders, a runs root or a results table",
        ));
    }
    // every run folder is listed once while the inputs are read
    let _listings = probe::Scope::begin();
    let mut parts = Vec::with_capacity(paths.len());
    let mut trees = Vec::new();
    for (input, path) in paths.iter().enumerate() {
        match load_one(path, input, options)? {
            Loaded::Study(study) => parts.push(Some(*study)),
            Loaded::Tree(tree) => {
                trees.push(tree);
                parts.push(None);
            }
        }
    }
    // Conditions of run trees are decided across every argument at once.
    let mut runs: Vec<Run> = trees.iter_mut().flat_map(|t| t.runs.drain(..)).collect();
    condition::assign(&mut runs, &options.group_by)?;
    let roots: BTreeMap<usize, PathBuf> = trees.iter().map(|t| (t.input, t.root.clone())).collect();
    condition::separate_inputs(&mut runs, &roots);
    for run in runs {
        let tree = trees
            .iter_mut()
            .find(|t| t.input == run.input)
            .ok_or_else(|| Error::usage("internal: a run lost its argument"))?;
        tree.runs.push(run);
    }
    let mut trees = trees.into_iter();
    let parts = parts
        .into_iter()
        .map(|part| match part {
            Some(study) => Ok(study),
            None => trees
                .next()
                .ok_or_else(|| Error::usage("internal: a run tree went missing"))
                .and_then(tree::finish),
        })
        .collect::<Result<Vec<Study>>>()?;
    merge(parts, paths)
}

/// One argument, read: a finished study, or run-tree runs awaiting conditions.
enum Loaded {
    Study(Box<Study>),
    Tree(tree::TreeRuns),
}

fn load_one(path: &PathBuf, input: usize, options: &LoadOptions) -> Result<Loaded> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    let study = if meta.is_dir() {
        let store = mlflow::find_store(path);
        let found = if store.is_none() {
            scan(path)?
        } else {
            Scan::default()
        };
        if let Some(store) = store {
            return Ok(Loaded::Tree(mlflow::load(path, &store, input, options)?));
        } else if let Some(db) = mlflow::find_db(path) {
            return Ok(Loaded::Tree(mlflow::load_db(path, &db, input, options)?));
        } else if !found.inspect_logs.is_empty() && !found.runs {
            let logs = &found.inspect_logs;
            return Ok(Loaded::Tree(inspect_ai_run::load(
                path, logs, input, options,
            )?));
        } else if !found.rl_csvs.is_empty() {
            rl_csv::load(path, &found.rl_csvs)?
        } else if !found.npy_curves.is_empty() && !found.runs {
            npy_curve::load(path, &found.npy_curves)?
        } else {
            return Ok(Loaded::Tree(tree::read_tree(path, input, options)?));
        }
    } else if path
        .file_name()
        .is_some_and(|n| inspect_ai::is_log_name(&n.to_string_lossy()))
    {
        let folder = path.parent().unwrap_or(path);
        let logs = std::slice::from_ref(path);
        return Ok(Loaded::Tree(inspect_ai_run::load(
            folder, logs, input, options,
        )?));
    } else if rl_csv::is_rl_csv(path) {
        let folder = path.parent().unwrap_or(path);
        rl_csv::load(folder, std::slice::from_ref(path))?
    } else if let Some(db) = mlflow::find_db(path) {
        let root = path.parent().unwrap_or(path);
        return Ok(Loaded::Tree(mlflow::load_db(root, &db, input, options)?));
    } else if npy_curve::name_parts(path).is_some() {
        npy_curve::load_file(path)?
    } else {
        table::load_table(path, &options.columns)?
    };
    Ok(Loaded::Study(Box::new(study)))
}

/// History files found under a folder, and whether it holds run folders.
#[derive(Debug, Default)]
struct Scan {
    /// Tianshou-style `*_<N>seeds.csv` files.
    rl_csvs: Vec<PathBuf>,
    /// `.npy` curves named by seed.
    npy_curves: Vec<PathBuf>,
    /// Whether some folder holds a results or history file (a run tree).
    runs: bool,
    /// inspect_ai evaluation logs.
    inspect_logs: Vec<PathBuf>,
}

/// One walk over `root` (hidden folders skipped, symlinks not followed),
/// judging files by name only, so a large run tree costs one listing per folder.
fn scan(root: &Path) -> Result<Scan> {
    let mut found = Scan::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&dir, &e))?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if name == run_folder::RESULTS_DIR {
                    found.runs = true;
                } else if !name.starts_with('.') {
                    stack.push(path);
                }
            } else if kind.is_file() {
                if inspect_ai::is_log_name(&name) {
                    found.inspect_logs.push(path);
                } else if rl_csv::is_rl_csv(&path) {
                    found.rl_csvs.push(path);
                } else if npy_curve::name_parts(&path).is_some() {
                    found.npy_curves.push(path);
                } else if run_folder::RESULTS_FILES.contains(&name.as_ref())
                    || name == history::TRAINER_STATE
                    || name == history::LIGHTNING_CSV
                    || history::WANDB_CSVS.contains(&name.as_ref())
                    || tensorboard::is_event_file(&name)
                {
                    found.runs = true;
                }
            }
        }
    }
    found.rl_csvs.sort();
    found.inspect_logs.sort();
    found.npy_curves.sort();
    Ok(found)
}

/// Combine the studies of several arguments; a condition may come from one argument only.
fn merge(parts: Vec<Study>, paths: &[PathBuf]) -> Result<Study> {
    let mut owner: BTreeMap<String, &Path> = BTreeMap::new();
    let mut merged: Option<Study> = None;
    for (part, path) in parts.into_iter().zip(paths) {
        for condition in &part.conditions {
            if let Some(previous) = owner.insert(condition.clone(), path) {
                return Err(Error::usage(format!(
                    "condition `{condition}` comes from both {} and {}; give each condition once",
                    previous.display(),
                    path.display()
                )));
            }
        }
        merged = Some(match merged {
            None => part,
            Some(mut acc) => {
                acc.results = acc.results.append(&part.results);
                acc.runs.extend(part.runs);
                acc.repeats.extend(part.repeats);
                acc.skipped.extend(part.skipped);
                acc.conditions.extend(part.conditions);
                acc.labels.extend(part.labels);
                acc.roots.extend(part.roots);
                acc.per_input.extend(part.per_input);
                acc
            }
        });
    }
    merged.ok_or_else(|| Error::usage("no runs given"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    /// The files of `load/` in the order of the module doc (`load` is mod.rs).
    fn layer_order(doc: &str) -> Vec<String> {
        doc.lines()
            .take_while(|l| l.starts_with("//!"))
            .skip_while(|l| !l.contains("before it here"))
            .skip(1)
            .flat_map(|l| l.split('`').skip(1).step_by(2))
            .map(str::to_string)
            .collect()
    }

    /// The sibling files a file's code (tests and comments left out) names
    /// through `super::`, or, for mod.rs, as `file::`.
    fn imports(text: &str, is_mod: bool, files: &[&str]) -> Vec<String> {
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut found = Vec::new();
        if is_mod {
            for file in files {
                let named = code.match_indices(&format!("{file}::")).any(|(at, _)| {
                    !code[..at].ends_with(ident) && !code[..at].ends_with("super::")
                });
                if named {
                    found.push(file.to_string());
                }
            }
            return found;
        }
        for (at, _) in code.match_indices("super::") {
            let rest = &code[at + "super::".len()..];
            let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                group.split(',').collect()
            } else {
                vec![rest]
            };
            for name in names {
                let name = name.trim();
                let end = name.find(|c: char| !ident(c)).unwrap_or(name.len());
                let name = &name[..end];
                if name == "self" || name.is_empty() {
                    continue;
                }
                // A name that is no file is one of mod.rs's own items.
                let file = if files.contains(&name) { name } else { "load" };
                found.push(file.to_string());
            }
        }
        found
    }

    #[test]
    fn no_file_of_load_imports_a_file_above_it() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/load");
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
        let order = layer_order(&read("mod.rs"));
        let rank: BTreeMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .filter(|name| name != "mod")
            .collect();
        files.sort();
        let names: Vec<&str> = files.iter().map(String::as_str).collect();
        for file in names.iter().copied().chain(["load"]) {
            let own = *rank
                .get(file)
                .unwrap_or_else(|| panic!("`{file}` is not in the layer order of load/mod.rs"));
            let text = if file == "load" {
                read("mod.rs")
            } else {
                read(&format!("{file}.rs"))
            };
            for import in imports(&text, file == "load", &names) {
                assert!(
                    rank[import.as_str()] < own,
                    "`{file}` imports `{import}`, which the layer order puts above it"
                );
            }
        }
        assert_eq!(
            rank.len(),
            names.len() + 1,
            "a name twice in the layer order"
        );
    }
}
