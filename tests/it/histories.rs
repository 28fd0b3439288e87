//! Training histories: the Tianshou RL CSVs, `--reduce`, `--max-step`.

use crate::common::{assert_close, assert_golden, reference, tree, xreport};

/// The "Tianshou (1M)" column of tianshou's examples/mujoco/README.md at
/// commit 39acf20 (see /work/shared/data/PROVENANCE.md section 2): env, algo,
/// published cell, step of the best mean, and — for the two cells the CSVs do
/// not reproduce — what the CSVs give instead.
const CELLS: &[(&str, &str, &str, i64, Option<&str>)] = &[
    ("Ant-v3", "sac", "5850.2 ± 475.7", 985000, None),
    (
        "Ant-v3",
        "td3",
        "5116.4 ± 799.9",
        905000,
        Some("5053.9 ± 762.4"),
    ),
    ("Ant-v3", "ddpg", "990.4 ± 4.3", 0, None),
    ("Ant-v3", "ppo", "3258.4 ± 1079.3", 983040, None),
    ("HalfCheetah-v3", "sac", "12138.8 ± 1049.3", 990000, None),
    ("HalfCheetah-v3", "td3", "10201.2 ± 772.8", 985000, None),
    ("HalfCheetah-v3", "ddpg", "11718.7 ± 465.6", 980000, None),
    ("HalfCheetah-v3", "ppo", "5783.9 ± 1244.0", 921600, None),
    ("Hopper-v3", "sac", "3542.2 ± 51.5", 970000, None),
    ("Hopper-v3", "td3", "3472.2 ± 116.8", 865000, None),
    ("Hopper-v3", "ddpg", "2197.0 ± 971.6", 995000, None),
    ("Hopper-v3", "ppo", "2609.3 ± 700.8", 890880, None),
    ("Walker2d-v3", "sac", "5007.0 ± 251.5", 995000, None),
    ("Walker2d-v3", "td3", "3982.4 ± 274.5", 985000, None),
    ("Walker2d-v3", "ddpg", "1400.6 ± 905.0", 975000, None),
    ("Walker2d-v3", "ppo", "3588.5 ± 756.6", 890880, None),
    ("Swimmer-v3", "sac", "44.4 ± 0.5", 960000, None),
    ("Swimmer-v3", "td3", "104.2 ± 34.2", 990000, None),
    ("Swimmer-v3", "ddpg", "144.1 ± 6.5", 990000, None),
    ("Swimmer-v3", "ppo", "66.7 ± 99.1", 952320, None),
    ("Humanoid-v3", "sac", "5488.5 ± 81.2", 970000, None),
    ("Humanoid-v3", "td3", "5189.5 ± 178.5", 975000, None),
    ("Humanoid-v3", "ddpg", "177.3 ± 77.6", 0, None),
    ("Humanoid-v3", "ppo", "787.1 ± 193.5", 983040, None),
    ("Reacher-v2", "sac", "-2.6 ± 0.2", 705000, None),
    ("Reacher-v2", "td3", "-2.7 ± 0.2", 705000, None),
    ("Reacher-v2", "ddpg", "-3.3 ± 0.3", 355000, None),
    ("Reacher-v2", "ppo", "-4.1 ± 0.3", 952320, None),
    ("InvertedPendulum-v2", "sac", "1000.0 ± 0.0", 10000, None),
    ("InvertedPendulum-v2", "td3", "1000.0 ± 0.0", 35000, None),
    ("InvertedPendulum-v2", "ddpg", "1000.0 ± 0.0", 20000, None),
    ("InvertedPendulum-v2", "ppo", "1000.0 ± 0.0", 61440, None),
    (
        "InvertedDoublePendulum-v2",
        "sac",
        "9359.5 ± 0.4",
        195000,
        Some("9359.6 ± 0.4"),
    ),
    (
        "InvertedDoublePendulum-v2",
        "td3",
        "9349.2 ± 14.3",
        55000,
        None,
    ),
    (
        "InvertedDoublePendulum-v2",
        "ddpg",
        "8364.3 ± 2778.9",
        25000,
        None,
    ),
    (
        "InvertedDoublePendulum-v2",
        "ppo",
        "9231.3 ± 270.4",
        399360,
        None,
    ),
];

/// Hopper and Walker2d ship as examples; the other seven envs are test fixtures.
fn env_dir(env: &str) -> String {
    if matches!(env, "Hopper-v3" | "Walker2d-v3") {
        format!("examples/tianshou-mujoco/{env}")
    } else {
        format!("tests/fixtures/tianshou_mujoco/{env}")
    }
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let out = xreport().args(args).assert().success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON output")
}

/// The "mean ± std" cell of `condition` in a Markdown summary.
fn md_cell(md: &str, condition: &str) -> String {
    md.lines()
        .find(|l| l.starts_with(&format!("| {condition} |")))
        .and_then(|l| l.split('|').nth(4))
        .map(|c| c.trim().trim_matches('*').to_string())
        .unwrap_or_else(|| panic!("no row for {condition} in\n{md}"))
}

#[test]
fn best_mean_with_population_std_reproduces_every_tianshou_readme_cell_that_provenance_says_reproduces()
 {
    let mut envs: Vec<&str> = CELLS.iter().map(|c| c.0).collect();
    envs.dedup();
    for env in envs {
        let dir = env_dir(env);
        let base = [
            "summary",
            dir.as_str(),
            "--reduce",
            "best-mean",
            "--ddof",
            "0",
            "--max-step",
            "1000000",
            "--digits",
            "1",
            "--resamples",
            "100",
        ];
        let out = xreport()
            .args(base)
            .args(["--format", "md"])
            .assert()
            .success();
        let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        let json = run_json(&[&base[..], &["--format", "json"]].concat());
        assert_eq!(json["settings"]["reduce"], "best-mean");
        assert_eq!(json["settings"]["ddof"], 0);
        assert_eq!(json["settings"]["max_step"], 1_000_000);
        for (_, algo, published, step, instead) in CELLS.iter().filter(|c| c.0 == env) {
            let printed = md_cell(&md, algo);
            match instead {
                None => assert_eq!(&printed, published, "{env} {algo}"),
                Some(computed) => {
                    assert_ne!(
                        &printed, published,
                        "{env} {algo} is not expected to reproduce"
                    );
                    assert_eq!(&printed, computed, "{env} {algo}");
                }
            }
            let group = json["groups"]
                .as_array()
                .and_then(|g| g.iter().find(|g| g["condition"] == *algo))
                .expect("group");
            let note = format!("best-mean at step {step}");
            assert!(
                group["notes"]
                    .as_array()
                    .is_some_and(|n| n.iter().any(|n| n == &note[..])),
                "{env} {algo}: {}",
                group["notes"]
            );
        }
    }
}

#[test]
fn every_reduce_rule_gives_the_numbers_numpy_gives() {
    let reference = reference("histories_tianshou.json");
    for case in reference["cases"].as_array().expect("cases") {
        let env = case["env"].as_str().expect("env");
        let algo = case["algo"].as_str().expect("algo");
        let rule = case["reduce"].as_str().expect("rule");
        let dir = format!("{}/{algo}", env_dir(env));
        let mut args = vec![
            "summary".to_string(),
            dir,
            "--reduce".into(),
            rule.into(),
            "--resamples".into(),
            "100".into(),
            "--format".into(),
            "json".into(),
        ];
        if let Some(max) = case["max_step"].as_i64() {
            args.extend(["--max-step".into(), max.to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for ddof in [0, 1] {
            let ddof_text = ddof.to_string();
            let json = run_json(&[&args[..], &["--ddof", &ddof_text]].concat());
            let group = &json["groups"][0];
            let what = format!("{env} {algo} {rule} {:?}", case["max_step"]);
            assert_eq!(group["values"], case["values"], "{what}");
            let mean = group["mean"].as_f64().expect("mean");
            assert_close(mean, case["mean"].as_f64().expect("mean"), 1e-14, &what);
            let std = group["std"].as_f64().expect("std");
            let key = format!("std_ddof{ddof}");
            assert_close(std, case[&key].as_f64().expect("std"), 1e-12, &what);
        }
        if rule == "per-seed-best" {
            let json = run_json(&args);
            let notes = json["groups"][0]["notes"].to_string();
            assert!(notes.contains("optimistic"), "{notes}");
        }
    }
}

#[test]
fn compare_at_one_million_steps_matches_scipy_welch_on_hopper_sac_against_td3() {
    let json = run_json(&[
        "compare",
        "examples/tianshou-mujoco/Hopper-v3/td3",
        "examples/tianshou-mujoco/Hopper-v3/sac",
        "--reduce",
        "step=1000000",
        "--resamples",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(json["settings"]["reduce"], "step=1000000");
    let c = &json["comparisons"][0];
    assert_eq!(c["baseline"], "td3");
    assert_eq!(c["treatment"], "sac");
    // PROVENANCE.md section 2: Welch t = 1.5487, df = 9.056, p = 0.1556 (scipy).
    assert_close(c["statistic"].as_f64().expect("t"), 1.5487, 1e-4, "t");
    assert_close(c["df"].as_f64().expect("df"), 9.056, 1e-3, "df");
    assert_close(c["p_value"].as_f64().expect("p"), 0.1556, 1e-3, "p");
}

#[test]
fn a_report_without_histories_does_not_state_a_reduction() {
    let json = run_json(&["summary", "examples/tables/long.csv", "--format", "json"]);
    assert!(
        json["settings"].get("reduce").is_none(),
        "{}",
        json["settings"]
    );
}

#[test]
fn an_unknown_reduce_rule_exits_2_naming_the_rules() {
    let out = xreport()
        .args([
            "summary",
            "examples/tianshou-mujoco/Hopper-v3",
            "--reduce",
            "max",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("last, best-mean, per-seed-best, step=N"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_rl_csv_exits_2_naming_the_file_and_line() {
    let dir = tree(&[(
        "sac/test_rew_2seeds.csv",
        "env_step,rew,rew:shaded,rew:seed_0_a/test_rew.csv,rew:seed_1_b/test_rew.csv\n0,1,0,1,1\n5000,2,0,two,2\n",
    )]);
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("test_rew_2seeds.csv:line 3"), "{stderr}");
    assert!(stderr.contains("seed 0"), "{stderr}");
}

#[test]
fn an_rl_csv_without_env_step_exits_2() {
    let dir = tree(&[("sac/test_rew_1seeds.csv", "step,rew:seed_0_a\n0,1\n")]);
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("no `env_step` column"), "{stderr}");
}

#[test]
fn curves_give_the_mean_over_seeds_at_every_step_and_the_smoothed_mean_pandas_gives() {
    let reference = reference("histories_tianshou.json");
    let curve = &reference["curve_hopper_sac"];
    for (smooth, key) in [(None, "mean"), (Some("0.6"), "mean_smooth_0.6")] {
        let mut args = vec![
            "curves",
            "examples/tianshou-mujoco/Hopper-v3/sac",
            "--resamples",
            "200",
            "--format",
            "json",
        ];
        if let Some(w) = smooth {
            args.extend(["--smooth", w]);
        }
        let json = run_json(&args);
        assert_eq!(json["schema"], "xreport.curves/1");
        let points = json["curves"][0]["points"].as_array().expect("points");
        let expected = curve[key].as_array().expect("mean");
        assert_eq!(points.len(), expected.len());
        for ((p, step), mean) in points
            .iter()
            .zip(curve["steps"].as_array().expect("steps"))
            .zip(expected)
        {
            assert_eq!(&p["step"], step);
            assert_eq!(p["n"], 10);
            let m = p["mean"].as_f64().expect("mean");
            assert_close(
                m,
                mean.as_f64().expect("mean"),
                1e-12,
                &format!("{key} at {step}"),
            );
            let lo = p["ci"][0].as_f64().expect("lo");
            let hi = p["ci"][1].as_f64().expect("hi");
            assert!(lo <= m && m <= hi, "{key} at {step}: {lo} {m} {hi}");
        }
    }
}

#[test]
fn curves_output_is_byte_identical_across_runs_and_cut_by_max_step() {
    let args = [
        "curves",
        "examples/tianshou-mujoco/Walker2d-v3",
        "--resamples",
        "200",
        "--max-step",
        "1000000",
        "--format",
        "csv",
    ];
    let first = xreport()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let second = xreport()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(first, second);
    let text = String::from_utf8(first).expect("utf-8");
    assert!(text.starts_with("condition,metric,step,n,mean,ci_lo,ci_hi\n"));
    assert!(text.contains("\nsac,test_rew,1000000,10,"));
    assert!(!text.contains(",1005000,"));
}

#[test]
fn curves_of_results_without_histories_exit_2() {
    xreport()
        .args(["curves", "examples/tables/long.csv"])
        .assert()
        .code(2);
}

#[test]
fn a_smoothing_weight_of_one_or_more_exits_2() {
    xreport()
        .args([
            "curves",
            "examples/tianshou-mujoco/Hopper-v3",
            "--smooth",
            "1",
        ])
        .assert()
        .code(2);
}

#[test]
fn curves_draw_a_deterministic_png_and_svg_matching_golden() {
    let dir = tempfile::tempdir().expect("temp dir");
    for ext in ["png", "svg"] {
        let mut bytes = Vec::new();
        for i in 0..2 {
            let path = dir.path().join(format!("curves{i}.{ext}"));
            xreport()
                .args([
                    "curves",
                    "tests/fixtures/curves_small",
                    "--resamples",
                    "1000",
                    "--smooth",
                    "0.5",
                    "-o",
                ])
                .arg(&path)
                .assert()
                .success();
            bytes.push(std::fs::read(&path).expect("figure written"));
        }
        assert_eq!(bytes[0], bytes[1], "{ext} differs between runs");
        if ext == "png" {
            assert_eq!(&bytes[0][..8], b"\x89PNG\r\n\x1a\n");
        }
        assert_golden(&format!("curves/small.{ext}"), &bytes[0]);
    }
}

#[test]
fn curves_json_of_the_small_fixture_matches_golden() {
    let out = xreport()
        .args([
            "curves",
            "tests/fixtures/curves_small",
            "--resamples",
            "1000",
            "--format",
            "json",
        ])
        .assert()
        .success();
    assert_golden("curves/small.json", &out.get_output().stdout);
}

/// `summary --reduce RULE` of one metric of a fixture tree, values per condition.
fn reduced_values(dir: &str, metric: &str, rule: &str) -> Vec<(String, serde_json::Value)> {
    let json = run_json(&[
        "summary",
        dir,
        "--metric",
        metric,
        "--reduce",
        rule,
        "--resamples",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(json["settings"]["reduce"], rule);
    json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["condition"].as_str().unwrap_or("").to_string(),
                g["values"].clone(),
            )
        })
        .collect()
}

#[test]
fn trainer_state_and_lightning_histories_reduce_as_numpy_does() {
    let reference = reference("histories_loggers.json");
    for (dir, metric, key) in [
        ("tests/fixtures/histories/hf", "eval_loss", "hf_eval_loss"),
        (
            "tests/fixtures/histories/lightning",
            "val_loss",
            "lightning_val_loss",
        ),
    ] {
        for rule in ["last", "best-mean", "per-seed-best"] {
            for (condition, values) in reduced_values(dir, metric, rule) {
                assert_eq!(
                    values, reference[key][&condition][rule],
                    "{dir} {condition} {rule}"
                );
            }
        }
    }
}

#[test]
fn a_trainer_state_history_is_drawn_as_curves_on_its_eval_steps() {
    let json = run_json(&[
        "curves",
        "tests/fixtures/histories/hf",
        "--metric",
        "eval_loss",
        "--resamples",
        "100",
        "--format",
        "json",
    ]);
    let steps: Vec<i64> = json["curves"][0]["points"]
        .as_array()
        .expect("points")
        .iter()
        .filter_map(|p| p["step"].as_i64())
        .collect();
    assert_eq!(steps, vec![50, 100, 150, 200, 250, 300]);
}

#[test]
fn a_wide_table_with_a_step_column_is_a_history() {
    let dir = tree(&[(
        "curves.csv",
        "condition,seed,step,val.loss\na,0,10,3.0\na,0,20,1.0\na,0,30,2.0\na,1,10,3.0\na,1,20,2.0\na,1,30,2.5\n",
    )]);
    let path = dir.path().join("curves.csv");
    let path = path.to_str().expect("utf-8 path");
    let values = |rule: &str| reduced_values(path, "val.loss", rule)[0].1.clone();
    assert_eq!(values("last"), serde_json::json!([2.0, 2.5]));
    assert_eq!(values("best-mean"), serde_json::json!([1.0, 2.0]));
    assert_eq!(values("per-seed-best"), serde_json::json!([1.0, 2.0]));
    assert_eq!(values("step=25"), serde_json::json!([1.0, 2.0]));
}

fn assert_exit_2_naming(files: &[(&str, &str)], needles: &[&str]) {
    let dir = tree(files);
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
}

#[test]
fn a_truncated_trainer_state_exits_2_naming_the_file() {
    assert_exit_2_naming(
        &[(
            "a/seed_0/trainer_state.json",
            "{\"log_history\": [{\"step\": 1, \"loss\": 2.0},",
        )],
        &["seed_0/trainer_state.json", "malformed JSON"],
    );
}

#[test]
fn a_trainer_state_entry_without_a_step_exits_2_naming_the_entry() {
    assert_exit_2_naming(
        &[(
            "a/seed_0/trainer_state.json",
            "{\"log_history\": [{\"step\": 1, \"loss\": 2.0}, {\"loss\": 1.0}]}",
        )],
        &["trainer_state.json:$.log_history[1].step"],
    );
}

#[test]
fn a_lightning_csv_with_a_bad_cell_exits_2_naming_the_line() {
    assert_exit_2_naming(
        &[(
            "a/seed_0/metrics.csv",
            "epoch,step,val_loss\n0,9,1.5\n1,19,oops\n",
        )],
        &["metrics.csv:line 3", "`val_loss`"],
    );
}

#[test]
fn a_lightning_csv_without_a_step_column_exits_2() {
    assert_exit_2_naming(
        &[("a/seed_0/metrics.csv", "epoch,val_loss\n0,1.5\n")],
        &["metrics.csv:line 1", "no `step` column"],
    );
}

#[test]
fn npy_curves_one_per_seed_reduce_as_numpy_does() {
    let reference = reference("histories_npy.json");
    for rule in ["last", "best-mean", "per-seed-best"] {
        let json = run_json(&[
            "summary",
            "tests/fixtures/npy_curves",
            "--reduce",
            rule,
            "--ddof",
            "0",
            "--resamples",
            "100",
            "--format",
            "json",
        ]);
        for group in json["groups"].as_array().expect("groups") {
            let condition = group["condition"].as_str().expect("condition");
            let expected = &reference["conditions"][condition];
            assert_eq!(group["metric"], expected["metric"]);
            assert_eq!(group["seeds"], serde_json::json!([0, 1, 2, 3, 4]));
            assert_eq!(group["values"], expected[rule], "{condition} {rule}");
            if rule == "best-mean" {
                let what = format!("{condition} best-mean");
                let mean = group["mean"].as_f64().expect("mean");
                assert_close(
                    mean,
                    expected["best_mean_mean"].as_f64().expect("m"),
                    1e-14,
                    &what,
                );
                let std = group["std"].as_f64().expect("std");
                assert_close(
                    std,
                    expected["best_mean_std_ddof0"].as_f64().expect("s"),
                    1e-12,
                    &what,
                );
                let note = format!("best-mean at step {}", expected["best_step"]);
                assert!(
                    group["notes"].to_string().contains(&note),
                    "{}",
                    group["notes"]
                );
            }
        }
    }
}

#[test]
fn a_truncated_npy_curve_exits_2_naming_the_file_and_byte_offset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good =
        std::fs::read("tests/fixtures/npy_curves/Hopper/TD3_Hopper-v1_0.npy").expect("fixture");
    std::fs::create_dir_all(dir.path().join("Hopper")).expect("mkdir");
    std::fs::write(dir.path().join("Hopper/TD3_Hopper-v1_0.npy"), &good).expect("write");
    std::fs::write(
        dir.path().join("Hopper/TD3_Hopper-v1_1.npy"),
        &good[..good.len() - 5],
    )
    .expect("write");
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("TD3_Hopper-v1_1.npy:byte "), "{stderr}");
    assert!(stderr.contains("truncated"), "{stderr}");
}

#[test]
fn an_npy_file_that_is_not_npy_exits_2() {
    let dir = tree(&[("a/seed_0.npy", "not numpy")]);
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("seed_0.npy:byte 0"), "{stderr}");
}

/// The per-seed values of every step of `metric` in a curves report, per condition.
fn curve_values(json: &serde_json::Value, condition: &str) -> Vec<f64> {
    json["curves"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["condition"] == condition))
        .and_then(|c| c["points"].as_array())
        .map(|p| p.iter().filter_map(|p| p["mean"].as_f64()).collect())
        .unwrap_or_default()
}

#[test]
fn tensorboard_scalars_as_simple_values_and_tensors_are_read_exactly() {
    let reference = reference("histories_tensorboard.json");
    for metric in ["val/loss", "test/acc"] {
        for (condition, per_seed) in reference[metric].as_object().expect("conditions") {
            let rows: Vec<Vec<f64>> = per_seed
                .as_array()
                .expect("seeds")
                .iter()
                .map(|s| {
                    s.as_array()
                        .expect("values")
                        .iter()
                        .filter_map(|v| v.as_f64())
                        .collect()
                })
                .collect();
            let last: Vec<f64> = rows.iter().filter_map(|r| r.last().copied()).collect();
            let (_, values) = reduced_values("tests/fixtures/tensorboard", metric, "last")
                .into_iter()
                .find(|(c, _)| c == condition)
                .expect("condition");
            assert_eq!(values, serde_json::json!(last), "{metric} {condition}");
            let json = run_json(&[
                "curves",
                "tests/fixtures/tensorboard",
                "--metric",
                metric,
                "--resamples",
                "100",
                "--format",
                "json",
            ]);
            let means = curve_values(&json, condition);
            assert_eq!(means.len(), rows[0].len(), "{metric} {condition}");
            for (j, mean) in means.iter().enumerate() {
                let column: Vec<f64> = rows.iter().map(|r| r[j]).collect();
                let expected = column.iter().sum::<f64>() / column.len() as f64;
                assert_close(
                    *mean,
                    expected,
                    1e-14,
                    &format!("{metric} {condition} step {j}"),
                );
            }
        }
    }
}

/// A copy of the TensorBoard fixture with one event file changed by `damage`.
fn damaged_tensorboard(damage: impl Fn(&mut Vec<u8>)) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut name = String::new();
    for seed in 0..3 {
        let from = std::path::Path::new("tests/fixtures/tensorboard/baseline")
            .join(format!("seed_{seed}"));
        let to = dir.path().join(format!("baseline/seed_{seed}"));
        std::fs::create_dir_all(&to).expect("mkdir");
        for entry in std::fs::read_dir(&from).expect("fixture") {
            let entry = entry.expect("entry");
            let mut bytes = std::fs::read(entry.path()).expect("read");
            if seed == 1 {
                damage(&mut bytes);
                name = entry.file_name().to_string_lossy().into_owned();
            }
            std::fs::write(to.join(entry.file_name()), bytes).expect("write");
        }
    }
    (dir, name)
}

#[test]
fn a_tensorboard_crc_mismatch_exits_2_naming_the_file_and_record_offset() {
    // Byte 60 lies in the second record's payload (the first record is 40 bytes).
    let (dir, name) = damaged_tensorboard(|b| b[60] ^= 0x01);
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains(&format!("{name}:byte 40")), "{stderr}");
    assert!(stderr.contains("CRC mismatch"), "{stderr}");
}

#[test]
fn a_truncated_tensorboard_file_exits_2_and_skip_bad_lists_the_run() {
    let (dir, name) = damaged_tensorboard(|b| {
        let keep = b.len() - 7;
        b.truncate(keep);
    });
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&name) && stderr.contains("truncated record"),
        "{stderr}"
    );
    let json = run_json(&[
        "summary",
        dir.path().to_str().expect("utf-8"),
        "--skip-bad",
        "--resamples",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(json["skipped"].as_array().map(Vec::len), Some(1));
    assert!(
        json["skipped"][0]["path"]
            .as_str()
            .unwrap_or("")
            .ends_with("seed_1")
    );
    assert_eq!(json["groups"][0]["n"], 2);
}

#[test]
fn an_mlflow_file_store_gives_experiments_as_conditions_and_the_seed_param_as_seed() {
    let reference = reference("histories_mlflow.json");
    let json = run_json(&[
        "summary",
        "tests/fixtures/mlflow",
        "--reduce",
        "last",
        "--resamples",
        "100",
        "--format",
        "json",
    ]);
    let groups = json["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2);
    for group in groups {
        let condition = group["condition"].as_str().expect("condition");
        assert_eq!(group["metric"], "val/loss");
        assert_eq!(group["seeds"], serde_json::json!([0, 1, 2]));
        let expected: Vec<f64> = (0..3)
            .map(|s| {
                let curve = reference["val/loss"][condition][s.to_string()]
                    .as_array()
                    .expect("curve");
                curve.last().and_then(|v| v.as_f64()).expect("last")
            })
            .collect();
        assert_eq!(group["values"], serde_json::json!(expected), "{condition}");
    }
    let skipped = json["skipped"].to_string();
    assert!(skipped.contains("deleted MLflow run"), "{skipped}");
}

/// A copy of the MLflow fixture with `edit` applied to its files.
fn edited_mlflow(edit: impl Fn(&std::path::Path, &mut String)) -> tempfile::TempDir {
    fn copy(
        from: &std::path::Path,
        to: &std::path::Path,
        edit: &dyn Fn(&std::path::Path, &mut String),
    ) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read_dir") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target, edit);
            } else {
                let mut text = std::fs::read_to_string(entry.path()).expect("read");
                edit(&target, &mut text);
                std::fs::write(&target, text).expect("write");
            }
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    copy(
        std::path::Path::new("tests/fixtures/mlflow"),
        dir.path(),
        &edit,
    );
    dir
}

#[test]
fn a_malformed_mlflow_metric_line_exits_2_naming_the_file_and_line() {
    let dir = edited_mlflow(|path, text| {
        if path.ends_with("metrics/val/loss") && text.contains(" 2.313910395400763 ") {
            *text = text.replace(" 2.313910395400763 ", " two ");
        }
    });
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("metrics/val/loss:line 1"), "{stderr}");
}

#[test]
fn an_mlflow_run_without_a_seed_param_exits_2() {
    let dir = edited_mlflow(|path, text| {
        if path.ends_with("params/seed") {
            text.clear();
        }
    });
    let out = xreport().args(["summary"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("unknown seed"), "{stderr}");
}

#[test]
fn a_wandb_history_csv_is_read_with_its_step_column() {
    let history = ",_step,_runtime,_timestamp,train/loss,val/acc\n0,0,1.2,1700000000,2.0,\n1,100,2.5,1700000001,1.5,0.6\n2,200,3.9,1700000002,1.0,0.8\n";
    let other = ",_step,_runtime,_timestamp,train/loss,val/acc\n0,0,1.2,1700000000,2.1,\n1,100,2.5,1700000001,1.4,0.7\n2,200,3.9,1700000002,1.1,0.75\n";
    let dir = tree(&[
        ("a/seed_0/history.csv", history),
        ("a/seed_1/wandb-history.csv", other),
    ]);
    let path = dir.path().to_str().expect("utf-8");
    let values = |metric: &str, rule: &str| reduced_values(path, metric, rule)[0].1.clone();
    assert_eq!(values("val/acc", "last"), serde_json::json!([0.8, 0.75]));
    assert_eq!(
        values("train/loss", "best-mean"),
        serde_json::json!([1.0, 1.1])
    );
    let json = run_json(&["summary", path, "--resamples", "100", "--format", "json"]);
    let metrics = json["metrics"].to_string();
    assert!(
        !metrics.contains("_runtime") && !metrics.contains("_step"),
        "{metrics}"
    );
}

#[test]
fn an_mlflow_sqlite_database_reads_like_the_file_store() {
    let from_files = run_json(&[
        "summary",
        "tests/fixtures/mlflow",
        "--resamples",
        "100",
        "--format",
        "json",
    ]);
    for arg in [
        "tests/fixtures/mlflow_db",
        "tests/fixtures/mlflow_db/mlflow.db",
    ] {
        let from_db = run_json(&["summary", arg, "--resamples", "100", "--format", "json"]);
        assert_eq!(from_db["groups"], from_files["groups"], "{arg}");
        assert!(
            from_db["skipped"]
                .to_string()
                .contains("deleted MLflow run")
        );
    }
}

#[test]
fn a_database_that_is_not_mlflow_exits_2() {
    let dir = tree(&[(
        "broken/mlflow.db",
        "this is not SQLite at all, just text padding it out",
    )]);
    let out = xreport()
        .args(["summary"])
        .arg(dir.path().join("broken"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("mlflow.db"), "{stderr}");
}

#[test]
fn power_from_pilot_histories_states_the_reduction() {
    let json = run_json(&[
        "power",
        "--pilot",
        "examples/tianshou-mujoco/Hopper-v3/td3",
        "examples/tianshou-mujoco/Hopper-v3/sac",
        "--reduce",
        "step=1000000",
        "--format",
        "json",
    ]);
    assert_eq!(json["pilot"]["reduce"], "step=1000000");
    // PROVENANCE.md section 2: at 1M steps SAC 3531.600 and TD3 3132.577.
    assert_close(
        json["effect"]["diff"].as_f64().expect("diff"),
        3531.600 - 3132.577,
        1e-6,
        "diff",
    );
}

#[test]
fn check_fails_test_once_on_the_tianshou_test_reward_history() {
    let out = xreport()
        .args([
            "check",
            "examples/tianshou-mujoco/Hopper-v3",
            "--format",
            "json",
        ])
        .assert()
        .code(1);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    let finding = json["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["id"] == "test.once"))
        .expect("test.once");
    assert_eq!(finding["status"], "fail");
    let evidence = finding["evidence"].to_string();
    assert!(
        evidence.contains("sac: test_rew at 251 steps (0 to 1250000) in 10 seed(s)"),
        "{evidence}"
    );
}

#[test]
fn lightning_logs_version_folders_belong_to_the_run_folder_above_them() {
    let csv = |last: &str| format!("epoch,step,val_loss\n0,9,2.0\n1,19,{last}\n");
    let (a, b) = (csv("1.0"), csv("1.5"));
    let dir = tree(&[
        ("cond/seed_1/lightning_logs/version_0/metrics.csv", &a),
        (
            "cond/seed_1/lightning_logs/version_0/hparams.yaml",
            "lr: 0.1\n",
        ),
        ("cond/seed_2/lightning_logs/version_0/metrics.csv", &b),
    ]);
    let json = run_json(&[
        "summary",
        dir.path().to_str().expect("utf-8"),
        "--resamples",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(json["groups"][0]["condition"], "cond");
    assert_eq!(json["groups"][0]["seeds"], serde_json::json!([1, 2]));
    assert_eq!(json["groups"][0]["values"], serde_json::json!([1.0, 1.5]));
}
