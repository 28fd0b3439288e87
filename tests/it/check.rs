//! `xreport check` end to end: a clean study passes every automatic rule;
//! each fixture breaks one rule, and each test asserts the exact set of rules
//! that do not pass, so a false positive fails the test too.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{assert_golden, tree, xreport};

const STUDY: &str = "examples/speech-ssl/runs";

type Files = BTreeMap<String, String>;

/// A run folder's files: config, results, env, compute and a training log
/// that logs the test metric once, at the end.
fn run_files(files: &mut Files, condition: &str, seed: u32, masking: &str, test: f64, dev: f64) {
    let dir = format!("runs/{condition}/seed_{seed}");
    files.insert(
        format!("{dir}/config.yaml"),
        format!(
            "model:\n  masking: {masking}\n  layers: 12\noptim:\n  lr: 0.001\ntrainer:\n  max_steps: 1000\ndata:\n  train_sha256: aaaa1111\nseed: {seed}\nrun_name: {condition}-{seed}\npaths:\n  output_dir: runs/{condition}/seed_{seed}\n"
        ),
    );
    files.insert(
        format!("{dir}/results.json"),
        format!(
            r#"{{"test": {{"acc": {test}}}, "dev": {{"acc": {dev}}}, "data": {{"test_sha256": "bbbb2222"}}}}"#
        ),
    );
    files.insert(
        format!("{dir}/env.json"),
        r#"{"python": "3.11.9", "torch": "2.5.1", "cuda": "12.4", "gpu": "NVIDIA A100-SXM4-40GB"}"#
            .into(),
    );
    files.insert(
        format!("{dir}/compute.json"),
        r#"{"gpu": "NVIDIA A100-SXM4-40GB", "gpu_count": 1, "gpu_hours": 1.5}"#.into(),
    );
    files.insert(
        format!("{dir}/train.log"),
        format!("step 500 | dev/acc 70.2\nstep 1000 | dev/acc {dev}\nfinal | test/acc {test}\n"),
    );
}

/// A study that passes every automatic rule: baseline, one treatment that
/// changes one key and clearly improves, one ablation row that removes it,
/// pinned requirements at the repository root.
fn clean() -> Files {
    let mut files = Files::new();
    files.insert(".git/HEAD".into(), "ref: refs/heads/main\n".into());
    files.insert(
        "requirements.txt".into(),
        "torch==2.5.1\nnumpy==1.26.4 # pinned\n".into(),
    );
    let conditions: [(&str, &str, [f64; 3], [f64; 3]); 3] = [
        (
            "exp0_baseline",
            "random",
            [80.1, 80.4, 79.8],
            [81.0, 81.3, 80.9],
        ),
        (
            "exp1_span_masking",
            "span",
            [85.0, 85.3, 84.9],
            [86.0, 86.2, 85.8],
        ),
        (
            "ablations/no_span_masking",
            "random",
            [80.2, 80.5, 79.9],
            [81.1, 81.2, 80.8],
        ),
    ];
    for (condition, masking, test, dev) in conditions {
        for (i, seed) in [1, 2, 3].into_iter().enumerate() {
            run_files(&mut files, condition, seed, masking, test[i], dev[i]);
        }
    }
    files
}

/// Run `xreport check` on the fixture; the exit code and the JSON report.
fn check(files: &Files, args: &[&str]) -> (i32, Value) {
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let dir = tree(&pairs);
    let runs = dir.path().join("runs");
    let out = xreport()
        .arg("check")
        .arg(&runs)
        .args(args)
        .args(["--format", "json", "--resamples", "1000"])
        .output()
        .expect("xreport runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check JSON parses: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// The automatic rules that do not pass, as `id=status`.
fn not_passing(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["level"] != "info" && f["status"] != "pass")
        .map(|f| {
            format!(
                "{}={}",
                f["id"].as_str().unwrap(),
                f["status"].as_str().unwrap()
            )
        })
        .collect()
}

fn finding<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

fn evidence(report: &Value, id: &str) -> String {
    finding(report, id)["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn set_values(files: &mut Files, condition: &str, test: [f64; 3]) {
    for (i, seed) in [1, 2, 3].into_iter().enumerate() {
        let path = format!("runs/{condition}/seed_{seed}/results.json");
        files.insert(
            path,
            format!(
                r#"{{"test": {{"acc": {}}}, "dev": {{"acc": {}}}, "data": {{"test_sha256": "bbbb2222"}}}}"#,
                test[i],
                test[i] + 1.0
            ),
        );
    }
}

#[test]
fn clean_study_passes_every_automatic_rule_and_exits_0() {
    let (code, report) = check(&clean(), &[]);
    assert_eq!(not_passing(&report), Vec::<String>::new());
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "xreport.check/1");
    assert_eq!(report["roles"]["baseline"], "exp0_baseline");
    assert_eq!(report["compute"]["runs"], 9);
    assert_eq!(report["compute"]["gpu_hours"], 13.5);
    assert_eq!(report["compute"]["gpus"][0], "NVIDIA A100-SXM4-40GB");
    assert!(
        finding(&report, "compute.reported")["message"]
            .as_str()
            .unwrap()
            .contains("9 runs, 13.5 GPU-hours on NVIDIA A100-SXM4-40GB")
    );
    // Manual items are listed, not failed.
    assert_eq!(finding(&report, "code.released")["status"], "manual");
}

#[test]
fn too_few_seeds_fail_seeds_min() {
    let mut files = clean();
    files.retain(|k, _| !k.contains("/seed_3/"));
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["seeds.min=fail"]);
    assert!(evidence(&report, "seeds.min").contains("exp0_baseline: 2 seeds (1, 2)"));
    assert_eq!(code, 1);
}

#[test]
fn min_seeds_flag_overrides_the_default() {
    let (code, report) = check(&clean(), &["--min-seeds", "4"]);
    assert_eq!(not_passing(&report), ["seeds.min=fail"]);
    assert_eq!(report["settings"]["min_seeds"], 4);
    assert_eq!(code, 1);
}

#[test]
fn a_differing_repeat_warns_seeds_repeats_and_strict_fails_on_it() {
    let mut files = clean();
    let dir = "runs/exp1_span_masking/seed_1_20260212_143022";
    files.insert(
        format!("{dir}/results.json"),
        r#"{"test": {"acc": 85.07}, "dev": {"acc": 86.0}, "data": {"test_sha256": "bbbb2222"}}"#
            .into(),
    );
    for name in ["config.yaml", "env.json", "compute.json"] {
        let content = files[&format!("runs/exp1_span_masking/seed_1/{name}")].clone();
        files.insert(format!("{dir}/{name}"), content);
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["seeds.repeats=warn"]);
    assert!(
        evidence(&report, "seeds.repeats")
            .contains("exp1_span_masking seed 1: test.acc differs by 0.0700 across 2 runs")
    );
    assert_eq!(code, 0, "a warning alone passes");
    let (strict, _) = check(&files, &["--strict"]);
    assert_eq!(strict, 1, "--strict fails on warnings");
}

#[test]
fn different_seed_sets_warn_seeds_shared() {
    let mut files = clean();
    let moved: Vec<(String, String)> = files
        .iter()
        .filter(|(k, _)| k.starts_with("runs/exp1_span_masking/seed_3/"))
        .map(|(k, v)| {
            (
                k.replace("seed_3", "seed_4"),
                v.replace("seed: 3", "seed: 4"),
            )
        })
        .collect();
    files.retain(|k, _| !k.starts_with("runs/exp1_span_masking/seed_3/"));
    files.extend(moved);
    let (_, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["seeds.shared=warn"]);
    assert!(evidence(&report, "seeds.shared").contains(
        "exp1_span_masking vs exp0_baseline: only in exp1_span_masking: [4]; only in exp0_baseline: [3]"
    ));
}

#[test]
fn identical_values_across_seeds_fail_seeds_varied() {
    let mut files = clean();
    for seed in [1, 2, 3] {
        files.insert(
            format!("runs/exp1_span_masking/seed_{seed}/results.json"),
            r#"{"test": {"acc": 85.1}, "dev": {"acc": 86.0}, "data": {"test_sha256": "bbbb2222"}}"#
                .into(),
        );
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["seeds.varied=fail"]);
    let ev = evidence(&report, "seeds.varied");
    assert!(
        ev.contains(
            "exp1_span_masking: dev.acc = 86 for seeds 1, 2, 3; test.acc = 85.1 for seeds 1, 2, 3"
        ),
        "{ev}"
    );
    assert_eq!(code, 1);
}

#[test]
fn an_unstable_spread_warns_variance_stable() {
    let mut files = clean();
    // The guide's example: 78 / 82 / 71 is unstable; removing the component
    // still changes the result beyond noise, so only the spread is flagged.
    set_values(&mut files, "ablations/no_span_masking", [78.0, 82.0, 71.0]);
    let (_, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["variance.stable=warn"]);
    assert!(
        evidence(&report, "variance.stable")
            .contains("ablations/no_span_masking / test.acc: 77.0 ± 5.6 (std/|mean| = 0.072)")
    );
}

#[test]
fn an_improvement_within_noise_fails_the_compare_rules() {
    let mut files = clean();
    set_values(&mut files, "exp1_span_masking", [80.2, 80.5, 79.8]);
    let (code, report) = check(&files, &[]);
    // The ablation row now equals the full model too: it no longer earns its place.
    assert_eq!(
        not_passing(&report),
        [
            "compare.noise=fail",
            "compare.significant=fail",
            "compare.power=warn",
            "ablation.earns-place=warn"
        ]
    );
    assert!(evidence(&report, "compare.noise").contains("exp1_span_masking / test.acc: Δ +0.07"));
    assert_eq!(code, 1);
}

#[test]
fn a_significant_but_underpowered_improvement_warns_compare_power_only() {
    let mut files = clean();
    set_values(&mut files, "exp0_baseline", [80.0, 80.5, 79.5]);
    set_values(&mut files, "exp1_span_masking", [81.3, 81.75, 80.8]);
    set_values(&mut files, "ablations/no_span_masking", [80.1, 80.4, 79.6]);
    let (_, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["compare.power=warn"]);
    assert!(evidence(&report, "compare.power").contains("seeds per group needed"));
}

#[test]
fn a_run_without_config_fails_config_logged() {
    let mut files = clean();
    files.remove("runs/exp1_span_masking/seed_2/config.yaml");
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["config.logged=fail"]);
    assert!(
        evidence(&report, "config.logged")
            .ends_with("runs/exp1_span_masking/seed_2: no config file")
    );
    assert_eq!(code, 1);
}

#[test]
fn two_changed_keys_fail_config_one_change_and_name_both() {
    let mut files = clean();
    for seed in [1, 2, 3] {
        let path = format!("runs/exp1_span_masking/seed_{seed}/config.yaml");
        let text = files[&path].replace("lr: 0.001", "lr: 0.002");
        files.insert(path, text);
    }
    let (code, report) = check(&files, &[]);
    // The second change has no ablation row either.
    assert_eq!(
        not_passing(&report),
        ["config.one-change=fail", "ablation.present=fail"]
    );
    let ev = evidence(&report, "config.one-change");
    assert!(
        ev.contains("exp1_span_masking vs exp0_baseline: 2 changed keys: model.masking: random → span; optim.lr: 0.001 → 0.002; without an ablation row: model.masking, optim.lr"),
        "{ev}"
    );
    assert!(evidence(&report, "ablation.present").contains("optim.lr: no row"));
    assert_eq!(code, 1);
}

#[test]
fn ignored_keys_are_left_out_of_config_diffs() {
    let mut files = clean();
    for seed in [1, 2, 3] {
        let path = format!("runs/exp1_span_masking/seed_{seed}/config.yaml");
        let text = files[&path].replace("lr: 0.001", "lr: 0.002");
        files.insert(path, text);
    }
    let (_, report) = check(&files, &["--ignore-key", "optim.*"]);
    assert_eq!(not_passing(&report), Vec::<String>::new());
}

#[test]
fn a_bigger_training_budget_for_the_treatment_fails_budget_same() {
    let mut files = clean();
    for seed in [1, 2, 3] {
        let path = format!("runs/exp1_span_masking/seed_{seed}/config.yaml");
        let text = files[&path].replace("max_steps: 1000", "max_steps: 2000");
        files.insert(path, text);
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["budget.same=fail"]);
    assert!(evidence(&report, "budget.same").contains(
        "trainer.max_steps: exp1_span_masking 2000 vs exp0_baseline 1000 (2.00× the budget)"
    ));
    assert_eq!(code, 1);
}

#[test]
fn more_gpu_hours_for_the_treatment_fail_budget_same() {
    let mut files = clean();
    for seed in [1, 2, 3] {
        files.insert(
            format!("runs/exp1_span_masking/seed_{seed}/compute.json"),
            r#"{"gpu": "NVIDIA A100-SXM4-40GB", "gpu_hours": 3.0}"#.into(),
        );
    }
    let (_, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["budget.same=fail"]);
    assert!(
        evidence(&report, "budget.same")
            .contains("GPU-hours: exp1_span_masking 3 vs exp0_baseline 1.50")
    );
}

#[test]
fn a_missing_metric_fails_eval_same() {
    let mut files = clean();
    files.insert(
        "runs/exp0_baseline/seed_2/results.json".into(),
        r#"{"test": {"acc": 80.4}, "data": {"test_sha256": "bbbb2222"}}"#.into(),
    );
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["eval.same=fail"]);
    assert!(evidence(&report, "eval.same").ends_with("runs/exp0_baseline/seed_2: no dev.acc"));
    assert_eq!(code, 1);
}

#[test]
fn a_changed_test_split_fails_splits_fixed() {
    let mut files = clean();
    files.insert(
        "runs/exp1_span_masking/seed_3/results.json".into(),
        r#"{"test": {"acc": 84.9}, "dev": {"acc": 85.8}, "data": {"test_sha256": "cccc3333"}}"#
            .into(),
    );
    let (code, report) = check(&files, &[]);
    // A compared run evaluated on another test set: eval.same sees it too.
    assert_eq!(
        not_passing(&report),
        ["eval.same=fail", "splits.fixed=fail"]
    );
    let ev = evidence(&report, "splits.fixed");
    assert!(
        ev.starts_with("data.test_sha256: bbbb2222 in 8 runs; cccc3333 in "),
        "{ev}"
    );
    assert!(ev.ends_with("runs/exp1_span_masking/seed_3"), "{ev}");
    assert_eq!(code, 1);
}

#[test]
fn a_treatment_evaluated_on_other_data_fails_eval_same_naming_runs_and_checksums() {
    let mut files = clean();
    for (seed, test, dev) in [(1, 85.0, 86.0), (2, 85.3, 86.2), (3, 84.9, 85.8)] {
        files.insert(
            format!("runs/exp1_span_masking/seed_{seed}/results.json"),
            format!(
                r#"{{"test": {{"acc": {test}}}, "dev": {{"acc": {dev}}}, "data": {{"test_sha256": "cccc3333"}}}}"#
            ),
        );
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(
        not_passing(&report),
        ["eval.same=fail", "splits.fixed=fail"]
    );
    assert_eq!(
        finding(&report, "eval.same")["message"],
        "compared runs were evaluated on different data (checksums differ)"
    );
    let ev = evidence(&report, "eval.same");
    assert!(
        ev.starts_with("data.test_sha256: bbbb2222 in 6 runs; cccc3333 in "),
        "{ev}"
    );
    for seed in [1, 2, 3] {
        assert!(
            ev.contains(&format!("runs/exp1_span_masking/seed_{seed}")),
            "{ev}"
        );
    }
    assert_eq!(code, 1);
}

#[test]
fn a_changed_training_split_fails_splits_fixed_not_eval_same() {
    let mut files = clean();
    let path = "runs/exp1_span_masking/seed_3/config.yaml";
    let config = files[path].replace("train_sha256: aaaa1111", "train_sha256: dddd4444");
    files.insert(path.into(), config);
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["splits.fixed=fail"]);
    assert_eq!(code, 1);
}

#[test]
fn a_renamed_test_subset_fails_splits_fixed_not_eval_same() {
    let mut files = clean();
    for (k, v) in files.iter_mut() {
        if k.ends_with("config.yaml") {
            let subset = if k.contains("exp1_span_masking") {
                "test-other"
            } else {
                "test-clean"
            };
            v.push_str(&format!("eval:\n  test_subset: {subset}\n  beam: 5\n"));
        }
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["splits.fixed=fail"]);
    let ev = evidence(&report, "splits.fixed");
    assert!(
        ev.starts_with("eval.test_subset: test-clean in 6 runs; test-other in "),
        "{ev}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_changed_evaluation_setting_fails_eval_same() {
    let mut files = clean();
    for (k, v) in files.iter_mut() {
        if k.ends_with("config.yaml") {
            let beam = if k.contains("exp1_span_masking") {
                10
            } else {
                5
            };
            v.push_str(&format!("eval:\n  beam: {beam}\n"));
        }
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["eval.same=fail"]);
    assert_eq!(
        evidence(&report, "eval.same"),
        "eval.beam: 10 in exp1_span_masking; 5 in ablations/no_span_masking, exp0_baseline"
    );
    assert_eq!(code, 1);
}

#[test]
fn no_split_checksum_warns_splits_fixed() {
    let mut files = clean();
    for (k, v) in files.iter_mut() {
        if k.ends_with("results.json") {
            *v = v.replace(r#", "data": {"test_sha256": "bbbb2222"}"#, "");
        } else if k.ends_with("config.yaml") {
            *v = v.replace("data:\n  train_sha256: aaaa1111\n", "");
        }
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["splits.fixed=warn"]);
    assert_eq!(code, 0);
}

#[test]
fn a_run_without_env_warns_env_captured() {
    let mut files = clean();
    files.remove("runs/exp0_baseline/seed_1/env.json");
    let (_, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["env.captured=warn"]);
    assert!(
        evidence(&report, "env.captured")
            .ends_with("runs/exp0_baseline/seed_1: no library versions")
    );
}

#[test]
fn unpinned_requirements_fail_deps_pinned() {
    let mut files = clean();
    files.insert(
        "requirements.txt".into(),
        "torch>=2.0\nnumpy==1.26.4\n".into(),
    );
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["deps.pinned=fail"]);
    assert!(evidence(&report, "deps.pinned").ends_with("requirements.txt: not pinned: torch>=2.0"));
    assert_eq!(code, 1);
}

#[test]
fn a_lock_file_up_the_tree_passes_deps_pinned() {
    let mut files = clean();
    files.insert("requirements.txt".into(), "torch\n".into());
    files.insert("uv.lock".into(), "version = 1\n".into());
    let (_, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), Vec::<String>::new());
}

#[test]
fn no_dependency_file_fails_deps_pinned() {
    let mut files = clean();
    files.remove("requirements.txt");
    let (_, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["deps.pinned=fail"]);
    assert!(evidence(&report, "deps.pinned").starts_with("searched: "));
}

#[test]
fn missing_gpu_hours_warn_compute_reported() {
    let mut files = clean();
    files.remove("runs/ablations/no_span_masking/seed_2/compute.json");
    let (_, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["compute.reported=warn"]);
    assert!(
        evidence(&report, "compute.reported").ends_with("no_span_masking/seed_2: no GPU-hours")
    );
    assert_eq!(report["compute"]["gpu_hours"], 12.0);
}

#[test]
fn wandb_runtime_and_gpu_count_give_the_gpu_hours() {
    let mut files = clean();
    let dirs: Vec<String> = files
        .keys()
        .filter(|k| k.ends_with("compute.json"))
        .map(|k| k.trim_end_matches("compute.json").to_string())
        .collect();
    for dir in dirs {
        files.remove(&format!("{dir}compute.json"));
        files.remove(&format!("{dir}env.json"));
        files.insert(
            format!("{dir}wandb-metadata.json"),
            r#"{"python": "3.11.9", "gpu": "NVIDIA A100-SXM4-40GB", "gpu_count": 2}"#.into(),
        );
        files.insert(
            format!("{dir}wandb-summary.json"),
            r#"{"_runtime": 2700, "_step": 1000}"#.into(),
        );
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), Vec::<String>::new());
    assert_eq!(
        report["compute"]["gpu_hours"], 13.5,
        "9 runs × 2700 s × 2 GPUs"
    );
    assert_eq!(code, 0);
}

#[test]
fn a_failed_run_is_listed_by_runs_failed() {
    let mut files = clean();
    let config = files["runs/exp1_span_masking/seed_1/config.yaml"].replace("seed: 1", "seed: 4");
    files.insert("runs/exp1_span_masking/seed_4/config.yaml".into(), config);
    files.insert(
        "runs/exp1_span_masking/seed_4/train.log".into(),
        "step 500 | dev/acc 70.2\nCUDA out of memory\n".into(),
    );
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["runs.failed=fail"]);
    assert!(
        evidence(&report, "runs.failed")
            .ends_with("runs/exp1_span_masking/seed_4: no results file: failed or unfinished run")
    );
    assert_eq!(report["skipped"].as_array().map(Vec::len), Some(1));
    assert_eq!(code, 1);
}

#[test]
fn a_diverged_run_with_nan_results_is_listed_by_runs_failed() {
    let mut files = clean();
    files.insert(
        "runs/exp1_span_masking/seed_2/results.json".into(),
        r#"{"test": {"acc": NaN}, "dev": {"acc": 86.2}, "data": {"test_sha256": "bbbb2222"}}"#
            .into(),
    );
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["runs.failed=fail"]);
    assert!(
        evidence(&report, "runs.failed")
            .ends_with("runs/exp1_span_masking/seed_2: test.acc null, NaN or infinite (diverged?)")
    );
    assert_eq!(code, 1);
}

#[test]
fn a_test_metric_logged_during_training_fails_test_once() {
    let mut files = clean();
    files.insert(
        "runs/exp1_span_masking/seed_2/train.log".into(),
        "step 500 | dev/acc 70.2 | test/acc 70.0\nstep 1000 | dev/acc 86.2 | test/acc 85.3\n"
            .into(),
    );
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["test.once=fail"]);
    assert!(evidence(&report, "test.once").ends_with("seed_2/train.log: test/acc logged 2 times"));
    assert_eq!(code, 1);
}

#[test]
fn a_component_without_an_ablation_row_fails_ablation_present() {
    let (code, report) = check(
        &clean(),
        &["--component", "span_masking", "--component", "aux_loss"],
    );
    assert_eq!(not_passing(&report), ["ablation.present=fail"]);
    let ev = evidence(&report, "ablation.present");
    assert!(ev.starts_with("aux_loss: no row"), "{ev}");
    assert!(
        ev.contains("span_masking: ablations/no_span_masking"),
        "{ev}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_component_whose_removal_changes_nothing_is_named_by_earns_place() {
    let mut files = clean();
    set_values(&mut files, "ablations/no_span_masking", [85.1, 85.2, 84.9]);
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["ablation.earns-place=warn"]);
    assert!(
        finding(&report, "ablation.earns-place")["message"]
            .as_str()
            .unwrap()
            .ends_with("ablations/no_span_masking")
    );
    assert_eq!(code, 0);
}

#[test]
fn without_a_baseline_the_comparison_rules_are_skipped_with_a_note() {
    let mut files = Files::new();
    for (k, v) in clean() {
        files.insert(k.replace("exp0_baseline", "exp0_control"), v);
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(
        not_passing(&report),
        [
            "seeds.shared=skip",
            "compare.noise=skip",
            "compare.significant=skip",
            "compare.power=skip",
            "config.one-change=skip",
            "budget.same=skip",
            "ablation.present=skip",
            "ablation.earns-place=skip",
        ]
    );
    assert!(
        report["roles"]["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("no baseline: name it with --baseline")
    );
    assert_eq!(code, 0);
    let (_, named) = check(&files, &["--baseline", "exp0_control"]);
    assert_eq!(not_passing(&named), Vec::<String>::new());
}

#[test]
fn manual_items_are_shown_until_ticked_in_the_study_file() {
    let mut files = clean();
    files.insert(
        "xreport.toml".into(),
        "[check]\nmanual = { \"code.released\" = true, \"user.study\" = false }\n".into(),
    );
    let (code, report) = check(&files, &[]);
    assert_eq!(finding(&report, "code.released")["status"], "pass");
    assert_eq!(finding(&report, "user.study")["status"], "manual");
    assert_eq!(finding(&report, "limitations.written")["status"], "manual");
    assert_eq!(code, 0);
}

/// Run `xreport check` expecting exit 2; its stderr.
fn check_error(files: &Files, args: &[&str]) -> String {
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let dir = tree(&pairs);
    let out = xreport()
        .arg("check")
        .arg(dir.path().join("runs"))
        .args(args)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn unknown_baseline_exits_2_naming_the_conditions() {
    let stderr = check_error(&clean(), &["--baseline", "nope"]);
    assert!(
        stderr.contains("the baseline `nope` is not a condition of these runs; the conditions are: `ablations/no_span_masking`, `exp0_baseline`, `exp1_span_masking`"),
        "{stderr}"
    );
}

#[test]
fn unknown_check_key_in_the_study_file_exits_2_naming_the_file() {
    let mut files = clean();
    files.insert("xreport.toml".into(), "[check]\nmin_seed = 3\n".into());
    let stderr = check_error(&files, &[]);
    assert!(stderr.contains("xreport.toml:line 2"), "{stderr}");
    assert!(stderr.contains("min_seed"), "{stderr}");
}

#[test]
fn invalid_max_cv_exits_2() {
    let stderr = check_error(&clean(), &["--max-cv", "0"]);
    assert!(
        stderr.contains("--max-cv must be a positive number"),
        "{stderr}"
    );
}

#[test]
fn latex_is_not_a_checklist_format() {
    let stderr = check_error(&clean(), &["--format", "latex"]);
    assert!(
        stderr.contains("text, md, json or csv, not latex"),
        "{stderr}"
    );
}

#[test]
fn example_study_check_matches_golden_files() {
    for (format, ext) in [("text", "txt"), ("md", "md"), ("json", "json")] {
        let out = xreport()
            .args(["check", STUDY, "--format", format])
            .assert()
            .code(1);
        assert_golden(&format!("check/speech-ssl.{ext}"), &out.get_output().stdout);
    }
}

#[test]
fn example_study_trips_exactly_the_designed_rules() {
    let out = xreport()
        .args(["check", STUDY, "--format", "json"])
        .assert()
        .code(1);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        not_passing(&report),
        [
            "seeds.repeats=warn",
            "compare.noise=fail",
            "compare.significant=fail",
            "compare.power=warn",
            "ablation.earns-place=warn",
            "runs.failed=fail",
        ]
    );
    assert_eq!(finding(&report, "code.released")["status"], "manual");
    assert_eq!(finding(&report, "limitations.written")["status"], "pass");
    assert!(evidence(&report, "runs.failed").contains("exp1_new_masking/seed_47"));
    assert!(evidence(&report, "seeds.repeats").contains("test.wer differs by 0.0700"));
    assert!(
        evidence(&report, "ablation.earns-place").contains("ablations/smaller_codebook / test.wer")
    );
    assert_eq!(report["compute"]["runs"], 37);
    // The sum of gpu_hours over the 37 finished runs' compute.json (python: 125.8).
    assert_eq!(report["compute"]["gpu_hours"], 125.8);
}

#[test]
fn checklist_verdicts_agree_with_xreport_compare() {
    let compare = xreport()
        .args(["compare", STUDY, "--metric", "test.*", "--format", "json"])
        .assert()
        .success();
    let compare: Value = serde_json::from_slice(&compare.get_output().stdout).unwrap();
    let check = xreport()
        .args(["check", STUDY, "--format", "json"])
        .assert()
        .code(1);
    let check: Value = serde_json::from_slice(&check.get_output().stdout).unwrap();
    let noise = evidence(&check, "compare.noise");
    let significant = evidence(&check, "compare.significant");
    for c in compare["comparisons"].as_array().unwrap() {
        let key = format!(
            "{} / {}:",
            c["treatment"].as_str().unwrap(),
            c["metric"].as_str().unwrap()
        );
        assert_eq!(
            noise.contains(&key),
            c["verdict"] == "within-noise",
            "{key}"
        );
        assert_eq!(
            significant.contains(&key),
            c["verdict"] != "improvement",
            "{key}"
        );
    }
}

#[test]
fn a_constant_reported_metric_fails_seeds_varied_even_when_others_vary() {
    let mut files = clean();
    for (seed, dev) in [(1, 86.0), (2, 86.2), (3, 85.8)] {
        files.insert(
            format!("runs/exp1_span_masking/seed_{seed}/results.json"),
            format!(r#"{{"test": {{"acc": 85.1}}, "dev": {{"acc": {dev}}}, "data": {{"test_sha256": "bbbb2222"}}}}"#),
        );
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), ["seeds.varied=fail"]);
    assert_eq!(
        evidence(&report, "seeds.varied"),
        "exp1_span_masking: test.acc = 85.1 for seeds 1, 2, 3"
    );
    assert_eq!(code, 1);
}

#[test]
fn dataset_names_and_run_names_in_logs_and_configs_are_not_findings() {
    let mut files = clean();
    for (k, v) in files.iter_mut() {
        if k.ends_with("train.log") {
            v.insert_str(
                0,
                "data test-clean loaded\ndecoding test-clean with beam 5\n",
            );
        } else if k.ends_with("config.yaml") {
            // A key naming the run's own condition identifies it; it is not a change.
            let condition = k.split('/').nth_back(2).unwrap_or_default().to_string();
            v.push_str(&format!("experiment: {condition}\n"));
        }
    }
    let (code, report) = check(&files, &[]);
    assert_eq!(not_passing(&report), Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn a_results_table_is_checked_on_what_it_holds() {
    let out = xreport()
        .args([
            "check",
            "examples/tables/long.csv",
            "--baseline",
            "hubert",
            "--format",
            "json",
        ])
        .output()
        .expect("xreport runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(finding(&report, "seeds.min")["status"], "pass");
    assert_eq!(finding(&report, "config.logged")["status"], "skip");
    assert_eq!(finding(&report, "compare.noise")["status"], "pass");
}

#[test]
fn earns_place_names_what_xreport_ablation_calls_not_earning() {
    let ablation = xreport()
        .args(["ablation", STUDY, "--format", "json"])
        .assert()
        .success();
    let ablation: Value = serde_json::from_slice(&ablation.get_output().stdout).unwrap();
    let check = xreport()
        .args(["check", STUDY, "--format", "json"])
        .assert()
        .code(1);
    let check: Value = serde_json::from_slice(&check.get_output().stdout).unwrap();
    let not_earning: Vec<&str> = ablation["not_earning"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(not_earning, ["ablations/smaller_codebook"]);
    let message = finding(&check, "ablation.earns-place")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.ends_with(": ablations/smaller_codebook"),
        "{message}"
    );
}

/// A results table of `test.acc` over tasks: each task lists its methods
/// best first (scores 90, 85, 80, ...), three seeds each.
fn ranked_table(tasks: &[(&str, &[&str])]) -> String {
    let mut csv = String::from("condition,task,seed,metric,value\n");
    for (task, order) in tasks {
        for (position, method) in order.iter().enumerate() {
            for seed in 1..=3 {
                let value = 90.0 - 5.0 * position as f64 + 0.1 * f64::from(seed);
                csv.push_str(&format!("{method},{task},{seed},test.acc,{value}\n"));
            }
        }
    }
    csv
}

/// `xreport check` on a results table; the JSON report.
fn check_table(csv: &str, args: &[&str]) -> Value {
    let dir = tree(&[("results.csv", csv)]);
    let out = xreport()
        .arg("check")
        .arg(dir.path().join("results.csv"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("xreport runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check JSON parses: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Ours first on every task, the others in rotation: ranks 1, 3, 3, 3 and
/// Friedman χ²(3) = 5.4, p = 0.1447 (scipy.stats.friedmanchisquare).
const ROTATED: [(&str, &[&str]); 3] = [
    ("t1", &["ours", "a", "b", "c"]),
    ("t2", &["ours", "b", "c", "a"]),
    ("t3", &["ours", "c", "a", "b"]),
];

#[test]
fn a_best_method_without_a_significant_friedman_test_warns_rank_posthoc() {
    let report = check_table(&ranked_table(&ROTATED), &["--treatment", "ours"]);
    let f = finding(&report, "rank.posthoc");
    assert_eq!(f["status"], "warn");
    assert_eq!(f["level"], "warn");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("ours has the best mean rank")
            && message.contains("χ²(3) = 5.40, p = 0.14")
            && message.contains("not significant at α = 0.05"),
        "{message}"
    );
    assert_eq!(
        evidence(&report, "rank.posthoc"),
        "test.acc: mean ranks over 3 tasks (t1, t2, t3): ours 1.00, a 3.00, b 3.00, c 3.00; Friedman χ²(3) = 5.40, p = 0.14"
    );
    // α is check's inference setting: at 0.2 the same test is significant.
    let lenient = check_table(
        &ranked_table(&ROTATED),
        &["--treatment", "ours", "--alpha", "0.2"],
    );
    assert_eq!(finding(&lenient, "rank.posthoc")["status"], "pass");
}

#[test]
fn a_best_method_with_a_significant_friedman_test_passes_rank_posthoc() {
    // The same order on every task: χ²(3) = 9, p = 0.02929.
    let same: &[&str] = &["ours", "a", "b", "c"];
    let table = ranked_table(&[("t1", same), ("t2", same), ("t3", same)]);
    let report = check_table(&table, &["--treatment", "ours"]);
    let f = finding(&report, "rank.posthoc");
    assert_eq!(f["status"], "pass");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("significant at α = 0.05 on test.acc (χ²(3) = 9.00, p = 0.029)"),
        "{message}"
    );
    assert!(evidence(&report, "rank.posthoc").contains("ours 1.00, a 2.00, b 3.00, c 4.00"));
    // A lower-is-better metric reverses the ranks: ours is then the worst, no claim.
    let report = check_table(
        &table,
        &["--treatment", "ours", "--lower-is-better", "test.acc"],
    );
    let f = finding(&report, "rank.posthoc");
    assert_eq!(f["status"], "skip");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("no claim of the best method: ours has mean rank 4.00, c has 1.00"),
        "{}",
        f["message"]
    );
}

#[test]
fn rank_posthoc_skips_below_3_methods_or_2_tasks_and_is_absent_without_tasks() {
    let two: &[&str] = &["ours", "a"];
    let report = check_table(
        &ranked_table(&[("t1", two), ("t2", two), ("t3", two)]),
        &["--treatment", "ours"],
    );
    let f = finding(&report, "rank.posthoc");
    assert_eq!(f["status"], "skip");
    assert!(
        f["message"].as_str().unwrap().contains(
            "test.acc: 2 methods (a, ours): the rule needs at least 3 methods over at least 2 tasks"
        ),
        "{}",
        f["message"]
    );
    let report = check_table(&ranked_table(&ROTATED[..1]), &["--treatment", "ours"]);
    let f = finding(&report, "rank.posthoc");
    assert_eq!(f["status"], "skip");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("1 task with a score for every method"),
        "{}",
        f["message"]
    );
    // A task lacking a method is dropped (DESIGN 11) and named.
    let mut table = ranked_table(&ROTATED);
    table.push_str("ours,t4,1,test.acc,90\nours,t4,2,test.acc,91\n");
    let report = check_table(&table, &["--treatment", "ours"]);
    assert_eq!(finding(&report, "rank.posthoc")["status"], "warn");
    assert!(
        evidence(&report, "rank.posthoc")
            .ends_with("over 3 tasks (t1, t2, t3): ours 1.00, a 3.00, b 3.00, c 3.00; Friedman χ²(3) = 5.40, p = 0.14; dropped t4 (no score for a, b, c)"),
        "{}",
        evidence(&report, "rank.posthoc")
    );
    // Several treatments and no full model: which one claims the best is not guessed.
    let report = check_table(&ranked_table(&ROTATED), &[]);
    let f = finding(&report, "rank.posthoc");
    assert_eq!(f["status"], "skip");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("no single claimed method among the treatments (a, b, c, ours)"),
        "{}",
        f["message"]
    );
    // A study without tasks makes no claim over tasks: the rule is not listed.
    let (_, report) = check(&clean(), &[]);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"rank.posthoc"), "{ids:?}");
}

/// `xreport check` on one results table with an `example` column.
fn check_scores(csv: &str) -> Value {
    let dir = tree(&[("scores.csv", csv)]);
    let out = xreport()
        .arg("check")
        .arg(dir.path().join("scores.csv"))
        .args([
            "--baseline",
            "base",
            "--format",
            "json",
            "--resamples",
            "1000",
        ])
        .output()
        .expect("xreport runs");
    serde_json::from_slice(&out.stdout).expect("check JSON")
}

/// Per-example 0/1 scores of `base` and `new` over three seeds; `new`
/// lacks the examples in `new_skips`.
fn per_example_csv(new_skips: &[usize]) -> String {
    let mut csv = String::from("condition,seed,example,metric,value\n");
    for (condition, correct) in [("base", [1, 0, 1, 0, 1, 1]), ("new", [1, 1, 1, 0, 1, 1])] {
        for seed in 1..=3 {
            for (i, c) in correct.iter().enumerate() {
                if condition == "new" && new_skips.contains(&i) {
                    continue;
                }
                let flipped = if (i + seed) % 4 == 0 { 1 - c } else { *c };
                csv.push_str(&format!("{condition},{seed},q{i},test_acc,{flipped}\n"));
            }
        }
    }
    csv
}

#[test]
fn per_example_scores_on_the_same_examples_pass_the_example_rules() {
    let report = check_scores(&per_example_csv(&[]));
    assert_eq!(finding(&report, "examples.paired")["status"], "pass");
    assert_eq!(finding(&report, "examples.coverage")["status"], "pass");
    assert_eq!(
        evidence(&report, "examples.coverage"),
        "new vs base / test_acc: 6 examples each"
    );
}

#[test]
fn systems_scored_on_different_examples_fail_examples_coverage() {
    let report = check_scores(&per_example_csv(&[5]));
    let coverage = finding(&report, "examples.coverage");
    assert_eq!(coverage["status"], "fail", "{coverage}");
    assert_eq!(
        evidence(&report, "examples.coverage"),
        "new vs base / test_acc: base scored 6, new 5; only base: q5"
    );
}

#[test]
fn a_baseline_with_only_an_aggregate_fails_examples_paired() {
    let mut csv = String::from("condition,seed,example,metric,value\n");
    for seed in 1..=3 {
        for i in 0..6 {
            csv.push_str(&format!("new,{seed},q{i},test_acc,{}\n", (i + seed) % 2));
        }
        csv.push_str(&format!("base,{seed},,test_acc,0.{}\n", 4 + seed));
    }
    let report = check_scores(&csv);
    let paired = finding(&report, "examples.paired");
    assert_eq!(paired["status"], "fail", "{paired}");
    assert_eq!(
        evidence(&report, "examples.paired"),
        "new vs base / test_acc: new has per-example scores, base only its aggregate"
    );
}

#[test]
fn studies_without_per_example_scores_list_no_example_rule() {
    let (_, report) = check(&clean(), &[]);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(!ids.iter().any(|id| id.starts_with("examples.")), "{ids:?}");
}
