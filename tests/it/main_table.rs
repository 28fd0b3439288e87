//! `xreport table`: goldens of every format on examples/multi-dataset, marks
//! against numpy/scipy/statsmodels (golden/reference_main_table.py), the
//! dagger set against `xreport compare`, the real Tianshou data, bad input,
//! and every LaTeX variant through pdflatex.

use serde_json::Value;

use crate::common::{assert_close, assert_golden, reference, root, tree, xreport};
use crate::latex::{compile, pdflatex_available};

const EXAMPLE: &str = "examples/multi-dataset";

/// `xreport table ARGS` in the example folder (beside its xreport.toml).
fn table(args: &[&str]) -> Vec<u8> {
    let out = xreport()
        .current_dir(root().join(EXAMPLE))
        .arg("table")
        .args(args)
        .assert()
        .success();
    out.get_output().stdout.clone()
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_slice(&table(&all)).expect("JSON report")
}

/// The cells of `report` by (task, metric, condition).
fn cell<'a>(report: &'a Value, task: &str, metric: &str, condition: &str) -> &'a Value {
    report["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["task"] == task && c["metric"] == metric && c["condition"] == condition)
        .unwrap_or_else(|| panic!("no cell {task} / {metric} / {condition}"))
}

fn names(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a name").to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn main_table_of_the_multi_dataset_example_matches_golden_files_in_every_format() {
    assert_golden("table/multi_dataset.txt", &table(&[]));
    assert_golden("table/multi_dataset.md", &table(&["--format", "md"]));
    assert_golden("table/multi_dataset.tex", &table(&["--latex"]));
    assert_golden(
        "table/multi_dataset_siunitx.tex",
        &table(&["--latex", "--siunitx", "--wide"]),
    );
    assert_golden(
        "table/multi_dataset_relative_best.md",
        &table(&["--format", "md", "--relative", "--mark", "baseline,best"]),
    );
    assert_golden(
        "table/multi_dataset_ci.tex",
        &table(&["--latex", "--fit", "--cell", "mean[ci]", "--second", "none"]),
    );
    assert_golden("table/multi_dataset.json", &table(&["--format", "json"]));
    assert_golden("table/multi_dataset.csv", &table(&["--format", "csv"]));
}

#[test]
fn json_report_has_the_schema_of_design_14() {
    let report = json(&[]);
    assert_eq!(report["schema"], "xreport.table/1");
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["condition"], "erm");
    assert_eq!(rows[0]["label"], "ERM");
    assert_eq!(rows[0]["group"], "Baselines");
    assert_eq!(rows[3]["group"], "Proposed");
    let columns = report["columns"].as_array().expect("columns");
    assert_eq!(columns.len(), 6);
    assert_eq!(columns[0]["task"], "cifar10");
    assert_eq!(columns[0]["metric"], "test.acc");
    assert_eq!(columns[1]["direction"], "lower");
    let c = cell(&report, "svhn", "test.acc", "ours");
    for key in [
        "condition",
        "task",
        "metric",
        "n",
        "mean",
        "std",
        "sem",
        "ci",
        "best",
        "second",
        "significant",
        "relative",
    ] {
        assert!(c.get(key).is_some(), "cell lacks {key}: {c}");
    }
    assert_eq!(c["n"], 5);
}

#[test]
fn best_second_and_dagger_marks_match_numpy_and_statsmodels_per_column() {
    let expected = reference("main_table.json");
    for family in ["metric", "all"] {
        let report = json(&["--family", family]);
        for column in expected["columns"].as_array().expect("columns") {
            let (task, metric) = (
                column["task"].as_str().expect("task"),
                column["metric"].as_str().expect("metric"),
            );
            let mine = report["columns"]
                .as_array()
                .expect("columns")
                .iter()
                .find(|c| c["task"] == task && c["metric"] == metric)
                .expect("the column");
            assert_eq!(mine["decimals"], column["decimals"], "{task} {metric}");
            let marked = |mark: &str| -> Vec<String> {
                let mut out: Vec<String> = ["erm", "mixup", "cutmix", "ours"]
                    .iter()
                    .filter(|m| cell(&report, task, metric, m)[mark] == true)
                    .map(|m| m.to_string())
                    .collect();
                out.sort();
                out
            };
            assert_eq!(marked("best"), names(&column["best"]), "{task} {metric}");
            assert_eq!(
                marked("second"),
                names(&column["second"]),
                "{task} {metric}"
            );
            for (method, test) in column["tests"].as_object().expect("tests") {
                let c = cell(&report, task, metric, method);
                let want = &test[family];
                assert_eq!(
                    c["significant"], want["significant"],
                    "{task} {metric} {method}"
                );
                assert_eq!(
                    c["dagger"], want["dagger"],
                    "{task} {metric} {method} ({family})"
                );
                assert_close(
                    c["p_adjusted"].as_f64().expect("p"),
                    want["p_adjusted"].as_f64().expect("p"),
                    1e-9,
                    &format!("{task} {metric} {method} p_adjusted ({family})"),
                );
            }
            for (method, mean) in column["mean"].as_object().expect("means") {
                let c = cell(&report, task, metric, method);
                assert_close(
                    c["mean"].as_f64().expect("mean"),
                    mean.as_f64().expect("mean"),
                    1e-12,
                    "mean",
                );
                assert_close(
                    c["std"].as_f64().expect("std"),
                    column["std"][method].as_f64().expect("std"),
                    1e-9,
                    "std",
                );
            }
        }
    }
}

#[test]
fn the_exact_tie_is_bold_twice_and_the_next_value_is_underlined() {
    let report = json(&[]);
    for method in ["cutmix", "ours"] {
        assert_eq!(cell(&report, "svhn", "test.acc", method)["best"], true);
    }
    assert_eq!(cell(&report, "svhn", "test.acc", "mixup")["second"], true);
    let md = String::from_utf8(table(&["--format", "md"])).expect("UTF-8");
    assert_eq!(md.matches("**96.60 ± 0.15**").count(), 2, "{md}");
}

#[test]
fn daggers_are_exactly_the_significant_improvements_of_xreport_compare_on_each_task() {
    let report = json(&[]);
    for task in ["cifar10", "cifar100", "svhn"] {
        let out = xreport()
            .args([
                "compare",
                &format!("{EXAMPLE}/runs/{task}"),
                "--baseline",
                "erm",
                "--format",
                "json",
            ])
            .assert()
            .success();
        let compared: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
        let comparisons = compared["comparisons"].as_array().expect("comparisons");
        assert_eq!(comparisons.len(), 6, "3 treatments x 2 metrics on {task}");
        for c in comparisons {
            let metric = c["metric"].as_str().expect("metric");
            let treatment = c["treatment"].as_str().expect("treatment");
            let mine = cell(&report, task, metric, treatment);
            assert_eq!(
                mine["significant"], c["significant"],
                "{task} {metric} {treatment}"
            );
            assert_eq!(
                mine["p_adjusted"], c["p_adjusted"],
                "{task} {metric} {treatment}"
            );
            let improvement = c["significant"] == true && c["verdict"] == "improvement";
            assert_eq!(mine["dagger"], improvement, "{task} {metric} {treatment}");
        }
    }
    // The regression (mixup's higher loss on cifar100) is significant, not daggered.
    let regression = cell(&report, "cifar100", "test.loss", "mixup");
    assert_eq!(regression["significant"], true);
    assert_eq!(regression["dagger"], false);
}

#[test]
fn a_result_table_with_a_task_column_gives_the_cells_of_the_run_tree() {
    let tree = json(&[]);
    let table = json(&[
        "results.csv",
        "--condition-col",
        "method",
        "--task-col",
        "dataset",
    ]);
    assert_eq!(tree["cells"], table["cells"]);
    let by_key = json(&["runs", "--task-key", "data.name"]);
    assert_eq!(tree["cells"], by_key["cells"]);
}

#[test]
fn tianshou_mujoco_as_methods_by_tasks_reproduces_the_published_cells() {
    // DESIGN/PROVENANCE convention: best mean over seeds within 1M steps, ± population std.
    let out = xreport()
        .args([
            "table",
            "tests/fixtures/tianshou_mujoco",
            "--task-key",
            "path:0",
            "--reduce",
            "best-mean",
            "--max-step",
            "1000000",
            "--ddof",
            "0",
            "--baseline",
            "ddpg",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let report: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    let published = [
        ("Ant-v3", "sac", 5850.2, 475.7),
        ("HalfCheetah-v3", "sac", 12138.8, 1049.3),
        ("HalfCheetah-v3", "ddpg", 11718.7, 465.6),
        ("Swimmer-v3", "ddpg", 144.1, 6.5),
        ("Humanoid-v3", "td3", 5189.5, 178.5),
        ("Reacher-v2", "ppo", -4.1, 0.3),
        ("InvertedDoublePendulum-v2", "sac", 9359.6, 0.4),
    ];
    for (task, algo, mean, std) in published {
        let c = cell(&report, task, "test_rew", algo);
        assert!(
            (c["mean"].as_f64().expect("mean") - mean).abs() < 0.05 + 1e-9,
            "{c}"
        );
        assert!(
            (c["std"].as_f64().expect("std") - std).abs() < 0.05 + 1e-9,
            "{c}"
        );
    }
    // InvertedPendulum: every algorithm reaches 1000 ± 0: all four tie for best,
    // no second, and no test (no variance), so no dagger.
    for algo in ["ddpg", "ppo", "sac", "td3"] {
        let c = cell(&report, "InvertedPendulum-v2", "test_rew", algo);
        assert_eq!(c["best"], true, "{c}");
        assert_eq!(c["second"], false, "{c}");
        assert_eq!(c["dagger"], false, "{c}");
    }
    assert_eq!(
        cell(&report, "HalfCheetah-v3", "test_rew", "sac")["best"],
        true
    );
    assert_eq!(
        cell(&report, "HalfCheetah-v3", "test_rew", "ddpg")["second"],
        true
    );
    let md = xreport()
        .args([
            "table",
            "examples/tianshou-mujoco",
            "--task-key",
            "path:0",
            "--reduce",
            "best-mean",
            "--max-step",
            "1000000",
            "--ddof",
            "0",
            "--digits",
            "1",
            "--baseline",
            "ddpg",
            "--format",
            "md",
        ])
        .assert()
        .success();
    let md = md.get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&md).contains("**3542.2 ± 51.5**†"));
    assert_golden("table/tianshou_mujoco.md", &md);
}

fn runs_with_a_missing_method() -> tempfile::TempDir {
    let mut texts = Vec::new();
    for (task, method, values) in [
        ("a", "base", [1.0, 1.1, 0.9]),
        ("a", "new", [2.0, 2.1, 1.9]),
        ("b", "base", [3.0, 3.1, 2.9]),
    ] {
        for (i, v) in values.iter().enumerate() {
            texts.push((
                format!("runs/{task}/{method}/seed_{i}/results.json"),
                format!("{{\"acc\": {v}}}"),
            ));
        }
    }
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    tree(&files)
}

#[test]
fn a_method_without_runs_on_a_task_gets_a_dash_and_a_note_never_nan() {
    let dir = runs_with_a_missing_method();
    for format in ["md", "json", "latex", "csv", "text"] {
        let out = xreport()
            .current_dir(dir.path())
            .args([
                "table",
                "runs",
                "--task-key",
                "path:0",
                "--baseline",
                "base",
                "--format",
                format,
            ])
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
        assert!(!text.contains("NaN") && !text.contains("nan"), "{text}");
        if format == "md" {
            assert!(text.contains("| new | **2.00 ± 0.10**† | — |"), "{text}");
            assert!(text.contains("new has no value of acc on b"), "{text}");
        }
        if format == "json" {
            let report: Value = serde_json::from_str(&text).expect("JSON");
            let c = cell(&report, "b", "acc", "new");
            assert_eq!(c["n"], 0);
            assert_eq!(c["mean"], Value::Null);
        }
    }
}

#[test]
fn an_unknown_task_key_exits_2_naming_it() {
    let out = xreport()
        .args([
            "table",
            &format!("{EXAMPLE}/runs"),
            "--task-key",
            "data.nmae",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("data.nmae"), "{err}");
    assert!(
        err.contains("data.name"),
        "the message lists the keys there are: {err}"
    );
}

#[test]
fn a_study_file_row_that_matches_nothing_exits_2_naming_it() {
    let dir = runs_with_a_missing_method();
    std::fs::write(
        dir.path().join("xreport.toml"),
        "runs = \"runs\"\n[table]\ntask_key = \"path:0\"\nrows = [\"base\", \"nwe\"]\n",
    )
    .expect("write study file");
    let out = xreport()
        .current_dir(dir.path())
        .arg("table")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("`nwe`"), "{err}");
}

/// Methods and tasks whose names carry every LaTeX special character.
fn hostile_runs() -> tempfile::TempDir {
    let mut texts = Vec::new();
    for (task, method, values) in [
        ("data_50%", "base", [1.0, 1.1, 0.9]),
        ("data_50%", "ours_&_#1 {x} ~y^2 $z \\w", [2.0, 2.1, 1.9]),
        ("set#2 & more", "base", [3.0, 3.1, 2.9]),
        ("set#2 & more", "ours_&_#1 {x} ~y^2 $z \\w", [3.5, 3.6, 3.4]),
    ] {
        for (i, v) in values.iter().enumerate() {
            texts.push((
                format!("runs/{task}/{method}/seed_{i}/results.json"),
                format!("{{\"err_%\": {v}, \"acc_&\": {}}}", 10.0 - v),
            ));
        }
    }
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    tree(&files)
}

#[test]
fn every_latex_variant_of_the_main_table_compiles_with_pdflatex() {
    if !pdflatex_available() {
        return;
    }
    let mut body = String::new();
    for args in [
        vec!["--latex"],
        vec!["--latex", "--wide", "--relative"],
        vec![
            "--latex",
            "--fit",
            "--cell",
            "mean[ci]",
            "--mark",
            "baseline,best",
        ],
        vec!["--latex", "--siunitx"],
        vec!["--latex", "--siunitx", "--cell", "mean±sem", "--fragment"],
        vec!["--latex", "--siunitx", "--cell", "mean", "--mark", "best"],
    ] {
        body.push_str(&String::from_utf8(table(&args)).expect("UTF-8"));
        body.push_str("\n\\clearpage\n");
    }
    let hostile = hostile_runs();
    for extra in [vec![], vec!["--siunitx", "--wide", "--fit"]] {
        let mut args = vec![
            "table",
            "runs",
            "--task-key",
            "path:0",
            "--baseline",
            "base",
            "--latex",
            "--caption",
            "Costs 50% & more: #1 {x} ~ ^ \\ $",
            "--label",
            "tab:x_y",
        ];
        args.extend(extra);
        let out = xreport()
            .current_dir(hostile.path())
            .args(&args)
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
        assert!(text.contains("data\\_50\\%"), "{text}");
        assert!(text.contains("set\\#2 \\& more"), "{text}");
        body.push_str(&text);
    }
    let dir = compile(&["booktabs", "siunitx", "etoolbox", "graphicx"], &body);
    assert!(dir.path().join("tables.pdf").is_file());
}
