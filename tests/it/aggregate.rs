//! `xreport aggregate` end to end: the IRIS Atari 100k data against the
//! published figures (PROVENANCE.md section 1) and an independent numpy
//! reference (golden/reference_aggregate.py), golden outputs, determinism and
//! bad inputs.

use serde_json::Value;

use crate::common::{assert_close, assert_golden, reference, tree, xreport};

const DATA: &str = "examples/atari100k";
const AGENTS: [&str; 7] = [
    "IRIS",
    "SimPLe",
    "CURL_10_evals",
    "DrQ_eps",
    "SPR",
    "MuZero",
    "EfficientZero",
];

/// Score files of `agents` followed by the normalisation flags.
fn atari_args(agents: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = agents.iter().map(|a| format!("{DATA}/{a}.json")).collect();
    args.extend([
        "--normalize".into(),
        format!("{DATA}/RANDOM.json"),
        format!("{DATA}/HUMAN.json"),
    ]);
    args
}

fn aggregate(args: &[String]) -> Vec<u8> {
    let out = xreport().arg("aggregate").args(args).assert().success();
    out.get_output().stdout.clone()
}

fn aggregate_json(args: &[String]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format".into(), "json".into()]);
    serde_json::from_slice(&aggregate(&all)).expect("aggregate JSON parses")
}

fn with(mut args: Vec<String>, extra: &[&str]) -> Vec<String> {
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn find<'a>(report: &'a Value, list: &str, pairs: &[(&str, &str)]) -> &'a Value {
    report[list]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| pairs.iter().all(|(k, v)| r[*k] == *v))
        .unwrap_or_else(|| panic!("no {list} entry {pairs:?}"))
}

fn estimate(report: &Value, method: &str, metric: &str) -> f64 {
    find(
        report,
        "aggregates",
        &[("method", method), ("metric", metric)],
    )["estimate"]
        .as_f64()
        .unwrap_or_else(|| panic!("{method} {metric}: estimate is null"))
}

#[test]
fn iris_data_reproduces_every_figure_of_the_paper_table() {
    // PROVENANCE.md section 1: #superhuman, mean, median, IQM, optimality gap,
    // to the 3 decimals printed (IQM and gap in parentheses for single runs).
    let published: [(&str, usize, [f64; 4]); 7] = [
        ("IRIS", 10, [1.046, 0.289, 0.501, 0.512]),
        ("SimPLe", 1, [0.332, 0.134, 0.130, 0.729]),
        ("CURL_10_evals", 2, [0.261, 0.092, 0.113, 0.768]),
        ("DrQ_eps", 3, [0.465, 0.313, 0.280, 0.631]),
        ("SPR", 6, [0.616, 0.396, 0.337, 0.577]),
        ("MuZero", 5, [0.562, 0.227, 0.288, 0.616]),
        ("EfficientZero", 14, [1.943, 1.090, 1.047, 0.367]),
    ];
    let report = aggregate_json(&with(atari_args(&AGENTS), &["--resamples", "100"]));
    assert_eq!(report["schema"], "xreport.aggregate/1");
    assert_eq!(
        report["normalization"]["random"],
        "examples/atari100k/RANDOM.json"
    );
    assert_eq!(
        report["normalization"]["human"],
        "examples/atari100k/HUMAN.json"
    );
    for (agent, superhuman, values) in published {
        let above = find(&report, "tasks_above", &[("method", agent)]);
        assert_eq!(above["count"], superhuman, "{agent} superhuman games");
        assert_eq!(above["threshold"], 1.0);
        for (metric, value) in ["mean", "median", "iqm", "optimality_gap"]
            .iter()
            .zip(values)
        {
            let ours = estimate(&report, agent, metric);
            assert_eq!(
                format!("{ours:.3}"),
                format!("{value:.3}"),
                "{agent} {metric}: {ours}"
            );
        }
    }
    // Per-game raw means printed in the paper (mean over runs).
    for (game, mean) in [
        ("Alien", 420.0),
        ("Amidar", 143.0),
        ("Assault", 1524.4),
        ("KungFuMaster", 21759.8),
        ("Pong", 14.6),
        ("PrivateEye", 100.0),
        ("UpNDown", 3546.2),
    ] {
        let row = find(&report, "per_task", &[("method", "IRIS"), ("task", game)]);
        assert_eq!(row["n"], 5);
        let raw = row["raw_mean"].as_f64().expect("raw mean");
        assert_eq!(format!("{raw:.1}"), format!("{mean:.1}"), "IRIS {game}");
    }
    // The std convention on IRIS Alien: sample 70.5 (default), population 63.1.
    let alien = find(
        &report,
        "per_task",
        &[("method", "IRIS"), ("task", "Alien")],
    );
    assert_eq!(
        format!("{:.2}", alien["raw_mean"].as_f64().unwrap()),
        "420.02"
    );
    assert_eq!(format!("{:.1}", alien["raw_std"].as_f64().unwrap()), "70.5");
    let population = aggregate_json(&with(
        atari_args(&["IRIS"]),
        &["--resamples", "100", "--ddof", "0"],
    ));
    let alien = find(
        &population,
        "per_task",
        &[("method", "IRIS"), ("task", "Alien")],
    );
    assert_eq!(format!("{:.1}", alien["raw_std"].as_f64().unwrap()), "63.1");
}

#[test]
fn point_estimates_equal_the_numpy_reference_to_1e_12() {
    let expected = reference("aggregate.json");
    let report = aggregate_json(&with(
        atari_args(&AGENTS),
        &["--resamples", "100", "--prob-improvement", "IRIS"],
    ));
    for agent in AGENTS {
        let case = &expected["agents"][agent];
        for metric in ["mean", "median", "iqm", "optimality_gap"] {
            let theirs = case["estimates"][metric].as_f64().expect("reference");
            let ours = estimate(&report, agent, metric);
            assert!(
                (ours - theirs).abs() <= 1e-12 * theirs.abs().max(1.0),
                "{agent} {metric}: {ours} != {theirs}"
            );
        }
        let above = find(&report, "tasks_above", &[("method", agent)]);
        assert_eq!(above["count"], case["superhuman"], "{agent}");
        let inputs = find(&report, "inputs", &[("method", agent)]);
        assert_eq!(inputs["runs"], case["runs"], "{agent} runs");
        for (game, mean) in case["per_game_mean_hns"].as_object().expect("games") {
            let row = find(&report, "per_task", &[("method", agent), ("task", game)]);
            assert_close(
                row["mean"].as_f64().expect("mean"),
                mean.as_f64().expect("reference mean"),
                1e-12,
                &format!("{agent} {game} mean HNS"),
            );
        }
    }
    for (other, case) in expected["prob_improvement_iris"].as_object().expect("prob") {
        let row = find(
            &report,
            "prob_improvement",
            &[("method", "IRIS"), ("other", other)],
        );
        assert_close(
            row["estimate"].as_f64().expect("estimate"),
            case["estimate"].as_f64().expect("reference"),
            1e-12,
            &format!("P(IRIS > {other})"),
        );
    }
}

/// |ours − numpy| within 0.3 replicate standard deviations (plus `step`, the
/// spacing of a statistic with discrete values): the Monte Carlo sd of a 2.5 %
/// quantile's difference between 2,000 and 10,000 resamples is about 0.066·se,
/// so this is a 4.5-sigma bound.
fn assert_within_monte_carlo(ours: &Value, theirs: &Value, se: f64, step: f64, what: &str) {
    for i in 0..2 {
        let a = ours[i]
            .as_f64()
            .unwrap_or_else(|| panic!("{what}: ci is null"));
        let b = theirs[i].as_f64().expect("reference bound");
        assert!(
            (a - b).abs() <= 0.3 * se + step,
            "{what} bound {i}: {a} vs numpy {b} (se {se})"
        );
    }
}

#[test]
fn stratified_bootstrap_intervals_agree_with_numpy_to_monte_carlo_error() {
    let expected = reference("aggregate.json");
    let agents = ["IRIS", "SimPLe", "SPR", "MuZero"];
    for method in ["percentile", "basic"] {
        let report = aggregate_json(&with(
            atari_args(&agents),
            &[
                "--resamples",
                "2000",
                "--ci-method",
                method,
                "--prob-improvement",
                "IRIS",
            ],
        ));
        assert_eq!(report["settings"]["ci_method"], method);
        for agent in ["IRIS", "SimPLe", "SPR"] {
            for metric in ["mean", "median", "iqm", "optimality_gap"] {
                let case = &expected["agents"][agent]["intervals"][metric];
                let row = find(
                    &report,
                    "aggregates",
                    &[("method", agent), ("metric", metric)],
                );
                assert_within_monte_carlo(
                    &row["ci"],
                    &case[method],
                    case["se"].as_f64().expect("se"),
                    0.0,
                    &format!("{agent} {metric} {method}"),
                );
            }
        }
        // P(IRIS > MuZero) takes values k/130 only (5 × 1 runs on 26 games).
        for (other, step) in [("SimPLe", 0.0), ("SPR", 0.0), ("MuZero", 1.0 / 130.0)] {
            let case = &expected["prob_improvement_iris"][other]["interval"];
            let row = find(
                &report,
                "prob_improvement",
                &[("method", "IRIS"), ("other", other)],
            );
            assert_within_monte_carlo(
                &row["ci"],
                &case[method],
                case["se"].as_f64().expect("se"),
                step,
                &format!("P(IRIS > {other}) {method}"),
            );
        }
    }
}

#[test]
fn single_run_methods_get_point_estimates_and_null_intervals_with_a_note() {
    let out = aggregate(&with(
        atari_args(&["IRIS", "MuZero", "EfficientZero"]),
        &["--resamples", "200", "--format", "json"],
    ));
    let text = String::from_utf8(out).expect("utf-8");
    assert!(
        !text.contains("NaN") && !text.contains("nan"),
        "no NaN in JSON"
    );
    let report: Value = serde_json::from_str(&text).expect("JSON");
    for agent in ["MuZero", "EfficientZero"] {
        for metric in ["mean", "median", "iqm", "optimality_gap"] {
            let row = find(
                &report,
                "aggregates",
                &[("method", agent), ("metric", metric)],
            );
            assert!(row["estimate"].is_f64(), "{agent} {metric} estimate");
            assert!(row["ci"].is_null(), "{agent} {metric} ci");
        }
        let std = find(&report, "per_task", &[("method", agent), ("task", "Pong")]);
        assert!(std["std"].is_null() && std["raw_std"].is_null());
        let note = format!("{agent}: one run per task: point estimates only, no interval.");
        assert!(
            report["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == &Value::from(note.clone())),
            "missing note {note}"
        );
    }
    let zero = "IRIS: every run has the same score on PrivateEye (zero variance across runs).";
    assert!(
        report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == zero)
    );
    let eye = find(
        &report,
        "per_task",
        &[("method", "IRIS"), ("task", "PrivateEye")],
    );
    assert_eq!(eye["std"], 0.0);
}

#[test]
fn same_seed_gives_the_same_bytes_for_any_thread_count_and_another_seed_other_intervals() {
    let args = with(
        atari_args(&["IRIS", "SimPLe"]),
        &[
            "--resamples",
            "1000",
            "--format",
            "json",
            "--prob-improvement",
            "IRIS",
        ],
    );
    let run = |threads: &str, seed: &str| {
        let out = xreport()
            .arg("aggregate")
            .args(&args)
            .args(["--seed", seed])
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .success();
        out.get_output().stdout.clone()
    };
    let first = run("1", "3");
    assert_eq!(first, run("1", "3"));
    assert_eq!(first, run("3", "3"));
    assert_ne!(first, run("1", "4"));
}

#[test]
fn atari_example_matches_golden_files() {
    let base = with(atari_args(&AGENTS), &["--resamples", "1000"]);
    for (format, ext) in [
        ("md", "md"),
        ("json", "json"),
        ("latex", "tex"),
        ("csv", "csv"),
    ] {
        let out = aggregate(&with(base.clone(), &["--format", format]));
        assert_golden(&format!("aggregate/atari100k.{ext}"), &out);
    }
    let out = aggregate(&with(
        atari_args(&["IRIS", "SPR", "CURL_10_evals"]),
        &[
            "--resamples",
            "1000",
            "--format",
            "md",
            "--prob-improvement",
            "IRIS",
        ],
    ));
    assert_golden("aggregate/atari100k-prob-improvement.md", &out);
}

#[test]
fn a_table_or_records_with_a_task_column_aggregate_like_the_json_layout() {
    let dir = tree(&[
        (
            "scores.csv",
            "condition,seed,game,score\n\
             a,1,Pong,-20.7\na,2,Pong,14.6\na,1,Qbert,163.9\na,2,Qbert,4000\n\
             b,1,Pong,0\nb,2,Pong,1\nb,1,Qbert,200\nb,2,Qbert,300\n",
        ),
        (
            "a.json",
            r#"{"Pong": [-20.7, 14.6], "Qbert": [163.9, 4000]}"#,
        ),
        ("b.json", r#"{"Pong": [0, 1], "Qbert": [200, 300]}"#),
        (
            "ref.csv",
            "game,random,human\nPong,-20.7,14.6\nQbert,163.9,13455.0\n",
        ),
        ("RANDOM.json", r#"{"Pong": [-20.7], "Qbert": [163.9]}"#),
        ("HUMAN.json", r#"{"Pong": 14.6, "Qbert": 13455.0}"#),
        (
            "records.json",
            r#"[{"agent": "a", "game": "Pong", "seed": 1.0, "score": -20.7},
                {"agent": "a", "game": "Pong", "seed": 2.0, "score": 14.6},
                {"agent": "a", "game": "Qbert", "seed": 1.0, "score": 163.9},
                {"agent": "a", "game": "Qbert", "seed": 2.0, "score": 4000},
                {"agent": "b", "game": "Pong", "seed": 1.0, "score": 0},
                {"agent": "b", "game": "Pong", "seed": 2.0, "score": 1},
                {"agent": "b", "game": "Qbert", "seed": 1.0, "score": 200},
                {"agent": "b", "game": "Qbert", "seed": 2.0, "score": 300}]"#,
        ),
        (
            "both.json",
            r#"{"Pong": {"random": -20.7, "human": 14.6}, "Qbert": {"random": [163.9], "human": 13455.0}}"#,
        ),
    ]);
    let p = |name: &str| dir.path().join(name).display().to_string();
    let common = ["--resamples", "200"];
    let table = aggregate_json(&with(
        vec![
            p("scores.csv"),
            "--task-col".into(),
            "game".into(),
            "--normalize".into(),
            p("ref.csv"),
        ],
        &common,
    ));
    let json = aggregate_json(&with(
        vec![
            p("a.json"),
            p("b.json"),
            "--normalize".into(),
            p("RANDOM.json"),
            p("HUMAN.json"),
        ],
        &common,
    ));
    let records = aggregate_json(&with(
        vec![p("records.json"), "--normalize".into(), p("both.json")],
        &common,
    ));
    assert_eq!(records["aggregates"], json["aggregates"]);
    assert_eq!(records["per_task"], json["per_task"]);
    assert_eq!(table["aggregates"], json["aggregates"]);
    assert_eq!(table["per_task"], json["per_task"]);
    assert_eq!(
        estimate(&table, "a", "mean"),
        (0.0 + 1.0 + 0.0 + (4000.0 - 163.9) / (13455.0 - 163.9)) / 4.0
    );
}

#[test]
fn bad_inputs_exit_2_naming_the_file() {
    let dir = tree(&[
        ("A.json", r#"{"Pong": [1, 2], "Qbert": [3, 4]}"#),
        ("short.json", r#"{"Pong": [1, 2]}"#),
        ("empty_task.json", r#"{"Pong": [1, 2], "Qbert": []}"#),
        ("text_score.json", r#"{"Pong": [1, "x"], "Qbert": [3, 4]}"#),
        ("broken.json", "{\"Pong\": [1, 2],"),
        ("RANDOM.json", r#"{"Pong": [0], "Qbert": [0]}"#),
        ("HUMAN.json", r#"{"Pong": [10]}"#),
        ("HUMAN2.json", r#"{"Pong": [10, 11], "Qbert": [5]}"#),
        ("SAME.json", r#"{"Pong": [0], "Qbert": [5]}"#),
        ("notask.csv", "condition,seed,score\na,1,3\n"),
        ("twometrics.csv", "condition,seed,task,x,y\na,1,Pong,3,4\n"),
    ]);
    let p = |name: &str| dir.path().join(name).display().to_string();
    let cases: Vec<(Vec<String>, &str, &str)> = vec![
        (
            vec![
                p("A.json"),
                "--normalize".into(),
                p("RANDOM.json"),
                p("HUMAN.json"),
            ],
            "A.json",
            "`Qbert`",
        ),
        (vec![p("A.json"), p("short.json")], "short.json", "`Qbert`"),
        (
            vec![p("empty_task.json")],
            "empty_task.json",
            "no run for task `Qbert`",
        ),
        (vec![p("text_score.json")], "text_score.json", "$.Pong[1]"),
        (vec![p("broken.json")], "broken.json", "malformed JSON"),
        (
            vec![
                p("A.json"),
                "--normalize".into(),
                p("RANDOM.json"),
                p("HUMAN2.json"),
            ],
            "HUMAN2.json",
            "one reference score",
        ),
        (
            vec![
                p("A.json"),
                "--normalize".into(),
                p("RANDOM.json"),
                p("SAME.json"),
            ],
            "SAME.json",
            "`Pong`",
        ),
        (
            vec![p("A.json"), "--normalize".into(), p("RANDOM.json")],
            "RANDOM.json",
            "both",
        ),
        (vec![p("notask.csv")], "notask.csv", "--task-col"),
        (vec![p("twometrics.csv")], "twometrics.csv", "--metric"),
    ];
    for (args, file, words) in cases {
        let out = xreport().arg("aggregate").args(&args).assert().code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            stderr.contains(file) && stderr.contains(words),
            "{args:?}: expected {file} and {words:?} in: {stderr}"
        );
    }
    for (extra, words) in [
        (vec!["--ci-method", "bca"], "bca"),
        (vec!["--prob-improvement", "Nobody"], "Nobody"),
    ] {
        let out = xreport()
            .arg("aggregate")
            .arg(p("A.json"))
            .args(extra)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(stderr.contains(words), "{stderr}");
    }
}

#[test]
fn performance_profiles_equal_the_numpy_fractions_and_plot_the_same_bytes_every_run() {
    let expected = reference("aggregate.json");
    let dir = tempfile::tempdir().expect("temp dir");
    let png = dir.path().join("profile.png");
    let svg = dir.path().join("profile.svg");
    let args = with(
        atari_args(&["IRIS", "SimPLe", "SPR", "MuZero"]),
        &["--resamples", "200", "--format", "json"],
    );
    let run = |path: &std::path::Path, threads: &str| -> Value {
        let out = xreport()
            .arg("aggregate")
            .args(&args)
            .arg("--profile")
            .arg(path)
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).expect("JSON")
    };
    let report = run(&png, "1");
    let first = std::fs::read(&png).expect("PNG written");
    assert!(first.starts_with(b"\x89PNG"), "a PNG file");
    run(&png, "3");
    assert_eq!(first, std::fs::read(&png).expect("PNG"), "same PNG bytes");
    run(&svg, "1");
    let text = std::fs::read_to_string(&svg).expect("SVG written");
    assert!(text.starts_with("<svg") && text.contains("SimPLe"));

    let taus = expected["profiles"]["taus"].as_array().expect("taus");
    for agent in ["IRIS", "SimPLe", "SPR", "MuZero"] {
        let profile = find(&report, "profiles", &[("method", agent)]);
        let points = profile["points"].as_array().expect("points");
        let fractions = expected["profiles"]["fractions"][agent]
            .as_array()
            .expect("ref");
        assert_eq!(points.len(), taus.len());
        for ((p, tau), fraction) in points.iter().zip(taus).zip(fractions) {
            assert_close(
                p["tau"].as_f64().unwrap(),
                tau.as_f64().unwrap(),
                1e-12,
                &format!("{agent} tau"),
            );
            let ours = p["fraction"].as_f64().unwrap();
            assert_eq!(ours, fraction.as_f64().unwrap(), "{agent} at tau {tau}");
            match agent {
                "MuZero" => assert!(p["ci"].is_null(), "single run: no band"),
                _ => {
                    let (lo, hi) = (p["ci"][0].as_f64().unwrap(), p["ci"][1].as_f64().unwrap());
                    assert!(lo <= ours + 1e-12 && ours <= hi + 1e-12, "{agent} band");
                }
            }
        }
    }
}

#[test]
fn a_profile_file_that_is_not_png_or_svg_exits_2_before_any_work() {
    let out = xreport()
        .arg("aggregate")
        .args(atari_args(&["IRIS"]))
        .args(["--profile", "profile.pdf"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("profile.pdf") && stderr.contains(".png"),
        "{stderr}"
    );
}
