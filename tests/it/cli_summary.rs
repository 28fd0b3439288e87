//! `xreport summary` end to end: golden outputs and numbers against numpy/scipy.

use crate::common::{assert_close, assert_golden, reference, xreport};

const STUDY: &str = "examples/speech-ssl/runs";

fn summary(args: &[&str]) -> Vec<u8> {
    let out = xreport().arg("summary").args(args).assert().success();
    out.get_output().stdout.clone()
}

fn summary_json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_slice(&summary(&all)).expect("summary JSON parses")
}

#[test]
fn summary_of_example_study_matches_golden_files_in_every_format() {
    for (format, ext) in [
        ("text", "txt"),
        ("md", "md"),
        ("latex", "tex"),
        ("json", "json"),
        ("csv", "csv"),
    ] {
        let out = summary(&[STUDY, "--metric", "test.*", "--format", format]);
        assert_golden(&format!("summary/speech-ssl.{ext}"), &out);
    }
}

#[test]
fn summary_of_long_table_matches_golden_markdown() {
    let out = summary(&["examples/tables/long.csv", "--format", "md"]);
    assert_golden("summary/tables-long.md", &out);
}

#[test]
fn summary_numbers_equal_numpy_and_scipy_on_the_example_study() {
    let expected = reference("summary_speech_ssl.json");
    for ddof in [0, 1] {
        let report = summary_json(&[STUDY, "--ddof", &ddof.to_string()]);
        let groups = report["groups"].as_array().expect("groups");
        let cases = expected["groups"].as_array().expect("reference groups");
        assert_eq!(
            groups.len(),
            cases.len(),
            "one group per condition × metric"
        );
        for case in cases {
            let g = groups
                .iter()
                .find(|g| g["condition"] == case["condition"] && g["metric"] == case["metric"])
                .unwrap_or_else(|| {
                    panic!("group {} / {} missing", case["condition"], case["metric"])
                });
            assert_eq!(g["n"], case["n"]);
            let what = format!("{} / {}", case["condition"], case["metric"]);
            let std_key = format!("std_ddof{ddof}");
            let sem_key = format!("sem_ddof{ddof}");
            for (ours, theirs) in [
                ("mean", "mean"),
                ("std", std_key.as_str()),
                ("sem", sem_key.as_str()),
                ("median", "median"),
                ("min", "min"),
                ("max", "max"),
            ] {
                let a = g[ours]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{what}: {ours} is null"));
                assert_close(
                    a,
                    case[theirs].as_f64().expect("reference number"),
                    1e-12,
                    &format!("{what} {ours}"),
                );
            }
            for i in 0..2 {
                let a = g["t_ci"][i].as_f64().expect("t_ci");
                assert_close(
                    a,
                    case["t_ci"][i].as_f64().expect("ref t_ci"),
                    1e-10,
                    &format!("{what} t_ci"),
                );
            }
        }
    }
}

#[test]
fn wide_long_tsv_and_jsonl_tables_give_the_same_groups() {
    let groups = |path: &str| summary_json(&[path])["groups"].clone();
    let long = groups("examples/tables/long.csv");
    assert!(
        long.as_array().is_some_and(|g| g.len() == 6),
        "3 conditions × 2 metrics"
    );
    for other in [
        "examples/tables/wide.csv",
        "examples/tables/long.tsv",
        "examples/tables/long.jsonl",
    ] {
        assert_eq!(groups(other), long, "{other}");
    }
}

#[test]
fn summary_is_byte_identical_across_runs_and_thread_counts() {
    let run = |threads: &str| {
        let out = xreport()
            .env("RAYON_NUM_THREADS", threads)
            .args(["summary", STUDY, "--format", "json"])
            .assert()
            .success();
        out.get_output().stdout.clone()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("8"));
}

#[test]
fn json_states_skipped_runs_repeats_and_integer_seeds() {
    let report = summary_json(&[STUDY]);
    assert_eq!(report["schema"], "xreport.summary/1");
    assert_eq!(
        report["skipped"][0]["path"],
        "examples/speech-ssl/runs/exp1_new_masking/seed_47"
    );
    let repeats = report["repeats"].as_array().expect("repeats");
    assert!(
        repeats
            .iter()
            .any(|r| r["condition"] == "exp1_new_masking@a3f8c1" && r["metric"] == "test.wer")
    );
    let g = &report["groups"][0];
    assert!(
        g["seeds"][0].is_i64(),
        "integer seeds are JSON integers: {}",
        g["seeds"]
    );
}

#[test]
fn output_file_takes_its_format_from_the_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tables/summary.tex");
    xreport()
        .args(["summary", STUDY, "--metric", "test.wer", "-o"])
        .arg(&path)
        .assert()
        .success();
    let tex = std::fs::read_to_string(&path).expect("written");
    assert!(
        tex.contains("\\toprule") && tex.contains("\\bottomrule"),
        "{tex}"
    );
}

#[test]
fn study_file_digits_of_a_metric_fix_its_decimals_unless_digits_is_given() {
    let dir = crate::common::tree(&[
        ("xreport.toml", "[metrics.acc]\ndigits = 4\n"),
        (
            "runs/a/seed_1/results.json",
            r#"{"acc": 0.81234, "loss": 1.23456}"#,
        ),
        (
            "runs/a/seed_2/results.json",
            r#"{"acc": 0.79111, "loss": 1.11111}"#,
        ),
    ]);
    let run = |extra: &[&str]| {
        let out = xreport()
            .current_dir(dir.path())
            .args(["summary", "--format", "md"])
            .args(extra)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let md = run(&[]);
    // acc: mean 0.801725, std 0.015012; the std rule (2 significant digits)
    // would print 0.802 ± 0.015. loss keeps the std rule: 1.173 ± 0.087.
    assert!(md.contains("0.8017 ± 0.0150"), "{md}");
    assert!(md.contains("1.173 ± 0.087"), "{md}");
    let md = run(&["--digits", "1"]);
    assert!(md.contains("0.8 ± 0.0"), "{md}");
}
