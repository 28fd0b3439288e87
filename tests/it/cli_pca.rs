//! `xreport pca` end to end through the binary.

use crate::common::xreport;

#[test]
fn pca_names_the_collapsed_and_the_low_rank_inputs_and_writes_the_plot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = dir.path().join("latent.png");
    let out = xreport()
        .args([
            "pca",
            "examples/latents/seed_42/latents.npy",
            "examples/latents/dimensional_collapse/seed_42/latents.npy",
            "examples/latents/collapse/seed_42/latents.npy",
            "--labels",
            "examples/latents/labels.txt",
            "--format",
            "json",
            "-o",
        ])
        .arg(&png)
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(report["schema"], "xreport.pca/1");
    let verdicts: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["healthy", "dimensional collapse", "collapse"]);
    assert!(
        std::fs::read(&png)
            .expect("plot written")
            .starts_with(b"\x89PNG")
    );
}

#[test]
fn pca_of_a_truncated_npy_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes =
        std::fs::read(crate::common::root().join("examples/latents/seed_42/latents.npy")).unwrap();
    let cut = dir.path().join("cut.npy");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = xreport().arg("pca").arg(&cut).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("cut.npy"), "{err}");
}

#[test]
fn pca_label_count_mismatch_exits_2_saying_both_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let labels = dir.path().join("labels.txt");
    std::fs::write(&labels, "a\nb\n").unwrap();
    let out = xreport()
        .args(["pca", "examples/latents/seed_42/latents.npy", "--labels"])
        .arg(&labels)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("2") && err.contains("900"), "{err}");
}
