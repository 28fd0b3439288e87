//! lm-evaluation-harness output (DESIGN sections 10 and 12): the results
//! file of one evaluation and its per-sample logs. Parsing only; which file
//! of a model folder counts (the newest) is the caller's choice.
//!
//! What 0.4.13 writes for `--output_path OUT --log_samples` (see
//! `golden/fixtures_lm_eval.py` and `tests/fixtures/lm_eval/`):
//! `OUT/<model>/results_<timestamp>.json` and
//! `OUT/<model>/samples_<task>_<timestamp>.jsonl`, where `<model>` is the
//! `pretrained=` (or `model=`, `path=`, …) value of `--model_args` with `/`
//! and other unsafe characters replaced by `__`, and `<timestamp>` is
//! Python's `datetime.now().isoformat()` with `:` replaced by `-`
//! (`2026-12-02T01-44-39.811533`). Early 0.4 releases, before these
//! timestamped names, wrote `OUT/results.json` and, for samples,
//! `<model_args>_<task>.jsonl` holding one indented JSON array (read from
//! their `__main__.py`, not from files they wrote); both are read by
//! [`read_results`] and [`read_samples`], but only the current names are
//! recognised by name.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::config::seed_text;
use super::json::{self, Flat};
use crate::error::{Error, Result};

/// The harness's `--seed` slots in the order the flag takes them
/// (`--seed 0,1234,1234,1234` sets python's `random`, numpy, torch, fewshot).
const SEED_SLOTS: [&str; 4] = ["random_seed", "numpy_seed", "torch_seed", "fewshot_seed"];

/// The fields every logged sample carries besides its scores; used only for
/// early 0.4 logs, which did not list their metrics in `metrics`.
const SAMPLE_FIELDS: &[&str] = &[
    "doc_id",
    "doc",
    "target",
    "arguments",
    "resps",
    "filtered_resps",
    "filter",
    "metrics",
    "doc_hash",
    "prompt_hash",
    "target_hash",
];

/// The timestamp of a results file named `results_<timestamp>.json`, the
/// name current releases write (0.4.13 among them); timestamps compare as
/// text in time order. `None` for any other name, including the older `results.json`:
/// that name is also the plain results file of section 2, so such a file is
/// lm-eval's only when its content says so ([`is_results`]).
pub fn results_timestamp(file_name: &str) -> Option<&str> {
    let stamp = file_name.strip_prefix("results_")?.strip_suffix(".json")?;
    is_timestamp(stamp).then_some(stamp)
}

/// Whether a parsed JSON document is an lm-eval results file: a `results`
/// object beside a `config` object, as every 0.4.x release writes.
pub fn is_results(document: &Value) -> bool {
    document.get("results").is_some_and(Value::is_object)
        && document.get("config").is_some_and(Value::is_object)
}

/// `samples_<task>_<timestamp>.jsonl` → the task name (which may itself
/// contain `_`; the timestamp never does).
pub fn samples_task(file_name: &str) -> Option<&str> {
    let rest = file_name.strip_prefix("samples_")?.strip_suffix(".jsonl")?;
    let (task, stamp) = rest.rsplit_once('_')?;
    (!task.is_empty() && is_timestamp(stamp)).then_some(task)
}

/// `YYYY-MM-DDTHH-MM-SS`, with an optional `.` and fraction of a second
/// (Python omits the fraction when the microseconds are zero).
fn is_timestamp(stamp: &str) -> bool {
    const SHAPE: &[u8] = b"0000-00-00T00-00-00";
    let (whole, fraction) = stamp.split_once('.').unwrap_or((stamp, "0"));
    whole.len() == SHAPE.len()
        && whole.bytes().zip(SHAPE).all(|(b, &s)| {
            if s == b'0' {
                b.is_ascii_digit()
            } else {
                b == s
            }
        })
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// One lm-eval results file, split into scores and everything else.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LmEvalResults {
    /// `<task>.<metric>` (filter `none`) or `<task>.<metric>/<filter>` →
    /// value; `null`, `NaN` and `"N/A"` are `None`. Tasks and groups alike.
    pub metrics: BTreeMap<String, Option<f64>>,
    /// The standard error of a metric, under the metric's key; `"N/A"` (the
    /// harness's word for "not computed") is `None`. Never a metric itself.
    pub stderr: BTreeMap<String, Option<f64>>,
    /// Direction of each metric that `higher_is_better` names; the filter
    /// variants of a metric share its direction.
    pub higher_is_better: BTreeMap<String, bool>,
    /// The seed as the user would have typed it to `--seed` (see [`read_results`]).
    pub seed: Option<String>,
    /// `model_name` (the `--model_args` name), else `config.model` (`hf`, `vllm`, …).
    pub model: Option<String>,
    /// Everything that is not a metric or its stderr, flattened with `.`:
    /// `config.*`, `configs.*`, `versions.*`, `n-shot.*`, `n-samples.*`,
    /// `higher_is_better.*`, `task_hashes.*`, `date`, and per task the
    /// harness's bookkeeping (`results.<task>.alias`, `.name`, `.sample_len`,
    /// `.sample_count.*`).
    pub metadata: Flat,
}

/// Read a results file (any name; see [`results_timestamp`]).
///
/// Scores are the `<metric>,<filter>` keys of each task under `results`
/// and `groups`; 0.4.13 writes a group under both, with the same values,
/// so the copy read first (under `results`) is kept and neither copy is
/// metadata. Keys without a comma (`alias`, `name`, `sample_len`, …) are not
/// scores, which also means the pre-0.4 format (`acc` with no filter) has
/// none and is refused as such.
///
/// The seed: the harness records its four `--seed` slots as
/// `config.random_seed`, `numpy_seed`, `torch_seed`, `fewshot_seed` (a
/// file with only the first three gives three parts below). When all of
/// them, and a `config.seed` if there is one, hold the same number, the seed is that number (`--seed
/// 1` gives `1`). Otherwise it is the slots joined with `,` in `--seed`
/// order, an unset slot written `None` as the flag takes it: the default
/// `0,1234,1234,1234`, or `0,None,8,52`. Runs agree on a seed exactly when
/// they were started with the same `--seed`. No slot set: `config.seed` if
/// present, else no seed.
pub fn read_results(path: &Path) -> Result<LmEvalResults> {
    let text = super::guard::read_text(path)?;
    if text.trim().is_empty() {
        return Err(Error::input(
            path,
            "empty file: expected an lm-eval results JSON object",
        ));
    }
    let document = json::parse(path, &text)?;
    let Value::Object(top) = &document else {
        return Err(Error::input_at(
            path,
            "$",
            format!(
                "expected an lm-eval results object, found {}",
                json::kind_of(&document)
            ),
        ));
    };
    if !top.contains_key("results") {
        return Err(Error::input(
            path,
            "no `results` object: not an lm-eval results file",
        ));
    }
    let mut out = LmEvalResults::default();
    let mut rest = top.clone();
    for section in ["results", "groups"] {
        let Some(tasks) = top.get(section) else {
            continue;
        };
        let here = format!("$.{section}");
        let Value::Object(tasks) = tasks else {
            return Err(Error::input_at(
                path,
                here,
                format!(
                    "expected an object of tasks, found {}",
                    json::kind_of(tasks)
                ),
            ));
        };
        for (task, entry) in tasks {
            let here = member(&here, task);
            let Value::Object(entry) = entry else {
                return Err(Error::input_at(
                    path,
                    here,
                    format!(
                        "expected an object of `<metric>,<filter>` scores, found {}",
                        json::kind_of(entry)
                    ),
                ));
            };
            let used = read_task(path, &here, task, entry, &mut out)?;
            if let Some(Value::Object(kept)) =
                rest.get_mut(section).and_then(|tasks| tasks.get_mut(task))
            {
                kept.retain(|key, _| !used.contains(key));
            }
        }
    }
    if out.metrics.is_empty() {
        return Err(Error::input_at(
            path,
            "$.results",
            "no scores: expected `<metric>,<filter>` keys such as `acc,none` \
             (lm-eval 0.4 and later)",
        ));
    }
    if let Some(Value::Object(directions)) = top.get("higher_is_better") {
        read_directions(directions, &mut out);
    }
    let config = top.get("config").and_then(Value::as_object);
    out.seed = config.and_then(seed);
    out.model = top
        .get("model_name")
        .and_then(Value::as_str)
        .or_else(|| config?.get("model")?.as_str())
        .filter(|name| !name.is_empty())
        .map(str::to_string);
    out.metadata = json::flatten(&Value::Object(rest));
    Ok(out)
}

/// Read the scores and standard errors of one task entry into `out`;
/// returns the keys used, so what remains is metadata.
fn read_task(
    path: &Path,
    here: &str,
    task: &str,
    entry: &Map<String, Value>,
    out: &mut LmEvalResults,
) -> Result<Vec<String>> {
    let mut used = Vec::new();
    for (key, value) in entry {
        let Some((metric, filter)) = key.split_once(',') else {
            continue;
        };
        if metric.ends_with("_stderr") {
            continue;
        }
        let name = metric_name(task, metric, filter);
        let stderr_key = format!("{metric}_stderr,{filter}");
        // A group seen already under `results` keeps that value, but its
        // copy under `groups` is no more metadata than the first.
        let first = !out.metrics.contains_key(&name);
        let value = score(path, here, key, value)?;
        if first {
            out.metrics.insert(name.clone(), value);
        }
        used.push(key.clone());
        if let Some(value) = entry.get(&stderr_key) {
            let value = score(path, here, &stderr_key, value)?;
            if first {
                out.stderr.insert(name, value);
            }
            used.push(stderr_key);
        }
    }
    Ok(used)
}

/// A score or standard error: a number, or `None` for `null` (also `NaN`,
/// see [`json::parse`]) and the harness's `"N/A"`.
fn score(path: &Path, here: &str, key: &str, value: &Value) -> Result<Option<f64>> {
    match value {
        Value::Number(n) => Ok(n.as_f64()),
        Value::Null => Ok(None),
        Value::String(s) if s == "N/A" => Ok(None),
        other => Err(Error::input_at(
            path,
            member(here, key),
            format!(
                "expected a number, null or \"N/A\", found {}",
                json::kind_of(other)
            ),
        )),
    }
}

/// `higher_is_better.<task>.<metric>` → every read metric of that task and
/// metric, whatever its filter. Entries that are not booleans give no direction.
fn read_directions(directions: &Map<String, Value>, out: &mut LmEvalResults) {
    for (task, metrics) in directions {
        let Value::Object(metrics) = metrics else {
            continue;
        };
        for (metric, higher) in metrics {
            let Some(higher) = higher.as_bool() else {
                continue;
            };
            let base = format!("{task}.{metric}");
            let filtered = format!("{base}/");
            for name in out.metrics.keys() {
                if *name == base || name.starts_with(&filtered) {
                    out.higher_is_better.insert(name.clone(), higher);
                }
            }
        }
    }
}

/// The seed rule of [`read_results`].
fn seed(config: &Map<String, Value>) -> Option<String> {
    let explicit = config.get("seed").and_then(seed_text);
    let slots: Vec<Option<&Value>> = SEED_SLOTS.iter().map(|k| config.get(*k)).collect();
    let Some(last) = slots.iter().rposition(Option::is_some) else {
        return explicit;
    };
    let texts: Vec<Option<String>> = slots[..=last]
        .iter()
        .map(|slot| slot.and_then(seed_text))
        .collect();
    if texts.iter().all(Option::is_none) {
        return explicit;
    }
    let first = &texts[0];
    let agree = first.is_some()
        && texts.iter().all(|t| t == first)
        && explicit.as_ref().is_none_or(|e| Some(e) == first.as_ref());
    if agree {
        return first.clone();
    }
    let joined: Vec<&str> = texts
        .iter()
        .map(|t| t.as_deref().unwrap_or("None"))
        .collect();
    Some(joined.join(","))
}

/// One per-example score from a samples log.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleScore {
    /// The harness's `doc_id`, as text.
    pub example: String,
    /// `<task>.<metric>` or `<task>.<metric>/<filter>`, as in [`LmEvalResults::metrics`].
    pub metric: String,
    /// `None` for `null`/`NaN`; `true`/`false` count as 1/0.
    pub value: Option<f64>,
}

/// Read a samples log of `task`: one JSON object per line, each a document
/// (`doc_id`) under one `filter` with its scores under the names its
/// `metrics` array lists; a task with two filters logs each document twice.
/// Early 0.4 logs (one JSON array, no `metrics` list) are read too,
/// their scores then being the keys outside the harness's own fields.
///
/// Only scalar scores are per-example scores: a listed metric holding an
/// array or object (perplexity's `[loglikelihood, words]`, BLEU's
/// `[reference, prediction]`) is the input of a corpus-level metric and is
/// left out, so a perplexity task's log yields no scores at all.
pub fn read_samples(path: &Path, task: &str) -> Result<Vec<SampleScore>> {
    let text = super::guard::read_text(path)?;
    let body = text.trim_start();
    if body.is_empty() {
        return Err(Error::input(
            path,
            "empty file: expected lm-eval samples, one JSON object per line",
        ));
    }
    let mut scores = Vec::new();
    if body.starts_with('[') {
        let document = json::parse(path, &text)?;
        let Value::Array(samples) = document else {
            return Err(Error::input_at(path, "$", "expected an array of samples"));
        };
        for (index, sample) in samples.iter().enumerate() {
            read_sample(path, &format!("$[{index}]"), task, sample, &mut scores)?;
        }
        return Ok(scores);
    }
    let ends_cleanly = text.ends_with('\n');
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let here = format!("line {}", index + 1);
        let sample = json::parse(path, line).map_err(|_| {
            let detail = serde_json::from_str::<Value>(line)
                .err()
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            let cut = if index + 1 == lines.len() && !ends_cleanly {
                " (the file ends inside this line: cut short?)"
            } else {
                ""
            };
            Error::input_at(path, &here, format!("malformed JSON{detail}{cut}"))
        })?;
        read_sample(path, &here, task, &sample, &mut scores)?;
    }
    Ok(scores)
}

/// The scores of one logged sample, appended to `scores`.
fn read_sample(
    path: &Path,
    here: &str,
    task: &str,
    sample: &Value,
    scores: &mut Vec<SampleScore>,
) -> Result<()> {
    let Value::Object(sample) = sample else {
        return Err(Error::input_at(
            path,
            here,
            format!("expected a sample object, found {}", json::kind_of(sample)),
        ));
    };
    let example = match sample.get("doc_id") {
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(Error::input_at(
                path,
                here,
                format!(
                    "expected `doc_id` to be an integer or a string, found {}",
                    json::kind_of(other)
                ),
            ));
        }
        None => {
            return Err(Error::input_at(
                path,
                here,
                "no `doc_id`: expected an lm-eval sample with its document's id",
            ));
        }
    };
    let filter = match sample.get("filter") {
        None => "none",
        Some(Value::String(f)) => f,
        Some(other) => {
            return Err(Error::input_at(
                path,
                here,
                format!(
                    "expected `filter` to be a string, found {}",
                    json::kind_of(other)
                ),
            ));
        }
    };
    let names: Vec<&str> = match sample.get("metrics") {
        Some(Value::Array(listed)) => listed.iter().filter_map(Value::as_str).collect(),
        Some(other) => {
            return Err(Error::input_at(
                path,
                here,
                format!(
                    "expected `metrics` to be a list of metric names, found {}",
                    json::kind_of(other)
                ),
            ));
        }
        None => sample
            .iter()
            .filter(|(key, value)| {
                !SAMPLE_FIELDS.contains(&key.as_str())
                    && matches!(value, Value::Number(_) | Value::Bool(_) | Value::Null)
            })
            .map(|(key, _)| key.as_str())
            .collect(),
    };
    for name in names {
        let value = match sample.get(name) {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::Bool(b)) => Some(f64::from(u8::from(*b))),
            Some(Value::Null) => None,
            Some(Value::Array(_) | Value::Object(_)) => continue,
            Some(Value::String(_)) => {
                return Err(Error::input_at(
                    path,
                    here,
                    format!("expected `{name}` to be a number, found a string"),
                ));
            }
            None => {
                return Err(Error::input_at(
                    path,
                    here,
                    format!("`metrics` lists `{name}` but the sample has no `{name}`"),
                ));
            }
        };
        scores.push(SampleScore {
            example: example.clone(),
            metric: metric_name(task, name, filter),
            value,
        });
    }
    Ok(())
}

/// `<task>.<metric>`, with `/<filter>` unless the filter is the harness's `none`.
fn metric_name(task: &str, metric: &str, filter: &str) -> String {
    if filter == "none" {
        format!("{task}.{metric}")
    } else {
        format!("{task}.{metric}/{filter}")
    }
}

/// A JSON path one member deeper: `$.results.arc_easy`, `$.results.arc_easy["acc,none"]`.
fn member(base: &str, key: &str) -> String {
    let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{base}.{key}")
    } else {
        format!("{base}[{}]", Value::String(key.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixtures() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lm_eval")
    }

    fn expected() -> Value {
        let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn file_name(rel: &str) -> &str {
        rel.rsplit('/').next().unwrap()
    }

    /// `expected.json`'s `"N/A"` or number as the reader gives it.
    fn as_score(value: &Value) -> Option<f64> {
        if value == "N/A" {
            None
        } else {
            Some(value.as_f64().unwrap())
        }
    }

    #[test]
    fn every_fixture_results_value_reads_back_exactly() {
        let expected = expected();
        let files = expected["results"].as_object().unwrap();
        assert_eq!(files.len(), 8);
        for (rel, want) in files {
            let read = read_results(&fixtures().join(rel)).unwrap();
            let mut names = Vec::new();
            for (key, entry) in want["values"].as_object().unwrap() {
                let (_section, rest) = key.split_once('.').unwrap();
                let (task, rest) = rest.split_once('.').unwrap();
                let (metric, filter) = rest.split_once(',').unwrap();
                let name = metric_name(task, metric, filter);
                assert_eq!(
                    read.metrics[&name],
                    as_score(&entry["value"]),
                    "{rel} {key}"
                );
                assert_eq!(
                    read.stderr[&name],
                    as_score(&entry["stderr"]),
                    "{rel} {key}"
                );
                let higher = want["higher_is_better"][task][metric].as_bool().unwrap();
                assert_eq!(read.higher_is_better[&name], higher, "{rel} {key}");
                names.push(name);
            }
            names.sort();
            names.dedup();
            assert_eq!(
                read.metrics.keys().collect::<Vec<_>>(),
                names.iter().collect::<Vec<_>>()
            );
            assert_eq!(read.stderr.len(), names.len(), "{rel}");
            assert_eq!(read.model.as_deref(), want["model_name"].as_str(), "{rel}");
            let seeds: Vec<String> = SEED_SLOTS
                .iter()
                .map(|slot| want["seeds"][*slot].to_string())
                .collect();
            let seed = if seeds.iter().all(|s| *s == seeds[0]) {
                seeds[0].clone()
            } else {
                seeds.join(",")
            };
            assert_eq!(read.seed.as_deref(), Some(seed.as_str()), "{rel}");
        }
    }

    #[test]
    fn fixture_seeds_names_and_filters_are_what_the_harness_wrote() {
        let dir = fixtures().join("seed_2/tuned-model");
        let name = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|n| n.starts_with("results_"))
            .unwrap();
        let read = read_results(&dir.join(&name)).unwrap();
        assert_eq!(read.seed.as_deref(), Some("2"));
        assert_eq!(read.model.as_deref(), Some("tuned-model"));
        let names: Vec<&str> = read.metrics.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "xr_gen.exact_match/flexible-extract",
                "xr_gen.exact_match/strict-match",
                "xr_mc_a.acc",
                "xr_mc_a.acc_norm",
                "xr_mc_b.acc",
                "xr_mc_b.acc_norm",
                "xr_ppl.bits_per_byte",
                "xr_ppl.byte_perplexity",
                "xr_ppl.word_perplexity",
                "xr_suite.acc",
            ]
        );
        assert_eq!(read.stderr["xr_ppl.word_perplexity"], None);
        assert!(!read.higher_is_better["xr_ppl.bits_per_byte"]);
        assert!(read.higher_is_better["xr_gen.exact_match/strict-match"]);

        let default = fixtures().join("default_seed/base-model");
        for entry in std::fs::read_dir(&default).unwrap() {
            let path = entry.unwrap().path();
            if results_timestamp(path.file_name().unwrap().to_str().unwrap()).is_some() {
                let read = read_results(&path).unwrap();
                assert_eq!(read.seed.as_deref(), Some("0,1234,1234,1234"));
            }
        }
    }

    #[test]
    fn metadata_holds_everything_but_scores() {
        let expected = expected();
        let rel = expected["results"]
            .as_object()
            .unwrap()
            .keys()
            .next()
            .unwrap();
        let read = read_results(&fixtures().join(rel)).unwrap();
        for key in [
            "config.random_seed",
            "config.model",
            "versions.xr_gen",
            "n-shot.xr_mc_a",
            "n-samples.xr_mc_a.original",
            "higher_is_better.xr_mc_a.acc",
            "group_subtasks.xr_suite",
            "task_hashes.xr_gen",
            "date",
            "lm_eval_version",
            "total_evaluation_time_seconds",
            "results.xr_mc_a.alias",
            "results.xr_mc_a.sample_len",
            "results.xr_suite.sample_count.acc,none",
            "groups.xr_suite.alias",
        ] {
            assert!(read.metadata.contains_key(key), "{key}");
        }
        for key in read.metadata.keys() {
            let (section, rest) = key.split_once('.').unwrap_or((key, ""));
            if section == "results" || section == "groups" {
                let field = rest.split_once('.').unwrap().1;
                assert!(
                    !field.contains(',') || field.starts_with("sample_count."),
                    "{key}"
                );
            }
        }
    }

    #[test]
    fn every_fixture_sample_value_reads_back_exactly() {
        let expected = expected();
        let files = expected["samples"].as_object().unwrap();
        assert_eq!(files.len(), 28);
        for (rel, want) in files {
            let task = samples_task(file_name(rel)).unwrap();
            let scores = read_samples(&fixtures().join(rel), task).unwrap();
            let first = want["first"].as_array().unwrap();
            let listed = first[0]["metrics"].as_array().unwrap().len();
            let lines = want["lines"].as_u64().unwrap() as usize;
            if task == "xr_ppl" {
                // [loglikelihood, length] pairs: corpus-metric inputs, not scores.
                assert!(scores.is_empty(), "{rel}");
                continue;
            }
            assert_eq!(scores.len(), lines * listed, "{rel}");
            for sample in first {
                let doc = sample["doc_id"].to_string();
                let filter = sample["filter"].as_str().unwrap();
                for (metric, value) in sample["values"].as_object().unwrap() {
                    let name = metric_name(task, metric, filter);
                    let found: Vec<_> = scores
                        .iter()
                        .filter(|s| s.example == doc && s.metric == name)
                        .collect();
                    assert_eq!(found.len(), 1, "{rel} doc {doc} {name}");
                    assert_eq!(found[0].value, value.as_f64(), "{rel} doc {doc} {name}");
                }
            }
        }
    }

    #[test]
    fn file_names_give_timestamp_and_task() {
        assert_eq!(
            results_timestamp("results_2026-12-02T01-44-39.811533.json"),
            Some("2026-12-02T01-44-39.811533")
        );
        assert_eq!(
            results_timestamp("results_2026-12-02T01-44-39.json"),
            Some("2026-12-02T01-44-39")
        );
        for name in [
            "results.json",
            "results_final.json",
            "results_2026-12-02T01-44-39..json",
            "results_2026-12-02T01-44-39.811533.jsonl",
            "eval_results_2026-12-02.json",
        ] {
            assert_eq!(results_timestamp(name), None, "{name}");
        }
        assert_eq!(
            samples_task("samples_xr_mc_a_2026-12-02T01-44-39.811533.jsonl"),
            Some("xr_mc_a")
        );
        assert_eq!(samples_task("samples_xr_mc_a.jsonl"), None);
        assert_eq!(samples_task("samples__2026-12-02T01-44-39.jsonl"), None);
        assert_eq!(samples_task("pretrained__gpt2_arc_easy.jsonl"), None);
    }

    /// A file of `text` in a fresh temporary folder.
    fn write(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn results_error(text: &str) -> String {
        let (_dir, path) = write("results_2026-12-02T01-44-39.json", text);
        let err = read_results(&path).unwrap_err().to_string();
        assert!(err.starts_with(&path.display().to_string()), "{err}");
        err[path.display().to_string().len()..].to_string()
    }

    fn samples_error(text: &str) -> String {
        let (_dir, path) = write("samples_arc_easy_2026-12-02T01-44-39.jsonl", text);
        let err = read_samples(&path, "arc_easy").unwrap_err().to_string();
        assert!(err.starts_with(&path.display().to_string()), "{err}");
        err[path.display().to_string().len()..].to_string()
    }

    #[test]
    fn bad_results_name_the_place_and_what_was_expected() {
        assert!(results_error("").contains("empty file"));
        assert!(results_error("{\"results\": {").starts_with(":1:13: malformed JSON"));
        assert!(results_error("[1, 2]").starts_with(":$: expected an lm-eval results object"));
        assert!(results_error(r#"{"config": {}}"#).contains("no `results` object"));
        assert_eq!(
            results_error(r#"{"results": [1]}"#),
            ":$.results: expected an object of tasks, found an array"
        );
        assert_eq!(
            results_error(r#"{"results": {"arc_easy": 0.5}}"#),
            ":$.results.arc_easy: expected an object of `<metric>,<filter>` scores, found a number"
        );
        assert_eq!(
            results_error(r#"{"results": {"arc_easy": {"acc,none": "high"}}}"#),
            ":$.results.arc_easy[\"acc,none\"]: expected a number, null or \"N/A\", found a string"
        );
        assert_eq!(
            results_error(
                r#"{"results": {"arc_easy": {"acc,none": 0.5}}, "groups": {"mmlu (v2)": {"acc,none": true}}}"#
            ),
            ":$.groups[\"mmlu (v2)\"][\"acc,none\"]: expected a number, null or \"N/A\", found a boolean"
        );
        assert!(
            results_error(
                r#"{"results": {"arc_easy": {"acc,none": 0.5, "acc_stderr,none": [1]}}}"#
            )
            .starts_with(":$.results.arc_easy[\"acc_stderr,none\"]: expected a number")
        );
        // lm-eval before 0.4: no filter in the key, so nothing is a score.
        assert!(
            results_error(
                r#"{"results": {"arc_easy": {"acc": 0.5, "acc_stderr": 0.01}}, "config": {}}"#
            )
            .starts_with(":$.results: no scores")
        );
    }

    #[test]
    fn python_nan_and_na_are_missing_values() {
        let (_dir, path) = write(
            "results.json",
            r#"{"results": {"t": {"acc,none": NaN, "acc_stderr,none": "N/A",
                "f1,none": null, "em,strict": "N/A"}}, "config": {"model": "hf"}}"#,
        );
        let read = read_results(&path).unwrap();
        assert_eq!(read.metrics["t.acc"], None);
        assert_eq!(read.stderr["t.acc"], None);
        assert_eq!(read.metrics["t.f1"], None);
        assert_eq!(read.metrics["t.em/strict"], None);
        assert!(!read.stderr.contains_key("t.f1"));
        assert_eq!(read.model.as_deref(), Some("hf"));
        assert_eq!(read.seed, None);
        assert!(read.higher_is_better.is_empty());
    }

    fn seed_of(config: Value) -> Option<String> {
        seed(config.as_object().unwrap())
    }

    #[test]
    fn seed_is_one_number_when_the_slots_agree_else_the_seed_flag() {
        use serde_json::json;
        let all = |r: Value, n: Value, t: Value, f: Value| json!({"random_seed": r, "numpy_seed": n, "torch_seed": t, "fewshot_seed": f});
        assert_eq!(
            seed_of(all(json!(7), json!(7), json!(7), json!(7))).as_deref(),
            Some("7")
        );
        assert_eq!(
            seed_of(all(json!(0), json!(1234), json!(1234), json!(1234))).as_deref(),
            Some("0,1234,1234,1234")
        );
        assert_eq!(
            seed_of(all(json!(0), Value::Null, json!(8), json!(52))).as_deref(),
            Some("0,None,8,52")
        );
        assert_eq!(
            seed_of(all(json!(3), json!(3), json!(3), Value::Null)).as_deref(),
            Some("3,3,3,None")
        );
        assert_eq!(
            seed_of(all(Value::Null, Value::Null, Value::Null, Value::Null)),
            None
        );
        // Three slots only: the tuple has three parts.
        assert_eq!(
            seed_of(json!({"random_seed": 0, "numpy_seed": 1234, "torch_seed": 1234})).as_deref(),
            Some("0,1234,1234")
        );
        assert_eq!(seed_of(json!({"seed": 42})).as_deref(), Some("42"));
        assert_eq!(seed_of(json!({"model": "hf"})), None);
        let mut disagree = all(json!(5), json!(5), json!(5), json!(5));
        disagree["seed"] = json!(6);
        assert_eq!(seed_of(disagree).as_deref(), Some("5,5,5,5"));
    }

    #[test]
    fn bad_samples_name_the_line_and_what_was_expected() {
        assert!(samples_error("").contains("empty file"));
        assert!(samples_error("\n  \n").contains("empty file"));
        let good = r#"{"doc_id": 0, "filter": "none", "metrics": ["acc"], "acc": 1.0}"#;
        assert_eq!(
            samples_error(&format!("{good}\n{{\"filter\": \"none\", \"acc\": 1.0}}\n")),
            ":line 2: no `doc_id`: expected an lm-eval sample with its document's id"
        );
        assert!(
            samples_error(&format!("{good}\n{{\"doc_id\": 1,,}}\n{good}\n"))
                .starts_with(":line 2: malformed JSON: ")
        );
        assert!(
            samples_error(&format!("{good}\n[1]\n"))
                .starts_with(":line 2: expected a sample object")
        );
        assert!(
            samples_error(r#"{"doc_id": 0.5, "metrics": ["acc"], "acc": 1}"#)
                .contains("expected `doc_id` to be an integer or a string")
        );
        assert!(
            samples_error(r#"{"doc_id": 0, "metrics": ["acc"], "acc": "yes"}"#)
                .starts_with(":line 1: expected `acc` to be a number, found a string")
        );
        assert!(
            samples_error(r#"{"doc_id": 0, "metrics": ["acc"]}"#)
                .contains("`metrics` lists `acc` but the sample has no `acc`")
        );
        assert!(
            samples_error(r#"{"doc_id": 0, "metrics": "acc", "acc": 1}"#)
                .contains("list of metric names")
        );
        assert!(samples_error(r#"{"doc_id": 0, "filter": 3}"#).contains("`filter` to be a string"));
        assert!(
            samples_error("[{\"doc_id\": 0}, 5]").starts_with(":$[1]: expected a sample object")
        );
    }

    #[test]
    fn a_samples_log_cut_short_names_its_last_line() {
        let expected = expected();
        let rel = expected["samples"]
            .as_object()
            .unwrap()
            .keys()
            .find(|k| k.contains("samples_xr_gen_"))
            .unwrap()
            .clone();
        let text = std::fs::read_to_string(fixtures().join(&rel)).unwrap();
        let lines = text.lines().count();
        let cut = &text[..text.len() - 40];
        let err = samples_error(cut);
        assert!(
            err.starts_with(&format!(":line {lines}: malformed JSON")),
            "{err}"
        );
        assert!(err.contains("cut short"), "{err}");
    }

    #[test]
    fn samples_before_0_4_3_are_one_array_without_a_metrics_list() {
        let (_dir, path) = write(
            "pretrained__gpt2_arc_easy.jsonl",
            r#"[
  {"doc_id": 0, "doc": {"q": 1}, "target": 1, "arguments": [["q", " a"]],
   "resps": [[["-1.5", "False"]]], "filtered_resps": [["-1.5", "False"]],
   "acc": 1.0, "acc_norm": 0.0},
  {"doc_id": 1, "doc": {"q": 2}, "target": 0, "arguments": [], "resps": [],
   "filtered_resps": [], "acc": NaN, "acc_norm": true}
]"#,
        );
        let scores = read_samples(&path, "arc_easy").unwrap();
        let got: Vec<(&str, &str, Option<f64>)> = scores
            .iter()
            .map(|s| (s.example.as_str(), s.metric.as_str(), s.value))
            .collect();
        assert_eq!(
            got,
            [
                ("0", "arc_easy.acc", Some(1.0)),
                ("0", "arc_easy.acc_norm", Some(0.0)),
                ("1", "arc_easy.acc", None),
                ("1", "arc_easy.acc_norm", Some(1.0)),
            ]
        );
    }

    #[test]
    fn old_results_json_is_recognised_by_content() {
        let (_dir, path) = write(
            "results.json",
            r#"{"results": {"gsm8k": {"exact_match,strict-match": 0.25,
                "exact_match_stderr,strict-match": 0.01, "alias": "gsm8k"}},
                "configs": {}, "versions": {"gsm8k": 3},
                "config": {"model": "hf", "model_args": "pretrained=gpt2"}}"#,
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(is_results(&json::parse(&path, &text).unwrap()));
        assert!(!is_results(&serde_json::json!({"test": {"acc": 1}})));
        let read = read_results(&path).unwrap();
        assert_eq!(read.metrics["gsm8k.exact_match/strict-match"], Some(0.25));
        assert_eq!(read.stderr["gsm8k.exact_match/strict-match"], Some(0.01));
        assert_eq!(read.metadata["results.gsm8k.alias"], "gsm8k");
    }
}
