//! Runs as real tools write them (DESIGN 10): Hydra multirun sweeps, W&B
//! offline runs (0.17 and 0.31), lm-evaluation-harness output folders and
//! Hugging Face Trainer output folders, all committed under tests/fixtures/
//! as the real libraries wrote them, each beside an `expected.json` that the
//! generating script (golden/fixtures_*.py) wrote from the library's own view.
//!
//! Numbers are compared exactly. Both the expected files and xreport's JSON
//! output are read with every number kept as its literal text (see
//! `lossless`) and parsed by Rust's correctly rounded `str::parse::<f64>`, so
//! the comparison does not depend on how serde_json is configured to parse
//! floats, and seeds compare as written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::common::{root, tree, xreport};

const HYDRA: &str = "tests/fixtures/hydra";
const WANDB: &str = "tests/fixtures/wandb";
const LM_EVAL: &str = "tests/fixtures/lm_eval";
const HF: &str = "tests/fixtures/hf_trainer";
const FAST: [&str; 2] = ["--resamples", "100"];

// ---------------------------------------------------------------- helpers

/// Parse JSON keeping every number as a string of its literal text, so that
/// `num` can parse it exactly. Strings, objects and arrays are as usual.
fn lossless(text: &str) -> Value {
    let mut quoted = String::with_capacity(text.len() + text.len() / 4);
    let mut chars = text.chars().peekable();
    let (mut in_string, mut escaped) = (false, false);
    while let Some(c) = chars.next() {
        if in_string {
            quoted.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            quoted.push(c);
        } else if c == '-' || c.is_ascii_digit() {
            quoted.push('"');
            quoted.push(c);
            while let Some(&d) = chars.peek() {
                if !(d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-')) {
                    break;
                }
                quoted.push(d);
                chars.next();
            }
            quoted.push('"');
        } else {
            quoted.push(c);
        }
    }
    serde_json::from_str(&quoted).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// A number read by `lossless`, parsed exactly.
fn num(v: &Value) -> f64 {
    match v {
        Value::String(s) => s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}")),
        Value::Number(n) => n.as_f64().expect("finite"),
        other => panic!("not a number: {other}"),
    }
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(num)
        .collect()
}

/// Seed ids as text (`1`, `0,1234,1234,1234`): xreport writes a numeric seed
/// as a number and any other as a string.
fn seed_ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().expect("seed literal").to_string())
        .collect()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("not a string: {s}"))
                .to_string()
        })
        .collect()
}

/// A committed fixture file, read losslessly.
fn fixture(rel: &str) -> Value {
    let path = root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    lossless(&text)
}

/// Run xreport (from the repository root) and parse its JSON standard output.
fn run(args: &[&str]) -> Value {
    let out = xreport().args(args).assert().success();
    lossless(&String::from_utf8_lossy(&out.get_output().stdout))
}

/// `run` with the fast bootstrap and JSON output.
fn run_json(args: &[&str]) -> Value {
    run(&[args, &FAST, &["--format", "json"]].concat())
}

/// Run xreport in `dir`, expecting exit 2; its stderr, which must not be a panic.
fn fails_in(dir: &Path, args: &[&str]) -> String {
    let out = xreport().current_dir(dir).args(args).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn fails(args: &[&str]) -> String {
    fails_in(&root(), args)
}

/// The conditions of a summary or compare JSON, in order of first appearance.
fn conditions(json: &Value) -> Vec<String> {
    let mut seen = Vec::new();
    for g in json["groups"].as_array().expect("groups") {
        let c = g["condition"].as_str().expect("condition").to_string();
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen
}

fn metric_names(json: &Value) -> BTreeSet<String> {
    json["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .map(|m| m["name"].as_str().expect("name").to_string())
        .collect()
}

fn group<'a>(json: &'a Value, condition: &str, metric: &str) -> &'a Value {
    json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["condition"] == condition && g["metric"] == metric)
        .unwrap_or_else(|| panic!("no group {condition} / {metric} in {}", json["groups"]))
}

/// Copy a folder tree (fixtures are small).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let kind = entry.file_type().expect("file type");
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).expect("copy");
        } // symlinks (W&B's latest-run, debug.log) are not needed
    }
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

// ------------------------------------------------ what the fixtures say

/// One seed of one condition as the generating library recorded it.
#[derive(Debug, Clone)]
struct Job {
    path: String,
    seed: String,
    acc: f64,
    loss: f64,
}

/// The condition DESIGN 10 names a Hydra job by: its overrides minus the
/// seed override, `key=value` sorted by key and `, `-joined; with none left,
/// the name of the case folder.
fn hydra_condition(case: &str, job: &Value) -> String {
    let mut pairs: Vec<(String, String)> = strs(&job["overrides"])
        .iter()
        .map(|o| {
            let (k, v) = o
                .trim_start_matches('+')
                .split_once('=')
                .expect("key=value");
            (k.to_string(), v.to_string())
        })
        .filter(|(k, _)| k != "seed" && !k.ends_with(".seed"))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        return case.to_string();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Condition → its jobs by seed from tests/fixtures/hydra/expected.json; of
/// two jobs with one seed (a repeat) the first, the one that counts.
fn hydra_expected(case: &str) -> BTreeMap<String, Vec<Job>> {
    let expected = fixture(&format!("{HYDRA}/expected.json"));
    let mut by_condition: BTreeMap<String, Vec<Job>> = BTreeMap::new();
    for job in expected[case].as_array().expect("case") {
        let jobs = by_condition.entry(hydra_condition(case, job)).or_default();
        let seed = job["seed"].as_str().expect("seed").to_string();
        if jobs.iter().any(|j| j.seed == seed) {
            continue;
        }
        jobs.push(Job {
            path: format!("{HYDRA}/{}", job["path"].as_str().expect("path")),
            seed,
            acc: num(&job["test.acc"]),
            loss: num(&job["test.loss"]),
        });
    }
    for jobs in by_condition.values_mut() {
        jobs.sort_by_key(|j| j.seed.parse::<i64>().expect("integer seed"));
    }
    by_condition
}

/// A summary/compare JSON holds exactly these conditions, each with its
/// seeds and its test.acc / test.loss values exactly.
fn assert_groups_are(json: &Value, expected: &BTreeMap<String, Vec<Job>>) {
    let got: BTreeSet<String> = conditions(json).into_iter().collect();
    let want: BTreeSet<String> = expected.keys().cloned().collect();
    assert_eq!(got, want, "conditions");
    for (condition, jobs) in expected {
        let seeds: Vec<String> = jobs.iter().map(|j| j.seed.clone()).collect();
        for (metric, values) in [
            ("test.acc", jobs.iter().map(|j| j.acc).collect::<Vec<_>>()),
            ("test.loss", jobs.iter().map(|j| j.loss).collect::<Vec<_>>()),
        ] {
            let g = group(json, condition, metric);
            assert_eq!(num(&g["n"]), jobs.len() as f64, "{condition} {metric} n");
            assert_eq!(seed_ids(&g["seeds"]), seeds, "{condition} {metric} seeds");
            assert_eq!(nums(&g["values"]), values, "{condition} {metric} values");
        }
    }
}

/// W&B run id → its record in tests/fixtures/wandb/expected.json.
fn wandb_expected(version: &str) -> serde_json::Map<String, Value> {
    fixture(&format!("{WANDB}/expected.json"))[version]
        .as_object()
        .expect("version")
        .clone()
}

/// The runs of `model` in a W&B version, ordered by seed.
fn wandb_runs(version: &str, model: &str) -> Vec<Value> {
    let mut runs: Vec<Value> = wandb_expected(version)
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r["model"] == model)
        .collect();
    runs.sort_by_key(|r| num(&r["seed"]) as i64);
    runs
}

/// lm-eval's `results.<task>.<metric>,<filter>` as xreport names it:
/// `<task>.<metric>`, or `<task>.<metric>/<filter>` for a filter other than
/// `none`. Other keys (`groups.*`) are not metrics of their own.
fn lm_eval_metric(key: &str) -> Option<String> {
    let rest = key.strip_prefix("results.")?;
    let (name, filter) = rest.rsplit_once(',')?;
    Some(if filter == "none" {
        name.to_string()
    } else {
        format!("{name}/{filter}")
    })
}

/// Metric → value of one lm-eval results file, per expected.json.
fn lm_eval_values(results_file: &str) -> BTreeMap<String, f64> {
    let expected = fixture(&format!("{LM_EVAL}/expected.json"));
    let entry = &expected["results"][results_file];
    assert!(entry.is_object(), "{results_file} not in expected.json");
    entry["values"]
        .as_object()
        .expect("values")
        .iter()
        .filter_map(|(k, v)| lm_eval_metric(k).map(|m| (m, num(&v["value"]))))
        .collect()
}

/// The one results file of `folder` (relative to tests/fixtures/lm_eval) in
/// expected.json, or the newest of several.
fn lm_eval_newest(folder: &str) -> String {
    let expected = fixture(&format!("{LM_EVAL}/expected.json"));
    expected["results"]
        .as_object()
        .expect("results")
        .keys()
        .filter(|k| k.starts_with(&format!("{folder}/")))
        .max()
        .unwrap_or_else(|| panic!("no results file under {folder}"))
        .clone()
}

/// The chunks of a W&B `.wandb` log (LevelDB log framing after the 7-byte
/// `:W&B` header): (offset of the chunk header, data length, chunk type).
fn wandb_chunks(log: &[u8]) -> Vec<(usize, usize, u8)> {
    const BLOCK: usize = 32 * 1024;
    let mut chunks = Vec::new();
    let mut at = 7;
    while at + 7 <= log.len() {
        if BLOCK - at % BLOCK < 7 {
            at += BLOCK - at % BLOCK; // block trailer padding
            continue;
        }
        let len = u16::from_le_bytes([log[at + 4], log[at + 5]]) as usize;
        chunks.push((at, len, log[at + 6]));
        at += 7 + len;
    }
    chunks
}

/// The offset of the first record a cut at `cut` bytes leaves incomplete.
fn first_cut_record(log: &[u8], cut: usize) -> usize {
    let mut record_start = 7;
    for (at, len, kind) in wandb_chunks(log) {
        if kind == 1 || kind == 2 {
            record_start = at; // FULL or FIRST chunk: a record begins
        }
        if at + 7 + len > cut {
            return record_start;
        }
    }
    panic!("the cut at {cut} leaves every record whole");
}

fn status_of<'a>(check: &'a Value, id: &str) -> &'a Value {
    check["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

/// runs/{baseline,control,new}/seed_{1,2,3}/results.json in a temp folder.
fn three_folder_study(names: &[&str]) -> tempfile::TempDir {
    let mut files = Vec::new();
    for (i, name) in names.iter().enumerate() {
        for seed in 1..=3 {
            files.push((
                format!("runs/{name}/seed_{seed}/results.json"),
                format!(
                    "{{\"acc\": {}}}",
                    0.5 + 0.125 * i as f64 + 0.015625 * seed as f64
                ),
            ));
        }
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    tree(&files)
}

// ------------------------------------------------------------------ Hydra

#[test]
fn a_hydra_multirun_sweep_is_two_model_conditions_of_three_seeds_never_six_numbered_jobs() {
    let expected = hydra_expected("multirun");
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        ["model=baseline", "model=treatment"]
    );
    for dir in [
        "tests/fixtures/hydra/multirun/2026-12-01/20-30-01",
        "tests/fixtures/hydra/multirun",
    ] {
        let json = run_json(&["summary", dir]);
        assert_groups_are(&json, &expected);
        for job in 0..6 {
            assert!(
                !conditions(&json).contains(&job.to_string()),
                "{dir}: condition `{job}` from a job number"
            );
        }
    }
}

#[test]
fn compare_on_a_hydra_sweep_takes_model_baseline_as_the_default_baseline() {
    let expected = hydra_expected("multirun");
    let json = run_json(&["compare", "tests/fixtures/hydra/multirun"]);
    let comparisons = json["comparisons"].as_array().expect("comparisons");
    assert_eq!(comparisons.len(), 2, "one treatment, two metrics");
    for c in comparisons {
        assert_eq!(c["baseline"], "model=baseline");
        assert_eq!(c["treatment"], "model=treatment");
        let pick = |j: &Job| {
            if c["metric"] == "test.acc" {
                j.acc
            } else {
                j.loss
            }
        };
        let base: Vec<f64> = expected["model=baseline"].iter().map(pick).collect();
        let treat: Vec<f64> = expected["model=treatment"].iter().map(pick).collect();
        let want = mean(&treat) - mean(&base);
        let diff = num(&c["diff"]);
        assert!(
            (diff - want).abs() <= 1e-12,
            "{}: diff {diff}, expected {want}",
            c["metric"]
        );
    }
}

#[test]
fn two_swept_keys_name_four_conditions_sorted_by_key_and_comma_joined() {
    let expected = hydra_expected("two_keys");
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        [
            "model=baseline, optim.lr=0.001",
            "model=baseline, optim.lr=0.01",
            "model=treatment, optim.lr=0.001",
            "model=treatment, optim.lr=0.01",
        ]
    );
    assert_groups_are(
        &run_json(&["summary", "tests/fixtures/hydra/two_keys"]),
        &expected,
    );
    let explicit = run_json(&[
        "summary",
        "tests/fixtures/hydra/two_keys",
        "--group-by",
        "model,optim.lr",
    ]);
    assert_groups_are(&explicit, &expected);
}

#[test]
fn grouping_two_swept_keys_by_model_alone_exits_2_naming_the_other_key() {
    let stderr = fails(&[
        "summary",
        "tests/fixtures/hydra/two_keys",
        "--group-by",
        "model",
    ]);
    assert!(stderr.contains("optim.lr"), "{stderr}");
}

#[test]
fn a_two_key_baseline_is_accepted_without_the_space() {
    let json = run_json(&[
        "compare",
        "tests/fixtures/hydra/two_keys",
        "--baseline",
        "model=baseline,optim.lr=0.001",
    ]);
    let comparisons = json["comparisons"].as_array().expect("comparisons");
    assert_eq!(comparisons.len(), 6, "three treatments, two metrics");
    for c in comparisons {
        assert_eq!(c["baseline"], "model=baseline, optim.lr=0.001");
    }
}

#[test]
fn a_sweep_with_override_dirname_subfolders_reads_seeds_and_conditions_from_the_folder_names() {
    let expected = hydra_expected("subdir");
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        ["model=baseline", "model=treatment"]
    );
    assert_groups_are(
        &run_json(&["summary", "tests/fixtures/hydra/subdir"]),
        &expected,
    );
}

#[test]
fn a_nested_training_seed_override_is_the_seed() {
    let expected = hydra_expected("nested_seed");
    for jobs in expected.values() {
        assert_eq!(
            jobs.iter().map(|j| j.seed.as_str()).collect::<Vec<_>>(),
            ["1", "2", "3"]
        );
    }
    assert_groups_are(
        &run_json(&["summary", "tests/fixtures/hydra/nested_seed"]),
        &expected,
    );
}

#[test]
fn two_hydra_jobs_of_one_seed_count_once_and_are_listed_as_repeats() {
    let expected = hydra_expected("repeat");
    let json = run_json(&["summary", "tests/fixtures/hydra/repeat"]);
    assert_groups_are(&json, &expected);
    let cases = fixture(&format!("{HYDRA}/expected.json"));
    let job_path = |i: usize| {
        format!(
            "{HYDRA}/{}",
            cases["repeat"][i]["path"].as_str().expect("path")
        )
    };
    let repeat = json["repeats"]
        .as_array()
        .expect("repeats")
        .iter()
        .find(|r| r["condition"] == "model=baseline" && r["metric"] == "test.acc")
        .unwrap_or_else(|| panic!("no repeat of model=baseline in {}", json["repeats"]));
    assert_eq!(seed_ids(&Value::Array(vec![repeat["seed"].clone()])), ["1"]);
    assert_eq!(strs(&repeat["paths"]), [job_path(0), job_path(1)]);
    let acc = num(&cases["repeat"][0]["test.acc"]);
    assert_eq!(nums(&repeat["values"]), [acc, acc]);
}

#[test]
fn a_sweep_without_hydra_folders_exits_2_naming_the_job_and_output_subdir() {
    let stderr = fails(&["summary", "tests/fixtures/hydra/no_hydra_dir"]);
    let jobs = fixture(&format!("{HYDRA}/expected.json"))["no_hydra_dir"].clone();
    let named = jobs
        .as_array()
        .expect("jobs")
        .iter()
        .any(|j| stderr.contains(&format!("{HYDRA}/{}:", j["path"].as_str().expect("path"))));
    assert!(named, "no job folder named: {stderr}");
    assert!(stderr.contains(".hydra/"), "{stderr}");
    assert!(stderr.contains("hydra.output_subdir"), "{stderr}");
}

#[test]
fn single_hydra_runs_under_outputs_date_time_are_one_condition_of_three_seeds() {
    let expected = hydra_expected("single_run");
    assert_eq!(expected.keys().collect::<Vec<_>>(), ["single_run"]);
    assert_groups_are(
        &run_json(&["summary", "tests/fixtures/hydra/single_run"]),
        &expected,
    );
}

#[test]
fn a_hydra_config_that_disagrees_with_its_seed_override_exits_2_naming_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &root().join(HYDRA).join("multirun"),
        &dir.path().join("multirun"),
    );
    let job = dir.path().join("multirun/2026-12-01/20-30-01/0");
    let config = job.join(".hydra/config.yaml");
    let text = std::fs::read_to_string(&config).expect("config");
    assert!(text.contains("\nseed: 1\n"), "{text}");
    std::fs::write(&config, text.replace("\nseed: 1\n", "\nseed: 7\n")).expect("write");
    let stderr = fails(&[
        "summary",
        dir.path().join("multirun").to_str().expect("utf-8"),
    ]);
    assert!(
        stderr.contains(job.to_str().expect("utf-8")),
        "job not named: {stderr}"
    );
    assert!(stderr.contains("override"), "{stderr}");
    assert!(stderr.contains("config.yaml"), "{stderr}");
    assert!(
        stderr.contains('7') && stderr.contains("seed=1"),
        "{stderr}"
    );
}

// ------------------------------------------------------------------- W&B

#[test]
fn wandb_offline_runs_of_both_versions_give_the_logged_eval_numbers_and_no_wandb_internals() {
    for version in ["v0_17", "v0_31"] {
        let dir = format!("{WANDB}/{version}/wandb");
        let json = run_json(&["summary", &dir]);
        assert_eq!(
            conditions(&json),
            ["model=baseline", "model=treatment"],
            "{version}"
        );
        let names = metric_names(&json);
        for internal in ["_wandb.runtime", "_runtime", "_step", "_timestamp"] {
            assert!(
                !names.contains(internal),
                "{version}: {internal} is a metric"
            );
        }
        assert_eq!(
            names,
            BTreeSet::from([
                "eval/accuracy".into(),
                "eval/loss".into(),
                "train/loss".into()
            ]),
            "{version}"
        );
        for model in ["baseline", "treatment"] {
            let runs = wandb_runs(version, model);
            let condition = format!("model={model}");
            for metric in ["eval/accuracy", "eval/loss"] {
                let g = group(&json, &condition, metric);
                assert_eq!(num(&g["n"]), 3.0, "{version} {condition} {metric}");
                assert_eq!(seed_ids(&g["seeds"]), ["1", "2", "3"]);
                let want: Vec<f64> = runs.iter().map(|r| num(&r[metric])).collect();
                assert_eq!(nums(&g["values"]), want, "{version} {condition} {metric}");
            }
        }
        let runs = run(&["runs", &dir, "--format", "json"]);
        let metadata: BTreeSet<String> = strs(&runs["metadata_keys"]).into_iter().collect();
        for internal in ["_wandb.runtime", "_runtime", "_step", "_timestamp"] {
            assert!(
                metadata.contains(internal),
                "{version}: {internal} not listed as metadata"
            );
        }
    }
}

#[test]
fn a_wandb_training_loss_reduces_to_its_value_at_the_last_logged_step() {
    for version in ["v0_17", "v0_31"] {
        let dir = format!("{WANDB}/{version}/wandb");
        let json = run_json(&[
            "summary",
            &dir,
            "--metric",
            "train/loss",
            "--reduce",
            "last",
        ]);
        let curves = run_json(&["curves", &dir, "--metric", "train/loss"]);
        for model in ["baseline", "treatment"] {
            let condition = format!("model={model}");
            let runs = wandb_runs(version, model);
            let last: Vec<f64> = runs
                .iter()
                .map(|r| {
                    let history = r["train/loss"].as_array().expect("history");
                    let point = history.last().expect("a point");
                    assert_eq!(num(&point[0]), 4.0, "the last step is 4");
                    num(&point[1])
                })
                .collect();
            let g = group(&json, &condition, "train/loss");
            assert_eq!(nums(&g["values"]), last, "{version} {condition}");
            let curve = curves["curves"]
                .as_array()
                .expect("curves")
                .iter()
                .find(|c| c["condition"] == condition.as_str() && c["metric"] == "train/loss")
                .unwrap_or_else(|| panic!("no curve for {condition}"));
            let points = curve["points"].as_array().expect("points");
            assert_eq!(points.len(), 5, "{version} {condition}: steps 0..4");
            for (i, p) in points.iter().enumerate() {
                let at_step: Vec<f64> = runs.iter().map(|r| num(&r["train/loss"][i][1])).collect();
                assert_eq!(num(&p["step"]), num(&runs[0]["train/loss"][i][0]));
                assert_eq!(num(&p["n"]), 3.0);
                assert_eq!(
                    num(&p["mean"]),
                    mean(&at_step),
                    "{version} {condition} step {i}"
                );
            }
        }
    }
}

#[test]
fn a_wandb_log_cut_short_is_read_up_to_the_cut_with_a_note_naming_the_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &root().join(WANDB).join("v0_31/wandb"),
        &dir.path().join("wandb"),
    );
    let log = dir
        .path()
        .join("wandb/offline-run-20261202_014014-basel001/run-basel001.wandb");
    let bytes = std::fs::read(&log).expect("log");
    let cut = bytes.len() / 2;
    std::fs::write(&log, &bytes[..cut]).expect("truncate");
    let record = first_cut_record(&bytes, cut);
    let out = xreport()
        .arg("summary")
        .arg(dir.path().join("wandb"))
        .args(FAST)
        .args(["--format", "json"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let note = stderr
        .lines()
        .find(|l| l.starts_with("note:") && l.contains("run-basel001.wandb"))
        .unwrap_or_else(|| panic!("no note on the cut log: {stderr}"));
    assert!(
        note.contains(&format!(
            "cut short: what follows byte {record} is an incomplete record"
        )),
        "{note}"
    );
    // The other runs are untouched.
    let json = lossless(&String::from_utf8_lossy(&out.get_output().stdout));
    let want: Vec<f64> = wandb_runs("v0_31", "treatment")
        .iter()
        .map(|r| num(&r["eval/accuracy"]))
        .collect();
    assert_eq!(
        nums(&group(&json, "model=treatment", "eval/accuracy")["values"]),
        want
    );
}

#[test]
fn a_flipped_byte_in_a_wandb_record_exits_2_naming_the_log_and_the_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &root().join(WANDB).join("v0_31/wandb"),
        &dir.path().join("wandb"),
    );
    let log = dir
        .path()
        .join("wandb/offline-run-20261202_014014-basel001/run-basel001.wandb");
    let mut bytes = std::fs::read(&log).expect("log");
    let (at, len, _) = wandb_chunks(&bytes)
        .into_iter()
        .find(|&(_, len, _)| len >= 64)
        .expect("a chunk of 64+ bytes");
    bytes[at + 7 + len / 2] ^= 0xff;
    std::fs::write(&log, &bytes).expect("write");
    let stderr = fails(&["summary", dir.path().join("wandb").to_str().expect("utf-8")]);
    assert!(stderr.contains("run-basel001.wandb"), "{stderr}");
    assert!(stderr.contains("byte"), "{stderr}");
}

#[test]
fn a_wandb_run_whose_config_has_no_seed_exits_2_unknown_seed_naming_the_run() {
    let dir = tree(&[
        (
            "wandb/offline-run-20261202_020000-noseed01/files/config.yaml",
            "model:\n  value: baseline\n",
        ),
        (
            "wandb/offline-run-20261202_020000-noseed01/files/wandb-summary.json",
            "{\"eval/accuracy\": 0.75}",
        ),
    ]);
    let stderr = fails(&["summary", dir.path().join("wandb").to_str().expect("utf-8")]);
    let run = dir
        .path()
        .join("wandb/offline-run-20261202_020000-noseed01");
    assert!(stderr.contains(run.to_str().expect("utf-8")), "{stderr}");
    assert!(stderr.contains("unknown seed"), "{stderr}");
}

// --------------------------------------------------------------- lm-eval

#[test]
fn lm_eval_metrics_are_task_metric_filter_names_and_nothing_outside_results() {
    let json = run_json(&["summary", "tests/fixtures/lm_eval/seed_1"]);
    assert_eq!(conditions(&json), ["base-model", "tuned-model"]);
    let names = metric_names(&json);
    let file = lm_eval_newest("seed_1/base-model");
    let want: BTreeSet<String> = lm_eval_values(&file).into_keys().collect();
    assert_eq!(names, want);
    assert!(names.contains("xr_gen.exact_match/strict-match"));
    assert!(names.contains("xr_mc_a.acc"));
    for name in &names {
        for outside in ["configs.", "n-samples.", "config.", "versions.", "groups."] {
            assert!(!name.starts_with(outside), "{name} is a metric");
        }
        assert!(
            !name.contains("_stderr") && !name.contains("stderr."),
            "{name} is a metric"
        );
    }
}

#[test]
fn lm_eval_directions_come_from_higher_is_better() {
    let json = run_json(&["summary", "tests/fixtures/lm_eval/seed_1"]);
    let expected = fixture(&format!("{LM_EVAL}/expected.json"));
    let hib =
        &expected["results"][lm_eval_newest("seed_1/base-model").as_str()]["higher_is_better"];
    for m in json["metrics"].as_array().expect("metrics") {
        let name = m["name"].as_str().expect("name");
        let (task, metric) = name.split_once('.').expect("task.metric");
        let metric = metric.split('/').next().expect("metric");
        let higher = &hib[task][metric];
        assert!(higher.is_boolean(), "{name}: no higher_is_better");
        let want = if higher.as_bool() == Some(true) {
            "higher"
        } else {
            "lower"
        };
        assert_eq!(m["direction"], want, "{name}");
    }
    let bpb = json["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["name"] == "xr_ppl.bits_per_byte")
        .expect("xr_ppl.bits_per_byte");
    assert_eq!(bpb["direction"], "lower");
}

#[test]
fn lm_eval_values_are_the_results_files_numbers_exactly() {
    let json = run_json(&["summary", "tests/fixtures/lm_eval"]);
    let mut wrong = Vec::new();
    for g in json["groups"].as_array().expect("groups") {
        let condition = g["condition"].as_str().expect("condition");
        let model = condition.rsplit('/').next().expect("model");
        let metric = g["metric"].as_str().expect("metric");
        for (seed, value) in seed_ids(&g["seeds"]).iter().zip(nums(&g["values"])) {
            let folder = if seed.contains(',') {
                format!("default_seed/{model}")
            } else {
                format!("seed_{seed}/{model}")
            };
            let file = lm_eval_newest(&folder);
            let want = lm_eval_values(&file)[metric];
            if value != want {
                wrong.push(format!("{file} {metric}: xreport {value:?}, file {want:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "values read inexactly:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn lm_eval_seed_folders_are_seeds_of_the_model_folders() {
    let json = run_json(&[
        "summary",
        "tests/fixtures/lm_eval",
        "--metric",
        "xr_mc_a.acc",
    ]);
    for model in ["base-model", "tuned-model"] {
        let g = group(&json, model, "xr_mc_a.acc");
        assert_eq!(seed_ids(&g["seeds"]), ["1", "2", "3"], "{model}");
        let want: Vec<f64> = (1..=3)
            .map(|s| lm_eval_values(&lm_eval_newest(&format!("seed_{s}/{model}")))["xr_mc_a.acc"])
            .collect();
        assert_eq!(nums(&g["values"]), want, "{model}");
    }
}

#[test]
fn lm_eval_default_seed_is_one_seed_and_the_older_results_file_a_repeat() {
    let folder = "default_seed/base-model";
    let expected = fixture(&format!("{LM_EVAL}/expected.json"));
    let mut files: Vec<String> = expected["results"]
        .as_object()
        .expect("results")
        .keys()
        .filter(|k| k.starts_with(&format!("{folder}/")))
        .map(|k| format!("{LM_EVAL}/{k}"))
        .collect();
    files.sort(); // results_<timestamp>.json: by name is by time
    assert_eq!(files.len(), 2, "{files:?}");
    let (older, newer) = (files[0].clone(), files[1].clone());

    let runs = run(&["runs", "tests/fixtures/lm_eval", "--format", "json"]);
    let condition = runs["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .find(|c| strs(&c["runs"]).iter().any(|r| r.contains("default_seed/")))
        .expect("the default_seed condition");
    assert_eq!(condition["condition"], "default_seed/base-model");
    assert_eq!(seed_ids(&condition["seeds"]), ["0,1234,1234,1234"]);
    assert_eq!(strs(&condition["runs"]), [newer], "the newest file counts");
    let repeats: Vec<&Value> = runs["repeats"]
        .as_array()
        .expect("repeats")
        .iter()
        .filter(|r| r["condition"] == "default_seed/base-model")
        .collect();
    assert_eq!(repeats.len(), 1, "{}", runs["repeats"]);
    assert_eq!(repeats[0]["path"], older.as_str());
    assert_eq!(repeats[0]["seed"], "0,1234,1234,1234");
}

#[test]
fn an_lm_eval_repeat_reports_the_repeated_files_own_values() {
    let expected = fixture(&format!("{LM_EVAL}/expected.json"));
    let json = run_json(&["summary", "tests/fixtures/lm_eval/default_seed"]);
    let repeats = json["repeats"].as_array().expect("repeats");
    assert!(!repeats.is_empty(), "no repeats");
    let mut wrong = Vec::new();
    for r in repeats {
        let metric = r["metric"].as_str().expect("metric");
        for (path, value) in strs(&r["paths"])
            .iter()
            .zip(r["values"].as_array().expect("values"))
        {
            let file = path
                .strip_prefix(&format!("{LM_EVAL}/"))
                .expect("fixture path");
            assert!(expected["results"][file].is_object(), "{file}");
            let want = lm_eval_values(file)[metric];
            // Exactness is the business of
            // `lm_eval_values_are_the_results_files_numbers_exactly`; here the
            // repeated file's value must be there and be its own.
            if value.is_null() || (num(value) - want).abs() > 1e-15 * want.abs() {
                wrong.push(format!("{file} {metric}: xreport {value}, file {want:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "repeat values:\n{}", wrong.join("\n"));
}

#[test]
fn lm_eval_sample_logs_give_per_example_comparisons_over_every_document() {
    let json = run_json(&[
        "compare",
        "tests/fixtures/lm_eval/seed_1",
        "--baseline",
        "base-model",
    ]);
    let comparison = json["comparisons"]
        .as_array()
        .expect("comparisons")
        .iter()
        .find(|c| c["metric"] == "xr_mc_a.acc")
        .expect("xr_mc_a.acc compared");
    assert_eq!(comparison["treatment"], "tuned-model");
    let examples = &comparison["examples"];
    assert!(examples.is_object(), "no examples object: {comparison}");

    // Per document: the acc of each model, from the sample logs themselves.
    let acc_by_doc = |model: &str| -> BTreeMap<i64, f64> {
        let folder = root().join(LM_EVAL).join("seed_1").join(model);
        let file = std::fs::read_dir(&folder)
            .expect("model folder")
            .map(|e| e.expect("entry").path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("samples_xr_mc_a_"))
            })
            .expect("samples_xr_mc_a_*.jsonl");
        std::fs::read_to_string(&file)
            .expect("samples")
            .lines()
            .map(lossless)
            .map(|s| (num(&s["doc_id"]) as i64, num(&s["acc"])))
            .collect()
    };
    let base = acc_by_doc("base-model");
    let tuned = acc_by_doc("tuned-model");
    let lines = fixture(&format!("{LM_EVAL}/expected.json"))["samples"]
        .as_object()
        .expect("samples")
        .iter()
        .find(|(k, _)| k.starts_with("seed_1/base-model/samples_xr_mc_a_"))
        .map(|(_, v)| num(&v["lines"]))
        .expect("expected samples");
    assert_eq!(
        base.len() as f64,
        lines,
        "one line per document (filter none)"
    );
    assert_eq!(num(&examples["n"]), base.len() as f64, "{examples}");
    let diffs: Vec<f64> = base.iter().map(|(doc, b)| tuned[doc] - b).collect();
    assert_eq!(num(&examples["diff"]), mean(&diffs), "{examples}");
}

// ------------------------------------------------------ Hugging Face Trainer

#[test]
fn hf_trainer_metrics_are_eval_and_train_numbers_and_the_diagnostics_are_metadata() {
    let json = run_json(&[
        "summary",
        "tests/fixtures/hf_trainer/baseline",
        "tests/fixtures/hf_trainer/warmup",
    ]);
    let names = metric_names(&json);
    for metric in ["eval_accuracy", "eval_loss", "train_loss", "loss"] {
        assert!(names.contains(metric), "{metric} missing from {names:?}");
    }
    for diagnostic in [
        "learning_rate",
        "grad_norm",
        "epoch",
        "total_flos",
        "eval_runtime",
        "eval_samples_per_second",
        "train_samples",
    ] {
        assert!(!names.contains(diagnostic), "{diagnostic} is a metric");
    }
    let expected = fixture(&format!("{HF}/expected.json"));
    for condition in ["baseline", "warmup"] {
        let mut runs: Vec<&Value> = expected["runs"]
            .as_array()
            .expect("runs")
            .iter()
            .filter(|r| {
                r["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with(&format!("{condition}/")))
            })
            .collect();
        runs.sort_by_key(|r| num(&r["seed"]) as i64);
        for metric in ["eval_accuracy", "eval_loss"] {
            let g = group(&json, condition, metric);
            assert_eq!(seed_ids(&g["seeds"]), ["1", "2", "3"]);
            let want: Vec<f64> = runs.iter().map(|r| num(&r[metric])).collect();
            assert_eq!(nums(&g["values"]), want, "{condition} {metric}");
        }
    }
}

#[test]
fn an_explicit_metric_brings_the_hf_learning_rate_back() {
    let json = run_json(&[
        "summary",
        "tests/fixtures/hf_trainer/baseline",
        "tests/fixtures/hf_trainer/warmup",
        "--metric",
        "learning_rate",
    ]);
    assert_eq!(
        metric_names(&json),
        BTreeSet::from(["learning_rate".to_string()])
    );
    assert_eq!(conditions(&json), ["baseline", "warmup"]);
}

#[test]
fn the_hf_learning_rate_schedule_does_not_trip_the_seeds_varied_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    for condition in ["baseline", "warmup"] {
        copy_dir(
            &root().join(HF).join(condition),
            &dir.path().join("runs").join(condition),
        );
    }
    let out = xreport()
        .current_dir(dir.path())
        .args(["check", "runs", "--format", "json"])
        .args(FAST)
        .assert();
    let code = out.get_output().status.code();
    assert!(matches!(code, Some(0 | 1)), "check exit {code:?}");
    let json = lossless(&String::from_utf8_lossy(&out.get_output().stdout));
    let varied = status_of(&json, "seeds.varied");
    assert_eq!(varied["status"], "pass", "{varied}");
    for line in strs(&varied["evidence"]) {
        assert!(!line.contains("learning_rate"), "{line}");
    }
}

#[test]
fn a_single_hf_output_folder_reads_its_seed_from_the_model_card() {
    let runs = run(&[
        "runs",
        "tests/fixtures/hf_trainer/single",
        "--format",
        "json",
    ]);
    let conditions = runs["conditions"].as_array().expect("conditions");
    assert_eq!(conditions.len(), 1);
    assert_eq!(seed_ids(&conditions[0]["seeds"]), ["1"]);
    let expected = fixture(&format!("{HF}/expected.json"));
    let single = expected["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .find(|r| r["path"] == "single")
        .expect("single");
    assert_eq!(seed_ids(&Value::Array(vec![single["seed"].clone()])), ["1"]);
    let json = run_json(&[
        "summary",
        "tests/fixtures/hf_trainer/single",
        "--metric",
        "eval_*",
    ]);
    assert_eq!(
        nums(&group(&json, "single", "eval_accuracy")["values"]),
        [num(&single["eval_accuracy"])]
    );
}

// ------------------------------------------------------------ xreport runs

#[test]
fn runs_json_shows_each_condition_with_its_source_keys_seeds_runs_and_metrics() {
    let json = run(&["runs", "tests/fixtures/hydra/two_keys", "--format", "json"]);
    assert_eq!(json["schema"], "xreport.runs/1");
    assert!(json["metadata_keys"].is_array(), "metadata_keys");
    assert!(json["skipped"].is_array(), "skipped");
    let expected = hydra_expected("two_keys");
    let cases = fixture(&format!("{HYDRA}/expected.json"));
    let got = json["conditions"].as_array().expect("conditions");
    assert_eq!(got.len(), expected.len());
    for c in got {
        let name = c["condition"].as_str().expect("condition");
        let jobs = &expected[name];
        assert_eq!(c["source"], "overrides", "{name}");
        let job = cases["two_keys"]
            .as_array()
            .expect("jobs")
            .iter()
            .find(|j| format!("{HYDRA}/{}", j["path"].as_str().expect("path")) == jobs[0].path)
            .expect("job");
        let keys: serde_json::Map<String, Value> = strs(&job["overrides"])
            .iter()
            .filter_map(|o| o.split_once('='))
            .filter(|(k, _)| *k != "seed")
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect();
        assert_eq!(c["keys"], Value::Object(keys), "{name}");
        assert_eq!(seed_ids(&c["seeds"]), ["1", "2", "3"], "{name}");
        assert_eq!(
            strs(&c["runs"]),
            jobs.iter().map(|j| j.path.clone()).collect::<Vec<_>>(),
            "{name}"
        );
        assert_eq!(strs(&c["metrics"]), ["test.acc", "test.loss"], "{name}");
    }
}

#[test]
fn runs_json_of_wandb_runs_says_the_condition_came_from_the_config_key_model() {
    for version in ["v0_17", "v0_31"] {
        let json = run(&[
            "runs",
            &format!("{WANDB}/{version}/wandb"),
            "--format",
            "json",
        ]);
        let got = json["conditions"].as_array().expect("conditions");
        assert_eq!(got.len(), 2, "{version}");
        for c in got {
            let name = c["condition"].as_str().expect("condition");
            let model = name.strip_prefix("model=").expect("model=…");
            assert_eq!(c["source"], "config", "{version} {name}");
            assert_eq!(
                c["keys"],
                serde_json::json!({ "model": model }),
                "{version} {name}"
            );
            assert_eq!(strs(&c["runs"]).len(), 3);
        }
    }
}

#[test]
fn runs_as_markdown_is_a_pipe_table_and_latex_is_refused() {
    let out = xreport()
        .args(["runs", "tests/fixtures/hydra/two_keys", "--format", "md"])
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(
        md.lines().next(),
        Some("| Condition | From | Seeds | Seed ids | Runs | Metrics |"),
        "{md}"
    );
    let rows = md.lines().filter(|l| l.starts_with("| model=")).count();
    assert_eq!(rows, 4, "{md}");
    let stderr = fails(&["runs", "tests/fixtures/hydra/two_keys", "--format", "latex"]);
    assert!(stderr.contains("latex"), "{stderr}");
}

// --------------------------------------------------------- default baseline

#[test]
fn two_conditions_named_as_baselines_exit_2_naming_both() {
    let dir = three_folder_study(&["baseline", "control", "new"]);
    let stderr = fails_in(dir.path(), &["compare", "runs", "--resamples", "100"]);
    assert!(
        stderr.contains("baseline") && stderr.contains("control"),
        "{stderr}"
    );
}

#[test]
fn check_also_refuses_two_conditions_named_as_baselines() {
    let dir = three_folder_study(&["baseline", "control", "new"]);
    let stderr = fails_in(dir.path(), &["check", "runs", "--resamples", "100"]);
    assert!(
        stderr.contains("baseline") && stderr.contains("control"),
        "{stderr}"
    );
}

#[test]
fn check_takes_a_control_condition_as_the_default_baseline_like_compare() {
    let dir = three_folder_study(&["control", "new"]);
    let out = xreport()
        .current_dir(dir.path())
        .args(["compare", "runs", "--format", "json"])
        .args(FAST)
        .assert()
        .success();
    let compare = lossless(&String::from_utf8_lossy(&out.get_output().stdout));
    assert_eq!(compare["comparisons"][0]["baseline"], "control");
    let out = xreport()
        .current_dir(dir.path())
        .args(["check", "runs", "--format", "json"])
        .args(FAST)
        .assert();
    let check = lossless(&String::from_utf8_lossy(&out.get_output().stdout));
    assert_eq!(check["roles"]["baseline"], "control", "{}", check["roles"]);
}

// ------------------------------------------------------------ the examples

#[test]
fn the_speech_ssl_example_still_reads_as_eight_folder_conditions() {
    let json = run(&["runs", "examples/speech-ssl/runs", "--format", "json"]);
    let got = json["conditions"].as_array().expect("conditions");
    assert_eq!(got.len(), 8, "{}", json["conditions"]);
    for c in got {
        assert_eq!(c["source"], "folder", "{}", c["condition"]);
    }
}

#[test]
fn a_hydra_run_with_the_default_model_is_named_by_hydras_group_choice() {
    // `python train.py seed=N` (the default model) beside
    // `python train.py model=treatment seed=N`: the default run has no model
    // override; `.hydra/hydra.yaml` records the group choice.
    let expected = fixture(&format!("{HYDRA}/expected.json"));
    let mut by_condition: BTreeMap<String, Vec<Job>> = BTreeMap::new();
    for job in expected["default_group"].as_array().expect("case") {
        let condition = format!("model={}", job["model"].as_str().expect("model"));
        by_condition.entry(condition).or_default().push(Job {
            path: format!("{HYDRA}/{}", job["path"].as_str().expect("path")),
            seed: job["seed"].as_str().expect("seed").to_string(),
            acc: num(&job["test.acc"]),
            loss: num(&job["test.loss"]),
        });
    }
    assert_eq!(
        by_condition.keys().collect::<Vec<_>>(),
        ["model=baseline", "model=treatment"]
    );
    let json = run_json(&["summary", &format!("{HYDRA}/default_group")]);
    assert_groups_are(&json, &by_condition);
    let runs = run(&[
        "runs",
        &format!("{HYDRA}/default_group"),
        "--format",
        "json",
    ]);
    for c in runs["conditions"].as_array().expect("conditions") {
        assert_eq!(c["source"], "overrides", "{c}");
        assert_eq!(
            strs(&Value::Array(
                c["keys"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(|k| Value::from(k.as_str()))
                    .collect()
            )),
            ["model"]
        );
    }
}

#[test]
fn an_older_lm_eval_results_json_is_one_evaluation_not_hundreds_of_metrics() {
    // lm-eval before 0.4.3 named its results file results.json.
    let dir = tempfile::tempdir().expect("temp dir");
    for seed in ["1", "2"] {
        let from = root()
            .join(LM_EVAL)
            .join(lm_eval_newest(&format!("seed_{seed}/base-model")));
        let to = dir.path().join(format!("runs/base/seed_{seed}"));
        std::fs::create_dir_all(&to).expect("mkdir");
        std::fs::copy(&from, to.join("results.json")).expect("copy");
    }
    let runs = dir.path().join("runs");
    let json = run_json(&["summary", runs.to_str().unwrap()]);
    let names = metric_names(&json);
    assert!(names.contains("xr_mc_a.acc"), "{names:?}");
    assert!(
        names
            .iter()
            .all(|m| !m.starts_with("config") && !m.starts_with("n-")),
        "{names:?}"
    );
    assert_eq!(num(&group(&json, "base", "xr_mc_a.acc")["n"]), 2.0);
}

#[test]
fn folders_without_a_run_say_what_they_hold() {
    let dir = tree(&[
        ("runs/a/seed_1/results.json", r#"{"acc": 0.5}"#),
        ("runs/a/seed_2/results.json", r#"{"acc": 0.6}"#),
        (
            "runs/a/seed_3/checkpoint-500/trainer_state.json",
            r#"{"log_history": []}"#,
        ),
        (
            "runs/wandb/run-20261201_203001-abc123/files/requirements.txt",
            "torch\n",
        ),
    ]);
    let runs = dir.path().join("runs");
    let json = run(&["runs", runs.to_str().unwrap(), "--format", "json"]);
    let reasons: Vec<String> = json["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s["path"].as_str().unwrap(),
                s["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r
            .contains("seed_3: a Hugging Face Trainer output with checkpoints only")
            && r.contains("checkpoint-500/trainer_state.json")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains(
            "run-20261201_203001-abc123: a W&B run with neither files/wandb-summary.json"
        ) && r.contains("run-<id>.wandb")),
        "{reasons:?}"
    );
}

#[test]
fn an_mlflow_artifact_folder_names_the_database_beside_it() {
    let dir = tree(&[
        ("mlflow.db", ""),
        ("mlruns/1/0a1b2c3d4e5f/artifacts/model.txt", "weights"),
    ]);
    let err = fails(&["summary", dir.path().join("mlruns").to_str().unwrap()]);
    assert!(err.contains("an MLflow artifact folder"), "{err}");
    assert!(err.contains("mlflow.db; pass that file"), "{err}");
}

#[test]
fn an_mlflow_sweep_logged_into_the_default_experiment_is_split_by_its_params() {
    let expected = fixture("tests/fixtures/mlflow_sweep/expected.json");
    let json = run_json(&[
        "summary",
        "tests/fixtures/mlflow_sweep/mlruns",
        "--metric",
        "test/acc",
    ]);
    assert_eq!(conditions(&json), ["model=baseline", "model=treatment"]);
    for model in ["baseline", "treatment"] {
        let g = group(&json, &format!("model={model}"), "test/acc");
        assert_eq!(seed_ids(&g["seeds"]), ["1", "2", "3"]);
        let want: Vec<f64> = ["1", "2", "3"]
            .iter()
            .map(|s| num(&expected[model][*s]))
            .collect();
        assert_eq!(nums(&g["values"]), want, "{model}");
    }
    let runs = run(&[
        "runs",
        "tests/fixtures/mlflow_sweep/mlruns",
        "--format",
        "json",
    ]);
    assert_eq!(runs["conditions"][0]["source"], "config");
}

#[test]
fn a_later_mlflow_rerun_of_a_seed_is_a_repeat_and_the_earliest_run_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("mlruns");
    copy_dir(&root().join("tests/fixtures/mlflow_sweep/mlruns"), &store);
    let expected = fixture("tests/fixtures/mlflow_sweep/expected.json");
    // Copy baseline seed 1 as a later run with another value.
    let experiment = store.join("0");
    let original = std::fs::read_dir(&experiment)
        .expect("experiment")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            std::fs::read_to_string(p.join("params/model")).is_ok_and(|m| m.trim() == "baseline")
                && std::fs::read_to_string(p.join("params/seed")).is_ok_and(|s| s.trim() == "1")
        })
        .expect("baseline seed 1");
    let rerun = experiment.join("0000aaaa93bf4c2598d4934ab16987e1");
    copy_dir(&original, &rerun);
    let meta = std::fs::read_to_string(rerun.join("meta.yaml")).expect("meta");
    let meta: String = meta
        .lines()
        .map(|l| {
            if l.starts_with("start_time:") {
                "start_time: 9796178053929".to_string()
            } else if l.starts_with("run_id:") {
                "run_id: 0000aaaa93bf4c2598d4934ab16987e1".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(rerun.join("meta.yaml"), meta).expect("meta");
    std::fs::write(rerun.join("metrics/test/acc"), "9796178053929 0.125 0\n").expect("metric");
    let json = run_json(&["summary", store.to_str().unwrap(), "--metric", "test/acc"]);
    let g = group(&json, "model=baseline", "test/acc");
    assert_eq!(nums(&g["values"])[0], num(&expected["baseline"]["1"]));
    let runs = run(&["runs", store.to_str().unwrap(), "--format", "json"]);
    let repeats = runs["repeats"].as_array().expect("repeats");
    assert_eq!(repeats.len(), 1, "{repeats:?}");
    assert!(
        repeats[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("0000aaaa93bf4c2598d4934ab16987e1"),
        "{repeats:?}"
    );
}

#[test]
fn a_resumed_wandb_run_is_read_from_its_newest_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wandb = dir.path().join("wandb");
    copy_dir(&root().join(format!("{WANDB}/v0_31/wandb")), &wandb);
    let first = std::fs::read_dir(&wandb)
        .expect("wandb")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("-basel001"))
        })
        .expect("basel001");
    let resumed = wandb.join("offline-run-20271231_235959-basel001");
    copy_dir(&first, &resumed);
    let runs = run(&["runs", wandb.to_str().unwrap(), "--format", "json"]);
    let skipped: Vec<String> = runs["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| s["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        skipped,
        ["an earlier part of the resumed W&B run basel001: its newest folder is read"]
    );
    let baseline = runs["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["condition"] == "model=baseline")
        .expect("baseline");
    assert_eq!(baseline["seeds"].as_array().unwrap().len(), 3);
    assert!(
        strs(&baseline["runs"])
            .iter()
            .any(|p| p.ends_with("offline-run-20271231_235959-basel001")),
        "{baseline}"
    );
}

#[test]
fn a_fixed_nested_data_seed_beside_the_run_seed_is_not_a_second_seed() {
    let mut files = Vec::new();
    for (model, base) in [("baseline", 0.5), ("treatment", 0.6)] {
        for seed in 1..=3 {
            files.push((
                format!("runs/{model}/run_{seed}/config.yaml"),
                format!("seed: {seed}\ndata:\n  seed: 1234\nmodel: {model}\n"),
            ));
            files.push((
                format!("runs/{model}/run_{seed}/results.json"),
                format!(r#"{{"acc": {}}}"#, base + seed as f64 / 64.0),
            ));
        }
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let dir = tree(&pairs);
    let json = run_json(&["summary", dir.path().join("runs").to_str().unwrap()]);
    for model in ["baseline", "treatment"] {
        assert_eq!(
            seed_ids(&group(&json, model, "acc")["seeds"]),
            ["1", "2", "3"]
        );
    }
}

#[test]
fn a_config_key_unique_to_every_run_does_not_make_every_run_a_condition() {
    // Runs in timestamped folders, their configs naming the run (exp_name)
    // and its start: the model is the condition, the rest identify runs.
    let mut files = Vec::new();
    for (i, (model, seed)) in [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("b", 3)]
        .into_iter()
        .enumerate()
    {
        let folder = format!("runs/20261201_2030{i:02}");
        files.push((
            format!("{folder}/config.json"),
            format!(
                r#"{{"model": "{model}", "seed": {seed}, "exp_name": "{model}_seed{seed}", "master_port": {}}}"#,
                29500 + i
            ),
        ));
        files.push((
            format!("{folder}/results.json"),
            format!(r#"{{"acc": 0.{i}}}"#),
        ));
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let dir = tree(&pairs);
    let runs = run(&[
        "runs",
        dir.path().join("runs").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let names: Vec<&str> = runs["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["condition"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["model=a", "model=b"]);
}

#[test]
fn results_one_level_below_a_seed_folder_in_a_timestamped_folder_are_that_seed() {
    let dir = tree(&[
        (
            "runs/exp/seed_1/20261201_203001/results.json",
            r#"{"acc": 0.5}"#,
        ),
        (
            "runs/exp/seed_2/20261201_203502/results.json",
            r#"{"acc": 0.625}"#,
        ),
        (
            "runs/exp/seed_2/20261202_090000/results.json",
            r#"{"acc": 0.75}"#,
        ),
    ]);
    let json = run_json(&["summary", dir.path().join("runs").to_str().unwrap()]);
    let g = group(&json, "exp", "acc");
    assert_eq!(seed_ids(&g["seeds"]), ["1", "2"]);
    // The earliest copy of seed 2 counts; the later one is a repeat.
    assert_eq!(nums(&g["values"]), [0.5, 0.625]);
    assert_eq!(json["repeats"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_wandb_runs_files_folder_given_directly_is_that_run() {
    let expected = wandb_expected("v0_31");
    let run_dir = std::fs::read_dir(root().join(format!("{WANDB}/v0_31/wandb")))
        .expect("wandb")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("-basel001"))
        })
        .expect("basel001");
    let files = run_dir.join("files");
    let json = run_json(&["summary", files.to_str().unwrap(), "--metric", "eval/*"]);
    let groups = json["groups"].as_array().expect("groups");
    let accuracy = groups
        .iter()
        .find(|g| g["metric"] == "eval/accuracy")
        .expect("eval/accuracy");
    assert_eq!(seed_ids(&accuracy["seeds"]), ["1"]);
    assert_eq!(
        nums(&accuracy["values"]),
        [num(&expected["basel001"]["eval/accuracy"])]
    );
}

#[test]
fn the_trainers_runtime_set_aside_as_metadata_still_counts_as_compute() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut seconds = 0.0;
    for condition in ["baseline", "warmup"] {
        copy_dir(
            &root().join(format!("{HF}/{condition}")),
            &dir.path().join(format!("runs/{condition}")),
        );
        for seed in 1..=3 {
            let all = fixture(&format!("{HF}/{condition}/seed_{seed}/all_results.json"));
            seconds += num(&all["train_runtime"]);
        }
    }
    let out = xreport()
        .current_dir(dir.path())
        .args(["check", "runs", "--format", "json", "--resamples", "1000"])
        .output()
        .expect("xreport runs");
    let json = lossless(&String::from_utf8_lossy(&out.stdout));
    let hours = num(&json["compute"]["gpu_hours"]);
    assert!(
        (hours - seconds / 3600.0).abs() < 1e-6,
        "{hours} vs {}",
        seconds / 3600.0
    );
}

#[test]
fn runs_lists_per_run_the_numbers_set_aside_as_metadata() {
    let runs = run(&["runs", HF, "--format", "json"]);
    let groups = runs["set_aside"].as_array().expect("set_aside");
    assert_eq!(groups.len(), 1, "{groups:?}");
    let keys = strs(&groups[0]["keys"]);
    for key in [
        "learning_rate",
        "grad_norm",
        "epoch",
        "train_runtime",
        "eval_samples",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
    }
    assert_eq!(strs(&groups[0]["runs"]).len(), 7);
    let text = xreport().args(["runs", HF]).assert().success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(
        text.contains("Numbers set aside as metadata in 7 runs"),
        "{text}"
    );
}

#[test]
fn a_hydra_sweep_and_wandb_runs_given_together_keep_their_own_conditions() {
    let runs = run(&[
        "runs",
        &format!("{HYDRA}/multirun"),
        &format!("{WANDB}/v0_31/wandb"),
        "--format",
        "json",
    ]);
    let names: Vec<&str> = runs["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["condition"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "multirun/model=baseline",
            "multirun/model=treatment",
            "wandb/model=baseline",
            "wandb/model=treatment"
        ]
    );
    let sources: Vec<&str> = runs["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["overrides", "overrides", "config", "config"]);
}

#[test]
fn one_study_split_over_two_output_folders_is_one_study() {
    // lm-eval run once per seed into its own --output_path.
    let json = run_json(&[
        "summary",
        &format!("{LM_EVAL}/seed_1"),
        &format!("{LM_EVAL}/seed_2"),
        "--metric",
        "xr_mc_a.acc",
    ]);
    assert_eq!(conditions(&json), ["base-model", "tuned-model"]);
    assert_eq!(
        seed_ids(&group(&json, "base-model", "xr_mc_a.acc")["seeds"]),
        ["1", "2"]
    );
}

#[test]
fn an_lm_eval_results_file_without_seeds_exits_2_naming_the_file_and_the_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = root()
        .join(LM_EVAL)
        .join(lm_eval_newest("seed_1/base-model"));
    let text = std::fs::read_to_string(&from).expect("results");
    let mut doc: Value = serde_json::from_str(&text).expect("json");
    let config = doc["config"].as_object_mut().expect("config");
    for slot in ["random_seed", "numpy_seed", "torch_seed", "fewshot_seed"] {
        config.remove(slot);
    }
    let folder = dir.path().join("out/base-model");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let file = folder.join(from.file_name().unwrap());
    std::fs::write(&file, doc.to_string()).expect("write");
    let err = fails(&["summary", dir.path().join("out").to_str().unwrap()]);
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("--seed N"), "{err}");
}
