//! Every LaTeX table the examples produce, hostile names included, compiles
//! with pdflatex and booktabs (and siunitx for `--siunitx`).
//!
//! Under `CI=true` a missing pdflatex fails the test; elsewhere it is skipped
//! with a printed reason (`.ci/run` installs it).

use std::path::Path;
use std::process::Command;

use crate::common::{tree, xreport};

const HOSTILE: &str = "no_codebook_50%_&_more";

pub(crate) fn pdflatex_available() -> bool {
    let found = Command::new("pdflatex")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "pdflatex is missing under CI=true: .ci/run must install texlive-latex-base texlive-latex-recommended texlive-science"
        );
        eprintln!(
            "skipped: pdflatex is not installed (apt-get install texlive-latex-base texlive-latex-recommended texlive-science)"
        );
    }
    found
}

fn latex(args: &[&str], dir: &Path) -> String {
    let out = xreport().current_dir(dir).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8 LaTeX")
}

/// A study whose names carry every LaTeX special character.
fn hostile_study() -> tempfile::TempDir {
    let mut files = Vec::new();
    let values = [
        ("full", [18.1, 18.3, 18.2]),
        (HOSTILE, [19.9, 20.1, 20.0]),
        ("with {braces} #1 ~x^2 $y \\z", [18.2, 18.5, 18.0]),
    ];
    let mut texts = Vec::new();
    for (condition, vals) in values {
        for (i, v) in vals.iter().enumerate() {
            let folder = if condition == "full" {
                "runs/full".to_string()
            } else {
                format!("runs/ablations/{condition}")
            };
            texts.push((
                format!("{folder}/seed_{i}/results.json"),
                format!("{{\"test\": {{\"wer_%\": {v}}}}}"),
            ));
        }
    }
    for (path, text) in &texts {
        files.push((path.as_str(), text.as_str()));
    }
    tree(&files)
}

#[test]
fn every_latex_table_compiles_with_pdflatex_even_with_hostile_names() {
    if !pdflatex_available() {
        return;
    }
    let root = crate::common::root();
    let study = "examples/speech-ssl/runs";
    let mut body = String::new();
    body.push_str(&latex(
        &["summary", study, "--metric", "test.*", "--format", "latex"],
        &root,
    ));
    body.push_str(&latex(
        &[
            "summary",
            "examples/tables/long.csv",
            "--format",
            "latex",
            "--fragment",
        ],
        &root,
    ));
    body.push_str(&latex(
        &[
            "compare",
            &format!("{study}/exp0_baseline_hubert"),
            &format!("{study}/exp1_new_masking"),
            &format!("{study}/exp2_bigger_codebook"),
            "--format",
            "latex",
        ],
        &root,
    ));
    body.push_str(&latex(
        &[
            "compare",
            "examples/tianshou-mujoco/Hopper-v3",
            "--test",
            "aso",
            "--baseline",
            "td3",
            "--max-step",
            "1000000",
            "--format",
            "latex",
        ],
        &root,
    ));
    body.push_str(&latex(
        &["ablation", "--latex", "--metric", "test.*"],
        &root.join("examples/speech-ssl"),
    ));
    body.push_str(&latex(
        &["ablation", "--latex", "--fragment"],
        &root.join("examples/speech-ssl"),
    ));
    body.push_str(&latex(
        &["ablation", "--latex", "--siunitx", "--metric", "test.*"],
        &root.join("examples/speech-ssl"),
    ));
    body.push_str(&latex(
        &[
            "power", "--diff", "0.3", "--std", "0.5", "--format", "latex",
        ],
        &root,
    ));
    body.push_str(&latex(
        &[
            "aggregate",
            "examples/atari100k/IRIS.json",
            "examples/atari100k/SimPLe.json",
            "examples/atari100k/CURL_10_evals.json",
            "examples/atari100k/MuZero.json",
            "--normalize",
            "examples/atari100k/RANDOM.json",
            "examples/atari100k/HUMAN.json",
            "--prob-improvement",
            "IRIS",
            "--resamples",
            "200",
            "--format",
            "latex",
        ],
        &root,
    ));
    let hostile = hostile_study();
    let hostile_table = latex(
        &[
            "ablation",
            "runs",
            "--full",
            "full",
            "--latex",
            "--caption",
            "Costs 50% & more: #1 {x} ~ ^ \\ $",
            "--label",
            "tab:x_y",
        ],
        hostile.path(),
    );
    assert!(
        hostile_table.contains("Without codebook 50\\% \\& more"),
        "{hostile_table}"
    );
    body.push_str(&hostile_table);
    body.push_str(&latex(
        &["summary", "runs", "--format", "latex"],
        hostile.path(),
    ));

    let dir = compile(&["booktabs", "siunitx"], &body);
    assert!(dir.path().join("tables.pdf").is_file());
}

/// Compile `body` in an article with `packages` to `tables.pdf` in a new
/// temporary folder; a failure panics with the log's end and keeps the
/// document as `xreport-latex-failure.tex` in the system's temporary folder.
pub(crate) fn compile(packages: &[&str], body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let uses: String = packages
        .iter()
        .map(|p| format!("\\usepackage{{{p}}}\n"))
        .collect();
    let doc = format!(
        "\\documentclass{{article}}\n{uses}\\begin{{document}}\n{body}\n\\end{{document}}\n"
    );
    std::fs::write(dir.path().join("tables.tex"), &doc).expect("write document");
    let run = Command::new("pdflatex")
        .current_dir(dir.path())
        .args(["-interaction=nonstopmode", "-halt-on-error", "tables.tex"])
        .output()
        .expect("run pdflatex");
    let log = String::from_utf8_lossy(&run.stdout);
    if !run.status.success() {
        let kept = std::env::temp_dir().join("xreport-latex-failure.tex");
        let _ = std::fs::write(&kept, &doc);
        panic!(
            "pdflatex failed on {}:\n{}",
            kept.display(),
            &log[log.len().saturating_sub(3000)..]
        );
    }
    dir
}
