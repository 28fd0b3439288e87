//! `xreport ablation` end to end: golden tables, Δs against the group means,
//! row discovery, ordering and the study file.

use crate::common::{assert_close, assert_golden, tree, xreport};

fn in_example(args: &[&str]) -> Vec<u8> {
    let out = xreport()
        .current_dir(crate::common::root().join("examples/speech-ssl"))
        .arg("ablation")
        .args(args)
        .assert()
        .success();
    out.get_output().stdout.clone()
}

#[test]
fn ablation_beside_a_study_file_matches_golden_files_in_every_format() {
    for (format, ext) in [
        ("text", "txt"),
        ("md", "md"),
        ("latex", "tex"),
        ("json", "json"),
        ("csv", "csv"),
    ] {
        let out = in_example(&["--metric", "test.*", "--format", format]);
        assert_golden(&format!("ablation/speech-ssl.{ext}"), &out);
    }
    assert_eq!(
        in_example(&["--metric", "test.*", "--latex"]),
        in_example(&["--metric", "test.*", "--format", "latex"])
    );
}

#[test]
fn ablation_json_deltas_equal_the_difference_of_group_means() {
    let report: serde_json::Value =
        serde_json::from_slice(&in_example(&["--format", "json"])).unwrap();
    assert_eq!(report["schema"], "xreport.ablation/1");
    assert_eq!(report["full"], "exp1_new_masking");
    assert_eq!(report["rows"][0]["label"], "Full model");
    let labels: Vec<&str> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "Full model",
            "Without auxiliary loss",
            "Without span masking",
            "Smaller codebook (250 units)"
        ],
        "study-file order and labels"
    );
    let mean = |condition: &str, metric: &str| {
        report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["condition"] == condition && g["metric"] == metric)
            .and_then(|g| g["values"].as_array())
            .map(|v| v.iter().map(|x| x.as_f64().unwrap()).sum::<f64>() / v.len() as f64)
            .unwrap()
    };
    let comparisons = report["comparisons"].as_array().unwrap();
    assert_eq!(comparisons.len(), 3 * 4, "3 rows × 4 metrics");
    for c in comparisons {
        let (t, m) = (
            c["treatment"].as_str().unwrap(),
            c["metric"].as_str().unwrap(),
        );
        assert_eq!(c["baseline"], "exp1_new_masking");
        assert_close(
            c["diff"].as_f64().unwrap(),
            mean(t, m) - mean("exp1_new_masking", m),
            1e-12,
            &format!("Δ {t} {m}"),
        );
    }
    assert_eq!(
        report["not_earning"],
        serde_json::json!(["ablations/smaller_codebook"])
    );
    assert_eq!(
        report["importance"],
        serde_json::json!([
            "ablations/no_auxiliary_loss",
            "ablations/no_span_masking",
            "ablations/smaller_codebook"
        ])
    );
}

#[test]
fn sort_impact_orders_rows_by_the_harm_of_removal() {
    let dir = tree(&[
        ("runs/full/seed_1/results.json", r#"{"wer": 10.0}"#),
        ("runs/full/seed_2/results.json", r#"{"wer": 10.2}"#),
        (
            "runs/ablations/no_a/seed_1/results.json",
            r#"{"wer": 10.5}"#,
        ),
        (
            "runs/ablations/no_a/seed_2/results.json",
            r#"{"wer": 10.7}"#,
        ),
        (
            "runs/ablations/no_b/seed_1/results.json",
            r#"{"wer": 13.0}"#,
        ),
        (
            "runs/ablations/no_b/seed_2/results.json",
            r#"{"wer": 13.2}"#,
        ),
    ]);
    let run = |extra: &[&str]| {
        let out = xreport()
            .current_dir(dir.path())
            .args(["ablation", "runs", "--format", "json"])
            .args(extra)
            .assert()
            .success();
        let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["label"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(&[]), ["Full model", "Without a", "Without b"]);
    assert_eq!(
        run(&["--sort", "impact"]),
        ["Full model", "Without b", "Without a"]
    );
    assert_eq!(
        run(&["--row", "Only A=ablations/no_a"]),
        ["Full model", "Only A"]
    );
}

#[test]
fn ambiguous_full_model_exits_2_listing_the_candidates() {
    let dir = tree(&[
        ("runs/m1/seed_1/results.json", r#"{"acc": 1}"#),
        ("runs/m2/seed_1/results.json", r#"{"acc": 1}"#),
        ("runs/ablations/no_x/seed_1/results.json", r#"{"acc": 1}"#),
    ]);
    let out = xreport()
        .current_dir(dir.path())
        .args(["ablation", "runs"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("--full") && err.contains("candidates: m1, m2"),
        "{err}"
    );
}

#[test]
fn ablation_without_rows_exits_2_saying_where_rows_come_from() {
    let dir = tree(&[("runs/m1/seed_1/results.json", r#"{"acc": 1}"#)]);
    let out = xreport()
        .current_dir(dir.path())
        .args(["ablation", "runs", "--full", "m1"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("no ablation rows"), "{err}");
}

#[test]
fn folder_names_become_row_labels() {
    use xreport::analysis::ablation::label_from_folder;
    assert_eq!(
        label_from_folder("ablations/no_auxiliary_loss"),
        "Without auxiliary loss"
    );
    assert_eq!(
        label_from_folder("ablations/smaller_codebook"),
        "Smaller codebook"
    );
    assert_eq!(
        label_from_folder("ablations/wo-span-masking"),
        "Without span masking"
    );
}
