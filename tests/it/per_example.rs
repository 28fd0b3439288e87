//! Per-example statistics (DESIGN section 12) through the binary, against
//! golden/reference/per_example.json (golden/reference_per_example.py:
//! statsmodels mcnemar, proportion_confint and clustered OLS, numpy
//! bootstraps) and golden/reference/two_way_coverage.json
//! (golden/simulate_two_way.py), plus the bad inputs of each flag.

use serde_json::Value;

use crate::common::{assert_golden, reference, tree, xreport};

const STUDY: &str = "examples/per-example/scores.csv";

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number, got {v}"))
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (tolerance {tol})"
    );
}

/// A tidy CSV of `[condition, seed, example, value]` rows, metric `acc`.
fn csv_of(rows: &Value) -> String {
    let mut out = String::from("condition,seed,example,metric,value\n");
    for r in rows.as_array().expect("rows") {
        out.push_str(&format!(
            "{},{},ex{:04},acc,{}\n",
            r[0].as_str().expect("condition"),
            r[1],
            r[2].as_u64().expect("example"),
            num(&r[3])
        ));
    }
    out
}

/// [`csv_of`] with a `passage` column: `clusters[example]`.
fn clustered_csv_of(rows: &Value, clusters: &[Value]) -> String {
    let mut out = String::from("condition,seed,example,passage,metric,value\n");
    for r in rows.as_array().expect("rows") {
        let example = r[2].as_u64().expect("example");
        out.push_str(&format!(
            "{},{},ex{example:04},{},acc,{}\n",
            r[0].as_str().expect("condition"),
            r[1],
            clusters[example as usize].as_str().expect("cluster"),
            num(&r[3])
        ));
    }
    out
}

/// `xreport COMMAND scores.csv ARGS... --format json` on `table`.
fn run_json(command: &str, table: &str, args: &[&str]) -> Value {
    crate::common::table_json(command, table, args)
}

/// Exit status and stderr of `xreport COMMAND scores.csv ARGS...` on `table`.
fn run_err(command: &str, table: &str, args: &[&str]) -> (Option<i32>, String) {
    let dir = tree(&[("scores.csv", table)]);
    let out = xreport()
        .arg(command)
        .arg(dir.path().join("scores.csv"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn cases(section: &str) -> Vec<Value> {
    reference("per_example.json")[section]
        .as_array()
        .expect("cases")
        .clone()
}

#[test]
fn mcnemar_matches_statsmodels_exact_scipy_mid_p_and_one_sided_binomial_tests() {
    for case in cases("mcnemar") {
        let table = csv_of(&case["rows"]);
        let name = case["name"].as_str().unwrap_or_default();
        for (extra, want) in [
            (vec![], &case["p_value"]),
            (vec!["--mid-p"], &case["mid_p"]),
            (vec!["--alternative", "greater"], &case["p_greater"]),
            (vec!["--alternative", "less"], &case["p_less"]),
        ] {
            let mut args = vec!["--baseline", "base", "--test", "mcnemar"];
            args.extend(extra.iter().copied());
            let report = run_json("compare", &table, &args);
            let c = &report["comparisons"][0];
            let ex = &c["examples"];
            assert_eq!(ex["discordant"][0], case["b"], "{name}");
            assert_eq!(ex["discordant"][1], case["c"], "{name}");
            close(num(&ex["statistic"]), num(&case["statistic"]), 0.0, name);
            close(
                num(&ex["p_value"]),
                num(want),
                1e-12,
                &format!("{name} {extra:?}"),
            );
            // the comparison's own p is McNemar's
            assert_eq!(c["p_value"], ex["p_value"], "{name}");
            assert_eq!(report["settings"]["test"], "mcnemar");
        }
    }
}

#[test]
fn proportion_intervals_match_statsmodels_wilson_and_beta() {
    for case in reference("per_example.json")["proportion"]
        .as_array()
        .expect("cases")
    {
        let (k, n) = (case["k"].as_u64().unwrap(), case["n"].as_u64().unwrap());
        let mut table = String::from("condition,seed,example,metric,value\n");
        for i in 0..n {
            table.push_str(&format!("sys,0,e{i},acc,{}\n", u64::from(i < k)));
        }
        let confidence = case["confidence"].to_string();
        for (method, key) in [("wilson", "wilson"), ("clopper-pearson", "beta")] {
            let args = ["--proportion-ci", method, "--confidence", &confidence];
            let report = run_json("summary", &table, &args);
            let ex = &report["groups"][0]["examples"];
            assert_eq!(ex["proportion_method"], method);
            for i in 0..2 {
                close(
                    num(&ex["proportion_ci"][i]),
                    num(&case[key][i]),
                    1e-12,
                    &format!("{method} {k}/{n}"),
                );
            }
        }
    }
}

/// Clustered rows of one system: example i scores `y[i]` in cluster `groups[i]`.
fn clustered_csv(case: &Value, condition: &str, zero: bool) -> String {
    let mut table = String::from("condition,seed,example,passage,metric,value\n");
    let ys = case["y"].as_array().expect("y");
    let groups = case["groups"].as_array().expect("groups");
    for (i, (y, g)) in ys.iter().zip(groups).enumerate() {
        let v = if zero { 0.0 } else { num(y) };
        table.push_str(&format!(
            "{condition},0,e{i:04},{},acc,{v}\n",
            g.as_str().expect("group")
        ));
    }
    table
}

#[test]
fn cluster_robust_errors_match_statsmodels_ols_with_cluster_covariance() {
    let tolerance = |sd: &Value, i: usize| (6.0 * std::f64::consts::SQRT_2 * num(&sd[i])).max(1e-9);
    for case in cases("cluster") {
        let name = case["name"].as_str().unwrap_or_default();
        // a condition's mean
        let report = run_json(
            "summary",
            &clustered_csv(&case, "sys", false),
            &["--cluster-col", "passage"],
        );
        let ex = &report["groups"][0]["examples"];
        assert_eq!(ex["clusters"], case["clusters"], "{name}");
        close(num(&ex["accuracy"]), num(&case["mean"]), 1e-12, name);
        close(num(&ex["cluster_se"]), num(&case["se"]), 1e-12, name);
        for i in 0..2 {
            close(
                num(&ex["cluster_t_ci"][i]),
                num(&case["t_ci"][i]),
                1e-10,
                name,
            );
            close(
                num(&ex["cluster_bootstrap_ci"][i]),
                num(&case["bootstrap_ci"][i]),
                tolerance(&case["bootstrap_ci_mc_sd"], i),
                name,
            );
        }
        // a paired difference: treatment − a baseline of zeros is y
        let table = clustered_csv(&case, "base", true)
            + clustered_csv(&case, "treat", false)
                .split_once('\n')
                .expect("a header")
                .1;
        let report = run_json(
            "compare",
            &table,
            &["--baseline", "base", "--cluster-col", "passage"],
        );
        let c = &report["comparisons"][0];
        let ex = &c["examples"];
        assert_eq!(ex["test"], "cluster-t", "{name}");
        assert_eq!(c["unit"], "examples");
        close(num(&ex["se"]), num(&case["se"]), 1e-12, name);
        close(num(&ex["statistic"]), num(&case["t"]), 1e-9, name);
        close(num(&ex["df"]), num(&case["df"]), 0.0, name);
        close(num(&c["p_value"]), num(&case["p_value"]), 1e-10, name);
        for i in 0..2 {
            close(
                num(&c["diff_ci"][i]),
                num(&case["bootstrap_ci"][i]),
                tolerance(&case["bootstrap_ci_mc_sd"], i),
                name,
            );
        }
    }
}

#[test]
fn the_two_way_interval_matches_numpy() {
    for case in cases("two_way") {
        let name = case["name"].as_str().unwrap_or_default();
        let (table, mut args) = match case["clusters"].as_array() {
            Some(clusters) => (
                clustered_csv_of(&case["rows"], clusters),
                vec!["--cluster-col", "passage"],
            ),
            None => (csv_of(&case["rows"]), vec![]),
        };
        args.extend(["--baseline", "base", "--unit", "both"]);
        let report = run_json("compare", &table, &args);
        let c = &report["comparisons"][0];
        assert_eq!(c["unit"], "both", "{name}");
        close(num(&c["diff"]), num(&case["diff"]), 1e-12, name);
        for i in 0..2 {
            close(num(&c["diff_ci"][i]), num(&case["ci"][i]), 1e-10, name);
        }
    }
}

#[test]
fn the_two_way_interval_covers_at_the_nominal_level_in_simulation() {
    let sim = reference("two_way_coverage.json");
    let level = num(&sim["confidence"]);
    let scenarios = sim["scenarios"].as_array().expect("scenarios");
    // 2 and 3 seeds, no seed noise, clusters, 10 seeds
    assert!(scenarios.len() >= 7);
    for scenario in scenarios {
        let coverage = num(&scenario["coverage"]);
        assert!(
            (level - 0.02..=level + 0.02).contains(&coverage),
            "{scenario}"
        );
        assert!(scenario["studies"].as_u64().expect("studies") >= 2000);
    }
    // the binary reproduces the simulated studies' intervals
    for study in sim["examples"].as_array().expect("examples") {
        let report = run_json(
            "compare",
            &csv_of(&study["rows"]),
            &["--baseline", "base", "--unit", "both"],
        );
        let ci = &report["comparisons"][0]["diff_ci"];
        close(num(&ci[0]), num(&study["ci"][0]), 1e-10, "lower end");
        close(num(&ci[1]), num(&study["ci"][1]), 1e-10, "upper end");
    }
}

#[test]
fn mcnemar_on_scores_that_are_not_zero_or_one_is_refused_with_the_reason() {
    let table = "condition,seed,example,metric,value\na,0,e1,acc,1\na,0,e2,acc,0.5\nb,0,e1,acc,1\nb,0,e2,acc,1\n";
    let (code, err) = run_err("compare", table, &["--baseline", "a", "--test", "mcnemar"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("scores.csv"), "{err}");
    assert!(err.contains("needs 0/1 scores"), "{err}");
    assert!(err.contains("example `e2`"), "{err}");
}

#[test]
fn mcnemar_with_disagreeing_seeds_names_the_majority_reduction() {
    let (code, err) = run_err(
        "compare",
        &std::fs::read_to_string(crate::common::root().join(STUDY)).unwrap(),
        &["--baseline", "gpt-small", "--test", "mcnemar"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--example-reduce majority"), "{err}");
}

#[test]
fn mcnemar_without_per_example_scores_is_refused() {
    let table = "condition,seed,acc\na,0,0.5\na,1,0.6\nb,0,0.7\nb,1,0.8\n";
    let (code, err) = run_err("compare", table, &["--baseline", "a", "--test", "mcnemar"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("needs per-example 0/1 scores"), "{err}");
}

#[test]
fn a_cluster_column_that_is_not_in_the_table_is_an_error_naming_it() {
    let table = "condition,seed,example,metric,value\na,0,e1,acc,1\nb,0,e1,acc,0\n";
    let (code, err) = run_err("summary", table, &["--cluster-col", "passage"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("scores.csv"), "{err}");
    assert!(err.contains("no `passage` column"), "{err}");
}

#[test]
fn an_empty_cluster_value_is_an_error_naming_the_line() {
    let table = "condition,seed,example,passage,metric,value\na,0,e1,p1,acc,1\na,0,e2,,acc,0\n";
    let (code, err) = run_err("summary", table, &["--cluster-col", "passage"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("empty `passage`"), "{err}");
}

#[test]
fn an_example_in_two_clusters_is_an_error() {
    let table = "condition,seed,example,passage,metric,value\na,0,e1,p1,acc,1\nb,0,e1,p2,acc,0\n";
    let (code, err) = run_err("summary", table, &["--cluster-col", "passage"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("belongs to one cluster"), "{err}");
}

#[test]
fn one_cluster_leaves_the_cluster_robust_test_undefined_and_says_so() {
    let table = "condition,seed,example,passage,metric,value\n\
                 a,0,e1,p1,acc,1\na,0,e2,p1,acc,0\na,0,e3,p1,acc,1\n\
                 b,0,e1,p1,acc,1\nb,0,e2,p1,acc,1\nb,0,e3,p1,acc,1\n";
    let report = run_json(
        "compare",
        table,
        &[
            "--baseline",
            "a",
            "--cluster-col",
            "passage",
            "--resamples",
            "1000",
        ],
    );
    let c = &report["comparisons"][0];
    assert!(c["p_value"].is_null(), "{c}");
    assert_eq!(c["verdict"], "undefined");
    let notes = c["notes"].to_string();
    assert!(notes.contains("1 cluster"), "{notes}");
}

#[test]
fn an_unknown_unit_is_a_usage_error() {
    let out = xreport()
        .args(["compare", STUDY, "--unit", "passages"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("passages"), "{err}");
    assert!(err.contains("seeds, examples, both"), "{err}");
}

#[test]
fn mcnemar_is_refused_where_there_is_no_per_example_comparison() {
    let out = xreport()
        .args(["ablation", STUDY, "--test", "mcnemar"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn compare_of_the_example_study_with_clusters_matches_golden_markdown() {
    let out = xreport()
        .args([
            "compare",
            STUDY,
            "--baseline",
            "gpt-small",
            "--cluster-col",
            "passage",
            "--resamples",
            "2000",
            "--format",
            "md",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_golden("per_example/compare_clustered.md", &out.stdout);
}

#[test]
fn summary_with_wilson_intervals_and_coverage_matches_golden_markdown() {
    let out = xreport()
        .args([
            "summary",
            STUDY,
            "--example-reduce",
            "majority",
            "--proportion-ci",
            "wilson",
            "--resamples",
            "2000",
            "--format",
            "md",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_golden("per_example/summary_wilson.md", &out.stdout);
}

#[test]
fn compare_with_mcnemar_on_majority_votes_matches_golden_json() {
    let out = xreport()
        .args([
            "compare",
            STUDY,
            "--baseline",
            "gpt-small",
            "--test",
            "mcnemar",
            "--example-reduce",
            "majority",
            "--resamples",
            "2000",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_golden("per_example/compare_mcnemar.json", &out.stdout);
}

#[test]
fn table_cells_carry_the_accuracy_interval_and_coverage() {
    let out = xreport()
        .args([
            "table",
            STUDY,
            "--example-reduce",
            "majority",
            "--proportion-ci",
            "clopper-pearson",
            "--unit",
            "examples",
            "--resamples",
            "1000",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for cell in report["cells"].as_array().expect("cells") {
        let ex = &cell["examples"];
        assert_eq!(ex["proportion_method"], "clopper-pearson", "{cell}");
        assert_eq!(ex["coverage"], serde_json::json!([80, 80]), "{cell}");
        let (lo, hi) = (num(&ex["proportion_ci"][0]), num(&ex["proportion_ci"][1]));
        assert!(
            lo < num(&ex["accuracy"]) && num(&ex["accuracy"]) < hi,
            "{cell}"
        );
    }
}

#[test]
fn majority_over_seeds_is_a_strict_majority() {
    // e1: 2 of 3 seeds right → 1; e2: 1 of 3 → 0; with two seeds a 1–1 tie is 0
    let table = "condition,seed,example,metric,value\n\
                 a,0,e1,acc,1\na,1,e1,acc,1\na,2,e1,acc,0\na,0,e2,acc,1\na,1,e2,acc,0\na,2,e2,acc,0\n\
                 b,0,e1,acc,1\nb,1,e1,acc,0\nb,0,e2,acc,1\nb,1,e2,acc,0\n";
    let report = run_json(
        "summary",
        table,
        &["--example-reduce", "majority", "--resamples", "1000"],
    );
    let groups = report["groups"].as_array().expect("groups");
    close(num(&groups[0]["examples"]["accuracy"]), 0.5, 0.0, "a");
    close(num(&groups[1]["examples"]["accuracy"]), 0.0, 0.0, "b");
}

#[test]
fn a_cluster_column_on_inputs_without_examples_is_an_error() {
    let table = "condition,seed,acc\na,0,0.5\na,1,0.6\n";
    let (code, err) = run_err("summary", table, &["--cluster-col", "passage"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--cluster-col passage"), "{err}");
}

/// Three systems, one seed each, scored 0/1 on 40 examples of two tasks.
fn one_seed_study() -> String {
    let mut out = String::from("condition,seed,task,example,metric,value\n");
    for (condition, right) in [("base", 5), ("ours", 7), ("big", 8)] {
        for (t, task) in ["qa", "nli"].iter().enumerate() {
            for i in 0..40 {
                let v = u8::from((i * 7 + t * 3 + condition.len()) % 10 < right - t);
                out.push_str(&format!("{condition},0,{task},ex{i:02},accuracy,{v}\n"));
            }
        }
    }
    out
}

/// `xreport table scores.csv --baseline base --cell mean ARGS...` on the one-seed study.
fn one_seed_table(args: &[&str]) -> Vec<u8> {
    let dir = tree(&[("scores.csv", &one_seed_study())]);
    let out = xreport()
        .current_dir(dir.path())
        .args([
            "table",
            "scores.csv",
            "--baseline",
            "base",
            "--cell",
            "mean",
        ])
        .args(args)
        .args(["--resamples", "1000"])
        .assert()
        .success();
    out.get_output().stdout.clone()
}

#[test]
fn table_prints_the_wilson_interval_beside_each_accuracy_in_text_markdown_and_latex() {
    let wilson = ["--proportion-ci", "wilson"];
    let text = one_seed_table(&[&wilson[..], &["--format", "text"]].concat());
    assert_golden("per_example/table_wilson.txt", &text);
    // statsmodels proportion_confint(20, 40, method="wilson") = (0.3520, 0.6480)
    assert!(
        String::from_utf8_lossy(&text).contains("0.50 [0.35, 0.65]"),
        "{}",
        String::from_utf8_lossy(&text)
    );
    let md = one_seed_table(&[&wilson[..], &["--format", "md"]].concat());
    assert_golden("per_example/table_wilson.md", &md);
    let tex = one_seed_table(&[&wilson[..], &["--latex"]].concat());
    assert_golden("per_example/table_wilson.tex", &tex);
    let cp = one_seed_table(&["--proportion-ci", "clopper-pearson", "--latex", "--siunitx"]);
    assert_golden("per_example/table_clopper_pearson_siunitx.tex", &cp);
    if crate::latex::pdflatex_available() {
        let body = format!(
            "{}\n{}",
            String::from_utf8(tex).expect("UTF-8"),
            String::from_utf8(cp).expect("UTF-8")
        );
        let dir = crate::latex::compile(&["booktabs", "siunitx", "etoolbox"], &body);
        assert!(dir.path().join("tables.pdf").is_file());
    }
}

#[test]
fn table_prints_no_proportion_interval_unless_asked() {
    let text = String::from_utf8(one_seed_table(&["--format", "md"])).expect("UTF-8");
    assert!(!text.contains("[0.35, 0.65]"), "{text}");
    assert!(!text.contains("Brackets after an accuracy"), "{text}");
}

/// `xreport ARGS... --format json` in `dir`.
fn json_in(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = xreport()
        .current_dir(dir)
        .args(args)
        .args(["--resamples", "1000", "--format", "json"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON")
}

#[test]
fn the_study_file_sets_the_per_example_flags_and_the_flags_override_it() {
    let toml = "baseline = \"base\"\n\n[stats]\ntest = \"mcnemar\"\n\n[examples]\n\
                example_reduce = \"majority\"\nproportion_ci = \"clopper-pearson\"\n\
                missing = \"drop\"\nunit = \"examples\"\nmid_p = true\n";
    let dir = tree(&[("scores.csv", &one_seed_study()), ("xreport.toml", toml)]);
    let report = json_in(dir.path(), &["compare", "scores.csv"]);
    let settings = &report["settings"]["examples"];
    assert_eq!(settings["example_reduce"], "majority", "{settings}");
    assert_eq!(settings["proportion_ci"], "clopper-pearson", "{settings}");
    assert_eq!(settings["missing"], "drop", "{settings}");
    assert_eq!(settings["mid_p"], true, "{settings}");
    let c = &report["comparisons"][0];
    assert_eq!(c["unit"], "examples", "{c}");
    assert_eq!(c["examples"]["test"], "mcnemar-mid-p", "{c}");

    let report = json_in(
        dir.path(),
        &[
            "compare",
            "scores.csv",
            "--proportion-ci",
            "wilson",
            "--missing",
            "fail",
            "--example-reduce",
            "mean",
        ],
    );
    let settings = &report["settings"]["examples"];
    assert_eq!(settings["proportion_ci"], "wilson", "{settings}");
    assert_eq!(settings["missing"], "fail", "{settings}");
    assert_eq!(settings["example_reduce"], "mean", "{settings}");

    // a study file's proportion_ci prints the intervals in `xreport table`
    let out = xreport()
        .current_dir(dir.path())
        .args(["table", "scores.csv", "--cell", "mean", "--format", "md"])
        .args(["--resamples", "1000"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    // statsmodels proportion_confint(20, 40, method="beta") = (0.3380, 0.6620)
    assert!(text.contains("0.50 [0.34, 0.66]"), "{text}");
    assert!(text.contains("Clopper–Pearson"), "{text}");
}

#[test]
fn the_study_file_names_the_cluster_column() {
    let scores = std::fs::read_to_string(crate::common::root().join(STUDY)).expect("study");
    let toml = "[examples]\ncluster_col = \"passage\"\nunit = \"examples\"\n";
    let dir = tree(&[("scores.csv", &scores), ("xreport.toml", toml)]);
    let report = json_in(
        dir.path(),
        &["compare", "scores.csv", "--baseline", "gpt-small"],
    );
    let ex = &report["comparisons"][0]["examples"];
    assert_eq!(ex["clusters"], 20, "{ex}");
    assert_eq!(ex["test"], "cluster-t", "{ex}");
}

#[test]
fn an_unknown_examples_key_in_the_study_file_is_named() {
    let dir = tree(&[
        ("scores.csv", &one_seed_study()),
        ("xreport.toml", "[examples]\nreduce = \"majority\"\n"),
    ]);
    let out = xreport()
        .current_dir(dir.path())
        .args(["summary", "scores.csv"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("xreport.toml") && err.contains("reduce"),
        "{err}"
    );
}
