//! Which task (dataset, environment) each run belongs to, for the commands
//! that lay methods out over tasks (`xreport table`, `xreport rank`): a task
//! column of result tables, a config or results key (`--task-key
//! data.name`), or a part of the condition's path (`--task-key path:N`).

use std::collections::{BTreeMap, HashMap};

use super::direction::Direction;
use super::groups::{metric_names_of, seed_values};
use super::reduce::Reduce;
use crate::error::{Error, Result};
use crate::load::multitask::MethodScores;
use crate::load::tidy::{self, Row as TidyRow, TidyBuilder};
use crate::load::{Study, natural_cmp};

/// Where a run's task comes from, besides a task column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskKey {
    /// A config or results key (`data.name`).
    Key(String),
    /// The Nth `/`-separated part of the condition's folder path, from 0.
    Path(usize),
}

impl TaskKey {
    /// As the user writes it.
    pub fn name(&self) -> String {
        match self {
            TaskKey::Key(key) => key.clone(),
            TaskKey::Path(n) => format!("path:{n}"),
        }
    }
}

/// One task's runs, with conditions renamed to the table's methods.
pub struct TaskStudy {
    pub task: Option<String>,
    pub study: Study,
}

/// Split the study by task: a task column of result tables, or `key`.
/// Returns the tasks (natural order) and the methods, in the order their
/// first condition comes in the study.
pub fn split(study: &Study, key: Option<&TaskKey>) -> Result<(Vec<TaskStudy>, Vec<String>)> {
    let by_run = match key {
        Some(TaskKey::Key(name)) => Some(run_tasks(study, name)?),
        _ => None,
    };
    let mut builders: BTreeMap<Option<String>, (TidyBuilder, Vec<String>)> = BTreeMap::new();
    let mut methods: Vec<String> = Vec::new();
    let mut sources: HashMap<(Option<String>, String), String> = HashMap::new();
    let mut cache: HashMap<(String, String), (Option<String>, String)> = HashMap::new();
    let mut unlabelled: Option<String> = None;
    let mut labelled = false;
    for (row, cluster) in tidy::rows_with_cluster(&study.results) {
        let (task, method) = match key {
            None => (row.task.map(str::to_string), row.condition.to_string()),
            Some(key) => {
                // A run's task depends on its condition and seed only: worked out once.
                let place = (row.condition.to_string(), row.seed.to_string());
                match cache.get(&place) {
                    Some(found) => found.clone(),
                    None => {
                        let found = task_of(row.condition, row.seed, key, by_run.as_ref())?;
                        cache.insert(place, found.clone());
                        found
                    }
                }
            }
        };
        if task.is_some() {
            labelled = true;
        } else if unlabelled.is_none() {
            unlabelled = Some(row.condition.to_string());
        }
        let source = sources
            .entry((task.clone(), method.clone()))
            .or_insert_with(|| row.condition.to_string());
        if source != row.condition {
            return Err(Error::usage(format!(
                "`{source}` and `{}` both become the method `{method}`{}: tell them apart with --group-by or another --task-key",
                row.condition,
                task.as_ref()
                    .map(|t| format!(" on task `{t}`"))
                    .unwrap_or_default()
            )));
        }
        if !methods.contains(&method) {
            methods.push(method.clone());
        }
        let (builder, conditions) = builders.entry(task).or_default();
        if !conditions.contains(&method) {
            conditions.push(method.clone());
        }
        let row = TidyRow {
            condition: &method,
            ..row
        };
        builder.push_clustered(row, cluster);
    }
    if let (true, Some(condition)) = (labelled, unlabelled) {
        return Err(Error::usage(format!(
            "some rows have a task and `{condition}` has rows without one: give every row a task (--task-col) or none"
        )));
    }
    // Methods in the order of their conditions in the study, not of the rows.
    let rank = |method: &String| {
        sources
            .iter()
            .filter(|((_, m), _)| m == method)
            .filter_map(|(_, c)| study.conditions.iter().position(|s| s == c))
            .min()
    };
    methods.sort_by_key(|m| rank(m));
    let mut tasks: Vec<TaskStudy> = builders
        .into_iter()
        .map(|(task, (builder, conditions))| TaskStudy {
            task,
            study: Study::of_table(builder.finish(), conditions, study.roots.clone()),
        })
        .collect();
    tasks.sort_by(|a, b| match (&a.task, &b.task) {
        (Some(x), Some(y)) => natural_cmp(x, y),
        (x, y) => x.cmp(y),
    });
    Ok((tasks, methods))
}

/// The task and method of the seed `seed` of `condition`, by `key`.
fn task_of(
    condition: &str,
    seed: &str,
    key: &TaskKey,
    by_run: Option<&HashMap<(String, String), String>>,
) -> Result<(Option<String>, String)> {
    match (key, by_run) {
        (TaskKey::Path(n), _) => path_task(condition, *n),
        (TaskKey::Key(name), Some(by_run)) => {
            let task = by_run
                .get(&(condition.to_string(), seed.to_string()))
                .cloned()
                .ok_or_else(|| {
                    Error::usage(format!(
                        "--task-key {name}: seed {seed} of `{condition}` comes from no run folder, so it has no config to read the task from"
                    ))
                })?;
            let method = strip_task(condition, name, &task);
            Ok((Some(task), method))
        }
        (TaskKey::Key(name), None) => Err(Error::usage(format!(
            "--task-key {name}: no run folders to read it from"
        ))),
    }
}

/// The task of every run (condition, seed) from config or results key `key`.
fn run_tasks(study: &Study, key: &str) -> Result<HashMap<(String, String), String>> {
    if study.runs.is_empty() {
        return Err(Error::usage(format!(
            "--task-key {key} reads the config of run folders, and these inputs have none: name the task column of a table with --task-col, or use --task-key path:N"
        )));
    }
    let mut out = HashMap::new();
    let mut missing = Vec::new();
    for run in &study.runs {
        let value = run.config.get(key).or_else(|| run.metadata.get(key));
        match value {
            Some(value) => {
                let text = match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out.insert((run.condition.clone(), run.seed.clone()), text);
            }
            None => missing.push(crate::load::display_path(&run.path)),
        }
    }
    if out.is_empty() {
        let mut keys: Vec<&String> = study
            .runs
            .iter()
            .flat_map(|r| r.config.keys().chain(r.metadata.keys()))
            .collect();
        keys.sort();
        keys.dedup();
        let shown: Vec<&str> = keys.iter().take(12).map(|k| k.as_str()).collect();
        return Err(Error::usage(format!(
            "--task-key {key:?} is not a config or results key of these runs; their keys include: {}",
            if shown.is_empty() {
                "(none)".to_string()
            } else {
                shown.join(", ")
            }
        )));
    }
    if let Some(first) = missing.first() {
        return Err(Error::usage(format!(
            "--task-key {key:?}: {} run(s) have no such key, e.g. {first}",
            missing.len()
        )));
    }
    Ok(out)
}

/// `path:N`: the Nth part of the condition's path is the task, the other
/// parts the method.
fn path_task(condition: &str, n: usize) -> Result<(Option<String>, String)> {
    let parts: Vec<&str> = condition.split('/').collect();
    if parts.len() < 2 || n >= parts.len() {
        return Err(Error::usage(format!(
            "--task-key path:{n}: the condition `{condition}` has {} path part(s) (numbered from 0), and a task and a method need two",
            parts.len()
        )));
    }
    let method: Vec<&str> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != n)
        .map(|(_, p)| *p)
        .collect();
    Ok((Some(parts[n].to_string()), method.join("/")))
}

/// The method of a condition whose task is `task` (from config key `key`):
/// the condition without the `key=task` pair or the path part naming the
/// task; the condition itself when neither is in it.
fn strip_task(condition: &str, key: &str, task: &str) -> String {
    let pair = format!("{key}={task}");
    if condition.split(", ").any(|p| p == pair) {
        let rest: Vec<&str> = condition.split(", ").filter(|p| *p != pair).collect();
        if !rest.is_empty() {
            return rest.join(", ");
        }
    }
    let parts: Vec<&str> = condition.split('/').collect();
    if parts.len() > 1 && parts.contains(&task) {
        let rest: Vec<&str> = parts.into_iter().filter(|p| *p != task).collect();
        return rest.join("/");
    }
    condition.to_string()
}

/// Every method's per-seed values of `metric` on every task, as the
/// multitask readers give them (`xreport rank` on a run tree split by
/// `--task-key`): histories reduced by `reduce`, missing values left out.
pub fn method_scores(
    tasks: &[TaskStudy],
    metric: &str,
    reduce: &Reduce,
    direction: &dyn Fn(&str) -> Direction,
) -> Vec<MethodScores> {
    let mut by_method: BTreeMap<String, MethodScores> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for task in tasks {
        let name = task.task.clone().unwrap_or_default();
        for group in seed_values(&task.study, reduce, direction) {
            if group.metric != metric {
                continue;
            }
            if !order.contains(&group.condition) {
                order.push(group.condition.clone());
            }
            let scores = by_method
                .entry(group.condition.clone())
                .or_insert_with(|| MethodScores {
                    method: group.condition.clone(),
                    source: group.condition.clone(),
                    tasks: BTreeMap::new(),
                    normalized: false,
                    notes: Vec::new(),
                });
            scores.tasks.insert(name.clone(), group.values);
        }
    }
    order
        .into_iter()
        .filter_map(|m| by_method.remove(&m))
        .collect()
}

/// The metrics of the split studies, in natural order.
pub fn metrics(tasks: &[TaskStudy]) -> Vec<String> {
    metric_names_of(
        tasks
            .iter()
            .flat_map(|t| tidy::rows(&t.study.results).map(|r| r.metric.to_string()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_part_is_the_task_and_the_rest_the_method() {
        assert_eq!(
            path_task("Hopper-v3/sac", 0).expect("two parts"),
            (Some("Hopper-v3".into()), "sac".into())
        );
        assert!(path_task("sac", 0).is_err());
    }

    #[test]
    fn the_task_is_taken_out_of_the_condition_name() {
        assert_eq!(
            strip_task("data.name=cifar10, model=resnet", "data.name", "cifar10"),
            "model=resnet"
        );
        assert_eq!(
            strip_task("cifar10/resnet", "data.name", "cifar10"),
            "resnet"
        );
        assert_eq!(strip_task("resnet", "data.name", "cifar10"), "resnet");
    }
}
