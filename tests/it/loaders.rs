//! Discovery rules of run trees and tables (DESIGN section 2), through the CLI's JSON.

use crate::common::{tree, xreport};

fn summary_json(dir: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let out = xreport()
        .arg("summary")
        .arg(dir)
        .args(extra)
        .args(["--format", "json", "--resamples", "200"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON")
}

fn group<'a>(
    report: &'a serde_json::Value,
    condition: &str,
    metric: &str,
) -> &'a serde_json::Value {
    report["groups"]
        .as_array()
        .and_then(|g| {
            g.iter()
                .find(|g| g["condition"] == condition && g["metric"] == metric)
        })
        .unwrap_or_else(|| panic!("no group {condition} / {metric} in {}", report["groups"]))
}

#[test]
fn every_seed_spelling_and_config_seeds_are_recognised() {
    let dir = tree(&[
        ("runs/a/seed_1/results.json", r#"{"acc": 1}"#),
        ("runs/a/seed2/results.json", r#"{"acc": 2}"#),
        ("runs/a/seed=3/results.json", r#"{"acc": 3}"#),
        ("runs/a/s4/results.json", r#"{"acc": 4}"#),
        ("runs/a/run_x/results.json", r#"{"acc": 5}"#),
        ("runs/a/run_x/config.yaml", "trainer:\n  seed: 5\n"),
        ("runs/a/run_y/metrics.json", r#"{"acc": 6}"#),
        ("runs/a/run_y/hparams.yaml", "random_seed: 6\n"),
    ]);
    let report = summary_json(&dir.path().join("runs"), &[]);
    let g = group(&report, "a", "acc");
    assert_eq!(g["seeds"], serde_json::json!([1, 2, 3, 4, 5, 6]));
    assert_eq!(g["mean"], 3.5);
}

#[test]
fn nested_results_flatten_and_eval_results_folders_merge() {
    let dir = tree(&[
        (
            "a/seed_1/eval_results/test.json",
            r#"{"test": {"wer": 10.0}}"#,
        ),
        (
            "a/seed_1/eval_results/dev.json",
            r#"{"dev": {"wer": 9.0}, "name": "x"}"#,
        ),
        (
            "a/seed_2/results.json",
            r#"{"test": {"wer": 12.0}, "dev": {"wer": 11.0}}"#,
        ),
    ]);
    let report = summary_json(&dir.path().join("a"), &[]);
    assert_eq!(group(&report, "a", "test.wer")["mean"], 11.0);
    assert_eq!(group(&report, "a", "dev.wer")["mean"], 10.0);
    let metrics: Vec<&str> = report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        metrics,
        ["dev.wer", "test.wer"],
        "strings are metadata, not metrics"
    );
    assert_eq!(report["metrics"][0]["direction"], "lower");
}

#[test]
fn conditions_come_from_paths_below_the_root_and_condition_folders_use_their_name() {
    let dir = tree(&[
        ("runs/exp0/seed_1/results.json", r#"{"acc": 1}"#),
        ("runs/ablations/no_aux/seed_1/results.json", r#"{"acc": 2}"#),
    ]);
    let report = summary_json(&dir.path().join("runs"), &[]);
    group(&report, "exp0", "acc");
    group(&report, "ablations/no_aux", "acc");
    let report = summary_json(&dir.path().join("runs/ablations/no_aux"), &[]);
    group(&report, "no_aux", "acc");
}

#[test]
fn override_hashes_make_labelled_conditions_from_map_and_list_indexes() {
    let dir = tree(&[
        (
            "runs/m/index.yaml",
            "a3f8c1: {model.latent_dim: 512}\nb71e09: [\"optim.lr=0.001\"]\n",
        ),
        ("runs/m/seed_1/results.json", r#"{"acc": 1}"#),
        ("runs/m/seed_1_a3f8c1/results.json", r#"{"acc": 2}"#),
        ("runs/m/seed_1_b71e09/results.json", r#"{"acc": 3}"#),
    ]);
    let out = xreport()
        .arg("summary")
        .arg(dir.path().join("runs"))
        .args(["--format", "md"])
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(md.contains("m (model.latent_dim=512)"), "{md}");
    assert!(md.contains("m (optim.lr=0.001)"), "{md}");
    let report = summary_json(&dir.path().join("runs"), &[]);
    assert_eq!(group(&report, "m@a3f8c1", "acc")["mean"], 2.0);
}

#[test]
fn timestamped_repeats_are_not_seeds_and_the_untimestamped_run_counts() {
    let dir = tree(&[
        ("c/seed_1/results.json", r#"{"acc": 1.0}"#),
        ("c/seed_1_20260101_120000/results.json", r#"{"acc": 1.5}"#),
        ("c/seed_2_20260101_120000/results.json", r#"{"acc": 3.0}"#),
        ("c/seed_2_20250101_120000/results.json", r#"{"acc": 2.0}"#),
    ]);
    let report = summary_json(&dir.path().join("c"), &[]);
    let g = group(&report, "c", "acc");
    assert_eq!(g["n"], 2);
    assert_eq!(
        g["values"],
        serde_json::json!([1.0, 2.0]),
        "earliest repeat counts when none is untimestamped"
    );
    let spreads: Vec<f64> = report["repeats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["spread"].as_f64().unwrap())
        .collect();
    assert_eq!(spreads, [0.5, 1.0]);
}

#[test]
fn failed_runs_are_listed_as_skipped_not_dropped() {
    let dir = tree(&[
        ("c/seed_1/results.json", r#"{"acc": 1.0}"#),
        ("c/seed_2/results.json", r#"{"acc": 2.0}"#),
        ("c/seed_3/train.log", "CUDA out of memory\n"),
        ("c/run_9/config.yaml", "seed: 9\n"),
    ]);
    let report = summary_json(&dir.path().join("c"), &[]);
    let skipped: Vec<String> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped[0].ends_with("c/run_9") && skipped[1].ends_with("c/seed_3"),
        "{skipped:?}"
    );
}

#[test]
fn nan_null_and_infinity_are_reported_missing_not_averaged() {
    let dir = tree(&[
        ("c/seed_1/results.json", r#"{"acc": 1.0, "loss": NaN}"#),
        ("c/seed_2/results.json", r#"{"acc": 3.0, "loss": null}"#),
        ("c/seed_3/results.json", r#"{"acc": Infinity, "loss": 0.5}"#),
    ]);
    let report = summary_json(&dir.path().join("c"), &[]);
    let acc = group(&report, "c", "acc");
    assert_eq!(
        (acc["n"].clone(), acc["mean"].clone()),
        (2.into(), 2.0.into())
    );
    assert_eq!(acc["missing"], serde_json::json!([3]));
    let loss = group(&report, "c", "loss");
    assert_eq!(loss["n"], 1);
    assert_eq!(loss["std"], serde_json::Value::Null, "one seed has no std");
    assert_eq!(loss["t_ci"], serde_json::Value::Null);
    let out = xreport()
        .arg("summary")
        .arg(dir.path().join("c"))
        .args(["--format", "md"])
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(md.contains("0.50 ± —"), "n = 1 shows a dash, never 0: {md}");
    assert!(
        !md.contains("| NaN") && !md.contains("NaN |"),
        "no NaN cell: {md}"
    );
    assert!(md.contains("missing value"), "{md}");
}

#[test]
fn hydra_configs_and_environment_files_are_read() {
    let dir = tree(&[
        ("c/seed_1/results.json", r#"{"acc": 1.0}"#),
        ("c/seed_1/.hydra/config.yaml", "seed: 1\nmodel:\n  dim: 4\n"),
        ("c/seed_1/.hydra/overrides.yaml", "- model.dim=4\n"),
        ("c/seed_1/env.json", r#"{"torch": "2.5.1"}"#),
        ("c/seed_2/results.json", r#"{"acc": 2.0}"#),
    ]);
    let inputs = vec![dir.path().join("c")];
    let study = xreport::load::load(&inputs, &Default::default()).expect("loads");
    let run = &study.runs[0];
    assert_eq!(run.config["model.dim"], serde_json::json!(4));
    assert_eq!(run.overrides, ["model.dim=4"]);
    assert_eq!(run.env_file.as_deref(), Some("env.json"));
    assert!(study.runs[1].config.is_empty());
}

#[test]
fn table_columns_can_be_renamed_and_float_seeds_match_integer_ones() {
    let dir = tree(&[(
        "t.csv",
        "algo,run,game,score\nA,1.0,pong,1\nA,2.0,pong,3\nB,1,pong,2\nB,2,pong,2.5\n",
    )]);
    let out = xreport()
        .arg("summary")
        .arg(dir.path().join("t.csv"))
        .args([
            "--condition-col",
            "algo",
            "--seed-col",
            "run",
            "--metric-col",
            "game",
            "--value-col",
            "score",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let a = group(&report, "A", "pong");
    assert_eq!(a["seeds"], serde_json::json!([1, 2]));
    assert_eq!(a["mean"], 2.0);
}
