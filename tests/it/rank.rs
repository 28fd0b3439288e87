//! `xreport rank` end to end: the Atari 100k scores (golden table, JSON and
//! critical-difference diagram), tables with a task column, the missing-task
//! policy, bad inputs, and property tests of the analysis.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::Value;
use xreport::analysis::direction::Direction;
use xreport::analysis::options::{Missing, Posthoc, RankOptions};
use xreport::analysis::rank::{self, RankReport};
use xreport::load::multitask::MethodScores;
use xreport::stats::correction::Correction;

use crate::common::{assert_close, assert_golden, fnv1a64, tree, xreport};

const ATARI: [&str; 6] = [
    "IRIS",
    "SimPLe",
    "DrQ_eps",
    "SPR",
    "MuZero",
    "EfficientZero",
];

fn atari() -> Vec<String> {
    ATARI
        .iter()
        .map(|a| format!("examples/atari100k/{a}.json"))
        .collect()
}

fn rank_json(args: &[String]) -> Value {
    let out = xreport()
        .arg("rank")
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("rank JSON parses")
}

fn stdout(args: &[&str]) -> Vec<u8> {
    xreport()
        .arg("rank")
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

fn fails(args: &[&str], dir: &std::path::Path) -> String {
    let out = xreport()
        .current_dir(dir)
        .arg("rank")
        .args(args)
        .assert()
        .code(2);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[test]
fn atari_ranking_has_the_json_of_design_section_11() {
    let report = rank_json(&atari());
    assert_eq!(report["schema"], "xreport.rank/1");
    assert_eq!(report["direction"], "higher");
    assert_eq!(report["tasks"].as_array().unwrap().len(), 26);
    assert_eq!(report["dropped_tasks"], serde_json::json!([]));
    let methods = report["methods"].as_array().unwrap();
    assert_eq!(methods[0]["method"], "EfficientZero");
    let ranks: Vec<f64> = methods
        .iter()
        .map(|m| m["mean_rank"].as_f64().unwrap())
        .collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "best first: {ranks:?}"
    );
    // mean ranks of k methods always average (k + 1)/2
    assert_close(
        ranks.iter().sum::<f64>() / 6.0,
        3.5,
        1e-12,
        "mean of mean ranks",
    );
    for key in [
        "statistic",
        "p_value",
        "iman_davenport_f",
        "iman_davenport_p",
    ] {
        assert!(report["friedman"][key].is_number(), "friedman.{key}");
    }
    let posthoc = &report["posthoc"];
    assert_eq!(posthoc["method"], "nemenyi");
    assert_eq!(posthoc["alpha"], 0.05);
    // q_0.05 for k = 6 (2.849705) × √(6·7/(6·26))
    assert_close(
        posthoc["cd"].as_f64().unwrap(),
        2.849705 * (42.0f64 / 156.0).sqrt(),
        1e-6,
        "CD",
    );
    assert_eq!(posthoc["pairs"].as_array().unwrap().len(), 15);
    for pair in posthoc["pairs"].as_array().unwrap() {
        for key in [
            "a",
            "b",
            "statistic",
            "p_value",
            "p_adjusted",
            "significant",
        ] {
            assert!(!pair[key].is_null(), "pair.{key}");
        }
    }
    assert!(report["cliques"].is_array());
}

#[test]
fn atari_ranking_matches_golden_markdown_and_latex() {
    let mut args: Vec<String> = atari();
    args.extend(["--format".into(), "md".into()]);
    let md = stdout(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_golden("rank/atari100k.md", &md);
    let mut args = atari();
    args.extend(["--posthoc", "wilcoxon-holm", "--format", "latex"].map(String::from));
    let tex = stdout(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_golden("rank/atari100k_wilcoxon.tex", &tex);
}

#[test]
fn atari_cd_diagram_matches_golden_svg_and_png_hash() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["cd.svg", "cd.png"] {
        let mut args = atari();
        args.extend(["-o".into(), dir.path().join(name).display().to_string()]);
        let table = stdout(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            String::from_utf8_lossy(&table).contains("EfficientZero"),
            "the table still prints"
        );
    }
    let svg = std::fs::read(dir.path().join("cd.svg")).unwrap();
    assert_golden("rank/atari100k_cd.svg", &svg);
    let png = std::fs::read(dir.path().join("cd.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert_golden(
        "rank/atari100k_cd.png.fnv1a64",
        format!("{}\n", fnv1a64(&png)).as_bytes(),
    );
}

#[test]
fn cd_diagram_is_drawn_for_twenty_methods_with_long_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = String::from("condition,task,seed,score\n");
    for m in 0..20 {
        for t in 0..8 {
            let v = (m * 7 + t * 3) % 11 + m;
            rows.push_str(&format!(
                "method_{m}_with_a_rather_long_descriptive_name_v{m},t{t},0,{v}\n"
            ));
        }
    }
    std::fs::write(dir.path().join("r.csv"), rows).unwrap();
    for name in ["cd.svg", "cd.png"] {
        xreport()
            .current_dir(dir.path())
            .args(["rank", "r.csv", "-o", name])
            .assert()
            .success();
    }
    let svg = std::fs::read_to_string(dir.path().join("cd.svg")).unwrap();
    assert!(svg.contains("CD = "));
    assert_eq!(
        svg.matches("(").count(),
        20,
        "every method named once with its mean rank"
    );
}

#[test]
fn a_table_with_a_task_column_ranks_by_the_metric_and_its_direction() {
    let dir = tree(&[(
        "results.csv",
        "condition,dataset,seed,error,accuracy\n\
         a,d1,0,0.10,0.90\na,d1,1,0.12,0.88\nb,d1,0,0.20,0.80\nc,d1,0,0.30,0.70\n\
         a,d2,0,0.15,0.85\nb,d2,0,0.25,0.75\nc,d2,0,0.05,0.95\n\
         a,d3,0,0.11,0.89\nb,d3,0,0.21,0.79\nc,d3,0,0.31,0.69\n",
    )]);
    let out = xreport()
        .current_dir(dir.path())
        .args([
            "rank",
            "results.csv",
            "--task-col",
            "dataset",
            "--metric",
            "error",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["direction"], "lower");
    assert_eq!(report["metric"], "error");
    assert_eq!(report["methods"][0]["method"], "a");
    assert_close(
        report["methods"][0]["mean_rank"].as_f64().unwrap(),
        4.0 / 3.0,
        1e-12,
        "a",
    );
    let a_d1 = report["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["method"] == "a" && s["task"] == "d1")
        .unwrap();
    assert_eq!(a_d1["n"], 2);
    assert_close(
        a_d1["mean"].as_f64().unwrap(),
        0.11,
        1e-12,
        "mean over seeds",
    );
}

#[test]
fn a_task_lacking_a_method_is_dropped_and_listed_unless_missing_worst() {
    let dir = tree(&[
        (
            "A.json",
            r#"{"t1": [1.0], "t2": [2.0], "t3": [3.0], "t4": [1.0]}"#,
        ),
        (
            "B.json",
            r#"{"t1": [2.0], "t2": [1.0], "t3": [1.0], "t4": [3.0]}"#,
        ),
        ("C.json", r#"{"t1": [3.0], "t2": [3.0], "t4": [2.0]}"#),
    ]);
    let run = |extra: &[&str]| -> Value {
        let out = xreport()
            .current_dir(dir.path())
            .args(["rank", "A.json", "B.json", "C.json", "--format", "json"])
            .args(extra)
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let dropped = run(&[]);
    assert_eq!(dropped["tasks"], serde_json::json!(["t1", "t2", "t4"]));
    assert_eq!(
        dropped["dropped_tasks"],
        serde_json::json!([{"task": "t3", "missing": ["C"]}])
    );
    let worst = run(&["--missing", "worst"]);
    assert_eq!(worst["tasks"].as_array().unwrap().len(), 4);
    assert_eq!(worst["settings"]["missing"], "worst");
    let c_t3 = worst["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["method"] == "C" && s["task"] == "t3")
        .unwrap();
    assert_eq!(c_t3["rank"], 3.0);
    assert!(c_t3["mean"].is_null());
    assert!(worst["notes"].to_string().contains("ranked last"));
}

#[test]
fn bonferroni_dunn_compares_with_the_control_only() {
    let mut args = atari();
    args.extend(["--posthoc", "bonferroni-dunn", "--control", "IRIS"].map(String::from));
    let report = rank_json(&args);
    let pairs = report["posthoc"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 5);
    assert!(pairs.iter().all(|p| p["a"] == "IRIS"));
    assert!(report["posthoc"]["cd"].is_null());
    assert_eq!(report["settings"]["correction"], "holm");
}

#[test]
fn wilcoxon_holm_gives_every_pair_a_corrected_p() {
    let mut args = atari();
    args.extend(["--posthoc", "wilcoxon-holm"].map(String::from));
    let report = rank_json(&args);
    let pairs = report["posthoc"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 15);
    for p in pairs {
        assert!(p["p_adjusted"].as_f64().unwrap() >= p["p_value"].as_f64().unwrap());
    }
}

#[test]
fn bad_inputs_exit_2_with_a_message_naming_the_file() {
    let dir = tree(&[
        ("one_task.json", r#"{"pong": [1.0, 2.0]}"#),
        ("other_one_task.json", r#"{"pong": [3.0]}"#),
        ("A.json", r#"{"t1": [1.0], "t2": [2.0]}"#),
        ("nan.json", r#"{"t1": [null], "t2": [null, null]}"#),
        (
            "single.csv",
            "condition,task,seed,score\na,x,0,1\nb,x,0,2\n",
        ),
    ]);
    let err = fails(&["one_task.json", "other_one_task.json"], dir.path());
    assert!(
        err.contains("one_task.json") && err.contains("only one task"),
        "{err}"
    );
    let err = fails(&["A.json"], dir.path());
    assert!(
        err.contains("A.json") && err.contains("only one method"),
        "{err}"
    );
    let err = fails(&["single.csv"], dir.path());
    assert!(
        err.contains("single.csv") && err.contains("only one task"),
        "{err}"
    );
    let err = fails(&["A.json", "nan.json"], dir.path());
    assert!(
        err.contains("nan.json") && err.contains("no finite score"),
        "{err}"
    );
    let err = fails(
        &["A.json", "one_task.json", "--posthoc", "bonferroni-dunn"],
        dir.path(),
    );
    assert!(err.contains("--control"), "{err}");
}

/// Methods m0..m{k-1} with one seed per task.
fn methods(scores: &[Vec<f64>]) -> Vec<MethodScores> {
    let k = scores[0].len();
    (0..k)
        .map(|j| MethodScores {
            method: format!("m{j}"),
            source: "generated".into(),
            tasks: scores
                .iter()
                .enumerate()
                .map(|(t, row)| (format!("t{t}"), vec![row[j]]))
                .collect::<BTreeMap<_, _>>(),
            normalized: false,
            notes: Vec::new(),
        })
        .collect()
}

fn options(direction: Direction, posthoc: Posthoc) -> RankOptions {
    RankOptions {
        metric: "score".into(),
        direction,
        posthoc,
        alpha: 0.05,
        correction: Correction::Holm,
        control: (posthoc == Posthoc::BonferroniDunn).then(|| "m0".to_string()),
        missing: Missing::Drop,
    }
}

fn mean_ranks(report: &RankReport) -> BTreeMap<String, f64> {
    report
        .methods
        .iter()
        .map(|m| (m.method.clone(), m.mean_rank))
        .collect()
}

fn studies() -> impl Strategy<Value = Vec<Vec<f64>>> {
    (3usize..8, 2usize..12).prop_flat_map(|(k, n)| {
        prop::collection::vec(prop::collection::vec(0u8..6, k), n).prop_map(|rows| {
            rows.into_iter()
                .map(|r| r.into_iter().map(f64::from).collect())
                .collect()
        })
    })
}

fn posthocs() -> impl Strategy<Value = Posthoc> {
    prop_oneof![
        Just(Posthoc::Nemenyi),
        Just(Posthoc::WilcoxonHolm),
        Just(Posthoc::BonferroniDunn)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn reversing_the_direction_reverses_the_ranks(scores in studies()) {
        let k = scores[0].len() as f64;
        let higher = rank::run(methods(&scores), Vec::new(), &options(Direction::Higher, Posthoc::Nemenyi)).unwrap();
        let lower = rank::run(methods(&scores), Vec::new(), &options(Direction::Lower, Posthoc::Nemenyi)).unwrap();
        let (h, l) = (mean_ranks(&higher), mean_ranks(&lower));
        for (method, r) in &h {
            prop_assert!((r + l[method] - (k + 1.0)).abs() < 1e-12);
        }
        prop_assert_eq!(higher.friedman.statistic.map(|s| (s * 1e9).round()), lower.friedman.statistic.map(|s| (s * 1e9).round()));
    }

    #[test]
    fn relabelling_methods_permutes_the_output(scores in studies(), posthoc in posthocs()) {
        let before = rank::run(methods(&scores), Vec::new(), &options(Direction::Higher, posthoc)).unwrap();
        let renamed: Vec<MethodScores> = methods(&scores)
            .into_iter()
            .map(|mut m| { m.method = format!("renamed {}", m.method); m })
            .collect();
        let mut opts = options(Direction::Higher, posthoc);
        opts.control = opts.control.map(|c| format!("renamed {c}"));
        let after = rank::run(renamed, Vec::new(), &opts).unwrap();
        let back = |name: &str| name.trim_start_matches("renamed ").to_string();
        let renamed_ranks: BTreeMap<String, f64> = mean_ranks(&after).into_iter().map(|(m, r)| (back(&m), r)).collect();
        prop_assert_eq!(mean_ranks(&before), renamed_ranks);
        let pairs = |r: &RankReport, f: &dyn Fn(&str) -> String| -> BTreeMap<(String, String), (Option<f64>, bool)> {
            r.posthoc.pairs.iter().map(|p| {
                let (a, b) = (f(&p.a), f(&p.b));
                let key = if a < b { (a, b) } else { (b, a) };
                (key, (p.p_adjusted, p.significant))
            }).collect()
        };
        prop_assert_eq!(pairs(&before, &|s| s.to_string()), pairs(&after, &back));
        if posthoc == Posthoc::Nemenyi {
            let sets = |r: &RankReport, f: &dyn Fn(&str) -> String| -> Vec<Vec<String>> {
                let mut out: Vec<Vec<String>> = r.cliques.iter().map(|c| {
                    let mut c: Vec<String> = c.iter().map(|m| f(m)).collect();
                    c.sort();
                    c
                }).collect();
                out.sort();
                out
            };
            prop_assert_eq!(sets(&before, &|s| s.to_string()), sets(&after, &back));
        }
    }

    #[test]
    fn cliques_never_cross_the_rank_order(scores in studies(), posthoc in posthocs()) {
        let report = rank::run(methods(&scores), Vec::new(), &options(Direction::Higher, posthoc)).unwrap();
        let position: BTreeMap<&str, usize> = report.methods.iter().enumerate().map(|(i, m)| (m.method.as_str(), i)).collect();
        let significant: BTreeMap<(String, String), bool> = report.posthoc.pairs.iter()
            .flat_map(|p| [((p.a.clone(), p.b.clone()), p.significant), ((p.b.clone(), p.a.clone()), p.significant)])
            .collect();
        for clique in &report.cliques {
            let at: Vec<usize> = clique.iter().map(|m| position[m.as_str()]).collect();
            prop_assert!(at.windows(2).all(|w| w[1] == w[0] + 1), "contiguous in rank order: {:?}", at);
            for a in clique {
                for b in clique {
                    prop_assert!(!significant.get(&(a.clone(), b.clone())).copied().unwrap_or(false));
                }
            }
            // methods sharing a letter are not significantly different
        }
        for a in &report.methods {
            for b in &report.methods {
                if a.method != b.method && a.letters.chars().any(|c| b.letters.contains(c)) {
                    prop_assert!(!significant.get(&(a.method.clone(), b.method.clone())).copied().unwrap_or(false));
                }
            }
        }
    }
}

/// `xreport rank ARGS --format json` in `dir`.
fn rank_json_in(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = xreport()
        .current_dir(dir)
        .arg("rank")
        .args(args)
        .args(["--format", "json", "--study", "/dev/null"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("rank JSON parses")
}

#[test]
fn a_run_tree_ranks_by_task_key_as_its_table_ranks_by_task_column() {
    let dir = crate::common::root().join("examples/multi-dataset");
    let by_path = rank_json_in(
        &dir,
        &["runs", "--task-key", "path:0", "--metric", "test.acc"],
    );
    let by_key = rank_json_in(
        &dir,
        &["runs", "--task-key", "data.name", "--metric", "test.acc"],
    );
    let by_column = rank_json_in(
        &dir,
        &[
            "results.csv",
            "--condition-col",
            "method",
            "--task-col",
            "dataset",
            "--metric",
            "test.acc",
        ],
    );
    for json in [&by_key, &by_column] {
        assert_eq!(json["methods"], by_path["methods"]);
        assert_eq!(json["friedman"], by_path["friedman"]);
        assert_eq!(json["tasks"], by_path["tasks"]);
    }
    let methods: Vec<&str> = by_path["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["ours", "cutmix", "mixup", "erm"]);
    assert_eq!(
        by_path["tasks"],
        serde_json::json!(["cifar10", "cifar100", "svhn"])
    );
    // test.loss is lower-is-better by its name: the ranks follow it.
    let loss = rank_json_in(
        &dir,
        &["runs", "--task-key", "path:0", "--metric", "test.loss"],
    );
    assert_eq!(loss["direction"], "lower");
    assert_eq!(loss["methods"][0]["method"], "ours");
}

#[test]
fn a_task_key_that_names_nothing_or_several_metrics_exit_2() {
    let dir = crate::common::root().join("examples/multi-dataset");
    let err = fails(
        &["runs", "--task-key", "data.nmae", "--study", "/dev/null"],
        &dir,
    );
    assert!(
        err.contains("data.nmae") && err.contains("data.name"),
        "{err}"
    );
    let err = fails(
        &["runs", "--task-key", "path:0", "--study", "/dev/null"],
        &dir,
    );
    assert!(
        err.contains("--metric") && err.contains("test.acc, test.loss"),
        "{err}"
    );
    let err = fails(
        &[
            "runs",
            "--task-key",
            "path:0",
            "--metric",
            "acc",
            "--study",
            "/dev/null",
        ],
        &dir,
    );
    assert!(err.contains("no such metric"), "{err}");
}

#[test]
fn every_latex_ranking_compiles_with_hostile_method_names() {
    if !crate::latex::pdflatex_available() {
        return;
    }
    let hostile = tree(&[
        (
            "base_50%.json",
            r#"{"a": [1, 2], "b": [3, 4], "c": [5, 6]}"#,
        ),
        (
            "set#2 & more.json",
            r#"{"a": [2, 3], "b": [1, 1], "c": [7, 8]}"#,
        ),
        ("{x}~^.json", r#"{"a": [4, 4], "b": [2, 5], "c": [1, 2]}"#),
    ]);
    let inputs = ["base_50%.json", "set#2 & more.json", "{x}~^.json"];
    let mut body = String::new();
    for extra in [
        vec![],
        vec!["--posthoc", "wilcoxon-holm"],
        vec!["--posthoc", "bonferroni-dunn", "--control", "base_50%"],
        vec!["--per-task", "--fragment"],
    ] {
        let out = xreport()
            .current_dir(hostile.path())
            .arg("rank")
            .args(inputs)
            .args(["--format", "latex", "--study", "/dev/null"])
            .args(&extra)
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
        assert!(text.contains("base\\_50\\%"), "{text}");
        body.push_str(&text);
        body.push_str("\n\\clearpage\n");
    }
    let mut args: Vec<String> = atari();
    args.extend(["--format", "latex"].map(String::from));
    body.push_str(
        &String::from_utf8(stdout(&args.iter().map(String::as_str).collect::<Vec<_>>()))
            .expect("UTF-8"),
    );
    let dir = crate::latex::compile(&["booktabs"], &body);
    assert!(dir.path().join("tables.pdf").is_file());
}
