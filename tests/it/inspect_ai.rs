//! inspect_ai evaluation logs (DESIGN 10 and 12), as inspect_ai 0.3.285
//! wrote them (golden/fixtures_inspect_ai.py): `.eval` zips and a JSON log,
//! checked against `expected.json`, which the same script wrote from
//! inspect_ai's own reader (`read_eval_log`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{assert_close, root, tree, xreport};

const FIXTURES: &str = "tests/fixtures/inspect_ai";

fn run_json(args: &[&str]) -> Value {
    // `runs` draws no resamples.
    let fast: &[&str] = if args[0] == "runs" {
        &[]
    } else {
        &["--resamples", "100"]
    };
    let out = xreport()
        .args(args)
        .args(fast)
        .args(["--format", "json"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON output")
}

fn fails(args: &[&str]) -> String {
    let out = xreport().args(args).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// expected.json's entries: one per log, as inspect_ai read it.
fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join(FIXTURES).join("expected.json")).expect("read");
    serde_json::from_str::<Value>(&text)
        .expect("expected.json")
        .as_array()
        .expect("a list")
        .clone()
}

/// inspect_ai's reduced score of every sample: per (model, seed), per
/// xreport metric name, sample id → value, for the logs under `folder`.
fn reductions(folder: &str) -> BTreeMap<(String, i64), BTreeMap<String, BTreeMap<String, f64>>> {
    let mut out: BTreeMap<_, BTreeMap<String, BTreeMap<String, f64>>> = BTreeMap::new();
    for log in expected() {
        if log["status"] != "success" || !log["file"].as_str().unwrap().starts_with(folder) {
            continue;
        }
        let key = (
            log["model"].as_str().unwrap().to_string(),
            log["seed"].as_i64().unwrap(),
        );
        let task = log["task"].as_str().unwrap();
        for (scorer, samples) in log["reductions"].as_object().unwrap() {
            for (id, value) in samples.as_object().unwrap() {
                let parts: Vec<(String, f64)> = match value {
                    Value::Object(keys) => keys
                        .iter()
                        .map(|(k, v)| (format!("{task}.{scorer}.{k}"), v.as_f64().unwrap()))
                        .collect(),
                    v => vec![(format!("{task}.{scorer}"), v.as_f64().unwrap())],
                };
                for (metric, v) in parts {
                    out.entry(key.clone())
                        .or_default()
                        .entry(metric)
                        .or_default()
                        .insert(id.clone(), v);
                }
            }
        }
    }
    out
}

fn mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.into_iter().collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn each_model_is_a_condition_and_each_generate_seed_a_seed() {
    let json = run_json(&["runs", &format!("{FIXTURES}/logs")]);
    let conditions = json["conditions"].as_array().expect("conditions");
    let names: Vec<&str> = conditions
        .iter()
        .map(|c| c["condition"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["mockllm/large", "mockllm/small"]);
    for c in conditions {
        assert_eq!(c["source"], "model");
        assert_eq!(c["seeds"], serde_json::json!([1, 2, 3]), "{c}");
        assert_eq!(
            c["metrics"],
            serde_json::json!(["xr_qa.graded.correct", "xr_qa.graded.length", "xr_qa.match"])
        );
    }
    assert!(
        json["metadata_keys"]
            .as_array()
            .unwrap()
            .contains(&"stderr.xr_qa.match".into()),
        "the results' stderr is metadata, not a metric: {}",
        json["metadata_keys"]
    );
}

#[test]
fn a_seeds_value_is_the_mean_of_inspects_reduced_sample_scores() {
    let want = reductions("logs/");
    let json = run_json(&["summary", &format!("{FIXTURES}/logs")]);
    let mut checked = 0;
    for group in json["groups"].as_array().expect("groups") {
        let model = group["condition"].as_str().unwrap();
        let metric = group["metric"].as_str().unwrap();
        let seeds = group["seeds"].as_array().unwrap();
        let values = group["values"].as_array().unwrap();
        for (seed, value) in seeds.iter().zip(values) {
            let scores = &want[&(model.to_string(), seed.as_i64().unwrap())][metric];
            assert_eq!(scores.len(), 12, "every sample scored");
            let expected = mean(scores.values().copied());
            assert_close(
                value.as_f64().unwrap(),
                expected,
                1e-12,
                &format!("{model} {metric} seed {seed}"),
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * 3 * 3, "2 models × 3 metrics × 3 seeds");
}

#[test]
fn the_mean_of_the_samples_is_inspects_own_accuracy() {
    // The aggregate inspect_ai reports agrees with what xreport computes
    // from the samples, so the per-example scores replace it.
    for log in expected().iter().filter(|l| l["status"] == "success") {
        let accuracy = log["metrics"]["match"]["accuracy"].as_f64().unwrap();
        let samples = log["reductions"]["match"].as_object().unwrap();
        assert_close(
            mean(samples.values().map(|v| v.as_f64().unwrap())),
            accuracy,
            1e-12,
            "accuracy",
        );
    }
}

#[test]
fn a_json_log_reads_as_the_same_evaluation_in_eval_format_does() {
    // mockllm/large seed 1 was evaluated twice, the same answers each time:
    // once as a `.eval` zip, once as a JSON log.
    let from_json = run_json(&["summary", &format!("{FIXTURES}/logs_json")]);
    let from_zip = run_json(&["summary", &format!("{FIXTURES}/logs")]);
    let value = |json: &Value, metric: &str| -> f64 {
        let group = json["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["condition"] == "mockllm/large" && g["metric"] == metric)
            .expect("group");
        let i = group["seeds"]
            .as_array()
            .unwrap()
            .iter()
            .position(|s| s == 1)
            .expect("seed 1");
        group["values"][i].as_f64().unwrap()
    };
    for metric in ["xr_qa.match", "xr_qa.graded.correct", "xr_qa.graded.length"] {
        assert_eq!(
            value(&from_json, metric),
            value(&from_zip, metric),
            "{metric}"
        );
    }
}

#[test]
fn samples_pair_by_id_in_the_per_example_comparison() {
    let want = reductions("logs/");
    let json = run_json(&[
        "compare",
        &format!("{FIXTURES}/logs"),
        "--baseline",
        "mockllm/small",
        "--metric",
        "xr_qa.match",
    ]);
    let comparison = &json["comparisons"][0];
    let examples = &comparison["examples"];
    assert_eq!(examples["n"], 12, "{examples}");
    // Each sample's score is its mean over the seeds; Δ is the mean over samples.
    let per_sample = |model: &str| -> BTreeMap<String, f64> {
        let mut sums: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for seed in 1..=3 {
            for (id, v) in &want[&(model.to_string(), seed)]["xr_qa.match"] {
                sums.entry(id.clone()).or_default().push(*v);
            }
        }
        sums.into_iter().map(|(id, v)| (id, mean(v))).collect()
    };
    let (small, large) = (per_sample("mockllm/small"), per_sample("mockllm/large"));
    let diff = mean(large.iter().map(|(id, v)| v - small[id]));
    assert_close(
        examples["diff"].as_f64().unwrap(),
        diff,
        1e-12,
        "per-example Δ",
    );
}

#[test]
fn a_failed_evaluation_is_skipped_with_inspects_error_and_an_errored_sample_is_missing() {
    let json = run_json(&["runs", &format!("{FIXTURES}/flaky")]);
    let skipped = json["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    let reason = skipped[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("status error") && reason.contains("flaky cannot answer q07"),
        "{reason}"
    );
    // The finished log scored 11 of its 12 samples: q07 raised.
    let log = expected()
        .into_iter()
        .find(|l| l["model"] == "mockllm/flaky" && l["status"] == "success")
        .expect("the flaky log");
    assert_eq!(log["errors"], serde_json::json!(["q07", "q07"]));
    // By default a missing score is an error naming the example; with
    // `--missing drop` the mean is over the scored samples, as inspect's.
    let stderr = fails(&[
        "summary",
        &format!("{FIXTURES}/flaky"),
        "--metric",
        "xr_qa.match",
    ]);
    assert!(
        stderr.contains("`q07`") && stderr.contains("--missing drop"),
        "{stderr}"
    );
    let summary = run_json(&[
        "summary",
        &format!("{FIXTURES}/flaky"),
        "--metric",
        "xr_qa.match",
        "--missing",
        "drop",
    ]);
    let group = &summary["groups"][0];
    assert_close(
        group["values"][0].as_f64().unwrap(),
        log["metrics"]["match"]["accuracy"].as_f64().unwrap(),
        1e-12,
        "the mean over the scored samples",
    );
}

#[test]
fn a_log_without_a_seed_is_refused_unless_unseeded_runs_are_allowed() {
    let dir = format!("{FIXTURES}/unseeded");
    let stderr = fails(&["summary", &dir]);
    assert!(
        stderr.contains("unseeded/")
            && stderr.contains("no generate seed")
            && stderr.contains("--allow-unseeded"),
        "{stderr}"
    );
    let json = run_json(&["runs", &dir, "--allow-unseeded"]);
    assert_eq!(json["conditions"][0]["seeds"].as_array().unwrap().len(), 1);
}

#[test]
fn a_corrupt_log_names_its_file() {
    let dir = tree(&[(
        "logs/2026-12-02T07-07-30-00-00_xr-qa_AAAAAAAAAAAAAAAAAAAAAA.eval",
        "not a zip",
    )]);
    let stderr = fails(&["summary", dir.path().join("logs").to_str().unwrap()]);
    assert!(
        stderr.contains("xr-qa_AAAAAAAAAAAAAAAAAAAAAA.eval")
            && stderr.contains("not an inspect_ai .eval log"),
        "{stderr}"
    );
    let dir = tree(&[(
        "2026-12-02T07-07-30-00-00_xr-qa_AAAAAAAAAAAAAAAAAAAAAA.json",
        "{\"eval\": 3}",
    )]);
    let stderr = fails(&["summary", dir.path().to_str().unwrap()]);
    assert!(
        stderr.contains(".json") && stderr.contains("not an inspect_ai log"),
        "{stderr}"
    );
}
