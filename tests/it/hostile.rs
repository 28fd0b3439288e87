//! Hostile input (issue #22): whatever a file or a flag claims, xreport exits
//! 0 or 2 with a message naming the file or flag, never aborts, panics, hangs
//! or prints a wrong table in silence. Each test builds the hostile case in a
//! temporary folder. Where the defect was a hang, the command runs under a
//! generous timeout so the test fails instead of hanging.

use std::path::Path;
use std::time::Duration;

use crate::common::{tree, xreport};

/// Longer than any of these commands takes in a debug build, far shorter
/// than the hangs they replace.
const TIMEOUT: Duration = Duration::from_secs(60);

/// `xreport args…`, asserting exit 2 without a panic; its stderr.
fn exits_2(args: &[&std::ffi::OsStr]) -> String {
    let out = xreport().args(args).timeout(TIMEOUT).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

/// Two seeds of two conditions with one metric.
fn study() -> tempfile::TempDir {
    tree(&[
        ("runs/a/seed_1/results.json", r#"{"acc": 0.61}"#),
        ("runs/a/seed_2/results.json", r#"{"acc": 0.63}"#),
        ("runs/b/seed_1/results.json", r#"{"acc": 0.71}"#),
        ("runs/b/seed_2/results.json", r#"{"acc": 0.74}"#),
    ])
}

fn runs(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("runs")
}

// ----- silent wrong results -------------------------------------------------

#[test]
fn seed_043_beside_seed_43_is_one_seed_run_twice_not_two_seeds() {
    let dir = tree(&[
        ("c/seed_42/results.json", r#"{"acc": 1}"#),
        ("c/seed_43/results.json", r#"{"acc": 2}"#),
        ("c/seed_043/results.json", r#"{"acc": 3}"#),
    ]);
    let err = exits_2(&[os("summary"), dir.path().join("c").as_os_str()]);
    assert!(
        err.contains("duplicate seed 43") && err.contains("seed_043") && err.contains("seed_43"),
        "{err}"
    );
}

#[test]
fn a_zero_padded_seed_is_the_seed_its_config_records() {
    let dir = tree(&[
        ("c/seed_007/results.json", r#"{"acc": 1}"#),
        ("c/seed_007/config.yaml", "seed: 7\n"),
        ("c/seed_008/results.json", r#"{"acc": 2}"#),
    ]);
    let out = xreport()
        .args(["summary", "--format", "json"])
        .arg(dir.path().join("c"))
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["groups"][0]["seeds"], serde_json::json!([7, 8]));
}

#[cfg(unix)]
#[test]
fn folders_named_by_different_non_utf8_bytes_stay_two_conditions() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for (name, acc) in [(&b"c\xff"[..], 1.0), (&b"c\xfe"[..], 2.0)] {
        for seed in [1, 2, 3] {
            let run = dir
                .path()
                .join(std::ffi::OsStr::from_bytes(name))
                .join(format!("seed_{seed}"));
            std::fs::create_dir_all(&run).unwrap();
            std::fs::write(run.join("results.json"), format!(r#"{{"acc": {acc}}}"#)).unwrap();
        }
    }
    let out = xreport()
        .args(["summary", "--format", "json"])
        .arg(dir.path())
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let groups: Vec<(String, u64)> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["condition"].as_str().unwrap().to_string(),
                g["n"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [("c\\xfe".to_string(), 3), ("c\\xff".to_string(), 3)]
    );
}

#[test]
fn summary_and_ablation_latex_list_the_skipped_runs() {
    let dir = tree(&[
        ("runs/full/seed_1/results.json", r#"{"acc": 0.71}"#),
        ("runs/full/seed_2/results.json", r#"{"acc": 0.74}"#),
        ("runs/full/seed_3/config.yaml", "seed: 3\n"),
        (
            "runs/ablations/no_aux/seed_1/results.json",
            r#"{"acc": 0.61}"#,
        ),
        (
            "runs/ablations/no_aux/seed_2/results.json",
            r#"{"acc": 0.63}"#,
        ),
    ]);
    for command in ["summary", "ablation"] {
        let out = xreport()
            .args([command, "--format", "latex"])
            .arg(runs(&dir))
            .args(["--resamples", "200"])
            .assert()
            .success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(
            text.contains("% Skipped: ") && text.contains("runs/full/seed_3 — no results file"),
            "{command}:\n{text}"
        );
    }
}

#[test]
fn check_reads_no_dependency_file_above_the_study() {
    // Not UTF-8: reading it would be an input error, exit 2.
    let dir = tree(&[
        ("study/runs/a/seed_1/results.json", r#"{"acc": 0.61}"#),
        ("study/runs/a/seed_2/results.json", r#"{"acc": 0.63}"#),
        ("study/runs/a/seed_3/results.json", r#"{"acc": 0.62}"#),
    ]);
    std::fs::write(dir.path().join("requirements.txt"), [0xff, 0xfe, 0x00]).unwrap();
    let out = xreport()
        .args(["check", "--format", "json", "--resamples", "200"])
        .arg(dir.path().join("study/runs"))
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let deps = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "deps.pinned")
        .unwrap();
    let searched = dir.path().join("study/runs");
    assert_eq!(
        deps["evidence"],
        serde_json::json!([format!("searched: {}", searched.display())])
    );
}

// ----- output ---------------------------------------------------------------

#[test]
fn an_output_name_of_255_characters_is_written() {
    let dir = study();
    let name = format!("{}.md", "r".repeat(252));
    let target = dir.path().join(&name);
    xreport()
        .args(["summary", "--resamples", "200", "-o"])
        .arg(&target)
        .arg(runs(&dir))
        .assert()
        .success();
    assert!(std::fs::read_to_string(&target).unwrap().contains("| a"));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[cfg(unix)]
#[test]
fn output_to_dev_stdout_writes_through() {
    let dir = study();
    let out = xreport()
        .args([
            "summary",
            "--resamples",
            "200",
            "--format",
            "json",
            "-o",
            "/dev/stdout",
        ])
        .arg(runs(&dir))
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["groups"].as_array().unwrap().len(), 2);
}

#[cfg(unix)]
#[test]
fn output_onto_a_symlink_writes_where_it_points_and_keeps_the_link() {
    let dir = study();
    std::fs::create_dir(dir.path().join("paper")).unwrap();
    let target = dir.path().join("paper/table.tex");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("table.tex");
    std::os::unix::fs::symlink("paper/table.tex", &link).unwrap();
    xreport()
        .args(["summary", "--resamples", "200", "-o"])
        .arg(&link)
        .arg(runs(&dir))
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("\\begin{tabular}")
    );
}

#[test]
fn a_label_latex_cannot_hold_exits_2_naming_the_flag() {
    let dir = study();
    let target = dir.path().join("t.tex");
    let err = exits_2(&[
        os("summary"),
        runs(&dir).as_os_str(),
        os("--label"),
        os("t:a_b%"),
        os("-o"),
        target.as_os_str(),
    ]);
    assert!(err.contains("--label") && err.contains("'%'"), "{err}");
    assert!(!target.exists());
}

#[test]
fn a_study_file_label_latex_cannot_hold_exits_2_naming_the_key() {
    let dir = study();
    std::fs::write(
        dir.path().join("xreport.toml"),
        "[ablation]\nlabel = \"tab:a b\"\n",
    )
    .unwrap();
    let err = exits_2(&[os("summary"), runs(&dir).as_os_str()]);
    assert!(
        err.contains("xreport.toml") && err.contains("ablation.label"),
        "{err}"
    );
}

// ----- panics and aborts on a size taken from a flag or a file -------------

#[test]
fn extreme_digits_and_resamples_exit_2_naming_the_flag() {
    let dir = study();
    for (command, flag, value) in [
        ("summary", "--digits", "65535"),
        ("summary", "--resamples", "18446744073709551615"),
        ("summary", "--resamples", "100000000000"),
        ("compare", "--resamples", "100000000000"),
        ("curves", "--resamples", "100000000000"),
        ("aggregate", "--resamples", "100000000000"),
    ] {
        let err = exits_2(&[os(command), runs(&dir).as_os_str(), os(flag), os(value)]);
        assert!(err.contains(flag), "{command} {flag} {value}: {err}");
    }
    let err = exits_2(&[
        os("power"),
        os("--effect-size"),
        os("0.5"),
        os("--max-seeds"),
        os("1000000000000"),
    ]);
    assert!(err.contains("--max-seeds"), "{err}");
}

#[test]
fn extreme_study_file_values_exit_2_naming_the_key() {
    for (toml, key) in [
        ("[stats]\nresamples = 100000000000\n", "stats.resamples"),
        ("[stats]\nmax_seeds = 1000000000000\n", "stats.max_seeds"),
        ("[metrics.acc]\ndigits = 65535\n", "metrics.acc.digits"),
    ] {
        let dir = study();
        std::fs::write(dir.path().join("xreport.toml"), toml).unwrap();
        let err = exits_2(&[os("summary"), runs(&dir).as_os_str()]);
        assert!(err.contains("xreport.toml") && err.contains(key), "{err}");
    }
}

/// An `.npy` preamble and header for a float64 matrix of `shape`.
fn npy_header(rows: u64, dims: u64) -> Vec<u8> {
    let dict = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': ({rows}, {dims}), }}");
    let mut header = dict.into_bytes();
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(b' ');
    }
    header.push(b'\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(&header);
    out
}

#[test]
fn an_npy_header_claiming_a_terabyte_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emb.npy");
    let header = npy_header(1 << 27, 1024);
    std::fs::write(&path, &header).unwrap();
    // A sparse file as long as the header says: the claim matches the
    // length, so only the memory budget stands between it and an abort.
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(header.len() as u64 + (1u64 << 40)).unwrap();
    let plot = dir.path().join("pca.png");
    let err = exits_2(&[os("pca"), path.as_os_str(), os("-o"), plot.as_os_str()]);
    assert!(err.contains("emb.npy") && err.contains("memory"), "{err}");
    assert!(!plot.exists());
}

/// A zip archive with one stored member whose zip64 sizes claim `claimed`
/// bytes while the archive holds only `data`.
fn zip64_claiming(name: &str, data: &[u8], claimed: u64) -> Vec<u8> {
    let crc = crc32fast::hash(data);
    let name = name.as_bytes();
    let mut extra = Vec::new();
    extra.extend_from_slice(&1u16.to_le_bytes());
    extra.extend_from_slice(&16u16.to_le_bytes());
    extra.extend_from_slice(&claimed.to_le_bytes());
    extra.extend_from_slice(&claimed.to_le_bytes());
    let mut out = Vec::new();
    let local = |out: &mut Vec<u8>, signature: u32| out.extend_from_slice(&signature.to_le_bytes());
    local(&mut out, 0x0403_4b50);
    for v in [45u16, 0, 0, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&u32::MAX.to_le_bytes());
    out.extend_from_slice(&u32::MAX.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&(extra.len() as u16).to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(&extra);
    out.extend_from_slice(data);
    let central = out.len() as u32;
    local(&mut out, 0x0201_4b50);
    for v in [45u16, 45, 0, 0, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&u32::MAX.to_le_bytes());
    out.extend_from_slice(&u32::MAX.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&(extra.len() as u16).to_le_bytes());
    for v in [0u16, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(&extra);
    let size = out.len() as u32 - central;
    local(&mut out, 0x0605_4b50);
    for v in [0u16, 0, 1, 1] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn an_npz_member_claiming_8_terabytes_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emb.npz");
    let mut member = npy_header(1 << 30, 1024);
    member.extend_from_slice(&[0u8; 64]);
    std::fs::write(&path, zip64_claiming("emb.npy", &member, 8 << 40)).unwrap();
    let plot = dir.path().join("pca.png");
    let err = exits_2(&[os("pca"), path.as_os_str(), os("-o"), plot.as_os_str()]);
    assert!(err.contains("emb.npz"), "{err}");
    assert!(!plot.exists());
}

#[test]
fn compare_plot_of_5000_metrics_exits_2_naming_the_plot() {
    let one = |shift: f64| {
        let values: Vec<String> = (0..5000)
            .map(|i| format!("\"m{i}\": {}", f64::from(i % 7) + shift))
            .collect();
        format!("{{{}}}", values.join(", "))
    };
    let (a1, a2, b1, b2) = (one(0.0), one(0.5), one(1.0), one(1.25));
    let dir = tree(&[
        ("runs/a/seed_1/results.json", &a1),
        ("runs/a/seed_2/results.json", &a2),
        ("runs/b/seed_1/results.json", &b1),
        ("runs/b/seed_2/results.json", &b2),
    ]);
    let plot = dir.path().join("seeds.png");
    let err = exits_2(&[
        os("compare"),
        runs(&dir).as_os_str(),
        os("--baseline"),
        os("a"),
        os("--resamples"),
        os("100"),
        os("--plot"),
        plot.as_os_str(),
    ]);
    assert!(err.contains("seeds.png") && err.contains("pixels"), "{err}");
    assert!(!plot.exists());
}

#[test]
fn lightning_metrics_csv_of_20000_columns_drawn_as_curves_exits_2() {
    let columns = 20_000;
    let header: Vec<String> = (0..columns).map(|i| format!("m{i}")).collect();
    let row = |step: u32| {
        let values: Vec<String> = (0..columns)
            .map(|i| format!("{}", (i + step as usize) % 5))
            .collect();
        format!("{step},{}\n", values.join(","))
    };
    let csv = format!("step,{}\n{}{}", header.join(","), row(1), row(2));
    let dir = tree(&[
        ("runs/a/seed_1/metrics.csv", &csv),
        ("runs/a/seed_2/metrics.csv", &csv),
    ]);
    let plot = dir.path().join("curves.png");
    let err = exits_2(&[
        os("curves"),
        runs(&dir).as_os_str(),
        os("--resamples"),
        os("100"),
        os("-o"),
        plot.as_os_str(),
    ]);
    assert!(
        err.contains("curves.png") && err.contains("pixels"),
        "{err}"
    );
    assert!(!plot.exists());
}

#[test]
fn a_json_lines_integer_beyond_i64_exits_2_naming_the_line() {
    let dir = tree(&[(
        "t.jsonl",
        "{\"condition\": \"a\", \"seed\": 1, \"metric\": \"acc\", \"value\": 1}\n{\"condition\": \"a\", \"seed\": 2, \"metric\": \"acc\", \"value\": 99999999999999999999999}\n",
    )]);
    let err = exits_2(&[os("summary"), dir.path().join("t.jsonl").as_os_str()]);
    assert!(
        err.contains("t.jsonl:line 2") && err.contains("64-bit"),
        "{err}"
    );
}

#[test]
fn a_json_lines_line_nested_3000_deep_exits_2_naming_the_line() {
    let deep = format!(
        "{{\"condition\": \"a\", \"seed\": 1, \"metric\": \"acc\", \"value\": 1}}\n{{\"condition\": {}1{}}}\n",
        "[".repeat(3000),
        "]".repeat(3000)
    );
    let dir = tree(&[("t.jsonl", &deep)]);
    let err = exits_2(&[os("summary"), dir.path().join("t.jsonl").as_os_str()]);
    assert!(
        err.contains("t.jsonl:line 2") && err.contains("nested deeper"),
        "{err}"
    );
}

// ----- hangs ------------------------------------------------------------------

#[test]
fn power_with_the_largest_max_seeds_answers_in_time() {
    xreport()
        .args([
            "power",
            "--effect-size",
            "0.001",
            "--max-seeds",
            "100000",
            "--format",
            "json",
        ])
        .timeout(TIMEOUT)
        .assert()
        .success();
}

#[test]
fn compare_plot_of_values_near_f64_max_finishes() {
    let dir = tree(&[
        ("runs/a/seed_1/results.json", r#"{"acc": 1.7e308}"#),
        ("runs/a/seed_2/results.json", r#"{"acc": -1.7e308}"#),
        ("runs/b/seed_1/results.json", r#"{"acc": 1.7e308}"#),
        ("runs/b/seed_2/results.json", r#"{"acc": 1.6e308}"#),
    ]);
    let plot = dir.path().join("seeds.svg");
    let out = xreport()
        .args(["compare", "--baseline", "a", "--resamples", "200", "--plot"])
        .arg(&plot)
        .arg(runs(&dir))
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 2)), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn values_beyond_1e150_get_no_spread_and_say_why() {
    let dir = tree(&[
        ("runs/a/seed_1/results.json", r#"{"acc": 1e200}"#),
        ("runs/a/seed_2/results.json", r#"{"acc": 2e200}"#),
        ("runs/b/seed_1/results.json", r#"{"acc": 3e200}"#),
        ("runs/b/seed_2/results.json", r#"{"acc": 5e200}"#),
    ]);
    for command in [&["summary"][..], &["compare", "--baseline", "a"]] {
        let out = xreport()
            .args(command)
            .args(["--resamples", "200", "--format", "md"])
            .arg(runs(&dir))
            .assert()
            .success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(text.contains("1.500e200 ± —"), "{text}");
        assert!(text.contains("values beyond ±1e150 overflow"), "{text}");
        assert!(!text.contains("no variance"), "{text}");
    }
}

/// A `rows × dims` float64 `.npy` of deterministic values.
fn npy_matrix(path: &Path, rows: u64, dims: u64) {
    let mut bytes = npy_header(rows, dims);
    for i in 0..rows * dims {
        let x = ((i * 2_654_435_761) % 1000) as f64 / 1000.0;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_huge_point_size_exits_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emb.npy");
    npy_matrix(&path, 20, 4);
    let plot = dir.path().join("pca.png");
    let err = exits_2(&[
        os("pca"),
        path.as_os_str(),
        os("--point-size"),
        os("1e9"),
        os("-o"),
        plot.as_os_str(),
    ]);
    assert!(err.contains("--point-size"), "{err}");
    assert!(!plot.exists());
}

#[test]
fn a_10_mb_label_is_drawn_shortened_in_the_legend() {
    let dir = tempfile::tempdir().unwrap();
    let emb = dir.path().join("emb.npy");
    npy_matrix(&emb, 20, 4);
    let long = "x".repeat(10_000_000);
    let labels: Vec<&str> = (0..20)
        .map(|i| {
            if i == 0 {
                long.as_str()
            } else {
                ["a", "b"][i % 2]
            }
        })
        .collect();
    let labels_path = dir.path().join("labels.txt");
    std::fs::write(&labels_path, labels.join("\n")).unwrap();
    let plot = dir.path().join("pca.svg");
    xreport()
        .arg("pca")
        .arg(&emb)
        .arg("--labels")
        .arg(&labels_path)
        .arg("-o")
        .arg(&plot)
        .timeout(TIMEOUT)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.len() < 1_000_000, "{} bytes", svg.len());
    let shown = format!("{}…{}", "x".repeat(37), "x".repeat(26));
    assert!(svg.contains(&shown), "the legend shows the label cut");
    assert!(!svg.contains(&"x".repeat(64)));
}

#[test]
fn pca_of_a_wide_matrix_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emb.npy");
    npy_matrix(&path, 300, 4096);
    xreport()
        .args(["pca", "--format", "json"])
        .arg(&path)
        .timeout(TIMEOUT)
        .assert()
        .success();
}

#[test]
fn yaml_nested_100000_deep_in_flow_style_exits_2_naming_the_file_and_line() {
    let deep = format!(
        "lr: 0.1\nmodel: {}1{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for file in ["config.yaml", "index.yaml"] {
        let dir = tree(&[
            ("c/seed_1/results.json", r#"{"acc": 1}"#),
            ("c/seed_1_a3f8c1/results.json", r#"{"acc": 2}"#),
        ]);
        let path = if file == "index.yaml" {
            dir.path().join("c/index.yaml")
        } else {
            dir.path().join("c/seed_1/config.yaml")
        };
        std::fs::write(&path, &deep).unwrap();
        let err = exits_2(&[os("summary"), dir.path().join("c").as_os_str()]);
        assert!(
            err.contains(&format!("{file}:line 2")) && err.contains("nested deeper"),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn fifos_named_like_run_files_do_not_block_check() {
    for name in ["metrics.csv", "train.log", "trainer_state.json"] {
        let dir = study();
        let fifo = dir.path().join("runs/a/seed_1").join(name);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let out = xreport()
            .args(["check", "--format", "json", "--resamples", "200"])
            .arg(runs(&dir))
            .timeout(TIMEOUT)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0..=2)), "{name}: {stderr}");
        if out.status.code() == Some(2) {
            assert!(
                stderr.contains(name) && stderr.contains("not a regular file"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn templates_that_recurse_or_never_end_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, source, says) in [
        (
            "recursive.tera",
            "{% macro f(n) %}{{ self::f(n=n+1) }}{% endmacro f %}{{ self::f(n=0) }}",
            "a macro may not call a macro",
        ),
        (
            "billion.tera",
            "{% for i in range(end=1000000000) %}x{% endfor %}",
            "at most 1000000",
        ),
        (
            "step0.tera",
            "{% for i in range(end=5, step_by=0) %}x{% endfor %}",
            "never end",
        ),
    ] {
        let template = dir.path().join(name);
        std::fs::write(&template, source).unwrap();
        let err = exits_2(&[
            os("summary"),
            os("examples/speech-ssl/runs"),
            os("--resamples"),
            os("100"),
            os("--format"),
            os("md"),
            os("--template"),
            template.as_os_str(),
        ]);
        assert!(err.contains(name) && err.contains(says), "{err}");
    }
}
